/* Migration 050 on a database written before it: the talent tables move
 * from account ids to member ids (issue 11, sealing step 2); and 058 after
 * it rebuilds the entries for sealed texts (step 3) keeping every row.
 *
 * The database is made by the migrations before 050 on the server's own
 * connection (foreign keys enforced, as migrate.c runs them), filled with
 * rows of the old shape, and brought up to date by migrate_apply. What a
 * member wrote stays theirs, by member id; what a person who had left
 * before migration 045 left behind (rows whose account is no member) goes,
 * full-text rows included, but a club they started stays, founded by
 * nobody; no row of any other table is lost to the rebuild's drops. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/talent/talent.h"
#include "core/db.h"
#include "core/embed.h"
#include "core/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The old shape: Анна (1) and Борис (2) are members of the yard; account
 * 3 left it before migration 045 and is no member. Entry 12 is the one who
 * left's; request 101 asks for it, request 102 is theirs; club 200 they
 * founded, from Борис's need. */
static const char OLD_ROWS[] =
    "INSERT INTO accounts(id, handle, display_name, password_hash, created_at) VALUES"
    " (1, 'anna', 'Анна', 'x', 0), (2, 'boris', 'Борис', 'x', 0), (3, 'left', 'Ушедший', 'x', 0);"
    "INSERT INTO communities(id, slug, name, visibility, created_at, updated_at)"
    " VALUES (1, 'yard', 'Двор', 0, 0, 0);"
    "INSERT INTO memberships(community_id, account_id, role, joined_at, name_key)"
    " VALUES (1, 1, 'organizer', 0, ''), (1, 2, 'member', 0, '');"
    "INSERT INTO talent_entries(id, community_id, account_id, kind, category, title, body, tags,"
    " availability, visibility, created_at, updated_at, words, stems) VALUES"
    " (10, 1, 1, 'offer', 'repairs', 'Починю велосипед', '', 'велосипед', 'any', 'members', 1, 1,"
    "  'почин велосипед', 'почин велосипед'),"
    " (11, 1, 2, 'need', 'repairs', 'Ищу, кто починит велосипед', '', 'велосипед', 'any',"
    "  'members', 2, 2, 'почин велосипед', 'почин велосипед'),"
    " (12, 1, 3, 'offer', 'repairs', 'Тоже чиню велосипеды', '', 'велосипед', 'any', 'public',"
    "  3, 3, 'чин велосипед', 'чин велосипед');"
    "INSERT INTO talent_fts(rowid, scope, title, body, tags, stems) VALUES"
    " (10, 'c1 koffer', 'починю велосипед', '', 'велосипед', 'почин велосипед'),"
    " (11, 'c1 kneed', 'ищу, кто починит велосипед', '', 'велосипед', 'ищ кто почин велосипед'),"
    " (12, 'c1 koffer', 'тоже чиню велосипеды', '', 'велосипед', 'тож чин велосипед');"
    "INSERT INTO talent_tags(entry_id, community_id, tag, kind) VALUES"
    " (10, 1, 'велосипед', 'offer'), (11, 1, 'велосипед', 'need'), (12, 1, 'велосипед', 'offer');"
    "INSERT INTO talent_words(community_id, kind, stem, entry_id) VALUES"
    " (1, 'offer', 'велосипед', 10), (1, 'need', 'велосипед', 11), (1, 'offer', 'велосипед', 12);"
    "INSERT INTO talent_matches(entry_id, candidate_id, score, why) VALUES"
    " (11, 10, 9, 'велосипед'), (11, 12, 9, 'велосипед'), (10, 11, 9, 'велосипед');"
    "INSERT INTO talent_matches_todo(entry_id) VALUES (10), (12);"
    "INSERT INTO talent_requests(id, community_id, entry_id, from_id, to_id, message, status,"
    " created_at, updated_at) VALUES"
    " (100, 1, 10, 2, 1, 'Посмотрите колесо?', 'accepted', 4, 4),"
    " (101, 1, 12, 2, 3, 'И вы посмотрите?', 'open', 5, 5),"
    " (102, 1, 11, 3, 2, 'Могу помочь', 'open', 6, 6);"
    "INSERT INTO talent_clubs(id, community_id, entry_id, created_by, name, created_at) VALUES"
    " (200, 1, 11, 3, 'Велоклуб', 7), (201, 1, 10, 1, 'Мастерская', 8);"
    "INSERT INTO talent_club_members(club_id, account_id, status) VALUES"
    " (200, 3, 'member'), (200, 2, 'member'), (200, 1, 'invited'), (201, 1, 'member');";

