/* Requests for help between two members, the organizer's overview with
 * its chart and CSV export, and the dashboard panel. */
#include "areas/community/community.h"
#include "areas/talent/internal.h"
#include "core/app.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"
#include "core/text.h"
#include "core/tmpl.h"

#include <stdlib.h>
#include <string.h>

/* ---- requests ---- */

static const struct field FORM_ASK[] = {
    {"message", F_TEXT, 1, 0, TALENT_MESSAGE_MAX, NULL, NULL},
    {"contact", F_TEXT, 1, 0, TALENT_CONTACT_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_ACCEPT[] = {
    {"contact", F_TEXT, 1, 0, TALENT_CONTACT_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_DONE[] = {
    {"thanks", F_TEXT, 0, 0, TALENT_MESSAGE_MAX, NULL, NULL},
    {"hours", F_INT, 0, 0, 100, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void ask_post(struct req *r)
{
    struct talent_row row;
    json_t *e;
    if (talent_path_entry(r, &row, &e) != 0) return;
    int64_t owner = row.owner, entry_id = row.id;
    struct form f;
    form_read(&f, r, FORM_ASK);
    /* said beside the message as the page is shown; the write decides
     * again on the writer */
    if (owner == r->comm->member_id)
        form_error(&f, "message", "talent.error.self");
    else if (!talent_is_member(req_db(r), r->comm->id, owner))
        form_error(&f, "message", "talent.error.left");
    if (!form_ok(&f)) {
        json_t *v = talent_base_view(r, "talent.entry.title");
        talent_decorate(r, e);
        json_object_set(v, "entry", e);
        json_object_set_new(v, "can_request", json_boolean(owner != r->comm->member_id));
        render_invalid(r, "talent/entry", v, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    int64_t id = 0;
    enum wr rc = w ? talent_request_create(w, r->comm->id, entry_id, r->comm->member_id,
                                           form_str(&f, "message"), form_str(&f, "contact"), &id)
                   : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, "talent.error.duplicate") == 0)
        render_redirect(r, talent_url(r, "/talents/requests"), "flash.talent_asked");
}

static const struct vfield REQUEST_FIELDS[] = {
    {"id", CAP_ANY},        {"entry_id", CAP_ANY},     {"status", CAP_ANY},
    {"message", CAP_ANY},   {"from_contact", CAP_ANY}, {"to_contact", CAP_ANY},
    {"thanks", CAP_ANY},    {"hours", CAP_ANY},        {"incoming", CAP_ANY},
    {"created", CAP_ANY},   {"entry_title", CAP_ANY},  {"entry_kind", CAP_ANY},
    {"from_name", CAP_ANY}, {"to_name", CAP_ANY},      {NULL, 0},
};

/* The viewer's requests with what the page shows of each status. */
static json_t *request_rows(struct req *r)
{
    struct vmask m = view_mask(r, REQUEST_FIELDS);
    json_t *rows = talent_request_list(req_db(r), &m, r->comm->id, r->comm->member_id);
    rows = req_own(r, rows ? rows : json_array());
    size_t i;
    json_t *q;
    json_array_foreach(rows, i, q)
    {
        const char *status = json_string_value(json_object_get(q, "status"));
        json_object_set_new(q, "incoming",
                            json_boolean(json_integer_value(json_object_get(q, "incoming"))));
        json_object_set_new(q, "status_label",
                            json_string(tr(r, arena_printf(r->arena, "talent.req.%s", status))));
        json_object_set_new(q, "is_open", json_boolean(str_eq(status, "open")));
        json_object_set_new(q, "is_accepted", json_boolean(str_eq(status, "accepted")));
        json_object_set_new(q, "is_done", json_boolean(str_eq(status, "done")));
    }
    return rows;
}

static void requests_get(struct req *r)
{
    json_t *v = talent_base_view(r, "talent.requests.title");
    json_object_set(v, "requests", request_rows(r));
    render_page(r, 200, "talent/requests", v);
}

/* 1 when the viewer is one of the parties the move allows; else answers
 * 404 (as the page always did) and returns 0. The write asks again. */
static int is_party(struct req *r, int parties)
{
    int64_t id = talent_path_id(r, "rid"), from = 0, to = 0, me = r->comm->member_id;
    int ok =
        id && talent_request_parties(req_db(r), r->comm->id, id, &from, &to) == 0 &&
        (((parties & TALENT_SENDER) && from == me) || ((parties & TALENT_RECIPIENT) && to == me));
    if (!ok) talent_not_found(r);
    return ok;
}

static void move(struct req *r, struct talent_move *m, const char *flash)
{
    m->who = r->comm->member_id;
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? talent_request_move(w, r->comm->id, talent_path_id(r, "rid"), m) : WR_BUSY;
    if (req_commit(r, rc, "talent.error.request_state") == 0)
        render_redirect(r, talent_url(r, "/talents/requests"), flash);
}

static void invalid_request(struct req *r, struct form *f)
{
    json_t *v = talent_base_view(r, "talent.requests.title");
    json_object_set(v, "requests", request_rows(r));
    json_object_set_new(v, "invalid", json_true());
    render_invalid(r, "talent/requests", v, f);
}

static void accept_post(struct req *r)
{
    if (!is_party(r, TALENT_RECIPIENT)) return;
    struct form f;
    if (!form_read(&f, r, FORM_ACCEPT)) {
        invalid_request(r, &f);
        return;
    }
    struct talent_move m = {"open", "accepted", TALENT_RECIPIENT, 0, form_str(&f, "contact"),
                            NULL,   0};
    move(r, &m, "flash.talent_accepted");
    form_release(&f);
}

static void decline_post(struct req *r)
{
    if (!is_party(r, TALENT_RECIPIENT)) return;
    struct talent_move m = {"open", "declined", TALENT_RECIPIENT, 0, NULL, NULL, 0};
    move(r, &m, "flash.talent_declined");
}

static void cancel_post(struct req *r)
{
    if (!is_party(r, TALENT_SENDER)) return;
    struct talent_move m = {"open", "cancelled", TALENT_SENDER, 0, NULL, NULL, 0};
    move(r, &m, "flash.talent_cancelled");
}

static void done_post(struct req *r)
{
    if (!is_party(r, TALENT_SENDER | TALENT_RECIPIENT)) return;
    struct form f;
    if (!form_read(&f, r, FORM_DONE)) {
        invalid_request(r, &f);
        return;
    }
    const char *thanks = form_str(&f, "thanks");
    struct talent_move m = {"accepted",
                            "done",
                            TALENT_SENDER | TALENT_RECIPIENT,
                            0,
                            NULL,
                            thanks ? thanks : "",
                            form_num(&f, "hours", 0)};
    move(r, &m, "flash.talent_done");
    form_release(&f);
}

/* ---- the organizer's overview ---- */

/* A horizontal bar chart of the counts by category; labels escaped. */
static const char *category_svg(struct req *r, json_t *counts)
{
    size_t n = json_array_size(counts);
    int64_t max = 1;
    size_t i;
    json_t *c;
    json_array_foreach(counts, i, c)
    {
        int64_t t = json_integer_value(json_object_get(c, "total"));
        if (t > max) max = t;
    }
    /* 440 units wide with 16-unit text: scaled down to a phone (345 px of
     * width) the text stays at least 12 px tall. */
    int row = 26, width = 440, left = 200, barw = width - left - 44;
    struct buf b;
    buf_init(&b);
    buf_printf(&b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
               "height=\"%d\" role=\"img\" aria-label=\"",
               width, (int)n * row + 10, width, (int)n * row + 10);
    html_escape(&b, tr(r, "talent.overview.chart"));
    buf_puts(&b, "\">");
    json_array_foreach(counts, i, c)
    {
        int64_t t = json_integer_value(json_object_get(c, "total"));
        int64_t needs = json_integer_value(json_object_get(c, "needs"));
        int y = (int)i * row + 5;
        int w = (int)(t * barw / max), wn = (int)(needs * barw / max);
        buf_printf(&b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"16\">", left - 8,
                   y + 17);
        html_escape(&b, json_string_value(json_object_get(c, "category_label")));
        buf_printf(&b,
                   "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" fill=\"#4a7c59\"/>"
                   "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" fill=\"#d08c2c\"/>"
                   "<text x=\"%d\" y=\"%d\" font-size=\"16\">%lld</text>",
                   left, y + 3, w, left, y + 3, wn, left + w + 6, y + 17, (long long)t);
    }
    buf_puts(&b, "</svg>");
    const char *s = arena_strdup(r->arena, b.data);
    buf_free(&b);
    return s;
}

static void decorate_all(struct req *r, json_t *rows)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        talent_decorate(r, row);
    }
}

/* The n newest entries the viewer may see, decorated for a view (from the
 * date index; new ref). */
static json_t *newest_entries(struct req *r, int n)
{
    struct talent_viewer tv = talent_viewer_of(r);
    struct talent_search s = {NULL, NULL, NULL, NULL, 0, n, 0, 0};
    struct vmask m = view_mask(r, talent_entry_fields);
    struct talent_rows fresh;
    talent_entry_search(req_db(r), r->arena, &m, r->comm->id, &tv, &s, &fresh);
    decorate_all(r, fresh.view);
    return fresh.view ? fresh.view : json_array();
}

static void overview_get(struct req *r)
{
    struct dbc *c = req_db(r);
    json_t *counts = talent_counts_by_category(c, r->comm->id);
    decorate_all(r, counts);
    json_t *v = talent_base_view(r, "talent.overview.title");
    /* the chart decorates the page; JSON has its numbers in counts */
    if (!r->want_json) view_put_html(r, v, "chart_svg", category_svg(r, counts));
    json_object_set_new(v, "counts", counts);
    json_object_set_new(v, "total", json_integer(talent_entry_count(c, r->comm->id, 0)));
    json_object_set_new(v, "hours", json_integer(talent_hours(c, r->comm->id)));
    json_object_set_new(v, "top_offers", talent_top_tags(c, r->comm->id, "offer", 10));
    json_object_set_new(v, "top_needs", talent_top_tags(c, r->comm->id, "need", 10));
    json_t *unmet = talent_unmet_needs(c, r->comm->id, 30);
    decorate_all(r, unmet);
    json_object_set_new(v, "unmet", unmet);
    json_t *unasked = talent_unasked_offers(c, r->comm->id, 30);
    decorate_all(r, unasked);
    json_object_set_new(v, "unasked", unasked);
    json_object_set_new(v, "fresh", newest_entries(r, 10));
    render_page(r, 200, "talent/overview", v);
}

/* The bank as a spreadsheet for organizers: UTF-8 with a byte order mark
 * (without it Excel reads the Cyrillic as mojibake), the headers and values
 * as the pages show them in the viewer's language (labels, not keys), and
 * a file name that says what it holds and when: talents-SLUG-YYYY-MM-DD. */
static void export_get(struct req *r)
{
    static const struct {
        const char *header, *column, *labels; /* labels: the catalog prefix of its values */
    } COLS[] = {
        {"talent.field.kind", "kind", "talent.kind"},
        {"talent.field.category", "category", "talent.cat"},
        {"talent.field.title", "title", NULL},
        {"talent.field.body", "body", NULL},
        {"talent.field.tags", "tags", NULL},
        {"talent.field.availability", "availability", "talent.avail"},
        {"talent.csv.name", "display_name", NULL},
        {"talent.csv.created", "created", NULL},
    };
    /* A list of members' offers and needs leaves the server: the other
     * organizers see that it did, and who took it (the audit log). */
    if (community_audit_export(r, "talents.csv") != 0) return;
    json_t *rows = req_own(r, talent_export_rows(req_db(r), r->comm->id));
    struct buf b;
    buf_init(&b);
    buf_puts(&b, "\xEF\xBB\xBF");
    for (size_t k = 0; k < HR_ARRAY_LEN(COLS); k++) {
        if (k) buf_putc(&b, ',');
        csv_escape(&b, tr(r, COLS[k].header));
    }
    buf_puts(&b, "\r\n");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        for (size_t k = 0; k < HR_ARRAY_LEN(COLS); k++) {
            if (k) buf_putc(&b, ',');
            const char *v = json_string_value(json_object_get(row, COLS[k].column));
            if (COLS[k].labels && v) v = tr(r, arena_printf(r->arena, "%s.%s", COLS[k].labels, v));
            csv_escape(&b, v);
        }
        buf_puts(&b, "\r\n");
    }
    char day[11];
    date_format(now_s(), day);
    req_add_header(
        r, "Content-Disposition",
        arena_printf(r->arena, "attachment; filename=\"talents-%s-%s.csv\"", r->comm->slug, day));
    render_bytes(r, 200, "text/csv; charset=utf-8", b.data, b.len);
    buf_free(&b);
}

/* ---- the dashboard panel ---- */

int talent_panel_fill(struct req *r, json_t *ctx)
{
    if (!req_has(r, CAP_C_MEMBER)) return 0;
    /* The dashboard is the most visited page: it shows what comes from an
     * index each (counts, the three newest entries) and the best match of
     * the member's newest entry only; the matches of all their entries are
     * on "mine". */
    struct dbc *c = req_db(r);
    json_object_set_new(ctx, "slug", json_string(r->comm->slug));
    json_object_set_new(
        ctx, "mine",
        json_integer((json_int_t)talent_entry_count(c, r->comm->id, r->comm->member_id)));
    json_object_set_new(ctx, "hours", json_integer((json_int_t)talent_hours(c, r->comm->id)));
    struct talent_viewer tv = talent_viewer_of(r);
    /* what neighbours wrote last */
    json_object_set_new(ctx, "fresh", newest_entries(r, 3));
    /* the newest entry of the viewer's, read for matching only */
    struct talent_search s = {NULL, NULL, NULL, NULL, r->comm->member_id, 1, 0, 1};
    struct talent_rows newest;
    talent_entry_search(c, r->arena, NULL, r->comm->id, &tv, &s, &newest);
    if (newest.n) {
        json_t *m = req_own(r, talent_matches(r, &newest.v[0], 1));
        json_t *best = json_array_get(m, 0);
        if (best) {
            json_object_set_new(best, "for", json_string(newest.v[0].title));
            json_object_set(ctx, "best", best);
        }
    }
    return 1;
}

const struct route talent_help_routes[] = {
    {"GET", "/c/{slug}/talents/requests", CAP_C_MEMBER, 0, NULL, requests_get, NULL},
    {"POST", "/c/{slug}/talents/{id:int}/ask", CAP_C_MEMBER, 0, NULL, ask_post, FORM_ASK},
    {"POST", "/c/{slug}/talents/requests/{rid:int}/accept", CAP_C_MEMBER, 0, NULL, accept_post,
     FORM_ACCEPT},
    {"POST", "/c/{slug}/talents/requests/{rid:int}/decline", CAP_C_MEMBER, 0, NULL, decline_post,
     NULL},
    {"POST", "/c/{slug}/talents/requests/{rid:int}/cancel", CAP_C_MEMBER, 0, NULL, cancel_post,
     NULL},
    {"POST", "/c/{slug}/talents/requests/{rid:int}/done", CAP_C_MEMBER, 0, NULL, done_post,
     FORM_DONE},
    {"GET", "/c/{slug}/talents/overview", CAP_C_ORGANIZE, 0, NULL, overview_get, NULL},
    {"GET", "/c/{slug}/talents/export.csv", CAP_C_ORGANIZE, 0, NULL, export_get, NULL},
    {0},
};
