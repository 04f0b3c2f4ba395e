/* The talent bank's write rules with two writers at each: a form that went
 * stale under its user (another's request or a direct write into the
 * database between the page and its POST), and the same one-time write
 * sent by several clients at once. The loser is told 404 or 409 and
 * nothing it asked for is written; exactly one of concurrent writers wins.
 * Against a real server with the demo. */
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

#define DS "/c/dvor-sadovaya-12"

enum { WRITERS = 4 };

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

/* ---- helpers ---- */

static long long q_id(const char *sql, const char *param)
{
    return db_value(&S, sql, param);
}

static long long entry_by_title(const char *title)
{
    return q_id("SELECT max(id) FROM talent_entries WHERE title = ?", title);
}

/* A new entry of the client's with this title and kind; its id. */
static long long new_entry(struct client *c, const char *kind, const char *category,
                           const char *title, const char *tags)
{
    POST(c, DS "/talents", 303, "kind", kind, "category", category, "title", title, "body",
         "Пишите, договоримся.", "tags", tags, "visibility", "members");
    long long id = entry_by_title(title);
    assert_true(id > 0);
    return id;
}

/* One POST of a writer thread. */
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

/* Sends path with pairs from n clients signed in as handle, all at once;
 * counts the answers with status ok into *wins and with lose into *lost. */
static void fire_together(const char *handle, const char *path, const char *const *pairs, int n,
                          long ok, long lose, int *wins, int *lost)
{
    struct shot shots[WRITERS];
    pthread_t th[WRITERS];
    for (int i = 0; i < n; i++) {
        login_as(&shots[i].c, &S, handle);
        shots[i].path = path;
        shots[i].pairs = pairs;
        shots[i].status = 0;
    }
    for (int i = 0; i < n; i++)
        assert_int_equal(pthread_create(&th[i], NULL, fire, &shots[i]), 0);
    *wins = *lost = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
        if (shots[i].status == ok) (*wins)++;
        if (shots[i].status == lose) (*lost)++;
        if (shots[i].status != ok && shots[i].status != lose)
            fprintf(stderr, "%s: unexpected %ld\n", path, shots[i].status);
        client_free(&shots[i].c);
    }
}

/* ---- entries: the owner's edit and delete ---- */

/* The edit form was open while the entry was deleted: saving it is 404 and
 * brings nothing back. */
static void stale_edit_of_a_deleted_entry(void **state)
{
    (void)state;
    struct client owner;
    login_as(&owner, &S, "member");
    long long id = new_entry(&owner, "offer", "repairs", "Починю табуретку (гонка)", "ремонт");
    char edit[128], ids[32];
    snprintf(edit, sizeof edit, DS "/talents/%lld/edit", id);
    snprintf(ids, sizeof ids, "%lld", id);
    free(get_html(&owner, edit));
    assert_int_equal(db_run(&S, "DELETE FROM talent_entries WHERE id = CAST(? AS INTEGER)", ids),
                     0);
    POST(&owner, edit, 404, "kind", "offer", "category", "repairs", "title", "Починю стул",
         "visibility", "members");
    assert_int_equal(q_id("SELECT count(*) FROM talent_entries WHERE id = CAST(? AS INTEGER)", ids),
                     0);
    client_free(&owner);
}

/* The same delete sent at once: one removes the entry, the others find it
 * gone (404), none fails as busy. */
static void concurrent_deletes_remove_once(void **state)
{
    (void)state;
    struct client owner;
    login_as(&owner, &S, "member");
    long long id = new_entry(&owner, "offer", "garden", "Подстригу кусты (гонка)", "сад");
    client_free(&owner);
    char del[128], ids[32];
    snprintf(del, sizeof del, DS "/talents/%lld/delete", id);
    snprintf(ids, sizeof ids, "%lld", id);
    int wins, lost;
    fire_together("member", del, NULL, WRITERS, 303, 404, &wins, &lost);
    assert_int_equal(wins, 1);
    assert_int_equal(lost, WRITERS - 1);
    assert_int_equal(q_id("SELECT count(*) FROM talent_entries WHERE id = CAST(? AS INTEGER)", ids),
                     0);
}

