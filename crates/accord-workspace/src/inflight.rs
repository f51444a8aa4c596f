//! A change on its way to the store, seen through to the store's answer even
//! when the request that made it goes away (a client that hangs up, a proxy's
//! timeout): the answer still settles the process's slot — how far the store
//! has it, how many of this node's events are in flight, whether memory holds
//! an event the log does not. Left unsettled, the slot would count an event in
//! flight forever, and the node would never again catch the process up with
//! other nodes' events nor rebuild it.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use accord_store::StoreError;
use tokio::sync::{broadcast, oneshot};

use crate::workspace::{Change, ProcessSlot};

/// The store's answer, or `Err` when the store stopped before answering.
pub(crate) type Answer = Result<Result<(), StoreError>, oneshot::error::RecvError>;

/// One of this node's events sent to the store; the slot counts it in flight
/// until the answer settles it.
pub(crate) struct InFlight {
    slot: Arc<ProcessSlot>,
    changes: broadcast::Sender<Change>,
    change: Change,
    rx: Option<oneshot::Receiver<Result<(), StoreError>>>,
}

impl InFlight {
    pub(crate) fn new(
        slot: Arc<ProcessSlot>,
        changes: broadcast::Sender<Change>,
        change: Change,
        rx: oneshot::Receiver<Result<(), StoreError>>,
    ) -> InFlight {
        InFlight { slot, changes, change, rx: Some(rx) }
    }

    /// Waits for the store's answer and settles the slot with it.
    pub(crate) async fn answer(mut self) -> Answer {
        let answer = match self.rx.as_mut() {
            Some(rx) => rx.await,
            None => return Ok(Ok(())), // unreachable: answered once, by value
        };
        // Settled here: dropping `self` now does nothing more.
        self.rx = None;
        settle(&self.slot, &self.changes, &self.change, matches!(answer, Ok(Ok(()))));
        answer
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let Some(rx) = self.rx.take() else { return };
        // The request went away before the answer: a task waits for it.
        let (slot, changes, change) = (self.slot.clone(), self.changes.clone(), self.change.clone());
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    let durable = matches!(rx.await, Ok(Ok(())));
                    settle(&slot, &changes, &change, durable);
                });
            }
            // No runtime to wait on: count it as refused, so the process is
            // rebuilt from the log (the truth either way) before the next change.
            Err(_) => settle(&slot, &changes, &change, false),
        }
    }
}

/// The event is durable (its viewers are told) or not (memory holds what the
/// log may not: no change is made on it until it is rebuilt). Stale is set
/// before the count drops, so whoever sees nothing in flight sees it stale.
fn settle(slot: &ProcessSlot, changes: &broadcast::Sender<Change>, change: &Change, durable: bool) {
    if !durable {
        slot.stale.store(true, Ordering::Release);
    }
    slot.pending.fetch_sub(1, Ordering::AcqRel);
    if durable {
        slot.durable.send_if_modified(|d| {
            let newer = *d < change.seq;
            if newer {
                *d = change.seq;
            }
            newer
        });
        let _ = changes.send(change.clone());
    }
}
