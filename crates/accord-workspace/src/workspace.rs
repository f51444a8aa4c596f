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

use accord_core::negotiation::{Actor, Event, Outcome, ProcessState};
use accord_store::{EventRecord, Store, TokenRecord};
use tokio::sync::oneshot;

use crate::error::WorkspaceError;
use crate::idempotency::{KeyEntry, KeyIndex, StoredKey, KEY_CAPACITY};
use crate::log::{LogError, LogEvent};
use crate::outbox::{self, FocalIndex};
use crate::secrets::{new_token_secret, system_clock, token_hash};
use crate::store_thread::{store_thread, Job};

mod write;
pub use write::CatchUp;

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
    /// This node's events of the process sent to the store and not yet
    /// answered ([`crate::inflight`]).
    pub(crate) pending: AtomicU64,
    /// Whether the state holds an event the store refused: no new change is
    /// made on it until it is rebuilt from the log ([`Workspace::repair`]).
    pub(crate) stale: std::sync::atomic::AtomicBool,
}

impl ProcessSlot {
    fn new(state: ProcessState) -> Arc<ProcessSlot> {
        Arc::new(ProcessSlot {
            durable: tokio::sync::watch::Sender::new(state.seq),
            state: RwLock::new(state),
            generation: AtomicU64::new(0),
            pending: AtomicU64::new(0),
            stale: std::sync::atomic::AtomicBool::new(false),
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
    /// How long other writers' events took to reach this node.
    pub lag: crate::follow::LagHistogram,
    /// Whether this node follows other writers, and is caught up with them.
    pub following: crate::follow::Following,
    /// The processes of the log not loaded yet ([`Workspace::open_lazily`]).
    pub loading: crate::loading::Loading,
    /// The adopted texts drafts cite and are traced against (`accord serve
    /// --corpus`): reference data, not part of any negotiation's log.
    corpus: RwLock<Option<Arc<accord_core::trace::CorpusIndex>>>,
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
        let state = out.entry(r.process.clone()).or_insert_with(|| ProcessState::new(&r.process));
        absorb(state, r, keys)?;
    }
    Ok(out)
}

/// Applies one recorded event to its process's state (a replay, a catch-up
/// with other nodes' events); its request key goes to `keys`.
fn absorb(state: &mut ProcessState, r: &EventRecord, keys: &mut KeyIndex) -> Result<Outcome, String> {
    let mut event = LogEvent::read(&r.payload)
        .and_then(|e| e.to_event())
        .map_err(|e| format!("event {} of process {}: {e}", r.seq, r.process))?;
    let key = event.idempotency_key.take();
    let outcome = state
        .apply_recorded(&event)
        .map_err(|e| format!("event {} of process {} does not apply: {e}", r.seq, r.process))?;
    if let Some(k) = key.as_deref().and_then(StoredKey::from_log) {
        keys.insert(
            k.scope,
            KeyEntry { process: r.process.clone(), fingerprint: k.fingerprint, outcome: outcome.clone() },
        );
    }
    Ok(outcome)
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

impl Workspace {
    /// Loads every process from `store` and starts the store's thread.
    pub fn open(store: Box<dyn Store>) -> Result<Arc<Workspace>, WorkspaceError> {
        Self::open_with_clock(store, Box::new(system_clock))
    }

    /// As [`Workspace::open`], with the clock given (tests).
    pub fn open_with_clock(
        store: Box<dyn Store>,
        clock: Box<dyn Fn() -> i64 + Send + Sync>,
    ) -> Result<Arc<Workspace>, WorkspaceError> {
        Self::open_inner(store, clock, false)
    }

    /// Opens `store` holding no process yet: the log's processes are loaded
    /// when first named, and by [`Workspace::load_in_background`] (see
    /// [`crate::loading`]). How a server starts at once on a large log.
    pub fn open_lazily(store: Box<dyn Store>) -> Result<Arc<Workspace>, WorkspaceError> {
        Self::open_inner(store, Box::new(system_clock), true)
    }

    /// As [`Workspace::open_lazily`], with the clock given (tests).
    pub fn open_lazily_with_clock(
        store: Box<dyn Store>,
        clock: Box<dyn Fn() -> i64 + Send + Sync>,
    ) -> Result<Arc<Workspace>, WorkspaceError> {
        Self::open_inner(store, clock, true)
    }

    fn open_inner(
        mut store: Box<dyn Store>,
        clock: Box<dyn Fn() -> i64 + Send + Sync>,
        lazily: bool,
    ) -> Result<Arc<Workspace>, WorkspaceError> {
        let mut keys = KeyIndex::new(KEY_CAPACITY);
        let (states, to_load, events) = if lazily {
            let heads = store.process_heads()?;
            let events: u64 = heads.iter().map(|(_, seq)| seq).sum();
            (BTreeMap::new(), heads.into_iter().map(|(p, _)| p).collect(), events)
        } else {
            let records = store.events()?;
            let states = replay_keyed(&records, &mut keys).map_err(WorkspaceError::Log)?;
            (states, std::collections::BTreeSet::new(), records.len() as u64)
        };
        let tokens = store.tokens()?;
        let focal = outbox::index(store.focal_points()?);
        if let Err(e) = store.check_writable() {
            tracing::warn!(error = %e, "the store refuses writes: every change will be answered as unavailable (503) until it accepts them");
        }
        tracing::info!(
            events,
            processes = states.len() + to_load.len(),
            loaded = states.len(),
            tokens = tokens.len(),
            "opened the event log"
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
            lag: Default::default(),
            following: Default::default(),
            loading: crate::loading::Loading::of(to_load),
            corpus: RwLock::new(None),
        }))
    }

    /// Gives the workspace the corpus of adopted texts its drafts cite.
    pub fn set_corpus(&self, corpus: accord_core::trace::CorpusIndex) {
        if let Ok(mut c) = self.corpus.write() {
            *c = Some(Arc::new(corpus));
        }
    }

    /// The corpus of adopted texts, if one was given.
    pub fn corpus(&self) -> Option<Arc<accord_core::trace::CorpusIndex>> {
        self.corpus.read().ok().and_then(|c| c.clone())
    }

    /// Loads `process` from the log if it is one not loaded yet; a request
    /// naming it can then be answered from memory.
    pub async fn ensure_loaded(&self, process: &str) -> Result<(), WorkspaceError> {
        if self.loading.contains(process) {
            match self.catch_up(process).await? {
                CatchUp::Current(_) | CatchUp::Absent => self.loading.loaded(process),
                // A write of this process is in flight, so it is loaded.
                CatchUp::Busy => {}
            }
        }
        Ok(())
    }

    /// Loads every process not loaded yet, one after another, on a task of
    /// its own; a process that cannot be read now is tried again a second
    /// later. [`crate::loading::Loading::wait`] tells when it is done.
    pub fn load_in_background(self: &Arc<Self>) {
        if self.loading.is_done() {
            return;
        }
        let ws = self.clone();
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            let total = ws.loading.remaining();
            while let Some(p) = ws.loading.next() {
                match ws.ensure_loaded(&p).await {
                    // A log that does not replay will not replay later: the
                    // process is not served, and the node says it is not
                    // ready (as an eager start would have refused to start).
                    Err(WorkspaceError::Log(e)) => {
                        tracing::error!(process = %p, error = %e, "this process's log does not replay; it is not served");
                        if let Ok(mut map) = ws.processes.write() {
                            map.remove(&p);
                        }
                        ws.loading.failed(&p, &e);
                    }
                    Err(e) => {
                        tracing::warn!(process = %p, error = %e, "cannot load a process yet; trying again");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                    Ok(()) => {}
                }
                if ws.loading.contains(&p) {
                    // A write of it is in flight: it is loaded once that ends.
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                }
            }
            tracing::info!(
                processes = total,
                ms = started.elapsed().as_millis() as u64,
                "loaded every process"
            );
        });
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

    /// The last sequence number of `process` this node has applied and the
    /// store has made durable (0: none).
    pub fn durable_seq(&self, process: &str) -> u64 {
        self.processes.read().ok().and_then(|m| m.get(process).map(|s| *s.durable.borrow())).unwrap_or(0)
    }

    /// Reads the focal points again (another node may have changed them).
    pub async fn refresh_focal_points(&self) -> Result<(), WorkspaceError> {
        let points = self.with_store(|st| st.focal_points()).await??;
        *self.focal.write().map_err(poisoned)? = outbox::index(points);
        Ok(())
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

fn poisoned<T>(_: T) -> WorkspaceError {
    WorkspaceError::Unavailable("a lock was poisoned by an earlier failure".into())
}

fn stopped() -> WorkspaceError {
    WorkspaceError::Unavailable("the store thread stopped".into())
}
