/* Communities over HTTP: creation and its field errors, editing, the
 * directory, closed and secret communities as strangers see them,
 * invitations, join requests, members and roles. Bad input is in
 * test_input.c. One server with the demo for the whole suite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv S;

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

static long long communities(void)
{
    return db_value(&S, "SELECT count(*) FROM communities", NULL);
}

/* The id of territory name, from the JSON of the creation form. */
static long long territory_id(struct client *c, const char *name)
{
    struct resp r;
    assert_int_equal(client_get(c, "/c/new", 1, &r), 0);
    long long id = 0;
    size_t i;
    json_t *t;
    json_array_foreach(jget(r.json, "territories"), i, t)
    {
        if (strcmp(json_string_value(json_object_get(t, "name")), name) == 0)
            id = json_integer_value(json_object_get(t, "id"));
    }
    resp_free(&r);
    assert_true(id > 0);
    return id;
}

/* ---- creation ---- */

static void create_minimal_and_full(void **state)
{
    (void)state;
    struct client c;
    assert_int_equal(client_as(&c, &S, "member"), 0);
    const char *min[] = {"name",       "Сад на крыше", "slug", "sad-na-kryshe",
                         "visibility", "public",       NULL};
    struct resp r;
    assert_int_equal(post_pairs(&c, "/c", 0, min, &r), 0);
    assert_int_equal(r.status, 303);
    char loc[256];
    assert_string_equal(resp_location(&r, loc, sizeof loc), "/c/sad-na-kryshe");
    resp_free(&r);
    assert_int_equal(client_get(&c, "/c/sad-na-kryshe", 1, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "community.name"), "Сад на крыше");
    assert_string_equal(jstr(r.json, "my_role"), "organizer");
    resp_free(&r);

    char minsk[32];
    snprintf(minsk, sizeof minsk, "%lld", territory_id(&c, "Минск"));
    const char *full[] = {"name",
                          "Велосипедисты Минска",
                          "slug",
                          "velo-minsk",
                          "visibility",
                          "closed",
                          "description",
                          "Катаемся **вместе**.\n\n<script>alert(1)</script>\n\n"
                          "[ссылка](javascript:alert(2))",
                          "prereq",
                          "interests",
                          "prereq",
                          "actions",
                          "territory_id",
                          minsk,
                          "new_territory",
                          "Новая Боровая",
                          "new_territory_kind",
                          "neighbourhood",
                          NULL};
    assert_int_equal(post_pairs(&c, "/c", 0, full, &r), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(client_get(&c, "/c/velo-minsk", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(resp_has(&r, "<strong>вместе</strong>"));
    assert_false(resp_has(&r, "<script>"));
    assert_false(resp_has(&r, "alert(1)</script>"));
    assert_false(resp_has(&r, "javascript:"));
    resp_free(&r);
    assert_int_equal(client_get(&c, "/c/velo-minsk", 1, &r), 0);
    assert_string_equal(jstr(r.json, "community.territory"), "Беларусь › Минск › Новая Боровая");
    assert_int_equal(json_integer_value(jget(r.json, "community.visibility")), 1);
    assert_true(jarray_has(r.json, "community.prereq_tags", "key", "interests"));
    assert_true(jarray_has(r.json, "community.prereq_tags", "key", "actions"));
    assert_false(jarray_has(r.json, "community.prereq_tags", "key", "places"));
    resp_free(&r);
    /* The new sub-territory hangs under Minsk. */
    assert_int_equal(db_value(&S,
                              "SELECT p.name = 'Минск' FROM territories t JOIN territories p"
                              " ON p.id = t.parent_id WHERE t.name = ?",
                              "Новая Боровая"),
                     1);
    client_free(&c);
}

struct bad_create {
    const char *name, *slug, *vis, *prereq, *field;
};

static void create_field_errors(void **state)
{
    (void)state;
    char longname[200];
    memset(longname, 'x', 121);
    longname[121] = 0;
    const struct bad_create cases[] = {
        {"Двор", "Bad Slug!", "public", "places", "slug"},
        {"Двор", "-edge-", "public", "places", "slug"},
        {"Двор", "x", "public", "places", "slug"},
        {"", "pustoe-imya", "public", "places", "name"},
        {longname, "dlinnoe-imya", "public", "places", "name"},
        {"Двор", "nevidimka", "galaxy", "places", "visibility"},
        {"Двор", "bez-vidimosti", "", "places", "visibility"},
        {"Двор", "chuzhoe-uslovie", "public", "money", "prereq"},
    };
    struct client c;
    assert_int_equal(client_as(&c, &S, "organizer"), 0);
    long long before = communities();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct bad_create *k = &cases[i];
        const char *f[] = {"name", k->name,  "slug",    k->slug,       "visibility",
                           k->vis, "prereq", k->prereq, "description", "Описание <i>остаётся</i>",
                           NULL};
        struct resp r;
        assert_int_equal(post_pairs(&c, "/c", 0, f, &r), 0);
        if (r.status != 422) fail_msg("case %zu: status %ld", i, r.status);
        char v[300];
        if (k->name[0]) {
            snprintf(v, sizeof v, "value=\"%s\"", k->name);
            if (!resp_has(&r, v)) fail_msg("case %zu: the name is not kept", i);
        }
        snprintf(v, sizeof v, "value=\"%s\"", k->slug);
        if (!resp_has(&r, v)) fail_msg("case %zu: the slug is not kept", i);
        assert_true(resp_has(&r, "Описание &lt;i&gt;остаётся&lt;/i&gt;</textarea>"));
        assert_true(resp_has(&r, "class=\"field-error\""));
        resp_free(&r);
        assert_int_equal(post_pairs(&c, "/c", 1, f, &r), 0);
        assert_int_equal(r.status, 422);
        char path[64];
        snprintf(path, sizeof path, "error.fields.%s", k->field);
        if (!jstr(r.json, path)) fail_msg("case %zu: no message for %s: %s", i, k->field, r.body);
        resp_free(&r);
    }
    assert_int_equal(communities(), before);
    /* The original is as it was. */
    struct resp r;
    assert_int_equal(client_get(&c, "/c/dvor-sadovaya-12", 1, &r), 0);
    assert_string_equal(jstr(r.json, "community.name"), "Двор на Садовой, 12");
    resp_free(&r);
    /* An unknown territory and a new one without a kind. */
    const char *t1[] = {"name",         "Т",      "slug", "t-bad", "visibility", "public",
                        "territory_id", "999999", NULL};
    assert_int_equal(post_status(&c, "/c", 0, t1), 422);
    const char *t2[] = {"name",          "Т",          "slug",
                        "t-bad",         "visibility", "public",
                        "new_territory", "Где-то",     "new_territory_kind",
                        "planet",        NULL};
    assert_int_equal(post_status(&c, "/c", 0, t2), 422);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM territories WHERE name = ?", "Где-то"), 0);
    /* A city added by an organizer (not theirs to add): neither the
     * community nor the place is written. */
    const char *t3[] = {"name",
                        "Т",
                        "slug",
                        "nastolki-na-raene",
                        "visibility",
                        "public",
                        "new_territory",
                        "Нигде",
                        "new_territory_kind",
                        "city",
                        NULL};
    assert_int_equal(post_status(&c, "/c", 0, t3), 422);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM territories WHERE name = ?", "Нигде"), 0);
    assert_int_equal(communities(), before);
    client_free(&c);
}

static void edit_community(void **state)
{
    (void)state;
    struct client org, mem;
    assert_int_equal(client_as(&org, &S, "organizer"), 0);
    assert_int_equal(client_as(&mem, &S, "member"), 0);
    const char *f[] = {"name",        "Двор на Садовой, 12 (обновлено)",
                       "visibility",  "public",
                       "description", "Новое описание.",
                       "prereq",      "places",
                       NULL};
    /* A member who is not an organizer there may not. */
    assert_int_equal(post_status(&mem, "/c/dvor-sadovaya-12/edit", 0, f), 403);
    assert_int_equal(get_status(&mem, "/c/dvor-sadovaya-12/edit", 0), 403);
    const char *bad[] = {"name", "", "visibility", "public", NULL};
    struct resp r;
    assert_int_equal(post_pairs(&org, "/c/dvor-sadovaya-12/edit", 0, bad, &r), 0);
    assert_int_equal(r.status, 422);
    assert_true(resp_has(&r, "id=\"name-error\""));
    resp_free(&r);
    assert_int_equal(get_status(&org, "/c/dvor-sadovaya-12/edit", 0), 200);
    assert_int_equal(post_status(&org, "/c/dvor-sadovaya-12/edit", 0, f), 303);
    assert_int_equal(client_get(&mem, "/c/dvor-sadovaya-12", 1, &r), 0);
    assert_string_equal(jstr(r.json, "community.name"), "Двор на Садовой, 12 (обновлено)");
    assert_true(jarray_has(r.json, "community.prereq_tags", "key", "places"));
    assert_false(jarray_has(r.json, "community.prereq_tags", "key", "problems"));
    resp_free(&r);
    /* The slug cannot be changed by the form. */
    const char *slug[] = {"name", "Двор", "slug", "drugoj", "visibility", "public", NULL};
    assert_int_equal(post_status(&org, "/c/dvor-sadovaya-12/edit", 0, slug), 303);
    assert_int_equal(get_status(&org, "/c/dvor-sadovaya-12", 0), 200);
    assert_int_equal(get_status(&org, "/c/drugoj", 0), 404);
    client_free(&org);
    client_free(&mem);
}

/* ---- who sees what ---- */

static int listed(struct client *c, const char *query, const char *slug)
{
    struct resp r;
    char path[128];
    snprintf(path, sizeof path, "/%s", query);
    if (client_get(c, path, 1, &r) != 0 || r.status != 200) return -1;
    int has = jarray_has(r.json, "communities", "slug", slug);
    resp_free(&r);
    return has;
}

/* Entries of one action in a community's audit log. */
static long long audit_count(const char *slug, const char *action)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM community_audit a JOIN communities c ON c.id = a.community_id"
             " WHERE c.slug = ? AND a.action = '%s'",
             action);
    return db_value(&S, sql, slug);
}

