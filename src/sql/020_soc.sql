-- Sense of community (McMillan & Chavis): waves of anonymous ratings of the
-- four factors.
--
-- Anonymity: the fact that a member answered (soc_participation) and the
-- answer (soc_answers) share no column but the wave. Neither has a
-- timestamp; both are WITHOUT ROWID tables whose rows are ordered by their
-- key (an account id, a keyed hash), never by the time of insertion. The
-- answer's key is BLAKE2b(key = the wave's secret, account id): it lets a
-- member change their answer from any device while the wave is open, and
-- the secret is erased when the wave closes, after which nothing can
-- recompute the link. See src/areas/soc/calc.c for the limits.

CREATE TABLE soc_settings(
    community_id INTEGER PRIMARY KEY REFERENCES communities(id) ON DELETE CASCADE,
    k            INTEGER NOT NULL DEFAULT 5 CHECK (k BETWEEN 3 AND 100),
    share        INTEGER NOT NULL DEFAULT 0 CHECK (share IN (0, 1))
) STRICT;

CREATE TABLE soc_waves(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    opens_on     INTEGER NOT NULL, -- midnight UTC of the first day
    closes_on    INTEGER NOT NULL, -- midnight UTC of the last day
    closed       INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    secret       TEXT,             -- hex of 32 random bytes; NULL once closed
    members      INTEGER,          -- member count frozen at closing
    CHECK (closes_on >= opens_on)
) STRICT;
CREATE INDEX soc_waves_community ON soc_waves(community_id, opens_on);

CREATE TABLE soc_participation(
    wave_id    INTEGER NOT NULL REFERENCES soc_waves(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    PRIMARY KEY (wave_id, account_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE soc_answers(
    wave_id      INTEGER NOT NULL REFERENCES soc_waves(id) ON DELETE CASCADE,
    slot         TEXT NOT NULL, -- hex keyed hash (open wave) or random (demo)
    membership   INTEGER NOT NULL CHECK (membership BETWEEN 1 AND 10),
    influence    INTEGER NOT NULL CHECK (influence BETWEEN 1 AND 10),
    integration  INTEGER NOT NULL CHECK (integration BETWEEN 1 AND 10),
    connection   INTEGER NOT NULL CHECK (connection BETWEEN 1 AND 10),
    c_membership  TEXT NOT NULL DEFAULT '',
    c_influence   TEXT NOT NULL DEFAULT '',
    c_integration TEXT NOT NULL DEFAULT '',
    c_connection  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (wave_id, slot)
) STRICT, WITHOUT ROWID;
