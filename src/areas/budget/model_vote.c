/* The budget area's SQL of phases, ballots and the count. Who voted is the
 * ballot box's roll (core/ballot.h); what was chosen is budget_ballots,
 * keyed by a random receipt code the voter alone was shown. */
#include "areas/budget/budget.h"
#include "areas/budget/count.h"
#include "areas/community/community.h"
#include "areas/soc/soc.h"
#include "core/ballot.h"
#include "core/form.h"
#include "core/notify.h"
#include "core/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char phase_sql[] =
    "SELECT phase FROM budget_processes WHERE id = ? AND community_id = ?";

static enum wr set_phase(struct dbc *w, int64_t id, const char *from, const char *to, int64_t box)
{
    static const char sql[] = "UPDATE budget_processes SET phase = ?1,"
                              " box_id = CASE WHEN ?2 > 0 THEN ?2 ELSE box_id END"
                              " WHERE id = ?3 AND phase = ?4";
    return wr_changed(w, db_exec(w, sql, "tiit", to, box, id, from), WR_DB);
}

enum wr budget_phase_next(struct dbc *w, int64_t cid, int64_t id, const char *from, int64_t now)
{
    static const char feasible[] =
        "SELECT count(*) FROM budget_projects WHERE process_id = ? AND review = 'feasible'";
    static const char dates[] = "SELECT results_on FROM budget_processes WHERE id = ?";
    static const char box_of[] = "SELECT coalesce(box_id, 0) FROM budget_processes WHERE id = ?";
    char *phase = db_text(w, phase_sql, "ii", id, cid);
    if (!phase) return WR_NOT_FOUND;
    int same = from && str_eq(phase, from);
    int at = form_choice_index(budget_phases, phase);
    free(phase);
    if (!same) return wr_fail(w, WR_CONFLICT, "budget.error.moved");
    if (at < 0 || !budget_phases[at + 1]) return wr_fail(w, WR_CONFLICT, "budget.error.last");
    const char *to = budget_phases[at + 1];
    if (str_eq(to, "voting")) {
        if (db_int(w, 0, feasible, "i", id) == 0)
            return wr_fail(w, WR_CONFLICT, "budget.error.no_feasible");
        int64_t closes = db_int(w, 0, dates, "i", id);
        if (closes <= now) return wr_fail(w, WR_CONFLICT, "budget.error.results_past");
        struct ballot_spec spec = {.k = soc_k_of(w, cid), .opens_at = now, .closes_at = closes};
        int64_t box = ballot_open(w, &spec);
        int64_t *ids = NULL;
        int64_t n = box > 0 ? member_local_ids(w, cid, &ids) : -1;
        int rc = n < 0 ? -1 : ballot_roll_add_many(w, box, "m", ids, (size_t)n); /* soc_voter */
        free(ids);
        if (rc != 0) return WR_DB;
        enum wr out = set_phase(w, id, from, to, box);
        /* the vote is open: every member hears of it, in this transaction */
        if (out == WR_OK &&
            notify_members(w, cid, BUDGET_NOTIFY_VOTING, id, NOTIFY_TO_COMMUNITY, 0, now) < 0)
            out = WR_DB;
        return out;
    }
    if (str_eq(to, "results")) {
        int64_t box = db_int(w, 0, box_of, "i", id);
        if (box > 0) {
            enum ballot_rc rc = ballot_close(w, box);
            if (rc != BALLOT_OK && rc != BALLOT_CLOSED) return WR_DB;
        }
        if (budget_count(w, id) != 0) return WR_DB;
    }
    if (str_eq(to, "implementation")) {
        /* the selected projects become initiatives in this transaction */
        enum wr s = set_phase(w, id, from, to, 0);
        return s == WR_OK ? budget_implement(w, cid, id) : s;
    }
    return set_phase(w, id, from, to, 0);
}

/* ---- ballots ---- */

