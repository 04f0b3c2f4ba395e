/* The SQL of surveys. Anonymous responses are read only as aggregates and
 * as grouped, alphabetical lists of texts. */
#include "areas/community/community.h"
#include "areas/soc/soc.h"
#include "areas/survey/survey.h"
#include "core/auth.h"
#include "core/ballot.h"
#include "core/db.h"
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
    int64_t n = box > 0 ? member_ids(w, community_id, &ids) : -1;
    /* the voter keys of survey_member_voter() */
    int rc = n < 0 ? -1 : ballot_roll_add_many(w, box, "a", ids, (size_t)n);
    free(ids);
    return rc == 0 ? box : -1;
}

static int box_attach(struct dbc *w, int64_t survey_id, int64_t box)
{
    static const char sql[] = "UPDATE surveys SET box_id = nullif(?, 0) WHERE id = ?";
    return db_exec(w, sql, "ii", box, survey_id) == 1 ? 0 : -1;
}

void survey_member_voter(int64_t account_id, char out[24])
{
    snprintf(out, 24, "a%lld", (long long)account_id);
}

int64_t survey_create(struct dbc *w, int64_t community_id, const struct survey_fields *s)
{
    static const char sql[] =
        "INSERT INTO surveys(community_id, title, intro, audience, anonymous, link_token,"
        " opens_on, closes_on, count_unverified, published) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, 0)";
    char token[AUTH_TOKEN_LEN + 1];
    auth_token_new(token);
    if (db_exec(w, sql, "itttitiii", community_id, s->title, s->intro ? s->intro : "",
                survey_audiences[s->audience], (int64_t)(s->anonymous ? 1 : 0), token, s->opens_on,
                s->closes_on, (int64_t)(s->count_unverified != 0)) < 0)
        return -1;
    return db_last_id(w);
}

/* The survey's settings as stored, for opening its box. 0 or -1. */
static int fields_of(struct dbc *c, int64_t community_id, int64_t id, struct survey_fields *f)
{
    static const char sql[] = "SELECT audience, anonymous, opens_on, closes_on, count_unverified"
                              " FROM surveys WHERE community_id = ? AND id = ?";
    json_t *row = db_row(c, sql, "ii", community_id, id);
    if (!row) return -1;
    memset(f, 0, sizeof *f);
    f->audience = str_eq(json_string_value(json_object_get(row, "audience")), "link");
    f->anonymous = json_integer_value(json_object_get(row, "anonymous")) != 0;
    f->opens_on = json_integer_value(json_object_get(row, "opens_on"));
    f->closes_on = json_integer_value(json_object_get(row, "closes_on"));
    f->count_unverified = json_integer_value(json_object_get(row, "count_unverified")) != 0;
    json_decref(row);
    return 0;
}

int survey_publish(struct dbc *w, int64_t community_id, int64_t id)
{
    /* Published only with a question; a survey that is published already
     * (another organizer was quicker) changes nothing. */
    static const char sql[] =
        "UPDATE surveys SET published = 1 WHERE community_id = ? AND id = ? AND published = 0"
        " AND EXISTS (SELECT 1 FROM survey_questions q WHERE q.survey_id = surveys.id)";
    static const char state[] = "SELECT published FROM surveys WHERE community_id = ? AND id = ?";
    int n = db_exec(w, sql, "ii", community_id, id);
    if (n < 0) return -1;
    if (n == 0) {
        int64_t p = db_int(w, -1, state, "ii", community_id, id);
        return p < 0 ? -4 : p == 1 ? -2 : -3;
    }
    struct survey_fields f;
    if (fields_of(w, community_id, id, &f) != 0) return -1;
    if (!f.anonymous) return 0;
    int64_t box = box_open(w, community_id, &f);
    return box > 0 && box_attach(w, id, box) == 0 ? 0 : -1;
}

