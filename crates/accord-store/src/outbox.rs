//! What the outbox and the focal points hold: mail an event causes, recorded
//! with the event, and the addresses it goes to. The store only keeps these
//! rows; who receives what is decided by the workspace, delivery by the
//! server's mail worker.

/// How long a worker's claim on a due message lasts ([`crate::Store::outbox_due`]):
/// if the worker's node dies mid-batch, its messages are due again after
/// this. A worker stops delivering a batch while its claim still has the
/// time of one more attempt, so no other worker takes a message it sends.
pub const CLAIM_MS: i64 = 60 * 1000;

/// A focal point: a person to write to for a participant (a delegation,
/// group, observer or co-facilitator, by actor label) in a process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FocalPointRecord {
    /// The process.
    pub process: String,
    /// Whose focal point, as an actor label (`delegation:estoria`).
    pub actor: String,
    /// The person's name.
    pub name: String,
    /// Where mail goes.
    pub email: String,
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    /// Recorded, not yet tried.
    Queued,
    /// The mail server accepted it (its 250).
    Sent,
    /// The last attempt failed; retried at `next_attempt_at_ms` unless that
    /// is `None` (the server refused it for good).
    Failed,
}

impl OutboxState {
    /// Its name in the database and in `accord outbox`.
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Queued => "queued",
            OutboxState::Sent => "sent",
            OutboxState::Failed => "failed",
        }
    }

    /// The state a stored name means (an unknown name reads as failed, so a
    /// message is never silently taken for sent).
    pub fn parse(name: &str) -> OutboxState {
        match name {
            "queued" => OutboxState::Queued,
            "sent" => OutboxState::Sent,
            _ => OutboxState::Failed,
        }
    }
}

/// One message to one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRecord {
    /// The store's id (ignored when appending).
    pub id: i64,
    /// The `Message-ID`, derived from the process, the event and the
    /// recipient, so every attempt sends the same one; unique.
    pub message_id: String,
    /// The process.
    pub process: String,
    /// The event that caused it.
    pub seq: u64,
    /// What happened: `circulated`, `silence-started`, `silence-broken`, `adopted`.
    pub kind: String,
    /// The draft it is about (attached when the message is built).
    pub draft: Option<String>,
    /// The recipient's actor label (whose focal point).
    pub recipient_actor: String,
    /// The recipient's name.
    pub recipient_name: String,
    /// The recipient's address.
    pub recipient_email: String,
    /// The subject line.
    pub subject: String,
    /// The text, before links and attachments are added.
    pub body: String,
    /// Where it stands.
    pub state: OutboxState,
    /// Delivery attempts so far.
    pub attempts: u32,
    /// When to try (again); `None` once sent or refused for good.
    pub next_attempt_at_ms: Option<i64>,
    /// The mail server's answer (or the connection's failure) to the last attempt.
    pub last_error: Option<String>,
    /// When it was recorded (the event's time).
    pub created_at_ms: i64,
    /// When the server accepted it.
    pub sent_at_ms: Option<i64>,
}

/// The outcome of one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxUpdate {
    /// The new state.
    pub state: OutboxState,
    /// Attempts, this one included.
    pub attempts: u32,
    /// When to try again (`None`: never).
    pub next_attempt_at_ms: Option<i64>,
    /// The server's answer to a failed attempt.
    pub last_error: Option<String>,
    /// When it was accepted.
    pub sent_at_ms: Option<i64>,
}
