//! The commit step: making the change the check step planned. Every
//! [`Change`] was computed from the state it is committed to (indices,
//! texts, parsed drafts), so committing cannot fail: it only writes.

use super::*;
use crate::model::{Draft, Paragraph};

/// What a checked event changes. Each handler of the check step returns one.
#[derive(Debug)]
pub(super) enum Change {
    /// The process's description (on creation or update).
    Info(ProcessInfo),
    /// A participant registered or changed.
    Participant(Participant),
    /// A draft enters the series (imported or produced).
    NewDraft(NewDraft),
    /// A draft's publication level changes.
    Publish {
        /// Index in the series.
        draft: usize,
        /// The new level.
        publication: Publication,
    },
    /// A proposal is tabled.
    Table(Box<Proposal>),
    /// A participant supports or opposes a proposal.
    Stance(Stance),
    /// The author rewords its proposal.
    Revise(Rewording),
    /// The author withdraws its proposal.
    Withdraw {
        /// Index of the proposal.
        proposal: usize,
        /// The delegation that withdrew it.
        by: String,
    },
    /// A co-facilitator accepts or sets aside a proposal.
    Decide(Ruling),
    /// A co-facilitator sets a working paragraph's status.
    Status(StatusChange),
    /// A working paragraph's text changes (a bracket resolved, a compromise).
    Text(TextChange),
    /// A session is scheduled.
    Session(Session),
    /// A decision is recorded against a session.
    Record(SessionRecord),
    /// Who reads the proposals.
    ProposalVisibility(ProposalVisibility),
    /// Time zone, deadline, silence or adoption (`endgame.rs`).
    Endgame(super::endgame::EndgameChange),
}

/// A draft entering the series.
#[derive(Debug)]
pub(super) struct NewDraft {
    pub label: String,
    pub publication: Publication,
    /// Produced from the working text (else imported).
    pub produced: bool,
    pub document: Draft,
    pub lineage: Lineage,
}

/// Support (or opposition) for a proposal, in one participant's name;
/// `support: None` takes the name's stance back.
#[derive(Debug)]
pub(super) struct Stance {
    pub proposal: usize,
    pub on_behalf_of: String,
    pub support: Option<bool>,
}

/// A proposal's new wording, with the text its span holds in its draft.
#[derive(Debug)]
pub(super) struct Rewording {
    pub proposal: usize,
    pub edit: Edit,
    pub quote: String,
    pub before: String,
    pub rationale: Option<String>,
    /// The delegation that revised it.
    pub by: String,
}

/// A decision on a proposal; `accept` holds what acceptance does to the
/// working text (`None`: set aside).
#[derive(Debug)]
pub(super) struct Ruling {
    pub proposal: usize,
    pub accept: Option<WorkingChange>,
    pub session: Option<String>,
}

/// What an accepted proposal does to the working text.
#[derive(Debug)]
pub(super) enum WorkingChange {
    /// Paragraph `at` gets a new text.
    Text { at: usize, text: String },
    /// A new paragraph goes in at `at`.
    Add { at: usize, paragraph: Box<Paragraph> },
    /// Paragraph `at` goes.
    Remove { at: usize },
    /// Paragraph `from` moves to position `to` (counted after its removal).
    Move { from: usize, to: usize },
}

/// A working paragraph's new status.
#[derive(Debug)]
pub(super) struct StatusChange {
    pub paragraph: usize,
    pub status: Status,
    pub note: Option<String>,
    pub session: Option<String>,
}

/// A working paragraph's new text, and what the session records of it.
#[derive(Debug)]
pub(super) struct TextChange {
    pub paragraph: usize,
    pub text: String,
    pub summary: String,
    pub session: Option<String>,
}

/// A decision recorded against a session.
#[derive(Debug)]
pub(super) struct SessionRecord {
    pub session: String,
    pub text: String,
    pub paragraphs: Vec<String>,
}

