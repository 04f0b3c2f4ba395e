/* Counting a participatory budget (src/areas/budget/count.c): small
 * instances whose outcome is worked out by hand below from the
 * definitions, and seeded random instances on which the properties must
 * hold: the budget is never exceeded, greedy skips only projects that do
 * not fit, and under equal shares no voter pays more than their share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/budget/count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ballots written as strings, one per voter: "AB" approves A and B, or
 * with points "A2B1". Project letters are the projects' ids. */
struct inst {
    struct bc_project p[16];
    uint32_t start[64], proj[512], weight[512];
    struct bc_input in;
};

static void build(struct inst *t, int64_t budget, const char *ids, const int64_t *costs,
                  const char *const *ballots, int nv, int points)
{
    memset(t, 0, sizeof *t);
    static char names[16][2];
    size_t np = strlen(ids);
    for (size_t i = 0; i < np; i++) {
        names[i][0] = ids[i];
        names[i][1] = 0;
        t->p[i].id = names[i];
        t->p[i].cost = costs[i];
    }
    uint32_t e = 0;
    for (int v = 0; v < nv; v++) {
        t->start[v] = e;
        for (const char *s = ballots[v]; *s;) {
            t->proj[e] = (uint32_t)(strchr(ids, *s) - ids);
            s++;
            t->weight[e] = 1;
            if (points) t->weight[e] = (uint32_t)strtoul(s, (char **)&s, 10);
            e++;
        }
    }
    t->start[nv] = e;
    t->in = (struct bc_input){np,    t->p, (size_t)nv, t->start, t->proj, points ? t->weight : NULL,
                              budget};
}

static int64_t whole(__int128 num, __int128 den)
{
    assert_true(num % den == 0);
    return (int64_t)(num / den);
}

/* Budget 100. Votes: A 3, B 2, C 2, D 0. Greedy takes A (60, 40 left);
 * B (50) does not fit 40; C (40, B before C by id) fits; D has no votes. */
static void greedy_takes_what_fits_in_order(void **state)
{
    (void)state;
    static const int64_t costs[] = {60, 50, 40, 10};
    static const char *const b[] = {"AB", "AC", "ABC"};
    struct inst t;
    build(&t, 100, "ABCD", costs, b, 3, 0);
    struct bc_result r;
    assert_int_equal(count_run(&t.in, BC_GREEDY, &r), 0);
    assert_int_equal(r.nselected, 2);
    assert_int_equal(r.selected[0], 0);
    assert_int_equal(r.selected[1], 2);
    assert_int_equal(r.spent, 100);
    assert_int_equal(r.pr[0].votes, 3);
    assert_int_equal(r.pr[1].why, BC_WHY_DID_NOT_FIT);
    assert_int_equal(r.pr[1].left, 40);
    assert_int_equal(r.pr[2].why, BC_WHY_SELECTED);
    assert_int_equal(r.pr[2].left, 40);
    assert_int_equal(r.pr[3].why, BC_WHY_NO_VOTES);
    count_free(&r);
}

/* Ties go to the id that comes first as text: "10" before "9". */
static void ties_go_by_id_as_text(void **state)
{
    (void)state;
    struct bc_project p[] = {{"9", 10}, {"10", 10}};
    uint32_t start[] = {0, 2}, proj[] = {0, 1};
    struct bc_input in = {2, p, 1, start, proj, NULL, 10};
    struct bc_result r;
    assert_int_equal(count_run(&in, BC_GREEDY, &r), 0);
    assert_int_equal(r.nselected, 1);
    assert_int_equal(r.selected[0], 1);
    count_free(&r);
    assert_int_equal(count_run(&in, BC_EQUAL_SHARES, &r), 0);
    assert_int_equal(r.nselected, 1);
    assert_int_equal(r.selected[0], 1);
    count_free(&r);
}

/* Four voters, budget 100: a share of 25. A (60) by v1 v2 v3: 20 each, a
 * price of 20/60 = 1/3 per unit; C (30) by v1 v2: 15 each, 1/2; B (40) by
 * v4 alone, who has 25: unaffordable. A is bought; v1 v2 keep 5 each, too
 * little for C. Raising every share by one unit at a time, A is bought
 * first each time, and C becomes affordable when v1 and v2 keep 15 each:
 * a share of 35 (ten raises); then A + C = 90 fits. With 10 left nothing
 * else fits, so the completion stops there. v1 and v2 paid 20 + 15 = 35,
 * their whole share; v3 20; v4 nothing. */
