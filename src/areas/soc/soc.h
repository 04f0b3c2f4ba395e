/* Sense of community (McMillan & Chavis): waves in which members rate the
 * four factors anonymously, results above a threshold k, the trend across
 * waves and a comparison for coordinators. */
#ifndef HR_SOC_H
#define HR_SOC_H

#include "core/area.h"
#include "core/ballot.h"
#include "core/db.h"
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
 * whether it is closed. Writes return enum wr (core/db.h) and decide every
 * rule on the writer: the box answers for open, roll and once per person. */

struct arena;

/* A wave as the pages' logic needs it, read once: its dates, and its box
 * (state, k, counts). Strings in the arena the model was given. */
struct soc_wave {
    int64_t id, box_id;
    int64_t opens_on, closes_on; /* midnight UTC of its first and last day */
    const char *opens, *closes;  /* the same as YYYY-MM-DD */
    struct ballot_info box;
    int box_ok; /* 0 when its box could not be read: shown as closed, no results */
    enum soc_state state;
};

/* A sharing community's wave, for the coordinators' comparison; its box is
 * read by the caller only for the waves it needs. */
struct soc_shared {
    int64_t community_id, wave_id, box_id;
    const char *slug, *name, *closes;
    int visibility; /* enum visibility */
};

int64_t soc_k_of(struct dbc *c, int64_t community_id);
int soc_share_of(struct dbc *c, int64_t community_id);
/* Stores k and share; saving what is stored changes no row (and is a
 * success). */
enum wr soc_settings_set(struct dbc *w, int64_t community_id, int64_t k, int share);
/* Waves of a community, newest first: the count, *out an arena array; -1
 * on error. with_boxes: each one's box read at time now (else call
 * soc_wave_state for those needed). */
int64_t soc_waves_of(struct dbc *c, struct arena *a, int64_t community_id, int64_t now,
                     int with_boxes, struct soc_wave **out);
/* Reads a wave's box and its state at time now. */
void soc_wave_state(struct dbc *c, struct soc_wave *w, int64_t now);
/* One wave of a community: 0, or -1 when there is none (or its box is
 * gone). */
int soc_wave_find(struct dbc *c, struct arena *a, int64_t community_id, int64_t wave_id,
                  int64_t now, struct soc_wave *out);
/* 1 if another wave that is not over at now overlaps [opens_on, closes_on]
 * (on the reader for the form's message; soc_wave_create asks again on the
 * writer). */
int soc_wave_overlaps(struct dbc *c, int64_t community_id, int64_t opens_on, int64_t closes_on,
                      int64_t now);
/* The notice of a wave open for the members' answers, to every member
 * (core/notify.h). */
#define SOC_NOTIFY_WAVE "soc.wave_opened"
/* Opens a wave: its box with the community's k and today's members on the
 * roll (only they may answer). A conflict (soc.error.overlap) when another
 * wave that is not over at now overlaps the dates. *id (may be NULL): the
 * new wave's id. */
enum wr soc_wave_create(struct dbc *w, int64_t community_id, int64_t opens_on, int64_t closes_on,
                        int64_t now, int64_t *id);
/* Closes a wave for good (its box): not found, or a conflict
 * (soc.error.closed_already) when it was closed already. */
enum wr soc_wave_close(struct dbc *w, int64_t community_id, int64_t wave_id);
/* Casts a member's answer to a community's wave at time now: ratings[4]
 * (1..10), comments[4] ("" for none). The box refuses it when the wave is
 * not open (soc.error.closed), the member is not on its roll
 * (soc.error.not_eligible) or has answered (soc.error.twice): conflicts. */
enum wr soc_answer_cast(struct dbc *w, int64_t community_id, int64_t wave_id, int64_t member_id,
                        const int64_t *ratings, const char *const *comments, int64_t now);
/* What a ballot box's answer means for a write: the box's refusals are
 * conflicts with the reason recorded on w; closed_key is the reason for
 * BALLOT_CLOSED (closing twice and answering late read differently). */
enum wr soc_ballot_wr(struct dbc *w, enum ballot_rc rc, const char *closed_key);
/* The member's voter key in a wave's box, into out[24]: "m" and the
 * member id (never the account's: a copy of the roll would list who was
 * eligible in the community). The surveys' boxes use the same keys. */
void soc_voter(int64_t member_id, char out[24]);
/* The distributions of the four factors into s, for a box whose results
 * are visible; -1 otherwise. */
int soc_wave_stats(struct dbc *c, const struct ballot_info *b, struct soc_stats s[SOC_FACTORS]);
/* The comments of each factor, each list in its own random order drawn
 * afresh: out[f] is a new array of {text}. 0, or -1 (arrays set anyway). */
/* The area's seal_texts hook (core/area.h): its waves' comments sealed. */
int soc_seal_texts(struct dbc *w, int64_t community_id);
int soc_wave_comments(struct dbc *c, int64_t community_id, const struct ballot_info *b,
                      json_t *out[SOC_FACTORS]);
/* Communities that share their results, each with its waves newest first
 * (by name, then id): the count, *out an arena array; -1 on error. The
 * caller keeps, per community, the newest wave whose results are visible. */
int64_t soc_shared_waves(struct dbc *c, struct arena *a, struct soc_shared **out);

/* The scheduled pass (areas/notify/pass.c): the waves whose ballot box closes in (from,
 * to], still open, as rows {community_id,
 * id, due}; NULL on error. */
json_t *soc_waves_closing(struct dbc *c, int64_t from, int64_t to);

#endif
