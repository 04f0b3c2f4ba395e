/* The SQL of accounts, sessions and settings. */
#include "areas/account/account.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/util.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

int account_handle_valid(const char *h)
{
    size_t n = h ? strlen(h) : 0;
    if (n < 3 || n > HANDLE_MAX) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = h[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-'))) return 0;
    }
    return 1;
}

int64_t account_create_hashed(struct dbc *w, const char *handle, const char *display_name,
                              const char *hash, int is_demo)
{
    static const char sql[] =
        "INSERT INTO accounts(handle, display_name, password_hash, is_demo, created_at)"
        " VALUES(?, ?, ?, ?, ?)";
    if (db_exec(w, sql, "tttii", handle, display_name, hash, (int64_t)is_demo, now_s()) < 0)
        return db_was_unique_violation(w) ? -2 : -1;
    return db_last_id(w);
}

int64_t account_create(struct dbc *w, const char *handle, const char *display_name,
                       const char *password, int is_demo)
{
    char hash[AUTH_HASH_MAX];
    if (auth_password_hash(password, hash) != 0) return -1;
    return account_create_hashed(w, handle, display_name, hash, is_demo);
}

int account_set_password(struct dbc *w, int64_t id, const char *password)
{
    static const char sql[] = "UPDATE accounts SET password_hash = ? WHERE id = ?";
    static const char drop[] = "DELETE FROM sessions WHERE account_id = ?";
    char hash[AUTH_HASH_MAX];
    if (auth_password_hash(password, hash) != 0) return -1;
    /* A new password ends every other session: the reason to change it is
     * often that someone else knows the old one. */
    if (db_exec(w, sql, "ti", hash, id) != 1 || db_exec(w, drop, "i", id) < 0) return -1;
    return 0;
}

enum wr account_password_replace(struct dbc *w, int64_t id, const char *old_hash,
                                 const char *new_hash)
{
    /* The old password was checked against old_hash on a reader; the
     * write takes place only while that is still the account's hash, so
     * two changes sent at once with the same old password make one. */
    static const char sql[] =
        "UPDATE accounts SET password_hash = ? WHERE id = ? AND password_hash = ?";
    static const char exists[] = "SELECT count(*) FROM accounts WHERE id = ?";
    static const char drop[] = "DELETE FROM sessions WHERE account_id = ?";
    int n = db_exec(w, sql, "tit", new_hash, id, old_hash);
    if (n == 0)
        return db_int(w, 0, exists, "i", id) ? wr_fail(w, WR_CONFLICT, "account.password_changed")
                                             : WR_NOT_FOUND;
    if (n < 0) return wr_from_error(w);
    /* A new password ends every other session: the reason to change it is
     * often that someone else knows the old one. */
    return db_exec(w, drop, "i", id) < 0 ? wr_from_error(w) : WR_OK;
}

int account_set_roles(struct dbc *w, int64_t id, int is_admin, int is_coord)
{
    static const char sql[] = "UPDATE accounts SET is_admin = ?, is_coord = ? WHERE id = ?";
    return db_exec(w, sql, "iii", (int64_t)is_admin, (int64_t)is_coord, id) == 1 ? 0 : -1;
}

enum wr account_roles_update(struct dbc *w, const char *handle, int64_t viewer, int is_admin,
                             int is_coord)
{
    /* The administrator who asks cannot take their own admin role: the
     * last way in must not lock itself out. A role unchanged is not
     * written. */
    static const char sql[] =
        "UPDATE accounts SET is_admin = ?1, is_coord = ?2 WHERE handle = ?3"
        " AND (id <> ?4 OR ?1) AND (is_admin IS NOT ?1 OR is_coord IS NOT ?2)";
    static const char why[] = "SELECT id FROM accounts WHERE handle = ?";
    int n =
        db_exec(w, sql, "iiti", (int64_t)(is_admin != 0), (int64_t)(is_coord != 0), handle, viewer);
    if (n != 0) return wr_changed(w, n, WR_DB);
    int64_t id = db_int(w, 0, why, "t", handle);
    if (!id) return WR_NOT_FOUND;
    if (id == viewer && !is_admin) return wr_fail(w, WR_INVALID, "admin.cannot_demote_self");
    return WR_OK; /* as it was */
}

int64_t account_id_by_handle(struct dbc *c, const char *handle)
{
    static const char sql[] = "SELECT id FROM accounts WHERE handle = ?";
    return db_int(c, 0, sql, "t", handle);
}

static const char account_list_sql[] =
    "SELECT handle, display_name, is_admin, is_coord, is_demo,"
    " date(created_at, 'unixepoch') AS created FROM accounts ORDER BY handle LIMIT 1000";

