/* Assemblies' SQL: the meeting on an event, its agenda and who is
 * present. Texts through seal()/unseal() as the events' are; every rule a
 * write depends on is in the statement's WHERE. */
#include "areas/meeting/assembly.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

/* 1 when member is a member of community cid (0: none given, also 1). */
static int is_member(struct dbc *w, int64_t cid, int64_t member)
{
    static const char sql[] = "SELECT count(*) FROM members WHERE id = ?1 AND community_id = ?2";
    return member == 0 || db_int(w, 0, sql, "ii", member, cid) == 1;
}

enum wr asm_create(struct dbc *w, int64_t cid, int64_t event_id, const struct asm_new *n,
                   int64_t *id_out)
{
    static const char ev[] =
        "SELECT cancelled_reason IS NULL FROM events WHERE id = ?1 AND community_id = ?2";
    static const char has[] = "SELECT count(*) FROM assemblies WHERE event_id = ?1";
    static const char sql[] =
        "INSERT INTO assemblies(community_id, event_id, kind, chair_id, secretary_id,"
        " quorum_kind, quorum_value, created_at)"
        " VALUES (?1, ?2, ?3, nullif(?4, 0), nullif(?5, 0), ?6, ?7, ?8)";
    int64_t live = db_int(w, -1, ev, "ii", event_id, cid);
    if (live < 0) return WR_NOT_FOUND;
    if (live == 0) return wr_fail(w, WR_CONFLICT, "meeting.error.cancelled");
    if (db_int(w, 0, has, "i", event_id) != 0)
        return wr_fail(w, WR_CONFLICT, "meeting.asm.error.exists");
    if (!is_member(w, cid, n->chair_id) || !is_member(w, cid, n->secretary_id))
        return wr_fail(w, WR_INVALID, "meeting.asm.error.not_member");
    if (asm_quorum_needed(n->quorum_kind, n->quorum_value, 0) < 0)
        return wr_fail(w, WR_INVALID, "meeting.asm.error.quorum");
    if (db_exec(w, sql, "iitiitii", cid, event_id, n->kind, n->chair_id, n->secretary_id,
                n->quorum_kind, n->quorum_value, now_s()) != 1)
        return wr_from_error(w);
    if (id_out) *id_out = db_last_id(w);
    return WR_OK;
}

enum wr asm_update(struct dbc *w, int64_t cid, int64_t id, const struct asm_new *n)
{
    static const char sql[] =
        "UPDATE assemblies SET kind = ?3, chair_id = nullif(?4, 0), secretary_id = nullif(?5, 0),"
        " quorum_kind = ?6, quorum_value = ?7"
        " WHERE id = ?1 AND community_id = ?2 AND state <> 'closed'";
    if (!is_member(w, cid, n->chair_id) || !is_member(w, cid, n->secretary_id))
        return wr_fail(w, WR_INVALID, "meeting.asm.error.not_member");
    if (asm_quorum_needed(n->quorum_kind, n->quorum_value, 0) < 0)
        return wr_fail(w, WR_INVALID, "meeting.asm.error.quorum");
    int k = db_exec(w, sql, "iitiiti", id, cid, n->kind, n->chair_id, n->secretary_id,
                    n->quorum_kind, n->quorum_value);
    if (k < 0) return wr_from_error(w);
    if (k == 0) return wr_fail(w, WR_CONFLICT, "meeting.asm.error.closed");
    return WR_OK;
}

