-- A second factor for accounts (issue 13): TOTP (RFC 6238, 30 s, 6 digits,
-- SHA-1, what authenticator apps read) with ten one-time recovery codes,
-- and the pending sign-ins between the right password and the right code.

-- One row per account that started or finished setting up the factor. The
-- 20-byte secret is stored only encrypted (XChaCha20-Poly1305 under a key
-- derived from the instance secret, the account id bound in), so this table
-- alone, copied without the settings, gives no code. confirmed is 0 while
-- the person has not yet typed a code from their app: such a row does not
-- ask for a code at sign-in. last_step is the TOTP step of the last code
-- accepted: a code of that step or an earlier one is refused (replay).
CREATE TABLE account_second_factor(
    account_id  INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    secret_box  BLOB NOT NULL,
    confirmed   INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
    last_step   INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Recovery codes: random, so a keyed hash (the instance secret) is enough
-- (not argon2id: they are not passwords a person chose). A used code is
-- deleted; making new ones deletes every old one.
CREATE TABLE account_recovery_codes(
    code_hash  TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE
) STRICT;
CREATE INDEX account_recovery_codes_account ON account_recovery_codes(account_id);

-- A sign-in whose password was right and whose code is still to come: no
-- session exists until the code is right. The cookie holds the token, the
-- row its hash; it lives five minutes. throttle_key is the key the password
-- step was throttled as (a keyed hash, never the handle), so wrong codes
-- count with wrong passwords. seal_box carries the account's secret key
-- from the password step to the session (encrypted under the pending
-- cookie, as session_keys are under the session's), NULL when none.
CREATE TABLE login_pending(
    token_hash   TEXT PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    throttle_key TEXT NOT NULL,
    browser_hash TEXT NOT NULL,  -- the hr_known cookie's hash, '' when none
    known        INTEGER NOT NULL,
    seal_box     BLOB,
    expires_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX login_pending_expires ON login_pending(expires_at);
