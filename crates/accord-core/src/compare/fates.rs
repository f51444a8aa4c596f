//! What became of every bracket between two linked groups of paragraphs:
//! still open, kept (brackets gone, words kept), deleted, one alternative
//! chosen, reworded, or new.

use crate::model::Paragraph;
use crate::tokens::{tokenize, Token};

use super::classify::word_changes;
use super::words::{content_words, dice};
use super::{BracketFate, Fate};

// ---------------------------------------------------------------------------
// Brackets.

pub(super) fn alternatives_in(inner: &str) -> Option<Vec<String>> {
    crate::brackets::alternatives(inner)
}

pub(super) fn bracket_fates(old: &[&Paragraph], new: &[&Paragraph], out: &mut Vec<BracketFate>) {
    let has_brackets = |ps: &[&Paragraph]| ps.iter().any(|p| p.brackets.iter().any(|b| !b.opens_before));
    if !has_brackets(old) && !has_brackets(new) {
        return;
    }
    let new_id = new.first().map(|p| p.id.clone());
    // Identical text: every bracket is still open (the common case).
    if let ([o], [n]) = (old, new) {
        if o.text == n.text {
            for b in o.brackets.iter().filter(|b| !b.opens_before) {
                out.push(BracketFate {
                    old_paragraph: Some(o.id.clone()),
                    new_paragraph: Some(n.id.clone()),
                    text: b.text.clone(),
                    fate: Fate::Open,
                    chosen: None,
                    reworded: None,
                });
            }
            return;
        }
    }
    let new_text: String = new.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(" ");
    let old_text: String = old.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(" ");
    let mut new_brackets: Vec<(&Paragraph, &crate::Bracket, bool)> = new
        .iter()
        .flat_map(|p| p.brackets.iter().filter(|b| !b.opens_before).map(move |b| (*p, b, false)))
        .collect();
    // Which old words survive, from the word diff (computed once, when needed).
    let mut survival: Option<(Vec<Token>, Vec<bool>)> = None;
    let mut offset = 0u32;
    for p in old {
        let base = offset;
        offset += p.text.chars().count() as u32 + 1;
        for b in p.brackets.iter().filter(|b| !b.opens_before) {
            let mut fate = BracketFate {
                old_paragraph: Some(p.id.clone()),
                new_paragraph: new_id.clone(),
                text: b.text.clone(),
                fate: Fate::Deleted,
                chosen: None,
                reworded: None,
            };
            if new.is_empty() {
                out.push(fate);
                continue;
            }
            if let Some(slot) = new_brackets.iter_mut().find(|(_, nb, used)| !*used && nb.text == b.text) {
                slot.2 = true;
                fate.fate = Fate::Open;
                fate.new_paragraph = Some(slot.0.id.clone());
                out.push(fate);
                continue;
            }
            let inner = b.text.trim_start_matches('[').trim_end_matches(']').trim();
            // Reworded: a new bracket at the same depth with similar words.
            let old_words = content_words(inner);
            let reworded = new_brackets
                .iter_mut()
                .filter(|(_, nb, used)| !*used && b.depth == nb.depth)
                .map(|slot| {
                    let w = content_words(slot.1.text.trim_start_matches('[').trim_end_matches(']'));
                    (dice(&old_words, &w), slot)
                })
                .filter(|(s, _)| *s >= 0.5)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((_, slot)) = reworded {
                slot.2 = true;
                fate.fate = Fate::Reworded;
                fate.reworded = Some(slot.1.text.clone());
                fate.new_paragraph = Some(slot.0.id.clone());
                out.push(fate);
                continue;
            }
            // Resolved: which of the bracket's words the diff keeps.
            let (tokens, kept) = survival.get_or_insert_with(|| {
                let (_, ot, _, ops) = word_changes(&old_text, &new_text);
                let mut kept = vec![false; ot.len()];
                for op in &ops {
                    if let similar::DiffOp::Equal { old_index, len, .. } = *op {
                        kept[old_index..old_index + len].iter_mut().for_each(|k| *k = true);
                    }
                }
                (ot, kept)
            });
            let (from, to) = (base + b.start + 1, base + b.end.saturating_sub(1));
            let inside: Vec<usize> = (0..tokens.len())
                .filter(|&i| tokens[i].is_wordlike() && tokens[i].start >= from && tokens[i].end <= to)
                .collect();
            let surviving: Vec<&str> =
                inside.iter().filter(|&&i| kept[i]).map(|&i| tokens[i].text(&old_text)).collect();
            let alts = b.alternatives.clone().or_else(|| alternatives_in(inner));
            let chosen = alts.as_ref().and_then(|alts| {
                let held: Vec<&String> = alts
                    .iter()
                    .filter(|a| {
                        let words: Vec<&str> =
                            tokenize(a).iter().filter(|t| t.is_wordlike()).map(|t| t.text(a)).collect();
                        !words.is_empty() && words.iter().all(|w| surviving.contains(w))
                    })
                    .collect();
                (held.len() == 1).then(|| held[0].clone())
            });
            if let Some(c) = chosen {
                fate.fate = Fate::Chosen;
                fate.chosen = Some(c);
            } else if !inside.is_empty() && surviving.len() * 2 >= inside.len() {
                fate.fate = Fate::Kept;
            }
            out.push(fate);
        }
    }
    for (p, b, used) in new_brackets {
        if !used {
            out.push(BracketFate {
                old_paragraph: old.first().map(|p| p.id.clone()),
                new_paragraph: Some(p.id.clone()),
                text: b.text.clone(),
                fate: Fate::New,
                chosen: None,
                reworded: None,
            });
        }
    }
}
