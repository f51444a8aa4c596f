//! From a .docx package to [`Import`]: blocks to draft text, the text
//! parsed by the core, then what Word knows beside the text (notes, page
//! furniture, tracked changes, comments) placed on the parsed paragraphs.

use std::collections::HashMap;

use accord_core::{Draft, Emphasis, Footnote, Line, SourceLines};

use super::body::{self, Block, RawKind, Walker};
use super::numbering::{Numbering, Suffix};
use super::package::{relationships, Limits, Package};
use super::styles::Styles;
use super::xml::{self, attr, children};
use super::{ChangeKind, Comment, DocxError, Import, TrackedChange};

/// A note: (is endnote, `w:id`).
type NoteKey = (bool, String);

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads a Word document into a draft with its tracked changes and comments.
///
/// Refuses, with a precise [`DocxError`], encrypted and legacy Word files,
/// PDFs, damaged zips, zip bombs, XML with a DTD, a package without a body,
/// and nesting deeper than any document has. Never panics.
pub fn read(bytes: &[u8]) -> Result<Import, DocxError> {
    read_with(bytes, Limits::default())
}

/// The draft with every tracked change accepted: what "Accept all" in Word
/// gives. (Its `tracked_changes` are the reverse changes, back to the base.)
pub fn read_accepted(bytes: &[u8]) -> Result<Import, DocxError> {
    read_view(bytes, Limits::default(), true)
}

/// As [`read`], with the package's inflation budget given.
pub fn read_with(bytes: &[u8], limits: Limits) -> Result<Import, DocxError> {
    read_view(bytes, limits, false)
}