/* What organizers do is in the community's audit log, for its organizers
 * only, by day, naming members rather than accounts; a year-old entry
 * goes when the next one is written. */
/* A member's page in dvor-sadovaya-12 by the member id that handle has in
 * community `of` (the URLs name members, not accounts). One at a time. */
static const char *mu_of(const char *of, const char *handle, const char *what)
{
    static char url[160];
    return member_url(&S, "dvor-sadovaya-12", of, handle, what, url, sizeof url);
}

static const char *mu(const char *handle, const char *what)
{
    return mu_of("dvor-sadovaya-12", handle, what);
}

static void organizers_acts_are_in_the_audit_log(void **state)
{
    (void)state;
    struct client org, mem;
    assert_int_equal(client_as(&org, &S, "organizer"), 0);
    assert_int_equal(client_as(&mem, &S, "member"), 0);
    const char *D = "dvor-sadovaya-12";
    assert_int_equal(db_run(&S,
                            "INSERT INTO community_audit(community_id, day, action)"
                            " SELECT id, unixepoch() / 86400 - 400, 'settings' FROM communities"
                            " WHERE slug = ?",
                            D),
                     0);
    long long roles = audit_count(D, "role");
    const char *mentor[] = {"role", "mentor", NULL}, *back[] = {"role", "member", NULL};
    assert_int_equal(post_status(&org, mu("dvor-sadovaya-12-3", "role"), 0, mentor), 303);
    /* The role it has already: no change, no entry. */
    assert_int_equal(post_status(&org, mu("dvor-sadovaya-12-3", "role"), 0, mentor), 303);
    assert_int_equal(post_status(&org, mu("dvor-sadovaya-12-3", "role"), 0, back), 303);
    assert_int_equal(audit_count(D, "role"), roles + 2);
    /* The year-old entry went; the actor is a member id, not an account. */
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM community_audit WHERE day < "
                              "unixepoch() / 86400 - 365",
                              NULL),
                     0);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM community_audit a"
                              " WHERE a.action = 'role' AND a.actor_id NOT IN"
                              " (SELECT id FROM members)",
                              NULL),
                     0);
    struct resp r;
    assert_int_equal(client_get(&org, "/c/dvor-sadovaya-12/audit", 1, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "entries.0.action"), "role");
    assert_true(strlen(jstr(r.json, "entries.0.day")) == 10); /* a day, no time */
    assert_true(strlen(jstr(r.json, "entries.0.actor")) > 0);
    assert_true(strlen(jstr(r.json, "entries.0.subject")) > 0);
    assert_null(jget(r.json, "entries.0.actor_id"));
    assert_null(strstr(r.body, "\"handle\""));
    resp_free(&r);
    assert_int_equal(client_get(&org, "/c/dvor-sadovaya-12/audit", 0, &r), 0);
    assert_true(resp_has(&r, "<ul class=\"plain list audit\">"));
    resp_free(&r);
    /* Not for a member who is no organizer, nor for the anonymous. */
    assert_int_equal(get_status(&mem, "/c/dvor-sadovaya-12/audit", 0), 403);
    client_free(&org);
    client_free(&mem);
}

static void directory_lists_what_viewer_may_see(void **state)
{
    (void)state;
    struct client anon, nc, mem;
    client_init(&anon, &S);
    assert_int_equal(client_as(&nc, &S, "newcomer"), 0);
    assert_int_equal(client_as(&mem, &S, "member"), 0);
    struct client *strangers[] = {&anon, &nc};
    const char *queries[] = {"", "?prereq=circumstances", "?prereq=intentions"};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(listed(strangers[i], "", "dvor-sadovaya-12"), 1);
        assert_int_equal(listed(strangers[i], "", "zelenyj-kvartal"), 1);
        for (int q = 0; q < 3; q++)
            assert_int_equal(listed(strangers[i], queries[q], "tiho-vmeste"), 0);
        struct resp r;
        assert_int_equal(client_get(strangers[i], "/", 0, &r), 0);
        assert_false(resp_has(&r, "tiho-vmeste"));
        assert_false(resp_has(&r, "Тихо вместе"));
        resp_free(&r);
    }
    for (int q = 0; q < 3; q++)
        assert_int_equal(listed(&mem, queries[q], "tiho-vmeste"), 1);
    client_free(&anon);
    client_free(&nc);
    client_free(&mem);
}

