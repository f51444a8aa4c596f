-- The append-only event log: one row per change, never updated, never deleted.
CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    process         TEXT    NOT NULL,
    seq             INTEGER NOT NULL,
    at_ms           INTEGER NOT NULL,
    actor           TEXT    NOT NULL,
    action          TEXT    NOT NULL,
    against         TEXT,
    idempotency_key TEXT,
    payload         TEXT    NOT NULL,
    UNIQUE (process, seq),
    UNIQUE (process, idempotency_key)
);
CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be updated'); END;
CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be deleted'); END;

-- API tokens, stored as SHA-256 hashes of the secret.
CREATE TABLE tokens (
    hash          TEXT    PRIMARY KEY,
    process       TEXT,
    actor         TEXT    NOT NULL,
    label         TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL
);
