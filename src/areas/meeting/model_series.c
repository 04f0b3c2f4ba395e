/* Repeating events' SQL: the rule row, the occurrences made from it on
 * create and on edit, one occurrence changed or cancelled, and what a feed
 * needs of a whole series. See meeting.h and docs/architecture.md
 * ("Repeating events"). */
#include "areas/meeting/meeting.h"
#include "core/notify.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

static int repeats(const struct event_new *n)
{
    return n->rule.freq && n->rule.freq[0];
}

/* Tells each registered (or waiting) member of occurrence occ, by kind. */
static int tell(struct dbc *w, int64_t cid, int64_t event_id, int64_t occ, const char *kind,
                int64_t now)
{
    static const char sql[] = "SELECT member_id FROM event_registrations WHERE occurrence_id = ?1"
                              " ORDER BY id LIMIT 100000";
    json_t *rows = db_rows(w, sql, "i", occ);
    if (!rows) return -1;
    size_t i;
    json_t *row;
    int rc = 0;
    json_array_foreach(rows, i, row)
    {
        int64_t m = json_integer_value(json_object_get(row, "member_id"));
        if (rc == 0 && notify_members(w, cid, kind, event_id, NOTIFY_TO_MEMBER, m, now) < 0)
            rc = -1;
    }
    json_decref(rows);
    return rc;
}

enum wr event_series_sync(struct dbc *w, int64_t cid, int64_t id, const struct event_new *n)
{
    static const char del_rule[] = "DELETE FROM event_rules WHERE event_id = ?1";
    static const char add_rule[] =
        "INSERT INTO event_rules(event_id, community_id, freq, every, until_day, count)"
        " VALUES (?1, ?2, ?3, ?4, nullif(?5, ''), nullif(?6, 0))";
    static const char old_sql[] =
        "SELECT id, recurrence_id FROM event_occurrences WHERE event_id = ?1 ORDER BY seq";
    /* seq stays unique while it is renumbered: first out of the way */
    static const char shift[] = "UPDATE event_occurrences SET seq = seq + 1000 WHERE event_id = ?1";
    static const char keep[] =
        "UPDATE event_occurrences SET seq = ?2, recurrence_id = ?3,"
        " starts_at = CASE WHEN changed THEN starts_at ELSE ?3 END,"
        " ends_at = CASE WHEN changed THEN ends_at ELSE ?4 END WHERE id = ?1";
    static const char add[] =
        "INSERT INTO event_occurrences(event_id, community_id, seq, recurrence_id, starts_at,"
        " ends_at) VALUES (?1, ?2, ?3, ?4, ?4, ?5)";
    static const char drop[] = "DELETE FROM event_occurrences WHERE id = ?1";

    int64_t *starts = malloc(sizeof *starts * EVENT_OCCURRENCES_MAX);
    if (!starts) return WR_DB;
    int k = 1;
    starts[0] = n->starts_at;
    if (repeats(n))
        k = event_expand(&n->rule, n->zone, n->starts_at, starts, EVENT_OCCURRENCES_MAX);
    if (k <= 0) {
        free(starts);
        return wr_fail(w, WR_INVALID, "meeting.error.too_many");
    }
    int64_t dur = n->ends_at - n->starts_at, now = now_s();
    json_t *old = NULL;
    enum wr rc = WR_OK;
    if (db_exec(w, del_rule, "i", id) < 0) goto db;
    if (repeats(n) &&
        db_exec(w, add_rule, "iititi", id, cid, n->rule.freq, (int64_t)n->rule.every,
                n->rule.until_day ? n->rule.until_day : "", (int64_t)n->rule.count) != 1)
        goto db;
    old = db_rows(w, old_sql, "i", id);
    if (!old || db_exec(w, shift, "i", id) < 0) goto db;
    /* an occurrence is the same one when it falls on the same day */
    size_t nold = json_array_size(old);
    char *used = calloc(nold + 1, 1);
    char(*days)[20] = calloc(nold + 1, sizeof *days);
    if (!used || !days) {
        free(used);
        free(days);
        goto db;
    }
    for (size_t j = 0; j < nold; j++)
        event_local_format(
            json_integer_value(json_object_get(json_array_get(old, j), "recurrence_id")), n->zone,
            days[j]);
    for (int i = 0; i < k && rc == WR_OK; i++) {
        char day[20];
        event_local_format(starts[i], n->zone, day);
        size_t j = 0;
        while (j < nold && (used[j] || strncmp(days[j], day, 10)))
            j++;
        int ok;
        if (j < nold) {
            used[j] = 1;
            int64_t oid = json_integer_value(json_object_get(json_array_get(old, j), "id"));
            ok = db_exec(w, keep, "iiii", oid, (int64_t)i, starts[i], starts[i] + dur) == 1;
        } else {
            ok = db_exec(w, add, "iiiii", id, cid, (int64_t)i, starts[i], starts[i] + dur) == 1;
        }
        if (!ok) rc = wr_from_error(w);
    }
    /* the days that are gone: those registered are told, then the rows go */
    for (size_t j = 0; j < nold && rc == WR_OK; j++) {
        if (used[j]) continue;
        int64_t oid = json_integer_value(json_object_get(json_array_get(old, j), "id"));
        if (tell(w, cid, id, oid, MEETING_NOTIFY_REMOVED, now) != 0 ||
            db_exec(w, drop, "i", oid) != 1)
            rc = wr_from_error(w);
    }
    free(used);
    free(days);
    json_decref(old);
    free(starts);
    return rc;
db:
    json_decref(old);
    free(starts);
    return wr_from_error(w);
}

