/* Security headers on every kind of answer, cookie attributes, no page
 * that reaches for another origin, and HTML and JSON of the same page
 * telling the same thing. One server with the demo for the whole suite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/areas.h"
#include "lib/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct srv S;
static char token[128]; /* a live invitation to dvor-sadovaya-12 */

static int setup(void **state)
{
    (void)state;
    if (srv_start(&S, 1, NULL) != 0) return -1;
    struct client org;
    if (client_as(&org, &S, "organizer") != 0) return -1;
    const char *f[] = {"role", "member", "max_uses", "100", "days", "7", NULL};
    struct resp r;
    int rc = post_pairs(&org, "/c/dvor-sadovaya-12/invite", 1, f, &r);
    const char *link = rc == 0 ? jstr(r.json, "created.link") : NULL;
    if (link && strstr(link, "/i/")) snprintf(token, sizeof token, "%s", strstr(link, "/i/") + 3);
    resp_free(&r);
    client_free(&org);
    return token[0] ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return srv_stop(&S) == 0 ? 0 : -1;
}

/* Every header line named name, checked by fn. */
static void check_security_headers(const struct resp *r, const char *what)
{
    char v[1024];
    if (resp_header(r, "Content-Security-Policy", v, sizeof v) != 0)
        fail_msg("%s: no Content-Security-Policy", what);
    if (strstr(v, "unsafe-inline") || strstr(v, "unsafe-eval") || strstr(v, "http:") ||
        strstr(v, "https:") || strstr(v, "*"))
        fail_msg("%s: CSP allows too much: %s", what, v);
    if (!strstr(v, "frame-ancestors 'none'") || !strstr(v, "default-src 'none'"))
        fail_msg("%s: CSP lacks frame-ancestors/default-src 'none': %s", what, v);
    if (resp_header(r, "X-Content-Type-Options", v, sizeof v) != 0 || strcmp(v, "nosniff") != 0)
        fail_msg("%s: X-Content-Type-Options", what);
    if (resp_header(r, "Referrer-Policy", v, sizeof v) != 0 || strcmp(v, "no-referrer") != 0)
        fail_msg("%s: Referrer-Policy", what);
    if (resp_header(r, "Content-Type", v, sizeof v) != 0) fail_msg("%s: no Content-Type", what);
    /* Every cookie: HttpOnly, SameSite=Lax, for the whole site. */
    for (const char *p = r->headers; p && (p = strcasestr(p, "\nSet-Cookie:")); p++) {
        size_t n = strcspn(p + 1, "\r\n");
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)n, p + 1);
        if (!strstr(line, "; HttpOnly") || !strstr(line, "; SameSite=Lax") ||
            !strstr(line, "; Path=/"))
            fail_msg("%s: cookie without HttpOnly/SameSite=Lax/Path: %s", what, line);
    }
}

