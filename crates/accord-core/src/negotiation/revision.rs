//! Producing the next revision: the working text renumbered, with a cover
//! letter that says what changed.
//!
//! Renumbering follows UN practice. Top-level numbered paragraphs are numbered
//! again in document order, one sequence per number prefix (`PP1…`, `OP1…`,
//! or plain `1…`); a sequence starts again where the old numbering did (a
//! paragraph numbered 1 after higher numbers). `12 bis`, and paragraphs added
//! after 12, take the next integer. Sub-paragraphs keep their letters under
//! their renumbered parent. Paragraphs inside `Option` blocks restate numbers
//! of their own and are left as they are; unnumbered paragraphs stay
//! unnumbered. Cross-references in the text ("paragraph 12 above") are not
//! rewritten: the cover letter lists the renumbering instead.

use std::collections::BTreeMap;

use crate::model::{Draft, Paragraph};

/// Splits `12 bis` into (`""`, 12), `OP3` into (`"OP"`, 3).
fn number_parts(number: &str) -> Option<(&str, u64)> {
    let start = number.find(|c: char| c.is_ascii_digit())?;
    let prefix = &number[..start];
    if prefix.chars().any(|c| !c.is_ascii_alphabetic()) {
        return None;
    }
    let digits: &str = &number[start..];
    let end = digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(digits.len());
    let rest = digits[end..].trim_start_matches('.');
    // `12 bis`, `12bis`, `12 alt` are versions of 12; `1.2` is a heading-like
    // number and is not renumbered.
    if !rest.is_empty() && !rest.trim().chars().all(|c| c.is_alphabetic()) {
        return None;
    }
    digits[..end].parse().ok().map(|n| (prefix, n))
}

/// Renumbers `draft`'s paragraphs in place. Returns the map from each
/// paragraph's old id to its new id (every paragraph appears).
pub fn renumber(draft: &mut Draft) -> BTreeMap<String, String> {
    let mut next: BTreeMap<String, u64> = BTreeMap::new();
    let mut last_old: BTreeMap<String, u64> = BTreeMap::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut taken: std::collections::HashSet<String> = Default::default();
    for p in draft.paragraphs.iter_mut() {
        let old_id = p.id.clone();
        let new_id = renumbered(p, &ids, &mut next, &mut last_old);
        let new_id = unique(&mut taken, new_id);
        if let Some(parent) = &p.parent {
            if let Some(np) = ids.get(parent) {
                p.parent = Some(np.clone());
            }
        }
        p.id = new_id.clone();
        ids.insert(old_id, new_id);
    }
    ids
}

fn renumbered(
    p: &mut Paragraph,
    ids: &BTreeMap<String, String>,
    next: &mut BTreeMap<String, u64>,
    last_old: &mut BTreeMap<String, u64>,
) -> String {
    if let Some(parent) = &p.parent {
        // A sub-paragraph: its id begins with its parent's.
        return match (ids.get(parent), p.id.strip_prefix(parent.as_str())) {
            (Some(np), Some(rest)) => format!("{np}{rest}"),
            _ => p.id.clone(),
        };
    }
    if p.option.is_some() {
        return p.id.clone();
    }
    let Some((prefix, old)) = p.number.as_deref().and_then(number_parts) else { return p.id.clone() };
    let prefix = prefix.to_string();
    let restart = old == 1 && last_old.get(&prefix).is_some_and(|&l| l > 1);
    let counter = next.entry(prefix.clone()).or_insert(0);
    if restart {
        *counter = 0;
    }
    *counter += 1;
    last_old.insert(prefix.clone(), old);
    let number = format!("{prefix}{counter}");
    let id_was_number = p.number.as_deref() == Some(p.id.as_str());
    p.number = Some(number.clone());
    if id_was_number || p.id.ends_with(" bis") || p.id.contains(" new") {
        number
    } else {
        p.id.clone()
    }
}

fn unique(taken: &mut std::collections::HashSet<String>, id: String) -> String {
    if taken.insert(id.clone()) {
        return id;
    }
    let mut k = 2;
    loop {
        let candidate = format!("{id}#{k}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        k += 1;
    }
}

/// The number and id a paragraph added after `after` takes in the working
/// text, before renumbering: `12 bis`, then `12 ter`, … (`None` when `after`
/// is unnumbered).
pub(crate) fn added_after(after: &Paragraph, exists: impl Fn(&str) -> bool) -> (Option<String>, String) {
    const SUFFIXES: [&str; 8] =
        ["bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies"];
    let base_number = after.number.as_deref().map(|n| n.split(' ').next().unwrap_or(n).to_string());
    let base_id = after.id.split(' ').next().unwrap_or(&after.id).to_string();
    for s in SUFFIXES {
        let id = format!("{base_id} {s}");
        if !exists(&id) {
            return (base_number.map(|n| format!("{n} {s}")), id);
        }
    }
    let mut k = 10;
    loop {
        let id = format!("{base_id} new{k}");
        if !exists(&id) {
            return (base_number.map(|n| format!("{n} new{k}")), id);
        }
        k += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(d: &Draft) -> Vec<(&str, Option<&str>)> {
        d.paragraphs.iter().map(|p| (p.id.as_str(), p.number.as_deref())).collect()
    }

    #[test]
    fn renumbers_sequences_bis_and_sub_paragraphs() {
        let mut d = crate::parse(
            "Preamble\n\nRecalling its resolution 70/1,\n\n1. First.\n\n2. Second:\n\n(a) one;\n\n(b) two.\n\n4. Fourth.\n",
        );
        // Pretend a paragraph was added after 1.
        let mut added = d.paragraphs.iter().find(|p| p.id == "1").unwrap().clone();
        added.id = "1 bis".into();
        added.number = Some("1 bis".into());
        let at = d.paragraphs.iter().position(|p| p.id == "1").unwrap() + 1;
        d.paragraphs.insert(at, added);
        let before = ids(&d).iter().map(|(i, _)| i.to_string()).collect::<Vec<_>>();
        let map = renumber(&mut d);
        assert_eq!(map.len(), before.len());
        let after: Vec<_> = ids(&d).iter().map(|(i, n)| (i.to_string(), n.map(str::to_string))).collect();
        let numbers: Vec<_> = after.iter().filter_map(|(_, n)| n.clone()).collect();
        assert_eq!(numbers, ["1", "2", "3", "(a)", "(b)", "4"]);
        assert_eq!(map["4"], "4");
        assert_eq!(map["1 bis"], "2");
        assert_eq!(map["2"], "3");
        let sub = d.paragraphs.iter().find(|p| p.number.as_deref() == Some("(a)")).unwrap();
        assert_eq!(sub.parent.as_deref(), Some("3"));
        assert!(sub.id.starts_with('3'), "{}", sub.id);
    }

    #[test]
    fn number_parts_reads_prefixes_and_versions() {
        assert_eq!(number_parts("12"), Some(("", 12)));
        assert_eq!(number_parts("12 bis"), Some(("", 12)));
        assert_eq!(number_parts("OP3"), Some(("OP", 3)));
        assert_eq!(number_parts("1.2"), None);
        assert_eq!(number_parts("(a)"), None);
    }
}
