//! The workspace: every process's state in memory, derived from the event
//! log, and the one path by which anything changes ([`Workspace::execute`]).
//!
//! A change is checked and applied to the in-memory state under the
//! process's write lock, which also fixes its sequence number; it is then
//! handed to the store thread and the caller waits until the store says it is
//! durable. The store thread commits whatever has queued up in one
//! transaction (group commit), so many concurrent writers share one fsync.
//! If the store fails, the process is reloaded from the log, so memory never
//! keeps a change the log does not have.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex, RwLock};

use accord_core::negotiation::{Action, Actor, DomainError, Event, Outcome, ProcessState};
use accord_store::{EventRecord, OutboxRecord, Store, StoreError, TokenRecord};
use tokio::sync::oneshot;

use crate::error::WorkspaceError;
use crate::idempotency::{KeyEntry, KeyIndex, RequestKey, StoredKey, KEY_CAPACITY};
use crate::log::{LogError, LogEvent};
use crate::outbox::{self, FocalIndex};
use crate::secrets::{new_token_secret, system_clock, token_hash};

/// Most events committed in one transaction.
const MAX_BATCH: usize = 1024;

/// Work run on the store's thread.
type StoreTask = Box<dyn FnOnce(&mut dyn Store) + Send>;

enum Job {
    /// An event and the outbox messages it causes, recorded together.
    Append(EventRecord, Vec<OutboxRecord>, oneshot::Sender<Result<(), StoreError>>),
    ProcessEvents(String, oneshot::Sender<Result<Vec<EventRecord>, StoreError>>),
    Token(String, oneshot::Sender<Result<Option<TokenRecord>, StoreError>>),
    AddToken(TokenRecord, oneshot::Sender<Result<(), StoreError>>),
    Run(StoreTask),
}

/// A change that live viewers should see: sent after it is durable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The process.
    pub process: String,
    /// The event's sequence number.
    pub seq: u64,
    /// The working paragraph it changed, if any.
    pub paragraph: Option<String>,
}

/// One process: its state and how far the store has it.
pub struct ProcessSlot {
    /// The derived state.
    pub state: RwLock<ProcessState>,
    /// The last sequence number the store has made durable.
    pub durable: tokio::sync::watch::Sender<u64>,
    /// Counts the times the state was reloaded from the log (after a store
    /// failure): a front end's cache of something derived from the state is
    /// good while both this and the state's `seq` are unchanged.
    generation: AtomicU64,
}

impl ProcessSlot {
    fn new(state: ProcessState) -> Arc<ProcessSlot> {
        Arc::new(ProcessSlot {
            durable: tokio::sync::watch::Sender::new(state.seq),
            state: RwLock::new(state),
            generation: AtomicU64::new(0),
        })
    }

    /// How many times the state was replaced by what the log holds.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }
}

/// Every process's state, the store's thread, the tokens, the clock: what a
/// front end (the server, the CLI) acts through.
pub struct Workspace {
    processes: RwLock<BTreeMap<String, Arc<ProcessSlot>>>,
    tokens: RwLock<HashMap<String, TokenRecord>>,
    jobs: Mutex<mpsc::Sender<Job>>,
    clock: Box<dyn Fn() -> i64 + Send + Sync>,
    /// Recent request keys and their outcomes (taken after a process's
    /// write lock, never before).
    keys: Mutex<KeyIndex>,
    /// Every process's focal points (the store's, kept in memory for the outbox).
    pub(crate) focal: RwLock<FocalIndex>,
    /// Durable changes, for live viewers (server-sent events).
    pub changes: tokio::sync::broadcast::Sender<Change>,
}

/// Rebuilds every process from a log.
pub fn replay(records: &[EventRecord]) -> Result<BTreeMap<String, ProcessState>, String> {
    replay_keyed(records, &mut KeyIndex::new(1))
}

/// Rebuilds every process from a log, and the index of its request keys.
/// Keys are the workspace's ([`crate::idempotency`]): the core's state is
/// given the events without them, so it does not keep every key forever.
fn replay_keyed(
    records: &[EventRecord],
    keys: &mut KeyIndex,
) -> Result<BTreeMap<String, ProcessState>, String> {
    let mut out: BTreeMap<String, ProcessState> = BTreeMap::new();
    for r in records {
        let mut event = LogEvent::read(&r.payload)
            .and_then(|e| e.to_event())
            .map_err(|e| format!("event {} of process {}: {e}", r.seq, r.process))?;
        let key = event.idempotency_key.take();
        let state = out.entry(r.process.clone()).or_insert_with(|| ProcessState::new(&r.process));
        let outcome = state
            .apply_recorded(&event)
            .map_err(|e| format!("event {} of process {} does not apply: {e}", r.seq, r.process))?;
        if let Some(k) = key.as_deref().and_then(StoredKey::from_log) {
            keys.insert(
                k.scope,
                KeyEntry { process: r.process.clone(), fingerprint: k.fingerprint, outcome },
            );
        }
    }
    Ok(out)
}