static void security_headers_on_every_kind_of_answer(void **state)
{
    (void)state;
    struct client anon, mem;
    client_init(&anon, &S);
    assert_int_equal(client_as(&mem, &S, "member"), 0);
    struct {
        const char *method, *path;
        int json;
        long status;
        struct client *c;
    } cases[] = {
        {"GET", "/", 0, 200, &anon},
        {"GET", "/", 1, 200, &anon},
        {"GET", "/c/dvor-sadovaya-12", 0, 200, &mem},
        {"GET", "/c/dvor-sadovaya-12", 1, 200, &mem},
        {"GET", "/healthz", 0, 200, &anon},
        {"GET", "/no/such/page", 0, 404, &anon},
        {"GET", "/no/such/page", 1, 404, &anon},
        {"GET", "/c/tiho-vmeste", 0, 404, &anon},
        {"DELETE", "/", 0, 405, &anon},
        {"POST", "/healthz", 0, 405, &anon},
        {"GET", "/logout", 1, 405, &anon},
        {"GET", "/static/style.css", 0, 200, &anon},
        {"GET", "/static/nothing.css", 0, 404, &anon},
        {"GET", "/account", 0, 303, &anon},
        {"GET", "/account", 1, 401, &anon},
        {"GET", "/admin", 0, 403, &mem},
        {"GET", "/?prereq=%FF", 0, 400, &anon},
        {"POST", "/account", 0, 403, &mem}, /* no CSRF token */
        {"GET", "/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0, 410, &anon},
        {"HEAD", "/", 0, 200, &anon},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *h[] = {cases[i].json ? "Accept: application/json" : "Accept: text/html",
                           "Content-Type: application/x-www-form-urlencoded", NULL};
        struct resp r;
        assert_int_equal(client_req(cases[i].c, cases[i].method, cases[i].path, h, "a=b", 3, &r),
                         0);
        char what[256];
        snprintf(what, sizeof what, "%s %s%s", cases[i].method, cases[i].path,
                 cases[i].json ? " (json)" : "");
        if (r.status != cases[i].status)
            fail_msg("%s: status %ld, expected %ld", what, r.status, cases[i].status);
        check_security_headers(&r, what);
        resp_free(&r);
    }
    /* 413 and the sign-in redirect with its session cookie. */
    size_t big = 1024 * 1024 + 10;
    char *huge = malloc(big);
    memset(huge, 'a', big);
    const char *h[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    struct resp r;
    assert_int_equal(client_req(&anon, "POST", "/c", h, huge, big, &r), 0);
    free(huge);
    assert_int_equal(r.status, 413);
    check_security_headers(&r, "413");
    resp_free(&r);
    struct client c;
    client_init(&c, &S);
    assert_int_equal(client_fetch_csrf(&c, "/login"), 0);
    const char *login[] = {"handle", "member", "password", "demo-demo", NULL};
    assert_int_equal(post_pairs(&c, "/login", 0, login, &r), 0);
    assert_int_equal(r.status, 303);
    assert_non_null(strstr(r.headers, "hr_session="));
    assert_non_null(strstr(r.headers, "hr_flash="));
    check_security_headers(&r, "login redirect");
    resp_free(&r);
    c.csrf[0] = 0; /* bound to the session now */
    const char *lang[] = {"lang", "en", NULL};
    assert_int_equal(post_pairs(&c, "/lang", 0, lang, &r), 0);
    assert_non_null(strstr(r.headers, "hr_lang=en"));
    check_security_headers(&r, "language cookie");
    resp_free(&r);
    /* A visitor's first page sets the CSRF cookie. */
    struct client fresh;
    client_init(&fresh, &S);
    assert_int_equal(client_get(&fresh, "/login", 0, &r), 0);
    assert_non_null(strstr(r.headers, "hr_visitor="));
    check_security_headers(&r, "visitor cookie");
    resp_free(&r);
    client_free(&fresh);
    client_free(&c);
    client_free(&anon);
    client_free(&mem);
}

/* Every http:// or https:// in body must be our own base or the SVG
 * namespace (an identifier, never fetched). */
static void check_no_external(const char *body, const char *what)
{
    static const char *const ok[] = {"http://www.w3.org/2000/svg", NULL};
    for (const char *p = body; (p = strstr(p, "http")) != NULL; p++) {
        if (strncmp(p, "http://", 7) != 0 && strncmp(p, "https://", 8) != 0) continue;
        int fine = strncmp(p, S.base, strlen(S.base)) == 0;
        for (int i = 0; ok[i]; i++)
            fine |= strncmp(p, ok[i], strlen(ok[i])) == 0;
        if (!fine) fail_msg("%s refers to another origin: %.60s", what, p);
    }
    /* A script is allowed only as a file of our own, with nothing inline. */
    for (const char *p = body; (p = strstr(p, "<script")) != NULL; p++) {
        static const char own[] = "<script src=\"/static/";
        const char *end = strchr(p, '>');
        if (strncmp(p, own, sizeof own - 1) != 0 || !end || strncmp(end, "></script>", 10) != 0)
            fail_msg("%s has an inline script (the CSP would block it): %.60s", what, p);
    }
    if (strstr(body, "<style") || strstr(body, " style=\"") || strstr(body, " onclick=") ||
        strstr(body, " onload="))
        fail_msg("%s has inline script or style (the CSP would block it)", what);
}

static int is_get(const struct route *rt)
{
    return strcmp(rt->method, "GET") == 0;
}

/* Every GET route, as anonymous, a member and the organizer: no other
 * origin anywhere, and the JSON of every page carries the CSRF token its
 * forms need. */
static void no_page_refers_to_another_origin(void **state)
{
    (void)state;
    struct client who[3];
    client_init(&who[0], &S);
    assert_int_equal(client_as(&who[1], &S, "member"), 0);
    assert_int_equal(client_as(&who[2], &S, "organizer"), 0);
    struct path_values v = {"dvor-sadovaya-12", "member", token, "1", "style.css"};
    int pages = 0;
    const struct route *rt;
    for (size_t ri = 0; (rt = areas_route(ri, NULL)) != NULL; ri++) {
        if (!is_get(rt)) continue;
        char path[512];
        route_path(rt->pattern, &v, path, sizeof path);
        for (int w = 0; w < 3; w++) {
            struct resp r;
            assert_int_equal(client_get(&who[w], path, 0, &r), 0);
            check_no_external(r.body, path);
            char ct[128] = "";
            resp_header(&r, "Content-Type", ct, sizeof ct);
            int html = r.status == 200 && strstr(ct, "text/html");
            int has_form = html && strstr(r.body, "<form");
            resp_free(&r);
            if (!html) continue;
            pages++;
            assert_int_equal(client_get(&who[w], path, 1, &r), 0);
            assert_int_equal(r.status, 200);
            if (!r.json) fail_msg("%s: no JSON view", path);
            if (has_form && !jstr(r.json, "csrf"))
                fail_msg("%s: a page with a form whose JSON has no csrf", path);
            static const char *const never[] = {
                "\"password_hash\":", "\"token_hash\":", "\"account_id\":",
                "\"session_hash\":",  "\"secret\":",     NULL};
            for (int k = 0; never[k]; k++)
                if (strstr(r.body, never[k]))
                    fail_msg("%s: the JSON view holds \"%s\": %.300s", path, never[k], r.body);
            resp_free(&r);
        }
    }
    assert_true(pages > 10);
    for (int w = 0; w < 3; w++)
        client_free(&who[w]);
}

/* The strings of a JSON view at path that must show in the HTML. */
static void same_data(struct client *c, const char *page, const char *const *paths)
{
    struct resp h, j;
    assert_int_equal(client_get(c, page, 0, &h), 0);
    assert_int_equal(client_get(c, page, 1, &j), 0);
    assert_int_equal(h.status, 200);
    assert_int_equal(j.status, 200);
    for (int i = 0; paths[i]; i++) {
        /* "list.*.key": every element's key. */
        const char *star = strstr(paths[i], ".*.");
        json_t *items = NULL;
        if (star) {
            char prefix[128];
            snprintf(prefix, sizeof prefix, "%.*s", (int)(star - paths[i]), paths[i]);
            items = jget(j.json, prefix);
            if (!json_array_size(items)) fail_msg("%s: JSON has no %s", page, prefix);
        }
        size_t n = star ? json_array_size(items) : 1;
        for (size_t k = 0; k < n; k++) {
            const char *s =
                star ? json_string_value(json_object_get(json_array_get(items, k), star + 3))
                     : jstr(j.json, paths[i]);
            if (!s) fail_msg("%s: JSON has no %s", page, paths[i]);
            char esc[1024];
            esc_html(s, esc, sizeof esc);
            if (!strstr(h.body, esc))
                fail_msg("%s: \"%s\" (%s) is in the JSON but not in the HTML", page, s, paths[i]);
        }
    }
    resp_free(&h);
    resp_free(&j);
}

static void html_and_json_agree(void **state)
{
    (void)state;
    struct client org;
    assert_int_equal(client_as(&org, &S, "organizer"), 0);
    const char *home[] = {"communities.*.name", NULL};
    same_data(&org, "/", home);
    const char *dash[] = {"community.name", "community.visibility_label", "my_role_label", NULL};
    same_data(&org, "/c/dvor-sadovaya-12", dash);
    same_data(&org, "/c/zelenyj-kvartal", dash);
    same_data(&org, "/c/tiho-vmeste", dash);
    const char *members[] = {"name", "members.*.display_name", "members.*.role_label", NULL};
    same_data(&org, "/c/dvor-sadovaya-12/members", members);
    same_data(&org, "/c/tiho-vmeste/members", members);
    const char *requests[] = {"name", "requests.*.handle", "requests.*.message", NULL};
    same_data(&org, "/c/zelenyj-kvartal/members/requests", requests);
    const char *settings[] = {"handle", "form.display_name", "communities.*.name", NULL};
    same_data(&org, "/account", settings);
    char path[200];
    snprintf(path, sizeof path, "/i/%s", token);
    const char *landing[] = {"name", "role_label", NULL};
    same_data(&org, path, landing);
    client_free(&org);
    struct client nc;
    assert_int_equal(client_as(&nc, &S, "newcomer"), 0);
    const char *closed[] = {"community.name", NULL};
    same_data(&nc, "/c/zelenyj-kvartal", closed);
    client_free(&nc);
    struct client admin;
    assert_int_equal(client_as(&admin, &S, "admin"), 0);
    const char *accounts[] = {"accounts.*.handle", NULL};
    same_data(&admin, "/admin", accounts);
    client_free(&admin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(security_headers_on_every_kind_of_answer),
        cmocka_unit_test(no_page_refers_to_another_origin),
        cmocka_unit_test(html_and_json_agree),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
