//! A revision's cover letter may be edited before it is produced: a
//! `ProduceRevision` request that carries a text gives the revision that
//! text's letters, while the revision's own text is always the working
//! text's, whatever the carried text says.

use accord_core::negotiation::{Action, Actor, Event, ProcessInfo, ProcessState, Publication};
use accord_core::{canonical, Letter};

fn take(state: &mut ProcessState, actor: Actor, mut action: Action, at_ms: i64) {
    state.prepare(&mut action, &actor);
    let event = Event {
        process: "p".into(),
        seq: state.seq + 1,
        at_ms,
        actor,
        against: state.latest().map(|d| d.id.clone()),
        idempotency_key: None,
        action,
    };
    state.apply(&event).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn the_carried_letters_are_kept_and_the_carried_text_is_not() {
    let mut s = ProcessState::new("p");
    let secretariat = Actor::Secretariat { name: "Ana".into() };
    let cofac = Actor::CoFacilitator { name: "Norland".into() };
    let info =
        ProcessInfo { title: "Test".into(), co_facilitators: vec!["Norland".into()], ..Default::default() };
    take(&mut s, secretariat, Action::CreateProcess { info }, 1);
    let zero =
        canonical::write(&accord_core::parse("Title\n\n1. Decides to act [now].\n\n2. Requests a report.\n"));
    let import = Action::ImportDraft {
        label: "Zero draft".into(),
        canonical: zero,
        publication: Publication::Circulated,
        lineage: None,
    };
    take(&mut s, cofac.clone(), import, 2);

    // A carried text whose paragraphs were tampered with, and an edited letter.
    let mut forged = accord_core::parse("Title\n\n1. Decides nothing at all.\n");
    forged.letters = vec![Letter {
        sender: "Norland".into(),
        body: vec!["Excellency, we circulate Rev.1.".into(), "Please send comments by 20 April.".into()],
        ..Default::default()
    }];
    let revise = Action::ProduceRevision {
        label: "Rev.1".into(),
        date: None,
        publication: Publication::Circulated,
        canonical: Some(canonical::write(&forged)),
        lineage: None,
    };
    take(&mut s, cofac.clone(), revise, 3);
    let rev = s.latest().unwrap();
    assert_eq!(rev.label, "Rev.1");
    assert_eq!(rev.document.letters.len(), 1);
    assert_eq!(rev.document.letters[0].body[1], "Please send comments by 20 April.");
    let texts: Vec<&str> = rev.document.paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        ["Decides to act [now].", "Requests a report."],
        "the working text, not the carried one"
    );

    // Without a carried text, the letter is the generated one.
    let revise = Action::ProduceRevision {
        label: "Rev.2".into(),
        date: None,
        publication: Publication::Circulated,
        canonical: None,
        lineage: None,
    };
    take(&mut s, cofac, revise, 4);
    let body = s.latest().unwrap().document.letters[0].body.join(" ");
    assert!(body.starts_with("We have the honour to circulate Rev.2"), "{body}");
}
