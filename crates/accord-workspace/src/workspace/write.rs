//! The write path of the workspace: an action checked against the state,
//! made an event, sent to the store and waited for; retried when another
//! writer extended the process first; a process caught up with what other
//! writers (other nodes, the CLI) put in the log.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use accord_core::negotiation::{Action, Actor, DomainError, Event, Outcome, ProcessState};
use accord_store::StoreError;
use tokio::sync::oneshot;

use super::{absorb, poisoned, record_of, replay_keyed, Change, ProcessSlot, Workspace};
use crate::error::WorkspaceError;
use crate::idempotency::{KeyEntry, KeyIndex, RequestKey, StoredKey, KEY_CAPACITY};
use crate::inflight::InFlight;
use crate::outbox;
use crate::store_thread::Job;

/// Most tries at one action when other writers keep extending its process
/// first (each try checks the action again against the log).
const MAX_ATTEMPTS: u32 = 24;

/// How one try at an action ended.
enum Attempted {
    /// Recorded (or recorded before, by the first request with its key).
    Done(Outcome),
    /// Another writer extended the process first; try again.
    Behind(StoreError),
}

/// Most events read from the log at once when catching up.
const CATCH_UP_PAGE: usize = 1024;

/// What [`Workspace::catch_up`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatchUp {
    /// The log holds nothing of the process.
    Absent,
    /// The state holds every event the log has; this many were new.
    Current(usize),
    /// A change of this node's is on its way to the store: try again shortly.
    Busy,
}

impl Workspace {
    /// Checks and records `action` by `actor` in `process`; returns once the
    /// event is durable. A request retried by the same actor with the same
    /// `key` and the same action is answered with the first outcome and
    /// recorded once (see [`Workspace::execute_keyed`]).
    pub async fn execute(
        &self,
        process: &str,
        actor: Actor,
        action: Action,
        key: Option<String>,
    ) -> Result<Outcome, WorkspaceError> {
        let key = match key {
            Some(k) => {
                let request = serde_json::to_vec(&action).unwrap_or_default();
                Some(RequestKey::new(&k, action.name(), &[&request])?)
            }
            None => None,
        };
        self.execute_keyed(process, actor, action, key).await
    }

    /// As [`Workspace::execute`], with a key scoped by the front end
    /// ([`RequestKey`]). The actor's authorization is checked before the key
    /// is looked up; a key recorded for another request of the same scope is
    /// refused ([`WorkspaceError::KeyReused`]).
    ///
    /// Another node on the same database may have extended the process
    /// first: the store then refuses the event ([`StoreError::Conflict`]),
    /// the process is brought up to the log, and the action is checked again
    /// against what is now there — so a client sees a conflict only when its
    /// action is no longer valid, never because two nodes raced.
    #[tracing::instrument(level = "debug", skip_all, fields(process, action = action.name()))]
    pub async fn execute_keyed(
        &self,
        process: &str,
        actor: Actor,
        action: Action,
        key: Option<RequestKey>,
    ) -> Result<Outcome, WorkspaceError> {
        let key = key.map(|k| k.stored(process, &actor));
        let mut attempt = 0;
        loop {
            attempt += 1;
            let slot = self.slot_for(process, &action).await?;
            if self.following.is_on() && slot.pending.load(Ordering::Acquire) == 0 {
                // With other writers on the log, an action made on a state
                // that missed their latest events is refused by the store and
                // costs a rebuild: a read of what is new comes first (one
                // query; what the notices have not yet brought).
                self.catch_up(process).await?;
            }
            let seen = (*slot.durable.borrow(), slot.generation());
            let attempted = self.attempt(process, &slot, actor.clone(), action.clone(), key.clone()).await;
            let attempted = match attempted {
                Err(WorkspaceError::Domain(e)) if self.following.is_on() && attempt < MAX_ATTEMPTS => {
                    // Refused on what this node holds, which may miss another
                    // node's latest events (the draft the action names, the
                    // process itself): checked again once they are here; the
                    // refusal stands when nothing new came.
                    let caught = self.catch_up(process).await?;
                    if caught == CatchUp::Busy {
                        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                        continue;
                    }
                    if (*slot.durable.borrow(), slot.generation()) != seen {
                        continue;
                    }
                    return Err(WorkspaceError::Domain(e));
                }
                other => other?,
            };
            match attempted {
                Attempted::Done(outcome) => return Ok(outcome),
                Attempted::Behind(e) if attempt < MAX_ATTEMPTS => {
                    tracing::debug!(process, attempt, error = %e, "another writer was first; checking the action again");
                    // A little apart, so that two nodes racing do not race again.
                    let spread = u64::from(
                        std::time::SystemTime::now()
                            .duration_since(std::time::UNIX_EPOCH)
                            .map_or(0, |d| d.subsec_nanos()),
                    );
                    let ceiling = 1u64 << attempt.min(6);
                    tokio::time::sleep(std::time::Duration::from_micros(spread % (ceiling * 1000))).await;
                }
                Attempted::Behind(e) => return Err(WorkspaceError::from(e)),
            }
        }
    }