json_t *account_list(struct dbc *c)
{
    return db_rows(c, account_list_sql, "");
}

json_t *account_view_list(struct dbc *c, const struct vmask *m)
{
    return db_view_rows(c, m, account_list_sql, "");
}

int account_count_demo(struct dbc *c)
{
    static const char sql[] = "SELECT count(*) FROM accounts WHERE is_demo = 1";
    return (int)db_int(c, 0, sql, "");
}

/* ---- settings ---- */

char *setting_get(struct dbc *c, const char *key)
{
    static const char sql[] = "SELECT value FROM settings WHERE key = ?";
    return db_text(c, sql, "t", key);
}

int setting_set(struct dbc *w, const char *key, const char *value)
{
    static const char sql[] = "INSERT INTO settings(key, value) VALUES(?, ?)"
                              " ON CONFLICT(key) DO UPDATE SET value = excluded.value";
    return db_exec(w, sql, "tt", key, value) < 0 ? -1 : 0;
}

enum wr setting_put(struct dbc *w, const char *key, const char *value)
{
    static const char sql[] = "INSERT INTO settings(key, value) VALUES(?, ?)"
                              " ON CONFLICT(key) DO UPDATE SET value = excluded.value"
                              " WHERE value IS NOT excluded.value";
    int n = db_exec(w, sql, "tt", key, value);
    return n < 0 ? wr_from_error(w) : WR_OK; /* 0 rows: it had that value */
}

int setting_secret(struct dbc *w, unsigned char out[32])
{
    char *hex = setting_get(w, "secret");
    size_t len = 0;
    if (!hex || sodium_hex2bin(out, 32, hex, strlen(hex), NULL, &len, NULL) != 0 || len != 32) {
        char fresh[65];
        auth_random(out, 32);
        sodium_bin2hex(fresh, sizeof fresh, out, 32);
        free(hex);
        return setting_set(w, "secret", fresh);
    }
    free(hex);
    return 0;
}

int setting_open_signup(struct dbc *c)
{
    char *v = setting_get(c, "open_signup");
    int open = v && strcmp(v, "1") == 0;
    free(v);
    return open;
}

/* ---- sessions ---- */

enum { SESSION_DAYS = 30 };

int session_create(struct dbc *w, int64_t account_id, char *token_out)
{
    /* Days only (docs/threat-model.md): created_at is the start of today,
     * so the table does not say at what time of day a person signed in. */
    static const char sql[] = "INSERT INTO sessions(token_hash, account_id, created_at, expires_at,"
                              " last_day) VALUES(?, ?, ?, ?, ?)";
    static const char gc[] = "DELETE FROM sessions WHERE account_id = ? AND expires_at < ?";
    char hash[AUTH_HEX_LEN + 1];
    auth_token_new(token_out);
    auth_token_hash(token_out, hash);
    int64_t now = now_s(), day = now / 86400;
    db_exec(w, gc, "ii", account_id, now);
    return db_exec(w, sql, "tiiii", hash, account_id, day * 86400, (day + SESSION_DAYS + 1) * 86400,
                   day) == 1
               ? 0
               : -1;
}

int session_account(struct dbc *c, struct arena *a, const char *token_hash, struct account *out,
                    int *stale)
{
    static const char sql[] =
        "SELECT a.id, a.handle, a.display_name, a.lang, a.is_admin, a.is_coord, s.last_day"
        " FROM sessions s JOIN accounts a ON a.id = s.account_id"
        " WHERE s.token_hash = ? AND s.expires_at > ?";
    int64_t now = now_s();
    sqlite3_stmt *st = db_prepare(c, sql, "ti", token_hash, now);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    *stale = 0;
    if (rc == 0) {
        memset(out, 0, sizeof *out);
        out->id = sqlite3_column_int64(st, 0);
        out->handle = arena_strdup(a, (const char *)sqlite3_column_text(st, 1));
        out->display_name = arena_strdup(a, (const char *)sqlite3_column_text(st, 2));
        const char *lang = (const char *)sqlite3_column_text(st, 3);
        out->lang = lang ? arena_strdup(a, lang) : NULL;
        out->is_admin = sqlite3_column_int(st, 4);
        out->is_coord = sqlite3_column_int(st, 5);
        *stale = sqlite3_column_int64(st, 6) < now / 86400;
    }
    db_done(st);
    return rc;
}

enum wr session_delete(struct dbc *w, const char *token_hash)
{
    static const char sql[] = "DELETE FROM sessions WHERE token_hash = ?";
    /* A session already gone (signed out in another tab) is signed out. */
    return db_exec(w, sql, "t", token_hash) < 0 ? wr_from_error(w) : WR_OK;
}

/* ---- sign-in ---- */

