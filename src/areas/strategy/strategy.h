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

/* ---- model (model.c: values, votes, texts, canvas; model_plan.c: goals,
 * actions, pledges, rules, facts) ----
 *
 * A page's write returns enum wr and holds its rule (owner, still open,
 * before the deadline, still the community's) in its statement, or reads
 * it on the writer; the int64_t *_add, *_vote and *_save functions below
 * them insert without rules, for the demo and the bench data. Rows that
 * feed logic are C structs with their strings in the arena given; rows
 * for a view carry only the fields their vmask names. */

struct strategy_settings {
    int64_t vote_days, majority_pct, quorum_pct;
};
void strategy_settings_get(struct dbc *c, int64_t cid, struct strategy_settings *s);
enum wr strategy_settings_set(struct dbc *w, int64_t cid, const struct strategy_settings *s);

json_t *personal_list_mine(struct dbc *c, const struct vmask *m, int64_t cid, int64_t member);
/* Personal values the viewer may see of others: shared with members, or
 * with organizers when the viewer is staff. */
json_t *personal_list_shared(struct dbc *c, const struct vmask *m, int64_t cid, int64_t viewer,
                             int staff);
int64_t personal_add(struct dbc *w, int64_t cid, int64_t member, const char *kind, const char *text,
                     const char *shared_with);
enum wr personal_create(struct dbc *w, int64_t cid, int64_t member, const char *kind,
                        const char *text, const char *shared_with);
enum wr personal_delete(struct dbc *w, int64_t cid, int64_t member, int64_t id);
/* 1 if the personal value may be linked by the viewer. */
int personal_linkable(struct dbc *c, int64_t cid, int64_t viewer, int staff, int64_t id);
struct personal {
    int64_t id, roots; /* roots: shared values grown from it */
    const char *kind, *text;
};
/* The member's own personal value: 0 with *out, -1 when none. */
int personal_find(struct dbc *c, struct arena *a, int64_t cid, int64_t member, int64_t id,
                  struct personal *out);

/* What the adoption rule and the vote's labels need of a shared value or
 * a text version. */
struct vote_facts {
    int64_t id;
    int64_t closes_at; /* 0: a version not put to the vote */
    int64_t yes, no;
    int my_vote; /* -1: the viewer did not vote; 0 no; 1 yes */
    int mine;    /* the viewer proposed it */
    const char *ended_early, *close_reason;
};
/* The community's shared values for a view (fields of m), newest vote
 * first, and in *facts (arena) each row's facts, index for index. A value
 * whose proposer left is shown as proposed by former (the viewer's "a
 * former member"). */
json_t *values_list(struct dbc *c, struct arena *a, const struct vmask *m, int64_t cid,
                    int64_t viewer, const char *former, struct vote_facts **facts);
/* Versions of kind, newest first, as values_list. */
json_t *text_history(struct dbc *c, struct arena *a, const struct vmask *m, int64_t cid,
                     const char *kind, int64_t viewer, const char *former,
                     struct vote_facts **facts);
/* One vote's closes_at and tally read on c: 0, or -1 when the community
 * has no such value (no such version of kind put to the vote). */
int value_vote_facts(struct dbc *c, int64_t cid, int64_t id, struct vote_facts *f);
int text_vote_facts(struct dbc *c, int64_t cid, const char *kind, int64_t id, struct vote_facts *f);

int64_t value_propose(struct dbc *w, int64_t cid, int64_t by, const char *title,
                      const char *description, int64_t closes_at, const int64_t *roots, int nroots);
/* The proposal; its roots must still be ones the proposer may link
 * (staff: those shared with organizers too). */
enum wr value_create(struct dbc *w, int64_t cid, int64_t by, int staff, const char *title,
                     const char *description, int64_t closes_at, const int64_t *roots, int nroots);
/* A vote as the demo and the bench data put it, no deadline asked: on a
 * shared value or on a text's version (id). 0, or -1. */
