/* webdriver.c - a minimal W3C WebDriver client (see webdriver.h). */
#include "webdriver.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define ELEMENT_KEY "element-6066-11e4-a52e-4f735466cecf"
#define HTTP_TIMEOUT_S 30L
#define START_TIMEOUT_MS 20000LL
#define PAGE_LOAD_TIMEOUT_MS 30000
#define STOP_TIMEOUT_MS 5000LL
#define START_ATTEMPTS 3

extern char **environ;

struct wd {
    CURL *curl;                   /* one handle, so the connection to chromedriver is reused */
    pid_t driver;                 /* chromedriver pid = its process group id; 0 when none */
    char base[48];                /* "http://127.0.0.1:PORT" */
    char *session;                /* "/session/<id>" (owned), NULL before the session exists */
    char *profile;                /* Chromium --user-data-dir (owned), NULL if not created */
    char errbuf[CURL_ERROR_SIZE]; /* curl's error text for the last request */
};

struct buf {
    char *data;
    size_t len;
};

/* ---------------------------------------------------------------- utils */

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* printf into a new string; the result is malloc'd and owned by the caller
 * (NULL on allocation failure). */
static char *fmt(const char *f, ...)
{
    va_list ap;
    char *s = NULL;
    va_start(ap, f);
    int n = vasprintf(&s, f, ap);
    va_end(ap);
    return n < 0 ? NULL : s;
}

/* strdup that reports failure; the result is owned by the caller. */
static char *dup_str(const char *s)
{
    char *d = strdup(s);
    if (!d) fprintf(stderr, "webdriver: out of memory\n");
    return d;
}

/* ----------------------------------------------------------------- HTTP */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct buf *b = ud;
    size_t k = size * n;
    char *d = realloc(b->data, b->len + k + 1);
    if (!d) return 0;
    memcpy(d + b->len, p, k);
    b->len += k;
    d[b->len] = '\0';
    b->data = d;
    return k;
}

/* Sets up w->curl for one request; body != NULL makes it a POST. */
static void http_setup(struct wd *w, const char *method, const char *url, const char *body,
                       struct curl_slist *hdr, struct buf *b)
{
    CURL *c = w->curl;
    curl_easy_reset(c); /* keeps the connection cache */
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, HTTP_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*"); /* ignore http_proxy & co. */
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
    w->errbuf[0] = '\0';
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, w->errbuf);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    } else if (strcmp(method, "GET") != 0) {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    }
}

/* Performs one HTTP request to chromedriver and parses the JSON answer.
 * Returns a new reference owned by the caller, or NULL (with a message on
 * stderr unless quiet). */
static json_t *http(struct wd *w, const char *method, const char *path, const char *body, int quiet)
{
    struct buf b = {NULL, 0};
    char *url = fmt("%s%s", w->base, path);
    struct curl_slist *hdr =
        curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
    json_t *root = NULL;
    if (url && hdr) {
        http_setup(w, method, url, body, hdr, &b);
        CURLcode rc = curl_easy_perform(w->curl);
        if (rc != CURLE_OK && !quiet)
            fprintf(stderr, "webdriver: %s %s: %s\n", method, path,
                    w->errbuf[0] ? w->errbuf : curl_easy_strerror(rc));
        json_error_t jerr;
        if (rc == CURLE_OK) root = json_loadb(b.data ? b.data : "", b.len, 0, &jerr);
        if (rc == CURLE_OK && !root && !quiet)
            fprintf(stderr, "webdriver: %s %s: bad JSON answer: %s\n", method, path, jerr.text);
    } else {
        fprintf(stderr, "webdriver: out of memory\n");
    }
    curl_slist_free_all(hdr);
    free(url);
    free(b.data);
    return root;
}

/* If v is a WebDriver error object, reports it and returns 1. */
static int report_error(const char *method, const char *path, json_t *v)
{
    const char *err = json_string_value(json_object_get(v, "error"));
    if (!err) return 0;
    const char *msg = json_string_value(json_object_get(v, "message"));
    fprintf(stderr, "webdriver: %s %s: %s: %s\n", method, path, err, msg ? msg : "");
    return 1;
}

