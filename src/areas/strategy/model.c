/* The SQL of the strategy area. Every statement names the community. */
#include "areas/strategy/strategy.h"
#include "core/db.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

void strategy_settings_get(struct dbc *c, int64_t cid, struct strategy_settings *s)
{
    static const char sql[] = "SELECT vote_days, majority_pct, quorum_pct FROM strategy_settings"
                              " WHERE community_id = ?";
    s->vote_days = 14;
    s->majority_pct = 50;
    s->quorum_pct = 33;
    json_t *row = db_row(c, sql, "i", cid);
    if (!row) return;
    s->vote_days = json_integer_value(json_object_get(row, "vote_days"));
    s->majority_pct = json_integer_value(json_object_get(row, "majority_pct"));
    s->quorum_pct = json_integer_value(json_object_get(row, "quorum_pct"));
    json_decref(row);
}

int strategy_settings_set(struct dbc *w, int64_t cid, const struct strategy_settings *s)
{
    static const char sql[] =
        "INSERT INTO strategy_settings(community_id, vote_days, majority_pct, quorum_pct)"
        " VALUES(?, ?, ?, ?) ON CONFLICT(community_id) DO UPDATE SET vote_days = "
        "excluded.vote_days,"
        " majority_pct = excluded.majority_pct, quorum_pct = excluded.quorum_pct";
    return db_exec(w, sql, "iiii", cid, s->vote_days, s->majority_pct, s->quorum_pct) == 1 ? 0 : -1;
}

/* ---- personal values and goals ---- */

json_t *personal_list_mine(struct dbc *c, int64_t cid, int64_t account)
{
    static const char sql[] = "SELECT id, kind, text, shared_with FROM personal_values"
                              " WHERE community_id = ? AND account_id = ? ORDER BY kind DESC, id";
    return db_rows(c, sql, "ii", cid, account);
}

json_t *personal_list_shared(struct dbc *c, int64_t cid, int64_t viewer, int staff)
{
    static const char sql[] =
        "SELECT p.id, p.kind, p.text, p.shared_with, a.display_name AS author"
        " FROM personal_values p JOIN accounts a ON a.id = p.account_id"
        " JOIN memberships m ON m.community_id = p.community_id AND m.account_id = p.account_id"
        " WHERE p.community_id = ? AND p.account_id <> ?"
        "  AND (p.shared_with = 'members' OR (p.shared_with = 'organizers' AND ? = 1))"
        " ORDER BY p.kind DESC, p.id LIMIT 1000";
    return db_rows(c, sql, "iii", cid, viewer, (int64_t)(staff ? 1 : 0));
}

int64_t personal_add(struct dbc *w, int64_t cid, int64_t account, const char *kind,
                     const char *text, const char *shared_with)
{
    static const char sql[] = "INSERT INTO personal_values(community_id, account_id, kind, text,"
                              " shared_with, created_at) VALUES(?, ?, ?, ?, ?, ?)";
    if (db_exec(w, sql, "iittti", cid, account, kind, text, shared_with, now_s()) != 1) return -1;
    return db_last_id(w);
}

int personal_delete(struct dbc *w, int64_t cid, int64_t account, int64_t id)
{
    static const char sql[] =
        "DELETE FROM personal_values WHERE id = ? AND community_id = ? AND account_id = ?";
    return db_exec(w, sql, "iii", id, cid, account) == 1 ? 0 : -1;
}

int personal_linkable(struct dbc *c, int64_t cid, int64_t viewer, int staff, int64_t id)
{
    static const char sql[] =
        "SELECT count(*) FROM personal_values WHERE id = ? AND community_id = ? AND kind = 'value'"
        " AND (account_id = ? OR shared_with = 'members' OR (shared_with = 'organizers' AND ? = "
        "1))";
    return db_int(c, 0, sql, "iiii", id, cid, viewer, (int64_t)(staff ? 1 : 0)) > 0;
}

/* ---- shared values ---- */

