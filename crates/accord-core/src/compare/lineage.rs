//! Paragraph lineage as a reader finds it: whole paragraphs first — a
//! paragraph with its sub-paragraphs and options is one unit — then the parts
//! inside each linked pair of units, then what is still unlinked across the
//! whole draft (a sub-paragraph moved to another paragraph, an option moved to
//! another article).
//!
//! Structure is evidence: a unit keeps the heading's counterpart as its place,
//! so the same number in the same place, and the only units left between
//! linked neighbours, link texts rewritten below the similarity threshold.
//! One text on one side against several parts on the other (options
//! consolidated into one text, or one text opened into options) is a merge or
//! a split of all of them.

use std::borrow::Cow;

use foldhash::HashMap;

use crate::model::{Draft, Paragraph};

use super::align::{align, Found, Item, Mode, Pairing, LINK_THRESHOLD};
use super::words::{content_words, dice};
use super::{Evidence, EvidenceSet};

/// Indices of each unit's paragraphs, in document order; the first is the root.
fn units(d: &Draft) -> Vec<Vec<usize>> {
    let mut index: HashMap<&str, usize> = HashMap::default();
    let mut root = vec![0usize; d.paragraphs.len()];
    let mut units: Vec<Vec<usize>> = Vec::new();
    let mut unit_of_root: HashMap<usize, usize> = HashMap::default();
    for (i, p) in d.paragraphs.iter().enumerate() {
        // A parent is always before its parts; one that is not is no parent.
        root[i] = match p.parent.as_deref().and_then(|id| index.get(id)) {
            Some(&j) if j < i => root[j],
            _ => i,
        };
        index.entry(&p.id).or_insert(i);
        match unit_of_root.get(&root[i]) {
            Some(&u) => units[u].push(i),
            None => {
                unit_of_root.insert(i, units.len());
                units.push(vec![i]);
            }
        }
    }
    units
}

/// The text of a unit, its parts joined by line breaks.
fn unit_text<'a>(d: &'a Draft, members: &[usize]) -> Cow<'a, str> {
    match members {
        [one] => Cow::Borrowed(d.paragraphs[*one].text.as_str()),
        _ => {
            Cow::Owned(members.iter().map(|&i| d.paragraphs[i].text.as_str()).collect::<Vec<_>>().join("\n"))
        }
    }
}

fn item<'a>(p: &'a Paragraph, text: Cow<'a, str>, place: Option<&'a str>) -> Item<'a> {
    Item {
        id: &p.id,
        number: p.number.as_deref().or(p.option.as_deref()),
        place,
        text,
        words: Vec::new(),
        parts: Vec::new(),
        part_words: Vec::new(),
    }
}

/// The texts of a unit's parts, when it has several.
fn parts<'a>(d: &'a Draft, members: &[usize]) -> Vec<&'a str> {
    if members.len() < 2 {
        return Vec::new();
    }
    members.iter().map(|&i| d.paragraphs[i].text.as_str()).collect()
}

fn paragraph_item<'a>(p: &'a Paragraph, place: Option<&'a str>) -> Item<'a> {
    item(p, Cow::Borrowed(p.text.as_str()), place)
}

/// Pairs the paragraphs of two drafts (indices into `paragraphs`). `places`
/// maps each old heading id to the new heading it became.
/// The place of the paragraphs under no heading (no heading id is empty).
const NO_HEADING: &str = "";

pub(super) fn paragraph_pairings(old: &Draft, new: &Draft, places: &HashMap<&str, &str>) -> Vec<Pairing> {
    let (old_units, new_units) = (units(old), units(new));
    // Paragraphs under no heading (a resolution without headings, a
    // preamble before the first) stand in one place in both drafts: the
    // same number or the only slot there is evidence, as under a heading.
    let old_place = |p: &Paragraph| p.heading.as_deref().map_or(Some(NO_HEADING), |h| places.get(h).copied());
    let mut ou: Vec<Item<'_>> = old_units
        .iter()
        .map(|m| {
            let p = &old.paragraphs[m[0]];
            Item { parts: parts(old, m), ..item(p, unit_text(old, m), old_place(p)) }
        })
        .collect();
    let mut nu: Vec<Item<'_>> = new_units
        .iter()
        .map(|m| {
            let p = &new.paragraphs[m[0]];
            Item {
                parts: parts(new, m),
                ..item(p, unit_text(new, m), Some(p.heading.as_deref().unwrap_or(NO_HEADING)))
            }
        })
        .collect();
    let unit_pairings = align(&mut ou, &mut nu, Mode { units: true, global: true, telling_only: false });

    let mut out = Vec::new();
    let mut inside = Inside {
        old,
        new,
        old_taken: vec![false; old.paragraphs.len()],
        new_taken: vec![false; new.paragraphs.len()],
    };
    for p in unit_pairings {
        match p {
            Pairing::One(o, n, found) => {
                let (po, pn) = (&old_units[o], &new_units[n]);
                inside.parts(po, pn, found, true, &mut out);
            }
            Pairing::Split(o, ns, found) => {
                let po = &old_units[o];
                let pn: Vec<usize> = ns.iter().flat_map(|&n| new_units[n].iter().copied()).collect();
                if po.len() == 1 && pn.len() == ns.len() {
                    // Paragraphs without parts: the split as found.
                    inside.push(Pairing::Split(po[0], pn, found), &mut out);
                } else {
                    inside.parts(po, &pn, found, false, &mut out);
                }
            }
            Pairing::Merge(os, n, found) => {
                let po: Vec<usize> = os.iter().flat_map(|&o| old_units[o].iter().copied()).collect();
                let pn = &new_units[n];
                if pn.len() == 1 && po.len() == os.len() {
                    inside.push(Pairing::Merge(po, pn[0], found), &mut out);
                } else {
                    inside.parts(&po, pn, found, false, &mut out);
                }
            }
        }
    }
    inside.across(&mut out);
    out
}

