//! The negotiation around a draft: the process, its participants, the
//! successive drafts, the proposals delegations table, the co-facilitators'
//! decisions and the sessions where they are taken.
//!
//! State is never written directly. Every change is an [`Event`] — who, when,
//! what, against which draft — and the state of a process is what you get by
//! applying its events in order ([`ProcessState::apply`]). Before an event is
//! recorded, [`ProcessState::check`] decides whether the actor may do it and
//! whether it still makes sense against the current state (the rules of
//! [`policy`] and the conflict rules live there, not in the server), so the
//! server, the CLI and a replay of the log all reach the same state.
//!
//! Like the rest of the core, this module does no I/O: the clock comes in with
//! each event, ids are derived from the state (proposal `p7`, draft `d2`,
//! session `s1`: the numbers delegates say aloud in the room).

mod check;
pub mod clock;
mod commit;
mod edit;
mod endgame;
mod error;
mod handlers;
mod phrase;
pub mod policy;
mod records;
mod revision;
mod state;
mod working;

use serde::{Deserialize, Serialize};

use crate::model::Status;

pub use check::{MAX_LIVE_PROPOSALS, MAX_TEXT_BYTES};
pub use edit::{apply_edit, resolve_bracket, EditError};
pub use endgame::{
    adopted_plain_text, Adoption, BreakStatus, Deadline, Silence, SilenceBreak, SilenceState, SilenceStatus,
    CHAPEAU,
};
pub use error::{Contested, ContestedParagraph, DomainError};
pub use phrase::{phrase_span, spaced_insertion, split_alternatives, PhraseError};
pub use records::{
    BurnPoint, CompilationEntry, CompilationParagraph, DraftVersion, Outcome, Proposal, ProposalState,
    Session, SessionDecision, WorkingParagraph,
};
pub use revision::renumber;
pub use state::ProcessState;

/// For each paragraph id of one draft, its id in the next (`None`: gone).
pub type Lineage = std::collections::BTreeMap<String, Option<String>>;

/// Who acts. Every event has one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "kebab-case")]
pub enum Actor {
    /// The secretariat: administers processes (creates them, registers
    /// participants, imports and publishes drafts). Does not negotiate.
    Secretariat {
        /// Who, for the record.
        name: String,
    },
    /// A co-facilitator of the process, by name as the process lists them.
    CoFacilitator {
        /// The name under which the process lists them.
        name: String,
    },
    /// A member of a delegation (a Member State or a Permanent Observer).
    Delegation {
        /// The participant id of the delegation.
        delegation: String,
    },
    /// An observer: reads what is public, changes nothing.
    Observer {
        /// Who, for the record.
        name: String,
    },
}

impl Actor {
    /// A short label for lists and logs: `secretariat:Ana`, `delegation:norland`.
    pub fn label(&self) -> String {
        match self {
            Actor::Secretariat { name } => format!("secretariat:{name}"),
            Actor::CoFacilitator { name } => format!("co-facilitator:{name}"),
            Actor::Delegation { delegation } => format!("delegation:{delegation}"),
            Actor::Observer { name } => format!("observer:{name}"),
        }
    }

    /// Reads a label as [`Actor::label`] writes it.
    pub fn from_label(label: &str) -> Option<Actor> {
        let (role, name) = label.split_once(':')?;
        let name = name.trim().to_string();
        if name.is_empty() {
            return None;
        }
        Some(match role.trim() {
            "secretariat" => Actor::Secretariat { name },
            "co-facilitator" => Actor::CoFacilitator { name },
            "delegation" => Actor::Delegation { delegation: name },
            "observer" => Actor::Observer { name },
            _ => return None,
        })
    }
}

/// Which kind of participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParticipantKind {
    /// A Member State delegation.
    MemberState,
    /// A Permanent Observer delegation.
    PermanentObserver,
    /// A group of delegations ("G77 and China", "EU").
    Group,
}

/// A delegation or a group of delegations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    /// Short stable id used in URLs and tokens: `norland`, `g77`.
    pub id: String,
    /// The name as it appears in documents: "Group of 77 and China".
    pub name: String,
    /// What it is.
    pub kind: ParticipantKind,
    /// For a group: the ids of its member delegations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
}

/// Who reads the proposals of a process (who tabled what, with rationales
/// and stances): attribution is sensitive while a text is negotiated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ProposalVisibility {
    /// The secretariat, the co-facilitators and the process's delegations.
    #[default]
    Participants,
    /// Also observers and the public (of a public process): the
    /// co-facilitators have published the compilation.
    Public,
}

