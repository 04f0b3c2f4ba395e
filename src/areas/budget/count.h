/*
 * Counting a participatory budget: pure C, no database, no floating point.
 *
 * Two methods over the same input (projects with their costs, ballots as
 * lists of projects with a weight: 1 on an approval ballot, the points on a
 * cumulative one):
 *
 * - greedy: projects by votes (the sum of weights), most first, ties by the
 *   project's id as text; each is selected when its cost fits what is left
 *   of the budget. A project nobody voted for is never selected.
 * - the Method of Equal Shares with cost utilities (a voter's utility of a
 *   project is its cost times the voter's weight) and the "add one"
 *   completion: the budget is split equally among the voters; the project
 *   bought next is the one whose supporters can pay for it at the lowest
 *   price per unit of its cost, each paying in proportion to their weight,
 *   or all they have left when that is less; ties by id as text. When no
 *   project is affordable, every voter's share is raised by one unit of the
 *   currency and the whole count repeated, as long as the outcome still
 *   fits the budget.
 *
 * Money inside the count is an integer in units of 1/(n * BC_SCALE) of the
 * currency's unit, n the number of voters, so that every voter's share is
 * a whole number. A supporter's part is rounded up to that unit (a project
 * is always paid in full, and nobody pays more than they have), prices are
 * compared exactly in 256 bits: a recount gives the same outcome anywhere.
 */
#ifndef HR_BUDGET_COUNT_H
#define HR_BUDGET_COUNT_H

#include <stddef.h>
#include <stdint.h>

#define BC_SCALE 1000
/* The limits count_check enforces, so that no product overflows. */
#define BC_MAX_MONEY 1000000000000LL /* a cost or a budget, in currency units */
#define BC_MAX_VOTERS 10000000
#define BC_MAX_PROJECTS 100000
#define BC_MAX_WEIGHT 1000000
/* The "add one" completion stops after this many raises (an outcome that
 * still changes after that many is kept as it stood); the result says so. */
#define BC_MAX_RAISES 200000

enum bc_method { BC_GREEDY, BC_EQUAL_SHARES };

struct bc_project {
    const char *id; /* compared as text for ties */
    int64_t cost;   /* in currency units, > 0 */
};

/* Ballots, voter by voter: voter v's entries are [start[v], start[v + 1]),
 * each a project index and a weight (weight NULL: every weight 1). A voter
 * names a project at most once; a weight is > 0. */
struct bc_input {
    size_t np;
    const struct bc_project *p;
    size_t nv;
    const uint32_t *start; /* nv + 1 offsets */
    const uint32_t *proj;
    const uint32_t *weight;
    int64_t budget;
};

enum bc_why {
    BC_WHY_SELECTED,
    BC_WHY_NO_VOTES,     /* nobody voted for it */
    BC_WHY_DID_NOT_FIT,  /* greedy: cost over what was left (left) */
    BC_WHY_UNAFFORDABLE, /* equal shares: its supporters had only have_* left */
};

struct bc_proj_result {
    int selected;
    enum bc_why why;
    int64_t votes;      /* sum of weights */
    int64_t supporters; /* voters who named it */
    int order;          /* 1.. in the order of selection; 0 when not selected */
    /* greedy: what was left of the budget when the project's turn came */
    int64_t left;
    /* equal shares, selected: each supporter paid price_num / price_den
     * currency units per unit of weight (rounded up to the count's unit),
     * except `capped` supporters who paid all they had left, capped_paid
     * in total (paid_* in currency units as a fraction over money_den). */
    __int128 price_num, price_den;
    int64_t capped;
    __int128 capped_paid, paid;
    /* equal shares, not selected: what its supporters had left in total at
     * the end of the count, over money_den (to compare with its cost) */
    __int128 have;
};

struct bc_result {
    enum bc_method method;
    int64_t spent;      /* the selected projects' costs, <= budget */
    int64_t raises;     /* equal shares: by how many units each share was raised */
    int raise_capped;   /* 1 when BC_MAX_RAISES stopped the completion */
    __int128 share;     /* equal shares: a voter's share, over money_den */
    __int128 money_den; /* n * BC_SCALE */
    int nselected;
    struct bc_proj_result *pr; /* np entries, in the input's order */
    int *selected;             /* nselected project indexes, in order */
    __int128 *paid_by;         /* equal shares: what each voter paid, over money_den */
};

/* NULL when the input is within the limits above and consistent, else a
 * sentence (English) naming what is wrong. */
const char *count_check(const struct bc_input *in);
/* Counts in into res (allocated, count_free releases): 0, or -1 on an
 * input count_check refuses or memory exhausted. */
int count_run(const struct bc_input *in, enum bc_method m, struct bc_result *res);
void count_free(struct bc_result *res);
/* "12.34": num / den (den > 0) in currency units, rounded half up to two
 * decimals, into buf. */
void count_money(char *buf, size_t len, __int128 num, __int128 den);

#endif
