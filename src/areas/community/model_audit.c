/* The SQL of a community's audit log (migration 047 says what it keeps
 * and why). */
#include "areas/community/community.h"
#include "core/db.h"
#include "core/util.h"

/* How long a row is kept, in days. */
enum { AUDIT_KEEP_DAYS = 365 };

enum wr audit_add(struct dbc *w, int64_t community_id, int64_t actor, const char *action,
                  const char *subject)
{
    static const char add[] =
        "INSERT INTO community_audit(community_id, day, actor_id, action, subject)"
        " VALUES(?, ?, nullif(?, 0), ?, ?)";
    static const char prune[] = "DELETE FROM community_audit WHERE community_id = ? AND day < ?";
    int64_t today = now_s() / 86400;
    int n = db_exec(w, add, "iiitt", community_id, today, actor, action, subject ? subject : "");
    if (n != 1) return wr_changed(w, n, WR_DB);
    if (db_exec(w, prune, "ii", community_id, today - AUDIT_KEEP_DAYS) < 0) return wr_from_error(w);
    return WR_OK;
}

json_t *audit_page(struct dbc *c, const struct vmask *m, int64_t community_id, int64_t offset,
                   int64_t limit)
{
    static const char sql[] =
        "SELECT date(a.day * 86400, 'unixepoch') AS day, coalesce(m.name, '') AS actor,"
        " a.action, a.subject FROM community_audit a LEFT JOIN members m ON m.id = a.actor_id"
        " WHERE a.community_id = ? ORDER BY a.id DESC LIMIT ? OFFSET ?";
    return db_view_rows(c, m, sql, "iii", community_id, limit, offset);
}

char *join_request_name(struct dbc *c, int64_t community_id, int64_t id)
{
    static const char sql[] = "SELECT a.display_name FROM join_requests r"
                              " JOIN accounts a ON a.id = r.account_id"
                              " WHERE r.id = ? AND r.community_id = ?";
    return db_text(c, sql, "ii", id, community_id);
}

char *member_name_of_handle(struct dbc *c, int64_t community_id, const char *handle)
{
    static const char sql[] =
        "SELECT m.name FROM accounts a JOIN member_accounts l ON l.account_id = a.id"
        " JOIN members m ON m.id = l.member_id WHERE l.community_id = ? AND a.handle = ?";
    return db_text(c, sql, "it", community_id, handle);
}
