/* The SQL of answering: a named survey's responses, an anonymous one's
 * ballots, and the rules an answer is taken under (published, open, once
 * per person, to the questions the person was shown), all decided on the
 * writer inside the answer's transaction. */
#include "areas/survey/survey.h"
#include "core/auth.h"
#include "core/ballot.h"
#include "core/db.h"
#include "core/form.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int survey_response_put(struct dbc *w, int64_t survey_id, const char *who, const char *also,
                        int64_t member_id, int n, const int64_t *qids, const char *const *values)
{
    static const char resp[] = "INSERT INTO survey_respondents(survey_id, who) VALUES(?, ?)";
    static const char more[] =
        "INSERT INTO survey_respondents(survey_id, who) VALUES(?, ?) ON CONFLICT DO NOTHING";
    static const char row[] =
        "INSERT INTO survey_responses(id, survey_id, member_id, day) VALUES(?, ?, nullif(?, 0),"
        " nullif(?, 0))";
    /* A free text (a text question's answer, a choice's "other") is
     * sealed in a secret community; "o:" stays in clear before an other
     * text, so that the counts still tell "other" from an option. */
    static const char ans[] =
        "INSERT OR IGNORE INTO survey_answers(response_id, question_id, value)"
        " SELECT ?1, q.id, CASE WHEN q.kind IN ('short', 'long')"
        "  THEN seal(?3, s.community_id, 'survey_answers.value')"
        " WHEN substr(?3, 1, 2) = 'o:'"
        "  THEN 'o:' || seal(substr(?3, 3), s.community_id, 'survey_answers.value')"
        " ELSE ?3 END FROM survey_questions q JOIN surveys s ON s.id = q.survey_id"
        " WHERE q.id = ?2 AND s.id = ?4";
    if (db_exec(w, resp, "it", survey_id, who) < 0) return db_was_unique_violation(w) ? -2 : -1;
    /* The browser a member answered in is marked too: the same browser
     * cannot answer again through the link signed out. */
    if (also && db_exec(w, more, "it", survey_id, also) < 0) return -1;
    char id[AUTH_TOKEN_LEN + 1];
    auth_token_new(id);
    int64_t t = now_s();
    /* Only a member's response has a day: the results tell a former
     * member's (a day, no member any more) from an answer by link. */
    if (db_exec(w, row, "tiii", id, survey_id, member_id, member_id ? t - t % 86400 : 0) < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (db_exec(w, ans, "titi", id, qids[i], values[i], survey_id) < 0) return -1;
    return 0;
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

/* What a ballot's marks are checked against: each question's id, kind
 * (0 scale5, 1 scale10, 2 single, 3 multi, 4 short, 5 long), number of
 * options and whether it has "other". */
struct qshape {
    int64_t id, nopts;
    int kind, has_other;
};

static int shapes_read(struct dbc *w, int64_t survey_id, struct qshape *out)
{
    static const char sql[] =
        "SELECT id, kind, unseal(options, (SELECT s.community_id FROM surveys s"
        " WHERE s.id = survey_questions.survey_id), 'survey_questions.options'), has_other"
        " FROM survey_questions WHERE survey_id = ? ORDER BY pos, id LIMIT 40";
    sqlite3_stmt *st = db_prepare(w, sql, "i", survey_id);
    int n = 0;
    while (st && n < SURVEY_MAX_QUESTIONS && sqlite3_step(st) == SQLITE_ROW) {
        int k = form_choice_index(survey_kinds, (const char *)sqlite3_column_text(st, 1));
        out[n++] = (struct qshape){sqlite3_column_int64(st, 0),
                                   option_count((const char *)sqlite3_column_text(st, 2)),
                                   k < 0 ? 4 : k, sqlite3_column_int(st, 3) != 0};
    }
    db_done(st);
    return n;
}

/* The box's domain from the questions: every scale point, every option and
 * "other" (-2) of every question, whatever this ballot chose. */
static int box_domain(struct dbc *w, int64_t box, const struct qshape *qs, int nq)
{
    struct ballot_range r[SURVEY_MAX_QUESTIONS * 2];
    size_t n = 0;
    for (int i = 0; i < nq && n + 2 <= HR_ARRAY_LEN(r); i++) {
        const struct qshape *q = &qs[i];
        if (q->kind <= 1) {
            r[n++] = (struct ballot_range){q->id, 1, q->kind == 0 ? 5 : 10};
        } else if (q->kind <= 3) {
            if (q->nopts > 0) r[n++] = (struct ballot_range){q->id, 0, q->nopts - 1};
            if (q->has_other) r[n++] = (struct ballot_range){q->id, -2, -2};
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
    struct qshape qs[SURVEY_MAX_QUESTIONS];
    int nq = shapes_read(w, survey_id, qs);
    struct ballot_mark *m = xmalloc(sizeof *m * (size_t)(2 * n + 1));
    size_t nm = 0;
    enum ballot_rc rc = box_domain(w, box, qs, nq) == 0 ? BALLOT_OK : BALLOT_DB_ERROR;
    for (int i = 0; i < n && rc == BALLOT_OK; i++) {
        int kind = -1;
        for (int j = 0; j < nq && kind < 0; j++)
            if (qs[j].id == qids[i]) kind = qs[j].kind;
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
    if (rc == BALLOT_OK) rc = ballot_cast(w, community_id, box, voters, nvoters, m, nm, now);
    free(m);
    return rc;
}

const char *survey_question_ids(struct dbc *c, struct arena *a, int64_t survey_id)
{
    /* The order of survey_questions(): the form's q1, q2... */
    static const char sql[] =
        "SELECT id FROM survey_questions WHERE survey_id = ? ORDER BY pos, id LIMIT 40";
    sqlite3_stmt *st = db_prepare(c, sql, "i", survey_id);
    struct buf b;
    buf_init(&b);
    buf_puts(&b, "");
    while (st && sqlite3_step(st) == SQLITE_ROW)
        buf_printf(&b, b.len ? ",%lld" : "%lld", (long long)sqlite3_column_int64(st, 0));
    db_done(st);
    const char *out = arena_strdup(a, b.data ? b.data : "");
    buf_free(&b);
    return out;
}

/* 1 when any of the keys has answered the named survey. */
static int named_answered(struct dbc *w, int64_t survey_id, const char *const *keys, size_t n)
{
    static const char sql[] = "SELECT 1 FROM survey_respondents WHERE survey_id = ? AND who = ?";
    for (size_t i = 0; i < n; i++)
        if (db_int(w, 0, sql, "it", survey_id, keys[i]) == 1) return 1;
    return 0;
}

enum wr survey_answer_put(struct dbc *w, struct arena *ar, int64_t community_id, int64_t survey_id,
                          const struct survey_answer *a, int64_t now)
{
    static const char state[] =
        "SELECT anonymous, published, opens_on <= ?3 AND closes_on >= ?3 FROM surveys"
        " WHERE community_id = ?1 AND id = ?2";
    int64_t today = now - now % 86400;
    sqlite3_stmt *st = db_prepare(w, state, "iii", community_id, survey_id, today);
    int found = st && sqlite3_step(st) == SQLITE_ROW;
    int anon = found && sqlite3_column_int(st, 0) != 0;
    int published = found && sqlite3_column_int(st, 1) != 0;
    int open = found && sqlite3_column_int(st, 2) != 0;
    db_done(st);
    if (!found) return WR_NOT_FOUND;
    if (!published) return wr_fail(w, WR_CONFLICT, "survey.error.draft");
    /* The form's q1, q2... are positions: read against other questions
     * than the person saw, an answer would land on the wrong ones. */
    if (!str_eq(survey_question_ids(w, ar, survey_id), a->shown))
        return wr_fail(w, WR_CONFLICT, "survey.error.changed");
    if (anon) {
        /* The box decides: its dates, its roll, one ballot per key. */
        enum ballot_rc rc = survey_ballot_cast(w, community_id, survey_id, a->keys, a->nkeys, a->n,
                                               a->qids, a->values, now);
        return survey_wr_of_ballot(w, rc);
    }
    if (!open) return wr_fail(w, WR_CONFLICT, "survey.error.closed");
    if (named_answered(w, survey_id, a->keys, a->nkeys))
        return wr_fail(w, WR_CONFLICT, "survey.error.twice");
    int rc = survey_response_put(w, survey_id, a->keys[0], a->nkeys > 1 ? a->keys[1] : NULL,
                                 a->member_id, a->n, a->qids, a->values);
    return rc == 0    ? WR_OK
           : rc == -2 ? wr_fail(w, WR_CONFLICT, "survey.error.twice")
                      : wr_from_error(w);
}
