/* The strategy area over HTTP against the demo: every page, every form,
 * the bad inputs (422 with the message, nothing changed) and the rights of
 * anonymous visitors, strangers, members and organizers in public, closed
 * and secret communities. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv S;

/* Every element of a JSON array (spelled out so that linters see it). */
#define EACH(arr, i, x)                                                                            \
    for ((i) = 0; (i) < json_array_size(arr) && ((x) = json_array_get((arr), (i))) != NULL; (i)++)

#define DVOR "/c/dvor-sadovaya-12/strategy"
#define KV "/c/zelenyj-kvartal/strategy"

/* The member id (as text) that handle has in the community slug: an
 * action's owner is chosen by member id. Four calls may share a line. */
static const char *mid(const char *slug, const char *handle)
{
    static char buf[4][24];
    static int k;
    char *b = buf[k++ % 4];
    snprintf(b, sizeof buf[0], "%lld", member_id_of(&S, slug, handle));
    return b;
}

/* The same for the yard, whose actions most tests make. */
static const char *dvor_mid(const char *handle)
{
    return mid("dvor-sadovaya-12", handle);
}

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

static size_t count_of(struct client *c, const char *path, const char *key)
{
    json_t *v = view_json(c, path);
    size_t n = json_array_size(json_object_get(v, key));
    json_decref(v);
    return n;
}

/* Number of actions in the overview's goal tree. */
static size_t action_count(struct client *c, const char *path)
{
    json_t *v = view_json(c, path);
    size_t n = 0, i;
    json_t *g;
    EACH(json_object_get(v, "goals"), i, g) n += json_array_size(json_object_get(g, "actions"));
    json_decref(v);
    return n;
}

static const char *check_status(json_t *v, const char *id)
{
    size_t i;
    json_t *c;
    EACH(json_object_get(json_object_get(v, "checks"), "checks"), i, c)
    if (strcmp(json_string_value(json_object_get(c, "id")), id) == 0)
        return json_string_value(json_object_get(c, "status"));
    return "";
}

/* ---- reading and rights ---- */

static void public_strategy_is_readable_by_all(void **state)
{
    (void)state;
    struct client c;
    login_as(&c, &S, NULL);
    char *b = get_html(&c, DVOR);
    assert_non_null(strstr(b, "<svg"));
    assert_non_null(strstr(b, "Пирамида Дилтса"));
    assert_non_null(strstr(b, "Безопасный двор для детей"));
    assert_non_null(strstr(b, "Проверка ошибок"));
    assert_null(strstr(b, "name=\"goal_title\"")); /* no staff forms */
    free(b);
    json_t *v = view_json(&c, DVOR);
    assert_false(json_is_true(json_object_get(v, "is_member")));
    assert_null(json_object_get(v, "members"));
    assert_null(json_object_get(v, "all_values"));
    json_t *a0 = NULL, *g;
    size_t gi;
    EACH(json_object_get(v, "goals"), gi, g)
    if (!a0) a0 = json_array_get(json_object_get(g, "actions"), 0);
    assert_non_null(a0);
    assert_null(json_object_get(a0, "owner")); /* owners are for members */
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "checks"), "worst")),
                        "warning");
    json_decref(v);
    assert_int_equal(get_status(&c, DVOR "/values", 0), 200);
    v = view_json(&c, DVOR "/values");
    json_t *val;
    size_t vi;
    EACH(json_object_get(v, "values"), vi, val)
    {
        assert_null(json_object_get(val, "roots"));
        assert_null(json_object_get(val, "proposer"));
    }
    assert_true(vi > 0);
    json_decref(v);
    assert_int_equal(get_status(&c, DVOR "/plan", 0), 200);
    assert_int_equal(get_status(&c, DVOR "/text/mission", 0), 200);
    assert_int_equal(get_status(&c, DVOR "/text/nonsense", 0), 404);
    assert_int_equal(get_status(&c, DVOR "/mine", 1), 401);
    client_free(&c);
}

static void closed_and_secret_are_for_members(void **state)
{
    (void)state;
    struct client anon, stranger, org;
    login_as(&anon, &S, NULL);
    login_as(&stranger, &S, "newcomer");
    login_as(&org, &S, "organizer");
    assert_int_equal(get_status(&anon, KV, 1), 401);
    assert_int_equal(get_status(&stranger, KV, 1), 403);
    assert_int_equal(get_status(&stranger, KV "/values", 1), 403);
    assert_int_equal(get_status(&stranger, KV "/export.json", 0), 403);
    assert_int_equal(get_status(&stranger, KV "/export.md", 0), 403);
    assert_int_equal(get_status(&stranger, "/c/tiho-vmeste/strategy", 1), 404);
    assert_int_equal(get_status(&anon, "/c/tiho-vmeste/strategy", 1), 404);
    assert_int_equal(get_status(&org, "/c/tiho-vmeste/strategy", 1), 200);
    /* the Green Quarter's mistakes show as problems */
    json_t *v = view_json(&org, KV);
    assert_string_equal(check_status(v, "rules_values"), "problem");
    assert_string_equal(check_status(v, "goals_actions"), "problem");
    assert_string_equal(check_status(v, "values_owned"), "problem");
    json_decref(v);
    v = view_json(&org, DVOR);
    assert_string_equal(check_status(v, "rules_values"), "ok");
    assert_string_equal(check_status(v, "goals_actions"), "ok");
    assert_string_equal(check_status(v, "no_rules"), "ok");
    assert_string_equal(check_status(v, "values_owned"), "ok");
    json_decref(v);
    client_free(&anon);
    client_free(&stranger);
    client_free(&org);
}

static void dashboard_has_the_mistakes_panel(void **state)
{
    (void)state;
    struct client org, anon;
    login_as(&org, &S, "organizer");
    login_as(&anon, &S, NULL);
    char *b = get_html(&org, "/c/zelenyj-kvartal");
    assert_non_null(strstr(b, "Проверка ошибок"));
    assert_non_null(strstr(b, "status-problem"));
    assert_non_null(strstr(b, "На встречи не опаздывать"));
    free(b);
    json_t *v = view_json(&anon, "/c/dvor-sadovaya-12");
    size_t i;
    json_t *p;
    EACH(json_object_get(v, "panels"), i, p)
    assert_string_not_equal(json_string_value(json_object_get(p, "area")), "strategy");
    json_decref(v);
    client_free(&org);
    client_free(&anon);
}

/* ---- personal values ---- */

static void personal_values_stay_private(void **state)
{
    (void)state;
    struct client mem, org;
    login_as(&mem, &S, "member");
    login_as(&org, &S, "organizer");
    POST(&mem, DVOR "/mine", 303, "kind", "value", "text", "Тишина после десяти вечера",
         "shared_with", "private");
    POST(&mem, DVOR "/mine", 303, "kind", "goal", "text", "Свой огород на крыше", "shared_with",
         "members");
    char *b = get_html(&mem, DVOR "/mine");
    assert_non_null(strstr(b, "Тишина после десяти вечера"));
    free(b);
    b = get_html(&org, DVOR "/mine");
    assert_null(strstr(b, "Тишина после десяти вечера"));
    assert_non_null(strstr(b, "Свой огород на крыше"));
    free(b);
    b = get_html(&org, DVOR "/values");
    assert_null(strstr(b, "Тишина после десяти вечера"));
    free(b);
    /* the organizer cannot delete the member's note */
    json_t *v = view_json(&mem, DVOR "/mine");
    long long id = find_id(json_object_get(v, "mine"), "text", "Тишина после десяти вечера");
    json_decref(v);
    assert_true(id > 0);
    char path[128];
    snprintf(path, sizeof path, DVOR "/mine/%lld/delete", id);
    POST(&org, path, 404, "x", "");
    POST(&mem, path, 303, "x", "");
    assert_int_equal(find_id(json_object_get(v = view_json(&mem, DVOR "/mine"), "mine"), "text",
                             "Тишина после десяти вечера"),
                     0);
    json_decref(v);
    client_free(&mem);
    client_free(&org);
}

