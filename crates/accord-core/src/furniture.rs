//! Page furniture and footnotes: what a PDF puts on every page that is not
//! the document's text. Running headers ("ADP 2-8 - agenda item 3"), page
//! numbers ("Page 1 of 20", "2 of 46", a bare "7"), and footnotes at the
//! bottom of a page are recognised here and set aside, so that a paragraph
//! broken by a page end reads on as one paragraph.
//!
//! Pages are known from form feeds (what `pdftotext` writes). Without them,
//! only unmistakable page-number lines are taken as furniture, with the short
//! lines repeated beside them (a document symbol printed on every page).

use std::collections::HashMap;

use crate::lines::{self, Ending};
use crate::model::{Footnote, Line, SourceLines};
use crate::source::SrcLine;

/// What a source line is, once furniture and footnotes are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Body,
    Furniture,
    Footnote,
}

pub(crate) struct PageLayout {
    pub roles: Vec<Role>,
    pub furniture: Vec<Line>,
    pub footnotes: Vec<Footnote>,
}

/// "Page 3", "Page 3 of 20", "3 of 46", "- 3 -", "3".
pub(crate) fn is_page_number(text: &str) -> bool {
    let t = text.trim();
    let t = t.strip_prefix("Page ").or_else(|| t.strip_prefix("page ")).unwrap_or(t);
    let t = t.trim_matches(|c: char| c == '-' || c == '–' || c == '—' || c.is_whitespace());
    let mut parts = t.split_whitespace();
    let is_num = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(a), None, None, None) => is_num(a),
        (Some(a), Some("of" | "/" | "de"), Some(b), None) => is_num(a) && is_num(b),
        _ => false,
    }
}

/// "Page 3 of 20" / "3 of 46": a page number no text line can be mistaken for.
fn is_explicit_page_number(text: &str) -> bool {
    let t = text.trim();
    is_page_number(t) && (t.contains(" of ") || t.starts_with("Page ") || t.starts_with("page "))
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Finds furniture and footnotes.
pub(crate) fn detect(src: &[SrcLine<'_>]) -> PageLayout {
    let mut roles = vec![Role::Body; src.len()];
    // Page boundaries: indices where a page starts.
    let mut starts: Vec<usize> = vec![0];
    starts.extend(src.iter().enumerate().skip(1).filter(|(_, l)| l.page_break).map(|(i, _)| i));
    let pages: Vec<(usize, usize)> = starts
        .iter()
        .enumerate()
        .map(|(k, &s)| (s, starts.get(k + 1).copied().unwrap_or(src.len())))
        .collect();

    if pages.len() >= 2 {
        paged(src, &pages, &mut roles);
    } else {
        unpaged(src, &mut roles);
    }
    let footnotes = if pages.len() >= 2 { footnotes(src, &pages, &mut roles) } else { Vec::new() };
    let furniture = src
        .iter()
        .zip(&roles)
        .filter(|(_, r)| **r == Role::Furniture)
        .map(|(l, _)| Line { line: l.no, text: l.text().to_owned() })
        .collect();
    PageLayout { roles, furniture, footnotes }
}

fn non_blank<'s>(
    src: &'s [SrcLine<'_>],
    from: usize,
    to: usize,
) -> impl DoubleEndedIterator<Item = usize> + 's {
    (from..to).filter(move |&i| !src[i].is_blank())
}