json_t *values_list(struct dbc *c, int64_t cid, int64_t viewer)
{
    static const char sql[] =
        "SELECT v.id, v.title, v.description, coalesce(a.display_name, '') AS proposer,"
        " (v.proposed_by = ?) AS mine,"
        " date(v.opens_at, 'unixepoch') AS opens, date(v.closes_at, 'unixepoch') AS closes,"
        " v.closes_at, v.ended_early, v.close_reason,"
        " (SELECT count(*) FROM value_votes x WHERE x.shared_value_id = v.id AND x.yes = 1) AS yes,"
        " (SELECT count(*) FROM value_votes x WHERE x.shared_value_id = v.id AND x.yes = 0) AS no,"
        " (SELECT x.yes FROM value_votes x WHERE x.shared_value_id = v.id AND x.account_id = ?)"
        "   AS my_vote,"
        " (SELECT count(DISTINCT p.account_id) FROM shared_value_roots r"
        "   JOIN personal_values p ON p.id = r.personal_value_id"
        "   WHERE r.shared_value_id = v.id) AS holders,"
        " (SELECT group_concat(p.text, ' · ') FROM shared_value_roots r"
        "   JOIN personal_values p ON p.id = r.personal_value_id"
        "   WHERE r.shared_value_id = v.id AND (p.shared_with = 'members' OR p.account_id = ?))"
        "   AS roots"
        " FROM shared_values v LEFT JOIN accounts a ON a.id = v.proposed_by"
        " WHERE v.community_id = ? ORDER BY v.closes_at DESC, v.id DESC LIMIT 500";
    return db_rows(c, sql, "iiii", viewer, viewer, viewer, cid);
}

