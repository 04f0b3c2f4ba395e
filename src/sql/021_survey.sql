-- Surveys and questionnaires for residents.
--
-- Who answered (survey_respondents) is kept apart from what was answered
-- (survey_responses, survey_answers). A named survey's response carries its
-- account; an anonymous one's carries nothing but a random id, has no time
-- column, and lives in a WITHOUT ROWID table ordered by that random id.

CREATE TABLE surveys(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    intro        TEXT NOT NULL DEFAULT '',
    audience     TEXT NOT NULL CHECK (audience IN ('members', 'link')),
    anonymous    INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    link_token   TEXT NOT NULL UNIQUE, -- the secret part of the public link
    opens_on     INTEGER NOT NULL,
    closes_on    INTEGER NOT NULL,
    CHECK (closes_on >= opens_on)
) STRICT;
CREATE INDEX surveys_community ON surveys(community_id, opens_on);

CREATE TABLE survey_questions(
    id         INTEGER PRIMARY KEY,
    survey_id  INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    pos        INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('scale5', 'scale10', 'single', 'multi', 'short', 'long')),
    text       TEXT NOT NULL,
    required   INTEGER NOT NULL CHECK (required IN (0, 1)),
    options    TEXT NOT NULL DEFAULT '', -- one per line (choices)
    has_other  INTEGER NOT NULL DEFAULT 0 CHECK (has_other IN (0, 1)),
    low_label  TEXT NOT NULL DEFAULT '',
    high_label TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX survey_questions_pos ON survey_questions(survey_id, pos);

-- 'a<account id>' for members, 't<hash of the browser token>' for link answers.
CREATE TABLE survey_respondents(
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    who       TEXT NOT NULL,
    PRIMARY KEY (survey_id, who)
) STRICT, WITHOUT ROWID;

CREATE TABLE survey_responses(
    id         TEXT NOT NULL PRIMARY KEY, -- random hex
    survey_id  INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL, -- named surveys only
    day        INTEGER                                              -- named surveys only
) STRICT, WITHOUT ROWID;
CREATE INDEX survey_responses_survey ON survey_responses(survey_id);

CREATE TABLE survey_answers(
    response_id TEXT NOT NULL REFERENCES survey_responses(id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES survey_questions(id) ON DELETE CASCADE,
    value       TEXT NOT NULL, -- a scale number, an option index, 'other:<text>' or text
    PRIMARY KEY (response_id, question_id, value)
) STRICT, WITHOUT ROWID;
CREATE INDEX survey_answers_question ON survey_answers(question_id);
