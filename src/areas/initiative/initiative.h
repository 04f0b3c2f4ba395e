/* Residents' initiatives (issue 14), step 1: ideas and support.
 *
 * A member proposes an initiative (title, the problem, the proposal, where,
 * a direction of work, optionally the strategic goal it serves); members
 * support it once each and discuss it; when its supports reach the
 * community's threshold it goes to the organizers' queue in the same
 * transaction; organizers accept it for work (stage 1, analysis), merge a
 * duplicate into another initiative, or decline it with a reason. Every
 * change of state is a row of the stage history. The four stages and the
 * fundraising are later steps. */
#ifndef HR_INITIATIVE_H
#define HR_INITIATIVE_H

#include "core/area.h"
#include "core/db.h"
#include "core/req.h"
#include <jansson.h>
#include <stdint.h>

struct arena;
struct db;
struct bench_world;

extern const struct area initiative_area;

enum {
    INITIATIVE_TITLE_MAX = 150,
    INITIATIVE_TEXT_MAX = 4000, /* the problem, the proposal */
    INITIATIVE_PLACE_MAX = 200,
    INITIATIVE_COMMENT_MAX = 2000,
    INITIATIVE_REASON_MAX = 1000,
    INITIATIVE_QUERY_MAX = 200,
    INITIATIVE_QUERY_WORDS = 8,         /* words of a search that count */
    INITIATIVE_WORDS_MAX = 3000,        /* search words kept per initiative: all of its texts */
    INITIATIVE_WORD_BYTES = 4 * 24 + 1, /* a word: at most 24 characters */
    INITIATIVE_THRESHOLD_DEFAULT = 5,
    INITIATIVE_THRESHOLD_MAX = 100000,
    INITIATIVE_PAGE = 20,
    INITIATIVE_COMMENTS_PAGE = 30,
};

/* The choices, NULL-terminated; labels "initiative.direction.<key>",
 * "initiative.state.<key>", "initiative.sort.<key>". */
extern const char *const initiative_directions[];
extern const char *const initiative_states[];
extern const char *const initiative_sorts[];

/* ---- the rules of the states (logic.c, pure) ----
 *
 * The same sets are the SQL of the writes (the macros below), which decide
 * on the writer; the functions tell a page which buttons to show, and the
 * unit test checks that both say the same for every state. */
#define INITIATIVE_SQL_EDITABLE "('idea')"
#define INITIATIVE_SQL_SUPPORTABLE "('idea', 'queued', 'work')"
#define INITIATIVE_SQL_DECIDABLE "('idea', 'queued')"
#define INITIATIVE_SQL_MERGE_TARGET "('idea', 'queued', 'work')"
#define INITIATIVE_SQL_COMMENTABLE "('idea', 'queued', 'work', 'done', 'declined')"

enum initiative_act {
    INITIATIVE_EDIT,         /* its author changes its texts */
    INITIATIVE_SUPPORT,      /* a member supports it or withdraws */
    INITIATIVE_DECIDE,       /* organizers accept, merge or decline it */
    INITIATIVE_MERGE_TARGET, /* another initiative may be merged into it */
    INITIATIVE_COMMENT,      /* members comment on it (a duplicate's talk moves on) */
};
/* 1 when act is allowed in state (one of initiative_states), else 0. */
int initiative_allows(const char *state, enum initiative_act act);
/* 1 when an idea with supports supports is moved to the queue by the
 * threshold: in state "idea" and supports >= threshold. */
int initiative_reaches(const char *state, int64_t supports, int64_t threshold);
/* The words a search compares, from text: folded (case and ё), split at
 * anything that is not a letter or digit, words of two characters or more,
 * each replaced by its Snowball stem (talent_stem), repeats dropped, at
 * most max; space-separated in a malloc'd string ("" when none). A search
 * query and a stored initiative go through the same function. */
char *initiative_stems(const char *text, int max);

/* ---- the four stages' gates (logic.c, pure) ----
 *
 * What an initiative at work has gathered, read on the writer after BEGIN
 * IMMEDIATE (initiative_gate_load) so that a move is decided on what is
 * stored when it is made. */
