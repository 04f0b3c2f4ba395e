/* The notifications area's SQL (notify.h): the reads of the inbox, a
 * notice opened, all of a community's read, and the member's choices.
 * The rows a change writes are core/notify.c's.
 *
 * The viewer's notices are those of their members: the clear links of the
 * account and the member ids of its keyring (PERSON_MEMBERS_OF, core/area.h),
 * so a notice of a secret community reaches the person only through the
 * keyring that makes them its member, and goes with the member row when
 * they leave or are removed (the table's ON DELETE CASCADE). */
#include "areas/community/community.h"
#include "areas/notify/notify.h"
#include "core/util.h"

#define VIEWER_MEMBERS PERSON_MEMBERS_OF("?1", "?2")

int64_t inbox_unread(struct dbc *c, int64_t account, const char *sealed, int64_t cap)
{
    /* One walk of the partial index of unread rows per member: the count
     * costs what it shows (up to cap), not the person's history. Joins,
     * not IN (subquery): each IN list is an ephemeral table SQLite makes
     * and clears on every run, which was most of the header's cost
     * (64,000 instructions a page for a person with nothing unread). */
    static const char sql[] =
        "SELECT count(*) FROM (SELECT 1 FROM member_accounts a"
        " JOIN notifications n INDEXED BY notifications_unread"
        "  ON n.member_id = a.member_id AND n.unread = 1 WHERE a.account_id = ?1"
        " UNION ALL SELECT 1 FROM json_each(?2) j"
        " JOIN notifications n INDEXED BY notifications_unread"
        "  ON n.member_id = j.value AND n.unread = 1"
        /* a member both linked and in the ring is counted once, as the
         * IN list did */
        " WHERE NOT EXISTS (SELECT 1 FROM member_accounts x"
        "  WHERE x.account_id = ?1 AND x.member_id = j.value)"
        " LIMIT ?3)";
    return db_int(c, 0, sql, "iti", account, sealed ? sealed : "[]", cap);
}

json_t *inbox_list(struct dbc *c, const struct vmask *m, int64_t account, const char *sealed,
                   const char *addresses, int64_t offset, int64_t limit)
{
    /* The page's ids first, from the index (member_id, id DESC) alone, and
     * only then the rows' columns: with the sort over every notice of the
     * person's members and the community's name unsealed and the slug made
     * for each before the LIMIT, an active person's inbox (1,200 notices a
     * day) cost 4 M instructions. The community's name is unsealed with
     * the viewer's key: it is shown to its member only. */
    static const char sql[] = "SELECT n.id, n.kind, n.object_id, " SHOWN_SLUG(
        "k", "?5") " AS slug,"
                   " unseal(k.name, k.id, 'communities.name') AS community,"
                   " strftime('%Y-%m-%d %H:%M', n.at, 'unixepoch') AS at, n.unread"
                   " FROM (SELECT id FROM notifications"
                   "  WHERE member_id IN (SELECT member_id FROM " VIEWER_MEMBERS ")"
                   "  ORDER BY id DESC LIMIT ?3 OFFSET ?4) p"
                   " JOIN notifications n ON n.id = p.id"
                   " JOIN communities k ON k.id = n.community_id"
                   " ORDER BY n.id DESC";
    return db_view_rows(c, m, sql, "itiit", account, sealed ? sealed : "[]", limit, offset,
                        addresses ? addresses : "{}");
}

json_t *inbox_communities(struct dbc *c, const struct vmask *m, int64_t account, const char *sealed,
                          const char *addresses)
{
    static const char sql[] = "SELECT " SHOWN_SLUG(
        "k", "?3") " AS slug,"
                   " unseal(k.name, k.id, 'communities.name') AS community,"
                   " (SELECT count(*) FROM notifications n"
                   "  WHERE n.member_id = l.member_id AND n.unread = 1) AS unread"
                   " FROM " VIEWER_MEMBERS " l JOIN communities k ON k.id = l.community_id"
                   " ORDER BY community, k.id";
    return db_view_rows(c, m, sql, "itt", account, sealed ? sealed : "[]",
                        addresses ? addresses : "{}");
}

enum wr inbox_open(struct dbc *w, struct arena *a, int64_t account, const char *sealed, int64_t id,
                   struct inbox_target *out)
{
    /* The rule (the viewer's own notice, while they are its member) is the
     * statement's WHERE; a notice read before is read again, and leads to
     * its object all the same. */
    static const char sql[] = "UPDATE notifications SET unread = 0 WHERE id = ?3"
                              " AND member_id IN (SELECT member_id FROM " VIEWER_MEMBERS ")"
                              " RETURNING community_id, kind, object_id";
    sqlite3_stmt *st = db_prepare(w, sql, "iti", account, sealed ? sealed : "[]", id);
    if (!st) return WR_DB;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->community_id = sqlite3_column_int64(st, 0);
        out->kind = arena_strdup(a, (const char *)sqlite3_column_text(st, 1));
        out->object_id = sqlite3_column_int64(st, 2);
        rc = sqlite3_step(st);
        db_done(st);
        return rc == SQLITE_DONE ? WR_OK : WR_DB;
    }
    db_done(st);
    return rc == SQLITE_DONE ? WR_NOT_FOUND : WR_DB;
}

const char *inbox_community_slug(struct dbc *c, struct arena *a, int64_t community_id,
                                 const char *addresses)
{
    static const char sql[] = "SELECT " SHOWN_SLUG("k", "?2") " FROM communities k WHERE k.id = ?1";
    char *s = db_text(c, sql, "it", community_id, addresses ? addresses : "{}");
    const char *out = s ? arena_strdup(a, s) : NULL;
    free(s);
    return out;
}

enum wr inbox_read_all(struct dbc *w, int64_t member_id)
{
    static const char sql[] =
        "UPDATE notifications SET unread = 0 WHERE member_id = ?1 AND unread = 1";
    int n = db_exec(w, sql, "i", member_id);
    return n == 0 ? wr_fail(w, WR_CONFLICT, "notify.none_unread") : wr_changed(w, n, WR_DB);
}

json_t *inbox_prefs(struct dbc *c, int64_t member_id)
{
    static const char sql[] =
        "SELECT p.kind, unseal(p.channel, m.community_id, 'notify_prefs.channel') AS channel"
        " FROM notify_prefs p JOIN members m ON m.id = p.member_id WHERE p.member_id = ?1";
    json_t *rows = db_rows(c, sql, "i", member_id);
    if (!rows) return NULL;
    json_t *out = json_object();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *k = json_string_value(json_object_get(row, "kind"));
        json_t *ch = json_object_get(row, "channel");
        if (k && json_is_string(ch)) json_object_set(out, k, ch);
    }
    json_decref(rows);
    return out;
}
