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

/// Deepest nesting read as brackets. Real drafts nest a handful deep (the
/// Paris texts reach 9); a `[` deeper than this is read as plain text, with its
/// `]`, and reported once per nest. The cap also bounds the work: each
/// character lies inside at most this many brackets, so the brackets' texts
/// together are at most this many times the text.
pub const MAX_BRACKET_DEPTH: u32 = 16;

/// An opening bracket waiting for its `]`: unit, character and byte offset.
struct Open {
    unit: usize,
    offset: u32,
    byte: usize,
    depth: u32,
}

/// A matched pair: where it opens and where it closes (character and byte
/// offsets of the `[` and the `]`).
struct Pair {
    open: (usize, u32, usize),
    close: (usize, u32, usize),
    depth: u32,
}

/// A bracket of one unit with the byte range of its text there.
struct Placed {
    bracket: Bracket,
    bytes: (usize, usize),
}

/// Matches brackets across `units` (texts in document order). Returns, for
/// each unit, its brackets (outermost first within each nest). Time and
/// memory are linear in the units' length (see [`MAX_BRACKET_DEPTH`]).
pub(crate) fn match_brackets(
    units: &[&str],
    locate: &dyn Locate,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Vec<Bracket>> {
    match_counting(units, locate, diagnostics, &mut 0)
}

/// [`match_brackets`], adding to `work` one step per character read, copied
/// or compared: what a test bounds instead of time.
fn match_counting(
    units: &[&str],
    locate: &dyn Locate,
    diagnostics: &mut Vec<Diagnostic>,
    work: &mut u64,
) -> Vec<Vec<Bracket>> {
    let mut warn = |(line, column): (u32, u32), code: &str, message: String| {
        diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            code: code.into(),
            message,
            line,
            column,
        });
    };
    let mut stack: Vec<Open> = Vec::new();
    let mut pairs: Vec<Pair> = Vec::new();
    // `[` read as plain text for being too deep, still waiting for their `]`.
    let mut too_deep = 0usize;
    for (u, text) in units.iter().enumerate() {
        let b = text.as_bytes();
        if !b.contains(&b'[') && !b.contains(&b']') {
            continue;
        }
        *work += text.len() as u64;
        for (n, (byte, c)) in text.char_indices().enumerate() {
            let n = n as u32;
            match c {
                '[' if stack.len() as u32 >= MAX_BRACKET_DEPTH => {
                    if too_deep == 0 {
                        warn(
                            locate.locate(u, n),
                            "bracket-depth",
                            format!(
                                "brackets nest more than {MAX_BRACKET_DEPTH} deep; the deeper ones are read as \
                                 plain text"
                            ),
                        );
                    }
                    too_deep += 1;
                }
                '[' => stack.push(Open { unit: u, offset: n, byte, depth: stack.len() as u32 + 1 }),
                ']' if too_deep > 0 => too_deep -= 1,
                ']' => match stack.pop() {
                    Some(o) => pairs.push(Pair {
                        open: (o.unit, o.offset, o.byte),
                        close: (u, n, byte),
                        depth: o.depth,
                    }),
                    None => warn(
                        locate.locate(u, n),
                        "unbalanced-bracket",
                        "closing bracket `]` with no opening bracket; read as plain text".into(),
                    ),
                },
                _ => {}
            }
        }
    }
    for open in stack {
        warn(
            locate.locate(open.unit, open.offset),
            "unbalanced-bracket",
            "opening bracket `[` is never closed; read as plain text".into(),
        );
    }
    // Later-reported diagnostics should still read in source order.
    diagnostics.sort_by_key(|d| (d.line, d.column));

    // Lengths only matter for brackets that cross units; each is counted once.
    let mut lengths: Vec<Option<u32>> = vec![None; units.len()];
    let mut length = |u: usize| {
        *lengths[u].get_or_insert_with(|| {
            *work += units[u].len() as u64;
            units[u].chars().count() as u32
        })
    };
    let mut out: Vec<Vec<Placed>> = units.iter().map(|_| Vec::new()).collect();
    for p in &pairs {
        let ((ou, oo, ob), (cu, co, cb), depth) = (p.open, p.close, p.depth);
        if ou == cu {
            out[ou].push(bracket(units[ou], (oo, ob), (co + 1, cb + 1), depth, false, false));
        } else {
            let end = (length(ou), units[ou].len());
            out[ou].push(bracket(units[ou], (oo, ob), end, depth, false, true));
            for mid in ou + 1..cu {
                let end = (length(mid), units[mid].len());
                out[mid].push(bracket(units[mid], (0, 0), end, depth, true, true));
            }
            out[cu].push(bracket(units[cu], (0, 0), (co + 1, cb + 1), depth, true, false));
        }
    }
    // Each bracket's text is copied once and read once for alternatives.
    *work += out.iter().flatten().map(|p| 2 * (p.bytes.1 - p.bytes.0) as u64 + 1).sum::<u64>();
    out.into_iter()
        .enumerate()
        .map(|(u, mut placed)| {
            placed.sort_by_key(|p| (p.bracket.start, std::cmp::Reverse(p.bracket.end)));
            *work += mark_adjacent(units[u], &mut placed);
            placed.into_iter().map(|p| p.bracket).collect()
        })
        .collect()
}

