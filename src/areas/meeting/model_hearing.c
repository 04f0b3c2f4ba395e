/* Hearings' SQL: comments, answers and hiding, the participation link
 * and the link's flood limit. Every text is sealed in a secret community
 * (where the link is refused: a resident without a member's key could
 * neither read nor write its sealed texts). */
#include "areas/meeting/hearing.h"
#include "core/auth.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

/* 0 when id is the community's hearing in state (NULL: any state), else
 * the refusal: 404 for no such hearing, 409 with the reason otherwise. */
static enum wr hearing_in(struct dbc *w, int64_t cid, int64_t id, const char *state)
{
    static const char sql[] = "SELECT state FROM assemblies"
                              " WHERE id = ?1 AND community_id = ?2 AND kind = 'hearing'";
    char *st = db_text(w, sql, "ii", id, cid);
    if (!st) return WR_NOT_FOUND;
    int ok = !state || str_eq(st, state);
    free(st);
    return ok ? WR_OK : wr_fail(w, WR_CONFLICT, "meeting.hearing.error.not_open");
}

/* Through the link: the browser's hits in its window and the hearing's
 * link comments of the last window, on the writer. 1 when over. */
static int over_limit(struct dbc *c, int64_t id, const char *key, int64_t now)
{
    static const char mine[] = "SELECT hits FROM hearing_throttle WHERE key = ?1"
                               " AND window_start > ?2";
    static const char all[] = "SELECT count(*) FROM hearing_comments"
                              " WHERE assembly_id = ?1 AND by_link = 1 AND created_at > ?2";
    return db_int(c, 0, mine, "ti", key, now - HEARING_WINDOW) >= HEARING_BROWSER_MAX ||
           db_int(c, 0, all, "ii", id, now - HEARING_WINDOW) >= HEARING_LINK_MAX;
}

static enum wr throttle_hit(struct dbc *w, const char *key, int64_t now)
{
    static const char prune[] = "DELETE FROM hearing_throttle WHERE window_start < ?1";
    static const char sql[] =
        "INSERT INTO hearing_throttle(key, hits, window_start) VALUES(?1, 1, ?2)"
        " ON CONFLICT(key) DO UPDATE SET"
        "  hits = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE hits + 1 END,"
        "  window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END";
    if (db_exec(w, prune, "i", now - 86400) < 0) return wr_from_error(w);
    return wr_changed(w, db_exec(w, sql, "tii", key, now, (int64_t)HEARING_WINDOW), WR_DB);
}

enum wr hearing_comment_add(struct dbc *w, int64_t cid, int64_t id,
                            const struct hearing_comment_new *n, int64_t *id_out)
{
    static const char item[] = "SELECT count(*) FROM assembly_items"
                               " WHERE id = ?1 AND assembly_id = ?2";
    static const char sql[] =
        "INSERT INTO hearing_comments(assembly_id, community_id, item_id, member_id, by_link,"
        " guest_name, body, created_at)"
        " VALUES(?1, ?2, nullif(?3, 0), nullif(?4, 0), ?5,"
        "  CASE WHEN ?6 = '' THEN NULL ELSE seal(?6, ?2, 'hearing_comments.guest_name') END,"
        "  seal(?7, ?2, 'hearing_comments.body'), ?8)";
    enum wr rc = hearing_in(w, cid, id, "open");
    if (rc != WR_OK) return rc;
    if (n->item_id && db_int(w, 0, item, "ii", n->item_id, id) != 1)
        return wr_fail(w, WR_INVALID, "meeting.hearing.error.item");
    int64_t now = now_s();
    int link = n->member_id == 0;
    if (link) {
        if (!n->throttle_key) return WR_NOT_FOUND;
        if (over_limit(w, id, n->throttle_key, now))
            return wr_fail(w, WR_CONFLICT, "meeting.hearing.error.throttled");
        if ((rc = throttle_hit(w, n->throttle_key, now)) != WR_OK) return rc;
    }
    int k = db_exec(w, sql, "iiiiitti", id, cid, n->item_id, n->member_id, (int64_t)link,
                    link && n->guest_name ? n->guest_name : "", n->body, now);
    if (k != 1) return wr_from_error(w);
    if (id_out) *id_out = db_last_id(w);
    return WR_OK;
}

