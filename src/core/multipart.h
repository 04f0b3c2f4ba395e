/*
 * multipart/form-data bodies (RFC 7578): the text fields of a form that
 * carries one file, and the file itself. Only the routes that declare
 * R_UPLOAD take such a body (core/router.c); every other route answers
 * 415 to one, so no page grows a file input by accident.
 */
#ifndef HR_MULTIPART_H
#define HR_MULTIPART_H

#include "core/req.h"

#include <stddef.h>

/* The boundary of a Content-Type of multipart/form-data into out (at most
 * 70 characters, RFC 2046): 0, or -1 when ct is not one or names none. */
int multipart_boundary(const char *ct, char out[72]);

/* Appends the text fields of body (n bytes, split by boundary) to l, as
 * form_parse_urlencoded does (NUL-terminated copies in the arena, UTF-8
 * checked), and points *up at the one file part, or NULL when there is
 * none or it is empty (a form sent with no file chosen). A second file,
 * a part without a name, a malformed part or a body that does not end
 * with the closing boundary is PARSE_BAD; more than max fields is
 * PARSE_TOO_MANY. Names and texts are copied into the arena; the file's
 * bytes stay in body, which the caller keeps as long as the request. */
int multipart_parse(struct arena *a, struct kvlist *l, struct upload **up, const char *boundary,
                    const char *body, size_t n, int max);

#endif
