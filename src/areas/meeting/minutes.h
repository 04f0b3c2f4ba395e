/* Minutes of assemblies (issue 16, step 4): the record of a meeting at
 * /c/{slug}/events/{id}/assembly/minutes, drafted by the system from the
 * assembly's data in the structure a residents' assembly keeps (date,
 * place, present and quorum, chair, secretary, agenda; per item heard,
 * spoke, decided and the votes), edited by the secretary as Markdown,
 * approved by the chair and then frozen; a printable page and a Markdown
 * download. */
#ifndef HR_MINUTES_H
#define HR_MINUTES_H

#include "core/db.h"
#include "core/req.h"
#include "core/util.h"
#include <jansson.h>
#include <stdint.h>

struct i18n;

enum {
    MINUTES_MAX = 100000, /* bytes of Markdown */
};

/* ---- model (model_minutes.c) ---- */

struct minutes_info {
    int64_t assembly_id, edited_at, approved_at;
    const char *body, *state, *approved_by; /* approved_by: the chair's name, or NULL */
    int counts_only, approved;
};
/* The minutes of assembly id of community cid: 0 with *out, -1 when none. */
int minutes_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id, struct minutes_info *out);
/* The draft stored (made, or made again from the data): 404 when the
 * assembly is not the community's, 409 "meeting.minutes.error.approved"
 * once approved. by: the member who drafted (0: the system). */
enum wr minutes_store(struct dbc *w, int64_t cid, int64_t id, const char *body, int counts_only,
                      int64_t by);
/* The secretary's edit of the text: 404 when there are none, 409 once
 * approved. */
enum wr minutes_edit(struct dbc *w, int64_t cid, int64_t id, const char *body, int64_t by);
/* Approved by member by (the chair): 409 "meeting.minutes.error.not_closed"
 * while the assembly is not closed, "meeting.minutes.error.approved" when
 * already approved; 404 when there are none. */
enum wr minutes_approve(struct dbc *w, int64_t cid, int64_t id, int64_t by);
int minutes_seal_texts(struct dbc *w, int64_t cid);
/* Whether a new draft shows counts instead of names: in a secret
 * community yes, else names. */
int minutes_counts_default(struct dbc *c, int64_t cid);

/* ---- the draft (minutes_draft.c) ---- */

/* The draft of the assembly at event event_id composed into out as
 * Markdown in lang with the catalog cat: names of those present and of
 * open votes, or only counts when counts_only. 0, or -1 when there is no
 * such assembly. */
int minutes_compose(struct dbc *c, struct arena *a, const struct i18n *cat, const char *lang,
                    int64_t cid, int64_t event_id, int counts_only, struct buf *out);
/* For the demo, inside its write transaction: the minutes of the closed
 * assembly at event event_id drafted (in Russian, names shown unless the
 * community is secret) and approved by its chair. WR_OK, or the refusal. */
enum wr minutes_draft_and_approve(struct dbc *w, int64_t cid, int64_t event_id);

/* The pages (pages_minutes.c). */
extern const struct route meeting_minutes_routes[];

#endif
