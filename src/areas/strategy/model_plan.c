/* The SQL of the strategy area's plan: goals, actions, pledges, rules, and
 * the facts the checks of the typical mistakes look at. As in model.c, a
 * page's write returns enum wr with its rule in the statement; the *_add
 * functions without rules are the demo's and the bench's. */
#include "areas/strategy/strategy.h"
#include "core/db.h"
#include "core/notify.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

static const char *col_text(struct arena *a, sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? arena_strdup(a, s) : NULL;
}

/* ---- goals ---- */

json_t *goals_list(struct dbc *c, int64_t cid)
{
    static const char sql[] = "SELECT id, coalesce(parent_id, 0) AS parent_id,"
                              " unseal(title, community_id, 'goals.title') AS title FROM goals"
                              " WHERE community_id = ? ORDER BY id LIMIT 2000";
    return db_rows(c, sql, "i", cid);
}

int64_t goal_add(struct dbc *w, int64_t cid, int64_t parent, const char *title)
{
    static const char sql[] = "INSERT INTO goals(community_id, parent_id, title, created_at)"
                              " VALUES(?1, nullif(?2, 0), seal(?3, ?1, 'goals.title'), ?4)";
    if (db_exec(w, sql, "iiti", cid, parent, title, now_s()) != 1) return -1;
    return db_last_id(w);
}

int goal_exists(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] = "SELECT count(*) FROM goals WHERE id = ? AND community_id = ?";
    return db_int(c, 0, sql, "ii", id, cid) > 0;
}

enum wr goal_create(struct dbc *w, int64_t cid, int64_t parent, const char *title)
{
    /* Under a goal that is still the community's. */
    static const char sql[] =
        "INSERT INTO goals(community_id, parent_id, title, created_at)"
        " SELECT ?1, nullif(?2, 0), seal(?3, ?1, 'goals.title'), ?4 WHERE ?2 = 0"
        "  OR EXISTS (SELECT 1 FROM goals WHERE id = ?2 AND community_id = ?1)";
    int n = db_exec(w, sql, "iiti", cid, parent, title, now_s());
    return n == 0 ? wr_fail(w, WR_CONFLICT, "strategy.error.goal") : wr_changed(w, n, WR_DB);
}

/* 1 if parent under goal would close a loop, read on c. */
static int goal_cycles(struct dbc *c, int64_t cid, int64_t goal, int64_t parent)
{
    static const char sql[] =
        "SELECT id, coalesce(parent_id, 0) FROM goals WHERE community_id = ? ORDER BY id";
    size_t n = 0, cap = 64;
    int64_t *ids = xcalloc(cap, sizeof *ids), *parents = xcalloc(cap, sizeof *parents);
    sqlite3_stmt *st = db_prepare(c, sql, "i", cid);
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) {
            cap *= 2;
            ids = xrealloc(ids, cap * sizeof *ids);
            parents = xrealloc(parents, cap * sizeof *parents);
        }
        ids[n] = sqlite3_column_int64(st, 0);
        parents[n++] = sqlite3_column_int64(st, 1);
    }
    db_done(st);
    int cyc = goal_would_cycle(ids, parents, (int)n, goal, parent);
    free(ids);
    free(parents);
    return cyc;
}

int goal_would_loop(struct dbc *c, int64_t cid, int64_t goal, int64_t parent)
{
    return parent > 0 && goal_cycles(c, cid, goal, parent);
}

enum wr goal_update(struct dbc *w, int64_t cid, int64_t id, int64_t parent, const char *title)
{
    /* The tree is read on the writer: two moves that are each fine alone
     * cannot together close a loop. A NULL title keeps the title. */
    static const char sql[] =
        "UPDATE goals SET parent_id = nullif(?1, 0),"
        " title = CASE WHEN ?2 IS NULL THEN title ELSE seal(?2, ?4, 'goals.title') END"
        " WHERE id = ?3 AND community_id = ?4"
        " AND (parent_id IS NOT nullif(?1, 0)"
        "  OR (?2 IS NOT NULL AND unseal(title, ?4, 'goals.title') IS NOT ?2))";
    if (!goal_exists(w, cid, id)) return WR_NOT_FOUND;
    if (parent != 0 && !goal_exists(w, cid, parent))
        return wr_fail(w, WR_CONFLICT, "strategy.error.goal");
    if (parent == id || goal_would_loop(w, cid, id, parent))
        return wr_fail(w, WR_CONFLICT, "strategy.error.cycle");
    int n = db_exec(w, sql, "itii", parent, title, id, cid);
    return n < 0 ? wr_from_error(w) : WR_OK; /* 0: saved unchanged */
}

