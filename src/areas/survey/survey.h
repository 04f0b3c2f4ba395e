/* Surveys and questionnaires for residents: a builder with templates,
 * answering by members or by anyone with the link, named or anonymous, and
 * results with counts, means, texts (anonymous: only above k) and CSV. */
#ifndef HR_SURVEY_H
#define HR_SURVEY_H

#include "core/ballot.h"
#include "core/area.h"
#include "core/db.h"
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

/* The notice of a members' survey published, to every member
 * (core/notify.h). */
#define SURVEY_NOTIFY_OPENED "survey.opened"

struct survey_fields {
    const char *title, *intro;
    int audience; /* index in survey_audiences */
    int anonymous;
    int64_t opens_on, closes_on;
    int count_unverified; /* anonymous link surveys: answers through the link count toward k */
};

/* A member's voter key in a survey's ballot box (and among a named
 * survey's respondents), into out[24]: soc_voter's "m<member id>". */
void survey_member_voter(int64_t member_id, char out[24]);
/* The ballot box of an anonymous survey of the community, 0 for a named
 * one or none. */
int64_t survey_box_of(struct dbc *c, int64_t community_id, int64_t id);

/* A question as the builder writes it (strings the caller's). */
struct survey_question {
    const char *kind, *text, *options, *low, *high;
    int required, has_other;
};

/* ---- writes: each on the writer inside the request's transaction, each
 * deciding its own rules there (enum wr, core/db.h) ---- */

/* Creates a survey as a draft (see survey_publish); its id into *id. */
enum wr survey_create(struct dbc *w, int64_t community_id, const struct survey_fields *s,
                      int64_t *id);
/* Publishes a draft: residents may then see and answer it; an anonymous
 * one gets its ballot box, with today's members on its roll. A conflict
 * when it is published already, invalid when it has no question. */
enum wr survey_publish(struct dbc *w, int64_t community_id, int64_t id);
/* Rewrites the settings of a survey nobody answered (a new box when
 * anonymous and published); a conflict once somebody answered. Unchanged
 * settings write nothing. */
enum wr survey_update(struct dbc *w, int64_t community_id, int64_t id,
                      const struct survey_fields *s);
/* Deletes a survey with its questions and answers (an anonymous one's
 * ballot box too). */
enum wr survey_delete(struct dbc *w, int64_t community_id, int64_t id);
/* Closes an anonymous survey's box for good: a conflict when closed
 * already, not found for a named survey or a draft. */
enum wr survey_close(struct dbc *w, int64_t community_id, int64_t id);
/* Moves the dates of an answered survey: a conflict when its box is
 * closed or over (dates then never move), invalid when the new dates are
 * not allowed (the end in the past). */
enum wr survey_set_dates(struct dbc *w, int64_t community_id, int64_t id, int64_t opens_on,
                         int64_t closes_on);
/* A draft copy of survey id with its questions; its id into *nid. */
enum wr survey_copy(struct dbc *w, int64_t community_id, int64_t id, const char *title,
                    int64_t *nid);
/* The builder's question writes: only in a draft (a conflict once the
 * survey is published), at most SURVEY_MAX_QUESTIONS. */
enum wr survey_question_add(struct dbc *w, int64_t community_id, int64_t survey_id,
                            const struct survey_question *q);
enum wr survey_question_update(struct dbc *w, int64_t community_id, int64_t survey_id, int64_t qid,
                               const struct survey_question *q);
enum wr survey_question_move(struct dbc *w, int64_t community_id, int64_t survey_id, int64_t qid,
                             int up);
enum wr survey_question_delete(struct dbc *w, int64_t community_id, int64_t survey_id, int64_t qid);
/* A question appended without the builder's rules (demo and bench data,
 * inside their own transaction): its id, or -1. */
int64_t survey_question_insert(struct dbc *w, int64_t survey_id, const struct survey_question *q);
/* What a ballot box's answer is as a write's result (reasons recorded). */
enum wr survey_wr_of_ballot(struct dbc *w, enum ballot_rc rc);

/* One person's answer. keys[0] is the person's key, keys[1] (when nkeys
 * is 2) their browser's; qids[i] -> values[i] as read from the form
 * against the questions whose ids, in order, are shown ("12,13,14"). */
struct survey_answer {
    const char *const *keys;
    size_t nkeys;
    int64_t member_id; /* named surveys: the respondent's member id, or 0 (by link) */
    int n;
    const int64_t *qids;
    const char *const *values;
    const char *shown;
};
/* Takes an answer at time now: only while the survey is published and
 * open, once per person (any of the keys), and only when its questions are
 * still those shown (a conflict "survey.error.changed" otherwise). An
 * anonymous survey's answer goes into its ballot box, a named one's into
 * its responses. ar holds scratch strings. */
