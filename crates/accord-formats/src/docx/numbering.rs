//! Word's automatic numbering (`numbering.xml`), rendered as the numbers a
//! reader sees.
//!
//! UN drafts written in Word rarely type their paragraph numbers: `1.`,
//! `(a)`, `(i)` come from list definitions. A paragraph points at a numbering
//! instance (`w:num`) and a level; the instance points at an abstract
//! definition (`w:abstractNum`) whose levels say the start value, the format
//! (`decimal`, `lowerLetter`, …) and the pattern (`%1.`, `(%2)`). Instances
//! that share a definition continue one list; an instance with a
//! `w:startOverride` starts its own. A level restarts whenever a higher level
//! is used again (unless `w:lvlRestart` says otherwise).

use std::collections::HashMap;

use roxmltree::Node;

use super::xml::{attr, child, children, val};

/// One level of a list definition.
#[derive(Debug, Clone)]
struct Level {
    start: i64,
    format: String,
    text: String,
    /// The level (0-based) whose use restarts this one: `None` = any higher
    /// level (Word's default), `Some(-1)` = never.
    restart: Option<i64>,
    /// `w:isLgl`: show every level's number in decimal.
    legal: bool,
    /// `w:suff`: what follows the number (`tab`, `space`, `nothing`).
    suffix: Suffix,
}

/// What Word puts between a number and the paragraph's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suffix {
    /// A tab (Word's default), rendered as a space.
    Tab,
    /// A space.
    Space,
    /// Nothing at all.
    Nothing,
}

impl Default for Level {
    fn default() -> Self {
        Level {
            start: 1,
            format: "decimal".into(),
            text: String::new(),
            restart: None,
            legal: false,
            suffix: Suffix::Tab,
        }
    }
}

/// A numbering instance: its definition's levels with overrides applied.
#[derive(Debug, Clone)]
struct Instance {
    abstract_id: String,
    levels: Vec<Level>,
    /// Whether some level's start is overridden: then the instance keeps
    /// counters of its own instead of continuing its definition's list.
    restarts: bool,
}

/// The numbering definitions of a document and the counters of each list,
/// advanced paragraph by paragraph in document order.
#[derive(Debug, Default)]
pub struct Numbering {
    instances: HashMap<String, Instance>,
    /// Counters per list: the definition's id, or the instance's id when it
    /// restarts. `None` = the level was not used since its last restart.
    counters: HashMap<String, [Option<i64>; 9]>,
}

const LEVELS: usize = 9;

fn read_level(node: Node<'_, '_>, into: &mut Level) {
    if let Some(v) = child(node, "start").and_then(val) {
        into.start = v.parse().unwrap_or(1);
    }
    if let Some(v) = child(node, "numFmt").and_then(val) {
        into.format = v.to_owned();
    }
    if let Some(v) = child(node, "lvlText").and_then(val) {
        into.text = v.to_owned();
    }
    if let Some(v) = child(node, "lvlRestart").and_then(val) {
        into.restart = Some(v.parse::<i64>().map(|n| n - 1).unwrap_or(-1));
    }
    if let Some(l) = child(node, "isLgl") {
        into.legal = val(l).is_none_or(|v| v != "0" && v != "false");
    }
    if let Some(v) = child(node, "suff").and_then(val) {
        into.suffix = match v {
            "space" => Suffix::Space,
            "nothing" => Suffix::Nothing,
            _ => Suffix::Tab,
        };
    }
}

fn level_index(node: Node<'_, '_>) -> Option<usize> {
    attr(node, "ilvl").and_then(|v| v.parse::<usize>().ok()).filter(|&l| l < LEVELS)
}

