/* The residents' requests' pages: a member asks and follows their own
 * requests; the organizers see every request's subject and status and
 * triage it; the text, the contact, the answer and the history's notes
 * reach only the resident, the organizer handling it and the organizers
 * named as readers (model_request.c decides it in SQL; the views carry
 * NULL for everyone else). */
#include "areas/community/community.h"
#include "areas/partner/internal.h"
#include "core/util.h"

#include <stdlib.h>

enum { R_SUBJECT_MAX = 200, R_BODY_MAX = 4000, R_CONTACT_MAX = 300, R_NOTE_MAX = 1000 };

const struct field FORM_ASK[] = {
    {"subject", F_TEXT, 1, 0, R_SUBJECT_MAX, NULL, NULL},
    {"body", F_TEXT, 1, 0, R_BODY_MAX, NULL, NULL},
    {"answer_via", F_CHOICE, 1, 0, 0, request_channels, "partner.rq.via."},
    {"contact", F_TEXT, 0, 0, R_CONTACT_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field FORM_TRIAGE[] = {
    {"status", F_CHOICE, 1, 0, 0, request_statuses, "partner.rq.status."},
    {"handler", F_INT, 0, 1, INT64_MAX, NULL, NULL},
    {"handler_name", F_TEXT, 0, 0, P_NAME_MAX, NULL, NULL},
    {"partner", F_INT, 0, 1, INT64_MAX, NULL, NULL},
    {"note", F_TEXT, 0, 0, R_NOTE_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field FORM_ANSWER[] = {
    {"answer", F_TEXT, 1, 0, R_BODY_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field FORM_READER[] = {
    {"member", F_INT, 1, 1, INT64_MAX, NULL, NULL},
    {"reader", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* Every field is a member's to see (the route asks CAP_C_MEMBER): who
 * sees which row, and which details of it, the statements decide. */
static const struct vfield RQ_FIELDS[] = {
    {"id", CAP_C_MEMBER},
    {"subject", CAP_C_MEMBER},
    {"status", CAP_C_MEMBER},
    {"answer_via", CAP_C_MEMBER},
    {"origin", CAP_C_MEMBER},
    {"created", CAP_C_MEMBER},
    {"handler", CAP_C_MEMBER},
    {"is_handler", CAP_C_MEMBER},
    {"mine", CAP_C_MEMBER},
    {"may_read", CAP_C_MEMBER},
    {"resident", CAP_C_MEMBER},
    {"body", CAP_C_MEMBER},
    {"contact", CAP_C_MEMBER},
    {"answer", CAP_C_MEMBER},
    {"partner_id", CAP_C_ORGANIZE},
    {"partner", CAP_C_ORGANIZE},
    {NULL, 0},
};
static const struct vfield HISTORY_FIELDS[] = {
    {"id", CAP_C_MEMBER},  {"day", CAP_C_MEMBER},  {"status", CAP_C_MEMBER},
    {"who", CAP_C_MEMBER}, {"note", CAP_C_MEMBER}, {NULL, 0},
};

static int staff(struct req *r)
{
    return req_has(r, CAP_C_ORGANIZE);
}

static void label_rows(struct req *r, json_t *rows)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *s = json_string_value(json_object_get(row, "status"));
        if (s)
            json_object_set_new(
                row, "status_label",
                json_string(tr(r, arena_printf(r->arena, "partner.rq.status.%s", s))));
        const char *via = json_string_value(json_object_get(row, "answer_via"));
        if (via)
            json_object_set_new(
                row, "via_label",
                json_string(tr(r, arena_printf(r->arena, "partner.rq.via.%s", via))));
    }
}

static void list_page(struct req *r, int status, struct form *f)
{
    const char *st = req_param(r, "status");
    if (form_choice_index(request_statuses, st) < 0) st = "";
    int64_t page = req_page(r);
    struct vmask m = view_mask(r, RQ_FIELDS);
    json_t *v = p_view(r, "partner.requests.title");
    json_t *mine = rq_list_mine(req_db(r), &m, r->comm->id, r->comm->member_id, 50, 0);
    if (!mine) mine = json_array();
    label_rows(r, mine);
    json_object_set_new(v, "mine", mine);
    if (staff(r)) {
        json_t *rows = rq_list_staff(req_db(r), &m, r->comm->id, r->comm->member_id, st, P_PAGE + 1,
                                     (page - 1) * P_PAGE);
        int more = render_page_rows(&rows, P_PAGE);
        label_rows(r, rows);
        json_object_set_new(v, "requests", rows);
        json_object_set_new(v, "statuses",
                            p_choices(r, request_statuses, "partner.rq.status.", st));
        json_object_set_new(v, "page", json_integer(page));
        render_pager(r, v, page, more,
                     arena_printf(r->arena, "/c/%s/requests?page=", r->comm->slug),
                     str_empty(st) ? "" : arena_printf(r->arena, "&status=%s", st));
    }
    if (!f) {
        struct form empty;
        form_fill(&empty, r, FORM_ASK, NULL);
        render_form(r, status, "partner/requests", v, &empty);
        return;
    }
    render_form(r, status, "partner/requests", v, f);
}

void rq_list_get(struct req *r)
{
    list_page(r, 200, NULL);
}

void rq_ask_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_ASK);
    const char *via = form_ok(&f) ? request_channels[form_num(&f, "answer_via", 0)] : "site";
    if (!str_eq(via, "site") && str_empty(form_str(&f, "contact")) &&
        !json_object_get(f.errors, "contact"))
        form_error(&f, "contact", "partner.error.contact_needed");
    if (!form_ok(&f)) {
        list_page(r, 422, &f);
        return;
    }
    struct rq_in in = {form_str(&f, "subject"), form_str(&f, "body"), via, form_str(&f, "contact")};
    int64_t id = 0;
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? rq_add(w, r->comm->id, r->comm->member_id, &in, &id) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, p_url(r, arena_printf(r->arena, "/requests/%lld", (long long)id)),
                        "flash.request_sent");
}

/* The community's partners for the triage's select, the request's (or
 * the submitted) one selected. */
static json_t *partner_options(struct req *r, json_t *q, struct form *f)
{
    static const struct vfield ID_NAME[] = {{"id", CAP_ANY}, {"name", CAP_ANY}, {NULL, 0}};
    struct vmask m = view_mask(r, ID_NAME);
    json_t *rows = partner_list(req_db(r), &m, r->comm->id, 1, "", "", 500, 0);
    if (!rows) return json_array();
    int64_t cur = json_integer_value(json_object_get(q, "partner_id"));
    const char *given = f ? json_string_value(json_object_get(f->values, "partner")) : NULL;
    if (f) cur = 0;
    if (given) str_to_i64(given, &cur);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (json_integer_value(json_object_get(row, "id")) == cur)
            json_object_set_new(row, "selected", json_true());
    }
    return rows;
}

static void card_page(struct req *r, int status, struct form *f)
{
    int64_t id = p_path_id(r);
    struct vmask m = view_mask(r, RQ_FIELDS);
    json_t *q = rq_card(req_db(r), &m, r->comm->id, id, r->comm->member_id, staff(r));
    if (!q) {
        if (f) form_release(f);
        p_not_found(r);
        return;
    }
    json_t *one = json_pack("[O]", q);
    label_rows(r, one);
    json_decref(one);
    json_t *v = p_view(r, "partner.rq.card");
    json_object_set_new(v, "title", json_incref(json_object_get(q, "subject")));
    json_object_set_new(v, "request", q);
    struct vmask hm = view_mask(r, HISTORY_FIELDS);
    json_t *h = rq_history(req_db(r), &hm, r->comm->id, id, r->comm->member_id, staff(r));
    if (!h) h = json_array();
    label_rows(r, h);
    json_object_set_new(v, "history", h);
    if (staff(r)) {
        const char *cur = json_string_value(json_object_get(q, "status"));
        if (f) cur = json_string_value(json_object_get(f->values, "status"));
        json_object_set_new(v, "statuses",
                            p_choices(r, request_statuses, "partner.rq.status.", cur));
        json_object_set_new(v, "partner_options", partner_options(r, q, f));
    }
    if (f && status == 422) {
        render_invalid(r, "partner/request", v, f);
        return;
    }
    if (f) form_release(f);
    render_page(r, status, "partner/request", v);
}

void rq_card_get(struct req *r)
{
    card_page(r, 200, NULL);
}

static const char *card_url(struct req *r)
{
    return p_url(r, arena_printf(r->arena, "/requests/%lld", (long long)p_path_id(r)));
}

void rq_triage_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_TRIAGE);
    struct rq_triage t = {NULL, 0, 0, NULL};
    t.handler = member_pick(&f, "handler", "handler_name");
    if (t.handler && !rq_is_organizer(req_db(r), r->comm->id, t.handler))
        form_error(&f, "handler_name", "partner.error.handler");
    t.partner = form_num(&f, "partner", 0);
    if (t.partner && !json_object_get(f.errors, "partner") &&
        !partner_exists(req_db(r), r->comm->id, t.partner))
        form_error(&f, "partner", "partner.error.partner");
    if (!form_ok(&f)) {
        card_page(r, 422, &f);
        return;
    }
    t.status = request_statuses[form_num(&f, "status", 0)];
    t.note = form_str(&f, "note");
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? rq_triage(w, r->comm->id, p_path_id(r), r->comm->member_id, &t) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, card_url(r), "flash.saved");
}

void rq_answer_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, FORM_ANSWER)) {
        card_page(r, 422, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? rq_answer(w, r->comm->id, p_path_id(r), r->comm->member_id, form_str(&f, "answer"))
          : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, card_url(r), "flash.saved");
}

void rq_readers_get(struct req *r)
{
    json_t *v = p_view(r, "partner.readers.title");
    json_t *rows = rq_readers(req_db(r), r->comm->id);
    json_object_set_new(v, "organizers", rows ? rows : json_array());
    render_page(r, 200, "partner/readers", v);
}

void rq_readers_post(struct req *r)
{
    struct form f;
    if (!render_form_read(&f, r, FORM_READER, "error.invalid")) return;
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? rq_reader_set(w, r->comm->id, form_num(&f, "member", 0), (int)form_num(&f, "reader", 0))
          : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, p_url(r, "/requests/readers"), "flash.saved");
}
