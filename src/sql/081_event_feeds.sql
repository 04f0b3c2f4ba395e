-- A member's private calendar feed (issue 16, step 2): one per member of a
-- community (members are community-local, so a secret community's feed is
-- its own). The URL's token is random and shown once; the database keeps
-- only its hash keyed with the instance secret, so a copy of the disk
-- gives no working URL. Regenerating replaces the hash (the old URL stops
-- working); revoking deletes the row. scope: every event the member may
-- see, or only the occurrences they registered for.
CREATE TABLE event_feeds (
    member_id INTEGER PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    scope TEXT NOT NULL CHECK (scope IN ('all', 'registered')),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX event_feeds_by_community ON event_feeds(community_id);
