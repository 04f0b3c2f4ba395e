-- migrate: foreign keys off
-- A mail handed to the relay exactly once at most (issue 17; src/core/jobs.c,
-- src/areas/notify/mail.c): two states more for an external job.
--
-- 'sending': committed just before the last byte of a mail (SMTP's final
-- dot) goes to the relay. From that moment the relay may hold the mail and
-- we cannot know it until it answers; a process killed then leaves the row
-- 'sending', and the next start makes it 'uncertain' instead of sending it
-- again. A job still 'running' (leased, the dot not given) is retried as
-- before: the relay cannot have accepted a mail whose end it never saw.
--
-- 'uncertain': finished, not retried, counted on the administrator's mail
-- page (/admin/mail); the notices it was about stay in the inbox.
--
-- SQLite cannot change a CHECK in place: the table is rebuilt (nothing
-- refers to it, the line above only keeps the rule of rebuilds).
CREATE TABLE jobs_new(
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
    key         TEXT UNIQUE CHECK (key IS NULL OR length(key) BETWEEN 1 AND 100),
    payload     TEXT NOT NULL DEFAULT '{}' CHECK (length(payload) <= 4000),
    run_after   INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    state       TEXT NOT NULL DEFAULT 'ready'
                CHECK (state IN ('ready', 'running', 'sending', 'done', 'failed', 'uncertain')),
    lease_until INTEGER NOT NULL DEFAULT 0,
    done_at     INTEGER
) STRICT;
INSERT INTO jobs_new(id, kind, key, payload, run_after, attempts, state, lease_until, done_at)
    SELECT id, kind, key, payload, run_after, attempts, state, lease_until, done_at FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
CREATE INDEX jobs_due ON jobs(run_after) WHERE state IN ('ready', 'running');
CREATE INDEX jobs_finished ON jobs(done_at) WHERE state IN ('done', 'failed', 'uncertain');
-- The rows a kill left in the middle of a delivery (few: at most one).
CREATE INDEX jobs_sending ON jobs(id) WHERE state = 'sending';
