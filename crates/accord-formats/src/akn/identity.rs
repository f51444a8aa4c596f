//! Paragraph identity across drafts: every paragraph's `eId` (from its
//! number, in this draft), `wId` (the `eId` it had when it first appeared)
//! and `GUID` (a UUID that never changes while the paragraph lives).
//!
//! Why: delegations and the Secretariat refer to "the same paragraph" across
//! Rev.1, Rev.2 … although it is renumbered, moved and edited. The lineage
//! that `accord_core::compare` computes says which new paragraph continues
//! which old one; [`Identity::follow`] carries the old identity along it:
//! - a linked pair (unchanged, renumbered, changed, moved) keeps the GUID;
//! - a **split** (one old paragraph → several new ones): the first new
//!   paragraph keeps the GUID, the others are new paragraphs;
//! - a **merge** (several old → one new): the new paragraph keeps the GUID of
//!   the first old one; the others end there (the concordance says so);
//! - a new paragraph gets a fresh GUID, distinct from every earlier one.

use std::collections::{BTreeMap, HashSet};

use accord_core::compare::{Comparison, Link, Relation};
use accord_core::Draft;

use super::xml::id_part;

/// One element's identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    /// The UUID (RFC 9562 version 8: derived, not random).
    pub guid: String,
    /// The `eId` the element had in the draft where it first appeared.
    pub wid: String,
}

/// The identity of every paragraph and heading of one draft, by Accord id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identity {
    /// Paragraph id → identity.
    pub paragraphs: BTreeMap<String, Ident>,
    /// Heading id → identity.
    pub headings: BTreeMap<String, Ident>,
    /// How many drafts this lineage has passed through (0 for the first);
    /// part of every fresh GUID, so that a paragraph new in Rev.2 cannot
    /// take the GUID of an older paragraph that had its number.
    pub generation: u32,
    /// What names the negotiation in fresh GUIDs (symbol or title).
    pub salt: String,
}

const FNV_OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
const FNV_PRIME: u128 = 0x0000000001000000000000000000013B;

/// 128-bit FNV-1a of `parts` (each followed by 0xff), continuing from `h`.
fn fnv(mut h: u128, parts: &[&str]) -> u128 {
    for p in parts {
        for b in p.bytes().chain([0xff]) {
            h ^= b as u128;
            h = h.wrapping_mul(FNV_PRIME);
        }
    }
    h
}

/// A GUID derived from `parts` (128-bit FNV-1a, mixed), formatted as a version-8 UUID.
pub fn guid(parts: &[&str]) -> String {
    format_guid(fnv(FNV_OFFSET, parts))
}

fn format_guid(h: u128) -> String {
    // FNV alone leaves similar inputs with similar hashes: mix both halves.
    let mix = |mut z: u64| {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^ (z >> 31)
    };
    let (hi, lo) = ((h >> 64) as u64, h as u64);
    let (hi, lo) = (mix(hi ^ lo.rotate_left(17)), mix(lo ^ hi.rotate_left(41)));
    let mut b = ((hi as u128) << 64 | lo as u128).to_be_bytes();
    b[6] = (b[6] & 0x0f) | 0x80; // version 8
    b[8] = (b[8] & 0x3f) | 0x80; // RFC variant
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, v) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[(v >> 4) as usize] as char);
        out.push(HEX[(v & 15) as usize] as char);
    }
    out
}

/// The `eId`s of a draft's paragraphs, in order: `para_` and the id made
/// safe (`para_12`, `para_12_a`), unique within the draft.
pub(crate) fn paragraph_eids(draft: &Draft) -> Vec<String> {
    unique(draft.paragraphs.iter().map(|p| format!("para_{}", id_part(&p.id))))
}

/// The `eId`s of a draft's headings, in order (`sec_1_1`, `art_2`).
pub(crate) fn heading_eids(draft: &Draft) -> Vec<String> {
    unique(draft.headings.iter().map(|h| format!("sec_{}", id_part(&h.id))))
}