    /// The slot of `process`: one this node has, one another node created
    /// (read from the log now), or a new one for a process being created.
    async fn slot_for(&self, process: &str, action: &Action) -> Result<Arc<ProcessSlot>, WorkspaceError> {
        if let Some(s) = self.processes.read().map_err(poisoned)?.get(process).cloned() {
            return Ok(s);
        }
        if self.catch_up(process).await? != CatchUp::Absent {
            if let Some(s) = self.processes.read().map_err(poisoned)?.get(process).cloned() {
                return Ok(s);
            }
        }
        if matches!(action, Action::CreateProcess { .. }) {
            let mut map = self.processes.write().map_err(poisoned)?;
            return Ok(map
                .entry(process.to_string())
                .or_insert_with(|| ProcessSlot::new(ProcessState::new(process)))
                .clone());
        }
        Err(DomainError::NotFound(format!("no process `{process}`")).into())
    }

    /// One try at recording `action`: done (recorded now, or by the first
    /// request with this key), or behind (another writer extended the
    /// process first; the slot now holds what the log holds).
    async fn attempt(
        &self,
        process: &str,
        slot: &Arc<ProcessSlot>,
        actor: Actor,
        action: Action,
        key: Option<StoredKey>,
    ) -> Result<Attempted, WorkspaceError> {
        let (outcome, done) = {
            let mut state = slot.state.write().map_err(poisoned)?;
            if slot.stale.load(Ordering::Acquire) {
                drop(state);
                self.repair(process, slot).await;
                return Ok(Attempted::Behind(StoreError::Conflict(
                    "the process was being rebuilt from the log".into(),
                )));
            }
            let first = match &key {
                Some(k) => {
                    // Who may act is checked before the key: a key never
                    // answers a caller with an outcome they could not get.
                    authorize(&state, &actor, &action)?;
                    self.recorded(k)?
                }
                None => None,
            };
            if let Some(o) = first {
                // A retry: answer with the first outcome, once it is durable.
                let seq = o.seq;
                (o, Err(seq))
            } else {
                let mut action = action;
                state.prepare(&mut action, &actor);
                let focal = self.focal_points(process);
                let before = outbox::Before::of(&state, &action, &focal);
                let event = Event {
                    process: process.to_string(),
                    seq: state.seq + 1,
                    at_ms: (self.clock)().max(state.at_ms),
                    actor,
                    against: state.latest().map(|d| d.id.clone()),
                    idempotency_key: key.as_ref().map(StoredKey::to_log),
                    action,
                };
                // The record first: an event the log cannot hold is refused
                // before it changes anything.
                let record = record_of(&event).map_err(|e| WorkspaceError::Log(e.to_string()))?;
                // The key is the workspace's to keep (bounded), not the state's.
                let mut event = event;
                event.idempotency_key = None;
                let outcome = state.apply(&event)?;
                let messages = outbox::messages(&before, &state, &event, &focal);
                if let Some(k) = &key {
                    let entry = KeyEntry {
                        process: process.to_string(),
                        fingerprint: k.fingerprint.clone(),
                        outcome: outcome.clone(),
                    };
                    self.keys.lock().map_err(poisoned)?.insert(k.scope.clone(), entry);
                }
                let (tx, rx) = oneshot::channel();
                // Sent under the lock: the store receives a process's events in order.
                slot.pending.fetch_add(1, Ordering::AcqRel);
                let sent = self.send(Job::Append(record, messages, slot.generation(), tx));
                if sent.is_err() {
                    slot.pending.fetch_sub(1, Ordering::AcqRel);
                    slot.stale.store(true, Ordering::Release);
                }
                (outcome, Ok(sent.map(|()| rx)))
            }
        };
        let done = match done {
            Ok(Ok(rx)) => {
                let change = Change {
                    process: process.to_string(),
                    seq: outcome.seq,
                    paragraph: outcome.paragraph.clone(),
                };
                InFlight::new(slot.clone(), self.changes.clone(), change, rx)
            }
            Ok(Err(e)) => {
                self.repair(process, slot).await;
                return Err(e);
            }
            Err(seq) => {
                let mut durable = slot.durable.subscribe();
                let wait = durable.wait_for(|d| *d >= seq);
                return match tokio::time::timeout(std::time::Duration::from_secs(30), wait).await {
                    // The first request's event is durable if its key is
                    // still there: a refused one's goes when the process is
                    // rebuilt (before the log's head passes it).
                    Ok(Ok(_)) => match key.as_ref().map(|k| self.recorded(k)).transpose()?.flatten() {
                        Some(first) if first.seq == seq => Ok(Attempted::Done(first)),
                        _ => Ok(Attempted::Behind(StoreError::Conflict(
                            "the first request with this key was not recorded".into(),
                        ))),
                    },
                    _ => Err(WorkspaceError::Unavailable(
                        "the first request with this key is not recorded yet".into(),
                    )),
                };
            }
        };
        // Settles the slot (durable, viewers told; or stale), even if this
        // request goes away meanwhile.
        match done.answer().await {
            Ok(Ok(())) => Ok(Attempted::Done(outcome)),
            Ok(Err(e)) => {
                self.repair(process, slot).await;
                // Another writer may have recorded this very request first.
                if let Some(first) = key.as_ref().map(|k| self.recorded(k)).transpose()?.flatten() {
                    return Ok(Attempted::Done(first));
                }
                match e {
                    StoreError::Conflict(_) => Ok(Attempted::Behind(e)),
                    e => Err(WorkspaceError::from(e)),
                }
            }
            Err(_) => {
                self.repair(process, slot).await;
                Err(WorkspaceError::Unavailable("the store stopped before recording the change".into()))
            }
        }
    }

