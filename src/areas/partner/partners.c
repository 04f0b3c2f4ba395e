/* The partners directory's pages: the list (by sector, by name, paged),
 * a partner's card with its contact persons, the staff's forms to add,
 * edit and delete. A visitor sees only the public partners, and of them
 * only what the field list gives everyone: never notes, never contacts. */
#include "areas/partner/internal.h"
#include "core/text.h"
#include "core/util.h"

#include <stdlib.h>

const struct field FORM_PARTNER[] = {
    {"name", F_TEXT, 1, 0, P_NAME_MAX, NULL, NULL},
    {"sector", F_CHOICE, 1, 0, 0, partner_sectors, "partner.sector."},
    {"territory", F_TEXT, 0, 0, P_TERRITORY_MAX, NULL, NULL},
    {"reach", F_TEXT, 0, 0, P_REACH_MAX, NULL, NULL},
    {"notes", F_TEXT, 0, 0, P_NOTES_MAX, NULL, NULL},
    {"is_public", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

const struct field FORM_CONTACT[] = {
    {"contact_name", F_TEXT, 1, 0, P_NAME_MAX, NULL, NULL},
    {"contact_role", F_TEXT, 0, 0, P_ROLE_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* What a partner's view carries: notes and whether it is public are the
 * staff's; everything else is what a public partner shows to anyone who
 * may read the community. */
static const struct vfield PARTNER_FIELDS[] = {
    {"id", CAP_ANY},
    {"name", CAP_ANY},
    {"sector", CAP_ANY},
    {"territory", CAP_ANY},
    {"reach", CAP_ANY},
    {"notes", CAP_C_ORGANIZE},
    {"is_public", CAP_C_ORGANIZE},
    {NULL, 0},
};
static const struct vfield CONTACT_FIELDS[] = {
    {"id", CAP_C_ORGANIZE},
    {"name", CAP_C_ORGANIZE},
    {"role", CAP_C_ORGANIZE},
    {NULL, 0},
};

static int staff(struct req *r)
{
    return req_has(r, CAP_C_ORGANIZE);
}

static void label_sector(struct req *r, json_t *row)
{
    const char *s = json_string_value(json_object_get(row, "sector"));
    if (s)
        json_object_set_new(row, "sector_label",
                            json_string(tr(r, arena_printf(r->arena, "partner.sector.%s", s))));
}

/* The list's filters for the pager's links: "&sector=...&q=...". */
static const char *list_filters(struct req *r, const char *sector, const char *q)
{
    struct buf b;
    buf_init(&b);
    buf_puts(&b, "");
    if (!str_empty(sector)) buf_printf(&b, "&sector=%s", sector);
    if (!str_empty(q)) {
        buf_puts(&b, "&q=");
        url_escape(&b, q);
    }
    const char *url = arena_strdup(r->arena, b.data);
    buf_free(&b);
    return url;
}

void p_list_get(struct req *r)
{
    const char *sector = req_param(r, "sector");
    if (form_choice_index(partner_sectors, sector) < 0) sector = "";
    const char *q = req_param(r, "q");
    if (!q || utf8_len(q) > P_NAME_MAX) q = "";
    int64_t page = req_page(r);
    struct vmask m = view_mask(r, PARTNER_FIELDS);
    json_t *rows = partner_list(req_db(r), &m, r->comm->id, staff(r), sector, q, P_PAGE + 1,
                                (page - 1) * P_PAGE);
    int more = render_page_rows(&rows, P_PAGE);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) label_sector(r, row);
    json_t *v = p_view(r, "partner.title");
    json_object_set_new(v, "partners", rows);
    json_object_set_new(v, "sectors", p_choices(r, partner_sectors, "partner.sector.", sector));
    json_object_set_new(v, "q", json_string(q));
    json_object_set_new(v, "sector", json_string(sector));
    json_object_set_new(v, "page", json_integer(page));
    render_pager(r, v, page, more, arena_printf(r->arena, "/c/%s/partners?page=", r->comm->slug),
                 list_filters(r, sector, q));
    render_page(r, 200, "partner/list", v);
}

static void form_page(struct req *r, int status, struct form *f, int64_t id)
{
    json_t *v = p_view(r, id ? "partner.edit" : "partner.new");
    if (id) json_object_set_new(v, "id", json_integer(id));
    render_form(r, status, "partner/form", v, f);
}

void p_new_get(struct req *r)
{
    struct form f;
    form_fill(&f, r, FORM_PARTNER, NULL);
    form_page(r, 200, &f, 0);
}

static struct partner_in partner_of(const struct form *f)
{
    struct partner_in in = {
        .name = form_str(f, "name"),
        .sector = partner_sectors[form_num(f, "sector", 0)],
        .territory = form_str(f, "territory"),
        .reach = form_str(f, "reach"),
        .notes = form_str(f, "notes"),
        .is_public = (int)form_num(f, "is_public", 0),
    };
    return in;
}

void p_create_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, FORM_PARTNER)) {
        form_page(r, 422, &f, 0);
        return;
    }
    struct partner_in in = partner_of(&f);
    int64_t id = 0;
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? partner_add(w, r->comm->id, &in, &id) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, p_url(r, arena_printf(r->arena, "/partners/%lld", (long long)id)),
                        "flash.saved");
}

