/* Templates; see tmpl.h. Parsing makes a tree of nodes; rendering walks it
 * with a stack of contexts (innermost last). */
#include "core/tmpl.h"
#include "core/embed.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/text.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

enum node_kind {
    N_TEXT,
    N_VAR,
    N_RAW,
    N_URL,
    N_MD,
    N_SECTION,
    N_INVERTED,
    N_PARTIAL,
    N_TRANS,
    N_PLURAL
};

/* A dotted name split once, when the template is parsed: rendering found
 * every tag's dots and lengths again each time it looked the name up. The
 * segments point into the node's own text. */
struct seg {
    const char *s;
    size_t n;
};

struct path {
    struct seg *seg;
    size_t n;
    int self; /* "." */
};

struct node {
    enum node_kind kind;
    char *text; /* literal text, or the name/key */
    size_t len; /* of text */
    char *arg;  /* N_PLURAL: the count's name */
    struct path path, argpath;
    int index_tail;             /* the name ends in ".N" (see render_section) */
    const struct tmpl *partial; /* N_PARTIAL by a fixed name, once found */
    struct node *kids;
    size_t nkids, cap;
};

struct tmpl {
    char *name;
    struct node root;
};

struct tmpl_set {
    struct tmpl *t;
    size_t n;
};

static void node_free(struct node *n)
{
    for (size_t i = 0; i < n->nkids; i++)
        node_free(&n->kids[i]);
    free(n->path.seg);
    free(n->argpath.seg);
    free(n->kids);
    free(n->text);
    free(n->arg);
}

static struct node *node_add(struct node *parent, enum node_kind kind, const char *s, size_t len)
{
    if (parent->nkids == parent->cap) {
        parent->cap = parent->cap ? parent->cap * 2 : 8;
        parent->kids = xrealloc(parent->kids, parent->cap * sizeof(struct node));
    }
    struct node *n = &parent->kids[parent->nkids++];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->text = xstrndup(s, len);
    n->len = len;
    return n;
}

static void path_split(struct path *p, const char *name)
{
    if (strcmp(name, ".") == 0) {
        p->self = 1;
        return;
    }
    size_t n = 1;
    for (const char *c = name; *c; c++)
        n += *c == '.';
    p->seg = xcalloc(n, sizeof *p->seg);
    p->n = n;
    const char *s = name;
    for (size_t i = 0; i < n; i++) {
        const char *dot = strchr(s, '.');
        size_t len = dot ? (size_t)(dot - s) : strlen(s);
        p->seg[i].s = s;
        p->seg[i].n = len;
        s += len + 1;
    }
}

/* 1 when the dotted name's last part is a number ("list.0"). */
static int ends_in_index(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot || !dot[1]) return 0;
    for (const char *p = dot + 1; *p; p++)
        if (*p < '0' || *p > '9') return 0;
    return 1;
}

/* What rendering would otherwise work out from a node's text every time. */
static void node_prepare(struct node *n)
{
    switch (n->kind) {
    case N_VAR:
    case N_RAW:
    case N_URL:
    case N_MD:
        path_split(&n->path, n->text);
        break;
    case N_SECTION:
    case N_INVERTED:
        path_split(&n->path, n->text);
        n->index_tail = ends_in_index(n->text);
        break;
    case N_PARTIAL:
        if (n->text[0] == '*') path_split(&n->path, n->text + 1);
        break;
    case N_PLURAL:
        path_split(&n->argpath, n->arg);
        break;
    default:
        break;
    }
}

/* Trims spaces around a tag's inside. */
static void tag_trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\n'))
        (*s)++, (*len)--;
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\n'))
        (*len)--;
}

struct parser {
    const char *name, *p;
    int line;
};

