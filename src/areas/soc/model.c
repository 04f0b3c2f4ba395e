/* The SQL of sense-of-community waves. The answers themselves are in the
 * wave's ballot box (core/ballot.c): this file never sees one. */
#include "areas/community/community.h"
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
        "SELECT id, box_id, opens_on, closes_on, date(opens_on, 'unixepoch') AS opens,"
        " date(closes_on, 'unixepoch') AS closes FROM soc_waves WHERE community_id = ?"
        " ORDER BY opens_on DESC, id DESC LIMIT 200";
    return db_rows(c, sql, "i", community_id);
}

json_t *soc_wave_get(struct dbc *c, int64_t community_id, int64_t wave_id)
{
    static const char sql[] =
        "SELECT id, box_id, opens_on, closes_on, date(opens_on, 'unixepoch') AS opens,"
        " date(closes_on, 'unixepoch') AS closes FROM soc_waves"
        " WHERE community_id = ? AND id = ?";
    return db_row(c, sql, "ii", community_id, wave_id);
}

void soc_voter(int64_t account_id, char out[24])
{
    snprintf(out, 24, "a%lld", (long long)account_id);
}

/* The four factors are questions 0..3 of the box, rated 1..10. */
static const struct ballot_range SOC_DOMAIN[SOC_FACTORS] = {
    {0, 1, SOC_SCALE}, {1, 1, SOC_SCALE}, {2, 1, SOC_SCALE}, {3, 1, SOC_SCALE}};

int64_t soc_wave_create(struct dbc *w, int64_t community_id, int64_t opens_on, int64_t closes_on)
{
    static const char sql[] =
        "INSERT INTO soc_waves(community_id, opens_on, closes_on, box_id) VALUES(?, ?, ?, ?)";
    struct ballot_spec spec = {
        .k = soc_k_of(w, community_id), .opens_at = opens_on, .closes_at = closes_on + 86400};
    int64_t box = ballot_open(w, &spec);
    if (box <= 0 || ballot_domain(w, box, SOC_DOMAIN, SOC_FACTORS) != 0) return -1;
    int64_t *ids = NULL;
    int64_t n = member_ids(w, community_id, &ids);
    /* the voter keys of soc_voter() */
    int rc = n < 0 ? -1 : ballot_roll_add_many(w, box, "a", ids, (size_t)n);
    free(ids);
    if (rc != 0 || db_exec(w, sql, "iiii", community_id, opens_on, closes_on, box) != 1) return -1;
    return db_last_id(w);
}

int soc_wave_overlaps(struct dbc *c, int64_t community_id, int64_t opens_on, int64_t closes_on,
                      int64_t now)
{
    /* A wave that is over (closed, or past its last day) no longer blocks
     * the dates; the box says which are. */
    static const char sql[] = "SELECT box_id FROM soc_waves WHERE community_id = ?"
                              " AND opens_on <= ? AND closes_on >= ?";
    json_t *rows = db_rows(c, sql, "iii", community_id, closes_on, opens_on);
    int found = 0;
    for (size_t i = 0; rows && i < json_array_size(rows) && !found; i++) {
        struct ballot_info b;
        if (ballot_get(c, json_integer_value(json_object_get(json_array_get(rows, i), "box_id")),
                       &b) == 0 &&
            !ballot_is_over(&b, now))
            found = 1;
    }
    json_decref(rows);
    return found;
}

int64_t soc_wave_box(struct dbc *c, int64_t community_id, int64_t wave_id)
{
    static const char sql[] = "SELECT box_id FROM soc_waves WHERE community_id = ? AND id = ?";
    return db_int(c, 0, sql, "ii", community_id, wave_id);
}

enum ballot_rc soc_wave_close(struct dbc *w, int64_t community_id, int64_t wave_id)
{
    int64_t box = soc_wave_box(w, community_id, wave_id);
    return box > 0 ? ballot_close(w, box) : BALLOT_NOT_FOUND;
}

enum ballot_rc soc_answer_cast(struct dbc *w, int64_t box_id, int64_t account_id, const int64_t *v,
                               const char *const *cm, int64_t now)
{
    struct ballot_mark m[2 * SOC_FACTORS];
    size_t n = 0;
    for (int f = 0; f < SOC_FACTORS; f++)
        m[n++] = (struct ballot_mark){.q = f, .v = v[f]};
    for (int f = 0; f < SOC_FACTORS; f++)
        if (cm[f] && *cm[f]) m[n++] = (struct ballot_mark){.q = f, .text = cm[f]};
    char voter[24];
    soc_voter(account_id, voter);
    const char *voters[] = {voter};
    /* The domain was made when the wave opened (or by migration 026). */
    return ballot_cast(w, box_id, voters, 1, m, n, now);
}

int soc_wave_stats(struct dbc *c, const struct ballot_info *b, struct soc_stats s[SOC_FACTORS])
{
    int64_t dist[SOC_FACTORS * SOC_SCALE];
    if (ballot_dist_grid(c, b, SOC_FACTORS, 1, SOC_SCALE, dist) != 0) return -1;
    for (int f = 0; f < SOC_FACTORS; f++)
        soc_stats_from(&s[f], dist + f * SOC_SCALE);
    return 0;
}

int soc_wave_comments(struct dbc *c, const struct ballot_info *b, json_t *out[SOC_FACTORS])
{
    int rc = 0;
    for (int f = 0; f < SOC_FACTORS; f++) {
        json_t *texts = ballot_texts_shuffled(c, b, f);
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

json_t *soc_shared_waves(struct dbc *c)
{
    static const char sql[] =
        "SELECT c.id AS community_id, c.slug, c.name, c.visibility, w.id AS wave_id, w.box_id,"
        " date(w.closes_on, 'unixepoch') AS closes FROM soc_settings s"
        " JOIN communities c ON c.id = s.community_id"
        " JOIN soc_waves w ON w.community_id = c.id"
        " WHERE s.share = 1 ORDER BY c.name, c.id, w.closes_on DESC, w.id DESC LIMIT 5000";
    json_t *rows = db_rows(c, sql, "");
    return rows ? rows : json_array();
}
