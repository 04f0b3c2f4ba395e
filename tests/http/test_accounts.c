/* Accounts over HTTP: sign-up and its field errors, sign-in and its
 * throttling, sign-out, password change, CSRF, the language, sign-up by
 * invitation only, and the "hramada user" command line. One server with the
 * demo for the whole suite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/check.h"

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

/* Signs up handle (password "pass-word-1") on a fresh client; 303 expected. */
static void signup(struct client *c, const char *handle)
{
    client_init(c, &S);
    const char *f[] = {"handle",      handle,      "display_name", "Проба", "password",
                       "pass-word-1", "password2", "pass-word-1",  NULL};
    struct resp r;
    assert_int_equal(post_pairs(c, "/signup", 0, f, &r), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    c->csrf[0] = 0; /* bound to the new session now */
}

/* Signs in on a fresh cookie-less request and returns the session token
 * from Set-Cookie (empty when refused). */
static void session_token(const char *handle, const char *pw, char *tok, size_t n)
{
    struct client c;
    client_init(&c, &S);
    tok[0] = 0;
    assert_int_equal(client_fetch_csrf(&c, "/login"), 0);
    const char *f[] = {"handle", handle, "password", pw, NULL};
    struct resp r;
    assert_int_equal(post_pairs(&c, "/login", 0, f, &r), 0);
    const char *p = strstr(r.headers, "hr_session=");
    if (r.status == 303 && p) {
        p += strlen("hr_session=");
        size_t k = strcspn(p, ";\r\n");
        if (k < n) {
            memcpy(tok, p, k);
            tok[k] = 0;
        }
    }
    resp_free(&r);
    client_free(&c);
}

/* The status of GET path with only this session cookie. */
static long status_with_token(const char *path, const char *tok)
{
    struct client c;
    client_init(&c, &S);
    char cookie[200];
    snprintf(cookie, sizeof cookie, "Cookie: hr_session=%s", tok);
    const char *h[] = {cookie, NULL};
    struct resp r;
    assert_int_equal(client_req(&c, "GET", path, h, NULL, 0, &r), 0);
    long st = r.status;
    resp_free(&r);
    client_free(&c);
    return st;
}

/* ---- sign-up ---- */

static void signup_open_in_demo(void **state)
{
    (void)state;
    struct client c;
    client_init(&c, &S);
    assert_int_equal(get_status(&c, "/signup", 0), 200);
    client_free(&c);

    signup(&c, "novaya-sosedka");
    struct resp r;
    assert_int_equal(client_get(&c, "/account", 1, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "handle"), "novaya-sosedka");
    assert_string_equal(jstr(r.json, "form.display_name"), "Проба");
    resp_free(&r);
    client_free(&c);
}

struct bad_signup {
    const char *handle, *pw, *pw2, *field;
};

static void signup_field_errors(void **state)
{
    (void)state;
    static const struct bad_signup cases[] = {
        {"", "pass-word-1", "pass-word-1", "handle"},
        {"-bad handle", "pass-word-1", "pass-word-1", "handle"},
        {"ab", "pass-word-1", "pass-word-1", "handle"},
        {"ORGANIZER", "pass-word-1", "pass-word-1", "handle"}, /* taken, any case */
        {"Member", "pass-word-1", "pass-word-1", "handle"},
        {"kratkij", "short", "short", "password"},
        {"nesovpal", "pass-word-1", "pass-word-2", "password2"},
        {"bezparolya", "", "", "password"},
    };
    long before = (long)db_value(&S, "SELECT count(*) FROM accounts", NULL);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct bad_signup *k = &cases[i];
        struct client c;
        client_init(&c, &S);
        const char *f[] = {"handle", k->handle,   "display_name", "Иван <b>", "password",
                           k->pw,    "password2", k->pw2,         NULL};
        struct resp r;
        /* HTML: 422, the message beside the field, the input kept. */
        assert_int_equal(post_pairs(&c, "/signup", 0, f, &r), 0);
        assert_int_equal(r.status, 422);
        char id[64];
        snprintf(id, sizeof id, "id=\"%s-error\"", k->field);
        if (!resp_has(&r, id)) fail_msg("case %zu: no message beside %s", i, k->field);
        assert_true(resp_has(&r, "value=\"Иван &lt;b&gt;\""));
        if (k->handle[0]) {
            char v[128];
            snprintf(v, sizeof v, "value=\"%s\"", k->handle);
            if (!resp_has(&r, v)) fail_msg("case %zu: handle not kept", i);
        }
        assert_false(resp_has(&r, "value=\"pass-word")); /* never echo a password */
        resp_free(&r);
        /* JSON: the error shape. */
        assert_int_equal(post_pairs(&c, "/signup", 1, f, &r), 0);
        assert_int_equal(r.status, 422);
        assert_non_null(r.json);
        assert_string_equal(jstr(r.json, "error.code"), "invalid");
        assert_non_null(jstr(r.json, "error.message"));
        assert_true(json_is_object(jget(r.json, "error.fields")));
        char path[64];
        snprintf(path, sizeof path, "error.fields.%s", k->field);
        if (!jstr(r.json, path))
            fail_msg("case %zu: no JSON message for %s: %s", i, k->field, r.body);
        resp_free(&r);
        client_free(&c);
    }
    /* A display name over 64 characters (Cyrillic: counted as characters). */
    {
        char longname[400] = "";
        for (int i = 0; i < 65; i++)
            strcat(longname, "я");
        struct client c;
        client_init(&c, &S);
        const char *f[] = {"handle",      "dlinnoe-imya", "display_name", longname, "password",
                           "pass-word-1", "password2",    "pass-word-1",  NULL};
        struct resp r;
        assert_int_equal(post_pairs(&c, "/signup", 0, f, &r), 0);
        assert_int_equal(r.status, 422);
        assert_true(resp_has(&r, "id=\"display_name-error\""));
        assert_true(resp_has(&r, "value=\"dlinnoe-imya\""));
        resp_free(&r);
        longname[strlen(longname) - 2] = 0; /* 64 is fine */
        assert_int_equal(post_pairs(&c, "/signup", 0, f, &r), 0);
        assert_int_equal(r.status, 303);
        resp_free(&r);
        client_free(&c);
        before++;
    }
    /* Taken means taken whatever the case, and says so. */
    struct client c;
    client_init(&c, &S);
    const char *f[] = {"handle",    "OrGaNiZeR",   "password", "pass-word-1",
                       "password2", "pass-word-1", NULL};
    struct resp r;
    assert_int_equal(post_pairs(&c, "/signup", 1, f, &r), 0);
    assert_string_equal(jstr(r.json, "error.fields.handle"), "Это имя пользователя уже занято.");
    resp_free(&r);
    client_free(&c);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM accounts", NULL), before);
}