/* Sends a command to chromedriver.  body is consumed (stolen reference; may
 * be NULL, POSTs then send {}).  Returns the answer's "value" member as a new
 * reference owned by the caller (json null for commands without a result),
 * or NULL after reporting the error on stderr. */
static json_t *driver_cmd(struct wd *w, const char *method, const char *path, json_t *body)
{
    char *text = NULL;
    if (strcmp(method, "POST") == 0) {
        text = body ? json_dumps(body, JSON_COMPACT) : strdup("{}");
        if (!text) fprintf(stderr, "webdriver: %s %s: cannot encode request\n", method, path);
    }
    json_decref(body);
    if (!text && strcmp(method, "POST") == 0) return NULL;
    json_t *root = http(w, method, path, text, 0);
    free(text);
    json_t *v = json_object_get(root, "value");
    if (root && !v) fprintf(stderr, "webdriver: %s %s: answer has no value\n", method, path);
    if (v && report_error(method, path, v)) v = NULL;
    json_incref(v);
    json_decref(root);
    return v;
}

/* Like driver_cmd, for a path relative to the session ("/url", ...).
 * Returns a new reference owned by the caller, or NULL. */
static json_t *cmd(struct wd *w, const char *method, const char *rel, json_t *body)
{
    if (!w || !w->session) {
        fprintf(stderr, "webdriver: %s %s: no session\n", method, rel);
        json_decref(body);
        return NULL;
    }
    char *path = fmt("%s%s", w->session, rel);
    if (!path) {
        fprintf(stderr, "webdriver: out of memory\n");
        json_decref(body);
        return NULL;
    }
    json_t *v = driver_cmd(w, method, path, body);
    free(path);
    return v;
}

/* Runs a command whose result does not matter; 0 on success. */
static int cmd_ok(struct wd *w, const char *method, const char *rel, json_t *body)
{
    json_t *v = cmd(w, method, rel, body);
    json_decref(v);
    return v ? 0 : -1;
}

/* Runs a command returning a string; the result is malloc'd and owned by
 * the caller, NULL on error. */
static char *cmd_str(struct wd *w, const char *method, const char *rel)
{
    json_t *v = cmd(w, method, rel, NULL);
    const char *s = json_string_value(v);
    if (v && !s) fprintf(stderr, "webdriver: %s %s: result is not a string\n", method, rel);
    char *r = s ? dup_str(s) : NULL;
    json_decref(v);
    return r;
}

/* -------------------------------------------------------------- elements */

/* All elements matching css, as a JSON array (new reference owned by the
 * caller), NULL on error. */
static json_t *find_all(struct wd *w, const char *css)
{
    json_t *body = json_pack("{s:s, s:s}", "using", "css selector", "value", css);
    json_t *v = cmd(w, "POST", "/elements", body);
    if (v && !json_is_array(v)) {
        fprintf(stderr, "webdriver: POST /elements: result is not an array\n");
        json_decref(v);
        v = NULL;
    }
    return v;
}

/* WebDriver id of the first element matching css; malloc'd, owned by the
 * caller.  NULL on error (with a message) or if nothing matches (with a
 * message unless quiet). */
static char *find_first(struct wd *w, const char *css, int quiet)
{
    json_t *all = find_all(w, css);
    if (!all) return NULL;
    const char *id = json_string_value(json_object_get(json_array_get(all, 0), ELEMENT_KEY));
    if (!id && (!quiet || json_array_size(all) > 0))
        fprintf(stderr, "webdriver: no element matches CSS selector \"%s\"\n", css);
    char *r = id ? dup_str(id) : NULL;
    json_decref(all);
    return r;
}

/* Runs a command on the element with id: rel is appended to
 * "/element/<id>".  body is consumed.  Returns the value (new reference
 * owned by the caller) or NULL. */
static json_t *elem_cmd(struct wd *w, const char *id, const char *method, const char *rel,
                        json_t *body)
{
    char *path = fmt("/element/%s%s", id, rel);
    if (!path) {
        json_decref(body);
        return NULL;
    }
    json_t *v = cmd(w, method, path, body);
    free(path);
    return v;
}

