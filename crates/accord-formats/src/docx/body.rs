//! The Word body as a list of blocks: one per Word paragraph (table cells and
//! text boxes included), each with its base text — the text with every
//! tracked change rejected — and, beside it, the changes, comment anchors
//! and footnote references, positioned in characters of that base text,
//! and how that text is set (bold, italic, underline: run properties over
//! character and paragraph styles).
//!
//! Base text is what the negotiation tabled: a delegation's marked-up file
//! is the draft plus its proposals. Inserted paragraph marks are undone here
//! (the paragraphs they split are one in the base text), so numbering, which
//! is computed afterwards on the base paragraphs, counts what the base
//! document counted.

use accord_core::emphasis::Style as Set;
use accord_core::Emphasis;
use roxmltree::Node;

use super::numbering::{Numbering, Suffix};
use super::styles::Styles;
use super::xml::{attr, child, toggle, val};
use super::DocxError;

/// Deeper nesting than any real document (tables in tables in text boxes).
const MAX_DEPTH: usize = 200;

/// What a tracked change did to the base text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawKind {
    /// Text that is not in the base text (`w:ins`, `w:moveTo`).
    Insert,
    /// Base text marked deleted (`w:del`, `w:moveFrom`).
    Delete,
}

/// One tracked run, before adjacent runs are merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawChange {
    /// Insert or delete.
    pub kind: RawKind,
    /// Character offset in the block's base text.
    pub at: u32,
    /// The inserted or deleted text (`\n` stands for a paragraph break).
    pub text: String,
    /// `w:author`.
    pub author: Option<String>,
    /// `w:date`.
    pub date: Option<String>,
    /// From `w:moveFrom` / `w:moveTo`.
    pub moved: bool,
}

/// A Word paragraph, ready to be written as a line of draft text.
#[derive(Debug, Clone, Default)]
pub struct Block {
    /// The number Word's automatic numbering shows, with its suffix.
    pub number: Option<(String, Suffix)>,
    /// The base text.
    pub text: String,
    /// Length of `text` in characters.
    pub chars: u32,
    /// Heading level from the style or outline level (0 for a title).
    pub heading: Option<u8>,
    /// Tracked changes.
    pub changes: Vec<RawChange>,
    /// Comment ranges opened here: (comment id, offset).
    pub comment_starts: Vec<(String, u32)>,
    /// Comment ranges closed here.
    pub comment_ends: Vec<(String, u32)>,
    /// Footnote and endnote references: (is endnote, note id).
    pub notes: Vec<(bool, String)>,
    /// A page break stands before this block.
    pub page_break: bool,
    /// Bold, italic and underlined spans of the base text.
    pub emphasis: Vec<Emphasis>,
    numbering: Option<(String, usize)>,
    mark_inserted: Option<(Option<String>, Option<String>)>,
}

/// Footnotes and endnotes numbered in order of first reference, each kind
/// counting on its own (as Word numbers them).
#[derive(Debug, Default, Clone)]
pub struct NoteOrder {
    numbers: std::collections::HashMap<(bool, String), usize>,
    counts: [usize; 2],
}

impl NoteOrder {
    /// The note's number, given at its first reference.
    pub fn number(&mut self, key: &(bool, String)) -> usize {
        if let Some(&n) = self.numbers.get(key) {
            return n;
        }
        let count = &mut self.counts[usize::from(key.0)];
        *count += 1;
        self.numbers.insert(key.clone(), *count);
        *count
    }

    /// The number of a note already referenced.
    pub fn get(&self, key: &(bool, String)) -> Option<usize> {
        self.numbers.get(key).copied()
    }
}

/// The change a run stands inside.
#[derive(Clone)]
struct Tracked {
    kind: RawKind,
    author: Option<String>,
    date: Option<String>,
    moved: bool,
}

/// Walks block-level content (a body, a cell, a note, a text box).
pub struct Walker<'s> {
    styles: &'s Styles,
    /// Blocks in document order.
    pub blocks: Vec<Block>,
    /// Notes referenced, in order of first reference: (is endnote, id).
    pub note_order: NoteOrder,
    /// Marks written in the text after a reference (`w:customMarkFollows`), by note.
    pub custom_marks: std::collections::HashMap<(bool, String), String>,
    /// Read the document with every change accepted instead of rejected
    /// (insertions and deletions swap roles).
    pub accepted: bool,
}

