/* Unit tests of the strategy area's pure logic: the adoption rule, the five
 * checks of the typical mistakes and the goal tree's cycle test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/strategy/strategy.h"
#include "core/embed.h"

#include <sqlite3.h>

#include <stdio.h>
#include <string.h>

static struct adoption vote(int64_t members, int64_t yes, int64_t no, int closed)
{
    struct adoption a = {members, yes, no, 50, 33, closed};
    return a;
}

static void adoption_needs_majority_of_voters(void **state)
{
    (void)state;
    struct adoption a = vote(9, 3, 2, 1);
    assert_int_equal(adoption_decide(&a), ADOPT_ADOPTED);
    a = vote(9, 2, 2, 1); /* a tie is not a majority */
    assert_int_equal(adoption_decide(&a), ADOPT_REJECTED);
    a = vote(9, 2, 3, 1);
    assert_int_equal(adoption_decide(&a), ADOPT_REJECTED);
    a = vote(9, 4, 0, 1);
    a.majority_pct = 75;
    assert_int_equal(adoption_decide(&a), ADOPT_ADOPTED);
    a = vote(9, 3, 2, 1);
    a.majority_pct = 75; /* 60% is below a three-quarter threshold */
    assert_int_equal(adoption_decide(&a), ADOPT_REJECTED);
}

static void adoption_needs_a_third_voting(void **state)
{
    (void)state;
    struct adoption a = vote(12, 3, 0, 1); /* 3 of 12 voted: a quarter */
    assert_int_equal(adoption_decide(&a), ADOPT_REJECTED);
    a = vote(12, 4, 0, 1); /* exactly a third */
    assert_int_equal(adoption_decide(&a), ADOPT_ADOPTED);
    a = vote(30, 9, 0, 1);
    assert_int_equal(adoption_decide(&a), ADOPT_REJECTED);
    a = vote(30, 10, 0, 1);
    assert_int_equal(adoption_decide(&a), ADOPT_ADOPTED);
}

static void adoption_never_by_one_person(void **state)
{
    (void)state;
    struct adoption a = vote(1, 1, 0, 1); /* a community of one organizer */
    assert_int_equal(adoption_decide(&a), ADOPT_REJECTED);
    a = vote(2, 1, 0, 1); /* half voted, all yes, but one person */
    assert_int_equal(adoption_decide(&a), ADOPT_REJECTED);
    a = vote(2, 2, 0, 1);
    assert_int_equal(adoption_decide(&a), ADOPT_ADOPTED);
    a = vote(0, 0, 0, 1);
    assert_int_equal(adoption_decide(&a), ADOPT_REJECTED);
}

static void adoption_open_while_it_can_change(void **state)
{
    (void)state;
    struct adoption a = vote(9, 0, 0, 0);
    assert_int_equal(adoption_decide(&a), ADOPT_OPEN);
    assert_false(adoption_passes(&a));
    a = vote(9, 3, 0, 0); /* passes now, but six no votes would defeat it */
    assert_true(adoption_passes(&a));
    assert_int_equal(adoption_decide(&a), ADOPT_OPEN);
    a = vote(9, 3, 3, 0); /* three left: a tie or a yes majority is still possible */
    assert_int_equal(adoption_decide(&a), ADOPT_OPEN);
}

static void adoption_decided_once_certain(void **state)
{
    (void)state;
    /* every member voted: decided at once, either way */
    struct adoption a = vote(9, 9, 0, 0);
    assert_int_equal(adoption_decide(&a), ADOPT_ADOPTED);
    a = vote(9, 4, 5, 0);
    assert_int_equal(adoption_decide(&a), ADOPT_REJECTED);
    /* 6 yes of 10: even 4 more no votes leave a majority, and the quorum
     * is already met, so nothing the others do can change it */
    a = vote(10, 6, 0, 0);
    assert_int_equal(adoption_decide(&a), ADOPT_ADOPTED);
    a = vote(10, 5, 0, 0); /* 5 more no votes would make a tie */
    assert_int_equal(adoption_decide(&a), ADOPT_OPEN);
    /* 5 no of 9: even if the 4 left all say yes, 4 of 9 is no majority */
    a = vote(9, 0, 5, 0);
    assert_int_equal(adoption_decide(&a), ADOPT_REJECTED);
    /* one member left who has not voted cannot lift one yes over two */
    a = vote(2, 1, 0, 0);
    assert_int_equal(adoption_decide(&a), ADOPT_OPEN);
    a = vote(1, 1, 0, 0); /* nobody left, and one person never adopts */
    assert_int_equal(adoption_decide(&a), ADOPT_REJECTED);
    /* members who left after voting do not make the count negative */
    a = vote(3, 4, 0, 0);
    assert_int_equal(adoption_decide(&a), ADOPT_ADOPTED);
}

