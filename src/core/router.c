/* The router; see router.h. Capabilities are checked here and only here. */
#include "core/router.h"
#include "core/app.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/form.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/render.h"
#include "core/text.h"

#include <string.h>

/* ---- patterns ----
 *
 * A pattern is compiled into segments once, when the routes are indexed; a
 * request's path is split once; matching then compares segments without
 * allocating. Only the winning route's parameters are copied out. */

enum seg_kind { SEG_LIT, SEG_WORD, SEG_INT };

enum { MAX_SEGS = 12, MAX_ARGS = 6 };

struct seg {
    enum seg_kind kind;
    const char *s; /* the literal, or the parameter's name */
    size_t n;
};

struct pattern {
    struct seg seg[MAX_SEGS];
    int nseg;
};

/* A {name} segment accepts this much and these bytes (slugs, handles, ids,
 * tokens); anything else cannot name one of our objects. */
static int segment_ok(const char *s, size_t n)
{
    if (n == 0 || n > 128) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return 0;
    }
    return 1;
}

/* A {name:int}: 1 to 18 digits, no sign, no leading zero (one spelling per
 * number), so it always fits an int64_t. */
static int int_ok(const char *s, size_t n)
{
    if (n == 0 || n > 18 || (s[0] == '0' && n > 1)) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

/* Splits "/a/b/c" into segments; -1 when it is not a path of at most
 * MAX_SEGS non-empty segments ("/" alone has none). */
static int split_path(const char *path, struct seg *out)
{
    if (path[0] != '/') return -1;
    int n = 0;
    const char *p = path + 1;
    if (!*p) return 0;
    for (;;) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 0 || n == MAX_SEGS) return -1;
        out[n].kind = SEG_LIT;
        out[n].s = p;
        out[n].n = len;
        n++;
        if (!e) return n;
        p = e + 1;
    }
}

/* 0 with pt filled, or -1 for a malformed pattern: a parameter that is not
 * a whole segment, an unknown type, more than MAX_ARGS parameters. */
static int compile_pattern(const char *pattern, struct pattern *pt)
{
    int nargs = 0;
    pt->nseg = split_path(pattern, pt->seg);
    if (pt->nseg < 0) return -1;
    for (int i = 0; i < pt->nseg; i++) {
        struct seg *g = &pt->seg[i];
        if (g->s[0] != '{') {
            if (memchr(g->s, '{', g->n) || memchr(g->s, '}', g->n)) return -1;
            continue;
        }
        if (g->s[g->n - 1] != '}' || g->n < 3 || ++nargs > MAX_ARGS) return -1;
        const char *colon = memchr(g->s, ':', g->n);
        size_t name_end = colon ? (size_t)(colon - g->s) : g->n - 1;
        if (colon) {
            size_t tn = g->n - 1 - (name_end + 1);
            if (tn != 3 || memcmp(colon + 1, "int", 3) != 0) return -1;
            g->kind = SEG_INT;
        } else {
            g->kind = SEG_WORD;
        }
        if (name_end < 2) return -1;
        g->s++;
        g->n = name_end - 1;
    }
    return 0;
}

static int seg_matches(const struct seg *pat, const struct seg *path)
{
    switch (pat->kind) {
    case SEG_LIT:
        return pat->n == path->n && memcmp(pat->s, path->s, pat->n) == 0;
    case SEG_WORD:
        return segment_ok(path->s, path->n);
    case SEG_INT:
        return int_ok(path->s, path->n);
    }
    return 0;
}

static int pattern_matches(const struct pattern *pt, const struct seg *path, int nseg)
{
    if (pt->nseg != nseg) return 0;
    for (int i = 0; i < nseg; i++)
        if (!seg_matches(&pt->seg[i], &path[i])) return 0;
    return 1;
}

static void fill_args(struct req *r, const struct pattern *pt, const struct seg *path)
{
    r->npath_args = 0;
    for (int i = 0; i < pt->nseg; i++) {
        if (pt->seg[i].kind == SEG_LIT) continue;
        r->path_names[r->npath_args] = arena_strndup(r->arena, pt->seg[i].s, pt->seg[i].n);
        r->path_args[r->npath_args++] = arena_strndup(r->arena, path[i].s, path[i].n);
    }
}