static void personal_values_bad_input(void **state)
{
    (void)state;
    struct client mem;
    login_as(&mem, &S, "member");
    size_t before = count_of(&mem, DVOR "/mine", "mine");
    char *b = post_expect(&mem, DVOR "/mine", 422, "kind", "value", "text", "   ", END);
    assert_non_null(strstr(b, "field-error"));
    free(b);
    char long_text[700];
    memset(long_text, 'a', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = 0;
    POST(&mem, DVOR "/mine", 422, "kind", "value", "text", long_text);
    POST(&mem, DVOR "/mine", 422, "kind", "secret", "text", "Что-то");
    POST(&mem, DVOR "/mine", 422, "kind", "value", "text", "Что-то", "shared_with", "world");
    struct resp r;
    assert_int_equal(client_post(&mem, DVOR "/mine", 1, &r, "kind", "value", "text", "", END), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(r.json);
    assert_non_null(field_error(&r, "text"));
    resp_free(&r);
    assert_int_equal(count_of(&mem, DVOR "/mine", "mine"), before);
    struct client stranger;
    login_as(&stranger, &S, "newcomer");
    POST(&stranger, DVOR "/mine", 403, "kind", "value", "text", "Я не отсюда");
    client_free(&stranger);
    client_free(&mem);
}

/* ---- shared values and the vote ---- */

static void values_are_proposed_and_voted(void **state)
{
    (void)state;
    struct client mem, org, stranger;
    login_as(&mem, &S, "member");
    login_as(&org, &S, "organizer");
    login_as(&stranger, &S, "newcomer");
    POST(&mem, DVOR "/mine", 303, "kind", "value", "text", "Уважение к чужому отдыху",
         "shared_with", "members");
    json_t *v = view_json(&mem, DVOR "/mine");
    long long root = find_id(json_object_get(v, "mine"), "text", "Уважение к чужому отдыху");
    json_decref(v);
    char rs[32];
    snprintf(rs, sizeof rs, "%lld", root);
    POST(&mem, DVOR "/values", 303, "title", "Тишина и покой", "description", "Бережём сон соседей",
         "roots", rs);
    v = view_json(&mem, DVOR "/values");
    json_t *vals = json_object_get(v, "values");
    long long id = find_id(vals, "title", "Тишина и покой");
    assert_true(id > 0);
    size_t i;
    json_t *x;
    EACH(vals, i, x) if (json_integer_value(json_object_get(x, "id")) == id)
    {
        assert_string_equal(json_string_value(json_object_get(x, "state")), "open");
        assert_int_equal(json_integer_value(json_object_get(x, "holders")), 1);
    }
    json_decref(v);
    char path[128];
    snprintf(path, sizeof path, DVOR "/values/%lld/vote", id);
    POST(&mem, path, 303, "vote", "yes");
    POST(&org, path, 303, "vote", "yes");
    POST(&org, path, 422, "vote", "maybe");
    POST(&stranger, path, 403, "vote", "yes");
    v = view_json(&org, DVOR "/values");
    EACH(json_object_get(v, "values"), i, x) if (json_integer_value(json_object_get(x, "id")) == id)
    {
        assert_int_equal(json_integer_value(json_object_get(x, "yes")), 2);
        assert_true(json_is_true(json_object_get(x, "voted_yes")));
        assert_string_equal(json_string_value(json_object_get(x, "state")), "open");
    }
    json_decref(v);
    /* a proposal may not grow from someone else's private value */
    POST(&org, DVOR "/values", 422, "title", "Чужое", "roots", "999999");
    POST(&org, DVOR "/values", 422, "title", "");
    POST(&stranger, DVOR "/values", 403, "title", "Извне");
    client_free(&mem);
    client_free(&org);
    client_free(&stranger);
}

static void vote_after_close_is_refused(void **state)
{
    (void)state;
    struct client mem;
    login_as(&mem, &S, "dvor-sadovaya-12-9");
    json_t *v = view_json(&mem, DVOR "/values");
    long long id = find_id(json_object_get(v, "values"), "title", "Безопасный двор для детей");
    size_t i;
    json_t *x;
    long long yes = -1;
    EACH(json_object_get(v, "values"), i, x) if (json_integer_value(json_object_get(x, "id")) == id)
    {
        assert_string_equal(json_string_value(json_object_get(x, "state")), "adopted");
        yes = json_integer_value(json_object_get(x, "yes"));
    }
    json_decref(v);
    char path[128];
    snprintf(path, sizeof path, DVOR "/values/%lld/vote", id);
    char *b = post_expect(&mem, path, 409, "vote", "no", END);
    assert_non_null(strstr(b, "Голосование по этой ценности уже закрыто"));
    free(b);
    v = view_json(&mem, DVOR "/values");
    EACH(json_object_get(v, "values"), i, x)
    if (json_integer_value(json_object_get(x, "id")) == id)
        assert_int_equal(json_integer_value(json_object_get(x, "yes")), yes);
    json_decref(v);
    POST(&mem, DVOR "/values/999999/vote", 404, "vote", "yes");
    client_free(&mem);
}

/* ---- goals, actions, pledges ---- */

static void only_staff_edit_the_plan(void **state)
{
    (void)state;
    struct client mem, anon;
    login_as(&mem, &S, "member"); /* a plain member in the yard */
    login_as(&anon, &S, NULL);
    char *b = get_html(&mem, DVOR);
    assert_null(strstr(b, "name=\"goal_title\""));
    assert_non_null(strstr(b, "name=\"pledge_hours\""));
    free(b);
    struct client org;
    login_as(&org, &S, "organizer");
    b = get_html(&org, DVOR);
    assert_non_null(strstr(b, "name=\"goal_title\""));
    assert_non_null(strstr(b, "name=\"rule_text\""));
    assert_non_null(strstr(b, "name=\"quorum_pct\""));
    free(b);
    client_free(&org);
    POST(&mem, DVOR "/goals", 403, "goal_title", "Моя цель");
    POST(&mem, DVOR "/rules", 403, "rule_text", "Моё правило");
    POST(&mem, DVOR "/dilts", 403, "level", "mission", "entry", "Моё");
    POST(&mem, DVOR "/text/vision", 403, "body", "Моё видение");
    POST(&mem, DVOR "/settings", 403, "vote_days", "1", "majority_pct", "50", "quorum_pct", "1");
    POST(&anon, DVOR "/goals", 401, "goal_title", "Чужая цель");
    /* the member is a facilitator in the Green Quarter: staff there */
    POST(&mem, KV "/goals", 303, "goal_title", "Каждому дереву — опекун");
    client_free(&mem);
    client_free(&anon);
}

static void goals_and_actions_with_bad_input(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    size_t goals = count_of(&org, DVOR, "goals");
    POST(&org, DVOR "/goals", 422, "goal_title", "");
    POST(&org, DVOR "/goals", 422, "goal_title", "Цель", "goal_parent", "999999");
    assert_int_equal(count_of(&org, DVOR, "goals"), goals);
    POST(&org, DVOR "/goals", 303, "goal_title", "Чистый подвал");
    json_t *v = view_json(&org, DVOR);
    long long g = find_id(json_object_get(v, "goals"), "title", "Чистый подвал");
    json_decref(v);
    char gs[32];
    snprintf(gs, sizeof gs, "%lld", g);
    size_t actions = action_count(&org, DVOR);
    char *b = post_expect(&org, DVOR "/actions", 422, "action_goal", gs, "action_title",
                          "Вынести хлам", "due", "2026-13-45", END);
    assert_non_null(strstr(b, "field-error"));
    assert_non_null(strstr(b, "Вынести хлам")); /* the input is kept */
    char sel[64];
    snprintf(sel, sizeof sel, "value=\"%s\" selected", gs);
    assert_non_null(strstr(b, sel)); /* and the chosen goal */
    free(b);
    POST(&org, DVOR "/actions", 422, "action_goal", gs, "action_title", "Вынести хлам", "due",
         "01.05.2026");
    POST(&org, DVOR "/actions", 422, "action_goal", gs, "action_title", "Вынести хлам", "money",
         "-5");
    POST(&org, DVOR "/actions", 422, "action_goal", gs, "action_title", "Вынести хлам", "hours",
         "много");
    b = post_expect(&org, DVOR "/actions", 422, "action_goal", gs, "action_title", "Вынести хлам",
                    "owner", mid("zelenyj-kvartal", "organizer"), END); /* another's member */
    assert_non_null(strstr(b, "Ответственным может быть только участник сообщества"));
    free(b);
    POST(&org, DVOR "/actions", 422, "action_goal", gs, "action_title", "");
    POST(&org, DVOR "/actions", 422, "action_goal", "999999", "action_title", "Вынести хлам");
    assert_int_equal(action_count(&org, DVOR), actions);
    POST(&org, DVOR "/actions", 303, "action_goal", gs, "action_title", "Вынести хлам", "owner",
         dvor_mid("member"), "due", "2020-01-15", "hours", "6", "money", "40", "currency", "BYN",
         "people", "3", "skills", "сильные руки");
    assert_int_equal(action_count(&org, DVOR), actions + 1);
    /* it is overdue and stands out in the plan */
    b = get_html(&org, DVOR "/plan?by=person");
    assert_non_null(strstr(b, "class=\"overdue\""));
    assert_non_null(strstr(b, "Вынести хлам"));
    free(b);
    client_free(&org);
}

static void goal_tree_refuses_cycles(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    POST(&org, DVOR "/goals", 303, "goal_title", "Верхняя цель");
    json_t *v = view_json(&org, DVOR);
    long long top = find_id(json_object_get(v, "goals"), "title", "Верхняя цель");
    json_decref(v);
    char ts[32], path[128];
    snprintf(ts, sizeof ts, "%lld", top);
    POST(&org, DVOR "/goals", 303, "goal_title", "Нижняя цель", "goal_parent", ts);
    v = view_json(&org, DVOR);
    long long low = find_id(json_object_get(v, "goals"), "title", "Нижняя цель");
    json_decref(v);
    char ls[32];
    snprintf(ls, sizeof ls, "%lld", low);
    snprintf(path, sizeof path, DVOR "/goals/%lld/parent", top);
    char *b = post_expect(&org, path, 422, "parent", ls, END);
    assert_non_null(strstr(b, "Так получится круг"));
    free(b);
    POST(&org, path, 422, "parent", ts);
    /* still on top */
    v = view_json(&org, DVOR);
    size_t i;
    json_t *x;
    EACH(json_object_get(v, "goals"), i, x)
    if (json_integer_value(json_object_get(x, "id")) == top)
        assert_int_equal(json_integer_value(json_object_get(x, "depth")), 0);
    json_decref(v);
    /* moving the lower one to the top is fine */
    snprintf(path, sizeof path, DVOR "/goals/%lld/parent", low);
    POST(&org, path, 303, "parent", "0");
    POST(&org, DVOR "/goals/999999/parent", 404, "parent", "0");
    client_free(&org);
}

static long long first_action(struct client *c, const char *path, long long *hours)
{
    json_t *v = view_json(c, path);
    json_t *a = NULL;
    size_t i;
    json_t *g;
    EACH(json_object_get(v, "goals"), i, g)
    if (!a) a = json_array_get(json_object_get(g, "actions"), 0);
    assert_non_null(a);
    long long id = json_integer_value(json_object_get(a, "id"));
    *hours = json_integer_value(json_object_get(a, "p_hours"));
    json_decref(v);
    return id;
}

/* The owner's select offers the plan's people (the members who own an
 * action, and the one writing); anyone else of the community is found by
 * name, and a name several members share is offered as a choice beside
 * the kept text (the initiative area's member_pick). */
static json_t *action_named(json_t *v, const char *title);

static void an_owner_is_found_by_name(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    POST(&org, DVOR "/goals", 303, "goal_title", "Двор без луж");
    json_t *v = view_json(&org, DVOR);
    char gs[32];
    snprintf(gs, sizeof gs, "%lld", find_id(json_object_get(v, "goals"), "title", "Двор без луж"));
    json_decref(v);
    long long vera =
        db_value(&S,
                 "SELECT m.id FROM members m JOIN communities c ON c.id = m.community_id"
                 " WHERE c.slug = 'dvor-sadovaya-12' AND m.name = ?",
                 "Вера");
    assert_true(vera > 0);
    /* a whole name in another case */
    POST(&org, DVOR "/actions", 303, "action_goal", gs, "action_title", "Засыпать яму",
         "owner_name", "вера");
    v = view_json(&org, DVOR);
    json_t *a = action_named(v, "Засыпать яму");
    assert_non_null(a);
    assert_int_equal(json_integer_value(json_object_get(a, "owner_member")), vera);
    /* now she owns an action: the select offers her */
    assert_true(jarray_has(v, "members", "display_name", "Вера"));
    json_decref(v);
    /* several match: 422, the name kept, the candidates beside it */
    const char *several[] = {"action_goal", gs,  "action_title", "Купить песок", "owner_name",
                             "ей",          NULL};
    struct resp r;
    assert_int_equal(post_pairs(&org, DVOR "/actions", 1, several, &r), 0);
    assert_int_equal(r.status, 422);
    assert_true(field_error(&r, "owner_name"));
    v = json_loads(r.body, 0, NULL);
    resp_free(&r);
    assert_true(jarray_has(v, "error.choices.owner", "label", "Алексей"));
    assert_false(jarray_has(v, "error.choices.owner", "label", "Вера"));
    json_decref(v);
    char *html = post_expect(&org, DVOR "/actions", 422, "action_goal", gs, "action_title",
                             "Купить песок", "owner_name", "ей", END);
    assert_non_null(strstr(html, "name=\"owner_name\" maxlength=\"200\" value=\"ей\""));
    assert_non_null(strstr(html, ">Алексей</option>"));
    assert_non_null(strstr(html, "Купить песок")); /* the input is kept */
    free(html);
    /* nobody of that name: beside the field, nothing written */
    size_t actions = action_count(&org, DVOR);
    html = post_expect(&org, DVOR "/actions", 422, "action_goal", gs, "action_title",
                       "Купить песок", "owner_name", "Несуществующий", END);
    assert_non_null(strstr(html, "owner_name-error"));
    free(html);
    assert_int_equal(action_count(&org, DVOR), actions);
    client_free(&org);
}

static void members_pledge_resources(void **state)
{
    (void)state;
    struct client mem, stranger, org;
    login_as(&mem, &S, "dvor-sadovaya-12-7");
    login_as(&stranger, &S, "newcomer");
    login_as(&org, &S, "organizer");
    long long hours;
    long long id = first_action(&mem, DVOR, &hours);
    char path[128];
    snprintf(path, sizeof path, DVOR "/actions/%lld/pledge", id);
    POST(&mem, path, 303, "pledge_hours", "4", "pledge_person", "1");
    long long after;
    assert_int_equal(first_action(&mem, DVOR, &after), id);
    assert_int_equal(after, hours + 4);
    POST(&mem, path, 422, "pledge_hours", "-1");
    POST(&mem, path, 422, "pledge_money", "сто");
    POST(&mem, path, 422, "pledge_hours", "0");
    POST(&stranger, path, 403, "pledge_hours", "1");
    assert_int_equal(first_action(&mem, DVOR, &after), id);
    assert_int_equal(after, hours + 4);
    POST(&mem, DVOR "/actions/999999/pledge", 404, "pledge_hours", "1");
    /* status changes are for the staff */
    snprintf(path, sizeof path, DVOR "/actions/%lld/status", id);
    POST(&mem, path, 403, "status", "done");
    POST(&org, path, 422, "status", "finished");
    POST(&org, path, 303, "status", "done");
    client_free(&mem);
    client_free(&stranger);
    client_free(&org);
}

static void staff_remove_rules_goals_actions(void **state)
{
    (void)state;
    struct client org, mem;
    login_as(&org, &S, "organizer");
    login_as(&mem, &S, "member");
    POST(&org, KV "/rules", 303, "rule_text", "Временное правило");
    json_t *v = view_json(&org, KV);
    long long rule = find_id(json_object_get(v, "rules"), "text", "Временное правило");
    json_decref(v);
    char path[128];
    snprintf(path, sizeof path, KV "/rules/%lld/delete", rule);
    POST(&mem, path, 303, "x", ""); /* member is a facilitator there: staff */
    POST(&org, path, 404, "x", "");
    /* a goal with a subgoal and an action goes away with both */
    POST(&org, DVOR "/goals", 303, "goal_title", "Цель на удаление");
    v = view_json(&org, DVOR);
    long long g = find_id(json_object_get(v, "goals"), "title", "Цель на удаление");
    json_decref(v);
    char gs[32];
    snprintf(gs, sizeof gs, "%lld", g);
    POST(&org, DVOR "/goals", 303, "goal_title", "Подцель на удаление", "goal_parent", gs);
    POST(&org, DVOR "/actions", 303, "action_goal", gs, "action_title", "Действие на удаление");
    size_t goals = count_of(&org, DVOR, "goals"), actions = action_count(&org, DVOR);
    snprintf(path, sizeof path, DVOR "/goals/%lld/delete", g);
    POST(&mem, path, 403, "x", ""); /* a plain member in the yard */
    POST(&org, path, 303, "x", "");
    assert_int_equal(count_of(&org, DVOR, "goals"), goals - 2);
    assert_int_equal(action_count(&org, DVOR), actions - 1);
    /* another community's action cannot be removed through this one */
    long long hours;
    long long a = first_action(&org, DVOR, &hours);
    snprintf(path, sizeof path, KV "/actions/%lld/delete", a);
    POST(&org, path, 404, "x", "");
    snprintf(path, sizeof path, DVOR "/actions/%lld/delete", a);
    POST(&org, path, 303, "x", "");
    assert_int_equal(action_count(&org, DVOR), actions - 2);
    client_free(&org);
    client_free(&mem);
}

/* ---- rules, canvas, texts, settings ---- */

static void rules_name_their_values(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    json_t *v = view_json(&org, DVOR);
    long long val = find_id(json_object_get(v, "all_values"), "title", "Добрососедство");
    char vs[32];
    snprintf(vs, sizeof vs, "%lld", val);
    json_decref(v);
    size_t before = count_of(&org, DVOR, "rules");
    POST(&org, DVOR "/rules", 422, "rule_text", "", "protects", vs);
    POST(&org, DVOR "/rules", 422, "rule_text", "Здороваться", "protects", "999999");
    assert_int_equal(count_of(&org, DVOR, "rules"), before);
    POST(&org, DVOR "/rules", 303, "rule_text", "Здороваться со всеми в подъезде", "protects", vs);
    v = view_json(&org, DVOR);
    assert_string_equal(check_status(v, "rules_values"), "ok");
    json_decref(v);
    POST(&org, DVOR "/rules", 303, "rule_text", "Правило без ценности");
    v = view_json(&org, DVOR);
    assert_string_equal(check_status(v, "rules_values"), "problem");
    json_decref(v);
    client_free(&org);
}

static void canvas_texts_and_settings(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    POST(&org, DVOR "/dilts", 303, "level", "capabilities", "entry", "Умеем чинить скамейки");
    POST(&org, DVOR "/dilts", 422, "level", "galaxy", "entry", "Что-то");
    POST(&org, DVOR "/dilts", 422, "level", "identity", "entry", "");
    char *b = get_html(&org, DVOR);
    assert_non_null(strstr(b, "Умеем чинить скамейки"));
    free(b);
    json_t *lv = view_json(&org, DVOR), *level, *e;
    size_t li, ei;
    long long entry = 0;
    EACH(json_object_get(lv, "levels"), li, level)
    {
        EACH(json_object_get(level, "entries"), ei, e)
        {
            if (strcmp(json_string_value(json_object_get(e, "text")), "Умеем чинить скамейки") == 0)
                entry = json_integer_value(json_object_get(e, "id"));
        }
    }
    json_decref(lv);
    assert_true(entry > 0);
    char dp[128];
    snprintf(dp, sizeof dp, DVOR "/dilts/%lld/delete", entry);
    struct client mem;
    login_as(&mem, &S, "member");
    POST(&mem, dp, 403, "x", "");
    client_free(&mem);
    POST(&org, dp, 303, "x", "");
    POST(&org, dp, 404, "x", "");
    b = get_html(&org, DVOR);
    assert_null(strstr(b, "Умеем чинить скамейки"));
    free(b);
    /* versions: the mission had two, gets a third; the first is readable */
    POST(&org, DVOR "/text/mission", 303, "body", "Третья редакция миссии");
    POST(&org, DVOR "/text/mission", 422, "body", " ");
    json_t *v = view_json(&org, DVOR "/text/mission");
    json_t *vers = json_object_get(v, "versions");
    assert_int_equal(json_array_size(vers), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(vers, 0), "body")),
                        "Третья редакция миссии");
    assert_non_null(json_object_get(json_array_get(vers, 0), "author"));
    json_decref(v);
    POST(&org, DVOR "/text/manifesto", 303, "body", "# Манифест\n\nМы <b>вместе</b>.");
    b = get_html(&org, DVOR "/text/manifesto");
    assert_null(strstr(b, "<b>вместе"));
    free(b);
    POST(&org, DVOR "/text/poem", 404, "body", "Стихи");
    POST(&org, DVOR "/settings", 422, "vote_days", "0", "majority_pct", "50", "quorum_pct", "33");
    POST(&org, DVOR "/settings", 422, "vote_days", "7", "majority_pct", "40", "quorum_pct", "33");
    POST(&org, DVOR "/settings", 303, "vote_days", "7", "majority_pct", "60", "quorum_pct", "40");
    v = view_json(&org, DVOR "/values");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(v, "settings"), "majority_pct")), 60);
    json_decref(v);
    client_free(&org);
}

