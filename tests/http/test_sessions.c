/* The sessions list of the account page: every session with the day it
 * began and the day it was last used (days only), a name, "this one"
 * marked; ending one (its cookie stops working) or all the others; and
 * nothing stored or shown of where a session runs (no address, no user
 * agent). One server for the suite. */
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
    c->csrf[0] = 0;
}

/* A further signed-in client of handle. */
static void sign_in(struct client *c, const char *handle)
{
    client_init(c, &S);
    assert_int_equal(client_login(c, handle, PW), 0);
}

/* The account page's sessions list as JSON: a new reference. */
static json_t *sessions_of(struct client *c)
{
    struct resp r;
    assert_int_equal(client_get(c, "/account", 1, &r), 0);
    assert_int_equal(r.status, 200);
    json_t *list = json_incref(jget(r.json, "sessions"));
    assert_non_null(list);
    resp_free(&r);
    return list;
}

/* The id of the session marked "this one" in list (this_one: 1) or of
 * another (this_one: 0); -1 when none. */
static long long session_id(json_t *list, int this_one)
{
    size_t i;
    json_t *s;
    json_array_foreach(list, i, s)
    {
        json_t *t = json_object_get(s, "this_one");
        int mine = json_is_true(t) || (json_is_integer(t) && json_integer_value(t) == 1);
        if (mine == this_one) return json_integer_value(json_object_get(s, "id"));
    }
    return -1;
}

static void list_shows_days_and_no_address(void **state)
{
    (void)state;
    struct client a, b;
    signup(&a, "spisok-seansov");
    sign_in(&b, "spisok-seansov");
    json_t *list = sessions_of(&a);
    assert_int_equal(json_array_size(list), 2);
    char today[11];
    test_day(0, today);
    size_t i;
    json_t *s;
    int marked = 0;
    json_array_foreach(list, i, s)
    {
        /* exactly these fields: nothing of where or on what it runs */
        const char *key;
        json_t *val;
        json_object_foreach(s, key, val)
        {
            if (strcmp(key, "id") && strcmp(key, "created") && strcmp(key, "last_used") &&
                strcmp(key, "name") && strcmp(key, "this_one"))
                fail_msg("unexpected field %s in a session", key);
        }
        assert_string_equal(json_string_value(json_object_get(s, "created")), today);
        assert_string_equal(json_string_value(json_object_get(s, "last_used")), today);
        json_t *t = json_object_get(s, "this_one");
        marked += json_is_true(t) || (json_is_integer(t) && json_integer_value(t) == 1);
    }
    assert_int_equal(marked, 1);
    json_decref(list);
    /* the page neither */
    struct resp r;
    assert_int_equal(client_get(&a, "/account", 0, &r), 0);
    assert_true(resp_has(&r, "id=\"sessions\""));
    assert_false(resp_has(&r, "127.0.0.1"));
    assert_false(resp_has(&r, "curl"));
    resp_free(&r);
    /* and the table has no place for it; times are whole days */
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM pragma_table_info('sessions') WHERE name LIKE"
                              " '%ip%' OR name LIKE '%addr%' OR name LIKE '%agent%'",
                              NULL),
                     0);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM sessions s JOIN accounts a ON a.id ="
                              " s.account_id WHERE a.handle = ? AND (s.created_at % 86400 <> 0"
                              " OR s.expires_at % 86400 <> 0)",
                              "spisok-seansov"),
                     0);
    client_free(&a);
    client_free(&b);
}

static void a_session_can_be_named(void **state)
{
    (void)state;
    struct client a;
    signup(&a, "imya-seansa");
    json_t *list = sessions_of(&a);
    long long id = session_id(list, 1);
    json_decref(list);
    char path[64];
    snprintf(path, sizeof path, "/account/sessions/%lld", id);
    const char *f[] = {"name", "телефон", NULL};
    assert_int_equal(post_status(&a, path, 0, f), 303);
    list = sessions_of(&a);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "name")),
                        "телефон");
    json_decref(list);
    /* another account's session is not this account's to name */
    struct client b;
    signup(&b, "chuzhoj-seans");
    assert_int_equal(post_status(&b, path, 0, f), 404);
    client_free(&a);
    client_free(&b);
}

