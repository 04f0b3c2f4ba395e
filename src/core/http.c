/* The HTTP server; see http.h. */
#include "core/http.h"
#include "core/app.h"
#include "core/db.h"
#include "core/form.h"
#include "core/gate.h"
#include "core/i18n.h"
#include "core/keyring.h"
#include "core/log.h"
#include "core/multipart.h"
#include "core/render.h"
#include "core/router.h"
#include "core/sealtext.h"
#include "core/text.h"
#include "core/watch.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct http_server {
    struct MHD_Daemon *d;
    struct app *app;
    atomic_int active; /* requests being handled: shutdown waits for them */
    int port;
    struct conn_watch *watch; /* deadlines for slow connections (watch.h) */
    char unix_path[128];      /* the socket file of a unix: listener, removed at stop */
};

/* The watch's slot of a connection (set when it started), or -1. */
/* 1 when a request's Content-Type (NULL: none) is a multipart form: its
 * body is parsed as one, and may be as large as an upload. */
static int is_multipart(const char *ct)
{
    return ct && strncasecmp(ct, "multipart/form-data", 19) == 0;
}

static int conn_slot(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? (int)(intptr_t)ci->socket_context - 1 : -1;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct http_server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        int slot = ci ? watch_open(s->watch, ci->connect_fd) : -1;
        *socket_context = (void *)(intptr_t)(slot + 1);
    } else {
        watch_close(s->watch, (int)(intptr_t)*socket_context - 1);
        *socket_context = NULL;
    }
}

/* Per connection-request state, from the first byte to completion. */
struct conn {
    struct arena *arena;
    const char *uri; /* raw, with the query string */
    struct buf body;
    int started;
    int too_large;
    size_t max; /* the body's limit: max_upload for a multipart one */
    struct req *req;
    struct timespec t0;
};

/* ---- struct req helpers ---- */

const char *req_param(struct req *r, const char *name)
{
    const char *v = kvlist_get(&r->query, name);
    return v ? v : kvlist_get(&r->form, name);
}

const char *req_form(struct req *r, const char *name)
{
    return kvlist_get(&r->form, name);
}

int req_param_all(struct req *r, const char *name, const char **out, int max)
{
    int n = 0;
    const struct kvlist *lists[2] = {&r->query, &r->form};
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < lists[l]->n && n < max; i++)
            if (strcmp(lists[l]->v[i].name, name) == 0) out[n++] = lists[l]->v[i].value;
    return n;
}

const char *req_path(struct req *r, const char *name)
{
    for (int i = 0; i < r->npath_args; i++)
        if (strcmp(r->path_names[i], name) == 0) return r->path_args[i];
    return NULL;
}

int64_t req_path_int(struct req *r, const char *name)
{
    int64_t v = 0;
    return str_to_i64(req_path(r, name), &v) == 0 ? v : 0;
}

static void view_release(void *v)
{
    json_decref(v);
}

json_t *req_own(struct req *r, json_t *v)
{
    if (v) arena_defer(r->arena, view_release, v);
    return v;
}

struct hash_hold {
    struct gate *gate;
    int held;
};

void req_hash_done(struct req *r)
{
    struct hash_hold *h = r->hash_hold;
    if (h && h->held) gate_leave(h->gate);
    if (h) h->held = 0;
}

static void hash_release(void *p)
{
    struct hash_hold *h = p;
    if (h->held) gate_leave(h->gate);
}

int req_hash_slot(struct req *r)
{
    if (!r->app->hashing || (r->hash_hold && r->hash_hold->held)) return 1;
    if (!gate_try_enter(r->app->hashing)) return 0;
    if (!r->hash_hold) {
        r->hash_hold = arena_alloc(r->arena, sizeof *r->hash_hold);
        r->hash_hold->gate = r->app->hashing;
        arena_defer(r->arena, hash_release, r->hash_hold);
    }
    r->hash_hold->held = 1;
    return 1;
}

