/* The budget area's model against a real SQLite file with every
 * migration: a process through its phases, projects and their review,
 * ballots (once each, changed by receipt, the limits decided on the
 * writer), the count written with its reasons, and texts sealed where the
 * community has a key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/budget/budget.h"
#include "areas/community/community.h"
#include "core/ballot.h"
#include "core/db.h"
#include "core/migrate.h"
#include "core/seal.h"
#include "core/sealtext.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct db *g_db;
static char g_dir[64];
static int64_t g_cid, g_member[4];

static int64_t account(struct dbc *w, const char *handle)
{
    static const char sql[] = "INSERT INTO accounts(handle, display_name, password_hash,"
                              " created_at) VALUES (?, ?, 'x', 0)";
    return db_exec(w, sql, "tt", handle, handle) == 1 ? db_last_id(w) : -1;
}

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/hr-budget-XXXXXX");
    assert_non_null(mkdtemp(g_dir));
    char path[128];
    snprintf(path, sizeof path, "%s/b.db", g_dir);
    g_db = db_open(path, 2, 0);
    assert_non_null(g_db);
    assert_true(migrate_apply(g_db) >= 0);
    struct dbc *w = db_write_begin(g_db);
    int64_t owner = account(w, "owner");
    struct community_new c = {
        .slug = "dvor", .name = "Dvor", .description = "", .visibility = VIS_CLOSED};
    g_cid = community_create(w, &c, owner);
    assert_true(g_cid > 0);
    g_member[0] = member_of_account(w, g_cid, owner);
    const char *names[] = {"b", "c", "d"};
    for (int i = 0; i < 3; i++) {
        int64_t a = account(w, names[i]);
        assert_int_equal(member_add(w, g_cid, a, "member"), 0);
        g_member[i + 1] = member_of_account(w, g_cid, a);
        assert_true(g_member[i + 1] > 0);
    }
    assert_int_equal(db_write_end(g_db, w, 1), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(g_db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const int64_t day = 86400;

static struct budget_settings settings(const char *method)
{
    int64_t t = now_s() / day * day;
    return (struct budget_settings){.title = "Двор 2027",
                                    .description = "",
                                    .currency = "RUB",
                                    .ballot = "approval",
                                    .method = method,
                                    .amount = 100,
                                    .max_total = 1,
                                    .proposals_on = t - 3 * day,
                                    .review_on = t - 2 * day,
                                    .voting_on = t - day,
                                    .results_on = t + 5 * day,
                                    .implementation_on = t + 30 * day};
}

static int64_t project(struct dbc *w, int64_t pid, int64_t author, const char *title, int64_t cost)
{
    struct budget_project_new n = {.title = title, .description = "Зачем", .cost = cost};
    int64_t id = 0;
    assert_int_equal(budget_project_add(w, g_cid, pid, author, &n, &id), WR_OK);
    return id;
}

static void a_process_goes_through_its_phases(void **state)
{
    (void)state;
    struct dbc *w = db_write_begin(g_db);
    struct budget_settings s = settings("equal_shares");
    int64_t pid = 0;
    assert_int_equal(budget_create(w, g_cid, &s, &pid), WR_OK);
    struct budget_settings bad = s;
    bad.results_on = bad.voting_on;
    assert_int_equal(budget_create(w, g_cid, &bad, NULL), WR_INVALID);

    /* Budget 100, four voters (A, B, C, D as in test_budget's hand count):
     * A 60, B 40, C 30; E is found infeasible. */
    int64_t a = project(w, pid, g_member[1], "A", 60);
    int64_t b = project(w, pid, g_member[2], "B", 40);
    int64_t c = project(w, pid, g_member[3], "C", 35);
    int64_t e = project(w, pid, g_member[3], "E", 10);
    struct budget_project_new edit = {.title = "A, лучше", .description = "Зачем", .cost = 60};
    assert_int_equal(budget_project_update(w, g_cid, pid, a, g_member[1], &edit), WR_OK);
    assert_int_equal(budget_project_update(w, g_cid, pid, a, g_member[2], &edit), WR_CONFLICT);
    assert_int_equal(budget_project_update(w, g_cid, pid, 999999, g_member[1], &edit),
                     WR_NOT_FOUND);

    /* voting cannot open before a project is feasible */
    assert_int_equal(budget_phase_next(w, g_cid, pid, "proposals", now_s()), WR_OK);
    assert_int_equal(budget_phase_next(w, g_cid, pid, "proposals", now_s()), WR_CONFLICT);
    assert_int_equal(budget_phase_next(w, g_cid, pid, "review", now_s()), WR_CONFLICT);
    assert_string_equal(wr_reason(w), "budget.error.no_feasible");
    assert_int_equal(budget_project_add(w, g_cid, pid, g_member[1],
                                        &(struct budget_project_new){"late", "x", "", 5, 0}, NULL),
                     WR_CONFLICT);
    for (int64_t i = 0; i < 3; i++)
        assert_int_equal(budget_review(w, g_cid, pid, (int64_t[]){a, b, c}[i], 1, "", 0), WR_OK);
    /* the reviewed cost is the one counted */
    assert_int_equal(budget_review(w, g_cid, pid, c, 1, "Смета", 30), WR_OK);
    assert_int_equal(budget_review(w, g_cid, pid, e, 0, "Не наша земля", 0), WR_OK);
    assert_int_equal(budget_phase_next(w, g_cid, pid, "review", now_s()), WR_OK);
    /* the method is fixed now; the title is not */
    struct budget_settings greedy = settings("greedy");
    assert_int_equal(budget_update(w, g_cid, pid, &greedy), WR_CONFLICT);
    assert_string_equal(wr_reason(w), "budget.error.fixed");
    struct budget_settings renamed = s;
    renamed.title = "Двор, 2027";
    assert_int_equal(budget_update(w, g_cid, pid, &renamed), WR_OK);
    assert_int_equal(budget_review(w, g_cid, pid, e, 1, "", 0), WR_CONFLICT);

    struct budget_process p;
    struct arena *ar = arena_new();
    assert_int_equal(budget_find(w, ar, g_cid, pid, &p), 0);
    assert_string_equal(p.phase, "voting");
    assert_true(p.box_id > 0);

    /* ballots: v1 v2 "AC", v3 "A", v4 "B" */
    char r[4][BUDGET_RECEIPT_LEN + 1];
    int64_t excess = 0, t = now_s();
    int64_t ac[] = {a, c}, aa[] = {a}, bb[] = {b}, abc[] = {a, b, c}, ee[] = {e};
    assert_int_equal(budget_vote(w, g_cid, pid, g_member[0], NULL, ac, NULL, 2, t, r[0], &excess),
                     WR_OK);
    assert_int_equal(strlen(r[0]), BUDGET_RECEIPT_LEN);
    /* twice: refused, the first stays */
    assert_int_equal(budget_vote(w, g_cid, pid, g_member[0], NULL, aa, NULL, 1, t, r[1], NULL),
                     WR_CONFLICT);
    assert_string_equal(wr_reason(w), "budget.error.twice");
    /* over the budget: the exact excess, nothing cast */
    assert_int_equal(budget_vote(w, g_cid, pid, g_member[1], NULL, abc, NULL, 3, t, r[1], &excess),
                     WR_INVALID);
    assert_int_equal(excess, 30);
    assert_int_equal(budget_has_voted(w, p.box_id, g_member[1]), 0);
    /* an infeasible project, or one of no process of this */
    assert_int_equal(budget_vote(w, g_cid, pid, g_member[1], NULL, ee, NULL, 1, t, r[1], NULL),
                     WR_INVALID);
    assert_int_equal(budget_vote(w, g_cid, pid, g_member[1], NULL, bb, NULL, 1, t, r[1], NULL),
                     WR_OK);
    /* changed by its receipt, typed in lower case with a dash */
    char typed[64];
    snprintf(typed, sizeof typed, "%.4s-%s", r[1], r[1] + 4);
    for (char *q = typed; *q; q++)
        if (*q >= 'A' && *q <= 'Z') *q = (char)(*q - 'A' + 'a');
    char again[BUDGET_RECEIPT_LEN + 1];
    assert_int_equal(budget_vote(w, g_cid, pid, g_member[1], typed, ac, NULL, 2, t, again, NULL),
                     WR_OK);
    assert_string_equal(again, r[1]);
    assert_int_equal(
        budget_vote(w, g_cid, pid, g_member[2], "AAAA-BBBB-CCCC", aa, NULL, 1, t, again, NULL),
        WR_CONFLICT); /* has not voted: no ballot to change */
    assert_int_equal(budget_vote(w, g_cid, pid, g_member[2], NULL, aa, NULL, 1, t, r[2], NULL),
                     WR_OK);
    assert_int_equal(budget_vote(w, g_cid, pid, g_member[3], NULL, bb, NULL, 1, t, r[3], NULL),
                     WR_OK);
    json_t *mine = budget_receipt_rows(w, pid, r[1]);
    assert_int_equal(json_array_size(mine), 2);
    json_decref(mine);

    /* results: closes the box and counts by equal shares */
    assert_int_equal(budget_phase_next(w, g_cid, pid, "voting", t), WR_OK);
    assert_int_equal(budget_vote(w, g_cid, pid, g_member[3], r[3], aa, NULL, 1, t, again, NULL),
                     WR_CONFLICT);
    assert_int_equal(budget_find(w, ar, g_cid, pid, &p), 0);
    assert_int_equal(p.counted, 1);
    assert_int_equal(p.spent, 90);
    assert_int_equal(p.voters, 4);
    assert_int_equal(p.raises, 10);
    assert_string_equal(p.share, "35.00");
    json_t *res = db_rows(w,
                          "SELECT project_id, selected, why, price, have FROM budget_results"
                          " WHERE process_id = ? ORDER BY project_id",
                          "i", pid);
    assert_int_equal(json_array_size(res), 3); /* E was not on the ballot */
    json_t *ra = json_array_get(res, 0), *rb = json_array_get(res, 1), *rc = json_array_get(res, 2);
    assert_int_equal(json_integer_value(json_object_get(ra, "selected")), 1);
    assert_string_equal(json_string_value(json_object_get(ra, "price")), "20.00");
    assert_string_equal(json_string_value(json_object_get(rb, "why")), "unaffordable");
    assert_string_equal(json_string_value(json_object_get(rb, "have")), "35.00");
    assert_string_equal(json_string_value(json_object_get(rc, "price")), "15.00");
    json_decref(res);
    json_t *file = budget_ballot_file(w, pid);
    assert_int_equal(json_array_size(file), 6);
    json_decref(file);
    arena_free(ar);
    assert_int_equal(db_write_end(g_db, w, 1), 0);
}

