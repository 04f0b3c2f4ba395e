/* An instance upgraded from migration 048, whose waves and surveys still
 * named accounts: a database is built with the migrations up to 048 only,
 * given an open wave, an open anonymous survey and an open named survey
 * with answers written the way the code of 048 wrote them ("a<account>"
 * voter keys, survey_responses.account_id), one of them by a member who
 * left before the upgrade; then the remaining migrations run. A member who
 * answered is still recognised (their answer is final: refused as "twice"),
 * a member who had not answered can, the counts are those of before, the
 * named answers keep their authors (a former member's signed so), and no
 * row of soc, survey or their boxes names an account any more. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/community/community.h"
#include "areas/soc/soc.h"
#include "areas/survey/survey.h"
#include "core/ballot.h"
#include "core/db.h"
#include "core/embed.h"
#include "core/migrate.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct db *g_db;
static char g_dir[256];
static struct arena *g_arena;

enum { DAY = 86400 };

/* The ids the old database was given. */
static int64_t g_cid, g_org, g_m1, g_m2, g_gone; /* accounts */
static int64_t g_wave, g_wave_box, g_anon, g_anon_box, g_named, g_qnamed, g_qanon;

static int by_name(const void *a, const void *b)
{
    const struct embedded_file *const *x = a, *const *y = b;
    return strcmp((*x)->name, (*y)->name);
}

/* Applies the embedded migrations whose names sort before "049", as a
 * binary of that time would have, and records them as migrate.c does. */
static void migrate_to_048(struct db *db)
{
    const struct embedded_file *m[256] = {0};
    size_t n = 0;
    for (const struct embedded_file *f = embedded_files; f->name; f++)
        if (str_starts(f->name, "src/sql/") && strstr(f->name, ".sql") &&
            strcmp(f->name, "src/sql/049") < 0 && n < HR_ARRAY_LEN(m))
            m[n++] = f;
    qsort(m, n, sizeof *m, by_name);
    assert_true(n >= 30);
    assert_non_null(strstr(m[n - 1]->name, "048_"));
    struct dbc *c = db_writer_lock(db);
    assert_true(db_exec(c,
                        "CREATE TABLE IF NOT EXISTS schema_migrations(name TEXT PRIMARY KEY,"
                        " applied_at INTEGER NOT NULL)",
                        "") >= 0);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(db_exec_script(c, "BEGIN IMMEDIATE"), 0);
        assert_int_equal(db_exec_script(c, m[i]->data), 0);
        assert_int_equal(db_exec(c, "INSERT INTO schema_migrations(name, applied_at) VALUES(?, 0)",
                                 "t", strrchr(m[i]->name, '/') + 1),
                         1);
        assert_int_equal(db_exec_script(c, "COMMIT"), 0);
    }
    db_writer_unlock(db);
}

static int64_t account(struct dbc *w, const char *handle, const char *name)
{
    assert_int_equal(db_exec(w,
                             "INSERT INTO accounts(handle, display_name, password_hash, created_at)"
                             " VALUES (?, ?, 'x', 0)",
                             "tt", handle, name),
                     1);
    return db_last_id(w);
}

static void key_of(int64_t account_id, char out[24])
{
    snprintf(out, 24, "a%lld", (long long)account_id);
}

/* One ballot of the old code: voters[0] the account's key. */
static void old_cast(struct dbc *w, int64_t box, int64_t account_id, const struct ballot_mark *m,
                     size_t n, int64_t now)
{
    char key[24];
    key_of(account_id, key);
    const char *voters[] = {key};
    assert_int_equal(ballot_cast(w, g_cid, box, voters, 1, m, n, now), BALLOT_OK);
}

/* A box of the old code: open from yesterday for a week, k 3, the
 * accounts on its roll as "a<account>". */
static int64_t old_box(struct dbc *w, int64_t opens, int64_t closes)
{
    struct ballot_spec spec = {.k = 3, .opens_at = opens, .closes_at = closes + DAY};
    int64_t box = ballot_open(w, &spec);
    assert_true(box > 0);
    const int64_t ids[] = {g_org, g_m1, g_m2, g_gone};
    assert_int_equal(ballot_roll_add_many(w, box, "a", ids, 4), 0);
    return box;
}

static int64_t old_survey(struct dbc *w, int anonymous, int64_t today, int64_t *qid)
{
    struct survey_fields f = {"Опрос", "", 0, anonymous, today - DAY, today + 7 * DAY, 0};
    int64_t id = 0;
    assert_int_equal(survey_create(w, g_cid, &f, &id), WR_OK);
    struct survey_question q = {anonymous ? "scale5" : "short", "Как вам?", "", "", "", 1, 0};
    *qid = survey_question_insert(w, id, &q);
    assert_true(*qid > 0);
    return id;
}

