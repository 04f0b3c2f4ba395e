/* Residents' initiatives (issue 14, step 1) over HTTP against a real
 * server with the demo: proposing and editing, every bad input, supports
 * (once, withdrawable, the threshold's move in the same transaction, two
 * writers at it), comments and their hiding, the organizers' decisions
 * (accept, merge without double counting, decline with a reason), the
 * list's filters, search, sorting and pages, who may read, and the secret
 * community's sealed texts and words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/forensic.h"
#include "lib/httpx.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv S;

#define DS "/c/dvor-sadovaya-12"
#define ZK "/c/zelenyj-kvartal"
#define TV "/c/tiho-vmeste"

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

static long long by_title(const char *title)
{
    return db_value(&S, "SELECT max(id) FROM initiatives WHERE title = ?", title);
}

static long long q(const char *sql, long long id)
{
    char p[32];
    snprintf(p, sizeof p, "%lld", id);
    return db_value(&S, sql, p);
}

/* A new idea of c's in the community at base; its id. */
static long long propose(struct client *c, const char *base, const char *title,
                         const char *direction)
{
    char path[128];
    snprintf(path, sizeof path, "%s/initiatives", base);
    POST(c, path, 303, "title", title, "problem", "Во дворе темно по вечерам.", "proposal",
         "Повесить два фонаря над дорожкой.", "direction", direction);
    long long id = by_title(title);
    if (id <= 0) fail_msg("no initiative %s", title);
    return id;
}

static const char *ipath(char *buf, size_t n, const char *base, long long id, const char *what)
{
    snprintf(buf, n, "%s/initiatives/%lld%s", base, id, what);
    return buf;
}

static char *repeat(const char *s, int times)
{
    size_t n = strlen(s);
    char *out = malloc(n * (size_t)times + 1);
    for (int i = 0; i < times; i++)
        memcpy(out + n * (size_t)i, s, n);
    out[n * (size_t)times] = 0;
    return out;
}

/* ---- proposing, reading, editing ---- */

static void a_member_proposes_and_anyone_reads_a_public_one(void **state)
{
    (void)state;
    struct client m, anon, out;
    login_as(&m, &S, "member");
    long long id = propose(&m, DS, "Фонари над дорожкой к школе", "landscaping");
    char p[128];
    json_t *v = view_json(&m, ipath(p, sizeof p, DS, id, ""));
    assert_string_equal(jstr(v, "initiative.state"), "idea");
    assert_string_equal(jstr(v, "initiative.author"), "Марина");
    assert_true(json_is_true(jget(v, "initiative.mine")));
    assert_true(json_is_true(jget(v, "can_edit")));
    assert_true(json_is_true(jget(v, "can_support")));
    json_decref(v);
    /* the anonymous read a public community's initiatives, without names */
    login_as(&anon, &S, NULL);
    v = view_json(&anon, ipath(p, sizeof p, DS, id, ""));
    assert_string_equal(jstr(v, "initiative.title"), "Фонари над дорожкой к школе");
    assert_null(jget(v, "initiative.author"));
    assert_null(jget(v, "initiative.mine"));
    assert_false(json_is_true(jget(v, "can_support")));
    json_decref(v);
    char *html = get_html(&anon, DS "/initiatives");
    assert_non_null(strstr(html, "Фонари над дорожкой к школе"));
    assert_null(strstr(html, "Марина"));
    free(html);
    /* but only members propose, support and comment */
    POST(&anon, DS "/initiatives", 401, "title", "Спам", "problem", "x", "proposal", "y",
         "direction", "other");
    login_as(&out, &S, "newcomer");
    POST(&out, DS "/initiatives", 403, "title", "Спам", "problem", "x", "proposal", "y",
         "direction", "other");
    POST(&out, ipath(p, sizeof p, DS, id, "/support"), 403, "x", "1");
    POST(&out, ipath(p, sizeof p, DS, id, "/comments"), 403, "body", "Спам");
    assert_true(by_title("Спам") <= 0);
    /* a closed community's are for its members only */
    assert_int_equal(get_status(&out, ZK "/initiatives", 1), 403);
    assert_int_equal(get_status(&anon, ZK "/initiatives", 0), 303);
    assert_int_equal(get_status(&out, TV "/initiatives", 1), 404);
    client_free(&m);
    client_free(&anon);
    client_free(&out);
}

