//! The API's answers as their own wire types, so that the JSON a client
//! reads is declared here (beside its schema in [`super::schema`]) rather
//! than being whatever the core's structs serialize to today: renaming a
//! field of the core's `Proposal` or `Outcome` no longer changes the API.
//! What the API embeds of the core as a published contract — a draft's
//! document (`accord parse`), a comparison (`accord compare`), readiness,
//! a session — is named in the schemas and checked by the tests.

use serde::Serialize;

use accord_core::negotiation::{
    policy, Actor, BurnPoint, CompilationParagraph, Edit, Outcome, Participant, ProcessInfo, ProcessState,
    Proposal, ProposalState, Publication, Session, WorkingParagraph,
};
use accord_core::Heading;
use accord_core::Readiness;

/// `GET /api/health` and `/api/ready`.
#[derive(Serialize)]
pub(super) struct Health {
    /// `ok` or `ready`.
    pub status: &'static str,
}

/// A process in the list of processes.
#[derive(Serialize)]
pub(super) struct ProcessSummary {
    pub id: String,
    pub title: String,
    pub public: bool,
    /// Drafts the caller may read.
    pub drafts: usize,
    pub seq: u64,
}

/// `GET /api/processes`.
#[derive(Serialize)]
pub(super) struct ProcessList {
    pub processes: Vec<ProcessSummary>,
}

/// A draft of the series, without its document.
#[derive(Serialize)]
pub(super) struct DraftSummary<'a> {
    #[serde(flatten)]
    pub head: DraftHead<'a>,
    pub paragraphs: usize,
}

/// `GET /api/processes/{process}`.
#[derive(Serialize)]
pub(super) struct ProcessView<'a> {
    pub id: &'a str,
    pub info: &'a ProcessInfo,
    /// Empty for those below the delegations.
    pub participants: &'a [Participant],
    pub drafts: Vec<DraftSummary<'a>>,
    /// Empty for those below the delegations.
    pub sessions: &'a [Session],
    pub seq: u64,
}

/// A draft's head: in the list of drafts, and before its document in
/// `GET …/drafts/{draft}`.
#[derive(Serialize)]
pub(super) struct DraftHead<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub publication: Publication,
    pub produced: bool,
    /// RFC 3339.
    pub at: String,
}

impl<'a> DraftHead<'a> {
    /// The head of `d`.
    pub fn of(d: &'a accord_core::negotiation::DraftVersion) -> DraftHead<'a> {
        DraftHead {
            id: &d.id,
            label: &d.label,
            publication: d.publication,
            produced: d.produced,
            at: accord_core::negotiation::rfc3339(d.at_ms),
        }
    }
}

/// `GET …/drafts`: a page.
#[derive(Serialize)]
pub(super) struct DraftPage<'a> {
    pub drafts: Vec<&'a DraftSummary<'a>>,
    pub next: Option<String>,
}

/// `GET …/working`.
#[derive(Serialize)]
pub(super) struct WorkingView<'a> {
    /// The draft the working text started from.
    pub draft: Option<&'a str>,
    pub title: Option<&'a str>,
    pub headings: &'a [Heading],
    pub paragraphs: Vec<WorkingParagraph<'a>>,
    /// Paragraphs deleted from the working text.
    pub deleted: &'a [String],
    /// Proposals accepted into it.
    pub accepted: &'a [String],
    pub seq: u64,
}

/// What a write recorded.
#[derive(Serialize)]
pub(super) struct OutcomeView<'a> {
    pub seq: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposal: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<&'a str>,
    /// The next `base_revision` of what changed.
    pub revision: u64,
}

impl<'a> From<&'a Outcome> for OutcomeView<'a> {
    fn from(o: &'a Outcome) -> OutcomeView<'a> {
        OutcomeView {
            seq: o.seq,
            proposal: o.proposal.as_deref(),
            draft: o.draft.as_deref(),
            session: o.session.as_deref(),
            paragraph: o.paragraph.as_deref(),
            revision: o.revision,
        }
    }
}

/// A proposal as a given reader may see it: where it stands in a draft they
/// may not read is not theirs to know.
#[derive(Serialize)]
pub(super) struct ProposalView<'a> {
    pub id: &'a str,
    pub draft: &'a str,
    pub paragraph: &'a str,
    pub author: &'a str,
    pub tabled_by: &'a str,
    pub edit: &'a Edit,
    pub quote: &'a str,
    pub before: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rationale: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<&'a str>,
    pub supporters: &'a [String],
    pub opponents: &'a [String],
    pub state: ProposalState,
    pub revision: u64,
    pub tabled_at_ms: i64,
    pub current: Option<&'a [String; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_in: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incorporated_in: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revised_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn_by: Option<&'a str>,
}

impl<'a> ProposalView<'a> {
    /// `p` as `actor` may see it in `s`.
    pub fn of(s: &ProcessState, actor: Option<&Actor>, p: &'a Proposal) -> ProposalView<'a> {
        let hidden = |d: &str| policy::readable_draft(s, actor, d).is_none();
        ProposalView {
            id: &p.id,
            draft: &p.draft,
            paragraph: &p.paragraph,
            author: &p.author,
            tabled_by: &p.tabled_by,
            edit: &p.edit,
            quote: &p.quote,
            before: &p.before,
            rationale: p.rationale.as_deref(),
            citation: p.citation.as_deref(),
            supporters: &p.supporters,
            opponents: &p.opponents,
            state: p.state,
            revision: p.revision,
            tabled_at_ms: p.tabled_at_ms,
            current: p.current.as_ref().filter(|[d, _]| !hidden(d)),
            decided_in: p.decided_in.as_deref(),
            incorporated_in: p.incorporated_in.as_deref().filter(|d| !hidden(d)),
            revised_by: p.revised_by.as_deref(),
            withdrawn_by: p.withdrawn_by.as_deref(),
        }
    }
}

/// `GET …/proposals`: a page.
#[derive(Serialize)]
pub(super) struct ProposalPage<'a> {
    pub proposals: Vec<ProposalView<'a>>,
    pub next: Option<String>,
}

/// `GET …/sessions`: a page.
#[derive(Serialize)]
pub(super) struct SessionPage<'a> {
    pub sessions: Vec<&'a Session>,
    pub next: Option<String>,
}

/// `GET …/compilation`: a page of the latest draft's paragraphs, each with
/// its live proposals (none until the caller may read them).
#[derive(Serialize)]
pub(super) struct CompilationView<'a> {
    pub draft: &'a str,
    pub label: &'a str,
    pub paragraphs: &'a [CompilationParagraph<'a>],
    pub proposals_visible: bool,
    /// The id of the page's last paragraph when more follow.
    pub next: Option<String>,
}

/// `GET …/readiness`.
#[derive(Serialize)]
pub(super) struct ReadinessView<'a> {
    pub draft: &'a str,
    pub readiness: Readiness,
    /// The working text's, for those who read it.
    pub working: Option<Readiness>,
    pub burn_down: Option<&'a [BurnPoint]>,
}

/// `GET …/events`: a page of the log, each event as recorded.
#[derive(Serialize)]
pub(super) struct EventPage {
    pub events: Vec<serde_json::Value>,
    pub next: Option<u64>,
}

/// `GET …/focal-points`.
#[derive(Serialize)]
pub(super) struct FocalPoints {
    pub focal_points: Vec<FocalPointView>,
}

/// A focal point as listed.
#[derive(Serialize)]
pub(super) struct FocalPointView {
    /// Whose, as an actor label.
    pub participant: String,
    pub name: String,
    pub email: String,
}
