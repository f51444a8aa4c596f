//! A comparison as native Word tracked changes: the document shows the new
//! draft over the old, so that "Accept all" in Word gives the new draft and
//! "Reject all" the old one.
//!
//! Paragraphs are aligned by the comparison's lineage (which old paragraph
//! became which new one), so a renumbered or reworded paragraph is one
//! paragraph with word-level `w:del`/`w:ins` (its number too, typed, so the
//! renumbering shows), a paragraph whose order changed is a move
//! (`w:moveFrom` at its old place, `w:moveTo` at its new one), a split or a
//! merge is the first part changed and the rest inserted or deleted whole.

use std::collections::HashMap;

use accord_core::{Comparison, Draft};
use similar::{capture_diff_slices, Algorithm, DiffTag};

use super::write::{del_run, document, esc, letter_blocks, package, paragraph, run, status_tag, typed_label};

/// Who made the changes and when (`w:author`, `w:date`).
#[derive(Debug, Clone)]
pub struct Authorship {
    /// The author Word shows: the co-facilitators for a revision, the delegation for a proposal.
    pub author: String,
    /// ISO 8601 (`2015-12-07T00:00:00Z`).
    pub date: String,
}

/// One line of a draft as the redline shows it.
struct Item {
    style: Option<String>,
    text: String,
    /// Paragraph index, for the lineage.
    paragraph: Option<usize>,
    heading: Option<usize>,
}

fn items(d: &Draft) -> Vec<Item> {
    let mut out = Vec::new();
    let plain = |text: String, style: Option<&str>| Item {
        style: style.map(str::to_owned),
        text,
        paragraph: None,
        heading: None,
    };
    for l in &d.front_matter {
        out.push(plain(l.text.clone(), None));
    }
    for block in letter_blocks(d) {
        out.push(plain(block, None));
    }
    if let Some(t) = &d.title {
        out.push(plain(
            format!("{t}{}", status_tag(d.title_status, d.title_status_note.as_deref())),
            Some("Title"),
        ));
    }
    if let Some(date) = &d.date {
        out.push(plain(date.clone(), Some("DateLine")));
    }
    let mut headings = d.headings.iter().enumerate().peekable();
    let heading = |k: usize, h: &accord_core::Heading| Item {
        style: Some(format!("Heading{}", h.level.clamp(1, 3))),
        text: match &h.number {
            Some(n) => format!("{n} {}", h.title),
            None => h.title.clone(),
        },
        paragraph: None,
        heading: Some(k),
    };
    for (i, p) in d.paragraphs.iter().enumerate() {
        while let Some((k, h)) = headings.next_if(|(_, h)| h.first_paragraph <= i) {
            out.push(heading(k, h));
        }
        let label = typed_label(p).map(|l| format!("{l} ")).unwrap_or_default();
        out.push(Item {
            style: None,
            text: format!("{label}{}{}", p.text, status_tag(p.status, p.status_note.as_deref())),
            paragraph: Some(i),
            heading: None,
        });
    }
    for (k, h) in headings {
        out.push(heading(k, h));
    }
    out
}

/// Words and the spaces between them, so that a word diff keeps spacing.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut space = None;
    for (i, c) in s.char_indices() {
        let is_space = c.is_whitespace();
        if space.is_some_and(|sp| sp != is_space) {
            out.push(&s[start..i]);
            start = i;
        }
        space = Some(is_space);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// The comparison of `old` and `new` as a .docx of tracked changes.
pub fn comparison(old: &Draft, new: &Draft, c: &Comparison, by: &Authorship) -> Vec<u8> {
    let (old_items, new_items) = (items(old), items(new));
    // Keys: linked paragraphs and headings share one; other lines match by text.
    let old_para: HashMap<&str, usize> =
        old.paragraphs.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
    let new_para: HashMap<&str, usize> =
        new.paragraphs.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
    let old_head: HashMap<&str, usize> =
        old.headings.iter().enumerate().map(|(i, h)| (h.id.as_str(), i)).collect();
    let new_head: HashMap<&str, usize> =
        new.headings.iter().enumerate().map(|(i, h)| (h.id.as_str(), i)).collect();
    let mut old_link: HashMap<(bool, usize), usize> = HashMap::new();
    let mut new_link: HashMap<(bool, usize), usize> = HashMap::new();
    for (k, (heading, l)) in
        c.paragraphs.iter().map(|l| (false, l)).chain(c.headings.iter().map(|l| (true, l))).enumerate()
    {
        let (om, nm) = if heading { (&old_head, &new_head) } else { (&old_para, &new_para) };
        // The first of a split's or merge's parts carries the link; the rest are whole.
        if let (Some(o), Some(n)) = (
            l.old.first().and_then(|id| om.get(id.as_str())),
            l.new.first().and_then(|id| nm.get(id.as_str())),
        ) {
            old_link.insert((heading, *o), k);
            new_link.insert((heading, *n), k);
        }
    }
    let key = |item: &Item, links: &HashMap<(bool, usize), usize>, side: &str, index: usize| -> String {
        let linked = match (item.paragraph, item.heading) {
            (Some(p), _) => links.get(&(false, p)),
            (_, Some(h)) => links.get(&(true, h)),
            _ => return format!("text:{}:{}", item.style.as_deref().unwrap_or(""), item.text),
        };
        match linked {
            Some(k) => format!("link:{k}"),
            None => format!("{side}:{index}"),
        }
    };
    let old_keys: Vec<String> =
        old_items.iter().enumerate().map(|(i, it)| key(it, &old_link, "old", i)).collect();
    let new_keys: Vec<String> =
        new_items.iter().enumerate().map(|(i, it)| key(it, &new_link, "new", i)).collect();
    let ops = capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys);
    // Keys deleted in one place and inserted in another are moves.
    let mut deleted_keys: HashMap<&str, usize> = HashMap::new();
    let mut inserted_keys: HashMap<&str, usize> = HashMap::new();
    for op in &ops {
        let (tag, o, n) = op.as_tag_tuple();
        if matches!(tag, DiffTag::Delete | DiffTag::Replace) {
            for i in o {
                if old_keys[i].starts_with("link:") {
                    deleted_keys.insert(&old_keys[i], i);
                }
            }
        }
        if matches!(tag, DiffTag::Insert | DiffTag::Replace) {
            for j in n {
                if new_keys[j].starts_with("link:") {
                    inserted_keys.insert(&new_keys[j], j);
                }
            }
        }
    }
    let mut w = Writer { by, next_id: 1, body: String::new() };
    let mut move_names: HashMap<&str, u32> = HashMap::new();
    for op in &ops {
        let (tag, o, n) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                for (i, j) in o.zip(n) {
                    w.changed(&old_items[i], &new_items[j]);
                }
            }
            _ => {
                for i in o {
                    if let Some(&j) = inserted_keys.get(old_keys[i].as_str()) {
                        let next = move_names.len() as u32 + 1;
                        let m = *move_names.entry(old_keys[i].as_str()).or_insert(next);
                        w.moved_from(&old_items[i], &new_items[j], m);
                    } else {
                        w.whole(&old_items[i], false);
                    }
                }
                for j in n {
                    if let Some(&i) = deleted_keys.get(new_keys[j].as_str()) {
                        let next = move_names.len() as u32 + 1;
                        let m = *move_names.entry(new_keys[j].as_str()).or_insert(next);
                        w.moved_to(&old_items[i], &new_items[j], m);
                    } else {
                        w.whole(&new_items[j], true);
                    }
                }
            }
        }
    }
    package(&document(&w.body), None, None)
}

