/* Community pages: directory, create/edit, dashboard, join requests. Members
 * and invitations are in members.c. */
#include "areas/benchdata.h"
#include "areas/demo.h"
#include "areas/community/community.h"
#include "core/app.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"
#include "core/text.h"
#include "core/tmpl.h"

#include <stdlib.h>
#include <string.h>

static const char *const VIS_NAMES[] = {"public", "closed", "secret", NULL};

int community_load(struct req *r, const char *slug)
{
    json_t *row = community_find(req_db(r), slug, r->acct ? r->acct->id : 0);
    if (!row) return -1;
    const char *role = json_string_value(json_object_get(row, "role"));
    int vis = (int)json_integer_value(json_object_get(row, "visibility"));
    if (vis == VIS_SECRET && !role) {
        json_decref(row);
        return -1;
    }
    struct community_ctx *c = arena_alloc(r->arena, sizeof *c);
    c->id = json_integer_value(json_object_get(row, "id"));
    c->slug = arena_strdup(r->arena, json_string_value(json_object_get(row, "slug")));
    c->name = arena_strdup(r->arena, json_string_value(json_object_get(row, "name")));
    c->visibility = (enum visibility)vis;
    c->role = community_role_from_name(role);
    r->comm = c;
    json_decref(row);
    return 0;
}

/* ---- shared view pieces ---- */

json_t *community_labels(struct req *r, const char *const *keys, const char *prefix,
                         const char *selected_csv)
{
    json_t *a = json_array();
    for (int i = 0; keys[i]; i++) {
        char key[64];
        snprintf(key, sizeof key, "%s.%s", prefix, keys[i]);
        int sel = 0;
        if (selected_csv) {
            const char *p = strstr(selected_csv, keys[i]);
            size_t n = strlen(keys[i]);
            sel = p && (p == selected_csv || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0);
        }
        json_t *item =
            json_pack("{ss ss sb}", "key", keys[i], "label", tr(r, key), "selected", sel);
        const char *hk = arena_printf(r->arena, "%s.hint", key);
        const char *hint = tr(r, hk);
        if (hint != hk && strcmp(hint, hk) != 0)
            json_object_set_new(item, "hint", json_string(hint));
        json_array_append_new(a, item);
    }
    return a;
}

/* Labels for the prerequisites in a space-separated list. */
static json_t *prereq_tags(struct req *r, const char *csv)
{
    json_t *all = community_labels(r, community_prereqs, "prereq", csv);
    json_t *out = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(all, i, v) if (json_is_true(json_object_get(v, "selected")))
        json_array_append(out, v);
    json_decref(all);
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
    if (!role) return "";
    return tr(r, arena_printf(r->arena, "role.%s", role));
}

enum { SUMMARY_CHARS = 200 };

/* Decorates directory rows with labels; returns rows. */
static json_t *decorate_rows(struct req *r, json_t *rows)
{
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
        const char *pre = json_string_value(json_object_get(row, "prereqs"));
        json_object_set_new(row, "prereq_tags", prereq_tags(r, pre ? pre : ""));
        json_object_del(row, "prereqs");
        /* The card shows the description as read, not its Markdown: the
         * first words of the rendered text. The source is read up to 1500
         * bytes, far more than 200 characters of text need. */
        const char *md = json_string_value(json_object_get(row, "summary_md"));
        if (md) {
            json_object_set_new(row, "summary",
                                json_string(render_markdown_summary(r, md, SUMMARY_CHARS)));
            json_object_del(row, "summary_md");
        }
    }
    return rows;
}

/* The territory tree down to max_depth as options of a <select>: each
 * with an indent for its depth and selected when it is the chosen one. */
