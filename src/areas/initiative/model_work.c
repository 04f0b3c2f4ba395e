/* The four stages' writes: the texts of a stage, the entries of the
 * analysis and the design, the implementation's task status, reports and
 * spending, the evaluation's values after. Each statement names in its
 * WHERE that the initiative is at work at the stage the entry belongs to
 * or later (STAGE_AT) and that the writer may work on it (MAY_WORK); zero
 * rows changed is told apart on the writer (initiative_stage_why). See initiative.h
 * and docs/architecture.md. */
#include "areas/initiative/initiative.h"
#include "areas/initiative/model_rules.h"
#include "core/form.h"
#include "core/notify.h"
#include "core/util.h"

enum wr initiative_stage_why(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                             int64_t stage)
{
    static const char sql[] = "SELECT (i.state = 'work' AND i.stage >= ?5) + 2 *" MAY_WORK
                              " FROM initiatives i WHERE i.id = ?1 AND i.community_id = ?2";
    int64_t s = db_int(w, -1, sql, "iiiii", id, cid, by, (int64_t)(organizer != 0), stage);
    if (s < 0) return WR_NOT_FOUND;
    if (!(s & 1)) return wr_fail(w, WR_CONFLICT, "initiative.error.not_this_stage");
    if (!(s & 2)) return wr_fail(w, WR_CONFLICT, "initiative.error.not_team");
    return WR_OK;
}

/* A write's count: > 0 done; 0 asked why (then `none` when the stage and
 * the writer were right); < 0 the database's error. */
static enum wr work_done(struct dbc *w, int n, int64_t cid, int64_t id, int64_t by, int organizer,
                         int64_t stage, enum wr none, const char *why)
{
    if (n < 0) return wr_from_error(w);
    if (n > 0) return WR_OK;
    enum wr rc = initiative_stage_why(w, cid, id, by, organizer, stage);
    if (rc != WR_OK || none == WR_OK) return rc;
    return why ? wr_fail(w, none, why) : none;
}

static const char *txt(const char *s)
{
    return s ? s : "";
}

/* ---- the texts of a stage: one row of initiative_work ----
 *
 * An empty text is stored empty (the gate asks <> ''), and a form of
 * empty texts saved where no row is writes none: no row reads as empty. */

#define SEALED(n, col)                                                                             \
    "CASE WHEN ?" #n " = '' THEN '' ELSE seal(?" #n ", ?2, 'initiative_work." col "') END"
#define NO_ROW_YET " EXISTS (SELECT 1 FROM initiative_work x WHERE x.initiative_id = ?1)"

enum wr initiative_texts_save(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                              const struct initiative_texts *t)
{
    static const char analysis[] =
        "INSERT INTO initiative_work(initiative_id, community_id, analysis, affected)"
        " SELECT ?1, ?2, " SEALED(5, "analysis") ", " SEALED(6, "affected") " WHERE" STAGE_AT(
            1) " AND (?5 <> '' OR ?6 <> '' OR" NO_ROW_YET ") AND ?7 = ?7 AND ?8 = ?8"
               " ON CONFLICT(initiative_id) DO UPDATE SET analysis = excluded.analysis,"
               " affected = excluded.affected";
    static const char design[] =
        "INSERT INTO initiative_work(initiative_id, community_id, goal, result, risks,"
        " budget_confirmed)"
        " SELECT ?1, ?2, " SEALED(5, "goal") ", " SEALED(6, "result") ", " SEALED(
            7, "risks") ", ?8"
                        " WHERE" STAGE_AT(
                            2) " AND (?5 <> '' OR ?6 <> '' OR ?7 <> '' OR ?8 OR" NO_ROW_YET ")"
                               " ON CONFLICT(initiative_id) DO UPDATE SET goal = excluded.goal,"
                               " result = excluded.result, risks = excluded.risks,"
                               " budget_confirmed = excluded.budget_confirmed";
    static const char evaluation[] =
        "INSERT INTO initiative_work(initiative_id, community_id, done_text, learned,"
        " consequences)"
        " SELECT ?1, ?2, " SEALED(5, "done_text") ", " SEALED(6, "learned") ", " SEALED(
            7, "consequences") " WHERE" STAGE_AT(4) " AND (?5 <> '' OR ?6 <> '' OR ?7 <> '' OR"
                                                    " " NO_ROW_YET ") AND ?8 = ?8"
                                                    " ON CONFLICT(initiative_id) DO UPDATE SET"
                                                    " done_text = excluded.done_text,"
                                                    " learned = excluded.learned, consequences = "
                                                    "excluded.consequences";
    const char *sql = t->stage == 1 ? analysis : t->stage == 2 ? design : evaluation;
    if (t->stage != 1 && t->stage != 2 && t->stage != 4)
        return wr_fail(w, WR_INVALID, "error.out_of_range");
    int n = db_exec(w, sql, "iiiittti", id, cid, by, (int64_t)(organizer != 0), txt(t->a),
                    txt(t->b), txt(t->c), (int64_t)(t->flag != 0));
    /* nothing to write where nothing was: saved as it is */
    return work_done(w, n, cid, id, by, organizer, t->stage, WR_OK, NULL);
}

