/* Surveys' writes decide their own rules on the writer: driven here
 * without the pages (whose early checks would answer first), each write
 * meets the state it must refuse and reports why, and a refused write
 * changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/community/community.h"
#include "areas/survey/survey.h"
#include "core/db.h"
#include "core/migrate.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct db *g_db;
static char g_dir[256];
static int64_t g_cid, g_member, g_member_id; /* the member's account and member id */
static struct arena *g_arena;

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "%s/hr-survey-XXXXXX", P_tmpdir);
    assert_non_null(mkdtemp(g_dir));
    char path[300];
    snprintf(path, sizeof path, "%s/s.db", g_dir);
    g_db = db_open(path, 1, 0);
    assert_non_null(g_db);
    assert_true(migrate_apply(g_db) >= 0);
    struct dbc *w = db_write_begin(g_db);
    assert_int_equal(db_exec(w,
                             "INSERT INTO accounts(handle, display_name, password_hash, created_at)"
                             " VALUES ('o', 'Olga', 'x', 0)",
                             ""),
                     1);
    int64_t org = db_last_id(w);
    assert_int_equal(db_exec(w,
                             "INSERT INTO accounts(handle, display_name, password_hash, created_at)"
                             " VALUES ('m', 'Mark', 'x', 0)",
                             ""),
                     1);
    g_member = db_last_id(w);
    struct community_new c = {
        .slug = "dvor", .name = "Dvor", .description = "", .visibility = VIS_CLOSED};
    g_cid = community_create(w, &c, org);
    assert_true(g_cid > 0);
    assert_int_equal(member_add(w, g_cid, g_member, "member"), 0);
    g_member_id =
        db_int(w, 0, "SELECT member_id FROM member_accounts WHERE account_id = ?", "i", g_member);
    assert_true(g_member_id > 0);
    assert_int_equal(db_write_end(g_db, w, 1), 0);
    g_arena = arena_new();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(g_arena);
    db_close(g_db);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* One write in its own transaction: WRITE(call, why) begins it on g_w
 * (which call uses), commits when the write succeeded and rolls back
 * otherwise; the reason of a refusal into why (64 bytes, may be NULL). */
static struct dbc *g_w;

static struct dbc *write_begin(void)
{
    struct dbc *w = db_write_begin(g_db);
    assert_non_null(w);
    return w;
}

static enum wr write_end(enum wr rc, char *why)
{
    if (why) snprintf(why, 64, "%s", wr_reason(g_w) ? wr_reason(g_w) : "");
    assert_int_equal(db_write_end(g_db, g_w, rc == WR_OK), 0);
    return rc;
}

#define WRITE(call, why) (g_w = write_begin(), write_end((call), (why)))

static int64_t today(void)
{
    int64_t t = now_s();
    return t - t % 86400;
}

/* A survey of the community with one short question, open from yesterday
 * for a week; published when publish is set. */
static int64_t survey(int anonymous, int publish)
{
    struct survey_fields f = {"Опрос", "", 0, anonymous, today() - 86400, today() + 7 * 86400, 0};
    int64_t id = 0;
    struct dbc *w = db_write_begin(g_db);
    assert_int_equal(survey_create(w, g_cid, &f, &id), WR_OK);
    struct survey_question q = {"short", "Как дела?", "", "", "", 1, 0};
    assert_int_equal(survey_question_add(w, g_cid, id, &q), WR_OK);
    if (publish) assert_int_equal(survey_publish(w, g_cid, id), WR_OK);
    assert_int_equal(db_write_end(g_db, w, 1), 0);
    return id;
}

static enum wr answer(int64_t id, const char *who, const char *shown, char *why)
{
    struct dbc *r = db_reader_acquire(g_db);
    int64_t qid = db_int(r, 0, "SELECT min(id) FROM survey_questions WHERE survey_id = ?", "i", id);
    db_reader_release(g_db, r);
    const char *keys[] = {who};
    const int64_t qids[] = {qid};
    const char *vals[] = {"хорошо"};
    struct survey_answer a = {keys, 1, 0, 1, qids, vals, shown};
    return WRITE(survey_answer_put(g_w, g_arena, g_cid, id, &a, now_s()), why);
}

static const char *shown_of(int64_t id)
{
    struct dbc *r = db_reader_acquire(g_db);
    const char *s = survey_question_ids(r, g_arena, id);
    db_reader_release(g_db, r);
    return s;
}

