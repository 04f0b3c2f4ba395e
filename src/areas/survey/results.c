/* Survey results: the tallies of each question, its text answers grouped
 * (a page of them per question), and the CSV of a named survey. An
 * anonymous survey's results exist only once it has closed with at least
 * k responses; before that the views are built without them. */
#include "areas/soc/soc.h"
#include "areas/survey/pages.h"
#include "core/ballot.h"
#include "core/db.h"
#include "core/render.h"
#include "core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TEXTS_ON_RESULTS = 50, TEXTS_PAGE = 100 };

/* What every results view starts with; *visible tells whether the
 * answers may be shown to anyone. An anonymous survey's results come from
 * its ballot box (into *b, b->id 0 for a named survey): closed, and at
 * least k counted answers, k fixed when it opened. */
static json_t *results_base(struct req *r, json_t *s, const struct survey *sv, int *visible,
                            struct ballot_info *b)
{
    int64_t n = sv->responses;
    int anon = sv->anonymous;
    memset(b, 0, sizeof *b);
    int have = anon && sv->box_id > 0 && ballot_get(req_db(r), sv->box_id, b) == 0;
    int64_t k = have ? b->k : soc_k_of(req_db(r), r->comm->id);
    *visible = !anon || (have && ballot_visible(b));
    json_t *v = req_own(r, json_pack("{sO ss ss sb sI}", "title", json_object_get(s, "title"),
                                     "slug", r->comm->slug, "community", r->comm->name, "visible",
                                     *visible, "k", (json_int_t)k));
    json_object_set_new(v, "is_staff", json_boolean(survey_is_staff(r)));
    if (have && !*visible && ballot_needed(b) > 0)
        json_object_set_new(v, "needed", json_integer(ballot_needed(b)));
    else if (!have && anon && n < k)
        json_object_set_new(v, "needed", json_integer(k - n));
    if (have && b->open_roll)
        /* Answers through the link come from browsers, not from members:
         * nothing proves they are different people. Say how many there
         * are and whether they were allowed to reach k. */
        json_object_set_new(v, "unverified",
                            json_pack("{sI sI sb}", "n", (json_int_t)(b->cast - b->verified),
                                      "verified", (json_int_t)b->verified, "counted",
                                      b->count_unverified != 0));
    json_object_set_new(v, "named", json_boolean(!anon));
    return v;
}

/* Whether a question has text answers to list: a text question, or a
 * choice question with "other" (then only the other texts). */
static int has_texts(json_t *q, int kind, int *other_only)
{
    *other_only = kind == 2 || kind == 3;
    return kind >= 4 || (*other_only && json_integer_value(json_object_get(q, "has_other")));
}

/* A question's texts, grouped: from the ballot box of an anonymous
 * survey (b->id set), where a choice question's texts are its "other"
 * texts, else from the named responses. */
static json_t *question_texts(struct req *r, const struct ballot_info *b, int64_t qid,
                              int other_only, int64_t limit, int64_t offset)
{
    json_t *t = b->id ? ballot_text_groups(req_db(r), r->comm->id, b, qid, limit, offset)
                      : survey_text_groups(req_db(r), r->comm->id, qid, other_only, limit, offset);
    return t ? t : json_array();
}

static int64_t question_text_count(struct req *r, const struct ballot_info *b, int64_t qid,
                                   int other_only)
{
    return b->id ? ballot_text_count(req_db(r), b, qid)
                 : survey_text_count(req_db(r), qid, other_only);
}

/* Text groups for a view: "times" is set on those given more than once. */
static json_t *texts_decorated(json_t *texts)
{
    for (size_t i = 0; i < json_array_size(texts); i++) {
        json_t *t = json_array_get(texts, i);
        json_int_t n = json_integer_value(json_object_get(t, "n"));
        if (n > 1) json_object_set_new(t, "times", json_integer(n));
    }
    return texts;
}

