/* Building the views: shared values with their votes, the actions, the
 * goal tree, the checks panel, the Dilts pyramid and the overview. Every
 * list is read through a field list (struct vfield) that says who may see
 * each field; what the viewer may do is a capability (req_has). */
#include "areas/strategy/internal.h"
#include "areas/community/community.h"
#include "core/app.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/render.h"
#include "core/text.h"
#include "core/tmpl.h"

#include <stdlib.h>
#include <string.h>

const char *const STRATEGY_LEVELS[] = {
    "environment", "behaviour", "capabilities", "values", "identity", "mission", NULL};
const char *const STRATEGY_CANVAS_LEVELS[] = {"environment", "behaviour", "capabilities",
                                              "values",      "identity",  NULL};
const char *const STRATEGY_STATUSES[] = {"planned", "in_progress", "done", "dropped", NULL};
const char *const STRATEGY_TEXT_KINDS[] = {"vision", "mission", "manifesto", NULL};
const char *const STRATEGY_CURRENCIES[] = {"BYN", "EUR", "USD", "RUB", "PLN", NULL};

/* A shared value as a view shows it: who proposed it and the personal
 * values it grew from are for members (a public community's strategy is
 * read by anyone). */
static const struct vfield VALUE_FIELDS[] = {
    {"id", CAP_ANY},
    {"title", CAP_ANY},
    {"description", CAP_ANY},
    {"proposer", CAP_C_MEMBER},
    {"opens", CAP_ANY},
    {"closes", CAP_ANY},
    {"yes", CAP_ANY},
    {"no", CAP_ANY},
    {"holders", CAP_ANY},
    {"roots", CAP_C_MEMBER},
    {NULL, 0},
};

/* An action: its owner's name and member id are for members. */
static const struct vfield ACTION_FIELDS[] = {
    {"id", CAP_ANY},
    {"goal_id", CAP_ANY},
    {"title", CAP_ANY},
    {"owner", CAP_C_MEMBER},
    {"owner_member", CAP_C_MEMBER},
    {"due", CAP_ANY},
    {"status", CAP_ANY},
    {"progress", CAP_ANY},
    {"hours", CAP_ANY},
    {"money", CAP_ANY},
    {"currency", CAP_ANY},
    {"people", CAP_ANY},
    {"skills", CAP_ANY},
    {"p_hours", CAP_ANY},
    {"p_money", CAP_ANY},
    {"p_people", CAP_ANY},
    {"overdue", CAP_ANY},
    {"initiative_id", CAP_ANY},
    {"initiative", CAP_ANY},
    {NULL, 0},
};

static const struct vfield DILTS_FIELDS[] = {
    {"id", CAP_ANY}, {"level", CAP_ANY}, {"text", CAP_ANY}, {NULL, 0}};
static const struct vfield RULE_FIELDS[] = {
    {"id", CAP_ANY}, {"text", CAP_ANY}, {"protects", CAP_ANY}, {NULL, 0}};

const char *s_url(struct req *r, const char *suffix)
{
    return arena_printf(r->arena, "/c/%s/strategy%s", r->comm->slug, suffix);
}

int64_t s_path_id(struct req *r)
{
    return req_path_int(r, "id");
}

int64_t s_viewer(struct req *r)
{
    return req_has(r, CAP_C_MEMBER) ? r->comm->member_id : 0;
}

const char *s_plural(struct req *r, const char *key, int64_t n)
{
    json_t *ctx = json_pack("{sI}", "n", (json_int_t)n);
    struct buf b;
    buf_init(&b);
    tmpl_subst(&b, i18n_plural(r->app->cat, r->lang, key, n), ctx, 0);
    json_decref(ctx);
    const char *s = arena_strdup(r->arena, b.data ? b.data : "");
    buf_free(&b);
    return s;
}

const char *s_loss_text(struct req *r, const char *lead, const char *alone, const char *const *keys,
                        const int64_t *n, int count)
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

void s_not_found(struct req *r)
{
    render_error(r, 404, "not_found", "error.not_found");
}

void s_label(struct req *r, json_t *row, const char *field, const char *prefix, const char *out)
{
    const char *key = json_string_value(json_object_get(row, field));
    json_object_set_new(row, out,
                        json_string(tr(r, arena_printf(r->arena, "%s%s", prefix, key ? key : ""))));
}

