/* Events' SQL: events, occurrences, registrations, the community's zone;
 * see meeting.h. Every free text is written seal(?, community,
 * 'table.column') and read unseal(...): sealed in a secret community, as
 * typed elsewhere. No WHERE, ORDER BY or index reads a sealed column: the
 * calendar sorts by the occurrences' clear times. An optional text left
 * empty is stored empty rather than sealed (its being empty is no secret). */
#include "areas/meeting/meeting.h"
#include "core/notify.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

const char *const event_kinds[] = {"leisure",  "housing", "landscaping", "club",
                                   "training", "other",   NULL};
const char *const event_audiences[] = {"members", "everyone", NULL};
const char *const event_repeats[] = {"none", "daily", "weekly", "monthly", NULL};

#define OPT_SEAL(n, col) "CASE WHEN ?" n " = '' THEN '' ELSE seal(?" n ", ?1, '" col "') END"
#define OPT_OPEN(c, col)                                                                           \
    "CASE WHEN " c " = '' THEN '' ELSE unseal(" c ", e.community_id, '" col "') END"

/* The places an event of community ?1 may name: its territory and what
 * lies below it, public or its own (the initiative area's rule). */
#define PLACES_BELOW                                                                               \
    "WITH RECURSIVE below(id, depth, path) AS ("                                                   \
    " SELECT t.id, 0, printf('%08d', t.id) FROM communities c JOIN territories t"                  \
    "  ON t.id = c.territory_id WHERE c.id = ?1"                                                   \
    " UNION ALL SELECT t.id, below.depth + 1, below.path || '/' || printf('%08d', t.id)"           \
    "  FROM territories t JOIN below ON t.parent_id = below.id"                                    \
    "  WHERE below.depth < 5 AND (t.community_id IS NULL OR t.community_id = ?1))"
#define PLACE_OK " (?7 = 0 OR ?7 IN (" PLACES_BELOW " SELECT id FROM below))"

static const char *s0(const char *s)
{
    return s ? s : "";
}

