/* Strategy by the methodology: personal values and goals, shared values
 * adopted by the members' vote, the Dilts canvas, vision, mission and
 * manifesto with versions, goals broken into actions with resources and
 * pledges, rules protecting values, and the checks of the typical
 * mistakes. */
#ifndef HR_STRATEGY_H
#define HR_STRATEGY_H

#include "core/area.h"
#include "core/db.h"
#include "core/req.h"
#include <jansson.h>
#include <stdint.h>

struct dbc;

extern const struct area strategy_area;
/* The mistakes panel on the community dashboard. */
int strategy_panel_fill(struct req *r, json_t *panel);
int demo_strategy(struct dbc *w);
/* bench-data's step (benchdata.c). */
struct db;
struct bench_world;
int benchdata_strategy(struct db *db, struct bench_world *w);

enum { STRATEGY_TEXT_MAX = 500, STRATEGY_LONG_MAX = 20000 };

/* ---- the adoption rule (logic.c, pure) ---- */

enum adoption_state { ADOPT_OPEN = 0, ADOPT_ADOPTED = 1, ADOPT_REJECTED = 2 };

struct adoption {
    int64_t members;  /* members of the community now */
    int64_t yes, no;  /* votes cast */
    int majority_pct; /* share of yes among the voters, at least this (and above half) */
    int quorum_pct;   /* share of all members who must vote */
    int closed;       /* the vote period is over */
};

/* Whether the vote passes the community's threshold (ignoring closed). */
int adoption_passes(const struct adoption *a);
/* ADOPTED or REJECTED when the outcome can no longer change whatever the
 * members who have not voted do (every member voted, enough yes votes to
 * adopt, or too few members left to reach the threshold); else OPEN. */
enum adoption_state adoption_settled(const struct adoption *a);
/* After the vote period, ADOPTED or REJECTED; during it, the settled
 * outcome (OPEN while it can still change). Never adopted on fewer than
 * two yes votes: one person alone cannot adopt a value. */
enum adoption_state adoption_decide(const struct adoption *a);

/* ---- the mistakes (logic.c, pure) ---- */

enum check_status { CHECK_OK = 0, CHECK_WARNING = 1, CHECK_PROBLEM = 2 };

/* What the checks look at, gathered by the model. Strings may be NULL. */
struct strategy_facts {
    int64_t members, organizers;
    int64_t goals, rules, rules_without_value;
    const char *rule_without_value;       /* one such rule's text */
    int64_t open_actions, top_owner_open; /* open actions, and the most any one member owns */
    const char *top_owner;
    int64_t adopted_values, adopted_few_voters, adopted_without_roots;
    const char *weak_value; /* one adopted value that is not owned */
    int64_t strategic_goals, strategic_empty, tactical_empty;
    const char *empty_goal;
    int64_t actions, actions_no_owner, actions_no_date;
};

enum { STRATEGY_CHECKS = 5 };

struct check_result {
    const char *id; /* "rules_values", "one_person", "values_owned", "goals_actions", "no_rules" */
    enum check_status status;
    const char *reason;  /* catalog key of the evidence, "strategy.check.<id>.<reason>" */
    int64_t n;           /* the number in the evidence */
    const char *subject; /* the example named in the evidence, or NULL */
};

/* Fills out[STRATEGY_CHECKS]; returns the worst status. */
enum check_status strategy_checks(const struct strategy_facts *f,
                                  struct check_result out[STRATEGY_CHECKS]);
/* 1 if making parent the parent of goal would make a cycle: parents[i] is
 * the parent of ids[i] (0: top), n entries. */
int goal_would_cycle(const int64_t *ids, const int64_t *parents, int n, int64_t goal,
                     int64_t parent);

/* ---- model (model.c) ---- */

struct strategy_settings {
    int64_t vote_days, majority_pct, quorum_pct;
};
void strategy_settings_get(struct dbc *c, int64_t cid, struct strategy_settings *s);
int strategy_settings_set(struct dbc *w, int64_t cid, const struct strategy_settings *s);

json_t *personal_list_mine(struct dbc *c, int64_t cid, int64_t account);
/* Personal values the viewer may see of others: shared with members, or
 * with organizers when the viewer is staff. */
json_t *personal_list_shared(struct dbc *c, int64_t cid, int64_t viewer, int staff);
int64_t personal_add(struct dbc *w, int64_t cid, int64_t account, const char *kind,
                     const char *text, const char *shared_with);
int personal_delete(struct dbc *w, int64_t cid, int64_t account, int64_t id);
/* 1 if the personal value may be linked by the viewer. */
int personal_linkable(struct dbc *c, int64_t cid, int64_t viewer, int staff, int64_t id);

json_t *values_list(struct dbc *c, int64_t cid, int64_t viewer);
int64_t value_propose(struct dbc *w, int64_t cid, int64_t by, const char *title,
                      const char *description, int64_t closes_at, const int64_t *roots, int nroots);
/* The row (id, closes_at) of a shared value of the community, or NULL. */
json_t *value_find(struct dbc *c, int64_t cid, int64_t id);
int value_vote(struct dbc *w, int64_t id, int64_t account, int yes);

json_t *dilts_list(struct dbc *c, int64_t cid);
enum wr dilts_add(struct dbc *w, int64_t cid, const char *level, const char *text);
enum wr dilts_delete(struct dbc *w, int64_t cid, int64_t id);

