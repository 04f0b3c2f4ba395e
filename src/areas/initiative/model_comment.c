/* Comments on initiatives; see initiative.h. A hidden comment loses its
 * text in the same UPDATE that writes the reason: no view can select what
 * is no longer stored. */
#include "areas/initiative/initiative.h"
#include "core/notify.h"
#include "core/util.h"

enum wr initiative_comment_add(struct dbc *w, int64_t cid, int64_t id, int64_t member,
                               const char *body, int64_t *comment)
{
    static const char sql[] =
        "INSERT INTO initiative_comments(initiative_id, community_id, member_id, body, created_at)"
        " SELECT id, community_id, ?3, seal(?4, ?2, 'initiative_comments.body'), ?5"
        " FROM initiatives WHERE id = ?1 AND community_id = ?2"
        " AND state IN " INITIATIVE_SQL_COMMENTABLE;
    static const char exists[] =
        "SELECT count(*) FROM initiatives WHERE id = ? AND community_id = ?";
    int n = db_exec(w, sql, "iiiti", id, cid, member, body, now_s());
    if (n < 0) return wr_from_error(w);
    if (n == 0)
        return db_int(w, 0, exists, "ii", id, cid) == 0
                   ? WR_NOT_FOUND
                   : wr_fail(w, WR_CONFLICT, "initiative.error.merged");
    if (comment) *comment = db_last_id(w);
    /* its author hears of it, in this transaction (not of their own, and
     * nobody when the author has left: the column is NULL then) */
    static const char author[] = "SELECT coalesce(member_id, 0) FROM initiatives WHERE id = ?";
    int64_t to = db_int(w, 0, author, "i", id);
    if (to != 0 && to != member &&
        notify_members(w, cid, INITIATIVE_NOTIFY_COMMENT, id, NOTIFY_TO_MEMBER, to, now_s()) < 0)
        return WR_DB;
    return WR_OK;
}

enum wr initiative_comment_hide(struct dbc *w, int64_t cid, int64_t id, int64_t comment, int64_t by,
                                const char *reason)
{
    static const char sql[] =
        "UPDATE initiative_comments SET body = '',"
        " hidden_reason = seal(?4, ?2, 'initiative_comments.hidden_reason'), hidden_by = ?5"
        " WHERE id = ?3 AND initiative_id = ?1 AND community_id = ?2 AND hidden_reason IS NULL";
    int n = db_exec(w, sql, "iiiti", id, cid, comment, reason, by);
    if (n < 0) return wr_from_error(w);
    if (n > 0) return WR_OK;
    int hidden = 0;
    if (initiative_comment_state(w, cid, id, comment, &hidden) != 0) return WR_NOT_FOUND;
    return wr_fail(w, WR_CONFLICT, "initiative.error.hidden_already");
}

int initiative_comment_state(struct dbc *c, int64_t cid, int64_t id, int64_t comment, int *hidden)
{
    static const char sql[] = "SELECT hidden_reason IS NOT NULL FROM initiative_comments"
                              " WHERE id = ?3 AND initiative_id = ?1 AND community_id = ?2";
    int64_t h = db_int(c, -1, sql, "iii", id, cid, comment);
    if (h < 0) return -1;
    *hidden = h != 0;
    return 0;
}

json_t *initiative_comments(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id,
                            int64_t viewer, int64_t limit, int64_t offset)
{
    static const char sql[] =
        "SELECT c.id, CASE WHEN c.hidden_reason IS NULL"
        "  THEN unseal(c.body, c.community_id, 'initiative_comments.body') END AS body,"
        " unseal(c.hidden_reason, c.community_id, 'initiative_comments.hidden_reason')"
        "  AS hidden_reason, c.hidden_reason IS NOT NULL AS hidden,"
        " date(c.created_at, 'unixepoch') AS created,"
        " coalesce(unseal(m.name, m.community_id, 'members.name'), '') AS author,"
        " c.member_id IS NULL AS former, ?3 <> 0 AND c.member_id IS ?3 AS mine"
        " FROM initiative_comments c LEFT JOIN members m ON m.id = c.member_id"
        " WHERE c.initiative_id = ?1 AND +c.community_id = ?2 ORDER BY c.id LIMIT ?4 OFFSET ?5";
    return db_view_rows(c, m, sql, "iiiii", id, cid, viewer, limit, offset);
}
