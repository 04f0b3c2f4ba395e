-- Matches kept ready (issue 10): each entry's best candidates, ranked when
-- an entry is written rather than on every page that shows them. A page
-- reads these rows and only decides what its viewer may see.
--
-- score and why are what talent_rank gives: why is the shared tags and
-- words, ", "-joined (the page turns it into a sentence in the viewer's
-- language). Visibility is not stored: it depends on the viewer and on
-- memberships that change without a write to the entry, so it is checked
-- when the rows are read. Both ends cascade: a deleted entry leaves no row,
-- neither its own matches nor any in which it is the candidate.
CREATE TABLE talent_matches(
    entry_id     INTEGER NOT NULL REFERENCES talent_entries(id) ON DELETE CASCADE,
    candidate_id INTEGER NOT NULL REFERENCES talent_entries(id) ON DELETE CASCADE,
    score        INTEGER NOT NULL,
    why          TEXT NOT NULL,
    -- a list in rank order: a page walks it best first and stops at what
    -- it shows, with no sort (an entry's list is short: finding one
    -- candidate in it walks at most TALENT_READY rows)
    PRIMARY KEY(entry_id, score, candidate_id)
) WITHOUT ROWID;
-- An edit or a deletion finds the lists the entry stands in.
CREATE INDEX talent_matches_candidate ON talent_matches(candidate_id);

-- The entries whose matches are still to be computed: every entry of an
-- existing database. The start-up upgrade (talent_matches_backfill) works
-- through them in batches with progress; a new entry is ranked as it is
-- written and never stands here.
CREATE TABLE talent_matches_todo(
    entry_id INTEGER PRIMARY KEY REFERENCES talent_entries(id) ON DELETE CASCADE
);
INSERT INTO talent_matches_todo(entry_id) SELECT id FROM talent_entries;
