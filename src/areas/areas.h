/*
 * The list of areas (core/area.h says what an area is). The one file that
 * knows every area, so that adding an area means adding it here and
 * nowhere else in the platform.
 */
#ifndef HR_AREAS_H
#define HR_AREAS_H

#include "core/area.h"

struct db;
struct dbc;

/* Every area, NULL-terminated, in the order their demo and bench data are
 * made and their sections shown. */
extern const struct area *const areas_all[];

/* The i-th route of all the areas, with its scope (tests walk every
 * route); NULL past the last. */
const struct route *areas_route(size_t i, enum scope *scope);

/* Fills a fresh database with the demo, area by area, inside one write
 * transaction. 0 on success. */
int areas_demo(struct dbc *w);
/* What migrations cannot do in SQL alone: data the areas compute in C for
 * rows written before a migration (run after every migrate). 0 or -1. */
int areas_upgrade(struct db *db);
/* Every area's member_left hook, after a member of the community was
 * deleted, on the writer: 0, or -1 (the caller's transaction must fail). */
int areas_member_left(struct dbc *w, int64_t community_id);
/* Every area's seal_texts for a community that got its data key. */
int areas_seal_texts(struct dbc *w, int64_t community_id);

#endif