/// The alignment of parts inside linked units.
struct Inside<'d> {
    old: &'d Draft,
    new: &'d Draft,
    old_taken: Vec<bool>,
    new_taken: Vec<bool>,
}

impl Inside<'_> {
    fn push(&mut self, p: Pairing, out: &mut Vec<Pairing>) {
        match &p {
            Pairing::One(o, n, _) => {
                self.old_taken[*o] = true;
                self.new_taken[*n] = true;
            }
            Pairing::Split(o, ns, _) => {
                self.old_taken[*o] = true;
                ns.iter().for_each(|&n| self.new_taken[n] = true);
            }
            Pairing::Merge(os, n, _) => {
                os.iter().for_each(|&o| self.old_taken[o] = true);
                self.new_taken[*n] = true;
            }
        }
        out.push(p);
    }

    /// Aligns the parts of linked units (`po`, `pn`: paragraph indices; `whole`:
    /// one unit each side, so their first paragraphs correspond).
    fn parts(&mut self, po: &[usize], pn: &[usize], unit: Found, whole: bool, out: &mut Vec<Pairing>) {
        let (old, new) = (self.old, self.new);
        if let ([o], [n]) = (po, pn) {
            return self.push(Pairing::One(*o, *n, unit), out);
        }
        let within = |mut f: Found| {
            f.evidence.insert(Evidence::WithinParagraph);
            f
        };
        // Inside a unit the number of a part is its own (`(a)`, `Option 2`), in
        // the unit's place.
        let place = Some(new.paragraphs[pn[0]].id.as_str());
        let mut oi: Vec<Item<'_>> = po.iter().map(|&i| paragraph_item(&old.paragraphs[i], place)).collect();
        let mut ni: Vec<Item<'_>> = pn.iter().map(|&i| paragraph_item(&new.paragraphs[i], place)).collect();
        let local = align(&mut oi, &mut ni, Mode { units: false, global: true, telling_only: false });

        // One text against several parts: consolidated, unless exactly one
        // part resembles it (that part kept, the others new or deleted).
        if po.len() == 1 || pn.len() == 1 {
            let (single, many) = if po.len() == 1 { (&oi[0], &ni) } else { (&ni[0], &oi) };
            let close: Vec<f64> = many
                .iter()
                .map(|m| if m.words.is_empty() { 0.0 } else { dice(&single.words, &m.words) })
                .collect();
            let plain = close.iter().filter(|&&s| s >= LINK_THRESHOLD).count() == 1;
            if !plain {
                let mut f = unit.clone();
                f.evidence.insert(Evidence::Consolidated);
                let p = if po.len() == 1 {
                    Pairing::Split(po[0], pn.to_vec(), f)
                } else {
                    Pairing::Merge(po.to_vec(), pn[0], f)
                };
                return self.push(p, out);
            }
        }
        for p in local {
            let p = match p {
                Pairing::One(o, n, f) => Pairing::One(po[o], pn[n], within(f)),
                Pairing::Split(o, ns, f) => {
                    Pairing::Split(po[o], ns.iter().map(|&n| pn[n]).collect(), within(f))
                }
                Pairing::Merge(os, n, f) => {
                    Pairing::Merge(os.iter().map(|&o| po[o]).collect(), pn[n], within(f))
                }
            };
            self.push(p, out);
        }
        // The paragraphs that carry the units correspond, whatever their words
        // (often an empty number line above options).
        let (ho, hn) = (po[0], pn[0]);
        if whole && !self.old_taken[ho] && !self.new_taken[hn] {
            let (a, b) = (&old.paragraphs[ho].text, &new.paragraphs[hn].text);
            let s = if a == b { 1.0 } else { dice(&content_words(a), &content_words(b)) };
            let mut f = unit;
            f.similarity = s;
            f.evidence = EvidenceSet::of(&[Evidence::WithinParagraph, Evidence::SameSlot]);
            self.push(Pairing::One(ho, hn, f), out);
        }
    }

    /// What is still unlinked, across the whole draft: parts moved to another
    /// paragraph, paragraphs whose unit found no counterpart.
    fn across(&mut self, out: &mut Vec<Pairing>) {
        let (old, new) = (self.old, self.new);
        let olds: Vec<usize> = (0..old.paragraphs.len()).filter(|&o| !self.old_taken[o]).collect();
        let news: Vec<usize> = (0..new.paragraphs.len()).filter(|&n| !self.new_taken[n]).collect();
        if olds.is_empty() || news.is_empty() {
            return;
        }
        let mut oi: Vec<Item<'_>> = olds.iter().map(|&i| paragraph_item(&old.paragraphs[i], None)).collect();
        let mut ni: Vec<Item<'_>> = news.iter().map(|&i| paragraph_item(&new.paragraphs[i], None)).collect();
        for p in align(&mut oi, &mut ni, Mode { units: false, global: true, telling_only: true }) {
            let p = match p {
                Pairing::One(o, n, f) => Pairing::One(olds[o], news[n], f),
                Pairing::Split(o, ns, f) => Pairing::Split(olds[o], ns.iter().map(|&n| news[n]).collect(), f),
                Pairing::Merge(os, n, f) => Pairing::Merge(os.iter().map(|&o| olds[o]).collect(), news[n], f),
            };
            self.push(p, out);
        }
    }
}