/// Who may read a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Publication {
    /// The secretariat and the co-facilitators only.
    #[default]
    Internal,
    /// Also every delegation of the process.
    Circulated,
    /// Also observers and the public.
    Public,
}

/// The process as created: what it is for and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ProcessInfo {
    /// The outcome document being negotiated, or the process's name.
    pub title: String,
    /// The mandate: the resolution or decision that launched the process.
    #[serde(default)]
    pub mandate: String,
    /// Opening date (ISO 8601 date), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening: Option<String>,
    /// Text-closing deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// Planned adoption date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adoption: Option<String>,
    /// The co-facilitators, by name ("Permanent Representative of Norland").
    #[serde(default)]
    pub co_facilitators: Vec<String>,
    /// Whether the public may see the process (and its public drafts).
    #[serde(default)]
    pub public: bool,
}

/// What a proposal changes, against its paragraph's text as it stood in the
/// draft it was tabled on. Spans are `[start, end)` in characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Edit {
    /// Insert `text` at character offset `at`.
    Insert {
        /// Character offset in the paragraph text.
        at: u32,
        /// The text to insert, spaces included.
        text: String,
    },
    /// Delete a span.
    Delete {
        /// `[start, end)` in characters.
        span: [u32; 2],
    },
    /// Replace a span by `text`.
    Replace {
        /// `[start, end)` in characters.
        span: [u32; 2],
        /// The replacement.
        text: String,
    },
    /// Put a span in brackets (it is not agreed).
    Bracket {
        /// `[start, end)` in characters.
        span: [u32; 2],
    },
    /// Offer alternatives for a span: it becomes `[a/b/…]`, the span's own
    /// text first.
    Alternatives {
        /// `[start, end)` in characters.
        span: [u32; 2],
        /// The other wordings.
        alternatives: Vec<String>,
    },
    /// A new paragraph after this one.
    AddParagraph {
        /// The new paragraph's text.
        text: String,
    },
    /// Delete the whole paragraph.
    DeleteParagraph,
    /// Move the paragraph after another (`None`: to the top of its section's
    /// document order, i.e. first).
    MoveParagraph {
        /// The paragraph id it should follow.
        after: Option<String>,
    },
}

impl Edit {
    /// The span the edit touches, when it has one.
    pub fn span(&self) -> Option<[u32; 2]> {
        match self {
            Edit::Insert { at, .. } => Some([*at, *at]),
            Edit::Delete { span }
            | Edit::Replace { span, .. }
            | Edit::Bracket { span }
            | Edit::Alternatives { span, .. } => Some(*span),
            _ => None,
        }
    }

    /// The kind's name, as in JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Edit::Insert { .. } => "insert",
            Edit::Delete { .. } => "delete",
            Edit::Replace { .. } => "replace",
            Edit::Bracket { .. } => "bracket",
            Edit::Alternatives { .. } => "alternatives",
            Edit::AddParagraph { .. } => "add-paragraph",
            Edit::DeleteParagraph => "delete-paragraph",
            Edit::MoveParagraph { .. } => "move-paragraph",
        }
    }
}

/// How a co-facilitator resolves a bracket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "resolution", rename_all = "kebab-case")]
pub enum BracketResolution {
    /// Keep the text, drop the brackets.
    Keep,
    /// Delete the bracket and its text.
    Delete,
    /// Keep one of its `/` alternatives (0-based).
    Choose {
        /// Index of the alternative kept.
        alternative: usize,
    },
}

/// A co-facilitator's decision on a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// Taken into the working text of the next revision.
    Accept,
    /// Not taken; stays on record.
    SetAside,
}

