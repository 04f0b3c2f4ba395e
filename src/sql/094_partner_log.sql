-- The interaction log of a partner (issue 18, step 1): requests sent to it,
-- negotiations, agreements and conflicts, each with its date (day, midnight
-- UTC), subject, status and outcome, and the next step with its date and
-- the member responsible (a member of the community, never an account; the
-- step stays, with nobody responsible, when the member leaves). Texts are
-- sealed in a secret community (seal() in model_log.c).
CREATE TABLE partner_log (
    id INTEGER PRIMARY KEY,
    partner_id INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    day INTEGER NOT NULL,
    subject TEXT NOT NULL CHECK (length(subject) >= 1),
    kind TEXT NOT NULL CHECK (kind IN ('request', 'negotiation', 'agreement', 'conflict')),
    status TEXT NOT NULL CHECK (status IN ('open', 'waiting', 'agreed', 'refused', 'conflict',
        'closed')),
    outcome TEXT NOT NULL DEFAULT '',
    next_step TEXT NOT NULL DEFAULT '',
    next_due INTEGER,
    next_member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX partner_log_by_partner ON partner_log(partner_id, day, id);
-- the staff's "overdue next steps": steps with a date whose entry is not
-- settled (agreed, refused, closed), soonest first
CREATE INDEX partner_log_due ON partner_log(community_id, next_due)
    WHERE next_due IS NOT NULL AND status IN ('open', 'waiting', 'conflict');
CREATE INDEX partner_log_by_member ON partner_log(next_member_id)
    WHERE next_member_id IS NOT NULL;
-- the scheduled pass's look over every community for steps just overdue
CREATE INDEX partner_log_due_all ON partner_log(next_due)
    WHERE next_due IS NOT NULL AND status IN ('open', 'waiting', 'conflict')
    AND next_member_id IS NOT NULL;
-- Its notice is written once per organizer, partner and step's day, as the
-- pass's other notices are (migration 075 names those by their suffix).
CREATE UNIQUE INDEX notifications_once_partner ON notifications(member_id, kind, object_id, day)
    WHERE kind = 'partner.step_overdue';
