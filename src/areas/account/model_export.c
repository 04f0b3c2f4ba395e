/* The SQL of "download my data" for the account itself: what the person
 * typed (handle, name, language) and what the server keeps about them
 * (the day they joined, their sessions' days and names). Never a hash, a
 * key, a secret or a recovery code: the file is for reading, and it may
 * be lost. */
#include "areas/account/account.h"
#include "core/db.h"
#include "core/util.h"

json_t *account_export(struct dbc *c, int64_t account_id)
{
    static const char sql[] =
        "SELECT handle, display_name, lang, date(created_at, 'unixepoch') AS created,"
        " EXISTS (SELECT 1 FROM account_second_factor f WHERE f.account_id = accounts.id"
        " AND f.confirmed = 1) AS second_factor FROM accounts WHERE id = ?";
    static const char sessions[] =
        "SELECT date(created_at, 'unixepoch') AS created,"
        " date(last_day * 86400, 'unixepoch') AS last_used, name"
        " FROM sessions WHERE account_id = ? AND expires_at > ? ORDER BY created_at, rowid";
    json_t *o = db_row(c, sql, "i", account_id);
    if (!o) return NULL;
    json_t *list = db_rows(c, sessions, "ii", account_id, now_s());
    if (!list) {
        json_decref(o);
        return NULL;
    }
    json_object_set_new(o, "second_factor",
                        json_boolean(json_integer_value(json_object_get(o, "second_factor"))));
    json_object_set_new(o, "sessions", list);
    return o;
}
