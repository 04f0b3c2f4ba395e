/* Sealing, step 2, over HTTP: a secret community's members are tied to
 * their accounts only by entries of their keyrings, never by a clear row.
 * A community created secret, an invitation accepted by a signed-in person
 * and a sign-up by invitation all seal the newcomer; the membership lives
 * through a sign-out and sign-in, a password change and a restart; a
 * membership "waiting to be sealed" (a clear link, as an upgrade leaves
 * them) is counted for the organizers and sealed at the person's next
 * sign-in; leaving, the administrator's password reset and deleting one's
 * account end it. Every check of "in or out" is what a person sees (the
 * community's page, the home page, the file of their data), and every
 * check of the disk reads the database as a seized copy would. The tests
 * run in order on one server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/check.h"
#include "lib/forensic.h"
#include "lib/httpx.h"

#include <stdio.h>
#include <string.h>

static struct srv S;
static struct client ORG; /* "member" of the demo, who makes the community */
static char LINK[128];    /* an invitation of five uses: /i/TOKEN */
static char SLUG[96];     /* the community's random address */

static int setup(void **state)
{
    (void)state;
    if (srv_start(&S, 1, NULL) != 0) return -1;
    client_init(&ORG, &S);
    return client_login(&ORG, "member", "demo-demo");
}

static int teardown(void **state)
{
    (void)state;
    client_free(&ORG);
    return srv_stop(&S) == 0 ? 0 : -1;
}

/* The community's id as text (its row holds neither its address nor its
 * name in clear: the suite finds it as the newest community). */
static char CID[24];

/* Rows of the community in a table. */
static long long rows_of(const char *table)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM %s t JOIN communities c ON c.id = t.community_id"
             " WHERE c.id = ?",
             table);
    return db_value(&S, sql, CID);
}

/* "/c/ADDRESS" followed by rest. */
static const char *at(const char *rest)
{
    static char buf[4][192];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "/c/%s%s", SLUG, rest);
    return b;
}

/* No clear row ties any account to the community. */
static void no_clear_link(void)
{
    assert_int_equal(rows_of("member_accounts"), 0);
    assert_int_equal(rows_of("join_requests"), 0);
}

/* What the person sees of the community: its page's status. */
static long page_of(struct client *c)
{
    return get_status(c, at(""), 1);
}

/* 1 when the home page lists the community among the person's own. */
static int listed_as_mine(struct client *c)
{
    json_t *v = view_json(c, "/");
    int has = jarray_has(v, "mine", "slug", SLUG);
    json_decref(v);
    return has;
}

static void created_secret_is_sealed(void **state)
{
    (void)state;
    const char *f[] = {"name", "Тайный сад", "slug", "tajnyj-sad", "visibility", "secret", NULL};
    struct resp r;
    assert_int_equal(post_pairs(&ORG, "/c", 0, f, &r), 0);
    assert_int_equal(r.status, 303);
    /* The address asked for is not used: a random one, 24 letters and
     * digits. */
    char loc[96];
    resp_location(&r, loc, sizeof loc);
    resp_free(&r);
    assert_int_equal(strncmp(loc, "/c/", 3), 0);
    snprintf(SLUG, sizeof SLUG, "%s", loc + 3);
    assert_int_equal(strlen(SLUG), 24);
    assert_int_equal(strspn(SLUG, "abcdefghijklmnopqrstuvwxyz234567"), 24);
    /* A secret community starts with the rule that its organizers use a
     * second factor (test_second_factor.c); this suite is about keys. */
    snprintf(CID, sizeof CID, "%lld", db_value(&S, "SELECT max(id) FROM communities", NULL));
    assert_int_equal(
        db_run(&S, "UPDATE communities SET organizers_second_factor = 0 WHERE id = ?", CID), 0);
    /* The row holds only a hash of the address: neither it nor the one
     * asked for is on the disk. */
    assert_int_equal(db_value(&S, "SELECT count(*) FROM communities WHERE slug = ?", SLUG), 0);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM communities WHERE slug = ?", "tajnyj-sad"),
                     0);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM communities WHERE id = ?"
                              " AND slug GLOB '~[0-9a-f]*' AND length(slug) = 65",
                              CID),
                     1);
    /* Its name and its organizer's name are sealed on the disk, and shown
     * to its members as they were written. */
    assert_int_equal(
        db_value(&S,
                 "SELECT count(*) FROM communities c JOIN members m"
                 " ON m.community_id = c.id WHERE c.id = ?"
                 " AND substr(c.name, 1, 1) = char(30) AND substr(m.name, 1, 1) = char(30)"
                 " AND instr(c.name, 'Тайный') = 0",
                 CID),
        1);
    json_t *v = view_json(&ORG, at(""));
    assert_string_equal(jstr(v, "my_role"), "organizer");
    json_decref(v);
    assert_true(listed_as_mine(&ORG));
    assert_int_equal(rows_of("members"), 1);
    assert_int_equal(rows_of("community_seals"), 1);
    no_clear_link();
}