/* Parses into parent until {{/closing}} (or the end when closing is NULL). */
static int parse_into(struct parser *ps, struct node *parent, const char *closing)
{
    for (;;) {
        const char *open = strstr(ps->p, "{{");
        size_t textlen = open ? (size_t)(open - ps->p) : strlen(ps->p);
        if (textlen) node_add(parent, N_TEXT, ps->p, textlen);
        for (size_t i = 0; i < textlen; i++)
            ps->line += ps->p[i] == '\n';
        if (!open) {
            if (closing) {
                log_error("tmpl: %s: {{#%s}} is never closed", ps->name, closing);
                return -1;
            }
            return 0;
        }
        int triple = open[2] == '{';
        const char *in = open + (triple ? 3 : 2);
        const char *close = strstr(in, triple ? "}}}" : "}}");
        if (!close) {
            log_error("tmpl: %s:%d: unclosed tag", ps->name, ps->line);
            return -1;
        }
        const char *s = in;
        size_t len = (size_t)(close - in);
        ps->p = close + (triple ? 3 : 2);
        for (size_t i = 0; i < len; i++)
            ps->line += in[i] == '\n';
        if (triple) {
            tag_trim(&s, &len);
            node_prepare(node_add(parent, N_RAW, s, len));
            continue;
        }
        char sigil = len ? s[0] : 0;
        if (sigil == '!') continue;
        if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '>' || sigil == '%' ||
            sigil == '*')
            s++, len--;
        tag_trim(&s, &len);
        if (sigil == '#' || sigil == '^') {
            struct node *sec = node_add(parent, sigil == '#' ? N_SECTION : N_INVERTED, s, len);
            node_prepare(sec);
            char *want = xstrndup(s, len);
            int rc = parse_into(ps, sec, want);
            free(want);
            if (rc) return rc;
        } else if (sigil == '/') {
            if (!closing || strlen(closing) != len || strncmp(closing, s, len) != 0) {
                log_error("tmpl: %s:%d: unexpected {{/%.*s}}", ps->name, ps->line, (int)len, s);
                return -1;
            }
            return 0;
        } else if (sigil == '>') {
            node_prepare(node_add(parent, N_PARTIAL, s, len));
        } else if (sigil == '%') {
            node_prepare(node_add(parent, N_URL, s, len));
        } else if (sigil == '*') {
            node_prepare(node_add(parent, N_MD, s, len));
        } else if (len > 3 && strncmp(s, "_n ", 3) == 0) {
            const char *key = s + 3;
            const char *sp = memchr(key, ' ', len - 3);
            if (!sp) {
                log_error("tmpl: %s:%d: {{_n key count}} needs a count", ps->name, ps->line);
                return -1;
            }
            struct node *n = node_add(parent, N_PLURAL, key, (size_t)(sp - key));
            n->arg = xstrndup(sp + 1, (size_t)(s + len - sp - 1));
            node_prepare(n);
        } else if (len > 2 && strncmp(s, "_ ", 2) == 0) {
            node_add(parent, N_TRANS, s + 2, len - 2);
        } else {
            node_prepare(node_add(parent, N_VAR, s, len));
        }
    }
}

static int set_add(struct tmpl_set *set, const char *name, const char *text)
{
    struct tmpl *t = &set->t[set->n];
    memset(t, 0, sizeof *t);
    t->name = xstrdup(name);
    struct parser ps = {name, text, 1};
    set->n++;
    return parse_into(&ps, &t->root, NULL);
}

static const struct tmpl *find(const struct tmpl_set *s, const char *name);

/* Finds each {{>name}}'s template once, when all are parsed (a partial may
 * name one parsed after it); rendering searched the set by name each time. */
static void link_partials(const struct tmpl_set *set, struct node *n)
{
    if (n->kind == N_PARTIAL && n->text[0] != '*') n->partial = find(set, n->text);
    for (size_t i = 0; i < n->nkids; i++)
        link_partials(set, &n->kids[i]);
}