/// One change to a process. The same type is the request (checked by
/// [`ProcessState::check`]) and, once checked, the recorded fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Action {
    /// The process begins.
    CreateProcess {
        /// Its description.
        info: ProcessInfo,
    },
    /// Change the process's description (dates, co-facilitators, visibility).
    UpdateProcess {
        /// The new description.
        info: ProcessInfo,
    },
    /// Register a delegation or group (or change one: same id).
    AddParticipant {
        /// Who.
        participant: Participant,
    },
    /// A draft enters the series: the next version after the latest.
    ImportDraft {
        /// "Zero draft", "Rev.1", or a date.
        label: String,
        /// The draft in Accord's canonical form (what the parser made of it).
        canonical: String,
        /// Who may read it.
        #[serde(default)]
        publication: Publication,
        /// Each paragraph of the previous draft to its successor here, as
        /// `compare` found it; filled in by [`ProcessState::prepare`] so the
        /// log records it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lineage: Option<Lineage>,
    },
    /// Change who may read a draft.
    Publish {
        /// The draft id.
        draft: String,
        /// The new level.
        publication: Publication,
    },
    /// A delegation tables a proposal.
    TableProposal {
        /// The draft it is tabled against.
        draft: String,
        /// The paragraph id in that draft.
        paragraph: String,
        /// In whose name: the acting delegation or one of its groups.
        on_behalf_of: String,
        /// What it changes.
        edit: Edit,
        /// Why, optionally.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rationale: Option<String>,
        /// Agreed language it rests on ("paragraph 2 of resolution 70/1").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        citation: Option<String>,
    },
    /// A delegation supports a proposal.
    Support {
        /// The proposal id.
        proposal: String,
        /// In whose name.
        on_behalf_of: String,
    },
    /// A delegation opposes a proposal.
    Oppose {
        /// The proposal id.
        proposal: String,
        /// In whose name.
        on_behalf_of: String,
    },
    /// A delegation takes back its support or opposition (or a group's, in
    /// whose name it speaks): the proposal is as if that name had taken no
    /// stance.
    WithdrawStance {
        /// The proposal id.
        proposal: String,
        /// In whose name the stance was taken.
        on_behalf_of: String,
    },
    /// The author revises its proposal.
    Revise {
        /// The proposal id.
        proposal: String,
        /// The proposal's revision the author saw.
        base_revision: u64,
        /// The new edit.
        edit: Edit,
        /// The new rationale, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rationale: Option<String>,
    },
    /// The author withdraws its proposal.
    Withdraw {
        /// The proposal id.
        proposal: String,
    },
    /// A co-facilitator accepts or sets aside a proposal.
    Decide {
        /// The proposal id.
        proposal: String,
        /// What they decided.
        decision: Decision,
        /// The proposal's revision they decided on.
        base_revision: u64,
        /// The session where it was decided, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session: Option<String>,
    },
    /// A co-facilitator sets a paragraph's status (back to open: reopened).
    SetStatus {
        /// Paragraph id in the working text.
        paragraph: String,
        /// The new status.
        status: Status,
        /// Its qualifier ("given new figures").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        /// The paragraph revision they saw.
        base_revision: u64,
        /// The session, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session: Option<String>,
    },
    /// A co-facilitator resolves one bracket of a paragraph.
    ResolveBracket {
        /// Paragraph id in the working text.
        paragraph: String,
        /// Which bracket, by its index in the paragraph's bracket list.
        bracket: usize,
        /// How.
        #[serde(flatten)]
        resolution: BracketResolution,
        /// The paragraph revision they saw.
        base_revision: u64,
        /// The session, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session: Option<String>,
    },
    /// A co-facilitator writes a compromise text for a paragraph.
    WriteCompromise {
        /// Paragraph id in the working text.
        paragraph: String,
        /// The whole new text of the paragraph.
        text: String,
        /// The paragraph revision they saw.
        base_revision: u64,
        /// The session, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session: Option<String>,
    },
    /// A co-facilitator produces the next revision from the working text.
    ProduceRevision {
        /// "Rev.1".
        label: String,
        /// The date line of the new draft.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        date: Option<String>,
        /// Who may read it.
        #[serde(default)]
        publication: Publication,
        /// The revision produced, in canonical form, and its lineage from
        /// the previous draft: filled in by [`ProcessState::prepare`], so
        /// that the log holds the text itself and a replay does not depend
        /// on how renumbering is computed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        canonical: Option<String>,
        /// See `canonical`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lineage: Option<Lineage>,
    },
    /// An informal session is scheduled.
    ScheduleSession {
        /// ISO date.
        date: String,
        /// Time, "10:00–13:00".
        #[serde(default)]
        time: String,
        /// Room.
        #[serde(default)]
        room: String,
        /// Paragraph ids on the agenda.
        #[serde(default)]
        agenda: Vec<String>,
    },
    /// A decision taken in a session that is not one of the actions above
    /// ("paragraphs 12 to 15 to be discussed in small group").
    RecordDecision {
        /// The session id.
        session: String,
        /// What was decided.
        text: String,
        /// Paragraphs it concerns.
        #[serde(default)]
        paragraphs: Vec<String>,
    },
    /// The process's time zone (an IANA name, `America/New_York` until
    /// set): deadlines are read and shown in it.
    SetTimeZone {
        /// The IANA name.
        zone: String,
    },
    /// The co-facilitators publish the compilation (proposals become
    /// readable by observers and the public) or take it back to the
    /// participants.
    SetProposalVisibility {
        /// Who reads the proposals from now on.
        visibility: ProposalVisibility,
    },
    /// A co-facilitator sets the deadline for textual proposals (none: lifts it).
    SetDeadline {
        /// RFC 3339, or a date and time in the process's zone; recorded in UTC.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<String>,
        /// The session that set it, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session: Option<String>,
    },
    /// A co-facilitator places the latest draft under silence.
    StartSilence {
        /// When silence ends: RFC 3339, or a date and time in the process's
        /// zone; recorded in UTC.
        until: String,
    },
    /// A delegation or group breaks silence on named paragraphs.
    BreakSilence {
        /// In whose name: the acting delegation or one of its groups.
        on_behalf_of: String,
        /// The paragraphs it cannot accept (working text ids).
        paragraphs: Vec<String>,
        /// Why.
        reason: String,
    },
    /// A co-facilitator adopts the text: it enters the series as adopted and
    /// the process becomes read-only.
    Adopt {
        /// The date of the date line ("16 December 2026"); the event's date
        /// in the process's zone when not given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        date: Option<String>,
        /// The text as adopted and its lineage, filled in by
        /// [`ProcessState::prepare`], as for a revision.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        canonical: Option<String>,
        /// See `canonical`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lineage: Option<Lineage>,
    },
}