json_t *text_current(struct dbc *c, int64_t cid, const char *kind);
/* Versions, newest first, with closes_at, yes, no and the viewer's vote. */
json_t *text_history(struct dbc *c, int64_t cid, const char *kind, int64_t viewer);
/* closes_at: the end of the members' vote on this version, 0 for none. */
int64_t text_save(struct dbc *w, int64_t cid, const char *kind, const char *body, int64_t author,
                  int64_t closes_at);
/* The row (id, kind, closes_at) of a version of the community, or NULL. */
json_t *text_find(struct dbc *c, int64_t cid, int64_t id);
int text_vote(struct dbc *w, int64_t id, int64_t account, int yes);

json_t *goals_list(struct dbc *c, int64_t cid);
int64_t goal_add(struct dbc *w, int64_t cid, int64_t parent, const char *title);
int goal_exists(struct dbc *c, int64_t cid, int64_t id);
int goal_set_parent(struct dbc *w, int64_t cid, int64_t id, int64_t parent);

json_t *actions_list(struct dbc *c, int64_t cid);
struct action_new {
    int64_t goal_id, owner_id, hours, money, people;
    const char *title, *due, *currency, *skills;
};
int64_t action_add(struct dbc *w, int64_t cid, const struct action_new *a);
int action_set_status(struct dbc *w, int64_t cid, int64_t id, const char *status);
int action_exists(struct dbc *c, int64_t cid, int64_t id);
/* Withdraws the account's own pledges to an action of the community: the
 * number removed (0: none), -1 on error. */
int pledge_withdraw(struct dbc *w, int64_t community_id, int64_t action, int64_t account);
/* How many pledges the account made to the action. */
int64_t pledge_mine(struct dbc *c, int64_t community_id, int64_t action, int64_t account);
int64_t pledge_add(struct dbc *w, int64_t action, int64_t account, int64_t hours, int64_t money,
                   int person);

json_t *rules_list(struct dbc *c, int64_t cid);
int64_t rule_add(struct dbc *w, int64_t cid, const char *text, const int64_t *values, int n);
int value_in_community(struct dbc *c, int64_t cid, int64_t id);
/* Removes a rule, a goal (with its subgoals and actions) or an action of
 * the community; -1 when there is none. */
int rule_delete(struct dbc *w, int64_t cid, int64_t id);
int goal_delete(struct dbc *w, int64_t cid, int64_t id);
int action_delete(struct dbc *w, int64_t cid, int64_t id);

/* ---- edits, deletes and ends of votes (model.c) ---- */

/* Each *_find returns the row its edit form shows, or NULL when the
 * community has none; each update or delete returns -1 when no row
 * changed (gone, or the rule in its WHERE refused). */
json_t *goal_find(struct dbc *c, int64_t cid, int64_t id);
int goal_update(struct dbc *w, int64_t cid, int64_t id, int64_t parent, const char *title);
/* {subgoals, actions, pledges} that go with a goal. */
json_t *goal_loss(struct dbc *c, int64_t cid, int64_t id);
json_t *action_find(struct dbc *c, int64_t cid, int64_t id);
int action_update(struct dbc *w, int64_t cid, int64_t id, const struct action_new *a);
/* Status and progress by the action's owner or the staff (checked in the
 * UPDATE itself). */
int action_report(struct dbc *w, int64_t cid, int64_t id, int64_t account, const char *status,
                  int64_t progress);
json_t *rule_find(struct dbc *c, int64_t cid, int64_t id);
int rule_update(struct dbc *w, int64_t cid, int64_t id, const char *text, const int64_t *values,
                int n);
/* A canvas entry, its strings in the arena it was read into. */
struct dilts_entry {
    int64_t id;
    const char *level, *text;
};
/* 0 with *out filled (strings in a), -1 when there is no such entry in the
 * community. */
int dilts_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id, struct dilts_entry *out);
enum wr dilts_update(struct dbc *w, int64_t cid, int64_t id, const char *level, const char *text);
/* {id, title, description, proposed_by, closes_at, votes, rules}. */
json_t *value_edit_find(struct dbc *c, int64_t cid, int64_t id);
/* Before the first vote, by the proposer or the staff. */
int value_update(struct dbc *w, int64_t cid, int64_t id, int64_t account, const char *title,
                 const char *description);
/* By the staff; by the proposer before the first vote. */
int value_delete(struct dbc *w, int64_t cid, int64_t id, int64_t account);
int strategy_is_staff(struct dbc *c, int64_t cid, int64_t account);
/* The account's own personal value {id, kind, text, roots}, or NULL. */
json_t *personal_find(struct dbc *c, int64_t cid, int64_t account, int64_t id);
/* Ends an open vote now; why is "organizer" or "decided", reason may be
 * NULL. -1 when it was not open. */
int value_end(struct dbc *w, int64_t cid, int64_t id, const char *why, const char *reason);
int text_end(struct dbc *w, int64_t cid, int64_t id, const char *why, const char *reason);
/* {yes, no} of a vote. */
json_t *value_tally(struct dbc *c, int64_t id);
json_t *text_tally(struct dbc *c, int64_t id);

/* Gathers the facts for the checks; strings are copied into the arena. */
void strategy_facts_load(struct dbc *c, struct arena *a, int64_t cid, int64_t now,
                         struct strategy_facts *f);

#endif
