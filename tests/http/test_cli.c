/*
 * The command line as an administrator uses it: the modes of the files it
 * writes, serve refusing a database that does not exist, init on an
 * existing database, and the serve options for addresses and logs. Each
 * test runs the built binary (HRAMADA_BIN) and reads what it printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/check.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *bin(void)
{
    const char *b = getenv("HRAMADA_BIN");
    return b ? b : "build-test/hramada";
}

/* A fresh temporary directory for one test; rm_dir removes it. */
static void mk_dir(char *dir, size_t n)
{
    snprintf(dir, n, "/tmp/hramada-cli-XXXXXX");
    assert_non_null(mkdtemp(dir));
}

static void rm_dir(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* Runs "hramada ARGS..." (NULL-terminated) with stdin_text (may be NULL) on
 * its standard input; its standard output and error together go into a
 * malloc'd string *out (caller frees; may be NULL to drop them). Returns
 * the exit status (128 + signal when killed). A command still running
 * after 60 s is killed (a serve that should have refused to start). */
static int run(const char *stdin_text, char **out, const char *const *args)
{
    const char *argv[32] = {bin()};
    int n = 1;
    for (; args[n - 1] && n < 31; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    int in[2], o[2];
    if (pipe(in) != 0 || pipe(o) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(o[1], 1);
        dup2(o[1], 2);
        close(in[1]);
        close(o[0]);
        execv(bin(), (char *const *)argv);
        _exit(127);
    }
    close(in[0]);
    close(o[1]);
    if (stdin_text && write(in[1], stdin_text, strlen(stdin_text)) < 0) perror("write");
    close(in[1]);
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    ssize_t k;
    time_t deadline = time(NULL) + 60;
    for (;;) {
        struct pollfd p = {o[0], POLLIN, 0};
        if (poll(&p, 1, 1000) == 0) {
            if (time(NULL) > deadline) kill(pid, SIGKILL);
            continue;
        }
        if ((k = read(o[0], buf + len, cap - len - 1)) <= 0) break;
        len += (size_t)k;
        if (cap - len < 1024) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) abort();
            buf = grown;
        }
    }
    buf[len] = 0;
    close(o[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    if (out)
        *out = buf;
    else
        free(buf);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The number of lines of s that are not empty. */
static int count_lines(const char *s)
{
    int n = 0;
    for (const char *p = s; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len) n++;
        p += len + (e ? 1 : 0);
    }
    return n;
}

static unsigned file_mode(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "stat %s: %s\n", path, strerror(errno));
        return 0xffff;
    }
    return (unsigned)(st.st_mode & 0777);
}

/* The server of the test that runs one; teardown stops it when a failed
 * assertion left it running. */
static struct srv S;
/* A server a test started by itself, for the same reason. */
static pid_t CHILD;

static int teardown(void **state)
{
    (void)state;
    if (S.pid) srv_stop(&S);
    if (CHILD > 0) {
        kill(CHILD, SIGKILL);
        waitpid(CHILD, NULL, 0);
        CHILD = 0;
    }
    return 0;
}

/* ---- file modes ---- */

/* Under Debian's usual umask (022) SQLite makes files 0644: every local
 * user could read the member lists. The database, its WAL and its shared
 * memory must be the owner's alone once the server has written. */
static void database_files_are_private_under_umask_022(void **state)
{
    (void)state;
    mode_t old = umask(022);
    struct srv *s = &S;
    assert_int_equal(srv_start(s, 1, NULL), 0);
    umask(old);
    struct client c;
    assert_int_equal(client_as(&c, s, "organizer"), 0); /* a session row: a write */
    char wal[400], shm[400];
    snprintf(wal, sizeof wal, "%s-wal", s->db);
    snprintf(shm, sizeof shm, "%s-shm", s->db);
    assert_int_equal(file_mode(s->db), 0600);
    assert_int_equal(file_mode(wal), 0600);
    assert_int_equal(file_mode(shm), 0600);
    client_free(&c);
    assert_int_equal(srv_stop(s), 0);
}

/* A database an older version left 0644 is made private when opened. */
static void an_old_world_readable_database_is_tightened(void **state)
{
    (void)state;
    char dir[64], db[128];
    mk_dir(dir, sizeof dir);
    snprintf(db, sizeof db, "%s/old.db", dir);
    assert_int_equal(run(NULL, NULL, (const char *[]){"init", "--db", db, NULL}), 0);
    assert_int_equal(chmod(db, 0644), 0);
    char *out = NULL;
    assert_int_equal(run(NULL, &out, (const char *[]){"init", "--db", db, NULL}), 0);
    assert_int_equal(file_mode(db), 0600);
    assert_non_null(strstr(out, "readable by other users"));
    free(out);
    rm_dir(dir);
}

