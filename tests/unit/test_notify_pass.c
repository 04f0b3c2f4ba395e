/* The scheduled pass (areas/notify/pass.c) with a clock of the test's own:
 * "closing in a day" for every member of a public community whose vote,
 * wave, survey or budget closes within 24 hours, "tomorrow" for those
 * registered for an occurrence starting within 24 hours; nothing for what
 * closes later, for a cancelled occurrence, for the waiting list, for a
 * member who chose "nothing", for a member of another community; in a
 * secret community the notice is written unchecked (the pass cannot read a
 * sealed choice) and settled later with the member's keys; and a rerun (or
 * the job run again) writes nothing twice. A partner's overdue next step
 * notifies its organizer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/notify/notify.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/jobs.h"
#include "core/migrate.h"
#include "core/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char DIR_[256], PATH[300];
static struct db *DB;

enum { NOW = 1800000000, DAY = 86400, H = 3600 };

static const char sql_comm[] = "INSERT INTO communities(id, slug, name, visibility, created_at,"
                               " updated_at) VALUES(?, ?, 'c', ?, 0, 0)";
static const char sql_member[] =
    "INSERT INTO members(id, community_id, role, joined_day) VALUES(?, ?, 'member', 0)";
static const char sql_value[] = "INSERT INTO shared_values(id, community_id, title, opens_at,"
                                " closes_at) VALUES(?, ?, 'v', ?, ?)";
static const char sql_budget[] =
    "INSERT INTO budget_processes(id, community_id, title, amount, currency, phase, proposals_on,"
    " review_on, voting_on, results_on, implementation_on, ballot, method, created_at)"
    " VALUES(?, ?, 'b', 100, 'RUB', ?, 0, 1, 2, ?, ?, 'approval', 'greedy', 0)";
static const char sql_event[] =
    "INSERT INTO events(id, community_id, kind, title, zone, created_at)"
    " VALUES(?, ?, 'club', 'e', 'UTC', 0)";
static const char sql_occ[] =
    "INSERT INTO event_occurrences(id, event_id, community_id, seq, recurrence_id, starts_at,"
    " ends_at, cancelled_reason) VALUES(?, ?, ?, ?, ?2, ?, ? + 3600, ?)";
static const char sql_reg[] =
    "INSERT INTO event_registrations(occurrence_id, event_id, community_id, member_id, state,"
    " created_at) VALUES(?, ?, ?, ?, ?, 0)";
static const char sql_count[] =
    "SELECT count(*) FROM notifications WHERE member_id = ?1 AND kind = ?2";

static int setup(void **state)
{
    (void)state;
    snprintf(DIR_, sizeof DIR_, "/tmp/hramada-pass-XXXXXX");
    if (!mkdtemp(DIR_) || auth_init() != 0) return -1;
    snprintf(PATH, sizeof PATH, "%s/p.db", DIR_);
    DB = db_open(PATH, 1, 0);
    if (!DB || migrate_apply(DB) < 0) return -1;
    struct dbc *w = db_write_begin(DB);
    int ok = 1;
    /* 1 public (members 11, 12, 13; 13 chose nothing for values), 2 public
     * (member 21), 3 secret (member 31). */
    ok &= db_exec(w, sql_comm, "iti", (int64_t)1, "one", (int64_t)0) == 1;
    ok &= db_exec(w, sql_comm, "iti", (int64_t)2, "two", (int64_t)0) == 1;
    ok &= db_exec(w, sql_comm, "iti", (int64_t)3, "three", (int64_t)2) == 1;
    const int64_t m[][2] = {{11, 1}, {12, 1}, {13, 1}, {21, 2}, {31, 3}};
    for (size_t i = 0; i < sizeof m / sizeof *m; i++)
        ok &= db_exec(w, sql_member, "ii", m[i][0], m[i][1]) == 1;
    ok &= notify_pref_set(w, 13, "strategy.closing", NOTIFY_NONE) == 0;
    /* Values: 100 closes in 12 h, 101 in 30 h, 102 (secret) in 12 h. */
    ok &= db_exec(w, sql_value, "iiii", (int64_t)100, (int64_t)1, (int64_t)0,
                  (int64_t)(NOW + 12 * H)) == 1;
    ok &= db_exec(w, sql_value, "iiii", (int64_t)101, (int64_t)1, (int64_t)0,
                  (int64_t)(NOW + 30 * H)) == 1;
    ok &= db_exec(w, sql_value, "iiii", (int64_t)102, (int64_t)3, (int64_t)0,
                  (int64_t)(NOW + 12 * H)) == 1;
    /* A budget of community 2 votes until 20 h from now; one of 1 is only
     * in review. */
    ok &= db_exec(w, sql_budget, "iitii", (int64_t)200, (int64_t)2, "voting",
                  (int64_t)(NOW + 20 * H), (int64_t)(NOW + 40 * DAY)) == 1;
    ok &= db_exec(w, sql_budget, "iitii", (int64_t)201, (int64_t)1, "review",
                  (int64_t)(NOW + 20 * H), (int64_t)(NOW + 40 * DAY)) == 1;
    /* Event 300 of community 1: occurrence 1 in 10 h (11 registered, 12
     * waiting), occurrence 2 in 10 h + a week; event 301's occurrence in
     * 5 h is cancelled (11 registered). */
    ok &= db_exec(w, sql_event, "ii", (int64_t)300, (int64_t)1) == 1;
    ok &= db_exec(w, sql_event, "ii", (int64_t)301, (int64_t)1) == 1;
    ok &= db_exec(w, sql_occ, "iiiiiit", (int64_t)1, (int64_t)300, (int64_t)1, (int64_t)0,
                  (int64_t)(NOW + 10 * H), (int64_t)(NOW + 10 * H), NULL) == 1;
    ok &= db_exec(w, sql_occ, "iiiiiit", (int64_t)2, (int64_t)300, (int64_t)1, (int64_t)1,
                  (int64_t)(NOW + 10 * H + 7 * DAY), (int64_t)(NOW + 10 * H + 7 * DAY), NULL) == 1;
    ok &= db_exec(w, sql_occ, "iiiiiit", (int64_t)3, (int64_t)301, (int64_t)1, (int64_t)0,
                  (int64_t)(NOW + 5 * H), (int64_t)(NOW + 5 * H), "rain") == 1;
    ok &= db_exec(w, sql_reg, "iiiit", (int64_t)1, (int64_t)300, (int64_t)1, (int64_t)11,
                  "registered") == 1;
    ok &= db_exec(w, sql_reg, "iiiit", (int64_t)2, (int64_t)300, (int64_t)1, (int64_t)11,
                  "registered") == 1;
    ok &= db_exec(w, sql_reg, "iiiit", (int64_t)1, (int64_t)300, (int64_t)1, (int64_t)12,
                  "waiting") == 1;
    ok &= db_exec(w, sql_reg, "iiiit", (int64_t)3, (int64_t)301, (int64_t)1, (int64_t)11,
                  "registered") == 1;
    if (db_write_end(DB, w, ok) != 0 || !ok) return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(DB);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", DIR_);
    return system(cmd) == 0 ? 0 : -1;
}