fn paged(src: &[SrcLine<'_>], pages: &[(usize, usize)], roles: &mut [Role]) {
    // Page numbers: the first or last non-blank line of a page.
    for &(s, e) in pages {
        let last = non_blank(src, s, e).next_back();
        let first = non_blank(src, s, e).next();
        for i in [first, last].into_iter().flatten() {
            if is_page_number(src[i].text()) {
                roles[i] = Role::Furniture;
            }
        }
    }
    // Running headers and footers: lines repeated at the top or bottom of many pages.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let edge_lines = |s: usize, e: usize, roles: &[Role]| -> Vec<usize> {
        let mut v: Vec<usize> = non_blank(src, s, e).filter(|&i| roles[i] == Role::Body).take(3).collect();
        v.extend(non_blank(src, s, e).rev().filter(|&i| roles[i] == Role::Body).take(2));
        v.sort_unstable();
        v.dedup();
        v
    };
    for &(s, e) in pages {
        let mut on_page: Vec<String> =
            edge_lines(s, e, roles).into_iter().map(|i| normalise(src[i].text())).collect();
        on_page.sort();
        on_page.dedup();
        for t in on_page {
            *seen.entry(t).or_default() += 1;
        }
    }
    let threshold = (pages.len() / 3).max(2);
    for &(s, e) in pages {
        // Only the lines at the very edge of the page, contiguous from the edge.
        let edge = edge_lines(s, e, roles);
        for i in edge {
            let t = normalise(src[i].text());
            let count = seen.get(&t).copied().unwrap_or(0);
            // A running header or footer is a label, not a sentence.
            let sentence = lines::ending(&t) == Ending::Terminal;
            if count >= threshold && t.chars().count() <= 100 && !t.is_empty() && !sentence {
                roles[i] = Role::Furniture;
            }
        }
    }
}

