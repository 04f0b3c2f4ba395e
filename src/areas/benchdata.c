/* Data at scale; see benchdata.h. At scale 1: 1,000 communities of every
 * visibility on a territory tree, 100,000 accounts, about 100,000
 * memberships with roles. Later areas add their steps to STEPS. */
#include "areas/benchdata.h"
#include "areas/areas.h"
#include "areas/account/account.h"
#include "areas/community/community.h"
#include "areas/soc/soc.h"
#include "areas/strategy/strategy.h"
#include "areas/survey/survey.h"
#include "areas/talent/talent.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

uint64_t rng_next(struct rng *r)
{
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
    return n ? rng_next(r) % n : 0;
}

static const char *const FIRST[] = {"Анна",  "Иван",    "Мария", "Олег",  "Елена", "Сергей",
                                    "Ольга", "Дмитрий", "Настя", "Павел", "Вера",  "Тимур"};
static const char *const WORDS[] = {"Двор",     "Сквер",     "Соседи",   "Клуб",  "Школа",
                                    "Квартал",  "Огород",    "Бег",      "Книги", "Шахматы",
                                    "Родители", "Велосипед", "Площадка", "Река",  "Улица"};
static const char *const KINDS[] = {"country", "region", "city", "district", "neighbourhood"};

/* Commits every batch so the writer is not held for minutes and progress
 * is real. */
enum { BATCH = 5000 };

static int make_territories(struct dbc *w, struct bench_world *bw, int64_t *leaves, int nleaves)
{
    int64_t country = territory_create(w, 0, KINDS[0], "Беларусь");
    int n = 0;
    for (int r = 0; r < 6 && n < nleaves; r++) {
        char name[128];
        snprintf(name, sizeof name, "Область %d", r + 1);
        int64_t region = territory_create(w, country, KINDS[1], name);
        for (int c = 0; c < 5 && n < nleaves; c++) {
            snprintf(name, sizeof name, "Город %d-%d", r + 1, c + 1);
            int64_t city = territory_create(w, region, KINDS[2], name);
            for (int d = 0; d < 5 && n < nleaves; d++) {
                snprintf(name, sizeof name, "Район %d-%d-%d", r + 1, c + 1, d + 1);
                int64_t district = territory_create(w, city, KINDS[3], name);
                for (int k = 0; k < 4 && n < nleaves; k++) {
                    snprintf(name, sizeof name, "Микрорайон %d-%d-%d-%d", r + 1, c + 1, d + 1,
                             k + 1);
                    leaves[n++] = territory_create(w, district, KINDS[4], name);
                }
            }
        }
    }
    (void)bw;
    return n;
}

static int make_accounts(struct db *db, struct bench_world *bw)
{
    char hash[AUTH_HASH_MAX];
    /* One argon2id hash for every generated account: the password is the
     * same ("bench-bench") and hashing 100,000 times would only burn time. */
    if (auth_password_hash("bench-bench", hash) != 0) return -1;
    for (int64_t done = 0; done < bw->accounts;) {
        struct dbc *w = db_write_begin(db);
        if (!w) return -1;
        int64_t end = done + BATCH < bw->accounts ? done + BATCH : bw->accounts;
        for (; done < end; done++) {
            char handle[32], name[64];
            snprintf(handle, sizeof handle, "user%lld", (long long)done + 1);
            snprintf(name, sizeof name, "%s %lld", FIRST[rng_below(&bw->rng, 12)],
                     (long long)done + 1);
            if (account_create_hashed(w, handle, name, hash, 0) < 0) {
                db_write_end(db, w, 0);
                return -1;
            }
        }
        if (db_write_end(db, w, 1) != 0) return -1;
        log_progress("accounts", done, bw->accounts);
    }
    return 0;
}

/* Community sizes: most are small, a few are large (a long tail, as in
 * life); the mean is about 100 members. */
static int64_t community_size(struct rng *r)
{
    uint64_t x = rng_below(r, 100);
    if (x < 60) return 10 + (int64_t)rng_below(r, 40);
    if (x < 90) return 50 + (int64_t)rng_below(r, 150);
    return 200 + (int64_t)rng_below(r, 600);
}

static int make_communities(struct db *db, struct bench_world *bw)
{
    int64_t leaves[600];
    struct dbc *w = db_write_begin(db);
    if (!w) return -1;
    int nleaves = make_territories(w, bw, leaves, 600);
    if (db_write_end(db, w, 1) != 0 || nleaves == 0) return -1;
    for (int64_t i = 0; i < bw->communities; i++) {
        w = db_write_begin(db);
        if (!w) return -1;
        char slug[64], name[128];
        snprintf(slug, sizeof slug, "c%lld", (long long)i + 1);
        snprintf(name, sizeof name, "%s %s %lld", WORDS[rng_below(&bw->rng, 15)],
                 WORDS[rng_below(&bw->rng, 15)], (long long)i + 1);
        uint64_t v = rng_below(&bw->rng, 100);
        const char *pre[2] = {community_prereqs[rng_below(&bw->rng, 7)],
                              community_prereqs[rng_below(&bw->rng, 7)]};
        struct community_new c = {.slug = slug,
                                  .name = name,
                                  .description =
                                      "Сообщество, созданное генератором данных для замеров.",
                                  .visibility = v < 60   ? VIS_PUBLIC
                                                : v < 85 ? VIS_CLOSED
                                                         : VIS_SECRET,
                                  .territory_id = leaves[rng_below(&bw->rng, (uint64_t)nleaves)],
                                  .prereqs = pre,
                                  .nprereqs = 2};
        int64_t creator = 1 + (int64_t)rng_below(&bw->rng, (uint64_t)bw->accounts);
        int64_t cid = community_create(w, &c, creator);
        int rc = cid > 0 ? 0 : -1;
        int64_t size = community_size(&bw->rng);
        for (int64_t k = 1; k < size && rc == 0; k++) {
            int64_t who = 1 + (int64_t)rng_below(&bw->rng, (uint64_t)bw->accounts);
            uint64_t rr = rng_below(&bw->rng, 100);
            const char *role = rr < 3   ? "organizer"
                               : rr < 6 ? "facilitator"
                               : rr < 8 ? "expert"
                                        : "member";
            rc = member_add(w, cid, who, role);
        }
        if (db_write_end(db, w, rc == 0) != 0 || rc != 0) return -1;
        if ((i + 1) % 10 == 0 || i + 1 == bw->communities)
            log_progress("communities", i + 1, bw->communities);
    }
    return 0;
}

