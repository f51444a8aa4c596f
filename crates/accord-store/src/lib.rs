//! # accord-store
//!
//! Where negotiation processes are kept: an append-only log of events, one
//! row per change, from which the server derives every process's state, plus
//! the participants' API tokens (as hashes).
//!
//! The store knows nothing of the domain: an event is a row with its process,
//! its sequence number in that process, who, when, what and a JSON payload.
//! That keeps the domain free to evolve and lets each database be a small,
//! checkable implementation of [`Store`]:
//!
//! - [`Sqlite`], the embedded default: one file in a data directory, WAL
//!   journal, `synchronous = FULL` so that a committed batch survives a crash;
//! - [`Postgres`], for a shared server.
//!
//! Both refuse to update or delete an event (triggers), refuse a second event
//! with the same `(process, seq)` (so two writers cannot both extend a
//! process: the second gets [`StoreError::Conflict`]) and a second use of a
//! request's idempotency key in a process ([`StoreError::Duplicate`]). A batch
//! is appended in one transaction: all of it or none.
//!
//! The store also keeps the **outbox** ([`OutboxRecord`]): the mail an event
//! causes (a draft circulated, silence started or broken, the text adopted)
//! is recorded in the same transaction as the event, so a message is never
//! lost nor invented by a crash between the two; a worker then delivers it
//! and records the outcome. And each participant's **focal points**
//! ([`FocalPointRecord`]), the addresses that mail goes to.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod listen;
mod login_counters;
mod outbox;
mod postgres_outbox;
mod postgres_store;
mod sqlite_outbox;
mod sqlite_store;

pub use login_counters::{LoginCounter, LoginCounterChange, MAX_LOGIN_COUNTERS};
pub use outbox::{FocalPointRecord, OutboxRecord, OutboxState, OutboxUpdate, CLAIM_MS};
pub use postgres_store::Postgres;
pub use sqlite_store::Sqlite;

/// One event as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    /// The process it belongs to.
    pub process: String,
    /// Its sequence number in the process, from 1.
    pub seq: u64,
    /// When, in milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// Who (a label such as `delegation:norland`).
    pub actor: String,
    /// What kind of action (`table-proposal`).
    pub action: String,
    /// The latest draft when it was recorded.
    pub against: Option<String>,
    /// The client's request key, unique within the process.
    pub idempotency_key: Option<String>,
    /// The whole event as JSON.
    pub payload: String,
}

/// An API token's grant. The secret itself is never stored, only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    /// SHA-256 of the secret, hex.
    pub hash: String,
    /// The process it is limited to (`None`: every process; secretariat only).
    pub process: Option<String>,
    /// Who acts with it (a label such as `delegation:norland`).
    pub actor: String,
    /// What it is for, for the person who manages tokens.
    pub label: String,
    /// When it was created.
    pub created_at_ms: i64,
}

/// A person who logs in to the web application.
#[derive(Clone, PartialEq, Eq)]
pub struct AccountRecord {
    /// Unique login name.
    pub username: String,
    /// The argon2id hash of the password (PHC string).
    pub password_hash: String,
    /// The process the account belongs to (`None`: the secretariat, all processes).
    pub process: Option<String>,
    /// Who the account acts as (a label such as `delegation:norland`).
    pub actor: String,
    /// When it was created.
    pub created_at_ms: i64,
}

impl std::fmt::Debug for AccountRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the password hash.
        f.debug_struct("AccountRecord").field("username", &self.username).field("actor", &self.actor).finish()
    }
}

/// An invitation link's grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRecord {
    /// SHA-256 of the link's secret, hex.
    pub hash: String,
    /// The process the account will belong to.
    pub process: Option<String>,
    /// Who the account will act as.
    pub actor: String,
    /// When the link stops working.
    pub expires_at_ms: i64,
}

/// A browser session.
#[derive(Clone, PartialEq, Eq)]
pub struct WebSessionRecord {
    /// SHA-256 of the cookie's secret, hex.
    pub hash: String,
    /// Whose session.
    pub username: String,
    /// The session's CSRF token, embedded in every form.
    pub csrf: String,
    /// When it ends.
    pub expires_at_ms: i64,
}

