/* Shared between the survey builder (pages.c), answering (answer.c) and
 * the results (results.c). */
#ifndef HR_SURVEY_PAGES_H
#define HR_SURVEY_PAGES_H

#include "areas/survey/survey.h"

extern const char *const SURVEY_P_ANSWER[];

int64_t survey_today(void);
const char *survey_day_str(struct req *r, int64_t t);
int64_t survey_path_id(struct req *r, const char *name);
int survey_is_staff(struct req *r);
void survey_decorate(struct req *r, json_t *s, int staff);
/* The survey of {id} in this community, decorated; renders 404 and returns
 * NULL when there is none. */
json_t *survey_load(struct req *r, int staff);
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