static void closed_community_to_a_stranger(void **state)
{
    (void)state;
    struct client nc, anon;
    assert_int_equal(client_as(&nc, &S, "newcomer"), 0);
    client_init(&anon, &S);
    struct client *who[] = {&nc, &anon};
    for (int i = 0; i < 2; i++) {
        struct resp r;
        assert_int_equal(client_get(who[i], "/c/zelenyj-kvartal", 0, &r), 0);
        assert_int_equal(r.status, 200);
        assert_true(resp_has(&r, "Зелёный квартал"));
        assert_true(resp_has(&r, "сажают деревья"));
        assert_false(resp_has(&r, "zelenyj-kvartal-1"));
        assert_false(resp_has(&r, "Андрей")); /* the organizer's name */
        resp_free(&r);
        assert_int_equal(client_get(who[i], "/c/zelenyj-kvartal", 1, &r), 0);
        assert_non_null(jstr(r.json, "community.name"));
        assert_null(jget(r.json, "community.members"));
        assert_null(jget(r.json, "members"));
        assert_null(jget(r.json, "panels"));
        resp_free(&r);
    }
    assert_int_equal(get_status(&nc, "/c/zelenyj-kvartal/members", 0), 403);
    assert_int_equal(get_status(&nc, "/c/zelenyj-kvartal/members", 1), 403);
    struct resp r;
    assert_int_equal(client_get(&anon, "/c/zelenyj-kvartal/members", 0, &r), 0);
    assert_int_equal(r.status, 303);
    char loc[256];
    assert_string_equal(resp_location(&r, loc, sizeof loc),
                        "/login?next=%2Fc%2Fzelenyj-kvartal%2Fmembers");
    resp_free(&r);
    assert_int_equal(get_status(&anon, "/c/zelenyj-kvartal/members", 1), 401);
    client_free(&nc);
    client_free(&anon);
}

/* The body with every occurrence of path replaced by a mark (the page
 * echoes the requested path in its language switch). */
static char *without_path(const char *body, const char *path)
{
    size_t n = strlen(path);
    char *out = malloc(strlen(body) + 1);
    char *o = out;
    for (const char *p = body; *p;) {
        if (strncmp(p, path, n) == 0) {
            *o++ = '@';
            p += n;
        } else {
            *o++ = *p++;
        }
    }
    *o = 0;
    return out;
}

static void same_answer(struct client *c, const char *method, const char *a, const char *b,
                        int json)
{
    struct resp ra, rb;
    const char *h[] = {json ? "Accept: application/json" : "Accept: text/html",
                       "Content-Type: application/x-www-form-urlencoded", NULL};
    char body[200];
    snprintf(body, sizeof body, "csrf=%s&role=member&message=hi", c->csrf);
    assert_int_equal(client_req(c, method, a, h, body, strlen(body), &ra), 0);
    assert_int_equal(client_req(c, method, b, h, body, strlen(body), &rb), 0);
    if (ra.status != rb.status) fail_msg("%s %s: %ld, %s: %ld", method, a, ra.status, b, rb.status);
    char ca[128], cb[128];
    assert_int_equal(resp_header(&ra, "Content-Type", ca, sizeof ca), 0);
    assert_int_equal(resp_header(&rb, "Content-Type", cb, sizeof cb), 0);
    assert_string_equal(ca, cb);
    char *na = without_path(ra.body, a), *nb = without_path(rb.body, b);
    if (strcmp(na, nb) != 0) fail_msg("%s %s and %s differ:\n%s\n----\n%s", method, a, b, na, nb);
    free(na);
    free(nb);
    resp_free(&ra);
    resp_free(&rb);
}

static void secret_community_looks_like_none(void **state)
{
    (void)state;
    static const char *const sub[] = {"",
                                      "/members",
                                      "/edit",
                                      "/join",
                                      "/invite",
                                      "/leave",
                                      "/members/requests",
                                      "/members/1/role",
                                      "/members/1/remove",
                                      "/invite/1/revoke",
                                      "/members/requests/1/approve",
                                      NULL};
    struct client anon, nc;
    client_init(&anon, &S);
    assert_int_equal(client_fetch_csrf(&anon, "/"), 0);
    assert_int_equal(client_as(&nc, &S, "newcomer"), 0);
    assert_int_equal(get_status(&nc, "/", 0), 200); /* shows the sign-in flash */
    struct client *who[] = {&anon, &nc};
    for (int w = 0; w < 2; w++)
        for (int i = 0; sub[i]; i++) {
            char a[128], b[128];
            snprintf(a, sizeof a, "/c/tiho-vmeste%s", sub[i]);
            snprintf(b, sizeof b, "/c/no-such-community-xyz%s", sub[i]);
            for (int json = 0; json < 2; json++) {
                same_answer(who[w], "GET", a, b, json);
                same_answer(who[w], "POST", a, b, json);
            }
        }
    /* And it really is a 404 for them, but not for its member. */
    assert_int_equal(get_status(&nc, "/c/tiho-vmeste", 0), 404);
    assert_int_equal(get_status(&anon, "/c/tiho-vmeste", 1), 404);
    struct client mem;
    assert_int_equal(client_as(&mem, &S, "member"), 0);
    assert_int_equal(get_status(&mem, "/c/tiho-vmeste", 0), 200);
    assert_int_equal(get_status(&mem, "/c/tiho-vmeste/members", 0), 200);
    client_free(&mem);
    client_free(&anon);
    client_free(&nc);
}

/* ---- invitations ---- */

/* Creates an invitation to slug as organizer; its path "/i/TOKEN" into out. */
static void invite(struct client *org, const char *slug, const char *max_uses, char *out, size_t n)
{
    char path[128];
    snprintf(path, sizeof path, "/c/%s/invite", slug);
    const char *f[] = {"role", "member", "max_uses", max_uses, "days",
                       "7",    "note",   "соседям",  NULL};
    struct resp r;
    assert_int_equal(post_pairs(org, path, 0, f, &r), 0);
    assert_int_equal(r.status, 201);
    assert_true(resp_has(&r, "<svg"));
    assert_true(resp_has(&r, "/i/"));
    resp_free(&r);
    assert_int_equal(post_pairs(org, path, 1, f, &r), 0);
    assert_int_equal(r.status, 201);
    const char *link = jstr(r.json, "created.link");
    assert_non_null(link);
    assert_true(strncmp(link, S.base, strlen(S.base)) == 0);
    /* The QR code is the page's picture of the link; JSON has the link. */
    assert_null(jget(r.json, "created.qr_svg"));
    snprintf(out, n, "%s", strstr(link, "/i/"));
    resp_free(&r);
}

/* The audit: without --base-url, a forged Host header made invitation
 * links (and their QR codes) to another site. Only a loopback Host is
 * believed then; any other gets a clear 503 and no invitation is made. */
/* "Cookie: hr_session=..." of c's jar into out: curl matches cookies by
 * the Host header, so a request with a forged Host sends them by hand. */
static void session_cookie_header(struct client *c, char *out, size_t n)
{
    struct curl_slist *list = NULL;
    curl_easy_getinfo(c->curl, CURLINFO_COOKIELIST, &list);
    out[0] = 0;
    for (struct curl_slist *l = list; l; l = l->next) {
        const char *name = l->data;
        for (int tab = 0; tab < 5 && name; tab++) {
            name = strchr(name, '\t');
            if (name) name++;
        }
        if (name && strncmp(name, "hr_session\t", 11) == 0)
            snprintf(out, n, "Cookie: hr_session=%s", name + 11);
    }
    curl_slist_free_all(list);
}