enum wr event_occurrence_change(struct dbc *w, int64_t cid, int64_t event_id, int64_t occ,
                                int64_t starts_at, int64_t ends_at, const char *place_text)
{
    static const char sql[] =
        "UPDATE event_occurrences SET starts_at = ?4, ends_at = ?5,"
        /* saved as shown, it stays as it was (not "changed", not sealed
         * again) */
        " changed = (changed OR starts_at <> ?4 OR ends_at <> ?5 OR ?6 <> ''),"
        " place_text = CASE WHEN ?6 = '' THEN NULL"
        "  WHEN place_text IS NOT NULL"
        "   AND unseal(place_text, community_id, 'event_occurrences.place_text') = ?6"
        "  THEN place_text ELSE seal(?6, ?2, 'event_occurrences.place_text') END"
        " WHERE id = ?1 AND community_id = ?2 AND event_id = ?3 AND cancelled_reason IS NULL"
        " AND EXISTS (SELECT 1 FROM events e WHERE e.id = ?3 AND e.cancelled_reason IS NULL)";
    static const char there[] =
        "SELECT 1 FROM event_occurrences WHERE id = ?1 AND community_id = ?2 AND event_id = ?3";
    int k = db_exec(w, sql, "iiiiit", occ, cid, event_id, starts_at, ends_at,
                    place_text ? place_text : "");
    if (k < 0) return wr_from_error(w);
    if (k == 0)
        return db_int(w, 0, there, "iii", occ, cid, event_id)
                   ? wr_fail(w, WR_CONFLICT, "meeting.error.cancelled")
                   : WR_NOT_FOUND;
    return WR_OK;
}

enum wr event_occurrence_cancel(struct dbc *w, int64_t cid, int64_t event_id, int64_t occ,
                                const char *reason)
{
    static const char sql[] =
        "UPDATE event_occurrences SET"
        " cancelled_reason = seal(?4, ?2, 'event_occurrences.cancelled_reason')"
        " WHERE id = ?1 AND community_id = ?2 AND event_id = ?3 AND cancelled_reason IS NULL"
        " AND EXISTS (SELECT 1 FROM events e WHERE e.id = ?3 AND e.cancelled_reason IS NULL)";
    static const char there[] =
        "SELECT 1 FROM event_occurrences WHERE id = ?1 AND community_id = ?2 AND event_id = ?3";
    int k = db_exec(w, sql, "iiit", occ, cid, event_id, reason);
    if (k < 0) return wr_from_error(w);
    if (k == 0)
        return db_int(w, 0, there, "iii", occ, cid, event_id)
                   ? wr_fail(w, WR_CONFLICT, "meeting.error.cancelled")
                   : WR_NOT_FOUND;
    if (tell(w, cid, event_id, occ, MEETING_NOTIFY_CANCELLED, now_s()) != 0)
        return wr_from_error(w);
    return WR_OK;
}

int event_occurrence_find(struct dbc *c, struct arena *a, int64_t cid, int64_t event_id,
                          int64_t occ, struct event_occ *out)
{
    static const char sql[] =
        "SELECT id, starts_at, ends_at, cancelled_reason IS NOT NULL,"
        " unseal(place_text, community_id, 'event_occurrences.place_text')"
        " FROM event_occurrences WHERE id = ?1 AND community_id = ?2 AND event_id = ?3";
    sqlite3_stmt *st = db_prepare(c, sql, "iii", occ, cid, event_id);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) {
        out->id = sqlite3_column_int64(st, 0);
        out->starts_at = sqlite3_column_int64(st, 1);
        out->ends_at = sqlite3_column_int64(st, 2);
        out->cancelled = sqlite3_column_int(st, 3);
        const unsigned char *p = sqlite3_column_text(st, 4);
        out->place_text = p ? arena_strdup(a, (const char *)p) : NULL;
    }
    db_done(st);
    return rc;
}

json_t *event_series_feed(struct dbc *c, int64_t id, int neutral)
{
    static const char rule[] =
        "SELECT r.freq, r.every,"
        " (SELECT recurrence_id FROM event_occurrences o WHERE o.event_id = r.event_id"
        "  AND o.seq = 0) AS first,"
        " coalesce((SELECT ends_at - starts_at FROM event_occurrences o"
        "  WHERE o.event_id = r.event_id AND o.changed = 0 ORDER BY seq LIMIT 1), 3600) AS "
        "duration,"
        " (SELECT count(*) FROM event_occurrences o WHERE o.event_id = r.event_id) AS count"
        " FROM event_rules r WHERE r.event_id = ?1";
    static const char texts[] =
        "SELECT recurrence_id, starts_at, ends_at, cancelled_reason IS NOT NULL AS cancelled,"
        " CASE WHEN place_text IS NULL THEN ''"
        "  ELSE unseal(place_text, community_id, 'event_occurrences.place_text') END AS place_text"
        " FROM event_occurrences WHERE event_id = ?1 AND (changed OR cancelled_reason IS NOT NULL)"
        " ORDER BY seq LIMIT 400";
    static const char bare[] =
        "SELECT recurrence_id, starts_at, ends_at, cancelled_reason IS NOT NULL AS cancelled"
        " FROM event_occurrences WHERE event_id = ?1 AND (changed OR cancelled_reason IS NOT NULL)"
        " ORDER BY seq LIMIT 400";
    json_t *r = db_row(c, rule, "i", id);
    if (!json_is_object(r)) {
        json_decref(r);
        return NULL;
    }
    json_t *ex = db_rows(c, neutral ? bare : texts, "i", id);
    json_object_set_new(r, "exceptions", ex ? ex : json_array());
    return r;
}
