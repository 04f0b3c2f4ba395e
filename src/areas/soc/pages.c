/* Sense-of-community pages: the waves, answering, the results, settings.
 * Every view holds aggregates only; see calc.c for the anonymity design. */
#include "core/notify.h"
#include "areas/soc/soc.h"
#include "core/notify.h"
#include "core/app.h"
#include "core/ballot.h"
#include "core/db.h"
#include "core/form.h"
#include "core/i18n.h"
#include "core/render.h"
#include "core/tmpl.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The answer: the four factors (soc_factors, in that order) rated 1..10,
 * each with an optional comment. */
static const struct field FORM_ANSWER[] = {
    {"membership", F_INT, 1, 1, SOC_SCALE, NULL, NULL},
    {"influence", F_INT, 1, 1, SOC_SCALE, NULL, NULL},
    {"integration", F_INT, 1, 1, SOC_SCALE, NULL, NULL},
    {"connection", F_INT, 1, 1, SOC_SCALE, NULL, NULL},
    {"c_membership", F_TEXT, 0, 0, SOC_COMMENT_MAX, NULL, NULL},
    {"c_influence", F_TEXT, 0, 0, SOC_COMMENT_MAX, NULL, NULL},
    {"c_integration", F_TEXT, 0, 0, SOC_COMMENT_MAX, NULL, NULL},
    {"c_connection", F_TEXT, 0, 0, SOC_COMMENT_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static const struct field FORM_WAVE[] = {
    {"opens_on", F_DATE, 1, 0, 0, NULL, NULL},
    {"closes_on", F_DATE, 1, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static const struct field FORM_SETTINGS[] = {
    {"k", F_INT, 1, SOC_K_MIN, SOC_K_MAX, NULL, NULL},
    {"share", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

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

static const char *fmt1(struct req *r, double v)
{
    return fmt_decimal(r, v);
}

static const char *soc_url(struct req *r)
{
    return arena_printf(r->arena, "/c/%s/soc", r->comm->slug);
}

/* 1 when the wave's results may be shown. */
static int wave_visible(const struct soc_wave *w)
{
    return w->box_ok && ballot_visible(&w->box);
}

/* A wave as a view: its dates, its state and what may be shown of it;
 * the box's id stays out. */
static json_t *wave_view(struct req *r, const struct soc_wave *w)
{
    static const char *const st_names[] = {"upcoming", "open", "closed"};
    const char *st = st_names[w->state];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(w->id));
    json_object_set_new(o, "opens", json_string(w->opens));
    json_object_set_new(o, "closes", json_string(w->closes));
    json_object_set_new(o, "state", json_string(st));
    json_object_set_new(o, "state_label",
                        json_string(tr(r, arena_printf(r->arena, "soc.state.%s", st))));
    json_object_set_new(o, "is_open", json_boolean(w->state == SOC_OPEN));
    json_object_set_new(o, "is_closed", json_boolean(w->state == SOC_CLOSED));
    json_object_set_new(o, "answers", json_integer(w->box.cast));
    json_object_set_new(o, "members", json_integer(w->box.eligible));
    json_object_set_new(o, "k", json_integer(w->box.k));
    json_object_set_new(o, "needed", json_integer(ballot_needed(&w->box)));
    json_object_set_new(o, "visible", json_boolean(wave_visible(w)));
    return o;
}

/* The weakest factor with its advice, or NULL when none has answers. */
static json_t *weakest_view(struct req *r, const struct soc_stats s[SOC_FACTORS])
{
    int weak = soc_weakest(s);
    if (weak < 0) return NULL;
    return json_pack("{ss ss ss}", "key", soc_factors[weak], "label",
                     tr(r, factor_key(r, "factor", weak)), "advice",
                     tr(r, factor_key(r, "advice", weak)));
}

/* A wave's results as the viewer may see them, with the comments of each
 * factor. */
static json_t *wave_results(struct req *r, const struct ballot_info *b)
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
    soc_wave_comments(req_db(r), r->comm->id, b, comments);
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
    json_t *weak = weakest_view(r, s);
    if (weak) json_object_set_new(res, "weakest", weak);
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

/* The request's view with what every soc page carries; the links and
 * forms it offers follow the viewer's capabilities. */
static json_t *base_view(struct req *r, const char *title)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(title));
    json_object_set_new(v, "slug", json_string(r->comm->slug));
    json_object_set_new(v, "community", json_string(r->comm->name));
    json_object_set_new(v, "is_staff", json_boolean(req_has(r, CAP_C_STAFF)));
    json_object_set_new(v, "is_organizer", json_boolean(req_has(r, CAP_C_ORGANIZE)));
    json_object_set_new(v, "is_coord", json_boolean(req_has(r, CAP_C_COORD)));
    return v;
}

/* Whether the member may answer the open wave, and whether they have. */
static void open_wave_status(struct req *r, int64_t box, json_t *ow)
{
    char voter[24];
    soc_voter(r->comm->member_id, voter);
    const char *voters[] = {voter};
    int answered = ballot_has_voted(req_db(r), box, voters, 1);
    json_object_set_new(ow, "answered", json_boolean(answered));
    json_object_set_new(ow, "eligible",
                        json_boolean(answered || ballot_on_roll(req_db(r), box, voter)));
}

/* The trend of the nvis waves of w[0..nw) whose results are visible,
 * oldest first: the numbers as "trend" for everyone, the chart drawn from
 * them as "trend_svg" only for a page (JSON clients have the numbers). */
static void put_trend(struct req *r, json_t *v, const struct soc_wave *w, int64_t nw, int nvis)
{
    struct dbc *db = req_db(r);
    double(*means)[SOC_FACTORS] = arena_alloc(r->arena, sizeof *means * (size_t)nvis);
    const char **labels = arena_alloc(r->arena, sizeof *labels * (size_t)nvis);
    int j = nvis;
    for (int64_t i = 0; i < nw; i++) {
        if (!wave_visible(&w[i])) continue;
        struct soc_stats s[SOC_FACTORS];
        if (soc_wave_stats(db, &w[i].box, s) != 0) continue;
        j--;
        for (int f = 0; f < SOC_FACTORS; f++)
            means[j][f] = s[f].mean;
        labels[j] = w[i].closes;
    }
    json_t *trend = json_array();
    for (int i = j; i < nvis; i++) {
        json_t *m = json_array();
        for (int f = 0; f < SOC_FACTORS; f++)
            json_array_append_new(m, json_real(means[i][f]));
        json_array_append_new(trend, json_pack("{ss so}", "closes", labels[i], "means", m));
    }
    json_object_set_new(v, "trend", trend);
    if (r->want_json) return;
    const char *names[SOC_FACTORS];
    for (int f = 0; f < SOC_FACTORS; f++)
        names[f] = tr(r, factor_key(r, "factor", f));
    struct buf b;
    buf_init(&b);
    soc_trend_svg(&b, nvis - j, means + j, labels + j, names, tr(r, "soc.trend"));
    view_put_html(r, v, "trend_svg", b.data ? b.data : "");
    buf_free(&b);
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
    struct soc_wave *w = NULL;
    int64_t nw = soc_waves_of(db, r->arena, r->comm->id, now_s(), 1, &w);
    json_t *waves = json_array();
    const struct soc_wave *open = NULL, *latest = NULL;
    int nvis = 0;
    for (int64_t i = 0; i < nw; i++) {
        json_array_append_new(waves, wave_view(r, &w[i]));
        if (!w[i].box_ok) continue;
        if (!open && w[i].state == SOC_OPEN) open = &w[i];
        if (wave_visible(&w[i])) {
            if (!latest) latest = &w[i];
            nvis++;
        }
    }
    if (open) {
        json_t *ow = wave_view(r, open);
        open_wave_status(r, open->box_id, ow);
        json_object_set_new(ow, "factors", answer_factors(r, form_values, errors));
        json_object_set_new(v, "open", ow);
    }
    if (latest) {
        json_t *lw = wave_view(r, latest);
        json_object_set_new(lw, "results", wave_results(r, &latest->box));
        json_object_set_new(v, "latest", lw);
    }
    if (nvis >= 2) put_trend(r, v, w, nw, nvis);
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

/* The wave of the path into *w: 0, or -1 after answering 404. */
static int load_wave(struct req *r, struct soc_wave *w)
{
    if (soc_wave_find(req_db(r), r->arena, r->comm->id, req_path_int(r, "id"), now_s(), w) == 0)
        return 0;
    render_error(r, 404, "not_found", "error.not_found");
    return -1;
}

static void wave_get(struct req *r)
{
    ballot_settle(r);
    struct soc_wave w;
    if (load_wave(r, &w) != 0) return;
    json_t *v = base_view(r, tr(r, "soc.wave.title"));
    json_t *wv = wave_view(r, &w);
    json_object_set_new(wv, "results", wave_results(r, &w.box));
    json_object_set_new(v, "wave", wv);
    render_page(r, 200, "soc/wave", v);
}

/* The aggregates as CSV (UTF-8 with BOM): one row per factor. */
static void wave_csv(struct req *r)
{
    ballot_settle(r);
    struct soc_wave w;
    if (load_wave(r, &w) != 0) return;
    /* The file says what and when: the community and the wave's last day. */
    const char *name =
        arena_printf(r->arena, "attachment; filename=\"soc-%s-%s.csv\"", r->comm->slug, w.closes);
    struct soc_stats s[SOC_FACTORS];
    if (!ballot_visible(&w.box) || soc_wave_stats(req_db(r), &w.box, s) != 0) {
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

/* Re-renders the answer form with the member's input and the errors (422).
 * A wave that is no longer open gets its message too, since the page then
 * shows no form to put the others beside; the write itself never relies on
 * this look. */
static void answer_invalid(struct req *r, struct form *f, const struct soc_wave *w)
{
    if (!ballot_is_open(&w->box, now_s())) form_error(f, "wave", "soc.error.closed");
    json_t *v = index_view(r, f->values, f->errors);
    if (!json_object_get(v, "open")) json_object_set_new(v, "closed_error", json_true());
    render_invalid(r, "soc/index", v, f);
}

static void answer_post(struct req *r)
{
    struct soc_wave w;
    if (load_wave(r, &w) != 0) return;
    struct form f;
    if (!form_read(&f, r, FORM_ANSWER)) {
        answer_invalid(r, &f, &w);
        return;
    }
    int64_t vals[SOC_FACTORS];
    const char *comments[SOC_FACTORS];
    for (int i = 0; i < SOC_FACTORS; i++) {
        vals[i] = form_num(&f, soc_factors[i], 0);
        const char *c = form_str(&f, arena_printf(r->arena, "c_%s", soc_factors[i]));
        comments[i] = c ? c : "";
    }
    /* Whether the wave is still open, the member on its roll and without
     * an answer is decided by the writer, inside the transaction: a wave
     * closed since the page was loaded is a conflict (409). */
    struct dbc *wr = req_write_begin(r);
    enum wr rc =
        wr ? soc_answer_cast(wr, r->comm->id, w.id, r->comm->member_id, vals, comments, now_s())
           : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, "soc.error.closed") != 0) return;
    ballot_flush(r->app->db);
    render_redirect(r, soc_url(r), "soc.flash.answered");
}

static void wave_new_post(struct req *r)
{
    struct form f;
    if (form_read(&f, r, FORM_WAVE)) {
        int64_t from = form_num(&f, "opens_on", 0), to = form_num(&f, "closes_on", 0);
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
    int64_t from = form_num(&f, "opens_on", 0), to = form_num(&f, "closes_on", 0);
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? soc_wave_create(w, r->comm->id, from, to, now_s(), NULL) : WR_BUSY;
    if (req_commit(r, rc, "soc.error.overlap") == 0)
        render_redirect(r, soc_url(r), "soc.flash.opened");
}

/* Closing is final: a page says so before the button does it. */
static void wave_close_get(struct req *r)
{
    struct soc_wave w;
    if (load_wave(r, &w) != 0) return;
    struct confirm c = {
        .title = tr(r, "soc.close.title"),
        .what = arena_printf(r->arena, "%s — %s · %s", w.opens, w.closes,
                             tr_n(r, "soc.answers", "answers", w.box.cast)),
        .loss = tr(r, "soc.close.loss"),
        .back = soc_url(r),
        .back_label = tr(r, "soc.title"),
        .button = tr(r, "soc.close"),
        .final = 0, /* the loss says it already */
    };
    render_confirm(r, &c);
}

static void wave_close_post(struct req *r)
{
    int64_t id = req_path_int(r, "id");
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? soc_wave_close(w, r->comm->id, id) : WR_BUSY;
    if (req_commit(r, rc, "soc.error.closed_already") != 0) return;
    ballot_flush(r->app->db);
    render_redirect(r, arena_printf(r->arena, "/c/%s/soc/waves/%lld", r->comm->slug, (long long)id),
                    "soc.flash.closed");
}

static void settings_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, FORM_SETTINGS)) {
        if (json_object_get(f.errors, "k")) form_error(&f, "k", "soc.error.k");
        render_invalid(r, "soc/index", index_view(r, NULL, NULL), &f);
        return;
    }
    int64_t k = form_num(&f, "k", SOC_K_DEFAULT);
    int share = form_num(&f, "share", 0) != 0;
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? soc_settings_set(w, r->comm->id, k, share) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, soc_url(r), "flash.saved");
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
    struct soc_shared *rows = NULL;
    int64_t n = soc_shared_waves(req_db(r), r->arena, &rows);
    json_t *out = json_array();
    int64_t done = 0; /* the community whose wave was taken */
    double hidden_sum[SOC_FACTORS] = {0};
    int64_t hidden = 0;
    for (int64_t i = 0; i < n; i++) {
        const struct soc_shared *row = &rows[i];
        struct ballot_info b;
        if (done == row->community_id) continue;
        if (ballot_get(req_db(r), row->box_id, &b) != 0 || !ballot_visible(&b)) continue;
        struct soc_stats s[SOC_FACTORS];
        if (soc_wave_stats(req_db(r), &b, s) != 0) continue;
        done = row->community_id;
        int is_this = row->community_id == r->comm->id;
        if (row->visibility == VIS_SECRET && !is_this) {
            for (int f = 0; f < SOC_FACTORS; f++)
                hidden_sum[f] += s[f].mean;
            hidden++;
            continue;
        }
        json_t *means = json_array();
        for (int f = 0; f < SOC_FACTORS; f++)
            json_array_append_new(means, json_string(fmt1(r, s[f].mean)));
        /* this community's own address is the path's (a random one is
         * stored only as its hash) */
        const char *slug = is_this ? r->comm->slug : row->slug;
        json_array_append_new(out, json_pack("{ss ss ss sI sI so si sb}", "slug", slug, "name",
                                             row->name ? row->name : "", "closes", row->closes,
                                             "answers", (json_int_t)b.cast, "members",
                                             (json_int_t)b.eligible, "means", means, "rate_pct",
                                             soc_rate_pct(b.cast, b.eligible), "is_this", is_this));
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
}

/* ---- the dashboard panel ---- */

int soc_panel_fill(struct req *r, json_t *ctx)
{
    if (!req_has(r, CAP_C_MEMBER)) return 0;
    struct dbc *db = req_db(r);
    int64_t now = now_s();
    struct soc_wave *w = NULL;
    /* The boxes are read one by one below, only until both are found. */
    int64_t nw = soc_waves_of(db, r->arena, r->comm->id, now, 0, &w);
    if (nw < 0) return 0;
    json_object_set_new(ctx, "slug", json_string(r->comm->slug));
    int have_open = 0, have_latest = 0;
    for (int64_t i = 0; i < nw && !(have_open && have_latest); i++) {
        soc_wave_state(db, &w[i], now);
        if (!w[i].box_ok) continue;
        if (!have_open && w[i].state == SOC_OPEN) {
            have_open = 1;
            json_t *ow = json_pack("{ss}", "closes", w[i].closes);
            open_wave_status(r, w[i].box_id, ow);
            json_object_set_new(ctx, "open", ow);
        }
        if (!have_latest && ballot_visible(&w[i].box)) {
            have_latest = 1;
            struct soc_stats s[SOC_FACTORS];
            json_t *weak = soc_wave_stats(db, &w[i].box, s) == 0 ? weakest_view(r, s) : NULL;
            if (weak) json_object_set_new(ctx, "weakest", weak);
            json_object_set_new(ctx, "latest_closes", json_string(w[i].closes));
        }
    }
    return 1;
}

static const struct route soc_routes[] = {
    {"GET", "/c/{slug}/soc", CAP_C_MEMBER, 0, NULL, index_get, NULL},
    {"GET", "/c/{slug}/soc/compare", CAP_C_COORD, 0, NULL, compare_get, NULL},
    {"POST", "/c/{slug}/soc/settings", CAP_C_ORGANIZE, 0, NULL, settings_post, FORM_SETTINGS},
    {"POST", "/c/{slug}/soc/waves", CAP_C_STAFF, 0, NULL, wave_new_post, FORM_WAVE},
    {"GET", "/c/{slug}/soc/waves/{id:int}", CAP_C_MEMBER, 0, NULL, wave_get, NULL},
    {"GET", "/c/{slug}/soc/waves/{id:int}/results.csv", CAP_C_MEMBER, 0, NULL, wave_csv, NULL},
    {"POST", "/c/{slug}/soc/waves/{id:int}/answer", CAP_C_MEMBER, 0, NULL, answer_post,
     FORM_ANSWER},
    {"GET", "/c/{slug}/soc/waves/{id:int}/close", CAP_C_STAFF, 0, NULL, wave_close_get, NULL},
    {"POST", "/c/{slug}/soc/waves/{id:int}/close", CAP_C_STAFF, 0, NULL, wave_close_post, NULL},
    {0},
};

static const struct route_table soc_tables[] = {{SCOPE_COMMUNITY, soc_routes}, {0}};

/* The notices the sense-of-community waves write (core/notify.h). */
static const struct notify_kind soc_notify_kinds[] = {
    {SOC_NOTIFY_WAVE, "soc.notify.wave_opened", NOTIFY_INBOX, "/soc/waves/{id}"},
    {"soc.closing", "notify.soc_closing", NOTIFY_INBOX, "/soc/waves/{id}"},
    {0},
};

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
    .seal_texts = soc_seal_texts,
    .notify_kinds = soc_notify_kinds,
};