/* ---- serve never creates, init never wipes ---- */

static void serve_refuses_a_database_that_does_not_exist(void **state)
{
    (void)state;
    char dir[64], db[128];
    mk_dir(dir, sizeof dir);
    snprintf(db, sizeof db, "%s/mistyped.db", dir);
    char *out = NULL;
    int rc = run(NULL, &out,
                 (const char *[]){"serve", "--db", db, "--listen", "127.0.0.1:0", "--quiet", NULL});
    assert_int_not_equal(rc, 0);
    assert_int_equal(count_lines(out), 1);
    assert_non_null(strstr(out, "hramada init"));
    assert_non_null(strstr(out, db));
    free(out);
    assert_int_equal(access(db, F_OK), -1); /* nothing was created */
    /* user administration does not create one either */
    assert_int_not_equal(run("long-enough-password\n", NULL,
                             (const char *[]){"user", "add", "alice", "--db", db, NULL}),
                         0);
    assert_int_equal(access(db, F_OK), -1);
    rm_dir(dir);
}

static void init_on_an_existing_database_only_migrates(void **state)
{
    (void)state;
    char dir[64], db[128];
    mk_dir(dir, sizeof dir);
    snprintf(db, sizeof db, "%s/h.db", dir);
    char *out = NULL;
    assert_int_equal(run(NULL, &out, (const char *[]){"init", "--db", db, NULL}), 0);
    assert_non_null(strstr(out, "created the database"));
    free(out);
    assert_int_equal(run("long-enough-password\n", NULL,
                         (const char *[]){"user", "add", "alice", "--db", db, NULL}),
                     0);
    assert_int_equal(run(NULL, &out, (const char *[]){"init", "--db", db, NULL}), 0);
    assert_non_null(strstr(out, "up to date; nothing was changed"));
    free(out);
    /* the account is still there */
    assert_int_equal(run(NULL, &out, (const char *[]){"user", "list", "--db", db, NULL}), 0);
    assert_non_null(strstr(out, "alice"));
    free(out);
    rm_dir(dir);
}

/* ---- serve: addresses and log lines ---- */

/* A served process and the first line it printed on standard output. */
struct served {
    pid_t pid;
    char line[512];
};

/* Starts "hramada serve --db db ARGS..." and waits for its line that says
 * where it serves; 0 when it came. */
