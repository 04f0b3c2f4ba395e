/* Initiatives' four stages (issue 14, step 3) over HTTP against a real
 * server with the demo: the page's section with the gate's checklist, a
 * move the gate forbids (409 with the missing items shown), the forms of
 * each stage (every bad input 422 beside its field with the input kept),
 * who may write and move (organizers, the coordinator, the team), moving
 * back with a reason, and two movers at once ending with one move. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv S;

#define DS "/c/dvor-sadovaya-12"
#define ZK "/c/zelenyj-kvartal"

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

static long long q(const char *sql, long long id)
{
    char p[32];
    snprintf(p, sizeof p, "%lld", id);
    return db_value(&S, sql, p);
}

static const char *ip(char *buf, size_t n, long long id, const char *what)
{
    snprintf(buf, n, DS "/initiatives/%lld%s", id, what);
    return buf;
}

/* A new idea of the member's, accepted by the organizer: at work, stage 1. */
static long long at_work(struct client *m, struct client *org, const char *title)
{
    POST(m, DS "/initiatives", 303, "title", title, "problem", "Во дворе нет скамеек.", "proposal",
         "Поставить три скамейки у песочницы.", "direction", "landscaping");
    long long id = db_value(&S, "SELECT max(id) FROM initiatives WHERE title = ?", title);
    assert_true(id > 0);
    char p[128];
    POST(org, ip(p, sizeof p, id, "/accept"), 303, "x", "1");
    return id;
}

static long long stage_of(long long id)
{
    return q("SELECT stage FROM initiatives WHERE id = CAST(? AS INTEGER)", id);
}

static const char *member_str(char *buf, size_t n, const char *handle)
{
    snprintf(buf, n, "%lld", member_id_of(&S, "dvor-sadovaya-12", handle));
    return buf;
}

/* POST pairs as JSON; status asserted; the answer's JSON (new ref). */
static json_t *post_json(struct client *c, const char *path, long status, const char *const *pairs)
{
    struct resp r;
    assert_int_equal(post_pairs(c, path, 1, pairs, &r), 0);
    if (r.status != status)
        fail_msg("POST %s: %ld, not %ld: %.400s", path, r.status, status, r.body);
    json_t *j = json_incref(r.json);
    resp_free(&r);
    return j;
}

/* A move that the gate forbids: 409 with the missing items, as JSON and in
 * the page; nothing moved. */
static void refused(struct client *c, long long id, const char *from, int missing)
{
    char p[128];
    const char *pairs[] = {"stage", from, NULL};
    json_t *v = post_json(c, ip(p, sizeof p, id, "/move"), 409, pairs);
    json_t *items = jget(v, "gate_missing");
    if ((int)json_array_size(items) != missing)
        fail_msg("stage %s: %zu missing, not %d", from, json_array_size(items), missing);
    json_decref(v);
    struct resp r;
    assert_int_equal(post_pairs(c, ip(p, sizeof p, id, "/move"), 0, pairs, &r), 0);
    assert_int_equal(r.status, 409);
    assert_true(resp_has(&r, "role=\"alert\""));
    resp_free(&r);
}

static void moves(struct client *c, long long id, const char *from)
{
    char p[128];
    POST(c, ip(p, sizeof p, id, "/move"), 303, "stage", from);
}

/* ---- the whole way, with the gate at every stage ---- */

