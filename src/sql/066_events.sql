-- Events (issue 16, step 1): a community's events, their occurrences and
-- the members' registrations.
--
-- An event holds what its occurrences share (kind, texts, place, capacity,
-- who may see it); every event has at least one occurrence, the times it
-- takes place, in UTC seconds with the zone they were given in. A later
-- step makes an assembly an event of kind 'assembly' whose agenda items
-- reference events(id); the kinds are allowed here already so that the
-- STRICT table needs no rebuild. Texts are written through seal() (the
-- area's model.c): the CHECKs refuse only an empty title.

-- The community's time zone, an IANA name; no row: Europe/Moscow.
CREATE TABLE event_zones (
    community_id INTEGER PRIMARY KEY REFERENCES communities(id) ON DELETE CASCADE,
    zone TEXT NOT NULL CHECK (length(zone) BETWEEN 1 AND 64)
) STRICT;

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    -- Who made it: a member, never an account.
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('leisure', 'housing', 'landscaping', 'club', 'training',
                                       'other', 'assembly', 'meeting', 'hearing')),
    title TEXT NOT NULL CHECK (length(title) >= 1),
    description TEXT NOT NULL DEFAULT '',
    zone TEXT NOT NULL,
    territory_id INTEGER REFERENCES territories(id) ON DELETE SET NULL,
    place_text TEXT NOT NULL DEFAULT '',
    online_url TEXT NOT NULL DEFAULT '',
    capacity INTEGER CHECK (capacity IS NULL OR capacity BETWEEN 1 AND 100000),
    audience TEXT NOT NULL DEFAULT 'members' CHECK (audience IN ('members', 'everyone')),
    -- Repetition: none, or weekly every `every` weeks, or monthly by the
    -- weekday of the first occurrence; the occurrences are rows below.
    freq TEXT NOT NULL DEFAULT 'none' CHECK (freq IN ('none', 'weekly', 'monthly')),
    every INTEGER NOT NULL DEFAULT 1 CHECK (every BETWEEN 1 AND 52),
    cancelled_reason TEXT,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX events_by_community ON events(community_id, id);
CREATE INDEX events_by_member ON events(member_id) WHERE member_id IS NOT NULL;
CREATE INDEX events_by_territory ON events(territory_id) WHERE territory_id IS NOT NULL;

-- One time an event takes place. seq numbers a series' occurrences from
-- 0; recurrence_id is the start the rule gives it (RECURRENCE-ID), which a
-- changed occurrence keeps while its own times move; a cancelled one has
-- its reason (EXDATE in a feed).
CREATE TABLE event_occurrences (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL CHECK (seq >= 0),
    recurrence_id INTEGER NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    changed INTEGER NOT NULL DEFAULT 0 CHECK (changed IN (0, 1)),
    cancelled_reason TEXT,
    CHECK (ends_at > starts_at),
    UNIQUE (event_id, seq)
) STRICT;
CREATE INDEX event_occurrences_by_start ON event_occurrences(community_id, starts_at);
CREATE INDEX event_occurrences_by_end ON event_occurrences(community_id, ends_at);

-- A member's place at an occurrence: registered, or on the waiting list
-- (in the order of id). Kept simple on purpose (member, occurrence, event,
-- state), so that a reminder can ask "what is tomorrow" of it. A
-- cancellation deletes the row; attended is marked by organizers.
CREATE TABLE event_registrations (
    id INTEGER PRIMARY KEY,
    occurrence_id INTEGER NOT NULL REFERENCES event_occurrences(id) ON DELETE CASCADE,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('registered', 'waiting')),
    attended INTEGER NOT NULL DEFAULT 0 CHECK (attended IN (0, 1)),
    created_at INTEGER NOT NULL,
    UNIQUE (occurrence_id, member_id)
) STRICT;
CREATE INDEX event_registrations_by_state ON event_registrations(occurrence_id, state, id);
CREATE INDEX event_registrations_by_event ON event_registrations(event_id);
CREATE INDEX event_registrations_by_community ON event_registrations(community_id);
CREATE INDEX event_registrations_by_member ON event_registrations(member_id);
