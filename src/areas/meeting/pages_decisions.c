/* Decisions: recorded per agenda item on the assembly's page, and the
 * community's register at /c/{slug}/events/decisions with each decision's
 * status (to do, done, not done) and the initiative made from it, as a
 * residents' council keeps its "decisions and their execution" list. */
#include "areas/meeting/assembly.h"
#include "areas/meeting/meeting.h"
#include "core/form.h"
#include "core/render.h"
#include "core/text.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

static const struct field FORM_DECISION[] = {
    {"text", F_TEXT, 1, 0, ASM_PROPOSAL_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static json_t *base(struct req *r, const char *title_key)
{
    return req_own(r,
                   json_pack("{ss ss ss sb sb}", "title", tr(r, title_key), "slug", r->comm->slug,
                             "name", r->comm->name, "is_member", req_has(r, CAP_C_MEMBER),
                             "is_organizer", req_has(r, CAP_C_ORGANIZE)));
}

static void decision_post(struct req *r)
{
    struct asm_info a;
    if (asm_find(req_db(r), r->arena, r->comm->id, req_path_int(r, "id"), &a) != 0) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    int64_t me = r->comm->member_id;
    if (!req_has(r, CAP_C_ORGANIZE) && !(me && (me == a.chair_id || me == a.secretary_id))) {
        render_error(r, 403, "forbidden", "error.forbidden");
        return;
    }
    struct form f;
    if (!form_read(&f, r, FORM_DECISION)) {
        json_t *v = base(r, "meeting.asm.decision.new");
        json_object_set_new(v, "action", json_string(r->path));
        render_form(r, 422, "meeting/asmdecision", v, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? asm_decision_add(w, r->comm->id, a.id, req_path_int(r, "item"),
                                      form_str(&f, "text"), NULL)
                   : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r,
                        arena_printf(r->arena, "/c/%s/events/%lld/assembly", r->comm->slug,
                                     (long long)a.event_id),
                        "flash.saved");
}

/* ---- the register ---- */

static const struct vfield REG_FIELDS[] = {
    {"id", CAP_C_MEMBER},         {"text", CAP_C_MEMBER},
    {"status", CAP_C_MEMBER},     {"initiative_id", CAP_C_MEMBER},
    {"event_id", CAP_C_MEMBER},   {"event_title", CAP_C_MEMBER},
    {"item_title", CAP_C_MEMBER}, {"starts_at", CAP_C_MEMBER},
    {"zone", CAP_C_MEMBER},       {NULL, 0},
};

static const char *const REG_PARAMS[] = {"status", "page", NULL};

static const struct field FORM_STATUS[] = {
    {"status", F_CHOICE, 1, 0, 0, asm_decision_statuses, "meeting.asm.decision."},
    {"initiative", F_INT, 0, 0, INT64_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void register_page(struct req *r, int status_code)
{
    const char *status = req_param(r, "status");
    if (status && *status && form_choice_index(asm_decision_statuses, status) < 0) status = "";
    int64_t page = req_param(r, "page") ? strtoll(req_param(r, "page"), NULL, 10) : 1;
    if (page < 1 || page > 10000) page = 1;
    struct vmask m = view_mask(r, REG_FIELDS);
    json_t *rows = asm_register(req_db(r), &m, r->comm->id, status, 51, (page - 1) * 50);
    int more = render_page_rows(&rows, 50);
    req_own(r, rows);
    size_t i;
    json_t *row;
    int org = req_has(r, CAP_C_ORGANIZE);
    json_array_foreach(rows, i, row)
    {
        const char *st = json_string_value(json_object_get(row, "status"));
        json_object_set_new(
            row, "status_label",
            json_string(tr(r, arena_printf(r->arena, "meeting.asm.decision.%s", st))));
        for (int k = 0; asm_decision_statuses[k]; k++)
            json_object_set_new(row, arena_printf(r->arena, "is_%s", asm_decision_statuses[k]),
                                json_boolean(str_eq(st, asm_decision_statuses[k])));
        json_t *at = json_object_get(row, "starts_at");
        const char *zone = json_string_value(json_object_get(row, "zone"));
        if (json_is_integer(at) && zone) {
            char d[20];
            event_local_format(json_integer_value(at), zone, d);
            json_object_set_new(row, "day", json_stringn(d, 10));
        }
        json_object_del(row, "zone");
        json_object_set_new(row, "can_set", json_boolean(org));
    }
    json_t *v = base(r, "meeting.asm.register");
    json_object_set(v, "decisions", rows);
    render_pager(r, v, page, more,
                 arena_printf(r->arena, "/c/%s/events/decisions?page=", r->comm->slug),
                 status && *status ? arena_printf(r->arena, "&status=%s", status) : "");
    struct form f;
    form_init(&f, r);
    render_form(r, status_code, "meeting/decisions", v, &f);
}

static void register_get(struct req *r)
{
    register_page(r, 200);
}

static void status_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, FORM_STATUS)) {
        asm_refused(
            r, &f, "meeting.asm.refused",
            arena_printf(r->arena, "/c/%s/events/decisions", r->comm->slug),
            (const char *const[]){"meeting.asm.field.status", "meeting.asm.field.initiative"});
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? asm_decision_set(w, r->comm->id, req_path_int(r, "id"), form_str(&f, "status"),
                                      form_num(&f, "initiative", 0))
                   : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, arena_printf(r->arena, "/c/%s/events/decisions", r->comm->slug),
                        "flash.saved");
}

const struct route meeting_decision_routes[] = {
    {"POST", "/c/{slug}/events/{id:int}/assembly/items/{item:int}/decisions", CAP_C_MEMBER, 0, NULL,
     decision_post, FORM_DECISION},
    {"GET", "/c/{slug}/events/decisions", CAP_C_MEMBER, 0, REG_PARAMS, register_get, NULL},
    {"POST", "/c/{slug}/events/decisions/{id:int}", CAP_C_ORGANIZE, 0, NULL, status_post,
     FORM_STATUS},
    {0},
};
