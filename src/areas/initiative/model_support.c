/* Supports, the threshold and the organizers' decisions, each change of
 * state written with its history row in the same transaction; see
 * initiative.h. Every rule is in the statement: the state a write needs is
 * in its WHERE, one support per member is the primary key, and zero rows
 * changed is told apart (gone: 404, refused: 409 with why) on the writer. */
#include "areas/initiative/initiative.h"
#include "core/util.h"

/* The threshold of community ?2 as SQL (?T: the default). */
#define THRESHOLD(dflt)                                                                            \
    "coalesce((SELECT threshold FROM initiative_settings WHERE community_id = ?2), " dflt ")"

/* Moves initiative id to the queue when it is an idea whose supports reach
 * the threshold: the history row (automatic, nobody's), then the state. */
static enum wr queue_if_reached(struct dbc *w, int64_t cid, int64_t id)
{
    static const char hist[] =
        "INSERT INTO initiative_history(initiative_id, community_id, member_id, automatic, day,"
        " from_state, to_state, from_stage, to_stage, reason)"
        " SELECT id, community_id, NULL, 1, date(?3, 'unixepoch'), state, 'queued', stage, stage,"
        " '' FROM initiatives"
        " WHERE id = ?1 AND community_id = ?2 AND state = 'idea' AND supports >= " THRESHOLD("?4");
    static const char move[] = "UPDATE initiatives SET state = 'queued'"
                               " WHERE id = ?1 AND community_id = ?2 AND state = 'idea'"
                               " AND supports >= " THRESHOLD("?4");
    int64_t now = now_s(), dflt = INITIATIVE_THRESHOLD_DEFAULT;
    int h = db_exec(w, hist, "iiii", id, cid, now, dflt);
    if (h < 0) return wr_from_error(w);
    int m = db_exec(w, move, "iiii", id, cid, now, dflt);
    if (m < 0) return wr_from_error(w);
    return h == m ? WR_OK : WR_DB;
}

/* Why a support or a withdrawal changed nothing: the initiative is gone,
 * takes no support now, or the member's support was (or was not) there. */
static enum wr support_unchanged(struct dbc *w, int64_t cid, int64_t id, const char *which)
{
    static const char sql[] = "SELECT state IN " INITIATIVE_SQL_SUPPORTABLE
                              " FROM initiatives WHERE id = ?1 AND community_id = ?2";
    int64_t s = db_int(w, -1, sql, "ii", id, cid);
    if (s < 0) return WR_NOT_FOUND;
    return wr_fail(w, WR_CONFLICT, s == 0 ? "initiative.error.closed" : which);
}

enum wr initiative_support(struct dbc *w, int64_t cid, int64_t id, int64_t member)
{
    static const char sql[] = "INSERT INTO initiative_supports(initiative_id, member_id)"
                              " SELECT id, ?3 FROM initiatives WHERE id = ?1 AND community_id = ?2"
                              " AND state IN " INITIATIVE_SQL_SUPPORTABLE " ON CONFLICT DO NOTHING";
    int n = db_exec(w, sql, "iii", id, cid, member);
    if (n < 0) return wr_from_error(w);
    if (n == 0) return support_unchanged(w, cid, id, "initiative.error.supported_already");
    return queue_if_reached(w, cid, id);
}

enum wr initiative_withdraw(struct dbc *w, int64_t cid, int64_t id, int64_t member)
{
    /* A queued initiative stays in the queue: the organizers were told it
     * reached the threshold, and a withdrawal does not take that back. */
    static const char sql[] =
        "DELETE FROM initiative_supports WHERE member_id = ?3 AND initiative_id ="
        " (SELECT id FROM initiatives WHERE id = ?1 AND community_id = ?2"
        "  AND state IN " INITIATIVE_SQL_SUPPORTABLE ")";
    int n = db_exec(w, sql, "iii", id, cid, member);
    if (n < 0) return wr_from_error(w);
    if (n == 0) return support_unchanged(w, cid, id, "initiative.error.not_supported");
    return WR_OK;
}

