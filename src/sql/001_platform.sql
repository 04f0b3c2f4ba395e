-- The platform: instance settings, accounts, sessions, sign-in throttling.
-- Accounts are pseudonymous: a handle and a display name, no real name,
-- no e-mail, no phone. No IP address is stored anywhere.

CREATE TABLE settings(
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE accounts(
    id            INTEGER PRIMARY KEY,
    handle        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    lang          TEXT,                      -- NULL: follow the browser
    is_admin      INTEGER NOT NULL DEFAULT 0,
    is_coord      INTEGER NOT NULL DEFAULT 0,
    is_demo       INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
) STRICT;

-- The session token lives only in the browser's cookie; we keep its hash,
-- so a copy of the database does not let anyone sign in as anyone.
CREATE TABLE sessions(
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_account ON sessions(account_id);

-- Failed sign-ins per handle, known or not, so that throttling does not
-- tell which handles exist.
CREATE TABLE login_throttle(
    handle       TEXT PRIMARY KEY COLLATE NOCASE,
    failures     INTEGER NOT NULL,
    locked_until INTEGER NOT NULL
) STRICT;
