//! Synthetic processes of any length, for tests and benchmarks that need a
//! large log (a transfer of 10,000 events, a node starting on a million):
//! every event is checked and applied as a request's would be, so the log
//! replays.

use accord_core::negotiation::{
    Action, Actor, Edit, Event, Participant, ParticipantKind, ProcessInfo, ProcessState, Publication,
};
use accord_store::EventRecord;

use crate::workspace::record_of;

/// A process of `n` events (at least 12): created, ten delegations, a
/// draft, then proposals and support, each checked as a request would be.
pub fn process(id: &str, n: u64) -> Result<Vec<EventRecord>, String> {
    let mut state = ProcessState::new(id);
    let mut events = Vec::new();
    let sec = Actor::Secretariat { name: "Ana".into() };
    let cofac = Actor::CoFacilitator { name: "Norland".into() };
    let mut act = |state: &mut ProcessState, actor: Actor, mut action: Action| {
        state.prepare(&mut action, &actor);
        let event = Event {
            process: id.into(),
            seq: state.seq + 1,
            at_ms: 1_775_000_000_000 + state.seq as i64 * 10,
            actor,
            against: state.latest().map(|d| d.id.clone()),
            idempotency_key: None,
            action,
        };
        state.apply(&event).map_err(|e| format!("event {}: {e}", event.seq))?;
        events.push(record_of(&event).map_err(|e| format!("event {}: {e}", event.seq))?);
        Ok::<(), String>(())
    };
    let info = ProcessInfo {
        title: "Ten thousand".into(),
        co_facilitators: vec!["Norland".into()],
        ..Default::default()
    };
    act(&mut state, sec.clone(), Action::CreateProcess { info })?;
    for d in 0..10 {
        let participant = Participant {
            id: format!("d{d}"),
            name: format!("D{d}"),
            kind: ParticipantKind::MemberState,
            members: vec![],
        };
        act(&mut state, sec.clone(), Action::AddParticipant { participant })?;
    }
    let text = "Draft\n\n1. Decides to act.\n\n2. Requests a report.\n";
    let canonical = accord_core::canonical::write(&accord_core::parse(text));
    let import = Action::ImportDraft {
        label: "Zero draft".into(),
        canonical,
        publication: Publication::Circulated,
        lineage: None,
    };
    act(&mut state, cofac, import)?;
    let mut k = 0u64;
    while state.seq < n {
        let d = format!("d{}", k % 10);
        let action = if k % 3 == 2 {
            Action::Support { proposal: format!("p{}", k / 3 * 2 + 1), on_behalf_of: d.clone() }
        } else {
            Action::TableProposal {
                draft: "d1".into(),
                paragraph: if k.is_multiple_of(2) { "1" } else { "2" }.into(),
                on_behalf_of: d.clone(),
                edit: Edit::Insert { at: 0, text: format!("Also {k}, ") },
                rationale: Some(format!("reason {k}")),
                citation: None,
            }
        };
        act(&mut state, Actor::Delegation { delegation: d }, action)?;
        k += 1;
    }
    Ok(events)
}
