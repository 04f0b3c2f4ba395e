/* The talent bank and the named survey of a secret community, sealed
 * (issue 11, step 3), over HTTP against a real server with the demo.
 *
 * The demo's secret initiative group ("tiho-vmeste") has four entries and
 * a request for help written while it had no data key. When its organizer
 * first signs in, the community gets its key and its texts are sealed in
 * place: the entries, the request, the tag rows (keyed hashes, with the
 * tag sealed beside them), the match words and the full-text rows (keyed
 * hashes of the stems, no text), the ready matches' explanations (hashes).
 * Nothing of it stays on disk in clear, the WAL included. And the members
 * use the bank as before: the list, a search by a word's other form, the
 * tags page, the matches with their explanation in words, the requests,
 * an edit, an organizer's hiding with its reason, the export.
 *
 * Its named survey's free answers (a text, an "other" choice) are sealed
 * by the same first sign-in; the results group them opened, the export
 * lists them, and an answer given after is written sealed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/forensic.h"
#include "lib/httpx.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T "/c/tiho-vmeste"

static struct srv S;
static long long TV; /* the community's id */

static int setup(void **state)
{
    (void)state;
    if (srv_start(&S, 1, NULL) != 0) return -1;
    TV = db_value(&S, "SELECT id FROM communities WHERE slug = 'tiho-vmeste'", NULL);
    return TV > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return srv_stop(&S);
}

/* sql with the community's id as its one parameter. */
static long long in_tv(const char *sql)
{
    char p[24];
    snprintf(p, sizeof p, "%lld", TV);
    return db_value(&S, sql, p);
}

/* Occurrences of text in the database file and its WAL. */
static long on_disk(const char *text)
{
    long n = fx_db_files_count(S.db, text, strlen(text));
    assert_true(n >= 0);
    return n;
}

/* Terms of the full-text index that hold prefix (fts5vocab reads
 * the index as it stands). */
