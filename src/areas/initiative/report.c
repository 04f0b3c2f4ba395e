/* The transparency report of an initiative: income by source, spending by
 * budget line (planned against spent), what is left, and the pledges and
 * grants in counts and sums; as a page (and its JSON, Accept:
 * application/json) at /c/{slug}/initiatives/{id}/report and as CSV at
 * .../report.csv. It is read as the initiative is (members of a closed or
 * secret community, anyone in a public one), and it names no person in
 * any community: a report is what gets forwarded, printed and pinned on
 * the notice board, so what a member gave stays on the funds page, for
 * members (docs/architecture.md says why). */
#include "areas/initiative/funds.h"
#include "areas/initiative/internal.h"
#include "core/text.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

/* minor as the page writes it, a minus before a negative amount. */
static const char *signed_text(struct req *r, int64_t minor)
{
    if (minor >= 0) return ini_amount_text(r, minor);
    return arena_printf(r->arena, "\xe2\x88\x92%s", ini_amount_text(r, -minor));
}

/* minor as a plain decimal for a spreadsheet: "-1234.50". */
static const char *csv_amount(struct req *r, int64_t minor)
{
    int64_t a = minor < 0 ? -minor : minor;
    return arena_printf(r->arena, "%s%lld.%02lld", minor < 0 ? "-" : "", (long long)(a / 100),
                        (long long)(a % 100));
}

struct report {
    struct initiative x;
    struct initiative_report sums;
    json_t *lines; /* request-owned */
};

/* The initiative and its sums; 0, or -1 having answered 404 (none) or 500. */
static int report_load(struct req *r, struct report *rep)
{
    int64_t id = req_path_int(r, "id");
    struct dbc *c = req_db(r);
    if (initiative_find(c, r->arena, r->comm->id, id, &rep->x) != 0) {
        ini_not_found(r);
        return -1;
    }
    rep->lines = req_own(r, initiative_report_lines(c, r->comm->id, id));
    if (!rep->lines || initiative_report_read(c, r->comm->id, id, &rep->sums) != 0) {
        render_error(r, 500, "internal", "error.internal");
        return -1;
    }
    return 0;
}

static void report_get(struct req *r)
{
    struct report rep;
    if (report_load(r, &rep) != 0) return;
    const struct initiative_report *s = &rep.sums;
    json_t *v = ini_base_view(r, "initiative.report.title");
    json_object_set_new(
        v, "initiative",
        json_pack("{sI ss}", "id", (json_int_t)rep.x.id, "title", rep.x.title ? rep.x.title : ""));
    char *cur = initiative_currency(req_db(r), r->comm->id);
    json_object_set_new(v, "currency", json_string(cur));
    free(cur);
    json_t *income = req_own(r, json_array());
    for (int i = 0; i < INITIATIVE_INCOME_SOURCES; i++) {
        const char *k = initiative_income_sources[i];
        json_array_append_new(income,
                              json_pack("{ss ss sI ss}", "source", k, "label",
                                        tr(r, arena_printf(r->arena, "initiative.source.%s", k)),
                                        "amount", (json_int_t)s->income[i], "amount_text",
                                        ini_amount_text(r, s->income[i])));
    }
    json_object_set(v, "income", income);
    size_t i;
    json_t *row;
    json_array_foreach(rep.lines, i, row)
    {
        int64_t planned = json_integer_value(json_object_get(row, "planned"));
        int64_t spent = json_integer_value(json_object_get(row, "spent"));
        json_object_del(row, "entry");
        json_object_set_new(row, "planned_text", json_string(ini_amount_text(r, planned)));
        json_object_set_new(row, "spent_text", json_string(ini_amount_text(r, spent)));
        json_object_set_new(row, "left", json_integer(planned - spent));
        json_object_set_new(row, "left_text", json_string(signed_text(r, planned - spent)));
        json_object_set_new(
            row, "pledged_text",
            json_string(ini_amount_text(r, json_integer_value(json_object_get(row, "pledged")))));
        json_object_set_new(row, "over", json_boolean(spent > planned));
    }
    json_object_set(v, "lines", rep.lines);
    json_t *t = json_pack(
        "{sI sI sI sI sI sI sI sI sI sI sI sI sI sI}", "income", (json_int_t)s->income_total,
        "planned", (json_int_t)s->planned, "spent", (json_int_t)s->spent, "left",
        (json_int_t)s->left, "unfunded", (json_int_t)s->unfunded, "pledges", (json_int_t)s->pledges,
        "pledges_fulfilled", (json_int_t)s->pledges_fulfilled, "pledged_money",
        (json_int_t)s->pledged_money, "pledged_hours", (json_int_t)s->pledged_hours, "asked",
        (json_int_t)s->asked, "granted", (json_int_t)s->granted, "withdrawn",
        (json_int_t)s->withdrawn, "withdrawn_money", (json_int_t)s->withdrawn_money,
        "withdrawn_hours", (json_int_t)s->withdrawn_hours);
    static const char *const money[] = {"income",        "planned", "spent",   "unfunded",
                                        "pledged_money", "asked",   "granted", "withdrawn_money"};
    for (size_t k = 0; k < HR_ARRAY_LEN(money); k++)
        json_object_set_new(
            t, arena_printf(r->arena, "%s_text", money[k]),
            json_string(ini_amount_text(r, json_integer_value(json_object_get(t, money[k])))));
    json_object_set_new(t, "left_text", json_string(signed_text(r, s->left)));
    json_object_set_new(t, "overspent", json_boolean(s->left < 0));
    json_object_set_new(v, "totals", t);
    json_object_set_new(v, "pledges_text",
                        json_string(tr_n(r, "initiative.report.pledges", "n", s->pledges)));
    json_object_set_new(v, "pledged_hours_text",
                        json_string(tr_n(r, "initiative.task.hours", "hours", s->pledged_hours)));
    /* what was promised and taken back: counts and sums, no names */
    json_object_set_new(v, "withdrawn_text",
                        json_string(tr_n(r, "initiative.report.withdrawn", "n", s->withdrawn)));
    json_object_set_new(v, "withdrawn_hours_text",
                        json_string(tr_n(r, "initiative.task.hours", "hours", s->withdrawn_hours)));
    json_object_set_new(
        v, "csv_url",
        json_string(arena_printf(r->arena, "%s/report.csv", ini_page_url(r, rep.x.id))));
    render_page(r, 200, "initiative/report", v);
}

