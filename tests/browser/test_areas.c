/*
 * Browser journeys through the areas, all with JavaScript off (the pages
 * must work in Tor Browser's safest mode):
 *  - strategy: a personal value, a shared value grown from it, the members'
 *    vote, the vote's end, the value adopted, a goal with an action, the
 *    owner's report from the plan, the goal deleted through its confirmation
 *    page;
 *  - sense of community: answering an open wave, a mistake first;
 *  - surveys: a resident without an account answers by the survey's link;
 *  - talent bank: from "add a need" to "request accepted";
 *  - initiatives: the organizers' threshold, a member's proposal, two
 *    supports that reach it (the idea goes to the queue), the organizer
 *    takes it into work;
 *  - budgets: a member's ballot over the budget (the exact excess, the
 *    choice kept), the total counted by the server, the ballot cast with
 *    its receipt; last year's results with their reasons.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/browse.h"
#include "lib/httpx.h"

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
    browse_sign_in(W, &S, "organizer");
    assert_true(browse_has(W, "Вы вошли"));
    browse_go(W, &S, "/c/nastolki-na-raene/strategy/mine");
    wd_click(W, "input[name=kind][value=value]");
    assert_int_equal(wd_type(W, "#text", "Учиться друг у друга новым играм"), 0);
    wd_select(W, "#shared_with", "members");
    assert_int_equal(wd_click_nav(W, "form[action$='/strategy/mine'] button[type=submit]"), 0);
    browse_go(W, &S, "/c/nastolki-na-raene/strategy/mine");
    assert_true(browse_has(W, "Учиться друг у друга новым играм"));

    browse_go(W, &S, "/c/nastolki-na-raene/strategy/values");
    assert_int_equal(wd_type(W, "#title", "Открытость к новичкам"), 0);
    assert_int_equal(wd_click(W, "input[name=roots]"), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/strategy/values'] button[type=submit]"), 0);
    browse_go(W, &S, "/c/nastolki-na-raene/strategy/values");
    assert_true(browse_has(W, "Открытость к новичкам"));
    assert_int_equal(wd_click_nav(W, "form[action*='/vote'] button[value=yes]"), 0);
    browse_sign_out(W, &S);

    browse_sign_in(W, &S, "member");
    assert_true(browse_has(W, "Вы вошли"));
    browse_go(W, &S, "/c/nastolki-na-raene/strategy/values");
    assert_int_equal(wd_click_nav(W, "form[action*='/vote'] button[value=yes]"), 0);
    end_votes("nastolki-na-raene");
    browse_go(W, &S, "/c/nastolki-na-raene/strategy/values");
    assert_true(browse_has(W, "Открытость к новичкам <span class=\"tag\">принята</span>"));
    browse_go(W, &S, "/c/nastolki-na-raene/strategy");
    assert_true(browse_has(W, "Открытость к новичкам")); /* on the canvas' values level */

    /* A goal, then an action with an owner, seen in the plan. */
    assert_int_equal(wd_type(W, "#goal_title", "Игровой вечер каждую неделю"), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/strategy/goals'] button[type=submit]"), 0);
    browse_go(W, &S, "/c/nastolki-na-raene/strategy");
    assert_int_equal(wd_type(W, "#action_title", "Договориться с библиотекой о четвергах"), 0);
    char owner[24]; /* the owner is chosen by member id, offered by name */
    snprintf(owner, sizeof owner, "%lld", member_id_of(&S, "nastolki-na-raene", "member"));
    assert_int_equal(wd_select(W, "#owner", owner), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/strategy/actions'] button[type=submit]"), 0);
    browse_go(W, &S, "/c/nastolki-na-raene/strategy/plan?by=person");
    assert_true(browse_has(W, "Договориться с библиотекой о четвергах"));

    /* The owner reports on the action from the plan. */
    assert_int_equal(wd_select(W, "select[name=status]", "in_progress"), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/status'] button[type=submit]"), 0);
    browse_go(W, &S, "/c/nastolki-na-raene/strategy/plan?by=person");
    assert_true(browse_has(W, "в работе"));

    /* Deleting the goal asks first, on a page of its own, and says what goes. */
    browse_go(W, &S, "/c/nastolki-na-raene/strategy");
    assert_int_equal(wd_click_nav(W, "a.danger[href$='/delete'][href*='/goals/']"), 0);
    assert_true(browse_has(W, "Удалить цель?"));
    assert_true(browse_has(W, "Игровой вечер каждую неделю"));
    assert_true(browse_has(W, "Вместе с целью удалятся: 1 действие.")); /* no "0 подцелей" */
    assert_int_equal(wd_click_nav(W, "form[action*='/goals/'] button[type=submit]"), 0);
    browse_go(W, &S, "/c/nastolki-na-raene/strategy");
    assert_false(browse_has(W, "Игровой вечер каждую неделю"));
    browse_sign_out(W, &S);
}

static void soc_wave_answered(void **state)
{
    (void)state;
    /* The Green quarter has an open wave; its organizer has not answered. */
    browse_sign_in(W, &S, "organizer");
    assert_true(browse_has(W, "Вы вошли"));
    browse_go(W, &S, "/c/zelenyj-kvartal/soc");
    wd_click(W, "input[name=membership][value='8']");
    wd_click(W, "input[name=influence][value='5']");
    wd_click(W, "input[name=integration][value='6']");
    /* the fourth factor is forgotten: the form says so and keeps the rest */
    assert_int_equal(wd_click_nav(W, "form[action$='/answer'] button[type=submit]"), 0);
    assert_true(wd_count(W, ".field-error") >= 1);
    assert_int_equal(wd_count(W, "input[name=membership][value='8']:checked"), 1);
    wd_click(W, "input[name=connection][value='7']");
    assert_int_equal(wd_click_nav(W, "form[action$='/answer'] button[type=submit]"), 0);
    browse_go(W, &S, "/c/zelenyj-kvartal/soc");
    /* The answer is in the ballot box: the page says so, and neither shows
     * it back nor offers to send another. */
    assert_true(browse_has(W, "Вы ответили"));
    assert_int_equal(wd_count(W, "input[name=connection]"), 0);
    assert_false(browse_has(W, "Медиана")); /* three answers: below k, nothing is shown */
    browse_sign_out(W, &S);
}

static void survey_answered_by_link(void **state)
{
    (void)state;
    char link[300];
    assert_int_equal(make_link_survey(&S, 1, link, sizeof link), 0);
    browse_go(W, &S, link); /* a resident with no account */
    assert_true(browse_has(W, "Во что поиграть?"));
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]"), 0);
    assert_true(wd_count(W, ".field-error") >= 1); /* the question is required */
    assert_int_equal(wd_type(W, "main form input:not([type=hidden])", "Каркассон"), 0);
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]"), 0);
    assert_true(browse_has(W, "Спасибо"));
    browse_go(W, &S, link);
    assert_true(browse_has(W, "уже ответили")); /* once per browser */
}

