/* The staff's goals and actions, the owners' reports and the members'
 * pledges. A bad input answers 422 on the page it came from with the
 * message next to its field and changes nothing; a goal, owner or action
 * gone between the page and the POST is the write's to find (409, 404). */
#include "areas/strategy/internal.h"
#include "areas/community/community.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"

#include <stdlib.h>
#include <string.h>

enum { TITLE_MAX = 200, HANDLE_MAX = 64, SKILLS_MAX = 300 };

/* One form adds a goal and edits it (the overview's and the edit page's). */
const struct field FORM_GOAL[] = {
    {"goal_title", F_TEXT, 1, 0, TITLE_MAX, NULL, NULL},
    {"goal_parent", F_INT, 0, 0, INT64_MAX, NULL, NULL}, /* 0 or empty: a strategic goal */
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field FORM_PARENT[] = {
    {"parent", F_INT, 0, 0, INT64_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field FORM_ACTION[] = {
    {"action_goal", F_INT, 1, 0, INT64_MAX, NULL, NULL},
    {"action_title", F_TEXT, 1, 0, TITLE_MAX, NULL, NULL},
    {"owner", F_INT, 0, 1, INT64_MAX, NULL, NULL},       /* a member id of the community */
    {"owner_name", F_TEXT, 0, 0, TITLE_MAX, NULL, NULL}, /* or a name (member_pick) */
    {"due", F_DATE, 0, 0, 0, NULL, NULL},
    {"hours", F_INT, 0, 0, 100000, NULL, NULL},
    {"money", F_INT, 0, 0, 1000000000, NULL, NULL},
    {"currency", F_CHOICE, 0, 0, 0, STRATEGY_CURRENCIES, NULL},
    {"people", F_INT, 0, 0, 10000, NULL, NULL},
    {"skills", F_TEXT, 0, 0, SKILLS_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field FORM_STATUS[] = {
    {"status", F_CHOICE, 1, 0, 0, STRATEGY_STATUSES, "strategy.status."},
    {"progress", F_INT, 0, 0, 100, NULL, NULL},
    {"back", F_TEXT, 0, 0, 16, NULL, NULL}, /* "plan": the report came from the plan */
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field FORM_PLEDGE[] = {
    {"pledge_hours", F_INT, 0, 0, 10000, NULL, NULL},
    {"pledge_money", F_INT, 0, 0, 100000000, NULL, NULL},
    {"pledge_person", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* A goal field's value: 0 for none; with an error when it names no goal
 * of this community (or, when required, none). */
static int64_t goal_field(struct form *f, const char *name, int required)
{
    int64_t id = form_num(f, name, 0);
    if (required && id == 0 && !json_object_get(f->errors, name))
        form_error(f, name, "error.required");
    if (id != 0 && !goal_exists(req_db(f->r), f->r->comm->id, id))
        form_error(f, name, "strategy.error.goal");
    return id;
}

/* ---- goals ---- */

void st_goal_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_GOAL);
    int64_t parent = goal_field(&f, "goal_parent", 0);
    if (!s_valid(r, &f)) return;
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? goal_create(w, r->comm->id, parent, form_str(&f, "goal_title")) : WR_BUSY;
    form_release(&f);
    s_saved(r, rc);
}

void st_goal_parent_post(struct req *r)
{
    int64_t id = s_path_id(r);
    if (!goal_exists(req_db(r), r->comm->id, id)) {
        s_not_found(r);
        return;
    }
    struct form f;
    form_read(&f, r, FORM_PARENT);
    int64_t parent = goal_field(&f, "parent", 0);
    if (form_ok(&f) && (parent == id || goal_would_loop(req_db(r), r->comm->id, id, parent)))
        form_error(&f, "parent", "strategy.error.cycle");
    if (!s_valid(r, &f)) return;
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? goal_update(w, r->comm->id, id, parent, NULL) : WR_BUSY;
    s_saved(r, rc);
}

/* The edit page: the goal's title and parent as stored, so that saving it
 * unchanged keeps the goal where it is. */
static void goal_edit_page(struct req *r, int status, struct form *f)
{
    json_t *v = s_edit_view(r, "strategy.goal.edit");
    json_t *all = req_own(r, goals_list(req_db(r), r->comm->id)), *others = json_array();
    size_t i;
    json_t *g;
    json_array_foreach(all, i, g)
    {
        if (json_integer_value(json_object_get(g, "id")) != s_path_id(r))
            json_array_append(others, g);
    }
    form_options(f, "goal_parent", others, "id", "title", NULL);
    json_decref(others);
    const char *cur = json_string_value(json_object_get(f->values, "goal_parent"));
    json_object_set_new(v, "top", json_boolean(str_empty(cur) || str_eq(cur, "0")));
    render_form(r, status, "strategy/goal_edit", v, f);
}

void st_goal_edit_get(struct req *r)
{
    struct goal g;
    if (!s_found(r, goal_find(req_db(r), r->arena, r->comm->id, s_path_id(r), &g))) return;
    json_t *stored = req_own(
        r, json_pack("{ss sI}", "goal_title", g.title, "goal_parent", (json_int_t)g.parent_id));
    struct form f;
    form_fill(&f, r, FORM_GOAL, stored);
    goal_edit_page(r, 200, &f);
}

void st_goal_edit_post(struct req *r)
{
    int64_t id = s_path_id(r);
    if (!goal_exists(req_db(r), r->comm->id, id)) {
        s_not_found(r);
        return;
    }
    struct form f;
    form_read(&f, r, FORM_GOAL);
    int64_t parent = goal_field(&f, "goal_parent", 0);
    if (form_ok(&f) && (parent == id || goal_would_loop(req_db(r), r->comm->id, id, parent)))
        form_error(&f, "goal_parent", "strategy.error.cycle");
    if (!form_ok(&f)) {
        goal_edit_page(r, 422, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? goal_update(w, r->comm->id, id, parent, form_str(&f, "goal_title")) : WR_BUSY;
    form_release(&f);
    s_saved(r, rc);
}

void st_goal_delete_get(struct req *r)
{
    int64_t id = s_path_id(r);
    struct goal g;
    int64_t n[3];
    if (goal_find(req_db(r), r->arena, r->comm->id, id, &g) != 0 ||
        goal_loss(req_db(r), r->comm->id, id, n) != 0) {
        s_not_found(r);
        return;
    }
    static const char *const KEYS[] = {"strategy.loss.subgoals", "strategy.loss.actions",
                                       "strategy.loss.pledges"};
    s_confirm(r, "strategy.confirm.goal", g.title,
              s_loss_text(r, "strategy.loss.goal_with", "strategy.loss.goal_alone", KEYS, n, 3),
              s_url(r, ""));
}

void st_goal_delete(struct req *r)
{
    s_delete(r, goal_delete);
}

/* ---- actions ---- */

/* The action of an add or edit form into a (strings the form's); the
 * owner is a member id of the community (the write asks again), the goal
 * the community's. */
static void action_fields(struct req *r, struct form *f, struct action_new *a)
{
    a->goal_id = goal_field(f, "action_goal", 1);
    a->title = form_str(f, "action_title");
    /* a name typed wins over the select, which offers only the plan's
     * people (strategy_plan_people); the write asks again */
    int64_t chosen = form_num(f, "owner", 0);
    if (chosen && str_empty(form_str(f, "owner_name")) && !json_object_get(f->errors, "owner")) {
        char *name = member_name_of(req_db(r), r->comm->id, chosen);
        if (!name)
            form_error(f, "owner", "strategy.error.owner"); /* says why, not "a bad choice" */
        free(name);
    }
    a->owner_id = member_pick(f, "owner", "owner_name");
    if (form_given(f, "due") && !json_object_get(f->errors, "due")) {
        char *day = arena_alloc(r->arena, 11);
        date_format(form_num(f, "due", 0), day);
        a->due = day;
    }
    a->hours = form_num(f, "hours", 0);
    a->money = form_num(f, "money", 0);
    a->currency = form_str(f, "currency");
    if (!a->currency) a->currency = STRATEGY_CURRENCIES[0];
    a->people = form_num(f, "people", 0);
    a->skills = form_str(f, "skills");
    a->by = r->comm->member_id;
}

void st_action_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_ACTION);
    struct action_new a = {0};
    action_fields(r, &f, &a);
    if (!s_valid(r, &f)) return;
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? action_create(w, r->comm->id, &a) : WR_BUSY;
    form_release(&f);
    s_saved(r, rc);
}

/* The owner's report (or the staff's): status and progress. A member who
 * is neither is refused (403) before the write; the write asks again, so
 * an owner changed or a role taken away meanwhile is a conflict (409). */
void st_action_status_post(struct req *r)
{
    struct action x;
    if (!s_found(r, action_find(req_db(r), r->arena, r->comm->id, s_path_id(r), &x))) return;
    if (!req_has(r, CAP_C_STAFF) && x.owner_id != r->comm->member_id) {
        render_error(r, 403, "forbidden", "strategy.error.not_owner");
        return;
    }
    struct form f;
    form_read(&f, r, FORM_STATUS);
    if (!s_valid(r, &f)) return;
    int64_t progress = form_num(&f, "progress", x.progress);
    int back_plan = str_eq(form_str(&f, "back"), "plan");
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? action_report(w, r->comm->id, x.id, r->comm->member_id, form_str(&f, "status"),
                                   progress)
                   : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, s_url(r, back_plan ? "/plan" : ""), "flash.strategy_saved");
}

/* The edit page shows the action as stored: its goal, owner and currency
 * selected, so that saving it unchanged changes nothing. */
static void action_edit_page(struct req *r, int status, struct form *f)
{
    json_t *v = s_edit_view(r, "strategy.action.edit");
    form_options(f, "action_goal", req_own(r, goals_list(req_db(r), r->comm->id)), "id", "title",
                 NULL);
    /* the candidates a typed name matched, or the plan's people */
    if (!json_object_get(f->options, "owner")) {
        json_t *people =
            req_own(r, strategy_plan_people(req_db(r), r->comm->id, r->comm->member_id));
        form_options(f, "owner", people, "id", "display_name", NULL);
    }
    json_t *cur = json_array();
    for (int k = 0; STRATEGY_CURRENCIES[k]; k++)
        json_array_append_new(cur, json_pack("{ss}", "key", STRATEGY_CURRENCIES[k]));
    form_options(f, "currency", cur, "key", "key", NULL);
    json_decref(cur);
    /* no owner: not given, given empty, or stored as none (0) */
    json_t *owner = json_object_get(f->values, "owner");
    int none = !owner || (json_is_string(owner) && str_empty(json_string_value(owner))) ||
               (json_is_integer(owner) && json_integer_value(owner) == 0);
    json_object_set_new(v, "no_owner", json_boolean(none));
    render_form(r, status, "strategy/action_edit", v, f);
}

void st_action_edit_get(struct req *r)
{
    struct action x;
    if (!s_found(r, action_find(req_db(r), r->arena, r->comm->id, s_path_id(r), &x))) return;
    json_t *stored =
        req_own(r, json_pack("{sI ss sI ss sI sI ss sI ss}", "action_goal", (json_int_t)x.goal_id,
                             "action_title", x.title, "owner", (json_int_t)x.owner_id, "due", x.due,
                             "hours", (json_int_t)x.hours, "money", (json_int_t)x.money, "currency",
                             x.currency, "people", (json_int_t)x.people, "skills",
                             x.skills ? x.skills : ""));
    struct form f;
    form_fill(&f, r, FORM_ACTION, stored);
    action_edit_page(r, 200, &f);
}

void st_action_edit_post(struct req *r)
{
    int64_t id = s_path_id(r);
    if (!action_exists(req_db(r), r->comm->id, id)) {
        s_not_found(r);
        return;
    }
    struct form f;
    form_read(&f, r, FORM_ACTION);
    struct action_new a = {0};
    action_fields(r, &f, &a);
    if (!form_ok(&f)) {
        action_edit_page(r, 422, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? action_update(w, r->comm->id, id, &a) : WR_BUSY;
    form_release(&f);
    s_saved(r, rc);
}

void st_action_delete_get(struct req *r)
{
    struct action x;
    if (!s_found(r, action_find(req_db(r), r->arena, r->comm->id, s_path_id(r), &x))) return;
    static const char *const KEYS[] = {"strategy.loss.pledges"};
    int64_t n[] = {x.pledges};
    s_confirm(r, "strategy.confirm.action", x.title,
              s_loss_text(r, "strategy.loss.action_with", "strategy.loss.action_alone", KEYS, n, 1),
              s_url(r, ""));
}

void st_action_delete(struct req *r)
{
    s_delete(r, action_delete);
}

/* ---- pledges ---- */

void st_pledge_post(struct req *r)
{
    int64_t id = s_path_id(r);
    if (!action_exists(req_db(r), r->comm->id, id)) {
        s_not_found(r);
        return;
    }
    struct form f;
    form_read(&f, r, FORM_PLEDGE);
    int64_t hours = form_num(&f, "pledge_hours", 0), money = form_num(&f, "pledge_money", 0);
    int person = form_num(&f, "pledge_person", 0) != 0;
    if (form_ok(&f) && hours == 0 && money == 0 && !person)
        form_error(&f, "pledge_hours", "strategy.error.pledge_empty");
    if (!s_valid(r, &f)) return;
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? pledge_create(w, r->comm->id, id, r->comm->member_id, hours, money, person) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, s_url(r, "/plan"), "flash.strategy_pledged");
}

/* A member withdraws their own pledges to an action (their own content:
 * nobody else can, and nobody else's go). */
void st_pledge_withdraw_get(struct req *r)
{
    struct action x;
    int64_t n = 0;
    if (action_find(req_db(r), r->arena, r->comm->id, s_path_id(r), &x) == 0)
        n = pledge_mine(req_db(r), r->comm->id, x.id, r->comm->member_id);
    if (n == 0) {
        s_not_found(r);
        return;
    }
    s_confirm(r, "strategy.confirm.pledge", x.title, s_plural(r, "strategy.loss.my_pledges", n),
              s_url(r, ""));
}

void st_pledge_withdraw_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? pledge_withdraw(w, r->comm->id, s_path_id(r), r->comm->member_id) : WR_BUSY;
    s_saved(r, rc);
}
