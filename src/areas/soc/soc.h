/* Sense of community (McMillan & Chavis): waves in which members rate the
 * four factors anonymously, results above a threshold k, the trend across
 * waves and a comparison for coordinators. */
#ifndef HR_SOC_H
#define HR_SOC_H

#include "core/req.h"
#include "core/util.h"
#include <jansson.h>
#include <stdint.h>

struct dbc;

extern const struct route soc_routes[];

/* The dashboard panel: the open wave and the last results' weakest factor. */
void soc_dashboard_panel(struct req *r, json_t *view);
/* Demo: two finished waves in dvor-sadovaya-12, an open one with few
 * answers in zelenyj-kvartal, a shared wave in roditeli-shkoly-7. */
int demo_soc(struct dbc *w);
/* bench-data's step (benchdata.c). */
struct db;
struct bench_world;
int benchdata_soc(struct db *db, struct bench_world *w);

enum {
    SOC_FACTORS = 4,
    SOC_SCALE = 10,
    SOC_K_MIN = 3,
    SOC_K_DEFAULT = 5,
    SOC_K_MAX = 100,
    SOC_COMMENT_MAX = 1000,
    SOC_SECRET_HEX = 64,
};

/* membership influence integration connection: the column names too. */
extern const char *const soc_factors[];

/* ---- pure logic (calc.c) ---- */

enum soc_state { SOC_UPCOMING = 0, SOC_OPEN = 1, SOC_CLOSED = 2 };

struct soc_stats {
    int64_t n;
    double mean, median;
    int64_t dist[SOC_SCALE]; /* dist[i]: how many rated i + 1 */
};

/* Mean, median and n from a distribution of ratings 1..10. */
void soc_stats_from(struct soc_stats *s, const int64_t dist[SOC_SCALE]);
/* 1 if k is an allowed threshold (SOC_K_MIN..SOC_K_MAX). */
int soc_k_valid(int64_t k);
/* How many more answers are needed before results may be shown (0: none). */
int64_t soc_needed(int64_t answers, int64_t k);
/* 1 when the results of a wave may be shown: it is closed and has at least
 * k answers (a valid k; below SOC_K_MIN counts as SOC_K_MIN). */
int soc_results_visible(enum soc_state st, int64_t answers, int64_t k);
/* The wave's state on day today (all midnight UTC). */
enum soc_state soc_state_of(int64_t opens_on, int64_t closes_on, int closed, int64_t today);
/* The index of the factor with the lowest mean, -1 if none has answers. */
int soc_weakest(const struct soc_stats s[SOC_FACTORS]);
/* Participation in whole percent (0 when members is 0). */
int soc_rate_pct(int64_t answers, int64_t members);
/* The answer's slot: hex of BLAKE2b-256 keyed with the wave's secret over
 * the account id, into out[SOC_SECRET_HEX + 1]. -1 on a bad secret. */
int soc_slot(const char *secret_hex, int64_t account_id, char *out);
/* A fresh wave secret, hex, into out[SOC_SECRET_HEX + 1]. */
void soc_secret_new(char *out);
/* The trend as an SVG line chart: means[w][f] for n waves, labels[w] under
 * the x axis, names[f] in the legend. Text is escaped. */
void soc_trend_svg(struct buf *b, int n, const double (*means)[SOC_FACTORS],
                   const char *const *labels, const char *const names[SOC_FACTORS],
                   const char *title);

/* ---- model (model.c) ---- */

int64_t soc_k_of(struct dbc *c, int64_t community_id);
int soc_share_of(struct dbc *c, int64_t community_id);
int soc_settings_set(struct dbc *w, int64_t community_id, int64_t k, int share);
/* Waves of a community, newest first: id, opens_on, closes_on, opens, closes
 * (YYYY-MM-DD), closed, members, answers. */
json_t *soc_wave_list(struct dbc *c, int64_t community_id);
json_t *soc_wave_get(struct dbc *c, int64_t community_id, int64_t wave_id);
/* Secret of an open wave (malloc'd) or NULL. */
char *soc_wave_secret(struct dbc *c, int64_t wave_id);
int64_t soc_wave_create(struct dbc *w, int64_t community_id, int64_t opens_on, int64_t closes_on);
/* 1 if another not-closed wave overlaps [opens_on, closes_on]. */
int soc_wave_overlaps(struct dbc *c, int64_t community_id, int64_t opens_on, int64_t closes_on);
/* Closes a wave now: erases its secret, freezes the member count. */
int soc_wave_close(struct dbc *w, int64_t community_id, int64_t wave_id);
/* Closes (and erases the secrets of) every wave past its last day. */
int soc_seal_expired(struct dbc *w, int64_t today);
/* Counts and stores the answers and tallies of closed waves that have none
 * yet (closing does it; at start-up for waves closed before migration 024).
 * 0 or -1. */
int soc_tally_pending(struct dbc *w);
int soc_has_expired(struct dbc *c, int64_t today);
int64_t soc_answer_count(struct dbc *c, int64_t wave_id);
int soc_participated(struct dbc *c, int64_t wave_id, int64_t account_id);
/* The member's own answer in an open wave (by slot), or NULL. */
json_t *soc_answer_own(struct dbc *c, int64_t wave_id, const char *slot);
/* Records or replaces an answer: ratings[4], comments[4]. */
int soc_answer_put(struct dbc *w, int64_t wave_id, int64_t account_id, const char *slot,
                   const int64_t *ratings, const char *const *comments);
/* The distributions of the four factors into s (aggregates only). */
int soc_wave_stats(struct dbc *c, int64_t wave_id, struct soc_stats s[SOC_FACTORS]);
/* The non-empty comments of each factor, in random order: out[f] is a new
 * array of {text}. 0, or -1 on error (the arrays are set either way). */
int soc_wave_comments(struct dbc *c, int64_t wave_id, json_t *out[SOC_FACTORS]);
/* Communities that share their results, with their last closed wave that
 * reached their k: slug, name, wave_id, answers, k, closes. */
json_t *soc_shared_latest(struct dbc *c);

#endif
