//! Akoma Ntoso XML → Draft: what `write` produces reads back to the same
//! model, and AKN from other tools gives its headings, paragraphs and text.
//!
//! Hostile input is refused before any work on it (see `input.rs`). Time
//! and memory are linear in the input: one parse into a tree, one walk of it.
//!
//! Brackets and references of Accord's own files are restored from their
//! elements and `accord:` attributes (`inline.rs` writes them). For other
//! tools' files — or one of ours with a paragraph marked
//! `accord:marks="partial"` — they are derived from the text by the very
//! code the text parser uses (through the canonical form), so they cannot
//! disagree with it. Foreign `<inline name="bracket">` without its own
//! `[` `]` gets them added.

use std::collections::HashMap;

use accord_core::{
    canonical, Bracket, Draft, Emphasis, EmphasisKind, Footnote, Heading, Letter, Line, Paragraph,
    ParagraphKind, Reference, ReferenceKind, SourceLines, Status,
};
use roxmltree::{Document, Node};

use super::identity::{Ident, Identity};
use super::input::{parse, utf8};
use super::write::STATUSES;
use super::{AknError, ACCORD_NS};

/// The document types of Akoma Ntoso 3.0.
const DOCUMENT_TYPES: &[&str] = &[
    "act",
    "amendment",
    "amendmentList",
    "bill",
    "debate",
    "debateReport",
    "doc",
    "documentCollection",
    "judgment",
    "officialGazette",
    "portion",
    "statement",
];

/// Elements read as a paragraph (their `num`, `heading`, then text).
const PARAGRAPHS: &[&str] =
    &["paragraph", "subparagraph", "recital", "item", "point", "alinea", "indent", "crossHeading"];

/// Hierarchical containers read as headings when they carry a number or a heading.
const SECTIONS: &[&str] = &[
    "division",
    "subdivision",
    "article",
    "chapter",
    "subchapter",
    "part",
    "subpart",
    "section",
    "subsection",
    "title",
    "subtitle",
    "book",
    "tome",
    "clause",
    "subclause",
    "level",
    "hcontainer",
    "recitals",
    "citations",
    "debateSection",
    "rule",
    "subrule",
    "list",
    "sublist",
    "transitional",
    "proviso",
];

/// Skipped wherever they occur outside text.
const SKIPPED: &[&str] = &["meta", "num", "heading", "subheading", "toc", "components", "attachments"];

/// Reads an Akoma Ntoso document into a draft.
pub fn read(bytes: &[u8]) -> Result<Draft, AknError> {
    let text = utf8(bytes)?;
    let doc = parse(text)?;
    let (root, ours) = document_element(&doc)?;
    let mut r = Reader {
        doc: &doc,
        ours,
        draft: Draft::default(),
        statuses: HashMap::new(),
        notes: Vec::new(),
        marks_complete: true,
    };
    r.read_document(root);
    let complete = r.ours && r.marks_complete;
    let mut draft = r.finish();
    if !complete {
        derive(&mut draft);
    }
    Ok(draft)
}

/// Brackets and references from the text, as the text parser derives them:
/// the headings' and paragraphs' texts alone, in document order, through
/// the canonical reader (brackets are matched across both).
fn derive(draft: &mut Draft) {
    let mut c = String::with_capacity(draft.paragraphs.iter().map(|p| p.text.len() + 64).sum::<usize>() + 64);
    c.push_str(canonical::HEADER);
    c.push('\n');
    let unit = |c: &mut String, kind: &str, text: &str| {
        if text.contains(['\n', '\r']) {
            let t = serde_json::to_string(text).unwrap_or_default();
            c.push_str(&format!(
                "%{kind} {{\"id\":\"\",\"level\":1,\"kind\":\"operative\",\"lines\":[0,0],\"text\":{t}}}\n"
            ));
        } else {
            c.push_str(&format!(
                "%{kind} {{\"id\":\"\",\"level\":1,\"kind\":\"operative\",\"lines\":[0,0]}}\n"
            ));
            c.push_str(text);
            c.push('\n');
        }
    };
    let mut hs = draft.headings.iter().peekable();
    for (i, p) in draft.paragraphs.iter().enumerate() {
        while let Some(h) = hs.next_if(|h| h.first_paragraph <= i) {
            unit(&mut c, "heading", &h.title);
        }
        unit(&mut c, "paragraph", &p.text);
    }
    // Headings after the last paragraph can still close its brackets.
    for h in hs {
        unit(&mut c, "heading", &h.title);
    }
    let derived = canonical::read(&c);
    debug_assert_eq!(derived.paragraphs.len(), draft.paragraphs.len());
    for (p, d) in draft.paragraphs.iter_mut().zip(derived.paragraphs) {
        p.brackets = d.brackets;
        p.references = d.references;
    }
}

