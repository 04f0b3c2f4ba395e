/*
 * The router: finds the route for a request and enforces, before any
 * handler runs, everything the route table declares: the method, the
 * capability (after loading the viewer and the community), the CSRF token
 * of a POST, and the declared parameters (the others are dropped).
 */
#ifndef HR_ROUTER_H
#define HR_ROUTER_H

#include "core/req.h"

/* Matches path against pattern; fills r->path_args. 1 on a match. */
int router_match_pattern(struct req *r, const char *pattern, const char *path);

/* The routes of every area, indexed once at start-up. */
struct route_index;
/* lists: NULL-terminated list of route_table arrays (each ends with routes
 * NULL); scopes: SCOPE_N definitions (NULL for the instance and for scopes
 * nobody registered). NULL, with every reason logged, when a pattern is
 * malformed, two routes of one method could answer one path, a route's
 * scope is not registered or its path lacks the scope's parameter, or a
 * route asks for another scope's capability: the server does not start.
 * Owned by the caller; router_index_free frees. */
struct route_index *router_index(const struct route_table *const *lists,
                                 const struct scope_def *const *scopes);
void router_index_free(struct route_index *ix);
/* The route that answers r->method and r->path, with its parameters filled
 * into r: the most specific of those that match. NULL when none;
 * *path_matched tells a wrong method (405) from no such page (404). */
const struct route *router_lookup(const struct route_index *ix, struct req *r, int *path_matched,
                                  enum scope *scope);
size_t router_count(const struct route_index *ix);
/* The i-th route and its scope (tests walk every route). */
const struct route *router_at(const struct route_index *ix, size_t i, enum scope *scope);
/* Handles the request completely: r->status/out/headers are set after. */
void router_dispatch(struct req *r);

#endif
