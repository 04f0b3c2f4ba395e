-- The final document of a public hearing (issue 16): drafted by the
-- system when the hearing closes (what was heard, the comments received
-- per item, counted, quoted or left to be summarised as the organizer
-- chooses, and the answers), edited as Markdown by the secretary or the
-- chair, then published; published, it is frozen (every edit's WHERE asks
-- for state = 'draft') and readable by members and, while the link is
-- on, by residents through it. body is sealed in a secret community;
-- who edited and published are members, never accounts.
CREATE TABLE hearing_finals (
    assembly_id INTEGER PRIMARY KEY REFERENCES assemblies(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    body TEXT NOT NULL CHECK (length(body) >= 1),
    mode TEXT NOT NULL CHECK (mode IN ('quoted', 'counted', 'summary')),
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published')),
    edited_by INTEGER REFERENCES members(id) ON DELETE SET NULL,
    published_by INTEGER REFERENCES members(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    edited_at INTEGER NOT NULL,
    published_at INTEGER,
    CHECK (state = 'draft' OR published_at IS NOT NULL)
) STRICT;
CREATE INDEX hearing_finals_by_community ON hearing_finals(community_id);
CREATE INDEX hearing_finals_by_editor ON hearing_finals(edited_by) WHERE edited_by IS NOT NULL;
CREATE INDEX hearing_finals_by_publisher ON hearing_finals(published_by)
    WHERE published_by IS NOT NULL;
