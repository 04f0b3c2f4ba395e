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
    if (!w) {
        s_busy(r);
        return;
    }
    int rc = goal_set_parent(w, r->comm->id, id, parent);
    if (req_write_end(r, rc == 0) != 0) {
        s_busy(r);
        return;
    }
    if (rc != 0) { /* removed since the form was read */
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    render_redirect(r, s_url(r, ""), "flash.strategy_saved");
}

/* The fields of an action's add and edit forms into a; day holds the
 * date's text. */
static void action_fields(struct req *r, struct form *f, struct action_new *a, char day[11])
{
    a->goal_id = goal_field(f, "action_goal", 1);
    a->title = form_text(f, "action_title", 1, 200);
    const char *owner = form_text(f, "owner", 0, 64);
    if (owner) {
        a->owner_id = member_account_id(req_db(r), r->comm->id, owner);
        if (!a->owner_id) form_error(f, "owner", "strategy.error.owner");
    }
    int64_t due;
    if (form_date(f, "due", 0, &due) == 0) {
        date_format(due, day);
        a->due = day;
    }
    form_int(f, "hours", 0, 0, 100000, 0, &a->hours);
    form_int(f, "money", 0, 0, 1000000000, 0, &a->money);
    int cur = form_choice(f, "currency", CURRENCIES, 0, 0);
    a->currency = CURRENCIES[cur >= 0 ? cur : 0];
    form_int(f, "people", 0, 0, 10000, 0, &a->people);
    a->skills = form_text(f, "skills", 0, 300);
}

