/* The SQL of the strategy area's values, votes, texts and canvas (the plan
 * is in model_plan.c). Every statement names the community. A page's
 * write returns enum wr and holds its rule in its WHERE; the *_add, *_vote
 * and *_save functions without rules are the demo's and the bench's. */
#include "areas/strategy/strategy.h"
#include "core/db.h"
#include "core/notify.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

/* The SQL that says "the viewer is staff of the community", evaluated in
 * the statement itself so that a role taken away between reading the page
 * and writing is seen by the write. Parameters: community, member. The
 * area's "who" is the viewer's member id in the community (r->comm->
 * member_id), never an account: migration 051. */
#define STAFF_OF                                                                                   \
    "EXISTS (SELECT 1 FROM members m WHERE m.community_id = ? AND m.id = ?"                        \
    " AND m.role IN ('organizer', 'facilitator'))"

static const char *col_text(struct arena *a, sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? arena_strdup(a, s) : NULL;
}

void strategy_settings_get(struct dbc *c, int64_t cid, struct strategy_settings *s)
{
    static const char sql[] = "SELECT vote_days, majority_pct, quorum_pct FROM strategy_settings"
                              " WHERE community_id = ?";
    s->vote_days = 14;
    s->majority_pct = 50;
    s->quorum_pct = 33;
    sqlite3_stmt *st = db_prepare(c, sql, "i", cid);
    if (st && sqlite3_step(st) == SQLITE_ROW) {
        s->vote_days = sqlite3_column_int64(st, 0);
        s->majority_pct = sqlite3_column_int64(st, 1);
        s->quorum_pct = sqlite3_column_int64(st, 2);
    }
    db_done(st);
}

enum wr strategy_settings_set(struct dbc *w, int64_t cid, const struct strategy_settings *s)
{
    /* Saved unchanged, the row is left as it is. */
    static const char sql[] =
        "INSERT INTO strategy_settings(community_id, vote_days, majority_pct, quorum_pct)"
        " VALUES(?, ?, ?, ?) ON CONFLICT(community_id) DO UPDATE SET vote_days = "
        "excluded.vote_days,"
        " majority_pct = excluded.majority_pct, quorum_pct = excluded.quorum_pct"
        " WHERE vote_days IS NOT excluded.vote_days OR majority_pct IS NOT excluded.majority_pct"
        " OR quorum_pct IS NOT excluded.quorum_pct";
    int n = db_exec(w, sql, "iiii", cid, s->vote_days, s->majority_pct, s->quorum_pct);
    return n < 0 ? wr_from_error(w) : WR_OK;
}

/* ---- personal values and goals ---- */

json_t *personal_list_mine(struct dbc *c, const struct vmask *m, int64_t cid, int64_t member)
{
    static const char sql[] =
        "SELECT id, kind, unseal(text, community_id, 'personal_values.text') AS text, shared_with"
        " FROM personal_values"
        " WHERE community_id = ? AND member_id = ? ORDER BY kind DESC, id";
    return db_view_rows(c, m, sql, "ii", cid, member);
}

json_t *personal_list_shared(struct dbc *c, const struct vmask *m, int64_t cid, int64_t viewer,
                             int staff)
{
    static const char sql[] =
        "SELECT p.id, p.kind, unseal(p.text, p.community_id, 'personal_values.text') AS text,"
        " p.shared_with, unseal(a.name, a.community_id, 'members.name') AS author"
        " FROM personal_values p JOIN members a ON a.id = p.member_id"
        " WHERE p.community_id = ? AND p.member_id <> ?"
        "  AND (p.shared_with = 'members' OR (p.shared_with = 'organizers' AND ? = 1))"
        " ORDER BY p.kind DESC, p.id LIMIT 1000";
    return db_view_rows(c, m, sql, "iii", cid, viewer, (int64_t)(staff ? 1 : 0));
}

int64_t personal_add(struct dbc *w, int64_t cid, int64_t member, const char *kind, const char *text,
                     const char *shared_with)
{
    static const char sql[] = "INSERT INTO personal_values(community_id, member_id, kind, text,"
                              " shared_with, created_at)"
                              " VALUES(?1, ?2, ?3, seal(?4, ?1, 'personal_values.text'), ?5, ?6)";
    if (db_exec(w, sql, "iittti", cid, member, kind, text, shared_with, now_s()) != 1) return -1;
    return db_last_id(w);
}

