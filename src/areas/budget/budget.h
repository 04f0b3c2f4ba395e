/* Participatory budgeting (issue 15), step 1.
 *
 * An organizer opens a process (an amount in a currency, the phases'
 * dates, the ballot and the counting method); members propose projects;
 * organizers review them (feasible or not, with a reason the author sees,
 * and the reviewed cost); members vote on the feasible ones, once each and
 * changing their ballot until voting closes, through a ballot box that
 * keeps who voted apart from what was chosen; at closing the ballots are
 * counted (count.h) and the results say why each project won or lost. */
#ifndef HR_BUDGET_H
#define HR_BUDGET_H

#include "areas/budget/count.h"
#include "core/area.h"
#include "core/db.h"
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

struct arena;
struct db;

extern const struct area budget_area;

enum {
    BUDGET_TITLE_MAX = 150,
    BUDGET_TEXT_MAX = 4000,
    BUDGET_PLACE_MAX = 200,
    BUDGET_REASON_MAX = 1000,
    BUDGET_RECEIPT_LEN = 12,   /* characters of a receipt code */
    BUDGET_PROJECTS_MAX = 300, /* projects on one ballot */
    BUDGET_POINTS_MAX = 1000,
};

/* The choices, NULL-terminated; labels "budget.phase.<key>", ... */
extern const char *const budget_phases[];
extern const char *const budget_ballot_kinds[];
extern const char *const budget_methods[];
extern const char *const budget_currencies[];

struct budget_settings {
    const char *title, *description, *currency, *ballot, *method;
    int64_t amount, max_projects, max_total, points;
    int64_t proposals_on, review_on, voting_on, results_on, implementation_on;
};

struct budget_process {
    int64_t id, community_id, amount, max_projects, max_total, points, box_id;
    int64_t proposals_on, review_on, voting_on, results_on, implementation_on;
    int64_t counted, spent, voters, raises;
    const char *title, *description, *currency, *phase, *ballot, *method, *share;
};

/* 0 with *out (strings in a), -1 when the community has no such process. */
int budget_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id,
                struct budget_process *out);
/* One process for a view (dates as "YYYY-MM-DD"); NULL when none. */
json_t *budget_view(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id);
/* The community's processes for a view. New array; NULL on error. */
json_t *budget_list(struct dbc *c, const struct vmask *m, int64_t cid);
/* A pure check of settings: NULL, or the catalog key of what is wrong
 * (dates out of order, points on an approval ballot). */
const char *budget_settings_invalid(const struct budget_settings *s);
enum wr budget_create(struct dbc *w, int64_t cid, const struct budget_settings *s, int64_t *id);
/* Changes a process's settings; the ballot and the method only before the
 * voting opened (409 "budget.error.fixed", decided on the writer). */
enum wr budget_update(struct dbc *w, int64_t cid, int64_t id, const struct budget_settings *s);
/* Moves the process from phase `from` (the one its mover saw) to the next.
 * Into voting: opens the ballot box (the members of now on its roll,
 * closing at results_on; 409 when that day is past or no project is
 * feasible). Into results: closes the box and counts (count.h). */
/* The notice of a process's vote opened, to every member (core/notify.h). */
#define BUDGET_NOTIFY_VOTING "budget.voting"
enum wr budget_phase_next(struct dbc *w, int64_t cid, int64_t id, const char *from, int64_t now);

/* model_implement.c: each selected project of a counted process becomes
 * an initiative at its implementation stage (a new one proposed by the
 * project's author, or the initiative the project stands for), with the
 * project's cost as its budget line; the project points at it. On the
 * writer, in budget_phase_next's move into implementation. */
enum wr budget_implement(struct dbc *w, int64_t cid, int64_t pid);
/* The initiatives of a process's selected projects, in the order bought:
 * at most max into ids; how many. */
size_t budget_initiatives(struct dbc *c, int64_t cid, int64_t pid, int64_t *ids, size_t max);

struct budget_project_new {
    const char *title, *description, *place;
    int64_t cost, initiative_id; /* 0: none */
};
struct budget_project {
    int64_t id, process_id, member_id, initiative_id, cost, reviewed_cost;
    const char *title, *description, *place, *review, *reason;
};
/* A project by author (a member id) while the process takes proposals; the
 * initiative, when given, must be one of the community's (409). */
enum wr budget_project_add(struct dbc *w, int64_t cid, int64_t pid, int64_t author,
                           const struct budget_project_new *n, int64_t *id);
/* Its author changes it while proposals are open and it is not reviewed. */
enum wr budget_project_update(struct dbc *w, int64_t cid, int64_t pid, int64_t id, int64_t author,
                              const struct budget_project_new *n);