int goal_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id, struct goal *out)
{
    static const char sql[] = "SELECT id, coalesce(parent_id, 0),"
                              " unseal(title, community_id, 'goals.title') FROM goals"
                              " WHERE id = ? AND community_id = ?";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", id, cid);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) {
        out->id = sqlite3_column_int64(st, 0);
        out->parent_id = sqlite3_column_int64(st, 1);
        out->title = col_text(a, st, 2);
    }
    db_done(st);
    return rc;
}

int goal_loss(struct dbc *c, int64_t cid, int64_t id, int64_t n[3])
{
    /* Everything below the goal goes with it (ON DELETE CASCADE). */
    static const char sql[] =
        "WITH RECURSIVE sub(id) AS (SELECT id FROM goals WHERE id = ?1 AND community_id = ?2"
        "  UNION ALL SELECT g.id FROM goals g JOIN sub ON g.parent_id = sub.id)"
        " SELECT (SELECT count(*) - 1 FROM sub) AS subgoals,"
        " (SELECT count(*) FROM actions x WHERE x.goal_id IN (SELECT id FROM sub)) AS actions,"
        " (SELECT count(*) FROM pledges p JOIN actions x ON x.id = p.action_id"
        "   WHERE x.goal_id IN (SELECT id FROM sub)) AS pledges";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", id, cid);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    for (int i = 0; i < 3; i++)
        n[i] = rc == 0 ? sqlite3_column_int64(st, i) : 0;
    db_done(st);
    return rc;
}

enum wr goal_delete(struct dbc *w, int64_t cid, int64_t id)
{
    static const char sql[] = "DELETE FROM goals WHERE id = ? AND community_id = ?";
    return wr_changed(w, db_exec(w, sql, "ii", id, cid), WR_NOT_FOUND);
}

/* ---- actions ---- */

json_t *actions_list(struct dbc *c, const struct vmask *m, int64_t cid)
{
    static const char sql[] =
        "SELECT x.id, x.goal_id, unseal(x.title, x.community_id, 'actions.title') AS title,"
        " coalesce(unseal(a.name, a.community_id, 'members.name'), '') AS owner,"
        " coalesce(x.owner_member, 0) AS owner_member, coalesce(x.due, '') AS due, x.status,"
        " x.progress, x.hours, x.money, x.currency, x.people,"
        " unseal(x.skills, x.community_id, 'actions.skills') AS skills,"
        " (SELECT coalesce(sum(p.hours), 0) FROM pledges p WHERE p.action_id = x.id) AS p_hours,"
        " (SELECT coalesce(sum(p.money), 0) FROM pledges p WHERE p.action_id = x.id) AS p_money,"
        " (SELECT coalesce(sum(p.person), 0) FROM pledges p WHERE p.action_id = x.id) AS p_people,"
        " (x.due IS NOT NULL AND x.due < date('now') AND x.status IN ('planned', 'in_progress'))"
        "   AS overdue"
        " FROM actions x LEFT JOIN members a ON a.id = x.owner_member"
        " WHERE x.community_id = ? ORDER BY coalesce(x.due, '9999'), x.id LIMIT 5000";
    return db_view_rows(c, m, sql, "i", cid);
}

json_t *plan_initiative_tasks(struct dbc *c, const struct vmask *m, int64_t cid)
{
    static const char sql[] =
        "SELECT x.id, coalesce(x.goal_id, 0) AS goal_id, x.initiative_id,"
        " unseal(i.title, i.community_id, 'initiatives.title') AS initiative,"
        " unseal(x.title, x.community_id, 'initiative_tasks.title') AS title,"
        " coalesce(unseal(a.name, a.community_id, 'members.name'), '') AS owner,"
        " coalesce(x.owner_member, 0) AS owner_member, coalesce(x.due, '') AS due, x.status,"
        " 0 AS progress, x.hours, x.money, '' AS currency, x.people, '' AS skills,"
        " 0 AS p_hours, 0 AS p_money, 0 AS p_people,"
        " (x.due IS NOT NULL AND x.due < date('now') AND x.status IN ('planned', 'in_progress'))"
        "   AS overdue"
        " FROM initiative_plan_tasks x JOIN initiatives i ON i.id = x.initiative_id"
        " LEFT JOIN members a ON a.id = x.owner_member"
        " WHERE x.community_id = ? ORDER BY coalesce(x.due, '9999'), x.id LIMIT 5000";
    return db_view_rows(c, m, sql, "i", cid);
}