static void four_stages_with_their_gates(void **state)
{
    (void)state;
    struct client m, org, anon;
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    login_as(&anon, &S, NULL);
    long long id = at_work(&m, &org, "Скамейки у песочницы");
    char p[128], mem[32];
    json_t *v = view_json(&org, ip(p, sizeof p, id, ""));
    assert_true(json_is_true(jget(v, "has_stages")));
    assert_true(json_is_true(jget(v, "can_move")));
    assert_true(json_is_true(jget(v, "edit1")));
    assert_false(json_is_true(jget(v, "gate_open")));
    assert_int_equal(json_array_size(jget(v, "gate")), 2);
    json_decref(v);
    /* 1. analysis: nothing yet, then the problem and a stakeholder */
    refused(&org, id, "1", 2);
    POST(&org, ip(p, sizeof p, id, "/analysis"), 303, "analysis",
         "Детям негде присесть, родители стоят.", "affected", "Семьи с детьми");
    refused(&org, id, "1", 1);
    POST(&org, ip(p, sizeof p, id, "/stakeholders"), 303, "stakeholder_name", "ЖЭС №5",
         "stakeholder_part", "Согласует место");
    v = view_json(&org, ip(p, sizeof p, id, ""));
    assert_true(json_is_true(jget(v, "gate_open")));
    assert_string_equal(jstr(v, "work.analysis"), "Детям негде присесть, родители стоят.");
    assert_string_equal(jstr(v, "stakeholders.0.name"), "ЖЭС №5");
    json_decref(v);
    moves(&org, id, "1");
    assert_int_equal(stage_of(id), 2);
    /* the same move again is told it was moved already */
    POST(&org, ip(p, sizeof p, id, "/move"), 409, "stage", "1");
    /* 2. design: a goal, a task with owner and date, a budget */
    refused(&org, id, "2", 3);
    POST(&org, ip(p, sizeof p, id, "/design"), 303, "goal", "Три скамейки к лету", "result",
         "Родители сидят", "risks", "");
    {
        const char *tp0[] = {"task_title", "Купить скамейки", "task_owner", "", "task_due", "",
                             NULL};
        json_decref(post_json(&org, ip(p, sizeof p, id, "/tasks"), 303, tp0));
    }
    refused(&org, id, "2", 2); /* a task without owner and date is no plan */
    POST(&org, ip(p, sizeof p, id, "/tasks"), 303, "task_title", "Установить скамейки",
         "task_owner", member_str(mem, sizeof mem, "member"), "task_due", "2026-06-01",
         "task_hours", "6", "task_money", "1 500,50", "task_people", "3");
    assert_int_equal(
        db_value(&S, "SELECT money FROM initiative_tasks WHERE title = ?", "Установить скамейки"),
        150050);
    POST(&org, ip(p, sizeof p, id, "/indicators"), 303, "indicator_name", "Скамеек во дворе",
         "indicator_now", "0", "indicator_target", "3");
    POST(&org, ip(p, sizeof p, id, "/team"), 303, "team_member", mem, "team_role", "Установщик");
    refused(&org, id, "2", 1);
    POST(&org, ip(p, sizeof p, id, "/budget"), 303, "line_name", "Скамейки", "line_amount",
         "45000");
    moves(&org, id, "2");
    assert_int_equal(stage_of(id), 3);
    /* its tasks are in the community's plan; serving no goal, under "no goal" */
    v = view_json(&m, DS "/strategy/plan?by=goal");
    assert_true(jarray_has(v, "no_goal.actions", "title", "Установить скамейки"));
    json_decref(v);
    /* 3. implementation: every task done, a report */
    refused(&org, id, "3", 2);
    long long t1 = db_value(&S, "SELECT id FROM initiative_tasks WHERE title = ?",
                            "Купить скамейки"),
              t2 = db_value(&S, "SELECT id FROM initiative_tasks WHERE title = ?",
                            "Установить скамейки");
    char tp[160];
    snprintf(tp, sizeof tp, DS "/initiatives/%lld/tasks/%lld/status", id, t1);
    POST(&org, tp, 303, "status", "done", "progress", "100");
    /* the task's owner (on the team) reports their own */
    snprintf(tp, sizeof tp, DS "/initiatives/%lld/tasks/%lld/status", id, t2);
    POST(&m, tp, 303, "status", "in_progress", "progress", "50");
    refused(&org, id, "3", 2);
    POST(&m, tp, 303, "status", "done", "progress", "100");
    refused(&org, id, "3", 1);
    POST(&m, ip(p, sizeof p, id, "/reports"), 303, "report_body", "Скамейки стоят, дети рады.");
    char line[32];
    snprintf(line, sizeof line, "%lld",
             db_value(&S, "SELECT id FROM initiative_budget_lines WHERE name = ?", "Скамейки"));
    POST(&org, ip(p, sizeof p, id, "/spending"), 303, "spend_line", line, "spend_amount", "47000",
         "spend_day", "2026-05-20", "spend_note", "Три скамейки");
    v = view_json(&anon, ip(p, sizeof p, id, ""));
    assert_true(json_is_true(jget(v, "lines.0.over")));
    assert_null(jget(v, "reports.0.who")); /* names are for members */
    assert_null(jget(v, "team.0.name"));
    assert_string_equal(jstr(v, "reports.0.body"), "Скамейки стоят, дети рады.");
    json_decref(v);
    /* a line money was spent on stays */
    POST(&org, ip(p, sizeof p, id, "/remove"), 409, "kind", "line", "entry", line);
    moves(&org, id, "3");
    /* 4. evaluation: done, learned, every indicator measured */
    refused(&org, id, "4", 3);
    char ap[160];
    snprintf(
        ap, sizeof ap, DS "/initiatives/%lld/indicators/%lld/after", id,
        db_value(&S, "SELECT id FROM initiative_indicators WHERE name = ?", "Скамеек во дворе"));
    POST(&org, ap, 303, "value_after", "3");
    POST(&org, ip(p, sizeof p, id, "/evaluation"), 303, "done_text", "Поставили три скамейки.",
         "learned", "ЖЭС согласует за неделю.", "consequences", "Во дворе стало людно.");
    moves(&org, id, "4");
    assert_int_equal(q("SELECT state = 'done' FROM initiatives WHERE id = CAST(? AS INTEGER)", id),
                     1);
    /* every move is in the history: who and which day */
    assert_int_equal(q("SELECT count(*) FROM initiative_history WHERE initiative_id ="
                       " CAST(? AS INTEGER) AND member_id IS NOT NULL AND day <> ''",
                       id),
                     5);
    v = view_json(&m, ip(p, sizeof p, id, ""));
    assert_true(json_is_true(jget(v, "is_done")));
    assert_false(json_is_true(jget(v, "edit4")));
    assert_string_equal(jstr(v, "history.4.who"), "Андрей");
    json_decref(v);
    /* reopened with a reason; none is 422 */
    POST(&org, ip(p, sizeof p, id, "/back"), 422, "stage", "5", "reason", "");
    POST(&org, ip(p, sizeof p, id, "/back"), 303, "stage", "5", "reason", "Забыли про урну.");
    assert_int_equal(q("SELECT state = 'work' AND stage = 4 FROM initiatives WHERE id ="
                       " CAST(? AS INTEGER)",
                       id),
                     1);
    char *html = get_html(&anon, ip(p, sizeof p, id, ""));
    assert_non_null(strstr(html, "Забыли про урну."));
    free(html);
    client_free(&m);
    client_free(&org);
    client_free(&anon);
}

