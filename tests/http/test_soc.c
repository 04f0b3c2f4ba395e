/* Sense of community over HTTP: rights, the demo's results and hidden
 * results, answering and changing an answer, every bad input, the k rule at
 * k-1 and k answers, and every way we know to read a single answer (pages,
 * JSON, CSV) finding none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* Nothing that could link an answer to a person ever leaves the server. */
static void no_secrets(const char *body)
{
    assert_null(strstr(body, "slot"));
    assert_null(strstr(body, "\"secret\""));
    assert_null(strstr(body, "account_id"));
    assert_null(strstr(body, "c_membership\":"));
}

/* GET as JSON; returns the status and (if out) a new reference to the view. */
static long getj(struct client *c, const char *path, json_t **out)
{
    struct resp r;
    assert_int_equal(client_get(c, path, 1, &r), 0);
    long st = r.status;
    no_secrets(r.body);
    if (out) *out = r.json ? json_incref(r.json) : NULL;
    resp_free(&r);
    return st;
}

static long answer(struct client *c, const char *slug, long wave, const char *a, const char *b,
                   const char *cc, const char *d, const char *comment, struct resp *keep)
{
    char path[160];
    snprintf(path, sizeof path, "/c/%s/soc/waves/%ld/answer", slug, wave);
    struct resp r;
    assert_int_equal(client_post(c, path, 0, &r, "membership", a, "influence", b, "integration", cc,
                                 "connection", d, "c_influence", comment, NULL),
                     0);
    long st = r.status;
    no_secrets(r.body);
    if (keep)
        *keep = r;
    else
        resp_free(&r);
    return st;
}

