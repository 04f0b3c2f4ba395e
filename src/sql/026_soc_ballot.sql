-- Sense-of-community waves move into the ballot box (025_ballot.sql).
--
-- The old tables kept the fact that a member answered and the answer in
-- two tables written one after the other: the order of their cells in the
-- file paired every person with their ratings and comments, and an open
-- wave's secret (the key of the answers' slots) outlived its erasure in
-- the WAL. Here every wave gets a box with the same id: its counts become
-- tallies, its comments texts (inserted in the order of the old random
-- slots, which says nothing of who or when), its participants the roll;
-- then the old tables are dropped (secure_delete zeroes their pages).
--
-- k: a closed wave's box keeps the community's present threshold, the only
-- one known (never below 3). The roll of an open wave is its participants
-- and today's members: who was a member when it opened was not recorded.

CREATE TEMP TABLE soc_mig_k AS
    SELECT w.id AS wave_id,
           max(3, coalesce((SELECT k FROM soc_settings s WHERE s.community_id = w.community_id), 5)) AS k,
           (SELECT count(*) FROM soc_answers a WHERE a.wave_id = w.id) AS n
    FROM soc_waves w;

INSERT INTO ballot_boxes(id, k, opens_at, closes_at, closed, eligible, ballots, verified)
    SELECT w.id, m.k, w.opens_on, w.closes_on + 86400, w.closed,
           coalesce(w.members, 0), m.n, m.n
    FROM soc_waves w JOIN soc_mig_k m ON m.wave_id = w.id;

INSERT INTO ballot_roll(box_id, voter, voted)
    SELECT wave_id, 'a' || account_id, 1 FROM soc_participation;
INSERT INTO ballot_roll(box_id, voter, voted)
    SELECT w.id, 'a' || ms.account_id, 0 FROM soc_waves w
    JOIN memberships ms ON ms.community_id = w.community_id
    WHERE w.closed = 0 ON CONFLICT DO NOTHING;
UPDATE ballot_boxes SET eligible = (SELECT count(*) FROM ballot_roll r WHERE r.box_id = ballot_boxes.id)
    WHERE closed = 0;

-- The four factors are questions 0..3, ratings 1..10; every value gets a
-- tally, chosen or not. Counts are stored as 2^40 + n (see 025).
INSERT INTO ballot_tallies(box_id, q, v, n)
    SELECT wave_id, 0, membership, 1099511627776 + count(*) FROM soc_answers GROUP BY 1, 3;
INSERT INTO ballot_tallies(box_id, q, v, n)
    SELECT wave_id, 1, influence, 1099511627776 + count(*) FROM soc_answers GROUP BY 1, 3;
INSERT INTO ballot_tallies(box_id, q, v, n)
    SELECT wave_id, 2, integration, 1099511627776 + count(*) FROM soc_answers GROUP BY 1, 3;
INSERT INTO ballot_tallies(box_id, q, v, n)
    SELECT wave_id, 3, connection, 1099511627776 + count(*) FROM soc_answers GROUP BY 1, 3;
INSERT INTO ballot_tallies(box_id, q, v, n)
    WITH RECURSIVE r(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM r WHERE v < 10),
         f(q) AS (VALUES (0), (1), (2), (3))
    SELECT w.id, f.q, r.v, 1099511627776 FROM soc_waves w, f, r WHERE 1
    ON CONFLICT DO NOTHING;

INSERT INTO ballot_texts(box_id, q, text, mix)
    SELECT wave_id, 0, c_membership, randomblob(16) FROM soc_answers WHERE c_membership <> '';
INSERT INTO ballot_texts(box_id, q, text, mix)
    SELECT wave_id, 1, c_influence, randomblob(16) FROM soc_answers WHERE c_influence <> '';
INSERT INTO ballot_texts(box_id, q, text, mix)
    SELECT wave_id, 2, c_integration, randomblob(16) FROM soc_answers WHERE c_integration <> '';
INSERT INTO ballot_texts(box_id, q, text, mix)
    SELECT wave_id, 3, c_connection, randomblob(16) FROM soc_answers WHERE c_connection <> '';

DROP TABLE soc_mig_k;
DROP TABLE soc_answers;
DROP TABLE soc_participation;

-- The wave keeps its community and days; whether it is closed, its k, who
-- may answer and how many did are the box's.
ALTER TABLE soc_waves ADD COLUMN box_id INTEGER REFERENCES ballot_boxes(id);
UPDATE soc_waves SET box_id = id;
DROP INDEX soc_waves_untallied;
DROP INDEX soc_waves_open;
ALTER TABLE soc_waves DROP COLUMN secret;
ALTER TABLE soc_waves DROP COLUMN answers;
ALTER TABLE soc_waves DROP COLUMN dist;
ALTER TABLE soc_waves DROP COLUMN members;
ALTER TABLE soc_waves DROP COLUMN closed;
CREATE UNIQUE INDEX soc_waves_box ON soc_waves(box_id);
