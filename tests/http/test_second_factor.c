/* The second factor over HTTP: setup confirmed only by a valid code, the
 * code step of sign-in (no session before it; a replayed code refused;
 * recovery codes once each; wrong codes throttled with wrong passwords),
 * turning it off, and the community rule "organizers must use a second
 * factor". Codes are computed here from the secret the setup page shows,
 * as an authenticator app computes them. One server for the suite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/account/totp.h"
#include "lib/check.h"

#include <liboath/oath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct srv S;

static const char PW[] = "pass-word-1";

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

static void signup(struct client *c, const char *handle)
{
    client_init(c, &S);
    const char *f[] = {"handle", handle, "password", PW, "password2", PW, NULL};
    struct resp r;
    assert_int_equal(post_pairs(c, "/signup", 0, f, &r), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    c->csrf[0] = 0; /* bound to the new session now */
}

/* The code of the step `steps` away from now. */
static void code_at(const unsigned char s[TOTP_SECRET], int steps, char out[TOTP_DIGITS + 1])
{
    assert_int_equal(totp_code(s, time(NULL) + steps * TOTP_STEP, out), 0);
}

/* Starts the setup on c's account and reads the secret the page shows
 * (base32) into s. */
static void setup_start(struct client *c, unsigned char s[TOTP_SECRET])
{
    assert_int_equal(post_status(c, "/account/second-factor/start", 0, NULL), 303);
    struct resp r;
    assert_int_equal(client_get(c, "/account/second-factor", 1, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "state"), "waiting");
    const char *b32 = jstr(r.json, "secret"), *uri = jstr(r.json, "uri");
    assert_non_null(b32);
    assert_non_null(uri);
    assert_non_null(strstr(uri, "otpauth://totp/Hramada:"));
    assert_non_null(strstr(uri, b32));
    char *raw = NULL;
    size_t n = 0;
    assert_int_equal(oath_base32_decode(b32, strlen(b32), &raw, &n), OATH_OK);
    assert_int_equal(n, TOTP_SECRET);
    memcpy(s, raw, TOTP_SECRET);
    free(raw);
    resp_free(&r);
    /* the page as HTML carries the QR code */
    assert_int_equal(client_get(c, "/account/second-factor", 0, &r), 0);
    assert_true(resp_has(&r, "<svg"));
    resp_free(&r);
}

/* Confirms the setup with the current code; the ten recovery codes into
 * codes (may be NULL). */
static void setup_confirm(struct client *c, const unsigned char s[TOTP_SECRET],
                          char codes[RECOVERY_CODES][RECOVERY_LEN + 1])
{
    char code[TOTP_DIGITS + 1];
    code_at(s, 0, code);
    const char *f[] = {"password", PW, "code", code, NULL};
    struct resp r;
    assert_int_equal(post_pairs(c, "/account/second-factor/confirm", 1, f, &r), 0);
    assert_int_equal(r.status, 200);
    json_t *list = jget(r.json, "recovery_codes");
    assert_int_equal(json_array_size(list), RECOVERY_CODES);
    for (size_t i = 0; codes && i < RECOVERY_CODES; i++)
        snprintf(codes[i], RECOVERY_LEN + 1, "%s", json_string_value(json_array_get(list, i)));
    resp_free(&r);
}

/* A fresh account with the second factor on: its secret into s. The
 * client stays signed in. */
static void account_with_factor(struct client *c, const char *handle, unsigned char s[TOTP_SECRET],
                                char codes[RECOVERY_CODES][RECOVERY_LEN + 1])
{
    signup(c, handle);
    setup_start(c, s);
    setup_confirm(c, s, codes);
}

/* The session cookie Set-Cookie gave in r, "" when none. */
static void session_cookie(const struct resp *r, char *out, size_t n)
{
    out[0] = 0;
    const char *p = strstr(r->headers, "hr_session=");
    if (!p) return;
    p += strlen("hr_session=");
    size_t k = strcspn(p, ";\r\n");
    if (k < n) {
        memcpy(out, p, k);
        out[k] = 0;
    }
}

/* The password step on a fresh client: returns its status, and the
 * session cookie (if any) into tok. */
