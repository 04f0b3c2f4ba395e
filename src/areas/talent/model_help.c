/* The SQL of requests for help and of interest clubs. */
#include "areas/talent/talent.h"
#include "core/db.h"
#include "core/util.h"

int64_t talent_request_create(struct dbc *w, int64_t community_id, int64_t entry_id, int64_t from,
                              int64_t to, const char *message, const char *contact)
{
    static const char sql[] =
        "INSERT INTO talent_requests(community_id, entry_id, from_id, to_id, message,"
        " from_contact, status, created_at, updated_at) VALUES(?, ?, ?, ?, ?, ?, 'open', ?, ?)";
    int64_t now = now_s();
    if (db_exec(w, sql, "iiiittii", community_id, entry_id, from, to, message ? message : "",
                contact ? contact : "", now, now) != 1)
        return db_was_unique_violation(w) ? -2 : -1;
    return db_last_id(w);
}

#define REQUEST_COLS                                                                               \
    "SELECT q.id, q.entry_id, q.status, q.message, q.from_contact, q.to_contact, q.thanks,"        \
    " q.hours, q.from_id, q.to_id, date(q.created_at, 'unixepoch') AS created,"                    \
    " e.title AS entry_title, e.kind AS entry_kind,"                                               \
    " fa.handle AS from_handle, fa.display_name AS from_name,"                                     \
    " ta.handle AS to_handle, ta.display_name AS to_name"                                          \
    " FROM talent_requests q JOIN talent_entries e ON e.id = q.entry_id"                           \
    " JOIN accounts fa ON fa.id = q.from_id JOIN accounts ta ON ta.id = q.to_id"

json_t *talent_request_get(struct dbc *c, int64_t community_id, int64_t id)
{
    static const char sql[] = REQUEST_COLS " WHERE q.id = ? AND q.community_id = ?";
    return db_row(c, sql, "ii", id, community_id);
}

json_t *talent_request_list(struct dbc *c, int64_t community_id, int64_t account_id)
{
    static const char sql[] =
        REQUEST_COLS " WHERE q.community_id = ?1 AND (q.from_id = ?2 OR q.to_id = ?2)"
                     " ORDER BY q.status NOT IN ('open', 'accepted'), q.updated_at DESC LIMIT 200";
    return db_rows(c, sql, "ii", community_id, account_id);
}

int talent_request_move(struct dbc *w, int64_t community_id, int64_t id, const char *from_status,
                        const char *to_status, const char *contact, const char *thanks,
                        int64_t hours)
{
    static const char sql[] =
        "UPDATE talent_requests SET status = ?1, to_contact = coalesce(?2, to_contact),"
        " thanks = coalesce(?3, thanks), hours = ?4, updated_at = ?5"
        " WHERE id = ?6 AND community_id = ?7 AND status = ?8";
    return db_exec(w, sql, "tttiiiit", to_status, contact, thanks, hours, now_s(), id, community_id,
                   from_status) == 1
               ? 0
               : -1;
}

/* ---- clubs ---- */

int64_t talent_club_create(struct dbc *w, int64_t community_id, int64_t entry_id, int64_t creator,
                           const char *name, const char *description, const char *when,
                           const char *where)
{
    static const char sql[] =
        "INSERT INTO talent_clubs(community_id, entry_id, created_by, name, description,"
        " meets_when, meets_where, created_at) VALUES(?, nullif(?, 0), ?, ?, ?, ?, ?, ?)";
    if (db_exec(w, sql, "iiitttti", community_id, entry_id, creator, name,
                description ? description : "", when ? when : "", where ? where : "", now_s()) != 1)
        return -1;
    int64_t id = db_last_id(w);
    return talent_club_invite(w, id, creator, "member") == 0 ? id : -1;
}

int talent_club_invite(struct dbc *w, int64_t club_id, int64_t account_id, const char *status)
{
    static const char sql[] =
        "INSERT INTO talent_club_members(club_id, account_id, status) VALUES(?, ?, ?)"
        " ON CONFLICT DO NOTHING";
    return db_exec(w, sql, "iit", club_id, account_id, status) < 0 ? -1 : 0;
}

json_t *talent_club_get(struct dbc *c, int64_t community_id, int64_t id, int64_t viewer)
{
    static const char sql[] =
        "SELECT k.id, k.name, k.description, k.meets_when, k.meets_where, k.closed,"
        " date(k.created_at, 'unixepoch') AS created, k.created_by = ?3 AS mine,"
        " a.handle AS creator_handle, a.display_name AS creator_name,"
        " (SELECT status FROM talent_club_members x WHERE x.club_id = k.id"
        "  AND x.account_id = ?3) AS my_status"
        " FROM talent_clubs k JOIN accounts a ON a.id = k.created_by"
        " WHERE k.id = ?1 AND k.community_id = ?2";
    return db_row(c, sql, "iii", id, community_id, viewer);
}

json_t *talent_club_members(struct dbc *c, int64_t club_id)
{
    static const char sql[] = "SELECT a.handle, a.display_name, x.status FROM talent_club_members x"
                              " JOIN accounts a ON a.id = x.account_id WHERE x.club_id = ?"
                              " ORDER BY x.status = 'invited', a.display_name LIMIT 500";
    return db_rows(c, sql, "i", club_id);
}

json_t *talent_club_list(struct dbc *c, int64_t community_id, int64_t viewer)
{
    static const char sql[] =
        "SELECT k.id, k.name, k.meets_when, k.meets_where, k.closed,"
        " (SELECT count(*) FROM talent_club_members x WHERE x.club_id = k.id"
        "  AND x.status = 'member') AS members,"
        " (SELECT status FROM talent_club_members x WHERE x.club_id = k.id"
        "  AND x.account_id = ?2) AS my_status"
        " FROM talent_clubs k WHERE k.community_id = ?1 ORDER BY k.closed, k.name LIMIT 500";
    return db_rows(c, sql, "ii", community_id, viewer);
}

int talent_club_set_status(struct dbc *w, int64_t club_id, int64_t account_id, const char *status)
{
    static const char sql[] =
        "UPDATE talent_club_members SET status = ? WHERE club_id = ? AND account_id = ?";
    return db_exec(w, sql, "tii", status, club_id, account_id) == 1 ? 0 : -1;
}

int talent_club_leave(struct dbc *w, int64_t club_id, int64_t account_id)
{
    static const char sql[] =
        "DELETE FROM talent_club_members WHERE club_id = ? AND account_id = ?";
    return db_exec(w, sql, "ii", club_id, account_id) == 1 ? 0 : -1;
}

int talent_club_close(struct dbc *w, int64_t community_id, int64_t id)
{
    static const char sql[] =
        "UPDATE talent_clubs SET closed = 1 WHERE id = ? AND community_id = ? AND closed = 0";
    return db_exec(w, sql, "ii", id, community_id) == 1 ? 0 : -1;
}