enum wr initiative_threshold_set(struct dbc *w, int64_t cid, int64_t threshold)
{
    /* The default is no row, so that a form saved as it was shown leaves
     * nothing behind. */
    static const char del[] =
        "DELETE FROM initiative_settings WHERE community_id = ? AND currency = 'RUB'";
    /* the row a currency keeps (migration 090) gets the default back */
    static const char keep[] =
        "UPDATE initiative_settings SET threshold = ?2 WHERE community_id = ?1 AND threshold <> ?2";
    static const char put[] =
        "INSERT INTO initiative_settings(community_id, threshold) VALUES (?1, ?2)"
        " ON CONFLICT(community_id) DO UPDATE SET threshold = excluded.threshold"
        " WHERE threshold <> excluded.threshold";
    /* every idea the new threshold is reached by goes to the queue now */
    static const char hist[] =
        "INSERT INTO initiative_history(initiative_id, community_id, member_id, automatic, day,"
        " from_state, to_state, from_stage, to_stage, reason)"
        " SELECT id, community_id, NULL, 1, date(?1, 'unixepoch'), state, 'queued', stage, stage,"
        " '' FROM initiatives"
        " WHERE community_id = ?2 AND state = 'idea' AND supports >= " THRESHOLD("?3");
    static const char move[] = "UPDATE initiatives SET state = 'queued'"
                               " WHERE community_id = ?2 AND state = 'idea'"
                               " AND supports >= " THRESHOLD("?3");
    if (threshold < 1 || threshold > INITIATIVE_THRESHOLD_MAX)
        return wr_fail(w, WR_INVALID, "error.out_of_range");
    int n = threshold == INITIATIVE_THRESHOLD_DEFAULT ? db_exec(w, del, "i", cid)
                                                      : db_exec(w, put, "ii", cid, threshold);
    if (n >= 0 && threshold == INITIATIVE_THRESHOLD_DEFAULT)
        n = db_exec(w, keep, "ii", cid, threshold);
    if (n < 0) return wr_from_error(w);
    int64_t now = now_s(), dflt = INITIATIVE_THRESHOLD_DEFAULT;
    int h = db_exec(w, hist, "iii", now, cid, dflt);
    if (h < 0) return wr_from_error(w);
    int m = db_exec(w, move, "iii", now, cid, dflt);
    if (m < 0) return wr_from_error(w);
    return h == m ? WR_OK : WR_DB;
}

/* An organizer's decision: the history row from the present state (which
 * must be one the organizers decide on), then the state itself. */
static enum wr decide(struct dbc *w, int64_t cid, int64_t id, int64_t by, const char *to,
                      int64_t stage, int64_t target, const char *reason)
{
    static const char hist[] =
        "INSERT INTO initiative_history(initiative_id, community_id, member_id, automatic, day,"
        " from_state, to_state, from_stage, to_stage, reason)"
        " SELECT id, community_id, nullif(?3, 0), 0, date(?4, 'unixepoch'), state, ?5, stage, ?6,"
        " CASE WHEN ?7 = '' THEN '' ELSE seal(?7, ?2, 'initiative_history.reason') END"
        " FROM initiatives"
        " WHERE id = ?1 AND community_id = ?2 AND state IN " INITIATIVE_SQL_DECIDABLE;
    static const char move[] = "UPDATE initiatives SET state = ?3, stage = ?4,"
                               " merged_into = nullif(?5, 0)"
                               " WHERE id = ?1 AND community_id = ?2"
                               " AND state IN " INITIATIVE_SQL_DECIDABLE;
    static const char exists[] =
        "SELECT count(*) FROM initiatives WHERE id = ? AND community_id = ?";
    int n = db_exec(w, hist, "iiiitit", id, cid, by, now_s(), to, stage, reason ? reason : "");
    if (n < 0) return wr_from_error(w);
    if (n == 0)
        return db_int(w, 0, exists, "ii", id, cid) == 0
                   ? WR_NOT_FOUND
                   : wr_fail(w, WR_CONFLICT, "initiative.error.decided");
    return wr_changed(w, db_exec(w, move, "iitii", id, cid, to, stage, target), WR_DB);
}

enum wr initiative_accept(struct dbc *w, int64_t cid, int64_t id, int64_t by)
{
    return decide(w, cid, id, by, "work", 1, 0, "");
}

enum wr initiative_decline(struct dbc *w, int64_t cid, int64_t id, int64_t by, const char *reason)
{
    return decide(w, cid, id, by, "declined", 0, 0, reason);
}

enum wr initiative_merge(struct dbc *w, int64_t cid, int64_t id, int64_t target, int64_t by,
                         const char *reason)
{
    /* The target is read on the writer: another initiative of the
     * community that takes a merge. A merged one does not, so no chain of
     * duplicates can close into a loop. */
    static const char target_ok[] = "SELECT state IN " INITIATIVE_SQL_MERGE_TARGET
                                    " FROM initiatives WHERE id = ?1 AND community_id = ?2"
                                    " AND id <> ?3";
    /* Its supporters carried over: a member who supported both counts
     * once (the primary key), and the duplicate keeps its own count as it
     * was when it was merged. */
    static const char carry[] =
        "INSERT INTO initiative_supports(initiative_id, member_id)"
        " SELECT ?2, member_id FROM initiative_supports WHERE initiative_id = ?1"
        " ON CONFLICT DO NOTHING";
    int64_t ok = db_int(w, -1, target_ok, "iii", target, cid, id);
    if (ok < 0) return wr_fail(w, WR_CONFLICT, "initiative.error.target_gone");
    if (ok == 0) return wr_fail(w, WR_CONFLICT, "initiative.error.target_closed");
    enum wr rc = decide(w, cid, id, by, "merged", 0, target, reason);
    if (rc != WR_OK) return rc;
    if (db_exec(w, carry, "ii", id, target) < 0) return wr_from_error(w);
    return queue_if_reached(w, cid, target);
}