static long password_step(struct client *c, const char *handle, const char *pw, char *tok, size_t n)
{
    client_init(c, &S);
    assert_int_equal(client_fetch_csrf(c, "/login"), 0);
    const char *f[] = {"handle", handle, "password", pw, NULL};
    struct resp r;
    assert_int_equal(post_pairs(c, "/login", 0, f, &r), 0);
    long st = r.status;
    session_cookie(&r, tok, n);
    if (st == 303) {
        char loc[256];
        resp_location(&r, loc, sizeof loc);
        /* an account with a second factor goes to the code step */
        if (!tok[0]) assert_non_null(strstr(loc, "/login/code"));
    }
    resp_free(&r);
    return st;
}

/* The code step: its status, and the session cookie into tok. */
static long code_step(struct client *c, const char *code, char *tok, size_t n)
{
    const char *f[] = {"code", code, NULL};
    struct resp r;
    assert_int_equal(post_pairs(c, "/login/code", 0, f, &r), 0);
    long st = r.status;
    session_cookie(&r, tok, n);
    resp_free(&r);
    return st;
}

/* Lets the next sign-in use the current step again (the suite cannot
 * wait 30 seconds for every sign-in): the used step is set back. */
static void forget_used_step(const char *handle)
{
    assert_int_equal(db_run(&S,
                            "UPDATE account_second_factor SET last_step = 0 WHERE account_id ="
                            " (SELECT id FROM accounts WHERE handle = ?)",
                            handle),
                     0);
}

/* ---- setup ---- */

static void setup_needs_a_valid_code(void **state)
{
    (void)state;
    struct client c;
    unsigned char s[TOTP_SECRET];
    signup(&c, "dvuhfaktornyj");
    setup_start(&c, s);
    /* a code of none of the three steps around now */
    char near[3][TOTP_DIGITS + 1], wrong[16];
    for (int i = 0; i < 3; i++)
        code_at(s, i - 1, near[i]);
    for (int k = 0;; k++) {
        snprintf(wrong, sizeof wrong, "%06d", (atoi(near[1]) + 1 + k) % 1000000);
        if (strcmp(wrong, near[0]) && strcmp(wrong, near[1]) && strcmp(wrong, near[2])) break;
    }
    const char *f[] = {"password", PW, "code", wrong, NULL};
    struct resp r;
    assert_int_equal(post_pairs(&c, "/account/second-factor/confirm", 0, f, &r), 0);
    assert_int_equal(r.status, 422);
    assert_true(resp_has(&r, "id=\"code-error\""));
    resp_free(&r);
    /* a right code is not enough without the password */
    char now[TOTP_DIGITS + 1];
    code_at(s, 0, now);
    const char *no_pw[] = {"password", "wrong-password", "code", now, NULL};
    assert_int_equal(post_pairs(&c, "/account/second-factor/confirm", 0, no_pw, &r), 0);
    assert_int_equal(r.status, 422);
    assert_true(resp_has(&r, "id=\"confirm-password-error\""));
    resp_free(&r);
    /* not on: the password alone still signs in */
    struct client d;
    char tok[128];
    assert_int_equal(password_step(&d, "dvuhfaktornyj", PW, tok, sizeof tok), 303);
    assert_true(tok[0] != 0);
    client_free(&d);
    /* the right code turns it on; the secret is not shown again */
    setup_confirm(&c, s, NULL);
    assert_int_equal(client_get(&c, "/account/second-factor", 1, &r), 0);
    assert_string_equal(jstr(r.json, "state"), "on");
    assert_null(jget(r.json, "secret"));
    assert_int_equal(json_integer_value(jget(r.json, "recovery_left")), RECOVERY_CODES);
    resp_free(&r);
    /* the secret is not in the database in clear */
    char b32[TOTP_BASE32 + 1];
    assert_int_equal(totp_base32(s, b32), 0);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM account_second_factor WHERE instr(secret_box,"
                              " ?) > 0",
                              b32),
                     0);
    client_free(&c);
}

/* ---- sign-in ---- */

