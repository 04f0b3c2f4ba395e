/* Minutes' SQL: one row an assembly, the body sealed in a secret
 * community; every edit asks in its WHERE for a draft, so approved
 * minutes never change. */
#include "areas/meeting/minutes.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

int minutes_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id, struct minutes_info *out)
{
    static const char sql[] =
        "SELECT n.assembly_id, unseal(n.body, n.community_id, 'assembly_minutes.body'), n.state,"
        " n.counts_only, n.edited_at, coalesce(n.approved_at, 0),"
        " (SELECT unseal(m.name, m.community_id, 'members.name') FROM members m"
        "  WHERE m.id = n.approved_by)"
        " FROM assembly_minutes n WHERE n.assembly_id = ?1 AND n.community_id = ?2";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", id, cid);
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        db_done(st);
        return -1;
    }
    memset(out, 0, sizeof *out);
    const unsigned char *t;
    out->assembly_id = sqlite3_column_int64(st, 0);
    out->body = (t = sqlite3_column_text(st, 1)) ? arena_strdup(a, (const char *)t) : "";
    out->state = (t = sqlite3_column_text(st, 2)) ? arena_strdup(a, (const char *)t) : "draft";
    out->counts_only = sqlite3_column_int(st, 3);
    out->edited_at = sqlite3_column_int64(st, 4);
    out->approved_at = sqlite3_column_int64(st, 5);
    out->approved_by = (t = sqlite3_column_text(st, 6)) ? arena_strdup(a, (const char *)t) : NULL;
    out->approved = str_eq(out->state, "approved");
    db_done(st);
    return 0;
}

/* Why nothing changed: 404 with no minutes (or no assembly), else 409. */
static enum wr refused(struct dbc *w, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT state FROM assembly_minutes WHERE assembly_id = ?1 AND community_id = ?2";
    char *st = db_text(w, sql, "ii", id, cid);
    if (!st) return WR_NOT_FOUND;
    int approved = str_eq(st, "approved");
    free(st);
    return wr_fail(w, WR_CONFLICT,
                   approved ? "meeting.minutes.error.approved" : "meeting.minutes.error.state");
}

enum wr minutes_store(struct dbc *w, int64_t cid, int64_t id, const char *body, int counts_only,
                      int64_t by)
{
    static const char sql[] =
        "INSERT INTO assembly_minutes(assembly_id, community_id, body, counts_only, edited_by,"
        " created_at, edited_at)"
        " SELECT s.id, s.community_id, seal(?3, s.community_id, 'assembly_minutes.body'), ?4,"
        "  nullif(?5, 0), ?6, ?6 FROM assemblies s WHERE s.id = ?1 AND s.community_id = ?2"
        " ON CONFLICT(assembly_id) DO UPDATE SET body = excluded.body,"
        "  counts_only = excluded.counts_only, edited_by = excluded.edited_by,"
        "  edited_at = excluded.edited_at WHERE assembly_minutes.state = 'draft'";
    static const char has[] = "SELECT count(*) FROM assemblies WHERE id = ?1 AND community_id = ?2";
    if (db_int(w, 0, has, "ii", id, cid) != 1) return WR_NOT_FOUND;
    int k = db_exec(w, sql, "iitiii", id, cid, body, counts_only ? 1 : 0, by, now_s());
    if (k < 0) return wr_from_error(w);
    if (k == 0) return refused(w, cid, id);
    return WR_OK;
}

enum wr minutes_edit(struct dbc *w, int64_t cid, int64_t id, const char *body, int64_t by)
{
    static const char sql[] =
        "UPDATE assembly_minutes SET body = seal(?3, community_id, 'assembly_minutes.body'),"
        " edited_by = nullif(?4, 0), edited_at = ?5"
        " WHERE assembly_id = ?1 AND community_id = ?2 AND state = 'draft'"
        " AND unseal(body, community_id, 'assembly_minutes.body') IS NOT ?3";
    static const char same[] = "SELECT count(*) FROM assembly_minutes"
                               " WHERE assembly_id = ?1 AND community_id = ?2 AND state = 'draft'";
    int k = db_exec(w, sql, "iitii", id, cid, body, by, now_s());
    if (k < 0) return wr_from_error(w);
    /* the same text again changes nothing, not even who edited last */
    if (k == 0 && db_int(w, 0, same, "ii", id, cid) == 1) return WR_OK;
    if (k == 0) return refused(w, cid, id);
    return WR_OK;
}

enum wr minutes_approve(struct dbc *w, int64_t cid, int64_t id, int64_t by)
{
    static const char sql[] =
        "UPDATE assembly_minutes SET state = 'approved', approved_by = nullif(?3, 0),"
        " approved_at = ?4"
        " WHERE assembly_id = ?1 AND community_id = ?2 AND state = 'draft'"
        " AND (SELECT state FROM assemblies WHERE id = ?1) = 'closed'";
    static const char closed[] = "SELECT state = 'closed' FROM assemblies WHERE id = ?1";
    int k = db_exec(w, sql, "iiii", id, cid, by, now_s());
    if (k < 0) return wr_from_error(w);
    if (k == 1) return WR_OK;
    enum wr rc = refused(w, cid, id);
    if (rc == WR_CONFLICT && !str_eq(wr_reason(w), "meeting.minutes.error.approved") &&
        db_int(w, 0, closed, "i", id) != 1)
        return wr_fail(w, WR_CONFLICT, "meeting.minutes.error.not_closed");
    return rc;
}

int minutes_seal_texts(struct dbc *w, int64_t cid)
{
    static const char *const sql[] = {
        "UPDATE assembly_minutes SET body = seal(body, ?1, 'assembly_minutes.body')"
        " WHERE community_id = ?1",
    };
    return db_exec_each(w, sql, sizeof sql / sizeof sql[0], cid);
}

int minutes_counts_default(struct dbc *c, int64_t cid)
{
    static const char sql[] = "SELECT visibility = 2 FROM communities WHERE id = ?1";
    return db_int(c, 0, sql, "i", cid) == 1;
}
