//! The workspace's one error type: what went wrong in terms a front end can
//! map to its own answers (the server to HTTP statuses, the CLI to messages
//! and exit codes). Nothing here knows HTTP.

use accord_core::negotiation::DomainError;
use accord_store::StoreError;

/// Why the workspace did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    /// The negotiation's rules refused the action (who may, what exists,
    /// what conflicts); nothing changed.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// Another writer recorded a change to the same process first (two
    /// servers on one database); nothing changed, a retry may succeed.
    #[error("{0}; another writer got there first, try again")]
    Contended(String),
    /// The input is not acceptable (a weak password, a taken username, a
    /// text that is not a draft); nothing changed.
    #[error("{0}")]
    Invalid(String),
    /// An idempotency key already recorded for another request (same
    /// actor and route, other body); nothing changed.
    #[error("{0}")]
    KeyReused(String),
    /// The data directory is held by another process (see [`crate::lock`]).
    #[error("{0}")]
    InUse(String),
    /// The store cannot record or read now; nothing was recorded.
    #[error("the change could not be recorded and was not made ({0}); try again")]
    Unavailable(String),
    /// The stored log does not replay (an unreadable or refused event): the
    /// data needs a person, the workspace does not start.
    #[error("the event log cannot be replayed: {0}")]
    Log(String),
}

impl WorkspaceError {
    /// A stable machine-readable code, for front ends' answers.
    pub fn code(&self) -> &'static str {
        match self {
            WorkspaceError::Domain(e) => e.code(),
            WorkspaceError::Contended(_) => "conflict",
            WorkspaceError::Invalid(_) => "invalid",
            WorkspaceError::KeyReused(_) => "idempotency-key-reused",
            WorkspaceError::InUse(_) => "in-use",
            WorkspaceError::Unavailable(_) => "unavailable",
            WorkspaceError::Log(_) => "log",
        }
    }
}

impl From<StoreError> for WorkspaceError {
    fn from(e: StoreError) -> WorkspaceError {
        match e {
            StoreError::Conflict(m) => WorkspaceError::Contended(m),
            StoreError::Duplicate(m) => WorkspaceError::Invalid(m),
            StoreError::Unavailable(m) => WorkspaceError::Unavailable(m),
        }
    }
}

/// A shorthand for results of the workspace.
pub type Result<T, E = WorkspaceError> = std::result::Result<T, E>;
