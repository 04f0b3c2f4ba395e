-- A session's copy of its account's keyring, opened: the keyring's entries
-- under a key derived from the session's cookie token (which the server
-- never stores), bound to the stored keyring they were opened from, so a
-- request opens it with one symmetric decryption instead of the keyring's
-- X25519 box; a changed keyring makes every copy stale, and the next
-- request opens the keyring and makes a new copy (core/keyring.c,
-- ring_viewer). It goes with its session, as the copy of the secret key.
ALTER TABLE session_keys ADD COLUMN ring BLOB;