/* The people of the community's plan (every member who owns one of its
 * actions) and the viewer, by member id and name, for the owner's select:
 * a few rows where the whole community would be thousands of names to
 * unseal on every view. Anyone else is chosen by name (member_pick). */
json_t *strategy_plan_people(struct dbc *c, int64_t cid, int64_t me)
{
    static const char sql[] =
        "SELECT m.id, unseal(m.name, m.community_id, 'members.name') AS display_name"
        " FROM (SELECT DISTINCT owner_member AS id FROM actions"
        "  WHERE community_id = ?1 AND owner_member IS NOT NULL UNION SELECT ?2) p"
        " JOIN members m ON m.id = p.id WHERE m.community_id = ?1"
        " ORDER BY display_name, m.id LIMIT 200";
    return db_rows(c, sql, "ii", cid, me);
}

int64_t action_add(struct dbc *w, int64_t cid, const struct action_new *a)
{
    static const char sql[] =
        "INSERT INTO actions(community_id, goal_id, title, owner_member, due, hours, money,"
        " currency, people, skills, created_at) VALUES(?1, ?2, seal(?3, ?1, 'actions.title'),"
        " nullif(?4, 0), ?5, ?6, ?7, ?8, ?9, seal(?10, ?1, 'actions.skills'), ?11)";
    if (db_exec(w, sql, "iititiititi", cid, a->goal_id, a->title, a->owner_id, a->due, a->hours,
                a->money, a->currency, a->people, a->skills ? a->skills : "", now_s()) != 1)
        return -1;
    return db_last_id(w);
}

/* An action's goal and owner must still be the community's: no row
 * written says which is not. */
static enum wr action_why(struct dbc *w, int64_t cid, const struct action_new *a)
{
    static const char member[] = "SELECT count(*) FROM members WHERE community_id = ? AND id = ?";
    if (!goal_exists(w, cid, a->goal_id)) return wr_fail(w, WR_CONFLICT, "strategy.error.goal");
    if (a->owner_id && db_int(w, 0, member, "ii", cid, a->owner_id) == 0)
        return wr_fail(w, WR_CONFLICT, "strategy.error.owner");
    return WR_DB;
}

enum wr action_create(struct dbc *w, int64_t cid, const struct action_new *a)
{
    static const char sql[] =
        "INSERT INTO actions(community_id, goal_id, title, owner_member, due, hours, money,"
        " currency, people, skills, created_at)"
        " SELECT ?1, ?2, seal(?3, ?1, 'actions.title'), nullif(?4, 0), ?5, ?6, ?7, ?8, ?9,"
        " seal(?10, ?1, 'actions.skills'), ?11"
        " WHERE EXISTS (SELECT 1 FROM goals WHERE id = ?2 AND community_id = ?1)"
        " AND (?4 = 0 OR EXISTS (SELECT 1 FROM members WHERE community_id = ?1 AND id = ?4))";
    int n = db_exec(w, sql, "iititiititi", cid, a->goal_id, a->title, a->owner_id, a->due, a->hours,
                    a->money, a->currency, a->people, a->skills ? a->skills : "", now_s());
    if (n == 0) return action_why(w, cid, a);
    enum wr rc = wr_changed(w, n, WR_DB);
    /* its owner hears that it is theirs (the staff who made it are told
     * nothing of their own action) */
    if (rc == WR_OK && a->owner_id && a->owner_id != a->by &&
        notify_members(w, cid, STRATEGY_NOTIFY_ACTION, db_last_id(w), NOTIFY_TO_MEMBER, a->owner_id,
                       now_s()) < 0)
        rc = WR_DB;
    return rc;
}

