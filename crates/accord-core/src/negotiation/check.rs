//! The check step: whether an event may be applied to a process's state, and
//! if so what it changes. [`ProcessState::plan`] reads the state and never
//! writes it; it checks what every event needs (the process, the sequence,
//! the idempotency key, who may take the action at all) and hands the action
//! to its handler (`handlers.rs`), which checks the objects involved and
//! returns the [`Change`] that `commit.rs` then makes.

use super::commit::Change;
use super::*;
use crate::model::Draft;

pub(super) fn invalid<T>(msg: impl Into<String>) -> Result<T, DomainError> {
    Err(DomainError::Invalid(msg.into()))
}

pub(super) fn not_found<T>(msg: impl Into<String>) -> Result<T, DomainError> {
    Err(DomainError::NotFound(msg.into()))
}

/// Longest text accepted in a proposal, compromise or rationale, in bytes.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Most live proposals one delegation (or group) may have on one draft.
pub const MAX_LIVE_PROPOSALS: usize = 2_000;

/// Checks one text field of a request: its size and that it holds no
/// control characters (line breaks and tabs aside).
pub(super) fn check_text(what: &str, text: &str) -> Result<(), DomainError> {
    if text.len() > MAX_TEXT_BYTES {
        return invalid(format!("{what} is {} bytes; the limit is {MAX_TEXT_BYTES}", text.len()));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return invalid(format!("{what} holds control characters"));
    }
    Ok(())
}

/// Checks an id a client chooses (a process's, a participant's).
pub(super) fn check_id(what: &str, id: &str) -> Result<(), DomainError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        invalid(format!("{what} `{id}` must be 1–64 characters of a–z, 0–9, `-` and `_`"))
    }
}

/// Where an event comes from. A new request meets every rule in force; an
/// event from the log was checked by the rules of its day, so rules added
/// since (who may read what, how a span may fall, size bounds) do not refuse
/// it, and an existing negotiation's history always replays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    /// A request being decided now.
    Request,
    /// An event already recorded.
    Log,
}

/// The paragraph, revision and session a co-facilitator's change to one
/// working paragraph names.
#[derive(Debug, Clone, Copy)]
pub(super) struct Target<'a> {
    /// Paragraph id in the working text.
    pub paragraph: &'a str,
    /// The paragraph revision the writer saw.
    pub base_revision: u64,
    /// The session it is decided in, if any.
    pub session: Option<&'a str>,
}