static json_t *territory_options(struct req *r, int max_depth, int64_t selected,
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
    json_t *rows = community_directory(req_db(r), r->acct ? r->acct->id : 0, prereq, territory, q,
                                       (page - 1) * DIRECTORY_PAGE, DIRECTORY_PAGE + 1);
    if (!rows) rows = json_array();
    int more = json_array_size(rows) > DIRECTORY_PAGE;
    if (more) json_array_remove(rows, DIRECTORY_PAGE);
    json_t *v = json_pack("{ss}", "title", tr(r, "home.title"));
    json_object_set_new(v, "communities", decorate_rows(r, rows));
    json_object_set_new(v, "page", json_integer(page));
    if (r->acct && page == 1 && !prereq && !territory && !q) {
        json_t *mine = community_list_mine(req_db(r), r->acct->id, 0, MINE_ON_HOME);
        if (mine) json_object_set_new(v, "mine", decorate_rows(r, mine));
        int64_t all = community_count_mine(req_db(r), r->acct->id);
        if (all > MINE_ON_HOME) json_object_set_new(v, "mine_all", json_integer(all));
    }
    const char *fq = filter_query(r, prereq, territory, q);
    render_pager(r, v, page, more, "/?page=", fq);
    json_object_set_new(v, "q", json_string(q ? q : ""));
    json_object_set_new(v, "prereqs", community_labels(r, community_prereqs, "prereq", prereq));
    /* The filter offers countries, regions and cities; choosing one takes
     * in everything inside it. */
    json_object_set_new(v, "territories", territory_options(r, 2, territory, 0));
    json_object_set_new(v, "filtered", json_boolean(prereq || territory || q));
    render_page(r, 200, "community/home", v);
}

/* ---- create and edit ---- */

/* Administrators and coordinators add countries, regions and cities;
 * everyone else adds places inside them. */
static int may_add_top(const struct req *r)
{
    return r->acct && (r->acct->is_admin || r->acct->is_coord);
}

static int kind_rank(const char *kind)
{
    int i = form_choice_index(territory_kinds, kind);
    return i < 0 ? 0 : i + 1;
}

/* The kind offered by default: the one right below the parent's (a country
 * at the top), or the highest this account may add when that one is not
 * theirs to add. */
static const char *default_kind(struct req *r, const char *parent_kind)
{
    int i = parent_kind ? kind_rank(parent_kind) : 0;
    if (!may_add_top(r) && i < TERRITORY_TOP_KINDS) i = TERRITORY_TOP_KINDS;
    return territory_kinds[i] ? territory_kinds[i] : NULL;
}

/* The kinds this account may add, the chosen one selected. */
static json_t *kind_options(struct req *r, const char *chosen)
{
    json_t *all = community_labels(r, territory_kinds, "territory", chosen ? chosen : "");
    if (!may_add_top(r))
        for (int i = 0; i < TERRITORY_TOP_KINDS; i++)
            json_array_remove(all, 0);
    return all;
}

/* community_id: the community being edited (0 while creating one), whose
 * private places are among the choices; kind: the new place's kind to
 * show selected (NULL: the default below the chosen territory). */
static json_t *form_view(struct req *r, const char *title, const char *selected_prereqs,
                         int64_t territory, const char *vis, int64_t community_id, const char *kind)
{
    json_t *v = json_pack("{ss}", "title", title);
    json_object_set_new(v, "prereqs",
                        community_labels(r, community_prereqs, "prereq", selected_prereqs));
    json_object_set_new(v, "visibilities", community_labels(r, VIS_NAMES, "visibility", vis));
    if (!kind || form_choice_index(territory_kinds, kind) < 0)
        kind = default_kind(r, territory ? territory_kind_of(req_db(r), territory, community_id)
                                         : NULL);
    json_object_set_new(v, "territory_kinds", kind_options(r, kind));
    json_object_set_new(v, "territories", territory_options(r, 10, territory, community_id));
    return v;
}

/* The checked prerequisites as a space-separated list, for re-rendering. */
static const char *checked_prereqs(struct req *r, const char **list, int n)
{
    struct buf b;
    buf_init(&b);
    for (int i = 0; i < n; i++) {
        buf_puts(&b, list[i]);
        buf_putc(&b, ' ');
    }
    const char *s = arena_strdup(r->arena, b.data ? b.data : "");
    buf_free(&b);
    return s;
}

/* The address left empty: the form comes back with one made from the name
 * in the field and a line saying so, to be kept or changed before the
 * community is created (an address cannot be changed afterwards, and a
 * page without JavaScript has no other moment to show it). */
