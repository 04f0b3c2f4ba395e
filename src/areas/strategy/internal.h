/* What the strategy area's files share among themselves. */
#ifndef HR_STRATEGY_INTERNAL_H
#define HR_STRATEGY_INTERNAL_H

#include "areas/strategy/strategy.h"
#include "core/form.h"

struct form;

extern const char *const STRATEGY_LEVELS[]; /* Dilts levels, bottom to top */
/* The levels the canvas's entries are written on: all but the mission,
 * which is the mission text (one mission, not two). */
extern const char *const STRATEGY_CANVAS_LEVELS[];
extern const char *const STRATEGY_STATUSES[];
extern const char *const STRATEGY_TEXT_KINDS[];

const char *s_url(struct req *r, const char *suffix);
int s_member(struct req *r);
int s_staff(struct req *r);
/* The numeric {id} of the path, or 0. */
int64_t s_path_id(struct req *r);
/* Shared values with their vote state and tallies; adopted ones also in
 * *adopted (new array) when adopted is not NULL. */
json_t *s_values(struct req *r, json_t **adopted);
/* Sets a vote's state, labels and the viewer's vote on row (which has
 * closes_at, yes, no, my_vote); returns the state. */
enum adoption_state s_vote_state(struct req *r, json_t *row, const struct strategy_settings *s,
                                 int64_t members);
/* Whether the vote with tally {yes, no} (taken) is settled now, read on c
 * (the reader, or the writer inside its transaction). */
enum adoption_state s_vote_settled(struct req *r, struct dbc *c, json_t *tally);
/* The version of kind that stands (the newest one not voted on or
 * adopted), new reference or NULL; *pending set when a newer version is
 * being voted on. */
json_t *s_text_standing(struct req *r, const char *kind, int *pending);
/* The goal tree in depth-first order with the actions under each goal. */
json_t *s_goal_tree(struct req *r, json_t *goals, json_t *actions);
/* {worst, checks: [...]} for the community. */
json_t *s_checks(struct req *r);
/* The checks panel's HTML (arena). */
/* The Dilts pyramid as SVG (arena): the six levels' names, escaped; the
 * entries are listed beside it in HTML. */
const char *s_pyramid_svg(struct req *r);
/* Decorates actions with labels; hides owners from non-members. */
void s_actions_decorate(struct req *r, json_t *actions);
/* The overview page's view (also re-rendered on invalid staff forms). */
json_t *s_index_view(struct req *r);
void s_busy(struct req *r);
/* The plural form of key for n with {n} replaced (arena). */
const char *s_plural(struct req *r, const char *key, int64_t n);

/* Handlers (routes.c holds the table). */
void st_index_get(struct req *r);
void st_mine_get(struct req *r);
void st_mine_post(struct req *r);
void st_mine_delete(struct req *r);
void st_values_get(struct req *r);
void st_values_post(struct req *r);
void st_vote_post(struct req *r);
void st_goal_post(struct req *r);
void st_goal_parent_post(struct req *r);
void st_action_post(struct req *r);
void st_action_status_post(struct req *r);
void st_pledge_post(struct req *r);
void st_pledge_withdraw_get(struct req *r);
void st_pledge_withdraw_post(struct req *r);
void st_rule_post(struct req *r);
/* The canvas entry form (edit.c). */
extern const struct field FORM_DILTS[];
void st_dilts_post(struct req *r);
void st_dilts_delete(struct req *r);
void st_settings_post(struct req *r);
void st_rule_delete(struct req *r);
void st_goal_delete(struct req *r);
void st_action_delete(struct req *r);
void st_text_get(struct req *r);
void st_text_post(struct req *r);
void st_text_vote_post(struct req *r);
void st_plan_get(struct req *r);
void st_print_get(struct req *r);
void st_json_get(struct req *r);
void st_md_get(struct req *r);
void st_value_close_post(struct req *r);
void st_text_close_post(struct req *r);
void st_goal_edit_get(struct req *r);
void st_goal_edit_post(struct req *r);
void st_action_edit_get(struct req *r);
void st_action_edit_post(struct req *r);
void st_rule_edit_get(struct req *r);
void st_rule_edit_post(struct req *r);
void st_dilts_edit_get(struct req *r);
void st_dilts_edit_post(struct req *r);
void st_value_edit_get(struct req *r);
void st_value_edit_post(struct req *r);
void st_value_delete(struct req *r);
void st_goal_delete_get(struct req *r);
void st_action_delete_get(struct req *r);
void st_rule_delete_get(struct req *r);
void st_dilts_delete_get(struct req *r);
void st_value_delete_get(struct req *r);
void st_mine_delete_get(struct req *r);

#endif