static int by_name(const void *a, const void *b)
{
    const struct embedded_file *const *x = a, *const *y = b;
    return strcmp((*x)->name, (*y)->name);
}

/* Applies the migrations before 050 as migrate.c does, each recorded. */
static void apply_before_050(struct dbc *w)
{
    const struct embedded_file *m[128] = {NULL};
    size_t n = 0;
    for (const struct embedded_file *f = embedded_files; f->name && n < 128; f++)
        if (strncmp(f->name, "src/sql/", 8) == 0 && strcmp(f->name, "src/sql/050") < 0) m[n++] = f;
    qsort(m, n, sizeof m[0], by_name);
    assert_true(n >= 30);
    assert_true(db_exec(w,
                        "CREATE TABLE schema_migrations(name TEXT PRIMARY KEY,"
                        " applied_at INTEGER NOT NULL)",
                        "") >= 0);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(db_exec_script(w, "BEGIN IMMEDIATE"), 0);
        if (db_exec_script(w, m[i]->data) < 0) fail_msg("%s does not apply", m[i]->name);
        assert_int_equal(db_exec(w, "INSERT INTO schema_migrations VALUES(?, 0)", "t",
                                 strrchr(m[i]->name, '/') + 1),
                         1);
        assert_int_equal(db_exec_script(w, "COMMIT"), 0);
    }
}

static int64_t q(struct dbc *c, const char *sql)
{
    return db_int(c, -1, sql, "");
}