/// Reads the paragraphs' and headings' identities (`GUID`, `wId`, by Accord
/// id) from a document `write` produced, to carry them to the next draft.
pub fn read_identity(bytes: &[u8]) -> Result<Identity, AknError> {
    let text = utf8(bytes)?;
    let doc = parse(text)?;
    let mut out = Identity::default();
    for n in doc.descendants().filter(|n| n.is_element()) {
        if n.tag_name().namespace() == Some(ACCORD_NS) && n.tag_name().name() == "identity" {
            out.generation = n.attribute("generation").and_then(|g| g.parse().ok()).unwrap_or(0);
            out.salt = n.attribute("salt").unwrap_or_default().to_string();
            continue;
        }
        let (Some(id), Some(guid)) = (n.attribute((ACCORD_NS, "id")), n.attribute("GUID")) else { continue };
        let ident = Ident {
            guid: guid.to_string(),
            wid: n.attribute("wId").or(n.attribute("eId")).unwrap_or_default().to_string(),
        };
        if n.attribute((ACCORD_NS, "level")).is_some() {
            out.headings.insert(id.to_string(), ident);
        } else {
            out.paragraphs.insert(id.to_string(), ident);
        }
    }
    Ok(out)
}

/// The document element (a `statement`, or the first document inside a
/// collection), and whether Accord wrote the file.
fn document_element<'a, 'i>(doc: &'a Document<'i>) -> Result<(Node<'a, 'i>, bool), AknError> {
    let root = doc.root_element();
    let pos = |n: Node| doc.text_pos_at(n.range().start);
    if root.tag_name().name() != "akomaNtoso" {
        let p = pos(root);
        return Err(AknError::NotAkn {
            line: p.row,
            column: p.col,
            message: format!("the root element is <{}>, not <akomaNtoso>", root.tag_name().name()),
        });
    }
    let ours = root.lookup_prefix(ACCORD_NS).is_some();
    let Some(mut d) =
        root.children().find(|c| c.is_element() && DOCUMENT_TYPES.contains(&c.tag_name().name()))
    else {
        let p = pos(root);
        return Err(AknError::NotAkn {
            line: p.row,
            column: p.col,
            message: "<akomaNtoso> holds no document (statement, act, bill, doc, debate …)".into(),
        });
    };
    // A collection: the first document inside its body.
    if d.tag_name().name() == "documentCollection" {
        if let Some(inner) =
            d.descendants().skip(1).find(|c| c.is_element() && DOCUMENT_TYPES.contains(&c.tag_name().name()))
        {
            d = inner;
        }
    }
    Ok((d, ours))
}

fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| c.is_element() && c.tag_name().name() == name)
}

fn elements<'a, 'i>(n: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    n.children().filter(|c| c.is_element())
}

fn lines(n: Node) -> SourceLines {
    let mut it = n.attribute((ACCORD_NS, "lines")).unwrap_or("").split(' ').map(|x| x.parse().unwrap_or(0));
    SourceLines { first: it.next().unwrap_or(0), last: it.next().unwrap_or(0) }
}

fn class_has(n: Node, class: &str) -> bool {
    n.attribute("class").is_some_and(|c| c.split_whitespace().any(|x| x == class))
}

