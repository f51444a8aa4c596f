//! Human-readable renderings of a draft: Markdown (to paste or convert) and
//! plain text. Both read like the document, with statuses beside
//! paragraphs; neither loses text (brackets stay as written). A comparison as
//! text, with the marks the caller chooses ([`Marks`]: terminal colours are
//! the CLI's). HTML is the server's (`accord_server::render`), built from
//! [`SECTIONS`] and [`LinkedTexts`] as the text is.

use std::fmt::Write as _;

use foldhash::HashMap;

use crate::model::{Draft, Paragraph, Status};

/// Escapes what CommonMark would otherwise read as markup, keeping brackets
/// readable: a bracket is only a link when `](` follows, so only that is escaped.
fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '`' | '<' => {
                out.push('\\');
                out.push(c);
            }
            '(' if out.ends_with(']') => out.push_str("\\("),
            _ => out.push(c),
        }
    }
    out
}

fn status_tag(status: Status, note: Option<&str>) -> Option<String> {
    (status != Status::Open).then(|| match note {
        Some(n) => format!("[{}, {n}]", status.tag()),
        None => format!("[{}]", status.tag()),
    })
}

/// Nesting depth of each paragraph (sub-paragraphs and options under their
/// parent), computed in one pass: parents come before their children.
fn depths(draft: &Draft) -> Vec<usize> {
    let mut by_id: HashMap<&str, usize> = HashMap::default();
    let mut out = Vec::with_capacity(draft.paragraphs.len());
    for p in &draft.paragraphs {
        let d = p.parent.as_deref().and_then(|id| by_id.get(id)).map_or(0, |d| (d + 1).min(8));
        by_id.insert(&p.id, d);
        out.push(d);
    }
    out
}

/// Paragraphs by id, for renderings that follow links between drafts.
fn by_id(draft: &Draft) -> HashMap<&str, &Paragraph> {
    draft.paragraphs.iter().map(|p| (p.id.as_str(), p)).collect()
}

/// Renders the draft as Markdown.
pub fn markdown(draft: &Draft) -> String {
    let mut out = String::new();
    for letter in &draft.letters {
        let _ = writeln!(out, "> **{}**", md_escape(&letter.sender));
        if let Some(d) = &letter.date {
            let _ = writeln!(out, ">\n> {}", md_escape(d));
        }
        if let Some(s) = &letter.salutation {
            let _ = writeln!(out, ">\n> {}", md_escape(s));
        }
        for b in &letter.body {
            let _ = writeln!(out, ">\n> {}", md_escape(b));
        }
        for s in &letter.signatures {
            let _ = writeln!(out, ">\n> {}", md_escape(&s.join(", ")));
        }
        if !letter.addressees.is_empty() {
            let _ = writeln!(out, ">\n> {}", md_escape(&letter.addressees.join(" ")));
        }
        out.push('\n');
    }
    if let Some(t) = &draft.title {
        let _ = write!(out, "# {}", md_escape(t));
        if let Some(tag) = status_tag(draft.title_status, draft.title_status_note.as_deref()) {
            let _ = write!(out, " *{}*", md_escape(&tag));
        }
        out.push_str("\n\n");
    }
    if let Some(d) = &draft.date {
        let _ = writeln!(out, "*{}*\n", md_escape(d));
    }
    let depth = depths(draft);
    let mut headings = draft.headings.iter().peekable();
    for (i, p) in draft.paragraphs.iter().enumerate() {
        while let Some(h) = headings.next_if(|h| h.first_paragraph <= i) {
            let hashes = "#".repeat((h.level as usize + 1).min(6));
            let number = h.number.as_deref().map(|n| format!("{n} ")).unwrap_or_default();
            let _ = writeln!(out, "{hashes} {}{}\n", md_escape(&number), md_escape(&h.title));
        }
        let indent = "  ".repeat(depth[i]);
        let bullet = if p.parent.is_some() { "- " } else { "" };
        let label = match (&p.option, &p.number) {
            (Some(o), _) => format!("**{}:** ", md_escape(o)),
            (None, Some(n)) if p.parent.is_some() => format!("**{}** ", md_escape(n)),
            (None, Some(n)) => format!("**{}.** ", md_escape(n)),
            (None, None) => String::new(),
        };
        let _ = write!(out, "{indent}{bullet}{label}{}", md_escape(&p.text));
        if let Some(tag) = status_tag(p.status, p.status_note.as_deref()) {
            let _ = write!(out, " *{}*", md_escape(&tag));
        }
        for f in &p.footnotes {
            let _ = write!(out, "[^{f}]");
        }
        out.push_str("\n\n");
    }
    for h in headings {
        let hashes = "#".repeat((h.level as usize + 1).min(6));
        let _ = writeln!(out, "{hashes} {}\n", md_escape(&h.title));
    }
    for f in &draft.footnotes {
        let _ = writeln!(out, "[^{}]: {}\n", f.marker, md_escape(&f.text));
    }
    out
}