/* An entry that changed hands underneath (written straight into the
 * database) is not its former owner's to edit or delete. */
static void edit_after_the_owner_changed_is_refused(void **state)
{
    (void)state;
    struct client owner;
    login_as(&owner, &S, "member");
    long long id = new_entry(&owner, "skill", "it", "Настрою роутер (гонка)", "сеть");
    char edit[128], del[128], ids[32];
    snprintf(edit, sizeof edit, DS "/talents/%lld/edit", id);
    snprintf(del, sizeof del, DS "/talents/%lld/delete", id);
    snprintf(ids, sizeof ids, "%lld", id);
    free(get_html(&owner, edit));
    assert_int_equal(db_run(&S,
                            "UPDATE talent_entries SET member_id = (SELECT l.member_id FROM"
                            " member_accounts l JOIN accounts a ON a.id = l.account_id"
                            " WHERE a.handle = 'organizer' AND l.community_id ="
                            " talent_entries.community_id) WHERE id = CAST(? AS INTEGER)",
                            ids),
                     0);
    struct resp r;
    assert_int_equal(client_post(&owner, edit, 0, &r, "kind", "skill", "category", "it", "title",
                                 "Чужое", "visibility", "members", END),
                     0);
    assert_true(r.status == 403 || r.status == 409);
    resp_free(&r);
    assert_int_equal(client_post(&owner, del, 0, &r, END), 0);
    assert_true(r.status == 403 || r.status == 409);
    resp_free(&r);
    assert_int_equal(q_id("SELECT count(*) FROM talent_entries WHERE id = CAST(? AS INTEGER)"
                          " AND title = 'Настрою роутер (гонка)'",
                          ids),
                     1);
    client_free(&owner);
}

/* ---- requests for help: one open per person, status moves ---- */

/* The ask of an entry of "dvor-sadovaya-12-5"'s; its request's id. */
static long long ask_once(struct client *asker, long long entry, const char *message)
{
    char ask[128];
    snprintf(ask, sizeof ask, DS "/talents/%lld/ask", entry);
    POST(asker, ask, 303, "message", message, "contact", "@asker");
    return q_id("SELECT max(id) FROM talent_requests WHERE message = ?", message);
}

static void concurrent_asks_open_one_request(void **state)
{
    (void)state;
    struct client owner;
    login_as(&owner, &S, "dvor-sadovaya-12-5");
    long long id = new_entry(&owner, "offer", "cooking", "Испеку пирог (гонка)", "выпечка");
    client_free(&owner);
    char ask[128], ids[32];
    snprintf(ask, sizeof ask, DS "/talents/%lld/ask", id);
    snprintf(ids, sizeof ids, "%lld", id);
    const char *const pairs[] = {"message", "Испеките к субботе?", "contact", "@m", NULL};
    int wins, lost;
    fire_together("member", ask, pairs, WRITERS, 303, 409, &wins, &lost);
    assert_int_equal(wins, 1);
    assert_int_equal(lost, WRITERS - 1);
    assert_int_equal(
        q_id("SELECT count(*) FROM talent_requests WHERE entry_id = CAST(? AS INTEGER)", ids), 1);
}

/* The recipient's page showed an open request that its sender cancelled
 * since: accepting it is 409 and shares no contact. */
static void accept_after_cancel_is_a_conflict(void **state)
{
    (void)state;
    struct client owner, asker;
    login_as(&owner, &S, "dvor-sadovaya-12-5");
    login_as(&asker, &S, "member");
    long long id = new_entry(&owner, "offer", "transport", "Подвезу до вокзала (гонка)", "авто");
    long long rid = ask_once(&asker, id, "Подвезёте в пятницу?");
    assert_true(rid > 0);
    char accept[160], cancel[160], rids[32];
    snprintf(accept, sizeof accept, DS "/talents/requests/%lld/accept", rid);
    snprintf(cancel, sizeof cancel, DS "/talents/requests/%lld/cancel", rid);
    snprintf(rids, sizeof rids, "%lld", rid);
    free(get_html(&owner, DS "/talents/requests"));
    POST(&asker, cancel, 303, END);
    POST(&owner, accept, 409, "contact", "Позвоните 123");
    assert_int_equal(q_id("SELECT count(*) FROM talent_requests WHERE id = CAST(? AS INTEGER)"
                          " AND status = 'cancelled' AND to_contact = ''",
                          rids),
                     1);
    client_free(&owner);
    client_free(&asker);
}

