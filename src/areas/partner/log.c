/* The interaction log's pages: the log on a partner's card with the form
 * that adds an entry, an entry's edit page, and the staff's list of
 * overdue next steps. The member responsible for a next step is chosen by
 * name (member_pick), never from a list of every member. */
#include "areas/community/community.h"
#include "areas/partner/internal.h"
#include "core/util.h"

#include <stdlib.h>

enum { L_SUBJECT_MAX = 300, L_OUTCOME_MAX = 2000, L_STEP_MAX = 500 };

const struct field FORM_LOG[] = {
    {"day", F_DATE, 1, 0, 0, NULL, NULL},
    {"subject", F_TEXT, 1, 0, L_SUBJECT_MAX, NULL, NULL},
    {"kind", F_CHOICE, 1, 0, 0, partner_log_kinds, "partner.log.kind."},
    {"status", F_CHOICE, 1, 0, 0, partner_log_statuses, "partner.log.status."},
    {"outcome", F_TEXT, 0, 0, L_OUTCOME_MAX, NULL, NULL},
    {"next_step", F_TEXT, 0, 0, L_STEP_MAX, NULL, NULL},
    {"next_due", F_DATE, 0, 0, 0, NULL, NULL},
    {"next_member", F_INT, 0, 1, INT64_MAX, NULL, NULL},        /* a member id, or */
    {"next_member_name", F_TEXT, 0, 0, P_NAME_MAX, NULL, NULL}, /* a name (member_pick) */
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static const struct vfield LOG_FIELDS[] = {
    {"id", CAP_C_ORGANIZE},
    {"day", CAP_C_ORGANIZE},
    {"subject", CAP_C_ORGANIZE},
    {"kind", CAP_C_ORGANIZE},
    {"status", CAP_C_ORGANIZE},
    {"outcome", CAP_C_ORGANIZE},
    {"next_step", CAP_C_ORGANIZE},
    {"next_due", CAP_C_ORGANIZE},
    {"responsible", CAP_C_ORGANIZE},
    {"overdue", CAP_C_ORGANIZE},
    {"partner_id", CAP_C_ORGANIZE},
    {"partner", CAP_C_ORGANIZE},
    {NULL, 0},
};

static int64_t today(void)
{
    return now_s() / 86400 * 86400;
}

static void label(struct req *r, json_t *row, const char *field, const char *prefix)
{
    const char *s = json_string_value(json_object_get(row, field));
    if (s)
        json_object_set_new(row, arena_printf(r->arena, "%s_label", field),
                            json_string(tr(r, arena_printf(r->arena, "%s%s", prefix, s))));
}

static void label_rows(struct req *r, json_t *rows)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        label(r, row, "kind", "partner.log.kind.");
        label(r, row, "status", "partner.log.status.");
    }
}

/* The submitted (or no) value of a form's field, for a select's choice. */
static const char *value_of(json_t *values, const char *name, const char *dflt)
{
    const char *s = json_string_value(json_object_get(values, name));
    return s ? s : dflt;
}

void p_log_into(struct req *r, json_t *v, int64_t pid, json_t *values)
{
    struct vmask m = view_mask(r, LOG_FIELDS);
    json_t *rows = plog_list(req_db(r), &m, r->comm->id, pid, today());
    if (!rows) rows = json_array();
    label_rows(r, rows);
    json_object_set_new(v, "log", rows);
    json_object_set_new(
        v, "log_kinds",
        p_choices(r, partner_log_kinds, "partner.log.kind.", value_of(values, "kind", "request")));
    json_object_set_new(v, "log_statuses",
                        p_choices(r, partner_log_statuses, "partner.log.status.",
                                  value_of(values, "status", "open")));
    char day[11];
    date_format(today(), day);
    json_object_set_new(v, "today", json_string(day));
}

/* The form's entry, or 0 with the errors beside the fields: the dates
 * and the member checked, a next step's date wanting the step. */
static int read_entry(struct form *f, struct plog_in *in)
{
    in->next_member = member_pick(f, "next_member", "next_member_name");
    if (!form_ok(f)) return 0;
    in->day = form_num(f, "day", 0);
    in->subject = form_str(f, "subject");
    in->kind = partner_log_kinds[form_num(f, "kind", 0)];
    in->status = partner_log_statuses[form_num(f, "status", 0)];
    in->outcome = form_str(f, "outcome");
    in->next_step = form_str(f, "next_step");
    in->next_due = form_given(f, "next_due") ? form_num(f, "next_due", 0) : 0;
    if ((in->next_due || in->next_member) && str_empty(in->next_step))
        form_error(f, "next_step", "partner.error.step_needed");
    return form_ok(f);
}

static const char *card_url(struct req *r)
{
    return p_url(r, arena_printf(r->arena, "/partners/%lld", (long long)p_path_id(r)));
}

void p_log_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_LOG);
    struct plog_in in = {0};
    if (!read_entry(&f, &in)) {
        p_card_page(r, 422, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? plog_add(w, r->comm->id, p_path_id(r), &in) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, card_url(r), "flash.saved");
}

static void edit_page(struct req *r, int status, struct form *f)
{
    json_t *v = p_view(r, "partner.log.edit");
    json_object_set_new(v, "partner_id", json_integer(p_path_id(r)));
    json_object_set_new(v, "id", json_integer(req_path_int(r, "eid")));
    render_form(r, status, "partner/log_edit", v, f);
}

void p_log_edit_get(struct req *r)
{
    json_t *e = req_own(r, plog_find(req_db(r), r->comm->id, p_path_id(r), req_path_int(r, "eid")));
    if (!e) {
        p_not_found(r);
        return;
    }
    struct form f;
    form_fill(&f, r, FORM_LOG, e);
    edit_page(r, 200, &f);
}

void p_log_edit_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_LOG);
    struct plog_in in = {0};
    if (!read_entry(&f, &in)) {
        edit_page(r, 422, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? plog_update(w, r->comm->id, p_path_id(r), req_path_int(r, "eid"), &in) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, card_url(r), "flash.saved");
}

void p_overdue_get(struct req *r)
{
    int64_t page = req_page(r);
    struct vmask m = view_mask(r, LOG_FIELDS);
    json_t *rows =
        plog_overdue(req_db(r), &m, r->comm->id, today(), P_PAGE + 1, (page - 1) * P_PAGE);
    int more = render_page_rows(&rows, P_PAGE);
    label_rows(r, rows);
    json_t *v = p_view(r, "partner.overdue.title");
    json_object_set_new(v, "steps", rows);
    json_object_set_new(v, "page", json_integer(page));
    render_pager(r, v, page, more,
                 arena_printf(r->arena, "/c/%s/partners/overdue?page=", r->comm->slug), "");
    render_page(r, 200, "partner/overdue", v);
}