impl ProcessState {
    /// The check step: what `event` changes, or why it is refused. Reads the
    /// state only.
    pub(super) fn plan(&self, event: &Event, origin: Origin) -> Result<Change, DomainError> {
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
        self.check_not_adopted()?;
        if !matches!(action, Action::CreateProcess { .. }) {
            policy::may_take(self, &event.actor, action).map_err(DomainError::Forbidden)?;
        } else if !matches!(event.actor, Actor::Secretariat { .. }) {
            return Err(DomainError::Forbidden("only the secretariat may create a process".into()));
        }
        let actor = &event.actor;
        self.check_silence(action)?;
        if matches!(action, Action::TableProposal { .. } | Action::Revise { .. }) {
            self.check_deadline(event)?;
        }
        match action {
            Action::CreateProcess { info } | Action::UpdateProcess { info } => self.describe_process(info),
            Action::AddParticipant { participant } => self.add_participant(participant),
            Action::ImportDraft { label, canonical, publication, lineage } => {
                self.import_draft(label, canonical, *publication, lineage.as_ref())
            }
            Action::Publish { draft, publication } => self.publish(draft, *publication),
            Action::TableProposal { draft, paragraph, on_behalf_of, edit, rationale, citation } => self
                .table_proposal(
                    event,
                    super::handlers::Tabling {
                        draft,
                        paragraph,
                        on_behalf_of,
                        edit,
                        rationale: rationale.as_deref(),
                        citation: citation.as_deref(),
                    },
                    origin,
                ),
            Action::Support { proposal, on_behalf_of } | Action::Oppose { proposal, on_behalf_of } => {
                let i = self.live_proposal(actor, proposal, origin)?;
                self.take_stance(actor, i, on_behalf_of, Some(matches!(action, Action::Support { .. })))
            }
            Action::WithdrawStance { proposal, on_behalf_of } => {
                let i = self.live_proposal(actor, proposal, origin)?;
                self.take_stance(actor, i, on_behalf_of, None)
            }
            Action::Revise { proposal, base_revision, edit, rationale } => {
                let i = self.live_proposal(actor, proposal, origin)?;
                self.revise(actor, i, *base_revision, edit, rationale.as_deref(), origin)
            }
            Action::Withdraw { proposal } => {
                let i = self.live_proposal(actor, proposal, origin)?;
                self.withdraw(actor, i, origin)
            }
            Action::Decide { proposal, decision, base_revision, session } => {
                let i = self.live_proposal(actor, proposal, origin)?;
                self.decide(actor, i, *decision, *base_revision, session.as_deref())
            }
            Action::SetStatus { paragraph, status, note, base_revision, session } => self.set_status(
                Target { paragraph, base_revision: *base_revision, session: session.as_deref() },
                *status,
                note.as_deref(),
            ),
            Action::ResolveBracket { paragraph, bracket, resolution, base_revision, session } => self
                .resolve_bracket(
                    Target { paragraph, base_revision: *base_revision, session: session.as_deref() },
                    *bracket,
                    resolution,
                ),
            Action::WriteCompromise { paragraph, text, base_revision, session } => self.write_compromise(
                Target { paragraph, base_revision: *base_revision, session: session.as_deref() },
                text,
            ),
            Action::ProduceRevision { label, date, publication, canonical, lineage } => self
                .produce_revision(
                    actor,
                    label,
                    date.as_deref(),
                    *publication,
                    canonical.as_deref().zip(lineage.as_ref()),
                ),
            Action::ScheduleSession { date, time, room, agenda } => {
                self.schedule_session(date, time, room, agenda)
            }
            Action::RecordDecision { session, text, paragraphs } => {
                self.record_decision(session, text, paragraphs)
            }
            Action::SetTimeZone { zone } => self.set_time_zone(zone),
            Action::SetProposalVisibility { visibility } => Ok(Change::ProposalVisibility(*visibility)),
            Action::SetDeadline { until, session } => {
                self.set_deadline(event, until.as_deref(), session.as_deref())
            }
            Action::StartSilence { until } => self.start_silence(event, until),
            Action::BreakSilence { on_behalf_of, paragraphs, reason } => {
                self.break_silence(event, on_behalf_of, paragraphs, reason)
            }
            Action::Adopt { date, canonical, lineage } => {
                self.adopt(event, date.as_deref(), canonical.as_deref().zip(lineage.as_ref()))
            }
        }
    }

