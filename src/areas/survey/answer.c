/* Answering surveys (members, or anyone with the link); the results are in
 * results.c.
 * An anonymous survey's answers are shown only as aggregates, only once it
 * has closed and only with at least k responses (the community's threshold
 * of sense-of-community waves, 5 by default, never below 3); its responses carry
 * no account and no date. */
#include "areas/soc/soc.h"
#include "areas/survey/pages.h"
#include "core/app.h"
#include "core/auth.h"
#include "core/ballot.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"
#include "core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const SURVEY_P_ANSWER[] = {
    "q1",  "q2",  "q3",  "q4",  "q5",  "q6",  "q7",  "q8",  "q9",   "q10", "q11", "q12",
    "q13", "q14", "q15", "q16", "q17", "q18", "q19", "q20", "q21",  "q22", "q23", "q24",
    "q25", "q26", "q27", "q28", "q29", "q30", "q31", "q32", "q33",  "q34", "q35", "q36",
    "q37", "q38", "q39", "q40", "o1",  "o2",  "o3",  "o4",  "o5",   "o6",  "o7",  "o8",
    "o9",  "o10", "o11", "o12", "o13", "o14", "o15", "o16", "o17",  "o18", "o19", "o20",
    "o21", "o22", "o23", "o24", "o25", "o26", "o27", "o28", "o29",  "o30", "o31", "o32",
    "o33", "o34", "o35", "o36", "o37", "o38", "o39", "o40", "qids", NULL};

/* The question views for the form: values from the request (after a
 * rejected answer) and errors from f (may be NULL). */
static json_t *form_questions(struct req *r, const struct survey_q *qs, int nq, struct form *f,
                              int use_input)
{
    json_t *out = json_array();
    for (int i = 0; i < nq; i++) {
        const struct survey_q *q = &qs[i];
        int kind = q->kind;
        const char *name = arena_printf(r->arena, "q%d", i + 1);
        const char *oname = arena_printf(r->arena, "o%d", i + 1);
        const char *vals[SURVEY_MAX_OPTIONS + 2];
        int nv = use_input ? req_param_all(r, name, vals, SURVEY_MAX_OPTIONS + 1) : 0;
        json_t *v = json_pack("{ss ss ss sb sb sb sb sb sb ss ss}", "name", name, "oname", oname,
                              "text", q->text, "required", q->required, "is_scale", kind <= 1,
                              "is_single", kind == 2, "is_multi", kind == 3, "is_short", kind == 4,
                              "is_long", kind == 5, "low", q->low, "high", q->high);
        if (kind <= 1) {
            json_t *pts = json_array();
            for (int p = 1; p <= (kind == 0 ? 5 : 10); p++) {
                char s[12];
                snprintf(s, sizeof s, "%d", p);
                int on = 0;
                for (int j = 0; j < nv; j++)
                    on |= str_eq(vals[j], s);
                json_array_append_new(pts, json_pack("{si sb}", "value", p, "checked", on));
            }
            json_object_set_new(v, "points", pts);
        } else if (kind <= 3) {
            const char *opts[SURVEY_MAX_OPTIONS];
            int n = survey_split_options(r->arena, q->options, opts, SURVEY_MAX_OPTIONS);
            json_t *oa = json_array();
            for (int o = 0; o < n; o++) {
                char s[12];
                snprintf(s, sizeof s, "%d", o);
                int on = 0;
                for (int j = 0; j < nv; j++)
                    on |= str_eq(vals[j], s);
                json_array_append_new(
                    oa, json_pack("{si ss sb}", "value", o, "label", opts[o], "checked", on));
            }
            json_object_set_new(v, "options", oa);
            if (q->has_other) {
                int on = 0;
                for (int j = 0; j < nv; j++)
                    on |= str_eq(vals[j], "other");
                const char *ot = use_input ? req_param(r, oname) : NULL;
                json_object_set_new(v, "other",
                                    json_pack("{sb ss}", "checked", on, "text", ot ? ot : ""));
            }
        } else {
            json_object_set_new(v, "value", json_string(nv > 0 ? vals[0] : ""));
        }
        json_t *e = f ? json_object_get(f->errors, name) : NULL;
        if (e) json_object_set(v, "error", e);
        json_array_append_new(out, v);
    }
    return out;
}