enum wr personal_create(struct dbc *w, int64_t cid, int64_t member, const char *kind,
                        const char *text, const char *shared_with)
{
    return personal_add(w, cid, member, kind, text, shared_with) > 0 ? WR_OK : wr_from_error(w);
}

enum wr personal_delete(struct dbc *w, int64_t cid, int64_t member, int64_t id)
{
    static const char sql[] =
        "DELETE FROM personal_values WHERE id = ? AND community_id = ? AND member_id = ?";
    return wr_changed(w, db_exec(w, sql, "iii", id, cid, member), WR_NOT_FOUND);
}

int personal_linkable(struct dbc *c, int64_t cid, int64_t viewer, int staff, int64_t id)
{
    static const char sql[] =
        "SELECT count(*) FROM personal_values WHERE id = ? AND community_id = ? AND kind = 'value'"
        " AND (member_id = ? OR shared_with = 'members' OR (shared_with = 'organizers' AND ? = "
        "1))";
    return db_int(c, 0, sql, "iiii", id, cid, viewer, (int64_t)(staff ? 1 : 0)) > 0;
}

int personal_find(struct dbc *c, struct arena *a, int64_t cid, int64_t member, int64_t id,
                  struct personal *out)
{
    static const char sql[] =
        "SELECT p.id, p.kind, unseal(p.text, p.community_id, 'personal_values.text'),"
        " (SELECT count(*) FROM shared_value_roots r"
        "  WHERE r.personal_value_id = p.id) AS roots"
        " FROM personal_values p WHERE p.id = ? AND p.community_id = ? AND p.member_id = ?";
    sqlite3_stmt *st = db_prepare(c, sql, "iii", id, cid, member);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) {
        out->id = sqlite3_column_int64(st, 0);
        out->kind = col_text(a, st, 1);
        out->text = col_text(a, st, 2);
        out->roots = sqlite3_column_int64(st, 3);
    }
    db_done(st);
    return rc;
}

/* ---- votes: rows for a view, their facts for the logic ---- */

/* Steps st, whose first eight columns are the facts (id, closes_at, yes,
 * no, my_vote, mine, ended_early, close_reason) and whose others feed the
 * view through m; *out gets the facts of each row, in the arena. */
static json_t *vote_rows(struct arena *a, const struct vmask *m, sqlite3_stmt *st,
                         struct vote_facts **out)
{
    json_t *rows = json_array();
    size_t n = 0, cap = 16;
    struct vote_facts *f = arena_alloc(a, cap * sizeof *f);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) {
            struct vote_facts *g = arena_alloc(a, cap * 2 * sizeof *g);
            memcpy(g, f, n * sizeof *f);
            f = g;
            cap *= 2;
        }
        struct vote_facts *x = &f[n++];
        x->id = sqlite3_column_int64(st, 0);
        x->closes_at = sqlite3_column_int64(st, 1); /* NULL: 0, not voted on */
        x->yes = sqlite3_column_int64(st, 2);
        x->no = sqlite3_column_int64(st, 3);
        x->my_vote = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 4);
        x->mine = sqlite3_column_int(st, 5) != 0;
        x->ended_early = col_text(a, st, 6);
        x->close_reason = col_text(a, st, 7);
        json_t *o = json_object();
        db_view_put(st, m, o);
        json_array_append_new(rows, o);
    }
    db_done(st);
    *out = f;
    return rows;
}

