//! The append-only log is the serde form of [`Event`], [`Action`], [`Edit`]
//! and [`ProcessInfo`]: every negotiation's history is stored in it. These
//! tests pin that form byte for byte, one value of every variant, so a change
//! to the types that would break the replay of an existing log fails here
//! first (and each value reads back to itself).

use std::collections::BTreeMap;

use accord_core::negotiation::{
    Action, Actor, BracketResolution, Decision, Edit, Event, Participant, ParticipantKind, ProcessInfo,
    ProposalVisibility, Publication,
};
use accord_core::Status;
use serde::{de::DeserializeOwned, Serialize};

fn pin<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T, expected: &str) {
    let json = serde_json::to_string(value).unwrap();
    assert_eq!(json, expected);
    assert_eq!(&serde_json::from_str::<T>(expected).unwrap(), value, "{expected}");
}

fn info() -> ProcessInfo {
    ProcessInfo {
        title: "Pact for Tomorrow".into(),
        mandate: "resolution 79/1".into(),
        opening: Some("2026-01-10".into()),
        deadline: Some("2026-06-01".into()),
        adoption: Some("2026-09-22".into()),
        co_facilitators: vec!["Norland".into(), "Estoria".into()],
        public: true,
    }
}

#[test]
fn process_info_and_edits_keep_their_json() {
    pin(
        &info(),
        r#"{"title":"Pact for Tomorrow","mandate":"resolution 79/1","opening":"2026-01-10","deadline":"2026-06-01","adoption":"2026-09-22","co_facilitators":["Norland","Estoria"],"public":true}"#,
    );
    pin(
        &ProcessInfo { title: "T".into(), ..Default::default() },
        r#"{"title":"T","mandate":"","co_facilitators":[],"public":false}"#,
    );
    let edits = [
        (Edit::Insert { at: 3, text: " swiftly".into() }, r#"{"kind":"insert","at":3,"text":" swiftly"}"#),
        (Edit::Delete { span: [1, 4] }, r#"{"kind":"delete","span":[1,4]}"#),
        (
            Edit::Replace { span: [19, 23], text: "2035".into() },
            r#"{"kind":"replace","span":[19,23],"text":"2035"}"#,
        ),
        (Edit::Bracket { span: [0, 2] }, r#"{"kind":"bracket","span":[0,2]}"#),
        (
            Edit::Alternatives { span: [5, 9], alternatives: vec!["a".into(), "b".into()] },
            r#"{"kind":"alternatives","span":[5,9],"alternatives":["a","b"]}"#,
        ),
        (Edit::AddParagraph { text: "New.".into() }, r#"{"kind":"add-paragraph","text":"New."}"#),
        (Edit::DeleteParagraph, r#"{"kind":"delete-paragraph"}"#),
        (Edit::MoveParagraph { after: Some("4".into()) }, r#"{"kind":"move-paragraph","after":"4"}"#),
        (Edit::MoveParagraph { after: None }, r#"{"kind":"move-paragraph","after":null}"#),
    ];
    for (edit, json) in &edits {
        pin(edit, json);
    }
}

fn actions() -> Vec<(Action, &'static str)> {
    let lineage: BTreeMap<String, Option<String>> =
        [("1".to_string(), Some("1".to_string())), ("2".to_string(), None)].into_iter().collect();
    vec![
        (
            Action::CreateProcess { info: info() },
            r#"{"action":"create-process","info":{"title":"Pact for Tomorrow","mandate":"resolution 79/1","opening":"2026-01-10","deadline":"2026-06-01","adoption":"2026-09-22","co_facilitators":["Norland","Estoria"],"public":true}}"#,
        ),
        (
            Action::UpdateProcess { info: ProcessInfo { title: "T".into(), ..Default::default() } },
            r#"{"action":"update-process","info":{"title":"T","mandate":"","co_facilitators":[],"public":false}}"#,
        ),
        (
            Action::AddParticipant {
                participant: Participant {
                    id: "g77".into(),
                    name: "Group of 77 and China".into(),
                    kind: ParticipantKind::Group,
                    members: vec!["norland".into()],
                },
            },
            r#"{"action":"add-participant","participant":{"id":"g77","name":"Group of 77 and China","kind":"group","members":["norland"]}}"#,
        ),
        (
            Action::AddParticipant {
                participant: Participant {
                    id: "holy-see".into(),
                    name: "Holy See".into(),
                    kind: ParticipantKind::PermanentObserver,
                    members: vec![],
                },
            },
            r#"{"action":"add-participant","participant":{"id":"holy-see","name":"Holy See","kind":"permanent-observer"}}"#,
        ),
        (
            Action::ImportDraft {
                label: "Zero draft".into(),
                canonical: "accord-canonical 1\n".into(),
                publication: Publication::Circulated,
                lineage: Some(lineage.clone()),
            },
            r#"{"action":"import-draft","label":"Zero draft","canonical":"accord-canonical 1\n","publication":"circulated","lineage":{"1":"1","2":null}}"#,
        ),
        (
            Action::ImportDraft {
                label: "Rev.1".into(),
                canonical: "x".into(),
                publication: Publication::Internal,
                lineage: None,
            },
            r#"{"action":"import-draft","label":"Rev.1","canonical":"x","publication":"internal"}"#,
        ),
        (
            Action::Publish { draft: "d1".into(), publication: Publication::Public },
            r#"{"action":"publish","draft":"d1","publication":"public"}"#,
        ),
        (
            Action::TableProposal {
                draft: "d1".into(),
                paragraph: "3".into(),
                on_behalf_of: "g77".into(),
                edit: Edit::Replace { span: [19, 23], text: "2035".into() },
                rationale: Some("Feasible.".into()),
                citation: Some("resolution 70/1".into()),
            },
            r#"{"action":"table-proposal","draft":"d1","paragraph":"3","on_behalf_of":"g77","edit":{"kind":"replace","span":[19,23],"text":"2035"},"rationale":"Feasible.","citation":"resolution 70/1"}"#,
        ),
        (
            Action::TableProposal {
                draft: "d1".into(),
                paragraph: "3".into(),
                on_behalf_of: "norland".into(),
                edit: Edit::DeleteParagraph,
                rationale: None,
                citation: None,
            },
            r#"{"action":"table-proposal","draft":"d1","paragraph":"3","on_behalf_of":"norland","edit":{"kind":"delete-paragraph"}}"#,
        ),
        (
            Action::Support { proposal: "p1".into(), on_behalf_of: "eu".into() },
            r#"{"action":"support","proposal":"p1","on_behalf_of":"eu"}"#,
        ),
        (
            Action::Oppose { proposal: "p1".into(), on_behalf_of: "estoria".into() },
            r#"{"action":"oppose","proposal":"p1","on_behalf_of":"estoria"}"#,
        ),
        (
            Action::WithdrawStance { proposal: "p1".into(), on_behalf_of: "estoria".into() },
            r#"{"action":"withdraw-stance","proposal":"p1","on_behalf_of":"estoria"}"#,
        ),
        (
            Action::Revise {
                proposal: "p1".into(),
                base_revision: 7,
                edit: Edit::Bracket { span: [0, 4] },
                rationale: Some("Narrower.".into()),
            },
            r#"{"action":"revise","proposal":"p1","base_revision":7,"edit":{"kind":"bracket","span":[0,4]},"rationale":"Narrower."}"#,
        ),
        (
            Action::Revise {
                proposal: "p1".into(),
                base_revision: 7,
                edit: Edit::DeleteParagraph,
                rationale: None,
            },
            r#"{"action":"revise","proposal":"p1","base_revision":7,"edit":{"kind":"delete-paragraph"}}"#,
        ),
        (Action::Withdraw { proposal: "p2".into() }, r#"{"action":"withdraw","proposal":"p2"}"#),
        (
            Action::Decide {
                proposal: "p1".into(),
                decision: Decision::Accept,
                base_revision: 9,
                session: Some("s1".into()),
            },
            r#"{"action":"decide","proposal":"p1","decision":"accept","base_revision":9,"session":"s1"}"#,
        ),
        (
            Action::Decide {
                proposal: "p1".into(),
                decision: Decision::SetAside,
                base_revision: 9,
                session: None,
            },
            r#"{"action":"decide","proposal":"p1","decision":"set-aside","base_revision":9}"#,
        ),
        (
            Action::SetStatus {
                paragraph: "3".into(),
                status: Status::AgreedAdRef,
                note: Some("given new figures".into()),
                base_revision: 4,
                session: Some("s2".into()),
            },
            r#"{"action":"set-status","paragraph":"3","status":"agreed-ad-ref","note":"given new figures","base_revision":4,"session":"s2"}"#,
        ),
        (
            Action::SetStatus {
                paragraph: "3".into(),
                status: Status::Open,
                note: None,
                base_revision: 4,
                session: None,
            },
            r#"{"action":"set-status","paragraph":"3","status":"open","base_revision":4}"#,
        ),
        (
            Action::ResolveBracket {
                paragraph: "3".into(),
                bracket: 0,
                resolution: BracketResolution::Choose { alternative: 1 },
                base_revision: 5,
                session: Some("s1".into()),
            },
            r#"{"action":"resolve-bracket","paragraph":"3","bracket":0,"resolution":"choose","alternative":1,"base_revision":5,"session":"s1"}"#,
        ),
        (
            Action::ResolveBracket {
                paragraph: "4".into(),
                bracket: 2,
                resolution: BracketResolution::Keep,
                base_revision: 5,
                session: None,
            },
            r#"{"action":"resolve-bracket","paragraph":"4","bracket":2,"resolution":"keep","base_revision":5}"#,
        ),
        (
            Action::ResolveBracket {
                paragraph: "4".into(),
                bracket: 1,
                resolution: BracketResolution::Delete,
                base_revision: 5,
                session: None,
            },
            r#"{"action":"resolve-bracket","paragraph":"4","bracket":1,"resolution":"delete","base_revision":5}"#,
        ),
        (
            Action::WriteCompromise {
                paragraph: "3".into(),
                text: "Decides to act by 2030.".into(),
                base_revision: 6,
                session: Some("s1".into()),
            },
            r#"{"action":"write-compromise","paragraph":"3","text":"Decides to act by 2030.","base_revision":6,"session":"s1"}"#,
        ),
        (
            Action::ProduceRevision {
                label: "Rev.1".into(),
                date: Some("1 May 2026".into()),
                publication: Publication::Circulated,
                canonical: Some("accord-canonical 1\n".into()),
                lineage: Some(lineage),
            },
            r#"{"action":"produce-revision","label":"Rev.1","date":"1 May 2026","publication":"circulated","canonical":"accord-canonical 1\n","lineage":{"1":"1","2":null}}"#,
        ),
        (
            Action::ProduceRevision {
                label: "Rev.2".into(),
                date: None,
                publication: Publication::Internal,
                canonical: None,
                lineage: None,
            },
            r#"{"action":"produce-revision","label":"Rev.2","publication":"internal"}"#,
        ),
        (
            Action::ScheduleSession {
                date: "2026-03-02".into(),
                time: "10:00–13:00".into(),
                room: "Conference Room 4".into(),
                agenda: vec!["3".into(), "4".into()],
            },
            r#"{"action":"schedule-session","date":"2026-03-02","time":"10:00–13:00","room":"Conference Room 4","agenda":["3","4"]}"#,
        ),
        (
            Action::RecordDecision {
                session: "s1".into(),
                text: "Paragraphs 12 to 15 to a small group.".into(),
                paragraphs: vec!["12".into()],
            },
            r#"{"action":"record-decision","session":"s1","text":"Paragraphs 12 to 15 to a small group.","paragraphs":["12"]}"#,
        ),
        (
            Action::SetTimeZone { zone: "Europe/Zurich".into() },
            r#"{"action":"set-time-zone","zone":"Europe/Zurich"}"#,
        ),
        (
            Action::SetProposalVisibility { visibility: ProposalVisibility::Public },
            r#"{"action":"set-proposal-visibility","visibility":"public"}"#,
        ),
        (
            Action::SetProposalVisibility { visibility: ProposalVisibility::Participants },
            r#"{"action":"set-proposal-visibility","visibility":"participants"}"#,
        ),
        (
            Action::SetDeadline {
                until: Some("2026-12-04T23:00:00.000Z".into()),
                session: Some("s1".into()),
            },
            r#"{"action":"set-deadline","until":"2026-12-04T23:00:00.000Z","session":"s1"}"#,
        ),
        (Action::SetDeadline { until: None, session: None }, r#"{"action":"set-deadline"}"#),
        (
            Action::StartSilence { until: "2026-12-10T23:00:00.000Z".into() },
            r#"{"action":"start-silence","until":"2026-12-10T23:00:00.000Z"}"#,
        ),
        (
            Action::BreakSilence {
                on_behalf_of: "g77".into(),
                paragraphs: vec!["12".into(), "14".into()],
                reason: "The language on finance is not agreed.".into(),
            },
            r#"{"action":"break-silence","on_behalf_of":"g77","paragraphs":["12","14"],"reason":"The language on finance is not agreed."}"#,
        ),
        (
            Action::Adopt {
                date: Some("16 December 2026".into()),
                canonical: Some("%accord-draft 1\n".into()),
                lineage: Some(BTreeMap::from([("6".to_string(), Some("1".to_string()))])),
            },
            r#"{"action":"adopt","date":"16 December 2026","canonical":"%accord-draft 1\n","lineage":{"6":"1"}}"#,
        ),
        (Action::Adopt { date: None, canonical: None, lineage: None }, r#"{"action":"adopt"}"#),
    ]
}

#[test]
fn every_action_keeps_its_json() {
    let all = actions();
    let names: std::collections::BTreeSet<&str> = all.iter().map(|(a, _)| a.name()).collect();
    assert_eq!(names.len(), 24, "one value of every action: {names:?}");
    for (action, json) in &all {
        pin(action, json);
    }
}

#[test]
fn events_keep_their_json() {
    let actors = [
        (Actor::Secretariat { name: "Ana".into() }, None, None),
        (Actor::CoFacilitator { name: "Norland".into() }, Some("d2"), Some("key-1")),
        (Actor::Delegation { delegation: "estoria".into() }, Some("d1"), None),
        (Actor::Observer { name: "press".into() }, None, Some("k")),
    ];
    let expected = [
        r#"{"process":"pact","seq":12,"at_ms":1795890755123,"actor":{"role":"secretariat","name":"Ana"},"action":{"action":"withdraw","proposal":"p2"}}"#,
        r#"{"process":"pact","seq":12,"at_ms":1795890755123,"actor":{"role":"co-facilitator","name":"Norland"},"against":"d2","idempotency_key":"key-1","action":{"action":"withdraw","proposal":"p2"}}"#,
        r#"{"process":"pact","seq":12,"at_ms":1795890755123,"actor":{"role":"delegation","delegation":"estoria"},"against":"d1","action":{"action":"withdraw","proposal":"p2"}}"#,
        r#"{"process":"pact","seq":12,"at_ms":1795890755123,"actor":{"role":"observer","name":"press"},"idempotency_key":"k","action":{"action":"withdraw","proposal":"p2"}}"#,
    ];
    for ((actor, against, key), json) in actors.into_iter().zip(expected) {
        let event = Event {
            process: "pact".into(),
            seq: 12,
            at_ms: 1_795_890_755_123,
            actor,
            against: against.map(str::to_string),
            idempotency_key: key.map(str::to_string),
            action: Action::Withdraw { proposal: "p2".into() },
        };
        pin(&event, json);
    }
}
