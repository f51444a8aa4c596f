-- People who log in to the web application, with argon2id password hashes.
CREATE TABLE accounts (
    username      TEXT    PRIMARY KEY,
    password_hash TEXT    NOT NULL,
    process       TEXT,
    actor         TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL
);

-- Invitation links (stored as SHA-256 hashes), used once.
CREATE TABLE invitations (
    hash          TEXT    PRIMARY KEY,
    process       TEXT,
    actor         TEXT    NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    used_by       TEXT
);

-- Browser sessions (the cookie's SHA-256 hash) with their CSRF token.
CREATE TABLE web_sessions (
    hash          TEXT    PRIMARY KEY,
    username      TEXT    NOT NULL,
    csrf          TEXT    NOT NULL,
    expires_at_ms INTEGER NOT NULL
);
