/*
 * The skeleton area: the smallest complete area, for the next ones to copy.
 *
 * A community's notes: members read them, write one, and edit or delete
 * their own; the staff edit or delete any. It is compiled and tested
 * (tests/unit/test_skeleton.c) but not listed in areas.c, so it serves no
 * pages. docs/architecture.md, "How to add an area", walks through it.
 */
#ifndef HR_SKELETON_H
#define HR_SKELETON_H

#include "core/area.h"
#include "core/db.h"
#include <stdint.h>

extern const struct area skeleton_area;

struct arena;

/* ---- model.c: all of the area's SQL ---- */

/* A note as the logic needs it: C, not JSON; strings in the arena. */
struct note {
    int64_t id;
    int64_t member_id; /* its author; 0 when they left the community */
    const char *title, *body;
};

/* The community's notes for a view: only the fields of the mask (the
 * viewer's own are marked "mine"). New array, caller owns; NULL on error. */
json_t *note_list(struct dbc *c, const struct vmask *m, int64_t cid, int64_t viewer);
/* 0 with *out filled, -1 when the community has no such note. */
int note_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id, struct note *out);
enum wr note_add(struct dbc *w, int64_t cid, int64_t author, const char *title, const char *body);
/* Changes or deletes a note only if it is still there and the viewer
 * wrote it, or is staff (any_author): the rule is in the statement, so
 * it holds on the writer whatever the form showed. */
enum wr note_update(struct dbc *w, int64_t cid, int64_t id, int64_t viewer, int any_author,
                    const char *title, const char *body);
enum wr note_delete(struct dbc *w, int64_t cid, int64_t id, int64_t viewer, int any_author);
/* The area's person_export hook (core/area.h): {"notes": [...]} of what the
 * account wrote; NULL on a database error. */
json_t *note_person_export(struct dbc *c, int64_t account_id, int with_secret, const char *sealed);
/* The area's seal_texts hook (core/area.h): the community's notes sealed
 * in place when it gets its data key. 0 or -1. */
int note_seal_texts(struct dbc *w, int64_t community_id);

#endif
