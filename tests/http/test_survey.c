/* Surveys over HTTP: rights, the builder (templates, order, copy, lock),
 * answering with every bad input, once per member or browser, anonymous
 * results hidden below k and while open, CSV for named surveys only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

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

/* Creates a survey from a template in nastolki-na-raene; returns its id. */
static long create(struct client *c, const char *tpl)
{
    struct resp r;
    assert_int_equal(client_post(c, "/c/nastolki-na-raene/surveys", 0, &r, "template", tpl, NULL),
                     0);
    assert_int_equal(r.status, 303);
    char loc[200];
    assert_int_equal(resp_header(&r, "Location", loc, sizeof loc), 0);
    resp_free(&r);
    long id = 0;
    assert_int_equal(sscanf(loc, "/c/nastolki-na-raene/surveys/%ld/edit", &id), 1);
    return id;
}

static long edit(struct client *c, long id, const char *title, const char *audience,
                 const char *anon, int from, int to)
{
    char path[120], a[11], b[11];
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/edit", id);
    struct resp r;
    assert_int_equal(client_post(c, path, 0, &r, "title", title, "audience", audience, "anonymous",
                                 anon, "opens_on", test_day(from, a), "closes_on", test_day(to, b),
                                 NULL),
                     0);
    long st = r.status;
    resp_free(&r);
    return st;
}

/* Publishes survey id (it was a draft); the status. */
static long publish(struct client *c, long id)
{
    char path[120];
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/publish", id);
    struct resp r;
    assert_int_equal(client_post(c, path, 0, &r, NULL), 0);
    long st = r.status;
    resp_free(&r);
    return st;
}

static json_t *questions(struct client *c, long id)
{
    char path[120];
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/edit", id);
    json_t *v;
    assert_int_equal(get_json_status(c, path, &v), 200);
    json_t *q = json_incref(json_object_get(v, "questions"));
    json_decref(v);
    return q;
}

static void rights(void **state)
{
    (void)state;
    struct client anon, nc, m, o;
    client_init(&anon, &S);
    assert_int_equal(get_json_status(&anon, "/c/dvor-sadovaya-12/surveys", NULL), 401);
    client_free(&anon);
    login_as(&nc, &S, "newcomer");
    assert_int_equal(get_json_status(&nc, "/c/dvor-sadovaya-12/surveys", NULL), 403);
    assert_int_equal(get_json_status(&nc, "/c/dvor-sadovaya-12/surveys/1/results", NULL), 403);
    assert_int_equal(get_json_status(&nc, "/c/zelenyj-kvartal/surveys", NULL), 403);
    assert_int_equal(get_json_status(&nc, "/c/tiho-vmeste/surveys", NULL), 404);
    client_free(&nc);
    login_as(&m, &S, "member");
    struct resp r;
    assert_int_equal(
        client_post(&m, "/c/dvor-sadovaya-12/surveys", 0, &r, "template", "quality", NULL), 0);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    /* the demo's finished anonymous survey: results, but no CSV */
    json_t *v;
    assert_int_equal(get_json_status(&m, "/c/dvor-sadovaya-12/surveys/1/results", &v), 200);
    assert_true(json_is_true(json_object_get(v, "visible")));
    assert_int_equal(json_array_size(json_object_get(v, "questions")), 6);
    assert_null(json_object_get(json_object_get(v, "survey"), "link_token"));
    json_decref(v);
    assert_int_equal(get_json_status(&m, "/c/dvor-sadovaya-12/surveys/1/results.csv", NULL), 403);
    client_free(&m);
    login_as(&o, &S, "organizer");
    assert_int_equal(client_get(&o, "/c/dvor-sadovaya-12/surveys/1/results.csv", 0, &r), 0);
    assert_int_equal(r.status, 404);
    resp_free(&r);
    client_free(&o);
}

