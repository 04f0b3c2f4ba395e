/* Vision, mission and manifesto with their versions; the operational plan
 * by person, by month and by goal; the export as a printable page, as
 * Markdown and as JSON. */
#include "areas/strategy/internal.h"
#include "areas/community/community.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"

#include <stdlib.h>
#include <string.h>

static const char *path_kind(struct req *r)
{
    const char *k = req_path(r, "kind");
    return form_choice_index(STRATEGY_TEXT_KINDS, k) >= 0 ? k : NULL;
}

/* The versions of kind, newest first; a manifesto's carry their vote. */
/* html: render each version's Markdown (the history page); the overview
 * renders only the version that stands. */
static json_t *versions(struct req *r, const char *kind, int html)
{
    struct dbc *c = req_db(r);
    json_t *hist = text_history(c, r->comm->id, kind, s_member(r) ? r->acct->id : 0);
    if (!hist) return json_array();
    struct strategy_settings s;
    strategy_settings_get(c, r->comm->id, &s);
    int64_t members = community_member_count(c, r->comm->id);
    size_t i;
    json_t *t;
    json_array_foreach(hist, i, t)
    {
        if (html)
            json_object_set_new(
                t, "html",
                json_string(render_markdown(r, json_string_value(json_object_get(t, "body")))));
        json_object_set_new(t, "version", json_integer((json_int_t)(json_array_size(hist) - i)));
        json_object_set_new(t, "current", json_boolean(i == 0));
        if (!s_member(r)) json_object_del(t, "author");
        if (json_is_integer(json_object_get(t, "closes_at"))) {
            s_vote_state(r, t, &s, members);
            json_object_set_new(t, "voted", json_true());
        } else {
            json_object_del(t, "closes_at");
            json_object_del(t, "closes");
            json_object_del(t, "yes");
            json_object_del(t, "no");
            json_object_del(t, "my_vote");
        }
    }
    return hist;
}

static json_t *text_page_view(struct req *r, const char *kind)
{
    json_t *v =
        json_pack("{ss ss ss ss}", "title", tr(r, arena_printf(r->arena, "strategy.text.%s", kind)),
                  "slug", r->comm->slug, "name", r->comm->name, "kind", kind);
    json_object_set_new(v, "is_staff", json_boolean(s_staff(r)));
    json_object_set_new(v, "is_member", json_boolean(s_member(r)));
    json_object_set_new(v, "is_manifesto", json_boolean(str_eq(kind, "manifesto")));
    json_object_set_new(v, "is_organizer",
                        json_boolean(s_member(r) && r->comm->role == ROLE_ORGANIZER));
    json_t *hist = versions(r, kind, 1);
    json_t *cur = json_array_get(hist, 0);
    if (cur)
        json_object_set_new(v, "form", json_pack("{sO}", "body", json_object_get(cur, "body")));
    json_object_set_new(v, "versions", hist);
    return v;
}

void st_text_get(struct req *r)
{
    const char *kind = path_kind(r);
    if (!kind) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    render_page(r, 200, "strategy/text", text_page_view(r, kind));
}

void st_text_post(struct req *r)
{
    const char *kind = path_kind(r);
    if (!kind) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    struct form f;
    form_init(&f, r);
    const char *body = form_text(&f, "body", 1, STRATEGY_LONG_MAX);
    int to_vote = str_eq(kind, "manifesto") || !str_empty(req_param(r, "put_to_vote"));
    if (!form_ok(&f)) {
        render_invalid(r, "strategy/text", text_page_view(r, kind), &f);
        return;
    }
    form_release(&f);
    /* The form shows the newest version: sent back as it is, it is no new
     * version (saving an unchanged form changes nothing). */
    json_t *cur = text_current(req_db(r), r->comm->id, kind);
    int same = cur && str_eq(json_string_value(json_object_get(cur, "body")), body);
    json_decref(cur);
    if (same) {
        render_redirect(r, s_url(r, arena_printf(r->arena, "/text/%s", kind)),
                        "flash.strategy_unchanged");
        return;
    }
    /* A manifesto version is the members' to adopt, like a value; vision
     * and mission versions when the staff put them to the vote. */
    int64_t closes = 0;
    if (to_vote) {
        struct strategy_settings s;
        strategy_settings_get(req_db(r), r->comm->id, &s);
        closes = now_s() + s.vote_days * 86400;
    }
    struct dbc *w = req_write_begin(r);
    int64_t id = w ? text_save(w, r->comm->id, kind, body, r->acct->id, closes) : -1;
    if (!w || req_write_end(r, id > 0) != 0 || id <= 0) {
        s_busy(r);
        return;
    }
    render_redirect(r, s_url(r, arena_printf(r->arena, "/text/%s", kind)), "flash.strategy_saved");
}