static void suggest_slug(struct req *r, struct form *f, const char *name)
{
    char *s = community_slug_suggest(name);
    if (!slug_valid(s)) {
        form_error(f, "slug", "community.slug.none");
        free(s);
        return;
    }
    json_object_set_new(f->values, "slug", json_string(s));
    struct buf b;
    buf_init(&b);
    json_t *args = json_pack("{ss}", "slug", s);
    tmpl_subst(&b, tr(r, "community.slug.suggested"), args, 0);
    json_object_set_new(f->errors, "slug", json_string(b.data));
    json_object_set_new(f->values, "slug_suggested", json_true());
    json_decref(args);
    buf_free(&b);
    free(s);
}

/* Reads and checks the community form. On success fills c and returns 0. */
static int read_community_form(struct req *r, struct form *f, struct community_new *c,
                               int64_t community_id, const char **prereq_store)
{
    memset(c, 0, sizeof *c);
    c->name = form_text(f, "name", 1, COMMUNITY_NAME_MAX);
    if (!community_id) {
        c->slug = form_text(f, "slug", 0, 64);
        if (c->slug && !slug_valid(c->slug)) form_error(f, "slug", "error.slug");
        if (!c->slug && c->name) suggest_slug(r, f, c->name);
    }
    int vis = form_choice(f, "visibility", VIS_NAMES, 1, 0);
    c->visibility = vis < 0 ? VIS_PUBLIC : (enum visibility)vis;
    c->description = form_text(f, "description", 0, COMMUNITY_DESC_MAX);
    int n = req_param_all(r, "prereq", prereq_store, 16);
    for (int i = 0; i < n; i++)
        if (form_choice_index(community_prereqs, prereq_store[i]) < 0)
            form_error(f, "prereq", "error.bad_choice");
    c->prereqs = prereq_store;
    c->nprereqs = n;
    json_object_set_new(f->values, "prereq", json_string(checked_prereqs(r, prereq_store, n)));
    int64_t tid = 0;
    form_int(f, "territory_id", 0, 0, INT64_MAX, 0, &tid);
    const char *parent_kind = NULL;
    if (tid) {
        /* Another community's private place is as unknown as no place. */
        parent_kind = territory_kind_of(req_db(r), tid, community_id);
        if (!parent_kind) form_error(f, "territory_id", "error.bad_choice");
    }
    c->territory_id = tid;
    const char *newt = form_text(f, "new_territory", 0, TERRITORY_NAME_MAX);
    if (newt) {
        int k = form_choice(f, "new_territory_kind", territory_kinds, 1, 0);
        if (k >= 0 && k < TERRITORY_TOP_KINDS && !may_add_top(r))
            form_error(f, "new_territory_kind", "territory.error.top");
        else if (k > 0 && !tid)
            form_error(f, "new_territory_kind", "territory.error.parent_needed");
        else if (k >= 0 && parent_kind && k + 1 <= kind_rank(parent_kind))
            form_error(f, "new_territory_kind", "territory.error.below");
    }
    return form_ok(f) ? 0 : -1;
}

/* Creates the new place the form asked for under the chosen one, private
 * to the community when it is secret: 0 (c->territory_id is then the new
 * place), -3 when the tree's rules refuse it, -1 on error. */
static int add_new_territory(struct req *r, struct dbc *w, struct community_new *c,
                             int64_t community_id)
{
    const char *name = req_param(r, "new_territory");
    if (str_empty(name)) return 0;
    struct territory_new t = {
        .parent_id = c->territory_id,
        .kind = req_param(r, "new_territory_kind"),
        .name = str_trim(arena_strdup(r->arena, name)),
        .owner = c->visibility == VIS_SECRET ? community_id : 0,
        .community_id = community_id,
        .may_add_top = may_add_top(r),
    };
    int64_t id = territory_add(w, &t);
    if (id < 0) return (int)id;
    c->territory_id = id;
    return 0;
}

static void new_get(struct req *r)
{
    json_t *v = form_view(r, tr(r, "community.new.title"), "", 0, "public", 0, NULL);
    json_object_set_new(v, "form", json_pack("{ss}", "visibility", "public"));
    render_page(r, 200, "community/new", v);
}

/* The form again with the user's input and its errors (422). */
static void form_again(struct req *r, struct form *f, const char *title_key, const char *tmpl,
                       int64_t community_id)
{
    int64_t tid = 0;
    str_to_i64(req_param(r, "territory_id"), &tid);
    json_t *v =
        form_view(r, tr(r, title_key), json_string_value(json_object_get(f->values, "prereq")), tid,
                  req_param(r, "visibility"), community_id, req_param(r, "new_territory_kind"));
    if (community_id) json_object_set_new(v, "slug", json_string(r->comm->slug));
    render_invalid(r, tmpl, v, f);
}