int64_t value_propose(struct dbc *w, int64_t cid, int64_t by, const char *title,
                      const char *description, int64_t closes_at, const int64_t *roots, int nroots)
{
    static const char sql[] = "INSERT INTO shared_values(community_id, proposed_by, title,"
                              " description, opens_at, closes_at) VALUES(?, ?, ?, ?, ?, ?)";
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

json_t *value_find(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT id, title, closes_at FROM shared_values WHERE id = ? AND community_id = ?";
    return db_row(c, sql, "ii", id, cid);
}

int value_in_community(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT count(*) FROM shared_values WHERE id = ? AND community_id = ?";
    return db_int(c, 0, sql, "ii", id, cid) > 0;
}

int value_vote(struct dbc *w, int64_t id, int64_t account, int yes)
{
    static const char sql[] =
        "INSERT INTO value_votes(shared_value_id, account_id, yes, voted_at) VALUES(?, ?, ?, ?)"
        " ON CONFLICT(shared_value_id, account_id) DO UPDATE SET yes = excluded.yes,"
        " voted_at = excluded.voted_at";
    return db_exec(w, sql, "iiii", id, account, (int64_t)(yes ? 1 : 0), now_s()) == 1 ? 0 : -1;
}

/* ---- the Dilts canvas ---- */

json_t *dilts_list(struct dbc *c, int64_t cid)
{
    static const char sql[] =
        "SELECT id, level, text FROM dilts_entries WHERE community_id = ? ORDER BY id";
    return db_rows(c, sql, "i", cid);
}

enum wr dilts_add(struct dbc *w, int64_t cid, const char *level, const char *text)
{
    static const char sql[] =
        "INSERT INTO dilts_entries(community_id, level, text, created_at) VALUES(?, ?, ?, ?)";
    return wr_changed(w, db_exec(w, sql, "itti", cid, level, text, now_s()), WR_DB);
}

enum wr dilts_delete(struct dbc *w, int64_t cid, int64_t id)
{
    static const char sql[] = "DELETE FROM dilts_entries WHERE id = ? AND community_id = ?";
    return wr_changed(w, db_exec(w, sql, "ii", id, cid), WR_NOT_FOUND);
}

/* ---- vision, mission, manifesto ---- */

json_t *text_current(struct dbc *c, int64_t cid, const char *kind)
{
    static const char sql[] = "SELECT t.id, t.body, coalesce(a.display_name, '') AS author,"
                              " datetime(t.created_at, 'unixepoch') AS at FROM strategy_texts t"
                              " LEFT JOIN accounts a ON a.id = t.author_id"
                              " WHERE t.community_id = ? AND t.kind = ?"
                              " ORDER BY t.created_at DESC, t.id DESC LIMIT 1";
    return db_row(c, sql, "it", cid, kind);
}

json_t *text_history(struct dbc *c, int64_t cid, const char *kind, int64_t viewer)
{
    static const char sql[] =
        "SELECT t.id, t.body, coalesce(a.display_name, '') AS author,"
        " datetime(t.created_at, 'unixepoch') AS at, t.closes_at,"
        " date(t.closes_at, 'unixepoch') AS closes, t.ended_early, t.close_reason,"
        " (SELECT count(*) FROM text_votes x WHERE x.text_id = t.id AND x.yes = 1) AS yes,"
        " (SELECT count(*) FROM text_votes x WHERE x.text_id = t.id AND x.yes = 0) AS no,"
        " (SELECT x.yes FROM text_votes x WHERE x.text_id = t.id AND x.account_id = ?) AS my_vote"
        " FROM strategy_texts t LEFT JOIN accounts a ON a.id = t.author_id"
        " WHERE t.community_id = ? AND t.kind = ?"
        " ORDER BY t.created_at DESC, t.id DESC LIMIT 200";
    return db_rows(c, sql, "iit", viewer, cid, kind);
}

json_t *text_find(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT id, kind, closes_at FROM strategy_texts WHERE id = ? AND community_id = ?";
    return db_row(c, sql, "ii", id, cid);
}

int text_vote(struct dbc *w, int64_t id, int64_t account, int yes)
{
    static const char sql[] =
        "INSERT INTO text_votes(text_id, account_id, yes, voted_at) VALUES(?, ?, ?, ?)"
        " ON CONFLICT(text_id, account_id) DO UPDATE SET yes = excluded.yes,"
        " voted_at = excluded.voted_at";
    return db_exec(w, sql, "iiii", id, account, (int64_t)(yes ? 1 : 0), now_s()) == 1 ? 0 : -1;
}

int64_t text_save(struct dbc *w, int64_t cid, const char *kind, const char *body, int64_t author,
                  int64_t closes_at)
{
    static const char sql[] =
        "INSERT INTO strategy_texts(community_id, kind, body, author_id,"
        " created_at, closes_at) VALUES(?, ?, ?, nullif(?, 0), ?, nullif(?, 0))";
    if (db_exec(w, sql, "ittiii", cid, kind, body, author, now_s(), closes_at) != 1) return -1;
    return db_last_id(w);
}

/* ---- goals and actions ---- */

json_t *goals_list(struct dbc *c, int64_t cid)
{
    static const char sql[] = "SELECT id, coalesce(parent_id, 0) AS parent_id, title FROM goals"
                              " WHERE community_id = ? ORDER BY id LIMIT 2000";
    return db_rows(c, sql, "i", cid);
}

int64_t goal_add(struct dbc *w, int64_t cid, int64_t parent, const char *title)
{
    static const char sql[] = "INSERT INTO goals(community_id, parent_id, title, created_at)"
                              " VALUES(?, nullif(?, 0), ?, ?)";
    if (db_exec(w, sql, "iiti", cid, parent, title, now_s()) != 1) return -1;
    return db_last_id(w);
}

int goal_exists(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] = "SELECT count(*) FROM goals WHERE id = ? AND community_id = ?";
    return db_int(c, 0, sql, "ii", id, cid) > 0;
}

int goal_set_parent(struct dbc *w, int64_t cid, int64_t id, int64_t parent)
{
    static const char sql[] =
        "UPDATE goals SET parent_id = nullif(?, 0) WHERE id = ? AND community_id = ?";
    return db_exec(w, sql, "iii", parent, id, cid) == 1 ? 0 : -1;
}

