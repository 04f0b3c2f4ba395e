/* The job queue (core/jobs.c) on a real database file, with a clock of the
 * test's own: a keyed job is made once, a local job's effect and its end
 * are one commit (a failed run leaves no effect and is retried after the
 * back-off), an external job's lease runs out and it runs again, a job
 * that keeps failing stops, a recurring one stays one row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/auth.h"
#include "core/db.h"
#include "core/jobs.h"
#include "core/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char DIR_[256], PATH[300];
static struct db *DB;

static int setup(void **state)
{
    (void)state;
    snprintf(DIR_, sizeof DIR_, "/tmp/hramada-jobs-XXXXXX");
    if (!mkdtemp(DIR_) || auth_init() != 0) return -1;
    snprintf(PATH, sizeof PATH, "%s/j.db", DIR_);
    DB = db_open(PATH, 1, 0);
    if (!DB || migrate_apply(DB) < 0) return -1;
    struct dbc *w = db_writer_lock(DB);
    int rc = db_exec(w, "CREATE TABLE effects(job TEXT NOT NULL)", "");
    db_writer_unlock(DB);
    return rc < 0 ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(DB);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", DIR_);
    return system(cmd) == 0 ? 0 : -1;
}

/* What the handlers do, set by each test. */
struct plan {
    int fail_local;    /* the local handler fails this many times, then works */
    int fail_external; /* the same for the external one */
    int external_runs;
    int again_runs;
    int mark;                   /* the external handler marks its job sending first */
    enum job_result after_mark; /* what it answers then */
};

static const char sql_effect[] = "INSERT INTO effects(job) VALUES(?1)";
static const char sql_effects[] = "SELECT count(*) FROM effects WHERE job = ?1";
static const char sql_state[] = "SELECT state || ':' || attempts FROM jobs WHERE key = ?1";
static const char sql_rows[] = "SELECT count(*) FROM jobs WHERE kind = ?1";
static const char sql_run_after[] = "SELECT run_after FROM jobs WHERE key = ?1";

static enum job_result run_local(void *arg, struct db *db, struct dbc *w, struct job *j)
{
    (void)db;
    struct plan *p = arg;
    if (db_exec(w, sql_effect, "t", j->key) != 1) return JOB_RETRY;
    if (p->fail_local > 0) {
        p->fail_local--;
        return JOB_RETRY; /* its effect above must go */
    }
    return JOB_DONE;
}

static enum job_result run_external(void *arg, struct db *db, struct dbc *w, struct job *j)
{
    struct plan *p = arg;
    assert_null(w);
    p->external_runs++;
    if (p->mark) {
        assert_int_equal(jobs_mark_sending(db, j->id), 0);
        return p->after_mark;
    }
    if (p->fail_external > 0) {
        p->fail_external--;
        return JOB_RETRY;
    }
    return JOB_DONE;
}

static enum job_result run_again(void *arg, struct db *db, struct dbc *w, struct job *j)
{
    (void)db;
    (void)w;
    struct plan *p = arg;
    p->again_runs++;
    j->next_run = j->now + 600;
    return JOB_AGAIN;
}

static const struct job_handler HANDLERS[] = {
    {"t.local", 0, run_local},
    {"t.external", 1, run_external},
    {"t.again", 0, run_again},
    {NULL, 0, NULL},
};

static int enqueue(const char *kind, const char *key, int64_t at)
{
    struct dbc *w = db_write_begin(DB);
    int n = jobs_enqueue(w, kind, key, NULL, at);
    db_write_end(DB, w, 1);
    return n;
}

static int64_t int_of(const char *sql, const char *arg)
{
    struct dbc *c = db_reader_acquire(DB);
    int64_t n = db_int(c, -1, sql, "t", arg);
    db_reader_release(DB, c);
    return n;
}

static void assert_state(const char *key, const char *want)
{
    struct dbc *c = db_reader_acquire(DB);
    char *s = db_text(c, sql_state, "t", key);
    db_reader_release(DB, c);
    char got[64];
    snprintf(got, sizeof got, "%s", s ? s : "(none)");
    free(s);
    assert_string_equal(got, want);
}

