-- migrate: foreign keys off
--
-- Sealing, step 3, the talent bank (issue 11; docs/architecture.md). The
-- free texts of a community with a data key are stored sealed: a record
-- separator and base64, several times longer than the text. The title's
-- CHECK (length(title) BETWEEN 1 AND 120) would refuse a sealed title, so
-- it now asks only that the title is not empty; the length of what people
-- type is the form's rule (TALENT_TITLE_MAX), and the model is the only
-- writer. A CHECK cannot change in place: talent_entries is rebuilt by
-- SQLite's twelve steps, foreign keys off (see the first line and
-- core/migrate.c), ids kept, so every child row (tags, words, requests,
-- clubs, matches) and every full-text row (rowid = entry id) still leads
-- where it led.
--
-- talent_tags gains label: in a sealed community a tag row's tag is a
-- keyed hash (what matching and counting compare) and label the tag sealed
-- (what the tags page shows: one label opened per distinct tag, not every
-- entry's tag list). NULL in a clear community, whose tag is itself.

CREATE TABLE talent_entries_054(
    id            INTEGER PRIMARY KEY,
    community_id  INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id     INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('skill', 'hobby', 'offer', 'need')),
    category      TEXT NOT NULL,
    -- sealed or not; its length is the form's rule
    title         TEXT NOT NULL CHECK (length(title) >= 1),
    body          TEXT NOT NULL DEFAULT '',
    tags          TEXT NOT NULL DEFAULT '',
    availability  TEXT NOT NULL CHECK (availability IN ('any', 'weekdays', 'evenings',
                                                          'weekends', 'arrange')),
    visibility    TEXT NOT NULL CHECK (visibility IN ('public', 'members', 'organizers')),
    hidden_reason TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    words         TEXT,
    stems         TEXT
) STRICT;
INSERT INTO talent_entries_054(id, community_id, member_id, kind, category, title, body, tags,
                               availability, visibility, hidden_reason, created_at, updated_at,
                               words, stems)
    SELECT id, community_id, member_id, kind, category, title, body, tags, availability,
           visibility, hidden_reason, created_at, updated_at, words, stems
    FROM talent_entries;
DROP TABLE talent_entries;
ALTER TABLE talent_entries_054 RENAME TO talent_entries;

CREATE INDEX talent_entries_community ON talent_entries(community_id, kind, category, id);
CREATE INDEX talent_entries_owner ON talent_entries(member_id, community_id);
CREATE INDEX talent_entries_created ON talent_entries(community_id, created_at);
CREATE INDEX talent_entries_category ON talent_entries(community_id, category, created_at);
CREATE INDEX talent_entries_shown ON talent_entries(community_id, category, kind)
    WHERE hidden_reason IS NULL;
CREATE INDEX talent_entries_no_words ON talent_entries(id) WHERE words IS NULL;
-- migration 050's: the full-text rows of entries gone by cascade
CREATE TRIGGER talent_entries_gone AFTER DELETE ON talent_entries BEGIN
    INSERT OR IGNORE INTO talent_fts_gone(entry_id) VALUES (OLD.id);
END;

ALTER TABLE talent_tags ADD COLUMN label TEXT;