/* The bars of a scale or choice question from the survey's counts. */
static void question_bars(struct req *r, json_t *q, int kind, json_t *counts, int64_t n, json_t *qv)
{
    const char *labels[SURVEY_MAX_OPTIONS + 1];
    int nl = 0;
    if (kind <= 1) {
        for (int p = 0; p < (kind == 0 ? 5 : 10); p++)
            labels[nl++] = arena_printf(r->arena, "%d", p + 1);
    } else if (kind <= 3) {
        nl = survey_split_options(r->arena, json_string_value(json_object_get(q, "options")),
                                  labels, SURVEY_MAX_OPTIONS);
        if (nl < 0) nl = 0;
        if (json_integer_value(json_object_get(q, "has_other")))
            labels[nl++] = tr(r, "survey.other");
    }
    if (nl == 0) return;
    int64_t qid = json_integer_value(json_object_get(q, "id"));
    int64_t cnt[SURVEY_MAX_OPTIONS + 1] = {0}, top = 1, sum = 0, tot = 0;
    for (size_t j = 0; j < json_array_size(counts); j++) {
        json_t *c = json_array_get(counts, j);
        if (json_integer_value(json_object_get(c, "q")) != qid) continue;
        const char *val = json_string_value(json_object_get(c, "v"));
        int64_t x = -1;
        if (str_eq(val, "o"))
            x = nl - 1;
        else if (str_to_i64(val, &x) == 0 && kind <= 1)
            x -= 1;
        if (x >= 0 && x < nl) {
            int64_t k = json_integer_value(json_object_get(c, "n"));
            cnt[x] += k;
            tot += k;
            sum += k * (x + 1);
        }
    }
    for (int b = 0; b < nl; b++)
        if (cnt[b] > top) top = cnt[b];
    json_t *bars = json_array();
    for (int b = 0; b < nl; b++)
        json_array_append_new(bars, json_pack("{ss sI si sI}", "label", labels[b], "count",
                                              (json_int_t)cnt[b], "pct", survey_pct(cnt[b], n),
                                              "width", (json_int_t)(cnt[b] * 100 / top)));
    json_object_set_new(qv, "bars", bars);
    if (kind <= 1 && tot > 0)
        json_object_set_new(qv, "mean", json_string(fmt_decimal(r, (double)sum / (double)tot)));
}

/* The survey that s repeats (it was copied from it), when its results may
 * be shown to this viewer: its row (decorated), with its questions, counts
 * and response count. NULL when there is none to compare with. */
struct prior {
    json_t *survey, *qs, *counts;
    int64_t n;
};

static int prior_load(struct req *r, json_t *s, struct prior *p)
{
    memset(p, 0, sizeof *p);
    int64_t from = json_integer_value(json_object_get(s, "copied_from"));
    struct survey os;
    json_t *o = from > 0 ? survey_find(r, from, 0, &os) : NULL;
    if (!o || !os.published) return -1;
    int visible;
    struct ballot_info b;
    results_base(r, o, &os, &visible, &b); /* request-owned: only visible is wanted */
    if (!visible) return -1;
    p->survey = o;
    struct vmask qm = survey_question_mask(r);
    p->qs = survey_questions(req_db(r), &qm, from);
    p->counts = b.id ? survey_box_counts(req_db(r), &b) : survey_counts(req_db(r), from);
    if (!p->counts) p->counts = json_array();
    p->n = json_integer_value(json_object_get(o, "responses"));
    return 0;
}

static void prior_free(struct prior *p)
{
    json_decref(p->qs);
    json_decref(p->counts);
}

/* Puts the earlier survey's figures beside question i of this one (same
 * position, same kind): prev_mean, and prev_pct on each bar. */
static void prior_compare(struct req *r, const struct prior *p, size_t i, int kind, json_t *qv)
{
    json_t *pq = p->survey ? json_array_get(p->qs, i) : NULL;
    if (!pq || survey_kind_of(pq) != kind) return;
    json_t *pv = json_object();
    question_bars(r, pq, kind, p->counts, p->n, pv);
    json_t *mean = json_object_get(pv, "mean");
    if (mean) json_object_set(qv, "prev_mean", mean);
    json_t *bars = json_object_get(qv, "bars"), *pbars = json_object_get(pv, "bars");
    for (size_t j = 0; j < json_array_size(bars) && j < json_array_size(pbars); j++)
        json_object_set(json_array_get(bars, j), "prev_pct",
                        json_object_get(json_array_get(pbars, j), "pct"));
    if (json_array_size(pbars)) json_object_set_new(qv, "compared", json_true());
    json_decref(pv);
}

