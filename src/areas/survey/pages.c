/* Survey builder: the list, templates, settings, questions, copying. The
 * answering side is in answer.c, the results in results.c. */
#include "core/notify.h"
#include "areas/soc/soc.h"
#include "areas/survey/pages.h"
#include "core/notify.h"
#include "core/app.h"
#include "core/ballot.h"
#include "core/db.h"
#include "core/form.h"
#include "core/i18n.h"
#include "core/render.h"

#include <stdlib.h>
#include <string.h>

int64_t survey_today(void)
{
    int64_t t = now_s();
    return t - t % 86400;
}

/* What a survey's view carries: the link's secret only to the staff, and
 * only on the pages of the staff (results pages never show it). */
static const struct vfield SURVEY_FIELDS[] = {
    {"id", CAP_ANY},
    {"title", CAP_ANY},
    {"intro", CAP_ANY},
    {"audience", CAP_ANY},
    {"anonymous", CAP_ANY},
    {"published", CAP_ANY},
    {"copied_from", CAP_ANY},
    {"opens", CAP_ANY},
    {"closes", CAP_ANY},
    {"responses", CAP_ANY},
    {NULL, 0},
};
static const struct vfield SURVEY_FIELDS_STAFF[] = {
    {"id", CAP_ANY},          {"title", CAP_ANY},          {"intro", CAP_ANY},
    {"audience", CAP_ANY},    {"anonymous", CAP_ANY},      {"published", CAP_ANY},
    {"copied_from", CAP_ANY}, {"opens", CAP_ANY},          {"closes", CAP_ANY},
    {"responses", CAP_ANY},   {"link_token", CAP_C_STAFF}, {NULL, 0},
};

/* What a question's view carries: all of it is what residents answer. */
static const struct vfield QUESTION_FIELDS[] = {
    {"id", CAP_ANY},         {"pos", CAP_ANY},
    {"kind", CAP_ANY},       {"text", CAP_ANY},
    {"required", CAP_ANY},   {"options", CAP_ANY},
    {"has_other", CAP_ANY},  {"low_label", CAP_ANY},
    {"high_label", CAP_ANY}, {NULL, 0},
};

struct vmask survey_question_mask(struct req *r)
{
    return view_mask(r, QUESTION_FIELDS);
}

struct vmask survey_mask(struct req *r, int staff)
{
    return view_mask(r, staff ? SURVEY_FIELDS_STAFF : SURVEY_FIELDS);
}

/* Adds the survey's state to its view. An anonymous survey's state and
 * count are its ballot box's. */
void survey_decorate(struct req *r, json_t *v, struct survey *s)
{
    int64_t t = survey_today(), now = now_s();
    int draft = !s->published;
    int open = !draft && t >= s->opens_on && t <= s->closes_on;
    int over = !draft && t > s->closes_on;
    struct ballot_info b;
    if (!draft && s->box_id > 0 && ballot_get(req_db(r), s->box_id, &b) == 0) {
        open = ballot_is_open(&b, now);
        over = ballot_is_over(&b, now);
        s->responses = b.cast;
        json_object_set_new(v, "responses", json_integer(b.cast));
        json_object_set_new(v, "k", json_integer(b.k));
        json_object_set_new(v, "count_unverified", json_boolean(b.count_unverified));
    } else {
        json_object_set_new(v, "count_unverified", json_boolean(s->count_unverified));
    }
    const char *st = draft ? "draft" : open ? "open" : over ? "closed" : "upcoming";
    json_object_set_new(v, "is_draft", json_boolean(draft));
    json_object_set_new(v, "state", json_string(st));
    json_object_set_new(v, "state_label",
                        json_string(tr(r, arena_printf(r->arena, "survey.state.%s", st))));
    json_object_set_new(v, "is_open", json_boolean(open));
    json_object_set_new(v, "is_closed", json_boolean(over));
    json_object_set_new(v, "is_link", json_boolean(s->link));
    json_object_set_new(v, "locked", json_boolean(s->responses > 0));
    s->open = open;
    s->over = over;
}