json_t *actions_list(struct dbc *c, int64_t cid)
{
    static const char sql[] =
        "SELECT x.id, x.goal_id, x.title, coalesce(a.display_name, '') AS owner,"
        " coalesce(a.handle, '') AS owner_handle, coalesce(x.due, '') AS due, x.status,"
        " x.progress, x.hours, x.money, x.currency, x.people, x.skills,"
        " (SELECT coalesce(sum(p.hours), 0) FROM pledges p WHERE p.action_id = x.id) AS p_hours,"
        " (SELECT coalesce(sum(p.money), 0) FROM pledges p WHERE p.action_id = x.id) AS p_money,"
        " (SELECT coalesce(sum(p.person), 0) FROM pledges p WHERE p.action_id = x.id) AS p_people,"
        " (x.due IS NOT NULL AND x.due < date('now') AND x.status IN ('planned', 'in_progress'))"
        "   AS overdue"
        " FROM actions x LEFT JOIN accounts a ON a.id = x.owner_id"
        " WHERE x.community_id = ? ORDER BY coalesce(x.due, '9999'), x.id LIMIT 5000";
    return db_rows(c, sql, "i", cid);
}

int64_t action_add(struct dbc *w, int64_t cid, const struct action_new *a)
{
    static const char sql[] =
        "INSERT INTO actions(community_id, goal_id, title, owner_id, due, hours, money, currency,"
        " people, skills, created_at) VALUES(?, ?, ?, nullif(?, 0), ?, ?, ?, ?, ?, ?, ?)";
    if (db_exec(w, sql, "iititiititi", cid, a->goal_id, a->title, a->owner_id, a->due, a->hours,
                a->money, a->currency, a->people, a->skills ? a->skills : "", now_s()) != 1)
        return -1;
    return db_last_id(w);
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

int pledge_withdraw(struct dbc *w, int64_t community_id, int64_t action, int64_t account)
{
    /* The member's own pledges to an action of this community, and no
     * one else's. */
    static const char sql[] = "DELETE FROM pledges WHERE action_id = ? AND account_id = ?"
                              " AND action_id IN (SELECT id FROM actions WHERE community_id = ?)";
    return db_exec(w, sql, "iii", action, account, community_id);
}

int64_t pledge_mine(struct dbc *c, int64_t community_id, int64_t action, int64_t account)
{
    static const char sql[] = "SELECT count(*) FROM pledges p JOIN actions x ON x.id = p.action_id"
                              " WHERE p.action_id = ? AND p.account_id = ? AND x.community_id = ?";
    return db_int(c, 0, sql, "iii", action, account, community_id);
}

int64_t pledge_add(struct dbc *w, int64_t action, int64_t account, int64_t hours, int64_t money,
                   int person)
{
    static const char sql[] = "INSERT INTO pledges(action_id, account_id, hours, money, person,"
                              " created_at) VALUES(?, ?, ?, ?, ?, ?)";
    if (db_exec(w, sql, "iiiiii", action, account, hours, money, (int64_t)(person ? 1 : 0),
                now_s()) != 1)
        return -1;
    return db_last_id(w);
}

/* ---- rules ---- */

json_t *rules_list(struct dbc *c, int64_t cid)
{
    static const char sql[] =
        "SELECT r.id, r.text, (SELECT group_concat(v.title, ', ') FROM rule_values rv"
        "   JOIN shared_values v ON v.id = rv.shared_value_id WHERE rv.rule_id = r.id) AS protects"
        " FROM rules r WHERE r.community_id = ? ORDER BY r.id LIMIT 500";
    return db_rows(c, sql, "i", cid);
}

int64_t rule_add(struct dbc *w, int64_t cid, const char *text, const int64_t *values, int n)
{
    static const char sql[] = "INSERT INTO rules(community_id, text, created_at) VALUES(?, ?, ?)";
    static const char link[] = "INSERT OR IGNORE INTO rule_values(rule_id, shared_value_id)"
                               " SELECT ?, id FROM shared_values WHERE id = ? AND community_id = ?";
    if (db_exec(w, sql, "iti", cid, text, now_s()) != 1) return -1;
    int64_t id = db_last_id(w);
    for (int i = 0; i < n; i++)
        if (db_exec(w, link, "iii", id, values[i], cid) < 0) return -1;
    return id;
}

/* ---- the facts the checks look at ---- */

static const char *arena_text(struct arena *a, json_t *row, const char *key)
{
    const char *s = json_string_value(json_object_get(row, key));
    return s ? arena_strdup(a, s) : NULL;
}

static void facts_values(struct dbc *c, struct arena *a, int64_t cid, int64_t now,
                         struct strategy_facts *f)
{
    static const char sql[] =
        "SELECT v.title, v.closes_at,"
        " (SELECT count(*) FROM value_votes x WHERE x.shared_value_id = v.id AND x.yes = 1) AS yes,"
        " (SELECT count(*) FROM value_votes x WHERE x.shared_value_id = v.id AND x.yes = 0) AS no,"
        " (SELECT count(*) FROM shared_value_roots r WHERE r.shared_value_id = v.id) AS roots"
        " FROM shared_values v WHERE v.community_id = ? LIMIT 500";
    struct strategy_settings s;
    strategy_settings_get(c, cid, &s);
    json_t *rows = db_rows(c, sql, "i", cid);
    size_t i;
    json_t *v;
    json_array_foreach(rows, i, v)
    {
        struct adoption ad = {f->members,
                              json_integer_value(json_object_get(v, "yes")),
                              json_integer_value(json_object_get(v, "no")),
                              (int)s.majority_pct,
                              (int)s.quorum_pct,
                              json_integer_value(json_object_get(v, "closes_at")) <= now};
        if (adoption_decide(&ad) != ADOPT_ADOPTED) continue;
        f->adopted_values++;
        if (json_integer_value(json_object_get(v, "roots")) == 0) {
            if (f->adopted_without_roots++ == 0) f->weak_value = arena_text(a, v, "title");
        } else if ((ad.yes + ad.no) * 2 < f->members) {
            if (f->adopted_few_voters++ == 0 && f->adopted_without_roots == 0)
                f->weak_value = arena_text(a, v, "title");
        }
    }
    json_decref(rows);
}

void strategy_facts_load(struct dbc *c, struct arena *a, int64_t cid, int64_t now,
                         struct strategy_facts *f)
{
    static const char counts[] =
        "SELECT (SELECT members FROM communities WHERE id = ?1) AS members,"
        " (SELECT count(*) FROM memberships WHERE community_id = ?1 AND role = 'organizer')"
        "   AS organizers,"
        " (SELECT count(*) FROM goals WHERE community_id = ?1) AS goals,"
        " (SELECT count(*) FROM rules WHERE community_id = ?1) AS rules,"
        " (SELECT count(*) FROM rules r WHERE r.community_id = ?1 AND NOT EXISTS"
        "   (SELECT 1 FROM rule_values rv WHERE rv.rule_id = r.id)) AS rules_without_value,"
        " (SELECT r.text FROM rules r WHERE r.community_id = ?1 AND NOT EXISTS"
        "   (SELECT 1 FROM rule_values rv WHERE rv.rule_id = r.id) ORDER BY r.id LIMIT 1)"
        "   AS rule_without_value,"
        " (SELECT count(*) FROM actions WHERE community_id = ?1"
        "   AND status IN ('planned', 'in_progress')) AS open_actions,"
        " (SELECT count(*) FROM goals WHERE community_id = ?1 AND parent_id IS NULL)"
        "   AS strategic_goals,"
        " (SELECT count(*) FROM goals g WHERE g.community_id = ?1 AND g.parent_id IS NULL"
        "   AND NOT EXISTS (SELECT 1 FROM goals k WHERE k.parent_id = g.id)"
        "   AND NOT EXISTS (SELECT 1 FROM actions x WHERE x.goal_id = g.id)) AS strategic_empty,"
        " (SELECT count(*) FROM goals g WHERE g.community_id = ?1 AND g.parent_id IS NOT NULL"
        "   AND NOT EXISTS (SELECT 1 FROM goals k WHERE k.parent_id = g.id)"
        "   AND NOT EXISTS (SELECT 1 FROM actions x WHERE x.goal_id = g.id)) AS tactical_empty,"
        " (SELECT g.title FROM goals g WHERE g.community_id = ?1"
        "   AND NOT EXISTS (SELECT 1 FROM goals k WHERE k.parent_id = g.id)"
        "   AND NOT EXISTS (SELECT 1 FROM actions x WHERE x.goal_id = g.id)"
        "   ORDER BY g.parent_id IS NOT NULL, g.id LIMIT 1) AS empty_goal,"
        " (SELECT count(*) FROM actions WHERE community_id = ?1 AND status <> 'dropped')"
        "   AS actions,"
        " (SELECT count(*) FROM actions WHERE community_id = ?1 AND status <> 'dropped'"
        "   AND owner_id IS NULL) AS actions_no_owner,"
        " (SELECT count(*) FROM actions WHERE community_id = ?1 AND status <> 'dropped'"
        "   AND due IS NULL) AS actions_no_date";
    static const char top[] =
        "SELECT a.display_name AS name, count(*) AS n FROM actions x"
        " JOIN accounts a ON a.id = x.owner_id WHERE x.community_id = ?"
        " AND x.status IN ('planned', 'in_progress') GROUP BY x.owner_id ORDER BY n DESC LIMIT 1";
    memset(f, 0, sizeof *f);
    json_t *row = db_row(c, counts, "i", cid);
    if (row) {
#define GET(k) f->k = json_integer_value(json_object_get(row, #k))
        GET(members);
        GET(organizers);
        GET(goals);
        GET(rules);
        GET(rules_without_value);
        GET(open_actions);
        GET(strategic_goals);
        GET(strategic_empty);
        GET(tactical_empty);
        GET(actions);
        GET(actions_no_owner);
        GET(actions_no_date);
#undef GET
        f->rule_without_value = arena_text(a, row, "rule_without_value");
        f->empty_goal = arena_text(a, row, "empty_goal");
        json_decref(row);
    }
    json_t *t = db_row(c, top, "i", cid);
    if (t) {
        f->top_owner_open = json_integer_value(json_object_get(t, "n"));
        f->top_owner = arena_text(a, t, "name");
        json_decref(t);
    }
    facts_values(c, a, cid, now, f);
}

int rule_delete(struct dbc *w, int64_t cid, int64_t id)
{
    static const char sql[] = "DELETE FROM rules WHERE id = ? AND community_id = ?";
    return db_exec(w, sql, "ii", id, cid) == 1 ? 0 : -1;
}

int goal_delete(struct dbc *w, int64_t cid, int64_t id)
{
    static const char sql[] = "DELETE FROM goals WHERE id = ? AND community_id = ?";
    return db_exec(w, sql, "ii", id, cid) == 1 ? 0 : -1;
}

int action_delete(struct dbc *w, int64_t cid, int64_t id)
{
    static const char sql[] = "DELETE FROM actions WHERE id = ? AND community_id = ?";
    return db_exec(w, sql, "ii", id, cid) == 1 ? 0 : -1;
}

/* ---- edits: one row with what its edit form shows ---- */

/* The SQL that says "the viewer is staff of the community", evaluated in
 * the statement itself so that a role taken away between reading the page
 * and writing is seen by the write. Parameters: community, account. */
#define STAFF_OF                                                                                   \
    "EXISTS (SELECT 1 FROM memberships m WHERE m.community_id = ? AND m.account_id = ?"            \
    " AND m.role IN ('organizer', 'facilitator'))"

json_t *goal_find(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] = "SELECT id, coalesce(parent_id, 0) AS parent_id, title FROM goals"
                              " WHERE id = ? AND community_id = ?";
    return db_row(c, sql, "ii", id, cid);
}