/* Checks the answers; fills qids/values (arena) and returns their count,
 * with errors in f. */
static int read_answers(struct req *r, const struct survey_q *qs, int nq, struct form *f,
                        int64_t *qids, const char **values, int max)
{
    int n = 0;
    for (int i = 0; i < nq; i++) {
        const struct survey_q *q = &qs[i];
        int kind = q->kind, required = q->required;
        int64_t qid = q->id;
        const char *name = arena_printf(r->arena, "q%d", i + 1);
        const char *oname = arena_printf(r->arena, "o%d", i + 1);
        const char *vals[SURVEY_MAX_OPTIONS + 2];
        int nv = req_param_all(r, name, vals, SURVEY_MAX_OPTIONS + 1);
        int given = 0;
        if (kind <= 1) {
            int64_t x;
            if (nv > 1 || (nv == 1 && !str_empty(vals[0]) &&
                           (str_to_i64(vals[0], &x) != 0 || x < 1 || x > (kind == 0 ? 5 : 10)))) {
                form_error(f, name, "survey.error.scale");
                continue;
            }
            if (nv == 1 && !str_empty(vals[0]) && n < max) {
                qids[n] = qid;
                values[n++] = vals[0];
                given = 1;
            }
        } else if (kind <= 3) {
            const char *opts[SURVEY_MAX_OPTIONS];
            int no = survey_split_options(r->arena, q->options, opts, SURVEY_MAX_OPTIONS);
            int other = q->has_other;
            if (kind == 2 && nv > 1) {
                form_error(f, name, "survey.error.one");
                continue;
            }
            int bad = 0;
            for (int j = 0; j < nv && !bad; j++) {
                int64_t x;
                if (str_empty(vals[j])) continue;
                if (other && str_eq(vals[j], "other")) {
                    const char *ot = req_param(r, oname);
                    char *t = ot ? str_trim(arena_strdup(r->arena, ot)) : NULL;
                    if (str_empty(t) || utf8_len(t) > SURVEY_SHORT_MAX) {
                        form_error(f, name, "survey.error.other");
                        bad = 1;
                    } else if (n < max) {
                        qids[n] = qid;
                        values[n++] = arena_printf(r->arena, "o:%s", t);
                        given = 1;
                    }
                } else if (str_to_i64(vals[j], &x) != 0 || x < 0 || x >= no) {
                    form_error(f, name, "survey.error.option");
                    bad = 1;
                } else if (n < max) {
                    qids[n] = qid;
                    values[n++] = vals[j];
                    given = 1;
                }
            }
            if (bad) continue;
        } else {
            const char *t = form_text(f, name, 0, kind == 4 ? SURVEY_SHORT_MAX : SURVEY_LONG_MAX);
            if (json_object_get(f->errors, name)) continue;
            if (t && n < max) {
                qids[n] = qid;
                values[n++] = t;
                given = 1;
            }
        }
        if (required && !given) form_error(f, name, "survey.error.required");
    }
    return n;
}

static json_t *answer_view(struct req *r, json_t *s, struct form *f, int use_input,
                           const char *action)
{
    json_t *v = req_own(r, json_pack("{sO ss ss ss}", "title", json_object_get(s, "title"), "slug",
                                     r->comm->slug, "community", r->comm->name, "action", action));
    int64_t id = json_integer_value(json_object_get(s, "id"));
    struct survey_q qs[SURVEY_MAX_QUESTIONS];
    int nq = survey_questions_read(req_db(r), r->arena, id, qs);
    json_object_set_new(v, "questions", form_questions(r, qs, nq, f, use_input));
    /* The questions the form shows, sent back with the answer: the write
     * refuses it when they changed meanwhile. */
    json_object_set_new(v, "qids", json_string(survey_question_ids(req_db(r), r->arena, id)));
    json_object_set(v, "survey", s);
    json_object_set_new(v, "is_staff", json_boolean(survey_is_staff(r)));
    json_t *k = json_object_get(s, "k"); /* an anonymous survey's own k */
    json_object_set_new(v, "k",
                        k ? json_incref(k) : json_integer(soc_k_of(req_db(r), r->comm->id)));
    return v;
}