int survey_is_staff(struct req *r)
{
    return req_has(r, CAP_C_STAFF);
}

json_t *survey_find(struct req *r, int64_t id, int staff, struct survey *out)
{
    struct vmask m = survey_mask(r, staff);
    json_t *v = id > 0 ? survey_get(req_db(r), r->arena, &m, r->comm->id, id, out) : NULL;
    if (!v) return NULL;
    req_own(r, v);
    survey_decorate(r, v, out);
    return v;
}

json_t *survey_load(struct req *r, int staff, struct survey *out)
{
    json_t *v = survey_find(r, req_path_int(r, "id"), staff, out);
    /* A draft does not exist for residents: only the staff see it. */
    if (v && !out->published && !survey_is_staff(r)) v = NULL;
    if (!v) render_error(r, 404, "not_found", "error.not_found");
    return v;
}

int survey_kind_of(json_t *q)
{
    int k = form_choice_index(survey_kinds, json_string_value(json_object_get(q, "kind")));
    return k < 0 ? 4 : k;
}

static json_t *base(struct req *r, const char *title)
{
    json_t *v = req_own(r, json_pack("{ss ss ss}", "title", title, "slug", r->comm->slug,
                                     "community", r->comm->name));
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

static const struct field FORM_CREATE[] = {
    {"template", F_CHOICE, 1, 0, 0, TEMPLATES, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_EDIT[] = {
    {"title", F_TEXT, 1, 0, SURVEY_TITLE_MAX, NULL, NULL},
    {"intro", F_TEXT, 0, 0, SURVEY_INTRO_MAX, NULL, NULL},
    {"audience", F_CHOICE, 1, 0, 0, survey_audiences, NULL},
    {"anonymous", F_CHECK, 0, 0, 0, NULL, NULL},
    {"count_unverified", F_CHECK, 0, 0, 0, NULL, NULL},
    {"opens_on", F_DATE, 1, 0, 0, NULL, NULL},
    {"closes_on", F_DATE, 1, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_QUESTION[] = {
    {"kind", F_CHOICE, 1, 0, 0, survey_kinds, NULL},
    {"text", F_TEXT, 1, 0, SURVEY_QTEXT_MAX, NULL, NULL},
    {"options", F_TEXT, 0, 0, 4000, NULL, NULL},
    {"other", F_CHECK, 0, 0, 0, NULL, NULL},
    {"low_label", F_TEXT, 0, 0, 60, NULL, NULL},
    {"high_label", F_TEXT, 0, 0, 60, NULL, NULL},
    {"required", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static const char *edit_url(struct req *r, int64_t id)
{
    return arena_printf(r->arena, "/c/%s/surveys/%lld/edit", r->comm->slug, (long long)id);
}

static const char *trk(struct req *r, const char *key)
{
    return key ? tr(r, key) : "";
}

/* ---- list and create ---- */

static void list_get(struct req *r)
{
    json_t *v = base(r, tr(r, "survey.title"));
    int staff = survey_is_staff(r);
    struct vmask m = survey_mask(r, 0); /* the list never shows a link's secret */
    struct survey *ss = NULL;
    json_t *rows = survey_list(req_db(r), r->arena, &m, r->comm->id, staff, &ss);
    for (size_t i = 0; i < json_array_size(rows); i++)
        survey_decorate(r, json_array_get(rows, i), &ss[i]);
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
    int ok = form_read(&f, r, FORM_CREATE);
    int t = (int)form_num(&f, "template", 0);
    form_release(&f);
    if (!ok) {
        render_error(r, 422, "invalid", "error.bad_choice");
        return;
    }
    struct survey_fields s = {
        tr(r, arena_printf(r->arena, "survey.tpl.%s.title", TEMPLATES[t])),
        t == 0 ? "" : tr(r, arena_printf(r->arena, "survey.tpl.%s.intro", TEMPLATES[t])),
        0,
        1,
        survey_today(),
        survey_today() + 14 * 86400,
        0};
    struct dbc *w = req_write_begin(r);
    int64_t id = 0;
    enum wr rc = w ? survey_create(w, r->comm->id, &s, &id) : WR_BUSY;
    for (const struct tq *q = TEMPLATE_QS[t]; rc == WR_OK && q && q->kind; q++) {
        struct survey_question sq = {q->kind,        tr(r, q->text),  trk(r, q->options),
                                     trk(r, q->low), trk(r, q->high), q->required,
                                     q->other};
        rc = survey_question_add(w, r->comm->id, id, &sq);
    }
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, edit_url(r, id), "survey.flash.created");
}

/* ---- edit ---- */

static json_t *edit_view(struct req *r, json_t *s)
{
    json_t *v = base(r, tr(r, "survey.edit.title"));
    struct vmask m = survey_question_mask(r);
    json_t *qs = survey_questions(req_db(r), &m, json_integer_value(json_object_get(s, "id")));
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
    json_object_set(v, "survey", s);
    json_object_set_new(v, "k", json_integer(soc_k_of(req_db(r), r->comm->id)));
    return v;
}

/* The settings form filled with what is stored: saved unchanged, it
 * stores what it showed. */
static void edit_fill(struct req *r, json_t *s, struct form *f)
{
    json_t *stored = req_own(
        r, json_pack("{sO sO sO sb ss ss sb}", "title", json_object_get(s, "title"), "intro",
                     json_object_get(s, "intro"), "audience", json_object_get(s, "audience"),
                     "anonymous", json_integer_value(json_object_get(s, "anonymous")) != 0,
                     "opens_on", json_string_value(json_object_get(s, "opens")), "closes_on",
                     json_string_value(json_object_get(s, "closes")), "count_unverified",
                     json_is_true(json_object_get(s, "count_unverified"))));
    form_fill(f, r, FORM_EDIT, stored);
}

static void edit_get(struct req *r)
{
    struct survey sv;
    json_t *s = survey_load(r, 1, &sv);
    if (!s) return;
    struct form f;
    edit_fill(r, s, &f);
    json_t *v = edit_view(r, s);
    form_to_view(&f, v);
    form_release(&f);
    render_page(r, 200, "survey/edit", v);
}

/* The edit page again with the form's input and its messages (422). */
static void edit_invalid(struct req *r, json_t *s, struct form *f)
{
    render_invalid(r, "survey/edit", edit_view(r, s), f);
}

/* The dates a locked survey may take, as its box will judge them at the
 * write (which decides): the form says why before anything is tried. */
static void check_dates(struct req *r, json_t *s, struct form *f, int64_t opens, int64_t closes)
{
    struct ballot_info b;
    int64_t id = json_integer_value(json_object_get(s, "id")), now = now_s();
    int64_t box = survey_box_of(req_db(r), r->comm->id, id);
    if (box <= 0 || ballot_get(req_db(r), box, &b) != 0) return;
    if (ballot_is_over(&b, now))
        form_error(f, "closes_on", "survey.error.reopen");
    else if (closes + 86400 <= now || (b.cast > 0 && opens > b.opens_at))
        form_error(f, "closes_on", "survey.error.past");
}

static void edit_post(struct req *r)
{
    struct survey sv;
    json_t *s = survey_load(r, 1, &sv);
    if (!s) return;
    int64_t id = sv.id;
    int locked = sv.responses > 0;
    struct form f;
    form_read(&f, r, FORM_EDIT);
    struct survey_fields in;
    memset(&in, 0, sizeof in);
    in.title = form_str(&f, "title");
    in.intro = form_str(&f, "intro");
    in.audience = (int)form_num(&f, "audience", 0);
    if (in.audience < 0) in.audience = 0;
    in.anonymous = (int)form_num(&f, "anonymous", 0);
    in.count_unverified = in.anonymous && str_eq(survey_audiences[in.audience], "link") &&
                          form_num(&f, "count_unverified", 0);
    in.opens_on = form_num(&f, "opens_on", 0);
    in.closes_on = form_num(&f, "closes_on", 0);
    if (form_ok(&f) && in.closes_on < in.opens_on)
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
        if (in.anonymous != (sv.anonymous != 0)) form_error(&f, "anonymous", "survey.error.locked");
        if (in.count_unverified != json_is_true(json_object_get(s, "count_unverified")))
            form_error(&f, "count_unverified", "survey.error.locked");
        if (form_ok(&f)) check_dates(r, s, &f, in.opens_on, in.closes_on);
    }
    json_object_set_new(f.values, "anonymous", json_boolean(in.anonymous));
    json_object_set_new(f.values, "count_unverified", json_boolean(in.count_unverified));
    if (!form_ok(&f)) {
        edit_invalid(r, s, &f);
        return;
    }
    /* The writer decides: an answer that came in since the page was read
     * locks the survey, and an anonymous survey's dates move only while
     * its ballot box is open (no result may be read and then added to). */
    struct dbc *w = req_write_begin(r);
    enum wr rc = !w       ? WR_BUSY
                 : locked ? survey_set_dates(w, r->comm->id, id, in.opens_on, in.closes_on)
                          : survey_update(w, r->comm->id, id, &in);
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, edit_url(r, id), "flash.saved");
}

/* Adds a question (qid 0) or rewrites question qid of a draft: one
 * reading and one check of the fields for both. */
static void question_save(struct req *r, int64_t qid)
{
    struct survey sv;
    json_t *s = survey_load(r, 1, &sv);
    if (!s) return;
    int64_t id = sv.id;
    struct form f;
    form_read(&f, r, FORM_QUESTION);
    int kind = (int)form_num(&f, "kind", 0);
    const char *list[SURVEY_MAX_OPTIONS];
    int nopt = survey_split_options(r->arena, form_str(&f, "options"), list, SURVEY_MAX_OPTIONS);
    int choice = kind == 2 || kind == 3;
    if (choice && nopt < 2) form_error(&f, "options", "survey.error.options");
    if (sv.responses > 0) {
        form_error(&f, "text", "survey.error.locked");
    } else if (!qid) {
        if (survey_question_count(req_db(r), id) >= SURVEY_MAX_QUESTIONS)
            form_error(&f, "text", "survey.error.too_many");
    }
    if (!form_ok(&f)) {
        edit_invalid(r, s, &f);
        return;
    }
    /* Options are stored normalised: one per line, trimmed. */
    struct buf b;
    buf_init(&b);
    for (int i = 0; choice && i < nopt; i++) {
        buf_puts(&b, list[i]);
        buf_putc(&b, '\n');
    }
    struct survey_question q = {survey_kinds[kind],
                                form_str(&f, "text"),
                                b.data ? b.data : "",
                                kind <= 1 ? form_str(&f, "low_label") : "",
                                kind <= 1 ? form_str(&f, "high_label") : "",
                                (int)form_num(&f, "required", 0),
                                choice && form_num(&f, "other", 0)};
    /* The writer decides whether the survey is still a draft. */
    struct dbc *w = req_write_begin(r);
    enum wr rc = !w     ? WR_BUSY
                 : !qid ? survey_question_add(w, r->comm->id, id, &q)
                        : survey_question_update(w, r->comm->id, id, qid, &q);
    buf_free(&b);
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, edit_url(r, id), "flash.saved");
}

static void question_add(struct req *r)
{
    question_save(r, 0);
}

static void question_edit(struct req *r)
{
    question_save(r, req_path_int(r, "qid"));
}

static void question_change(struct req *r, int what)
{
    struct survey sv;
    json_t *s = survey_load(r, 1, &sv);
    if (!s) return;
    int64_t id = sv.id;
    if (sv.responses > 0) {
        render_error(r, 409, "locked", "survey.error.locked");
        return;
    }
    int64_t qid = req_path_int(r, "qid");
    struct dbc *w = req_write_begin(r);
    enum wr rc = !w          ? WR_BUSY
                 : what == 2 ? survey_question_delete(w, r->comm->id, id, qid)
                             : survey_question_move(w, r->comm->id, id, qid, what == 0);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, edit_url(r, id), NULL);
}

static void question_up(struct req *r)
{
    question_change(r, 0);
}
static void question_down(struct req *r)
{
    question_change(r, 1);
}
static void question_delete_get(struct req *r)
{
    struct survey sv;
    json_t *s = survey_load(r, 1, &sv);
    if (!s) return;
    int64_t id = sv.id, qid = req_path_int(r, "qid");
    struct survey_q qs[SURVEY_MAX_QUESTIONS];
    int nq = survey_questions_read(req_db(r), r->arena, id, qs);
    const char *text = NULL;
    for (int i = 0; i < nq && !text; i++)
        if (qs[i].id == qid) text = qs[i].text;
    if (!text) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    struct confirm c = {.title = tr(r, "survey.q.delete.title"),
                        .what = text,
                        .loss = tr(r, "survey.q.delete.loss"),
                        .back = edit_url(r, id),
                        .back_label = tr(r, "survey.title"),
                        .button = tr(r, "survey.q.delete.yes"),
                        .final = 0};
    render_confirm(r, &c);
}

static void close_get(struct req *r)
{
    struct survey sv;
    json_t *s = survey_load(r, 1, &sv);
    if (!s) return;
    int64_t id = sv.id;
    struct confirm c = {.title = tr(r, "survey.close"),
                        .what = json_string_value(json_object_get(s, "title")),
                        .loss = tr(r, "survey.close.hint"),
                        .back = edit_url(r, id),
                        .back_label = tr(r, "survey.title"),
                        .button = tr(r, "survey.close"),
                        .final = 0};
    render_confirm(r, &c);
}

static void question_delete(struct req *r)
{
    question_change(r, 2);
}

static void copy_post(struct req *r)
{
    struct survey sv;
    json_t *s = survey_load(r, 1, &sv);
    if (!s) return;
    const char *title = arena_printf(r->arena, "%s %s", tr(r, "survey.copy.prefix"),
                                     json_string_value(json_object_get(s, "title")));
    int64_t id = sv.id, nid = 0;
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? survey_copy(w, r->comm->id, id, title, &nid) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, edit_url(r, nid), "survey.flash.copied");
}

static const char *const P_PAGE[] = {"page", NULL};
/* Closes an anonymous survey now, for good: its ballot box takes no more
 * answers and its results may be shown (with at least k). */
static void close_post(struct req *r)
{
    int64_t id = req_path_int(r, "id");
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? survey_close(w, r->comm->id, id) : WR_BUSY;
    if (req_commit(r, rc, NULL) != 0) return;
    ballot_flush(r->app->db);
    render_redirect(
        r, arena_printf(r->arena, "/c/%s/surveys/%lld/results", r->comm->slug, (long long)id),
        "survey.flash.closed");
}

/* The confirmation of a delete, a page that works without JavaScript and
 * says what will be lost: how many questions and answers go with it. */
static void delete_get(struct req *r)
{
    struct survey sv;
    json_t *s = survey_load(r, 1, &sv);
    if (!s) return;
    int64_t id = sv.id;
    int64_t nq = survey_question_count(req_db(r), id);
    int64_t na = sv.responses;
    const char *loss =
        arena_printf(r->arena, "%s %s%s%s", tr_n(r, "survey.delete.loss", "questions", nq),
                     tr_n(r, "survey.delete.answers", "responses", na), sv.anonymous ? " " : "",
                     sv.anonymous ? tr(r, "survey.delete.anonymous") : "");
    struct confirm c = {
        .title = tr(r, "survey.delete.title"),
        .what = arena_printf(r->arena, "«%s»", json_string_value(json_object_get(s, "title"))),
        .loss = loss,
        .back = edit_url(r, id),
        .back_label = tr(r, "survey.title"),
        .button = tr(r, "survey.delete.yes"),
        .final = 1};
    render_confirm(r, &c);
}

static void delete_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? survey_delete(w, r->comm->id, req_path_int(r, "id")) : WR_BUSY;
    if (req_commit(r, rc, NULL) != 0) return;
    ballot_flush(r->app->db); /* nothing of it stays in the WAL */
    render_redirect(r, arena_printf(r->arena, "/c/%s/surveys", r->comm->slug),
                    "survey.flash.deleted");
}