/// The record the store keeps for an event: its payload in the log's own
/// versioned format ([`crate::log`]).
pub fn record_of(event: &Event) -> Result<EventRecord, LogError> {
    Ok(EventRecord {
        process: event.process.clone(),
        seq: event.seq,
        at_ms: event.at_ms,
        actor: event.actor.label(),
        action: event.action.name().to_string(),
        against: event.against.clone(),
        idempotency_key: event.idempotency_key.clone(),
        payload: LogEvent::from_event(event)?.write(),
    })
}

fn store_thread(mut store: Box<dyn Store>, jobs: mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        type Appended = (EventRecord, Vec<OutboxRecord>, oneshot::Sender<Result<(), StoreError>>);
        let mut appends: Vec<Appended> = Vec::new();
        let mut others = Vec::new();
        let mut next = Some(first);
        while let Some(job) = next.take() {
            match job {
                Job::Append(r, m, tx) => appends.push((r, m, tx)),
                other => others.push(other),
            }
            if appends.len() < MAX_BATCH {
                next = jobs.try_recv().ok();
            }
        }
        if !appends.is_empty() {
            let records: Vec<EventRecord> = appends.iter().map(|(r, _, _)| r.clone()).collect();
            let messages: Vec<OutboxRecord> =
                appends.iter().flat_map(|(_, m, _)| m.iter().cloned()).collect();
            let _span = tracing::debug_span!("store.append", events = records.len()).entered();
            match store.append_with_outbox(&records, &messages) {
                Ok(()) => {
                    for (_, _, tx) in appends {
                        let _ = tx.send(Ok(()));
                    }
                }
                Err(e) if appends.len() > 1 => {
                    tracing::warn!(error = %e, events = appends.len(), "a group commit failed; appending one by one");
                    // Find out which failed: each on its own.
                    for (r, m, tx) in appends {
                        let _ = tx.send(store.append_with_outbox(std::slice::from_ref(&r), &m));
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the store refused an event");
                    for (_, _, tx) in appends {
                        let _ = tx.send(Err(e.clone()));
                    }
                }
            }
        }
        for job in others {
            match job {
                Job::ProcessEvents(p, tx) => {
                    let _span = tracing::debug_span!("store.process_events", process = %p).entered();
                    let _ = tx.send(store.process_events(&p));
                }
                Job::Token(h, tx) => {
                    // The token's hash is not logged: it names a credential.
                    let _span = tracing::debug_span!("store.token").entered();
                    let _ = tx.send(store.token(&h));
                }
                Job::AddToken(t, tx) => {
                    let _span = tracing::debug_span!("store.add_token", actor = %t.actor).entered();
                    let _ = tx.send(store.add_token(&t));
                }
                Job::Run(f) => {
                    let _span = tracing::debug_span!("store.run").entered();
                    f(store.as_mut())
                }
                Job::Append(..) => {}
            }
        }
    }
}

impl Workspace {
    /// Loads every process from `store` and starts the store's thread.
    pub fn open(store: Box<dyn Store>) -> Result<Arc<Workspace>, WorkspaceError> {
        Self::open_with_clock(store, Box::new(system_clock))
    }

    /// As [`Workspace::open`], with the clock given (tests).
    pub fn open_with_clock(
        mut store: Box<dyn Store>,
        clock: Box<dyn Fn() -> i64 + Send + Sync>,
    ) -> Result<Arc<Workspace>, WorkspaceError> {
        let records = store.events()?;
        let mut keys = KeyIndex::new(KEY_CAPACITY);
        let states = replay_keyed(&records, &mut keys).map_err(WorkspaceError::Log)?;
        let tokens = store.tokens()?;
        let focal = outbox::index(store.focal_points()?);
        if let Err(e) = store.check_writable() {
            tracing::warn!(error = %e, "the store refuses writes: every change will be answered as unavailable (503) until it accepts them");
        }
        tracing::info!(
            events = records.len(),
            processes = states.len(),
            tokens = tokens.len(),
            "replayed the event log"
        );
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("accord-store".into())
            .spawn(move || store_thread(store, rx))
            .map_err(|e| WorkspaceError::Unavailable(format!("no thread for the store: {e}")))?;
        Ok(Arc::new(Workspace {
            processes: RwLock::new(states.into_iter().map(|(k, v)| (k, ProcessSlot::new(v))).collect()),
            tokens: RwLock::new(tokens.into_iter().map(|t| (t.hash.clone(), t)).collect()),
            jobs: Mutex::new(tx),
            clock,
            keys: Mutex::new(keys),
            focal: RwLock::new(focal),
            changes: tokio::sync::broadcast::channel(4096).0,
        }))
    }

