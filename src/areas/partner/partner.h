/*
 * The partner area: the players of the territory a community works with
 * (issue 18). A directory of partners by sector with their contact
 * persons, an interaction log per partner with next steps, and the
 * residents' requests to the community.
 *
 * Who "the staff" is here: the community's organizers (CAP_C_ORGANIZE).
 * Facilitators, mentors and experts help a community from the support
 * programme and are not its staff for partners and requests; programme
 * coordinators and the administrator see nothing of it
 * (docs/architecture.md, "Partners and residents' requests").
 */
#ifndef HR_PARTNER_H
#define HR_PARTNER_H

#include "core/area.h"
#include "core/db.h"
#include <stdint.h>

extern const struct area partner_area;

/* The sectors, in the order the directory shows them; their names are
 * "partner.sector." + key in the catalogs. NULL-terminated. */
extern const char *const partner_sectors[];

/* ---- partners (model.c) ---- */

/* What a partner's form writes. */
struct partner_in {
    const char *name, *sector, *territory, *reach, *notes;
    int is_public;
};

/* A page of the community's partners for a view (the fields m allows):
 * every partner for the staff, else the public ones; sector "" for all.
 * Without q newest first; with q those whose folded name holds it, by
 * name. The rows carry id, name, sector, is_public and, without q,
 * territory (how to reach a partner is on its card). At most limit rows from offset. New
 * array, NULL on error. */
json_t *partner_list(struct dbc *c, const struct vmask *m, int64_t cid, int staff,
                     const char *sector, const char *q, int64_t limit, int64_t offset);
/* One partner for a view, or NULL (none, or not public to a non-staff). */
json_t *partner_card(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id, int staff);
/* 1 when the community has partner id. */
int partner_exists(struct dbc *c, int64_t cid, int64_t id);
/* The partner's name (malloc'd), or NULL. */
char *partner_name(struct dbc *c, int64_t cid, int64_t id);
enum wr partner_add(struct dbc *w, int64_t cid, const struct partner_in *in, int64_t *id);
enum wr partner_update(struct dbc *w, int64_t cid, int64_t id, const struct partner_in *in);
enum wr partner_delete(struct dbc *w, int64_t cid, int64_t id);
/* The partner's contact persons (id, name, role), for the staff. */
json_t *partner_contacts(struct dbc *c, const struct vmask *m, int64_t cid, int64_t pid);
enum wr partner_contact_add(struct dbc *w, int64_t cid, int64_t pid, const char *name,
                            const char *role);
enum wr partner_contact_delete(struct dbc *w, int64_t cid, int64_t pid, int64_t id);

/* ---- the interaction log (model_log.c) ---- */

extern const char *const partner_log_kinds[];    /* request, negotiation, ... */
extern const char *const partner_log_statuses[]; /* open, waiting, agreed, ... */

/* What a log entry's form writes; next_due and next_member 0 for none. */
struct plog_in {
    int64_t day; /* midnight UTC */
    const char *subject, *kind, *status, *outcome, *next_step;
    int64_t next_due, next_member;
};

/* The partner's log for a view, newest first: the dates as YYYY-MM-DD,
 * the responsible member's name ("responsible"), "overdue" when the next
 * step's day is before today's. New array, NULL on error. */
json_t *plog_list(struct dbc *c, const struct vmask *m, int64_t cid, int64_t pid, int64_t today);
/* One entry of the partner's as its edit form stores it (day, subject,
 * kind, status, outcome, next_step, next_due, next_member_name), or NULL. */
json_t *plog_find(struct dbc *c, int64_t cid, int64_t pid, int64_t id);
/* On the writer: the entry added to (or entry id of) partner pid of the
 * community. 404 when the partner (entry) is not the community's; 409
 * "partner.error.member_gone" when the responsible member is not one. */
enum wr plog_add(struct dbc *w, int64_t cid, int64_t pid, const struct plog_in *in);
enum wr plog_update(struct dbc *w, int64_t cid, int64_t pid, int64_t id, const struct plog_in *in);
/* The community's next steps due before today whose entry is not settled,
 * oldest first, with the partner's id and name. */
