-- Strategy by the methodology: personal values and goals, shared values
-- adopted by vote, the Dilts canvas, vision / mission / manifesto with their
-- versions, goals broken into actions with resources and pledges, rules of
-- joint work that protect values.

CREATE TABLE strategy_settings(
    community_id INTEGER PRIMARY KEY REFERENCES communities(id) ON DELETE CASCADE,
    vote_days    INTEGER NOT NULL DEFAULT 14 CHECK (vote_days BETWEEN 1 AND 90),
    majority_pct INTEGER NOT NULL DEFAULT 50 CHECK (majority_pct BETWEEN 50 AND 100),
    quorum_pct   INTEGER NOT NULL DEFAULT 33 CHECK (quorum_pct BETWEEN 1 AND 100)
) STRICT;

-- A member's own values and goals; shown to others only when shared.
CREATE TABLE personal_values(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('value', 'goal')),
    text         TEXT NOT NULL,
    shared_with  TEXT NOT NULL DEFAULT 'private' CHECK (shared_with IN ('private', 'organizers', 'members')),
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX personal_values_owner ON personal_values(community_id, account_id);

CREATE TABLE shared_values(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    proposed_by  INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    opens_at     INTEGER NOT NULL,
    closes_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX shared_values_community ON shared_values(community_id);

-- The personal values a shared value grows from.
CREATE TABLE shared_value_roots(
    shared_value_id   INTEGER NOT NULL REFERENCES shared_values(id) ON DELETE CASCADE,
    personal_value_id INTEGER NOT NULL REFERENCES personal_values(id) ON DELETE CASCADE,
    PRIMARY KEY (shared_value_id, personal_value_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE value_votes(
    shared_value_id INTEGER NOT NULL REFERENCES shared_values(id) ON DELETE CASCADE,
    account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    yes             INTEGER NOT NULL CHECK (yes IN (0, 1)),
    voted_at        INTEGER NOT NULL,
    PRIMARY KEY (shared_value_id, account_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE dilts_entries(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    level        TEXT NOT NULL CHECK (level IN ('environment', 'behaviour', 'capabilities',
                                                'values', 'identity', 'mission')),
    text         TEXT NOT NULL,
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX dilts_entries_community ON dilts_entries(community_id, level);

-- Vision, mission and manifesto: every save is a new version. A manifesto
-- version is put to the members' vote until closes_at, like a value.
CREATE TABLE strategy_texts(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('vision', 'mission', 'manifesto')),
    body         TEXT NOT NULL,
    author_id    INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    closes_at    INTEGER
) STRICT;
CREATE INDEX strategy_texts_kind ON strategy_texts(community_id, kind, id);

CREATE TABLE text_votes(
    text_id    INTEGER NOT NULL REFERENCES strategy_texts(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    yes        INTEGER NOT NULL CHECK (yes IN (0, 1)),
    voted_at   INTEGER NOT NULL,
    PRIMARY KEY (text_id, account_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE goals(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    parent_id    INTEGER REFERENCES goals(id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX goals_community ON goals(community_id, parent_id);

CREATE TABLE actions(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    goal_id      INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    owner_id     INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    due          TEXT,
    status       TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
    hours        INTEGER NOT NULL DEFAULT 0 CHECK (hours >= 0),
    money        INTEGER NOT NULL DEFAULT 0 CHECK (money >= 0),
    currency     TEXT NOT NULL DEFAULT 'BYN',
    people       INTEGER NOT NULL DEFAULT 0 CHECK (people >= 0),
    skills       TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX actions_community ON actions(community_id, goal_id);

CREATE TABLE pledges(
    id           INTEGER PRIMARY KEY,
    action_id    INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    hours        INTEGER NOT NULL DEFAULT 0 CHECK (hours >= 0),
    money        INTEGER NOT NULL DEFAULT 0 CHECK (money >= 0),
    person       INTEGER NOT NULL DEFAULT 0 CHECK (person IN (0, 1)),
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX pledges_action ON pledges(action_id);

CREATE TABLE rules(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    text         TEXT NOT NULL,
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX rules_community ON rules(community_id);

CREATE TABLE rule_values(
    rule_id         INTEGER NOT NULL REFERENCES rules(id) ON DELETE CASCADE,
    shared_value_id INTEGER NOT NULL REFERENCES shared_values(id) ON DELETE CASCADE,
    PRIMARY KEY (rule_id, shared_value_id)
) STRICT, WITHOUT ROWID;