static const char *const VOTES[] = {"yes", "no", NULL};

void st_text_vote_post(struct req *r)
{
    const char *kind = path_kind(r);
    json_t *t = kind ? text_find(req_db(r), r->comm->id, s_path_id(r)) : NULL;
    if (!t || !str_eq(json_string_value(json_object_get(t, "kind")), kind) ||
        !json_is_integer(json_object_get(t, "closes_at"))) {
        json_decref(t);
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    int64_t id = json_integer_value(json_object_get(t, "id"));
    int closed = json_integer_value(json_object_get(t, "closes_at")) <= now_s() ||
                 s_vote_settled(r, req_db(r), text_tally(req_db(r), id)) != ADOPT_OPEN;
    json_decref(t);
    struct form f;
    form_init(&f, r);
    int vi = form_choice(&f, "vote", VOTES, 1, 0);
    if (vi >= 0 && closed) form_error(&f, "vote", "strategy.error.vote_closed_text");
    if (!form_ok(&f)) {
        json_t *v = text_page_view(r, kind);
        size_t i;
        json_t *row;
        json_array_foreach(json_object_get(v, "versions"), i, row)
        {
            if (json_integer_value(json_object_get(row, "id")) == id)
                json_object_set_new(row, "vote_error",
                                    json_string(tr(r, closed ? "strategy.error.vote_closed_text"
                                                             : "error.bad_choice")));
        }
        render_invalid(r, "strategy/text", v, &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    int rc = w ? text_vote(w, id, r->acct->id, vi == 0) : -1;
    if (rc == 0 && s_vote_settled(r, w, text_tally(w, id)) != ADOPT_OPEN)
        rc = text_end(w, r->comm->id, id, "decided", NULL);
    if (!w || req_write_end(r, rc == 0) != 0 || rc != 0) {
        s_busy(r);
        return;
    }
    render_redirect(r, s_url(r, arena_printf(r->arena, "/text/%s", kind)), "flash.strategy_voted");
}

void st_text_close_post(struct req *r)
{
    const char *kind = path_kind(r);
    json_t *t = kind ? text_find(req_db(r), r->comm->id, s_path_id(r)) : NULL;
    if (!t || !str_eq(json_string_value(json_object_get(t, "kind")), kind) ||
        !json_is_integer(json_object_get(t, "closes_at"))) {
        json_decref(t);
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    int64_t id = json_integer_value(json_object_get(t, "id"));
    json_decref(t);
    struct form f;
    form_init(&f, r);
    const char *reason = form_text(&f, "reason", 1, 300);
    if (!form_ok(&f)) {
        render_invalid(r, "strategy/text", text_page_view(r, kind), &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    if (!w) {
        s_busy(r);
        return;
    }
    int rc = text_end(w, r->comm->id, id, "organizer", reason);
    if (req_write_end(r, rc == 0) != 0) {
        s_busy(r);
        return;
    }
    if (rc != 0) {
        /* the version exists (read above; versions are never deleted) */
        render_error(r, 409, "conflict", "strategy.conflict.vote_over");
        return;
    }
    render_redirect(r, s_url(r, arena_printf(r->arena, "/text/%s", kind)),
                    "flash.strategy_vote_closed");
}

json_t *s_text_standing(struct req *r, const char *kind, int *pending)
{
    json_t *hist = versions(r, kind, 0), *out = NULL;
    *pending = 0;
    size_t i;
    json_t *t;
    json_array_foreach(hist, i, t)
    {
        int voted = json_is_true(json_object_get(t, "voted"));
        if (voted && json_is_true(json_object_get(t, "is_open"))) *pending = 1;
        if (!voted || json_is_true(json_object_get(t, "is_adopted"))) {
            out = json_incref(t);
            json_object_set_new(
                out, "html",
                json_string(render_markdown(r, json_string_value(json_object_get(out, "body")))));
            break;
        }
    }
    json_decref(hist);
    return out;
}

/* ---- the operational plan ---- */

static const char *const BY[] = {"goal", "person", "month", NULL};

/* Groups actions by a key field into [{label, actions}] in first-seen
 * order; empty keys go under empty_label at the end. */
static json_t *group_by(struct req *r, json_t *actions, const char *field, int month,
                        const char *empty_label)
{
    json_t *groups = json_array(), *index = json_object(), *none = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(actions, i, a)
    {
        const char *k = json_string_value(json_object_get(a, field));
        if (str_empty(k)) {
            json_array_append(none, a);
            continue;
        }
        const char *key = month ? arena_strndup(r->arena, k, 7) : k;
        json_t *g = json_object_get(index, key);
        if (!g) {
            g = json_pack("{ss s[]}", "label", key, "actions");
            json_array_append_new(groups, g);
            json_object_set(index, key, g);
        }
        json_array_append(json_object_get(g, "actions"), a);
    }
    if (json_array_size(none))
        json_array_append_new(groups, json_pack("{ss sO}", "label", empty_label, "actions", none));
    json_decref(none);
    json_decref(index);
    return groups;
}

void st_plan_get(struct req *r)
{
    const char *by = req_param(r, "by");
    int bi = form_choice_index(BY, by);
    if (bi < 0 || (bi == 1 && !s_member(r))) bi = 0; /* owners are shown to members only */
    json_t *v = json_pack("{ss ss ss ss}", "title", tr(r, "strategy.plan.title"), "slug",
                          r->comm->slug, "name", r->comm->name, "by", BY[bi]);
    json_object_set_new(v, "is_member", json_boolean(s_member(r)));
    json_object_set_new(v, "back_plan", json_true()); /* a report sent here comes back here */
    json_t *actions = actions_list(req_db(r), r->comm->id);
    s_actions_decorate(r, actions);
    int64_t overdue = 0;
    size_t i;
    json_t *a;
    json_array_foreach(actions, i, a)
    {
        overdue += json_is_true(json_object_get(a, "overdue"));
    }
    json_object_set_new(v, "overdue_count", json_integer(overdue));
    json_object_set_new(v, "by_goal", json_boolean(bi == 0));
    if (bi == 0) {
        json_t *goals = goals_list(req_db(r), r->comm->id);
        json_object_set_new(v, "goals", s_goal_tree(r, goals, actions));
        json_decref(goals);
    } else {
        json_object_set_new(
            v, "groups",
            group_by(r, actions, bi == 1 ? "owner" : "due", bi == 2,
                     tr(r, bi == 1 ? "strategy.plan.no_owner" : "strategy.plan.no_date")));
    }
    json_decref(actions);
    render_page(r, 200, "strategy/plan", v);
}

/* ---- export ---- */

static json_t *export_view(struct req *r)
{
    json_t *v = s_index_view(r);
    json_object_del(v, "pyramid_svg");
    json_object_set_new(v, "title", json_string(tr(r, "strategy.export.title")));
    json_t *hist = versions(r, "manifesto", 1), *m = NULL;
    for (size_t i = 0; i < json_array_size(hist); i++) {
        json_t *t = json_array_get(hist, i);
        if (json_is_true(json_object_get(t, "is_adopted"))) {
            m = json_incref(t);
            break;
        }
    }
    if (!m && json_array_size(hist)) m = json_incref(json_array_get(hist, 0));
    json_decref(hist);
    json_object_set_new(v, "manifesto", m ? m : json_null());
    return v;
}

void st_print_get(struct req *r)
{
    render_page(r, 200, "strategy/print", export_view(r));
}

void st_json_get(struct req *r)
{
    json_t *v = export_view(r);
    char *s = json_dumps(v, JSON_INDENT(2));
    json_decref(v);
    render_bytes(r, 200, "application/json; charset=utf-8", s ? s : "{}", s ? strlen(s) : 2);
    free(s);
}

static void md_text(struct buf *b, json_t *v, const char *field, const char *heading)
{
    json_t *t = json_object_get(v, field);
    if (!json_is_string(json_object_get(t, "body"))) return; /* none, or only one being voted on */
    buf_printf(b, "## %s\n\n%s\n\n", heading, json_string_value(json_object_get(t, "body")));
}

void st_md_get(struct req *r)
{
    json_t *v = export_view(r);
    struct buf b;
    buf_init(&b);
    buf_printf(&b, "# %s — %s\n\n", r->comm->name, tr(r, "strategy.title"));
    md_text(&b, v, "vision", tr(r, "strategy.text.vision"));
    md_text(&b, v, "mission", tr(r, "strategy.text.mission"));
    buf_printf(&b, "## %s\n\n", tr(r, "strategy.dilts.title"));
    size_t i, j;
    json_t *x, *e;
    json_array_foreach(json_object_get(v, "levels"), i, x)
    {
        buf_printf(&b, "- **%s**:", json_string_value(json_object_get(x, "label")));
        if (json_is_true(json_object_get(x, "is_values"))) {
            json_array_foreach(json_object_get(v, "adopted"), j, e)
            {
                buf_printf(&b, " %s;", json_string_value(json_object_get(e, "title")));
            }
        }
        json_array_foreach(json_object_get(x, "entries"), j, e)
        {
            buf_printf(&b, " %s;", json_string_value(json_object_get(e, "text")));
        }
        buf_puts(&b, "\n");
    }
    buf_printf(&b, "\n## %s\n\n", tr(r, "strategy.values.adopted"));
    json_array_foreach(json_object_get(v, "adopted"), i, x)
    {
        buf_printf(&b, "- %s\n", json_string_value(json_object_get(x, "title")));
    }
    buf_printf(&b, "\n## %s\n\n", tr(r, "strategy.goals.title"));
    json_array_foreach(json_object_get(v, "goals"), i, x)
    {
        int depth = (int)json_integer_value(json_object_get(x, "depth"));
        buf_printf(&b, "%*s- %s: %s\n", depth * 2, "",
                   json_string_value(json_object_get(x, "level_label")),
                   json_string_value(json_object_get(x, "title")));
        json_array_foreach(json_object_get(x, "actions"), j, e)
        {
            const char *owner = json_string_value(json_object_get(e, "owner"));
            buf_printf(&b, "%*s- [%s] %s (%s%s%s)\n", depth * 2 + 2, "",
                       json_string_value(json_object_get(e, "status_label")),
                       json_string_value(json_object_get(e, "title")),
                       json_string_value(json_object_get(e, "due")), owner ? ", " : "",
                       owner ? owner : "");
        }
    }
    buf_printf(&b, "\n## %s\n\n", tr(r, "strategy.rules.title"));
    json_array_foreach(json_object_get(v, "rules"), i, x)
    {
        const char *p = json_string_value(json_object_get(x, "protects"));
        buf_printf(&b, "- %s%s%s%s\n", json_string_value(json_object_get(x, "text")), p ? " (" : "",
                   p ? p : "", p ? ")" : "");
    }
    buf_puts(&b, "\n");
    md_text(&b, v, "manifesto", tr(r, "strategy.text.manifesto"));
    json_decref(v);
    render_bytes(r, 200, "text/markdown; charset=utf-8", b.data ? b.data : "", b.len);
    buf_free(&b);
}

/* ---- the dashboard panel ---- */

int strategy_panel_fill(struct req *r, json_t *panel)
{
    if (!req_has(r, CAP_C_MEMBER)) return 0;
    json_t *checks = s_checks(r);
    json_object_update(panel, checks);
    json_decref(checks);
    json_object_set_new(panel, "slug", json_string(r->comm->slug));
    return 1;
}
