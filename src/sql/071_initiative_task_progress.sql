-- Residents' initiatives (issue 14), step 3: the implementation's task
-- progress. A task's status (todo, in_progress, done; migration 064) says
-- where it is; its progress (percent) says how far a task in progress has
-- come, as the strategy area's actions do. A done task is not forced to
-- 100: the status is what the gate reads.
ALTER TABLE initiative_tasks ADD COLUMN progress INTEGER NOT NULL DEFAULT 0
    CHECK (progress BETWEEN 0 AND 100);
