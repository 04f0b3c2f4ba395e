/* A member's private calendar feed: its keyed hash, scope and rows. The
 * token itself is never stored (see migration 081). */
#include "areas/meeting/meeting.h"
#include "core/util.h"

json_t *event_feed_of(struct dbc *c, int64_t cid, int64_t member)
{
    static const char sql[] = "SELECT scope, created_at FROM event_feeds"
                              " WHERE member_id = ?1 AND community_id = ?2";
    json_t *row = db_row(c, sql, "ii", member, cid);
    if (json_is_object(row)) return row;
    json_decref(row);
    return NULL;
}

enum wr event_feed_set(struct dbc *w, int64_t cid, int64_t member, const char *hash,
                       const char *scope)
{
    static const char sql[] =
        "INSERT INTO event_feeds(member_id, community_id, token_hash, scope, created_at)"
        " SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM members m"
        "  WHERE m.id = ?1 AND m.community_id = ?2)"
        " ON CONFLICT(member_id) DO UPDATE SET token_hash = excluded.token_hash,"
        " scope = excluded.scope, created_at = excluded.created_at";
    return wr_changed(w, db_exec(w, sql, "iitti", member, cid, hash, scope, now_s()), WR_NOT_FOUND);
}

enum wr event_feed_revoke(struct dbc *w, int64_t cid, int64_t member)
{
    static const char sql[] = "DELETE FROM event_feeds WHERE member_id = ?1 AND community_id = ?2";
    int k = db_exec(w, sql, "ii", member, cid);
    if (k < 0) return wr_from_error(w);
    return k ? WR_OK : wr_fail(w, WR_CONFLICT, "meeting.error.no_feed");
}

json_t *event_feed_by_hash(struct dbc *c, const char *hash)
{
    static const char sql[] =
        "SELECT f.community_id, f.member_id, f.scope, k.slug, k.visibility FROM event_feeds f"
        " JOIN members m ON m.id = f.member_id AND m.community_id = f.community_id"
        " JOIN communities k ON k.id = f.community_id WHERE f.token_hash = ?1";
    json_t *row = db_row(c, sql, "t", hash);
    if (json_is_object(row)) return row;
    json_decref(row);
    return NULL;
}

/* ?2 the member when only their registrations are wanted, else 0 */
#define MINE                                                                                       \
    " (?2 = 0 OR EXISTS (SELECT 1 FROM event_registrations r WHERE r.occurrence_id = o.id"         \
    "  AND r.member_id = ?2))"

json_t *event_member_feed_rows(struct dbc *c, int64_t cid, const char *slug, int64_t member,
                               int registered, int bare, int64_t since, int64_t limit)
{
    static const char texts[] =
        "SELECT e.id, o.id AS occurrence_id, o.seq, o.recurrence_id, o.starts_at, o.ends_at,"
        " o.changed, e.zone, e.kind, unseal(e.title, e.community_id, 'events.title') AS title,"
        " CASE WHEN e.description = '' THEN ''"
        "  ELSE unseal(e.description, e.community_id, 'events.description') END AS description,"
        " unseal(t.name, coalesce(t.community_id, 0), 'territories.name') AS place,"
        " CASE WHEN o.place_text IS NOT NULL"
        "  THEN unseal(o.place_text, o.community_id, 'event_occurrences.place_text')"
        "  WHEN e.place_text = '' THEN ''"
        "  ELSE unseal(e.place_text, e.community_id, 'events.place_text') END AS place_text,"
        " CASE WHEN e.online_url = '' THEN ''"
        "  ELSE unseal(e.online_url, e.community_id, 'events.online_url') END AS online_url,"
        " e.cancelled_reason IS NOT NULL AS event_cancelled,"
        " e.cancelled_reason IS NOT NULL OR o.cancelled_reason IS NOT NULL AS cancelled,"
        " CASE WHEN ?2 = 0 THEN (SELECT freq FROM event_rules x WHERE x.event_id = e.id) END"
        "  AS freq,"
        " '/c/' || ?5 || '/events/' || e.id AS link"
        " FROM event_occurrences o JOIN events e ON e.id = o.event_id"
        " LEFT JOIN territories t ON t.id = e.territory_id"
        " WHERE o.community_id = ?1 AND o.ends_at > ?3 AND" MINE
        " ORDER BY o.starts_at, o.id LIMIT ?4";
    static const char plain[] =
        "SELECT e.id, o.id AS occurrence_id, o.seq, o.recurrence_id, o.starts_at, o.ends_at,"
        " o.changed, e.zone, e.kind, e.cancelled_reason IS NOT NULL AS event_cancelled,"
        " e.cancelled_reason IS NOT NULL OR o.cancelled_reason IS NOT NULL AS cancelled,"
        " CASE WHEN ?2 = 0 THEN (SELECT freq FROM event_rules x WHERE x.event_id = e.id) END"
        "  AS freq,"
        " '/c/' || ?5 || '/events/' || e.id AS link"
        " FROM event_occurrences o JOIN events e ON e.id = o.event_id"
        " WHERE o.community_id = ?1 AND o.ends_at > ?3 AND" MINE
        " ORDER BY o.starts_at, o.id LIMIT ?4";
    return db_rows(c, bare ? plain : texts, "iiiit", cid, registered ? member : 0, since, limit,
                   slug);
}
