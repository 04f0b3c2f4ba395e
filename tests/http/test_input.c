/* Bad input over HTTP: invalid UTF-8 and NUL bytes in the path, the query,
 * a form and a JSON body, bodies over the limit, unknown routes and
 * methods, a thousand parameters; and JSON bodies with the CSRF token in a
 * header or a field. Nothing may crash the server or write anything. One
 * server with the demo for the whole suite. */
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

/* ---- bad input ---- */

static long raw(struct client *c, const char *method, const char *path, const char *ctype,
                const char *body, size_t len, const char *extra)
{
    char ct[128];
    snprintf(ct, sizeof ct, "Content-Type: %s",
             ctype ? ctype : "application/x-www-form-urlencoded");
    const char *h[] = {ct, extra, NULL};
    struct resp r;
    if (client_req(c, method, path, h, body, len, &r) != 0) return -1;
    long st = r.status;
    resp_free(&r);
    return st;
}

static void bad_input(void **state)
{
    (void)state;
    struct client c;
    sign_up(&c, &S, "plohoj-vvod");
    assert_int_equal(client_fetch_csrf(&c, "/"), 0);
    long long before = communities();
    char body[4096];
    struct resp r;

    /* Invalid UTF-8 in the query and in a form field. */
    assert_int_equal(client_get(&c, "/?prereq=%FF%FE", 0, &r), 0);
    assert_int_equal(r.status, 400);
    assert_true(resp_has(&r, "class=\"error-code\""));
    resp_free(&r);
    assert_int_equal(get_status(&c, "/?prereq=%C3%28", 1), 400);
    assert_int_equal(get_status(&c, "/c/%FF", 0), 400);
    snprintf(body, sizeof body, "name=%%D0%%D0&slug=plohoe-imya&visibility=public&csrf=%s", c.csrf);
    assert_int_equal(raw(&c, "POST", "/c", NULL, body, strlen(body), NULL), 400);
    snprintf(body, sizeof body,
             "{\"name\":\"\xff\xfe\",\"slug\":\"plohoe-imya\","
             "\"visibility\":\"public\",\"csrf\":\"%s\"}",
             c.csrf);
    assert_int_equal(raw(&c, "POST", "/c", "application/json", body, strlen(body), NULL), 400);
    /* NUL bytes, encoded and raw and in JSON. */
    assert_int_equal(get_status(&c, "/?prereq=a%00b", 0), 400);
    assert_int_equal(get_status(&c, "/c/a%00b", 0), 400);
    assert_int_equal(get_status(&c, "/c/dvor-sadovaya-12%00/members", 1), 400);
    snprintf(body, sizeof body, "name=a%%00b&slug=plohoe-imya&visibility=public&csrf=%s", c.csrf);
    assert_int_equal(raw(&c, "POST", "/c", NULL, body, strlen(body), NULL), 400);
    int n = snprintf(body, sizeof body, "name=a");
    body[n++] = 0;
    n += snprintf(body + n, sizeof body - (size_t)n, "b&slug=plohoe-imya&visibility=public&csrf=%s",
                  c.csrf);
    assert_int_equal(raw(&c, "POST", "/c", NULL, body, (size_t)n, NULL), 400);
    snprintf(body, sizeof body,
             "{\"name\":\"a\\u0000b\",\"slug\":\"plohoe-imya\","
             "\"visibility\":\"public\",\"csrf\":\"%s\"}",
             c.csrf);
    assert_int_equal(raw(&c, "POST", "/c", "application/json", body, strlen(body), NULL), 400);
    /* Broken and nested JSON, and a type we do not take. */
    assert_int_equal(raw(&c, "POST", "/c", "application/json", "{\"name\":", 8, NULL), 400);
    snprintf(body, sizeof body, "{\"name\":{\"x\":1},\"csrf\":\"%s\"}", c.csrf);
    assert_int_equal(raw(&c, "POST", "/c", "application/json", body, strlen(body), NULL), 400);
    assert_int_equal(raw(&c, "POST", "/c", "text/plain", "name=x", 6, NULL), 415);
    assert_int_equal(communities(), before);

    /* Bodies over 1 MiB, with and without a length. */
    size_t big = 1024 * 1024 + 100;
    char *huge = malloc(big + 1);
    memset(huge, 'a', big);
    memcpy(huge, "name=", 5);
    huge[big] = 0;
    assert_int_equal(raw(&c, "POST", "/c", NULL, huge, big, NULL), 413);
    assert_int_equal(raw(&c, "POST", "/c", NULL, huge, big, "Transfer-Encoding: chunked"), 413);
    free(huge);
    assert_int_equal(communities(), before);
    /* The server is still there. */
    assert_int_equal(get_status(&c, "/healthz", 1), 200);

    /* Unknown routes and wrong methods. */
    assert_int_equal(get_status(&c, "/no/such/page", 0), 404);
    assert_int_equal(get_status(&c, "/no/such/page", 1), 404);
    assert_int_equal(get_status(&c, "/c/", 0), 404);
    assert_int_equal(get_status(&c, "/c/dvor-sadovaya-12/nothing", 0), 404);
    /* No way out of the static files. */
    assert_int_equal(get_status(&c, "/static/..%2Fsrc%2Fsql%2F001_platform.sql", 0), 404);
    assert_int_equal(client_req(&c, "DELETE", "/", NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 405);
    char allow[64];
    assert_int_equal(resp_header(&r, "Allow", allow, sizeof allow), 0);
    resp_free(&r);
    assert_int_equal(raw(&c, "PUT", "/c", NULL, "x", 1, NULL), 405);
    assert_int_equal(get_status(&c, "/logout", 0), 405);
    assert_int_equal(post_status(&c, "/healthz", 0, NULL), 405);
    assert_int_equal(post_status(&c, "/c/dvor-sadovaya-12/members", 0, NULL), 405);

    /* A thousand parameters. */
    size_t cap = 1000 * 6 + 200, len = 0;
    char *many = malloc(cap);
    len += (size_t)snprintf(many, cap, "/?");
    for (int i = 0; i < 1000; i++)
        len += (size_t)snprintf(many + len, cap - len, "a=%d&", i % 10);
    assert_int_equal(get_status(&c, many, 0), 400);
    len = (size_t)snprintf(many, cap, "csrf=%s&name=x&slug=mnogo&visibility=public", c.csrf);
    for (int i = 0; i < 1000; i++)
        len += (size_t)snprintf(many + len, cap - len, "&p=%d", i % 10);
    assert_int_equal(raw(&c, "POST", "/c", NULL, many, len, NULL), 400);
    free(many);
    assert_int_equal(communities(), before);
    client_free(&c);
}

static void json_posts(void **state)
{
    (void)state;
    struct client c;
    sign_up(&c, &S, "json-klient");
    assert_int_equal(client_fetch_csrf(&c, "/"), 0);
    char hdr[200], body[512];
    snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s", c.csrf);
    const char *h[] = {"Content-Type: application/json", "Accept: application/json", hdr, NULL};
    const char *nh[] = {"Content-Type: application/json", "Accept: application/json", NULL};
    const char *ok = "{\"name\":\"Через API\",\"slug\":\"cherez-api\",\"visibility\":\"public\","
                     "\"prereq\":[\"places\",\"actions\"]}";
    struct resp r;
    /* Without a token: 403 and nothing. */
    assert_int_equal(client_req(&c, "POST", "/c", nh, ok, strlen(ok), &r), 0);
    assert_int_equal(r.status, 403);
    assert_string_equal(jstr(r.json, "error.code"), "csrf");
    resp_free(&r);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM communities WHERE slug = ?", "cherez-api"),
                     0);
    /* The token in a header. */
    assert_int_equal(client_req(&c, "POST", "/c", h, ok, strlen(ok), &r), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(client_get(&c, "/c/cherez-api", 1, &r), 0);
    assert_string_equal(jstr(r.json, "community.name"), "Через API");
    assert_true(jarray_has(r.json, "community.prereq_tags", "key", "actions"));
    resp_free(&r);
    /* The token as a field; validation errors in JSON. */
    snprintf(body, sizeof body,
             "{\"name\":\"\",\"slug\":\"cherez-api-2\",\"visibility\":\"public\",\"csrf\":\"%s\"}",
             c.csrf);
    assert_int_equal(client_req(&c, "POST", "/c", nh, body, strlen(body), &r), 0);
    assert_int_equal(r.status, 422);
    assert_string_equal(jstr(r.json, "error.code"), "invalid");
    assert_non_null(jstr(r.json, "error.fields.name"));
    resp_free(&r);
    snprintf(body, sizeof body, "{\"message\":\"Хочу к вам\",\"csrf\":\"%s\"}", c.csrf);
    assert_int_equal(client_req(&c, "POST", "/c/zelenyj-kvartal/join", nh, body, strlen(body), &r),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM join_requests r JOIN accounts a"
                              " ON a.id = r.account_id WHERE a.handle = ?",
                              "json-klient"),
                     1);
    /* A wrong token in the header is refused even with the right one nowhere. */
    const char *wh[] = {"Content-Type: application/json", "Accept: application/json",
                        "X-CSRF-Token: nope", NULL};
    const char *other = "{\"name\":\"X\",\"slug\":\"cherez-api-3\",\"visibility\":\"public\"}";
    assert_int_equal(client_req(&c, "POST", "/c", wh, other, strlen(other), &r), 0);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    assert_int_equal(
        db_value(&S, "SELECT count(*) FROM communities WHERE slug = ?", "cherez-api-3"), 0);
    client_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_input),
        cmocka_unit_test(json_posts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
