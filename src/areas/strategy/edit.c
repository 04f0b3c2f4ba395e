/* The staff's edits of goals, actions, rules, the canvas and the settings,
 * and the members' pledges. Each bad input answers 422 on the overview with
 * the message next to its field and changes nothing. */
#include "areas/strategy/internal.h"
#include "areas/community/community.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"

#include <stdlib.h>
#include <string.h>

static const char *const CURRENCIES[] = {"BYN", "EUR", "USD", "RUB", "PLN", NULL};

/* Marks the option chosen in field (by key) so a re-shown form keeps it. */
static void keep_choice(struct req *r, json_t *items, const char *key, const char *field,
                        const char *flag)
{
    const char *want = req_param(r, field);
    if (str_empty(want)) return;
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        json_t *k = json_object_get(it, key);
        const char *have = json_is_string(k) ? json_string_value(k)
                           : json_is_integer(k)
                               ? arena_printf(r->arena, "%lld", (long long)json_integer_value(k))
                               : NULL;
        if (str_eq(have, want)) json_object_set_new(it, flag, json_true());
    }
}

static void invalid(struct req *r, struct form *f)
{
    json_t *v = s_index_view(r);
    keep_choice(r, json_object_get(v, "members"), "handle", "owner", "sel");
    keep_choice(r, json_object_get(v, "goals"), "id", "action_goal", "sel_action");
    keep_choice(r, json_object_get(v, "goals"), "id", "goal_parent", "sel_parent");
    keep_choice(r, json_object_get(v, "level_options"), "key", "level", "sel");
    render_invalid(r, "strategy/index", v, f);
}

/* An optional goal id field: 0 when empty; -1 with an error when it names
 * no goal of this community. */
static int64_t goal_field(struct form *f, const char *name, int required)
{
    int64_t id = 0;
    if (form_int(f, name, required, 0, INT64_MAX, 0, &id) != 0) return -1;
    if (id == 0 && required) {
        form_error(f, name, "error.required");
        return -1;
    }
    if (id != 0 && !goal_exists(req_db(f->r), f->r->comm->id, id)) {
        form_error(f, name, "strategy.error.goal");
        return -1;
    }
    return id;
}

