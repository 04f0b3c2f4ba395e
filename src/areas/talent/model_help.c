/* The SQL of requests for help and of interest clubs. Their texts (a
 * request's message, contacts and thanks; a club's name, description,
 * when and where) are sealed in a community with a data key and opened
 * as they are read (core/sealtext.h); a list in a name's order sorts by
 * the opened name. */
#include "areas/talent/talent.h"
#include "core/db.h"
#include "core/notify.h"
#include "core/util.h"

#include <string.h>

enum wr talent_request_create(struct dbc *w, int64_t community_id, int64_t entry_id, int64_t from,
                              const char *message, const char *contact, int64_t *id)
{
    /* The entry's owner is asked, while they are still a member, and never
     * by themselves; one open request per person and entry (a unique
     * index). */
    static const char sql[] =
        "INSERT INTO talent_requests(community_id, entry_id, from_member, to_member, message,"
        " from_contact, status, created_at, updated_at)"
        " SELECT ?1, e.id, ?3, e.member_id, seal(?4, ?1, 'talent_requests.message'),"
        " seal(?5, ?1, 'talent_requests.from_contact'), 'open', ?6, ?6 FROM talent_entries e"
        " WHERE e.id = ?2 AND e.community_id = ?1 AND e.member_id <> ?3"
        " AND EXISTS (SELECT 1 FROM members m WHERE m.id = e.member_id)";
    int n = db_exec(w, sql, "iiitti", community_id, entry_id, from, message ? message : "",
                    contact ? contact : "", now_s());
    if (n < 0 && db_was_unique_violation(w))
        return wr_fail(w, WR_CONFLICT, "talent.error.duplicate");
    if (n == 0) return wr_fail(w, WR_CONFLICT, "talent.error.left");
    enum wr rc = wr_changed(w, n, WR_DB);
    if (rc != WR_OK) return rc;
    *id = db_last_id(w);
    /* the entry's owner hears of it in this transaction (a member: the
     * INSERT's WHERE said so) */
    static const char owner[] = "SELECT to_member FROM talent_requests WHERE id = ?";
    if (notify_members(w, community_id, TALENT_NOTIFY_REQUEST, *id, NOTIFY_TO_MEMBER,
                       db_int(w, 0, owner, "i", *id), now_s()) < 0)
        return WR_DB;
    return WR_OK;
}

int talent_request_parties(struct dbc *c, int64_t community_id, int64_t id, int64_t *from,
                           int64_t *to)
{
    static const char sql[] =
        "SELECT from_member, to_member FROM talent_requests WHERE id = ? AND community_id = ?";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", id, community_id);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) {
        *from = sqlite3_column_int64(st, 0);
        *to = sqlite3_column_int64(st, 1);
    }
    db_done(st);
    return rc;
}

json_t *talent_request_list(struct dbc *c, const struct vmask *m, int64_t community_id,
                            int64_t member_id)
{
    /* The other party's contact only once both agreed (accepted, done);
     * which side the viewer is on as incoming, never the member ids. The
     * names are the parties' names in the community. */
    static const char sql[] =
        "SELECT q.id, q.entry_id, q.status,"
        " unseal(q.message, ?1, 'talent_requests.message') AS message,"
        " CASE WHEN q.to_member = ?2 AND q.status NOT IN ('accepted', 'done') THEN NULL"
        "  ELSE unseal(q.from_contact, ?1, 'talent_requests.from_contact') END AS from_contact,"
        " CASE WHEN q.to_member <> ?2 AND q.status NOT IN ('accepted', 'done') THEN NULL"
        "  ELSE unseal(q.to_contact, ?1, 'talent_requests.to_contact') END AS to_contact,"
        " unseal(q.thanks, ?1, 'talent_requests.thanks') AS thanks, q.hours,"
        " q.to_member = ?2 AS incoming, date(q.created_at, 'unixepoch') AS created,"
        " unseal(e.title, ?1, 'talent_entries.title') AS entry_title, e.kind AS entry_kind,"
        " unseal(fm.name, ?1, 'members.name') AS from_name,"
        " unseal(tm.name, ?1, 'members.name') AS to_name"
        " FROM talent_requests q JOIN talent_entries e ON e.id = q.entry_id"
        " JOIN members fm ON fm.id = q.from_member JOIN members tm ON tm.id = q.to_member"
        " WHERE q.community_id = ?1 AND (q.from_member = ?2 OR q.to_member = ?2)"
        " ORDER BY q.status NOT IN ('open', 'accepted'), q.updated_at DESC LIMIT 200";
    return db_view_rows(c, m, sql, "ii", community_id, member_id);
}

