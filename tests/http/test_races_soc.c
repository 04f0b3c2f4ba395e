/* Sense of community under two writers at once: every rule an answer, a
 * closing or a new wave depends on holds when the state changes between
 * the page and the POST, or when the same write is fired by several
 * clients at the same instant.
 *
 * - one answer per person: the same member in several sessions answering
 *   at once is counted once, the others are refused (409);
 * - an answer to a wave closed since its page was loaded is refused (409)
 *   and writes nothing;
 * - closing is a transition made once: of several closes at once one
 *   succeeds, and closing again (409) changes no row;
 * - waves do not overlap: of several identical new waves at once one
 *   opens;
 * - k is fixed when a wave opens: changing the setting moves only the
 *   next wave's.
 *
 * The world is the demo's board-games club (nastolki-na-raene), where
 * "member" is the organizer and nastolki-na-raene-1..4 are members. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NR "/c/nastolki-na-raene"

enum { FIRE = 6 }; /* clients firing one write together */

static struct srv S;

static int setup(void **state)
{
    (void)state;
    return srv_start(&S, 1, NULL);
}

static int teardown(void **state)
{
    (void)state;
    return srv_stop(&S) == 0 ? 0 : -1;
}

/* Every row of the area's tables and of the ballot boxes, in key order,
 * as one string (malloc'd): equal before and after means nothing was
 * written. Blobs (a text's mix) as hex. */
static char *snapshot(void)
{
    static const char *const tables[] = {
        "soc_settings", "soc_waves",      "ballot_boxes",
        "ballot_roll",  "ballot_tallies", "ballot_texts",
    };
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(S.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        char sql[80];
        snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY 1, 2, 3", tables[t]);
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(st); i++) {
                char cell[256];
                if (sqlite3_column_type(st, i) == SQLITE_BLOB) {
                    const unsigned char *b = sqlite3_column_blob(st, i);
                    int n = sqlite3_column_bytes(st, i), k = 0;
                    for (int j = 0; j < n && k < (int)sizeof cell - 3; j++)
                        k += snprintf(cell + k, sizeof cell - (size_t)k, "%02x", b[j]);
                } else {
                    const unsigned char *s = sqlite3_column_text(st, i);
                    snprintf(cell, sizeof cell, "%s", s ? (const char *)s : "NULL");
                }
                size_t need = len + strlen(cell) + strlen(tables[t]) + 4;
                if (need >= cap) {
                    cap = need * 2;
                    char *bigger = realloc(out, cap);
                    if (!bigger) free(out);
                    assert_non_null(bigger);
                    out = bigger;
                }
                len += (size_t)snprintf(out + len, cap - len, "%s%s%s", i ? "|" : tables[t],
                                        i ? "" : ":", cell);
            }
            out[len++] = '\n';
            out[len] = '\0';
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return out;
}

/* The JSON view of the club's soc page as c sees it (new reference). */
static json_t *soc_view(struct client *c)
{
    return view_json(c, NR "/soc");
}

/* Opens a wave today..today+days as the organizer; its id. */
static long long open_wave(struct client *org, int days)
{
    char a[11], b[11];
    POST(org, NR "/soc/waves", 303, "opens_on", test_day(0, a), "closes_on", test_day(days, b));
    json_t *v = soc_view(org);
    long long id = json_integer_value(jget(v, "open.id"));
    json_decref(v);
    assert_true(id > 0);
    return id;
}

/* ---- several clients firing one POST together ---- */

struct shot {
    struct client *c;
    const char *path;
    const char *const *pairs;
    pthread_barrier_t *go;
    long status;
};

static void *fire_one(void *arg)
{
    struct shot *s = arg;
    pthread_barrier_wait(s->go);
    s->status = post_form(s->c, s->path, s->pairs);
    return NULL;
}

/* POSTs pairs to path from each of the n clients at the same instant;
 * their statuses into st[]. The clients already hold their CSRF tokens,
 * so that each thread makes exactly one request. */
static void fire(struct client *c, int n, const char *path, const char *const *pairs, long *st)
{
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, (unsigned)n);
    struct shot s[FIRE];
    pthread_t th[FIRE];
    assert_true(n <= FIRE);
    for (int i = 0; i < n; i++) {
        s[i] = (struct shot){&c[i], path, pairs, &go, -1};
        assert_int_equal(pthread_create(&th[i], NULL, fire_one, &s[i]), 0);
    }
    for (int i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
        st[i] = s[i].status;
    }
    pthread_barrier_destroy(&go);
}

static int count_status(const long *st, int n, long status)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        k += st[i] == status;
    return k;
}

/* n clients signed in as handle, each in a session of its own, each with
 * its CSRF token taken from the soc page. */
static void sessions(struct client *c, int n, const char *handle)
{
    for (int i = 0; i < n; i++) {
        login_as(&c[i], &S, handle);
        assert_int_equal(client_fetch_csrf(&c[i], NR "/soc"), 0);
    }
}

static void free_all(struct client *c, int n)
{
    for (int i = 0; i < n; i++)
        client_free(&c[i]);
}

static const char *const ANSWER[] = {"membership", "6",          "influence", "7", "integration",
                                     "8",          "connection", "9",         NULL};

