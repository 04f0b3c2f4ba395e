-- Notifications (issue 17, step 1): what is new for a member, written in the
-- transaction of the change that causes it (core/notify.c), never computed
-- on a page view. Addressed to a MEMBER (community-local id), never to an
-- account: a member of a secret community is tied to its account only in the
-- person's keyring, and a notice must not be a second tie.
--
-- No text: a notice is its kind (the area's catalog label renders it) and the
-- id of the object it is about; the inbox makes the link. A day and a time:
-- the time is the event's own (the object's table already holds it), and the
-- order of the inbox needs it.
CREATE TABLE notifications(
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
    object_id    INTEGER NOT NULL,
    day          INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    unread       INTEGER NOT NULL DEFAULT 1 CHECK (unread IN (0, 1))
) STRICT;
-- The inbox, newest first per member.
CREATE INDEX notifications_by_member ON notifications(member_id, id DESC);
-- The header's count: only unread rows, so counting reads what it counts.
CREATE INDEX notifications_unread ON notifications(member_id) WHERE unread = 1;
CREATE INDEX notifications_community ON notifications(community_id);

-- A member's choice per kind (no row: the kind's default). WITHOUT ROWID and
-- keyed by the random member id: a person's choices saved for all their
-- communities at once get no consecutive row ids that would pair a secret
-- community's member with a public one's.
CREATE TABLE notify_prefs(
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
    channel   TEXT NOT NULL,
    PRIMARY KEY (member_id, kind)
) STRICT, WITHOUT ROWID;
