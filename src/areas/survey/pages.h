/* Shared between the survey builder (pages.c), answering (answer.c) and
 * the results (results.c). */
#ifndef HR_SURVEY_PAGES_H
#define HR_SURVEY_PAGES_H

#include "areas/survey/survey.h"

extern const char *const SURVEY_P_ANSWER[];

int64_t survey_today(void);
int survey_is_staff(struct req *r);
/* The field list of a question's view. */
struct vmask survey_question_mask(struct req *r);
/* The field list of a survey's view (with the link's secret when staff). */
struct vmask survey_mask(struct req *r, int staff);
/* Puts the survey's state (draft, open, closed, locked...) into its view,
 * and into s (open, over, and an anonymous one's count from its box). */
void survey_decorate(struct req *r, json_t *v, struct survey *s);
/* Survey id of this community into *out and its decorated view, owned by
 * the request; NULL when there is none (drafts included). */
json_t *survey_find(struct req *r, int64_t id, int staff, struct survey *out);
/* The survey of {id} in this community into *out and its view, decorated
 * and request-owned; renders 404 and returns NULL when there is none (or it
 * is a draft and the viewer is not staff). */
json_t *survey_load(struct req *r, int staff, struct survey *out);
/* The index of a question's kind in survey_kinds (scale5, scale10, single,
 * multi, short, long); an unknown kind counts as short text. */
int survey_kind_of(json_t *q);

void survey_answer_get(struct req *r);
void survey_answer_post(struct req *r);
void survey_link_get(struct req *r);
void survey_link_post(struct req *r);
void survey_results_get(struct req *r);
void survey_results_csv(struct req *r);
void survey_results_texts_get(struct req *r);

#endif
