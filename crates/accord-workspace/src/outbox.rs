//! Who is told what, by mail: the messages an event causes, computed under
//! the process's write lock and handed to the store with the event, so both
//! are recorded in one transaction ([`accord_store::Store::append_with_outbox`]).
//!
//! - A draft becoming readable to a participant (imported, published,
//!   produced as a revision or as the text as adopted) is *circulated* to
//!   that participant's focal points — only to those the policy lets read it
//!   (`policy::readable_draft`, what the pages use: an observer gets no
//!   internal or circulated draft).
//! - Silence started or broken, and adoption, are told to every focal point
//!   whose participant may read the draft concerned.
//!
//! Each message's `Message-ID` is derived from the process, the event's seq
//! and the recipient's address, so every delivery attempt of it sends the
//! same id and a receiver that saw it can drop a repeat.
//!
//! Focal points (name, e-mail per participant, by actor label) are kept in
//! the store (schema version 3), loaded at start and changed through
//! [`Workspace::set_focal_points`].

use std::collections::{HashMap, HashSet};

use accord_core::negotiation::{policy, Action, Actor, DomainError, Event, ProcessState};
use accord_store::{FocalPointRecord, OutboxRecord, OutboxState, OutboxUpdate};
use sha2::{Digest, Sha256};

use crate::error::WorkspaceError;
use crate::workspace::Workspace;

/// Most focal points one participant may have.
pub const MAX_FOCAL_POINTS: usize = 20;

/// Every process's focal points, by process.
pub(crate) type FocalIndex = HashMap<String, Vec<FocalPointRecord>>;

/// Indexes focal points by process.
pub(crate) fn index(points: Vec<FocalPointRecord>) -> FocalIndex {
    let mut map = FocalIndex::new();
    for p in points {
        map.entry(p.process.clone()).or_default().push(p);
    }
    map
}

/// What must be known before an event is applied to tell, after it, who
/// newly may read a draft: for a change of publication, who could read it.
pub(crate) struct Before {
    readers: Option<HashSet<String>>,
}

impl Before {
    /// Notes, for `action`, what [`messages`] will compare against.
    pub(crate) fn of(state: &ProcessState, action: &Action, focal: &[FocalPointRecord]) -> Before {
        let readers = match action {
            Action::Publish { draft, .. } => Some(
                focal.iter().filter(|f| may_read(state, &f.actor, draft)).map(|f| f.actor.clone()).collect(),
            ),
            _ => None,
        };
        Before { readers }
    }
}

fn may_read(state: &ProcessState, actor: &str, draft: &str) -> bool {
    Actor::from_label(actor).is_some_and(|a| policy::readable_draft(state, Some(&a), draft).is_some())
}

