/* A hostile client: what a careless or malicious client sends. Every case
 * must get the right status, the server must stay up (healthz after each),
 * and the database must pass PRAGMA integrity_check after the server stops.
 * Cookies have no parser of ours: libmicrohttpd splits them, and the server
 * drops values that are not valid UTF-8 (http.c collect_kv). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/check.h"
#include "lib/testsrv.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static struct srv S;
static int cases;

static int setup(void **state)
{
    (void)state;
    return srv_start(&S, 1, NULL);
}

/* The server stops cleanly, then the database file must be consistent. */
static int teardown(void **state)
{
    (void)state;
    /* srv_stop removes the directory: check the file in between. */
    srv_halt(&S);
    int ok = db_file_says_ok(S.db, "PRAGMA integrity_check");
    srv_stop(&S);
    printf("hostile: %d cases, integrity_check %s\n", cases, ok ? "ok" : "FAILED");
    return ok ? 0 : -1;
}

static void healthy(void)
{
    struct client c;
    client_init(&c, &S);
    struct resp r;
    assert_int_equal(client_get(&c, "/healthz", 0, &r), 0);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    client_free(&c);
    cases++;
}

static int dial(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)S.port);
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Sends raw bytes, returns the status of the answer (0 if the server closed
 * the connection without one). */
static int raw(const char *req, size_t len)
{
    int fd = dial();
    if (fd < 0) return -1;
    size_t off = 0;
    while (off < len) {
        ssize_t k = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (k <= 0) break;
        off += (size_t)k;
    }
    char buf[64] = {0};
    ssize_t k = recv(fd, buf, sizeof buf - 1, 0);
    close(fd);
    int status = 0;
    if (k > 12 && strncmp(buf, "HTTP/1.", 7) == 0) status = atoi(buf + 9);
    return status;
}

static void over_the_limits(void **state)
{
    (void)state;
    /* A header block larger than the connection's memory. */
    size_t big = 200 * 1024;
    char *req = malloc(big + 256);
    int n = sprintf(req, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: ");
    memset(req + n, 'a', big);
    n += (int)big;
    n += sprintf(req + n, "\r\n\r\n");
    int st = raw(req, (size_t)n);
    assert_true(st == 0 || st == 431 || st == 413 || st == 400);
    healthy();
    /* A body over --max-body, announced and not announced. */
    n = sprintf(req, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                     "application/x-www-form-urlencoded\r\nContent-Length: 5000000\r\n\r\nabc");
    assert_int_equal(raw(req, (size_t)n), 413);
    healthy();
    struct client c;
    client_init(&c, &S);
    struct resp r;
    size_t blen = 1100 * 1024;
    char *body = malloc(blen + 1);
    memset(body, 'x', blen);
    body[blen] = 0;
    assert_int_equal(
        client_post_raw(&c, "/login", "application/x-www-form-urlencoded", body, blen, 0, &r), 0);
    assert_int_equal(r.status, 413);
    resp_free(&r);
    healthy();
    /* A thousand parameters in the query and in the body. */
    size_t at = 0;
    for (int i = 0; i < 1000; i++)
        at += (size_t)sprintf(body + at, "%sp%d=%d", i ? "&" : "", i, i);
    char *path = malloc(at + 16);
    sprintf(path, "/?%s", body);
    assert_int_equal(client_get(&c, path, 1, &r), 0);
    assert_int_equal(r.status, 400);
    resp_free(&r);
    assert_int_equal(
        client_post_raw(&c, "/login", "application/x-www-form-urlencoded", body, at, 1, &r), 0);
    assert_int_equal(r.status, 400);
    resp_free(&r);
    /* A deeply nested JSON body and an unknown content type. */
    at = 0;
    for (int i = 0; i < 5000; i++)
        body[at++] = '[';
    assert_int_equal(client_post_raw(&c, "/login", "application/json", body, at, 1, &r), 0);
    assert_int_equal(r.status, 400);
    resp_free(&r);
    assert_int_equal(client_post_raw(&c, "/login", "text/xml", "<a/>", 4, 1, &r), 0);
    assert_int_equal(r.status, 415);
    resp_free(&r);
    /* An unknown method. */
    assert_int_equal(raw("DELETE / HTTP/1.1\r\nHost: x\r\n\r\n", 31), 405);
    client_free(&c);
    free(path);
    free(body);
    free(req);
    healthy();
}

/* 50 connections that send a header byte now and then: the others are
 * still served. (Dropping them is the server's conn_timeout, 30 s by
 * default; this test does not wait for it.) */
static void slow_loris(void **state)
{
    (void)state;
    enum { SLOW = 50 };
    int fd[SLOW];
    const char *head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    for (int i = 0; i < SLOW; i++) {
        fd[i] = dial();
        assert_true(fd[i] >= 0);
        assert_true(send(fd[i], head, strlen(head), MSG_NOSIGNAL) > 0);
    }
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < SLOW; i++)
            send(fd[i], "a", 1, MSG_NOSIGNAL);
        struct client c;
        client_init(&c, &S);
        struct resp r;
        struct timeval t0, t1;
        gettimeofday(&t0, NULL);
        assert_int_equal(client_get(&c, "/", 0, &r), 0);
        gettimeofday(&t1, NULL);
        assert_int_equal(r.status, 200);
        assert_true(t1.tv_sec - t0.tv_sec < 3);
        resp_free(&r);
        client_free(&c);
        sleep(1);
    }
    for (int i = 0; i < SLOW; i++)
        close(fd[i]);
    healthy();
}