impl Action {
    /// The action's name, as in JSON (`table-proposal`).
    pub fn name(&self) -> &'static str {
        match self {
            Action::CreateProcess { .. } => "create-process",
            Action::UpdateProcess { .. } => "update-process",
            Action::AddParticipant { .. } => "add-participant",
            Action::ImportDraft { .. } => "import-draft",
            Action::Publish { .. } => "publish",
            Action::TableProposal { .. } => "table-proposal",
            Action::Support { .. } => "support",
            Action::Oppose { .. } => "oppose",
            Action::WithdrawStance { .. } => "withdraw-stance",
            Action::Revise { .. } => "revise",
            Action::Withdraw { .. } => "withdraw",
            Action::Decide { .. } => "decide",
            Action::SetStatus { .. } => "set-status",
            Action::ResolveBracket { .. } => "resolve-bracket",
            Action::WriteCompromise { .. } => "write-compromise",
            Action::ProduceRevision { .. } => "produce-revision",
            Action::ScheduleSession { .. } => "schedule-session",
            Action::RecordDecision { .. } => "record-decision",
            Action::SetTimeZone { .. } => "set-time-zone",
            Action::SetProposalVisibility { .. } => "set-proposal-visibility",
            Action::SetDeadline { .. } => "set-deadline",
            Action::StartSilence { .. } => "start-silence",
            Action::BreakSilence { .. } => "break-silence",
            Action::Adopt { .. } => "adopt",
        }
    }
}

/// A recorded change: the unit of the append-only log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The process it belongs to.
    pub process: String,
    /// Its place in the process's log, from 1, without gaps.
    pub seq: u64,
    /// When, in milliseconds since the Unix epoch (the caller's clock).
    pub at_ms: i64,
    /// Who.
    pub actor: Actor,
    /// The latest draft when it was recorded (`None` before the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub against: Option<String>,
    /// The client's key for the request, so a retried request is recorded once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// What.
    pub action: Action,
}

/// Formats milliseconds since the epoch as an RFC 3339 UTC timestamp.
pub fn rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(1_795_890_755_123), "2026-11-28T18:32:35.123Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn actor_labels_round_trip() {
        for a in [
            Actor::Secretariat { name: "Ana".into() },
            Actor::CoFacilitator { name: "Norland".into() },
            Actor::Delegation { delegation: "estoria".into() },
            Actor::Observer { name: "press".into() },
        ] {
            assert_eq!(Actor::from_label(&a.label()), Some(a));
        }
        assert_eq!(Actor::from_label("king:me"), None);
        assert_eq!(Actor::from_label("delegation:"), None);
    }
}
