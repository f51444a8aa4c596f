//! The event log's own format: what a stored event's payload is, with a
//! schema version, apart from the domain types.
//!
//! A negotiation's history outlives the code that wrote it. The domain types
//! (`accord_core::negotiation::{Event, Action, Edit, …}`) are free to change
//! — be renamed, split into named payloads, gain newtype ids — while the
//! types here change only by adding a new schema version, with an upgrade
//! from every older one. A stored payload is read as the version it names
//! ([`SCHEMA_VERSION`] today; no `v` means version 0, the unversioned form of
//! 2026-12-01, which the committed fixture log keeps) and upgraded to the
//! current types, then converted to the domain's.
//!
//! The conversions between these types and the domain's go through their
//! serde form, which both sides share today; when a domain type's form moves
//! away from the log's, the conversion for it becomes explicit here, and the
//! fixture test (`tests/event_log.rs`) says so first.

use std::collections::BTreeMap;

use accord_core::negotiation::Event;
use serde::{Deserialize, Serialize};

/// The schema version this code writes.
pub const SCHEMA_VERSION: u32 = 1;

/// Why a stored payload could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// The payload is not an event of any known version.
    #[error("unreadable event payload (schema version {version}): {source}")]
    Unreadable {
        /// The version the payload names.
        version: u32,
        /// What the JSON reader said.
        source: serde_json::Error,
    },
    /// A version newer than this code knows: written by a newer Accord.
    #[error("event payload of schema version {0}, newer than this Accord knows ({SCHEMA_VERSION})")]
    TooNew(u32),
    /// The event does not fit the log's types (a domain type changed
    /// without its conversion): a bug, caught before anything is stored.
    #[error("the event does not convert to the log's format: {0}")]
    Unconvertible(serde_json::Error),
}

/// A stored event, as of schema version 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEvent {
    /// The schema version ([`SCHEMA_VERSION`] when written by this code).
    pub v: u32,
    /// The process it belongs to.
    pub process: String,
    /// Its place in the process's log, from 1.
    pub seq: u64,
    /// When, in milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// Who.
    pub actor: LogActor,
    /// The latest draft when it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub against: Option<String>,
    /// The client's request key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// What.
    pub action: LogAction,
}

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum LogActor {
    Secretariat { name: String },
    CoFacilitator { name: String },
    Delegation { delegation: String },
    Observer { name: String },
}

/// A process's description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct LogProcessInfo {
    pub title: String,
    #[serde(default)]
    pub mandate: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adoption: Option<String>,
    #[serde(default)]
    pub co_facilitators: Vec<String>,
    #[serde(default)]
    pub public: bool,
}

/// A delegation or group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct LogParticipant {
    pub id: String,
    pub name: String,
    pub kind: LogParticipantKind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
}

/// What kind of participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum LogParticipantKind {
    MemberState,
    PermanentObserver,
    Group,
}

/// Who may read a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum LogPublication {
    #[default]
    Internal,
    Circulated,
    Public,
}

/// A paragraph's negotiation status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum LogStatus {
    Open,
    SuggestedForClosure,
    AgreedAdRef,
    Agreed,
}

/// Each paragraph of the previous draft to its successor.
pub type LogLineage = BTreeMap<String, Option<String>>;

/// What a proposal changes (spans in characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum LogEdit {
    Insert { at: u32, text: String },
    Delete { span: [u32; 2] },
    Replace { span: [u32; 2], text: String },
    Bracket { span: [u32; 2] },
    Alternatives { span: [u32; 2], alternatives: Vec<String> },
    AddParagraph { text: String },
    DeleteParagraph,
    MoveParagraph { after: Option<String> },
}

/// How a bracket was resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "resolution", rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum LogBracketResolution {
    Keep,
    Delete,
    Choose { alternative: usize },
}

/// A decision on a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum LogDecision {
    Accept,
    SetAside,
}

/// Who reads a process's proposals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum LogProposalVisibility {
    Participants,
    Public,
}