enum wr talent_request_move(struct dbc *w, int64_t community_id, int64_t id,
                            const struct talent_move *m)
{
    /* The party and the status the move starts from are in the WHERE: a
     * second accept, or a decline after an accept, changes no row. */
    static const char sql[] =
        "UPDATE talent_requests SET status = ?1,"
        " to_contact = coalesce(seal(?2, ?7, 'talent_requests.to_contact'), to_contact),"
        " thanks = coalesce(seal(?3, ?7, 'talent_requests.thanks'), thanks), hours = ?4,"
        " updated_at = ?5"
        " WHERE id = ?6 AND community_id = ?7 AND status = ?8"
        " AND ((?9 & 1 AND from_member = ?10) OR (?9 & 2 AND to_member = ?10))";
    static const char party[] =
        "SELECT count(*) FROM talent_requests WHERE id = ?1 AND community_id = ?2"
        " AND ((?3 & 1 AND from_member = ?4) OR (?3 & 2 AND to_member = ?4))";
    static const char asker[] = "SELECT from_member FROM talent_requests WHERE id = ?";
    int n = db_exec(w, sql, "tttiiiitii", m->to_status, m->contact, m->thanks, m->hours, now_s(),
                    id, community_id, m->from_status, (int64_t)m->parties, m->who);
    if (n != 0) {
        enum wr rc = wr_changed(w, n, WR_DB);
        /* the answer (accepted or declined) reaches the one who asked; the
         * asker's own moves (cancel, done) tell nobody */
        int answer = strcmp(m->to_status, "accepted") == 0 || strcmp(m->to_status, "declined") == 0;
        if (rc == WR_OK && answer &&
            notify_members(w, community_id, TALENT_NOTIFY_ANSWER, id, NOTIFY_TO_MEMBER,
                           db_int(w, 0, asker, "i", id), now_s()) < 0)
            rc = WR_DB;
        return rc;
    }
    if (db_int(w, 0, party, "iiii", id, community_id, (int64_t)m->parties, m->who) == 0)
        return WR_NOT_FOUND;
    return wr_fail(w, WR_CONFLICT, "talent.error.request_state");
}

/* ---- clubs ---- */