/* Command on the first element matching css; 0 on success. body is consumed. */
static int on_first(struct wd *w, const char *css, const char *rel, json_t *body)
{
    char *id = find_first(w, css, 0);
    json_t *v = id ? elem_cmd(w, id, "POST", rel, body) : (json_decref(body), NULL);
    free(id);
    json_decref(v);
    return v ? 0 : -1;
}

/* String result of a GET on the first element matching css; malloc'd,
 * owned by the caller.  NULL without a message if nothing matches or the
 * result is not a string (e.g. null); NULL with a message on error. */
static char *first_str(struct wd *w, const char *css, const char *rel)
{
    char *id = find_first(w, css, 1);
    json_t *v = id ? elem_cmd(w, id, "GET", rel, NULL) : NULL;
    const char *s = json_string_value(v);
    char *r = s ? dup_str(s) : NULL;
    json_decref(v);
    free(id);
    return r;
}

/* ---------------------------------------------------------- chromedriver */

/* A free TCP port on 127.0.0.1 (found by binding port 0), or -1. */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = -1;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* In the forked child: own process group, die with the parent, output to
 * /dev/null, exec.  Only async-signal-safe calls. */
static void exec_driver(char *const argv[], char *const envp[], pid_t parent)
{
    setpgid(0, 0);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);
#else
    (void)parent;
#endif
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        if (null > STDERR_FILENO) close(null);
    }
    execve(argv[0], argv, envp);
    _exit(127);
}

/* A copy of the environment with TMPDIR replaced by `var` ("TMPDIR=...").
 * The array is malloc'd and owned by the caller (free only the array; the
 * strings stay owned by environ and the caller). */
static char **env_with_tmpdir(char *var)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 2, sizeof *env);
    if (!env) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "TMPDIR=", 7) != 0) env[k++] = environ[i];
    env[k] = var;
    return env;
}

/* Forks and execs chromedriver; returns its pid or -1. */
static pid_t fork_driver(char *const argv[], char *const envp[])
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) exec_driver(argv, envp, parent);
    if (pid < 0) fprintf(stderr, "webdriver: fork: %s\n", strerror(errno));
    if (pid > 0) setpgid(pid, pid); /* also done in the child; avoids a race */
    return pid;
}

/* Starts chromedriver on port, with TMPDIR pointing into our own temporary
 * directory: Chromium puts org.chromium.Chromium.* directories there and
 * leaves some behind when chromedriver has to kill it (seen under load).
 * Returns its pid or -1. */
static pid_t spawn_driver(const struct wd *w, int port)
{
    const char *bin = getenv("HRAMADA_CHROMEDRIVER");
    if (!bin || !*bin) bin = "/usr/bin/chromedriver";
    if (access(bin, X_OK) != 0) {
        fprintf(stderr, "webdriver: cannot run %s: %s\n", bin, strerror(errno));
        return -1;
    }
    char portarg[32];
    snprintf(portarg, sizeof portarg, "--port=%d", port);
    char *argv[] = {(char *)bin, portarg, "--allowed-ips=", NULL};
    char *tmpvar = fmt("TMPDIR=%s/tmp", w->profile);
    char **envp = tmpvar ? env_with_tmpdir(tmpvar) : NULL;
    pid_t pid = envp ? fork_driver(argv, envp) : -1;
    if (!envp) fprintf(stderr, "webdriver: out of memory\n");
    free(envp);
    free(tmpvar);
    return pid;
}

/* Polls GET /status until chromedriver is ready.  0 when ready, -1 if it
 * died (w->driver is then reaped and cleared), -2 on timeout. */
static int wait_ready(struct wd *w, long long deadline)
{
    while (now_ms() < deadline) {
        if (waitpid(w->driver, NULL, WNOHANG) == w->driver) {
            w->driver = 0;
            return -1;
        }
        json_t *root = http(w, "GET", "/status", NULL, 1);
        json_t *ready = json_object_get(json_object_get(root, "value"), "ready");
        int ok = json_is_true(ready);
        json_decref(root);
        if (ok) return 0;
        sleep_ms(25);
    }
    return -2;
}

/* Sends sig to chromedriver's process group. */
static void signal_driver(const struct wd *w, int sig)
{
    if (w->driver > 0) kill(-w->driver, sig);
}