/* Accepting at once from several tabs: one accept, the rest 409. */
static void concurrent_accepts_accept_once(void **state)
{
    (void)state;
    struct client owner, asker;
    login_as(&owner, &S, "dvor-sadovaya-12-5");
    login_as(&asker, &S, "member");
    long long id = new_entry(&owner, "offer", "music", "Настрою гитару (гонка)", "гитара");
    long long rid = ask_once(&asker, id, "Настроите мою гитару?");
    client_free(&owner);
    client_free(&asker);
    char accept[160], rids[32];
    snprintf(accept, sizeof accept, DS "/talents/requests/%lld/accept", rid);
    snprintf(rids, sizeof rids, "%lld", rid);
    const char *const pairs[] = {"contact", "Домофон 12", NULL};
    int wins, lost;
    fire_together("dvor-sadovaya-12-5", accept, pairs, WRITERS, 303, 409, &wins, &lost);
    assert_int_equal(wins, 1);
    assert_int_equal(lost, WRITERS - 1);
    assert_int_equal(q_id("SELECT count(*) FROM talent_requests WHERE id = CAST(? AS INTEGER)"
                          " AND status = 'accepted'",
                          rids),
                     1);
}

/* Declining what was accepted meanwhile (a direct write) is 409; so is
 * marking done twice: the hours are counted once. */
static void decline_after_accept_and_done_twice(void **state)
{
    (void)state;
    struct client owner, asker;
    login_as(&owner, &S, "dvor-sadovaya-12-5");
    login_as(&asker, &S, "member");
    long long id = new_entry(&owner, "offer", "crafts", "Сошью чехол (гонка)", "шитьё");
    long long rid = ask_once(&asker, id, "Сошьёте чехол для планшета?");
    char decline[160], done[160], rids[32];
    snprintf(decline, sizeof decline, DS "/talents/requests/%lld/decline", rid);
    snprintf(done, sizeof done, DS "/talents/requests/%lld/done", rid);
    snprintf(rids, sizeof rids, "%lld", rid);
    free(get_html(&owner, DS "/talents/requests"));
    assert_int_equal(db_run(&S,
                            "UPDATE talent_requests SET status = 'accepted', to_contact = 'x'"
                            " WHERE id = CAST(? AS INTEGER)",
                            rids),
                     0);
    POST(&owner, decline, 409, END);
    assert_int_equal(q_id("SELECT count(*) FROM talent_requests WHERE id = CAST(? AS INTEGER)"
                          " AND status = 'accepted'",
                          rids),
                     1);
    client_free(&owner);
    client_free(&asker);
    /* both parties say it is done at once */
    const char *const pairs[] = {"hours", "3", "thanks", "Спасибо", NULL};
    struct shot a = {.path = done, .pairs = pairs}, b = {.path = done, .pairs = pairs};
    login_as(&a.c, &S, "dvor-sadovaya-12-5");
    login_as(&b.c, &S, "member");
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, fire, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, fire, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_true((a.status == 303 && b.status == 409) || (a.status == 409 && b.status == 303));
    client_free(&a.c);
    client_free(&b.c);
    assert_int_equal(q_id("SELECT hours FROM talent_requests WHERE id = CAST(? AS INTEGER)"
                          " AND status = 'done'",
                          rids),
                     3);
}

/* ---- clubs: join, leave, close ---- */

/* A club of "member"'s with the organizer invited; its id. */
static long long new_club(const char *name)
{
    long long k = -1;
    struct client founder;
    login_as(&founder, &S, "member");
    char path[160];
    long long hobby = entry_by_title("Играю в шахматы (гонка)");
    if (hobby <= 0) {
        struct client org;
        login_as(&org, &S, "organizer");
        new_entry(&org, "hobby", "games", "Шахматы по выходным (гонка)", "шахматы");
        client_free(&org);
        hobby = new_entry(&founder, "hobby", "games", "Играю в шахматы (гонка)", "шахматы");
    }
    snprintf(path, sizeof path, DS "/talents/%lld/club", hobby);
    POST(&founder, path, 303, "club_name", name);
    k = q_id("SELECT max(id) FROM talent_clubs WHERE name = ?", name);
    assert_true(k > 0);
    client_free(&founder);
    return k;
}

