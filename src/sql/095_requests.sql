-- Residents' requests (issue 18, step 1): a resident asks the community
-- for help or raises a question, and the staff triage it. Today a request
-- comes from a member (origin 'member', member_id the resident); a request
-- through a link by a resident without an account (origin 'link', no
-- member) comes next, and so do referrals to a partner with consent and the
-- erasure of personal details after a retention period: closed_at starts
-- that period, and erased_at says the details are gone (body, contact and
-- answer emptied, the history's notes too), leaving the sector of the
-- partner, the dates and the status.
--
-- Personal details (body, contact, answer, the history's notes) are shown
-- only to the resident, the member handling it and the organizers the
-- community names for that (request_readers); model_request.c puts that
-- rule into every statement that reads them. Texts are sealed in a secret
-- community.
CREATE TABLE resident_requests (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    origin TEXT NOT NULL DEFAULT 'member' CHECK (origin IN ('member', 'link')),
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    subject TEXT NOT NULL CHECK (length(subject) >= 1),
    body TEXT NOT NULL DEFAULT '',
    answer_via TEXT NOT NULL CHECK (answer_via IN ('site', 'phone', 'email', 'in_person')),
    contact TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_work', 'answered',
        'initiative', 'talent', 'closed')),
    handler_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    partner_id INTEGER REFERENCES partners(id) ON DELETE SET NULL,
    answer TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    closed_at INTEGER,
    erased_at INTEGER
) STRICT;
CREATE INDEX resident_requests_by_community ON resident_requests(community_id, id);
CREATE INDEX resident_requests_by_status ON resident_requests(community_id, status, id);
CREATE INDEX resident_requests_by_member ON resident_requests(member_id, id)
    WHERE member_id IS NOT NULL;
CREATE INDEX resident_requests_by_handler ON resident_requests(handler_id)
    WHERE handler_id IS NOT NULL;
CREATE INDEX resident_requests_by_partner ON resident_requests(partner_id)
    WHERE partner_id IS NOT NULL;

-- What happened to a request: each status move, assignment and answer, by
-- whom (a member; nobody once they left), with a note for the readers.
CREATE TABLE request_history (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES resident_requests(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX request_history_by_request ON request_history(request_id, id);
CREATE INDEX request_history_by_community ON request_history(community_id);
CREATE INDEX request_history_by_member ON request_history(member_id)
    WHERE member_id IS NOT NULL;

-- The organizers the community names to read every request's personal
-- details (beside the one handling it). A reader who stops being an
-- organizer reads nothing more: the statements also ask the role.
CREATE TABLE request_readers (
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    PRIMARY KEY (community_id, member_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX request_readers_by_member ON request_readers(member_id);
