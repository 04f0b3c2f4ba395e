-- Residents' initiatives (issue 14), step 4: fundraising and the
-- transparency report.
--
-- Money is an integer of the currency's minor unit (kopecks), never
-- negative; days are ISO dates. Free texts go through seal() in the area's
-- model (model_funds.c), as in 060 and 064: the CHECKs refuse only an empty
-- required text, and the lengths are the forms' rules.

-- The currency the initiatives of a community count in (a code of
-- ISO 4217); a community without a settings row counts in roubles.
ALTER TABLE initiative_settings ADD COLUMN currency TEXT NOT NULL DEFAULT 'RUB';

-- Treasurers: members the organizers name for one initiative; they record
-- its sources, money received and spent, and mark pledges fulfilled, as
-- organizers do. A role of the initiative, not of the community: the
-- person who keeps a yard's collection is not given every initiative's
-- books.
CREATE TABLE initiative_treasurers (
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    PRIMARY KEY (initiative_id, member_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX initiative_treasurers_by_member ON initiative_treasurers(member_id);
CREATE INDEX initiative_treasurers_by_community ON initiative_treasurers(community_id);

-- Pledges of members: money, hours and materials (a text), against a
-- budget line or the initiative as a whole (line_id NULL). The member
-- withdraws it (the row goes) while it is not fulfilled; an organizer or a
-- treasurer marks it fulfilled (fulfilled_at, fulfilled_by).
CREATE TABLE initiative_pledges (
    id INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    line_id INTEGER REFERENCES initiative_budget_lines(id) ON DELETE SET NULL,
    money INTEGER NOT NULL DEFAULT 0 CHECK (money >= 0),
    hours INTEGER NOT NULL DEFAULT 0 CHECK (hours >= 0),
    materials TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    fulfilled_at INTEGER,
    fulfilled_by INTEGER REFERENCES members(id) ON DELETE SET NULL,
    CHECK (money > 0 OR hours > 0 OR materials <> '')
) STRICT;
CREATE INDEX initiative_pledges_by_initiative ON initiative_pledges(initiative_id, id);
CREATE INDEX initiative_pledges_by_community ON initiative_pledges(community_id);
CREATE INDEX initiative_pledges_by_member ON initiative_pledges(member_id)
    WHERE member_id IS NOT NULL;
CREATE INDEX initiative_pledges_by_line ON initiative_pledges(line_id) WHERE line_id IS NOT NULL;
CREATE INDEX initiative_pledges_by_fulfiller ON initiative_pledges(fulfilled_by)
    WHERE fulfilled_by IS NOT NULL;

-- External sources: a grant application (the funder, the amount asked, a
-- deadline, its status and the amount granted), a sponsor (a name until
-- the partners area exists; partner_id is kept for it, without a foreign
-- key to a table that is not there yet) with the amount promised, and a
-- collection (its name, a target, a deadline). What came in from each is
-- the money received that names it.
CREATE TABLE initiative_sources (
    id INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('grant', 'sponsor', 'collection')),
    name TEXT NOT NULL CHECK (length(name) >= 1),
    partner_id INTEGER,
    amount INTEGER NOT NULL CHECK (amount >= 0),
    deadline TEXT CHECK (deadline IS NULL OR deadline GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    status TEXT CHECK ((kind = 'grant' AND status IN ('preparing', 'sent', 'granted', 'refused'))
                       OR (kind <> 'grant' AND status IS NULL)),
    granted INTEGER CHECK (granted IS NULL OR granted >= 0),
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX initiative_sources_by_initiative ON initiative_sources(initiative_id, id);
CREATE INDEX initiative_sources_by_community ON initiative_sources(community_id);
CREATE INDEX initiative_sources_by_member ON initiative_sources(member_id)
    WHERE member_id IS NOT NULL;

-- Money received: from a pledge, a grant, a sponsor, a collection or
-- other, naming the pledge or the source where there is one; recorded by
-- an organizer or a treasurer (member_id). Money spent is
-- initiative_spending (064), against a budget line.
CREATE TABLE initiative_income (
    id INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    source TEXT NOT NULL CHECK (source IN ('pledge', 'grant', 'sponsor', 'collection', 'other')),
    pledge_id INTEGER REFERENCES initiative_pledges(id) ON DELETE SET NULL,
    source_id INTEGER REFERENCES initiative_sources(id) ON DELETE SET NULL,
    amount INTEGER NOT NULL CHECK (amount >= 0),
    day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    note TEXT NOT NULL DEFAULT '',
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    CHECK (pledge_id IS NULL OR source = 'pledge'),
    CHECK (source_id IS NULL OR source IN ('grant', 'sponsor', 'collection'))
) STRICT;
CREATE INDEX initiative_income_by_initiative ON initiative_income(initiative_id, source);
CREATE INDEX initiative_income_by_community ON initiative_income(community_id);
CREATE INDEX initiative_income_by_source ON initiative_income(source_id) WHERE source_id IS NOT NULL;
CREATE INDEX initiative_income_by_pledge ON initiative_income(pledge_id) WHERE pledge_id IS NOT NULL;
CREATE INDEX initiative_income_by_member ON initiative_income(member_id)
    WHERE member_id IS NOT NULL;
