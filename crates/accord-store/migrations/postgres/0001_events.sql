-- The append-only event log: one row per change, never updated, never deleted.
CREATE TABLE events (
    id              BIGSERIAL PRIMARY KEY,
    process         TEXT    NOT NULL,
    seq             BIGINT  NOT NULL,
    at_ms           BIGINT  NOT NULL,
    actor           TEXT    NOT NULL,
    action          TEXT    NOT NULL,
    against         TEXT,
    idempotency_key TEXT,
    payload         TEXT    NOT NULL,
    UNIQUE (process, seq),
    UNIQUE (process, idempotency_key)
);
CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event log is append-only: events cannot be %', lower(TG_OP) || 'd';
END $$;
CREATE TRIGGER events_refuse_update BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_refuse_change();

-- API tokens, stored as SHA-256 hashes of the secret.
CREATE TABLE tokens (
    hash          TEXT    PRIMARY KEY,
    process       TEXT,
    actor         TEXT    NOT NULL,
    label         TEXT    NOT NULL,
    created_at_ms BIGINT  NOT NULL
);
