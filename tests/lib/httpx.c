/* The shared helpers of the HTTP suites; see httpx.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "httpx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void login_as(struct client *c, struct srv *s, const char *handle)
{
    client_init(c, s);
    if (handle && client_login(c, handle, "demo-demo") != 0) fail_msg("sign-in as %s", handle);
}

void sign_up(struct client *c, struct srv *s, const char *handle)
{
    client_init(c, s);
    const char *f[] = {"handle",    handle,        "password", "pass-word-1",
                       "password2", "pass-word-1", NULL};
    assert_int_equal(post_status(c, "/signup", 0, f), 303);
    c->csrf[0] = 0; /* bound to the new session now */
}

json_t *view_json(struct client *c, const char *path)
{
    struct resp r;
    assert_int_equal(client_get(c, path, 1, &r), 0);
    if (r.status != 200 || !r.json)
        fprintf(stderr, "GET %s as JSON: %ld\n%.400s\n", path, r.status, r.body);
    assert_int_equal(r.status, 200);
    assert_non_null(r.json);
    json_t *v = json_incref(r.json);
    resp_free(&r);
    return v;
}

json_t *get_json(struct client *c, const char *path, long status)
{
    struct resp r;
    assert_int_equal(client_get(c, path, 1, &r), 0);
    if (r.status != status) fprintf(stderr, "GET %s: %ld %s\n", path, r.status, r.body);
    assert_int_equal(r.status, status);
    json_t *j = r.json ? json_incref(r.json) : NULL;
    resp_free(&r);
    return j;
}

long get_json_status(struct client *c, const char *path, json_t **out)
{
    struct resp r;
    assert_int_equal(client_get(c, path, 1, &r), 0);
    long st = r.status;
    if (out) *out = r.json ? json_incref(r.json) : NULL;
    resp_free(&r);
    return st;
}

char *get_html(struct client *c, const char *path)
{
    struct resp r;
    assert_int_equal(client_get(c, path, 0, &r), 0);
    if (r.status != 200) fprintf(stderr, "GET %s: %ld\n", path, r.status);
    assert_int_equal(r.status, 200);
    char *s = strdup(r.body);
    resp_free(&r);
    return s;
}

long post_form(struct client *c, const char *path, const char *const *pairs)
{
    struct resp r;
    assert_int_equal(post_pairs(c, path, 0, pairs, &r), 0);
    long st = r.status;
    resp_free(&r);
    return st;
}

char *post_expect(struct client *c, const char *path, long status, ...)
{
    const char *pairs[64];
    int n = 0;
    va_list ap;
    va_start(ap, status);
    const char *k;
    while (n < 60 && (k = va_arg(ap, const char *)) != NULL) {
        pairs[n++] = k;
        pairs[n++] = va_arg(ap, const char *);
    }
    va_end(ap);
    pairs[n] = NULL;
    struct resp r;
    assert_int_equal(post_pairs(c, path, 0, pairs, &r), 0);
    if (r.status != status)
        fprintf(stderr, "POST %s: %ld, wanted %ld\n%.400s\n", path, r.status, status, r.body);
    assert_int_equal(r.status, status);
    char *s = strdup(r.body ? r.body : "");
    resp_free(&r);
    return s;
}

const char *field_error(const struct resp *r, const char *field)
{
    json_t *f = json_object_get(jget(r->json, "error.fields"), field);
    return json_string_value(f);
}

long long find_id(json_t *arr, const char *field, const char *value)
{
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x)
    {
        const char *s = json_string_value(json_object_get(x, field));
        if (s && strcmp(s, value) == 0) return json_integer_value(json_object_get(x, "id"));
    }
    return 0;
}

long long id_in(struct client *c, const char *path, const char *key, const char *field,
                const char *value)
{
    json_t *v = view_json(c, path);
    long long id = 0;
    size_t i;
    json_t *x;
    /* the last match, as the suites always took it */
    json_array_foreach(jget(v, key), i, x)
    {
        const char *s = json_string_value(json_object_get(x, field));
        if (s && strcmp(s, value) == 0) id = json_integer_value(json_object_get(x, "id"));
    }
    json_decref(v);
    if (id <= 0) fail_msg("%s: no %s with %s %s", path, key, field, value);
    return id;
}

int make_link_survey(struct srv *s, int required, char *out, size_t n)
{
    static const char NRS[] = "/c/nastolki-na-raene/surveys";
    struct client c;
    client_init(&c, s);
    struct resp r = {0};
    long id = 0;
    char loc[200] = "", path[200];
    int ok = client_login(&c, "member", "demo-demo") == 0 &&
             client_post(&c, NRS, 0, &r, "template", "blank", END) == 0 &&
             resp_header(&r, "Location", loc, sizeof loc) == 0 &&
             sscanf(loc, "/c/nastolki-na-raene/surveys/%ld/edit", &id) == 1;
    resp_free(&r);
    snprintf(path, sizeof path, "%s/%ld/questions", NRS, id);
    ok = ok &&
         client_post(&c, path, 0, &r, "kind", "short", "text", "Во что поиграть?",
                     required ? "required" : END, "1", END) == 0 &&
         r.status == 303;
    resp_free(&r);
    snprintf(path, sizeof path, "%s/%ld/edit", NRS, id);
    ok = ok &&
         client_post(&c, path, 0, &r, "title", "Игры на лето", "audience", "link", "anonymous", "1",
                     "opens_on", "2020-01-01", "closes_on", "2099-12-31", END) == 0 &&
         r.status == 303;
    resp_free(&r);
    snprintf(path, sizeof path, "%s/%ld/publish", NRS, id);
    ok = ok && client_post(&c, path, 0, &r, END) == 0;
    resp_free(&r);
    snprintf(path, sizeof path, "%s/%ld", NRS, id);
    ok = ok && client_get(&c, path, 1, &r) == 0;
    const char *link = ok ? json_string_value(json_object_get(r.json, "link")) : NULL;
    const char *p = link ? strstr(link, "/c/") : NULL;
    if (p) snprintf(out, n, "%s", p);
    resp_free(&r);
    client_free(&c);
    return p ? 0 : -1;
}

