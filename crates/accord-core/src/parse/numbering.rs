//! The numbering checks of the parser (gaps, repeats, order, restarts per
//! article or part) and footnote markers glued to paragraph text.

use super::*;

/// True when paragraph numbering starts again under headings (a treaty's
/// articles): then paragraph ids are qualified by their heading.
pub(super) fn numbering_restarts(units: &[Unit]) -> bool {
    let mut seen_one = false;
    let mut restarts = 0;
    let mut after_heading = false;
    for u in units {
        if u.heading {
            after_heading = true;
            continue;
        }
        if let Some(Label { kind: LabelKind::Number { value, suffixed: false, levels: 1, .. }, .. }) =
            &u.label
        {
            if after_heading && *value == 1 && seen_one {
                restarts += 1;
            }
            seen_one |= *value == 1;
            after_heading = false;
        }
    }
    restarts >= 1
}

/// A set of paragraph numbers, as bits: numbers are dense and small.
#[derive(Default)]
pub(super) struct NumberSet(Vec<u64>);

impl NumberSet {
    fn contains(&self, n: u32) -> bool {
        self.0.get(n as usize / 64).is_some_and(|w| w & (1 << (n % 64)) != 0)
    }
    fn insert(&mut self, n: u32) {
        let i = n as usize / 64;
        if self.0.len() <= i {
            self.0.resize(i + 1, 0);
        }
        self.0[i] |= 1 << (n % 64);
    }
    fn remove(&mut self, n: u32) {
        if let Some(w) = self.0.get_mut(n as usize / 64) {
            *w &= !(1 << (n % 64));
        }
    }
    fn clear(&mut self) {
        self.0.clear();
    }
}

/// Numbering gaps, duplicates and disorder among top-level numbered paragraphs.
pub(super) fn check_numbering(units: &[Unit], diagnostics: &mut Vec<Diagnostic>) {
    let mut last: Option<u32> = None;
    let mut seen = NumberSet::default();
    let mut heading_since = false;
    // Each option of a block numbers its paragraphs from where the block
    // began (`Option 1: 3.` / `Option 2: 3.`, `3bis`): the last number before
    // the first option, and the numbers an option added undone at the next
    // (an undo list, so the check stays linear).
    let mut before_options: Option<Option<u32>> = None;
    let mut added_in_option: Vec<u32> = Vec::new();
    let mut number_column: Option<u32> = None;
    // The highest number any option of the current block reached: the
    // paragraphs after the block follow it.
    let mut block_max: Option<u32> = None;
    for u in units {
        if u.heading {
            heading_since = true;
            before_options = None;
            block_max = None;
            added_in_option.clear();
            continue;
        }
        // A block's options stand at the margin of the numbers; one at a
        // paragraph's hanging indent is an alternative inside that paragraph.
        let at_margin = number_column.is_none_or(|c| u.first_column <= c);
        if let Some(l) = u.label.as_ref().filter(|l| l.kind == LabelKind::Option && at_margin) {
            // `Option 1` (`I`, `(a)`, `A`) opens a new block.
            if is_first_option(&l.number) {
                // A new block follows the last one's highest number.
                last = last.max(block_max);
                before_options = None;
                added_in_option.clear();
            }
            match before_options {
                Some(l) => {
                    for v in added_in_option.drain(..) {
                        seen.remove(v);
                    }
                    last = l;
                }
                None => before_options = Some(last),
            }
            continue;
        }
        let Some(Label { kind: LabelKind::Number { value, suffixed, levels: 1, .. }, number, .. }) = &u.label
        else {
            continue;
        };
        let (line, column) = (u.first_line, u.first_column);
        number_column = Some(column);
        if *suffixed {
            if !seen.contains(*value) {
                warn(
                    diagnostics,
                    "numbering-order",
                    format!("paragraph {number} has no paragraph {value} before it"),
                    line,
                    column,
                );
            }
            continue;
        }
        if *value == 1 && heading_since && last.is_some() {
            seen.clear();
            last = None;
        }
        heading_since = false;
        if let Some(l) = last {
            if seen.contains(*value) {
                warn(
                    diagnostics,
                    "numbering-duplicate",
                    format!("paragraph number {value} is used twice"),
                    line,
                    column,
                );
            } else if *value > l.max(block_max.unwrap_or(0)) + 1 {
                let l = l.max(block_max.unwrap_or(0));
                let missing =
                    if *value == l + 2 { format!("{}", l + 1) } else { format!("{}–{}", l + 1, value - 1) };
                warn(
                    diagnostics,
                    "numbering-gap",
                    format!("paragraph {value} follows {l}: {missing} missing"),
                    line,
                    column,
                );
            } else if *value <= l {
                warn(diagnostics, "numbering-order", format!("paragraph {value} follows {l}"), line, column);
            }
        }
        if before_options.is_some() {
            if !seen.contains(*value) {
                added_in_option.push(*value);
            }
            block_max = block_max.max(Some(*value));
        }
        seen.insert(*value);
        last = Some(*value);
    }
}

/// `Option 1`, `Option I`, `Option (a)`, `Option A`: the first of a block.
pub(super) fn is_first_option(number: &str) -> bool {
    let last = number.split_whitespace().last().unwrap_or("");
    matches!(last.trim_matches(|c: char| !c.is_alphanumeric()), "1" | "I" | "i" | "a" | "A")
}

/// Footnote markers glued to text: `[[Preamble]1`, `circumstances.2`.
pub(super) fn footnote_refs(text: &str, markers: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && i > 0 {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let prev = text[..i].chars().next_back();
            let before_prev = text[..i].chars().rev().nth(1);
            let glued = prev.is_some_and(|c| {
                c.is_lowercase() || matches!(c, ']' | ')' | '.' | ',' | ';' | ':' | '”' | '"' | '}')
            }) && !before_prev.is_some_and(|c| c.is_ascii_digit());
            let free_after = j >= b.len() || !b[j].is_ascii_alphanumeric();
            if glued && free_after && !prev.is_some_and(|c| c.is_ascii_digit()) {
                let m = &text[i..j];
                if markers.contains(&m) && !out.iter().any(|x: &String| x == m) {
                    out.push(m.to_owned());
                }
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out
}