static int serve_start(struct served *sv, const char *db, const char *const *args)
{
    const char *argv[24] = {bin(), "serve", "--db", db, "--quiet"};
    int n = 5;
    for (int i = 0; args[i] && n < 23; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    int o[2];
    if (pipe(o) != 0) return -1;
    memset(sv, 0, sizeof *sv);
    sv->pid = fork();
    if (sv->pid == 0) {
        dup2(o[1], 1);
        close(o[0]);
        execv(bin(), (char *const *)argv);
        _exit(127);
    }
    close(o[1]);
    CHILD = sv->pid;
    FILE *f = fdopen(o[0], "r");
    int rc = -1;
    while (f && fgets(sv->line, sizeof sv->line, f))
        if (strstr(sv->line, "serving http://")) {
            rc = 0;
            break;
        }
    if (f) fclose(f); /* the server's later lines go to a closed pipe: it ignores SIGPIPE */
    return rc;
}

static int serve_stop(struct served *sv)
{
    if (sv->pid <= 0) return -1;
    kill(sv->pid, SIGTERM);
    int st = 0;
    waitpid(sv->pid, &st, 0);
    sv->pid = 0;
    CHILD = 0;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The port in "serving http://HOST:PORT/". */
static int served_port(const struct served *sv)
{
    const char *p = strstr(sv->line, "serving http://");
    const char *end = p ? strchr(p + 15, '/') : NULL;
    const char *colon = end ? end : NULL;
    while (colon && colon > p && *colon != ':')
        colon--;
    return colon && *colon == ':' ? atoi(colon + 1) : 0;
}

/* A database made by init in a fresh directory (dir and db filled in). */
static void fresh_db(char *dir, size_t dn, char *db, size_t n)
{
    mk_dir(dir, dn);
    snprintf(db, n, "%s/h.db", dir);
    assert_int_equal(run(NULL, NULL, (const char *[]){"init", "--db", db, NULL}), 0);
}

/* GET /healthz at url through libcurl; the HTTP status or -1. */
static long healthz(const char *url)
{
    struct srv fake;
    memset(&fake, 0, sizeof fake);
    snprintf(fake.base, sizeof fake.base, "%s", url);
    struct client c;
    client_init(&c, &fake);
    struct resp r;
    long status = client_get(&c, "/healthz", 1, &r) == 0 ? r.status : -1;
    if (status >= 0) resp_free(&r);
    client_free(&c);
    return status;
}

static void listen_takes_ipv6_loopback(void **state)
{
    (void)state;
    int probe = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 lo = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    int have_v6 = probe >= 0 && bind(probe, (struct sockaddr *)&lo, sizeof lo) == 0;
    if (probe >= 0) close(probe);
    if (!have_v6) {
        fprintf(stderr, "no IPv6 loopback on this machine: skipped\n");
        skip();
    }
    char dir[64], db[128];
    fresh_db(dir, sizeof dir, db, sizeof db);
    struct served sv;
    assert_int_equal(serve_start(&sv, db, (const char *[]){"--listen", "[::1]:0", NULL}), 0);
    assert_non_null(strstr(sv.line, "serving http://[::1]:"));
    int port = served_port(&sv);
    assert_true(port > 0);
    char url[64];
    snprintf(url, sizeof url, "http://[::1]:%d", port);
    assert_int_equal(healthz(url), 200);
    /* only the IPv6 loopback: the IPv4 one is not served */
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    assert_int_equal(healthz(url), -1);
    assert_int_equal(serve_stop(&sv), 0);
    rm_dir(dir);
}

/* A port some other program holds: one line that says so, and a non-zero
 * exit, not a server that half starts. */
static void a_busy_port_is_one_clear_line(void **state)
{
    (void)state;
    char dir[64], db[128];
    fresh_db(dir, sizeof dir, db, sizeof db);
    int holder = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(holder, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(holder, 1), 0);
    socklen_t sl = sizeof sa;
    assert_int_equal(getsockname(holder, (struct sockaddr *)&sa, &sl), 0);
    char addr[64], want[128];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", ntohs(sa.sin_port));
    snprintf(want, sizeof want, "address %s is in use; is another hramada running?", addr);
    char *out = NULL;
    int rc = run(NULL, &out, (const char *[]){"serve", "--db", db, "--listen", addr, NULL});
    assert_int_not_equal(rc, 0);
    assert_int_equal(count_lines(out), 1);
    assert_non_null(strstr(out, want));
    free(out);
    /* the same in the journal's format, as an error */
    rc = run(
        NULL, &out,
        (const char *[]){"serve", "--db", db, "--listen", addr, "--log-format", "journal", NULL});
    assert_int_not_equal(rc, 0);
    assert_int_equal(count_lines(out), 1);
    assert_true(strncmp(out, "<3>", 3) == 0);
    assert_non_null(strstr(out, want));
    free(out);
    close(holder);
    rm_dir(dir);
}

/* 1 if s starts with an ISO 8601 UTC time: 2026-12-01T09:30:00Z. */
static int starts_with_utc_time(const char *s)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ ";
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i]) return 0;
    }
    return 1;
}

static void start_up_lines_carry_utc_timestamps(void **state)
{
    (void)state;
    char dir[64], db[128];
    fresh_db(dir, sizeof dir, db, sizeof db);
    struct served sv;
    assert_int_equal(serve_start(&sv, db, (const char *[]){"--listen", "127.0.0.1:0", NULL}), 0);
    assert_true(starts_with_utc_time(sv.line));
    assert_non_null(strstr(sv.line, "Z info hramada "));
    /* the time is now, in UTC */
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    assert_non_null(strptime(sv.line, "%Y-%m-%dT%H:%M:%SZ", &tm));
    long long skew = (long long)timegm(&tm) - (long long)time(NULL);
    assert_true(skew > -120 && skew < 120);
    assert_int_equal(serve_stop(&sv), 0);
    rm_dir(dir);
}

