/* The SQL of sense-of-community waves. Individual answers are read here in
 * two places only: the member's own answer by its slot, and aggregates. */
#include "areas/soc/soc.h"
#include "core/db.h"
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

int soc_settings_set(struct dbc *w, int64_t community_id, int64_t k, int share)
{
    static const char sql[] =
        "INSERT INTO soc_settings(community_id, k, share) VALUES(?, ?, ?)"
        " ON CONFLICT(community_id) DO UPDATE SET k = excluded.k, share = excluded.share";
    return db_exec(w, sql, "iii", community_id, k, (int64_t)(share ? 1 : 0)) < 0 ? -1 : 0;
}

json_t *soc_wave_list(struct dbc *c, int64_t community_id)
{
    static const char sql[] =
        "SELECT w.id, w.opens_on, w.closes_on, date(w.opens_on, 'unixepoch') AS opens,"
        " date(w.closes_on, 'unixepoch') AS closes, w.closed, w.members,"
        " coalesce(w.answers, (SELECT count(*) FROM soc_answers a WHERE a.wave_id = w.id))"
        " AS answers FROM soc_waves w WHERE w.community_id = ?"
        " ORDER BY w.opens_on DESC, w.id DESC LIMIT 200";
    return db_rows(c, sql, "i", community_id);
}

json_t *soc_wave_get(struct dbc *c, int64_t community_id, int64_t wave_id)
{
    static const char sql[] =
        "SELECT w.id, w.opens_on, w.closes_on, date(w.opens_on, 'unixepoch') AS opens,"
        " date(w.closes_on, 'unixepoch') AS closes, w.closed, w.members,"
        " coalesce(w.answers, (SELECT count(*) FROM soc_answers a WHERE a.wave_id = w.id))"
        " AS answers FROM soc_waves w WHERE w.community_id = ? AND w.id = ?";
    return db_row(c, sql, "ii", community_id, wave_id);
}

char *soc_wave_secret(struct dbc *c, int64_t wave_id)
{
    static const char sql[] = "SELECT secret FROM soc_waves WHERE id = ? AND closed = 0";
    return db_text(c, sql, "i", wave_id);
}

int64_t soc_wave_create(struct dbc *w, int64_t community_id, int64_t opens_on, int64_t closes_on)
{
    static const char sql[] =
        "INSERT INTO soc_waves(community_id, opens_on, closes_on, secret) VALUES(?, ?, ?, ?)";
    char secret[SOC_SECRET_HEX + 1];
    soc_secret_new(secret);
    int rc = db_exec(w, sql, "iiit", community_id, opens_on, closes_on, secret);
    memset(secret, 0, sizeof secret);
    return rc < 0 ? -1 : db_last_id(w);
}

int soc_wave_overlaps(struct dbc *c, int64_t community_id, int64_t opens_on, int64_t closes_on)
{
    static const char sql[] = "SELECT count(*) FROM soc_waves WHERE community_id = ? AND closed = 0"
                              " AND opens_on <= ? AND closes_on >= ?";
    return db_int(c, 0, sql, "iii", community_id, closes_on, opens_on) > 0;
}

int soc_wave_close(struct dbc *w, int64_t community_id, int64_t wave_id)
{
    static const char sql[] = "UPDATE soc_waves SET closed = 1, secret = NULL,"
                              " members = (SELECT members FROM communities c"
                              "  WHERE c.id = soc_waves.community_id)"
                              " WHERE community_id = ? AND id = ? AND closed = 0";
    if (db_exec(w, sql, "ii", community_id, wave_id) != 1) return -1;
    return soc_tally_pending(w);
}

int soc_seal_expired(struct dbc *w, int64_t today)
{
    static const char sql[] = "UPDATE soc_waves SET closed = 1, secret = NULL,"
                              " members = (SELECT members FROM communities c"
                              "  WHERE c.id = soc_waves.community_id)"
                              " WHERE closed = 0 AND closes_on < ?";
    if (db_exec(w, sql, "i", today) < 0) return -1;
    return soc_tally_pending(w);
}