/* ---- routes ---- */

int route_fill(const char *pattern, route_param_fn fn, void *ctx, char *out, size_t n)
{
    char prev[64] = "";
    size_t o = 0;
    out[0] = 0;
    for (const char *p = pattern; *p == '/';) {
        const char *e = strchr(p + 1, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char seg[64], buf[64];
        snprintf(seg, sizeof seg, "%.*s", (int)(len - 1), p + 1); /* without the '/' */
        const char *v = seg[0] == '{' ? fn(ctx, prev, seg, buf, sizeof buf) : seg;
        if (!v) return -1;
        o += (size_t)snprintf(out + o, o < n ? n - o : 0, "/%s", v);
        snprintf(prev, sizeof prev, "%s", seg);
        p += len;
    }
    if (!out[0]) snprintf(out, n, "/");
    return o < n ? 0 : -1;
}

int route_matches(const char *pattern, const char *path)
{
    const char *p = pattern, *q = path;
    while (*p == '/' && *q == '/') {
        size_t pl = strcspn(p + 1, "/"), ql = strcspn(q + 1, "/?#");
        if (ql == 0) return 0;
        if (p[1] != '{' && (pl != ql || strncmp(p + 1, q + 1, pl) != 0)) return 0;
        p += pl + 1;
        q += ql + 1;
    }
    if (!strcmp(pattern, "/")) return path[0] == '/' && (path[1] == 0 || path[1] == '?');
    return *p == 0 && (*q == 0 || *q == '?' || *q == '#');
}

/* ---- forms ---- */

char *html_unescape(const char *s, size_t n)
{
    static const char *const ENT[][2] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
    char *out = malloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t k, m = 0;
        for (k = 0; k < sizeof ENT / sizeof ENT[0]; k++) {
            m = strlen(ENT[k][0]);
            if (i + m <= n && strncmp(s + i, ENT[k][0], m) == 0) break;
        }
        if (k < sizeof ENT / sizeof ENT[0]) {
            out[o++] = ENT[k][1][0];
            i += m;
        } else {
            out[o++] = s[i++];
        }
    }
    out[o] = 0;
    return out;
}

char *html_attr(const char *tag, const char *end, const char *name)
{
    char key[32];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *p = strstr(tag, key);
    if (!p || p >= end) return NULL;
    p += strlen(key);
    const char *q = strchr(p, '"');
    if (!q || q > end) return NULL;
    return html_unescape(p, (size_t)(q - p));
}

/* 1 if the tag [tag, end) has the bare attribute word (" selected"). */
static int has_flag(const char *tag, const char *end, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = tag; p + n < end; p++)
        if (p[0] == ' ' && strncmp(p + 1, word, n) == 0 &&
            (p[n + 1] == '>' || p[n + 1] == ' ' || p[n + 1] == '/'))
            return 1;
    return 0;
}

static void add_field(struct form_fields *f, char *name, char *value)
{
    assert_true(f->n < (int)(sizeof f->v / sizeof f->v[0]) - 2);
    f->v[f->n++] = name;
    f->v[f->n++] = value ? value : strdup("");
    f->v[f->n] = NULL;
}

void form_fields_free(struct form_fields *f)
{
    for (int i = 0; i < f->n; i++)
        free(f->v[i]);
    f->n = 0;
    f->v[0] = NULL;
}

void form_fields_parse(const char *s, const char *e, struct form_fields *f)
{
    f->v[f->n] = NULL;
    for (const char *p = s; p < e; p++) {
        if (*p != '<') continue;
        const char *te = strchr(p, '>');
        if (!te || te > e) break;
        if (strncmp(p, "<input", 6) == 0) {
            char *name = html_attr(p, te, "name"), *type = html_attr(p, te, "type");
            int box = type && (!strcmp(type, "checkbox") || !strcmp(type, "radio"));
            int button = type && (!strcmp(type, "submit") || !strcmp(type, "button"));
            if (name && !button && (!box || has_flag(p, te, "checked")))
                add_field(f, name, html_attr(p, te, "value"));
            else
                free(name);
            free(type);
        } else if (strncmp(p, "<select", 7) == 0) {
            char *name = html_attr(p, te, "name");
            const char *se = strstr(te, "</select>");
            assert_non_null(se);
            char *first = NULL, *chosen = NULL;
            for (const char *o = strstr(te, "<option"); o && o < se; o = strstr(o + 1, "<option")) {
                const char *oe = strchr(o, '>');
                char *v = html_attr(o, oe, "value");
                if (!v) { /* <option>BYN</option>: the text is the value */
                    const char *x = strstr(oe, "</option>");
                    v = html_unescape(oe + 1, (size_t)(x - oe - 1));
                }
                if (!chosen && has_flag(o, oe, "selected")) chosen = strdup(v);
                if (!first)
                    first = v;
                else
                    free(v);
            }
            if (name) add_field(f, name, chosen ? chosen : first);
            if (chosen) free(first);
            if (!name) free(chosen ? chosen : first);
            p = se;
        } else if (strncmp(p, "<textarea", 9) == 0) {
            char *name = html_attr(p, te, "name");
            const char *x = strstr(te, "</textarea>");
            assert_non_null(x);
            const char *b = te + 1;
            if (*b == '\n') b++; /* a browser drops the newline after the tag */
            if (name) add_field(f, name, html_unescape(b, (size_t)(x - b)));
            p = x;
        }
    }
}
