//! The embedded default store: SQLite, one file.

use std::path::Path;

use rusqlite::{params, Connection, ErrorCode, OptionalExtension};

use crate::sqlite_outbox as outbox;
use crate::{
    AccountRecord, EventRecord, FocalPointRecord, InvitationRecord, LoginCounter, LoginCounterChange,
    Migration, OutboxRecord, OutboxUpdate, Store, StoreError, TokenRecord, WebSessionRecord,
};

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, sql: include_str!("../migrations/sqlite/0001_events.sql") },
    Migration { version: 2, sql: include_str!("../migrations/sqlite/0002_accounts.sql") },
    Migration { version: 3, sql: include_str!("../migrations/sqlite/0003_outbox.sql") },
    Migration { version: 4, sql: include_str!("../migrations/sqlite/0004_login_counters.sql") },
];

/// A SQLite store.
pub struct Sqlite {
    conn: Connection,
}

fn unavailable(e: rusqlite::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

/// Maps a failed insert: a unique constraint on `(process, seq)` is a
/// conflict, on the idempotency key a duplicate.
fn insert_error(e: rusqlite::Error, event: &EventRecord) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, Some(msg)) = &e {
        if f.code == ErrorCode::ConstraintViolation {
            if msg.contains("idempotency_key") {
                return StoreError::Duplicate(format!(
                    "request {} is already recorded in process {}",
                    event.idempotency_key.as_deref().unwrap_or(""),
                    event.process
                ));
            }
            return StoreError::Conflict(format!(
                "event {} of process {} is already recorded",
                event.seq, event.process
            ));
        }
    }
    unavailable(e)
}

impl Sqlite {
    /// Opens (creating if needed) the database file at `path` and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Sqlite, StoreError> {
        let conn = Connection::open(path)
            .map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", path.display())))?;
        Self::setup(conn)
    }

    /// Writes a consistent copy of the whole database to `target` (a new
    /// file), online: `VACUUM INTO` reads one snapshot while writers go on
    /// (WAL), and the copy is compact and self-contained (no WAL beside it).
    pub fn backup_to(&mut self, target: &Path) -> Result<(), StoreError> {
        if target.exists() {
            return Err(StoreError::Unavailable(format!(
                "{}: already exists; name a new file",
                target.display()
            )));
        }
        let target = target.to_str().ok_or_else(|| {
            StoreError::Unavailable(format!("{}: the backup's path must be valid UTF-8", target.display()))
        })?;
        self.conn
            .execute("VACUUM INTO ?1", [target])
            .map(|_| ())
            .map_err(|e| StoreError::Unavailable(format!("cannot write the backup {target}: {e}")))
    }

    /// The schema version of the database file at `path`, read without
    /// migrating it (0: a file without Accord's schema).
    pub fn schema_version_of(path: &Path) -> Result<i64, StoreError> {
        let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", path.display())))?;
        let exists: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations')",
                [],
                |r| r.get(0),
            )
            .map_err(|e| {
                StoreError::Unavailable(format!("{}: not an SQLite database: {e}", path.display()))
            })?;
        if !exists {
            return Ok(0);
        }
        conn.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))
            .map_err(unavailable)
    }

    /// The schema version the database is at.
    pub fn schema_version(&mut self) -> Result<i64, StoreError> {
        self.conn
            .query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))
            .map_err(unavailable)
    }

    /// A store in memory, for tests.
    pub fn in_memory() -> Result<Sqlite, StoreError> {
        Self::setup(Connection::open_in_memory().map_err(unavailable)?)
    }

    fn setup(conn: Connection) -> Result<Sqlite, StoreError> {
        // WAL lets readers go on while a batch commits; FULL syncs the WAL at
        // every commit, so an acknowledged append survives a crash.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(unavailable)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(unavailable)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(unavailable)?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(unavailable)?;
        let mut store = Sqlite { conn };
        store.migrate()?;
        Ok(store)
    }

    /// Brings the schema up to date; the versions before and after.
    pub fn migrate(&mut self) -> Result<(i64, i64), StoreError> {
        let tx = self.conn.transaction().map_err(unavailable)?;
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL)",
        )
        .map_err(unavailable)?;
        let current: i64 = tx
            .query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))
            .map_err(unavailable)?;
        crate::refuse_newer(current, MIGRATIONS)?;
        let mut now = current;
        for m in MIGRATIONS.iter().filter(|m| m.version > current) {
            tx.execute_batch(m.sql)
                .map_err(|e| StoreError::Unavailable(format!("migration {}: {e}", m.version)))?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at_ms) VALUES (?1, ?2)",
                params![m.version, now_ms()],
            )
            .map_err(unavailable)?;
            now = m.version;
        }
        tx.commit().map_err(unavailable)?;
        Ok((current, now))
    }

    fn query_events(&mut self, sql: &str, process: Option<&str>) -> Result<Vec<EventRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(unavailable)?;
        let map = |r: &rusqlite::Row<'_>| {
            Ok(EventRecord {
                process: r.get(0)?,
                seq: r.get::<_, i64>(1)? as u64,
                at_ms: r.get(2)?,
                actor: r.get(3)?,
                action: r.get(4)?,
                against: r.get(5)?,
                idempotency_key: r.get(6)?,
                payload: r.get(7)?,
            })
        };
        let rows = match process {
            Some(p) => stmt.query_map([p], map),
            None => stmt.query_map([], map),
        }
        .map_err(unavailable)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(unavailable)
    }
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

