-- migrate: foreign keys off
--
-- Strategy names members, never accounts (issue 11, sealing step 2, part 1;
-- the plan is in docs/architecture.md). Every "who" of the area becomes a
-- member of the row's community:
--
-- * what is the person's own goes when they leave (ON DELETE CASCADE): their
--   personal values and goals, their pledges;
-- * what the community keeps outlives its author (ON DELETE SET NULL): a
--   shared value's proposer, a text version's author, an action's owner, and
--   a vote. A vote cast stays counted when its voter leaves, so a decided
--   value or manifesto stays decided; it is then nobody's. That is why the
--   votes have a row id and a UNIQUE (item, member) rather than a primary key
--   of the two: a primary key cannot be NULL, and two former members' votes
--   on one item are two votes.
--
-- Rows are mapped through member_accounts within the row's own community.
-- An account that left before migration 045 has no member there: its own
-- rows (values, pledges) are dropped, as leaving now drops them; its votes,
-- texts and proposals stay, signed by nobody.
--
-- Tables are rebuilt by SQLite's twelve steps, foreign keys off (see the
-- first line and core/migrate.c): ids are kept, so shared_value_roots,
-- rule_values and every other child row still leads where it led.

CREATE TABLE personal_values_new(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('value', 'goal')),
    text         TEXT NOT NULL,
    shared_with  TEXT NOT NULL DEFAULT 'private' CHECK (shared_with IN ('private', 'organizers', 'members')),
    created_at   INTEGER NOT NULL
) STRICT;
INSERT INTO personal_values_new(id, community_id, member_id, kind, text, shared_with, created_at)
    SELECT p.id, p.community_id, l.member_id, p.kind, p.text, p.shared_with, p.created_at
    FROM personal_values p
    JOIN member_accounts l ON l.account_id = p.account_id AND l.community_id = p.community_id;
DELETE FROM shared_value_roots
    WHERE personal_value_id NOT IN (SELECT id FROM personal_values_new);
DROP TABLE personal_values;
ALTER TABLE personal_values_new RENAME TO personal_values;
CREATE INDEX personal_values_owner ON personal_values(community_id, member_id);
CREATE INDEX personal_values_member ON personal_values(member_id);

CREATE TABLE shared_values_new(
    id              INTEGER PRIMARY KEY,
    community_id    INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    proposer_member INTEGER REFERENCES members(id) ON DELETE SET NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    opens_at        INTEGER NOT NULL,
    closes_at       INTEGER NOT NULL,
    ended_early     TEXT CHECK (ended_early IN ('organizer', 'decided')),
    close_reason    TEXT
) STRICT;
INSERT INTO shared_values_new(id, community_id, proposer_member, title, description, opens_at,
                              closes_at, ended_early, close_reason)
    SELECT v.id, v.community_id, l.member_id, v.title, v.description, v.opens_at, v.closes_at,
           v.ended_early, v.close_reason
    FROM shared_values v
    LEFT JOIN member_accounts l ON l.account_id = v.proposed_by AND l.community_id = v.community_id;
DROP TABLE shared_values;
ALTER TABLE shared_values_new RENAME TO shared_values;
CREATE INDEX shared_values_community ON shared_values(community_id);
CREATE INDEX shared_values_proposer ON shared_values(proposer_member);

CREATE TABLE value_votes_new(
    id              INTEGER PRIMARY KEY,
    shared_value_id INTEGER NOT NULL REFERENCES shared_values(id) ON DELETE CASCADE,
    member_id       INTEGER REFERENCES members(id) ON DELETE SET NULL,
    yes             INTEGER NOT NULL CHECK (yes IN (0, 1)),
    voted_at        INTEGER NOT NULL,
    UNIQUE (shared_value_id, member_id)
) STRICT;
INSERT INTO value_votes_new(shared_value_id, member_id, yes, voted_at)
    SELECT x.shared_value_id, l.member_id, x.yes, x.voted_at
    FROM value_votes x JOIN shared_values v ON v.id = x.shared_value_id
    LEFT JOIN member_accounts l ON l.account_id = x.account_id AND l.community_id = v.community_id
    ORDER BY x.voted_at;
DROP TABLE value_votes;
ALTER TABLE value_votes_new RENAME TO value_votes;
CREATE INDEX value_votes_tally ON value_votes(shared_value_id, yes);
CREATE INDEX value_votes_member ON value_votes(member_id);

