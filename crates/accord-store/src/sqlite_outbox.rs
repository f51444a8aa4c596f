//! The outbox and the focal points in SQLite (see [`crate::outbox`]).

use rusqlite::{params, Connection};

use crate::{FocalPointRecord, OutboxRecord, OutboxState, OutboxUpdate, StoreError};

fn unavailable(e: rusqlite::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

const SELECT: &str = "SELECT id, message_id, process, seq, kind, draft, recipient_actor, recipient_name, \
    recipient_email, subject, body, state, attempts, next_attempt_at_ms, last_error, created_at_ms, sent_at_ms \
    FROM outbox";

/// Inserts `messages` (inside the caller's transaction).
pub(crate) fn insert(conn: &Connection, messages: &[OutboxRecord]) -> Result<(), StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "INSERT INTO outbox (message_id, process, seq, kind, draft, recipient_actor, recipient_name, \
             recipient_email, subject, body, state, attempts, next_attempt_at_ms, created_at_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )
        .map_err(unavailable)?;
    for m in messages {
        stmt.execute(params![
            m.message_id,
            m.process,
            m.seq as i64,
            m.kind,
            m.draft,
            m.recipient_actor,
            m.recipient_name,
            m.recipient_email,
            m.subject,
            m.body,
            m.state.as_str(),
            m.attempts,
            m.next_attempt_at_ms,
            m.created_at_ms
        ])
        .map_err(|e| {
            StoreError::Conflict(format!("message {} is already in the outbox: {e}", m.message_id))
        })?;
    }
    Ok(())
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxRecord> {
    Ok(OutboxRecord {
        id: r.get(0)?,
        message_id: r.get(1)?,
        process: r.get(2)?,
        seq: r.get::<_, i64>(3)? as u64,
        kind: r.get(4)?,
        draft: r.get(5)?,
        recipient_actor: r.get(6)?,
        recipient_name: r.get(7)?,
        recipient_email: r.get(8)?,
        subject: r.get(9)?,
        body: r.get(10)?,
        state: OutboxState::parse(&r.get::<_, String>(11)?),
        attempts: r.get(12)?,
        next_attempt_at_ms: r.get(13)?,
        last_error: r.get(14)?,
        created_at_ms: r.get(15)?,
        sent_at_ms: r.get(16)?,
    })
}

/// One process's outbox, oldest first.
pub(crate) fn of_process(conn: &Connection, process: &str) -> Result<Vec<OutboxRecord>, StoreError> {
    let mut stmt =
        conn.prepare_cached(&format!("{SELECT} WHERE process = ?1 ORDER BY id")).map_err(unavailable)?;
    let rows = stmt.query_map([process], row).map_err(unavailable)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(unavailable)
}

/// Messages due at `now_ms`, oldest first. Not claimed, unlike PostgreSQL's:
/// one server holds a SQLite data directory (its lock), so no other worker
/// can take them, and a server restarted after a crash sends at once what
/// the dead one had taken.
pub(crate) fn due(conn: &Connection, now_ms: i64, limit: usize) -> Result<Vec<OutboxRecord>, StoreError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut stmt = conn
        .prepare_cached(&format!(
            "{SELECT} WHERE next_attempt_at_ms IS NOT NULL AND next_attempt_at_ms <= ?1 ORDER BY id LIMIT ?2"
        ))
        .map_err(unavailable)?;
    let rows = stmt.query_map(params![now_ms, limit], row).map_err(unavailable)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(unavailable)
}

/// Records an attempt's outcome.
pub(crate) fn record_attempt(conn: &Connection, id: i64, u: &OutboxUpdate) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE outbox SET state = ?1, attempts = ?2, next_attempt_at_ms = ?3, last_error = ?4, sent_at_ms = ?5 \
         WHERE id = ?6",
        params![u.state.as_str(), u.attempts, u.next_attempt_at_ms, u.last_error, u.sent_at_ms, id],
    )
    .map(|_| ())
    .map_err(unavailable)
}

/// Replaces one actor's focal points, in one transaction.
pub(crate) fn set_focal_points(
    conn: &mut Connection,
    process: &str,
    actor: &str,
    points: &[FocalPointRecord],
) -> Result<(), StoreError> {
    let tx = conn.transaction().map_err(unavailable)?;
    tx.execute("DELETE FROM focal_points WHERE process = ?1 AND actor = ?2", params![process, actor])
        .map_err(unavailable)?;
    for (i, p) in points.iter().enumerate() {
        tx.execute(
            "INSERT INTO focal_points (process, actor, position, name, email) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![process, actor, i as i64, p.name, p.email],
        )
        .map_err(unavailable)?;
    }
    tx.commit().map_err(unavailable)
}

/// Every focal point.
pub(crate) fn focal_points(conn: &Connection) -> Result<Vec<FocalPointRecord>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT process, actor, name, email FROM focal_points ORDER BY process, actor, position",
        )
        .map_err(unavailable)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(FocalPointRecord { process: r.get(0)?, actor: r.get(1)?, name: r.get(2)?, email: r.get(3)? })
        })
        .map_err(unavailable)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(unavailable)
}
