/* HTTP test support; see testsrv.h. */
#include "testsrv.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *bin(void)
{
    const char *b = getenv("HRAMADA_BIN");
    return b ? b : "build-test/hramada";
}

/* Runs the binary with args, waits; returns the exit status. */
static int run_cmd(const char *const *args, const char *stdin_text)
{
    int in[2];
    if (pipe(in) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        close(in[1]);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        execv(bin(), (char *const *)args);
        _exit(127);
    }
    close(in[0]);
    if (stdin_text && write(in[1], stdin_text, strlen(stdin_text)) < 0) perror("write");
    close(in[1]);
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int srv_cli(struct srv *s, const char *stdin_text, const char *const *args)
{
    const char *argv[16] = {bin()};
    int n = 1;
    for (; args[n - 1] && n < 12; n++)
        argv[n] = args[n - 1];
    argv[n++] = "--db";
    argv[n++] = s->db;
    argv[n] = NULL;
    return run_cmd(argv, stdin_text);
}

/* The whole of a small file (malloc'd, NUL-terminated; "" when none). */
static char *slurp_small(const char *path)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 4096, len = 0;
    char *b = malloc(cap);
    if (!b) abort();
    for (size_t n; f && (n = fread(b + len, 1, cap - len - 1, f)) > 0;) {
        len += n;
        if (cap - len < 2) {
            char *grown = realloc(b, cap *= 2);
            if (!grown) abort();
            b = grown;
        }
    }
    if (f) fclose(f);
    b[len] = 0;
    return b;
}

int srv_cli_capture(struct srv *s, const char *const *args, char **out, char **err)
{
    const char *argv[16] = {bin()};
    int n = 1;
    for (; args[n - 1] && n < 12; n++)
        argv[n] = args[n - 1];
    argv[n++] = "--db";
    argv[n++] = s->db;
    argv[n] = NULL;
    char po[600], pe[600];
    snprintf(po, sizeof po, "%s/cli.out", s->dir);
    snprintf(pe, sizeof pe, "%s/cli.err", s->dir);
    pid_t pid = fork();
    if (pid == 0) {
        int o = open(po, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(pe, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int null = open("/dev/null", O_RDONLY);
        if (o < 0 || e < 0 || null < 0) _exit(126);
        dup2(null, 0);
        dup2(o, 1);
        dup2(e, 2);
        execv(bin(), (char *const *)argv);
        _exit(127);
    }
    int st = 0;
    if (pid > 0) waitpid(pid, &st, 0);
    if (out) *out = slurp_small(po);
    if (err) *err = slurp_small(pe);
    return pid > 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Starts "serve" on s's database (a new port each time) and waits until it
 * listens: 0, or -1 with a message. */
static int serve(struct srv *s, const char *const *extra)
{
    s->port = 0;
    int out[2];
    if (pipe(out) != 0) return -1;
    const char *argv[24] = {bin(), "serve", "--db", s->db, "--listen", "127.0.0.1:0", "--quiet"};
    int n = 7;
    for (int i = 0; extra && extra[i] && n < 22; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        execv(bin(), (char *const *)argv);
        _exit(127);
    }
    close(out[1]);
    s->pid = pid;
    /* The server prints "serving http://127.0.0.1:PORT/" once it listens. */
    FILE *f = fdopen(out[0], "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        const char *p = strstr(line, "serving http://127.0.0.1:");
        if (p) {
            s->port = atoi(p + strlen("serving http://127.0.0.1:"));
            break;
        }
    }
    /* Keep reading its stdout in the background so it never blocks; the
     * reader ends when the server does, and srv_stop reaps it. */
    pid_t reader = f ? fork() : -1;
    if (reader == 0) {
        while (fgets(line, sizeof line, f))
            ;
        _exit(0);
    }
    s->reader = reader > 0 ? reader : 0;
    if (f) fclose(f);
    if (!s->port) {
        fprintf(stderr, "testsrv: the server did not start\n");
        srv_stop(s);
        return -1;
    }
    snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);
    return 0;
}

int srv_restart(struct srv *s, const char *const *extra_args)
{
    return serve(s, extra_args);
}

int srv_start(struct srv *s, int with_demo, const char *const *extra)
{
    memset(s, 0, sizeof *s);
    snprintf(s->dir, sizeof s->dir, "/tmp/hramada-test-XXXXXX");
    if (!mkdtemp(s->dir)) {
        perror("mkdtemp");
        return -1;
    }
    snprintf(s->db, sizeof s->db, "%s/t.db", s->dir);
    /* Lower argon2id memory for the tests: same algorithm, less waiting. */
    /* cheap hashes, unless a suite asked for real ones (test_signin_flood) */
    setenv("HRAMADA_ARGON2_MEMLIMIT", "65536", 0);
    const char *init[] = {bin(), with_demo ? "demo" : "init", "--db", s->db, NULL};
    if (run_cmd(init, NULL) != 0) {
        fprintf(stderr, "testsrv: %s %s failed\n", bin(), init[1]);
        return -1;
    }
    return serve(s, extra);
}

int srv_halt(struct srv *s)
{
    int status = -1;
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        int st = 0;
        for (int i = 0; i < 200; i++) {
            if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
                status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
                break;
            }
            usleep(50 * 1000);
        }
        if (status < 0) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, &st, 0);
        }
        s->pid = 0;
    }
    if (s->reader > 0) {
        waitpid(s->reader, NULL, 0);
        s->reader = 0;
    }
    return status;
}