void st_action_post(struct req *r)
{
    struct form f;
    form_init(&f, r);
    struct action_new a = {0};
    char day[11];
    action_fields(r, &f, &a, day);
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

/* The owner's report (or the staff's): status and progress. Who may is
 * decided by the UPDATE itself; when it changes nothing the same
 * transaction tells a vanished action (404) from a refused one (403). */
void st_action_status_post(struct req *r)
{
    int64_t id = s_path_id(r);
    json_t *row = action_find(req_db(r), r->comm->id, id);
    if (!row) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    int64_t stored = json_integer_value(json_object_get(row, "progress"));
    json_decref(row);
    struct form f;
    form_init(&f, r);
    int st = form_choice(&f, "status", STRATEGY_STATUSES, 1, 0);
    int64_t progress = stored;
    form_int(&f, "progress", 0, 0, 100, stored, &progress);
    if (!form_ok(&f)) {
        invalid(r, &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    if (!w) {
        s_busy(r);
        return;
    }
    int rc = action_report(w, r->comm->id, id, r->acct->id, STRATEGY_STATUSES[st], progress);
    int gone = rc != 0 && !action_exists(w, r->comm->id, id);
    if (req_write_end(r, rc == 0) != 0) {
        s_busy(r);
        return;
    }
    if (rc != 0) {
        if (gone)
            render_error(r, 404, "not_found", "error.not_found");
        else
            render_error(r, 403, "forbidden", "strategy.error.not_owner");
        return;
    }
    render_redirect(r, s_url(r, str_eq(req_param(r, "back"), "plan") ? "/plan" : ""),
                    "flash.strategy_saved");
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
    if (!form_read(&f, r, FORM_DILTS)) {
        invalid(r, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? dilts_add(w, r->comm->id, form_str(&f, "level"), form_str(&f, "entry")) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, s_url(r, ""), "flash.strategy_saved");
}

void st_dilts_delete(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? dilts_delete(w, r->comm->id, s_path_id(r)) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, s_url(r, ""), "flash.strategy_deleted");
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

/* ---- edit pages: each shows the stored object, so that saving it
 * unchanged writes back what is there ---- */

/* Sets sel on the option of opts whose key (string or integer) is want. */
static void mark(struct req *r, json_t *opts, const char *key, const char *want)
{
    size_t i;
    json_t *o;
    json_array_foreach(opts, i, o)
    {
        json_t *k = json_object_get(o, key);
        const char *have = json_is_string(k) ? json_string_value(k)
                           : json_is_integer(k)
                               ? arena_printf(r->arena, "%lld", (long long)json_integer_value(k))
                               : NULL;
        json_object_set_new(o, "sel", json_boolean(want && str_eq(have, want)));
    }
}

static const char *num(struct req *r, json_t *row, const char *key)
{
    return arena_printf(r->arena, "%lld", (long long)json_integer_value(json_object_get(row, key)));
}

static json_t *edit_base(struct req *r, const char *title_key, int64_t id)
{
    json_t *v = json_pack("{ss ss ss sI}", "title", tr(r, title_key), "slug", r->comm->slug, "name",
                          r->comm->name, "id", (json_int_t)id);
    return v;
}

static void not_found(struct req *r)
{
    render_error(r, 404, "not_found", "error.not_found");
}

/* A write that changed no row: 404 when the object is gone by now (read in
 * the same transaction), else the given refusal. */
static void refused(struct req *r, int gone, int status, const char *code, const char *key)
{
    if (gone)
        not_found(r);
    else
        render_error(r, status, code, key);
}

/* -- goals -- */

static json_t *goal_edit_view(struct req *r, json_t *row, const char *parent)
{
    int64_t id = json_integer_value(json_object_get(row, "id"));
    json_t *v = edit_base(r, "strategy.goal.edit", id);
    json_object_set_new(v, "form", json_pack("{sO}", "goal_title", json_object_get(row, "title")));
    json_t *all = goals_list(req_db(r), r->comm->id), *opts = json_array();
    size_t i;
    json_t *g;
    json_array_foreach(all, i, g)
    {
        if (json_integer_value(json_object_get(g, "id")) != id) json_array_append(opts, g);
    }
    json_decref(all);
    mark(r, opts, "id", parent);
    json_object_set_new(v, "parents", opts);
    json_object_set_new(v, "top", json_boolean(str_eq(parent, "0")));
    return v;
}

void st_goal_edit_get(struct req *r)
{
    json_t *row = goal_find(req_db(r), r->comm->id, s_path_id(r));
    if (!row) {
        not_found(r);
        return;
    }
    json_t *v = goal_edit_view(r, row, num(r, row, "parent_id"));
    json_decref(row);
    render_page(r, 200, "strategy/goal_edit", v);
}

void st_goal_edit_post(struct req *r)
{
    int64_t id = s_path_id(r);
    json_t *row = goal_find(req_db(r), r->comm->id, id);
    if (!row) {
        not_found(r);
        return;
    }
    struct form f;
    form_init(&f, r);
    const char *title = form_text(&f, "goal_title", 1, 200);
    int64_t parent = goal_field(&f, "goal_parent", 0);
    if (parent > 0 && makes_cycle(r, id, parent))
        form_error(&f, "goal_parent", "strategy.error.cycle");
    if (!form_ok(&f)) {
        json_t *v = goal_edit_view(r, row, req_param(r, "goal_parent"));
        json_decref(row);
        render_invalid(r, "strategy/goal_edit", v, &f);
        return;
    }
    json_decref(row);
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    if (!w) {
        s_busy(r);
        return;
    }
    int rc = goal_update(w, r->comm->id, id, parent, title);
    if (req_write_end(r, rc == 0) != 0) {
        s_busy(r);
        return;
    }
    if (rc != 0) {
        not_found(r);
        return;
    }
    render_redirect(r, s_url(r, ""), "flash.strategy_saved");
}

/* -- actions -- */

static json_t *action_edit_view(struct req *r, json_t *row, const char *goal, const char *owner,
                                const char *currency)
{
    int64_t id = json_integer_value(json_object_get(row, "id"));
    json_t *v = edit_base(r, "strategy.action.edit", id);
    json_object_set_new(v, "form",
                        json_pack("{sO sO ss ss ss sO}", "action_title",
                                  json_object_get(row, "title"), "due", json_object_get(row, "due"),
                                  "hours", num(r, row, "hours"), "money", num(r, row, "money"),
                                  "people", num(r, row, "people"), "skills",
                                  json_object_get(row, "skills")));
    json_t *goals = goals_list(req_db(r), r->comm->id);
    mark(r, goals, "id", goal);
    json_object_set_new(v, "goals", goals);
    json_t *members = member_list(req_db(r), r->comm->id, 0, 1000);
    mark(r, members, "handle", owner);
    json_object_set_new(v, "members", members);
    json_object_set_new(v, "no_owner", json_boolean(str_empty(owner)));
    json_t *cur = json_array();
    for (int i = 0; CURRENCIES[i]; i++)
        json_array_append_new(cur, json_pack("{ss}", "key", CURRENCIES[i]));
    mark(r, cur, "key", currency);
    json_object_set_new(v, "currencies", cur);
    return v;
}

void st_action_edit_get(struct req *r)
{
    json_t *row = action_find(req_db(r), r->comm->id, s_path_id(r));
    if (!row) {
        not_found(r);
        return;
    }
    json_t *v = action_edit_view(r, row, num(r, row, "goal_id"),
                                 json_string_value(json_object_get(row, "owner_handle")),
                                 json_string_value(json_object_get(row, "currency")));
    json_decref(row);
    render_page(r, 200, "strategy/action_edit", v);
}

void st_action_edit_post(struct req *r)
{
    int64_t id = s_path_id(r);
    json_t *row = action_find(req_db(r), r->comm->id, id);
    if (!row) {
        not_found(r);
        return;
    }
    struct form f;
    form_init(&f, r);
    struct action_new a = {0};
    char day[11];
    action_fields(r, &f, &a, day);
    if (!form_ok(&f)) {
        json_t *v = action_edit_view(r, row, req_param(r, "action_goal"), req_param(r, "owner"),
                                     req_param(r, "currency"));
        json_decref(row);
        render_invalid(r, "strategy/action_edit", v, &f);
        return;
    }
    json_decref(row);
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    if (!w) {
        s_busy(r);
        return;
    }
    int rc = action_update(w, r->comm->id, id, &a);
    if (req_write_end(r, rc == 0) != 0) {
        s_busy(r);
        return;
    }
    if (rc != 0) {
        not_found(r);
        return;
    }
    render_redirect(r, s_url(r, ""), "flash.strategy_saved");
}

/* -- rules -- */

static json_t *rule_edit_view(struct req *r, json_t *row, const char *const *chosen, int n)
{
    int64_t id = json_integer_value(json_object_get(row, "id"));
    json_t *v = edit_base(r, "strategy.rules.edit", id);
    json_object_set_new(v, "form", json_pack("{sO}", "rule_text", json_object_get(row, "text")));
    json_t *values = s_values(r, NULL);
    size_t i;
    json_t *val;
    json_array_foreach(values, i, val)
    {
        const char *vid = num(r, val, "id");
        int on = 0;
        for (int k = 0; k < n && !on; k++)
            on = str_eq(chosen[k], vid);
        json_object_set_new(val, "sel", json_boolean(on));
    }
    json_object_set_new(v, "values", values);
    return v;
}

void st_rule_edit_get(struct req *r)
{
    json_t *row = rule_find(req_db(r), r->comm->id, s_path_id(r));
    if (!row) {
        not_found(r);
        return;
    }
    json_t *linked = json_object_get(row, "values");
    int n = (int)json_array_size(linked);
    const char **chosen = arena_alloc(r->arena, sizeof *chosen * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        chosen[i] = num(r, json_array_get(linked, (size_t)i), "id");
    json_t *v = rule_edit_view(r, row, chosen, n);
    json_decref(row);
    render_page(r, 200, "strategy/rule_edit", v);
}

enum { MAX_RULE_LINKS = 20 };

void st_rule_edit_post(struct req *r)
{
    int64_t id = s_path_id(r);
    json_t *row = rule_find(req_db(r), r->comm->id, id);
    if (!row) {
        not_found(r);
        return;
    }
    struct form f;
    form_init(&f, r);
    const char *text = form_text(&f, "rule_text", 1, STRATEGY_TEXT_MAX);
    const char *raw[MAX_RULE_LINKS];
    int64_t ids[MAX_RULE_LINKS];
    int n = req_param_all(r, "protects", raw, MAX_RULE_LINKS), nids = 0;
    for (int i = 0; i < n; i++) {
        int64_t vid;
        if (str_empty(raw[i])) continue;
        if (str_to_i64(raw[i], &vid) != 0 || !value_in_community(req_db(r), r->comm->id, vid)) {
            form_error(&f, "protects", "strategy.error.value");
            break;
        }
        ids[nids++] = vid;
    }
    if (!form_ok(&f)) {
        json_t *v = rule_edit_view(r, row, raw, n);
        json_decref(row);
        render_invalid(r, "strategy/rule_edit", v, &f);
        return;
    }
    json_decref(row);
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    if (!w) {
        s_busy(r);
        return;
    }
    int rc = rule_update(w, r->comm->id, id, text, ids, nids);
    if (req_write_end(r, rc == 0) != 0) {
        s_busy(r);
        return;
    }
    if (rc != 0) {
        not_found(r);
        return;
    }
    render_redirect(r, s_url(r, ""), "flash.strategy_saved");
}

/* -- the canvas -- */

/* The canvas entry's form, described once: the route accepts these
 * fields, the edit page shows the stored level selected, the POST
 * validates them (routes.c, FORM_DILTS). */
const struct field FORM_DILTS[] = {
    {"level", F_CHOICE, 1, 0, 0, STRATEGY_CANVAS_LEVELS, "strategy.level."},
    {"entry", F_TEXT, 1, 0, STRATEGY_TEXT_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void dilts_edit_page(struct req *r, int status, struct form *f)
{
    json_t *v = edit_base(r, "strategy.dilts.edit", s_path_id(r));
    req_own(r, v);
    if (status == 422)
        render_invalid(r, "strategy/dilts_edit", v, f);
    else {
        form_to_view(f, v);
        form_release(f);
        render_page(r, status, "strategy/dilts_edit", v);
    }
}

void st_dilts_edit_get(struct req *r)
{
    struct dilts_entry e;
    if (dilts_find(req_db(r), r->arena, r->comm->id, s_path_id(r), &e) != 0) {
        not_found(r);
        return;
    }
    json_t *stored = json_pack("{ss ss}", "level", e.level, "entry", e.text);
    req_own(r, stored);
    struct form f;
    form_fill(&f, r, FORM_DILTS, stored);
    dilts_edit_page(r, 200, &f);
}

void st_dilts_edit_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, FORM_DILTS)) {
        dilts_edit_page(r, 422, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? dilts_update(w, r->comm->id, s_path_id(r), form_str(&f, "level"), form_str(&f, "entry"))
          : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, s_url(r, ""), "flash.strategy_saved");
}

/* -- shared values, before the vote starts -- */

/* 0 when the viewer may edit the value: its proposer or the staff, and
 * nobody voted yet; else answers (403 or 409) and returns -1. */
static int value_editable(struct req *r, json_t *row)
{
    if (!s_staff(r) && json_integer_value(json_object_get(row, "proposed_by")) != r->acct->id) {
        render_error(r, 403, "forbidden", "strategy.error.not_proposer");
        return -1;
    }
    if (json_integer_value(json_object_get(row, "votes")) > 0) {
        render_error(r, 409, "conflict", "strategy.conflict.voted");
        return -1;
    }
    return 0;
}

static json_t *value_edit_view(struct req *r, json_t *row)
{
    json_t *v =
        edit_base(r, "strategy.values.edit", json_integer_value(json_object_get(row, "id")));
    json_object_set_new(v, "form",
                        json_pack("{sO sO}", "title", json_object_get(row, "title"), "description",
                                  json_object_get(row, "description")));
    return v;
}

void st_value_edit_get(struct req *r)
{
    json_t *row = value_edit_find(req_db(r), r->comm->id, s_path_id(r));
    if (!row) {
        not_found(r);
        return;
    }
    if (value_editable(r, row) == 0)
        render_page(r, 200, "strategy/value_edit", value_edit_view(r, row));
    json_decref(row);
}

void st_value_edit_post(struct req *r)
{
    int64_t id = s_path_id(r);
    json_t *row = value_edit_find(req_db(r), r->comm->id, id);
    if (!row) {
        not_found(r);
        return;
    }
    if (value_editable(r, row) != 0) {
        json_decref(row);
        return;
    }
    struct form f;
    form_init(&f, r);
    const char *title = form_text(&f, "title", 1, 120);
    const char *desc = form_text(&f, "description", 0, 2000);
    if (!form_ok(&f)) {
        json_t *v = value_edit_view(r, row);
        json_decref(row);
        render_invalid(r, "strategy/value_edit", v, &f);
        return;
    }
    json_decref(row);
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    if (!w) {
        s_busy(r);
        return;
    }
    int rc = value_update(w, r->comm->id, id, r->acct->id, title, desc);
    /* Nothing changed: gone, or someone voted (or the role went) between
     * the check above and this write. */
    json_t *now = rc != 0 ? value_edit_find(w, r->comm->id, id) : NULL;
    if (req_write_end(r, rc == 0) != 0) {
        json_decref(now);
        s_busy(r);
        return;
    }
    if (rc != 0) {
        if (!now)
            not_found(r);
        else if (json_integer_value(json_object_get(now, "votes")) > 0)
            render_error(r, 409, "conflict", "strategy.conflict.voted");
        else
            render_error(r, 403, "forbidden", "strategy.error.not_proposer");
        json_decref(now);
        return;
    }
    render_redirect(r, s_url(r, "/values"), "flash.strategy_saved");
}

/* ---- deletes: a page that says what goes, then the POST ---- */

static void confirm_page(struct req *r, const char *heading_key, const char *what, const char *loss,
                         const char *back)
{
    json_t *v = json_pack("{ss ss ss ss ss ss ss}", "title", tr(r, heading_key), "slug",
                          r->comm->slug, "name", r->comm->name, "what", what ? what : "", "loss",
                          loss, "action", r->path, "back", back);
    render_page(r, 200, "strategy/confirm", v);
}

/* "<lead> 1 подцель, 3 действия и 2 вклада участников." from the parts
 * whose count is not zero (keys[i] with n[i]); alone when all are. */
static const char *loss_text(struct req *r, const char *lead, const char *alone,
                             const char *const *keys, const int64_t *n, int count)
{
    const char *parts[8];
    int k = 0;
    for (int i = 0; i < count && k < 8; i++)
        if (n[i] > 0) parts[k++] = s_plural(r, keys[i], n[i]);
    if (k == 0) return tr(r, alone);
    const char *out = tr(r, lead);
    for (int i = 0; i < k; i++)
        out = arena_printf(r->arena, "%s%s%s", out,
                           i == 0       ? " "
                           : i == k - 1 ? arena_printf(r->arena, " %s ", tr(r, "strategy.loss.and"))
                                        : ", ",
                           parts[i]);
    return arena_printf(r->arena, "%s.", out);
}

static const char *goal_loss_text(struct req *r, json_t *loss)
{
    static const char *const KEYS[] = {"strategy.loss.subgoals", "strategy.loss.actions",
                                       "strategy.loss.pledges"};
    int64_t n[] = {json_integer_value(json_object_get(loss, "subgoals")),
                   json_integer_value(json_object_get(loss, "actions")),
                   json_integer_value(json_object_get(loss, "pledges"))};
    return loss_text(r, "strategy.loss.goal_with", "strategy.loss.goal_alone", KEYS, n, 3);
}

void st_goal_delete_get(struct req *r)
{
    int64_t id = s_path_id(r);
    json_t *row = goal_find(req_db(r), r->comm->id, id);
    json_t *loss = row ? goal_loss(req_db(r), r->comm->id, id) : NULL;
    if (!row || !loss) {
        json_decref(row);
        json_decref(loss);
        not_found(r);
        return;
    }
    confirm_page(r, "strategy.confirm.goal", json_string_value(json_object_get(row, "title")),
                 goal_loss_text(r, loss), s_url(r, ""));
    json_decref(row);
    json_decref(loss);
}

void st_action_delete_get(struct req *r)
{
    json_t *row = action_find(req_db(r), r->comm->id, s_path_id(r));
    if (!row) {
        not_found(r);
        return;
    }
    static const char *const KEYS[] = {"strategy.loss.pledges"};
    int64_t n[] = {json_integer_value(json_object_get(row, "pledges"))};
    const char *loss =
        loss_text(r, "strategy.loss.action_with", "strategy.loss.action_alone", KEYS, n, 1);
    confirm_page(r, "strategy.confirm.action", json_string_value(json_object_get(row, "title")),
                 loss, s_url(r, ""));
    json_decref(row);
}

/* A member withdraws their own pledges to an action (their own content:
 * nobody else can, and nobody else's go). */
void st_pledge_withdraw_get(struct req *r)
{
    json_t *row = action_find(req_db(r), r->comm->id, s_path_id(r));
    int64_t n = row ? pledge_mine(req_db(r), r->comm->id, s_path_id(r), r->acct->id) : 0;
    if (!row || n == 0) {
        json_decref(row);
        not_found(r);
        return;
    }
    confirm_page(r, "strategy.confirm.pledge", json_string_value(json_object_get(row, "title")),
                 s_plural(r, "strategy.loss.my_pledges", n), s_url(r, ""));
    json_decref(row);
}

void st_pledge_withdraw_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    int n = w ? pledge_withdraw(w, r->comm->id, s_path_id(r), r->acct->id) : -1;
    if (!w || req_write_end(r, n > 0) != 0) n = n > 0 ? -1 : n;
    if (n == 0) {
        not_found(r);
        return;
    }
    if (n < 0) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    render_redirect(r, s_url(r, ""), "flash.strategy_saved");
}

void st_rule_delete_get(struct req *r)
{
    json_t *row = rule_find(req_db(r), r->comm->id, s_path_id(r));
    if (!row) {
        not_found(r);
        return;
    }
    int64_t n = (int64_t)json_array_size(json_object_get(row, "values"));
    const char *loss =
        n ? s_plural(r, "strategy.loss.rule_values", n) : tr(r, "strategy.loss.rule_alone");
    confirm_page(r, "strategy.confirm.rule", json_string_value(json_object_get(row, "text")), loss,
                 s_url(r, ""));
    json_decref(row);
}

void st_dilts_delete_get(struct req *r)
{
    struct dilts_entry e;
    if (dilts_find(req_db(r), r->arena, r->comm->id, s_path_id(r), &e) != 0) {
        not_found(r);
        return;
    }
    confirm_page(r, "strategy.confirm.dilts", e.text, tr(r, "strategy.loss.dilts"), s_url(r, ""));
}

void st_value_delete_get(struct req *r)
{
    json_t *row = value_edit_find(req_db(r), r->comm->id, s_path_id(r));
    if (!row) {
        not_found(r);
        return;
    }
    int64_t votes = json_integer_value(json_object_get(row, "votes"));
    if (!s_staff(r) &&
        (json_integer_value(json_object_get(row, "proposed_by")) != r->acct->id || votes > 0)) {
        render_error(r, 403, "forbidden", "strategy.error.value_delete");
        json_decref(row);
        return;
    }
    static const char *const KEYS[] = {"strategy.loss.votes", "strategy.loss.value_rules"};
    int64_t n[] = {votes, json_integer_value(json_object_get(row, "rules"))};
    const char *loss =
        loss_text(r, "strategy.loss.value_with", "strategy.loss.value_alone", KEYS, n, 2);
    confirm_page(r, "strategy.confirm.value", json_string_value(json_object_get(row, "title")),
                 loss, s_url(r, "/values"));
    json_decref(row);
}

void st_value_delete(struct req *r)
{
    int64_t id = s_path_id(r);
    struct dbc *w = req_write_begin(r);
    if (!w) {
        s_busy(r);
        return;
    }
    int rc = value_delete(w, r->comm->id, id, r->acct->id);
    int gone = rc != 0 && !value_in_community(w, r->comm->id, id);
    if (req_write_end(r, rc == 0) != 0) {
        s_busy(r);
        return;
    }
    if (rc != 0) {
        refused(r, gone, 403, "forbidden", "strategy.error.value_delete");
        return;
    }
    render_redirect(r, s_url(r, "/values"), "flash.strategy_deleted");
}

void st_mine_delete_get(struct req *r)
{
    json_t *row = personal_find(req_db(r), r->comm->id, r->acct->id, s_path_id(r));
    if (!row) {
        not_found(r);
        return;
    }
    int64_t roots = json_integer_value(json_object_get(row, "roots"));
    const char *loss = roots ? s_plural(r, "strategy.loss.personal_roots", roots)
                             : tr(r, "strategy.loss.personal_alone");
    confirm_page(r, "strategy.confirm.personal", json_string_value(json_object_get(row, "text")),
                 loss, s_url(r, "/mine"));
    json_decref(row);
}
