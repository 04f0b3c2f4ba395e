/* The ballot box; see ballot.h for what it promises and
 * src/sql/025_ballot.sql for how the tables keep it. This file is the only
 * place that reads or writes the ballot_* tables. */
#include "core/ballot.h"
#include "core/app.h"
#include "core/db.h"
#include "core/sealtext.h"
#include "core/log.h"
#include "core/req.h"
#include "core/util.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Counts are stored as N0 + n: every count from 0 to 2^47 - 2^40 then has
 * SQLite's six-byte integer encoding, so changing one never changes the
 * size of its row (see the migration). */
#define N0 INT64_C(1099511627776)

int64_t ballot_counted(const struct ballot_info *b)
{
    return b->count_unverified ? b->cast : b->verified;
}

int ballot_visible(const struct ballot_info *b)
{
    return b->closed && b->k >= BALLOT_K_MIN && ballot_counted(b) >= b->k;
}

int64_t ballot_needed(const struct ballot_info *b)
{
    int64_t k = b->k < BALLOT_K_MIN ? BALLOT_K_MIN : b->k;
    int64_t n = ballot_counted(b);
    return n >= k ? 0 : k - n;
}

int ballot_is_open(const struct ballot_info *b, int64_t now)
{
    return !b->closed && now >= b->opens_at && now < b->closes_at;
}

int ballot_is_over(const struct ballot_info *b, int64_t now)
{
    return b->closed || now >= b->closes_at;
}

static int roll_state(struct dbc *c, int64_t box, const char *voter, int *listed);

/* ---- writes ---- */

int64_t ballot_open(struct dbc *w, const struct ballot_spec *s)
{
    static const char sql[] = "INSERT INTO ballot_boxes(k, opens_at, closes_at, open_roll,"
                              " count_unverified) VALUES(?, ?, ?, ?, ?)";
    if (s->k < BALLOT_K_MIN || s->closes_at <= s->opens_at) return -1;
    if (db_exec(w, sql, "iiiii", s->k, s->opens_at, s->closes_at, (int64_t)(s->open_roll != 0),
                (int64_t)(s->count_unverified != 0)) != 1)
        return -1;
    return db_last_id(w);
}

/* Puts voter on the roll of a box that has no ballot yet: the rows added
 * (0 when already there, or when ballots are cast), -1 on error. */
static int roll_insert(struct dbc *w, int64_t box, const char *voter)
{
    static const char add[] = "INSERT INTO ballot_roll(box_id, voter) SELECT id, ? FROM"
                              " ballot_boxes WHERE id = ? AND ballots = 0 AND closed = 0"
                              " ON CONFLICT DO NOTHING";
    return db_exec(w, add, "ti", voter, box);
}

static int roll_counted(struct dbc *w, int64_t box, int64_t added)
{
    static const char count[] = "UPDATE ballot_boxes SET eligible = eligible + ? WHERE id = ?";
    return db_exec(w, count, "ii", added, box) == 1 ? 0 : -1;
}

int ballot_roll_add(struct dbc *w, int64_t box, const char *voter)
{
    if (!voter || !*voter || strlen(voter) > BALLOT_VOTER_MAX) return -1;
    int n = roll_insert(w, box, voter);
    if (n < 0) return -1;
    if (n == 0) /* on the roll already (fine) or ballots cast (refused) */
        return roll_state(w, box, voter, NULL) >= 0 ? 0 : -1;
    return roll_counted(w, box, 1);
}

int ballot_roll_add_many(struct dbc *w, int64_t box, const char *prefix, const int64_t *ids,
                         size_t n)
{
    int64_t added = 0;
    for (size_t i = 0; i < n; i++) {
        char voter[BALLOT_VOTER_MAX + 1];
        snprintf(voter, sizeof voter, "%s%lld", prefix, (long long)ids[i]);
        int k = roll_insert(w, box, voter);
        if (k < 0) return -1;
        added += k;
    }
    return roll_counted(w, box, added);
}

int ballot_domain(struct dbc *w, int64_t box, const struct ballot_range *r, size_t n)
{
    static const char sql[] =
        "INSERT INTO ballot_tallies(box_id, q, v, n) VALUES(?, ?, ?, ?) ON CONFLICT DO NOTHING";
    static const char have[] = "SELECT count(*) FROM ballot_tallies WHERE box_id = ?";
    int64_t want = 0;
    for (size_t i = 0; i < n; i++) {
        if (r[i].hi < r[i].lo || r[i].hi - r[i].lo > BALLOT_MARKS_MAX) return -1;
        want += r[i].hi - r[i].lo + 1;
    }
    /* Called before every cast of a survey: a count is cheaper than
     * trying each value again when the domain is whole already. */
    if (db_int(w, -1, have, "i", box) >= want) return 0;
    for (size_t i = 0; i < n; i++)
        for (int64_t v = r[i].lo; v <= r[i].hi; v++)
            if (db_exec(w, sql, "iiii", box, r[i].q, v, N0) < 0) return -1;
    return 0;
}

