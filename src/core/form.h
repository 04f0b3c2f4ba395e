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
/* ---- a form described once ----
 *
 * One array of fields per form serves everything the form needs: the
 * route accepts exactly these parameters (struct route.form), form_read
 * validates them and keeps the input, form_fill puts a stored object's
 * values in for its edit page, and form_to_view gives the template each
 * select's and radio group's options with the current value marked, so a
 * form submitted unchanged stores what it showed. */
enum field_kind {
    F_TEXT,     /* one line or a textarea: trimmed, at most max characters */
    F_INT,      /* a whole number in [min, max] */
    F_DATE,     /* YYYY-MM-DD */
    F_CHOICE,   /* one of choices; labels are catalog keys label + value */
    F_CHECK,    /* a checkbox: "1" when ticked, absent otherwise */
    F_REF,      /* the id of an object offered at render time (form_options) */
    F_PASSWORD, /* text that is never echoed back into the page */
};

struct field {
    const char *name;
    enum field_kind kind;
    int required;
    int64_t min, max;           /* F_INT's range; F_TEXT/F_PASSWORD's max characters */
    const char *const *choices; /* F_CHOICE, NULL-terminated */
    const char *label;          /* F_CHOICE: catalog key prefix of each choice's label */
};

enum { FORM_MAX_FIELDS = 48 };

struct form {
    struct req *r;
    json_t *values;                    /* field -> submitted value */
    json_t *errors;                    /* field -> translated message */
    const struct field *fields;        /* when described (form_read, form_fill) */
    json_t *options;                   /* field -> [{value, label, selected}] */
    const char *text[FORM_MAX_FIELDS]; /* form_read's validated values */
    int64_t num[FORM_MAX_FIELDS];      /* F_INT, F_DATE, F_REF; F_CHOICE: the index */
    int given[FORM_MAX_FIELDS];        /* 1 when the field had a value */
};

/* Validates every field of the description against the request; the
 * values are kept for a re-render. Returns form_ok(). */
int form_read(struct form *f, struct req *r, const struct field *fields);
/* For an edit page: the values of stored (an object keyed by field name;
 * numbers as numbers, dates as seconds or "YYYY-MM-DD") as the form's. */
void form_fill(struct form *f, struct req *r, const struct field *fields, json_t *stored);
/* form_read's value of name: the trimmed text (NULL when empty), or the
 * number (F_INT, F_DATE as midnight UTC, F_REF, F_CHOICE's index, F_CHECK's
 * 0/1); dflt when the field was not given. */
const char *form_str(const struct form *f, const char *name);
int64_t form_num(const struct form *f, const char *name, int64_t dflt);
/* 1 when name had a value in the request. */
int form_given(const struct form *f, const char *name);
/* The options of an F_REF field from rows (objects with key and label
 * members), the current value marked selected; none_key, when not NULL,
 * adds a first option with value "" (a catalog key: "— none —"). */
void form_options(struct form *f, const char *name, json_t *rows, const char *key,
                  const char *label, const char *none_key);

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
/* Puts values and errors into view as "form" and "errors", and, for a
 * described form, "options" (each F_CHOICE and F_REF field's list with
 * the current value selected). */
void form_to_view(struct form *f, json_t *view);

#endif
