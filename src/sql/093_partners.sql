-- The partners directory (issue 18, step 1): the players of the territory a
-- community works with, by sector. Every free text is written through
-- seal() (sealed in a secret community), so the table only refuses an empty
-- name and the forms keep the lengths people may type. The sector is one of
-- a fixed list (src/areas/partner/partner.h), its names in the catalogs.
-- A partner is shown outside the staff only when is_public is 1 (off by
-- default): then its name, sector, territory and how to reach it, never
-- its notes or contact persons.
CREATE TABLE partners (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) >= 1),
    sector TEXT NOT NULL CHECK (sector IN ('government', 'housing', 'social', 'libraries', 'fire',
        'service_centre', 'deputy', 'ngo', 'business', 'culture', 'sport', 'religion',
        'resource_centre', 'media', 'other')),
    territory TEXT NOT NULL DEFAULT '',
    reach TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    is_public INTEGER NOT NULL DEFAULT 0 CHECK (is_public IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX partners_by_community ON partners(community_id, sector, id);

-- The people to talk to at a partner, with their role there ("head of the
-- housing office"). They are not members: a name and a role, for the staff.
CREATE TABLE partner_contacts (
    id INTEGER PRIMARY KEY,
    partner_id INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) >= 1),
    role TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX partner_contacts_by_partner ON partner_contacts(partner_id, id);
CREATE INDEX partner_contacts_by_community ON partner_contacts(community_id);
