-- The sessions list of the account page (issue 13): created and last used,
-- by day only, and a name the person may give ("phone"). No address and no
-- user agent, here or anywhere.
--
-- created_at and expires_at stay (seconds columns that other code reads),
-- but from now on they hold only the start of a day: the time of day a
-- person signed in is not kept. last_day is written at most once a day per
-- session, so that reading pages stays reading.
ALTER TABLE sessions ADD COLUMN last_day INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN name TEXT CHECK (name IS NULL OR length(name) <= 40);
UPDATE sessions SET created_at = created_at - created_at % 86400,
                    expires_at = expires_at - expires_at % 86400 + 86400;
UPDATE sessions SET last_day = created_at / 86400;