static void texts_are_sealed_where_the_community_has_a_key(void **state)
{
    (void)state;
    struct dbc *w = db_write_begin(g_db);
    struct budget_settings s = settings("greedy");
    int64_t pid = 0;
    assert_int_equal(budget_create(w, g_cid, &s, &pid), WR_OK);
    int64_t id = project(w, pid, g_member[1], "Скамейка у подъезда", 12);
    struct seal_data_key dk;
    seal_data_key_new(&dk);
    assert_int_equal(db_exec(w,
                             "INSERT INTO community_seals(community_id, key_check)"
                             " VALUES(?, x'00')",
                             "i", g_cid),
                     1);
    assert_int_equal(sealtext_hold(dbc_keys(w), g_cid, &dk), 0);
    assert_int_equal(budget_seal_texts(w, g_cid), 0);
    assert_int_equal(budget_seal_texts(w, g_cid), 0);
    char *t = db_text(w, "SELECT title FROM budget_projects WHERE id = ?", "i", id);
    assert_true(sealtext_is_sealed(t));
    free(t);
    t = db_text(w, "SELECT title FROM budget_processes WHERE id = ?", "i", pid);
    assert_true(sealtext_is_sealed(t));
    free(t);
    struct budget_project j;
    struct arena *ar = arena_new();
    assert_int_equal(budget_project_find(w, ar, g_cid, pid, id, &j), 0);
    assert_string_equal(j.title, "Скамейка у подъезда");
    arena_free(ar);
    sealtext_release(dbc_keys(w), g_cid);
    seal_wipe(&dk, sizeof dk);
    assert_int_equal(db_write_end(g_db, w, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_process_goes_through_its_phases),
        cmocka_unit_test(texts_are_sealed_where_the_community_has_a_key),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
