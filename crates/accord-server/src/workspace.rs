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
use std::sync::{mpsc, Arc, Mutex, RwLock};

use accord_core::negotiation::{Action, Actor, DomainError, Event, Outcome, ProcessState};
use accord_store::{EventRecord, Store, StoreError, TokenRecord};
use sha2::{Digest, Sha256};
use tokio::sync::oneshot;

use crate::error::ApiError;

/// Most events committed in one transaction.
const MAX_BATCH: usize = 1024;

/// Work run on the store's thread.
type StoreTask = Box<dyn FnOnce(&mut dyn Store) + Send>;

enum Job {
    Append(EventRecord, oneshot::Sender<Result<(), StoreError>>),
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

/// One process: its state and what is cached from it.
pub struct ProcessSlot {
    /// The derived state.
    pub state: RwLock<ProcessState>,
    /// Serialized documents of drafts (immutable once in the series).
    pub draft_json: Mutex<HashMap<(String, accord_core::negotiation::Publication), axum::body::Bytes>>,
    /// The last sequence number the store has made durable.
    pub durable: tokio::sync::watch::Sender<u64>,
    /// The compilation text as JSON, with the sequence number it reflects.
    pub compilation_json: Mutex<Option<(u64, axum::body::Bytes)>>,
}

impl ProcessSlot {
    fn new(state: ProcessState) -> Arc<ProcessSlot> {
        Arc::new(ProcessSlot {
            durable: tokio::sync::watch::Sender::new(state.seq),
            state: RwLock::new(state),
            draft_json: Mutex::new(HashMap::new()),
            compilation_json: Mutex::new(None),
        })
    }
}

/// Everything the server holds.
pub struct Workspace {
    processes: RwLock<BTreeMap<String, Arc<ProcessSlot>>>,
    tokens: RwLock<HashMap<String, TokenRecord>>,
    jobs: Mutex<mpsc::Sender<Job>>,
    clock: Box<dyn Fn() -> i64 + Send + Sync>,
    /// Durable changes, for live viewers (server-sent events).
    pub changes: tokio::sync::broadcast::Sender<Change>,
}

/// SHA-256 of a token secret, hex: what the store keeps.
pub fn token_hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new random token secret.
pub fn new_token_secret() -> Result<String, String> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness for a token: {e}"))?;
    Ok(format!("acc_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()))
}

/// Milliseconds since the Unix epoch, from the system clock.
pub fn system_clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Rebuilds every process from a log.
pub fn replay(records: &[EventRecord]) -> Result<BTreeMap<String, ProcessState>, String> {
    let mut out: BTreeMap<String, ProcessState> = BTreeMap::new();
    for r in records {
        let event: Event = serde_json::from_str(&r.payload)
            .map_err(|e| format!("event {} of process {}: unreadable payload: {e}", r.seq, r.process))?;
        let state = out.entry(r.process.clone()).or_insert_with(|| ProcessState::new(&r.process));
        state
            .apply_recorded(&event)
            .map_err(|e| format!("event {} of process {} does not apply: {e}", r.seq, r.process))?;
    }
    Ok(out)
}

/// The record the store keeps for an event.
pub fn record_of(event: &Event) -> EventRecord {
    EventRecord {
        process: event.process.clone(),
        seq: event.seq,
        at_ms: event.at_ms,
        actor: event.actor.label(),
        action: event.action.name().to_string(),
        against: event.against.clone(),
        idempotency_key: event.idempotency_key.clone(),
        payload: serde_json::to_string(event).unwrap_or_default(),
    }
}

fn store_thread(mut store: Box<dyn Store>, jobs: mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut appends: Vec<(EventRecord, oneshot::Sender<Result<(), StoreError>>)> = Vec::new();
        let mut others = Vec::new();
        let mut next = Some(first);
        while let Some(job) = next.take() {
            match job {
                Job::Append(r, tx) => appends.push((r, tx)),
                other => others.push(other),
            }
            if appends.len() < MAX_BATCH {
                next = jobs.try_recv().ok();
            }
        }
        if !appends.is_empty() {
            let records: Vec<EventRecord> = appends.iter().map(|(r, _)| r.clone()).collect();
            match store.append(&records) {
                Ok(()) => {
                    for (_, tx) in appends {
                        let _ = tx.send(Ok(()));
                    }
                }
                Err(_) if appends.len() > 1 => {
                    // Find out which failed: each on its own.
                    for (r, tx) in appends {
                        let _ = tx.send(store.append(std::slice::from_ref(&r)));
                    }
                }
                Err(e) => {
                    for (_, tx) in appends {
                        let _ = tx.send(Err(e.clone()));
                    }
                }
            }
        }
        for job in others {
            match job {
                Job::ProcessEvents(p, tx) => {
                    let _ = tx.send(store.process_events(&p));
                }
                Job::Token(h, tx) => {
                    let _ = tx.send(store.token(&h));
                }
                Job::AddToken(t, tx) => {
                    let _ = tx.send(store.add_token(&t));
                }
                Job::Run(f) => f(store.as_mut()),
                Job::Append(..) => {}
            }
        }
    }
}

impl Workspace {
    /// Loads every process from `store` and starts the store's thread.
    pub fn open(store: Box<dyn Store>) -> Result<Arc<Workspace>, String> {
        Self::open_with_clock(store, Box::new(system_clock))
    }