fn read_view(bytes: &[u8], limits: Limits, accepted: bool) -> Result<Import, DocxError> {
    if bytes.starts_with(&OLE_MAGIC) {
        // "EncryptionInfo" as a UTF-16 directory entry name marks an encrypted package.
        let needle: Vec<u8> = "EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes).collect();
        return Err(if bytes.windows(needle.len()).any(|w| w == needle) {
            DocxError::Encrypted
        } else {
            DocxError::LegacyDoc
        });
    }
    if bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        return Err(DocxError::Pdf);
    }
    let mut pkg = Package::open(bytes.to_vec(), limits)?;
    let main = pkg
        .text("_rels/.rels")?
        .map(|r| relationships(&r, ""))
        .and_then(|rels| rels.into_iter().find(|(k, _)| k == "officeDocument").map(|(_, t)| t))
        .filter(|t| pkg.has(t))
        .unwrap_or_else(|| "word/document.xml".to_owned());
    let Some(document) = pkg.text(&main)? else {
        return Err(DocxError::NoBody(format!("no {main} in the package")));
    };
    let folder = main.rsplit_once('/').map_or("", |(f, _)| f).to_owned();
    let rels_name = format!("{folder}/_rels/{}.rels", main.rsplit('/').next().unwrap_or(&main));
    let rels = pkg.text(&rels_name)?.map(|r| relationships(&r, &folder)).unwrap_or_default();
    let part = |kind: &str| rels.iter().find(|(k, _)| k == kind).map(|(_, t)| t.clone());

    let styles_xml = match part("styles") {
        Some(p) => pkg.text(&p)?.map(|t| (p, t)),
        None => None,
    };
    let styles = match &styles_xml {
        Some((p, t)) => Styles::read(xml::parse(p, t)?.root_element()),
        None => Styles::default(),
    };
    let mut numbering = match part("numbering") {
        Some(p) => match pkg.text(&p)? {
            Some(t) => Numbering::read(xml::parse(&p, &t)?.root_element()),
            None => Numbering::default(),
        },
        None => Numbering::default(),
    };

    let doc = xml::parse(&main, &document)?;
    let Some(body_node) = xml::child(doc.root_element(), "body") else {
        return Err(DocxError::NoBody(format!("{main} has no w:body")));
    };
    let mut walker = Walker::new(&styles);
    walker.accepted = accepted;
    walker.blocks(body_node, 0)?;
    let note_order = std::mem::take(&mut walker.note_order);
    let custom_marks = std::mem::take(&mut walker.custom_marks);
    let blocks = body::finish(walker.blocks, &mut numbering);
    drop(doc);
    drop(document);

    let mut notes: HashMap<(bool, String), (String, Vec<Emphasis>)> = HashMap::new();
    for (endnote, kind) in [(false, "footnotes"), (true, "endnotes")] {
        let Some(p) = part(kind) else { continue };
        let Some(t) = pkg.text(&p)? else { continue };
        let d = xml::parse(&p, &t)?;
        for n in d.root_element().children().filter(|c| c.is_element()) {
            if attr(n, "type").is_some_and(|t| t != "normal") {
                continue;
            }
            let Some(id) = attr(n, "id") else { continue };
            notes.insert((endnote, id.to_owned()), note_text(n, &styles)?);
        }
    }
    let mut comment_texts: HashMap<String, (Option<String>, Option<String>, String)> = HashMap::new();
    if let Some(p) = part("comments") {
        if let Some(t) = pkg.text(&p)? {
            let d = xml::parse(&p, &t)?;
            for c in children(d.root_element(), "comment") {
                let Some(id) = attr(c, "id") else { continue };
                let mut w = Walker::new(&styles);
                w.blocks(c, 0)?;
                let text = w.blocks.iter().map(|b| b.text.trim()).collect::<Vec<_>>().join("\n");
                comment_texts.insert(
                    id.to_owned(),
                    (attr(c, "author").map(str::to_owned), attr(c, "date").map(str::to_owned), text),
                );
            }
        }
    }
    let mut furniture = Vec::new();
    for (kind, p) in &rels {
        if kind != "header" && kind != "footer" {
            continue;
        }
        let Some(t) = pkg.text(p)? else { continue };
        let d = xml::parse(p, &t)?;
        let mut w = Walker::new(&styles);
        w.blocks(d.root_element(), 0)?;
        for b in w.blocks {
            let text = b.text.split_whitespace().collect::<Vec<_>>().join(" ");
            if !text.is_empty() && !furniture.iter().any(|l: &Line| l.text == text) {
                // Line 0: not a line of the body but a Word header or footer.
                furniture.push(Line { line: 0, text });
            }
        }
    }

    let (text, line_block, first_lines) = draft_text(&blocks);
    let mut draft = accord_core::parse_owned(text);
    draft.furniture.extend(furniture);
    let placement = place_blocks(&draft, &blocks, &first_lines);
    place_emphasis(&mut draft, &blocks, &placement);
    attach_notes(&mut draft, &blocks, &placement, (&note_order, &custom_marks), &notes);
    let tracked_changes = tracked_changes(&blocks, &placement, &draft);
    let comments = comments(&blocks, &placement, &draft, &comment_texts);
    remap_lines(&mut draft, &line_block);
    Ok(Import { draft, tracked_changes, comments })
}

/// A note's text, its paragraphs joined and runs of white space made one
/// space, with its emphasis moved along.
fn note_text(note: roxmltree::Node<'_, '_>, styles: &Styles) -> Result<(String, Vec<Emphasis>), DocxError> {
    let mut w = Walker::new(styles);
    w.blocks(note, 0)?;
    let (mut text, mut spans, mut len, mut space) = (String::new(), Vec::new(), 0u32, false);
    for b in &w.blocks {
        // Where each character of the block lands in the note's text.
        let mut at = Vec::with_capacity(b.chars as usize + 1);
        for c in b.text.chars() {
            if c.is_whitespace() {
                // Where the one space standing for the run would go.
                space |= len > 0;
                at.push(len);
                continue;
            }
            if space {
                text.push(' ');
                len += 1;
                space = false;
            }
            at.push(len);
            text.push(c);
            len += 1;
        }
        at.push(len);
        space |= len > 0;
        let place = |x: u32| at.get(x as usize).copied().unwrap_or(len);
        spans.extend(b.emphasis.iter().map(|e| Emphasis { start: place(e.start), end: place(e.end), ..*e }));
    }
    Ok((text, accord_core::emphasis::normalize(spans, len)))
}

