/* Surveys and questionnaires for residents: a builder with templates,
 * answering by members or by anyone with the link, named or anonymous, and
 * results with counts, means, texts (anonymous: only above k) and CSV. */
#ifndef HR_SURVEY_H
#define HR_SURVEY_H

#include "core/ballot.h"
#include "core/area.h"
#include "core/req.h"
#include <jansson.h>
#include <stdint.h>

struct dbc;

extern const struct area survey_area;
int demo_survey(struct dbc *w);
/* bench-data's step (benchdata.c). */
struct db;
struct bench_world;
int benchdata_survey(struct db *db, struct bench_world *w);

enum {
    SURVEY_MAX_QUESTIONS = 40,
    SURVEY_MAX_OPTIONS = 20,
    SURVEY_TITLE_MAX = 200,
    SURVEY_INTRO_MAX = 4000,
    SURVEY_QTEXT_MAX = 500,
    SURVEY_SHORT_MAX = 200,
    SURVEY_LONG_MAX = 4000,
};

extern const char *const survey_kinds[];     /* scale5 scale10 single multi short long */
extern const char *const survey_audiences[]; /* members link */

/* ---- pure helpers (logic.c) ---- */

/* Splits options (one per line, trimmed, empty lines dropped) into out;
 * returns the count, or -1 when there are more than max. Arena-owned. */
int survey_split_options(struct arena *a, const char *text, const char **out, int max);
/* Percent (rounded) of n in total; 0 when total is 0. */
int survey_pct(int64_t n, int64_t total);

/* ---- model (model.c) ---- */

struct survey_fields {
    const char *title, *intro;
    int audience; /* index in survey_audiences */
    int anonymous;
    int64_t opens_on, closes_on;
    int count_unverified; /* anonymous link surveys: answers through the link count toward k */
};

/* A member's voter key in a survey's ballot box, into out[24]. */
void survey_member_voter(int64_t account_id, char out[24]);
/* The ballot box of an anonymous survey of the community, 0 for a named
 * one or none. */
int64_t survey_box_of(struct dbc *c, int64_t community_id, int64_t id);

/* Creates a survey as a draft (see survey_publish). */
int64_t survey_create(struct dbc *w, int64_t community_id, const struct survey_fields *s);
/* Publishes a draft: residents may then see and answer it; an anonymous
 * one gets its ballot box, with today's members on its roll. 0; -2 when it
 * is published already, -3 when it has no question, -4 when there is no
 * such survey; -1 on error. */
int survey_publish(struct dbc *w, int64_t community_id, int64_t id);
/* Rewrites a survey nobody answered (a new box when anonymous and
 * published). 0, -1. */
int survey_update(struct dbc *w, int64_t community_id, int64_t id, const struct survey_fields *s);
/* Deletes a survey with its questions and answers (an anonymous one's
 * ballot box too): 0; -2 when there is no such survey; -1 on error. */
int survey_delete(struct dbc *w, int64_t community_id, int64_t id);
/* Closes an anonymous survey's box for good: 0; -2 when closed already;
 * -1 for a named survey or on error. */
int survey_close(struct dbc *w, int64_t community_id, int64_t id);
/* Moves the dates of an answered survey: 0; -2 when its box is closed or
 * over (dates then never move), -3 when the new dates are not allowed (the
 * end in the past), -1 on error. */
int survey_set_dates(struct dbc *w, int64_t community_id, int64_t id, int64_t opens_on,
                     int64_t closes_on);
json_t *survey_get(struct dbc *c, int64_t community_id, int64_t id);
/* The community's surveys, newest first; drafts too when drafts is set. */
json_t *survey_list(struct dbc *c, int64_t community_id, int drafts);
int64_t survey_copy(struct dbc *w, int64_t community_id, int64_t id, const char *title);
json_t *survey_questions(struct dbc *c, int64_t survey_id);
int64_t survey_question_add(struct dbc *w, int64_t survey_id, const char *kind, const char *text,
                            int required, const char *options, int has_other, const char *low,
                            const char *high);
/* Rewrites a question of a survey nobody answered: 1, 0 when there is no
 * such question (or answers came in meanwhile), -1 on error. */
int survey_question_update(struct dbc *w, int64_t survey_id, int64_t qid, const char *kind,
                           const char *text, int required, const char *options, int has_other,
                           const char *low, const char *high);
int survey_question_move(struct dbc *w, int64_t survey_id, int64_t qid, int up);
int survey_question_delete(struct dbc *w, int64_t survey_id, int64_t qid);
int64_t survey_response_count(struct dbc *c, int64_t survey_id);
int survey_answered(struct dbc *c, int64_t survey_id, const char *who);
/* Records a response of a named survey: qids[i] -> values[i]; also (may
 * be NULL) is another key of the same person (their browser) marked as
 * having answered. -2 when who has answered. */
int survey_response_put(struct dbc *w, int64_t survey_id, const char *who, const char *also,
                        int64_t account_id, int n, const int64_t *qids, const char *const *values);
/* Casts an anonymous survey's answer into its box: voters[0] the person's
 * key, then their browser's; qids/values as read from the form. */
enum ballot_rc survey_ballot_cast(struct dbc *w, int64_t community_id, int64_t survey_id,
                                  const char *const *voters, size_t nvoters, int n,
                                  const int64_t *qids, const char *const *values, int64_t now);
/* The counts of an anonymous survey from its box (same rows as
 * survey_counts), NULL when its results may not be shown. */
json_t *survey_box_counts(struct dbc *c, const struct ballot_info *b);
/* Counts per question and value (choices grouped, 'other' as "o"). */
json_t *survey_counts(struct dbc *c, int64_t survey_id);
/* The text answers of one question (with other_only, the 'other' texts of
 * a choice question): identical texts once, rows {text, n}, alphabetical;
 * at most limit from offset. */
json_t *survey_text_groups(struct dbc *c, int64_t question_id, int other_only, int64_t limit,
                           int64_t offset);
/* How many text answers the question has (other_only as above). */
int64_t survey_text_count(struct dbc *c, int64_t question_id, int other_only);
/* Named surveys only: every answer of every response, responses by day and
 * respondent's name; a response without answers comes once with qid 0 and
 * value NULL. The strings live until fn returns. 0, or -1 on error. */
typedef void (*survey_row_fn)(void *ctx, const char *response_id, const char *name, const char *day,
                              int64_t qid, const char *value);
int survey_named_each(struct dbc *c, int64_t survey_id, survey_row_fn fn, void *ctx);

#endif
