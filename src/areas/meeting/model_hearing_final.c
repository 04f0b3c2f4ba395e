/* The final document's SQL: one row a hearing, the body sealed in a
 * secret community; every edit asks in its WHERE for a draft, so a
 * published document never changes. */
#include "areas/meeting/hearing.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

const char *const hearing_final_modes[] = {"quoted", "counted", "summary", NULL};

int hearing_final_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id,
                       struct hearing_final *out)
{
    static const char sql[] =
        "SELECT unseal(f.body, f.community_id, 'hearing_finals.body'), f.state, f.mode,"
        " coalesce(f.published_at, 0)"
        " FROM hearing_finals f WHERE f.assembly_id = ?1 AND f.community_id = ?2";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", id, cid);
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        db_done(st);
        return -1;
    }
    memset(out, 0, sizeof *out);
    const unsigned char *t;
    out->body = (t = sqlite3_column_text(st, 0)) ? arena_strdup(a, (const char *)t) : "";
    out->state = (t = sqlite3_column_text(st, 1)) ? arena_strdup(a, (const char *)t) : "draft";
    out->mode = (t = sqlite3_column_text(st, 2)) ? arena_strdup(a, (const char *)t) : "quoted";
    out->published_at = sqlite3_column_int64(st, 3);
    out->published = str_eq(out->state, "published");
    db_done(st);
    return 0;
}

/* Why nothing changed: 404 with no document, else 409. */
static enum wr refused(struct dbc *w, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT state FROM hearing_finals WHERE assembly_id = ?1 AND community_id = ?2";
    char *st = db_text(w, sql, "ii", id, cid);
    if (!st) return WR_NOT_FOUND;
    int pub = str_eq(st, "published");
    free(st);
    return wr_fail(w, WR_CONFLICT,
                   pub ? "meeting.hearing.error.published" : "meeting.hearing.error.state");
}

enum wr hearing_final_store(struct dbc *w, int64_t cid, int64_t id, const char *body,
                            const char *mode, int64_t by)
{
    static const char state[] = "SELECT state FROM assemblies"
                                " WHERE id = ?1 AND community_id = ?2 AND kind = 'hearing'";
    static const char sql[] =
        "INSERT INTO hearing_finals(assembly_id, community_id, body, mode, edited_by,"
        " created_at, edited_at)"
        " VALUES(?1, ?2, seal(?3, ?2, 'hearing_finals.body'), ?4, nullif(?5, 0), ?6, ?6)"
        " ON CONFLICT(assembly_id) DO UPDATE SET body = excluded.body, mode = excluded.mode,"
        "  edited_by = excluded.edited_by, edited_at = excluded.edited_at"
        " WHERE hearing_finals.state = 'draft'";
    char *st = db_text(w, state, "ii", id, cid);
    if (!st) return WR_NOT_FOUND;
    int closed = str_eq(st, "closed");
    free(st);
    if (!closed) return wr_fail(w, WR_CONFLICT, "meeting.hearing.error.not_closed");
    int k = db_exec(w, sql, "iittii", id, cid, body, mode, by, now_s());
    if (k < 0) return wr_from_error(w);
    return k == 0 ? refused(w, cid, id) : WR_OK;
}

enum wr hearing_final_edit(struct dbc *w, int64_t cid, int64_t id, const char *body, int64_t by)
{
    static const char sql[] =
        "UPDATE hearing_finals SET body = seal(?3, community_id, 'hearing_finals.body'),"
        " edited_by = nullif(?4, 0), edited_at = ?5"
        " WHERE assembly_id = ?1 AND community_id = ?2 AND state = 'draft'"
        " AND unseal(body, community_id, 'hearing_finals.body') IS NOT ?3";
    static const char same[] = "SELECT count(*) FROM hearing_finals"
                               " WHERE assembly_id = ?1 AND community_id = ?2 AND state = 'draft'";
    int k = db_exec(w, sql, "iitii", id, cid, body, by, now_s());
    if (k < 0) return wr_from_error(w);
    if (k == 0 && db_int(w, 0, same, "ii", id, cid) == 1) return WR_OK;
    return k == 0 ? refused(w, cid, id) : WR_OK;
}

enum wr hearing_final_publish(struct dbc *w, int64_t cid, int64_t id, int64_t by)
{
    static const char sql[] =
        "UPDATE hearing_finals SET state = 'published', published_by = nullif(?3, 0),"
        " published_at = ?4 WHERE assembly_id = ?1 AND community_id = ?2 AND state = 'draft'";
    int k = db_exec(w, sql, "iiii", id, cid, by, now_s());
    if (k < 0) return wr_from_error(w);
    return k == 1 ? WR_OK : refused(w, cid, id);
}

int hearing_final_seal_texts(struct dbc *w, int64_t cid)
{
    static const char *const sql[] = {
        "UPDATE hearing_finals SET body = seal(body, ?1, 'hearing_finals.body')"
        " WHERE community_id = ?1",
    };
    return db_exec_each(w, sql, sizeof sql / sizeof sql[0], cid);
}

json_t *hearing_comments_all(struct dbc *c, int64_t id)
{
    static const char sql[] =
        "SELECT coalesce(h.item_id, 0) AS item_id,"
        " unseal(h.body, h.community_id, 'hearing_comments.body') AS body,"
        " CASE WHEN h.answer IS NOT NULL THEN"
        "  unseal(h.answer, h.community_id, 'hearing_comments.answer') END AS answer,"
        " h.by_link AS resident, h.hidden_at IS NOT NULL AS hidden"
        " FROM hearing_comments h WHERE h.assembly_id = ?1 ORDER BY h.id LIMIT 5000";
    return db_rows(c, sql, "i", id);
}

json_t *hearing_item_titles(struct dbc *c, int64_t id)
{
    static const char sql[] =
        "SELECT i.id, unseal(i.title, i.community_id, 'assembly_items.title') AS title"
        " FROM assembly_items i WHERE i.assembly_id = ?1 ORDER BY i.position, i.id LIMIT 200";
    return db_rows(c, sql, "i", id);
}
