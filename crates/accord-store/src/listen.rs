//! Waking a node when another node appends: PostgreSQL's LISTEN/NOTIFY.
//!
//! Every appended event raises a notice naming its process and sequence
//! number (a trigger, migration 4), delivered when the appending transaction
//! commits. A notice is only a wake-up: the node then reads the log itself
//! for what it lacks, so a notice lost while the connection was down costs
//! latency, never an event (the node also compares every process's head now
//! and then, [`crate::Store::process_heads`]).

use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, NoTls};

use crate::StoreError;

/// The channel the events trigger notifies.
pub const CHANNEL: &str = "accord_events";

/// Most notices returned by one [`Listener::wait`]: the rest wait for the next.
const MAX_NOTICES: usize = 4096;

/// An event another writer appended: which process, and its sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The process.
    pub process: String,
    /// The event's sequence number.
    pub seq: u64,
}

/// A connection that listens for appended events.
pub struct Listener {
    client: Client,
}

impl Listener {
    /// Connects to the PostgreSQL database at `url` and listens. Must not be
    /// called from inside an async runtime.
    pub fn connect(url: &str) -> Result<Listener, StoreError> {
        let mut client = Client::connect(url, NoTls)
            .map_err(|e| StoreError::Unavailable(format!("cannot connect to PostgreSQL to listen: {e}")))?;
        client
            .batch_execute(&format!("LISTEN {CHANNEL}"))
            .map_err(|e| StoreError::Unavailable(format!("cannot listen for events: {e}")))?;
        Ok(Listener { client })
    }

    /// Waits at most `timeout` for notices and returns those that came, at
    /// most a few thousand (none: the time passed). An error means the
    /// connection is lost: connect again, and look for what was missed.
    pub fn wait(&mut self, timeout: Duration) -> Result<Vec<Notice>, StoreError> {
        let lost =
            |e: postgres::Error| StoreError::Unavailable(format!("the event listener lost PostgreSQL: {e}"));
        let mut notifications = self.client.notifications();
        let mut out = Vec::new();
        let first = notifications.timeout_iter(timeout).next().map_err(lost)?;
        match first {
            Some(n) => out.extend(parse(n.payload())),
            None => return Ok(out),
        }
        // Then whatever has already arrived, without waiting again.
        let mut ready = notifications.iter();
        while out.len() < MAX_NOTICES {
            match ready.next().map_err(lost)? {
                Some(n) => out.extend(parse(n.payload())),
                None => break,
            }
        }
        Ok(out)
    }
}

/// A notice's payload: `process seq`. A payload of another shape (another
/// program on the channel) is ignored: the periodic comparison of heads
/// still finds any event.
fn parse(payload: &str) -> Option<Notice> {
    let (process, seq) = payload.rsplit_once(' ')?;
    Some(Notice { process: process.to_string(), seq: seq.parse().ok()? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_name_a_process_and_a_sequence_number() {
        assert_eq!(parse("csw-70 12"), Some(Notice { process: "csw-70".into(), seq: 12 }));
        assert_eq!(parse("a b 3"), Some(Notice { process: "a b".into(), seq: 3 }));
        assert_eq!(parse("nonsense"), None);
        assert_eq!(parse("p x"), None);
    }
}
