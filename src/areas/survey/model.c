/* The SQL of surveys. Anonymous responses are read only as aggregates and
 * as grouped, alphabetical lists of texts. */
#include "areas/soc/soc.h"
#include "areas/community/community.h"
#include "areas/survey/survey.h"
#include "core/notify.h"
#include "core/auth.h"
#include "core/ballot.h"
#include "core/db.h"
#include "core/form.h"
#include "core/sealtext.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An anonymous survey's ballot box: the community's k, the survey's days,
 * today's members on the roll; a link survey's box also takes answers from
 * anyone with the link (unverified). Its id, or -1. */
static int64_t box_open(struct dbc *w, int64_t community_id, const struct survey_fields *s)
{
    struct ballot_spec spec = {.k = soc_k_of(w, community_id),
                               .opens_at = s->opens_on,
                               .closes_at = s->closes_on + 86400,
                               .open_roll = str_eq(survey_audiences[s->audience], "link"),
                               .count_unverified = s->count_unverified};
    int64_t box = ballot_open(w, &spec);
    int64_t *ids = NULL;
    int64_t n = box > 0 ? member_local_ids(w, community_id, &ids) : -1;
    /* the voter keys of survey_member_voter() */
    int rc = n < 0 ? -1 : ballot_roll_add_many(w, box, "m", ids, (size_t)n);
    free(ids);
    return rc == 0 ? box : -1;
}

static int box_attach(struct dbc *w, int64_t survey_id, int64_t box)
{
    static const char sql[] = "UPDATE surveys SET box_id = nullif(?, 0) WHERE id = ?";
    return db_exec(w, sql, "ii", box, survey_id) == 1 ? 0 : -1;
}

void survey_member_voter(int64_t member_id, char out[24])
{
    soc_voter(member_id, out);
}

/* A question's community, for the seal of its texts: questions keep
 * their survey, the survey its community. */
#define Q_CID(q) "(SELECT s_.community_id FROM surveys s_ WHERE s_.id = " q ".survey_id)"
/* The community of the survey ?1 (an insert) or ?8 (an update). */
#define SURVEY_CID "(SELECT s_.community_id FROM surveys s_ WHERE s_.id = ?1)"
#define QU_CID "(SELECT s_.community_id FROM surveys s_ WHERE s_.id = ?8)"
#define Q_TEXT(q, col) "unseal(" q "." col ", " Q_CID(q) ", 'survey_questions." col "')"

enum wr survey_create(struct dbc *w, int64_t community_id, const struct survey_fields *s,
                      int64_t *id)
{
    static const char sql[] =
        "INSERT INTO surveys(community_id, title, intro, audience, anonymous, link_token,"
        " opens_on, closes_on, count_unverified, published) VALUES(?1, seal(?2, ?1, "
        "'surveys.title'),"
        " seal(?3, ?1, 'surveys.intro'), ?4, ?5, ?6, ?7, ?8, ?9, 0)";
    char token[AUTH_TOKEN_LEN + 1];
    auth_token_new(token);
    int n = db_exec(w, sql, "itttitiii", community_id, s->title, s->intro ? s->intro : "",
                    survey_audiences[s->audience], (int64_t)(s->anonymous ? 1 : 0), token,
                    s->opens_on, s->closes_on, (int64_t)(s->count_unverified != 0));
    *id = n == 1 ? db_last_id(w) : 0;
    return wr_changed(w, n, WR_DB);
}

/* The survey's settings as stored, for opening its box. 0 or -1. */
static int fields_of(struct dbc *c, int64_t community_id, int64_t id, struct survey_fields *f)
{
    static const char sql[] = "SELECT audience = 'link', anonymous, opens_on, closes_on,"
                              " count_unverified FROM surveys WHERE community_id = ? AND id = ?";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", community_id, id);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) {
        memset(f, 0, sizeof *f);
        f->audience = sqlite3_column_int(st, 0);
        f->anonymous = sqlite3_column_int(st, 1) != 0;
        f->opens_on = sqlite3_column_int64(st, 2);
        f->closes_on = sqlite3_column_int64(st, 3);
        f->count_unverified = sqlite3_column_int(st, 4) != 0;
    }
    db_done(st);
    return rc;
}

/* Whether the survey is there and still a draft, read on the writer: the
 * builder's rules (questions change only in a draft) are decided here,
 * inside the transaction that acts on them. */
