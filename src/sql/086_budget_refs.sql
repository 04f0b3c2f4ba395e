-- Participatory budgeting (issue 15): a project keeps the id it had in a
-- pabulib file it was imported from (hramada budget import), so that the
-- recount prints the file's ids and a re-export writes them again. NULL
-- for projects proposed here, whose id is their row id.
ALTER TABLE budget_projects ADD COLUMN ref TEXT;
CREATE UNIQUE INDEX budget_projects_by_ref ON budget_projects(process_id, ref) WHERE ref IS NOT NULL;
