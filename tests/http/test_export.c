/* "Download my data" (issue 13): a signed-in person gets one JSON file of
 * what they wrote, from every area, as an attachment that no cache keeps;
 * secret communities only when they ask; nothing of anyone else, and no
 * hash, key or secret of their own. */
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

/* 1 if the array at path holds an object whose key is value. */
static int has_row(json_t *doc, const char *path, const char *key, const char *value)
{
    return jarray_has(doc, path, key, value);
}

static void anonymous_gets_no_file(void **state)
{
    (void)state;
    struct client a;
    client_init(&a, &S);
    assert_int_equal(get_status(&a, "/account/export.json", 1), 401);
    assert_int_equal(get_status(&a, "/account/export.json", 0), 303);
    assert_int_equal(get_status(&a, "/account/export", 0), 303);
    client_free(&a);
}

/* The page says what the file holds, and a plain form (no script) asks
 * whether secret communities go in; settings link to it. */
static void page_explains_and_links(void **state)
{
    (void)state;
    struct client m;
    assert_int_equal(client_as(&m, &S, "member"), 0);
    struct resp r;
    assert_int_equal(client_get(&m, "/account/export", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(resp_has(&r, "action=\"/account/export.json\""));
    assert_true(resp_has(&r, "name=\"secret\" value=\"1\""));
    resp_free(&r);
    assert_int_equal(client_get(&m, "/account", 0, &r), 0);
    assert_true(resp_has(&r, "href=\"/account/export\""));
    resp_free(&r);
    client_free(&m);
}

/* The member, organizer of the board-games club, makes a named survey
 * there and answers it: a named answer is hers (by her member id in the
 * club) and goes into her file. */
static void answer_a_named_survey(struct client *m, const char *text)
{
    struct resp r;
    char loc[200], path[160], a[11], b[11];
    assert_int_equal(
        client_post(m, "/c/nastolki-na-raene/surveys", 0, &r, "template", "blank", NULL), 0);
    assert_int_equal(r.status, 303);
    assert_int_equal(resp_header(&r, "Location", loc, sizeof loc), 0);
    resp_free(&r);
    long id = 0;
    assert_int_equal(sscanf(loc, "/c/nastolki-na-raene/surveys/%ld/edit", &id), 1);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/questions", id);
    assert_int_equal(post_status(m, path, 0,
                                 (const char *[]){"kind", "short", "text", "Чего не хватает?",
                                                  "required", "1", NULL}),
                     303);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/edit", id);
    assert_int_equal(
        post_status(m, path, 0,
                    (const char *[]){"title", "Клубу не хватает", "audience", "members",
                                     "anonymous", "", "opens_on", test_day(0, a), "closes_on",
                                     test_day(7, b), NULL}),
        303);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/publish", id);
    assert_int_equal(post_status(m, path, 0, NULL), 303);
    snprintf(path, sizeof path, "/c/nastolki-na-raene/surveys/%ld/answer", id);
    assert_int_equal(post_status(m, path, 0, (const char *[]){"q1", text, NULL}), 303);
}

static void file_holds_what_the_member_wrote(void **state)
{
    (void)state;
    struct client m;
    assert_int_equal(client_as(&m, &S, "member"), 0);
    answer_a_named_survey(&m, "Больше столов для игр");
    struct resp r;
    assert_int_equal(client_get(&m, "/account/export.json", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.headers, "attachment; filename=\"hramada-member.json\""));
    assert_non_null(strstr(r.headers, "no-store"));
    assert_non_null(r.json);
    assert_string_equal(jstr(r.json, "format"), "hramada-personal-data/1");
    assert_string_equal(jstr(r.json, "account.handle"), "member");
    assert_string_equal(jstr(r.json, "account.display_name"), "Марина");
    assert_true(json_array_size(jget(r.json, "account.sessions")) >= 1);
    assert_true(has_row(r.json, "community.memberships", "slug", "dvor-sadovaya-12"));
    /* one row per thing the database holds of theirs, area by area */
    long long pv = db_value(&S,
                            "SELECT count(*) FROM personal_values v JOIN member_accounts l ON"
                            " l.member_id = v.member_id JOIN accounts a ON a.id = l.account_id"
                            " JOIN communities k ON k.id = v.community_id"
                            " WHERE a.handle = ? AND k.visibility < 2",
                            "member");
    assert_true(pv > 0);
    assert_int_equal(json_array_size(jget(r.json, "strategy.personal_values")), pv);
    long long pl = db_value(&S,
                            "SELECT count(*) FROM pledges p JOIN member_accounts l ON l.member_id ="
                            " p.member_id JOIN accounts a ON a.id = l.account_id JOIN actions x ON "
                            "x.id = p.action_id JOIN"
                            " communities k ON k.id = x.community_id WHERE a.handle = ?"
                            " AND k.visibility < 2",
                            "member");
    assert_int_equal(json_array_size(jget(r.json, "strategy.pledges")), pl);
    long long te = db_value(&S,
                            "SELECT count(*) FROM talent_entries e JOIN member_accounts l ON"
                            " l.member_id = e.member_id JOIN accounts a ON a.id = l.account_id"
                            " JOIN communities k ON k.id = e.community_id"
                            " WHERE a.handle = ? AND k.visibility < 2",
                            "member");
    assert_true(te > 0);
    assert_int_equal(json_array_size(jget(r.json, "talent.entries")), te);
    long long na = db_value(&S,
                            "SELECT count(*) FROM survey_answers x JOIN survey_responses p"
                            " ON p.id = x.response_id JOIN member_accounts l ON l.member_id ="
                            " p.member_id JOIN accounts a ON a.id = l.account_id JOIN"
                            " communities k ON k.id = l.community_id WHERE a.handle = ?"
                            " AND k.visibility < 2",
                            "member");
    assert_true(na > 0);
    assert_int_equal(json_array_size(jget(r.json, "survey.named_answers")), na);
    assert_true(has_row(r.json, "survey.named_answers", "answer", "Больше столов для игр"));
    /* requests sent and received, clubs started or joined: by member id */
    long long tq = db_value(&S,
                            "SELECT count(*) FROM talent_requests q JOIN member_accounts l ON"
                            " l.member_id IN (q.from_member, q.to_member) JOIN accounts a ON"
                            " a.id = l.account_id JOIN communities k ON k.id = q.community_id"
                            " WHERE a.handle = ? AND k.visibility < 2",
                            "member");
    assert_true(tq > 0);
    assert_int_equal(json_array_size(jget(r.json, "talent.requests")), tq);
    long long tc = db_value(&S,
                            "SELECT count(*) FROM talent_club_members x JOIN member_accounts l ON"
                            " l.member_id = x.member_id JOIN accounts a ON a.id = l.account_id"
                            " JOIN communities k ON k.id = l.community_id"
                            " WHERE a.handle = ? AND k.visibility < 2",
                            "member");
    assert_true(tc > 0);
    assert_int_equal(json_array_size(jget(r.json, "talent.clubs")), tc);
    /* nothing secret unless asked, nobody else, nothing that opens anything */
    assert_false(resp_has(&r, "tiho-vmeste"));
    assert_false(resp_has(&r, "Тихо вместе"));
    assert_false(resp_has(&r, "Андрей")); /* the organizer, whose entries she asked */
    assert_false(resp_has(&r, "newcomer"));
    assert_false(resp_has(&r, "$argon2"));
    assert_false(resp_has(&r, "password"));
    assert_false(resp_has(&r, "token"));
    resp_free(&r);
    client_free(&m);
}

static void secret_communities_only_when_asked(void **state)
{
    (void)state;
    struct client m;
    assert_int_equal(client_as(&m, &S, "member"), 0);
    struct resp r;
    assert_int_equal(client_get(&m, "/account/export.json?secret=1", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(r.json);
    assert_true(json_is_true(jget(r.json, "secret_communities")));
    assert_true(has_row(r.json, "community.memberships", "slug", "tiho-vmeste"));
    assert_true(has_row(r.json, "community.memberships", "visibility", "secret"));
    resp_free(&r);
    /* another value of the parameter is not a yes */
    assert_int_equal(client_get(&m, "/account/export.json?secret=yes", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_false(resp_has(&r, "tiho-vmeste"));
    resp_free(&r);
    client_free(&m);
}

/* Two people, two files: the organizer's has their own entries and not
 * the member's. */
static void each_file_is_its_owners(void **state)
{
    (void)state;
    struct client o;
    assert_int_equal(client_as(&o, &S, "organizer"), 0);
    struct resp r;
    assert_int_equal(client_get(&o, "/account/export.json", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "account.handle"), "organizer");
    assert_non_null(strstr(r.headers, "hramada-organizer.json"));
    assert_false(resp_has(&r, "Марина"));
    resp_free(&r);
    client_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(anonymous_gets_no_file),
        cmocka_unit_test(page_explains_and_links),
        cmocka_unit_test(file_holds_what_the_member_wrote),
        cmocka_unit_test(secret_communities_only_when_asked),
        cmocka_unit_test(each_file_is_its_owners),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