fn unpaged(src: &[SrcLine<'_>], roles: &mut [Role]) {
    let mut marks = Vec::new();
    for (i, l) in src.iter().enumerate() {
        if is_explicit_page_number(l.text()) {
            roles[i] = Role::Furniture;
            marks.push(i);
        }
    }
    if marks.len() < 2 {
        return;
    }
    // Short lines repeated next to page numbers (a symbol or running title).
    let mut near: HashMap<String, Vec<usize>> = HashMap::new();
    for &m in &marks {
        let lo = m.saturating_sub(3);
        let hi = (m + 4).min(src.len());
        for (i, line) in src.iter().enumerate().take(hi).skip(lo) {
            if i != m && !line.is_blank() && line.text().chars().count() <= 80 {
                near.entry(normalise(line.text())).or_default().push(i);
            }
        }
    }
    for (_, idx) in near {
        if idx.len() >= 2 && idx.len() * 2 >= marks.len() {
            for i in idx {
                roles[i] = Role::Furniture;
            }
        }
    }
}

fn footnote_marker(text: &str) -> Option<(&str, &str)> {
    let t = text.trim_start();
    let end = t.find(|c: char| !(c.is_ascii_digit() || c == '*' || c == '†')).unwrap_or(t.len());
    if end == 0 || end > 3 {
        return None;
    }
    let marker = &t[..end];
    if marker.contains(|c: char| c.is_ascii_digit()) && !marker.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = &t[end..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some((marker, rest.trim()))
}

/// `lines[0]` is the next footnote number (`last + 1`) alone on its line,
/// and the next non-blank line is indented deeper: a footnote's marker at
/// its hanging indent, whatever stands before it.
fn is_hanging_marker(src: &[SrcLine<'_>], lines: &[usize], marker: &str, rest: &str, last: u32) -> bool {
    if !rest.is_empty() || marker.parse::<u32>().ok() != Some(last + 1) {
        return false;
    }
    let indent = src[lines[0]].indent();
    lines[1..].iter().map(|&j| &src[j]).find(|l| !l.is_blank()).is_some_and(|l| l.indent() > indent)
}

/// Footnotes sit at the bottom of a page, after a blank line, each starting
/// at the left margin with its marker (alone on a line, or before the text);
/// numbered markers must continue the document's footnote sequence.
fn footnotes(src: &[SrcLine<'_>], pages: &[(usize, usize)], roles: &mut [Role]) -> Vec<Footnote> {
    let mut out: Vec<Footnote> = Vec::new();
    let mut last_number = 0u32;
    for &(s, e) in pages {
        let body: Vec<usize> = (s..e).filter(|&i| roles[i] == Role::Body).collect();
        // Find the first line of the footnote zone: a marker line preceded by 2+ blank lines.
        let mut zone = None;
        for (k, &i) in body.iter().enumerate() {
            // Footnotes are in the lower half of a page's text.
            if src[i].is_blank() || k < 2 || k * 2 < body.len() {
                continue;
            }
            let Some((marker, rest)) = footnote_marker(src[i].text()) else {
                continue;
            };
            // The next number in sequence alone on its line, its text at a
            // deeper indent below: a footnote wherever it stands.
            if is_hanging_marker(src, &body[k..], marker, rest, last_number) {
                zone = Some(k);
                break;
            }
            let blanks_before = body[..k].iter().rev().take_while(|&&j| src[j].is_blank()).count();
            if blanks_before < 1 || src[i].indent() > 2 {
                continue;
            }
            if let Ok(n) = marker.parse::<u32>() {
                if n <= last_number || n > last_number + 3 {
                    continue;
                }
            }
            // The footnote text starts upper-case or with a bracket.
            let next_text = if rest.is_empty() {
                body[k + 1..].iter().map(|&j| src[j].text()).find(|t| !t.is_empty()).unwrap_or("")
            } else {
                rest
            };
            let first = next_text.chars().next();
            if first.is_none_or(|c| c.is_lowercase()) {
                continue;
            }
            zone = Some(k);
            break;
        }
        let Some(k) = zone else { continue };
        let mut current: Option<Footnote> = None;
        for (n, &i) in body[k..].iter().enumerate() {
            let l = &src[i];
            if l.is_blank() {
                continue;
            }
            roles[i] = Role::Footnote;
            // A footnote that ends mid-sentence does not swallow the next one
            // when that one's marker stands alone at the margin.
            let starts_new = footnote_marker(l.text()).filter(|(m, rest)| {
                m.parse::<u32>().map_or(true, |n| n > last_number && n <= last_number + 5)
                    && (current
                        .as_ref()
                        .is_none_or(|c| lines::ending(&c.text) != Ending::Open || c.text.is_empty())
                        || is_hanging_marker(src, &body[k + n..], m, rest, last_number))
            });
            match starts_new {
                Some((marker, rest)) => {
                    if let Ok(n) = marker.parse::<u32>() {
                        last_number = n;
                    }
                    out.extend(current.take());
                    current = Some(Footnote {
                        marker: marker.to_owned(),
                        text: rest.to_owned(),
                        source_lines: SourceLines { first: l.no, last: l.no },
                        emphasis: Vec::new(),
                    });
                }
                None => {
                    if let Some(c) = current.as_mut() {
                        lines::join_onto(&mut c.text, l.text());
                        c.source_lines.last = l.no;
                    }
                }
            }
        }
        out.extend(current.take());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::split_lines;

    #[test]
    fn page_numbers() {
        assert!(is_page_number("Page 1 of 20"));
        assert!(is_page_number("   1 of 46"));
        assert!(is_page_number("7"));
        assert!(is_page_number("- 7 -"));
        assert!(!is_page_number("7 December 2015"));
        assert!(!is_page_number("12. We"));
    }

    #[test]
    fn headers_footers_and_footnotes_set_aside() {
        let mut text = String::new();
        for p in 1..=4 {
            if p > 1 {
                text.push('\u{c}');
            }
            text.push_str("ADP 2-8 - agenda item 3\n\n");
            text.push_str(&format!("{p}. Body text of paragraph {p}, which goes on\n"));
            text.push_str(&format!("and ends on page {p}.\n\n\n"));
            if p == 2 {
                text.push_str("1\n  A footnote that explains.\n\n");
            }
            text.push_str(&format!("                 Page {p} of 4\n"));
        }
        let src = split_lines(&text);
        let layout = detect(&src);
        assert_eq!(layout.furniture.len(), 8, "{:?}", layout.furniture);
        assert_eq!(layout.footnotes.len(), 1);
        assert_eq!(layout.footnotes[0].marker, "1");
        assert_eq!(layout.footnotes[0].text, "A footnote that explains.");
    }
}