int srv_stop(struct srv *s)
{
    int status = srv_halt(s);
    if (s->dir[0]) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
        if (system(cmd) != 0) fprintf(stderr, "testsrv: could not remove %s\n", s->dir);
        s->dir[0] = 0;
    }
    return status;
}

/* ---- client ---- */

struct sink {
    char *data;
    size_t len;
};

static size_t sink_write(char *p, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    size_t k = size * n;
    s->data = realloc(s->data, s->len + k + 1);
    memcpy(s->data + s->len, p, k);
    s->len += k;
    s->data[s->len] = 0;
    return k;
}

void resp_free(struct resp *r)
{
    free(r->body);
    free(r->headers);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

int resp_header(const struct resp *r, const char *name, char *out, size_t n)
{
    size_t nl = strlen(name);
    for (const char *p = r->headers; p && *p;) {
        if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (*v == ' ')
                v++;
            size_t len = strcspn(v, "\r\n");
            if (len >= n) len = n - 1;
            memcpy(out, v, len);
            out[len] = 0;
            return 0;
        }
        const char *eol = strchr(p, '\n');
        p = eol ? eol + 1 : NULL;
    }
    return -1;
}

void client_init(struct client *c, struct srv *s)
{
    memset(c, 0, sizeof *c);
    c->srv = s;
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_COOKIEFILE, ""); /* in-memory cookie jar */
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    c->curl = h;
}

void client_free(struct client *c)
{
    if (c->curl) curl_easy_cleanup(c->curl);
    c->curl = NULL;
}

/* Sends the request prepared on c->curl (method and body set by the
 * caller) with an Accept header, and an extra header line if not NULL. */
static int perform(struct client *c, const char *path, int json, const char *extra,
                   struct resp *out)
{
    CURL *h = c->curl;
    char url[4096];
    snprintf(url, sizeof url, "%s%s", c->srv->base, path);
    struct sink body = {0}, hdr = {0};
    struct curl_slist *hl = NULL;
    hl = curl_slist_append(hl, json ? "Accept: application/json" : "Accept: text/html");
    if (extra) hl = curl_slist_append(hl, extra);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, sink_write);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &hdr);
    CURLcode rc = curl_easy_perform(h);
    curl_slist_free_all(hl);
    memset(out, 0, sizeof *out);
    if (rc != CURLE_OK) {
        fprintf(stderr, "testsrv: %s: %s\n", path, curl_easy_strerror(rc));
        free(body.data);
        free(hdr.data);
        return -1;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
    out->body = body.data ? body.data : strdup("");
    out->len = body.len;
    out->headers = hdr.data ? hdr.data : strdup("");
    char ct[128];
    if (resp_header(out, "Content-Type", ct, sizeof ct) == 0 && strstr(ct, "application/json"))
        out->json = json_loadb(out->body, out->len, 0, NULL);
    return 0;
}

