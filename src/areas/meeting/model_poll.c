/* Date polls' SQL: proposed times, members' answers, closing into an
 * event. Texts through seal()/unseal() as the events' are. */
#include "areas/meeting/meeting.h"
#include "core/notify.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

enum wr poll_create(struct dbc *w, int64_t cid, int64_t author, const struct poll_new *p,
                    int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO event_polls(community_id, member_id, kind, title, description, zone,"
        " minutes, created_at) VALUES (?1, ?2, ?3, seal(?4, ?1, 'event_polls.title'),"
        " CASE WHEN ?5 = '' THEN '' ELSE seal(?5, ?1, 'event_polls.description') END,"
        " ?6, ?7, ?8)";
    static const char opt[] = "INSERT INTO event_poll_options(poll_id, starts_at) VALUES (?1, ?2)";
    if (db_exec(w, sql, "iittttii", cid, author, p->kind, p->title,
                p->description ? p->description : "", p->zone, p->minutes, now_s()) != 1)
        return wr_from_error(w);
    int64_t id = db_last_id(w);
    for (int i = 0; i < p->n; i++)
        if (db_exec(w, opt, "ii", id, p->starts[i]) != 1) return wr_from_error(w);
    /* the poll is open from now: every member but its author hears of it */
    if (notify_members(w, cid, MEETING_NOTIFY_POLL, id, NOTIFY_TO_COMMUNITY, author, now_s()) < 0)
        return WR_DB;
    if (id_out) *id_out = id;
    return WR_OK;
}

json_t *poll_list(struct dbc *c, const struct vmask *m, int64_t cid, int64_t limit)
{
    static const char sql[] =
        "SELECT p.id, unseal(p.title, p.community_id, 'event_polls.title') AS title, p.kind,"
        " p.closed_at IS NOT NULL AS closed, p.event_id,"
        " (SELECT count(*) FROM event_poll_options o WHERE o.poll_id = p.id) AS options,"
        " (SELECT count(DISTINCT a.member_id) FROM event_poll_answers a WHERE a.poll_id = p.id)"
        "  AS answered"
        " FROM event_polls p WHERE p.community_id = ?1 ORDER BY p.closed_at IS NOT NULL, p.id DESC"
        " LIMIT ?2";
    return db_view_rows(c, m, sql, "ii", cid, limit);
}

json_t *poll_view(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT p.id, unseal(p.title, p.community_id, 'event_polls.title') AS title, p.kind,"
        " CASE WHEN p.description = '' THEN ''"
        "  ELSE unseal(p.description, p.community_id, 'event_polls.description') END"
        "  AS description, p.zone, p.minutes, p.closed_at IS NOT NULL AS closed, p.event_id"
        " FROM event_polls p WHERE p.id = ?1 AND p.community_id = ?2";
    return db_view_row(c, m, sql, "ii", id, cid);
}

json_t *poll_options(struct dbc *c, const struct vmask *m, int64_t id, int64_t viewer)
{
    static const char sql[] =
        "SELECT o.id, o.starts_at,"
        " (SELECT count(*) FROM event_poll_answers a WHERE a.option_id = o.id"
        "  AND a.answer = 'yes') AS yes,"
        " (SELECT count(*) FROM event_poll_answers a WHERE a.option_id = o.id"
        "  AND a.answer = 'maybe') AS maybe,"
        " (SELECT count(*) FROM event_poll_answers a WHERE a.option_id = o.id"
        "  AND a.answer = 'no') AS no,"
        " (SELECT a.answer FROM event_poll_answers a WHERE a.option_id = o.id"
        "  AND a.member_id = ?2) AS mine"
        " FROM event_poll_options o WHERE o.poll_id = ?1 ORDER BY o.starts_at LIMIT 100";
    return db_view_rows(c, m, sql, "ii", id, viewer);
}

json_t *poll_answers(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT a.member_id, coalesce(unseal(m.name, m.community_id, 'members.name'), '') AS name,"
        " a.option_id, a.answer FROM event_poll_answers a JOIN members m ON m.id = a.member_id"
        " WHERE a.poll_id = ?1 AND m.community_id = ?2 ORDER BY a.member_id LIMIT 20000";
    return db_rows(c, sql, "ii", id, cid);
}

/* 1 open, 0 closed, -1 none */
static int64_t poll_state(struct dbc *w, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT closed_at IS NULL FROM event_polls WHERE id = ?1 AND community_id = ?2";
    return db_int(w, -1, sql, "ii", id, cid);
}

enum wr poll_answer(struct dbc *w, int64_t cid, int64_t id, int64_t member, const int64_t *options,
                    const char *const *answers, int n)
{
    static const char sql[] =
        "INSERT INTO event_poll_answers(option_id, poll_id, member_id, answer)"
        " SELECT o.id, o.poll_id, ?3, ?4 FROM event_poll_options o"
        " JOIN event_polls p ON p.id = o.poll_id"
        " WHERE o.id = ?1 AND p.id = ?2 AND p.community_id = ?5 AND p.closed_at IS NULL"
        " ON CONFLICT(option_id, member_id) DO UPDATE SET answer = excluded.answer";
    int64_t s = poll_state(w, cid, id);
    if (s < 0) return WR_NOT_FOUND;
    if (s == 0) return wr_fail(w, WR_CONFLICT, "meeting.error.poll_closed");
    for (int i = 0; i < n; i++) {
        int k = db_exec(w, sql, "iiiti", options[i], id, member, answers[i], cid);
        if (k < 0) return wr_from_error(w);
        if (k == 0) return wr_fail(w, WR_INVALID, "meeting.error.poll_option");
    }
    return WR_OK;
}

enum wr poll_close(struct dbc *w, struct arena *a, int64_t cid, int64_t id, int64_t option,
                   int64_t author, int64_t *event_out)
{
    static const char poll[] =
        "SELECT p.kind, unseal(p.title, p.community_id, 'event_polls.title'),"
        " CASE WHEN p.description = '' THEN ''"
        "  ELSE unseal(p.description, p.community_id, 'event_polls.description') END,"
        " p.zone, p.minutes, o.starts_at FROM event_polls p"
        " JOIN event_poll_options o ON o.poll_id = p.id AND o.id = ?3"
        " WHERE p.id = ?1 AND p.community_id = ?2 AND p.closed_at IS NULL";
    static const char done[] = "UPDATE event_polls SET closed_at = ?3, event_id = ?4"
                               " WHERE id = ?1 AND community_id = ?2 AND closed_at IS NULL";
    int64_t s = poll_state(w, cid, id);
    if (s < 0) return WR_NOT_FOUND;
    if (s == 0) return wr_fail(w, WR_CONFLICT, "meeting.error.poll_closed");
    sqlite3_stmt *st = db_prepare(w, poll, "iii", id, cid, option);
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        db_done(st);
        return wr_fail(w, WR_INVALID, "meeting.error.poll_option");
    }
    struct event_new n;
    memset(&n, 0, sizeof n);
    const unsigned char *t;
    n.kind = (t = sqlite3_column_text(st, 0)) ? arena_strdup(a, (const char *)t) : "other";
    n.title = (t = sqlite3_column_text(st, 1)) ? arena_strdup(a, (const char *)t) : "";
    n.description = (t = sqlite3_column_text(st, 2)) ? arena_strdup(a, (const char *)t) : "";
    n.zone =
        (t = sqlite3_column_text(st, 3)) ? arena_strdup(a, (const char *)t) : EVENT_ZONE_DEFAULT;
    n.starts_at = sqlite3_column_int64(st, 5);
    n.ends_at = n.starts_at + 60 * sqlite3_column_int64(st, 4);
    db_done(st);
    n.audience = "members";
    n.place_text = n.online_url = "";
    int64_t eid = 0;
    enum wr rc = event_create(w, cid, author, &n, &eid);
    if (rc != WR_OK) return rc;
    if (db_exec(w, done, "iiii", id, cid, now_s(), eid) != 1)
        return wr_fail(w, WR_CONFLICT, "meeting.error.poll_closed");
    if (event_out) *event_out = eid;
    return WR_OK;
}

int meeting_poll_seal_texts(struct dbc *w, int64_t cid)
{
    static const char *const sql[] = {
        "UPDATE event_polls SET title = seal(title, ?1, 'event_polls.title'),"
        " description = CASE WHEN description = '' THEN '' ELSE"
        "  seal(description, ?1, 'event_polls.description') END"
        " WHERE community_id = ?1",
    };
    return db_exec_each(w, sql, sizeof sql / sizeof sql[0], cid);
}
