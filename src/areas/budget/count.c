/* Counting a participatory budget: greedy and the Method of Equal Shares
 * (count.h says what each does and how money is represented). */
#include "areas/budget/count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 u128;
typedef __int128 i128;

/* a * b as 256 bits (hi, lo). */
static void mul256(u128 a, u128 b, u128 *hi, u128 *lo)
{
    uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64);
    uint64_t b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
    u128 p00 = (u128)a0 * b0, p01 = (u128)a0 * b1, p10 = (u128)a1 * b0, p11 = (u128)a1 * b1;
    u128 mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10;
    *lo = (mid << 64) | (uint64_t)p00;
    *hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
}

/* The sign of a/b - c/d, b and d > 0, all non-negative. */
static int frac_cmp(u128 a, u128 b, u128 c, u128 d)
{
    u128 h1, l1, h2, l2;
    mul256(a, d, &h1, &l1);
    mul256(c, b, &h2, &l2);
    if (h1 != h2) return h1 < h2 ? -1 : 1;
    if (l1 != l2) return l1 < l2 ? -1 : 1;
    return 0;
}

const char *count_check(const struct bc_input *in)
{
    if (!in || (in->np && !in->p)) return "no projects";
    if (in->np > BC_MAX_PROJECTS) return "too many projects";
    if (in->nv > BC_MAX_VOTERS) return "too many voters";
    if (in->budget < 0 || in->budget > BC_MAX_MONEY) return "the budget is out of range";
    for (size_t i = 0; i < in->np; i++) {
        if (!in->p[i].id) return "a project has no id";
        if (in->p[i].cost <= 0 || in->p[i].cost > BC_MAX_MONEY)
            return "a project's cost is out of range";
    }
    if (in->nv == 0) return NULL;
    if (!in->start || in->start[0] != 0) return "the ballots' offsets are inconsistent";
    size_t *seen = malloc((in->np ? in->np : 1) * sizeof *seen);
    if (!seen) return "out of memory";
    for (size_t i = 0; i < in->np; i++)
        seen[i] = (size_t)-1;
    const char *err = NULL;
    for (size_t v = 0; v < in->nv && !err; v++) {
        if (in->start[v + 1] < in->start[v]) {
            err = "the ballots' offsets are inconsistent";
            break;
        }
        for (uint32_t e = in->start[v]; e < in->start[v + 1]; e++) {
            uint32_t p = in->proj[e];
            if (p >= in->np) {
                err = "a ballot names a project that does not exist";
                break;
            }
            if (seen[p] == v) {
                err = "a ballot names a project twice";
                break;
            }
            seen[p] = v;
            if (in->weight && (in->weight[e] == 0 || in->weight[e] > BC_MAX_WEIGHT)) {
                err = "a ballot's weight is out of range";
                break;
            }
        }
    }
    free(seen);
    return err;
}

/* Projects ordered for greedy: votes, most first, then id as text. */
struct gkey {
    int64_t votes;
    const char *id;
    int i;
};

static int gkey_cmp(const void *a, const void *b)
{
    const struct gkey *x = a, *y = b;
    if (x->votes != y->votes) return x->votes > y->votes ? -1 : 1;
    int c = strcmp(x->id, y->id);
    if (c) return c;
    return (x->i > y->i) - (x->i < y->i);
}

static void tally(const struct bc_input *in, struct bc_result *res)
{
    for (size_t v = 0; v < in->nv; v++)
        for (uint32_t e = in->start[v]; e < in->start[v + 1]; e++) {
            struct bc_proj_result *r = &res->pr[in->proj[e]];
            r->votes += in->weight ? in->weight[e] : 1;
            r->supporters++;
        }
}

static int greedy(const struct bc_input *in, struct bc_result *res)
{
    struct gkey *k = malloc((in->np ? in->np : 1) * sizeof *k);
    if (!k) return -1;
    for (size_t i = 0; i < in->np; i++)
        k[i] = (struct gkey){res->pr[i].votes, in->p[i].id, (int)i};
    qsort(k, in->np, sizeof *k, gkey_cmp);
    int64_t left = in->budget;
    for (size_t j = 0; j < in->np; j++) {
        struct bc_proj_result *r = &res->pr[k[j].i];
        r->left = left;
        if (r->votes == 0) {
            r->why = BC_WHY_NO_VOTES;
        } else if (in->p[k[j].i].cost <= left) {
            left -= in->p[k[j].i].cost;
            r->selected = 1;
            r->why = BC_WHY_SELECTED;
            r->order = ++res->nselected;
            res->selected[res->nselected - 1] = k[j].i;
        } else {
            r->why = BC_WHY_DID_NOT_FIT;
        }
    }
    res->spent = in->budget - left;
    free(k);
    return 0;
}

