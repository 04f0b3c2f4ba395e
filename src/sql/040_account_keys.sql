-- Sealing, step 1: every account's key pair, its keyring, and each
-- session's copy of the unwrapped secret key (docs/architecture.md,
-- "Sealing, step 1: keys"). The SQL of these tables lives in core/seal.c.
-- Nothing here is readable without a password or a session cookie: a copy
-- of the file holds public keys and ciphertexts only.

-- The account's X25519 key pair (libsodium crypto_box). The secret key is
-- stored only wrapped: XChaCha20-Poly1305 under a key derived from the
-- password with argon2id (its own salt, its own cost, kept with the row so
-- a later change of the default cost still opens old rows), with the
-- account id and the public key as associated data, so a wrapped key copied
-- to another account's row does not open.
CREATE TABLE account_keys(
    account_id  INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    public_key  BLOB NOT NULL CHECK (length(public_key) = 32),
    kdf_salt    BLOB NOT NULL CHECK (length(kdf_salt) = 16),
    kdf_ops     INTEGER NOT NULL,
    kdf_mem     INTEGER NOT NULL,
    wrap_nonce  BLOB NOT NULL CHECK (length(wrap_nonce) = 24),
    wrapped_key BLOB NOT NULL CHECK (length(wrapped_key) = 48)
) STRICT;

-- One sealed blob per account (crypto_box_seal to its public key), padded
-- to whole blocks, even when it holds no entry: every account that has keys
-- has exactly one row of the same size, so neither the number of rows nor
-- their length tells how many secret communities an account belongs to.
-- Why one blob and not one row per entry: docs/threat-model.md.
CREATE TABLE keyring(
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    sealed     BLOB NOT NULL
) STRICT;

-- A session's copy of the account's secret key, encrypted under a key
-- derived from the session cookie, which the server never stores (only the
-- token's hash is in sessions). Deleted with its session: sign-out, a
-- password change, expiry.
CREATE TABLE session_keys(
    token_hash TEXT PRIMARY KEY REFERENCES sessions(token_hash) ON DELETE CASCADE,
    sealed     BLOB NOT NULL
) STRICT;