json_t *values_list(struct dbc *c, struct arena *a, const struct vmask *m, int64_t cid,
                    int64_t viewer, const char *former, struct vote_facts **facts)
{
    static const char sql[] =
        "SELECT v.id AS f_id, v.closes_at AS f_closes_at,"
        " (SELECT count(*) FROM value_votes x WHERE x.shared_value_id = v.id AND x.yes = 1) AS yes,"
        " (SELECT count(*) FROM value_votes x WHERE x.shared_value_id = v.id AND x.yes = 0) AS no,"
        " (SELECT x.yes FROM value_votes x WHERE x.shared_value_id = v.id AND x.member_id = ?1)"
        "   AS my_vote, (v.proposer_member = ?1) AS mine, v.ended_early,"
        " unseal(v.close_reason, v.community_id, 'shared_values.close_reason') AS close_reason,"
        " v.id, unseal(v.title, v.community_id, 'shared_values.title') AS title,"
        " unseal(v.description, v.community_id, 'shared_values.description') AS description,"
        " CASE WHEN v.proposer_member IS NULL THEN ?3"
        " ELSE unseal(a.name, a.community_id, 'members.name') END AS proposer,"
        " date(v.opens_at, 'unixepoch') AS opens, date(v.closes_at, 'unixepoch') AS closes,"
        " (SELECT count(DISTINCT p.member_id) FROM shared_value_roots r"
        "   JOIN personal_values p ON p.id = r.personal_value_id"
        "   WHERE r.shared_value_id = v.id) AS holders,"
        " (SELECT group_concat(unseal(p.text, p.community_id, 'personal_values.text'), ' · ')"
        "   FROM shared_value_roots r"
        "   JOIN personal_values p ON p.id = r.personal_value_id"
        "   WHERE r.shared_value_id = v.id AND (p.shared_with = 'members' OR p.member_id = ?1))"
        "   AS roots"
        " FROM shared_values v LEFT JOIN members a ON a.id = v.proposer_member"
        " WHERE v.community_id = ?2 ORDER BY v.closes_at DESC, v.id DESC LIMIT 500";
    sqlite3_stmt *st = db_prepare(c, sql, "iit", viewer, cid, former);
    if (!st) {
        *facts = NULL;
        return json_array();
    }
    return vote_rows(a, m, st, facts);
}

json_t *text_history(struct dbc *c, struct arena *a, const struct vmask *m, int64_t cid,
                     const char *kind, int64_t viewer, const char *former,
                     struct vote_facts **facts)
{
    static const char sql[] =
        "SELECT t.id AS f_id, t.closes_at AS f_closes_at,"
        " (SELECT count(*) FROM text_votes x WHERE x.text_id = t.id AND x.yes = 1) AS f_yes,"
        " (SELECT count(*) FROM text_votes x WHERE x.text_id = t.id AND x.yes = 0) AS f_no,"
        " (SELECT x.yes FROM text_votes x WHERE x.text_id = t.id AND x.member_id = ?1) AS my_vote,"
        " 0 AS mine, t.ended_early,"
        " unseal(t.close_reason, t.community_id, 'strategy_texts.close_reason') AS close_reason,"
        " t.id, unseal(t.body, t.community_id, 'strategy_texts.body') AS body,"
        " CASE WHEN t.author_member IS NULL THEN ?4"
        " ELSE unseal(a.name, a.community_id, 'members.name') END AS author,"
        " datetime(t.created_at, 'unixepoch') AS at, date(t.closes_at, 'unixepoch') AS f_closes"
        " FROM strategy_texts t LEFT JOIN members a ON a.id = t.author_member"
        " WHERE t.community_id = ?2 AND t.kind = ?3"
        " ORDER BY t.created_at DESC, t.id DESC LIMIT 200";
    sqlite3_stmt *st = db_prepare(c, sql, "iitt", viewer, cid, kind, former);
    if (!st) {
        *facts = NULL;
        return json_array();
    }
    return vote_rows(a, m, st, facts);
}

/* The facts of one vote from st, a statement of its closes_at and tally
 * prepared on the writer inside its transaction when deciding. 0, or -1
 * when there is none. Finishes st. */
static int vote_one(sqlite3_stmt *st, int64_t id, struct vote_facts *f)
{
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    memset(f, 0, sizeof *f);
    f->my_vote = -1;
    if (rc == 0) {
        f->id = id;
        f->closes_at = sqlite3_column_int64(st, 0);
        f->yes = sqlite3_column_int64(st, 1);
        f->no = sqlite3_column_int64(st, 2);
    }
    db_done(st);
    return rc;
}

int value_vote_facts(struct dbc *c, int64_t cid, int64_t id, struct vote_facts *f)
{
    static const char sql[] =
        "SELECT v.closes_at,"
        " (SELECT count(*) FROM value_votes x WHERE x.shared_value_id = v.id AND x.yes = 1),"
        " (SELECT count(*) FROM value_votes x WHERE x.shared_value_id = v.id AND x.yes = 0)"
        " FROM shared_values v WHERE v.id = ? AND v.community_id = ?";
    return vote_one(db_prepare(c, sql, "ii", id, cid), id, f);
}

