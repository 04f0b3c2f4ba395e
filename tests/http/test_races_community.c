/*
 * The rules of the community and account writes, with two writers at
 * each: two clients firing at once from threads (a barrier lines them up,
 * round after round), and pages read before someone else acted (a stale
 * form). Each rule must hold whoever wins:
 * - a community keeps an organizer: two organizers demoting each other,
 *   or both leaving, at once leave one;
 * - a single-use invitation lets one person in, however many accept it at
 *   once, and none once it was revoked after its page was read;
 * - a join request is decided once: approved and declined at once, one
 *   wins and the other is told it is decided (409);
 * - a role change for a member who left meanwhile is 404 and adds nobody;
 * - one handle, one account: two sign-ups of it at once make one;
 * - a password is changed from the one checked: two changes sent at once
 *   with the same old password make one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv S;

enum { ROUNDS = 6 };

static const char *const D = "dvor-sadovaya-12";

/* ---- two requests at once ---- */

struct shot {
    struct client *c;
    const char *path;
    const char *const *pairs;
    int json;
    pthread_barrier_t *go;
    long status;
    char location[256];
};

static void *fire(void *arg)
{
    struct shot *s = arg;
    struct resp r;
    pthread_barrier_wait(s->go);
    s->status = post_pairs(s->c, s->path, s->json, s->pairs, &r) == 0 ? r.status : -1;
    s->location[0] = 0;
    if (s->status > 0) {
        resp_location(&r, s->location, sizeof s->location);
        resp_free(&r);
    }
    return NULL;
}

/* Sends a and b at the same moment; their statuses are in them after. */
static void at_once(struct shot *a, struct shot *b)
{
    /* Their CSRF tokens first, so that only the POSTs race. */
    if (!a->c->csrf[0]) assert_int_equal(client_fetch_csrf(a->c, "/"), 0);
    if (!b->c->csrf[0]) assert_int_equal(client_fetch_csrf(b->c, "/"), 0);
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, 2);
    a->go = b->go = &go;
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, fire, a), 0);
    assert_int_equal(pthread_create(&tb, NULL, fire, b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    pthread_barrier_destroy(&go);
}

static long long organizers(void)
{
    return db_value(&S,
                    "SELECT count(*) FROM members m JOIN communities c ON c.id ="
                    " m.community_id WHERE c.slug = ? AND m.role = 'organizer'",
                    D);
}

static long long is_member(const char *slug, const char *handle)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM member_accounts m JOIN communities c ON c.id = m.community_id"
             " JOIN accounts a ON a.id = m.account_id WHERE c.slug = '%s' AND a.handle = ?",
             slug);
    return db_value(&S, sql, handle);
}

/* The demo's second member of D made an organizer beside the first. */
static void two_organizers(void)
{
    assert_int_equal(db_run(&S,
                            "UPDATE memberships SET role = 'organizer' WHERE community_id ="
                            " (SELECT id FROM communities WHERE slug = 'dvor-sadovaya-12')"
                            " AND account_id IN (SELECT id FROM accounts WHERE handle IN"
                            " ('organizer', 'dvor-sadovaya-12-1'))",
                            NULL),
                     0);
    assert_int_equal(organizers(), 2);
}

/* The one who lost was refused: too late for the rule (409), or, when
 * the winner's change came before the request was even let in, no longer
 * an organizer (403). */
static int refused(long status)
{
    return status == 409 || status == 403;
}

static void organizers_demoting_each_other_leave_one(void **state)
{
    (void)state;
    struct client a, b;
    login_as(&a, &S, "organizer");
    login_as(&b, &S, "dvor-sadovaya-12-1");
    static const char *const to_member[] = {"role", "member", NULL};
    for (int round = 0; round < ROUNDS; round++) {
        two_organizers();
        char pa[160], pb[160];
        struct shot sa = {.c = &a,
                          .path = member_url(&S, D, D, "dvor-sadovaya-12-1", "role", pa, sizeof pa),
                          .pairs = to_member,
                          .json = 0};
        struct shot sb = {.c = &b,
                          .path = member_url(&S, D, D, "organizer", "role", pb, sizeof pb),
                          .pairs = to_member,
                          .json = 0};
        at_once(&sa, &sb);
        assert_int_equal((sa.status == 303) + (sb.status == 303), 1);
        assert_true(refused(sa.status) || refused(sb.status));
        assert_int_equal(organizers(), 1);
    }
    two_organizers();
    client_free(&a);
    client_free(&b);
}