int s_found(struct req *r, int find_rc)
{
    if (find_rc == 0) return 1;
    s_not_found(r);
    return 0;
}

json_t *s_edit_view(struct req *r, const char *title_key)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, title_key)));
    json_object_set_new(v, "slug", json_string(r->comm->slug));
    json_object_set_new(v, "name", json_string(r->comm->name));
    json_object_set_new(v, "id", json_integer(s_path_id(r)));
    return v;
}

void s_confirm(struct req *r, const char *title_key, const char *what, const char *loss,
               const char *back)
{
    struct confirm c = {.title = tr(r, title_key),
                        .what = what,
                        .loss = loss,
                        .back = back,
                        .back_label = tr(r, "strategy.title"),
                        .button = tr(r, "strategy.confirm.yes"),
                        .final = 1};
    render_confirm(r, &c);
}

void s_delete(struct req *r, enum wr (*del)(struct dbc *w, int64_t cid, int64_t id))
{
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? del(w, r->comm->id, s_path_id(r)) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, s_url(r, ""), "flash.strategy_deleted");
}

void s_saved(struct req *r, enum wr rc)
{
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, s_url(r, ""), "flash.strategy_saved");
}

json_t *s_base_view(struct req *r, const char *title_key)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, title_key)));
    json_object_set_new(v, "slug", json_string(r->comm->slug));
    json_object_set_new(v, "name", json_string(r->comm->name));
    json_object_set_new(v, "is_member", json_boolean(req_has(r, CAP_C_MEMBER)));
    json_object_set_new(v, "is_staff", json_boolean(req_has(r, CAP_C_STAFF)));
    json_object_set_new(v, "is_organizer", json_boolean(req_has(r, CAP_C_ORGANIZE)));
    return v;
}

enum { DAY_S = 86400 };

static const char *const STATE_NAMES[] = {"open", "adopted", "rejected"};

enum adoption_state s_vote_state(struct req *r, json_t *v, const struct vote_facts *f,
                                 const struct strategy_settings *s, int64_t members)
{
    int64_t now = now_s();
    struct adoption ad = {
        members, f->yes, f->no, (int)s->majority_pct, (int)s->quorum_pct, f->closes_at <= now};
    enum adoption_state st = adoption_decide(&ad);
    json_object_set_new(v, "state", json_string(STATE_NAMES[st]));
    json_object_set_new(
        v, "state_label",
        json_string(tr(r, arena_printf(r->arena, "strategy.value.%s", STATE_NAMES[st]))));
    json_object_set_new(v, "is_open", json_boolean(st == ADOPT_OPEN));
    json_object_set_new(v, "is_adopted", json_boolean(st == ADOPT_ADOPTED));
    json_object_set_new(v, "passing", json_boolean(adoption_passes(&ad)));
    json_object_set_new(v, "voters", json_integer(ad.yes + ad.no));
    if (st == ADOPT_OPEN) {
        int64_t left = f->closes_at - now;
        /* to the nearest unit: a vote opened for 7 days reads "7 days" for
         * its first half-day, not "6" a second after it opened */
        const char *unit = left >= DAY_S ? "days" : left >= 3600 ? "hours" : "minutes";
        int64_t size = left >= DAY_S ? DAY_S : left >= 3600 ? 3600 : 60;
        int64_t n = (left + size / 2) / size;
        if (n < 1) n = 1;
        json_object_set_new(
            v, "time_left",
            json_string(s_plural(r, arena_printf(r->arena, "strategy.vote.left_%s", unit), n)));
    }
    if (f->ended_early && st != ADOPT_OPEN) {
        json_object_set_new(
            v, "ended_label",
            json_string(tr(r, arena_printf(r->arena, "strategy.vote.ended_%s", f->ended_early))));
        if (f->close_reason) json_object_set_new(v, "close_reason", json_string(f->close_reason));
    }
    if (f->my_vote >= 0) json_object_set_new(v, f->my_vote ? "voted_yes" : "voted_no", json_true());
    return st;
}

enum adoption_state s_vote_settled(struct req *r, struct dbc *c, const struct vote_facts *f)
{
    struct strategy_settings s;
    strategy_settings_get(c, r->comm->id, &s);
    struct adoption ad = {community_member_count(c, r->comm->id),
                          f->yes,
                          f->no,
                          (int)s.majority_pct,
                          (int)s.quorum_pct,
                          0};
    return adoption_settled(&ad);
}