/* ---- the analysis: evidence and stakeholders ---- */

/* Evidence ?5 (kind) ?6 (id): one of community ?2's own objects that the
 * writer may see (a need of the talent bank: not hidden, and not for
 * organizers only unless ?7, an organizer, or its own, ?3). */
#define EVIDENCE_VISIBLE                                                                           \
    " CASE ?5 WHEN 'survey' THEN EXISTS (SELECT 1 FROM surveys s WHERE s.id = ?6"                  \
    "  AND s.community_id = ?2)"                                                                   \
    " WHEN 'wave' THEN EXISTS (SELECT 1 FROM soc_waves v WHERE v.id = ?6 AND v.community_id = ?2)" \
    " WHEN 'need' THEN EXISTS (SELECT 1 FROM talent_entries e WHERE e.id = ?6"                     \
    "  AND e.community_id = ?2 AND e.kind = 'need' AND e.hidden_reason IS NULL"                    \
    "  AND (?4 OR e.visibility <> 'organizers' OR e.member_id = ?3))"                              \
    " ELSE 0 END"

enum wr initiative_evidence_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                                const char *kind, int64_t ref)
{
    static const char sql[] =
        "INSERT INTO initiative_evidence(initiative_id, community_id, kind, ref_id)"
        " SELECT ?1, ?2, ?5, ?6 WHERE" STAGE_AT(1) " AND" EVIDENCE_VISIBLE
                                                   " ON CONFLICT DO NOTHING";
    static const char twice[] = "SELECT count(*) FROM initiative_evidence WHERE initiative_id = ?"
                                " AND kind = ? AND ref_id = ?";
    int n = db_exec(w, sql, "iiiiti", id, cid, by, (int64_t)(organizer != 0), kind, ref);
    enum wr rc = work_done(w, n, cid, id, by, organizer, 1, WR_CONFLICT, NULL);
    if (rc == WR_CONFLICT && n == 0 && !wr_reason(w))
        return wr_fail(w, WR_CONFLICT,
                       db_int(w, 0, twice, "iti", id, kind, ref) > 0
                           ? "initiative.error.evidence_twice"
                           : "initiative.error.choice_gone");
    return rc;
}

enum wr initiative_stakeholder_add(struct dbc *w, int64_t cid, int64_t id, int64_t by,
                                   int organizer, const char *name, const char *part)
{
    static const char sql[] =
        "INSERT INTO initiative_stakeholders(initiative_id, community_id, name, part)"
        " SELECT ?1, ?2, seal(?5, ?2, 'initiative_stakeholders.name'),"
        " CASE WHEN ?6 = '' THEN '' ELSE seal(?6, ?2, 'initiative_stakeholders.part') END"
        " WHERE" STAGE_AT(1);
    int n = db_exec(w, sql, "iiiitt", id, cid, by, (int64_t)(organizer != 0), name, txt(part));
    return work_done(w, n, cid, id, by, organizer, 1, WR_CONFLICT, NULL);
}

/* ---- the design: indicators, tasks, the team, budget lines ---- */

enum wr initiative_indicator_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                                 const char *name, int64_t now, int64_t target)
{
    static const char sql[] =
        "INSERT INTO initiative_indicators(initiative_id, community_id, name, value_now, target)"
        " SELECT ?1, ?2, seal(?5, ?2, 'initiative_indicators.name'), ?6, ?7 WHERE" STAGE_AT(2);
    int n = db_exec(w, sql, "iiiitii", id, cid, by, (int64_t)(organizer != 0), name, now, target);
    return work_done(w, n, cid, id, by, organizer, 2, WR_CONFLICT, NULL);
}

