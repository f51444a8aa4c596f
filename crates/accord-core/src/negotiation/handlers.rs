//! One handler per action: the objects the action names are checked (whose
//! proposal, which paragraph, which revision) and the [`Change`] it makes is
//! computed, all without writing to the state. The checks every action needs
//! come first, in [`ProcessState::plan`].

use super::check::{check_id, check_text, delegation_of, invalid, not_found, Origin, Target};
use super::commit::{Change, NewDraft, Rewording, Ruling, SessionRecord, Stance, StatusChange, TextChange};
use super::edit::{quote_of, resolve_bracket};
use super::state::lineage_by_comparison;
use super::*;
use crate::canonical;

/// A proposal as a delegation tables it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tabling<'a> {
    /// The draft it is tabled against.
    pub draft: &'a str,
    /// The paragraph id in that draft.
    pub paragraph: &'a str,
    /// In whose name.
    pub on_behalf_of: &'a str,
    /// What it changes.
    pub edit: &'a Edit,
    /// Why.
    pub rationale: Option<&'a str>,
    /// Agreed language it rests on.
    pub citation: Option<&'a str>,
}

impl ProcessState {
    pub(super) fn describe_process(&self, info: &ProcessInfo) -> Result<Change, DomainError> {
        check_id("process id", &self.id)?;
        if info.title.trim().is_empty() {
            return invalid("a process needs a title");
        }
        check_text("the title", &info.title)?;
        check_text("the mandate", &info.mandate)?;
        Ok(Change::Info(info.clone()))
    }

    pub(super) fn add_participant(&self, participant: &Participant) -> Result<Change, DomainError> {
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
        Ok(Change::Participant(participant.clone()))
    }

