/* Nothing acknowledged is ever lost. A driver creates communities, edits
 * them, signs people up, writes talent entries and answers a survey; every
 * write the server answered with 303 is recorded. At a random moment the
 * server gets SIGKILL; the database is then opened directly (PRAGMA
 * integrity_check and the full-text index's own check must say ok), the
 * server is restarted on it, and every acknowledged write must be there.
 *
 * HRAMADA_KILLS (default 20) sets the number of kills. HRAMADA_SOAK_SECONDS
 * adds a mixed read/write load of that many seconds afterwards, in which no
 * request may fail; from two minutes on the server's resident memory must
 * also stay flat (make soak: 500 kills and ten minutes). The job thread
 * polls every 20 ms meanwhile: after each kill its recurring jobs are one
 * row each and no notice of the scheduled pass is there twice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/check.h"
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

/* The kinds of write the driver makes. */
enum kind { W_COMMUNITY, W_RENAME, W_ACCOUNT, W_TALENT, W_ANSWER, W_KINDS };
static const char *const KIND_NAMES[W_KINDS] = {"communities", "renames", "sign-ups",
                                                "talent entries", "survey answers"};

/* One acknowledged write, checked after each restart:
 * - W_COMMUNITY: key is a slug whose name must be name (renames update
 *   name; pending: a newer name whose request was cut by the kill, which
 *   may or may not have committed);
 * - W_ACCOUNT: key is a handle that must be able to sign in;
 * - W_TALENT: entry id of community key must have the title name, and a
 *   search for word must find it;
 * - W_ANSWER: key is the handle of a member whose response to the survey
 *   must hold the text name and the scale value id. */
struct ack {
    enum kind kind;
    char key[48];
    char name[64];
    char pending[64];
    char word[24];
    long id;
};
static struct ack *acks; /* grows; freed at the end of the test */
static int nacks, cap_acks;
static long acked_by_kind[W_KINDS];

/* The survey every new member answers, and the invitation that lets them
 * into its community. */
#define POLL "opros"
static long poll_id;
static char invite_token[128];

static struct ack *ack_add(enum kind kind, const char *key)
{
    if (nacks == cap_acks) {
        int cap = cap_acks ? cap_acks * 2 : 4096;
        struct ack *grown = realloc(acks, (size_t)cap * sizeof *grown);
        if (!grown) abort();
        acks = grown;
        cap_acks = cap;
    }
    struct ack *a = &acks[nacks++];
    memset(a, 0, sizeof *a);
    a->kind = kind;
    snprintf(a->key, sizeof a->key, "%s", key);
    return a;
}

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

/* The child that reads the restarted server's output; it ends when the
 * server does, and is reaped then (500 kills would leave 500 zombies). */
static pid_t drainer;

