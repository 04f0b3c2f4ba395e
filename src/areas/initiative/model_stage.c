/* The four stages' moves: the gate's facts read on the writer after BEGIN
 * IMMEDIATE, the move whose UPDATE names the stage it moves from, the
 * history row in the same transaction, and the coordinator. See
 * initiative.h and docs/architecture.md. */
#include "areas/initiative/initiative.h"
#include "core/util.h"

#include <stdlib.h>

/* Who may move initiative ?1 of community ?2: an organizer (?4, the
 * route's capability) or its coordinator (?3, a member id). */
#define MAY_MOVE                                                                                   \
    " (?4 OR EXISTS (SELECT 1 FROM initiative_work k WHERE k.initiative_id = ?1"                   \
    "  AND k.coordinator_id = ?3))"

int initiative_gate_load(struct dbc *c, int64_t cid, int64_t id, struct initiative_gate_facts *f)
{
    /* An empty text is stored empty (never sealed): '' says "not there"
     * without opening anything. */
    static const char sql[] =
        "SELECT coalesce(k.analysis <> '', 0), coalesce(k.goal <> '', 0),"
        " coalesce(k.done_text <> '', 0), coalesce(k.learned <> '', 0),"
        " coalesce(k.budget_confirmed, 0),"
        " (SELECT count(*) FROM initiative_evidence e WHERE e.initiative_id = i.id),"
        " (SELECT count(*) FROM initiative_stakeholders s WHERE s.initiative_id = i.id),"
        " (SELECT count(*) FROM initiative_tasks t WHERE t.initiative_id = i.id"
        "   AND t.owner_member IS NOT NULL AND t.due IS NOT NULL),"
        " (SELECT count(*) FROM initiative_budget_lines b WHERE b.initiative_id = i.id),"
        " (SELECT count(*) FROM initiative_tasks t WHERE t.initiative_id = i.id),"
        " (SELECT count(*) FROM initiative_tasks t WHERE t.initiative_id = i.id"
        "   AND t.status = 'done'),"
        " (SELECT count(*) FROM initiative_reports r WHERE r.initiative_id = i.id),"
        " (SELECT count(*) FROM initiative_indicators x WHERE x.initiative_id = i.id),"
        " (SELECT count(*) FROM initiative_indicators x WHERE x.initiative_id = i.id"
        "   AND x.value_after IS NOT NULL)"
        " FROM initiatives i LEFT JOIN initiative_work k ON k.initiative_id = i.id"
        " WHERE i.id = ?1 AND i.community_id = ?2";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", id, cid);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) {
        int *flags[] = {&f->analysis, &f->goal, &f->done_text, &f->learned, &f->budget_confirmed};
        for (int i = 0; i < 5; i++)
            *flags[i] = sqlite3_column_int(st, i) != 0;
        int64_t *nums[] = {&f->evidence,     &f->stakeholders, &f->tasks_planned,
                           &f->budget_lines, &f->tasks,        &f->tasks_done,
                           &f->reports,      &f->indicators,   &f->indicators_after};
        for (int i = 0; i < 9; i++)
            *nums[i] = sqlite3_column_int64(st, 5 + i);
    }
    db_done(st);
    return rc;
}

/* Why a move changed nothing, asked on the writer: gone (404), not at
 * work at that stage any more (409 moved), or not the mover's (409). */
static enum wr move_why(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                        int64_t from, const char *state)
{
    static const char sql[] = "SELECT (i.state = ?5 AND i.stage = ?6) + 2 *" MAY_MOVE
                              " FROM initiatives i WHERE i.id = ?1 AND i.community_id = ?2";
    int64_t s = db_int(w, -1, sql, "iiiiti", id, cid, by, (int64_t)(organizer != 0), state, from);
    if (s < 0) return WR_NOT_FOUND;
    if (!(s & 2)) return wr_fail(w, WR_CONFLICT, "initiative.error.not_coordinator");
    return wr_fail(w, WR_CONFLICT, "initiative.error.moved");
}

