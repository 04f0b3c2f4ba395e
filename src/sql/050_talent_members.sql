-- The talent bank names members, never accounts (issue 11, sealing step 2;
-- docs/architecture.md). Each "who" column becomes a member id of the
-- row's community, mapped through member_accounts:
--   talent_entries.account_id      -> member_id, ON DELETE CASCADE (one's own)
--   talent_requests.from_id, to_id -> from_member, to_member, ON DELETE CASCADE
--   talent_clubs.created_by        -> member_id, ON DELETE SET NULL (a club
--                                     outlives its founder: "a former member")
--   talent_club_members.account_id -> member_id, ON DELETE CASCADE
-- Leaving a community deletes the member row, so the person's entries, the
-- requests they sent or received and their club places go with it.
--
-- Rows whose account has no member in that community are dropped: entries
-- of people who left before migration 045 (every page already hid them, as
-- their owner was no longer a member), with their full-text rows, and the
-- requests and club places of people who left. A club whose founder left
-- is kept, founded by "a former member".
--
-- The tables are rebuilt (a STRICT table cannot change a column's
-- foreign key in place). The migration runs with foreign keys enforced
-- (PRAGMA foreign_keys cannot change inside its transaction), and dropping
-- a table then deletes its rows first, cascading into every table that
-- references it by name: dropping talent_entries would empty
-- talent_matches, talent_words and the rest. So every table that
-- references talent_entries or talent_clubs is rebuilt too: the new tables
-- are made under a _050 name and reference each other by those names, the
-- old ones are dropped children first (no table references an old one by
-- then), and RENAME gives the new ones their names back, rewriting their
-- references. The full-text rows are not touched (rowid = entry id stays).

-- Orphaned entries' texts leave the full-text index with them.
DELETE FROM talent_fts WHERE rowid IN (SELECT e.id FROM talent_entries e
    WHERE NOT EXISTS (SELECT 1 FROM member_accounts l WHERE l.account_id = e.account_id
                      AND l.community_id = e.community_id));

CREATE TABLE talent_entries_050(
    id            INTEGER PRIMARY KEY,
    community_id  INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    -- the member who wrote it; their entry goes when they leave
    member_id     INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('skill', 'hobby', 'offer', 'need')),
    category      TEXT NOT NULL,
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    body          TEXT NOT NULL DEFAULT '',
    tags          TEXT NOT NULL DEFAULT '', -- normalised, joined with ", "
    availability  TEXT NOT NULL CHECK (availability IN ('any', 'weekdays', 'evenings',
                                                          'weekends', 'arrange')),
    visibility    TEXT NOT NULL CHECK (visibility IN ('public', 'members', 'organizers')),
    hidden_reason TEXT,                     -- set when an organizer hid it
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    words         TEXT,                     -- migration 031
    stems         TEXT                      -- migration 032
) STRICT;
INSERT INTO talent_entries_050(id, community_id, member_id, kind, category, title, body, tags,
                               availability, visibility, hidden_reason, created_at, updated_at,
                               words, stems)
    SELECT e.id, e.community_id, l.member_id, e.kind, e.category, e.title, e.body, e.tags,
           e.availability, e.visibility, e.hidden_reason, e.created_at, e.updated_at,
           e.words, e.stems
    FROM talent_entries e
    JOIN member_accounts l ON l.account_id = e.account_id AND l.community_id = e.community_id;

