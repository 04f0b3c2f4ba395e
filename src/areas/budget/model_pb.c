/* Pabulib, the field's open data format (http://pabulib.org): a plain
 * text file in three sections, META (key;value), PROJECTS and VOTES, each
 * with a header line naming its ';'-separated columns. A closed process is
 * exported with its ballots under their receipt codes as voter ids, so that
 * independent tools can recount it; a file is imported as a closed process
 * of a community (the file's project ids kept) and counted. */
#include "areas/budget/budget.h"
#include "core/form.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { PB_FIELDS = 16, PB_ID_MAX = 60 };

/* ---- export ---- */

/* A text as a field: ';', quotes and line ends would break the line. */
static void pb_text(struct buf *b, const char *s)
{
    for (; s && *s; s++)
        buf_putc(b, *s == ';' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

char *budget_pb_export(struct dbc *c, int64_t pid, size_t *len)
{
    static const char proc[] =
        "SELECT unseal(title, community_id, 'budget_processes.title'), amount, currency, ballot,"
        " method, points, max_projects FROM budget_processes WHERE id = ?";
    static const char projects[] =
        "SELECT coalesce(j.ref, CAST(j.id AS TEXT)), coalesce(j.reviewed_cost, j.cost),"
        " coalesce(r.votes, 0), unseal(j.title, j.community_id, 'budget_projects.title'),"
        " coalesce(r.selected, 0) FROM budget_projects j"
        " LEFT JOIN budget_results r ON r.project_id = j.id"
        " WHERE j.process_id = ? AND j.review = 'feasible' ORDER BY j.id";
    static const char votes[] =
        "SELECT b.receipt, coalesce(j.ref, CAST(j.id AS TEXT)), b.weight FROM budget_ballots b"
        " JOIN budget_projects j ON j.id = b.project_id AND j.review = 'feasible'"
        " WHERE b.process_id = ? ORDER BY b.receipt, b.project_id";
    static const char nvotes[] =
        "SELECT count(DISTINCT receipt) FROM budget_ballots WHERE process_id = ?";
    static const char nprojects[] =
        "SELECT count(*) FROM budget_projects WHERE process_id = ? AND review = 'feasible'";
    struct buf b;
    buf_init(&b);
    sqlite3_stmt *st = db_prepare(c, proc, "i", pid);
    int cumulative = 0;
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        db_done(st);
        buf_free(&b);
        return NULL;
    }
    cumulative = str_eq((const char *)sqlite3_column_text(st, 3), "cumulative");
    buf_puts(&b, "META\nkey;value\ndescription;");
    pb_text(&b, (const char *)sqlite3_column_text(st, 0));
    buf_printf(
        &b, "\nnum_projects;%lld\nnum_votes;%lld\nbudget;%lld\nvote_type;%s\nrule;%s\n",
        (long long)db_int(c, 0, nprojects, "i", pid), (long long)db_int(c, 0, nvotes, "i", pid),
        (long long)sqlite3_column_int64(st, 1), cumulative ? "cumulative" : "approval",
        str_eq((const char *)sqlite3_column_text(st, 4), "greedy") ? "greedy" : "equal-shares");
    buf_printf(&b, "currency;%s\n", (const char *)sqlite3_column_text(st, 2));
    if (cumulative) buf_printf(&b, "max_sum_points;%lld\n", (long long)sqlite3_column_int64(st, 5));
    if (!cumulative && sqlite3_column_int64(st, 6) > 0)
        buf_printf(&b, "max_length;%lld\n", (long long)sqlite3_column_int64(st, 6));
    db_done(st);
    buf_puts(&b, "PROJECTS\nproject_id;cost;votes;name;selected\n");
    st = db_prepare(c, projects, "i", pid);
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        pb_text(&b, (const char *)sqlite3_column_text(st, 0));
        buf_printf(&b, ";%lld;%lld;", (long long)sqlite3_column_int64(st, 1),
                   (long long)sqlite3_column_int64(st, 2));
        pb_text(&b, (const char *)sqlite3_column_text(st, 3));
        buf_printf(&b, ";%lld\n", (long long)sqlite3_column_int64(st, 4));
    }
    db_done(st);
    buf_puts(&b, cumulative ? "VOTES\nvoter_id;vote;points\n" : "VOTES\nvoter_id;vote\n");
    st = db_prepare(c, votes, "i", pid);
    struct buf pts;
    buf_init(&pts);
    char last[128] = "";
    int open = 0;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (!r) continue;
        if (!open || strcmp(r, last) != 0) {
            if (open) {
                if (cumulative) buf_printf(&b, ";%s", pts.data);
                buf_putc(&b, '\n');
            }
            buf_free(&pts);
            buf_init(&pts);
            pb_text(&b, r);
            buf_putc(&b, ';');
            snprintf(last, sizeof last, "%s", r);
            open = 1;
        } else {
            buf_putc(&b, ',');
            buf_putc(&pts, ',');
        }
        pb_text(&b, (const char *)sqlite3_column_text(st, 1));
        buf_printf(&pts, "%lld", (long long)sqlite3_column_int64(st, 2));
    }
    db_done(st);
    if (open) {
        if (cumulative) buf_printf(&b, ";%s", pts.data);
        buf_putc(&b, '\n');
    }
    buf_free(&pts);
    if (len) *len = b.len;
    return b.data;
}