struct initiative_gate_facts {
    int analysis, goal, done_text, learned; /* 1 when the text is there */
    int budget_confirmed;                   /* zero confirmed explicitly */
    int64_t evidence, stakeholders;         /* stage 1 */
    int64_t tasks_planned, budget_lines;    /* stage 2: tasks with owner and date */
    int64_t tasks, tasks_done, reports;     /* stage 3 */
    int64_t indicators, indicators_after;   /* stage 4: with a value after */
};
enum { INITIATIVE_GATE_ITEMS = 4 };
struct initiative_gate_item {
    const char *key; /* "initiative.gate.<key>": the checklist's line */
    int ok;
};
/* The checklist of the gate out of stage (1..4; 4 closes it): fills items
 * (at most INITIATIVE_GATE_ITEMS), returns their number; 0 for a stage
 * that has no gate. */
int initiative_gate(int64_t stage, const struct initiative_gate_facts *f,
                    struct initiative_gate_item *items);
/* The number of items of the checklist that are not ok: 0 lets it move. */
int initiative_gate_missing(const struct initiative_gate_item *items, int n);

/* Gathers f for initiative id (on w, the writer, or a reader for a page). */
int initiative_gate_load(struct dbc *c, int64_t cid, int64_t id, struct initiative_gate_facts *f);
/* Moves an initiative at work on from stage `from` (the stage the mover
 * saw, named in the UPDATE's WHERE: of two moves at once one wins and the
 * other is 409 "initiative.error.moved"), stage 4 closing it (done). The
 * gate is evaluated here on the writer: 409 "initiative.error.gate" with
 * the missing keys in *missing (malloc'd JSON array, or NULL). may is 1
 * for an organizer; a coordinator is named in the WHERE. */
enum wr initiative_move(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                        int64_t from, char **missing);
/* Moves it back one stage (a done one back to evaluation), with a reason. */
enum wr initiative_move_back(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                             int64_t from, const char *reason);
/* An initiative decided elsewhere (a participatory budget's selected
 * project) goes straight to implementation (stage 3) in the caller's
 * transaction: from an idea, the queue or an earlier stage, recorded in its
 * history as an automatic move; its budget is confirmed and, when amount
 * (minor units) > 0, a budget line named line carries it. One already at
 * implementation or later (or done, merged, declined) stays as it is:
 * WR_OK with *moved 0. 404 when the community has no such initiative. */
enum wr initiative_enter_implementation(struct dbc *w, int64_t cid, int64_t id, const char *line,
                                        int64_t amount, int *moved);
/* Names a member (0: nobody) the initiative's coordinator. */
enum wr initiative_coordinator_set(struct dbc *w, int64_t cid, int64_t id, int64_t member);

/* ---- the stages' data (model_work.c writes, model_work_read.c reads) ----
 *
 * An entry of stage k is written while the initiative is at work at stage
 * k or later (analysis 1, design 2, implementation 3, evaluation 4), by an
 * organizer (organizer = 1, the route's capability), its coordinator or a
 * member of its team (by, a member id), each named in the statement's
 * WHERE; 404 gone, 409 "initiative.error.not_this_stage" or
 * "initiative.error.not_team" otherwise. */
enum {
    INITIATIVE_NAME_MAX = 200,         /* a stakeholder, an indicator, a line, a task, a role */
    INITIATIVE_NOTE_MAX = 500,         /* a stakeholder's part, a spending's note */
    INITIATIVE_VALUE_MAX = 1000000000, /* an indicator's value */
    INITIATIVE_HOURS_MAX = 100000,
    INITIATIVE_PEOPLE_MAX = 10000,
    INITIATIVE_AMOUNT_MAX_MAJOR = 1000000000, /* in the currency's major unit */
};
/* The texts of a stage: 1 analysis (a the problem in detail, b who is
 * affected), 2 design (a goal, b expected result, c risks, flag the budget
 * confirmed as it is), 4 evaluation (a what was done, b learned, c the
 * consequences). Empty texts where no row is write nothing (WR_OK). */
