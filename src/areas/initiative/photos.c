/* Photos of the implementation's reports: the upload (a multipart form,
 * the route's R_UPLOAD), the photo itself, its removal.
 *
 * What reaches the database is never the uploaded file: core/image.c
 * decodes it to pixels and writes a new JPEG without any metadata, so the
 * place, the time and the phone a resident took it with are gone before
 * anything is stored. A photo is served as its initiative is read (the
 * route's CAP_C_READ: members only in a closed or secret community), with
 * no-store, so no shared cache keeps a copy. */
#include "areas/community/community.h"
#include "areas/initiative/internal.h"
#include "core/app.h"
#include "core/form.h"
#include "core/image.h"
#include "core/render.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

static const struct field FORM_PHOTO[] = {
    {"photo_report", F_INT, 1, 1, INT64_MAX, NULL, NULL},
    {"photo_caption", F_TEXT, 0, 0, INITIATIVE_CAPTION_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static const struct vfield PHOTO_FIELDS[] = {
    {"id", CAP_ANY},    {"report", CAP_ANY}, {"caption", CAP_ANY},
    {"width", CAP_ANY}, {"height", CAP_ANY}, {NULL, 0},
};

void ini_photos_attach(struct req *r, json_t *v, json_t *reports, int64_t id, int may_add)
{
    struct vmask m = view_mask(r, PHOTO_FIELDS);
    json_t *photos = req_own(r, initiative_photo_rows(req_db(r), &m, r->comm->id, id));
    size_t i, j;
    json_t *rep, *ph;
    json_array_foreach(reports, i, rep)
    {
        int64_t rid = json_integer_value(json_object_get(rep, "entry"));
        json_t *mine = json_array();
        json_array_foreach(photos, j, ph)
        {
            if (json_integer_value(json_object_get(ph, "report")) == rid)
                json_array_append(mine, ph);
        }
        json_object_set_new(rep, "photos", mine);
    }
    if (!may_add || json_array_size(reports) == 0) return;
    /* the upload's select: the reports, newest first and chosen */
    json_t *opts = json_array();
    for (i = json_array_size(reports); i-- > 0;) {
        rep = json_array_get(reports, i);
        const char *body = json_string_value(json_object_get(rep, "body"));
        char label[96];
        snprintf(label, sizeof label, "%s · %.60s",
                 json_string_value(json_object_get(rep, "created")), body ? body : "");
        json_array_append_new(opts, json_pack("{sI ss}", "id",
                                              json_integer_value(json_object_get(rep, "entry")),
                                              "label", label));
    }
    json_t *values = json_object_get(v, "form");
    json_object_set(v, "photo_report_options",
                    ini_options(r, opts, "id", "label",
                                values ? form_value_int(values, "photo_report") : 0, NULL));
    json_decref(opts);
}

#define WHO r->comm->id, req_path_int(r, "id"), r->comm->member_id, req_has(r, CAP_C_ORGANIZE)

/* 1 when the viewer may add a photo to initiative id now (at work at its
 * implementation or later, and theirs to work on), else 0 with the
 * answer sent: asked before the upload is decoded, so that an upload from
 * someone who may not write costs no decoding. The write asks again. */
static int may_add(struct req *r, int64_t id)
{
    struct dbc *c = req_db(r);
    int64_t me = r->comm->member_id;
    struct initiative x;
    if (initiative_find(c, r->arena, r->comm->id, id, &x) != 0) {
        ini_not_found(r);
        return 0;
    }
    if (!str_eq(x.state, "work") || x.stage < 3) {
        render_error(r, 409, "conflict", "initiative.error.not_this_stage");
        return 0;
    }
    if (req_has(r, CAP_C_ORGANIZE) || (me && initiative_coordinator(c, r->comm->id, id) == me) ||
        initiative_on_team(c, id, me))
        return 1;
    render_error(r, 409, "conflict", "initiative.error.not_team");
    return 0;
}

static void photo_post(struct req *r)
{
    if (!may_add(r, req_path_int(r, "id"))) return;
    struct form f;
    form_read(&f, r, FORM_PHOTO);
    struct image img = {0};
    const struct upload *up = r->upload;
    if (!up || strcmp(up->field, "photo") != 0) {
        form_error(&f, "photo", "initiative.photo.error.none");
    } else {
        const char *why = image_reencode(up->data, up->len, &img);
        if (why) form_error(&f, "photo", why);
    }
    if (!form_ok(&f)) {
        free(img.data);
        ini_work_render(r, 422, &f, 3, NULL);
        return;
    }
    struct initiative_photo_new p = {form_num(&f, "photo_report", 0),
                                     form_str(&f, "photo_caption"),
                                     img.width,
                                     img.height,
                                     img.data,
                                     img.len};
    struct dbc *w = req_write_begin(r);
    int64_t photo = 0;
    enum wr rc = w ? initiative_photo_add(w, WHO, &p, &photo) : WR_BUSY;
    free(img.data);
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r,
                        arena_printf(r->arena, "%s#report-%lld",
                                     ini_work_url(r, req_path_int(r, "id"), 3),
                                     (long long)p.report),
                        "flash.saved");
}

static void photo_get(struct req *r)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = initiative_photo_bytes(req_db(r), r->comm->id, req_path_int(r, "id"),
                                    req_path_int(r, "photo"), &data, &len);
    if (rc < 0) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    if (rc == 0) {
        ini_not_found(r);
        return;
    }
    req_add_header(r, "Content-Disposition", "inline; filename=\"photo.jpg\"");
    render_bytes(r, 200, "image/jpeg", (const char *)data, len);
    free(data);
}

static void photo_remove_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    int64_t id = req_path_int(r, "id");
    enum wr rc = w ? initiative_photo_remove(w, WHO, req_path_int(r, "photo")) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, ini_work_url(r, id, 3), "flash.saved");
}

#define ONE "/c/{slug}/initiatives/{id:int}"

const struct route ini_photo_routes[] = {
    {"POST", ONE "/photos", CAP_C_MEMBER, R_UPLOAD, NULL, photo_post, FORM_PHOTO},
    {"GET", ONE "/photos/{photo:int}", CAP_C_READ, 0, NULL, photo_get, NULL},
    {"POST", ONE "/photos/{photo:int}/remove", CAP_C_MEMBER, 0, NULL, photo_remove_post, NULL},
    {0},
};
