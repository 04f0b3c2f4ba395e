/* The ballot box over HTTP: the four ways an outside audit linked people to
 * their anonymous answers, each tried again against the running server
 * (differencing by reopening, lowering k after closing, sybil answers
 * through a survey's link, a second answer signed out in the same browser),
 * plus eligibility fixed when a wave opens and comments shuffled factor by
 * factor. The forensic reading of the files is in test_forensic_ballot.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NR "/c/nastolki-na-raene"

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

/* ---- surveys ---- */

/* A survey of the board-games club (its organizer is "member") with one
 * text and one scale question, anonymous, open from today for a week. */
static long survey_new(struct client *org, const char *audience, const char *count_unverified)
{
    struct resp r;
    assert_int_equal(client_post(org, NR "/surveys", 0, &r, "template", "blank", NULL), 0);
    assert_int_equal(r.status, 303);
    char loc[200];
    assert_int_equal(resp_header(&r, "Location", loc, sizeof loc), 0);
    resp_free(&r);
    long id = 0;
    assert_int_equal(sscanf(loc, NR "/surveys/%ld/edit", &id), 1);
    char path[160], a[11], b[11];
    snprintf(path, sizeof path, NR "/surveys/%ld/questions", id);
    const char *q1[] = {"kind", "short", "text", "Что улучшить?", "required", "1", NULL};
    assert_int_equal(post_form(org, path, q1), 303);
    const char *q2[] = {"kind", "scale5", "text", "Оценка", "required", "1", NULL};
    assert_int_equal(post_form(org, path, q2), 303);
    snprintf(path, sizeof path, NR "/surveys/%ld/edit", id);
    const char *f[] = {"title",
                       "Игры",
                       "audience",
                       audience,
                       "anonymous",
                       "1",
                       "opens_on",
                       test_day(0, a),
                       "closes_on",
                       test_day(7, b),
                       "count_unverified",
                       count_unverified,
                       NULL};
    assert_int_equal(post_form(org, path, f), 303);
    snprintf(path, sizeof path, NR "/surveys/%ld/publish", id);
    assert_int_equal(post_form(org, path, NULL), 303);
    return id;
}

static long survey_answer(struct client *c, const char *path, const char *text, const char *n)
{
    const char *f[] = {"q1", text, "q2", n, NULL};
    return post_form(c, path, f);
}

static json_t *survey_results(struct client *c, long id)
{
    char path[160];
    snprintf(path, sizeof path, NR "/surveys/%ld/results", id);
    return view_json(c, path);
}

