/*
 * Browser tests: Debian's Chromium, headless, driven through chromedriver,
 * against a real server. The whole path a newcomer takes: sign in, create
 * a community, make an invitation, open it as another person and accept.
 * Run twice: with JavaScript on and off (the pages must not need it).
 *
 * HRAMADA_SCREENSHOTS=DIR saves screenshots of the main pages there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/browse.h"
#include "lib/testsrv.h"

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

static void shot(struct wd *w, const char *name)
{
    const char *dir = getenv("HRAMADA_SCREENSHOTS");
    if (!dir) return;
    char path[512];
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    wd_screenshot(w, path);
}

/* The journey; slug differs per run so both runs can share the server. */
static void journey(int js)
{
    struct wd *w = wd_open(js);
    assert_non_null(w);
    wd_set_window(w, 1200, 900);
    const char *slug = js ? "brows-js" : "brows-nojs";

    /* A wrong password shows the error on the form, not a crash page. */
    browse_go(w, &S, "/login");
    wd_type(w, "#handle", "organizer");
    wd_type(w, "#password", "wrong-password");
    assert_int_equal(wd_click_nav(w, "main form button[type=submit]"), 0);
    assert_true(browse_has(w, "Неверное имя пользователя или пароль"));

    browse_sign_in(w, &S, "organizer");
    assert_true(browse_has(w, "Вы вошли"));
    assert_true(browse_has(w, "Тихо вместе")); /* a secret community this member sees */
    shot(w, "home");
    if (js && getenv("HRAMADA_SCREENSHOTS")) {
        browse_go(w, &S, "/c/dvor-sadovaya-12");
        wd_set_window(w, 1200, 1500);
        shot(w, "demo-dashboard");
        wd_set_window(w, 1200, 900);
    }

    /* Create a community; first with a mistake, then corrected. */
    browse_go(w, &S, "/c/new");
    wd_type(w, "#name", "Соседи с Липовой");
    /* With JavaScript the address is suggested while the name is typed
     * (static/slug.js); without it the field stays empty for the server. */
    char *suggested = wd_prop(w, "#slug", "value");
    assert_string_equal(suggested, js ? "sosedi-s-lipovoy" : "");
    free(suggested);
    wd_type(w, "#slug", "Bad Slug!");
    wd_click(w, "input[name=prereq][value=places]");
    assert_int_equal(wd_click_nav(w, "main form button[type=submit]"), 0);
    assert_int_equal(wd_count(w, "#slug-error"), 1);
    char *kept = wd_prop(w, "#name", "value");
    assert_string_equal(kept, "Соседи с Липовой"); /* the input is kept */
    free(kept);
    assert_int_equal(wd_count(w, "input[name=prereq][value=places]:checked"), 1);
    wd_type(w, "#slug", slug);
    wd_type(w, "#description",
            "Договариваемся о **дворе** и <script>alert(1)</script> праздниках.");
    assert_int_equal(wd_click_nav(w, "main form button[type=submit]"), 0);
    char *url = wd_url(w);
    assert_non_null(strstr(url, slug));
    free(url);
    assert_true(browse_has(w, "Сообщество создано"));
    assert_true(browse_has(w, "<strong>дворе</strong>"));
    assert_false(browse_has(w, "<script>alert(1)</script>"));
    shot(w, js ? "dashboard" : "dashboard-nojs");

    /* An invitation, with its QR code. */
    char path[128];
    snprintf(path, sizeof path, "/c/%s/invite", slug);
    browse_go(w, &S, path);
    assert_int_equal(wd_click_nav(w, "main form button[type=submit]"), 0);
    assert_int_equal(wd_count(w, ".qr svg"), 1);
    char *link = wd_prop(w, "#link", "value");
    assert_non_null(link);
    assert_non_null(strstr(link, "/i/"));
    shot(w, "invite");
    browse_sign_out(w, NULL);

    /* The newcomer opens it, signs in from there and accepts. */
    assert_int_equal(wd_get(w, link), 0);
    assert_true(browse_has(w, "Соседи с Липовой"));
    assert_int_equal(wd_click_nav(w, "a.button[href^='/login']"), 0);
    wd_type(w, "#handle", "newcomer");
    wd_type(w, "#password", "demo-demo");
    assert_int_equal(wd_click_nav(w, "main form button[type=submit]"), 0);
    assert_int_equal(wd_click_nav(w, "main form button[type=submit]"), 0); /* accept */
    assert_true(browse_has(w, "Вы вступили в сообщество"));
    snprintf(path, sizeof path, "/c/%s/members", slug);
    browse_go(w, &S, path);
    assert_true(browse_has(w, "Новичок"));
    browse_sign_out(w, NULL);

    /* A used single-use link says so. */
    assert_int_equal(wd_get(w, link), 0);
    assert_true(browse_has(w, "воспользовались"));
    free(link);
    wd_close(w);
}

static void journey_with_javascript(void **state)
{
    (void)state;
    journey(1);
}

static void journey_without_javascript(void **state)
{
    (void)state;
    journey(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(journey_with_javascript),
        cmocka_unit_test(journey_without_javascript),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
