/* Form parsing and validation; see form.h. */
#include "core/form.h"
#include "core/app.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/tmpl.h"

#include <stdio.h>
#include <string.h>

void kvlist_add(struct arena *a, struct kvlist *l, const char *name, const char *value, size_t len)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct kv *v = arena_alloc(a, cap * sizeof *v);
        if (l->n) memcpy(v, l->v, l->n * sizeof *v);
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (struct kv){name, value, len};
}

const char *kvlist_get(const struct kvlist *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0) return l->v[i].value;
    return NULL;
}

int form_parse_urlencoded(struct arena *a, struct kvlist *l, const char *s, size_t n, int max)
{
    size_t i = 0;
    while (i < n) {
        size_t amp = i;
        while (amp < n && s[amp] != '&')
            amp++;
        if (amp > i) {
            size_t eq = i;
            while (eq < amp && s[eq] != '=')
                eq++;
            char *name = arena_alloc(a, eq - i + 1);
            size_t nlen = url_decode(name, s + i, eq - i);
            size_t vstart = eq < amp ? eq + 1 : amp;
            char *val = arena_alloc(a, amp - vstart + 1);
            size_t vlen = url_decode(val, s + vstart, amp - vstart);
            if (!utf8_valid(name, nlen) || !utf8_valid(val, vlen)) return PARSE_BAD_UTF8;
            if ((int)l->n >= max) return PARSE_TOO_MANY;
            if (nlen) kvlist_add(a, l, name, val, vlen);
        }
        i = amp + 1;
    }
    return PARSE_OK;
}

static int json_scalar(struct arena *a, struct kvlist *l, const char *name, json_t *v, int max)
{
    char num[64];
    const char *s;
    size_t len;
    if (!v) return PARSE_BAD;
    switch (json_typeof(v)) {
    case JSON_STRING:
        s = json_string_value(v);
        len = json_string_length(v);
        if (memchr(s, 0, len)) return PARSE_BAD_UTF8; /* \u0000 inside */
        break;
    case JSON_INTEGER:
        len = (size_t)snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        s = num;
        break;
    case JSON_REAL:
        len = (size_t)snprintf(num, sizeof num, "%.17g", json_real_value(v));
        s = num;
        break;
    case JSON_TRUE:
        s = "1", len = 1;
        break;
    case JSON_FALSE:
    case JSON_NULL:
        return PARSE_OK;
    default:
        return PARSE_BAD;
    }
    if ((int)l->n >= max) return PARSE_TOO_MANY;
    kvlist_add(a, l, arena_strdup(a, name), arena_strndup(a, s, len), len);
    return PARSE_OK;
}

int form_parse_json(struct arena *a, struct kvlist *l, const char *s, size_t n, int max)
{
    json_error_t err;
    /* jansson rejects invalid UTF-8 itself. */
    json_t *root = json_loadb(s, n, JSON_REJECT_DUPLICATES, &err);
    if (!root) return strstr(err.text, "UTF-8") ? PARSE_BAD_UTF8 : PARSE_BAD;
    int rc = json_is_object(root) ? PARSE_OK : PARSE_BAD;
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        if (rc != PARSE_OK) break;
        if (json_is_array(v)) {
            size_t i;
            json_t *item;
            json_array_foreach(v, i, item)
            {
                rc = json_is_array(item) || json_is_object(item)
                         ? PARSE_BAD
                         : json_scalar(a, l, key, item, max);
                if (rc != PARSE_OK) break;
            }
        } else {
            rc = json_scalar(a, l, key, v, max);
        }
    }
    json_decref(root);
    return rc;
}

/* ---- validation ---- */

void form_init(struct form *f, struct req *r)
{
    memset(f, 0, sizeof *f);
    f->r = r;
    f->values = json_object();
    f->errors = json_object();
}

void form_release(struct form *f)
{
    json_decref(f->values);
    json_decref(f->errors);
    json_decref(f->options);
    f->values = f->errors = f->options = NULL;
}

void form_error(struct form *f, const char *field, const char *msgkey)
{
    if (json_object_get(f->errors, field)) return; /* the first problem is the one to show */
    const char *msg = i18n_get(f->r->app->cat, f->r->lang, msgkey);
    json_object_set_new(f->errors, field, json_string(msg));
}