json_t *plog_overdue(struct dbc *c, const struct vmask *m, int64_t cid, int64_t today,
                     int64_t limit, int64_t offset);
/* For the notify area's scheduled pass (areas/notify/pass.c): the steps of
 * every community whose day passed between from - 30 days and from, with an
 * organizer responsible (community_id, id: the partner, member_id, due). */
json_t *partner_steps_overdue(struct dbc *c, int64_t from, int64_t to);
/* The log's part of the seal_texts hook. 0 or -1. */
int plog_seal_texts(struct dbc *w, int64_t community_id);
#define PARTNER_NOTIFY_OVERDUE "partner.step_overdue"

/* ---- residents' requests (model_request.c) ---- */

extern const char *const request_statuses[]; /* new, in_work, answered, ... */
extern const char *const request_channels[]; /* site, phone, email, in_person */

/* What a resident's form writes. */
struct rq_in {
    const char *subject, *body, *answer_via, *contact;
};
/* What the staff's triage writes: the status, the organizer handling it
 * and the partner it was pointed to (0 for none), a note for the history. */
struct rq_triage {
    const char *status;
    int64_t handler, partner;
    const char *note;
};

enum wr rq_add(struct dbc *w, int64_t cid, int64_t member, const struct rq_in *in, int64_t *id);
/* The community's requests for the staff, newest first (status "" for
 * all); viewer is the organizer's member id: "resident" only where they
 * may read the details. */
json_t *rq_list_staff(struct dbc *c, const struct vmask *m, int64_t cid, int64_t viewer,
                      const char *status, int64_t limit, int64_t offset);
/* The viewer's own requests, newest first. */
json_t *rq_list_mine(struct dbc *c, const struct vmask *m, int64_t cid, int64_t viewer,
                     int64_t limit, int64_t offset);
/* One request for the viewer (their own, or any when staff), the personal
 * details NULL unless they may read them (may_read); NULL when none. */
json_t *rq_card(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id, int64_t viewer,
                int staff);
/* Its history, oldest first, the notes only for who may read them. */
json_t *rq_history(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id, int64_t viewer,
                   int staff);
/* On the writer, with a line of history each. rq_triage: 409
 * "partner.error.triage_gone" when the handler is no organizer or the
 * partner not the community's (any more); rq_answer: 409
 * "partner.error.not_reader" when by neither handles it nor is a reader. */
enum wr rq_triage(struct dbc *w, int64_t cid, int64_t id, int64_t by, const struct rq_triage *t);
enum wr rq_answer(struct dbc *w, int64_t cid, int64_t id, int64_t by, const char *answer);
/* The organizers (id, name, reader) and the readers among them. */
json_t *rq_readers(struct dbc *c, int64_t cid);
int rq_is_reader(struct dbc *c, int64_t cid, int64_t member);
/* 1 when member is an organizer of the community. */
int rq_is_organizer(struct dbc *c, int64_t cid, int64_t member);
/* Names (on) or unnames an organizer as a reader; 409
 * "partner.error.not_organizer" for anyone else. */
enum wr rq_reader_set(struct dbc *w, int64_t cid, int64_t member, int on);
/* The member_left hook: a leaver's requests lose their personal details. */
int rq_member_left(struct dbc *w, int64_t community_id);
/* The person_export hook: {"requests": [...]} the account asked. */
json_t *rq_person_export(struct dbc *c, int64_t account_id, int with_secret, const char *sealed);
int rq_seal_texts(struct dbc *w, int64_t community_id);

/* The area's demo (demo.c) and bench-data step (benchdata.c). */
struct bench_world;
int partner_demo(struct dbc *w);
int partner_bench(struct db *db, struct bench_world *bw);

/* The area's seal_texts hook: every text of the area sealed in place. */
int partner_seal_texts(struct dbc *w, int64_t community_id);

#endif