static void a_forged_host_makes_no_invitation_link(void **state)
{
    (void)state;
    struct client org;
    assert_int_equal(client_as(&org, &S, "organizer"), 0);
    char cookie[200];
    session_cookie_header(&org, cookie, sizeof cookie);
    assert_true(cookie[0]);
    long long before = db_value(&S, "SELECT count(*) FROM invitations", NULL);
    char body[300];
    snprintf(body, sizeof body, "csrf=%s&role=member&max_uses=1&days=7", org.csrf);
    const char *forged[] = {"Host: evil.example", "Accept: application/json",
                            "Content-Type: application/x-www-form-urlencoded", cookie, NULL};
    const char *hosts[] = {"Host: evil.example", "Host: 127.0.0.1.evil.example",
                           "Host: localhost.evil.example:80", "Host: [::1].evil"};
    for (int i = 0; i < 4; i++) {
        forged[0] = hosts[i];
        struct resp r;
        assert_int_equal(
            client_req(&org, "POST", "/c/zelenyj-kvartal/invite", forged, body, strlen(body), &r),
            0);
        assert_int_equal(r.status, 503);
        assert_string_equal(jstr(r.json, "error.code"), "no_base_url");
        assert_null(strstr(r.body, "evil"));
        resp_free(&r);
    }
    assert_int_equal(db_value(&S, "SELECT count(*) FROM invitations", NULL), before);
    /* localhost by name is this machine: believed */
    const char *local[] = {"Host: localhost", "Accept: application/json",
                           "Content-Type: application/x-www-form-urlencoded", cookie, NULL};
    struct resp r;
    assert_int_equal(
        client_req(&org, "POST", "/c/zelenyj-kvartal/invite", local, body, strlen(body), &r), 0);
    assert_int_equal(r.status, 201);
    assert_int_equal(strncmp(jstr(r.json, "created.link"), "http://localhost/i/", 19), 0);
    resp_free(&r);
    client_free(&org);
}