/* Percent-encoded NUL and overlong forms in every kind of field. */
static void nul_and_overlong_utf8(void **state)
{
    (void)state;
    static const char *const bad[] = {"%00",       "a%00b",        "%C0%AF", "%E0%80%AF",
                                      "%ED%A0%80", "%F4%90%80%80", "%FF",    "%C3"};
    struct client c;
    client_init(&c, &S);
    assert_int_equal(client_login(&c, "organizer", "demo-demo"), 0);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char buf[512];
        struct resp r;
        /* query */
        snprintf(buf, sizeof buf, "/?prereq=%s", bad[i]);
        assert_int_equal(client_get(&c, buf, 1, &r), 0);
        assert_int_equal(r.status, 400);
        resp_free(&r);
        /* path */
        snprintf(buf, sizeof buf, "/c/dvor%s", bad[i]);
        assert_int_equal(client_get(&c, buf, 1, &r), 0);
        assert_true(r.status == 400 || r.status == 404);
        resp_free(&r);
        /* form body: a text field, a choice, a number */
        static const char *const fields[] = {"name", "visibility", "territory_id", "description"};
        for (int f = 0; f < 4; f++) {
            snprintf(buf, sizeof buf, "%s=%s&csrf=%s", fields[f], bad[i], c.csrf);
            assert_int_equal(client_post_raw(&c, "/c/dvor-sadovaya-12/edit",
                                             "application/x-www-form-urlencoded", buf, strlen(buf),
                                             1, &r),
                             0);
            assert_int_equal(r.status, 400);
            resp_free(&r);
        }
        /* a raw NUL byte in the body */
        assert_int_equal(client_post_raw(&c, "/c/dvor-sadovaya-12/edit",
                                         "application/x-www-form-urlencoded", "name=a\0b", 8, 1,
                                         &r),
                         0);
        assert_int_equal(r.status, 400);
        resp_free(&r);
        cases += 7;
    }
    /* JSON: \u0000 and a lone surrogate; raw bytes that are not UTF-8. */
    static const char *const jbad[] = {"{\"name\":\"a\\u0000b\"}", "{\"name\":\"\\ud800\"}",
                                       "{\"name\":\"\xc0\xaf\"}", "{\"name\":\"\xed\xa0\x80\"}"};
    for (size_t i = 0; i < sizeof jbad / sizeof *jbad; i++) {
        struct resp r;
        assert_int_equal(client_post_raw(&c, "/c/dvor-sadovaya-12/edit", "application/json",
                                         jbad[i], strlen(jbad[i]), 1, &r),
                         0);
        assert_true(r.status == 400);
        resp_free(&r);
        cases++;
    }
    /* Cookies: a session cookie that is not UTF-8 is ignored, not fatal. */
    const char *req = "GET / HTTP/1.1\r\nHost: x\r\nCookie: hr_session=\xc0\xaf; hr_lang=\xff\r\n"
                      "Connection: close\r\n\r\n";
    assert_int_equal(raw(req, strlen(req)), 200);
    client_free(&c);
    healthy();
}

