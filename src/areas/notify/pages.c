/* The notifications area's pages, routes and struct area; see notify.h.
 *
 * /inbox is the person's, across communities (the instance's scope, signed
 * in); a community's "all read" and the settings are the member's, in the
 * community's scope, so that its rules (a member, the community known to
 * them) answer for them as for every other page of it. */
#include "areas/notify/notify.h"
#include "areas/notify/notify_bench.h"
#include "core/app.h"
#include "core/form.h"
#include "core/keyring.h"
#include "core/notify.h"
#include "core/render.h"
#include "core/util.h"

#include <stdio.h>
#include <string.h>

enum { INBOX_PAGE = 30, UNREAD_CAP = 100, KINDS_MAX = NOTIFY_KINDS_MAX };
_Static_assert((int)NOTIFY_KINDS_MAX < (int)FORM_MAX_FIELDS,
               "the settings form holds a field per kind");

/* ---- the kinds, from every area's list ---- */

static const struct notify_kind *kind_at(const struct app *app, int i)
{
    for (const struct area *const *a = app->areas; a && *a; a++)
        for (const struct notify_kind *k = (*a)->notify_kinds; k && k->name; k++)
            if (i-- == 0) return k;
    return NULL;
}

static const struct notify_kind *kind_named(const struct app *app, const char *name)
{
    const struct notify_kind *k;
    for (int i = 0; name && (k = kind_at(app, i)) != NULL; i++)
        if (strcmp(k->name, name) == 0) return k;
    return NULL;
}

/* ---- the scheduled pass's notices of secret communities ---- */

/* The pass writes a secret community's notice unchecked: it had no key to
 * read the member's sealed choice (core/notify.h). The member's request
 * holds it: a notice of a kind they chose "nothing" for goes, the rest are
 * kept, before anything counts or lists them. One probe of a partial index
 * when there is nothing to settle (nearly always); the keyring is opened
 * and a short write made only when there is. */
static void settle_unchecked(struct req *r, const char *sealed)
{
    if (!sealed || strcmp(sealed, "[]") == 0 || notify_unchecked(req_db(r), sealed) != 1) return;
    int own = r->wr == NULL;
    struct dbc *w = req_write_begin(r);
    if (!w) return; /* busy: the next request settles them */
    int ok = notify_settle(w, sealed) >= 0;
    if (own) req_write_end(r, ok);
}

/* ---- the header's count ---- */

void inbox_layout_extra(struct req *r, json_t *ctx)
{
    if (!r->acct) return;
    /* The session's copy of the keyring's member ids, not the keyring:
     * on a page that needs nothing else of it (a public community's, the
     * account's) opening it was most of the count's cost. */
    const char *sealed = ring_viewer_member_ids_kept(r);
    settle_unchecked(r, sealed);
    int64_t n = inbox_unread(req_db(r), r->acct->id, sealed, UNREAD_CAP);
    if (n <= 0) return;
    json_object_set_new(ctx, "inbox_unread",
                        json_string(n >= UNREAD_CAP
                                        ? arena_printf(r->arena, "%d+", UNREAD_CAP - 1)
                                        : arena_printf(r->arena, "%lld", (long long)n)));
}

/* ---- the inbox ---- */

/* A secret community whose key has not reached the viewer yet has no name
 * they can read: it is said so, as on their list of communities. */
static void name_waiting(struct req *r, json_t *rows)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) if (json_is_null(json_object_get(row, "community")))
        json_object_set_new(row, "community", json_string(tr(r, "community.name_waiting")));
}

static const struct vfield INBOX_FIELDS[] = {
    {"id", CAP_USER}, {"kind", CAP_USER},   {"slug", CAP_USER}, {"community", CAP_USER},
    {"at", CAP_USER}, {"unread", CAP_USER}, {NULL, 0},
};
static const struct vfield GROUP_FIELDS[] = {
    {"slug", CAP_USER},
    {"community", CAP_USER},
    {"unread", CAP_USER},
    {NULL, 0},
};

static void inbox_get(struct req *r)
{
    int64_t page = req_page(r);
    const char *sealed = ring_viewer_member_ids(r), *addresses = ring_viewer_addresses(r);
    settle_unchecked(r, sealed);
    struct vmask m = view_mask(r, INBOX_FIELDS);
    json_t *rows = inbox_list(req_db(r), &m, r->acct->id, sealed, addresses,
                              (page - 1) * INBOX_PAGE, INBOX_PAGE + 1);
    int more = render_page_rows(&rows, INBOX_PAGE);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        /* a kind no area declares any more is still shown, as a notice */
        const struct notify_kind *k =
            kind_named(r->app, json_string_value(json_object_get(row, "kind")));
        json_object_set_new(row, "label", json_string(tr(r, k ? k->label : "notify.unknown")));
        json_object_del(row, "kind");
    }
    name_waiting(r, rows);
    struct vmask gm = view_mask(r, GROUP_FIELDS);
    json_t *groups = inbox_communities(req_db(r), &gm, r->acct->id, sealed, addresses);
    if (groups) name_waiting(r, groups);
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "notify.inbox")));
    json_object_set_new(v, "notices", rows);
    json_object_set_new(v, "communities", groups ? groups : json_array());
    render_pager(r, v, page, more, "/inbox?page=", "");
    render_page(r, 200, "notify/inbox", v);
}