impl std::fmt::Debug for WebSessionRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebSessionRecord").field("username", &self.username).finish()
    }
}

/// Why the store refused or failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// Another writer recorded an event with the same sequence number first.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The request's idempotency key is already recorded.
    #[error("duplicate request: {0}")]
    Duplicate(String),
    /// The database could not be reached, read or written.
    #[error("store: {0}")]
    Unavailable(String),
}

/// The interface every store implements. Calls are synchronous: the server
/// runs a store on a thread of its own and batches appends (group commit).
pub trait Store: Send {
    /// Appends `events` in one transaction: all are recorded, or none. When
    /// this returns `Ok`, the events are durable.
    fn append(&mut self, events: &[EventRecord]) -> Result<(), StoreError> {
        self.append_with_outbox(events, &[])
    }
    /// Appends `events` and the outbox `messages` they cause in one
    /// transaction: all are recorded, or none.
    fn append_with_outbox(
        &mut self,
        events: &[EventRecord],
        messages: &[OutboxRecord],
    ) -> Result<(), StoreError>;
    /// Replaces the focal points of `actor` in `process` by `points`.
    fn set_focal_points(
        &mut self,
        process: &str,
        actor: &str,
        points: &[FocalPointRecord],
    ) -> Result<(), StoreError>;
    /// Every focal point, by process, actor and position.
    fn focal_points(&mut self) -> Result<Vec<FocalPointRecord>, StoreError>;
    /// The outbox of one process, oldest first.
    fn outbox(&mut self, process: &str) -> Result<Vec<OutboxRecord>, StoreError>;
    /// At most `limit` messages to deliver at `now_ms` (queued, or failed
    /// and due for another attempt), oldest first. A store shared by several
    /// nodes (PostgreSQL) claims them: each is not due again for
    /// [`CLAIM_MS`], so two nodes' workers never take the same message at
    /// once; the attempt's outcome ([`Store::record_attempt`]) then sets when
    /// it is due, if ever.
    fn outbox_due(&mut self, now_ms: i64, limit: usize) -> Result<Vec<OutboxRecord>, StoreError>;
    /// Records an attempt's outcome for the message with this id.
    fn record_attempt(&mut self, id: i64, update: &OutboxUpdate) -> Result<(), StoreError>;
    /// Every event, in the order appended.
    fn events(&mut self) -> Result<Vec<EventRecord>, StoreError>;
    /// The events of one process, in order.
    fn process_events(&mut self, process: &str) -> Result<Vec<EventRecord>, StoreError>;
    /// At most `limit` events of one process after sequence number `after`,
    /// in order: a page of the log, without reading the rest of it (stores
    /// override this default, which reads the whole process).
    fn process_events_after(
        &mut self,
        process: &str,
        after: u64,
        limit: usize,
    ) -> Result<Vec<EventRecord>, StoreError> {
        let mut events = self.process_events(process)?;
        events.retain(|e| e.seq > after);
        events.truncate(limit);
        Ok(events)
    }
    /// Every process's last sequence number in the log: how a node finds
    /// what it has missed (other nodes' writes) without reading any event.
    /// Stores override this default, which reads every event.
    fn process_heads(&mut self) -> Result<Vec<(String, u64)>, StoreError> {
        let mut heads: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
        for e in self.events()? {
            let head = heads.entry(e.process).or_default();
            *head = (*head).max(e.seq);
        }
        Ok(heads.into_iter().collect())
    }
    /// Whether the store would accept a write now (a read-only database
    /// would refuse every one): checked at start and by readiness probes.
    /// Stores override this default, which assumes it would.
    fn check_writable(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Records a token.
    fn add_token(&mut self, token: &TokenRecord) -> Result<(), StoreError>;
    /// The token with this hash.
    fn token(&mut self, hash: &str) -> Result<Option<TokenRecord>, StoreError>;
    /// Every token, oldest first.
    fn tokens(&mut self) -> Result<Vec<TokenRecord>, StoreError>;
    /// Records an account; a taken username is [`StoreError::Duplicate`].
    fn add_account(&mut self, account: &AccountRecord) -> Result<(), StoreError>;
    /// The account with this username.
    fn account(&mut self, username: &str) -> Result<Option<AccountRecord>, StoreError>;
    /// Replaces the password hash of account `username`; whether it exists.
    fn set_account_password(&mut self, username: &str, password_hash: &str) -> Result<bool, StoreError>;
    /// Records an invitation.
    fn add_invitation(&mut self, invitation: &InvitationRecord) -> Result<(), StoreError>;
    /// Uses an invitation: creates `account` from it, in one transaction, if
    /// the invitation exists, is unused and has not expired at `now_ms`.
    /// Returns whether it did.
    fn accept_invitation(
        &mut self,
        hash: &str,
        account: &AccountRecord,
        now_ms: i64,
    ) -> Result<bool, StoreError>;
    /// The unused, unexpired invitation with this hash.
    fn invitation(&mut self, hash: &str, now_ms: i64) -> Result<Option<InvitationRecord>, StoreError>;
    /// Records a browser session.
    fn add_web_session(&mut self, session: &WebSessionRecord) -> Result<(), StoreError>;
    /// The unexpired session with this hash.
    fn web_session(&mut self, hash: &str, now_ms: i64) -> Result<Option<WebSessionRecord>, StoreError>;
    /// Ends a session.
    fn end_web_session(&mut self, hash: &str) -> Result<(), StoreError>;
    /// The login counters under `keys` not expired at `now_ms`, in the
    /// order of `keys` (see [`LoginCounter`]).
    fn login_counters(
        &mut self,
        keys: &[String],
        now_ms: i64,
    ) -> Result<Vec<Option<LoginCounter>>, StoreError>;
    /// Applies `changes` to the login counters at `now_ms` in one
    /// transaction, forgets the expired ones and keeps at most
    /// [`MAX_LOGIN_COUNTERS`].
    fn change_login_counters(
        &mut self,
        changes: &[LoginCounterChange],
        now_ms: i64,
    ) -> Result<(), StoreError>;
}

/// Opens the store a URL names: `postgres://…` or `postgresql://…` for
/// PostgreSQL, anything else is a SQLite file path.
pub fn open(url: &str) -> Result<Box<dyn Store>, StoreError> {
    if is_postgres(url) {
        Ok(Box::new(Postgres::connect(url)?))
    } else {
        Ok(Box::new(Sqlite::open(std::path::Path::new(url))?))
    }
}

/// Refuses a database whose schema a newer Accord has migrated past what
/// this one knows: its writes could break what the newer one relies on.
pub(crate) fn refuse_newer(current: i64, migrations: &[Migration]) -> Result<(), StoreError> {
    let known = migrations.iter().map(|m| m.version).max().unwrap_or(0);
    if current > known {
        return Err(StoreError::Unavailable(format!(
            "the database's schema is version {current}, newer than this version of Accord knows \
             ({known}): a newer Accord has migrated it; run that version (or newer) on it"
        )));
    }
    Ok(())
}

/// Opens the store a URL names for a server: as [`open`], except that a
/// PostgreSQL database (shared by several nodes) must already be at this
/// Accord's schema (`accord migrate`); SQLite, one node's own file, is
/// brought up to date.
pub fn open_for_serving(url: &str) -> Result<Box<dyn Store>, StoreError> {
    if is_postgres(url) {
        Ok(Box::new(Postgres::connect_current(url)?))
    } else {
        Ok(Box::new(Sqlite::open(std::path::Path::new(url))?))
    }
}

/// Brings the schema of the database a URL names up to date: the versions
/// before and after (equal: nothing to do).
pub fn migrate(url: &str) -> Result<(i64, i64), StoreError> {
    if is_postgres(url) {
        let client = postgres::Client::connect(url, postgres::NoTls)
            .map_err(|e| StoreError::Unavailable(format!("cannot connect to PostgreSQL: {e}")))?;
        Postgres::from_client(client).migrate()
    } else {
        // Opening migrates; the version it was at is read first.
        let path = std::path::Path::new(url);
        let before = if path.exists() { Sqlite::schema_version_of(path)? } else { 0 };
        let mut store = Sqlite::open(path)?;
        Ok((before, store.schema_version()?))
    }
}

/// Whether `url` names a PostgreSQL database (the store [`open`] opens for it).
pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// A migration: its version and SQL.
pub(crate) struct Migration {
    pub version: i64,
    pub sql: &'static str,
}