/// The text a person would have typed for this document: one line per Word
/// paragraph (its automatic number first), a blank line between paragraphs.
/// Returns the text, the block of every line (1-based lines; `usize::MAX`
/// for separators) and each block's first line.
fn draft_text(blocks: &[Block]) -> (String, Vec<usize>, Vec<u32>) {
    let mut text = String::with_capacity(blocks.iter().map(|b| b.text.len() + 8).sum());
    let mut line_block = vec![usize::MAX]; // index 0: no line 0
    let mut first_lines = Vec::with_capacity(blocks.len());
    let blank = |b: &Block| b.text.trim().is_empty() && b.number.is_none();
    // A document that spaces its paragraphs with empty ones (a text file
    // opened in Word, a layout kept line by line) is written line for line;
    // one spaced by paragraph formatting gets a blank line between paragraphs.
    let spaced_by_empties = blocks.iter().filter(|b| blank(b)).count() * 10 >= blocks.len();
    for (i, b) in blocks.iter().enumerate() {
        first_lines.push(line_block.len() as u32);
        if blank(b) {
            if spaced_by_empties {
                text.push_str(b.text.trim_matches(|c: char| c != '\u{c}'));
                text.push('\n');
                line_block.push(usize::MAX);
            }
            continue;
        }
        if b.page_break {
            text.push('\u{c}');
        }
        if let Some((n, suffix)) = &b.number {
            text.push_str(n);
            if *suffix != Suffix::Nothing {
                text.push(' ');
            }
        }
        for (k, l) in b.text.split('\n').enumerate() {
            if k > 0 {
                text.push('\n');
            }
            text.push_str(l);
            line_block.push(i);
        }
        text.push('\n');
        if !spaced_by_empties {
            text.push('\n');
            line_block.push(usize::MAX);
        }
    }
    if accord_core::canonical::is_canonical(&text) {
        // Word text that happens to start like Accord's canonical form is still Word text.
        text.insert(0, ' ');
    }
    (text, line_block, first_lines)
}

/// Where a block's base text lies in the draft: the paragraph (index) and
/// the shift from block offsets to paragraph offsets.
#[derive(Clone, Copy)]
struct Placed {
    paragraph: Option<usize>,
    shift: i64,
}

fn place_blocks(draft: &Draft, blocks: &[Block], first_lines: &[u32]) -> Vec<Placed> {
    let mut by_line: HashMap<u32, usize> = HashMap::new();
    for (j, p) in draft.paragraphs.iter().enumerate() {
        for l in p.source_lines.first..=p.source_lines.last.min(p.source_lines.first.saturating_add(100_000))
        {
            by_line.insert(l, j);
        }
    }
    let mut placed = Vec::with_capacity(blocks.len());
    let mut cursor: HashMap<usize, usize> = HashMap::new();
    let mut chars: Option<(usize, Vec<char>)> = None;
    for (i, b) in blocks.iter().enumerate() {
        let line = first_lines[i];
        let Some(&j) = by_line.get(&line) else {
            placed.push(Placed { paragraph: None, shift: 0 });
            continue;
        };
        // One paragraph's characters, kept while its blocks are placed (they come in a row).
        if chars.as_ref().is_none_or(|(k, _)| *k != j) {
            chars = Some((j, draft.paragraphs[j].text.chars().collect()));
        }
        let par: &[char] = chars.as_ref().map_or(&[], |(_, c)| c.as_slice());
        let number =
            b.number.as_ref().map_or(0, |(n, s)| n.chars().count() + usize::from(*s != Suffix::Nothing));
        let rendered: Vec<char> =
            b.number.iter().flat_map(|(n, _)| n.chars().chain([' '])).chain(b.text.chars()).collect();
        let first = draft.paragraphs[j].source_lines.first == line;
        let from = *cursor.get(&j).unwrap_or(&0);
        let shift = if first {
            // The parser took the label off the line's start: find where the text resumes.
            (0..=rendered.len().min(80))
                .find(|&d| {
                    let m = (rendered.len() - d).min(par.len()).min(30);
                    m > 0 && par[..m] == rendered[d..d + m]
                })
                .map_or(0, |d| number as i64 - d as i64)
        } else {
            let m = rendered.len().min(30);
            (from..par.len().saturating_sub(m.saturating_sub(1)))
                .find(|&k| m > 0 && par[k..k + m] == rendered[..m])
                .map_or(from as i64, |k| (k + number) as i64)
        };
        cursor.insert(j, (b.chars as i64 + shift).max(0) as usize);
        placed.push(Placed { paragraph: Some(j), shift });
    }
    placed
}