/* journald reads "<N>" prefixes as the priority and adds the time itself. */
static void journal_format_writes_priority_prefixes(void **state)
{
    (void)state;
    char dir[64], db[128];
    mk_dir(dir, sizeof dir);
    snprintf(db, sizeof db, "%s/demo.db", dir);
    assert_int_equal(run(NULL, NULL, (const char *[]){"demo", "--db", db, NULL}), 0);
    int o[2];
    assert_int_equal(pipe(o), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(o[1], 1);
        dup2(o[1], 2);
        close(o[0]);
        execl(bin(), bin(), "serve", "--db", db, "--listen", "127.0.0.1:0", "--log-format",
              "journal", (char *)NULL);
        _exit(127);
    }
    close(o[1]);
    CHILD = pid;
    FILE *f = fdopen(o[0], "r");
    char line[512];
    int serving = 0, warning = 0, port = 0;
    while (!(serving && warning) && fgets(line, sizeof line, f)) {
        assert_false(starts_with_utc_time(line));
        assert_int_equal(line[0], '<');
        if (strncmp(line, "<6>hramada ", 11) == 0 && strstr(line, "serving http://127.0.0.1:")) {
            serving = 1;
            port = atoi(strstr(line, "127.0.0.1:") + 10);
        }
        if (strncmp(line, "<4>", 3) == 0 && strstr(line, "demo database")) warning = 1;
    }
    assert_true(serving);
    assert_true(warning);
    /* a request's log line too */
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    assert_int_equal(healthz(url), 200);
    int logged = 0;
    while (!logged && fgets(line, sizeof line, f)) {
        assert_int_equal(line[0], '<');
        logged = strncmp(line, "<6>GET /healthz 200", 19) == 0;
    }
    assert_true(logged);
    kill(pid, SIGTERM);
    int stopped = 0;
    while (fgets(line, sizeof line, f)) {
        assert_int_equal(line[0], '<');
        if (strstr(line, "<6>hramada: stopped cleanly")) stopped = 1;
    }
    fclose(f);
    int st = 0;
    waitpid(pid, &st, 0);
    CHILD = 0;
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    assert_true(stopped);
    /* an unknown format is refused */
    char *out = NULL;
    assert_int_equal(
        run(NULL, &out, (const char *[]){"serve", "--db", db, "--log-format", "syslog", NULL}), 2);
    assert_non_null(strstr(out, "--log-format wants text or journal"));
    free(out);
    rm_dir(dir);
}

/* ---- bench-data ---- */

static void bench_data_takes_a_fractional_scale(void **state)
{
    (void)state;
    char dir[64], db[128];
    mk_dir(dir, sizeof dir);
    snprintf(db, sizeof db, "%s/bench.db", dir);
    char *out = NULL;
    assert_int_equal(
        run(NULL, &out, (const char *[]){"bench-data", "--db", db, "--scale", "0.01", NULL}), 0);
    assert_non_null(strstr(out, "scale 0.01 done"));
    free(out);
    /* scale 1 is 100,000 accounts and 1,000 communities (and the pair of
     * communities alike but for their visibility): a hundredth of it */
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT (SELECT count(*) FROM accounts), (SELECT count(*) "
                                        "FROM communities), (SELECT count(*) FROM talent_entries)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(st, 0), 1000);
    assert_int_equal(sqlite3_column_int64(st, 1), 10 + 2);
    assert_int_equal(sqlite3_column_int64(st, 2), 5000 + 2 * 50); /* and the pair's */
    sqlite3_finalize(st);
    sqlite3_close(h);
    /* out of range, or not a number */
    char other[160];
    snprintf(other, sizeof other, "%s/other.db", dir);
    static const char *const bad[] = {"0.001", "0", "-1", "abc", "1e9", "nan"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(
            run(NULL, &out, (const char *[]){"bench-data", "--db", other, "--scale", bad[i], NULL}),
            2);
        assert_non_null(strstr(out, "--scale wants a number from 0.01 to 100"));
        free(out);
    }
    rm_dir(dir);
}

/* ---- backup and restore ---- */

static const char PASS[] = "correct-horse-battery-staple";
/* The demo's secret community: its name must never be in a backup, nor,
 * once a member of it signed in (its texts sealed), in the database. */
static const char SECRET_NAME[] = "Тихо вместе";
/* A public community's name: in the database and in what a restore gives
 * back, in clear, so that the scans below can see a name when it is there. */
static const char PUBLIC_NAME[] = "Двор на Садовой, 12";

/* 1 if the file at path holds the bytes of needle. */
static int file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t n = strlen(needle), len = 0, cap = 1 << 20;
    char *buf = malloc(cap);
    size_t k;
    while ((k = fread(buf + len, 1, cap - len, f)) > 0) {
        len += k;
        if (len == cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) abort();
            buf = grown;
        }
    }
    fclose(f);
    int found = memmem(buf, len, needle, n) != NULL;
    free(buf);
    return found;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* The number of entries of dir whose name starts with prefix. */
static int count_files(const char *dir, const char *prefix)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | grep -c '^%s' || true", dir, prefix);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p && fscanf(p, "%d", &n) != 1) n = -1;
    if (p) pclose(p);
    return n;
}

/* Signs in as the demo member over and over (each sign-in writes a session
 * row) until killed; the child's pid. */
