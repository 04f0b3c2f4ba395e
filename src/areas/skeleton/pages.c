/* The skeleton area's pages, routes and struct area; see skeleton.h.
 *
 * What every area does the same way:
 * - a form is one struct field array: the route accepts its fields, the
 *   POST validates them (422 with the input kept), the edit page fills it
 *   from the stored object;
 * - a write returns enum wr, and req_commit answers anything but success;
 * - a view names its fields (struct vfield) with who may see each;
 * - who may do what is a capability, asked with req_has();
 * - views come from req_view() and go with the request. */
#include "areas/skeleton/skeleton.h"
#include "core/form.h"
#include "core/render.h"

enum { NOTE_TITLE_MAX = 200, NOTE_BODY_MAX = 4000 };

static const struct field FORM_NOTE[] = {
    {"title", F_TEXT, 1, 0, NOTE_TITLE_MAX, NULL, NULL},
    {"body", F_TEXT, 0, 0, NOTE_BODY_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* What the list carries: the author's name is for members only (a public
 * community's notes can be read by anyone). */
static const struct vfield NOTE_FIELDS[] = {
    {"id", CAP_ANY},          {"title", CAP_ANY},     {"body", CAP_ANY}, {"author", CAP_C_MEMBER},
    {"former", CAP_C_MEMBER}, {"mine", CAP_C_MEMBER}, {NULL, 0},
};

static const char *notes_url(struct req *r)
{
    return arena_printf(r->arena, "/c/%s/notes", r->comm->slug);
}

static void list_page(struct req *r, int status, struct form *f)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "skeleton.title")));
    json_object_set_new(v, "slug", json_string(r->comm->slug));
    json_object_set_new(v, "can_write", json_boolean(req_has(r, CAP_C_MEMBER)));
    json_object_set_new(v, "is_staff", json_boolean(req_has(r, CAP_C_STAFF)));
    struct vmask m = view_mask(r, NOTE_FIELDS);
    json_t *notes = note_list(req_db(r), &m, r->comm->id, r->comm->member_id);
    json_object_set_new(v, "notes", notes ? notes : json_array());
    if (f && status == 422) {
        render_invalid(r, "skeleton/list", v, f);
        return;
    }
    render_page(r, status, "skeleton/list", v);
}

static void notes_get(struct req *r)
{
    list_page(r, 200, NULL);
}

static void notes_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, FORM_NOTE)) {
        list_page(r, 422, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? note_add(w, r->comm->id, r->comm->member_id, form_str(&f, "title"),
                              form_str(&f, "body"))
                   : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, notes_url(r), "flash.saved");
}

static void edit_page(struct req *r, int status, struct form *f)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "skeleton.edit")));
    json_object_set_new(v, "slug", json_string(r->comm->slug));
    json_object_set_new(v, "id", json_integer(req_path_int(r, "id")));
    render_form(r, status, "skeleton/edit", v, f);
}

static void note_edit_get(struct req *r)
{
    struct note n;
    if (note_find(req_db(r), r->arena, r->comm->id, req_path_int(r, "id"), &n) != 0) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    json_t *stored = req_own(r, json_pack("{ss ss}", "title", n.title, "body", n.body));
    struct form f;
    form_fill(&f, r, FORM_NOTE, stored);
    edit_page(r, 200, &f);
}

static void note_edit_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, FORM_NOTE)) {
        edit_page(r, 422, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? note_update(w, r->comm->id, req_path_int(r, "id"), r->comm->member_id,
                        req_has(r, CAP_C_STAFF), form_str(&f, "title"), form_str(&f, "body"))
          : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, notes_url(r), "flash.saved");
}

static void note_delete_get(struct req *r)
{
    struct note n;
    if (note_find(req_db(r), r->arena, r->comm->id, req_path_int(r, "id"), &n) != 0) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    struct confirm c = {.title = tr(r, "skeleton.delete"),
                        .what = n.title,
                        .loss = tr(r, "skeleton.delete.loss"),
                        .back = notes_url(r),
                        .back_label = tr(r, "skeleton.title"),
                        .button = NULL,
                        .final = 1};
    render_confirm(r, &c);
}

static void note_delete_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? note_delete(w, r->comm->id, req_path_int(r, "id"), r->comm->member_id,
                                 req_has(r, CAP_C_STAFF))
                   : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, notes_url(r), "flash.skeleton_deleted");
}

static const struct route skeleton_routes[] = {
    {"GET", "/c/{slug}/notes", CAP_C_READ, 0, NULL, notes_get, NULL},
    {"POST", "/c/{slug}/notes", CAP_C_MEMBER, 0, NULL, notes_post, FORM_NOTE},
    {"GET", "/c/{slug}/notes/{id:int}/edit", CAP_C_MEMBER, 0, NULL, note_edit_get, NULL},
    {"POST", "/c/{slug}/notes/{id:int}/edit", CAP_C_MEMBER, 0, NULL, note_edit_post, FORM_NOTE},
    {"GET", "/c/{slug}/notes/{id:int}/delete", CAP_C_MEMBER, 0, NULL, note_delete_get, NULL},
    {"POST", "/c/{slug}/notes/{id:int}/delete", CAP_C_MEMBER, 0, NULL, note_delete_post, NULL},
    {0},
};

static const struct route_table skeleton_tables[] = {{SCOPE_COMMUNITY, skeleton_routes}, {0}};

const struct area skeleton_area = {
    .name = "skeleton",
    .routes = skeleton_tables,
    .nav_path = "/notes",
    .nav_label = "skeleton.title",
    .person_export = note_person_export,
    .seal_texts = note_seal_texts,
};
