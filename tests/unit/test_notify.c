/* Notifications (core/notify.c) on a real database file: a notice reaches
 * the members it names and no one else (a member of another community, the
 * actor, a member who chose "nothing"), a removed member's notices go with
 * the member, and the unread count stops at its cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/areas.h"
#include "core/area.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/migrate.h"
#include "core/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char DIR_[256], PATH[300];
static struct db *DB;

static int setup(void **state)
{
    (void)state;
    snprintf(DIR_, sizeof DIR_, "/tmp/hramada-notify-XXXXXX");
    if (!mkdtemp(DIR_) || auth_init() != 0) return -1;
    snprintf(PATH, sizeof PATH, "%s/n.db", DIR_);
    DB = db_open(PATH, 1, 0);
    return DB && migrate_apply(DB) >= 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    db_close(DB);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", DIR_);
    return system(cmd) == 0 ? 0 : -1;
}

static const char sql_comm[] = "INSERT INTO communities(id, slug, name, visibility, created_at,"
                               " updated_at) VALUES(?, ?, 'c', 0, 0, 0)";
static const char sql_member[] =
    "INSERT INTO members(id, community_id, role, joined_day) VALUES(?, ?, 'member', 0)";
static const char sql_count[] = "SELECT count(*) FROM notifications WHERE member_id = ?";
static const char sql_remove[] = "DELETE FROM members WHERE id = ?";

static int64_t count_of(int64_t member)
{
    struct dbc *c = db_reader_acquire(DB);
    int64_t n = db_int(c, -1, sql_count, "i", member);
    db_reader_release(DB, c);
    return n;
}

static void test_recipients(void **state)
{
    (void)state;
    struct dbc *w = db_write_begin(DB);
    assert_non_null(w);
    assert_int_equal(db_exec(w, sql_comm, "it", (int64_t)1, "one"), 1);
    assert_int_equal(db_exec(w, sql_comm, "it", (int64_t)2, "two"), 1);
    /* 11, 12, 13 in community 1; 21 in community 2. */
    const int64_t ones[] = {11, 12, 13};
    for (int i = 0; i < 3; i++)
        assert_int_equal(db_exec(w, sql_member, "ii", ones[i], (int64_t)1), 1);
    assert_int_equal(db_exec(w, sql_member, "ii", (int64_t)21, (int64_t)2), 1);
    assert_int_equal(notify_pref_set(w, 13, "t.kind", NOTIFY_NONE), 0);
    assert_int_equal(db_write_end(DB, w, 1), 0);

    w = db_write_begin(DB);
    /* Every member of 1 but the actor (11) and the one who chose nothing. */
    assert_int_equal(notify_members(w, 1, "t.kind", 7, NOTIFY_TO_COMMUNITY, 11, 1000), 1);
    /* A member of community 2 named for community 1 gets nothing. */
    assert_int_equal(notify_members(w, 1, "t.kind", 7, NOTIFY_TO_MEMBER, 21, 1000), 0);
    assert_int_equal(notify_members(w, 1, "t.kind", 7, NOTIFY_TO_MEMBER, 13, 1000), 0);
    assert_int_equal(notify_members(w, 1, "t.other", 8, NOTIFY_TO_MEMBER, 13, 1000), 1);
    assert_int_equal(db_write_end(DB, w, 1), 0);
    assert_int_equal(count_of(11), 0);
    assert_int_equal(count_of(12), 1);
    assert_int_equal(count_of(13), 1);
    assert_int_equal(count_of(21), 0);

    struct dbc *c = db_reader_acquire(DB);
    assert_int_equal(notify_unread(c, "[12, 13, 21]", 100), 2);
    assert_int_equal(notify_unread(c, "[12, 13, 21]", 1), 1);
    assert_int_equal(notify_unread(c, "[]", 100), 0);
    db_reader_release(DB, c);

    /* A removed member's notices go with the member. */
    w = db_write_begin(DB);
    assert_int_equal(db_exec(w, sql_remove, "i", (int64_t)12), 1);
    assert_int_equal(db_write_end(DB, w, 1), 0);
    assert_int_equal(count_of(12), 0);
}

static void test_channels(void **state)
{
    (void)state;
    for (int i = 0; i <= NOTIFY_NONE; i++)
        assert_int_equal(notify_channel_parse(notify_channel_name((enum notify_channel)i)), i);
    assert_int_equal(notify_channel_parse("mail"), -1);
    assert_int_equal(notify_channel_parse(NULL), -1);
}

/* Every area's kinds: names unique and short enough for the table's CHECK,
 * each with a label and a path, and no more than the settings form has
 * fields for (areas/notify/pages.c, FORM_PREFS: 23). */
static void test_kinds(void **state)
{
    (void)state;
    const char *seen[64];
    int n = 0;
    for (const struct area *const *a = areas_all; *a; a++)
        for (const struct notify_kind *k = (*a)->notify_kinds; k && k->name; k++) {
            assert_true(strlen(k->name) >= 1 && strlen(k->name) <= 40);
            assert_non_null(k->label);
            assert_non_null(k->path);
            assert_true(k->dflt >= NOTIFY_INBOX && k->dflt <= NOTIFY_NONE);
            for (int i = 0; i < n; i++)
                assert_string_not_equal(seen[i], k->name);
            assert_true(n < 64);
            seen[n++] = k->name;
        }
    assert_true(n >= 1 && n <= NOTIFY_KINDS_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recipients),
        cmocka_unit_test(test_channels),
        cmocka_unit_test(test_kinds),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