/* Waits up to ms for chromedriver to exit and reaps it; 0 if reaped. */
static int reap_driver(struct wd *w, long long ms)
{
    long long deadline = now_ms() + ms;
    do {
        pid_t r = waitpid(w->driver, NULL, WNOHANG);
        if (r == w->driver || (r < 0 && errno == ECHILD)) {
            w->driver = 0;
            return 0;
        }
        sleep_ms(10);
    } while (now_ms() < deadline);
    return -1;
}

/* 1 if the process /proc/<name> is in process group `group`, is not a
 * zombie and is not `except`. */
static int proc_in_group(const char *name, pid_t group, pid_t except)
{
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%s/stat", name);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(line, 1, sizeof line - 1, f);
    fclose(f);
    line[n] = '\0';
    const char *p = strrchr(line, ')'); /* "pid (comm) state ppid pgrp ..." */
    char state = 0;
    int ppid = 0, pgrp = 0;
    if (!p || sscanf(p + 1, " %c %d %d", &state, &ppid, &pgrp) != 3) return 0;
    return pgrp == group && state != 'Z' && state != 'X' && atoi(name) != except;
}

/* 1 while any process of the group other than `except` is still running.
 * Zombies do not count: killed browser processes are reparented to init,
 * which may take a second or more to reap them. */
static int group_alive(pid_t group, pid_t except)
{
    if (kill(-group, 0) != 0) return 0;
    DIR *d = opendir("/proc");
    if (!d) return 1; /* no procfs: zombies count as alive */
    int alive = 0;
    const struct dirent *e;
    while (!alive && (e = readdir(d)) != NULL)
        if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
            alive = proc_in_group(e->d_name, group, except);
    closedir(d);
    return alive;
}

/* Waits up to ms while processes of the group other than `except` run. */
static void wait_group(pid_t group, pid_t except, long long ms)
{
    long long deadline = now_ms() + ms;
    while (group_alive(group, except) && now_ms() < deadline)
        sleep_ms(10);
}

/* Stops chromedriver: lets the browser finish the shutdown that DELETE
 * session started (it may still be running when DELETE returns), then SIGTERM to the process group,
 * SIGKILL if anything lingers, and waits (briefly) until the whole group is gone. */
static void stop_driver(struct wd *w)
{
    if (w->driver <= 0) return;
    pid_t group = w->driver;
    wait_group(group, group, STOP_TIMEOUT_MS);
    signal_driver(w, SIGTERM);
    if (reap_driver(w, STOP_TIMEOUT_MS) != 0) {
        signal_driver(w, SIGKILL);
        reap_driver(w, STOP_TIMEOUT_MS);
    }
    kill(-group, SIGKILL); /* browser processes left behind, if any */
    wait_group(group, 0, STOP_TIMEOUT_MS);
}

/* Starts chromedriver on a free port and waits until it is ready, retrying
 * with another port if it dies at once (e.g. the port was taken).  0 on
 * success. */
static int start_driver(struct wd *w)
{
    long long deadline = now_ms() + START_TIMEOUT_MS;
    for (int i = 0; i < START_ATTEMPTS; i++) {
        int port = free_port();
        if (port < 0) {
            fprintf(stderr, "webdriver: no free port: %s\n", strerror(errno));
            return -1;
        }
        snprintf(w->base, sizeof w->base, "http://127.0.0.1:%d", port);
        w->driver = spawn_driver(w, port);
        if (w->driver < 0) {
            w->driver = 0;
            return -1;
        }
        int r = wait_ready(w, deadline);
        if (r == 0) return 0;
        if (r == -2) {
            fprintf(stderr, "webdriver: chromedriver not ready after %lld ms\n", START_TIMEOUT_MS);
            return -1;
        }
    }
    fprintf(stderr, "webdriver: chromedriver exited during startup\n");
    return -1;
}

/* ------------------------------------------------------------- session */

/* Chromium command line arguments; new reference owned by the caller. */
static json_t *chrome_args(const char *profile)
{
    static const char *const fixed[] = {
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        /* DevTools over a pipe instead of a TCP port: Chromium then exits
         * by itself when chromedriver dies (e.g. the test crashed). */
        "--remote-debugging-pipe",
        "--lang=ru-RU",
    };
    json_t *args = json_array();
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        json_array_append_new(args, json_string(fixed[i]));
    char *dir = fmt("--user-data-dir=%s", profile);
    json_array_append_new(args, dir ? json_string(dir) : json_null());
    free(dir);
    return args;
}