enum vote_on { VOTE_ON_VALUE, VOTE_ON_TEXT };
int vote_put(struct dbc *w, enum vote_on on, int64_t id, int64_t member, int yes);
/* The member's vote (a second one changes theirs), only while the vote is
 * open at now: 409 strategy.error.vote_closed after it. */
enum wr value_cast(struct dbc *w, int64_t cid, int64_t id, int64_t member, int yes, int64_t now);
int value_in_community(struct dbc *c, int64_t cid, int64_t id);
struct shared_value {
    int64_t id, proposed_by, closes_at, votes, rules;
    const char *title, *description;
};
int value_edit_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id,
                    struct shared_value *out);
/* Before the first vote, by the proposer or the staff. */
enum wr value_update(struct dbc *w, int64_t cid, int64_t id, int64_t member, const char *title,
                     const char *description);
/* By the staff; by the proposer before the first vote. */
enum wr value_delete(struct dbc *w, int64_t cid, int64_t id, int64_t member);

json_t *dilts_list(struct dbc *c, const struct vmask *m, int64_t cid);
enum wr dilts_add(struct dbc *w, int64_t cid, const char *level, const char *text);
enum wr dilts_delete(struct dbc *w, int64_t cid, int64_t id);
/* A canvas entry, its strings in the arena it was read into. */
struct dilts_entry {
    int64_t id;
    const char *level, *text;
};
/* 0 with *out filled (strings in a), -1 when there is no such entry in the
 * community. */
int dilts_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id, struct dilts_entry *out);
enum wr dilts_update(struct dbc *w, int64_t cid, int64_t id, const char *level, const char *text);

/* The newest version's Markdown of kind (caller frees), or NULL. */
char *text_current_body(struct dbc *c, int64_t cid, const char *kind);
/* closes_at: the end of the members' vote on this version, 0 for none. */
int64_t text_save(struct dbc *w, int64_t cid, const char *kind, const char *body, int64_t author,
                  int64_t closes_at);
enum wr text_create(struct dbc *w, int64_t cid, const char *kind, const char *body, int64_t author,
                    int64_t closes_at);
enum wr text_cast(struct dbc *w, int64_t cid, int64_t id, int64_t member, int yes, int64_t now);
/* Ends an open vote now; why is "organizer" or "decided", reason may be
 * NULL. 409 strategy.conflict.vote_over when it was not open. */
enum wr value_end(struct dbc *w, int64_t cid, int64_t id, const char *why, const char *reason);
enum wr text_end(struct dbc *w, int64_t cid, int64_t id, const char *why, const char *reason);

json_t *goals_list(struct dbc *c, int64_t cid);
json_t *strategy_plan_people(struct dbc *c, int64_t cid, int64_t me);
int64_t goal_add(struct dbc *w, int64_t cid, int64_t parent, const char *title);
enum wr goal_create(struct dbc *w, int64_t cid, int64_t parent, const char *title);
int goal_exists(struct dbc *c, int64_t cid, int64_t id);
/* 1 if parent (> 0) under goal would close a loop in the tree read on c. */
int goal_would_loop(struct dbc *c, int64_t cid, int64_t goal, int64_t parent);
/* Moves (and, with a title, renames) a goal; the parent and the loop are
 * checked on the writer. */
enum wr goal_update(struct dbc *w, int64_t cid, int64_t id, int64_t parent, const char *title);
struct goal {
    int64_t id, parent_id; /* 0: a strategic goal */
    const char *title;
};
int goal_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id, struct goal *out);
/* n = {subgoals, actions, pledges} that go with a goal; 0, or -1. */
int goal_loss(struct dbc *c, int64_t cid, int64_t id, int64_t n[3]);
enum wr goal_delete(struct dbc *w, int64_t cid, int64_t id);

json_t *actions_list(struct dbc *c, const struct vmask *m, int64_t cid);
/* The tasks of the community's initiatives at work (and done) in the
 * actions' shape, with initiative_id and initiative (its title): read-only
 * from the initiative area's view initiative_plan_tasks (migration 064).
 * The plan shows them beside the actions, without the actions' forms. */