static int64_t count_of(int64_t member, const char *kind)
{
    struct dbc *c = db_reader_acquire(DB);
    int64_t n = db_int(c, -1, sql_count, "it", member, kind);
    db_reader_release(DB, c);
    return n;
}

static int pass_at(int64_t now)
{
    struct dbc *w = db_write_begin(DB);
    int n = notify_pass(w, now);
    db_write_end(DB, w, n >= 0);
    return n;
}

static void test_pass(void **state)
{
    (void)state;
    /* 11 and 12 for value 100; 31 for value 102 (secret); 21 for budget
     * 200; 11 for occurrence 1. */
    assert_int_equal(pass_at(NOW), 5);
    assert_int_equal(count_of(11, "strategy.closing"), 1);
    assert_int_equal(count_of(12, "strategy.closing"), 1);
    assert_int_equal(count_of(13, "strategy.closing"), 0); /* chose nothing */
    assert_int_equal(count_of(21, "strategy.closing"), 0); /* another community */
    assert_int_equal(count_of(31, "strategy.closing"), 1); /* secret: unchecked */
    struct dbc *c = db_reader_acquire(DB);
    assert_int_equal(notify_unchecked(c, "[31]"), 1);
    assert_int_equal(notify_unchecked(c, "[11,12]"), 0); /* public: checked when written */
    db_reader_release(DB, c);
    assert_int_equal(count_of(21, "budget.closing"), 1);
    assert_int_equal(count_of(11, "budget.closing"), 0); /* in review */
    assert_int_equal(count_of(11, "meeting.tomorrow"), 1);
    assert_int_equal(count_of(12, "meeting.tomorrow"), 0); /* waiting list */

    /* Again a minute and an hour later: nothing twice. */
    assert_int_equal(pass_at(NOW + 60), 0);
    assert_int_equal(pass_at(NOW + H), 0);
    assert_int_equal(count_of(11, "strategy.closing"), 1);

    /* Eight hours on, value 101 closes in 22 h: its notice comes. */
    assert_int_equal(pass_at(NOW + 8 * H), 2);
    assert_int_equal(count_of(11, "strategy.closing"), 2);

    /* A week on, the event's next occurrence is tomorrow: a new notice. */
    assert_int_equal(pass_at(NOW + 7 * DAY), 1);
    assert_int_equal(count_of(11, "meeting.tomorrow"), 2);

    /* The secret member's request settles: kept while they want it, and
     * dropped once they chose "nothing" (here unsealed as it is clear). */
    struct dbc *w = db_write_begin(DB);
    assert_int_equal(notify_settle(w, "[31]"), 1);
    db_write_end(DB, w, 1);
    c = db_reader_acquire(DB);
    assert_int_equal(notify_unchecked(c, "[31]"), 0);
    db_reader_release(DB, c);
    assert_int_equal(count_of(31, "strategy.closing"), 1);
    w = db_write_begin(DB);
    int ok = db_exec(w, "UPDATE notifications SET unchecked = 1 WHERE member_id = 31", "") == 1 &&
             notify_pref_set(w, 31, "strategy.closing", NOTIFY_NONE) == 0 &&
             notify_settle(w, "[31]") == 1;
    db_write_end(DB, w, ok);
    assert_true(ok);
    assert_int_equal(count_of(31, "strategy.closing"), 0);
}