static void invitations_seal_the_newcomer(void **state)
{
    (void)state;
    const char *f[] = {"role", "member", "max_uses", "5", "days", "7", NULL};
    struct resp r;
    assert_int_equal(post_pairs(&ORG, at("/invite"), 1, f, &r), 0);
    assert_int_equal(r.status, 201);
    const char *link = jstr(r.json, "created.link");
    assert_non_null(link);
    snprintf(LINK, sizeof LINK, "%s", strstr(link, "/i/"));
    resp_free(&r);
    /* The link carries the data key, under a key the disk does not hold. */
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM invitations i JOIN communities c"
                              " ON c.id = i.community_id WHERE c.id = ?"
                              " AND length(i.sealed_key) = 88",
                              CID),
                     1);

    /* a signed-in account accepts */
    struct client nc;
    login_as(&nc, &S, "newcomer");
    assert_int_equal(page_of(&nc), 404);
    assert_int_equal(post_status(&nc, LINK, 0, NULL), 303);
    assert_int_equal(page_of(&nc), 200);
    assert_true(listed_as_mine(&nc));
    client_free(&nc);

    /* someone new signs up by the link, on an instance whose sign-up is
     * by invitation only: the sign-up itself uses it */
    assert_int_equal(db_run(&S, "UPDATE settings SET value = ? WHERE key = 'open_signup'", "0"), 0);
    struct client fresh;
    client_init(&fresh, &S);
    const char *su[] = {"handle",      "sadovnik", "password", "pass-word-1", "password2",
                        "pass-word-1", "next",     LINK,       NULL};
    assert_int_equal(post_status(&fresh, "/signup", 0, su), 303);
    fresh.csrf[0] = 0;
    assert_int_equal(page_of(&fresh), 200);
    client_free(&fresh);
    assert_int_equal(db_run(&S, "UPDATE settings SET value = ? WHERE key = 'open_signup'", "1"), 0);

    assert_int_equal(rows_of("members"), 3);
    no_clear_link();
    /* an outsider cannot tell the community exists */
    struct client out;
    login_as(&out, &S, "organizer");
    assert_int_equal(page_of(&out), 404);
    assert_false(listed_as_mine(&out));
    client_free(&out);
}

static void membership_lives_through_sign_in_password_and_restart(void **state)
{
    (void)state;
    struct client c;
    client_init(&c, &S);
    assert_int_equal(client_login(&c, "sadovnik", "pass-word-1"), 0);
    assert_int_equal(page_of(&c), 200);
    assert_int_equal(post_status(&c, "/logout", 0, NULL), 303);
    assert_int_equal(page_of(&c), 404);
    client_free(&c);

    client_init(&c, &S);
    assert_int_equal(client_login(&c, "sadovnik", "pass-word-1"), 0);
    assert_int_equal(page_of(&c), 200);
    const char *pw[] = {"current",   "pass-word-1", "password", "pass-word-2",
                        "password2", "pass-word-2", NULL};
    assert_int_equal(client_fetch_csrf(&c, "/account"), 0);
    assert_int_equal(post_status(&c, "/account/password", 0, pw), 303);
    c.csrf[0] = 0;
    assert_int_equal(page_of(&c), 200);

    assert_int_equal(srv_halt(&S), 0);
    assert_int_equal(srv_restart(&S, NULL), 0);
    assert_int_equal(page_of(&c), 200); /* the same session, after the restart */
    assert_true(listed_as_mine(&c));
    client_free(&c);
    client_init(&c, &S);
    assert_int_equal(client_login(&c, "sadovnik", "pass-word-2"), 0);
    assert_int_equal(page_of(&c), 200);
    client_free(&c);
    /* the organizer's session from before the restart works too */
    assert_int_equal(page_of(&ORG), 200);
    no_clear_link();
}