static void builder_order_copy(void **state)
{
    (void)state;
    struct client c;
    login_as(&c, &S, "member"); /* the organizer of nastolki-na-raene */
    long id = create(&c, "event");
    json_t *qs = questions(&c, id);
    assert_int_equal(json_array_size(qs), 4);
    long q4 = (long)json_integer_value(json_object_get(json_array_get(qs, 3), "id"));
    json_decref(qs);
    char path[160];
    struct resp r;
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/questions", id);
    assert_int_equal(client_post(&c, path, 0, &r, "kind", "single", "text", "Один вариант?",
                                 "options", "только один", NULL),
                     0);
    assert_int_equal(r.status, 422); /* one option is not a choice */
    assert_non_null(strstr(r.body, "field-error"));
    resp_free(&r);
    assert_int_equal(client_post(&c, path, 0, &r, "kind", "bogus", "text", "x", NULL), 0);
    assert_int_equal(r.status, 422);
    resp_free(&r);
    assert_int_equal(client_post(&c, path, 0, &r, "kind", "scale5", "text", "Удобно ли время?",
                                 "required", "1", NULL),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/questions/%ld/down", id, q4);
    assert_int_equal(client_post(&c, path, 0, &r, NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    qs = questions(&c, id);
    assert_int_equal(json_array_size(qs), 5);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(qs, 4), "id")), q4);
    assert_string_equal(json_string_value(json_object_get(json_array_get(qs, 3), "text")),
                        "Удобно ли время?");
    json_decref(qs);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/questions/%ld/delete", id, q4);
    assert_int_equal(client_post(&c, path, 0, &r, NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/copy", id);
    assert_int_equal(client_post(&c, path, 0, &r, NULL), 0);
    assert_int_equal(r.status, 303);
    char loc[200];
    long copy = 0;
    assert_int_equal(resp_header(&r, "Location", loc, sizeof loc), 0);
    assert_int_equal(sscanf(loc, "/c/nastolki-na-raene/surveys/%ld/edit", &copy), 1);
    resp_free(&r);
    assert_true(copy != id);
    qs = questions(&c, copy);
    assert_int_equal(json_array_size(qs), 4);
    json_decref(qs);
    /* dates reversed */
    assert_int_equal(edit(&c, id, "Вечер игр", "members", "", 5, 1), 422);
    client_free(&c);
}

static void named_answers_and_lock(void **state)
{
    (void)state;
    struct client c, a;
    login_as(&c, &S, "member");
    long id = create(&c, "event");
    assert_int_equal(edit(&c, id, "Как прошёл турнир", "members", "", 0, 7), 303);
    assert_int_equal(publish(&c, id), 303);
    login_as(&a, &S, "organizer"); /* a plain member of nastolki-na-raene */
    char path[160];
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/answer", id);
    struct resp r;
    static const char *const bad[][3] = {{"11", "0", ""},     /* scale out of range */
                                         {"8", "7", ""},      /* unknown option */
                                         {"", "0", ""},       /* required missing */
                                         {"8", "", ""},       /* required missing */
                                         {"8", "other", ""}}; /* no 'other' here */
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(client_post(&a, path, 0, &r, "q1", bad[i][0], "q3", bad[i][1], "q4",
                                     "Больше столов, пожалуйста", NULL),
                         0);
        assert_int_equal(r.status, 422);
        assert_non_null(strstr(r.body, "field-error"));
        assert_non_null(strstr(r.body, "Больше столов, пожалуйста"));
        resp_free(&r);
    }
    /* 'other' with no text */
    assert_int_equal(client_post(&a, path, 0, &r, "q1", "8", "q2", "other", "q3", "0", NULL), 0);
    assert_int_equal(r.status, 422);
    resp_free(&r);
    json_t *v;
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/results", id);
    assert_int_equal(get_json_status(&c, path, &v), 200);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "survey"), "responses")),
                     0);
    json_decref(v);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/answer", id);
    assert_int_equal(client_post(&a, path, 0, &r, "q1", "8", "q2", "0", "q2", "other", "o2",
                                 "Призы", "q3", "0", "q4", "Больше столов", NULL),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(client_post(&a, path, 0, &r, "q1", "2", "q3", "2", NULL), 0);
    assert_int_equal(r.status, 422); /* a second answer */
    resp_free(&r);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/results", id);
    assert_int_equal(get_json_status(&c, path, &v), 200);
    assert_true(json_is_true(json_object_get(v, "visible")));
    json_t *q1 = json_array_get(json_object_get(v, "questions"), 0);
    assert_string_equal(json_string_value(json_object_get(q1, "mean")),
                        "8,0"); /* a comma in Russian */
    json_decref(v);
    /* locked: no edits but the dates */
    assert_int_equal(edit(&c, id, "Другое название", "members", "", 0, 7), 422);
    assert_int_equal(edit(&c, id, "Как прошёл турнир", "members", "1", 0, 7), 422);
    assert_int_equal(edit(&c, id, "Как прошёл турнир", "members", "", 0, 9), 303);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/questions", id);
    assert_int_equal(client_post(&c, path, 0, &r, "kind", "short", "text", "Ещё?", NULL), 0);
    assert_int_equal(r.status, 422);
    resp_free(&r);
    json_t *qs = questions(&c, id);
    long q1id = (long)json_integer_value(json_object_get(json_array_get(qs, 1), "id"));
    json_decref(qs);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/questions/%ld/up", id, q1id);
    assert_int_equal(client_post(&c, path, 0, &r, NULL), 0);
    assert_int_equal(r.status, 409);
    resp_free(&r);
    /* closed by its dates: an answer is refused and changes nothing */
    assert_int_equal(edit(&c, id, "Как прошёл турнир", "members", "", -9, -2), 303);
    struct client late;
    login_as(&late, &S, "nastolki-na-raene-1");
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/answer", id);
    assert_int_equal(client_post(&late, path, 0, &r, "q1", "5", "q3", "1", NULL), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "alert"));
    resp_free(&r);
    client_free(&late);
    /* CSV: BOM, a header and one row, with the name */
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/results.csv", id);
    assert_int_equal(client_get(&c, path, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_memory_equal(r.body, "\xEF\xBB\xBF", 3);
    assert_non_null(strstr(r.body, "\"Андрей\""));
    char cd[200];
    assert_int_equal(resp_header(&r, "Content-Disposition", cd, sizeof cd), 0);
    assert_non_null(strstr(cd, "filename=\"survey-nastolki-na-raene-"));
    assert_non_null(strstr(r.body, "Призы"));
    int lines = 0;
    for (const char *p = r.body; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 2);
    resp_free(&r);
    client_free(&a);
    client_free(&c);
}

/* Adds a required question to survey id. */
static void add_question(struct client *c, long id, const char *kind, const char *text)
{
    char path[120];
    struct resp r;
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/questions", id);
    assert_int_equal(client_post(c, path, 0, &r, "kind", kind, "text", text, "required", "1", NULL),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
}

/* The survey's link for residents (audience "link"), into link. */
static void survey_link(struct client *c, long id, char *link, size_t n)
{
    char path[120];
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld", id);
    json_t *v;
    assert_int_equal(get_json_status(c, path, &v), 200);
    snprintf(link, n, "%s", json_string_value(json_object_get(v, "link")));
    json_decref(v);
    assert_non_null(strstr(link, "/s/"));
}

static void link_anonymous(void **state)
{
    (void)state;
    struct client c;
    login_as(&c, &S, "member");
    long id = create(&c, "blank");
    char path[200];
    struct resp r;
    add_question(&c, id, "short", "Во что поиграть?");
    assert_int_equal(edit(&c, id, "Игры на лето", "link", "1", 0, 7), 303);
    assert_int_equal(publish(&c, id), 303);
    char link[200];
    survey_link(&c, id, link, sizeof link);
    struct client x, y;
    client_init(&x, &S);
    client_init(&y, &S);
    assert_int_equal(get_json_status(&x, link, NULL), 200);
    assert_int_equal(client_post(&x, link, 0, &r, "q1", "", NULL), 0);
    assert_int_equal(r.status, 422);
    resp_free(&r);
    assert_int_equal(client_post(&x, link, 0, &r, "q1", "Каркассон", NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(client_post(&x, link, 0, &r, "q1", "Опять Каркассон", NULL), 0);
    assert_int_equal(r.status, 422); /* once per browser */
    resp_free(&r);
    assert_int_equal(client_post(&y, link, 0, &r, "q1", "Мафия", NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    char wrong[220];
    snprintf(wrong, sizeof wrong, "/c/nastolki-na-raene/surveys/%ld/s/nope", id);
    assert_int_equal(get_json_status(&x, wrong, NULL), 404);
    /* anonymous, open, below k: nothing but how many are needed */
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/results", id);
    struct resp rr;
    assert_int_equal(client_get(&c, path, 1, &rr), 0);
    assert_int_equal(rr.status, 200);
    assert_false(json_is_true(json_object_get(rr.json, "visible")));
    assert_null(json_object_get(rr.json, "questions"));
    /* two answers through the link, unverified: they do not count toward k
     * unless the organizer accepted that (not here), and the page says so */
    assert_int_equal(json_integer_value(json_object_get(rr.json, "needed")), 5);
    json_t *unv = json_object_get(rr.json, "unverified");
    assert_int_equal(json_integer_value(json_object_get(unv, "n")), 2);
    assert_false(json_is_true(json_object_get(unv, "counted")));
    assert_null(strstr(rr.body, "Каркассон"));
    assert_null(strstr(rr.body, "Мафия"));
    resp_free(&rr);
    json_t *q1 = questions(&c, id);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/results/%lld", id,
             (long long)json_integer_value(json_object_get(json_array_get(q1, 0), "id")));
    json_decref(q1);
    assert_int_equal(client_get(&c, path, 1, &rr), 0);
    assert_int_equal(rr.status, 200);
    assert_false(json_is_true(json_object_get(rr.json, "visible")));
    assert_null(json_object_get(rr.json, "texts"));
    assert_null(strstr(rr.body, "Каркассон"));
    resp_free(&rr);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/results.csv", id);
    assert_int_equal(client_get(&c, path, 0, &rr), 0);
    assert_int_equal(rr.status, 404);
    assert_null(strstr(rr.body, "Каркассон"));
    resp_free(&rr);
    client_free(&x);
    client_free(&y);
    client_free(&c);
}

/* Text answers come grouped (identical ones once, with how many), in
 * alphabetical order: fifty on the results page, a hundred a page on the
 * question's own page; the CSV has every response. */
static void text_answers_grouped_and_paged(void **state)
{
    (void)state;
    struct client c;
    login_as(&c, &S, "member");
    long id = create(&c, "blank");
    char path[200];
    struct resp r;
    add_question(&c, id, "short", "Что улучшить?");
    add_question(&c, id, "scale5", "Оценка");
    assert_int_equal(edit(&c, id, "Двор весной", "link", "", 0, 7), 303);
    assert_int_equal(publish(&c, id), 303);
    char link[200];
    survey_link(&c, id, link, sizeof link);
    json_t *v;
    /* 103 different answers and three the same: 106 responses, 104 groups */
    for (int i = 0; i < 106; i++) {
        char text[40];
        if (i < 103)
            snprintf(text, sizeof text, "Вариант %03d", i);
        else
            snprintf(text, sizeof text, "Асфальт");
        struct client x;
        client_init(&x, &S);
        assert_int_equal(client_post(&x, link, 0, &r, "q1", text, "q2", "4", NULL), 0);
        assert_int_equal(r.status, 303);
        resp_free(&r);
        client_free(&x);
    }
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/results", id);
    assert_int_equal(get_json_status(&c, path, &v), 200);
    json_t *q1 = json_array_get(json_object_get(v, "questions"), 0);
    json_t *texts = json_object_get(q1, "texts");
    assert_int_equal(json_array_size(texts), 50);
    assert_int_equal(json_integer_value(json_object_get(q1, "texts_total")), 106);
    json_t *first = json_array_get(texts, 0);
    assert_string_equal(json_string_value(json_object_get(first, "text")), "Асфальт");
    assert_int_equal(json_integer_value(json_object_get(first, "n")), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(texts, 1), "text")),
                        "Вариант 000");
    char all[200];
    snprintf(all, sizeof all, "%s", json_string_value(json_object_get(q1, "texts_all")));
    assert_non_null(strstr(all, "/results/"));
    /* a scale question has no text list, and no page of texts */
    json_t *q2 = json_array_get(json_object_get(v, "questions"), 1);
    assert_int_equal(json_array_size(json_object_get(q2, "texts")), 0);
    char scale_texts[200];
    snprintf(scale_texts, sizeof scale_texts, "/c/nastolki-na-raene/surveys/%ld/results/%lld", id,
             (long long)json_integer_value(json_object_get(q2, "id")));
    json_decref(v);
    assert_int_equal(get_json_status(&c, scale_texts, NULL), 404);
    /* the question's page: a hundred groups, then the rest */
    assert_int_equal(get_json_status(&c, all, &v), 200);
    assert_int_equal(json_array_size(json_object_get(v, "texts")), 100);
    assert_int_equal(json_integer_value(json_object_get(v, "texts_total")), 106);
    assert_null(json_object_get(v, "prev_page"));
    char next[220];
    snprintf(next, sizeof next, "%s", json_string_value(json_object_get(v, "next_page")));
    json_decref(v);
    assert_int_equal(get_json_status(&c, next, &v), 200);
    assert_int_equal(json_array_size(json_object_get(v, "texts")), 4);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(v, "texts"), 3), "text")),
        "Вариант 102");
    assert_non_null(json_object_get(v, "prev_page"));
    assert_null(json_object_get(v, "next_page"));
    json_decref(v);
    assert_int_equal(client_get(&c, all, 0, &r), 0);
    assert_non_null(strstr(r.body, "×3"));
    assert_non_null(strstr(r.body, "rel=\"next\""));
    resp_free(&r);
    /* the CSV: a header and every response */
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/results.csv", id);
    assert_int_equal(client_get(&c, path, 0, &r), 0);
    assert_int_equal(r.status, 200);
    int lines = 0;
    for (const char *p = r.body; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 107);
    assert_non_null(strstr(r.body, "\"Вариант 102\",\"4\""));
    resp_free(&r);
    client_free(&c);
}

