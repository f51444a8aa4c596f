//! The outline of a draft: which heading stands under which. Real drafts mix
//! numbering styles — Parts (`A. Draft agreement`), chapters (`I.`, `II.`),
//! capitals-only titles (`MITIGATION`), lettered subsections (`A.`, `B.`)
//! below the chapters, articles, decimal sections (`1.1`) — and the same
//! style can stand at two depths (`B. DRAFT DECISION` and, below its chapter
//! IV, `B. Mitigation`). A heading's level comes from the styles open above
//! it, the way a reader follows it: a style seen before closes what was
//! opened under it, unless its letter does not continue that sequence, in
//! which case it opens a new level below.

use crate::label::{self, LabelKind};
use crate::model::Heading;

/// How a heading is numbered, for deciding its depth.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Style {
    /// `A.`, `B.`: a capital letter.
    Letter,
    /// `I.`, `IV.`: a roman numeral.
    Roman,
    /// `1.`, `1.1`, with the number of levels.
    Decimal(u8),
    /// `Article 2`, `Chapter IV`, `第一条`: the keyword, lower-cased.
    Keyword(String),
    /// An unnumbered title in capitals only (`MITIGATION`).
    Capitals,
    /// Any other unnumbered title (`Preamble`, `[Placeholder for annexes]`):
    /// it stands beside articles, never above them.
    Plain,
}

fn successor(prev: &str, next: &str) -> bool {
    match (prev.as_bytes(), next.as_bytes()) {
        ([p], [n]) => *n == p + 1,
        _ => roman_value(next).zip(roman_value(prev)).is_some_and(|(n, p)| n == p + 1),
    }
}

/// True when `next` comes after `prev` in its sequence (letters or romans).
fn after(prev: &str, next: &str) -> bool {
    match (roman_value(prev), roman_value(next)) {
        (Some(p), Some(n)) if prev.len() > 1 || next.len() > 1 => n > p,
        _ => next > prev,
    }
}

fn roman_value(s: &str) -> Option<u32> {
    let mut total = 0u32;
    let mut prev = 0u32;
    for c in s.chars().rev() {
        let v = match c {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            'C' => 100,
            _ => return None,
        };
        if v < prev {
            total = total.checked_sub(v)?;
        } else {
            total += v;
            prev = v;
        }
    }
    (total > 0).then_some(total)
}

/// The style and mark (`B`, `IV`) of a heading, given the styles open above it.
fn style(
    h: &Heading,
    open: &[(Style, String)],
    is_section_keyword: impl Fn(&str) -> bool,
) -> (Style, String) {
    let Some(written) = h.number.as_deref() else {
        let letters: Vec<char> = h.title.chars().filter(|c| c.is_alphabetic()).collect();
        let capitals = letters.len() >= 3 && letters.iter().all(|c| !c.is_lowercase());
        let style = if capitals && !is_section_keyword(&h.title) { Style::Capitals } else { Style::Plain };
        return (style, String::new());
    };
    match label::read(written).map(|l| l.kind) {
        Some(LabelKind::Number { levels, .. }) => (Style::Decimal(levels), h.id.clone()),
        Some(LabelKind::Keyword) => {
            let word = if h.id.starts_with('第') {
                h.id.chars().last().map(String::from).unwrap_or_default()
            } else {
                h.id.split(' ').next().unwrap_or("").to_lowercase()
            };
            (Style::Keyword(word), h.id.clone())
        }
        _ => {
            let mark = written.trim_end_matches('.').to_owned();
            let single = mark.len() == 1;
            // `I` after `H` is a letter; otherwise I, V, X are roman.
            let continues_letters =
                open.iter().rev().any(|(s, m)| *s == Style::Letter && single && successor(m, &mark));
            // Single letters other than I, V and X are letters (`L.` after `J.`).
            let roman_letter = !single || matches!(mark.as_str(), "I" | "V" | "X");
            let roman = roman_letter && roman_value(&mark).is_some() && !continues_letters;
            (if roman { Style::Roman } else { Style::Letter }, mark)
        }
    }
}

