/*
 * The list of areas: their route tables, what each adds to a community's
 * dashboard, and their demo data. The one file that knows every area, so
 * that adding an area means adding it here and nowhere else in the platform.
 */
#ifndef HR_AREAS_H
#define HR_AREAS_H

#include "core/req.h"

struct dbc;

/* All route tables, NULL-terminated (for struct app). */
extern const struct route *const areas_routes[];

/* Lets each area add its panel to the community dashboard view (under
 * view.panels, an array of {area, title, html-free data}). */
void areas_dashboard(struct req *r, json_t *view);

/* Fills a fresh database with the demo, area by area, inside one write
 * transaction. 0 on success. */
int areas_demo(struct dbc *w);
/* What migrations cannot do in SQL alone: data the areas compute in C for
 * rows written before a migration (run after every migrate). 0 or -1. */
struct db;
int areas_upgrade(struct db *db);

/* Deletes a community in every area (community_delete after each area's
 * own purge): 0; -2 when there is no such community; -1 on error. */
struct dbc;
int areas_community_delete(struct dbc *w, int64_t community_id);

#endif