static void manifesto_is_adopted_by_vote(void **state)
{
    (void)state;
    struct client org, mem, stranger;
    login_as(&org, &S, "organizer");
    login_as(&mem, &S, "dvor-sadovaya-12-8");
    login_as(&stranger, &S, "newcomer");
    /* the demo's first version was adopted; its vote is closed */
    json_t *v = view_json(&mem, DVOR "/text/manifesto");
    json_t *vers = json_object_get(v, "versions");
    json_t *first = json_array_get(vers, json_array_size(vers) - 1);
    assert_string_equal(json_string_value(json_object_get(first, "state")), "adopted");
    long long old = json_integer_value(json_object_get(first, "id"));
    json_decref(v);
    char path[160];
    snprintf(path, sizeof path, DVOR "/text/manifesto/%lld/vote", old);
    char *b = post_expect(&mem, path, 409, "vote", "yes", END);
    assert_non_null(strstr(b, "Голосование по этой редакции уже закрыто"));
    free(b);
    /* a new version goes to the vote */
    POST(&org, DVOR "/text/manifesto", 303, "body", "Двор общий. Решаем вместе. Помогаем.");
    v = view_json(&mem, DVOR "/text/manifesto");
    json_t *cur = json_array_get(json_object_get(v, "versions"), 0);
    assert_string_equal(json_string_value(json_object_get(cur, "state")), "open");
    long long id = json_integer_value(json_object_get(cur, "id"));
    json_decref(v);
    snprintf(path, sizeof path, DVOR "/text/manifesto/%lld/vote", id);
    POST(&mem, path, 303, "vote", "yes");
    POST(&mem, path, 422, "vote", "perhaps");
    POST(&stranger, path, 403, "vote", "yes");
    v = view_json(&org, DVOR "/text/manifesto");
    cur = json_array_get(json_object_get(v, "versions"), 0);
    assert_int_equal(json_integer_value(json_object_get(cur, "yes")), 1);
    json_decref(v);
    /* only manifesto versions are voted on */
    v = view_json(&org, DVOR "/text/vision");
    long long vis = json_integer_value(
        json_object_get(json_array_get(json_object_get(v, "versions"), 0), "id"));
    json_decref(v);
    snprintf(path, sizeof path, DVOR "/text/vision/%lld/vote", vis);
    POST(&mem, path, 404, "vote", "yes");
    snprintf(path, sizeof path, DVOR "/text/mission/%lld/vote", id);
    POST(&mem, path, 404, "vote", "yes");
    /* the export shows the adopted version, not the open one */
    struct resp r;
    assert_int_equal(client_get(&org, DVOR "/export.json", 0, &r), 0);
    json_t *j = json_loads(r.body, 0, NULL);
    assert_non_null(j);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(j, "manifesto"), "state")), "adopted");
    json_decref(j);
    resp_free(&r);
    client_free(&org);
    client_free(&mem);
    client_free(&stranger);
}