static void every_bad_input_is_refused_with_the_input_kept(void **state)
{
    (void)state;
    struct client m;
    login_as(&m, &S, "member");
    char *long_title = repeat("д", 151), *long_text = repeat("ы", 4001),
         *long_place = repeat("м", 201);
    struct {
        const char *field, *value;
    } bad[] = {
        {"title", ""},           {"title", long_title},
        {"problem", ""},         {"problem", long_text},
        {"proposal", long_text}, {"direction", "parking"},
        {"place", "abc"},        {"place", "999999"},
        {"goal", "999999"},      {"place_text", long_place},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        /* the bad value first: of a repeated field the first counts */
        const char *pairs[] = {bad[i].field, bad[i].value,
                               "title",      "Проверка формы",
                               "problem",    "Текст проблемы сохранится",
                               "proposal",   "Текст предложения",
                               "direction",  "help",
                               NULL};
        struct resp r;
        assert_int_equal(post_pairs(&m, DS "/initiatives", 1, pairs, &r), 0);
        if (r.status != 422 || !field_error(&r, bad[i].field))
            fail_msg("%s=%.20s: %ld %s", bad[i].field, bad[i].value, r.status, r.body);
        resp_free(&r);
        assert_int_equal(post_pairs(&m, DS "/initiatives", 0, pairs, &r), 0);
        assert_int_equal(r.status, 422);
        if (strcmp(bad[i].field, "problem") != 0)
            assert_true(resp_has(&r, "Текст проблемы сохранится"));
        assert_true(resp_has(&r, "field-error"));
        resp_free(&r);
    }
    assert_true(by_title("Проверка формы") <= 0);
    /* a goal or a place of another community is not offered here */
    long long other_goal = db_value(&S,
                                    "SELECT min(g.id) FROM goals g JOIN communities c ON"
                                    " c.id = g.community_id WHERE c.slug = ? AND parent_id IS NULL",
                                    "zelenyj-kvartal");
    char goal[32];
    snprintf(goal, sizeof goal, "%lld", other_goal);
    struct resp r;
    const char *pairs[] = {"title",     "Чужая цель", "problem", "п",  "proposal", "п",
                           "direction", "help",       "goal",    goal, NULL};
    assert_int_equal(post_pairs(&m, DS "/initiatives", 1, pairs, &r), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(field_error(&r, "goal"));
    resp_free(&r);
    /* an oversized body is refused whole */
    char *huge = repeat("x", 2 * 1024 * 1024);
    const char *hp[] = {"title", "Огромная",  "problem", huge, "proposal",
                        "x",     "direction", "help",    NULL};
    long st = post_status(&m, DS "/initiatives", 0, hp);
    assert_true(st == 413 || st == 422);
    assert_true(by_title("Огромная") <= 0);
    /* the list's filters: a bad select answers 422 and still lists */
    assert_int_equal(get_status(&m, DS "/initiatives?state=bogus", 0), 422);
    assert_int_equal(get_status(&m, DS "/initiatives?direction=bogus", 1), 422);
    assert_int_equal(get_status(&m, DS "/initiatives?place=999999", 1), 422);
    char *long_q = repeat("%D0%BC", 201), qq[1400];
    snprintf(qq, sizeof qq, DS "/initiatives?q=%s", long_q);
    free(long_q);
    assert_int_equal(get_status(&m, qq, 1), 422);
    free(huge);
    free(long_title);
    free(long_text);
    free(long_place);
    client_free(&m);
}

static void the_author_edits_while_it_is_an_idea(void **state)
{
    (void)state;
    struct client m, org;
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    long long id = propose(&m, DS, "Песочница без песка", "landscaping");
    char p[128];
    /* the form shows what is stored */
    char *html = get_html(&m, ipath(p, sizeof p, DS, id, "/edit"));
    assert_non_null(strstr(html, "value=\"Песочница без песка\""));
    assert_non_null(strstr(html, "value=\"landscaping\" selected"));
    free(html);
    char place[32];
    snprintf(
        place, sizeof place, "%lld",
        db_value(&S, "SELECT territory_id FROM communities WHERE slug = ?", "dvor-sadovaya-12"));
    POST(&m, ipath(p, sizeof p, DS, id, "/edit"), 303, "title", "Песочница: завезти песок",
         "problem", "Песка нет с прошлого лета.", "proposal", "Заказать машину песка.", "direction",
         "landscaping", "place", place, "place_text", "за вторым подъездом");
    assert_int_equal(by_title("Песочница: завезти песок"), id);
    json_t *v = view_json(&m, ipath(p, sizeof p, DS, id, ""));
    assert_string_equal(jstr(v, "initiative.place"), "Сады");
    assert_string_equal(jstr(v, "initiative.place_text"), "за вторым подъездом");
    json_decref(v);
    /* not the author: refused, nothing written */
    assert_int_equal(get_status(&org, ipath(p, sizeof p, DS, id, "/edit"), 0), 403);
    POST(&org, ipath(p, sizeof p, DS, id, "/edit"), 409, "title", "Чужая правка", "problem", "п",
         "proposal", "п", "direction", "other");
    assert_true(by_title("Чужая правка") <= 0);
    /* gone: 404 */
    POST(&m, DS "/initiatives/999999/edit", 404, "title", "Нет", "problem", "п", "proposal", "п",
         "direction", "other");
    assert_int_equal(get_status(&m, DS "/initiatives/999999/edit", 0), 404);
    assert_int_equal(get_status(&m, DS "/initiatives/999999", 1), 404);
    /* no longer an idea: 409 */
    POST(&org, ipath(p, sizeof p, DS, id, "/accept"), 303, "x", "1");
    assert_int_equal(get_status(&m, ipath(p, sizeof p, DS, id, "/edit"), 0), 409);
    POST(&m, ipath(p, sizeof p, DS, id, "/edit"), 409, "title", "Поздняя правка", "problem", "п",
         "proposal", "п", "direction", "other");
    assert_true(by_title("Поздняя правка") <= 0);
    client_free(&m);
    client_free(&org);
}

/* ---- supports and the threshold ---- */

static void supports_are_once_each_and_the_threshold_queues(void **state)
{
    (void)state;
    struct client org, m, r1, r2;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    login_as(&r1, &S, "dvor-sadovaya-12-1");
    login_as(&r2, &S, "dvor-sadovaya-12-2");
    assert_int_equal(get_status(&org, DS "/initiatives/settings", 0), 200);
    POST(&org, DS "/initiatives/settings", 422, "threshold", "0");
    POST(&org, DS "/initiatives/settings", 422, "threshold", "abc");
    POST(&org, DS "/initiatives/settings", 422, "threshold", "100001");
    POST(&m, DS "/initiatives/settings", 403, "threshold", "2");
    POST(&org, DS "/initiatives/settings", 303, "threshold", "2");
    long long id = propose(&m, DS, "Турник во дворе", "leisure");
    char p[128], sup[128], wd[128];
    ipath(sup, sizeof sup, DS, id, "/support");
    ipath(wd, sizeof wd, DS, id, "/withdraw");
    POST(&r1, sup, 303, "x", "1");
    POST(&r1, sup, 409, "x", "1"); /* once */
    assert_int_equal(q("SELECT supports FROM initiatives WHERE id = CAST(? AS INTEGER)", id), 1);
    POST(&r1, wd, 303, "x", "1");
    POST(&r1, wd, 409, "x", "1"); /* nothing to withdraw */
    assert_int_equal(q("SELECT supports FROM initiatives WHERE id = CAST(? AS INTEGER)", id), 0);
    POST(&r1, sup, 303, "x", "1");
    json_t *v = view_json(&r1, ipath(p, sizeof p, DS, id, ""));
    assert_true(json_is_true(jget(v, "initiative.supported")));
    assert_true(json_is_true(jget(v, "can_withdraw")));
    assert_string_equal(jstr(v, "initiative.state"), "idea");
    json_decref(v);
    /* the second support reaches the threshold: queued with it */
    POST(&r2, sup, 303, "x", "1");
    assert_int_equal(q("SELECT count(*) FROM initiatives WHERE id = CAST(? AS INTEGER)"
                       " AND state = 'queued' AND supports = 2",
                       id),
                     1);
    assert_int_equal(q("SELECT count(*) FROM initiative_history WHERE initiative_id ="
                       " CAST(? AS INTEGER) AND to_state = 'queued' AND automatic = 1"
                       " AND member_id IS NULL",
                       id),
                     1);
    /* a withdrawal keeps it in the queue */
    POST(&r2, wd, 303, "x", "1");
    assert_int_equal(q("SELECT count(*) FROM initiatives WHERE id = CAST(? AS INTEGER)"
                       " AND state = 'queued'",
                       id),
                     1);
    POST(&m, DS "/initiatives/999999/support", 404, "x", "1");
    /* a lower threshold queues what already reaches it */
    long long other = propose(&m, DS, "Лавочка у песочницы", "landscaping");
    POST(&r1, ipath(p, sizeof p, DS, other, "/support"), 303, "x", "1");
    POST(&org, DS "/initiatives/settings", 303, "threshold", "1");
    assert_int_equal(q("SELECT count(*) FROM initiatives WHERE id = CAST(? AS INTEGER)"
                       " AND state = 'queued'",
                       other),
                     1);
    POST(&org, DS "/initiatives/settings", 303, "threshold", "5");
    client_free(&org);
    client_free(&m);
    client_free(&r1);
    client_free(&r2);
}

struct shot {
    struct client c;
    const char *path;
    long status;
};

static void *fire(void *arg)
{
    struct shot *s = arg;
    const char *pairs[] = {"x", "1", NULL};
    s->status = post_status(&s->c, s->path, 0, pairs);
    return NULL;
}

/* Two writers at each rule: the same member's support sent four times at
 * once counts once; two members whose supports both reach the threshold
 * move it once, with one history row. */
static void two_writers_at_a_support(void **state)
{
    (void)state;
    struct client m, org;
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    POST(&org, DS "/initiatives/settings", 303, "threshold", "3");
    long long id = propose(&m, DS, "Гонка поддержек", "other");
    char sup[128];
    ipath(sup, sizeof sup, DS, id, "/support");
    enum { N = 4 };
    struct shot shots[N];
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        login_as(&shots[i].c, &S, "dvor-sadovaya-12-3");
        shots[i].path = sup;
    }
    for (int i = 0; i < N; i++)
        assert_int_equal(pthread_create(&th[i], NULL, fire, &shots[i]), 0);
    int wins = 0, lost = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        wins += shots[i].status == 303;
        lost += shots[i].status == 409;
        client_free(&shots[i].c);
    }
    assert_int_equal(wins, 1);
    assert_int_equal(lost, N - 1);
    assert_int_equal(q("SELECT supports FROM initiatives WHERE id = CAST(? AS INTEGER)", id), 1);
    assert_int_equal(q("SELECT count(*) FROM initiative_supports WHERE initiative_id ="
                       " CAST(? AS INTEGER)",
                       id),
                     1);
    /* two more at once: both count, and the threshold moves it once */
    const char *who[] = {"dvor-sadovaya-12-4", "dvor-sadovaya-12-5", "dvor-sadovaya-12-6",
                         "dvor-sadovaya-12-7"};
    for (int i = 0; i < N; i++) {
        login_as(&shots[i].c, &S, who[i]);
        shots[i].path = sup;
    }
    for (int i = 0; i < N; i++)
        assert_int_equal(pthread_create(&th[i], NULL, fire, &shots[i]), 0);
    wins = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        wins += shots[i].status == 303;
        client_free(&shots[i].c);
    }
    assert_int_equal(wins, N);
    assert_int_equal(q("SELECT supports FROM initiatives WHERE id = CAST(? AS INTEGER)", id),
                     N + 1);
    assert_int_equal(q("SELECT count(*) FROM initiative_history WHERE initiative_id ="
                       " CAST(? AS INTEGER) AND to_state = 'queued'",
                       id),
                     1);
    POST(&org, DS "/initiatives/settings", 303, "threshold", "5");
    client_free(&m);
    client_free(&org);
}