/* Opens a wave today..+7 as staff; returns its id. */
static long open_wave(struct client *staff, const char *slug)
{
    char path[120], a[11], b[11];
    snprintf(path, sizeof path, "/c/%s/soc/waves", slug);
    struct resp r;
    assert_int_equal(client_post(staff, path, 0, &r, "opens_on", test_day(0, a), "closes_on",
                                 test_day(7, b), NULL),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    snprintf(path, sizeof path, "/c/%s/soc", slug);
    json_t *v;
    assert_int_equal(getj(staff, path, &v), 200);
    long id = (long)json_integer_value(json_object_get(json_object_get(v, "open"), "id"));
    assert_true(id > 0);
    json_decref(v);
    return id;
}

static void close_wave(struct client *staff, const char *slug, long id)
{
    char path[120];
    snprintf(path, sizeof path, "/c/%s/soc/waves/%ld/close", slug, id);
    struct resp r;
    assert_int_equal(client_post(staff, path, 0, &r, NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
}

static json_t *wave_view(struct client *c, const char *slug, long id, long *status)
{
    char path[120];
    snprintf(path, sizeof path, "/c/%s/soc/waves/%ld", slug, id);
    json_t *v = NULL;
    *status = getj(c, path, &v);
    return v;
}

static long csv_status(struct client *c, const char *slug, long id, struct resp *keep)
{
    char path[140];
    snprintf(path, sizeof path, "/c/%s/soc/waves/%ld/results.csv", slug, id);
    struct resp r;
    assert_int_equal(client_get(c, path, 0, &r), 0);
    long st = r.status;
    no_secrets(r.body);
    if (keep)
        *keep = r;
    else
        resp_free(&r);
    return st;
}

static int64_t sum_counts(json_t *factor)
{
    int64_t n = 0;
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(factor, "bars"), i, b) n +=
        json_integer_value(json_object_get(b, "count"));
    return n;
}

static void rights(void **state)
{
    (void)state;
    struct client anon;
    client_init(&anon, &S);
    assert_int_equal(getj(&anon, "/c/dvor-sadovaya-12/soc", NULL), 401);
    struct resp r;
    assert_int_equal(client_get(&anon, "/c/dvor-sadovaya-12/soc/waves/1/results.csv", 0, &r), 0);
    assert_true(r.status == 303 || r.status == 401);
    resp_free(&r);
    client_free(&anon);

    struct client nc;
    login_as(&nc, &S, "newcomer");
    assert_int_equal(getj(&nc, "/c/dvor-sadovaya-12/soc", NULL), 403);
    assert_int_equal(getj(&nc, "/c/dvor-sadovaya-12/soc/waves/1", NULL), 403);
    assert_int_equal(getj(&nc, "/c/zelenyj-kvartal/soc", NULL), 403);
    assert_int_equal(getj(&nc, "/c/tiho-vmeste/soc", NULL), 404);
    /* the public dashboard shows a stranger no panel of ours */
    json_t *v;
    assert_int_equal(getj(&nc, "/c/dvor-sadovaya-12", &v), 200);
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(v, "panels"), i, p)
        assert_string_not_equal(json_string_value(json_object_get(p, "area")), "soc");
    json_decref(v);
    client_free(&nc);

    struct client m;
    login_as(&m, &S, "member");
    assert_int_equal(getj(&m, "/c/tiho-vmeste/soc", NULL), 200);
    /* a plain member cannot open a wave, change settings or compare */
    assert_int_equal(client_post(&m, "/c/dvor-sadovaya-12/soc/waves", 0, &r, "opens_on",
                                 "2030-01-01", "closes_on", "2030-01-09", NULL),
                     0);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    assert_int_equal(client_post(&m, "/c/dvor-sadovaya-12/soc/settings", 0, &r, "k", "9", NULL), 0);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    assert_int_equal(client_post(&m, "/c/dvor-sadovaya-12/soc/waves/2/close", 0, &r, NULL), 0);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    assert_int_equal(getj(&m, "/c/dvor-sadovaya-12/soc/compare", NULL), 403);
    client_free(&m);

    struct client co;
    login_as(&co, &S, "coordinator");
    assert_int_equal(getj(&co, "/c/roditeli-shkoly-7/soc/compare", &v), 200);
    assert_int_equal(json_array_size(json_object_get(v, "communities")), 2);
    json_decref(v);
    assert_int_equal(getj(&co, "/c/dvor-sadovaya-12/soc/compare", NULL), 403); /* not a member */
    client_free(&co);
}

static void demo_results_and_trend(void **state)
{
    (void)state;
    struct client m;
    login_as(&m, &S, "member");
    json_t *v;
    assert_int_equal(getj(&m, "/c/dvor-sadovaya-12/soc", &v), 200);
    json_t *res = json_object_get(json_object_get(v, "latest"), "results");
    assert_true(json_is_true(json_object_get(res, "visible")));
    json_t *factors = json_object_get(res, "factors");
    assert_int_equal(json_array_size(factors), 4);
    for (size_t f = 0; f < 4; f++)
        assert_int_equal(sum_counts(json_array_get(factors, f)), 9);
    assert_string_equal(json_string_value(json_object_get(json_object_get(res, "weakest"), "key")),
                        "integration");
    assert_int_equal(json_integer_value(json_object_get(res, "rate_pct")), 82);
    /* the trend's numbers, oldest wave first; the chart itself is the page's */
    assert_null(json_object_get(v, "trend_svg"));
    json_t *trend = json_object_get(v, "trend");
    assert_int_equal(json_array_size(trend), 2);
    json_t *last = json_array_get(trend, 1);
    assert_string_equal(json_string_value(json_object_get(last, "closes")),
                        json_string_value(json_object_get(json_object_get(v, "latest"), "closes")));
    assert_int_equal(json_array_size(json_object_get(last, "means")), 4);
    assert_int_equal(json_array_size(json_object_get(v, "waves")), 2);
    json_decref(v);
    struct resp page;
    assert_int_equal(client_get(&m, "/c/dvor-sadovaya-12/soc", 0, &page), 0);
    assert_non_null(strstr(page.body, "<polyline"));
    resp_free(&page);

    struct resp r;
    assert_int_equal(csv_status(&m, "dvor-sadovaya-12", 2, &r), 200);
    assert_memory_equal(r.body, "\xEF\xBB\xBF", 3);
    int lines = 0;
    for (const char *p = r.body; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 5); /* a header and one row per factor, no row per person */
    resp_free(&r);

    /* the dashboard panel names the weakest factor */
    assert_int_equal(client_get(&m, "/c/dvor-sadovaya-12", 0, &r), 0);
    assert_non_null(strstr(r.body, "panel-soc"));
    assert_non_null(strstr(r.body, "Интеграция"));
    resp_free(&r);
    client_free(&m);
}

static void open_wave_hides_results(void **state)
{
    (void)state;
    struct client f;
    login_as(&f, &S, "member"); /* facilitator of zelenyj-kvartal */
    json_t *v;
    assert_int_equal(getj(&f, "/c/zelenyj-kvartal/soc", &v), 200);
    json_t *open = json_object_get(v, "open");
    assert_non_null(open);
    assert_null(json_object_get(v, "latest"));
    assert_int_equal(json_integer_value(json_object_get(open, "needed")), 3);
    assert_false(json_is_true(json_object_get(open, "answered")));
    long id = (long)json_integer_value(json_object_get(open, "id"));
    json_decref(v);
    long st;
    v = wave_view(&f, "zelenyj-kvartal", id, &st);
    assert_int_equal(st, 200);
    json_t *res = json_object_get(json_object_get(v, "wave"), "results");
    assert_false(json_is_true(json_object_get(res, "visible")));
    assert_null(json_object_get(res, "factors"));
    assert_null(json_object_get(res, "weakest"));
    json_decref(v);
    assert_int_equal(csv_status(&f, "zelenyj-kvartal", id, NULL), 404);
    struct resp r;
    assert_int_equal(client_get(&f, "/c/zelenyj-kvartal", 0, &r), 0);
    assert_non_null(strstr(r.body, "/c/zelenyj-kvartal/soc"));
    resp_free(&r);
    client_free(&f);
}

static void bad_input_changes_nothing(void **state)
{
    (void)state;
    struct client f;
    login_as(&f, &S, "member");
    json_t *v;
    assert_int_equal(getj(&f, "/c/zelenyj-kvartal/soc", &v), 200);
    json_t *open = json_object_get(v, "open");
    long id = (long)json_integer_value(json_object_get(open, "id"));
    json_int_t before = json_integer_value(json_object_get(open, "answers"));
    json_decref(v);
    static const char *const bad[][4] = {
        {"11", "5", "5", "5"}, {"0", "5", "5", "5"},  {"5", "abc", "5", "5"},
        {"5", "5", "", "5"},   {"5", "5", "5", "-1"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct resp r;
        assert_int_equal(answer(&f, "zelenyj-kvartal", id, bad[i][0], bad[i][1], bad[i][2],
                                bad[i][3], "Мой комментарий остаётся", &r),
                         422);
        assert_non_null(strstr(r.body, "field-error"));
        assert_non_null(strstr(r.body, "Мой комментарий остаётся")); /* input kept */
        resp_free(&r);
    }
    /* a comment too long */
    char *longc = malloc(1200 * 2 + 1);
    for (int i = 0; i < 1200; i++)
        memcpy(longc + 2 * i, "ё", 2);
    longc[2400] = 0;
    assert_int_equal(answer(&f, "zelenyj-kvartal", id, "5", "5", "5", "5", longc, NULL), 422);
    free(longc);
    assert_int_equal(getj(&f, "/c/zelenyj-kvartal/soc", &v), 200);
    open = json_object_get(v, "open");
    assert_int_equal(json_integer_value(json_object_get(open, "answers")), before);
    assert_false(json_is_true(json_object_get(open, "answered")));
    json_decref(v);
    /* an unknown wave */
    assert_int_equal(answer(&f, "zelenyj-kvartal", 9999, "5", "5", "5", "5", "", NULL), 404);
    /* a wave of another community, through this community's path */
    assert_int_equal(answer(&f, "zelenyj-kvartal", 2, "5", "5", "5", "5", "", NULL), 404);

    /* organizer settings: k below 3 is refused and k stays */
    struct client o;
    login_as(&o, &S, "organizer");
    struct resp r;
    assert_int_equal(
        client_post(&o, "/c/zelenyj-kvartal/soc/settings", 0, &r, "k", "2", "share", "1", NULL), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "field-error"));
    resp_free(&r);
    assert_int_equal(client_post(&o, "/c/zelenyj-kvartal/soc/settings", 0, &r, "k", "-7", NULL), 0);
    assert_int_equal(r.status, 422);
    resp_free(&r);
    assert_int_equal(getj(&o, "/c/zelenyj-kvartal/soc", &v), 200);
    assert_int_equal(json_integer_value(json_object_get(v, "k")), 5);
    assert_false(json_is_true(json_object_get(v, "share")));
    json_decref(v);
    /* dates: reversed, past, overlapping the open wave */
    char a[11], b[11];
    assert_int_equal(client_post(&o, "/c/zelenyj-kvartal/soc/waves", 0, &r, "opens_on",
                                 test_day(40, a), "closes_on", test_day(30, b), NULL),
                     0);
    assert_int_equal(r.status, 422);
    resp_free(&r);
    assert_int_equal(client_post(&o, "/c/zelenyj-kvartal/soc/waves", 0, &r, "opens_on",
                                 test_day(-40, a), "closes_on", test_day(-30, b), NULL),
                     0);
    assert_int_equal(r.status, 422);
    resp_free(&r);
    assert_int_equal(client_post(&o, "/c/zelenyj-kvartal/soc/waves", 0, &r, "opens_on",
                                 test_day(1, a), "closes_on", test_day(3, b), NULL),
                     0);
    assert_int_equal(r.status, 422);
    resp_free(&r);
    assert_int_equal(client_post(&o, "/c/zelenyj-kvartal/soc/waves", 0, &r, "opens_on",
                                 "2026-02-30", "closes_on", test_day(3, b), NULL),
                     0);
    assert_int_equal(r.status, 422);
    resp_free(&r);
    assert_int_equal(getj(&o, "/c/zelenyj-kvartal/soc", &v), 200);
    assert_int_equal(json_array_size(json_object_get(v, "waves")), 1);
    json_decref(v);
    client_free(&o);
    client_free(&f);
}

/* A member answers once: a second answer is refused (409) and changes
 * nothing, and nobody, the member included, can read the answer back. */
static void answer_is_final_and_unreadable(void **state)
{
    (void)state;
    struct client f, o;
    login_as(&f, &S, "member");
    login_as(&o, &S, "organizer");
    json_t *v;
    assert_int_equal(getj(&f, "/c/zelenyj-kvartal/soc", &v), 200);
    long id = (long)json_integer_value(json_object_get(json_object_get(v, "open"), "id"));
    json_int_t before = json_integer_value(json_object_get(json_object_get(v, "open"), "answers"));
    assert_true(json_is_true(json_object_get(json_object_get(v, "open"), "eligible")));
    json_decref(v);
    assert_int_equal(answer(&f, "zelenyj-kvartal", id, "3", "4", "9", "2", "", NULL), 303);
    struct resp r;
    assert_int_equal(answer(&f, "zelenyj-kvartal", id, "7", "4", "9", "2", "", &r), 409);
    assert_non_null(strstr(r.body, "Вы уже ответили в этой волне"));
    resp_free(&r);
    assert_int_equal(getj(&f, "/c/zelenyj-kvartal/soc", &v), 200);
    json_t *open = json_object_get(v, "open");
    assert_true(json_is_true(json_object_get(open, "answered")));
    assert_int_equal(json_integer_value(json_object_get(open, "answers")), before + 1);
    /* not even the member's own form shows what they chose */
    char *dump = json_dumps(v, 0);
    assert_null(strstr(dump, "\"checked\": true"));
    free(dump);
    json_decref(v);
    /* the organizer sees the count, but no checked option, no result */
    assert_int_equal(getj(&o, "/c/zelenyj-kvartal/soc", &v), 200);
    open = json_object_get(v, "open");
    assert_int_equal(json_integer_value(json_object_get(open, "answers")), before + 1);
    dump = json_dumps(v, 0);
    assert_null(strstr(dump, "\"checked\": true"));
    free(dump);
    json_decref(v);
    long st;
    v = wave_view(&o, "zelenyj-kvartal", id, &st);
    assert_null(json_object_get(json_object_get(json_object_get(v, "wave"), "results"), "factors"));
    json_decref(v);
    client_free(&o);
    client_free(&f);
}

/* nastolki-na-raene: k-1 answers show nothing, k answers show aggregates,
 * a second answer is refused, answers after closing are refused. */
static void k_minus_one_and_k(void **state)
{
    (void)state;
    static const char *const who[] = {"organizer", "nastolki-na-raene-1", "nastolki-na-raene-2",
                                      "nastolki-na-raene-3", "nastolki-na-raene-4"};
    struct client staff;
    login_as(&staff, &S, "member"); /* the organizer there */
    long w1 = open_wave(&staff, "nastolki-na-raene");
    for (int i = 0; i < 4; i++) {
        struct client c;
        login_as(&c, &S, who[i]);
        assert_int_equal(answer(&c, "nastolki-na-raene", w1, "6", "6", "6", "6", "", NULL), 303);
        client_free(&c);
    }
    close_wave(&staff, "nastolki-na-raene", w1);
    long st;
    json_t *v = wave_view(&staff, "nastolki-na-raene", w1, &st);
    json_t *wv = json_object_get(v, "wave");
    assert_int_equal(json_integer_value(json_object_get(wv, "needed")), 1);
    assert_false(json_is_true(json_object_get(json_object_get(wv, "results"), "visible")));
    assert_null(json_object_get(json_object_get(wv, "results"), "factors"));
    json_decref(v);
    assert_int_equal(csv_status(&staff, "nastolki-na-raene", w1, NULL), 404);
    struct resp r;
    assert_int_equal(client_get(&staff, "/c/nastolki-na-raene/soc/waves/0", 0, &r), 0);
    assert_int_equal(r.status, 404);
    resp_free(&r);
    /* answering a closed wave is refused (a state, not a mistake in the
     * form: 409) and changes nothing */
    struct client late;
    login_as(&late, &S, "nastolki-na-raene-4");
    assert_int_equal(answer(&late, "nastolki-na-raene", w1, "5", "5", "5", "5", "", &r), 409);
    assert_non_null(strstr(r.body, "Волна закрыта"));
    resp_free(&r);
    v = wave_view(&staff, "nastolki-na-raene", w1, &st);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "wave"), "answers")), 4);
    json_decref(v);

    long w2 = open_wave(&staff, "nastolki-na-raene");
    for (int i = 0; i < 5; i++) {
        struct client c;
        login_as(&c, &S, who[i]);
        if (i == 0) {
            assert_int_equal(
                answer(&c, "nastolki-na-raene", w2, "10", "8", "8", "8", "Передумал", NULL), 303);
            /* a second answer (to change it) is refused */
            assert_int_equal(answer(&c, "nastolki-na-raene", w2, "2", "8", "8", "8", "", NULL),
                             409);
        } else {
            assert_int_equal(answer(&c, "nastolki-na-raene", w2, "2", "8", "8", "8", "", NULL),
                             303);
        }
        client_free(&c);
    }
    /* still open: five answers, but nothing shown before closing */
    v = wave_view(&staff, "nastolki-na-raene", w2, &st);
    assert_null(json_object_get(json_object_get(json_object_get(v, "wave"), "results"), "factors"));
    json_decref(v);
    assert_int_equal(csv_status(&staff, "nastolki-na-raene", w2, NULL), 404);
    close_wave(&staff, "nastolki-na-raene", w2);
    v = wave_view(&late, "nastolki-na-raene", w2, &st);
    assert_int_equal(st, 200);
    json_t *res = json_object_get(json_object_get(v, "wave"), "results");
    assert_true(json_is_true(json_object_get(res, "visible")));
    json_t *mem = json_array_get(json_object_get(res, "factors"), 0);
    assert_int_equal(sum_counts(mem), 5);
    json_t *bars = json_object_get(mem, "bars");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(bars, 1), "count")), 4);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(bars, 9), "count")), 1);
    json_t *cm = json_object_get(json_array_get(json_object_get(res, "factors"), 1), "comments");
    assert_int_equal(json_array_size(cm), 1);
    json_decref(v);
    assert_int_equal(csv_status(&late, "nastolki-na-raene", w2, NULL), 200);
    client_free(&late);
    client_free(&staff);
}

