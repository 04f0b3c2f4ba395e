/* The fundraising page of an initiative (/c/{slug}/initiatives/{id}/funds):
 * pledges, external sources with a collection's progress drawn on the
 * server, money received and spent, the treasurers; its forms. Every POST
 * is form -> req_write_begin -> the model -> req_commit -> redirect back;
 * a form that fails answers 422 with the page again, the message beside
 * its field and the input kept. The report is report.c. */
#include "areas/community/community.h"
#include "areas/initiative/funds.h"
#include "areas/initiative/internal.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { AMOUNT_TEXT = 24 };

static const struct field FORM_PLEDGE[] = {
    {"pledge_line", F_REF, 0, 0, 0, NULL, NULL},
    {"pledge_money", F_TEXT, 0, 0, AMOUNT_TEXT, NULL, NULL}, /* an amount */
    {"pledge_hours", F_INT, 0, 0, INITIATIVE_HOURS_MAX, NULL, NULL},
    {"pledge_materials", F_TEXT, 0, 0, INITIATIVE_MATERIALS_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_SOURCE[] = {
    {"source_kind", F_CHOICE, 1, 0, 0, initiative_source_kinds, "initiative.source."},
    {"source_name", F_TEXT, 1, 0, INITIATIVE_NAME_MAX, NULL, NULL},
    {"source_amount", F_TEXT, 1, 0, AMOUNT_TEXT, NULL, NULL},
    {"source_deadline", F_DATE, 0, 0, 0, NULL, NULL},
    {"source_status", F_CHOICE, 0, 0, 0, initiative_grant_statuses, "initiative.grant."},
    {"source_granted", F_TEXT, 0, 0, AMOUNT_TEXT, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_GRANT[] = {
    {"status", F_CHOICE, 1, 0, 0, initiative_grant_statuses, "initiative.grant."},
    {"granted", F_TEXT, 0, 0, AMOUNT_TEXT, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_INCOME[] = {
    /* "other", "pledge", or "<kind>-<id>": one of those offered */
    {"income_from", F_TEXT, 1, 0, 40, NULL, NULL},
    {"income_amount", F_TEXT, 1, 0, AMOUNT_TEXT, NULL, NULL},
    {"income_day", F_DATE, 1, 0, 0, NULL, NULL},
    {"income_note", F_TEXT, 0, 0, INITIATIVE_NOTE_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_SPEND[] = {
    {"fund_line", F_REF, 1, 0, 0, NULL, NULL},
    {"fund_amount", F_TEXT, 1, 0, AMOUNT_TEXT, NULL, NULL},
    {"fund_day", F_DATE, 1, 0, 0, NULL, NULL},
    {"fund_note", F_TEXT, 0, 0, INITIATIVE_NOTE_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_TREASURER[] = {
    {"treasurer_member", F_REF, 0, 0, 0, NULL, NULL}, /* the candidates' select */
    {"treasurer_name", F_TEXT, 0, 0, INITIATIVE_NAME_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_TREASURER_REMOVE[] = {
    {"member", F_INT, 1, 1, INT64_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* What the page shows: who pledged and who recorded money is for members
 * (the member list is theirs), the sums are the initiative's. */
static const struct vfield PLEDGE_FIELDS[] = {
    {"entry", CAP_ANY},
    {"who", CAP_C_MEMBER},
    {"former", CAP_C_MEMBER},
    {"mine", CAP_C_MEMBER},
    {"line", CAP_ANY},
    {"money", CAP_ANY},
    {"hours", CAP_ANY},
    {"materials", CAP_ANY},
    {"fulfilled", CAP_ANY},
    {"created", CAP_ANY},
    {NULL, 0},
};
/* A withdrawn pledge is shown to the books' keepers (all of them) and to
 * the member who withdrew it (their own); others see the report's sums. */
static const struct vfield WITHDRAWN_FIELDS[] = {
    {"who", CAP_C_MEMBER},       {"former", CAP_C_MEMBER},
    {"mine", CAP_C_MEMBER},      {"line", CAP_C_MEMBER},
    {"money", CAP_C_MEMBER},     {"hours", CAP_C_MEMBER},
    {"materials", CAP_C_MEMBER}, {"pledged", CAP_C_MEMBER},
    {"withdrawn", CAP_C_MEMBER}, {NULL, 0},
};
static const struct vfield SOURCE_FIELDS[] = {
    {"entry", CAP_ANY},   {"kind", CAP_ANY},     {"name", CAP_ANY},
    {"amount", CAP_ANY},  {"deadline", CAP_ANY}, {"status", CAP_ANY},
    {"granted", CAP_ANY}, {"received", CAP_ANY}, {NULL, 0},
};
static const struct vfield INCOME_FIELDS[] = {
    {"day", CAP_ANY},  {"source", CAP_ANY},   {"what", CAP_ANY},        {"amount", CAP_ANY},
    {"note", CAP_ANY}, {"who", CAP_C_MEMBER}, {"former", CAP_C_MEMBER}, {NULL, 0},
};
static const struct vfield TREASURER_FIELDS[] = {
    {"entry", CAP_C_MEMBER}, {"name", CAP_C_MEMBER}, {NULL, 0}};
static const struct vfield LINE_FIELDS[] = {
    {"entry", CAP_ANY}, {"name", CAP_ANY}, {"amount", CAP_ANY}, {"spent", CAP_ANY}, {NULL, 0}};

static int64_t path_id(struct req *r)
{
    return req_path_int(r, "id");
}

const char *ini_funds_url(struct req *r, int64_t id)
{
    return arena_printf(r->arena, "/c/%s/initiatives/%lld/funds", r->comm->slug, (long long)id);
}

static void as_bool(json_t *row, const char *key)
{
    json_t *v = json_object_get(row, key);
    if (v) json_object_set_new(row, key, json_boolean(json_integer_value(v) != 0));
}

static void put_amount(struct req *r, json_t *row, const char *key, const char *as)
{
    json_t *v = json_object_get(row, key);
    if (json_is_integer(v))
        json_object_set_new(row, as, json_string(ini_amount_text(r, json_integer_value(v))));
}

/* The bar of part against whole, 0..1000 (the budget area's bar's scale). */
static int64_t bar_of(int64_t part, int64_t whole)
{
    if (whole <= 0) return part > 0 ? 1000 : 0;
    if (part >= whole) return 1000;
    return part * 1000 / whole;
}

/* 1 when the viewer keeps the initiative's books (organizer or treasurer). */
static int keeps_books(struct req *r, int64_t id)
{
    return req_has(r, CAP_C_ORGANIZE) ||
           (r->comm->member_id && initiative_is_treasurer(req_db(r), id, r->comm->member_id));
}

/* The options of the income's "from" select: other, the pledges as a
 * whole, each pledge, each source. */
static json_t *from_options(struct req *r, json_t *pledges, json_t *sources, const char *chosen)
{
    json_t *out = req_own(r, json_array());
    const char *c = chosen ? chosen : "other";
    json_array_append_new(out, json_pack("{ss ss sb}", "value", "other", "label",
                                         tr(r, "initiative.source.other"), "selected",
                                         str_eq(c, "other")));
    json_array_append_new(out, json_pack("{ss ss sb}", "value", "pledge", "label",
                                         tr(r, "initiative.income.pledges"), "selected",
                                         str_eq(c, "pledge")));
    size_t i;
    json_t *row;
    json_array_foreach(pledges, i, row)
    {
        int64_t e = json_integer_value(json_object_get(row, "entry"));
        const char *v = arena_printf(r->arena, "pledge-%lld", (long long)e);
        const char *who = json_string_value(json_object_get(row, "who"));
        const char *money = json_string_value(json_object_get(row, "money_text"));
        json_array_append_new(
            out, json_pack("{ss ss sb}", "value", v, "label",
                           arena_printf(r->arena, "%s %lld%s%s · %s", tr(r, "initiative.pledge"),
                                        (long long)e, who && who[0] ? ": " : "", who ? who : "",
                                        money ? money : ""),
                           "selected", str_eq(c, v)));
    }
    json_array_foreach(sources, i, row)
    {
        int64_t e = json_integer_value(json_object_get(row, "entry"));
        const char *kind = json_string_value(json_object_get(row, "kind"));
        const char *v = arena_printf(r->arena, "%s-%lld", kind ? kind : "", (long long)e);
        const char *name = json_string_value(json_object_get(row, "name"));
        json_array_append_new(
            out, json_pack("{ss ss sb}", "value", v, "label",
                           arena_printf(r->arena, "%s: %s",
                                        tr(r, arena_printf(r->arena, "initiative.source.%s",
                                                           kind ? kind : "")),
                                        name ? name : ""),
                           "selected", str_eq(c, v)));
    }
    return out;
}

static const char *label(struct req *r, const char *prefix, const char *key)
{
    return tr(r, arena_printf(r->arena, "%s%s", prefix, key ? key : ""));
}

/* The funds' page's lists, each paged by its own parameter (?pledges=2,
 * ?sources=2, ?income=2) as the area's other lists are by ?page. */
static const char *const FUNDS_PARAMS[] = {"pledges", "sources", "income", NULL};

/* The page of list name asked for, 1 when none or not a page. */
static int64_t list_page(struct req *r, const char *name)
{
    const char *s = req_param(r, name);
    char *end = NULL;
    long long n = s ? strtoll(s, &end, 10) : 1;
    return s && (*end || n < 1 || n > 1000000) ? 1 : n;
}

/* Rows read as a page of list name (one more than shown), cut to the
 * page, owned by the request, and the list's pager in v's <name>_pager. */
static json_t *paged(struct req *r, json_t *v, const char *name, int64_t page, json_t *rows)
{
    int more = render_page_rows(&rows, INITIATIVE_FUNDS_PAGE);
    req_own(r, rows);
    json_t *pg = req_own(r, json_object());
    render_pager(r, pg, page, more,
                 arena_printf(r->arena, "%s?%s=", ini_funds_url(r, path_id(r)), name),
                 arena_printf(r->arena, "#%s", name));
    json_object_set(v, arena_printf(r->arena, "%s_pager", name), pg);
    return rows;
}

static int64_t offset_of(int64_t page)
{
    return (page - 1) * INITIATIVE_FUNDS_PAGE;
}

/* The page; f is the form that failed (NULL: none), row_error marks a
 * grant's row form ({entry, message, input}). */
static void funds_render(struct req *r, int status, struct form *f, json_t *row_error)
{
    int64_t id = path_id(r);
    struct dbc *c = req_db(r);
    int64_t cid = r->comm->id, me = r->comm->member_id;
    struct initiative x;
    if (initiative_find(c, r->arena, cid, id, &x) != 0) {
        if (f) form_release(f);
        ini_not_found(r);
        return;
    }
    struct form empty;
    if (!f) {
        form_init(&empty, r);
        f = &empty;
    }
    int at_work = str_eq(x.state, "work");
    int member = req_has(r, CAP_C_MEMBER), organizer = req_has(r, CAP_C_ORGANIZE);
    int keeper = keeps_books(r, id);
    json_t *v = ini_base_view(r, "initiative.funds.title");
    json_object_set_new(
        v, "initiative",
        json_pack("{sI ss}", "id", (json_int_t)id, "title", x.title ? x.title : ""));
    char *cur = initiative_currency(c, cid);
    json_object_set_new(v, "currency", json_string(cur));
    free(cur);
    json_object_set_new(v, "at_work", json_boolean(at_work));
    json_object_set_new(v, "can_pledge", json_boolean(member && at_work));
    json_object_set_new(v, "can_keep", json_boolean(keeper && at_work));
    json_object_set_new(v, "can_name", json_boolean(organizer && at_work));
    /* pledges */
    struct vmask pm = view_mask(r, PLEDGE_FIELDS);
    int64_t pp = list_page(r, "pledges");
    json_t *pledges = paged(
        r, v, "pledges", pp,
        initiative_pledge_rows(c, &pm, cid, id, me, INITIATIVE_FUNDS_PAGE + 1, offset_of(pp)));
    size_t i;
    json_t *row;
    json_array_foreach(pledges, i, row)
    {
        as_bool(row, "mine");
        as_bool(row, "former");
        as_bool(row, "fulfilled");
        put_amount(r, row, "money", "money_text");
        int fulfilled = json_is_true(json_object_get(row, "fulfilled"));
        json_object_set_new(
            row, "can_withdraw",
            json_boolean(at_work && !fulfilled && json_is_true(json_object_get(row, "mine"))));
        json_object_set_new(row, "can_fulfil", json_boolean(at_work && keeper && !fulfilled));
    }
    json_object_set(v, "pledges", pledges ? pledges : req_own(r, json_array()));
    /* the pledges withdrawn: who and which day, for the keepers; a
     * member's own for them */
    json_t *gone = NULL;
    if (member) {
        struct vmask wm = view_mask(r, WITHDRAWN_FIELDS);
        gone = req_own(r, initiative_withdrawn_rows(c, &wm, cid, id, me, keeper,
                                                    INITIATIVE_WITHDRAWN_SHOWN, 0));
    }
    json_array_foreach(gone, i, row)
    {
        as_bool(row, "mine");
        as_bool(row, "former");
        put_amount(r, row, "money", "money_text");
    }
    json_object_set(v, "withdrawn", gone ? gone : req_own(r, json_array()));
    json_object_set_new(v, "keeps_books", json_boolean(keeper));
    /* sources, a collection's progress as a bar */
    struct vmask sm = view_mask(r, SOURCE_FIELDS);
    int64_t sp = list_page(r, "sources");
    json_t *sources =
        paged(r, v, "sources", sp,
              initiative_source_rows(c, &sm, cid, id, INITIATIVE_FUNDS_PAGE + 1, offset_of(sp)));
    int64_t err_entry = json_integer_value(json_object_get(row_error, "entry"));
    json_array_foreach(sources, i, row)
    {
        const char *kind = json_string_value(json_object_get(row, "kind"));
        const char *st = json_string_value(json_object_get(row, "status"));
        int64_t amount = json_integer_value(json_object_get(row, "amount"));
        int64_t got = json_integer_value(json_object_get(row, "received"));
        json_object_set_new(row, "kind_label", json_string(label(r, "initiative.source.", kind)));
        json_object_set_new(row, "is_grant", json_boolean(str_eq(kind, "grant")));
        json_object_set_new(row, "is_collection", json_boolean(str_eq(kind, "collection")));
        if (st)
            json_object_set_new(row, "status_label",
                                json_string(label(r, "initiative.grant.", st)));
        put_amount(r, row, "amount", "amount_text");
        put_amount(r, row, "granted", "granted_text");
        put_amount(r, row, "received", "received_text");
        json_object_set_new(row, "bar", json_integer(bar_of(got, amount)));
        json_object_set_new(row, "percent",
                            json_integer(amount > 0 ? (got >= amount ? 100 : got * 100 / amount)
                                                    : (got > 0 ? 100 : 0)));
        json_object_set_new(row, "reached", json_boolean(got >= amount && amount > 0));
        json_object_set_new(row, "can_update",
                            json_boolean(keeper && at_work && str_eq(kind, "grant")));
        /* the grant's own form: the status selected, or what was sent back */
        const char *sel = st;
        if (row_error && json_integer_value(json_object_get(row, "entry")) == err_entry) {
            json_t *in = json_object_get(row_error, "input");
            const char *s2 = json_string_value(json_object_get(in, "status"));
            if (s2) sel = s2;
            json_object_set(row, "granted_input", json_object_get(in, "granted"));
            json_object_set(row, "error", json_object_get(row_error, "message"));
        } else if (json_object_get(row, "granted_text")) {
            json_object_set(row, "granted_input", json_object_get(row, "granted_text"));
        }
        json_t *opts = json_array();
        for (int k = 0; initiative_grant_statuses[k]; k++)
            json_array_append_new(
                opts, json_pack("{ss ss sb}", "value", initiative_grant_statuses[k], "label",
                                label(r, "initiative.grant.", initiative_grant_statuses[k]),
                                "selected", str_eq(sel, initiative_grant_statuses[k])));
        json_object_set_new(row, "statuses", opts);
    }
    json_object_set(v, "sources", sources ? sources : req_own(r, json_array()));
    /* money received and the budget lines to spend against */
    struct vmask im = view_mask(r, INCOME_FIELDS);
    int64_t ip = list_page(r, "income");
    json_t *income =
        paged(r, v, "income", ip,
              initiative_income_rows(c, &im, cid, id, INITIATIVE_FUNDS_PAGE + 1, offset_of(ip)));
    json_array_foreach(income, i, row)
    {
        as_bool(row, "former");
        put_amount(r, row, "amount", "amount_text");
        json_object_set_new(row, "source_label",
                            json_string(label(r, "initiative.source.",
                                              json_string_value(json_object_get(row, "source")))));
    }
    json_object_set(v, "income", income ? income : req_own(r, json_array()));
    struct vmask lm = view_mask(r, LINE_FIELDS);
    json_t *lines = req_own(r, initiative_line_rows(c, &lm, cid, id));
    json_object_set_new(v, "has_lines", json_boolean(json_array_size(lines) > 0));
    struct vmask tm = view_mask(r, TREASURER_FIELDS);
    json_t *tre = req_own(r, initiative_treasurer_rows(c, &tm, cid, id));
    json_object_set(v, "treasurers", tre ? tre : req_own(r, json_array()));
    json_t *picked = f->options ? json_object_get(f->options, "treasurer_member") : NULL;
    if (picked) json_object_set(v, "treasurer_options", picked);
    /* the forms' selects */
    json_object_set(v, "line_options",
                    ini_options(r, lines, "entry", "name", form_num(f, "pledge_line", 0),
                                "initiative.pledge.whole"));
    json_object_set(v, "fund_line_options",
                    ini_options(r, lines, "entry", "name", form_num(f, "fund_line", 0), NULL));
    /* the income's select names every pledge and source, not a page's:
     * read for its form only, the keepers' */
    if (keeper && at_work) {
        json_t *all_p =
            req_own(r, initiative_pledge_rows(c, &pm, cid, id, me, INITIATIVE_FUNDS_CHOICES, 0));
        json_t *all_s =
            req_own(r, initiative_source_rows(c, &sm, cid, id, INITIATIVE_FUNDS_CHOICES, 0));
        json_object_set(v, "from_options",
                        from_options(r, all_p, all_s, form_str(f, "income_from")));
    }
    json_t *kinds = req_own(r, json_array());
    const char *kind_sel = form_str(f, "source_kind");
    for (int k = 0; initiative_source_kinds[k]; k++)
        json_array_append_new(kinds,
                              json_pack("{ss ss sb}", "value", initiative_source_kinds[k], "label",
                                        label(r, "initiative.source.", initiative_source_kinds[k]),
                                        "selected", str_eq(kind_sel, initiative_source_kinds[k])));
    json_object_set(v, "kind_options", kinds);
    json_t *sts = req_own(r, json_array());
    const char *st_sel = form_str(f, "source_status");
    for (int k = 0; initiative_grant_statuses[k]; k++)
        json_array_append_new(
            sts, json_pack("{ss ss sb}", "value", initiative_grant_statuses[k], "label",
                           label(r, "initiative.grant.", initiative_grant_statuses[k]), "selected",
                           str_eq(st_sel, initiative_grant_statuses[k])));
    json_object_set(v, "status_options", sts);
    json_object_set_new(v, "report_url",
                        json_string(arena_printf(r->arena, "%s/report", ini_page_url(r, id))));
    render_form(r, status, "initiative/funds", v, f);
}

static void funds_get(struct req *r)
{
    funds_render(r, 200, NULL, NULL);
}

static void back(struct req *r, struct form *f, enum wr rc, const char *anchor)
{
    ini_write_finish(r, f, rc,
                     arena_printf(r->arena, "%s#%s", ini_funds_url(r, path_id(r)), anchor));
}

static void funds_422(struct req *r, struct form *f, int unused)
{
    (void)unused;
    funds_render(r, 422, f, NULL);
}

/* 422 with the page when f failed (0), else 1 and a writer in *w (NULL:
 * busy, which req_commit answers). */
static int begin(struct req *r, struct form *f, struct dbc **w)
{
    return ini_write_begin(r, f, w, funds_422, 0);
}

#define WHO r->comm->id, path_id(r), r->comm->member_id, req_has(r, CAP_C_ORGANIZE)

static void pledge_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_PLEDGE);
    struct initiative_pledge_new p = {
        .line = form_num(&f, "pledge_line", 0),
        .money = ini_amount_field(&f, "pledge_money"),
        .hours = form_num(&f, "pledge_hours", 0),
        .materials = form_str(&f, "pledge_materials"),
    };
    if (form_ok(&f) && p.money <= 0 && p.hours <= 0 && !p.materials)
        form_error(&f, "pledge_money", "initiative.error.pledge_empty");
    struct dbc *w = NULL;
    if (!begin(r, &f, &w)) return;
    back(r, &f,
         w ? initiative_pledge_add(w, r->comm->id, path_id(r), r->comm->member_id, &p, NULL)
           : WR_BUSY,
         "pledges");
}

static void withdraw_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    back(r, NULL,
         w ? initiative_pledge_withdraw(w, r->comm->id, path_id(r), r->comm->member_id,
                                        req_path_int(r, "pledge"))
           : WR_BUSY,
         "pledges");
}

static void fulfil_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    back(r, NULL, w ? initiative_pledge_fulfil(w, WHO, req_path_int(r, "pledge")) : WR_BUSY,
         "pledges");
}

static void source_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_SOURCE);
    const char *kind = form_str(&f, "source_kind");
    int grant = str_eq(kind, "grant");
    struct initiative_source_new s = {
        .kind = kind,
        .name = form_str(&f, "source_name"),
        .amount = ini_amount_field(&f, "source_amount"),
        .deadline =
            json_object_get(f.errors, "source_deadline") ? NULL : form_str(&f, "source_deadline"),
        .status = form_str(&f, "source_status") ? form_str(&f, "source_status") : "preparing",
        .granted = -1,
    };
    if (form_str(&f, "source_granted")) {
        s.granted = ini_amount_field(&f, "source_granted");
        if (!grant && !json_object_get(f.errors, "source_granted"))
            form_error(&f, "source_granted", "initiative.error.granted_grant_only");
    }
    struct dbc *w = NULL;
    if (!begin(r, &f, &w)) return;
    back(r, &f, w ? initiative_source_add(w, WHO, &s, NULL) : WR_BUSY, "sources");
}

static void grant_post(struct req *r)
{
    struct form f;
    int64_t source = req_path_int(r, "source");
    form_read(&f, r, FORM_GRANT);
    int64_t granted = form_str(&f, "granted") ? ini_amount_field(&f, "granted") : -1;
    if (!form_ok(&f)) {
        json_t *msg = json_object_get(f.errors, "granted");
        if (!msg) msg = json_object_get(f.errors, "status");
        json_t *extra = json_pack("{sI so sO}", "entry", (json_int_t)source, "input",
                                  json_deep_copy(f.values), "message", msg ? msg : json_string(""));
        funds_render(r, 422, &f, req_own(r, extra));
        return;
    }
    struct dbc *w = req_write_begin(r);
    back(r, &f,
         w ? initiative_grant_update(w, WHO, source, form_str(&f, "status"), granted) : WR_BUSY,
         "sources");
}

static void income_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_INCOME);
    const char *from = form_str(&f, "income_from");
    char kind[16] = "";
    long long ref = 0;
    if (from && !json_object_get(f.errors, "income_from")) {
        int n = 0;
        if (str_eq(from, "other") || str_eq(from, "pledge"))
            snprintf(kind, sizeof kind, "%s", from);
        else if (sscanf(from, "%15[a-z]-%lld%n", kind, &ref, &n) != 2 || from[n] != 0 || ref <= 0 ||
                 str_eq(kind, "other") || form_choice_index(initiative_income_sources, kind) < 0)
            form_error(&f, "income_from", "error.bad_choice");
    }
    struct initiative_income_new in = {
        .source = kind,
        .ref = ref,
        .amount = ini_amount_field(&f, "income_amount"),
        .day = form_str(&f, "income_day"),
        .note = form_str(&f, "income_note"),
    };
    struct dbc *w = NULL;
    if (!begin(r, &f, &w)) return;
    back(r, &f, w ? initiative_income_add(w, WHO, &in) : WR_BUSY, "income");
}

static void spend_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_SPEND);
    struct initiative_spending_new s = {
        .line = form_num(&f, "fund_line", 0),
        .amount = ini_amount_field(&f, "fund_amount"),
        .day = form_str(&f, "fund_day"),
        .note = form_str(&f, "fund_note"),
    };
    struct dbc *w = NULL;
    if (!begin(r, &f, &w)) return;
    back(r, &f, w ? initiative_funds_spend(w, WHO, &s) : WR_BUSY, "income");
}

static void treasurer_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_TREASURER);
    int64_t member = member_pick(&f, "treasurer_member", "treasurer_name");
    if (!member && form_ok(&f)) form_error(&f, "treasurer_name", "error.required");
    struct dbc *w = NULL;
    if (!begin(r, &f, &w)) return;
    back(r, &f, w ? initiative_treasurer_set(w, r->comm->id, path_id(r), member, 1) : WR_BUSY,
         "treasurers");
}

static void treasurer_remove_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, FORM_TREASURER_REMOVE)) {
        form_release(&f);
        render_error(r, 422, "invalid", "error.invalid");
        return;
    }
    struct dbc *w = req_write_begin(r);
    back(r, &f,
         w ? initiative_treasurer_set(w, r->comm->id, path_id(r), form_num(&f, "member", 0), 0)
           : WR_BUSY,
         "treasurers");
}

