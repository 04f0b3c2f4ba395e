/* Public hearings (issue 16): a meeting of kind "hearing" collects
 * comments on its agenda items (or on the hearing as a whole) while it is
 * open, from members and, through a secret revocable link, from residents
 * without an account; those who run it answer a comment (one answer,
 * editable) or hide it with a reason that stays visible. When it closes,
 * a final document is drafted from the comments and the answers, edited
 * and published. Pages at /c/{slug}/events/{id}/assembly/hearing and, for
 * the link, /c/{slug}/events/{id}/h/{token}. */
#ifndef HR_HEARING_H
#define HR_HEARING_H

#include "core/db.h"
#include "core/req.h"
#include "core/util.h"
#include <jansson.h>
#include <stdint.h>

enum {
    HEARING_COMMENT_MAX = 4000,
    HEARING_NAME_MAX = 80,
    HEARING_PER_PAGE = 20,
    /* through the link: a browser's comments on one hearing per window,
     * and every link comment of a hearing per window */
    HEARING_BROWSER_MAX = 10,
    HEARING_LINK_MAX = 200,
    HEARING_WINDOW = 3600, /* seconds */
};

/* ---- model (model_hearing.c) ---- */

struct hearing_comment_new {
    int64_t item_id;        /* 0: the hearing as a whole */
    int64_t member_id;      /* 0 through the link */
    const char *guest_name; /* through the link, optional ("" none) */
    const char *body;
    const char *throttle_key; /* through the link: the browser's key */
};
/* A comment on hearing id of community cid: 404 when it is not the
 * community's hearing, 409 "meeting.hearing.error.not_open" unless open,
 * 422 "meeting.hearing.error.item" when the item is not the hearing's,
 * and through the link 409 "meeting.hearing.error.throttled" past a
 * limit. */
enum wr hearing_comment_add(struct dbc *w, int64_t cid, int64_t id,
                            const struct hearing_comment_new *n, int64_t *id_out);
/* The answer to a comment stored (replaced when there is one). */
enum wr hearing_answer(struct dbc *w, int64_t cid, int64_t id, int64_t comment, const char *text,
                       int64_t by);
/* A comment hidden with its reason (409 when hidden already). */
enum wr hearing_hide(struct dbc *w, int64_t cid, int64_t id, int64_t comment, const char *reason,
                     int64_t by);
/* Comments per item of the hearing, hidden ones not counted:
 * [{item_id (0: the whole), n}]. */
json_t *hearing_counts(struct dbc *c, int64_t id);
/* One page of the comments on item (0: the hearing as a whole), oldest
 * first: {id, item_id, body, author, former, resident, guest_name,
 * created_at, answer, answered_by, answered_at, hidden_reason, hidden}.
 * Names of members only when names; a hidden comment's body only when
 * runner. limit + 1 rows are asked by the caller for paging. */
json_t *hearing_comments(struct dbc *c, const struct vmask *m, int64_t id, int64_t item, int names,
                         int runner, int64_t limit, int64_t offset);
/* The agenda's {id, title} as a view, and one item's document. */
json_t *hearing_items(struct dbc *c, const struct vmask *m, int64_t id);
const char *hearing_item_document(struct dbc *c, struct arena *a, int64_t id, int64_t item);
int hearing_seal_texts(struct dbc *w, int64_t cid);
/* The item a comment is on (0: the whole, or no such comment). */
int64_t hearing_comment_item(struct dbc *c, int64_t id, int64_t comment);
/* For the bench: the open hearings without comments, those of the largest
 * communities first, [{id, community_id, item_id, item2_id}], and how many assemblies there are at
 * all. */
json_t *hearing_bench_targets(struct dbc *c);
int64_t hearing_bench_assemblies(struct dbc *c);

/* The link: its token into a (NULL when off). */
const char *hearing_link_token(struct dbc *c, struct arena *a, int64_t id);
/* A new token (the old one, if any, no longer answers). 409 in a secret
 * community. */
enum wr hearing_link_on(struct dbc *w, int64_t cid, int64_t id, int64_t by);
enum wr hearing_link_off(struct dbc *w, int64_t cid, int64_t id);
/* Seconds this browser key must wait before its next comment on hearing
 * id through the link (0: none), with the hearing's own limit. */
int64_t hearing_throttle_wait(struct dbc *c, int64_t id, const char *key, int64_t now);

/* ---- the final document (model_hearing_final.c, hearing_final.c) ---- */

enum { HEARING_FINAL_MAX = 100000 };            /* bytes of Markdown */
extern const char *const hearing_final_modes[]; /* quoted counted summary */

struct hearing_final {
    int64_t published_at;
    const char *body, *state, *mode;
    int published;
};
/* The final document of hearing id: 0 with *out, -1 when none. */
int hearing_final_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id,
                       struct hearing_final *out);
/* The draft stored (made, or made again): 404 when not the community's
 * hearing, 409 "meeting.hearing.error.not_closed" before it closed,
 * "meeting.hearing.error.published" once published. */
enum wr hearing_final_store(struct dbc *w, int64_t cid, int64_t id, const char *body,
                            const char *mode, int64_t by);
/* The text edited (the same text again changes nothing); 404, 409. */
enum wr hearing_final_edit(struct dbc *w, int64_t cid, int64_t id, const char *body, int64_t by);
/* Published by member by: frozen from then on; 404, 409. */
enum wr hearing_final_publish(struct dbc *w, int64_t cid, int64_t id, int64_t by);
int hearing_final_seal_texts(struct dbc *w, int64_t cid);
/* Every comment of the hearing for the draft, in agenda order: [{item_id,
 * body, answer, resident, hidden}], at most 5000. */
json_t *hearing_comments_all(struct dbc *c, int64_t id);
/* The agenda's items in order: [{id, title}]. */
json_t *hearing_item_titles(struct dbc *c, int64_t id);

struct i18n;
/* The draft of the hearing at event event_id composed into out as
 * Markdown in lang (mode: quoted, counted, summary). Authors are never
 * named: a published document goes to residents. 0, or -1. */
int hearing_final_compose(struct dbc *c, struct arena *a, const struct i18n *cat, const char *lang,
                          int64_t cid, int64_t event_id, const char *mode, struct buf *out);
/* Drafted at the close of the hearing (a write of its own after the
 * close; when it fails, the page offers drafting). */
void hearing_final_autodraft(struct req *r, int64_t id, int64_t event_id);

/* The pages (pages_hearing.c, pages_hearing_final.c). */
extern const struct route meeting_hearing_routes[];
extern const struct route meeting_hearing_link_routes[];
extern const struct route meeting_hearing_final_routes[];

#endif
