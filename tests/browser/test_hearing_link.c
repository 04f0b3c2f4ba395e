/* A public hearing in a real headless Chromium without JavaScript: a
 * resident without an account opens the demo hearing's participation
 * link, reads an item's document and comments with her name; the chair
 * answers her comment and closes the hearing; the final document, drafted
 * at the close, is published and read through the link. */
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

static void resident_comments_chair_answers_document_published(void **state)
{
    (void)state;
    long long ev = db_value(&S,
                            "SELECT event_id FROM assemblies WHERE kind = 'hearing'"
                            " AND state = ? ORDER BY id LIMIT 1",
                            "open");
    assert_true(ev > 0);
    char base[128], hp[160], link[256], path[400];
    snprintf(base, sizeof base, "/c/dvor-sadovaya-12/events/%lld/assembly", ev);
    snprintf(hp, sizeof hp, "%s/hearing", base);
    struct client org;
    login_as(&org, &S, "organizer");
    json_t *v = view_json(&org, hp);
    assert_non_null(jstr(v, "link_url"));
    snprintf(link, sizeof link, "%s", jstr(v, "link_url"));
    long long item = json_integer_value(jget(v, "items.0.id"));
    json_decref(v);
    client_free(&org);

    /* the resident, signed out */
    snprintf(path, sizeof path, "%s?item=%lld", link, item);
    browse_go(W, &S, path);
    assert_true(browse_has(W, "резиновое покрытие"));
    assert_int_equal(wd_type(W, "#body", "Сделайте пандус для колясок у входа на площадку."), 0);
    assert_int_equal(wd_type(W, "#name", "Марина, дом 10"), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/comments'] button[type=submit]"), 0);
    assert_true(browse_has(W, "Замечание отправлено"));
    assert_true(browse_has(W, "Сделайте пандус для колясок"));
    assert_true(browse_has(W, "Марина, дом 10"));
    long long cid = db_value(&S, "SELECT max(id) FROM hearing_comments WHERE ? IS NOT NULL", "x");

    /* the chair answers and closes the hearing */
    browse_sign_in(W, &S, "organizer");
    snprintf(path, sizeof path, "%s?item=%lld", hp, item);
    browse_go(W, &S, path);
    char sel[160];
    snprintf(sel, sizeof sel, "#comment-%lld textarea[name=answer]", cid);
    assert_int_equal(wd_type(W, sel, "Пандус добавим в проект."), 0);
    snprintf(sel, sizeof sel, "#comment-%lld form[action$='/answer'] button", cid);
    assert_int_equal(wd_click_nav(W, sel), 0);
    assert_true(browse_has(W, "Пандус добавим в проект."));
    browse_go(W, &S, base);
    assert_int_equal(wd_click_nav(W, "form[action$='/state'] button[type=submit]"), 0);
    snprintf(path, sizeof path, "%s/final", hp);
    browse_go(W, &S, path);
    assert_true(browse_has(W, "Итоговый документ публичных слушаний"));
    assert_true(browse_has(W, "Пандус добавим в проект."));
    assert_int_equal(wd_click_nav(W, "form[action$='/publish'] button[type=submit]"), 0);
    assert_true(browse_has(W, "Итоговый документ опубликован"));
    assert_int_equal(wd_count(W, "#body"), 0); /* frozen: no edit form */
    browse_sign_out(W, &S);

    /* the resident reads it through the link */
    snprintf(path, sizeof path, "%s/final", link);
    browse_go(W, &S, path);
    assert_true(browse_has(W, "Сделайте пандус для колясок"));
    assert_true(browse_has(W, "Пандус добавим в проект."));
    assert_false(browse_has(W, "Марина, дом 10")); /* the document names nobody */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(resident_comments_chair_answers_document_published),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