/* One move: the history row, then the initiative, both naming the state
 * and stage it moves from (?5, ?6) and who may (MAY_MOVE). */
static enum wr move(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                    const char *from_state, int64_t from, const char *to_state, int64_t to,
                    const char *reason)
{
    static const char hist[] =
        "INSERT INTO initiative_history(initiative_id, community_id, member_id, automatic, day,"
        " from_state, to_state, from_stage, to_stage, reason)"
        " SELECT i.id, i.community_id, nullif(?3, 0), 0, date(?7, 'unixepoch'), i.state, ?8,"
        " i.stage, ?9, CASE WHEN ?10 = '' THEN '' ELSE"
        "  seal(?10, ?2, 'initiative_history.reason') END"
        " FROM initiatives i WHERE i.id = ?1 AND i.community_id = ?2 AND i.state = ?5"
        " AND i.stage = ?6 AND" MAY_MOVE;
    static const char upd[] =
        "UPDATE initiatives SET state = ?8, stage = ?9"
        " WHERE id = ?1 AND community_id = ?2 AND state = ?5 AND stage = ?6"
        " AND (?4 OR EXISTS (SELECT 1 FROM initiative_work k WHERE k.initiative_id = ?1"
        "  AND k.coordinator_id = ?3)) AND ?7 = ?7 AND ?10 = ?10";
    int64_t org = organizer != 0, now = now_s();
    const char *why = reason ? reason : "";
    int h =
        db_exec(w, hist, "iiiitiitit", id, cid, by, org, from_state, from, now, to_state, to, why);
    if (h < 0) return wr_from_error(w);
    if (h == 0) return move_why(w, cid, id, by, organizer, from, from_state);
    return wr_changed(
        w,
        db_exec(w, upd, "iiiitiitit", id, cid, by, org, from_state, from, now, to_state, to, why),
        WR_DB);
}

enum wr initiative_move(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                        int64_t from, char **missing)
{
    if (missing) *missing = NULL;
    if (from < 1 || from > 4) return wr_fail(w, WR_INVALID, "error.out_of_range");
    struct initiative_gate_facts f = {0};
    if (initiative_gate_load(w, cid, id, &f) != 0) return WR_NOT_FOUND;
    struct initiative_gate_item items[INITIATIVE_GATE_ITEMS];
    int n = initiative_gate(from, &f, items);
    if (initiative_gate_missing(items, n) > 0) {
        /* a move meanwhile, or a mover who may not, is said first */
        static const char here[] = "SELECT (i.state = 'work' AND i.stage = ?5) + 2 *" MAY_MOVE
                                   " FROM initiatives i WHERE i.id = ?1 AND i.community_id = ?2";
        int64_t s = db_int(w, -1, here, "iiiii", id, cid, by, (int64_t)(organizer != 0), from);
        if (s != 3) return move_why(w, cid, id, by, organizer, from, "work");
        if (missing) {
            json_t *a = json_array();
            for (int i = 0; i < n; i++)
                if (!items[i].ok) json_array_append_new(a, json_string(items[i].key));
            *missing = json_dumps(a, JSON_COMPACT);
            json_decref(a);
        }
        return wr_fail(w, WR_CONFLICT, "initiative.error.gate");
    }
    return from == 4 ? move(w, cid, id, by, organizer, "work", 4, "done", 4, "")
                     : move(w, cid, id, by, organizer, "work", from, "work", from + 1, "");
}

enum wr initiative_move_back(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                             int64_t from, const char *reason)
{
    if (str_empty(reason)) return wr_fail(w, WR_INVALID, "error.required");
    /* from 5 is a done initiative reopened at evaluation */
    if (from == 5) return move(w, cid, id, by, organizer, "done", 4, "work", 4, reason);
    if (from < 2 || from > 4) return wr_fail(w, WR_INVALID, "error.out_of_range");
    return move(w, cid, id, by, organizer, "work", from, "work", from - 1, reason);
}