int64_t survey_box_of(struct dbc *c, int64_t community_id, int64_t id)
{
    static const char sql[] =
        "SELECT box_id FROM surveys WHERE community_id = ? AND id = ? AND anonymous = 1";
    return db_int(c, 0, sql, "ii", community_id, id);
}

int survey_update(struct dbc *w, int64_t community_id, int64_t id, const struct survey_fields *s)
{
    static const char sql[] =
        "UPDATE surveys SET title = ?, intro = ?, audience = ?, anonymous = ?, opens_on = ?,"
        " closes_on = ?, count_unverified = ?, box_id = NULL WHERE community_id = ? AND id = ?";
    static const char published[] =
        "SELECT published FROM surveys WHERE community_id = ? AND id = ?";
    /* Only a survey nobody answered is edited whole. A published one's box
     * (if any) is discarded and a new one opened with the new settings; a
     * draft has none until it is published. */
    int64_t old = survey_box_of(w, community_id, id);
    int live = db_int(w, 0, published, "ii", community_id, id) == 1;
    if (db_exec(w, sql, "tttiiiiii", s->title, s->intro ? s->intro : "",
                survey_audiences[s->audience], (int64_t)(s->anonymous ? 1 : 0), s->opens_on,
                s->closes_on, (int64_t)(s->count_unverified != 0), community_id, id) != 1)
        return -1;
    if (old > 0 && ballot_discard(w, old) != BALLOT_OK) return -2;
    if (!s->anonymous || !live) return 0;
    int64_t box = box_open(w, community_id, s);
    return box > 0 && box_attach(w, id, box) == 0 ? 0 : -1;
}

int survey_delete(struct dbc *w, int64_t community_id, int64_t id)
{
    /* Questions, respondents and named responses go with the survey (ON
     * DELETE CASCADE); an anonymous survey's box by trigger surveys_box_gone
     * (migration 033). */
    static const char sql[] = "DELETE FROM surveys WHERE community_id = ? AND id = ?";
    int n = db_exec(w, sql, "ii", community_id, id);
    return n == 1 ? 0 : n == 0 ? -2 : -1;
}

int survey_close(struct dbc *w, int64_t community_id, int64_t id)
{
    int64_t box = survey_box_of(w, community_id, id);
    if (box <= 0) return -1;
    enum ballot_rc rc = ballot_close(w, box);
    return rc == BALLOT_OK ? 0 : rc == BALLOT_CLOSED ? -2 : -1;
}

int survey_set_dates(struct dbc *w, int64_t community_id, int64_t id, int64_t opens_on,
                     int64_t closes_on)
{
    static const char sql[] =
        "UPDATE surveys SET opens_on = ?, closes_on = ? WHERE community_id = ? AND id = ?";
    /* An anonymous survey's dates are its box's: they move only while it
     * is open, so that no result is read and then added to. */
    int64_t box = survey_box_of(w, community_id, id);
    if (box > 0) {
        enum ballot_rc rc = ballot_set_dates(w, box, opens_on, closes_on + 86400, now_s());
        if (rc == BALLOT_CLOSED) return -2;
        if (rc == BALLOT_INVALID) return -3;
        if (rc != BALLOT_OK) return -1;
    }
    return db_exec(w, sql, "iiii", opens_on, closes_on, community_id, id) == 1 ? 0 : -1;
}

json_t *survey_get(struct dbc *c, int64_t community_id, int64_t id)
{
    static const char sql[] =
        "SELECT s.id, s.title, s.intro, s.audience, s.anonymous, s.link_token, s.opens_on,"
        " s.closes_on, coalesce(s.box_id, 0) AS box_id, s.published, s.count_unverified,"
        " s.copied_from, date(s.opens_on, 'unixepoch') AS opens,"
        " date(s.closes_on, 'unixepoch') AS closes,"
        " (SELECT count(*) FROM survey_responses r WHERE r.survey_id = s.id) AS responses"
        " FROM surveys s WHERE s.community_id = ? AND s.id = ?";
    return db_row(c, sql, "ii", community_id, id);
}