/* A healthy community: every check ok. */
static struct strategy_facts healthy(void)
{
    struct strategy_facts f;
    memset(&f, 0, sizeof f);
    f.members = 10;
    f.organizers = 2;
    f.goals = 3;
    f.rules = 2;
    f.open_actions = 4;
    f.top_owner_open = 2;
    f.top_owner = "Ирина";
    f.adopted_values = 2;
    f.strategic_goals = 1;
    f.actions = 4;
    return f;
}

static void run(const struct strategy_facts *f, struct check_result *res)
{
    strategy_checks(f, res);
    assert_string_equal(res[0].id, "rules_values");
    assert_string_equal(res[1].id, "one_person");
    assert_string_equal(res[2].id, "values_owned");
    assert_string_equal(res[3].id, "goals_actions");
    assert_string_equal(res[4].id, "no_rules");
}

static void checks_all_ok_when_healthy(void **state)
{
    (void)state;
    struct strategy_facts f = healthy();
    struct check_result res[STRATEGY_CHECKS];
    assert_int_equal(strategy_checks(&f, res), CHECK_OK);
    run(&f, res);
    for (int i = 0; i < STRATEGY_CHECKS; i++) {
        assert_int_equal(res[i].status, CHECK_OK);
        assert_string_equal(res[i].reason, "ok");
    }
}

/* A community with nothing in it is told there is nothing to check yet,
 * not that all is well. */
static void checks_of_an_empty_community(void **state)
{
    (void)state;
    struct strategy_facts f;
    memset(&f, 0, sizeof f);
    f.members = 1;
    f.organizers = 1;
    struct check_result res[STRATEGY_CHECKS];
    strategy_checks(&f, res);
    run(&f, res);
    assert_string_equal(res[0].reason, "nothing");
    assert_string_equal(res[4].reason, "nothing");
    assert_int_not_equal(res[2].status, CHECK_OK); /* no shared values yet */
    assert_int_not_equal(res[3].status, CHECK_OK); /* no goals yet */
}

static void check_rule_without_value(void **state)
{
    (void)state;
    struct strategy_facts f = healthy();
    struct check_result res[STRATEGY_CHECKS];
    f.rules_without_value = 1;
    f.rule_without_value = "Не опаздывать";
    assert_int_equal(strategy_checks(&f, res), CHECK_PROBLEM);
    assert_int_equal(res[0].status, CHECK_PROBLEM);
    assert_string_equal(res[0].reason, "unprotected");
    assert_string_equal(res[0].subject, "Не опаздывать");
    f.rules_without_value = 0;
    run(&f, res);
    assert_int_equal(res[0].status, CHECK_OK);
}

static void check_one_person(void **state)
{
    (void)state;
    struct strategy_facts f = healthy();
    struct check_result res[STRATEGY_CHECKS];
    /* a single organizer is fine in a small group ... */
    f.organizers = 1;
    f.members = 5;
    run(&f, res);
    assert_int_equal(res[1].status, CHECK_OK);
    /* ... but not beyond a few members */
    f.members = 6;
    run(&f, res);
    assert_int_equal(res[1].status, CHECK_WARNING);
    assert_string_equal(res[1].reason, "organizer");
    /* one member owning more than half of the open actions */
    f = healthy();
    f.open_actions = 5;
    f.top_owner_open = 3;
    run(&f, res);
    assert_int_equal(res[1].status, CHECK_PROBLEM);
    assert_string_equal(res[1].reason, "owner");
    assert_string_equal(res[1].subject, "Ирина");
    f.top_owner_open = 2; /* 2 of 4 is exactly half: not most */
    f.open_actions = 4;
    run(&f, res);
    assert_int_equal(res[1].status, CHECK_OK);
    f.open_actions = 2; /* too few actions to judge */
    f.top_owner_open = 2;
    run(&f, res);
    assert_int_equal(res[1].status, CHECK_OK);
}