static void signin_needs_the_code(void **state)
{
    (void)state;
    struct client c, d;
    unsigned char s[TOTP_SECRET];
    account_with_factor(&c, "s-kodom", s, NULL);
    client_free(&c);
    forget_used_step("s-kodom");
    char tok[128];
    /* the right password alone gives no session */
    assert_int_equal(password_step(&d, "s-kodom", PW, tok, sizeof tok), 303);
    assert_string_equal(tok, "");
    assert_int_equal(get_status(&d, "/account", 1), 401);
    assert_int_equal(get_status(&d, "/login/code", 0), 200);
    /* the right code does */
    char code[TOTP_DIGITS + 1];
    code_at(s, 0, code);
    assert_int_equal(code_step(&d, code, tok, sizeof tok), 303);
    assert_true(tok[0] != 0);
    d.csrf[0] = 0;
    struct resp r;
    assert_int_equal(client_get(&d, "/account", 1, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "handle"), "s-kodom");
    /* the secret key the password opened reached the session */
    assert_true(json_is_true(jget(r.json, "key.open")));
    resp_free(&r);
    client_free(&d);
    /* the same code again, in another sign-in, is refused: a code is good once */
    assert_int_equal(password_step(&d, "s-kodom", PW, tok, sizeof tok), 303);
    assert_int_equal(code_step(&d, code, tok, sizeof tok), 401);
    assert_string_equal(tok, "");
    assert_int_equal(get_status(&d, "/account", 1), 401);
    client_free(&d);
    /* without a password step there is nothing to give a code to */
    client_init(&d, &S);
    assert_int_equal(client_fetch_csrf(&d, "/login"), 0);
    code_at(s, 1, code);
    assert_int_equal(code_step(&d, code, tok, sizeof tok), 410);
    assert_int_equal(get_status(&d, "/login/code", 0), 410);
    client_free(&d);
}

static void recovery_code_works_once(void **state)
{
    (void)state;
    struct client c, d;
    unsigned char s[TOTP_SECRET];
    char codes[RECOVERY_CODES][RECOVERY_LEN + 1];
    account_with_factor(&c, "vosstanovlenie", s, codes);
    client_free(&c);
    /* stored hashed: the code itself is nowhere in the file's tables */
    assert_int_equal(
        db_value(&S, "SELECT count(*) FROM account_recovery_codes WHERE code_hash = ?", codes[3]),
        0);
    char tok[128];
    assert_int_equal(password_step(&d, "vosstanovlenie", PW, tok, sizeof tok), 303);
    /* typed as a person might: upper case */
    char upper[RECOVERY_LEN + 1];
    for (int i = 0; i <= RECOVERY_LEN; i++)
        upper[i] =
            (char)(codes[3][i] >= 'a' && codes[3][i] <= 'z' ? codes[3][i] - 32 : codes[3][i]);
    assert_int_equal(code_step(&d, upper, tok, sizeof tok), 303);
    assert_true(tok[0] != 0);
    client_free(&d);
    assert_int_equal(password_step(&d, "vosstanovlenie", PW, tok, sizeof tok), 303);
    assert_int_equal(code_step(&d, codes[3], tok, sizeof tok), 401);
    assert_string_equal(tok, "");
    /* another of the ten still works */
    assert_int_equal(code_step(&d, codes[4], tok, sizeof tok), 303);
    assert_true(tok[0] != 0);
    client_free(&d);
}

