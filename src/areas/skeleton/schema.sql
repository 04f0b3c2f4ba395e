-- The skeleton area's table. A real area puts its tables in
-- src/sql/NNN_area.sql (applied by name, never edited once released).
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    -- Who wrote it: a member of the community, never an account (a
    -- member id tells nothing outside the community). When the member
    -- leaves, the note stays and its author becomes "a former member".
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    -- Texts are stored through seal() (model.c): in a secret community a
    -- sealed title is longer than the one typed, so the length people may
    -- type is the form's rule, and the table only refuses an empty one.
    title TEXT NOT NULL CHECK (length(title) >= 1),
    body TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX notes_by_community ON notes(community_id, id);
