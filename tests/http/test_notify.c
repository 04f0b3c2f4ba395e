/* Notifications (issue 17, step 2) over HTTP against a real server with the
 * demo: the inbox across communities (newest first, paged, a notice opened
 * goes to its object, all of a community read), the count in every page's
 * header, who sees which notice (another person, a member who left, a
 * secret community's), and the settings per community (a channel per kind,
 * no mail for a secret community, the choice sealed there). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv S;

#define DS "/c/dvor-sadovaya-12"
#define ZK "/c/zelenyj-kvartal"

static int setup(void **state)
{
    (void)state;
    /* The demo's own events wrote notices (a comment, a task, a request);
     * these tests count the inbox from notices they write themselves. */
    return srv_start(&S, 1, NULL) == 0 && db_run(&S, "DELETE FROM notifications", NULL) == 0 ? 0
                                                                                             : -1;
}

static int teardown(void **state)
{
    (void)state;
    return srv_stop(&S) == 0 ? 0 : -1;
}

/* A notice of kind about object for member (as an area's write makes
 * one), at time at; its id. */
static long long notice(long long member, const char *kind, long long object, long long at)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO notifications(member_id, community_id, kind, object_id, day, at)"
             " SELECT id, community_id, ?, %lld, %lld / 86400, %lld FROM members WHERE id = %lld",
             object, at, at, member);
    if (member <= 0 || db_run(&S, sql, kind) != 0) fail_msg("no notice for member %lld", member);
    return db_value(&S, "SELECT max(id) FROM notifications", NULL);
}

static long long unread_of(long long member)
{
    char p[32];
    snprintf(p, sizeof p, "%lld", member);
    return db_value(&S, "SELECT count(*) FROM notifications WHERE member_id = ? AND unread = 1", p);
}

static void open_path(char *buf, size_t n, long long id)
{
    snprintf(buf, n, "/inbox/%lld/open", id);
}

static void the_inbox_lists_a_persons_notices_newest_first(void **state)
{
    (void)state;
    struct client m, org, out, anon;
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    login_as(&out, &S, "newcomer");
    login_as(&anon, &S, NULL);
    long long mds = member_id_of(&S, "dvor-sadovaya-12", "member");
    long long mnr = member_id_of(&S, "zelenyj-kvartal", "member");
    long long ods = member_id_of(&S, "dvor-sadovaya-12", "organizer");
    long long a = notice(mds, "community.join_approved", 1, 1900000000);
    long long b = notice(mnr, "community.join_approved", 1, 1900000100);
    long long c = notice(ods, "community.join_approved", 1, 1900000200);

    json_t *v = view_json(&m, "/inbox");
    assert_int_equal(json_array_size(jget(v, "notices")), 2);
    /* newest first, each with its community and its line */
    assert_int_equal(json_integer_value(jget(v, "notices.0.id")), b);
    assert_int_equal(json_integer_value(jget(v, "notices.1.id")), a);
    assert_string_equal(jstr(v, "notices.0.slug"), "zelenyj-kvartal");
    assert_string_equal(jstr(v, "notices.1.community"), "Двор на Садовой, 12");
    assert_non_null(jstr(v, "notices.0.label"));
    assert_true(json_is_true(jget(v, "notices.0.unread")) ||
                json_integer_value(jget(v, "notices.0.unread")) == 1);
    assert_null(jget(v, "notices.0.member_id"));
    json_decref(v);

    /* the header counts them, on any page, without JavaScript */
    char *html = get_html(&m, "/");
    assert_non_null(strstr(html, "class=\"count\""));
    assert_non_null(strstr(html, ">2</span>"));
    free(html);
    html = get_html(&out, "/");
    assert_null(strstr(html, "class=\"count\""));
    free(html);

    /* another person's notice is no one else's */
    char p[64];
    open_path(p, sizeof p, c);
    POST(&m, p, 404, "x", "1");
    POST(&out, p, 404, "x", "1");
    POST(&anon, p, 401, "x", "1");
    assert_int_equal(unread_of(ods), 1);
    v = view_json(&out, "/inbox");
    assert_int_equal(json_array_size(jget(v, "notices")), 0);
    json_decref(v);

    /* opening one marks it read and goes to its object */
    open_path(p, sizeof p, a);
    struct resp r;
    const char *pairs[] = {"x", "1", NULL};
    assert_int_equal(post_pairs(&m, p, 0, pairs, &r), 0);
    assert_int_equal(r.status, 303);
    char loc[256];
    assert_string_equal(resp_location(&r, loc, sizeof loc), DS);
    resp_free(&r);
    assert_int_equal(unread_of(mds), 0);
    html = get_html(&m, "/inbox");
    assert_non_null(strstr(html, ">1</span>"));
    free(html);
    /* read again, it still leads there */
    POST(&m, p, 303, "x", "1");

    /* all of one community read: the other community's stay unread */
    notice(mds, "community.join_approved", 1, 1900000300);
    POST(&m, DS "/inbox/read", 303, "x", "1");
    assert_int_equal(unread_of(mds), 0);
    assert_int_equal(unread_of(mnr), 1);
    /* nothing left to read there: a conflict with its reason */
    POST(&m, DS "/inbox/read", 409, "x", "1");
    POST(&out, DS "/inbox/read", 403, "x", "1");

    /* a member who leaves takes their notices of that community with them */
    POST(&m, ZK "/leave", 303, "x", "1");
    v = view_json(&m, "/inbox");
    for (size_t i = 0; i < json_array_size(jget(v, "notices")); i++)
        assert_string_not_equal(jstr(json_array_get(jget(v, "notices"), i), "slug"),
                                "zelenyj-kvartal");
    json_decref(v);
    open_path(p, sizeof p, b);
    POST(&m, p, 404, "x", "1");
    client_free(&m);
    client_free(&org);
    client_free(&out);
    client_free(&anon);
}