enum wr event_create(struct dbc *w, int64_t cid, int64_t author, const struct event_new *n,
                     int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO events(community_id, member_id, kind, title, description, zone,"
        " territory_id, place_text, online_url, capacity, audience, created_at)"
        " SELECT ?1, ?2, ?3, seal(?4, ?1, 'events.title'), " OPT_SEAL(
            "5",
            "events.description") ", ?6, nullif(?7, 0), " OPT_SEAL("8",
                                                                   "events.place_"
                                                                   "text") ","
                                                                           " " OPT_SEAL(
                                                                               "9",
                                                                               "event"
                                                                               "s."
                                                                               "onlin"
                                                                               "e_"
                                                                               "url") ", "
                                                                                      "nullif(?10, "
                                                                                      "0), ?11, ?12"
                                                                                      " WHER"
                                                                                      "E" PLACE_OK;
    int k = db_exec(w, sql, "iittttittiti", cid, author, n->kind, n->title, s0(n->description),
                    n->zone, n->territory_id, s0(n->place_text), s0(n->online_url), n->capacity,
                    n->audience, now_s());
    if (k == 0) return wr_fail(w, WR_CONFLICT, "meeting.error.place_gone");
    if (k < 0) return wr_from_error(w);
    int64_t id = db_last_id(w);
    enum wr rc = event_series_sync(w, cid, id, n);
    if (rc != WR_OK) return rc;
    if (id_out) *id_out = id;
    return WR_OK;
}

/* Those waiting take the places that are free, in order, in every
 * occurrence of event ?1. */
int event_promote(struct dbc *w, int64_t event_id)
{
    static const char sql[] =
        "UPDATE event_registrations SET state = 'registered' WHERE id IN ("
        " SELECT id FROM (SELECT r.id, e.capacity AS cap,"
        "  row_number() OVER (PARTITION BY r.occurrence_id ORDER BY r.id) AS k,"
        "  (SELECT count(*) FROM event_registrations x WHERE x.occurrence_id = r.occurrence_id"
        "   AND x.state = 'registered') AS taken"
        "  FROM event_registrations r JOIN events e ON e.id = r.event_id"
        "  WHERE r.event_id = ?1 AND r.state = 'waiting')"
        " WHERE cap IS NULL OR k <= cap - taken)";
    return db_exec(w, sql, "i", event_id) < 0 ? -1 : 0;
}

int64_t event_registered_max(struct dbc *c, int64_t id)
{
    static const char sql[] =
        "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM event_registrations"
        " WHERE event_id = ? AND state = 'registered' GROUP BY occurrence_id)";
    return db_int(c, 0, sql, "i", id);
}

/* Those registered for the event (or waiting), as a JSON array of member
 * ids, told of kind about it in this transaction. */
static int tell_registered(struct dbc *w, int64_t cid, int64_t id, const char *kind)
{
    static const char who[] = "SELECT json_group_array(DISTINCT member_id)"
                              " FROM event_registrations WHERE event_id = ?1";
    char *ids = db_text(w, who, "i", id);
    int n = ids ? notify_members_in(w, cid, kind, id, ids, now_s()) : -1;
    free(ids);
    return n < 0 ? -1 : 0;
}

/* What those registered need to hear of when it changes: its name, place
 * and the times of its occurrences (not its capacity or audience). Read
 * opened, so that a sealed text sealed again with the same words is no
 * change. */
static char *event_essentials(struct dbc *w, int64_t id)
{
    static const char sql[] =
        "SELECT json_array(unseal(e.title, e.community_id, 'events.title'),"
        " unseal(e.place_text, e.community_id, 'events.place_text'), e.territory_id,"
        " unseal(e.online_url, e.community_id, 'events.online_url'), e.zone,"
        " (SELECT json_group_array(json_array(o.starts_at, o.ends_at)) FROM"
        "  (SELECT starts_at, ends_at FROM event_occurrences WHERE event_id = ?1 ORDER BY seq) o))"
        " FROM events e WHERE e.id = ?1";
    return db_text(w, sql, "i", id);
}

enum wr event_update(struct dbc *w, int64_t cid, int64_t id, const struct event_new *n)
{
    /* ?13 the event; the capacity rule is read in the UPDATE's WHERE */
    static const char sql[] =
        "UPDATE events SET kind = ?3, title = seal(?4, ?1, 'events.title'),"
        " description = " OPT_SEAL(
            "5",
            "events.description") ", zone = ?6,"
                                  " territory_id = nullif(?7, 0), place_text = " OPT_SEAL(
                                      "8",
                                      "events.place_text") ","
                                                           " online_url = " OPT_SEAL(
                                                               "9",
                                                               "events.online_url") ", capacity = "
                                                                                    "nullif(?10, "
                                                                                    "0),"
                                                                                    " audience = "
                                                                                    "?11"
                                                                                    " WHERE id = "
                                                                                    "?13 AND "
                                                                                    "community_id "
                                                                                    "= ?1 AND "
                                                                                    "cancelled_"
                                                                                    "reason IS "
                                                                                    "NULL AND ?2 = "
                                                                                    "?2"
                                                                                    " AND ?12 = "
                                                                                    "?12 AND (?10 "
                                                                                    "= 0 OR ?10 >= "
                                                                                    "(SELECT "
                                                                                    "coalesce(max("
                                                                                    "n), 0) FROM"
                                                                                    "  (SELECT "
                                                                                    "count(*) AS n "
                                                                                    "FROM "
                                                                                    "event_"
                                                                                    "registrations "
                                                                                    "WHERE "
                                                                                    "event_id = ?13"
                                                                                    "   AND state "
                                                                                    "= "
                                                                                    "'registered' "
                                                                                    "GROUP BY "
                                                                                    "occurrence_id)"
                                                                                    ")) "
                                                                                    "AND" PLACE_OK;
    static const char why[] = "SELECT (cancelled_reason IS NULL) FROM events"
                              " WHERE id = ?1 AND community_id = ?2";
    char *was = event_essentials(w, id);
    int k = db_exec(w, sql, "iittttittitii", cid, (int64_t)0, n->kind, n->title, s0(n->description),
                    n->zone, n->territory_id, s0(n->place_text), s0(n->online_url), n->capacity,
                    n->audience, (int64_t)0, id);
    if (k <= 0) free(was);
    if (k < 0) return wr_from_error(w);
    if (k == 0) {
        int64_t s = db_int(w, -1, why, "ii", id, cid);
        if (s < 0) return WR_NOT_FOUND;
        if (s == 0) return wr_fail(w, WR_CONFLICT, "meeting.error.cancelled");
        if (n->capacity && n->capacity < event_registered_max(w, id))
            return wr_fail(w, WR_CONFLICT, "meeting.error.capacity_below");
        return wr_fail(w, WR_CONFLICT, "meeting.error.place_gone");
    }
    enum wr rc = event_series_sync(w, cid, id, n);
    if (rc == WR_OK && event_promote(w, id) != 0) rc = wr_from_error(w);
    if (rc != WR_OK) {
        free(was);
        return rc;
    }
    /* a change of its name, place or times reaches those still registered
     * (those of an occurrence the edit removed were told so by
     * event_series_sync, and their registrations are gone) */
    char *now = event_essentials(w, id);
    int changed = !was || !now || strcmp(was, now) != 0;
    free(was);
    free(now);
    if (changed && tell_registered(w, cid, id, MEETING_NOTIFY_CHANGED) != 0) return WR_DB;
    return WR_OK;
}

enum wr event_cancel(struct dbc *w, int64_t cid, int64_t id, const char *reason)
{
    static const char sql[] =
        "UPDATE events SET cancelled_reason = seal(?3, ?2, 'events.cancelled_reason')"
        " WHERE id = ?1 AND community_id = ?2 AND cancelled_reason IS NULL";
    static const char there[] = "SELECT 1 FROM events WHERE id = ?1 AND community_id = ?2";
    int k = db_exec(w, sql, "iit", id, cid, reason);
    if (k < 0) return wr_from_error(w);
    if (k == 0)
        return db_int(w, 0, there, "ii", id, cid)
                   ? wr_fail(w, WR_CONFLICT, "meeting.error.cancelled")
                   : WR_NOT_FOUND;
    return tell_registered(w, cid, id, MEETING_NOTIFY_EVENT_CANCELLED) == 0 ? WR_OK : WR_DB;
}

static const char *col_dup(struct arena *a, sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? arena_strdup(a, (const char *)s) : NULL;
}

int event_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id, struct event *out)
{
    static const char sql[] =
        "SELECT e.id, coalesce(e.territory_id, 0), coalesce(e.capacity, 0), o.id, o.starts_at,"
        " o.ends_at, (SELECT count(*) FROM event_registrations r WHERE r.occurrence_id = o.id"
        "  AND r.state = 'registered'), e.kind, unseal(e.title, e.community_id, 'events.title'),"
        " " OPT_OPEN(
            "e.description",
            "events.description") ","
                                  " " OPT_OPEN(
                                      "e.place_text",
                                      "events.place_text") ","
                                                           " " OPT_OPEN(
                                                               "e.online_url",
                                                               "events.online_url") ", e.audience, "
                                                                                    "e.zone,"
                                                                                    " e.cancelled_"
                                                                                    "reason IS NOT "
                                                                                    "NULL"
                                                                                    " FROM events "
                                                                                    "e JOIN "
                                                                                    "event_"
                                                                                    "occurrences o "
                                                                                    "ON o.event_id "
                                                                                    "= e.id AND "
                                                                                    "o.seq = 0"
                                                                                    " WHERE e.id = "
                                                                                    "?1 AND "
                                                                                    "e.community_"
                                                                                    "id = ?2";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", id, cid);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) {
        int64_t *nums[] = {
            &out->id,        &out->territory_id, &out->capacity,  &out->occurrence_id,
            &out->starts_at, &out->ends_at,      &out->registered};
        for (int i = 0; i < 7; i++)
            *nums[i] = sqlite3_column_int64(st, i);
        out->kind = col_dup(a, st, 7);
        out->title = col_dup(a, st, 8);
        out->description = col_dup(a, st, 9);
        out->place_text = col_dup(a, st, 10);
        out->online_url = col_dup(a, st, 11);
        out->audience = col_dup(a, st, 12);
        out->zone = col_dup(a, st, 13);
        out->cancelled = sqlite3_column_int(st, 14);
    }
    db_done(st);
    out->freq = out->until_day = NULL;
    out->every = out->count = 0;
    if (rc != 0) return rc;
    static const char rule[] = "SELECT freq, every, coalesce(until_day, ''), coalesce(count, 0)"
                               " FROM event_rules WHERE event_id = ?";
    st = db_prepare(c, rule, "i", id);
    if (st && sqlite3_step(st) == SQLITE_ROW) {
        out->freq = col_dup(a, st, 0);
        out->every = sqlite3_column_int64(st, 1);
        out->until_day = col_dup(a, st, 2);
        out->count = sqlite3_column_int64(st, 3);
    }
    db_done(st);
    return rc;
}