void p_card_page(struct req *r, int status, struct form *f)
{
    int64_t id = p_path_id(r);
    struct vmask m = view_mask(r, PARTNER_FIELDS);
    json_t *p = partner_card(req_db(r), &m, r->comm->id, id, staff(r));
    if (!p) {
        if (f) form_release(f);
        p_not_found(r);
        return;
    }
    label_sector(r, p);
    json_t *v = p_view(r, "partner.card");
    json_object_set_new(v, "title", json_incref(json_object_get(p, "name")));
    json_object_set_new(v, "partner", p);
    if (staff(r)) {
        struct vmask cm = view_mask(r, CONTACT_FIELDS);
        json_t *contacts = partner_contacts(req_db(r), &cm, r->comm->id, id);
        json_object_set_new(v, "contacts", contacts ? contacts : json_array());
        p_log_into(r, v, id, f ? f->values : NULL);
    }
    if (f && status == 422) {
        render_invalid(r, "partner/card", v, f);
        return;
    }
    if (f) form_release(f);
    render_page(r, status, "partner/card", v);
}

void p_card_get(struct req *r)
{
    p_card_page(r, 200, NULL);
}

void p_edit_get(struct req *r)
{
    struct vmask m = view_mask(r, PARTNER_FIELDS);
    json_t *p = req_own(r, partner_card(req_db(r), &m, r->comm->id, p_path_id(r), 1));
    if (!p) {
        p_not_found(r);
        return;
    }
    struct form f;
    form_fill(&f, r, FORM_PARTNER, p);
    form_page(r, 200, &f, p_path_id(r));
}

void p_edit_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, FORM_PARTNER)) {
        form_page(r, 422, &f, p_path_id(r));
        return;
    }
    struct partner_in in = partner_of(&f);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? partner_update(w, r->comm->id, p_path_id(r), &in) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r,
                        p_url(r, arena_printf(r->arena, "/partners/%lld", (long long)p_path_id(r))),
                        "flash.saved");
}

void p_delete_get(struct req *r)
{
    char *name = partner_name(req_db(r), r->comm->id, p_path_id(r));
    if (!name) {
        p_not_found(r);
        return;
    }
    struct confirm c = {.title = tr(r, "partner.delete"),
                        .what = arena_strdup(r->arena, name),
                        .loss = tr(r, "partner.delete.loss"),
                        .back = p_url(r, "/partners"),
                        .back_label = tr(r, "partner.title"),
                        .button = NULL,
                        .final = 1};
    free(name);
    render_confirm(r, &c);
}

void p_delete_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? partner_delete(w, r->comm->id, p_path_id(r)) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, p_url(r, "/partners"), "flash.partner_deleted");
}

void p_contact_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, FORM_CONTACT)) {
        p_card_page(r, 422, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? partner_contact_add(w, r->comm->id, p_path_id(r), form_str(&f, "contact_name"),
                                         form_str(&f, "contact_role"))
                   : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r,
                        p_url(r, arena_printf(r->arena, "/partners/%lld", (long long)p_path_id(r))),
                        "flash.saved");
}

void p_contact_delete_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? partner_contact_delete(w, r->comm->id, p_path_id(r), req_path_int(r, "cid")) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r,
                        p_url(r, arena_printf(r->arena, "/partners/%lld", (long long)p_path_id(r))),
                        "flash.saved");
}