fn unique(ids: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = HashSet::new();
    ids.map(|id| {
        let mut out = id.clone();
        let mut n = 2;
        while !seen.insert(out.clone()) {
            out = format!("{id}__{n}");
            n += 1;
        }
        out
    })
    .collect()
}

fn salt_of(draft: &Draft, symbol: Option<&str>) -> String {
    symbol.or(draft.title.as_deref()).unwrap_or("draft").to_string()
}

impl Identity {
    /// Fresh identities for a first draft: each GUID derived from the
    /// negotiation (`symbol`, else the title) and the paragraph's id, so the
    /// same draft always gets the same GUIDs.
    pub fn fresh(draft: &Draft, symbol: Option<&str>) -> Identity {
        let mut out = Identity { salt: salt_of(draft, symbol), ..Identity::default() };
        let prefix = out.prefix();
        let mut used = HashSet::new();
        for (p, eid) in draft.paragraphs.iter().zip(paragraph_eids(draft)) {
            let ident = out.new_ident(prefix, "p", &p.id, eid, &mut used);
            out.paragraphs.insert(p.id.clone(), ident);
        }
        for (h, eid) in draft.headings.iter().zip(heading_eids(draft)) {
            let ident = out.new_ident(prefix, "h", &h.id, eid, &mut used);
            out.headings.insert(h.id.clone(), ident);
        }
        out
    }

    /// The hash of the negotiation and generation, where every fresh GUID starts.
    fn prefix(&self) -> u128 {
        fnv(FNV_OFFSET, &[&self.salt, &self.generation.to_string()])
    }

    fn new_ident(
        &self,
        prefix: u128,
        kind: &str,
        id: &str,
        eid: String,
        used: &mut HashSet<String>,
    ) -> Ident {
        let mut n = 0u32;
        loop {
            let g = format_guid(fnv(prefix, &[kind, id, &n.to_string()]));
            if used.insert(g.clone()) {
                return Ident { guid: g, wid: eid };
            }
            n += 1;
        }
    }

    /// The identities of `new`, carried from `self` (the old draft's) along
    /// the comparison's lineage (see the module documentation for splits
    /// and merges).
    pub fn follow(&self, comparison: &Comparison, new: &Draft) -> Identity {
        let mut out =
            Identity { salt: self.salt.clone(), generation: self.generation + 1, ..Identity::default() };
        let prefix = out.prefix();
        let mut used: HashSet<String> = HashSet::new();
        let carried_p = carry(&comparison.paragraphs, &self.paragraphs, &mut used);
        let carried_h = carry(&comparison.headings, &self.headings, &mut used);
        for (p, eid) in new.paragraphs.iter().zip(paragraph_eids(new)) {
            let ident = match carried_p.get(&p.id) {
                Some(i) => i.clone(),
                None => out.new_ident(prefix, "p", &p.id, eid, &mut used),
            };
            out.paragraphs.insert(p.id.clone(), ident);
        }
        for (h, eid) in new.headings.iter().zip(heading_eids(new)) {
            let ident = match carried_h.get(&h.id) {
                Some(i) => i.clone(),
                None => out.new_ident(prefix, "h", &h.id, eid, &mut used),
            };
            out.headings.insert(h.id.clone(), ident);
        }
        out
    }
}

/// New id → the old identity it continues.
fn carry(
    links: &[Link],
    old: &BTreeMap<String, Ident>,
    used: &mut HashSet<String>,
) -> BTreeMap<String, Ident> {
    let mut out = BTreeMap::new();
    for link in links {
        if matches!(link.relation, Relation::New | Relation::Deleted) {
            continue;
        }
        // Split: the first new paragraph continues; merge: the first old one does.
        let (Some(from), Some(to)) = (link.old.first(), link.new.first()) else { continue };
        if let Some(ident) = old.get(from) {
            if used.insert(ident.guid.clone()) {
                out.insert(to.clone(), ident.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_uuids_and_differ() {
        let a = guid(&["x", "1"]);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8");
        assert_ne!(a, guid(&["x1"]));
        assert_eq!(a, guid(&["x", "1"]));
    }
}