enum wr hearing_answer(struct dbc *w, int64_t cid, int64_t id, int64_t comment, const char *text,
                       int64_t by)
{
    static const char sql[] =
        "UPDATE hearing_comments SET answer = seal(?4, community_id, 'hearing_comments.answer'),"
        " answered_by = nullif(?5, 0), answered_at = ?6"
        " WHERE id = ?3 AND assembly_id = ?1 AND community_id = ?2"
        " AND (answer IS NULL OR unseal(answer, community_id, 'hearing_comments.answer') IS NOT "
        "?4)";
    static const char has[] = "SELECT count(*) FROM hearing_comments"
                              " WHERE id = ?2 AND assembly_id = ?1";
    enum wr rc = hearing_in(w, cid, id, NULL);
    if (rc != WR_OK) return rc;
    int k = db_exec(w, sql, "iiitii", id, cid, comment, text, by, now_s());
    if (k < 0) return wr_from_error(w);
    /* the same answer again changes nothing, not even who answered */
    if (k == 0 && db_int(w, 0, has, "ii", id, comment) != 1) return WR_NOT_FOUND;
    return WR_OK;
}

enum wr hearing_hide(struct dbc *w, int64_t cid, int64_t id, int64_t comment, const char *reason,
                     int64_t by)
{
    static const char sql[] =
        "UPDATE hearing_comments SET"
        " hidden_reason = seal(?4, community_id, 'hearing_comments.hidden_reason'),"
        " hidden_by = nullif(?5, 0), hidden_at = ?6"
        " WHERE id = ?3 AND assembly_id = ?1 AND community_id = ?2"
        " AND hidden_at IS NULL";
    static const char has[] = "SELECT count(*) FROM hearing_comments"
                              " WHERE id = ?2 AND assembly_id = ?1";
    enum wr rc = hearing_in(w, cid, id, NULL);
    if (rc != WR_OK) return rc;
    int k = db_exec(w, sql, "iiitii", id, cid, comment, reason, by, now_s());
    if (k < 0) return wr_from_error(w);
    if (k == 1) return WR_OK;
    if (db_int(w, 0, has, "ii", id, comment) != 1) return WR_NOT_FOUND;
    return wr_fail(w, WR_CONFLICT, "meeting.hearing.error.hidden");
}

json_t *hearing_counts(struct dbc *c, int64_t id)
{
    /* kept by the table's triggers (migration 091) */
    static const char sql[] = "SELECT item AS item_id, n FROM hearing_counts"
                              " WHERE assembly_id = ?1 AND n > 0";
    return db_rows(c, sql, "i", id);
}

/* The columns of a page of comments; the WHERE names the item with an
 * equality the index (assembly_id, item_id, id) serves, in id order. */