/// One recorded change. Field meanings are the domain's
/// (`accord_core::negotiation::Action`); their names here are frozen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum LogAction {
    CreateProcess {
        info: LogProcessInfo,
    },
    UpdateProcess {
        info: LogProcessInfo,
    },
    AddParticipant {
        participant: LogParticipant,
    },
    ImportDraft {
        label: String,
        canonical: String,
        #[serde(default)]
        publication: LogPublication,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lineage: Option<LogLineage>,
    },
    Publish {
        draft: String,
        publication: LogPublication,
    },
    TableProposal {
        draft: String,
        paragraph: String,
        on_behalf_of: String,
        edit: LogEdit,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rationale: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        citation: Option<String>,
    },
    Support {
        proposal: String,
        on_behalf_of: String,
    },
    Oppose {
        proposal: String,
        on_behalf_of: String,
    },
    Revise {
        proposal: String,
        base_revision: u64,
        edit: LogEdit,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rationale: Option<String>,
    },
    Withdraw {
        proposal: String,
    },
    Decide {
        proposal: String,
        decision: LogDecision,
        base_revision: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session: Option<String>,
    },
    SetStatus {
        paragraph: String,
        status: LogStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        base_revision: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session: Option<String>,
    },
    ResolveBracket {
        paragraph: String,
        bracket: usize,
        #[serde(flatten)]
        resolution: LogBracketResolution,
        base_revision: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session: Option<String>,
    },
    WriteCompromise {
        paragraph: String,
        text: String,
        base_revision: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session: Option<String>,
    },
    ProduceRevision {
        label: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        date: Option<String>,
        #[serde(default)]
        publication: LogPublication,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        canonical: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lineage: Option<LogLineage>,
    },
    ScheduleSession {
        date: String,
        #[serde(default)]
        time: String,
        #[serde(default)]
        room: String,
        #[serde(default)]
        agenda: Vec<String>,
    },
    RecordDecision {
        session: String,
        text: String,
        #[serde(default)]
        paragraphs: Vec<String>,
    },
    // Who reads the proposals (added to version 1: additive, issue 15).
    SetProposalVisibility {
        visibility: LogProposalVisibility,
    },
    // The end game (added to version 1 before any log held them: additive).
    SetTimeZone {
        zone: String,
    },
    SetDeadline {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session: Option<String>,
    },
    StartSilence {
        until: String,
    },
    BreakSilence {
        on_behalf_of: String,
        paragraphs: Vec<String>,
        reason: String,
    },
    Adopt {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        date: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        canonical: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lineage: Option<LogLineage>,
    },
    // A stance taken back (added to version 1: additive, issue 15; an older
    // Accord refuses a log that holds one, as unreadable, never misreads it).
    WithdrawStance {
        proposal: String,
        on_behalf_of: String,
    },
}

/// Version 0: the unversioned payload of 2026-12-01, the domain `Event`'s
/// serde form of the day. Its fields are version 1's without `v`.
#[derive(Deserialize)]
struct LogEventV0 {
    process: String,
    seq: u64,
    at_ms: i64,
    actor: LogActor,
    #[serde(default)]
    against: Option<String>,
    #[serde(default)]
    idempotency_key: Option<String>,
    action: LogAction,
}

impl From<LogEventV0> for LogEvent {
    fn from(e: LogEventV0) -> LogEvent {
        LogEvent {
            v: SCHEMA_VERSION,
            process: e.process,
            seq: e.seq,
            at_ms: e.at_ms,
            actor: e.actor,
            against: e.against,
            idempotency_key: e.idempotency_key,
            action: e.action,
        }
    }
}

/// Only the version, read first to choose the reader.
#[derive(Deserialize)]
struct Version {
    #[serde(default)]
    v: u32,
}

impl LogEvent {
    /// The log's form of a domain event.
    pub fn from_event(event: &Event) -> Result<LogEvent, LogError> {
        let mut value = serde_json::to_value(event).map_err(LogError::Unconvertible)?;
        if let Some(map) = value.as_object_mut() {
            map.insert("v".into(), SCHEMA_VERSION.into());
        }
        serde_json::from_value(value).map_err(LogError::Unconvertible)
    }