static void path_traversal(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2fetc%2fpasswd",
        "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/static/....//....//etc/passwd",
        "/static/..\\..\\etc\\passwd",
        "/static/%252e%252e/etc/passwd",
        "/static/.%2e/src/main.c",
        "/static/..",
        "/static/%2e%2e",
        "/c/../admin",
        "/c/%2e%2e/admin",
        "/i/..%2f..%2fetc%2fpasswd",
        "/i/../../etc/passwd/qr.svg",
        "/c/dvor-sadovaya-12/../../admin",
        "/c/dvor-sadovaya-12%2f..%2f..%2fadmin",
        "//etc/passwd",
        "/static//etc/passwd",
        "/static/%00style.css",
        "/static/style.css%00.html",
    };
    struct client c;
    client_init(&c, &S);
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        struct resp r;
        /* libcurl would normalise dots: send these as they are. */
        char req[512];
        int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                         paths[i]);
        int st = raw(req, (size_t)n);
        if (st != 400 && st != 404 && st != 401) fail_msg("%s answered %d", paths[i], st);
        assert_int_equal(client_get(&c, paths[i], 0, &r), 0);
        /* libcurl resolves literal dot segments itself ("/static/.." is
         * "/" then): only the raw request above sees those. */
        int normalised = strstr(paths[i], "/..") && (r.status == 200 || r.status == 303);
        if (r.status != 400 && r.status != 404 && r.status != 401 && !normalised)
            fail_msg("%s (normalised by the client) answered %ld", paths[i], r.status);
        assert_null(strstr(r.body, "root:"));
        assert_null(strstr(r.body, "#include"));
        resp_free(&r);
        cases++;
    }
    client_free(&c);
    healthy();
}

/* ---- XSS and SQL metacharacters in every text field ---- */

/* 50 characters: fits every field, display names (64) included. */
static const char XSS[] = "<script>alert(1)</script>\"'><img src=x onerror=a>";
static const char SQLI[] = "O'Brien \"; DROP TABLE accounts; -- ' OR '1'='1 /* %_ \\";

/* The page at path must not carry the payload raw; when shown must be
 * true it must carry it escaped. */
static void escaped_on(struct client *c, const char *path, int shown)
{
    struct resp r;
    assert_int_equal(client_get(c, path, 0, &r), 0);
    if (r.status != 200) fail_msg("%s: %ld", path, r.status);
    if (strstr(r.body, "<script>alert") || strstr(r.body, "<img src=x"))
        fail_msg("%s carries the payload unescaped", path);
    if (shown && !strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;"))
        fail_msg("%s does not show the payload escaped", path);
    resp_free(&r);
    cases++;
}

static void post_ok(struct client *c, const char *path, ...)
{
    const char *p[20];
    int n = 0;
    va_list ap;
    va_start(ap, path);
    const char *k;
    while (n < 18 && (k = va_arg(ap, const char *)) != NULL) {
        p[n++] = k;
        p[n++] = va_arg(ap, const char *);
    }
    va_end(ap);
    struct resp r;
    int rc;
    switch (n) {
    case 2:
        rc = client_post(c, path, 0, &r, p[0], p[1], NULL);
        break;
    case 4:
        rc = client_post(c, path, 0, &r, p[0], p[1], p[2], p[3], NULL);
        break;
    case 6:
        rc = client_post(c, path, 0, &r, p[0], p[1], p[2], p[3], p[4], p[5], NULL);
        break;
    default:
        rc = client_post(c, path, 0, &r, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], NULL);
        break;
    }
    assert_int_equal(rc, 0);
    if (r.status != 303 && r.status != 201) /* 201: an invitation's link page */
        fail_msg("POST %s: %ld", path, r.status);
    resp_free(&r);
    cases++;
}