enum wr action_update(struct dbc *w, int64_t cid, int64_t id, const struct action_new *a)
{
    static const char sql[] =
        "UPDATE actions SET goal_id = ?1, title = seal(?2, ?11, 'actions.title'),"
        " owner_member = nullif(?3, 0), due = ?4, hours = ?5, money = ?6, currency = ?7,"
        " people = ?8, skills = seal(?9, ?11, 'actions.skills')"
        " WHERE id = ?10 AND community_id = ?11"
        " AND EXISTS (SELECT 1 FROM goals WHERE id = ?1 AND community_id = ?11)"
        " AND (?3 = 0 OR EXISTS (SELECT 1 FROM members WHERE community_id = ?11 AND id = ?3))";
    /* the owner before: an action given to another member tells them */
    static const char owner[] =
        "SELECT coalesce(owner_member, 0) FROM actions WHERE id = ? AND community_id = ?";
    int64_t was = db_int(w, 0, owner, "ii", id, cid);
    int n = db_exec(w, sql,
                    "ititiitit"
                    "ii",
                    a->goal_id, a->title, a->owner_id, a->due, a->hours, a->money, a->currency,
                    a->people, a->skills ? a->skills : "", id, cid);
    if (n != 0) {
        enum wr rc = wr_changed(w, n, WR_DB);
        if (rc == WR_OK && a->owner_id && a->owner_id != was && a->owner_id != a->by &&
            notify_members(w, cid, STRATEGY_NOTIFY_ACTION, id, NOTIFY_TO_MEMBER, a->owner_id,
                           now_s()) < 0)
            rc = WR_DB;
        return rc;
    }
    if (!action_exists(w, cid, id)) return WR_NOT_FOUND;
    return action_why(w, cid, a);
}

int action_set_status(struct dbc *w, int64_t cid, int64_t id, const char *status)
{
    static const char sql[] = "UPDATE actions SET status = ? WHERE id = ? AND community_id = ?";
    return db_exec(w, sql, "tii", status, id, cid) == 1 ? 0 : -1;
}

int action_exists(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] = "SELECT count(*) FROM actions WHERE id = ? AND community_id = ?";
    return db_int(c, 0, sql, "ii", id, cid) > 0;
}

int action_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id, struct action *out)
{
    static const char sql[] =
        "SELECT x.id, x.goal_id, unseal(x.title, x.community_id, 'actions.title'),"
        " coalesce(unseal(a.name, a.community_id, 'members.name'), ''),"
        " coalesce(x.owner_member, 0),"
        " coalesce(x.due, ''), x.status, x.progress, x.hours, x.money, x.currency, x.people,"
        " unseal(x.skills, x.community_id, 'actions.skills'),"
        " (SELECT count(*) FROM pledges p WHERE p.action_id = x.id)"
        " FROM actions x LEFT JOIN members a ON a.id = x.owner_member"
        " WHERE x.id = ? AND x.community_id = ?";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", id, cid);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) {
        out->id = sqlite3_column_int64(st, 0);
        out->goal_id = sqlite3_column_int64(st, 1);
        out->title = col_text(a, st, 2);
        out->owner_name = col_text(a, st, 3);
        out->owner_id = sqlite3_column_int64(st, 4);
        out->due = col_text(a, st, 5);
        out->status = col_text(a, st, 6);
        out->progress = sqlite3_column_int64(st, 7);
        out->hours = sqlite3_column_int64(st, 8);
        out->money = sqlite3_column_int64(st, 9);
        out->currency = col_text(a, st, 10);
        out->people = sqlite3_column_int64(st, 11);
        out->skills = col_text(a, st, 12);
        out->pledges = sqlite3_column_int64(st, 13);
    }
    db_done(st);
    return rc;
}

enum wr action_report(struct dbc *w, int64_t cid, int64_t id, int64_t member, const char *status,
                      int64_t progress)
{
    /* Who may report is part of the statement: the owner or the staff. */
    static const char sql[] =
        "UPDATE actions SET status = ?1, progress = ?2"
        " WHERE id = ?3 AND community_id = ?4 AND (owner_member = ?5 OR EXISTS (SELECT 1 FROM"
        "  members m WHERE m.community_id = ?4 AND m.id = ?5"
        "  AND m.role IN ('organizer', 'facilitator')))";
    int n = db_exec(w, sql, "tiiii", status, progress, id, cid, member);
    if (n != 0) return wr_changed(w, n, WR_DB);
    if (!action_exists(w, cid, id)) return WR_NOT_FOUND;
    return wr_fail(w, WR_CONFLICT, "strategy.error.not_owner");
}