/* ---- the organizers' decisions ---- */

static void organizers_accept_merge_and_decline(void **state)
{
    (void)state;
    struct client org, m, r1, r2, anon;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    login_as(&r1, &S, "dvor-sadovaya-12-8");
    login_as(&r2, &S, "dvor-sadovaya-12-9");
    login_as(&anon, &S, NULL);
    long long target = propose(&m, DS, "Велопарковка у магазина", "landscaping");
    long long dup = propose(&r1, DS, "Место для велосипедов у магазина", "landscaping");
    char p[128];
    /* r2 supports both, r1 only the duplicate */
    POST(&r2, ipath(p, sizeof p, DS, target, "/support"), 303, "x", "1");
    POST(&r2, ipath(p, sizeof p, DS, dup, "/support"), 303, "x", "1");
    POST(&r1, ipath(p, sizeof p, DS, dup, "/support"), 303, "x", "1");
    /* members may not decide */
    POST(&m, ipath(p, sizeof p, DS, dup, "/merge"), 403, "target", "1");
    POST(&m, ipath(p, sizeof p, DS, dup, "/accept"), 403, "x", "1");
    /* the merge form offers the community's other open initiatives */
    char *html = get_html(&org, ipath(p, sizeof p, DS, dup, "/merge"));
    assert_non_null(strstr(html, "Велопарковка у магазина"));
    free(html);
    char t[32];
    snprintf(t, sizeof t, "%lld", dup);
    POST(&org, ipath(p, sizeof p, DS, dup, "/merge"), 422, "target", t); /* itself */
    POST(&org, ipath(p, sizeof p, DS, dup, "/merge"), 422, "target", "");
    snprintf(t, sizeof t, "%lld", target);
    POST(&org, ipath(p, sizeof p, DS, dup, "/merge"), 303, "target", t, "reason", "То же самое");
    assert_int_equal(q("SELECT supports FROM initiatives WHERE id = CAST(? AS INTEGER)", target),
                     2); /* r2 once, r1 carried over */
    assert_int_equal(q("SELECT merged_into FROM initiatives WHERE id = CAST(? AS INTEGER)", dup),
                     target);
    json_t *v = view_json(&anon, ipath(p, sizeof p, DS, dup, ""));
    assert_string_equal(jstr(v, "initiative.state"), "merged");
    assert_string_equal(jstr(v, "initiative.merged_title"), "Велопарковка у магазина");
    assert_string_equal(jstr(v, "decision_reason"), "То же самое");
    json_decref(v);
    /* a merged one takes no support, no comment, no second decision */
    POST(&r1, ipath(p, sizeof p, DS, dup, "/support"), 409, "x", "1");
    POST(&r1, ipath(p, sizeof p, DS, dup, "/withdraw"), 409, "x", "1");
    POST(&r1, ipath(p, sizeof p, DS, dup, "/comments"), 409, "body", "Ещё слово");
    POST(&org, ipath(p, sizeof p, DS, dup, "/accept"), 409, "x", "1");
    assert_int_equal(get_status(&org, ipath(p, sizeof p, DS, dup, "/decline"), 0), 409);
    /* nor can anything be merged into it */
    long long third = propose(&m, DS, "Третья про велосипеды", "other");
    snprintf(t, sizeof t, "%lld", dup);
    POST(&org, ipath(p, sizeof p, DS, third, "/merge"), 422, "target", t);
    /* declined with a reason the author sees */
    POST(&org, ipath(p, sizeof p, DS, third, "/decline"), 422, "reason", "");
    POST(&org, ipath(p, sizeof p, DS, third, "/decline"), 303, "reason",
         "Уже решено в другой инициативе");
    v = view_json(&m, ipath(p, sizeof p, DS, third, ""));
    assert_string_equal(jstr(v, "initiative.state"), "declined");
    assert_string_equal(jstr(v, "decision_reason"), "Уже решено в другой инициативе");
    assert_string_equal(jstr(v, "history.0.to_state"), "declined");
    assert_string_equal(jstr(v, "history.0.who"), "Андрей");
    json_decref(v);
    POST(&org, ipath(p, sizeof p, DS, third, "/decline"), 409, "reason", "Ещё раз");
    /* accepted: stage 1, recorded */
    POST(&org, ipath(p, sizeof p, DS, target, "/accept"), 303, "x", "1");
    POST(&org, ipath(p, sizeof p, DS, target, "/accept"), 409, "x", "1");
    assert_int_equal(q("SELECT stage FROM initiatives WHERE id = CAST(? AS INTEGER)"
                       " AND state = 'work'",
                       target),
                     1);
    assert_int_equal(q("SELECT count(*) FROM initiative_history WHERE initiative_id ="
                       " CAST(? AS INTEGER) AND to_state = 'work' AND to_stage = 1"
                       " AND member_id IS NOT NULL",
                       target),
                     1);
    POST(&org, DS "/initiatives/999999/accept", 404, "x", "1");
    POST(&org, DS "/initiatives/999999/decline", 404, "reason", "нет");
    assert_int_equal(get_status(&org, DS "/initiatives/999999/merge", 0), 404);
    client_free(&org);
    client_free(&m);
    client_free(&r1);
    client_free(&r2);
    client_free(&anon);
}