void st_goal_post(struct req *r)
{
    struct form f;
    form_init(&f, r);
    const char *title = form_text(&f, "goal_title", 1, 200);
    int64_t parent = goal_field(&f, "goal_parent", 0);
    if (!form_ok(&f)) {
        invalid(r, &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    int64_t id = w ? goal_add(w, r->comm->id, parent, title) : -1;
    if (!w || req_write_end(r, id > 0) != 0 || id <= 0) {
        s_busy(r);
        return;
    }
    render_redirect(r, s_url(r, ""), "flash.strategy_saved");
}

/* 1 if parent under goal would close a loop in the tree. */
static int makes_cycle(struct req *r, int64_t goal, int64_t parent)
{
    json_t *goals = goals_list(req_db(r), r->comm->id);
    int n = (int)json_array_size(goals);
    int64_t *ids = xcalloc((size_t)n + 1, sizeof *ids);
    int64_t *parents = xcalloc((size_t)n + 1, sizeof *parents);
    size_t i;
    json_t *g;
    json_array_foreach(goals, i, g)
    {
        ids[i] = json_integer_value(json_object_get(g, "id"));
        parents[i] = json_integer_value(json_object_get(g, "parent_id"));
    }
    int cyc = goal_would_cycle(ids, parents, n, goal, parent);
    free(ids);
    free(parents);
    json_decref(goals);
    return cyc;
}

void st_goal_parent_post(struct req *r)
{
    int64_t id = s_path_id(r);
    if (!goal_exists(req_db(r), r->comm->id, id)) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    struct form f;
    form_init(&f, r);
    int64_t parent = goal_field(&f, "parent", 0);
    if (parent >= 0 && makes_cycle(r, id, parent)) form_error(&f, "parent", "strategy.error.cycle");
    if (!form_ok(&f)) {
        invalid(r, &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    int rc = w ? goal_set_parent(w, r->comm->id, id, parent) : -1;
    if (!w || req_write_end(r, rc == 0) != 0 || rc != 0) {
        s_busy(r);
        return;
    }
    render_redirect(r, s_url(r, ""), "flash.strategy_saved");
}

void st_action_post(struct req *r)
{
    struct form f;
    form_init(&f, r);
    struct action_new a = {0};
    a.goal_id = goal_field(&f, "action_goal", 1);
    a.title = form_text(&f, "action_title", 1, 200);
    const char *owner = form_text(&f, "owner", 0, 64);
    if (owner) {
        a.owner_id = member_account_id(req_db(r), r->comm->id, owner);
        if (!a.owner_id) form_error(&f, "owner", "strategy.error.owner");
    }
    int64_t due;
    char day[11];
    int drc = form_date(&f, "due", 0, &due);
    if (drc == 0) {
        date_format(due, day);
        a.due = day;
    }
    form_int(&f, "hours", 0, 0, 100000, 0, &a.hours);
    form_int(&f, "money", 0, 0, 1000000000, 0, &a.money);
    int cur = form_choice(&f, "currency", CURRENCIES, 0, 0);
    a.currency = CURRENCIES[cur >= 0 ? cur : 0];
    form_int(&f, "people", 0, 0, 10000, 0, &a.people);
    a.skills = form_text(&f, "skills", 0, 300);
    if (!form_ok(&f)) {
        invalid(r, &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    int64_t id = w ? action_add(w, r->comm->id, &a) : -1;
    if (!w || req_write_end(r, id > 0) != 0 || id <= 0) {
        s_busy(r);
        return;
    }
    render_redirect(r, s_url(r, ""), "flash.strategy_saved");
}

void st_action_status_post(struct req *r)
{
    int64_t id = s_path_id(r);
    if (!action_exists(req_db(r), r->comm->id, id)) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    struct form f;
    form_init(&f, r);
    int st = form_choice(&f, "status", STRATEGY_STATUSES, 1, 0);
    if (!form_ok(&f)) {
        invalid(r, &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    int rc = w ? action_set_status(w, r->comm->id, id, STRATEGY_STATUSES[st]) : -1;
    if (!w || req_write_end(r, rc == 0) != 0 || rc != 0) {
        s_busy(r);
        return;
    }
    render_redirect(r, s_url(r, ""), "flash.strategy_saved");
}

void st_pledge_post(struct req *r)
{
    int64_t id = s_path_id(r);
    if (!action_exists(req_db(r), r->comm->id, id)) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    struct form f;
    form_init(&f, r);
    int64_t hours = 0, money = 0;
    form_int(&f, "pledge_hours", 0, 0, 10000, 0, &hours);
    form_int(&f, "pledge_money", 0, 0, 100000000, 0, &money);
    int person = !str_empty(req_param(r, "pledge_person"));
    if (form_ok(&f) && hours == 0 && money == 0 && !person)
        form_error(&f, "pledge_hours", "strategy.error.pledge_empty");
    if (!form_ok(&f)) {
        invalid(r, &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    int64_t pid = w ? pledge_add(w, id, r->acct->id, hours, money, person) : -1;
    if (!w || req_write_end(r, pid > 0) != 0 || pid <= 0) {
        s_busy(r);
        return;
    }
    render_redirect(r, s_url(r, "/plan"), "flash.strategy_pledged");
}

enum { MAX_RULE_VALUES = 20 };

void st_rule_post(struct req *r)
{
    struct form f;
    form_init(&f, r);
    const char *text = form_text(&f, "rule_text", 1, STRATEGY_TEXT_MAX);
    const char *raw[MAX_RULE_VALUES];
    int64_t ids[MAX_RULE_VALUES];
    int n = req_param_all(r, "protects", raw, MAX_RULE_VALUES), nids = 0;
    for (int i = 0; i < n; i++) {
        int64_t id;
        if (str_empty(raw[i])) continue;
        if (str_to_i64(raw[i], &id) != 0 || !value_in_community(req_db(r), r->comm->id, id)) {
            form_error(&f, "protects", "strategy.error.value");
            break;
        }
        ids[nids++] = id;
    }
    if (!form_ok(&f)) {
        invalid(r, &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    int64_t id = w ? rule_add(w, r->comm->id, text, ids, nids) : -1;
    if (!w || req_write_end(r, id > 0) != 0 || id <= 0) {
        s_busy(r);
        return;
    }
    render_redirect(r, s_url(r, ""), "flash.strategy_saved");
}

void st_dilts_post(struct req *r)
{
    struct form f;
    form_init(&f, r);
    int lv = form_choice(&f, "level", STRATEGY_LEVELS, 1, 0);
    const char *text = form_text(&f, "entry", 1, STRATEGY_TEXT_MAX);
    if (!form_ok(&f)) {
        invalid(r, &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    int64_t id = w ? dilts_add(w, r->comm->id, STRATEGY_LEVELS[lv], text) : -1;
    if (!w || req_write_end(r, id > 0) != 0 || id <= 0) {
        s_busy(r);
        return;
    }
    render_redirect(r, s_url(r, ""), "flash.strategy_saved");
}

void st_dilts_delete(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    int rc = w ? dilts_delete(w, r->comm->id, s_path_id(r)) : -1;
    if (!w || req_write_end(r, rc == 0) != 0 || rc != 0) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    render_redirect(r, s_url(r, ""), "flash.strategy_deleted");
}

void st_settings_post(struct req *r)
{
    struct form f;
    form_init(&f, r);
    struct strategy_settings s;
    form_int(&f, "vote_days", 1, 1, 90, 14, &s.vote_days);
    form_int(&f, "majority_pct", 1, 50, 100, 50, &s.majority_pct);
    form_int(&f, "quorum_pct", 1, 1, 100, 33, &s.quorum_pct);
    if (!form_ok(&f)) {
        invalid(r, &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    int rc = w ? strategy_settings_set(w, r->comm->id, &s) : -1;
    if (!w || req_write_end(r, rc == 0) != 0 || rc != 0) {
        s_busy(r);
        return;
    }
    render_redirect(r, s_url(r, ""), "flash.strategy_saved");
}

/* The staff's removals: a rule, a goal with all below it, an action. */
static void remove_one(struct req *r, int (*fn)(struct dbc *, int64_t, int64_t))
{
    struct dbc *w = req_write_begin(r);
    int rc = w ? fn(w, r->comm->id, s_path_id(r)) : -1;
    if (!w || req_write_end(r, rc == 0) != 0 || rc != 0) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    render_redirect(r, s_url(r, ""), "flash.strategy_deleted");
}

void st_rule_delete(struct req *r)
{
    remove_one(r, rule_delete);
}

void st_goal_delete(struct req *r)
{
    remove_one(r, goal_delete);
}

void st_action_delete(struct req *r)
{
    remove_one(r, action_delete);
}
