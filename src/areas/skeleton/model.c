/* The skeleton area's SQL; see skeleton.h. Its table is in schema.sql
 * (a real area's goes to src/sql/NNN_area.sql).
 *
 * Every free text is written through seal(?, community, 'table.column')
 * and read through unseal(col, community, 'table.column')
 * (core/sealtext.h): in a secret community it is stored encrypted under
 * the community's data key, elsewhere as typed, with the same SQL. A
 * member's name is read the same way ('members.name'). A WHERE, an ORDER
 * BY or an index on a sealed column sees ciphertext: search and sort such
 * texts in C after opening them, or keep keyed hashes beside them as the
 * talent bank does (docs/architecture.md, "The talent bank sealed"). */
#include "areas/skeleton/skeleton.h"
#include "core/util.h"

json_t *note_list(struct dbc *c, const struct vmask *m, int64_t cid, int64_t viewer)
{
    /* member_id feeds "mine" and never a view: the field list does not
     * name it, so db_view_rows leaves it out even though it is selected.
     * The author's name is the member's name in this community; a member
     * who left is none (the page says "a former member"). */
    static const char sql[] =
        "SELECT n.id, unseal(n.title, n.community_id, 'notes.title') AS title,"
        " unseal(n.body, n.community_id, 'notes.body') AS body,"
        " coalesce(unseal(m.name, m.community_id, 'members.name'), '') AS author,"
        " m.id IS NULL AS former,"
        " n.member_id = ? AS mine,"
        " n.member_id FROM notes n LEFT JOIN members m ON m.id = n.member_id"
        " WHERE n.community_id = ? ORDER BY n.id DESC LIMIT 100";
    return db_view_rows(c, m, sql, "ii", viewer, cid);
}

int note_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id, struct note *out)
{
    static const char sql[] =
        "SELECT id, member_id, unseal(title, community_id, 'notes.title'),"
        " unseal(body, community_id, 'notes.body') FROM notes WHERE id = ?1 AND community_id = ?2";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", id, cid);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) {
        out->id = sqlite3_column_int64(st, 0);
        out->member_id = sqlite3_column_int64(st, 1);
        out->title = arena_strdup(a, (const char *)sqlite3_column_text(st, 2));
        out->body = arena_strdup(a, (const char *)sqlite3_column_text(st, 3));
    }
    db_done(st);
    return rc;
}

enum wr note_add(struct dbc *w, int64_t cid, int64_t author, const char *title, const char *body)
{
    /* a community whose key this viewer lacks makes seal() fail: the
     * write is refused (409, "the key has not reached you"), never clear */
    static const char sql[] = "INSERT INTO notes(community_id, member_id, title, body, created_at)"
                              " VALUES (?1, ?2, seal(?3, ?1, 'notes.title'),"
                              " seal(?4, ?1, 'notes.body'), ?5)";
    return wr_changed(w, db_exec(w, sql, "iitti", cid, author, title, body ? body : "", now_s()),
                      WR_DB);
}

/* No row changed: gone (404), or there but not the viewer's (409 with the
 * reason), asked on the writer inside the same transaction. */
static enum wr why_unchanged(struct dbc *w, int64_t cid, int64_t id)
{
    static const char sql[] = "SELECT count(*) FROM notes WHERE id = ? AND community_id = ?";
    if (db_int(w, 0, sql, "ii", id, cid) == 0) return WR_NOT_FOUND;
    return wr_fail(w, WR_CONFLICT, "skeleton.not_yours");
}

enum wr note_update(struct dbc *w, int64_t cid, int64_t id, int64_t viewer, int any_author,
                    const char *title, const char *body)
{
    static const char sql[] = "UPDATE notes SET title = seal(?1, ?4, 'notes.title'),"
                              " body = seal(?2, ?4, 'notes.body') WHERE id = ?3 AND"
                              " community_id = ?4 AND (member_id = ?5 OR ?6)";
    int n = db_exec(w, sql, "ttiiii", title, body ? body : "", id, cid, viewer,
                    (int64_t)(any_author != 0));
    return n == 0 ? why_unchanged(w, cid, id) : wr_changed(w, n, WR_DB);
}

enum wr note_delete(struct dbc *w, int64_t cid, int64_t id, int64_t viewer, int any_author)
{
    static const char sql[] =
        "DELETE FROM notes WHERE id = ? AND community_id = ? AND (member_id = ? OR ?)";
    int n = db_exec(w, sql, "iiii", id, cid, viewer, (int64_t)(any_author != 0));
    return n == 0 ? why_unchanged(w, cid, id) : wr_changed(w, n, WR_DB);
}

/* "Download my data": the notes the account wrote, in every community it
 * is a member of (its members, PERSON_MEMBERS of core/area.h); ?2 = 0 leaves
 * out secret communities. A note whose author left is nobody's any more:
 * it was signed by a member id that no longer leads to the account. */
json_t *note_person_export(struct dbc *c, int64_t account_id, int with_secret, const char *sealed)
{
    static const struct db_named_query parts[] = {
        {"notes", "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
                  " unseal(n.title, n.community_id, 'notes.title') AS title,"
                  " unseal(n.body, n.community_id, 'notes.body') AS body,"
                  " date(n.created_at, 'unixepoch') AS written"
                  " FROM " PERSON_MEMBERS " l JOIN notes n ON n.member_id = l.member_id"
                  " JOIN communities k ON k.id = l.community_id"
                  " WHERE (?2 OR k.visibility < 2) ORDER BY n.id"},
        {0},
    };
    return db_rows_named(c, parts, account_id, with_secret, sealed ? sealed : "[]");
}

/* The area's seal_texts hook: a community that gets its data key while it
 * has notes (one made secret, or from before sealing) has them sealed in
 * place, inside the transaction that seals it; seal() leaves a sealed
 * text as it is, so running it twice changes nothing. */
int note_seal_texts(struct dbc *w, int64_t community_id)
{
    static const char *const sql[] = {
        "UPDATE notes SET title = seal(title, ?1, 'notes.title'),"
        " body = seal(body, ?1, 'notes.body') WHERE community_id = ?1",
    };
    return db_exec_each(w, sql, sizeof sql / sizeof sql[0], community_id);
}