/* ---- import ---- */

/* Splits line at ';' into f (at most PB_FIELDS, in place), a field in
 * double quotes taken whole ("" inside is one quote); the count. */
static int pb_split(char *line, char **f)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == PB_FIELDS) return n + 1;
        if (*p == '"') {
            char *out = ++p;
            f[n++] = out;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"') p++;
                *out++ = *p++;
            }
            if (*p == '"') p++;
            *out = 0;
            if (*p == ';') {
                p++;
                continue;
            }
            return n;
        }
        f[n++] = p;
        char *semi = strchr(p, ';');
        if (!semi) return n;
        *semi = 0;
        p = semi + 1;
    }
}

static int col(char **h, int nh, const char *name)
{
    for (int i = 0; i < nh; i++)
        if (!strcasecmp(h[i], name)) return i;
    return -1;
}

/* A whole number in [lo, hi] ("12", or "12.0" as pabulib writes some). */
static int pb_int(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    if (!s || !*s) return -1;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end == '.') {
        for (end++; *end == '0'; end++) {
        }
    }
    if (*end || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

struct pb_project {
    char *id, *name;
    int64_t cost, row;
};

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        snprintf(err, errlen, __VA_ARGS__);                                                        \
        goto out;                                                                                  \
    } while (0)

static int64_t pb_find(const struct pb_project *p, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(p[i].id, id)) return (int64_t)i;
    return -1;
}

