//! Applying a proposal's edit, or a bracket resolution, to a paragraph's text.
//!
//! A proposal is tabled against the text of one draft, but it is accepted
//! into the working text, which co-facilitators may have changed since. So an
//! edit carries the text it touches (its `quote`) and a little of what stands
//! before it: if the span no longer holds the quote, the quote is looked for
//! again, and the edit applies only where it is found exactly once. Anything
//! else is a conflict for a person to settle, never a guess.

use super::{BracketResolution, Edit};
use crate::model::Bracket;

/// Why an edit cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The span ends before it starts.
    #[error("span [{start}, {end}] is reversed: it ends before it starts")]
    Reversed {
        /// Span start.
        start: u32,
        /// Span end.
        end: u32,
    },
    /// The span lies outside the text.
    #[error("span [{start}, {end}] is outside the paragraph text ({len} characters)")]
    OutOfRange {
        /// Span start.
        start: u32,
        /// Span end.
        end: u32,
        /// Text length in characters.
        len: u32,
    },
    /// A span edge falls between a letter and its combining marks (`é`
    /// written as `e` + `◌́`), which would tear the letter apart.
    #[error("the span edge at character {at} falls inside \"{cluster}\", a letter and its marks; move it before or after")]
    SplitsLetter {
        /// The character offset of the edge.
        at: u32,
        /// The letter with its marks.
        cluster: String,
    },
    /// A span that must hold text is empty.
    #[error("the span is empty; {0} needs at least one character")]
    Empty(&'static str),
    /// The quoted text is no longer in the paragraph.
    #[error("the text this edit changes (\"{0}\") is no longer in the paragraph")]
    Gone(String),
    /// The quoted text is there more than once: where to apply is unclear.
    #[error("the text this edit changes (\"{0}\") now occurs {1} times in the paragraph")]
    Ambiguous(String, usize),
    /// The bracket cannot be resolved this way.
    #[error("{0}")]
    Bracket(String),
}

/// Number of characters of context kept before a span to find it again.
pub(crate) const CONTEXT_CHARS: usize = 32;

/// Byte offset of character `n` of `text` (its length when `n` is the end).
fn byte_at(text: &str, n: u32) -> Option<usize> {
    let n = n as usize;
    if n == 0 {
        return Some(0);
    }
    match text.char_indices().nth(n) {
        Some((b, _)) => Some(b),
        None if text.chars().count() == n => Some(text.len()),
        None => None,
    }
}

/// The byte range of a character span, checked against `text`.
pub(crate) fn byte_span(text: &str, [start, end]: [u32; 2]) -> Result<(usize, usize), EditError> {
    if start > end {
        return Err(EditError::Reversed { start, end });
    }
    let len = text.chars().count() as u32;
    if end > len {
        return Err(EditError::OutOfRange { start, end, len });
    }
    Ok((byte_at(text, start).unwrap_or(0), byte_at(text, end).unwrap_or(text.len())))
}

/// Checks that byte offset `at` (character `n`) of `text` lies between two
/// extended grapheme clusters, not inside a letter with its marks.
fn check_letter_edge(text: &str, at: usize, n: u32) -> Result<(), EditError> {
    use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};
    if GraphemeCursor::new(at, text.len(), true).is_boundary(text, 0).unwrap_or(true) {
        return Ok(());
    }
    let cluster = text
        .grapheme_indices(true)
        .find(|(i, g)| *i < at && at < i + g.len())
        .map_or_else(String::new, |(_, g)| g.to_string());
    Err(EditError::SplitsLetter { at: n, cluster })
}

/// What an edit's span holds and what stands before it, when it was tabled.
/// With `whole_letters`, the span must not tear a letter from its combining
/// marks (a rule newer than some recorded proposals).
pub(crate) fn quote_of(text: &str, edit: &Edit, whole_letters: bool) -> Result<(String, String), EditError> {
    let Some(span) = edit.span() else { return Ok((String::new(), String::new())) };
    let (a, b) = byte_span(text, span)?;
    if whole_letters {
        check_letter_edge(text, a, span[0])?;
        check_letter_edge(text, b, span[1])?;
    }
    if a == b && !matches!(edit, Edit::Insert { .. }) {
        return Err(EditError::Empty(edit.kind()));
    }
    let before: String = {
        let head = &text[..a];
        let skip = head.chars().count().saturating_sub(CONTEXT_CHARS);
        head.chars().skip(skip).collect()
    };
    Ok((text[a..b].to_string(), before))
}