/* ---- plan and export ---- */

static void plan_views_and_export(void **state)
{
    (void)state;
    struct client anon, mem;
    login_as(&anon, &S, NULL);
    login_as(&mem, &S, "member");
    json_t *v = view_json(&mem, DVOR "/plan?by=person");
    assert_string_equal(json_string_value(json_object_get(v, "by")), "person");
    assert_true(json_array_size(json_object_get(v, "groups")) > 0);
    json_decref(v);
    v = view_json(&mem, DVOR "/plan?by=month");
    assert_string_equal(json_string_value(json_object_get(v, "by")), "month");
    json_decref(v);
    v = view_json(&anon, DVOR "/plan?by=person"); /* owners are for members */
    assert_string_equal(json_string_value(json_object_get(v, "by")), "goal");
    json_decref(v);
    struct resp r;
    assert_int_equal(client_get(&anon, DVOR "/export.md", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "# Двор на Садовой, 12"));
    assert_non_null(strstr(r.body, "Безопасная детская площадка к лету"));
    resp_free(&r);
    assert_int_equal(client_get(&anon, DVOR "/export.json", 0, &r), 0);
    assert_int_equal(r.status, 200);
    json_t *j = json_loads(r.body, 0, NULL);
    assert_non_null(j);
    assert_true(json_array_size(json_object_get(j, "goals")) > 0);
    assert_non_null(json_object_get(j, "manifesto"));
    json_decref(j);
    resp_free(&r);
    char *b = get_html(&anon, DVOR "/print");
    assert_non_null(strstr(b, "Манифест"));
    free(b);
    client_free(&anon);
    client_free(&mem);
}