static enum wr draft_only(struct dbc *w, int64_t community_id, int64_t id)
{
    static const char sql[] = "SELECT published FROM surveys WHERE community_id = ? AND id = ?";
    int64_t p = db_int(w, -1, sql, "ii", community_id, id);
    if (p < 0) return WR_NOT_FOUND;
    return p == 0 ? WR_OK : wr_fail(w, WR_CONFLICT, "survey.error.questions_published");
}

/* 1 when somebody answered the survey: a named response, or a ballot in
 * its box. */
static int answered_any(struct dbc *w, int64_t id)
{
    static const char sql[] =
        "SELECT EXISTS (SELECT 1 FROM survey_responses r WHERE r.survey_id = ?)"
        " OR EXISTS (SELECT 1 FROM surveys s JOIN ballot_boxes b ON b.id = s.box_id"
        "  WHERE s.id = ? AND b.ballots > 0)";
    return db_int(w, 1, sql, "ii", id, id) != 0;
}

enum wr survey_publish(struct dbc *w, int64_t community_id, int64_t id)
{
    /* Published only with a question; a survey that is published already
     * (another organizer was quicker) changes nothing. */
    static const char sql[] =
        "UPDATE surveys SET published = 1 WHERE community_id = ? AND id = ? AND published = 0"
        " AND EXISTS (SELECT 1 FROM survey_questions q WHERE q.survey_id = surveys.id)";
    static const char state[] = "SELECT published FROM surveys WHERE community_id = ? AND id = ?";
    int n = db_exec(w, sql, "ii", community_id, id);
    if (n < 0) return wr_from_error(w);
    if (n == 0) {
        int64_t p = db_int(w, -1, state, "ii", community_id, id);
        return p < 0    ? WR_NOT_FOUND
               : p == 1 ? wr_fail(w, WR_CONFLICT, "survey.error.published")
                        : wr_fail(w, WR_INVALID, "survey.error.no_questions");
    }
    struct survey_fields f;
    if (fields_of(w, community_id, id, &f) != 0) return WR_DB;
    /* a members' survey open today reaches every member now (one that
     * opens later waits for the scheduled pass, still to come) */
    int64_t now = now_s();
    if (f.audience == 0 && f.opens_on <= now &&
        notify_members(w, community_id, SURVEY_NOTIFY_OPENED, id, NOTIFY_TO_COMMUNITY, 0, now) < 0)
        return WR_DB;
    if (!f.anonymous) return WR_OK;
    int64_t box = box_open(w, community_id, &f);
    return box > 0 && box_attach(w, id, box) == 0 ? WR_OK : WR_DB;
}

int64_t survey_box_of(struct dbc *c, int64_t community_id, int64_t id)
{
    static const char sql[] =
        "SELECT box_id FROM surveys WHERE community_id = ? AND id = ? AND anonymous = 1";
    return db_int(c, 0, sql, "ii", community_id, id);
}

enum wr survey_update(struct dbc *w, int64_t community_id, int64_t id,
                      const struct survey_fields *s)
{
    /* Only what differs is written: a form saved unchanged leaves the
     * survey (and a published one's ballot box) as it was. */
    static const char sql[] =
        "UPDATE surveys SET title = seal(?1, ?8, 'surveys.title'),"
        " intro = seal(?2, ?8, 'surveys.intro'), audience = ?3, anonymous = ?4, opens_on = ?5,"
        " closes_on = ?6, count_unverified = ?7, box_id = NULL WHERE community_id = ?8 AND id = ?9"
        " AND (unseal(title, ?8, 'surveys.title') IS NOT ?1"
        "  OR unseal(intro, ?8, 'surveys.intro') IS NOT ?2 OR audience IS NOT ?3 OR anonymous IS "
        "NOT ?4"
        "  OR opens_on IS NOT ?5 OR closes_on IS NOT ?6 OR count_unverified IS NOT ?7)";
    static const char published[] =
        "SELECT published FROM surveys WHERE community_id = ? AND id = ?";
    int64_t live = db_int(w, -1, published, "ii", community_id, id);
    if (live < 0) return WR_NOT_FOUND;
    /* Only a survey nobody answered is edited whole: an answer that came in
     * after the form was shown locks it (then only its dates move). */
    if (answered_any(w, id)) return wr_fail(w, WR_CONFLICT, "survey.error.locked");
    /* A published one's box (if any) is discarded and a new one opened with
     * the new settings; a draft has none until it is published. */
    int64_t old = survey_box_of(w, community_id, id);
    int n = db_exec(w, sql, "tttiiiiii", s->title, s->intro ? s->intro : "",
                    survey_audiences[s->audience], (int64_t)(s->anonymous ? 1 : 0), s->opens_on,
                    s->closes_on, (int64_t)(s->count_unverified != 0), community_id, id);
    if (n <= 0) return n == 0 ? WR_OK : wr_from_error(w);
    if (old > 0 && ballot_discard(w, old) != BALLOT_OK)
        return wr_fail(w, WR_CONFLICT, "survey.error.locked");
    if (!s->anonymous || live != 1) return WR_OK;
    int64_t box = box_open(w, community_id, s);
    return box > 0 && box_attach(w, id, box) == 0 ? WR_OK : WR_DB;
}