const SELECT_EVENTS: &str =
    "SELECT process, seq, at_ms, actor, action, against, idempotency_key, payload FROM events";

impl Store for Sqlite {
    fn append_with_outbox(
        &mut self,
        events: &[EventRecord],
        messages: &[OutboxRecord],
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction().map_err(unavailable)?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO events (process, seq, at_ms, actor, action, against, idempotency_key, payload) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(unavailable)?;
            for e in events {
                stmt.execute(params![
                    e.process,
                    e.seq as i64,
                    e.at_ms,
                    e.actor,
                    e.action,
                    e.against,
                    e.idempotency_key,
                    e.payload
                ])
                .map_err(|err| insert_error(err, e))?;
            }
        }
        outbox::insert(&tx, messages)?;
        tx.commit().map_err(unavailable)
    }

    fn set_focal_points(
        &mut self,
        process: &str,
        actor: &str,
        points: &[FocalPointRecord],
    ) -> Result<(), StoreError> {
        outbox::set_focal_points(&mut self.conn, process, actor, points)
    }

    fn focal_points(&mut self) -> Result<Vec<FocalPointRecord>, StoreError> {
        outbox::focal_points(&self.conn)
    }

    fn outbox(&mut self, process: &str) -> Result<Vec<OutboxRecord>, StoreError> {
        outbox::of_process(&self.conn, process)
    }

    fn outbox_due(&mut self, now_ms: i64, limit: usize) -> Result<Vec<OutboxRecord>, StoreError> {
        outbox::due(&self.conn, now_ms, limit)
    }

    fn record_attempt(&mut self, id: i64, update: &OutboxUpdate) -> Result<(), StoreError> {
        outbox::record_attempt(&self.conn, id, update)
    }

    fn events(&mut self) -> Result<Vec<EventRecord>, StoreError> {
        self.query_events(&format!("{SELECT_EVENTS} ORDER BY id"), None)
    }

    fn process_events(&mut self, process: &str) -> Result<Vec<EventRecord>, StoreError> {
        self.query_events(&format!("{SELECT_EVENTS} WHERE process = ?1 ORDER BY seq"), Some(process))
    }

    fn process_events_after(
        &mut self,
        process: &str,
        after: u64,
        limit: usize,
    ) -> Result<Vec<EventRecord>, StoreError> {
        // Both bounds are integers formatted here, never text from a client.
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.query_events(
            &format!("{SELECT_EVENTS} WHERE process = ?1 AND seq > {after} ORDER BY seq LIMIT {limit}"),
            Some(process),
        )
    }

    fn process_heads(&mut self) -> Result<Vec<(String, u64)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT process, MAX(seq) FROM events GROUP BY process ORDER BY process")
            .map_err(unavailable)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))
            .map_err(unavailable)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(unavailable)
    }

    fn check_writable(&mut self) -> Result<(), StoreError> {
        // SQLite opens a file it may not write read-only, silently.
        if self.conn.is_readonly(rusqlite::MAIN_DB).map_err(unavailable)? {
            return Err(StoreError::Unavailable("the database is read-only".into()));
        }
        // A write lock, taken and given back: what a commit would need first.
        self.conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;").map_err(unavailable)
    }

    fn add_token(&mut self, t: &TokenRecord) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO tokens (hash, process, actor, label, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![t.hash, t.process, t.actor, t.label, t.created_at_ms],
            )
            .map(|_| ())
            .map_err(unavailable)
    }

    fn token(&mut self, hash: &str) -> Result<Option<TokenRecord>, StoreError> {
        self.conn
            .query_row(
                "SELECT hash, process, actor, label, created_at_ms FROM tokens WHERE hash = ?1",
                [hash],
                token_row,
            )
            .optional()
            .map_err(unavailable)
    }

    fn add_account(&mut self, a: &AccountRecord) -> Result<(), StoreError> {
        Self::insert_account(&self.conn, a)
    }

    fn account(&mut self, username: &str) -> Result<Option<AccountRecord>, StoreError> {
        self.conn
            .query_row(
                "SELECT username, password_hash, process, actor, created_at_ms FROM accounts WHERE username = ?1",
                [username],
                account_row,
            )
            .optional()
            .map_err(unavailable)
    }

    fn set_account_password(&mut self, username: &str, password_hash: &str) -> Result<bool, StoreError> {
        self.conn
            .execute(
                "UPDATE accounts SET password_hash = ?1 WHERE username = ?2",
                params![password_hash, username],
            )
            .map(|n| n == 1)
            .map_err(unavailable)
    }

    fn add_invitation(&mut self, i: &InvitationRecord) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO invitations (hash, process, actor, expires_at_ms) VALUES (?1, ?2, ?3, ?4)",
                params![i.hash, i.process, i.actor, i.expires_at_ms],
            )
            .map(|_| ())
            .map_err(unavailable)
    }

    fn invitation(&mut self, hash: &str, now_ms: i64) -> Result<Option<InvitationRecord>, StoreError> {
        self.conn
            .query_row(
                "SELECT hash, process, actor, expires_at_ms FROM invitations \
                 WHERE hash = ?1 AND used_by IS NULL AND expires_at_ms > ?2",
                params![hash, now_ms],
                |r| {
                    Ok(InvitationRecord {
                        hash: r.get(0)?,
                        process: r.get(1)?,
                        actor: r.get(2)?,
                        expires_at_ms: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(unavailable)
    }

    fn accept_invitation(&mut self, hash: &str, a: &AccountRecord, now_ms: i64) -> Result<bool, StoreError> {
        let tx = self.conn.transaction().map_err(unavailable)?;
        let used = tx
            .execute(
                "UPDATE invitations SET used_by = ?1 WHERE hash = ?2 AND used_by IS NULL AND expires_at_ms > ?3",
                params![a.username, hash, now_ms],
            )
            .map_err(unavailable)?;
        if used != 1 {
            return Ok(false);
        }
        Self::insert_account(&tx, a)?;
        tx.commit().map_err(unavailable)?;
        Ok(true)
    }

    fn add_web_session(&mut self, w: &WebSessionRecord) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO web_sessions (hash, username, csrf, expires_at_ms) VALUES (?1, ?2, ?3, ?4)",
                params![w.hash, w.username, w.csrf, w.expires_at_ms],
            )
            .map(|_| ())
            .map_err(unavailable)
    }

    fn web_session(&mut self, hash: &str, now_ms: i64) -> Result<Option<WebSessionRecord>, StoreError> {
        self.conn
            .query_row(
                "SELECT hash, username, csrf, expires_at_ms FROM web_sessions WHERE hash = ?1 AND expires_at_ms > ?2",
                params![hash, now_ms],
                |r| Ok(WebSessionRecord { hash: r.get(0)?, username: r.get(1)?, csrf: r.get(2)?, expires_at_ms: r.get(3)? }),
            )
            .optional()
            .map_err(unavailable)
    }

    fn login_counters(
        &mut self,
        keys: &[String],
        now_ms: i64,
    ) -> Result<Vec<Option<LoginCounter>>, StoreError> {
        crate::login_counters::sqlite::get(&self.conn, keys, now_ms)
    }

    fn change_login_counters(
        &mut self,
        changes: &[LoginCounterChange],
        now_ms: i64,
    ) -> Result<(), StoreError> {
        crate::login_counters::sqlite::change(&mut self.conn, changes, now_ms)
    }

    fn end_web_session(&mut self, hash: &str) -> Result<(), StoreError> {
        self.conn.execute("DELETE FROM web_sessions WHERE hash = ?1", [hash]).map(|_| ()).map_err(unavailable)
    }

    fn tokens(&mut self) -> Result<Vec<TokenRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT hash, process, actor, label, created_at_ms FROM tokens ORDER BY created_at_ms")
            .map_err(unavailable)?;
        let rows = stmt.query_map([], token_row).map_err(unavailable)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(unavailable)
    }
}

fn account_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AccountRecord> {
    Ok(AccountRecord {
        username: r.get(0)?,
        password_hash: r.get(1)?,
        process: r.get(2)?,
        actor: r.get(3)?,
        created_at_ms: r.get(4)?,
    })
}

fn duplicate_or_unavailable(e: rusqlite::Error, what: &str) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::ConstraintViolation => {
            StoreError::Duplicate(format!("{what} is taken"))
        }
        _ => unavailable(e),
    }
}

impl Sqlite {
    fn insert_account(conn: &Connection, a: &AccountRecord) -> Result<(), StoreError> {
        conn.execute(
            "INSERT INTO accounts (username, password_hash, process, actor, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![a.username, a.password_hash, a.process, a.actor, a.created_at_ms],
        )
        .map(|_| ())
        .map_err(|e| duplicate_or_unavailable(e, &format!("the username `{}`", a.username)))
    }
}

fn token_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TokenRecord> {
    Ok(TokenRecord {
        hash: r.get(0)?,
        process: r.get(1)?,
        actor: r.get(2)?,
        label: r.get(3)?,
        created_at_ms: r.get(4)?,
    })
}