static void concurrent_joins_join_once(void **state)
{
    (void)state;
    long long k = new_club("Шахматный клуб (гонка 1)");
    char join[160], ks[32];
    snprintf(join, sizeof join, DS "/talents/clubs/%lld/join", k);
    snprintf(ks, sizeof ks, "%lld", k);
    int wins, lost;
    fire_together("dvor-sadovaya-12-5", join, NULL, WRITERS, 303, 409, &wins, &lost);
    assert_int_equal(wins, 1);
    assert_int_equal(lost, WRITERS - 1);
    assert_int_equal(q_id("SELECT count(*) FROM talent_club_members WHERE club_id = CAST(? AS "
                          "INTEGER) AND status = 'member' AND member_id = (SELECT l.member_id"
                          " FROM member_accounts l JOIN accounts a ON a.id = l.account_id"
                          " WHERE a.handle = 'dvor-sadovaya-12-5')",
                          ks),
                     1);
    /* and leaving at once: one leaves, the rest are told they are not in */
    char leave[160];
    snprintf(leave, sizeof leave, DS "/talents/clubs/%lld/leave", k);
    fire_together("dvor-sadovaya-12-5", leave, NULL, WRITERS, 303, 409, &wins, &lost);
    assert_int_equal(wins, 1);
    assert_int_equal(lost, WRITERS - 1);
}

/* The club page was open while the club closed (a direct write): joining
 * is 409 and makes no member (an invitation stays one). */
static void join_after_close_is_a_conflict(void **state)
{
    (void)state;
    long long k = new_club("Шахматный клуб (гонка 2)");
    char page[160], join[160], ks[32];
    snprintf(page, sizeof page, DS "/talents/clubs/%lld", k);
    snprintf(join, sizeof join, DS "/talents/clubs/%lld/join", k);
    snprintf(ks, sizeof ks, "%lld", k);
    struct client c;
    login_as(&c, &S, "dvor-sadovaya-12-5");
    free(get_html(&c, page));
    assert_int_equal(
        db_run(&S, "UPDATE talent_clubs SET closed = 1 WHERE id = CAST(? AS INTEGER)", ks), 0);
    POST(&c, join, 409, END);
    assert_int_equal(q_id("SELECT count(*) FROM talent_club_members WHERE club_id = CAST(? AS "
                          "INTEGER) AND status = 'member' AND member_id = (SELECT l.member_id"
                          " FROM member_accounts l JOIN accounts a ON a.id = l.account_id"
                          " WHERE a.handle = 'dvor-sadovaya-12-5')",
                          ks),
                     0);
    client_free(&c);
}

/* Its founder and an organizer close it at once: one closes, the other is
 * told it is closed (409), neither is busy. */
static void concurrent_closes_close_once(void **state)
{
    (void)state;
    long long k = new_club("Шахматный клуб (гонка 3)");
    char closep[160];
    snprintf(closep, sizeof closep, DS "/talents/clubs/%lld/close", k);
    struct shot a = {.path = closep}, b = {.path = closep};
    login_as(&a.c, &S, "member");
    login_as(&b.c, &S, "organizer");
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, fire, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, fire, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_true((a.status == 303 && b.status == 409) || (a.status == 409 && b.status == 303));
    client_free(&a.c);
    client_free(&b.c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stale_edit_of_a_deleted_entry),
        cmocka_unit_test(concurrent_deletes_remove_once),
        cmocka_unit_test(edit_after_the_owner_changed_is_refused),
        cmocka_unit_test(concurrent_asks_open_one_request),
        cmocka_unit_test(accept_after_cancel_is_a_conflict),
        cmocka_unit_test(concurrent_accepts_accept_once),
        cmocka_unit_test(decline_after_accept_and_done_twice),
        cmocka_unit_test(concurrent_joins_join_once),
        cmocka_unit_test(join_after_close_is_a_conflict),
        cmocka_unit_test(concurrent_closes_close_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