/* ---- forms saved unchanged, reports, edits, deletes, votes ---- */

/* Submits every edit form of the page at path as the page shows it;
 * returns how many it sent. */
static int submit_edit_forms(struct client *c, const char *path)
{
    char *page = get_html(c, path);
    int sent = 0;
    for (const char *p = strstr(page, "<form"); p; p = strstr(p + 1, "<form")) {
        const char *te = strchr(p, '>'), *e = strstr(p, "</form>");
        char *action = html_attr(p, te, "action");
        assert_non_null(action);
        /* votes, closes, pledges, deletes and new objects are no edits */
        int edit =
            (strstr(action, "/edit") || strstr(action, "/status") || strstr(action, "/parent") ||
             strstr(action, "/settings") || strstr(action, "/strategy/text/")) &&
            !strstr(action, "/vote") && !strstr(action, "/close");
        if (edit) {
            struct form_fields f = {{0}, 0};
            form_fields_parse(te, e, &f);
            f.v[f.n] = NULL;
            char *enc = form_encode((const char *const *)f.v);
            struct resp r;
            assert_int_equal(client_post_raw(c, action, "application/x-www-form-urlencoded", enc,
                                             strlen(enc), 0, &r),
                             0);
            if (r.status != 303)
                fprintf(stderr, "unchanged %s from %s: %ld\n%.300s\n", action, path, r.status,
                        r.body);
            assert_int_equal(r.status, 303);
            resp_free(&r);
            free(enc);
            form_fields_free(&f);
            sent++;
        }
        free(action);
    }
    free(page);
    return sent;
}

/* Everything the strategy stores, as the organizer reads it: the export,
 * the values and the three texts' versions (csrf tokens left out). */
static char *snapshot(struct client *c, const char *base)
{
    static const char *const PAGES[] = {"/export.json",  "/values",         "/text/vision",
                                        "/text/mission", "/text/manifesto", "/plan"};
    json_t *all = json_object();
    for (size_t i = 0; i < sizeof PAGES / sizeof PAGES[0]; i++) {
        char path[160];
        snprintf(path, sizeof path, "%s%s", base, PAGES[i]);
        json_t *v = view_json(c, path);
        json_object_del(v, "csrf");
        json_object_set_new(all, PAGES[i], v);
    }
    char *s = json_dumps(all, JSON_SORT_KEYS | JSON_INDENT(1));
    json_decref(all);
    return s;
}

static void ids_of(json_t *arr, const char *fmt, char paths[][128], int *n, int max)
{
    size_t i;
    json_t *x;
    EACH(arr, i, x)
    if (*n < max)
        snprintf(paths[(*n)++], 128, fmt, (long long)json_integer_value(json_object_get(x, "id")));
}

static void unchanged_forms_change_nothing(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    /* a value nobody voted on yet has an edit form too */
    POST(&org, DVOR "/values", 303, "title", "Чистый подъезд", "description",
         "Моем «вместе» & по очереди <каждую> неделю");
    /* actions in every state, so that a select showing its first option
     * ("planned") instead of the stored one would change them */
    static const char *const STATES[] = {"in_progress", "done", "dropped"};
    json_t *tv = view_json(&org, DVOR), *tg;
    size_t ti, na = 0;
    EACH(json_object_get(tv, "goals"), ti, tg)
    {
        size_t tj;
        json_t *ta;
        EACH(json_object_get(tg, "actions"), tj, ta)
        if (na < 3) {
            char sp[128];
            snprintf(sp, sizeof sp, DVOR "/actions/%lld/status",
                     (long long)json_integer_value(json_object_get(ta, "id")));
            POST(&org, sp, 303, "status", STATES[na], "progress", "30");
            na++;
        }
    }
    json_decref(tv);
    assert_int_equal(na, 3);
    char *before = snapshot(&org, DVOR);
    char paths[200][128];
    int n = 0;
    snprintf(paths[n++], 128, "%s", DVOR);
    snprintf(paths[n++], 128, "%s", DVOR "/plan");
    snprintf(paths[n++], 128, "%s", DVOR "/text/vision");
    snprintf(paths[n++], 128, "%s", DVOR "/text/mission");
    snprintf(paths[n++], 128, "%s", DVOR "/text/manifesto");
    json_t *v = view_json(&org, DVOR), *g, *lv;
    size_t i;
    ids_of(json_object_get(v, "goals"), DVOR "/goals/%lld/edit", paths, &n, 200);
    EACH(json_object_get(v, "goals"), i, g)
    ids_of(json_object_get(g, "actions"), DVOR "/actions/%lld/edit", paths, &n, 200);
    ids_of(json_object_get(v, "rules"), DVOR "/rules/%lld/edit", paths, &n, 200);
    EACH(json_object_get(v, "levels"), i, lv)
    ids_of(json_object_get(lv, "entries"), DVOR "/dilts/%lld/edit", paths, &n, 200);
    json_decref(v);
    v = view_json(&org, DVOR "/values");
    json_t *val;
    EACH(json_object_get(v, "values"), i, val)
    if (json_is_true(json_object_get(val, "can_edit")))
        snprintf(paths[n++], 128, DVOR "/values/%lld/edit",
                 (long long)json_integer_value(json_object_get(val, "id")));
    json_decref(v);
    int sent = 0;
    for (int k = 0; k < n; k++)
        sent += submit_edit_forms(&org, paths[k]);
    /* the overview alone has a status form per action and a move form per goal */
    assert_true(sent > 20);
    char *after = snapshot(&org, DVOR);
    if (strcmp(before, after) != 0) fprintf(stderr, "before:\n%s\nafter:\n%s\n", before, after);
    assert_string_equal(before, after);
    free(before);
    free(after);
    client_free(&org);
}

/* The action (first found) whose title is title in the overview's tree. */
static json_t *action_named(json_t *v, const char *title)
{
    size_t i, j;
    json_t *g, *a;
    EACH(json_object_get(v, "goals"), i, g)
    EACH(json_object_get(g, "actions"), j, a)
    if (!strcmp(json_string_value(json_object_get(a, "title")), title)) return a;
    return NULL;
}

