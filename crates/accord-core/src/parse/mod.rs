//! The parser for drafts as they arrive: text extracted from a PDF or a Word
//! file, with or without page breaks, wrapped at a page width or one line
//! per paragraph.
//!
//! It runs in passes, each owning one decision:
//! 1. [`crate::source`]: lines, page breaks;
//! 2. [`crate::furniture`]: page headers, footers, page numbers, footnotes;
//! 3. [`segment`]: where the document starts (after any covering letters), then
//!    the body, line by line, into units (headings and paragraphs), joining
//!    wrapped lines and paragraphs broken across pages;
//! 4. [`crate::front`]: letters, title and date line in front of the document;
//! 5. [`assemble`] (and [`numbering`]'s checks): labels to numbers and ids, status tags, preambular or
//!    operative, sub-paragraphs and options to their parents, numbering checks;
//! 6. [`crate::brackets`] over the whole body, [`crate::references`] per paragraph.
//!
//! It never fails and never panics: whatever it cannot place it still keeps,
//! and says so in a diagnostic with line and column.

// foldhash: ids come from the draft, so keep some resistance to crafted
// collisions, at a fraction of SipHash's cost on a hot path.
use foldhash::HashMap;

use crate::brackets::{self, Locate};
use crate::canonical;
use crate::front;
use crate::furniture::{self, Role};
use crate::label::{self, Label, LabelKind};
use crate::lines::{self, Ending};
use crate::markdown;
use crate::model::*;
use crate::references;
use crate::source::{self, SrcLine};
use crate::status;

mod assemble;
mod numbering;
mod segment;

pub(crate) use assemble::assemble;
use assemble::*;
use numbering::*;
pub(crate) use segment::is_chapeau;
use segment::*;

/// Parses a draft. Reads Accord's canonical form when the text starts with
/// its header line, and plain text otherwise. Never fails: problems are
/// reported in [`Draft::diagnostics`].
pub fn parse(text: &str) -> Draft {
    if canonical::is_canonical(text) {
        return canonical::read(text);
    }
    if markdown::is_markdown(text) {
        let (cut, marks) = cut_markdown(text);
        return with_emphasis(build(cut), marks);
    }
    let cut = cut(text, &[]);
    build(cut)
}

/// The emphasis a Markdown draft's lines carried: the plain text (kept only
/// when there is emphasis to place) and the spans.
type Marks = (String, Vec<markdown::LineSpan>);

/// The draft with the Markdown emphasis laid on its paragraphs.
fn with_emphasis(mut draft: Draft, (plain, spans): Marks) -> Draft {
    markdown::place_emphasis(&mut draft, &plain, &spans);
    draft
}

/// Markdown turned into the plain shape line for line, cut with its `#`
/// lines as headings, and what the conversion set aside put back.
fn cut_markdown(text: &str) -> (Cut, Marks) {
    let mut plain = markdown::to_plain(text);
    let spans = std::mem::take(&mut plain.emphasis);
    let mut cut = cut(&plain.text, &plain.headings);
    cut.footnotes.extend(plain.footnotes);
    cut.furniture.extend(plain.furniture);
    cut.furniture.sort_by_key(|l| l.line);
    let mut front = plain.front_matter;
    front.append(&mut cut.front.front_matter);
    cut.front.front_matter = front;
    let kept = if spans.is_empty() { String::new() } else { plain.text };
    (cut, (kept, spans))
}

/// As [`parse`], taking the text by value: it is freed as soon as the lines
/// are cut into units (whose texts are copies), so a large input and the
/// model built from it are never in memory at the same time in full.
pub fn parse_owned(text: String) -> Draft {
    if canonical::is_canonical(&text) {
        return canonical::read(&text);
    }
    if markdown::is_markdown(&text) {
        let (cut, marks) = cut_markdown(&text);
        drop(text);
        return with_emphasis(build(cut), marks);
    }
    let cut = cut(&text, &[]);
    drop(text);
    build(cut)
}

/// What the first stage takes from the text: everything owned, nothing
/// borrowed, so the text can go before the model is built.
struct Cut {
    front: front::Front,
    furniture: Vec<crate::model::Line>,
    footnotes: Vec<crate::model::Footnote>,
    units: Vec<Unit>,
}

