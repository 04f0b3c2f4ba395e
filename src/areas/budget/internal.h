/* What the budget area's page files share; not for other areas. */
#ifndef HR_BUDGET_INTERNAL_H
#define HR_BUDGET_INTERNAL_H

#include "areas/budget/budget.h"
#include "core/form.h"
#include "core/render.h"

/* "/c/<slug>/budgets<suffix>" and "/c/<slug>/budgets/<id><suffix>". */
const char *bg_url(struct req *r, const char *suffix);
const char *bg_process_url(struct req *r, int64_t id, const char *suffix);
/* title, slug, name, is_member, is_organizer (request-owned). */
json_t *bg_base_view(struct req *r, const char *title_key);
/* The process's view (labels added), or NULL after answering 404. */
json_t *bg_process_or_404(struct req *r, int64_t id);
void bg_not_found(struct req *r);
/* "1 000 000 RUB" in the arena. */
const char *bg_money(struct req *r, int64_t amount, const char *currency);
/* The same of a count's "12345.67" (cents left out when none). */
const char *bg_money_text(struct req *r, const char *decimal, const char *currency);

/* projects.c */
void bg_project_new_get(struct req *r);
void bg_project_create_post(struct req *r);
void bg_project_edit_get(struct req *r);
void bg_project_edit_post(struct req *r);
void bg_review_get(struct req *r);
void bg_review_post(struct req *r);
extern const struct field BG_FORM_PROJECT[], BG_FORM_REVIEW[];

/* vote.c */
void bg_vote_get(struct req *r);
void bg_vote_post(struct req *r);
void bg_results_get(struct req *r);
void bg_results_csv(struct req *r);
void bg_ballots_csv(struct req *r);
void bg_ballots_pb(struct req *r);
extern const struct field BG_FORM_VOTE[];
extern const char *const BG_RESULTS_PARAMS[];

#endif