enum wr survey_delete(struct dbc *w, int64_t community_id, int64_t id)
{
    /* Questions, respondents and named responses go with the survey (ON
     * DELETE CASCADE); an anonymous survey's box by trigger surveys_box_gone
     * (migration 033). */
    static const char sql[] = "DELETE FROM surveys WHERE community_id = ? AND id = ?";
    return wr_changed(w, db_exec(w, sql, "ii", community_id, id), WR_NOT_FOUND);
}

/* What a ballot box's answer is as a write's result. */
enum wr survey_wr_of_ballot(struct dbc *w, enum ballot_rc rc)
{
    static const struct ballot_reasons why = {
        .closed = "survey.error.closed",
        .not_eligible = "survey.error.not_eligible",
        .already = "survey.error.twice",
        .invalid = "survey.error.option",
    };
    return ballot_wr(w, rc, &why);
}

enum wr survey_close(struct dbc *w, int64_t community_id, int64_t id)
{
    int64_t box = survey_box_of(w, community_id, id);
    if (box <= 0) return WR_NOT_FOUND; /* none, a draft or a named survey */
    enum ballot_rc rc = ballot_close(w, box);
    return rc == BALLOT_CLOSED ? wr_fail(w, WR_CONFLICT, "survey.error.closed_already")
                               : survey_wr_of_ballot(w, rc);
}

enum wr survey_set_dates(struct dbc *w, int64_t community_id, int64_t id, int64_t opens_on,
                         int64_t closes_on)
{
    static const char sql[] =
        "UPDATE surveys SET opens_on = ?, closes_on = ? WHERE community_id = ? AND id = ?";
    /* An anonymous survey's dates are its box's: they move only while it
     * is open, so that no result is read and then added to. */
    int64_t box = survey_box_of(w, community_id, id);
    if (box > 0) {
        enum ballot_rc rc = ballot_set_dates(w, box, opens_on, closes_on + 86400, now_s());
        if (rc == BALLOT_CLOSED) return wr_fail(w, WR_CONFLICT, "survey.error.reopen");
        if (rc == BALLOT_INVALID) return wr_fail(w, WR_INVALID, "survey.error.past");
        if (rc != BALLOT_OK) return survey_wr_of_ballot(w, rc);
    }
    return wr_changed(w, db_exec(w, sql, "iiii", opens_on, closes_on, community_id, id),
                      WR_NOT_FOUND);
}

/* The columns every survey query starts with, read into struct survey
 * (the view takes those its field list names, by column name). */
enum { COLS_LOGIC = 10 };
static void survey_read(sqlite3_stmt *st, struct arena *a, struct survey *out)
{
    out->id = sqlite3_column_int64(st, 0);
    out->box_id = sqlite3_column_int64(st, 1);
    out->opens_on = sqlite3_column_int64(st, 2);
    out->closes_on = sqlite3_column_int64(st, 3);
    out->published = sqlite3_column_int(st, 4) != 0;
    out->anonymous = sqlite3_column_int(st, 5) != 0;
    out->count_unverified = sqlite3_column_int(st, 6) != 0;
    out->link = str_eq((const char *)sqlite3_column_text(st, 7), "link");
    out->link_token = arena_strdup(a, (const char *)sqlite3_column_text(st, 8));
    out->responses = sqlite3_column_int64(st, 9);
}

