/*
 * A request and its answer, the route table and the capabilities.
 *
 * Every allocation made for a request comes from r->arena and is freed at
 * once when libmicrohttpd reports the request complete; handlers never free.
 * jansson views are reference-counted: render_* takes the reference it is
 * given.
 */
#ifndef HR_REQ_H
#define HR_REQ_H

#include "core/util.h"
#include <jansson.h>
#include <stdint.h>

struct app;
struct dbc;
struct ring;

struct kv {
    const char *name;
    const char *value; /* NUL-terminated; may be "" */
    size_t len;
};

struct kvlist {
    struct kv *v;
    size_t n, cap;
};

/* The one file of a multipart/form-data body, in the request's arena:
 * what the browser said of it (its field, its name and type, none of them
 * to be trusted) and its bytes. */
struct upload {
    const char *field;
    const char *filename; /* as sent; never used as a path */
    const char *type;     /* as sent; the bytes decide (core/image.h) */
    const unsigned char *data;
    size_t len;
};

/* The signed-in account (NULL when anonymous). */
struct account {
    int64_t id;
    const char *handle;
    const char *display_name;
    const char *lang;
    int is_admin;
    int is_coord;
    const char *session_hash; /* hex of the session token's hash */
};

/* Visibility of a community. */
enum visibility { VIS_PUBLIC = 0, VIS_CLOSED = 1, VIS_SECRET = 2 };

/* Roles in a community; a membership has exactly one. */
enum role {
    ROLE_NONE = 0,
    ROLE_MEMBER = 1,
    ROLE_ORGANIZER = 2,
    ROLE_FACILITATOR = 3,
    ROLE_MENTOR = 4,
    ROLE_EXPERT = 5
};

/* The community named by {slug} in the path, with the viewer's role. The
 * router fills it before a handler runs. */
struct community_ctx {
    int64_t id;
    const char *slug;
    const char *name;
    enum visibility visibility;
    enum role role;
    /* The viewer as a member of this community (a community-local id,
     * migration 045), 0 when not a member. What an area stores about a
     * person of the community names this, never the account. */
    int64_t member_id;
    /* The community has a data key (sealing): its texts are sealed. */
    int sealed;
};

/* Where a route lives: the object its path names, whose rules decide who
 * may do what. The instance is everything outside any object; each other
 * scope is registered by the area that owns it (the community area owns
 * SCOPE_COMMUNITY), with the path parameter that names its object. */
enum scope {
    SCOPE_INSTANCE = 0,
    SCOPE_COMMUNITY = 1,
    SCOPE_PROGRAMME = 2,
    SCOPE_COALITION = 3,
    SCOPE_MAP = 4,
    SCOPE_N
};

/* What a route or a part of a view requires. Capabilities belong to
 * scopes: CAP_SCOPE(cap) is the scope that answers for it, so the instance's
 * are decided in core and a community's in the community area, nowhere
 * else. Checked in one place, req_can(). */
#define CAP_SCOPE(cap) ((int)(cap) / 100)
enum cap {
    CAP_ANY = 0, /* anyone, signed in or not */
    CAP_ANON,    /* only when signed out (sign-in, sign-up forms) */
    CAP_USER,    /* signed in */
    CAP_COORD,   /* programme coordinator or admin */
    CAP_ADMIN,   /* instance administrator */

    CAP_C_SEE = 100, /* the community's name and description: listed ones to all */
    CAP_C_READ,      /* its content: public ones to all, else members */
    CAP_C_VISITOR,   /* signed in, and the community is visible to them */
    CAP_C_MEMBER,    /* a member in any role */
    CAP_C_STAFF,     /* organizer or facilitator */
    CAP_C_ORGANIZE,  /* organizer */
    CAP_C_COORD,     /* a member who is also a programme coordinator (or admin) */
};

enum route_flags {
    R_NO_CSRF = 1, /* a POST that needs no CSRF token (none today) */
    R_UPLOAD = 2,  /* a POST that takes multipart/form-data with one file (core/multipart.h) */
};

struct req;
struct field;
typedef void (*handler_fn)(struct req *r);

/* A route. Path parameters are {name} (a word: letters, digits, '-', '_',
 * '.') or {name:int} (a positive decimal number); a literal segment always
 * wins over a parameter, and two routes that could both answer one path
 * stop the server at start-up. */
struct route {
    const char *method;  /* "GET" or "POST" */
    const char *pattern; /* "/c/{slug}/members/{handle}" */
    enum cap cap;
    unsigned flags;
    const char *const *params; /* accepted query/form fields, NULL-terminated; "csrf" implied */
    handler_fn handler;
    const struct field *form; /* the form's fields (form.h), accepted as params too */
};

/* An area's routes in one scope; an array of them ends with routes NULL. */
struct route_table {
    enum scope scope;
    const struct route *routes; /* ends with {0} */
};

/* A scope, as the area that owns it registers it (struct app). */
struct scope_def {
    const char *param; /* the path parameter naming the object: "slug" */
    /* Loads the object (and the viewer's place in it) into the request: 0,
     * or -1 when there is none the viewer may know of (404). */
    int (*load)(struct req *r, const char *value);
    /* 0 when the viewer holds cap (one of this scope's), else the status
     * to answer: 401, 403 or 404. */
    int (*can)(struct req *r, enum cap cap);
    /* The catalog key of the sentence that says who may (403 pages). */
    const char *(*denied_key)(enum cap cap);
};

