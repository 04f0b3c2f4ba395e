/* Community pages: the directory, the dashboard, join requests, and the
 * view pieces the area's pages share. Creating, editing and deleting are
 * in edit.c, members and invitations in members.c. */
#include "areas/benchdata.h"
#include "areas/demo.h"
#include "areas/community/community.h"
#include "core/notify.h"
#include "core/app.h"
#include "core/keyring.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"
#include "core/text.h"
#include "core/tmpl.h"

#include <stdlib.h>
#include <string.h>

/* ---- shared view pieces ---- */

/* One label: {key, label, selected} and the catalog's hint when it has
 * one ("prefix.key.hint"). */
static json_t *label_item(struct req *r, const char *prefix, const char *k, int selected)
{
    const char *key = arena_printf(r->arena, "%s.%s", prefix, k);
    json_t *item = json_pack("{ss ss sb}", "key", k, "label", tr(r, key), "selected", selected);
    const char *hk = arena_printf(r->arena, "%s.hint", key);
    const char *hint = tr(r, hk);
    if (hint != hk && strcmp(hint, hk) != 0) json_object_set_new(item, "hint", json_string(hint));
    return item;
}

/* 1 when k is a word of the space-separated list. */
static int in_list(const char *list, const char *k)
{
    size_t n = strlen(k);
    for (const char *p = list ? strstr(list, k) : NULL; p; p = strstr(p + 1, k))
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0)) return 1;
    return 0;
}

json_t *community_labels(struct req *r, const char *const *keys, const char *prefix,
                         const char *selected_csv)
{
    json_t *a = json_array();
    for (int i = 0; keys[i]; i++)
        json_array_append_new(a, label_item(r, prefix, keys[i], in_list(selected_csv, keys[i])));
    return a;
}

json_t *community_prereq_tags(struct req *r, const char *csv)
{
    json_t *out = json_array();
    for (int i = 0; community_prereqs[i]; i++)
        if (in_list(csv, community_prereqs[i]))
            json_array_append_new(out, label_item(r, "prereq", community_prereqs[i], 1));
    return out;
}

static const char *vis_label(struct req *r, int vis)
{
    static const char *const keys[] = {"visibility.public", "visibility.closed",
                                       "visibility.secret"};
    return tr(r, keys[vis >= 0 && vis <= 2 ? vis : 0]);
}

static const char *role_label(struct req *r, const char *role)
{
    if (str_empty(role)) return "";
    return tr(r, arena_printf(r->arena, "role.%s", role));
}

enum { SUMMARY_CHARS = 200 };

/* What a directory card carries: no account, no id. */
static const struct vfield DIRECTORY_FIELDS[] = {
    {"slug", CAP_ANY},
    {"name", CAP_ANY},
    {"visibility", CAP_ANY},
    {"members", CAP_ANY},
    {"territory", CAP_ANY},
    {"role", CAP_ANY},
    {NULL, 0},
};

const struct vfield community_mine_fields[] = {
    {"slug", CAP_USER}, {"name", CAP_USER},    {"visibility", CAP_USER},
    {"role", CAP_USER}, {"members", CAP_USER}, {NULL, 0},
};

void community_rows_named(struct req *r, json_t *rows)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (!json_is_null(json_object_get(row, "name"))) continue;
        json_object_set_new(row, "name", json_string(tr(r, "community.name_waiting")));
        json_object_set_new(row, "name_waiting", json_true());
    }
}

/* Decorates directory rows with labels; extra (n of them, or NULL) holds
 * what each row's tags and summary are made from. Returns rows. */
static json_t *decorate_rows(struct req *r, json_t *rows, const struct directory_extra *extra,
                             size_t n)
{
    community_rows_named(r, rows);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        int vis = (int)json_integer_value(json_object_get(row, "visibility"));
        json_object_set_new(row, "visibility_label", json_string(vis_label(r, vis)));
        json_object_set_new(row, "is_closed", json_boolean(vis == VIS_CLOSED));
        json_object_set_new(row, "is_secret", json_boolean(vis == VIS_SECRET));
        const char *role = json_string_value(json_object_get(row, "role"));
        if (role) json_object_set_new(row, "role_label", json_string(role_label(r, role)));
        if (!extra || i >= n) {
            json_object_set_new(row, "prereq_tags", json_array()); /* not listed here */
            continue;
        }
        json_object_set_new(row, "prereq_tags", community_prereq_tags(r, extra[i].prereqs));
        /* The card shows the description as read, not its Markdown: the
         * first words of the rendered text. The source is read up to 1500
         * bytes, far more than 200 characters of text need. */
        if (extra[i].summary_md)
            json_object_set_new(
                row, "summary",
                json_string(render_markdown_summary(r, extra[i].summary_md, SUMMARY_CHARS)));
    }
    return rows;
}

