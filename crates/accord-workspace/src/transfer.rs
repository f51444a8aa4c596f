//! One negotiation, with its whole history, as a file: moving a process
//! between stores (SQLite and PostgreSQL), or keeping it aside.
//!
//! The file is JSON Lines. The first line is a header naming the format, the
//! process, its number of events and the SHA-256 of its state after them;
//! every other line is one event's payload exactly as the store keeps it (in
//! the log's own versioned format, [`crate::log`]), so an old event travels
//! as it was recorded and replays under the rules of its day. Reading a file
//! checks everything before anything is written: the header, each line (by
//! line number), the order of the events, and a replay that must end on the
//! header's state hash.

use accord_core::negotiation::ProcessState;
use accord_store::EventRecord;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::log::LogEvent;
use crate::workspace::{record_of, replay};

/// The format's name and version, the header's `format`.
pub const FORMAT: &str = "accord-process/1";

/// The first line of a process file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// [`FORMAT`].
    pub format: String,
    /// The process id.
    pub process: String,
    /// How many events follow.
    pub events: u64,
    /// SHA-256 (hex) of the process's state after its events ([`state_hash`]).
    pub state_sha256: String,
}

/// Why a process file cannot be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TransferError {
    /// The file is empty.
    #[error("the file is empty: a process file starts with its header line")]
    Empty,
    /// The header line is not a header.
    #[error("line 1: not the header of a process file ({0})")]
    Header(String),
    /// Another format or version.
    #[error("line 1: format `{0}` is not `{FORMAT}`, the one this version of Accord reads")]
    Format(String),
    /// A line is not an event of the log.
    #[error("line {line}: not an event of the log: {message}")]
    Event {
        /// Line number, from 1.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// An event of another process, or out of order.
    #[error("line {line}: {message}")]
    Order {
        /// Line number, from 1.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The header's count does not match the lines.
    #[error("the header announces {announced} events, the file holds {found}: it is cut or padded")]
    Count {
        /// From the header.
        announced: u64,
        /// Event lines found.
        found: u64,
    },
    /// The events do not replay.
    #[error("the history does not replay: {0}")]
    Replay(String),
    /// The replayed state is not the one the header names.
    #[error("the replayed state's hash {found} is not the header's {announced}: the file was altered")]
    Hash {
        /// From the header.
        announced: String,
        /// Of the replayed state.
        found: String,
    },
}

/// SHA-256 (hex) of a process's state as JSON: two stores holding the same
/// history give the same hash.
pub fn state_hash(state: &ProcessState) -> String {
    // The state is made of vectors and ordered maps: its JSON is canonical.
    let json = serde_json::to_vec(state).unwrap_or_default();
    Sha256::digest(&json).iter().map(|b| format!("{b:02x}")).collect()
}

/// The process file of `process` from its events (in order, as the store
/// gives them); the events are replayed to compute the header's hash.
pub fn write(process: &str, records: &[EventRecord]) -> Result<String, TransferError> {
    let states = replay(records).map_err(TransferError::Replay)?;
    let state =
        states.get(process).ok_or_else(|| TransferError::Replay(format!("no process `{process}`")))?;
    let header = Header {
        format: FORMAT.into(),
        process: process.into(),
        events: records.len() as u64,
        state_sha256: state_hash(state),
    };
    let mut out = serde_json::to_string(&header).unwrap_or_default();
    out.push('\n');
    for r in records {
        // The payload is one line of JSON already (the log writes it compact).
        out.push_str(&r.payload);
        out.push('\n');
    }
    Ok(out)
}

/// A process file read and checked: its header, the records to append, and
/// the state they replay to.
#[derive(Debug)]
pub struct ProcessFile {
    /// The header.
    pub header: Header,
    /// The events, ready for the store (payloads as they were in the file).
    pub records: Vec<EventRecord>,
    /// The state after them.
    pub state: ProcessState,
}

/// Reads and checks a process file (see the module's documentation).
pub fn read(text: &str) -> Result<ProcessFile, TransferError> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let (_, first) = lines.next().ok_or(TransferError::Empty)?;
    let header: Header = serde_json::from_str(first).map_err(|e| TransferError::Header(e.to_string()))?;
    if header.format != FORMAT {
        return Err(TransferError::Format(header.format));
    }
    let mut records = Vec::new();
    for (k, line) in lines {
        let number = k + 1;
        let event = LogEvent::read(line)
            .and_then(|e| e.to_event())
            .map_err(|e| TransferError::Event { line: number, message: e.to_string() })?;
        if event.process != header.process {
            return Err(TransferError::Order {
                line: number,
                message: format!(
                    "an event of process `{}` in the file of `{}`",
                    event.process, header.process
                ),
            });
        }
        let expected = records.len() as u64 + 1;
        if event.seq != expected {
            return Err(TransferError::Order {
                line: number,
                message: format!(
                    "event {} where event {expected} belongs: events are missing or repeated",
                    event.seq
                ),
            });
        }
        let mut record =
            record_of(&event).map_err(|e| TransferError::Event { line: number, message: e.to_string() })?;
        record.payload = line.to_string();
        records.push(record);
    }
    if records.len() as u64 != header.events {
        return Err(TransferError::Count { announced: header.events, found: records.len() as u64 });
    }
    let mut states = replay(&records).map_err(TransferError::Replay)?;
    let state = states.remove(&header.process).unwrap_or_else(|| ProcessState::new(&header.process));
    let found = state_hash(&state);
    if found != header.state_sha256 {
        return Err(TransferError::Hash { announced: header.state_sha256, found });
    }
    Ok(ProcessFile { header, records, state })
}
