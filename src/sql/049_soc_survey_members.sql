-- Sense of community and surveys name members, never accounts (issue 11,
-- sealing step 2; the plan is in docs/architecture.md).
--
-- The voter keys the two areas put on ballot rolls were "a<account id>":
-- a copy of the file listed, box by box, which accounts were eligible in a
-- community (and, by the flag, which answered), secret ones included. They
-- become "m<member id>", a community-local random id that means nothing
-- once the member has left. The same for the respondents of named surveys
-- (survey_respondents.who), and a named response names its member
-- (survey_responses.member_id) instead of its account.
--
-- What is rewritten, and why nothing else:
-- * Only the boxes of waves and of anonymous surveys (the boxes know no
--   area: other areas' boxes are theirs to move), and only keys of the
--   form a<digits>; browser keys (t<hash>) stay as they are.
-- * A key whose account is no longer a member of the box's community (it
--   left; leaving deletes the member) has no member to become: its row is
--   deleted rather than kept under the account. The box's counts
--   (eligible, ballots, verified) are columns of ballot_boxes, never
--   counted from the roll, so no result changes; such a person could not
--   answer again anyway. A former member who answers a named survey after
--   joining again is a new member, with a new id.
-- * Answers to waves have no per-person slot any more (migration 026 moved
--   them into tallies and mixed texts), so nothing keyed on the account is
--   left to recompute: a member who answered an open wave before this
--   migration is the same roll row, flagged as voted, under their member
--   key, and is told they have answered (an answer is final, as before).
-- * soc has no account column left: soc_participation went in 026, and
--   soc_settings and soc_waves belong to the community.
-- * survey_responses.account_id (ON DELETE SET NULL to accounts) becomes
--   member_id (ON DELETE SET NULL to members: a response outlives its
--   author, and shows "a former member"). A column used by a foreign key
--   cannot be dropped, so the table is made again; dropping it with
--   foreign keys on would cascade to survey_answers, which is made again
--   first, pointing at the new table (renaming a table rewrites the
--   references to it). A response without a member and with a day is a
--   member's who left; without a day, one through the link. Responses of
--   accounts that had left before this migration keep their day and so
--   read as a former member's, which is what they were, except for a
--   signed-in visitor who answered a named survey through its link and was
--   never a member: such an answer reads as a former member's too, since
--   nothing stored tells the two apart.
-- * secure_delete is on for the connection that migrates (core/db.c): the
--   pages the old keys and columns lived on are zeroed when freed.

CREATE TEMP TABLE ballot_box_communities(
    box_id       INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL
);
INSERT INTO ballot_box_communities(box_id, community_id)
    SELECT box_id, community_id FROM soc_waves WHERE box_id IS NOT NULL
    UNION SELECT box_id, community_id FROM surveys WHERE box_id IS NOT NULL;

CREATE TEMP TABLE voter_keys(
    box_id INTEGER NOT NULL,
    old    TEXT NOT NULL,
    new    TEXT,
    PRIMARY KEY (box_id, old)
) WITHOUT ROWID;
INSERT INTO voter_keys(box_id, old, new)
    SELECT r.box_id, r.voter, 'm' || l.member_id
    FROM ballot_roll r JOIN ballot_box_communities b ON b.box_id = r.box_id
    LEFT JOIN member_accounts l ON l.community_id = b.community_id
        AND l.account_id = CAST(substr(r.voter, 2) AS INTEGER)
    WHERE r.voter GLOB 'a[0-9]*' AND NOT substr(r.voter, 2) GLOB '*[^0-9]*';

DELETE FROM ballot_roll WHERE (box_id, voter) IN
    (SELECT box_id, old FROM voter_keys WHERE new IS NULL);
UPDATE ballot_roll SET voter = k.new FROM voter_keys k
    WHERE k.box_id = ballot_roll.box_id AND k.old = ballot_roll.voter AND k.new IS NOT NULL;

CREATE TEMP TABLE respondent_keys(
    survey_id INTEGER NOT NULL,
    old       TEXT NOT NULL,
    new       TEXT,
    PRIMARY KEY (survey_id, old)
) WITHOUT ROWID;
INSERT INTO respondent_keys(survey_id, old, new)
    SELECT p.survey_id, p.who, 'm' || l.member_id
    FROM survey_respondents p JOIN surveys s ON s.id = p.survey_id
    LEFT JOIN member_accounts l ON l.community_id = s.community_id
        AND l.account_id = CAST(substr(p.who, 2) AS INTEGER)
    WHERE p.who GLOB 'a[0-9]*' AND NOT substr(p.who, 2) GLOB '*[^0-9]*';

DELETE FROM survey_respondents WHERE (survey_id, who) IN
    (SELECT survey_id, old FROM respondent_keys WHERE new IS NULL);
UPDATE survey_respondents SET who = k.new FROM respondent_keys k
    WHERE k.survey_id = survey_respondents.survey_id AND k.old = survey_respondents.who
    AND k.new IS NOT NULL;

DROP TABLE voter_keys;
DROP TABLE respondent_keys;
DROP TABLE ballot_box_communities;

-- survey_responses and survey_answers made again: the same columns, keys,
-- CHECKs and indexes as 021 and 022, with member_id for account_id.
CREATE TABLE survey_responses_new(
    id        TEXT NOT NULL PRIMARY KEY, -- random hex
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL, -- named surveys, members only
    day       INTEGER                                            -- named surveys, members only
) STRICT, WITHOUT ROWID;
INSERT INTO survey_responses_new(id, survey_id, member_id, day)
    SELECT r.id, r.survey_id, l.member_id, r.day
    FROM survey_responses r JOIN surveys s ON s.id = r.survey_id
    LEFT JOIN member_accounts l ON l.community_id = s.community_id AND l.account_id = r.account_id;

CREATE TABLE survey_answers_new(
    response_id TEXT NOT NULL REFERENCES survey_responses_new(id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES survey_questions(id) ON DELETE CASCADE,
    value       TEXT NOT NULL, -- a scale number, an option index, 'o:<text>' (other) or text
    PRIMARY KEY (response_id, question_id, value)
) STRICT, WITHOUT ROWID;
INSERT INTO survey_answers_new(response_id, question_id, value)
    SELECT response_id, question_id, value FROM survey_answers;

DROP TABLE survey_answers;
DROP TABLE survey_responses;
ALTER TABLE survey_responses_new RENAME TO survey_responses;
ALTER TABLE survey_answers_new RENAME TO survey_answers;

CREATE INDEX survey_responses_survey ON survey_responses(survey_id);
-- A member's leaving sets their responses' member_id to NULL: found by
-- this index, not by a scan of every response.
CREATE INDEX survey_responses_member ON survey_responses(member_id);
CREATE INDEX survey_answers_question ON survey_answers(question_id);
CREATE INDEX survey_answers_value ON survey_answers(question_id, value);