struct tmpl_set *tmpl_load_from(const char *const *names, const char *const *texts, int n)
{
    struct tmpl_set *set = xcalloc(1, sizeof *set);
    set->t = xcalloc((size_t)n + 1, sizeof(struct tmpl));
    for (int i = 0; i < n; i++) {
        if (set_add(set, names[i], texts[i]) != 0) {
            tmpl_free(set);
            return NULL;
        }
    }
    for (size_t i = 0; i < set->n; i++)
        link_partials(set, &set->t[i].root);
    return set;
}

struct tmpl_set *tmpl_load(void)
{
    int n = 0;
    for (const struct embedded_file *f = embedded_files; f->name; f++)
        n++;
    const char **names = xcalloc((size_t)n + 1, sizeof(char *));
    const char **texts = xcalloc((size_t)n + 1, sizeof(char *));
    char **owned = xcalloc((size_t)n + 1, sizeof(char *));
    int k = 0;
    for (const struct embedded_file *f = embedded_files; f->name; f++) {
        size_t len = strlen(f->name);
        if (len < 5 || strcmp(f->name + len - 5, ".html") != 0 || !str_starts(f->name, "src/"))
            continue;
        const char *s = f->name + 4;
        if (str_starts(s, "areas/")) s += 6;
        owned[k] = xstrndup(s, strlen(s) - 5);
        names[k] = owned[k];
        texts[k] = f->data;
        k++;
    }
    struct tmpl_set *set = tmpl_load_from(names, texts, k);
    for (int i = 0; i < k; i++)
        free(owned[i]);
    free(owned);
    free(names);
    free(texts);
    return set;
}

void tmpl_free(struct tmpl_set *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->t[i].name);
        node_free(&s->t[i].root);
    }
    free(s->t);
    free(s);
}

static const struct tmpl *find(const struct tmpl_set *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->t[i].name, name) == 0) return &s->t[i];
    return NULL;
}

int tmpl_exists(const struct tmpl_set *s, const char *name)
{
    return find(s, name) != NULL;
}

/* ---- rendering ---- */

/* MAX_PARTIALS bounds partials within partials: a template that includes
 * itself (directly or in a cycle) would otherwise recurse until the stack
 * overflows. */
enum { MAX_DEPTH = 32, MAX_PARTIALS = 8 };

struct render {
    const struct tmpl_set *set;
    const struct i18n *cat;
    const char *lang;
    struct buf *out;
    json_t *stack[MAX_DEPTH];
    int depth;
    int partials;
    const char *slot; /* tmpl_render_slot's name, NULL without one */
    const char *slot_bytes;
    size_t slot_len;
};

/* 1 when {{{name}}} stands for the slot: its name, and no context inside
 * the outermost has a value of that name (which it would show instead). */
static int is_slot(const struct render *r, const struct node *n)
{
    if (!r->slot || n->path.n != 1 || strcmp(n->text, r->slot) != 0) return 0;
    for (int i = r->depth - 1; i >= 1; i--)
        if (json_is_object(r->stack[i]) && json_object_getn(r->stack[i], n->text, n->len)) return 0;
    return 1;
}

/* Looks a dotted name up through the context stack. */
static json_t *lookup_in(json_t *const *stack, int depth, const char *name)
{
    if (strcmp(name, ".") == 0) return depth ? stack[depth - 1] : NULL;
    const char *dot = strchr(name, '.');
    size_t first = dot ? (size_t)(dot - name) : strlen(name);
    json_t *v = NULL;
    for (int i = depth - 1; i >= 0 && !v; i--)
        if (json_is_object(stack[i])) v = json_object_getn(stack[i], name, first);
    while (v && dot) {
        const char *seg = dot + 1;
        dot = strchr(seg, '.');
        size_t n = dot ? (size_t)(dot - seg) : strlen(seg);
        if (json_is_array(v) && n && seg[0] >= '0' && seg[0] <= '9')
            v = json_array_get(v, (size_t)strtoul(seg, NULL, 10));
        else
            v = json_is_object(v) ? json_object_getn(v, seg, n) : NULL;
    }
    return v;
}