CREATE TABLE talent_tags_050(
    entry_id     INTEGER NOT NULL REFERENCES talent_entries_050(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL,
    tag          TEXT NOT NULL,
    kind         TEXT NOT NULL, -- the entry's, for counting tags by kind
    PRIMARY KEY (entry_id, tag)
) STRICT, WITHOUT ROWID;
INSERT INTO talent_tags_050(entry_id, community_id, tag, kind)
    SELECT t.entry_id, t.community_id, t.tag, t.kind
    FROM talent_tags t JOIN talent_entries_050 e ON e.id = t.entry_id;

CREATE TABLE talent_words_050(
    community_id INTEGER NOT NULL,
    kind         TEXT NOT NULL,   -- the entry's: matching asks for answering kinds
    stem         TEXT NOT NULL,   -- a match word's stem (migration 032)
    entry_id     INTEGER NOT NULL REFERENCES talent_entries_050(id) ON DELETE CASCADE,
    PRIMARY KEY (community_id, kind, stem, entry_id)
) STRICT, WITHOUT ROWID;
INSERT INTO talent_words_050(community_id, kind, stem, entry_id)
    SELECT w.community_id, w.kind, w.stem, w.entry_id
    FROM talent_words w JOIN talent_entries_050 e ON e.id = w.entry_id;

CREATE TABLE talent_requests_050(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    entry_id     INTEGER NOT NULL REFERENCES talent_entries_050(id) ON DELETE CASCADE,
    -- both parties are members; a request goes when either leaves
    from_member  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    to_member    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    message      TEXT NOT NULL DEFAULT '',
    from_contact TEXT NOT NULL DEFAULT '',
    to_contact   TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'done',
                                                 'cancelled')),
    thanks       TEXT NOT NULL DEFAULT '',
    hours        INTEGER NOT NULL DEFAULT 0 CHECK (hours BETWEEN 0 AND 1000),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    CHECK (from_member <> to_member)
) STRICT;
INSERT INTO talent_requests_050(id, community_id, entry_id, from_member, to_member, message,
                                from_contact, to_contact, status, thanks, hours, created_at,
                                updated_at)
    SELECT q.id, q.community_id, q.entry_id, f.member_id, t.member_id, q.message,
           q.from_contact, q.to_contact, q.status, q.thanks, q.hours, q.created_at, q.updated_at
    FROM talent_requests q
    JOIN talent_entries_050 e ON e.id = q.entry_id
    JOIN member_accounts f ON f.account_id = q.from_id AND f.community_id = q.community_id
    JOIN member_accounts t ON t.account_id = q.to_id AND t.community_id = q.community_id;

CREATE TABLE talent_clubs_050(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    entry_id     INTEGER REFERENCES talent_entries_050(id) ON DELETE SET NULL,
    -- its founder; NULL once they left (the club stays, "a former member")
    member_id    INTEGER REFERENCES members(id) ON DELETE SET NULL,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    meets_when   TEXT NOT NULL DEFAULT '',
    meets_where  TEXT NOT NULL DEFAULT '',
    closed       INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
) STRICT;
INSERT INTO talent_clubs_050(id, community_id, entry_id, member_id, name, description,
                             meets_when, meets_where, closed, created_at)
    SELECT k.id, k.community_id, e.id, l.member_id, k.name, k.description, k.meets_when,
           k.meets_where, k.closed, k.created_at
    FROM talent_clubs k
    LEFT JOIN talent_entries_050 e ON e.id = k.entry_id
    LEFT JOIN member_accounts l ON l.account_id = k.created_by AND l.community_id = k.community_id;