enum wr action_delete(struct dbc *w, int64_t cid, int64_t id)
{
    static const char sql[] = "DELETE FROM actions WHERE id = ? AND community_id = ?";
    return wr_changed(w, db_exec(w, sql, "ii", id, cid), WR_NOT_FOUND);
}

/* ---- pledges ---- */

int64_t pledge_add(struct dbc *w, int64_t action, int64_t member, int64_t hours, int64_t money,
                   int person)
{
    static const char sql[] = "INSERT INTO pledges(action_id, member_id, hours, money, person,"
                              " created_at) VALUES(?, ?, ?, ?, ?, ?)";
    if (db_exec(w, sql, "iiiiii", action, member, hours, money, (int64_t)(person ? 1 : 0),
                now_s()) != 1)
        return -1;
    return db_last_id(w);
}

enum wr pledge_create(struct dbc *w, int64_t cid, int64_t action, int64_t member, int64_t hours,
                      int64_t money, int person)
{
    /* To an action that is still there. */
    static const char sql[] =
        "INSERT INTO pledges(action_id, member_id, hours, money, person, created_at)"
        " SELECT x.id, ?, ?, ?, ?, ? FROM actions x WHERE x.id = ? AND x.community_id = ?";
    return wr_changed(w,
                      db_exec(w, sql, "iiiiiii", member, hours, money, (int64_t)(person ? 1 : 0),
                              now_s(), action, cid),
                      WR_NOT_FOUND);
}

enum wr pledge_withdraw(struct dbc *w, int64_t community_id, int64_t action, int64_t member)
{
    /* The member's own pledges to an action of this community, and no
     * one else's. */
    static const char sql[] = "DELETE FROM pledges WHERE action_id = ? AND member_id = ?"
                              " AND action_id IN (SELECT id FROM actions WHERE community_id = ?)";
    return wr_changed(w, db_exec(w, sql, "iii", action, member, community_id), WR_NOT_FOUND);
}

int64_t pledge_mine(struct dbc *c, int64_t community_id, int64_t action, int64_t member)
{
    static const char sql[] = "SELECT count(*) FROM pledges p JOIN actions x ON x.id = p.action_id"
                              " WHERE p.action_id = ? AND p.member_id = ? AND x.community_id = ?";
    return db_int(c, 0, sql, "iii", action, member, community_id);
}

/* ---- rules ---- */

json_t *rules_list(struct dbc *c, const struct vmask *m, int64_t cid)
{
    static const char sql[] =
        "SELECT r.id, unseal(r.text, r.community_id, 'rules.text') AS text,"
        " (SELECT group_concat(unseal(v.title, v.community_id, 'shared_values.title'), ', ')"
        "   FROM rule_values rv"
        "   JOIN shared_values v ON v.id = rv.shared_value_id WHERE rv.rule_id = r.id) AS protects"
        " FROM rules r WHERE r.community_id = ? ORDER BY r.id LIMIT 500";
    return db_view_rows(c, m, sql, "i", cid);
}

int64_t rule_add(struct dbc *w, int64_t cid, const char *text, const int64_t *values, int n)
{
    static const char sql[] = "INSERT INTO rules(community_id, text, created_at)"
                              " VALUES(?1, seal(?2, ?1, 'rules.text'), ?3)";
    static const char link[] = "INSERT OR IGNORE INTO rule_values(rule_id, shared_value_id)"
                               " SELECT ?, id FROM shared_values WHERE id = ? AND community_id = ?";
    if (db_exec(w, sql, "iti", cid, text, now_s()) != 1) return -1;
    int64_t id = db_last_id(w);
    for (int i = 0; i < n; i++)
        if (db_exec(w, link, "iii", id, values[i], cid) < 0) return -1;
    return id;
}

enum wr rule_create(struct dbc *w, int64_t cid, const char *text, const int64_t *values, int n)
{
    return rule_add(w, cid, text, values, n) > 0 ? WR_OK : wr_from_error(w);
}

