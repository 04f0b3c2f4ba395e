/* The SQL of deleting one's own account (issue 13). What goes with it is
 * what the schema says of a person's rows: the account's sessions, keys,
 * keyring, second factor and join requests by foreign key; its members in
 * every community through member_leave_all (so that each area's rows take
 * their "who" rule, CASCADE for one's own, SET NULL for the community's
 * record); then the account row. */
#include "areas/account/account.h"
#include "areas/community/community.h"
#include "core/db.h"

enum wr account_delete(struct dbc *w, int64_t id, const char *checked_hash)
{
    /* The password was checked against checked_hash on a reader; the
     * account goes only while that is still its hash (a password changed
     * meanwhile in another session is a conflict), and never the last
     * administrator's: an instance nobody can administer is lost. */
    static const char sql[] =
        "DELETE FROM accounts WHERE id = ?1 AND password_hash = ?2"
        " AND (is_admin = 0 OR EXISTS (SELECT 1 FROM accounts o WHERE o.is_admin = 1"
        "  AND o.id <> ?1))";
    static const char admin[] = "SELECT is_admin FROM accounts WHERE id = ? AND password_hash = ?";
    enum wr rc = member_leave_all(w, id);
    if (rc != WR_OK) return rc;
    int n = db_exec(w, sql, "it", id, checked_hash);
    if (n != 0) return wr_changed(w, n, WR_DB);
    if (db_int(w, 0, admin, "it", id, checked_hash) == 1)
        return wr_fail(w, WR_CONFLICT, "delete.last_admin.conflict");
    return wr_fail(w, WR_CONFLICT, "account.password_changed");
}

int account_is_last_admin(struct dbc *c, int64_t id)
{
    static const char sql[] =
        "SELECT count(*) FROM accounts WHERE id = ?1 AND is_admin = 1"
        " AND NOT EXISTS (SELECT 1 FROM accounts o WHERE o.is_admin = 1 AND o.id <> ?1)";
    return db_int(c, 0, sql, "i", id) > 0;
}
