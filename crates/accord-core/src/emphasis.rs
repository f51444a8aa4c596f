//! Inline emphasis (italic, bold, underline) kept beside a paragraph's text:
//! keeping spans well formed, cutting text into evenly set pieces for the
//! writers, and carrying spans across an edit of the text.
//!
//! Emphasis is a property of characters, not part of them, so every consumer
//! of the text (brackets, comparison, lineage, hashes) reads the same
//! characters whether a draft came from Word with italics or from plain text.
//!
//! **How edits move emphasis.** Any change of a paragraph's text (a proposal
//! accepted, a bracket resolved, a compromise, a revision) is seen as one
//! replacement: the old and new texts' common prefix and suffix stay, the
//! middle is replaced. Spans in the prefix stay; spans in the suffix shift;
//! a span that contains the whole replaced middle (a non-empty one from
//! edge to edge, an insertion strictly inside) stretches over the new
//! words — words replaced inside an italic verb stay italic, as in a word
//! processor. A span that only overlaps the middle keeps what lies outside
//! it: the new words are plain. Text inserted at a span's edge is plain
//! (a word added after an italic verb is not part of the verb).

use crate::model::{Emphasis, EmphasisKind};

/// How one piece of text is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Style {
    /// Set in italics.
    pub italic: bool,
    /// Set in bold.
    pub bold: bool,
    /// Underlined.
    pub underline: bool,
}

impl Style {
    /// True when the piece is set plain.
    pub fn is_plain(self) -> bool {
        self == Style::default()
    }

    fn set(&mut self, kind: EmphasisKind, on: bool) {
        match kind {
            EmphasisKind::Italic => self.italic = on,
            EmphasisKind::Bold => self.bold = on,
            EmphasisKind::Underline => self.underline = on,
        }
    }

    /// Whether this emphasis is on.
    pub fn has(self, kind: EmphasisKind) -> bool {
        match kind {
            EmphasisKind::Italic => self.italic,
            EmphasisKind::Bold => self.bold,
            EmphasisKind::Underline => self.underline,
        }
    }
}

/// The spans made well formed for a text of `len` characters: clamped to the
/// text, empty ones dropped, overlapping or touching spans of one kind
/// merged, ordered by start then kind.
pub fn normalize(mut spans: Vec<Emphasis>, len: u32) -> Vec<Emphasis> {
    spans.retain_mut(|s| {
        s.end = s.end.min(len);
        s.start < s.end
    });
    spans.sort_by_key(|s| (s.kind, s.start, s.end));
    let mut out: Vec<Emphasis> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if last.kind == s.kind && s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out.sort_by_key(|s| (s.start, s.kind));
    out
}

/// The text's characters `[0, len)` cut where the emphasis changes: each
/// piece `(start, end, style)`, covering the text without gap, in order.
pub fn pieces(len: u32, spans: &[Emphasis]) -> Vec<(u32, u32, Style)> {
    let mut cuts: Vec<u32> = vec![0, len];
    for s in spans {
        cuts.extend([s.start.min(len), s.end.min(len)]);
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2).map(|w| (w[0], w[1], style_at(spans, w[0]))).collect()
}

/// The style of the character at `at`.
pub fn style_at(spans: &[Emphasis], at: u32) -> Style {
    let mut style = Style::default();
    for s in spans.iter().filter(|s| s.start <= at && at < s.end) {
        style.set(s.kind, true);
    }
    style
}

/// The spans over `[from, to)`, made relative to `from`.
pub fn slice(spans: &[Emphasis], from: u32, to: u32) -> Vec<Emphasis> {
    spans
        .iter()
        .filter(|s| s.start < to && s.end > from)
        .map(|s| Emphasis { kind: s.kind, start: s.start.max(from) - from, end: s.end.min(to) - from })
        .collect()
}

/// Spans for pieces set as `style`, one per kind that is on (the inverse of
/// [`pieces`]; the result is normalized).
pub fn from_pieces(pieces: impl IntoIterator<Item = (u32, u32, Style)>) -> Vec<Emphasis> {
    let mut out = Vec::new();
    let mut len = 0;
    for (start, end, style) in pieces {
        len = len.max(end);
        for kind in [EmphasisKind::Italic, EmphasisKind::Bold, EmphasisKind::Underline] {
            if style.has(kind) {
                out.push(Emphasis { kind, start, end });
            }
        }
    }
    normalize(out, len)
}

