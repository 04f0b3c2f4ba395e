-- Assemblies and hearings (issue 16, step 3): a meeting of kind assembly,
-- meeting or public hearing held at an event, its ordered agenda with a
-- document for each item, its chair and secretary, its quorum rule, and
-- who was present.
--
-- One assembly per event: the event carries the time and place (and the
-- feeds); the assembly what a decision needs. The chair and the secretary
-- are members, never accounts. The quorum rule is a share of the
-- community's members in per cent (1-100) or a number of people; the
-- CHECK refuses a share over 100 even if a form were skipped.
CREATE TABLE assemblies (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    event_id INTEGER NOT NULL UNIQUE REFERENCES events(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('assembly', 'meeting', 'hearing')),
    chair_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    secretary_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    quorum_kind TEXT NOT NULL CHECK (quorum_kind IN ('share', 'number')),
    quorum_value INTEGER NOT NULL,
    -- draft: the agenda is prepared; open: the meeting is held (members
    -- join online, the secretary marks the room); closed: over.
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open', 'closed')),
    opened_at INTEGER,
    closed_at INTEGER,
    created_at INTEGER NOT NULL,
    CHECK ((quorum_kind = 'share' AND quorum_value BETWEEN 1 AND 100)
        OR (quorum_kind = 'number' AND quorum_value BETWEEN 1 AND 100000))
) STRICT;
CREATE INDEX assemblies_by_community ON assemblies(community_id, id);
CREATE INDEX assemblies_by_chair ON assemblies(chair_id) WHERE chair_id IS NOT NULL;
CREATE INDEX assemblies_by_secretary ON assemblies(secretary_id) WHERE secretary_id IS NOT NULL;

-- The agenda: items in the order of position (then id); title and
-- document (Markdown) are sealed in a secret community.
CREATE TABLE assembly_items (
    id INTEGER PRIMARY KEY,
    assembly_id INTEGER NOT NULL REFERENCES assemblies(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    title TEXT NOT NULL CHECK (length(title) >= 1),
    document TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX assembly_items_by_assembly ON assembly_items(assembly_id, position, id);
CREATE INDEX assembly_items_by_community ON assembly_items(community_id);

-- Who is present: marked by the secretary (room) or by joining the
-- meeting's online page while it is open (online). One row a person, so
-- a person is counted once however often they join.
CREATE TABLE assembly_presence (
    assembly_id INTEGER NOT NULL REFERENCES assemblies(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    how TEXT NOT NULL CHECK (how IN ('room', 'online')),
    marked_at INTEGER NOT NULL,
    PRIMARY KEY (assembly_id, member_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX assembly_presence_by_member ON assembly_presence(member_id);
