/* Upgrades: a database as the release before left it, with the rows a
 * real community has, brought up to date by the migrations that follow.
 *
 * Migration 051 rebuilds the strategy tables so that they name members,
 * not accounts. It is the kind of migration that can lose data without an
 * error: with foreign keys on, dropping the old table of values deletes
 * the roots and rules that point at it, and a test on a fresh database
 * (every table empty when the migration runs) sees nothing. So this test
 * fills the old shape first, then upgrades, then reads every row back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/community/community.h"
#include "core/db.h"
#include "core/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/hramada-upgrade-XXXXXX";
static char path[128];

/* Statements are prepared once per text address (core/db.c caches them),
 * so every query here is a literal, and a value goes in as a parameter. */
static int64_t q(struct dbc *c, const char *sql)
{
    return db_int(c, -1, sql, "");
}

static int64_t qi(struct dbc *c, const char *sql, int64_t v)
{
    return db_int(c, -1, sql, "i", v);
}

static void sql_ok(struct dbc *c, const char *sql)
{
    if (db_exec_script(c, sql) != 0) fail_msg("%s", sql);
}

/* Three people: a1 organizes c and stays, a2 is a member of c, a3 left c
 * before members existed (its rows name an account with no member). */
static void fill_old_strategy(struct dbc *w, int64_t *m1, int64_t *m2)
{
    sql_ok(w, "INSERT INTO accounts(id, handle, display_name, password_hash, created_at) VALUES"
              " (1, 'a1', 'Анна', 'x', 0), (2, 'a2', 'Борис', 'x', 0), (3, 'a3', 'Вера', 'x', 0);"
              "INSERT INTO communities(id, slug, name, visibility, created_at, updated_at) VALUES"
              " (10, 'c', 'Двор', 0, 0, 0), (11, 'd', 'Сквер', 2, 0, 0);");
    *m1 = member_join(w, 10, 1, "organizer");
    *m2 = member_join(w, 10, 2, "member");
    assert_true(*m1 > 0 && *m2 > 0 && member_join(w, 11, 1, "member") > 0);
    sql_ok(w, "INSERT INTO personal_values(id, community_id, account_id, kind, text, shared_with,"
              " created_at) VALUES (100, 10, 1, 'value', 'дети', 'members', 1),"
              " (101, 10, 3, 'value', 'ушедшая', 'members', 1);"
              "INSERT INTO shared_values(id, community_id, proposed_by, title, opens_at, closes_at)"
              " VALUES (200, 10, 1, 'Безопасный двор', 1, 2), (201, 10, 3, 'Тишина', 1, 2);"
              "INSERT INTO shared_value_roots VALUES (200, 100), (200, 101);"
              "INSERT INTO value_votes VALUES (200, 1, 1, 1), (200, 2, 0, 1), (200, 3, 1, 1);"
              "INSERT INTO strategy_texts(id, community_id, kind, body, author_id, created_at,"
              " closes_at) VALUES (300, 10, 'manifesto', 'Манифест', 3, 1, 2);"
              "INSERT INTO text_votes VALUES (300, 2, 1, 1), (300, 3, 0, 1);"
              "INSERT INTO goals(id, community_id, title, created_at) VALUES (400, 10, 'Цель', 1);"
              "INSERT INTO actions(id, community_id, goal_id, title, owner_id, created_at)"
              " VALUES (500, 10, 400, 'Качели', 2, 1), (501, 10, 400, 'Скамейка', 3, 1);"
              "INSERT INTO pledges(id, action_id, account_id, hours, created_at)"
              " VALUES (600, 500, 2, 3, 1), (601, 500, 3, 4, 1);"
              "INSERT INTO rules(id, community_id, text, created_at) VALUES (700, 10, 'Шагом', 1);"
              "INSERT INTO rule_values VALUES (700, 200);");
}

