//! Human-readable renderings of a draft: Markdown (to paste or convert) and
//! plain text for the terminal. Both read like the document, with statuses
//! beside paragraphs; neither loses text (brackets stay as written).

use std::fmt::Write as _;

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

fn depth(p: &Paragraph, draft: &Draft) -> usize {
    let mut d = 0;
    let mut cur = p.parent.as_deref();
    while let Some(id) = cur {
        d += 1;
        cur = draft.paragraphs.iter().find(|q| q.id == id).and_then(|q| q.parent.as_deref());
        if d > 8 {
            break;
        }
    }
    d
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
    let mut headings = draft.headings.iter().peekable();
    for (i, p) in draft.paragraphs.iter().enumerate() {
        while let Some(h) = headings.next_if(|h| h.first_paragraph <= i) {
            let hashes = "#".repeat((h.level as usize + 1).min(6));
            let number = h.number.as_deref().map(|n| format!("{n} ")).unwrap_or_default();
            let _ = writeln!(out, "{hashes} {}{}\n", md_escape(&number), md_escape(&h.title));
        }
        let indent = "  ".repeat(depth(p, draft));
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
    let mut headings = draft.headings.iter().peekable();
    for (i, p) in draft.paragraphs.iter().enumerate() {
        while let Some(h) = headings.next_if(|h| h.first_paragraph <= i) {
            let number = h.number.as_deref().map(|n| format!("{n} ")).unwrap_or_default();
            let _ = writeln!(out, "\n{number}{}\n", h.title);
        }
        let indent = "    ".repeat(depth(p, draft));
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
