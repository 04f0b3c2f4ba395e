-- Minutes of assemblies (issue 16, step 4): the record of a meeting, one
-- per assembly, drafted by the system from the assembly's data (date,
-- place, present and quorum, chair, secretary, agenda, per item heard,
-- spoke, decided and the votes), edited by the secretary as Markdown and
-- approved by the chair; approved minutes are frozen (the WHERE of every
-- edit asks for state = 'draft').
--
-- body is sealed in a secret community. counts_only: the draft shows
-- counts instead of names (present, votes), a choice offered in closed
-- and secret communities. Who edited and approved are members, never
-- accounts.
CREATE TABLE assembly_minutes (
    assembly_id INTEGER PRIMARY KEY REFERENCES assemblies(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    body TEXT NOT NULL CHECK (length(body) >= 1),
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'approved')),
    counts_only INTEGER NOT NULL DEFAULT 0 CHECK (counts_only IN (0, 1)),
    edited_by INTEGER REFERENCES members(id) ON DELETE SET NULL,
    approved_by INTEGER REFERENCES members(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    edited_at INTEGER NOT NULL,
    approved_at INTEGER,
    CHECK (state = 'draft' OR approved_at IS NOT NULL)
) STRICT;
CREATE INDEX assembly_minutes_by_community ON assembly_minutes(community_id);
CREATE INDEX assembly_minutes_by_editor ON assembly_minutes(edited_by) WHERE edited_by IS NOT NULL;
CREATE INDEX assembly_minutes_by_approver ON assembly_minutes(approved_by)
    WHERE approved_by IS NOT NULL;