void survey_results_get(struct req *r)
{
    struct survey sv;
    json_t *s = survey_load(r, 0, &sv);
    if (!s) return;
    int visible;
    struct ballot_info b;
    json_t *v = results_base(r, s, &sv, &visible, &b);
    if (visible) {
        int64_t id = sv.id;
        int64_t n = sv.responses;
        struct vmask qm = survey_question_mask(r);
        json_t *qs = survey_questions(req_db(r), &qm, id);
        json_t *counts = b.id ? survey_box_counts(req_db(r), &b) : survey_counts(req_db(r), id);
        if (!counts) counts = json_array();
        /* A repeated survey shows the change, question by question. */
        struct prior prior;
        if (prior_load(r, s, &prior) == 0)
            json_object_set_new(v, "compare",
                                json_pack("{sO sO sO}", "id", json_object_get(prior.survey, "id"),
                                          "title", json_object_get(prior.survey, "title"), "closes",
                                          json_object_get(prior.survey, "closes")));
        json_t *out = json_array();
        for (size_t i = 0; i < json_array_size(qs); i++) {
            json_t *q = json_array_get(qs, i);
            int kind = survey_kind_of(q), other_only;
            int64_t qid = json_integer_value(json_object_get(q, "id"));
            json_t *qv = json_pack(
                "{sI sO ss}", "id", (json_int_t)qid, "text", json_object_get(q, "text"),
                "kind_label", tr(r, arena_printf(r->arena, "survey.kind.%s", survey_kinds[kind])));
            question_bars(r, q, kind, counts, n, qv);
            prior_compare(r, &prior, i, kind, qv);
            if (has_texts(q, kind, &other_only)) {
                /* one more than shown tells whether there are more */
                json_t *texts = question_texts(r, &b, qid, other_only, TEXTS_ON_RESULTS + 1, 0);
                if (json_array_size(texts) > TEXTS_ON_RESULTS) {
                    json_array_remove(texts, TEXTS_ON_RESULTS);
                    json_object_set_new(
                        qv, "texts_all",
                        json_string(arena_printf(r->arena, "/c/%s/surveys/%lld/results/%lld",
                                                 r->comm->slug, (long long)id, (long long)qid)));
                }
                json_object_set_new(qv, "texts_total",
                                    json_integer(question_text_count(r, &b, qid, other_only)));
                json_object_set_new(qv, "texts", texts_decorated(texts));
            } else {
                json_object_set_new(qv, "texts", json_array());
            }
            json_array_append_new(out, qv);
        }
        json_decref(qs);
        json_decref(counts);
        prior_free(&prior);
        json_object_set_new(v, "questions", out);
    }
    json_object_set(v, "survey", s);
    render_page(r, 200, "survey/results", v);
}

void survey_results_texts_get(struct req *r)
{
    struct survey sv;
    json_t *s = survey_load(r, 0, &sv);
    if (!s) return;
    int64_t id = sv.id;
    int64_t qid = req_path_int(r, "qid");
    struct survey_q qs[SURVEY_MAX_QUESTIONS];
    const struct survey_q *q = NULL;
    int nq = survey_questions_read(req_db(r), r->arena, id, qs);
    for (int i = 0; i < nq && !q; i++)
        if (qs[i].id == qid) q = &qs[i];
    /* A text question, or a choice question's "other" texts. */
    int other_only = q && (q->kind == 2 || q->kind == 3);
    if (!q || !(q->kind >= 4 || (other_only && q->has_other))) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    int visible;
    struct ballot_info b;
    json_t *v = results_base(r, s, &sv, &visible, &b);
    json_object_set_new(v, "question", json_string(q->text));
    int64_t page = req_page(r);
    json_object_set_new(v, "page", json_integer(page));
    if (visible) {
        json_t *texts =
            question_texts(r, &b, qid, other_only, TEXTS_PAGE + 1, (page - 1) * TEXTS_PAGE);
        int more = json_array_size(texts) > TEXTS_PAGE;
        if (more) json_array_remove(texts, TEXTS_PAGE);
        render_pager(r, v, page, more,
                     arena_printf(r->arena, "/c/%s/surveys/%lld/results/%lld?page=", r->comm->slug,
                                  (long long)id, (long long)qid),
                     "");
        json_object_set_new(v, "texts_total",
                            json_integer(question_text_count(r, &b, qid, other_only)));
        json_object_set_new(v, "texts", texts_decorated(texts));
    }
    json_object_set(v, "survey", s);
    render_page(r, 200, "survey/texts", v);
}

/* ---- CSV of a named survey ---- */

struct csv {
    struct buf out;
    int64_t qids[SURVEY_MAX_QUESTIONS];
    int kinds[SURVEY_MAX_QUESTIONS];
    const char *opts[SURVEY_MAX_QUESTIONS][SURVEY_MAX_OPTIONS];
    int nopts[SURVEY_MAX_QUESTIONS];
    int nq;
    struct buf cells[SURVEY_MAX_QUESTIONS]; /* the response being read */
    char rid[80], name[260], day[16];
    const char *former; /* what a former member's response is signed */
    int have;           /* a response is being read */
};

