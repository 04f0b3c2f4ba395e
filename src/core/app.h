/*
 * The application: configuration read at start-up, and the shared,
 * read-only-after-start parts (templates, catalogs, database pool, routes).
 * Nothing in it changes while requests are served, except inside the
 * database and the hashing gate (a counter behind its own atomic, as the
 * database pool is behind its lock).
 */
#ifndef HR_APP_H
#define HR_APP_H

#include "core/req.h"
#include <stddef.h>
#include <stdint.h>

struct db;
struct gate;
struct tmpl_set;
struct i18n;

struct config {
    const char *db_path;
    const char *listen;   /* "127.0.0.1:8080" */
    const char *base_url; /* "https://example.org" for links; NULL: from Host */
    size_t max_body;      /* bytes; 1 MiB by default */
    size_t max_upload;    /* bytes of a multipart body (a photo); 8 MiB by default */
    int max_fields;       /* form fields per request */
    int threads;          /* 0: one per core */
    int max_conns;        /* open connections in all */
    int max_conns_per_ip; /* per client address (kept in memory only); -1: 128, or none
                             on a loopback or unix listener (behind a proxy) */
    int conn_timeout;     /* seconds of idleness before a connection is closed */
    int header_timeout;   /* seconds a request's headers may take, in all */
    int body_timeout;     /* seconds its body may take, in all */
    int max_reading;      /* connections still reading headers; 0: max_conns / 2 */
    int trust_proxy_tls;  /* honour X-Forwarded-Proto: https from a local proxy */
    int quiet;            /* no request log */
    int cache_mb;         /* SQLite page cache of each connection, MiB */
    int hash_max;         /* password hashes at once; 0: half the workers, at least 1 */
};

void config_defaults(struct config *c);

/* The areas plug into the platform through these hooks (core knows nothing
 * of accounts or communities but what struct req says). */
struct app_hooks {
    /* Fills r->acct from the session token (raw cookie value); 0 if none. */
    void (*load_viewer)(struct req *r, const char *session_token);
    /* Adds to every HTML page's layout context (navigation, counters). */
    void (*layout_extra)(struct req *r, json_t *ctx);
};

struct app {
    struct config cfg;
    struct db *db;
    struct tmpl_set *tmpl;
    struct i18n *cat;
    unsigned char secret[32];                /* keys CSRF tokens; from the database */
    const struct area *const *areas;         /* NULL-terminated (core/area.h) */
    struct route_index *routes;              /* every area's, indexed */
    const struct scope_def *scopes[SCOPE_N]; /* registered by their areas */
    struct app_hooks hooks;
    struct gate *hashing; /* password hashing at once (core/gate.h); NULL: unbounded */
    const char *version;
};

#endif