static void old_rows_move_to_member_ids(void **state)
{
    (void)state;
    char dir[256];
    snprintf(dir, sizeof dir, "%s/hramada-unit-XXXXXX", P_tmpdir);
    assert_non_null(mkdtemp(dir));
    char path[300];
    snprintf(path, sizeof path, "%s/t.db", dir);
    struct db *db = db_open(path, 1, 0);
    assert_non_null(db);
    struct dbc *w = db_writer_lock(db);
    apply_before_050(w);
    assert_int_equal(db_exec_script(w, OLD_ROWS), 0);
    int64_t anna = db_int(w, 0, "SELECT member_id FROM member_accounts WHERE account_id = 1", "");
    int64_t boris = db_int(w, 0, "SELECT member_id FROM member_accounts WHERE account_id = 2", "");
    assert_true(anna > 0 && boris > 0);
    int64_t rows_before = q(w, "SELECT (SELECT count(*) FROM accounts)"
                               " + (SELECT count(*) FROM members) + (SELECT count(*) FROM"
                               " member_accounts) + (SELECT count(*) FROM communities)");
    db_writer_unlock(db);

    assert_true(migrate_apply(db) >= 1);
    /* migration 070 put the clear entries back for the start-up backfill,
     * which writes their words and full-text rows anew */
    w = db_writer_lock(db);
    assert_int_equal(q(w, "SELECT count(*) FROM talent_entries WHERE words IS NULL"), 2);
    db_writer_unlock(db);
    assert_int_equal(talent_words_backfill(db), 0);

    w = db_writer_lock(db);
    assert_int_equal(q(w, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_int_equal(q(w, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check"
                          " <> 'ok'"),
                     0);
    /* Migration 058 rebuilt the entries for sealed texts: a title must not
     * be empty, but may be as long as a sealed one is; the tag rows have a
     * label (NULL: a clear community's tag is itself). */
    assert_int_equal(db_exec(w,
                             "UPDATE talent_entries SET title = printf('%.600c', 'x')"
                             " WHERE id = 11",
                             ""),
                     1);
    assert_true(db_exec(w, "UPDATE talent_entries SET title = '' WHERE id = 11", "") < 0);
    assert_int_equal(q(w, "SELECT count(*) FROM talent_tags WHERE label IS NULL"), 2);
    /* the members' entries, by member id, with their ids and index rows */
    assert_int_equal(db_int(w, 0, "SELECT member_id FROM talent_entries WHERE id = 10", ""), anna);
    assert_int_equal(db_int(w, 0, "SELECT member_id FROM talent_entries WHERE id = 11", ""), boris);
    assert_int_equal(q(w, "SELECT count(*) FROM talent_entries"), 2);
    assert_int_equal(q(w, "SELECT count(*) FROM talent_entries WHERE words IS NOT NULL"
                          " AND stems IS NOT NULL"),
                     2);
    /* the one who left: entry, full-text row, tags, words, matches, todo */
    assert_int_equal(q(w, "SELECT count(*) FROM talent_fts"), 2);
    assert_int_equal(q(w, "SELECT count(*) FROM talent_fts WHERE rowid = 12"), 0);
    assert_int_equal(q(w, "SELECT count(*) FROM talent_fts WHERE talent_fts MATCH 'c1xвелосипед'"),
                     2);
    assert_int_equal(q(w, "SELECT count(*) FROM talent_tags"), 2);
    /* written anew by the backfill: two words of each entry */
    assert_int_equal(q(w, "SELECT count(*) FROM talent_words"), 4);
    assert_int_equal(q(w, "SELECT count(*) FROM talent_matches"), 2);
    assert_int_equal(q(w, "SELECT count(*) FROM talent_matches WHERE candidate_id = 12"), 0);
    assert_int_equal(q(w, "SELECT group_concat(entry_id) FROM talent_matches_todo"), 10);
    /* requests between members stay, by member id; the others go */
    assert_int_equal(q(w, "SELECT count(*) FROM talent_requests"), 1);
    assert_int_equal(db_int(w, 0, "SELECT from_member FROM talent_requests WHERE id = 100", ""),
                     boris);
    assert_int_equal(db_int(w, 0, "SELECT to_member FROM talent_requests WHERE id = 100", ""),
                     anna);
    assert_int_equal(q(w, "SELECT count(*) FROM talent_requests WHERE id = 100"
                          " AND status = 'accepted' AND message = 'Посмотрите колесо?'"),
                     1);
    /* both clubs stay: the one who left founded 200, now nobody's */
    assert_int_equal(q(w, "SELECT count(*) FROM talent_clubs"), 2);
    assert_int_equal(q(w, "SELECT count(*) FROM talent_clubs WHERE id = 200"
                          " AND member_id IS NULL AND entry_id = 11"),
                     1);
    assert_int_equal(db_int(w, 0, "SELECT member_id FROM talent_clubs WHERE id = 201", ""), anna);
    assert_int_equal(q(w, "SELECT count(*) FROM talent_club_members"), 3);
    assert_int_equal(q(w, "SELECT count(*) FROM talent_club_members WHERE club_id = 200"), 2);
    /* nothing outside the talent bank went with the drops */
    assert_int_equal(q(w, "SELECT (SELECT count(*) FROM accounts)"
                          " + (SELECT count(*) FROM members) + (SELECT count(*) FROM"
                          " member_accounts) + (SELECT count(*) FROM communities)"),
                     rows_before);

    /* and now leaving takes a member's rows, their club stays */
    assert_int_equal(db_exec_script(w, "BEGIN IMMEDIATE"), 0);
    assert_int_equal(db_exec(w, "DELETE FROM members WHERE id = ?", "i", anna), 1);
    assert_int_equal(db_exec_script(w, "COMMIT"), 0);
    assert_int_equal(q(w, "SELECT count(*) FROM talent_entries"), 1);
    assert_int_equal(q(w, "SELECT count(*) FROM talent_requests"), 0);
    assert_int_equal(q(w, "SELECT count(*) FROM talent_clubs WHERE id = 201"
                          " AND member_id IS NULL AND entry_id IS NULL"),
                     1);
    assert_int_equal(q(w, "SELECT count(*) FROM talent_club_members"), 1);
    /* its full-text row waits for the talent bank's sweep */
    assert_int_equal(q(w, "SELECT group_concat(entry_id) FROM talent_fts_gone"), 10);
    db_writer_unlock(db);
    db_close(db);
    snprintf(path, sizeof path, "rm -rf %s", dir);
    assert_int_equal(system(path), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(old_rows_move_to_member_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
