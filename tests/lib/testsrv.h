/*
 * HTTP test support: a real hramada server (the built binary) on a free
 * loopback port with a fresh database in a temporary directory, and a
 * libcurl client per simulated person, each with its own cookie jar.
 *
 * The server binary is $HRAMADA_BIN, or build-test/hramada by default.
 */
#ifndef HR_TESTSRV_H
#define HR_TESTSRV_H

#include <jansson.h>
#include <stddef.h>

struct srv {
    int pid;
    int reader; /* the process that drains the server's output */
    int port;
    char dir[256]; /* temporary directory, removed by srv_stop */
    char db[300];
    char base[64]; /* "http://127.0.0.1:PORT" */
};

/* Starts a server on a fresh database; with_demo fills it with the demo
 * first. Returns 0, or -1 with a message. extra_args: NULL-terminated extra
 * options for serve (may be NULL). */
int srv_start(struct srv *s, int with_demo, const char *const *extra_args);
/* SIGTERM, waits for a clean exit (returns its exit status; a server that
 * does not stop within 10 s is killed) and keeps the directory, so that the
 * database file can be checked. */
int srv_halt(struct srv *s);
/* Serves s's database again after srv_halt (a new port: cookies do not
 * depend on it, so every client keeps its session). 0, or -1. */
int srv_restart(struct srv *s, const char *const *extra_args);
/* srv_halt, then removes the directory. */
int srv_stop(struct srv *s);
/* Runs "hramada ARGS..." against the server's database (for user admin);
 * returns the exit status. */
int srv_cli(struct srv *s, const char *stdin_text, const char *const *args);
/* The same with no input, its standard output and error into *out and
 * *err (malloc'd, NUL-terminated; either may be NULL). */
int srv_cli_capture(struct srv *s, const char *const *args, char **out, char **err);

struct resp {
    long status;
    char *body; /* malloc'd, NUL-terminated */
    size_t len;
    char *headers; /* raw header block of the final response */
    json_t *json;  /* parsed body when it is JSON, else NULL */
};
void resp_free(struct resp *r);
/* The value of a response header (case-insensitive) into out; 0 if found. */
int resp_header(const struct resp *r, const char *name, char *out, size_t n);

struct client {
    void *curl;
    struct srv *srv;
    char csrf[128];
};

void client_init(struct client *c, struct srv *s);
void client_free(struct client *c);

/* GET path; json asks for application/json. Redirects are not followed. */
int client_get(struct client *c, const char *path, int json, struct resp *out);
/* POST a urlencoded body (already encoded) as is. */
int client_post_raw(struct client *c, const char *path, const char *ctype, const char *body,
                    size_t len, int json, struct resp *out);
/* POST fields (NULL-terminated name, value, name, value, ..., NULL), adding
 * the CSRF token (fetched from the JSON of csrf_page when the client has
 * none yet; pass NULL for "/login"). */
int client_post(struct client *c, const char *path, int json, struct resp *out, ...);
/* Refreshes c->csrf from the JSON view of path. */
int client_fetch_csrf(struct client *c, const char *path);
/* Signs in; 0 when the server answered 303 and set a session. */
int client_login(struct client *c, const char *handle, const char *password);

/* "a=b&c=d" from pairs (url-encoded); malloc'd. */
char *form_encode(const char *const *pairs);

#endif