/* An occurrence's row for the calendar and the event page; ?2 the viewer
 * (a member id or 0). */
#define OCC_PLACE                                                                                  \
    " CASE WHEN o.place_text IS NOT NULL"                                                          \
    "  THEN unseal(o.place_text, o.community_id, 'event_occurrences.place_text')"                  \
    "  WHEN e.place_text = '' THEN ''"                                                             \
    "  ELSE unseal(e.place_text, e.community_id, 'events.place_text') END AS place_text,"
#define OCC_SELECT                                                                                 \
    "SELECT o.id AS occurrence_id, e.id,"                                                          \
    " unseal(e.title, e.community_id, 'events.title') AS title,"                                   \
    " e.kind, e.zone, o.starts_at, o.ends_at, o.changed,"                                          \
    " e.cancelled_reason IS NOT NULL OR o.cancelled_reason IS NOT NULL AS cancelled,"              \
    " unseal(o.cancelled_reason, o.community_id, 'event_occurrences.cancelled_reason') AS reason," \
    " unseal(t.name, coalesce(t.community_id, 0), 'territories.name') AS place," OCC_PLACE         \
    " e.online_url <> '' AS online, e.capacity,"                                                   \
    " (SELECT count(*) FROM event_registrations r WHERE r.occurrence_id = o.id"                    \
    "  AND r.state = 'registered') AS registered,"                                                 \
    " (SELECT count(*) FROM event_registrations r WHERE r.occurrence_id = o.id"                    \
    "  AND r.state = 'waiting') AS waiting,"                                                       \
    " (SELECT r.state FROM event_registrations r WHERE r.occurrence_id = o.id"                     \
    "  AND r.member_id = ?2 AND ?2 <> 0) AS my_state,"                                             \
    " EXISTS (SELECT 1 FROM event_rules x WHERE x.event_id = e.id) AS repeating"                   \
    " FROM event_occurrences o JOIN events e ON e.id = o.event_id"                                 \
    " LEFT JOIN territories t ON t.id = e.territory_id"