/// The messages `event`, just applied to `state`, causes.
pub(crate) fn messages(
    before: &Before,
    state: &ProcessState,
    event: &Event,
    focal: &[FocalPointRecord],
) -> Vec<OutboxRecord> {
    if focal.is_empty() {
        return Vec::new();
    }
    let latest = state.latest().map(|d| d.id.clone());
    let title = state.info.title.as_str();
    let (kind, draft, subject, body) = match &event.action {
        Action::ImportDraft { .. } | Action::ProduceRevision { .. } => {
            let Some(d) = latest.as_deref().and_then(|id| state.draft(id)) else { return Vec::new() };
            ("circulated", d.id.clone(), format!("{title}: {}", d.label), circulated_body(state, d))
        }
        Action::Publish { draft, .. } => {
            let Some(d) = state.draft(draft) else { return Vec::new() };
            ("circulated", d.id.clone(), format!("{title}: {}", d.label), circulated_body(state, d))
        }
        Action::StartSilence { .. } => {
            let Some(s) = &state.silence else { return Vec::new() };
            let label = state.draft(&s.draft).map_or(s.draft.as_str(), |d| d.label.as_str());
            let body = format!(
                "The co-facilitators have placed {label} under silence until {}.\n\n\
                 If no delegation breaks silence by then, the text is agreed. A delegation that \
                 cannot accept a paragraph breaks silence before that time, naming the paragraphs \
                 and its reasons.\n",
                state.local_time(s.until_ms)
            );
            ("silence-started", s.draft.clone(), format!("{title}: {label} under silence"), body)
        }
        Action::BreakSilence { on_behalf_of, paragraphs, reason } => {
            let Some(s) = &state.silence else { return Vec::new() };
            let label = state.draft(&s.draft).map_or(s.draft.as_str(), |d| d.label.as_str());
            let by = state.participant(on_behalf_of).map_or(on_behalf_of.as_str(), |p| p.name.as_str());
            let which = if paragraphs.len() == 1 { "paragraph" } else { "paragraphs" };
            let body = format!(
                "{by} has broken silence on {label}, {which} {}, at {}:\n\n{reason}\n\n\
                 These paragraphs are reopened.\n",
                paragraphs.join(", "),
                state.local_time(event.at_ms)
            );
            ("silence-broken", s.draft.clone(), format!("{title}: silence broken by {by}"), body)
        }
        Action::SetDeadline { .. } => {
            // Every delegation must know by when it may table: told to all
            // who read the latest draft, set, moved or lifted.
            let Some(d) = latest.as_deref().and_then(|id| state.draft(id)) else { return Vec::new() };
            let (subject, body) = match &state.deadline {
                Some(deadline) => (
                    format!("{title}: deadline for textual proposals, {}", state.local_time(deadline.until_ms)),
                    format!(
                        "The deadline for textual proposals on {} is {}.\n\nAfter it, no proposal may be \
                         tabled or reworded; support, opposition and the co-facilitators' decisions go on.\n",
                        d.label,
                        state.local_time(deadline.until_ms)
                    ),
                ),
                None => (
                    format!("{title}: deadline for textual proposals lifted"),
                    format!("The deadline for textual proposals on {} is lifted: proposals may be tabled again.\n", d.label),
                ),
            };
            ("deadline", d.id.clone(), subject, body)
        }
        Action::Adopt { .. } => {
            let Some(a) = &state.adoption else { return Vec::new() };
            let body = format!(
                "The text was adopted on {}. The text as adopted is attached.\n",
                state.local_time(a.at_ms)
            );
            ("adopted", a.draft.clone(), format!("{title}: text as adopted"), body)
        }
        _ => return Vec::new(),
    };
    let mut seen = HashSet::new();
    focal
        .iter()
        .filter(|f| may_read(state, &f.actor, &draft))
        .filter(|f| before.readers.as_ref().is_none_or(|r| !r.contains(&f.actor)))
        // One message per address and event, whoever it is focal point for.
        .filter(|f| seen.insert(f.email.to_ascii_lowercase()))
        .map(|f| OutboxRecord {
            id: 0,
            message_id: message_id(&event.process, event.seq, &f.email),
            process: event.process.clone(),
            seq: event.seq,
            kind: kind.to_string(),
            draft: Some(draft.clone()),
            recipient_actor: f.actor.clone(),
            recipient_name: f.name.clone(),
            recipient_email: f.email.clone(),
            subject: subject.clone(),
            body: format!("Dear {},\n\n{body}", f.name),
            state: OutboxState::Queued,
            attempts: 0,
            next_attempt_at_ms: Some(event.at_ms),
            last_error: None,
            created_at_ms: event.at_ms,
            sent_at_ms: None,
        })
        .collect()
}