int text_vote_facts(struct dbc *c, int64_t cid, const char *kind, int64_t id, struct vote_facts *f)
{
    /* A version's vote: of this kind, and put to the vote at all. */
    static const char sql[] =
        "SELECT t.closes_at,"
        " (SELECT count(*) FROM text_votes x WHERE x.text_id = t.id AND x.yes = 1),"
        " (SELECT count(*) FROM text_votes x WHERE x.text_id = t.id AND x.yes = 0)"
        " FROM strategy_texts t WHERE t.id = ? AND t.community_id = ? AND t.kind = ?"
        " AND t.closes_at IS NOT NULL";
    return vote_one(db_prepare(c, sql, "iit", id, cid, kind), id, f);
}

/* ---- shared values ---- */

int64_t value_propose(struct dbc *w, int64_t cid, int64_t by, const char *title,
                      const char *description, int64_t closes_at, const int64_t *roots, int nroots)
{
    static const char sql[] = "INSERT INTO shared_values(community_id, proposer_member, title,"
                              " description, opens_at, closes_at) VALUES(?1, ?2,"
                              " seal(?3, ?1, 'shared_values.title'),"
                              " seal(?4, ?1, 'shared_values.description'), ?5, ?6)";
    static const char root[] =
        "INSERT OR IGNORE INTO shared_value_roots(shared_value_id, personal_value_id)"
        " SELECT ?, id FROM personal_values WHERE id = ? AND community_id = ?";
    if (db_exec(w, sql, "iittii", cid, by, title, description ? description : "", now_s(),
                closes_at) != 1)
        return -1;
    int64_t id = db_last_id(w);
    for (int i = 0; i < nroots; i++)
        if (db_exec(w, root, "iii", id, roots[i], cid) < 0) return -1;
    return id;
}

enum wr value_create(struct dbc *w, int64_t cid, int64_t by, int staff, const char *title,
                     const char *description, int64_t closes_at, const int64_t *roots, int nroots)
{
    /* Each root still one the proposer may link: shared with them (not
     * made private since the page was read) or their own. */
    for (int i = 0; i < nroots; i++)
        if (!personal_linkable(w, cid, by, staff, roots[i]))
            return wr_fail(w, WR_CONFLICT, "strategy.error.root");
    int64_t id = value_propose(w, cid, by, title, description, closes_at, roots, nroots);
    if (id <= 0) return wr_from_error(w);
    /* the vote is open from now: every member but the proposer hears of
     * it, in this transaction */
    return notify_members(w, cid, STRATEGY_NOTIFY_VALUE_VOTE, id, NOTIFY_TO_COMMUNITY, by,
                          now_s()) < 0
               ? WR_DB
               : WR_OK;
}

static const char VALUE_EXISTS[] =
    "SELECT count(*) FROM shared_values WHERE id = ? AND community_id = ?";

int value_in_community(struct dbc *c, int64_t cid, int64_t id)
{
    return db_int(c, 0, VALUE_EXISTS, "ii", id, cid) > 0;
}

int vote_put(struct dbc *w, enum vote_on on, int64_t id, int64_t member, int yes)
{
    static const char *const sql[] = {
        [VOTE_ON_VALUE] =
            "INSERT INTO value_votes(shared_value_id, member_id, yes, voted_at) VALUES(?, ?, ?, ?)"
            " ON CONFLICT(shared_value_id, member_id) DO UPDATE SET yes = excluded.yes,"
            " voted_at = excluded.voted_at",
        [VOTE_ON_TEXT] = "INSERT INTO text_votes(text_id, member_id, yes, voted_at)"
                         " VALUES(?, ?, ?, ?) ON CONFLICT(text_id, member_id)"
                         " DO UPDATE SET yes = excluded.yes, voted_at = excluded.voted_at"};
    return db_exec(w, sql[on], "iiii", id, member, (int64_t)(yes ? 1 : 0), now_s()) == 1 ? 0 : -1;
}

/* A write on an open vote (a cast, an early end) that changed n rows. None
 * changed: 404 when exists (a count of the object by id and community)
 * finds none, else the vote was over (409 closed_key). */
static enum wr open_vote_write(struct dbc *w, int n, const char *exists, int64_t id, int64_t cid,
                               const char *closed_key)
{
    if (n != 0) return wr_changed(w, n, WR_DB);
    if (exists && db_int(w, 0, exists, "ii", id, cid) == 0) return WR_NOT_FOUND;
    return wr_fail(w, WR_CONFLICT, closed_key);
}

