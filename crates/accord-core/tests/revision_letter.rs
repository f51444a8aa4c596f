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
    // The counts read as a letter: in words below ten, none of "0 moved".
    let counts = &s.latest().unwrap().document.letters[0].body[1];
    assert_eq!(
        counts, "Of the two paragraphs of Rev.1, two are unchanged; no paragraph is new. No bracket was resolved; one remains.",
        "{body}"
    );
    assert!(!counts.contains(" 0 "), "{counts}");
}

/// A revision produced without a date is dated the day it is produced, in
/// the process's time zone — never the date line of the draft it follows;
/// a date given is kept.
#[test]
fn a_revision_without_a_date_is_dated_the_day_it_is_produced() {
    let mut s = ProcessState::new("p");
    let cofac = Actor::CoFacilitator { name: "Norland".into() };
    let info =
        ProcessInfo { title: "Test".into(), co_facilitators: vec!["Norland".into()], ..Default::default() };
    take(&mut s, Actor::Secretariat { name: "Ana".into() }, Action::CreateProcess { info }, 1);
    let mut zero = accord_core::parse("Title\n\n1. Decides to act [now].\n");
    zero.date = Some("10 March 2026".into());
    let import = Action::ImportDraft {
        label: "Zero draft".into(),
        canonical: canonical::write(&zero),
        publication: Publication::Circulated,
        lineage: None,
    };
    take(&mut s, cofac.clone(), import, 2);
    // 2 December 2026, 03:00 UTC: still 1 December in New York.
    let at = 1_796_180_400_000;
    for (given, expected) in [(None, "1 December 2026"), (Some("4 December 2026"), "4 December 2026")] {
        let mut action = Action::ProduceRevision {
            label: "Rev.1".into(),
            date: given.map(str::to_string),
            publication: Publication::Circulated,
            canonical: None,
            lineage: None,
        };
        let mut t = s.clone();
        t.prepare_at(&mut action, &cofac, at);
        let event = Event {
            process: "p".into(),
            seq: t.seq + 1,
            at_ms: at,
            actor: cofac.clone(),
            against: t.latest().map(|d| d.id.clone()),
            idempotency_key: None,
            action,
        };
        t.apply(&event).unwrap();
        let rev = &t.latest().unwrap().document;
        assert_eq!(rev.date.as_deref(), Some(expected), "{given:?}");
        assert_eq!(rev.letters[0].date.as_deref(), Some(expected), "the cover letter is dated alike");
    }
}
