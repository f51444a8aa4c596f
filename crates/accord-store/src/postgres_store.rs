//! The PostgreSQL store, for a shared database server.

use postgres::error::SqlState;
use postgres::{Client, NoTls};

use crate::postgres_outbox as outbox;
use crate::sqlite_store::now_ms;
use crate::{
    AccountRecord, EventRecord, FocalPointRecord, InvitationRecord, LoginCounter, LoginCounterChange,
    Migration, OutboxRecord, OutboxUpdate, Store, StoreError, TokenRecord, WebSessionRecord,
};

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, sql: include_str!("../migrations/postgres/0001_events.sql") },
    Migration { version: 2, sql: include_str!("../migrations/postgres/0002_accounts.sql") },
    Migration { version: 3, sql: include_str!("../migrations/postgres/0003_outbox.sql") },
    Migration { version: 4, sql: include_str!("../migrations/postgres/0004_notify.sql") },
    Migration { version: 5, sql: include_str!("../migrations/postgres/0005_login_counters.sql") },
];

/// A PostgreSQL store.
pub struct Postgres {
    client: Client,
}

pub(crate) fn unavailable(e: postgres::Error) -> StoreError {
    // The server's own message, not only "db error".
    match e.as_db_error() {
        Some(db) => StoreError::Unavailable(format!("PostgreSQL: {}", db.message())),
        None => StoreError::Unavailable(e.to_string()),
    }
}

impl Postgres {
    /// Connects to `url` (`postgres://user@host/db`) and brings the schema up
    /// to date. Must not be called from inside an async runtime.
    pub fn connect(url: &str) -> Result<Postgres, StoreError> {
        let client = Client::connect(url, NoTls)
            .map_err(|e| StoreError::Unavailable(format!("cannot connect to PostgreSQL: {e}")))?;
        let mut store = Postgres { client };
        store.migrate()?;
        Ok(store)
    }

    /// A store on an open connection, schema as it is (see [`Postgres::migrate`]).
    pub(crate) fn from_client(client: Client) -> Postgres {
        Postgres { client }
    }

    /// Connects to `url` without migrating: a database whose schema is
    /// behind this Accord's is refused, naming `accord migrate` (several
    /// nodes share the database: its schema changes when an operator says
    /// so, not when some node restarts).
    pub fn connect_current(url: &str) -> Result<Postgres, StoreError> {
        let client = Client::connect(url, NoTls)
            .map_err(|e| StoreError::Unavailable(format!("cannot connect to PostgreSQL: {e}")))?;
        let mut store = Postgres { client };
        let has_schema: bool = store
            .client
            .query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])
            .map_err(unavailable)?
            .get(0);
        let current: i64 = if has_schema {
            store
                .client
                .query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[])
                .map_err(unavailable)?
                .get(0)
        } else {
            0
        };
        crate::refuse_newer(current, MIGRATIONS)?;
        let known = MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0);
        if current < known {
            return Err(StoreError::Unavailable(format!(
                "the database's schema is at version {current} and this Accord needs version {known}: \
                 run `accord migrate --database-url …` first"
            )));
        }
        Ok(store)
    }

    /// Brings the schema up to date; the versions before and after.
    pub fn migrate(&mut self) -> Result<(i64, i64), StoreError> {
        let mut tx = self.client.transaction().map_err(unavailable)?;
        // One migrator at a time, across processes.
        tx.batch_execute(
            "SELECT pg_advisory_xact_lock(7345001);
             CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at_ms BIGINT NOT NULL)",
        )
        .map_err(unavailable)?;
        let current: i64 = tx
            .query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[])
            .map_err(unavailable)?
            .get(0);
        crate::refuse_newer(current, MIGRATIONS)?;
        let mut now = current;
        for m in MIGRATIONS.iter().filter(|m| m.version > current) {
            tx.batch_execute(m.sql)
                .map_err(|e| StoreError::Unavailable(format!("migration {}: {e}", m.version)))?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at_ms) VALUES ($1, $2)",
                &[&m.version, &now_ms()],
            )
            .map_err(unavailable)?;
            now = m.version;
        }
        tx.commit().map_err(unavailable)?;
        Ok((current, now))
    }

    fn rows_to_events(rows: Vec<postgres::Row>) -> Vec<EventRecord> {
        rows.into_iter()
            .map(|r| EventRecord {
                process: r.get(0),
                seq: r.get::<_, i64>(1) as u64,
                at_ms: r.get(2),
                actor: r.get(3),
                action: r.get(4),
                against: r.get(5),
                idempotency_key: r.get(6),
                payload: r.get(7),
            })
            .collect()
    }
}