/// Each block's bold, italic and underline onto the paragraph it became
/// (headings keep none: their style sets them, not the author).
fn place_emphasis(draft: &mut Draft, blocks: &[Block], placed: &[Placed]) {
    let mut touched = Vec::new();
    for (b, at) in blocks.iter().zip(placed) {
        let Some(j) = at.paragraph.filter(|_| !b.emphasis.is_empty()) else { continue };
        let p = &mut draft.paragraphs[j];
        let len = p.text.chars().count();
        p.emphasis.extend(b.emphasis.iter().map(|e| accord_core::Emphasis {
            start: clamp(i64::from(e.start) + at.shift, len),
            end: clamp(i64::from(e.end) + at.shift, len),
            ..*e
        }));
        touched.push(j);
    }
    touched.dedup();
    for j in touched {
        let p = &mut draft.paragraphs[j];
        let len = p.text.chars().count() as u32;
        p.emphasis = accord_core::emphasis::normalize(std::mem::take(&mut p.emphasis), len);
    }
}

fn clamp(v: i64, len: usize) -> u32 {
    v.clamp(0, len as i64) as u32
}

fn tracked_changes(blocks: &[Block], placed: &[Placed], draft: &Draft) -> Vec<TrackedChange> {
    let mut out: Vec<TrackedChange> = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let (id, len) = match placed[i].paragraph {
            Some(j) => (Some(draft.paragraphs[j].id.clone()), draft.paragraphs[j].text.chars().count()),
            None => (None, b.chars as usize),
        };
        let shift = placed[i].shift;
        let mut k = 0;
        while k < b.changes.len() {
            let c = &b.changes[k];
            let del_len = if c.kind == RawKind::Delete { c.text.chars().count() as u32 } else { 0 };
            let mut change = TrackedChange {
                kind: if c.kind == RawKind::Insert { ChangeKind::Insert } else { ChangeKind::Delete },
                paragraph: id.clone(),
                start: clamp(c.at as i64 + shift, len),
                end: clamp((c.at + del_len) as i64 + shift, len),
                inserted: if c.kind == RawKind::Insert { c.text.clone() } else { String::new() },
                deleted: if c.kind == RawKind::Delete { c.text.clone() } else { String::new() },
                author: c.author.clone(),
                date: c.date.clone(),
                moved: c.moved,
                source_paragraph: i as u32 + 1,
            };
            // A deletion and an insertion by one author at one place are one replacement.
            if let Some(next) = b.changes.get(k + 1) {
                let meets = match (c.kind, next.kind) {
                    (RawKind::Delete, RawKind::Insert) => next.at == c.at + del_len,
                    (RawKind::Insert, RawKind::Delete) => next.at == c.at,
                    _ => false,
                };
                if meets
                    && next.kind != c.kind
                    && next.author == c.author
                    && !c.moved
                    && !next.moved
                    && c.text != "\n"
                    && next.text != "\n"
                {
                    change.kind = ChangeKind::Replace;
                    if next.kind == RawKind::Insert {
                        change.inserted = next.text.clone();
                    } else {
                        change.deleted = next.text.clone();
                        change.end = clamp((next.at + next.text.chars().count() as u32) as i64 + shift, len);
                    }
                    k += 1;
                }
            }
            // Insertions one after the other by one author (a new paragraph's
            // mark and its text, runs split by formatting) are one insertion.
            match out.last_mut() {
                Some(last)
                    if change.kind == ChangeKind::Insert
                        && last.kind == ChangeKind::Insert
                        && last.paragraph == change.paragraph
                        && last.source_paragraph == change.source_paragraph
                        && last.start == change.start
                        && last.author == change.author
                        && !last.moved
                        && !change.moved =>
                {
                    last.inserted.push_str(&change.inserted)
                }
                _ => out.push(change),
            }
            k += 1;
        }
    }
    out
}