impl Numbering {
    /// Reads `numbering.xml`'s root (`w:numbering`).
    pub fn read(root: Node<'_, '_>) -> Numbering {
        let mut abstracts: HashMap<String, Vec<Level>> = HashMap::new();
        for a in children(root, "abstractNum") {
            let Some(id) = attr(a, "abstractNumId") else { continue };
            let mut levels = vec![Level::default(); LEVELS];
            for (i, l) in levels.iter_mut().enumerate() {
                // Word's implicit pattern for a level that says nothing.
                l.text = format!("%{}.", i + 1);
            }
            for lvl in children(a, "lvl") {
                if let Some(i) = level_index(lvl) {
                    read_level(lvl, &mut levels[i]);
                }
            }
            abstracts.insert(id.to_owned(), levels);
        }
        let mut instances = HashMap::new();
        for n in children(root, "num") {
            let Some(id) = attr(n, "numId") else { continue };
            let Some(abstract_id) = child(n, "abstractNumId").and_then(val) else { continue };
            let Some(base) = abstracts.get(abstract_id) else { continue };
            let mut levels = base.clone();
            let mut restarts = false;
            for o in children(n, "lvlOverride") {
                let Some(i) = level_index(o) else { continue };
                if let Some(lvl) = child(o, "lvl") {
                    read_level(lvl, &mut levels[i]);
                    restarts = true;
                }
                if let Some(v) = child(o, "startOverride").and_then(val) {
                    levels[i].start = v.parse().unwrap_or(levels[i].start);
                    restarts = true;
                }
            }
            instances
                .insert(id.to_owned(), Instance { abstract_id: abstract_id.to_owned(), levels, restarts });
        }
        Numbering { instances, counters: HashMap::new() }
    }

    /// Advances the list of instance `num_id` at `level` and returns the
    /// number as shown (`12.`, `(a)`) with what follows it, or `None` when
    /// the instance is unknown, `0` (numbering removed) or the level shows
    /// no number (bullets, `none`).
    pub fn next(&mut self, num_id: &str, level: usize) -> Option<(String, Suffix)> {
        let inst = self.instances.get(num_id)?;
        let level = level.min(LEVELS - 1);
        let key = if inst.restarts { format!("num:{num_id}") } else { format!("abs:{}", inst.abstract_id) };
        let counters = self.counters.entry(key).or_insert([None; LEVELS]);
        let value = match counters[level] {
            Some(v) => v.saturating_add(1),
            None => inst.levels[level].start,
        };
        counters[level] = Some(value);
        // Deeper levels restart, unless their lvlRestart names a level above this one.
        for (deeper, c) in counters.iter_mut().enumerate().skip(level + 1) {
            let restart = inst.levels[deeper].restart;
            if restart.is_none_or(|r| r >= level as i64) {
                *c = None;
            }
        }
        let lvl = &inst.levels[level];
        if matches!(lvl.format.as_str(), "bullet" | "none") {
            return None;
        }
        let mut out = String::new();
        let mut chars = lvl.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%' {
                if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    chars.next();
                    let i = (d as usize).saturating_sub(1).min(LEVELS - 1);
                    let n = counters[i].unwrap_or(inst.levels[i].start);
                    let fmt =
                        if lvl.legal && i != level { "decimal" } else { inst.levels[i].format.as_str() };
                    out.push_str(&format_number(n, fmt));
                    continue;
                }
            }
            out.push(c);
        }
        let out = out.trim().to_owned();
        (!out.is_empty()).then_some((out, lvl.suffix))
    }
}

/// A counter in one of Word's number formats.
pub fn format_number(n: i64, format: &str) -> String {
    match format {
        "lowerLetter" => letters(n).to_lowercase(),
        "upperLetter" => letters(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        "decimalZero" if (0..10).contains(&n) => format!("0{n}"),
        "ordinal" => {
            let suffix = match (n % 10, n % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            format!("{n}{suffix}")
        }
        _ => n.to_string(),
    }
}

/// Word's letters: A … Z, then AA … ZZ, AAA … (the letter repeated).
fn letters(n: i64) -> String {
    if n <= 0 {
        return n.to_string();
    }
    let n = (n - 1) as usize;
    let letter = char::from(b'A' + (n % 26) as u8);
    // Capped so a hostile start value cannot ask for a megabyte of letters.
    std::iter::repeat_n(letter, (n / 26 + 1).min(64)).collect()
}

fn roman(n: i64) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    const TABLE: [(i64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(format_number(4, "lowerRoman"), "iv");
        assert_eq!(format_number(14, "upperRoman"), "XIV");
        assert_eq!(format_number(27, "lowerLetter"), "aa");
        assert_eq!(format_number(3, "upperLetter"), "C");
        assert_eq!(format_number(12, "decimal"), "12");
        assert_eq!(format_number(0, "lowerRoman"), "0");
    }
}
