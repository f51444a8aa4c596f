//! The outbox and the focal points in PostgreSQL (see [`crate::outbox`]).

use postgres::{Client, GenericClient};

use crate::{FocalPointRecord, OutboxRecord, OutboxState, OutboxUpdate, StoreError};

use crate::postgres_store::unavailable;

const SELECT: &str = "SELECT id, message_id, process, seq, kind, draft, recipient_actor, recipient_name, \
    recipient_email, subject, body, state, attempts, next_attempt_at_ms, last_error, created_at_ms, sent_at_ms \
    FROM outbox";

/// Inserts `messages` (inside the caller's transaction).
pub(crate) fn insert(tx: &mut impl GenericClient, messages: &[OutboxRecord]) -> Result<(), StoreError> {
    if messages.is_empty() {
        return Ok(());
    }
    let stmt = tx
        .prepare(
            "INSERT INTO outbox (message_id, process, seq, kind, draft, recipient_actor, recipient_name, \
             recipient_email, subject, body, state, attempts, next_attempt_at_ms, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .map_err(unavailable)?;
    for m in messages {
        let seq = m.seq as i64;
        let attempts = i32::try_from(m.attempts).unwrap_or(i32::MAX);
        tx.execute(
            &stmt,
            &[
                &m.message_id,
                &m.process,
                &seq,
                &m.kind,
                &m.draft,
                &m.recipient_actor,
                &m.recipient_name,
                &m.recipient_email,
                &m.subject,
                &m.body,
                &m.state.as_str(),
                &attempts,
                &m.next_attempt_at_ms,
                &m.created_at_ms,
            ],
        )
        .map_err(|e| {
            StoreError::Conflict(format!("message {} is already in the outbox: {e}", m.message_id))
        })?;
    }
    Ok(())
}

fn row(r: postgres::Row) -> OutboxRecord {
    OutboxRecord {
        id: r.get(0),
        message_id: r.get(1),
        process: r.get(2),
        seq: r.get::<_, i64>(3) as u64,
        kind: r.get(4),
        draft: r.get(5),
        recipient_actor: r.get(6),
        recipient_name: r.get(7),
        recipient_email: r.get(8),
        subject: r.get(9),
        body: r.get(10),
        state: OutboxState::parse(r.get(11)),
        attempts: u32::try_from(r.get::<_, i32>(12)).unwrap_or(0),
        next_attempt_at_ms: r.get(13),
        last_error: r.get(14),
        created_at_ms: r.get(15),
        sent_at_ms: r.get(16),
    }
}

/// One process's outbox, oldest first.
pub(crate) fn of_process(client: &mut Client, process: &str) -> Result<Vec<OutboxRecord>, StoreError> {
    let rows = client
        .query(&format!("{SELECT} WHERE process = $1 ORDER BY id"), &[&process])
        .map_err(unavailable)?;
    Ok(rows.into_iter().map(row).collect())
}

/// Claims the messages due at `now_ms`, oldest first: each is not due again
/// for [`crate::CLAIM_MS`], so another node's worker leaves it alone (rows
/// another worker is claiming at this moment are skipped, not waited for).
pub(crate) fn due(client: &mut Client, now_ms: i64, limit: usize) -> Result<Vec<OutboxRecord>, StoreError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let until = now_ms.saturating_add(crate::CLAIM_MS);
    let returning = SELECT.trim_start_matches("SELECT ").trim_end_matches(" FROM outbox");
    let rows = client
        .query(
            &format!(
                "UPDATE outbox SET next_attempt_at_ms = $3 WHERE id IN (SELECT id FROM outbox \
                 WHERE next_attempt_at_ms IS NOT NULL AND next_attempt_at_ms <= $1 ORDER BY id LIMIT $2 \
                 FOR UPDATE SKIP LOCKED) RETURNING {returning}"
            ),
            &[&now_ms, &limit, &until],
        )
        .map_err(unavailable)?;
    let mut claimed: Vec<OutboxRecord> = rows.into_iter().map(row).collect();
    claimed.sort_by_key(|m| m.id);
    Ok(claimed)
}

/// Records an attempt's outcome.
pub(crate) fn record_attempt(client: &mut Client, id: i64, u: &OutboxUpdate) -> Result<(), StoreError> {
    let attempts = i32::try_from(u.attempts).unwrap_or(i32::MAX);
    client
        .execute(
            "UPDATE outbox SET state = $1, attempts = $2, next_attempt_at_ms = $3, last_error = $4, sent_at_ms = $5 \
             WHERE id = $6",
            &[&u.state.as_str(), &attempts, &u.next_attempt_at_ms, &u.last_error, &u.sent_at_ms, &id],
        )
        .map(|_| ())
        .map_err(unavailable)
}

/// Replaces one actor's focal points, in one transaction.
pub(crate) fn set_focal_points(
    client: &mut Client,
    process: &str,
    actor: &str,
    points: &[FocalPointRecord],
) -> Result<(), StoreError> {
    let mut tx = client.transaction().map_err(unavailable)?;
    tx.execute("DELETE FROM focal_points WHERE process = $1 AND actor = $2", &[&process, &actor])
        .map_err(unavailable)?;
    for (i, p) in points.iter().enumerate() {
        let position = i32::try_from(i).unwrap_or(i32::MAX);
        tx.execute(
            "INSERT INTO focal_points (process, actor, position, name, email) VALUES ($1, $2, $3, $4, $5)",
            &[&process, &actor, &position, &p.name, &p.email],
        )
        .map_err(unavailable)?;
    }
    tx.commit().map_err(unavailable)
}

/// Every focal point.
pub(crate) fn focal_points(client: &mut Client) -> Result<Vec<FocalPointRecord>, StoreError> {
    let rows = client
        .query("SELECT process, actor, name, email FROM focal_points ORDER BY process, actor, position", &[])
        .map_err(unavailable)?;
    Ok(rows
        .into_iter()
        .map(|r| FocalPointRecord { process: r.get(0), actor: r.get(1), name: r.get(2), email: r.get(3) })
        .collect())
}
