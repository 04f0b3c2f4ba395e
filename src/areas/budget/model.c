/* The budget area's SQL: processes, projects and their review. Ballots and
 * the count are in model_vote.c, download-my-data and sealing in
 * model_export.c. */
#include "areas/budget/budget.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const budget_phases[] = {"proposals", "review",         "voting",
                                     "results",   "implementation", NULL};
const char *const budget_ballot_kinds[] = {"approval", "cumulative", NULL};
const char *const budget_methods[] = {"equal_shares", "greedy", NULL};
const char *const budget_currencies[] = {"RUB", "BYN", "UAH",    "KZT", "EUR",
                                         "USD", "PLN", "points", NULL};

#define COLS                                                                                       \
    "id, community_id, amount, max_projects, max_total, points, coalesce(box_id, 0),"              \
    " proposals_on, review_on, voting_on, results_on, implementation_on,"                          \
    " counted, spent, voters, raises,"                                                             \
    " unseal(title, community_id, 'budget_processes.title'),"                                      \
    " unseal(description, community_id, 'budget_processes.description'),"                          \
    " currency, phase, ballot, method, share"

int budget_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id, struct budget_process *out)
{
    static const char sql[] =
        "SELECT " COLS " FROM budget_processes WHERE id = ?1 AND community_id = ?2";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", id, cid);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) {
        int64_t *n[] = {
            &out->id,        &out->community_id, &out->amount,     &out->max_projects,
            &out->max_total, &out->points,       &out->box_id,     &out->proposals_on,
            &out->review_on, &out->voting_on,    &out->results_on, &out->implementation_on,
            &out->counted,   &out->spent,        &out->voters,     &out->raises};
        for (int i = 0; i < 16; i++)
            *n[i] = sqlite3_column_int64(st, i);
        const char **t[] = {&out->title,  &out->description, &out->currency, &out->phase,
                            &out->ballot, &out->method,      &out->share};
        for (int i = 0; i < 7; i++)
            *t[i] = arena_strdup(a, (const char *)sqlite3_column_text(st, 16 + i));
        if (!out->title) rc = -1; /* the key is not at hand */
    }
    db_done(st);
    return rc;
}

json_t *budget_list(struct dbc *c, const struct vmask *m, int64_t cid)
{
    static const char sql[] =
        "SELECT p.id, unseal(p.title, p.community_id, 'budget_processes.title') AS title,"
        " p.amount, p.currency, p.phase, p.ballot, p.method,"
        " date(p.voting_on, 'unixepoch') AS voting_on,"
        " date(p.results_on, 'unixepoch') AS results_on,"
        " (SELECT count(*) FROM budget_projects j WHERE j.process_id = p.id) AS projects"
        " FROM budget_processes p WHERE p.community_id = ? ORDER BY p.id DESC LIMIT 100";
    return db_view_rows(c, m, sql, "i", cid);
}

const char *budget_settings_invalid(const struct budget_settings *s)
{
    if (!(s->proposals_on <= s->review_on && s->review_on <= s->voting_on &&
          s->voting_on < s->results_on && s->results_on <= s->implementation_on))
        return "budget.error.dates";
    int cumulative = s->ballot && str_eq(s->ballot, "cumulative");
    if (cumulative && s->points <= 0) return "budget.error.points";
    if (!cumulative && s->points > 0) return "budget.error.points_approval";
    if (cumulative && (s->max_projects || s->max_total)) return "budget.error.limits_cumulative";
    return NULL;
}

