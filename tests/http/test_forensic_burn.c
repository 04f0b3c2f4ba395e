/* Burning a secret community, read as an attacker would read a copy of
 * the server's disk taken afterwards: the organizer of the demo's secret
 * community writes texts only it holds (its description, a talent entry,
 * a shared value), then burns it with its address typed as the
 * confirmation phrase and a second organizer's confirmation. The database file and its WAL, read as
 * bytes while the server still runs, must hold none of those texts, nor the community's name,
 * neither in clear nor in the sealed form the rows held (issue 11: a sealed community's texts
 * are stored under its data key). Before the deletion the same scan finds the stored forms, so
 * the test can fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/check.h"
#include "lib/forensic.h"
#include "lib/httpx.h"
#include "lib/testsrv.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T "/c/tiho-vmeste"

static struct srv S;

static const char *const MARKERS[] = {
    "Тихо вместе",                       /* its name */
    "Подвал на Речной открыт по средам", /* its new description */
    "Ключ у Марфы Игнатьевны",           /* a talent entry */
    "Не называем имён вслух",            /* a shared value */
};

static int setup(void **state)
{
    (void)state;
    return srv_start(&S, 1, NULL);
}

static int teardown(void **state)
{
    (void)state;
    return srv_stop(&S);
}

/* Occurrences of text in the database file and its WAL. */
static long on_disk(const char *text)
{
    long n = fx_db_files_count(S.db, text, strlen(text));
    assert_true(n >= 0);
    return n;
}

/* What the rows hold of the texts, as stored (clear, or sealed under the
 * community's key): the first column of sql's first row, malloc'd. */
static char *stored(const char *sql)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    if (sqlite3_open_v2(S.db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_text(st, 0))
        out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    assert_non_null(out);
    return out;
}

static void a_burned_secret_community_leaves_no_text_on_disk(void **state)
{
    (void)state;
    struct client org;
    assert_int_equal(client_as(&org, &S, "organizer"), 0);
    const char *edit[] = {"name",     "Тихо вместе", "visibility", "secret", "description",
                          MARKERS[1], "prereq",      "intentions", NULL};
    assert_int_equal(post_status(&org, T "/edit", 0, edit), 303);
    struct resp r;
    assert_int_equal(client_post(&org, T "/talents", 0, &r, "kind", "offer", "category", "other",
                                 "title", MARKERS[2], END),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    const char *value[] = {"title", MARKERS[3], NULL};
    assert_int_equal(post_status(&org, T "/strategy/values", 0, value), 303);
    /* The texts are there to be found before, as the rows store them. */
#define OF_TIHO "(SELECT id FROM communities WHERE slug = 'tiho-vmeste')"
    char *forms[] = {
        stored("SELECT name FROM communities WHERE id = " OF_TIHO),
        stored("SELECT description FROM communities WHERE id = " OF_TIHO),
        stored("SELECT title FROM talent_entries WHERE community_id = " OF_TIHO
               " ORDER BY id DESC LIMIT 1"),
        stored("SELECT title FROM shared_values WHERE community_id = " OF_TIHO
               " ORDER BY id DESC LIMIT 1"),
    };
#undef OF_TIHO
    enum { NFORMS = sizeof forms / sizeof *forms };
    for (size_t i = 0; i < NFORMS; i++)
        if (on_disk(forms[i]) == 0) fail_msg("not written before the burn: %s", forms[i]);
    /* A wrong phrase burns nothing. */
    const char *wrong[] = {"confirm", "tiho", NULL};
    assert_int_equal(post_status(&org, T "/delete", 0, wrong), 422);
    assert_int_equal(get_status(&org, T, 0), 200);
    /* With a second organizer, one alone cannot burn it: the first one's
     * request waits, asking again changes nothing, the second one's burns. */
    assert_int_equal(db_run(&S,
                            "UPDATE members SET role = 'organizer' WHERE id = (SELECT l.member_id"
                            " FROM member_accounts l JOIN accounts a ON a.id = l.account_id"
                            " JOIN communities c ON c.id = l.community_id"
                            " WHERE a.handle = 'member' AND c.slug = 'tiho-vmeste')",
                            NULL),
                     0);
    struct client second;
    assert_int_equal(client_as(&second, &S, "member"), 0);
    const char *burn[] = {"confirm", "tiho-vmeste", NULL};
    assert_int_equal(post_status(&org, T "/delete", 0, burn), 303);
    assert_int_equal(get_status(&org, T, 0), 200);
    assert_int_equal(post_status(&org, T "/delete", 0, burn), 303);
    assert_int_equal(get_status(&org, T, 0), 200);
    assert_int_equal(post_status(&second, T "/delete", 0, burn), 303);
    assert_int_equal(get_status(&org, T, 0), 404);
    assert_int_equal(get_status(&second, T, 0), 404);
    client_free(&second);
    for (size_t i = 0; i < sizeof MARKERS / sizeof *MARKERS; i++) {
        long n = on_disk(MARKERS[i]);
        if (n != 0) fail_msg("%ld copies left on disk after the burn: %s", n, MARKERS[i]);
    }
    for (size_t i = 0; i < NFORMS; i++) {
        long n = on_disk(forms[i]);
        if (n != 0) fail_msg("%ld stored copies left on disk after the burn: %s", n, forms[i]);
        free(forms[i]);
    }
    client_free(&org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_burned_secret_community_leaves_no_text_on_disk),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
