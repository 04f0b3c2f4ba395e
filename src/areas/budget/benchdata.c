/* bench-data's budget step: in every community of at least 10 members two
 * processes, one counted by equal shares last season (30 projects) and one
 * in its voting phase (20 projects), each with ballots from a third of
 * the members (a few projects each, skewed to the popular ones); about
 * 2,000 processes, 50,000 projects and 300,000 ballot rows at scale 1.
 * And one district-wide process of many voters in the big community
 * (20,000 ballots at scale 1 over the same 30 projects), imported from a
 * pabulib file as a city's would be and counted by equal shares: its
 * results page must cost what the small one's does. Written through the
 * area's own writes, as a real instance has them. */
#include "areas/benchdata.h"
#include "areas/budget/budget.h"
#include "areas/community/community.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const WHAT[] = {
    "Скамейки у подъезда",      "Фонари во дворе",  "Клумбы вдоль дорожки",     "Велопарковка",
    "Навес над песочницей",     "Стол для тенниса", "Контейнеры для вторсырья", "Горка для малышей",
    "Полка для обмена книгами", "Ремонт крыльца",   "Турник у школы",           "Поилка для птиц",
};

/* A process of n projects in cid with ballots of a third of the members;
 * counted (closed) or left in its voting phase. */
static int fill(struct dbc *w, struct rng *r, int64_t cid, const int64_t *ids, int64_t nm, int n,
                int counted)
{
    int64_t day = 86400, today = now_s() / day * day;
    int64_t base = counted ? today - 120 * day : today - 30 * day;
    struct budget_settings s = {.title = counted ? "Бюджет прошлого сезона" : "Бюджет этого сезона",
                                .description = "Деньги жителей на общие дела.",
                                .currency = "RUB",
                                .ballot = "approval",
                                .method = "equal_shares",
                                .amount = 1000000,
                                .max_total = 1,
                                .proposals_on = base,
                                .review_on = base + 10 * day,
                                .voting_on = base + 20 * day,
                                .results_on = base + (counted ? 40 : 50) * day,
                                .implementation_on = base + 60 * day};
    int64_t pid = 0, proj[32], cost[32];
    if (budget_create(w, cid, &s, &pid) != WR_OK) return -1;
    for (int i = 0; i < n; i++) {
        char title[160];
        snprintf(title, sizeof title, "%s, %d", WHAT[rng_below(r, HR_ARRAY_LEN(WHAT))], i + 1);
        cost[i] = 20000 + 5000 * (int64_t)rng_below(r, 60);
        struct budget_project_new p = {title, "Сделаем вместе с соседями.", "во дворе", cost[i], 0};
        if (budget_project_add(w, cid, pid, ids[rng_below(r, (uint64_t)nm)], &p, &proj[i]) !=
                WR_OK ||
            budget_review(w, cid, pid, proj[i], 1, "", 0) != WR_OK)
            return -1;
    }
    int64_t at = s.voting_on + day;
    if (budget_phase_next(w, cid, pid, "proposals", at) != WR_OK ||
        budget_phase_next(w, cid, pid, "review", at) != WR_OK)
        return -1;
    for (int64_t v = 0; v < nm; v += 3) {
        int64_t pick[4] = {0}, total = 0;
        size_t k = 0;
        for (int t = 0; t < 4 && k < 4; t++) {
            /* the popular ones more often: the smaller of two draws */
            uint64_t a = rng_below(r, (uint64_t)n), b = rng_below(r, (uint64_t)n);
            int64_t j = (int64_t)(a < b ? a : b);
            int dup = 0;
            for (size_t q = 0; q < k; q++)
                dup |= pick[q] == proj[j];
            if (dup || total + cost[j] > s.amount) continue;
            pick[k++] = proj[j];
            total += cost[j];
        }
        char receipt[BUDGET_RECEIPT_LEN + 1];
        if (k && budget_vote(w, cid, pid, ids[v], NULL, pick, NULL, k, counted ? at : now_s(),
                             receipt, NULL) != WR_OK)
            return -1;
    }
    if (counted && budget_phase_next(w, cid, pid, "voting", s.results_on) != WR_OK) return -1;
    return 0;
}

