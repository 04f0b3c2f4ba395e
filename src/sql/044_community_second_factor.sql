-- The community rule "organizers must use a second factor" (issue 13). In
-- such a community an organizer without a confirmed second factor has only
-- a member's capabilities (community/caps.c). Secret communities, where a
-- taken-over organizer account exposes the member list, get it on; new
-- secret communities get it on when they are made.
ALTER TABLE communities ADD COLUMN organizers_second_factor INTEGER NOT NULL DEFAULT 0
    CHECK (organizers_second_factor IN (0, 1));
UPDATE communities SET organizers_second_factor = 1 WHERE visibility = 2;