int asm_find(struct dbc *c, struct arena *a, int64_t cid, int64_t event_id, struct asm_info *out)
{
    static const char sql[] =
        "SELECT s.id, s.event_id, coalesce(s.chair_id, 0), coalesce(s.secretary_id, 0),"
        " s.quorum_value, k.members,"
        " (SELECT count(*) FROM assembly_presence p WHERE p.assembly_id = s.id),"
        " (SELECT count(*) FROM assembly_presence p WHERE p.assembly_id = s.id"
        "  AND p.how = 'room'),"
        " s.kind, s.quorum_kind, s.state"
        " FROM assemblies s JOIN communities k ON k.id = s.community_id"
        " WHERE s.event_id = ?1 AND s.community_id = ?2";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", event_id, cid);
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        db_done(st);
        return -1;
    }
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(st, 0);
    out->event_id = sqlite3_column_int64(st, 1);
    out->chair_id = sqlite3_column_int64(st, 2);
    out->secretary_id = sqlite3_column_int64(st, 3);
    out->quorum_value = sqlite3_column_int64(st, 4);
    out->members = sqlite3_column_int64(st, 5);
    out->present = sqlite3_column_int64(st, 6);
    out->room = sqlite3_column_int64(st, 7);
    out->online = out->present - out->room;
    const unsigned char *t;
    out->kind = (t = sqlite3_column_text(st, 8)) ? arena_strdup(a, (const char *)t) : "assembly";
    out->quorum_kind =
        (t = sqlite3_column_text(st, 9)) ? arena_strdup(a, (const char *)t) : "share";
    out->state = (t = sqlite3_column_text(st, 10)) ? arena_strdup(a, (const char *)t) : "draft";
    db_done(st);
    return 0;
}

enum wr asm_set_state(struct dbc *w, int64_t cid, int64_t id, const char *from, const char *to)
{
    static const char sql[] = "UPDATE assemblies SET state = ?4,"
                              " opened_at = CASE WHEN ?4 = 'open' THEN ?5 ELSE opened_at END,"
                              " closed_at = CASE WHEN ?4 = 'closed' THEN ?5 ELSE closed_at END"
                              " WHERE id = ?1 AND community_id = ?2 AND state = ?3";
    int k = db_exec(w, sql, "iitti", id, cid, from, to, now_s());
    if (k < 0) return wr_from_error(w);
    if (k == 0) return wr_fail(w, WR_CONFLICT, "meeting.asm.error.state");
    return WR_OK;
}

enum wr asm_item_add(struct dbc *w, int64_t cid, int64_t id, const char *title, const char *doc,
                     int64_t *id_out)
{
    static const char count[] =
        "SELECT count(*) FROM assembly_items i JOIN assemblies s ON s.id = i.assembly_id"
        " WHERE s.id = ?1 AND s.community_id = ?2";
    static const char sql[] =
        "INSERT INTO assembly_items(assembly_id, community_id, position, title, document,"
        " created_at)"
        " SELECT s.id, s.community_id,"
        "  coalesce((SELECT max(position) + 1 FROM assembly_items WHERE assembly_id = s.id), 0),"
        "  seal(?3, s.community_id, 'assembly_items.title'),"
        "  CASE WHEN ?4 = '' THEN '' ELSE seal(?4, s.community_id, 'assembly_items.document') END,"
        "  ?5 FROM assemblies s WHERE s.id = ?1 AND s.community_id = ?2 AND s.state <> 'closed'";
    if (db_int(w, 0, count, "ii", id, cid) >= ASM_ITEMS_MAX)
        return wr_fail(w, WR_CONFLICT, "meeting.asm.error.too_many");
    int k = db_exec(w, sql, "iitti", id, cid, title, doc ? doc : "", now_s());
    if (k < 0) return wr_from_error(w);
    if (k == 0) return wr_fail(w, WR_CONFLICT, "meeting.asm.error.closed");
    if (id_out) *id_out = db_last_id(w);
    return WR_OK;
}

