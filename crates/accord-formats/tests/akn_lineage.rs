//! A paragraph keeps its GUID (and its original eId as `wId`) across drafts
//! whenever the comparison links it: the seed against a revision made at
//! test time with a deletion (so everything after is renumbered), a split
//! and a merge. The concordance says what happened, as AKN textualMods.

mod akn_common;

use std::collections::HashSet;

use accord_core::compare::Relation;
use accord_core::{canonical, compare, parse, Draft, Heading, Paragraph};
use accord_formats::akn::{self, AknOptions, Identity};
use akn_common::*;

enum Item {
    H(Heading),
    P(Paragraph),
}

/// The draft as headings and paragraphs in document order.
fn items(d: &Draft) -> Vec<Item> {
    let mut out = Vec::new();
    let mut hs = d.headings.iter().peekable();
    for (i, p) in d.paragraphs.iter().enumerate() {
        while let Some(h) = hs.next_if(|h| h.first_paragraph <= i) {
            out.push(Item::H(h.clone()));
        }
        out.push(Item::P(p.clone()));
    }
    out.extend(hs.map(|h| Item::H(h.clone())));
    out
}

/// Back to a draft: paragraphs renumbered 1, 2, … in order (as a revision
/// is), headings placed, brackets and references derived from the text again.
fn rebuild(d: &Draft, items: Vec<Item>) -> Draft {
    let mut out = Draft { headings: Vec::new(), paragraphs: Vec::new(), ..d.clone() };
    for item in items {
        match item {
            Item::H(mut h) => {
                h.first_paragraph = out.paragraphs.len();
                out.headings.push(h);
            }
            Item::P(mut p) => {
                let n = (out.paragraphs.len() + 1).to_string();
                p.id = n.clone();
                p.number = Some(n);
                out.paragraphs.push(p);
            }
        }
    }
    canonical::read(&canonical::write(&out))
}