int soc_has_expired(struct dbc *c, int64_t today)
{
    static const char sql[] = "SELECT count(*) FROM soc_waves WHERE closed = 0 AND closes_on < ?";
    return db_int(c, 0, sql, "i", today) > 0;
}

int64_t soc_answer_count(struct dbc *c, int64_t wave_id)
{
    static const char sql[] = "SELECT count(*) FROM soc_answers WHERE wave_id = ?";
    return db_int(c, 0, sql, "i", wave_id);
}

int soc_participated(struct dbc *c, int64_t wave_id, int64_t account_id)
{
    static const char sql[] =
        "SELECT 1 FROM soc_participation WHERE wave_id = ? AND account_id = ?";
    return db_int(c, 0, sql, "ii", wave_id, account_id) == 1;
}

json_t *soc_answer_own(struct dbc *c, int64_t wave_id, const char *slot)
{
    static const char sql[] =
        "SELECT membership, influence, integration, connection, c_membership, c_influence,"
        " c_integration, c_connection FROM soc_answers WHERE wave_id = ? AND slot = ?";
    return db_row(c, sql, "it", wave_id, slot);
}

int soc_answer_put(struct dbc *w, int64_t wave_id, int64_t account_id, const char *slot,
                   const int64_t *v, const char *const *cm)
{
    static const char part[] =
        "INSERT INTO soc_participation(wave_id, account_id) VALUES(?, ?) ON CONFLICT DO NOTHING";
    static const char ans[] =
        "INSERT INTO soc_answers(wave_id, slot, membership, influence, integration, connection,"
        " c_membership, c_influence, c_integration, c_connection)"
        " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(wave_id, slot) DO UPDATE SET"
        " membership = excluded.membership, influence = excluded.influence,"
        " integration = excluded.integration, connection = excluded.connection,"
        " c_membership = excluded.c_membership, c_influence = excluded.c_influence,"
        " c_integration = excluded.c_integration, c_connection = excluded.c_connection";
    if (db_exec(w, part, "ii", wave_id, account_id) < 0) return -1;
    return db_exec(w, ans, "itiiiitttt", wave_id, slot, v[0], v[1], v[2], v[3], cm[0], cm[1], cm[2],
                   cm[3]) < 0
               ? -1
               : 0;
}

/* The distributions by one pass over the wave's answers, tallied here:
 * four GROUP BYs sorted the whole wave four times (130 ms at 100,000
 * answers against about 15 ms for one scan). */
static int stats_scan(struct dbc *c, int64_t wave_id, int64_t dist[SOC_FACTORS][SOC_SCALE])
{
    static const char sql[] =
        "SELECT membership, influence, integration, connection FROM soc_answers"
        " WHERE wave_id = ?";
    sqlite3_stmt *st = db_prepare(c, sql, "i", wave_id);
    if (!st) return -1;
    memset(dist, 0, sizeof(int64_t) * SOC_FACTORS * SOC_SCALE);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int f = 0; f < SOC_FACTORS; f++) {
            int v = sqlite3_column_int(st, f);
            if (v >= 1 && v <= SOC_SCALE) dist[f][v - 1]++;
        }
    }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The stored tallies of a closed wave; -1 when there are none (open, or
 * not tallied yet) or they do not parse. */
static int stats_stored(struct dbc *c, int64_t wave_id, int64_t dist[SOC_FACTORS][SOC_SCALE])
{
    static const char sql[] = "SELECT dist FROM soc_waves WHERE id = ? AND closed = 1";
    char *text = db_text(c, sql, "i", wave_id);
    if (!text) return -1;
    const char *p = text;
    int ok = 1;
    for (int i = 0; i < SOC_FACTORS * SOC_SCALE && ok; i++) {
        char *end;
        long long v = strtoll(p, &end, 10);
        ok = end != p && v >= 0;
        dist[i / SOC_SCALE][i % SOC_SCALE] = v;
        p = end;
    }
    free(text);
    return ok ? 0 : -1;
}

