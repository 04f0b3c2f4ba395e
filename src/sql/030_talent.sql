-- The neighbours' talent bank: what members bring and look for, requests
-- for help between two members, and interest clubs.

CREATE TABLE talent_entries(
    id            INTEGER PRIMARY KEY,
    community_id  INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
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
    updated_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX talent_entries_community ON talent_entries(community_id, kind, category, id);
CREATE INDEX talent_entries_owner ON talent_entries(account_id, community_id);
CREATE INDEX talent_entries_created ON talent_entries(community_id, created_at);
CREATE INDEX talent_entries_category ON talent_entries(community_id, category, created_at);
CREATE INDEX talent_entries_shown ON talent_entries(community_id, category, kind)
    WHERE hidden_reason IS NULL;

CREATE TABLE talent_tags(
    entry_id     INTEGER NOT NULL REFERENCES talent_entries(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL,
    tag          TEXT NOT NULL,
    kind         TEXT NOT NULL, -- the entry's, for counting tags by kind
    PRIMARY KEY (entry_id, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX talent_tags_tag ON talent_tags(community_id, tag, entry_id);
CREATE INDEX talent_tags_kind ON talent_tags(community_id, kind, tag);

-- Words of the entries, folded (lower case, ё as е) by the application;
-- scope holds "c<community> k<kind>" so a search never leaves its
-- community. rowid = talent_entries.id. Matching asks for prefixes of five
-- characters (word stems), so those are indexed.
CREATE VIRTUAL TABLE talent_fts USING fts5(scope, title, body, tags, tokenize = 'unicode61',
                                          prefix = '2 3 4 5');
-- Rows are removed with their entry by the application; a row whose entry
-- went with its community is never joined back to anything.

CREATE TABLE talent_requests(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    entry_id     INTEGER NOT NULL REFERENCES talent_entries(id) ON DELETE CASCADE,
    from_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    to_id        INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    message      TEXT NOT NULL DEFAULT '',
    from_contact TEXT NOT NULL DEFAULT '',
    to_contact   TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'done',
                                                 'cancelled')),
    thanks       TEXT NOT NULL DEFAULT '',
    hours        INTEGER NOT NULL DEFAULT 0 CHECK (hours BETWEEN 0 AND 1000),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    CHECK (from_id <> to_id)
) STRICT;
CREATE UNIQUE INDEX talent_requests_open ON talent_requests(entry_id, from_id)
    WHERE status IN ('open', 'accepted');
CREATE INDEX talent_requests_entry ON talent_requests(entry_id, status);
CREATE INDEX talent_requests_from ON talent_requests(from_id, community_id);
CREATE INDEX talent_requests_to ON talent_requests(to_id, community_id);
CREATE INDEX talent_requests_community ON talent_requests(community_id, status);

CREATE TABLE talent_clubs(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    entry_id     INTEGER REFERENCES talent_entries(id) ON DELETE SET NULL,
    created_by   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    meets_when   TEXT NOT NULL DEFAULT '',
    meets_where  TEXT NOT NULL DEFAULT '',
    closed       INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX talent_clubs_community ON talent_clubs(community_id, closed);

CREATE TABLE talent_club_members(
    club_id    INTEGER NOT NULL REFERENCES talent_clubs(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    status     TEXT NOT NULL CHECK (status IN ('invited', 'member')),
    PRIMARY KEY (club_id, account_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX talent_club_members_account ON talent_club_members(account_id);
