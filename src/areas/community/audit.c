/* A community's audit log: what its organizers did, for its organizers.
 * The handlers of the acts call community_audit() inside their own write,
 * so an act and its row commit or roll back together; an export, a GET,
 * writes its row with community_audit_export(). */
#include "areas/community/community.h"
#include "core/render.h"
#include "core/util.h"

#include <stdlib.h>

enum { AUDIT_PAGE = 100 };

enum wr community_audit(struct req *r, struct dbc *w, enum wr rc, const char *action,
                        const char *subject)
{
    if (rc != WR_OK || !w) return rc;
    return audit_add(w, r->comm->id, r->comm->member_id, action, subject);
}

int community_audit_export(struct req *r, const char *which)
{
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? audit_add(w, r->comm->id, r->comm->member_id, "export", which) : WR_BUSY;
    /* No record, no export: an organizer's download that the others could
     * not see would defeat the log. req_commit has answered otherwise. */
    return req_commit(r, rc, NULL);
}

static const struct vfield AUDIT_FIELDS[] = {
    {"day", CAP_C_ORGANIZE},
    {"actor", CAP_C_ORGANIZE},
    {"action", CAP_C_ORGANIZE},
    {"subject", CAP_C_ORGANIZE},
    {NULL, 0},
};

static void audit_get(struct req *r)
{
    int64_t page = req_page(r);
    struct vmask mask = view_mask(r, AUDIT_FIELDS);
    json_t *rows =
        audit_page(req_db(r), &mask, r->comm->id, (page - 1) * AUDIT_PAGE, AUDIT_PAGE + 1);
    int more = render_page_rows(&rows, AUDIT_PAGE);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *action = json_string_value(json_object_get(row, "action"));
        json_object_set_new(
            row, "action_label",
            json_string(tr(r, arena_printf(r->arena, "audit.action.%s", action ? action : ""))));
    }
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "audit.title")));
    json_object_set_new(v, "slug", json_string(r->comm->slug));
    json_object_set_new(v, "name", json_string(r->comm->name));
    render_pager(r, v, page, more, arena_printf(r->arena, "/c/%s/audit?page=", r->comm->slug), "");
    json_object_set_new(v, "entries", rows);
    render_page(r, 200, "community/audit", v);
}

static const char *const P_PAGE[] = {"page", NULL};

const struct route community_audit_routes[] = {
    {"GET", "/c/{slug}/audit", CAP_C_ORGANIZE, 0, P_PAGE, audit_get, NULL},
    {0},
};
