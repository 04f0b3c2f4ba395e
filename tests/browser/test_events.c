/* Events in a real headless Chromium without JavaScript: an organizer
 * makes an event with two places, a member registers for it and sees it in
 * the calendar as registered, another member lands on the waiting list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/browse.h"
#include "lib/httpx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv S;
static struct wd *W;

static int setup(void **state)
{
    (void)state;
    if (srv_start(&S, 1, NULL) != 0) return -1;
    W = wd_open(0);
    return W ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    wd_close(W);
    return srv_stop(&S) == 0 ? 0 : -1;
}

static void event_made_registered_and_in_the_calendar(void **state)
{
    (void)state;
    browse_sign_in(W, &S, "organizer");
    assert_true(browse_has(W, "Вы вошли"));
    browse_go(W, &S, "/c/dvor-sadovaya-12/events");
    assert_int_equal(wd_click_nav(W, "nav.area-nav a[href$='/events/new']"), 0);
    assert_int_equal(wd_select(W, "#kind", "club"), 0);
    assert_int_equal(wd_type(W, "#title", "Вечер настольных игр"), 0);
    assert_int_equal(wd_type(W, "#description", "Приносите свои игры."), 0);
    /* a wrong time first: the error beside the field, the input kept */
    assert_int_equal(wd_type(W, "#start", "в пятницу вечером"), 0);
    assert_int_equal(wd_type(W, "#end", "2030-09-06T21:00"), 0);
    assert_int_equal(wd_type(W, "#capacity", "1"), 0);
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]"), 0);
    assert_true(browse_has(W, "ГГГГ-ММ-ДДTЧЧ:ММ, например"));
    assert_true(browse_has(W, "Вечер настольных игр"));
    assert_int_equal(wd_type(W, "#start", "2030-09-06T18:30"), 0);
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]"), 0);
    assert_true(browse_has(W, "Событие создано"));
    char *url = wd_url(W);
    assert_non_null(url);
    browse_sign_out(W, &S);

    browse_sign_in(W, &S, "member");
    assert_int_equal(wd_get(W, url), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/register'] button[type=submit]"), 0);
    assert_true(browse_has(W, "Вы записаны"));
    browse_go(W, &S, "/c/dvor-sadovaya-12/events");
    assert_true(browse_has(W, "Вечер настольных игр"));
    assert_true(browse_has(W, "2030-09-06"));
    assert_true(browse_has(W, "вы записаны"));
    browse_sign_out(W, &S);

    browse_sign_in(W, &S, "dvor-sadovaya-12-1");
    assert_int_equal(wd_get(W, url), 0);
    assert_true(browse_has(W, "Встать в лист ожидания"));
    assert_int_equal(wd_click_nav(W, "form[action$='/register'] button[type=submit]"), 0);
    assert_true(browse_has(W, "вы в листе ожидания"));
    browse_sign_out(W, &S);
    free(url);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(event_made_registered_and_in_the_calendar),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
