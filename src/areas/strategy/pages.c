/* The strategy overview, shared values with their votes, and each member's
 * own values and goals. */
#include "areas/strategy/internal.h"
#include "areas/community/community.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"

#include <stdlib.h>
#include <string.h>

static const char *const KINDS[] = {"value", "goal", NULL};
static const char *const SHARING[] = {"private", "organizers", "members", NULL};
static const char *const VOTES[] = {"yes", "no", NULL};

static json_t *base_view(struct req *r, const char *title_key)
{
    json_t *v = json_pack("{ss ss ss}", "title", tr(r, title_key), "slug", r->comm->slug, "name",
                          r->comm->name);
    json_object_set_new(v, "is_member", json_boolean(s_member(r)));
    json_object_set_new(v, "is_staff", json_boolean(s_staff(r)));
    json_object_set_new(v, "is_organizer",
                        json_boolean(s_member(r) && r->comm->role == ROLE_ORGANIZER));
    return v;
}

static json_t *labels(struct req *r, const char *const *keys, const char *prefix)
{
    return community_labels(r, keys, prefix, NULL);
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
    json_t *v = base_view(r, "strategy.title");
    json_t *adopted = NULL;
    json_t *values = s_values(r, &adopted);
    json_t *dilts = dilts_list(c, r->comm->id);
    json_t *mission = text_view(r, "mission");
    json_object_set_new(v, "pyramid_svg", json_string(s_pyramid_svg(r)));
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
        json_array_append_new(levels,
                              json_pack("{ss ss so sb sb}", "key", lv, "label",
                                        tr(r, arena_printf(r->arena, "strategy.level.%s", lv)),
                                        "entries", entries, "is_values", str_eq(lv, "values"),
                                        "is_mission", str_eq(lv, "mission")));
    }
    json_object_set_new(v, "levels", levels);
    json_decref(dilts);
    json_object_set_new(v, "vision", text_view(r, "vision"));
    json_object_set_new(v, "mission", mission);
    json_object_set_new(v, "adopted", adopted);
    json_t *goals = goals_list(c, r->comm->id);
    json_t *actions = actions_list(c, r->comm->id);
    s_actions_decorate(r, actions);
    json_t *tree = s_goal_tree(r, goals, actions);
    if (s_staff(r)) {
        /* Each goal's "move under" choices with its parent selected (not
         * itself): saving the form unchanged keeps the goal where it is. */
        size_t i, j;
        json_t *g, *o;
        json_array_foreach(tree, i, g)
        {
            int64_t id = json_integer_value(json_object_get(g, "id"));
            int64_t parent = json_integer_value(json_object_get(g, "parent_id"));
            json_t *opts = json_array();
            json_array_foreach(goals, j, o)
            {
                int64_t oid = json_integer_value(json_object_get(o, "id"));
                if (oid == id) continue;
                json_array_append_new(opts,
                                      json_pack("{sI sO sb}", "id", (json_int_t)oid, "title",
                                                json_object_get(o, "title"), "sel", oid == parent));
            }
            json_object_set_new(g, "parent_options", opts);
            json_object_set_new(g, "at_top", json_boolean(parent == 0));
        }
    }
    json_object_set_new(v, "goals", tree);
    json_decref(goals);
    json_decref(actions);
    json_object_set_new(v, "rules", rules_list(c, r->comm->id));
    json_object_set_new(v, "checks", s_checks(r));
    if (s_staff(r)) {
        json_object_set_new(v, "all_values", values);
        json_object_set_new(v, "members", member_list(c, r->comm->id, 0, 1000));
        json_object_set_new(v, "level_options",
                            labels(r, STRATEGY_CANVAS_LEVELS, "strategy.level"));
        static const char *const CUR[] = {"BYN", "EUR", "USD", "RUB", "PLN", NULL};
        const char *want = req_param(r, "currency");
        if (str_empty(want)) want = "BYN";
        json_t *cur = json_array();
        for (int i = 0; CUR[i]; i++)
            json_array_append_new(cur,
                                  json_pack("{ss sb}", "key", CUR[i], "sel", str_eq(CUR[i], want)));
        json_object_set_new(v, "currencies", cur);
        struct strategy_settings s;
        strategy_settings_get(c, r->comm->id, &s);
        json_object_set_new(v, "settings",
                            json_pack("{sI sI sI}", "vote_days", (json_int_t)s.vote_days,
                                      "majority_pct", (json_int_t)s.majority_pct, "quorum_pct",
                                      (json_int_t)s.quorum_pct));
    } else {
        json_decref(values);
    }
    return v;
}