/// The spans of `old` carried onto `new`, its edited text, by the rule in
/// the module documentation. Linear in the texts' lengths.
pub fn carry(old: &str, spans: &[Emphasis], new: &str) -> Vec<Emphasis> {
    if spans.is_empty() {
        return Vec::new();
    }
    if old == new {
        return spans.to_vec();
    }
    let o: Vec<char> = old.chars().collect();
    let n: Vec<char> = new.chars().collect();
    let prefix = o.iter().zip(&n).take_while(|(a, b)| a == b).count();
    let max_suffix = o.len().min(n.len()) - prefix;
    let suffix = o.iter().rev().zip(n.iter().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    let a = prefix as i64;
    let b = (o.len() - suffix) as i64;
    let delta = (n.len() - suffix) as i64 - b;
    let mut out = Vec::with_capacity(spans.len() + 1);
    let mut push = |kind, start: i64, end: i64| {
        if start < end {
            out.push(Emphasis { kind, start: start as u32, end: end as u32 });
        }
    };
    for s in spans {
        let (start, end) = (i64::from(s.start), i64::from(s.end));
        let covers = if a < b { start <= a && end >= b } else { start < a && end > a };
        if end <= a && !covers {
            push(s.kind, start, end);
        } else if start >= b && !covers {
            push(s.kind, start + delta, end + delta);
        } else if covers {
            push(s.kind, start, end + delta);
        } else {
            // Overlaps the replaced middle at one side: what lies outside stays.
            push(s.kind, start, end.min(a));
            push(s.kind, b.max(start) + delta, end + delta);
        }
    }
    normalize(out, n.len() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use EmphasisKind::*;

    fn e(kind: EmphasisKind, start: u32, end: u32) -> Emphasis {
        Emphasis { kind, start, end }
    }

    #[test]
    fn normalize_merges_clamps_and_orders() {
        let spans = vec![e(Bold, 5, 9), e(Italic, 3, 4), e(Italic, 0, 3), e(Italic, 7, 7), e(Bold, 8, 40)];
        assert_eq!(normalize(spans, 20), [e(Italic, 0, 4), e(Bold, 5, 20)]);
    }

    #[test]
    fn pieces_cover_the_text_and_invert() {
        let spans = [e(Italic, 0, 9), e(Bold, 4, 12)];
        let p = pieces(15, &spans);
        assert_eq!(p.first().map(|p| p.0), Some(0));
        assert_eq!(p.last().map(|p| p.1), Some(15));
        assert!(p.windows(2).all(|w| w[0].1 == w[1].0));
        assert_eq!(p[1], (4, 9, Style { italic: true, bold: true, underline: false }));
        assert_eq!(from_pieces(p), normalize(spans.to_vec(), 15));
    }

    #[test]
    fn words_replaced_inside_an_italic_span_stay_italic() {
        let old = "Recalling also its resolution 70/1,";
        let spans = [e(Italic, 0, 14)];
        assert_eq!(carry(old, &spans, "Recalling further its resolution 70/1,"), [e(Italic, 0, 17)]);
        // The whole span replaced: the new words take its place.
        assert_eq!(carry(old, &spans, "Noting its resolution 70/1,"), [e(Italic, 0, 6)]);
    }

    #[test]
    fn text_inserted_at_an_edge_is_plain_and_later_spans_shift() {
        let old = "Recalling its resolution";
        let spans = [e(Italic, 0, 9), e(Bold, 14, 24)];
        let new = "Recalling with concern its resolution";
        assert_eq!(carry(old, &spans, new), [e(Italic, 0, 9), e(Bold, 27, 37)]);
        let new = "Also Recalling its resolution";
        assert_eq!(carry(old, &spans, new), [e(Italic, 5, 14), e(Bold, 19, 29)]);
    }

    #[test]
    fn a_span_overlapping_the_edit_keeps_what_lies_outside() {
        let old = "aaa bbb ccc";
        let spans = [e(Bold, 2, 6)];
        // The edit swallows the whole bold span ("a bb"): nothing is left.
        assert_eq!(carry(old, &spans, "aaXcc"), []);
        // A word replaced inside it: the span stretches over the new word.
        assert_eq!(carry(old, &spans, "aaa Xbb ccc"), [e(Bold, 2, 6)]);
        assert_eq!(carry("abcdef", &[e(Italic, 0, 3)], "abXYZef"), [e(Italic, 0, 2)]);
        assert_eq!(carry("abcdef", &[e(Italic, 3, 6)], "abXYZef"), [e(Italic, 5, 7)]);
    }

    #[test]
    fn deleting_all_of_a_span_drops_it() {
        assert_eq!(carry("keep this gone", &[e(Italic, 10, 14)], "keep this "), []);
        assert_eq!(carry("x", &[e(Italic, 0, 1)], ""), []);
    }
}