/* The "New Session" request body; new reference owned by the caller. */
static json_t *session_request(const char *profile, int javascript_enabled)
{
    const char *bin = getenv("HRAMADA_CHROMIUM");
    if (!bin || !*bin) bin = "/usr/bin/chromium";
    json_t *opts = json_pack("{s:s, s:o}", "binary", bin, "args", chrome_args(profile));
    /* The people Hramada is for read Russian: the browser asks for it first. */
    json_t *prefs = json_pack("{s:s}", "intl.accept_languages", "ru-RU,ru,en");
    if (!javascript_enabled)
        json_object_set_new(prefs, "profile.managed_default_content_settings.javascript",
                            json_integer(2));
    json_object_set_new(opts, "prefs", prefs);
    return json_pack("{s:{s:{s:s, s:s, s:{s:i, s:i, s:i}, s:o}}}", "capabilities", "alwaysMatch",
                     "browserName", "chrome", "pageLoadStrategy", "normal", "timeouts", "implicit",
                     0, "pageLoad", PAGE_LOAD_TIMEOUT_MS, "script", PAGE_LOAD_TIMEOUT_MS,
                     "goog:chromeOptions", opts);
}

/* Creates the browser session; 0 on success. */
static int new_session(struct wd *w, int javascript_enabled)
{
    json_t *req = session_request(w->profile, javascript_enabled);
    if (!req) {
        fprintf(stderr, "webdriver: cannot build the session request\n");
        return -1;
    }
    json_t *v = driver_cmd(w, "POST", "/session", req);
    const char *id = json_string_value(json_object_get(v, "sessionId"));
    if (v && !id) fprintf(stderr, "webdriver: POST /session: no sessionId in answer\n");
    w->session = id ? fmt("/session/%s", id) : NULL;
    json_decref(v);
    return w->session ? 0 : -1;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    if (remove(path) != 0 && errno != ENOENT)
        fprintf(stderr, "webdriver: cannot remove %s: %s\n", path, strerror(errno));
    return 0;
}