    fn send(&self, job: Job) -> Result<(), WorkspaceError> {
        let gone = || WorkspaceError::Unavailable("the store thread is gone".into());
        let jobs = self.jobs.lock().map_err(|_| gone())?;
        jobs.send(job).map_err(|_| gone())
    }

    /// The process with this id, if it exists.
    pub fn process(&self, id: &str) -> Option<Arc<ProcessSlot>> {
        let map = self.processes.read().ok()?;
        let slot = map.get(id)?;
        if slot.state.read().ok()?.exists() {
            Some(slot.clone())
        } else {
            None
        }
    }

    /// Every existing process.
    pub fn processes(&self) -> Vec<Arc<ProcessSlot>> {
        let Ok(map) = self.processes.read() else { return Vec::new() };
        map.values().filter(|s| s.state.read().is_ok_and(|s| s.exists())).cloned().collect()
    }

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
    #[tracing::instrument(level = "debug", skip_all, fields(process, action = action.name()))]
    pub async fn execute_keyed(
        &self,
        process: &str,
        actor: Actor,
        action: Action,
        key: Option<RequestKey>,
    ) -> Result<Outcome, WorkspaceError> {
        let key = key.map(|k| k.stored(process, &actor));
        let mut retried: Option<StoredKey> = None;
        let slot = {
            let existing = self.processes.read().map_err(poisoned)?.get(process).cloned();
            match existing {
                Some(s) => s,
                None if matches!(action, Action::CreateProcess { .. }) => {
                    let mut map = self.processes.write().map_err(poisoned)?;
                    map.entry(process.to_string())
                        .or_insert_with(|| ProcessSlot::new(ProcessState::new(process)))
                        .clone()
                }
                None => return Err(DomainError::NotFound(format!("no process `{process}`")).into()),
            }
        };
        let (outcome, done) = {
            let mut state = slot.state.write().map_err(poisoned)?;
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
                retried = key.clone();
                if let Some(k) = key {
                    let entry = KeyEntry {
                        process: process.to_string(),
                        fingerprint: k.fingerprint,
                        outcome: outcome.clone(),
                    };
                    self.keys.lock().map_err(poisoned)?.insert(k.scope, entry);
                }
                let (tx, rx) = oneshot::channel();
                // Sent under the lock: the store receives a process's events in order.
                let sent = self.send(Job::Append(record, messages, tx));
                (outcome, Ok(sent.map(|()| rx)))
            }
        };
        let done = match done {
            Ok(Ok(rx)) => rx,
            Ok(Err(e)) => {
                self.reload(process, &slot).await;
                return Err(e);
            }
            Err(seq) => {
                let mut durable = slot.durable.subscribe();
                let wait = durable.wait_for(|d| *d >= seq);
                return match tokio::time::timeout(std::time::Duration::from_secs(30), wait).await {
                    Ok(Ok(_)) => Ok(outcome),
                    _ => Err(WorkspaceError::Unavailable(
                        "the first request with this key is not recorded yet".into(),
                    )),
                };
            }
        };
        match done.await {
            Ok(Ok(())) => {
                slot.durable.send_if_modified(|d| {
                    let newer = *d < outcome.seq;
                    if newer {
                        *d = outcome.seq;
                    }
                    newer
                });
                let _ = self.changes.send(Change {
                    process: process.to_string(),
                    seq: outcome.seq,
                    paragraph: outcome.paragraph.clone(),
                });
                Ok(outcome)
            }
            Ok(Err(e)) => {
                self.reload(process, &slot).await;
                // Another writer may have recorded this very request first.
                match retried.as_ref().map(|k| self.recorded(k)).transpose()?.flatten() {
                    Some(first) => Ok(first),
                    None => Err(WorkspaceError::from(e)),
                }
            }
            Err(_) => {
                self.reload(process, &slot).await;
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

    /// Replaces a process's state by what the log holds.
    async fn reload(&self, process: &str, slot: &ProcessSlot) {
        tracing::warn!(process, "reloading the process from the log after a store failure");
        let (tx, rx) = oneshot::channel();
        if self.send(Job::ProcessEvents(process.to_string(), tx)).is_err() {
            return;
        }
        let Ok(Ok(records)) = rx.await else { return };
        let mut recorded = KeyIndex::new(KEY_CAPACITY);
        if let Ok(mut states) = replay_keyed(&records, &mut recorded) {
            let state = states.remove(process).unwrap_or_else(|| ProcessState::new(process));
            if let Ok(mut s) = slot.state.write() {
                if let Ok(mut keys) = self.keys.lock() {
                    // Keys of what the log does not hold go; keys of what
                    // another writer recorded come (a retry through this
                    // server then answers their first outcome).
                    keys.forget_after(process, state.seq);
                    for (scope, entry) in recorded.into_entries() {
                        if keys.get(&scope).is_none() {
                            keys.insert(scope, entry);
                        }
                    }
                }
                slot.durable.send_replace(state.seq);
                *s = state;
                slot.generation.fetch_add(1, Ordering::AcqRel);
            }
        }
    }

    /// The clock's reading, in milliseconds since the epoch.
    pub fn now_ms(&self) -> i64 {
        (self.clock)()
    }

    /// Runs `f` on the store's thread (accounts, sessions: what is not an
    /// event) and returns its result.
    pub async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Store) -> T + Send + 'static,
    ) -> Result<T, WorkspaceError> {
        let (tx, rx) = oneshot::channel();
        self.send(Job::Run(Box::new(move |s| {
            let _ = tx.send(f(s));
        })))?;
        rx.await.map_err(|_| WorkspaceError::Unavailable("the store thread is gone".into()))
    }