    /// The domain event this records.
    pub fn to_event(&self) -> Result<Event, LogError> {
        let mut value = serde_json::to_value(self).map_err(LogError::Unconvertible)?;
        if let Some(map) = value.as_object_mut() {
            map.remove("v");
        }
        serde_json::from_value(value).map_err(LogError::Unconvertible)
    }

    /// Reads a stored payload of any known version, upgraded to the current one.
    pub fn read(payload: &str) -> Result<LogEvent, LogError> {
        let version = serde_json::from_str::<Version>(payload)
            .map_err(|source| LogError::Unreadable { version: 0, source })?
            .v;
        let unreadable = |source| LogError::Unreadable { version, source };
        match version {
            0 => Ok(serde_json::from_str::<LogEventV0>(payload).map_err(unreadable)?.into()),
            SCHEMA_VERSION => serde_json::from_str(payload).map_err(unreadable),
            newer => Err(LogError::TooNew(newer)),
        }
    }

    /// The payload to store.
    pub fn write(&self) -> String {
        // Plain data (strings, numbers, maps with string keys) always serializes.
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V0: &str = r#"{"process":"p","seq":3,"at_ms":5,"actor":{"role":"delegation","delegation":"norland"},"against":"d1","action":{"action":"table-proposal","draft":"d1","paragraph":"2","on_behalf_of":"eu","edit":{"kind":"replace","span":[0,4],"text":"We"}}}"#;

    #[test]
    fn version_0_is_upgraded_and_written_as_the_current_version() {
        let e = LogEvent::read(V0).unwrap();
        assert_eq!(e.v, SCHEMA_VERSION);
        assert_eq!(e.actor, LogActor::Delegation { delegation: "norland".into() });
        let written = e.write();
        assert!(written.starts_with("{\"v\":1,"), "{written}");
        assert_eq!(LogEvent::read(&written).unwrap(), e);
        // The domain event converts both ways without loss.
        let event = e.to_event().unwrap();
        assert_eq!(event.seq, 3);
        assert_eq!(LogEvent::from_event(&event).unwrap(), e);
    }

    #[test]
    fn the_proposal_visibility_setting_converts_both_ways() {
        use accord_core::negotiation::{Action, ProposalVisibility};
        let stored = r#"{"v":1,"process":"p","seq":9,"at_ms":5,"actor":{"role":"co-facilitator","name":"Norland"},"action":{"action":"set-proposal-visibility","visibility":"public"}}"#;
        let e = LogEvent::read(stored).unwrap();
        assert_eq!(e.action, LogAction::SetProposalVisibility { visibility: LogProposalVisibility::Public });
        let event = e.to_event().unwrap();
        assert_eq!(event.action, Action::SetProposalVisibility { visibility: ProposalVisibility::Public });
        assert_eq!(LogEvent::from_event(&event).unwrap().write(), stored);
    }

    #[test]
    fn a_stance_taken_back_converts_both_ways() {
        use accord_core::negotiation::Action;
        let stored = r#"{"v":1,"process":"p","seq":12,"at_ms":5,"actor":{"role":"delegation","delegation":"kestrel"},"action":{"action":"withdraw-stance","proposal":"p4","on_behalf_of":"aosis"}}"#;
        let e = LogEvent::read(stored).unwrap();
        let action = LogAction::WithdrawStance { proposal: "p4".into(), on_behalf_of: "aosis".into() };
        assert_eq!(e.action, action);
        let event = e.to_event().unwrap();
        assert_eq!(
            event.action,
            Action::WithdrawStance { proposal: "p4".into(), on_behalf_of: "aosis".into() }
        );
        assert_eq!(LogEvent::from_event(&event).unwrap().write(), stored);
    }

    #[test]
    fn unknown_versions_and_shapes_are_named() {
        let newer = V0.replacen("{", "{\"v\":99,", 1);
        assert!(matches!(LogEvent::read(&newer), Err(LogError::TooNew(99))));
        let bad = V0.replace("table-proposal", "table-motion");
        let err = LogEvent::read(&bad).unwrap_err();
        assert!(err.to_string().contains("schema version 0"), "{err}");
        assert!(LogEvent::read("not json").is_err());
    }
}