struct Reader<'a, 'i> {
    doc: &'a Document<'i>,
    ours: bool,
    draft: Draft,
    /// eId → (status, note) from `workflow`.
    statuses: HashMap<String, (Status, Option<String>)>,
    /// Footnotes with their index (`accord:n`) when known.
    notes: Vec<(Option<usize>, Footnote)>,
    /// True while every bracket and reference so far was restored from its
    /// element (Accord's files); otherwise all are derived from the text.
    marks_complete: bool,
}

/// A paragraph's brackets and references as its elements say.
#[derive(Default)]
struct Marks {
    /// Characters collected so far.
    chars: u32,
    brackets: Vec<Bracket>,
    references: Vec<Reference>,
    /// `b`, `i`, `u` elements as spans (they are read whatever `complete` says).
    emphasis: Vec<Emphasis>,
    complete: bool,
}

/// Where the walk is: the kind of paragraph, the heading and parent paragraph.
#[derive(Clone)]
struct Place {
    kind: ParagraphKind,
    heading: Option<String>,
    parent: Option<String>,
    level: u8,
}

impl<'a, 'i> Reader<'a, 'i> {
    fn read_document(&mut self, d: Node<'a, 'i>) {
        let _ = self.doc;
        if let Some(meta) = child(d, "meta") {
            self.meta(meta);
        }
        let mut place = Place { kind: ParagraphKind::Operative, heading: None, parent: None, level: 1 };
        for part in elements(d) {
            match part.tag_name().name() {
                "meta" | "components" | "attachments" => {}
                "coverPage" => self.cover_page(part),
                "preface" => self.preface(part),
                "preamble" => {
                    let pre = Place { kind: ParagraphKind::Preambular, ..place.clone() };
                    let after = self.walk(part, &pre);
                    place.heading = after.heading;
                }
                _ => {
                    place = self.walk(part, &place);
                }
            }
        }
    }

    fn meta(&mut self, meta: Node<'a, 'i>) {
        for n in meta.descendants().filter(|n| n.is_element()) {
            match (n.tag_name().namespace(), n.tag_name().name()) {
                (Some(ACCORD_NS), "furniture") => {
                    let line = n.attribute("line").and_then(|l| l.parse().ok()).unwrap_or(0);
                    let text = self.text_of(n);
                    self.draft.furniture.push(Line { line, text });
                }
                (_, "step") => {
                    let status = n
                        .attribute("outcome")
                        .map(|o| o.trim_start_matches('#'))
                        .and_then(|o| STATUSES.iter().find(|(_, e)| *e == o).map(|(s, _)| *s));
                    if let (Some(status), Some(target)) = (status, n.attribute("refersTo")) {
                        let note = n.attribute((ACCORD_NS, "note")).map(str::to_owned);
                        for t in target.split_whitespace() {
                            self.statuses
                                .insert(t.trim_start_matches('#').to_string(), (status, note.clone()));
                        }
                    }
                }
                (_, "note") if n.parent().is_some_and(|p| p.tag_name().name() == "notes") => self.footnote(n),
                _ => {}
            }
        }
    }

    fn footnote(&mut self, n: Node<'a, 'i>) {
        let index = n.attribute((ACCORD_NS, "n")).and_then(|x| x.parse().ok());
        let text = elements(n).map(|b| self.text_of(b)).collect::<Vec<_>>().join(" ");
        let marker = n.attribute("marker").unwrap_or("").to_string();
        self.notes.push((index, Footnote { marker, text, source_lines: lines(n), emphasis: Vec::new() }));
    }

    fn cover_page(&mut self, c: Node<'a, 'i>) {
        for n in elements(c) {
            if n.tag_name().name() == "container" && n.attribute("name") == Some("letter") {
                let mut l = Letter { source_lines: lines(n), ..Letter::default() };
                for part in elements(n) {
                    if part.tag_name().name() == "container" {
                        let sig: Vec<String> = elements(part)
                            .filter(|p| !class_has(*p, "accord-empty"))
                            .map(|p| self.text_of(p))
                            .collect();
                        l.signatures.push(sig);
                        continue;
                    }
                    let t = self.text_of(part);
                    match part.attribute("class").unwrap_or("") {
                        "sender" => l.sender = t,
                        "letterhead" => l.letterhead.push(t),
                        "date" => l.date = Some(t),
                        "addressee" => l.addressees.push(t),
                        "salutation" => l.salutation = Some(t),
                        _ => l.body.push(t),
                    }
                }
                self.draft.letters.push(l);
            } else {
                self.front_lines(n);
            }
        }
    }

