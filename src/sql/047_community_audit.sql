-- What the organizers of a community did, for the organizers (issue 13):
-- role changes, removals, invitations made and revoked, join requests
-- decided, settings and the second-factor rule changed, exports downloaded.
--
-- A row keeps the day only (no time, no address, no browser): enough to
-- answer "who changed this, and when", too little to match an organizer's
-- act to a server log or a network trace. The actor is a member of the
-- community (never an account); when they leave the row stays and names
-- nobody. The subject is what the act was about, as the organizers saw it
-- (a member's name, an invitation's role, an export's name). Rows older
-- than 365 days go when the next one of the community is written.
CREATE TABLE community_audit(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    day          INTEGER NOT NULL,
    actor_id     INTEGER REFERENCES members(id) ON DELETE SET NULL,
    action       TEXT NOT NULL CHECK (action IN ('role', 'remove', 'invite', 'invite_revoke',
                                                 'request_approve', 'request_decline', 'settings',
                                                 'second_factor_on', 'second_factor_off',
                                                 'export', 'burn_asked')),
    subject      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX community_audit_by_community ON community_audit(community_id, id);
CREATE INDEX community_audit_actor ON community_audit(actor_id);
