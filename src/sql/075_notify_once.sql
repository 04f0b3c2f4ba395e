-- Notices the scheduled pass writes (issue 17, step 4; src/areas/notify/
-- pass.c): "closing in a day" and "an event you registered for is
-- tomorrow". The pass runs again and again over the same window, and may be
-- killed and rerun; the notice must be written once per member, object and
-- due day (day holds the day the object closes or the occurrence starts,
-- not the day it was written), so the database refuses a second.
CREATE UNIQUE INDEX notifications_once ON notifications(member_id, kind, object_id, day)
    WHERE kind GLOB '*.closing' OR kind GLOB '*.tomorrow';

-- What the pass reads every few minutes, by time rather than by community.
CREATE INDEX shared_values_closing ON shared_values(closes_at) WHERE ended_early IS NULL;
CREATE INDEX surveys_closing ON surveys(closes_on) WHERE published = 1;
CREATE INDEX event_occurrences_starting ON event_occurrences(starts_at);
