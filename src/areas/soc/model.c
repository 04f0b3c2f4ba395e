/* The SQL of sense-of-community waves. The answers themselves are in the
 * wave's ballot box (core/ballot.c): this file never sees one. */
#include "areas/soc/soc.h"
#include "areas/community/community.h"
#include "core/db.h"
#include "core/notify.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t soc_k_of(struct dbc *c, int64_t community_id)
{
    static const char sql[] = "SELECT k FROM soc_settings WHERE community_id = ?";
    int64_t k = db_int(c, SOC_K_DEFAULT, sql, "i", community_id);
    return soc_k_valid(k) ? k : SOC_K_DEFAULT;
}

int soc_share_of(struct dbc *c, int64_t community_id)
{
    static const char sql[] = "SELECT share FROM soc_settings WHERE community_id = ?";
    return db_int(c, 0, sql, "i", community_id) == 1;
}

enum wr soc_settings_set(struct dbc *w, int64_t community_id, int64_t k, int share)
{
    /* The update's WHERE leaves a row that already says this alone. */
    static const char sql[] =
        "INSERT INTO soc_settings(community_id, k, share) VALUES(?, ?, ?)"
        " ON CONFLICT(community_id) DO UPDATE SET k = excluded.k, share = excluded.share"
        " WHERE k IS NOT excluded.k OR share IS NOT excluded.share";
    int n = db_exec(w, sql, "iii", community_id, k, (int64_t)(share ? 1 : 0));
    return n < 0 ? wr_from_error(w) : WR_OK;
}

/* The columns of a wave, in the order wave_row takes them. */
#define WAVE_COLS                                                                                  \
    "id, box_id, opens_on, closes_on, date(opens_on, 'unixepoch'), date(closes_on, 'unixepoch')"

/* The statement's current row into *out (its box not read yet). */
static void wave_row(sqlite3_stmt *st, struct arena *a, struct soc_wave *out)
{
    *out = (struct soc_wave){.id = sqlite3_column_int64(st, 0),
                             .box_id = sqlite3_column_int64(st, 1),
                             .opens_on = sqlite3_column_int64(st, 2),
                             .closes_on = sqlite3_column_int64(st, 3),
                             .opens = arena_strdup(a, (const char *)sqlite3_column_text(st, 4)),
                             .closes = arena_strdup(a, (const char *)sqlite3_column_text(st, 5)),
                             .state = SOC_CLOSED};
}

void soc_wave_state(struct dbc *c, struct soc_wave *w, int64_t now)
{
    w->box_ok = ballot_get(c, w->box_id, &w->box) == 0;
    w->state = w->box_ok ? soc_state_of(&w->box, now) : SOC_CLOSED;
}

/* Room for one more element in an arena array of *cap elements holding n:
 * doubled when full (the old block stays in the arena until the request
 * ends). */
static void *arena_grow(struct arena *a, void *v, int64_t n, int64_t *cap, size_t size)
{
    if (n < *cap) return v;
    int64_t ncap = *cap ? *cap * 2 : 16;
    void *bigger = arena_alloc(a, size * (size_t)ncap);
    if (n) memcpy(bigger, v, size * (size_t)n);
    *cap = ncap;
    return bigger;
}

int64_t soc_waves_of(struct dbc *c, struct arena *a, int64_t community_id, int64_t now,
                     int with_boxes, struct soc_wave **out)
{
    static const char sql[] = "SELECT " WAVE_COLS " FROM soc_waves WHERE community_id = ?"
                              " ORDER BY opens_on DESC, id DESC LIMIT 200";
    sqlite3_stmt *st = db_prepare(c, sql, "i", community_id);
    if (!st) return -1;
    struct soc_wave *w = NULL;
    int64_t n = 0, cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        w = arena_grow(a, w, n, &cap, sizeof *w);
        wave_row(st, a, &w[n++]);
    }
    db_done(st);
    /* The boxes after the rows: no statement of ballot_get runs while this
     * one is stepping. */
    for (int64_t i = 0; with_boxes && i < n; i++)
        soc_wave_state(c, &w[i], now);
    *out = w;
    return n;
}

int soc_wave_find(struct dbc *c, struct arena *a, int64_t community_id, int64_t wave_id,
                  int64_t now, struct soc_wave *out)
{
    static const char sql[] =
        "SELECT " WAVE_COLS " FROM soc_waves WHERE community_id = ? AND id = ?";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", community_id, wave_id);
    int found = st && sqlite3_step(st) == SQLITE_ROW;
    if (found) wave_row(st, a, out);
    db_done(st);
    if (!found) return -1;
    soc_wave_state(c, out, now);
    return out->box_ok ? 0 : -1;
}