static void check_values_owned(void **state)
{
    (void)state;
    struct strategy_facts f = healthy();
    struct check_result res[STRATEGY_CHECKS];
    f.adopted_few_voters = 1;
    f.weak_value = "Порядок";
    run(&f, res);
    assert_int_equal(res[2].status, CHECK_WARNING);
    assert_string_equal(res[2].reason, "few_voters");
    f.adopted_without_roots = 1;
    run(&f, res);
    assert_int_equal(res[2].status, CHECK_PROBLEM);
    assert_string_equal(res[2].reason, "no_roots");
    f = healthy();
    f.adopted_values = 0;
    run(&f, res);
    assert_int_equal(res[2].status, CHECK_WARNING);
    assert_string_equal(res[2].reason, "none");
}

static void check_goals_broken_into_actions(void **state)
{
    (void)state;
    struct strategy_facts f = healthy();
    struct check_result res[STRATEGY_CHECKS];
    f.strategic_empty = 2;
    f.empty_goal = "Сквер";
    run(&f, res);
    assert_int_equal(res[3].status, CHECK_PROBLEM);
    assert_string_equal(res[3].reason, "empty_goal");
    assert_int_equal(res[3].n, 2);
    f.strategic_empty = 0;
    f.tactical_empty = 1;
    run(&f, res);
    assert_int_equal(res[3].status, CHECK_WARNING);
    assert_string_equal(res[3].reason, "empty_tactical");
    f.tactical_empty = 0;
    f.actions_no_owner = 1;
    f.actions_no_date = 2;
    run(&f, res);
    assert_int_equal(res[3].status, CHECK_WARNING);
    assert_string_equal(res[3].reason, "loose_actions");
    assert_int_equal(res[3].n, 3);
    f = healthy();
    f.strategic_goals = 0;
    f.goals = 0;
    run(&f, res);
    assert_int_equal(res[3].status, CHECK_WARNING);
    assert_string_equal(res[3].reason, "no_goals");
}

static void check_no_rules_once_goals(void **state)
{
    (void)state;
    struct strategy_facts f = healthy();
    struct check_result res[STRATEGY_CHECKS];
    f.rules = 0;
    run(&f, res);
    assert_int_equal(res[4].status, CHECK_PROBLEM);
    assert_string_equal(res[4].reason, "missing");
    f.goals = 0; /* no goals yet: no rules needed yet */
    run(&f, res);
    assert_int_equal(res[4].status, CHECK_OK);
}

static void goal_cycles_are_found(void **state)
{
    (void)state;
    /* 1 <- 2 <- 3, and 4 alone */
    int64_t ids[] = {1, 2, 3, 4}, parents[] = {0, 1, 2, 0};
    assert_true(goal_would_cycle(ids, parents, 4, 1, 3)); /* 1 under its grandchild */
    assert_true(goal_would_cycle(ids, parents, 4, 2, 2)); /* under itself */
    assert_false(goal_would_cycle(ids, parents, 4, 3, 4));
    assert_false(goal_would_cycle(ids, parents, 4, 3, 0)); /* to the top */
    assert_false(goal_would_cycle(ids, parents, 4, 4, 3));
    /* broken data with a loop already in it still ends */
    int64_t bad_parents[] = {2, 1, 0, 0};
    assert_true(goal_would_cycle(ids, bad_parents, 4, 4, 1));
}

/* ---- the merge of the two missions (migration 013) ---- */

static void exec_ok(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK) fprintf(stderr, "sql: %s\n", err ? err : "?");
    sqlite3_free(err);
    assert_int_equal(rc, SQLITE_OK);
}

