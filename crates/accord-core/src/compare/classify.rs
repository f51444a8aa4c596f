//! The word diff of a linked pair and its classification: marginal
//! (spelling, case, punctuation, order, small rewording) or substantive
//! (normative verbs, negations, numbers, names, references, brackets, a
//! large share of content words), with the reasons in words.

use crate::tokens::{tokenize, Token, TokenKind};

use super::words::{folded_hash, is_content_word, lower, spelling_key};
use super::{Change, Class};

// ---------------------------------------------------------------------------
// Word-level changes and classification.

pub(super) fn word_changes(
    old: &str,
    new: &str,
) -> (Vec<Change>, Vec<Token>, Vec<Token>, Vec<similar::DiffOp>) {
    let ot = tokenize(old);
    let nt = tokenize(new);
    let oi: Vec<&str> = ot.iter().map(|t| t.text(old)).collect();
    let ni: Vec<&str> = nt.iter().map(|t| t.text(new)).collect();
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &oi, &ni);
    let span = |toks: &[Token], from: usize, len: usize| -> [u32; 2] {
        if len == 0 {
            let at = if from < toks.len() { toks[from].start } else { toks.last().map_or(0, |t| t.end) };
            [at, at]
        } else {
            [toks[from].start, toks[from + len - 1].end]
        }
    };
    let text_of = |s: &str, toks: &[Token], from: usize, len: usize| -> String {
        if len == 0 {
            return String::new();
        }
        s[toks[from].bytes.0 as usize..toks[from + len - 1].bytes.1 as usize].to_owned()
    };
    let mut changes = Vec::new();
    for op in &ops {
        let (kind, oi_, ol, ni_, nl) = match *op {
            similar::DiffOp::Equal { .. } => continue,
            similar::DiffOp::Delete { old_index, old_len, new_index } => {
                ("delete", old_index, old_len, new_index, 0)
            }
            similar::DiffOp::Insert { old_index, new_index, new_len } => {
                ("insert", old_index, 0, new_index, new_len)
            }
            similar::DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                ("replace", old_index, old_len, new_index, new_len)
            }
        };
        changes.push(Change {
            kind,
            old: text_of(old, &ot, oi_, ol),
            new: text_of(new, &nt, ni_, nl),
            old_span: span(&ot, oi_, ol),
            new_span: span(&nt, ni_, nl),
        });
    }
    (changes, ot, nt, ops)
}

pub(super) const NORMATIVE: &[&str] = &[
    "shall",
    "should",
    "must",
    "may",
    "might",
    "will",
    "would",
    "can",
    "could",
    "recognize",
    "recognise",
    "note",
    "notes",
    "noting",
    "urge",
    "urges",
    "call",
    "calls",
    "decide",
    "decides",
    "request",
    "requests",
    "encourage",
    "encourages",
    "invite",
    "invites",
    "welcome",
    "welcomes",
    "reaffirm",
    "reaffirms",
    "affirm",
    "affirms",
    "acknowledge",
    "acknowledges",
    "commit",
    "commits",
    "emphasize",
    "emphasise",
    "stress",
    "stresses",
    "underline",
    "underlines",
    "underscore",
    "recommend",
    "recommends",
    "agree",
    "agrees",
    "endorse",
    "endorses",
    "support",
    "supports",
    "condemn",
    "condemns",
    "demand",
    "demands",
    "require",
    "requires",
    "express",
    "expresses",
    "declare",
    "declares",
    "resolve",
    "resolves",
    "reiterate",
    "reiterates",
    "take",
    "takes",
    "consider",
    "considers",
    "recall",
    "recalls",
    "determine",
    "determines",
    "deplore",
    "deplores",
    "regret",
    "regrets",
    "concern",
    "concerned",
    "appeal",
    "appeals",
    "aim",
    "aims",
    "strive",
    "ensure",
    "ensures",
    "adopt",
    "adopts",
    "approve",
    "approves",
    "establish",
    "establishes",
    "extend",
    "extends",
];

pub(super) const NEGATIONS: &[&str] = &[
    "not", "no", "never", "nor", "neither", "without", "non", "cannot", "none", "ne", "pas", "jamais", "sin",
    "nunca",
];

pub(super) fn is_content(t: &Token, key: &str) -> bool {
    t.kind != TokenKind::Word || is_content_word(key)
}

pub(super) struct Side<'a> {
    pub(super) text: &'a str,
    /// How many content words the whole text has.
    pub(super) content_words: usize,
    pub(super) tokens: &'a [Token],
    pub(super) references: Vec<(u32, u32)>,
    /// Character spans of the text's brackets (negotiated phrases).
    pub(super) brackets: Vec<(u32, u32)>,
}

/// A changed word: its token index, the token, its spelling key.
type Changed<'t> = (usize, &'t Token, &'t String);

