//! The API's JSON request bodies, without a server: each line of the input
//! is one request — its first byte picks the caller (secretariat,
//! co-facilitator, two delegations, a group, an observer), the rest is the
//! body, read as the `Action` the handlers build from it (the request types
//! of `accord-server` are private thin wrappers of the same serde types:
//! `Edit`, `Status`, `BracketResolution`, `ProcessInfo`, `Participant`,
//! `Publication`, …). Each action goes through what `Workspace::execute`
//! does — `canonical_of` on an imported text, `prepare`, then the domain
//! check and `apply` — on a process with participants and a draft.
//!
//! Must never panic, and: `check` and `apply` agree; a refused request
//! leaves the state as it was; every accepted event survives the log (JSON
//! out and back) and replays (`apply_recorded`) to the same state.
#![no_main]

use std::sync::OnceLock;

use accord_core::canonical;
use accord_core::negotiation::{
    Action, Actor, Event, Participant, ParticipantKind, ProcessInfo, ProcessState, Publication,
};
use libfuzzer_sys::fuzz_target;

const DRAFT: &str = "Draft outcome\n\nPP1. Recalling its resolution 70/1,\n\n\
1. Decides [to convene][to hold] a high-level meeting [in 2027];\n\n\
2. Requests the Secretary-General to report [on progress] {in 2028};\n\n\
   (a) on the [voluntary] measures taken;\n\n3. Decides to remain seized of the matter.\n";

fn actor(b: u8) -> Actor {
    match b % 6 {
        0 => Actor::Secretariat { name: "Ana".into() },
        1 => Actor::CoFacilitator { name: "Norland".into() },
        2 => Actor::Delegation { delegation: "alpha".into() },
        3 => Actor::Delegation { delegation: "beta".into() },
        4 => Actor::Delegation { delegation: "g".into() },
        _ => Actor::Observer { name: "Olu".into() },
    }
}

/// What `Workspace::execute` does before the domain sees the action, and
/// the event it records.
fn event(state: &ProcessState, actor: Actor, mut action: Action) -> Event {
    state.prepare(&mut action, &actor);
    Event {
        process: "p".into(),
        seq: state.seq + 1,
        at_ms: state.at_ms.max(1_000) + 1_000,
        actor,
        against: state.latest().map(|d| d.id.clone()),
        idempotency_key: None,
        action,
    }
}

/// The process every input starts from (and its log).
fn seed() -> &'static (ProcessState, Vec<Event>) {
    static SEED: OnceLock<(ProcessState, Vec<Event>)> = OnceLock::new();
    SEED.get_or_init(|| {
        let mut state = ProcessState::new("p");
        let mut log = Vec::new();
        let info = ProcessInfo {
            title: "Test".into(),
            co_facilitators: vec!["Norland".into()],
            ..Default::default()
        };
        let mut actions = vec![(0, Action::CreateProcess { info })];
        for (id, kind, members) in [
            ("alpha", ParticipantKind::MemberState, vec![]),
            ("beta", ParticipantKind::MemberState, vec![]),
            ("g", ParticipantKind::Group, vec!["beta".to_string()]),
        ] {
            let participant = Participant { id: id.into(), name: id.to_uppercase(), kind, members };
            actions.push((0, Action::AddParticipant { participant }));
        }
        let canonical = canonical::write(&accord_core::parse(DRAFT));
        actions.push((
            1,
            Action::ImportDraft {
                label: "Zero draft".into(),
                canonical,
                publication: Publication::Circulated,
                lineage: None,
            },
        ));
        for (who, action) in actions {
            let e = event(&state, actor(who), action);
            state.apply(&e).expect("the seed applies");
            log.push(e);
        }
        (state, log)
    })
}

/// `accord_workspace::import::canonical_of`: the API's draft text, plain or
/// canonical, as the canonical form the action records (or refused).
fn canonical_of(text: &str) -> Option<String> {
    let text = accord_core::decode(text.as_bytes(), accord_core::DEFAULT_MAX_INPUT_BYTES).ok()?;
    let draft =
        if canonical::is_canonical(&text) { canonical::read(&text) } else { accord_core::parse(&text) };
    (!draft.paragraphs.is_empty()).then(|| canonical::write(&draft))
}

fuzz_target!(|data: &[u8]| {
    let (seed_state, seed_log) = seed();
    let mut state = seed_state.clone();
    let mut log = seed_log.clone();
    for line in data.split(|b| *b == b'\n').take(8) {
        let Some((&who, body)) = line.split_first() else { continue };
        let Ok(mut action) = serde_json::from_slice::<Action>(body) else { continue };
        if let Action::ImportDraft { canonical, .. } = &mut action {
            match canonical_of(canonical) {
                Some(c) => *canonical = c,
                None => continue,
            }
        }
        let e = event(&state, actor(who), action);
        let checked = state.check(&e);
        let before = state.clone();
        match state.apply(&e) {
            Ok(_) => {
                assert!(checked.is_ok(), "check refused what apply accepted: {checked:?}");
                log.push(e);
            }
            Err(err) => {
                assert!(checked.is_err(), "check accepted what apply refused: {err}");
                assert!(state == before, "a refused request changed the state: {err}");
            }
        }
    }
    if log.len() == seed_log.len() {
        return;
    }
    // The log: every event as JSON and back, replayed from nothing.
    let mut replayed = ProcessState::new("p");
    for e in &log {
        let json = serde_json::to_string(e).expect("an event serializes");
        let back: Event = serde_json::from_str(&json).unwrap_or_else(|err| panic!("{err}: {json}"));
        assert_eq!(&back, e, "an event does not survive the log");
        replayed.apply_recorded(&back).unwrap_or_else(|err| panic!("replay refused {json}: {err}"));
    }
    assert!(replayed == state, "the replayed log gives another state");
});
