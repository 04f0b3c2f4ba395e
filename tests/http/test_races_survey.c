/* Surveys' rules under two writers: each rule a write depends on is
 * decided by the write itself, so a form that went stale (the state
 * changed under it) or the same write fired by several clients at once
 * changes nothing it should not: publishing and closing happen once, a
 * person answers once, a published survey's questions stay as they are,
 * and an answer given to questions that changed meanwhile is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv S;

#define CLUB "/c/nastolki-na-raene"

enum { N = 6 }; /* clients firing one write at once */

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

/* ---- set-up through the interface ---- */

/* A draft of the club from the blank template with one required short
 * question per text; its id. "member" is the club's organizer. */
static long draft(struct client *org, const char *const *texts)
{
    struct resp r;
    assert_int_equal(client_post(org, CLUB "/surveys", 0, &r, "template", "blank", NULL), 0);
    assert_int_equal(r.status, 303);
    char loc[200];
    long id = 0;
    assert_int_equal(sscanf(resp_location(&r, loc, sizeof loc), CLUB "/surveys/%ld/edit", &id), 1);
    resp_free(&r);
    char path[160];
    snprintf(path, sizeof path, CLUB "/surveys/%ld/questions", id);
    for (int i = 0; texts[i]; i++)
        POST(org, path, 303, "kind", "short", "text", texts[i], "required", "1");
    return id;
}

/* Sets the draft's audience and anonymity, open from yesterday for a
 * week, and publishes it. */
static void publish(struct client *org, long id, const char *audience, const char *anonymous)
{
    char path[160], a[11], b[11];
    snprintf(path, sizeof path, CLUB "/surveys/%ld/edit", id);
    POST(org, path, 303, "title", "Гонка", "audience", audience, "anonymous", anonymous, "opens_on",
         test_day(-1, a), "closes_on", test_day(7, b));
    snprintf(path, sizeof path, CLUB "/surveys/%ld/publish", id);
    assert_int_equal(post_form(org, path, NULL), 303);
}

static long long count_of(const char *sql, long id)
{
    char v[24];
    snprintf(v, sizeof v, "%ld", id);
    return db_value(&S, sql, v);
}

/* ---- many clients at once ---- */

struct shot {
    struct client c;
    const char *path;
    const char *const *pairs;
    pthread_barrier_t *start;
    long status;
};

static void *fire(void *arg)
{
    struct shot *s = arg;
    pthread_barrier_wait(s->start);
    s->status = post_form(&s->c, s->path, s->pairs);
    return NULL;
}

/* N clients signed in as handle POST pairs to path together; how many
 * were answered 303, and (into *conflicts) how many 409 or 422. */
static int volley(const char *handle, const char *path, const char *const *pairs, int *refused)
{
    struct shot s[N];
    pthread_t th[N];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, N);
    for (int i = 0; i < N; i++) {
        login_as(&s[i].c, &S, handle);
        s[i].path = path;
        s[i].pairs = pairs;
        s[i].start = &start;
        s[i].status = 0;
    }
    for (int i = 0; i < N; i++)
        pthread_create(&th[i], NULL, fire, &s[i]);
    int ok = 0;
    *refused = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        if (s[i].status == 303) ok++;
        /* 422: the page saw the winner's commit before it read (the write
         * would have refused too); 409: the write refused it. */
        if (s[i].status == 409 || s[i].status == 422) (*refused)++;
        client_free(&s[i].c);
    }
    pthread_barrier_destroy(&start);
    return ok;
}

static void publish_once(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "member");
    static const char *const qs[] = {"Кто ведёт?", NULL};
    long id = draft(&org, qs);
    char path[160], a[11], b[11];
    snprintf(path, sizeof path, CLUB "/surveys/%ld/edit", id);
    POST(&org, path, 303, "title", "Гонка", "audience", "members", "anonymous", "1", "opens_on",
         test_day(-1, a), "closes_on", test_day(7, b));
    snprintf(path, sizeof path, CLUB "/surveys/%ld/publish", id);
    int refused;
    assert_int_equal(volley("member", path, NULL, &refused), 1);
    assert_int_equal(refused, N - 1);
    /* one box, opened once: the survey's, with no other left behind */
    assert_int_equal(count_of("SELECT count(*) FROM surveys WHERE id = ? AND box_id IS NOT NULL"
                              " AND published = 1",
                              id),
                     1);
    client_free(&org);
}

static void close_once(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "member");
    static const char *const qs[] = {"Что дальше?", NULL};
    long id = draft(&org, qs);
    publish(&org, id, "members", "1");
    char path[160];
    snprintf(path, sizeof path, CLUB "/surveys/%ld/close", id);
    int refused;
    assert_int_equal(volley("member", path, NULL, &refused), 1);
    assert_int_equal(refused, N - 1);
    assert_int_equal(count_of("SELECT b.closed FROM surveys s JOIN ballot_boxes b"
                              " ON b.id = s.box_id WHERE s.id = ?",
                              id),
                     1);
    /* and once more, later: closing is final */
    assert_int_equal(post_form(&org, path, NULL), 409);
    client_free(&org);
}