json_t *survey_get(struct dbc *c, struct arena *a, const struct vmask *m, int64_t community_id,
                   int64_t id, struct survey *out)
{
    static const char sql[] =
        "SELECT s.id, coalesce(s.box_id, 0) AS box_id, s.opens_on, s.closes_on, s.published,"
        " s.anonymous, s.count_unverified, s.audience, s.link_token,"
        " (SELECT count(*) FROM survey_responses r WHERE r.survey_id = s.id) AS responses,"
        " unseal(s.title, s.community_id, 'surveys.title') AS title,"
        " unseal(s.intro, s.community_id, 'surveys.intro') AS intro, s.copied_from,"
        " date(s.opens_on, 'unixepoch') AS opens,"
        " date(s.closes_on, 'unixepoch') AS closes FROM surveys s"
        " WHERE s.community_id = ? AND s.id = ?";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", community_id, id);
    json_t *v = NULL;
    if (st && sqlite3_step(st) == SQLITE_ROW) {
        survey_read(st, a, out);
        v = json_object();
        db_view_put(st, m, v);
    }
    db_done(st);
    return v;
}

json_t *survey_list(struct dbc *c, struct arena *a, const struct vmask *m, int64_t community_id,
                    int drafts, struct survey **out)
{
    static const char sql[] =
        "SELECT s.id, coalesce(s.box_id, 0) AS box_id, s.opens_on, s.closes_on, s.published,"
        " s.anonymous, s.count_unverified, s.audience, s.link_token,"
        " (SELECT count(*) FROM survey_responses r WHERE r.survey_id = s.id) AS responses,"
        " unseal(s.title, s.community_id, 'surveys.title') AS title,"
        " date(s.opens_on, 'unixepoch') AS opens,"
        " date(s.closes_on, 'unixepoch') AS closes"
        " FROM surveys s WHERE s.community_id = ? AND (s.published = 1 OR ?)"
        " ORDER BY s.published, s.opens_on DESC, s.id DESC LIMIT 500";
    enum { MAX = 500 };
    json_t *rows = json_array();
    *out = arena_alloc(a, sizeof **out * MAX);
    sqlite3_stmt *st = db_prepare(c, sql, "ii", community_id, (int64_t)(drafts != 0));
    while (st && json_array_size(rows) < MAX && sqlite3_step(st) == SQLITE_ROW) {
        survey_read(st, a, &(*out)[json_array_size(rows)]);
        json_t *v = json_object();
        db_view_put(st, m, v);
        json_array_append_new(rows, v);
    }
    db_done(st);
    return rows;
}

enum wr survey_copy(struct dbc *w, int64_t community_id, int64_t id, const char *title,
                    int64_t *nid)
{
    /* The copy is a draft that repeats the original: the same questions
     * and settings, compared with it question by question once answered. */
    static const char sql[] =
        "INSERT INTO surveys(community_id, title, intro, audience, anonymous, link_token,"
        " opens_on, closes_on, count_unverified, published, copied_from)"
        " SELECT community_id, seal(?1, ?3, 'surveys.title'), intro, audience, anonymous, ?2,"
        " opens_on, closes_on, count_unverified, 0, id FROM surveys WHERE community_id = ?3"
        " AND id = ?4";
    static const char qs[] =
        "INSERT INTO survey_questions(survey_id, pos, kind, text, required, options, has_other,"
        " low_label, high_label) SELECT ?, pos, kind, text, required, options, has_other,"
        " low_label, high_label FROM survey_questions WHERE survey_id = ? ORDER BY pos";
    char token[AUTH_TOKEN_LEN + 1];
    auth_token_new(token);
    *nid = 0;
    enum wr rc =
        wr_changed(w, db_exec(w, sql, "ttii", title, token, community_id, id), WR_NOT_FOUND);
    if (rc != WR_OK) return rc;
    *nid = db_last_id(w);
    int n = db_exec(w, qs, "ii", *nid, id);
    return n < 0 ? wr_from_error(w) : WR_OK;
}

