/* The community model's writes against a real SQLite file with the
 * platform's migrations: each rule they keep answers with its result and
 * reason, and a refused write changes nothing. (The same rules with two
 * writers at once: tests/http/test_races_community.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/community/community.h"
#include "core/app.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/migrate.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct db *g_db;
static char g_dir[64];
static int64_t g_org, g_mem, g_out, g_cid;
static struct arena *g_arena;

static int64_t account(struct dbc *w, const char *handle)
{
    assert_int_equal(db_exec(w,
                             "INSERT INTO accounts(handle, display_name, password_hash, created_at)"
                             " VALUES (?, ?, 'x', 0)",
                             "tt", handle, handle),
                     1);
    return db_last_id(w);
}

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/hr-comm-XXXXXX");
    assert_non_null(mkdtemp(g_dir));
    char path[128];
    snprintf(path, sizeof path, "%s/c.db", g_dir);
    g_db = db_open(path, 1, 0);
    assert_non_null(g_db);
    assert_true(migrate_apply(g_db) >= 0);
    struct dbc *w = db_write_begin(g_db);
    g_org = account(w, "org");
    g_mem = account(w, "mem");
    g_out = account(w, "out");
    struct community_new c = {
        .slug = "dvor", .name = "Dvor", .description = "", .visibility = VIS_CLOSED};
    g_cid = community_create(w, &c, g_org);
    assert_true(g_cid > 0);
    assert_int_equal(member_add(w, g_cid, g_mem, "member"), 0);
    assert_int_equal(db_write_end(g_db, w, 1), 0);
    g_arena = arena_new();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(g_arena);
    db_close(g_db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The write's result, and its reason in *why (a catalog key or NULL); a
 * failed write is rolled back. */
struct outcome {
    enum wr rc;
    const char *why;
};

/* The member id of an account in the community, 0 when not a member: the
 * writes name members, never accounts. */
static int64_t member_of(struct dbc *w, int64_t account_id)
{
    return db_int(w, 0,
                  "SELECT member_id FROM member_accounts WHERE community_id = ? AND account_id = ?",
                  "ii", g_cid, account_id);
}

static char *role_of(int64_t account_id)
{
    struct dbc *c = db_reader_acquire(g_db);
    char *role = member_role(c, g_cid, account_id);
    db_reader_release(g_db, c);
    return role;
}

static void role_is(int64_t account_id, const char *want)
{
    char *role = role_of(account_id);
    if (want)
        assert_string_equal(role, want);
    else
        assert_null(role);
    free(role);
}

static struct outcome end(struct dbc *w, enum wr rc)
{
    struct outcome o = {rc, wr_reason(w)};
    assert_int_equal(db_write_end(g_db, w, rc == WR_OK), 0);
    return o;
}

static void the_last_organizer_stays(void **state)
{
    (void)state;
    struct dbc *w = db_write_begin(g_db);
    struct outcome o = end(w, member_set_role(w, g_cid, member_of(w, g_org), "member"));
    assert_int_equal(o.rc, WR_CONFLICT);
    assert_string_equal(o.why, "members.last_organizer");
    /* leaving is a removal by one's own member id */
    w = db_write_begin(g_db);
    assert_int_equal(end(w, member_remove(w, g_cid, member_of(w, g_org))).rc, WR_CONFLICT);
    role_is(g_org, "organizer");
    /* With a second organizer the first may step down, and then the
     * second is the last. */
    w = db_write_begin(g_db);
    assert_int_equal(end(w, member_set_role(w, g_cid, member_of(w, g_mem), "organizer")).rc, WR_OK);
    w = db_write_begin(g_db);
    assert_int_equal(end(w, member_set_role(w, g_cid, member_of(w, g_org), "member")).rc, WR_OK);
    w = db_write_begin(g_db);
    assert_int_equal(end(w, member_set_role(w, g_cid, member_of(w, g_mem), "facilitator")).rc,
                     WR_CONFLICT);
    role_is(g_mem, "organizer");
    /* Back as they were. */
    w = db_write_begin(g_db);
    assert_int_equal(end(w, member_set_role(w, g_cid, member_of(w, g_org), "organizer")).rc, WR_OK);
    w = db_write_begin(g_db);
    assert_int_equal(end(w, member_set_role(w, g_cid, member_of(w, g_mem), "member")).rc, WR_OK);
}

static void a_role_for_no_member_is_not_found_and_the_same_role_no_change(void **state)
{
    (void)state;
    struct dbc *w = db_write_begin(g_db);
    assert_int_equal(end(w, member_set_role(w, g_cid, member_of(w, g_out), "member")).rc,
                     WR_NOT_FOUND);
    w = db_write_begin(g_db);
    assert_int_equal(end(w, member_set_role(w, g_cid, member_of(w, 0), "member")).rc, WR_NOT_FOUND);
    w = db_write_begin(g_db);
    assert_int_equal(end(w, member_remove(w, g_cid, member_of(w, g_out))).rc, WR_NOT_FOUND);
    role_is(g_out, NULL);
    w = db_write_begin(g_db);
    assert_int_equal(end(w, member_set_role(w, g_cid, member_of(w, g_mem), "member")).rc, WR_OK);
    role_is(g_mem, "member");
}