/// Sets every heading's `level` (1 at the top) from the numbering styles.
pub(crate) fn assign_levels(headings: &mut [Heading], is_section_keyword: impl Fn(&str) -> bool + Copy) {
    let mut open: Vec<(Style, String)> = Vec::new();
    for h in headings.iter_mut() {
        let (style, mark) = style(h, &open, is_section_keyword);
        if style == Style::Plain {
            // Beside an article or a decimal section, below anything else.
            let beside = matches!(open.last(), Some((Style::Keyword(_) | Style::Decimal(_), _)));
            h.level = (open.len() + usize::from(!beside)).clamp(1, u8::MAX as usize) as u8;
            continue;
        }
        let sequence = matches!(style, Style::Letter | Style::Roman);
        let found = open.iter().rposition(|(s, _)| *s == style);
        match found {
            // A letter that goes back in its sequence (`B. Mitigation` under
            // chapter IV, after `B. DRAFT DECISION`) opens a level below; one
            // that skips ahead (`L.` after `J.`) is still a sibling.
            Some(p) if sequence && !after(&open[p].1, &mark) && open.len() > p + 1 => {
                open.push((style, mark));
            }
            Some(p) => {
                open.truncate(p);
                open.push((style, mark));
            }
            None => open.push((style, mark)),
        }
        h.level = open.len().min(u8::MAX as usize) as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceLines;

    fn heading(number: Option<&str>, title: &str) -> Heading {
        let id = match number {
            Some(n) => n.trim_end_matches('.').to_owned(),
            None => title.to_owned(),
        };
        Heading {
            id,
            number: number.map(str::to_owned),
            title: title.into(),
            level: 0,
            first_paragraph: 0,
            source_lines: SourceLines::default(),
        }
    }

    fn levels(hs: &[(Option<&str>, &str)]) -> Vec<u8> {
        let mut hs: Vec<Heading> = hs.iter().map(|(n, t)| heading(*n, t)).collect();
        assign_levels(&mut hs, |t| t.eq_ignore_ascii_case("preamble"));
        hs.iter().map(|h| h.level).collect()
    }

    #[test]
    fn parts_chapters_lettered_subsections_and_articles() {
        assert_eq!(
            levels(&[
                (Some("A."), "DRAFT AGREEMENT"),
                (None, "Preamble"),
                (Some("Article 1"), "(DEFINITIONS)"),
                (Some("Article 2"), "(PURPOSE)"),
                (None, "[Placeholder for annexes]"),
                (Some("B."), "DRAFT DECISION"),
                (Some("I."), "ADOPTION"),
                (Some("III."), "DECISIONS TO GIVE EFFECT"),
                (None, "MITIGATION"),
                (None, "ADAPTATION"),
                (Some("IV."), "WORKSTREAM 2"),
                (Some("A."), "Preamble"),
                (Some("B."), "Mitigation"),
                (Some("C."), "Support"),
                (Some("V."), "ADMINISTRATIVE AND BUDGETARY MATTERS"),
            ]),
            [1, 2, 2, 2, 2, 1, 2, 2, 3, 3, 2, 3, 3, 3, 2]
        );
    }

    #[test]
    fn decimal_sections_and_letters_that_are_not_roman() {
        assert_eq!(
            levels(&[
                (None, "Preamble"),
                (Some("1."), "ICT for Development"),
                (Some("1.1"), "Bridging Digital Divides"),
                (Some("1.2"), "Enabling Environment"),
                (Some("2."), "Human Rights"),
            ]),
            [1, 1, 2, 2, 1]
        );
        // H then I: the ninth letter, not the roman one.
        assert_eq!(
            levels(&[(Some("I."), "Chapter"), (Some("G."), "g"), (Some("H."), "h"), (Some("I."), "i")]),
            [1, 2, 2, 2]
        );
        // A letter lost to extraction (`K.`) does not nest the next one.
        assert_eq!(
            levels(&[
                (Some("H."), "h"),
                (Some("I."), "i"),
                (Some("J."), "j"),
                (Some("L."), "l"),
                (Some("M."), "m")
            ]),
            [1, 1, 1, 1, 1]
        );
        assert_eq!(
            levels(&[(Some("Part I"), "General"), (Some("Article 1"), "Scope"), (Some("Part II"), "Rules")]),
            [1, 2, 1]
        );
    }
}