/* The same member answering from FIRE sessions at once: one answer. */
static void one_answer_per_person_at_once(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "member");
    long long wave = open_wave(&org, 7);
    struct client c[FIRE];
    sessions(c, FIRE, "nastolki-na-raene-1");
    char path[120];
    snprintf(path, sizeof path, NR "/soc/waves/%lld/answer", wave);
    long st[FIRE];
    fire(c, FIRE, path, ANSWER, st);
    assert_int_equal(count_status(st, FIRE, 303), 1);
    assert_int_equal(count_status(st, FIRE, 409), FIRE - 1);
    json_t *v = soc_view(&c[0]);
    assert_int_equal(json_integer_value(jget(v, "open.answers")), 1);
    assert_true(json_is_true(jget(v, "open.answered")));
    json_decref(v);
    free_all(c, FIRE);
    client_free(&org);
}

/* A member loads the answer form; the organizer closes the wave; the
 * member's POST is refused with 409 and writes nothing. */
static void answer_after_close_since_page(void **state)
{
    (void)state;
    struct client org, m;
    login_as(&org, &S, "member");
    login_as(&m, &S, "nastolki-na-raene-2");
    json_t *v = soc_view(&m);
    long long wave = json_integer_value(jget(v, "open.id"));
    assert_true(wave > 0);
    assert_true(json_is_true(jget(v, "open.eligible")));
    assert_false(json_is_true(jget(v, "open.answered")));
    json_decref(v);
    char *page = get_html(&m, NR "/soc"); /* the form, and the token it carries */
    assert_non_null(strstr(page, "/answer"));
    free(page);
    assert_int_equal(client_fetch_csrf(&m, NR "/soc"), 0);

    char path[120];
    snprintf(path, sizeof path, NR "/soc/waves/%lld/close", wave);
    POST(&org, path, 303, END);
    char *before = snapshot();
    snprintf(path, sizeof path, NR "/soc/waves/%lld/answer", wave);
    assert_int_equal(post_form(&m, path, ANSWER), 409);
    char *after = snapshot();
    assert_string_equal(before, after);
    free(before);
    free(after);
    client_free(&m);
    client_free(&org);
}

/* Closing is made once: FIRE closes at once, one succeeds; a later one is
 * 409 and does not mix the closed box's rows again. */
static void one_close_at_once(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "member");
    long long wave = open_wave(&org, 7);
    struct client c[FIRE];
    sessions(c, FIRE, "member");
    char path[120];
    snprintf(path, sizeof path, NR "/soc/waves/%lld/close", wave);
    long st[FIRE];
    fire(c, FIRE, path, NULL, st);
    assert_int_equal(count_status(st, FIRE, 303), 1);
    assert_int_equal(count_status(st, FIRE, 409), FIRE - 1);
    char *before = snapshot();
    struct resp r;
    const char *const no_pairs[] = {NULL};
    assert_int_equal(post_pairs(&org, path, 1, no_pairs, &r), 0);
    assert_int_equal(r.status, 409);
    assert_string_equal(jstr(r.json, "error.code"), "conflict");
    resp_free(&r);
    char *after = snapshot();
    assert_string_equal(before, after);
    free(before);
    free(after);
    free_all(c, FIRE);
    client_free(&org);
}

/* FIRE identical new waves at once: one opens, the others are refused
 * (409 from the writer, or 422 when the first had already committed
 * before a form was checked). */
static void one_wave_for_the_dates(void **state)
{
    (void)state;
    long long waves = db_value(&S, "SELECT count(*) FROM soc_waves", NULL);
    struct client c[FIRE];
    sessions(c, FIRE, "member");
    char a[11], b[11];
    const char *const pairs[] = {"opens_on", test_day(0, a), "closes_on", test_day(9, b), NULL};
    long st[FIRE];
    fire(c, FIRE, NR "/soc/waves", pairs, st);
    assert_int_equal(count_status(st, FIRE, 303), 1);
    assert_int_equal(count_status(st, FIRE, 409) + count_status(st, FIRE, 422), FIRE - 1);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM soc_waves", NULL), waves + 1);
    free_all(c, FIRE);
}

/* k is fixed when a wave opens: a new k moves only the next wave's. */
static void k_fixed_at_opening(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "member");
    json_t *v = soc_view(&org);
    long long wave = json_integer_value(jget(v, "open.id")); /* the previous test's */
    json_int_t k = json_integer_value(jget(v, "open.k"));
    json_decref(v);
    assert_true(wave > 0);
    assert_int_equal(k, 5);
    POST(&org, NR "/soc/settings", 303, "k", "7");
    v = soc_view(&org);
    assert_int_equal(json_integer_value(jget(v, "k")), 7);
    assert_int_equal(json_integer_value(jget(v, "open.k")), 5);
    json_decref(v);
    char path[120];
    snprintf(path, sizeof path, NR "/soc/waves/%lld/close", wave);
    POST(&org, path, 303, END);
    open_wave(&org, 5);
    v = soc_view(&org);
    assert_int_equal(json_integer_value(jget(v, "open.k")), 7);
    json_decref(v);
    client_free(&org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_answer_per_person_at_once),
        cmocka_unit_test(answer_after_close_since_page),
        cmocka_unit_test(one_close_at_once),
        cmocka_unit_test(one_wave_for_the_dates),
        cmocka_unit_test(k_fixed_at_opening),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