json_t *survey_questions(struct dbc *c, const struct vmask *m, int64_t survey_id)
{
    static const char sql[] = "SELECT id, pos, kind, " Q_TEXT(
        "q",
        "text") " AS text, required,"
                " " Q_TEXT("q",
                           "options") " AS options, has_other,"
                                      " " Q_TEXT("q", "low_label") " AS low_label, " Q_TEXT(
                                          "q",
                                          "high_label") " AS high_label"
                                                        " FROM survey_questions q WHERE survey_id "
                                                        "= ? ORDER BY pos, id LIMIT 40";
    json_t *rows = db_view_rows(c, m, sql, "i", survey_id);
    return rows ? rows : json_array();
}

int64_t survey_question_count(struct dbc *c, int64_t survey_id)
{
    static const char sql[] = "SELECT count(*) FROM survey_questions WHERE survey_id = ?";
    return db_int(c, 0, sql, "i", survey_id);
}

int survey_questions_read(struct dbc *c, struct arena *a, int64_t survey_id, struct survey_q *out)
{
    static const char sql[] =
        "SELECT id, kind, required, has_other, " Q_TEXT("q", "text") ", " Q_TEXT(
            "q", "options") ","
                            " " Q_TEXT("q", "low_label") ", " Q_TEXT(
                                "q", "high_label") " FROM survey_questions q WHERE survey_id = ? "
                                                   "ORDER BY pos, id LIMIT 40";
    sqlite3_stmt *st = db_prepare(c, sql, "i", survey_id);
    int n = 0;
    while (st && n < SURVEY_MAX_QUESTIONS && sqlite3_step(st) == SQLITE_ROW) {
        struct survey_q *q = &out[n++];
        q->id = sqlite3_column_int64(st, 0);
        q->kind = form_choice_index(survey_kinds, (const char *)sqlite3_column_text(st, 1));
        if (q->kind < 0) q->kind = 4;
        q->required = sqlite3_column_int(st, 2) != 0;
        q->has_other = sqlite3_column_int(st, 3) != 0;
        q->text = arena_strdup(a, (const char *)sqlite3_column_text(st, 4));
        q->options = arena_strdup(a, (const char *)sqlite3_column_text(st, 5));
        q->low = arena_strdup(a, (const char *)sqlite3_column_text(st, 6));
        q->high = arena_strdup(a, (const char *)sqlite3_column_text(st, 7));
    }
    db_done(st);
    return n;
}

int64_t survey_question_insert(struct dbc *w, int64_t survey_id, const struct survey_question *q)
{
    static const char sql[] =
        "INSERT INTO survey_questions(survey_id, pos, kind, text, required, options, has_other,"
        " low_label, high_label) VALUES(?1, (SELECT coalesce(max(pos), 0) + 1 FROM"
        " survey_questions WHERE survey_id = ?2), ?3, seal(?4, " SURVEY_CID
        ", 'survey_questions.text'),"
        " ?5, seal(?6, " SURVEY_CID ", 'survey_questions.options'), ?7,"
        " seal(?8, " SURVEY_CID ", 'survey_questions.low_label'),"
        " seal(?9, " SURVEY_CID ", 'survey_questions.high_label'))";
    if (db_exec(w, sql, "iittititt", survey_id, survey_id, q->kind, q->text,
                (int64_t)(q->required != 0), q->options ? q->options : "",
                (int64_t)(q->has_other != 0), q->low ? q->low : "", q->high ? q->high : "") < 0)
        return -1;
    return db_last_id(w);
}

enum wr survey_question_add(struct dbc *w, int64_t community_id, int64_t survey_id,
                            const struct survey_question *q)
{
    static const char count[] = "SELECT count(*) FROM survey_questions WHERE survey_id = ?";
    enum wr rc = draft_only(w, community_id, survey_id);
    if (rc != WR_OK) return rc;
    if (db_int(w, 0, count, "i", survey_id) >= SURVEY_MAX_QUESTIONS)
        return wr_fail(w, WR_CONFLICT, "survey.error.too_many");
    return survey_question_insert(w, survey_id, q) > 0 ? WR_OK : wr_from_error(w);
}