int budget_has_voted(struct dbc *c, int64_t box, int64_t member)
{
    char voter[24];
    soc_voter(member, voter);
    const char *keys[] = {voter};
    return box > 0 && ballot_has_voted(c, box, keys, 1);
}

/* Twelve characters of an alphabet without look-alikes (no I, O, 0, 1):
 * 60 random bits. */
static void new_receipt(char out[BUDGET_RECEIPT_LEN + 1])
{
    static const char abc[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < BUDGET_RECEIPT_LEN; i++)
        out[i] = abc[randombytes_uniform(32)];
    out[BUDGET_RECEIPT_LEN] = 0;
}

/* The receipt as typed ("abcd-efgh ijkl"), upper-cased and without the
 * separators; 0, or -1 when it is not one. */
static int receipt_norm(const char *in, char out[BUDGET_RECEIPT_LEN + 1])
{
    int n = 0;
    for (const char *s = in; *s; s++) {
        char ch = *s;
        if (ch == ' ' || ch == '-') continue;
        if (ch >= 'a' && ch <= 'z') ch = (char)(ch - 'a' + 'A');
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= '2' && ch <= '9')) || n >= BUDGET_RECEIPT_LEN)
            return -1;
        out[n++] = ch;
    }
    out[n] = 0;
    return n == BUDGET_RECEIPT_LEN ? 0 : -1;
}

static enum wr of_ballot(struct dbc *w, enum ballot_rc rc)
{
    static const struct ballot_reasons why = {
        .closed = "budget.error.closed",
        .not_eligible = "budget.error.not_eligible",
        .already = "budget.error.twice",
        .invalid = "budget.error.project",
    };
    return ballot_wr(w, rc, &why);
}

enum wr budget_vote(struct dbc *w, int64_t cid, int64_t pid, int64_t member, const char *receipt,
                    const int64_t *proj, const int64_t *wt, size_t n, int64_t now,
                    char receipt_out[BUDGET_RECEIPT_LEN + 1], int64_t *excess)
{
    static const char proc[] =
        "SELECT phase = 'voting', coalesce(box_id, 0), ballot = 'cumulative', max_projects,"
        " max_total, points, amount FROM budget_processes WHERE id = ? AND community_id = ?";
    static const char cost[] = "SELECT coalesce(reviewed_cost, cost) FROM budget_projects"
                               " WHERE id = ? AND process_id = ? AND review = 'feasible'";
    static const char drop[] = "DELETE FROM budget_ballots WHERE process_id = ? AND receipt = ?";
    static const char put[] =
        "INSERT INTO budget_ballots(process_id, receipt, project_id, weight) VALUES(?, ?, ?, ?)";
    if (excess) *excess = 0;
    int64_t voting = 0, box = 0, cumulative = 0, max_projects = 0, max_total = 0, points = 0,
            amount = 0;
    sqlite3_stmt *st = db_prepare(w, proc, "ii", pid, cid);
    int found = st && sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        int64_t *v[] = {&voting, &box, &cumulative, &max_projects, &max_total, &points, &amount};
        for (int i = 0; i < 7; i++)
            *v[i] = sqlite3_column_int64(st, i);
    }
    db_done(st);
    if (!found) return WR_NOT_FOUND;
    if (!voting || box <= 0) return wr_fail(w, WR_CONFLICT, "budget.error.not_voting");
    struct ballot_info b;
    if (ballot_get(w, box, &b) != 0) return WR_DB;
    if (!ballot_is_open(&b, now)) return wr_fail(w, WR_CONFLICT, "budget.error.closed");
    if (n == 0) return wr_fail(w, WR_INVALID, "budget.error.empty");
    if (n > BUDGET_PROJECTS_MAX) return wr_fail(w, WR_INVALID, "budget.error.project");
    int64_t total = 0, sum = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++)
            if (proj[j] == proj[i]) return wr_fail(w, WR_INVALID, "budget.error.project");
        int64_t c = db_int(w, 0, cost, "ii", proj[i], pid);
        if (c <= 0) return wr_fail(w, WR_INVALID, "budget.error.project");
        total += c;
        int64_t weight = wt ? wt[i] : 1;
        if (weight < 1 || weight > BUDGET_POINTS_MAX || (!cumulative && weight != 1))
            return wr_fail(w, WR_INVALID, "budget.error.points_range");
        sum += weight;
    }
    if (cumulative && sum > points) {
        if (excess) *excess = sum - points;
        return wr_fail(w, WR_INVALID, "budget.error.too_many_points");
    }
    if (!cumulative && max_projects > 0 && (int64_t)n > max_projects) {
        if (excess) *excess = (int64_t)n - max_projects;
        return wr_fail(w, WR_INVALID, "budget.error.too_many");
    }
    if (!cumulative && max_total && total > amount) {
        if (excess) *excess = total - amount;
        return wr_fail(w, WR_INVALID, "budget.error.over_budget");
    }
    char code[BUDGET_RECEIPT_LEN + 1];
    if (receipt && *receipt) {
        /* A change: the member has voted, and the receipt is a ballot of
         * this process; the roll is not touched. */
        if (receipt_norm(receipt, code) != 0) return wr_fail(w, WR_INVALID, "budget.error.receipt");
        if (!budget_has_voted(w, box, member))
            return wr_fail(w, WR_CONFLICT, "budget.error.no_ballot");
        int d = db_exec(w, drop, "it", pid, code);
        if (d < 0) return WR_DB;
        if (d == 0) return wr_fail(w, WR_CONFLICT, "budget.error.receipt");
    } else {
        char voter[24];
        soc_voter(member, voter);
        const char *keys[] = {voter};
        enum wr rc = of_ballot(w, ballot_cast(w, cid, box, keys, 1, NULL, 0, now));
        if (rc != WR_OK) return rc;
        new_receipt(code);
    }
    for (size_t i = 0; i < n; i++)
        if (db_exec(w, put, "itii", pid, code, proj[i], wt ? wt[i] : 1) != 1) return WR_DB;
    if (receipt_out) memcpy(receipt_out, code, sizeof code);
    return WR_OK;
}

