/* The SQL of sense-of-community waves. Individual answers are read here in
 * two places only: the member's own answer by its slot, and aggregates. */
#include "areas/soc/soc.h"
#include "core/db.h"
#include "core/util.h"

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
        " (SELECT count(*) FROM soc_answers a WHERE a.wave_id = w.id) AS answers"
        " FROM soc_waves w WHERE w.community_id = ? ORDER BY w.opens_on DESC, w.id DESC LIMIT 200";
    return db_rows(c, sql, "i", community_id);
}

json_t *soc_wave_get(struct dbc *c, int64_t community_id, int64_t wave_id)
{
    static const char sql[] =
        "SELECT w.id, w.opens_on, w.closes_on, date(w.opens_on, 'unixepoch') AS opens,"
        " date(w.closes_on, 'unixepoch') AS closes, w.closed, w.members,"
        " (SELECT count(*) FROM soc_answers a WHERE a.wave_id = w.id) AS answers"
        " FROM soc_waves w WHERE w.community_id = ? AND w.id = ?";
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
                              " members = (SELECT count(*) FROM memberships m WHERE m.community_id "
                              "= soc_waves.community_id)"
                              " WHERE community_id = ? AND id = ? AND closed = 0";
    return db_exec(w, sql, "ii", community_id, wave_id) == 1 ? 0 : -1;
}

int soc_seal_expired(struct dbc *w, int64_t today)
{
    static const char sql[] = "UPDATE soc_waves SET closed = 1, secret = NULL,"
                              " members = (SELECT count(*) FROM memberships m WHERE m.community_id "
                              "= soc_waves.community_id)"
                              " WHERE closed = 0 AND closes_on < ?";
    return db_exec(w, sql, "i", today) < 0 ? -1 : 0;
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

int soc_wave_stats(struct dbc *c, int64_t wave_id, struct soc_stats s[SOC_FACTORS])
{
    /* One pass over the wave's answers, tallied here: four GROUP BYs sorted
     * the whole wave four times (130 ms at 100,000 answers against about
     * 15 ms for one scan). */
    static const char sql[] =
        "SELECT membership, influence, integration, connection FROM soc_answers"
        " WHERE wave_id = ?";
    sqlite3_stmt *st = db_prepare(c, sql, "i", wave_id);
    if (!st) return -1;
    int64_t dist[SOC_FACTORS][SOC_SCALE];
    memset(dist, 0, sizeof dist);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int f = 0; f < SOC_FACTORS; f++) {
            int v = sqlite3_column_int(st, f);
            if (v >= 1 && v <= SOC_SCALE) dist[f][v - 1]++;
        }
    }
    db_done(st);
    if (rc != SQLITE_DONE) return -1;
    for (int f = 0; f < SOC_FACTORS; f++)
        soc_stats_from(&s[f], dist[f]);
    return 0;
}

json_t *soc_wave_comments(struct dbc *c, int64_t wave_id, int factor)
{
    static const char *const sql[SOC_FACTORS] = {
        "SELECT c_membership AS text FROM soc_answers WHERE wave_id = ? AND c_membership <> ''"
        " ORDER BY random()",
        "SELECT c_influence AS text FROM soc_answers WHERE wave_id = ? AND c_influence <> ''"
        " ORDER BY random()",
        "SELECT c_integration AS text FROM soc_answers WHERE wave_id = ? AND c_integration <> ''"
        " ORDER BY random()",
        "SELECT c_connection AS text FROM soc_answers WHERE wave_id = ? AND c_connection <> ''"
        " ORDER BY random()",
    };
    if (factor < 0 || factor >= SOC_FACTORS) return json_array();
    json_t *rows = db_rows(c, sql[factor], "i", wave_id);
    return rows ? rows : json_array();
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