static void organizers_leaving_at_once_leave_one(void **state)
{
    (void)state;
    struct client a, b;
    login_as(&a, &S, "organizer");
    login_as(&b, &S, "dvor-sadovaya-12-1");
    for (int round = 0; round < ROUNDS; round++) {
        two_organizers();
        struct shot sa = {.c = &a, .path = "/c/dvor-sadovaya-12/leave", .pairs = NULL, .json = 0};
        struct shot sb = {.c = &b, .path = "/c/dvor-sadovaya-12/leave", .pairs = NULL, .json = 0};
        at_once(&sa, &sb);
        assert_int_equal((sa.status == 303) + (sb.status == 303), 1);
        assert_int_equal(sa.status == 303 ? sb.status : sa.status, 409);
        assert_int_equal(organizers(), 1);
        /* Put the one who left back. */
        const char *gone = sa.status == 303 ? "organizer" : "dvor-sadovaya-12-1";
        assert_int_equal(db_run(&S,
                                "INSERT INTO memberships(community_id, account_id, role, joined_at)"
                                " SELECT c.id, a.id, 'organizer', 0 FROM communities c, accounts a"
                                " WHERE c.slug = 'dvor-sadovaya-12' AND a.handle = ?",
                                gone),
                         0);
    }
    client_free(&a);
    client_free(&b);
}

/* ---- invitations ---- */

/* A new invitation to D (max_uses uses) made by its organizer; its path
 * ("/i/TOKEN") into out. */
static void new_invitation(struct client *org, const char *max_uses, char *out, size_t n)
{
    const char *f[] = {"role", "member", "max_uses", max_uses, "days", "7", NULL};
    struct resp r;
    assert_int_equal(post_pairs(org, "/c/dvor-sadovaya-12/invite", 1, f, &r), 0);
    assert_int_equal(r.status, 201);
    const char *link = jstr(r.json, "created.link");
    assert_non_null(link);
    snprintf(out, n, "%s", strstr(link, "/i/"));
    resp_free(&r);
}

static void leave_d(const char *handle)
{
    assert_int_equal(db_run(&S,
                            "DELETE FROM memberships WHERE community_id = (SELECT id FROM"
                            " communities WHERE slug = 'dvor-sadovaya-12') AND account_id ="
                            " (SELECT id FROM accounts WHERE handle = ?)",
                            handle),
                     0);
}

static void a_single_use_invitation_accepted_at_once_lets_one_in(void **state)
{
    (void)state;
    struct client org, a, b;
    login_as(&org, &S, "organizer");
    login_as(&a, &S, "newcomer");
    login_as(&b, &S, "coordinator");
    for (int round = 0; round < ROUNDS; round++) {
        char link[160];
        new_invitation(&org, "1", link, sizeof link);
        struct shot sa = {.c = &a, .path = link, .pairs = NULL, .json = 0};
        struct shot sb = {.c = &b, .path = link, .pairs = NULL, .json = 0};
        at_once(&sa, &sb);
        assert_int_equal((sa.status == 303) + (sb.status == 303), 1);
        assert_int_equal(sa.status == 303 ? sb.status : sa.status, 410);
        assert_int_equal(is_member(D, "newcomer") + is_member(D, "coordinator"), 1);
        assert_int_equal(
            db_value(&S,
                     "SELECT max(uses) FROM invitations WHERE id = (SELECT max(id) FROM"
                     " invitations)",
                     NULL),
            1);
        leave_d("newcomer");
        leave_d("coordinator");
    }
    client_free(&org);
    client_free(&a);
    client_free(&b);
}

