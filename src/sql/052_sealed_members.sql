-- Sealing, step 2, part 2: secret memberships in keyrings
-- (docs/architecture.md, "Sealing, step 2: secret memberships in keyrings").
--
-- A secret community's member is tied to an account only by an entry of
-- that account's keyring (core/keyring.h): no clear row. A clear link of a
-- secret community in member_accounts is a membership "waiting to be
-- sealed" (made before this step, or while the person had no key open),
-- moved into the keyring at the person's next sign-in.

-- A secret community that has a data key: the key's check value (a fixed
-- text encrypted under it, its place bound in), so that a member's copy
-- can be told right or wrong. Nothing here opens without a member's key.
CREATE TABLE community_seals(
    community_id INTEGER PRIMARY KEY REFERENCES communities(id) ON DELETE CASCADE,
    key_check    BLOB NOT NULL
) STRICT;

-- An invitation to a secret community carries the data key, encrypted
-- under a key derived from its token, which the server keeps only hashed:
-- the link opens it, a copy of the disk does not.
ALTER TABLE invitations ADD COLUMN sealed_key BLOB;

-- A community's data key sealed to a member who waits to be sealed, left by
-- a member who has the key (at that member's sign-in), for the moment the
-- waiting one signs in: their link then moves into their keyring with the
-- key. Keyed by member id alone; a sealed box does not name the public key
-- it was sealed to, and the row goes when it is taken.
CREATE TABLE member_key_drops(
    member_id INTEGER PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
    wrapped   BLOB NOT NULL
) STRICT;
