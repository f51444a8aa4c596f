//! The PostgreSQL store, for a shared database server.

use postgres::error::SqlState;
use postgres::{Client, NoTls};

use crate::sqlite_store::now_ms;
use crate::{EventRecord, Migration, Store, StoreError, TokenRecord};

const MIGRATIONS: &[Migration] =
    &[Migration { version: 1, sql: include_str!("../migrations/postgres/0001_events.sql") }];

/// A PostgreSQL store.
pub struct Postgres {
    client: Client,
}

fn unavailable(e: postgres::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
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

    fn migrate(&mut self) -> Result<(), StoreError> {
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
        for m in MIGRATIONS.iter().filter(|m| m.version > current) {
            tx.batch_execute(m.sql)
                .map_err(|e| StoreError::Unavailable(format!("migration {}: {e}", m.version)))?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at_ms) VALUES ($1, $2)",
                &[&m.version, &now_ms()],
            )
            .map_err(unavailable)?;
        }
        tx.commit().map_err(unavailable)
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
    fn append(&mut self, events: &[EventRecord]) -> Result<(), StoreError> {
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
        tx.commit().map_err(unavailable)
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
