-- The ballot box (src/core/ballot.h): one mechanism for every secret vote.
--
-- Nothing here may let a copy of the file tie a voter to a ballot:
-- * ballot_roll is written when the box opens, one row per eligible voter;
--   voting flips `voted` from 0 to 1, two values SQLite encodes in no bytes
--   at all, so the row keeps its size and is overwritten where it stands:
--   the roll says who voted, never in which order.
-- * A ballot's numbers are only counts in ballot_tallies, made for every
--   value of the domain before the first ballot counts. A count is stored
--   as 2^40 + n so that it always takes the same six bytes: a changed count
--   never moves in its page, and the page does not tell which count moved
--   last.
-- * Free texts are rows of ballot_texts keyed by a random `mix`; at closing
--   all rows of the box are written again in random order under fresh
--   keys (secure_delete zeroes what is freed), and the WAL is truncated.
-- * No column holds a time finer than the box's own dates.

CREATE TABLE ballot_boxes(
    id               INTEGER PRIMARY KEY,
    k                INTEGER NOT NULL CHECK (k >= 3),
    opens_at         INTEGER NOT NULL,
    closes_at        INTEGER NOT NULL,
    closed           INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    open_roll        INTEGER NOT NULL DEFAULT 0 CHECK (open_roll IN (0, 1)),
    count_unverified INTEGER NOT NULL DEFAULT 0 CHECK (count_unverified IN (0, 1)),
    eligible         INTEGER NOT NULL DEFAULT 0,
    ballots          INTEGER NOT NULL DEFAULT 0,
    verified         INTEGER NOT NULL DEFAULT 0,
    CHECK (closes_at > opens_at)
) STRICT;
CREATE INDEX ballot_boxes_due ON ballot_boxes(closes_at) WHERE closed = 0;

CREATE TABLE ballot_roll(
    box_id INTEGER NOT NULL REFERENCES ballot_boxes(id) ON DELETE CASCADE,
    voter  TEXT NOT NULL,
    voted  INTEGER NOT NULL DEFAULT 0 CHECK (voted IN (0, 1)),
    listed INTEGER NOT NULL DEFAULT 1 CHECK (listed IN (0, 1)), -- 0: came through an open roll
    PRIMARY KEY (box_id, voter)
) STRICT, WITHOUT ROWID;

CREATE TABLE ballot_tallies(
    box_id INTEGER NOT NULL REFERENCES ballot_boxes(id) ON DELETE CASCADE,
    q      INTEGER NOT NULL,
    v      INTEGER NOT NULL,
    n      INTEGER NOT NULL, -- 2^40 + the count
    PRIMARY KEY (box_id, q, v)
) STRICT, WITHOUT ROWID;

-- Keyed by (box, question, text, mix): identical texts sit together and in
-- alphabetical order for the results pages; mix only makes rows unique.
CREATE TABLE ballot_texts(
    box_id INTEGER NOT NULL REFERENCES ballot_boxes(id) ON DELETE CASCADE,
    q      INTEGER NOT NULL,
    text   TEXT NOT NULL,
    mix    BLOB NOT NULL,
    PRIMARY KEY (box_id, q, text, mix)
) STRICT, WITHOUT ROWID;