/* ---- equal shares ---- */

struct mes {
    const struct bc_input *in;
    size_t *pstart; /* np + 1: supporters of each project in plist */
    uint32_t *pv, *pw;
    i128 *b;       /* nv budgets */
    i128 *cost;    /* np costs in the count's unit */
    int *cand;     /* candidates, by stale price */
    u128 *rn, *rw; /* stale prices R / W; rw 0: not yet computed */
    int *sel;      /* this run's selection */
    u128 *selR, *selW;
};

/* The price of project p at the budgets now: 1 and *R, *W (each paying
 * supporter pays R * w / W), or 0 when its supporters cannot pay for it.
 * x = R / W is the least price with sum over supporters of min(b, x w) =
 * cost: found from below by the fixed point of "those who have less than
 * x w pay all they have, the rest share what is left", which only raises
 * x and only adds supporters who pay all, so it ends, usually in two or
 * three passes over the supporters and without sorting them. */
static int price(struct mes *m, int p, i128 *R, i128 *W, size_t *ncapped)
{
    size_t lo = m->pstart[p], hi = m->pstart[p + 1];
    i128 have = 0, wsum = 0;
    for (size_t e = lo; e < hi; e++) {
        have += m->b[m->pv[e]];
        wsum += m->pw[e];
    }
    if (have < m->cost[p]) return 0;
    i128 r = m->cost[p], w = wsum;
    size_t capped = 0;
    for (;;) {
        i128 nr = m->cost[p], nw = wsum;
        size_t nc = 0;
        for (size_t e = lo; e < hi; e++) {
            i128 b = m->b[m->pv[e]];
            if (b * w < r * m->pw[e]) {
                nr -= b;
                nw -= m->pw[e];
                nc++;
            }
        }
        if (nw <= 0) return 0;
        if (nc == capped && nr == r && nw == w) break;
        r = nr;
        w = nw;
        capped = nc;
    }
    *R = r;
    *W = w;
    *ncapped = capped;
    return 1;
}

static int cand_cmp_ctx(const void *a, const void *b, void *ctx)
{
    const struct mes *m = ctx;
    int x = *(const int *)a, y = *(const int *)b;
    u128 dx = m->rw[x] ? m->rw[x] * (u128)m->cost[x] : 1;
    u128 dy = m->rw[y] ? m->rw[y] * (u128)m->cost[y] : 1;
    int c = frac_cmp(m->rw[x] ? m->rn[x] : 0, dx, m->rw[y] ? m->rn[y] : 0, dy);
    if (c) return c;
    c = strcmp(m->in->p[x].id, m->in->p[y].id);
    if (c) return c;
    return (x > y) - (x < y);
}

/* p's price R/W per unit of weight, per unit of its cost: R / (W * cost). */
static int better(struct mes *m, int p, u128 R, u128 W, int q, u128 Rq, u128 Wq)
{
    int c = frac_cmp(R, W * (u128)m->cost[p], Rq, Wq * (u128)m->cost[q]);
    if (c) return c < 0;
    c = strcmp(m->in->p[p].id, m->in->p[q].id);
    if (c) return c < 0;
    return p < q;
}

/* One count with every share raised by k units: the selection into m->sel
 * (its length returned), prices in selR / selW. */