static void new_recovery_codes_void_the_old(void **state)
{
    (void)state;
    struct client c, d;
    unsigned char s[TOTP_SECRET];
    char codes[RECOVERY_CODES][RECOVERY_LEN + 1];
    account_with_factor(&c, "novye-kody", s, codes);
    forget_used_step("novye-kody");
    /* not without a current code */
    const char *bad[] = {"code", codes[0], NULL};
    assert_int_equal(post_status(&c, "/account/second-factor/recovery", 0, bad), 422);
    char code[TOTP_DIGITS + 1];
    code_at(s, 0, code);
    const char *f[] = {"code", code, NULL};
    struct resp r;
    assert_int_equal(post_pairs(&c, "/account/second-factor/recovery", 0, f, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(resp_has(&r, "class=\"recovery-codes\""));
    assert_false(resp_has(&r, codes[0]));
    resp_free(&r);
    client_free(&c);
    /* an old code no longer signs in */
    char tok[128];
    assert_int_equal(password_step(&d, "novye-kody", PW, tok, sizeof tok), 303);
    assert_int_equal(code_step(&d, codes[0], tok, sizeof tok), 401);
    assert_string_equal(tok, "");
    client_free(&d);
}

static void wrong_codes_are_throttled(void **state)
{
    (void)state;
    struct client c, d;
    unsigned char s[TOTP_SECRET];
    account_with_factor(&c, "podbor-koda", s, NULL);
    client_free(&c);
    forget_used_step("podbor-koda");
    char tok[128];
    /* two wrong passwords, then wrong codes: they count together */
    for (int i = 0; i < 2; i++) {
        assert_int_equal(password_step(&d, "podbor-koda", "wrong-password", tok, sizeof tok), 401);
        client_free(&d);
    }
    assert_int_equal(password_step(&d, "podbor-koda", PW, tok, sizeof tok), 303);
    char right[TOTP_DIGITS + 1];
    code_at(s, 0, right);
    const char *guesses[] = {"111111", "222222", "333333"};
    for (int i = 0; i < 3; i++) {
        if (!strcmp(guesses[i], right)) continue;
        assert_int_equal(code_step(&d, guesses[i], tok, sizeof tok), 401);
    }
    /* five failures: even the right code now waits */
    assert_int_equal(code_step(&d, right, tok, sizeof tok), 429);
    assert_string_equal(tok, "");
    client_free(&d);
    /* and so does the right password from a new browser */
    assert_int_equal(password_step(&d, "podbor-koda", PW, tok, sizeof tok), 429);
    client_free(&d);
}

static void json_clients_get_the_same_flow(void **state)
{
    (void)state;
    struct client c, d;
    unsigned char s[TOTP_SECRET];
    account_with_factor(&c, "json-klient", s, NULL);
    client_free(&c);
    forget_used_step("json-klient");
    client_init(&d, &S);
    assert_int_equal(client_fetch_csrf(&d, "/login"), 0);
    const char *f[] = {"handle", "json-klient", "password", PW, NULL};
    struct resp r;
    char tok[128], loc[256];
    assert_int_equal(post_pairs(&d, "/login", 1, f, &r), 0);
    assert_int_equal(r.status, 303);
    session_cookie(&r, tok, sizeof tok);
    assert_string_equal(tok, "");
    assert_non_null(strstr(resp_location(&r, loc, sizeof loc), "/login/code"));
    resp_free(&r);
    assert_int_equal(client_get(&d, "/login/code", 1, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(json_is_true(jget(r.json, "second_factor")));
    resp_free(&r);
    const char *bad[] = {"code", "not-a-code", NULL};
    assert_int_equal(post_pairs(&d, "/login/code", 1, bad, &r), 0);
    assert_int_equal(r.status, 401);
    assert_string_equal(jstr(r.json, "error.code"), "bad_code");
    resp_free(&r);
    char code[TOTP_DIGITS + 1];
    code_at(s, 0, code);
    const char *good[] = {"code", code, NULL};
    assert_int_equal(post_pairs(&d, "/login/code", 1, good, &r), 0);
    assert_int_equal(r.status, 303);
    session_cookie(&r, tok, sizeof tok);
    assert_true(tok[0] != 0);
    resp_free(&r);
    client_free(&d);
}

static void turning_off_needs_password_and_code(void **state)
{
    (void)state;
    struct client c;
    unsigned char s[TOTP_SECRET];
    account_with_factor(&c, "vyklyuchatel", s, NULL);
    forget_used_step("vyklyuchatel");
    char code[TOTP_DIGITS + 1];
    code_at(s, 0, code);
    const char *no_pw[] = {"password", "wrong-password", "code", code, NULL};
    assert_int_equal(post_status(&c, "/account/second-factor/off", 0, no_pw), 422);
    const char *no_code[] = {"password", PW, "code", "12", NULL};
    assert_int_equal(post_status(&c, "/account/second-factor/off", 0, no_code), 422);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM account_second_factor f JOIN accounts a"
                              " ON a.id = f.account_id WHERE a.handle = ?",
                              "vyklyuchatel"),
                     1);
    const char *ok[] = {"password", PW, "code", code, NULL};
    assert_int_equal(post_status(&c, "/account/second-factor/off", 0, ok), 303);
    client_free(&c);
    struct client d;
    char tok[128];
    assert_int_equal(password_step(&d, "vyklyuchatel", PW, tok, sizeof tok), 303);
    assert_true(tok[0] != 0);
    client_free(&d);
}

/* base followed by rest, in one of a few buffers that live until reused:
 * one per argument of an assertion is enough. */
static const char *at(const char *base, const char *rest)
{
    static char buf[4][160];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s%s", base, rest);
    return b;
}

/* ---- the community rule ---- */

static void organizers_of_secret_communities_need_it(void **state)
{
    (void)state;
    struct client c;
    signup(&c, "tajnyj-organizator");
    const char *f[] = {"name",       "Тайный кружок", "slug", "tajnyj-kruzhok",
                       "visibility", "secret",        NULL};
    struct resp r;
    assert_int_equal(post_pairs(&c, "/c", 0, f, &r), 0);
    assert_int_equal(r.status, 303);
    /* a secret community's address is random, whatever was asked */
    char home[96];
    resp_location(&r, home, sizeof home);
    assert_true(strlen(home) == 3 + 24 && strncmp(home, "/c/", 3) == 0);
    resp_free(&r);
    /* the rule is on for a new secret community; the organizer without a
     * second factor has a member's capabilities and sees the notice */
    assert_int_equal(db_value(&S,
                              "SELECT organizers_second_factor FROM communities"
                              " WHERE id = (SELECT max(id) FROM communities)",
                              NULL),
                     1);
    assert_int_equal(get_status(&c, at(home, "/edit"), 0), 403);
    assert_int_equal(get_status(&c, at(home, "/invite"), 0), 403);
    assert_int_equal(get_status(&c, at(home, "/members"), 0), 200);
    assert_int_equal(client_get(&c, at(home, ""), 1, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(jarray_has(r.json, "panels", "area", "second_factor"));
    assert_false(json_is_true(jget(r.json, "is_organizer")));
    resp_free(&r);
    assert_int_equal(client_get(&c, at(home, ""), 0, &r), 0);
    assert_true(resp_has(&r, "href=\"/account/second-factor\""));
    resp_free(&r);
    /* with the second factor on, the organizer's pages come back */
    unsigned char s[TOTP_SECRET];
    setup_start(&c, s);
    setup_confirm(&c, s, NULL);
    assert_int_equal(get_status(&c, at(home, "/edit"), 0), 200);
    assert_int_equal(client_get(&c, at(home, ""), 1, &r), 0);
    assert_false(jarray_has(r.json, "panels", "area", "second_factor"));
    assert_true(json_is_true(jget(r.json, "is_organizer")));
    resp_free(&r);
    /* the rule is a settings field: the edit form shows it and can turn it off */
    assert_int_equal(client_get(&c, at(home, "/edit"), 1, &r), 0);
    assert_string_equal(jstr(r.json, "form.organizers_second_factor"), "1");
    resp_free(&r);
    const char *off[] = {"name", "Тайный кружок", "visibility", "secret", NULL};
    assert_int_equal(post_status(&c, at(home, "/edit"), 0, off), 303);
    assert_int_equal(db_value(&S,
                              "SELECT organizers_second_factor FROM communities"
                              " WHERE id = (SELECT max(id) FROM communities)",
                              NULL),
                     0);
    client_free(&c);
}

static void public_communities_do_not_ask(void **state)
{
    (void)state;
    struct client c;
    signup(&c, "otkrytyj-organizator");
    const char *f[] = {"name",       "Открытый кружок", "slug", "otkrytyj-kruzhok",
                       "visibility", "public",          NULL};
    assert_int_equal(post_status(&c, "/c", 0, f), 303);
    assert_int_equal(get_status(&c, "/c/otkrytyj-kruzhok/edit", 0), 200);
    client_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(setup_needs_a_valid_code),
        cmocka_unit_test(signin_needs_the_code),
        cmocka_unit_test(recovery_code_works_once),
        cmocka_unit_test(new_recovery_codes_void_the_old),
        cmocka_unit_test(wrong_codes_are_throttled),
        cmocka_unit_test(json_clients_get_the_same_flow),
        cmocka_unit_test(turning_off_needs_password_and_code),
        cmocka_unit_test(organizers_of_secret_communities_need_it),
        cmocka_unit_test(public_communities_do_not_ask),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