/// Where the edit applies in `text` now: the byte range of its quote.
fn locate(text: &str, span: [u32; 2], quote: &str, before: &str) -> Result<(usize, usize), EditError> {
    if let Ok((a, b)) = byte_span(text, span) {
        if &text[a..b] == quote && text[..a].ends_with(before) {
            return Ok((a, b));
        }
    }
    let with_context = format!("{before}{quote}");
    let found: Vec<usize> = text.match_indices(&with_context).map(|(i, _)| i + before.len()).collect();
    if found.len() == 1 {
        return Ok((found[0], found[0] + quote.len()));
    }
    if quote.is_empty() {
        return Err(if found.is_empty() {
            EditError::Gone(before.to_string())
        } else {
            EditError::Ambiguous(before.to_string(), found.len())
        });
    }
    let found: Vec<usize> = text.match_indices(quote).map(|(i, _)| i).collect();
    match found.len() {
        1 => Ok((found[0], found[0] + quote.len())),
        0 => Err(EditError::Gone(quote.to_string())),
        n => Err(EditError::Ambiguous(quote.to_string(), n)),
    }
}

/// Replaces `text[a..b]` by `with`, tidying the join: no doubled space and no
/// space left before punctuation where text was taken out.
fn splice(text: &str, a: usize, b: usize, with: &str) -> String {
    let mut head = text[..a].to_string();
    let mut tail = &text[b..];
    if with.is_empty() {
        if head.ends_with(' ') && (tail.starts_with(' ') || tail.is_empty()) {
            head.pop();
        }
        if head.ends_with(' ') && tail.starts_with([',', '.', ';', ':']) {
            head.pop();
        }
        if head.is_empty() {
            tail = tail.trim_start();
        }
    }
    let mut out = String::with_capacity(head.len() + with.len() + tail.len());
    out.push_str(&head);
    out.push_str(with);
    out.push_str(tail);
    out
}

/// Applies a text edit to `text`. `quote` and `before` are what
/// [`quote_of`] recorded when the edit was tabled. Paragraph-level edits (add,
/// delete, move) do not change text and are returned unchanged.
pub fn apply_edit(text: &str, edit: &Edit, quote: &str, before: &str) -> Result<String, EditError> {
    let Some(span) = edit.span() else { return Ok(text.to_string()) };
    let (a, b) = locate(text, span, quote, before)?;
    Ok(match edit {
        Edit::Insert { text: ins, .. } => splice(text, a, a, ins),
        Edit::Delete { .. } => splice(text, a, b, ""),
        Edit::Replace { text: with, .. } => splice(text, a, b, with),
        Edit::Bracket { .. } => splice(text, a, b, &format!("[{}]", &text[a..b])),
        Edit::Alternatives { alternatives, .. } => {
            let own = text[a..b].trim_start_matches('[').trim_end_matches(']');
            let mut all = vec![own.to_string()];
            all.extend(alternatives.iter().map(|s| s.trim().to_string()));
            splice(text, a, b, &format!("[{}]", all.join("/")))
        }
        _ => text.to_string(),
    })
}