enum wr survey_answer_put(struct dbc *w, struct arena *ar, int64_t community_id, int64_t survey_id,
                          const struct survey_answer *a, int64_t now);
/* The ids of the survey's questions in the form's order, comma-separated
 * (arena-owned; "" when none). */
const char *survey_question_ids(struct dbc *c, struct arena *a, int64_t survey_id);
/* A survey as its logic reads it (strings arena-owned). */
struct survey {
    int64_t id, box_id, opens_on, closes_on, responses;
    int published, anonymous, count_unverified, link;
    int open, over; /* taking answers now; past its end or closed (set by survey_decorate) */
    const char *link_token;
};
/* The survey into *out and its view (the fields m allows: id, title,
 * intro, audience, anonymous, link_token, published, copied_from, opens,
 * closes, responses); a new reference, NULL when there is none. */
json_t *survey_get(struct dbc *c, struct arena *a, const struct vmask *m, int64_t community_id,
                   int64_t id, struct survey *out);
/* The community's surveys, newest first, drafts too when drafts is set:
 * their views (a new array) and, into *out (arena), the surveys in the
 * same order. */
json_t *survey_list(struct dbc *c, struct arena *a, const struct vmask *m, int64_t community_id,
                    int drafts, struct survey **out);
/* The survey's questions in the form's order (the fields m allows: id,
 * pos, kind, text, required, options, has_other, low_label, high_label);
 * a new array. */
json_t *survey_questions(struct dbc *c, const struct vmask *m, int64_t survey_id);
int64_t survey_question_count(struct dbc *c, int64_t survey_id);
/* A question as answering reads it: kind is the index in survey_kinds
 * (an unknown kind counts as short text); strings arena-owned. */
struct survey_q {
    int64_t id;
    int kind, required, has_other;
    const char *text, *options, *low, *high;
};
/* The survey's questions in the form's order into out[SURVEY_MAX_QUESTIONS]
 * (read once, for logic); their count. */
int survey_questions_read(struct dbc *c, struct arena *a, int64_t survey_id, struct survey_q *out);
int survey_answered(struct dbc *c, int64_t survey_id, const char *who);
/* Records a response of a named survey without its rules (bench data;
 * survey_answer_put checks them): qids[i] -> values[i]; also (may be NULL)
 * is another key of the same person (their browser) marked as having
 * answered. -2 when who has answered. */
int survey_response_put(struct dbc *w, int64_t survey_id, const char *who, const char *also,
                        int64_t member_id, int n, const int64_t *qids, const char *const *values);
/* Casts an anonymous survey's answer into its box (the box's rules only;
 * demo and bench data): voters[0] the person's key, then their browser's;
 * qids/values as read from the form. */
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
 * at most limit from offset. In a secret community the texts are opened
 * to be grouped (none for a viewer without the key). */
json_t *survey_text_groups(struct dbc *c, int64_t community_id, int64_t question_id, int other_only,
                           int64_t limit, int64_t offset);
/* How many text answers the question has (other_only as above). */
int64_t survey_text_count(struct dbc *c, int64_t question_id, int other_only);
/* Named surveys only: every answer of every response, responses by day and
 * respondent's name; a response without answers comes once with qid 0 and
 * value NULL. name is the member's name in the community, "" for an
 * answer through the link, NULL for a member who has left. The strings
 * live until fn returns. 0, or -1 on error. */
typedef void (*survey_row_fn)(void *ctx, const char *response_id, const char *name, const char *day,
                              int64_t qid, const char *value);
int survey_named_each(struct dbc *c, int64_t survey_id, survey_row_fn fn, void *ctx);

/* "Download my data" (core/area.h person_export): model_export.c. */
/* The area's seal_texts hook (core/area.h): surveys' and questions'
 * texts, named answers' free texts and the anonymous answers in their
 * boxes, sealed in place. */
int survey_seal_texts(struct dbc *w, int64_t community_id);
json_t *survey_person_export(struct dbc *c, int64_t account_id, int with_secret,
                             const char *sealed);

/* The scheduled pass (areas/notify/pass.c): the published members' surveys that close
 * in (from, to] (a box's end, or the day after the last), as rows {community_id,
 * id, due}; NULL on error. */
json_t *surveys_closing(struct dbc *c, int64_t from, int64_t to);

#endif