json_t *event_calendar(struct dbc *c, const struct vmask *m, int64_t cid, int64_t viewer,
                       int member, int past, int64_t now, int64_t limit, int64_t offset)
{
    /* The page's ids first, then their columns: SQLite computes a row's
     * every column (the counts' subqueries, the unsealing) before it sorts,
     * so ordering the full select would pay for every upcoming occurrence
     * to show twenty. */
#define CAL_PAGE(index, cond, order)                                                               \
    OCC_SELECT " WHERE o.id IN (SELECT o.id FROM event_occurrences o INDEXED BY " index            \
               "  WHERE o.community_id = ?1 AND " cond                                             \
               "  AND (?3 OR EXISTS (SELECT 1 FROM events x WHERE x.id = o.event_id"               \
               "   AND x.audience = 'everyone')) ORDER BY " order " LIMIT ?5 OFFSET ?6)"           \
               " ORDER BY " order
    /* upcoming: by the start, read in order from those that began at most
     * the longest duration ago, so the scan stops at the page's end */
    static const char upcoming[] =
        CAL_PAGE("event_occurrences_by_start", "o.starts_at > ?4 - ?7 AND o.ends_at > ?4",
                 "o.starts_at, o.id");
    static const char before[] =
        CAL_PAGE("event_occurrences_by_end", "o.ends_at <= ?4", "o.ends_at DESC, o.id DESC");
#undef CAL_PAGE
    /* the past's statement has no ?7: binding one there fails the page */
    if (past)
        return db_view_rows(c, m, before, "iiiiii", cid, viewer, (int64_t)member, now, limit,
                            offset);
    return db_view_rows(c, m, upcoming, "iiiiiii", cid, viewer, (int64_t)member, now, limit, offset,
                        (int64_t)EVENT_DURATION_MAX);
}