json_t *budget_receipt_rows(struct dbc *c, int64_t pid, const char *receipt)
{
    static const char sql[] = "SELECT project_id, weight FROM budget_ballots"
                              " WHERE process_id = ? AND receipt = ? ORDER BY project_id";
    char code[BUDGET_RECEIPT_LEN + 1];
    if (!receipt || receipt_norm(receipt, code) != 0) return json_array();
    return db_rows(c, sql, "it", pid, code);
}

/* ---- results ---- */

json_t *budget_results(struct dbc *c, const struct vmask *m, int64_t pid, int implemented)
{
    static const char sql[] =
        "SELECT r.project_id AS id, unseal(j.title, j.community_id, 'budget_projects.title')"
        " AS title, r.votes, r.supporters, r.selected, r.ord, r.why, r.cost, r.left_then,"
        " r.price, r.capped, r.capped_paid, r.have"
        " FROM budget_results r JOIN budget_projects j ON j.id = r.project_id"
        " WHERE r.process_id = ? ORDER BY r.selected DESC, r.ord, r.votes DESC, r.project_id";
    static const char with_initiatives[] =
        "SELECT r.project_id AS id, unseal(j.title, j.community_id, 'budget_projects.title')"
        " AS title, r.votes, r.supporters, r.selected, r.ord, r.why, r.cost, r.left_then,"
        " r.price, r.capped, r.capped_paid, r.have,"
        /* the initiative carrying it out: its state, stage and the
         * progress of its tasks (a done task counts 100) */
        " i.id AS initiative_id, i.state AS initiative_state, i.stage AS initiative_stage,"
        /* (asked only of a project that has one: most have none) */
        " CASE WHEN i.id IS NOT NULL THEN (SELECT count(*) FROM initiative_tasks t"
        "  WHERE t.initiative_id = i.id) END AS tasks,"
        " CASE WHEN i.id IS NOT NULL THEN (SELECT count(*) FROM initiative_tasks t"
        "  WHERE t.initiative_id = i.id AND t.status = 'done') END AS tasks_done,"
        " CASE WHEN i.id IS NOT NULL THEN (SELECT coalesce(sum(CASE WHEN t.status = 'done'"
        "  THEN 100 ELSE t.progress END) / count(*), 0) FROM initiative_tasks t"
        "  WHERE t.initiative_id = i.id) END AS progress"
        " FROM budget_results r JOIN budget_projects j ON j.id = r.project_id"
        " LEFT JOIN initiatives i ON i.id = j.initiative_id AND i.community_id = j.community_id"
        " WHERE r.process_id = ? ORDER BY r.selected DESC, r.ord, r.votes DESC, r.project_id";
    return db_view_rows(c, m, implemented ? with_initiatives : sql, "i", pid);
}