int64_t account_for_login(struct dbc *c, struct arena *a, const char *handle, const char **hash_out)
{
    static const char sql[] = "SELECT id, password_hash FROM accounts WHERE handle = ?";
    sqlite3_stmt *st = db_prepare(c, sql, "t", handle);
    int64_t id = 0;
    *hash_out = NULL;
    if (st && sqlite3_step(st) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        *hash_out = arena_strdup(a, (const char *)sqlite3_column_text(st, 1));
    }
    db_done(st);
    return id;
}

char *account_password_hash(struct dbc *c, int64_t id)
{
    static const char sql[] = "SELECT password_hash FROM accounts WHERE id = ?";
    return db_text(c, sql, "i", id);
}

/* Nothing changed for id: the account is gone (its session with it), or
 * it already had these values. */
static enum wr why_account_unchanged(struct dbc *w, int64_t id)
{
    static const char sql[] = "SELECT count(*) FROM accounts WHERE id = ?";
    return db_int(w, 0, sql, "i", id) ? WR_OK : WR_NOT_FOUND;
}

enum wr account_set_profile(struct dbc *w, int64_t id, const char *display_name, const char *lang)
{
    static const char sql[] = "UPDATE accounts SET display_name = ?1, lang = ?2 WHERE id = ?3"
                              " AND (display_name IS NOT ?1 OR lang IS NOT ?2)";
    int n = db_exec(w, sql, "tti", display_name, lang, id);
    return n == 0 ? why_account_unchanged(w, id) : wr_changed(w, n, WR_DB);
}

enum wr account_set_lang(struct dbc *w, int64_t id, const char *lang)
{
    static const char sql[] = "UPDATE accounts SET lang = ?1 WHERE id = ?2 AND lang IS NOT ?1";
    int n = db_exec(w, sql, "ti", lang, id);
    return n == 0 ? why_account_unchanged(w, id) : wr_changed(w, n, WR_DB);
}

int64_t throttle_wait(struct dbc *c, const char *key)
{
    static const char sql[] = "SELECT locked_until - ? FROM login_throttle WHERE key = ?";
    int64_t left = db_int(c, 0, sql, "it", now_s(), key);
    return left > 0 ? left : 0;
}

/* Five free tries, then a wait that doubles with every failure, up to an
 * hour: slow enough to stop guessing, short enough not to lock a person out
 * for long when someone else is trying their handle (and from a browser
 * the account knows, the handle's lock does not apply at all). A row whose
 * last failure is a day old is forgotten, so random handles cannot grow
 * the table without end. */
enum wr throttle_fail(struct dbc *w, const char *key)
{
    static const char prune[] = "DELETE FROM login_throttle WHERE last_at < ?";
    static const char sql[] =
        "INSERT INTO login_throttle(key, failures, locked_until, last_at) VALUES(?1, 1, 0, ?2)"
        " ON CONFLICT(key) DO UPDATE SET failures = failures + 1, last_at = ?2,"
        " locked_until = CASE WHEN failures + 1 >= 5"
        "  THEN ?2 + min(3600, 30 * (1 << min(failures - 4, 7))) ELSE 0 END";
    int64_t now = now_s();
    if (db_exec(w, prune, "i", now - 86400) < 0) return wr_from_error(w);
    return wr_changed(w, db_exec(w, sql, "ti", key, now), WR_DB);
}

enum wr throttle_clear(struct dbc *w, const char *key)
{
    static const char sql[] = "DELETE FROM login_throttle WHERE key = ?";
    return db_exec(w, sql, "t", key) < 0 ? wr_from_error(w) : WR_OK;
}

int64_t known_browser_account(struct dbc *c, const char *token_hash)
{
    static const char sql[] = "SELECT account_id FROM known_browsers WHERE token_hash = ?";
    return db_int(c, 0, sql, "t", token_hash);
}

enum wr known_browser_note(struct dbc *w, int64_t account_id, const char *token_hash)
{
    static const char put[] =
        "INSERT INTO known_browsers(token_hash, account_id, last_day) VALUES(?1, ?2, ?3)"
        " ON CONFLICT(token_hash) DO UPDATE SET last_day = ?3 WHERE account_id = ?2";
    static const char trim[] =
        "DELETE FROM known_browsers WHERE account_id = ?1 AND token_hash NOT IN"
        " (SELECT token_hash FROM known_browsers WHERE account_id = ?1"
        "  ORDER BY last_day DESC, rowid DESC LIMIT ?2)";
    if (db_exec(w, put, "tii", token_hash, account_id, now_s() / 86400) < 0)
        return wr_from_error(w);
    return db_exec(w, trim, "ii", account_id, (int64_t)KNOWN_BROWSERS_MAX) < 0 ? wr_from_error(w)
                                                                               : WR_OK;
}