fn comments(
    blocks: &[Block],
    placed: &[Placed],
    draft: &Draft,
    texts: &HashMap<String, (Option<String>, Option<String>, String)>,
) -> Vec<Comment> {
    let mut ends: HashMap<&str, (usize, u32)> = HashMap::new();
    for (i, b) in blocks.iter().enumerate() {
        for (id, at) in &b.comment_ends {
            ends.entry(id.as_str()).or_insert((i, *at));
        }
    }
    let mut out = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        for (id, at) in &b.comment_starts {
            let (paragraph, len) = match placed[i].paragraph {
                Some(j) => (Some(draft.paragraphs[j].id.clone()), draft.paragraphs[j].text.chars().count()),
                None => (None, b.chars as usize),
            };
            let shift = placed[i].shift;
            // A range ending in a later paragraph is kept to the end of this one.
            let end_at = match ends.get(id.as_str()) {
                Some((e, end)) if *e == i => *end,
                _ => b.chars,
            };
            let (author, date, text) = texts.get(id).cloned().unwrap_or_default();
            out.push(Comment {
                paragraph,
                start: clamp(*at as i64 + shift, len),
                end: clamp(end_at.max(*at) as i64 + shift, len),
                author,
                date,
                text,
                source_paragraph: i as u32 + 1,
            });
        }
    }
    out
}

fn attach_notes(
    draft: &mut Draft,
    blocks: &[Block],
    placed: &[Placed],
    (order, custom): (&body::NoteOrder, &HashMap<NoteKey, String>),
    notes: &HashMap<(bool, String), (String, Vec<Emphasis>)>,
) {
    let marker = |key: &(bool, String)| {
        if let Some(m) = custom.get(key).filter(|m| !m.is_empty()) {
            return m.clone();
        }
        let n = order.get(key).unwrap_or(1);
        if key.0 {
            super::numbering::format_number(n as i64, "lowerRoman")
        } else {
            n.to_string()
        }
    };
    let mut seen: std::collections::HashSet<String> =
        draft.footnotes.iter().map(|f| f.marker.clone()).collect();
    for (i, b) in blocks.iter().enumerate() {
        for key in &b.notes {
            let m = marker(key);
            if let Some(j) = placed[i].paragraph {
                let p = &mut draft.paragraphs[j];
                if !p.footnotes.contains(&m) {
                    p.footnotes.push(m.clone());
                }
            }
            if seen.insert(m.clone()) {
                let line = i as u32 + 1;
                draft.footnotes.push(Footnote {
                    marker: m,
                    text: notes.get(key).map(|n| n.0.clone()).unwrap_or_default(),
                    source_lines: SourceLines { first: line, last: line },
                    emphasis: notes.get(key).map(|n| n.1.clone()).unwrap_or_default(),
                });
            }
        }
    }
}

/// Source lines of the generated text → Word paragraphs (1-based).
fn remap_lines(draft: &mut Draft, line_block: &[usize]) {
    let map = |l: u32| -> u32 {
        let l = l as usize;
        // A separator line belongs to the paragraph before it.
        (1..=l.min(line_block.len().saturating_sub(1)))
            .rev()
            .find_map(|k| (line_block[k] != usize::MAX).then_some(line_block[k] as u32 + 1))
            .unwrap_or(l as u32)
    };
    let span = |s: &mut SourceLines| {
        s.first = map(s.first);
        s.last = map(s.last);
    };
    for p in &mut draft.paragraphs {
        span(&mut p.source_lines);
    }
    for h in &mut draft.headings {
        span(&mut h.source_lines);
    }
    for l in &mut draft.letters {
        span(&mut l.source_lines);
    }
    for l in draft.front_matter.iter_mut().chain(draft.furniture.iter_mut().filter(|l| l.line > 0)) {
        l.line = map(l.line);
    }
    for d in &mut draft.diagnostics {
        d.line = map(d.line);
    }
}