int form_ok(const struct form *f)
{
    return json_object_size(f->errors) == 0;
}

const char *form_text(struct form *f, const char *name, int required, size_t maxchars)
{
    const char *raw = req_param(f->r, name);
    char *v = raw ? str_trim(arena_strdup(f->r->arena, raw)) : NULL;
    if (v) json_object_set_new(f->values, name, json_string(v));
    if (str_empty(v)) {
        if (required) form_error(f, name, "error.required");
        return NULL;
    }
    if (utf8_len(v) > maxchars) {
        /* Say how long it may be, in the word form the number needs. */
        json_t *e = json_object_get(f->errors, name)
                        ? NULL
                        : json_string(i18n_plural(f->r->app->cat, f->r->lang, "error.too_long",
                                                  (int64_t)maxchars));
        if (e) {
            struct buf b;
            buf_init(&b);
            json_t *args = json_pack("{sI}", "max", (json_int_t)maxchars);
            tmpl_subst(&b, json_string_value(e), args, 0);
            json_object_set_new(f->errors, name, json_string(b.data));
            json_decref(e);
            json_decref(args);
            buf_free(&b);
        }
        return NULL;
    }
    return v;
}

int form_int(struct form *f, const char *name, int required, int64_t min, int64_t max, int64_t dflt,
             int64_t *out)
{
    const char *v = form_text(f, name, required, 32);
    if (!v) {
        *out = dflt;
        return json_object_get(f->errors, name) ? -1 : 0;
    }
    int64_t x;
    if (str_to_i64(v, &x) != 0) {
        form_error(f, name, "error.not_a_number");
        return -1;
    }
    if (x < min || x > max) {
        form_error(f, name, "error.out_of_range");
        return -1;
    }
    *out = x;
    return 0;
}

int form_date(struct form *f, const char *name, int required, int64_t *out)
{
    const char *v = form_text(f, name, required, 10);
    if (!v) return json_object_get(f->errors, name) ? -1 : 1;
    if (date_parse(v, out) != 0) {
        form_error(f, name, "error.bad_date");
        return -1;
    }
    return 0;
}

int form_choice_index(const char *const *choices, const char *v)
{
    for (int i = 0; v && choices[i]; i++)
        if (strcmp(choices[i], v) == 0) return i;
    return -1;
}

int form_choice(struct form *f, const char *name, const char *const *choices, int required,
                int dflt)
{
    const char *v = form_text(f, name, required, 64);
    if (!v) return json_object_get(f->errors, name) ? -1 : dflt;
    int i = form_choice_index(choices, v);
    if (i < 0) form_error(f, name, "error.bad_choice");
    return i;
}

/* ---- described forms ---- */

static int field_index(const struct form *f, const char *name)
{
    for (int i = 0; f->fields && i < FORM_MAX_FIELDS && f->fields[i].name; i++)
        if (strcmp(f->fields[i].name, name) == 0) return i;
    return -1;
}

static void read_field(struct form *f, int i)
{
    const struct field *d = &f->fields[i];
    const char *raw = req_param(f->r, d->name);
    f->given[i] = !str_empty(raw);
    switch (d->kind) {
    case F_TEXT:
        f->text[i] = form_text(f, d->name, d->required, (size_t)d->max);
        break;
    case F_PASSWORD: {
        /* Checked like text; the value never goes back into the page. */
        if (str_empty(raw)) {
            if (d->required) form_error(f, d->name, "error.required");
        } else if (utf8_len(raw) > (size_t)d->max) {
            form_error(f, d->name, "error.password_long");
        } else {
            f->text[i] = raw;
        }
        break;
    }
    case F_INT:
        form_int(f, d->name, d->required, d->min, d->max, 0, &f->num[i]);
        f->text[i] = json_string_value(json_object_get(f->values, d->name));
        break;
    case F_REF:
        form_int(f, d->name, d->required, 1, INT64_MAX, 0, &f->num[i]);
        f->text[i] = json_string_value(json_object_get(f->values, d->name));
        break;
    case F_DATE:
        if (form_date(f, d->name, d->required, &f->num[i]) != 0) f->num[i] = 0;
        f->text[i] = json_string_value(json_object_get(f->values, d->name));
        break;
    case F_CHOICE: {
        int k = form_choice(f, d->name, d->choices, d->required, -1);
        f->num[i] = k;
        f->text[i] = k >= 0 ? d->choices[k] : NULL;
        break;
    }
    case F_CHECK:
        f->num[i] = f->given[i];
        if (f->given[i]) json_object_set_new(f->values, d->name, json_string("1"));
        break;
    }
}