/* Closing is final: a page asks first (it works without JavaScript). */
static void survey_close(struct client *org, long id)
{
    char path[160], action[200];
    snprintf(path, sizeof path, NR "/surveys/%ld/close", id);
    snprintf(action, sizeof action, "action=\"%s\"", path);
    struct resp r;
    assert_int_equal(client_get(org, path, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(resp_has(&r, action));
    resp_free(&r);
    assert_int_equal(post_form(org, path, NULL), 303);
}

/* The survey's link path for residents. */
static void survey_link(struct client *org, long id, char *out, size_t n)
{
    char path[160];
    snprintf(path, sizeof path, NR "/surveys/%ld", id);
    json_t *v = view_json(org, path);
    const char *link = json_string_value(json_object_get(v, "link"));
    assert_non_null(link);
    snprintf(out, n, "%s", link);
    json_decref(v);
}

static const char *const CLUB[] = {"member",
                                   "organizer",
                                   "nastolki-na-raene-1",
                                   "nastolki-na-raene-2",
                                   "nastolki-na-raene-3",
                                   "nastolki-na-raene-4"};

/* Attack 2: close, read, reopen, let one more answer, close, subtract. The
 * box is closed for good: its dates do not move and it takes no answer. */
static void reopen_refused(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "member");
    long id = survey_new(&org, "members", "");
    char path[160];
    snprintf(path, sizeof path, NR "/surveys/%ld/answer", id);
    for (int i = 0; i < 5; i++) {
        struct client c;
        login_as(&c, &S, CLUB[i]);
        assert_int_equal(survey_answer(&c, path, "Больше вечеров", "4"), 303);
        client_free(&c);
    }
    survey_close(&org, id);
    json_t *v = survey_results(&org, id);
    assert_true(json_is_true(json_object_get(v, "visible")));
    json_decref(v);
    /* closing again, or moving the end into the future: refused */
    snprintf(path, sizeof path, NR "/surveys/%ld/close", id);
    assert_int_equal(post_form(&org, path, NULL), 409);
    char a[11], b[11];
    snprintf(path, sizeof path, NR "/surveys/%ld/edit", id);
    const char *f[] = {"title",    "Игры",         "audience",  "members",       "anonymous", "1",
                       "opens_on", test_day(0, a), "closes_on", test_day(14, b), NULL};
    struct resp r;
    assert_int_equal(post_pairs(&org, path, 1, f, &r), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(jget(r.json, "error.fields.closes_on"));
    resp_free(&r);
    /* the sixth member cannot answer: nothing can be subtracted */
    struct client late;
    login_as(&late, &S, CLUB[5]);
    snprintf(path, sizeof path, NR "/surveys/%ld/answer", id);
    assert_true(survey_answer(&late, path, "Мой ответ", "1") >= 400);
    client_free(&late);
    v = survey_results(&org, id);
    assert_int_equal(json_integer_value(jget(v, "survey.responses")), 5);
    assert_string_equal(jstr(v, "survey.state"), "closed");
    json_decref(v);
    client_free(&org);
}

/* Attack 4: one real answer and four fresh browsers through the link. By
 * default answers through the link do not reach k; when the organizer
 * accepts them, the results page says so. */
static void sybils_through_the_link(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "member");
    long id = survey_new(&org, "link", "");
    char link[200], path[160];
    survey_link(&org, id, link, sizeof link);
    struct client real;
    login_as(&real, &S, "nastolki-na-raene-1");
    snprintf(path, sizeof path, NR "/surveys/%ld/answer", id);
    assert_int_equal(survey_answer(&real, path, "Настоящий ответ", "2"), 303);
    client_free(&real);
    for (int i = 0; i < 4; i++) {
        struct client x;
        client_init(&x, &S);
        assert_int_equal(get_status(&x, link, 0), 200);
        assert_int_equal(survey_answer(&x, link, "Подставной ответ", "5"), 303);
        client_free(&x);
    }
    survey_close(&org, id);
    json_t *v = survey_results(&org, id);
    assert_false(json_is_true(json_object_get(v, "visible")));
    assert_null(json_object_get(v, "questions"));
    assert_int_equal(json_integer_value(json_object_get(v, "needed")), 4);
    assert_int_equal(json_integer_value(jget(v, "unverified.n")), 4);
    assert_false(json_is_true(jget(v, "unverified.counted")));
    char *dump = json_dumps(v, 0);
    assert_null(strstr(dump, "Настоящий ответ"));
    free(dump);
    json_decref(v);

    /* The organizer accepts unverified answers: five through the link. */
    long id2 = survey_new(&org, "link", "1");
    survey_link(&org, id2, link, sizeof link);
    for (int i = 0; i < 5; i++) {
        struct client x;
        client_init(&x, &S);
        assert_int_equal(get_status(&x, link, 0), 200);
        assert_int_equal(survey_answer(&x, link, "Ответ по ссылке", "3"), 303);
        client_free(&x);
    }
    survey_close(&org, id2);
    v = survey_results(&org, id2);
    assert_true(json_is_true(json_object_get(v, "visible")));
    assert_true(json_is_true(jget(v, "unverified.counted")));
    assert_int_equal(json_integer_value(jget(v, "unverified.n")), 5);
    json_decref(v);
    struct resp r;
    snprintf(path, sizeof path, NR "/surveys/%ld/results", id2);
    assert_int_equal(client_get(&org, path, 0, &r), 0);
    assert_true(resp_has(&r, "нельзя проверить"));
    resp_free(&r);
    client_free(&org);
}

/* A member who answered signed in cannot answer again through the link in
 * the same browser after signing out (nor the other way round). */
static void second_answer_signed_out(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "member");
    long id = survey_new(&org, "link", "");
    char link[200];
    survey_link(&org, id, link, sizeof link);
    struct client c;
    login_as(&c, &S, "nastolki-na-raene-2");
    assert_int_equal(get_status(&c, link, 0), 200);
    assert_int_equal(survey_answer(&c, link, "Первый ответ", "4"), 303);
    assert_int_equal(post_form(&c, "/logout", NULL), 303);
    c.csrf[0] = 0;
    json_t *v = view_json(&c, link);
    assert_true(json_is_true(json_object_get(v, "answered")));
    json_decref(v);
    /* refused before it reaches the box: the form says it was answered */
    assert_int_equal(survey_answer(&c, link, "Второй ответ", "1"), 422);
    client_free(&c);
    /* the other way round: answered signed out, then signed in */
    struct client d;
    client_init(&d, &S);
    assert_int_equal(get_status(&d, link, 0), 200);
    assert_int_equal(survey_answer(&d, link, "Без входа", "3"), 303);
    assert_int_equal(client_login(&d, "nastolki-na-raene-3", "demo-demo"), 0);
    d.csrf[0] = 0;
    assert_int_equal(survey_answer(&d, link, "Со входом", "3"), 422);
    client_free(&d);
    v = survey_results(&org, id);
    assert_int_equal(json_integer_value(jget(v, "survey.responses")), 2);
    json_decref(v);
    client_free(&org);
}

