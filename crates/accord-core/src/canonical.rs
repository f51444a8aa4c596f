//! Accord's canonical text form of a draft: what `accord parse --format
//! canonical` writes and what the parser reads back to the same model.
//!
//! Plain text drafts are ambiguous (is `1. ICT for Development` a heading?);
//! the canonical form is not. It is line-oriented: one directive line per
//! element, `%kind {attributes as JSON}`, followed by the element's text on
//! the next line, verbatim, so a person can still read and diff it:
//!
//! ```text
//! %accord-draft 1
//! %title {"status":"suggested-for-closure"}
//! Outcome Document of the High-Level Meeting …
//! %heading {"id":"1.1","number":"1.1","level":2,"lines":[117,117]}
//! Bridging Digital Divides
//! %paragraph {"id":"23","number":"23","kind":"operative","heading":"1.1",…}
//! Despite the last decade's achievements …
//! ```
//!
//! Text that itself holds a line break goes into the attributes as `"text"`,
//! and no text line follows. Brackets and references are not written: they
//! are derived from the text by the same code that derives them in plain-text
//! parsing, so they cannot disagree with it.

use serde::{Deserialize, Serialize};

use crate::brackets::{self, Locate};
use crate::model::*;
use crate::references;

/// The first line of a canonical draft.
pub const HEADER: &str = "%accord-draft 1";

/// True when `text` is in canonical form.
pub fn is_canonical(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').starts_with(HEADER)
}

#[derive(Serialize, Deserialize, Default)]
struct TitleAttrs {
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    text: Option<String>,
}

