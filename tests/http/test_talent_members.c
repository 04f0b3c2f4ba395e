/* The talent bank names members, never accounts (issue 11, sealing step
 * 2; migration 050), over HTTP against a real server with the demo.
 *
 * A member who leaves the community takes their entries, the requests they
 * sent or received and their places in clubs with them (the member row is
 * deleted, and those rows cascade), and the full-text rows of their entries
 * are deleted in the same transaction; a club they started stays, founded by "a former member". No
 * talent table holds an account id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv S;

#define DS "/c/dvor-sadovaya-12"

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

/* sql with one integer parameter (written "CAST(? AS INTEGER)"). */
static long long q_int(const char *sql, long long id)
{
    char p[32];
    snprintf(p, sizeof p, "%lld", id);
    return db_value(&S, sql, p);
}

static long long entry_by_title(const char *title)
{
    return db_value(&S, "SELECT id FROM talent_entries WHERE title = ?", title);
}

static void ok303(struct client *c, const char *path, ...)
{
    /* the pairs, NULL-terminated, as client_post takes them */
    const char *pairs[16];
    int n = 0;
    va_list ap;
    va_start(ap, path);
    for (const char *s; n < 15 && (s = va_arg(ap, const char *)) != NULL;)
        pairs[n++] = s;
    va_end(ap);
    pairs[n] = NULL;
    long status = post_form(c, path, pairs);
    if (status != 303) fail_msg("POST %s: %ld", path, status);
}

static void a_member_who_leaves_takes_their_rows_and_leaves_their_club(void **state)
{
    (void)state;
    struct client leaver, m, org;
    login_as(&leaver, &S, "dvor-sadovaya-12-8");
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    /* the organizer's hobby, which the leaver's matches: the club's invitation */
    ok303(&org, DS "/talents", "kind", "hobby", "category", "games", "title",
          "Играю в шахматы по вечерам", "tags", "шахматы", "visibility", "members", NULL);
    long long org_hobby = entry_by_title("Играю в шахматы по вечерам");
    ok303(&leaver, DS "/talents", "kind", "hobby", "category", "games", "title",
          "Ищу партнёров по шахматам", "tags", "шахматы", "visibility", "members", NULL);
    long long hobby = entry_by_title("Ищу партнёров по шахматам");
    ok303(&leaver, DS "/talents", "kind", "offer", "category", "repairs", "title",
          "Починю табуретку или стул", "visibility", "members", NULL);
    long long offer = entry_by_title("Починю табуретку или стул");
    assert_true(org_hobby > 0 && hobby > 0 && offer > 0);
    char path[160];
    snprintf(path, sizeof path, DS "/talents/%lld/club", hobby);
    ok303(&leaver, path, "club_name", "Шахматы во дворе", "club_when", "по пятницам", NULL);
    long long club = db_value(&S, "SELECT id FROM talent_clubs WHERE name = ?", "Шахматы во дворе");
    assert_true(club > 0);
    /* a request received (the member asks the leaver) and one sent */
    snprintf(path, sizeof path, DS "/talents/%lld/ask", offer);
    ok303(&m, path, "message", "Шатается стул на кухне", "contact", "кв. 14", NULL);
    snprintf(path, sizeof path, DS "/talents/%lld/ask", org_hobby);
    ok303(&leaver, path, "message", "Сыграем в субботу?", "contact", "кв. 3", NULL);
    static const char requests[] =
        "SELECT count(*) FROM talent_requests WHERE entry_id IN (CAST(?1 AS INTEGER),"
        " (SELECT id FROM talent_entries WHERE title = 'Играю в шахматы по вечерам'))";
    assert_int_equal(q_int(requests, offer), 2);
    static const char places[] = "SELECT count(*) FROM talent_club_members"
                                 " WHERE club_id = CAST(? AS INTEGER)";
    /* the founder and the owners of its matches, invited (the organizer) */
    long long people = q_int(places, club);
    assert_true(people >= 2);

    ok303(&leaver, DS "/leave", NULL);
    /* and the full-text rows of those entries went in the leaving itself
     * (the area's member_left hook), not at some later write */
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM talent_fts WHERE rowid NOT IN"
                              " (SELECT id FROM talent_entries)",
                              NULL),
                     0);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM talent_fts_gone", NULL), 0);

    /* their entries and both requests are gone, with their club place */
    static const char entry[] = "SELECT count(*) FROM talent_entries WHERE id = CAST(? AS INTEGER)";
    assert_int_equal(q_int(entry, hobby), 0);
    assert_int_equal(q_int(entry, offer), 0);
    assert_int_equal(q_int(entry, org_hobby), 1);
    assert_int_equal(q_int(requests, offer), 0);
    assert_int_equal(q_int(places, club), people - 1);
    /* neither party sees it any more: the member's list has not the
     * leaver's offer */
    json_t *v = get_json(&m, DS "/talents/requests", 200);
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(v, "requests"), i, q)
    {
        assert_string_not_equal(json_string_value(json_object_get(q, "entry_title")),
                                "Починю табуретку или стул");
    }
    json_decref(v);

    /* the club stays, founded by "a former member" */
    assert_int_equal(q_int("SELECT count(*) FROM talent_clubs WHERE id = CAST(? AS INTEGER)"
                           " AND member_id IS NULL",
                           club),
                     1);
    snprintf(path, sizeof path, DS "/talents/clubs/%lld", club);
    v = get_json(&org, path, 200);
    json_t *k = json_object_get(v, "club");
    assert_true(json_is_true(json_object_get(k, "creator_former")));
    assert_string_equal(json_string_value(json_object_get(k, "creator_name")), "");
    assert_false(json_is_true(json_object_get(k, "mine")));
    assert_int_equal(json_array_size(json_object_get(v, "members")), people - 1);
    json_decref(v);
    char *html = get_html(&org, path);
    assert_non_null(strstr(html, "Шахматы во дворе"));
    assert_non_null(strstr(html, "Предложил(а) бывший участник"));
    free(html);
    /* an organizer may still close it; nobody else founded it */
    snprintf(path, sizeof path, DS "/talents/clubs/%lld/close", club);
    const char *const none[] = {NULL};
    assert_int_equal(post_form(&m, path, none), 403);
    ok303(&org, path, NULL);

    /* the next write finds nothing left to sweep */
    ok303(&m, DS "/talents", "kind", "need", "category", "repairs", "title",
          "Ищу, кто починит табуретку", "visibility", "members", NULL);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM talent_fts_gone", NULL), 0);
    client_free(&leaver);
    client_free(&m);
    client_free(&org);
}