static void waiting_links_are_counted_then_sealed_at_sign_in(void **state)
{
    (void)state;
    /* A clear link, as migration 045 left every secret membership. */
    assert_int_equal(db_run(&S,
                            "INSERT INTO memberships(community_id, account_id, role, joined_at)"
                            " SELECT c.id, a.id, 'member', 0 FROM communities c, accounts a"
                            " WHERE c.id = (SELECT max(id) FROM communities) AND a.handle = ?",
                            "coordinator"),
                     0);
    assert_int_equal(rows_of("member_accounts"), 1);
    json_t *v = view_json(&ORG, at("/members"));
    assert_int_equal(json_integer_value(json_object_get(v, "waiting")), 1);
    json_decref(v);
    char *html = get_html(&ORG, at("/members"));
    assert_non_null(strstr(html, "Ещё не запечатано: 1 участник."));
    free(html);
    /* a member who is not an organizer is not told */
    struct client m;
    client_init(&m, &S);
    assert_int_equal(client_login(&m, "sadovnik", "pass-word-2"), 0);
    v = view_json(&m, at("/members"));
    assert_null(json_object_get(v, "waiting"));
    json_decref(v);
    client_free(&m);

    /* Signed in, the waiting member gets a key pair, but the community's
     * key is not theirs yet: still waiting, still in. */
    struct client f;
    login_as(&f, &S, "coordinator");
    assert_int_equal(page_of(&f), 200);
    client_free(&f);
    assert_int_equal(rows_of("member_accounts"), 1);
    /* The organizer passes the key on; the next sign-in seals with it. */
    assert_int_equal(post_status(&ORG, at("/members/keys"), 0, NULL), 303);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM member_key_drops d JOIN members m"
                              " ON m.id = d.member_id JOIN communities c ON c.id = m.community_id"
                              " WHERE c.id = ?",
                              CID),
                     1);
    login_as(&f, &S, "coordinator");
    assert_int_equal(page_of(&f), 200);
    client_free(&f);
    no_clear_link();
    assert_int_equal(db_value(&S, "SELECT count(*) FROM member_key_drops", NULL), 0);
    v = view_json(&ORG, at("/members"));
    assert_null(json_object_get(v, "waiting"));
    json_decref(v);
    assert_int_equal(rows_of("members"), 4);
}

static void export_has_sealed_communities_when_asked(void **state)
{
    (void)state;
    struct client nc;
    login_as(&nc, &S, "newcomer");
    json_t *with = get_json(&nc, "/account/export.json?secret=1", 200);
    json_t *without = get_json(&nc, "/account/export.json", 200);
    /* by its name: the file does not carry a random address */
    assert_true(jarray_has(with, "community.memberships", "name", "Тайный сад"));
    assert_false(jarray_has(without, "community.memberships", "name", "Тайный сад"));
    json_decref(with);
    json_decref(without);
    client_free(&nc);
}

/* An organizer asks for a new address: the old one stops opening the
 * community, every member finds the new one in their list (a member whose
 * keyring holds the old one included), and the disk holds neither. */