/// Renders the draft as plain text for reading in a terminal.
pub fn text(draft: &Draft) -> String {
    let mut out = String::new();
    for (n, letter) in draft.letters.iter().enumerate() {
        let _ = writeln!(
            out,
            "Letter {} (lines {}–{}): from {}{}",
            n + 1,
            letter.source_lines.first,
            letter.source_lines.last,
            letter.sender,
            letter.date.as_deref().map(|d| format!(", {d}")).unwrap_or_default()
        );
    }
    if !draft.letters.is_empty() {
        out.push('\n');
    }
    if let Some(t) = &draft.title {
        let _ = write!(out, "{t}");
        if let Some(tag) = status_tag(draft.title_status, draft.title_status_note.as_deref()) {
            let _ = write!(out, "  {tag}");
        }
        out.push('\n');
    }
    if let Some(d) = &draft.date {
        let _ = writeln!(out, "{d}");
    }
    let depth = depths(draft);
    let mut headings = draft.headings.iter().peekable();
    for (i, p) in draft.paragraphs.iter().enumerate() {
        while let Some(h) = headings.next_if(|h| h.first_paragraph <= i) {
            let number = h.number.as_deref().map(|n| format!("{n} ")).unwrap_or_default();
            let _ = writeln!(out, "\n{number}{}\n", h.title);
        }
        let indent = "    ".repeat(depth[i]);
        let label = p.option.as_deref().or(p.number.as_deref()).unwrap_or("");
        let _ = write!(out, "{indent}{label:>6}  {}", p.text);
        if let Some(tag) = status_tag(p.status, p.status_note.as_deref()) {
            let _ = write!(out, "  {tag}");
        }
        out.push('\n');
    }
    for h in headings {
        let _ = writeln!(out, "\n{}", h.title);
    }
    out
}

// ---------------------------------------------------------------------------
// Comparisons.

use crate::compare::{Class, Comparison, Fate, Link, Relation};

/// The paragraphs of both drafts of a comparison by id: what a rendering
/// needs to show a link's texts.
pub struct LinkedTexts<'a> {
    old: HashMap<&'a str, &'a Paragraph>,
    new: HashMap<&'a str, &'a Paragraph>,
}

impl<'a> LinkedTexts<'a> {
    /// Indexes the two drafts compared.
    pub fn new(old: &'a Draft, new: &'a Draft) -> LinkedTexts<'a> {
        LinkedTexts { old: by_id(old), new: by_id(new) }
    }

    /// The old and new texts a link compares (joined for splits and merges).
    pub fn texts(&self, link: &Link) -> (String, String) {
        let join = |ids: &[String], d: &HashMap<&str, &Paragraph>| {
            ids.iter()
                .filter_map(|id| d.get(id.as_str()))
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        (join(&link.old, &self.old), join(&link.new, &self.new))
    }
}

/// Which links a section of a comparison shows.
pub type LinkFilter = fn(&Link) -> bool;

/// The sections of a comparison, in the order a delegate reads them:
/// what matters first. Every rendering (text here, HTML in the server) uses them.
pub const SECTIONS: [(&str, LinkFilter); 4] = [
    ("Substantive changes", |l| l.class == Some(Class::Substantive)),
    ("Marginal changes", |l| l.class == Some(Class::Marginal)),
    ("Moved, split or merged without change of words", |l| {
        l.class.is_none() && matches!(l.relation, Relation::Moved | Relation::Split | Relation::Merged)
    }),
    ("New and deleted paragraphs", |l| matches!(l.relation, Relation::New | Relation::Deleted)),
];