    /// Every block of `n` as a front-matter line.
    fn front_lines(&mut self, n: Node<'a, 'i>) {
        if n.tag_name().name() == "container" || n.tag_name().name() == "blockContainer" {
            for c in elements(n) {
                self.front_lines(c);
            }
            return;
        }
        if class_has(n, "accord-generated") || class_has(n, "accord-empty") {
            return;
        }
        let line = n.attribute((ACCORD_NS, "line")).and_then(|l| l.parse().ok()).unwrap_or(0);
        let text = self.text_of(n);
        if !text.is_empty() || self.ours {
            self.draft.front_matter.push(Line { line, text });
        }
    }

    fn preface(&mut self, p: Node<'a, 'i>) {
        for n in elements(p) {
            let title = n.descendants().find(|d| d.tag_name().name() == "docTitle");
            if class_has(n, "accord-generated") {
                continue;
            }
            if class_has(n, "dateLine") {
                self.draft.date = Some(self.text_of(n));
            } else if let (Some(t), None) = (title, &self.draft.title) {
                self.draft.title = Some(self.text_of(t));
                if let Some((s, note)) = self.statuses.get("docTitle") {
                    self.draft.title_status = *s;
                    self.draft.title_status_note = note.clone();
                }
            } else {
                self.front_lines(n);
            }
        }
    }

    /// Reads the children of `n`; returns the place after them (the last heading).
    fn walk(&mut self, n: Node<'a, 'i>, place: &Place) -> Place {
        let mut here = place.clone();
        for c in elements(n) {
            let name = c.tag_name().name();
            if SKIPPED.contains(&name) || c.tag_name().namespace() == Some(ACCORD_NS) {
                continue;
            }
            let option = name == "hcontainer" && c.attribute("name") == Some("option");
            if PARAGRAPHS.contains(&name) || option {
                self.paragraph(c, &here, option);
            } else if SECTIONS.contains(&name) {
                here = self.section(c, &here);
            } else if matches!(
                name,
                "content" | "intro" | "wrapUp" | "p" | "block" | "tblock" | "formula" | "from"
            ) || (name == "container" && !elements(c).any(|e| e.tag_name().name() == "container"))
            {
                if !class_has(c, "accord-empty") {
                    self.loose_block(c, &here);
                }
            } else {
                here = self.walk(c, &here);
            }
        }
        here
    }

    fn section(&mut self, n: Node<'a, 'i>, place: &Place) -> Place {
        let num = child(n, "num").map(|x| self.text_of(x));
        let title = child(n, "heading").map(|x| self.text_of(x));
        let id_attr = n.attribute((ACCORD_NS, "id"));
        if num.is_none() && title.is_none() && id_attr.is_none() {
            return self.walk(n, place);
        }
        let number = if n.attribute((ACCORD_NS, "unnumbered")).is_some() { None } else { num.clone() };
        let id = match id_attr {
            Some(i) => i.to_string(),
            None => number
                .as_deref()
                .map(|x| x.trim_end_matches('.').to_string())
                .or(title.clone())
                .unwrap_or_default(),
        };
        let level = n.attribute((ACCORD_NS, "level")).and_then(|l| l.parse().ok()).unwrap_or(place.level);
        self.draft.headings.push(Heading {
            id: id.clone(),
            number,
            title: title.unwrap_or_default(),
            level,
            first_paragraph: self.draft.paragraphs.len(),
            source_lines: lines(n),
        });
        let inner =
            Place { heading: Some(id), parent: None, level: level.saturating_add(1), ..place.clone() };
        let after = self.walk(n, &inner);
        // A preamble's groups are not nested: the next group follows this heading.
        if n.tag_name().name() == "recitals" {
            return Place { level: place.level, parent: place.parent.clone(), ..after };
        }
        Place { heading: after.heading, ..place.clone() }
    }

