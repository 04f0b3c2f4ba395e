/*
 * The strategy area's write rules with two writers at them, against a real
 * server with the demo: a vote's deadline passing between the page and the
 * vote, a value voted on while its proposer edits it, an action deleted
 * under a pledge form, an owner changed under a report form; and clients
 * firing at once: organizers ending one vote, a member voting from several
 * sessions, the staff moving two goals under each other.
 *
 * Each rule is decided by the write on the server's one writer, so the
 * stale request is refused (409, or 404 for what is gone) and the database
 * holds what the rule allows, whatever the page showed.
 */
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

#define DVOR "/c/dvor-sadovaya-12/strategy"
#define ORG "organizer"
#define MEM "dvor-sadovaya-12-9"
#define MEM2 "dvor-sadovaya-12-8"

enum { CLIENTS = 8 };

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

/* The first column of sql with %lld replaced by id, on the server's db. */
static long long count_of(const char *fmt, long long id)
{
    char sql[512];
    snprintf(sql, sizeof sql, fmt, id);
    return db_value(&S, sql, NULL);
}

static void run_sql(const char *fmt, long long id)
{
    char sql[512];
    snprintf(sql, sizeof sql, fmt, id);
    assert_int_equal(db_run(&S, sql, NULL), 0);
}

/* A new shared value proposed by c; its id. */
static long long propose(struct client *c, const char *title)
{
    POST(c, DVOR "/values", 303, "title", title);
    json_t *v = view_json(c, DVOR "/values");
    long long id = find_id(json_object_get(v, "values"), "title", title);
    json_decref(v);
    assert_true(id > 0);
    return id;
}

/* ---- stale pages ---- */

static void vote_after_the_deadline_is_refused(void **state)
{
    (void)state;
    struct client mem;
    login_as(&mem, &S, MEM);
    long long id = propose(&mem, "Гонка со сроком");
    json_t *v = view_json(&mem, DVOR "/values"); /* the page shows the vote open */
    json_decref(v);
    /* the deadline passes while the page is open */
    run_sql("UPDATE shared_values SET closes_at = strftime('%%s', 'now') - 1 WHERE id = %lld", id);
    char path[128];
    snprintf(path, sizeof path, DVOR "/values/%lld/vote", id);
    char *b = post_expect(&mem, path, 409, "vote", "yes", END);
    assert_non_null(strstr(b, "Голосование по этой ценности уже закрыто"));
    free(b);
    assert_int_equal(count_of("SELECT count(*) FROM value_votes WHERE shared_value_id = %lld", id),
                     0);
    client_free(&mem);
}

static void version_vote_after_the_deadline_is_refused(void **state)
{
    (void)state;
    struct client org, mem;
    login_as(&org, &S, ORG);
    login_as(&mem, &S, MEM);
    POST(&org, DVOR "/text/manifesto", 303, "body", "Манифест, срок которого истечёт");
    json_t *v = view_json(&mem, DVOR "/text/manifesto");
    long long id = json_integer_value(
        json_object_get(json_array_get(json_object_get(v, "versions"), 0), "id"));
    json_decref(v);
    run_sql("UPDATE strategy_texts SET closes_at = strftime('%%s', 'now') - 1 WHERE id = %lld", id);
    char path[160];
    snprintf(path, sizeof path, DVOR "/text/manifesto/%lld/vote", id);
    POST(&mem, path, 409, "vote", "yes");
    assert_int_equal(count_of("SELECT count(*) FROM text_votes WHERE text_id = %lld", id), 0);
    client_free(&org);
    client_free(&mem);
}

static void edit_after_the_first_vote_is_refused(void **state)
{
    (void)state;
    struct client mem, other;
    login_as(&mem, &S, MEM);
    login_as(&other, &S, MEM2);
    long long id = propose(&mem, "Правка до голосования");
    char path[128], vote[128];
    snprintf(path, sizeof path, DVOR "/values/%lld/edit", id);
    snprintf(vote, sizeof vote, DVOR "/values/%lld/vote", id);
    char *page = get_html(&mem, path); /* the proposer opens the edit form */
    free(page);
    POST(&other, vote, 303, "vote", "yes"); /* someone votes meanwhile */
    POST(&mem, path, 409, "title", "Другое, чем голосовали");
    assert_int_equal(count_of("SELECT count(*) FROM shared_values WHERE id = %lld"
                              " AND title = 'Правка до голосования'",
                              id),
                     1);
    client_free(&mem);
    client_free(&other);
}