int router_match_pattern(struct req *r, const char *pattern, const char *path)
{
    struct pattern pt;
    struct seg segs[MAX_SEGS];
    r->npath_args = 0;
    int n = split_path(path, segs);
    if (n < 0 || compile_pattern(pattern, &pt) != 0 || !pattern_matches(&pt, segs, n)) return 0;
    fill_args(r, &pt, segs);
    return 1;
}

/* 1 when a wins over b for a path both match: at the first segment where
 * one is a literal and the other a parameter, the literal. */
static int more_specific(const struct pattern *a, const struct pattern *b)
{
    for (int i = 0; i < a->nseg && i < b->nseg; i++) {
        int la = a->seg[i].kind == SEG_LIT, lb = b->seg[i].kind == SEG_LIT;
        if (la != lb) return la;
    }
    return 0;
}

/* 1 when no path can choose between a and b: same length and, segment by
 * segment, the same literal or two parameters. */
static int ambiguous(const struct pattern *a, const struct pattern *b)
{
    if (a->nseg != b->nseg) return 0;
    for (int i = 0; i < a->nseg; i++) {
        const struct seg *x = &a->seg[i], *y = &b->seg[i];
        int lx = x->kind == SEG_LIT, ly = y->kind == SEG_LIT;
        if (lx != ly) return 0;
        if (lx && (x->n != y->n || memcmp(x->s, y->s, x->n) != 0)) return 0;
    }
    return 1;
}

/* ---- the index of routes ---- */

struct route_entry {
    const struct route *rt;
    enum scope scope;
    struct pattern pt;
};

struct route_index {
    struct route_entry *e;
    size_t n;
    const struct scope_def *scopes[SCOPE_N];
};

static int scope_has_param(const struct pattern *pt, const char *param)
{
    for (int i = 0; i < pt->nseg; i++)
        if (pt->seg[i].kind != SEG_LIT && strlen(param) == pt->seg[i].n &&
            memcmp(pt->seg[i].s, param, pt->seg[i].n) == 0)
            return 1;
    return 0;
}

static int check_entry(const struct route_index *ix, const struct route_entry *e)
{
    const struct route *rt = e->rt;
    const struct scope_def *sd = e->scope < SCOPE_N ? ix->scopes[e->scope] : NULL;
    if (e->scope != SCOPE_INSTANCE && (!sd || !scope_has_param(&e->pt, sd->param))) {
        log_error("routes: %s %s: its scope is not registered or its path lacks {%s}", rt->method,
                  rt->pattern, sd ? sd->param : "?");
        return -1;
    }
    int cs = CAP_SCOPE(rt->cap);
    if (cs != SCOPE_INSTANCE && cs != (int)e->scope) {
        log_error("routes: %s %s: a capability of scope %d on a route of scope %d", rt->method,
                  rt->pattern, cs, (int)e->scope);
        return -1;
    }
    return 0;
}

struct route_index *router_index(const struct route_table *const *lists,
                                 const struct scope_def *const *scopes)
{
    struct route_index *ix = xcalloc(1, sizeof *ix);
    for (int s = 0; s < SCOPE_N; s++)
        ix->scopes[s] = scopes ? scopes[s] : NULL;
    size_t cap = 0;
    for (const struct route_table *const *l = lists; *l; l++)
        for (const struct route_table *t = *l; t->routes; t++)
            for (const struct route *rt = t->routes; rt->method; rt++)
                cap++;
    ix->e = xcalloc(cap ? cap : 1, sizeof *ix->e);
    int bad = 0;
    for (const struct route_table *const *l = lists; *l; l++)
        for (const struct route_table *t = *l; t->routes; t++)
            for (const struct route *rt = t->routes; rt->method; rt++) {
                struct route_entry *e = &ix->e[ix->n];
                e->rt = rt;
                e->scope = t->scope;
                if (compile_pattern(rt->pattern, &e->pt) != 0) {
                    log_error("routes: malformed pattern %s", rt->pattern);
                    bad = 1;
                    continue;
                }
                if (check_entry(ix, e) != 0) bad = 1;
                for (size_t k = 0; k < ix->n; k++)
                    if (strcmp(ix->e[k].rt->method, rt->method) == 0 &&
                        ambiguous(&ix->e[k].pt, &e->pt)) {
                        log_error("routes: %s %s and %s could both answer one path", rt->method,
                                  ix->e[k].rt->pattern, rt->pattern);
                        bad = 1;
                    }
                ix->n++;
            }
    if (bad) {
        router_index_free(ix);
        return NULL;
    }
    return ix;
}

