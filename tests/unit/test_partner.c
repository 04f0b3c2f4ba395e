/* The partner area's model against a real SQLite file: who reads a
 * request's personal details (the resident, the organizer handling it, a
 * named reader; not another organizer, not one who stopped being one), the
 * status moves and their history, the closing time that starts the
 * retention period, a leaver's details erased and nothing else, and the
 * log's rules (a partner of another community, a member of another). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/partner/partner.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char DIR_[256], PATH[300];
static struct db *DB;

/* Community 1: organizers 11 and 12, the resident 13, a plain member 14;
 * community 2: member 21. Partner 100 is 1's, 200 is 2's. */
static const char *const WORLD[] = {
    "INSERT INTO communities(id, slug, name, visibility, created_at, updated_at) VALUES"
    " (1, 'one', 'c', 0, 0, 0), (2, 'two', 'c', 0, 0, 0)",
    "INSERT INTO members(id, community_id, role, joined_day, name) VALUES"
    " (11, 1, 'organizer', 0, 'Анна'), (12, 1, 'organizer', 0, 'Борис'),"
    " (13, 1, 'member', 0, 'Вера'), (14, 1, 'member', 0, 'Глеб'), (21, 2, 'member', 0, 'Дина')",
    "INSERT INTO partners(id, community_id, name, sector, created_at, updated_at) VALUES"
    " (100, 1, 'p', 'libraries', 0, 0), (200, 2, 'q', 'ngo', 0, 0)",
};

static const struct vfield FIELDS[] = {
    {"id", CAP_ANY},     {"status", CAP_ANY},  {"may_read", CAP_ANY},
    {"body", CAP_ANY},   {"contact", CAP_ANY}, {"resident", CAP_ANY},
    {"answer", CAP_ANY}, {"note", CAP_ANY},    {NULL, 0},
};
static const struct vmask ALL = {FIELDS, ~(uint64_t)0};

static int setup(void **state)
{
    (void)state;
    snprintf(DIR_, sizeof DIR_, "/tmp/hramada-partner-XXXXXX");
    if (!mkdtemp(DIR_) || auth_init() != 0) return -1;
    snprintf(PATH, sizeof PATH, "%s/p.db", DIR_);
    DB = db_open(PATH, 1, 0);
    if (!DB || migrate_apply(DB) < 0) return -1;
    struct dbc *w = db_write_begin(DB);
    int ok = 1;
    for (size_t i = 0; i < sizeof WORLD / sizeof *WORLD; i++)
        ok &= db_exec(w, WORLD[i], "") > 0;
    return db_write_end(DB, w, ok) == 0 && ok ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    db_close(DB);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", DIR_);
    return system(cmd) == 0 ? 0 : -1;
}

/* A write on its own transaction (the writer in W_): its result,
 * committed only when WR_OK. */
static struct dbc *W_;
static enum wr done(enum wr rc)
{
    db_write_end(DB, W_, rc == WR_OK);
    return rc;
}
#define WRITE(expr) (W_ = db_write_begin(DB), done(expr))

/* The body of request id as viewer reads it (staff: an organizer), or
 * "-" when the row is not given at all; caller frees. */
static char *body_for(int64_t id, int64_t viewer, int staff)
{
    struct dbc *c = db_reader_acquire(DB);
    json_t *row = rq_card(c, &ALL, 1, id, viewer, staff);
    db_reader_release(DB, c);
    const char *b = row ? json_string_value(json_object_get(row, "body")) : "-";
    char *out = strdup(b ? b : "(null)");
    json_decref(row);
    return out;
}

static void assert_body(int64_t id, int64_t viewer, int staff, const char *want)
{
    char *got = body_for(id, viewer, staff);
    assert_string_equal(got, want);
    free(got);
}

static int64_t db_n(const char *sql)
{
    struct dbc *c = db_reader_acquire(DB);
    int64_t n = db_int(c, -1, sql, "");
    db_reader_release(DB, c);
    return n;
}