static void reap_drainer(void)
{
    if (drainer > 0) waitpid(drainer, NULL, 0);
    drainer = 0;
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
        /* A small page cache (2 MiB a connection) that is full well within
         * the soak's warm-up: memory that still grows after it is not
         * SQLite's cache filling up on a database the kills made large. */
        execl(bin(), bin(), "serve", "--db", S.db, "--listen", "127.0.0.1:0", "--quiet",
              "--cache-mb", "2", "--jobs-poll-ms", "20", (char *)NULL);
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
    if (f && (drainer = fork()) == 0) {
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
    reap_drainer();
}

/* The first column of the one row of sql on db is 0; else prints what. */
static int counts_zero(sqlite3 *db, const char *sql, const char *what)
{
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    if (n < 0)
        fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    else if (n != 0)
        fprintf(stderr, "%s: %lld\n", what, n);
    sqlite3_finalize(st);
    return n == 0;
}

/* PRAGMA integrity_check straight on the file (this also replays the WAL,
 * as the next start would); FTS5's own check of the talent index against
 * its rows (integrity_check of SQLite 3.40 does not look inside full-text
 * indexes); and every talent entry's match words stored as stems, one row
 * a word (as the entry's transaction writes them). */
static int integrity_ok(void)
{
    static const char words[] =
        "SELECT count(*) FROM talent_entries e WHERE e.words IS NOT NULL"
        " AND (SELECT count(*) FROM talent_words w WHERE w.entry_id = e.id) <>"
        " CASE WHEN e.words = '' THEN 0"
        " ELSE length(e.words) - length(replace(e.words, ' ', '')) + 1 END";
    /* The job queue (core/jobs.h): each recurring job is one row whatever
     * the kills did, the mail cursor is there, and no notice of the
     * scheduled pass is there twice. */
    static const char jobs_recurring[] =
        "SELECT abs((SELECT count(*) FROM jobs WHERE key = 'notify.pass') - 1)"
        " + abs((SELECT count(*) FROM jobs WHERE key = 'mail.scan') - 1)"
        " + abs((SELECT count(*) FROM mail_cursor) - 1)";
    static const char jobs_bad[] =
        "SELECT count(*) FROM jobs WHERE attempts > 8 OR (state = 'done' AND done_at IS NULL)";
    static const char notices_twice[] =
        "SELECT count(*) FROM (SELECT 1 FROM notifications"
        " WHERE kind GLOB '*.closing' OR kind GLOB '*.tomorrow'"
        " GROUP BY member_id, kind, object_id, day HAVING count(*) > 1)";
    sqlite3 *db = NULL;
    int ok = 0;
    if (sqlite3_open_v2(S.db, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK)
        ok = db_says_ok(db, "PRAGMA integrity_check") &&
             db_says_ok(db, "INSERT INTO talent_fts(talent_fts) VALUES('integrity-check')") &&
             counts_zero(db, words, "talent entries whose words and stems differ") &&
             counts_zero(db, jobs_recurring, "recurring jobs lost or doubled") &&
             counts_zero(db, jobs_bad, "jobs in no state or past their attempts") &&
             counts_zero(db, notices_twice, "scheduled notices written twice");
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

/* YYYY-MM-DD of today + days (UTC, as the server counts days). */
static const char *day(int days, char out[11])
{
    time_t t = time(NULL) + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
    return out;
}

/* A fresh invitation into POLL for 1000 people, as its organizer. Returns
 * 0, 1 when the server said no, -1 when it went away. */
static int new_invitation(struct client *org)
{
    struct resp r;
    if (client_post(org, "/c/" POLL "/invite", 1, &r, "role", "member", "max_uses", "1000", "days",
                    "90", NULL) != 0)
        return -1;
    const char *link =
        r.json ? json_string_value(json_object_get(json_object_get(r.json, "created"), "link"))
               : NULL;
    const char *tok = link ? strstr(link, "/i/") : NULL;
    int ok = r.status == 201 && tok;
    if (ok)
        snprintf(invite_token, sizeof invite_token, "%s", tok + 3);
    else
        fprintf(stderr, "invite: status %ld\n", r.status);
    resp_free(&r);
    return ok ? 0 : 1;
}

/* The community POLL with a named survey for its members: a required short
 * text and a required five-point scale, open from today. */
static void setup_poll(struct client *org)
{
    struct resp r;
    assert_int_equal(client_post(org, "/c", 0, &r, "name", "Опрос соседей", "slug", POLL,
                                 "visibility", "public", NULL),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(new_invitation(org), 0);
    assert_int_equal(client_post(org, "/c/" POLL "/surveys", 0, &r, "template", "blank", NULL), 0);
    assert_int_equal(r.status, 303);
    char loc[160];
    assert_int_equal(resp_header(&r, "Location", loc, sizeof loc), 0);
    assert_int_equal(sscanf(loc, "/c/" POLL "/surveys/%ld/edit", &poll_id), 1);
    resp_free(&r);
    char path[128], from[11], to[11];
    snprintf(path, sizeof path, "/c/" POLL "/surveys/%ld/edit", poll_id);
    assert_int_equal(client_post(org, path, 0, &r, "title", "Что вы умеете", "audience", "members",
                                 "opens_on", day(0, from), "closes_on", day(60, to), NULL),
                     0);
    assert_int_equal(r.status, 303); /* no "anonymous": a named survey */
    resp_free(&r);
    snprintf(path, sizeof path, "/c/" POLL "/surveys/%ld/questions", poll_id);
    assert_int_equal(client_post(org, path, 0, &r, "kind", "short", "text",
                                 "Чем вы можете помочь соседям?", "required", "1", NULL),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(client_post(org, path, 0, &r, "kind", "scale5", "text",
                                 "Насколько вы знаете соседей?", "required", "1", NULL),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    snprintf(path, sizeof path, "/c/" POLL "/surveys/%ld/publish", poll_id);
    assert_int_equal(client_post(org, path, 0, &r, NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
}

/* A sign-up, then the new member joins POLL by the invitation and answers
 * the survey. Returns -1 when the server went away. */
static int signup_and_answer(struct client *adm, unsigned *seed, int round, int i, int *acked)
{
    struct client u;
    client_init(&u, &S);
    char handle[48];
    snprintf(handle, sizeof handle, "u%d-%d", round, i);
    struct resp r;
    int rc = client_fetch_csrf(&u, "/signup");
    if (rc == 0)
        rc = client_post(&u, "/signup", 0, &r, "handle", handle, "display_name", handle, "password",
                         "crash-crash-1", "password2", "crash-crash-1", NULL);
    if (rc == 0) {
        int ok = r.status == 303;
        resp_free(&r);
        if (ok) {
            ack_add(W_ACCOUNT, handle);
            acked_by_kind[W_ACCOUNT]++;
            ++*acked;
            u.csrf[0] = 0; /* bound to the new session now */
            rc = client_fetch_csrf(&u, "/");
        } else {
            rc = 1;
        }
    }
    /* Into POLL by the invitation (a new one when it is used up). */
    char path[160];
    for (int tries = 0; rc == 0 && tries < 2; tries++) {
        snprintf(path, sizeof path, "/i/%s", invite_token);
        rc = client_post(&u, path, 0, &r, NULL);
        if (rc != 0) break;
        long st = r.status;
        resp_free(&r);
        if (st == 303) break;
        if (st != 410) fprintf(stderr, "join: status %ld\n", st);
        rc = st == 410 ? new_invitation(adm) : 1;
        if (rc == 0 && tries == 1) rc = 1;
    }
    if (rc == 0) {
        char text[64], scale[4];
        snprintf(text, sizeof text, "Починю кран, ответ %d-%d", round, i);
        snprintf(scale, sizeof scale, "%u", 1 + rand_r(seed) % 5);
        snprintf(path, sizeof path, "/c/" POLL "/surveys/%ld/answer", poll_id);
        rc = client_post(&u, path, 0, &r, "q1", text, "q2", scale, NULL);
        if (rc == 0) {
            if (r.status == 303) {
                struct ack *a = ack_add(W_ANSWER, handle);
                snprintf(a->name, sizeof a->name, "%s", text);
                a->id = atol(scale);
                acked_by_kind[W_ANSWER]++;
                ++*acked;
            } else {
                fprintf(stderr, "answer: status %ld\n", r.status);
            }
            resp_free(&r);
        }
    }
    client_free(&u);
    return rc < 0 ? -1 : 0;
}

/* A random acknowledged community, or NULL after a few misses. */
static struct ack *some_community(unsigned *seed)
{
    for (int t = 0; t < 8 && nacks > 0; t++) {
        struct ack *a = &acks[rand_r(seed) % (unsigned)nacks];
        if (a->kind == W_COMMUNITY) return a;
    }
    return NULL;
}

static const char *const TALENT_KINDS[] = {"offer", "need", "skill", "hobby"};
static const char *const TALENT_CATS[] = {"repairs", "garden", "it", "music", "children"};

/* Writes until the server dies; returns the number acknowledged. */
static int drive(struct client *c, unsigned *seed, int round)
{
    int acked = 0;
    for (int i = 0;; i++) {
        struct resp r;
        int kind = (int)(rand_r(seed) % 20);
        if (kind < 3) { /* a sign-up, a join and a survey answer */
            if (signup_and_answer(c, seed, round, i, &acked) != 0) return acked;
        } else if (kind < 10 || nacks == 0) { /* a new community */
            char slug[48], name[64];
            snprintf(slug, sizeof slug, "k%d-%d", round, i);
            snprintf(name, sizeof name, "Crash %d %d", round, i);
            if (client_post(c, "/c", 0, &r, "name", name, "slug", slug, "visibility", "public",
                            "description", "Проверка записи после SIGKILL.", NULL) != 0)
                return acked;
            if (r.status == 303) {
                struct ack *a = ack_add(W_COMMUNITY, slug);
                snprintf(a->name, sizeof a->name, "%s", name);
                acked_by_kind[W_COMMUNITY]++;
                acked++;
            }
            resp_free(&r);
        } else if (kind < 14) { /* an edit of an acknowledged community */
            struct ack *a = some_community(seed);
            if (!a) continue;
            char path[96], name[64];
            snprintf(path, sizeof path, "/c/%s/edit", a->key);
            snprintf(name, sizeof name, "Edit %d %d", round, i);
            snprintf(a->pending, sizeof a->pending, "%s", name);
            if (client_post(c, path, 0, &r, "name", name, "visibility", "public", "description",
                            "Изменено.", NULL) != 0)
                return acked;
            if (r.status == 303) {
                snprintf(a->name, sizeof a->name, "%s", name);
                acked_by_kind[W_RENAME]++;
                acked++;
            }
            a->pending[0] = 0;
            resp_free(&r);
        } else { /* a talent entry in an acknowledged community */
            struct ack *a = some_community(seed);
            if (!a) continue;
            char slug[48], path[96], title[64], word[24], tags[96];
            snprintf(slug, sizeof slug, "%s", a->key);
            snprintf(path, sizeof path, "/c/%s/talents", slug);
            snprintf(word, sizeof word, "w%dx%d", round, i);
            snprintf(title, sizeof title, "Велосипеды и краны %s", word);
            snprintf(tags, sizeof tags, "#Ремонт, велосипеды, %s", word);
            if (client_post(c, path, 0, &r, "kind", TALENT_KINDS[rand_r(seed) % 4], "category",
                            TALENT_CATS[rand_r(seed) % 5], "title", title, "body",
                            "Могу **починить** велосипед или кран; звоните вечером.", "tags", tags,
                            "availability", "evenings", "visibility", "members", NULL) != 0)
                return acked;
            char loc[160];
            long id = 0;
            if (r.status == 303 && resp_header(&r, "Location", loc, sizeof loc) == 0 &&
                strncmp(loc, path, strlen(path)) == 0 &&
                sscanf(loc + strlen(path), "/%ld", &id) == 1) {
                struct ack *t = ack_add(W_TALENT, slug);
                snprintf(t->name, sizeof t->name, "%s", title);
                snprintf(t->word, sizeof t->word, "%s", word);
                t->id = id;
                acked_by_kind[W_TALENT]++;
                acked++;
            } else if (r.status == 303) {
                fprintf(stderr, "talent: 303 without the entry's Location\n");
            }
            resp_free(&r);
        }
    }
    return acked;
}

/* The database, read-only, for the survey answers (opened when first
 * needed after a restart; closed before the next kill). */
static sqlite3 *vdb;

static void vdb_close(void)
{
    sqlite3_close(vdb);
    vdb = NULL;
}

/* The member's one response to the survey holds both answers. */
static int answer_present(const struct ack *a)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM survey_answers x WHERE x.response_id = r.id"
        "        AND x.value IN (?3, ?4)),"
        "       EXISTS (SELECT 1 FROM survey_respondents s WHERE s.survey_id = ?1"
        "        AND s.who = 'm' || l.member_id)"
        " FROM survey_responses r JOIN member_accounts l ON l.member_id = r.member_id"
        " JOIN accounts a ON a.id = l.account_id"
        " WHERE r.survey_id = ?1 AND a.handle = ?2";
    if (!vdb && sqlite3_open_v2(S.db, &vdb, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "open %s: %s\n", S.db, sqlite3_errmsg(vdb));
        vdb_close();
        return 0;
    }
    sqlite3_stmt *st = NULL;
    int rows = 0, answers = 0, respondent = 0;
    char scale[4];
    snprintf(scale, sizeof scale, "%ld", a->id);
    if (sqlite3_prepare_v2(vdb, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, poll_id);
        sqlite3_bind_text(st, 2, a->key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, a->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, scale, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            rows++;
            answers = sqlite3_column_int(st, 0);
            respondent = sqlite3_column_int(st, 1);
        }
    }
    if (!st) fprintf(stderr, "answer_present: %s\n", sqlite3_errmsg(vdb));
    sqlite3_finalize(st);
    int ok = rows == 1 && answers == 2 && respondent == 1;
    if (!ok)
        fprintf(stderr, "lost: answer of %s: %d responses, %d answers, respondent %d\n", a->key,
                rows, answers, respondent);
    return ok;
}

/* The entry's page shows its title, and a search for its word finds it. */
static int talent_present(struct client *c, const struct ack *a)
{
    struct resp r;
    char path[160];
    snprintf(path, sizeof path, "/c/%s/talents/%ld", a->key, a->id);
    if (client_get(c, path, 1, &r) != 0) return 0;
    const char *title =
        r.json ? json_string_value(json_object_get(json_object_get(r.json, "entry"), "title"))
               : NULL;
    int ok = r.status == 200 && title && strcmp(title, a->name) == 0;
    if (!ok)
        fprintf(stderr, "lost: %s: status %ld, title %s, want %s\n", path, r.status,
                title ? title : "(none)", a->name);
    resp_free(&r);
    if (!ok) return 0;
    snprintf(path, sizeof path, "/c/%s/talents?q=%s", a->key, a->word);
    if (client_get(c, path, 1, &r) != 0) return 0;
    int found = 0;
    json_t *e;
    size_t i;
    json_array_foreach(r.json ? json_object_get(r.json, "entries") : NULL, i, e)
    {
        found |= json_integer_value(json_object_get(e, "id")) == a->id;
    }
    if (!found)
        fprintf(stderr, "lost: %s: status %ld, entry %ld not found\n", path, r.status, a->id);
    resp_free(&r);
    return found;
}

/* Checks one acknowledged write against the restarted server. */
static int present(struct client *c, struct ack *a)
{
    struct resp r;
    if (a->kind == W_ANSWER) return answer_present(a);
    if (a->kind == W_TALENT) return talent_present(c, a);
    if (a->kind == W_ACCOUNT) {
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
    time_t t0 = time(NULL);
    static const char *const fast_jobs[] = {"--jobs-poll-ms", "20", NULL};
    assert_int_equal(srv_start(&S, 0, fast_jobs), 0);
    const char *add[] = {"user", "add", "driver", "--admin", NULL};
    assert_int_equal(srv_cli(&S, "driver-driver-1\n", add), 0);
    struct client adm;
    client_init(&adm, &S);
    assert_int_equal(client_login(&adm, "driver", "driver-driver-1"), 0);
    struct resp r;
    assert_int_equal(client_post(&adm, "/admin/settings", 0, &r, "open_signup", "1", NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    setup_poll(&adm);
    int total_acked = 0, survived = 0;
    long checked = 0;
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
        reap_drainer();
        assert_true(integrity_ok());
        assert_int_equal(restart(), 0);
        /* Everything written in this round, and a sample of older ones. */
        int lost = 0;
        for (int i = from; i < nacks; i++, checked++)
            lost += !present(&adm, &acks[i]);
        for (int i = 0; i < 20 && from > 0; i++, checked++)
            lost += !present(&adm, &acks[rand_r(&seed) % (unsigned)from]);
        vdb_close();
        assert_int_equal(lost, 0);
        survived++;
        if (survived % 50 == 0)
            printf("crash: %d kills survived, %d writes acknowledged so far (%lds)\n", survived,
                   total_acked, (long)(time(NULL) - t0));
    }
    /* At the end, all of them. */
    int lost = 0;
    for (int i = 0; i < nacks; i++, checked++)
        lost += !present(&adm, &acks[i]);
    vdb_close();
    assert_int_equal(lost, 0);
    printf("crash: %d kills survived, %d writes acknowledged (", survived, total_acked);
    for (int i = 0; i < W_KINDS; i++)
        printf("%s%ld %s", i ? ", " : "", acked_by_kind[i], KIND_NAMES[i]);
    printf("), %d records, %ld checks, none lost (%lds)\n", nacks, checked,
           (long)(time(NULL) - t0));
    client_free(&adm);
    int soak = env_int("HRAMADA_SOAK_SECONDS", 4);
    soak_load(soak);
    kill_now();
    assert_true(integrity_ok());
    srv_stop(&S);
    free(acks);
    acks = NULL;
    nacks = cap_acks = 0;
}

/* ---- the mixed load ---- */

struct worker {
    int id;
    volatile int *stop;
    long requests, failures;
};

static const char *const READS[] = {"/",        "/healthz",          "/c/new",
                                    "/account", "/static/style.css", NULL};

/* A read of the talent bank or the survey: the worker's own entry, its
 * community's list and search, an entry the crash loop wrote and a search
 * for it, the survey's list, form and results. */
static void talent_survey_read(char *path, size_t n, const char *slug, long entry, unsigned *seed)
{
    struct ack *t = NULL;
    for (int i = 0; i < 8 && nacks > 0 && !t; i++) {
        struct ack *a = &acks[rand_r(seed) % (unsigned)nacks];
        if (a->kind == W_TALENT) t = a;
    }
    switch (rand_r(seed) % 8) {
    case 0:
        snprintf(path, n, "/c/%s/talents/%ld", slug, entry);
        break;
    case 1:
        snprintf(path, n, "/c/%s/talents", slug);
        break;
    case 2:
        snprintf(path, n, "/c/%s/talents?q=%s", slug, "%D0%B2%D0%B5%D0%BB%D0%BE");
        break;
    case 3:
        if (t)
            snprintf(path, n, "/c/%s/talents/%ld", t->key, t->id);
        else
            snprintf(path, n, "/c/%s/talents/mine", slug);
        break;
    case 4:
        if (t)
            snprintf(path, n, "/c/%s/talents?q=%s&kind=offer", t->key, t->word);
        else
            snprintf(path, n, "/c/%s/talents/tags?q=%s", slug, "%D1%80%D0%B5");
        break;
    case 5:
        snprintf(path, n, "/c/" POLL "/surveys");
        break;
    case 6:
        snprintf(path, n, "/c/" POLL "/surveys/%ld", poll_id);
        break;
    default:
        snprintf(path, n, "/c/" POLL "/surveys/%ld/results", poll_id);
        break;
    }
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct client c;
    client_init(&c, &S);
    unsigned seed = (unsigned)w->id * 7919u;
    if (client_login(&c, "driver", "driver-driver-1") != 0) w->failures++;
    char slug[48], path[160];
    snprintf(slug, sizeof slug, "soak-%d", w->id);
    struct resp r;
    long entry = 0;
    if (client_post(&c, "/c", 0, &r, "name", slug, "slug", slug, "visibility", "public", NULL) ==
        0) {
        if (r.status != 303) w->failures++;
        resp_free(&r);
    } else {
        w->failures++;
    }
    snprintf(path, sizeof path, "/c/%s/talents", slug);
    if (client_post(&c, path, 0, &r, "kind", "offer", "category", "repairs", "title",
                    "Починю велосипед", "body", "Вечером во дворе.", "tags", "ремонт, велосипеды",
                    NULL) == 0) {
        char loc[160];
        if (r.status != 303 || resp_header(&r, "Location", loc, sizeof loc) != 0 ||
            strncmp(loc, path, strlen(path)) != 0 ||
            sscanf(loc + strlen(path), "/%ld", &entry) != 1)
            w->failures++;
        resp_free(&r);
    } else {
        w->failures++;
    }
    for (long i = 0; !*w->stop; i++) {
        int kind = (int)(rand_r(&seed) % 10);
        int rc;
        long want = 200;
        if (kind < 6) {
            if (kind < 2)
                snprintf(path, sizeof path, "/c/%s", slug);
            else if (kind < 4)
                snprintf(path, sizeof path, "%s", READS[rand_r(&seed) % 5]);
            else
                talent_survey_read(path, sizeof path, slug, entry, &seed);
            rc = client_get(&c, path, kind & 1, &r);
        } else {
            char name[64];
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
            if (w->failures < 5) fprintf(stderr, "soak: %s: status %ld\n", path, r.status);
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
    vdb_close();
    if (S.pid > 0) kill_now();
    if (S.dir[0]) srv_stop(&S);
    free(acks);
    acks = NULL;
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
