//! What a process's state is made of: its drafts, proposals, sessions and
//! burn-down, and the small views the state hands out (a working paragraph
//! with its revision, the compilation text, an applied event's outcome).

use std::collections::BTreeMap;

use serde::Serialize;

use super::Edit;
use super::Publication;
use crate::model::{Draft, Paragraph};

/// One version in the series of drafts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftVersion {
    /// `d1`, `d2`, …
    pub id: String,
    /// "Zero draft", "Rev.1".
    pub label: String,
    /// Who may read it.
    pub publication: Publication,
    /// Imported from a file, or produced from the working text.
    pub produced: bool,
    /// When it entered the series.
    pub at_ms: i64,
    /// The document.
    pub document: Draft,
    /// For each paragraph id of the previous draft, its id in this one
    /// (`None`: deleted). Empty for the first draft.
    pub lineage: BTreeMap<String, Option<String>>,
}

/// Where a proposal is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProposalState {
    /// Tabled and not yet decided.
    Live,
    /// Withdrawn by its author.
    Withdrawn,
    /// Accepted into the working text.
    Accepted,
    /// Set aside by the co-facilitators.
    SetAside,
}

/// A proposal tabled by a delegation or group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    /// `p1`, `p2`, …
    pub id: String,
    /// The draft it was tabled against.
    pub draft: String,
    /// The paragraph id in that draft.
    pub paragraph: String,
    /// In whose name (delegation or group id).
    pub author: String,
    /// The delegation that tabled it.
    pub tabled_by: String,
    /// What it changes.
    pub edit: Edit,
    /// The text its span held when tabled (or last revised).
    pub quote: String,
    /// What stood just before that text, to find it again.
    pub before: String,
    /// Why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// Agreed language it rests on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// Who supports it, in order.
    pub supporters: Vec<String>,
    /// Who opposes it, in order.
    pub opponents: Vec<String>,
    /// Its state.
    pub state: ProposalState,
    /// The sequence number of the last event that changed it.
    pub revision: u64,
    /// When it was tabled.
    pub tabled_at_ms: i64,
    /// Where it stands now: the latest draft and the paragraph its own
    /// paragraph became there (`None`: that paragraph is gone).
    pub current: Option<[String; 2]>,
    /// The session in which it was decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_in: Option<String>,
    /// The revision that took it in, once produced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incorporated_in: Option<String>,
    /// The delegation that last revised its wording (none: as tabled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revised_by: Option<String>,
    /// The delegation that withdrew it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_by: Option<String>,
}

impl Proposal {
    /// What the proposal does, in words: `replace "2030" with "2035"`.
    pub fn describe(&self) -> String {
        match &self.edit {
            Edit::Insert { text, .. } if self.before.trim().is_empty() => {
                format!("insert \"{text}\" at the start")
            }
            Edit::Insert { text, .. } => format!("insert \"{text}\" after \"{}\"", self.before.trim()),
            Edit::Delete { .. } => format!("delete \"{}\"", self.quote),
            Edit::Replace { text, .. } => format!("replace \"{}\" with \"{text}\"", self.quote),
            Edit::Bracket { .. } => format!("bracket \"{}\"", self.quote),
            Edit::Alternatives { alternatives, .. } => {
                format!("alternatives to \"{}\": {}", self.quote, alternatives.join(" / "))
            }
            Edit::AddParagraph { text } => format!("new paragraph after this one: \"{text}\""),
            Edit::DeleteParagraph => "delete the paragraph".to_string(),
            Edit::MoveParagraph { after: Some(a) } => format!("move the paragraph after {a}"),
            Edit::MoveParagraph { after: None } => "move the paragraph to the top".to_string(),
        }
    }
}

/// An informal session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    /// `s1`, `s2`, …
    pub id: String,
    /// ISO date.
    pub date: String,
    /// Time.
    pub time: String,
    /// Room.
    pub room: String,
    /// Paragraph ids on the agenda.
    pub agenda: Vec<String>,
    /// What was decided in it, in order.
    pub decisions: Vec<SessionDecision>,
}

/// One decision recorded against a session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionDecision {
    /// The event that recorded it.
    pub seq: u64,
    /// Its action's name.
    pub action: &'static str,
    /// What was decided, for a person.
    pub summary: String,
    /// Paragraphs it concerns.
    pub paragraphs: Vec<String>,
    /// The latest draft when it was taken, whose working text the
    /// paragraph ids are of. Derived on replay and not part of the state's
    /// JSON, so a process file's hash stays what earlier versions computed.
    #[serde(skip)]
    pub draft: Option<String>,
}

/// One point of the bracket burn-down: how much stood open after an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BurnPoint {
    /// The event.
    pub seq: u64,
    /// When.
    pub at_ms: i64,
    /// Brackets open in the working text.
    pub brackets: usize,
    /// Paragraphs not yet agreed.
    pub not_agreed: usize,
}

/// A paragraph of the working text with the revision a writer must name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkingParagraph<'a> {
    /// The paragraph.
    #[serde(flatten)]
    pub paragraph: &'a Paragraph,
    /// Pass this as `base_revision` to change it.
    pub revision: u64,
}

/// What an applied event produced, returned to the caller (and again to a
/// client that retries the same request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Outcome {
    /// The event's sequence number.
    pub seq: u64,
    /// The proposal created or changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposal: Option<String>,
    /// The draft created or changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft: Option<String>,
    /// The session created or changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// The working paragraph changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<String>,
    /// The new revision of what changed (for the next `base_revision`).
    pub revision: u64,
}

/// A paragraph of the compilation text: the latest draft's paragraph with the
/// live proposals on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompilationParagraph<'a> {
    /// The paragraph.
    pub paragraph: &'a Paragraph,
    /// Its live proposals, oldest first.
    pub proposals: Vec<CompilationEntry<'a>>,
}

/// A proposal in the compilation text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompilationEntry<'a> {
    /// The proposal.
    #[serde(flatten)]
    pub proposal: &'a Proposal,
    /// Author's display name.
    pub author_name: String,
}
