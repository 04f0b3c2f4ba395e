/*
 * Browser journeys through the areas, all with JavaScript off (the pages
 * must work in Tor Browser's safest mode):
 *  - strategy: a personal value, a shared value grown from it, the members'
 *    vote, the vote's end, the value adopted, a goal with an action, the
 *    owner's report from the plan, the goal deleted through its confirmation
 *    page;
 *  - sense of community: answering an open wave, a mistake first;
 *  - surveys: a resident without an account answers by the survey's link;
 *  - talent bank: from "add a need" to "request accepted".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "browser/webdriver.h"
#include "lib/testsrv.h"

#include <sqlite3.h>
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

static void go(const char *path)
{
    char url[512];
    snprintf(url, sizeof url, "%s%s", S.base, path);
    assert_int_equal(wd_get(W, url), 0);
}

static int has(const char *needle)
{
    char *src = wd_source(W);
    int found = src && strstr(src, needle) != NULL;
    free(src);
    return found;
}

static void sign_in(const char *handle)
{
    go("/login");
    assert_int_equal(wd_type(W, "#handle", handle), 0);
    assert_int_equal(wd_type(W, "#password", "demo-demo"), 0);
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]"), 0);
    assert_true(has("Вы вошли"));
}

static void sign_out(void)
{
    go("/");
    assert_int_equal(wd_click_nav(W, "form[action='/logout'] button"), 0);
}

/* Ends every open value vote of a community now, as time would. */
static void end_votes(const char *slug)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(S.db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char sql[300];
    snprintf(sql, sizeof sql,
             "UPDATE shared_values SET closes_at = unixepoch() - 1 WHERE community_id ="
             " (SELECT id FROM communities WHERE slug = '%s')",
             slug);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void strategy_from_personal_value_to_action(void **state)
{
    (void)state;
    /* In the board-games club "member" organizes and "organizer" is a
     * member; six members, so two votes make the third that must vote. */
    sign_in("organizer");
    go("/c/nastolki-na-raene/strategy/mine");
    wd_click(W, "input[name=kind][value=value]");
    assert_int_equal(wd_type(W, "#text", "Учиться друг у друга новым играм"), 0);
    wd_select(W, "#shared_with", "members");
    assert_int_equal(wd_click_nav(W, "form[action$='/strategy/mine'] button[type=submit]"), 0);
    go("/c/nastolki-na-raene/strategy/mine");
    assert_true(has("Учиться друг у друга новым играм"));

    go("/c/nastolki-na-raene/strategy/values");
    assert_int_equal(wd_type(W, "#title", "Открытость к новичкам"), 0);
    assert_int_equal(wd_click(W, "input[name=roots]"), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/strategy/values'] button[type=submit]"), 0);
    go("/c/nastolki-na-raene/strategy/values");
    assert_true(has("Открытость к новичкам"));
    assert_int_equal(wd_click_nav(W, "form[action*='/vote'] button[value=yes]"), 0);
    sign_out();

    sign_in("member");
    go("/c/nastolki-na-raene/strategy/values");
    assert_int_equal(wd_click_nav(W, "form[action*='/vote'] button[value=yes]"), 0);
    end_votes("nastolki-na-raene");
    go("/c/nastolki-na-raene/strategy/values");
    assert_true(has("Открытость к новичкам <span class=\"tag\">принята</span>"));
    go("/c/nastolki-na-raene/strategy");
    assert_true(has("Открытость к новичкам")); /* on the canvas' values level */

    /* A goal, then an action with an owner, seen in the plan. */
    assert_int_equal(wd_type(W, "#goal_title", "Игровой вечер каждую неделю"), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/strategy/goals'] button[type=submit]"), 0);
    go("/c/nastolki-na-raene/strategy");
    assert_int_equal(wd_type(W, "#action_title", "Договориться с библиотекой о четвергах"), 0);
    assert_int_equal(wd_select(W, "#owner", "member"), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/strategy/actions'] button[type=submit]"), 0);
    go("/c/nastolki-na-raene/strategy/plan?by=person");
    assert_true(has("Договориться с библиотекой о четвергах"));

    /* The owner reports on the action from the plan. */
    assert_int_equal(wd_select(W, "select[name=status]", "in_progress"), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/status'] button[type=submit]"), 0);
    go("/c/nastolki-na-raene/strategy/plan?by=person");
    assert_true(has("в работе"));

    /* Deleting the goal asks first, on a page of its own, and says what goes. */
    go("/c/nastolki-na-raene/strategy");
    assert_int_equal(wd_click_nav(W, "a.danger[href$='/delete'][href*='/goals/']"), 0);
    assert_true(has("Удалить цель?"));
    assert_true(has("Игровой вечер каждую неделю"));
    assert_true(has("Вместе с целью удалятся: 1 действие.")); /* no "0 подцелей" */
    assert_int_equal(wd_click_nav(W, "form[action*='/goals/'] button[type=submit]"), 0);
    go("/c/nastolki-na-raene/strategy");
    assert_false(has("Игровой вечер каждую неделю"));
    sign_out();
}

static void soc_wave_answered(void **state)
{
    (void)state;
    /* The Green quarter has an open wave; its organizer has not answered. */
    sign_in("organizer");
    go("/c/zelenyj-kvartal/soc");
    wd_click(W, "input[name=membership][value='8']");
    wd_click(W, "input[name=influence][value='5']");
    wd_click(W, "input[name=integration][value='6']");
    /* the fourth factor is forgotten: the form says so and keeps the rest */
    assert_int_equal(wd_click_nav(W, "form[action$='/answer'] button[type=submit]"), 0);
    assert_true(wd_count(W, ".field-error") >= 1);
    assert_int_equal(wd_count(W, "input[name=membership][value='8']:checked"), 1);
    wd_click(W, "input[name=connection][value='7']");
    assert_int_equal(wd_click_nav(W, "form[action$='/answer'] button[type=submit]"), 0);
    go("/c/zelenyj-kvartal/soc");
    /* The answer is in the ballot box: the page says so, and neither shows
     * it back nor offers to send another. */
    assert_true(has("Вы ответили"));
    assert_int_equal(wd_count(W, "input[name=connection]"), 0);
    assert_false(has("Медиана")); /* three answers: below k, nothing is shown */
    sign_out();
}

/* A link survey made through the API by the club's organizer. */
static char *make_link_survey(void)
{
    struct client c;
    client_init(&c, &S);
    assert_int_equal(client_login(&c, "member", "demo-demo"), 0);
    struct resp r;
    assert_int_equal(
        client_post(&c, "/c/nastolki-na-raene/surveys", 0, &r, "template", "blank", NULL), 0);
    char loc[200];
    assert_int_equal(resp_header(&r, "Location", loc, sizeof loc), 0);
    resp_free(&r);
    long id = 0;
    assert_int_equal(sscanf(loc, "/c/nastolki-na-raene/surveys/%ld/edit", &id), 1);
    char path[200];
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/questions", id);
    assert_int_equal(client_post(&c, path, 0, &r, "kind", "short", "text", "Во что поиграть?",
                                 "required", "1", NULL),
                     0);
    resp_free(&r);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/edit", id);
    assert_int_equal(client_post(&c, path, 0, &r, "title", "Игры на лето", "audience", "link",
                                 "anonymous", "1", "opens_on", "2020-01-01", "closes_on",
                                 "2099-12-31", NULL),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/publish", id);
    assert_int_equal(client_post(&c, path, 0, &r, NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld", id);
    assert_int_equal(client_get(&c, path, 1, &r), 0);
    const char *link = json_string_value(json_object_get(r.json, "link"));
    assert_non_null(link);
    char *out = strdup(link);
    resp_free(&r);
    client_free(&c);
    return out;
}

static void survey_answered_by_link(void **state)
{
    (void)state;
    char *link = make_link_survey();
    go(link); /* a resident with no account */
    assert_true(has("Во что поиграть?"));
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]"), 0);
    assert_true(wd_count(W, ".field-error") >= 1); /* the question is required */
    assert_int_equal(wd_type(W, "main form input:not([type=hidden])", "Каркассон"), 0);
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]"), 0);
    assert_true(has("Спасибо"));
    go(link);
    assert_true(has("уже ответили")); /* once per browser */
    free(link);
}

static void talent_need_to_accepted_request(void **state)
{
    (void)state;
    sign_in("member");
    go("/c/dvor-sadovaya-12/talents/new");
    wd_click(W, "input[name=kind][value=need]");
    assert_int_equal(wd_select(W, "#category", "repairs"), 0);
    assert_int_equal(wd_type(W, "#title", "Нужен электрик: искрит розетка в коридоре"), 0);
    assert_int_equal(wd_type(W, "#tags", "электрика, розетка"), 0);
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]"), 0);
    assert_true(has("Нужен электрик"));
    assert_true(has("Электрик с допуском")); /* the organizer's skill is a match */
    assert_int_equal(wd_click_nav(W, "li.card a[href*='/talents/']"), 0);
    assert_true(has("Электрик с допуском"));
    assert_int_equal(wd_type(W, "#message", "Посмотрите, пожалуйста, розетку — искрит."), 0);
    assert_int_equal(wd_type(W, "#contact", "Telegram @marina_sad"), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/ask'] button[type=submit]"), 0);
    sign_out();

    sign_in("organizer");
    go("/c/dvor-sadovaya-12/talents/requests");
    assert_true(has("искрит"));
    assert_false(has("@marina_sad")); /* no contact before both agree */
    assert_int_equal(wd_type(W, "form[action$='/accept'] input[name=contact]", "+375 29 000-00-00"),
                     0);
    assert_int_equal(wd_click_nav(W, "form[action$='/accept'] button[type=submit]"), 0);
    go("/c/dvor-sadovaya-12/talents/requests");
    assert_true(has("Telegram @marina_sad"));
    sign_out();

    sign_in("member");
    go("/c/dvor-sadovaya-12/talents/requests");
    assert_true(has("+375 29 000-00-00")); /* she sees his contact now */
    sign_out();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strategy_from_personal_value_to_action),
        cmocka_unit_test(soc_wave_answered),
        cmocka_unit_test(survey_answered_by_link),
        cmocka_unit_test(talent_need_to_accepted_request),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
