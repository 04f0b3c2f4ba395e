-- Anonymous surveys move into the ballot box (025_ballot.sql); named
-- surveys keep their responses as they were (a named answer is meant to
-- be read with its author's name).
--
-- An anonymous response was a row with a random id, but the respondent
-- row and the response row were written one after the other, so the
-- order of their cells in the file paired people with answers. Here each
-- anonymous survey gets a box: its choices and scale points become
-- tallies (an "other" choice is value -2, its text a text of the
-- question), its text answers texts, its respondents the roll; then the
-- old rows are deleted (secure_delete zeroes them). Boxes of surveys past
-- their last day are closed and mixed at start-up, before anyone sees them.

ALTER TABLE surveys ADD COLUMN box_id INTEGER REFERENCES ballot_boxes(id);
CREATE UNIQUE INDEX surveys_box ON surveys(box_id);

CREATE TEMP TABLE survey_mig AS
    SELECT s.id AS survey_id, s.id + (SELECT coalesce(max(id), 0) FROM ballot_boxes) AS box_id
    FROM surveys s WHERE s.anonymous = 1;

INSERT INTO ballot_boxes(id, k, opens_at, closes_at, open_roll, ballots, verified)
    SELECT m.box_id,
           max(3, coalesce((SELECT k FROM soc_settings x WHERE x.community_id = s.community_id), 5)),
           s.opens_on, s.closes_on + 86400, s.audience = 'link',
           (SELECT count(*) FROM survey_responses r WHERE r.survey_id = s.id),
           (SELECT count(*) FROM survey_respondents r WHERE r.survey_id = s.id AND r.who LIKE 'a%')
    FROM survey_mig m JOIN surveys s ON s.id = m.survey_id;
UPDATE surveys SET box_id = (SELECT box_id FROM survey_mig m WHERE m.survey_id = surveys.id)
    WHERE anonymous = 1;

INSERT INTO ballot_roll(box_id, voter, voted, listed)
    SELECT s.box_id, r.who, 1, r.who LIKE 'a%' FROM survey_respondents r
    JOIN surveys s ON s.id = r.survey_id WHERE s.anonymous = 1;
INSERT INTO ballot_roll(box_id, voter, voted, listed)
    SELECT s.box_id, 'a' || ms.account_id, 0, 1 FROM surveys s
    JOIN memberships ms ON ms.community_id = s.community_id
    WHERE s.anonymous = 1 ON CONFLICT DO NOTHING;
UPDATE ballot_boxes SET eligible =
    (SELECT count(*) FROM ballot_roll r WHERE r.box_id = ballot_boxes.id AND r.listed = 1)
    WHERE id IN (SELECT box_id FROM survey_mig);

INSERT INTO ballot_tallies(box_id, q, v, n)
    SELECT s.box_id, a.question_id,
           CASE WHEN a.value LIKE 'o:%' THEN -2 ELSE CAST(a.value AS INTEGER) END,
           1099511627776 + count(*)
    FROM survey_answers a JOIN survey_questions q ON q.id = a.question_id
    JOIN surveys s ON s.id = q.survey_id
    WHERE s.anonymous = 1 AND q.kind IN ('scale5', 'scale10', 'single', 'multi')
    GROUP BY 1, 2, 3;

INSERT INTO ballot_texts(box_id, q, text, mix)
    SELECT s.box_id, a.question_id,
           CASE WHEN a.value LIKE 'o:%' THEN substr(a.value, 3) ELSE a.value END, randomblob(16)
    FROM survey_answers a JOIN survey_questions q ON q.id = a.question_id
    JOIN surveys s ON s.id = q.survey_id
    WHERE s.anonymous = 1 AND (q.kind IN ('short', 'long') OR a.value LIKE 'o:%');

DELETE FROM survey_answers WHERE response_id IN
    (SELECT r.id FROM survey_responses r JOIN surveys s ON s.id = r.survey_id WHERE s.anonymous = 1);
DELETE FROM survey_responses WHERE survey_id IN (SELECT survey_id FROM survey_mig);
DELETE FROM survey_respondents WHERE survey_id IN (SELECT survey_id FROM survey_mig);
DROP TABLE survey_mig;
