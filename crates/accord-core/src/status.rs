//! Status tags: `[Suggested for Closure]`, `[Suggested for Closure, given new
//! figures]`, `[Agreed ad ref]`, `[Agreed]`. They look like brackets but are
//! the co-facilitators' notes on a paragraph, not text under negotiation, so
//! they are read here and taken out of the paragraph's text.

use crate::model::Status;

/// Reads the inside of a bracket as a status tag, with its qualifier.
pub(crate) fn read_tag(inner: &str) -> Option<(Status, Option<String>)> {
    let t = inner.trim();
    let phrases: &[(&str, Status)] = &[
        ("suggested for closure", Status::SuggestedForClosure),
        ("proposed for closure", Status::SuggestedForClosure),
        ("agreed ad referendum", Status::AgreedAdRef),
        ("agreed ad ref.", Status::AgreedAdRef),
        ("agreed ad ref", Status::AgreedAdRef),
        ("agreed ad-ref", Status::AgreedAdRef),
        ("ad ref.", Status::AgreedAdRef),
        ("ad ref", Status::AgreedAdRef),
        ("agreed", Status::Agreed),
    ];
    for (phrase, status) in phrases {
        if let Some(rest) = strip_prefix_ci(t, phrase) {
            // The phrase ends the tag, or punctuation separates a qualifier:
            // "[Agreed ad ref]", "[Suggested for Closure, given new figures]";
            // "[agreed language]" is bracketed text.
            let after = rest.trim_start();
            if !after.is_empty() && !after.starts_with([',', ';', ':', '(', '–', '-', '—', '.']) {
                return None;
            }
            let note = after.trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, ',' | ';' | ':' | '–' | '-' | '—')
            });
            let note = note.trim_start_matches(['(', '.']).trim_end_matches([')', '.']).trim();
            if !note.is_empty() && note.split_whitespace().count() > 12 {
                return None;
            }
            return Some((*status, (!note.is_empty()).then(|| note.to_owned())));
        }
    }
    None
}

/// `text` without `prefix` (ASCII, lower-case), compared case-insensitively.
fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

/// A status tag found at the start or end of a paragraph's text.
pub(crate) struct Tagged {
    pub status: Status,
    pub note: Option<String>,
    /// Byte range of the tag (with the spaces that separated it) in the text.
    pub range: std::ops::Range<usize>,
}

/// Finds a status tag at the end (the usual place) or at the start of `text`.
pub(crate) fn find_tag(text: &str) -> Option<Tagged> {
    let trimmed = text.trim_end();
    if trimmed.ends_with(']') {
        // Walk back to the matching '['.
        let bytes = trimmed.as_bytes();
        let mut depth = 0i32;
        for i in (0..bytes.len()).rev() {
            match bytes[i] {
                b']' => depth += 1,
                b'[' => {
                    depth -= 1;
                    if depth == 0 {
                        if let Some((status, note)) = read_tag(&trimmed[i + 1..trimmed.len() - 1]) {
                            let start = text[..i].trim_end().len();
                            return Some(Tagged { status, note, range: start..text.len() });
                        }
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    let lead = text.trim_start();
    if lead.starts_with('[') {
        let offset = text.len() - lead.len();
        if let Some(close) = lead.find(']') {
            if !lead[1..close].contains('[') {
                if let Some((status, note)) = read_tag(&lead[1..close]) {
                    let after = lead[close + 1..].trim_start();
                    let end = text.len() - after.len();
                    return Some(Tagged { status, note, range: offset..end });
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tags() {
        assert_eq!(read_tag("Suggested for Closure"), Some((Status::SuggestedForClosure, None)));
        assert_eq!(
            read_tag("Suggested for Closure, given new figures"),
            Some((Status::SuggestedForClosure, Some("given new figures".into())))
        );
        assert_eq!(read_tag("Agreed ad ref"), Some((Status::AgreedAdRef, None)));
        assert_eq!(read_tag("agreed ad referendum"), Some((Status::AgreedAdRef, None)));
        assert_eq!(read_tag("Agreed"), Some((Status::Agreed, None)));
        assert_eq!(
            read_tag("Agreed (pending Article 4)"),
            Some((Status::Agreed, Some("pending Article 4".into())))
        );
        assert_eq!(read_tag("agreed language"), None);
        assert_eq!(read_tag("agreedly"), None);
        assert_eq!(read_tag("foreign"), None);
    }

    #[test]
    fn finds_tag_at_end_not_bracketed_text() {
        let t = "We welcome it. [Suggested for Closure]";
        let tag = find_tag(t).unwrap();
        assert_eq!(&t[..tag.range.start], "We welcome it.");
        assert!(find_tag("[The group will submit a report]").is_none());
        assert!(find_tag("text [foreign] occupation").is_none());
        let t = "[Agreed ad ref] We decide.";
        let tag = find_tag(t).unwrap();
        assert_eq!(&t[tag.range.end..], "We decide.");
    }
}
