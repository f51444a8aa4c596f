//! The state of one process, derived from its events, and the one function
//! that changes it: [`ProcessState::apply`]. It checks an event completely
//! (policy, existence, conflicts) before it changes anything, so a refused
//! event leaves the state exactly as it was.

use std::collections::BTreeMap;

use serde::Serialize;

use super::edit::{quote_of, resolve_bracket};
use super::revision::{added_after, renumber};
use super::*;
use crate::canonical;
use crate::model::{Draft, Letter, Paragraph};

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

/// Everything known about one process.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ProcessState {
    /// Its id.
    pub id: String,
    /// Its description.
    pub info: ProcessInfo,
    /// Delegations and groups, in order of registration.
    pub participants: Vec<Participant>,
    /// The drafts, oldest first.
    pub drafts: Vec<DraftVersion>,
    /// The co-facilitators' text in progress: the latest draft plus what they
    /// changed and accepted since.
    pub working: Draft,
    /// Revision of each working paragraph changed since the latest draft.
    pub revisions: BTreeMap<String, u64>,
    /// Revision of every working paragraph not in `revisions`.
    pub working_base: u64,
    /// Paragraphs deleted from the working text since the latest draft.
    pub deleted: Vec<String>,
    /// Proposals accepted since the latest draft.
    pub accepted: Vec<String>,
    /// All proposals, in order.
    pub proposals: Vec<Proposal>,
    /// Sessions, in order.
    pub sessions: Vec<Session>,
    /// The bracket burn-down.
    pub burn_down: Vec<BurnPoint>,
    /// The last applied event.
    pub seq: u64,
    /// When the last event was applied.
    pub at_ms: i64,
    /// Outcomes by idempotency key.
    pub keys: BTreeMap<String, Outcome>,
}

fn invalid<T>(msg: impl Into<String>) -> Result<T, DomainError> {
    Err(DomainError::Invalid(msg.into()))
}

fn not_found<T>(msg: impl Into<String>) -> Result<T, DomainError> {
    Err(DomainError::NotFound(msg.into()))
}

/// Longest text accepted in a proposal, compromise or rationale, in bytes.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

fn check_text(what: &str, text: &str) -> Result<(), DomainError> {
    if text.len() > MAX_TEXT_BYTES {
        return invalid(format!("{what} is {} bytes; the limit is {MAX_TEXT_BYTES}", text.len()));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return invalid(format!("{what} holds control characters"));
    }
    Ok(())
}

fn check_id(what: &str, id: &str) -> Result<(), DomainError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        invalid(format!("{what} `{id}` must be 1–64 characters of a–z, 0–9, `-` and `_`"))
    }
}

impl ProcessState {
    /// The state of a process before its first event.
    pub fn new(id: &str) -> ProcessState {
        ProcessState { id: id.to_string(), ..Default::default() }
    }

