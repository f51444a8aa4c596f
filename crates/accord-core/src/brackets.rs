//! Brackets: the text not yet agreed.
//!
//! Brackets are matched over the whole document in order, not paragraph by
//! paragraph, because real drafts bracket whole groups of paragraphs (the
//! Paris texts open `[The Parties to this Agreement,` and close it pages
//! later). A bracket that crosses a paragraph boundary is recorded in each
//! paragraph it touches, flagged `opens_before` / `closes_after`. A `[` that
//! is never closed, or a `]` that closes nothing, is reported with its line and
//! column and otherwise read as a plain character, so one typo cannot swallow
//! the rest of the document. With a single kind of bracket, pairs cannot
//! cross each other; what the parser can and does report is imbalance.

use crate::model::{Bracket, Diagnostic, Severity};

/// Where a unit's characters came from, to report positions.
pub(crate) trait Locate {
    /// Source line and column of the character at `offset` of unit `unit`.
    fn locate(&self, unit: usize, offset: u32) -> (u32, u32);
}

struct Open {
    unit: usize,
    offset: u32,
    depth: u32,
}

/// Matches brackets across `units` (texts in document order). Returns, for
/// each unit, its brackets (outermost first within each nest).
pub(crate) fn match_brackets(
    units: &[&str],
    locate: &dyn Locate,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Vec<Bracket>> {
    let mut out: Vec<Vec<Bracket>> = vec![Vec::new(); units.len()];
    let mut stack: Vec<Open> = Vec::new();
    // Pairs as (open unit, open offset, close unit, close offset, depth).
    let mut pairs: Vec<(usize, u32, usize, u32, u32)> = Vec::new();
    for (u, text) in units.iter().enumerate() {
        let b = text.as_bytes();
        if !b.contains(&b'[') && !b.contains(&b']') {
            continue;
        }
        for (n, c) in text.chars().enumerate() {
            let n = n as u32;
            match c {
                '[' => stack.push(Open { unit: u, offset: n, depth: stack.len() as u32 + 1 }),
                ']' => match stack.pop() {
                    Some(open) => pairs.push((open.unit, open.offset, u, n, open.depth)),
                    None => {
                        let (line, column) = locate.locate(u, n);
                        diagnostics.push(Diagnostic {
                            severity: Severity::Warning,
                            code: "unbalanced-bracket".into(),
                            message: "closing bracket `]` with no opening bracket; read as plain text".into(),
                            line,
                            column,
                        });
                    }
                },
                _ => {}
            }
        }
    }
    // Lengths only matter for brackets that cross units.
    let length = |u: usize| units[u].chars().count() as u32;
    for open in stack {
        let (line, column) = locate.locate(open.unit, open.offset);
        diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            code: "unbalanced-bracket".into(),
            message: "opening bracket `[` is never closed; read as plain text".into(),
            line,
            column,
        });
    }
    // Later-reported diagnostics should still read in source order.
    diagnostics.sort_by_key(|d| (d.line, d.column));

    for &(ou, oo, cu, co, depth) in &pairs {
        if ou == cu {
            out[ou].push(bracket(units[ou], oo, co + 1, depth, false, false));
        } else {
            out[ou].push(bracket(units[ou], oo, length(ou), depth, false, true));
            for mid in ou + 1..cu {
                out[mid].push(bracket(units[mid], 0, length(mid), depth, true, true));
            }
            out[cu].push(bracket(units[cu], 0, co + 1, depth, true, false));
        }
    }
    for (u, brackets) in out.iter_mut().enumerate() {
        if brackets.is_empty() {
            continue;
        }
        brackets.sort_by_key(|b| (b.start, std::cmp::Reverse(b.end)));
        mark_adjacent(units[u], brackets);
    }
    out
}

fn bracket(text: &str, start: u32, end: u32, depth: u32, opens_before: bool, closes_after: bool) -> Bracket {
    let span: String = text.chars().skip(start as usize).take((end - start) as usize).collect();
    let alternatives =
        if opens_before || closes_after { None } else { alternatives(&span[1..span.len() - 1]) };
    Bracket {
        text: span,
        start,
        end,
        depth,
        alternatives,
        follows_bracket: false,
        opens_before,
        closes_after,
    }
}