struct Writer<'a> {
    by: &'a Authorship,
    next_id: u32,
    body: String,
}

impl Writer<'_> {
    fn meta(&mut self) -> String {
        let id = self.next_id;
        self.next_id += 1;
        format!(r#"w:id="{id}" w:author="{}" w:date="{}""#, esc(&self.by.author), esc(&self.by.date))
    }

    fn ins(&mut self, text: &str) -> String {
        if text.is_empty() {
            return String::new();
        }
        format!("<w:ins {}>{}</w:ins>", self.meta(), run(text, false))
    }

    fn del(&mut self, text: &str) -> String {
        if text.is_empty() {
            return String::new();
        }
        format!("<w:del {}>{}</w:del>", self.meta(), del_run(text))
    }

    /// A paragraph in both drafts: its words diffed.
    fn changed(&mut self, old: &Item, new: &Item) {
        let (a, b) = (tokens(&old.text), tokens(&new.text));
        let mut content = String::new();
        for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
            let (tag, o, n) = op.as_tag_tuple();
            let old_text: String = a[o].concat();
            let new_text: String = b[n].concat();
            match tag {
                DiffTag::Equal => content.push_str(&run(&new_text, false)),
                _ => {
                    content.push_str(&self.del(&old_text));
                    content.push_str(&self.ins(&new_text));
                }
            }
        }
        // The new style; a changed style is not a text change.
        self.body.push_str(&paragraph(new.style.as_deref(), None, "", &content));
    }

    /// A paragraph only in one draft: inserted or deleted with its mark.
    fn whole(&mut self, item: &Item, inserted: bool) {
        let (tag, content) =
            if inserted { ("ins", self.ins(&item.text)) } else { ("del", self.del(&item.text)) };
        let mark = format!("<w:{tag} {}/>", self.meta());
        self.body.push_str(&paragraph(item.style.as_deref(), None, &mark, &content));
    }

    fn moved_from(&mut self, old: &Item, _new: &Item, m: u32) {
        let range = self.next_id;
        self.next_id += 1;
        let meta = self.meta();
        let mark_meta = self.meta();
        let name = format!("move{m}");
        self.body.push_str(&format!(
            r#"<w:moveFromRangeStart w:id="{range}" w:name="{name}" w:author="{}" w:date="{}"/>"#,
            esc(&self.by.author),
            esc(&self.by.date)
        ));
        let content = format!("<w:moveFrom {meta}>{}</w:moveFrom>", del_run(&old.text));
        self.body.push_str(&paragraph(
            old.style.as_deref(),
            None,
            &format!("<w:moveFrom {mark_meta}/>"),
            &content,
        ));
        self.body.push_str(&format!(r#"<w:moveFromRangeEnd w:id="{range}"/>"#));
    }

    fn moved_to(&mut self, _old: &Item, new: &Item, m: u32) {
        let range = self.next_id;
        self.next_id += 1;
        let meta = self.meta();
        let mark_meta = self.meta();
        let name = format!("move{m}");
        self.body.push_str(&format!(
            r#"<w:moveToRangeStart w:id="{range}" w:name="{name}" w:author="{}" w:date="{}"/>"#,
            esc(&self.by.author),
            esc(&self.by.date)
        ));
        let content = format!("<w:moveTo {meta}>{}</w:moveTo>", run(&new.text, false));
        self.body.push_str(&paragraph(
            new.style.as_deref(),
            None,
            &format!("<w:moveTo {mark_meta}/>"),
            &content,
        ));
        self.body.push_str(&format!(r#"<w:moveToRangeEnd w:id="{range}"/>"#));
    }
}