static void talent_need_to_accepted_request(void **state)
{
    (void)state;
    browse_sign_in(W, &S, "member");
    assert_true(browse_has(W, "Вы вошли"));
    browse_go(W, &S, "/c/dvor-sadovaya-12/talents/new");
    wd_click(W, "input[name=kind][value=need]");
    assert_int_equal(wd_select(W, "#category", "repairs"), 0);
    assert_int_equal(wd_type(W, "#title", "Нужен электрик: искрит розетка в коридоре"), 0);
    assert_int_equal(wd_type(W, "#tags", "электрика, розетка"), 0);
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]"), 0);
    assert_true(browse_has(W, "Нужен электрик"));
    assert_true(browse_has(W, "Электрик с допуском")); /* the organizer's skill is a match */
    assert_int_equal(wd_click_nav(W, "li.card a[href*='/talents/']"), 0);
    assert_true(browse_has(W, "Электрик с допуском"));
    assert_int_equal(wd_type(W, "#message", "Посмотрите, пожалуйста, розетку — искрит."), 0);
    assert_int_equal(wd_type(W, "#contact", "Telegram @marina_sad"), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/ask'] button[type=submit]"), 0);
    browse_sign_out(W, &S);

    browse_sign_in(W, &S, "organizer");
    assert_true(browse_has(W, "Вы вошли"));
    browse_go(W, &S, "/c/dvor-sadovaya-12/talents/requests");
    assert_true(browse_has(W, "искрит"));
    assert_false(browse_has(W, "@marina_sad")); /* no contact before both agree */
    assert_int_equal(wd_type(W, "form[action$='/accept'] input[name=contact]", "+375 29 000-00-00"),
                     0);
    assert_int_equal(wd_click_nav(W, "form[action$='/accept'] button[type=submit]"), 0);
    browse_go(W, &S, "/c/dvor-sadovaya-12/talents/requests");
    assert_true(browse_has(W, "Telegram @marina_sad"));
    browse_sign_out(W, &S);

    browse_sign_in(W, &S, "member");
    assert_true(browse_has(W, "Вы вошли"));
    browse_go(W, &S, "/c/dvor-sadovaya-12/talents/requests");
    assert_true(browse_has(W, "+375 29 000-00-00")); /* she sees his contact now */
    browse_sign_out(W, &S);
}

