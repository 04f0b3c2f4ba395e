/* The SQL of deleting one's own account (issue 13). What goes with it is
 * what the schema says of a person's rows: the account's sessions, keys,
 * keyring, second factor and join requests by foreign key; its members in
 * every community through member_leave_all (so that each area's rows take
 * their "who" rule, CASCADE for one's own, SET NULL for the community's
 * record); then the account row. */
#include "areas/account/account.h"
#include "areas/community/community.h"
#include "core/db.h"

enum wr account_delete(struct dbc *w, int64_t id, const char *checked_hash, const char *sealed)
{
    /* Asked on the writer, inside the transaction: never the last
     * administrator (an instance nobody can administer is lost), and the
     * password was checked against checked_hash on a reader, so the
     * account goes only while that is still its hash (a password changed
     * meanwhile in another session is a conflict). */
    static const char sql[] = "DELETE FROM accounts WHERE id = ? AND password_hash = ?";
    if (account_is_last_admin(w, id)) return wr_fail(w, WR_CONFLICT, "delete.last_admin.conflict");
    enum wr rc = member_leave_all(w, id, sealed);
    if (rc != WR_OK) return rc;
    int n = db_exec(w, sql, "it", id, checked_hash);
    return n == 0 ? wr_fail(w, WR_CONFLICT, "account.password_changed") : wr_changed(w, n, WR_DB);
}

int account_is_last_admin(struct dbc *c, int64_t id)
{
    static const char sql[] =
        "SELECT count(*) FROM accounts WHERE id = ?1 AND is_admin = 1"
        " AND NOT EXISTS (SELECT 1 FROM accounts o WHERE o.is_admin = 1 AND o.id <> ?1)";
    return db_int(c, 0, sql, "i", id) > 0;
}
