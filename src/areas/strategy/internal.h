/* What the strategy area's files share among themselves. */
#ifndef HR_STRATEGY_INTERNAL_H
#define HR_STRATEGY_INTERNAL_H

#include "areas/strategy/strategy.h"
#include "core/form.h"

extern const char *const STRATEGY_LEVELS[]; /* Dilts levels, bottom to top */
/* The levels the canvas's entries are written on: all but the mission,
 * which is the mission text (one mission, not two). */
extern const char *const STRATEGY_CANVAS_LEVELS[];
extern const char *const STRATEGY_STATUSES[];
extern const char *const STRATEGY_TEXT_KINDS[];
extern const char *const STRATEGY_CURRENCIES[];

const char *s_url(struct req *r, const char *suffix);
/* The numeric {id} of the path, or 0. */
int64_t s_path_id(struct req *r);
/* 404 for an object of the path that is not the community's. */
void s_not_found(struct req *r);
/* Sets row's out to the catalog text of prefix and the row's field (the
 * label of a stored choice: "strategy.status." and "done"). */
/* Appends the tasks of the community's initiatives (plan_initiative_tasks)
 * to actions, their status labelled; the plan's pages only. */
void s_initiative_tasks(struct req *r, json_t *actions);
void s_label(struct req *r, json_t *row, const char *field, const char *prefix, const char *out);
/* Whether the find of the path's object found it (find_rc 0, as the
 * model's *_find return); else answers 404: the handler just returns. */
int s_found(struct req *r, int find_rc);
/* An edit page's view: title, slug, name and the path's id (request-owned). */
json_t *s_edit_view(struct req *r, const char *title_key);
/* What differs between a vote on a shared value and on a text's version:
 * the page's list and template, the reason when it closed, the model's
 * facts, cast and end, where to go after and the page for a 422. */
struct vote_kind {
    const char *list, *tmpl, *closed_key;
    int (*facts)(struct dbc *w, int64_t cid, const char *kind, int64_t id, struct vote_facts *vf);
    enum wr (*cast)(struct dbc *w, int64_t cid, int64_t id, int64_t member, int yes, int64_t now);
    enum wr (*end)(struct dbc *w, int64_t cid, int64_t id, const char *why, const char *reason);
    const char *(*back)(struct req *r, const char *kind);
    json_t *(*page)(struct req *r, const char *kind);
};
void s_vote(struct req *r, const struct vote_kind *k, const char *kind);
/* The viewer's member id when a member, else 0 (for "mine" and "my vote"). */
int64_t s_viewer(struct req *r);
/* The plural form of key for n with {n} replaced (arena). */
const char *s_plural(struct req *r, const char *key, int64_t n);
/* "<lead> 1 подцель, 3 действия и 2 вклада участников." from the parts
 * whose count is not zero (keys[i] with n[i]); alone when all are. */
const char *s_loss_text(struct req *r, const char *lead, const char *alone, const char *const *keys,
                        const int64_t *n, int count);
/* The delete confirmation of the strategy's objects. */
void s_confirm(struct req *r, const char *title_key, const char *what, const char *loss,
               const char *back);
/* The POST that s_confirm's button sends for a staff's object (a goal, an
 * action, a rule, a canvas entry): del removes the path's object of the
 * community in the write; back to the overview. */
void s_delete(struct req *r, enum wr (*del)(struct dbc *w, int64_t cid, int64_t id));
/* Commits a staff's write (rc) and, when it is done, back to the overview
 * saying it is saved; else req_commit has answered. */
void s_saved(struct req *r, enum wr rc);

/* Shared values with their vote state and tallies (a request-owned
 * array); adopted ones also in *adopted (new array, the caller's) when
 * adopted is not NULL. */
json_t *s_values(struct req *r, json_t **adopted);
/* Sets a vote's state, labels and the viewer's vote on row from its
 * facts; returns the state. */
enum adoption_state s_vote_state(struct req *r, json_t *row, const struct vote_facts *f,
                                 const struct strategy_settings *s, int64_t members);