int goal_update(struct dbc *w, int64_t cid, int64_t id, int64_t parent, const char *title)
{
    static const char sql[] = "UPDATE goals SET parent_id = nullif(?, 0), title = ?"
                              " WHERE id = ? AND community_id = ?";
    return db_exec(w, sql, "itii", parent, title, id, cid) == 1 ? 0 : -1;
}

json_t *goal_loss(struct dbc *c, int64_t cid, int64_t id)
{
    /* Everything below the goal goes with it (ON DELETE CASCADE). */
    static const char sql[] =
        "WITH RECURSIVE sub(id) AS (SELECT id FROM goals WHERE id = ?1 AND community_id = ?2"
        "  UNION ALL SELECT g.id FROM goals g JOIN sub ON g.parent_id = sub.id)"
        " SELECT (SELECT count(*) - 1 FROM sub) AS subgoals,"
        " (SELECT count(*) FROM actions x WHERE x.goal_id IN (SELECT id FROM sub)) AS actions,"
        " (SELECT count(*) FROM pledges p JOIN actions x ON x.id = p.action_id"
        "   WHERE x.goal_id IN (SELECT id FROM sub)) AS pledges";
    return db_row(c, sql, "ii", id, cid);
}

json_t *action_find(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT x.id, x.goal_id, x.title, coalesce(a.handle, '') AS owner_handle,"
        " coalesce(x.owner_id, 0) AS owner_id, coalesce(x.due, '') AS due, x.status, x.progress,"
        " x.hours, x.money, x.currency, x.people, x.skills,"
        " (SELECT count(*) FROM pledges p WHERE p.action_id = x.id) AS pledges"
        " FROM actions x LEFT JOIN accounts a ON a.id = x.owner_id"
        " WHERE x.id = ? AND x.community_id = ?";
    return db_row(c, sql, "ii", id, cid);
}