static void no_talent_table_holds_an_account(void **state)
{
    (void)state;
    /* every table of the area, the full-text index's own tables aside */
    static const char tables[] = "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                                 " AND name LIKE 'talent%' AND name NOT LIKE 'talent_fts_%'";
    assert_true(db_value(&S, tables, NULL) >= 9);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM sqlite_schema s"
                              " JOIN pragma_table_info(s.name) p"
                              " WHERE s.type = 'table' AND s.name LIKE 'talent%'"
                              " AND (p.name LIKE '%account%' OR p.name IN ('created_by',"
                              " 'from_id', 'to_id'))",
                              NULL),
                     0);
    /* nor a foreign key to accounts; every person is a member, and the
     * decision per column: one's own goes with them, a club stays */
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM sqlite_schema s"
                              " JOIN pragma_foreign_key_list(s.name) f"
                              " WHERE s.type = 'table' AND s.name LIKE 'talent%'"
                              " AND f.\"table\" = 'accounts'",
                              NULL),
                     0);
    static const struct {
        const char *table, *column, *on_delete;
    } WHO[] = {
        {"talent_entries", "member_id", "CASCADE"},
        {"talent_requests", "from_member", "CASCADE"},
        {"talent_requests", "to_member", "CASCADE"},
        {"talent_clubs", "member_id", "SET NULL"},
        {"talent_club_members", "member_id", "CASCADE"},
    };
    for (size_t i = 0; i < sizeof WHO / sizeof WHO[0]; i++) {
        char sql[300];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM pragma_foreign_key_list('%s') WHERE \"table\" = 'members'"
                 " AND \"from\" = '%s' AND on_delete = ?",
                 WHO[i].table, WHO[i].column);
        if (db_value(&S, sql, WHO[i].on_delete) != 1)
            fail_msg("%s.%s: not a member id ON DELETE %s", WHO[i].table, WHO[i].column,
                     WHO[i].on_delete);
    }
}

/* The views name people by their name in the community: no handle, the
 * one name of an account that is the same in every community it joins.
 * The demo's neighbours' handles start with their community's slug. */
static void no_talent_view_names_an_account(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    char entry[96], club[96];
    snprintf(entry, sizeof entry, DS "/talents/%lld",
             entry_by_title("Настрою ноутбук, телефон или роутер"));
    snprintf(club, sizeof club, "/c/nastolki-na-raene/talents/clubs/%lld",
             db_value(&S, "SELECT id FROM talent_clubs WHERE name = ?", "Домино по субботам"));
    const char *const paths[] = {
        DS "/talents",
        DS "/talents/mine",
        DS "/talents/requests",
        DS "/talents/clubs",
        DS "/talents/overview",
        DS "/talents/tags?q=в",
        entry,
        club,
        "/c/nastolki-na-raene/talents/mine",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct resp r;
        assert_int_equal(client_get(&org, paths[i], 1, &r), 0);
        if (r.status != 200) fail_msg("%s: %ld", paths[i], r.status);
        if (strstr(r.body, "handle") || strstr(r.body, "dvor-sadovaya-12-") ||
            strstr(r.body, "nastolki-na-raene-") || strstr(r.body, "account"))
            fail_msg("%s names an account: %.300s", paths[i], r.body);
        /* and the names are there: the pages are not empty */
        if (i == 0 && !strstr(r.body, "display_name")) fail_msg("%s: no names", paths[i]);
        resp_free(&r);
    }
    client_free(&org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_member_who_leaves_takes_their_rows_and_leaves_their_club),
        cmocka_unit_test(no_talent_table_holds_an_account),
        cmocka_unit_test(no_talent_view_names_an_account),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