/// A circulation's text: what the draft is, and its cover letters.
fn circulated_body(state: &ProcessState, d: &accord_core::negotiation::DraftVersion) -> String {
    let mut out = format!(
        "{} of \"{}\" ({}) is circulated to you. Its text is attached.\n",
        d.label,
        state.info.title,
        state.local_time(d.at_ms)
    );
    for letter in &d.document.letters {
        out.push_str("\n---\n");
        for line in letter.letterhead.iter().chain(&letter.date).chain(&letter.addressees) {
            out.push_str(line);
            out.push('\n');
        }
        if let Some(s) = &letter.salutation {
            out.push('\n');
            out.push_str(s);
            out.push('\n');
        }
        for p in &letter.body {
            out.push('\n');
            out.push_str(p);
            out.push('\n');
        }
        for sig in &letter.signatures {
            out.push('\n');
            out.push_str(&sig.join("\n"));
            out.push('\n');
        }
    }
    out
}

/// The `Message-ID` of the message of event `seq` of `process` to `email`:
/// the same on every attempt, unique across processes, events and addresses.
pub fn message_id(process: &str, seq: u64, email: &str) -> String {
    let mut h = Sha256::new();
    for part in [process.as_bytes(), &seq.to_be_bytes(), email.to_ascii_lowercase().as_bytes()] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part);
    }
    let hash: String = h.finalize()[..12].iter().map(|b| format!("{b:02x}")).collect();
    let safe: String = process
        .chars()
        .take(40)
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
        .collect();
    format!("<{safe}.{seq}.{hash}@accord.outbox>")
}

/// One message as `accord outbox --format json` and `GET …/outbox` show it
/// (times in RFC 3339, UTC).
pub fn message_json(m: &OutboxRecord) -> serde_json::Value {
    let at = |ms: Option<i64>| ms.map(accord_core::negotiation::rfc3339);
    serde_json::json!({
        "id": m.id,
        "message_id": m.message_id,
        "seq": m.seq,
        "kind": m.kind,
        "draft": m.draft,
        "to": {"participant": m.recipient_actor, "name": m.recipient_name, "email": m.recipient_email},
        "subject": m.subject,
        "state": m.state.as_str(),
        "attempts": m.attempts,
        "next_attempt_at": at(m.next_attempt_at_ms),
        "last_error": m.last_error,
        "created_at": at(Some(m.created_at_ms)),
        "sent_at": at(m.sent_at_ms),
    })
}

/// Checks a focal point: a name on one line, an address `local@domain`
/// that a mail header can carry as it is.
pub fn check_focal_point(name: &str, email: &str) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(format!("focal point name `{name}`: give a name of 1–200 characters on one line"));
    }
    let ok_char = |c: char| c.is_ascii_graphic() && !"<>()[]\\,;:\"".contains(c);
    let well_formed = email.len() <= 254
        && email.chars().all(ok_char)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.is_empty() && !domain.contains('@') && domain.contains('.')
        });
    if !well_formed {
        return Err(format!("`{email}` is not an e-mail address (local@domain.example)"));
    }
    Ok(())
}

impl Workspace {
    /// Replaces the focal points of participant `whose` in `process` (by
    /// the secretariat, a co-facilitator, or the participant for itself).
    pub async fn set_focal_points(
        &self,
        process: &str,
        by: &Actor,
        whose: &Actor,
        points: Vec<(String, String)>,
    ) -> Result<(), WorkspaceError> {
        let slot =
            self.process(process).ok_or_else(|| DomainError::NotFound(format!("no process `{process}`")))?;
        {
            let s = slot.state.read().map_err(|_| WorkspaceError::Unavailable("lock".into()))?;
            let admin = matches!(by, Actor::Secretariat { .. }) || policy::is_co_facilitator(&s, Some(by));
            if !admin && by != whose {
                return Err(DomainError::Forbidden(
                    "focal points are set by the secretariat, a co-facilitator or the participant itself"
                        .into(),
                )
                .into());
            }
            if let Actor::Delegation { delegation } = whose {
                if s.participant(delegation).is_none() {
                    return Err(DomainError::NotFound(format!(
                        "no participant `{delegation}` in `{process}`"
                    ))
                    .into());
                }
            }
        }
        if points.len() > MAX_FOCAL_POINTS {
            return Err(DomainError::Invalid(format!("at most {MAX_FOCAL_POINTS} focal points")).into());
        }
        for (name, email) in &points {
            check_focal_point(name, email).map_err(DomainError::Invalid)?;
        }
        let actor = whose.label();
        let records: Vec<FocalPointRecord> = points
            .into_iter()
            .map(|(name, email)| FocalPointRecord {
                process: process.to_string(),
                actor: actor.clone(),
                name: name.trim().to_string(),
                email,
            })
            .collect();
        let (p, a, r) = (process.to_string(), actor.clone(), records.clone());
        self.with_store(move |s| s.set_focal_points(&p, &a, &r)).await??;
        let mut focal = self.focal.write().map_err(|_| WorkspaceError::Unavailable("lock".into()))?;
        let list = focal.entry(process.to_string()).or_default();
        list.retain(|f| f.actor != actor);
        list.extend(records);
        Ok(())
    }