enum wr asm_item_edit(struct dbc *w, int64_t cid, int64_t id, int64_t item, const char *title,
                      const char *doc)
{
    static const char sql[] =
        "UPDATE assembly_items SET title = seal(?4, community_id, 'assembly_items.title'),"
        " document = CASE WHEN ?5 = '' THEN '' ELSE"
        "  seal(?5, community_id, 'assembly_items.document') END"
        " WHERE id = ?3 AND assembly_id = ?1 AND community_id = ?2"
        " AND (SELECT state FROM assemblies WHERE id = ?1) <> 'closed'";
    int k = db_exec(w, sql, "iiitt", id, cid, item, title, doc ? doc : "");
    if (k < 0) return wr_from_error(w);
    if (k == 0) return WR_NOT_FOUND;
    return WR_OK;
}

enum wr asm_item_move(struct dbc *w, int64_t cid, int64_t id, int64_t item, int dir)
{
    /* the neighbour in the order (position, id) */
    static const char up[] =
        "SELECT n.id FROM assembly_items n, assembly_items i"
        " WHERE i.id = ?1 AND i.assembly_id = ?2 AND n.assembly_id = i.assembly_id"
        " AND (n.position < i.position OR (n.position = i.position AND n.id < i.id))"
        " ORDER BY n.position DESC, n.id DESC LIMIT 1";
    static const char down[] =
        "SELECT n.id FROM assembly_items n, assembly_items i"
        " WHERE i.id = ?1 AND i.assembly_id = ?2 AND n.assembly_id = i.assembly_id"
        " AND (n.position > i.position OR (n.position = i.position AND n.id > i.id))"
        " ORDER BY n.position, n.id LIMIT 1";
    static const char live[] = "SELECT count(*) FROM assemblies s JOIN assembly_items i"
                               " ON i.assembly_id = s.id AND i.id = ?3"
                               " WHERE s.id = ?1 AND s.community_id = ?2 AND s.state <> 'closed'";
    /* positions made distinct first (0, 1, 2, ... in the order), then swapped */
    static const char renumber[] =
        "UPDATE assembly_items SET position = (SELECT count(*) FROM assembly_items o"
        " WHERE o.assembly_id = assembly_items.assembly_id AND (o.position < "
        "assembly_items.position"
        " OR (o.position = assembly_items.position AND o.id < assembly_items.id)))"
        " WHERE assembly_id = ?1";
    static const char pos[] = "SELECT position FROM assembly_items WHERE id = ?1";
    static const char put[] = "UPDATE assembly_items SET position = ?2 WHERE id = ?1";
    if (db_int(w, 0, live, "iii", id, cid, item) != 1) return WR_NOT_FOUND;
    int64_t other = db_int(w, 0, dir < 0 ? up : down, "ii", item, id);
    if (other == 0) return wr_fail(w, WR_CONFLICT, "meeting.asm.error.edge");
    if (db_exec(w, renumber, "i", id) < 0) return wr_from_error(w);
    int64_t a = db_int(w, -1, pos, "i", item), b = db_int(w, -1, pos, "i", other);
    if (a < 0 || b < 0) return WR_DB;
    if (db_exec(w, put, "ii", item, b) != 1 || db_exec(w, put, "ii", other, a) != 1)
        return wr_from_error(w);
    return WR_OK;
}

json_t *asm_items(struct dbc *c, const struct vmask *m, int64_t id)
{
    static const char sql[] =
        "SELECT i.id, unseal(i.title, i.community_id, 'assembly_items.title') AS title,"
        " CASE WHEN i.document = '' THEN ''"
        "  ELSE unseal(i.document, i.community_id, 'assembly_items.document') END AS document"
        " FROM assembly_items i WHERE i.assembly_id = ?1 ORDER BY i.position, i.id LIMIT 200";
    return db_view_rows(c, m, sql, "i", id);
}