enum { VOTER_COOKIE_DAYS = 400 };

/* The key of this browser: the hash of a long-lived random cookie set the
 * first time it opens a survey. It marks the browser a member answered in,
 * so that the same browser cannot answer again through the link signed
 * out; another browser, or one whose cookies were cleared, can (its answer
 * is then unverified: see the k rule of link surveys). */
static const char *browser_key(struct req *r)
{
    const char *tok = req_cookie(r, "hr_voter");
    if (!tok || strlen(tok) != AUTH_TOKEN_LEN) {
        char fresh[AUTH_TOKEN_LEN + 1];
        auth_token_new(fresh);
        tok = arena_strdup(r->arena, fresh);
        req_set_cookie(r, "hr_voter", tok, (int64_t)VOTER_COOKIE_DAYS * 86400);
    }
    char h[AUTH_HEX_LEN + 1];
    auth_token_hash(tok, h);
    return arena_printf(r->arena, "t%s", h);
}

/* The person's keys: a member's key (their member id) and their
 * browser's, or a visitor's browser key alone; a signed-in visitor who is
 * not a member answers as a visitor (no account is written anywhere).
 * Returns how many (1 or 2). */
static size_t respondent_keys(struct req *r, const char *keys[2])
{
    size_t n = 0;
    if (r->acct && r->comm->member_id > 0) {
        char v[24];
        survey_member_voter(r->comm->member_id, v);
        keys[n++] = arena_strdup(r->arena, v);
    }
    keys[n++] = browser_key(r);
    return n;
}

/* 1 when any of the keys answered the survey. */
static int answered(struct req *r, const struct survey *sv, const char *const *keys, size_t nk)
{
    if (sv->anonymous && sv->box_id > 0) return ballot_has_voted(req_db(r), sv->box_id, keys, nk);
    for (size_t i = 0; i < nk; i++)
        if (survey_answered(req_db(r), sv->id, keys[i])) return 1;
    return 0;
}

static void show_form(struct req *r, json_t *s, const struct survey *sv, const char *action)
{
    const char *keys[2];
    size_t nk = respondent_keys(r, keys);
    int done = answered(r, sv, keys, nk);
    json_t *v = answer_view(r, s, NULL, 0, action);
    json_object_set_new(v, "answered", json_boolean(done));
    /* The staff see a draft as residents will, without a way to send it. */
    json_object_set_new(v, "preview", json_boolean(!sv->published));
    if (survey_is_staff(r) && sv->link)
        json_object_set_new(
            v, "link",
            json_string(arena_printf(r->arena, "/c/%s/surveys/%lld/s/%s", r->comm->slug,
                                     (long long)sv->id, sv->link_token)));
    render_page(r, 200, "survey/answer", v);
}

/* 1 when the person may not cast into the anonymous survey's box: a
 * members' survey takes the members of the day it was published (its
 * roll, fixed then), so this is known before anything is written. */
static int not_on_roll(struct req *r, int64_t id, const char *voter)
{
    struct ballot_info b;
    int64_t box = survey_box_of(req_db(r), r->comm->id, id);
    return box > 0 && ballot_get(req_db(r), box, &b) == 0 && !b.open_roll &&
           !ballot_on_roll(req_db(r), box, voter);
}