static void equal_shares_worked_by_hand(void **state)
{
    (void)state;
    static const int64_t costs[] = {60, 40, 30};
    static const char *const b[] = {"AC", "AC", "A", "B"};
    struct inst t;
    build(&t, 100, "ABC", costs, b, 4, 0);
    struct bc_result r;
    assert_int_equal(count_run(&t.in, BC_EQUAL_SHARES, &r), 0);
    assert_int_equal(r.raises, 10);
    assert_int_equal(whole(r.share, r.money_den), 35);
    assert_int_equal(r.nselected, 2);
    assert_int_equal(r.selected[0], 0);
    assert_int_equal(r.selected[1], 2);
    assert_int_equal(r.spent, 90);
    assert_int_equal(whole(r.pr[0].price_num * 100, r.pr[0].price_den), 2000);
    assert_int_equal(whole(r.pr[2].price_num, r.pr[2].price_den), 15);
    assert_int_equal(r.pr[1].why, BC_WHY_UNAFFORDABLE);
    assert_int_equal(whole(r.pr[1].have, r.money_den), 35);
    assert_int_equal(whole(r.paid_by[0], r.money_den), 35);
    assert_int_equal(whole(r.paid_by[1], r.money_den), 35);
    assert_int_equal(whole(r.paid_by[2], r.money_den), 20);
    assert_int_equal(whole(r.paid_by[3], r.money_den), 0);
    char buf[32];
    count_money(buf, sizeof buf, r.pr[0].price_num, r.pr[0].price_den);
    assert_string_equal(buf, "20.00");
    count_free(&r);
}

/* Budget 40, four voters with 10 each. A (24) by v1 v2 v3: 8 each, price
 * 8/24 = 1/3; B (12) by v2 v3 v4: 4 each, also 1/3, and A comes first by
 * id. After A, v2 and v3 have 2 each: for B they pay all they have (4 in
 * all) and v4 the remaining 8, a price of 8/12. C (5) by v1, who has 2
 * left, stays unaffordable; with 4 left of the budget C (5) cannot fit, so
 * no share is raised. */
static void supporters_who_cannot_pay_equally_pay_all_they_have(void **state)
{
    (void)state;
    static const int64_t costs[] = {24, 12, 5, 4};
    static const char *const b[] = {"AC", "AB", "AB", "B"};
    struct inst t;
    build(&t, 40, "ABCD", costs, b, 4, 0);
    struct bc_result r;
    assert_int_equal(count_run(&t.in, BC_EQUAL_SHARES, &r), 0);
    assert_int_equal(r.raises, 0);
    assert_int_equal(r.nselected, 2);
    assert_int_equal(r.selected[0], 0);
    assert_int_equal(r.selected[1], 1);
    assert_int_equal(r.spent, 36);
    assert_int_equal(r.pr[1].capped, 2);
    assert_int_equal(whole(r.pr[1].capped_paid, r.money_den), 4);
    assert_int_equal(whole(r.pr[1].price_num, r.pr[1].price_den), 8);
    assert_int_equal(r.pr[2].why, BC_WHY_UNAFFORDABLE);
    assert_int_equal(whole(r.pr[2].have, r.money_den), 2);
    assert_int_equal(r.pr[3].why, BC_WHY_NO_VOTES);
    assert_int_equal(whole(r.paid_by[0], r.money_den), 8);
    assert_int_equal(whole(r.paid_by[1], r.money_den), 10);
    assert_int_equal(whole(r.paid_by[3], r.money_den), 8);
    count_free(&r);
}

/* Cumulative: two voters, budget 10, a share of 5. X (6) has v1's 2
 * points and v2's 1: 2 a point, v1 pays 4 and v2 2, a price of 2/6; Y (4)
 * by v2 alone, price 4/4. X is bought, then v2 has 3 < 4. With 4 left Y
 * would fit: one raise (shares of 6) leaves v2 4, Y is bought, 10 spent. */
static void cumulative_points_pay_in_proportion(void **state)
{
    (void)state;
    static const int64_t costs[] = {6, 4};
    static const char *const b[] = {"X2", "X1Y1"};
    struct inst t;
    build(&t, 10, "XY", costs, b, 2, 1);
    struct bc_result r;
    assert_int_equal(count_run(&t.in, BC_EQUAL_SHARES, &r), 0);
    assert_int_equal(r.pr[0].votes, 3);
    assert_int_equal(r.raises, 1);
    assert_int_equal(r.nselected, 2);
    assert_int_equal(r.spent, 10);
    assert_int_equal(whole(r.paid_by[0], r.money_den), 4);
    assert_int_equal(whole(r.paid_by[1], r.money_den), 6);
    count_free(&r);
    /* Greedy by points: X (3) then Y (1), both fit. */
    assert_int_equal(count_run(&t.in, BC_GREEDY, &r), 0);
    assert_int_equal(r.nselected, 2);
    count_free(&r);
}