/* ---- every bad input ---- */

static void every_bad_input_is_refused_beside_its_field(void **state)
{
    (void)state;
    struct client m, org;
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    long long id = at_work(&m, &org, "Проверка форм этапов");
    char p[128], mem[32];
    member_str(mem, sizeof mem, "member");
    char long_name[700], long_text[9000];
    memset(long_name, 'x', 201);
    long_name[201] = 0;
    memset(long_text, 'y', 4001);
    long_text[4001] = 0;
    POST(&org, ip(p, sizeof p, id, "/analysis"), 303, "analysis", "Проблема", "affected", "");
    POST(&org, ip(p, sizeof p, id, "/stakeholders"), 303, "stakeholder_name", "ТСЖ");
    moves(&org, id, "1");
    POST(&org, ip(p, sizeof p, id, "/move"), 409, "stage", "2");
    assert_int_equal(stage_of(id), 2); /* refused: stays */
    struct {
        const char *what, *field, *pairs[14];
    } bad[] = {
        {"/analysis", "analysis", {"analysis", long_text, NULL}},
        {"/stakeholders",
         "stakeholder_name",
         {"stakeholder_name", "", "stakeholder_part", "Хранимое", NULL}},
        {"/stakeholders", "stakeholder_name", {"stakeholder_name", long_name, NULL}},
        {"/evidence", "evidence", {"evidence", "poll-1", NULL}},
        {"/evidence", "evidence", {"evidence", "survey-999999", NULL}},
        {"/design", "goal", {"goal", long_text, "result", "Хранимое", NULL}},
        {"/indicators",
         "indicator_now",
         {"indicator_name", "Хранимое", "indicator_now", "-1", "indicator_target", "3", NULL}},
        {"/indicators",
         "indicator_target",
         {"indicator_name", "Хранимое", "indicator_now", "1", "indicator_target", "abc", NULL}},
        {"/indicators",
         "indicator_name",
         {"indicator_name", "", "indicator_now", "1", "indicator_target", "2", NULL}},
        {"/tasks", "task_due", {"task_title", "Хранимое", "task_due", "2026-13-45", NULL}},
        {"/tasks", "task_owner", {"task_title", "Хранимое", "task_owner", "999999", NULL}},
        {"/tasks", "task_money", {"task_title", "Хранимое", "task_money", "-5", NULL}},
        {"/tasks", "task_money", {"task_title", "Хранимое", "task_money", "12,345", NULL}},
        {"/tasks", "task_hours", {"task_title", "Хранимое", "task_hours", "1000001", NULL}},
        {"/tasks", "task_title", {"task_title", "", "task_people", "2", NULL}},
        {"/team", "team_member", {"team_member", "999999", "team_role", "Хранимое", NULL}},
        {"/team", "team_role", {"team_member", mem, "team_role", "", NULL}},
        {"/team", "team_name", {"team_name", "Несуществующий", "team_role", "Хранимое", NULL}},
        {"/budget", "line_amount", {"line_name", "Хранимое", "line_amount", "дорого", NULL}},
        {"/budget", "line_amount", {"line_name", "Хранимое", "line_amount", "99999999999", NULL}},
        {"/budget", "line_name", {"line_name", "", "line_amount", "10", NULL}},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct resp r;
        assert_int_equal(post_pairs(&org, ip(p, sizeof p, id, bad[i].what), 1, bad[i].pairs, &r),
                         0);
        if (r.status != 422 || !field_error(&r, bad[i].field))
            fail_msg("%s %s: %ld %.300s", bad[i].what, bad[i].field, r.status, r.body);
        resp_free(&r);
        assert_int_equal(post_pairs(&org, ip(p, sizeof p, id, bad[i].what), 0, bad[i].pairs, &r),
                         0);
        assert_int_equal(r.status, 422);
        assert_true(resp_has(&r, "field-error"));
        int kept = 0;
        for (int k = 1; bad[i].pairs[k - 1]; k += 2)
            kept |= strcmp(bad[i].pairs[k], "Хранимое") == 0;
        if (kept && !resp_has(&r, "Хранимое")) fail_msg("%s: the input is not kept", bad[i].what);
        resp_free(&r);
    }
    assert_int_equal(
        db_value(&S, "SELECT count(*) FROM initiative_indicators WHERE name = ?", "Хранимое"), 0);
    /* a row's form: a progress out of range, beside that task's field */
    POST(&org, ip(p, sizeof p, id, "/tasks"), 303, "task_title", "Задача проверки", "task_owner",
         mem, "task_due", "2026-07-01");
    POST(&org, ip(p, sizeof p, id, "/budget"), 303, "line_name", "Краска", "line_amount", "0");
    POST(&org, ip(p, sizeof p, id, "/design"), 303, "goal", "Проверить формы");
    moves(&org, id, "2");
    char tp[160];
    long long task =
        db_value(&S, "SELECT id FROM initiative_tasks WHERE title = ?", "Задача проверки");
    snprintf(tp, sizeof tp, DS "/initiatives/%lld/tasks/%lld/status", id, task);
    const char *prog[] = {"status", "in_progress", "progress", "140", NULL};
    struct resp r;
    assert_int_equal(post_pairs(&org, tp, 0, prog, &r), 0);
    assert_int_equal(r.status, 422);
    char want[64];
    /* the task's own page again, the message beside its field */
    snprintf(want, sizeof want, "/tasks/%lld/status", task);
    assert_true(resp_has(&r, want));
    assert_true(resp_has(&r, "id=\"progress-error\""));
    assert_true(resp_has(&r, "value=\"140\""));
    resp_free(&r);
    POST(&org, tp, 422, "status", "lost");
    /* the spending's line, amount and day */
    const char *sp[][10] = {
        {"spend_line", "999999", "spend_amount", "10", "spend_day", "2026-05-01", NULL},
        {"spend_line", "", "spend_amount", "10", "spend_day", "2026-05-01", NULL},
        {"spend_amount", "-1", "spend_day", "2026-05-01", NULL},
        {"spend_amount", "10", "spend_day", "вчера", NULL},
    };
    const char *spf[] = {NULL, "spend_line", "spend_amount", "spend_day"};
    for (size_t i = 0; i < 4; i++) {
        long st = post_status(&org, ip(p, sizeof p, id, "/spending"), 1, sp[i]);
        if (i == 0)
            assert_int_equal(st, 409); /* no such line of this initiative */
        else {
            assert_int_equal(post_pairs(&org, ip(p, sizeof p, id, "/spending"), 1, sp[i], &r), 0);
            if (r.status != 422 || !field_error(&r, spf[i]))
                fail_msg("spending %zu: %ld", i, r.status);
            resp_free(&r);
        }
    }
    POST(&org, ip(p, sizeof p, id, "/reports"), 422, "report_body", "");
    POST(&org, ip(p, sizeof p, id, "/remove"), 422, "kind", "survey", "entry", "1");
    POST(&org, ip(p, sizeof p, id, "/remove"), 404, "kind", "task", "entry", "999999");
    POST(&org, ip(p, sizeof p, id, "/move"), 422, "stage", "9");
    /* a stage not reached takes no data; one passed still does */
    POST(&org, ip(p, sizeof p, id, "/evaluation"), 409, "done_text", "Рано");
    POST(&org, ip(p, sizeof p, id, "/stakeholders"), 303, "stakeholder_name", "Школа №3");
    client_free(&m);
    client_free(&org);
}