    fn paragraph(&mut self, n: Node<'a, 'i>, place: &Place, option: bool) {
        let num = child(n, "num").map(|x| self.text_of(x));
        let heading = child(n, "heading").map(|x| self.text_of(x));
        let eid = n.attribute("eId").unwrap_or("");
        let (mut text, mut option_label) = (String::new(), None);
        let mut restored: (Vec<Bracket>, Vec<Reference>) = (Vec::new(), Vec::new());
        let mut emphasis = Vec::new();
        if self.ours {
            option_label = heading;
            // The text is the paragraph's own first `p` (in content or intro, or its own).
            let holder = child(n, "content").or_else(|| child(n, "intro")).unwrap_or(n);
            if let Some(p) = child(holder, "p") {
                let mut m = Marks {
                    complete: p.attribute((ACCORD_NS, "marks")) != Some("partial"),
                    ..Marks::default()
                };
                self.collect_marked(p, &mut text, &mut m);
                emphasis = accord_core::emphasis::normalize(std::mem::take(&mut m.emphasis), m.chars);
                if m.complete {
                    m.brackets
                        .sort_by_key(|b| (b.start, std::cmp::Reverse(b.end), std::cmp::Reverse(b.depth)));
                    m.references.sort_by_key(|r| r.start);
                    restored = (m.brackets, m.references);
                } else {
                    self.marks_complete = false;
                }
            }
        } else {
            if option {
                option_label = heading;
            } else if let Some(h) = heading {
                text.push_str(&h);
            }
            for part in ["content", "intro"] {
                if let Some(c) = child(n, part) {
                    let t = self.text_of(c);
                    if !t.is_empty() {
                        if !text.is_empty() {
                            text.push(' ');
                        }
                        text.push_str(&t);
                    }
                }
            }
            if n.tag_name().name() == "crossHeading"
                || child(n, "content").is_none() && child(n, "intro").is_none()
            {
                let own: Vec<String> =
                    elements(n).filter(|c| c.tag_name().name() == "p").map(|c| self.text_of(c)).collect();
                if !own.is_empty() || n.tag_name().name() == "crossHeading" {
                    let t = if own.is_empty() { self.text_of(n) } else { own.join(" ") };
                    text = [text, t].join(" ").trim().to_string();
                }
            }
        }
        let number = if n.attribute((ACCORD_NS, "unnumbered")).is_some() {
            None
        } else if self.ours {
            num
        } else {
            num.map(|x| x.trim().trim_end_matches('.').to_string()).filter(|x| !x.is_empty())
        };
        let id = match n.attribute((ACCORD_NS, "id")) {
            Some(i) => i.to_string(),
            None => match (&number, &place.parent) {
                (Some(x), Some(parent)) if x.starts_with('(') => format!("{parent}{x}"),
                (Some(x), _) => x.clone(),
                (None, _) => format!("P{}", self.draft.paragraphs.len() + 1),
            },
        };
        let kind = if n.attribute("refersTo").is_some_and(|r| r.split_whitespace().any(|x| x == "#preamble"))
        {
            ParagraphKind::Preambular
        } else {
            place.kind
        };
        let (status, status_note) = self.statuses.get(eid).cloned().unwrap_or((Status::Open, None));
        let mut footnotes: Vec<String> = n
            .attribute((ACCORD_NS, "footnotes"))
            .and_then(|f| serde_json::from_str(f).ok())
            .unwrap_or_default();
        // authorialNotes of this paragraph's own text (not of its children).
        let holder = child(n, "content").or_else(|| child(n, "intro")).unwrap_or(n);
        let own_notes: Vec<Node> = holder
            .descendants()
            .filter(|d| d.tag_name().name() == "authorialNote")
            .filter(|d| {
                !d.ancestors()
                    .any(|a| a != n && a != holder && is_paragraph(a) && a.ancestors().any(|x| x == n))
            })
            .collect();
        for note in own_notes {
            if n.attribute((ACCORD_NS, "footnotes")).is_none() {
                footnotes.push(note.attribute("marker").unwrap_or("").to_string());
            }
            self.footnote(note);
        }
        self.draft.paragraphs.push(Paragraph {
            id: id.clone(),
            number,
            kind,
            // In Accord's files the attributes say it all (absent: none).
            heading: n.attribute((ACCORD_NS, "heading")).map(str::to_owned).or_else(|| {
                if self.ours {
                    None
                } else {
                    place.heading.clone()
                }
            }),
            parent: n.attribute((ACCORD_NS, "parent")).map(str::to_owned).or_else(|| {
                if self.ours {
                    None
                } else {
                    place.parent.clone()
                }
            }),
            option: option_label,
            status,
            status_note,
            text,
            brackets: restored.0,
            references: restored.1,
            footnotes,
            source_lines: lines(n),
            emphasis,
        });
        // Sub-paragraphs: in hierarchy children, or a preamble item's blockList.
        // Children take the part's kind (preamble or body), not their parent's.
        let inner = Place { parent: Some(id), ..place.clone() };
        for c in elements(n) {
            let name = c.tag_name().name();
            if matches!(name, "num" | "heading" | "subheading" | "content" | "intro" | "p") {
                continue;
            }
            let opt = name == "hcontainer" && c.attribute("name") == Some("option");
            if PARAGRAPHS.contains(&name) || opt {
                self.paragraph(c, &inner, opt);
            } else if name == "blockList" {
                for item in elements(c) {
                    if item.tag_name().name() == "item" {
                        self.paragraph(item, &inner, false);
                    }
                }
            } else {
                self.walk(c, &inner);
            }
        }
    }