/// How a text rendering marks what changed. [`WDIFF`] is plain text; the
/// CLI gives terminal colours of its own.
#[derive(Debug, Clone, Copy)]
pub struct Marks<'a> {
    /// Around deleted words.
    pub deleted: (&'a str, &'a str),
    /// Around inserted words.
    pub inserted: (&'a str, &'a str),
    /// Around section headings.
    pub heading: (&'a str, &'a str),
}

/// `[-deleted-]` and `{+inserted+}`, as wdiff writes them.
pub const WDIFF: Marks<'static> = Marks { deleted: ("[-", "-]"), inserted: ("{+", "+}"), heading: ("", "") };

fn ids(v: &[String]) -> String {
    if v.is_empty() {
        "—".into()
    } else {
        v.join(" + ")
    }
}

/// The comparison as text, changes marked with `marks` ([`WDIFF`]:
/// `[-deleted-]` and `{+inserted+}`).
pub fn comparison_text(c: &Comparison, old: &Draft, new: &Draft, marks: &Marks<'_>) -> String {
    let texts = LinkedTexts::new(old, new);
    let ((del_o, del_c), (ins_o, ins_c), (bold, reset)) = (marks.deleted, marks.inserted, marks.heading);
    let s = &c.summary;
    let mut out = String::new();
    let _ = writeln!(out, "{bold}Comparison{reset}: {} → {} paragraphs", s.old_paragraphs, s.new_paragraphs);
    let rel: Vec<String> = s.relations.iter().map(|(k, v)| format!("{v} {k}")).collect();
    let _ = writeln!(out, "  {}", rel.join(", "));
    let _ = writeln!(
        out,
        "  {} substantive, {} marginal; brackets: {} resolved, {} open in the new draft; {} status changes",
        s.classes.get("substantive").unwrap_or(&0),
        s.classes.get("marginal").unwrap_or(&0),
        s.brackets_resolved,
        s.brackets_open,
        s.statuses_changed
    );
    for (title, pick) in SECTIONS {
        let chosen: Vec<&Link> = c.paragraphs.iter().filter(|l| pick(l)).collect();
        if chosen.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{bold}{title}{reset} ({})", chosen.len());
        for l in chosen {
            let _ = writeln!(
                out,
                "\n  {} → {}  [{}{}]",
                ids(&l.old),
                ids(&l.new),
                l.relation.as_str(),
                if l.reasons.is_empty() { String::new() } else { format!(": {}", l.reasons.join("; ")) }
            );
            if l.class.is_some() && !l.changes.is_empty() {
                let (ot, _) = texts.texts(l);
                let marks = [del_o, del_c, ins_o, ins_c];
                let _ = writeln!(out, "    {}", inline_changes(&ot, &l.changes, marks, CONTEXT_WORDS));
            } else if l.relation == Relation::New {
                let (_, nt) = texts.texts(l);
                let _ = writeln!(out, "    {ins_o}{nt}{ins_c}");
            } else if l.relation == Relation::Deleted {
                let (ot, _) = texts.texts(l);
                let _ = writeln!(out, "    {del_o}{ot}{del_c}");
            }
        }
    }
    let renumbered: Vec<String> = c
        .paragraphs
        .iter()
        .filter(|l| l.relation == Relation::Renumbered)
        .map(|l| format!("{}→{}", ids(&l.old), ids(&l.new)))
        .collect();
    if !renumbered.is_empty() {
        let _ =
            writeln!(out, "\n{bold}Renumbered only{reset} ({}): {}", renumbered.len(), renumbered.join(", "));
    }
    if !c.brackets.is_empty() {
        let _ = writeln!(out, "\n{bold}Brackets{reset}");
        for b in &c.brackets {
            let fate = match b.fate {
                Fate::Open => "still open".to_owned(),
                Fate::Kept => "resolved: text kept".to_owned(),
                Fate::Deleted => "resolved: text deleted".to_owned(),
                Fate::Chosen => format!("resolved: \"{}\" chosen", b.chosen.as_deref().unwrap_or("")),
                Fate::Reworded => format!("reworded as {}", b.reworded.as_deref().unwrap_or("")),
                Fate::New => "new".to_owned(),
            };
            let at = match (&b.old_paragraph, &b.new_paragraph) {
                (Some(o), Some(n)) if o != n => format!("{o}→{n}"),
                (Some(o), _) => o.clone(),
                (None, Some(n)) => n.clone(),
                (None, None) => String::new(),
            };
            let text: String = if b.text.chars().count() > 80 {
                b.text.chars().take(79).chain(['…']).collect()
            } else {
                b.text.clone()
            };
            let _ = writeln!(out, "  {at:>10}  {text}  — {fate}");
        }
    }
    if !c.front.is_empty() {
        let _ = writeln!(out, "\n{bold}Title and date{reset}");
        for f in &c.front {
            let _ = writeln!(
                out,
                "  {}: {} → {}",
                f.field,
                f.old.as_deref().unwrap_or("(none)"),
                f.new.as_deref().unwrap_or("(none)")
            );
        }
    }
    if !c.statuses.is_empty() {
        let _ = writeln!(out, "\n{bold}Status changes{reset}");
        for st in &c.statuses {
            let _ = writeln!(out, "  {}→{}: {} → {}", st.old, st.new, st.from.as_str(), st.to.as_str());
        }
    }
    out
}

