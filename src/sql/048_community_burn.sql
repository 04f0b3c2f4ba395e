-- Burning a secret community with several organizers takes two of them
-- (issue 13): the first one's request waits here, a day at most, for
-- another organizer to confirm it. One organizer alone cannot destroy what
-- others built; one organizer under pressure can still start it, and a
-- second, out of reach, finish it.
CREATE TABLE community_burns(
    community_id INTEGER PRIMARY KEY REFERENCES communities(id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    asked_at     INTEGER NOT NULL
) STRICT;