/* ---- who may ---- */

static void organizers_the_coordinator_and_the_team(void **state)
{
    (void)state;
    struct client m, org, other, out, anon;
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    login_as(&other, &S, "dvor-sadovaya-12-4");
    login_as(&out, &S, "newcomer");
    login_as(&anon, &S, NULL);
    long long id = at_work(&m, &org, "Кто ведёт работу");
    char p[128], mem[32];
    /* a member who is neither coordinator nor on the team writes nothing */
    POST(&m, ip(p, sizeof p, id, "/analysis"), 409, "analysis", "Чужое");
    POST(&m, ip(p, sizeof p, id, "/move"), 409, "stage", "1");
    POST(&out, ip(p, sizeof p, id, "/analysis"), 403, "analysis", "Чужое");
    POST(&anon, ip(p, sizeof p, id, "/analysis"), 401, "analysis", "Чужое");
    POST(&m, ip(p, sizeof p, id, "/coordinator"), 403, "coordinator", "");
    json_t *v = view_json(&m, ip(p, sizeof p, id, ""));
    assert_false(json_is_true(jget(v, "can_move")));
    assert_false(json_is_true(jget(v, "edit1")));
    json_decref(v);
    /* the coordinator works and moves */
    POST(&org, ip(p, sizeof p, id, "/coordinator"), 422, "coordinator", "999999");
    POST(&org, ip(p, sizeof p, id, "/coordinator"), 303, "coordinator",
         member_str(mem, sizeof mem, "member"));
    v = view_json(&m, ip(p, sizeof p, id, ""));
    assert_true(json_is_true(jget(v, "can_move")));
    assert_string_equal(jstr(v, "work.coordinator"), "Марина");
    json_decref(v);
    POST(&m, ip(p, sizeof p, id, "/analysis"), 303, "analysis", "Своё описание");
    POST(&m, ip(p, sizeof p, id, "/stakeholders"), 303, "stakeholder_name", "Совет дома");
    moves(&m, id, "1");
    /* a team member works but does not move */
    POST(&m, ip(p, sizeof p, id, "/team"), 303, "team_member",
         member_str(mem, sizeof mem, "dvor-sadovaya-12-4"), "team_role", "Казначей");
    POST(&other, ip(p, sizeof p, id, "/design"), 303, "goal", "Цель от команды");
    POST(&other, ip(p, sizeof p, id, "/move"), 409, "stage", "2");
    v = view_json(&other, ip(p, sizeof p, id, ""));
    assert_true(json_is_true(jget(v, "edit2")));
    assert_false(json_is_true(jget(v, "can_move")));
    json_decref(v);
    /* the coordinator taken away: back to nobody, no more moves */
    POST(&org, ip(p, sizeof p, id, "/coordinator"), 303, "coordinator", "");
    POST(&m, ip(p, sizeof p, id, "/back"), 409, "stage", "2", "reason", "Нужно ещё подумать");
    POST(&org, ip(p, sizeof p, id, "/back"), 303, "stage", "2", "reason", "Нужно ещё подумать");
    assert_int_equal(stage_of(id), 1);
    /* a closed community's stages are its members' */
    assert_int_equal(get_status(&out, ZK "/initiatives", 1), 403);
    client_free(&m);
    client_free(&org);
    client_free(&other);
    client_free(&out);
    client_free(&anon);
}