static const struct route_entry *find_route(const struct route_index *ix, struct req *r,
                                            int *path_matched);

const struct route *router_lookup(const struct route_index *ix, struct req *r, int *path_matched,
                                  enum scope *scope)
{
    const struct route_entry *e = find_route(ix, r, path_matched);
    if (e && scope) *scope = e->scope;
    return e ? e->rt : NULL;
}

void router_index_free(struct route_index *ix)
{
    if (!ix) return;
    free(ix->e);
    free(ix);
}

size_t router_count(const struct route_index *ix)
{
    return ix->n;
}

const struct route *router_at(const struct route_index *ix, size_t i, enum scope *scope)
{
    if (i >= ix->n) return NULL;
    if (scope) *scope = ix->e[i].scope;
    return ix->e[i].rt;
}

/* ---- viewer, language, CSRF ---- */

static void pick_lang(struct req *r)
{
    const char *l = NULL;
    if (r->acct && i18n_has_lang(r->acct->lang)) l = r->acct->lang;
    if (!l && i18n_has_lang(req_cookie(r, "hr_lang"))) l = req_cookie(r, "hr_lang");
    if (!l) l = i18n_from_accept(r->accept_language);
    r->lang = l ? l : "ru";
}

/* The CSRF token is bound to the session, or for a visitor to a random
 * cookie that is set on the first page they see. */
static void setup_csrf(struct req *r)
{
    char tok[AUTH_TOKEN_LEN + 1];
    const char *binding;
    if (r->acct) {
        binding = r->acct->session_hash;
    } else {
        const char *v = req_cookie(r, "hr_visitor");
        if (!v || strlen(v) != AUTH_TOKEN_LEN || !segment_ok(v, strlen(v))) {
            auth_token_new(tok);
            v = arena_strdup(r->arena, tok);
            req_set_cookie(r, "hr_visitor", v, -1);
        }
        r->anon_token = v;
        binding = arena_printf(r->arena, "visitor:%s", v);
    }
    auth_csrf_token(r->app->secret, binding, tok);
    r->csrf = arena_strdup(r->arena, tok);
}

static int csrf_ok(struct req *r)
{
    const char *given = req_form(r, "csrf");
    if (!given) given = req_header(r, "X-CSRF-Token");
    return auth_equal(given, r->csrf);
}

/* ---- capabilities ---- */

int req_refusal(const struct req *r)
{
    return r->acct ? 403 : 401;
}

/* The instance's own capabilities. */
static int instance_can(struct req *r, enum cap cap)
{
    switch (cap) {
    case CAP_ANY:
        return 0;
    case CAP_ANON:
        return r->acct ? 403 : 0;
    case CAP_USER:
        return r->acct ? 0 : 401;
    case CAP_COORD:
        return r->acct && (r->acct->is_coord || r->acct->is_admin) ? 0 : req_refusal(r);
    case CAP_ADMIN:
        return r->acct && r->acct->is_admin ? 0 : req_refusal(r);
    default:
        return 403;
    }
}

int req_can(struct req *r, enum cap cap)
{
    int s = CAP_SCOPE(cap);
    if (s == SCOPE_INSTANCE) return instance_can(r, cap);
    const struct scope_def *sd = s < SCOPE_N && r->app ? r->app->scopes[s] : NULL;
    return sd && sd->can ? sd->can(r, cap) : 403;
}

int req_has(struct req *r, enum cap cap)
{
    return req_can(r, cap) == 0;
}

/* ---- parameters ---- */

static int declared(const struct route *rt, const char *name)
{
    if (strcmp(name, "csrf") == 0) return 1;
    for (const char *const *p = rt->params; p && *p; p++)
        if (strcmp(*p, name) == 0) return 1;
    for (const struct field *f = rt->form; f && f->name; f++)
        if (strcmp(f->name, name) == 0) return 1;
    return 0;
}

static void drop_undeclared(struct kvlist *l, const struct route *rt)
{
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++)
        if (declared(rt, l->v[i].name)) l->v[k++] = l->v[i];
    l->n = k;
}

/* ---- dispatch ---- */