static void take_answer(struct req *r, json_t *s, const struct survey *sv, const char *action,
                        const char *back)
{
    int64_t id = sv->id;
    struct form f;
    form_init(&f, r);
    const char *keys[2];
    size_t nk = respondent_keys(r, keys);
    /* The questions now, and those the form showed (a form without them,
     * from a client that does not send them, is read against today's): the
     * answer is read against the very list it is compared with. */
    struct survey_q qs[SURVEY_MAX_QUESTIONS];
    int nq = survey_questions_read(req_db(r), r->arena, id, qs);
    struct buf ids;
    buf_init(&ids);
    buf_puts(&ids, "");
    for (int i = 0; i < nq; i++)
        buf_printf(&ids, i ? ",%lld" : "%lld", (long long)qs[i].id);
    const char *now_ids = arena_strdup(r->arena, ids.data ? ids.data : "");
    buf_free(&ids);
    const char *shown = req_param(r, "qids");
    if (!shown) shown = now_ids;
    if (!str_eq(shown, now_ids)) {
        form_release(&f);
        render_error(r, 409, "conflict", "survey.error.changed");
        return;
    }
    /* What the page can say before anything is written (the writer checks
     * each again, inside the answer's transaction). */
    if (!sv->published)
        form_error(&f, "survey", "survey.error.draft");
    else if (!sv->open)
        form_error(&f, "survey", "survey.error.closed");
    else if (answered(r, sv, keys, nk))
        form_error(&f, "survey", "survey.error.twice");
    int64_t qids[SURVEY_MAX_QUESTIONS * (SURVEY_MAX_OPTIONS + 1)];
    const char *vals[SURVEY_MAX_QUESTIONS * (SURVEY_MAX_OPTIONS + 1)];
    int n = read_answers(r, qs, nq, &f, qids, vals, (int)HR_ARRAY_LEN(qids));
    if (!form_ok(&f)) {
        render_invalid(r, "survey/answer", answer_view(r, s, &f, 1, action), &f);
        return;
    }
    form_release(&f);
    if (not_on_roll(r, id, keys[0])) {
        render_error(r, 403, "not_eligible", "survey.error.not_eligible");
        return;
    }
    struct survey_answer a = {keys, nk, r->comm->member_id, n, qids, vals, shown};
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? survey_answer_put(w, r->arena, r->comm->id, id, &a, now_s()) : WR_BUSY;
    if (req_commit(r, rc, NULL) != 0) return;
    /* An anonymous answer's pages leave the WAL at once (core/ballot.h). */
    if (sv->anonymous) ballot_flush(r->app->db);
    render_redirect(r, back, "survey.flash.answered");
}

void survey_answer_get(struct req *r)
{
    struct survey sv;
    json_t *s = survey_load(r, survey_is_staff(r), &sv);
    if (s)
        show_form(
            r, s, &sv,
            arena_printf(r->arena, "/c/%s/surveys/%s/answer", r->comm->slug, req_path(r, "id")));
}

void survey_answer_post(struct req *r)
{
    struct survey sv;
    json_t *s = survey_load(r, 0, &sv);
    if (s)
        take_answer(
            r, s, &sv,
            arena_printf(r->arena, "/c/%s/surveys/%s/answer", r->comm->slug, req_path(r, "id")),
            arena_printf(r->arena, "/c/%s/surveys/%s", r->comm->slug, req_path(r, "id")));
}

/* The link: the survey must be a published link survey and the token
 * must match. */
static json_t *load_link(struct req *r, struct survey *sv)
{
    json_t *v = survey_find(r, req_path_int(r, "id"), 0, sv);
    const char *tok = req_path(r, "token");
    if (!v || !sv->link || !sv->published || !tok || !auth_equal(tok, sv->link_token)) {
        render_error(r, 404, "not_found", "error.not_found");
        return NULL;
    }
    return v;
}

void survey_link_get(struct req *r)
{
    struct survey sv;
    json_t *s = load_link(r, &sv);
    if (s) show_form(r, s, &sv, r->path);
}

void survey_link_post(struct req *r)
{
    struct survey sv;
    json_t *s = load_link(r, &sv);
    if (s) take_answer(r, s, &sv, r->path, r->path);
}