static void invitations(void **state)
{
    (void)state;
    struct client org, a, b;
    assert_int_equal(client_as(&org, &S, "organizer"), 0);
    char link[128], path[160];
    invite(&org, "zelenyj-kvartal", "1", link, sizeof link);
    struct resp r;
    snprintf(path, sizeof path, "%s/qr.svg", link);
    assert_int_equal(client_get(&org, path, 0, &r), 0);
    assert_int_equal(r.status, 200);
    char ct[64];
    assert_int_equal(resp_header(&r, "Content-Type", ct, sizeof ct), 0);
    assert_string_equal(ct, "image/svg+xml");
    assert_true(strncmp(r.body, "<svg", 4) == 0);
    resp_free(&r);

    sign_up(&a, &S, "po-ssylke");
    assert_int_equal(get_status(&a, "/c/zelenyj-kvartal/members", 0), 403);
    assert_int_equal(client_get(&a, link, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(resp_has(&r, "Зелёный квартал"));
    resp_free(&r);
    assert_int_equal(post_pairs(&a, link, 0, NULL, &r), 0);
    assert_int_equal(r.status, 303);
    char loc[128];
    assert_string_equal(resp_location(&r, loc, sizeof loc), "/c/zelenyj-kvartal");
    resp_free(&r);
    assert_int_equal(get_status(&a, "/c/zelenyj-kvartal/members", 0), 200);

    /* Single use: the second person gets a page that says so. */
    sign_up(&b, &S, "vtoroj-po-ssylke");
    for (int json = 0; json < 2; json++) {
        assert_int_equal(client_get(&b, link, json, &r), 0);
        assert_int_equal(r.status, 410);
        if (json)
            assert_string_equal(jstr(r.json, "error.code"), "invitation_unusable");
        else
            assert_true(resp_has(&r, "уже воспользовались"));
        resp_free(&r);
    }
    assert_int_equal(post_pairs(&b, link, 0, NULL, &r), 0);
    assert_int_equal(r.status, 410);
    assert_true(resp_has(&r, "уже воспользовались"));
    resp_free(&r);
    assert_int_equal(get_status(&b, "/c/zelenyj-kvartal/members", 0), 403);
    assert_int_equal(db_value(&S, "SELECT uses FROM invitations ORDER BY id DESC LIMIT 1", NULL),
                     1);

    /* Expired. */
    invite(&org, "zelenyj-kvartal", "5", link, sizeof link);
    assert_int_equal(db_run(&S,
                            "UPDATE invitations SET expires_at = 1 WHERE id ="
                            " (SELECT max(id) FROM invitations)",
                            NULL),
                     0);
    assert_int_equal(client_get(&b, link, 0, &r), 0);
    assert_int_equal(r.status, 410);
    assert_true(resp_has(&r, "истёк"));
    resp_free(&r);
    assert_int_equal(post_status(&b, link, 0, NULL), 410);
    snprintf(path, sizeof path, "%s/qr.svg", link);
    assert_int_equal(get_status(&b, path, 0), 410);

    /* Revoked. */
    invite(&org, "zelenyj-kvartal", "5", link, sizeof link);
    assert_int_equal(client_get(&org, "/c/zelenyj-kvartal/invite", 1, &r), 0);
    long long id = json_integer_value(jget(r.json, "invitations.0.id"));
    resp_free(&r);
    snprintf(path, sizeof path, "/c/zelenyj-kvartal/invite/%lld/revoke", id);
    assert_int_equal(post_status(&b, path, 0, NULL), 403); /* not theirs to revoke */
    assert_int_equal(post_status(&org, path, 0, NULL), 303);
    assert_int_equal(client_get(&b, link, 0, &r), 0);
    assert_int_equal(r.status, 410);
    assert_true(resp_has(&r, "отозвал"));
    resp_free(&r);
    assert_int_equal(post_status(&b, link, 0, NULL), 410);
    assert_int_equal(get_status(&b, "/c/zelenyj-kvartal/members", 0), 403);
    /* Another community's organizer cannot revoke it by id either. */
    assert_int_equal(post_status(&org, "/c/dvor-sadovaya-12/invite/999999/revoke", 0, NULL), 404);

    /* Unknown tokens. */
    assert_int_equal(get_status(&b, "/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0), 410);
    assert_int_equal(get_status(&b, "/i/short", 0), 410);
    assert_int_equal(post_status(&b, "/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0, NULL),
                     410);
    assert_int_equal(get_status(&b, "/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/qr.svg", 0),
                     410);

    /* Bad invitation forms: 422, nothing made. */
    long long before = db_value(&S, "SELECT count(*) FROM invitations", NULL);
    const char *bad[] = {"role", "king", "max_uses", "0", "days", "365", NULL};
    assert_int_equal(post_pairs(&org, "/c/zelenyj-kvartal/invite", 1, bad, &r), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(jstr(r.json, "error.fields.role"));
    assert_non_null(jstr(r.json, "error.fields.max_uses"));
    assert_non_null(jstr(r.json, "error.fields.days"));
    resp_free(&r);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM invitations", NULL), before);
    client_free(&org);
    client_free(&a);
    client_free(&b);
}

/* ---- join requests, members, roles ---- */

/* 1 when the members view lists the member id (> 0). */
static int lists_member(json_t *view, long long id)
{
    size_t i;
    json_t *m;
    json_array_foreach(jget(view, "members"), i, m)
    {
        if (id > 0 && json_integer_value(json_object_get(m, "id")) == id) return 1;
    }
    return 0;
}

/* The id of handle's pending request to slug, from the organizer's list. */
static long long request_id(struct client *org, const char *slug, const char *handle)
{
    char path[128];
    snprintf(path, sizeof path, "/c/%s/members/requests", slug);
    struct resp r;
    assert_int_equal(client_get(org, path, 1, &r), 0);
    assert_int_equal(r.status, 200);
    long long id = 0;
    size_t i;
    json_t *q;
    json_array_foreach(jget(r.json, "requests"), i, q)
    {
        if (strcmp(json_string_value(json_object_get(q, "handle")), handle) == 0)
            id = json_integer_value(json_object_get(q, "id"));
    }
    resp_free(&r);
    return id;
}

static void join_requests(void **state)
{
    (void)state;
    struct client nc, dvor, zel;
    sign_up(&nc, &S, "hochu-vojti");
    assert_int_equal(client_as(&dvor, &S, "organizer"), 0);
    assert_int_equal(client_as(&zel, &S, "organizer"), 0);
    const char *msg[] = {"message", "Живу рядом.", NULL};
    assert_int_equal(get_status(&nc, "/c/dvor-sadovaya-12/join", 0), 200);
    assert_int_equal(post_status(&nc, "/c/dvor-sadovaya-12/join", 0, msg), 303);
    assert_int_equal(post_status(&nc, "/c/zelenyj-kvartal/join", 0, msg), 303);
    assert_int_equal(post_status(&nc, "/c/zelenyj-kvartal/join", 0, msg), 303); /* again */
    char toolong[1100];
    memset(toolong, 'a', 1001);
    toolong[1001] = 0;
    const char *lng[] = {"message", toolong, NULL};
    assert_int_equal(post_status(&nc, "/c/nastolki-na-raene/join", 0, lng), 422);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM join_requests r JOIN accounts a"
                              " ON a.id = r.account_id WHERE a.handle = ?",
                              "hochu-vojti"),
                     2);

    /* A member who is not the organizer cannot decide. */
    struct client mem;
    assert_int_equal(client_as(&mem, &S, "member"), 0);
    assert_int_equal(get_status(&mem, "/c/dvor-sadovaya-12/members/requests", 0), 403);
    long long dv = request_id(&dvor, "dvor-sadovaya-12", "hochu-vojti");
    long long zk = request_id(&zel, "zelenyj-kvartal", "hochu-vojti");
    assert_true(dv > 0 && zk > 0);
    char path[160];
    snprintf(path, sizeof path, "/c/dvor-sadovaya-12/members/requests/%lld/approve", dv);
    assert_int_equal(post_status(&mem, path, 0, NULL), 403);
    /* The id of one community's request is nothing in another. */
    snprintf(path, sizeof path, "/c/dvor-sadovaya-12/members/requests/%lld/approve", zk);
    assert_int_equal(post_status(&dvor, path, 0, NULL), 404);

    snprintf(path, sizeof path, "/c/dvor-sadovaya-12/members/requests/%lld/decline", dv);
    assert_int_equal(post_status(&dvor, path, 0, NULL), 303);
    assert_int_equal(post_status(&dvor, path, 0, NULL), 409); /* decided already */
    assert_int_equal(get_status(&nc, "/c/dvor-sadovaya-12/members", 0), 403);
    snprintf(path, sizeof path, "/c/zelenyj-kvartal/members/requests/%lld/approve", zk);
    assert_int_equal(post_status(&zel, path, 0, NULL), 303);
    struct resp r;
    assert_int_equal(client_get(&nc, "/c/zelenyj-kvartal/members", 1, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(lists_member(r.json, member_id_of(&S, "zelenyj-kvartal", "hochu-vojti")));
    assert_true(lists_member(r.json, member_id_of(&S, "zelenyj-kvartal", "organizer")));
    /* The list names members, not accounts. */
    assert_null(strstr(r.body, "\"handle\""));
    resp_free(&r);
    /* The approval wrote the newcomer's notice, in its own transaction, to
     * the newcomer alone; the declined request left none. */
    long long nm = member_id_of(&S, "zelenyj-kvartal", "hochu-vojti");
    char nms[32];
    snprintf(nms, sizeof nms, "%lld", nm);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM notifications WHERE member_id = ?"
                              " AND kind = 'community.join_approved'",
                              nms),
                     1);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM notifications WHERE member_id <> ?"
                              " AND kind = 'community.join_approved'",
                              nms),
                     0);

    /* Leaving. */
    assert_int_equal(post_status(&nc, "/c/zelenyj-kvartal/leave", 0, NULL), 303);
    assert_int_equal(get_status(&nc, "/c/zelenyj-kvartal/members", 0), 403);
    assert_int_equal(post_status(&nc, "/c/zelenyj-kvartal/leave", 0, NULL), 403);
    client_free(&nc);
    client_free(&dvor);
    client_free(&zel);
    client_free(&mem);
}

static const char *role_of(struct client *c, const char *slug, const char *handle)
{
    static char role[32];
    char path[128];
    snprintf(path, sizeof path, "/c/%s/members", slug);
    struct resp r;
    role[0] = 0;
    assert_int_equal(client_get(c, path, 1, &r), 0);
    size_t i;
    json_t *m;
    long long id = member_id_of(&S, slug, handle);
    json_array_foreach(jget(r.json, "members"), i, m)
    {
        if (json_integer_value(json_object_get(m, "id")) == id)
            snprintf(role, sizeof role, "%s", json_string_value(json_object_get(m, "role")));
    }
    resp_free(&r);
    return role;
}

static void members_and_roles(void **state)
{
    (void)state;
    struct client org, mem;
    assert_int_equal(client_as(&org, &S, "organizer"), 0);
    assert_int_equal(client_as(&mem, &S, "member"), 0);
    const char *D = "dvor-sadovaya-12";
    const char *fac[] = {"role", "facilitator", NULL};
    const char *king[] = {"role", "king", NULL};
    const char *orgr[] = {"role", "organizer", NULL};
    const char *memr[] = {"role", "member", NULL};
    assert_int_equal(post_status(&org, mu("dvor-sadovaya-12-1", "role"), 0, fac), 303);
    assert_string_equal(role_of(&mem, D, "dvor-sadovaya-12-1"), "facilitator");
    assert_int_equal(post_status(&org, mu("dvor-sadovaya-12-1", "role"), 0, king), 422);
    assert_string_equal(role_of(&mem, D, "dvor-sadovaya-12-1"), "facilitator");
    /* Only the organizer manages. */
    assert_int_equal(post_status(&mem, mu("dvor-sadovaya-12-2", "role"), 0, orgr), 403);
    assert_int_equal(post_status(&mem, mu("dvor-sadovaya-12-2", "remove"), 0, NULL), 403);
    assert_string_equal(role_of(&mem, D, "dvor-sadovaya-12-2"), "member");
    /* Not a member here: 404. */
    assert_int_equal(post_status(&org, mu("newcomer", "role"), 0, fac), 404);
    assert_int_equal(
        post_status(&org, mu_of("zelenyj-kvartal", "zelenyj-kvartal-1", "remove"), 0, NULL), 404);

    assert_int_equal(post_status(&org, mu("dvor-sadovaya-12-2", "remove"), 0, NULL), 303);
    assert_string_equal(role_of(&mem, D, "dvor-sadovaya-12-2"), "");

    /* The last organizer can neither leave nor be demoted nor removed. */
    struct resp r;
    assert_int_equal(post_pairs(&org, "/c/dvor-sadovaya-12/leave", 0, NULL, &r), 0);
    assert_int_equal(r.status, 409);
    assert_true(resp_has(&r, "class=\"error-code\""));
    resp_free(&r);
    assert_int_equal(post_status(&org, mu("organizer", "role"), 1, memr), 409);
    assert_int_equal(post_status(&org, mu("organizer", "remove"), 0, NULL), 409);
    assert_string_equal(role_of(&mem, D, "organizer"), "organizer");
    /* With a second organizer, the first may step down. */
    assert_int_equal(post_status(&org, mu("dvor-sadovaya-12-1", "role"), 0, orgr), 303);
    assert_int_equal(post_status(&org, mu("dvor-sadovaya-12-1", "role"), 0, memr), 303);
    assert_int_equal(post_status(&org, mu("organizer", "role"), 0, memr), 409);
    /* A plain member leaves. */
    assert_int_equal(post_status(&mem, "/c/dvor-sadovaya-12/leave", 0, NULL), 303);
    assert_int_equal(get_status(&mem, "/c/dvor-sadovaya-12/members", 0), 403);
    client_free(&org);
    client_free(&mem);
}

/* An account in very many communities: the home page names a dozen and
 * links to the account page, which lists them a hundred a page. */
static void many_communities_of_one_account(void **state)
{
    (void)state;
    struct client c;
    sign_up(&c, &S, "collector");
    for (int i = 0; i < 103; i++) {
        char name[64], slug[64];
        snprintf(name, sizeof name, "Коллекция %03d", i);
        snprintf(slug, sizeof slug, "kollekciya-%03d", i);
        const char *f[] = {"name", name, "slug", slug, "visibility", "closed", NULL};
        assert_int_equal(post_status(&c, "/c", 0, f), 303);
    }
    struct resp r;
    assert_int_equal(client_get(&c, "/", 1, &r), 0);
    assert_int_equal(json_array_size(jget(r.json, "mine")), 12);
    assert_int_equal(json_integer_value(jget(r.json, "mine_all")), 103);
    assert_string_equal(jstr(r.json, "mine.0.name"), "Коллекция 000");
    resp_free(&r);
    assert_int_equal(client_get(&c, "/", 0, &r), 0);
    assert_true(resp_has(&r, "href=\"/account\""));
    resp_free(&r);
    assert_int_equal(client_get(&c, "/account", 1, &r), 0);
    assert_int_equal(json_array_size(jget(r.json, "communities")), 100);
    assert_int_equal(json_integer_value(jget(r.json, "communities_count")), 103);
    assert_string_equal(jstr(r.json, "next_page"), "/account?page=2");
    resp_free(&r);
    assert_int_equal(client_get(&c, "/account?page=2", 1, &r), 0);
    assert_int_equal(json_array_size(jget(r.json, "communities")), 3);
    assert_string_equal(jstr(r.json, "communities.2.name"), "Коллекция 102");
    assert_null(jget(r.json, "next_page"));
    assert_string_equal(jstr(r.json, "prev_page"), "/account?page=1");
    resp_free(&r);
    client_free(&c);
}

/* ---- the territory tree ---- */

/* POSTs a creation form with a new place; the status, the answer in r. */
static long create_with_place(struct client *c, const char *slug, const char *vis,
                              const char *parent, const char *place, const char *kind, int json,
                              struct resp *r)
{
    const char *f[] = {"name",
                       "Место",
                       "slug",
                       slug,
                       "visibility",
                       vis,
                       "territory_id",
                       parent,
                       "new_territory",
                       place,
                       "new_territory_kind",
                       kind,
                       NULL};
    assert_int_equal(post_pairs(c, "/c", json, f, r), 0);
    return r->status;
}

static long long place_count(const char *name)
{
    return db_value(&S, "SELECT count(*) FROM territories WHERE name = ?", name);
}

static void territory_tree_rules(void **state)
{
    (void)state;
    struct client mem, adm;
    assert_int_equal(client_as(&mem, &S, "member"), 0);
    assert_int_equal(client_as(&adm, &S, "admin"), 0);
    char by[32], minsk[32], sady[32];
    snprintf(by, sizeof by, "%lld", territory_id(&mem, "Беларусь"));
    snprintf(minsk, sizeof minsk, "%lld", territory_id(&mem, "Минск"));
    snprintf(sady, sizeof sady, "%lld", territory_id(&mem, "Сады"));
    struct resp r;

    /* What a resident is offered: places inside a city, the one right
     * below the parent chosen by default (nothing chosen: a district). */
    assert_int_equal(client_get(&mem, "/c/new", 1, &r), 0);
    assert_int_equal(json_array_size(jget(r.json, "territory_kinds")), 2);
    assert_false(jarray_has(r.json, "territory_kinds", "key", "country"));
    assert_string_equal(jstr(r.json, "territory_kinds.0.key"), "district");
    assert_true(json_is_true(jget(r.json, "territory_kinds.0.selected")));
    resp_free(&r);
    /* An administrator is offered every kind, a country at the top. */
    assert_int_equal(client_get(&adm, "/c/new", 1, &r), 0);
    assert_int_equal(json_array_size(jget(r.json, "territory_kinds")), 5);
    assert_string_equal(jstr(r.json, "territory_kinds.0.key"), "country");
    assert_true(json_is_true(jget(r.json, "territory_kinds.0.selected")));
    resp_free(&r);

    long long before = communities();
    /* A resident adds no country, region or city, anywhere. */
    struct {
        const char *parent, *place, *kind;
    } refused[] = {
        {"0", "Атлантида", "country"},       /* the old default, at the top */
        {sady, "Страна-в-Садах", "country"}, /* a country under a neighbourhood */
        {by, "Новый город", "city"},
        {minsk, "Область в городе", "region"},
        {sady, "Район в микрорайоне", "district"}, /* not below its parent */
        {sady, "Сады-2", "neighbourhood"},         /* the same level */
        {"0", "Двор без города", "neighbourhood"}, /* no parent at all */
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        if (create_with_place(&mem, "mesto-1", "public", refused[i].parent, refused[i].place,
                              refused[i].kind, 0, &r) != 422)
            fail_msg("case %zu: status %ld", i, r.status);
        /* The input is kept, the message beside the kind. */
        char kept[160];
        snprintf(kept, sizeof kept, "value=\"%s\"", refused[i].place);
        if (!resp_has(&r, kept)) fail_msg("case %zu: the place is not kept", i);
        /* (A kind the resident is not offered cannot be shown selected.) */
        int offered = strcmp(refused[i].kind, "district") == 0 ||
                      strcmp(refused[i].kind, "neighbourhood") == 0;
        snprintf(kept, sizeof kept, "value=\"%s\" selected", refused[i].kind);
        if (offered && !resp_has(&r, kept)) fail_msg("case %zu: the kind is not kept", i);
        resp_free(&r);
        assert_int_equal(create_with_place(&mem, "mesto-1", "public", refused[i].parent,
                                           refused[i].place, refused[i].kind, 1, &r),
                         422);
        if (!jstr(r.json, "error.fields.new_territory_kind"))
            fail_msg("case %zu: no message for the kind: %s", i, r.body);
        resp_free(&r);
        assert_int_equal(place_count(refused[i].place), 0);
    }
    assert_int_equal(communities(), before);

    /* A district in the city and a yard in the neighbourhood are theirs. */
    assert_int_equal(
        create_with_place(&mem, "mesto-2", "public", minsk, "Заводской район", "district", 0, &r),
        303);
    resp_free(&r);
    assert_int_equal(create_with_place(&mem, "mesto-3", "public", sady, "Двор у фонтана",
                                       "neighbourhood", 0, &r),
                     422); /* a neighbourhood cannot hold a neighbourhood */
    resp_free(&r);
    /* An administrator adds a country at the top and a city in it. */
    assert_int_equal(create_with_place(&adm, "mesto-4", "public", "0", "Литва", "country", 0, &r),
                     303);
    resp_free(&r);
    char lt[32];
    snprintf(lt, sizeof lt, "%lld", territory_id(&adm, "Литва"));
    assert_int_equal(create_with_place(&adm, "mesto-5", "public", lt, "Вильнюс", "city", 0, &r),
                     303);
    resp_free(&r);
    /* ...but not a country inside a country. */
    assert_int_equal(create_with_place(&adm, "mesto-6", "public", lt, "Жемайтия", "country", 0, &r),
                     422);
    resp_free(&r);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM territories t JOIN territories p"
                              " ON p.id = t.parent_id WHERE t.kind = 'country'",
                              NULL),
                     0);

    /* The edit form of a community in a city offers a district by default. */
    const char *f[] = {"name",   "В Минске",     "slug", "v-minske", "visibility",
                       "public", "territory_id", minsk,  NULL};
    assert_int_equal(post_status(&mem, "/c", 0, f), 303);
    assert_int_equal(client_get(&mem, "/c/v-minske/edit", 1, &r), 0);
    assert_string_equal(jstr(r.json, "territory_kinds.0.key"), "district");
    assert_true(json_is_true(jget(r.json, "territory_kinds.0.selected")));
    resp_free(&r);
    client_free(&mem);
    client_free(&adm);
}