/// Words of unchanged text shown around each change in the terminal.
const CONTEXT_WORDS: usize = 8;

/// The changes in place in the old text, wdiff style, with `context` words of
/// unchanged text around each and `…` where more was left out.
fn inline_changes(old: &str, changes: &[crate::compare::Change], marks: [&str; 4], context: usize) -> String {
    let chars: Vec<char> = old.chars().collect();
    let slice = |a: u32, b: u32| -> String {
        chars[(a as usize).min(chars.len())..(b as usize).min(chars.len())].iter().collect()
    };
    let words_head = |t: &str, n: usize| -> String {
        let w: Vec<&str> = t.split(' ').collect();
        if w.len() <= n {
            t.to_owned()
        } else {
            format!("{} …", w[..n].join(" "))
        }
    };
    let words_tail = |t: &str, n: usize| -> String {
        let w: Vec<&str> = t.split(' ').collect();
        if w.len() <= n {
            t.to_owned()
        } else {
            format!("… {}", w[w.len() - n..].join(" "))
        }
    };
    let [del_o, del_c, ins_o, ins_c] = marks;
    let mut out = String::new();
    let mut pos = 0u32;
    let mut sorted: Vec<&crate::compare::Change> = changes.iter().collect();
    sorted.sort_by_key(|c| (c.old_span[0], c.new_span[0]));
    for (k, ch) in sorted.iter().enumerate() {
        let gap = slice(pos, ch.old_span[0]);
        out.push_str(&if k == 0 {
            words_tail(&gap, context)
        } else {
            let w: Vec<&str> = gap.split(' ').collect();
            if w.len() <= 2 * context {
                gap.clone()
            } else {
                format!("{} … {}", w[..context].join(" "), w[w.len() - context..].join(" "))
            }
        });
        if !ch.old.is_empty() {
            let _ = write!(out, "{del_o}{}{del_c}", ch.old);
        }
        if !ch.new.is_empty() {
            // Word changes hold words, not the spaces between them: a pure
            // insertion is spaced like the text it joins, so that
            // "its {+thematic+} reviews" does not read "{+thematic+}reviews",
            // and "fellowships{+, mentoring+} and" keeps its comma attached.
            let starts_word = ch.new.starts_with(char::is_alphanumeric);
            let next = chars.get(ch.old_span[1] as usize).copied();
            if ch.old.is_empty() {
                if starts_word && out.ends_with(char::is_alphanumeric) {
                    out.push(' ');
                } else if !starts_word && ch.new.starts_with([',', '.', ';', ':']) && out.ends_with(' ') {
                    out.pop();
                }
            }
            let _ = write!(out, "{ins_o}{}{ins_c}", ch.new);
            if ch.old.is_empty() && next.is_some_and(char::is_alphanumeric) {
                out.push(' ');
            }
        }
        pos = ch.old_span[1];
    }
    out.push_str(&words_head(&slice(pos, chars.len() as u32), context));
    out
}

/// Escapes text for HTML.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