int form_read(struct form *f, struct req *r, const struct field *fields)
{
    form_init(f, r);
    f->fields = fields;
    for (int i = 0; i < FORM_MAX_FIELDS && fields[i].name; i++)
        read_field(f, i);
    return form_ok(f);
}

void form_fill(struct form *f, struct req *r, const struct field *fields, json_t *stored)
{
    form_init(f, r);
    f->fields = fields;
    for (int i = 0; i < FORM_MAX_FIELDS && fields[i].name; i++) {
        const struct field *d = &fields[i];
        json_t *v = json_object_get(stored, d->name);
        if (!v || json_typeof(v) == JSON_NULL || d->kind == F_PASSWORD) continue;
        char tmp[32];
        const char *s = NULL;
        if (json_is_integer(v) && d->kind == F_DATE) {
            date_format(json_integer_value(v), tmp);
            s = tmp;
        } else if (json_is_integer(v)) {
            if (d->kind == F_CHECK && json_integer_value(v) == 0) continue;
            snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
            s = d->kind == F_CHECK ? "1" : tmp;
        } else if (json_is_true(v)) {
            s = "1";
        } else if (json_is_string(v)) {
            s = json_string_value(v);
            if (d->kind == F_CHECK && str_empty(s)) continue;
        }
        if (s) json_object_set_new(f->values, d->name, json_string(s));
    }
}

const char *form_str(const struct form *f, const char *name)
{
    int i = field_index(f, name);
    return i >= 0 ? f->text[i] : NULL;
}

int64_t form_num(const struct form *f, const char *name, int64_t dflt)
{
    int i = field_index(f, name);
    return i >= 0 && f->given[i] ? f->num[i] : dflt;
}

int form_given(const struct form *f, const char *name)
{
    int i = field_index(f, name);
    return i >= 0 && f->given[i];
}

static json_t *option(const char *value, const char *label, int selected)
{
    return json_pack("{ss ss sb}", "value", value, "label", label, "selected", selected);
}

void form_options(struct form *f, const char *name, json_t *rows, const char *key,
                  const char *label, const char *none_key)
{
    if (!f->options) f->options = json_object();
    const char *cur = json_string_value(json_object_get(f->values, name));
    json_t *list = json_array();
    if (none_key)
        json_array_append_new(
            list, option("", i18n_get(f->r->app->cat, f->r->lang, none_key), str_empty(cur)));
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_t *k = json_object_get(row, key);
        char tmp[32];
        const char *ks = json_string_value(k);
        if (json_is_integer(k)) {
            snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(k));
            ks = tmp;
        }
        const char *ls = json_string_value(json_object_get(row, label));
        if (!ks) continue;
        json_array_append_new(list, option(ks, ls ? ls : ks, str_eq(cur, ks)));
    }
    json_object_set_new(f->options, name, list);
}

/* Each F_CHOICE field's options, the current value (or, with none, the
 * first) selected. */
static void choice_options(struct form *f)
{
    for (int i = 0; f->fields && i < FORM_MAX_FIELDS && f->fields[i].name; i++) {
        const struct field *d = &f->fields[i];
        if (d->kind != F_CHOICE || json_object_get(f->options, d->name)) continue;
        const char *cur = json_string_value(json_object_get(f->values, d->name));
        json_t *list = json_array();
        for (int k = 0; d->choices[k]; k++) {
            const char *key = d->label ? arena_printf(f->r->arena, "%s%s", d->label, d->choices[k])
                                       : d->choices[k];
            json_array_append_new(list,
                                  option(d->choices[k], i18n_get(f->r->app->cat, f->r->lang, key),
                                         str_eq(cur, d->choices[k])));
        }
        json_object_set_new(f->options, d->name, list);
    }
}

void form_to_view(struct form *f, json_t *view)
{
    json_object_set(view, "form", f->values);
    json_object_set(view, "errors", f->errors);
    if (f->fields) {
        if (!f->options) f->options = json_object();
        choice_options(f);
        json_object_set(view, "options", f->options);
    }
}