static void inbox_open_post(struct req *r)
{
    struct inbox_target t = {0, 0, NULL};
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? inbox_open(w, r->arena, r->acct->id, ring_viewer_member_ids(r),
                                req_path_int(r, "id"), &t)
                   : WR_BUSY;
    if (req_commit(r, rc, NULL) != 0) return;
    const char *slug =
        inbox_community_slug(req_db(r), r->arena, t.community_id, ring_viewer_addresses(r));
    const struct notify_kind *k = kind_named(r->app, t.kind);
    if (!slug) {
        render_redirect(r, "/inbox", NULL);
        return;
    }
    /* The kind's path under the community, "{id}" its object's id. */
    const char *path = k && k->path ? k->path : "";
    const char *at = strstr(path, "{id}");
    const char *url = at ? arena_printf(r->arena, "/c/%s%.*s%lld%s", slug, (int)(at - path), path,
                                        (long long)t.object_id, at + 4)
                         : arena_printf(r->arena, "/c/%s%s", slug, path);
    render_redirect(r, url, NULL);
}

static void read_all_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? inbox_read_all(w, r->comm->member_id) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, "/inbox", "flash.notify_read");
}

/* ---- the settings: a channel per kind ---- */

static const char *const CHANNEL_CHOICES[] = {"inbox", "daily", "now", "none", NULL};

/* One field per kind, by its place in the areas' lists: the page shows
 * the kinds in that order, and a kind's name never becomes a parameter. */
#define KIND_FIELD(n)                                                                              \
    {                                                                                              \
        "k" #n, F_CHOICE, 0, 0, 0, CHANNEL_CHOICES, "notify.channel."                              \
    }
static const struct field FORM_PREFS[] = {
    KIND_FIELD(0),  KIND_FIELD(1),  KIND_FIELD(2),  KIND_FIELD(3),
    KIND_FIELD(4),  KIND_FIELD(5),  KIND_FIELD(6),  KIND_FIELD(7),
    KIND_FIELD(8),  KIND_FIELD(9),  KIND_FIELD(10), KIND_FIELD(11),
    KIND_FIELD(12), KIND_FIELD(13), KIND_FIELD(14), KIND_FIELD(15),
    KIND_FIELD(16), KIND_FIELD(17), KIND_FIELD(18), KIND_FIELD(19),
    KIND_FIELD(20), KIND_FIELD(21), KIND_FIELD(22), KIND_FIELD(23),
    KIND_FIELD(24), KIND_FIELD(25), KIND_FIELD(26), KIND_FIELD(27),
    KIND_FIELD(28), KIND_FIELD(29), KIND_FIELD(30), KIND_FIELD(31),
    KIND_FIELD(32), KIND_FIELD(33), KIND_FIELD(34), KIND_FIELD(35),
    KIND_FIELD(36), KIND_FIELD(37), KIND_FIELD(38), KIND_FIELD(39),
    KIND_FIELD(40), KIND_FIELD(41), KIND_FIELD(42), KIND_FIELD(43),
    KIND_FIELD(44), KIND_FIELD(45), KIND_FIELD(46), {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* E-mail names an account: never for a secret community's member. */
static int mail_allowed(const struct req *r)
{
    return r->comm->visibility != VIS_SECRET;
}

static const char *field_name(struct req *r, int i)
{
    return arena_printf(r->arena, "k%d", i);
}

/* The member's channel for kind k: the stored choice, or the default. */
static enum notify_channel channel_of(json_t *prefs, const struct notify_kind *k)
{
    int ch = notify_channel_parse(json_string_value(json_object_get(prefs, k->name)));
    return ch < 0 ? k->dflt : (enum notify_channel)ch;
}

static void prefs_page(struct req *r, int status, struct form *f)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "notify.settings")));
    json_object_set_new(v, "slug", json_string(r->comm->slug));
    json_object_set_new(v, "mail", json_boolean(mail_allowed(r)));
    json_t *kinds = json_array();
    const struct notify_kind *k;
    for (int i = 0; i < KINDS_MAX && (k = kind_at(r->app, i)) != NULL; i++) {
        const char *name = field_name(r, i);
        const char *cur = json_string_value(json_object_get(f->values, name));
        json_t *opts = json_array();
        for (int c = 0; CHANNEL_CHOICES[c]; c++) {
            if (!mail_allowed(r) && (c == NOTIFY_MAIL_DAILY || c == NOTIFY_MAIL_NOW) &&
                !(cur && strcmp(cur, CHANNEL_CHOICES[c]) == 0))
                continue;
            const char *key = arena_printf(r->arena, "notify.channel.%s", CHANNEL_CHOICES[c]);
            json_array_append_new(opts, json_pack("{ss ss sb}", "value", CHANNEL_CHOICES[c], "text",
                                                  tr(r, key), "selected",
                                                  cur && strcmp(cur, CHANNEL_CHOICES[c]) == 0));
        }
        json_t *err = json_object_get(f->errors, name);
        json_t *row =
            json_pack("{ss ss so}", "field", name, "label", tr(r, k->label), "options", opts);
        if (err) json_object_set(row, "error", err);
        json_array_append_new(kinds, row);
    }
    json_object_set_new(v, "kinds", kinds);
    render_form(r, status, "notify/settings", v, f);
}

