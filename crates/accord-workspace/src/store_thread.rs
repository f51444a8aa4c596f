//! The store's thread: every store call of a workspace runs on it, and the
//! appends that queue up while one commits go in the next transaction
//! together (group commit), so many writers share one fsync. A process's
//! events arrive in the order they were made; one the store refuses makes
//! every later event of the same generation refused too ([`Refused`]).

use std::collections::HashMap;
use std::sync::mpsc;

use accord_store::{EventRecord, OutboxRecord, Store, StoreError, TokenRecord};
use tokio::sync::oneshot;

/// Most events committed in one transaction.
const MAX_BATCH: usize = 1024;

/// Work run on the store's thread.
pub(crate) type StoreTask = Box<dyn FnOnce(&mut dyn Store) + Send>;

pub(crate) enum Job {
    /// An event and the outbox messages it causes, recorded together; the
    /// process's generation when the event was made ([`ProcessSlot::generation`]).
    Append(EventRecord, Vec<OutboxRecord>, u64, oneshot::Sender<Result<(), StoreError>>),
    ProcessEvents(String, oneshot::Sender<Result<Vec<EventRecord>, StoreError>>),
    Token(String, oneshot::Sender<Result<Option<TokenRecord>, StoreError>>),
    AddToken(TokenRecord, oneshot::Sender<Result<(), StoreError>>),
    Run(StoreTask),
}

/// An event waiting for the store: the record, its mail, the generation it
/// was made in, and who waits for the answer.
type Pending = (EventRecord, Vec<OutboxRecord>, u64, oneshot::Sender<Result<(), StoreError>>);

/// The processes whose last append was refused, with the generation of the
/// refused event: every later event of that generation was made on top of
/// the refused one and must be refused too, or the log would hold an event
/// whose predecessor never happened (after a conflict with another node, or
/// a transient failure that a later append does not meet). The workspace's
/// reload starts a new generation.
#[derive(Default)]
struct Refused(HashMap<String, u64>);

impl Refused {
    fn check(&self, r: &EventRecord, generation: u64) -> Result<(), StoreError> {
        match self.0.get(&r.process) {
            Some(g) if generation <= *g => Err(StoreError::Conflict(format!(
                "event {} of process {} follows a change the store refused",
                r.seq, r.process
            ))),
            _ => Ok(()),
        }
    }

    fn note(&mut self, r: &EventRecord, generation: u64) {
        let g = self.0.entry(r.process.clone()).or_insert(generation);
        *g = (*g).max(generation);
    }
}

pub(crate) fn store_thread(mut store: Box<dyn Store>, jobs: mpsc::Receiver<Job>) {
    let mut refused = Refused::default();
    while let Ok(first) = jobs.recv() {
        let mut appends: Vec<Pending> = Vec::new();
        let mut others = Vec::new();
        let mut next = Some(first);
        while let Some(job) = next.take() {
            match job {
                Job::Append(r, m, g, tx) => match refused.check(&r, g) {
                    Ok(()) => appends.push((r, m, g, tx)),
                    Err(e) => {
                        let _ = tx.send(Err(e));
                    }
                },
                other => others.push(other),
            }
            if appends.len() < MAX_BATCH {
                next = jobs.try_recv().ok();
            }
        }
        if !appends.is_empty() {
            let records: Vec<EventRecord> = appends.iter().map(|(r, ..)| r.clone()).collect();
            let messages: Vec<OutboxRecord> =
                appends.iter().flat_map(|(_, m, ..)| m.iter().cloned()).collect();
            let _span = tracing::debug_span!("store.append", events = records.len()).entered();
            match store.append_with_outbox(&records, &messages) {
                Ok(()) => {
                    for (.., tx) in appends {
                        let _ = tx.send(Ok(()));
                    }
                }
                Err(e) => {
                    if appends.len() > 1 {
                        tracing::warn!(error = %e, events = appends.len(), "a group commit failed; appending one by one");
                    } else {
                        tracing::warn!(error = %e, "the store refused an event");
                    }
                    // Find out which failed: each on its own, in order, and
                    // nothing after a refused event of the same process.
                    let single = appends.len() == 1;
                    for (r, m, g, tx) in appends {
                        let outcome = if single {
                            Err(e.clone())
                        } else {
                            refused
                                .check(&r, g)
                                .and_then(|()| store.append_with_outbox(std::slice::from_ref(&r), &m))
                        };
                        if outcome.is_err() {
                            refused.note(&r, g);
                        }
                        let _ = tx.send(outcome);
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