static void an_invitation_revoked_after_its_page_was_read_lets_nobody_in(void **state)
{
    (void)state;
    struct client org, a;
    login_as(&org, &S, "organizer");
    login_as(&a, &S, "newcomer");
    char link[160];
    new_invitation(&org, "5", link, sizeof link);
    char *page = get_html(&a, link); /* the page with its "join" button */
    free(page);
    assert_int_equal(
        db_run(&S,
               "UPDATE invitations SET revoked = 1 WHERE id = (SELECT max(id) FROM invitations)",
               NULL),
        0);
    struct resp r;
    assert_int_equal(post_pairs(&a, link, 0, NULL, &r), 0);
    assert_int_equal(r.status, 410);
    resp_free(&r);
    assert_int_equal(is_member(D, "newcomer"), 0);
    assert_int_equal(
        db_value(&S, "SELECT uses FROM invitations WHERE id = (SELECT max(id) FROM invitations)",
                 NULL),
        0);
    client_free(&org);
    client_free(&a);
}

/* ---- join requests ---- */

static void a_join_request_approved_and_declined_at_once_is_decided_once(void **state)
{
    (void)state;
    struct client a, b;
    login_as(&a, &S, "organizer");
    login_as(&b, &S, "organizer");
    const char *K = "zelenyj-kvartal";
    for (int round = 0; round < ROUNDS; round++) {
        long long id = db_value(&S,
                                "SELECT r.id FROM join_requests r JOIN accounts a ON a.id ="
                                " r.account_id WHERE a.handle = ? ORDER BY r.id DESC LIMIT 1",
                                "newcomer");
        assert_true(id > 0);
        char approve[160], decline[160];
        snprintf(approve, sizeof approve, "/c/%s/members/requests/%lld/approve", K, id);
        snprintf(decline, sizeof decline, "/c/%s/members/requests/%lld/decline", K, id);
        struct shot sa = {.c = &a, .path = approve, .pairs = NULL, .json = 0};
        struct shot sb = {.c = &b, .path = decline, .pairs = NULL, .json = 0};
        at_once(&sa, &sb);
        assert_int_equal((sa.status == 303) + (sb.status == 303), 1);
        assert_int_equal(sa.status == 303 ? sb.status : sa.status, 409);
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT status = 'approved' FROM join_requests WHERE id = %lld",
                 id);
        long long approved = db_value(&S, sql, NULL);
        assert_int_equal(approved, sa.status == 303);
        assert_int_equal(is_member(K, "newcomer"), approved);
        /* Pending again, and not in, for the next round. */
        snprintf(sql, sizeof sql,
                 "UPDATE join_requests SET status = 'pending', decided_at = NULL WHERE id = %lld",
                 id);
        assert_int_equal(db_run(&S, sql, NULL), 0);
        assert_int_equal(db_run(&S,
                                "DELETE FROM memberships WHERE community_id = (SELECT id FROM"
                                " communities WHERE slug = 'zelenyj-kvartal') AND account_id ="
                                " (SELECT id FROM accounts WHERE handle = ?)",
                                "newcomer"),
                         0);
    }
    client_free(&a);
    client_free(&b);
}

/* ---- a member who left ---- */

static void a_role_change_for_a_member_who_left_meanwhile_is_404(void **state)
{
    (void)state;
    struct client org, m;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "dvor-sadovaya-12-3");
    json_t *page = view_json(&org, "/c/dvor-sadovaya-12/members"); /* the role select */
    json_decref(page);
    char role[160];
    member_url(&S, D, D, "dvor-sadovaya-12-3", "role", role, sizeof role);
    POST(&m, "/c/dvor-sadovaya-12/leave", 303, NULL);
    long long members = db_value(&S, "SELECT count(*) FROM memberships", NULL);
    struct resp r;
    const char *f[] = {"role", "facilitator", NULL};
    assert_int_equal(post_pairs(&org, role, 0, f, &r), 0);
    assert_int_equal(r.status, 404);
    resp_free(&r);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM memberships", NULL), members);
    assert_int_equal(is_member(D, "dvor-sadovaya-12-3"), 0);
    client_free(&org);
    client_free(&m);
}

/* ---- accounts ---- */