int action_update(struct dbc *w, int64_t cid, int64_t id, const struct action_new *a)
{
    static const char sql[] =
        "UPDATE actions SET goal_id = ?, title = ?, owner_id = nullif(?, 0), due = ?, hours = ?,"
        " money = ?, currency = ?, people = ?, skills = ? WHERE id = ? AND community_id = ?";
    return db_exec(w, sql,
                   "ititiitit"
                   "ii",
                   a->goal_id, a->title, a->owner_id, a->due, a->hours, a->money, a->currency,
                   a->people, a->skills ? a->skills : "", id, cid) == 1
               ? 0
               : -1;
}

int action_report(struct dbc *w, int64_t cid, int64_t id, int64_t account, const char *status,
                  int64_t progress)
{
    /* Who may report is part of the statement: the owner or the staff. */
    static const char sql[] =
        "UPDATE actions SET status = ?, progress = ?"
        " WHERE id = ? AND community_id = ? AND (owner_id = ? OR " STAFF_OF ")";
    return db_exec(w, sql, "tiiiiii", status, progress, id, cid, account, cid, account) == 1 ? 0
                                                                                             : -1;
}

json_t *rule_find(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] = "SELECT id, text FROM rules WHERE id = ? AND community_id = ?";
    static const char vals[] = "SELECT shared_value_id AS id FROM rule_values WHERE rule_id = ?";
    json_t *row = db_row(c, sql, "ii", id, cid);
    if (row) {
        json_t *v = db_rows(c, vals, "i", id);
        json_object_set_new(row, "values", v ? v : json_array());
    }
    return row;
}

