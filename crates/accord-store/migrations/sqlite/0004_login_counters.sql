-- The login throttle's counters (failed logins by account, address and
-- both; addresses known to an account), in the store so that every node
-- behind a proxy counts the same failures. A row is forgotten at
-- `expires_at_ms`.
CREATE TABLE login_counters (
    key           TEXT    PRIMARY KEY,
    count         INTEGER NOT NULL,
    last_ms       INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL
);
CREATE INDEX login_counters_expiry ON login_counters (expires_at_ms);
