/* Talent entries: the list with search and filters, the form, the entry's
 * page, editing, removing, hiding, and "mine" with the matches for me. */
#include "areas/talent/internal.h"
#include "core/db.h"
#include "core/form.h"
#include "core/notify.h"
#include "core/render.h"
#include "core/text.h"

#include <stdlib.h>
#include <string.h>

json_t *talent_base_view(struct req *r, const char *title_key)
{
    return req_own(r,
                   json_pack("{ss ss ss sb sb}", "title", tr(r, title_key), "slug", r->comm->slug,
                             "name", r->comm->name, "is_member", req_has(r, CAP_C_MEMBER),
                             "is_organizer", req_has(r, CAP_C_ORGANIZE)));
}

static const char *choice_or_null(struct req *r, const char *name, const char *const *keys)
{
    const char *x = req_param(r, name);
    return form_choice_index(keys, x) >= 0 ? x : NULL;
}

enum { LIST_PAGE = 30 };

/* The search of the list as the rest of a query string ("&q=...&kind=..."),
 * for the links to its other pages. */
static const char *list_filters(struct req *r, const struct talent_search *s, const char *q)
{
    struct buf b;
    buf_init(&b);
    buf_puts(&b, "");
    const char *names[] = {"q", "category", "kind", "availability"};
    const char *values[] = {q, s->category, s->kind, s->availability};
    for (int i = 0; i < 4; i++) {
        if (str_empty(values[i])) continue;
        buf_printf(&b, "&%s=", names[i]);
        url_escape(&b, values[i]);
    }
    const char *url = arena_strdup(r->arena, b.data);
    buf_free(&b);
    return url;
}

static void list_get(struct req *r)
{
    struct talent_viewer tv = talent_viewer_of(r);
    const char *q = req_param(r, "q");
    int64_t page = req_page(r);
    struct talent_search s = {NULL,
                              choice_or_null(r, "category", talent_categories),
                              choice_or_null(r, "kind", talent_kinds),
                              choice_or_null(r, "availability", talent_availability),
                              0,
                              LIST_PAGE,
                              (page - 1) * LIST_PAGE,
                              0};
    char *fts = NULL;
    if (!str_empty(q)) talent_fts_query_sealed(req_db(r), r->comm->id, q, 0, &fts);
    s.fts = fts;
    struct vmask m = view_mask(r, talent_entry_fields);
    struct talent_rows rows;
    talent_entry_search(req_db(r), r->arena, &m, r->comm->id, &tv, &s, &rows);
    /* a search by words brings its count along; otherwise it is asked for */
    int64_t total =
        rows.total >= 0 ? rows.total : talent_entry_search_count(req_db(r), r->comm->id, &tv, &s);
    free(fts);
    s.fts = NULL;
    json_t *list = req_own(r, rows.view ? rows.view : json_array());
    size_t i;
    json_t *row;
    struct talent_labels labels;
    memset(&labels, 0, sizeof labels);
    json_array_foreach(list, i, row)
    {
        talent_decorate_with(r, &labels, row);
    }
    talent_labels_release(&labels);
    json_t *v = talent_base_view(r, "talent.title");
    json_object_set_new(v, "q", json_string(q ? q : ""));
    json_object_set_new(v, "categories",
                        talent_labels(r, talent_categories, "talent.cat", s.category));
    json_object_set_new(v, "kinds", talent_labels(r, talent_kinds, "talent.kind", s.kind));
    json_object_set_new(v, "availabilities",
                        talent_labels(r, talent_availability, "talent.avail", s.availability));
    json_object_set_new(v, "count", json_integer(total));
    json_object_set_new(v, "page", json_integer(page));
    render_pager(r, v, page, page * LIST_PAGE < total, talent_url(r, "/talents?page="),
                 list_filters(r, &s, q));
    json_object_set(v, "entries", list);
    json_object_set_new(v, "hours", json_integer(talent_hours(req_db(r), r->comm->id)));
    render_page(r, 200, "talent/list", v);
}