static pid_t keep_writing(struct srv *s)
{
    pid_t pid = fork();
    if (pid == 0) {
        for (;;) {
            struct client c;
            client_init(&c, s);
            client_login(&c, "member", "demo-demo");
            client_free(&c);
        }
    }
    return pid;
}

/* A backup made while the server serves and writes restores to a database
 * that passes its integrity check, holds a moment of the writes, and
 * serves the communities again. */
static void backup_while_serving_restores_round_trip(void **state)
{
    (void)state;
    mode_t old = umask(022);
    assert_int_equal(srv_start(&S, 1, NULL), 0);
    char bak[400], restored[400];
    snprintf(bak, sizeof bak, "%s/h.hrb", S.dir);
    snprintf(restored, sizeof restored, "%s/restored.db", S.dir);
    const char *sessions = "SELECT count(*) FROM sessions";
    long long before = db_value(&S, sessions, NULL);
    pid_t writer = keep_writing(&S);
    CHILD = writer;
    for (int i = 0; i < 200 && db_value(&S, sessions, NULL) < before + 3; i++)
        usleep(50 * 1000);
    long long during = db_value(&S, sessions, NULL);
    assert_true(during >= before + 3);
    /* the passphrase on standard input, one line */
    char stdin_pass[64];
    snprintf(stdin_pass, sizeof stdin_pass, "%s\n", PASS);
    char *out = NULL;
    assert_int_equal(
        run(stdin_pass, &out, (const char *[]){"backup", "--db", S.db, "--to", bak, NULL}), 0);
    assert_non_null(strstr(out, "written to"));
    free(out);
    usleep(300 * 1000);
    long long after = db_value(&S, sessions, NULL);
    kill(writer, SIGKILL);
    waitpid(writer, NULL, 0);
    CHILD = 0;
    umask(old);
    assert_true(after > during); /* the server went on writing during the backup */
    assert_int_equal(file_mode(bak), 0600);
    assert_int_equal(count_files(S.dir, "h.hrb."), 0); /* no temporary file left */
    assert_int_equal(count_files(S.dir, "t.db.snapshot"), 0);
    /* encrypted: no community's name is anywhere in it */
    assert_true(file_has(S.db, PUBLIC_NAME));
    assert_false(file_has(bak, PUBLIC_NAME));
    assert_false(file_has(bak, SECRET_NAME));
    assert_false(file_has(bak, "SQLite format 3"));

    /* restore, the passphrase from a file */
    char pass_file[400];
    snprintf(pass_file, sizeof pass_file, "%s/pass", S.dir);
    FILE *f = fopen(pass_file, "w");
    fprintf(f, "%s\n", PASS);
    fclose(f);
    assert_int_equal(run(NULL, &out,
                         (const char *[]){"restore", "--from", bak, "--db", restored,
                                          "--passphrase-file", pass_file, NULL}),
                     0);
    assert_non_null(strstr(out, "integrity checked"));
    free(out);
    assert_int_equal(file_mode(restored), 0600);
    assert_true(db_file_says_ok(restored, "PRAGMA integrity_check"));
    assert_true(file_has(restored, PUBLIC_NAME)); /* the test can see a name when it is there */
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(restored, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, sessions, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long in_backup = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    assert_true(in_backup >= during && in_backup <= after);
    assert_int_equal(srv_stop(&S), 0);
}

/* The restored database serves: its accounts sign in, its secret community
 * is there for its member. */
static void a_restored_database_serves(void **state)
{
    (void)state;
    char dir[64], db[128], bak[128], restored[128];
    mk_dir(dir, sizeof dir);
    snprintf(db, sizeof db, "%s/demo.db", dir);
    snprintf(bak, sizeof bak, "%s/demo.hrb", dir);
    snprintf(restored, sizeof restored, "%s/restored.db", dir);
    assert_int_equal(run(NULL, NULL, (const char *[]){"demo", "--db", db, NULL}), 0);
    setenv("HRAMADA_BACKUP_PASSPHRASE", PASS, 1);
    int rc = run(NULL, NULL, (const char *[]){"backup", "--db", db, "--to", bak, NULL});
    unsetenv("HRAMADA_BACKUP_PASSPHRASE");
    assert_int_equal(rc, 0);
    /* the passphrase on a descriptor */
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_true(write(p[1], PASS, strlen(PASS)) > 0);
    close(p[1]);
    char fd[16];
    snprintf(fd, sizeof fd, "%d", p[0]);
    rc = run(
        NULL, NULL,
        (const char *[]){"restore", "--from", bak, "--db", restored, "--passphrase-fd", fd, NULL});
    close(p[0]);
    assert_int_equal(rc, 0);
    struct served sv;
    assert_int_equal(serve_start(&sv, restored, (const char *[]){"--listen", "127.0.0.1:0", NULL}),
                     0);
    struct srv fake;
    memset(&fake, 0, sizeof fake);
    snprintf(fake.base, sizeof fake.base, "http://127.0.0.1:%d", served_port(&sv));
    struct client c;
    client_init(&c, &fake);
    assert_int_equal(client_login(&c, "organizer", "demo-demo"), 0);
    struct resp r;
    assert_int_equal(client_get(&c, "/", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, SECRET_NAME));
    resp_free(&r);
    client_free(&c);
    assert_int_equal(serve_stop(&sv), 0);
    rm_dir(dir);
}

/* A backup of the demo in dir (dir/demo.db, dir/demo.hrb). */
static void demo_backup(char *dir, size_t dn, char *bak, size_t bn)
{
    mk_dir(dir, dn);
    char db[128];
    snprintf(db, sizeof db, "%s/demo.db", dir);
    snprintf(bak, bn, "%s/demo.hrb", dir);
    assert_int_equal(run(NULL, NULL, (const char *[]){"demo", "--db", db, NULL}), 0);
    char line[64];
    snprintf(line, sizeof line, "%s\n", PASS);
    assert_int_equal(run(line, NULL, (const char *[]){"backup", "--db", db, "--to", bak, NULL}), 0);
}

/* Restores bak into dir/r.db with passphrase pass; the exit status, the
 * output in *out. Afterwards nothing of r.db may exist when it failed. */
static int restore_into(const char *dir, const char *bak, const char *pass, char **out)
{
    char db[128], line[128];
    snprintf(db, sizeof db, "%s/r.db", dir);
    snprintf(line, sizeof line, "%s\n", pass);
    int rc = run(line, out, (const char *[]){"restore", "--from", bak, "--db", db, NULL});
    if (rc != 0) {
        assert_int_equal(access(db, F_OK), -1);
        assert_int_equal(count_files(dir, "r.db"), 0); /* no partial or temporary file */
    }
    return rc;
}

static void restore_refuses_a_wrong_passphrase(void **state)
{
    (void)state;
    char dir[64], bak[128];
    demo_backup(dir, sizeof dir, bak, sizeof bak);
    char *out = NULL;
    assert_int_not_equal(restore_into(dir, bak, "not-the-passphrase", &out), 0);
    assert_non_null(strstr(out, "wrong passphrase"));
    assert_int_equal(count_lines(out), 1);
    free(out);
    assert_int_equal(restore_into(dir, bak, PASS, &out), 0);
    free(out);
    rm_dir(dir);
}

/* Flips one byte at offset of a copy of bak; the copy's path in out. */
static void damaged_copy(const char *dir, const char *bak, long offset, char *out, size_t n)
{
    snprintf(out, n, "%s/damaged.hrb", dir);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", bak, out);
    assert_int_equal(system(cmd), 0);
    FILE *f = fopen(out, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, offset, SEEK_SET), 0);
    int c = fgetc(f);
    assert_int_equal(fseek(f, offset, SEEK_SET), 0);
    fputc(c ^ 0x01, f);
    fclose(f);
}

