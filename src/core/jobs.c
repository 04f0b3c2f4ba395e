/*
 * The job queue (core/jobs.h): the one file of the jobs table's SQL.
 */
#include "core/jobs.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char sql_enqueue[] = "INSERT INTO jobs(kind, key, payload, run_after)"
                                  " VALUES(?1, ?2, ?3, ?4) ON CONFLICT (key) DO NOTHING";

int jobs_enqueue(struct dbc *w, const char *kind, const char *key, const char *payload,
                 int64_t run_after)
{
    return db_exec(w, sql_enqueue, "ttti", kind, key, payload ? payload : "{}", run_after);
}

int64_t jobs_backoff(int attempts)
{
    int64_t d = 30;
    for (int i = 0; i < attempts && d < 6 * 3600; i++)
        d *= 2;
    return d < 6 * 3600 ? d : 6 * 3600;
}

/* The next due job: ready and due, or running with its lease run out
 * (run_after holds the lease's end while it runs). */
static const char sql_next[] = "SELECT id, kind, key, payload, attempts FROM jobs"
                               " WHERE state IN ('ready', 'running') AND run_after <= ?1"
                               " ORDER BY run_after, id LIMIT 1";
static const char sql_lease[] =
    "UPDATE jobs SET state = 'running', run_after = ?2, attempts = attempts + 1"
    " WHERE id = ?1 AND state IN ('ready', 'running') AND run_after <= ?3";
/* A job's end: from any state still open ('sending' included: the handler
 * that marked it is the one finishing it). */
#define STILL_OPEN " WHERE id = ?1 AND state IN ('ready', 'running', 'sending')"
static const char sql_done[] = "UPDATE jobs SET state = 'done', done_at = ?2, payload = '{}',"
                               " attempts = ?3" STILL_OPEN;
static const char sql_failed[] =
    "UPDATE jobs SET state = 'failed', done_at = ?2, attempts = ?3" STILL_OPEN;
static const char sql_uncertain[] =
    "UPDATE jobs SET state = 'uncertain', done_at = ?2, attempts = ?3" STILL_OPEN;
static const char sql_retry[] =
    "UPDATE jobs SET state = 'ready', run_after = ?2, attempts = ?3" STILL_OPEN;
static const char sql_again[] =
    "UPDATE jobs SET state = 'ready', run_after = ?2, attempts = 0" STILL_OPEN;
static const char sql_savepoint[] = "SAVEPOINT job";
static const char sql_release[] = "RELEASE job";
static const char sql_rollback_to[] = "ROLLBACK TO job";

static const struct job_handler *handler_of(const struct jobs_config *cfg, const char *kind)
{
    for (const struct job_handler *h = cfg->handlers; h && h->kind; h++)
        if (strcmp(h->kind, kind) == 0) return h;
    return NULL;
}

/* Writes what a run ended in, on the writer. attempts: those made,
 * this one included. 1 when the row changed. */
static int finish(struct dbc *w, const struct job *j, enum job_result res, int attempts)
{
    int n;
    if (res == JOB_RETRY && attempts >= JOBS_MAX_ATTEMPTS) res = JOB_FAILED;
    switch (res) {
    case JOB_DONE:
        n = db_exec(w, sql_done, "iii", j->id, j->now, (int64_t)attempts);
        break;
    case JOB_AGAIN:
        n = db_exec(w, sql_again, "ii", j->id, j->next_run > j->now ? j->next_run : j->now + 60);
        break;
    case JOB_UNCERTAIN:
        log_warn("jobs: job %lld (%s) may or may not have taken effect: not run again",
                 (long long)j->id, j->kind);
        n = db_exec(w, sql_uncertain, "iii", j->id, j->now, (int64_t)attempts);
        break;
    case JOB_RETRY:
        n = db_exec(w, sql_retry, "iii", j->id, j->now + jobs_backoff(attempts - 1),
                    (int64_t)attempts);
        break;
    default:
        log_warn("jobs: job %lld (%s) failed for good after %d attempts", (long long)j->id, j->kind,
                 attempts);
        n = db_exec(w, sql_failed, "iii", j->id, j->now, (int64_t)attempts);
        break;
    }
    return n;
}