impl ProcessState {
    /// Makes a checked change; returns what the event produced.
    pub(super) fn commit(&mut self, event: &Event, change: Change) -> Outcome {
        let mut out = Outcome { seq: event.seq, revision: event.seq, ..Default::default() };
        let seq = event.seq;
        let name = event.action.name();
        let mut touches_text = false;
        match change {
            Change::Info(info) => self.info = info,
            Change::Participant(participant) => {
                match self.participants.iter_mut().find(|p| p.id == participant.id) {
                    Some(p) => *p = participant,
                    None => self.participants.push(participant),
                }
            }
            Change::NewDraft(d) => {
                let accepted = if d.produced { std::mem::take(&mut self.accepted) } else { Vec::new() };
                let id =
                    self.push_draft(&d.label, d.publication, d.produced, event.at_ms, d.document, d.lineage);
                for p in self.proposals.iter_mut().filter(|p| accepted.contains(&p.id)) {
                    p.incorporated_in = Some(id.clone());
                }
                out.draft = Some(id);
                touches_text = true;
            }
            Change::Publish { draft, publication } => {
                let d = &mut self.drafts[draft];
                d.publication = publication;
                out.draft = Some(d.id.clone());
            }
            Change::Table(p) => {
                out.proposal = Some(p.id.clone());
                self.proposals.push(*p);
            }
            Change::Stance(s) => {
                let p = &mut self.proposals[s.proposal];
                p.supporters.retain(|x| x != &s.on_behalf_of);
                p.opponents.retain(|x| x != &s.on_behalf_of);
                match s.support {
                    Some(true) => p.supporters.push(s.on_behalf_of),
                    Some(false) => p.opponents.push(s.on_behalf_of),
                    None => {}
                }
                p.revision = seq;
                out.proposal = Some(p.id.clone());
            }
            Change::Revise(r) => {
                let p = &mut self.proposals[r.proposal];
                p.edit = r.edit;
                p.quote = r.quote;
                p.before = r.before;
                if r.rationale.is_some() {
                    p.rationale = r.rationale;
                }
                // Support was given to the old wording.
                p.supporters.clear();
                p.opponents.clear();
                p.revised_by = Some(r.by);
                p.revision = seq;
                out.proposal = Some(p.id.clone());
            }
            Change::Withdraw { proposal, by } => {
                let p = &mut self.proposals[proposal];
                p.state = ProposalState::Withdrawn;
                p.withdrawn_by = Some(by);
                p.revision = seq;
                out.proposal = Some(p.id.clone());
            }
            Change::Decide(r) => {
                let accepted = r.accept.is_some();
                if let Some(change) = r.accept {
                    out.paragraph = Some(self.change_working(change, seq));
                    touches_text = true;
                    let id = self.proposals[r.proposal].id.clone();
                    self.accepted.push(id);
                }
                let p = &mut self.proposals[r.proposal];
                p.state = if accepted { ProposalState::Accepted } else { ProposalState::SetAside };
                p.revision = seq;
                p.decided_in = r.session.clone();
                let summary = format!(
                    "{} {} ({} by {})",
                    if accepted { "accepted" } else { "set aside" },
                    p.id,
                    p.edit.kind(),
                    p.author
                );
                let paragraphs = p.current.as_ref().map(|c| vec![c[1].clone()]).unwrap_or_default();
                out.proposal = Some(p.id.clone());
                self.record_in_session(r.session.as_deref(), seq, name, summary, paragraphs);
            }
            Change::Status(c) => {
                let p = &mut self.working.paragraphs[c.paragraph];
                p.status = c.status;
                p.status_note = c.note;
                let id = p.id.clone();
                let summary = format!("paragraph {id}: {}", c.status.tag());
                self.revisions.insert(id.clone(), seq);
                touches_text = true;
                out.paragraph = Some(id.clone());
                self.record_in_session(c.session.as_deref(), seq, name, summary, vec![id]);
            }
            Change::Text(c) => {
                let id = self.set_working_text(c.paragraph, c.text, seq);
                touches_text = true;
                out.paragraph = Some(id.clone());
                self.record_in_session(c.session.as_deref(), seq, name, c.summary, vec![id]);
            }
            Change::Session(s) => {
                out.session = Some(s.id.clone());
                self.sessions.push(s);
            }
            Change::Record(r) => {
                self.record_in_session(Some(&r.session), seq, name, r.text, r.paragraphs);
                out.session = Some(r.session);
            }
            Change::ProposalVisibility(v) => self.proposal_visibility = v,
            Change::Endgame(c) => touches_text = self.commit_endgame(event, c, &mut out),
        }
        self.seq = event.seq;
        self.at_ms = event.at_ms;
        if touches_text {
            self.record_burn_down(event);
        }
        if let Some(key) = &event.idempotency_key {
            self.keys.insert(key.clone(), out.clone());
        }
        out
    }

    pub(super) fn record_in_session(
        &mut self,
        session: Option<&str>,
        seq: u64,
        action: &'static str,
        summary: String,
        paragraphs: Vec<String>,
    ) {
        let draft = self.latest().map(|d| d.id.clone());
        if let Some(s) = session.and_then(|s| self.sessions.iter_mut().find(|x| x.id == s)) {
            s.decisions.push(SessionDecision { seq, action, summary, paragraphs, draft });
        }
    }
}