json_t *survey_list(struct dbc *c, int64_t community_id, int drafts)
{
    static const char sql[] =
        "SELECT s.id, s.title, s.audience, s.anonymous, s.opens_on, s.closes_on,"
        " coalesce(s.box_id, 0) AS box_id, s.published, date(s.opens_on, 'unixepoch') AS opens, "
        "date(s.closes_on, 'unixepoch') AS closes,"
        " (SELECT count(*) FROM survey_responses r WHERE r.survey_id = s.id) AS responses"
        " FROM surveys s WHERE s.community_id = ? AND (s.published = 1 OR ?)"
        " ORDER BY s.published, s.opens_on DESC, s.id DESC LIMIT 500";
    json_t *rows = db_rows(c, sql, "ii", community_id, (int64_t)(drafts != 0));
    return rows ? rows : json_array();
}

int64_t survey_copy(struct dbc *w, int64_t community_id, int64_t id, const char *title)
{
    /* The copy is a draft that repeats the original: the same questions
     * and settings, compared with it question by question once answered. */
    static const char sql[] =
        "INSERT INTO surveys(community_id, title, intro, audience, anonymous, link_token,"
        " opens_on, closes_on, count_unverified, published, copied_from)"
        " SELECT community_id, ?, intro, audience, anonymous, ?, opens_on, closes_on,"
        " count_unverified, 0, id FROM surveys WHERE community_id = ? AND id = ?";
    static const char qs[] =
        "INSERT INTO survey_questions(survey_id, pos, kind, text, required, options, has_other,"
        " low_label, high_label) SELECT ?, pos, kind, text, required, options, has_other,"
        " low_label, high_label FROM survey_questions WHERE survey_id = ? ORDER BY pos";
    char token[AUTH_TOKEN_LEN + 1];
    auth_token_new(token);
    if (db_exec(w, sql, "ttii", title, token, community_id, id) != 1) return -1;
    int64_t nid = db_last_id(w);
    return db_exec(w, qs, "ii", nid, id) < 0 ? -1 : nid;
}

json_t *survey_questions(struct dbc *c, int64_t survey_id)
{
    static const char sql[] =
        "SELECT id, pos, kind, text, required, options, has_other, low_label, high_label"
        " FROM survey_questions WHERE survey_id = ? ORDER BY pos, id LIMIT 40";
    json_t *rows = db_rows(c, sql, "i", survey_id);
    return rows ? rows : json_array();
}

int64_t survey_question_add(struct dbc *w, int64_t survey_id, const char *kind, const char *text,
                            int required, const char *options, int has_other, const char *low,
                            const char *high)
{
    static const char sql[] =
        "INSERT INTO survey_questions(survey_id, pos, kind, text, required, options, has_other,"
        " low_label, high_label) VALUES(?, (SELECT coalesce(max(pos), 0) + 1 FROM"
        " survey_questions WHERE survey_id = ?), ?, ?, ?, ?, ?, ?, ?)";
    if (db_exec(w, sql, "iittititt", survey_id, survey_id, kind, text, (int64_t)(required != 0),
                options ? options : "", (int64_t)(has_other != 0), low ? low : "",
                high ? high : "") < 0)
        return -1;
    return db_last_id(w);
}