enum wr asm_presence_set(struct dbc *w, int64_t cid, int64_t id, int64_t member, const char *how)
{
    static const char state[] = "SELECT state FROM assemblies WHERE id = ?1 AND community_id = ?2";
    /* the room's mark wins over an online one: a person seen in the room
     * is in the room; joining online never turns a room mark into online */
    static const char sql[] =
        "INSERT INTO assembly_presence(assembly_id, member_id, how, marked_at)"
        " SELECT ?1, m.id, ?3, ?4 FROM members m WHERE m.id = ?2 AND m.community_id = ?5"
        " ON CONFLICT(assembly_id, member_id) DO UPDATE SET how = excluded.how"
        "  WHERE excluded.how = 'room'";
    char *st = db_text(w, state, "ii", id, cid);
    if (!st) return WR_NOT_FOUND;
    int closed = !strcmp(st, "closed"), open = !strcmp(st, "open");
    free(st);
    if (closed) return wr_fail(w, WR_CONFLICT, "meeting.asm.error.closed");
    if (str_eq(how, "online") && !open)
        return wr_fail(w, WR_CONFLICT, "meeting.asm.error.not_open");
    if (!is_member(w, cid, member) || member == 0)
        return wr_fail(w, WR_INVALID, "meeting.asm.error.not_member");
    if (db_exec(w, sql, "iitii", id, member, how, now_s(), cid) < 0) return wr_from_error(w);
    return WR_OK;
}

enum wr asm_presence_clear(struct dbc *w, int64_t cid, int64_t id, int64_t member)
{
    static const char sql[] =
        "DELETE FROM assembly_presence WHERE assembly_id = ?1 AND member_id = ?2"
        " AND (SELECT state FROM assemblies WHERE id = ?1 AND community_id = ?3) <> 'closed'";
    if (db_exec(w, sql, "iii", id, member, cid) < 0) return wr_from_error(w);
    return WR_OK;
}

json_t *asm_present(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT p.member_id, coalesce(unseal(m.name, m.community_id, 'members.name'), '') AS name,"
        " p.how FROM assembly_presence p JOIN members m ON m.id = p.member_id"
        " WHERE p.assembly_id = ?1 AND m.community_id = ?2 ORDER BY m.name, m.id LIMIT 20000";
    return db_rows(c, sql, "ii", id, cid);
}

json_t *asm_roll(struct dbc *c, int64_t cid, int64_t id, int64_t limit)
{
    static const char sql[] =
        "SELECT m.id,"
        " coalesce(unseal(m.name, m.community_id, 'members.name'), '') AS name,"
        " p.how FROM members m LEFT JOIN assembly_presence p"
        " ON p.assembly_id = ?1 AND p.member_id = m.id"
        " WHERE m.community_id = ?2 ORDER BY m.name, m.id LIMIT ?3";
    return db_rows(c, sql, "iii", id, cid, limit);
}

json_t *asm_people(struct dbc *c, int64_t cid, int64_t limit)
{
    static const char sql[] =
        "SELECT m.id, coalesce(unseal(m.name, m.community_id, 'members.name'), '') AS name"
        " FROM members m WHERE m.community_id = ?1 ORDER BY m.name, m.id LIMIT ?2";
    return db_rows(c, sql, "ii", cid, limit);
}

int asm_seal_texts(struct dbc *w, int64_t cid)
{
    static const char *const sql[] = {
        "UPDATE assembly_items SET title = seal(title, ?1, 'assembly_items.title'),"
        " document = CASE WHEN document = '' THEN '' ELSE"
        "  seal(document, ?1, 'assembly_items.document') END"
        " WHERE community_id = ?1",
        "UPDATE assembly_proposals SET text = seal(text, ?1, 'assembly_proposals.text')"
        " WHERE community_id = ?1",
        "UPDATE assembly_decisions SET text = seal(text, ?1, 'assembly_decisions.text')"
        " WHERE community_id = ?1",
        "UPDATE assembly_votes SET reason = CASE WHEN reason = '' THEN '' ELSE"
        "  seal(reason, ?1, 'assembly_votes.reason') END WHERE community_id = ?1",
    };
    return db_exec_each(w, sql, sizeof sql / sizeof sql[0], cid);
}