/* The box as the writer sees it inside the transaction. */
static int box_read(struct dbc *c, int64_t box, struct ballot_info *out)
{
    static const char sql[] = "SELECT id, k, opens_at, closes_at, eligible, ballots, verified,"
                              " closed, open_roll, count_unverified FROM ballot_boxes WHERE id = ?";
    sqlite3_stmt *st = db_prepare(c, sql, "i", box);
    if (!st) return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        out->k = sqlite3_column_int64(st, 1);
        out->opens_at = sqlite3_column_int64(st, 2);
        out->closes_at = sqlite3_column_int64(st, 3);
        out->eligible = sqlite3_column_int64(st, 4);
        out->cast = sqlite3_column_int64(st, 5);
        out->verified = sqlite3_column_int64(st, 6);
        out->closed = sqlite3_column_int(st, 7);
        out->open_roll = sqlite3_column_int(st, 8);
        out->count_unverified = sqlite3_column_int(st, 9);
    }
    db_done(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

int ballot_get(struct dbc *c, int64_t box, struct ballot_info *out)
{
    memset(out, 0, sizeof *out);
    return box_read(c, box, out);
}

/* -1: not on the roll; 0: on it, not voted; 1: voted; -2: error. */
static int roll_state(struct dbc *c, int64_t box, const char *voter, int *listed)
{
    static const char sql[] =
        "SELECT voted, listed FROM ballot_roll WHERE box_id = ? AND voter = ?";
    sqlite3_stmt *st = db_prepare(c, sql, "it", box, voter);
    if (!st) return -2;
    int rc = sqlite3_step(st), state = -1;
    if (rc == SQLITE_ROW) {
        state = sqlite3_column_int(st, 0) ? 1 : 0;
        if (listed) *listed = sqlite3_column_int(st, 1);
    } else if (rc != SQLITE_DONE) {
        state = -2;
    }
    db_done(st);
    return state;
}

/* Marks one key as voted: the row on the roll flips in place; a key that
 * is not on it is added as unlisted. */
static int mark_voted(struct dbc *w, int64_t box, const char *voter, int on_roll)
{
    static const char flip[] =
        "UPDATE ballot_roll SET voted = 1 WHERE box_id = ? AND voter = ? AND voted = 0";
    static const char add[] =
        "INSERT INTO ballot_roll(box_id, voter, voted, listed) VALUES(?, ?, 1, 0)";
    return db_exec(w, on_roll ? flip : add, "it", box, voter) == 1 ? 0 : -1;
}

static int marks_valid(const struct ballot_mark *m, size_t n)
{
    if (n > BALLOT_MARKS_MAX) return 0;
    for (size_t i = 0; i < n; i++)
        if (m[i].text && (!*m[i].text || strlen(m[i].text) > BALLOT_TEXT_MAX)) return 0;
    return 1;
}

enum ballot_rc ballot_cast(struct dbc *w, int64_t community_id, int64_t box,
                           const char *const *voters, size_t nvoters, const struct ballot_mark *m,
                           size_t n, int64_t now)
{
    static const char tally[] =
        "UPDATE ballot_tallies SET n = n + 1 WHERE box_id = ? AND q = ? AND v = ?";
    static const char text[] = "INSERT INTO ballot_texts(box_id, q, text, mix)"
                               " VALUES(?1, ?2, seal(?3, ?4, 'ballot_texts.text'), randomblob(16))";
    static const char count[] =
        "UPDATE ballot_boxes SET ballots = ballots + 1, verified = verified + ? WHERE id = ?";
    struct ballot_info b;
    if (nvoters == 0 || !voters[0] || !*voters[0] || !marks_valid(m, n)) return BALLOT_INVALID;
    if (box_read(w, box, &b) != 0) return BALLOT_NOT_FOUND;
    if (b.closed || now >= b.closes_at) return BALLOT_CLOSED;
    if (now < b.opens_at) return BALLOT_NOT_YET;
    int state[8], listed = 0;
    if (nvoters > HR_ARRAY_LEN(state)) return BALLOT_INVALID;
    for (size_t i = 0; i < nvoters; i++) {
        if (!voters[i] || !*voters[i] || strlen(voters[i]) > BALLOT_VOTER_MAX)
            return BALLOT_INVALID;
        int l = 0;
        state[i] = roll_state(w, box, voters[i], &l);
        if (state[i] == -2) return BALLOT_DB_ERROR;
        if (state[i] == 1) return BALLOT_ALREADY;
        if (i == 0) listed = state[0] == 0 && l;
    }
    if (!listed && !b.open_roll) return BALLOT_NOT_ELIGIBLE;
    for (size_t i = 0; i < nvoters; i++)
        if (mark_voted(w, box, voters[i], state[i] == 0) != 0) return BALLOT_DB_ERROR;
    for (size_t i = 0; i < n; i++) {
        int rc = m[i].text ? db_exec(w, text, "iiti", box, m[i].q, m[i].text, community_id)
                           : db_exec(w, tally, "iii", box, m[i].q, m[i].v);
        if (rc < 0) return BALLOT_DB_ERROR;
        if (rc != 1) return BALLOT_INVALID; /* a value outside the domain */
    }
    return db_exec(w, count, "ii", (int64_t)listed, box) == 1 ? BALLOT_OK : BALLOT_DB_ERROR;
}

enum ballot_rc ballot_set_dates(struct dbc *w, int64_t box, int64_t opens_at, int64_t closes_at,
                                int64_t now)
{
    static const char sql[] = "UPDATE ballot_boxes SET opens_at = ?, closes_at = ?"
                              " WHERE id = ? AND closed = 0 AND closes_at > ?";
    struct ballot_info b;
    if (box_read(w, box, &b) != 0) return BALLOT_NOT_FOUND;
    if (b.closed || now >= b.closes_at) return BALLOT_CLOSED;
    if (closes_at <= opens_at || closes_at <= now) return BALLOT_INVALID;
    /* Ballots already cast stay valid, but a box with ballots cannot be
     * moved to open later than it did. */
    if (b.cast > 0 && opens_at > b.opens_at) return BALLOT_INVALID;
    int rc = db_exec(w, sql, "iiii", opens_at, closes_at, box, now);
    return rc == 1 ? BALLOT_OK : rc < 0 ? BALLOT_DB_ERROR : BALLOT_CLOSED;
}

/* Fisher-Yates with libsodium's unbiased draw. */
static void shuffle(size_t *idx, size_t n)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = randombytes_uniform((uint32_t)i);
        size_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
}