static void a_new_address_breaks_the_old_one(void **state)
{
    (void)state;
    char old[96], loc[96];
    snprintf(old, sizeof old, "%s", SLUG);
    assert_int_equal(get_status(&ORG, at("/address"), 0), 200);
    /* an empty or mistyped confirmation changes nothing */
    assert_int_equal(post_status(&ORG, at("/address"), 0, NULL), 422);
    const char *wrong[] = {"confirm", "tajnyj-sad", NULL};
    assert_int_equal(post_status(&ORG, at("/address"), 0, wrong), 422);
    assert_int_equal(page_of(&ORG), 200);
    const char *typed[] = {"confirm", old, NULL};
    struct resp r;
    assert_int_equal(post_pairs(&ORG, at("/address"), 0, typed, &r), 0);
    assert_int_equal(r.status, 303);
    resp_location(&r, loc, sizeof loc);
    resp_free(&r);
    assert_int_equal(strncmp(loc, "/c/", 3), 0);
    assert_int_equal(strlen(loc), 3 + 24 + 5); /* "/c/" ADDRESS "/edit" */
    snprintf(SLUG, sizeof SLUG, "%.24s", loc + 3);
    assert_string_not_equal(SLUG, old);
    char path[128];
    snprintf(path, sizeof path, "/c/%s", old);
    assert_int_equal(get_status(&ORG, path, 0), 404);
    assert_int_equal(page_of(&ORG), 200);
    assert_true(listed_as_mine(&ORG));
    struct client nc;
    login_as(&nc, &S, "newcomer");
    assert_int_equal(get_status(&nc, path, 0), 404);
    assert_true(listed_as_mine(&nc));
    assert_int_equal(page_of(&nc), 200);
    client_free(&nc);
    /* On the disk: the hash of the new one, and the new one sealed. */
    assert_int_equal(db_value(&S, "SELECT count(*) FROM communities WHERE slug = ?", SLUG), 0);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM communities WHERE slug = ?", old), 0);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM communities WHERE id = ?"
                              " AND substr(address, 1, 1) = char(30)"
                              " AND substr(slug, 1, 1) = '~'",
                              CID),
                     1);
    long a = fx_file_count(S.db, SLUG, strlen(SLUG));
    assert_int_equal(a, 0);
    /* A community that is not secret has no such page. */
    struct client org;
    assert_int_equal(client_as(&org, &S, "organizer"), 0);
    assert_int_equal(get_status(&org, "/c/dvor-sadovaya-12/address", 0), 409);
    assert_int_equal(post_status(&org, "/c/dvor-sadovaya-12/address", 0, NULL), 409);
    client_free(&org);
}

static void leaving_reset_and_deletion_end_it(void **state)
{
    (void)state;
    /* leaving */
    struct client nc;
    login_as(&nc, &S, "newcomer");
    assert_int_equal(post_status(&nc, at("/leave"), 0, NULL), 303);
    assert_int_equal(page_of(&nc), 404);
    assert_false(listed_as_mine(&nc));
    client_free(&nc);
    assert_int_equal(rows_of("members"), 3);

    /* the administrator's reset cannot open the keyring: out, visibly */
    const char *args[] = {"user", "passwd", "coordinator", NULL};
    assert_int_equal(srv_cli(&S, "admin-chose-3\n", args), 0);
    struct client f;
    client_init(&f, &S);
    assert_int_equal(client_login(&f, "coordinator", "admin-chose-3"), 0);
    assert_int_equal(page_of(&f), 404);
    client_free(&f);

    /* deleting one's account takes its sealed member with it */
    struct client s;
    client_init(&s, &S);
    assert_int_equal(client_login(&s, "sadovnik", "pass-word-2"), 0);
    assert_int_equal(client_fetch_csrf(&s, "/account/delete"), 0);
    const char *del[] = {"password", "pass-word-2", "understood", "1", NULL};
    assert_int_equal(post_status(&s, "/account/delete", 0, del), 303);
    client_free(&s);
    /* two rows left: the organizer's, and the one the reset orphaned
     * (nothing can tell whose it was, so nothing can remove it but an
     * organizer) */
    assert_int_equal(rows_of("members"), 2);
    no_clear_link();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(created_secret_is_sealed),
        cmocka_unit_test(invitations_seal_the_newcomer),
        cmocka_unit_test(membership_lives_through_sign_in_password_and_restart),
        cmocka_unit_test(waiting_links_are_counted_then_sealed_at_sign_in),
        cmocka_unit_test(export_has_sealed_communities_when_asked),
        cmocka_unit_test(a_new_address_breaks_the_old_one),
        cmocka_unit_test(leaving_reset_and_deletion_end_it),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
