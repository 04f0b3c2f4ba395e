-- Repeating events (issue 16, step 2): an event's rule, and an
-- occurrence's own address.
--
-- A repeating event has one row here; its occurrences stay rows of
-- event_occurrences, materialised from the rule when the event is made or
-- changed (the calendar, registrations and feeds read those rows). The
-- columns freq and every of events (066) predate this table and stay at
-- their defaults: 066's CHECK has no daily rule, and a STRICT table's
-- CHECK cannot change without rebuilding a table that others reference.
-- The rule ends on a day (inclusive, in the event's zone) or after a
-- count; either way the area refuses a rule of more than 300 occurrences.
CREATE TABLE event_rules (
    event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    freq TEXT NOT NULL CHECK (freq IN ('daily', 'weekly', 'monthly')),
    every INTEGER NOT NULL CHECK (every BETWEEN 1 AND 99),
    until_day TEXT CHECK (until_day IS NULL OR length(until_day) = 10),
    count INTEGER CHECK (count IS NULL OR count BETWEEN 1 AND 300),
    CHECK ((until_day IS NULL) <> (count IS NULL))
) STRICT;
CREATE INDEX event_rules_by_community ON event_rules(community_id);

-- A changed occurrence's own address (sealed in a secret community, as the
-- event's is); NULL: the event's.
ALTER TABLE event_occurrences ADD COLUMN place_text TEXT;