struct initiative_texts {
    int stage;
    const char *a, *b, *c;
    int flag;
};
enum wr initiative_texts_save(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                              const struct initiative_texts *t);
/* Evidence: kind "survey", "wave" or "need" and the object's id, one of
 * the community's own that the writer may see (409 choice_gone), once
 * (409 evidence_twice). */
enum wr initiative_evidence_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                                const char *kind, int64_t ref);
enum wr initiative_stakeholder_add(struct dbc *w, int64_t cid, int64_t id, int64_t by,
                                   int organizer, const char *name, const char *part);
enum wr initiative_indicator_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                                 const char *name, int64_t now, int64_t target);
struct initiative_task_new {
    const char *title, *due; /* due "YYYY-MM-DD" or NULL */
    int64_t owner;           /* a member of the community, 0 none */
    int64_t hours, money, people;
};
/* The notice of a task given to its owner, about the initiative
 * (core/notify.h). */
#define INITIATIVE_NOTIFY_TASK "initiative.task_owner"
/* *task (may be NULL): the new task's id (the notice written after it
 * moves the last insert id). */
enum wr initiative_task_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                            const struct initiative_task_new *t, int64_t *task);
/* A member on the team with a role (named again: the new role). */
enum wr initiative_team_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                            int64_t member, const char *role);
enum wr initiative_line_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                            const char *name, int64_t amount);
/* The kinds of entry that may be removed, NULL-terminated: evidence,
 * stakeholder (stage 1), indicator, task, team (entry: the member id),
 * line (stage 2; 409 line_spent once money was spent on it). 404 when the
 * initiative has no such entry. */
extern const char *const initiative_entry_kinds[];
enum wr initiative_entry_remove(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                                const char *kind, int64_t entry);
/* A task's status and progress (stage 3 on; its owner may too). */
enum wr initiative_task_status(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                               int64_t task, const char *status, int64_t progress);
enum wr initiative_report_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                              const char *body);
struct initiative_spending_new {
    int64_t line, amount; /* a budget line of the initiative; minor units */
    const char *day, *note;
};
enum wr initiative_spending_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                                const struct initiative_spending_new *s);
/* An indicator's value after (stage 4); value < 0: not measured. */
enum wr initiative_value_after(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                               int64_t indicator, int64_t value);

/* The texts of the stages and the coordinator's name (fields of m); NULL
 * when nothing was written yet. */
json_t *initiative_texts_view(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id);
/* The coordinator's member id, 0 for none. */
int64_t initiative_coordinator(struct dbc *c, int64_t cid, int64_t id);
/* 1 when member is on the initiative's team. */
int initiative_on_team(struct dbc *c, int64_t id, int64_t member);
/* The entries, each row's id as "entry" (fields of m). Evidence names its
 * object ("what"), NULL when it is gone or not the viewer's to see. */
json_t *initiative_evidence_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id,
                                 int64_t viewer, int organizer);
json_t *initiative_stakeholder_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id);
json_t *initiative_indicator_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id);
json_t *initiative_task_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id,
                             int64_t viewer);
json_t *initiative_team_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id);
/* The author, the coordinator and the team (id, display_name), for the
 * selects of a task's owner and of the coordinator. */
json_t *initiative_people(struct dbc *c, int64_t cid, int64_t id);
/* Budget lines with what was spent on each ("spent"). */
json_t *initiative_line_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id);
json_t *initiative_spending_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id);
json_t *initiative_report_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id);
/* ---- photos of the reports (model_photo.c) ----
 *
 * A report of the implementation carries up to INITIATIVE_PHOTOS_MAX
 * photos, each a JPEG the server wrote from the upload's pixels
 * (core/image.h), written under the stages' rule (STAGE_AT(3)). */
enum { INITIATIVE_PHOTOS_MAX = 10, INITIATIVE_CAPTION_MAX = 200 };
struct initiative_photo_new {
    int64_t report;
    const char *caption; /* may be "" */
    int width, height;
    const unsigned char *data; /* the re-encoded JPEG; the caller's */
    size_t len;
};
/* 409 "initiative.photo.error.full" when the report has its ten. */
enum wr initiative_photo_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                             const struct initiative_photo_new *p, int64_t *photo);
enum wr initiative_photo_remove(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                                int64_t photo);
/* The initiative's photos: id, report, caption, width, height (fields of m). */
json_t *initiative_photo_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id);
/* A photo's JPEG, opened: 1 and *data (malloc'd, the caller's to free)
 * with *len; 0 when there is none (or it does not open here); -1 on error. */
