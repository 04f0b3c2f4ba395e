/* The SQL of the account page's sessions list (src/sql/043_account_sessions.sql).
 * A session is named in pages by its rowid, never by its token's hash:
 * the hash is the key that finds the session from a cookie, and a page has
 * no need to hold it. */
#include "areas/account/account.h"
#include "core/db.h"
#include "core/util.h"

json_t *session_list(struct dbc *c, const struct vmask *m, int64_t account_id,
                     const char *this_hash)
{
    static const char sql[] = "SELECT rowid AS id, date(created_at, 'unixepoch') AS created,"
                              " date(last_day * 86400, 'unixepoch') AS last_used, name,"
                              " token_hash = ?1 AS this_one"
                              " FROM sessions WHERE account_id = ?2 AND expires_at > ?3"
                              " ORDER BY token_hash = ?1 DESC, last_day DESC, rowid DESC LIMIT ?4";
    return db_view_rows(c, m, sql, "tiii", this_hash, account_id, now_s(), (int64_t)SESSIONS_SHOWN);
}

enum wr session_rename(struct dbc *w, int64_t account_id, int64_t id, const char *name)
{
    static const char sql[] = "UPDATE sessions SET name = ?1 WHERE rowid = ?2 AND account_id = ?3"
                              " AND name IS NOT ?1";
    static const char mine[] = "SELECT count(*) FROM sessions WHERE rowid = ? AND account_id = ?";
    int n = db_exec(w, sql, "tii", name, id, account_id);
    if (n != 0) return wr_changed(w, n, WR_DB);
    return db_int(w, 0, mine, "ii", id, account_id) ? WR_OK : WR_NOT_FOUND;
}

enum wr session_end(struct dbc *w, int64_t account_id, int64_t id)
{
    /* session_keys go with it (ON DELETE CASCADE) */
    static const char sql[] = "DELETE FROM sessions WHERE rowid = ? AND account_id = ?";
    return wr_changed(w, db_exec(w, sql, "ii", id, account_id), WR_NOT_FOUND);
}

enum wr session_end_others(struct dbc *w, int64_t account_id, const char *this_hash)
{
    static const char sql[] = "DELETE FROM sessions WHERE account_id = ? AND token_hash <> ?";
    return db_exec(w, sql, "it", account_id, this_hash) < 0 ? wr_from_error(w) : WR_OK;
}

enum wr session_touch(struct dbc *w, const char *token_hash)
{
    static const char sql[] =
        "UPDATE sessions SET last_day = ?1 WHERE token_hash = ?2 AND last_day < ?1";
    return db_exec(w, sql, "it", now_s() / 86400, token_hash) < 0 ? wr_from_error(w) : WR_OK;
}

int session_account_live(struct dbc *c, const char *token_hash)
{
    static const char sql[] = "SELECT count(*) FROM sessions WHERE token_hash = ?";
    return db_int(c, 0, sql, "t", token_hash) > 0;
}