impl<'s> Walker<'s> {
    /// A walker using these styles.
    pub fn new(styles: &'s Styles) -> Walker<'s> {
        Walker {
            styles,
            blocks: Vec::new(),
            note_order: NoteOrder::default(),
            custom_marks: Default::default(),
            accepted: false,
        }
    }

    /// Reads block-level children of `node` (`w:body`, `w:tc`, `w:txbxContent`, …).
    pub fn blocks(&mut self, node: Node<'_, '_>, depth: usize) -> Result<(), DocxError> {
        if depth > MAX_DEPTH {
            return Err(DocxError::TooDeep);
        }
        for c in node.children().filter(|c| c.is_element()) {
            match c.tag_name().name() {
                "p" => self.paragraph(c, depth + 1)?,
                "tbl" => {
                    // Row by row, cell by cell: every word of a table is kept.
                    for row in c.children().filter(|r| r.has_tag_name_local("tr")) {
                        for cell in row.children().filter(|t| t.has_tag_name_local("tc")) {
                            self.blocks(cell, depth + 2)?;
                        }
                    }
                }
                "sdt" => {
                    if let Some(content) = child(c, "sdtContent") {
                        self.blocks(content, depth + 1)?;
                    }
                }
                "customXml" | "ins" | "moveTo" | "moveFrom" | "del" | "smartTag" => {
                    self.blocks(c, depth + 1)?
                }
                "AlternateContent" => {
                    if let Some(alt) = child(c, "Choice").or_else(|| child(c, "Fallback")) {
                        self.blocks(alt, depth + 1)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn paragraph(&mut self, p: Node<'_, '_>, depth: usize) -> Result<(), DocxError> {
        let ppr = child(p, "pPr");
        // The base document's properties: a tracked property change keeps the old ones.
        let base_ppr = ppr.and_then(|pr| child(pr, "pPrChange")).and_then(|c| child(c, "pPr")).or(ppr);
        let style = base_ppr.and_then(|pr| child(pr, "pStyle")).and_then(val);
        let own_num = base_ppr.and_then(|pr| child(pr, "numPr"));
        let numbering = match own_num {
            Some(n) => {
                let id = child(n, "numId").and_then(val).map(str::to_owned);
                let lvl = child(n, "ilvl").and_then(val).and_then(|v| v.parse().ok());
                match id {
                    Some(id) => Some((id, lvl.unwrap_or_else(|| self.styles.num_level(style).unwrap_or(0)))),
                    None => self.styles.numbering(style).map(|(id, l)| (id, lvl.unwrap_or(l))),
                }
            }
            None => self.styles.numbering(style),
        };
        let outline = base_ppr
            .and_then(|pr| child(pr, "outlineLvl"))
            .and_then(val)
            .and_then(|v| v.parse::<u8>().ok())
            .filter(|&l| l < 9)
            .map(|l| l + 1);
        let heading = outline.or_else(|| self.styles.heading(style));
        let mark = ppr.and_then(|pr| child(pr, "rPr"));
        let (added, removed) = if self.accepted {
            (["del", "moveFrom"], ["ins", "moveTo"])
        } else {
            (["ins", "moveTo"], ["del", "moveFrom"])
        };
        let mark_child =
            |names: [&str; 2]| mark.and_then(|m| child(m, names[0]).or_else(|| child(m, names[1])));
        let mark_inserted = mark_child(added).map(change_meta);
        let mut run = RunState {
            set: self.styles.paragraph_run(style),
            block: Block {
                heading,
                numbering,
                mark_inserted,
                page_break: toggle(ppr, "pageBreakBefore"),
                ..Block::default()
            },
            fields: Vec::new(),
            boxes: Vec::new(),
        };
        self.inline(p, &mut run, None, depth)?;
        if let Some(del) = mark_child(removed) {
            let (author, date) = change_meta(del);
            let at = run.block.chars;
            run.block.changes.push(RawChange {
                kind: RawKind::Delete,
                at,
                text: "\n".into(),
                author,
                date,
                moved: false,
            });
        }
        let boxes = std::mem::take(&mut run.boxes);
        self.blocks.push(run.block);
        // Text boxes anchored in the paragraph follow it.
        for b in boxes {
            self.blocks.extend(b);
        }
        Ok(())
    }

    fn inline(
        &mut self,
        node: Node<'_, '_>,
        run: &mut RunState,
        tracked: Option<&Tracked>,
        depth: usize,
    ) -> Result<(), DocxError> {
        if depth > MAX_DEPTH {
            return Err(DocxError::TooDeep);
        }
        for c in node.children().filter(|c| c.is_element()) {
            let name = c.tag_name().name();
            match name {
                "pPr" | "rPr" | "proofErr" | "bookmarkStart" | "bookmarkEnd" => {}
                "r" => {
                    let rpr = child(c, "rPr");
                    if toggle(rpr, "vanish") || toggle(rpr, "webHidden") {
                        continue;
                    }
                    let outer = run.set;
                    run.set = self.styles.run(outer, rpr);
                    self.inline(c, run, tracked, depth + 1)?;
                    run.set = outer;
                }
                "ins" | "del" | "moveFrom" | "moveTo" => {
                    let (author, date) = change_meta(c);
                    let kind = if matches!(name, "ins" | "moveTo") != self.accepted {
                        RawKind::Insert
                    } else {
                        RawKind::Delete
                    };
                    // Text inserted and then deleted (w:del inside w:ins) is in neither
                    // the base text nor the accepted one.
                    if tracked.is_some_and(|t| t.kind != kind) {
                        continue;
                    }
                    let t = Tracked { kind, author, date, moved: name.starts_with("move") };
                    self.inline(c, run, Some(&t), depth + 1)?;
                }
                "hyperlink" | "smartTag" | "customXml" | "fldSimple" | "bdo" | "dir" | "sdtContent" => {
                    self.inline(c, run, tracked, depth + 1)?
                }
                "sdt" => {
                    if let Some(content) = child(c, "sdtContent") {
                        self.inline(content, run, tracked, depth + 1)?;
                    }
                }
                "AlternateContent" => {
                    if let Some(alt) = child(c, "Choice").or_else(|| child(c, "Fallback")) {
                        self.inline(alt, run, tracked, depth + 1)?;
                    }
                }
                "fldChar" => match attr(c, "fldCharType") {
                    Some("begin") => run.fields.push(true),
                    Some("separate") => {
                        if let Some(f) = run.fields.last_mut() {
                            *f = false;
                        }
                    }
                    Some("end") => {
                        run.fields.pop();
                    }
                    _ => {}
                },
                "instrText" | "delInstrText" => {}
                _ if run.fields.last() == Some(&true) => {}
                "t" | "delText" => run.push(c.text().unwrap_or(""), tracked),
                "tab" | "ptab" => run.push(" ", tracked),
                // A line break keeps the line structure the text twin has.
                // A page break starts a page as in a PDF's text: a form feed.
                "br" if attr(c, "type") == Some("page") => run.push("\n\u{c}", tracked),
                "br" | "cr" => run.push("\n", tracked),
                "noBreakHyphen" => run.push("-", tracked),
                "sym" => {
                    let ch = attr(c, "char")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .and_then(|mut u| {
                            // Symbol fonts map their characters into the private use area.
                            if (0xF000..=0xF0FF).contains(&u) {
                                u -= 0xF000;
                            }
                            char::from_u32(u)
                        })
                        .filter(|c| !c.is_control());
                    if let Some(ch) = ch {
                        run.push(ch.encode_utf8(&mut [0; 4]), tracked);
                    }
                }
                "footnoteReference" | "endnoteReference" => {
                    let Some(id) = attr(c, "id") else { continue };
                    let endnote = name == "endnoteReference";
                    let key = (endnote, id.to_owned());
                    let n = self.note_order.number(&key);
                    // The marker is glued to the text as in a PDF: `years]1.`
                    let marker = if endnote {
                        super::numbering::format_number(n as i64, "lowerRoman")
                    } else {
                        n.to_string()
                    };
                    let custom = attr(c, "customMarkFollows").is_some_and(|v| v == "1" || v == "true");
                    if custom {
                        // The mark is the text of the run that follows (and is pushed with it).
                        let next = node.next_sibling_element().filter(|n| n.tag_name().name() == "r");
                        let mark: String = next
                            .into_iter()
                            .flat_map(|r| r.children().filter(|t| t.tag_name().name() == "t"))
                            .filter_map(|t| t.text())
                            .collect();
                        self.custom_marks.entry(key.clone()).or_insert(mark);
                    } else {
                        run.push(&marker, tracked);
                    }
                    if tracked.is_none_or(|t| t.kind == RawKind::Delete) {
                        run.block.notes.push(key);
                    }
                }
                "commentRangeStart" => {
                    if let Some(id) = attr(c, "id") {
                        run.block.comment_starts.push((id.to_owned(), run.block.chars));
                    }
                }
                "commentRangeEnd" => {
                    if let Some(id) = attr(c, "id") {
                        run.block.comment_ends.push((id.to_owned(), run.block.chars));
                    }
                }
                "commentReference" => {
                    if let Some(id) = attr(c, "id") {
                        // A comment without a range is anchored at its reference.
                        if !run.block.comment_starts.iter().any(|(i, _)| i == id) {
                            run.block.comment_starts.push((id.to_owned(), run.block.chars));
                        }
                        if !run.block.comment_ends.iter().any(|(i, _)| i == id) {
                            run.block.comment_ends.push((id.to_owned(), run.block.chars));
                        }
                    }
                }
                "drawing" | "pict" | "object" | "txbxContent" | "textbox" | "shape" | "rect"
                | "roundrect" | "group" | "inline" | "anchor" | "graphic" | "graphicData" | "wsp"
                | "txbx" | "wgp" => {
                    if name == "txbxContent" {
                        let mut inner = Walker::new(self.styles);
                        inner.accepted = self.accepted;
                        inner.note_order = std::mem::take(&mut self.note_order);
                        inner.custom_marks = std::mem::take(&mut self.custom_marks);
                        inner.blocks(c, depth + 1)?;
                        self.note_order = inner.note_order;
                        self.custom_marks = inner.custom_marks;
                        run.boxes.push(inner.blocks);
                    } else {
                        self.inline(c, run, tracked, depth + 1)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

fn change_meta(node: Node<'_, '_>) -> (Option<String>, Option<String>) {
    (attr(node, "author").map(str::to_owned), attr(node, "date").map(str::to_owned))
}

struct RunState {
    block: Block,
    /// How the run being read is set.
    set: Set,
    /// Open fields: `true` while in the instructions (before `separate`).
    fields: Vec<bool>,
    /// Blocks of text boxes met in the paragraph.
    boxes: Vec<Vec<Block>>,
}

impl RunState {
    fn push(&mut self, s: &str, tracked: Option<&Tracked>) {
        if s.is_empty() {
            return;
        }
        let n = s.chars().count() as u32;
        let b = &mut self.block;
        if tracked.is_none_or(|t| t.kind == RawKind::Delete) && !self.set.is_plain() {
            let at = b.chars;
            b.emphasis.extend(accord_core::emphasis::from_pieces([(at, at + n, self.set)]));
        }
        match tracked {
            None => {
                b.text.push_str(s);
                b.chars += n;
            }
            Some(t) => {
                if t.kind == RawKind::Delete {
                    b.text.push_str(s);
                }
                let at = b.chars;
                // Runs split by formatting within one change are one change.
                match b.changes.last_mut() {
                    Some(last)
                        if last.kind == t.kind
                            && last.author == t.author
                            && last.date == t.date
                            && last.moved == t.moved
                            && (if t.kind == RawKind::Insert {
                                last.at == at
                            } else {
                                last.at + last.text.chars().count() as u32 == at
                            }) =>
                    {
                        last.text.push_str(s)
                    }
                    _ => b.changes.push(RawChange {
                        kind: t.kind,
                        at,
                        text: s.to_owned(),
                        author: t.author.clone(),
                        date: t.date.clone(),
                        moved: t.moved,
                    }),
                }
                if t.kind == RawKind::Delete {
                    b.chars += n;
                }
            }
        }
    }
}

/// Undoes inserted paragraph marks (the two paragraphs are one in the base
/// text, with a `\n` insertion where they were split), then numbers the
/// base paragraphs.
pub fn finish(blocks: Vec<Block>, numbering: &mut Numbering) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    let mut pending: Option<Block> = None;
    for mut b in blocks {
        if let Some(mut first) = pending.take() {
            let shift = first.chars;
            let (author, date) = first.mark_inserted.take().unwrap_or_default();
            for c in &mut b.changes {
                c.at += shift;
            }
            for (_, at) in b.comment_starts.iter_mut().chain(b.comment_ends.iter_mut()) {
                *at += shift;
            }
            first.changes.push(RawChange {
                kind: RawKind::Insert,
                at: shift,
                text: "\n".into(),
                author,
                date,
                moved: false,
            });
            first.changes.append(&mut b.changes);
            first.comment_starts.append(&mut b.comment_starts);
            first.comment_ends.append(&mut b.comment_ends);
            first.notes.append(&mut b.notes);
            first.emphasis.extend(b.emphasis.iter().map(|e| Emphasis {
                start: e.start + shift,
                end: e.end + shift,
                ..*e
            }));
            first.text.push_str(&b.text);
            first.chars += b.chars;
            // The surviving mark is the second paragraph's: its properties apply.
            first.numbering = b.numbering.take();
            first.heading = b.heading;
            first.mark_inserted = b.mark_inserted.take();
            b = first;
        }
        if b.mark_inserted.is_some() {
            pending = Some(b);
        } else {
            out.push(b);
        }
    }
    if let Some(mut last) = pending {
        last.mark_inserted = None;
        out.push(last);
    }
    for b in &mut out {
        if let Some((id, level)) = &b.numbering {
            b.number = numbering.next(id, *level);
        }
    }
    out
}

trait LocalName {
    fn has_tag_name_local(&self, name: &str) -> bool;
}

impl LocalName for Node<'_, '_> {
    fn has_tag_name_local(&self, name: &str) -> bool {
        self.is_element() && self.tag_name().name() == name
    }
}