static long long fts_terms(const char *prefix)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    long long n = -1;
    char like[96];
    /* anywhere in a term: each begins with its community's prefix */
    snprintf(like, sizeof like, "*%s*", prefix);
    if (sqlite3_open_v2(S.db, &h, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_exec(h, "CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, 'talent_fts', 'row')",
                     NULL, NULL, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, "SELECT count(*) FROM temp.v WHERE term GLOB ?", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_bind_text(st, 1, like, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    assert_true(n >= 0);
    return n;
}

static void has(struct client *c, const char *path, const char *text)
{
    char *html = get_html(c, path);
    if (!strstr(html, text)) fail_msg("%s does not show %s", path, text);
    free(html);
}

/* Words of the demo's entries and request in the secret community, as
 * typed (a title, a body, tags, a request's message and contact). */
static const char *const WORDS[] = {"вырубке",          "администрацию",    "Подвезу", "джинсов",
                                    "обращения, сквер", "Signal, спросить", NULL};

/* The demo's named survey of the group (areas/survey/demo.c). */
static const char *const ANSWERS[] = {"Встречи слишком поздно", "нас увидят вместе",
                                      "что строят на месте", NULL};

static void sealed_in_place_at_the_first_sign_in(void **state)
{
    (void)state;
    /* Before: the texts as the demo wrote them, in clear (so the scans
     * below can see). */
    for (int i = 0; WORDS[i]; i++)
        if (on_disk(WORDS[i]) == 0) fail_msg("%s is not on disk before", WORDS[i]);
    for (int i = 0; ANSWERS[i]; i++)
        if (on_disk(ANSWERS[i]) == 0) fail_msg("%s is not on disk before", ANSWERS[i]);
    assert_true(fts_terms("вырубк") > 0);
    struct client org;
    login_as(&org, &S, "organizer");
    assert_int_equal(in_tv("SELECT count(*) FROM community_seals"
                           " WHERE community_id = CAST(? AS INTEGER)"),
                     1);
    /* Every text sealed (a record separator, then base64), every index
     * row a keyed hash. */
    assert_int_equal(in_tv("SELECT count(*) FROM talent_entries WHERE community_id = CAST(? AS "
                           "INTEGER)"),
                     4);
    assert_int_equal(in_tv("SELECT count(*) FROM talent_entries"
                           " WHERE community_id = CAST(? AS INTEGER) AND (substr(title, 1, 1)"
                           " <> char(30) OR substr(body, 1, 1) <> char(30) OR substr(tags, 1, 1)"
                           " <> char(30) OR substr(words, 1, 1) <> char(30)"
                           " OR stems GLOB '*[^0-9a-f ]*')"),
                     0);
    assert_true(in_tv("SELECT count(*) FROM talent_tags WHERE community_id = CAST(? AS INTEGER)") >
                0);
    assert_int_equal(
        in_tv("SELECT count(*) FROM talent_tags WHERE community_id = CAST(? AS INTEGER)"
              " AND (length(tag) <> 16 OR tag GLOB '*[^0-9a-f]*'"
              " OR substr(label, 1, 1) <> char(30))"),
        0);
    assert_int_equal(in_tv("SELECT count(*) FROM talent_words WHERE community_id = CAST(? AS "
                           "INTEGER) AND (length(stem) <> 16 OR stem GLOB '*[^0-9a-f]*')"),
                     0);
    assert_int_equal(in_tv("SELECT count(*) FROM talent_requests"
                           " WHERE community_id = CAST(? AS INTEGER)"
                           " AND (substr(message, 1, 1) <> char(30)"
                           " OR substr(from_contact, 1, 1) <> char(30))"),
                     0);
    assert_int_equal(in_tv("SELECT count(*) FROM talent_fts f JOIN talent_entries e"
                           " ON e.id = f.rowid WHERE e.community_id = CAST(? AS INTEGER)"
                           " AND replace(f.words, 's' || e.community_id || 'x', '')"
                           "  GLOB '*[^0-9a-f ]*'"),
                     0);
    /* the member's need and the organizer's skill share a tag: a ready
     * match, explained by hashes only */
    assert_true(in_tv("SELECT count(*) FROM talent_matches m JOIN talent_entries e"
                      " ON e.id = m.entry_id WHERE e.community_id = CAST(? AS INTEGER)") > 0);
    assert_int_equal(in_tv("SELECT count(*) FROM talent_matches m JOIN talent_entries e"
                           " ON e.id = m.entry_id WHERE e.community_id = CAST(? AS INTEGER)"
                           " AND m.why GLOB '*[^0-9a-f, ]*'"),
                     0);
    /* Nothing in clear on disk: not in a row, not in the index, not in an
     * older page image of the WAL. The public courtyard's words are, by
     * the same scans. */
    for (int i = 0; WORDS[i]; i++)
        if (on_disk(WORDS[i]) != 0) fail_msg("%s is on disk after sealing", WORDS[i]);
    assert_int_equal(fts_terms("вырубк"), 0);
    assert_int_equal(fts_terms("обращени"), 0);
    assert_true(on_disk("Электрик с допуском") > 0);
    assert_true(fts_terms("электри") > 0);
    client_free(&org);
}

static void members_use_the_sealed_bank_as_before(void **state)
{
    (void)state;
    /* The member's first sign-in gives them their keys; the organizer's
     * next leaves them a copy of the community's key; their next takes it
     * (the design of docs/architecture.md, "Sealing, step 2"). Until then
     * they wait, as every area shows. */
    struct client org, mem, first;
    login_as(&first, &S, "member");
    client_free(&first);
    login_as(&org, &S, "organizer");
    login_as(&mem, &S, "member");
    has(&mem, T "/talents", "Подвезу на встречу и обратно");
    /* a search by another form of a word of the body ("вырубка" finds
     * "о вырубке"), and by a tag */
    has(&mem, T "/talents?q=%D0%B2%D1%8B%D1%80%D1%83%D0%B1%D0%BA%D0%B0", "о вырубке сквера");
    has(&mem, T "/talents?q=%D1%88%D0%B8%D1%82%D1%8C%D1%91", "Шью сумки");
    char *none = get_html(&mem, T "/talents?q=%D0%B1%D0%B0%D1%8F%D0%BD");
    assert_null(strstr(none, "Подвезу"));
    free(none);
    /* the tags, counted by their hashes, shown opened */
    has(&mem, T "/talents/tags", "#обращения");
    /* the member's need is answered by the organizer's skill: the
     * explanation names the shared tag in words */
    has(&mem, T "/talents/mine", "Помогу составить обращение в администрацию");
    json_t *mine = get_json(&mem, T "/talents/mine", 200), *entry;
    size_t i;
    int explained = 0;
    json_array_foreach(json_object_get(mine, "entries"), i, entry)
    {
        size_t j;
        json_t *m;
        json_array_foreach(json_object_get(entry, "matches"), j, m)
        {
            const char *title = json_string_value(json_object_get(m, "title"));
            const char *why = json_string_value(json_object_get(m, "why"));
            if (!title || !strstr(title, "Помогу составить обращение")) continue;
            assert_non_null(why);
            /* the shared tag, then the shared words (of the bodies too),
             * each hash turned back into its own word */
            assert_string_equal(why, "оба: обращения, обращением, знаю");
            explained++;
        }
    }
    assert_int_equal(explained, 1);
    json_decref(mine);
    has(&org, T "/talents/requests", "Помогите, пожалуйста, с обращением о сквере.");
    /* an edit: the new words are found, the old ones no longer */
    long long id = in_tv("SELECT id FROM talent_entries WHERE community_id = CAST(? AS INTEGER)"
                         " AND kind = 'hobby'");
    assert_true(id > 0);
    char path[96];
    snprintf(path, sizeof path, T "/talents/%lld/edit", id);
    /* its author waits for the key (first sign-in): told so, nothing
     * written; with the key (the organizer passed it on), the edit goes */
    struct client tv2;
    login_as(&tv2, &S, "tiho-vmeste-2");
    char *wait = post_expect(&tv2, path, 409, "kind", "hobby", "category", "crafts", "title",
                             "Вяжу шарфы и варежки", "availability", "weekends", "visibility",
                             "members", END);
    assert_non_null(strstr(wait, "Ключ этого тайного сообщества до вас ещё не дошёл"));
    free(wait);
    client_free(&tv2);
    client_free(&org);
    login_as(&org, &S, "organizer");
    login_as(&tv2, &S, "tiho-vmeste-2");
    POST(&tv2, path, 303, "kind", "hobby", "category", "crafts", "title", "Вяжу шарфы и варежки",
         "body", "Научу вязать спицами.", "tags", "вязание", "availability", "weekends",
         "visibility", "members");
    has(&mem, T "/talents?q=%D0%B2%D1%8F%D0%B6%D1%83", "Вяжу шарфы и варежки");
    char *old = get_html(&mem, T "/talents?q=%D1%88%D0%B8%D1%82%D1%8C%D1%91");
    assert_null(strstr(old, "Вяжу шарфы"));
    free(old);
    assert_int_equal(on_disk("Вяжу шарфы"), 0);
    /* hidden by the organizer: the reason is sealed, and shown */
    snprintf(path, sizeof path, T "/talents/%lld/hide", id);
    POST(&org, path, 303, "reason", "Повтор другой записи");
    snprintf(path, sizeof path, T "/talents/%lld", id);
    has(&org, path, "Повтор другой записи");
    assert_int_equal(on_disk("Повтор другой записи"), 0);
    /* the organizers' export opens what it lists */
    has(&org, T "/talents/export.csv", "Подвезу на встречу и обратно");
    client_free(&tv2);
    client_free(&mem);
    client_free(&org);
}

static void survey_answers_sealed_in_place(void **state)
{
    (void)state;
    /* (the first test signed the organizer in: the group is sealed) */
    for (int i = 0; ANSWERS[i]; i++)
        if (on_disk(ANSWERS[i]) != 0) fail_msg("%s is on disk after sealing", ANSWERS[i]);
    /* the texts sealed; an "other" keeps its "o:" in clear, so the counts
     * tell it from an option; an option's number stays as it is */
    static const char answers[] = "SELECT count(*) FROM survey_answers a JOIN survey_questions q"
                                  " ON q.id = a.question_id JOIN surveys s ON s.id = q.survey_id"
                                  " WHERE s.community_id = CAST(? AS INTEGER)";
    char sql[512];
    snprintf(sql, sizeof sql, "%s AND q.kind = 'long' AND substr(a.value, 1, 1) <> char(30)",
             answers);
    assert_int_equal(in_tv(sql), 0);
    snprintf(sql, sizeof sql, "%s AND a.value GLOB 'o:' || char(30) || '*'", answers);
    assert_int_equal(in_tv(sql), 1);
    snprintf(sql, sizeof sql, "%s AND a.value = '0'", answers);
    assert_int_equal(in_tv(sql), 1);
    long long id = in_tv("SELECT id FROM surveys WHERE community_id = CAST(? AS INTEGER)");
    assert_true(id > 0);
    char results[96], csv[96], answer[96];
    snprintf(results, sizeof results, T "/surveys/%lld/results", id);
    snprintf(csv, sizeof csv, T "/surveys/%lld/results.csv", id);
    snprintf(answer, sizeof answer, T "/surveys/%lld/answer", id);
    struct client org, mem;
    login_as(&org, &S, "organizer");
    login_as(&mem, &S, "member"); /* holds the key since the second test */
    for (int i = 0; ANSWERS[i]; i++) {
        has(&mem, results, ANSWERS[i]);
        has(&org, csv, ANSWERS[i]);
    }
    /* a new answer: the same text as a neighbour's is one group of two */
    POST(&mem, answer, 303, "q1", "other", "o1", "Проверить, что строят на месте вырубки", "q2",
         "Встречи слишком поздно, после девяти");
    assert_int_equal(on_disk("после девяти"), 0);
    char *html = get_html(&mem, results);
    const char *at = strstr(html, "Встречи слишком поздно, после девяти");
    assert_non_null(at);
    assert_null(strstr(at + 1, "Встречи слишком поздно, после девяти")); /* once, counted */
    free(html);
    has(&org, csv, "Проверить, что строят на месте вырубки");
    client_free(&mem);
    client_free(&org);
}

/* A member still waiting for the key (they signed in for the first time
 * after the community was sealed, and no organizer has signed in since)
 * can still leave: leaving writes nothing sealed, and a person who wants
 * out of a secret group must never have to wait for anyone. */
static void a_waiting_member_can_leave(void **state)
{
    (void)state;
    struct client w;
    login_as(&w, &S, "tiho-vmeste-1");
    char *home = get_html(&w, T "/talents");
    assert_null(strstr(home, "Подвезу на встречу")); /* nothing opens for them yet */
    free(home);
    long long before =
        in_tv("SELECT count(*) FROM members WHERE community_id = CAST(? AS INTEGER)");
    free(post_expect(&w, T "/leave", 303, END));
    assert_int_equal(in_tv("SELECT count(*) FROM members WHERE community_id = CAST(? AS INTEGER)"),
                     before - 1);
    struct resp r;
    assert_int_equal(client_get(&w, T "/talents", 0, &r), 0);
    assert_true(r.status == 404 || r.status == 403);
    resp_free(&r);
    client_free(&w);
}

/* A request opens the keyring through the session's copy of it: with the
 * session's copy of the secret key spoiled, the member still reads the
 * sealed bank while the keyring is the one the copy was made from; once
 * the keyring changes, the copy is stale and nothing opens without the
 * key (docs/architecture.md, "The keyring opened once a session"). */
static void the_session_keeps_the_keyring_opened(void **state)
{
    (void)state;
    struct client m;
    login_as(&m, &S, "member");
    has(&m, T "/talents", "Помогу составить обращение в администрацию");
    assert_true(db_value(&S, "SELECT count(*) FROM session_keys WHERE ring IS NOT NULL", NULL) > 0);
    /* every session's secret key copy made useless: only the ring copies
     * can open anything now */
    assert_int_equal(db_run(&S, "UPDATE session_keys SET sealed = zeroblob(length(sealed))", NULL),
                     0);
    has(&m, T "/talents", "Помогу составить обращение в администрацию");
    /* the keyring changes (its bytes: any new entry makes new ones) */
    assert_int_equal(
        db_run(&S,
               "UPDATE keyring SET sealed = randomblob(length(sealed)) WHERE account_id ="
               " (SELECT id FROM accounts WHERE handle = 'member')",
               NULL),
        0);
    /* the membership is in the keyring only: without it the community is
     * not there for them */
    struct resp r;
    assert_int_equal(client_get(&m, T "/talents", 0, &r), 0);
    assert_int_equal(r.status, 404);
    resp_free(&r);
    client_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sealed_in_place_at_the_first_sign_in),
        cmocka_unit_test(members_use_the_sealed_bank_as_before),
        cmocka_unit_test(survey_answers_sealed_in_place),
        cmocka_unit_test(a_waiting_member_can_leave),
        cmocka_unit_test(the_session_keeps_the_keyring_opened),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