/* ---- comments ---- */

static void comments_are_paged_and_a_hidden_one_shows_its_reason(void **state)
{
    (void)state;
    struct client org, m, anon;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    login_as(&anon, &S, NULL);
    long long id = propose(&m, DS, "Обсуждаем мусорные баки", "housing");
    char p[128], c[128];
    ipath(c, sizeof c, DS, id, "/comments");
    POST(&m, c, 422, "body", "   ");
    char *long_body = repeat("к", 2001);
    char *body = post_expect(&m, c, 422, "body", long_body, END);
    assert_non_null(strstr(body, "field-error"));
    free(body);
    free(long_body);
    POST(&m, c, 303, "body", "Мой телефон 8 029 111-22-33, звоните");
    long long cid =
        q("SELECT max(id) FROM initiative_comments WHERE initiative_id = CAST(? AS INTEGER)", id);
    for (int i = 0; i < 31; i++) {
        char b[64];
        snprintf(b, sizeof b, "Комментарий номер %d", i + 1);
        POST(&m, c, 303, "body", b);
    }
    json_t *v = view_json(&anon, ipath(p, sizeof p, DS, id, ""));
    assert_int_equal(json_array_size(jget(v, "comment_list")), 30);
    assert_non_null(jstr(v, "next_page"));
    assert_null(jget(v, "comment_list.0.author"));
    json_decref(v);
    v = view_json(&anon, ipath(p, sizeof p, DS, id, "?page=2"));
    assert_int_equal(json_array_size(jget(v, "comment_list")), 2);
    json_decref(v);
    /* hidden: its text erased, the reason shown to everyone */
    char h[160];
    snprintf(h, sizeof h, DS "/initiatives/%lld/comments/%lld/hide", id, cid);
    assert_int_equal(get_status(&m, h, 0), 403);
    assert_int_equal(get_status(&org, h, 0), 200);
    POST(&org, h, 422, "reason", "");
    POST(&org, h, 303, "reason", "Личные данные");
    POST(&org, h, 409, "reason", "Ещё раз");
    assert_int_equal(get_status(&org, h, 0), 409);
    char wrong[160];
    snprintf(wrong, sizeof wrong, DS "/initiatives/%lld/comments/999999/hide", id);
    POST(&org, wrong, 404, "reason", "нет");
    assert_int_equal(get_status(&org, wrong, 0), 404);
    assert_int_equal(
        db_value(&S, "SELECT count(*) FROM initiative_comments WHERE body LIKE ?", "%111-22-33%"),
        0);
    v = view_json(&anon, ipath(p, sizeof p, DS, id, ""));
    assert_true(json_is_true(jget(v, "comment_list.0.hidden")));
    assert_string_equal(jstr(v, "comment_list.0.hidden_reason"), "Личные данные");
    assert_null(jstr(v, "comment_list.0.body"));
    json_decref(v);
    client_free(&org);
    client_free(&m);
    client_free(&anon);
}