/* The most specific route for the path and method; *path_matched tells a
 * 405 from a 404. Fills the winner's parameters. */
static const struct route_entry *find_route(const struct route_index *ix, struct req *r,
                                            int *path_matched)
{
    *path_matched = 0;
    struct seg segs[MAX_SEGS];
    int n = split_path(r->path, segs);
    if (n < 0) return NULL;
    int head = strcmp(r->method, "HEAD") == 0;
    const struct route_entry *best = NULL;
    for (size_t i = 0; i < ix->n; i++) {
        const struct route_entry *e = &ix->e[i];
        if (!pattern_matches(&e->pt, segs, n)) continue;
        *path_matched = 1;
        if (strcmp(e->rt->method, r->method) != 0 && !(head && strcmp(e->rt->method, "GET") == 0))
            continue;
        if (!best || more_specific(&e->pt, &best->pt)) best = e;
    }
    if (best) fill_args(r, &best->pt, segs);
    return best;
}

/* A refusal says who may do it, in the words of the capability. */
static const char *forbidden_key(struct req *r, enum cap cap)
{
    int s = CAP_SCOPE(cap);
    const struct scope_def *sd = s > 0 && s < SCOPE_N ? r->app->scopes[s] : NULL;
    if (sd && sd->denied_key) return sd->denied_key(cap);
    switch (cap) {
    case CAP_ANON:
        return "error.forbidden.signed_in";
    case CAP_COORD:
        return "error.forbidden.coord";
    case CAP_ADMIN:
        return "error.forbidden.admin";
    default:
        return "error.forbidden";
    }
}

static void answer_denied(struct req *r, int status)
{
    if (status == 401 && !r->want_json && strcmp(r->method, "GET") == 0) {
        struct buf b;
        buf_init(&b);
        buf_puts(&b, "/login?next=");
        url_escape(&b, r->path);
        render_redirect(r, arena_strdup(r->arena, b.data), NULL);
        buf_free(&b);
        return;
    }
    if (status == 404)
        render_error(r, 404, "not_found", "error.not_found");
    else if (status == 401)
        render_error(r, 401, "unauthorized", "error.unauthorized");
    else
        render_error(r, 403, "forbidden", forbidden_key(r, r->route ? r->route->cap : CAP_ANY));
}

void router_dispatch(struct req *r)
{
    const char *session = req_cookie(r, "hr_session");
    if (session && r->app->hooks.load_viewer) r->app->hooks.load_viewer(r, session);
    pick_lang(r);
    setup_csrf(r);

    int path_matched;
    const struct route_entry *e = find_route(r->app->routes, r, &path_matched);
    if (!e) {
        if (path_matched) {
            req_add_header(r, "Allow", strcmp(r->method, "POST") == 0 ? "GET, HEAD" : "POST");
            render_error(r, 405, "method_not_allowed", "error.method");
        } else {
            render_error(r, 404, "not_found", "error.not_found");
        }
        return;
    }
    const struct route *rt = e->rt;
    r->route = rt;
    r->scope = e->scope;
    /* Only a route that says it takes a file takes a multipart body: no
     * other form grows a file input, or a body of max_upload, by accident. */
    if (r->multipart && !(rt->flags & R_UPLOAD)) {
        render_error(r, 415, "unsupported_media_type", "error.media_type");
        return;
    }
    if (e->scope != SCOPE_INSTANCE) {
        const struct scope_def *sd = r->app->scopes[e->scope];
        if (sd->load(r, req_path(r, sd->param)) != 0) {
            /* Unknown, or secret and not ours: the same answer, byte for
             * byte. */
            render_error(r, 404, "not_found", "error.not_found");
            return;
        }
    }
    int denied = req_can(r, rt->cap);
    if (denied) {
        answer_denied(r, denied);
        return;
    }
    if (strcmp(r->method, "POST") == 0 && !(rt->flags & R_NO_CSRF) && !csrf_ok(r)) {
        render_error(r, 403, "csrf", "error.csrf");
        return;
    }
    drop_undeclared(&r->query, rt);
    drop_undeclared(&r->form, rt);
    rt->handler(r);
    if (r->wr) {
        log_error("bug: %s %s returned with a write open; rolled back", rt->method, rt->pattern);
        req_write_end(r, 0);
    }
}