#define ONE "/c/{slug}/initiatives/{id:int}/funds"
const struct route ini_funds_routes[] = {
    {"GET", ONE, CAP_C_READ, 0, FUNDS_PARAMS, funds_get, NULL},
    {"POST", ONE "/pledges", CAP_C_MEMBER, 0, NULL, pledge_post, FORM_PLEDGE},
    {"POST", ONE "/pledges/{pledge:int}/withdraw", CAP_C_MEMBER, 0, NULL, withdraw_post, NULL},
    {"POST", ONE "/pledges/{pledge:int}/fulfil", CAP_C_MEMBER, 0, NULL, fulfil_post, NULL},
    {"POST", ONE "/sources", CAP_C_MEMBER, 0, NULL, source_post, FORM_SOURCE},
    {"POST", ONE "/sources/{source:int}", CAP_C_MEMBER, 0, NULL, grant_post, FORM_GRANT},
    {"POST", ONE "/income", CAP_C_MEMBER, 0, NULL, income_post, FORM_INCOME},
    {"POST", ONE "/spending", CAP_C_MEMBER, 0, NULL, spend_post, FORM_SPEND},
    {"POST", ONE "/treasurers", CAP_C_ORGANIZE, 0, NULL, treasurer_post, FORM_TREASURER},
    {"POST", ONE "/treasurers/remove", CAP_C_ORGANIZE, 0, NULL, treasurer_remove_post,
     FORM_TREASURER_REMOVE},
    {0},
};