/* The pair (bench_world.pair_closed, pair_secret), after every other
 * community and without the generator's random draws, so that adding them
 * left the rest of the data as it was. The secret one's links are clear,
 * "waiting to be sealed" (the generator has no session keys): its
 * organizer's first sign-in seals it, texts and all. */
int64_t bench_pair_count(const struct bench_world *bw, int64_t at_scale_1)
{
    int64_t n = llround((double)at_scale_1 * bw->scale);
    return n < 20 ? 20 : n;
}

static int make_pair(struct db *db, struct bench_world *bw)
{
    static const char *const pre[1] = {"intentions"};
    int64_t n = bench_pair_count(bw, PAIR_MEMBERS);
    if (n > bw->accounts) n = bw->accounts;
    for (int secret = 0; secret <= 1; secret++) {
        struct community_new c = {.slug = secret ? "pair-secret" : "pair-closed",
                                  .name = secret ? "Пара: тайное" : "Пара: закрытое",
                                  .description = "Два одинаковых сообщества для замера шифрования.",
                                  .visibility = secret ? VIS_SECRET : VIS_CLOSED,
                                  .prereqs = pre,
                                  .nprereqs = 1};
        struct dbc *w = db_write_begin(db);
        if (!w) return -1;
        int64_t cid = community_create(w, &c, 1);
        int rc = cid > 0 ? 0 : -1;
        for (int64_t who = 2; who <= n && rc == 0; who++)
            rc = member_add(w, cid, who, who % 50 == 0 ? "organizer" : "member");
        if (db_write_end(db, w, rc == 0) != 0 || rc != 0) return -1;
        *(secret ? &bw->pair_secret : &bw->pair_closed) = cid;
    }
    return 0;
}

int benchdata_platform(struct db *db, struct bench_world *bw)
{
    if (make_accounts(db, bw) != 0 || make_communities(db, bw) != 0 || make_pair(db, bw) != 0)
        return -1;
    return 0;
}

static int64_t pair_id(struct db *db, const char *slug)
{
    struct dbc *w = db_write_begin(db);
    if (!w) return 0;
    json_t *row = community_find(w, slug, 0);
    int64_t id = row ? json_integer_value(json_object_get(row, "id")) : 0;
    json_decref(row);
    db_write_end(db, w, 1);
    return id;
}

int benchdata_only(struct db *db, double scale, const char *area)
{
    struct bench_world bw = {.scale = scale,
                             .accounts = llround(100000.0 * scale),
                             .communities = llround(1000.0 * scale),
                             .rng = {0x9E3779B97F4A7C15ULL},
                             .pair_closed = pair_id(db, "pair-closed"),
                             .pair_secret = pair_id(db, "pair-secret")};
    for (const struct area *const *a = areas_all; *a; a++) {
        if (!str_eq((*a)->name, area)) continue;
        if (!(*a)->bench) break;
        struct timespec s0, s1;
        clock_gettime(CLOCK_MONOTONIC, &s0);
        int rc = (*a)->bench(db, &bw);
        clock_gettime(CLOCK_MONOTONIC, &s1);
        fprintf(stderr, "bench-data: %s %s in %.1f s\n", area, rc == 0 ? "done" : "failed",
                (double)(s1.tv_sec - s0.tv_sec) + (double)(s1.tv_nsec - s0.tv_nsec) / 1e9);
        return rc;
    }
    fprintf(stderr, "bench-data: no area %s with a bench step\n", area);
    return -1;
}

int benchdata_generate(struct db *db, double scale)
{
    /* Rounded, so that scale 1 is exactly the numbers it always was and a
     * fraction gives whole accounts and communities. */
    struct bench_world bw = {.scale = scale,
                             .accounts = llround(100000.0 * scale),
                             .communities = llround(1000.0 * scale),
                             .rng = {0x9E3779B97F4A7C15ULL}};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (const struct area *const *a = areas_all; *a; a++) {
        if (!(*a)->bench) continue;
        struct timespec s0, s1;
        clock_gettime(CLOCK_MONOTONIC, &s0);
        if ((*a)->bench(db, &bw) != 0) {
            log_error("bench-data: %s failed", (*a)->name);
            return -1;
        }
        clock_gettime(CLOCK_MONOTONIC, &s1);
        fprintf(stderr, "bench-data: %s took %.1f s\n", (*a)->name,
                (double)(s1.tv_sec - s0.tv_sec) + (double)(s1.tv_nsec - s0.tv_nsec) / 1e9);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(stderr, "bench-data: scale %g done in %.1f s\n", scale,
            (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return 0;
}