/* A survey starts as a draft: residents neither see nor answer it, the
 * staff preview it and change anything; publishing needs a question and
 * happens once; an anonymous survey's box opens then. */
static void drafts_are_private_and_editable(void **state)
{
    (void)state;
    struct client c, a;
    login_as(&c, &S, "member");    /* the organizer of nastolki-na-raene */
    login_as(&a, &S, "organizer"); /* a plain member there */
    long id = create(&c, "blank");
    char path[160];
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld", id);
    json_t *v;
    /* the staff preview it; a member finds nothing, in the list neither */
    assert_int_equal(get_json_status(&c, path, &v), 200);
    assert_true(json_is_true(json_object_get(v, "preview")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "survey"), "state")),
                        "draft");
    json_decref(v);
    assert_int_equal(get_json_status(&a, path, NULL), 404);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/results", id);
    assert_int_equal(get_json_status(&a, path, NULL), 404);
    assert_int_equal(get_json_status(&a, "/c/nastolki-na-raene/surveys", &v), 200);
    json_t *list = json_object_get(v, "surveys");
    for (size_t i = 0; i < json_array_size(list); i++)
        assert_true(json_integer_value(json_object_get(json_array_get(list, i), "id")) != id);
    json_decref(v);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/answer", id);
    struct resp r;
    assert_int_equal(client_post(&a, path, 0, &r, "q1", "x", NULL), 0);
    assert_int_equal(r.status, 404);
    resp_free(&r);
    /* nothing to ask yet: not published */
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/publish", id);
    assert_int_equal(client_post(&c, path, 0, &r, NULL), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "field-error"));
    resp_free(&r);
    /* in draft everything changes: questions, settings, dates */
    add_question(&c, id, "short", "Что принести?");
    add_question(&c, id, "scale5", "Как вам время?");
    assert_int_equal(edit(&c, id, "Турнир", "link", "1", 2, 9), 303);
    assert_int_equal(edit(&c, id, "Турнир по домино", "members", "1", 0, 7), 303);
    json_t *qs = questions(&c, id);
    long q2 = (long)json_integer_value(json_object_get(json_array_get(qs, 1), "id"));
    json_decref(qs);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/questions/%ld/up", id, q2);
    assert_int_equal(client_post(&c, path, 0, &r, NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    /* a question is edited in place; its form shows the stored kind */
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/edit", id);
    assert_int_equal(client_get(&c, path, 0, &r), 0);
    assert_non_null(strstr(r.body, "<option value=\"scale5\" selected>"));
    resp_free(&r);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/questions/%ld/edit", id, q2);
    assert_int_equal(client_post(&c, path, 0, &r, "kind", "scale10", "text",
                                 "Как вам время турнира?", "required", "1", NULL),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(client_post(&c, path, 0, &r, "kind", "single", "text", "Одно?", "options",
                                 "только одно", NULL),
                     0);
    assert_int_equal(r.status, 422); /* one option is not a choice */
    resp_free(&r);
    qs = questions(&c, id);
    assert_string_equal(json_string_value(json_object_get(json_array_get(qs, 0), "kind")),
                        "scale10");
    assert_string_equal(json_string_value(json_object_get(json_array_get(qs, 0), "text")),
                        "Как вам время турнира?");
    json_decref(qs);
    /* the staff's preview cannot send an answer */
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/answer", id);
    assert_int_equal(client_post(&c, path, 0, &r, "q1", "4", "q2", "Лото", NULL), 0);
    assert_int_equal(r.status, 422);
    resp_free(&r);
    assert_int_equal(publish(&c, id), 303);
    assert_int_equal(publish(&c, id), 409); /* once */
    assert_int_equal(client_post(&a, path, 0, &r, "q1", "4", "q2", "Лото", NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/results", id);
    assert_int_equal(get_json_status(&c, path, &v), 200);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "survey"), "responses")),
                     1);
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "survey"), "title")),
                        "Турнир по домино");
    json_decref(v);
    client_free(&a);
    client_free(&c);
}