static void prefs_get(struct req *r)
{
    json_t *prefs = req_own(r, inbox_prefs(req_db(r), r->comm->member_id));
    if (!prefs) {
        render_error(r, 500, "internal", "error.internal");
        return;
    }
    json_t *stored = req_own(r, json_object());
    const struct notify_kind *k;
    for (int i = 0; i < KINDS_MAX && (k = kind_at(r->app, i)) != NULL; i++)
        json_object_set_new(stored, field_name(r, i),
                            json_string(notify_channel_name(channel_of(prefs, k))));
    struct form f;
    form_fill(&f, r, FORM_PREFS, stored);
    prefs_page(r, 200, &f);
}

/* On the writer: each kind whose channel changed is stored; a form sent
 * as it was shown writes nothing (a sealed choice written again would be
 * a new ciphertext for the same choice). */
static enum wr prefs_save(struct dbc *w, struct req *r, const struct form *f)
{
    json_t *prefs = inbox_prefs(w, r->comm->member_id);
    if (!prefs) return WR_DB;
    enum wr rc = WR_OK;
    const struct notify_kind *k;
    for (int i = 0; rc == WR_OK && i < KINDS_MAX && (k = kind_at(r->app, i)) != NULL; i++) {
        const char *name = field_name(r, i);
        if (!form_given(f, name)) continue;
        enum notify_channel ch = (enum notify_channel)form_num(f, name, 0);
        if (ch == channel_of(prefs, k)) continue;
        if (notify_pref_set(w, r->comm->member_id, k->name, ch) != 0) rc = WR_DB;
        /* a secret community's choice leaves no page image beside another
         * community's save of the same person in the WAL (threat model) */
        if (!mail_allowed(r)) db_flush_wal_after(w);
    }
    json_decref(prefs);
    return rc;
}

static void prefs_post(struct req *r)
{
    struct form f;
    int ok = form_read(&f, r, FORM_PREFS);
    for (int i = 0; ok && !mail_allowed(r) && i < KINDS_MAX && kind_at(r->app, i); i++) {
        const char *name = field_name(r, i);
        int64_t ch = form_num(&f, name, NOTIFY_INBOX);
        if (form_given(&f, name) && (ch == NOTIFY_MAIL_DAILY || ch == NOTIFY_MAIL_NOW)) {
            form_error(&f, name, "notify.error.no_mail_secret");
        }
    }
    if (!form_ok(&f)) {
        prefs_page(r, 422, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? prefs_save(w, r, &f) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, arena_printf(r->arena, "/c/%s/notifications", r->comm->slug),
                        "flash.saved");
}

static const struct route inbox_routes[] = {
    {"GET", "/inbox", CAP_USER, 0, NULL, inbox_get, NULL},
    {"POST", "/inbox/{id:int}/open", CAP_USER, 0, NULL, inbox_open_post, NULL},
    {0},
};

static const struct route community_routes[] = {
    {"POST", "/c/{slug}/inbox/read", CAP_C_MEMBER, 0, NULL, read_all_post, NULL},
    {"GET", "/c/{slug}/notifications", CAP_C_MEMBER, 0, NULL, prefs_get, NULL},
    {"POST", "/c/{slug}/notifications", CAP_C_MEMBER, 0, NULL, prefs_post, FORM_PREFS},
    {0},
};

static const struct route_table notify_tables[] = {
    {SCOPE_INSTANCE, inbox_routes},
    {SCOPE_INSTANCE, notify_mail_routes},
    {SCOPE_COMMUNITY, community_routes},
    {0},
};

const struct area notify_area = {
    .name = "notify",
    .routes = notify_tables,
    .bench = benchdata_notify,
};
