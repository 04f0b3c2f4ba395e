/*
 * Shorthands for the HTTP suites on top of testsrv: any method with any
 * headers, statuses in one call, demo sign-in, JSON look-ups by a dotted
 * path, and a direct look into the server's database (to read state back
 * or to age an object the interface cannot age).
 */
#ifndef HR_CHECK_H
#define HR_CHECK_H

#include "lib/testsrv.h"

#include <sqlite3.h>

/* Any request. method "GET", "POST", "DELETE"...; headers NULL-terminated
 * full lines ("Accept: application/json"), may be NULL; body may be NULL.
 * When no Accept header is given, text/html is asked for. 0 on success. */
int client_req(struct client *c, const char *method, const char *path, const char *const *headers,
               const char *body, size_t len, struct resp *out);

/* The status of a GET (json: ask for JSON); -1 if no answer. */
long get_status(struct client *c, const char *path, int json);
/* POST fields (NULL-terminated pairs, may be NULL) plus the client's CSRF
 * token; the answer in out. */
int post_pairs(struct client *c, const char *path, int json, const char *const *pairs,
               struct resp *out);
/* POST pairs (as post_pairs, the CSRF token added) and one file as a
 * multipart/form-data body, as a browser sends a form with a file input:
 * the file under field, named filename, with its type; data may hold any
 * bytes. 0 on success. */
int post_multipart(struct client *c, const char *path, int json, const char *const *pairs,
                   const char *field, const char *filename, const char *type, const void *data,
                   size_t len, struct resp *out);
/* The status of such a POST. */
long post_status(struct client *c, const char *path, int json, const char *const *pairs);

/* A client signed in as a demo account (password demo-demo); 0 on success. */
int client_as(struct client *c, struct srv *s, const char *handle);

/* The Location header's path ("" when none) into out. */
const char *resp_location(const struct resp *r, char *out, size_t n);
/* 1 if the body contains needle. */
int resp_has(const struct resp *r, const char *needle);

/* A value by dotted path ("error.fields.handle", "communities.0.slug"). */
json_t *jget(json_t *root, const char *path);
/* Its string value or NULL. */
const char *jstr(json_t *root, const char *path);

/* 1 if some element of the array at path in root has key == value. */
int jarray_has(json_t *root, const char *path, const char *key, const char *value);

/* The first column of the first row of sql run on the server's database
 * (with one optional text parameter); -1 on error or no row. */
long long db_value(struct srv *s, const char *sql, const char *param);
/* The first column of the first row of sql on db is "ok" (or, for a
 * statement that returns no row, it ran without an error); else prints
 * what it said. */
int db_says_ok(sqlite3 *db, const char *sql);
/* db_says_ok on the database file at path, opened read-only. */
int db_file_says_ok(const char *path, const char *sql);
/* The UTC date offset days from today as YYYY-MM-DD into buf (11 bytes);
 * returns buf. */
const char *test_day(int offset, char *buf);
/* Runs a statement on the server's database; 0 on success. */
int db_run(struct srv *s, const char *sql, const char *param);
/* The member id that the account handle has in the community slug (read
 * from the database: the pages name members, never accounts), or -1. */
long long member_id_of(struct srv *s, const char *slug, const char *handle);
/* The member id of c's own account in the community at slug, as the
 * members page shows it to them (is_me): how a test finds a sealed member,
 * whom nothing on the disk ties to an account. -1 when not found. */
long long member_id_in(struct client *c, const char *slug);
/* "/c/IN/members/ID/WHAT" into out (n bytes), ID being handle's member id
 * in the community slug (999999 when none); returns out. */
const char *member_url(struct srv *s, const char *in, const char *slug, const char *handle,
                       const char *what, char *out, size_t n);

/* A concrete path for a route pattern: {slug}, {handle}, {token}, {id} and
 * {file} replaced by the values given (NULL: a plausible default), any other
 * {name} by "999999" (an id that names nothing). */
struct path_values {
    const char *slug, *handle, *token, *id, *file;
};
void route_path(const char *pattern, const struct path_values *v, char *out, size_t n);

/* HTML-escapes s (& < > " ') into out, as the templates do. */
void esc_html(const char *s, char *out, size_t n);

#endif
