/* The four stages' reads for the initiative's page: its texts, the
 * entries of each stage (fields of a mask each, people by name for
 * members), the evidence the analysis may point at. See initiative.h. */
#include "areas/initiative/initiative.h"

/* An empty text is stored empty and never opened. */
#define WORK_TEXT(col)                                                                             \
    "CASE WHEN k." col " = '' THEN '' ELSE unseal(k." col ", k.community_id,"                      \
    " 'initiative_work." col "') END AS " col
#define MEMBER_NAME(alias, col)                                                                    \
    "coalesce(unseal(" alias ".name, " alias ".community_id, 'members.name'), '') AS " col

json_t *initiative_texts_view(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id)
{
    static const char
        sql[] = "SELECT " WORK_TEXT("analysis") ", " WORK_TEXT("affected") ", " WORK_TEXT("goal") ", " WORK_TEXT("result") ", " WORK_TEXT(
            "risks") ","
                     " k.budget_confirmed, " WORK_TEXT("done_text") ", " WORK_TEXT(
                         "learned") ", " WORK_TEXT("consequences") ","
                                                                   " " MEMBER_NAME(
                                                                       "m",
                                                                       "coordinator") " FROM "
                                                                                      "initiative_"
                                                                                      "work k LEFT "
                                                                                      "JOIN "
                                                                                      "members m "
                                                                                      "ON m.id = "
                                                                                      "k."
                                                                                      "coordinator_"
                                                                                      "id"
                                                                                      " WHERE "
                                                                                      "k."
                                                                                      "initiative_"
                                                                                      "id = ?1 AND "
                                                                                      "k.community_"
                                                                                      "id = ?2";
    return db_view_row(c, m, sql, "ii", id, cid);
}

int64_t initiative_coordinator(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] = "SELECT coalesce(coordinator_id, 0) FROM initiative_work"
                              " WHERE initiative_id = ? AND community_id = ?";
    return db_int(c, 0, sql, "ii", id, cid);
}

int initiative_on_team(struct dbc *c, int64_t id, int64_t member)
{
    static const char sql[] =
        "SELECT count(*) FROM initiative_team WHERE initiative_id = ? AND member_id = ?";
    return member && db_int(c, 0, sql, "ii", id, member) > 0;
}

/* ---- the entries ---- */

json_t *initiative_evidence_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id,
                                 int64_t viewer, int organizer)
{
    /* the object's name, or NULL when it is gone or not the viewer's to
     * see (a need of the talent bank hidden, or for organizers only) */
    static const char sql[] =
        "SELECT e.id AS entry, e.kind, e.ref_id AS ref, CASE e.kind"
        " WHEN 'survey' THEN (SELECT unseal(s.title, s.community_id, 'surveys.title')"
        "  FROM surveys s WHERE s.id = e.ref_id AND s.community_id = e.community_id)"
        " WHEN 'wave' THEN (SELECT date(v.opens_on, 'unixepoch') || ' — ' ||"
        "  date(v.closes_on, 'unixepoch') FROM soc_waves v WHERE v.id = e.ref_id"
        "  AND v.community_id = e.community_id)"
        " WHEN 'need' THEN (SELECT unseal(t.title, t.community_id, 'talent_entries.title')"
        "  FROM talent_entries t WHERE t.id = e.ref_id AND t.community_id = e.community_id"
        "  AND t.kind = 'need' AND t.hidden_reason IS NULL"
        "  AND (?4 OR t.visibility <> 'organizers' OR t.member_id = ?3))"
        " END AS what"
        " FROM initiative_evidence e WHERE e.initiative_id = ?1 AND e.community_id = ?2"
        " ORDER BY e.id LIMIT 200";
    return db_view_rows(c, m, sql, "iiii", id, cid, viewer, (int64_t)(organizer != 0));
}

json_t *initiative_evidence_choices(struct dbc *c, int64_t cid, int64_t viewer, int organizer)
{
    static const char sql[] =
        "SELECT * FROM (SELECT 'survey' AS kind, s.id AS ref,"
        " unseal(s.title, s.community_id, 'surveys.title') AS what FROM surveys s"
        " WHERE s.community_id = ?1 ORDER BY s.opens_on DESC, s.id DESC LIMIT 20)"
        " UNION ALL SELECT * FROM (SELECT 'wave', v.id, date(v.opens_on, 'unixepoch') || ' — ' ||"
        " date(v.closes_on, 'unixepoch') FROM soc_waves v WHERE v.community_id = ?1"
        " ORDER BY v.opens_on DESC, v.id DESC LIMIT 10)"
        /* the newest needs, walked newest first by talent_entries_needs
         * (migration 069): sorting every need of a large community, titles
         * opened, cost 5 M instructions a page; and 30 of them, not 100 (a
         * sealed title opened is 10,000 instructions, and a select of a
         * hundred needs is not read by anyone) */
        " UNION ALL SELECT * FROM (SELECT 'need', t.id,"
        " unseal(t.title, t.community_id, 'talent_entries.title')"
        " FROM talent_entries t INDEXED BY talent_entries_needs"
        " WHERE t.community_id = ?1 AND t.kind = 'need' AND t.hidden_reason IS NULL"
        " AND (?3 OR t.visibility <> 'organizers' OR t.member_id = ?2)"
        " ORDER BY t.id DESC LIMIT 30)";
    return db_rows(c, sql, "iii", cid, viewer, (int64_t)(organizer != 0));
}