/* ---- the list ---- */

/* Follows a search's pages from path: every page says count hits, the
 * rows across them are count, none twice, each page in its order (by
 * support when path asks for it, else newest first: ids falling). */
static void search_pages(struct client *c, const char *path, long long count)
{
    long long seen[64];
    int n = 0;
    int by_support = strstr(path, "sort=support") != NULL;
    char next[256];
    snprintf(next, sizeof next, "%s", path);
    for (int page = 0; page < 10 && next[0]; page++) {
        json_t *v = view_json(c, next);
        assert_int_equal(json_integer_value(jget(v, "count")), count);
        size_t i;
        json_t *row;
        long long prev_id = 0, prev_supports = 0;
        json_array_foreach(jget(v, "initiatives"), i, row)
        {
            long long id = json_integer_value(json_object_get(row, "id"));
            long long supports = json_integer_value(json_object_get(row, "supports"));
            if (i > 0 && by_support)
                assert_true(supports < prev_supports ||
                            (supports == prev_supports && id < prev_id));
            if (i > 0 && !by_support) assert_true(id < prev_id);
            for (int k = 0; k < n; k++)
                assert_true(seen[k] != id);
            assert_true(n < (int)(sizeof seen / sizeof seen[0]));
            seen[n++] = id;
            prev_id = id;
            prev_supports = supports;
        }
        const char *nx = jstr(v, "next_page");
        snprintf(next, sizeof next, "%s", nx ? nx : "");
        json_decref(v);
    }
    assert_int_equal(n, count);
}