static int offers_place(struct client *c, const char *path, const char *field, const char *name)
{
    struct resp r;
    assert_int_equal(client_get(c, path, 1, &r), 0);
    assert_int_equal(r.status, 200);
    int has = jarray_has(r.json, field, "name", name);
    resp_free(&r);
    return has;
}

static void secret_community_places_stay_private(void **state)
{
    (void)state;
    struct client org, nc, anon;
    assert_int_equal(client_as(&org, &S, "organizer"), 0);
    assert_int_equal(client_as(&nc, &S, "newcomer"), 0);
    client_init(&anon, &S);
    char minsk[32];
    snprintf(minsk, sizeof minsk, "%lld", territory_id(&org, "Минск"));
    struct resp r;
    /* A secret community with a place of its own, and a district it adds
     * later, under that place. */
    assert_int_equal(create_with_place(&org, "tajnyj-dvor", "secret", minsk, "Двор за гаражами",
                                       "district", 0, &r),
                     303);
    /* its address is random (test_sealed_members.c) */
    char home[96], edit[128];
    resp_location(&r, home, sizeof home);
    snprintf(edit, sizeof edit, "%s/edit", home);
    resp_free(&r);
    /* A new secret community asks its organizers for a second factor
     * (test_second_factor.c); this test is about places, not that rule. */
    assert_int_equal(db_run(&S,
                            "UPDATE communities SET organizers_second_factor = 0"
                            " WHERE id = (SELECT max(id) FROM communities) AND visibility = 2",
                            NULL),
                     0);
    /* The place is the community's own, its name sealed with its texts. */
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM territories t JOIN communities c"
                              " ON c.id = t.community_id WHERE c.visibility = 2"
                              " AND substr(t.name, 1, 1) = char(30)",
                              NULL),
                     1);
    assert_int_equal(place_count("Двор за гаражами"), 0);
    /* Its own form offers it; nobody else's does, nor the directory's
     * filter, for anyone (its organizer included: the filter is public). */
    assert_int_equal(offers_place(&org, edit, "territories", "Двор за гаражами"), 1);
    assert_int_equal(offers_place(&org, "/c/new", "territories", "Двор за гаражами"), 0);
    assert_int_equal(offers_place(&nc, "/c/new", "territories", "Двор за гаражами"), 0);
    assert_int_equal(
        offers_place(&org, "/c/dvor-sadovaya-12/edit", "territories", "Двор за гаражами"), 0);
    struct client *who[] = {&org, &nc, &anon};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(offers_place(who[i], "/", "territories", "Двор за гаражами"), 0);
        if (i == 0) continue; /* its organizer sees its card, place and all */
        assert_int_equal(client_get(who[i], "/?territory=1", 0, &r), 0);
        assert_false(resp_has(&r, "Двор за гаражами"));
        resp_free(&r);
    }
    /* A place under it is private too. */
    char own[32];
    snprintf(own, sizeof own, "%lld",
             db_value(&S, "SELECT max(id) FROM territories WHERE community_id IS NOT NULL", NULL));
    const char *sub[] = {"name",
                         "Тайный двор",
                         "visibility",
                         "secret",
                         "territory_id",
                         own,
                         "new_territory",
                         "Подвал",
                         "new_territory_kind",
                         "neighbourhood",
                         NULL};
    assert_int_equal(post_status(&org, edit, 0, sub), 303);
    assert_int_equal(
        db_value(&S, "SELECT count(*) FROM territories WHERE community_id IS NOT NULL", NULL), 2);
    assert_int_equal(place_count("Подвал"), 0);
    /* Someone else naming it by its id gets "no such choice", and a public
     * place of the same name is its own row, not the secret one. */
    assert_int_equal(
        create_with_place(&nc, "chuzhoe-mesto", "public", own, "Угол", "neighbourhood", 1, &r),
        422);
    assert_non_null(jstr(r.json, "error.fields.territory_id"));
    resp_free(&r);
    assert_int_equal(create_with_place(&nc, "yavnyj-dvor", "public", minsk, "Двор за гаражами",
                                       "district", 0, &r),
                     303);
    resp_free(&r);
    assert_int_equal(place_count("Двор за гаражами"), 1); /* the private one is sealed */
    assert_int_equal(offers_place(&nc, "/c/new", "territories", "Двор за гаражами"), 1);
    assert_int_equal(db_value(&S,
                              "SELECT t.community_id IS NULL FROM communities c JOIN territories t"
                              " ON t.id = c.territory_id WHERE c.slug = ?",
                              "yavnyj-dvor"),
                     1);
    client_free(&org);
    client_free(&nc);
    client_free(&anon);
}

