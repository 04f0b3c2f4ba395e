/* The SQL of the second factor: its secret, recovery codes and the
 * sign-ins that wait for a code (src/sql/042_account_second_factor.sql). */
#include "areas/account/account.h"
#include "core/db.h"
#include "core/util.h"

#include <string.h>

int second_factor_load(struct dbc *c, int64_t id, struct second_factor *out)
{
    static const char sql[] = "SELECT confirmed, last_step, secret_box FROM account_second_factor"
                              " WHERE account_id = ?";
    sqlite3_stmt *st = db_prepare(c, sql, "i", id);
    if (!st) return -1;
    int rc = 0;
    memset(out, 0, sizeof *out);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 2) == TOTP_BOX) {
        out->confirmed = sqlite3_column_int(st, 0);
        out->last_step = sqlite3_column_int64(st, 1);
        memcpy(out->box, sqlite3_column_blob(st, 2), TOTP_BOX);
        rc = 1;
    }
    db_done(st);
    return rc;
}

int account_has_second_factor(struct dbc *c, int64_t id)
{
    static const char sql[] =
        "SELECT count(*) FROM account_second_factor WHERE account_id = ? AND confirmed = 1";
    return db_int(c, 0, sql, "i", id) > 0;
}

enum wr second_factor_begin(struct dbc *w, int64_t id, const unsigned char box[TOTP_BOX])
{
    /* A confirmed factor is never replaced this way: turning it off needs
     * the password and a code (second_factor_drop). */
    static const char sql[] =
        "INSERT INTO account_second_factor(account_id, secret_box) VALUES(?1, ?2)"
        " ON CONFLICT(account_id) DO UPDATE SET secret_box = ?2, last_step = 0 WHERE confirmed = 0";
    int n = db_exec(w, sql, "ib", id, box, (size_t)TOTP_BOX);
    return n == 0 ? wr_fail(w, WR_CONFLICT, "second_factor.already_on") : wr_changed(w, n, WR_DB);
}

enum wr recovery_codes_replace(struct dbc *w, int64_t id, char hashes[][AUTH_HEX_LEN + 1], int n)
{
    static const char drop[] = "DELETE FROM account_recovery_codes WHERE account_id = ?";
    static const char add[] =
        "INSERT INTO account_recovery_codes(code_hash, account_id) VALUES(?, ?)";
    if (db_exec(w, drop, "i", id) < 0) return wr_from_error(w);
    for (int i = 0; i < n; i++)
        if (db_exec(w, add, "ti", hashes[i], id) != 1) return wr_from_error(w);
    return WR_OK;
}

enum wr second_factor_confirm(struct dbc *w, int64_t id, const unsigned char box[TOTP_BOX],
                              int64_t step, char hashes[][AUTH_HEX_LEN + 1], int n)
{
    /* The secret the code was checked against must still be the waiting
     * one: another tab may have started over meanwhile. */
    static const char sql[] = "UPDATE account_second_factor SET confirmed = 1, last_step = ?"
                              " WHERE account_id = ? AND confirmed = 0 AND secret_box = ?";
    int k = db_exec(w, sql, "iib", step, id, box, (size_t)TOTP_BOX);
    if (k == 0) return wr_fail(w, WR_CONFLICT, "second_factor.changed");
    if (k < 0) return wr_from_error(w);
    return recovery_codes_replace(w, id, hashes, n);
}

enum wr second_factor_use_step(struct dbc *w, int64_t id, int64_t step)
{
    /* The condition is the replay rule: a code is good once, and so is
     * every code of an earlier step. */
    static const char sql[] = "UPDATE account_second_factor SET last_step = ?1"
                              " WHERE account_id = ?2 AND confirmed = 1 AND last_step < ?1";
    return wr_changed(w, db_exec(w, sql, "ii", step, id), WR_CONFLICT);
}

enum wr recovery_code_use(struct dbc *w, int64_t id, const char *hash)
{
    static const char sql[] =
        "DELETE FROM account_recovery_codes WHERE code_hash = ? AND account_id = ?";
    return wr_changed(w, db_exec(w, sql, "ti", hash, id), WR_CONFLICT);
}

int recovery_codes_left(struct dbc *c, int64_t id)
{
    static const char sql[] = "SELECT count(*) FROM account_recovery_codes WHERE account_id = ?";
    return (int)db_int(c, 0, sql, "i", id);
}

enum wr second_factor_drop(struct dbc *w, int64_t id)
{
    static const char codes[] = "DELETE FROM account_recovery_codes WHERE account_id = ?";
    static const char sql[] = "DELETE FROM account_second_factor WHERE account_id = ?";
    if (db_exec(w, codes, "i", id) < 0) return wr_from_error(w);
    return wr_changed(w, db_exec(w, sql, "i", id), WR_NOT_FOUND);
}

enum wr login_pending_create(struct dbc *w, const char *token_hash, const struct login_pending *p)
{
    static const char prune[] = "DELETE FROM login_pending WHERE expires_at <= ?";
    static const char sql[] =
        "INSERT INTO login_pending(token_hash, account_id, throttle_key, browser_hash, known,"
        " seal_box, expires_at) VALUES(?, ?, ?, ?, ?, ?, ?)";
    int64_t now = now_s();
    if (db_exec(w, prune, "i", now) < 0) return wr_from_error(w);
    int n = db_exec(w, sql, "tittibi", token_hash, p->account_id, p->throttle_key, p->browser,
                    (int64_t)p->known, p->has_box ? p->seal_box : NULL,
                    p->has_box ? (size_t)SEAL_SESSION_BOX : (size_t)0, now + LOGIN_PENDING_SECONDS);
    return wr_changed(w, n, WR_DB);
}

int login_pending_load(struct dbc *c, const char *token_hash, struct login_pending *out)
{
    static const char sql[] = "SELECT account_id, throttle_key, browser_hash, known, seal_box"
                              " FROM login_pending WHERE token_hash = ? AND expires_at > ?";
    sqlite3_stmt *st = db_prepare(c, sql, "ti", token_hash, now_s());
    int rc = -1;
    memset(out, 0, sizeof *out);
    if (st && sqlite3_step(st) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(st, 1);
        const char *browser = (const char *)sqlite3_column_text(st, 2);
        if (key && browser && strlen(key) == AUTH_HEX_LEN && strlen(browser) <= AUTH_HEX_LEN) {
            out->account_id = sqlite3_column_int64(st, 0);
            memcpy(out->throttle_key, key, AUTH_HEX_LEN + 1);
            memcpy(out->browser, browser, strlen(browser) + 1);
            out->known = sqlite3_column_int(st, 3);
            if (sqlite3_column_bytes(st, 4) == SEAL_SESSION_BOX) {
                memcpy(out->seal_box, sqlite3_column_blob(st, 4), SEAL_SESSION_BOX);
                out->has_box = 1;
            }
            rc = 0;
        }
    }
    db_done(st);
    return rc;
}

enum wr login_pending_delete(struct dbc *w, const char *token_hash)
{
    static const char sql[] = "DELETE FROM login_pending WHERE token_hash = ?";
    return db_exec(w, sql, "t", token_hash) < 0 ? wr_from_error(w) : WR_OK;
}
