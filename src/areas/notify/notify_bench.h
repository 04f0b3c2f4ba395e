/* bench-data's notifications step (benchdata.c) and its SQL (model_bench.c). */
#ifndef HR_NOTIFY_BENCH_H
#define HR_NOTIFY_BENCH_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct dbc;
struct bench_world;

/* Every member with its community, by community. */
struct notify_bench_roll {
    int64_t *member, *community; /* malloc'd, n of each */
    size_t n;
};
int notify_bench_roll_read(struct dbc *c, struct notify_bench_roll *out); /* 0, or -1 */
void notify_bench_roll_free(struct notify_bench_roll *r);
/* The members of the community of roll entry i. */
int64_t notify_bench_community_size(const struct notify_bench_roll *r, size_t i);
int64_t notify_bench_last(struct dbc *c); /* the highest notice id, 0 when none */
/* The notices after id after read, the older the likelier (a tenth of the
 * newest to nine tenths of the oldest, by a hash of the id). */
int notify_bench_mark_read(struct dbc *w, int64_t after, int64_t now);
int benchdata_notify(struct db *db, struct bench_world *bw);

#endif