/// Resolves `bracket` (one of `text`'s brackets) as the co-facilitator says.
pub fn resolve_bracket(text: &str, bracket: &Bracket, how: &BracketResolution) -> Result<String, EditError> {
    let (a, b) = byte_span(text, [bracket.start, bracket.end])?;
    let span = &text[a..b];
    let open = !bracket.opens_before && span.starts_with('[');
    let close = !bracket.closes_after && span.ends_with(']');
    let inner = &span[usize::from(open)..span.len() - usize::from(close)];
    match how {
        BracketResolution::Keep => Ok(splice(text, a, b, inner)),
        BracketResolution::Delete if bracket.opens_before || bracket.closes_after => Err(EditError::Bracket(
            "this bracket spans more than one paragraph; delete its text with a compromise text in each"
                .into(),
        )),
        BracketResolution::Delete => Ok(splice(text, a, b, "")),
        BracketResolution::Choose { alternative } => {
            let Some(alts) = &bracket.alternatives else {
                return Err(EditError::Bracket(format!(
                    "bracket {span} holds no alternatives to choose from"
                )));
            };
            let Some(chosen) = alts.get(*alternative) else {
                return Err(EditError::Bracket(format!(
                    "bracket {span} has {} alternatives; there is no alternative {alternative}",
                    alts.len()
                )));
            };
            Ok(splice(text, a, b, chosen))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, edit: Edit) -> Result<String, EditError> {
        let (q, b) = quote_of(text, &edit, true)?;
        apply_edit(text, &edit, &q, &b)
    }

    #[test]
    fn edits_apply_at_their_span() {
        let t = "We agree to act by 2030, with all partners.";
        assert_eq!(
            apply(t, Edit::Insert { at: 11, text: " swiftly".into() }).unwrap(),
            "We agree to swiftly act by 2030, with all partners."
        );
        assert_eq!(apply(t, Edit::Delete { span: [23, 42] }).unwrap(), "We agree to act by 2030.");
        assert_eq!(
            apply(t, Edit::Replace { span: [19, 23], text: "2035".into() }).unwrap(),
            "We agree to act by 2035, with all partners."
        );
        assert_eq!(
            apply(t, Edit::Bracket { span: [19, 23] }).unwrap(),
            "We agree to act by [2030], with all partners."
        );
        assert_eq!(
            apply(t, Edit::Alternatives { span: [19, 23], alternatives: vec!["2035".into()] }).unwrap(),
            "We agree to act by [2030/2035], with all partners."
        );
        assert!(matches!(apply(t, Edit::Delete { span: [3, 3] }), Err(EditError::Empty(_))));
        assert!(matches!(apply(t, Edit::Delete { span: [3, 99] }), Err(EditError::OutOfRange { .. })));
        // A reversed span was called "outside the paragraph".
        let reversed = apply(t, Edit::Delete { span: [9, 3] }).unwrap_err();
        assert_eq!(reversed, EditError::Reversed { start: 9, end: 3 });
        assert_eq!(reversed.to_string(), "span [9, 3] is reversed: it ends before it starts");
    }

    /// A span may not end between a base letter and its combining marks.
    #[test]
    fn spans_keep_letters_and_their_marks_together() {
        // "Décide" with é as e + U+0301, and Hindi "नमस्ते" (conjuncts).
        let t = "De\u{301}cide d'agir.";
        let e = apply(t, Edit::Replace { span: [0, 2], text: "X".into() }).unwrap_err();
        assert_eq!(e, EditError::SplitsLetter { at: 2, cluster: "e\u{301}".into() });
        assert!(e.to_string().contains("character 2"), "{e}");
        assert!(matches!(
            apply(t, Edit::Insert { at: 2, text: "x".into() }),
            Err(EditError::SplitsLetter { .. })
        ));
        assert_eq!(apply(t, Edit::Replace { span: [0, 3], text: "Dé".into() }).unwrap(), "Décide d'agir.");
        let hindi = "नमस्ते दुनिया";
        assert!(apply(hindi, Edit::Delete { span: [0, 1] }).is_ok());
        assert!(matches!(apply(hindi, Edit::Delete { span: [0, 4] }), Err(EditError::SplitsLetter { .. })));
    }

    #[test]
    fn edits_follow_their_quote_into_changed_text() {
        let t = "We agree to act by 2030.";
        let edit = Edit::Replace { span: [19, 23], text: "2035".into() };
        let (q, b) = quote_of(t, &edit, true).unwrap();
        let changed = "Member States agree to act by 2030.";
        assert_eq!(apply_edit(changed, &edit, &q, &b).unwrap(), "Member States agree to act by 2035.");
        assert!(matches!(apply_edit("Nothing here.", &edit, &q, &b), Err(EditError::Gone(_))));
        assert!(matches!(
            apply_edit("From 2030 to 2030 and 2030.", &edit, &q, &b),
            Err(EditError::Ambiguous(_, 3))
        ));
    }

    #[test]
    fn brackets_resolve() {
        let t = "Held in [2020/2025] at [the latest].";
        let draft = crate::parse(&format!("1. {t}\n"));
        let bs = &draft.paragraphs[0].brackets;
        assert_eq!(
            resolve_bracket(t, &bs[0], &BracketResolution::Choose { alternative: 1 }).unwrap(),
            "Held in 2025 at [the latest]."
        );
        assert_eq!(
            resolve_bracket(t, &bs[1], &BracketResolution::Keep).unwrap(),
            "Held in [2020/2025] at the latest."
        );
        assert_eq!(
            resolve_bracket(t, &bs[1], &BracketResolution::Delete).unwrap(),
            "Held in [2020/2025] at."
        );
        assert!(resolve_bracket(t, &bs[1], &BracketResolution::Choose { alternative: 0 }).is_err());
        assert!(resolve_bracket(t, &bs[0], &BracketResolution::Choose { alternative: 2 }).is_err());
    }
}