static void old_response(struct dbc *w, const char *rid, const char *who, int64_t account_id,
                         int64_t day, const char *text)
{
    assert_int_equal(db_exec(w, "INSERT INTO survey_respondents(survey_id, who) VALUES(?, ?)", "it",
                             g_named, who),
                     1);
    assert_int_equal(db_exec(w,
                             "INSERT INTO survey_responses(id, survey_id, account_id, day)"
                             " VALUES(?, ?, nullif(?, 0), nullif(?, 0))",
                             "tiii", rid, g_named, account_id, day),
                     1);
    assert_int_equal(db_exec(w,
                             "INSERT INTO survey_answers(response_id, question_id, value)"
                             " VALUES(?, ?, ?)",
                             "tit", rid, g_qnamed, text),
                     1);
}

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "%s/hr-upgrade-XXXXXX", P_tmpdir);
    assert_non_null(mkdtemp(g_dir));
    char path[300];
    snprintf(path, sizeof path, "%s/u.db", g_dir);
    g_db = db_open(path, 1, 0);
    assert_non_null(g_db);
    g_arena = arena_new();
    migrate_to_048(g_db);
    int64_t now = now_s(), today = now - now % DAY;
    struct dbc *w = db_write_begin(g_db);
    assert_non_null(w);
    g_org = account(w, "o", "Olga");
    g_m1 = account(w, "m1", "Mark");
    g_m2 = account(w, "m2", "Nina");
    g_gone = account(w, "gone", "Gleb");
    struct community_new c = {
        .slug = "dvor", .name = "Dvor", .description = "", .visibility = VIS_SECRET};
    g_cid = community_create(w, &c, g_org);
    assert_true(g_cid > 0);
    assert_int_equal(member_add(w, g_cid, g_m1, "member"), 0);
    assert_int_equal(member_add(w, g_cid, g_m2, "member"), 0);
    assert_int_equal(member_add(w, g_cid, g_gone, "member"), 0);

    /* an open wave answered by m1 and by the one who then left */
    static const struct ballot_range soc_domain[] = {
        {0, 1, 10}, {1, 1, 10}, {2, 1, 10}, {3, 1, 10}};
    g_wave_box = old_box(w, today - DAY, today + 7 * DAY);
    assert_int_equal(ballot_domain(w, g_wave_box, soc_domain, 4), 0);
    assert_int_equal(db_exec(w,
                             "INSERT INTO soc_waves(community_id, opens_on, closes_on, box_id)"
                             " VALUES(?, ?, ?, ?)",
                             "iiii", g_cid, today - DAY, today + 7 * DAY, g_wave_box),
                     1);
    g_wave = db_last_id(w);
    const struct ballot_mark sm[] = {{0, 4, NULL}, {1, 4, NULL}, {2, 4, NULL}, {3, 4, NULL}};
    old_cast(w, g_wave_box, g_m1, sm, 4, now);
    old_cast(w, g_wave_box, g_gone, sm, 4, now);

    /* an open anonymous survey, answered by m1 */
    g_anon = old_survey(w, 1, today, &g_qanon);
    g_anon_box = old_box(w, today - DAY, today + 7 * DAY);
    assert_int_equal(db_exec(w, "UPDATE surveys SET published = 1, box_id = ? WHERE id = ?", "ii",
                             g_anon_box, g_anon),
                     1);
    const struct ballot_range sr[] = {{g_qanon, 1, 5}};
    assert_int_equal(ballot_domain(w, g_anon_box, sr, 1), 0);
    const struct ballot_mark am[] = {{g_qanon, 2, NULL}};
    old_cast(w, g_anon_box, g_m1, am, 1, now);

    /* an open named survey: m1, the one who left, and a visitor by link */
    g_named = old_survey(w, 0, today, &g_qnamed);
    assert_int_equal(db_exec(w, "UPDATE surveys SET published = 1 WHERE id = ?", "i", g_named), 1);
    char key[24];
    key_of(g_m1, key);
    old_response(w, "r1", key, g_m1, today, "Скамейки");
    key_of(g_gone, key);
    old_response(w, "r2", key, g_gone, today, "Фонари");
    old_response(w, "r3", "t00ff", 0, 0, "Урны");

    /* the one who answered everything leaves before the upgrade */
    /* (as leaving did at 048: the member row deleted; today's member_remove
     * also calls the areas' member_left hooks, whose tables are newer) */
    assert_int_equal(db_exec(w,
                             "DELETE FROM members WHERE id = (SELECT member_id FROM member_accounts"
                             " WHERE community_id = ? AND account_id = ?)",
                             "ii", g_cid, g_gone),
                     1);
    assert_int_equal(db_write_end(g_db, w, 1), 0);

    assert_true(migrate_apply(g_db) >= 1);
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