static void test_local_once(void **state)
{
    (void)state;
    struct plan p = {0};
    struct jobs_config cfg = {HANDLERS, &p, 0, 0};
    assert_int_equal(enqueue("t.local", "a", 1000), 1);
    assert_int_equal(enqueue("t.local", "a", 1000), 0);   /* the key is there */
    assert_int_equal(jobs_run_due(DB, &cfg, 999, 10), 0); /* not yet due */
    assert_int_equal(jobs_run_due(DB, &cfg, 1000, 10), 1);
    assert_int_equal(jobs_run_due(DB, &cfg, 5000, 10), 0); /* done: never again */
    assert_int_equal(int_of(sql_effects, "a"), 1);
    assert_state("a", "done:1");
    /* Done, its key still stops a second job. */
    assert_int_equal(enqueue("t.local", "a", 6000), 0);
}

static void test_local_retry(void **state)
{
    (void)state;
    struct plan p = {.fail_local = 2};
    struct jobs_config cfg = {HANDLERS, &p, 0, 0};
    assert_int_equal(enqueue("t.local", "b", 1000), 1);
    assert_int_equal(jobs_run_due(DB, &cfg, 1000, 10), 1);
    /* The failed run's effect went back with it; its attempt is counted and
     * the next waits for the back-off. */
    assert_int_equal(int_of(sql_effects, "b"), 0);
    assert_state("b", "ready:1");
    assert_int_equal(int_of(sql_run_after, "b"), 1000 + jobs_backoff(0));
    assert_int_equal(jobs_run_due(DB, &cfg, 1000 + jobs_backoff(0) - 1, 10), 0);
    assert_int_equal(jobs_run_due(DB, &cfg, 1000 + jobs_backoff(0), 10), 1);
    assert_state("b", "ready:2");
    assert_int_equal(int_of(sql_run_after, "b"), 1000 + jobs_backoff(0) + jobs_backoff(1));
    assert_int_equal(jobs_run_due(DB, &cfg, 100000, 10), 1);
    assert_state("b", "done:3");
    assert_int_equal(int_of(sql_effects, "b"), 1);
}

static void test_backoff(void **state)
{
    (void)state;
    assert_int_equal(jobs_backoff(0), 30);
    assert_int_equal(jobs_backoff(1), 60);
    assert_int_equal(jobs_backoff(3), 240);
    assert_int_equal(jobs_backoff(40), 6 * 3600);
}

static void test_external_lease(void **state)
{
    (void)state;
    struct plan p = {.fail_external = 1};
    struct jobs_config cfg = {HANDLERS, &p, 0, 100};
    assert_int_equal(enqueue("t.external", "e", 1000), 1);
    assert_int_equal(jobs_run_due(DB, &cfg, 1000, 10), 1);
    assert_int_equal(p.external_runs, 1);
    assert_state("e", "ready:1");
    /* A worker killed while the job ran leaves it running under its lease:
     * nobody takes it before the lease ends, the next pass after does. */
    struct dbc *w = db_write_begin(DB);
    assert_int_equal(db_exec(w,
                             "UPDATE jobs SET state = 'running', run_after = 2100,"
                             " attempts = 2 WHERE key = 'e'",
                             ""),
                     1);
    db_write_end(DB, w, 1);
    assert_int_equal(jobs_run_due(DB, &cfg, 2099, 10), 0);
    assert_int_equal(jobs_run_due(DB, &cfg, 2100, 10), 1);
    assert_int_equal(p.external_runs, 2);
    assert_state("e", "done:3");
}

/* A job marked sending is past its point of no return: an answer ends it
 * (done, or retried after a refusal), none makes it uncertain; one a kill
 * left sending is never run again, and the next start settles it. */
