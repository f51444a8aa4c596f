//! The login throttle's counters, kept in the store rather than in one
//! node's memory: behind a proxy, every node must count the same failed
//! logins, or a guesser gets one allowance per node. The policy (what is
//! counted, how long to wait) is the server's; the store only keeps keyed
//! counters with an expiry, bounded in number.

/// Most counters kept. Past it, the half that expires first is forgotten:
/// stale failures go before the addresses known to an account, and the
/// newest (an attack under way) stay.
pub const MAX_LOGIN_COUNTERS: i64 = 40_000;

/// A counter: failures so far and when the last one was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginCounter {
    /// Failures counted (0 for a mark such as a known address).
    pub count: u32,
    /// When the last failure (or the mark) was, in ms since the epoch.
    pub last_ms: i64,
}

/// One change to the counters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginCounterChange {
    /// One more failure under `key`, forgotten `lifetime_ms` after now; a
    /// counter already expired starts again from one.
    Strike {
        /// The counter.
        key: String,
        /// How long it is kept after this failure.
        lifetime_ms: i64,
    },
    /// `key` set to zero failures at now (a mark), kept `lifetime_ms`.
    Mark {
        /// The counter.
        key: String,
        /// How long it is kept.
        lifetime_ms: i64,
    },
    /// `key` forgotten.
    Remove {
        /// The counter.
        key: String,
    },
}

fn count_of(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

pub(crate) mod sqlite {
    use rusqlite::{params, Connection, OptionalExtension};

    use super::{count_of, LoginCounter, LoginCounterChange, MAX_LOGIN_COUNTERS};
    use crate::StoreError;

    fn unavailable(e: rusqlite::Error) -> StoreError {
        StoreError::Unavailable(e.to_string())
    }

    pub(crate) fn get(
        conn: &Connection,
        keys: &[String],
        now_ms: i64,
    ) -> Result<Vec<Option<LoginCounter>>, StoreError> {
        let mut stmt = conn
            .prepare_cached("SELECT count, last_ms FROM login_counters WHERE key = ?1 AND expires_at_ms > ?2")
            .map_err(unavailable)?;
        keys.iter()
            .map(|k| {
                stmt.query_row(params![k, now_ms], |r| {
                    Ok(LoginCounter { count: count_of(r.get(0)?), last_ms: r.get(1)? })
                })
                .optional()
                .map_err(unavailable)
            })
            .collect()
    }

    pub(crate) fn change(
        conn: &mut Connection,
        changes: &[LoginCounterChange],
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let tx = conn.transaction().map_err(unavailable)?;
        for c in changes {
            match c {
                LoginCounterChange::Strike { key, lifetime_ms } => tx.execute(
                    "INSERT INTO login_counters (key, count, last_ms, expires_at_ms) VALUES (?1, 1, ?2, ?3) \
                     ON CONFLICT (key) DO UPDATE SET \
                     count = CASE WHEN login_counters.expires_at_ms <= ?2 THEN 1 ELSE login_counters.count + 1 END, \
                     last_ms = ?2, expires_at_ms = ?3",
                    params![key, now_ms, now_ms.saturating_add(*lifetime_ms)],
                ),
                LoginCounterChange::Mark { key, lifetime_ms } => tx.execute(
                    "INSERT INTO login_counters (key, count, last_ms, expires_at_ms) VALUES (?1, 0, ?2, ?3) \
                     ON CONFLICT (key) DO UPDATE SET count = 0, last_ms = ?2, expires_at_ms = ?3",
                    params![key, now_ms, now_ms.saturating_add(*lifetime_ms)],
                ),
                LoginCounterChange::Remove { key } => {
                    tx.execute("DELETE FROM login_counters WHERE key = ?1", [key])
                }
            }
            .map_err(unavailable)?;
        }
        tx.execute("DELETE FROM login_counters WHERE expires_at_ms <= ?1", [now_ms]).map_err(unavailable)?;
        let n: i64 =
            tx.query_row("SELECT count(*) FROM login_counters", [], |r| r.get(0)).map_err(unavailable)?;
        if n > MAX_LOGIN_COUNTERS {
            tx.execute(
                "DELETE FROM login_counters WHERE key IN \
                 (SELECT key FROM login_counters ORDER BY expires_at_ms LIMIT ?1)",
                [n / 2],
            )
            .map_err(unavailable)?;
        }
        tx.commit().map_err(unavailable)
    }
}

pub(crate) mod postgres {
    use postgres::Client;

    use super::{count_of, LoginCounter, LoginCounterChange, MAX_LOGIN_COUNTERS};
    use crate::postgres_store::unavailable;
    use crate::StoreError;

    pub(crate) fn get(
        client: &mut Client,
        keys: &[String],
        now_ms: i64,
    ) -> Result<Vec<Option<LoginCounter>>, StoreError> {
        let rows = client
            .query(
                "SELECT key, count, last_ms FROM login_counters WHERE key = ANY($1) AND expires_at_ms > $2",
                &[&keys, &now_ms],
            )
            .map_err(unavailable)?;
        let found: std::collections::HashMap<&str, LoginCounter> = rows
            .iter()
            .map(|r| {
                let counter =
                    LoginCounter { count: count_of(i64::from(r.get::<_, i32>(1))), last_ms: r.get(2) };
                (r.get::<_, &str>(0), counter)
            })
            .collect();
        Ok(keys.iter().map(|k| found.get(k.as_str()).copied()).collect())
    }

    pub(crate) fn change(
        client: &mut Client,
        changes: &[LoginCounterChange],
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = client.transaction().map_err(unavailable)?;
        let strike = tx
            .prepare(
                "INSERT INTO login_counters (key, count, last_ms, expires_at_ms) VALUES ($1, 1, $2, $3) \
                 ON CONFLICT (key) DO UPDATE SET \
                 count = CASE WHEN login_counters.expires_at_ms <= $2 THEN 1 ELSE login_counters.count + 1 END, \
                 last_ms = $2, expires_at_ms = $3",
            )
            .map_err(unavailable)?;
        let mark = tx
            .prepare(
                "INSERT INTO login_counters (key, count, last_ms, expires_at_ms) VALUES ($1, 0, $2, $3) \
                 ON CONFLICT (key) DO UPDATE SET count = 0, last_ms = $2, expires_at_ms = $3",
            )
            .map_err(unavailable)?;
        for c in changes {
            match c {
                LoginCounterChange::Strike { key, lifetime_ms } => {
                    tx.execute(&strike, &[key, &now_ms, &now_ms.saturating_add(*lifetime_ms)])
                }
                LoginCounterChange::Mark { key, lifetime_ms } => {
                    tx.execute(&mark, &[key, &now_ms, &now_ms.saturating_add(*lifetime_ms)])
                }
                LoginCounterChange::Remove { key } => {
                    tx.execute("DELETE FROM login_counters WHERE key = $1", &[key])
                }
            }
            .map_err(unavailable)?;
        }
        tx.execute("DELETE FROM login_counters WHERE expires_at_ms <= $1", &[&now_ms])
            .map_err(unavailable)?;
        let n: i64 = tx.query_one("SELECT count(*) FROM login_counters", &[]).map_err(unavailable)?.get(0);
        if n > MAX_LOGIN_COUNTERS {
            tx.execute(
                "DELETE FROM login_counters WHERE key IN \
                 (SELECT key FROM login_counters ORDER BY expires_at_ms LIMIT $1)",
                &[&(n / 2)],
            )
            .map_err(unavailable)?;
        }
        tx.commit().map_err(unavailable)
    }
}