void soc_voter(int64_t member_id, char out[24])
{
    snprintf(out, 24, "m%lld", (long long)member_id);
}

enum wr soc_ballot_wr(struct dbc *w, enum ballot_rc rc, const char *closed_key)
{
    /* Not open yet reads as closed to the member: no answer now. */
    const struct ballot_reasons why = {
        .closed = closed_key,
        .not_yet = "soc.error.closed",
        .not_eligible = "soc.error.not_eligible",
        .already = "soc.error.twice",
    };
    return ballot_wr(w, rc, &why);
}

/* The four factors are questions 0..3 of the box, rated 1..10. */
static const struct ballot_range SOC_DOMAIN[SOC_FACTORS] = {
    {0, 1, SOC_SCALE}, {1, 1, SOC_SCALE}, {2, 1, SOC_SCALE}, {3, 1, SOC_SCALE}};

int soc_wave_overlaps(struct dbc *c, int64_t community_id, int64_t opens_on, int64_t closes_on,
                      int64_t now)
{
    /* A wave that is over (closed, or past its last day) no longer blocks
     * the dates; the box says which are. */
    static const char sql[] = "SELECT box_id FROM soc_waves WHERE community_id = ?"
                              " AND opens_on <= ? AND closes_on >= ?";
    sqlite3_stmt *st = db_prepare(c, sql, "iii", community_id, closes_on, opens_on);
    int found = 0;
    /* ballot_get's statements are others than this one: SQLite steps them
     * side by side on one connection. */
    while (st && !found && sqlite3_step(st) == SQLITE_ROW) {
        struct ballot_info b;
        found = ballot_get(c, sqlite3_column_int64(st, 0), &b) == 0 && !ballot_is_over(&b, now);
    }
    db_done(st);
    return found;
}

static int64_t wave_box_id(struct dbc *c, int64_t community_id, int64_t wave_id)
{
    static const char sql[] = "SELECT box_id FROM soc_waves WHERE community_id = ? AND id = ?";
    return db_int(c, 0, sql, "ii", community_id, wave_id);
}

enum wr soc_wave_create(struct dbc *w, int64_t community_id, int64_t opens_on, int64_t closes_on,
                        int64_t now, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO soc_waves(community_id, opens_on, closes_on, box_id) VALUES(?, ?, ?, ?)";
    /* Asked again here, on the writer: another organizer's wave may have
     * opened since the form was checked. */
    if (soc_wave_overlaps(w, community_id, opens_on, closes_on, now))
        return wr_fail(w, WR_CONFLICT, "soc.error.overlap");
    struct ballot_spec spec = {
        .k = soc_k_of(w, community_id), .opens_at = opens_on, .closes_at = closes_on + 86400};
    int64_t box = ballot_open(w, &spec);
    if (box <= 0 || ballot_domain(w, box, SOC_DOMAIN, SOC_FACTORS) != 0) return wr_from_error(w);
    int64_t *ids = NULL;
    int64_t n = member_local_ids(w, community_id, &ids);
    /* the voter keys of soc_voter() */
    int rc = n < 0 ? -1 : ballot_roll_add_many(w, box, "m", ids, (size_t)n);
    free(ids);
    if (rc != 0) return wr_from_error(w);
    enum wr out =
        wr_changed(w, db_exec(w, sql, "iiii", community_id, opens_on, closes_on, box), WR_DB);
    int64_t wave = out == WR_OK ? db_last_id(w) : 0;
    if (out == WR_OK && id) *id = wave;
    /* a wave open today reaches every member now; one that opens later
     * waits for the scheduled pass (issue 17, still to come) */
    if (out == WR_OK && opens_on <= now && now < closes_on + 86400 &&
        notify_members(w, community_id, SOC_NOTIFY_WAVE, wave, NOTIFY_TO_COMMUNITY, 0, now) < 0)
        out = WR_DB;
    return out;
}

enum wr soc_wave_close(struct dbc *w, int64_t community_id, int64_t wave_id)
{
    int64_t box = wave_box_id(w, community_id, wave_id);
    if (box <= 0) return WR_NOT_FOUND;
    return soc_ballot_wr(w, ballot_close(w, box), "soc.error.closed_already");
}