static void initiative_proposed_supported_accepted(void **state)
{
    (void)state;
    browse_sign_in(W, &S, "organizer");
    assert_true(browse_has(W, "Вы вошли"));
    browse_go(W, &S, "/c/dvor-sadovaya-12/initiatives/settings");
    assert_int_equal(wd_type(W, "#threshold", "2"), 0);
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]"), 0);
    assert_true(browse_has(W, "набрав 2 поддержки"));
    browse_sign_out(W, &S);

    browse_sign_in(W, &S, "member");
    browse_go(W, &S, "/c/dvor-sadovaya-12/initiatives");
    assert_int_equal(wd_click_nav(W, "nav.area-nav a[href$='/initiatives/new']"), 0);
    assert_int_equal(wd_type(W, "#title", "Горка для малышей во дворе"), 0);
    assert_int_equal(
        wd_type(W, "#problem", "Малышам негде кататься: старая горка слишком высокая."), 0);
    assert_int_equal(wd_type(W, "#proposal", "Поставить невысокую горку у песочницы."), 0);
    assert_int_equal(wd_select(W, "#direction", "landscaping"), 0);
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]"), 0);
    assert_true(browse_has(W, "Горка для малышей во дворе"));
    char *url = wd_url(W);
    assert_non_null(url);
    assert_int_equal(wd_click_nav(W, "form[action$='/support'] button[type=submit]"), 0);
    assert_true(browse_has(W, "вы поддерживаете"));
    browse_sign_out(W, &S);

    browse_sign_in(W, &S, "dvor-sadovaya-12-1");
    assert_int_equal(wd_get(W, url), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/support'] button[type=submit]"), 0);
    assert_true(browse_has(W, "В очереди организаторов"));
    browse_sign_out(W, &S);

    browse_sign_in(W, &S, "organizer");
    browse_go(W, &S, "/c/dvor-sadovaya-12/initiatives?state=queued");
    assert_true(browse_has(W, "Горка для малышей во дворе"));
    assert_int_equal(wd_get(W, url), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/accept'] button[type=submit]"), 0);
    assert_true(browse_has(W, "В работе: анализ настоящего"));
    assert_true(browse_has(W, "набран порог поддержки")); /* the history says how it got there */
    browse_sign_out(W, &S);
    free(url);
}

static void budget_ballot_with_receipt(void **state)
{
    (void)state;
    browse_sign_in(W, &S, "member");
    browse_go(W, &S, "/c/dvor-sadovaya-12/budgets");
    assert_int_equal(wd_click_nav(W, "main a[href$='/budgets/2']"), 0);
    assert_int_equal(wd_click_nav(W, "main a[href$='/vote']"), 0);
    /* the shelter, the benches and the containers: 185 000 of 150 000 */
    assert_int_equal(wd_click(W, "fieldset div.field:nth-of-type(1) input[type=checkbox]"), 0);
    assert_int_equal(wd_click(W, "fieldset div.field:nth-of-type(2) input[type=checkbox]"), 0);
    assert_int_equal(wd_click(W, "fieldset div.field:nth-of-type(4) input[type=checkbox]"), 0);
    assert_int_equal(wd_click_nav(W, "main form button[name=check]"), 0);
    assert_true(browse_has(W, "Превышение: 35"));
    assert_int_equal(wd_count(W, "input[type=checkbox]:checked"), 3);
    assert_int_equal(wd_click(W, "fieldset div.field:nth-of-type(4) input[type=checkbox]"), 0);
    assert_int_equal(wd_click_nav(W, "main form button[name=check]"), 0);
    assert_true(browse_has(W, "105"));
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]:not([name])"), 0);
    assert_true(browse_has(W, "Код квитанции"));
    browse_go(W, &S, "/c/dvor-sadovaya-12/budgets/1/results");
    assert_true(browse_has(W, "Куплен"));
    browse_sign_out(W, &S);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strategy_from_personal_value_to_action),
        cmocka_unit_test(soc_wave_answered),
        cmocka_unit_test(survey_answered_by_link),
        cmocka_unit_test(talent_need_to_accepted_request),
        cmocka_unit_test(initiative_proposed_supported_accepted),
        cmocka_unit_test(budget_ballot_with_receipt),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