/* Whether the vote with facts f is settled now, read on c (the writer
 * inside its transaction when deciding). */
enum adoption_state s_vote_settled(struct req *r, struct dbc *c, const struct vote_facts *f);
/* The versions of kind, newest first, each with its vote (request-owned). */
json_t *s_versions(struct req *r, const char *kind);
/* The version of kind that stands (the newest one not voted on or
 * adopted), a new reference or NULL; *pending set when a newer version is
 * being voted on. */
json_t *s_text_standing(struct req *r, const char *kind, int *pending);
/* The goal tree in depth-first order with the actions under each goal. */
json_t *s_goal_tree(struct req *r, json_t *goals, json_t *actions);
/* The community's actions for a view, with labels and report forms. */
json_t *s_actions(struct req *r);
/* {worst, checks: [...]} for the community (a new reference). */
json_t *s_checks(struct req *r);
/* The overview page's view (request-owned). Its picture, the Dilts
 * pyramid, is a template (strategy/pyramid.html): the same for every
 * community, only its words translated. */
json_t *s_index_view(struct req *r);
/* 1 when the overview's form f has no error; else the overview again with
 * the form's input kept and its messages, 422 (the form released): 0. */
int s_valid(struct req *r, struct form *f);
/* The view's common part: title, slug, name and what the viewer may do
 * (request-owned). */
json_t *s_base_view(struct req *r, const char *title_key);

/* The forms (routes.c sets each route's .form). */
extern const struct field FORM_MINE[];
extern const struct field FORM_VALUE[];
extern const struct field FORM_VOTE[];
extern const struct field FORM_CLOSE[];
extern const struct field FORM_GOAL[];
extern const struct field FORM_PARENT[];
extern const struct field FORM_ACTION[];
extern const struct field FORM_STATUS[];
extern const struct field FORM_PLEDGE[];
extern const struct field FORM_RULE[];
extern const struct field FORM_DILTS[];
extern const struct field FORM_SETTINGS[];
extern const struct field FORM_TEXT[];

/* Handlers (routes.c holds the table). */
void st_index_get(struct req *r);
void st_mine_get(struct req *r);
void st_mine_post(struct req *r);
void st_mine_delete(struct req *r);
void st_mine_delete_get(struct req *r);
void st_values_get(struct req *r);
void st_values_post(struct req *r);
void st_vote_post(struct req *r);
void st_value_close_post(struct req *r);
void st_value_edit_get(struct req *r);
void st_value_edit_post(struct req *r);
void st_value_delete_get(struct req *r);
void st_value_delete(struct req *r);
void st_goal_post(struct req *r);
void st_goal_parent_post(struct req *r);
void st_goal_edit_get(struct req *r);
void st_goal_edit_post(struct req *r);
void st_goal_delete_get(struct req *r);
void st_goal_delete(struct req *r);
void st_action_post(struct req *r);
void st_action_status_post(struct req *r);
void st_action_edit_get(struct req *r);
void st_action_edit_post(struct req *r);
void st_action_delete_get(struct req *r);
void st_action_delete(struct req *r);
void st_pledge_post(struct req *r);
void st_pledge_withdraw_get(struct req *r);
void st_pledge_withdraw_post(struct req *r);
void st_rule_post(struct req *r);
void st_rule_edit_get(struct req *r);
void st_rule_edit_post(struct req *r);
void st_rule_delete_get(struct req *r);
void st_rule_delete(struct req *r);
void st_dilts_post(struct req *r);
void st_dilts_edit_get(struct req *r);
void st_dilts_edit_post(struct req *r);
void st_dilts_delete_get(struct req *r);
void st_dilts_delete(struct req *r);
void st_settings_post(struct req *r);
void st_text_get(struct req *r);
void st_text_post(struct req *r);
void st_text_vote_post(struct req *r);
void st_text_close_post(struct req *r);
void st_plan_get(struct req *r);
void st_print_get(struct req *r);
void st_json_get(struct req *r);
void st_md_get(struct req *r);

#endif