/// Notes which changed words a reason names.
fn mark(into: &mut Vec<usize>, words: &[Changed<'_>], named: &dyn Fn(&Changed<'_>) -> bool) {
    into.extend(words.iter().filter(|x| named(x)).map(|x| x.0));
}

/// Classifies the changes between two texts, with reasons.
pub(super) fn classify(old: &Side<'_>, new: &Side<'_>, ops: &[similar::DiffOp]) -> (Class, Vec<String>) {
    let brackets = |s: &Side<'_>| {
        s.tokens.iter().filter(|t| matches!(t.kind, TokenKind::Open | TokenKind::Close)).count()
    };
    let mut substantive: Vec<String> = Vec::new();
    let mut marginal: Vec<String> = Vec::new();
    let push = |v: &mut Vec<String>, r: String| {
        if !v.contains(&r) {
            v.push(r);
        }
    };
    // The whole texts hold the same words exactly when the words the diff
    // removes and the words it inserts are the same multiset.
    let hunk_words = |s: &Side<'_>, deleted: bool| -> Vec<u64> {
        let mut v = Vec::new();
        for op in ops {
            let range = match (*op, deleted) {
                (similar::DiffOp::Delete { old_index, old_len, .. }, true)
                | (similar::DiffOp::Replace { old_index, old_len, .. }, true) => {
                    old_index..old_index + old_len
                }
                (similar::DiffOp::Insert { new_index, new_len, .. }, false)
                | (similar::DiffOp::Replace { new_index, new_len, .. }, false) => {
                    new_index..new_index + new_len
                }
                _ => continue,
            };
            v.extend(s.tokens[range].iter().filter(|t| t.is_wordlike()).map(|t| folded_hash(t.text(s.text))));
        }
        v.sort_unstable();
        v
    };
    if hunk_words(old, true) == hunk_words(new, false) && brackets(old) == brackets(new) {
        // The same words: order, case, punctuation or spacing only.
        let old_seq: Vec<&str> =
            old.tokens.iter().filter(|t| t.is_wordlike()).map(|t| t.text(old.text)).collect();
        let new_seq: Vec<&str> =
            new.tokens.iter().filter(|t| t.is_wordlike()).map(|t| t.text(new.text)).collect();
        let old_lower: Vec<u64> = old_seq.iter().map(|w| folded_hash(w)).collect();
        let new_lower: Vec<u64> = new_seq.iter().map(|w| folded_hash(w)).collect();
        if old_lower != new_lower {
            push(&mut marginal, "words or list items reordered".into());
        }
        if old_seq != new_seq && old_lower == new_lower {
            push(&mut marginal, "capitalisation".into());
        }
        let old_p: Vec<&str> =
            old.tokens.iter().filter(|t| !t.is_wordlike()).map(|t| t.text(old.text)).collect();
        let new_p: Vec<&str> =
            new.tokens.iter().filter(|t| !t.is_wordlike()).map(|t| t.text(new.text)).collect();
        if old_p != new_p {
            push(&mut marginal, "punctuation".into());
        }
        if marginal.is_empty() {
            push(&mut marginal, "spacing".into());
        }
        return (Class::Marginal, marginal);
    }
    let mut changed_content = 0usize;
    // Words changed beside a substantive change, named after its reasons.
    let mut wording: Vec<String> = Vec::new();
    let first_word_of_sentence = |s: &Side<'_>, i: usize| -> bool {
        // The first word-like token, or one after a full stop.
        s.tokens[..i].iter().rev().find(|t| t.kind != TokenKind::Open).is_none_or(|t| {
            t.kind == TokenKind::Punct && matches!(t.text(s.text), "." | "!" | "?" | ":" | ";")
        })
    };
    for op in ops {
        let (o0, ol, n0, nl) = match *op {
            similar::DiffOp::Equal { .. } => continue,
            similar::DiffOp::Delete { old_index, old_len, new_index } => (old_index, old_len, new_index, 0),
            similar::DiffOp::Insert { old_index, new_index, new_len } => (old_index, 0, new_index, new_len),
            similar::DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                (old_index, old_len, new_index, new_len)
            }
        };
        let ot = &old.tokens[o0..o0 + ol];
        let nt = &new.tokens[n0..n0 + nl];
        let ob = ot.iter().filter(|t| matches!(t.kind, TokenKind::Open | TokenKind::Close)).count();
        let nb = nt.iter().filter(|t| matches!(t.kind, TokenKind::Open | TokenKind::Close)).count();
        if ob > nb {
            push(&mut substantive, "bracket removed".into());
        } else if nb > ob {
            push(&mut substantive, "bracket added".into());
        }
        let ow: Vec<(usize, &Token)> =
            ot.iter().enumerate().filter(|(_, t)| t.is_wordlike()).map(|(i, t)| (o0 + i, t)).collect();
        let nw: Vec<(usize, &Token)> =
            nt.iter().enumerate().filter(|(_, t)| t.is_wordlike()).map(|(i, t)| (n0 + i, t)).collect();
        if ow.is_empty() && nw.is_empty() {
            if ob == nb {
                push(&mut marginal, "punctuation".into());
            }
            continue;
        }
        let ol_: Vec<String> = ow.iter().map(|(_, t)| lower(t.text(old.text))).collect();
        let nl_: Vec<String> = nw.iter().map(|(_, t)| lower(t.text(new.text))).collect();
        if ol_ == nl_ {
            push(&mut marginal, "capitalisation".into());
            continue;
        }
        let ok: Vec<String> = ow.iter().map(|(_, t)| spelling_key(t.text(old.text))).collect();
        let nk: Vec<String> = nw.iter().map(|(_, t)| spelling_key(t.text(new.text))).collect();
        if ok == nk {
            push(&mut marginal, "spelling variant".into());
            continue;
        }
        // Words that really differ (as multisets of spelling keys).
        let mut only_old: Vec<(usize, &Token, &String)> = Vec::new();
        let mut only_new: Vec<(usize, &Token, &String)> = Vec::new();
        let mut nk_left: Vec<Option<&String>> = nk.iter().map(Some).collect();
        for (k, key) in ok.iter().enumerate() {
            match nk_left.iter_mut().find(|x| x.is_some_and(|y| y == key)) {
                Some(slot) => *slot = None,
                None => only_old.push((ow[k].0, ow[k].1, key)),
            }
        }
        for (k, slot) in nk_left.iter().enumerate() {
            if slot.is_some() {
                only_new.push((nw[k].0, nw[k].1, &nk[k]));
            }
        }
        if only_old.is_empty() && only_new.is_empty() {
            push(&mut marginal, "words reordered".into());
            continue;
        }
        let describe = |v: &[(usize, &Token, &String)], s: &Side<'_>| -> String {
            v.iter().map(|(_, t, _)| t.text(s.text)).collect::<Vec<_>>().join(" ")
        };
        // "what changed: old words → new words", naming only the words that
        // make the rule ("added"/"removed" when one side has none).
        let changed_by = |what: &str,
                          on_old: &dyn Fn(&(usize, &Token, &String)) -> bool,
                          on_new: &dyn Fn(&(usize, &Token, &String)) -> bool| {
            let o: Vec<(usize, &Token, &String)> = only_old.iter().copied().filter(|x| on_old(x)).collect();
            let n: Vec<(usize, &Token, &String)> = only_new.iter().copied().filter(|x| on_new(x)).collect();
            match (o.is_empty(), n.is_empty()) {
                (true, false) => format!("{what} added: {}", describe(&n, new)),
                (false, true) => format!("{what} removed: {}", describe(&o, old)),
                _ => format!("{what} changed: {} → {}", describe(&o, old), describe(&n, new)),
            }
        };
        let mut hit = false;
        // "May" inside a sentence is a month; "may" is a modal.
        let is_month = |s: &Side<'_>, i: usize, t: &Token, key: &str| {
            crate::lines::MONTHS.contains(&key)
                && (key != "may" || (t.text(s.text).starts_with('M') && !first_word_of_sentence(s, i)))
        };
        let is_number = |s: &Side<'_>, (i, t, k): &(usize, &Token, &String)| {
            t.kind == TokenKind::Number || is_month(s, *i, t, k)
        };
        // Which changed words a reason names (by token index), so that every
        // word added or removed ends up in the explanation.
        let mut named_old: Vec<usize> = Vec::new();
        let mut named_new: Vec<usize> = Vec::new();
        if only_old.iter().any(|x| is_number(old, x)) || only_new.iter().any(|x| is_number(new, x)) {
            push(
                &mut substantive,
                changed_by("number or date", &|x| is_number(old, x), &|x| is_number(new, x)),
            );
            mark(&mut named_old, &only_old, &|x| is_number(old, x));
            mark(&mut named_new, &only_new, &|x| is_number(new, x));
            hit = true;
        }
        let normative = |s: &Side<'_>, (i, t, k): &(usize, &Token, &String)| {
            (NORMATIVE.contains(&k.as_str()) || NORMATIVE.contains(&k.trim_end_matches('s')))
                && !is_month(s, *i, t, k)
        };
        if only_old.iter().any(|x| normative(old, x)) || only_new.iter().any(|x| normative(new, x)) {
            push(&mut substantive, changed_by("normative verb or modal", &|_| true, &|_| true));
            mark(&mut named_old, &only_old, &|_| true);
            mark(&mut named_new, &only_new, &|_| true);
            hit = true;
        }
        if only_old.iter().any(|(_, _, k)| NEGATIONS.contains(&k.as_str())) {
            push(&mut substantive, "negation removed".into());
            hit = true;
        }
        if only_new.iter().any(|(_, _, k)| NEGATIONS.contains(&k.as_str())) {
            push(&mut substantive, "negation added".into());
            hit = true;
        }
        let named = |s: &Side<'_>, (i, t, k): &(usize, &Token, &String)| {
            if is_month(s, *i, t, k) {
                return false;
            }
            let w = t.text(s.text);
            let upper_initial = w.chars().next().is_some_and(char::is_uppercase);
            let acronym =
                w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && w.chars().all(|c| !c.is_lowercase());
            t.kind == TokenKind::Word && (acronym || (upper_initial && !first_word_of_sentence(s, *i)))
        };
        if only_old.iter().any(|x| named(old, x)) || only_new.iter().any(|x| named(new, x)) {
            push(
                &mut substantive,
                changed_by("named body or document", &|x| named(old, x), &|x| named(new, x)),
            );
            mark(&mut named_old, &only_old, &|x| named(old, x));
            mark(&mut named_new, &only_new, &|x| named(new, x));
            hit = true;
        }
        // A content word added to or removed from a bracketed phrase changes
        // what is being negotiated ("[on voluntary and mutually agreed terms]").
        // (Words another reason names are not named twice.)
        let (no, nn) = (named_old.clone(), named_new.clone());
        let in_bracket = |s: &Side<'_>, named: &[usize], (i, t, _): &(usize, &Token, &String)| {
            !named.contains(i) && s.brackets.iter().any(|&(a, b)| t.start >= a && t.end <= b)
        };
        let (bo, bn) = (
            |x: &(usize, &Token, &String)| in_bracket(old, &no, x),
            |x: &(usize, &Token, &String)| in_bracket(new, &nn, x),
        );
        let content_in = |x: &(usize, &Token, &String), on: &dyn Fn(&(usize, &Token, &String)) -> bool| {
            on(x) && is_content(x.1, x.2)
        };
        if only_old.iter().any(|x| content_in(x, &bo)) || only_new.iter().any(|x| content_in(x, &bn)) {
            // The whole run inside the brackets is named, its small words too
            // ("and in accordance with national legislation"), so that what
            // is left reads as what it is.
            push(&mut substantive, changed_by("word of a bracketed phrase", &bo, &bn));
            mark(&mut named_old, &only_old, &bo);
            mark(&mut named_new, &only_new, &bn);
            hit = true;
        }
        let in_reference =
            |s: &Side<'_>, t: &Token| s.references.iter().any(|&(a, b)| t.start < b && t.end > a);
        if only_old.iter().any(|(_, t, _)| in_reference(old, t))
            || only_new.iter().any(|(_, t, _)| in_reference(new, t))
        {
            push(&mut substantive, "reference changed".into());
            hit = true;
        }
        let content = |v: &[(usize, &Token, &String)]| v.iter().filter(|(_, t, k)| is_content(t, k)).count();
        changed_content += content(&only_old).max(content(&only_new));
        // The words no reason named, so that none goes unexplained.
        let rest_old: Vec<(usize, &Token, &String)> =
            only_old.iter().copied().filter(|x| !named_old.contains(&x.0)).collect();
        let rest_new: Vec<(usize, &Token, &String)> =
            only_new.iter().copied().filter(|x| !named_new.contains(&x.0)).collect();
        if !rest_old.is_empty() || !rest_new.is_empty() {
            let (how, words) = match (rest_old.is_empty(), rest_new.is_empty()) {
                (true, false) => ("added: ", describe(&rest_new, new)),
                (false, true) => ("removed: ", describe(&rest_old, old)),
                _ => ("changed: ", format!("{} → {}", describe(&rest_old, old), describe(&rest_new, new))),
            };
            if hit {
                wording.push(format!("words {how}{words}"));
            } else {
                let how = if how == "changed: " { "" } else { how };
                push(&mut marginal, format!("minor rewording: {how}{words}"));
            }
        }
    }
    let total = old.content_words.max(new.content_words).max(1);
    let share = changed_content as f64 / total as f64;
    if share >= 0.3 {
        push(&mut substantive, format!("{:.0}% of the content words changed", share * 100.0));
    }
    if substantive.is_empty() {
        if marginal.is_empty() {
            marginal.push("spacing".into());
        }
        (Class::Marginal, marginal)
    } else {
        for w in wording {
            push(&mut substantive, w);
        }
        // Marginal edits in other places are words too.
        for m in marginal.iter().filter_map(|m| m.strip_prefix("minor rewording: ")) {
            let w = if m.starts_with("added: ") || m.starts_with("removed: ") {
                format!("words {m}")
            } else {
                format!("words changed: {m}")
            };
            push(&mut substantive, w);
        }
        (Class::Substantive, substantive)
    }
}
