-- Sign-in throttling without the typed text (issue 13, the audit's "failed
-- sign-ins store the typed handle"): a password typed into the handle field
-- was kept in clear, and every random handle added a row for good. Rows are
-- now named by a keyed hash of what was typed (the key is the instance's
-- secret, so a copy of this table alone does not let anyone test guesses
-- offline against it without the settings table too) and pruned once a day
-- old. The old rows are dropped: a throttle that restarts is harmless.
DROP TABLE login_throttle;
CREATE TABLE login_throttle(
    key          TEXT PRIMARY KEY,   -- hex BLAKE2b, keyed; never the handle
    failures     INTEGER NOT NULL,
    locked_until INTEGER NOT NULL,
    last_at      INTEGER NOT NULL    -- the last failure, for pruning
) STRICT;
CREATE INDEX login_throttle_last ON login_throttle(last_at);

-- Browsers that signed in to an account before (issue 13, the audit's
-- "anyone can lock any account"): the lock that five wrong guesses put on a
-- handle applies to browsers without such a cookie; from a known browser
-- the owner's right password still gets in, and that browser's own wrong
-- guesses are throttled by its key. Only the cookie's hash is kept, with
-- the day it was last used: no address, no user agent.
CREATE TABLE known_browsers(
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    last_day   INTEGER NOT NULL
) STRICT;
CREATE INDEX known_browsers_account ON known_browsers(account_id, last_day);
