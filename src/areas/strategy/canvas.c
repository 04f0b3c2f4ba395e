/* The staff's Dilts canvas and rules, and the organizers' vote settings. */
#include "areas/strategy/internal.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"

#include <stdlib.h>
#include <string.h>

/* The canvas entry's form, described once: the route accepts these
 * fields, the edit page shows the stored level selected, the POST
 * validates them. */
const struct field FORM_DILTS[] = {
    {"level", F_CHOICE, 1, 0, 0, STRATEGY_CANVAS_LEVELS, "strategy.level."},
    {"entry", F_TEXT, 1, 0, STRATEGY_TEXT_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
/* The values a rule protects (repeated checkboxes) are the route's params. */
const struct field FORM_RULE[] = {
    {"rule_text", F_TEXT, 1, 0, STRATEGY_TEXT_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field FORM_SETTINGS[] = {
    {"vote_days", F_INT, 1, 1, 90, NULL, NULL},
    {"majority_pct", F_INT, 1, 50, 100, NULL, NULL},
    {"quorum_pct", F_INT, 1, 1, 100, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

enum { MAX_RULE_VALUES = 20 };

/* ---- rules ---- */

/* The values a rule form names (the "protects" boxes), into ids; an error
 * on the form when one is no value of the community. Returns the count;
 * raw and *nraw get the boxes as sent. */
static int rule_values(struct req *r, struct form *f, int64_t *ids, const char **raw, int *nraw)
{
    int n = req_param_all(r, "protects", raw, MAX_RULE_VALUES), k = 0;
    *nraw = n;
    for (int i = 0; i < n; i++) {
        int64_t id;
        if (str_empty(raw[i])) continue;
        if (str_to_i64(raw[i], &id) != 0 || !value_in_community(req_db(r), r->comm->id, id)) {
            form_error(f, "protects", "strategy.error.value");
            break;
        }
        ids[k++] = id;
    }
    return k;
}

void st_rule_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_RULE);
    const char *raw[MAX_RULE_VALUES];
    int64_t ids[MAX_RULE_VALUES];
    int nraw, n = rule_values(r, &f, ids, raw, &nraw);
    if (!s_valid(r, &f)) return;
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? rule_create(w, r->comm->id, form_str(&f, "rule_text"), ids, n) : WR_BUSY;
    form_release(&f);
    s_saved(r, rc);
}

/* The rule's edit page: its text, and the values it protects ticked
 * (chosen: their ids as text). */
static void rule_edit_page(struct req *r, int status, struct form *f, const char *const *chosen,
                           int n)
{
    json_t *v = s_edit_view(r, "strategy.rules.edit");
    json_t *values = s_values(r, NULL);
    size_t i;
    json_t *val;
    json_array_foreach(values, i, val)
    {
        const char *vid = arena_printf(r->arena, "%lld",
                                       (long long)json_integer_value(json_object_get(val, "id")));
        int on = 0;
        for (int k = 0; k < n && !on; k++)
            on = str_eq(chosen[k], vid);
        json_object_set_new(val, "sel", json_boolean(on));
    }
    json_object_set(v, "values", values);
    render_form(r, status, "strategy/rule_edit", v, f);
}

void st_rule_edit_get(struct req *r)
{
    struct rule ru;
    if (!s_found(r, rule_find(req_db(r), r->arena, r->comm->id, s_path_id(r), &ru))) return;
    const char **chosen = arena_alloc(r->arena, sizeof *chosen * (size_t)(ru.nvalues + 1));
    for (int i = 0; i < ru.nvalues; i++)
        chosen[i] = arena_printf(r->arena, "%lld", (long long)ru.values[i]);
    struct form f;
    form_fill(&f, r, FORM_RULE, req_own(r, json_pack("{ss}", "rule_text", ru.text)));
    rule_edit_page(r, 200, &f, chosen, ru.nvalues);
}

void st_rule_edit_post(struct req *r)
{
    int64_t id = s_path_id(r);
    struct rule ru;
    if (!s_found(r, rule_find(req_db(r), r->arena, r->comm->id, id, &ru))) return;
    struct form f;
    form_read(&f, r, FORM_RULE);
    const char *raw[MAX_RULE_VALUES];
    int64_t ids[MAX_RULE_VALUES];
    int nraw, n = rule_values(r, &f, ids, raw, &nraw);
    if (!form_ok(&f)) {
        rule_edit_page(r, 422, &f, raw, nraw);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? rule_update(w, r->comm->id, id, form_str(&f, "rule_text"), ids, n) : WR_BUSY;
    form_release(&f);
    s_saved(r, rc);
}

void st_rule_delete_get(struct req *r)
{
    struct rule ru;
    if (!s_found(r, rule_find(req_db(r), r->arena, r->comm->id, s_path_id(r), &ru))) return;
    const char *loss = ru.nvalues ? s_plural(r, "strategy.loss.rule_values", ru.nvalues)
                                  : tr(r, "strategy.loss.rule_alone");
    s_confirm(r, "strategy.confirm.rule", ru.text, loss, s_url(r, ""));
}

void st_rule_delete(struct req *r)
{
    s_delete(r, rule_delete);
}

/* ---- the canvas ---- */

void st_dilts_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_DILTS);
    if (!s_valid(r, &f)) return;
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? dilts_add(w, r->comm->id, form_str(&f, "level"), form_str(&f, "entry")) : WR_BUSY;
    form_release(&f);
    s_saved(r, rc);
}

static void dilts_edit_page(struct req *r, int status, struct form *f)
{
    json_t *v = s_edit_view(r, "strategy.dilts.edit");
    render_form(r, status, "strategy/dilts_edit", v, f);
}

void st_dilts_edit_get(struct req *r)
{
    struct dilts_entry e;
    if (!s_found(r, dilts_find(req_db(r), r->arena, r->comm->id, s_path_id(r), &e))) return;
    json_t *stored = req_own(r, json_pack("{ss ss}", "level", e.level, "entry", e.text));
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
    s_saved(r, rc);
}

void st_dilts_delete_get(struct req *r)
{
    struct dilts_entry e;
    if (!s_found(r, dilts_find(req_db(r), r->arena, r->comm->id, s_path_id(r), &e))) return;
    s_confirm(r, "strategy.confirm.dilts", e.text, tr(r, "strategy.loss.dilts"), s_url(r, ""));
}

void st_dilts_delete(struct req *r)
{
    s_delete(r, dilts_delete);
}

/* ---- the settings of the votes ---- */

void st_settings_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_SETTINGS);
    if (!s_valid(r, &f)) return;
    struct strategy_settings s = {form_num(&f, "vote_days", 14), form_num(&f, "majority_pct", 50),
                                  form_num(&f, "quorum_pct", 33)};
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? strategy_settings_set(w, r->comm->id, &s) : WR_BUSY;
    s_saved(r, rc);
}