/* The box's rows of one table, read whole, with a random order of them in
 * *idx (malloc'd, caller frees; NULL when there are none). NULL on error. */
static json_t *rows_shuffled(struct dbc *w, const char *sel, int64_t box, size_t **idx)
{
    json_t *rows = db_rows(w, sel, "i", box);
    size_t n = rows ? json_array_size(rows) : 0;
    *idx = n ? xmalloc(n * sizeof **idx) : NULL;
    shuffle(*idx, n);
    return rows;
}

#define COL_I(row, name) json_integer_value(json_object_get(row, name))
#define COL_T(row, name) json_string_value(json_object_get(row, name))

/* Every row of the box is deleted (secure_delete zeroes the space) and
 * written again in random order, texts under fresh random keys: where a
 * row sits in its page then says nothing of when it was first written. */
static int mix_box(struct dbc *w, int64_t box)
{
    static const char sel_t[] = "SELECT q, text FROM ballot_texts WHERE box_id = ?";
    static const char del_t[] = "DELETE FROM ballot_texts WHERE box_id = ?";
    static const char ins_t[] = "INSERT INTO ballot_texts(box_id, q, text, mix)"
                                " VALUES(?, ?, ?, randomblob(16))";
    static const char sel_r[] = "SELECT voter, voted, listed FROM ballot_roll WHERE box_id = ?";
    static const char del_r[] = "DELETE FROM ballot_roll WHERE box_id = ?";
    static const char ins_r[] =
        "INSERT INTO ballot_roll(box_id, voter, voted, listed) VALUES(?, ?, ?, ?)";
    static const char sel_n[] = "SELECT q, v, n FROM ballot_tallies WHERE box_id = ?";
    static const char del_n[] = "DELETE FROM ballot_tallies WHERE box_id = ?";
    static const char ins_n[] = "INSERT INTO ballot_tallies(box_id, q, v, n) VALUES(?, ?, ?, ?)";
    size_t *it, *ir, *in;
    json_t *t = rows_shuffled(w, sel_t, box, &it);
    json_t *r = rows_shuffled(w, sel_r, box, &ir);
    json_t *n = rows_shuffled(w, sel_n, box, &in);
    int rc = t && r && n && db_exec(w, del_t, "i", box) >= 0 && db_exec(w, del_r, "i", box) >= 0 &&
                     db_exec(w, del_n, "i", box) >= 0
                 ? 0
                 : -1;
    for (size_t i = 0; rc == 0 && i < json_array_size(t); i++) {
        json_t *row = json_array_get(t, it[i]);
        rc = db_exec(w, ins_t, "iit", box, COL_I(row, "q"), COL_T(row, "text")) == 1 ? 0 : -1;
    }
    for (size_t i = 0; rc == 0 && i < json_array_size(r); i++) {
        json_t *row = json_array_get(r, ir[i]);
        rc = db_exec(w, ins_r, "itii", box, COL_T(row, "voter"), COL_I(row, "voted"),
                     COL_I(row, "listed")) == 1
                 ? 0
                 : -1;
    }
    for (size_t i = 0; rc == 0 && i < json_array_size(n); i++) {
        json_t *row = json_array_get(n, in[i]);
        rc = db_exec(w, ins_n, "iiii", box, COL_I(row, "q"), COL_I(row, "v"), COL_I(row, "n")) == 1
                 ? 0
                 : -1;
    }
    free(it);
    free(ir);
    free(in);
    json_decref(t);
    json_decref(r);
    json_decref(n);
    return rc;
}