static int64_t member_of(int64_t account_id)
{
    struct dbc *r = db_reader_acquire(g_db);
    int64_t m = member_of_account(r, g_cid, account_id);
    db_reader_release(g_db, r);
    return m;
}

static int64_t count(const char *sql, int64_t v)
{
    struct dbc *r = db_reader_acquire(g_db);
    int64_t n = db_int(r, -1, sql, "i", v);
    db_reader_release(g_db, r);
    return n;
}

static int voted(int64_t box, int64_t member_id)
{
    char key[24];
    soc_voter(member_id, key);
    const char *keys[] = {key};
    struct dbc *r = db_reader_acquire(g_db);
    int v = ballot_has_voted(r, box, keys, 1);
    db_reader_release(g_db, r);
    return v;
}

static enum wr soc_answer(int64_t member_id, char why[64])
{
    const int64_t v[SOC_FACTORS] = {7, 7, 7, 7};
    const char *const cm[SOC_FACTORS] = {"", "", "", ""};
    struct dbc *w = db_write_begin(g_db);
    assert_non_null(w);
    enum wr rc = soc_answer_cast(w, g_cid, g_wave, member_id, v, cm, now_s());
    snprintf(why, 64, "%s", wr_reason(w) ? wr_reason(w) : "");
    assert_int_equal(db_write_end(g_db, w, rc == WR_OK), 0);
    return rc;
}

static enum wr survey_answer(int64_t id, int64_t qid, int64_t member_id, const char *value,
                             char why[64])
{
    char key[24];
    survey_member_voter(member_id, key);
    const char *keys[] = {key};
    const int64_t qids[] = {qid};
    const char *vals[] = {value};
    char shown[24];
    snprintf(shown, sizeof shown, "%lld", (long long)qid);
    struct survey_answer a = {keys, 1, member_id, 1, qids, vals, shown};
    struct dbc *w = db_write_begin(g_db);
    assert_non_null(w);
    enum wr rc = survey_answer_put(w, g_arena, g_cid, id, &a, now_s());
    snprintf(why, 64, "%s", wr_reason(w) ? wr_reason(w) : "");
    assert_int_equal(db_write_end(g_db, w, rc == WR_OK), 0);
    return rc;
}

static void an_open_wave_keeps_who_answered(void **state)
{
    (void)state;
    char why[64];
    int64_t m1 = member_of(g_m1), m2 = member_of(g_m2);
    assert_true(m1 > 0 && m2 > 0);
    assert_int_equal(voted(g_wave_box, m1), 1);
    assert_int_equal(voted(g_wave_box, m2), 0);
    /* the box's counts are those of before: 4 on the roll, 2 answers */
    assert_int_equal(count("SELECT eligible FROM ballot_boxes WHERE id = ?", g_wave_box), 4);
    assert_int_equal(count("SELECT ballots FROM ballot_boxes WHERE id = ?", g_wave_box), 2);
    assert_int_equal(soc_answer(m1, why), WR_CONFLICT);
    assert_string_equal(why, "soc.error.twice");
    assert_int_equal(soc_answer(m2, why), WR_OK);
    assert_int_equal(voted(g_wave_box, m2), 1);
    assert_int_equal(count("SELECT ballots FROM ballot_boxes WHERE id = ?", g_wave_box), 3);
    /* the roll: three member keys (the one who left had no member to
     * become, and went) */
    assert_int_equal(count("SELECT count(*) FROM ballot_roll WHERE box_id = ?", g_wave_box), 3);
    assert_int_equal(
        count("SELECT count(*) FROM ballot_roll WHERE box_id = ? AND voter NOT GLOB 'm[0-9]*'",
              g_wave_box),
        0);
}

static void an_open_anonymous_survey_keeps_who_answered(void **state)
{
    (void)state;
    char why[64];
    int64_t m1 = member_of(g_m1), m2 = member_of(g_m2);
    assert_int_equal(voted(g_anon_box, m1), 1);
    assert_int_equal(survey_answer(g_anon, g_qanon, m1, "5", why), WR_CONFLICT);
    assert_string_equal(why, "survey.error.twice");
    assert_int_equal(survey_answer(g_anon, g_qanon, m2, "5", why), WR_OK);
    assert_int_equal(count("SELECT ballots FROM ballot_boxes WHERE id = ?", g_anon_box), 2);
    assert_int_equal(
        count("SELECT count(*) FROM ballot_roll WHERE box_id = ? AND voter NOT GLOB 'm[0-9]*'",
              g_anon_box),
        0);
}

