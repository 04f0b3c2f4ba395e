-- The job queue (issue 17, step 4; src/core/jobs.{h,c}): work the server does
-- apart from any request, kept in the database so that a restart or a
-- SIGKILL loses none of it. One row per job: its kind (a handler's name),
-- a small JSON payload, the time before which it does not run, the attempts
-- made and its state.
--
-- A job whose effect is in this database (the scheduled pass, a mail's
-- making) is done in the same transaction as its effect: it is claimed,
-- run and marked done in one commit, so a kill leaves it either done with
-- its effect or not done without it. A job whose effect is outside (a
-- mail handed to the relay) is leased: 'running' until lease_until, then
-- taken again by the next pass if the process died meanwhile.
--
-- key makes enqueuing idempotent: a second job under the same key is not
-- made (the recurring pass's one row, a digest per person and day).
CREATE TABLE jobs(
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
    key         TEXT UNIQUE CHECK (key IS NULL OR length(key) BETWEEN 1 AND 100),
    payload     TEXT NOT NULL DEFAULT '{}' CHECK (length(payload) <= 4000),
    run_after   INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    state       TEXT NOT NULL DEFAULT 'ready'
                CHECK (state IN ('ready', 'running', 'done', 'failed')),
    lease_until INTEGER NOT NULL DEFAULT 0,
    done_at     INTEGER
) STRICT;
-- What is due: only the rows still to do, by time.
CREATE INDEX jobs_due ON jobs(run_after) WHERE state IN ('ready', 'running');
-- Done and failed rows kept for a while (their keys stop a second enqueue),
-- then pruned by the pass.
CREATE INDEX jobs_finished ON jobs(done_at) WHERE state IN ('done', 'failed');