static void xss_in_every_text_field(void **state)
{
    (void)state;
    struct client org, nc, fresh;
    client_init(&org, &S);
    client_init(&nc, &S);
    client_init(&fresh, &S);
    assert_int_equal(client_login(&org, "organizer", "demo-demo"), 0);
    assert_int_equal(client_login(&nc, "newcomer", "demo-demo"), 0);
    /* community name and description, at creation and on edit */
    post_ok(&org, "/c", "name", XSS, "slug", "xss-test", "visibility", "public", "description", XSS,
            NULL);
    escaped_on(&org, "/c/xss-test", 1);
    escaped_on(&org, "/", 1);
    escaped_on(&nc, "/", 1);
    escaped_on(&org, "/c/xss-test/edit", 1);
    post_ok(&org, "/c/zelenyj-kvartal/edit", "name", XSS, "visibility", "closed", "description",
            XSS, NULL);
    escaped_on(&org, "/c/zelenyj-kvartal", 1);
    escaped_on(&nc, "/c/zelenyj-kvartal", 1);
    /* display name (account settings), join message */
    post_ok(&nc, "/account", "display_name", XSS, "lang", "ru", NULL);
    escaped_on(&nc, "/account", 1);
    post_ok(&nc, "/c/zelenyj-kvartal/join", "message", XSS, NULL);
    escaped_on(&org, "/c/zelenyj-kvartal/members/requests", 1);
    /* invitation note */
    post_ok(&org, "/c/xss-test/invite", "role", "member", "max_uses", "5", "days", "7", "note", XSS,
            NULL);
    escaped_on(&org, "/c/xss-test/invite", 1);
    /* display name at sign-up (the admin opens sign-up first) */
    struct client adm;
    client_init(&adm, &S);
    assert_int_equal(client_login(&adm, "admin", "demo-demo"), 0);
    post_ok(&adm, "/admin/settings", "open_signup", "1", NULL);
    assert_int_equal(client_fetch_csrf(&fresh, "/signup"), 0);
    post_ok(&fresh, "/signup", "handle", "xss-person", "display_name", XSS, "password",
            "hostile-pass-1", "password2", "hostile-pass-1", NULL);
    escaped_on(&fresh, "/account", 1);
    escaped_on(&adm, "/admin", 1);
    /* the newcomer's name on the members page once approved */
    escaped_on(&org, "/c/xss-test/members", 0);
    client_free(&adm);
    client_free(&org);
    client_free(&nc);
    client_free(&fresh);
    healthy();
}

static void sql_metacharacters_round_trip(void **state)
{
    (void)state;
    struct client org;
    client_init(&org, &S);
    assert_int_equal(client_login(&org, "organizer", "demo-demo"), 0);
    post_ok(&org, "/c", "name", SQLI, "slug", "sql-test", "visibility", "public", "description",
            SQLI, NULL);
    struct resp r;
    assert_int_equal(client_get(&org, "/c/sql-test", 1, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(r.json);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(r.json, "community"), "name")), SQLI);
    resp_free(&r);
    post_ok(&org, "/account", "display_name", SQLI, "lang", "ru", NULL);
    assert_int_equal(client_get(&org, "/account", 1, &r), 0);
    assert_non_null(strstr(r.body, "O'Brien \\\"; DROP TABLE accounts; --"));
    resp_free(&r);
    /* In the query string and in a path segment. */
    assert_int_equal(client_get(&org, "/?prereq=%27%20OR%201%3D1%20--", 1, &r), 0);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    assert_int_equal(client_get(&org, "/c/x%27%20OR%20%271%27%3D%271", 1, &r), 0);
    assert_true(r.status == 404 || r.status == 400);
    resp_free(&r);
    /* A sign-in with SQL in the handle fails as any wrong password does. */
    struct client anon;
    client_init(&anon, &S);
    assert_int_equal(client_fetch_csrf(&anon, "/login"), 0);
    assert_int_equal(client_post(&anon, "/login", 0, &r, "handle", "admin' --", "password",
                                 "x' OR '1'='1", NULL),
                     0);
    assert_true(r.status == 401 || r.status == 422 || r.status == 403);
    resp_free(&r);
    client_free(&anon);
    /* Everything is still there. */
    assert_int_equal(client_get(&org, "/", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "dvor-sadovaya-12"));
    resp_free(&r);
    client_free(&org);
    cases += 4;
    healthy();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(over_the_limits),         cmocka_unit_test(slow_loris),
        cmocka_unit_test(nul_and_overlong_utf8),   cmocka_unit_test(path_traversal),
        cmocka_unit_test(xss_in_every_text_field), cmocka_unit_test(sql_metacharacters_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