int budget_project_find(struct dbc *c, struct arena *a, int64_t cid, int64_t pid, int64_t id,
                        struct budget_project *out);
/* The review: feasible or not, the reason, the reviewed cost (0: as
 * estimated); in the proposals and review phases. */
enum wr budget_review(struct dbc *w, int64_t cid, int64_t pid, int64_t id, int feasible,
                      const char *reason, int64_t reviewed_cost);
/* A process's projects for a view (viewer: a member id, for "mine");
 * feasible_only for the ballot. */
json_t *budget_projects(struct dbc *c, const struct vmask *m, int64_t pid, int64_t viewer,
                        int feasible_only);

/* One ballot of member: projects proj[n] (ids) with weights w[n] (all 1 on
 * an approval ballot). receipt NULL: a first ballot, whose new receipt
 * code goes into receipt_out; a receipt given: replaces that ballot of a
 * member who voted (409 when no such ballot). The limits are checked here
 * on the writer (422 with the reason); the excess of an approval ballot is
 * in *excess (money over the amount, or projects over max_projects). */
enum wr budget_vote(struct dbc *w, int64_t cid, int64_t pid, int64_t member, const char *receipt,
                    const int64_t *proj, const int64_t *wt, size_t n, int64_t now,
                    char receipt_out[BUDGET_RECEIPT_LEN + 1], int64_t *excess);
/* 1 when member has voted in the process's box. */
int budget_has_voted(struct dbc *c, int64_t box, int64_t member);
/* A receipt's ballot of a process: rows {project_id, weight}; NULL on error. */
json_t *budget_receipt_rows(struct dbc *c, int64_t pid, const char *receipt);

/* The counted results of a process for a view, selected first; with
 * each project's initiative and its tasks' progress when implemented
 * (the process is in its implementation phase), else without them. */
json_t *budget_results(struct dbc *c, const struct vmask *m, int64_t pid, int implemented);
/* The published ballot file: rows {receipt, project_id, weight}, by
 * receipt. Only for a counted process (the caller asks). */
json_t *budget_ballot_file(struct dbc *c, int64_t pid);
/* A process's feasible projects and ballots as count.h's input: ids[i]
 * the row id of project i, names[i] its id as text (a pabulib file's
 * when imported), method the process's. */
struct budget_loaded {
    struct bc_input in;
    enum bc_method method;
    size_t np, nv;
    int64_t *ids;
    struct bc_project *p;
    char (*names)[64];
    uint32_t *start, *proj, *weight;
};
int budget_load(struct dbc *c, int64_t pid, struct budget_loaded *L);
void budget_loaded_free(struct budget_loaded *L);
/* Counts the process's ballots with its method and writes budget_results
 * (on the writer). 0 or -1. */
int budget_count(struct dbc *w, int64_t pid);

/* Pabulib (model_pb.c). The .pb file of a process: its feasible projects
 * (ids: the file's when imported, else the row ids) and its ballots under
 * their receipt codes; malloc'd, NULL on error. */
char *budget_pb_export(struct dbc *c, int64_t pid, size_t *len);
/* A closed process of the community slug from a .pb file's text, counted
 * by the file's rule (equal shares unless it says greedy): its id, or -1
 * with a sentence naming the line into err (the caller rolls back). */
int64_t budget_pb_import(struct dbc *w, const char *slug, const char *text, char *err,
                         size_t errlen);
/* Counts a process with method m and prints the selected projects' ids
 * (the file's when imported), one a line, in the order bought. 0 or -1. */
int budget_count_print(struct dbc *c, int64_t pid, enum bc_method m, FILE *out);

/* hramada budget import and count (cli.c): the exit status. method is
 * "greedy" or "equal-shares". */
int budget_cli_import(struct db *db, const char *slug, const char *file);
int budget_cli_count(struct db *db, int64_t process, const char *method);

/* Hooks (model_export.c). */
json_t *budget_person_export(struct dbc *c, int64_t account_id, int with_secret,
                             const char *sealed);
int budget_seal_texts(struct dbc *w, int64_t community_id);
/* benchdata.c: bench-data's step (core/area.h's bench hook). */
struct bench_world;
int benchdata_budget(struct db *db, struct bench_world *bw);
/* The slug of the community bench/run measures (the most members among
 * those with a strategy, else among all) into out; 0, or -1 when none. */
int budget_bench_community(struct dbc *c, char *out, size_t n);
/* demo.c: one process in its voting phase, one counted by equal shares. */
int budget_demo(struct dbc *w);

/* The scheduled pass (areas/notify/pass.c): the processes in their voting phase whose
 * results phase (the vote's end) opens in (from, to], as rows {community_id,
 * id, due}; NULL on error. */
json_t *budget_voting_closing(struct dbc *c, int64_t from, int64_t to);

#endif