void req_hash_refuse(struct req *r)
{
    req_add_header(r, "Retry-After", "5");
    render_error(r, 503, "hashing_busy", "error.hashing_busy");
}

json_t *req_view(struct req *r)
{
    return req_own(r, json_object());
}

int req_owns(struct req *r, json_t *v)
{
    return arena_deferred(r->arena, view_release, v);
}

int64_t req_page(struct req *r)
{
    int64_t page = 1;
    if (str_to_i64(req_param(r, "page"), &page) != 0 || page < 1 || page > 100000) page = 1;
    return page;
}

const char *req_cookie(struct req *r, const char *name)
{
    return kvlist_get(&r->cookies, name);
}

const char *req_header(struct req *r, const char *name)
{
    if (!r->conn) return NULL;
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

struct dbc *req_db(struct req *r)
{
    if (!r->rd) {
        r->rd = db_reader_acquire(r->app->db);
        sealtext_source(dbc_keys(r->rd), ring_key_source, r);
    }
    return r->rd;
}

struct dbc *req_write_begin(struct req *r)
{
    if (!r->wr) {
        r->wr = db_write_begin(r->app->db);
        if (r->wr) sealtext_source(dbc_keys(r->wr), ring_key_source, r);
    }
    return r->wr;
}

int req_write_end(struct req *r, int ok)
{
    if (!r->wr) return -1;
    int rc = db_write_end(r->app->db, r->wr, ok);
    r->wr = NULL;
    return rc;
}

int req_commit(struct req *r, int wr_rc, const char *conflict_key)
{
    const char *why = wr_reason(r->wr);
    if (wr_rc == WR_OK) {
        if (req_write_end(r, 1) == 0) return 0;
        /* The commit itself failed: a full disk or a broken file, already
         * logged by the database layer. */
        render_error(r, 503, "busy", "error.busy");
        return 503;
    }
    if (r->wr) req_write_end(r, 0);
    switch (wr_rc) {
    case WR_NOT_FOUND:
        render_error(r, 404, "not_found", "error.not_found");
        return 404;
    case WR_CONFLICT:
        render_error(r, 409, "conflict",
                     why            ? why
                     : conflict_key ? conflict_key
                                    : "error.conflict");
        return 409;
    case WR_INVALID:
        render_error(r, 422, "invalid", why ? why : "error.invalid");
        return 422;
    case WR_BUSY:
        render_error(r, 503, "busy", "error.busy");
        return 503;
    default:
        log_error("write failed: %s %s (%s)", r->method, r->path,
                  r->route ? r->route->pattern : "?");
        render_error(r, 500, "internal", "error.internal");
        return 500;
    }
}

void req_add_header(struct req *r, const char *name, const char *value)
{
    kvlist_add(r->arena, &r->headers, arena_strdup(r->arena, name), arena_strdup(r->arena, value),
               strlen(value));
}

void req_set_cookie(struct req *r, const char *name, const char *value, int64_t max_age)
{
    struct buf b;
    buf_init(&b);
    buf_printf(&b, "%s=%s; Path=/; HttpOnly; SameSite=Lax", name, value);
    if (max_age >= 0) buf_printf(&b, "; Max-Age=%lld", (long long)max_age);
    if (r->is_tls) buf_puts(&b, "; Secure");
    req_add_header(r, "Set-Cookie", b.data);
    buf_free(&b);
}

/* ---- libmicrohttpd callbacks ---- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    struct conn *cn = xcalloc(1, sizeof *cn);
    cn->arena = arena_new();
    cn->uri = arena_strdup(cn->arena, uri ? uri : "/");
    /* The query is parsed from the copy above, with a limit on the number
     * of fields. Right after this callback libmicrohttpd would also split
     * its own copy at every '&' into records in the connection's small
     * memory pool, which we never read; a thousand short fields exhaust
     * that pool and the connection then hangs, unanswered, until the
     * timeout. Blanking the separators of its copy (its writable read
     * buffer, handed to us before it parses it) leaves it one field. */
    char *q = uri ? strchr(uri, '?') : NULL;
    for (char *p = q; p && *p; p++)
        if (*p == '&') *p = '_';
    buf_init(&cn->body);
    clock_gettime(CLOCK_MONOTONIC, &cn->t0);
    return cn;
}