/* ---- a member chosen by name ---- */

static long long ds_member(const char *name)
{
    return db_value(&S,
                    "SELECT m.id FROM members m JOIN communities c ON c.id = m.community_id"
                    " WHERE c.slug = 'dvor-sadovaya-12' AND m.name = ?",
                    name);
}

static int on_team(long long id, long long member)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM initiative_team WHERE initiative_id = ? AND member_id = %lld",
             member);
    return q(sql, id) == 1;
}

/* POSTs pairs as JSON and expects 422 with an error beside field; the
 * answer's view (new ref). */
static json_t *refused_beside(struct client *c, const char *path, const char *field,
                              const char *const *pairs)
{
    struct resp r;
    assert_int_equal(post_pairs(c, path, 1, pairs, &r), 0);
    if (r.status != 422 || !field_error(&r, field))
        fail_msg("%s %s: %ld %.300s", path, field, r.status, r.body);
    json_t *v = json_loads(r.body, 0, NULL);
    resp_free(&r);
    assert_non_null(v);
    return v;
}

static void a_member_is_chosen_by_name(void **state)
{
    (void)state;
    struct client m, org;
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    long long id = at_work(&m, &org, "Команда по именам");
    char p[128], alexey[32], vera[32];
    /* the team is the design's: past the analysis first */
    POST(&org, ip(p, sizeof p, id, "/analysis"), 303, "analysis", "Скамеек нет");
    POST(&org, ip(p, sizeof p, id, "/stakeholders"), 303, "stakeholder_name", "Совет дома");
    moves(&org, id, "1");
    snprintf(alexey, sizeof alexey, "%lld", ds_member("Алексей"));
    snprintf(vera, sizeof vera, "%lld", ds_member("Вера"));
    /* a whole name in another case, a part only one name holds */
    POST(&org, ip(p, sizeof p, id, "/team"), 303, "team_name", "вера", "team_role", "Счётная");
    assert_true(on_team(id, ds_member("Вера")));
    POST(&org, ip(p, sizeof p, id, "/team"), 303, "team_name", "натал", "team_role", "Связная");
    assert_true(on_team(id, ds_member("Наталья")));
    /* nobody of that name; nothing typed */
    const char *none[] = {"team_name", "Несуществующий", "team_role", "Роль", NULL};
    json_t *v = refused_beside(&org, ip(p, sizeof p, id, "/team"), "team_name", none);
    assert_null(jget(v, "error.choices"));
    json_decref(v);
    const char *empty[] = {"team_name", "", "team_role", "Роль", NULL};
    json_decref(refused_beside(&org, ip(p, sizeof p, id, "/team"), "team_name", empty));
    /* several: they are offered beside the name, which is kept */
    const char *several[] = {"team_name", "ей", "team_role", "Сборщик", NULL};
    v = refused_beside(&org, ip(p, sizeof p, id, "/team"), "team_name", several);
    assert_true(jarray_has(v, "error.choices.team_member", "value", alexey));
    assert_true(jarray_has(v, "error.choices.team_member", "label", "Андрей"));
    assert_false(jarray_has(v, "error.choices.team_member", "label", "Вера"));
    json_decref(v);
    /* the page: the name kept, the select of those it matched beside it */
    char *html = post_expect(&org, ip(p, sizeof p, id, "/team"), 422, "team_name", "ей",
                             "team_role", "Сборщик", NULL);
    assert_non_null(strstr(html, "name=\"team_name\" maxlength=\"200\" value=\"ей\""));
    assert_non_null(strstr(html, "<select id=\"team_member\" name=\"team_member\">"));
    assert_non_null(strstr(html, ">Алексей</option>"));
    free(html);
    /* a choice that is not one of the name's members is asked again */
    const char *stray[] = {"team_name", "ей", "team_member", vera, "team_role", "Сборщик", NULL};
    json_decref(refused_beside(&org, ip(p, sizeof p, id, "/team"), "team_name", stray));
    POST(&org, ip(p, sizeof p, id, "/team"), 303, "team_name", "ей", "team_member", alexey,
         "team_role", "Сборщик");
    assert_true(on_team(id, ds_member("Алексей")));
    /* the work pages' selects offer the initiative's people, not the
     * community; the summary draws none */
    v = view_json(&org, ip(p, sizeof p, id, ""));
    assert_null(jget(v, "owner_options"));
    assert_null(jget(v, "coordinator_options"));
    json_decref(v);
    v = view_json(&org, ip(p, sizeof p, id, "/design"));
    assert_true(jarray_has(v, "owner_options", "label", "Марина")); /* the author */
    assert_true(jarray_has(v, "owner_options", "label", "Вера"));
    assert_false(jarray_has(v, "owner_options", "label", "Павел"));
    assert_null(jget(v, "team_options"));
    json_decref(v);
    v = view_json(&org, ip(p, sizeof p, id, "/coordinator"));
    assert_true(jarray_has(v, "coordinator_options", "label", "Алексей"));
    assert_false(jarray_has(v, "coordinator_options", "label", "Павел"));
    json_decref(v);
    /* the coordinator by name, then the form sent as drawn keeps them */
    POST(&org, ip(p, sizeof p, id, "/coordinator"), 303, "coordinator", "", "coordinator_name",
         "Павел");
    assert_int_equal(q("SELECT coordinator_id FROM initiative_work WHERE initiative_id = ?", id),
                     ds_member("Павел"));
    const char *nobody[] = {"coordinator", "", "coordinator_name", "Никто Никтович", NULL};
    json_decref(
        refused_beside(&org, ip(p, sizeof p, id, "/coordinator"), "coordinator_name", nobody));
    char pavel[32];
    snprintf(pavel, sizeof pavel, "%lld", ds_member("Павел"));
    POST(&org, ip(p, sizeof p, id, "/coordinator"), 303, "coordinator", pavel, "coordinator_name",
         "");
    assert_int_equal(q("SELECT coordinator_id FROM initiative_work WHERE initiative_id = ?", id),
                     ds_member("Павел"));
    client_free(&m);
    client_free(&org);
}