/* The first goal's id of the overview whose title is title. */
static long long goal_id(struct client *c, const char *title)
{
    json_t *v = view_json(c, DVOR);
    long long id = find_id(json_object_get(v, "goals"), "title", title);
    json_decref(v);
    assert_true(id > 0);
    return id;
}

static long long action_id(struct client *c, const char *title)
{
    json_t *v = view_json(c, DVOR "/plan");
    long long id = -1;
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(v, "goals"), i, g)
    {
        long long k = find_id(json_object_get(g, "actions"), "title", title);
        if (k > 0) id = k;
    }
    json_decref(v);
    assert_true(id > 0);
    return id;
}

static void pledge_to_a_deleted_action_is_refused(void **state)
{
    (void)state;
    struct client org, mem;
    login_as(&org, &S, ORG);
    login_as(&mem, &S, MEM);
    POST(&org, DVOR "/goals", 303, "goal_title", "Цель для гонки вкладов");
    char gid[32];
    snprintf(gid, sizeof gid, "%lld", goal_id(&org, "Цель для гонки вкладов"));
    POST(&org, DVOR "/actions", 303, "action_goal", gid, "action_title", "Действие, которое уйдёт");
    long long id = action_id(&mem, "Действие, которое уйдёт"); /* the plan is open */
    run_sql("DELETE FROM actions WHERE id = %lld", id);
    char path[128];
    snprintf(path, sizeof path, DVOR "/actions/%lld/pledge", id);
    POST(&mem, path, 404, "pledge_hours", "2");
    assert_int_equal(count_of("SELECT count(*) FROM pledges WHERE action_id = %lld", id), 0);
    client_free(&org);
    client_free(&mem);
}

static void report_after_the_owner_changed_is_refused(void **state)
{
    (void)state;
    struct client org, owner;
    login_as(&org, &S, ORG);
    login_as(&owner, &S, MEM);
    char owner_id[24];
    snprintf(owner_id, sizeof owner_id, "%lld", member_id_of(&S, "dvor-sadovaya-12", MEM));
    POST(&org, DVOR "/goals", 303, "goal_title", "Цель для гонки отчётов");
    char gid[32];
    snprintf(gid, sizeof gid, "%lld", goal_id(&org, "Цель для гонки отчётов"));
    POST(&org, DVOR "/actions", 303, "action_goal", gid, "action_title", "Чужое отчётное действие",
         "owner", owner_id);
    long long id = action_id(&owner, "Чужое отчётное действие");
    /* the action is given to someone else while its owner's form is open */
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE actions SET owner_member = %lld WHERE id = %%lld",
             member_id_of(&S, "dvor-sadovaya-12", MEM2));
    run_sql(sql, id);
    char path[128];
    snprintf(path, sizeof path, DVOR "/actions/%lld/status", id);
    long st = post_status(&owner, path, 0, (const char *const[]){"status", "done", NULL});
    assert_true(st == 403 || st == 409);
    assert_int_equal(
        count_of("SELECT count(*) FROM actions WHERE id = %lld AND status = 'planned'", id), 1);
    client_free(&org);
    client_free(&owner);
}

/* ---- at once ---- */

struct shot {
    struct client c;
    const char *path;
    const char *const *pairs;
    long status;
};

static void *fire(void *arg)
{
    struct shot *s = arg;
    s->status = post_status(&s->c, s->path, 0, s->pairs);
    return NULL;
}

/* Fires shots[0..n) at once; each shot's client is signed in already. */
static void fire_all(struct shot *shots, int n)
{
    pthread_t th[CLIENTS * 2];
    for (int i = 0; i < n; i++)
        assert_int_equal(pthread_create(&th[i], NULL, fire, &shots[i]), 0);
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
}