/* ---- sign-in ---- */

static void signin_same_answer_for_unknown_handle(void **state)
{
    (void)state;
    struct client c;
    client_init(&c, &S);
    assert_int_equal(client_fetch_csrf(&c, "/login"), 0);
    const char *wrong[] = {"handle", "member", "password", "not-the-password", NULL};
    const char *unknown[] = {"handle", "nobody-at-all", "password", "not-the-password", NULL};
    struct resp a, b;
    assert_int_equal(post_pairs(&c, "/login", 1, wrong, &a), 0);
    assert_int_equal(post_pairs(&c, "/login", 1, unknown, &b), 0);
    assert_int_equal(a.status, 401);
    assert_int_equal(b.status, a.status);
    assert_string_equal(jstr(a.json, "error.message"), jstr(b.json, "error.message"));
    assert_string_equal(a.body, b.body);
    resp_free(&a);
    resp_free(&b);
    assert_int_equal(post_pairs(&c, "/login", 0, wrong, &a), 0);
    assert_int_equal(post_pairs(&c, "/login", 0, unknown, &b), 0);
    assert_int_equal(a.status, b.status);
    assert_true(resp_has(&a, "Неверное имя пользователя или пароль."));
    assert_true(resp_has(&b, "Неверное имя пользователя или пароль."));
    assert_false(resp_has(&a, "not-the-password"));
    resp_free(&a);
    resp_free(&b);
    client_free(&c);
    /* And the right password still works (two failures are no lock). */
    assert_int_equal(client_as(&c, &S, "member"), 0);
    client_free(&c);
}