CREATE TABLE strategy_texts_new(
    id            INTEGER PRIMARY KEY,
    community_id  INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('vision', 'mission', 'manifesto')),
    body          TEXT NOT NULL,
    author_member INTEGER REFERENCES members(id) ON DELETE SET NULL,
    created_at    INTEGER NOT NULL,
    closes_at     INTEGER,
    ended_early   TEXT CHECK (ended_early IN ('organizer', 'decided')),
    close_reason  TEXT
) STRICT;
INSERT INTO strategy_texts_new(id, community_id, kind, body, author_member, created_at, closes_at,
                               ended_early, close_reason)
    SELECT t.id, t.community_id, t.kind, t.body, l.member_id, t.created_at, t.closes_at,
           t.ended_early, t.close_reason
    FROM strategy_texts t
    LEFT JOIN member_accounts l ON l.account_id = t.author_id AND l.community_id = t.community_id;
DROP TABLE strategy_texts;
ALTER TABLE strategy_texts_new RENAME TO strategy_texts;
CREATE INDEX strategy_texts_kind ON strategy_texts(community_id, kind, id);
CREATE INDEX strategy_texts_dated ON strategy_texts(community_id, kind, created_at, id);
CREATE INDEX strategy_texts_author ON strategy_texts(author_member);

CREATE TABLE text_votes_new(
    id         INTEGER PRIMARY KEY,
    text_id    INTEGER NOT NULL REFERENCES strategy_texts(id) ON DELETE CASCADE,
    member_id  INTEGER REFERENCES members(id) ON DELETE SET NULL,
    yes        INTEGER NOT NULL CHECK (yes IN (0, 1)),
    voted_at   INTEGER NOT NULL,
    UNIQUE (text_id, member_id)
) STRICT;
INSERT INTO text_votes_new(text_id, member_id, yes, voted_at)
    SELECT x.text_id, l.member_id, x.yes, x.voted_at
    FROM text_votes x JOIN strategy_texts t ON t.id = x.text_id
    LEFT JOIN member_accounts l ON l.account_id = x.account_id AND l.community_id = t.community_id
    ORDER BY x.voted_at;
DROP TABLE text_votes;
ALTER TABLE text_votes_new RENAME TO text_votes;
CREATE INDEX text_votes_member ON text_votes(member_id);

CREATE TABLE actions_new(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    goal_id      INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    owner_member INTEGER REFERENCES members(id) ON DELETE SET NULL,
    due          TEXT,
    status       TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
    hours        INTEGER NOT NULL DEFAULT 0 CHECK (hours >= 0),
    money        INTEGER NOT NULL DEFAULT 0 CHECK (money >= 0),
    currency     TEXT NOT NULL DEFAULT 'BYN',
    people       INTEGER NOT NULL DEFAULT 0 CHECK (people >= 0),
    skills       TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    progress     INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100)
) STRICT;
INSERT INTO actions_new(id, community_id, goal_id, title, owner_member, due, status, hours, money,
                        currency, people, skills, created_at, progress)
    SELECT x.id, x.community_id, x.goal_id, x.title, l.member_id, x.due, x.status, x.hours,
           x.money, x.currency, x.people, x.skills, x.created_at, x.progress
    FROM actions x
    LEFT JOIN member_accounts l ON l.account_id = x.owner_id AND l.community_id = x.community_id;
DROP TABLE actions;
ALTER TABLE actions_new RENAME TO actions;
CREATE INDEX actions_community ON actions(community_id, goal_id);
CREATE INDEX actions_goal ON actions(goal_id);
CREATE INDEX actions_owner ON actions(owner_member);

CREATE TABLE pledges_new(
    id           INTEGER PRIMARY KEY,
    action_id    INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    hours        INTEGER NOT NULL DEFAULT 0 CHECK (hours >= 0),
    money        INTEGER NOT NULL DEFAULT 0 CHECK (money >= 0),
    person       INTEGER NOT NULL DEFAULT 0 CHECK (person IN (0, 1)),
    created_at   INTEGER NOT NULL
) STRICT;
INSERT INTO pledges_new(id, action_id, member_id, hours, money, person, created_at)
    SELECT p.id, p.action_id, l.member_id, p.hours, p.money, p.person, p.created_at
    FROM pledges p JOIN actions x ON x.id = p.action_id
    JOIN member_accounts l ON l.account_id = p.account_id AND l.community_id = x.community_id;
DROP TABLE pledges;
ALTER TABLE pledges_new RENAME TO pledges;
CREATE INDEX pledges_action ON pledges(action_id);
CREATE INDEX pledges_member ON pledges(member_id);
