-- The newest needs of a community that are not hidden, in id order: what
-- an initiative's analysis offers as evidence (issue 14). Without it the
-- page sorted every need of the community (thousands in a large one) on
-- each view of an initiative at work; with it the newest are read first
-- and the walk stops at the hundredth.
CREATE INDEX talent_entries_needs ON talent_entries(community_id, id)
    WHERE kind = 'need' AND hidden_reason IS NULL;
