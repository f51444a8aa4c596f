//! Who may do what. The one place these rules live: the server and the CLI
//! ask here, and [`super::ProcessState::check`] enforces them on every action.
//!
//! - The secretariat administers: creates processes, registers participants,
//!   imports drafts, sets their publication, schedules sessions.
//! - Only the process's co-facilitators set statuses, resolve brackets, write
//!   compromises, decide on proposals and produce revisions (and may also
//!   import drafts, publish them and schedule sessions).
//! - A delegation tables, supports and opposes only in its own name or in the
//!   name of a group it belongs to. A proposal is revised or withdrawn only by
//!   the delegation that tabled it or, for one tabled in a group's name, by
//!   the group's focal point (its first listed member, who speaks for it);
//!   the group's other members support, oppose or table their own.
//! - Observers and the public read only what is public; delegations read what
//!   is circulated or public; the secretariat and co-facilitators read all.
//! - Proposals (who tabled what, rationales, stances) are read by the
//!   participants — secretariat, co-facilitators, the process's delegations —
//!   until the co-facilitators publish the compilation; then also by
//!   observers and the public, on drafts they may read.

use super::{Action, Actor, ProposalVisibility, Publication};
use crate::negotiation::{DraftVersion, ProcessState, Proposal};

/// The lowest publication level `actor` may read in `state`'s process.
/// `None` (no actor) is the public.
pub fn visible_from(state: &ProcessState, actor: Option<&Actor>) -> Option<Publication> {
    match actor {
        Some(Actor::Secretariat { .. }) => Some(Publication::Internal),
        Some(Actor::CoFacilitator { name }) if state.is_co_facilitator(name) => Some(Publication::Internal),
        Some(Actor::Delegation { delegation }) if state.participant(delegation).is_some() => {
            Some(Publication::Circulated)
        }
        Some(Actor::Observer { .. }) => Some(Publication::Public),
        // Strangers to the process, and the public of a non-public process.
        _ if state.info.public => Some(Publication::Public),
        _ => None,
    }
}

/// Whether `actor` may see the process at all (its title and public drafts).
pub fn may_see_process(state: &ProcessState, actor: Option<&Actor>) -> bool {
    match actor {
        Some(Actor::Secretariat { .. }) => true,
        Some(Actor::Observer { .. }) => true,
        _ => visible_from(state, actor).is_some(),
    }
}

/// Whether `actor` may read a draft published at `level`.
pub fn may_read(state: &ProcessState, actor: Option<&Actor>, level: Publication) -> bool {
    visible_from(state, actor).is_some_and(|floor| level >= floor)
}

/// The drafts `actor` may read, oldest first.
pub fn readable_drafts<'a>(
    state: &'a ProcessState,
    actor: Option<&Actor>,
) -> impl DoubleEndedIterator<Item = &'a DraftVersion> + 'a {
    let floor = visible_from(state, actor);
    state.drafts.iter().filter(move |d| floor.is_some_and(|f| d.publication >= f))
}

/// Draft `id`, if `actor` may read it.
pub fn readable_draft<'a>(
    state: &'a ProcessState,
    actor: Option<&Actor>,
    id: &str,
) -> Option<&'a DraftVersion> {
    state.draft(id).filter(|d| may_read(state, actor, d.publication))
}

/// The latest draft, if `actor` may read it (what the compilation and
/// readiness are about).
pub fn readable_latest<'a>(state: &'a ProcessState, actor: Option<&Actor>) -> Option<&'a DraftVersion> {
    state.latest().filter(|d| may_read(state, actor, d.publication))
}

/// Whether `actor` may read the process's proposals at all: a participant
/// always; observers and the public once the compilation is published.
pub fn may_read_proposals(state: &ProcessState, actor: Option<&Actor>) -> bool {
    let participant = match actor {
        Some(Actor::Secretariat { .. }) => true,
        Some(Actor::Delegation { delegation }) => state.participant(delegation).is_some(),
        other => is_co_facilitator(state, other),
    };
    participant || state.proposal_visibility == ProposalVisibility::Public
}

/// Whether `actor` may read proposal `p`: they may read proposals and the
/// draft it was tabled on. Every action on a proposal asks this first, and
/// one they may not read is answered as one that does not exist.
pub fn may_read_proposal(state: &ProcessState, actor: Option<&Actor>, p: &Proposal) -> bool {
    may_read_proposals(state, actor) && readable_draft(state, actor, &p.draft).is_some()
}

