/* Deleting a community (issue 22, item 4): the organizer is asked on a
 * page that says what goes and types the address again; then every row of
 * it goes, in every area, including what no foreign key reaches: the
 * ballot boxes of its waves and surveys and the full-text rows of its
 * talent bank (migration 033's triggers and the talent area's purge). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/check.h"
#include "lib/testsrv.h"

#include <stdio.h>
#include <string.h>

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

/* A member withdraws their own pledge to an action, after a page that says
 * what goes; other members' pledges stay; with none of theirs: 404. */
static void member_withdraws_own_pledge(void **state)
{
    (void)state;
    struct client m, o;
    assert_int_equal(client_as(&m, &S, "member"), 0);
    assert_int_equal(client_as(&o, &S, "organizer"), 0);
    long long others =
        db_value(&S,
                 "SELECT count(*) FROM pledges p JOIN member_accounts l ON l.member_id ="
                 " p.member_id JOIN accounts a ON a.id = l.account_id"
                 " WHERE p.action_id = 4 AND a.handle <> ?",
                 "member");
    assert_true(others > 0);
    struct resp r;
    assert_int_equal(
        client_get(&m, "/c/dvor-sadovaya-12/strategy/actions/4/pledge/withdraw", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(resp_has(&r, "class=\"danger\""));
    resp_free(&r);
    assert_int_equal(get_status(&o, "/c/dvor-sadovaya-12/strategy/actions/4/pledge/withdraw", 0),
                     404); /* the organizer has no pledge there */
    assert_int_equal(
        post_status(&m, "/c/dvor-sadovaya-12/strategy/actions/4/pledge/withdraw", 0, NULL), 303);
    assert_int_equal(
        db_value(&S,
                 "SELECT count(*) FROM pledges p JOIN member_accounts l ON l.member_id ="
                 " p.member_id JOIN accounts a ON a.id = l.account_id"
                 " WHERE p.action_id = 4 AND a.handle = ?",
                 "member"),
        0);
    assert_int_equal(
        db_value(&S,
                 "SELECT count(*) FROM pledges p JOIN member_accounts l ON l.member_id ="
                 " p.member_id JOIN accounts a ON a.id = l.account_id"
                 " WHERE p.action_id = 4 AND a.handle <> ?",
                 "member"),
        others);
    assert_int_equal(
        post_status(&m, "/c/dvor-sadovaya-12/strategy/actions/4/pledge/withdraw", 0, NULL), 404);
    client_free(&m);
    client_free(&o);
}

static void organizer_deletes_the_yard(void **state)
{
    (void)state;
    long long boxes = db_value(&S, "SELECT count(*) FROM ballot_boxes", NULL);
    long long fts = db_value(&S, "SELECT count(*) FROM talent_fts", NULL);
    long long yard_boxes =
        db_value(&S,
                 "SELECT (SELECT count(*) FROM soc_waves w JOIN communities c ON c.id ="
                 " w.community_id WHERE c.slug = ?1) + (SELECT count(*) FROM surveys s JOIN"
                 " communities c ON c.id = s.community_id WHERE c.slug = ?1 AND s.box_id IS NOT"
                 " NULL)",
                 "dvor-sadovaya-12");
    long long yard_fts = db_value(&S,
                                  "SELECT count(*) FROM talent_entries e JOIN communities c ON"
                                  " c.id = e.community_id WHERE c.slug = ?",
                                  "dvor-sadovaya-12");
    assert_true(yard_boxes >= 3 && yard_fts > 0);
    struct client m, o;
    assert_int_equal(client_as(&m, &S, "member"), 0);
    assert_int_equal(client_as(&o, &S, "organizer"), 0);
    /* a member may not; the organizer is asked first */
    assert_int_equal(get_status(&m, "/c/dvor-sadovaya-12/delete", 0), 403);
    const char *right[] = {"confirm", "dvor-sadovaya-12", NULL};
    assert_int_equal(post_status(&m, "/c/dvor-sadovaya-12/delete", 0, right), 403);
    struct resp r;
    assert_int_equal(client_get(&o, "/c/dvor-sadovaya-12/delete", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(resp_has(&r, "участник"));
    assert_true(resp_has(&r, "name=\"confirm\""));
    resp_free(&r);
    const char *wrong[] = {"confirm", "dvor-sadovaya", NULL};
    assert_int_equal(post_pairs(&o, "/c/dvor-sadovaya-12/delete", 0, wrong, &r), 0);
    assert_int_equal(r.status, 422);
    assert_true(resp_has(&r, "field-error"));
    assert_true(resp_has(&r, "value=\"dvor-sadovaya\""));
    resp_free(&r);
    assert_int_equal(
        db_value(&S, "SELECT count(*) FROM communities WHERE slug = ?", "dvor-sadovaya-12"), 1);
    assert_int_equal(post_status(&o, "/c/dvor-sadovaya-12/delete", 0, right), 303);
    /* gone, in every area */
    assert_int_equal(get_status(&o, "/c/dvor-sadovaya-12", 0), 404);
    assert_int_equal(
        db_value(&S, "SELECT count(*) FROM communities WHERE slug = ?", "dvor-sadovaya-12"), 0);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM ballot_boxes", NULL), boxes - yard_boxes);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM talent_fts", NULL), fts - yard_fts);
    /* nor the ids of its entries, which leaving would note for a sweep */
    assert_int_equal(db_value(&S, "SELECT count(*) FROM talent_fts_gone", NULL), 0);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM ballot_roll r WHERE NOT EXISTS (SELECT 1"
                              " FROM ballot_boxes b WHERE b.id = r.box_id)",
                              NULL),
                     0);
    /* the rest of the instance is whole */
    assert_int_equal(get_status(&o, "/c/zelenyj-kvartal", 0), 200);
    assert_int_equal(get_status(&o, "/c/zelenyj-kvartal/soc", 0), 200);
    client_free(&m);
    client_free(&o);
}

/* A talent entry is deleted after a page that says what goes, by its
 * owner only. */
static void talent_entry_delete_asks_first(void **state)
{
    (void)state;
    long long id = db_value(&S,
                            "SELECT e.id FROM talent_entries e JOIN member_accounts l ON"
                            " l.member_id = e.member_id JOIN accounts a ON a.id = l.account_id"
                            " JOIN communities c ON c.id = e.community_id WHERE"
                            " a.handle = 'member' AND c.slug = ? ORDER BY e.id LIMIT 1",
                            "nastolki-na-raene");
    assert_true(id > 0);
    char path[120];
    snprintf(path, sizeof path, "/c/nastolki-na-raene/talents/%lld/delete", id);
    struct client m, o;
    assert_int_equal(client_as(&m, &S, "member"), 0);
    assert_int_equal(client_as(&o, &S, "organizer"), 0);
    assert_int_equal(get_status(&o, path, 0), 403); /* not the owner */
    struct resp r;
    assert_int_equal(client_get(&m, path, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(resp_has(&r, "class=\"danger\""));
    assert_true(resp_has(&r, "action=\"/c/nastolki-na-raene/talents/"));
    resp_free(&r);
    assert_int_equal(post_status(&m, path, 0, NULL), 303);
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", id);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM talent_entries WHERE id = ?", sid), 0);
    client_free(&m);
    client_free(&o);
}

/* Leaving, removing a member and revoking an invitation ask first: the GET
 * is a page with the form, and changes nothing. */
static void leaving_and_removing_ask_first(void **state)
{
    (void)state;
    struct client m, o;
    assert_int_equal(client_as(&m, &S, "member"), 0);
    assert_int_equal(client_as(&o, &S, "organizer"), 0);
    struct resp r;
    assert_int_equal(client_get(&o, "/c/zelenyj-kvartal/leave", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(resp_has(&r, "action=\"/c/zelenyj-kvartal/leave\""));
    resp_free(&r);
    char url[128], action[160];
    member_url(&S, "zelenyj-kvartal", "zelenyj-kvartal", "member", "remove", url, sizeof url);
    assert_int_equal(client_get(&o, url, 0, &r), 0);
    assert_int_equal(r.status, 200);
    snprintf(action, sizeof action, "action=\"%s\"", url);
    assert_true(resp_has(&r, action));
    resp_free(&r);
    member_url(&S, "zelenyj-kvartal", "zelenyj-kvartal", "organizer", "remove", url, sizeof url);
    assert_int_equal(get_status(&m, url, 0), 403);
    assert_int_equal(client_get(&m, "/c/nastolki-na-raene/talents/clubs/1/leave", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(resp_has(&r, "action=\"/c/nastolki-na-raene/talents/clubs/1/leave\""));
    resp_free(&r);
    /* nothing changed by looking */
    assert_int_equal(get_status(&o, "/c/zelenyj-kvartal/members", 0), 200);
    assert_int_equal(get_status(&m, "/c/zelenyj-kvartal/members", 0), 200);
    client_free(&m);
    client_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(member_withdraws_own_pledge),
        cmocka_unit_test(organizer_deletes_the_yard),
        cmocka_unit_test(talent_entry_delete_asks_first),
        cmocka_unit_test(leaving_and_removing_ask_first),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
