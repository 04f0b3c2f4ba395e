/* The SQL of the talent bank's overview pages: the tags people use (for
 * the form's suggestions and the tags page), counts by category, the top
 * tags by kind, unmet needs and unasked offers, the organizers' export and
 * the hours of help given. In a sealed community the tags are counted by
 * their keyed hashes and shown by a sealed label opened, and every text is
 * opened as it is read (model_seal.c, core/sealtext.h). */
#include "areas/talent/model_sql.h"
#include "areas/talent/talent.h"
#include "core/db.h"
#include "core/sealtext.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

/* A sealed community's tags, counted by their hashes, each shown by one
 * of its sealed labels opened: one opening per distinct tag rather than
 * per entry. Its prefix is asked of the opened tag, for the index holds
 * only hashes. */
static const char SEALED_TAGS[] =
    "SELECT tag, n FROM (SELECT unseal(min(t.label), ?1, 'talent_tags.label') AS tag,"
    " count(*) AS n FROM talent_tags t WHERE t.community_id = ?1 GROUP BY t.tag)"
    " WHERE tag >= ?2 AND tag < ?3 ORDER BY n DESC, tag LIMIT ?4";

json_t *talent_tag_suggest(struct dbc *c, int64_t community_id, const char *prefix, int limit)
{
    static const char sql[] = "SELECT tag, count(*) AS n FROM talent_tags WHERE community_id = ?"
                              " AND tag >= ? AND tag < ? GROUP BY tag ORDER BY n DESC, tag LIMIT ?";
    const struct seal_data_key *dk;
    int sealed = sealtext_key(c, community_id, &dk);
    if (sealed < 0) return json_array();
    const char *p = prefix ? prefix : "";
    size_t n = strlen(p);
    char *hi = xmalloc(n + 5);
    memcpy(hi, p, n);
    memcpy(hi + n, "\xF4\x8F\xBF\xBF", 5);
    json_t *rows =
        db_rows(c, sealed ? SEALED_TAGS : sql, "itti", community_id, p, hi, (int64_t)limit);
    free(hi);
    return rows;
}

json_t *talent_counts_by_category(struct dbc *c, int64_t community_id)
{
    static const char sql[] =
        "SELECT category, count(*) AS total, sum(kind IN ('skill', 'offer')) AS offers,"
        " sum(kind = 'need') AS needs, sum(kind = 'hobby') AS hobbies"
        " FROM talent_entries WHERE community_id = ? AND hidden_reason IS NULL"
        " GROUP BY category ORDER BY total DESC, category";
    return db_rows(c, sql, "i", community_id);
}

json_t *talent_top_tags(struct dbc *c, int64_t community_id, const char *kind, int limit)
{
    /* Offers count together with skills. Hidden entries' tags count too:
     * only organizers see this, and they see hidden entries anyway. */
    static const char sql[] =
        "SELECT tag, count(*) AS n FROM talent_tags INDEXED BY talent_tags_kind"
        " WHERE community_id = ? AND kind IN (?, ?)"
        " GROUP BY tag ORDER BY n DESC, tag LIMIT ?";
    /* sealed: counted by hash, shown by a label opened (as SEALED_TAGS) */
    static const char sealed_sql[] =
        "SELECT unseal(min(t.label), ?1, 'talent_tags.label') AS tag, count(*) AS n"
        " FROM talent_tags t INDEXED BY talent_tags_kind"
        " WHERE t.community_id = ?1 AND t.kind IN (?2, ?3)"
        " GROUP BY t.tag ORDER BY n DESC, tag LIMIT ?4";
    const struct seal_data_key *dk;
    int sealed = sealtext_key(c, community_id, &dk);
    if (sealed < 0) return json_array();
    return db_rows(c, sealed ? sealed_sql : sql, "itti", community_id, kind,
                   str_eq(kind, "offer") ? "skill" : kind, (int64_t)limit);
}

json_t *talent_unmet_needs(struct dbc *c, int64_t community_id, int limit)
{
    static const char sql[] =
        "SELECT e.id, unseal(e.title, ?1, 'talent_entries.title') AS title, e.category,"
        " unseal(e.tags, ?1, 'talent_entries.tags') AS tags,"
        " unseal(o.name, ?1, 'members.name') AS display_name,"
        " date(e.created_at, 'unixepoch') AS created"
        " FROM talent_entries e" OWNER
        " WHERE e.community_id = ?1 AND e.kind = 'need' AND e.hidden_reason IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM talent_requests q WHERE q.entry_id = e.id"
        "  AND q.status IN ('accepted', 'done'))"
        " ORDER BY e.created_at LIMIT ?2";
    return db_rows(c, sql, "ii", community_id, (int64_t)limit);
}

json_t *talent_unasked_offers(struct dbc *c, int64_t community_id, int limit)
{
    static const char sql[] =
        "SELECT e.id, unseal(e.title, ?1, 'talent_entries.title') AS title, e.category,"
        " unseal(e.tags, ?1, 'talent_entries.tags') AS tags,"
        " unseal(o.name, ?1, 'members.name') AS display_name"
        " FROM talent_entries e" OWNER
        " WHERE e.community_id = ?1 AND e.kind IN ('offer', 'skill') AND e.hidden_reason IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM talent_requests q WHERE q.entry_id = e.id)"
        " ORDER BY e.created_at LIMIT ?2";
    return db_rows(c, sql, "ii", community_id, (int64_t)limit);
}

json_t *talent_export_rows(struct dbc *c, int64_t community_id)
{
    static const char sql[] =
        "SELECT e.kind, e.category, unseal(e.title, ?1, 'talent_entries.title') AS title,"
        " unseal(e.body, ?1, 'talent_entries.body') AS body,"
        " unseal(e.tags, ?1, 'talent_entries.tags') AS tags, e.availability,"
        " unseal(o.name, ?1, 'members.name') AS display_name,"
        " date(e.created_at, 'unixepoch') AS created"
        " FROM talent_entries e" OWNER " WHERE e.community_id = ?1 AND e.hidden_reason IS NULL"
        " ORDER BY e.category, e.kind, e.id LIMIT 100000";
    return db_rows(c, sql, "i", community_id);
}

int64_t talent_hours(struct dbc *c, int64_t community_id)
{
    static const char sql[] =
        "SELECT coalesce(sum(hours), 0) FROM talent_requests WHERE community_id = ?"
        " AND status = 'done'";
    return db_int(c, 0, sql, "i", community_id);
}

int64_t talent_entry_by_title(struct dbc *c, int64_t community_id, const char *title)
{
    static const char sql[] = "SELECT min(id) FROM talent_entries WHERE community_id = ?1"
                              " AND unseal(title, ?1, 'talent_entries.title') = ?2";
    return db_int(c, 0, sql, "it", community_id, title);
}