json_t *budget_ballot_file(struct dbc *c, int64_t pid)
{
    static const char sql[] = "SELECT receipt, project_id, weight FROM budget_ballots"
                              " WHERE process_id = ? ORDER BY receipt, project_id";
    return db_rows(c, sql, "i", pid);
}

static const char *const whys[] = {"selected", "no_votes", "did_not_fit", "unaffordable"};

/* Writes res into budget_results and the process's totals. */
static int store(struct dbc *w, int64_t pid, const struct bc_input *in, const int64_t *ids,
                 const struct bc_result *res)
{
    static const char del[] = "DELETE FROM budget_results WHERE process_id = ?";
    static const char ins[] =
        "INSERT INTO budget_results(project_id, process_id, votes, supporters, selected, ord,"
        " why, cost, left_then, price, capped, capped_paid, have)"
        " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static const char tot[] =
        "UPDATE budget_processes SET counted = 1, spent = ?, voters = ?, raises = ?, share = ?"
        " WHERE id = ?";
    if (db_exec(w, del, "i", pid) < 0) return -1;
    int es = res->method == BC_EQUAL_SHARES;
    for (size_t i = 0; i < in->np; i++) {
        const struct bc_proj_result *r = &res->pr[i];
        char price[48] = "", capped[48] = "", have[48] = "";
        if (es && r->selected) {
            count_money(price, sizeof price, r->price_num, r->price_den);
            count_money(capped, sizeof capped, r->capped_paid, res->money_den);
        }
        if (es && !r->selected && r->supporters)
            count_money(have, sizeof have, r->have, res->money_den);
        if (db_exec(w, ins, "iiiiiitiititt", ids[i], pid, r->votes, r->supporters,
                    (int64_t)r->selected, (int64_t)r->order, whys[r->why], in->p[i].cost,
                    es ? 0 : r->left, price, r->capped, capped, have) != 1)
            return -1;
    }
    char share[48] = "";
    if (es && res->money_den > 0) count_money(share, sizeof share, res->share, res->money_den);
    return db_exec(w, tot, "iiiti", res->spent, (int64_t)in->nv, res->raises, share, pid) == 1 ? 0
                                                                                               : -1;
}

void budget_loaded_free(struct budget_loaded *L)
{
    free(L->ids);
    free(L->p);
    free(L->names);
    free(L->start);
    free(L->proj);
    free(L->weight);
    memset(L, 0, sizeof *L);
}