    /// A block outside any paragraph (foreign documents: debates, speeches):
    /// an unnumbered paragraph with its text.
    fn loose_block(&mut self, n: Node<'a, 'i>, place: &Place) {
        let text = self.text_of(n);
        if text.is_empty() {
            return;
        }
        self.draft.paragraphs.push(Paragraph {
            id: format!("P{}", self.draft.paragraphs.len() + 1),
            number: None,
            kind: place.kind,
            heading: place.heading.clone(),
            parent: place.parent.clone(),
            option: None,
            status: Status::Open,
            status_note: None,
            text,
            brackets: Vec::new(),
            references: Vec::new(),
            footnotes: Vec::new(),
            source_lines: SourceLines::default(),
            emphasis: Vec::new(),
        });
    }

    /// The text of an element: Accord's exactly; other tools' with
    /// whitespace collapsed (their files are indented).
    fn text_of(&self, n: Node<'a, 'i>) -> String {
        let mut out = String::new();
        self.collect(n, &mut out);
        if self.ours {
            return out;
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn collect(&self, n: Node<'a, 'i>, out: &mut String) {
        for c in n.children() {
            if c.is_text() {
                out.push_str(c.text().unwrap_or(""));
                continue;
            }
            if !c.is_element() {
                continue;
            }
            let name = c.tag_name().name();
            match name {
                "authorialNote" | "noteRef" | "num" if name != "num" || n.tag_name().name() != "p" => {}
                "eol" | "eop" => out.push(if self.ours { '\n' } else { ' ' }),
                "inline" if c.attribute("name") == Some("controlCharacter") => {
                    if let Some(ch) = c
                        .attribute((ACCORD_NS, "char"))
                        .and_then(|x| x.parse::<u32>().ok())
                        .and_then(char::from_u32)
                    {
                        out.push(ch);
                    }
                }
                "inline" if !self.ours && c.attribute("name") == Some("bracket") => {
                    let mut inner = String::new();
                    self.collect(c, &mut inner);
                    let t = inner.trim();
                    let open = !t.starts_with('[') && !class_has(c, "opens-before");
                    let close = !t.ends_with(']') && !class_has(c, "closes-after");
                    if open {
                        out.push('[');
                    }
                    out.push_str(&inner);
                    if close {
                        out.push(']');
                    }
                }
                _ if c.tag_name().namespace() == Some(ACCORD_NS) => {}
                _ => self.collect(c, out),
            }
        }
    }

    /// Accord's paragraph text, exactly, with its brackets and references
    /// read from their elements and attributes.
    fn collect_marked(&self, n: Node<'a, 'i>, out: &mut String, m: &mut Marks) {
        for c in n.children() {
            if c.is_text() {
                let t = c.text().unwrap_or("");
                out.push_str(t);
                m.chars += t.chars().count() as u32;
                continue;
            }
            if !c.is_element() || c.tag_name().namespace() == Some(ACCORD_NS) {
                continue;
            }
            let (bytes, chars) = (out.len(), m.chars);
            match (c.tag_name().name(), c.attribute("name")) {
                ("authorialNote" | "noteRef", _) => {}
                ("eol" | "eop", _) => {
                    out.push('\n');
                    m.chars += 1;
                }
                ("inline", Some("controlCharacter")) => {
                    if let Some(ch) = c
                        .attribute((ACCORD_NS, "char"))
                        .and_then(|x| x.parse::<u32>().ok())
                        .and_then(char::from_u32)
                    {
                        out.push(ch);
                        m.chars += 1;
                    }
                }
                ("inline", Some("bracket")) => {
                    self.collect_marked(c, out, m);
                    match c.attribute((ACCORD_NS, "depth")).and_then(|d| d.parse().ok()) {
                        Some(depth) => m.brackets.push(Bracket {
                            text: out[bytes..].to_string(),
                            start: chars,
                            end: m.chars,
                            depth,
                            alternatives: c
                                .attribute((ACCORD_NS, "alternatives"))
                                .and_then(|a| serde_json::from_str(a).ok()),
                            follows_bracket: c.attribute((ACCORD_NS, "follows")) == Some("true"),
                            opens_before: class_has(c, "opens-before"),
                            closes_after: class_has(c, "closes-after"),
                        }),
                        None => m.complete = false,
                    }
                }
                ("ref", _) => {
                    self.collect_marked(c, out, m);
                    let kind = match c.attribute("class") {
                        Some("resolution") => Some(ReferenceKind::Resolution),
                        Some("document") => Some(ReferenceKind::Document),
                        Some("paragraph") => Some(ReferenceKind::Paragraph),
                        Some("article") => Some(ReferenceKind::Article),
                        _ => None,
                    };
                    match kind {
                        Some(kind) => m.references.push(Reference {
                            kind,
                            text: out[bytes..].to_string(),
                            start: chars,
                            end: m.chars,
                            symbol: c.attribute((ACCORD_NS, "symbol")).map(str::to_owned),
                            targets: c
                                .attribute((ACCORD_NS, "targets"))
                                .and_then(|t| serde_json::from_str(t).ok())
                                .unwrap_or_default(),
                            document: c.attribute((ACCORD_NS, "document")).map(str::to_owned),
                        }),
                        None => m.complete = false,
                    }
                }
                (tag @ ("b" | "i" | "u"), _) => {
                    self.collect_marked(c, out, m);
                    let kind = match tag {
                        "b" => EmphasisKind::Bold,
                        "i" => EmphasisKind::Italic,
                        _ => EmphasisKind::Underline,
                    };
                    m.emphasis.push(Emphasis { kind, start: chars, end: m.chars });
                }
                _ => self.collect_marked(c, out, m),
            }
        }
    }

    fn finish(mut self) -> Draft {
        let mut notes = std::mem::take(&mut self.notes);
        // Footnotes in their original order where it is known.
        notes.sort_by_key(|(i, _)| i.unwrap_or(usize::MAX));
        self.draft.footnotes = notes.into_iter().map(|(_, f)| f).collect();
        self.draft
    }
}

fn is_paragraph(n: Node) -> bool {
    let name = n.tag_name().name();
    PARAGRAPHS.contains(&name) || (name == "hcontainer" && n.attribute("name") == Some("option"))
}