enum wr initiative_coordinator_set(struct dbc *w, int64_t cid, int64_t id, int64_t member)
{
    /* A member of this community, named on an initiative at work or done. */
    static const char sql[] =
        "INSERT INTO initiative_work(initiative_id, community_id, coordinator_id)"
        " SELECT i.id, i.community_id, nullif(?3, 0) FROM initiatives i"
        " WHERE i.id = ?1 AND i.community_id = ?2 AND i.state IN ('work', 'done')"
        " AND (?3 = 0 OR EXISTS (SELECT 1 FROM members m WHERE m.id = ?3"
        "  AND m.community_id = ?2))"
        /* nobody named where no row is: nothing to write */
        " AND (?3 <> 0 OR EXISTS (SELECT 1 FROM initiative_work x WHERE x.initiative_id = ?1))"
        " ON CONFLICT(initiative_id) DO UPDATE SET coordinator_id = excluded.coordinator_id";
    static const char exists[] =
        "SELECT count(*) FROM initiatives WHERE id = ? AND community_id = ?";
    static const char at_work[] = "SELECT count(*) FROM initiatives WHERE id = ?"
                                  " AND community_id = ? AND state IN ('work', 'done')";
    int n = db_exec(w, sql, "iii", id, cid, member);
    if (n < 0) return wr_from_error(w);
    if (n == 0 && member == 0 && db_int(w, 0, at_work, "ii", id, cid) > 0) return WR_OK;
    if (n == 0)
        return db_int(w, 0, exists, "ii", id, cid) == 0
                   ? WR_NOT_FOUND
                   : wr_fail(w, WR_CONFLICT, "initiative.error.not_at_work");
    return WR_OK;
}

/* Where an initiative may go straight to implementation: an idea, one in
 * the queue, or one at work before stage 3. */
#define ENTERS_IMPLEMENTATION " (state IN ('idea', 'queued') OR (state = 'work' AND stage < 3))"

enum wr initiative_enter_implementation(struct dbc *w, int64_t cid, int64_t id, const char *line,
                                        int64_t amount, int *moved)
{
    static const char hist[] =
        "INSERT INTO initiative_history(initiative_id, community_id, member_id, automatic, day,"
        " from_state, to_state, from_stage, to_stage, reason)"
        " SELECT id, community_id, NULL, 1, date(?3, 'unixepoch'), state, 'work', stage, 3, ''"
        " FROM initiatives WHERE id = ?1 AND community_id = ?2 AND" ENTERS_IMPLEMENTATION;
    static const char upd[] = "UPDATE initiatives SET state = 'work', stage = 3"
                              " WHERE id = ?1 AND community_id = ?2 AND" ENTERS_IMPLEMENTATION;
    static const char work[] =
        "INSERT INTO initiative_work(initiative_id, community_id, budget_confirmed)"
        " VALUES(?1, ?2, 1) ON CONFLICT(initiative_id) DO UPDATE SET budget_confirmed = 1";
    static const char add_line[] =
        "INSERT INTO initiative_budget_lines(initiative_id, community_id, name, amount)"
        " VALUES(?1, ?2, seal(?3, ?2, 'initiative_budget_lines.name'), ?4)";
    static const char exists[] =
        "SELECT count(*) FROM initiatives WHERE id = ? AND community_id = ?";
    if (moved) *moved = 0;
    int n = db_exec(w, hist, "iii", id, cid, now_s());
    if (n < 0) return wr_from_error(w);
    if (n == 0) return db_int(w, 0, exists, "ii", id, cid) == 0 ? WR_NOT_FOUND : WR_OK;
    if (db_exec(w, upd, "ii", id, cid) != 1 || db_exec(w, work, "ii", id, cid) != 1)
        return wr_from_error(w);
    if (amount > 0 && !str_empty(line) && db_exec(w, add_line, "iiti", id, cid, line, amount) != 1)
        return wr_from_error(w);
    if (moved) *moved = 1;
    return WR_OK;
}