static void signin_throttled_after_five_failures(void **state)
{
    (void)state;
    const char *handles[] = {"dvor-sadovaya-12-9", "no-such-handle-zz"};
    for (int h = 0; h < 2; h++) {
        struct client c;
        client_init(&c, &S);
        assert_int_equal(client_fetch_csrf(&c, "/login"), 0);
        const char *wrong[] = {"handle", handles[h], "password", "wrong-wrong", NULL};
        for (int i = 0; i < 5; i++)
            assert_int_equal(post_status(&c, "/login", 1, wrong), 401);
        struct resp r;
        assert_int_equal(post_pairs(&c, "/login", 1, wrong, &r), 0);
        assert_int_equal(r.status, 429);
        char ra[32];
        assert_int_equal(resp_header(&r, "Retry-After", ra, sizeof ra), 0);
        assert_string_equal(jstr(r.json, "error.code"), "throttled");
        resp_free(&r);
        /* Even the right password waits, and the handle's case is no way round. */
        const char *right[] = {"handle", handles[h], "password", "demo-demo", NULL};
        assert_int_equal(post_status(&c, "/login", 1, right), 429);
        char upper[64];
        snprintf(upper, sizeof upper, "%s", handles[h]);
        upper[0] = (char)(upper[0] - 'a' + 'A');
        const char *cased[] = {"handle", upper, "password", "demo-demo", NULL};
        assert_int_equal(post_status(&c, "/login", 1, cased), 429);
        assert_int_equal(post_status(&c, "/login", 0, right), 429);
        client_free(&c);
    }
}

/* 1 if the file at path holds the bytes of text anywhere. */
static int file_holds(const char *path, const char *text)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    static char buf[1 << 20];
    size_t n, keep = 0, tl = strlen(text);
    int found = 0;
    while (!found && (n = fread(buf + keep, 1, sizeof buf - keep, f)) > 0) {
        n += keep;
        found = memmem(buf, n, text, tl) != NULL;
        keep = n < tl ? n : tl - 1;
        memmove(buf, buf + n - keep, keep);
    }
    fclose(f);
    return found;
}

/* The audit: five wrong guesses by anyone locked the handle for its owner
 * too. Now a browser that signed in to the account before is throttled by
 * its own key: the owner gets in while strangers stay locked out, and the
 * owner's browser still cannot guess without limit. */
static void the_owners_browser_is_not_locked_out(void **state)
{
    (void)state;
    struct client owner;
    signup(&owner, "known-owner");
    client_free(&owner);
    client_init(&owner, &S);
    assert_int_equal(client_login(&owner, "known-owner", "pass-word-1"), 0); /* now known */
    struct client stranger;
    client_init(&stranger, &S);
    assert_int_equal(client_fetch_csrf(&stranger, "/login"), 0);
    const char *wrong[] = {"handle", "known-owner", "password", "wrong-wrong", NULL};
    for (int i = 0; i < 5; i++)
        assert_int_equal(post_status(&stranger, "/login", 1, wrong), 401);
    const char *right[] = {"handle", "known-owner", "password", "pass-word-1", NULL};
    assert_int_equal(post_status(&stranger, "/login", 1, right), 429);
    /* the owner, signed out, signs in from their browser */
    struct resp r;
    assert_int_equal(post_pairs(&owner, "/logout", 0, NULL, &r), 0);
    resp_free(&r);
    owner.csrf[0] = 0;
    assert_int_equal(client_fetch_csrf(&owner, "/login"), 0);
    assert_int_equal(post_status(&owner, "/login", 0, right), 303);
    owner.csrf[0] = 0; /* bound to the new session */
    assert_int_equal(client_fetch_csrf(&owner, "/"), 0);
    /* a browser the account never saw is still locked */
    struct client fresh;
    client_init(&fresh, &S);
    assert_int_equal(client_fetch_csrf(&fresh, "/login"), 0);
    assert_int_equal(post_status(&fresh, "/login", 1, right), 429);
    /* and the owner's browser has its own five tries, not unlimited ones */
    assert_int_equal(post_pairs(&owner, "/logout", 0, NULL, &r), 0);
    resp_free(&r);
    owner.csrf[0] = 0;
    assert_int_equal(client_fetch_csrf(&owner, "/login"), 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(post_status(&owner, "/login", 1, wrong), 401);
    assert_int_equal(post_status(&owner, "/login", 1, right), 429);
    client_free(&owner);
    client_free(&stranger);
    client_free(&fresh);
}

/* The audit: a password typed into the handle field was kept in clear in
 * the throttle table. Now the table holds keyed hashes only, and neither
 * the database nor its WAL holds the typed text. */
static void failed_sign_ins_keep_no_typed_text(void **state)
{
    (void)state;
    struct client c;
    client_init(&c, &S);
    assert_int_equal(client_fetch_csrf(&c, "/login"), 0);
    const char *typed[] = {"handle", "Hunter2Typed", "password", "wrong-wrong", NULL};
    assert_int_equal(post_status(&c, "/login", 1, typed), 401);
    client_free(&c);
    assert_true(db_value(&S, "SELECT count(*) FROM login_throttle", NULL) >= 1);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM login_throttle WHERE instr(lower(key), ?) > 0",
                              "hunter2"),
                     0);
    char wal[400];
    snprintf(wal, sizeof wal, "%s-wal", S.db);
    assert_false(file_holds(S.db, "Hunter2Typed"));
    assert_false(file_holds(wal, "Hunter2Typed"));
    /* a day without failures and the row is gone: random handles cannot
     * grow the table without end */
    assert_int_equal(db_run(&S, "UPDATE login_throttle SET last_at = last_at - 2 * 86400", NULL),
                     0);
    client_init(&c, &S);
    assert_int_equal(client_fetch_csrf(&c, "/login"), 0);
    const char *other[] = {"handle", "someone-else-zz", "password", "wrong-wrong", NULL};
    assert_int_equal(post_status(&c, "/login", 1, other), 401);
    client_free(&c);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM login_throttle", NULL), 1);
}

