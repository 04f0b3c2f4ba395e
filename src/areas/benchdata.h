/* Deterministic data at scale for benchmarks: `hramada bench-data`. Each
 * area adds a step; the platform's makes territories, accounts,
 * communities and memberships. */
#ifndef HR_BENCHDATA_H
#define HR_BENCHDATA_H

#include <stdint.h>

struct db;
struct dbc;

/* A small deterministic generator (xorshift64*), so that the same scale
 * gives the same database. */
struct rng {
    uint64_t s;
};
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n). */
uint64_t rng_below(struct rng *r, uint64_t n);

/* What later steps need to know of the generated world. */
struct bench_world {
    double scale;        /* 1: the sizes of docs/performance.md; 0.01 a small data set */
    int64_t accounts;    /* ids 1..accounts are generated accounts */
    int64_t communities; /* ids 1..communities */
    struct rng rng;
    /* Two communities beside those, alike but for their visibility (a
     * closed one and a secret one, PAIR_MEMBERS members each, account 1
     * their organizer): what sealing costs is measured as the difference
     * between them (docs/performance.md). Areas add their data to both. */
    int64_t pair_closed, pair_secret;
};

/* The members of each of the pair at scale 1: accounts 1..PAIR_MEMBERS
 * (the scale times as many, at least 20); and its talent entries. */
enum { PAIR_MEMBERS = 2000, PAIR_TALENTS = 5000 };
/* The pair's size at bw's scale: PAIR_MEMBERS or PAIR_TALENTS times it. */
int64_t bench_pair_count(const struct bench_world *bw, int64_t at_scale_1);

/* Fills db (fresh, migrated) at the given scale (0.01 to 100; every count
 * of scale 1 times scale); 0 on success. */
int benchdata_generate(struct db *db, double scale);
/* One area's step (by its name) on a database bench-data filled at that
 * scale before the area had one: the world read back from it (the pair
 * by their slugs); 0, or -1 when the area has no step or it failed. */
int benchdata_only(struct db *db, double scale, const char *area);
/* The platform's step, in batches of its own transactions. */
int benchdata_platform(struct db *db, struct bench_world *w);

#endif