/* In a secret community the names are sealed; found all the same. */
static void a_secret_communitys_member_is_found_by_name(void **state)
{
    (void)state;
    struct client m, org;
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    POST(&m, "/c/tiho-vmeste/initiatives", 303, "title", "Тихая команда", "problem",
         "Некому помочь.", "proposal", "Собрать команду.", "direction", "help");
    long long tv = db_value(&S, "SELECT id FROM communities WHERE slug = 'tiho-vmeste'", NULL);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT max(id) FROM initiatives WHERE community_id = %lld", tv);
    long long id = db_value(&S, sql, NULL);
    assert_true(id > 0);
    char p[160];
    snprintf(p, sizeof p, "/c/tiho-vmeste/initiatives/%lld/accept", id);
    POST(&org, p, 303, "x", "1");
    snprintf(p, sizeof p, "/c/tiho-vmeste/initiatives/%lld/analysis", id);
    POST(&org, p, 303, "analysis", "Помощь нужна");
    snprintf(p, sizeof p, "/c/tiho-vmeste/initiatives/%lld/stakeholders", id);
    POST(&org, p, 303, "stakeholder_name", "Соседи");
    snprintf(p, sizeof p, "/c/tiho-vmeste/initiatives/%lld/move", id);
    POST(&org, p, 303, "stage", "1");
    json_t *v = view_json(&org, "/c/tiho-vmeste/members");
    json_t *rows = jget(v, "members");
    const char *name = NULL;
    long long who = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (!strcmp(json_string_value(json_object_get(row, "role")), "member")) {
            name = json_string_value(json_object_get(row, "display_name"));
            who = json_integer_value(json_object_get(row, "id"));
            break;
        }
    }
    assert_non_null(name);
    snprintf(p, sizeof p, "/c/tiho-vmeste/initiatives/%lld/team", id);
    POST(&org, p, 303, "team_name", name, "team_role", "Помощник");
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM initiative_team WHERE initiative_id = ? AND member_id = %lld",
             who);
    assert_int_equal(q(sql, id), 1);
    json_decref(v);
    client_free(&m);
    client_free(&org);
}