/// `headings`: 1-based lines known to be headings (Markdown `#` lines), sorted.
fn cut(text: &str, headings: &[u32]) -> Cut {
    let src = source::split_lines(text);
    let layout = furniture::detect(&src);
    let mut body: Vec<SrcLine<'_>> = Vec::with_capacity(src.len());
    body.extend(src.iter().zip(&layout.roles).filter(|(_, r)| **r == Role::Body).map(|(l, _)| *l));
    drop(src);
    let start = document_start(&body);
    let front = front::read(&body[..start]);
    let units = segment(&body[start..], headings);
    Cut { front, furniture: layout.furniture, footnotes: layout.footnotes, units }
}

fn build(cut: Cut) -> Draft {
    let Cut { front, furniture, footnotes, units } = cut;
    let mut draft = Draft {
        title: front.title,
        title_status: front.title_status,
        title_status_note: front.title_status_note,
        date: front.date,
        front_matter: front.front_matter,
        letters: front.letters,
        furniture,
        footnotes,
        ..Draft::default()
    };
    assemble(units, &mut draft);
    draft
}

/// A heading or paragraph as cut from the lines, before interpretation.
#[derive(Debug)]
pub(crate) struct Unit {
    pub heading: bool,
    pub label: Option<Label>,
    /// For headings: the number as written (`4.1.`).
    pub written: Option<String>,
    pub text: String,
    /// (character offset in `text`, source line, source column) at each line start.
    pub segments: Vec<(u32, u32, u32)>,
    pub chars: u32,
    pub first_line: u32,
    /// Column of the unit's first character (its label, when it has one).
    pub first_column: u32,
    pub last_line: u32,
    /// The raw last line, to judge whether the next line continues it.
    pub last_raw_len: usize,
    pub last_text_ending: Ending,
}

impl Unit {
    fn new(heading: bool, label: Option<Label>, line: &SrcLine<'_>) -> Unit {
        let t = line.text();
        // `[Article 3 ter] (COOPERATION)`: a heading whose number alone is
        // bracketed keeps its brackets in the number as written, not an
        // empty `[]` in its title.
        let closed = label.as_ref().filter(|l| {
            heading && l.leading_brackets > 0 && t[l.rest..].starts_with(&"]".repeat(l.leading_brackets))
        });
        let (text, segments) = match &label {
            Some(l) if closed.is_some() => {
                let rest = t[l.rest + l.leading_brackets..].trim_start();
                let col = line.text_column() + t[..t.len() - rest.len()].chars().count() as u32;
                (rest.to_owned(), vec![(0, line.no, col)])
            }
            Some(l) => {
                let rest = &t[l.rest..];
                let label_chars = t[..l.rest].chars().count() as u32;
                let col = line.text_column();
                let mut text = "[".repeat(l.leading_brackets);
                text.push_str(rest);
                let mut segs = vec![(0, line.no, col)];
                if l.leading_brackets > 0 {
                    segs.push((l.leading_brackets as u32, line.no, col + label_chars));
                } else {
                    segs[0].2 = col + label_chars;
                }
                (text, segs)
            }
            None => (t.to_owned(), vec![(0, line.no, line.text_column())]),
        };
        let chars = text.chars().count() as u32;
        let written = match (&label, heading) {
            (Some(l), true) if closed.is_some() => Some(t[..l.rest + l.leading_brackets].to_owned()),
            (Some(l), true) => Some(t[l.leading_brackets..l.written_end].to_owned()),
            _ => None,
        };
        Unit {
            heading,
            label,
            written,
            last_text_ending: unit_ending(&text),
            text,
            segments,
            chars,
            first_line: line.no,
            first_column: line.text_column(),
            last_line: line.no,
            last_raw_len: line.raw.chars().count(),
        }
    }

    fn push_line(&mut self, line: &SrcLine<'_>) {
        let t = line.text();
        let before = self.text.len();
        lines::join_onto(&mut self.text, t);
        let added_space = self.text.len() - before > t.len();
        let offset = self.chars + u32::from(added_space && before > 0);
        self.segments.push((offset, line.no, line.text_column()));
        self.chars = offset + t.chars().count() as u32;
        self.last_line = line.no;
        self.last_raw_len = line.raw.chars().count();
        self.last_text_ending = unit_ending(t);
    }

    fn is_label_only(&self) -> bool {
        self.label.is_some() && self.text.trim().is_empty()
    }
}