static void test_job(void **state)
{
    (void)state;
    /* The recurring job: installed once however often the server starts,
     * runs the pass, comes back in NOTIFY_PASS_EVERY seconds. */
    assert_int_equal(notify_jobs_install(DB, NOW + 7 * DAY), 0);
    assert_int_equal(notify_jobs_install(DB, NOW + 7 * DAY), 0);
    struct notify_jobs_arg arg = {NULL, NULL}; /* no relay: mail.scan only moves on */
    struct jobs_config cfg = {notify_job_handlers, &arg, 0, 0};
    assert_int_equal(jobs_run_due(DB, &cfg, NOW + 7 * DAY, 10), 2); /* the pass, the scan */
    struct dbc *c = db_reader_acquire(DB);
    assert_int_equal(db_int(c, -1, "SELECT run_after FROM jobs WHERE key = 'notify.pass'", ""),
                     NOW + 7 * DAY + NOTIFY_PASS_EVERY);
    db_reader_release(DB, c);
    assert_int_equal(jobs_run_due(DB, &cfg, NOW + 7 * DAY + NOTIFY_PASS_EVERY, 10), 2);
    assert_int_equal(count_of(11, "meeting.tomorrow"), 2);
    c = db_reader_acquire(DB);
    assert_int_equal(db_int(c, -1, "SELECT count(*) FROM jobs", ""), 2);
    /* No relay, no mail job: the cursor moved past every notice. */
    assert_int_equal(db_int(c, -1,
                            "SELECT last_notice = (SELECT max(id) FROM notifications)"
                            " FROM mail_cursor",
                            ""),
                     1);
    db_reader_release(DB, c);
}

/* A partner's next step whose day passed: its organizer responsible hears
 * of it once per step's day; a plain member responsible, a settled entry
 * and a secret community's step write nothing. */
static void test_partner_steps(void **state)
{
    (void)state;
    static const char *const rows[] = {
        "INSERT INTO members(id, community_id, role, joined_day) VALUES"
        " (14, 1, 'organizer', 0), (32, 3, 'organizer', 0)",
        "INSERT INTO partners(id, community_id, name, sector, created_at, updated_at) VALUES"
        " (400, 1, 'p', 'libraries', 0, 0), (401, 3, 'p', 'libraries', 0, 0)",
        "INSERT INTO partner_log(partner_id, community_id, day, subject, kind, status, next_step,"
        " next_due, next_member_id, created_at, updated_at) VALUES"
        " (400, 1, 0, 's', 'request', 'waiting', 'n', 1800000000 + 5 * 86400, 14, 0, 0),"
        " (400, 1, 0, 's', 'request', 'waiting', 'n', 1800000000 + 5 * 86400, 11, 0, 0),"
        " (400, 1, 0, 's', 'request', 'agreed', 'n', 1800000000 + 4 * 86400, 14, 0, 0),"
        " (401, 3, 0, 's', 'request', 'waiting', 'n', 1800000000 + 5 * 86400, 32, 0, 0)",
    };
    struct dbc *w = db_write_begin(DB);
    int ok = 1;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        ok &= db_exec(w, rows[i], "") > 0;
    assert_int_equal(db_write_end(DB, w, ok), 0);
    assert_true(ok);
    /* the step's day is not over yet */
    assert_true(pass_at(NOW + 5 * DAY + H) >= 0);
    assert_int_equal(count_of(14, "partner.step_overdue"), 0);
    /* the day after: once, and never again for that day */
    assert_true(pass_at(NOW + 6 * DAY + H) >= 1);
    assert_true(pass_at(NOW + 6 * DAY + 2 * H) >= 0);
    assert_int_equal(count_of(14, "partner.step_overdue"), 1);
    assert_int_equal(count_of(11, "partner.step_overdue"), 0); /* not an organizer */
    /* in the secret community too, as every notice of the pass: a kind and
     * an id, unchecked until the member's own request settles it */
    assert_int_equal(count_of(32, "partner.step_overdue"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pass),
        cmocka_unit_test(test_job),
        cmocka_unit_test(test_partner_steps),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