int soc_wave_stats(struct dbc *c, int64_t wave_id, struct soc_stats s[SOC_FACTORS])
{
    int64_t dist[SOC_FACTORS][SOC_SCALE];
    if (stats_stored(c, wave_id, dist) != 0 && stats_scan(c, wave_id, dist) != 0) return -1;
    for (int f = 0; f < SOC_FACTORS; f++)
        soc_stats_from(&s[f], dist[f]);
    return 0;
}

int soc_tally_pending(struct dbc *w)
{
    static const char todo[] =
        "SELECT id FROM soc_waves INDEXED BY soc_waves_untallied WHERE closed = 1 AND dist IS NULL";
    static const char set[] = "UPDATE soc_waves SET answers = ?, dist = ? WHERE id = ?";
    json_t *ids = db_rows(w, todo, "");
    if (!ids) return -1;
    int rc = 0;
    for (size_t i = 0; i < json_array_size(ids) && rc == 0; i++) {
        int64_t id = json_integer_value(json_object_get(json_array_get(ids, i), "id"));
        int64_t dist[SOC_FACTORS][SOC_SCALE];
        if (stats_scan(w, id, dist) != 0) {
            rc = -1;
            break;
        }
        struct buf b;
        buf_init(&b);
        int64_t n = 0;
        for (int k = 0; k < SOC_FACTORS * SOC_SCALE; k++) {
            buf_printf(&b, k ? " %lld" : "%lld", (long long)dist[k / SOC_SCALE][k % SOC_SCALE]);
            if (k < SOC_SCALE) n += dist[0][k]; /* every answer rates the first factor */
        }
        if (db_exec(w, set, "iti", n, b.data, id) != 1) rc = -1;
        buf_free(&b);
    }
    json_decref(ids);
    return rc;
}

int soc_wave_comments(struct dbc *c, int64_t wave_id, json_t *out[SOC_FACTORS])
{
    /* One pass, in random order so that the order says nothing about who
     * wrote what or when. */
    static const char sql[] =
        "SELECT c_membership, c_influence, c_integration, c_connection FROM soc_answers"
        " WHERE wave_id = ? AND (c_membership <> '' OR c_influence <> '' OR c_integration <> ''"
        " OR c_connection <> '') ORDER BY random()";
    for (int f = 0; f < SOC_FACTORS; f++)
        out[f] = json_array();
    sqlite3_stmt *st = db_prepare(c, sql, "i", wave_id);
    if (!st) return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        for (int f = 0; f < SOC_FACTORS; f++) {
            const char *t = (const char *)sqlite3_column_text(st, f);
            if (t && *t) json_array_append_new(out[f], json_pack("{ss}", "text", t));
        }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

json_t *soc_shared_latest(struct dbc *c)
{
    static const char sql[] =
        "SELECT c.slug, c.name, s.k, w.id AS wave_id, date(w.closes_on, 'unixepoch') AS closes,"
        " w.members, (SELECT count(*) FROM soc_answers a WHERE a.wave_id = w.id) AS answers"
        " FROM soc_settings s JOIN communities c ON c.id = s.community_id"
        " JOIN soc_waves w ON w.id = (SELECT w2.id FROM soc_waves w2"
        "   WHERE w2.community_id = c.id AND w2.closed = 1"
        "   AND (SELECT count(*) FROM soc_answers a2 WHERE a2.wave_id = w2.id) >= s.k"
        "   ORDER BY w2.closes_on DESC, w2.id DESC LIMIT 1)"
        " WHERE s.share = 1 ORDER BY c.name LIMIT 500";
    json_t *rows = db_rows(c, sql, "");
    return rows ? rows : json_array();
}