static enum MHD_Result collect_kv(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    struct req *r = cls;
    if (!key || !value || !utf8_valid(value, strlen(value)) || r->cookies.n >= 64) return MHD_YES;
    kvlist_add(r->arena, &r->cookies, arena_strdup(r->arena, key), arena_strdup(r->arena, value),
               strlen(value));
    return MHD_YES;
}

static const char CSP[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

static enum MHD_Result send_answer(struct MHD_Connection *c, struct req *r)
{
    size_t len = r->out.len;
    char *body = buf_detach(&r->out);
    if (strcmp(r->method, "HEAD") == 0) {
        free(body);
        body = xstrdup("");
        len = 0;
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type",
                            r->content_type ? r->content_type : "text/plain; charset=utf-8");
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    MHD_add_response_header(resp, "Cache-Control",
                            r->cacheable ? "public, max-age=86400" : "no-store");
    MHD_add_response_header(resp, "Vary", "Accept, Accept-Language, Cookie");
    for (size_t i = 0; i < r->headers.n; i++)
        MHD_add_response_header(resp, r->headers.v[i].name, r->headers.v[i].value);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static int accepts_json(const char *accept)
{
    return accept && strstr(accept, "application/json") && !strstr(accept, "text/html");
}

static struct req *req_new(struct http_server *s, struct conn *cn, struct MHD_Connection *c,
                           const char *url, const char *method)
{
    struct req *r = arena_alloc(cn->arena, sizeof *r);
    memset(r, 0, sizeof *r);
    r->arena = cn->arena;
    r->app = s->app;
    r->conn = c;
    r->method = arena_strdup(r->arena, method);
    r->path = arena_strdup(r->arena, url);
    r->status = 200;
    buf_init(&r->out);
    r->want_json = accepts_json(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept"));
    r->accept_language = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
    const char *proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
    r->is_tls = s->app->cfg.trust_proxy_tls && proto && strcasecmp(proto, "https") == 0;
    MHD_get_connection_values(c, MHD_COOKIE_KIND, collect_kv, r);
    cn->req = r;
    return r;
}

/* libmicrohttpd decodes the path and hands it over NUL-terminated, so a
 * %00 in it would silently cut it short ("/static/style.css%00.html" was
 * served as style.css). The raw URI still has it. */
static int path_has_nul(const char *uri)
{
    size_t n = strcspn(uri, "?");
    for (size_t i = 0; i + 2 < n; i++)
        if (uri[i] == '%' && uri[i + 1] == '0' && uri[i + 2] == '0') return 1;
    return 0;
}

/* Parses the query and the body; answers 400/413/415 itself and returns -1
 * when the request cannot be handled. */
static int parse_input(struct req *r, struct conn *cn, struct MHD_Connection *c)
{
    int max = r->app->cfg.max_fields;
    if (!utf8_valid(r->path, strlen(r->path)) || path_has_nul(cn->uri)) {
        render_error(r, 400, "bad_utf8", "error.bad_utf8");
        return -1;
    }
    const char *q = strchr(cn->uri, '?');
    int rc = q ? form_parse_urlencoded(r->arena, &r->query, q + 1, strlen(q + 1), max) : 0;
    if (rc == PARSE_OK && cn->body.len) {
        const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
        if (ct && str_starts(ct, "application/json")) {
            r->body_json = 1;
            rc = form_parse_json(r->arena, &r->form, cn->body.data, cn->body.len, max);
        } else if (is_multipart(ct)) {
            char boundary[72];
            r->multipart = 1;
            rc = multipart_boundary(ct, boundary) != 0
                     ? PARSE_BAD
                     : multipart_parse(r->arena, &r->form, &r->upload, boundary, cn->body.data,
                                       cn->body.len, max);
        } else if (!ct || str_starts(ct, "application/x-www-form-urlencoded")) {
            if (memchr(cn->body.data, 0, cn->body.len))
                rc = PARSE_BAD_UTF8;
            else
                rc = form_parse_urlencoded(r->arena, &r->form, cn->body.data, cn->body.len, max);
        } else {
            render_error(r, 415, "unsupported_media_type", "error.media_type");
            return -1;
        }
    }
    if (rc == PARSE_BAD_UTF8)
        render_error(r, 400, "bad_utf8", "error.bad_utf8");
    else if (rc == PARSE_TOO_MANY)
        render_error(r, 400, "too_many_fields", "error.too_many_fields");
    else if (rc == PARSE_BAD)
        render_error(r, 400, "bad_body", "error.bad_body");
    return rc == PARSE_OK ? 0 : -1;
}

static void log_request(struct http_server *s, struct conn *cn, struct req *r)
{
    if (s->app->cfg.quiet) return;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms =
        (double)(t1.tv_sec - cn->t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - cn->t0.tv_nsec) / 1e6;
    /* The route's pattern, never the path: a path can name a secret
     * community, and logs leave the server more easily than the database. */
    log_info("%s %s %d %.1fms", r->method, r->route ? r->route->pattern : "-", r->status, ms);
}

/* The visitor's language from the switch's cookie or the browser. */
static const char *early_lang(struct req *r)
{
    const char *l = req_cookie(r, "hr_lang");
    if (!i18n_has_lang(l)) l = i18n_from_accept(r->accept_language);
    return l ? l : "ru";
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    struct http_server *s = cls;
    struct conn *cn = *con_cls;
    if (!cn) return MHD_NO;
    if (!cn->started) {
        cn->started = 1;
        /* the headers are in: the body has its own deadline now */
        watch_phase(s->watch, conn_slot(c), WATCH_BODY);
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        int64_t n;
        /* a photo's form may be larger than any other body; what route
         * may take one is the router's to say (R_UPLOAD) */
        const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
        cn->max = is_multipart(ct) ? s->app->cfg.max_upload : s->app->cfg.max_body;
        if (cl && str_to_i64(cl, &n) == 0 && (n < 0 || (uint64_t)n > cn->max)) cn->too_large = 1;
        if (!cn->too_large) return MHD_YES; /* the body, if any, comes in the next calls */
    }
    if (*upload_size) {
        if (!cn->too_large && cn->body.len + *upload_size <= cn->max)
            buf_append(&cn->body, upload, *upload_size);
        else
            cn->too_large = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    watch_phase(s->watch, conn_slot(c), WATCH_HANDLER);
    atomic_fetch_add(&s->active, 1);
    struct req *r = req_new(s, cn, c, url, method);
    /* The language for answers given before the router runs (it refines
     * this with the account's own setting). */
    r->lang = early_lang(r);
    if (cn->too_large) {
        render_error(r, 413, "too_large", "error.too_large");
        req_add_header(r, "Connection", "close");
    } else if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
               strcmp(method, "POST") != 0) {
        req_add_header(r, "Allow", "GET, HEAD, POST");
        render_error(r, 405, "method_not_allowed", "error.method");
    } else if (parse_input(r, cn, c) == 0) {
        router_dispatch(r);
    }
    /* The answer is built: its connections go back to the pool now, not
     * when it has been sent. A thread serves many connections, and an
     * answer waiting for a slow client would hold its reader while the
     * same thread starts the next request, which then waits for a reader
     * forever once every reader is held that way (seen at 64 connections
     * with pages of 40 KB). */
    if (r->wr) req_write_end(r, 0);
    db_reader_release(s->app->db, r->rd);
    r->rd = NULL;
    if (!r->lang) r->lang = "ru";
    log_request(s, cn, r);
    enum MHD_Result ok = send_answer(c, r);
    atomic_fetch_sub(&s->active, 1);
    return ok;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    struct http_server *s = cls;
    /* a kept-alive connection waits for its next request's headers, with
     * their deadline */
    watch_phase(s->watch, conn_slot(c), WATCH_HEADERS);
    struct conn *cn = *con_cls;
    if (!cn) return;
    if (cn->req) {
        if (cn->req->wr) req_write_end(cn->req, 0);
        db_reader_release(s->app->db, cn->req->rd);
        buf_free(&cn->req->out);
    }
    buf_free(&cn->body);
    arena_free(cn->arena);
    free(cn);
    *con_cls = NULL;
}

int http_listen_parse(const char *listen, struct sockaddr_storage *ss, socklen_t *len)
{
    if (str_starts(listen, "unix:")) {
        const char *path = listen + 5;
        struct sockaddr_un *su = (struct sockaddr_un *)ss;
        if (path[0] != '/' || strlen(path) >= sizeof su->sun_path) return -1;
        memset(ss, 0, sizeof *ss);
        su->sun_family = AF_UNIX;
        memcpy(su->sun_path, path, strlen(path) + 1);
        *len = (socklen_t)sizeof *su;
        return 0;
    }
    const char *colon = strrchr(listen, ':');
    if (!colon) return -1;
    const char *h = listen;
    size_t hn = (size_t)(colon - listen);
    int v6 = 0;
    if (hn >= 2 && h[0] == '[' && h[hn - 1] == ']') { /* [::1]:8080, as in a URL */
        h++;
        hn -= 2;
        v6 = 1;
    }
    char host[64];
    if (hn == 0 || hn >= sizeof host) return -1;
    memcpy(host, h, hn);
    host[hn] = 0;
    int64_t port;
    if (str_to_i64(colon + 1, &port) != 0 || port < 0 || port > 65535) return -1;
    memset(ss, 0, sizeof *ss);
    if (v6) {
        struct sockaddr_in6 *sa = (struct sockaddr_in6 *)ss;
        sa->sin6_family = AF_INET6;
        sa->sin6_port = htons((uint16_t)port);
        *len = sizeof *sa;
        return inet_pton(AF_INET6, host, &sa->sin6_addr) == 1 ? 0 : -1;
    }
    struct sockaddr_in *sa = (struct sockaddr_in *)ss;
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    *len = sizeof *sa;
    if (strcmp(host, "localhost") == 0) strcpy(host, "127.0.0.1");
    return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

/* The listening socket, made here rather than by libmicrohttpd so that a
 * failure is one line that says why (errno is ours to read). -1 when it
 * cannot be had (logged). */
static int listen_socket(const char *addr, const struct sockaddr_storage *ss, socklen_t len)
{
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        log_error("cannot listen on %s: %s", addr, strerror(errno));
        return -1;
    }
    int one = 1;
    /* a restart does not wait for the old connections' TIME_WAIT */
    if (ss->ss_family != AF_UNIX) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    const char *upath =
        ss->ss_family == AF_UNIX ? ((const struct sockaddr_un *)ss)->sun_path : NULL;
    struct stat st;
    /* A socket file left by a server that was killed is removed (never
     * another kind of file); one that a running server answers on is in
     * use, and removing it would cut that server off without a word. */
    if (upath && lstat(upath, &st) == 0 && S_ISSOCK(st.st_mode)) {
        int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int live = probe >= 0 && connect(probe, (const struct sockaddr *)ss, len) == 0;
        if (probe >= 0) close(probe);
        if (live) {
            log_error("address %s is in use; is another hramada running?", addr);
            close(fd);
            return -1;
        }
        unlink(upath);
    }
    if (ss->ss_family == AF_INET6) {
        /* [::] takes IPv4 too (dual stack); a given address only itself */
        const struct sockaddr_in6 *sa = (const struct sockaddr_in6 *)ss;
        int v6only = !IN6_IS_ADDR_UNSPECIFIED(&sa->sin6_addr);
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
    }
    if (bind(fd, (const struct sockaddr *)ss, len) != 0 || listen(fd, 256) != 0) {
        int e = errno;
        if (e == EADDRINUSE)
            log_error("address %s is in use; is another hramada running?", addr);
        else if (e == EACCES)
            log_error("not allowed to listen on %s (ports below 1024 need privileges)", addr);
        else if (e == EADDRNOTAVAIL)
            log_error("cannot listen on %s: no interface of this machine has that address", addr);
        else
            log_error("cannot listen on %s: %s", addr, strerror(e));
        close(fd);
        return -1;
    }
    /* the proxy's group may connect; nobody else (the umask decides the
     * rest of the folder) */
    if (upath && chmod(upath, 0660) != 0) log_warn("cannot chmod %s: %s", upath, strerror(errno));
    return fd;
}

/* Whether every client will have one address (a proxy, an onion service):
 * a loopback or unix listener. */
static int behind_proxy(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_UNIX) return 1;
    if (ss->ss_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
    return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

/* libmicrohttpd's own messages, as our log lines. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "\n")] = 0;
    log_error("http: %s", msg);
}

struct http_server *http_start(struct app *app)
{
    struct sockaddr_storage ss;
    socklen_t sslen = 0;
    if (http_listen_parse(app->cfg.listen, &ss, &sslen) != 0) {
        log_error("cannot use --listen %s (want ADDRESS:PORT, e.g. 127.0.0.1:8080 or [::1]:8080)",
                  app->cfg.listen);
        return NULL;
    }
    int fd = listen_socket(app->cfg.listen, &ss, sslen);
    if (fd < 0) return NULL;
    struct http_server *s = xcalloc(1, sizeof *s);
    s->app = app;
    int max_reading = app->cfg.max_reading > 0 ? app->cfg.max_reading : app->cfg.max_conns / 2;
    s->watch = watch_start(app->cfg.max_conns, app->cfg.header_timeout, app->cfg.body_timeout,
                           max_reading > 0 ? max_reading : 1);
    if (!s->watch) {
        close(fd);
        free(s);
        return NULL;
    }
    if (ss.ss_family == AF_UNIX)
        memcpy(s->unix_path, ((struct sockaddr_un *)&ss)->sun_path,
               sizeof((struct sockaddr_un *)&ss)->sun_path);
    /* Behind a proxy every client has the proxy's address, so a limit per
     * address would be one limit for everyone: none, unless asked. */
    int per_ip = app->cfg.max_conns_per_ip;
    if (per_ip < 0) per_ip = behind_proxy(&ss) ? 0 : 128;
    int threads = app->cfg.threads > 0 ? app->cfg.threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1) threads = 1;
    /* libmicrohttpd wants its logger as the first option, or its own
     * messages before it go out unformatted. */
    unsigned flags =
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_USE_ITC;
    if (ss.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
    s->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)threads, MHD_OPTION_CONNECTION_LIMIT, (unsigned)app->cfg.max_conns,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)per_ip, MHD_OPTION_NOTIFY_CONNECTION,
        on_connection, s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)app->cfg.conn_timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_END);
    if (!s->d) {
        /* libmicrohttpd has said why; it closes the socket it was given */
        log_error("cannot serve on %s (see above)", app->cfg.listen);
        watch_stop(s->watch);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info && info->port
                  ? info->port
                  : ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                   : ((struct sockaddr_in *)&ss)->sin_port);
    return s;
}

int http_port(const struct http_server *s)
{
    return s->port;
}

void http_stop(struct http_server *s)
{
    if (!s) return;
    MHD_socket fd = MHD_quiesce_daemon(s->d); /* no new connections from here on */
    for (int i = 0; i < 100 && atomic_load(&s->active) > 0; i++)
        usleep(50 * 1000);
    MHD_stop_daemon(s->d);
    if (fd != MHD_INVALID_SOCKET) close(fd);
    watch_stop(s->watch);
    if (s->unix_path[0]) unlink(s->unix_path);
    free(s);
}
