/* Nothing acknowledged is ever lost. A driver creates communities, edits
 * them and signs people up; every write the server answered with 303 is
 * recorded. At a random moment the server gets SIGKILL; the database is
 * then opened directly (PRAGMA integrity_check must say ok), the server is
 * restarted on it, and every acknowledged write must be there.
 *
 * HRAMADA_KILLS (default 20) sets the number of kills. HRAMADA_SOAK_SECONDS
 * adds a mixed read/write load of that many seconds afterwards, in which no
 * request may fail; from two minutes on the server's resident memory must
 * also stay flat (make soak: 500 kills and ten minutes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/testsrv.h"

#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct srv S;

enum { MAX_WRITES = 20000 };

/* One acknowledged write: a community (slug) whose name must be name, or
 * an account (handle) that must be able to sign in. pending: a newer name
 * whose request was cut by the kill (it may or may not have committed). */
struct ack {
    char key[48];
    char name[64];
    char pending[64];
    int is_account;
};
static struct ack acks[MAX_WRITES];
static int nacks;

static const char *bin(void)
{
    const char *b = getenv("HRAMADA_BIN");
    return b ? b : "build-test/hramada";
}

static int env_int(const char *name, int dflt)
{
    const char *v = getenv(name);
    return v && atoi(v) > 0 ? atoi(v) : dflt;
}