/* A survey copied from another compares its results with the original's,
 * question by question (the quality-monitoring template promises change). */
static void repeated_survey_compares(void **state)
{
    (void)state;
    struct client c, a, b;
    login_as(&c, &S, "member");
    login_as(&a, &S, "organizer");
    login_as(&b, &S, "nastolki-na-raene-1");
    long id = create(&c, "blank");
    add_question(&c, id, "scale5", "Как вам столы?");
    assert_int_equal(edit(&c, id, "Столы весной", "members", "", 0, 7), 303);
    assert_int_equal(publish(&c, id), 303);
    char path[160];
    struct resp r;
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/answer", id);
    assert_int_equal(client_post(&a, path, 0, &r, "q1", "4", NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(client_post(&b, path, 0, &r, "q1", "5", NULL), 0);
    resp_free(&r);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/copy", id);
    assert_int_equal(client_post(&c, path, 0, &r, NULL), 0);
    char loc[200];
    long copy = 0;
    assert_int_equal(resp_header(&r, "Location", loc, sizeof loc), 0);
    assert_int_equal(sscanf(loc, "/c/nastolki-na-raene/surveys/%ld/edit", &copy), 1);
    resp_free(&r);
    assert_int_equal(publish(&c, copy), 303);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/answer", copy);
    assert_int_equal(client_post(&a, path, 0, &r, "q1", "2", NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    json_t *v;
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/results", copy);
    assert_int_equal(get_json_status(&c, path, &v), 200);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "compare"), "id")), id);
    json_t *q = json_array_get(json_object_get(v, "questions"), 0);
    assert_string_equal(json_string_value(json_object_get(q, "mean")), "2,0");
    assert_string_equal(json_string_value(json_object_get(q, "prev_mean")), "4,5");
    json_t *bars = json_object_get(q, "bars");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(bars, 3), "prev_pct")), 50);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(bars, 1), "pct")), 100);
    json_decref(v);
    /* the original has nothing to compare with */
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/results", id);
    assert_int_equal(get_json_status(&c, path, &v), 200);
    assert_null(json_object_get(v, "compare"));
    json_decref(v);
    client_free(&a);
    client_free(&b);
    client_free(&c);
}

