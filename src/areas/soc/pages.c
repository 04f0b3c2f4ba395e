/* Sense-of-community pages: the waves, answering, the results, settings.
 * Every view holds aggregates only; see calc.c for the anonymity design. */
#include "areas/soc/soc.h"
#include "core/app.h"
#include "core/ballot.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"
#include "core/tmpl.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t today(void)
{
    int64_t t = now_s();
    return t - t % 86400;
}

static const char *day_str(struct req *r, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    return arena_printf(r->arena, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static const char *factor_key(struct req *r, const char *what, int f)
{
    return arena_printf(r->arena, "soc.%s.%s", what, soc_factors[f]);
}

static int64_t path_id(struct req *r)
{
    int64_t id = 0;
    if (str_to_i64(req_path(r, "id"), &id) != 0 || id <= 0) return 0;
    return id;
}

static const char *fmt1(struct req *r, double v)
{
    return fmt_decimal(r, v);
}

/* Decorates a wave row with its state and what may be shown of it, from
 * its ballot box (into *b); the box's id stays out of the view. -1 when
 * the box cannot be read. */
static int wave_decorate(struct req *r, json_t *w, struct ballot_info *b)
{
    static const char *const st_names[] = {"upcoming", "open", "closed"};
    int rc = ballot_get(req_db(r), json_integer_value(json_object_get(w, "box_id")), b);
    enum soc_state st = rc == 0 ? soc_state_of(b, now_s()) : SOC_CLOSED;
    json_object_set_new(w, "state", json_string(st_names[st]));
    json_object_set_new(w, "state_label",
                        json_string(tr(r, arena_printf(r->arena, "soc.state.%s", st_names[st]))));
    json_object_set_new(w, "is_open", json_boolean(st == SOC_OPEN));
    json_object_set_new(w, "is_closed", json_boolean(st == SOC_CLOSED));
    json_object_set_new(w, "answers", json_integer(b->cast));
    json_object_set_new(w, "members", json_integer(b->eligible));
    json_object_set_new(w, "k", json_integer(b->k));
    json_object_set_new(w, "needed", json_integer(ballot_needed(b)));
    json_object_set_new(w, "visible", json_boolean(rc == 0 && ballot_visible(b)));
    json_object_del(w, "opens_on");
    json_object_del(w, "closes_on");
    json_object_del(w, "box_id");
    return rc;
}

/* A wave's results as the viewer may see them; with_comments adds the
 * comments (the results page; the dashboard panel needs only the
 * weakest factor). */
static json_t *wave_results(struct req *r, const struct ballot_info *b, int with_comments)
{
    json_t *res = json_object();
    int visible = ballot_visible(b);
    json_object_set_new(res, "visible", json_boolean(visible));
    json_object_set_new(res, "k", json_integer(b->k));
    if (!visible) return res;
    struct soc_stats s[SOC_FACTORS];
    if (soc_wave_stats(req_db(r), b, s) != 0) return res;
    json_object_set_new(res, "answers", json_integer(b->cast));
    json_object_set_new(res, "rate_pct", json_integer(soc_rate_pct(b->cast, b->eligible)));
    json_t *comments[SOC_FACTORS] = {NULL};
    if (with_comments) soc_wave_comments(req_db(r), b, comments);
    json_t *factors = json_array();
    for (int f = 0; f < SOC_FACTORS; f++) {
        json_t *bars = json_array();
        int64_t top = 1;
        for (int v = 0; v < SOC_SCALE; v++)
            if (s[f].dist[v] > top) top = s[f].dist[v];
        for (int v = 0; v < SOC_SCALE; v++)
            json_array_append_new(
                bars,
                json_pack("{sI sI sI sI}", "value", (json_int_t)(v + 1), "count",
                          (json_int_t)s[f].dist[v], "pct",
                          (json_int_t)(s[f].n ? (s[f].dist[v] * 100 + s[f].n / 2) / s[f].n : 0),
                          "width", (json_int_t)(s[f].dist[v] * 100 / top)));
        json_t *fo = json_pack("{ss ss ss ss so so}", "key", soc_factors[f], "label",
                               tr(r, factor_key(r, "factor", f)), "mean", fmt1(r, s[f].mean),
                               "median", fmt1(r, s[f].median), "bars", bars, "comments",
                               comments[f] ? comments[f] : json_array());
        json_array_append_new(factors, fo);
    }
    json_object_set_new(res, "factors", factors);
    int weak = soc_weakest(s);
    if (weak >= 0)
        json_object_set_new(res, "weakest",
                            json_pack("{ss ss ss}", "key", soc_factors[weak], "label",
                                      tr(r, factor_key(r, "factor", weak)), "advice",
                                      tr(r, factor_key(r, "advice", weak))));
    return res;
}

/* The answer form's factors, with the values given (form or own answer)
 * and the field errors. */
static json_t *answer_factors(struct req *r, json_t *values, json_t *errors)
{
    json_t *a = json_array();
    for (int f = 0; f < SOC_FACTORS; f++) {
        const char *key = soc_factors[f];
        const char *ckey = arena_printf(r->arena, "c_%s", key);
        json_t *v = json_object_get(values, key);
        char cur[24] = "";
        if (json_is_integer(v))
            snprintf(cur, sizeof cur, "%lld", (long long)json_integer_value(v));
        else if (json_is_string(v))
            snprintf(cur, sizeof cur, "%s", json_string_value(v));
        json_t *opts = json_array();
        for (int i = 1; i <= SOC_SCALE; i++) {
            char s[12];
            snprintf(s, sizeof s, "%d", i);
            json_array_append_new(opts,
                                  json_pack("{si sb}", "value", i, "checked", strcmp(s, cur) == 0));
        }
        json_t *c = json_object_get(values, ckey);
        json_t *item = json_pack("{ss ss ss ss ss so}", "key", key, "ckey", ckey, "label",
                                 tr(r, factor_key(r, "factor", f)), "hint",
                                 tr(r, factor_key(r, "question", f)), "comment",
                                 json_is_string(c) ? json_string_value(c) : "", "options", opts);
        json_t *e = json_object_get(errors, key);
        if (e) json_object_set(item, "error", e);
        e = json_object_get(errors, ckey);
        if (e) json_object_set(item, "comment_error", e);
        json_array_append_new(a, item);
    }
    return a;
}

static json_t *base_view(struct req *r, const char *title)
{
    json_t *v =
        json_pack("{ss ss ss}", "title", title, "slug", r->comm->slug, "community", r->comm->name);
    int staff = r->comm->role == ROLE_ORGANIZER || r->comm->role == ROLE_FACILITATOR;
    json_object_set_new(v, "is_staff", json_boolean(staff));
    json_object_set_new(v, "is_organizer", json_boolean(r->comm->role == ROLE_ORGANIZER));
    json_object_set_new(v, "is_coord",
                        json_boolean(r->acct && (r->acct->is_coord || r->acct->is_admin)));
    return v;
}

/* Whether the member may answer the open wave, and whether they have. */
static void open_wave_status(struct req *r, int64_t box, json_t *ow)
{
    char voter[24];
    soc_voter(r->acct->id, voter);
    const char *voters[] = {voter};
    int answered = ballot_has_voted(req_db(r), box, voters, 1);
    json_object_set_new(ow, "answered", json_boolean(answered));
    json_object_set_new(ow, "eligible",
                        json_boolean(answered || ballot_on_roll(req_db(r), box, voter)));
}

/* The page of waves: the open wave's form, the latest results, the trend.
 * form_values/errors: a rejected answer to show again (may be NULL). */
static json_t *index_view(struct req *r, json_t *form_values, json_t *errors)
{
    struct dbc *db = req_db(r);
    int64_t k = soc_k_of(db, r->comm->id);
    json_t *v = base_view(r, tr(r, "soc.title"));
    json_object_set_new(v, "k", json_integer(k));
    json_object_set_new(v, "k_min", json_integer(SOC_K_MIN));
    json_object_set_new(v, "share", json_boolean(soc_share_of(db, r->comm->id)));
    json_t *waves = soc_wave_list(db, r->comm->id);
    if (!waves) waves = json_array();
    size_t nw = json_array_size(waves);
    struct ballot_info *boxes = arena_alloc(r->arena, sizeof *boxes * (nw ? nw : 1));
    json_t *open = NULL, *latest = NULL;
    int64_t open_box = 0;
    const struct ballot_info *latest_box = NULL;
    int nvis = 0;
    for (size_t i = 0; i < nw; i++) {
        json_t *w = json_array_get(waves, i);
        int64_t box = json_integer_value(json_object_get(w, "box_id"));
        if (wave_decorate(r, w, &boxes[i]) != 0) continue;
        if (!open && json_is_true(json_object_get(w, "is_open"))) {
            open = w;
            open_box = box;
        }
        if (json_is_true(json_object_get(w, "visible"))) {
            if (!latest) {
                latest = w;
                latest_box = &boxes[i];
            }
            nvis++;
        }
    }
    if (open) {
        json_t *ow = json_deep_copy(open);
        open_wave_status(r, open_box, ow);
        json_object_set_new(ow, "factors", answer_factors(r, form_values, errors));
        json_object_set_new(v, "open", ow);
    }
    if (latest) {
        json_t *lw = json_deep_copy(latest);
        json_object_set_new(lw, "results", wave_results(r, latest_box, 1));
        json_object_set_new(v, "latest", lw);
    }
    if (nvis >= 2) {
        double(*means)[SOC_FACTORS] = arena_alloc(r->arena, sizeof *means * (size_t)nvis);
        const char **labels = arena_alloc(r->arena, sizeof *labels * (size_t)nvis);
        int j = nvis;
        for (size_t i = 0; i < nw; i++) {
            json_t *w = json_array_get(waves, i);
            if (!json_is_true(json_object_get(w, "visible"))) continue;
            struct soc_stats s[SOC_FACTORS];
            if (soc_wave_stats(db, &boxes[i], s) != 0) continue;
            j--;
            for (int f = 0; f < SOC_FACTORS; f++)
                means[j][f] = s[f].mean;
            labels[j] = json_string_value(json_object_get(w, "closes"));
        }
        const char *names[SOC_FACTORS];
        for (int f = 0; f < SOC_FACTORS; f++)
            names[f] = tr(r, factor_key(r, "factor", f));
        struct buf b;
        buf_init(&b);
        soc_trend_svg(&b, nvis - j, means + j, labels + j, names, tr(r, "soc.trend"));
        json_object_set_new(v, "trend_svg", json_string(b.data ? b.data : ""));
        buf_free(&b);
    }
    json_object_set_new(v, "waves", waves);
    json_object_set_new(v, "form",
                        json_pack("{ss ss sI}", "opens_on", day_str(r, today()), "closes_on",
                                  day_str(r, today() + 14 * 86400), "k", (json_int_t)k));
    return v;
}

static void index_get(struct req *r)
{
    ballot_settle(r);
    render_page(r, 200, "soc/index", index_view(r, NULL, NULL));
}

/* The wave of the path, decorated, with its box in *b; NULL after a 404. */
static json_t *load_wave(struct req *r, struct ballot_info *b, int64_t *box)
{
    int64_t id = path_id(r);
    json_t *w = id ? soc_wave_get(req_db(r), r->comm->id, id) : NULL;
    if (w && box) *box = json_integer_value(json_object_get(w, "box_id"));
    if (!w || wave_decorate(r, w, b) != 0) {
        json_decref(w);
        render_error(r, 404, "not_found", "error.not_found");
        return NULL;
    }
    return w;
}

static void wave_get(struct req *r)
{
    ballot_settle(r);
    struct ballot_info b;
    json_t *w = load_wave(r, &b, NULL);
    if (!w) return;
    json_t *v = base_view(r, tr(r, "soc.wave.title"));
    json_object_set_new(w, "results", wave_results(r, &b, 1));
    json_object_set_new(v, "wave", w);
    render_page(r, 200, "soc/wave", v);
}

/* The aggregates as CSV (UTF-8 with BOM): one row per factor. */
static void wave_csv(struct req *r)
{
    ballot_settle(r);
    struct ballot_info b;
    json_t *w = load_wave(r, &b, NULL);
    if (!w) return;
    /* The file says what and when: the community and the wave's last day. */
    const char *name = arena_printf(r->arena, "attachment; filename=\"soc-%s-%s.csv\"",
                                    r->comm->slug, json_string_value(json_object_get(w, "closes")));
    json_decref(w);
    struct soc_stats s[SOC_FACTORS];
    if (!ballot_visible(&b) || soc_wave_stats(req_db(r), &b, s) != 0) {
        render_error(r, 404, "not_found", "soc.results.hidden");
        return;
    }
    struct buf out;
    buf_init(&out);
    buf_puts(&out, "\xEF\xBB\xBF");
    buf_printf(&out, "\"%s\",\"%s\",\"%s\",\"%s\"", tr(r, "soc.csv.factor"), tr(r, "soc.csv.n"),
               tr(r, "soc.mean"), tr(r, "soc.median"));
    for (int v = 1; v <= SOC_SCALE; v++)
        buf_printf(&out, ",\"%d\"", v);
    buf_puts(&out, "\r\n");
    for (int f = 0; f < SOC_FACTORS; f++) {
        buf_printf(&out, "\"%s\",%lld,%.2f,%.1f", tr(r, factor_key(r, "factor", f)),
                   (long long)s[f].n, s[f].mean, s[f].median);
        for (int v = 0; v < SOC_SCALE; v++)
            buf_printf(&out, ",%lld", (long long)s[f].dist[v]);
        buf_puts(&out, "\r\n");
    }
    req_add_header(r, "Content-Disposition", name);
    render_bytes(r, 200, "text/csv; charset=utf-8", out.data, out.len);
    buf_free(&out);
}

/* Re-renders the answer form with the member's input and the errors. */
static void answer_invalid(struct req *r, struct form *f)
{
    json_t *v = index_view(r, f->values, f->errors);
    if (!json_object_get(v, "open")) json_object_set_new(v, "closed_error", json_true());
    render_invalid(r, "soc/index", v, f);
}

static void answer_post(struct req *r)
{
    struct ballot_info b;
    int64_t box = 0;
    json_t *w = load_wave(r, &b, &box);
    if (!w) return;
    json_decref(w);
    struct form f;
    form_init(&f, r);
    int64_t vals[SOC_FACTORS];
    const char *comments[SOC_FACTORS];
    for (int i = 0; i < SOC_FACTORS; i++) {
        form_int(&f, soc_factors[i], 1, 1, SOC_SCALE, 0, &vals[i]);
        const char *c =
            form_text(&f, arena_printf(r->arena, "c_%s", soc_factors[i]), 0, SOC_COMMENT_MAX);
        comments[i] = c ? c : "";
    }
    if (!ballot_is_open(&b, now_s())) form_error(&f, "wave", "soc.error.closed");
    if (!form_ok(&f)) {
        answer_invalid(r, &f);
        return;
    }
    /* Whether the wave is still open, the member on its roll and without
     * an answer is decided by the writer, inside the transaction. */
    struct dbc *wr = req_write_begin(r);
    enum ballot_rc rc =
        wr ? soc_answer_cast(wr, box, r->acct->id, vals, comments, now_s()) : BALLOT_DB_ERROR;
    if (!wr || req_write_end(r, rc == BALLOT_OK) != 0) rc = BALLOT_DB_ERROR;
    if (rc == BALLOT_OK) {
        form_release(&f);
        ballot_flush(r->app->db);
        render_redirect(r, arena_printf(r->arena, "/c/%s/soc", r->comm->slug),
                        "soc.flash.answered");
        return;
    }
    switch (rc) {
    case BALLOT_ALREADY:
        form_error(&f, "wave", "soc.error.twice");
        break;
    case BALLOT_NOT_ELIGIBLE:
        form_error(&f, "wave", "soc.error.not_eligible");
        break;
    case BALLOT_CLOSED:
    case BALLOT_NOT_YET:
    case BALLOT_NOT_FOUND:
        form_error(&f, "wave", "soc.error.closed");
        break;
    default:
        form_release(&f);
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    /* A state, not a mistake in the form: 409 with the page that says so. */
    json_t *v = index_view(r, NULL, f.errors);
    if (!json_object_get(v, "open")) json_object_set_new(v, "closed_error", json_true());
    json_object_set(v, "errors", f.errors);
    form_release(&f);
    render_page(r, 409, "soc/index", v);
}

static void wave_new_post(struct req *r)
{
    struct form f;
    form_init(&f, r);
    int64_t from = 0, to = 0;
    int a = form_date(&f, "opens_on", 1, &from);
    int b = form_date(&f, "closes_on", 1, &to);
    if (a == 0 && b == 0) {
        if (to < from)
            form_error(&f, "closes_on", "soc.error.dates");
        else if (to < today())
            form_error(&f, "closes_on", "soc.error.past");
        else if (soc_wave_overlaps(req_db(r), r->comm->id, from, to, now_s()))
            form_error(&f, "opens_on", "soc.error.overlap");
    }
    if (!form_ok(&f)) {
        render_invalid(r, "soc/index", index_view(r, NULL, NULL), &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    int64_t id = w ? soc_wave_create(w, r->comm->id, from, to) : -1;
    if (!w || req_write_end(r, id > 0) != 0 || id <= 0) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    render_redirect(r, arena_printf(r->arena, "/c/%s/soc", r->comm->slug), "soc.flash.opened");
}

/* Closing is final: a page says so before the button does it. */
static void wave_close_get(struct req *r)
{
    struct ballot_info b;
    json_t *w = load_wave(r, &b, NULL);
    if (!w) return;
    json_t *v = base_view(r, tr(r, "soc.close.title"));
    json_object_update(v, w);
    json_decref(w);
    render_page(r, 200, "soc/confirm", v);
}

static void wave_close_post(struct req *r)
{
    int64_t id = path_id(r);
    struct dbc *w = req_write_begin(r);
    enum ballot_rc rc = w ? soc_wave_close(w, r->comm->id, id) : BALLOT_DB_ERROR;
    if (!w || req_write_end(r, rc == BALLOT_OK) != 0) rc = rc == BALLOT_OK ? BALLOT_DB_ERROR : rc;
    if (rc == BALLOT_NOT_FOUND) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    if (rc == BALLOT_CLOSED) {
        render_error(r, 409, "closed", "soc.error.closed_already");
        return;
    }
    if (rc != BALLOT_OK) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    ballot_flush(r->app->db);
    render_redirect(r, arena_printf(r->arena, "/c/%s/soc/waves/%lld", r->comm->slug, (long long)id),
                    "soc.flash.closed");
}

static void settings_post(struct req *r)
{
    struct form f;
    form_init(&f, r);
    int64_t k = SOC_K_DEFAULT;
    if (form_int(&f, "k", 1, SOC_K_MIN, SOC_K_MAX, SOC_K_DEFAULT, &k) != 0 &&
        json_object_get(f.errors, "k"))
        form_error(&f, "k", "soc.error.k");
    const char *share = req_param(r, "share");
    if (!form_ok(&f)) {
        render_invalid(r, "soc/index", index_view(r, NULL, NULL), &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    int rc = w ? soc_settings_set(w, r->comm->id, k, !str_empty(share)) : -1;
    if (!w || req_write_end(r, rc == 0) != 0 || rc != 0) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    render_redirect(r, arena_printf(r->arena, "/c/%s/soc", r->comm->slug), "flash.saved");
}

/* Coordinators: the latest shared results of the programme's communities:
 * per community, its newest wave whose results are visible. A secret
 * community never appears by name or address outside it: its figures go
 * into one unnamed row, shown only when at least SOC_K_MIN such
 * communities are in it (so that no single one can be read off). */
static void compare_get(struct req *r)
{
    ballot_settle(r);
    json_t *v = base_view(r, tr(r, "soc.compare.title"));
    json_t *rows = soc_shared_waves(req_db(r));
    json_t *out = json_array();
    const char *done = NULL; /* the slug whose wave was taken */
    double hidden_sum[SOC_FACTORS] = {0};
    int64_t hidden = 0;
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *row = json_array_get(rows, i);
        const char *slug = json_string_value(json_object_get(row, "slug"));
        struct ballot_info b;
        if (done && str_eq(done, slug)) continue;
        if (ballot_get(req_db(r), json_integer_value(json_object_get(row, "box_id")), &b) != 0 ||
            !ballot_visible(&b))
            continue;
        struct soc_stats s[SOC_FACTORS];
        if (soc_wave_stats(req_db(r), &b, s) != 0) continue;
        done = slug;
        int is_this = json_integer_value(json_object_get(row, "community_id")) == r->comm->id;
        if (json_integer_value(json_object_get(row, "visibility")) == VIS_SECRET && !is_this) {
            for (int f = 0; f < SOC_FACTORS; f++)
                hidden_sum[f] += s[f].mean;
            hidden++;
            continue;
        }
        json_t *means = json_array();
        for (int f = 0; f < SOC_FACTORS; f++)
            json_array_append_new(means, json_string(fmt1(r, s[f].mean)));
        json_array_append_new(
            out,
            json_pack("{sO sO sO sI sI so si sb}", "slug", json_object_get(row, "slug"), "name",
                      json_object_get(row, "name"), "closes", json_object_get(row, "closes"),
                      "answers", (json_int_t)b.cast, "members", (json_int_t)b.eligible, "means",
                      means, "rate_pct", soc_rate_pct(b.cast, b.eligible), "is_this", is_this));
    }
    if (hidden >= SOC_K_MIN) {
        json_t *means = json_array();
        for (int f = 0; f < SOC_FACTORS; f++)
            json_array_append_new(means, json_string(fmt1(r, hidden_sum[f] / (double)hidden)));
        json_object_set_new(v, "unnamed",
                            json_pack("{sI so}", "n", (json_int_t)hidden, "means", means));
    }
    json_t *names = json_array();
    for (int f = 0; f < SOC_FACTORS; f++)
        json_array_append_new(names, json_string(tr(r, factor_key(r, "factor", f))));
    json_object_set_new(v, "factor_names", names);
    json_object_set_new(v, "communities", out);
    render_page(r, 200, "soc/compare", v);
    json_decref(rows);
}

/* ---- the dashboard panel ---- */

int soc_panel_fill(struct req *r, json_t *ctx)
{
    if (!req_has(r, CAP_C_MEMBER)) return 0;
    struct dbc *db = req_db(r);
    json_t *waves = soc_wave_list(db, r->comm->id);
    if (!waves) return 0;
    json_object_set_new(ctx, "slug", json_string(r->comm->slug));
    int have_open = 0, have_latest = 0;
    for (size_t i = 0; i < json_array_size(waves) && !(have_open && have_latest); i++) {
        json_t *w = json_array_get(waves, i);
        int64_t box = json_integer_value(json_object_get(w, "box_id"));
        struct ballot_info b;
        if (wave_decorate(r, w, &b) != 0) continue;
        if (!have_open && json_is_true(json_object_get(w, "is_open"))) {
            have_open = 1;
            json_t *ow = json_pack("{sO}", "closes", json_object_get(w, "closes"));
            open_wave_status(r, box, ow);
            json_object_set_new(ctx, "open", ow);
        }
        if (!have_latest && json_is_true(json_object_get(w, "visible"))) {
            have_latest = 1;
            json_t *res = wave_results(r, &b, 0);
            json_t *weak = json_object_get(res, "weakest");
            if (weak) json_object_set(ctx, "weakest", weak);
            json_object_set(ctx, "latest_closes", json_object_get(w, "closes"));
            json_decref(res);
        }
    }
    json_decref(waves);
    return 1;
}

static const char *const P_ANSWER[] = {"membership",    "influence",    "integration",
                                       "connection",    "c_membership", "c_influence",
                                       "c_integration", "c_connection", NULL};
static const char *const P_WAVE[] = {"opens_on", "closes_on", NULL};
static const char *const P_SETTINGS[] = {"k", "share", NULL};

static const struct route soc_routes[] = {
    {"GET", "/c/{slug}/soc", CAP_C_MEMBER, 0, NULL, index_get, NULL},
    {"GET", "/c/{slug}/soc/compare", CAP_C_COORD, 0, NULL, compare_get, NULL},
    {"POST", "/c/{slug}/soc/settings", CAP_C_ORGANIZE, 0, P_SETTINGS, settings_post, NULL},
    {"POST", "/c/{slug}/soc/waves", CAP_C_STAFF, 0, P_WAVE, wave_new_post, NULL},
    {"GET", "/c/{slug}/soc/waves/{id:int}", CAP_C_MEMBER, 0, NULL, wave_get, NULL},
    {"GET", "/c/{slug}/soc/waves/{id:int}/results.csv", CAP_C_MEMBER, 0, NULL, wave_csv, NULL},
    {"POST", "/c/{slug}/soc/waves/{id:int}/answer", CAP_C_MEMBER, 0, P_ANSWER, answer_post, NULL},
    {"GET", "/c/{slug}/soc/waves/{id:int}/close", CAP_C_STAFF, 0, NULL, wave_close_get, NULL},
    {"POST", "/c/{slug}/soc/waves/{id:int}/close", CAP_C_STAFF, 0, NULL, wave_close_post, NULL},
    {0},
};

static const struct route_table soc_tables[] = {{SCOPE_COMMUNITY, soc_routes}, {0}};

const struct area soc_area = {
    .name = "soc",
    .routes = soc_tables,
    .panel_fill = soc_panel_fill,
    .panel_tmpl = "soc/panel",
    .panel_title = "soc.title",
    .nav_path = "/soc",
    .nav_label = "soc.link",
    .demo = demo_soc,
    .bench = benchdata_soc,
};