int survey_question_update(struct dbc *w, int64_t survey_id, int64_t qid, const char *kind,
                           const char *text, int required, const char *options, int has_other,
                           const char *low, const char *high)
{
    /* Only while nobody answered: a named response or a ballot in the box
     * would otherwise be an answer to another question. */
    static const char sql[] =
        "UPDATE survey_questions SET kind = ?, text = ?, required = ?, options = ?, has_other = ?,"
        " low_label = ?, high_label = ? WHERE survey_id = ? AND id = ?"
        " AND NOT EXISTS (SELECT 1 FROM survey_responses r WHERE r.survey_id = ?)"
        " AND NOT EXISTS (SELECT 1 FROM surveys s JOIN ballot_boxes b ON b.id = s.box_id"
        "  WHERE s.id = ? AND b.ballots > 0)";
    return db_exec(w, sql, "ttitittiiii", kind, text, (int64_t)(required != 0),
                   options ? options : "", (int64_t)(has_other != 0), low ? low : "",
                   high ? high : "", survey_id, qid, survey_id, survey_id);
}

int survey_question_move(struct dbc *w, int64_t survey_id, int64_t qid, int up)
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
    int64_t other = db_int(w, 0, up ? find_up : find_down, "ii", qid, survey_id);
    if (other <= 0) return 0; /* already first or last: nothing to do */
    int64_t pa = db_int(w, -1, pos, "ii", survey_id, qid);
    int64_t pb = db_int(w, -1, pos, "ii", survey_id, other);
    if (pa < 0 || pb < 0 || db_exec(w, set, "iii", pb, survey_id, qid) != 1 ||
        db_exec(w, set, "iii", pa, survey_id, other) != 1)
        return -1;
    return 0;
}

int survey_question_delete(struct dbc *w, int64_t survey_id, int64_t qid)
{
    static const char sql[] = "DELETE FROM survey_questions WHERE survey_id = ? AND id = ?";
    return db_exec(w, sql, "ii", survey_id, qid) == 1 ? 0 : -1;
}

int64_t survey_response_count(struct dbc *c, int64_t survey_id)
{
    static const char sql[] = "SELECT count(*) FROM survey_responses WHERE survey_id = ?";
    return db_int(c, 0, sql, "i", survey_id);
}

int survey_answered(struct dbc *c, int64_t survey_id, const char *who)
{
    static const char sql[] = "SELECT 1 FROM survey_respondents WHERE survey_id = ? AND who = ?";
    return db_int(c, 0, sql, "it", survey_id, who) == 1;
}