/// The bracket from character (and byte) offset `start` to `end` of `text`.
fn bracket(
    text: &str,
    (start, from): (u32, usize),
    (end, to): (u32, usize),
    depth: u32,
    opens_before: bool,
    closes_after: bool,
) -> Placed {
    let span = &text[from..to];
    let alternatives =
        if opens_before || closes_after { None } else { alternatives(&span[1..span.len() - 1]) };
    Placed {
        bracket: Bracket {
            text: span.to_string(),
            start,
            end,
            depth,
            alternatives,
            follows_bracket: false,
            opens_before,
            closes_after,
        },
        bytes: (from, to),
    }
}

/// Marks brackets that follow another of the same depth with only spaces
/// between (`[shall][should][other]`): a set of alternatives. Brackets of one
/// depth do not overlap, so the one before is the last seen at that depth.
/// Returns the characters it compared.
fn mark_adjacent(text: &str, placed: &mut [Placed]) -> u64 {
    let mut work = 0;
    let mut last_end: Vec<Option<usize>> = Vec::new();
    for p in placed.iter_mut() {
        let d = p.bracket.depth as usize;
        if last_end.len() <= d {
            last_end.resize(d + 1, None);
        }
        if let Some(e) = last_end[d] {
            if !p.bracket.opens_before && e <= p.bytes.0 {
                work += (p.bytes.0 - e) as u64 + 1;
                p.bracket.follows_bracket = text[e..p.bytes.0].chars().all(char::is_whitespace);
            }
        }
        last_end[d] = Some(p.bytes.1);
    }
    work
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

    /// 20,000 nested pairs on one line took 4 s and 463 MB when each bracket
    /// copied its text at any depth.
    #[test]
    fn deep_nesting_is_capped_and_reported_once() {
        let n = 20_000;
        let line = format!("{}x{}", "[a ".repeat(n), "] b".repeat(n));
        let mut d = Vec::new();
        let mut work = 0;
        let b = match_counting(&[&line], &NoLoc, &mut d, &mut work);
        assert_eq!(b[0].len(), MAX_BRACKET_DEPTH as usize);
        assert_eq!((b[0][0].start, b[0][0].end), (0, line.len() as u32 - 2));
        assert_eq!(b[0].last().unwrap().depth, MAX_BRACKET_DEPTH);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].code.as_str(), d[0].column), ("bracket-depth", 3 * MAX_BRACKET_DEPTH + 1));
        assert!(work <= 2 * (MAX_BRACKET_DEPTH as u64 + 2) * line.len() as u64, "{work}");
    }

    proptest::proptest! {
        /// The work of matching is linear in the input: at most a constant
        /// (set by the depth cap) times its length, whatever the nesting,
        /// however many brackets, across however many units.
        #[test]
        fn matching_work_is_linear(
            units in proptest::collection::vec("[\\[\\] a/é]{0,300}", 1..12),
            nest in 0usize..400,
        ) {
            let mut units = units;
            units[0] = format!("{}{}{}", "[".repeat(nest), units[0], "]".repeat(nest));
            let texts: Vec<&str> = units.iter().map(String::as_str).collect();
            let len: u64 = texts.iter().map(|t| t.len() as u64 + 1).sum();
            let (mut d, mut work) = (Vec::new(), 0);
            let b = match_counting(&texts, &NoLoc, &mut d, &mut work);
            let bound = 2 * (MAX_BRACKET_DEPTH as u64 + 2) * len;
            proptest::prop_assert!(work <= bound, "work {} > {} for {} bytes", work, bound, len);
            let copied: u64 = b.iter().flatten().map(|b| b.text.len() as u64).sum();
            proptest::prop_assert!(copied <= MAX_BRACKET_DEPTH as u64 * len);
            proptest::prop_assert!(b.iter().flatten().all(|b| b.depth <= MAX_BRACKET_DEPTH));
            proptest::prop_assert!(d.len() as u64 <= len);
        }
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