static void answers_follow_the_rules(void **state)
{
    (void)state;
    char why[64], voter[24];
    survey_member_voter(g_member_id, voter);
    for (int anonymous = 0; anonymous <= 1; anonymous++) {
        /* a draft takes none */
        int64_t d = survey(anonymous, 0);
        assert_int_equal(answer(d, voter, shown_of(d), why), WR_CONFLICT);
        assert_string_equal(why, "survey.error.draft");
        int64_t id = survey(anonymous, 1);
        const char *shown = shown_of(id);
        /* questions other than those shown */
        assert_int_equal(answer(id, voter, "1,2,3", why), WR_CONFLICT);
        assert_string_equal(why, "survey.error.changed");
        assert_int_equal(answer(id, voter, shown, why), WR_OK);
        /* once per person */
        assert_int_equal(answer(id, voter, shown, why), WR_CONFLICT);
        assert_string_equal(why, "survey.error.twice");
        /* an anonymous members' survey takes its roll only; past its end,
         * a survey takes nobody else either */
        if (anonymous) {
            assert_int_equal(answer(id, "m999999", shown, why), WR_CONFLICT);
            assert_string_equal(why, "survey.error.not_eligible");
            assert_int_equal(WRITE(survey_close(g_w, g_cid, id), NULL), WR_OK);
            assert_int_equal(WRITE(survey_close(g_w, g_cid, id), why), WR_CONFLICT);
            assert_string_equal(why, "survey.error.closed_already");
        } else {
            assert_int_equal(
                WRITE(survey_set_dates(g_w, g_cid, id, today() - 9 * 86400, today() - 2 * 86400),
                      NULL),
                WR_OK);
            assert_int_equal(WRITE(survey_close(g_w, g_cid, id), NULL), WR_NOT_FOUND);
        }
        assert_int_equal(answer(id, "t-another-browser", shown, why), WR_CONFLICT);
        assert_string_equal(why, "survey.error.closed");
    }
}

static void builder_follows_the_rules(void **state)
{
    (void)state;
    char why[64], voter[24];
    survey_member_voter(g_member_id, voter);
    int64_t id = survey(0, 1);
    struct dbc *r = db_reader_acquire(g_db);
    int64_t qid = db_int(r, 0, "SELECT min(id) FROM survey_questions WHERE survey_id = ?", "i", id);
    db_reader_release(g_db, r);
    /* published once */
    assert_int_equal(WRITE(survey_publish(g_w, g_cid, id), why), WR_CONFLICT);
    assert_string_equal(why, "survey.error.published");
    /* its questions stay */
    struct survey_question q = {"long", "Иначе?", "", "", "", 0, 0};
    assert_int_equal(WRITE(survey_question_add(g_w, g_cid, id, &q), why), WR_CONFLICT);
    assert_string_equal(why, "survey.error.questions_published");
    assert_int_equal(WRITE(survey_question_update(g_w, g_cid, id, qid, &q), why), WR_CONFLICT);
    assert_int_equal(WRITE(survey_question_move(g_w, g_cid, id, qid, 1), why), WR_CONFLICT);
    assert_int_equal(WRITE(survey_question_delete(g_w, g_cid, id, qid), why), WR_CONFLICT);
    /* settings change until somebody answers */
    struct survey_fields f = {"Другой", "", 0, 0, today() - 86400, today() + 7 * 86400, 0};
    assert_int_equal(WRITE(survey_update(g_w, g_cid, id, &f), NULL), WR_OK);
    assert_int_equal(answer(id, voter, shown_of(id), why), WR_OK);
    f.title = "Третий";
    assert_int_equal(WRITE(survey_update(g_w, g_cid, id, &f), why), WR_CONFLICT);
    assert_string_equal(why, "survey.error.locked");
    r = db_reader_acquire(g_db);
    assert_int_equal(
        db_int(r, 0, "SELECT count(*) FROM surveys WHERE id = ? AND title = 'Другой'", "i", id), 1);
    db_reader_release(g_db, r);
    /* gone: not found */
    assert_int_equal(WRITE(survey_delete(g_w, g_cid, id), NULL), WR_OK);
    assert_int_equal(WRITE(survey_delete(g_w, g_cid, id), NULL), WR_NOT_FOUND);
    assert_int_equal(WRITE(survey_question_add(g_w, g_cid, id, &q), NULL), WR_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(answers_follow_the_rules),
        cmocka_unit_test(builder_follows_the_rules),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
