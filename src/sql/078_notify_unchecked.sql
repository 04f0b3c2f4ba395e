-- The scheduled pass's notices in secret communities (issue 17; src/core/
-- notify.c, src/areas/notify/pass.c). The pass runs on the job thread,
-- without any member's keys, and a secret community's choices per kind are
-- sealed (notify_prefs.channel): it cannot tell a member who chose
-- "nothing" from one who did not. It writes the notice anyway, marked
-- unchecked; the member's own request, which holds their keys, settles it
-- (drops it if they chose "nothing", else clears the mark) before the
-- header counts or the inbox lists it. The mark says nothing the row did
-- not: a kind ending in .closing or .tomorrow in a secret community is the
-- pass's anyway.
ALTER TABLE notifications ADD COLUMN unchecked INTEGER NOT NULL DEFAULT 0
    CHECK (unchecked IN (0, 1));
CREATE INDEX notifications_unchecked ON notifications(member_id) WHERE unchecked = 1;
