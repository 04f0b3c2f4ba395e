/* The router; see router.h. Capabilities are checked here and only here. */
#include "core/router.h"
#include "core/app.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/render.h"
#include "core/text.h"

#include <string.h>

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

int router_match_pattern(struct req *r, const char *pat, const char *path)
{
    r->npath_args = 0;
    while (*pat && *path) {
        if (*pat == '{') {
            const char *end = strchr(pat, '}');
            const char *seg_end = strchr(path, '/');
            size_t n = seg_end ? (size_t)(seg_end - path) : strlen(path);
            if (!end || !segment_ok(path, n) || r->npath_args >= 6) return 0;
            r->path_names[r->npath_args] =
                arena_strndup(r->arena, pat + 1, (size_t)(end - pat - 1));
            r->path_args[r->npath_args++] = arena_strndup(r->arena, path, n);
            pat = end + 1;
            path += n;
        } else if (*pat == *path) {
            pat++;
            path++;
        } else {
            return 0;
        }
    }
    return *pat == 0 && *path == 0;
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

static int need_login(struct req *r)
{
    return r->acct ? 403 : 401;
}

int router_check(struct req *r, enum cap cap)
{
    const struct community_ctx *c = r->comm;
    int member = c && c->role != ROLE_NONE;
    switch (cap) {
    case CAP_ANY:
        return 0;
    case CAP_ANON:
        return r->acct ? 403 : 0;
    case CAP_USER:
        return r->acct ? 0 : 401;
    case CAP_COORD:
        return r->acct && (r->acct->is_coord || r->acct->is_admin) ? 0 : need_login(r);
    case CAP_ADMIN:
        return r->acct && r->acct->is_admin ? 0 : need_login(r);
    case CAP_C_SEE:
        return c ? 0 : 404;
    case CAP_C_READ:
        if (!c) return 404;
        return c->visibility == VIS_PUBLIC || member ? 0 : need_login(r);
    case CAP_C_VISITOR:
        if (!c) return 404;
        return r->acct ? 0 : 401;
    case CAP_C_MEMBER:
        return member ? 0 : need_login(r);
    case CAP_C_STAFF:
        return member && (c->role == ROLE_ORGANIZER || c->role == ROLE_FACILITATOR) ? 0
                                                                                    : need_login(r);
    case CAP_C_ORGANIZE:
        return member && c->role == ROLE_ORGANIZER ? 0 : need_login(r);
    case CAP_C_COORD:
        return member && (r->acct->is_coord || r->acct->is_admin) ? 0 : need_login(r);
    }
    return 403;
}

/* ---- parameters ---- */

static int declared(const struct route *rt, const char *name)
{
    if (strcmp(name, "csrf") == 0) return 1;
    for (const char *const *p = rt->params; p && *p; p++)
        if (strcmp(*p, name) == 0) return 1;
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

static const struct route *find_route(struct req *r, int *path_matched)
{
    *path_matched = 0;
    for (const struct route *const *t = r->app->routes; *t; t++) {
        for (const struct route *rt = *t; rt->pattern; rt++) {
            if (!router_match_pattern(r, rt->pattern, r->path)) continue;
            *path_matched = 1;
            if (strcmp(rt->method, r->method) == 0 ||
                (strcmp(r->method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0))
                return rt;
        }
    }
    return NULL;
}

/* A refusal says who may do it, in the words of the capability. */
static const char *forbidden_key(enum cap cap)
{
    switch (cap) {
    case CAP_ANON:
        return "error.forbidden.signed_in";
    case CAP_COORD:
        return "error.forbidden.coord";
    case CAP_ADMIN:
        return "error.forbidden.admin";
    case CAP_C_READ:
    case CAP_C_MEMBER:
        return "error.forbidden.member";
    case CAP_C_STAFF:
        return "error.forbidden.staff";
    case CAP_C_ORGANIZE:
        return "error.forbidden.organize";
    case CAP_C_COORD:
        return "error.forbidden.c_coord";
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
        render_error(r, 403, "forbidden", forbidden_key(r->route ? r->route->cap : CAP_ANY));
}

void router_dispatch(struct req *r)
{
    const char *session = req_cookie(r, "hr_session");
    if (session && r->app->hooks.load_viewer) r->app->hooks.load_viewer(r, session);
    pick_lang(r);
    setup_csrf(r);

    int path_matched;
    const struct route *rt = find_route(r, &path_matched);
    if (!rt) {
        if (path_matched) {
            req_add_header(r, "Allow", strcmp(r->method, "POST") == 0 ? "GET, HEAD" : "POST");
            render_error(r, 405, "method_not_allowed", "error.method");
        } else {
            render_error(r, 404, "not_found", "error.not_found");
        }
        return;
    }
    r->route = rt;
    const char *slug = req_path(r, "slug");
    if (slug && r->app->hooks.load_community && r->app->hooks.load_community(r, slug) != 0) {
        /* Unknown, or secret and not ours: the same answer, byte for byte. */
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    int denied = router_check(r, rt->cap);
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