static void an_invitation_is_used_up_to_its_limit(void **state)
{
    (void)state;
    char token[AUTH_TOKEN_LEN + 1];
    struct dbc *w = db_write_begin(g_db);
    assert_int_equal(
        end(w, invite_add(w, g_cid, 0, "mentor", 1, now_s() + 3600, NULL, NULL, token)).rc, WR_OK);
    /* A member already: joined nothing, spent nothing. */
    struct invite_use use;
    w = db_write_begin(g_db);
    assert_int_equal(end(w, invite_accept(w, g_arena, token, g_mem, NULL, &use)).rc, WR_OK);
    assert_int_equal(use.joined, 0);
    w = db_write_begin(g_db);
    assert_int_equal(end(w, invite_accept(w, g_arena, token, g_out, NULL, &use)).rc, WR_OK);
    assert_int_equal(use.joined, 1);
    assert_string_equal(use.slug, "dvor");
    role_is(g_out, "mentor");
    /* Used up: the next one is refused, with why. */
    w = db_write_begin(g_db);
    assert_int_equal(end(w, member_remove(w, g_cid, member_of(w, g_out))).rc, WR_OK);
    w = db_write_begin(g_db);
    struct outcome o = end(w, invite_accept(w, g_arena, token, g_out, NULL, &use));
    assert_int_equal(o.rc, WR_CONFLICT);
    assert_string_equal(o.why, "invite.used_up");
    role_is(g_out, NULL);
    w = db_write_begin(g_db);
    o = end(w, invite_accept(w, g_arena, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", g_out, NULL,
                             &use));
    assert_string_equal(o.why, "invite.unknown");
}

static void a_join_request_is_decided_once(void **state)
{
    (void)state;
    struct dbc *w = db_write_begin(g_db);
    assert_int_equal(end(w, join_request_add(w, g_cid, g_out, "hello")).rc, WR_OK);
    w = db_write_begin(g_db);
    assert_int_equal(end(w, join_request_add(w, g_cid, g_out, "again")).rc, WR_OK);
    struct dbc *c = db_reader_acquire(g_db);
    int64_t id = db_int(c, 0, "SELECT max(id) FROM join_requests", "");
    int64_t n = db_int(c, 0, "SELECT count(*) FROM join_requests", "");
    db_reader_release(g_db, c);
    assert_int_equal(n, 1); /* the same request */
    w = db_write_begin(g_db);
    assert_int_equal(end(w, join_request_decide(w, g_cid, id, 0)).rc, WR_OK);
    w = db_write_begin(g_db);
    struct outcome o = end(w, join_request_decide(w, g_cid, id, 1));
    assert_int_equal(o.rc, WR_CONFLICT);
    assert_string_equal(o.why, "requests.decided");
    role_is(g_out, NULL);
    w = db_write_begin(g_db);
    assert_int_equal(end(w, join_request_decide(w, g_cid, id + 100, 1)).rc, WR_NOT_FOUND);
    /* A member does not ask to join. */
    w = db_write_begin(g_db);
    assert_int_equal(end(w, join_request_add(w, g_cid, g_mem, NULL)).rc, WR_CONFLICT);
}

static void an_unchanged_community_is_not_rewritten(void **state)
{
    (void)state;
    struct dbc *w = db_write_begin(g_db);
    assert_int_equal(db_exec(w, "UPDATE communities SET updated_at = 1 WHERE id = ?", "i", g_cid),
                     1);
    assert_int_equal(db_write_end(g_db, w, 1), 0);
    struct community_new same = {.name = "Dvor", .description = "", .visibility = VIS_CLOSED};
    w = db_write_begin(g_db);
    assert_int_equal(end(w, community_update(w, g_cid, &same)).rc, WR_OK);
    struct dbc *c = db_reader_acquire(g_db);
    assert_int_equal(db_int(c, 0, "SELECT updated_at FROM communities WHERE id = ?", "i", g_cid),
                     1);
    db_reader_release(g_db, c);
    struct community_new renamed = {.name = "Dvor 2", .description = "", .visibility = VIS_CLOSED};
    w = db_write_begin(g_db);
    assert_int_equal(end(w, community_update(w, g_cid, &renamed)).rc, WR_OK);
    c = db_reader_acquire(g_db);
    assert_true(db_int(c, 0, "SELECT updated_at FROM communities WHERE id = ?", "i", g_cid) > 1);
    db_reader_release(g_db, c);
    w = db_write_begin(g_db);
    assert_int_equal(end(w, community_update(w, g_cid + 100, &renamed)).rc, WR_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_last_organizer_stays),
        cmocka_unit_test(a_role_for_no_member_is_not_found_and_the_same_role_no_change),
        cmocka_unit_test(an_invitation_is_used_up_to_its_limit),
        cmocka_unit_test(a_join_request_is_decided_once),
        cmocka_unit_test(an_unchanged_community_is_not_rewritten),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