int rule_update(struct dbc *w, int64_t cid, int64_t id, const char *text, const int64_t *values,
                int n)
{
    static const char sql[] = "UPDATE rules SET text = ? WHERE id = ? AND community_id = ?";
    static const char clear[] = "DELETE FROM rule_values WHERE rule_id = ?";
    static const char link[] = "INSERT OR IGNORE INTO rule_values(rule_id, shared_value_id)"
                               " SELECT ?, id FROM shared_values WHERE id = ? AND community_id = ?";
    if (db_exec(w, sql, "tii", text, id, cid) != 1) return -1;
    if (db_exec(w, clear, "i", id) < 0) return -1;
    for (int i = 0; i < n; i++)
        if (db_exec(w, link, "iii", id, values[i], cid) < 0) return -1;
    return 0;
}

int dilts_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id, struct dilts_entry *out)
{
    static const char sql[] =
        "SELECT id, level, text FROM dilts_entries WHERE id = ? AND community_id = ?";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", id, cid);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) {
        out->id = sqlite3_column_int64(st, 0);
        out->level = arena_strdup(a, (const char *)sqlite3_column_text(st, 1));
        out->text = arena_strdup(a, (const char *)sqlite3_column_text(st, 2));
    }
    db_done(st);
    return rc;
}

enum wr dilts_update(struct dbc *w, int64_t cid, int64_t id, const char *level, const char *text)
{
    static const char sql[] =
        "UPDATE dilts_entries SET level = ?, text = ? WHERE id = ? AND community_id = ?";
    return wr_changed(w, db_exec(w, sql, "ttii", level, text, id, cid), WR_NOT_FOUND);
}

