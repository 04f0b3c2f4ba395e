/* Assemblies and hearings (issue 16, step 3): a meeting of kind assembly,
 * meeting or public hearing held at an event of the calendar, at
 * /c/{slug}/events/{id}/assembly. It has an ordered agenda (a Markdown
 * document per item), a chair and a secretary (members), a quorum rule (a
 * share of the members in per cent, or a number), who is present (marked
 * by the secretary for the room, or by joining the online page while the
 * meeting is open), and proposals per item voted for / against / abstain
 * or by consent, counted together with those voting online. */
#ifndef HR_ASSEMBLY_H
#define HR_ASSEMBLY_H

#include "core/db.h"
#include "core/req.h"
#include <jansson.h>
#include <stdint.h>

enum {
    ASM_TITLE_MAX = 200,
    ASM_DOC_MAX = 20000,
    ASM_PROPOSAL_MAX = 4000,
    ASM_REASON_MAX = 1000,
    ASM_ITEMS_MAX = 200,
    ASM_PROPOSALS_MAX = 20,        /* per item */
    ASM_WINDOW_MAX = 14 * 24 * 60, /* the online voting window, minutes */
};

extern const char *const asm_kinds[];        /* assembly, meeting, hearing */
extern const char *const asm_quorum_kinds[]; /* share, number */
extern const char *const asm_thresholds[];   /* simple, two_thirds, consent */
extern const char *const asm_secrecies[];    /* open, secret */
extern const char *const asm_choices[];      /* for, against, abstain */

/* ---- rules (assembly_rules.c, pure) ---- */

/* How many must be present for the quorum: for "share", value per cent of
 * members rounded up (at least 1); for "number", value. -1 when the rule
 * is malformed (share outside 1..100, number outside 1..100000). */
int64_t asm_quorum_needed(const char *kind, int64_t value, int64_t members);
/* 1 when present reaches the quorum, 0 when not, -1 when malformed. */
int asm_quorum_reached(const char *kind, int64_t value, int64_t members, int64_t present);
/* 1 adopted, 0 not, -1 an unknown threshold. present is everyone present
 * (room and online) when voting closed; it is raised to the votes cast if
 * lower. simple: more than half of those present voted for; two_thirds:
 * at least two thirds of those present voted for; consent: no objection
 * (and for consent, yes/no/abstain are ignored). */
int asm_adopted(const char *threshold, int64_t yes, int64_t no, int64_t abstain, int64_t present,
                int64_t objections);

/* ---- model (model_assembly.c) ---- */

struct asm_new {
    const char *kind, *quorum_kind;
    int64_t quorum_value, chair_id, secretary_id; /* ids: 0 none */
};
/* An assembly at event event_id of community cid: 404 when the event is
 * not the community's, 409 when it is cancelled or has an assembly, 422
 * ("meeting.asm.error.not_member") when the chair or secretary is not a
 * member of the community. */
enum wr asm_create(struct dbc *w, int64_t cid, int64_t event_id, const struct asm_new *n,
                   int64_t *id_out);
/* The rule and the people changed while not closed (409 when closed). */
enum wr asm_update(struct dbc *w, int64_t cid, int64_t id, const struct asm_new *n);

struct asm_info {
    int64_t id, event_id, chair_id, secretary_id, quorum_value, members, present, room, online;
    const char *kind, *quorum_kind, *state;
};
/* The assembly at an event: 0 with *out, -1 when none. */
int asm_find(struct dbc *c, struct arena *a, int64_t cid, int64_t event_id, struct asm_info *out);

/* The state moved draft -> open -> closed: 409 when it is not in from. */
enum wr asm_set_state(struct dbc *w, int64_t cid, int64_t id, const char *from, const char *to);

/* An agenda item appended: 409 when the assembly is closed or has too
 * many. Its id in *id_out. */
enum wr asm_item_add(struct dbc *w, int64_t cid, int64_t id, const char *title, const char *doc,
                     int64_t *id_out);
enum wr asm_item_edit(struct dbc *w, int64_t cid, int64_t id, int64_t item, const char *title,
                      const char *doc);
/* An item moved one place up (dir -1) or down (+1); 409 at the end. */
enum wr asm_item_move(struct dbc *w, int64_t cid, int64_t id, int64_t item, int dir);
json_t *asm_items(struct dbc *c, const struct vmask *m, int64_t id);