static void csv_flush(struct csv *x)
{
    if (!x->have) return;
    csv_escape(&x->out, x->name);
    buf_putc(&x->out, ',');
    csv_escape(&x->out, x->day);
    for (int i = 0; i < x->nq; i++) {
        buf_putc(&x->out, ',');
        csv_escape(&x->out, x->cells[i].data ? x->cells[i].data : "");
        x->cells[i].len = 0;
        if (x->cells[i].data) x->cells[i].data[0] = 0;
    }
    buf_puts(&x->out, "\r\n");
    x->have = 0;
}

static void csv_row(void *ctx, const char *rid, const char *name, const char *day, int64_t qid,
                    const char *value)
{
    struct csv *x = ctx;
    if (!x->have || strcmp(x->rid, rid ? rid : "") != 0) {
        csv_flush(x);
        snprintf(x->rid, sizeof x->rid, "%s", rid ? rid : "");
        snprintf(x->name, sizeof x->name, "%s", name ? name : x->former);
        snprintf(x->day, sizeof x->day, "%s", day ? day : "");
        x->have = 1;
    }
    int col = -1;
    for (int i = 0; i < x->nq && col < 0; i++)
        if (x->qids[i] == qid) col = i;
    if (col < 0 || !value) return;
    struct buf *cell = &x->cells[col];
    int kind = x->kinds[col];
    int64_t k;
    if (cell->len) buf_puts(cell, "; ");
    if ((kind == 2 || kind == 3) && strncmp(value, "o:", 2) == 0)
        buf_puts(cell, value + 2);
    else if ((kind == 2 || kind == 3) && str_to_i64(value, &k) == 0 && k >= 0 && k < x->nopts[col])
        buf_puts(cell, x->opts[col][k]);
    else
        buf_puts(cell, value);
}

/* One row per response, every response; named surveys only. Written while
 * the answers are read: the export of 100,000 responses holds one response
 * at a time, not all of them as JSON. */
void survey_results_csv(struct req *r)
{
    struct survey sv;
    json_t *s = survey_load(r, 0, &sv);
    if (!s) return;
    int64_t id = sv.id;
    int anon = sv.anonymous;
    if (anon) {
        render_error(r, 404, "not_found", "survey.error.csv_anonymous");
        return;
    }
    struct csv *x = arena_alloc(r->arena, sizeof *x);
    memset(x, 0, sizeof *x);
    buf_init(&x->out);
    x->former = tr(r, "survey.csv.former");
    struct survey_q qs[SURVEY_MAX_QUESTIONS];
    int nq = survey_questions_read(req_db(r), r->arena, id, qs);
    buf_puts(&x->out, "\xEF\xBB\xBF");
    csv_escape(&x->out, tr(r, "survey.csv.name"));
    buf_putc(&x->out, ',');
    csv_escape(&x->out, tr(r, "survey.csv.day"));
    for (int i = 0; i < nq && x->nq < SURVEY_MAX_QUESTIONS; i++) {
        const struct survey_q *q = &qs[i];
        int n = x->nq++;
        x->qids[n] = q->id;
        x->kinds[n] = q->kind;
        x->nopts[n] =
            q->kind == 2 || q->kind == 3
                ? survey_split_options(r->arena, q->options, x->opts[n], SURVEY_MAX_OPTIONS)
                : 0;
        buf_init(&x->cells[n]);
        buf_putc(&x->out, ',');
        csv_escape(&x->out, q->text);
    }
    buf_puts(&x->out, "\r\n");
    int rc = survey_named_each(req_db(r), id, csv_row, x);
    csv_flush(x);
    for (int i = 0; i < x->nq; i++)
        buf_free(&x->cells[i]);
    if (rc != 0) {
        /* A read that failed half-way: the export would be cut short. */
        buf_free(&x->out);
        render_error(r, 500, "internal", "error.internal");
        return;
    }
    char day[11];
    date_format(now_s(), day);
    req_add_header(r, "Content-Disposition",
                   arena_printf(r->arena, "attachment; filename=\"survey-%s-%lld-%s.csv\"",
                                r->comm->slug, (long long)id, day));
    render_bytes(r, 200, "text/csv; charset=utf-8", x->out.data, x->out.len);
    buf_free(&x->out);
}
