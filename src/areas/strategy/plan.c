/* The operational plan by person, by month and by goal; the export as a
 * printable page, as Markdown and as JSON (the texts as their Markdown);
 * the dashboard panel. */
#include "areas/strategy/internal.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"

#include <stdlib.h>
#include <string.h>

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
    /* owners are shown to members only */
    if (bi < 0 || (bi == 1 && !req_has(r, CAP_C_MEMBER))) bi = 0;
    /* not s_base_view: the plan shows no staff's links */
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "strategy.plan.title")));
    json_object_set_new(v, "slug", json_string(r->comm->slug));
    json_object_set_new(v, "name", json_string(r->comm->name));
    json_object_set_new(v, "by", json_string(BY[bi]));
    json_object_set_new(v, "is_member", json_boolean(req_has(r, CAP_C_MEMBER)));
    json_object_set_new(v, "back_plan", json_true()); /* a report sent here comes back here */
    json_t *actions = s_actions(r);
    s_initiative_tasks(r, actions);
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
        json_t *goals = req_own(r, goals_list(req_db(r), r->comm->id));
        json_object_set_new(v, "goals", s_goal_tree(r, goals, actions));
        /* the tasks of initiatives that serve no goal: under "no goal"
         * (an action always has one) */
        json_t *none = json_array();
        json_array_foreach(actions, i, a)
        {
            if (json_integer_value(json_object_get(a, "goal_id")) == 0) json_array_append(none, a);
        }
        if (json_array_size(none))
            json_object_set_new(
                v, "no_goal",
                json_pack("{ss so}", "label", tr(r, "strategy.plan.no_goal"), "actions", none));
        else
            json_decref(none);
    } else {
        json_object_set_new(
            v, "groups",
            group_by(r, actions, bi == 1 ? "owner" : "due", bi == 2,
                     tr(r, bi == 1 ? "strategy.plan.no_owner" : "strategy.plan.no_date")));
    }
    render_page(r, 200, "strategy/plan", v);
}

/* ---- export ---- */

/* The overview without its picture, and the manifesto that stands (the
 * adopted version, else the newest): texts as their Markdown. */
static json_t *export_view(struct req *r)
{
    json_t *v = s_index_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "strategy.export.title")));
    json_t *hist = s_versions(r, "manifesto"), *m = NULL;
    for (size_t i = 0; i < json_array_size(hist); i++) {
        json_t *t = json_array_get(hist, i);
        if (json_is_true(json_object_get(t, "is_adopted"))) {
            m = t;
            break;
        }
    }
    if (!m) m = json_array_get(hist, 0);
    json_object_set(v, "manifesto", m ? m : json_null());
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