json_t *s_values(struct req *r, json_t **adopted)
{
    struct dbc *c = req_db(r);
    struct strategy_settings s;
    strategy_settings_get(c, r->comm->id, &s);
    int64_t members = community_member_count(c, r->comm->id);
    struct vmask m = view_mask(r, VALUE_FIELDS);
    struct vote_facts *facts;
    json_t *rows = req_own(r, values_list(c, r->arena, &m, r->comm->id, s_viewer(r),
                                          tr(r, "strategy.former_member"), &facts));
    if (adopted) *adopted = json_array();
    int member = req_has(r, CAP_C_MEMBER), staff = req_has(r, CAP_C_STAFF);
    size_t i;
    json_t *v;
    json_array_foreach(rows, i, v)
    {
        const struct vote_facts *f = &facts[i];
        enum adoption_state st = s_vote_state(r, v, f, &s, members);
        /* edited by its proposer or the staff while nobody has voted */
        if (member && f->yes + f->no == 0 && st == ADOPT_OPEN && (f->mine || staff))
            json_object_set_new(v, "can_edit", json_true());
        if (st == ADOPT_ADOPTED && adopted) json_array_append(*adopted, v);
    }
    return rows;
}

json_t *s_actions(struct req *r)
{
    struct vmask m = view_mask(r, ACTION_FIELDS);
    json_t *actions = req_own(r, actions_list(req_db(r), &m, r->comm->id));
    if (!actions) actions = req_own(r, json_array());
    int member = req_has(r, CAP_C_MEMBER), staff = req_has(r, CAP_C_STAFF);
    size_t i;
    json_t *a;
    json_array_foreach(actions, i, a)
    {
        s_label(r, a, "status", "strategy.status.", "status_label");
        /* The report form (status and progress) is the owner's and the
         * staff's; it shows the stored status, so saving it unchanged
         * changes nothing. owner_member is in the row for members only. */
        int own = member && r->comm->member_id != 0 &&
                  json_integer_value(json_object_get(a, "owner_member")) == r->comm->member_id;
        if (own || staff) {
            /* the report form filled with the stored status: its options
             * as every form's, the stored one selected */
            const char *st = json_string_value(json_object_get(a, "status"));
            struct form f;
            json_t *stored = json_pack("{ss}", "status", st ? st : "");
            form_fill(&f, r, FORM_STATUS, stored);
            json_decref(stored);
            json_t *tmp = json_object();
            form_to_view(&f, tmp);
            form_release(&f);
            json_object_set(a, "statuses",
                            json_object_get(json_object_get(tmp, "options"), "status"));
            json_decref(tmp);
            json_object_set_new(a, "can_report", json_true());
        }
        json_object_set_new(a, "overdue",
                            json_boolean(json_integer_value(json_object_get(a, "overdue"))));
    }
    return actions;
}

void s_initiative_tasks(struct req *r, json_t *actions)
{
    struct vmask m = view_mask(r, ACTION_FIELDS);
    json_t *tasks = plan_initiative_tasks(req_db(r), &m, r->comm->id);
    size_t i;
    json_t *a;
    json_array_foreach(tasks, i, a)
    {
        s_label(r, a, "status", "strategy.status.", "status_label");
        json_object_set_new(a, "overdue",
                            json_boolean(json_integer_value(json_object_get(a, "overdue"))));
        json_array_append(actions, a);
    }
    json_decref(tasks);
}

/* The version that stands: a vision or mission put to the vote counts
 * once adopted; until then the one before it stands. */
static json_t *text_view(struct req *r, const char *kind)
{
    int pending;
    json_t *t = s_text_standing(r, kind, &pending);
    if (!t && !pending) return json_null();
    if (!t) t = json_object();
    if (pending) json_object_set_new(t, "pending", json_true());
    return t;
}