    /// Checks a proposal's edit against paragraph `paragraph` of the draft it
    /// is tabled on.
    pub(super) fn check_edit(
        &self,
        edit: &Edit,
        document: &Draft,
        paragraph: &str,
        origin: Origin,
    ) -> Result<(), DomainError> {
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
                let total: usize = alternatives.iter().map(|a| a.len() + 1).sum();
                if total > MAX_TEXT_BYTES && origin == Origin::Request {
                    return invalid(format!(
                        "the {} alternatives are {total} bytes together; the limit is {MAX_TEXT_BYTES}",
                        alternatives.len()
                    ));
                }
                for a in alternatives {
                    check_text("an alternative", a)?;
                    if a.contains('/') {
                        return invalid("an alternative may not contain `/`, which separates alternatives");
                    }
                }
            }
            Edit::MoveParagraph { after: Some(after) } if after == paragraph && origin == Origin::Request => {
                return invalid(format!("paragraph {paragraph} cannot move after itself"));
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

    /// Index of live proposal `id`, as `actor` may know it. A proposal on a
    /// draft the actor may not read is refused exactly as one that does not
    /// exist, and a proposal no longer live is shown only as far as the actor
    /// may read it.
    pub(super) fn live_proposal(
        &self,
        actor: &Actor,
        id: &str,
        origin: Origin,
    ) -> Result<usize, DomainError> {
        let found = self.proposals.iter().position(|p| p.id == id);
        let readable = |i: &usize| {
            origin == Origin::Log || policy::may_read_proposal(self, Some(actor), &self.proposals[*i])
        };
        let Some(i) = found.filter(readable) else {
            return not_found(format!("no proposal `{id}`"));
        };
        let p = &self.proposals[i];
        if p.state != ProposalState::Live {
            return Err(DomainError::Conflict {
                message: format!("proposal {id} is no longer live: it was {:?}", p.state).to_lowercase(),
                current: Contested::Proposal(Box::new(policy::proposal_as_seen(self, Some(actor), p))),
            });
        }
        Ok(i)
    }

    /// Whether the actor may revise or withdraw proposal `i`.
    pub(super) fn check_author(&self, actor: &Actor, i: usize, origin: Origin) -> Result<(), DomainError> {
        let p = &self.proposals[i];
        let acting = delegation_of(actor);
        // A log recorded before the rule of the tabler and the focal point
        // (any member could) still replays.
        let earlier_rule = origin == Origin::Log && policy::may_act_for(self, acting, &p.author);
        if earlier_rule || policy::may_change_proposal(self, acting, p) {
            Ok(())
        } else {
            Err(DomainError::Forbidden(format!(
                "only {} may revise or withdraw {}",
                policy::who_may_change_proposal(self, p),
                p.id
            )))
        }
    }

    /// Whether the writer saw proposal `i`'s current revision.
    pub(super) fn check_proposal_revision(
        &self,
        actor: &Actor,
        i: usize,
        base: u64,
    ) -> Result<(), DomainError> {
        let p = &self.proposals[i];
        if p.revision != base {
            return Err(DomainError::Conflict {
                message: format!(
                    "proposal {} changed since revision {base} (now {}); look at it again",
                    p.id, p.revision
                ),
                current: Contested::Proposal(Box::new(policy::proposal_as_seen(self, Some(actor), p))),
            });
        }
        Ok(())
    }

    /// Whether the named session exists.
    pub(super) fn check_session(&self, session: Option<&str>) -> Result<(), DomainError> {
        match session {
            Some(s) if !self.sessions.iter().any(|x| x.id == s) => not_found(format!("no session `{s}`")),
            _ => Ok(()),
        }
    }

    /// Index of working paragraph `id`, if the writer saw its current
    /// revision, and the named session exists.
    pub(super) fn target(&self, t: Target<'_>) -> Result<usize, DomainError> {
        let id = t.paragraph;
        let Some(k) = self.working.paragraphs.iter().position(|p| p.id == id) else {
            return if self.deleted.iter().any(|d| d == id) {
                Err(DomainError::conflict(format!("paragraph {id} was deleted from the working text")))
            } else {
                not_found(format!("the working text has no paragraph `{id}`"))
            };
        };
        let now = self.paragraph_revision(id);
        if now != t.base_revision {
            return Err(DomainError::Conflict {
                message: format!(
                    "paragraph {id} changed since revision {} (now {now}); here is its current text",
                    t.base_revision
                ),
                current: self.contested_paragraph(id),
            });
        }
        self.check_session(t.session)?;
        Ok(k)
    }
}

/// The delegation id an actor acts for (empty for other roles, which
/// [`policy::may_take`] has already turned away from delegation actions).
pub(super) fn delegation_of(actor: &Actor) -> &str {
    match actor {
        Actor::Delegation { delegation } => delegation,
        _ => "",
    }
}
