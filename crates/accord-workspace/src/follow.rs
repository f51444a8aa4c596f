//! Several nodes on one database: how a node learns of the events the
//! others append.
//!
//! A thread listens on PostgreSQL ([`accord_store::listen`]) and wakes an
//! async task with each notice; the task catches the process up from the log
//! ([`Workspace::catch_up`]), which is the truth: a notice only says where to
//! look. Every few seconds, and whenever the listening connection comes back,
//! the task also compares every process's head in the log with its own
//! ([`Workspace::behind`]), so an event whose notice was lost is applied
//! within that time, never missed. A process one of this node's own changes
//! is still being written to is tried again a moment later.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use accord_store::listen::{Listener, Notice};
use tokio::sync::mpsc;

use crate::workspace::CatchUp;
use crate::{Workspace, WorkspaceError};

/// How often every process's head is compared with the log's.
const SWEEP_EVERY: Duration = Duration::from_secs(5);
/// How long the listener waits for a notice before looking at the clock.
const LISTEN_TICK: Duration = Duration::from_millis(500);
/// How soon a busy process is tried again.
const BUSY_RETRY: Duration = Duration::from_millis(5);
/// The longest wait between attempts to reconnect the listener.
const MAX_RECONNECT: Duration = Duration::from_secs(5);

/// Upper bounds of the catch-up lag histogram, in milliseconds.
pub const LAG_BUCKETS_MS: [i64; 10] = [5, 10, 25, 50, 100, 250, 500, 1000, 5000, 30000];

/// How long other writers' events took to reach this node: from the
/// writer's clock at the event to this node's when it applied it.
#[derive(Default)]
pub struct LagHistogram {
    buckets: [AtomicU64; LAG_BUCKETS_MS.len()],
    count: AtomicU64,
    sum_ms: AtomicU64,
}

impl LagHistogram {
    /// Counts one event that took `ms` to arrive (a negative lag, from
    /// clocks apart, counts as none).
    pub fn observe(&self, ms: i64) {
        let ms = ms.max(0);
        if let Some(k) = LAG_BUCKETS_MS.iter().position(|b| ms <= *b) {
            self.buckets[k].fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_ms.fetch_add(ms as u64, Ordering::Relaxed);
    }

    /// Events at or under each bound (not cumulative), then the count and
    /// the sum in milliseconds.
    pub fn read(&self) -> ([u64; LAG_BUCKETS_MS.len()], u64, u64) {
        (
            std::array::from_fn(|k| self.buckets[k].load(Ordering::Relaxed)),
            self.count.load(Ordering::Relaxed),
            self.sum_ms.load(Ordering::Relaxed),
        )
    }
}

/// Whether the node follows other writers and, if so, whether it is caught
/// up: the last comparison of heads found nothing behind and the listener
/// is connected (what `/readyz` reports).
#[derive(Default)]
pub struct Following {
    on: AtomicBool,
    current: AtomicBool,
}

impl Following {
    /// Whether the node follows other writers at all.
    pub fn is_on(&self) -> bool {
        self.on.load(Ordering::Acquire)
    }

    /// Whether the node holds every event the log had at its last look
    /// (always, for a node that does not follow: it is the only writer).
    pub fn is_current(&self) -> bool {
        !self.is_on() || self.current.load(Ordering::Acquire)
    }

