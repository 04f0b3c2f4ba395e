/* The smallest end-to-end check: the server starts on a real port with a
 * demo database, answers /healthz, signs a demo account in, and stops
 * cleanly on SIGTERM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/testsrv.h"

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

static void healthz_answers_json(void **state)
{
    (void)state;
    struct client c;
    client_init(&c, &S);
    struct resp r;
    assert_int_equal(client_get(&c, "/healthz", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(r.json);
    assert_string_equal(json_string_value(json_object_get(r.json, "status")), "ok");
    resp_free(&r);
    client_free(&c);
}

static void demo_account_signs_in(void **state)
{
    (void)state;
    struct client c;
    client_init(&c, &S);
    assert_int_equal(client_login(&c, "organizer", "demo-demo"), 0);
    struct resp r;
    assert_int_equal(client_get(&c, "/", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Тихо вместе")); /* the secret one, seen by its member */
    resp_free(&r);
    client_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(healthz_answers_json),
        cmocka_unit_test(demo_account_signs_in),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