enum wr talent_club_create(struct dbc *w, int64_t community_id, int64_t entry_id, int64_t creator,
                           const struct talent_club *k, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO talent_clubs(community_id, entry_id, member_id, name, description,"
        " meets_when, meets_where, created_at) VALUES(?1, nullif(?2, 0), ?3,"
        " seal(?4, ?1, 'talent_clubs.name'), seal(?5, ?1, 'talent_clubs.description'),"
        " seal(?6, ?1, 'talent_clubs.meets_when'), seal(?7, ?1, 'talent_clubs.meets_where'), ?8)";
    int n = db_exec(w, sql, "iiitttti", community_id, entry_id, creator, k->name,
                    k->description ? k->description : "", k->when ? k->when : "",
                    k->where ? k->where : "", now_s());
    enum wr rc = wr_changed(w, n, WR_DB);
    if (rc != WR_OK) return rc;
    *id = db_last_id(w);
    return talent_club_invite(w, *id, creator, "member");
}

enum wr talent_club_invite(struct dbc *w, int64_t club_id, int64_t member_id, const char *status)
{
    static const char sql[] =
        "INSERT INTO talent_club_members(club_id, member_id, status) VALUES(?, ?, ?)"
        " ON CONFLICT DO NOTHING";
    int n = db_exec(w, sql, "iit", club_id, member_id, status);
    return n < 0 ? wr_from_error(w) : WR_OK;
}

enum wr talent_club_invite_owner(struct dbc *w, int64_t club_id, int64_t entry_id)
{
    /* The entry's owner, if the entry is still of the club's community
     * (it and its member go together when they leave). */
    static const char sql[] =
        "INSERT INTO talent_club_members(club_id, member_id, status)"
        " SELECT k.id, e.member_id, 'invited' FROM talent_clubs k"
        " JOIN talent_entries e ON e.id = ?2 AND e.community_id = k.community_id"
        " WHERE k.id = ?1 ON CONFLICT DO NOTHING";
    int n = db_exec(w, sql, "ii", club_id, entry_id);
    return n < 0 ? wr_from_error(w) : WR_OK;
}

json_t *talent_club_get(struct dbc *c, const struct vmask *m, int64_t community_id, int64_t id,
                        int64_t viewer)
{
    static const char sql[] =
        "SELECT k.id, unseal(k.name, ?2, 'talent_clubs.name') AS name,"
        " unseal(k.description, ?2, 'talent_clubs.description') AS description,"
        " unseal(k.meets_when, ?2, 'talent_clubs.meets_when') AS meets_when,"
        " unseal(k.meets_where, ?2, 'talent_clubs.meets_where') AS meets_where, k.closed,"
        " date(k.created_at, 'unixepoch') AS created, k.member_id = ?3 AS mine,"
        " coalesce(unseal(f.name, ?2, 'members.name'), '') AS creator_name,"
        " f.id IS NULL AS creator_former,"
        " (SELECT status FROM talent_club_members x WHERE x.club_id = k.id"
        "  AND x.member_id = ?3) AS my_status"
        " FROM talent_clubs k LEFT JOIN members f ON f.id = k.member_id"
        " WHERE k.id = ?1 AND k.community_id = ?2";
    return db_view_row(c, m, sql, "iii", id, community_id, viewer);
}

json_t *talent_club_members(struct dbc *c, const struct vmask *m, int64_t club_id)
{
    static const char sql[] =
        "SELECT unseal(m.name, m.community_id, 'members.name') AS display_name, x.status"
        " FROM talent_club_members x JOIN members m ON m.id = x.member_id WHERE x.club_id = ?"
        " ORDER BY x.status = 'invited', display_name LIMIT 500";
    return db_view_rows(c, m, sql, "i", club_id);
}

json_t *talent_club_list(struct dbc *c, const struct vmask *m, int64_t community_id, int64_t viewer)
{
    static const char sql[] =
        "SELECT k.id, unseal(k.name, ?1, 'talent_clubs.name') AS name,"
        " unseal(k.meets_when, ?1, 'talent_clubs.meets_when') AS meets_when,"
        " unseal(k.meets_where, ?1, 'talent_clubs.meets_where') AS meets_where, k.closed,"
        " (SELECT count(*) FROM talent_club_members x WHERE x.club_id = k.id"
        "  AND x.status = 'member') AS members,"
        " (SELECT status FROM talent_club_members x WHERE x.club_id = k.id"
        "  AND x.member_id = ?2) AS my_status"
        " FROM talent_clubs k WHERE k.community_id = ?1 ORDER BY k.closed, name LIMIT 500";
    return db_view_rows(c, m, sql, "ii", community_id, viewer);
}

/* Zero rows changed by a club's write: the club is gone (404), or its
 * state is not what the write needs (409), asked on the writer. */
static enum wr why_club(struct dbc *w, int64_t community_id, int64_t id)
{
    static const char sql[] = "SELECT count(*) FROM talent_clubs WHERE id = ? AND community_id = ?";
    if (db_int(w, 0, sql, "ii", id, community_id) == 0) return WR_NOT_FOUND;
    return wr_fail(w, WR_CONFLICT, "talent.error.club_state");
}

enum wr talent_club_join(struct dbc *w, int64_t community_id, int64_t id, int64_t member_id)
{
    /* Open clubs only; an invitation becomes a membership, a member
     * joining again changes nothing and is told so. */
    static const char sql[] = "INSERT INTO talent_club_members(club_id, member_id, status)"
                              " SELECT k.id, ?3, 'member' FROM talent_clubs k"
                              " WHERE k.id = ?1 AND k.community_id = ?2 AND k.closed = 0"
                              " ON CONFLICT(club_id, member_id) DO UPDATE SET status = 'member'"
                              " WHERE status <> 'member'";
    int n = db_exec(w, sql, "iii", id, community_id, member_id);
    return n == 0 ? why_club(w, community_id, id) : wr_changed(w, n, WR_DB);
}

enum wr talent_club_leave(struct dbc *w, int64_t community_id, int64_t id, int64_t member_id)
{
    static const char sql[] =
        "DELETE FROM talent_club_members WHERE club_id = ?1 AND member_id = ?3"
        " AND EXISTS (SELECT 1 FROM talent_clubs k WHERE k.id = ?1 AND k.community_id = ?2)";
    int n = db_exec(w, sql, "iii", id, community_id, member_id);
    return n == 0 ? why_club(w, community_id, id) : wr_changed(w, n, WR_DB);
}

enum wr talent_club_close(struct dbc *w, int64_t community_id, int64_t id, int64_t viewer,
                          int any_founder)
{
    static const char sql[] = "UPDATE talent_clubs SET closed = 1 WHERE id = ? AND community_id = ?"
                              " AND closed = 0 AND (member_id = ? OR ?)";
    int n = db_exec(w, sql, "iiii", id, community_id, viewer, (int64_t)(any_founder != 0));
    return n == 0 ? why_club(w, community_id, id) : wr_changed(w, n, WR_DB);
}