/// Marks brackets that follow another of the same depth with only spaces
/// between (`[shall][should][other]`): a set of alternatives.
fn mark_adjacent(text: &str, brackets: &mut [Bracket]) {
    if brackets.len() < 2 {
        return;
    }
    let chars: Vec<char> = text.chars().collect();
    for i in 1..brackets.len() {
        let (depth, start) = (brackets[i].depth, brackets[i].start);
        let prev_end = brackets[..i].iter().rev().find(|b| b.depth == depth && b.end <= start).map(|b| b.end);
        if let Some(e) = prev_end {
            if !brackets[i].opens_before
                && chars[e as usize..start as usize].iter().all(|c| c.is_whitespace())
            {
                brackets[i].follows_bracket = true;
            }
        }
    }
}

/// The `/`-separated options inside a bracket, if it holds any:
/// `[2020/2025]`, `[participation / widest possible participation]`.
/// Not split: references (`[A/66/77]`, `[68/302]`), fractions (`[2/3]`),
/// `and/or` inside a longer bracketed sentence, or text with nested brackets
/// around the slash.
pub(crate) fn alternatives(inner: &str) -> Option<Vec<String>> {
    if !inner.contains('/') {
        return None;
    }
    // Split at depth 0 only.
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut last = 0;
    let spaced = inner.contains(" / ");
    let bytes = inner.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'[' => depth += 1,
            b']' => depth -= 1,
            b'/' if depth == 0 => {
                let is_spaced = i > 0 && bytes[i - 1] == b' ' && bytes.get(i + 1) == Some(&b' ');
                if !spaced || is_spaced {
                    parts.push(inner[last..i].trim());
                    last = i + 1;
                }
            }
            _ => {}
        }
    }
    parts.push(inner[last..].trim());
    if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    if !spaced {
        // Unspaced slashes: short options only, and not symbols or fractions.
        let all_numeric = parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if all_numeric {
            let years = parts.iter().all(|p| p.len() == 4 && (p.starts_with("19") || p.starts_with("20")));
            if !years {
                return None;
            }
        } else {
            if parts.iter().any(|p| p.split_whitespace().count() > 4) {
                return None;
            }
            if parts.iter().any(|p| p.bytes().any(|b| b.is_ascii_digit())) {
                return None; // A/66/77, 1/CP.21, 2/3 of …
            }
        }
    }
    Some(parts.into_iter().map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoLoc;
    impl Locate for NoLoc {
        fn locate(&self, unit: usize, offset: u32) -> (u32, u32) {
            (unit as u32 + 1, offset + 1)
        }
    }

    #[test]
    fn alternatives_rules() {
        assert_eq!(alternatives("2020/2025"), Some(vec!["2020".into(), "2025".into()]));
        assert_eq!(alternatives("68/302"), None);
        assert_eq!(alternatives("A/66/77"), None);
        assert_eq!(alternatives("2/3"), None);
        assert_eq!(alternatives("shall/should"), Some(vec!["shall".into(), "should".into()]));
        assert_eq!(
            alternatives("participation / widest possible participation"),
            Some(vec!["participation".into(), "widest possible participation".into()])
        );
        assert_eq!(alternatives("we commit to implement and/or support the full set of measures"), None);
    }

    #[test]
    fn nesting_and_spanning() {
        let mut d = Vec::new();
        let units = ["a [b [c] d] e [f", "g] h", "i ]"];
        let b = match_brackets(&units, &NoLoc, &mut d);
        assert_eq!(b[0].len(), 3);
        assert_eq!((b[0][0].start, b[0][0].end, b[0][0].depth), (2, 11, 1));
        assert_eq!((b[0][1].text.as_str(), b[0][1].depth), ("[c]", 2));
        assert!(b[0][2].closes_after);
        assert!(b[1][0].opens_before && !b[1][0].closes_after);
        assert_eq!(b[1][0].text, "g]");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (3, 3));
    }

    #[test]
    fn adjacent_alternatives() {
        let mut d = Vec::new();
        let b = match_brackets(&["Each Party [shall][should] [other] act"], &NoLoc, &mut d);
        assert_eq!(b[0].iter().map(|b| b.follows_bracket).collect::<Vec<_>>(), vec![false, true, true]);
    }

    #[test]
    fn unclosed_is_reported_and_ignored() {
        let mut d = Vec::new();
        let b = match_brackets(&["one [two", "three"], &NoLoc, &mut d);
        assert!(b[0].is_empty() && b[1].is_empty());
        assert_eq!(d[0].code, "unbalanced-bracket");
        assert_eq!((d[0].line, d[0].column), (1, 5));
    }
}
