/* Sense of community (McMillan & Chavis): waves in which members rate the
 * four factors anonymously, results above a threshold k, the trend across
 * waves and a comparison for coordinators. */
#ifndef HR_SOC_H
#define HR_SOC_H

#include "core/ballot.h"
#include "core/area.h"
#include "core/req.h"
#include "core/util.h"
#include <jansson.h>
#include <stdint.h>

struct dbc;

extern const struct area soc_area;

/* The dashboard panel: the open wave and the last results' weakest factor. */
int soc_panel_fill(struct req *r, json_t *panel);
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
/* The wave's state at time now, from its ballot box. */
struct ballot_info;
enum soc_state soc_state_of(const struct ballot_info *b, int64_t now);
/* The index of the factor with the lowest mean, -1 if none has answers. */
int soc_weakest(const struct soc_stats s[SOC_FACTORS]);
/* Participation in whole percent (0 when members is 0). */
int soc_rate_pct(int64_t answers, int64_t members);
/* The trend as an SVG line chart: means[w][f] for n waves, labels[w] under
 * the x axis, names[f] in the legend. Text is escaped. */
void soc_trend_svg(struct buf *b, int n, const double (*means)[SOC_FACTORS],
                   const char *const *labels, const char *const names[SOC_FACTORS],
                   const char *title);

/* ---- model (model.c) ----
 * A wave is a community's record of dates around a ballot box (core/ballot.h),
 * which keeps who may answer, the answers as tallies and texts, k and
 * whether it is closed. */

int64_t soc_k_of(struct dbc *c, int64_t community_id);
int soc_share_of(struct dbc *c, int64_t community_id);
int soc_settings_set(struct dbc *w, int64_t community_id, int64_t k, int share);
/* Waves of a community, newest first: id, box_id, opens_on, closes_on,
 * opens, closes (YYYY-MM-DD). */
json_t *soc_wave_list(struct dbc *c, int64_t community_id);
json_t *soc_wave_get(struct dbc *c, int64_t community_id, int64_t wave_id);
/* Opens a wave: its box with the community's k and today's members on the
 * roll (only they may answer). The wave's id, or -1. */
int64_t soc_wave_create(struct dbc *w, int64_t community_id, int64_t opens_on, int64_t closes_on);
/* 1 if another wave that is not over overlaps [opens_on, closes_on]. */
int soc_wave_overlaps(struct dbc *c, int64_t community_id, int64_t opens_on, int64_t closes_on,
                      int64_t now);
/* The box of a community's wave, 0 when there is no such wave. */
int64_t soc_wave_box(struct dbc *c, int64_t community_id, int64_t wave_id);
/* Closes a wave for good (its box). */
enum ballot_rc soc_wave_close(struct dbc *w, int64_t community_id, int64_t wave_id);
/* Casts a member's answer at time now: ratings[4] (1..10), comments[4]
 * ("" for none). */
enum ballot_rc soc_answer_cast(struct dbc *w, int64_t box_id, int64_t account_id,
                               const int64_t *ratings, const char *const *comments, int64_t now);
/* The member's voter key in a wave's box, into out[24]. */
void soc_voter(int64_t account_id, char out[24]);
/* The distributions of the four factors into s, for a box whose results
 * are visible; -1 otherwise. */
int soc_wave_stats(struct dbc *c, const struct ballot_info *b, struct soc_stats s[SOC_FACTORS]);
/* The comments of each factor, each list in its own random order drawn
 * afresh: out[f] is a new array of {text}. 0, or -1 (arrays set anyway). */
int soc_wave_comments(struct dbc *c, const struct ballot_info *b, json_t *out[SOC_FACTORS]);
/* Communities that share their results, each with its waves newest first:
 * community_id, slug, name, visibility, wave_id, box_id, closes. The caller keeps, per community,
 * the newest wave whose results are visible. */
json_t *soc_shared_waves(struct dbc *c);

#endif