fn para<'a>(items: &'a mut [Item], id: &str) -> (usize, &'a mut Paragraph) {
    items
        .iter_mut()
        .enumerate()
        .find_map(|(i, x)| match x {
            Item::P(p) if p.id == id => Some((i, p)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no paragraph {id}"))
}

/// The seed's revision: paragraph 3 deleted, 17 split after its first
/// sentence, 20 and 21 merged.
fn revision(seed: &Draft) -> Draft {
    let mut it = items(seed);
    // Merge 20 and 21.
    let (i21, p21) = para(&mut it, "21");
    let text21 = p21.text.clone();
    it.remove(i21);
    let (_, p20) = para(&mut it, "20");
    p20.text = format!("{} {}", p20.text, text21);
    // Split 17 after its first sentence.
    let (i17, p17) = para(&mut it, "17");
    let cut = p17.text.find(". We are highly").expect("17's second sentence") + 1;
    let second = Paragraph { text: p17.text[cut..].trim().to_string(), ..p17.clone() };
    p17.text.truncate(cut);
    it.insert(i17 + 1, Item::P(second));
    // Delete 3.
    let (i3, _) = para(&mut it, "3");
    it.remove(i3);
    rebuild(seed, it)
}

#[test]
fn guids_follow_lineage_across_renumbering_split_and_merge() {
    let old = parse(&read_shared("seeds/000_a85ec3b89659f1a1.txt"));
    let new = revision(&old);
    let c = compare(&old, &new);
    let has = |r: Relation| c.paragraphs.iter().any(|l| l.relation == r);
    assert!(
        has(Relation::Split) && has(Relation::Merged) && has(Relation::Deleted) && has(Relation::Renumbered)
    );

    // Through the files, as `accord compare OLD NEW --format akn` would.
    let old_xml = akn::write(&old, &AknOptions::default());
    let old_identity = akn::read_identity(old_xml.as_bytes()).unwrap();
    assert_eq!(old_identity, Identity::fresh(&old, None));
    let new_xml = akn::concordance(&c, &old, &new, Some(&old_identity), &AknOptions::default());
    let new_identity = akn::read_identity(new_xml.as_bytes()).unwrap();
    assert_eq!(new_identity, old_identity.follow(&c, &new));
    assert_eq!(new_identity.generation, 1);

    let old_guids: HashSet<&String> = old_identity.paragraphs.values().map(|i| &i.guid).collect();
    let mut linked = 0;
    for link in &c.paragraphs {
        match link.relation {
            Relation::Deleted => continue,
            Relation::New => {
                assert!(!old_guids.contains(&new_identity.paragraphs[&link.new[0]].guid));
                continue;
            }
            _ => {}
        }
        // The first new paragraph continues the first old one (split: the
        // others are new paragraphs; merge: the others end).
        let (o, n) = (&old_identity.paragraphs[&link.old[0]], &new_identity.paragraphs[&link.new[0]]);
        assert_eq!(o, n, "{:?} {:?} → {:?}", link.relation, link.old, link.new);
        linked += 1;
        for rest in &link.new[1..] {
            assert!(
                !old_guids.contains(&new_identity.paragraphs[rest].guid),
                "split-off {rest} has a new GUID"
            );
        }
    }
    assert!(linked >= 60, "{linked} linked paragraphs");
    // Paragraph 18 became 17 (3 was deleted) and 16 (17 was split): keeps GUID and wId.
    let renumbered = c.paragraphs.iter().find(|l| l.old == ["30"]).unwrap();
    assert_eq!(renumbered.relation, Relation::Renumbered);
    let n = &renumbered.new[0];
    assert_ne!(n, "30");
    let ident = &new_identity.paragraphs[n];
    assert_eq!(ident.wid, "para_30");
    assert!(new_xml.contains(&format!("eId=\"para_{n}\" wId=\"para_30\" GUID=\"{}\"", ident.guid)));
    // GUIDs stay unique.
    let all: HashSet<&String> = new_identity.paragraphs.values().map(|i| &i.guid).collect();
    assert_eq!(all.len(), new.paragraphs.len());

    // The concordance: one textualMod per change, of AKN's types.
    for t in ["split", "join", "repeal", "renumbering"] {
        assert!(new_xml.contains(&format!("<textualMod type=\"{t}\"")), "{t}");
    }
    let split = c.paragraphs.iter().find(|l| l.relation == Relation::Split).unwrap();
    assert_eq!(split.old, ["17"]);
    assert!(new_xml.contains(&format!(
        "<textualMod type=\"split\" eId=\"pmod_{}\" accord:relation=\"split\"",
        1 + c
            .paragraphs
            .iter()
            .take_while(|l| l.relation != Relation::Split)
            .filter(|l| l.relation != Relation::Unchanged)
            .count()
    )));
    assert!(new_xml.contains(
        "/eng@2015-12-07#para_17\"/>\n<destination href=\"#para_16\"/>\n<destination href=\"#para_17\"/>"
    ));
    std::fs::write(std::env::temp_dir().join("akn-concordance.xml"), &new_xml).unwrap();
    validate(&[("concordance".into(), new_xml.clone())]);
    assert_same("concordance", &new, &akn::read(new_xml.as_bytes()).unwrap());

    // A third draft: identity carried again (generation 2), the same GUIDs.
    let third = new.clone();
    let c2 = compare(&new, &third);
    let third_identity = new_identity.follow(&c2, &third);
    assert_eq!(third_identity.generation, 2);
    assert_eq!(third_identity.paragraphs, new_identity.paragraphs);
}

#[test]
fn the_same_draft_gets_the_same_guids_and_another_negotiation_others() {
    let d = parse(&read_shared("seeds/000_a85ec3b89659f1a1.txt"));
    assert_eq!(Identity::fresh(&d, None), Identity::fresh(&d, None));
    let a = Identity::fresh(&d, Some("A/70/L.33"));
    let b = Identity::fresh(&d, Some("A/70/L.34"));
    assert!(a.paragraphs.values().zip(b.paragraphs.values()).all(|(x, y)| x.guid != y.guid));
}