/* Deleting a survey asks first, on a page that says what goes, and takes
 * its questions, answers and (anonymous) ballot box with it. */
static void delete_asks_and_takes_everything(void **state)
{
    (void)state;
    struct client c, a;
    login_as(&c, &S, "member");
    login_as(&a, &S, "organizer");
    long id = create(&c, "blank");
    add_question(&c, id, "short", "Что сделать?");
    assert_int_equal(edit(&c, id, "Удаляемый", "members", "1", 0, 7), 303);
    assert_int_equal(publish(&c, id), 303);
    char path[160], sid[24];
    struct resp r;
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/answer", id);
    assert_int_equal(client_post(&a, path, 0, &r, "q1", "Стол побольше", NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    snprintf(sid, sizeof sid, "%ld", id);
    long long box = db_value(&S, "SELECT box_id FROM surveys WHERE id = ?", sid);
    assert_true(box > 0);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/delete", id);
    assert_int_equal(get_json_status(&a, path, NULL), 403);
    assert_int_equal(client_get(&c, path, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "1 вопрос"));
    assert_non_null(strstr(r.body, "1 ответ"));
    assert_non_null(strstr(r.body, "danger"));
    resp_free(&r);
    assert_int_equal(client_post(&a, path, 0, &r, NULL), 0);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    assert_int_equal(client_post(&c, path, 0, &r, NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld", id);
    assert_int_equal(get_json_status(&c, path, NULL), 404);
    char b[24];
    snprintf(b, sizeof b, "%lld", box);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM ballot_boxes WHERE id = ?", b), 0);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM ballot_texts WHERE box_id = ?", b), 0);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM survey_questions WHERE survey_id = ?", sid),
                     0);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/delete", id);
    assert_int_equal(client_post(&c, path, 0, &r, NULL), 0);
    assert_int_equal(r.status, 404); /* gone already */
    resp_free(&r);
    client_free(&a);
    client_free(&c);
}

/* Joins a fresh account handle to the board-games club by an invitation
 * of its organizer (org); c is signed in as the newcomer. */
static void join_fresh(struct client *org, struct client *c, const char *handle)
{
    char inv[200];
    const char *f[] = {"role", "member", "max_uses", "1", "days", "7", "note", "опрос", NULL};
    struct resp r;
    assert_int_equal(post_pairs(org, "/c/nastolki-na-raene/invite", 1, f, &r), 0);
    assert_int_equal(r.status, 201);
    const char *link = jstr(r.json, "created.link");
    assert_non_null(link);
    assert_non_null(strstr(link, "/i/"));
    snprintf(inv, sizeof inv, "%s", strstr(link, "/i/"));
    resp_free(&r);
    sign_up(c, &S, handle);
    assert_int_equal(post_status(c, inv, 0, NULL), 303);
}

/* db_value with an integer parameter. */
static long long value_of(const char *sql, long long v)
{
    char p[24];
    snprintf(p, sizeof p, "%lld", v);
    return db_value(&S, sql, p);
}

/* A newcomer answers a named and an anonymous survey and leaves the club:
 * both answers stay counted, the named one is signed "a former member",
 * and no row of the surveys' or their boxes' tables names the account. */
static void a_member_who_left_stays_counted_and_unnamed(void **state)
{
    (void)state;
    struct client c, fresh;
    login_as(&c, &S, "member"); /* the club's organizer */
    join_fresh(&c, &fresh, "survey-newcomer");
    long long acct = db_value(&S, "SELECT id FROM accounts WHERE handle = ?", "survey-newcomer");
    long long mid = member_id_of(&S, "nastolki-na-raene", "survey-newcomer");
    assert_true(acct > 0 && mid > 0);
    long named = create(&c, "blank");
    add_question(&c, named, "short", "Что купить в клуб?");
    assert_int_equal(edit(&c, named, "Покупки клуба", "members", "", 0, 7), 303);
    assert_int_equal(publish(&c, named), 303);
    long anon = create(&c, "event");
    assert_int_equal(edit(&c, anon, "Турнир, анонимно", "members", "1", 0, 7), 303);
    assert_int_equal(publish(&c, anon), 303);
    long long box = value_of("SELECT box_id FROM surveys WHERE id = ?", anon);
    assert_true(box > 0);
    char path[160];
    struct resp r;
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/answer", named);
    assert_int_equal(client_post(&fresh, path, 0, &r, "q1", "Новый Каркассон", NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/answer", anon);
    assert_int_equal(client_post(&fresh, path, 0, &r, "q1", "3", "q3", "0", NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    /* recognised as having answered, by member key */
    assert_int_equal(client_post(&fresh, path, 0, &r, "q1", "4", "q3", "0", NULL), 0);
    assert_int_equal(r.status, 422);
    resp_free(&r);
    static const char *const who[] = {"member", "organizer", "nastolki-na-raene-1",
                                      "nastolki-na-raene-2"};
    for (int i = 0; i < 4; i++) {
        struct client m;
        login_as(&m, &S, who[i]);
        assert_int_equal(client_post(&m, path, 0, &r, "q1", "8", "q3", "0", NULL), 0);
        assert_int_equal(r.status, 303);
        resp_free(&r);
        client_free(&m);
    }
    assert_int_equal(post_status(&fresh, "/c/nastolki-na-raene/leave", 0, NULL), 303);
    assert_int_equal(member_id_of(&S, "nastolki-na-raene", "survey-newcomer"), -1);
    /* the anonymous survey, closed: five answers, the newcomer's among them */
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/close", anon);
    assert_int_equal(client_post(&c, path, 0, &r, NULL), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    json_t *v;
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/results", anon);
    assert_int_equal(get_json_status(&c, path, &v), 200);
    assert_true(json_is_true(json_object_get(v, "visible")));
    json_t *q1 = json_array_get(json_object_get(v, "questions"), 0);
    assert_string_equal(json_string_value(json_object_get(q1, "mean")), "7,0");
    json_decref(v);
    /* the named one: still one response, signed as a former member's */
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/results", named);
    assert_int_equal(get_json_status(&c, path, &v), 200);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "survey"), "responses")),
                     1);
    char *dump = json_dumps(v, 0);
    assert_null(strstr(dump, "account"));
    assert_null(strstr(dump, "survey-newcomer"));
    free(dump);
    json_decref(v);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/results.csv", named);
    assert_int_equal(client_get(&c, path, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"Бывший участник\""));
    assert_non_null(strstr(r.body, "Новый Каркассон"));
    assert_null(strstr(r.body, "survey-newcomer"));
    resp_free(&r);
    /* the tables: member keys and member ids only (and the browsers' keys,
     * which name no account) */
    assert_int_equal(value_of("SELECT count(*) FROM survey_responses WHERE survey_id = ?"
                              " AND member_id IS NULL AND day IS NOT NULL",
                              named),
                     1);
    assert_int_equal(
        db_value(&S, "SELECT count(*) FROM pragma_table_info('survey_responses') WHERE name = ?",
                 "account_id"),
        0);
    char key[32];
    snprintf(key, sizeof key, "m%lld", mid);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM survey_respondents WHERE who = ?", key), 1);
    assert_int_equal(db_value(&S, "SELECT voted FROM ballot_roll WHERE voter = ?", key), 1);
    assert_int_equal(
        db_value(&S, "SELECT count(*) FROM survey_respondents WHERE who LIKE 'a%'", NULL), 0);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM ballot_roll r JOIN surveys s"
                              " ON s.box_id = r.box_id WHERE r.voter LIKE 'a%'",
                              NULL),
                     0);
    assert_int_equal(
        value_of("SELECT count(*) FROM ballot_roll WHERE box_id = ? AND voter NOT GLOB 'm[0-9]*'"
                 " AND voter NOT GLOB 't[0-9a-f]*'",
                 box),
        0);
    client_free(&fresh);
    client_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rights),
        cmocka_unit_test(builder_order_copy),
        cmocka_unit_test(named_answers_and_lock),
        cmocka_unit_test(link_anonymous),
        cmocka_unit_test(text_answers_grouped_and_paged),
        cmocka_unit_test(drafts_are_private_and_editable),
        cmocka_unit_test(repeated_survey_compares),
        cmocka_unit_test(delete_asks_and_takes_everything),
        cmocka_unit_test(a_member_who_left_stays_counted_and_unnamed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