static void who_reads_a_request(void **state)
{
    (void)state;
    struct rq_in in = {"Тема", "Текст жителя", "phone", "8 000"};
    int64_t id = 0;
    assert_int_equal(WRITE(rq_add(W_, 1, 13, &in, &id)), WR_OK);
    assert_body(id, 13, 0, "Текст жителя"); /* the resident */
    assert_body(id, 11, 1, "(null)");       /* an organizer, not handling it */
    assert_body(id, 14, 0, "-");            /* another member: no row at all */
    assert_body(id, 21, 0, "-");            /* another community's member */
    struct rq_triage t = {"in_work", 11, 100, "берусь"};
    assert_int_equal(WRITE(rq_triage(W_, 1, id, 12, &t)), WR_OK);
    assert_body(id, 11, 1, "Текст жителя"); /* the handler */
    assert_body(id, 11, 0, "-");            /* who is no organizer any more */
    assert_body(id, 12, 1, "(null)");
    assert_int_equal(WRITE(rq_answer(W_, 1, id, 12, "нет")), WR_CONFLICT);
    assert_int_equal(WRITE(rq_reader_set(W_, 1, 12, 1)), WR_OK);
    assert_body(id, 12, 1, "Текст жителя"); /* a named reader */
    assert_int_equal(WRITE(rq_answer(W_, 1, id, 12, "Ответ")), WR_OK);
    assert_int_equal(WRITE(rq_reader_set(W_, 1, 12, 0)), WR_OK);
    assert_body(id, 12, 1, "(null)");
    /* only an organizer handles a request or is named a reader */
    struct rq_triage bad = {"in_work", 13, 0, NULL};
    assert_int_equal(WRITE(rq_triage(W_, 1, id, 11, &bad)), WR_CONFLICT);
    assert_int_equal(WRITE(rq_reader_set(W_, 1, 14, 1)), WR_CONFLICT);
    /* nor is another community's partner its partner */
    struct rq_triage other = {"in_work", 11, 200, NULL};
    assert_int_equal(WRITE(rq_triage(W_, 1, id, 11, &other)), WR_CONFLICT);
    /* new, in work, answered: three lines of history */
    struct dbc *c = db_reader_acquire(DB);
    json_t *h = rq_history(c, &ALL, 1, id, 13, 0);
    db_reader_release(DB, c);
    assert_int_equal(json_array_size(h), 3);
    json_decref(h);
}

static void closing_starts_the_retention_period(void **state)
{
    (void)state;
    struct rq_in in = {"Закрыть", "Текст", "site", NULL};
    int64_t id = 0;
    assert_int_equal(WRITE(rq_add(W_, 1, 13, &in, &id)), WR_OK);
    struct rq_triage t = {"closed", 0, 0, NULL};
    assert_int_equal(WRITE(rq_triage(W_, 1, id, 11, &t)), WR_OK);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT closed_at IS NOT NULL FROM resident_requests WHERE id = %lld",
             (long long)id);
    assert_int_equal(db_n(sql), 1);
    /* reopened: the period has not started */
    t.status = "in_work";
    assert_int_equal(WRITE(rq_triage(W_, 1, id, 11, &t)), WR_OK);
    assert_int_equal(db_n(sql), 0);
}

static void a_leaver_takes_the_details_and_nothing_else(void **state)
{
    (void)state;
    struct rq_in keep = {"Остаётся", "Текст Глеба", "site", NULL};
    struct rq_in gone = {"Уходит", "Текст Веры", "email", "vera@example.org"};
    int64_t k = 0, g = 0;
    assert_int_equal(WRITE(rq_add(W_, 1, 14, &keep, &k)), WR_OK);
    assert_int_equal(WRITE(rq_add(W_, 1, 13, &gone, &g)), WR_OK);
    struct dbc *w = db_write_begin(DB);
    int ok = db_exec(w, "DELETE FROM members WHERE id = 13", "") == 1 && rq_member_left(w, 1) == 0;
    assert_int_equal(db_write_end(DB, w, ok), 0);
    assert_true(ok);
    assert_int_equal(
        db_n("SELECT count(*) FROM resident_requests WHERE member_id IS NULL"
             " AND (body != '' OR contact != '' OR answer != '' OR erased_at IS NULL)"),
        0);
    assert_int_equal(db_n("SELECT count(*) FROM resident_requests WHERE subject = 'Уходит'"), 1);
    assert_body(k, 14, 0, "Текст Глеба");
}

static void the_log_keeps_to_its_community(void **state)
{
    (void)state;
    struct plog_in e = {0, "Тема", "request", "open", NULL, "Шаг", 86400, 21};
    /* a member of another community is responsible for nothing here */
    assert_int_equal(WRITE(plog_add(W_, 1, 100, &e)), WR_CONFLICT);
    e.next_member = 11;
    /* another community's partner is no partner of this one */
    assert_int_equal(WRITE(plog_add(W_, 1, 200, &e)), WR_NOT_FOUND);
    assert_int_equal(WRITE(plog_add(W_, 1, 100, &e)), WR_OK);
    struct dbc *c = db_reader_acquire(DB);
    json_t *due = plog_overdue(c, &ALL, 1, 3 * 86400, 10, 0);
    db_reader_release(DB, c);
    assert_int_equal(json_array_size(due), 1);
    json_decref(due);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(who_reads_a_request),
        cmocka_unit_test(closing_starts_the_retention_period),
        cmocka_unit_test(a_leaver_takes_the_details_and_nothing_else),
        cmocka_unit_test(the_log_keeps_to_its_community),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