    /// The first outcome recorded for `key`, if any; another request's key
    /// is refused.
    fn recorded(&self, key: &StoredKey) -> Result<Option<Outcome>, WorkspaceError> {
        let keys = self.keys.lock().map_err(poisoned)?;
        match keys.get(&key.scope) {
            Some(e) if e.fingerprint != key.fingerprint => Err(key_reused(e.outcome.seq)),
            Some(e) => Ok(Some(e.outcome.clone())),
            None => Ok(None),
        }
    }

    /// Rebuilds a stale process (one whose state holds an event the store
    /// refused) from the log, once none of this node's events of it is in
    /// flight: those were made on the refused one, and the store refuses
    /// them too (their generation is the refused one's). Until then no new
    /// change is made on the state. Whoever finds the process stale calls
    /// this; one of them rebuilds it, the others find it repaired. The log is
    /// read again a few times if the store fails.
    async fn repair(&self, process: &str, slot: &ProcessSlot) {
        let mut wait = std::time::Duration::from_millis(20);
        loop {
            if !slot.stale.load(Ordering::Acquire) {
                return;
            }
            if slot.pending.load(Ordering::Acquire) > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                continue;
            }
            // Nothing of this node's is in flight and nothing new starts
            // while the process is stale: the log is what memory must be.
            // (Unless another caller rebuilds it first, and it goes stale
            // again: then this reading is old, and is not used.)
            let generation = slot.generation();
            let (tx, rx) = oneshot::channel();
            if self.send(Job::ProcessEvents(process.to_string(), tx)).is_err() {
                return;
            }
            let records = match rx.await {
                Ok(Ok(records)) => records,
                Ok(Err(e)) if wait < std::time::Duration::from_secs(2) => {
                    tracing::warn!(process, error = %e, "cannot read the log to rebuild the process; trying again");
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                    continue;
                }
                Ok(Err(e)) => {
                    tracing::error!(process, error = %e, "cannot read the log to rebuild the process");
                    return;
                }
                Err(_) => return,
            };
            let mut recorded = KeyIndex::new(KEY_CAPACITY);
            let mut states = match replay_keyed(&records, &mut recorded) {
                Ok(states) => states,
                Err(e) => {
                    tracing::error!(process, error = %e, "the log of the process does not replay");
                    return;
                }
            };
            let state = states.remove(process).unwrap_or_else(|| ProcessState::new(process));
            let Ok(mut s) = slot.state.write() else { return };
            if !slot.stale.load(Ordering::Acquire)
                || slot.pending.load(Ordering::Acquire) > 0
                || slot.generation() != generation
            {
                continue; // Another caller rebuilt it meanwhile.
            }
            tracing::info!(process, seq = state.seq, "rebuilt the process from the log");
            if let Ok(mut keys) = self.keys.lock() {
                // The process's keys are the log's: those of refused events
                // go, those another writer recorded come (a retry through
                // this node then answers their first outcome).
                keys.forget_process(process);
                for (scope, entry) in recorded.into_entries() {
                    keys.insert(scope, entry);
                }
            }
            slot.durable.send_replace(state.seq);
            let seq = state.seq;
            *s = state;
            slot.generation.fetch_add(1, Ordering::AcqRel);
            slot.stale.store(false, Ordering::Release);
            drop(s);
            // Viewers see the process as the log has it (another node's
            // events may be in it).
            let _ = self.changes.send(Change { process: process.to_string(), seq, paragraph: None });
            return;
        }
    }

    /// Brings `process` up to what the log holds: the events other writers
    /// (other nodes on the same database) appended since this node's last,
    /// applied in order and shown to live viewers. A process this node has
    /// never seen is read whole. Returns [`CatchUp::Busy`] while one of this
    /// node's own changes to the process is on its way to the store (the
    /// caller tries again shortly).
    pub async fn catch_up(&self, process: &str) -> Result<CatchUp, WorkspaceError> {
        let mut applied = 0;
        loop {
            let existing = self.processes.read().map_err(poisoned)?.get(process).cloned();
            let from = existing.as_ref().map_or(0, |s| *s.durable.borrow());
            let generation = existing.as_ref().map_or(0, |s| s.generation());
            let records = self.process_events_after(process, from, CATCH_UP_PAGE).await?;
            if records.is_empty() {
                return Ok(if existing.is_none() { CatchUp::Absent } else { CatchUp::Current(applied) });
            }
            let full = records.len() == CATCH_UP_PAGE;
            // A slot only for a process the log has: a request naming any
            // other never grows the map.
            let slot = match existing {
                Some(s) => s,
                None => self
                    .processes
                    .write()
                    .map_err(poisoned)?
                    .entry(process.to_string())
                    .or_insert_with(|| ProcessSlot::new(ProcessState::new(process)))
                    .clone(),
            };
            if slot.stale.load(Ordering::Acquire) && slot.pending.load(Ordering::Acquire) == 0 {
                // Memory holds an event the store refused, and nothing of
                // this node's is in flight: rebuilt here from the log, not
                // left until this node next writes to the process.
                self.repair(process, &slot).await;
                if slot.stale.load(Ordering::Acquire) {
                    return Ok(CatchUp::Busy);
                }
                continue;
            }
            let now = (self.clock)();
            let mut changes = Vec::new();
            let mut broken = None;
            {
                let mut state = slot.state.write().map_err(poisoned)?;
                if slot.stale.load(Ordering::Acquire)
                    || slot.pending.load(Ordering::Acquire) > 0
                    || state.seq != *slot.durable.borrow()
                    || slot.generation() != generation
                {
                    return Ok(CatchUp::Busy);
                }
                let mut keys = self.keys.lock().map_err(poisoned)?;
                let have = state.seq;
                for r in records.iter().filter(|r| r.seq > have) {
                    if r.seq != state.seq + 1 {
                        broken = Some(format!(
                            "event {} of process {} follows event {}",
                            r.seq, process, state.seq
                        ));
                        break;
                    }
                    match absorb(&mut state, r, &mut keys) {
                        Ok(outcome) => {
                            self.lag.observe(now.saturating_sub(r.at_ms));
                            changes.push(Change {
                                process: process.to_string(),
                                seq: outcome.seq,
                                paragraph: outcome.paragraph,
                            });
                        }
                        Err(e) => {
                            broken = Some(e);
                            break;
                        }
                    }
                }
                slot.durable.send_replace(state.seq);
            }
            if let Some(e) = broken {
                tracing::error!(process, error = %e, "another writer's event does not apply here; rebuilding");
                slot.stale.store(true, Ordering::Release);
                self.repair(process, &slot).await;
                return Err(WorkspaceError::Log(e));
            }
            applied += changes.len();
            for c in changes {
                let _ = self.changes.send(c);
            }
            if !full {
                return Ok(CatchUp::Current(applied));
            }
        }
    }

    /// The processes the log holds events of that this node has not applied
    /// (a sweep: what lost wake-ups would otherwise leave behind).
    pub async fn behind(&self) -> Result<Vec<String>, WorkspaceError> {
        let heads = self.with_store(|st| st.process_heads()).await??;
        let map = self.processes.read().map_err(poisoned)?;
        Ok(heads
            .into_iter()
            .filter(|(p, head)| map.get(p).is_none_or(|s| *s.durable.borrow() < *head))
            .map(|(p, _)| p)
            .collect())
    }
}

fn key_reused(seq: u64) -> WorkspaceError {
    WorkspaceError::KeyReused(format!(
        "this Idempotency-Key was already used for another request (event {seq}): \
         a retry must repeat the first request exactly; use a new key for a new request"
    ))
}

/// Whether `actor` may take `action` at all (the role check of the rules,
/// without the state's): what a retried key must pass before it answers.
fn authorize(state: &ProcessState, actor: &Actor, action: &Action) -> Result<(), WorkspaceError> {
    let allowed = if matches!(action, Action::CreateProcess { .. }) {
        if matches!(actor, Actor::Secretariat { .. }) {
            Ok(())
        } else {
            Err("only the secretariat may create a process".to_string())
        }
    } else if state.exists() {
        accord_core::negotiation::policy::may_take(state, actor, action)
    } else {
        Ok(())
    };
    allowed.map_err(|m| DomainError::Forbidden(m).into())
}