/* lookup_in for a name split at parse time. */
static json_t *lookup_path(json_t *const *stack, int depth, const struct path *p)
{
    if (p->self) return depth ? stack[depth - 1] : NULL;
    json_t *v = NULL;
    for (int i = depth - 1; i >= 0 && !v; i--)
        if (json_is_object(stack[i])) v = json_object_getn(stack[i], p->seg[0].s, p->seg[0].n);
    for (size_t k = 1; v && k < p->n; k++) {
        const struct seg *g = &p->seg[k];
        if (json_is_array(v) && g->n && g->s[0] >= '0' && g->s[0] <= '9')
            v = json_array_get(v, (size_t)strtoul(g->s, NULL, 10));
        else
            v = json_is_object(v) ? json_object_getn(v, g->s, g->n) : NULL;
    }
    return v;
}

static int truthy(json_t *v)
{
    if (!v) return 0;
    switch (json_typeof(v)) {
    case JSON_NULL:
    case JSON_FALSE:
        return 0;
    case JSON_INTEGER:
        return json_integer_value(v) != 0;
    case JSON_REAL:
        return json_real_value(v) != 0;
    case JSON_STRING:
        return json_string_length(v) != 0;
    case JSON_ARRAY:
        return json_array_size(v) != 0;
    default:
        return 1;
    }
}

static void put_value(struct buf *out, json_t *v, int escape)
{
    char num[64];
    const char *s = NULL;
    if (json_is_string(v)) {
        s = json_string_value(v);
    } else if (json_is_integer(v)) {
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        s = num;
    } else if (json_is_real(v)) {
        snprintf(num, sizeof num, "%.1f", json_real_value(v));
        s = num;
    } else if (json_is_true(v)) {
        s = "true";
    }
    if (!s) return;
    if (escape)
        html_escape(out, s);
    else
        buf_puts(out, s);
}

static void put_text(struct buf *out, const char *s, size_t n, int escape)
{
    if (escape)
        html_escapen(out, s, n);
    else
        buf_append(out, s, n);
}

static void subst(struct buf *out, const char *text, json_t *const *stack, int depth, int escape)
{
    const char *p = text;
    for (;;) {
        const char *open = strchr(p, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!open || !close || close - open > 64) {
            put_text(out, p, strlen(p), escape);
            return;
        }
        put_text(out, p, (size_t)(open - p), escape);
        char name[65];
        size_t n = (size_t)(close - open - 1);
        memcpy(name, open + 1, n);
        name[n] = 0;
        put_value(out, lookup_in(stack, depth, name), escape);
        p = close + 1;
    }
}

void tmpl_subst(struct buf *out, const char *text, json_t *ctx, int escape)
{
    json_t *stack[1] = {ctx};
    subst(out, text, stack, 1, escape);
}

static void render_nodes(struct render *r, const struct node *n, size_t count);

static void render_section(struct render *r, const struct node *n)
{
    json_t *v = lookup_path(r->stack, r->depth, &n->path);
    if (n->kind == N_INVERTED) {
        if (!truthy(v)) render_nodes(r, n->kids, n->nkids);
        return;
    }
    if (!truthy(v) || r->depth >= MAX_DEPTH) return;
    if (n->index_tail) {
        /* {{#list.0}} asks "is the list non-empty?" and renders once in the
         * context it stands in. Entering the first element instead made
         * every field an element lacked fall back to the first element's,
         * inside {{#list}} below it: one action's report form showed on
         * the next action, with the first one's status. */
        render_nodes(r, n->kids, n->nkids);
        return;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
        {
            r->stack[r->depth++] = item;
            render_nodes(r, n->kids, n->nkids);
            r->depth--;
        }
    } else {
        r->stack[r->depth++] = v;
        render_nodes(r, n->kids, n->nkids);
        r->depth--;
    }
}