#[derive(Serialize, Deserialize, Default)]
struct TextAttrs {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    text: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct HeadingAttrs {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    number: Option<String>,
    level: u8,
    lines: SourceLines,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    text: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct ParagraphAttrs {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    number: Option<String>,
    kind: ParagraphKind,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    heading: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    parent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    option: Option<String>,
    #[serde(skip_serializing_if = "is_open", default)]
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    note: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    footnotes: Vec<String>,
    lines: SourceLines,
    // Added after the first canonical drafts were stored (in event logs):
    // absent means none, and none is not written, so old texts read and
    // write back the same.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    emphasis: Vec<Emphasis>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    text: Option<String>,
}

fn is_open(s: &Status) -> bool {
    *s == Status::Open
}

#[derive(Serialize, Deserialize)]
struct FootnoteAttrs {
    marker: String,
    lines: SourceLines,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    emphasis: Vec<Emphasis>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    text: Option<String>,
}

/// Writes one record: the directive with its attributes, then the text on
/// its own line unless it holds a line break (then it goes in the attributes).
fn record<T: Serialize>(
    out: &mut String,
    kind: &str,
    attrs: &mut T,
    text: &str,
    set_text: impl FnOnce(&mut T, String),
) {
    let inline = text.contains(['\n', '\r']);
    if inline {
        set_text(attrs, text.to_owned());
    }
    out.push('%');
    out.push_str(kind);
    out.push(' ');
    out.push_str(&serde_json::to_string(attrs).unwrap_or_else(|_| "{}".into()));
    out.push('\n');
    if !inline {
        out.push_str(text);
        out.push('\n');
    }
}

/// Writes `draft` in canonical form.
pub fn write(draft: &Draft) -> String {
    let mut out =
        String::with_capacity(draft.paragraphs.iter().map(|p| p.text.len() + 120).sum::<usize>() + 1024);
    out.push_str(HEADER);
    out.push('\n');
    if let Some(title) = &draft.title {
        let mut a =
            TitleAttrs { status: draft.title_status, note: draft.title_status_note.clone(), text: None };
        record(&mut out, "title", &mut a, title, |a, t| a.text = Some(t));
    }
    if let Some(date) = &draft.date {
        record(&mut out, "date", &mut TextAttrs::default(), date, |a, t| a.text = Some(t));
    }
    for l in &draft.front_matter {
        record(&mut out, "front", &mut TextAttrs { line: Some(l.line), text: None }, &l.text, |a, t| {
            a.text = Some(t)
        });
    }
    for letter in &draft.letters {
        out.push_str("%letter ");
        out.push_str(&serde_json::to_string(letter).unwrap_or_else(|_| "{}".into()));
        out.push('\n');
    }
    let mut headings = draft.headings.iter().peekable();
    for (i, p) in draft.paragraphs.iter().enumerate() {
        while let Some(h) = headings.next_if(|h| h.first_paragraph <= i) {
            write_heading(&mut out, h);
        }
        let mut a = ParagraphAttrs {
            id: p.id.clone(),
            number: p.number.clone(),
            kind: p.kind,
            heading: p.heading.clone(),
            parent: p.parent.clone(),
            option: p.option.clone(),
            status: p.status,
            note: p.status_note.clone(),
            footnotes: p.footnotes.clone(),
            lines: p.source_lines,
            emphasis: p.emphasis.clone(),
            text: None,
        };
        record(&mut out, "paragraph", &mut a, &p.text, |a, t| a.text = Some(t));
    }
    for h in headings {
        write_heading(&mut out, h);
    }
    for f in &draft.footnotes {
        let mut a = FootnoteAttrs {
            marker: f.marker.clone(),
            lines: f.source_lines,
            emphasis: f.emphasis.clone(),
            text: None,
        };
        record(&mut out, "footnote", &mut a, &f.text, |a, t| a.text = Some(t));
    }
    for l in &draft.furniture {
        record(&mut out, "furniture", &mut TextAttrs { line: Some(l.line), text: None }, &l.text, |a, t| {
            a.text = Some(t)
        });
    }
    out
}

fn write_heading(out: &mut String, h: &Heading) {
    let mut a = HeadingAttrs {
        id: h.id.clone(),
        number: h.number.clone(),
        level: h.level,
        lines: h.source_lines,
        text: None,
    };
    record(out, "heading", &mut a, &h.title, |a, t| a.text = Some(t));
}

struct CanonicalLocate {
    /// Canonical line number of each unit's text.
    lines: Vec<u32>,
}

impl Locate for CanonicalLocate {
    fn locate(&self, unit: usize, offset: u32) -> (u32, u32) {
        (self.lines[unit], offset + 1)
    }
}

/// Reads a canonical draft. Malformed records are skipped and reported.
pub fn read(text: &str) -> Draft {
    let text = text.trim_start_matches('\u{feff}');
    let mut draft = Draft::default();
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let mut unit_texts: Vec<(bool, usize, u32)> = Vec::new(); // (is_heading, index, canonical line)
    let mut i = 1; // line 0 is the header
    while i < lines.len() {
        let line = lines[i];
        let no = (i + 1) as u32;
        i += 1;
        if line.is_empty() && i == lines.len() {
            break;
        }
        let Some(directive) = line.strip_prefix('%') else {
            bad(&mut draft, no, "a text line where a `%` directive was expected");
            continue;
        };
        let (kind, json) = directive.split_once(' ').unwrap_or((directive, "{}"));
        let json = if json.trim().is_empty() { "{}" } else { json };
        // The text: inline in the attributes, or the next line.
        let text_line = (i + 1) as u32;
        let mut take_text = |inline: &mut Option<String>| -> String {
            if let Some(t) = inline.take() {
                return t;
            }
            if i < lines.len() {
                i += 1;
                lines[i - 1].to_owned()
            } else {
                String::new()
            }
        };
        match kind {
            "title" => match serde_json::from_str::<TitleAttrs>(json) {
                Ok(mut a) => {
                    draft.title = Some(take_text(&mut a.text));
                    draft.title_status = a.status;
                    draft.title_status_note = a.note;
                }
                Err(e) => bad(&mut draft, no, &e.to_string()),
            },
            "date" | "front" | "furniture" => match serde_json::from_str::<TextAttrs>(json) {
                Ok(mut a) => {
                    let t = take_text(&mut a.text);
                    match kind {
                        "date" => draft.date = Some(t),
                        "front" => draft.front_matter.push(Line { line: a.line.unwrap_or(0), text: t }),
                        _ => draft.furniture.push(Line { line: a.line.unwrap_or(0), text: t }),
                    }
                }
                Err(e) => bad(&mut draft, no, &e.to_string()),
            },
            "letter" => match serde_json::from_str::<Letter>(json) {
                Ok(l) => draft.letters.push(l),
                Err(e) => bad(&mut draft, no, &e.to_string()),
            },
            "heading" => match serde_json::from_str::<HeadingAttrs>(json) {
                Ok(mut a) => {
                    let title = take_text(&mut a.text);
                    unit_texts.push((true, draft.headings.len(), text_line));
                    draft.headings.push(Heading {
                        id: a.id,
                        number: a.number,
                        title,
                        level: a.level,
                        first_paragraph: draft.paragraphs.len(),
                        source_lines: a.lines,
                    });
                }
                Err(e) => bad(&mut draft, no, &e.to_string()),
            },
            "paragraph" => match serde_json::from_str::<ParagraphAttrs>(json) {
                Ok(mut a) => {
                    let text = take_text(&mut a.text);
                    let text_len = text.chars().count() as u32;
                    unit_texts.push((false, draft.paragraphs.len(), text_line));
                    draft.paragraphs.push(Paragraph {
                        id: a.id,
                        number: a.number,
                        kind: a.kind,
                        heading: a.heading,
                        parent: a.parent,
                        option: a.option,
                        status: a.status,
                        status_note: a.note,
                        text,
                        brackets: Vec::new(),
                        references: Vec::new(),
                        footnotes: a.footnotes,
                        source_lines: a.lines,
                        emphasis: crate::emphasis::normalize(a.emphasis, text_len),
                    });
                }
                Err(e) => bad(&mut draft, no, &e.to_string()),
            },
            "footnote" => match serde_json::from_str::<FootnoteAttrs>(json) {
                Ok(mut a) => {
                    let t = take_text(&mut a.text);
                    let emphasis = crate::emphasis::normalize(a.emphasis, t.chars().count() as u32);
                    draft.footnotes.push(Footnote {
                        marker: a.marker,
                        text: t,
                        source_lines: a.lines,
                        emphasis,
                    });
                }
                Err(e) => bad(&mut draft, no, &e.to_string()),
            },
            other => bad(&mut draft, no, &format!("unknown directive `%{other}`")),
        }
    }
    // Derived parts, exactly as the plain-text parser derives them.
    let texts: Vec<&str> = unit_texts
        .iter()
        .map(
            |&(h, k, _)| {
                if h {
                    draft.headings[k].title.as_str()
                } else {
                    draft.paragraphs[k].text.as_str()
                }
            },
        )
        .collect();
    let locate = CanonicalLocate { lines: unit_texts.iter().map(|u| u.2).collect() };
    let mut diagnostics = Vec::new();
    let per_unit = brackets::match_brackets(&texts, &locate, &mut diagnostics);
    for (&(h, k, _), bs) in unit_texts.iter().zip(per_unit) {
        if !h {
            draft.paragraphs[k].brackets = bs;
        }
    }
    for p in draft.paragraphs.iter_mut() {
        p.references = references::find(&p.text);
    }
    draft.diagnostics.extend(diagnostics);
    draft.diagnostics.sort_by_key(|d| (d.line, d.column));
    draft
}

fn bad(draft: &mut Draft, line: u32, what: &str) {
    draft.diagnostics.push(Diagnostic {
        severity: Severity::Warning,
        code: "canonical-syntax".into(),
        message: format!("canonical form: {what}; record skipped"),
        line,
        column: 1,
    });
}