static void restore_refuses_a_flipped_byte(void **state)
{
    (void)state;
    char dir[64], bak[128], bad[160];
    demo_backup(dir, sizeof dir, bak, sizeof bak);
    long size = file_size(bak);
    assert_true(size > 200000); /* several chunks */
    char *out = NULL;
    /* in the middle, in the last chunk, and in the header's cost */
    long offsets[] = {size / 2, size - 5, 20};
    for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
        damaged_copy(dir, bak, offsets[i], bad, sizeof bad);
        assert_int_not_equal(restore_into(dir, bad, PASS, &out), 0);
        assert_true(strstr(out, "is damaged") || strstr(out, "first bytes are damaged"));
        free(out);
    }
    /* not a backup at all */
    char db[128];
    snprintf(db, sizeof db, "%s/demo.db", dir);
    assert_int_not_equal(restore_into(dir, db, PASS, &out), 0);
    assert_non_null(strstr(out, "is not a Hramada backup"));
    free(out);
    rm_dir(dir);
}

static void restore_refuses_a_truncated_file(void **state)
{
    (void)state;
    char dir[64], bak[128], cut[160];
    demo_backup(dir, sizeof dir, bak, sizeof bak);
    long size = file_size(bak);
    snprintf(cut, sizeof cut, "%s/cut.hrb", dir);
    /* anywhere, and exactly where a chunk ends, so that only the final
     * chunk is missing and every chunk read authenticates */
    long chunk = 65536 + 17, first = 80 + 16 + 17;
    long at_boundary = first + ((size - first) / chunk - 1) * chunk;
    long lengths[] = {size - 1, size / 2, at_boundary, 50};
    char *out = NULL;
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "head -c %ld '%s' > '%s'", lengths[i], bak, cut);
        assert_int_equal(system(cmd), 0);
        assert_int_not_equal(restore_into(dir, cut, PASS, &out), 0);
        assert_non_null(strstr(out, "is truncated"));
        free(out);
    }
    rm_dir(dir);
}