void st_index_get(struct req *r)
{
    json_t *v = s_index_view(r);
    json_object_set_new(v, "form", json_pack("{ss}", "currency", "BYN"));
    render_page(r, 200, "strategy/index", v);
}

/* ---- personal values and goals ---- */

static json_t *mine_view(struct req *r)
{
    json_t *v = base_view(r, "strategy.mine.title");
    json_t *mine = personal_list_mine(req_db(r), r->comm->id, r->acct->id);
    size_t i;
    json_t *p;
    json_array_foreach(mine, i, p)
    {
        const char *sw = json_string_value(json_object_get(p, "shared_with"));
        json_object_set_new(p, "shared_label",
                            json_string(tr(r, arena_printf(r->arena, "strategy.share.%s", sw))));
        json_object_set_new(
            p, "is_value",
            json_boolean(str_eq(json_string_value(json_object_get(p, "kind")), "value")));
    }
    json_object_set_new(v, "mine", mine);
    json_object_set_new(v, "others",
                        personal_list_shared(req_db(r), r->comm->id, r->acct->id, s_staff(r)));
    /* The choices show what was sent (a re-shown form) or the defaults. */
    json_t *kinds = labels(r, KINDS, "strategy.kind"),
           *sharing = labels(r, SHARING, "strategy.share");
    const char *k = req_param(r, "kind"), *sw = req_param(r, "shared_with");
    if (form_choice_index(KINDS, k) < 0) k = "value";
    if (form_choice_index(SHARING, sw) < 0) sw = "private";
    json_t *o;
    json_array_foreach(kinds, i, o)
    {
        json_object_set_new(o, "sel",
                            json_boolean(str_eq(json_string_value(json_object_get(o, "key")), k)));
    }
    json_array_foreach(sharing, i, o)
    {
        json_object_set_new(o, "sel",
                            json_boolean(str_eq(json_string_value(json_object_get(o, "key")), sw)));
    }
    json_object_set_new(v, "kinds", kinds);
    json_object_set_new(v, "sharing", sharing);
    return v;
}

void st_mine_get(struct req *r)
{
    json_t *v = mine_view(r);
    json_object_set_new(v, "form", json_pack("{ss ss}", "kind", "value", "shared_with", "private"));
    render_page(r, 200, "strategy/mine", v);
}

