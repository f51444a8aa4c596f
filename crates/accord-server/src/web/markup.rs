//! HTML fragments built in Rust rather than in templates: a paragraph with
//! its brackets and references marked, and the SVG charts. Every piece of
//! text passes through [`esc`]; templates include these fragments unescaped,
//! so this file is where escaping must be right (tests below check it).

use std::fmt::Write;

use accord_core::negotiation::BurnPoint;
use accord_core::readiness::SectionStatus;
use accord_core::render::html_escape;
use accord_core::trace::CorpusIndex;
use accord_core::{Paragraph, Reference, ReferenceKind};

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    html_escape(s)
}

/// Where the references of a paragraph lead: a paragraph or article of a
/// text the corpus holds, to that passage on the corpus's page here; a
/// resolution or document symbol, to its copy in the corpus, else to the
/// United Nations' official document system.
#[derive(Clone, Copy, Default)]
pub struct Links<'a> {
    corpus: Option<&'a CorpusIndex>,
}

impl<'a> Links<'a> {
    /// Links through `corpus`, when the server has one.
    pub fn through(corpus: Option<&'a CorpusIndex>) -> Links<'a> {
        Links { corpus }
    }

    /// The address `r` leads to, if any.
    pub fn href(&self, r: &Reference) -> Option<String> {
        let corpus = self.corpus;
        match (&r.kind, &r.symbol) {
            (ReferenceKind::Resolution | ReferenceKind::Document, Some(symbol)) => {
                let held = corpus.and_then(|c| c.documents.iter().find(|d| same_symbol(&d.symbol, symbol)));
                Some(match held {
                    Some(d) => corpus_href(&d.symbol, None),
                    None => format!("https://undocs.org/{}", url_path(symbol)),
                })
            }
            (ReferenceKind::Paragraph | ReferenceKind::Article, _) => {
                let c = corpus?;
                let d = &c.documents[c.find_document(r.document.as_deref()?)?];
                let unit = r.targets.first().filter(|t| d.units.iter().any(|u| &&u.number == t));
                // A passage the copy lacks: the document's page, which says what it holds.
                Some(corpus_href(&d.symbol, unit.map(String::as_str)))
            }
            _ => None,
        }
    }
}

/// "70/1" is the corpus's "A/RES/70/1": the same symbol, its series prefix
/// left out as drafts write it.
fn same_symbol(held: &str, cited: &str) -> bool {
    held == cited || held.strip_suffix(cited).is_some_and(|prefix| prefix.ends_with('/'))
}

/// The page of an adopted text of the corpus, at one of its units.
pub fn corpus_href(symbol: &str, unit: Option<&str>) -> String {
    match unit {
        Some(n) => format!("/corpus/{}#{}", url_path(symbol), unit_anchor(n)),
        None => format!("/corpus/{}", url_path(symbol)),
    }
}

/// The anchor of a corpus unit on its document's page (`u-17.19`).
pub fn unit_anchor(number: &str) -> String {
    format!("u-{}", url_component(&number.split_whitespace().collect::<Vec<_>>().join("_")))
}

/// A symbol as a URL path: each part between slashes percent-encoded.
fn url_path(symbol: &str) -> String {
    symbol.split('/').map(url_component).collect::<Vec<_>>().join("/")
}

/// Percent-encodes all but the unreserved characters of a URL (RFC 3986).
pub fn url_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A paragraph's text with brackets as nested `<span class="bracket">`
/// (depth and alternatives legible) and references as links where the
/// document symbol is known. The characters are exactly the paragraph's:
/// markup is added around them, nothing is inserted or dropped.
pub fn paragraph_html(p: &Paragraph) -> String {
    paragraph_html_linked(p, &[], Links::default())
}

/// As [`paragraph_html_linked`], references linked without a corpus.
pub fn paragraph_html_marked(p: &Paragraph, changed: &[(u32, u32)]) -> String {
    paragraph_html_linked(p, changed, Links::default())
}

/// As [`paragraph_html`], with the character spans `changed` in
/// `<mark class="changed">` (the live screen's highlight of an edit). A
/// change is cut where a bracket or reference begins or ends, so the marks
/// nest inside them; the paragraph's emphasis (`<strong>`, `<em>`, `<u>`)
/// is cut wherever any of them begins or ends, and nests innermost.
pub fn paragraph_html_linked(p: &Paragraph, changed: &[(u32, u32)], links: Links<'_>) -> String {
    let chars: Vec<char> = p.text.chars().collect();
    // (position, order, markup): at one position, emphasis closes first,
    // then a change's mark, then brackets and references close, open, a
    // mark opens, and emphasis opens last — emphasis is innermost.
    let mut marks: Vec<(u32, u8, String)> = Vec::new();
    for b in &p.brackets {
        let class = if b.alternatives.is_some() { "bracket alts" } else { "bracket" };
        let title = match &b.alternatives {
            Some(a) => format!(" title=\"alternatives: {}\"", esc(&a.join(" | "))),
            None => String::new(),
        };
        marks.push((
            b.start,
            4,
            format!("<span class=\"{class}\" data-depth=\"{}\"{title}>", b.depth.min(9)),
        ));
        marks.push((b.end, 2, "</span>".to_string()));
    }
    for r in &p.references {
        // Links only where they nest cleanly with the brackets.
        let crosses = p.brackets.iter().any(|b| {
            (r.start < b.start && b.start < r.end && r.end < b.end)
                || (b.start < r.start && r.start < b.end && b.end < r.end)
        });
        if crosses {
            continue;
        }
        let open = match links.href(r) {
            Some(href) => format!("<a class=\"ref\" href=\"{}\">", esc(&href)),
            None => "<span class=\"ref\">".to_string(),
        };
        let close = if open.starts_with("<a") { "</a>" } else { "</span>" };
        marks.push((r.start, 5, open));
        marks.push((r.end, 3, close.to_string()));
    }
    let mut cuts: Vec<u32> = marks.iter().map(|m| m.0).collect();
    cuts.sort_unstable();
    for &(start, end) in changed {
        let end = end.min(chars.len() as u32);
        let mut from = start;
        for &cut in cuts.iter().filter(|&&c| c > start && c < end).chain(std::iter::once(&end)) {
            if cut > from {
                marks.push((from, 6, "<mark class=\"changed\">".to_string()));
                marks.push((cut, 1, "</mark>".to_string()));
            }
            from = cut;
        }
    }
    if !p.emphasis.is_empty() {
        // Emphasis, innermost, cut wherever any other element begins or ends.
        let mut cuts: Vec<u32> = marks.iter().map(|m| m.0).collect();
        cuts.sort_unstable();
        cuts.dedup();
        let len = chars.len() as u32;
        for (a, b, style) in accord_core::emphasis::pieces(len, &p.emphasis) {
            if style.is_plain() {
                continue;
            }
            let (mut open, mut close) = (String::new(), String::new());
            for (on, tag) in [(style.bold, "strong"), (style.italic, "em"), (style.underline, "u")] {
                if on {
                    open.push_str(&format!("<{tag}>"));
                    close.insert_str(0, &format!("</{tag}>"));
                }
            }
            let mut from = a;
            for &cut in cuts.iter().filter(|&&c| c > a && c < b).chain(std::iter::once(&b)) {
                marks.push((from, 7, open.clone()));
                marks.push((cut, 0, close.clone()));
                from = cut;
            }
        }
    }
    marks.sort_by_key(|m| (m.0, m.1));
    let mut out = String::with_capacity(p.text.len() * 2);
    let mut at = 0usize;
    let mut text = String::new();
    for (pos, _, markup) in marks {
        let pos = (pos as usize).min(chars.len());
        if pos > at {
            text.clear();
            text.extend(&chars[at..pos]);
            out.push_str(&esc(&text));
            at = pos;
        }
        out.push_str(&markup);
    }
    if at < chars.len() {
        text.clear();
        text.extend(&chars[at..]);
        out.push_str(&esc(&text));
    }
    out
}

/// The bracket burn-down as an SVG line chart: open brackets and paragraphs
/// not agreed after each change.
pub fn burn_down_svg(points: &[BurnPoint]) -> String {
    let (w, h, pad) = (640.0f64, 220.0f64, 36.0f64);
    let mut out = format!(
        "<svg role=\"img\" aria-labelledby=\"burn-title\" viewBox=\"0 0 {w} {h}\" class=\"chart\" id=\"burn-down\">\
         <title id=\"burn-title\">Bracket burn-down: open brackets and paragraphs not agreed after each change</title>"
    );
    if points.is_empty() {
        out.push_str("<text x=\"20\" y=\"40\">No draft yet.</text></svg>");
        return out;
    }
    let max = points.iter().map(|p| p.brackets.max(p.not_agreed)).max().unwrap_or(1).max(1) as f64;
    let n = points.len().max(2) as f64 - 1.0;
    let x = |i: usize| pad + (w - 2.0 * pad) * (i as f64) / n;
    let y = |v: usize| h - pad - (h - 2.0 * pad) * (v as f64) / max;
    let line = |f: &dyn Fn(&BurnPoint) -> usize| {
        points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(f(p))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let _ = write!(
        out,
        "<line x1=\"{pad}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" class=\"axis\"/>\
         <line x1=\"{pad}\" y1=\"{pad}\" x2=\"{pad}\" y2=\"{:.1}\" class=\"axis\"/>\
         <text x=\"4\" y=\"{:.1}\" class=\"tick\">{}</text><text x=\"4\" y=\"{:.1}\" class=\"tick\">0</text>\
         <polyline points=\"{}\" class=\"series brackets\"/><polyline points=\"{}\" class=\"series not-agreed\"/>\
         <text x=\"{:.1}\" y=\"16\" class=\"legend brackets\">brackets: {}</text>\
         <text x=\"{:.1}\" y=\"32\" class=\"legend not-agreed\">not agreed: {}</text></svg>",
        h - pad,
        w - pad,
        h - pad,
        h - pad,
        pad + 4.0,
        max as usize,
        h - pad,
        line(&|p| p.brackets),
        line(&|p| p.not_agreed),
        w - 220.0,
        points.last().map_or(0, |p| p.brackets),
        w - 220.0,
        points.last().map_or(0, |p| p.not_agreed),
    );
    out
}

/// Paragraph statuses by section as stacked horizontal bars.
pub fn status_svg(sections: &[SectionStatus]) -> String {
    let row = 26.0f64;
    let (w, label_w) = (640.0f64, 230.0f64);
    let h = row * sections.len() as f64 + 40.0;
    let mut out = format!(
        "<svg role=\"img\" aria-labelledby=\"status-title\" viewBox=\"0 0 {w} {h}\" class=\"chart\" id=\"status-by-section\">\
         <title id=\"status-title\">Paragraph status by section</title>"
    );
    let max = sections.iter().map(|s| s.counts.total).max().unwrap_or(1).max(1) as f64;
    for (i, s) in sections.iter().enumerate() {
        let y = 8.0 + row * i as f64;
        let name = s.title.as_deref().or(s.heading.as_deref()).unwrap_or("(before the first heading)");
        let short: String = name.chars().take(34).collect();
        let _ = write!(out, "<text x=\"0\" y=\"{:.1}\" class=\"tick\">{}</text>", y + 15.0, esc(&short));
        let mut x = label_w;
        let c = &s.counts;
        for (n, class) in [
            (c.agreed, "agreed"),
            (c.agreed_ad_ref, "agreed-ad-ref"),
            (c.suggested_for_closure, "suggested-for-closure"),
            (c.open, "open"),
        ] {
            let bw = (w - label_w - 10.0) * n as f64 / max;
            if n > 0 {
                let _ = write!(
                    out,
                    "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"18\" class=\"bar {class}\"><title>{n} {}</title></rect>",
                    class.replace('-', " ")
                );
            }
            x += bw;
        }
    }
    let y = h - 12.0;
    let _ = write!(
        out,
        "<text x=\"{label_w}\" y=\"{y}\" class=\"legend\"><tspan class=\"agreed\">■ agreed</tspan> \
         <tspan class=\"agreed-ad-ref\">■ ad ref</tspan> <tspan class=\"suggested-for-closure\">■ suggested for closure</tspan> \
         <tspan class=\"open\">■ open</tspan></text></svg>"
    );
    out
}

/// The letters that travel with a draft (the President's transmittal, the
/// co-facilitators' letter, a revision's cover letter), as they read: date,
/// addressees, salutation, body, signatures. Folded on the draft page (the
/// text comes first), open in the print view. Every text is escaped.
pub fn letters_html(letters: &[accord_core::Letter], open: bool) -> String {
    if letters.is_empty() {
        return String::new();
    }
    let who = |l: &accord_core::Letter| {
        let from = if l.sender.trim().is_empty() {
            "the co-facilitators".to_string()
        } else {
            title_case(&l.sender)
        };
        match &l.date {
            Some(d) => format!("from {from}, {d}"),
            None => format!("from {from}"),
        }
    };
    let summary = letters.iter().map(who).collect::<Vec<_>>().join("; ");
    let heading = if letters.len() == 1 {
        "The letter with this draft".to_string()
    } else {
        format!("The {} letters with this draft", letters.len())
    };
    let mut out = format!(
        "<details class=\"letters\"{}><summary><strong>{}</strong> ({})</summary>",
        if open { " open" } else { "" },
        esc(&heading),
        esc(&summary)
    );
    for (i, l) in letters.iter().enumerate() {
        out.push_str(&format!(
            "<article class=\"letter\" id=\"letter-{}\" aria-label=\"Letter {}\">",
            i + 1,
            esc(&who(l))
        ));
        if !l.letterhead.is_empty() {
            out.push_str(&format!(
                "<p class=\"letterhead\">{}</p>",
                l.letterhead.iter().map(|x| esc(x)).collect::<Vec<_>>().join("<br>")
            ));
        }
        if let Some(d) = &l.date {
            out.push_str(&format!("<p class=\"letter-date\">{}</p>", esc(d)));
        }
        if let Some(s) = &l.salutation {
            out.push_str(&format!("<p>{}</p>", esc(s)));
        }
        for b in &l.body {
            out.push_str(&format!("<p dir=\"auto\">{}</p>", esc(b)));
        }
        for s in &l.signatures {
            out.push_str(&format!(
                "<p class=\"signature\">{}</p>",
                s.iter().map(|x| esc(x)).collect::<Vec<_>>().join("<br>")
            ));
        }
        if !l.addressees.is_empty() {
            out.push_str(&format!(
                "<p class=\"addressees\">{}</p>",
                l.addressees.iter().map(|x| esc(x)).collect::<Vec<_>>().join("<br>")
            ));
        }
        out.push_str("</article>");
    }
    out.push_str("</details>");
    out
}

/// "THE PRESIDENT OF THE GENERAL ASSEMBLY" as a reader says it: "The
/// President of the General Assembly" (a line in capitals only).
fn title_case(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().any(char::is_lowercase) {
        return s;
    }
    const SMALL: &[&str] = &["of", "the", "and", "to", "for", "in", "on"];
    s.split(' ')
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if i > 0 && SMALL.contains(&lower.as_str()) {
                lower
            } else {
                let mut c = lower.chars();
                c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_markup_keeps_every_character_and_escapes() {
        let d = accord_core::parse(
            "1. We <script>alert(1)</script> agree [in [2020/2025]] per resolution 70/1 & more.\n",
        );
        let p = &d.paragraphs[0];
        let html = paragraph_html(p);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains(
            "<span class=\"bracket\" data-depth=\"1\">[in <span class=\"bracket alts\" data-depth=\"2\""
        ));
        assert!(html.contains("<a class=\"ref\" href=\"https://undocs.org/"));
        // Strip the markup: the text comes back exactly.
        let mut plain = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => plain.push(c),
                _ => {}
            }
        }
        let plain = plain
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        assert_eq!(plain, p.text);
    }

