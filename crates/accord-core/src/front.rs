//! What stands in front of the document: covering letters, the title and the
//! date line, and any other front matter (mastheads, "Non-paper").
//!
//! A letter is found by its salutation ("Excellency,", "Dear colleagues,")
//! and runs to its closing formula ("Please accept … the assurances of my
//! highest consideration."); the blocks after the closing are signatures,
//! and a block addressed to "All Permanent Representatives …" ends it. The
//! blocks before the salutation are the letterhead and the letter's date.
//! The title is the line before the document's date line (or the last line
//! of front matter), where its status tag is read.

use crate::lines;
use crate::model::{Letter, Line, SourceLines, Status};
use crate::source::SrcLine;
use crate::status;

pub(crate) struct Front {
    pub letters: Vec<Letter>,
    pub title: Option<String>,
    pub title_status: Status,
    pub title_status_note: Option<String>,
    pub date: Option<String>,
    pub front_matter: Vec<Line>,
}

/// A run of consecutive non-blank lines.
struct Block<'a> {
    lines: Vec<SrcLine<'a>>,
}

impl Block<'_> {
    fn first_text(&self) -> &str {
        self.lines[0].text()
    }
    fn joined(&self) -> String {
        let mut s = String::new();
        for l in &self.lines {
            lines::join_onto(&mut s, l.text());
        }
        s
    }
    fn texts(&self) -> Vec<String> {
        self.lines.iter().map(|l| l.text().to_owned()).collect()
    }
    fn range(&self) -> SourceLines {
        SourceLines { first: self.lines[0].no, last: self.lines[self.lines.len() - 1].no }
    }
}

fn is_salutation(t: &str) -> bool {
    let t = t.trim();
    let lower = t.to_lowercase();
    (t.ends_with(',') || t.ends_with(':'))
        && t.split_whitespace().count() <= 8
        && (lower.starts_with("excellenc")
            || lower.starts_with("your excellenc")
            || lower.starts_with("dear ")
            || lower.starts_with("monsieur")
            || lower.starts_with("madame")
            || lower.starts_with("excelentísim")
            || lower.starts_with("señor"))
}

fn is_closing(t: &str) -> bool {
    let lower = t.to_lowercase();
    lower.contains("assurances of") && lower.contains("consideration")
        || lower.contains("highest consideration")
        || lower.starts_with("yours sincerely")
        || lower.starts_with("yours faithfully")
        || lower.starts_with("sincerely")
        || lower.starts_with("best regards")
        || lower.contains("les assurances de ma")
}

fn is_addressee_block(b: &Block<'_>) -> bool {
    let t = b.first_text();
    let joined = b.joined().to_lowercase();
    t.starts_with("All ")
        || t.starts_with("To ")
        || t.starts_with("To:")
        || joined.contains("permanent representatives")
        || joined.contains("all member states")
        || joined.contains("permanent missions")
}

fn is_signature_note(b: &Block<'_>) -> bool {
    let lower = b.first_text().to_lowercase();
    lower.contains("signature") || lower.starts_with("(signed)") || lower.starts_with("(sgd")
}

