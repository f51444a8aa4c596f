-- Focal points: the people mail for a participant goes to (by actor label).
CREATE TABLE focal_points (
    process  TEXT    NOT NULL,
    actor    TEXT    NOT NULL,
    position INTEGER NOT NULL,
    name     TEXT    NOT NULL,
    email    TEXT    NOT NULL,
    PRIMARY KEY (process, actor, position)
);

-- The outbox: mail an event causes, recorded in the event's transaction.
CREATE TABLE outbox (
    id                 INTEGER PRIMARY KEY,
    message_id         TEXT    NOT NULL UNIQUE,
    process            TEXT    NOT NULL,
    seq                INTEGER NOT NULL,
    kind               TEXT    NOT NULL,
    draft              TEXT,
    recipient_actor    TEXT    NOT NULL,
    recipient_name     TEXT    NOT NULL,
    recipient_email    TEXT    NOT NULL,
    subject            TEXT    NOT NULL,
    body               TEXT    NOT NULL,
    state              TEXT    NOT NULL,
    attempts           INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms INTEGER,
    last_error         TEXT,
    created_at_ms      INTEGER NOT NULL,
    sent_at_ms         INTEGER
);
CREATE INDEX outbox_due ON outbox (next_attempt_at_ms) WHERE next_attempt_at_ms IS NOT NULL;
CREATE INDEX outbox_process ON outbox (process, id);