/* {id, title, description, proposed_by (a member id), closes_at, votes, rules}. */
int value_edit_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id,
                    struct shared_value *out)
{
    static const char sql[] =
        "SELECT v.id, unseal(v.title, v.community_id, 'shared_values.title'),"
        " unseal(v.description, v.community_id, 'shared_values.description'),"
        " coalesce(v.proposer_member, 0), v.closes_at,"
        " (SELECT count(*) FROM value_votes x WHERE x.shared_value_id = v.id),"
        " (SELECT count(*) FROM rule_values r WHERE r.shared_value_id = v.id)"
        " FROM shared_values v WHERE v.id = ? AND v.community_id = ?";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", id, cid);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) {
        out->id = sqlite3_column_int64(st, 0);
        out->title = col_text(a, st, 1);
        out->description = col_text(a, st, 2);
        out->proposed_by = sqlite3_column_int64(st, 3);
        out->closes_at = sqlite3_column_int64(st, 4);
        out->votes = sqlite3_column_int64(st, 5);
        out->rules = sqlite3_column_int64(st, 6);
    }
    db_done(st);
    return rc;
}

/* Nothing changed: gone (404), voted on by now (an edit), or not the
 * viewer's to change. */
static enum wr value_why(struct dbc *w, int64_t cid, int64_t id, int edit, const char *not_yours)
{
    static const char votes[] =
        "SELECT count(*) FROM value_votes x JOIN shared_values v ON v.id = x.shared_value_id"
        " WHERE v.id = ? AND v.community_id = ?";
    if (!value_in_community(w, cid, id)) return WR_NOT_FOUND;
    if (edit && db_int(w, 0, votes, "ii", id, cid) > 0)
        return wr_fail(w, WR_CONFLICT, "strategy.conflict.voted");
    return wr_fail(w, WR_CONFLICT, not_yours);
}

enum wr value_update(struct dbc *w, int64_t cid, int64_t id, int64_t member, const char *title,
                     const char *description)
{
    /* Only before anyone voted, and only by its proposer or the staff: a
     * value people have voted on is what they voted for. Saved unchanged,
     * nothing is written. */
    static const char sql[] =
        "UPDATE shared_values SET title = seal(?1, ?4, 'shared_values.title'),"
        " description = seal(?2, ?4, 'shared_values.description') WHERE id = ?3 AND community_id = "
        "?4"
        " AND NOT EXISTS (SELECT 1 FROM value_votes x WHERE x.shared_value_id = shared_values.id)"
        " AND (proposer_member = ?5 OR EXISTS (SELECT 1 FROM members m WHERE m.community_id = ?4"
        "  AND m.id = ?5 AND m.role IN ('organizer', 'facilitator')))";
    const char *d = description ? description : "";
    int n = db_exec(w, sql, "ttiii", title, d, id, cid, member);
    if (n > 0) return WR_OK;
    if (n < 0) return wr_from_error(w);
    return value_why(w, cid, id, 1, "strategy.error.not_proposer");
}

enum wr value_delete(struct dbc *w, int64_t cid, int64_t id, int64_t member)
{
    /* The staff remove any value; its proposer one nobody voted on yet. */
    static const char sql[] =
        "DELETE FROM shared_values WHERE id = ? AND community_id = ? AND (" STAFF_OF
        " OR (proposer_member = ? AND NOT EXISTS"
        "  (SELECT 1 FROM value_votes x WHERE x.shared_value_id = shared_values.id)))";
    int n = db_exec(w, sql, "iiiii", id, cid, cid, member, member);
    if (n != 0) return wr_changed(w, n, WR_DB);
    return value_why(w, cid, id, 0, "strategy.error.value_delete");
}

/* ---- the Dilts canvas ---- */

json_t *dilts_list(struct dbc *c, const struct vmask *m, int64_t cid)
{
    static const char sql[] =
        "SELECT id, level, unseal(text, community_id, 'dilts_entries.text') AS text"
        " FROM dilts_entries WHERE community_id = ? ORDER BY id";
    return db_view_rows(c, m, sql, "i", cid);
}

enum wr dilts_add(struct dbc *w, int64_t cid, const char *level, const char *text)
{
    static const char sql[] = "INSERT INTO dilts_entries(community_id, level, text, created_at)"
                              " VALUES(?1, ?2, seal(?3, ?1, 'dilts_entries.text'), ?4)";
    return wr_changed(w, db_exec(w, sql, "itti", cid, level, text, now_s()), WR_DB);
}