const SELECT_EVENTS: &str =
    "SELECT process, seq, at_ms, actor, action, against, idempotency_key, payload FROM events";

impl Store for Postgres {
    fn append_with_outbox(
        &mut self,
        events: &[EventRecord],
        messages: &[OutboxRecord],
    ) -> Result<(), StoreError> {
        let mut tx = self.client.transaction().map_err(unavailable)?;
        let stmt = tx
            .prepare(
                "INSERT INTO events (process, seq, at_ms, actor, action, against, idempotency_key, payload) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .map_err(unavailable)?;
        for e in events {
            let seq = e.seq as i64;
            if let Err(err) = tx.execute(
                &stmt,
                &[
                    &e.process,
                    &seq,
                    &e.at_ms,
                    &e.actor,
                    &e.action,
                    &e.against,
                    &e.idempotency_key,
                    &e.payload,
                ],
            ) {
                if err.code() == Some(&SqlState::UNIQUE_VIOLATION) {
                    let on_key = err
                        .as_db_error()
                        .and_then(|d| d.constraint())
                        .is_some_and(|c| c.contains("idempotency"));
                    return Err(if on_key {
                        StoreError::Duplicate(format!(
                            "request {} is already recorded in process {}",
                            e.idempotency_key.as_deref().unwrap_or(""),
                            e.process
                        ))
                    } else {
                        StoreError::Conflict(format!(
                            "event {} of process {} is already recorded",
                            e.seq, e.process
                        ))
                    });
                }
                return Err(unavailable(err));
            }
        }
        outbox::insert(&mut tx, messages)?;
        tx.commit().map_err(unavailable)
    }

    fn set_focal_points(
        &mut self,
        process: &str,
        actor: &str,
        points: &[FocalPointRecord],
    ) -> Result<(), StoreError> {
        outbox::set_focal_points(&mut self.client, process, actor, points)
    }

    fn focal_points(&mut self) -> Result<Vec<FocalPointRecord>, StoreError> {
        outbox::focal_points(&mut self.client)
    }

    fn outbox(&mut self, process: &str) -> Result<Vec<OutboxRecord>, StoreError> {
        outbox::of_process(&mut self.client, process)
    }

    fn outbox_due(&mut self, now_ms: i64, limit: usize) -> Result<Vec<OutboxRecord>, StoreError> {
        outbox::due(&mut self.client, now_ms, limit)
    }

    fn record_attempt(&mut self, id: i64, update: &OutboxUpdate) -> Result<(), StoreError> {
        outbox::record_attempt(&mut self.client, id, update)
    }

    fn events(&mut self) -> Result<Vec<EventRecord>, StoreError> {
        let rows = self.client.query(&format!("{SELECT_EVENTS} ORDER BY id"), &[]).map_err(unavailable)?;
        Ok(Self::rows_to_events(rows))
    }

    fn process_events(&mut self, process: &str) -> Result<Vec<EventRecord>, StoreError> {
        let rows = self
            .client
            .query(&format!("{SELECT_EVENTS} WHERE process = $1 ORDER BY seq"), &[&process])
            .map_err(unavailable)?;
        Ok(Self::rows_to_events(rows))
    }

    fn process_events_after(
        &mut self,
        process: &str,
        after: u64,
        limit: usize,
    ) -> Result<Vec<EventRecord>, StoreError> {
        // A page of the log, read by the primary key's order: never the rest.
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self
            .client
            .query(
                &format!("{SELECT_EVENTS} WHERE process = $1 AND seq > $2 ORDER BY seq LIMIT $3"),
                &[&process, &after, &limit],
            )
            .map_err(unavailable)?;
        Ok(Self::rows_to_events(rows))
    }

    fn process_heads(&mut self) -> Result<Vec<(String, u64)>, StoreError> {
        let rows = self
            .client
            .query("SELECT process, MAX(seq) FROM events GROUP BY process ORDER BY process", &[])
            .map_err(unavailable)?;
        Ok(rows.into_iter().map(|r| (r.get(0), r.get::<_, i64>(1) as u64)).collect())
    }

    fn add_token(&mut self, t: &TokenRecord) -> Result<(), StoreError> {
        self.client
            .execute(
                "INSERT INTO tokens (hash, process, actor, label, created_at_ms) VALUES ($1, $2, $3, $4, $5)",
                &[&t.hash, &t.process, &t.actor, &t.label, &t.created_at_ms],
            )
            .map(|_| ())
            .map_err(unavailable)
    }

    fn token(&mut self, hash: &str) -> Result<Option<TokenRecord>, StoreError> {
        let row = self
            .client
            .query_opt(
                "SELECT hash, process, actor, label, created_at_ms FROM tokens WHERE hash = $1",
                &[&hash],
            )
            .map_err(unavailable)?;
        Ok(row.map(|r| TokenRecord {
            hash: r.get(0),
            process: r.get(1),
            actor: r.get(2),
            label: r.get(3),
            created_at_ms: r.get(4),
        }))
    }

    fn add_account(&mut self, a: &AccountRecord) -> Result<(), StoreError> {
        insert_account(&mut self.client, a)
    }

    fn account(&mut self, username: &str) -> Result<Option<AccountRecord>, StoreError> {
        let row = self
            .client
            .query_opt(
                "SELECT username, password_hash, process, actor, created_at_ms FROM accounts WHERE username = $1",
                &[&username],
            )
            .map_err(unavailable)?;
        Ok(row.map(|r| AccountRecord {
            username: r.get(0),
            password_hash: r.get(1),
            process: r.get(2),
            actor: r.get(3),
            created_at_ms: r.get(4),
        }))
    }

    fn set_account_password(&mut self, username: &str, password_hash: &str) -> Result<bool, StoreError> {
        self.client
            .execute(
                "UPDATE accounts SET password_hash = $1 WHERE username = $2",
                &[&password_hash, &username],
            )
            .map(|n| n == 1)
            .map_err(unavailable)
    }

    fn add_invitation(&mut self, i: &InvitationRecord) -> Result<(), StoreError> {
        self.client
            .execute(
                "INSERT INTO invitations (hash, process, actor, expires_at_ms) VALUES ($1, $2, $3, $4)",
                &[&i.hash, &i.process, &i.actor, &i.expires_at_ms],
            )
            .map(|_| ())
            .map_err(unavailable)
    }

    fn invitation(&mut self, hash: &str, now_ms: i64) -> Result<Option<InvitationRecord>, StoreError> {
        let row = self
            .client
            .query_opt(
                "SELECT hash, process, actor, expires_at_ms FROM invitations \
                 WHERE hash = $1 AND used_by IS NULL AND expires_at_ms > $2",
                &[&hash, &now_ms],
            )
            .map_err(unavailable)?;
        Ok(row.map(|r| InvitationRecord {
            hash: r.get(0),
            process: r.get(1),
            actor: r.get(2),
            expires_at_ms: r.get(3),
        }))
    }

    fn accept_invitation(&mut self, hash: &str, a: &AccountRecord, now_ms: i64) -> Result<bool, StoreError> {
        let mut tx = self.client.transaction().map_err(unavailable)?;
        let used = tx
            .execute(
                "UPDATE invitations SET used_by = $1 WHERE hash = $2 AND used_by IS NULL AND expires_at_ms > $3",
                &[&a.username, &hash, &now_ms],
            )
            .map_err(unavailable)?;
        if used != 1 {
            return Ok(false);
        }
        let inserted = tx.execute(
            "INSERT INTO accounts (username, password_hash, process, actor, created_at_ms) VALUES ($1, $2, $3, $4, $5)",
            &[&a.username, &a.password_hash, &a.process, &a.actor, &a.created_at_ms],
        );
        match inserted {
            Ok(_) => {}
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                return Err(StoreError::Duplicate(format!("the username `{}` is taken", a.username)))
            }
            Err(e) => return Err(unavailable(e)),
        }
        tx.commit().map_err(unavailable)?;
        Ok(true)
    }

