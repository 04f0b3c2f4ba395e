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
        " VALUES(?1, ?2, nullif(?3, 0), ?4, seal(?5, ?1, 'community_audit.subject'))";
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
        "SELECT date(a.day * 86400, 'unixepoch') AS day, coalesce(unseal(m.name, ?1, "
        "'members.name'), '')"
        " AS actor, a.action, unseal(a.subject, ?1, 'community_audit.subject') AS subject FROM "
        "community_audit a LEFT JOIN members m ON m.id = a.actor_id"
        " WHERE a.community_id = ?1 ORDER BY a.id DESC LIMIT ?2 OFFSET ?3";
    return db_view_rows(c, m, sql, "iii", community_id, limit, offset);
}

char *join_request_name(struct dbc *c, int64_t community_id, int64_t id)
{
    static const char sql[] = "SELECT a.display_name FROM join_requests r"
                              " JOIN accounts a ON a.id = r.account_id"
                              " WHERE r.id = ? AND r.community_id = ?";
    return db_text(c, sql, "ii", id, community_id);
}

char *member_name_of(struct dbc *c, int64_t community_id, int64_t member_id)
{
    static const char sql[] =
        "SELECT unseal(name, ?2, 'members.name') FROM members WHERE id = ?1 AND community_id = ?2";
    return db_text(c, sql, "ii", member_id, community_id);
}

/* ---- burning a secret community ---- */

/* How long a first organizer's request to burn waits for a second. */
enum { BURN_WAIT_S = 86400 };

enum wr community_burn_ask(struct dbc *w, int64_t community_id, int64_t member_id, int *wait)
{
    static const char organizers[] =
        "SELECT count(*) FROM members WHERE community_id = ? AND role = 'organizer'";
    static const char other[] = "SELECT count(*) FROM community_burns WHERE community_id = ?"
                                " AND member_id <> ? AND asked_at > ?";
    static const char ask[] =
        "INSERT INTO community_burns(community_id, member_id, asked_at) VALUES(?1, ?2, ?3)"
        " ON CONFLICT(community_id) DO UPDATE SET member_id = ?2, asked_at = ?3";
    int64_t now = now_s();
    *wait = 0;
    /* Decided on the writer: an organizer who stepped down since the page
     * was read is no longer the second one. */
    if (db_int(w, 0, organizers, "i", community_id) <= 1) return WR_OK;
    if (db_int(w, 0, other, "iii", community_id, member_id, now - BURN_WAIT_S) > 0) return WR_OK;
    *wait = 1;
    return wr_changed(w, db_exec(w, ask, "iii", community_id, member_id, now), WR_DB);
}

int community_burn_pending(struct dbc *c, int64_t community_id, int64_t member_id)
{
    static const char sql[] = "SELECT CASE WHEN member_id = ? THEN 1 ELSE 2 END"
                              " FROM community_burns WHERE community_id = ? AND asked_at > ?";
    return (int)db_int(c, 0, sql, "iii", member_id, community_id, now_s() - BURN_WAIT_S);
}

int64_t community_organizer_count(struct dbc *c, int64_t community_id)
{
    static const char sql[] =
        "SELECT count(*) FROM members WHERE community_id = ? AND role = 'organizer'";
    return db_int(c, 0, sql, "i", community_id);
}