int64_t budget_pb_import(struct dbc *w, const char *slug, const char *text, char *err,
                         size_t errlen)
{
    static const char community[] = "SELECT id FROM communities WHERE slug = ?";
    static const char ins_proc[] =
        "INSERT INTO budget_processes(community_id, title, description, amount, currency, phase,"
        " proposals_on, review_on, voting_on, results_on, implementation_on, ballot, points,"
        " method, created_at) VALUES(?1, seal(?2, ?1, 'budget_processes.title'),"
        " seal('', ?1, 'budget_processes.description'), ?3, ?4, 'results', ?5, ?5, ?5, ?5 + 86400,"
        " ?5 + 86400, ?6, ?7, ?8, ?5)";
    static const char ins_proj[] =
        "INSERT INTO budget_projects(process_id, community_id, title, description, cost, review,"
        " ref, created_at) VALUES(?1, ?2, seal(?3, ?2, 'budget_projects.title'),"
        " seal(?3, ?2, 'budget_projects.description'), ?4, 'feasible', ?5, ?6)";
    static const char voted[] =
        "SELECT count(*) FROM budget_ballots WHERE process_id = ? AND receipt = ?";
    static const char ins_vote[] =
        "INSERT INTO budget_ballots(process_id, receipt, project_id, weight) VALUES(?, ?, ?, ?)";
    int64_t pid = -1, cid = db_int(w, 0, community, "t", slug);
    char *copy = xmalloc(strlen(text) + 1);
    strcpy(copy, text);
    size_t np = 0, pcap = 16;
    struct pb_project *pj = xmalloc(pcap * sizeof *pj);
    if (cid <= 0) FAIL("there is no community %s", slug);
    enum { NONE, META, PROJECTS, VOTES } sec = NONE;
    int header = 0, lineno = 0, cumulative = 0, greedy = 0;
    int64_t budget = -1, max_points = 0, points_seen = 0, now = now_s() / 86400 * 86400;
    const char *title = "pabulib", *currency = "points";
    int c_id = -1, c_cost = -1, c_name = -1, c_voter = -1, c_vote = -1, c_points = -1;
    int64_t nh = 0;
    /* line by line, blank ones counted (strtok_r would skip them and the
     * error would name the wrong line) */
    for (char *line = copy, *rest = NULL; line && *line; line = rest) {
        rest = strchr(line, '\n');
        if (rest) *rest++ = 0;
        lineno++;
        line[strcspn(line, "\r")] = 0;
        if (!*line) continue;
        if (!strcasecmp(line, "META") || !strcasecmp(line, "PROJECTS") ||
            !strcasecmp(line, "VOTES")) {
            int next = !strcasecmp(line, "META")       ? META
                       : !strcasecmp(line, "PROJECTS") ? PROJECTS
                                                       : VOTES;
            if ((int)next != (int)sec + 1)
                FAIL("line %d: the sections must be META, PROJECTS, VOTES in that order", lineno);
            if (next == VOTES) {
                if (budget < 0) FAIL("line %d: META has no budget", lineno);
                if (np == 0) FAIL("line %d: there are no projects", lineno);
                if (!cumulative) max_points = 0;
                /* a cumulative file without max_sum_points: 1 for now, the
                 * most any voter gave once the votes are read */
                static const char *const ballot_kind[] = {"approval", "cumulative"};
                if (db_exec(w, ins_proc, "itititit", cid, title, budget, currency, now,
                            ballot_kind[cumulative], cumulative ? (max_points ? max_points : 1) : 0,
                            greedy ? "greedy" : "equal_shares") != 1)
                    FAIL("line %d: the process cannot be made (a secret community's key is not "
                         "at hand here, or a limit is out of range)",
                         lineno);
                pid = db_last_id(w);
                for (size_t i = 0; i < np; i++) {
                    if (db_exec(w, ins_proj, "iititi", pid, cid, pj[i].name, pj[i].cost, pj[i].id,
                                now) != 1)
                        FAIL("project %s cannot be stored", pj[i].id);
                    pj[i].row = db_last_id(w);
                }
            }
            sec = next;
            header = 1;
            continue;
        }
        char *f[PB_FIELDS];
        int n = pb_split(line, f);
        if (n > PB_FIELDS) FAIL("line %d: too many fields", lineno);
        if (sec == NONE) FAIL("line %d: the file must begin with META", lineno);
        if (header) {
            header = 0;
            nh = n;
            if (sec == PROJECTS) {
                c_id = col(f, n, "project_id");
                c_cost = col(f, n, "cost");
                c_name = col(f, n, "name");
                if (c_id < 0 || c_cost < 0)
                    FAIL("line %d: PROJECTS needs the columns project_id and cost", lineno);
            } else if (sec == VOTES) {
                c_voter = col(f, n, "voter_id");
                c_vote = col(f, n, "vote");
                c_points = col(f, n, "points");
                if (c_voter < 0 || c_vote < 0)
                    FAIL("line %d: VOTES needs the columns voter_id and vote", lineno);
                if (cumulative && c_points < 0)
                    FAIL("line %d: a cumulative file needs the column points", lineno);
            }
            /* META's header ("key;value") names nothing we need */
            continue;
        }
        if (n != nh) FAIL("line %d: %d fields where the header has %lld", lineno, n, (long long)nh);
        if (sec == META) {
            if (n < 2) FAIL("line %d: META lines are key;value", lineno);
            if (!strcasecmp(f[0], "budget")) {
                if (pb_int(f[1], 1, BC_MAX_MONEY, &budget) != 0)
                    FAIL("line %d: the budget must be a whole number from 1 to 10^12", lineno);
            } else if (!strcasecmp(f[0], "vote_type")) {
                if (!strcasecmp(f[1], "cumulative"))
                    cumulative = 1;
                else if (strcasecmp(f[1], "approval") && strcasecmp(f[1], "choose-1"))
                    FAIL("line %d: vote_type %s is not supported (approval, cumulative)", lineno,
                         f[1]);
            } else if (!strcasecmp(f[0], "max_sum_points")) {
                if (pb_int(f[1], 1, BUDGET_POINTS_MAX, &max_points) != 0)
                    FAIL("line %d: max_sum_points must be from 1 to %d", lineno, BUDGET_POINTS_MAX);
            } else if (!strcasecmp(f[0], "rule")) {
                greedy = !strncasecmp(f[1], "greedy", 6);
            } else if (!strcasecmp(f[0], "description") && *f[1]) {
                title = f[1];
            } else if (!strcasecmp(f[0], "currency") &&
                       form_choice_index(budget_currencies, f[1]) >= 0) {
                currency = f[1];
            }
        } else if (sec == PROJECTS) {
            const char *id = f[c_id];
            int64_t cost;
            if (!*id || strlen(id) > PB_ID_MAX)
                FAIL("line %d: a project id must have 1 to %d characters", lineno, PB_ID_MAX);
            if (pb_find(pj, np, id) >= 0) FAIL("line %d: project %s is listed twice", lineno, id);
            if (pb_int(f[c_cost], 1, BC_MAX_MONEY, &cost) != 0)
                FAIL("line %d: the cost of project %s must be a whole number from 1 to 10^12",
                     lineno, id);
            if (np == BC_MAX_PROJECTS) FAIL("line %d: too many projects", lineno);
            if (np == pcap) pj = xrealloc(pj, (pcap *= 2) * sizeof *pj);
            const char *name = c_name >= 0 && *f[c_name] ? f[c_name] : id;
            pj[np++] = (struct pb_project){(char *)id, (char *)name, cost, 0};
        } else {
            const char *voter = f[c_voter];
            if (!*voter || strlen(voter) > PB_ID_MAX)
                FAIL("line %d: a voter id must have 1 to %d characters", lineno, PB_ID_MAX);
            if (db_int(w, 0, voted, "it", pid, voter))
                FAIL("line %d: voter %s votes twice", lineno, voter);
            char *vs = f[c_vote], *ps = c_points >= 0 ? f[c_points] : NULL, *s1 = NULL, *s2 = NULL;
            int64_t sum = 0, k = 0;
            int64_t marks[BUDGET_PROJECTS_MAX];
            for (char *v = strtok_r(vs, ",", &s1); v; v = strtok_r(NULL, ",", &s1)) {
                int64_t at = pb_find(pj, np, v);
                if (at < 0) FAIL("line %d: voter %s votes for %s, not a project", lineno, voter, v);
                for (int64_t j = 0; j < k; j++)
                    if (marks[j] == at) FAIL("line %d: voter %s names %s twice", lineno, voter, v);
                if (k == BUDGET_PROJECTS_MAX)
                    FAIL("line %d: too many projects on a ballot", lineno);
                int64_t wt = 1;
                if (cumulative) {
                    char *pt = strtok_r(s2 ? NULL : ps, ",", &s2);
                    if (!pt || pb_int(pt, 1, BUDGET_POINTS_MAX, &wt) != 0)
                        FAIL("line %d: voter %s's points do not match the projects", lineno, voter);
                }
                marks[k++] = at;
                sum += wt;
                if (db_exec(w, ins_vote, "itii", pid, voter, pj[at].row, wt) != 1)
                    FAIL("line %d: the ballot cannot be stored", lineno);
            }
            if (k == 0) FAIL("line %d: voter %s chose nothing", lineno, voter);
            if (cumulative && max_points && sum > max_points)
                FAIL("line %d: voter %s gives %lld points of %lld", lineno, voter, (long long)sum,
                     (long long)max_points);
            if (sum > points_seen) points_seen = sum;
        }
    }
    if (sec != VOTES) FAIL("the file has no VOTES section");
    if (cumulative && !max_points) {
        /* no max_sum_points: the most any voter gave */
        static const char pts[] = "UPDATE budget_processes SET points = ? WHERE id = ?";
        if (db_exec(w, pts, "ii", points_seen > 0 ? points_seen : 1, pid) != 1)
            FAIL("the points cannot be stored");
    }
    if (budget_count(w, pid) != 0) FAIL("the ballots cannot be counted");
    free(copy);
    free(pj);
    return pid;
out:
    free(copy);
    free(pj);
    return -1;
}

int budget_count_print(struct dbc *c, int64_t pid, enum bc_method m, FILE *out)
{
    struct budget_loaded L;
    if (budget_load(c, pid, &L) != 0) return -1;
    struct bc_result res;
    int rc = count_run(&L.in, m, &res);
    if (rc == 0) {
        for (int i = 0; i < res.nselected; i++)
            fprintf(out, "%s\n", L.names[res.selected[i]]);
        count_free(&res);
    }
    budget_loaded_free(&L);
    return rc;
}