int budget_load(struct dbc *c, int64_t pid, struct budget_loaded *L)
{
    /* A project's id for ties and for the printed outcome: the file's id
     * of an imported one, else its row id, as text. */
    static const char projects[] =
        "SELECT id, coalesce(reviewed_cost, cost), coalesce(ref, CAST(id AS TEXT))"
        " FROM budget_projects WHERE process_id = ? AND review = 'feasible' ORDER BY id";
    static const char ballots[] =
        "SELECT b.receipt, b.project_id, b.weight FROM budget_ballots b"
        " JOIN budget_projects j ON j.id = b.project_id AND j.review = 'feasible'"
        " WHERE b.process_id = ? ORDER BY b.receipt, b.project_id";
    static const char method[] = "SELECT method = 'greedy', amount FROM budget_processes"
                                 " WHERE id = ?";
    memset(L, 0, sizeof *L);
    size_t cap = 16;
    L->ids = xmalloc(cap * sizeof *L->ids);
    L->p = xmalloc(cap * sizeof *L->p);
    L->names = xmalloc(cap * sizeof *L->names);
    sqlite3_stmt *st = db_prepare(c, projects, "i", pid);
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        if (L->np == cap) {
            cap *= 2;
            L->ids = xrealloc(L->ids, cap * sizeof *L->ids);
            L->p = xrealloc(L->p, cap * sizeof *L->p);
            L->names = xrealloc(L->names, cap * sizeof *L->names);
        }
        L->ids[L->np] = sqlite3_column_int64(st, 0);
        L->p[L->np].cost = sqlite3_column_int64(st, 1);
        const char *ref = (const char *)sqlite3_column_text(st, 2);
        snprintf(L->names[L->np], sizeof L->names[0], "%s", ref ? ref : "");
        L->np++;
    }
    db_done(st);
    for (size_t i = 0; i < L->np; i++)
        L->p[i].id = L->names[i]; /* after the last realloc */
    size_t vcap = 64, ecap = 256, ne = 0;
    L->start = xmalloc((vcap + 1) * sizeof *L->start);
    L->proj = xmalloc(ecap * sizeof *L->proj);
    L->weight = xmalloc(ecap * sizeof *L->weight);
    char last[128] = "";
    int rc = 0;
    st = db_prepare(c, ballots, "i", pid);
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        int64_t pr = sqlite3_column_int64(st, 1);
        if (!r) continue;
        if (L->nv == 0 || strcmp(r, last) != 0) {
            if (L->nv == vcap) {
                vcap *= 2;
                L->start = xrealloc(L->start, (vcap + 1) * sizeof *L->start);
            }
            L->start[L->nv++] = (uint32_t)ne;
            snprintf(last, sizeof last, "%s", r);
        }
        if (ne == ecap) {
            ecap *= 2;
            L->proj = xrealloc(L->proj, ecap * sizeof *L->proj);
            L->weight = xrealloc(L->weight, ecap * sizeof *L->weight);
        }
        /* ids are ascending: the index by binary search */
        size_t lo = 0, hi = L->np;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (L->ids[mid] < pr)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == L->np || L->ids[lo] != pr) {
            rc = -1;
            break;
        }
        L->proj[ne] = (uint32_t)lo;
        L->weight[ne++] = (uint32_t)sqlite3_column_int64(st, 2);
    }
    db_done(st);
    L->start[L->nv] = (uint32_t)ne;
    st = db_prepare(c, method, "i", pid);
    if (st && sqlite3_step(st) == SQLITE_ROW) {
        L->method = sqlite3_column_int64(st, 0) ? BC_GREEDY : BC_EQUAL_SHARES;
        L->in.budget = sqlite3_column_int64(st, 1);
    } else {
        rc = -1;
    }
    db_done(st);
    L->in.np = L->np;
    L->in.p = L->p;
    L->in.nv = L->nv;
    L->in.start = L->start;
    L->in.proj = L->proj;
    L->in.weight = L->weight;
    if (rc != 0) budget_loaded_free(L);
    return rc;
}

int budget_count(struct dbc *w, int64_t pid)
{
    struct budget_loaded L;
    if (budget_load(w, pid, &L) != 0) return -1;
    struct bc_result res;
    int rc = count_run(&L.in, L.method, &res);
    if (rc == 0) {
        rc = store(w, pid, &L.in, L.ids, &res);
        count_free(&res);
    }
    budget_loaded_free(&L);
    return rc;
}