    #[test]
    fn changes_are_marked_inside_brackets_and_references() {
        let d = accord_core::parse("1. We agree [to act [by 2030]] under resolution 70/1.\n");
        let p = &d.paragraphs[0];
        let text: Vec<char> = p.text.chars().collect();
        let at = |s: &str| p.text.find(s).map(|b| p.text[..b].chars().count() as u32).unwrap();
        // From "agree" into the middle of the inner bracket, and the reference.
        let changed = [(at("agree"), at("2030")), (at("resolution"), text.len() as u32)];
        let html = paragraph_html_marked(p, &changed);
        assert!(html.contains("<mark class=\"changed\">agree </mark>"), "{html}");
        // Every tag closes in the order it opened.
        let mut open: Vec<String> = Vec::new();
        for tag in html.split('<').skip(1).map(|t| t.split(['>', ' ']).next().unwrap()) {
            match tag.strip_prefix('/') {
                Some(name) => assert_eq!(open.pop().as_deref(), Some(name), "{html}"),
                None => open.push(tag.to_string()),
            }
        }
        assert!(open.is_empty(), "{html}");
        assert_eq!(paragraph_html_marked(p, &[]), paragraph_html(p));
    }

    #[test]
    fn emphasis_nests_innermost_and_keeps_every_character() {
        use accord_core::{Emphasis, EmphasisKind};
        let d = accord_core::parse("1. Recalling [its [resolution 70/1]] & more.\n");
        let mut p = d.paragraphs[0].clone();
        let at = |s: &str| p.text.find(s).map(|b| p.text[..b].chars().count() as u32).unwrap();
        let len = p.text.chars().count() as u32;
        // Italic from the verb into the inner bracket; bold over "70/1] & more".
        p.emphasis = vec![
            Emphasis { kind: EmphasisKind::Italic, start: 0, end: at("tion") },
            Emphasis { kind: EmphasisKind::Bold, start: at("70/1"), end: len },
        ];
        let changed = [(at("its"), at("[resolution"))];
        let html = paragraph_html_marked(&p, &changed);
        assert!(
            html.starts_with("<em>Recalling </em><span class=\"bracket\" data-depth=\"1\"><em>["),
            "{html}"
        );
        assert!(html.contains("<mark class=\"changed\"><em>its </em></mark>"), "{html}");
        assert!(html.contains("<strong>70/1</strong>"), "{html}");
        assert!(html.ends_with("<strong> &amp; more.</strong>"), "{html}");
        let mut open: Vec<String> = Vec::new();
        for tag in html.split('<').skip(1).map(|t| t.split(['>', ' ']).next().unwrap()) {
            match tag.strip_prefix('/') {
                Some(name) => assert_eq!(open.pop().as_deref(), Some(name), "{html}"),
                None => open.push(tag.to_string()),
            }
        }
        assert!(open.is_empty(), "{html}");
        let mut plain = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => plain.push(c),
                _ => {}
            }
        }
        assert_eq!(plain.replace("&amp;", "&"), p.text);
    }

    #[test]
    fn charts_are_svg_and_escape_names() {
        let svg = burn_down_svg(&[
            BurnPoint { seq: 1, at_ms: 0, brackets: 10, not_agreed: 5 },
            BurnPoint { seq: 2, at_ms: 1, brackets: 4, not_agreed: 5 },
        ]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>") && svg.contains("brackets: 4"));
        let r = accord_core::readiness(&accord_core::parse("Preamble <b>\n\n1. Text.\n"));
        assert!(!status_svg(&r.sections).contains("<b>"));
    }
}