json_t *community_territory_options(struct req *r, int max_depth, int64_t selected,
                                    int64_t community_id)
{
    json_t *tree = territory_tree(req_db(r), max_depth, community_id);
    if (!tree) return json_array();
    size_t i;
    json_t *t;
    json_array_foreach(tree, i, t)
    {
        int depth = (int)json_integer_value(json_object_get(t, "depth"));
        json_object_set_new(t, "indent",
                            json_string(arena_printf(r->arena, "%.*s", depth * 2, "            ")));
        json_object_set_new(t, "selected",
                            json_boolean(json_integer_value(json_object_get(t, "id")) == selected));
        const char *kind = json_string_value(json_object_get(t, "kind"));
        json_object_set_new(t, "kind_label",
                            json_string(tr(r, arena_printf(r->arena, "territory.%s", kind))));
    }
    return tree;
}

/* ---- directory ---- */

enum { DIRECTORY_PAGE = 30, MINE_ON_HOME = 12 };

/* The query string of the current filters, for the pager's links. */
static const char *filter_query(struct req *r, const char *prereq, int64_t territory, const char *q)
{
    struct buf b;
    buf_init(&b);
    if (prereq) buf_printf(&b, "&prereq=%s", prereq);
    if (territory) buf_printf(&b, "&territory=%lld", (long long)territory);
    if (q) {
        buf_puts(&b, "&q=");
        url_escape(&b, q);
    }
    const char *s = arena_strdup(r->arena, b.data ? b.data : "");
    buf_free(&b);
    return s;
}

static void home(struct req *r)
{
    const char *prereq = req_param(r, "prereq");
    const char *q = req_param(r, "q");
    int64_t territory = 0, page = req_page(r);
    if (str_empty(prereq) || form_choice_index(community_prereqs, prereq) < 0) prereq = NULL;
    if (str_to_i64(req_param(r, "territory"), &territory) != 0 || territory < 0) territory = 0;
    q = str_empty(q) ? NULL : str_trim(arena_strndup(r->arena, q, 120));
    if (str_empty(q)) q = NULL;
    /* One row more than a page tells whether there is a next page. */
    struct directory_filter df = {r->acct ? r->acct->id : 0,
                                  prereq,
                                  territory,
                                  q,
                                  (page - 1) * DIRECTORY_PAGE,
                                  DIRECTORY_PAGE + 1,
                                  r->acct ? ring_viewer_member_ids(r) : "[]",
                                  r->acct ? ring_viewer_addresses(r) : "{}"};
    struct vmask m = view_mask(r, DIRECTORY_FIELDS);
    struct directory_extra *extra = NULL;
    size_t nx = 0;
    json_t *rows = community_directory(req_db(r), &m, r->arena, &df, &extra, &nx);
    int more = render_page_rows(&rows, DIRECTORY_PAGE);
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "home.title")));
    json_object_set_new(v, "communities", decorate_rows(r, rows, extra, nx));
    json_object_set_new(v, "page", json_integer(page));
    if (r->acct && page == 1 && !prereq && !territory && !q) {
        struct vmask mm = view_mask(r, community_mine_fields);
        const char *sealed = ring_viewer_member_ids(r);
        json_t *mine = community_list_mine(req_db(r), &mm, r->acct->id, sealed,
                                           ring_viewer_addresses(r), 0, MINE_ON_HOME);
        if (mine) json_object_set_new(v, "mine", decorate_rows(r, mine, NULL, 0));
        int64_t all = community_count_mine(req_db(r), r->acct->id, sealed);
        if (all > MINE_ON_HOME) json_object_set_new(v, "mine_all", json_integer(all));
    }
    const char *fq = filter_query(r, prereq, territory, q);
    render_pager(r, v, page, more, "/?page=", fq);
    json_object_set_new(v, "q", json_string(q ? q : ""));
    json_object_set_new(v, "prereqs", community_labels(r, community_prereqs, "prereq", prereq));
    /* The filter offers countries, regions and cities; choosing one takes
     * in everything inside it. */
    json_object_set_new(v, "territories", community_territory_options(r, 2, territory, 0));
    json_object_set_new(v, "filtered", json_boolean(prereq || territory || q));
    render_page(r, 200, "community/home", v);
}