enum ballot_rc ballot_close(struct dbc *w, int64_t box)
{
    static const char sql[] = "UPDATE ballot_boxes SET closed = 1 WHERE id = ? AND closed = 0";
    struct ballot_info b;
    if (box_read(w, box, &b) != 0) return BALLOT_NOT_FOUND;
    if (b.closed) return BALLOT_CLOSED;
    if (mix_box(w, box) != 0) return BALLOT_DB_ERROR;
    return db_exec(w, sql, "i", box) == 1 ? BALLOT_OK : BALLOT_DB_ERROR;
}

int ballot_close_due(struct dbc *w, int64_t now)
{
    static const char sql[] = "SELECT id FROM ballot_boxes INDEXED BY ballot_boxes_due"
                              " WHERE closed = 0 AND closes_at <= ?";
    json_t *ids = db_rows(w, sql, "i", now);
    if (!ids) return -1;
    int rc = 0;
    for (size_t i = 0; i < json_array_size(ids) && rc == 0; i++)
        if (ballot_close(w, json_integer_value(json_object_get(json_array_get(ids, i), "id"))) !=
            BALLOT_OK)
            rc = -1;
    json_decref(ids);
    return rc;
}

enum ballot_rc ballot_discard(struct dbc *w, int64_t box)
{
    static const char sql[] = "DELETE FROM ballot_boxes WHERE id = ? AND ballots = 0";
    struct ballot_info b;
    if (box_read(w, box, &b) != 0) return BALLOT_NOT_FOUND;
    if (b.cast > 0) return BALLOT_ALREADY;
    return db_exec(w, sql, "i", box) == 1 ? BALLOT_OK : BALLOT_DB_ERROR;
}

int ballot_flush(struct db *db)
{
    if (db_wal_truncate(db) == 0) return 0;
    log_warn("ballot: the WAL could not be truncated now; it will be at the next ballot,"
             " closing or stop");
    return -1;
}

enum wr ballot_wr(struct dbc *w, enum ballot_rc rc, const struct ballot_reasons *why)
{
    switch (rc) {
    case BALLOT_OK:
        return WR_OK;
    case BALLOT_NOT_FOUND:
        return WR_NOT_FOUND;
    case BALLOT_NOT_YET:
        return wr_fail(w, WR_CONFLICT, why->not_yet ? why->not_yet : why->closed);
    case BALLOT_CLOSED:
        return wr_fail(w, WR_CONFLICT, why->closed);
    case BALLOT_NOT_ELIGIBLE:
        return wr_fail(w, WR_CONFLICT, why->not_eligible);
    case BALLOT_ALREADY:
        return wr_fail(w, WR_CONFLICT, why->already);
    case BALLOT_INVALID:
        return why->invalid ? wr_fail(w, WR_INVALID, why->invalid) : WR_INVALID;
    case BALLOT_DB_ERROR:
        break;
    }
    return wr_from_error(w);
}

void ballot_settle(struct req *r)
{
    int64_t now = now_s();
    if (!ballot_any_due(req_db(r), now)) return;
    struct dbc *w = req_write_begin(r);
    if (w && req_write_end(r, ballot_close_due(w, now) == 0) == 0) ballot_flush(r->app->db);
}

/* ---- reads ---- */