/* Presence: member marked present (how "room" or "online") or not.
 * "online" only while the meeting is open; "room" also before; 409 when
 * closed, 422 when member is not the community's. */
enum wr asm_presence_set(struct dbc *w, int64_t cid, int64_t id, int64_t member, const char *how);
enum wr asm_presence_clear(struct dbc *w, int64_t cid, int64_t id, int64_t member);
/* [{member_id, name, how}] by name; and the community's members with
 * whether each is present, for the secretary's list. */
json_t *asm_present(struct dbc *c, int64_t cid, int64_t id);
json_t *asm_roll(struct dbc *c, int64_t cid, int64_t id, int64_t limit);
/* The members a chair or secretary may be chosen from: [{id, name}]. */
json_t *asm_people(struct dbc *c, int64_t cid, int64_t limit);

/* ---- proposals and votes (model_assembly_votes.c) ---- */

struct asm_proposal_new {
    const char *text, *threshold, *secrecy;
};
enum wr asm_proposal_add(struct dbc *w, int64_t cid, int64_t id, int64_t item,
                         const struct asm_proposal_new *p, int64_t *id_out);
/* Voting opened (the meeting open, the proposal a draft) until now +
 * window minutes online; a secret proposal gets its ballot box. */
enum wr asm_voting_open(struct dbc *w, int64_t cid, int64_t id, int64_t proposal, int64_t minutes);
/* A vote: choice for / against / abstain, or "object" with its reason
 * under consent. 409 "meeting.asm.error.not_voting" after the close or
 * before the opening, 409 "meeting.asm.error.voted" for a second vote of
 * the same person. Voting marks the voter present (how) when not yet. */
enum wr asm_vote(struct dbc *w, int64_t cid, int64_t id, int64_t proposal, int64_t member,
                 const char *choice, const char *reason, const char *how);
/* Voting closed and the count stored, with the result by the threshold. */
enum wr asm_voting_close(struct dbc *w, int64_t cid, int64_t id, int64_t proposal);
/* The assembly's proposals with their counts: {id, item_id, text,
 * threshold, secrecy, state, yes, no, abstain, objections, present,
 * adopted, voting_closes_at, mine}. */
json_t *asm_proposals(struct dbc *c, const struct vmask *m, int64_t id, int64_t viewer);
/* The open votes of the assembly: [{proposal_id, member_id, name, choice,
 * reason}] (objections' reasons, names for members). */
json_t *asm_votes(struct dbc *c, int64_t cid, int64_t id);

/* ---- decisions (model_assembly_decisions.c) ---- */

extern const char *const asm_decision_statuses[]; /* todo, done, not_done */
/* A decision recorded for an item by who runs the assembly. */
enum wr asm_decision_add(struct dbc *w, int64_t cid, int64_t id, int64_t item, const char *text,
                         int64_t *id_out);
/* On the writer, as a vote closes: an adopted proposal becomes a decision
 * with its text (once). 0 or -1. */
int asm_decision_of_proposal(struct dbc *w, int64_t proposal);
/* Its status and the initiative made from it (0: none; 422 when not the
 * community's); 404 when not the community's decision. */
enum wr asm_decision_set(struct dbc *w, int64_t cid, int64_t id, const char *status,
                         int64_t initiative);
/* The assembly's decisions: {id, item_id, text, status, initiative_id,
 * proposal_id}. */
json_t *asm_decisions(struct dbc *c, const struct vmask *m, int64_t id);
/* The community's register, newest first, of one status ("" every one):
 * {id, text, status, initiative_id, event_id, event_title, item_title,
 * starts_at, zone}. */
json_t *asm_register(struct dbc *c, const struct vmask *m, int64_t cid, const char *status,
                     int64_t limit, int64_t offset);

int asm_seal_texts(struct dbc *w, int64_t cid);

/* A small form of the assembly's page refused: 422 with that form alone,
 * each field's message beside it and the input kept (pages_refused.c);
 * labels: a catalog key per field of the form's description. */
struct form;
void asm_refused(struct req *r, struct form *f, const char *title_key, const char *back,
                 const char *const *labels);

/* The pages (pages_assembly.c). */
extern const struct route meeting_asm_routes[];
/* Decisions per item and the register (pages_decisions.c). */
extern const struct route meeting_decision_routes[];

#endif