static void render_nodes(struct render *r, const struct node *n, size_t count)
{
    for (size_t i = 0; i < count; i++, n++) {
        switch (n->kind) {
        case N_TEXT:
            buf_append(r->out, n->text, n->len);
            break;
        case N_VAR:
            put_value(r->out, lookup_path(r->stack, r->depth, &n->path), 1);
            break;
        case N_RAW:
            if (is_slot(r, n))
                buf_append(r->out, r->slot_bytes, r->slot_len);
            else
                put_value(r->out, lookup_path(r->stack, r->depth, &n->path), 0);
            break;
        case N_URL: {
            /* a URL component: percent-encoded, which leaves nothing that
             * HTML could take for markup either */
            json_t *v = lookup_path(r->stack, r->depth, &n->path);
            if (json_is_string(v)) url_escape(r->out, json_string_value(v));
            break;
        }
        case N_MD: {
            /* Markdown rendered here, at the template, so that a view
             * carries the text people wrote and never HTML: a JSON client
             * gets the source, a page gets safe HTML (cmark drops raw HTML
             * and unsafe links unless told otherwise). */
            json_t *v = lookup_path(r->stack, r->depth, &n->path);
            const char *md = json_string_value(v);
            if (md && *md) {
                char *html =
                    cmark_markdown_to_html(md, strlen(md), CMARK_OPT_DEFAULT | CMARK_OPT_SMART);
                if (html) buf_puts(r->out, html);
                free(html);
            }
            break;
        }
        case N_SECTION:
        case N_INVERTED:
            render_section(r, n);
            break;
        case N_PARTIAL: {
            /* {{>*name}}: the template named by the string name (a
             * dashboard panel's, which the area's view names). */
            const char *tn = n->text;
            const struct tmpl *t = n->partial;
            if (tn[0] == '*') tn = json_string_value(lookup_path(r->stack, r->depth, &n->path));
            if (!t) t = tn ? find(r->set, tn) : NULL;
            if (!t) {
                log_error("tmpl: no partial %s", n->text);
            } else if (r->partials >= MAX_PARTIALS) {
                log_error("tmpl: partials nested too deep at %s", n->text);
            } else {
                r->partials++;
                render_nodes(r, t->root.kids, t->root.nkids);
                r->partials--;
            }
            break;
        }
        case N_TRANS:
            subst(r->out, i18n_get(r->cat, r->lang, n->text), r->stack, r->depth, 1);
            break;
        case N_PLURAL: {
            json_t *cnt = lookup_path(r->stack, r->depth, &n->argpath);
            int64_t k = json_is_integer(cnt) ? json_integer_value(cnt) : 0;
            subst(r->out, i18n_plural(r->cat, r->lang, n->text, k), r->stack, r->depth, 1);
            break;
        }
        }
    }
}

int tmpl_render(const struct tmpl_set *s, const char *name, json_t *ctx, const struct i18n *cat,
                const char *lang, struct buf *out)
{
    const struct tmpl *t = find(s, name);
    if (!t) {
        log_error("tmpl: no template %s", name);
        return -1;
    }
    struct render r = {s, cat, lang, out, {ctx}, 1, 0, NULL, NULL, 0};
    render_nodes(&r, t->root.kids, t->root.nkids);
    return 0;
}

int tmpl_render_slot(const struct tmpl_set *s, const char *name, json_t *ctx,
                     const struct i18n *cat, const char *lang, const char *slot, const char *bytes,
                     size_t len, struct buf *out)
{
    const struct tmpl *t = find(s, name);
    if (!t) {
        log_error("tmpl: no template %s", name);
        return -1;
    }
    struct render r = {s, cat, lang, out, {ctx}, 1, 0, slot, bytes, len};
    buf_reserve(out, len + 4096);
    render_nodes(&r, t->root.kids, t->root.nkids);
    return 0;
}