int rule_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id, struct rule *out)
{
    static const char sql[] = "SELECT id, unseal(text, community_id, 'rules.text') FROM rules"
                              " WHERE id = ? AND community_id = ?";
    static const char vals[] = "SELECT shared_value_id FROM rule_values WHERE rule_id = ?"
                               " ORDER BY shared_value_id LIMIT 64";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", id, cid);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) {
        out->id = sqlite3_column_int64(st, 0);
        out->text = col_text(a, st, 1);
    }
    db_done(st);
    if (rc != 0) return rc;
    out->nvalues = 0;
    out->values = arena_alloc(a, 64 * sizeof *out->values);
    st = db_prepare(c, vals, "i", id);
    while (st && sqlite3_step(st) == SQLITE_ROW && out->nvalues < 64)
        out->values[out->nvalues++] = sqlite3_column_int64(st, 0);
    db_done(st);
    return 0;
}

enum wr rule_update(struct dbc *w, int64_t cid, int64_t id, const char *text, const int64_t *values,
                    int n)
{
    static const char sql[] = "UPDATE rules SET text = seal(?1, ?3, 'rules.text')"
                              " WHERE id = ?2 AND community_id = ?3";
    static const char clear[] = "DELETE FROM rule_values WHERE rule_id = ?";
    static const char link[] = "INSERT OR IGNORE INTO rule_values(rule_id, shared_value_id)"
                               " SELECT ?, id FROM shared_values WHERE id = ? AND community_id = ?";
    int k = db_exec(w, sql, "tii", text, id, cid);
    if (k <= 0) return wr_changed(w, k, WR_NOT_FOUND);
    if (db_exec(w, clear, "i", id) < 0) return wr_from_error(w);
    for (int i = 0; i < n; i++)
        if (db_exec(w, link, "iii", id, values[i], cid) < 0) return wr_from_error(w);
    return WR_OK;
}

enum wr rule_delete(struct dbc *w, int64_t cid, int64_t id)
{
    static const char sql[] = "DELETE FROM rules WHERE id = ? AND community_id = ?";
    return wr_changed(w, db_exec(w, sql, "ii", id, cid), WR_NOT_FOUND);
}

/* ---- the facts the checks look at ---- */

static void facts_values(struct dbc *c, struct arena *a, int64_t cid, int64_t now,
                         struct strategy_facts *f)
{
    static const char sql[] =
        "SELECT unseal(v.title, v.community_id, 'shared_values.title'), v.closes_at,"
        " (SELECT count(*) FROM value_votes x WHERE x.shared_value_id = v.id AND x.yes = 1) AS yes,"
        " (SELECT count(*) FROM value_votes x WHERE x.shared_value_id = v.id AND x.yes = 0) AS no,"
        " (SELECT count(*) FROM shared_value_roots r WHERE r.shared_value_id = v.id) AS roots"
        " FROM shared_values v WHERE v.community_id = ? LIMIT 500";
    struct strategy_settings s;
    strategy_settings_get(c, cid, &s);
    sqlite3_stmt *st = db_prepare(c, sql, "i", cid);
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        struct adoption ad = {
            f->members,          sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3),
            (int)s.majority_pct, (int)s.quorum_pct,           sqlite3_column_int64(st, 1) <= now};
        if (adoption_decide(&ad) != ADOPT_ADOPTED) continue;
        f->adopted_values++;
        if (sqlite3_column_int64(st, 4) == 0) {
            if (f->adopted_without_roots++ == 0) f->weak_value = col_text(a, st, 0);
        } else if ((ad.yes + ad.no) * 2 < f->members) {
            if (f->adopted_few_voters++ == 0 && f->adopted_without_roots == 0)
                f->weak_value = col_text(a, st, 0);
        }
    }
    db_done(st);
}

