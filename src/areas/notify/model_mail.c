/* The notifications area's SQL for e-mail (notify.h, "mail"): a person's
 * address, the scan of new notices that may be mailed, and what a mail
 * says. The jobs' own rows are core/jobs.c's.
 *
 * Every read here joins member_accounts, the clear tie of a member to an
 * account that only public and closed communities have, and refuses a
 * secret community by its visibility as well: a mail can never be made for
 * a secret community's notice, even if a tie were there by mistake. */
#include "areas/notify/notify.h"
#include "core/util.h"

json_t *mail_address_of(struct dbc *c, int64_t account)
{
    static const char sql[] = "SELECT address, fuller FROM mail_addresses WHERE account_id = ?1";
    return db_row(c, sql, "i", account);
}

enum wr mail_address_set(struct dbc *w, int64_t account, const char *address, int fuller)
{
    /* Only a change is written: the same address and choice sent again
     * change nothing (the forms-unchanged rule). */
    static const char sql[] =
        "INSERT INTO mail_addresses(account_id, address, fuller) VALUES(?1, ?2, ?3)"
        " ON CONFLICT (account_id) DO UPDATE SET address = excluded.address,"
        " fuller = excluded.fuller"
        " WHERE address IS NOT excluded.address OR fuller IS NOT excluded.fuller";
    return db_exec(w, sql, "iti", account, address, (int64_t)(fuller ? 1 : 0)) < 0 ? WR_DB : WR_OK;
}

enum wr mail_address_remove(struct dbc *w, int64_t account)
{
    static const char sql[] = "DELETE FROM mail_addresses WHERE account_id = ?1";
    int n = db_exec(w, sql, "i", account);
    return n == 0 ? wr_fail(w, WR_CONFLICT, "notify.mail.none") : wr_changed(w, n, WR_DB);
}

int64_t mail_cursor_get(struct dbc *w)
{
    static const char sql[] = "SELECT last_notice FROM mail_cursor WHERE id = 1";
    return db_int(w, -1, sql, "");
}

int mail_cursor_set(struct dbc *w, int64_t last)
{
    static const char sql[] = "UPDATE mail_cursor SET last_notice = ?1 WHERE id = 1";
    return db_exec(w, sql, "i", last) == 1 ? 0 : -1;
}

int64_t mail_last_notice(struct dbc *w)
{
    static const char sql[] = "SELECT coalesce(max(id), 0) FROM notifications";
    return db_int(w, -1, sql, "");
}

json_t *mail_scan_rows(struct dbc *w, int64_t after, int64_t limit)
{
    /* The notices after the cursor whose person gave an address, with the
     * member's stored channel (NULL: the kind's default, which the caller
     * knows). A public or closed community's choice is clear text, which
     * unseal() gives back as it is. */
    static const char sql[] =
        "SELECT n.id, n.kind, ma.account_id,"
        " unseal(p.channel, n.community_id, 'notify_prefs.channel') AS channel"
        " FROM notifications n"
        " JOIN communities k ON k.id = n.community_id AND k.visibility IN (0, 1)"
        " JOIN member_accounts ma ON ma.member_id = n.member_id"
        " JOIN mail_addresses a ON a.account_id = ma.account_id"
        " LEFT JOIN notify_prefs p ON p.member_id = n.member_id AND p.kind = n.kind"
        " WHERE n.id > ?1 ORDER BY n.id LIMIT ?2";
    return db_rows(w, sql, "ii", after, limit);
}

json_t *mail_notices(struct dbc *c, int64_t account, const char *ids)
{
    /* What a mail may say of each notice still there (one a person left
     * with their membership is gone): its kind, and the community's name
     * and address only when the community is public. */
    static const char sql[] =
        "SELECT n.id, n.kind, k.visibility,"
        " CASE WHEN k.visibility = 0 THEN k.name END AS community,"
        " CASE WHEN k.visibility = 0 THEN k.slug END AS slug"
        " FROM notifications n"
        " JOIN communities k ON k.id = n.community_id AND k.visibility IN (0, 1)"
        " JOIN member_accounts ma ON ma.member_id = n.member_id AND ma.account_id = ?1"
        " WHERE n.id IN (SELECT value FROM json_each(?2)) ORDER BY n.id";
    return db_rows(c, sql, "it", account, ids);
}

char *mail_account_lang(struct dbc *c, int64_t account)
{
    static const char sql[] = "SELECT lang FROM accounts WHERE id = ?1";
    return db_text(c, sql, "i", account);
}
