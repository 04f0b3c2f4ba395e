/*
 * Parsing of urlencoded data (query strings and form bodies) and of JSON
 * bodies into name/value lists, and the validation helpers that handlers
 * use to answer 422 with the user's input kept and a message per field.
 */
#ifndef HR_FORM_H
#define HR_FORM_H

#include "core/req.h"

/* Parse results. */
enum parse_rc { PARSE_OK = 0, PARSE_BAD_UTF8 = -1, PARSE_TOO_MANY = -2, PARSE_BAD = -3 };

/* Appends the fields of "a=1&b=2" to l (values decoded, NUL-terminated,
 * in the arena). Fails on invalid UTF-8 or NUL bytes after decoding, or
 * when l would hold more than max fields. */
int form_parse_urlencoded(struct arena *a, struct kvlist *l, const char *s, size_t n, int max);
/* Appends the fields of a flat JSON object: strings as they are, numbers
 * in decimal, true as "1", false as "" (absent), arrays of scalars as
 * repeated fields. Anything nested is PARSE_BAD. */
int form_parse_json(struct arena *a, struct kvlist *l, const char *s, size_t n, int max);

/* Validation of one submitted form. values and errors go into the view
 * ("form" and "errors") so the page shows the input with messages. */
struct form {
    struct req *r;
    json_t *values; /* field -> submitted value */
    json_t *errors; /* field -> translated message */
};

void form_init(struct form *f, struct req *r);
void form_release(struct form *f);
/* A text field: trimmed, keeps the input, checks it is there when required
 * and at most maxchars characters long. Returns the trimmed value (arena),
 * or NULL when absent/empty or invalid. */
const char *form_text(struct form *f, const char *name, int required, size_t maxchars);
/* An integer in [min, max]; returns 0 with *out set, -1 with an error. An
 * absent optional field gives *out = dflt. */
int form_int(struct form *f, const char *name, int required, int64_t min, int64_t max, int64_t dflt,
             int64_t *out);
/* A date "YYYY-MM-DD"; 0 with *out (midnight UTC), 1 if absent and not
 * required, -1 with an error. */
int form_date(struct form *f, const char *name, int required, int64_t *out);
/* One of the choices (NULL-terminated); returns the index or -1 (error). An
 * absent optional field returns dflt. */
int form_choice(struct form *f, const char *name, const char *const *choices, int required,
                int dflt);
/* The index of v in choices (NULL-terminated), or -1. */
int form_choice_index(const char *const *choices, const char *v);
/* Records an error (msgkey is a catalog key) for field. */
void form_error(struct form *f, const char *field, const char *msgkey);
int form_ok(const struct form *f);
/* Moves values and errors into view as "form" and "errors". */
void form_to_view(struct form *f, json_t *view);

#endif