int ballot_has_voted(struct dbc *c, int64_t box, const char *const *voters, size_t nvoters)
{
    for (size_t i = 0; i < nvoters; i++)
        if (voters[i] && roll_state(c, box, voters[i], NULL) == 1) return 1;
    return 0;
}

int ballot_on_roll(struct dbc *c, int64_t box, const char *voter)
{
    int listed = 0;
    return roll_state(c, box, voter, &listed) >= 0 && listed;
}

int ballot_any_due(struct dbc *c, int64_t now)
{
    static const char sql[] = "SELECT 1 FROM ballot_boxes INDEXED BY ballot_boxes_due"
                              " WHERE closed = 0 AND closes_at <= ? LIMIT 1";
    return db_int(c, 0, sql, "i", now) == 1;
}

json_t *ballot_tallies(struct dbc *c, const struct ballot_info *b)
{
    static const char sql[] = "SELECT q, v, n - 1099511627776 AS n FROM ballot_tallies"
                              " WHERE box_id = ? AND n > 1099511627776 ORDER BY q, v";
    if (!ballot_visible(b)) return NULL;
    return db_rows(c, sql, "i", b->id);
}

int ballot_dist_grid(struct dbc *c, const struct ballot_info *b, int64_t nq, int64_t lo, int64_t hi,
                     int64_t *dist)
{
    /* One read of the box's tallies for questions 0..nq-1: pages that
     * show many boxes (a trend across waves) read each once. */
    static const char sql[] = "SELECT q, v, n - 1099511627776 FROM ballot_tallies"
                              " WHERE box_id = ? AND q BETWEEN 0 AND ? AND v BETWEEN ? AND ?";
    if (!ballot_visible(b) || hi < lo || nq <= 0) return -1;
    int64_t w = hi - lo + 1;
    memset(dist, 0, sizeof *dist * (size_t)(nq * w));
    sqlite3_stmt *st = db_prepare(c, sql, "iiii", b->id, nq - 1, lo, hi);
    if (!st) return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t q = sqlite3_column_int64(st, 0), v = sqlite3_column_int64(st, 1);
        if (q >= 0 && q < nq && v >= lo && v <= hi)
            dist[q * w + (v - lo)] = sqlite3_column_int64(st, 2);
    }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

json_t *ballot_text_groups(struct dbc *c, int64_t community_id, const struct ballot_info *b,
                           int64_t q, int64_t limit, int64_t offset)
{
    static const char sql[] = "SELECT text, count(*) AS n FROM ballot_texts"
                              " WHERE box_id = ? AND q = ? GROUP BY text ORDER BY text"
                              " LIMIT ? OFFSET ?";
    /* Sealed texts are grouped by what they say: every text of the
     * question is opened to be grouped (a community's box is as large as
     * its members; the clear query stays for the big boxes of clear ones). */
    static const char opened[] =
        "SELECT unseal(text, ?5, 'ballot_texts.text') AS text, count(*) AS n FROM ballot_texts"
        " WHERE box_id = ?1 AND q = ?2 GROUP BY 1 ORDER BY 1 LIMIT ?3 OFFSET ?4";
    const struct seal_data_key *dk;
    if (!ballot_visible(b)) return NULL;
    int sealed = sealtext_key(c, community_id, &dk);
    if (sealed < 0) return NULL;
    if (sealed == 0) return db_rows(c, sql, "iiii", b->id, q, limit, offset);
    return db_rows(c, opened, "iiiii", b->id, q, limit, offset, community_id);
}

int64_t ballot_text_count(struct dbc *c, const struct ballot_info *b, int64_t q)
{
    static const char sql[] = "SELECT count(*) FROM ballot_texts WHERE box_id = ? AND q = ?";
    if (!ballot_visible(b)) return 0;
    return db_int(c, 0, sql, "ii", b->id, q);
}

json_t *ballot_texts_shuffled(struct dbc *c, int64_t community_id, const struct ballot_info *b,
                              int64_t q)
{
    static const char sql[] = "SELECT unseal(text, ?3, 'ballot_texts.text') AS text"
                              " FROM ballot_texts WHERE box_id = ?1 AND q = ?2";
    if (!ballot_visible(b)) return NULL;
    json_t *rows = db_rows(c, sql, "iii", b->id, q, community_id);
    if (!rows) return NULL;
    size_t n = json_array_size(rows), *idx = n ? xmalloc(n * sizeof *idx) : NULL;
    shuffle(idx, n);
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append(out, json_object_get(json_array_get(rows, idx[i]), "text"));
    free(idx);
    json_decref(rows);
    return out;
}