static int mes_run(struct mes *m, int64_t k)
{
    const struct bc_input *in = m->in;
    i128 share = ((i128)in->budget + (i128)k * (i128)in->nv) * BC_SCALE;
    for (size_t v = 0; v < in->nv; v++)
        m->b[v] = share;
    size_t nc = 0;
    for (size_t p = 0; p < in->np; p++)
        if (m->pstart[p + 1] > m->pstart[p]) {
            m->cand[nc++] = (int)p;
            m->rn[p] = 0;
            m->rw[p] = 0;
        }
    int nsel = 0;
    while (nc) {
        qsort_r(m->cand, nc, sizeof *m->cand, cand_cmp_ctx, m);
        int best = -1;
        i128 bR = 0, bW = 0;
        size_t keep = 0;
        for (size_t j = 0; j < nc; j++) {
            int p = m->cand[j];
            /* Prices only rise as budgets fall: a stale price not below the
             * best fresh one cannot win. */
            if (best >= 0 && m->rw[p] &&
                !better(m, p, m->rn[p], m->rw[p], best, (u128)bR, (u128)bW)) {
                m->cand[keep++] = p;
                continue;
            }
            i128 R, W;
            size_t nc2;
            if (!price(m, p, &R, &W, &nc2)) continue; /* never again affordable */
            m->rn[p] = (u128)R;
            m->rw[p] = (u128)W;
            if (best < 0 || better(m, p, (u128)R, (u128)W, best, (u128)bR, (u128)bW)) {
                best = p;
                bR = R;
                bW = W;
            }
            m->cand[keep++] = p;
        }
        nc = keep;
        if (best < 0) break;
        /* best bought: capped supporters pay all they have, the others their
         * part rounded up. */
        for (size_t e = m->pstart[best]; e < m->pstart[best + 1]; e++) {
            uint32_t v = m->pv[e];
            i128 w = m->pw[e];
            if (m->b[v] * bW < bR * w) {
                m->b[v] = 0;
            } else {
                i128 pay = (bR * w + bW - 1) / bW;
                m->b[v] -= pay;
            }
        }
        m->sel[nsel] = best;
        m->selR[nsel] = (u128)bR;
        m->selW[nsel] = (u128)bW;
        nsel++;
        for (size_t j = 0; j < nc; j++)
            if (m->cand[j] == best) {
                m->cand[j] = m->cand[--nc];
                break;
            }
    }
    return nsel;
}

static int64_t sel_cost(const struct mes *m, int n)
{
    int64_t s = 0;
    for (int i = 0; i < n; i++)
        s += m->in->p[m->sel[i]].cost;
    return s;
}

/* Whether a supported project not in the selection still fits what is
 * left of the real budget. */
static int can_add(const struct mes *m, const char *in_sel, int64_t spent)
{
    for (size_t p = 0; p < m->in->np; p++)
        if (!in_sel[p] && m->pstart[p + 1] > m->pstart[p] &&
            m->in->p[p].cost <= m->in->budget - spent)
            return 1;
    return 0;
}

static void mes_free(struct mes *m)
{
    free(m->pstart);
    free(m->pv);
    free(m->pw);
    free(m->b);
    free(m->cost);
    free(m->cand);
    free(m->rn);
    free(m->rw);
    free(m->sel);
    free(m->selR);
    free(m->selW);
}

/* Writes the outcome of a count with every share raised by k into res,
 * replaying the run so that payments are known per voter. */
static void mes_record(struct mes *m, int64_t k, struct bc_result *res)
{
    const struct bc_input *in = m->in;
    int n = mes_run(m, k);
    i128 share = ((i128)in->budget + (i128)k * (i128)in->nv) * BC_SCALE;
    for (size_t v = 0; v < in->nv; v++)
        res->paid_by[v] = share - m->b[v];
    res->share = share;
    res->raises = k;
    res->nselected = n;
    res->spent = sel_cost(m, n);
    for (size_t p = 0; p < in->np; p++) {
        struct bc_proj_result *r = &res->pr[p];
        r->selected = 0;
        r->order = 0;
        r->why = r->supporters ? BC_WHY_UNAFFORDABLE : BC_WHY_NO_VOTES;
        i128 have = 0;
        for (size_t e = m->pstart[p]; e < m->pstart[p + 1]; e++)
            have += m->b[m->pv[e]];
        r->have = have;
    }
    /* Replay once more to learn each selected project's capped payers: the
     * budgets before each purchase. */
    for (size_t v = 0; v < in->nv; v++)
        m->b[v] = share;
    for (int i = 0; i < n; i++) {
        int p = m->sel[i];
        struct bc_proj_result *r = &res->pr[p];
        i128 R = (i128)m->selR[i], W = (i128)m->selW[i];
        r->selected = 1;
        r->why = BC_WHY_SELECTED;
        r->order = i + 1;
        r->price_num = R;
        r->price_den = W * res->money_den;
        r->capped = 0;
        r->capped_paid = 0;
        r->paid = 0;
        for (size_t e = m->pstart[p]; e < m->pstart[p + 1]; e++) {
            uint32_t v = m->pv[e];
            i128 w = m->pw[e];
            if (m->b[v] * W < R * w) {
                r->capped++;
                r->capped_paid += m->b[v];
                r->paid += m->b[v];
                m->b[v] = 0;
            } else {
                i128 pay = (R * w + W - 1) / W;
                r->paid += pay;
                m->b[v] -= pay;
            }
        }
        res->selected[i] = p;
    }
}