/* One voter's ballot naming projects a and b, each costing cost_b for b. */
static const char *check_two(uint32_t a, uint32_t b, size_t np, int64_t cost_b, int64_t budget)
{
    struct bc_project p[] = {{"a", 10}, {"b", cost_b}};
    uint32_t start[] = {0, 2}, proj[] = {a, b};
    struct bc_input in = {np, p, 1, start, proj, NULL, budget};
    return count_check(&in);
}

static void bad_input_is_refused(void **state)
{
    (void)state;
    assert_non_null(check_two(0, 0, 1, 10, 10)); /* a project twice */
    assert_non_null(check_two(0, 5, 1, 10, 10)); /* no such project */
    assert_non_null(check_two(0, 1, 2, 0, 10));  /* a cost of 0 */
    assert_non_null(check_two(0, 1, 2, 5, -1));  /* a budget below 0 */
    assert_non_null(check_two(0, 1, 2, BC_MAX_MONEY + 1, 10));
    assert_null(check_two(0, 1, 2, 5, 10));
    struct bc_project p[] = {{"a", 10}};
    uint32_t start[] = {0, 2}, proj[] = {0, 0};
    struct bc_input in = {1, p, 1, start, proj, NULL, 10};
    struct bc_result r;
    assert_int_equal(count_run(&in, BC_GREEDY, &r), -1);
}

static uint64_t rng;
static uint32_t rnd(uint32_t n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)((rng >> 33) % n);
}

static void properties_hold_on_random_instances(void **state)
{
    (void)state;
    enum { NP = 12, NV = 40 };
    static struct bc_project p[NP];
    static char ids[NP][4];
    static uint32_t start[NV + 1], proj[NV * NP], weight[NV * NP];
    rng = 20261207;
    for (int round = 0; round < 3000; round++) {
        size_t np = 1 + rnd(NP), nv = rnd(NV + 1);
        for (size_t i = 0; i < np; i++) {
            snprintf(ids[i], sizeof ids[i], "%u", (unsigned)(i * 7 % 13));
            p[i].id = ids[i];
            p[i].cost = 1 + rnd(rnd(2) ? 100 : 1000);
        }
        int points = (int)rnd(2);
        uint32_t e = 0;
        for (size_t v = 0; v < nv; v++) {
            start[v] = e;
            for (size_t i = 0; i < np; i++)
                if (rnd(3) == 0) {
                    proj[e] = (uint32_t)i;
                    weight[e++] = 1 + rnd(5);
                }
        }
        start[nv] = e;
        struct bc_input in = {np, p, nv, start, proj, points ? weight : NULL, rnd(1500)};
        assert_null(count_check(&in));
        struct bc_result g, m;
        assert_int_equal(count_run(&in, BC_GREEDY, &g), 0);
        assert_true(g.spent <= in.budget);
        int64_t sum = 0;
        for (size_t i = 0; i < np; i++) {
            if (g.pr[i].selected) {
                sum += p[i].cost;
                assert_true(p[i].cost <= g.pr[i].left);
            } else if (g.pr[i].votes > 0) {
                assert_int_equal(g.pr[i].why, BC_WHY_DID_NOT_FIT);
                assert_true(p[i].cost > g.pr[i].left);
            }
        }
        assert_int_equal(sum, g.spent);
        count_free(&g);

        assert_int_equal(count_run(&in, BC_EQUAL_SHARES, &m), 0);
        assert_true(m.spent <= in.budget);
        __int128 paid = 0;
        for (size_t v = 0; v < nv; v++) {
            assert_true(m.paid_by[v] >= 0);
            assert_true(m.paid_by[v] <= m.share);
            paid += m.paid_by[v];
        }
        sum = 0;
        for (size_t i = 0; i < np; i++) {
            if (m.pr[i].selected) {
                sum += p[i].cost;
                assert_true(m.pr[i].paid >= (__int128)p[i].cost * m.money_den);
            } else if (m.pr[i].supporters > 0) {
                /* nothing left affordable at the end */
                assert_true(m.pr[i].have < (__int128)p[i].cost * m.money_den);
            }
        }
        assert_int_equal(sum, m.spent);
        assert_true(paid >= (__int128)m.spent * m.money_den);
        count_free(&m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(greedy_takes_what_fits_in_order),
        cmocka_unit_test(ties_go_by_id_as_text),
        cmocka_unit_test(equal_shares_worked_by_hand),
        cmocka_unit_test(supporters_who_cannot_pay_equally_pay_all_they_have),
        cmocka_unit_test(cumulative_points_pay_in_proportion),
        cmocka_unit_test(bad_input_is_refused),
        cmocka_unit_test(properties_hold_on_random_instances),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