    /// The focal points of a process.
    pub fn focal_points(&self, process: &str) -> Vec<FocalPointRecord> {
        self.focal.read().map(|f| f.get(process).cloned().unwrap_or_default()).unwrap_or_default()
    }

    /// A process's outbox, oldest first.
    pub async fn outbox(&self, process: &str) -> Result<Vec<OutboxRecord>, WorkspaceError> {
        let p = process.to_string();
        Ok(self.with_store(move |s| s.outbox(&p)).await??)
    }

    /// At most `limit` messages due for delivery now.
    pub async fn outbox_due(&self, limit: usize) -> Result<Vec<OutboxRecord>, WorkspaceError> {
        let now = self.now_ms();
        Ok(self.with_store(move |s| s.outbox_due(now, limit)).await??)
    }

    /// Records a delivery attempt's outcome.
    pub async fn record_attempt(&self, id: i64, update: OutboxUpdate) -> Result<(), WorkspaceError> {
        Ok(self.with_store(move |s| s.record_attempt(id, &update)).await??)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What a `Message-ID` header may carry: `<left@right>`, printable
    /// ASCII, no space, one `@`.
    fn well_formed(id: &str) -> bool {
        id.starts_with('<')
            && id.ends_with('>')
            && id.matches('@').count() == 1
            && id.chars().all(|c| c.is_ascii_graphic())
            && id.len() < 120
    }

    proptest! {
        #[test]
        fn message_ids_are_stable_distinct_and_well_formed(
            p1 in "\\PC{1,60}", p2 in "\\PC{1,60}",
            s1 in 0u64..1_000_000, s2 in 0u64..1_000_000,
            e1 in "[a-z]{1,8}@[a-z]{1,8}\\.example", e2 in "[a-z]{1,8}@[a-z]{1,8}\\.example",
        ) {
            let a = message_id(&p1, s1, &e1);
            prop_assert!(well_formed(&a), "{a}");
            prop_assert_eq!(&a, &message_id(&p1, s1, &e1.to_uppercase()), "an address's case does not matter");
            let b = message_id(&p2, s2, &e2);
            if (p1 != p2) || s1 != s2 || e1 != e2 {
                prop_assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn processes_that_read_alike_still_get_distinct_ids() {
        // `a b` and `a_b` make the same readable part; the hash tells them apart.
        assert_ne!(message_id("a b", 3, "x@y.example"), message_id("a_b", 3, "x@y.example"));
    }

    #[test]
    fn focal_points_are_checked() {
        assert!(check_focal_point("Ana Pérez", "ana.perez@estoria-mission.example").is_ok());
        for (name, email) in [
            ("", "a@b.example"),
            ("Ana\nBcc: x@evil.example", "a@b.example"),
            ("Ana", "no-at-sign.example"),
            ("Ana", "a@b@c.example"),
            ("Ana", "a b@c.example"),
            ("Ana", "a@localhost"),
            ("Ana", "a@b.example>\r\nBcc: x@evil.example"),
            ("Ana", "<a@b.example>"),
        ] {
            assert!(check_focal_point(name, email).is_err(), "{name:?} {email:?}");
        }
    }
}