static void restore_does_not_overwrite_unless_forced_and_unused(void **state)
{
    (void)state;
    assert_int_equal(srv_start(&S, 1, NULL), 0);
    char bak[400];
    snprintf(bak, sizeof bak, "%s/h.hrb", S.dir);
    setenv("HRAMADA_BACKUP_PASSPHRASE", PASS, 1);
    assert_int_equal(run(NULL, NULL, (const char *[]){"backup", "--db", S.db, "--to", bak, NULL}),
                     0);
    char *out = NULL;
    /* a second backup to the same file is refused, and the first one kept */
    long size = file_size(bak);
    assert_int_not_equal(
        run(NULL, &out, (const char *[]){"backup", "--db", S.db, "--to", bak, NULL}), 0);
    assert_non_null(strstr(out, "exists"));
    free(out);
    assert_int_equal(file_size(bak), size);
    /* nor, even with --force, over the database itself */
    assert_int_not_equal(
        run(NULL, &out, (const char *[]){"backup", "--db", S.db, "--to", S.db, "--force", NULL}),
        0);
    assert_non_null(strstr(out, "names the database itself"));
    free(out);
    assert_true(db_file_says_ok(S.db, "PRAGMA integrity_check"));
    /* the server's own database: not without --force, not while it runs */
    assert_int_not_equal(
        run(NULL, &out, (const char *[]){"restore", "--from", bak, "--db", S.db, NULL}), 0);
    assert_non_null(strstr(out, "--force"));
    free(out);
    assert_int_not_equal(
        run(NULL, &out, (const char *[]){"restore", "--from", bak, "--db", S.db, "--force", NULL}),
        0);
    assert_non_null(strstr(out, "is in use"));
    free(out);
    struct client c;
    assert_int_equal(client_as(&c, &S, "organizer"), 0); /* it still serves */
    client_free(&c);
    assert_int_equal(srv_halt(&S), 0);
    assert_int_equal(
        run(NULL, &out, (const char *[]){"restore", "--from", bak, "--db", S.db, "--force", NULL}),
        0);
    free(out);
    unsetenv("HRAMADA_BACKUP_PASSPHRASE");
    assert_true(db_file_says_ok(S.db, "PRAGMA integrity_check"));
    assert_int_equal(srv_stop(&S), -1); /* already halted: only the directory goes */
}

/* The passphrase never on the command line, and not a short one. */
static void backup_refuses_a_passphrase_in_argv_or_too_short(void **state)
{
    (void)state;
    char dir[64], db[128], bak[160];
    fresh_db(dir, sizeof dir, db, sizeof db);
    snprintf(bak, sizeof bak, "%s/h.hrb", dir);
    char *out = NULL;
    assert_int_equal(
        run(NULL, &out,
            (const char *[]){"backup", "--db", db, "--to", bak, "--passphrase", PASS, NULL}),
        2);
    assert_non_null(strstr(out, "never taken from the command line"));
    free(out);
    assert_int_not_equal(
        run("short\n", &out, (const char *[]){"backup", "--db", db, "--to", bak, NULL}), 0);
    assert_non_null(strstr(out, "at least 12 characters"));
    free(out);
    assert_int_equal(access(bak, F_OK), -1);
    /* and the help says where it is read from */
    assert_int_equal(run(NULL, &out, (const char *[]){"backup", "--help", NULL}), 0);
    assert_non_null(strstr(out, "HRAMADA_BACKUP_PASSPHRASE"));
    assert_non_null(strstr(out, "--passphrase-fd"));
    free(out);
    rm_dir(dir);
}

/* Runs "hramada ARGS..." with standard error on a terminal (a pseudo
 * terminal whose other end is read here) and the passphrase on standard
 * input; what it wrote there into a malloc'd *out. The exit status. */