/* A member ?n of community ?2, or 0 for none. */
#define MEMBER_OR_NONE(n)                                                                          \
    " (?" #n " = 0 OR EXISTS (SELECT 1 FROM members m WHERE m.id = ?" #n                           \
    "  AND m.community_id = ?2))"

enum wr initiative_task_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                            const struct initiative_task_new *t, int64_t *task)
{
    static const char sql[] =
        "INSERT INTO initiative_tasks(initiative_id, community_id, title, owner_member, due,"
        " hours, money, people, created_at)"
        " SELECT ?1, ?2, seal(?5, ?2, 'initiative_tasks.title'), nullif(?6, 0), nullif(?7, ''), "
        "?8, ?9, ?10,"
        " ?11 WHERE" STAGE_AT(2) " AND" MEMBER_OR_NONE(6);
    int n = db_exec(w, sql, "iiiititiiii", id, cid, by, (int64_t)(organizer != 0), t->title,
                    t->owner, t->due, t->hours, t->money, t->people, now_s());
    enum wr rc =
        work_done(w, n, cid, id, by, organizer, 2, WR_CONFLICT, "initiative.error.member_gone");
    if (rc == WR_OK && task) *task = db_last_id(w);
    /* the task's owner hears it is theirs, about the initiative (its page
     * lists the tasks); not the one who wrote it for themselves */
    if (rc == WR_OK && t->owner && t->owner != by &&
        notify_members(w, cid, INITIATIVE_NOTIFY_TASK, id, NOTIFY_TO_MEMBER, t->owner, now_s()) < 0)
        rc = WR_DB;
    return rc;
}

enum wr initiative_team_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                            int64_t member, const char *role)
{
    /* a member named again has the new role */
    static const char sql[] =
        "INSERT INTO initiative_team(initiative_id, member_id, community_id, role)"
        " SELECT ?1, ?5, ?2, seal(?6, ?2, 'initiative_team.role') WHERE" STAGE_AT(
            2) " AND ?5 <> 0 AND" MEMBER_OR_NONE(5) " ON CONFLICT(initiative_id, member_id) DO "
                                                    "UPDATE SET role = excluded.role";
    int n = db_exec(w, sql, "iiiiit", id, cid, by, (int64_t)(organizer != 0), member, role);
    return work_done(w, n, cid, id, by, organizer, 2, WR_CONFLICT, "initiative.error.member_gone");
}

enum wr initiative_line_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                            const char *name, int64_t amount)
{
    static const char sql[] =
        "INSERT INTO initiative_budget_lines(initiative_id, community_id, name, amount)"
        " SELECT ?1, ?2, seal(?5, ?2, 'initiative_budget_lines.name'), ?6 WHERE" STAGE_AT(2);
    int n = db_exec(w, sql, "iiiiti", id, cid, by, (int64_t)(organizer != 0), name, amount);
    return work_done(w, n, cid, id, by, organizer, 2, WR_CONFLICT, NULL);
}

/* ---- removing an entry of the analysis or the design ---- */

const char *const initiative_entry_kinds[] = {"evidence", "stakeholder", "indicator", "task",
                                              "team",     "line",        NULL};

