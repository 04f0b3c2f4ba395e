/* Creating, editing and deleting a community, and the places of the
 * territory tree its form may add. */
#include "areas/community/community.h"
#include "areas/community/second_factor.h"
#include "core/app.h"
#include "core/keyring.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"
#include "core/text.h"
#include "core/tmpl.h"

#include <stdlib.h>
#include <string.h>

static const char *const VIS_NAMES[] = {"public", "closed", "secret", NULL};

/* The community's form; the prerequisites are a checkbox group (repeated
 * "prereq" fields), read beside it. The address is given only once, when
 * the community is made. */
#define COMMUNITY_FIELDS                                                                           \
    {"name", F_TEXT, 1, 0, COMMUNITY_NAME_MAX, NULL, NULL},                                        \
        {"visibility", F_CHOICE, 1, 0, 0, VIS_NAMES, "visibility"},                                \
        {"description", F_TEXT, 0, 0, COMMUNITY_DESC_MAX, NULL, NULL},                             \
        {"territory_id", F_INT, 0, 0, INT64_MAX, NULL, NULL},                                      \
        {"new_territory", F_TEXT, 0, 0, TERRITORY_NAME_MAX, NULL, NULL},                           \
    {                                                                                              \
        "new_territory_kind", F_CHOICE, 0, 0, 0, territory_kinds, "territory"                      \
    }

