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
/* Handles the request completely: r->status/out/headers are set after. */
void router_dispatch(struct req *r);
/* The capability check alone (used by tests and by pages that show or
 * hide links): 0 if allowed, else the HTTP status the router answers. */
int router_check(struct req *r, enum cap cap);

#endif