/* The first column of the first row as text (static buffer), "" if none. */
static const char *text_of(sqlite3 *db, const char *sql)
{
    static char out[256];
    sqlite3_stmt *st;
    out[0] = 0;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

/* The current mission of community cid, as the model reads it. */
static const char *mission_of(sqlite3 *db, int cid)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT body FROM strategy_texts WHERE community_id = %d AND kind = 'mission'"
             " ORDER BY created_at DESC, id DESC LIMIT 1",
             cid);
    return text_of(db, sql);
}

static void the_two_missions_become_one(void **state)
{
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    /* every migration before the merge, as an old instance has them */
    const struct embedded_file *f, *merge = NULL;
    for (f = embedded_files; f->name; f++) {
        if (strncmp(f->name, "src/sql/", 8) != 0) continue;
        if (strcmp(f->name, "src/sql/013") >= 0) {
            if (strncmp(f->name, "src/sql/013", 11) == 0) merge = f;
            continue;
        }
        exec_ok(db, f->data);
    }
    assert_non_null(merge);
    /* (foreign keys are off in a bare connection: the rows need no community) */
    exec_ok(db,
            /* 1: canvas entries written after the mission text: they become current */
            "INSERT INTO dilts_entries(community_id, level, text, created_at) VALUES"
            " (1, 'mission', 'Первая мысль', 10), (1, 'mission', 'Вторая мысль', 20),"
            " (1, 'values', 'Открытость', 10),"
            /* 2: the same words as the mission text: nothing to add */
            " (2, 'mission', 'Двор для всех', 5),"
            /* 3: a canvas entry older than the text: kept in the history */
            " (3, 'mission', 'Старая миссия', 1),"
            /* 4: only a canvas entry */
            " (4, 'mission', 'Единственная', 7);"
            "INSERT INTO strategy_texts(community_id, kind, body, created_at) VALUES"
            " (1, 'mission', 'Текст миссии', 15), (2, 'mission', 'Двор для всех', 3),"
            " (3, 'mission', 'Новая миссия', 9), (5, 'vision', 'Видение', 1);");
    exec_ok(db, merge->data);
    assert_string_equal(mission_of(db, 1), "Первая мысль\n\nВторая мысль");
    assert_string_equal(
        text_of(db, "SELECT count(*) FROM strategy_texts WHERE community_id = 1 AND body = "
                    "'Текст миссии'"),
        "1"); /* the older text stays in the history */
    assert_string_equal(mission_of(db, 2), "Двор для всех");
    assert_string_equal(text_of(db, "SELECT count(*) FROM strategy_texts WHERE community_id = 2"),
                        "1");
    assert_string_equal(mission_of(db, 3), "Новая миссия");
    assert_string_equal(text_of(db, "SELECT count(*) FROM strategy_texts WHERE community_id = 3"),
                        "2");
    assert_string_equal(mission_of(db, 4), "Единственная");
    assert_string_equal(mission_of(db, 5), "");
    /* the canvas keeps its other levels and has no mission level any more */
    assert_string_equal(text_of(db, "SELECT count(*) FROM dilts_entries WHERE level = 'mission'"),
                        "0");
    assert_string_equal(text_of(db, "SELECT count(*) FROM dilts_entries"), "1");
    assert_int_not_equal(sqlite3_exec(db,
                                      "INSERT INTO dilts_entries(community_id, level, text,"
                                      " created_at) VALUES (1, 'mission', 'Ещё одна', 30)",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(
        sqlite3_exec(db, "UPDATE dilts_entries SET level = 'mission'", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(adoption_needs_majority_of_voters),
        cmocka_unit_test(adoption_needs_a_third_voting),
        cmocka_unit_test(adoption_never_by_one_person),
        cmocka_unit_test(adoption_open_while_it_can_change),
        cmocka_unit_test(adoption_decided_once_certain),
        cmocka_unit_test(checks_all_ok_when_healthy),
        cmocka_unit_test(checks_of_an_empty_community),
        cmocka_unit_test(check_rule_without_value),
        cmocka_unit_test(check_one_person),
        cmocka_unit_test(check_values_owned),
        cmocka_unit_test(check_goals_broken_into_actions),
        cmocka_unit_test(check_no_rules_once_goals),
        cmocka_unit_test(goal_cycles_are_found),
        cmocka_unit_test(the_two_missions_become_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