enum wr dilts_delete(struct dbc *w, int64_t cid, int64_t id)
{
    static const char sql[] = "DELETE FROM dilts_entries WHERE id = ? AND community_id = ?";
    return wr_changed(w, db_exec(w, sql, "ii", id, cid), WR_NOT_FOUND);
}

int dilts_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id, struct dilts_entry *out)
{
    static const char sql[] =
        "SELECT id, level, unseal(text, community_id, 'dilts_entries.text') AS text"
        " FROM dilts_entries WHERE id = ? AND community_id = ?";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", id, cid);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) {
        out->id = sqlite3_column_int64(st, 0);
        out->level = col_text(a, st, 1);
        out->text = col_text(a, st, 2);
    }
    db_done(st);
    return rc;
}

enum wr dilts_update(struct dbc *w, int64_t cid, int64_t id, const char *level, const char *text)
{
    static const char sql[] =
        "UPDATE dilts_entries SET level = ?1, text = seal(?2, ?4, 'dilts_entries.text')"
        " WHERE id = ?3 AND community_id = ?4";
    return wr_changed(w, db_exec(w, sql, "ttii", level, text, id, cid), WR_NOT_FOUND);
}

/* ---- vision, mission, manifesto ---- */

char *text_current_body(struct dbc *c, int64_t cid, const char *kind)
{
    static const char sql[] =
        "SELECT unseal(t.body, t.community_id, 'strategy_texts.body') FROM strategy_texts t"
        " WHERE t.community_id = ? AND t.kind = ?"
        " ORDER BY t.created_at DESC, t.id DESC LIMIT 1";
    return db_text(c, sql, "it", cid, kind);
}

int64_t text_save(struct dbc *w, int64_t cid, const char *kind, const char *body, int64_t author,
                  int64_t closes_at)
{
    static const char sql[] =
        "INSERT INTO strategy_texts(community_id, kind, body, author_member,"
        " created_at, closes_at) VALUES(?1, ?2, seal(?3, ?1, 'strategy_texts.body'),"
        " nullif(?4, 0), ?5, nullif(?6, 0))";
    if (db_exec(w, sql, "ittiii", cid, kind, body, author, now_s(), closes_at) != 1) return -1;
    return db_last_id(w);
}

enum wr text_create(struct dbc *w, int64_t cid, const char *kind, const char *body, int64_t author,
                    int64_t closes_at)
{
    int64_t id = text_save(w, cid, kind, body, author, closes_at);
    if (id <= 0) return wr_from_error(w);
    /* a version put to the vote: every member but its author hears of it */
    if (closes_at > 0 && notify_members(w, cid, STRATEGY_NOTIFY_TEXT_VOTE, id, NOTIFY_TO_COMMUNITY,
                                        author, now_s()) < 0)
        return WR_DB;
    return WR_OK;
}

/* ---- casting and ending votes: a shared value's or a text version's ---- */

static enum wr vote_cast(struct dbc *w, enum vote_on on, int64_t cid, int64_t id, int64_t member,
                         int yes, int64_t now)
{
    /* One row per member (the key), changed while the vote is open: before
     * its deadline, which ending it early moves to the moment it ended. */
    static const char *const sql[] = {
        [VOTE_ON_VALUE] = "INSERT INTO value_votes(shared_value_id, member_id, yes, voted_at)"
                          " SELECT v.id, ?, ?, ? FROM shared_values v"
                          "  WHERE v.id = ? AND v.community_id = ? AND v.closes_at > ?"
                          " ON CONFLICT(shared_value_id, member_id)"
                          " DO UPDATE SET yes = excluded.yes, voted_at = excluded.voted_at",
        [VOTE_ON_TEXT] = "INSERT INTO text_votes(text_id, member_id, yes, voted_at)"
                         " SELECT t.id, ?, ?, ? FROM strategy_texts t"
                         "  WHERE t.id = ? AND t.community_id = ? AND t.closes_at > ?"
                         " ON CONFLICT(text_id, member_id)"
                         " DO UPDATE SET yes = excluded.yes, voted_at = excluded.voted_at"};
    static const char *const exists[] = {
        [VOTE_ON_VALUE] = VALUE_EXISTS,
        [VOTE_ON_TEXT] = "SELECT count(*) FROM strategy_texts WHERE id = ? AND community_id = ?"};
    static const char *const closed[] = {[VOTE_ON_VALUE] = "strategy.error.vote_closed",
                                         [VOTE_ON_TEXT] = "strategy.error.vote_closed_text"};
    int n = db_exec(w, sql[on], "iiiiii", member, (int64_t)(yes ? 1 : 0), now, id, cid, now);
    return open_vote_write(w, n, exists[on], id, cid, closed[on]);
}