int initiative_photo_bytes(struct dbc *c, int64_t cid, int64_t id, int64_t photo,
                           unsigned char **data, size_t *len);

/* What evidence may point at, for viewer: the community's surveys, sense
 * of community waves and the talent bank's needs the viewer may see:
 * [{kind, ref, what}]. */
json_t *initiative_evidence_choices(struct dbc *c, int64_t cid, int64_t viewer, int organizer);

/* Amounts typed in the currency's major unit ("1500", "1 500,50",
 * "1500.5"): 0 with *minor (kopecks), -1 when it is not such an amount or
 * above INITIATIVE_AMOUNT_MAX_MAJOR. (logic.c, pure) */
int initiative_amount_parse(const char *s, int64_t *minor);
/* minor as major units with two decimals, digits grouped by sep_thousands
 * and the decimals after sep_decimal, into buf (at least 40 bytes). */
void initiative_amount_format(int64_t minor, const char *sep_thousands, const char *sep_decimal,
                              char *buf, size_t n);

/* ---- model (model.c: initiatives, words, settings; model_support.c:
 * supports, decisions, history; model_comment.c: comments;
 * model_export.c: download my data, sealing) ---- */

struct initiative_new {
    const char *title, *problem, *proposal, *direction, *place_text;
    int64_t territory_id, goal_id; /* 0: none */
};
/* A new idea by author (a member id). The place must be one the community
 * may use (below its territory) and the goal one of its strategic goals,
 * asked in the INSERT: 409 when either is no longer offered. */
enum wr initiative_create(struct dbc *w, int64_t cid, int64_t author,
                          const struct initiative_new *n, int64_t *id_out);
/* Its texts changed by its author while it is an idea (the rule is in the
 * UPDATE): 404 gone, 409 not the author's or no longer an idea. */
enum wr initiative_update(struct dbc *w, int64_t cid, int64_t id, int64_t author,
                          const struct initiative_new *n);

struct initiative {
    int64_t id, member_id, territory_id, goal_id, merged_into, supports, comments, stage;
    const char *title, *problem, *proposal, *direction, *place_text, *state;
};
/* 0 with *out (strings in a; texts NULL where the key is not at hand), -1
 * when the community has no such initiative. */
int initiative_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id,
                    struct initiative *out);

struct initiative_filter {
    const char *state, *direction;          /* NULL: any */
    int64_t territory_id, member_id, stage; /* 0: any */
    /* The words of a search as a JSON array (initiative_query_words) and
     * their count; NULL: no search. */
    const char *words;
    int64_t nwords;
    int by_support; /* else newest first */
    int64_t limit, offset;
};
/* A page of the list for a view (the fields of m); viewer is the member
 * (0: none) for "mine" and "supported". *total is the number of hits of a
 * search (it reads them all, counted on the way), -1 for the list without
 * words (initiative_count). New array; NULL on error. */
json_t *initiative_list(struct dbc *c, const struct vmask *m, int64_t cid, int64_t viewer,
                        const struct initiative_filter *f, int64_t *total);
int64_t initiative_count(struct dbc *c, int64_t cid, const struct initiative_filter *f);
/* The words of a search q as the community's index holds them: a JSON
 * array (malloc'd) of stems, or of their keyed hashes in a sealed
 * community; returns their number (0: no word). -1 with a NULL *out when
 * the community is sealed and its key is not at hand: nothing can match. */
int initiative_query_words(struct dbc *c, int64_t cid, const char *q, char **out);

/* One initiative for its page (fields of m), with its place, goal, the
 * target of a merge and whether viewer supports it; NULL when none. */
json_t *initiative_view(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id,
                        int64_t viewer);
/* Its stage history, oldest first (fields of m). */
json_t *initiative_history(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id);
/* The reason of the last change into its current state ("" when none): a
 * decline's, a merge's. malloc'd, or NULL. */