    /// The stored events of one process, in order.
    pub async fn process_events(&self, process: &str) -> Result<Vec<EventRecord>, WorkspaceError> {
        let (tx, rx) = oneshot::channel();
        self.send(Job::ProcessEvents(process.to_string(), tx))?;
        Ok(rx.await.map_err(|_| stopped())??)
    }

    /// At most `limit` stored events of one process after `after`, in order
    /// (a page of the log: the rest is not read).
    pub async fn process_events_after(
        &self,
        process: &str,
        after: u64,
        limit: usize,
    ) -> Result<Vec<EventRecord>, WorkspaceError> {
        let process = process.to_string();
        Ok(self.with_store(move |st| st.process_events_after(&process, after, limit)).await??)
    }

    /// Whether the store accepts writes now (a readiness probe).
    pub async fn check_writable(&self) -> Result<(), WorkspaceError> {
        Ok(self.with_store(|st| st.check_writable()).await??)
    }

    /// The grant of a token secret, if it is one.
    pub async fn token(&self, secret: &str) -> Result<Option<TokenRecord>, WorkspaceError> {
        let hash = token_hash(secret);
        if let Some(t) = self.tokens.read().map_err(poisoned)?.get(&hash) {
            return Ok(Some(t.clone()));
        }
        // Tokens created by the CLI while the server runs are found in the store.
        let (tx, rx) = oneshot::channel();
        self.send(Job::Token(hash.clone(), tx))?;
        let found = rx.await.map_err(|_| stopped())??;
        if let Some(t) = &found {
            self.tokens.write().map_err(poisoned)?.insert(hash, t.clone());
        }
        Ok(found)
    }

    /// Records a new token; returns its secret (shown once, never stored).
    pub async fn create_token(
        &self,
        process: Option<String>,
        actor: &Actor,
        label: &str,
    ) -> Result<String, WorkspaceError> {
        let secret = new_token_secret().map_err(WorkspaceError::Unavailable)?;
        let record = TokenRecord {
            hash: token_hash(&secret),
            process,
            actor: actor.label(),
            label: label.to_string(),
            created_at_ms: (self.clock)(),
        };
        let (tx, rx) = oneshot::channel();
        self.send(Job::AddToken(record.clone(), tx))?;
        rx.await.map_err(|_| stopped())??;
        self.tokens.write().map_err(poisoned)?.insert(record.hash.clone(), record);
        Ok(secret)
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

fn poisoned<T>(_: T) -> WorkspaceError {
    WorkspaceError::Unavailable("a lock was poisoned by an earlier failure".into())
}

fn stopped() -> WorkspaceError {
    WorkspaceError::Unavailable("the store thread stopped".into())
}