CREATE TABLE talent_club_members_050(
    club_id    INTEGER NOT NULL REFERENCES talent_clubs_050(id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    status     TEXT NOT NULL CHECK (status IN ('invited', 'member')),
    PRIMARY KEY (club_id, member_id)
) STRICT, WITHOUT ROWID;
INSERT INTO talent_club_members_050(club_id, member_id, status)
    SELECT x.club_id, l.member_id, x.status
    FROM talent_club_members x
    JOIN talent_clubs_050 k ON k.id = x.club_id
    JOIN member_accounts l ON l.account_id = x.account_id AND l.community_id = k.community_id;

-- Migration 046's tables, as they were (not STRICT).
CREATE TABLE talent_matches_050(
    entry_id     INTEGER NOT NULL REFERENCES talent_entries_050(id) ON DELETE CASCADE,
    candidate_id INTEGER NOT NULL REFERENCES talent_entries_050(id) ON DELETE CASCADE,
    score        INTEGER NOT NULL,
    why          TEXT NOT NULL,
    PRIMARY KEY(entry_id, score, candidate_id)
) WITHOUT ROWID;
INSERT INTO talent_matches_050(entry_id, candidate_id, score, why)
    SELECT t.entry_id, t.candidate_id, t.score, t.why FROM talent_matches t
    WHERE t.entry_id IN (SELECT id FROM talent_entries_050)
      AND t.candidate_id IN (SELECT id FROM talent_entries_050);

CREATE TABLE talent_matches_todo_050(
    entry_id INTEGER PRIMARY KEY REFERENCES talent_entries_050(id) ON DELETE CASCADE
);
INSERT INTO talent_matches_todo_050(entry_id)
    SELECT entry_id FROM talent_matches_todo
    WHERE entry_id IN (SELECT id FROM talent_entries_050);

-- Children first: by the time talent_entries goes, no table names it.
DROP TABLE talent_club_members;
DROP TABLE talent_clubs;
DROP TABLE talent_matches_todo;
DROP TABLE talent_matches;
DROP TABLE talent_requests;
DROP TABLE talent_words;
DROP TABLE talent_tags;
DROP TABLE talent_entries;

ALTER TABLE talent_entries_050 RENAME TO talent_entries;
ALTER TABLE talent_tags_050 RENAME TO talent_tags;
ALTER TABLE talent_words_050 RENAME TO talent_words;
ALTER TABLE talent_requests_050 RENAME TO talent_requests;
ALTER TABLE talent_clubs_050 RENAME TO talent_clubs;
ALTER TABLE talent_club_members_050 RENAME TO talent_club_members;
ALTER TABLE talent_matches_050 RENAME TO talent_matches;
ALTER TABLE talent_matches_todo_050 RENAME TO talent_matches_todo;

-- Every index of migrations 030, 031 and 046, on the new columns.
CREATE INDEX talent_entries_community ON talent_entries(community_id, kind, category, id);
CREATE INDEX talent_entries_owner ON talent_entries(member_id, community_id);
CREATE INDEX talent_entries_created ON talent_entries(community_id, created_at);
CREATE INDEX talent_entries_category ON talent_entries(community_id, category, created_at);
CREATE INDEX talent_entries_shown ON talent_entries(community_id, category, kind)
    WHERE hidden_reason IS NULL;
CREATE INDEX talent_entries_no_words ON talent_entries(id) WHERE words IS NULL;
CREATE INDEX talent_tags_tag ON talent_tags(community_id, tag, entry_id);
CREATE INDEX talent_tags_kind ON talent_tags(community_id, kind, tag);
CREATE INDEX talent_words_entry ON talent_words(entry_id);
CREATE UNIQUE INDEX talent_requests_open ON talent_requests(entry_id, from_member)
    WHERE status IN ('open', 'accepted');
CREATE INDEX talent_requests_entry ON talent_requests(entry_id, status);
CREATE INDEX talent_requests_from ON talent_requests(from_member, community_id);
CREATE INDEX talent_requests_to ON talent_requests(to_member, community_id);
CREATE INDEX talent_requests_community ON talent_requests(community_id, status);
CREATE INDEX talent_clubs_community ON talent_clubs(community_id, closed);
-- a founder's clubs, for the cascade that sets them NULL when they leave
CREATE INDEX talent_clubs_member ON talent_clubs(member_id);
CREATE INDEX talent_club_members_member ON talent_club_members(member_id);
CREATE INDEX talent_matches_candidate ON talent_matches(candidate_id);

-- Entries now also go by cascade, when their member leaves, and the
-- community area that deletes the member knows nothing of the talent bank.
-- A trigger may not touch the full-text table (trusted_schema is off), so
-- it notes the id here, and the talent area deletes the full-text rows of
-- these ids and empties the table at its next write and at start-up
-- (talent_fts_sweep).
CREATE TABLE talent_fts_gone(
    entry_id INTEGER PRIMARY KEY
) STRICT;
CREATE TRIGGER talent_entries_gone AFTER DELETE ON talent_entries BEGIN
    INSERT OR IGNORE INTO talent_fts_gone(entry_id) VALUES (OLD.id);
END;