static void cell(struct buf *b, const char *s, int last)
{
    csv_escape(b, s ? s : "");
    buf_puts(b, last ? "\r\n" : ",");
}

static void csv_line(struct buf *b, const char *section, const char *item, const char *planned,
                     const char *amount)
{
    cell(b, section, 0);
    cell(b, item, 0);
    cell(b, planned, 0);
    cell(b, amount, 1);
}

static void report_csv(struct req *r)
{
    struct report rep;
    if (report_load(r, &rep) != 0) return;
    const struct initiative_report *s = &rep.sums;
    struct buf b;
    buf_init(&b);
    buf_puts(&b, "\xEF\xBB\xBF");
    char *cur = initiative_currency(req_db(r), r->comm->id);
    csv_line(&b, tr(r, "initiative.csv.section"), tr(r, "initiative.csv.item"),
             tr_s(r, "initiative.csv.planned", "currency", cur),
             tr_s(r, "initiative.csv.amount", "currency", cur));
    free(cur);
    const char *in = tr(r, "initiative.report.income");
    for (int i = 0; i < INITIATIVE_INCOME_SOURCES; i++)
        csv_line(
            &b, in,
            tr(r, arena_printf(r->arena, "initiative.source.%s", initiative_income_sources[i])), "",
            csv_amount(r, s->income[i]));
    csv_line(&b, in, tr(r, "initiative.report.total"), "", csv_amount(r, s->income_total));
    const char *out = tr(r, "initiative.report.spending");
    size_t i;
    json_t *row;
    json_array_foreach(rep.lines, i, row)
    {
        csv_line(&b, out, json_string_value(json_object_get(row, "name")),
                 csv_amount(r, json_integer_value(json_object_get(row, "planned"))),
                 csv_amount(r, json_integer_value(json_object_get(row, "spent"))));
    }
    csv_line(&b, out, tr(r, "initiative.report.total"), csv_amount(r, s->planned),
             csv_amount(r, s->spent));
    csv_line(&b, tr(r, "initiative.report.left"), "", "", csv_amount(r, s->left));
    const char *pl = tr(r, "initiative.pledges");
    csv_line(&b, pl, tr(r, "initiative.report.pledged"), "", csv_amount(r, s->pledged_money));
    csv_line(&b, pl, tr(r, "initiative.report.withdrawn_sum"), "",
             csv_amount(r, s->withdrawn_money));
    char day[11];
    date_format(now_s(), day);
    req_add_header(r, "Content-Disposition",
                   arena_printf(r->arena,
                                "attachment; filename=\"initiative-%s-%lld-report-%s.csv\"",
                                r->comm->slug, (long long)rep.x.id, day));
    render_bytes(r, 200, "text/csv; charset=utf-8", b.data, b.len);
    buf_free(&b);
}

#define ONE "/c/{slug}/initiatives/{id:int}"
const struct route ini_report_routes[] = {
    {"GET", ONE "/report", CAP_C_READ, 0, NULL, report_get, NULL},
    {"GET", ONE "/report.csv", CAP_C_READ, 0, NULL, report_csv, NULL},
    {0},
};
