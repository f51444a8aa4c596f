//! A paragraph's text as Akoma Ntoso inline markup: brackets as nested
//! `<inline name="bracket">` (holding their own `[` `]`), alternatives as
//! `<inline name="option">`, references as `ref` — each with the model's
//! facts about it in Accord's attributes, so the reader restores them
//! without deriving them again. Emphasis is innermost: `<b>`, `<i>`, `<u>`
//! around the characters, cut wherever an element begins or ends. Every
//! character is written exactly once.

use accord_core::{Bracket, Emphasis, Reference, ReferenceKind};

use super::xml::{attr, id_part, text};

/// Writes a paragraph's characters with brackets and references as elements.
pub(crate) struct Inlines<'a> {
    pub(crate) out: &'a mut String,
    pub(crate) text: &'a str,
    /// Byte offset of each character (and of the end), for character offsets.
    pub(crate) at: &'a [usize],
    pub(crate) refs: &'a [&'a Reference],
    /// The paragraph's bold, italic and underlined spans.
    pub(crate) emphasis: &'a [Emphasis],
    /// Brackets and references written as elements.
    pub(crate) written: usize,
}

impl Inlines<'_> {
    fn chars(&mut self, a: u32, b: u32) {
        if self.emphasis.is_empty() || a >= b {
            text(self.out, &self.text[self.at[a as usize]..self.at[b as usize]], true);
            return;
        }
        let local = accord_core::emphasis::slice(self.emphasis, a, b);
        for (x, y, style) in accord_core::emphasis::pieces(b - a, &local) {
            let tags = [(style.bold, "b"), (style.italic, "i"), (style.underline, "u")];
            for (_, tag) in tags.iter().filter(|t| t.0) {
                self.out.push_str(&format!("<{tag}>"));
            }
            text(self.out, &self.text[self.at[(a + x) as usize]..self.at[(a + y) as usize]], true);
            for (_, tag) in tags.iter().rev().filter(|t| t.0) {
                self.out.push_str(&format!("</{tag}>"));
            }
        }
    }

    /// Text from `a` to `b` with the references lying wholly inside it.
    fn run(&mut self, a: u32, b: u32) {
        let mut pos = a;
        let first = self.refs.partition_point(|r| r.start < a);
        for r in &self.refs[first..] {
            if r.start >= b {
                break;
            }
            if r.start < pos || r.end > b || r.end <= r.start {
                continue;
            }
            self.chars(pos, r.start);
            self.out.push_str("<ref");
            attr(self.out, "href", &ref_href(r));
            attr(self.out, "class", r.kind_name());
            if let Some(x) = &r.symbol {
                attr(self.out, "accord:symbol", x);
            }
            if !r.targets.is_empty() {
                attr(self.out, "accord:targets", &serde_json::to_string(&r.targets).unwrap_or_default());
            }
            if let Some(x) = &r.document {
                attr(self.out, "accord:document", x);
            }
            self.written += 1;
            self.out.push('>');
            self.chars(r.start, r.end);
            self.out.push_str("</ref>");
            pos = r.end;
        }
        if b > pos {
            self.chars(pos, b);
        }
    }

    /// Characters `from..to`, exactly once each, brackets in `brackets`
    /// (sorted by start, outermost first) as nested `inline` elements.
    pub(crate) fn span(&mut self, from: u32, to: u32, brackets: &[&Bracket]) {
        let mut pos = from;
        let mut i = 0;
        while i < brackets.len() {
            let b = brackets[i];
            if b.start < pos || b.end > to || b.end < b.start {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < brackets.len() && brackets[j].start < b.end {
                j += 1;
            }
            self.run(pos, b.start);
            self.out.push_str("<inline name=\"bracket\"");
            match (b.opens_before, b.closes_after) {
                (true, true) => self.out.push_str(" class=\"opens-before closes-after\""),
                (true, false) => self.out.push_str(" class=\"opens-before\""),
                (false, true) => self.out.push_str(" class=\"closes-after\""),
                _ => {}
            }
            attr(self.out, "accord:depth", &b.depth.to_string());
            if let Some(a) = &b.alternatives {
                attr(self.out, "accord:alternatives", &serde_json::to_string(a).unwrap_or_default());
            }
            if b.follows_bracket {
                self.out.push_str(" accord:follows=\"true\"");
            }
            self.written += 1;
            self.out.push('>');
            let inner_from = if b.opens_before || b.start == b.end { b.start } else { b.start + 1 };
            let inner_to = if b.closes_after { b.end } else { b.end.saturating_sub(1).max(inner_from) };
            self.chars(b.start, inner_from);
            if b.alternatives.is_some() && j == i + 1 {
                self.options(inner_from, inner_to);
            } else {
                self.span(inner_from, inner_to, &brackets[i + 1..j]);
            }
            self.chars(inner_to, b.end);
            self.out.push_str("</inline>");
            pos = b.end;
            i = j;
        }
        if to > pos {
            self.run(pos, to);
        }
    }

    /// The `/`-separated alternatives of a bracket, each an `option`.
    fn options(&mut self, from: u32, to: u32) {
        let mut start = from;
        for k in from..=to {
            if k == to || self.text.as_bytes()[self.at[k as usize]] == b'/' {
                self.out.push_str("<inline name=\"option\">");
                self.run(start, k);
                self.out.push_str("</inline>");
                if k < to {
                    self.out.push('/');
                }
                start = k + 1;
            }
        }
    }
}

trait KindName {
    fn kind_name(&self) -> &'static str;
}

impl KindName for Reference {
    fn kind_name(&self) -> &'static str {
        match self.kind {
            ReferenceKind::Resolution => "resolution",
            ReferenceKind::Document => "document",
            ReferenceKind::Paragraph => "paragraph",
            ReferenceKind::Article => "article",
        }
    }
}

/// Where a reference points: the UN's document system for symbols, the
/// cited text's name otherwise.
fn ref_href(r: &Reference) -> String {
    match (&r.symbol, r.kind) {
        (Some(s), ReferenceKind::Resolution)
            if s.split('/').count() == 2 && s.bytes().all(|b| b.is_ascii_digit() || b == b'/') =>
        {
            format!("https://undocs.org/A/RES/{s}")
        }
        (Some(s), _) => format!("https://undocs.org/{s}"),
        (None, _) => {
            let name = r.document.as_deref().map(id_part).unwrap_or_default();
            let targets = r.targets.join("-");
            format!("#{}{}{}", r.kind_name(), if name.is_empty() { "" } else { "__" }, name)
                + &if targets.is_empty() { String::new() } else { format!("__{}", id_part(&targets)) }
        }
    }
}