json_t *s_index_view(struct req *r)
{
    struct dbc *c = req_db(r);
    int staff = req_has(r, CAP_C_STAFF);
    json_t *v = s_base_view(r, "strategy.title");
    json_t *adopted = NULL;
    json_t *values = s_values(r, &adopted);
    struct vmask dm = view_mask(r, DILTS_FIELDS);
    json_t *dilts = dilts_list(c, &dm, r->comm->id);
    json_t *levels = json_array();
    for (int i = 5; i >= 0; i--) {
        const char *lv = STRATEGY_LEVELS[i];
        json_t *entries = json_array();
        size_t j;
        json_t *e;
        json_array_foreach(dilts, j, e)
        {
            if (str_eq(json_string_value(json_object_get(e, "level")), lv))
                json_array_append(entries, e);
        }
        json_t *level = json_object();
        json_object_set_new(level, "key", view_string(lv));
        json_object_set_new(level, "label",
                            view_string(tr(r, arena_printf(r->arena, "strategy.level.%s", lv))));
        json_object_set_new(level, "entries", entries);
        json_object_set_new(level, "is_values", json_boolean(str_eq(lv, "values")));
        json_object_set_new(level, "is_mission", json_boolean(str_eq(lv, "mission")));
        json_array_append_new(levels, level);
    }
    json_object_set_new(v, "levels", levels);
    json_decref(dilts);
    json_object_set_new(v, "vision", text_view(r, "vision"));
    json_object_set_new(v, "mission", text_view(r, "mission"));
    json_object_set_new(v, "adopted", adopted);
    json_t *goals = req_own(r, goals_list(c, r->comm->id));
    json_t *tree = s_goal_tree(r, goals, s_actions(r));
    if (staff) {
        /* Each goal's "move under" choices with its parent selected (not
         * itself): saving the form unchanged keeps the goal where it is. */
        size_t i, j;
        json_t *g, *o;
        json_array_foreach(tree, i, g)
        {
            int64_t id = json_integer_value(json_object_get(g, "id"));
            int64_t parent = json_integer_value(json_object_get(g, "parent_id"));
            json_t *others = json_array();
            json_array_foreach(goals, j, o)
            {
                if (json_integer_value(json_object_get(o, "id")) != id)
                    json_array_append(others, o);
            }
            struct form f;
            json_t *stored = json_pack("{sI}", "parent", (json_int_t)parent);
            form_fill(&f, r, FORM_PARENT, stored);
            json_decref(stored);
            form_options(&f, "parent", others, "id", "title", NULL);
            json_decref(others);
            json_object_set(g, "parent_options", json_object_get(f.options, "parent"));
            form_release(&f);
            json_object_set_new(g, "at_top", json_boolean(parent == 0));
        }
    }
    json_object_set_new(v, "goals", tree);
    struct vmask rm = view_mask(r, RULE_FIELDS);
    json_t *rules = rules_list(c, &rm, r->comm->id);
    json_object_set_new(v, "rules", rules ? rules : json_array());
    json_object_set_new(v, "checks", s_checks(r));
    if (staff) {
        json_object_set(v, "all_values", values);
        /* the owner's select: the plan's people, not the community */
        json_object_set_new(v, "members", strategy_plan_people(c, r->comm->id, r->comm->member_id));
        json_object_set_new(v, "level_options",
                            community_labels(r, STRATEGY_CANVAS_LEVELS, "strategy.level", NULL));
        const char *want = req_param(r, "currency");
        if (str_empty(want)) want = "BYN";
        json_t *cur = json_array();
        for (int i = 0; STRATEGY_CURRENCIES[i]; i++)
            json_array_append_new(cur, json_pack("{ss sb}", "key", STRATEGY_CURRENCIES[i], "sel",
                                                 str_eq(STRATEGY_CURRENCIES[i], want)));
        json_object_set_new(v, "currencies", cur);
        struct strategy_settings s;
        strategy_settings_get(c, r->comm->id, &s);
        json_object_set_new(v, "settings",
                            json_pack("{sI sI sI}", "vote_days", (json_int_t)s.vote_days,
                                      "majority_pct", (json_int_t)s.majority_pct, "quorum_pct",
                                      (json_int_t)s.quorum_pct));
    }
    return v;
}

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

/* The overview again with the form's input kept and its messages: 422. */
static void s_invalid(struct req *r, struct form *f)
{
    json_t *v = s_index_view(r);
    keep_choice(r, json_object_get(v, "members"), "id", "owner", "sel");
    keep_choice(r, json_object_get(v, "goals"), "id", "action_goal", "sel_action");
    keep_choice(r, json_object_get(v, "goals"), "id", "goal_parent", "sel_parent");
    keep_choice(r, json_object_get(v, "level_options"), "key", "level", "sel");
    render_invalid(r, "strategy/index", v, f);
}

