-- Withdrawn pledges (issue 14): a pledge withdrawn leaves the pledges and
-- is kept here with the day it was withdrawn, so that the treasurers and
-- the organizers see who promised what and took it back, and the
-- transparency report says what was pledged and what was withdrawn.
-- Numbered before the pledges' table (090): it names no table of 090, and
-- its materials are sealed under the pledges' column name
-- ('initiative_pledges.materials'), being the same text moved here as it was.
CREATE TABLE initiative_pledges_withdrawn (
    id INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    line_id INTEGER REFERENCES initiative_budget_lines(id) ON DELETE SET NULL,
    money INTEGER NOT NULL DEFAULT 0 CHECK (money >= 0),
    hours INTEGER NOT NULL DEFAULT 0 CHECK (hours >= 0),
    materials TEXT NOT NULL DEFAULT '',
    pledged_at INTEGER NOT NULL,
    withdrawn_at INTEGER NOT NULL
) STRICT;
CREATE INDEX initiative_pledges_withdrawn_by_initiative
    ON initiative_pledges_withdrawn(initiative_id, id);
CREATE INDEX initiative_pledges_withdrawn_by_community ON initiative_pledges_withdrawn(community_id);
CREATE INDEX initiative_pledges_withdrawn_by_member ON initiative_pledges_withdrawn(member_id);