enum wr survey_question_update(struct dbc *w, int64_t community_id, int64_t survey_id, int64_t qid,
                               const struct survey_question *q)
{
    /* Only in a draft: a published survey's questions are what residents
     * answer (a changed question would hold answers to another one). What
     * is unchanged is not written. */
    static const char sql[] =
        "UPDATE survey_questions SET kind = ?1, text = seal(?2, " QU_CID
        ", 'survey_questions.text'),"
        " required = ?3, options = seal(?4, " QU_CID ", 'survey_questions.options'),"
        " has_other = ?5, low_label = seal(?6, " QU_CID ", 'survey_questions.low_label'),"
        " high_label = seal(?7, " QU_CID ", 'survey_questions.high_label')"
        " WHERE survey_id = ?8 AND id = ?9"
        " AND (kind IS NOT ?1 OR " Q_TEXT(
            "survey_questions",
            "text") " IS NOT ?2"
                    "  OR required IS NOT ?3 OR " Q_TEXT(
                        "survey_questions",
                        "options") " IS NOT ?4"
                                   "  OR has_other IS NOT ?5 OR " Q_TEXT(
                                       "survey_questions",
                                       "low_label") " IS NOT ?6"
                                                    "  OR " Q_TEXT("survey_questions",
                                                                   "high_label") " IS NOT ?7)";
    static const char there[] =
        "SELECT count(*) FROM survey_questions WHERE survey_id = ? AND id = ?";
    enum wr rc = draft_only(w, community_id, survey_id);
    if (rc != WR_OK) return rc;
    if (db_int(w, 0, there, "ii", survey_id, qid) != 1) return WR_NOT_FOUND;
    int n = db_exec(w, sql, "ttitittii", q->kind, q->text, (int64_t)(q->required != 0),
                    q->options ? q->options : "", (int64_t)(q->has_other != 0),
                    q->low ? q->low : "", q->high ? q->high : "", survey_id, qid);
    return n < 0 ? wr_from_error(w) : WR_OK;
}

enum wr survey_question_move(struct dbc *w, int64_t community_id, int64_t survey_id, int64_t qid,
                             int up)
{
    static const char find_up[] =
        "SELECT o.id FROM survey_questions o, survey_questions q WHERE q.id = ?"
        " AND q.survey_id = ? AND o.survey_id = q.survey_id AND o.pos < q.pos"
        " ORDER BY o.pos DESC LIMIT 1";
    static const char find_down[] =
        "SELECT o.id FROM survey_questions o, survey_questions q WHERE q.id = ?"
        " AND q.survey_id = ? AND o.survey_id = q.survey_id AND o.pos > q.pos"
        " ORDER BY o.pos LIMIT 1";
    static const char pos[] = "SELECT pos FROM survey_questions WHERE survey_id = ? AND id = ?";
    static const char set[] = "UPDATE survey_questions SET pos = ? WHERE survey_id = ? AND id = ?";
    enum wr rc = draft_only(w, community_id, survey_id);
    if (rc != WR_OK) return rc;
    int64_t pa = db_int(w, -1, pos, "ii", survey_id, qid);
    if (pa < 0) return WR_NOT_FOUND;
    int64_t other = db_int(w, 0, up ? find_up : find_down, "ii", qid, survey_id);
    if (other <= 0) return WR_OK; /* already first or last: nothing to do */
    int64_t pb = db_int(w, -1, pos, "ii", survey_id, other);
    if (pb < 0) return WR_DB;
    rc = wr_changed(w, db_exec(w, set, "iii", pb, survey_id, qid), WR_DB);
    return rc == WR_OK ? wr_changed(w, db_exec(w, set, "iii", pa, survey_id, other), WR_DB) : rc;
}

enum wr survey_question_delete(struct dbc *w, int64_t community_id, int64_t survey_id, int64_t qid)
{
    static const char sql[] = "DELETE FROM survey_questions WHERE survey_id = ? AND id = ?";
    enum wr rc = draft_only(w, community_id, survey_id);
    return rc == WR_OK ? wr_changed(w, db_exec(w, sql, "ii", survey_id, qid), WR_NOT_FOUND) : rc;
}

int survey_answered(struct dbc *c, int64_t survey_id, const char *who)
{
    static const char sql[] = "SELECT 1 FROM survey_respondents WHERE survey_id = ? AND who = ?";
    return db_int(c, 0, sql, "it", survey_id, who) == 1;
}