json_t *plan_initiative_tasks(struct dbc *c, const struct vmask *m, int64_t cid);
/* The notices of the strategy (core/notify.h): a shared value's vote
 * opened, a text's version put to the vote (to every member but the one
 * who opened it); an action given to its owner. */
#define STRATEGY_NOTIFY_VALUE_VOTE "strategy.value_vote"
#define STRATEGY_NOTIFY_TEXT_VOTE "strategy.text_vote"
#define STRATEGY_NOTIFY_ACTION "strategy.action_owner"
struct action_new {
    int64_t goal_id, owner_id, hours, money, people; /* owner_id: a member id, 0 for none */
    const char *title, *due, *currency, *skills;
    int64_t by; /* who writes it: not told of an action they give themselves */
};
int64_t action_add(struct dbc *w, int64_t cid, const struct action_new *a);
/* Its goal and owner still the community's (409 otherwise). */
enum wr action_create(struct dbc *w, int64_t cid, const struct action_new *a);
enum wr action_update(struct dbc *w, int64_t cid, int64_t id, const struct action_new *a);
int action_set_status(struct dbc *w, int64_t cid, int64_t id, const char *status);
int action_exists(struct dbc *c, int64_t cid, int64_t id);
struct action {
    int64_t id, goal_id, owner_id, progress, hours, money, people, pledges; /* owner: member */
    const char *title, *owner_name, *due, *status, *currency, *skills;
};
int action_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id, struct action *out);
/* Status and progress by the action's owner or the staff (checked in the
 * UPDATE itself). */
enum wr action_report(struct dbc *w, int64_t cid, int64_t id, int64_t member, const char *status,
                      int64_t progress);
enum wr action_delete(struct dbc *w, int64_t cid, int64_t id);

int64_t pledge_add(struct dbc *w, int64_t action, int64_t member, int64_t hours, int64_t money,
                   int person);
enum wr pledge_create(struct dbc *w, int64_t cid, int64_t action, int64_t member, int64_t hours,
                      int64_t money, int person);
/* Withdraws the member's own pledges to an action of the community (404
 * when none). */
enum wr pledge_withdraw(struct dbc *w, int64_t community_id, int64_t action, int64_t member);
/* How many pledges the member made to the action. */
int64_t pledge_mine(struct dbc *c, int64_t community_id, int64_t action, int64_t member);

json_t *rules_list(struct dbc *c, const struct vmask *m, int64_t cid);
int64_t rule_add(struct dbc *w, int64_t cid, const char *text, const int64_t *values, int n);
enum wr rule_create(struct dbc *w, int64_t cid, const char *text, const int64_t *values, int n);
struct rule {
    int64_t id;
    const char *text;
    int64_t *values; /* the shared values it protects */
    int nvalues;
};
int rule_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id, struct rule *out);
enum wr rule_update(struct dbc *w, int64_t cid, int64_t id, const char *text, const int64_t *values,
                    int n);
enum wr rule_delete(struct dbc *w, int64_t cid, int64_t id);

/* Gathers the facts for the checks; strings are copied into the arena. */
void strategy_facts_load(struct dbc *c, struct arena *a, int64_t cid, int64_t now,
                         struct strategy_facts *f);

/* "Download my data" (core/area.h person_export): model_export.c. */
/* The area's seal_texts hook (core/area.h): every free text of the
 * community's strategy sealed in place under its key, held on w. */
int strategy_seal_texts(struct dbc *w, int64_t community_id);
json_t *strategy_person_export(struct dbc *c, int64_t account_id, int with_secret,
                               const char *sealed);

/* The scheduled pass (areas/notify/pass.c): the shared values whose vote closes in
 * (from, to] and is still open, as rows {community_id,
 * id, due}; NULL on error. */
json_t *values_closing(struct dbc *c, int64_t from, int64_t to);

#endif
