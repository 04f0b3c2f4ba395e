/*
 * The job queue (issue 17, step 4; migration 074; docs/architecture.md,
 * "The job queue").
 *
 * Jobs are rows of the database, worked by one thread of the server
 * (jobs_start; serve starts it). A handler is one of two sorts:
 *
 * - local: its effect is in this database. The worker claims the job, runs
 *   the handler on the writer and marks the job done in one transaction, so
 *   a SIGKILL at any moment leaves the job either done with its effect or
 *   still to do without it: never lost, never done twice.
 * - external: its effect leaves the process (a mail handed to the relay).
 *   The worker leases the job in one transaction ('running' until the lease
 *   ends), runs the handler with no transaction open, and finishes it in a
 *   second. After a kill between the two, the lease runs out and the job
 *   runs again, unless the handler had marked it 'sending' (jobs_mark_
 *   sending: the moment from which the far side may hold the effect, a
 *   mail's final dot): such a job is never run again but made 'uncertain'
 *   at the next start (jobs_settle_sending). So an external job's effect
 *   happens at most once; one cut off between its mark and its end is
 *   counted, not repeated.
 *
 * A handler that fails is retried with back-off (jobs_backoff) up to
 * JOBS_MAX_ATTEMPTS times, then the job is 'failed' and kept for a while.
 * A recurring job asks to run again (JOB_AGAIN) instead of being done: it
 * stays one row.
 *
 * No global state: everything the thread uses is in its struct jobs.
 */
#ifndef HR_JOBS_H
#define HR_JOBS_H

#include <jansson.h>
#include <stdint.h>

struct db;
struct dbc;

enum { JOBS_MAX_ATTEMPTS = 8, JOBS_MAX_ITEMS = 200 };

enum job_result {
    JOB_DONE = 0,     /* finished: marked done */
    JOB_RETRY = 1,    /* failed this time: again after the back-off */
    JOB_AGAIN = 2,    /* recurring: again at job->next_run, attempts reset */
    JOB_FAILED = 3,   /* failed for good (a malformed payload): not retried */
    JOB_UNCERTAIN = 4 /* external, marked sending, no answer: not retried */
};

struct job {
    int64_t id;
    const char *kind;
    const char *key; /* NULL when it has none */
    const char *payload;
    int attempts;     /* made before this one */
    int64_t now;      /* the worker's clock for this run */
    int64_t next_run; /* JOB_AGAIN: when (set by the handler) */
};

struct job_handler {
    const char *kind;
    int external; /* 0: run on the writer inside the claim's transaction */
    /* w: the writer inside a transaction (local), or NULL (external). The
     * handler of a local job must not commit or roll back. */
    enum job_result (*run)(void *arg, struct db *db, struct dbc *w, struct job *job);
};

struct jobs_config {
    const struct job_handler *handlers; /* ended by a NULL kind */
    void *arg;                          /* passed to every handler */
    int poll_ms;                        /* between passes over the due jobs; 0: 1000 */
    int lease_s;                        /* an external job's lease; 0: 300 */
};

/* On the writer, in the caller's transaction: a job of kind with payload
 * (NULL: "{}") due at run_after. With a key, a job already under it (done
 * or not) makes this a no-op. 1 when made, 0 when the key was there, -1 on
 * error. */
int jobs_enqueue(struct dbc *w, const char *kind, const char *key, const char *payload,
                 int64_t run_after);

/* On the writer: a job that gathers items (a mail of several notices). The
 * job under key is made with payload plus {"items": [item]}, or, while it
 * is still to run, gets item appended to its items (up to JOBS_MAX_ITEMS;
 * past them, or once it ran, nothing changes). 1 made or grown, 0 not, -1
 * on error. */
int jobs_enqueue_add(struct dbc *w, const char *kind, const char *key, const char *payload,
                     int64_t item, int64_t run_after);

/* The delay before attempt number attempts + 1 after a failure: 30 s
 * doubled each time, at most six hours. */
int64_t jobs_backoff(int attempts);

/* From the external job's handler, with no transaction open: job id is
 * 'sending' from now on, in a commit of its own. 0, or -1 when it could not
 * be written (the handler must then stop before its effect). */
int jobs_mark_sending(struct db *db, int64_t id);

/* On the writer, at start (no job is running): every job a kill left
 * 'sending' is 'uncertain', finished at now, and not run again. The number
 * of them, or -1. */
int jobs_settle_sending(struct dbc *w, int64_t now);

/* The jobs of kind by state, as {state: count} (all six states, zero
 * included); NULL on error. */
json_t *jobs_states(struct dbc *c, const char *kind);

/* Runs the jobs due at now, at most max of them, one after the other.
 * The number run, or -1 on a database error. The thread calls it; tests
 * call it with a clock of their own. */
int jobs_run_due(struct db *db, const struct jobs_config *cfg, int64_t now, int max);

/* Done and failed jobs finished before the time before are deleted (the
 * pass calls it). The number deleted, or -1. */
int jobs_prune(struct dbc *w, int64_t before);

/* The worker thread: runs jobs_run_due every poll_ms until jobs_stop.
 * NULL when the thread cannot start (logged). cfg must outlive it. */
struct jobs *jobs_start(struct db *db, const struct jobs_config *cfg);
/* Stops the thread after the job it is running, and frees. NULL is fine. */
void jobs_stop(struct jobs *j);

#endif