static void ending_one_session(void **state)
{
    (void)state;
    struct client a, b;
    signup(&a, "konec-seansa");
    sign_in(&b, "konec-seansa");
    assert_int_equal(get_status(&b, "/account", 1), 200);
    json_t *list = sessions_of(&a);
    long long other = session_id(list, 0);
    json_decref(list);
    assert_true(other > 0);
    char path[64];
    snprintf(path, sizeof path, "/account/sessions/%lld/end", other);
    /* not another account's */
    struct client x;
    signup(&x, "postoronnij");
    assert_int_equal(post_status(&x, path, 0, NULL), 404);
    client_free(&x);
    assert_int_equal(get_status(&b, "/account", 1), 200);
    /* the owner ends it: its cookie stops working, this one goes on */
    assert_int_equal(post_status(&a, path, 0, NULL), 303);
    assert_int_equal(get_status(&b, "/account", 1), 401);
    assert_int_equal(get_status(&a, "/account", 1), 200);
    list = sessions_of(&a);
    assert_int_equal(json_array_size(list), 1);
    long long mine = session_id(list, 1);
    json_decref(list);
    /* ending this one signs this browser out */
    snprintf(path, sizeof path, "/account/sessions/%lld/end", mine);
    struct resp r;
    assert_int_equal(post_pairs(&a, path, 0, NULL, &r), 0);
    assert_int_equal(r.status, 303);
    assert_non_null(strstr(r.headers, "hr_session=;"));
    resp_free(&r);
    assert_int_equal(get_status(&a, "/account", 1), 401);
    client_free(&a);
    client_free(&b);
}

static void ending_all_others(void **state)
{
    (void)state;
    struct client a, b, c;
    signup(&a, "vse-drugie");
    sign_in(&b, "vse-drugie");
    sign_in(&c, "vse-drugie");
    json_t *list = sessions_of(&a);
    assert_int_equal(json_array_size(list), 3);
    json_decref(list);
    assert_int_equal(post_status(&a, "/account/sessions/others/end", 0, NULL), 303);
    assert_int_equal(get_status(&b, "/account", 1), 401);
    assert_int_equal(get_status(&c, "/account", 1), 401);
    assert_int_equal(get_status(&a, "/account", 1), 200);
    list = sessions_of(&a);
    assert_int_equal(json_array_size(list), 1);
    assert_true(session_id(list, 1) > 0);
    json_decref(list);
    client_free(&a);
    client_free(&b);
    client_free(&c);
}

static void last_used_is_noted_once_a_day(void **state)
{
    (void)state;
    struct client a;
    signup(&a, "vchera");
    /* as if the session was last used yesterday */
    assert_int_equal(db_run(&S,
                            "UPDATE sessions SET last_day = last_day - 1 WHERE account_id ="
                            " (SELECT id FROM accounts WHERE handle = ?)",
                            "vchera"),
                     0);
    char today[11];
    test_day(0, today);
    long long before = db_value(&S,
                                "SELECT last_day FROM sessions WHERE account_id ="
                                " (SELECT id FROM accounts WHERE handle = ?)",
                                "vchera");
    /* the first request of the day writes today */
    json_t *list = sessions_of(&a);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "last_used")),
                        today);
    json_decref(list);
    long long after = db_value(&S,
                               "SELECT last_day FROM sessions WHERE account_id ="
                               " (SELECT id FROM accounts WHERE handle = ?)",
                               "vchera");
    assert_int_equal(after, before + 1);
    client_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(list_shows_days_and_no_address),
        cmocka_unit_test(a_session_can_be_named),
        cmocka_unit_test(ending_one_session),
        cmocka_unit_test(ending_all_others),
        cmocka_unit_test(last_used_is_noted_once_a_day),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