char *initiative_decision_reason(struct dbc *c, int64_t cid, int64_t id);

/* The places the community's initiatives may name: its territory and what
 * lies below it that it may use (public, or its own private places), in
 * the tree's order, with a depth: [{id, name, depth}]. Empty when it has no
 * territory. */
json_t *initiative_places(struct dbc *c, int64_t cid);
/* The community's strategic goals (the strategy area's top level):
 * [{id, title}]. */
json_t *initiative_goals(struct dbc *c, int64_t cid);
/* What id may be merged into: the community's other initiatives that take
 * a merge, newest first: [{id, title}]. */
json_t *initiative_merge_targets(struct dbc *c, int64_t cid, int64_t id);

int64_t initiative_threshold(struct dbc *c, int64_t cid);
/* Sets the threshold and, in the same transaction, moves to the queue
 * every idea it is reached by now. */
enum wr initiative_threshold_set(struct dbc *w, int64_t cid, int64_t threshold);

/* A member's support: once (409 when given already), while the initiative
 * takes support (409 otherwise); when it reaches the threshold the
 * initiative goes to the queue in this transaction. */
enum wr initiative_support(struct dbc *w, int64_t cid, int64_t id, int64_t member);
/* Withdraws it (409 when there is none to withdraw, or the initiative no
 * longer takes support). */
enum wr initiative_withdraw(struct dbc *w, int64_t cid, int64_t id, int64_t member);

/* The organizers' decisions, by member `by`, each recorded in the history;
 * 404 gone, 409 when the initiative is no longer an idea or in the queue. */
enum wr initiative_accept(struct dbc *w, int64_t cid, int64_t id, int64_t by);
enum wr initiative_decline(struct dbc *w, int64_t cid, int64_t id, int64_t by, const char *reason);
/* id becomes a duplicate pointing at target, whose supporters it gains
 * (a member who supported both counts once); target must be another of the
 * community's that takes a merge (409 otherwise), and goes to the queue if
 * that brings it to the threshold. */
enum wr initiative_merge(struct dbc *w, int64_t cid, int64_t id, int64_t target, int64_t by,
                         const char *reason);

/* ---- comments (model_comment.c) ---- */

/* The notice of a new comment on an initiative, to its author
 * (core/notify.h). */
#define INITIATIVE_NOTIFY_COMMENT "initiative.comment"
enum wr initiative_comment_add(struct dbc *w, int64_t cid, int64_t id, int64_t member,
                               const char *body, int64_t *comment);
/* Hides a comment: its text erased, the reason shown instead; 404 when the
 * initiative has no such comment, 409 when it is hidden already. */
enum wr initiative_comment_hide(struct dbc *w, int64_t cid, int64_t id, int64_t comment, int64_t by,
                                const char *reason);
/* A page of its comments, oldest first (fields of m); the text of a hidden
 * one is never selected. */
json_t *initiative_comments(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id,
                            int64_t viewer, int64_t limit, int64_t offset);
/* 0 and *hidden (1 when hidden) for a comment of the initiative, -1 none. */
int initiative_comment_state(struct dbc *c, int64_t cid, int64_t id, int64_t comment, int *hidden);

/* ---- the area's hooks (model_export.c) ---- */

json_t *initiative_person_export(struct dbc *c, int64_t account_id, int with_secret,
                                 const char *sealed);
int initiative_seal_texts(struct dbc *w, int64_t cid);
/* The search words of an initiative written again from its texts (in a
 * sealed community hashed with its key): the model's writes and the
 * sealing hook. 0 or -1. */
int initiative_words_write(struct dbc *w, int64_t cid, int64_t id, const char *title,
                           const char *problem, const char *proposal);

int demo_initiative(struct dbc *w);
/* The demo's stages (demo_stages.c): the idea id of community cid titled
 * title taken into work and carried as far as the demo has it for that
 * title (nothing for another title). 0 or -1. */
int demo_initiative_work(struct dbc *w, int64_t cid, int64_t id, const char *title);
int benchdata_initiative(struct db *db, struct bench_world *bw);

#endif