/* Removes a directory tree (the temporary profile). */
static void rm_tree(const char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Creates the temporary profile directory, with a "tmp" subdirectory that
 * becomes the browser's TMPDIR.  Returns its malloc'd path, owned by the
 * caller, or NULL. */
static char *make_profile(void)
{
    const char *tmp = getenv("TMPDIR");
    char *dir = fmt("%s/hramada-wd-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!dir) return NULL;
    if (!mkdtemp(dir)) {
        fprintf(stderr, "webdriver: mkdtemp %s: %s\n", dir, strerror(errno));
        free(dir);
        return NULL;
    }
    char *sub = fmt("%s/tmp", dir);
    if (!sub || mkdir(sub, 0700) != 0) {
        fprintf(stderr, "webdriver: cannot create %s/tmp\n", dir);
        rm_tree(dir);
        free(dir);
        dir = NULL;
    }
    free(sub);
    return dir;
}

/* Allocates w with its curl handle and temporary profile directory; the
 * result is owned by the caller (free with wd_close), NULL on failure. */
static struct wd *wd_alloc(void)
{
    struct wd *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->curl = curl_easy_init();
    w->profile = make_profile();
    if (!w->curl || !w->profile) {
        if (!w->curl) fprintf(stderr, "webdriver: curl_easy_init failed\n");
        wd_close(w);
        return NULL;
    }
    return w;
}

/* ------------------------------------------------------------ public API */

/* Returns a session owned by the caller (free with wd_close), or NULL. */
struct wd *wd_open(int javascript_enabled)
{
    struct wd *w = wd_alloc();
    if (!w) return NULL;
    if (start_driver(w) != 0 || new_session(w, javascript_enabled) != 0) {
        fprintf(stderr, "webdriver: could not open a browser session\n");
        wd_close(w);
        return NULL;
    }
    return w;
}

void wd_close(struct wd *w)
{
    if (!w) return;
    if (w->session && w->driver > 0) {
        json_t *v = driver_cmd(w, "DELETE", w->session, NULL);
        json_decref(v);
    }
    stop_driver(w);
    if (w->curl) curl_easy_cleanup(w->curl);
    if (w->profile) rm_tree(w->profile);
    free(w->session);
    free(w->profile);
    free(w);
}

int wd_get(struct wd *w, const char *url)
{
    return cmd_ok(w, "POST", "/url", json_pack("{s:s}", "url", url));
}

/* The returned strings are malloc'd and owned by the caller. */
char *wd_source(struct wd *w)
{
    return cmd_str(w, "GET", "/source");
}

char *wd_url(struct wd *w)
{
    return cmd_str(w, "GET", "/url");
}

char *wd_title(struct wd *w)
{
    return cmd_str(w, "GET", "/title");
}

int wd_type(struct wd *w, const char *css, const char *text)
{
    char *id = find_first(w, css, 0);
    if (!id) return -1;
    json_t *v = elem_cmd(w, id, "POST", "/clear", NULL);
    json_t *k = v ? elem_cmd(w, id, "POST", "/value", json_pack("{s:s}", "text", text)) : NULL;
    free(id);
    json_decref(v);
    json_decref(k);
    return k ? 0 : -1;
}

int wd_click(struct wd *w, const char *css)
{
    return on_first(w, css, "/click", NULL);
}

/* Classifies an answer to a command on an element: 0 if it succeeded, 1 if
 * the element is gone with its document, -1 for any other error. */
static int stale_answer(json_t *v)
{
    const char *err = json_string_value(json_object_get(v, "error"));
    const char *msg = json_string_value(json_object_get(v, "message"));
    if (!err) return 0;
    if (strcmp(err, "stale element reference") == 0 || strcmp(err, "no such element") == 0)
        return 1;
    /* "unknown error" seen while the old document is being torn down */
    return msg && strstr(msg, "does not belong to the document") ? 1 : -1;
}

/* 1 once the element with WebDriver id `id` no longer belongs to the
 * current document (a new page replaced it), 0 while it does, -1 on error. */
static int is_stale(struct wd *w, const char *id)
{
    char *path = fmt("%s/element/%s/name", w->session, id);
    json_t *root = path ? http(w, "GET", path, NULL, 0) : NULL;
    json_t *v = json_object_get(root, "value");
    int r = v ? stale_answer(v) : -1;
    if (v && r < 0) report_error("GET", path, v);
    json_decref(root);
    free(path);
    return r;
}

/* Polls until the element with id is stale; 0 when it is. */
static int wait_stale(struct wd *w, const char *id, long long ms)
{
    long long deadline = now_ms() + ms;
    for (;;) {
        int r = is_stale(w, id);
        if (r != 0) return r > 0 ? 0 : -1;
        if (now_ms() >= deadline) break;
        sleep_ms(20);
    }
    fprintf(stderr, "webdriver: no new page loaded within %lld ms\n", ms);
    return -1;
}

int wd_click_nav(struct wd *w, const char *css)
{
    char *html = find_first(w, "html", 0);
    int r = html ? wd_click(w, css) : -1;
    if (r == 0) r = wait_stale(w, html, PAGE_LOAD_TIMEOUT_MS);
    free(html);
    return r;
}

/* Appends s to *out as the body of a CSS string in single quotes. */
static void css_quote(FILE *out, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\'' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\%x ", c);
        else
            fputc(c, out);
    }
}

int wd_select(struct wd *w, const char *css, const char *value)
{
    char *sel = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&sel, &len);
    if (!f) return -1;
    fprintf(f, "%s option[value='", css);
    css_quote(f, value);
    fputs("']", f);
    if (fclose(f) != 0) {
        free(sel);
        return -1;
    }
    int r = on_first(w, sel, "/click", NULL);
    free(sel);
    return r;
}

/* Returns a malloc'd string owned by the caller, or NULL. */
char *wd_text(struct wd *w, const char *css)
{
    return first_str(w, css, "/text");
}

/* Returns a malloc'd string owned by the caller, or NULL. */
char *wd_attr(struct wd *w, const char *css, const char *name)
{
    char *rel = fmt("/attribute/%s", name);
    char *r = rel ? first_str(w, css, rel) : NULL;
    free(rel);
    return r;
}