/* ---- the dashboard ---- */

/* The card: what people wrote goes as they wrote it (Markdown), the
 * template renders it. */
static json_t *community_card(struct req *r, const struct community_row *row)
{
    int vis = (int)row->visibility;
    return json_pack("{ss ss ss si ss sb sb}", "slug", r->comm->slug, "name", r->comm->name,
                     "description", row->description, "visibility", vis, "visibility_label",
                     vis_label(r, vis), "is_closed", vis == VIS_CLOSED, "is_secret",
                     vis == VIS_SECRET);
}

static void dashboard(struct req *r)
{
    struct community_row row;
    if (community_read(req_db(r), r->arena, r->comm->slug, 0, &row) != 0) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(r->comm->name));
    json_t *card = community_card(r, &row);
    json_object_set_new(v, "community", card);
    int member = req_has(r, CAP_C_MEMBER);
    json_object_set_new(v, "is_member", json_boolean(member));
    json_object_set_new(v, "signed_in", json_boolean(r->acct != NULL));
    if (!req_has(r, CAP_C_READ)) {
        /* A closed community shows a stranger its name and description. */
        if (r->acct)
            json_object_set_new(
                v, "join_pending",
                json_boolean(join_request_pending(req_db(r), r->comm->id, r->acct->id)));
        json_object_set_new(v, "can_request", json_true());
        render_page(r, 200, "community/closed", v);
        return;
    }
    if (row.territory_id) {
        json_t *path = territory_path(req_db(r), row.territory_id);
        if (path) json_object_set_new(card, "territory", path);
    }
    const char *pre = community_prereq_list(req_db(r), r->arena, r->comm->id);
    json_object_set_new(card, "prereq_tags", community_prereq_tags(r, pre));
    json_object_set_new(card, "members",
                        json_integer(community_member_count(req_db(r), r->comm->id)));
    if (member) {
        const char *role = community_viewer_role(r);
        json_object_set_new(v, "my_role", json_string(role));
        json_object_set_new(v, "my_role_label", json_string(role_label(r, role)));
    } else if (r->acct) {
        json_object_set_new(
            v, "join_pending",
            json_boolean(join_request_pending(req_db(r), r->comm->id, r->acct->id)));
        json_object_set_new(v, "can_request", json_true());
    }
    int organizer = req_has(r, CAP_C_ORGANIZE);
    json_object_set_new(v, "is_organizer", json_boolean(organizer));
    if (organizer)
        json_object_set_new(v, "pending_requests",
                            json_integer(join_request_count(req_db(r), r->comm->id)));
    community_area_sections(r, v);
    render_page(r, 200, "community/dashboard", v);
}

/* ---- join requests ---- */

static const struct field FORM_JOIN[] = {
    {"message", F_TEXT, 0, 0, 1000, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static json_t *join_view(struct req *r)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "join.title")));
    json_object_set_new(v, "slug", json_string(r->comm->slug));
    json_object_set_new(v, "name", json_string(r->comm->name));
    return v;
}

static void join_get(struct req *r)
{
    if (req_has(r, CAP_C_MEMBER)) {
        render_redirect(r, arena_printf(r->arena, "/c/%s", r->comm->slug), NULL);
        return;
    }
    json_t *v = join_view(r);
    json_object_set_new(v, "pending",
                        json_boolean(join_request_pending(req_db(r), r->comm->id, r->acct->id)));
    render_page(r, 200, "community/join", v);
}

static void join_post(struct req *r)
{
    const char *back = arena_printf(r->arena, "/c/%s", r->comm->slug);
    if (req_has(r, CAP_C_MEMBER)) {
        render_redirect(r, back, NULL);
        return;
    }
    struct form f;
    if (!form_read(&f, r, FORM_JOIN)) {
        render_invalid(r, "community/join", join_view(r), &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    /* A request already waiting: saying "sent" again is the truth. */
    enum wr rc =
        w ? join_request_add(w, r->comm->id, r->acct->id, form_str(&f, "message")) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, back, "flash.join_requested");
}

/* A request as the organizer sees it: who asks and what they wrote. */
static const struct vfield REQUEST_FIELDS[] = {
    {"id", CAP_C_ORGANIZE},      {"handle", CAP_C_ORGANIZE},  {"display_name", CAP_C_ORGANIZE},
    {"message", CAP_C_ORGANIZE}, {"created", CAP_C_ORGANIZE}, {NULL, 0},
};

static void requests_get(struct req *r)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "requests.title")));
    json_object_set_new(v, "slug", json_string(r->comm->slug));
    json_object_set_new(v, "name", json_string(r->comm->name));
    struct vmask m = view_mask(r, REQUEST_FIELDS);
    json_t *rows = join_request_list(req_db(r), &m, r->comm->id);
    json_object_set_new(v, "requests", rows ? rows : json_array());
    render_page(r, 200, "community/requests", v);
}