static void owner_reports_on_own_action(void **state)
{
    (void)state;
    struct client owner, other, org;
    login_as(&owner, &S, "dvor-sadovaya-12-1"); /* a resident of the yard who owns an action */
    login_as(&other, &S, "dvor-sadovaya-12-7");
    login_as(&org, &S, "organizer");
    const char *title = "Собрать деньги на новые качели";
    json_t *v = view_json(&owner, DVOR);
    json_t *a = action_named(v, title);
    assert_non_null(a);
    long long id = json_integer_value(json_object_get(a, "id"));
    assert_true(json_is_true(json_object_get(a, "can_report")));
    json_decref(v);
    v = view_json(&other, DVOR);
    assert_null(json_object_get(action_named(v, title), "can_report"));
    json_decref(v);
    char path[128];
    snprintf(path, sizeof path, DVOR "/actions/%lld/status", id);
    char *b = post_expect(&other, path, 403, "status", "dropped", END);
    assert_non_null(strstr(b, "ответственный"));
    free(b);
    POST(&owner, path, 422, "status", "done", "progress", "120");
    POST(&owner, path, 303, "status", "done", "progress", "100");
    /* sent from the plan, the report comes back to the plan */
    char *pb = get_html(&owner, DVOR "/plan");
    assert_non_null(strstr(pb, "name=\"back\" value=\"plan\""));
    free(pb);
    struct resp rb;
    assert_int_equal(
        client_post(&owner, path, 0, &rb, "status", "done", "progress", "100", "back", "plan", END),
        0);
    char loc[200] = "";
    resp_header(&rb, "Location", loc, sizeof loc);
    assert_int_equal(rb.status, 303);
    assert_non_null(strstr(loc, DVOR "/plan"));
    resp_free(&rb);
    v = view_json(&other, DVOR);
    a = action_named(v, title);
    assert_string_equal(json_string_value(json_object_get(a, "status")), "done");
    assert_int_equal(json_integer_value(json_object_get(a, "progress")), 100);
    json_decref(v);
    /* once the staff give the action to someone else, the old owner may not */
    snprintf(path, sizeof path, DVOR "/actions/%lld/edit", id);
    struct form_fields f = {{0}, 0};
    char *page = get_html(&org, path);
    char tag[200];
    snprintf(tag, sizeof tag, "action=\"%s\"", path);
    const char *fs = strstr(page, tag);
    assert_non_null(fs);
    form_fields_parse(strchr(fs, '>'), strstr(fs, "</form>"), &f);
    free(page);
    for (int i = 0; i < f.n; i += 2)
        if (!strcmp(f.v[i], "owner")) {
            free(f.v[i + 1]);
            f.v[i + 1] = strdup(dvor_mid("dvor-sadovaya-12-7"));
        }
    f.v[f.n] = NULL;
    char *enc = form_encode((const char *const *)f.v);
    struct resp r;
    assert_int_equal(
        client_post_raw(&org, path, "application/x-www-form-urlencoded", enc, strlen(enc), 0, &r),
        0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    free(enc);
    form_fields_free(&f);
    snprintf(path, sizeof path, DVOR "/actions/%lld/status", id);
    POST(&owner, path, 403, "status", "in_progress");
    POST(&other, path, 303, "status", "in_progress", "progress", "40");
    POST(&owner, DVOR "/actions/999999/status", 404, "status", "done");
    v = view_json(&org, DVOR);
    a = action_named(v, title);
    assert_string_equal(json_string_value(json_object_get(a, "status")), "in_progress");
    assert_int_equal(json_integer_value(json_object_get(a, "owner_member")),
                     member_id_of(&S, "dvor-sadovaya-12", "dvor-sadovaya-12-7"));
    json_decref(v);
    client_free(&owner);
    client_free(&other);
    client_free(&org);
}

static long long goal_named(struct client *c, const char *title)
{
    json_t *v = view_json(c, DVOR);
    long long id = find_id(json_object_get(v, "goals"), "title", title);
    json_decref(v);
    return id;
}

static void edits_and_confirmed_deletes(void **state)
{
    (void)state;
    struct client org, mem;
    login_as(&org, &S, "organizer");
    login_as(&mem, &S, "member");
    char path[160], ids[32];
    /* a goal with a sub-goal, three actions and two pledges */
    POST(&org, DVOR "/goals", 303, "goal_title", "Цель для правки");
    long long g = goal_named(&org, "Цель для правки");
    snprintf(ids, sizeof ids, "%lld", g);
    POST(&org, DVOR "/goals", 303, "goal_title", "Подцель для правки", "goal_parent", ids);
    long long sub = goal_named(&org, "Подцель для правки");
    char subs[32];
    snprintf(subs, sizeof subs, "%lld", sub);
    POST(&org, DVOR "/actions", 303, "action_goal", subs, "action_title", "Шаг один");
    POST(&org, DVOR "/actions", 303, "action_goal", subs, "action_title", "Шаг два");
    POST(&org, DVOR "/actions", 303, "action_goal", subs, "action_title", "Шаг три");
    json_t *v = view_json(&org, DVOR);
    long long a1 = json_integer_value(json_object_get(action_named(v, "Шаг один"), "id"));
    json_decref(v);
    snprintf(path, sizeof path, DVOR "/actions/%lld/pledge", a1);
    POST(&mem, path, 303, "pledge_hours", "2");
    POST(&org, path, 303, "pledge_person", "1");
    /* edit the goal: rename, keep under nothing; a cycle and an empty title fail */
    snprintf(path, sizeof path, DVOR "/goals/%lld/edit", g);
    POST(&org, path, 422, "goal_title", "", "goal_parent", "0");
    char *b = post_expect(&org, path, 422, "goal_title", "Цель", "goal_parent", subs, END);
    assert_non_null(strstr(b, "Так получится круг"));
    free(b);
    POST(&org, path, 303, "goal_title", "Цель после правки", "goal_parent", "0");
    assert_int_equal(goal_named(&org, "Цель после правки"), g);
    POST(&mem, path, 403, "goal_title", "Чужая правка", "goal_parent", "0");
    /* edit an action: owner, date, resources */
    const char *fields[] = {"action_goal",
                            subs,
                            "action_title",
                            "Шаг один, уточнённый",
                            "owner",
                            dvor_mid("member"),
                            "due",
                            "2031-03-04",
                            "hours",
                            "7",
                            "money",
                            "120",
                            "currency",
                            "EUR",
                            "people",
                            "4",
                            "skills",
                            "ключи от подвала",
                            NULL};
    snprintf(path, sizeof path, DVOR "/actions/%lld/edit", a1);
    assert_int_equal(post_form(&org, path, fields), 303);
    v = view_json(&org, DVOR);
    json_t *a = action_named(v, "Шаг один, уточнённый");
    assert_non_null(a);
    assert_int_equal(json_integer_value(json_object_get(a, "owner_member")),
                     member_id_of(&S, "dvor-sadovaya-12", "member"));
    assert_string_equal(json_string_value(json_object_get(a, "due")), "2031-03-04");
    assert_int_equal(json_integer_value(json_object_get(a, "hours")), 7);
    assert_int_equal(json_integer_value(json_object_get(a, "money")), 120);
    assert_string_equal(json_string_value(json_object_get(a, "currency")), "EUR");
    assert_int_equal(json_integer_value(json_object_get(a, "people")), 4);
    json_decref(v);
    const char *bad[] = {"action_goal", subs, "action_title", "Шаг", "hours", "-3", NULL};
    assert_int_equal(post_form(&org, path, bad), 422);
    /* the confirmation page says what goes with the goal, and works as a form */
    snprintf(path, sizeof path, DVOR "/goals/%lld/delete", g);
    b = get_html(&org, path);
    assert_non_null(
        strstr(b, "Вместе с целью удалятся: 1 подцель, 3 действия и 2 вклада участников."));
    char form[200];
    snprintf(form, sizeof form, "<form method=\"post\" action=\"%s\">", path);
    assert_non_null(strstr(b, form));
    free(b);
    assert_int_equal(get_status(&mem, path, 0), 403);
    size_t goals = count_of(&org, DVOR, "goals");
    POST(&org, path, 303, "x", "");
    assert_int_equal(count_of(&org, DVOR, "goals"), goals - 2);
    POST(&org, path, 404, "x", ""); /* twice: nothing to delete is no success */
    assert_int_equal(get_status(&org, path, 0), 404);
    snprintf(path, sizeof path, DVOR "/goals/%lld/edit", g);
    POST(&org, path, 404, "goal_title", "Призрак", "goal_parent", "0");
    snprintf(path, sizeof path, DVOR "/actions/%lld/edit", a1);
    assert_int_equal(post_form(&org, path, fields), 404);
    /* a rule: text and the values it protects */
    v = view_json(&org, DVOR);
    long long val = find_id(json_object_get(v, "all_values"), "title", "Добрососедство");
    long long val2 =
        find_id(json_object_get(v, "all_values"), "title", "Безопасный двор для детей");
    long long rule = find_id(json_object_get(v, "rules"), "text",
                             "О любом общем решении сообщаем в чат и на доске у подъезда");
    json_decref(v);
    char v1[32], v2[32];
    snprintf(v1, sizeof v1, "%lld", val);
    snprintf(v2, sizeof v2, "%lld", val2);
    snprintf(path, sizeof path, DVOR "/rules/%lld/edit", rule);
    b = get_html(&org, path);
    char box[120];
    snprintf(box, sizeof box, "value=\"%lld\" checked", val);
    assert_non_null(strstr(b, box));
    free(b);
    const char *rf[] = {"rule_text", "О решениях сообщаем в чат", "protects", v1, "protects", v2,
                        NULL};
    assert_int_equal(post_form(&org, path, rf), 303);
    v = view_json(&org, DVOR);
    json_t *r0 = NULL, *x;
    size_t i;
    EACH(json_object_get(v, "rules"), i, x)
    if (json_integer_value(json_object_get(x, "id")) == rule) r0 = x;
    assert_string_equal(json_string_value(json_object_get(r0, "text")),
                        "О решениях сообщаем в чат");
    assert_non_null(strstr(json_string_value(json_object_get(r0, "protects")), "Безопасный двор"));
    json_decref(v);
    snprintf(path, sizeof path, DVOR "/rules/%lld/delete", rule);
    b = get_html(&org, path);
    assert_non_null(strstr(b, "ценности, которые оно защищает, останутся (связей: 2)"));
    free(b);
    /* a canvas entry: level and text; the mission is not a canvas level */
    POST(&org, DVOR "/dilts", 303, "level", "behaviour", "entry", "Собираемся по средам");
    json_t *lvls = view_json(&org, DVOR), *lv, *e;
    long long entry = 0;
    EACH(json_object_get(lvls, "levels"), i, lv)
    {
        size_t j;
        EACH(json_object_get(lv, "entries"), j, e)
        if (!strcmp(json_string_value(json_object_get(e, "text")), "Собираемся по средам"))
            entry = json_integer_value(json_object_get(e, "id"));
    }
    json_decref(lvls);
    snprintf(path, sizeof path, DVOR "/dilts/%lld/edit", entry);
    POST(&org, path, 422, "level", "mission", "entry", "Миссия на холсте");
    POST(&org, path, 303, "level", "capabilities", "entry", "Собираемся по четвергам");
    b = get_html(&org, DVOR);
    assert_non_null(strstr(b, "Собираемся по четвергам"));
    free(b);
    snprintf(path, sizeof path, DVOR "/dilts/%lld/delete", entry);
    assert_int_equal(get_status(&org, path, 0), 200);
    POST(&org, path, 303, "x", "");
    assert_int_equal(get_status(&org, path, 0), 404);
    /* a personal value: the page names the shared values that grow from it */
    v = view_json(&mem, DVOR "/mine");
    long long pv =
        find_id(json_object_get(v, "mine"), "text", "Чтобы дети играли во дворе без опаски");
    json_decref(v);
    snprintf(path, sizeof path, DVOR "/mine/%lld/delete", pv);
    b = get_html(&mem, path);
    assert_non_null(strstr(b, "на неё опирается 1 общая ценность"));
    free(b);
    assert_int_equal(get_status(&org, path, 0), 404); /* not the organizer's note */
    client_free(&org);
    client_free(&mem);
}

static void shared_values_are_edited_until_voted(void **state)
{
    (void)state;
    struct client mem, org, other;
    login_as(&mem, &S, "member");
    login_as(&org, &S, "organizer");
    login_as(&other, &S, "dvor-sadovaya-12-3");
    POST(&mem, DVOR "/values", 303, "title", "Тихие вечера", "description", "После 22:00");
    json_t *v = view_json(&mem, DVOR "/values");
    long long id = find_id(json_object_get(v, "values"), "title", "Тихие вечера");
    json_decref(v);
    char path[128], del[128], vote[128];
    snprintf(path, sizeof path, DVOR "/values/%lld/edit", id);
    snprintf(del, sizeof del, DVOR "/values/%lld/delete", id);
    snprintf(vote, sizeof vote, DVOR "/values/%lld/vote", id);
    assert_int_equal(get_status(&mem, path, 0), 200);
    assert_int_equal(get_status(&other, path, 0), 403);
    POST(&other, path, 403, "title", "Чужая правка");
    POST(&mem, path, 422, "title", "");
    POST(&mem, path, 303, "title", "Тихие вечера во дворе", "description", "После 22:00 тихо");
    v = view_json(&mem, DVOR "/values");
    assert_int_equal(find_id(json_object_get(v, "values"), "title", "Тихие вечера во дворе"), id);
    json_decref(v);
    /* once someone voted, the wording stays: 409 with what changed */
    POST(&org, vote, 303, "vote", "yes");
    char *b = post_expect(&mem, path, 409, "title", "Поздняя правка", END);
    assert_non_null(strstr(b, "уже начали голосовать"));
    free(b);
    assert_int_equal(get_status(&mem, path, 0), 409);
    assert_int_equal(get_status(&mem, del, 0), 403); /* the proposer: only before votes */
    POST(&mem, del, 403, "x", "");
    b = get_html(&org, del);
    assert_non_null(strstr(b, "1 голос"));
    free(b);
    POST(&org, del, 303, "x", "");
    POST(&org, del, 404, "x", "");
    POST(&mem, path, 404, "title", "Нет её");
    client_free(&mem);
    client_free(&org);
    client_free(&other);
}

static json_t *value_row(struct client *c, long long id)
{
    json_t *v = view_json(c, DVOR "/values"), *x, *out = NULL;
    size_t i;
    EACH(json_object_get(v, "values"), i, x)
    if (json_integer_value(json_object_get(x, "id")) == id) out = json_incref(x);
    json_decref(v);
    assert_non_null(out);
    return out;
}

static void votes_end_early(void **state)
{
    (void)state;
    struct client org, mem;
    login_as(&org, &S, "organizer");
    login_as(&mem, &S, "member");
    /* the time left is shown while a vote runs */
    POST(&mem, DVOR "/values", 303, "title", "Общий сад");
    json_t *v = view_json(&mem, DVOR "/values");
    long long id = find_id(json_object_get(v, "values"), "title", "Общий сад");
    long long members = json_integer_value(json_object_get(v, "members_count"));
    long long pct =
        json_integer_value(json_object_get(json_object_get(v, "settings"), "majority_pct"));
    json_decref(v);
    /* the yes votes after which no one left could undo the adoption */
    long long needed = 2;
    while (needed * 2 <= members || needed * 100 < members * pct)
        needed++;
    assert_true(needed <= 11);
    json_t *row = value_row(&mem, id);
    /* the yard's votes run 7 days (set by the settings test) */
    assert_string_equal(json_string_value(json_object_get(row, "time_left")),
                        "закроется через 7 дней");
    json_decref(row);
    char *b = get_html(&mem, DVOR "/values");
    assert_non_null(strstr(b, "закроется через"));
    free(b);
    /* yes votes one by one: decided the moment no one left could undo it */
    static const char *const WHO[] = {"organizer",          "member",
                                      "dvor-sadovaya-12-1", "dvor-sadovaya-12-2",
                                      "dvor-sadovaya-12-3", "dvor-sadovaya-12-4",
                                      "dvor-sadovaya-12-5", "dvor-sadovaya-12-6",
                                      "dvor-sadovaya-12-7", "dvor-sadovaya-12-8",
                                      "dvor-sadovaya-12-9"};
    char path[128];
    snprintf(path, sizeof path, DVOR "/values/%lld/vote", id);
    long long yes = 0;
    for (size_t k = 0; k < sizeof WHO / sizeof WHO[0]; k++) {
        struct client c;
        login_as(&c, &S, WHO[k]);
        row = value_row(&c, id);
        int open = !strcmp(json_string_value(json_object_get(row, "state")), "open");
        json_decref(row);
        if (!open) {
            /* a decided vote takes no more votes: a conflict with the
             * vote's state (409), not a bad input */
            POST(&c, path, 409, "vote", "no");
            client_free(&c);
            break;
        }
        assert_true(yes < needed); /* open only while the others could still undo it */
        POST(&c, path, 303, "vote", "yes");
        yes++;
        client_free(&c);
    }
    assert_int_equal(yes, needed);
    row = value_row(&mem, id);
    assert_string_equal(json_string_value(json_object_get(row, "state")), "adopted");
    assert_int_equal(json_integer_value(json_object_get(row, "yes")), yes);
    assert_non_null(strstr(json_string_value(json_object_get(row, "ended_label")), "до срока"));
    json_decref(row);
    /* an organizer closes a vote with a reason; members read it */
    POST(&mem, DVOR "/values", 303, "title", "Ночная тишина");
    v = view_json(&mem, DVOR "/values");
    id = find_id(json_object_get(v, "values"), "title", "Ночная тишина");
    json_decref(v);
    snprintf(path, sizeof path, DVOR "/values/%lld/close", id);
    POST(&mem, path, 403, "reason", "Хочу");
    POST(&org, path, 422, "reason", " ");
    POST(&org, path, 303, "reason", "Договорились обсудить на сходе");
    POST(&org, path, 409, "reason", "Ещё раз");
    b = get_html(&mem, DVOR "/values");
    assert_non_null(strstr(b, "Договорились обсудить на сходе"));
    assert_non_null(strstr(b, "закрыто организатором досрочно"));
    free(b);
    row = value_row(&mem, id);
    assert_string_equal(json_string_value(json_object_get(row, "state")), "rejected");
    json_decref(row);
    snprintf(path, sizeof path, DVOR "/values/%lld/vote", id);
    POST(&mem, path, 409, "vote", "yes");
    POST(&org, DVOR "/values/999999/close", 404, "reason", "Нет такой");
    /* the same for a manifesto version */
    POST(&org, DVOR "/text/manifesto", 303, "body", "Манифест на одну неделю");
    v = view_json(&mem, DVOR "/text/manifesto");
    json_t *cur = json_array_get(json_object_get(v, "versions"), 0);
    long long tid = json_integer_value(json_object_get(cur, "id"));
    assert_non_null(json_string_value(json_object_get(cur, "time_left")));
    json_decref(v);
    snprintf(path, sizeof path, DVOR "/text/manifesto/%lld/close", tid);
    POST(&org, path, 303, "reason", "Нужна другая редакция");
    b = get_html(&mem, DVOR "/text/manifesto");
    assert_non_null(strstr(b, "Нужна другая редакция"));
    free(b);
    POST(&org, path, 409, "reason", "Снова");
    client_free(&org);
    client_free(&mem);
}

static void one_mission_and_voted_texts(void **state)
{
    (void)state;
    struct client org, anon;
    login_as(&org, &S, "organizer");
    login_as(&anon, &S, NULL);
    /* the canvas's top level is the mission text */
    POST(&org, DVOR "/text/mission", 303, "body", "Миссия: двор, где хочется жить");
    char *b = get_html(&anon, DVOR);
    const char *svg = strstr(b, "<svg");
    assert_non_null(svg);
    assert_non_null(strstr(svg, "Миссия: двор, где хочется жить"));
    free(b);
    json_t *v = view_json(&org, DVOR), *lv;
    size_t i;
    EACH(json_object_get(v, "levels"), i, lv)
    if (!strcmp(json_string_value(json_object_get(lv, "key")), "mission"))
        assert_int_equal(json_array_size(json_object_get(lv, "entries")), 0);
    EACH(json_object_get(v, "level_options"), i, lv)
    assert_string_not_equal(json_string_value(json_object_get(lv, "key")), "mission");
    json_decref(v);
    POST(&org, DVOR "/dilts", 422, "level", "mission", "entry", "Вторая миссия");
    /* saving the same text again is no new version */
    size_t n = count_of(&org, DVOR "/text/mission", "versions");
    POST(&org, DVOR "/text/mission", 303, "body", "Миссия: двор, где хочется жить");
    assert_int_equal(count_of(&org, DVOR "/text/mission", "versions"), n);
    /* a vision put to the vote stands only once adopted */
    v = view_json(&org, DVOR);
    char *old = strdup(json_string_value(json_object_get(json_object_get(v, "vision"), "body")));
    json_decref(v);
    POST(&org, DVOR "/text/vision", 303, "body", "Видение на голосовании", "put_to_vote", "1");
    v = view_json(&anon, DVOR);
    json_t *vis = json_object_get(v, "vision");
    assert_string_equal(json_string_value(json_object_get(vis, "body")), old);
    assert_true(json_is_true(json_object_get(vis, "pending")));
    json_decref(v);
    v = view_json(&org, DVOR "/text/vision");
    json_t *cur = json_array_get(json_object_get(v, "versions"), 0);
    assert_string_equal(json_string_value(json_object_get(cur, "state")), "open");
    long long id = json_integer_value(json_object_get(cur, "id"));
    json_decref(v);
    char path[128];
    snprintf(path, sizeof path, DVOR "/text/vision/%lld/vote", id);
    POST(&org, path, 303, "vote", "yes");
    /* enough of the yard says yes: adopted, and now it stands */
    static const char *const WHO[] = {"member",
                                      "dvor-sadovaya-12-1",
                                      "dvor-sadovaya-12-2",
                                      "dvor-sadovaya-12-3",
                                      "dvor-sadovaya-12-4",
                                      "dvor-sadovaya-12-5",
                                      "dvor-sadovaya-12-6",
                                      "dvor-sadovaya-12-7",
                                      "dvor-sadovaya-12-8"};
    for (size_t k = 0; k < sizeof WHO / sizeof WHO[0]; k++) {
        struct client c;
        login_as(&c, &S, WHO[k]);
        v = view_json(&c, DVOR "/text/vision");
        int open = json_is_true(
            json_object_get(json_array_get(json_object_get(v, "versions"), 0), "is_open"));
        json_decref(v);
        if (open) POST(&c, path, 303, "vote", "yes");
        client_free(&c);
    }
    v = view_json(&anon, DVOR);
    vis = json_object_get(v, "vision");
    assert_string_equal(json_string_value(json_object_get(vis, "body")), "Видение на голосовании");
    assert_null(json_object_get(vis, "pending"));
    json_decref(v);
    free(old);
    client_free(&org);
    client_free(&anon);
}

static void check_texts_agree_with_numbers(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    /* four open actions on one person in the Green Quarter */
    POST(&org, KV "/goals", 303, "goal_title", "Цель одного человека");
    json_t *v = view_json(&org, KV);
    long long g = find_id(json_object_get(v, "goals"), "title", "Цель одного человека");
    json_decref(v);
    char gs[32];
    snprintf(gs, sizeof gs, "%lld", g);
    static const char *const T[] = {"Первое", "Второе", "Третье", "Четвёртое"};
    for (int i = 0; i < 4; i++)
        POST(&org, KV "/actions", 303, "action_goal", gs, "action_title", T[i], "owner",
             mid("zelenyj-kvartal", "organizer"));
    /* the vote rule names its days in the right form (the yard: 7 after the settings test) */
    char *b = get_html(&org, DVOR "/values");
    assert_non_null(strstr(b, "Голосование длится 7 дней."));
    free(b);
    POST(&org, DVOR "/settings", 303, "vote_days", "2", "majority_pct", "60", "quorum_pct", "40");
    b = get_html(&org, DVOR "/values");
    assert_non_null(strstr(b, "Голосование длится 2 дня."));
    free(b);
    b = get_html(&org, KV);
    assert_non_null(strstr(b, "держится 4 открытых действия"));
    assert_null(strstr(b, "4 открытых действий"));
    free(b);
    POST(&org, KV "/actions", 303, "action_goal", gs, "action_title", "Пятое", "owner",
         mid("zelenyj-kvartal", "organizer"));
    b = get_html(&org, KV);
    assert_non_null(strstr(b, "держится 5 открытых действий"));
    free(b);
    client_free(&org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(public_strategy_is_readable_by_all),
        cmocka_unit_test(closed_and_secret_are_for_members),
        cmocka_unit_test(dashboard_has_the_mistakes_panel),
        cmocka_unit_test(personal_values_stay_private),
        cmocka_unit_test(personal_values_bad_input),
        cmocka_unit_test(values_are_proposed_and_voted),
        cmocka_unit_test(vote_after_close_is_refused),
        cmocka_unit_test(only_staff_edit_the_plan),
        cmocka_unit_test(goals_and_actions_with_bad_input),
        cmocka_unit_test(goal_tree_refuses_cycles),
        cmocka_unit_test(an_owner_is_found_by_name),
        cmocka_unit_test(members_pledge_resources),
        cmocka_unit_test(staff_remove_rules_goals_actions),
        cmocka_unit_test(rules_name_their_values),
        cmocka_unit_test(canvas_texts_and_settings),
        cmocka_unit_test(manifesto_is_adopted_by_vote),
        cmocka_unit_test(plan_views_and_export),
        cmocka_unit_test(unchanged_forms_change_nothing),
        cmocka_unit_test(owner_reports_on_own_action),
        cmocka_unit_test(edits_and_confirmed_deletes),
        cmocka_unit_test(shared_values_are_edited_until_voted),
        cmocka_unit_test(votes_end_early),
        cmocka_unit_test(one_mission_and_voted_texts),
        cmocka_unit_test(check_texts_agree_with_numbers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
