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

static int teardown(void **state)
{
    (void)state;
    if (S.pid) srv_stop(&S);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(database_files_are_private_under_umask_022, teardown),
        cmocka_unit_test_teardown(an_old_world_readable_database_is_tightened, teardown),
        cmocka_unit_test_teardown(serve_refuses_a_database_that_does_not_exist, teardown),
        cmocka_unit_test_teardown(init_on_an_existing_database_only_migrates, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