    fn set_current(&self, current: bool) {
        self.current.store(current, Ordering::Release);
    }
}

/// What wakes the catch-up task.
enum Wake {
    /// Another writer appended this event.
    Event(Notice),
    /// Compare every head (the listener reconnected, or time passed).
    Sweep,
    /// The listener lost its connection: not caught up until the next sweep.
    Lost,
}

/// Starts following the other writers of the PostgreSQL database at `url`:
/// a listening thread and a catch-up task on the current tokio runtime.
pub fn follow(ws: &Arc<Workspace>, url: &str) -> Result<(), WorkspaceError> {
    let (tx, rx) = mpsc::unbounded_channel();
    let url = url.to_string();
    std::thread::Builder::new()
        .name("accord-listen".into())
        .spawn(move || listen(&url, &tx))
        .map_err(|e| WorkspaceError::Unavailable(format!("no thread to listen for other nodes: {e}")))?;
    ws.following.on.store(true, Ordering::Release);
    tokio::spawn(catch_up_task(ws.clone(), rx));
    Ok(())
}

/// The listening thread: notices to the task, a sweep now and then, and a
/// reconnection (with a sweep) whenever the connection is lost.
fn listen(url: &str, tx: &mpsc::UnboundedSender<Wake>) {
    let mut backoff = Duration::from_millis(100);
    loop {
        match Listener::connect(url) {
            Ok(mut listener) => {
                backoff = Duration::from_millis(100);
                tracing::info!("listening for other nodes' events");
                // Whatever was appended while not listening.
                if tx.send(Wake::Sweep).is_err() {
                    return;
                }
                let mut swept = Instant::now();
                loop {
                    match listener.wait(LISTEN_TICK) {
                        Ok(notices) => {
                            for n in notices {
                                if tx.send(Wake::Event(n)).is_err() {
                                    return;
                                }
                            }
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "lost the connection that listens for other nodes");
                            if tx.send(Wake::Lost).is_err() {
                                return;
                            }
                            break;
                        }
                    }
                    if swept.elapsed() >= SWEEP_EVERY {
                        swept = Instant::now();
                        if tx.send(Wake::Sweep).is_err() {
                            return;
                        }
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for other nodes' events; trying again");
                if tx.send(Wake::Lost).is_err() {
                    return;
                }
            }
        }
        std::thread::sleep(backoff);
        backoff = (backoff * 2).min(MAX_RECONNECT);
    }
}

/// The catch-up task: for each process woken, the events it lacks.
async fn catch_up_task(ws: Arc<Workspace>, mut rx: mpsc::UnboundedReceiver<Wake>) {
    // Process → the highest sequence number heard of (u64::MAX: look anyway).
    let mut wanted: HashMap<String, u64> = HashMap::new();
    loop {
        let wake = if wanted.is_empty() {
            match rx.recv().await {
                Some(w) => Some(w),
                None => return,
            }
        } else {
            // Busy processes wait a moment, unless more news comes first.
            tokio::time::timeout(BUSY_RETRY, rx.recv()).await.unwrap_or(None)
        };
        let mut sweep = false;
        let mut take = |w: Wake, wanted: &mut HashMap<String, u64>| match w {
            Wake::Event(n) => {
                let seq = wanted.entry(n.process).or_insert(0);
                *seq = (*seq).max(n.seq);
            }
            Wake::Sweep => sweep = true,
            Wake::Lost => ws.following.set_current(false),
        };
        if let Some(w) = wake {
            take(w, &mut wanted);
        }
        while let Ok(w) = rx.try_recv() {
            take(w, &mut wanted);
        }
        if sweep {
            match ws.behind().await {
                Ok(behind) => {
                    for p in behind {
                        wanted.insert(p, u64::MAX);
                    }
                }
                Err(e) => tracing::warn!(error = %e, "cannot compare the processes with the log"),
            }
            if let Err(e) = ws.refresh_focal_points().await {
                tracing::warn!(error = %e, "cannot read the focal points again");
            }
        }
        let mut busy = HashMap::new();
        for (process, seq) in wanted.drain() {
            if seq != u64::MAX && ws.durable_seq(&process) >= seq {
                continue; // This node's own event, or one already caught up.
            }
            match ws.catch_up(&process).await {
                Ok(CatchUp::Busy) => {
                    busy.insert(process, seq);
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(process, error = %e, "cannot catch up with the log"),
            }
        }
        wanted = busy;
        if sweep && wanted.is_empty() {
            ws.following.set_current(true);
        }
    }
}