enum wr soc_answer_cast(struct dbc *w, int64_t community_id, int64_t wave_id, int64_t member_id,
                        const int64_t *v, const char *const *cm, int64_t now)
{
    int64_t box = wave_box_id(w, community_id, wave_id);
    if (box <= 0) return WR_NOT_FOUND;
    struct ballot_mark m[2 * SOC_FACTORS];
    size_t n = 0;
    for (int f = 0; f < SOC_FACTORS; f++)
        m[n++] = (struct ballot_mark){.q = f, .v = v[f]};
    for (int f = 0; f < SOC_FACTORS; f++)
        if (cm[f] && *cm[f]) m[n++] = (struct ballot_mark){.q = f, .text = cm[f]};
    char voter[24];
    soc_voter(member_id, voter);
    const char *voters[] = {voter};
    /* The domain was made when the wave opened (or by migration 026). The
     * box decides, on this writer, whether the wave is open, the member on
     * its roll and without an answer. */
    return soc_ballot_wr(w, ballot_cast(w, community_id, box, voters, 1, m, n, now),
                         "soc.error.closed");
}

int soc_wave_stats(struct dbc *c, const struct ballot_info *b, struct soc_stats s[SOC_FACTORS])
{
    int64_t dist[SOC_FACTORS * SOC_SCALE];
    if (ballot_dist_grid(c, b, SOC_FACTORS, 1, SOC_SCALE, dist) != 0) return -1;
    for (int f = 0; f < SOC_FACTORS; f++)
        soc_stats_from(&s[f], dist + f * SOC_SCALE);
    return 0;
}

int soc_wave_comments(struct dbc *c, int64_t community_id, const struct ballot_info *b,
                      json_t *out[SOC_FACTORS])
{
    int rc = 0;
    for (int f = 0; f < SOC_FACTORS; f++) {
        json_t *texts = ballot_texts_shuffled(c, community_id, b, f);
        out[f] = json_array();
        if (!texts) {
            rc = -1;
            continue;
        }
        for (size_t i = 0; i < json_array_size(texts); i++)
            json_array_append_new(out[f], json_pack("{sO}", "text", json_array_get(texts, i)));
        json_decref(texts);
    }
    return rc;
}

int64_t soc_shared_waves(struct dbc *c, struct arena *a, struct soc_shared **out)
{
    static const char sql[] =
        /* A secret community's name opens only for its own members (NULL
         * for anyone else, whose page leaves it unnamed anyway). */
        "SELECT c.id, w.id, w.box_id, c.slug, unseal(c.name, c.id, 'communities.name'),"
        " date(w.closes_on, 'unixepoch'), c.visibility FROM soc_settings s"
        " JOIN communities c ON c.id = s.community_id"
        " JOIN soc_waves w ON w.community_id = c.id"
        " WHERE s.share = 1 ORDER BY 5, c.id, w.closes_on DESC, w.id DESC LIMIT 5000";
    sqlite3_stmt *st = db_prepare(c, sql, "");
    if (!st) return -1;
    struct soc_shared *rows = NULL;
    int64_t n = 0, cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        rows = arena_grow(a, rows, n, &cap, sizeof *rows);
        rows[n++] = (struct soc_shared){
            .community_id = sqlite3_column_int64(st, 0),
            .wave_id = sqlite3_column_int64(st, 1),
            .box_id = sqlite3_column_int64(st, 2),
            .slug = arena_strdup(a, (const char *)sqlite3_column_text(st, 3)),
            .name = arena_strdup(a, (const char *)sqlite3_column_text(st, 4)),
            .closes = arena_strdup(a, (const char *)sqlite3_column_text(st, 5)),
            .visibility = (int)sqlite3_column_int64(st, 6),
        };
    }
    db_done(st);
    *out = rows;
    return n;
}

/* ---- sealing (docs/architecture.md, "Sealing, step 3: texts") ---- */

int soc_seal_texts(struct dbc *w, int64_t community_id)
{
    /* The waves' comments, in their ballot boxes: numbers stay as they
     * are, for the k rule and the results. */
    static const char sql[] = "UPDATE ballot_texts SET text = seal(text, ?1, 'ballot_texts.text')"
                              " WHERE box_id IN (SELECT box_id FROM soc_waves"
                              "  WHERE community_id = ?1 AND box_id IS NOT NULL)";
    return db_exec(w, sql, "i", community_id) < 0 ? -1 : 0;
}

json_t *soc_waves_closing(struct dbc *c, int64_t from, int64_t to)
{
    static const char sql[] =
        "SELECT w.community_id, w.id, b.closes_at AS due FROM ballot_boxes b"
        " JOIN soc_waves w ON w.box_id = b.id"
        " WHERE b.closed = 0 AND b.closes_at > ?1 AND b.closes_at <= ?2 AND b.opens_at <= ?1";
    return db_rows(c, sql, "ii", from, to);
}