json_t *event_view(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id, int64_t viewer,
                   int member)
{
    static const char sql[] =
        "SELECT e.id, unseal(e.title, e.community_id, 'events.title') AS title, e.kind,"
        " " OPT_OPEN(
            "e.description",
            "events.description") " AS description, e.zone,"
                                  " unseal(t.name, coalesce(t.community_id, 0), "
                                  "'territories.name') AS place,"
                                  " " OPT_OPEN(
                                      "e.place_text",
                                      "events.place_text") " AS place_text,"
                                                           " " OPT_OPEN(
                                                               "e.online_url",
                                                               "events.online_url") " AS "
                                                                                    "online_url,"
                                                                                    " e.capacity, "
                                                                                    "e.audience,"
                                                                                    " unseal(e."
                                                                                    "cancelled_"
                                                                                    "reason, "
                                                                                    "e.community_"
                                                                                    "id, "
                                                                                    "'events."
                                                                                    "cancelled_"
                                                                                    "reason')"
                                                                                    "  AS "
                                                                                    "cancelled_"
                                                                                    "reason, "
                                                                                    "e.cancelled_"
                                                                                    "reason IS NOT "
                                                                                    "NULL AS "
                                                                                    "cancelled, ?3 "
                                                                                    "AS viewer"
                                                                                    " FROM events "
                                                                                    "e LEFT JOIN "
                                                                                    "territories t "
                                                                                    "ON t.id = "
                                                                                    "e.territory_id"
                                                                                    " WHERE e.id = "
                                                                                    "?1 AND "
                                                                                    "e.community_"
                                                                                    "id = ?2 AND "
                                                                                    "(?4 OR "
                                                                                    "e.audience = "
                                                                                    "'everyone')";
    return db_view_row(c, m, sql, "iiii", id, cid, viewer, (int64_t)member);
}

json_t *event_occurrences(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id,
                          int64_t viewer, int64_t limit)
{
    static const char sql[] = OCC_SELECT " WHERE o.event_id = ?1 AND o.community_id = ?3"
                                         " ORDER BY o.starts_at, o.id LIMIT ?4";
    return db_view_rows(c, m, sql, "iiii", id, viewer, cid, limit);
}

json_t *event_registrations(struct dbc *c, int64_t cid, int64_t occurrence)
{
    static const char sql[] =
        "SELECT r.member_id AS id, coalesce(unseal(m.name, m.community_id, 'members.name'), '') AS "
        "name,"
        " r.state, r.attended FROM event_registrations r JOIN members m ON m.id = r.member_id"
        " WHERE r.occurrence_id = ?1 AND r.community_id = ?2 ORDER BY r.state, r.id LIMIT 2000";
    return db_rows(c, sql, "ii", occurrence, cid);
}