#define COMMENT_COLUMNS                                                                            \
    "SELECT h.id, coalesce(h.item_id, 0) AS item_id,"                                              \
    " CASE WHEN h.hidden_at IS NULL OR ?4 THEN"                                                    \
    "  unseal(h.body, h.community_id, 'hearing_comments.body') END AS body,"                       \
    " CASE WHEN ?3 THEN (SELECT unseal(m.name, m.community_id, 'members.name')"                    \
    "  FROM members m WHERE m.id = h.member_id) END AS author,"                                    \
    " h.by_link = 0 AND h.member_id IS NULL AS former, h.by_link AS resident,"                     \
    " CASE WHEN h.guest_name IS NOT NULL THEN"                                                     \
    "  unseal(h.guest_name, h.community_id, 'hearing_comments.guest_name') END AS guest_name,"     \
    " h.created_at,"                                                                               \
    " CASE WHEN h.answer IS NOT NULL THEN"                                                         \
    "  unseal(h.answer, h.community_id, 'hearing_comments.answer') END AS answer,"                 \
    " CASE WHEN ?3 THEN (SELECT unseal(m.name, m.community_id, 'members.name')"                    \
    "  FROM members m WHERE m.id = h.answered_by) END AS answered_by,"                             \
    " h.answered_at,"                                                                              \
    " CASE WHEN h.hidden_at IS NOT NULL THEN"                                                      \
    "  unseal(h.hidden_reason, h.community_id, 'hearing_comments.hidden_reason')"                  \
    " END AS hidden_reason,"                                                                       \
    " h.hidden_at IS NOT NULL AS hidden FROM hearing_comments h WHERE h.assembly_id = ?1"

json_t *hearing_comments(struct dbc *c, const struct vmask *m, int64_t id, int64_t item, int names,
                         int runner, int64_t limit, int64_t offset)
{
    static const char on_item[] =
        COMMENT_COLUMNS " AND h.item_id = ?2 ORDER BY h.id LIMIT ?5 OFFSET ?6";
    static const char on_whole[] =
        COMMENT_COLUMNS " AND h.item_id IS NULL AND ?2 = 0 ORDER BY h.id LIMIT ?5 OFFSET ?6";
    return db_view_rows(c, m, item ? on_item : on_whole, "iiiiii", id, item,
                        (int64_t)(names ? 1 : 0), (int64_t)(runner ? 1 : 0), limit, offset);
}
#undef COMMENT_COLUMNS

json_t *hearing_items(struct dbc *c, const struct vmask *m, int64_t id)
{
    static const char sql[] =
        "SELECT i.id, unseal(i.title, i.community_id, 'assembly_items.title') AS title"
        " FROM assembly_items i WHERE i.assembly_id = ?1 ORDER BY i.position, i.id LIMIT 200";
    return db_view_rows(c, m, sql, "i", id);
}

const char *hearing_item_document(struct dbc *c, struct arena *a, int64_t id, int64_t item)
{
    static const char sql[] = "SELECT CASE WHEN document = '' THEN ''"
                              " ELSE unseal(document, community_id, 'assembly_items.document') END"
                              " FROM assembly_items WHERE id = ?2 AND assembly_id = ?1";
    char *t = db_text(c, sql, "ii", id, item);
    const char *out = t ? arena_strdup(a, t) : "";
    free(t);
    return out;
}

int hearing_seal_texts(struct dbc *w, int64_t cid)
{
    static const char *const sql[] = {
        "UPDATE hearing_comments SET body = seal(body, ?1, 'hearing_comments.body')"
        " WHERE community_id = ?1",
        "UPDATE hearing_comments SET guest_name ="
        " seal(guest_name, ?1, 'hearing_comments.guest_name')"
        " WHERE community_id = ?1 AND guest_name IS NOT NULL",
        "UPDATE hearing_comments SET answer = seal(answer, ?1, 'hearing_comments.answer')"
        " WHERE community_id = ?1 AND answer IS NOT NULL",
        "UPDATE hearing_comments SET hidden_reason ="
        " seal(hidden_reason, ?1, 'hearing_comments.hidden_reason')"
        " WHERE community_id = ?1 AND hidden_reason IS NOT NULL",
        /* a community that turns secret keeps no way in for residents */
        "DELETE FROM hearing_links WHERE community_id = ?1",
    };
    return db_exec_each(w, sql, sizeof sql / sizeof sql[0], cid);
}

const char *hearing_link_token(struct dbc *c, struct arena *a, int64_t id)
{
    static const char sql[] = "SELECT token FROM hearing_links WHERE assembly_id = ?1";
    char *t = db_text(c, sql, "i", id);
    const char *out = t ? arena_strdup(a, t) : NULL;
    free(t);
    return out;
}