enum wr budget_create(struct dbc *w, int64_t cid, const struct budget_settings *s, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO budget_processes(community_id, title, description, amount, currency,"
        " proposals_on, review_on, voting_on, results_on, implementation_on, ballot,"
        " max_projects, max_total, points, method, created_at)"
        " VALUES(?1, seal(?2, ?1, 'budget_processes.title'),"
        " seal(?3, ?1, 'budget_processes.description'), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
        " ?12, ?13, ?14, ?15, ?16)";
    const char *bad = budget_settings_invalid(s);
    if (bad) return wr_fail(w, WR_INVALID, bad);
    int n = db_exec(w, sql, "ittitiiiiitiiiti", cid, s->title, s->description ? s->description : "",
                    s->amount, s->currency, s->proposals_on, s->review_on, s->voting_on,
                    s->results_on, s->implementation_on, s->ballot, s->max_projects,
                    (int64_t)(s->max_total != 0), s->points, s->method, now_s());
    if (n == 1 && id) *id = db_last_id(w);
    return wr_changed(w, n, WR_DB);
}

enum wr budget_update(struct dbc *w, int64_t cid, int64_t id, const struct budget_settings *s)
{
    /* The ballot and the method stay as they are once voting opened: the
     * WHERE asks that they are unchanged or that the phase is before it. */
    static const char sql[] =
        "UPDATE budget_processes SET title = seal(?1, ?16, 'budget_processes.title'),"
        " description = seal(?2, ?16, 'budget_processes.description'), amount = ?3,"
        " currency = ?4, proposals_on = ?5, review_on = ?6, voting_on = ?7, results_on = ?8,"
        " implementation_on = ?9, ballot = ?10, max_projects = ?11, max_total = ?12,"
        " points = ?13, method = ?14"
        " WHERE id = ?15 AND community_id = ?16 AND (phase IN ('proposals', 'review') OR"
        " (ballot = ?10 AND max_projects = ?11 AND max_total = ?12 AND points = ?13 AND"
        "  method = ?14 AND amount = ?3 AND results_on = ?8))";
    static const char exists[] =
        "SELECT count(*) FROM budget_processes WHERE id = ? AND community_id = ?";
    const char *bad = budget_settings_invalid(s);
    if (bad) return wr_fail(w, WR_INVALID, bad);
    int n = db_exec(w, sql, "ttitiiiiitiiitii", s->title, s->description ? s->description : "",
                    s->amount, s->currency, s->proposals_on, s->review_on, s->voting_on,
                    s->results_on, s->implementation_on, s->ballot, s->max_projects,
                    (int64_t)(s->max_total != 0), s->points, s->method, id, cid);
    if (n == 0)
        return db_int(w, 0, exists, "ii", id, cid) ? wr_fail(w, WR_CONFLICT, "budget.error.fixed")
                                                   : WR_NOT_FOUND;
    return wr_changed(w, n, WR_DB);
}

/* ---- projects ---- */

enum wr budget_project_add(struct dbc *w, int64_t cid, int64_t pid, int64_t author,
                           const struct budget_project_new *n, int64_t *id)
{
    /* The phase and the initiative's community are asked in the INSERT. */
    static const char sql[] =
        "INSERT INTO budget_projects(process_id, community_id, member_id, initiative_id, title,"
        " description, place, cost, created_at)"
        " SELECT p.id, p.community_id, ?3, nullif(?4, 0),"
        " seal(?5, p.community_id, 'budget_projects.title'),"
        " seal(?6, p.community_id, 'budget_projects.description'),"
        " seal(?7, p.community_id, 'budget_projects.place'), ?8, ?9"
        " FROM budget_processes p WHERE p.id = ?1 AND p.community_id = ?2"
        " AND p.phase = 'proposals' AND (?4 = 0 OR EXISTS (SELECT 1 FROM initiatives i"
        "  WHERE i.id = ?4 AND i.community_id = ?2))";
    static const char why[] =
        "SELECT CASE WHEN phase <> 'proposals' THEN 1 ELSE 2 END FROM budget_processes"
        " WHERE id = ? AND community_id = ?";
    int c = db_exec(w, sql, "iiiitttii", pid, cid, author, n->initiative_id, n->title,
                    n->description, n->place ? n->place : "", n->cost, now_s());
    if (c == 0) {
        int64_t k = db_int(w, 0, why, "ii", pid, cid);
        if (k == 0) return WR_NOT_FOUND;
        return wr_fail(w, WR_CONFLICT,
                       k == 1 ? "budget.error.not_proposals" : "budget.error.initiative");
    }
    if (c == 1 && id) *id = db_last_id(w);
    return wr_changed(w, c, WR_DB);
}

enum wr budget_project_update(struct dbc *w, int64_t cid, int64_t pid, int64_t id, int64_t author,
                              const struct budget_project_new *n)
{
    static const char sql[] =
        "UPDATE budget_projects SET title = seal(?1, community_id, 'budget_projects.title'),"
        " description = seal(?2, community_id, 'budget_projects.description'),"
        " place = seal(?3, community_id, 'budget_projects.place'), cost = ?4,"
        " initiative_id = nullif(?5, 0)"
        " WHERE id = ?6 AND process_id = ?7 AND community_id = ?8 AND member_id = ?9"
        " AND review = 'pending' AND (?5 = 0 OR EXISTS (SELECT 1 FROM initiatives i"
        "  WHERE i.id = ?5 AND i.community_id = ?8))"
        " AND EXISTS (SELECT 1 FROM budget_processes p WHERE p.id = ?7 AND p.phase = 'proposals')";
    static const char exists[] =
        "SELECT count(*) FROM budget_projects WHERE id = ? AND process_id = ? AND community_id = ?";
    int c = db_exec(w, sql, "tttiiiiii", n->title, n->description, n->place ? n->place : "",
                    n->cost, n->initiative_id, id, pid, cid, author);
    if (c == 0)
        return db_int(w, 0, exists, "iii", id, pid, cid)
                   ? wr_fail(w, WR_CONFLICT, "budget.error.not_editable")
                   : WR_NOT_FOUND;
    return wr_changed(w, c, WR_DB);
}

int budget_project_find(struct dbc *c, struct arena *a, int64_t cid, int64_t pid, int64_t id,
                        struct budget_project *out)
{
    static const char sql[] =
        "SELECT id, process_id, coalesce(member_id, 0), coalesce(initiative_id, 0), cost,"
        " coalesce(reviewed_cost, 0), unseal(title, community_id, 'budget_projects.title'),"
        " unseal(description, community_id, 'budget_projects.description'),"
        " unseal(place, community_id, 'budget_projects.place'), review,"
        " unseal(reason, community_id, 'budget_projects.reason')"
        " FROM budget_projects WHERE id = ?1 AND process_id = ?2 AND community_id = ?3";
    sqlite3_stmt *st = db_prepare(c, sql, "iii", id, pid, cid);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) {
        int64_t *n[] = {&out->id,   &out->process_id,   &out->member_id, &out->initiative_id,
                        &out->cost, &out->reviewed_cost};
        for (int i = 0; i < 6; i++)
            *n[i] = sqlite3_column_int64(st, i);
        const char **t[] = {&out->title, &out->description, &out->place, &out->review,
                            &out->reason};
        for (int i = 0; i < 5; i++)
            *t[i] = arena_strdup(a, (const char *)sqlite3_column_text(st, 6 + i));
        if (!out->title) rc = -1;
    }
    db_done(st);
    return rc;
}