static void two_sign_ups_of_one_handle_make_one_account(void **state)
{
    (void)state;
    for (int round = 0; round < 3; round++) {
        struct client a, b;
        login_as(&a, &S, NULL);
        login_as(&b, &S, NULL);
        char handle[32];
        snprintf(handle, sizeof handle, "odin-na-dvoih-%d", round);
        const char *fa[] = {"handle",      handle,      "display_name", "A", "password",
                            "pass-word-1", "password2", "pass-word-1",  NULL};
        const char *fb[] = {"handle",      handle,      "display_name", "B", "password",
                            "pass-word-2", "password2", "pass-word-2",  NULL};
        struct shot sa = {.c = &a, .path = "/signup", .pairs = fa, .json = 0};
        struct shot sb = {.c = &b, .path = "/signup", .pairs = fb, .json = 0};
        at_once(&sa, &sb);
        assert_int_equal((sa.status == 303) + (sb.status == 303), 1);
        long lost = sa.status == 303 ? sb.status : sa.status;
        /* Refused on the form (the handle was seen taken) or by the write. */
        assert_true(lost == 422 || lost == 409);
        assert_int_equal(db_value(&S, "SELECT count(*) FROM accounts WHERE handle = ?", handle), 1);
        client_free(&a);
        client_free(&b);
    }
}

static void two_password_changes_at_once_make_one(void **state)
{
    (void)state;
    struct client c;
    sign_up(&c, &S, "dva-parolya");
    client_free(&c);
    char old[32] = "pass-word-1";
    for (int round = 0; round < 3; round++) {
        struct client a, b;
        client_init(&a, &S);
        client_init(&b, &S);
        assert_int_equal(client_login(&a, "dva-parolya", old), 0);
        assert_int_equal(client_login(&b, "dva-parolya", old), 0);
        char pa[32], pb[32];
        snprintf(pa, sizeof pa, "novyj-a-%d-parol", round);
        snprintf(pb, sizeof pb, "novyj-b-%d-parol", round);
        const char *fa[] = {"current", old, "password", pa, "password2", pa, NULL};
        const char *fb[] = {"current", old, "password", pb, "password2", pb, NULL};
        struct shot sa = {.c = &a, .path = "/account/password", .pairs = fa, .json = 1};
        struct shot sb = {.c = &b, .path = "/account/password", .pairs = fb, .json = 1};
        at_once(&sa, &sb);
        assert_int_equal((sa.status == 303) + (sb.status == 303), 1);
        long lost = sa.status == 303 ? sb.status : sa.status;
        /* Too late for the old password (409), or its session was ended
         * by the winner before it was let in (401), or it was let in and
         * then read the winner's hash, against which the old password is
         * wrong (422 on "current"; seen on a loaded machine). */
        if (lost != 409 && lost != 401 && lost != 422)
            fprintf(stderr, "races: the second change got %ld\n", lost);
        assert_true(lost == 409 || lost == 401 || lost == 422);
        const char *won = sa.status == 303 ? pa : pb, *other = sa.status == 303 ? pb : pa;
        struct client t;
        client_init(&t, &S);
        assert_int_equal(client_login(&t, "dva-parolya", won), 0);
        client_free(&t);
        client_init(&t, &S);
        assert_true(client_login(&t, "dva-parolya", other) != 0);
        client_free(&t);
        snprintf(old, sizeof old, "%s", won);
        client_free(&a);
        client_free(&b);
    }
}

static int setup(void **state)
{
    (void)state;
    /* Two sign-ups or password changes at once must both reach the write
     * they race at: places for both in the hashing gate (which would
     * otherwise ask the second to retry, test_signin_flood). */
    static const char *const args[] = {"--hash-max", "8", NULL};
    return srv_start(&S, 1, args);
}

static int teardown(void **state)
{
    (void)state;
    return srv_stop(&S) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(organizers_demoting_each_other_leave_one),
        cmocka_unit_test(organizers_leaving_at_once_leave_one),
        cmocka_unit_test(a_single_use_invitation_accepted_at_once_lets_one_in),
        cmocka_unit_test(an_invitation_revoked_after_its_page_was_read_lets_nobody_in),
        cmocka_unit_test(a_join_request_approved_and_declined_at_once_is_decided_once),
        cmocka_unit_test(a_role_change_for_a_member_who_left_meanwhile_is_404),
        cmocka_unit_test(two_sign_ups_of_one_handle_make_one_account),
        cmocka_unit_test(two_password_changes_at_once_make_one),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