static void answer_once_named(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "member");
    static const char *const qs[] = {"Во что играем?", NULL};
    long id = draft(&org, qs);
    publish(&org, id, "members", "");
    char path[160];
    snprintf(path, sizeof path, CLUB "/surveys/%ld/answer", id);
    static const char *const answer[] = {"q1", "Каркассон", NULL};
    int refused;
    /* "organizer" is a plain member of the club: six tabs of one person */
    assert_int_equal(volley("organizer", path, answer, &refused), 1);
    assert_int_equal(refused, N - 1);
    assert_int_equal(count_of("SELECT count(*) FROM survey_responses WHERE survey_id = ?", id), 1);
    client_free(&org);
}

static void answer_once_anonymous(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "member");
    static const char *const qs[] = {"Во что играем?", NULL};
    long id = draft(&org, qs);
    publish(&org, id, "members", "1");
    char path[160];
    snprintf(path, sizeof path, CLUB "/surveys/%ld/answer", id);
    static const char *const answer[] = {"q1", "Мафия", NULL};
    int refused;
    assert_int_equal(volley("organizer", path, answer, &refused), 1);
    assert_int_equal(refused, N - 1);
    assert_int_equal(count_of("SELECT b.ballots FROM surveys s JOIN ballot_boxes b"
                              " ON b.id = s.box_id WHERE s.id = ?",
                              id),
                     1);
    client_free(&org);
}

/* ---- stale forms ---- */

/* The question ids the answer form of path carries (hidden field), into
 * out. */
static void shown_ids(struct client *c, const char *path, char *out, size_t n)
{
    char *html = get_html(c, path);
    const char *at = strstr(html, "name=\"qids\" value=\"");
    assert_non_null(at);
    at += strlen("name=\"qids\" value=\"");
    size_t len = strcspn(at, "\"");
    assert_true(len > 0 && len < n);
    memcpy(out, at, len);
    out[len] = 0;
    free(html);
}

/* The person fills the form; meanwhile the questions change in the
 * database (as an organizer's edit would have, were it allowed, or an
 * administrator's repair). The answer lands on nothing. */
static void answer_to_changed_questions(void **state)
{
    (void)state;
    struct client org, m;
    login_as(&org, &S, "member");
    login_as(&m, &S, "organizer");
    static const char *const qs[] = {"Первый?", "Второй?", NULL};
    for (int anonymous = 0; anonymous <= 1; anonymous++) {
        long id = draft(&org, qs);
        publish(&org, id, "members", anonymous ? "1" : "");
        char page[160], post[160], ids[64], v[24];
        snprintf(page, sizeof page, CLUB "/surveys/%ld", id);
        snprintf(post, sizeof post, CLUB "/surveys/%ld/answer", id);
        shown_ids(&m, page, ids, sizeof ids);
        snprintf(v, sizeof v, "%ld", id);
        /* the two questions change places: q1 would answer "Второй?" */
        assert_int_equal(
            db_run(&S, "UPDATE survey_questions SET pos = 3 - pos WHERE survey_id = ?", v), 0);
        char *body = post_expect(&m, post, 409, "qids", ids, "q1", "раз", "q2", "два", END);
        free(body);
        assert_int_equal(count_of("SELECT count(*) FROM survey_responses WHERE survey_id = ?", id),
                         0);
        assert_int_equal(count_of("SELECT coalesce((SELECT b.ballots FROM surveys s JOIN"
                                  " ballot_boxes b ON b.id = s.box_id WHERE s.id = ?), 0)",
                                  id),
                         0);
        /* one removed: the same */
        shown_ids(&m, page, ids, sizeof ids);
        assert_int_equal(db_run(&S,
                                "DELETE FROM survey_questions WHERE id = (SELECT max(id) FROM"
                                " survey_questions WHERE survey_id = ?)",
                                v),
                         0);
        free(post_expect(&m, post, 409, "qids", ids, "q1", "раз", "q2", "два", END));
        assert_int_equal(count_of("SELECT count(*) FROM survey_responses WHERE survey_id = ?", id),
                         0);
        /* the form as it is now is taken */
        shown_ids(&m, page, ids, sizeof ids);
        POST(&m, post, 303, "qids", ids, "q1", "раз");
    }
    client_free(&m);
    client_free(&org);
}

/* An organizer has the draft's builder open; another publishes it. The
 * first one's question edits, additions, moves and deletions are refused
 * and change nothing: residents answer the questions that were published. */