    pub(super) fn import_draft(
        &self,
        label: &str,
        text: &str,
        publication: Publication,
        lineage: Option<&Lineage>,
    ) -> Result<Change, DomainError> {
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
            (None, None) => Lineage::new(),
        };
        Ok(Change::NewDraft(NewDraft {
            label: label.to_string(),
            publication,
            produced: false,
            document,
            lineage,
        }))
    }

    pub(super) fn publish(&self, draft: &str, publication: Publication) -> Result<Change, DomainError> {
        match self.drafts.iter().position(|d| d.id == draft) {
            Some(draft) => Ok(Change::Publish { draft, publication }),
            None => not_found(format!("no draft `{draft}`")),
        }
    }

    /// A delegation's live proposals on one draft are bounded: real ones
    /// table tens, a runaway script millions, and every page and answer that
    /// lists them would grow with it.
    fn check_proposal_cap(&self, draft: &str, author: &str) -> Result<(), DomainError> {
        let live = self
            .proposals
            .iter()
            .filter(|p| p.draft == draft && p.author == author && p.state == ProposalState::Live)
            .count();
        if live >= MAX_LIVE_PROPOSALS {
            return Err(DomainError::Invalid(format!(
                "`{author}` already has {MAX_LIVE_PROPOSALS} live proposals on draft `{draft}`, the most one \
                 delegation may have on a draft; withdraw some, or wait for the next revision"
            )));
        }
        Ok(())
    }

    pub(super) fn table_proposal(
        &self,
        event: &Event,
        t: Tabling<'_>,
        origin: Origin,
    ) -> Result<Change, DomainError> {
        let Tabling { draft, paragraph, on_behalf_of, edit, rationale, citation } = t;
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
        let Some(para) = d.document.paragraphs.iter().find(|p| p.id == paragraph) else {
            return not_found(format!("draft `{draft}` has no paragraph `{paragraph}`"));
        };
        let Some(current) = self.follow(draft, paragraph) else {
            return invalid(format!(
                "paragraph `{paragraph}` of draft `{draft}` is no longer in the latest draft"
            ));
        };
        if self.deleted.contains(&current[1]) && origin == Origin::Request {
            return Err(DomainError::conflict(format!(
                "paragraph `{paragraph}` of draft `{draft}` has been deleted from the working text; \
                 a proposal on it could not be taken in"
            )));
        }
        self.check_edit(edit, &d.document, paragraph, origin)?;
        let (quote, before) = quote_of(&para.text, edit, origin == Origin::Request)
            .map_err(|e| DomainError::Invalid(e.to_string()))?;
        if let Some(r) = rationale {
            check_text("the rationale", r)?;
        }
        if let Some(c) = citation {
            check_text("the citation", c)?;
        }
        if origin == Origin::Request {
            self.check_proposal_cap(draft, on_behalf_of)?;
        }
        Ok(Change::Table(Box::new(Proposal {
            id: format!("p{}", self.proposals.len() + 1),
            draft: draft.to_string(),
            paragraph: paragraph.to_string(),
            author: on_behalf_of.to_string(),
            tabled_by: acting.to_string(),
            edit: edit.clone(),
            quote,
            before,
            rationale: rationale.map(str::to_string),
            citation: citation.map(str::to_string),
            supporters: Vec::new(),
            opponents: Vec::new(),
            state: ProposalState::Live,
            revision: event.seq,
            tabled_at_ms: event.at_ms,
            current: Some(current),
            decided_in: None,
            incorporated_in: None,
            revised_by: None,
            withdrawn_by: None,
        })))
    }

    pub(super) fn take_stance(
        &self,
        actor: &Actor,
        i: usize,
        on_behalf_of: &str,
        support: Option<bool>,
    ) -> Result<Change, DomainError> {
        let acting = delegation_of(actor);
        if !policy::may_act_for(self, acting, on_behalf_of) {
            return Err(DomainError::Forbidden(format!(
                "delegation `{acting}` may not speak in the name of `{on_behalf_of}`"
            )));
        }
        let p = &self.proposals[i];
        if p.author == on_behalf_of {
            return invalid(format!("`{on_behalf_of}` is the author of {}", p.id));
        }
        let taken = p.supporters.iter().chain(&p.opponents).any(|x| x == on_behalf_of);
        if support.is_none() && !taken {
            return invalid(format!(
                "`{on_behalf_of}` has neither supported nor opposed {}: there is no stance to take back",
                p.id
            ));
        }
        Ok(Change::Stance(Stance { proposal: i, on_behalf_of: on_behalf_of.to_string(), support }))
    }

    pub(super) fn revise(
        &self,
        actor: &Actor,
        i: usize,
        base_revision: u64,
        edit: &Edit,
        rationale: Option<&str>,
        origin: Origin,
    ) -> Result<Change, DomainError> {
        self.check_author(actor, i, origin)?;
        self.check_proposal_revision(actor, i, base_revision)?;
        let p = &self.proposals[i];
        let d = self.draft(&p.draft).map(|d| &d.document);
        let Some(para) = d.and_then(|d| d.paragraphs.iter().find(|x| x.id == p.paragraph)) else {
            return not_found(format!("the paragraph of {} is gone", p.id));
        };
        if let Some(d) = d {
            self.check_edit(edit, d, &p.paragraph, origin)?;
        }
        let (quote, before) = quote_of(&para.text, edit, origin == Origin::Request)
            .map_err(|e| DomainError::Invalid(e.to_string()))?;
        if let Some(r) = rationale {
            check_text("the rationale", r)?;
        }
        Ok(Change::Revise(Rewording {
            proposal: i,
            edit: edit.clone(),
            quote,
            before,
            rationale: rationale.map(str::to_string),
            by: delegation_of(actor).to_string(),
        }))
    }

    pub(super) fn withdraw(&self, actor: &Actor, i: usize, origin: Origin) -> Result<Change, DomainError> {
        self.check_author(actor, i, origin)?;
        Ok(Change::Withdraw { proposal: i, by: delegation_of(actor).to_string() })
    }

    pub(super) fn decide(
        &self,
        actor: &Actor,
        i: usize,
        decision: Decision,
        base_revision: u64,
        session: Option<&str>,
    ) -> Result<Change, DomainError> {
        self.check_proposal_revision(actor, i, base_revision)?;
        self.check_session(session)?;
        let accept = match decision {
            Decision::Accept => Some(self.acceptance(i)?),
            Decision::SetAside => None,
        };
        Ok(Change::Decide(Ruling { proposal: i, accept, session: session.map(str::to_string) }))
    }

    pub(super) fn set_status(
        &self,
        t: Target<'_>,
        status: Status,
        note: Option<&str>,
    ) -> Result<Change, DomainError> {
        let k = self.target(t)?;
        if let Some(n) = note {
            check_text("the note", n)?;
        }
        Ok(Change::Status(StatusChange {
            paragraph: k,
            status,
            note: note.map(str::to_string),
            session: t.session.map(str::to_string),
        }))
    }

    pub(super) fn resolve_bracket(
        &self,
        t: Target<'_>,
        bracket: usize,
        resolution: &BracketResolution,
    ) -> Result<Change, DomainError> {
        let k = self.target(t)?;
        let p = &self.working.paragraphs[k];
        let Some(b) = p.brackets.get(bracket) else {
            return not_found(format!(
                "paragraph {} has {} brackets; there is no bracket {bracket}",
                t.paragraph,
                p.brackets.len()
            ));
        };
        let text =
            resolve_bracket(&p.text, b, resolution).map_err(|e| DomainError::Invalid(e.to_string()))?;
        let summary = format!("paragraph {}: bracket {} resolved ({resolution:?})", t.paragraph, b.text);
        Ok(Change::Text(TextChange { paragraph: k, text, summary, session: t.session.map(str::to_string) }))
    }

    pub(super) fn write_compromise(&self, t: Target<'_>, text: &str) -> Result<Change, DomainError> {
        let k = self.target(t)?;
        check_text("the compromise text", text)?;
        if text.trim().is_empty() {
            return invalid("a compromise text cannot be empty; delete the paragraph through a proposal");
        }
        Ok(Change::Text(TextChange {
            paragraph: k,
            text: text.trim().to_string(),
            summary: format!("paragraph {}: compromise text", t.paragraph),
            session: t.session.map(str::to_string),
        }))
    }

    pub(super) fn produce_revision(
        &self,
        actor: &Actor,
        label: &str,
        date: Option<&str>,
        publication: Publication,
        prepared: Option<(&str, &Lineage)>,
    ) -> Result<Change, DomainError> {
        if label.trim().is_empty() {
            return invalid("a revision needs a label (\"Rev.1\")");
        }
        if self.latest().is_none() {
            return invalid("there is no draft to revise yet");
        }
        let (document, lineage) = match prepared {
            Some((text, lineage)) => (canonical::read(text), lineage.clone()),
            None => self.next_revision(label, date, actor),
        };
        Ok(Change::NewDraft(NewDraft {
            label: label.to_string(),
            publication,
            produced: true,
            document,
            lineage,
        }))
    }

    pub(super) fn schedule_session(
        &self,
        date: &str,
        time: &str,
        room: &str,
        agenda: &[String],
    ) -> Result<Change, DomainError> {
        for t in [date, time, room] {
            check_text("the session", t)?;
        }
        if date.trim().is_empty() {
            return invalid("a session needs a date");
        }
        if let Some(missing) = agenda.iter().find(|a| !self.working.paragraphs.iter().any(|p| &p.id == *a)) {
            return not_found(format!("no paragraph `{missing}` for the agenda"));
        }
        Ok(Change::Session(Session {
            id: format!("s{}", self.sessions.len() + 1),
            date: date.to_string(),
            time: time.to_string(),
            room: room.to_string(),
            agenda: agenda.to_vec(),
            decisions: Vec::new(),
        }))
    }

    pub(super) fn record_decision(
        &self,
        session: &str,
        text: &str,
        paragraphs: &[String],
    ) -> Result<Change, DomainError> {
        self.check_session(Some(session))?;
        check_text("the decision", text)?;
        if text.trim().is_empty() {
            return invalid("a decision needs its text");
        }
        Ok(Change::Record(SessionRecord {
            session: session.to_string(),
            text: text.to_string(),
            paragraphs: paragraphs.to_vec(),
        }))
    }
}