/* ---- the address ---- */

static void address_suggested_from_the_name(void **state)
{
    (void)state;
    struct client c;
    assert_int_equal(client_as(&c, &S, "member"), 0);
    struct {
        const char *name, *slug;
    } cases[] = {
        {"Щука и Юла: ёжики в Жодино!", "shchuka-i-yula-ezhiki-v-zhodino"},
        {"Двор на Садовой, 12", "dvor-na-sadovoy-12"},
        {"Подъезд № 3 «Объединение»", "podezd-3-obedinenie"},
        {"Хор Цветы", "khor-tsvety"},
        {"Вуліца Ўздоўж", "vulitsa-uzdouzh"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *f[] = {"name", cases[i].name, "slug", "", "visibility", "public", NULL};
        struct resp r;
        /* Without JavaScript: the form comes back with the address in the
         * field and a line saying where it came from. */
        assert_int_equal(post_pairs(&c, "/c", 0, f, &r), 0);
        assert_int_equal(r.status, 422);
        char v[160];
        snprintf(v, sizeof v, "id=\"slug\" name=\"slug\" value=\"%s\"", cases[i].slug);
        if (!resp_has(&r, v)) fail_msg("case %zu: no %s in the form", i, cases[i].slug);
        assert_true(resp_has(&r, "Мы составили адрес из названия"));
        resp_free(&r);
        assert_int_equal(post_pairs(&c, "/c", 1, f, &r), 0);
        assert_int_equal(r.status, 422);
        assert_non_null(strstr(jstr(r.json, "error.fields.slug"), cases[i].slug));
        resp_free(&r);
    }
    /* Kept as suggested, or changed: either is created. */
    const char *keep[] = {"name", "Хор Цветы", "slug", "khor-tsvety", "visibility", "public", NULL};
    assert_int_equal(post_status(&c, "/c", 0, keep), 303);
    const char *changed[] = {"name",       "Хор Цветы", "slug", "khor-na-sadovoy",
                             "visibility", "public",    NULL};
    assert_int_equal(post_status(&c, "/c", 0, changed), 303);
    assert_int_equal(get_status(&c, "/c/khor-na-sadovoy", 0), 200);
    /* A name with nothing to make an address from asks for one. */
    const char *none[] = {"name", "★ ★ ★", "visibility", "public", NULL};
    struct resp r;
    assert_int_equal(post_pairs(&c, "/c", 1, none, &r), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(jstr(r.json, "error.fields.slug"));
    resp_free(&r);
    /* With JavaScript the same is done as the name is typed, by a script
     * from the binary (the CSP allows our own scripts only). */
    assert_int_equal(client_get(&c, "/c/new", 0, &r), 0);
    assert_true(resp_has(&r, "<script src=\"/static/slug.js\" defer></script>"));
    char csp[512];
    assert_int_equal(resp_header(&r, "Content-Security-Policy", csp, sizeof csp), 0);
    assert_non_null(strstr(csp, "script-src 'self'"));
    resp_free(&r);
    assert_int_equal(client_get(&c, "/static/slug.js", 0, &r), 0);
    assert_int_equal(r.status, 200);
    char ct[128];
    assert_int_equal(resp_header(&r, "Content-Type", ct, sizeof ct), 0);
    assert_non_null(strstr(ct, "text/javascript"));
    assert_true(resp_has(&r, "\"shch\""));
    resp_free(&r);
    client_free(&c);
}

/* Creating a community answers the same whether a visible community or a
 * secret one holds the address (audit: the 422 "address taken" told any
 * account which secret addresses exist). */
static void taken_address_tells_nothing_of_secret_ones(void **state)
{
    (void)state;
    struct client nc;
    assert_int_equal(client_as(&nc, &S, "newcomer"), 0);
    const char *held[] = {"dvor-sadovaya-12", "tiho-vmeste"}; /* public, secret */
    char loc[2][256], flash[2][256];
    for (int i = 0; i < 2; i++) {
        const char *f[] = {"name", "Двор", "slug", held[i], "visibility", "public", NULL};
        struct resp r;
        assert_int_equal(post_pairs(&nc, "/c", 0, f, &r), 0);
        assert_int_equal(r.status, 303);
        resp_location(&r, loc[i], sizeof loc[i]);
        assert_int_equal(resp_header(&r, "Set-Cookie", flash[i], sizeof flash[i]), 0);
        resp_free(&r);
        char want[128];
        snprintf(want, sizeof want, "/c/%s-2", held[i]);
        assert_string_equal(loc[i], want);
        assert_int_equal(get_status(&nc, want, 0), 200);
    }
    assert_string_equal(flash[0], flash[1]);
    assert_non_null(strstr(flash[0], "flash.community_created_other_slug"));
    /* The secret community is as it was, and still unknown to them. */
    assert_int_equal(get_status(&nc, "/c/tiho-vmeste", 0), 404);
    assert_int_equal(
        db_value(&S, "SELECT visibility FROM communities WHERE slug = ?", "tiho-vmeste"), 2);
    client_free(&nc);
}

/* ---- directory cards ---- */

static void directory_cards_show_text_not_markdown(void **state)
{
    (void)state;
    struct client c, anon;
    assert_int_equal(client_as(&c, &S, "member"), 0);
    client_init(&anon, &S);
    /* A long description in Markdown: marks, a link, raw HTML, a list. */
    const char *desc = "# Наш двор\n\n**Встречи** — по первым субботам, _у третьего подъезда_. "
                       "Пишите [нам](https://example.org/chat) или приходите.\n\n"
                       "<div class=\"x\">\nсырой HTML\n</div>\n\n"
                       "- чистим двор\n- сажаем клумбы\n\n"
                       "Ещё одна длинная фраза о том, как соседи договариваются между собой о "
                       "детской площадке, парковке, общих праздниках и всём остальном, что "
                       "касается жизни нашего большого дома на углу двух улиц.";
    const char *f[] = {"name",       "Карточка двора", "slug",        "kartochka-dvora",
                       "visibility", "public",         "description", desc,
                       NULL};
    assert_int_equal(post_status(&c, "/c", 0, f), 303);
    struct resp r;
    assert_int_equal(
        client_get(&anon, "/?q=%D0%9A%D0%B0%D1%80%D1%82%D0%BE%D1%87%D0%BA%D0%B0", 1, &r), 0);
    const char *sum = jstr(r.json, "communities.0.summary");
    assert_non_null(sum);
    char *copy = strdup(sum);
    resp_free(&r);
    /* Text as it reads: no marks, no link target, no raw HTML. */
    assert_non_null(strstr(copy, "Наш двор Встречи — по первым субботам, у третьего подъезда."));
    if (!strstr(copy, "Пишите нам или приходите. чистим двор сажаем клумбы")) fail_msg("%s", copy);
    assert_null(strstr(copy, "**"));
    assert_null(strstr(copy, "_у"));
    assert_null(strstr(copy, "example.org"));
    assert_null(strstr(copy, "сырой"));
    assert_null(strstr(copy, "#"));
    /* About 200 characters, cut after a whole word, with an ellipsis. */
    size_t n = strlen(copy), chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)copy[i] & 0xC0) != 0x80;
    if (chars > 201 || chars < 150) fail_msg("summary of %zu characters: %s", chars, copy);
    assert_true(n > 3 && strcmp(copy + n - 3, "…") == 0);
    /* The word before the ellipsis is whole: the full text goes on after
     * it with a space or a mark of punctuation. */
    static const char full[] =
        "Наш двор Встречи — по первым субботам, у третьего подъезда. Пишите нам "
        "или приходите. чистим двор сажаем клумбы Ещё одна длинная фраза о том, "
        "как соседи договариваются между собой о детской площадке, парковке, "
        "общих праздниках и всём остальном, что касается жизни нашего большого "
        "дома на углу двух улиц.";
    assert_int_equal(strncmp(full, copy, n - 3), 0);
    if (!strchr(" ,.", full[n - 3])) fail_msg("not a whole word: [%s]", copy);
    free(copy);
    /* The card in HTML shows the same. */
    assert_int_equal(client_get(&anon, "/", 0, &r), 0);
    assert_false(resp_has(&r, "**"));
    resp_free(&r);
    client_free(&c);
    client_free(&anon);
}