/// Proposal `p` as `actor` may see it: where it stands now, and the revision
/// that took it in, only when they may read those drafts.
pub fn proposal_as_seen(state: &ProcessState, actor: Option<&Actor>, p: &Proposal) -> Proposal {
    let hidden = |d: &str| readable_draft(state, actor, d).is_none();
    let mut p = p.clone();
    if p.current.as_ref().is_some_and(|[d, _]| hidden(d)) {
        p.current = None;
    }
    if p.incorporated_in.as_deref().is_some_and(hidden) {
        p.incorporated_in = None;
    }
    p
}

/// Whether `actor` is a co-facilitator of this process.
pub fn is_co_facilitator(state: &ProcessState, actor: Option<&Actor>) -> bool {
    matches!(actor, Some(Actor::CoFacilitator { name }) if state.is_co_facilitator(name))
}

/// Whether `actor` may read the working text (the co-facilitators' text in
/// progress, before it becomes a revision) and the event log.
pub fn may_read_working(state: &ProcessState, actor: Option<&Actor>) -> bool {
    match actor {
        Some(Actor::Secretariat { .. }) => true,
        other => is_co_facilitator(state, other),
    }
}

/// Whether the delegation `acting` may act in the name of `name` (itself or
/// one of its groups).
pub fn may_act_for(state: &ProcessState, acting: &str, name: &str) -> bool {
    if acting == name {
        return state.participant(acting).is_some();
    }
    state.participant(name).is_some_and(|g| g.members.iter().any(|m| m == acting))
}

/// The delegation that speaks for group `group` (its focal point, or
/// coordinator): the first member its registration lists. `None` for a
/// delegation, or a group with no member.
pub fn focal_point<'a>(state: &'a ProcessState, group: &str) -> Option<&'a str> {
    let g = state.participant(group)?;
    (g.kind == super::ParticipantKind::Group).then(|| g.members.first().map(String::as_str)).flatten()
}

/// Whether the delegation `acting` may revise or withdraw proposal `p`: the
/// delegation that tabled it, or — for a proposal in a group's name — the
/// group's focal point, if still a member. Another member of the group may
/// not take back what a colleague tabled in the group's name.
pub fn may_change_proposal(state: &ProcessState, acting: &str, p: &Proposal) -> bool {
    if state.participant(acting).is_none() {
        return false;
    }
    p.tabled_by == acting || (p.author != acting && focal_point(state, &p.author) == Some(acting))
}

/// Who may revise or withdraw `p`, in words: "Valdoria (who tabled it) or
/// Norway (the focal point of the Nordic group)".
pub fn who_may_change_proposal(state: &ProcessState, p: &Proposal) -> String {
    let tabler = format!("{} (who tabled it)", state.name_of(&p.tabled_by));
    match focal_point(state, &p.author) {
        Some(f) if f != p.tabled_by => {
            format!("{tabler} or {} (the focal point of {})", state.name_of(f), state.name_of(&p.author))
        }
        _ => tabler,
    }
}

/// The role-level rule for an action: may this kind of actor take it at all?
/// (Rules that depend on the objects involved — whose proposal, which group —
/// are checked with the objects, in [`super::ProcessState::check`].)
pub fn may_take(state: &ProcessState, actor: &Actor, action: &Action) -> Result<(), String> {
    let co_fac = is_co_facilitator(state, Some(actor));
    let secretariat = matches!(actor, Actor::Secretariat { .. });
    let delegation =
        matches!(actor, Actor::Delegation { delegation } if state.participant(delegation).is_some());
    let (allowed, who) = match action {
        Action::CreateProcess { .. } | Action::UpdateProcess { .. } | Action::AddParticipant { .. } => {
            (secretariat, "the secretariat")
        }
        Action::ImportDraft { .. }
        | Action::Publish { .. }
        | Action::ScheduleSession { .. }
        | Action::RecordDecision { .. }
        | Action::SetTimeZone { .. } => (secretariat || co_fac, "the secretariat or a co-facilitator"),
        Action::TableProposal { .. }
        | Action::Support { .. }
        | Action::Oppose { .. }
        | Action::WithdrawStance { .. }
        | Action::Revise { .. }
        | Action::Withdraw { .. }
        | Action::BreakSilence { .. } => (delegation, "a delegation of the process"),
        Action::Decide { .. }
        | Action::SetStatus { .. }
        | Action::ResolveBracket { .. }
        | Action::WriteCompromise { .. }
        | Action::ProduceRevision { .. }
        | Action::SetProposalVisibility { .. }
        | Action::SetDeadline { .. }
        | Action::StartSilence { .. }
        | Action::Adopt { .. } => (co_fac, "a co-facilitator of the process"),
    };
    if allowed {
        Ok(())
    } else {
        Err(format!("only {who} may {}; you act as {}", action.name().replace('-', " "), actor.label()))
    }
}