static void the_list_filters_searches_sorts_and_pages(void **state)
{
    (void)state;
    struct client m, r1;
    login_as(&m, &S, "member");
    login_as(&r1, &S, "dvor-sadovaya-12-1");
    long long a = propose(&m, DS, "Шахматы по средам для взрослых", "clubs");
    long long b = propose(&r1, DS, "Уроки шахмат для детей", "clubs");
    char p[128];
    POST(&m, ipath(p, sizeof p, DS, b, "/support"), 303, "x", "1");
    /* search by a word's other form */
    json_t *v = view_json(&m, DS "/initiatives?q=%D1%88%D0%B0%D1%85%D0%BC%D0%B0%D1%82%D1%8B");
    assert_int_equal(json_integer_value(jget(v, "count")), 2);
    json_decref(v);
    /* every word counts */
    v = view_json(
        &m, DS
        "/initiatives?q=%D1%88%D0%B0%D1%85%D0%BC%D0%B0%D1%82%D1%8B+%D0%B4%D0%B5%D1%82%D0%B5%D0%B9");
    assert_int_equal(json_integer_value(jget(v, "count")), 1);
    assert_int_equal(json_integer_value(jget(v, "initiatives.0.id")), b);
    json_decref(v);
    /* direction and mine */
    v = view_json(&m, DS "/initiatives?direction=clubs&mine=1");
    assert_int_equal(json_integer_value(jget(v, "count")), 1);
    assert_int_equal(json_integer_value(jget(v, "initiatives.0.id")), a);
    json_decref(v);
    /* sorted by support: the demo's queued idea (6) before the newer ones */
    v = view_json(&m, DS "/initiatives?sort=support");
    long long top = json_integer_value(jget(v, "initiatives.0.supports"));
    long long second = json_integer_value(jget(v, "initiatives.1.supports"));
    assert_true(top >= second);
    json_decref(v);
    v = view_json(&m, DS "/initiatives?state=declined");
    size_t i;
    json_t *row;
    json_array_foreach(jget(v, "initiatives"), i, row)
    {
        assert_string_equal(json_string_value(json_object_get(row, "state")), "declined");
    }
    json_decref(v);
    /* the demo's place */
    char path[160];
    snprintf(
        path, sizeof path, DS "/initiatives?place=%lld",
        db_value(&S, "SELECT territory_id FROM communities WHERE slug = ?", "dvor-sadovaya-12"));
    v = view_json(&m, path);
    assert_true(json_integer_value(jget(v, "count")) >= 1);
    json_decref(v);
    /* paged: 20 a page, the filters kept in the links */
    for (int k = 0; k < 21; k++) {
        char t[64];
        snprintf(t, sizeof t, "Идея для страниц номер %d", k);
        propose(&r1, DS, t, "other");
    }
    v = view_json(&m, DS "/initiatives?direction=other&sort=new");
    assert_int_equal(json_array_size(jget(v, "initiatives")), 20);
    const char *next = jstr(v, "next_page");
    assert_non_null(next);
    assert_non_null(strstr(next, "direction=other"));
    char nx[200];
    snprintf(nx, sizeof nx, "%s", next);
    json_decref(v);
    v = view_json(&m, nx);
    assert_true(json_array_size(jget(v, "initiatives")) >= 1);
    assert_non_null(jstr(v, "prev_page"));
    json_decref(v);
    /* a search with more hits than a page: its count (counted as its ids
     * are read, model.c) is the number of hits across its pages, each once,
     * in either order */
    search_pages(&m, DS "/initiatives?q=%D1%81%D1%82%D1%80%D0%B0%D0%BD%D0%B8%D1%86", 21);
    search_pages(&m, DS "/initiatives?q=%D1%81%D1%82%D1%80%D0%B0%D0%BD%D0%B8%D1%86&sort=support",
                 21);
    /* with a filter, and past its last page */
    search_pages(&m, DS "/initiatives?q=%D1%81%D1%82%D1%80%D0%B0%D0%BD%D0%B8%D1%86&state=idea", 21);
    v = view_json(&m, DS "/initiatives?q=%D1%81%D1%82%D1%80%D0%B0%D0%BD%D0%B8%D1%86&page=3");
    assert_int_equal(json_integer_value(jget(v, "count")), 21);
    assert_int_equal(json_array_size(jget(v, "initiatives")), 0);
    json_decref(v);
    v = view_json(&m,
                  DS "/initiatives?q=%D1%81%D1%82%D1%80%D0%B0%D0%BD%D0%B8%D1%86&state=declined");
    assert_int_equal(json_integer_value(jget(v, "count")), 0);
    json_decref(v);
    client_free(&m);
    client_free(&r1);
}