/* The district's process: a pabulib text of nv approval ballots over np
 * projects within the budget (voter ids are receipt codes), imported into
 * community slug. 0 or -1. */
static int many_voters(struct dbc *w, struct rng *r, const char *slug, int64_t nv, int np)
{
    static const char abc[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    int64_t amount = 5000000, cost[64] = {0};
    if (np > 64) np = 64;
    struct buf b;
    buf_init(&b);
    buf_printf(&b,
               "META\nkey;value\ndescription;Бюджет района\nnum_projects;%d\nnum_votes;%lld\n"
               "budget;%lld\nvote_type;approval\nrule;equal-shares\ncurrency;RUB\n"
               "PROJECTS\nproject_id;cost;name\n",
               np, (long long)nv, (long long)amount);
    for (int i = 0; i < np; i++) {
        cost[i] = 100000 + 20000 * (int64_t)rng_below(r, 50);
        buf_printf(&b, "%d;%lld;%s для района, %d\n", i + 1, (long long)cost[i],
                   WHAT[rng_below(r, HR_ARRAY_LEN(WHAT))], i + 1);
    }
    buf_puts(&b, "VOTES\nvoter_id;vote\n");
    for (int64_t v = 0; v < nv; v++) {
        char code[13];
        for (int i = 0; i < 12; i++)
            code[i] = abc[rng_below(r, 32)];
        code[12] = 0;
        buf_printf(&b, "%s;", code);
        int pick[8], k = 0, want = 1 + (int)rng_below(r, 6);
        int64_t total = 0;
        for (int t = 0; t < 12 && k < want; t++) {
            /* the popular ones more often: the smaller of two draws */
            int a = (int)rng_below(r, (uint64_t)np), c = (int)rng_below(r, (uint64_t)np);
            int j = a < c ? a : c, dup = 0;
            for (int q = 0; q < k; q++)
                dup |= pick[q] == j;
            if (dup || total + cost[j] > amount) continue;
            pick[k++] = j;
            total += cost[j];
        }
        for (int q = 0; q < k; q++)
            buf_printf(&b, "%s%d", q ? "," : "", pick[q] + 1);
        buf_putc(&b, '\n');
    }
    char err[256];
    int64_t pid = budget_pb_import(w, slug, b.data, err, sizeof err);
    buf_free(&b);
    if (pid < 0) log_error("bench-data: the district's budget: %s", err);
    return pid < 0 ? -1 : 0;
}

int benchdata_budget(struct db *db, struct bench_world *bw)
{
    int64_t made = 0;
    for (int64_t c = 1; c <= bw->communities; c++) {
        struct dbc *w = db_write_begin(db);
        if (!w) return -1;
        int64_t *ids = NULL;
        /* the roll is the members of now: every member of the community */
        int64_t n = member_ids(w, c, &ids);
        int rc = 0;
        if (n >= 10) {
            rc = fill(w, &bw->rng, c, ids, n, 30, 1);
            if (rc == 0) rc = fill(w, &bw->rng, c, ids, n, 20, 0);
            made += 2;
        }
        free(ids);
        if (db_write_end(db, w, rc == 0) != 0 || rc != 0) return -1;
        if (c % 100 == 0) log_progress("budgets", c, bw->communities);
    }
    log_progress("budgets", bw->communities, bw->communities);
    (void)made;
    /* the district's process, in the big community bench/run measures */
    struct dbc *w = db_write_begin(db);
    if (!w) return -1;
    char slug[64] = "";
    int rc = budget_bench_community(w, slug, sizeof slug) == 0 ? 0 : -1;
    int64_t nv = (int64_t)(20000 * bw->scale);
    if (rc == 0) rc = many_voters(w, &bw->rng, slug, nv > 20 ? nv : 20, 30);
    return db_write_end(db, w, rc == 0) != 0 ? -1 : rc;
}