enum wr value_cast(struct dbc *w, int64_t cid, int64_t id, int64_t member, int yes, int64_t now)
{
    return vote_cast(w, VOTE_ON_VALUE, cid, id, member, yes, now);
}

enum wr text_cast(struct dbc *w, int64_t cid, int64_t id, int64_t member, int yes, int64_t now)
{
    return vote_cast(w, VOTE_ON_TEXT, cid, id, member, yes, now);
}

static enum wr vote_end(struct dbc *w, enum vote_on on, int64_t cid, int64_t id, const char *why,
                        const char *reason)
{
    static const char *const sql[] = {
        [VOTE_ON_VALUE] = "UPDATE shared_values SET closes_at = ?1, ended_early = ?2,"
                          " close_reason = seal(?3, ?5, 'shared_values.close_reason')"
                          " WHERE id = ?4 AND community_id = ?5 AND closes_at > ?6",
        [VOTE_ON_TEXT] = "UPDATE strategy_texts SET closes_at = ?1, ended_early = ?2,"
                         " close_reason = seal(?3, ?5, 'strategy_texts.close_reason')"
                         " WHERE id = ?4 AND community_id = ?5 AND closes_at > ?6"};
    int64_t now = now_s();
    int n = db_exec(w, sql[on], "ittiii", now, why, reason, id, cid, now);
    /* versions are never deleted: the one named exists (read before) */
    return open_vote_write(w, n, on == VOTE_ON_VALUE ? VALUE_EXISTS : NULL, id, cid,
                           "strategy.conflict.vote_over");
}

enum wr value_end(struct dbc *w, int64_t cid, int64_t id, const char *why, const char *reason)
{
    return vote_end(w, VOTE_ON_VALUE, cid, id, why, reason);
}

enum wr text_end(struct dbc *w, int64_t cid, int64_t id, const char *why, const char *reason)
{
    return vote_end(w, VOTE_ON_TEXT, cid, id, why, reason);
}

/* ---- sealing (docs/architecture.md, "Sealing, step 3: texts") ---- */

int strategy_seal_texts(struct dbc *w, int64_t community_id)
{
    /* Every text people wrote; kinds, statuses, dates, amounts and votes
     * stay as they are (docs/threat-model.md says why). */
    static const char *const sql[] = {
        "UPDATE personal_values SET text = seal(text, community_id, 'personal_values.text')"
        " WHERE community_id = ?",
        "UPDATE shared_values SET title = seal(title, community_id, 'shared_values.title'),"
        " description = seal(description, community_id, 'shared_values.description'),"
        " close_reason = seal(close_reason, community_id, 'shared_values.close_reason')"
        " WHERE community_id = ?",
        "UPDATE strategy_texts SET body = seal(body, community_id, 'strategy_texts.body'),"
        " close_reason = seal(close_reason, community_id, 'strategy_texts.close_reason')"
        " WHERE community_id = ?",
        "UPDATE dilts_entries SET text = seal(text, community_id, 'dilts_entries.text')"
        " WHERE community_id = ?",
        "UPDATE rules SET text = seal(text, community_id, 'rules.text') WHERE community_id = ?",
        "UPDATE goals SET title = seal(title, community_id, 'goals.title') WHERE community_id = ?",
        "UPDATE actions SET title = seal(title, community_id, 'actions.title'),"
        " skills = seal(skills, community_id, 'actions.skills') WHERE community_id = ?",
    };
    return db_exec_each(w, sql, sizeof sql / sizeof sql[0], community_id);
}

json_t *values_closing(struct dbc *c, int64_t from, int64_t to)
{
    static const char sql[] = "SELECT community_id, id, closes_at AS due FROM shared_values"
                              " WHERE closes_at > ?1 AND closes_at <= ?2 AND opens_at <= ?1"
                              " AND ended_early IS NULL";
    return db_rows(c, sql, "ii", from, to);
}