int client_get(struct client *c, const char *path, int json, struct resp *out)
{
    curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
    return perform(c, path, json, NULL, out);
}

int client_post_raw(struct client *c, const char *path, const char *ctype, const char *body,
                    size_t len, int json, struct resp *out)
{
    CURL *h = c->curl;
    char ctline[256];
    snprintf(ctline, sizeof ctline, "Content-Type: %s", ctype);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    int rc = perform(c, path, json, ctline, out);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
    return rc;
}

char *form_encode(const char *const *pairs)
{
    CURL *h = curl_easy_init();
    size_t cap = 256, len = 0;
    char *out = malloc(cap);
    out[0] = 0;
    for (int i = 0; pairs[i] && pairs[i + 1]; i += 2) {
        char *k = curl_easy_escape(h, pairs[i], 0);
        char *v = curl_easy_escape(h, pairs[i + 1], (int)strlen(pairs[i + 1]));
        size_t need = len + strlen(k) + strlen(v) + 3;
        if (need > cap) {
            cap = need * 2;
            char *grown = realloc(out, cap);
            if (!grown) abort();
            out = grown;
        }
        len += (size_t)sprintf(out + len, "%s%s=%s", len ? "&" : "", k, v);
        curl_free(k);
        curl_free(v);
    }
    curl_easy_cleanup(h);
    return out;
}

int client_fetch_csrf(struct client *c, const char *path)
{
    struct resp r;
    if (client_get(c, path ? path : "/login", 1, &r) != 0) return -1;
    const char *t = r.json ? json_string_value(json_object_get(r.json, "csrf")) : NULL;
    if (t) snprintf(c->csrf, sizeof c->csrf, "%s", t);
    resp_free(&r);
    return t ? 0 : -1;
}

int client_post(struct client *c, const char *path, int json, struct resp *out, ...)
{
    if (!c->csrf[0] && client_fetch_csrf(c, "/") != 0) return -1;
    const char *pairs[66];
    int n = 0;
    va_list ap;
    va_start(ap, out);
    const char *k;
    while (n < 62 && (k = va_arg(ap, const char *)) != NULL) {
        pairs[n++] = k;
        pairs[n++] = va_arg(ap, const char *);
    }
    va_end(ap);
    pairs[n++] = "csrf";
    pairs[n++] = c->csrf;
    pairs[n] = NULL;
    char *body = form_encode(pairs);
    int rc = client_post_raw(c, path, "application/x-www-form-urlencoded", body, strlen(body), json,
                             out);
    free(body);
    return rc;
}

int client_login(struct client *c, const char *handle, const char *password)
{
    c->csrf[0] = 0;
    if (client_fetch_csrf(c, "/login") != 0) return -1;
    struct resp r;
    int ok = 0;
    /* A sign-in that finds every hashing place taken is asked to retry
     * (503 hashing_busy): a person presses the button again, and so do
     * suites that sign several clients in at once. */
    for (int tries = 0; tries < 200; tries++) {
        if (client_post(c, "/login", 0, &r, "handle", handle, "password", password, NULL) != 0)
            return -1;
        int busy = r.status == 503 && r.body && strstr(r.body, "hashing_busy");
        ok = r.status == 303;
        resp_free(&r);
        if (!busy) break;
        usleep(20 * 1000);
    }
    /* The token is bound to the session: fetch the new one. */
    c->csrf[0] = 0;
    return ok && client_fetch_csrf(c, "/") == 0 ? 0 : -1;
}