/* The form's choices and the tags people already use here. */
static json_t *form_view(struct req *r, const char *title_key, const char *action, const char *kind,
                         const char *cat, const char *avail, const char *vis)
{
    json_t *v = talent_base_view(r, title_key);
    json_object_set_new(v, "action", json_string(action));
    json_object_set_new(v, "kinds", talent_labels(r, talent_kinds, "talent.kind", kind));
    json_object_set_new(v, "categories", talent_labels(r, talent_categories, "talent.cat", cat));
    json_object_set_new(v, "availabilities",
                        talent_labels(r, talent_availability, "talent.avail", avail));
    json_object_set_new(v, "visibilities", talent_labels(r, talent_visibility, "talent.vis", vis));
    json_t *tags = talent_tag_suggest(req_db(r), r->comm->id, "", 30);
    json_object_set_new(v, "suggested", tags ? tags : json_array());
    return v;
}

static const struct field FORM_ENTRY[] = {
    {"kind", F_CHOICE, 1, 0, 0, talent_kinds, "talent.kind."},
    {"category", F_CHOICE, 1, 0, 0, talent_categories, "talent.cat."},
    {"title", F_TEXT, 1, 0, TALENT_TITLE_MAX, NULL, NULL},
    {"body", F_TEXT, 0, 0, TALENT_BODY_MAX, NULL, NULL},
    {"tags", F_TEXT, 0, 0, TALENT_TAGS_FIELD_MAX, NULL, NULL},
    {"availability", F_CHOICE, 0, 0, 0, talent_availability, "talent.avail."},
    {"visibility", F_CHOICE, 0, 0, 0, talent_visibility, "talent.vis."},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static const struct field FORM_HIDE[] = {
    {"reason", F_TEXT, 0, 0, 300, NULL, NULL},
    {"unhide", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* Reads and checks the entry form; 0 when valid. tags holds the result. */
static int read_entry(struct form *f, struct req *r, struct talent_entry *e,
                      char (*tags)[TALENT_TAG_BYTES])
{
    form_read(f, r, FORM_ENTRY);
    e->title = form_str(f, "title");
    e->body = form_str(f, "body");
    const char *t = form_str(f, "tags");
    /* JSON clients may send the tags as an array: repeated fields. */
    const char *many[TALENT_MAX_TAGS + 2];
    int nmany = req_param_all(r, "tags", many, TALENT_MAX_TAGS + 2);
    if (nmany > 1) {
        struct buf b;
        buf_init(&b);
        for (int i = 0; i < nmany; i++) {
            if (i) buf_putc(&b, ',');
            buf_puts(&b, many[i]);
        }
        t = arena_strdup(r->arena, b.data);
        buf_free(&b);
    }
    /* an absent choice is the first: any time, for members */
    const char *a = form_str(f, "availability"), *vi = form_str(f, "visibility");
    e->kind = form_str(f, "kind");
    e->category = form_str(f, "category");
    e->availability = a ? a : talent_availability[0];
    e->visibility = vi ? vi : talent_visibility[0];
    e->tags = tags;
    e->ntags = 0;
    if (t) {
        int n = talent_tags_parse(t, tags, TALENT_MAX_TAGS);
        if (n == -2)
            form_error(f, "tags", "talent.error.tag_long");
        else if (n == -3)
            form_error(f, "tags", "talent.error.too_many_tags");
        else
            e->ntags = n;
    }
    return form_ok(f) ? 0 : -1;
}

static void new_get(struct req *r)
{
    json_t *v =
        form_view(r, "talent.new.title", talent_url(r, "/talents"),
                  req_param(r, "kind") ? req_param(r, "kind") : "offer", NULL, "any", "members");
    render_page(r, 200, "talent/new", v);
}

static void invalid(struct req *r, const char *title_key, const char *action, struct form *f)
{
    json_t *v = form_view(r, title_key, action, req_param(r, "kind"), req_param(r, "category"),
                          req_param(r, "availability"), req_param(r, "visibility"));
    json_object_set_new(v, "invalid", json_true());
    render_invalid(r, "talent/new", v, f);
}

static void create_post(struct req *r)
{
    struct form f;
    struct talent_entry e;
    char tags[TALENT_MAX_TAGS][TALENT_TAG_BYTES];
    if (read_entry(&f, r, &e, tags) != 0) {
        invalid(r, "talent.new.title", talent_url(r, "/talents"), &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    int64_t id = 0;
    enum wr rc = w ? talent_entry_create(w, r->comm->id, r->comm->member_id, &e, &id) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) != 0) return;
    render_redirect(r, talent_url(r, arena_printf(r->arena, "/talents/%lld", (long long)id)),
                    "flash.talent_saved");
}

/* The entry named by {id} if this viewer may see it; answers 404 if not. */
int talent_path_entry(struct req *r, struct talent_row *row, json_t **view)
{
    struct talent_viewer tv = talent_viewer_of(r);
    struct vmask m = view_mask(r, talent_entry_fields);
    int64_t id = talent_path_id(r, "id");
    if (!id || talent_entry_get(req_db(r), r->arena, &m, r->comm->id, id, &tv, row, view) != 0) {
        talent_not_found(r);
        return -1;
    }
    req_own(r, *view);
    return 0;
}

int talent_is_owner(struct req *r, const struct talent_row *e)
{
    return r->comm && r->comm->member_id && e->owner == r->comm->member_id;
}

static void entry_get(struct req *r)
{
    struct talent_row row;
    json_t *e;
    if (talent_path_entry(r, &row, &e) != 0) return;
    int mine = talent_is_owner(r, &row);
    json_t *v = talent_base_view(r, "talent.entry.title");
    json_object_set_new(v, "title", json_string(row.title));
    if (req_has(r, CAP_C_MEMBER)) {
        json_t *m = talent_matches(r, &row, 10);
        json_object_set_new(
            v, "can_club",
            json_boolean(mine && json_array_size(m) > 0 && talent_club_kind(row.kind)));
        json_object_set_new(v, "matches", m);
        json_object_set_new(v, "can_request", json_boolean(!mine));
    }
    talent_decorate(r, e);
    json_object_set(v, "entry", e);
    json_object_set_new(v, "can_edit", json_boolean(mine));
    render_page(r, 200, "talent/entry", v);
}

/* Editing and deleting are the owner's: asked on the reader to answer 403
 * as the pages always did, and decided by the write, whose WHERE names the
 * owner (an entry deleted meanwhile is 404). 1 with the entry's row and
 * view (request-owned) when the viewer owns it; else answers and returns
 * 0. */
static int owner_only(struct req *r, struct talent_row *row, json_t **e)
{
    if (talent_path_entry(r, row, e) != 0) return 0;
    if (!talent_is_owner(r, row)) {
        render_error(r, 403, "forbidden", "talent.error.not_owner");
        return 0;
    }
    return 1;
}

static void edit_get(struct req *r)
{
    struct talent_row row;
    json_t *e;
    if (!owner_only(r, &row, &e)) return;
    const char *id = req_path(r, "id");
    json_t *v = form_view(r, "talent.edit.title",
                          talent_url(r, arena_printf(r->arena, "/talents/%s/edit", id)), row.kind,
                          row.category, json_string_value(json_object_get(e, "availability")),
                          json_string_value(json_object_get(e, "visibility")));
    struct form f;
    form_fill(&f, r, FORM_ENTRY, e);
    form_to_view(&f, v);
    form_release(&f);
    json_object_set_new(v, "editing", json_true());
    render_page(r, 200, "talent/new", v);
}

static void edit_post(struct req *r)
{
    struct talent_row row;
    json_t *e;
    if (!owner_only(r, &row, &e)) return;
    struct form f;
    struct talent_entry x;
    char tags[TALENT_MAX_TAGS][TALENT_TAG_BYTES];
    const char *self = talent_url(r, arena_printf(r->arena, "/talents/%s", req_path(r, "id")));
    if (read_entry(&f, r, &x, tags) != 0) {
        invalid(r, "talent.edit.title", arena_printf(r->arena, "%s/edit", self), &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? talent_entry_update(w, r->comm->id, talent_path_id(r, "id"), r->comm->member_id, &x)
          : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, self, "flash.talent_saved");
}

/* The confirmation of a delete: what goes (the entry; requests for help
 * about it go with it). */
static void delete_get(struct req *r)
{
    struct talent_row row;
    json_t *e;
    if (!owner_only(r, &row, &e)) return;
    struct confirm c = {.title = tr(r, "talent.delete.title"),
                        .what = row.title,
                        .loss = tr(r, "talent.delete.loss"),
                        .back =
                            talent_url(r, arena_printf(r->arena, "/talents/%s", req_path(r, "id"))),
                        .back_label = row.title,
                        .button = tr(r, "talent.delete.yes"),
                        .final = 0};
    render_confirm(r, &c);
}

static void delete_post(struct req *r)
{
    struct talent_row row;
    json_t *e;
    if (!owner_only(r, &row, &e)) return;
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? talent_entry_delete(w, r->comm->id, talent_path_id(r, "id"), r->comm->member_id)
          : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, talent_url(r, "/talents/mine"), "flash.talent_deleted");
}

static void hide_post(struct req *r)
{
    struct talent_row row;
    json_t *e;
    if (talent_path_entry(r, &row, &e) != 0) return;
    struct form f;
    form_read(&f, r, FORM_HIDE);
    const char *reason = form_str(&f, "reason");
    int unhide = form_num(&f, "unhide", 0) != 0;
    if (!unhide && !reason && form_ok(&f)) form_error(&f, "reason", "talent.error.reason");
    if (!form_ok(&f)) {
        json_t *v = talent_base_view(r, "talent.entry.title");
        talent_decorate(r, e);
        json_object_set(v, "entry", e);
        render_invalid(r, "talent/entry", v, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? talent_entry_hide(w, r->comm->id, talent_path_id(r, "id"), unhide ? NULL : reason)
          : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) != 0) return;
    render_redirect(r, talent_url(r, arena_printf(r->arena, "/talents/%s", req_path(r, "id"))),
                    unhide ? "flash.talent_unhidden" : "flash.talent_hidden");
}

/* "Mine": the viewer's entries, MINE_PAGE at a time, newest first, each
 * with its best MINE_MATCHES matches found together, and a link to the
 * entry's page, which lists all of them, when it has more. A page of every
 * match of every entry was what made this page cost most (and more than
 * anyone reads: docs/performance.md). Five cards of four lines are about
 * two phone screens, and most people have fewer entries; the cost grows
 * with each one shown (in a sealed community six texts opened and four
 * rows looked up), and ten made the heaviest writer's page 2.5 M
 * instructions, over the budget of 2 M (docs/performance.md). */
enum { MINE_PAGE = 5, MINE_MATCHES = 3 };
/* What the page shows of each of the viewer's entries (the tags are read
 * for the matches' explanations, not shown). */
static const struct vfield MINE_FIELDS[] = {
    {"id", CAP_ANY},    {"kind", CAP_ANY},       {"category", CAP_ANY},
    {"title", CAP_ANY}, {"visibility", CAP_ANY}, {"hidden_reason", CAP_ANY},
    {NULL, 0},
};

static void mine_get(struct req *r)
{
    int64_t page = req_page(r);
    struct talent_viewer tv = talent_viewer_of(r);
    /* no bodies: the page shows titles, and each entry's page the rest */
    struct talent_search s = {
        NULL, NULL, NULL, NULL, r->comm->member_id, MINE_PAGE, (page - 1) * MINE_PAGE, 1};
    struct vmask vm = view_mask(r, MINE_FIELDS);
    struct talent_rows rows;
    talent_entry_search(req_db(r), r->arena, &vm, r->comm->id, &tv, &s, &rows);
    json_t *list = req_own(r, rows.view ? rows.view : json_array());
    json_t *matches[MINE_PAGE];
    int more[MINE_PAGE];
    size_t n = json_array_size(list);
    talent_matches_many(r, rows.v, n < MINE_PAGE ? n : MINE_PAGE, MINE_MATCHES, matches, more);
    int64_t total = 0;
    for (size_t i = 0; i < n && i < MINE_PAGE; i++) {
        json_t *row = json_array_get(list, i), *m = matches[i];
        if (more[i]) json_object_set_new(row, "more_matches", json_true());
        total += (int64_t)json_array_size(m);
        json_object_set_new(row, "matches", m);
        talent_decorate(r, row);
    }
    int64_t count = talent_entry_count(req_db(r), r->comm->id, r->comm->member_id);
    json_t *v = talent_base_view(r, "talent.mine.title");
    json_object_set(v, "entries", list);
    json_object_set_new(v, "match_count", json_integer(total));
    json_object_set_new(v, "count", json_integer(count));
    json_object_set_new(v, "page", json_integer(page));
    render_pager(r, v, page, page * MINE_PAGE < count, talent_url(r, "/talents/mine?page="), "");
    render_page(r, 200, "talent/mine", v);
}

static void tags_get(struct req *r)
{
    const char *p = req_param(r, "q");
    char tag[TALENT_TAG_BYTES] = "";
    if (!str_empty(p) && talent_tag_norm(p, strlen(p), tag) != 0) tag[0] = 0;
    json_t *v = talent_base_view(r, "talent.tags.title");
    json_t *rows = talent_tag_suggest(req_db(r), r->comm->id, tag, 20);
    json_object_set_new(v, "q", json_string(p ? p : ""));
    json_object_set_new(v, "tags", rows ? rows : json_array());
    render_page(r, 200, "talent/tags", v);
}

static const char *const P_LIST[] = {"q", "category", "kind", "availability", "page", NULL};
static const char *const P_NEW[] = {"kind", NULL};
static const char *const P_MINE[] = {"page", NULL};
static const char *const P_TAGS[] = {"q", NULL};

const struct route talent_routes[] = {
    {"GET", "/c/{slug}/talents", CAP_C_READ, 0, P_LIST, list_get, NULL},
    {"POST", "/c/{slug}/talents", CAP_C_MEMBER, 0, NULL, create_post, FORM_ENTRY},
    {"GET", "/c/{slug}/talents/new", CAP_C_MEMBER, 0, P_NEW, new_get, NULL},
    {"GET", "/c/{slug}/talents/mine", CAP_C_MEMBER, 0, P_MINE, mine_get, NULL},
    {"GET", "/c/{slug}/talents/tags", CAP_C_MEMBER, 0, P_TAGS, tags_get, NULL},
    {"GET", "/c/{slug}/talents/{id:int}", CAP_C_READ, 0, NULL, entry_get, NULL},
    {"GET", "/c/{slug}/talents/{id:int}/edit", CAP_C_MEMBER, 0, NULL, edit_get, NULL},
    {"POST", "/c/{slug}/talents/{id:int}/edit", CAP_C_MEMBER, 0, NULL, edit_post, FORM_ENTRY},
    {"GET", "/c/{slug}/talents/{id:int}/delete", CAP_C_MEMBER, 0, NULL, delete_get, NULL},
    {"POST", "/c/{slug}/talents/{id:int}/delete", CAP_C_MEMBER, 0, NULL, delete_post, NULL},
    {"POST", "/c/{slug}/talents/{id:int}/hide", CAP_C_ORGANIZE, 0, NULL, hide_post, FORM_HIDE},
    {0},
};

static const struct route_table talent_tables[] = {{SCOPE_COMMUNITY, talent_help_routes},
                                                   {SCOPE_COMMUNITY, talent_club_routes},
                                                   {SCOPE_COMMUNITY, talent_routes},
                                                   {0}};

/* The notices the talent bank writes (core/notify.h). */
static const struct notify_kind talent_notify_kinds[] = {
    {TALENT_NOTIFY_MATCH, "talent.notify.match", NOTIFY_INBOX, "/talents/{id}"},
    {TALENT_NOTIFY_REQUEST, "talent.notify.request", NOTIFY_INBOX, "/talents/requests"},
    {TALENT_NOTIFY_ANSWER, "talent.notify.request_answer", NOTIFY_INBOX, "/talents/requests"},
    {0},
};

const struct area talent_area = {
    .name = "talent",
    .routes = talent_tables,
    .panel_fill = talent_panel_fill,
    .panel_tmpl = "talent/panel",
    .panel_title = "talent.title",
    .nav_path = "/talents",
    .nav_label = "talent.title",
    .demo = demo_talent,
    .bench = benchdata_talent,
    .upgrade = talent_upgrade,
    .community_purge = talent_community_purge,
    .member_left = talent_member_left,
    .person_export = talent_person_export,
    .seal_texts = talent_seal_texts,
    .notify_kinds = talent_notify_kinds,
};
