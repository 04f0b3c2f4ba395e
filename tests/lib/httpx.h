/*
 * The helpers every HTTP suite used to copy: a signed-in client, a JSON
 * view with its status checked, an HTML page, a POST expecting a status,
 * the id of a row in a JSON array, a newcomer's sign-up, a link survey;
 * and the fields a browser would submit from a form of a page.
 *
 * They fail the running cmocka test on what they assert (the path is
 * printed first, so the failure names the request, not this file's line).
 */
#ifndef HR_HTTPX_H
#define HR_HTTPX_H

#include "lib/check.h"

/* The end of a variadic list of strings (post_expect, client_post). */
#define END ((const char *)NULL)

/* A fresh client of s, signed in as the demo account handle (password
 * demo-demo); anonymous when handle is NULL. */
void login_as(struct client *c, struct srv *s, const char *handle);
/* A fresh client of s with a new account handle (password "pass-word-1",
 * open sign-up as in the demo); 303 asserted; the client stays signed in. */
void sign_up(struct client *c, struct srv *s, const char *handle);

/* The JSON view of path; 200 and a JSON body asserted; new reference. */
json_t *view_json(struct client *c, const char *path);
/* GET path as JSON, status asserted; the body's JSON (new reference) or
 * NULL when it has none. */
json_t *get_json(struct client *c, const char *path, long status);
/* GET path as JSON; the status, and the body's JSON (new reference, NULL
 * when none) into *out when out is not NULL. */
long get_json_status(struct client *c, const char *path, json_t **out);
/* The HTML body of path (malloc'd); 200 asserted. */
char *get_html(struct client *c, const char *path);

/* POST pairs (NULL-terminated, may be NULL) as a form with the client's
 * CSRF token; the status (the request itself must be answered). */
long post_form(struct client *c, const char *path, const char *const *pairs);
/* POST name, value, ..., END expecting status (printing the body when it
 * differs); the body (malloc'd) for message checks. */
char *post_expect(struct client *c, const char *path, long status, ...);
/* post_expect, body dropped. */
#define POST(c, path, status, ...) free(post_expect(c, path, status, __VA_ARGS__, END))

/* The message of a 422's JSON for field (error.fields.FIELD), or NULL. */
const char *field_error(const struct resp *r, const char *field);

/* The "id" of the element of arr whose string field equals value; 0. */
long long find_id(json_t *arr, const char *field, const char *value);
/* find_id on the array at dotted key of path's JSON view (200 asserted);
 * fails the test when there is none. */
long long id_in(struct client *c, const char *path, const char *key, const char *field,
                const char *value);

/* A survey of the board-games club of the demo, answered by its link:
 * made, given one short question (required when required), set to the
 * "link" audience open 2020-01-01..2099-12-31 and published by the club's
 * organizer ("member"). Its answer page's path ("/c/...") into out;
 * 0, or -1 when a step failed (nothing is asserted, for set-up code). */
int make_link_survey(struct srv *s, int required, char *out, size_t n);

/* ---- routes ---- */

/* The value of the path parameter name ("{id}") that follows the literal
 * segment prev ("actions") in a route pattern, written into buf if need
 * be; NULL when the caller cannot fill it. */
typedef const char *(*route_param_fn)(void *ctx, const char *prev, const char *name, char *buf,
                                      size_t n);
/* The concrete path of a route pattern, each parameter asked of fn; 0, or
 * -1 when fn cannot fill one (the caller names the route: a new route
 * must not escape a test that enumerates them all). */
int route_fill(const char *pattern, route_param_fn fn, void *ctx, char *out, size_t n);
/* 1 if pattern matches path (its query left out), segment by segment, a
 * {parameter} matching any one segment. */
int route_matches(const char *pattern, const char *path);

/* ---- forms as a browser submits them ---- */

/* The HTML-unescaped copy of s[0..n) (the templates escape & < > " ');
 * malloc'd. */
char *html_unescape(const char *s, size_t n);
/* The value of attribute name in the tag [tag, end), unescaped
 * (malloc'd), or NULL. */
char *html_attr(const char *tag, const char *end, const char *name);

/* Name/value pairs, NULL-terminated for form_encode; all malloc'd. */
struct form_fields {
    char *v[202];
    int n;
};
/* What a browser sends for the form whose content is [s, e): text and
 * hidden inputs with their value, checked boxes and radios, the selected
 * option of each select (the first when none is marked: that is how a
 * select that does not show the stored value resets it), textareas' text;
 * buttons are left out. */
void form_fields_parse(const char *s, const char *e, struct form_fields *f);
void form_fields_free(struct form_fields *f);

#endif
