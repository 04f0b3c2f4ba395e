-- Decisions of assemblies (issue 16, step 3): what an assembly decided,
-- per agenda item, and the community's register of them with their
-- status (to do, done, not done) and the initiative created from one.
--
-- A proposal adopted when its vote closes becomes a decision with its
-- text; the secretary may record others (a decision taken without a
-- formal vote, "heard and noted"). The text is sealed in a secret
-- community. initiative_id links, never copies: the initiative area stays
-- the owner of what is done about it.
CREATE TABLE assembly_decisions (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    assembly_id INTEGER NOT NULL REFERENCES assemblies(id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL REFERENCES assembly_items(id) ON DELETE CASCADE,
    proposal_id INTEGER UNIQUE REFERENCES assembly_proposals(id) ON DELETE SET NULL,
    text TEXT NOT NULL CHECK (length(text) >= 1),
    status TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'done', 'not_done')),
    initiative_id INTEGER REFERENCES initiatives(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX assembly_decisions_by_community ON assembly_decisions(community_id, id);
CREATE INDEX assembly_decisions_by_assembly ON assembly_decisions(assembly_id, item_id, id);
CREATE INDEX assembly_decisions_by_item ON assembly_decisions(item_id);
CREATE INDEX assembly_decisions_by_initiative ON assembly_decisions(initiative_id)
    WHERE initiative_id IS NOT NULL;
