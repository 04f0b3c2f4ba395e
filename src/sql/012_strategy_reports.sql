-- What the strategy's daily use needed on top of the first schema.
--
-- An action's progress: its owner (or the staff) reports how far it is,
-- in percent, together with its status.
ALTER TABLE actions ADD COLUMN progress INTEGER NOT NULL DEFAULT 0
    CHECK (progress BETWEEN 0 AND 100);

-- A vote that ended before its date: closed by an organizer (with the
-- reason members read on the page) or decided at once because its outcome
-- could no longer change. closes_at is then the moment it ended, so every
-- reader that compares closes_at with the clock sees it closed; ended_early
-- says why: 'organizer' or 'decided'.
ALTER TABLE shared_values ADD COLUMN ended_early TEXT
    CHECK (ended_early IN ('organizer', 'decided'));
ALTER TABLE shared_values ADD COLUMN close_reason TEXT;
ALTER TABLE strategy_texts ADD COLUMN ended_early TEXT
    CHECK (ended_early IN ('organizer', 'decided'));
ALTER TABLE strategy_texts ADD COLUMN close_reason TEXT;