    fn add_web_session(&mut self, w: &WebSessionRecord) -> Result<(), StoreError> {
        self.client
            .execute(
                "INSERT INTO web_sessions (hash, username, csrf, expires_at_ms) VALUES ($1, $2, $3, $4)",
                &[&w.hash, &w.username, &w.csrf, &w.expires_at_ms],
            )
            .map(|_| ())
            .map_err(unavailable)
    }

    fn web_session(&mut self, hash: &str, now_ms: i64) -> Result<Option<WebSessionRecord>, StoreError> {
        let row = self
            .client
            .query_opt(
                "SELECT hash, username, csrf, expires_at_ms FROM web_sessions WHERE hash = $1 AND expires_at_ms > $2",
                &[&hash, &now_ms],
            )
            .map_err(unavailable)?;
        Ok(row.map(|r| WebSessionRecord {
            hash: r.get(0),
            username: r.get(1),
            csrf: r.get(2),
            expires_at_ms: r.get(3),
        }))
    }

    fn login_counters(
        &mut self,
        keys: &[String],
        now_ms: i64,
    ) -> Result<Vec<Option<LoginCounter>>, StoreError> {
        crate::login_counters::postgres::get(&mut self.client, keys, now_ms)
    }

    fn change_login_counters(
        &mut self,
        changes: &[LoginCounterChange],
        now_ms: i64,
    ) -> Result<(), StoreError> {
        crate::login_counters::postgres::change(&mut self.client, changes, now_ms)
    }