static void test_sending(void **state)
{
    (void)state;
    struct plan p = {.mark = 1, .after_mark = JOB_UNCERTAIN};
    struct jobs_config cfg = {HANDLERS, &p, 0, 100};
    assert_int_equal(enqueue("t.external", "s1", 1000), 1);
    assert_int_equal(jobs_run_due(DB, &cfg, 1000, 10), 1);
    assert_state("s1", "uncertain:1");
    assert_int_equal(jobs_run_due(DB, &cfg, 100000, 10), 0); /* never again */
    struct plan *pp = cfg.arg;  /* (the handlers read it through cfg) */
    pp->after_mark = JOB_RETRY; /* refused after the mark: again later */
    assert_int_equal(enqueue("t.external", "s2", 1000), 1);
    assert_int_equal(jobs_run_due(DB, &cfg, 1000, 10), 1);
    assert_state("s2", "ready:1");
    pp->after_mark = JOB_DONE;
    assert_int_equal(jobs_run_due(DB, &cfg, 1000 + jobs_backoff(0), 10), 1);
    assert_state("s2", "done:2");
    /* A kill between the mark and the end: the row stays sending, past
     * its lease too, and nobody runs it. */
    assert_int_equal(enqueue("t.external", "s3", 1000), 1);
    struct dbc *w = db_write_begin(DB);
    assert_int_equal(db_exec(w,
                             "UPDATE jobs SET state = 'sending', run_after = 1100,"
                             " attempts = 1 WHERE key = 's3'",
                             ""),
                     1);
    db_write_end(DB, w, 1);
    int runs = p.external_runs;
    assert_int_equal(jobs_run_due(DB, &cfg, 5000, 10), 0);
    assert_int_equal(p.external_runs, runs);
    w = db_write_begin(DB);
    assert_int_equal(jobs_settle_sending(w, 5000), 1);
    db_write_end(DB, w, 1);
    assert_state("s3", "uncertain:1");
    struct dbc *c = db_reader_acquire(DB);
    json_t *st = jobs_states(c, "t.external");
    db_reader_release(DB, c);
    assert_non_null(st);
    assert_int_equal(json_integer_value(json_object_get(st, "uncertain")), 2);
    assert_int_equal(json_integer_value(json_object_get(st, "sending")), 0);
    json_decref(st);
}

static void test_gives_up(void **state)
{
    (void)state;
    struct plan p = {.fail_external = 1000};
    struct jobs_config cfg = {HANDLERS, &p, 0, 0};
    assert_int_equal(enqueue("t.external", "f", 0), 1);
    for (int i = 0; i < JOBS_MAX_ATTEMPTS + 3; i++)
        jobs_run_due(DB, &cfg, 1000000000 + (int64_t)i * 6 * 3600, 10);
    assert_int_equal(p.external_runs, JOBS_MAX_ATTEMPTS);
    char want[32];
    snprintf(want, sizeof want, "failed:%d", JOBS_MAX_ATTEMPTS);
    assert_state("f", want);
    /* An unknown kind is set aside at once. */
    assert_int_equal(enqueue("t.nobody", "u", 0), 1);
    assert_int_equal(jobs_run_due(DB, &cfg, 10, 10), 1);
    assert_state("u", "failed:1");
}

static void test_recurring(void **state)
{
    (void)state;
    struct plan p = {0};
    struct jobs_config cfg = {HANDLERS, &p, 0, 0};
    assert_int_equal(enqueue("t.again", "r", 0), 1);
    assert_int_equal(jobs_run_due(DB, &cfg, 100, 10), 1); /* once, then at 700 */
    assert_int_equal(jobs_run_due(DB, &cfg, 699, 10), 0);
    assert_int_equal(jobs_run_due(DB, &cfg, 700, 10), 1);
    assert_int_equal(p.again_runs, 2);
    assert_int_equal(int_of(sql_rows, "t.again"), 1);
    assert_state("r", "ready:0");
    /* Pruning takes finished rows only. */
    struct dbc *w = db_write_begin(DB);
    int pruned = jobs_prune(w, 1000000000000LL);
    db_write_end(DB, w, 1);
    assert_true(pruned >= 3);
    assert_int_equal(int_of(sql_rows, "t.again"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_local_once), cmocka_unit_test(test_local_retry),
        cmocka_unit_test(test_backoff),    cmocka_unit_test(test_external_lease),
        cmocka_unit_test(test_sending),    cmocka_unit_test(test_gives_up),
        cmocka_unit_test(test_recurring),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