json_t *survey_counts(struct dbc *c, int64_t survey_id)
{
    static const char sql[] =
        /* The inner count walks the (question_id, value) index in order;
         * only its few rows are folded ('o:...' is an "other" answer). */
        "SELECT q, CASE WHEN v LIKE 'o:%' THEN 'o' ELSE v END AS v, sum(n) AS n FROM ("
        " SELECT a.question_id AS q, a.value AS v, count(*) AS n FROM survey_questions q"
        " JOIN survey_answers a INDEXED BY survey_answers_value ON a.question_id = q.id"
        " WHERE q.survey_id = ? AND q.kind IN ('scale5', 'scale10', 'single', 'multi')"
        " GROUP BY a.question_id, a.value) GROUP BY 1, 2";
    json_t *rows = db_rows(c, sql, "i", survey_id);
    return rows ? rows : json_array();
}

json_t *survey_text_groups(struct dbc *c, int64_t community_id, int64_t question_id, int other_only,
                           int64_t limit, int64_t offset)
{
    /* Identical texts once, with their count, in the order of the
     * (question_id, value) index: alphabetical, which says nothing about who
     * wrote what or when, and stops at the page's end. */
    static const char texts[] = "SELECT value AS text, count(*) AS n FROM survey_answers"
                                " INDEXED BY survey_answers_value WHERE question_id = ?"
                                " GROUP BY value ORDER BY value LIMIT ? OFFSET ?";
    static const char others[] =
        "SELECT substr(value, 3) AS text, count(*) AS n FROM survey_answers"
        " INDEXED BY survey_answers_value WHERE question_id = ? AND value >= 'o:' AND value < 'o;'"
        " GROUP BY value ORDER BY value LIMIT ? OFFSET ?";
    /* Sealed texts are grouped by what they say, so every text of the
     * question is opened (a secret community's survey is as large as its
     * members; the index stays for the clear ones), as ballot.c does. */
    static const char texts_opened[] =
        "SELECT unseal(value, ?4, 'survey_answers.value') AS text, count(*) AS n"
        " FROM survey_answers WHERE question_id = ?1 GROUP BY 1 ORDER BY 1 LIMIT ?2 OFFSET ?3";
    static const char others_opened[] =
        "SELECT unseal(substr(value, 3), ?4, 'survey_answers.value') AS text, count(*) AS n"
        " FROM survey_answers WHERE question_id = ?1 AND value >= 'o:' AND value < 'o;'"
        " GROUP BY 1 ORDER BY 1 LIMIT ?2 OFFSET ?3";
    /* A group is its text and its count, nothing else, whoever looks:
     * the page that lists them was allowed already. */
    static const struct vfield fields[] = {{"text", CAP_ANY}, {"n", CAP_ANY}, {NULL, 0}};
    static const struct vmask all = {fields, 3};
    const struct seal_data_key *dk;
    int sealed = sealtext_key(c, community_id, &dk);
    if (sealed < 0) return json_array(); /* a waiting member: nothing to open */
    json_t *rows = sealed ? db_view_rows(c, &all, other_only ? others_opened : texts_opened, "iiii",
                                         question_id, limit, offset, community_id)
                          : db_view_rows(c, &all, other_only ? others : texts, "iii", question_id,
                                         limit, offset);
    return rows ? rows : json_array();
}

int64_t survey_text_count(struct dbc *c, int64_t question_id, int other_only)
{
    static const char texts[] = "SELECT count(*) FROM survey_answers INDEXED BY"
                                " survey_answers_value WHERE question_id = ?";
    static const char others[] = "SELECT count(*) FROM survey_answers INDEXED BY"
                                 " survey_answers_value WHERE question_id = ?"
                                 " AND value >= 'o:' AND value < 'o;'";
    return db_int(c, 0, other_only ? others : texts, "i", question_id);
}

int survey_named_each(struct dbc *c, int64_t survey_id, survey_row_fn fn, void *ctx)
{
    /* One pass over the responses and their answers, in the order of the
     * export; nothing is held but the row at hand. The name is the
     * member's in the community; a member's response has a day, so one
     * with a day and no member is a former member's (NULL), one with
     * neither came through the link (""). Sorted by the name as opened
     * (column 2): a sealed name's ciphertext has no order. */
    static const char sql[] =
        "SELECT r.id, CASE WHEN m.id IS NOT NULL THEN unseal(m.name, m.community_id, "
        "'members.name')"
        " WHEN r.day IS NOT NULL THEN NULL"
        " ELSE '' END, coalesce(date(r.day, 'unixepoch'), ''), x.question_id,"
        " CASE WHEN substr(x.value, 1, 2) = 'o:'"
        "  THEN 'o:' || unseal(substr(x.value, 3), s.community_id, 'survey_answers.value')"
        " ELSE unseal(x.value, s.community_id, 'survey_answers.value') END"
        " FROM survey_responses r JOIN surveys s ON s.id = r.survey_id AND s.anonymous = 0"
        " LEFT JOIN members m ON m.id = r.member_id"
        " LEFT JOIN survey_answers x ON x.response_id = r.id"
        " WHERE r.survey_id = ? ORDER BY r.day, 2, r.id";
    sqlite3_stmt *st = db_prepare(c, sql, "i", survey_id);
    if (!st) return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
           (const char *)sqlite3_column_text(st, 2), sqlite3_column_int64(st, 3),
           (const char *)sqlite3_column_text(st, 4));
    db_done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