    /// Rebuilds a state from its events, in order.
    pub fn replay<'a>(
        id: &str,
        events: impl IntoIterator<Item = &'a Event>,
    ) -> Result<ProcessState, DomainError> {
        let mut s = ProcessState::new(id);
        for e in events {
            s.apply(e)?;
        }
        Ok(s)
    }

    /// Whether the process exists (its creation was applied).
    pub fn exists(&self) -> bool {
        self.seq > 0
    }

    /// The participant with this id.
    pub fn participant(&self, id: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }

    /// A participant's display name (its id when unknown).
    pub fn name_of(&self, id: &str) -> String {
        self.participant(id).map_or_else(|| id.to_string(), |p| p.name.clone())
    }

    /// Whether `name` is one of the process's co-facilitators.
    pub fn is_co_facilitator(&self, name: &str) -> bool {
        self.info.co_facilitators.iter().any(|c| c == name)
    }

    /// The latest draft.
    pub fn latest(&self) -> Option<&DraftVersion> {
        self.drafts.last()
    }

    /// A draft by id.
    pub fn draft(&self, id: &str) -> Option<&DraftVersion> {
        self.drafts.iter().find(|d| d.id == id)
    }

    /// A proposal by id.
    pub fn proposal(&self, id: &str) -> Option<&Proposal> {
        self.proposals.iter().find(|p| p.id == id)
    }

    /// The outcome recorded for an idempotency key, if that request was
    /// already applied.
    pub fn outcome_for_key(&self, key: &str) -> Option<&Outcome> {
        self.keys.get(key)
    }

    /// The revision of a working paragraph.
    pub fn paragraph_revision(&self, id: &str) -> u64 {
        self.revisions.get(id).copied().unwrap_or(self.working_base)
    }

    /// The working text's paragraphs with their revisions.
    pub fn working_paragraphs(&self) -> Vec<WorkingParagraph<'_>> {
        self.working
            .paragraphs
            .iter()
            .map(|p| WorkingParagraph { paragraph: p, revision: self.paragraph_revision(&p.id) })
            .collect()
    }

    /// The current state of a working paragraph, as a conflict carries it.
    fn contested_paragraph(&self, id: &str) -> Contested {
        match self.working.paragraphs.iter().find(|p| p.id == id) {
            Some(p) => Contested::Paragraph(Box::new(ContestedParagraph {
                paragraph: p.clone(),
                revision: self.paragraph_revision(id),
            })),
            None => Contested::Nothing,
        }
    }

    /// The compilation text: the latest draft with the live proposals on each
    /// paragraph. Proposals are those `visible` lets through.
    pub fn compilation(&self) -> Vec<CompilationParagraph<'_>> {
        let Some(latest) = self.latest() else { return Vec::new() };
        let mut by_paragraph: BTreeMap<&str, Vec<&Proposal>> = BTreeMap::new();
        for p in &self.proposals {
            if p.state != ProposalState::Live {
                continue;
            }
            if let Some([d, para]) = &p.current {
                if d == &latest.id {
                    by_paragraph.entry(para.as_str()).or_default().push(p);
                }
            }
        }
        latest
            .document
            .paragraphs
            .iter()
            .map(|para| CompilationParagraph {
                paragraph: para,
                proposals: by_paragraph
                    .remove(para.id.as_str())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| CompilationEntry { proposal: p, author_name: self.name_of(&p.author) })
                    .collect(),
            })
            .collect()
    }

    /// The compilation text as plain text: each paragraph of the latest
    /// draft, then its live proposals, attributed, with supporters and
    /// opponents.
    pub fn compilation_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let Some(latest) = self.latest() else { return out };
        let title = latest.document.title.as_deref().unwrap_or(&self.info.title);
        let _ = writeln!(
            out,
            "{title}\nCompilation text of {} ({}), with {} live proposals\n",
            latest.label,
            latest.id,
            self.proposals.iter().filter(|p| p.state == ProposalState::Live).count()
        );
        let mut heading = None;
        for entry in self.compilation() {
            let p = entry.paragraph;
            if p.heading != heading {
                heading = p.heading.clone();
                if let Some(h) =
                    heading.as_ref().and_then(|h| latest.document.headings.iter().find(|x| &x.id == h))
                {
                    let _ =
                        writeln!(out, "{}\n", [h.number.as_deref().unwrap_or(""), &h.title].join(" ").trim());
                }
            }
            let number = p.number.as_deref().map(|n| format!("{n}. ")).unwrap_or_default();
            let status =
                if p.status == Status::Open { String::new() } else { format!(" [{}]", p.status.tag()) };
            let _ = writeln!(out, "{number}{}{status}", p.text);
            for e in &entry.proposals {
                let q = e.proposal;
                let by = if q.author == q.tabled_by {
                    e.author_name.clone()
                } else {
                    format!("{} (tabled by {})", e.author_name, self.name_of(&q.tabled_by))
                };
                let what = q.describe();
                let _ = writeln!(out, "    {} — {by}: {what}", q.id);
                let names =
                    |ids: &[String]| ids.iter().map(|i| self.name_of(i)).collect::<Vec<_>>().join(", ");
                if !q.supporters.is_empty() {
                    let _ = writeln!(out, "        supported by {}", names(&q.supporters));
                }
                if !q.opponents.is_empty() {
                    let _ = writeln!(out, "        opposed by {}", names(&q.opponents));
                }
                if let Some(r) = &q.rationale {
                    let _ = writeln!(out, "        rationale: {r}");
                }
            }
            out.push('\n');
        }
        out
    }

    /// Fills in what an action derives from the state, so that the log
    /// records it and a replay reads it instead of computing it again: the
    /// lineage of an imported draft (from `compare`), the text and lineage of
    /// a produced revision. Whatever a client put there is replaced.
    pub fn prepare(&self, action: &mut Action, actor: &Actor) {
        match action {
            Action::ImportDraft { canonical: text, lineage, .. } => {
                *lineage = match self.latest() {
                    Some(prev) if canonical::is_canonical(text) => {
                        Some(lineage_by_comparison(&prev.document, &canonical::read(text)))
                    }
                    _ => None,
                };
            }
            Action::ProduceRevision { label, date, canonical: text, lineage, .. } => {
                if self.latest().is_some() && !label.trim().is_empty() {
                    let (document, l) = self.next_revision(label, date.as_deref(), actor);
                    *text = Some(canonical::write(&document));
                    *lineage = Some(l);
                } else {
                    *text = None;
                    *lineage = None;
                }
            }
            _ => {}
        }
    }

    /// Checks `event` and applies it. On error nothing has changed.
    pub fn apply(&mut self, event: &Event) -> Result<Outcome, DomainError> {
        if event.process != self.id {
            return invalid(format!("event for process `{}` applied to `{}`", event.process, self.id));
        }
        if event.seq != self.seq + 1 {
            return Err(DomainError::Conflict {
                message: format!("event {} does not follow event {}", event.seq, self.seq),
                current: Contested::Log { seq: self.seq },
            });
        }
        if let Some(key) = &event.idempotency_key {
            if self.keys.contains_key(key) {
                return invalid(format!("request `{key}` was already recorded"));
            }
        }
        let action = &event.action;
        match action {
            Action::CreateProcess { .. } if self.exists() => {
                return invalid(format!("process `{}` already exists", self.id));
            }
            Action::CreateProcess { .. } => {}
            _ if !self.exists() => return not_found(format!("no process `{}`", self.id)),
            _ => {}
        }
        if !matches!(action, Action::CreateProcess { .. }) {
            policy::may_take(self, &event.actor, action).map_err(DomainError::Forbidden)?;
        } else if !matches!(event.actor, Actor::Secretariat { .. }) {
            return Err(DomainError::Forbidden("only the secretariat may create a process".into()));
        }
        let mut out = Outcome { seq: event.seq, revision: event.seq, ..Default::default() };
        let mut touches_text = false;
        match action {
            Action::CreateProcess { info } | Action::UpdateProcess { info } => {
                check_id("process id", &self.id)?;
                if info.title.trim().is_empty() {
                    return invalid("a process needs a title");
                }
                check_text("the title", &info.title)?;
                check_text("the mandate", &info.mandate)?;
                self.info = info.clone();
            }
            Action::AddParticipant { participant } => {
                check_id("participant id", &participant.id)?;
                check_text("the name", &participant.name)?;
                if participant.name.trim().is_empty() {
                    return invalid("a participant needs a name");
                }
                if participant.kind == ParticipantKind::Group {
                    for m in &participant.members {
                        match self.participant(m) {
                            Some(p) if p.kind != ParticipantKind::Group => {}
                            Some(_) => return invalid(format!("`{m}` is a group; groups hold delegations")),
                            None => return not_found(format!("no delegation `{m}` to be a member")),
                        }
                    }
                } else if !participant.members.is_empty() {
                    return invalid("only a group has members");
                }
                match self.participants.iter_mut().find(|p| p.id == participant.id) {
                    Some(p) => *p = participant.clone(),
                    None => self.participants.push(participant.clone()),
                }
            }
            Action::ImportDraft { label, canonical: text, publication, lineage } => {
                if label.trim().is_empty() {
                    return invalid("a draft needs a label (\"Zero draft\", \"Rev.1\")");
                }
                if !canonical::is_canonical(text) {
                    return invalid("the draft must be given in Accord's canonical form");
                }
                let document = canonical::read(text);
                if document.paragraphs.is_empty() {
                    return invalid("the draft has no paragraphs");
                }
                let lineage = match (lineage, self.latest()) {
                    (Some(l), _) => l.clone(),
                    (None, Some(prev)) => lineage_by_comparison(&prev.document, &document),
                    (None, None) => BTreeMap::new(),
                };
                let id = self.push_draft(label, *publication, false, event.at_ms, document, lineage);
                out.draft = Some(id);
                touches_text = true;
            }
            Action::Publish { draft, publication } => {
                let Some(d) = self.drafts.iter_mut().find(|d| &d.id == draft) else {
                    return not_found(format!("no draft `{draft}`"));
                };
                d.publication = *publication;
                out.draft = Some(draft.clone());
            }
            Action::TableProposal { draft, paragraph, on_behalf_of, edit, rationale, citation } => {
                let acting = delegation_of(&event.actor);
                if !policy::may_act_for(self, acting, on_behalf_of) {
                    return Err(DomainError::Forbidden(format!(
                        "delegation `{acting}` may not table a proposal in the name of `{on_behalf_of}`"
                    )));
                }
                let Some(d) = self.draft(draft) else { return not_found(format!("no draft `{draft}`")) };
                if d.publication < Publication::Circulated {
                    return not_found(format!("no draft `{draft}`"));
                }
                let Some(para) = d.document.paragraphs.iter().find(|p| &p.id == paragraph) else {
                    return not_found(format!("draft `{draft}` has no paragraph `{paragraph}`"));
                };
                let current = self.follow(draft, paragraph);
                if current.is_none() {
                    return invalid(format!(
                        "paragraph `{paragraph}` of draft `{draft}` is no longer in the latest draft"
                    ));
                }
                self.check_edit(edit, &d.document)?;
                let (quote, before) =
                    quote_of(&para.text, edit).map_err(|e| DomainError::Invalid(e.to_string()))?;
                for t in [rationale, citation].into_iter().flatten() {
                    check_text("the rationale", t)?;
                }
                let id = format!("p{}", self.proposals.len() + 1);
                self.proposals.push(Proposal {
                    id: id.clone(),
                    draft: draft.clone(),
                    paragraph: paragraph.clone(),
                    author: on_behalf_of.clone(),
                    tabled_by: acting.to_string(),
                    edit: edit.clone(),
                    quote,
                    before,
                    rationale: rationale.clone(),
                    citation: citation.clone(),
                    supporters: Vec::new(),
                    opponents: Vec::new(),
                    state: ProposalState::Live,
                    revision: event.seq,
                    tabled_at_ms: event.at_ms,
                    current,
                    decided_in: None,
                    incorporated_in: None,
                });
                out.proposal = Some(id);
            }
            Action::Support { proposal, on_behalf_of } | Action::Oppose { proposal, on_behalf_of } => {
                let acting = delegation_of(&event.actor);
                if !policy::may_act_for(self, acting, on_behalf_of) {
                    return Err(DomainError::Forbidden(format!(
                        "delegation `{acting}` may not speak in the name of `{on_behalf_of}`"
                    )));
                }
                let i = self.live_proposal(proposal)?;
                let p = &mut self.proposals[i];
                if &p.author == on_behalf_of {
                    return invalid(format!("`{on_behalf_of}` is the author of {proposal}"));
                }
                let support = matches!(action, Action::Support { .. });
                p.supporters.retain(|s| s != on_behalf_of);
                p.opponents.retain(|s| s != on_behalf_of);
                if support {
                    p.supporters.push(on_behalf_of.clone());
                } else {
                    p.opponents.push(on_behalf_of.clone());
                }
                p.revision = event.seq;
                out.proposal = Some(proposal.clone());
            }
            Action::Revise { proposal, base_revision, edit, rationale } => {
                let i = self.live_proposal(proposal)?;
                self.check_author(&event.actor, i)?;
                self.check_proposal_revision(i, *base_revision)?;
                let p = &self.proposals[i];
                let d = self.draft(&p.draft).map(|d| &d.document);
                let Some(para) = d.and_then(|d| d.paragraphs.iter().find(|x| x.id == p.paragraph)) else {
                    return not_found(format!("the paragraph of {proposal} is gone"));
                };
                if let Some(d) = d {
                    self.check_edit(edit, d)?;
                }
                let (quote, before) =
                    quote_of(&para.text, edit).map_err(|e| DomainError::Invalid(e.to_string()))?;
                if let Some(r) = rationale {
                    check_text("the rationale", r)?;
                }
                let p = &mut self.proposals[i];
                p.edit = edit.clone();
                p.quote = quote;
                p.before = before;
                if rationale.is_some() {
                    p.rationale = rationale.clone();
                }
                // Support was given to the old wording.
                p.supporters.clear();
                p.opponents.clear();
                p.revision = event.seq;
                out.proposal = Some(proposal.clone());
            }
            Action::Withdraw { proposal } => {
                let i = self.live_proposal(proposal)?;
                self.check_author(&event.actor, i)?;
                let p = &mut self.proposals[i];
                p.state = ProposalState::Withdrawn;
                p.revision = event.seq;
                out.proposal = Some(proposal.clone());
            }
            Action::Decide { proposal, decision, base_revision, session } => {
                let i = self.live_proposal(proposal)?;
                self.check_proposal_revision(i, *base_revision)?;
                self.check_session(session.as_deref())?;
                if *decision == Decision::Accept {
                    let changed = self.accept_into_working(i, event.seq)?;
                    out.paragraph = changed;
                    touches_text = true;
                    self.accepted.push(proposal.clone());
                }
                let p = &mut self.proposals[i];
                p.state = if *decision == Decision::Accept {
                    ProposalState::Accepted
                } else {
                    ProposalState::SetAside
                };
                p.revision = event.seq;
                p.decided_in = session.clone();
                let summary = format!(
                    "{} {proposal} ({} by {})",
                    if *decision == Decision::Accept { "accepted" } else { "set aside" },
                    p.edit.kind(),
                    p.author
                );
                let paragraphs = p.current.as_ref().map(|c| vec![c[1].clone()]).unwrap_or_default();
                out.proposal = Some(proposal.clone());
                self.record_in_session(session.as_deref(), event.seq, action.name(), summary, paragraphs);
            }
            Action::SetStatus { paragraph, status, note, base_revision, session } => {
                let k = self.working_paragraph(paragraph, *base_revision)?;
                self.check_session(session.as_deref())?;
                if let Some(n) = note {
                    check_text("the note", n)?;
                }
                let p = &mut self.working.paragraphs[k];
                p.status = *status;
                p.status_note = note.clone();
                self.revisions.insert(paragraph.clone(), event.seq);
                touches_text = true;
                out.paragraph = Some(paragraph.clone());
                let summary = format!("paragraph {paragraph}: {}", status.tag());
                self.record_in_session(
                    session.as_deref(),
                    event.seq,
                    action.name(),
                    summary,
                    vec![paragraph.clone()],
                );
            }
            Action::ResolveBracket { paragraph, bracket, resolution, base_revision, session } => {
                let k = self.working_paragraph(paragraph, *base_revision)?;
                self.check_session(session.as_deref())?;
                let p = &self.working.paragraphs[k];
                let Some(b) = p.brackets.get(*bracket) else {
                    return not_found(format!(
                        "paragraph {paragraph} has {} brackets; there is no bracket {bracket}",
                        p.brackets.len()
                    ));
                };
                let text = resolve_bracket(&p.text, b, resolution)
                    .map_err(|e| DomainError::Invalid(e.to_string()))?;
                let summary = format!("paragraph {paragraph}: bracket {} resolved ({resolution:?})", b.text);
                self.set_working_text(k, text, event.seq);
                touches_text = true;
                out.paragraph = Some(paragraph.clone());
                self.record_in_session(
                    session.as_deref(),
                    event.seq,
                    action.name(),
                    summary,
                    vec![paragraph.clone()],
                );
            }
            Action::WriteCompromise { paragraph, text, base_revision, session } => {
                let k = self.working_paragraph(paragraph, *base_revision)?;
                self.check_session(session.as_deref())?;
                check_text("the compromise text", text)?;
                if text.trim().is_empty() {
                    return invalid(
                        "a compromise text cannot be empty; delete the paragraph through a proposal",
                    );
                }
                self.set_working_text(k, text.trim().to_string(), event.seq);
                touches_text = true;
                out.paragraph = Some(paragraph.clone());
                let summary = format!("paragraph {paragraph}: compromise text");
                self.record_in_session(
                    session.as_deref(),
                    event.seq,
                    action.name(),
                    summary,
                    vec![paragraph.clone()],
                );
            }
            Action::ProduceRevision { label, date, publication, canonical: text, lineage } => {
                if label.trim().is_empty() {
                    return invalid("a revision needs a label (\"Rev.1\")");
                }
                if self.latest().is_none() {
                    return invalid("there is no draft to revise yet");
                }
                let (document, lineage) = match (text, lineage) {
                    (Some(text), Some(lineage)) => (canonical::read(text), lineage.clone()),
                    _ => self.next_revision(label, date.as_deref(), &event.actor),
                };
                let accepted = std::mem::take(&mut self.accepted);
                let id = self.push_draft(label, *publication, true, event.at_ms, document, lineage);
                for p in self.proposals.iter_mut().filter(|p| accepted.contains(&p.id)) {
                    p.incorporated_in = Some(id.clone());
                }
                out.draft = Some(id);
                touches_text = true;
            }
            Action::ScheduleSession { date, time, room, agenda } => {
                for t in [date, time, room] {
                    check_text("the session", t)?;
                }
                if date.trim().is_empty() {
                    return invalid("a session needs a date");
                }
                if let Some(missing) =
                    agenda.iter().find(|a| !self.working.paragraphs.iter().any(|p| &p.id == *a))
                {
                    return not_found(format!("no paragraph `{missing}` for the agenda"));
                }
                let id = format!("s{}", self.sessions.len() + 1);
                self.sessions.push(Session {
                    id: id.clone(),
                    date: date.clone(),
                    time: time.clone(),
                    room: room.clone(),
                    agenda: agenda.clone(),
                    decisions: Vec::new(),
                });
                out.session = Some(id);
            }
            Action::RecordDecision { session, text, paragraphs } => {
                self.check_session(Some(session))?;
                check_text("the decision", text)?;
                if text.trim().is_empty() {
                    return invalid("a decision needs its text");
                }
                self.record_in_session(
                    Some(session),
                    event.seq,
                    action.name(),
                    text.clone(),
                    paragraphs.clone(),
                );
                out.session = Some(session.clone());
            }
        }
        self.seq = event.seq;
        self.at_ms = event.at_ms;
        if touches_text {
            self.record_burn_down(event);
        }
        if let Some(key) = &event.idempotency_key {
            self.keys.insert(key.clone(), out.clone());
        }
        Ok(out)
    }

    fn record_burn_down(&mut self, event: &Event) {
        let brackets = self
            .working
            .paragraphs
            .iter()
            .map(|p| p.brackets.iter().filter(|b| !b.opens_before).count())
            .sum();
        let not_agreed = self.working.paragraphs.iter().filter(|p| p.status != Status::Agreed).count();
        let point = BurnPoint { seq: event.seq, at_ms: event.at_ms, brackets, not_agreed };
        if self.burn_down.last().is_some_and(|l| l.brackets == brackets && l.not_agreed == not_agreed) {
            return;
        }
        self.burn_down.push(point);
    }

    fn push_draft(
        &mut self,
        label: &str,
        publication: Publication,
        produced: bool,
        at_ms: i64,
        document: Draft,
        lineage: BTreeMap<String, Option<String>>,
    ) -> String {
        let id = format!("d{}", self.drafts.len() + 1);
        // Proposals follow their paragraph into the new draft.
        if let Some(prev) = self.latest().map(|d| d.id.clone()) {
            for p in self.proposals.iter_mut() {
                if let Some([d, para]) = &p.current {
                    if *d == prev {
                        p.current = lineage.get(para).cloned().flatten().map(|n| [id.clone(), n]);
                    }
                }
            }
        }
        self.working = document.clone();
        self.revisions.clear();
        self.deleted.clear();
        self.working_base = self.seq + 1;
        self.drafts.push(DraftVersion {
            id: id.clone(),
            label: label.trim().to_string(),
            publication,
            produced,
            at_ms,
            document,
            lineage,
        });
        id
    }

    /// Where paragraph `paragraph` of draft `draft` stands in the latest draft.
    fn follow(&self, draft: &str, paragraph: &str) -> Option<[String; 2]> {
        let start = self.drafts.iter().position(|d| d.id == draft)?;
        let mut id = paragraph.to_string();
        for d in &self.drafts[start + 1..] {
            id = d.lineage.get(&id).cloned().flatten()?;
        }
        Some([self.drafts.last()?.id.clone(), id])
    }

    fn check_edit(&self, edit: &Edit, document: &Draft) -> Result<(), DomainError> {
        match edit {
            Edit::Insert { text, .. } | Edit::Replace { text, .. } | Edit::AddParagraph { text } => {
                check_text("the proposed text", text)?;
                if text.trim().is_empty() && !matches!(edit, Edit::Replace { .. }) {
                    return invalid("the proposed text is empty");
                }
            }
            Edit::Alternatives { alternatives, .. } => {
                if alternatives.is_empty() || alternatives.iter().any(|a| a.trim().is_empty()) {
                    return invalid("alternatives must be given, and none may be empty");
                }
                for a in alternatives {
                    check_text("an alternative", a)?;
                    if a.contains('/') {
                        return invalid("an alternative may not contain `/`, which separates alternatives");
                    }
                }
            }
            Edit::MoveParagraph { after: Some(after) }
                if !document.paragraphs.iter().any(|p| &p.id == after) =>
            {
                return not_found(format!("no paragraph `{after}` to move after"));
            }
            _ => {}
        }
        Ok(())
    }

    fn live_proposal(&self, id: &str) -> Result<usize, DomainError> {
        let Some(i) = self.proposals.iter().position(|p| p.id == id) else {
            return not_found(format!("no proposal `{id}`"));
        };
        let p = &self.proposals[i];
        if p.state != ProposalState::Live {
            return Err(DomainError::Conflict {
                message: format!("proposal {id} is no longer live: it was {:?}", p.state).to_lowercase(),
                current: Contested::Proposal(Box::new(p.clone())),
            });
        }
        Ok(i)
    }

    fn check_author(&self, actor: &Actor, i: usize) -> Result<(), DomainError> {
        let p = &self.proposals[i];
        if policy::may_act_for(self, delegation_of(actor), &p.author) {
            Ok(())
        } else {
            Err(DomainError::Forbidden(format!(
                "only `{}` (or a member of it) may revise or withdraw {}",
                p.author, p.id
            )))
        }
    }

    fn check_proposal_revision(&self, i: usize, base: u64) -> Result<(), DomainError> {
        let p = &self.proposals[i];
        if p.revision != base {
            return Err(DomainError::Conflict {
                message: format!(
                    "proposal {} changed since revision {base} (now {}); look at it again",
                    p.id, p.revision
                ),
                current: Contested::Proposal(Box::new(p.clone())),
            });
        }
        Ok(())
    }

    fn check_session(&self, session: Option<&str>) -> Result<(), DomainError> {
        match session {
            Some(s) if !self.sessions.iter().any(|x| x.id == s) => not_found(format!("no session `{s}`")),
            _ => Ok(()),
        }
    }

    fn record_in_session(
        &mut self,
        session: Option<&str>,
        seq: u64,
        action: &'static str,
        summary: String,
        paragraphs: Vec<String>,
    ) {
        if let Some(s) = session.and_then(|s| self.sessions.iter_mut().find(|x| x.id == s)) {
            s.decisions.push(SessionDecision { seq, action, summary, paragraphs });
        }
    }

    /// Index of working paragraph `id`, if the writer saw its current revision.
    fn working_paragraph(&self, id: &str, base: u64) -> Result<usize, DomainError> {
        let Some(k) = self.working.paragraphs.iter().position(|p| p.id == id) else {
            return if self.deleted.iter().any(|d| d == id) {
                Err(DomainError::Conflict {
                    message: format!("paragraph {id} was deleted from the working text"),
                    current: Contested::Nothing,
                })
            } else {
                not_found(format!("the working text has no paragraph `{id}`"))
            };
        };
        let now = self.paragraph_revision(id);
        if now != base {
            return Err(DomainError::Conflict {
                message: format!(
                    "paragraph {id} changed since revision {base} (now {now}); here is its current text"
                ),
                current: self.contested_paragraph(id),
            });
        }
        Ok(k)
    }

    fn set_working_text(&mut self, k: usize, text: String, seq: u64) {
        self.working.paragraphs[k].text = text;
        let id = self.working.paragraphs[k].id.clone();
        self.revisions.insert(id, seq);
        self.rederive_working();
    }

    /// Brackets and references derive from the text, document-wide, by the
    /// same code as parsing.
    fn rederive_working(&mut self) {
        self.working = canonical::read(&canonical::write(&self.working));
    }

    /// Applies an accepted proposal to the working text. Returns the working
    /// paragraph it changed.
    fn accept_into_working(&mut self, i: usize, seq: u64) -> Result<Option<String>, DomainError> {
        let p = &self.proposals[i];
        let (pid, edit, quote, before) = (p.id.clone(), p.edit.clone(), p.quote.clone(), p.before.clone());
        let Some([_, para]) = p.current.clone() else {
            return Err(DomainError::Conflict {
                message: format!("the paragraph {pid} was on is no longer in the latest draft"),
                current: Contested::Nothing,
            });
        };
        let Some(k) = self.working.paragraphs.iter().position(|x| x.id == para) else {
            return Err(DomainError::Conflict {
                message: format!("paragraph {para} was deleted from the working text"),
                current: Contested::Nothing,
            });
        };
        match edit {
            Edit::AddParagraph { text } => {
                let after = &self.working.paragraphs[k];
                let (number, id) =
                    added_after(after, |id| self.working.paragraphs.iter().any(|x| x.id == id));
                let new = Paragraph {
                    id: id.clone(),
                    number,
                    status: Status::Open,
                    status_note: None,
                    text: text.trim().to_string(),
                    brackets: Vec::new(),
                    references: Vec::new(),
                    footnotes: Vec::new(),
                    parent: None,
                    option: None,
                    ..after.clone()
                };
                self.insert_working(k + 1, new);
                self.revisions.insert(id.clone(), seq);
                self.rederive_working();
                Ok(Some(id))
            }
            Edit::DeleteParagraph => {
                self.remove_working(k);
                self.deleted.push(para.clone());
                self.revisions.insert(para.clone(), seq);
                self.rederive_working();
                Ok(Some(para))
            }
            Edit::MoveParagraph { after } => {
                let to = match &after {
                    None => 0,
                    Some(a) if a == &para => return invalid("a paragraph cannot move after itself"),
                    Some(a) => match self.working.paragraphs.iter().position(|x| &x.id == a) {
                        Some(j) if j > k => j,
                        Some(j) => j + 1,
                        None => {
                            return Err(DomainError::Conflict {
                                message: format!("paragraph {a} is no longer in the working text"),
                                current: Contested::Nothing,
                            })
                        }
                    },
                };
                let moved = self.remove_working(k);
                self.insert_working(to, moved);
                self.revisions.insert(para.clone(), seq);
                self.rederive_working();
                Ok(Some(para))
            }
            edit => match apply_edit(&self.working.paragraphs[k].text, &edit, &quote, &before) {
                Ok(text) => {
                    self.set_working_text(k, text, seq);
                    Ok(Some(para))
                }
                Err(e) => Err(DomainError::Conflict {
                    message: format!("{e}; write a compromise text instead"),
                    current: self.contested_paragraph(&para),
                }),
            },
        }
    }

    fn insert_working(&mut self, at: usize, p: Paragraph) {
        for h in self.working.headings.iter_mut() {
            if h.first_paragraph >= at && h.first_paragraph > 0 {
                h.first_paragraph += 1;
            }
        }
        self.working.paragraphs.insert(at, p);
    }

    fn remove_working(&mut self, at: usize) -> Paragraph {
        for h in self.working.headings.iter_mut() {
            if h.first_paragraph > at {
                h.first_paragraph -= 1;
            }
        }
        self.working.paragraphs.remove(at)
    }

    /// The next revision built from the working text, with its lineage from
    /// the latest draft.
    fn next_revision(
        &self,
        label: &str,
        date: Option<&str>,
        actor: &Actor,
    ) -> (Draft, BTreeMap<String, Option<String>>) {
        let Some(latest) = self.latest() else { return (Draft::default(), BTreeMap::new()) };
        let mut draft = self.working.clone();
        draft.diagnostics.clear();
        draft.furniture.clear();
        if let Some(d) = date {
            draft.date = Some(d.to_string());
        }
        let renumbered = renumber(&mut draft);
        let mut draft = canonical::read(&canonical::write(&draft));
        // Lineage from the latest draft: through the working text's ids.
        let mut lineage = BTreeMap::new();
        for p in &latest.document.paragraphs {
            lineage.insert(p.id.clone(), renumbered.get(&p.id).cloned());
        }
        let comparison = crate::compare(&latest.document, &draft);
        draft.letters = vec![self.cover_letter(label, date, actor, latest, &comparison, &renumbered)];
        (canonical::read(&canonical::write(&draft)), lineage)
    }

    fn cover_letter(
        &self,
        label: &str,
        date: Option<&str>,
        actor: &Actor,
        latest: &DraftVersion,
        comparison: &crate::Comparison,
        renumbered: &BTreeMap<String, String>,
    ) -> Letter {
        let s = &comparison.summary;
        let count = |k: &str| s.relations.get(k).copied().unwrap_or(0);
        let mut body = vec![format!(
            "We have the honour to circulate {label} of the {}, which follows the {} and reflects the \
             discussions held since.",
            self.info.title, latest.label
        )];
        body.push(format!(
            "Of the {} paragraphs of the {}, {} are unchanged, {} renumbered only, {} changed, {} moved, \
             {} merged and {} deleted; {} paragraphs are new. {} brackets were resolved and {} remain open; \
             {} paragraph statuses changed.",
            s.old_paragraphs,
            latest.label,
            count("unchanged"),
            count("renumbered"),
            count("changed"),
            count("moved"),
            count("merged"),
            count("deleted"),
            count("new"),
            s.brackets_resolved,
            s.brackets_open,
            s.statuses_changed
        ));
        let accepted: Vec<String> = self
            .accepted
            .iter()
            .filter_map(|id| self.proposal(id))
            .map(|p| format!("{} ({}, paragraph {})", p.id, self.name_of(&p.author), p.paragraph))
            .collect();
        if !accepted.is_empty() {
            body.push(format!("It takes in the following proposals: {}.", accepted.join("; ")));
        }
        let moved: Vec<String> = renumbered
            .iter()
            .filter(|(old, new)| old != new && latest.document.paragraphs.iter().any(|p| &&p.id == old))
            .map(|(old, new)| format!("{old} → {new}"))
            .collect();
        if !moved.is_empty() {
            body.push(format!("Paragraphs are renumbered: {}.", moved.join(", ")));
        }
        Letter {
            sender: match actor {
                Actor::CoFacilitator { name } => name.clone(),
                other => other.label(),
            },
            date: date.map(str::to_string),
            addressees: vec!["All Permanent Representatives and Permanent Observers".into()],
            salutation: Some("Excellency,".into()),
            body,
            ..Default::default()
        }
    }
}

/// The delegation id an actor acts for (empty for other roles, which
/// [`policy::may_take`] has already turned away from delegation actions).
fn delegation_of(actor: &Actor) -> &str {
    match actor {
        Actor::Delegation { delegation } => delegation,
        _ => "",
    }
}

/// Lineage between two drafts from `compare`: each old paragraph to the new
/// paragraph that continues it (the first, when it was split).
pub(crate) fn lineage_by_comparison(old: &Draft, new: &Draft) -> BTreeMap<String, Option<String>> {
    let comparison = crate::compare(old, new);
    let mut lineage: BTreeMap<String, Option<String>> =
        old.paragraphs.iter().map(|p| (p.id.clone(), None)).collect();
    for link in &comparison.paragraphs {
        if let Some(first) = link.new.first() {
            for o in &link.old {
                lineage.insert(o.clone(), Some(first.clone()));
            }
        }
    }
    lineage
}