json_t *value_edit_find(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT v.id, v.title, v.description, coalesce(v.proposed_by, 0) AS proposed_by,"
        " v.closes_at, (SELECT count(*) FROM value_votes x WHERE x.shared_value_id = v.id) AS "
        "votes,"
        " (SELECT count(*) FROM rule_values r WHERE r.shared_value_id = v.id) AS rules"
        " FROM shared_values v WHERE v.id = ? AND v.community_id = ?";
    return db_row(c, sql, "ii", id, cid);
}

int value_update(struct dbc *w, int64_t cid, int64_t id, int64_t account, const char *title,
                 const char *description)
{
    /* Only before anyone voted, and only by its proposer or the staff: a
     * value people have voted on is what they voted for. */
    static const char sql[] =
        "UPDATE shared_values SET title = ?, description = ? WHERE id = ? AND community_id = ?"
        " AND NOT EXISTS (SELECT 1 FROM value_votes x WHERE x.shared_value_id = shared_values.id)"
        " AND (proposed_by = ? OR " STAFF_OF ")";
    return db_exec(w, sql, "ttiiiii", title, description ? description : "", id, cid, account, cid,
                   account) == 1
               ? 0
               : -1;
}

int value_delete(struct dbc *w, int64_t cid, int64_t id, int64_t account)
{
    /* The staff remove any value; its proposer one nobody voted on yet. */
    static const char sql[] =
        "DELETE FROM shared_values WHERE id = ? AND community_id = ? AND (" STAFF_OF
        " OR (proposed_by = ? AND NOT EXISTS"
        "  (SELECT 1 FROM value_votes x WHERE x.shared_value_id = shared_values.id)))";
    return db_exec(w, sql, "iiiii", id, cid, cid, account, account) == 1 ? 0 : -1;
}

int strategy_is_staff(struct dbc *c, int64_t cid, int64_t account)
{
    static const char sql[] = "SELECT " STAFF_OF;
    return db_int(c, 0, sql, "ii", cid, account) > 0;
}

json_t *personal_find(struct dbc *c, int64_t cid, int64_t account, int64_t id)
{
    static const char sql[] =
        "SELECT p.id, p.kind, p.text, (SELECT count(*) FROM shared_value_roots r"
        "  WHERE r.personal_value_id = p.id) AS roots"
        " FROM personal_values p WHERE p.id = ? AND p.community_id = ? AND p.account_id = ?";
    return db_row(c, sql, "iii", id, cid, account);
}

/* ---- ending votes early ---- */

int value_end(struct dbc *w, int64_t cid, int64_t id, const char *why, const char *reason)
{
    static const char sql[] =
        "UPDATE shared_values SET closes_at = ?, ended_early = ?, close_reason = ?"
        " WHERE id = ? AND community_id = ? AND closes_at > ?";
    int64_t now = now_s();
    return db_exec(w, sql, "ittiii", now, why, reason, id, cid, now) == 1 ? 0 : -1;
}

int text_end(struct dbc *w, int64_t cid, int64_t id, const char *why, const char *reason)
{
    static const char sql[] =
        "UPDATE strategy_texts SET closes_at = ?, ended_early = ?, close_reason = ?"
        " WHERE id = ? AND community_id = ? AND closes_at > ?";
    int64_t now = now_s();
    return db_exec(w, sql, "ittiii", now, why, reason, id, cid, now) == 1 ? 0 : -1;
}

json_t *value_tally(struct dbc *c, int64_t id)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM value_votes WHERE shared_value_id = ?1 AND yes = 1) AS yes,"
        " (SELECT count(*) FROM value_votes WHERE shared_value_id = ?1 AND yes = 0) AS no";
    return db_row(c, sql, "i", id);
}

json_t *text_tally(struct dbc *c, int64_t id)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM text_votes WHERE text_id = ?1 AND yes = 1) AS yes,"
        " (SELECT count(*) FROM text_votes WHERE text_id = ?1 AND yes = 0) AS no";
    return db_row(c, sql, "i", id);
}