int survey_response_put(struct dbc *w, int64_t survey_id, const char *who, const char *also,
                        int64_t account_id, int n, const int64_t *qids, const char *const *values)
{
    static const char resp[] = "INSERT INTO survey_respondents(survey_id, who) VALUES(?, ?)";
    static const char more[] =
        "INSERT INTO survey_respondents(survey_id, who) VALUES(?, ?) ON CONFLICT DO NOTHING";
    static const char row[] =
        "INSERT INTO survey_responses(id, survey_id, account_id, day) VALUES(?, ?, nullif(?, 0),"
        " nullif(?, 0))";
    static const char ans[] =
        "INSERT OR IGNORE INTO survey_answers(response_id, question_id, value) VALUES(?, ?, ?)";
    if (db_exec(w, resp, "it", survey_id, who) < 0) return db_was_unique_violation(w) ? -2 : -1;
    /* The browser a member answered in is marked too: the same browser
     * cannot answer again through the link signed out. */
    if (also && db_exec(w, more, "it", survey_id, also) < 0) return -1;
    char id[AUTH_TOKEN_LEN + 1];
    auth_token_new(id);
    int64_t t = now_s();
    if (db_exec(w, row, "tiii", id, survey_id, account_id, account_id ? t - t % 86400 : 0) < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (db_exec(w, ans, "tit", id, qids[i], values[i]) < 0) return -1;
    return 0;
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

json_t *survey_text_groups(struct dbc *c, int64_t question_id, int other_only, int64_t limit,
                           int64_t offset)
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
    json_t *rows = db_rows(c, other_only ? others : texts, "iii", question_id, limit, offset);
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
     * export; nothing is held but the row at hand. */
    static const char sql[] =
        "SELECT r.id, coalesce(a.display_name, ''), coalesce(date(r.day, 'unixepoch'), ''),"
        " x.question_id, x.value FROM survey_responses r"
        " JOIN surveys s ON s.id = r.survey_id AND s.anonymous = 0"
        " LEFT JOIN accounts a ON a.id = r.account_id"
        " LEFT JOIN survey_answers x ON x.response_id = r.id"
        " WHERE r.survey_id = ? ORDER BY r.day, a.display_name, r.id";
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

/* Options are stored one per line, trimmed (pages.c normalises them). */
static int64_t option_count(const char *opts)
{
    int64_t n = 0;
    for (const char *p = opts; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len) n++;
        p = e ? e + 1 : p + len;
    }
    return n;
}

/* A question's kind: 0 scale5, 1 scale10, 2 single, 3 multi, 4 short, 5 long. */
static int kind_index(json_t *q)
{
    const char *k = json_string_value(json_object_get(q, "kind"));
    for (int i = 0; survey_kinds[i]; i++)
        if (str_eq(k, survey_kinds[i])) return i;
    return 4;
}

/* The box's domain from the questions: every scale point, every option and
 * "other" (-2) of every question, whatever this ballot chose. */
static int box_domain(struct dbc *w, int64_t box, json_t *qs)
{
    struct ballot_range r[SURVEY_MAX_QUESTIONS * 2];
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(qs) && n + 2 <= HR_ARRAY_LEN(r); i++) {
        json_t *q = json_array_get(qs, i);
        int64_t qid = json_integer_value(json_object_get(q, "id"));
        int kind = kind_index(q);
        if (kind <= 1) {
            r[n++] = (struct ballot_range){qid, 1, kind == 0 ? 5 : 10};
        } else if (kind <= 3) {
            int64_t no = option_count(json_string_value(json_object_get(q, "options")));
            if (no > 0) r[n++] = (struct ballot_range){qid, 0, no - 1};
            if (json_integer_value(json_object_get(q, "has_other")))
                r[n++] = (struct ballot_range){qid, -2, -2};
        }
    }
    return ballot_domain(w, box, r, n);
}

enum ballot_rc survey_ballot_cast(struct dbc *w, int64_t community_id, int64_t survey_id,
                                  const char *const *voters, size_t nvoters, int n,
                                  const int64_t *qids, const char *const *values, int64_t now)
{
    int64_t box = survey_box_of(w, community_id, survey_id);
    if (box <= 0) return BALLOT_NOT_FOUND;
    json_t *qs = survey_questions(w, survey_id);
    struct ballot_mark *m = xmalloc(sizeof *m * (size_t)(2 * n + 1));
    size_t nm = 0;
    enum ballot_rc rc = box_domain(w, box, qs) == 0 ? BALLOT_OK : BALLOT_DB_ERROR;
    for (int i = 0; i < n && rc == BALLOT_OK; i++) {
        int kind = -1;
        for (size_t j = 0; j < json_array_size(qs) && kind < 0; j++)
            if (json_integer_value(json_object_get(json_array_get(qs, j), "id")) == qids[i])
                kind = kind_index(json_array_get(qs, j));
        int64_t v = 0;
        if (kind < 0) {
            rc = BALLOT_INVALID;
        } else if (kind >= 4) {
            m[nm++] = (struct ballot_mark){.q = qids[i], .text = values[i]};
        } else if (kind >= 2 && strncmp(values[i], "o:", 2) == 0) {
            m[nm++] = (struct ballot_mark){.q = qids[i], .v = -2};
            m[nm++] = (struct ballot_mark){.q = qids[i], .text = values[i] + 2};
        } else if (str_to_i64(values[i], &v) == 0) {
            m[nm++] = (struct ballot_mark){.q = qids[i], .v = v};
        } else {
            rc = BALLOT_INVALID;
        }
    }
    if (rc == BALLOT_OK) rc = ballot_cast(w, box, voters, nvoters, m, nm, now);
    free(m);
    json_decref(qs);
    return rc;
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