/* ---- the secret community ---- */

static void a_secret_communitys_initiatives_are_sealed(void **state)
{
    (void)state;
    /* sealed in place at the organizer's first sign-in, which the tests
     * above made (the unit test follows the hook itself) */
    struct client org, m;
    login_as(&org, &S, "organizer"); /* seals the group's texts in place */
    login_as(&m, &S, "member");
    long long tv = db_value(&S, "SELECT id FROM communities WHERE slug = 'tiho-vmeste'", NULL);
    assert_true(tv > 0);
    char cid[24];
    snprintf(cid, sizeof cid, "%lld", tv);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM initiatives WHERE community_id ="
                              " CAST(? AS INTEGER) AND (substr(title, 1, 1) <> char(30)"
                              " OR substr(problem, 1, 1) <> char(30)"
                              " OR substr(proposal, 1, 1) <> char(30))",
                              cid),
                     0);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM initiative_words WHERE community_id ="
                              " CAST(? AS INTEGER) AND (length(word) <> 16"
                              " OR word GLOB '*[^0-9a-f]*')",
                              cid),
                     0);
    assert_true(
        db_value(&S,
                 "SELECT count(*) FROM initiative_words WHERE community_id = CAST(? AS INTEGER)",
                 cid) > 0);
    /* the members read, search and write as anywhere */
    json_t *v = view_json(&m, TV "/initiatives");
    assert_string_equal(jstr(v, "initiatives.0.title"), "Листовки о вырубке сквера");
    json_decref(v);
    v = view_json(&m, TV "/initiatives?q=%D0%BB%D0%B8%D1%81%D1%82%D0%BE%D0%B2%D0%BA%D0%B0");
    assert_int_equal(json_integer_value(jget(v, "count")), 1);
    long long id = json_integer_value(jget(v, "initiatives.0.id"));
    json_decref(v);
    char p[128];
    v = view_json(&m, ipath(p, sizeof p, TV, id, ""));
    assert_string_equal(jstr(v, "comment_list.0.body"),
                        "Лучше без адреса сбора: встречаемся как обычно.");
    json_decref(v);
    long long nid = 0;
    POST(&m, TV "/initiatives", 303, "title", "Тайный сбор подписей", "problem",
         "Подписи соберём тихо", "proposal", "По квартирам, без списков", "direction", "help");
    v = view_json(&m, TV "/initiatives?q=%D1%82%D0%B0%D0%B9%D0%BD%D1%8B%D0%B9"); /* тайный */
    assert_int_equal(json_integer_value(jget(v, "count")), 1);
    nid = json_integer_value(jget(v, "initiatives.0.id"));
    json_decref(v);
    POST(&org, ipath(p, sizeof p, TV, nid, "/support"), 303, "x", "1");
    POST(&org, ipath(p, sizeof p, TV, nid, "/comments"), 303, "body", "Осторожно с соседом снизу");
    POST(&org, ipath(p, sizeof p, TV, nid, "/decline"), 303, "reason", "Слишком опасно сейчас");
    v = view_json(&m, ipath(p, sizeof p, TV, nid, ""));
    assert_string_equal(jstr(v, "decision_reason"), "Слишком опасно сейчас");
    json_decref(v);
    /* nothing of it on the disk in clear, the WAL included */
    const char *secret[] = {"Листовки о вырубке",     "почтовые ящики домов",
                            "Лучше без адреса сбора", "Тайный сбор подписей",
                            "Подписи соберём тихо",   "Осторожно с соседом снизу",
                            "Слишком опасно сейчас",  NULL};
    for (int i = 0; secret[i]; i++)
        if (fx_db_files_count(S.db, secret[i], strlen(secret[i])) != 0)
            fail_msg("%s is on disk in clear", secret[i]);
    /* the member's own data, opened */
    v = view_json(&m, "/account/export.json?secret=1");
    char *dump = json_dumps(v, 0);
    json_decref(v);
    assert_non_null(strstr(dump, "Тайный сбор подписей"));
    free(dump);
    client_free(&org);
    client_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_member_proposes_and_anyone_reads_a_public_one),
        cmocka_unit_test(every_bad_input_is_refused_with_the_input_kept),
        cmocka_unit_test(the_author_edits_while_it_is_an_idea),
        cmocka_unit_test(supports_are_once_each_and_the_threshold_queues),
        cmocka_unit_test(two_writers_at_a_support),
        cmocka_unit_test(organizers_accept_merge_and_decline),
        cmocka_unit_test(comments_are_paged_and_a_hidden_one_shows_its_reason),
        cmocka_unit_test(the_list_filters_searches_sorts_and_pages),
        cmocka_unit_test(a_secret_communitys_initiatives_are_sealed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
