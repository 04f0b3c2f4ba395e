/* "Download my data" (issue 13): everything a person wrote here, in one
 * JSON file they can read, keep or take elsewhere.
 *
 * The account area asks every area through its person_export hook
 * (core/area.h), so an area added later is in the file by writing its
 * hook, and this file knows none of them by name. Secret communities are
 * left out unless the person asks for them on the page before: the file
 * outlives the session on whatever device downloads it, and a list of
 * one's secret communities on a seized phone is what the sealing of the
 * server (issue 11) exists to prevent. */
#include "areas/account/account.h"
#include "core/app.h"
#include "core/keyring.h"
#include "core/area.h"
#include "core/db.h"
#include "core/render.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

static const char *const P_SECRET[] = {"secret", NULL};

static void export_get(struct req *r)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "export.title")));
    render_page(r, 200, "account/export", v);
}

/* The file: a format name and date first, then the account, then one
 * member per area that has something to say, by the area's name. */
static json_t *export_document(struct req *r, int with_secret)
{
    struct dbc *c = req_db(r);
    json_t *doc = json_object();
    json_object_set_new(doc, "format", json_string("hramada-personal-data/1"));
    char today[11];
    date_format(now_s(), today);
    json_object_set_new(doc, "exported_on", json_string(today));
    json_object_set_new(doc, "secret_communities", json_boolean(with_secret));
    json_t *acct = account_export(c, r->acct->id);
    if (!acct) goto failed;
    json_object_set_new(doc, "account", acct);
    for (const struct area *const *a = r->app->areas; a && *a; a++) {
        if (!(*a)->person_export) continue;
        /* Sealed memberships are in the keyring this session opens. */
        json_t *part = (*a)->person_export(c, r->acct->id, with_secret,
                                           with_secret ? ring_viewer_member_ids(r) : "[]");
        if (!part) goto failed;
        json_object_set_new(doc, (*a)->name, part);
    }
    return doc;
failed:
    json_decref(doc);
    return NULL;
}

static void export_json_get(struct req *r)
{
    int with_secret = str_eq(req_param(r, "secret"), "1");
    /* One moment for every area's part: a vote moved between two queries
     * would otherwise be in the file twice or not at all. */
    int snapshot = db_snapshot_begin(req_db(r)) == 0;
    json_t *doc = snapshot ? export_document(r, with_secret) : NULL;
    if (snapshot) db_snapshot_end(req_db(r));
    if (!doc) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    char *text = json_dumps(doc, JSON_INDENT(1));
    json_decref(doc);
    if (!text) {
        render_error(r, 500, "internal", "error.internal");
        return;
    }
    /* The handle is letters, digits, '-', '_' and '.': safe in the
     * header as it is. */
    req_add_header(
        r, "Content-Disposition",
        arena_printf(r->arena, "attachment; filename=\"hramada-%s.json\"", r->acct->handle));
    req_add_header(r, "Cache-Control", "no-store");
    render_bytes(r, 200, "application/json; charset=utf-8", text, strlen(text));
    free(text);
}

const struct route export_routes[] = {
    {"GET", "/account/export", CAP_USER, 0, NULL, export_get, NULL},
    {"GET", "/account/export.json", CAP_USER, 0, P_SECRET, export_json_get, NULL},
    {0},
};