/* The results of wave 2 of the yard without comments (whose order is
 * random), as a string to compare; malloc'd. */
static char *results_of_wave(struct client *m)
{
    json_t *v;
    assert_int_equal(getj(m, "/c/dvor-sadovaya-12/soc/waves/2", &v), 200);
    json_t *res = json_deep_copy(json_object_get(json_object_get(v, "wave"), "results"));
    json_decref(v);
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(res, "factors"), i, f)
    {
        json_object_del(f, "comments");
    }
    char *s = json_dumps(res, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(res);
    assert_non_null(strstr(s, "\"bars\""));
    return s;
}

static int db_count(const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(S.db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* A closed wave's results come from its ballot box: the same before and
 * after the next start-up (which closes boxes that are due), and every box
 * of the demo's closed waves is closed and mixed. */
static void results_survive_restart(void **state)
{
    (void)state;
    struct client m;
    login_as(&m, &S, "member");
    assert_int_equal(db_count("SELECT count(*) FROM soc_waves w JOIN ballot_boxes b"
                              " ON b.id = w.box_id WHERE b.closed = 0 AND b.closes_at <"
                              " CAST(strftime('%s', 'now') AS INTEGER)"),
                     0);
    assert_int_equal(db_count("SELECT b.ballots FROM soc_waves w JOIN ballot_boxes b"
                              " ON b.id = w.box_id WHERE w.id = 2"),
                     9);
    char *stored = results_of_wave(&m);
    /* the CSV of the aggregates: BOM, Russian headers, a name that says
     * what and when */
    struct resp r;
    assert_int_equal(csv_status(&m, "dvor-sadovaya-12", 2, &r), 200);
    assert_memory_equal(r.body, "\xEF\xBB\xBF", 3);
    assert_non_null(strstr(r.body, "\"Ответов\""));
    char cd[200];
    assert_int_equal(resp_header(&r, "Content-Disposition", cd, sizeof cd), 0);
    assert_non_null(strstr(cd, "filename=\"soc-dvor-sadovaya-12-20"));
    resp_free(&r);
    const char *const init[] = {"init", NULL};
    assert_int_equal(srv_cli(&S, NULL, init), 0);
    char *again = results_of_wave(&m);
    assert_string_equal(again, stored);
    free(stored);
    free(again);
    client_free(&m);
}

/* A secret community that shares its results never appears by name or
 * address on the coordinators' comparison (an audit found it listed with
 * its name, slug and size); its figures would only join an unnamed
 * average of at least three such communities. */
static void comparison_keeps_secret_communities_unnamed(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer"); /* the organizer of tiho-vmeste */
    struct resp r;
    assert_int_equal(
        client_post(&org, "/c/tiho-vmeste/soc/settings", 0, &r, "k", "3", "share", "1", NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    long id = open_wave(&org, "tiho-vmeste");
    static const char *const who[] = {"organizer", "member", "tiho-vmeste-1"};
    for (int i = 0; i < 3; i++) {
        struct client c;
        login_as(&c, &S, who[i]);
        assert_int_equal(answer(&c, "tiho-vmeste", id, "7", "7", "7", "7", "", NULL), 303);
        client_free(&c);
    }
    close_wave(&org, "tiho-vmeste", id);
    long st;
    json_t *v = wave_view(&org, "tiho-vmeste", id, &st);
    assert_true(json_is_true(json_object_get(json_object_get(v, "wave"), "visible")));
    json_decref(v);
    /* the coordinators' page, from the school's community */
    struct client coord;
    login_as(&coord, &S, "coordinator");
    assert_int_equal(client_get(&coord, "/c/roditeli-shkoly-7/soc/compare", 1, &r), 0);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "tiho-vmeste"));
    assert_null(strstr(r.body, "Тихо вместе"));
    assert_null(json_object_get(r.json, "unnamed")); /* one secret community: no row at all */
    assert_non_null(strstr(r.body, "roditeli-shkoly-7"));
    resp_free(&r);
    assert_int_equal(client_get(&coord, "/c/roditeli-shkoly-7/soc/compare", 0, &r), 0);
    assert_null(strstr(r.body, "Тихо вместе"));
    resp_free(&r);
    client_free(&coord);
    client_free(&org);
}

/* Joins a fresh account handle to the community slug by an invitation
 * its organizer (org) makes; c is signed in as the newcomer. */
static void join_fresh(struct client *org, const char *slug, struct client *c, const char *handle)
{
    char path[120], inv[200];
    snprintf(path, sizeof path, "/c/%s/invite", slug);
    const char *f[] = {"role", "member", "max_uses", "1", "days", "7", "note", "волна", NULL};
    struct resp r;
    assert_int_equal(post_pairs(org, path, 1, f, &r), 0);
    assert_int_equal(r.status, 201);
    const char *link = jstr(r.json, "created.link");
    assert_non_null(link);
    assert_non_null(strstr(link, "/i/"));
    snprintf(inv, sizeof inv, "%s", strstr(link, "/i/"));
    resp_free(&r);
    sign_up(c, &S, handle);
    assert_int_equal(post_status(c, inv, 0, NULL), 303);
}

/* The count of sql on the server's database with one integer parameter
 * (given as text). */
static long long count_of(const char *sql, long long v)
{
    char p[24];
    snprintf(p, sizeof p, "%lld", v);
    return db_value(&S, sql, p);
}

/* A newcomer to a secret community answers a wave and leaves before it
 * closes: their answer stays counted, and no row of the wave's box names
 * their account. The roll holds member ids, so a copy of the file does not
 * list which accounts could answer there (or did). */
static void a_member_who_left_stays_counted_and_unnamed(void **state)
{
    (void)state;
    struct client org, fresh;
    login_as(&org, &S, "organizer"); /* the organizer of tiho-vmeste */
    struct resp r;
    assert_int_equal(
        client_post(&org, "/c/tiho-vmeste/soc/settings", 0, &r, "k", "3", "share", "1", NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    join_fresh(&org, "tiho-vmeste", &fresh, "soc-newcomer");
    long long acct = db_value(&S, "SELECT id FROM accounts WHERE handle = ?", "soc-newcomer");
    long long mid = member_id_in(&fresh, "tiho-vmeste");
    assert_true(acct > 0 && mid > 0);
    long id = open_wave(&org, "tiho-vmeste");
    long long box = count_of("SELECT box_id FROM soc_waves WHERE id = ?", id);
    assert_true(box > 0);
    json_t *v;
    assert_int_equal(getj(&fresh, "/c/tiho-vmeste/soc", &v), 200);
    assert_true(json_is_true(json_object_get(json_object_get(v, "open"), "eligible")));
    json_decref(v);
    assert_int_equal(answer(&fresh, "tiho-vmeste", id, "3", "3", "3", "3", "", NULL), 303);
    assert_int_equal(getj(&fresh, "/c/tiho-vmeste/soc", &v), 200);
    assert_true(json_is_true(json_object_get(json_object_get(v, "open"), "answered")));
    json_decref(v);
    static const char *const who[] = {"organizer", "member"};
    for (int i = 0; i < 2; i++) {
        struct client c;
        login_as(&c, &S, who[i]);
        assert_int_equal(answer(&c, "tiho-vmeste", id, "9", "9", "9", "9", "", NULL), 303);
        client_free(&c);
    }
    /* the newcomer leaves: their member row goes, their answer stays */
    assert_int_equal(post_status(&fresh, "/c/tiho-vmeste/leave", 0, NULL), 303);
    assert_int_equal(member_id_of(&S, "tiho-vmeste", "soc-newcomer"), -1);
    close_wave(&org, "tiho-vmeste", id);
    long st;
    v = wave_view(&org, "tiho-vmeste", id, &st);
    assert_int_equal(st, 200);
    json_t *res = json_object_get(json_object_get(v, "wave"), "results");
    assert_true(json_is_true(json_object_get(res, "visible")));
    json_t *mem = json_array_get(json_object_get(res, "factors"), 0);
    assert_int_equal(sum_counts(mem), 3);
    assert_int_equal(json_integer_value(
                         json_object_get(json_array_get(json_object_get(mem, "bars"), 2), "count")),
                     1);
    json_decref(v);
    /* the roll: member keys only, the newcomer's among them as voted */
    assert_true(count_of("SELECT count(*) FROM ballot_roll WHERE box_id = ?", box) >= 3);
    assert_int_equal(
        count_of("SELECT count(*) FROM ballot_roll WHERE box_id = ? AND voter NOT GLOB 'm[0-9]*'",
                 box),
        0);
    char key[32];
    snprintf(key, sizeof key, "m%lld", mid);
    assert_int_equal(db_value(&S, "SELECT voted FROM ballot_roll WHERE voter = ?", key), 1);
    snprintf(key, sizeof key, "a%lld", acct);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM ballot_roll WHERE voter = ?", key), 0);
    /* and no wave's box of the instance names an account */
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM ballot_roll r JOIN soc_waves w"
                              " ON w.box_id = r.box_id WHERE r.voter LIKE 'a%'",
                              NULL),
                     0);
    client_free(&fresh);
    client_free(&org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rights),
        cmocka_unit_test(demo_results_and_trend),
        cmocka_unit_test(results_survive_restart),
        cmocka_unit_test(open_wave_hides_results),
        cmocka_unit_test(bad_input_changes_nothing),
        cmocka_unit_test(answer_is_final_and_unreadable),
        cmocka_unit_test(comparison_keeps_secret_communities_unnamed),
        cmocka_unit_test(k_minus_one_and_k),
        cmocka_unit_test(a_member_who_left_stays_counted_and_unnamed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