static void the_inbox_pages(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    long long ozk = member_id_of(&S, "zelenyj-kvartal", "organizer");
    for (int i = 0; i < 35; i++)
        notice(ozk, "community.join_approved", 1, 1910000000 + i);
    json_t *v = view_json(&org, "/inbox");
    assert_int_equal(json_array_size(jget(v, "notices")), 30);
    assert_non_null(jstr(v, "next_page"));
    json_decref(v);
    v = view_json(&org, "/inbox?page=2");
    assert_true(json_array_size(jget(v, "notices")) >= 5);
    json_decref(v);
    /* the count stops at its cap */
    for (int i = 0; i < 70; i++)
        notice(ozk, "community.join_approved", 1, 1910001000 + i);
    char *html = get_html(&org, "/");
    assert_non_null(strstr(html, ">99+</span>"));
    free(html);
    POST(&org, ZK "/inbox/read", 303, "x", "1");
    client_free(&org);
}

/* The header's unread count on the home page: 0 when none is shown. */
static long header_count(struct client *c)
{
    char *html = get_html(c, "/");
    const char *at = strstr(html, "class=\"count\"");
    long n = 0;
    if (at && (at = strchr(at, '>')) != NULL) n = strtol(at + 1, NULL, 10);
    free(html);
    return n;
}

static void a_secret_communitys_notice_reaches_its_member_only(void **state)
{
    (void)state;
    struct client org, out;
    login_as(&org, &S, "organizer");
    login_as(&out, &S, "newcomer");
    /* the organizer's member of the secret community, as their own pages
     * show it: nothing on the disk ties it to the account */
    long long otv = member_id_in(&org, "tiho-vmeste");
    assert_true(otv > 0);
    long before = header_count(&org);
    long long n = notice(otv, "community.join_approved", 1, 1920000000);
    /* the header counts it with the person's other communities' */
    if (before < 99) assert_int_equal(header_count(&org), before + 1);
    json_t *v = view_json(&org, "/inbox");
    assert_int_equal(json_integer_value(jget(v, "notices.0.id")), n);
    /* its name, or, until the key reaches them, that it is secret */
    const char *name = jstr(v, "notices.0.community");
    assert_non_null(name);
    assert_true(strcmp(name, "Тихо вместе") == 0 || strstr(name, "ключ") != NULL);
    const char *slug = jstr(v, "notices.0.slug");
    assert_non_null(slug);
    char want[128];
    snprintf(want, sizeof want, "/c/%s", slug);
    json_decref(v);
    char p[64];
    open_path(p, sizeof p, n);
    POST(&out, p, 404, "x", "1");
    struct resp r;
    const char *pairs[] = {"x", "1", NULL};
    assert_int_equal(post_pairs(&org, p, 0, pairs, &r), 0);
    assert_int_equal(r.status, 303);
    char loc[256];
    assert_string_equal(resp_location(&r, loc, sizeof loc), want);
    resp_free(&r);
    assert_int_equal(get_status(&org, want, 0), 200);
    client_free(&org);
    client_free(&out);
}