static int equal_shares(const struct bc_input *in, struct bc_result *res)
{
    struct mes m = {.in = in};
    size_t np = in->np ? in->np : 1, nv = in->nv ? in->nv : 1;
    size_t ne = in->nv ? in->start[in->nv] : 0;
    m.pstart = calloc(in->np + 1, sizeof *m.pstart);
    m.pv = malloc((ne ? ne : 1) * sizeof *m.pv);
    m.pw = malloc((ne ? ne : 1) * sizeof *m.pw);
    m.b = malloc(nv * sizeof *m.b);
    m.cost = malloc(np * sizeof *m.cost);
    m.cand = malloc(np * sizeof *m.cand);
    m.rn = malloc(np * sizeof *m.rn);
    m.rw = malloc(np * sizeof *m.rw);
    m.sel = malloc(np * sizeof *m.sel);
    m.selR = malloc(np * sizeof *m.selR);
    m.selW = malloc(np * sizeof *m.selW);
    char *in_sel = calloc(np, 1);
    if (!m.pstart || !m.pv || !m.pw || !m.b || !m.cost || !m.cand || !m.rn || !m.rw || !m.sel ||
        !m.selR || !m.selW || !in_sel) {
        mes_free(&m);
        free(in_sel);
        return -1;
    }
    /* The ballots turned around: each project's supporters, by voter. */
    for (size_t e = 0; e < ne; e++)
        m.pstart[in->proj[e] + 1]++;
    for (size_t p = 0; p < in->np; p++)
        m.pstart[p + 1] += m.pstart[p];
    size_t *fill = malloc(np * sizeof *fill);
    if (!fill) {
        mes_free(&m);
        free(in_sel);
        return -1;
    }
    memcpy(fill, m.pstart, in->np * sizeof *fill);
    for (size_t v = 0; v < in->nv; v++)
        for (uint32_t e = in->start[v]; e < in->start[v + 1]; e++) {
            size_t at = fill[in->proj[e]]++;
            m.pv[at] = (uint32_t)v;
            m.pw[at] = in->weight ? in->weight[e] : 1;
        }
    free(fill);
    res->money_den = (i128)in->nv * BC_SCALE;
    for (size_t p = 0; p < in->np; p++)
        m.cost[p] = (i128)in->p[p].cost * res->money_den;

    if (in->nv == 0) {
        mes_record(&m, 0, res);
        mes_free(&m);
        free(in_sel);
        return 0;
    }
    /* The "add one" completion: raise every share by one unit while the
     * outcome still fits the budget and some project could still be added. */
    int64_t k = 0;
    int n = mes_run(&m, 0);
    for (;;) {
        memset(in_sel, 0, np);
        for (int i = 0; i < n; i++)
            in_sel[m.sel[i]] = 1;
        if (!can_add(&m, in_sel, sel_cost(&m, n))) break;
        if (k >= BC_MAX_RAISES) {
            res->raise_capped = 1;
            break;
        }
        int n2 = mes_run(&m, k + 1);
        if (sel_cost(&m, n2) > in->budget) break;
        k++;
        n = n2;
    }
    mes_record(&m, k, res);
    mes_free(&m);
    free(in_sel);
    return 0;
}

int count_run(const struct bc_input *in, enum bc_method method, struct bc_result *res)
{
    memset(res, 0, sizeof *res);
    if (count_check(in)) return -1;
    res->method = method;
    size_t np = in->np ? in->np : 1;
    res->pr = calloc(np, sizeof *res->pr);
    res->selected = calloc(np, sizeof *res->selected);
    res->paid_by = calloc(in->nv ? in->nv : 1, sizeof *res->paid_by);
    if (!res->pr || !res->selected || !res->paid_by) {
        count_free(res);
        return -1;
    }
    tally(in, res);
    int rc = method == BC_GREEDY ? greedy(in, res) : equal_shares(in, res);
    if (rc) count_free(res);
    return rc;
}

void count_free(struct bc_result *res)
{
    free(res->pr);
    free(res->selected);
    free(res->paid_by);
    res->pr = NULL;
    res->selected = NULL;
    res->paid_by = NULL;
}

void count_money(char *buf, size_t len, __int128 num, __int128 den)
{
    if (den <= 0) {
        snprintf(buf, len, "?");
        return;
    }
    int neg = num < 0;
    u128 n = (u128)(neg ? -num : num), d = (u128)den;
    u128 cents = (n * 100 + d / 2) / d;
    u128 whole = cents / 100;
    unsigned frac = (unsigned)(cents % 100);
    /* whole fits 64 bits for every amount within BC_MAX_MONEY */
    snprintf(buf, len, "%s%llu.%02u", neg ? "-" : "", (unsigned long long)whole, frac);
}
