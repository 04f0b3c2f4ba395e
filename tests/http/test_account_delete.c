/* Deleting one's own account (issue 13): the password and a ticked box
 * delete it; the person's own rows go with it, the community's record
 * stays signed by nobody, decided votes keep their count; the only
 * organizer of a community and the only administrator are told why not,
 * and nothing is deleted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/check.h"
#include "lib/httpx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static struct srv S;

/* A resident of the yard: owns an action, has values, votes and pledges. */
#define RES "dvor-sadovaya-12-1"

static int setup(void **state)
{
    (void)state;
    return srv_start(&S, 1, NULL);
}

static int teardown(void **state)
{
    (void)state;
    return srv_stop(&S) == 0 ? 0 : -1;
}

static long long accounts_named(const char *handle)
{
    return db_value(&S, "SELECT count(*) FROM accounts WHERE handle = ?", handle);
}

static void anonymous_is_sent_to_sign_in(void **state)
{
    (void)state;
    struct client a;
    client_init(&a, &S);
    assert_int_equal(get_status(&a, "/account/delete", 0), 303);
    assert_int_equal(get_status(&a, "/account/delete", 1), 401);
    client_free(&a);
}

static void the_only_organizer_is_told_to_hand_over(void **state)
{
    (void)state;
    struct client o;
    login_as(&o, &S, "organizer");
    struct resp r;
    assert_int_equal(client_get(&o, "/account/delete", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(resp_has(&r, "Двор на Садовой, 12"));
    assert_true(resp_has(&r, "href=\"/c/dvor-sadovaya-12/members\""));
    assert_false(resp_has(&r, "action=\"/account/delete\"")); /* no form to send */
    resp_free(&r);
    /* sent anyway (a page read before a role changed): refused, nothing goes */
    long long members = db_value(&S, "SELECT count(*) FROM members", NULL);
    const char *f[] = {"password", "demo-demo", "understood", "1", NULL};
    assert_int_equal(post_pairs(&o, "/account/delete", 0, f, &r), 0);
    assert_int_equal(r.status, 409);
    resp_free(&r);
    assert_int_equal(accounts_named("organizer"), 1);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM members", NULL), members);
    client_free(&o);
}

static void the_only_administrator_may_not(void **state)
{
    (void)state;
    struct client a;
    login_as(&a, &S, "admin");
    struct resp r;
    assert_int_equal(client_get(&a, "/account/delete", 1, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(json_is_true(jget(r.json, "last_admin")));
    resp_free(&r);
    const char *f[] = {"password", "demo-demo", "understood", "1", NULL};
    assert_int_equal(post_status(&a, "/account/delete", 0, f), 409);
    assert_int_equal(accounts_named("admin"), 1);
    client_free(&a);
}

static void wrong_password_or_no_tick_deletes_nothing(void **state)
{
    (void)state;
    struct client m;
    login_as(&m, &S, RES);
    struct resp r;
    const char *wrong[] = {"password", "not-the-password", "understood", "1", NULL};
    assert_int_equal(post_pairs(&m, "/account/delete", 0, wrong, &r), 0);
    assert_int_equal(r.status, 422);
    assert_true(resp_has(&r, "id=\"password-error\""));
    assert_true(resp_has(&r, "name=\"understood\" value=\"1\" checked")); /* the tick kept */
    assert_false(resp_has(&r, "not-the-password"));                       /* never echoed */
    resp_free(&r);
    const char *untick[] = {"password", "demo-demo", NULL};
    assert_int_equal(post_pairs(&m, "/account/delete", 0, untick, &r), 0);
    assert_int_equal(r.status, 422);
    assert_true(resp_has(&r, "id=\"understood-error\""));
    resp_free(&r);
    assert_int_equal(accounts_named(RES), 1);
    client_free(&m);
}

static void a_resident_deletes_their_account(void **state)
{
    (void)state;
    long long mid = member_id_of(&S, "dvor-sadovaya-12", RES);
    assert_true(mid > 0);
    char m[24];
    snprintf(m, sizeof m, "%lld", mid);
    long long own = db_value(&S, "SELECT count(*) FROM personal_values WHERE member_id = ?", m);
    long long owned = db_value(&S, "SELECT count(*) FROM actions WHERE owner_member = ?", m);
    long long votes = db_value(&S, "SELECT count(*) FROM value_votes", NULL);
    long long theirs = db_value(&S, "SELECT count(*) FROM value_votes WHERE member_id = ?", m);
    long long yard =
        db_value(&S, "SELECT members FROM communities WHERE slug = ?", "dvor-sadovaya-12");
    assert_true(own > 0 && owned > 0 && theirs > 0);

    struct client c;
    login_as(&c, &S, RES);
    const char *value[] = {"title", "Ценность того, кто ушёл", NULL};
    assert_int_equal(post_status(&c, "/c/dvor-sadovaya-12/strategy/values", 0, value), 303);
    struct resp r;
    assert_int_equal(client_get(&c, "/account/delete", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(resp_has(&r, "action=\"/account/delete\""));
    assert_true(resp_has(&r, "href=\"/account/export\"")); /* a copy first, if wanted */
    resp_free(&r);
    const char *f[] = {"password", "demo-demo", "understood", "1", NULL};
    assert_int_equal(post_pairs(&c, "/account/delete", 0, f, &r), 0);
    assert_int_equal(r.status, 303);
    char loc[64];
    assert_string_equal(resp_location(&r, loc, sizeof loc), "/");
    resp_free(&r);

    /* gone: the account, its member, its own rows; the session is dead */
    assert_int_equal(accounts_named(RES), 0);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM members WHERE id = ?", m), 0);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM personal_values WHERE member_id = ?", m),
                     0);
    assert_int_equal(
        db_value(&S, "SELECT members FROM communities WHERE slug = ?", "dvor-sadovaya-12"),
        yard - 1);
    assert_int_equal(get_status(&c, "/account", 1), 401);
    /* stays: the actions (without an owner) and every vote in the count */
    assert_int_equal(db_value(&S, "SELECT count(*) FROM actions WHERE owner_member = ?", m), 0);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM value_votes", NULL), votes);
    assert_true(db_value(&S, "SELECT count(*) FROM value_votes WHERE member_id IS NULL", NULL) >=
                theirs);
    /* what they proposed or wrote is signed by "a former member" */
    {
        struct client o;
        login_as(&o, &S, "organizer");
        char *page = get_html(&o, "/c/dvor-sadovaya-12/strategy/values");
        const char *at = strstr(page, "Ценность того, кто ушёл");
        assert_non_null(at);
        const char *next = strstr(at, "</li>");
        const char *by = strstr(at, "бывший участник");
        assert_true(by && (!next || by < next));
        free(page);
        client_free(&o);
    }
    /* and nobody signs in as them any more */
    struct client again;
    client_init(&again, &S);
    assert_int_equal(client_login(&again, RES, "demo-demo"), -1);
    client_free(&again);
    client_free(&c);
}

/* "hramada user delete HANDLE [--yes]" on the server's database, while it
 * serves; its output into out (n bytes). Returns the exit status. */
static int cli_delete(const char *handle, int yes, char *out, size_t n)
{
    const char *bin = getenv("HRAMADA_BIN") ? getenv("HRAMADA_BIN") : "build/hramada";
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' user delete '%s' --db '%s'%s 2>&1", bin, handle, S.db,
             yes ? " --yes" : "");
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t len = fread(out, 1, n - 1, p);
    out[len] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The administrator's command says what goes first, and deletes only with
 * --yes; it names no secret community and counts nothing of one. */
static void the_administrator_deletes_with_the_command(void **state)
{
    (void)state;
    char out[4096];
    assert_int_equal(cli_delete("dvor-sadovaya-12-2", 0, out, sizeof out), 1);
    assert_non_null(strstr(out, "community.memberships: 1"));
    assert_non_null(strstr(out, "nothing deleted"));
    assert_int_equal(accounts_named("dvor-sadovaya-12-2"), 1);
    assert_int_equal(cli_delete("no-such-person", 1, out, sizeof out), 1);
    /* the member is in the secret community too: not a word of it */
    assert_int_equal(cli_delete("member", 0, out, sizeof out), 1);
    assert_null(strstr(out, "Тихо"));
    assert_null(strstr(out, "tiho"));
    long long public_or_closed =
        db_value(&S,
                 "SELECT count(*) FROM member_accounts l JOIN accounts a ON a.id = l.account_id"
                 " JOIN communities c ON c.id = l.community_id WHERE a.handle = ?"
                 " AND c.visibility < 2",
                 "member");
    char line[64];
    snprintf(line, sizeof line, "community.memberships: %lld\n", public_or_closed);
    assert_non_null(strstr(out, line));
    /* the only organizer of a community: refused, nothing goes */
    assert_int_equal(cli_delete("member", 1, out, sizeof out), 1);
    assert_non_null(strstr(out, "only organizer"));
    assert_int_equal(accounts_named("member"), 1);
    assert_int_equal(cli_delete("dvor-sadovaya-12-2", 1, out, sizeof out), 0);
    assert_int_equal(accounts_named("dvor-sadovaya-12-2"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(anonymous_is_sent_to_sign_in),
        cmocka_unit_test(the_only_organizer_is_told_to_hand_over),
        cmocka_unit_test(the_only_administrator_may_not),
        cmocka_unit_test(wrong_password_or_no_tick_deletes_nothing),
        cmocka_unit_test(a_resident_deletes_their_account),
        cmocka_unit_test(the_administrator_deletes_with_the_command),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