const struct field FORM_COMMUNITY_NEW[] = {
    COMMUNITY_FIELDS,
    {"slug", F_TEXT, 0, 0, 64, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field FORM_COMMUNITY_EDIT[] = {
    COMMUNITY_FIELDS,
    /* "organizers must use a second factor": a settings field, so only
     * organizers change it (secret communities start with it on) */
    {"organizers_second_factor", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field FORM_COMMUNITY_DELETE[] = {
    {"confirm", F_TEXT, 1, 0, 200, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* Administrators and coordinators add countries, regions and cities;
 * everyone else adds places inside them. */
static int may_add_top(struct req *r)
{
    return req_has(r, CAP_COORD);
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
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(title));
    json_object_set_new(v, "prereqs",
                        community_labels(r, community_prereqs, "prereq", selected_prereqs));
    json_object_set_new(v, "visibilities", community_labels(r, VIS_NAMES, "visibility", vis));
    if (!kind || form_choice_index(territory_kinds, kind) < 0)
        kind = default_kind(r, territory ? territory_kind_of(req_db(r), territory, community_id)
                                         : NULL);
    json_object_set_new(v, "territory_kinds", kind_options(r, kind));
    json_object_set_new(v, "territories",
                        community_territory_options(r, 10, territory, community_id));
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
    json_t *args = req_own(r, json_pack("{ss}", "slug", s));
    tmpl_subst(&b, tr(r, "community.slug.suggested"), args, 0);
    json_object_set_new(f->errors, "slug", json_string(b.data));
    json_object_set_new(f->values, "slug_suggested", json_true());
    buf_free(&b);
    free(s);
}

/* Reads and checks the community form (fields: the new or the edit
 * form). On success fills c and returns 0. */
static int read_community_form(struct req *r, struct form *f, const struct field *fields,
                               struct community_new *c, int64_t community_id,
                               const char **prereq_store)
{
    memset(c, 0, sizeof *c);
    form_read(f, r, fields);
    c->name = form_str(f, "name");
    if (!community_id) {
        c->slug = form_str(f, "slug");
        if (c->slug && !slug_valid(c->slug)) form_error(f, "slug", "error.slug");
        if (!c->slug && c->name) suggest_slug(r, f, c->name);
    }
    int vis = (int)form_num(f, "visibility", 0);
    c->visibility = vis < 0 ? VIS_PUBLIC : (enum visibility)vis;
    c->description = form_str(f, "description");
    int n = req_param_all(r, "prereq", prereq_store, 16);
    for (int i = 0; i < n; i++)
        if (form_choice_index(community_prereqs, prereq_store[i]) < 0)
            form_error(f, "prereq", "error.bad_choice");
    c->prereqs = prereq_store;
    c->nprereqs = n;
    json_object_set_new(f->values, "prereq", json_string(checked_prereqs(r, prereq_store, n)));
    int64_t tid = form_num(f, "territory_id", 0);
    const char *parent_kind = NULL;
    if (tid) {
        /* Another community's private place is as unknown as no place. */
        parent_kind = territory_kind_of(req_db(r), tid, community_id);
        if (!parent_kind) form_error(f, "territory_id", "error.bad_choice");
    }
    c->territory_id = tid;
    if (form_str(f, "new_territory")) {
        int k =
            form_given(f, "new_territory_kind") ? (int)form_num(f, "new_territory_kind", -1) : -1;
        if (!form_given(f, "new_territory_kind"))
            form_error(f, "new_territory_kind", "error.required");
        else if (k >= 0 && k < TERRITORY_TOP_KINDS && !may_add_top(r))
            form_error(f, "new_territory_kind", "territory.error.top");
        else if (k > 0 && !tid)
            form_error(f, "new_territory_kind", "territory.error.parent_needed");
        else if (k >= 0 && parent_kind && k + 1 <= kind_rank(parent_kind))
            form_error(f, "new_territory_kind", "territory.error.below");
    }
    return form_ok(f) ? 0 : -1;
}

/* Adds the new place the form asked for under the chosen one, private to
 * the community when it is secret, and makes it the community's
 * territory. The tree's rules are checked again by the INSERT itself. */
static enum wr add_new_territory(struct req *r, struct dbc *w, const struct form *f,
                                 struct community_new *c, int64_t community_id)
{
    const char *name = form_str(f, "new_territory");
    if (!name) return WR_OK;
    struct territory_new t = {
        .parent_id = c->territory_id,
        .kind = form_str(f, "new_territory_kind"),
        .name = name,
        .owner = c->visibility == VIS_SECRET ? community_id : 0,
        .community_id = community_id,
        .may_add_top = may_add_top(r),
    };
    return territory_place(w, &t, &c->territory_id);
}

void community_new_get(struct req *r)
{
    json_t *v = form_view(r, tr(r, "community.new.title"), "", 0, "public", 0, NULL);
    json_object_set_new(v, "form", json_pack("{ss}", "visibility", "public"));
    render_page(r, 200, "community/new", v);
}

/* The form again with the user's input and its errors (422). */
static void form_again(struct req *r, struct form *f, const char *title_key, const char *tmpl,
                       int64_t community_id)
{
    json_t *v =
        form_view(r, tr(r, title_key), json_string_value(json_object_get(f->values, "prereq")),
                  form_num(f, "territory_id", 0), req_param(r, "visibility"), community_id,
                  req_param(r, "new_territory_kind"));
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

/* The community, its organizer and the place its form added, in one
 * write: c->slug becomes the address it got. */
static enum wr create_write(struct req *r, struct dbc *w, const struct form *f,
                            struct community_new *c)
{
    const char *slug = free_slug(r, w, c->slug);
    if (!slug) return wr_fail(w, WR_CONFLICT, "community.slug.taken");
    c->slug = slug;
    /* A place added for a secret community is its own: community_add adds
     * it before sealing the community, with its other texts. */
    int64_t id = 0;
    struct territory_new place = {.parent_id = c->territory_id,
                                  .kind = form_str(f, "new_territory_kind"),
                                  .name = form_str(f, "new_territory"),
                                  .may_add_top = may_add_top(r)};
    if (place.name) c->place = &place;
    enum wr rc = community_add(w, c, r->acct->id, seal_viewer_secret(r), &id);
    c->place = NULL;
    /* A secret community's organizers hold a list that can put people in
     * prison: they start with the second-factor rule on. */
    if (rc == WR_OK && c->visibility == VIS_SECRET) rc = community_set_second_factor_rule(w, id, 1);
    return rc;
}

void community_create_post(struct req *r)
{
    struct form f;
    struct community_new c;
    const char *pre[16];
    if (read_community_form(r, &f, FORM_COMMUNITY_NEW, &c, 0, pre) != 0) {
        form_again(r, &f, "community.new.title", "community/new", 0);
        return;
    }
    const char *asked = c.slug;
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? create_write(r, w, &f, &c) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, "community.slug.taken") != 0) return;
    render_redirect(r, arena_printf(r->arena, "/c/%s", c.slug),
                    c.slug == c.address     ? "flash.community_created_secret"
                    : str_eq(c.slug, asked) ? "flash.community_created"
                                            : "flash.community_created_other_slug");
}

/* Deleting a community: the core's confirmation page, saying what goes,
 * with the community's address typed again so that it is not done by a
 * slip. invalid: the form whose address did not match (422). */
static void delete_confirm(struct req *r, struct form *invalid)
{
    const char *loss =
        tr_n(r, "community.delete.loss", "members", community_member_count(req_db(r), r->comm->id));
    /* A secret community with several organizers burns on two words. */
    if (r->comm->visibility == VIS_SECRET &&
        community_organizer_count(req_db(r), r->comm->id) > 1) {
        int pending = community_burn_pending(req_db(r), r->comm->id, r->comm->member_id);
        loss = arena_printf(r->arena, "%s %s", loss,
                            tr(r, pending == 2   ? "community.burn.confirm_other"
                                  : pending == 1 ? "community.burn.waiting"
                                                 : "community.burn.two"));
    }
    render_confirm(
        r, &(struct confirm){
               .title = tr(r, "community.delete.title"),
               .what = r->comm->name,
               .loss = arena_printf(r->arena, "%s %s", loss, tr(r, "community.delete.final")),
               .back = arena_printf(r->arena, "/c/%s/edit", r->comm->slug),
               .back_label = r->comm->name,
               .button = tr(r, "community.delete.yes"),
               .phrase = r->comm->slug,
               .phrase_label = tr(r, "community.delete.confirm"),
               .invalid = invalid,
           });
}

void community_delete_get(struct req *r)
{
    delete_confirm(r, NULL);
}

void community_delete_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_COMMUNITY_DELETE);
    const char *typed = form_str(&f, "confirm");
    if (typed && !str_eq(typed, r->comm->slug))
        form_error(&f, "confirm", "community.delete.mismatch");
    if (!form_ok(&f)) {
        delete_confirm(r, &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    int wait = 0;
    enum wr rc = !w ? WR_BUSY
                 : r->comm->visibility == VIS_SECRET
                     ? community_burn_ask(w, r->comm->id, r->comm->member_id, &wait)
                     : WR_OK;
    if (wait) {
        rc = community_audit(r, w, rc, "burn_asked", "");
        if (req_commit(r, rc, NULL) == 0)
            render_redirect(r, arena_printf(r->arena, "/c/%s", r->comm->slug),
                            "community.flash.burn_waiting");
        return;
    }
    if (rc == WR_OK) rc = community_delete_everywhere(r, w, r->comm->id);
    if (req_commit(r, rc, NULL) != 0) return;
    /* the deleted rows' old page images must not stay in the WAL */
    db_wal_truncate(r->app->db);
    render_redirect(r, "/", "community.flash.deleted");
}

void community_edit_get(struct req *r)
{
    struct community_row row;
    if (community_read(req_db(r), r->arena, r->comm->slug, 0, &row) != 0) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    const char *pre = community_prereq_list(req_db(r), r->arena, r->comm->id);
    const char *vis = VIS_NAMES[row.visibility];
    json_t *v =
        form_view(r, tr(r, "community.edit.title"), pre, row.territory_id, vis, r->comm->id, NULL);
    json_t *stored = req_own(r, json_pack("{ss ss ss sI sb}", "name", row.name, "description",
                                          row.description, "visibility", vis, "territory_id",
                                          (json_int_t)row.territory_id, "organizers_second_factor",
                                          community_second_factor_rule(req_db(r), r->comm->id)));
    struct form f;
    form_fill(&f, r, FORM_COMMUNITY_EDIT, stored);
    json_object_set_new(v, "slug", json_string(r->comm->slug));
    json_object_set_new(v, "can_renew_address",
                        json_boolean(r->comm->visibility == VIS_SECRET && r->comm->sealed));
    form_to_view(&f, v);
    form_release(&f);
    render_page(r, 200, "community/edit", v);
}

static enum wr edit_write(struct req *r, struct dbc *w, const struct form *f,
                          struct community_new *c)
{
    /* The chosen place may have been made private to another community
     * (or removed) since the form was read. */
    if (c->territory_id && !territory_usable(w, c->territory_id, r->comm->id))
        return wr_fail(w, WR_INVALID, "territory.error.below");
    int64_t before = db_total_changes(w);
    enum wr rc = add_new_territory(r, w, f, c, r->comm->id);
    int rule_was = community_second_factor_rule(w, r->comm->id);
    int rule = form_num(f, "organizers_second_factor", 0) != 0;
    if (rc == WR_OK) rc = community_update(w, r->comm->id, c);
    /* Only a change is logged: the form saved as it was leaves no trace. */
    if (db_total_changes(w) != before) rc = community_audit(r, w, rc, "settings", "");
    if (rc == WR_OK && rule != rule_was)
        rc = community_set_second_factor_rule(w, r->comm->id, rule);
    if (rule != rule_was)
        rc = community_audit(r, w, rc, rule ? "second_factor_on" : "second_factor_off", "");
    /* Secret now (or still): the organizer's own membership is sealed at
     * once, with this session's key; the others' wait for their sign-in. */
    const unsigned char *sk = seal_viewer_secret(r);
    if (rc == WR_OK && c->visibility == VIS_SECRET && sk)
        rc = community_seal_now(w, r->comm->id, r->acct->id, sk) == 0 ? WR_OK : wr_from_error(w);
    return rc;
}

void community_edit_post(struct req *r)
{
    struct form f;
    struct community_new c;
    const char *pre[16];
    if (read_community_form(r, &f, FORM_COMMUNITY_EDIT, &c, r->comm->id, pre) != 0) {
        form_again(r, &f, "community.edit.title", "community/edit", r->comm->id);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? edit_write(r, w, &f, &c) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) != 0) return;
    render_redirect(r, arena_printf(r->arena, "/c/%s", r->comm->slug), "flash.saved");
}