static void one_organizer_ends_a_vote(void **state)
{
    (void)state;
    struct client mem;
    login_as(&mem, &S, MEM);
    long long id = propose(&mem, "Закрыть один раз");
    client_free(&mem);
    char path[128];
    snprintf(path, sizeof path, DVOR "/values/%lld/close", id);
    static const char *const PAIRS[] = {"reason", "Решили на сходе", NULL};
    struct shot shots[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        login_as(&shots[i].c, &S, ORG);
        assert_int_equal(client_fetch_csrf(&shots[i].c, DVOR "/values"), 0);
        shots[i].path = path;
        shots[i].pairs = PAIRS;
    }
    fire_all(shots, CLIENTS);
    int ok = 0, conflict = 0;
    for (int i = 0; i < CLIENTS; i++) {
        ok += shots[i].status == 303;
        conflict += shots[i].status == 409;
        client_free(&shots[i].c);
    }
    assert_int_equal(ok, 1);
    assert_int_equal(conflict, CLIENTS - 1);
    assert_int_equal(count_of("SELECT count(*) FROM shared_values WHERE id = %lld"
                              " AND ended_early = 'organizer'",
                              id),
                     1);
}

static void a_member_has_one_vote(void **state)
{
    (void)state;
    struct client mem;
    login_as(&mem, &S, MEM);
    long long id = propose(&mem, "Один голос на человека");
    client_free(&mem);
    char path[128];
    snprintf(path, sizeof path, DVOR "/values/%lld/vote", id);
    static const char *const YES[] = {"vote", "yes", NULL};
    static const char *const NO[] = {"vote", "no", NULL};
    struct shot shots[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        login_as(&shots[i].c, &S, MEM2);
        assert_int_equal(client_fetch_csrf(&shots[i].c, DVOR "/values"), 0);
        shots[i].path = path;
        shots[i].pairs = i % 2 ? YES : NO;
    }
    fire_all(shots, CLIENTS);
    for (int i = 0; i < CLIENTS; i++) {
        /* each is taken (a later vote changes the member's) or refused */
        assert_true(shots[i].status == 303 || shots[i].status == 409);
        client_free(&shots[i].c);
    }
    assert_int_equal(count_of("SELECT count(*) FROM value_votes WHERE shared_value_id = %lld", id),
                     1);
}

static void two_goals_never_under_each_other(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, ORG);
    POST(&org, DVOR "/goals", 303, "goal_title", "Гонка целей А");
    POST(&org, DVOR "/goals", 303, "goal_title", "Гонка целей Б");
    long long a = goal_id(&org, "Гонка целей А"), b = goal_id(&org, "Гонка целей Б");
    client_free(&org);
    char pa[128], pb[128], sa[32], sb[32];
    snprintf(pa, sizeof pa, DVOR "/goals/%lld/parent", a);
    snprintf(pb, sizeof pb, DVOR "/goals/%lld/parent", b);
    snprintf(sa, sizeof sa, "%lld", a);
    snprintf(sb, sizeof sb, "%lld", b);
    const char *const UNDER_B[] = {"parent", sb, NULL};
    const char *const UNDER_A[] = {"parent", sa, NULL};
    struct shot shots[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        login_as(&shots[i].c, &S, ORG);
        assert_int_equal(client_fetch_csrf(&shots[i].c, DVOR), 0);
        shots[i].path = i % 2 ? pa : pb;
        shots[i].pairs = i % 2 ? UNDER_B : UNDER_A;
    }
    fire_all(shots, CLIENTS);
    int ok = 0;
    for (int i = 0; i < CLIENTS; i++) {
        ok += shots[i].status == 303;
        client_free(&shots[i].c);
    }
    assert_true(ok >= 1);
    /* one of them moved; never both, which would cut them off the tree */
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT (SELECT parent_id FROM goals WHERE id = %lld) IS %lld"
             " AND (SELECT parent_id FROM goals WHERE id = %lld) IS %%lld",
             a, b, b);
    assert_int_equal(count_of(sql, a), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vote_after_the_deadline_is_refused),
        cmocka_unit_test(version_vote_after_the_deadline_is_refused),
        cmocka_unit_test(edit_after_the_first_vote_is_refused),
        cmocka_unit_test(pledge_to_a_deleted_action_is_refused),
        cmocka_unit_test(report_after_the_owner_changed_is_refused),
        cmocka_unit_test(one_organizer_ends_a_vote),
        cmocka_unit_test(a_member_has_one_vote),
        cmocka_unit_test(two_goals_never_under_each_other),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
