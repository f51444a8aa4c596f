//! # accord-workspace
//!
//! The application layer between the pure core (`accord-core`) and the front
//! ends (the HTTP server, the CLI): every process's state in memory, derived
//! from the event log in the store, and the one path by which anything
//! changes ([`Workspace::execute`]: checked, applied, group-committed,
//! broadcast to live viewers); API tokens, accounts and invitations; import
//! preparation; the demo process.
//!
//! Nothing here knows HTTP: errors are [`WorkspaceError`], which the server
//! maps to statuses and the CLI to messages.

#![forbid(unsafe_code)]

pub mod accounts;
pub mod demo;
pub mod error;
pub mod follow;
pub mod idempotency;
pub mod import;
mod inflight;
pub mod loading;
pub mod lock;
pub mod log;
pub mod outbox;
pub mod secrets;
mod store_thread;
pub mod synthetic;
pub mod transfer;
pub mod workspace;

pub use error::WorkspaceError;
pub use idempotency::RequestKey;
pub use workspace::{CatchUp, Change, ProcessSlot, Workspace};