/* Copies the next due job's columns (malloc'd) into *j; 1 found, 0 none,
 * -1 error. */
static int next_job(struct dbc *w, int64_t now, struct job *j, char **kind, char **key,
                    char **payload)
{
    sqlite3_stmt *st = db_prepare(w, sql_next, "i", now);
    if (!st) return -1;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        db_done(st);
        return rc == SQLITE_DONE ? 0 : -1;
    }
    memset(j, 0, sizeof *j);
    j->id = sqlite3_column_int64(st, 0);
    *kind = strdup((const char *)sqlite3_column_text(st, 1));
    const unsigned char *k = sqlite3_column_text(st, 2);
    *key = k ? strdup((const char *)k) : NULL;
    *payload = strdup((const char *)sqlite3_column_text(st, 3));
    j->attempts = sqlite3_column_int(st, 4);
    j->now = now;
    db_done(st);
    if (!*kind || !*payload) return -1;
    j->kind = *kind;
    j->key = *key;
    j->payload = *payload;
    return 1;
}

/* One job: 1 run, 0 none due, -1 error. */
static int run_one(struct db *db, const struct jobs_config *cfg, int64_t now)
{
    struct dbc *w = db_write_begin(db);
    if (!w) return -1;
    struct job j;
    char *kind = NULL, *key = NULL, *payload = NULL;
    int found = next_job(w, now, &j, &kind, &key, &payload);
    if (found <= 0) {
        db_write_end(db, w, 0);
        free(kind);
        free(key);
        free(payload);
        return found;
    }
    const struct job_handler *h = handler_of(cfg, j.kind);
    int ok = 1;
    if (!h) {
        /* A kind this build does not know (a newer one's, or a typo): kept
         * aside, not spun on. */
        ok = finish(w, &j, JOB_FAILED, j.attempts + 1) == 1;
        db_write_end(db, w, ok);
    } else if (!h->external) {
        /* The effect and the job's end in one commit; a failed run's
         * effects go back to the savepoint, its attempt stays counted. */
        ok = db_exec(w, sql_savepoint, "") >= 0;
        enum job_result res = ok ? h->run(cfg->arg, db, w, &j) : JOB_RETRY;
        if (ok && res == JOB_RETRY) ok = db_exec(w, sql_rollback_to, "") >= 0;
        if (ok) ok = db_exec(w, sql_release, "") >= 0;
        if (ok) ok = finish(w, &j, res, j.attempts + 1) == 1;
        if (db_write_end(db, w, ok) != 0) ok = 0;
    } else {
        int lease = cfg->lease_s > 0 ? cfg->lease_s : 300;
        ok = db_exec(w, sql_lease, "iii", j.id, now + lease, now) == 1;
        if (db_write_end(db, w, ok) != 0) ok = 0;
        if (ok) {
            enum job_result res = h->run(cfg->arg, db, NULL, &j);
            w = db_write_begin(db);
            ok = w && finish(w, &j, res, j.attempts + 1) == 1;
            if (w && db_write_end(db, w, ok) != 0) ok = 0;
        }
    }
    free(kind);
    free(key);
    free(payload);
    return ok ? 1 : -1;
}

int jobs_run_due(struct db *db, const struct jobs_config *cfg, int64_t now, int max)
{
    int n = 0;
    while (n < max) {
        int rc = run_one(db, cfg, now);
        if (rc < 0) return -1;
        if (rc == 0) break;
        n++;
    }
    return n;
}

static const char sql_prune[] =
    "DELETE FROM jobs WHERE state IN ('done', 'failed', 'uncertain') AND done_at < ?1";

int jobs_prune(struct dbc *w, int64_t before)
{
    return db_exec(w, sql_prune, "i", before);
}

static const char sql_mark_sending[] =
    "UPDATE jobs SET state = 'sending' WHERE id = ?1 AND state = 'running'";