/* ---- sessions ---- */

static void signout_ends_the_session(void **state)
{
    (void)state;
    char tok[128];
    session_token("member", "demo-demo", tok, sizeof tok);
    assert_true(tok[0] != 0);
    assert_int_equal(status_with_token("/account", tok), 200);
    struct client c;
    client_init(&c, &S);
    char cookie[200];
    snprintf(cookie, sizeof cookie, "Cookie: hr_session=%s", tok);
    struct resp r;
    const char *h[] = {cookie, "Accept: application/json", NULL};
    assert_int_equal(client_req(&c, "GET", "/account", h, NULL, 0, &r), 0);
    char body[256];
    snprintf(body, sizeof body, "csrf=%s", jstr(r.json, "csrf"));
    resp_free(&r);
    const char *hp[] = {cookie, "Content-Type: application/x-www-form-urlencoded", NULL};
    assert_int_equal(client_req(&c, "POST", "/logout", hp, body, strlen(body), &r), 0);
    assert_int_equal(r.status, 303);
    assert_non_null(strstr(r.headers, "hr_session=;"));
    resp_free(&r);
    client_free(&c);
    /* The old cookie, replayed, is nobody. */
    assert_int_equal(status_with_token("/account", tok), 303);
}

static void password_change_ends_old_sessions(void **state)
{
    (void)state;
    struct client c;
    signup(&c, "smena-parolya");
    char other[128];
    session_token("smena-parolya", "pass-word-1", other, sizeof other);
    assert_int_equal(status_with_token("/account", other), 200);
    /* A wrong current password: 422, nothing changes. */
    const char *bad[] = {"current",   "nope-nope-nope", "password", "new-pass-word",
                         "password2", "new-pass-word",  NULL};
    struct resp r;
    assert_int_equal(post_pairs(&c, "/account/password", 1, bad, &r), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(jstr(r.json, "error.fields.current"));
    resp_free(&r);
    assert_int_equal(status_with_token("/account", other), 200);
    const char *shortpw[] = {"current",   "pass-word-1", "password", "short",
                             "password2", "short",       NULL};
    assert_int_equal(post_status(&c, "/account/password", 0, shortpw), 422);
    assert_int_equal(status_with_token("/account", other), 200);
    const char *ok[] = {"current",   "pass-word-1",   "password", "new-pass-word",
                        "password2", "new-pass-word", NULL};
    assert_int_equal(post_status(&c, "/account/password", 0, ok), 303);
    /* The other session is gone; this browser got a new one. */
    assert_int_equal(status_with_token("/account", other), 303);
    assert_int_equal(get_status(&c, "/account", 0), 200);
    client_free(&c);
    session_token("smena-parolya", "pass-word-1", other, sizeof other);
    assert_true(other[0] == 0);
    session_token("smena-parolya", "new-pass-word", other, sizeof other);
    assert_true(other[0] != 0);
}

/* ---- CSRF ---- */

static void post_without_csrf_is_refused(void **state)
{
    (void)state;
    struct client c;
    assert_int_equal(client_as(&c, &S, "organizer"), 0);
    const char *no[] = {"display_name=Hacked", "display_name=Hacked&csrf=",
                        "display_name=Hacked&csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
    for (size_t i = 0; i < 3; i++) {
        struct resp r;
        assert_int_equal(client_post_raw(&c, "/account", "application/x-www-form-urlencoded", no[i],
                                         strlen(no[i]), 0, &r),
                         0);
        assert_int_equal(r.status, 403);
        assert_true(resp_has(&r, "ничего не изменилось"));
        resp_free(&r);
    }
    /* Another person's token is no better. */
    struct client m;
    assert_int_equal(client_as(&m, &S, "member"), 0);
    char body[256];
    snprintf(body, sizeof body, "display_name=Hacked&csrf=%s", m.csrf);
    struct resp r;
    assert_int_equal(client_post_raw(&c, "/account", "application/x-www-form-urlencoded", body,
                                     strlen(body), 1, &r),
                     0);
    assert_int_equal(r.status, 403);
    assert_string_equal(jstr(r.json, "error.code"), "csrf");
    resp_free(&r);
    client_free(&m);
    assert_int_equal(client_get(&c, "/account", 1, &r), 0);
    assert_string_equal(jstr(r.json, "form.display_name"), "Андрей");
    resp_free(&r);
    client_free(&c);

    /* An anonymous sign-up without a token creates nothing. */
    client_init(&c, &S);
    const char *su = "handle=bez-tokena&password=pass-word-1&password2=pass-word-1";
    assert_int_equal(
        client_post_raw(&c, "/signup", "application/x-www-form-urlencoded", su, strlen(su), 0, &r),
        0);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM accounts WHERE handle = ?", "bez-tokena"),
                     0);
    client_free(&c);
}

/* ---- language ---- */

static int page_lang_is(struct client *c, const char *accept_language, const char *lang)
{
    char al[64], want[32];
    snprintf(al, sizeof al, "Accept-Language: %s", accept_language);
    snprintf(want, sizeof want, "<html lang=\"%s\"", lang);
    const char *h[] = {al, NULL};
    struct resp r;
    if (client_req(c, "GET", "/", h, NULL, 0, &r) != 0) return 0;
    int ok = r.status == 200 && resp_has(&r, want);
    resp_free(&r);
    return ok;
}

static void language_switch(void **state)
{
    (void)state;
    struct client c;
    client_init(&c, &S);
    assert_true(page_lang_is(&c, "en-GB,en;q=0.9", "en"));
    assert_true(page_lang_is(&c, "en", "en"));
    assert_true(page_lang_is(&c, "ru-RU,ru;q=0.9", "ru"));
    struct resp r;
    const char *h[] = {"Accept-Language: en", NULL};
    assert_int_equal(client_req(&c, "GET", "/", h, NULL, 0, &r), 0);
    assert_true(resp_has(&r, "Communities"));
    resp_free(&r);
    /* The switch: a cookie that beats the browser's wish. */
    const char *en[] = {"lang", "en", "next", "/signup", NULL};
    assert_int_equal(post_pairs(&c, "/lang", 0, en, &r), 0);
    assert_int_equal(r.status, 303);
    char loc[256];
    assert_string_equal(resp_location(&r, loc, sizeof loc), "/signup");
    resp_free(&r);
    assert_true(page_lang_is(&c, "ru", "en"));
    const char *bad[] = {"lang", "xx", NULL};
    assert_int_equal(post_status(&c, "/lang", 0, bad), 422);
    const char *away[] = {"lang", "ru", "next", "//evil.example/", NULL};
    assert_int_equal(post_pairs(&c, "/lang", 0, away, &r), 0);
    assert_string_equal(resp_location(&r, loc, sizeof loc), "/");
    resp_free(&r);
    assert_true(page_lang_is(&c, "en", "ru"));
    client_free(&c);

    /* The account's own setting wins over the browser. */
    signup(&c, "govoryu-po-russki");
    const char *set[] = {"display_name", "Проба", "lang", "ru", NULL};
    assert_int_equal(post_status(&c, "/account", 0, set), 303);
    assert_true(page_lang_is(&c, "en", "ru"));
    const char *set_en[] = {"display_name", "Проба", "lang", "en", NULL};
    assert_int_equal(post_status(&c, "/account", 0, set_en), 303);
    assert_true(page_lang_is(&c, "ru", "en"));
    client_free(&c);
}

/* Answers given before the router runs (bad input, too large, an unknown
 * method) speak the visitor's language too. */
static void error_pages_in_the_visitors_language(void **state)
{
    (void)state;
    struct client c;
    client_init(&c, &S);
    size_t big = 1024 * 1024 + 10;
    char *huge = malloc(big);
    memset(huge, 'a', big);
    struct {
        const char *method, *path;
        const char *body;
        size_t len;
        long status;
    } cases[] = {
        {"GET", "/?prereq=%FF", NULL, 0, 400},  {"GET", "/c/a%00b", NULL, 0, 400},
        {"DELETE", "/", NULL, 0, 405},          {"POST", "/c", huge, big, 413},
        {"GET", "/no/such/page", NULL, 0, 404}, {"POST", "/c", "a=%FF", 5, 400},
    };
    const char *langs[][2] = {{"Accept-Language: en", "<html lang=\"en\""},
                              {"Accept-Language: ru", "<html lang=\"ru\""}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int l = 0; l < 2; l++) {
            const char *h[] = {langs[l][0], "Content-Type: application/x-www-form-urlencoded",
                               NULL};
            struct resp r;
            assert_int_equal(
                client_req(&c, cases[i].method, cases[i].path, h, cases[i].body, cases[i].len, &r),
                0);
            assert_int_equal(r.status, cases[i].status);
            if (!resp_has(&r, langs[l][1]))
                fail_msg("%s %s: not in the asked language: %.200s", cases[i].method, cases[i].path,
                         r.body);
            /* English text has no Cyrillic letters in its message. */
            if (l == 0 && strstr(r.body, "<h1>") &&
                (unsigned char)strstr(r.body, "<h1>")[4] >= 0xD0)
                fail_msg("%s %s: a Russian message for an English visitor", cases[i].method,
                         cases[i].path);
            resp_free(&r);
        }
    free(huge);
    client_free(&c);
}

/* ---- invitation-only sign-up ---- */

static void signup_by_invitation_only(void **state)
{
    (void)state;
    struct client admin, org, anon;
    assert_int_equal(client_as(&admin, &S, "admin"), 0);
    const char *off[] = {"open_signup", "0", NULL};
    assert_int_equal(post_status(&admin, "/admin/settings", 0, off), 303);

    client_init(&anon, &S);
    struct resp r;
    assert_int_equal(client_get(&anon, "/signup", 0, &r), 0);
    assert_int_equal(r.status, 403);
    assert_true(resp_has(&r, "только по приглашению"));
    resp_free(&r);
    const char *f[] = {"handle",    "bez-priglasheniya", "password", "pass-word-1",
                       "password2", "pass-word-1",       NULL};
    assert_int_equal(post_status(&anon, "/signup", 0, f), 403);
    const char *fake[] = {"handle",    "bez-priglasheniya",
                          "password",  "pass-word-1",
                          "password2", "pass-word-1",
                          "next",      "/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                          NULL};
    assert_int_equal(post_status(&anon, "/signup", 0, fake), 403);

    /* The organizer's link opens the door. */
    assert_int_equal(client_as(&org, &S, "organizer"), 0);
    const char *inv[] = {"role", "member", "max_uses", "1", "days", "7", NULL};
    assert_int_equal(post_pairs(&org, "/c/dvor-sadovaya-12/invite", 1, inv, &r), 0);
    assert_int_equal(r.status, 201);
    const char *link = jstr(r.json, "created.link");
    assert_non_null(link);
    char next[128];
    snprintf(next, sizeof next, "%s", strstr(link, "/i/"));
    resp_free(&r);
    char path[200];
    snprintf(path, sizeof path, "/signup?next=%s", next);
    assert_int_equal(get_status(&anon, path, 0), 200);
    /* A second person holding the same single-use link opens the form too. */
    struct client other;
    client_init(&other, &S);
    assert_int_equal(get_status(&other, path, 0), 200);
    const char *withinv[] = {"handle",    "po-priglasheniyu", "password", "pass-word-1",
                             "password2", "pass-word-1",      "next",     next,
                             NULL};
    assert_int_equal(post_pairs(&anon, "/signup", 0, withinv, &r), 0);
    assert_int_equal(r.status, 303);
    char loc[256];
    /* Signing up by invitation uses it: the new account is a member. */
    assert_string_equal(resp_location(&r, loc, sizeof loc), "/c/dvor-sadovaya-12");
    resp_free(&r);
    anon.csrf[0] = 0;
    assert_int_equal(get_status(&anon, "/c/dvor-sadovaya-12/members", 0), 200);
    client_free(&anon);
    /* ...so the second person cannot make an account with it. */
    const char *second[] = {"handle",    "tozhe-po-ssylke", "password", "pass-word-1",
                            "password2", "pass-word-1",     "next",     next,
                            NULL};
    assert_int_equal(post_status(&other, "/signup", 0, second), 403);
    client_free(&other);
    assert_int_equal(
        db_value(&S, "SELECT count(*) FROM accounts WHERE handle = ?", "tozhe-po-ssylke"), 0);

    /* Used up: the same link no longer opens sign-up. */
    client_init(&anon, &S);
    assert_int_equal(get_status(&anon, path, 0), 403);
    client_free(&anon);

    const char *on[] = {"open_signup", "1", NULL};
    assert_int_equal(post_status(&admin, "/admin/settings", 0, on), 303);
    client_init(&anon, &S);
    assert_int_equal(get_status(&anon, "/signup", 0), 200);
    client_free(&anon);
    client_free(&org);
    client_free(&admin);
}

/* ---- the command line ---- */

static void user_command_line(void **state)
{
    (void)state;
    const char *add[] = {"user", "add", "iz-konsoli", "--name", "Из консоли", NULL};
    assert_int_equal(srv_cli(&S, "console-pass-1\n", add), 0);
    assert_int_equal(db_value(&S, "SELECT is_admin FROM accounts WHERE handle = ?", "iz-konsoli"),
                     0);
    assert_int_not_equal(srv_cli(&S, "console-pass-1\n", add), 0); /* exists */
    const char *add_short[] = {"user", "add", "korotkij", NULL};
    assert_int_not_equal(srv_cli(&S, "short\n", add_short), 0);
    const char *add_bad[] = {"user", "add", "-bad name", NULL};
    assert_int_not_equal(srv_cli(&S, "console-pass-1\n", add_bad), 0);
    assert_int_equal(
        db_value(&S, "SELECT count(*) FROM accounts WHERE handle IN (?, 'korotkij')", "-bad name"),
        0);

    struct client c;
    client_init(&c, &S);
    assert_int_equal(client_login(&c, "iz-konsoli", "console-pass-1"), 0);
    assert_int_equal(get_status(&c, "/admin", 0), 403);

    const char *role[] = {"user", "role", "iz-konsoli", "admin", NULL};
    assert_int_equal(srv_cli(&S, NULL, role), 0);
    assert_int_equal(get_status(&c, "/admin", 0), 200);
    const char *role_bad[] = {"user", "role", "iz-konsoli", "king", NULL};
    assert_int_not_equal(srv_cli(&S, NULL, role_bad), 0);
    assert_int_equal(get_status(&c, "/admin", 0), 200);
    const char *role_none[] = {"user", "role", "iz-konsoli", "none", NULL};
    assert_int_equal(srv_cli(&S, NULL, role_none), 0);
    assert_int_equal(get_status(&c, "/admin", 0), 403);

    const char *passwd[] = {"user", "passwd", "iz-konsoli", NULL};
    assert_int_equal(srv_cli(&S, "console-pass-2\n", passwd), 0);
    /* The new password ends the old sessions. */
    assert_int_equal(get_status(&c, "/account", 0), 303);
    client_free(&c);
    char tok[128];
    session_token("iz-konsoli", "console-pass-1", tok, sizeof tok);
    assert_true(tok[0] == 0);
    session_token("iz-konsoli", "console-pass-2", tok, sizeof tok);
    assert_true(tok[0] != 0);
    const char *passwd_none[] = {"user", "passwd", "net-takogo", NULL};
    assert_int_not_equal(srv_cli(&S, "console-pass-2\n", passwd_none), 0);

    const char *list[] = {"user", "list", NULL};
    assert_int_equal(srv_cli(&S, NULL, list), 0);
    const char *nothing[] = {"user", "frobnicate", NULL};
    assert_int_not_equal(srv_cli(&S, NULL, nothing), 0);
}

/* An error page leads with a sentence for a person, saying who may do what
 * was refused; the code follows in small print. JSON carries the same
 * sentence as its message. */
static void error_pages_say_who_may(void **state)
{
    (void)state;
    struct client mem, nc, anon;
    assert_int_equal(client_as(&mem, &S, "member"), 0);
    assert_int_equal(client_as(&nc, &S, "newcomer"), 0);
    client_init(&anon, &S);
    struct {
        struct client *who;
        const char *method, *path, *lang;
        long status;
        const char *code, *sentence;
    } cases[] = {
        {&mem, "GET", "/c/dvor-sadovaya-12/edit", "ru", 403, "forbidden",
         "Это могут делать только организаторы этого сообщества."},
        {&mem, "GET", "/c/dvor-sadovaya-12/edit", "en", 403, "forbidden",
         "Only the organizers of this community can do this."},
        {&mem, "GET", "/admin", "ru", 403, "forbidden",
         "Это могут делать только администраторы сервера."},
        {&nc, "GET", "/c/zelenyj-kvartal/members", "ru", 403, "forbidden",
         "Это видят только участники этого сообщества."},
        {&anon, "GET", "/no/such/page", "ru", 404, "not_found", "Такой страницы нет."},
        {&anon, "GET", "/no/such/page", "en", 404, "not_found", "This page does not exist."},
        {&anon, "POST", "/logout", "ru", 401, "unauthorized", "Нужно войти в систему."},
        {&anon, "POST", "/logout", "en", 401, "unauthorized", "You need to sign in."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char lang[64];
        snprintf(lang, sizeof lang, "Accept-Language: %s", cases[i].lang);
        for (int json = 0; json < 2; json++) {
            const char *h[] = {lang, json ? "Accept: application/json" : "Accept: text/html",
                               "Content-Type: application/x-www-form-urlencoded", NULL};
            char body[200];
            snprintf(body, sizeof body, "csrf=%s", cases[i].who->csrf);
            struct resp r;
            int post = strcmp(cases[i].method, "POST") == 0;
            assert_int_equal(client_req(cases[i].who, cases[i].method, cases[i].path, h,
                                        post ? body : NULL, post ? strlen(body) : 0, &r),
                             0);
            if (r.status != cases[i].status)
                fail_msg("case %zu: status %ld: %.200s", i, r.status, r.body);
            if (json) {
                assert_string_equal(jstr(r.json, "error.code"), cases[i].code);
                assert_string_equal(jstr(r.json, "error.message"), cases[i].sentence);
            } else {
                char h1[300], code[64];
                snprintf(h1, sizeof h1, "<h1>%s</h1>", cases[i].sentence);
                snprintf(code, sizeof code, "%ld · %s</p>", cases[i].status, cases[i].code);
                const char *a = strstr(r.body, h1), *b = strstr(r.body, code);
                if (!a) fail_msg("case %zu: no %s in %.400s", i, h1, r.body);
                if (!b || b < a) fail_msg("case %zu: the code is not below the sentence", i);
                assert_non_null(strstr(r.body, "class=\"error-code\""));
                /* The page's title is the sentence too. */
                char title[300];
                snprintf(title, sizeof title, "<title>%s", cases[i].sentence);
                assert_non_null(strstr(r.body, title));
            }
            resp_free(&r);
        }
    }
    client_free(&mem);
    client_free(&nc);
    client_free(&anon);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signup_open_in_demo),
        cmocka_unit_test(signup_field_errors),
        cmocka_unit_test(signin_same_answer_for_unknown_handle),
        cmocka_unit_test(signin_throttled_after_five_failures),
        cmocka_unit_test(the_owners_browser_is_not_locked_out),
        cmocka_unit_test(failed_sign_ins_keep_no_typed_text),
        cmocka_unit_test(signout_ends_the_session),
        cmocka_unit_test(password_change_ends_old_sessions),
        cmocka_unit_test(post_without_csrf_is_refused),
        cmocka_unit_test(language_switch),
        cmocka_unit_test(error_pages_in_the_visitors_language),
        cmocka_unit_test(error_pages_say_who_may),
        cmocka_unit_test(signup_by_invitation_only),
        cmocka_unit_test(user_command_line),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