static void request_decide(struct req *r, int approve)
{
    struct dbc *w = req_write_begin(r);
    int64_t id = req_path_int(r, "id");
    enum wr rc = w ? join_request_decide(w, r->comm->id, id, approve) : WR_BUSY;
    char *who = w && rc == WR_OK ? join_request_name(w, r->comm->id, id) : NULL;
    rc = community_audit(r, w, rc, approve ? "request_approve" : "request_decline", who);
    free(who);
    if (req_commit(r, rc, "requests.decided") != 0) return;
    render_redirect(r, arena_printf(r->arena, "/c/%s/members/requests", r->comm->slug),
                    approve ? "flash.request_approved" : "flash.request_declined");
}

static void request_approve(struct req *r)
{
    request_decide(r, 1);
}

static void request_decline(struct req *r)
{
    request_decide(r, 0);
}

static const char *const P_HOME[] = {"prereq", "territory", "q", "page", NULL};
/* The prerequisites: a checkbox group, repeated fields beside the form. */
static const char *const P_PREREQ[] = {"prereq", NULL};

/* The directory and creation are the instance's; the rest is a
 * community's own. */
static const struct route community_instance_routes[] = {
    {"GET", "/", CAP_ANY, 0, P_HOME, home, NULL},
    {"GET", "/c/new", CAP_USER, 0, NULL, community_new_get, NULL},
    {"POST", "/c", CAP_USER, 0, P_PREREQ, community_create_post, FORM_COMMUNITY_NEW},
    {0},
};

static const struct route community_routes[] = {
    {"GET", "/c/{slug}", CAP_C_SEE, 0, NULL, dashboard, NULL},
    {"GET", "/c/{slug}/edit", CAP_C_ORGANIZE, 0, NULL, community_edit_get, NULL},
    {"GET", "/c/{slug}/delete", CAP_C_ORGANIZE, 0, NULL, community_delete_get, NULL},
    {"POST", "/c/{slug}/delete", CAP_C_ORGANIZE, 0, NULL, community_delete_post,
     FORM_COMMUNITY_DELETE},
    {"POST", "/c/{slug}/edit", CAP_C_ORGANIZE, 0, P_PREREQ, community_edit_post,
     FORM_COMMUNITY_EDIT},
    {"GET", "/c/{slug}/join", CAP_C_VISITOR, 0, NULL, join_get, NULL},
    {"POST", "/c/{slug}/join", CAP_C_VISITOR, 0, NULL, join_post, FORM_JOIN},
    {"GET", "/c/{slug}/members/requests", CAP_C_ORGANIZE, 0, NULL, requests_get, NULL},
    {"POST", "/c/{slug}/members/requests/{id:int}/approve", CAP_C_ORGANIZE, 0, NULL,
     request_approve, NULL},
    {"POST", "/c/{slug}/members/requests/{id:int}/decline", CAP_C_ORGANIZE, 0, NULL,
     request_decline, NULL},
    {0},
};

static const struct route_table community_tables[] = {
    {SCOPE_INSTANCE, community_instance_routes},
    {SCOPE_COMMUNITY, community_routes},
    {SCOPE_COMMUNITY, community_member_routes},
    {SCOPE_COMMUNITY, community_audit_routes},
    {SCOPE_INSTANCE, community_invite_routes},
    {SCOPE_COMMUNITY, community_address_routes},
    {0},
};

/* The notices the community area writes (core/notify.h). */
static const struct notify_kind community_notify_kinds[] = {
    {COMMUNITY_NOTIFY_APPROVED, "notify.join_approved", NOTIFY_INBOX, ""},
    {COMMUNITY_NOTIFY_INVITE_ACCEPTED, "notify.invite_accepted", NOTIFY_INBOX, "/members"},
    {0},
};

const struct area community_area = {
    .name = "community",
    .routes = community_tables,
    .owns = SCOPE_COMMUNITY,
    .scope = &community_scope,
    .demo = demo_platform,
    .bench = benchdata_platform,
    .person_export = community_person_export,
    .notify_kinds = community_notify_kinds,
};