/* A free address for the community: the one asked for, or when any
 * community holds it (one the creator sees or a secret one they cannot),
 * the first free one with a number after it. The answer is the same
 * whoever holds the address, so creating a community tells nothing about
 * secret ones (docs/threat-model.md). Needs the write transaction. */
static const char *free_slug(struct req *r, struct dbc *w, const char *slug)
{
    int taken = community_slug_taken(w, slug);
    if (taken <= 0) return taken < 0 ? NULL : slug;
    for (int n = 2; n < 1000; n++) {
        const char *s = arena_printf(r->arena, "%.*s-%d", 59, slug, n);
        taken = community_slug_taken(w, s);
        if (taken < 0) return NULL;
        if (!taken && slug_valid(s)) return s;
    }
    return NULL;
}

static void create_post(struct req *r)
{
    struct form f;
    form_init(&f, r);
    struct community_new c;
    const char *pre[16];
    if (read_community_form(r, &f, &c, 0, pre) != 0) {
        form_again(r, &f, "community.new.title", "community/new", 0);
        return;
    }
    const char *asked = c.slug;
    struct dbc *w = req_write_begin(r);
    int64_t id = -1;
    int tr_rc = 0;
    c.slug = w ? free_slug(r, w, asked) : NULL;
    if (c.slug) {
        /* The community first: a place added for a secret one is its own. */
        int64_t parent = c.territory_id;
        id = community_create(w, &c, r->acct->id);
        if (id > 0) tr_rc = add_new_territory(r, w, &c, id);
        if (id > 0 && tr_rc == 0 && c.territory_id != parent &&
            community_set_territory(w, id, c.territory_id) != 0)
            tr_rc = -1;
    }
    int ok = id > 0 && tr_rc == 0;
    if (!w || req_write_end(r, ok) != 0 || id < 0 || tr_rc == -1) {
        form_release(&f);
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    if (tr_rc == -3) { /* the tree's rules, checked again by the write itself */
        form_error(&f, "new_territory_kind", "territory.error.below");
        form_again(r, &f, "community.new.title", "community/new", 0);
        return;
    }
    form_release(&f);
    render_redirect(r, arena_printf(r->arena, "/c/%s", c.slug),
                    str_eq(c.slug, asked) ? "flash.community_created"
                                          : "flash.community_created_other_slug");
}

/* Deleting a community: a page that says what goes, and the community's
 * address typed again so that it is not done by a slip. */
static json_t *delete_view(struct req *r)
{
    return json_pack("{ss ss ss sI}", "title", tr(r, "community.delete.title"), "slug",
                     r->comm->slug, "community", r->comm->name, "members",
                     (json_int_t)community_member_count(req_db(r), r->comm->id));
}

static void delete_get(struct req *r)
{
    render_page(r, 200, "community/delete", delete_view(r));
}

static void delete_post(struct req *r)
{
    struct form f;
    form_init(&f, r);
    const char *typed = form_text(&f, "confirm", 1, 200);
    if (typed && !str_eq(typed, r->comm->slug))
        form_error(&f, "confirm", "community.delete.mismatch");
    if (!form_ok(&f)) {
        render_invalid(r, "community/delete", delete_view(r), &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    int rc = w ? community_delete_everywhere(r, w, r->comm->id) : -1;
    if (!w || req_write_end(r, rc == 0) != 0) rc = rc == 0 ? -1 : rc;
    if (rc == -2) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    if (rc != 0) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    /* the deleted rows' old page images must not stay in the WAL */
    db_wal_truncate(r->app->db);
    render_redirect(r, "/", "community.flash.deleted");
}

static void edit_get(struct req *r)
{
    json_t *row = community_find(req_db(r), r->comm->slug, 0);
    char *pre = community_prereq_list(req_db(r), r->comm->id);
    int64_t tid = json_integer_value(json_object_get(row, "territory_id"));
    int vis = (int)json_integer_value(json_object_get(row, "visibility"));
    json_t *v =
        form_view(r, tr(r, "community.edit.title"), pre, tid, VIS_NAMES[vis], r->comm->id, NULL);
    free(pre);
    json_object_set_new(v, "form",
                        json_pack("{sO sO ss}", "name", json_object_get(row, "name"), "description",
                                  json_object_get(row, "description"), "visibility",
                                  VIS_NAMES[vis]));
    json_object_set_new(v, "slug", json_string(r->comm->slug));
    json_decref(row);
    render_page(r, 200, "community/edit", v);
}

static void edit_post(struct req *r)
{
    struct form f;
    form_init(&f, r);
    struct community_new c;
    const char *pre[16];
    if (read_community_form(r, &f, &c, r->comm->id, pre) != 0) {
        form_again(r, &f, "community.edit.title", "community/edit", r->comm->id);
        return;
    }
    struct dbc *w = req_write_begin(r);
    int rc = -1;
    if (w && (!c.territory_id || territory_usable(w, c.territory_id, r->comm->id))) {
        rc = add_new_territory(r, w, &c, r->comm->id);
        if (rc == 0) rc = community_update(w, r->comm->id, &c);
    }
    if (!w || req_write_end(r, rc == 0) != 0 || rc == -1) {
        form_release(&f);
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    if (rc == -3) {
        form_error(&f, "new_territory_kind", "territory.error.below");
        form_again(r, &f, "community.edit.title", "community/edit", r->comm->id);
        return;
    }
    form_release(&f);
    render_redirect(r, arena_printf(r->arena, "/c/%s", r->comm->slug), "flash.saved");
}

/* ---- the dashboard ---- */

static json_t *community_card(struct req *r, json_t *row)
{
    int vis = (int)json_integer_value(json_object_get(row, "visibility"));
    const char *desc = json_string_value(json_object_get(row, "description"));
    json_t *c = json_pack("{ss ss ss si ss sb sb}", "slug", r->comm->slug, "name", r->comm->name,
                          "description_html", render_markdown(r, desc), "visibility", vis,
                          "visibility_label", vis_label(r, vis), "is_closed", vis == VIS_CLOSED,
                          "is_secret", vis == VIS_SECRET);
    return c;
}

static void dashboard(struct req *r)
{
    json_t *row = community_find(req_db(r), r->comm->slug, 0);
    if (!row) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    json_t *v = json_pack("{ss}", "title", r->comm->name);
    json_object_set_new(v, "community", community_card(r, row));
    int member = r->comm->role != ROLE_NONE;
    json_object_set_new(v, "is_member", json_boolean(member));
    json_object_set_new(v, "signed_in", json_boolean(r->acct != NULL));
    if (!member && r->comm->visibility != VIS_PUBLIC) {
        /* A closed community shows a stranger its name and description. */
        if (r->acct)
            json_object_set_new(
                v, "join_pending",
                json_boolean(join_request_pending(req_db(r), r->comm->id, r->acct->id)));
        json_object_set_new(v, "can_request", json_true());
        json_decref(row);
        render_page(r, 200, "community/closed", v);
        return;
    }
    json_t *card = json_object_get(v, "community");
    int64_t tid = json_integer_value(json_object_get(row, "territory_id"));
    if (tid) {
        json_t *path = territory_path(req_db(r), tid);
        if (path) json_object_set_new(card, "territory", path);
    }
    char *pre = community_prereq_list(req_db(r), r->comm->id);
    json_object_set_new(card, "prereq_tags", prereq_tags(r, pre));
    free(pre);
    json_object_set_new(card, "members",
                        json_integer(community_member_count(req_db(r), r->comm->id)));
    if (member) {
        const char *role = community_role_names[r->comm->role];
        json_object_set_new(v, "my_role", json_string(role));
        json_object_set_new(v, "my_role_label", json_string(role_label(r, role)));
    } else if (r->acct) {
        json_object_set_new(
            v, "join_pending",
            json_boolean(join_request_pending(req_db(r), r->comm->id, r->acct->id)));
        json_object_set_new(v, "can_request", json_true());
    }
    json_object_set_new(v, "is_organizer", json_boolean(r->comm->role == ROLE_ORGANIZER));
    if (r->comm->role == ROLE_ORGANIZER) {
        json_t *reqs = join_request_list(req_db(r), r->comm->id);
        json_object_set_new(v, "pending_requests", json_integer((json_int_t)json_array_size(reqs)));
        json_decref(reqs);
    }
    community_area_sections(r, v);
    json_decref(row);
    render_page(r, 200, "community/dashboard", v);
}

/* ---- join requests ---- */

static void join_get(struct req *r)
{
    if (r->comm->role != ROLE_NONE) {
        render_redirect(r, arena_printf(r->arena, "/c/%s", r->comm->slug), NULL);
        return;
    }
    json_t *v = json_pack("{ss ss ss}", "title", tr(r, "join.title"), "slug", r->comm->slug, "name",
                          r->comm->name);
    json_object_set_new(v, "pending",
                        json_boolean(join_request_pending(req_db(r), r->comm->id, r->acct->id)));
    render_page(r, 200, "community/join", v);
}

static void join_post(struct req *r)
{
    const char *back = arena_printf(r->arena, "/c/%s", r->comm->slug);
    if (r->comm->role != ROLE_NONE) {
        render_redirect(r, back, NULL);
        return;
    }
    struct form f;
    form_init(&f, r);
    const char *msg = form_text(&f, "message", 0, 1000);
    if (!form_ok(&f)) {
        json_t *v = json_pack("{ss ss ss}", "title", tr(r, "join.title"), "slug", r->comm->slug,
                              "name", r->comm->name);
        render_invalid(r, "community/join", v, &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    int64_t id = w ? join_request_create(w, r->comm->id, r->acct->id, msg) : -1;
    if (!w || req_write_end(r, id > 0) != 0 || id == -1) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    /* -2: a request is already waiting; saying "sent" again is the truth. */
    render_redirect(r, back, "flash.join_requested");
}

static void requests_get(struct req *r)
{
    json_t *v = json_pack("{ss ss ss}", "title", tr(r, "requests.title"), "slug", r->comm->slug,
                          "name", r->comm->name);
    json_object_set_new(v, "requests", join_request_list(req_db(r), r->comm->id));
    render_page(r, 200, "community/requests", v);
}

static void request_decide(struct req *r, int approve)
{
    int64_t id;
    if (str_to_i64(req_path(r, "id"), &id) != 0) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    struct dbc *w = req_write_begin(r);
    int rc = w ? join_request_decide(w, r->comm->id, id, approve) : -1;
    if (!w || req_write_end(r, rc == 0) != 0 || rc != 0) {
        render_error(r, 404, "not_found", "requests.gone");
        return;
    }
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
static const char *const P_COMMUNITY[] = {
    "name",         "slug",          "visibility",         "description", "prereq",
    "territory_id", "new_territory", "new_territory_kind", NULL};
static const char *const P_JOIN[] = {"message", NULL};

static const char *const P_DELETE[] = {"confirm", NULL};

/* The directory and creation are the instance's; the rest is a
 * community's own. */
static const struct route community_instance_routes[] = {
    {"GET", "/", CAP_ANY, 0, P_HOME, home, NULL},
    {"GET", "/c/new", CAP_USER, 0, NULL, new_get, NULL},
    {"POST", "/c", CAP_USER, 0, P_COMMUNITY, create_post, NULL},
    {0},
};

static const struct route community_routes[] = {
    {"GET", "/c/{slug}", CAP_C_SEE, 0, NULL, dashboard, NULL},
    {"GET", "/c/{slug}/edit", CAP_C_ORGANIZE, 0, NULL, edit_get, NULL},
    {"GET", "/c/{slug}/delete", CAP_C_ORGANIZE, 0, NULL, delete_get, NULL},
    {"POST", "/c/{slug}/delete", CAP_C_ORGANIZE, 0, P_DELETE, delete_post, NULL},
    {"POST", "/c/{slug}/edit", CAP_C_ORGANIZE, 0, P_COMMUNITY, edit_post, NULL},
    {"GET", "/c/{slug}/join", CAP_C_VISITOR, 0, NULL, join_get, NULL},
    {"POST", "/c/{slug}/join", CAP_C_VISITOR, 0, P_JOIN, join_post, NULL},
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
    {SCOPE_INSTANCE, community_invite_routes},
    {0},
};

const struct area community_area = {
    .name = "community",
    .routes = community_tables,
    .owns = SCOPE_COMMUNITY,
    .scope = &community_scope,
    .demo = demo_platform,
    .bench = benchdata_platform,
};