static int run_on_terminal(const char *stdin_text, char **out, const char *const *args)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) return -1;
    const char *slave = ptsname(master);
    int in[2];
    if (!slave || pipe(in) != 0) return -1;
    const char *argv[32] = {bin()};
    int n = 1;
    for (; args[n - 1] && n < 31; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        int t = open(slave, O_RDWR | O_NOCTTY);
        dup2(in[0], 0);
        dup2(t, 2);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        close(in[1]);
        close(master);
        execv(bin(), (char *const *)argv);
        _exit(127);
    }
    close(in[0]);
    if (stdin_text && write(in[1], stdin_text, strlen(stdin_text)) < 0) perror("write");
    close(in[1]);
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    int st = 0, done = 0;
    while (!done) {
        struct pollfd p = {master, POLLIN, 0};
        if (poll(&p, 1, 200) > 0) {
            ssize_t k = read(master, buf + len, cap - len - 1);
            if (k > 0) len += (size_t)k;
            if (cap - len < 1024) {
                char *grown = realloc(buf, cap *= 2);
                if (!grown) abort();
                buf = grown;
            }
            if (k > 0) continue;
        }
        done = waitpid(pid, &st, WNOHANG) == pid;
    }
    /* what is still in the terminal's buffer */
    ssize_t k;
    struct pollfd p = {master, POLLIN, 0};
    while (poll(&p, 1, 100) > 0 && (k = read(master, buf + len, cap - len - 1)) > 0)
        len += (size_t)k;
    buf[len] = 0;
    close(master);
    *out = buf;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* A large database shows how far backup and restore are, on a terminal. */
static void large_backups_show_progress_on_a_terminal(void **state)
{
    (void)state;
    char dir[64], db[128], bak[160], restored[160];
    fresh_db(dir, sizeof dir, db, sizeof db);
    snprintf(bak, sizeof bak, "%s/h.hrb", dir);
    snprintf(restored, sizeof restored, "%s/r.db", dir);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    /* 24 MiB of random bytes (incompressible, as real pages are not) */
    assert_int_equal(sqlite3_exec(h,
                                  "CREATE TABLE filler(b BLOB);"
                                  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                                  "WHERE i < 24) INSERT INTO filler SELECT randomblob(1048576) "
                                  "FROM n",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    char line[64];
    snprintf(line, sizeof line, "%s\n", PASS);
    char *out = NULL;
    assert_int_equal(run_on_terminal(line, &out,
                                     (const char *[]){"backup", "--db", db, "--to", bak,
                                                      "--passphrase-fd", "0", NULL}),
                     0);
    assert_non_null(strstr(out, "encrypt MiB"));
    assert_non_null(strstr(out, "100%"));
    free(out);
    assert_int_equal(run_on_terminal(line, &out,
                                     (const char *[]){"restore", "--from", bak, "--db", restored,
                                                      "--passphrase-fd", "0", NULL}),
                     0);
    assert_non_null(strstr(out, "decrypt MiB"));
    assert_non_null(strstr(out, "checking the integrity"));
    free(out);
    /* without a terminal: no progress bar in a log */
    assert_int_equal(unlink(restored), 0);
    assert_int_equal(
        run(line, &out, (const char *[]){"restore", "--from", bak, "--db", restored, NULL}), 0);
    assert_null(strstr(out, "decrypt MiB"));
    free(out);
    rm_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(database_files_are_private_under_umask_022, teardown),
        cmocka_unit_test_teardown(an_old_world_readable_database_is_tightened, teardown),
        cmocka_unit_test_teardown(serve_refuses_a_database_that_does_not_exist, teardown),
        cmocka_unit_test_teardown(init_on_an_existing_database_only_migrates, teardown),
        cmocka_unit_test_teardown(listen_takes_ipv6_loopback, teardown),
        cmocka_unit_test_teardown(a_busy_port_is_one_clear_line, teardown),
        cmocka_unit_test_teardown(start_up_lines_carry_utc_timestamps, teardown),
        cmocka_unit_test_teardown(journal_format_writes_priority_prefixes, teardown),
        cmocka_unit_test_teardown(bench_data_takes_a_fractional_scale, teardown),
        cmocka_unit_test_teardown(backup_while_serving_restores_round_trip, teardown),
        cmocka_unit_test_teardown(a_restored_database_serves, teardown),
        cmocka_unit_test_teardown(restore_refuses_a_wrong_passphrase, teardown),
        cmocka_unit_test_teardown(restore_refuses_a_flipped_byte, teardown),
        cmocka_unit_test_teardown(restore_refuses_a_truncated_file, teardown),
        cmocka_unit_test_teardown(restore_does_not_overwrite_unless_forced_and_unused, teardown),
        cmocka_unit_test_teardown(backup_refuses_a_passphrase_in_argv_or_too_short, teardown),
        cmocka_unit_test_teardown(large_backups_show_progress_on_a_terminal, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