struct named_rows {
    int n;
    char names[8][32], values[8][32];
    int former[8];
};

static void named_row(void *ctx, const char *rid, const char *name, const char *day, int64_t qid,
                      const char *value)
{
    (void)rid, (void)day, (void)qid;
    struct named_rows *x = ctx;
    if (x->n >= 8) return;
    x->former[x->n] = name == NULL;
    snprintf(x->names[x->n], 32, "%s", name ? name : "");
    snprintf(x->values[x->n], 32, "%s", value ? value : "");
    x->n++;
}

static void a_named_survey_keeps_its_authors(void **state)
{
    (void)state;
    char why[64];
    int64_t m1 = member_of(g_m1), m2 = member_of(g_m2);
    char key[24];
    survey_member_voter(m1, key);
    struct dbc *r = db_reader_acquire(g_db);
    assert_int_equal(survey_answered(r, g_named, key), 1);
    struct named_rows rows = {0};
    assert_int_equal(survey_named_each(r, g_named, named_row, &rows), 0);
    db_reader_release(g_db, r);
    /* every answer is there: Mark's by name, Gleb's as a former member's,
     * the visitor's without a name */
    assert_int_equal(rows.n, 3);
    int mark = 0, former = 0, visitor = 0;
    for (int i = 0; i < rows.n; i++) {
        if (!strcmp(rows.names[i], "Mark") && !strcmp(rows.values[i], "Скамейки")) mark++;
        if (rows.former[i] && !strcmp(rows.values[i], "Фонари")) former++;
        if (!rows.former[i] && !rows.names[i][0] && !strcmp(rows.values[i], "Урны")) visitor++;
    }
    assert_int_equal(mark, 1);
    assert_int_equal(former, 1);
    assert_int_equal(visitor, 1);
    assert_int_equal(survey_answer(g_named, g_qnamed, m1, "Ещё скамейки", why), WR_CONFLICT);
    assert_string_equal(why, "survey.error.twice");
    assert_int_equal(survey_answer(g_named, g_qnamed, m2, "Клумбы", why), WR_OK);
    assert_int_equal(
        count("SELECT count(*) FROM survey_responses WHERE survey_id = ? AND member_id IS NOT NULL",
              g_named),
        2);
}

static void no_row_names_an_account(void **state)
{
    (void)state;
    struct dbc *r = db_reader_acquire(g_db);
    assert_int_equal(db_int(r, -1, "SELECT count(*) FROM ballot_roll WHERE voter LIKE 'a%'", ""),
                     0);
    assert_int_equal(
        db_int(r, -1, "SELECT count(*) FROM survey_respondents WHERE who LIKE 'a%'", ""), 0);
    assert_int_equal(db_int(r, -1,
                            "SELECT count(*) FROM pragma_table_info('survey_responses')"
                            " WHERE name = 'account_id'",
                            ""),
                     0);
    /* the tables made again keep their keys, indexes and foreign keys */
    assert_int_equal(db_int(r, -1,
                            "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN"
                            " ('survey_responses_survey', 'survey_responses_member',"
                            " 'survey_answers_question', 'survey_answers_value')",
                            ""),
                     4);
    assert_int_equal(db_int(r, -1,
                            "SELECT count(*) FROM pragma_foreign_key_list('survey_answers')"
                            " WHERE \"table\" = 'survey_responses' AND on_delete = 'CASCADE'",
                            ""),
                     1);
    assert_int_equal(db_int(r, -1,
                            "SELECT count(*) FROM pragma_foreign_key_list('survey_responses')"
                            " WHERE \"table\" = 'members' AND on_delete = 'SET NULL'",
                            ""),
                     1);
    assert_int_equal(db_int(r, -1, "SELECT count(*) FROM pragma_foreign_key_check", ""), 0);
    assert_int_equal(db_int(r, -1, "SELECT count(*) FROM survey_answers", ""), 4);
    db_reader_release(g_db, r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_open_wave_keeps_who_answered),
        cmocka_unit_test(an_open_anonymous_survey_keeps_who_answered),
        cmocka_unit_test(a_named_survey_keeps_its_authors),
        cmocka_unit_test(no_row_names_an_account),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
