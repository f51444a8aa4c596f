//! The classification of word changes inside negotiated phrases, and the
//! explanation naming every word added or removed (issue 15): deleting
//! "voluntary" from "[on voluntary and mutually agreed terms]" changes what is
//! negotiated, and a bracket removed while ", as appropriate" is added is
//! explained with both.

use accord_core::compare::{Class, Link};
use accord_core::{compare, parse};

fn only_link(old: &str, new: &str) -> Link {
    let c = compare(&parse(old), &parse(new));
    let changed: Vec<&Link> = c.paragraphs.iter().filter(|l| l.class.is_some()).collect();
    assert_eq!(changed.len(), 1, "one changed paragraph: {:#?}", c.paragraphs);
    changed[0].clone()
}

const PARA_17: &str =
    "17. We call for the transfer of marine technology [on voluntary and mutually agreed terms], \
                       in line with article 266 of the United Nations Convention on the Law of the Sea.\n";

#[test]
fn a_content_word_removed_from_a_bracketed_phrase_is_substantive() {
    let new = PARA_17.replace("on voluntary and mutually", "on mutually");
    let l = only_link(PARA_17, &new);
    assert_eq!(l.class, Some(Class::Substantive), "{:?}", l.reasons);
    assert!(
        l.reasons.iter().any(|r| r.contains("bracketed phrase") && r.contains("voluntary")),
        "{:?}",
        l.reasons
    );
}

#[test]
fn a_content_word_added_to_a_bracketed_phrase_is_substantive() {
    let new = PARA_17.replace("mutually agreed terms", "mutually agreed and fair terms");
    let l = only_link(PARA_17, &new);
    assert_eq!(l.class, Some(Class::Substantive), "{:?}", l.reasons);
    assert!(l.reasons.iter().any(|r| r.contains("added") && r.contains("fair")), "{:?}", l.reasons);
}

#[test]
fn the_same_edit_outside_brackets_stays_marginal_and_names_its_words() {
    let old = "17. We call for the transfer of marine technology on voluntary and mutually agreed terms.\n";
    let new = "17. We call for the transfer of marine technology on mutually agreed terms.\n";
    let l = only_link(old, new);
    assert_eq!(l.class, Some(Class::Marginal), "{:?}", l.reasons);
    assert_eq!(l.reasons, vec!["minor rewording: removed: voluntary and".to_string()]);
}

#[test]
fn every_added_word_is_explained_beside_a_removed_bracket() {
    let old =
        "18. We encourage its inclusion in ocean data systems [with the free, prior and informed consent of \
               the knowledge holders].\n";
    let new =
        "18. We encourage its inclusion in ocean data systems with the free, prior and informed consent of \
               the knowledge holders, as appropriate.\n";
    let l = only_link(old, new);
    assert_eq!(l.class, Some(Class::Substantive));
    assert!(l.reasons.contains(&"bracket removed".to_string()), "{:?}", l.reasons);
    assert!(l.reasons.iter().any(|r| r.contains("added") && r.contains("as appropriate")), "{:?}", l.reasons);
}

/// The demo process's drafts (the seed a new user loads): Rev.1 as the
/// co-facilitators might have written it, "voluntary" dropped inside the
/// bracket of paragraph 17 and paragraph 18's nested bracket lifted with
/// ", as appropriate" added. Both substantive, every word named.
#[test]
fn the_seed_rev1_case_is_explained_word_by_word() {
    let zero = std::fs::read_to_string("../accord-workspace/demo/zero-draft.txt").unwrap();
    let rev1 = std::fs::read_to_string("../accord-workspace/demo/rev1.txt").unwrap();
    let rev1 =
        rev1.replace("[on voluntary and mutually agreed terms]", "[on mutually agreed terms]").replace(
            "[with the free, prior and informed consent of the knowledge holders].",
            "with the free, prior and informed consent of the knowledge holders, as appropriate.",
        );
    let c = compare(&parse(&zero), &parse(&rev1));
    let link = |n: &str| {
        c.paragraphs
            .iter()
            .find(|l| l.new == [n.to_string()])
            .unwrap_or_else(|| panic!("no paragraph {n} in the new draft"))
            .clone()
    };
    let p17 = link("17");
    assert_eq!(p17.class, Some(Class::Substantive), "{:?}", p17.reasons);
    assert!(
        p17.reasons.iter().any(|r| r.contains("bracketed phrase") && r.contains("voluntary")),
        "{:?}",
        p17.reasons
    );
    let p18 = link("18");
    assert_eq!(p18.class, Some(Class::Substantive), "{:?}", p18.reasons);
    assert!(p18.reasons.contains(&"bracket removed".to_string()), "{:?}", p18.reasons);
    let all = p18.reasons.join("; ");
    for word in ["as appropriate", "in accordance with national legislation"] {
        assert!(all.contains(word), "`{word}` is not in the explanation: {all}");
    }
    // The small words of the lifted bracket go with it, not with the addition.
    assert!(all.contains("word of a bracketed phrase removed: and in accordance with"), "{all}");
    assert!(all.contains("words added: as appropriate"), "{all}");
}