/* Returns a malloc'd string owned by the caller, or NULL. */
char *wd_prop(struct wd *w, const char *css, const char *name)
{
    char *rel = fmt("/property/%s", name);
    char *r = rel ? first_str(w, css, rel) : NULL;
    free(rel);
    return r;
}

int wd_count(struct wd *w, const char *css)
{
    json_t *all = find_all(w, css);
    int n = all ? (int)json_array_size(all) : -1;
    json_decref(all);
    return n;
}

/* Value of one base64 digit, -1 for anything else. */
static int b64_digit(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Decodes base64 text (stops at '=' or the end, skips whitespace) and writes
 * the bytes to f; 0 on success. */
static int b64_write(const char *s, FILE *f)
{
    unsigned acc = 0;
    int bits = 0;
    for (; *s && *s != '='; s++) {
        int d = b64_digit((unsigned char)*s);
        if (d < 0 && strchr(" \t\r\n", *s)) continue;
        if (d < 0) return -1;
        acc = ((acc << 6) | (unsigned)d) & 0xffffu; /* only 14 bits are ever pending */
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (fputc((int)((acc >> bits) & 0xff), f) == EOF) return -1;
        }
    }
    return 0;
}

int wd_screenshot(struct wd *w, const char *png_path)
{
    char *b64 = cmd_str(w, "GET", "/screenshot");
    if (!b64) return -1;
    FILE *f = fopen(png_path, "wb");
    int r = f ? b64_write(b64, f) : -1;
    if (f && fclose(f) != 0) r = -1;
    if (r != 0) fprintf(stderr, "webdriver: cannot write screenshot %s\n", png_path);
    free(b64);
    return r;
}

int wd_set_window(struct wd *w, int width, int height)
{
    return cmd_ok(w, "POST", "/window/rect",
                  json_pack("{s:i, s:i}", "width", width, "height", height));
}

/* Runs script through the execute command rel ("/execute/sync" or
 * "/execute/async"); the result as wd_exec gives it. */
static char *exec_script(struct wd *w, const char *rel, const char *script)
{
    json_t *v = cmd(w, "POST", rel, json_pack("{s:s, s:[]}", "script", script, "args"));
    if (!v) return NULL;
    char *r = json_is_string(v) ? dup_str(json_string_value(v))
                                : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!r) fprintf(stderr, "webdriver: out of memory\n");
    json_decref(v);
    return r;
}

/* Returns a malloc'd string owned by the caller, or NULL. */
char *wd_exec(struct wd *w, const char *script)
{
    return exec_script(w, "/execute/sync", script);
}

/* Returns a malloc'd string owned by the caller, or NULL. */
char *wd_exec_async(struct wd *w, const char *script)
{
    return exec_script(w, "/execute/async", script);
}

/* The viewport's size as "W H" through a script; 0 and the sizes on success. */
static int viewport(struct wd *w, int *width, int *height)
{
    char *s = wd_exec(w, "return window.innerWidth + ' ' + window.innerHeight;");
    int ok = s && sscanf(s, "%d %d", width, height) == 2;
    if (s && !ok) fprintf(stderr, "webdriver: viewport size: unexpected answer %s\n", s);
    free(s);
    return ok ? 0 : -1;
}

int wd_set_viewport(struct wd *w, int width, int height)
{
    /* The window's frame (none in headless mode, some in a headed one) is
     * measured once and added; two rounds also settle a frame that changes
     * with the size. */
    int ww = width, wh = height;
    for (int round = 0; round < 2; round++) {
        int vw = 0, vh = 0;
        if (wd_set_window(w, ww, wh) != 0 || viewport(w, &vw, &vh) != 0) return -1;
        if (vw == width && vh == height) return 0;
        ww += width - vw;
        wh += height - vh;
    }
    int vw = 0, vh = 0;
    if (wd_set_window(w, ww, wh) != 0 || viewport(w, &vw, &vh) != 0) return -1;
    if (vw == width && vh == height) return 0;
    fprintf(stderr, "webdriver: viewport is %dx%d, not %dx%d\n", vw, vh, width, height);
    return -1;
}