/* ---- two movers at once ---- */

struct shot {
    struct client c;
    const char *path, *from;
    long status;
};

static void *fire(void *arg)
{
    struct shot *s = arg;
    const char *pairs[] = {"stage", s->from, NULL};
    s->status = post_status(&s->c, s->path, 0, pairs);
    return NULL;
}

static void two_movers_at_once_make_one_move(void **state)
{
    (void)state;
    struct client m, org;
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    long long id = at_work(&m, &org, "Два организатора сразу");
    char p[128], mem[32];
    /* a second organizer, and the member as coordinator */
    char role[128];
    snprintf(role, sizeof role, DS "/members/%s/role",
             member_str(mem, sizeof mem, "dvor-sadovaya-12-5"));
    POST(&org, role, 303, "role", "organizer");
    POST(&org, ip(p, sizeof p, id, "/coordinator"), 303, "coordinator",
         member_str(mem, sizeof mem, "member"));
    POST(&org, ip(p, sizeof p, id, "/analysis"), 303, "analysis", "Гонка");
    POST(&org, ip(p, sizeof p, id, "/stakeholders"), 303, "stakeholder_name", "Соседи");
    enum { N = 4 };
    static const char *const who[N] = {"organizer", "dvor-sadovaya-12-5", "member", "organizer"};
    struct shot shots[N];
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        login_as(&shots[i].c, &S, who[i]);
        shots[i].path = ip(p, sizeof p, id, "/move");
        shots[i].from = "1";
    }
    for (int i = 0; i < N; i++)
        assert_int_equal(pthread_create(&th[i], NULL, fire, &shots[i]), 0);
    int wins = 0, told = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        wins += shots[i].status == 303;
        told += shots[i].status == 409;
        client_free(&shots[i].c);
    }
    assert_int_equal(wins, 1);
    assert_int_equal(told, N - 1);
    assert_int_equal(stage_of(id), 2);
    assert_int_equal(q("SELECT count(*) FROM initiative_history WHERE initiative_id ="
                       " CAST(? AS INTEGER) AND to_stage = 2",
                       id),
                     1);
    /* the one told sees why */
    char *body = post_expect(&org, ip(p, sizeof p, id, "/move"), 409, "stage", "1", END);
    assert_non_null(strstr(body, "обновите страницу") ? body : strstr(body, "Обновите"));
    free(body);
    snprintf(role, sizeof role, DS "/members/%s/role",
             member_str(mem, sizeof mem, "dvor-sadovaya-12-5"));
    POST(&org, role, 303, "role", "member");
    client_free(&m);
    client_free(&org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(four_stages_with_their_gates),
        cmocka_unit_test(every_bad_input_is_refused_beside_its_field),
        cmocka_unit_test(organizers_the_coordinator_and_the_team),
        cmocka_unit_test(two_movers_at_once_make_one_move),
        cmocka_unit_test(a_member_is_chosen_by_name),
        cmocka_unit_test(a_secret_communitys_member_is_found_by_name),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