const char *event_zone(struct dbc *c, struct arena *a, int64_t cid)
{
    static const char sql[] = "SELECT zone FROM event_zones WHERE community_id = ?";
    char *z = db_text(c, sql, "i", cid);
    const char *out = arena_strdup(a, z && z[0] ? z : EVENT_ZONE_DEFAULT);
    free(z);
    return out;
}

enum wr event_zone_set(struct dbc *w, int64_t cid, const char *zone)
{
    /* the default is no row: a settings form saved as shown writes nothing */
    static const char del[] = "DELETE FROM event_zones WHERE community_id = ?";
    static const char sql[] = "INSERT INTO event_zones(community_id, zone) VALUES (?1, ?2)"
                              " ON CONFLICT(community_id) DO UPDATE SET zone = excluded.zone";
    if (!strcmp(zone, EVENT_ZONE_DEFAULT))
        return db_exec(w, del, "i", cid) < 0 ? wr_from_error(w) : WR_OK;
    return wr_changed(w, db_exec(w, sql, "it", cid, zone), WR_DB);
}

/* ---- registration ---- */

enum wr event_register(struct dbc *w, int64_t cid, int64_t occurrence, int64_t member,
                       const char **state_out)
{
    /* one writer at a time: the count read here is the count at commit,
     * so two at the last place give one place and one waiting */
    static const char sql[] =
        "INSERT INTO event_registrations(occurrence_id, event_id, community_id, member_id,"
        " state, created_at)"
        " SELECT o.id, o.event_id, o.community_id, ?3,"
        "  CASE WHEN e.capacity IS NULL OR (SELECT count(*) FROM event_registrations r"
        "   WHERE r.occurrence_id = o.id AND r.state = 'registered') < e.capacity"
        "  THEN 'registered' ELSE 'waiting' END, ?4"
        " FROM event_occurrences o JOIN events e ON e.id = o.event_id"
        " WHERE o.id = ?1 AND o.community_id = ?2 AND o.ends_at > ?4"
        " AND o.cancelled_reason IS NULL AND e.cancelled_reason IS NULL"
        " ON CONFLICT(occurrence_id, member_id) DO NOTHING";
    static const char why[] =
        "SELECT 1 + (EXISTS (SELECT 1 FROM event_registrations r WHERE r.occurrence_id = o.id"
        " AND r.member_id = ?3)) FROM event_occurrences o WHERE o.id = ?1 AND o.community_id = ?2";
    static const char state[] =
        "SELECT state FROM event_registrations WHERE occurrence_id = ?1 AND member_id = ?2";
    int64_t now = now_s();
    int k = db_exec(w, sql, "iiii", occurrence, cid, member, now);
    if (k < 0) return wr_from_error(w);
    if (k == 0) {
        int64_t s = db_int(w, 0, why, "iii", occurrence, cid, member);
        if (s == 0) return WR_NOT_FOUND;
        return wr_fail(w, WR_CONFLICT,
                       s == 2 ? "meeting.error.registered" : "meeting.error.closed");
    }
    if (state_out) {
        char *st = db_text(w, state, "ii", occurrence, member);
        *state_out = st && !strcmp(st, "waiting") ? "waiting" : "registered";
        free(st);
    }
    return WR_OK;
}

enum wr event_unregister(struct dbc *w, int64_t cid, int64_t occurrence, int64_t member)
{
    static const char del[] = "DELETE FROM event_registrations WHERE occurrence_id = ?1"
                              " AND community_id = ?2 AND member_id = ?3";
    static const char ev[] = "SELECT event_id FROM event_occurrences WHERE id = ?1";
    int k = db_exec(w, del, "iii", occurrence, cid, member);
    if (k < 0) return wr_from_error(w);
    if (k == 0) return wr_fail(w, WR_CONFLICT, "meeting.error.not_registered");
    /* the first one waiting takes the place, in this transaction */
    if (event_promote(w, db_int(w, 0, ev, "i", occurrence)) != 0) return wr_from_error(w);
    return WR_OK;
}

