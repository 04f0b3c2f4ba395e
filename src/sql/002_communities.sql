-- Communities, their territories and prerequisites, members and roles,
-- invitations and join requests.

CREATE TABLE territories(
    id        INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES territories(id) ON DELETE RESTRICT,
    kind      TEXT NOT NULL CHECK (kind IN ('country', 'region', 'city', 'district', 'neighbourhood')),
    name      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX territories_name ON territories(coalesce(parent_id, 0), name);

CREATE TABLE communities(
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    visibility   INTEGER NOT NULL CHECK (visibility IN (0, 1, 2)), -- public, closed, secret
    territory_id INTEGER REFERENCES territories(id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX communities_visibility ON communities(visibility, name);

CREATE TABLE community_prereqs(
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    prereq       TEXT NOT NULL CHECK (prereq IN ('intentions', 'places', 'interests', 'knowledge',
                                                 'problems', 'circumstances', 'actions')),
    PRIMARY KEY (community_id, prereq)
) STRICT, WITHOUT ROWID;

CREATE TABLE memberships(
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('member', 'organizer', 'facilitator', 'mentor', 'expert')),
    joined_at    INTEGER NOT NULL,
    PRIMARY KEY (community_id, account_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX memberships_account ON memberships(account_id, community_id);

-- The invitation token is shown once, when it is made; we keep its hash.
CREATE TABLE invitations(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    role         TEXT NOT NULL CHECK (role IN ('member', 'organizer', 'facilitator', 'mentor', 'expert')),
    max_uses     INTEGER NOT NULL CHECK (max_uses >= 1),
    uses         INTEGER NOT NULL DEFAULT 0,
    expires_at   INTEGER NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    revoked      INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX invitations_community ON invitations(community_id);

CREATE TABLE join_requests(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    message      TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
    created_at   INTEGER NOT NULL,
    decided_at   INTEGER
) STRICT;
CREATE UNIQUE INDEX join_requests_pending ON join_requests(community_id, account_id)
    WHERE status = 'pending';