static void strategy_moves_to_members_losing_nothing(void **state)
{
    (void)state;
    struct db *db = db_open(path, 1, 0);
    assert_non_null(db);
    assert_true(migrate_apply_before(db, "051") > 0);
    struct dbc *w = db_write_begin(db);
    assert_non_null(w);
    int64_t m1 = 0, m2 = 0;
    fill_old_strategy(w, &m1, &m2);
    assert_int_equal(db_write_end(db, w, 1), 0);

    assert_true(migrate_apply(db) > 0);
    struct dbc *c = db_writer_lock(db);
    /* the person's own rows follow their member; the departed's go */
    assert_int_equal(qi(c, "SELECT count(*) FROM personal_values WHERE member_id = ?", m1), 1);
    assert_int_equal(q(c, "SELECT count(*) FROM personal_values"), 1);
    assert_int_equal(q(c, "SELECT count(*) FROM pledges"), 1);
    assert_int_equal(q(c, "SELECT member_id FROM pledges WHERE id = 600"), m2);
    /* what the community keeps stays, its children with it */
    assert_int_equal(q(c, "SELECT count(*) FROM shared_values"), 2);
    assert_int_equal(q(c, "SELECT proposer_member FROM shared_values WHERE id = 200"), m1);
    assert_int_equal(q(c, "SELECT count(*) FROM shared_values WHERE id = 201"
                          " AND proposer_member IS NULL"),
                     1);
    assert_int_equal(q(c, "SELECT count(*) FROM shared_value_roots WHERE shared_value_id = 200"
                          " AND personal_value_id = 100"),
                     1);
    assert_int_equal(q(c, "SELECT count(*) FROM shared_value_roots"), 1);
    assert_int_equal(q(c, "SELECT count(*) FROM rule_values WHERE rule_id = 700"), 1);
    assert_int_equal(q(c, "SELECT count(*) FROM strategy_texts WHERE id = 300"
                          " AND author_member IS NULL"),
                     1);
    assert_int_equal(q(c, "SELECT owner_member FROM actions WHERE id = 500"), m2);
    assert_int_equal(q(c, "SELECT count(*) FROM actions WHERE id = 501 AND owner_member IS NULL"),
                     1);
    /* a tally is what it was: the departed's vote counts, named by nobody */
    assert_int_equal(q(c, "SELECT count(*) FROM value_votes WHERE shared_value_id = 200"), 3);
    assert_int_equal(q(c, "SELECT sum(yes) FROM value_votes WHERE shared_value_id = 200"), 2);
    assert_int_equal(q(c, "SELECT count(*) FROM value_votes WHERE member_id IS NULL"), 1);
    assert_int_equal(q(c, "SELECT count(*) FROM text_votes WHERE text_id = 300"), 2);
    assert_int_equal(qi(c, "SELECT yes FROM text_votes WHERE member_id = ?", m2), 1);
    /* no strategy table names an account any more; every reference leads
     * somewhere; foreign keys are on again for what comes next */
    assert_int_equal(q(c, "SELECT count(*) FROM sqlite_schema s, pragma_table_info(s.name) p"
                          " WHERE s.type = 'table' AND s.name IN ('personal_values',"
                          " 'shared_values', 'value_votes', 'strategy_texts', 'text_votes',"
                          " 'actions', 'pledges') AND (p.name LIKE '%account%'"
                          " OR p.name IN ('owner_id', 'author_id', 'proposed_by'))"),
                     0);
    assert_int_equal(q(c, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_int_equal(q(c, "SELECT foreign_keys FROM pragma_foreign_keys"), 1);
    /* leaving now takes one's own rows and leaves the community's */
    assert_int_equal(db_exec(c, "DELETE FROM members WHERE id = ?", "i", m2), 1);
    assert_int_equal(q(c, "SELECT count(*) FROM pledges"), 0);
    assert_int_equal(q(c, "SELECT count(*) FROM actions WHERE id = 500 AND owner_member IS NULL"),
                     1);
    assert_int_equal(q(c, "SELECT count(*) FROM value_votes WHERE shared_value_id = 200"), 3);
    db_writer_unlock(db);
    db_close(db);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir)) return -1;
    snprintf(path, sizeof path, "%s/old.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strategy_moves_to_members_losing_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