static void questions_stay_once_published(void **state)
{
    (void)state;
    struct client a, b;
    login_as(&a, &S, "member");
    login_as(&b, &S, "member");
    static const char *const qs[] = {"Когда?", "Где?", NULL};
    long id = draft(&a, qs);
    char path[200], v[24];
    snprintf(path, sizeof path, CLUB "/surveys/%ld/edit", id);
    free(get_html(&a, path)); /* the builder, open */
    publish(&b, id, "members", "");
    snprintf(v, sizeof v, "%ld", id);
    long long q1 = db_value(&S, "SELECT min(id) FROM survey_questions WHERE survey_id = ?", v);
    const char *before = "SELECT group_concat(id || kind || text || pos, ';') FROM"
                         " (SELECT * FROM survey_questions WHERE survey_id = ? ORDER BY id)";
    long long n0 = count_of("SELECT count(*) FROM survey_questions WHERE survey_id = ?", id);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(S.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, before, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *was = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);

    snprintf(path, sizeof path, CLUB "/surveys/%ld/questions/%lld/edit", id, q1);
    POST(&a, path, 409, "kind", "long", "text", "Когда же?", "required", "1");
    snprintf(path, sizeof path, CLUB "/surveys/%ld/questions", id);
    POST(&a, path, 409, "kind", "short", "text", "Ещё один?");
    snprintf(path, sizeof path, CLUB "/surveys/%ld/questions/%lld/down", id, q1);
    assert_int_equal(post_form(&a, path, NULL), 409);
    snprintf(path, sizeof path, CLUB "/surveys/%ld/questions/%lld/delete", id, q1);
    assert_int_equal(post_form(&a, path, NULL), 409);

    assert_int_equal(count_of("SELECT count(*) FROM survey_questions WHERE survey_id = ?", id), n0);
    assert_int_equal(sqlite3_prepare_v2(db, before, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), was);
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(was);
    client_free(&b);
    client_free(&a);
}

/* The organizer opened the settings of a survey nobody had answered; an
 * answer comes in; the organizer's save of other settings is refused and
 * the survey keeps the settings its answer was given under. */
static void settings_after_an_answer(void **state)
{
    (void)state;
    struct client org, m;
    login_as(&org, &S, "member");
    login_as(&m, &S, "organizer");
    static const char *const qs[] = {"Как вам?", NULL};
    long id = draft(&org, qs);
    publish(&org, id, "members", "");
    char path[160], a[11], b[11];
    snprintf(path, sizeof path, CLUB "/surveys/%ld/edit", id);
    free(get_html(&org, path));
    char answer[160];
    snprintf(answer, sizeof answer, CLUB "/surveys/%ld/answer", id);
    POST(&m, answer, 303, "q1", "хорошо");
    const char *const change[] = {
        "title",    "Совсем другой опрос", "audience",  "link",         "anonymous", "1",
        "opens_on", test_day(-1, a),       "closes_on", test_day(7, b), NULL};
    long st = post_form(&org, path, change);
    assert_true(st == 409 || st == 422);
    char v[24];
    snprintf(v, sizeof v, "%ld", id);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM surveys WHERE id = ? AND title = 'Гонка'"
                              " AND audience = 'members' AND anonymous = 0 AND box_id IS NULL",
                              v),
                     1);
    client_free(&m);
    client_free(&org);
}

/* An anonymous members' survey's roll is the members of the day it was
 * published: someone who joined later is refused and nothing is cast. */
static void roll_fixed_at_publication(void **state)
{
    (void)state;
    struct client org, late;
    login_as(&org, &S, "member");
    static const char *const qs[] = {"Кто придёт?", NULL};
    long id = draft(&org, qs);
    publish(&org, id, "members", "1");
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM memberships m JOIN accounts a ON a.id ="
                              " m.account_id JOIN communities c ON c.id = m.community_id"
                              " WHERE c.slug = 'nastolki-na-raene' AND a.handle = ?",
                              "newcomer"),
                     0);
    assert_int_equal(db_run(&S,
                            "INSERT INTO memberships(community_id, account_id, role, joined_at)"
                            " SELECT c.id, a.id, 'member', 0 FROM communities c, accounts a"
                            " WHERE c.slug = 'nastolki-na-raene' AND a.handle = ?",
                            "newcomer"),
                     0);
    login_as(&late, &S, "newcomer");
    char path[160];
    snprintf(path, sizeof path, CLUB "/surveys/%ld/answer", id);
    POST(&late, path, 403, "q1", "Я");
    assert_int_equal(count_of("SELECT b.ballots FROM surveys s JOIN ballot_boxes b"
                              " ON b.id = s.box_id WHERE s.id = ?",
                              id),
                     0);
    client_free(&late);
    client_free(&org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(publish_once),
        cmocka_unit_test(close_once),
        cmocka_unit_test(answer_once_named),
        cmocka_unit_test(answer_once_anonymous),
        cmocka_unit_test(answer_to_changed_questions),
        cmocka_unit_test(questions_stay_once_published),
        cmocka_unit_test(settings_after_an_answer),
        cmocka_unit_test(roll_fixed_at_publication),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
