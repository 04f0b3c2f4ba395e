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

/* A page of the community's partners for a view (the fields m allows),
 * sorted by name: every partner for the staff, else the public ones;
 * sector "" for all, q "" for any name (q is looked for in the folded
 * name). At most limit rows from offset. New array, NULL on error. */
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

/* The area's demo (demo.c) and bench-data step (benchdata.c). */
struct bench_world;
int partner_demo(struct dbc *w);
int partner_bench(struct db *db, struct bench_world *bw);

/* The area's seal_texts hook: every text of the area sealed in place. */
int partner_seal_texts(struct dbc *w, int64_t community_id);

#endif