static void settings_choose_a_channel_per_kind(void **state)
{
    (void)state;
    struct client m, out;
    login_as(&m, &S, "member");
    login_as(&out, &S, "newcomer");
    long long mds = member_id_of(&S, "dvor-sadovaya-12", "member");
    json_t *v = view_json(&m, DS "/notifications");
    assert_string_equal(jstr(v, "kinds.0.field"), "k0");
    assert_string_equal(jstr(v, "form.k0"), "inbox");
    /* a public community offers mail */
    assert_int_equal(json_array_size(jget(v, "kinds.0.options")), 4);
    json_decref(v);
    assert_int_equal(get_status(&out, DS "/notifications", 1), 403);
    POST(&out, DS "/notifications", 403, "k0", "none");

    /* a bad choice: 422 beside the field, nothing stored */
    struct resp r;
    const char *bad[] = {"k0", "pigeon", NULL};
    assert_int_equal(post_pairs(&m, DS "/notifications", 1, bad, &r), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(field_error(&r, "k0"));
    resp_free(&r);
    char *html = post_expect(&m, DS "/notifications", 422, "k0", "pigeon", END);
    assert_non_null(strstr(html, "field-error"));
    free(html);

    char p[32];
    snprintf(p, sizeof p, "%lld", mds);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM notify_prefs WHERE member_id = ?", p), 0);
    /* the same choice as shown stores nothing */
    POST(&m, DS "/notifications", 303, "k0", "inbox");
    assert_int_equal(db_value(&S, "SELECT count(*) FROM notify_prefs WHERE member_id = ?", p), 0);
    POST(&m, DS "/notifications", 303, "k0", "daily");
    v = view_json(&m, DS "/notifications");
    assert_string_equal(jstr(v, "form.k0"), "daily");
    json_decref(v);
    /* "nothing": the community's next such notice is not written */
    POST(&m, DS "/notifications", 303, "k0", "none");
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM notify_prefs WHERE member_id = ?"
                              " AND kind = 'community.join_approved' AND channel = 'none'",
                              p),
                     1);
    client_free(&m);
    client_free(&out);
}

static void a_secret_community_sends_no_mail_and_seals_the_choice(void **state)
{
    (void)state;
    struct client m;
    login_as(&m, &S, "member");
    long long mtv = member_id_in(&m, "tiho-vmeste");
    assert_true(mtv > 0);
    json_t *d = view_json(&m, "/inbox");
    const char *slug = NULL;
    json_t *cs = jget(d, "communities");
    for (size_t i = 0; i < json_array_size(cs); i++)
        if (strcmp(jstr(json_array_get(cs, i), "community"), "Тихо вместе") == 0)
            slug = jstr(json_array_get(cs, i), "slug");
    assert_non_null(slug);
    char path[160];
    snprintf(path, sizeof path, "/c/%s/notifications", slug);
    json_decref(d);
    d = view_json(&m, path);
    /* inbox and nothing only */
    assert_int_equal(json_array_size(jget(d, "kinds.0.options")), 2);
    json_decref(d);
    struct resp r;
    const char *mail[] = {"k0", "now", NULL};
    assert_int_equal(post_pairs(&m, path, 1, mail, &r), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(field_error(&r, "k0"));
    resp_free(&r);
    POST(&m, path, 303, "k0", "none");
    char p[32];
    snprintf(p, sizeof p, "%lld", mtv);
    /* stored, and not as the word: ciphertext */
    assert_int_equal(db_value(&S, "SELECT count(*) FROM notify_prefs WHERE member_id = ?", p), 1);
    assert_int_equal(
        db_value(&S, "SELECT count(*) FROM notify_prefs WHERE member_id = ? AND channel = 'none'",
                 p),
        0);
    d = view_json(&m, path);
    assert_string_equal(jstr(d, "form.k0"), "none");
    json_decref(d);
    client_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_inbox_lists_a_persons_notices_newest_first),
        cmocka_unit_test(the_inbox_pages),
        cmocka_unit_test(a_secret_communitys_notice_reaches_its_member_only),
        cmocka_unit_test(settings_choose_a_channel_per_kind),
        cmocka_unit_test(a_secret_community_sends_no_mail_and_seals_the_choice),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