/* ---- waves ---- */

static long wave_open(struct client *org, const char *slug)
{
    char path[120], a[11], b[11];
    snprintf(path, sizeof path, "/c/%s/soc/waves", slug);
    const char *f[] = {"opens_on", test_day(0, a), "closes_on", test_day(7, b), NULL};
    assert_int_equal(post_form(org, path, f), 303);
    snprintf(path, sizeof path, "/c/%s/soc", slug);
    json_t *v = view_json(org, path);
    long id = (long)json_integer_value(jget(v, "open.id"));
    json_decref(v);
    assert_true(id > 0);
    return id;
}

static long wave_answer(struct client *c, const char *slug, long id, const char *rating,
                        const char *const comments[4])
{
    char path[120];
    snprintf(path, sizeof path, "/c/%s/soc/waves/%ld/answer", slug, id);
    const char *f[] = {"membership",  rating,       "influence",     rating,         "integration",
                       rating,        "connection", rating,          "c_membership", comments[0],
                       "c_influence", comments[1],  "c_integration", comments[2],    "c_connection",
                       comments[3],   NULL};
    return post_form(c, path, f);
}

static void wave_close(struct client *org, const char *slug, long id)
{
    char path[120], action[160];
    snprintf(path, sizeof path, "/c/%s/soc/waves/%ld/close", slug, id);
    snprintf(action, sizeof action, "action=\"%s\"", path);
    struct resp r;
    assert_int_equal(client_get(org, path, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(resp_has(&r, action));
    resp_free(&r);
    assert_int_equal(post_form(org, path, NULL), 303);
}

static json_t *wave_results(struct client *c, const char *slug, long id)
{
    char path[120];
    snprintf(path, sizeof path, "/c/%s/soc/waves/%ld", slug, id);
    json_t *v = view_json(c, path);
    json_t *w = json_incref(json_object_get(v, "wave"));
    json_decref(v);
    return w;
}

static const char *const NONE[4] = {"", "", "", ""};

/* Attack 3: a wave closed with 3 answers under k = 5 shows nothing; the
 * organizer sets k = 3, and still nothing is shown: k is the box's. */
static void k_cannot_be_lowered(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "member");
    long id = wave_open(&org, "nastolki-na-raene");
    for (int i = 0; i < 3; i++) {
        struct client c;
        login_as(&c, &S, CLUB[i]);
        assert_int_equal(wave_answer(&c, "nastolki-na-raene", id, "7", NONE), 303);
        client_free(&c);
    }
    wave_close(&org, "nastolki-na-raene", id);
    json_t *w = wave_results(&org, "nastolki-na-raene", id);
    assert_false(json_is_true(json_object_get(w, "visible")));
    assert_int_equal(json_integer_value(json_object_get(w, "needed")), 2);
    json_decref(w);
    const char *k3[] = {"k", "3", NULL};
    assert_int_equal(post_form(&org, NR "/soc/settings", k3), 303);
    w = wave_results(&org, "nastolki-na-raene", id);
    assert_false(json_is_true(json_object_get(w, "visible")));
    assert_false(json_is_true(jget(w, "results.visible")));
    assert_null(jget(w, "results.factors"));
    assert_int_equal(json_integer_value(json_object_get(w, "needed")), 2);
    assert_int_equal(json_integer_value(json_object_get(w, "k")), 5);
    json_decref(w);
    const char *k5[] = {"k", "5", NULL};
    assert_int_equal(post_form(&org, NR "/soc/settings", k5), 303);
    client_free(&org);
}

/* Who may answer is fixed when a wave opens: a member who joins later
 * waits for the next wave (else an organizer could invite accounts of
 * their own into a wave that already has answers). */
static void eligibility_fixed_at_opening(void **state)
{
    (void)state;
    struct client org, nc;
    login_as(&org, &S, "organizer");
    login_as(&nc, &S, "newcomer");
    /* the Green quarter's wave is open in the demo; newcomer asked to join */
    json_t *v = view_json(&org, "/c/zelenyj-kvartal/members/requests");
    json_t *reqs = json_object_get(v, "requests");
    long long rid = 0;
    for (size_t i = 0; i < json_array_size(reqs); i++)
        if (strcmp(jstr(json_array_get(reqs, i), "handle") ? jstr(json_array_get(reqs, i), "handle")
                                                           : "",
                   "newcomer") == 0)
            rid = json_integer_value(json_object_get(json_array_get(reqs, i), "id"));
    json_decref(v);
    assert_true(rid > 0);
    char path[160];
    snprintf(path, sizeof path, "/c/zelenyj-kvartal/members/requests/%lld/approve", rid);
    assert_int_equal(post_form(&org, path, NULL), 303);
    v = view_json(&nc, "/c/zelenyj-kvartal/soc");
    long id = (long)json_integer_value(jget(v, "open.id"));
    assert_true(id > 0);
    assert_false(json_is_true(jget(v, "open.eligible")));
    json_int_t before = json_integer_value(jget(v, "open.answers"));
    json_decref(v);
    assert_int_equal(wave_answer(&nc, "zelenyj-kvartal", id, "9", NONE), 409);
    v = view_json(&nc, "/c/zelenyj-kvartal/soc");
    assert_int_equal(json_integer_value(jget(v, "open.answers")), before);
    json_decref(v);
    client_free(&nc);
    client_free(&org);
}

/* The author of comment i of a factor, from its text "<F>-<i>". */
static int author_of(json_t *comment)
{
    const char *t = json_string_value(json_object_get(comment, "text"));
    return t && strlen(t) > 2 ? atoi(t + 2) : -1;
}

/* Each factor's comments are shuffled on their own, per view: position i
 * of two lists is not the same author (it was, under one permutation). */
static void comments_shuffled_per_factor(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "member");
    long id = wave_open(&org, "nastolki-na-raene");
    for (int i = 0; i < 6; i++) {
        char c0[16], c1[16], c2[16], c3[16];
        snprintf(c0, sizeof c0, "A-%d", i);
        snprintf(c1, sizeof c1, "B-%d", i);
        snprintf(c2, sizeof c2, "C-%d", i);
        snprintf(c3, sizeof c3, "D-%d", i);
        const char *cm[4] = {c0, c1, c2, c3};
        struct client c;
        login_as(&c, &S, CLUB[i]);
        assert_int_equal(wave_answer(&c, "nastolki-na-raene", id, "6", cm), 303);
        client_free(&c);
    }
    wave_close(&org, "nastolki-na-raene", id);
    int differ = 0, views_differ = 0;
    int first[6] = {0};
    for (int n = 0; n < 12; n++) {
        json_t *w = wave_results(&org, "nastolki-na-raene", id);
        json_t *factors = jget(w, "results.factors");
        assert_int_equal(json_array_size(factors), 4);
        json_t *a = json_object_get(json_array_get(factors, 0), "comments");
        json_t *b = json_object_get(json_array_get(factors, 1), "comments");
        assert_int_equal(json_array_size(a), 6);
        assert_int_equal(json_array_size(b), 6);
        for (size_t i = 0; i < 6; i++) {
            if (author_of(json_array_get(a, i)) != author_of(json_array_get(b, i))) differ = 1;
            if (n == 0)
                first[i] = author_of(json_array_get(a, i));
            else if (first[i] != author_of(json_array_get(a, i)))
                views_differ = 1;
        }
        json_decref(w);
    }
    assert_true(differ);       /* 12 views under one permutation: never */
    assert_true(views_differ); /* drawn afresh on each view */
    client_free(&org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reopen_refused),
        cmocka_unit_test(sybils_through_the_link),
        cmocka_unit_test(second_answer_signed_out),
        cmocka_unit_test(k_cannot_be_lowered),
        cmocka_unit_test(eligibility_fixed_at_opening),
        cmocka_unit_test(comments_shuffled_per_factor),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