/* Starts serve on the existing database of S (as srv_start does). */
static int restart(void)
{
    int out[2];
    if (pipe(out) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        execl(bin(), bin(), "serve", "--db", S.db, "--listen", "127.0.0.1:0", "--quiet",
              (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    S.pid = pid;
    S.port = 0;
    FILE *f = fdopen(out[0], "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        const char *p = strstr(line, "serving http://127.0.0.1:");
        if (p) {
            S.port = atoi(p + strlen("serving http://127.0.0.1:"));
            break;
        }
    }
    if (f && fork() == 0) {
        while (fgets(line, sizeof line, f))
            ;
        _exit(0);
    }
    if (f) fclose(f);
    snprintf(S.base, sizeof S.base, "http://127.0.0.1:%d", S.port);
    return S.port ? 0 : -1;
}

static void kill_now(void)
{
    kill(S.pid, SIGKILL);
    int st;
    waitpid(S.pid, &st, 0);
    S.pid = 0;
}

/* PRAGMA integrity_check straight on the file (this also replays the WAL,
 * as the next start would). */
static int integrity_ok(void)
{
    sqlite3 *db = NULL;
    int ok = 0;
    if (sqlite3_open_v2(S.db, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
        if (!ok)
            fprintf(stderr, "integrity_check: %s\n",
                    st ? (const char *)sqlite3_column_text(st, 0) : sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return ok;
}

/* The killer: SIGKILL after delay_ms, while the driver is writing. */
struct killer {
    int delay_ms;
    volatile int done;
};

static void *killer_main(void *arg)
{
    struct killer *k = arg;
    struct timespec ts = {k->delay_ms / 1000, (long)(k->delay_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    kill(S.pid, SIGKILL);
    k->done = 1;
    return NULL;
}

/* Writes until the server dies; returns the number acknowledged. */
static int drive(struct client *c, unsigned *seed, int round)
{
    int acked = 0;
    for (int i = 0; nacks < MAX_WRITES - 2; i++) {
        struct resp r;
        int kind = (int)(rand_r(seed) % 10);
        if (kind == 0) { /* a sign-up (slow: argon2id) */
            struct client u;
            client_init(&u, &S);
            char handle[48];
            snprintf(handle, sizeof handle, "u%d-%d", round, i);
            int rc = client_fetch_csrf(&u, "/signup");
            if (rc == 0)
                rc = client_post(&u, "/signup", 0, &r, "handle", handle, "display_name", handle,
                                 "password", "crash-crash-1", "password2", "crash-crash-1", NULL);
            client_free(&u);
            if (rc != 0) return acked;
            if (r.status == 303) {
                struct ack *a = &acks[nacks++];
                snprintf(a->key, sizeof a->key, "%s", handle);
                a->is_account = 1;
                acked++;
            }
            resp_free(&r);
        } else if (kind < 5 || nacks == 0) { /* a new community */
            char slug[48], name[64];
            snprintf(slug, sizeof slug, "k%d-%d", round, i);
            snprintf(name, sizeof name, "Crash %d %d", round, i);
            if (client_post(c, "/c", 0, &r, "name", name, "slug", slug, "visibility", "public",
                            "description", "Проверка записи после SIGKILL.", NULL) != 0)
                return acked;
            if (r.status == 303) {
                struct ack *a = &acks[nacks++];
                snprintf(a->key, sizeof a->key, "%s", slug);
                snprintf(a->name, sizeof a->name, "%s", name);
                acked++;
            }
            resp_free(&r);
        } else { /* an edit of an acknowledged community */
            struct ack *a = &acks[rand_r(seed) % (unsigned)nacks];
            if (a->is_account) continue;
            char path[96], name[64];
            snprintf(path, sizeof path, "/c/%s/edit", a->key);
            snprintf(name, sizeof name, "Edit %d %d", round, i);
            snprintf(a->pending, sizeof a->pending, "%s", name);
            if (client_post(c, path, 0, &r, "name", name, "visibility", "public", "description",
                            "Изменено.", NULL) != 0)
                return acked;
            if (r.status == 303) {
                snprintf(a->name, sizeof a->name, "%s", name);
                acked++;
            }
            a->pending[0] = 0;
            resp_free(&r);
        }
    }
    return acked;
}

/* Checks one acknowledged write against the restarted server. */
static int present(struct client *c, struct ack *a)
{
    struct resp r;
    if (a->is_account) {
        struct client u;
        client_init(&u, &S);
        int ok = client_login(&u, a->key, "crash-crash-1") == 0;
        client_free(&u);
        if (!ok) fprintf(stderr, "lost: account %s\n", a->key);
        return ok;
    }
    char path[96];
    snprintf(path, sizeof path, "/c/%s", a->key);
    if (client_get(c, path, 1, &r) != 0) return 0;
    const char *name =
        r.json ? json_string_value(json_object_get(json_object_get(r.json, "community"), "name"))
               : NULL;
    int ok = r.status == 200 && name &&
             (strcmp(name, a->name) == 0 || (a->pending[0] && strcmp(name, a->pending) == 0));
    if (ok && strcmp(name, a->name) != 0)
        snprintf(a->name, sizeof a->name, "%s", name); /* the cut edit did commit */
    if (!ok)
        fprintf(stderr, "lost: %s: status %ld, name %s, want %s\n", a->key, r.status,
                name ? name : "(none)", a->name);
    a->pending[0] = 0;
    resp_free(&r);
    return ok;
}

static void soak_load(int seconds);

static void acknowledged_writes_survive_sigkill(void **state)
{
    (void)state;
    int kills = env_int("HRAMADA_KILLS", 20);
    unsigned seed = (unsigned)env_int("HRAMADA_SEED", (int)time(NULL));
    printf("crash: %d kills, seed %u\n", kills, seed);
    assert_int_equal(srv_start(&S, 0, NULL), 0);
    const char *add[] = {"user", "add", "driver", "--admin", NULL};
    assert_int_equal(srv_cli(&S, "driver-driver-1\n", add), 0);
    struct client adm;
    client_init(&adm, &S);
    assert_int_equal(client_login(&adm, "driver", "driver-driver-1"), 0);
    struct resp r;
    assert_int_equal(client_post(&adm, "/admin/settings", 0, &r, "open_signup", "1", NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    int total_acked = 0, survived = 0;
    for (int k = 0; k < kills; k++) {
        struct killer kl = {30 + (int)(rand_r(&seed) % 200), 0};
        pthread_t th;
        pthread_create(&th, NULL, killer_main, &kl);
        int from = nacks;
        total_acked += drive(&adm, &seed, k);
        pthread_join(th, NULL);
        int st;
        waitpid(S.pid, &st, 0);
        S.pid = 0;
        assert_true(integrity_ok());
        assert_int_equal(restart(), 0);
        /* Everything written in this round, and a sample of older ones. */
        int lost = 0;
        for (int i = from; i < nacks; i++)
            lost += !present(&adm, &acks[i]);
        for (int i = 0; i < 20 && from > 0; i++)
            lost += !present(&adm, &acks[rand_r(&seed) % (unsigned)from]);
        assert_int_equal(lost, 0);
        survived++;
        if (survived % 50 == 0)
            printf("crash: %d kills survived, %d writes acknowledged so far\n", survived,
                   total_acked);
    }
    /* At the end, all of them. */
    int lost = 0;
    for (int i = 0; i < nacks; i++)
        lost += !present(&adm, &acks[i]);
    assert_int_equal(lost, 0);
    printf("crash: %d kills survived, %d writes acknowledged, %d records checked, none lost\n",
           survived, total_acked, nacks);
    client_free(&adm);
    int soak = env_int("HRAMADA_SOAK_SECONDS", 4);
    soak_load(soak);
    kill_now();
    assert_true(integrity_ok());
    srv_stop(&S);
}

/* ---- the mixed load ---- */

struct worker {
    int id;
    volatile int *stop;
    long requests, failures;
};

static const char *const READS[] = {"/",        "/healthz",          "/c/new",
                                    "/account", "/static/style.css", NULL};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct client c;
    client_init(&c, &S);
    unsigned seed = (unsigned)w->id * 7919u;
    if (client_login(&c, "driver", "driver-driver-1") != 0) w->failures++;
    char slug[48];
    snprintf(slug, sizeof slug, "soak-%d", w->id);
    struct resp r;
    if (client_post(&c, "/c", 0, &r, "name", slug, "slug", slug, "visibility", "public", NULL) ==
        0) {
        if (r.status != 303) w->failures++;
        resp_free(&r);
    } else {
        w->failures++;
    }
    for (long i = 0; !*w->stop; i++) {
        int kind = (int)(rand_r(&seed) % 10);
        int rc;
        long want = 200;
        if (kind < 6) {
            char path[96];
            if (kind < 3)
                snprintf(path, sizeof path, "/c/%s", slug);
            else
                snprintf(path, sizeof path, "%s", READS[rand_r(&seed) % 5]);
            rc = client_get(&c, path, kind & 1, &r);
        } else {
            char path[96], name[64];
            snprintf(path, sizeof path, "/c/%s/edit", slug);
            snprintf(name, sizeof name, "Soak %d %ld", w->id, i);
            rc = client_post(&c, path, 0, &r, "name", name, "visibility", "public", "description",
                             "*Нагрузка*: чтение и запись.", NULL);
            want = 303;
        }
        w->requests++;
        if (rc != 0) {
            w->failures++;
            continue;
        }
        if (r.status != want) {
            if (w->failures < 5) fprintf(stderr, "soak: status %ld\n", r.status);
            w->failures++;
        }
        resp_free(&r);
    }
    client_free(&c);
    return NULL;
}

static long rss_kb(int pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) kb = atol(line + 6);
    if (f) fclose(f);
    return kb;
}

static void soak_load(int seconds)
{
    enum { WORKERS = 4 };
    volatile int stop = 0;
    struct worker w[WORKERS];
    pthread_t th[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        w[i] = (struct worker){i + 1, &stop, 0, 0};
        pthread_create(&th[i], NULL, worker_main, &w[i]);
    }
    /* Memory after a warm-up of a fifth of the run, and at the end. */
    int warm = seconds / 5;
    sleep((unsigned)warm);
    long rss0 = rss_kb(S.pid);
    sleep((unsigned)(seconds - warm));
    long rss1 = rss_kb(S.pid);
    stop = 1;
    long reqs = 0, fails = 0;
    for (int i = 0; i < WORKERS; i++) {
        pthread_join(th[i], NULL);
        reqs += w[i].requests;
        fails += w[i].failures;
    }
    printf("soak: %d s, %ld requests, %ld failed, RSS %ld kB after warm-up, %ld kB at the end\n",
           seconds, reqs, fails, rss0, rss1);
    assert_int_equal(fails, 0);
    assert_true(reqs > 0);
    if (seconds >= 120) assert_true(rss1 <= rss0 + rss0 / 10 + 4096); /* flat: within 10% + 4 MiB */
}

/* After a failed assertion: the server must not outlive the test. */
static int teardown(void **state)
{
    (void)state;
    if (S.pid > 0) kill_now();
    if (S.dir[0]) srv_stop(&S);
    return 0;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* progress of a long soak as it happens */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(acknowledged_writes_survive_sigkill),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