void strategy_facts_load(struct dbc *c, struct arena *a, int64_t cid, int64_t now,
                         struct strategy_facts *f)
{
    static const char counts[] =
        "SELECT (SELECT members FROM communities WHERE id = ?1) AS members,"
        " (SELECT count(*) FROM members WHERE community_id = ?1 AND role = 'organizer')"
        "   AS organizers,"
        " (SELECT count(*) FROM goals WHERE community_id = ?1) AS goals,"
        " (SELECT count(*) FROM rules WHERE community_id = ?1) AS rules,"
        " (SELECT count(*) FROM rules r WHERE r.community_id = ?1 AND NOT EXISTS"
        "   (SELECT 1 FROM rule_values rv WHERE rv.rule_id = r.id)) AS rules_without_value,"
        " (SELECT count(*) FROM actions WHERE community_id = ?1"
        "   AND status IN ('planned', 'in_progress'))"
        " + (SELECT count(*) FROM initiative_plan_tasks WHERE community_id = ?1"
        "   AND status IN ('planned', 'in_progress')) AS open_actions,"
        " (SELECT count(*) FROM goals WHERE community_id = ?1 AND parent_id IS NULL)"
        "   AS strategic_goals,"
        " (SELECT count(*) FROM goals g WHERE g.community_id = ?1 AND g.parent_id IS NULL"
        "   AND NOT EXISTS (SELECT 1 FROM goals k WHERE k.parent_id = g.id)"
        "   AND NOT EXISTS (SELECT 1 FROM actions x WHERE x.goal_id = g.id)) AS strategic_empty,"
        " (SELECT count(*) FROM goals g WHERE g.community_id = ?1 AND g.parent_id IS NOT NULL"
        "   AND NOT EXISTS (SELECT 1 FROM goals k WHERE k.parent_id = g.id)"
        "   AND NOT EXISTS (SELECT 1 FROM actions x WHERE x.goal_id = g.id)) AS tactical_empty,"
        " (SELECT count(*) FROM actions WHERE community_id = ?1 AND status <> 'dropped')"
        "   AS actions,"
        " (SELECT count(*) FROM actions WHERE community_id = ?1 AND status <> 'dropped'"
        "   AND owner_member IS NULL) AS actions_no_owner,"
        " (SELECT count(*) FROM actions WHERE community_id = ?1 AND status <> 'dropped'"
        "   AND due IS NULL) AS actions_no_date,"
        " (SELECT unseal(r.text, ?1, 'rules.text') FROM rules r WHERE r.community_id = ?1"
        "   AND NOT EXISTS"
        "   (SELECT 1 FROM rule_values rv WHERE rv.rule_id = r.id) ORDER BY r.id LIMIT 1)"
        "   AS rule_without_value,"
        " (SELECT unseal(g.title, ?1, 'goals.title') FROM goals g WHERE g.community_id = ?1"
        "   AND NOT EXISTS (SELECT 1 FROM goals k WHERE k.parent_id = g.id)"
        "   AND NOT EXISTS (SELECT 1 FROM actions x WHERE x.goal_id = g.id)"
        "   ORDER BY g.parent_id IS NOT NULL, g.id LIMIT 1) AS empty_goal";
    /* The tasks of the community's initiatives count too: they are read
     * from the initiative area's view initiative_plan_tasks (migration
     * 064), read-only; the plan is one plan whoever wrote its lines. */
    static const char top[] =
        "SELECT unseal(a.name, a.community_id, 'members.name'), count(*) AS n"
        " FROM (SELECT owner_member FROM actions WHERE community_id = ?1"
        "  AND status IN ('planned', 'in_progress')"
        "  UNION ALL SELECT owner_member FROM initiative_plan_tasks WHERE community_id = ?1"
        "  AND status IN ('planned', 'in_progress')) x"
        " JOIN members a ON a.id = x.owner_member GROUP BY x.owner_member"
        " ORDER BY n DESC LIMIT 1";
    memset(f, 0, sizeof *f);
    sqlite3_stmt *st = db_prepare(c, counts, "i", cid);
    if (st && sqlite3_step(st) == SQLITE_ROW) {
        int64_t *const dest[] = {&f->members,         &f->organizers,          &f->goals,
                                 &f->rules,           &f->rules_without_value, &f->open_actions,
                                 &f->strategic_goals, &f->strategic_empty,     &f->tactical_empty,
                                 &f->actions,         &f->actions_no_owner,    &f->actions_no_date};
        for (int i = 0; i < (int)(sizeof dest / sizeof dest[0]); i++)
            *dest[i] = sqlite3_column_int64(st, i);
        f->rule_without_value = col_text(a, st, 12);
        f->empty_goal = col_text(a, st, 13);
    }
    db_done(st);
    st = db_prepare(c, top, "i", cid);
    if (st && sqlite3_step(st) == SQLITE_ROW) {
        f->top_owner = col_text(a, st, 0);
        f->top_owner_open = sqlite3_column_int64(st, 1);
    }
    db_done(st);
    facts_values(c, a, cid, now, f);
}