enum wr event_attendance(struct dbc *w, int64_t cid, int64_t occurrence, const char *present)
{
    static const char sql[] =
        "UPDATE event_registrations SET attended = (member_id IN"
        " (SELECT value FROM json_each(?3))) WHERE occurrence_id = ?1 AND community_id = ?2"
        " AND state = 'registered'";
    static const char there[] =
        "SELECT 1 FROM event_occurrences WHERE id = ?1 AND community_id = ?2";
    if (!db_int(w, 0, there, "ii", occurrence, cid)) return WR_NOT_FOUND;
    return db_exec(w, sql, "iit", occurrence, cid, present) < 0 ? wr_from_error(w) : WR_OK;
}

int meeting_member_left(struct dbc *w, int64_t cid)
{
    /* a leaver's registrations went with the member row: those waiting
     * take the freed places */
    static const char sql[] = "SELECT DISTINCT event_id FROM event_registrations"
                              " WHERE community_id = ? AND state = 'waiting'";
    json_t *rows = db_rows(w, sql, "i", cid);
    if (!rows) return -1;
    size_t i;
    json_t *row;
    int rc = 0;
    json_array_foreach(rows, i, row)
    {
        if (rc == 0) rc = event_promote(w, json_integer_value(json_object_get(row, "event_id")));
    }
    json_decref(rows);
    return rc;
}

json_t *event_places(struct dbc *c, int64_t cid)
{
    static const char sql[] =
        PLACES_BELOW " SELECT b.id, unseal(t.name, coalesce(t.community_id, 0),"
                     " 'territories.name') AS name, b.depth FROM below b"
                     " JOIN territories t ON t.id = b.id ORDER BY b.path LIMIT 500";
    return db_rows(c, sql, "i", cid);
}

json_t *event_feed_rows(struct dbc *c, int64_t cid, const char *slug, int64_t id, int everyone,
                        int64_t since, int64_t limit)
{
    static const char sql[] =
        "SELECT e.id, o.id AS occurrence_id, o.seq, o.recurrence_id, o.starts_at, o.ends_at,"
        " o.changed, e.zone, e.kind, unseal(e.title, e.community_id, 'events.title') AS title,"
        " CASE WHEN e.description = '' THEN ''"
        "  ELSE unseal(e.description, e.community_id, 'events.description') END AS description,"
        " unseal(t.name, coalesce(t.community_id, 0), 'territories.name') AS place," OCC_PLACE
        " CASE WHEN e.online_url = '' THEN ''"
        "  ELSE unseal(e.online_url, e.community_id, 'events.online_url') END AS online_url,"
        " e.cancelled_reason IS NOT NULL AS event_cancelled,"
        " e.cancelled_reason IS NOT NULL OR o.cancelled_reason IS NOT NULL AS cancelled,"
        " (SELECT freq FROM event_rules x WHERE x.event_id = e.id) AS freq,"
        " '/c/' || ?6 || '/events/' || e.id AS link"
        " FROM event_occurrences o JOIN events e ON e.id = o.event_id"
        " LEFT JOIN territories t ON t.id = e.territory_id"
        " WHERE o.community_id = ?1 AND (?2 = 0 OR o.event_id = ?2)"
        " AND (?3 = 0 OR e.audience = 'everyone') AND o.ends_at > ?4"
        " ORDER BY o.starts_at, o.id LIMIT ?5";
    return db_rows(c, sql, "iiiiit", cid, id, (int64_t)everyone, since, limit, slug);
}

json_t *meeting_starting(struct dbc *c, int64_t from, int64_t to)
{
    static const char sql[] =
        "SELECT o.community_id, o.event_id AS id, r.member_id, o.starts_at AS due"
        " FROM event_occurrences o JOIN event_registrations r ON r.occurrence_id = o.id"
        " JOIN events e ON e.id = o.event_id"
        " WHERE o.starts_at > ?1 AND o.starts_at <= ?2 AND o.cancelled_reason IS NULL"
        " AND e.cancelled_reason IS NULL"
        " AND r.state = 'registered'";
    return db_rows(c, sql, "ii", from, to);
}