struct req {
    struct arena *arena;
    const struct app *app;
    const char *method;
    const char *path;
    struct kvlist query; /* from the URL */
    struct kvlist form;  /* from the body (urlencoded or JSON) */
    struct kvlist cookies;
    const char *path_args[6]; /* {name} values in pattern order, {slug} included */
    const char *path_names[6];
    int npath_args;
    const char *accept_language;
    int want_json;         /* Accept: application/json */
    int body_json;         /* the body was JSON */
    int multipart;         /* the body was multipart/form-data (R_UPLOAD routes only) */
    struct upload *upload; /* its file, or NULL */
    int is_tls;            /* served over TLS (by a proxy that says so) */
    struct account *acct;
    struct community_ctx *comm;
    const char *lang;
    const char *csrf;       /* the token forms must carry */
    const char *anon_token; /* the visitor cookie that anonymous CSRF binds to */
    const struct route *route;
    enum scope scope; /* the route's */
    struct dbc *rd;   /* the reader, taken on first use */
    struct dbc *wr;   /* the writer while a write transaction is open */
    void *conn;       /* the libmicrohttpd connection */
    /* The viewer's secret key once opened (core/seal.c, lazily: most
     * requests never need it), owned by the request and wiped at its end;
     * seal_tried says it was looked for, so a miss is not retried. */
    const unsigned char *seal_sk;
    int seal_tried;
    /* The viewer's keyring entries (core/keyring.c), the same way. */
    struct ring *seal_ring;
    int seal_ring_tried;
    struct hash_hold *hash_hold; /* its place in the hashing gate (req_hash_slot) */

    /* the answer */
    int status;
    struct buf out;
    const char *content_type;
    struct kvlist headers;
    int cacheable; /* static files: allow caching */
};

/* Parameters: query first, then form. NULL when absent. */
const char *req_param(struct req *r, const char *name);
const char *req_form(struct req *r, const char *name); /* body only */
const char *req_path(struct req *r, const char *name); /* a {name} of the pattern */
/* A {name:int} of the pattern (the router matched digits only); 0 when
 * absent. */
int64_t req_path_int(struct req *r, const char *name);
/* 0 when the viewer holds cap, else the HTTP status a refusal answers (401,
 * 403, 404). The one capability check: the router asks it for a route, and
 * handlers and views for a link, a button or a field. */
int req_can(struct req *r, enum cap cap);
/* What a refusal answers when the viewer lacks a capability: 401 to the
 * anonymous (they may sign in), 403 to the signed-in. For scopes' can(). */
int req_refusal(const struct req *r);
/* 1 when the viewer holds cap (req_can == 0). */
int req_has(struct req *r, enum cap cap);
/* A new view object that belongs to the request: released with it, so a
 * handler never releases one. render_* leave such views alone. */
json_t *req_view(struct req *r);
/* 1 when this request may hash a password now (argon2id: sign-in, sign-up,
 * a password change), holding one of the hashing gate's places until the
 * request ends or req_hash_done(); 0 when every place is taken: answer
 * with req_hash_refuse() rather than wait (core/gate.h says why). */
int req_hash_slot(struct req *r);
/* Gives the place back as soon as the hashing is over: the request's end
 * comes only after its answer was sent, and a client's next request may
 * arrive before it. */
void req_hash_done(struct req *r);
/* The answer to a request that found no place: 503 with Retry-After, as an
 * HTML page or a JSON error whose code is "hashing_busy". */
void req_hash_refuse(struct req *r);
/* Makes v (a new reference the caller holds) the request's; returns v. */
json_t *req_own(struct req *r, json_t *v);
/* 1 when v belongs to the request (req_view, req_own). */
int req_owns(struct req *r, json_t *v);
const char *req_cookie(struct req *r, const char *name);
/* The "page" parameter of a paged list: 1..100000, 1 when absent or not a
 * number in that range (a list just shows its first page). */
int64_t req_page(struct req *r);
const char *req_header(struct req *r, const char *name);
/* The reader connection for this request (taken from the pool on first use,
 * given back when the request ends). */
struct dbc *req_db(struct req *r);
/* Opens the write transaction (BEGIN IMMEDIATE on the one writer); NULL if
 * the database refused. Close it with req_write_end: commit when ok. If a
 * handler returns with it open, the router rolls it back and logs a bug. */
struct dbc *req_write_begin(struct req *r);
int req_write_end(struct req *r, int ok);
/* Ends the write transaction with the model's result (enum wr, db.h): on
 * WR_OK commits and returns 0, and the handler answers (a redirect); else
 * rolls back and answers itself: 404, 409 with the reason the model
 * recorded (or conflict_key), 422, 503 for a busy database, 500 logged with
 * the route for anything unexpected. A NULL writer (begin failed) is busy.
 * Returns the status it answered. */
int req_commit(struct req *r, int wr_rc, const char *conflict_key);
/* All values of a repeated field (checkbox groups), up to max; returns the
 * count. */
int req_param_all(struct req *r, const char *name, const char **out, int max);
void req_add_header(struct req *r, const char *name, const char *value);
/* Sets a cookie: HttpOnly, SameSite=Lax, Path=/, Secure over TLS. max_age
 * < 0 makes a session cookie, 0 deletes. */
void req_set_cookie(struct req *r, const char *name, const char *value, int64_t max_age);

void kvlist_add(struct arena *a, struct kvlist *l, const char *name, const char *value, size_t len);
const char *kvlist_get(const struct kvlist *l, const char *name);

#endif