int jobs_mark_sending(struct db *db, int64_t id)
{
    struct dbc *w = db_write_begin(db);
    if (!w) return -1;
    int ok = db_exec(w, sql_mark_sending, "i", id) == 1;
    return db_write_end(db, w, ok) == 0 && ok ? 0 : -1;
}

static const char sql_settle_sending[] = "UPDATE jobs SET state = 'uncertain', done_at = ?1"
                                         " WHERE state = 'sending'";

int jobs_settle_sending(struct dbc *w, int64_t now)
{
    int n = db_exec(w, sql_settle_sending, "i", now);
    if (n > 0)
        log_warn("jobs: %d job(s) cut off after their point of no return: uncertain, not run "
                 "again",
                 n);
    return n;
}

static const char sql_states[] = "SELECT state, count(*) AS n FROM jobs WHERE kind = ?1"
                                 " GROUP BY state";

json_t *jobs_states(struct dbc *c, const char *kind)
{
    static const char *const STATES[] = {"ready", "running", "sending",
                                         "done",  "failed",  "uncertain"};
    json_t *rows = db_rows(c, sql_states, "t", kind);
    if (!rows) return NULL;
    json_t *out = json_object();
    for (size_t k = 0; k < sizeof STATES / sizeof *STATES; k++)
        json_object_set_new(out, STATES[k], json_integer(0));
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *st = json_string_value(json_object_get(row, "state"));
        if (st) json_object_set(out, st, json_object_get(row, "n"));
    }
    json_decref(rows);
    return out;
}

/* ---- the thread ---- */

struct jobs {
    struct db *db;
    const struct jobs_config *cfg;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
};

static void *worker(void *arg)
{
    struct jobs *j = arg;
    int poll = j->cfg->poll_ms > 0 ? j->cfg->poll_ms : 1000;
    pthread_mutex_lock(&j->mu);
    while (!j->stop) {
        pthread_mutex_unlock(&j->mu);
        /* A few at a time, so that a stop waits for one batch at most. */
        if (jobs_run_due(j->db, j->cfg, now_s(), 50) < 0) log_warn("jobs: a pass failed");
        pthread_mutex_lock(&j->mu);
        if (j->stop) break;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += poll / 1000;
        until.tv_nsec += (long)(poll % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!j->stop && pthread_cond_timedwait(&j->cv, &j->mu, &until) != ETIMEDOUT) {
        }
    }
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

struct jobs *jobs_start(struct db *db, const struct jobs_config *cfg)
{
    struct jobs *j = calloc(1, sizeof *j);
    if (!j) return NULL;
    j->db = db;
    j->cfg = cfg;
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->cv, NULL);
    if (pthread_create(&j->thread, NULL, worker, j) != 0) {
        log_error("jobs: cannot start the worker thread");
        pthread_mutex_destroy(&j->mu);
        pthread_cond_destroy(&j->cv);
        free(j);
        return NULL;
    }
    return j;
}

void jobs_stop(struct jobs *j)
{
    if (!j) return;
    pthread_mutex_lock(&j->mu);
    j->stop = 1;
    pthread_cond_signal(&j->cv);
    pthread_mutex_unlock(&j->mu);
    pthread_join(j->thread, NULL);
    pthread_mutex_destroy(&j->mu);
    pthread_cond_destroy(&j->cv);
    free(j);
}

static const char sql_enqueue_add[] =
    "INSERT INTO jobs(kind, key, payload, run_after)"
    " VALUES(?1, ?2, json_set(?3, '$.items', json_array(?4)), ?5)"
    " ON CONFLICT (key) DO UPDATE SET payload = json_insert(payload, '$.items[#]', ?4)"
    " WHERE state = 'ready' AND json_array_length(payload, '$.items') < ?6";

int jobs_enqueue_add(struct dbc *w, const char *kind, const char *key, const char *payload,
                     int64_t item, int64_t run_after)
{
    return db_exec(w, sql_enqueue_add, "tttiii", kind, key, payload ? payload : "{}", item,
                   run_after, (int64_t)JOBS_MAX_ITEMS);
}