    /// As [`Workspace::open`], with the clock given (tests).
    pub fn open_with_clock(
        mut store: Box<dyn Store>,
        clock: Box<dyn Fn() -> i64 + Send + Sync>,
    ) -> Result<Arc<Workspace>, String> {
        let records = store.events().map_err(|e| e.to_string())?;
        let states = replay(&records)?;
        let tokens = store.tokens().map_err(|e| e.to_string())?;
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("accord-store".into())
            .spawn(move || store_thread(store, rx))
            .map_err(|e| e.to_string())?;
        Ok(Arc::new(Workspace {
            processes: RwLock::new(states.into_iter().map(|(k, v)| (k, ProcessSlot::new(v))).collect()),
            tokens: RwLock::new(tokens.into_iter().map(|t| (t.hash.clone(), t)).collect()),
            jobs: Mutex::new(tx),
            clock,
            changes: tokio::sync::broadcast::channel(4096).0,
        }))
    }

    fn send(&self, job: Job) -> Result<(), ApiError> {
        let jobs = self.jobs.lock().map_err(|_| ApiError::unavailable("the store thread is gone"))?;
        jobs.send(job).map_err(|_| ApiError::unavailable("the store thread is gone"))
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
    /// event is durable. A request retried with the same `key` is answered
    /// with the first outcome and recorded once.
    pub async fn execute(
        &self,
        process: &str,
        actor: Actor,
        action: Action,
        key: Option<String>,
    ) -> Result<Outcome, ApiError> {
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
            if let Some(o) = key.as_deref().and_then(|k| state.outcome_for_key(k)) {
                // A retry: answer with the first outcome, once it is durable.
                (o.clone(), Err(o.seq))
            } else {
                let mut action = action;
                state.prepare(&mut action, &actor);
                let event = Event {
                    process: process.to_string(),
                    seq: state.seq + 1,
                    at_ms: (self.clock)().max(state.at_ms),
                    actor,
                    against: state.latest().map(|d| d.id.clone()),
                    idempotency_key: key,
                    action,
                };
                let outcome = state.apply(&event)?;
                let (tx, rx) = oneshot::channel();
                // Sent under the lock: the store receives a process's events in order.
                let sent = self.send(Job::Append(record_of(&event), tx));
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
                    _ => Err(ApiError::unavailable("the first request with this key is not recorded yet")),
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
                Err(match e {
                    StoreError::Conflict(m) => ApiError::from(DomainError::Conflict {
                        message: format!("{m}; another writer got there first, try again"),
                        current: accord_core::negotiation::Contested::Nothing,
                    }),
                    StoreError::Duplicate(m) => ApiError::from(DomainError::Invalid(m)),
                    StoreError::Unavailable(m) => ApiError::unavailable(&m),
                })
            }
            Err(_) => {
                self.reload(process, &slot).await;
                Err(ApiError::unavailable("the store stopped before recording the change"))
            }
        }
    }

    /// Replaces a process's state by what the log holds.
    async fn reload(&self, process: &str, slot: &ProcessSlot) {
        let (tx, rx) = oneshot::channel();
        if self.send(Job::ProcessEvents(process.to_string(), tx)).is_err() {
            return;
        }
        let Ok(Ok(records)) = rx.await else { return };
        if let Ok(mut states) = replay(&records) {
            let state = states.remove(process).unwrap_or_else(|| ProcessState::new(process));
            if let Ok(mut s) = slot.state.write() {
                slot.durable.send_replace(state.seq);
                *s = state;
            }
            if let Ok(mut c) = slot.compilation_json.lock() {
                *c = None;
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
    ) -> Result<T, ApiError> {
        let (tx, rx) = oneshot::channel();
        self.send(Job::Run(Box::new(move |s| {
            let _ = tx.send(f(s));
        })))?;
        rx.await.map_err(|_| ApiError::unavailable("the store thread is gone"))
    }

    /// The stored events of one process, in order.
    pub async fn process_events(&self, process: &str) -> Result<Vec<EventRecord>, ApiError> {
        let (tx, rx) = oneshot::channel();
        self.send(Job::ProcessEvents(process.to_string(), tx))?;
        rx.await
            .map_err(|_| ApiError::unavailable("store"))?
            .map_err(|e| ApiError::unavailable(&e.to_string()))
    }

    /// The grant of a token secret, if it is one.
    pub async fn token(&self, secret: &str) -> Result<Option<TokenRecord>, ApiError> {
        let hash = token_hash(secret);
        if let Some(t) = self.tokens.read().map_err(poisoned)?.get(&hash) {
            return Ok(Some(t.clone()));
        }
        // Tokens created by the CLI while the server runs are found in the store.
        let (tx, rx) = oneshot::channel();
        self.send(Job::Token(hash.clone(), tx))?;
        let found = rx
            .await
            .map_err(|_| ApiError::unavailable("store"))?
            .map_err(|e| ApiError::unavailable(&e.to_string()))?;
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
    ) -> Result<String, ApiError> {
        let secret = new_token_secret().map_err(|e| ApiError::unavailable(&e))?;
        let record = TokenRecord {
            hash: token_hash(&secret),
            process,
            actor: actor.label(),
            label: label.to_string(),
            created_at_ms: (self.clock)(),
        };
        let (tx, rx) = oneshot::channel();
        self.send(Job::AddToken(record.clone(), tx))?;
        rx.await
            .map_err(|_| ApiError::unavailable("store"))?
            .map_err(|e| ApiError::unavailable(&e.to_string()))?;
        self.tokens.write().map_err(poisoned)?.insert(record.hash.clone(), record);
        Ok(secret)
    }
}

fn poisoned<T>(_: T) -> ApiError {
    ApiError::unavailable("a lock was poisoned by an earlier failure")
}