    fn end_web_session(&mut self, hash: &str) -> Result<(), StoreError> {
        self.client
            .execute("DELETE FROM web_sessions WHERE hash = $1", &[&hash])
            .map(|_| ())
            .map_err(unavailable)
    }

    fn tokens(&mut self) -> Result<Vec<TokenRecord>, StoreError> {
        let rows = self
            .client
            .query(
                "SELECT hash, process, actor, label, created_at_ms FROM tokens ORDER BY created_at_ms",
                &[],
            )
            .map_err(unavailable)?;
        Ok(rows
            .into_iter()
            .map(|r| TokenRecord {
                hash: r.get(0),
                process: r.get(1),
                actor: r.get(2),
                label: r.get(3),
                created_at_ms: r.get(4),
            })
            .collect())
    }
}

fn insert_account(client: &mut Client, a: &AccountRecord) -> Result<(), StoreError> {
    match client.execute(
        "INSERT INTO accounts (username, password_hash, process, actor, created_at_ms) VALUES ($1, $2, $3, $4, $5)",
        &[&a.username, &a.password_hash, &a.process, &a.actor, &a.created_at_ms],
    ) {
        Ok(_) => Ok(()),
        Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
            Err(StoreError::Duplicate(format!("the username `{}` is taken", a.username)))
        }
        Err(e) => Err(unavailable(e)),
    }
}
