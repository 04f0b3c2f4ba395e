/* Survey builder: the list, templates, settings, questions, copying. The
 * answering side is in answer.c, the results in results.c. */
#include "areas/soc/soc.h"
#include "areas/survey/pages.h"
#include "core/app.h"
#include "core/ballot.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t survey_today(void)
{
    int64_t t = now_s();
    return t - t % 86400;
}

const char *survey_day_str(struct req *r, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    return arena_printf(r->arena, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int64_t survey_path_id(struct req *r, const char *name)
{
    int64_t id = 0;
    if (str_to_i64(req_path(r, name), &id) != 0 || id <= 0) return 0;
    return id;
}

/* Adds state flags to a survey row and drops what the viewer must not see.
 * An anonymous survey's state and count are its ballot box's. */
void survey_decorate(struct req *r, json_t *s, int staff)
{
    int64_t t = survey_today(), now = now_s();
    int64_t from = json_integer_value(json_object_get(s, "opens_on"));
    int64_t to = json_integer_value(json_object_get(s, "closes_on"));
    int64_t box = json_integer_value(json_object_get(s, "box_id"));
    int draft = json_integer_value(json_object_get(s, "published")) == 0;
    int open = !draft && t >= from && t <= to, over = !draft && t > to;
    struct ballot_info b;
    if (!draft && box > 0 && ballot_get(req_db(r), box, &b) == 0) {
        open = ballot_is_open(&b, now);
        over = ballot_is_over(&b, now);
        json_object_set_new(s, "responses", json_integer(b.cast));
        json_object_set_new(s, "k", json_integer(b.k));
        json_object_set_new(s, "count_unverified", json_boolean(b.count_unverified));
    } else {
        json_object_set_new(
            s, "count_unverified",
            json_boolean(json_integer_value(json_object_get(s, "count_unverified")) != 0));
    }
    const char *st = draft ? "draft" : open ? "open" : over ? "closed" : "upcoming";
    json_object_set_new(s, "is_draft", json_boolean(draft));
    json_object_set_new(s, "state", json_string(st));
    json_object_set_new(s, "state_label",
                        json_string(tr(r, arena_printf(r->arena, "survey.state.%s", st))));
    json_object_set_new(s, "is_open", json_boolean(open));
    json_object_set_new(s, "is_closed", json_boolean(over));
    json_object_set_new(
        s, "is_link",
        json_boolean(str_eq(json_string_value(json_object_get(s, "audience")), "link")));
    json_object_set_new(s, "locked",
                        json_boolean(json_integer_value(json_object_get(s, "responses")) > 0));
    json_object_del(s, "opens_on");
    json_object_del(s, "closes_on");
    json_object_del(s, "box_id");
    if (!staff) json_object_del(s, "link_token");
}

int survey_is_staff(struct req *r)
{
    return r->comm->role == ROLE_ORGANIZER || r->comm->role == ROLE_FACILITATOR;
}

json_t *survey_load(struct req *r, int staff)
{
    int64_t id = survey_path_id(r, "id");
    json_t *s = id ? survey_get(req_db(r), r->comm->id, id) : NULL;
    /* A draft does not exist for residents: only the staff see it. */
    if (s && json_integer_value(json_object_get(s, "published")) == 0 && !survey_is_staff(r)) {
        json_decref(s);
        s = NULL;
    }
    if (!s) {
        render_error(r, 404, "not_found", "error.not_found");
        return NULL;
    }
    survey_decorate(r, s, staff);
    return s;
}

int survey_kind_of(json_t *q)
{
    int k = form_choice_index(survey_kinds, json_string_value(json_object_get(q, "kind")));
    return k < 0 ? 4 : k;
}

static json_t *base(struct req *r, const char *title)
{
    json_t *v =
        json_pack("{ss ss ss}", "title", title, "slug", r->comm->slug, "community", r->comm->name);
    json_object_set_new(v, "is_staff", json_boolean(survey_is_staff(r)));
    return v;
}

/* ---- templates ---- */

struct tq {
    const char *kind, *text, *options, *low, *high;
    int required, other;
};

static const struct tq T_QUALITY[] = {
    {"scale5", "survey.tpl.quality.yard", NULL, "survey.tpl.bad", "survey.tpl.good", 1, 0},
    {"scale5", "survey.tpl.quality.light", NULL, "survey.tpl.bad", "survey.tpl.good", 1, 0},
    {"scale5", "survey.tpl.quality.clean", NULL, "survey.tpl.bad", "survey.tpl.good", 1, 0},
    {"scale5", "survey.tpl.quality.safety", NULL, "survey.tpl.bad", "survey.tpl.good", 1, 0},
    {"scale5", "survey.tpl.quality.uk", NULL, "survey.tpl.bad", "survey.tpl.good", 1, 0},
    {"long", "survey.tpl.quality.first", NULL, NULL, NULL, 0, 0},
    {NULL, NULL, NULL, NULL, NULL, 0, 0},
};
static const struct tq T_NEEDS[] = {
    {"multi", "survey.tpl.needs.interests", "survey.tpl.needs.interests.o", NULL, NULL, 1, 1},
    {"single", "survey.tpl.needs.time", "survey.tpl.needs.time.o", NULL, NULL, 1, 0},
    {"short", "survey.tpl.needs.skills", NULL, NULL, NULL, 0, 0},
    {"long", "survey.tpl.needs.missing", NULL, NULL, NULL, 0, 0},
    {NULL, NULL, NULL, NULL, NULL, 0, 0},
};
static const struct tq T_EVENT[] = {
    {"scale10", "survey.tpl.event.overall", NULL, "survey.tpl.bad", "survey.tpl.good", 1, 0},
    {"multi", "survey.tpl.event.liked", "survey.tpl.event.liked.o", NULL, NULL, 0, 1},
    {"single", "survey.tpl.event.again", "survey.tpl.event.again.o", NULL, NULL, 1, 0},
    {"long", "survey.tpl.event.improve", NULL, NULL, NULL, 0, 0},
    {NULL, NULL, NULL, NULL, NULL, 0, 0},
};
static const char *const TEMPLATES[] = {"blank", "quality", "needs", "event", NULL};
static const struct tq *const TEMPLATE_QS[] = {NULL, T_QUALITY, T_NEEDS, T_EVENT};

static const char *trk(struct req *r, const char *key)
{
    return key ? tr(r, key) : "";
}

/* ---- list and create ---- */

static void list_get(struct req *r)
{
    json_t *v = base(r, tr(r, "survey.title"));
    int staff = survey_is_staff(r);
    json_t *rows = survey_list(req_db(r), r->comm->id, staff);
    for (size_t i = 0; i < json_array_size(rows); i++)
        survey_decorate(r, json_array_get(rows, i), staff);
    json_object_set_new(v, "surveys", rows);
    json_object_set_new(v, "templates", json_array());
    for (int i = 0; TEMPLATES[i]; i++)
        json_array_append_new(
            json_object_get(v, "templates"),
            json_pack("{ss ss}", "key", TEMPLATES[i], "label",
                      tr(r, arena_printf(r->arena, "survey.tpl.%s", TEMPLATES[i]))));
    render_page(r, 200, "survey/list", v);
}

static void create_post(struct req *r)
{
    struct form f;
    form_init(&f, r);
    int t = form_choice(&f, "template", TEMPLATES, 1, 0);
    if (!form_ok(&f)) {
        form_release(&f);
        render_error(r, 422, "invalid", "error.bad_choice");
        return;
    }
    form_release(&f);
    struct survey_fields s = {
        tr(r, arena_printf(r->arena, "survey.tpl.%s.title", TEMPLATES[t])),
        t == 0 ? "" : tr(r, arena_printf(r->arena, "survey.tpl.%s.intro", TEMPLATES[t])),
        0,
        1,
        survey_today(),
        survey_today() + 14 * 86400,
        0};
    struct dbc *w = req_write_begin(r);
    int64_t id = w ? survey_create(w, r->comm->id, &s) : -1;
    for (const struct tq *q = TEMPLATE_QS[t]; id > 0 && q && q->kind; q++)
        if (survey_question_add(w, id, q->kind, tr(r, q->text), q->required, trk(r, q->options),
                                q->other, trk(r, q->low), trk(r, q->high)) < 0)
            id = -1;
    if (!w || req_write_end(r, id > 0) != 0 || id <= 0) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    render_redirect(r,
                    arena_printf(r->arena, "/c/%s/surveys/%lld/edit", r->comm->slug, (long long)id),
                    "survey.flash.created");
}

/* ---- edit ---- */

static json_t *edit_view(struct req *r, json_t *s)
{
    json_t *v = base(r, tr(r, "survey.edit.title"));
    json_t *qs = survey_questions(req_db(r), json_integer_value(json_object_get(s, "id")));
    for (size_t i = 0; i < json_array_size(qs); i++) {
        json_t *q = json_array_get(qs, i);
        json_object_set_new(
            q, "kind_label",
            json_string(tr(r, arena_printf(r->arena, "survey.kind.%s",
                                           json_string_value(json_object_get(q, "kind"))))));
        json_object_set_new(q, "first", json_boolean(i == 0));
        /* the question's own edit form shows what is stored */
        json_t *own = json_array();
        for (int k = 0; survey_kinds[k]; k++)
            json_array_append_new(
                own,
                json_pack("{ss ss sb}", "key", survey_kinds[k], "label",
                          tr(r, arena_printf(r->arena, "survey.kind.%s", survey_kinds[k])),
                          "selected",
                          str_eq(survey_kinds[k], json_string_value(json_object_get(q, "kind")))));
        json_object_set_new(q, "kinds", own);
        json_object_set_new(q, "last", json_boolean(i + 1 == json_array_size(qs)));
    }
    json_object_set_new(v, "questions", qs);
    json_t *kinds = json_array();
    for (int i = 0; survey_kinds[i]; i++)
        json_array_append_new(
            kinds, json_pack("{ss ss}", "key", survey_kinds[i], "label",
                             tr(r, arena_printf(r->arena, "survey.kind.%s", survey_kinds[i]))));
    json_object_set_new(v, "kinds", kinds);
    json_object_set_new(v, "form",
                        json_pack("{sO sO sO sb ss ss}", "title", json_object_get(s, "title"),
                                  "intro", json_object_get(s, "intro"), "audience",
                                  json_object_get(s, "audience"), "anonymous",
                                  json_integer_value(json_object_get(s, "anonymous")) != 0,
                                  "opens_on", json_string_value(json_object_get(s, "opens")),
                                  "closes_on", json_string_value(json_object_get(s, "closes"))));
    json_object_set_new(json_object_get(v, "form"), "count_unverified",
                        json_boolean(json_is_true(json_object_get(s, "count_unverified"))));
    json_object_set_new(v, "survey", s);
    json_object_set_new(v, "k", json_integer(soc_k_of(req_db(r), r->comm->id)));
    return v;
}

static void edit_get(struct req *r)
{
    json_t *s = survey_load(r, 1);
    if (s) render_page(r, 200, "survey/edit", edit_view(r, s));
}

static void edit_post(struct req *r)
{
    json_t *s = survey_load(r, 1);
    if (!s) return;
    int64_t id = json_integer_value(json_object_get(s, "id"));
    int locked = json_is_true(json_object_get(s, "locked"));
    struct form f;
    form_init(&f, r);
    struct survey_fields in;
    memset(&in, 0, sizeof in);
    in.title = form_text(&f, "title", 1, SURVEY_TITLE_MAX);
    in.intro = form_text(&f, "intro", 0, SURVEY_INTRO_MAX);
    int aud = form_choice(&f, "audience", survey_audiences, 1, 0);
    in.audience = aud < 0 ? 0 : aud;
    in.anonymous = !str_empty(req_param(r, "anonymous"));
    in.count_unverified = in.anonymous && str_eq(survey_audiences[in.audience], "link") &&
                          !str_empty(req_param(r, "count_unverified"));
    int a = form_date(&f, "opens_on", 1, &in.opens_on);
    int b = form_date(&f, "closes_on", 1, &in.closes_on);
    if (a == 0 && b == 0 && in.closes_on < in.opens_on)
        form_error(&f, "closes_on", "survey.error.dates");
    if (locked && form_ok(&f)) {
        /* With answers in, only the dates may change. */
        if (!str_eq(in.title, json_string_value(json_object_get(s, "title"))))
            form_error(&f, "title", "survey.error.locked");
        if (!str_eq(in.intro ? in.intro : "", json_string_value(json_object_get(s, "intro"))))
            form_error(&f, "intro", "survey.error.locked");
        if (!str_eq(survey_audiences[in.audience],
                    json_string_value(json_object_get(s, "audience"))))
            form_error(&f, "audience", "survey.error.locked");
        if (in.anonymous != (json_integer_value(json_object_get(s, "anonymous")) != 0))
            form_error(&f, "anonymous", "survey.error.locked");
        if (in.count_unverified != json_is_true(json_object_get(s, "count_unverified")))
            form_error(&f, "count_unverified", "survey.error.locked");
    }
    if (!form_ok(&f)) {
        json_t *v = edit_view(r, s);
        json_object_del(v, "form");
        json_object_set_new(f.values, "anonymous", json_boolean(in.anonymous));
        json_object_set_new(f.values, "count_unverified", json_boolean(in.count_unverified));
        render_invalid(r, "survey/edit", v, &f);
        return;
    }
    /* The writer decides: an anonymous survey's dates move only while its
     * ballot box is open (no result may be read and then added to). */
    struct dbc *w = req_write_begin(r);
    int rc = !w       ? -1
             : locked ? survey_set_dates(w, r->comm->id, id, in.opens_on, in.closes_on)
                      : survey_update(w, r->comm->id, id, &in);
    if (!w || req_write_end(r, rc == 0) != 0) rc = rc == 0 ? -1 : rc;
    if (rc == -2 || rc == -3) {
        form_error(&f, "closes_on", rc == -2 ? "survey.error.reopen" : "survey.error.past");
        json_t *v = edit_view(r, s);
        json_object_del(v, "form");
        json_object_set_new(f.values, "anonymous", json_boolean(in.anonymous));
        json_object_set_new(f.values, "count_unverified", json_boolean(in.count_unverified));
        render_invalid(r, "survey/edit", v, &f);
        return;
    }
    form_release(&f);
    json_decref(s);
    if (rc != 0) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    render_redirect(r,
                    arena_printf(r->arena, "/c/%s/surveys/%lld/edit", r->comm->slug, (long long)id),
                    "flash.saved");
}

/* Adds a question (qid 0) or rewrites question qid of a survey nobody
 * answered: one reading and one check of the fields for both. */
static void question_save(struct req *r, int64_t qid)
{
    json_t *s = survey_load(r, 1);
    if (!s) return;
    int64_t id = json_integer_value(json_object_get(s, "id"));
    struct form f;
    form_init(&f, r);
    int kind = form_choice(&f, "kind", survey_kinds, 1, 0);
    const char *text = form_text(&f, "text", 1, SURVEY_QTEXT_MAX);
    const char *opts = form_text(&f, "options", 0, 4000);
    const char *low = form_text(&f, "low_label", 0, 60);
    const char *high = form_text(&f, "high_label", 0, 60);
    int required = !str_empty(req_param(r, "required"));
    int other = !str_empty(req_param(r, "other"));
    const char *list[SURVEY_MAX_OPTIONS];
    int nopt = survey_split_options(r->arena, opts, list, SURVEY_MAX_OPTIONS);
    if (kind == 2 || kind == 3) {
        if (nopt < 2) form_error(&f, "options", "survey.error.options");
    }
    if (json_is_true(json_object_get(s, "locked"))) {
        form_error(&f, "text", "survey.error.locked");
    } else if (!qid) {
        json_t *qs = survey_questions(req_db(r), id);
        if (json_array_size(qs) >= SURVEY_MAX_QUESTIONS)
            form_error(&f, "text", "survey.error.too_many");
        json_decref(qs);
    }
    if (!form_ok(&f)) {
        json_t *v = edit_view(r, s);
        json_object_del(v, "form");
        render_invalid(r, "survey/edit", v, &f);
        return;
    }
    form_release(&f);
    json_decref(s);
    /* Options are stored normalised: one per line, trimmed. */
    struct buf b;
    buf_init(&b);
    for (int i = 0; kind >= 2 && kind <= 3 && i < nopt; i++) {
        buf_puts(&b, list[i]);
        buf_putc(&b, '\n');
    }
    int choice = kind >= 2 && kind <= 3;
    struct dbc *w = req_write_begin(r);
    int64_t rc = -1;
    if (w && !qid)
        rc = survey_question_add(w, id, survey_kinds[kind], text, required, b.data ? b.data : "",
                                 choice && other, kind <= 1 ? low : "", kind <= 1 ? high : "");
    else if (w)
        rc = survey_question_update(w, id, qid, survey_kinds[kind], text, required,
                                    b.data ? b.data : "", choice && other, kind <= 1 ? low : "",
                                    kind <= 1 ? high : "");
    buf_free(&b);
    if (!w || req_write_end(r, rc >= 0) != 0) rc = -1;
    if (rc == 0 && qid) rc = -2; /* the question is gone */
    if (rc == -2) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    if (rc < 0) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    render_redirect(r,
                    arena_printf(r->arena, "/c/%s/surveys/%lld/edit", r->comm->slug, (long long)id),
                    "flash.saved");
}

static void question_add(struct req *r)
{
    question_save(r, 0);
}

static void question_edit(struct req *r)
{
    int64_t qid = survey_path_id(r, "qid");
    if (!qid) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    question_save(r, qid);
}

static void question_change(struct req *r, int what)
{
    json_t *s = survey_load(r, 1);
    if (!s) return;
    int64_t id = json_integer_value(json_object_get(s, "id"));
    int locked = json_is_true(json_object_get(s, "locked"));
    json_decref(s);
    if (locked) {
        render_error(r, 409, "locked", "survey.error.locked");
        return;
    }
    int64_t qid = survey_path_id(r, "qid");
    struct dbc *w = req_write_begin(r);
    int rc = !w          ? -1
             : what == 2 ? survey_question_delete(w, id, qid)
                         : survey_question_move(w, id, qid, what == 0);
    if (!w || req_write_end(r, rc == 0) != 0 || rc != 0) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    render_redirect(
        r, arena_printf(r->arena, "/c/%s/surveys/%lld/edit", r->comm->slug, (long long)id), NULL);
}

static void question_up(struct req *r)
{
    question_change(r, 0);
}
static void question_down(struct req *r)
{
    question_change(r, 1);
}
/* A confirmation page of this area: heading, what, what is lost, the
 * action and its button, and the way back. */
static void confirm_page(struct req *r, const char *heading, const char *what, const char *loss,
                         const char *action, const char *yes, const char *back)
{
    json_t *v = base(r, heading);
    json_object_set_new(v, "heading", json_string(heading));
    json_object_set_new(v, "what", json_string(what ? what : ""));
    json_object_set_new(v, "loss", json_string(loss));
    json_object_set_new(v, "action", json_string(action));
    json_object_set_new(v, "yes", json_string(yes));
    json_object_set_new(v, "back", json_string(back));
    render_page(r, 200, "survey/confirm", v);
}

static void question_delete_get(struct req *r)
{
    json_t *s = survey_load(r, 1);
    if (!s) return;
    int64_t id = json_integer_value(json_object_get(s, "id")), qid = survey_path_id(r, "qid");
    json_t *qs = survey_questions(req_db(r), id), *q = NULL;
    for (size_t i = 0; i < json_array_size(qs) && !q; i++)
        if (json_integer_value(json_object_get(json_array_get(qs, i), "id")) == qid)
            q = json_array_get(qs, i);
    const char *text =
        q ? arena_strdup(r->arena, json_string_value(json_object_get(q, "text"))) : NULL;
    json_decref(qs);
    json_decref(s);
    if (!text) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    const char *edit =
        arena_printf(r->arena, "/c/%s/surveys/%lld/edit", r->comm->slug, (long long)id);
    confirm_page(r, tr(r, "survey.q.delete.title"), text, tr(r, "survey.q.delete.loss"),
                 arena_printf(r->arena, "/c/%s/surveys/%lld/questions/%lld/delete", r->comm->slug,
                              (long long)id, (long long)qid),
                 tr(r, "survey.q.delete.yes"), edit);
}

static void close_get(struct req *r)
{
    json_t *s = survey_load(r, 1);
    if (!s) return;
    int64_t id = json_integer_value(json_object_get(s, "id"));
    const char *title = arena_strdup(r->arena, json_string_value(json_object_get(s, "title")));
    json_decref(s);
    confirm_page(r, tr(r, "survey.close"), title, tr(r, "survey.close.hint"),
                 arena_printf(r->arena, "/c/%s/surveys/%lld/close", r->comm->slug, (long long)id),
                 tr(r, "survey.close"),
                 arena_printf(r->arena, "/c/%s/surveys/%lld/edit", r->comm->slug, (long long)id));
}

static void question_delete(struct req *r)
{
    question_change(r, 2);
}

static void copy_post(struct req *r)
{
    json_t *s = survey_load(r, 1);
    if (!s) return;
    const char *title = arena_printf(r->arena, "%s %s", tr(r, "survey.copy.prefix"),
                                     json_string_value(json_object_get(s, "title")));
    int64_t id = json_integer_value(json_object_get(s, "id"));
    json_decref(s);
    struct dbc *w = req_write_begin(r);
    int64_t nid = w ? survey_copy(w, r->comm->id, id, title) : -1;
    if (!w || req_write_end(r, nid > 0) != 0 || nid <= 0) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    render_redirect(
        r, arena_printf(r->arena, "/c/%s/surveys/%lld/edit", r->comm->slug, (long long)nid),
        "survey.flash.copied");
}

static const char *const P_CREATE[] = {"template", NULL};
static const char *const P_PAGE[] = {"page", NULL};
/* Closes an anonymous survey now, for good: its ballot box takes no more
 * answers and its results may be shown (with at least k). */
static void close_post(struct req *r)
{
    int64_t id = survey_path_id(r, "id");
    struct dbc *w = req_write_begin(r);
    int rc = w ? survey_close(w, r->comm->id, id) : -3;
    if (!w || req_write_end(r, rc == 0) != 0) rc = rc == 0 ? -3 : rc;
    if (rc == -1) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    if (rc == -2) {
        render_error(r, 409, "closed", "survey.error.closed_already");
        return;
    }
    if (rc != 0) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    ballot_flush(r->app->db);
    render_redirect(
        r, arena_printf(r->arena, "/c/%s/surveys/%lld/results", r->comm->slug, (long long)id),
        "survey.flash.closed");
}

/* The confirmation of a delete, a page that works without JavaScript and
 * says what will be lost. */
static void delete_get(struct req *r)
{
    json_t *s = survey_load(r, 1);
    if (!s) return;
    int64_t id = json_integer_value(json_object_get(s, "id"));
    json_t *qs = survey_questions(req_db(r), id);
    json_t *v = base(r, tr(r, "survey.delete.title"));
    json_object_set_new(v, "questions", json_integer((json_int_t)json_array_size(qs)));
    json_object_set(v, "responses", json_object_get(s, "responses"));
    json_decref(qs);
    json_object_set_new(v, "survey", s);
    render_page(r, 200, "survey/delete", v);
}

static void delete_post(struct req *r)
{
    int64_t id = survey_path_id(r, "id");
    struct dbc *w = req_write_begin(r);
    int rc = w ? survey_delete(w, r->comm->id, id) : -1;
    if (!w || req_write_end(r, rc == 0) != 0) rc = rc == 0 ? -1 : rc;
    if (rc == -2) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    if (rc != 0) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    ballot_flush(r->app->db); /* nothing of it stays in the WAL */
    render_redirect(r, arena_printf(r->arena, "/c/%s/surveys", r->comm->slug),
                    "survey.flash.deleted");
}

/* Publishes a draft: from now on residents see and answer it. */
static void publish_post(struct req *r)
{
    json_t *s = survey_load(r, 1);
    if (!s) return;
    int64_t id = json_integer_value(json_object_get(s, "id"));
    struct dbc *w = req_write_begin(r);
    int rc = w ? survey_publish(w, r->comm->id, id) : -1;
    if (!w || req_write_end(r, rc == 0) != 0) rc = rc == 0 ? -1 : rc;
    if (rc == -3) {
        struct form f;
        form_init(&f, r);
        form_error(&f, "publish", "survey.error.no_questions");
        json_t *v = edit_view(r, s);
        render_invalid(r, "survey/edit", v, &f);
        return;
    }
    json_decref(s);
    if (rc == -2) {
        render_error(r, 409, "published", "survey.error.published");
        return;
    }
    if (rc == -4) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    if (rc != 0) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    render_redirect(r, arena_printf(r->arena, "/c/%s/surveys/%lld", r->comm->slug, (long long)id),
                    "survey.flash.published");
}

static const char *const P_EDIT[] = {"count_unverified", "title",    "intro",     "audience",
                                     "anonymous",        "opens_on", "closes_on", NULL};
static const char *const P_QUESTION[] = {"kind",      "text",       "options",  "other",
                                         "low_label", "high_label", "required", NULL};

static const struct route survey_routes[] = {
    {"GET", "/c/{slug}/surveys", CAP_C_MEMBER, 0, NULL, list_get, NULL},
    {"POST", "/c/{slug}/surveys", CAP_C_STAFF, 0, P_CREATE, create_post, NULL},
    {"GET", "/c/{slug}/surveys/{id:int}", CAP_C_MEMBER, 0, NULL, survey_answer_get, NULL},
    {"POST", "/c/{slug}/surveys/{id:int}/answer", CAP_C_MEMBER, 0, SURVEY_P_ANSWER,
     survey_answer_post, NULL},
    {"GET", "/c/{slug}/surveys/{id:int}/s/{token}", CAP_C_SEE, 0, NULL, survey_link_get, NULL},
    {"POST", "/c/{slug}/surveys/{id:int}/s/{token}", CAP_C_SEE, 0, SURVEY_P_ANSWER,
     survey_link_post, NULL},
    {"GET", "/c/{slug}/surveys/{id:int}/results", CAP_C_MEMBER, 0, NULL, survey_results_get, NULL},
    {"GET", "/c/{slug}/surveys/{id:int}/results.csv", CAP_C_STAFF, 0, NULL, survey_results_csv,
     NULL},
    {"GET", "/c/{slug}/surveys/{id:int}/results/{qid:int}", CAP_C_MEMBER, 0, P_PAGE,
     survey_results_texts_get, NULL},
    {"GET", "/c/{slug}/surveys/{id:int}/edit", CAP_C_STAFF, 0, NULL, edit_get, NULL},
    {"POST", "/c/{slug}/surveys/{id:int}/edit", CAP_C_STAFF, 0, P_EDIT, edit_post, NULL},
    {"POST", "/c/{slug}/surveys/{id:int}/copy", CAP_C_STAFF, 0, NULL, copy_post, NULL},
    {"GET", "/c/{slug}/surveys/{id:int}/close", CAP_C_STAFF, 0, NULL, close_get, NULL},
    {"POST", "/c/{slug}/surveys/{id:int}/close", CAP_C_STAFF, 0, NULL, close_post, NULL},
    {"POST", "/c/{slug}/surveys/{id:int}/publish", CAP_C_STAFF, 0, NULL, publish_post, NULL},
    {"GET", "/c/{slug}/surveys/{id:int}/delete", CAP_C_STAFF, 0, NULL, delete_get, NULL},
    {"POST", "/c/{slug}/surveys/{id:int}/delete", CAP_C_STAFF, 0, NULL, delete_post, NULL},
    {"POST", "/c/{slug}/surveys/{id:int}/questions", CAP_C_STAFF, 0, P_QUESTION, question_add,
     NULL},
    {"POST", "/c/{slug}/surveys/{id:int}/questions/{qid:int}/edit", CAP_C_STAFF, 0, P_QUESTION,
     question_edit, NULL},
    {"POST", "/c/{slug}/surveys/{id:int}/questions/{qid:int}/up", CAP_C_STAFF, 0, NULL, question_up,
     NULL},
    {"POST", "/c/{slug}/surveys/{id:int}/questions/{qid:int}/down", CAP_C_STAFF, 0, NULL,
     question_down, NULL},
    {"GET", "/c/{slug}/surveys/{id:int}/questions/{qid:int}/delete", CAP_C_STAFF, 0, NULL,
     question_delete_get, NULL},
    {"POST", "/c/{slug}/surveys/{id:int}/questions/{qid:int}/delete", CAP_C_STAFF, 0, NULL,
     question_delete, NULL},
    {0},
};

static const struct route_table survey_tables[] = {{SCOPE_COMMUNITY, survey_routes}, {0}};

const struct area survey_area = {
    .name = "survey",
    .routes = survey_tables,
    .nav_path = "/surveys",
    .nav_label = "survey.nav",
    .demo = demo_survey,
    .bench = benchdata_survey,
};