int s_valid(struct req *r, struct form *f)
{
    if (form_ok(f)) return 1;
    s_invalid(r, f);
    return 0;
}

void st_index_get(struct req *r)
{
    json_t *v = s_index_view(r);
    json_object_set_new(v, "form", json_pack("{ss}", "currency", "BYN"));
    render_page(r, 200, "strategy/index", v);
}

static void tree_walk(struct req *r, json_t *goals, json_t *actions, int64_t parent, int depth,
                      json_t *out)
{
    size_t i;
    json_t *g;
    if (depth > 16) return;
    json_array_foreach(goals, i, g)
    {
        if (json_integer_value(json_object_get(g, "parent_id")) != parent) continue;
        int64_t id = json_integer_value(json_object_get(g, "id"));
        json_t *item = json_object();
        json_object_set_new(item, "id", json_integer((json_int_t)id));
        json_object_set(item, "title", json_object_get(g, "title"));
        json_object_set_new(item, "depth", json_integer(depth));
        json_object_set_new(
            item, "level_label",
            view_string(tr(r, depth == 0 ? "strategy.goal.strategic" : "strategy.goal.tactical")));
        json_object_set_new(item, "strategic", json_boolean(depth == 0));
        json_object_set_new(item, "parent_id", json_integer((json_int_t)parent));
        json_t *mine = json_array();
        size_t j;
        json_t *a;
        json_array_foreach(actions, j, a)
        {
            if (json_integer_value(json_object_get(a, "goal_id")) == id) json_array_append(mine, a);
        }
        json_object_set_new(item, "actions", mine);
        json_array_append_new(out, item);
        tree_walk(r, goals, actions, id, depth + 1, out);
    }
}

json_t *s_goal_tree(struct req *r, json_t *goals, json_t *actions)
{
    json_t *out = json_array();
    tree_walk(r, goals, actions, 0, 0, out);
    return out;
}

json_t *s_checks(struct req *r)
{
    struct strategy_facts f;
    strategy_facts_load(req_db(r), r->arena, r->comm->id, now_s(), &f);
    struct check_result res[STRATEGY_CHECKS];
    enum check_status worst = strategy_checks(&f, res);
    static const char *const STATUS[] = {"ok", "warning", "problem"};
    json_t *list = json_array();
    for (int i = 0; i < STRATEGY_CHECKS; i++) {
        const char *subject = res[i].subject ? res[i].subject : "";
        if (!req_has(r, CAP_C_MEMBER) && str_eq(res[i].id, "one_person"))
            subject = tr(r, "strategy.check.someone"); /* names are for members */
        json_t *ctx = json_object();
        json_object_set_new(ctx, "n", json_integer((json_int_t)res[i].n));
        json_object_set_new(ctx, "subject", view_string(subject));
        struct buf ev;
        buf_init(&ev);
        /* the evidence agrees with its number ("4 открытых действия") */
        tmpl_subst(
            &ev,
            i18n_plural(r->app->cat, r->lang,
                        arena_printf(r->arena, "strategy.check.%s.%s", res[i].id, res[i].reason),
                        res[i].n),
            ctx, 0);
        json_decref(ctx);
        /* An empty community is not told "all is well": there is nothing
         * to check yet, and it says what to start with. */
        const char *advice_key = res[i].status != CHECK_OK
                                     ? arena_printf(r->arena, "strategy.check.%s.advice", res[i].id)
                                 : str_eq(res[i].reason, "nothing")
                                     ? "strategy.check.advice_nothing"
                                     : "strategy.check.advice_ok";
        /* json_pack would check each text a call per character, and the
         * checks were a third of the page (docs/performance.md) */
        json_t *item = json_object();
        json_object_set_new(item, "id", view_string(res[i].id));
        json_object_set_new(
            item, "title",
            view_string(tr(r, arena_printf(r->arena, "strategy.check.%s", res[i].id))));
        json_object_set_new(item, "status", view_string(STATUS[res[i].status]));
        json_object_set_new(item, "status_label",
                            view_string(tr(r, arena_printf(r->arena, "strategy.check.status.%s",
                                                           STATUS[res[i].status]))));
        json_object_set_new(item, "evidence", view_string(ev.data));
        json_object_set_new(item, "advice", view_string(tr(r, advice_key)));
        json_array_append_new(list, item);
        buf_free(&ev);
    }
    return json_pack("{ss so}", "worst", STATUS[worst], "checks", list);
}