json_t *initiative_stakeholder_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT s.id AS entry, unseal(s.name, s.community_id, 'initiative_stakeholders.name')"
        " AS name, CASE WHEN s.part = '' THEN '' ELSE"
        " unseal(s.part, s.community_id, 'initiative_stakeholders.part') END AS part"
        " FROM initiative_stakeholders s WHERE s.initiative_id = ?1 AND s.community_id = ?2"
        " ORDER BY s.id LIMIT 200";
    return db_view_rows(c, m, sql, "ii", id, cid);
}

json_t *initiative_indicator_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT x.id AS entry, unseal(x.name, x.community_id, 'initiative_indicators.name')"
        " AS name, x.value_now, x.target, x.value_after"
        " FROM initiative_indicators x WHERE x.initiative_id = ?1 AND x.community_id = ?2"
        " ORDER BY x.id LIMIT 200";
    return db_view_rows(c, m, sql, "ii", id, cid);
}

json_t *initiative_task_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id,
                             int64_t viewer)
{
    static const char sql[] =
        "SELECT t.id AS entry, unseal(t.title, t.community_id, 'initiative_tasks.title') AS title,"
        " " MEMBER_NAME(
            "m",
            "owner") ", t.owner_member IS NULL AS no_owner,"
                     " ?3 <> 0 AND t.owner_member IS ?3 AS mine, t.due, t.hours, t.money, t.people,"
                     " t.status, t.progress"
                     " FROM initiative_tasks t LEFT JOIN members m ON m.id = t.owner_member"
                     " WHERE t.initiative_id = ?1 AND t.community_id = ?2 ORDER BY t.due IS NULL, "
                     "t.due, t.id"
                     " LIMIT 300";
    return db_view_rows(c, m, sql, "iii", id, cid, viewer);
}

json_t *initiative_team_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id)
{
    static const char sql[] = "SELECT tm.member_id AS entry, " MEMBER_NAME(
        "m", "name") ","
                     " unseal(tm.role, tm.community_id, 'initiative_team.role') AS role"
                     " FROM initiative_team tm JOIN members m ON m.id = tm.member_id"
                     " WHERE tm.initiative_id = ?1 AND tm.community_id = ?2 ORDER BY tm.member_id "
                     "LIMIT 200";
    return db_view_rows(c, m, sql, "ii", id, cid);
}

/* The people of an initiative (its author, coordinator and team) by
 * member id and name, for the task owner's and the coordinator's selects:
 * a few rows where a list of the whole community would be thousands. */
json_t *initiative_people(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] =
        /* from the few ids to the members, not through the community's
         * members (an IN over them walked all of a community's names) */
        "SELECT m.id, unseal(m.name, m.community_id, 'members.name') AS display_name"
        " FROM (SELECT member_id AS id FROM initiatives WHERE id = ?1 AND community_id = ?2"
        "  UNION SELECT coordinator_id FROM initiative_work WHERE initiative_id = ?1"
        "  UNION SELECT member_id FROM initiative_team WHERE initiative_id = ?1) p"
        " JOIN members m ON m.id = p.id WHERE m.community_id = ?2"
        " ORDER BY m.id LIMIT 201";
    return db_rows(c, sql, "ii", id, cid);
}

json_t *initiative_line_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT b.id AS entry, unseal(b.name, b.community_id, 'initiative_budget_lines.name')"
        " AS name, b.amount, (SELECT coalesce(sum(p.amount), 0) FROM initiative_spending p"
        "  WHERE p.line_id = b.id) AS spent"
        " FROM initiative_budget_lines b WHERE b.initiative_id = ?1 AND b.community_id = ?2"
        " ORDER BY b.id LIMIT 200";
    return db_view_rows(c, m, sql, "ii", id, cid);
}

json_t *initiative_spending_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT p.day, unseal(b.name, b.community_id, 'initiative_budget_lines.name') AS line,"
        " p.amount, CASE WHEN p.note = '' THEN '' ELSE"
        " unseal(p.note, p.community_id, 'initiative_spending.note') END AS note,"
        " " MEMBER_NAME(
            "m",
            "who") ", p.member_id IS NULL AS former"
                   " FROM initiative_spending p JOIN initiative_budget_lines b ON b.id = p.line_id"
                   " LEFT JOIN members m ON m.id = p.member_id"
                   " WHERE p.initiative_id = ?1 AND p.community_id = ?2 ORDER BY p.day, p.id LIMIT "
                   "500";
    return db_view_rows(c, m, sql, "ii", id, cid);
}

json_t *initiative_report_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT r.id AS entry, date(r.created_at, 'unixepoch') AS created,"
        " unseal(r.body, r.community_id, 'initiative_reports.body') AS body,"
        " " MEMBER_NAME(
            "m",
            "who") ", r.member_id IS NULL AS former"
                   " FROM initiative_reports r LEFT JOIN members m ON m.id = r.member_id"
                   " WHERE r.initiative_id = ?1 AND r.community_id = ?2 ORDER BY r.id LIMIT 200";
    return db_view_rows(c, m, sql, "ii", id, cid);
}