/// Reads the front of a draft: the body lines before the document starts.
pub(crate) fn read(front: &[SrcLine<'_>]) -> Front {
    let mut blocks: Vec<Block<'_>> = Vec::new();
    let mut current: Vec<SrcLine<'_>> = Vec::new();
    for l in front {
        if l.is_blank() {
            if !current.is_empty() {
                blocks.push(Block { lines: std::mem::take(&mut current) });
            }
        } else {
            current.push(*l);
        }
    }
    if !current.is_empty() {
        blocks.push(Block { lines: current });
    }

    // Letters: salutation block index and closing block index.
    let mut letters_at: Vec<(usize, Option<usize>)> = Vec::new();
    for (k, b) in blocks.iter().enumerate() {
        if b.lines.len() == 1 && is_salutation(b.first_text()) {
            letters_at.push((k, None));
        } else if let Some(last) = letters_at.last_mut() {
            if last.1.is_none() && b.lines.iter().any(|l| is_closing(l.text())) {
                last.1 = Some(k);
            }
        }
    }

    // Where each letter ends: after its addressee block, else after one signature block.
    let mut letter_bounds: Vec<(usize, usize, usize, Option<usize>)> = Vec::new(); // (head_start, salutation, end_excl, closing)
    let mut head_start = 0;
    for (n, &(sal, closing)) in letters_at.iter().enumerate() {
        let next_sal = letters_at.get(n + 1).map(|x| x.0);
        let after = closing.map_or(sal + 1, |c| c + 1);
        let limit = next_sal.unwrap_or(blocks.len());
        let end = match (after..limit).find(|&k| is_addressee_block(&blocks[k])) {
            Some(k) => k + 1,
            None if next_sal.is_some() => {
                // The next letter's head: its date block and the blocks above it up to one signature.
                let mut e = after;
                while e < limit && is_signature_note(&blocks[e]) {
                    e += 1;
                }
                (e + 1).min(limit)
            }
            None => {
                // The last letter: signatures run up to the document's title lines.
                let mut e = after;
                while e < limit && (is_signature_note(&blocks[e]) || blocks[e].lines.len() > 1) {
                    e += 1;
                }
                e.max((after + 1).min(limit))
            }
        };
        letter_bounds.push((head_start, sal, end, closing));
        head_start = end;
    }

    let mut letters = Vec::new();
    for &(head, sal, end, closing) in &letter_bounds {
        let mut letter = Letter::default();
        // Head: letterhead and date (and addressees placed on top).
        for b in &blocks[head..sal] {
            if b.lines.len() == 1 && lines::has_date(b.first_text()) && letter.date.is_none() {
                letter.date = Some(b.first_text().to_owned());
            } else if is_addressee_block(b) {
                letter.addressees.extend(b.texts());
            } else {
                letter.letterhead.extend(b.texts());
            }
        }
        letter.salutation = Some(blocks[sal].first_text().to_owned());
        let body_end = closing.map_or(end, |c| c + 1);
        for b in &blocks[sal + 1..body_end] {
            letter.body.push(b.joined());
        }
        let mut pending_note: Vec<String> = Vec::new();
        for b in &blocks[body_end..end] {
            if is_addressee_block(b) {
                letter.addressees.extend(b.texts());
            } else if is_signature_note(b) {
                pending_note.extend(b.texts());
            } else {
                let mut sig = std::mem::take(&mut pending_note);
                sig.extend(b.texts());
                letter.signatures.push(sig);
            }
        }
        if !pending_note.is_empty() {
            letter.signatures.push(pending_note);
        }
        letter.sender = if !letter.letterhead.is_empty() {
            letter.letterhead.join(" ")
        } else {
            letter.signatures.iter().filter_map(|s| s.last().cloned()).collect::<Vec<_>>().join("; ")
        };
        letter.source_lines =
            SourceLines { first: blocks[head].range().first, last: blocks[end - 1].range().last };
        letters.push(letter);
    }

    // The rest: title, date line and other front matter.
    let rest_from = letter_bounds.last().map_or(0, |b| b.2);
    let rest = &blocks[rest_from..];
    // Logical lines: a block is one logical line when its later lines are wraps.
    let mut logical: Vec<(String, Vec<SrcLine<'_>>)> = Vec::new();
    for b in rest {
        let mut cur: Option<(String, Vec<SrcLine<'_>>)> = None;
        for l in &b.lines {
            let t = l.text();
            let wraps = cur.as_ref().is_some_and(|(s, _)| {
                lines::starts_lowercase(t)
                    || (lines::ending(s) == lines::Ending::Open
                        && s.chars().count() >= 50
                        && !lines::has_date(s)
                        && !lines::has_date(t))
            });
            match (&mut cur, wraps) {
                (Some((s, ls)), true) => {
                    lines::join_onto(s, t);
                    ls.push(*l);
                }
                _ => {
                    logical.extend(cur.take());
                    cur = Some((t.to_owned(), vec![*l]));
                }
            }
        }
        logical.extend(cur);
    }
    let date_at = logical.iter().rposition(|(t, _)| lines::has_date(t) && t.split_whitespace().count() <= 12);
    // The title stands right after the date line ("Resolution adopted … on
    // 28 October 2026" / "81/12. Title"), or right before it when the date
    // line closes the front ("Title" / "Draft Outcome Document – 7 December 2015").
    let title_at = match date_at {
        Some(d) if d + 1 < logical.len() => Some(d + 1),
        Some(0) => None,
        Some(d) => Some(d - 1),
        None => logical.len().checked_sub(1),
    };
    let mut out = Front {
        letters,
        title: None,
        title_status: Status::Open,
        title_status_note: None,
        date: None,
        front_matter: Vec::new(),
    };
    for (k, (text, ls)) in logical.into_iter().enumerate() {
        if Some(k) == title_at {
            let mut title = text;
            if let Some(tag) = status::find_tag(&title) {
                out.title_status = tag.status;
                out.title_status_note = tag.note;
                title.replace_range(tag.range, "");
                title = title.trim().to_owned();
            }
            out.title = Some(title);
        } else if Some(k) == date_at {
            out.date = Some(text);
        } else {
            out.front_matter.extend(ls.iter().map(|l| Line { line: l.no, text: l.text().to_owned() }));
        }
    }
    out
}