json_t *survey_box_counts(struct dbc *c, const struct ballot_info *b)
{
    json_t *t = ballot_tallies(c, b);
    if (!t) return NULL;
    /* The shape of survey_counts: v as text, "o" for "other". */
    json_t *out = json_array();
    for (size_t i = 0; i < json_array_size(t); i++) {
        json_t *row = json_array_get(t, i);
        int64_t v = json_integer_value(json_object_get(row, "v"));
        char vs[24];
        snprintf(vs, sizeof vs, "%lld", (long long)v);
        json_array_append_new(out, json_pack("{sO ss sO}", "q", json_object_get(row, "q"), "v",
                                             v == -2 ? "o" : vs, "n", json_object_get(row, "n")));
    }
    json_decref(t);
    return out;
}

/* ---- sealing (docs/architecture.md, "Sealing, step 3: texts") ---- */

int survey_seal_texts(struct dbc *w, int64_t community_id)
{
    /* The surveys' titles and introductions, their questions' texts and
     * the free texts of named answers (as survey_response_put writes
     * them: an other text after its "o:" in clear). */
    static const char *const sql[] = {
        "UPDATE surveys SET title = seal(title, community_id, 'surveys.title'),"
        " intro = seal(intro, community_id, 'surveys.intro') WHERE community_id = ?1",
        "UPDATE survey_questions SET text = seal(text, ?1, 'survey_questions.text'),"
        " options = seal(options, ?1, 'survey_questions.options'),"
        " low_label = seal(low_label, ?1, 'survey_questions.low_label'),"
        " high_label = seal(high_label, ?1, 'survey_questions.high_label')"
        " WHERE survey_id IN (SELECT id FROM surveys WHERE community_id = ?1)",
        "UPDATE survey_answers SET value = CASE"
        " WHEN (SELECT kind FROM survey_questions q WHERE q.id = question_id) IN ('short', 'long')"
        "  THEN seal(value, ?1, 'survey_answers.value')"
        " WHEN substr(value, 1, 2) = 'o:'"
        "  THEN 'o:' || seal(substr(value, 3), ?1, 'survey_answers.value')"
        " ELSE value END WHERE question_id IN (SELECT q.id FROM survey_questions q"
        "  JOIN surveys s ON s.id = q.survey_id WHERE s.community_id = ?1"
        "  AND q.kind IN ('single', 'multi', 'short', 'long'))",
        /* the ballot boxes' texts (anonymous answers), by their owners */
        "UPDATE ballot_texts SET text = seal(text, ?1, 'ballot_texts.text')"
        " WHERE box_id IN (SELECT box_id FROM surveys WHERE community_id = ?1"
        "  AND box_id IS NOT NULL)",
    };
    return db_exec_each(w, sql, sizeof sql / sizeof sql[0], community_id);
}

json_t *surveys_closing(struct dbc *c, int64_t from, int64_t to)
{
    static const char sql[] =
        "SELECT s.community_id, s.id, coalesce(b.closes_at, s.closes_on + 86400) AS due"
        " FROM surveys s LEFT JOIN ballot_boxes b ON b.id = s.box_id"
        " WHERE s.published = 1 AND s.audience = 'members' AND s.opens_on <= ?1"
        " AND coalesce(b.closed, 0) = 0"
        " AND coalesce(b.closes_at, s.closes_on + 86400) > ?1"
        " AND coalesce(b.closes_at, s.closes_on + 86400) <= ?2";
    return db_rows(c, sql, "ii", from, to);
}