enum wr hearing_link_on(struct dbc *w, int64_t cid, int64_t id, int64_t by)
{
    static const char secret[] = "SELECT visibility = 2 FROM communities WHERE id = ?1";
    static const char sql[] =
        "INSERT INTO hearing_links(assembly_id, community_id, token, made_by, made_at)"
        " VALUES(?1, ?2, ?3, nullif(?4, 0), ?5) ON CONFLICT(assembly_id) DO UPDATE SET"
        " token = excluded.token, made_by = excluded.made_by, made_at = excluded.made_at";
    enum wr rc = hearing_in(w, cid, id, NULL);
    if (rc != WR_OK) return rc;
    if (db_int(w, 0, secret, "i", cid) == 1)
        return wr_fail(w, WR_CONFLICT, "meeting.hearing.error.secret");
    char token[AUTH_TOKEN_LEN + 1];
    auth_token_new(token);
    return wr_changed(w, db_exec(w, sql, "iitii", id, cid, token, by, now_s()), WR_DB);
}

enum wr hearing_link_off(struct dbc *w, int64_t cid, int64_t id)
{
    static const char sql[] = "DELETE FROM hearing_links WHERE assembly_id = ?1"
                              " AND community_id = ?2";
    enum wr rc = hearing_in(w, cid, id, NULL);
    if (rc != WR_OK) return rc;
    return db_exec(w, sql, "ii", id, cid) < 0 ? wr_from_error(w) : WR_OK;
}

int64_t hearing_throttle_wait(struct dbc *c, int64_t id, const char *key, int64_t now)
{
    static const char mine[] = "SELECT window_start + ?3 - ?2 FROM hearing_throttle"
                               " WHERE key = ?1 AND window_start > ?2 - ?3 AND hits >= ?4";
    static const char all[] = "SELECT min(created_at) + ?3 - ?2 FROM hearing_comments"
                              " WHERE assembly_id = ?1 AND by_link = 1 AND created_at > ?2 - ?3"
                              " HAVING count(*) >= ?4";
    int64_t a =
        db_int(c, 0, mine, "tiii", key, now, (int64_t)HEARING_WINDOW, (int64_t)HEARING_BROWSER_MAX);
    int64_t b =
        db_int(c, 0, all, "iiii", id, now, (int64_t)HEARING_WINDOW, (int64_t)HEARING_LINK_MAX);
    int64_t w = a > b ? a : b;
    return w > 0 ? w : 0;
}

json_t *hearing_bench_targets(struct dbc *c)
{
    static const char sql[] =
        "SELECT s.id, s.community_id,"
        " (SELECT i.id FROM assembly_items i WHERE i.assembly_id = s.id"
        "  ORDER BY i.position, i.id LIMIT 1) AS item_id,"
        " (SELECT i.id FROM assembly_items i WHERE i.assembly_id = s.id"
        "  ORDER BY i.position, i.id LIMIT 1 OFFSET 1) AS item2_id"
        " FROM assemblies s WHERE s.kind = 'hearing' AND s.state = 'open'"
        " AND NOT EXISTS (SELECT 1 FROM hearing_comments h WHERE h.assembly_id = s.id)"
        " ORDER BY (SELECT c.members FROM communities c WHERE c.id = s.community_id) DESC, s.id";
    return db_rows(c, sql, "");
}

int64_t hearing_bench_assemblies(struct dbc *c)
{
    return db_int(c, 0, "SELECT count(*) FROM assemblies", "");
}

int64_t hearing_comment_item(struct dbc *c, int64_t id, int64_t comment)
{
    static const char sql[] = "SELECT coalesce(item_id, 0) FROM hearing_comments"
                              " WHERE id = ?2 AND assembly_id = ?1";
    return db_int(c, 0, sql, "ii", id, comment);
}
