//! Loading processes lazily, so that a node serving a database with many
//! processes starts at once instead of replaying the whole log first.
//!
//! A workspace opened for serving ([`crate::Workspace::open_lazily`]) knows
//! the processes the log holds (their ids and heads, one query) and holds
//! none of them. A request naming a process loads it from the log before it
//! is answered (the same catch-up that follows other nodes' writes), a write
//! does the same, and a background task loads the rest one by one. The
//! server makes a request that names no process (a listing, the state hash)
//! wait for the background task: an answer never misses a process.

use std::collections::BTreeSet;
use std::sync::Mutex;

/// The processes the log holds that this node has not loaded yet.
#[derive(Debug)]
pub struct Loading {
    unloaded: Mutex<BTreeSet<String>>,
    done: tokio::sync::watch::Sender<bool>,
    broken: Mutex<Option<String>>,
}

impl Default for Loading {
    /// Nothing to load (a workspace opened by replaying everything).
    fn default() -> Loading {
        Loading::of(BTreeSet::new())
    }
}

impl Loading {
    /// `ids` still to load.
    pub(crate) fn of(ids: BTreeSet<String>) -> Loading {
        let done = ids.is_empty();
        Loading {
            unloaded: Mutex::new(ids),
            done: tokio::sync::watch::channel(done).0,
            broken: Mutex::new(None),
        }
    }

    /// Whether every process is loaded.
    pub fn is_done(&self) -> bool {
        *self.done.borrow()
    }

    /// How many processes are still to load.
    pub fn remaining(&self) -> usize {
        self.unloaded.lock().map_or(0, |u| u.len())
    }

    /// Whether `process` is one still to load.
    pub fn contains(&self, process: &str) -> bool {
        !self.is_done() && self.unloaded.lock().is_ok_and(|u| u.contains(process))
    }

    /// The next process to load, if any.
    pub(crate) fn next(&self) -> Option<String> {
        self.unloaded.lock().ok()?.first().cloned()
    }

    /// Marks `process` loaded.
    pub(crate) fn loaded(&self, process: &str) {
        if let Ok(mut u) = self.unloaded.lock() {
            u.remove(process);
            if u.is_empty() {
                self.done.send_replace(true);
            }
        }
    }

    /// Records that `process`'s log does not replay (`error`): the node is
    /// then not ready, as a node replaying everything at start would not
    /// start.
    pub(crate) fn failed(&self, process: &str, error: &str) {
        if let Ok(mut b) = self.broken.lock() {
            b.get_or_insert_with(|| format!("the log of process `{process}` does not replay: {error}"));
        }
        self.loaded(process);
    }

    /// Why this node must not be used, if a process's log does not replay.
    pub fn broken(&self) -> Option<String> {
        self.broken.lock().ok()?.clone()
    }

    /// Waits until every process is loaded.
    pub async fn wait(&self) {
        let mut rx = self.done.subscribe();
        let _ = rx.wait_for(|done| *done).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waiting_ends_when_the_last_process_is_loaded() {
        let l = std::sync::Arc::new(Loading::of(["a".to_string(), "b".to_string()].into()));
        assert!(!l.is_done() && l.contains("a") && l.remaining() == 2);
        let waiter = tokio::spawn({
            let l = l.clone();
            async move { l.wait().await }
        });
        l.loaded("a");
        assert_eq!(l.next().as_deref(), Some("b"));
        assert!(!waiter.is_finished());
        l.loaded("b");
        waiter.await.unwrap();
        assert!(l.is_done() && !l.contains("b") && l.next().is_none());
        Loading::default().wait().await;
    }
}