/* ---- word forms ---- */

/* Russian counts take the word form their number needs (one, few, many),
 * in every plural the community pages show. */
static void plural_word_forms(void **state)
{
    (void)state;
    struct client org;
    assert_int_equal(client_as(&org, &S, "organizer"), 0);
    struct {
        const char *uses, *days, *want_uses, *want_days;
    } cases[] = {
        {"1", "1", "на 1 человека", "1 день"},     {"3", "2", "на 3 человека", "2 дня"},
        {"5", "5", "на 5 человек", "5 дней"},      {"12", "11", "на 12 человек", "11 дней"},
        {"21", "21", "на 21 человека", "21 день"}, {"24", "14", "на 24 человека", "14 дней"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *f[] = {"role", "member",      "max_uses", cases[i].uses,
                           "days", cases[i].days, NULL};
        struct resp r;
        assert_int_equal(post_pairs(&org, "/c/dvor-sadovaya-12/invite", 0, f, &r), 0);
        assert_int_equal(r.status, 201);
        char want[128];
        snprintf(want, sizeof want, "%s · %s</p>", cases[i].want_uses, cases[i].want_days);
        if (!resp_has(&r, want)) fail_msg("case %zu: no \"%s\"", i, want);
        resp_free(&r);
    }
    client_free(&org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_minimal_and_full),
        cmocka_unit_test(create_field_errors),
        cmocka_unit_test(directory_lists_what_viewer_may_see),
        cmocka_unit_test(closed_community_to_a_stranger),
        cmocka_unit_test(secret_community_looks_like_none),
        cmocka_unit_test(invitations),
        cmocka_unit_test(a_forged_host_makes_no_invitation_link),
        cmocka_unit_test(join_requests),
        cmocka_unit_test(members_and_roles),
        cmocka_unit_test(edit_community),
        cmocka_unit_test(many_communities_of_one_account),
        cmocka_unit_test(directory_cards_show_text_not_markdown),
        cmocka_unit_test(plural_word_forms),
        cmocka_unit_test(territory_tree_rules),
        cmocka_unit_test(secret_community_places_stay_private),
        cmocka_unit_test(address_suggested_from_the_name),
        cmocka_unit_test(taken_address_tells_nothing_of_secret_ones),
        cmocka_unit_test(organizers_acts_are_in_the_audit_log),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
