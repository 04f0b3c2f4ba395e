/* Implementation (issue 15, step 2): when an organizer moves a counted
 * process on to its implementation phase, each selected project becomes
 * an initiative at its implementation stage, in the same transaction,
 * through the initiative area's own writes: a project that stands for an
 * initiative moves that one on; any other is proposed as a new initiative
 * by the project's author and moved on. The initiative carries the
 * project's cost as its budget line, and the project points at it, so the
 * results page shows the initiative's stage and its tasks' progress. */
#include "areas/budget/budget.h"
#include "areas/initiative/initiative.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

struct chosen {
    int64_t id, author, initiative, cost;
    char *title, *description, *place;
};

static char *col_text(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return xstrdup(s ? s : "");
}

enum wr budget_implement(struct dbc *w, int64_t cid, int64_t pid)
{
    static const char sql[] =
        "SELECT j.id, coalesce(j.member_id, 0), coalesce(i.id, 0),"
        " coalesce(j.reviewed_cost, j.cost),"
        " unseal(j.title, j.community_id, 'budget_projects.title'),"
        " unseal(j.description, j.community_id, 'budget_projects.description'),"
        " unseal(j.place, j.community_id, 'budget_projects.place')"
        " FROM budget_results r JOIN budget_projects j ON j.id = r.project_id"
        " LEFT JOIN initiatives i ON i.id = j.initiative_id AND i.community_id = j.community_id"
        " WHERE r.process_id = ?1 AND r.selected = 1 AND j.community_id = ?2 ORDER BY r.ord";
    static const char proc[] =
        "SELECT unseal(title, community_id, 'budget_processes.title') FROM budget_processes"
        " WHERE id = ?1 AND community_id = ?2";
    static const char points[] =
        "SELECT currency = 'points' FROM budget_processes WHERE id = ?1 AND community_id = ?2";
    static const char link[] = "UPDATE budget_projects SET initiative_id = ?1"
                               " WHERE id = ?2 AND process_id = ?3 AND community_id = ?4";
    /* the rows first: the writes below go through other statements */
    size_t n = 0, cap = 8;
    struct chosen *c = xmalloc(cap * sizeof *c);
    sqlite3_stmt *st = db_prepare(w, sql, "ii", pid, cid);
    int ok = st != NULL;
    while (ok && sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) c = xrealloc(c, (cap *= 2) * sizeof *c);
        c[n] = (struct chosen){sqlite3_column_int64(st, 0),
                               sqlite3_column_int64(st, 1),
                               sqlite3_column_int64(st, 2),
                               sqlite3_column_int64(st, 3),
                               col_text(st, 4),
                               col_text(st, 5),
                               col_text(st, 6)};
        ok = c[n].title[0] != 0; /* a sealed text that could not be opened */
        n++;
    }
    db_done(st);
    char *title = ok ? db_text(w, proc, "ii", pid, cid) : NULL;
    int no_money = db_int(w, 1, points, "ii", pid, cid) != 0;
    enum wr rc = ok && title ? WR_OK : WR_DB;
    for (size_t k = 0; k < n && rc == WR_OK; k++) {
        int64_t ini = c[k].initiative;
        if (!ini) {
            struct initiative_new in = {.title = c[k].title,
                                        .problem = c[k].description,
                                        .proposal = c[k].description,
                                        .direction = "other",
                                        .place_text = c[k].place};
            rc = initiative_create(w, cid, c[k].author, &in, &ini);
            if (rc == WR_OK && db_exec(w, link, "iiii", ini, c[k].id, pid, cid) != 1) rc = WR_DB;
        }
        int moved = 0;
        /* the currency's major unit in the budget, kopecks in the initiative */
        if (rc == WR_OK)
            rc = initiative_enter_implementation(w, cid, ini, title, no_money ? 0 : c[k].cost * 100,
                                                 &moved);
    }
    for (size_t k = 0; k < n; k++) {
        free(c[k].title);
        free(c[k].description);
        free(c[k].place);
    }
    free(c);
    free(title);
    return rc;
}

size_t budget_initiatives(struct dbc *c, int64_t cid, int64_t pid, int64_t *ids, size_t max)
{
    static const char sql[] =
        "SELECT j.initiative_id FROM budget_results r JOIN budget_projects j ON j.id = r.project_id"
        " WHERE r.process_id = ?1 AND r.selected = 1 AND j.community_id = ?2"
        " AND j.initiative_id IS NOT NULL ORDER BY r.ord";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", pid, cid);
    size_t n = 0;
    while (st && n < max && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    db_done(st);
    return n;
}