enum wr budget_review(struct dbc *w, int64_t cid, int64_t pid, int64_t id, int feasible,
                      const char *reason, int64_t reviewed_cost)
{
    static const char sql[] =
        "UPDATE budget_projects SET review = ?1,"
        " reason = seal(?2, community_id, 'budget_projects.reason'),"
        " reviewed_cost = nullif(?3, 0)"
        " WHERE id = ?4 AND process_id = ?5 AND community_id = ?6 AND EXISTS (SELECT 1"
        "  FROM budget_processes p WHERE p.id = ?5 AND p.phase IN ('proposals', 'review'))";
    static const char exists[] =
        "SELECT count(*) FROM budget_projects WHERE id = ? AND process_id = ? AND community_id = ?";
    int c = db_exec(w, sql, "ttiiii", feasible ? "feasible" : "infeasible", reason ? reason : "",
                    reviewed_cost, id, pid, cid);
    if (c == 0)
        return db_int(w, 0, exists, "iii", id, pid, cid)
                   ? wr_fail(w, WR_CONFLICT, "budget.error.reviewed_late")
                   : WR_NOT_FOUND;
    return wr_changed(w, c, WR_DB);
}

json_t *budget_projects(struct dbc *c, const struct vmask *m, int64_t pid, int64_t viewer,
                        int feasible_only)
{
    static const char sql[] =
        "SELECT j.id, unseal(j.title, j.community_id, 'budget_projects.title') AS title,"
        " unseal(j.description, j.community_id, 'budget_projects.description') AS description,"
        " unseal(j.place, j.community_id, 'budget_projects.place') AS place,"
        " j.cost AS estimated, coalesce(j.reviewed_cost, j.cost) AS cost, j.review,"
        " unseal(j.reason, j.community_id, 'budget_projects.reason') AS reason,"
        " j.initiative_id, coalesce(unseal(mb.name, mb.community_id, 'members.name'), '') AS "
        "author,"
        " j.member_id IS NULL AS former, j.member_id = ?2 AS mine"
        " FROM budget_projects j LEFT JOIN members mb ON mb.id = j.member_id"
        " WHERE j.process_id = ?1 AND (?3 = 0 OR j.review = 'feasible') ORDER BY j.id LIMIT 1000";
    return db_view_rows(c, m, sql, "iii", pid, viewer, (int64_t)(feasible_only != 0));
}

json_t *budget_view(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT id, unseal(title, community_id, 'budget_processes.title') AS title,"
        " unseal(description, community_id, 'budget_processes.description') AS description,"
        " amount, currency, phase, ballot, method, max_projects, max_total, points,"
        " date(proposals_on, 'unixepoch') AS proposals_on,"
        " date(review_on, 'unixepoch') AS review_on, date(voting_on, 'unixepoch') AS voting_on,"
        " date(results_on, 'unixepoch') AS results_on,"
        " date(implementation_on, 'unixepoch') AS implementation_on,"
        " counted, spent, voters, raises, share"
        " FROM budget_processes WHERE id = ? AND community_id = ?";
    return db_view_row(c, m, sql, "ii", id, cid);
}

json_t *budget_voting_closing(struct dbc *c, int64_t from, int64_t to)
{
    static const char sql[] = "SELECT community_id, id, results_on AS due FROM budget_processes"
                              " WHERE phase = 'voting' AND results_on > ?1 AND results_on <= ?2";
    return db_rows(c, sql, "ii", from, to);
}

int budget_bench_community(struct dbc *c, char *out, size_t n)
{
    /* bench/run's choice: the most members among the communities with a
     * strategy (goals), so that every area has data there */
    static const char sql[] =
        "SELECT c.slug FROM communities c"
        " ORDER BY c.id IN (SELECT community_id FROM goals) DESC,"
        " (SELECT count(*) FROM members m WHERE m.community_id = c.id) DESC, c.id LIMIT 1";
    char *slug = db_text(c, sql, "");
    int rc = slug && *slug ? 0 : -1;
    if (rc == 0) snprintf(out, n, "%s", slug);
    free(slug);
    return rc;
}