enum wr initiative_entry_remove(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                                const char *kind, int64_t entry)
{
    static const char *const sql[] = {
        "DELETE FROM initiative_evidence WHERE id = ?5 AND initiative_id = ?1"
        " AND community_id = ?2 AND" STAGE_AT(1),
        "DELETE FROM initiative_stakeholders WHERE id = ?5 AND initiative_id = ?1"
        " AND community_id = ?2 AND" STAGE_AT(1),
        "DELETE FROM initiative_indicators WHERE id = ?5 AND initiative_id = ?1"
        " AND community_id = ?2 AND" STAGE_AT(2),
        "DELETE FROM initiative_tasks WHERE id = ?5 AND initiative_id = ?1"
        " AND community_id = ?2 AND" STAGE_AT(2),
        "DELETE FROM initiative_team WHERE member_id = ?5 AND initiative_id = ?1"
        " AND community_id = ?2 AND" STAGE_AT(2),
        /* a line money was spent on stays: the spending is its record */
        "DELETE FROM initiative_budget_lines WHERE id = ?5 AND initiative_id = ?1"
        " AND community_id = ?2 AND NOT EXISTS (SELECT 1 FROM initiative_spending p"
        "  WHERE p.line_id = ?5) AND" STAGE_AT(2),
    };
    static const int stage[] = {1, 1, 2, 2, 2, 2};
    static const char spent[] = "SELECT count(*) FROM initiative_spending p JOIN"
                                " initiative_budget_lines b ON b.id = p.line_id"
                                " WHERE p.line_id = ? AND b.initiative_id = ?";
    int k = form_choice_index(initiative_entry_kinds, kind);
    if (k < 0) return wr_fail(w, WR_INVALID, "error.bad_choice");
    int n = db_exec(w, sql[k], "iiiii", id, cid, by, (int64_t)(organizer != 0), entry);
    enum wr rc = work_done(w, n, cid, id, by, organizer, stage[k], WR_NOT_FOUND, NULL);
    if (rc == WR_NOT_FOUND && k == 5 && db_int(w, 0, spent, "ii", entry, id) > 0)
        return wr_fail(w, WR_CONFLICT, "initiative.error.line_spent");
    return rc;
}

/* ---- the implementation ---- */

enum wr initiative_task_status(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                               int64_t task, const char *status, int64_t progress)
{
    /* the team, and the task's own owner */
    static const char sql[] =
        "UPDATE initiative_tasks SET status = ?6, progress = ?7"
        " WHERE id = ?5 AND initiative_id = ?1 AND community_id = ?2"
        " AND EXISTS (SELECT 1 FROM initiatives i WHERE i.id = ?1 AND i.community_id = ?2"
        "  AND i.state = 'work' AND i.stage >= 3 AND (owner_member = ?3 OR" MAY_WORK "))";
    int n =
        db_exec(w, sql, "iiiiiti", id, cid, by, (int64_t)(organizer != 0), task, status, progress);
    if (n < 0) return wr_from_error(w);
    if (n > 0) return WR_OK;
    enum wr rc = initiative_stage_why(w, cid, id, by, organizer, 3);
    return rc == WR_OK ? WR_NOT_FOUND : rc;
}

enum wr initiative_report_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                              const char *body)
{
    static const char sql[] =
        "INSERT INTO initiative_reports(initiative_id, community_id, member_id, body, created_at)"
        " SELECT ?1, ?2, ?3, seal(?5, ?2, 'initiative_reports.body'), ?6 WHERE" STAGE_AT(3);
    int n = db_exec(w, sql, "iiiiti", id, cid, by, (int64_t)(organizer != 0), body, now_s());
    return work_done(w, n, cid, id, by, organizer, 3, WR_CONFLICT, NULL);
}

enum wr initiative_spending_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                                const struct initiative_spending_new *s)
{
    static const char sql[] =
        "INSERT INTO initiative_spending(line_id, initiative_id, community_id, member_id, amount,"
        " day, note)"
        " SELECT ?5, ?1, ?2, ?3, ?6, ?7,"
        " CASE WHEN ?8 = '' THEN '' ELSE seal(?8, ?2, 'initiative_spending.note') END"
        " WHERE" STAGE_AT(3) " AND EXISTS (SELECT 1 FROM initiative_budget_lines b"
                             "  WHERE b.id = ?5 AND b.initiative_id = ?1)";
    int n = db_exec(w, sql, "iiiiiitt", id, cid, by, (int64_t)(organizer != 0), s->line, s->amount,
                    s->day, txt(s->note));
    return work_done(w, n, cid, id, by, organizer, 3, WR_CONFLICT, "initiative.error.line_gone");
}

/* ---- the evaluation ---- */

enum wr initiative_value_after(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                               int64_t indicator, int64_t value)
{
    /* value < 0: not measured (NULL) */
    static const char sql[] =
        "UPDATE initiative_indicators SET value_after = CASE WHEN ?6 < 0 THEN NULL ELSE ?6 END"
        " WHERE id = ?5 AND initiative_id = ?1 AND community_id = ?2 AND" STAGE_AT(4);
    int n = db_exec(w, sql, "iiiiii", id, cid, by, (int64_t)(organizer != 0), indicator, value);
    return work_done(w, n, cid, id, by, organizer, 4, WR_NOT_FOUND, NULL);
}