/* Publishes a draft: from now on residents see and answer it. */
static void publish_post(struct req *r)
{
    struct survey sv;
    json_t *s = survey_load(r, 1, &sv);
    if (!s) return;
    int64_t id = sv.id;
    if (survey_question_count(req_db(r), id) == 0 && !sv.published) {
        /* Said on the page where questions are added; the writer checks
         * again (a question deleted meanwhile). */
        struct form f;
        edit_fill(r, s, &f);
        form_error(&f, "publish", "survey.error.no_questions");
        edit_invalid(r, s, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? survey_publish(w, r->comm->id, id) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r,
                        arena_printf(r->arena, "/c/%s/surveys/%lld", r->comm->slug, (long long)id),
                        "survey.flash.published");
}

static const struct route survey_routes[] = {
    {"GET", "/c/{slug}/surveys", CAP_C_MEMBER, 0, NULL, list_get, NULL},
    {"POST", "/c/{slug}/surveys", CAP_C_STAFF, 0, NULL, create_post, FORM_CREATE},
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
    {"POST", "/c/{slug}/surveys/{id:int}/edit", CAP_C_STAFF, 0, NULL, edit_post, FORM_EDIT},
    {"POST", "/c/{slug}/surveys/{id:int}/copy", CAP_C_STAFF, 0, NULL, copy_post, NULL},
    {"GET", "/c/{slug}/surveys/{id:int}/close", CAP_C_STAFF, 0, NULL, close_get, NULL},
    {"POST", "/c/{slug}/surveys/{id:int}/close", CAP_C_STAFF, 0, NULL, close_post, NULL},
    {"POST", "/c/{slug}/surveys/{id:int}/publish", CAP_C_STAFF, 0, NULL, publish_post, NULL},
    {"GET", "/c/{slug}/surveys/{id:int}/delete", CAP_C_STAFF, 0, NULL, delete_get, NULL},
    {"POST", "/c/{slug}/surveys/{id:int}/delete", CAP_C_STAFF, 0, NULL, delete_post, NULL},
    {"POST", "/c/{slug}/surveys/{id:int}/questions", CAP_C_STAFF, 0, NULL, question_add,
     FORM_QUESTION},
    {"POST", "/c/{slug}/surveys/{id:int}/questions/{qid:int}/edit", CAP_C_STAFF, 0, NULL,
     question_edit, FORM_QUESTION},
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

/* The notices the surveys write (core/notify.h). */
static const struct notify_kind survey_notify_kinds[] = {
    {SURVEY_NOTIFY_OPENED, "survey.notify.opened", NOTIFY_INBOX, "/surveys/{id}"},
    {"survey.closing", "notify.survey_closing", NOTIFY_INBOX, "/surveys/{id}"},
    {0},
};

const struct area survey_area = {
    .name = "survey",
    .routes = survey_tables,
    .nav_path = "/surveys",
    .nav_label = "survey.nav",
    .demo = demo_survey,
    .bench = benchdata_survey,
    .person_export = survey_person_export,
    .seal_texts = survey_seal_texts,
    .notify_kinds = survey_notify_kinds,
};