void st_mine_post(struct req *r)
{
    struct form f;
    form_init(&f, r);
    int k = form_choice(&f, "kind", KINDS, 1, 0);
    const char *text = form_text(&f, "text", 1, STRATEGY_TEXT_MAX);
    int s = form_choice(&f, "shared_with", SHARING, 0, 0);
    if (!form_ok(&f)) {
        render_invalid(r, "strategy/mine", mine_view(r), &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    int64_t id = w ? personal_add(w, r->comm->id, r->acct->id, KINDS[k], text, SHARING[s]) : -1;
    if (!w || req_write_end(r, id > 0) != 0 || id <= 0) {
        s_busy(r);
        return;
    }
    render_redirect(r, s_url(r, "/mine"), "flash.strategy_saved");
}

void st_mine_delete(struct req *r)
{
    int64_t id = s_path_id(r);
    struct dbc *w = req_write_begin(r);
    int rc = w ? personal_delete(w, r->comm->id, r->acct->id, id) : -1;
    if (!w || req_write_end(r, rc == 0) != 0 || rc != 0) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    render_redirect(r, s_url(r, "/mine"), "flash.strategy_deleted");
}

/* ---- shared values ---- */

static json_t *values_view(struct req *r)
{
    json_t *v = base_view(r, "strategy.values.title");
    json_object_set_new(v, "values", s_values(r, NULL));
    struct strategy_settings s;
    strategy_settings_get(req_db(r), r->comm->id, &s);
    json_object_set_new(v, "settings",
                        json_pack("{sI sI sI}", "vote_days", (json_int_t)s.vote_days,
                                  "majority_pct", (json_int_t)s.majority_pct, "quorum_pct",
                                  (json_int_t)s.quorum_pct));
    json_object_set_new(v, "members_count",
                        json_integer(community_member_count(req_db(r), r->comm->id)));
    if (s_member(r)) {
        /* What a proposal may grow from: the viewer's own values and those
         * others shared. */
        json_t *roots = json_array();
        json_t *lists[2] = {personal_list_mine(req_db(r), r->comm->id, r->acct->id),
                            personal_list_shared(req_db(r), r->comm->id, r->acct->id, s_staff(r))};
        for (int l = 0; l < 2; l++) {
            size_t i;
            json_t *p;
            json_array_foreach(lists[l], i, p)
            {
                if (!str_eq(json_string_value(json_object_get(p, "kind")), "value")) continue;
                json_object_set_new(p, "mine", json_boolean(l == 0));
                json_array_append(roots, p);
            }
            json_decref(lists[l]);
        }
        json_object_set_new(v, "roots", roots);
    }
    return v;
}

void st_values_get(struct req *r)
{
    render_page(r, 200, "strategy/values", values_view(r));
}

enum { MAX_ROOTS = 50 };

void st_values_post(struct req *r)
{
    struct form f;
    form_init(&f, r);
    const char *title = form_text(&f, "title", 1, 120);
    const char *desc = form_text(&f, "description", 0, 2000);
    const char *raw[MAX_ROOTS];
    int64_t roots[MAX_ROOTS];
    int n = req_param_all(r, "roots", raw, MAX_ROOTS), nroots = 0;
    for (int i = 0; i < n; i++) {
        int64_t id;
        if (str_empty(raw[i])) continue;
        if (str_to_i64(raw[i], &id) != 0 ||
            !personal_linkable(req_db(r), r->comm->id, r->acct->id, s_staff(r), id)) {
            form_error(&f, "roots", "strategy.error.root");
            break;
        }
        roots[nroots++] = id;
    }
    if (!form_ok(&f)) {
        render_invalid(r, "strategy/values", values_view(r), &f);
        return;
    }
    form_release(&f);
    struct strategy_settings s;
    strategy_settings_get(req_db(r), r->comm->id, &s);
    struct dbc *w = req_write_begin(r);
    int64_t id = w ? value_propose(w, r->comm->id, r->acct->id, title, desc,
                                   now_s() + s.vote_days * 86400, roots, nroots)
                   : -1;
    if (!w || req_write_end(r, id > 0) != 0 || id <= 0) {
        s_busy(r);
        return;
    }
    render_redirect(r, s_url(r, "/values"), "flash.strategy_proposed");
}

void st_vote_post(struct req *r)
{
    json_t *val = value_find(req_db(r), r->comm->id, s_path_id(r));
    if (!val) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    int64_t id = json_integer_value(json_object_get(val, "id"));
    int closed = json_integer_value(json_object_get(val, "closes_at")) <= now_s() ||
                 s_vote_settled(r, req_db(r), value_tally(req_db(r), id)) != ADOPT_OPEN;
    json_decref(val);
    struct form f;
    form_init(&f, r);
    int vi = form_choice(&f, "vote", VOTES, 1, 0);
    if (vi >= 0 && closed) form_error(&f, "vote", "strategy.error.vote_closed");
    if (!form_ok(&f)) {
        json_t *v = values_view(r);
        size_t i;
        json_t *row;
        json_array_foreach(json_object_get(v, "values"), i, row)
        {
            if (json_integer_value(json_object_get(row, "id")) == id)
                json_object_set_new(
                    row, "vote_error",
                    json_string(tr(r, closed ? "strategy.error.vote_closed" : "error.bad_choice")));
        }
        render_invalid(r, "strategy/values", v, &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    int rc = w ? value_vote(w, id, r->acct->id, vi == 0) : -1;
    /* A vote whose outcome this one made certain ends now, in the same
     * transaction, so that nobody votes on a decided question. */
    if (rc == 0 && s_vote_settled(r, w, value_tally(w, id)) != ADOPT_OPEN)
        rc = value_end(w, r->comm->id, id, "decided", NULL);
    if (!w || req_write_end(r, rc == 0) != 0 || rc != 0) {
        s_busy(r);
        return;
    }
    render_redirect(r, s_url(r, "/values"), "flash.strategy_voted");
}

/* An organizer ends a vote before its date, with the reason members read
 * on the page; the tally at that moment decides it. */
void st_value_close_post(struct req *r)
{
    int64_t id = s_path_id(r);
    json_t *val = value_find(req_db(r), r->comm->id, id);
    if (!val) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    json_decref(val);
    struct form f;
    form_init(&f, r);
    const char *reason = form_text(&f, "reason", 1, 300);
    if (!form_ok(&f)) {
        render_invalid(r, "strategy/values", values_view(r), &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    if (!w) {
        s_busy(r);
        return;
    }
    int rc = value_end(w, r->comm->id, id, "organizer", reason);
    int gone = rc != 0 && !value_in_community(w, r->comm->id, id);
    if (req_write_end(r, rc == 0) != 0) {
        s_busy(r);
        return;
    }
    if (rc != 0) {
        if (gone)
            render_error(r, 404, "not_found", "error.not_found");
        else
            render_error(r, 409, "conflict", "strategy.conflict.vote_over");
        return;
    }
    render_redirect(r, s_url(r, "/values"), "flash.strategy_vote_closed");
}
