/* The ballot box read as an attacker would read a copy of the server's
 * disk: forty new members join the board-games club by invitation, then
 * answer a sense-of-community wave and an anonymous survey in a shuffled
 * order, each with a comment only they wrote. After both close, the
 * database file and its WAL (copied while the server runs, and again after
 * it stops) are parsed byte by byte (tests/lib/forensic.h): the cells of
 * the roll and of the texts in page order, and the WAL's commits. No
 * pairing may link more people to their texts than chance does; the same
 * attack on tables written the old way (participation, then answer, one
 * transaction a person) links nearly all of them, so the test can fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"
#include "lib/forensic.h"
#include "lib/testsrv.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NR "/c/nastolki-na-raene"

enum { VOTERS = 40, CHANCE_MAX = 6 };

static struct srv S;

struct voter {
    char handle[32];
    long long account, member;
    int order; /* position in the order of voting */
};

static struct voter V[VOTERS];
static int ORDER[VOTERS]; /* ORDER[k]: the voter who voted k-th */
/* LABEL[i]: the number in voter i's texts. A page of a b-tree may hold
 * its cells in key order (SQLite writes them so when it balances pages),
 * and the key of a text is the text itself: numbering texts by account
 * would let key order "pair" them with the roll, which is keyed by
 * account, though nothing of the ballot box links them. So the numbers are
 * a permutation of their own. */
static int LABEL[VOTERS], UNLABEL[VOTERS];
static long WAVE, SURVEY;
static long long WAVE_BOX, SURVEY_BOX;

static int setup(void **state)
{
    (void)state;
    return srv_start(&S, 1, NULL);
}

static int halted; /* the last test stops the server itself */

static int teardown(void **state)
{
    (void)state;
    int rc = srv_stop(&S);
    return halted || rc == 0 ? 0 : -1;
}

/* A multi-use invitation to the club, made by its organizer: "/i/TOKEN". */
static void invitation(struct client *org, char *out, size_t n)
{
    const char *f[] = {"role", "member", "max_uses", "100", "days", "7", "note", "клуб", NULL};
    struct resp r;
    assert_int_equal(post_pairs(org, NR "/invite", 1, f, &r), 0);
    assert_int_equal(r.status, 201);
    const char *link = jstr(r.json, "created.link");
    assert_non_null(link);
    snprintf(out, n, "%s", strstr(link, "/i/"));
    resp_free(&r);
}

/* Signs up voter i and accepts the invitation; c stays signed in. */
static void join(struct client *c, int i, const char *inv)
{
    client_init(c, &S);
    snprintf(V[i].handle, sizeof V[i].handle, "fx-voter-%02d", i);
    const char *f[] = {"handle",    V[i].handle,   "password", "pass-word-1",
                       "password2", "pass-word-1", NULL};
    assert_int_equal(post_status(c, "/signup", 0, f), 303);
    c->csrf[0] = 0;
    assert_int_equal(post_status(c, inv, 0, NULL), 303);
    V[i].account = db_value(&S, "SELECT id FROM accounts WHERE handle = ?", V[i].handle);
    assert_true(V[i].account > 0);
    V[i].member = db_value(&S,
                           "SELECT l.member_id FROM member_accounts l JOIN accounts a"
                           " ON a.id = l.account_id WHERE a.handle = ?",
                           V[i].handle);
    assert_true(V[i].member > 0);
}

/* A fixed permutation of 0..VOTERS-1 from seed (xorshift, Fisher-Yates). */
static void permutation(int *p, unsigned x)
{
    for (int i = 0; i < VOTERS; i++)
        p[i] = i;
    for (int i = VOTERS - 1; i > 0; i--) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        int j = (int)(x % (unsigned)(i + 1)), t = p[i];
        p[i] = p[j];
        p[j] = t;
    }
}

static void shuffle_order(void)
{
    permutation(ORDER, 2463534242u); /* neither account ids nor handles */
    permutation(LABEL, 88675123u);
    for (int k = 0; k < VOTERS; k++) {
        V[ORDER[k]].order = k;
        UNLABEL[LABEL[k]] = k;
    }
}

/* Reads the -wal file beside the database now, while the server runs. */
static void copy_file(const char *from, const char *to)
{
    assert_int_equal(fx_file_copy(from, to), 0);
}

/* The committed WAL frames of the file at path. */
static size_t wal_committed(const char *path)
{
    struct fx_wal w;
    assert_int_equal(fx_wal_open(path, &w), 0);
    size_t n = w.ncommitted;
    fx_wal_free(&w);
    return n;
}

/* Everyone votes, in ORDER; after each cast the WAL holds no commit. */
static void vote_all(void **state)
{
    (void)state;
    shuffle_order();
    struct client org;
    assert_int_equal(client_as(&org, &S, "member"), 0); /* the club's organizer */
    char inv[200];
    invitation(&org, inv, sizeof inv);
    static struct client c[VOTERS];
    for (int i = 0; i < VOTERS; i++)
        join(&c[i], i, inv);
    /* a wave and an anonymous survey open with the forty on their rolls */
    char a[11], b[11], path[200];
    const char *wf[] = {"opens_on", test_day(0, a), "closes_on", test_day(7, b), NULL};
    assert_int_equal(post_form(&org, NR "/soc/waves", wf), 303);
    WAVE = (long)db_value(&S, "SELECT max(id) FROM soc_waves", NULL);
    WAVE_BOX = db_value(
        &S, "SELECT box_id FROM soc_waves WHERE id = (SELECT max(id) FROM soc_waves)", NULL);
    struct resp r;
    assert_int_equal(client_post(&org, NR "/surveys", 0, &r, "template", "blank", NULL), 0);
    char loc[200];
    assert_int_equal(resp_header(&r, "Location", loc, sizeof loc), 0);
    resp_free(&r);
    assert_int_equal(sscanf(loc, NR "/surveys/%ld/edit", &SURVEY), 1);
    snprintf(path, sizeof path, NR "/surveys/%ld/questions", SURVEY);
    const char *q[] = {"kind", "short", "text", "Что изменить?", "required", "1", NULL};
    assert_int_equal(post_form(&org, path, q), 303);
    snprintf(path, sizeof path, NR "/surveys/%ld/edit", SURVEY);
    const char *sf[] = {"title",    "Клуб",         "audience",  "members",      "anonymous", "1",
                        "opens_on", test_day(0, a), "closes_on", test_day(7, b), NULL};
    assert_int_equal(post_form(&org, path, sf), 303);
    snprintf(path, sizeof path, NR "/surveys/%ld/publish", SURVEY);
    assert_int_equal(post_form(&org, path, NULL), 303);
    char sbox[32];
    snprintf(sbox, sizeof sbox, "%ld", SURVEY);
    SURVEY_BOX = db_value(&S, "SELECT box_id FROM surveys WHERE id = ?", sbox);
    assert_true(WAVE_BOX > 0 && SURVEY_BOX > 0 && WAVE_BOX != SURVEY_BOX);

    char wal[400], copy[400];
    snprintf(wal, sizeof wal, "%s-wal", S.db);
    snprintf(copy, sizeof copy, "%s/copy-wal", S.dir);
    for (int k = 0; k < VOTERS; k++) {
        int i = ORDER[k];
        char rating[4], comment[40], text[40];
        snprintf(rating, sizeof rating, "%d", 1 + i % 10);
        snprintf(comment, sizeof comment, "fx-comment-%02d", LABEL[i]);
        snprintf(text, sizeof text, "fx-text-%02d", LABEL[i]);
        snprintf(path, sizeof path, NR "/soc/waves/%ld/answer", WAVE);
        const char *af[] = {"membership", rating, "influence",    rating,  "integration", rating,
                            "connection", rating, "c_membership", comment, NULL};
        assert_int_equal(post_form(&c[i], path, af), 303);
        /* the cast's transaction is already out of the WAL */
        copy_file(wal, copy);
        assert_int_equal(wal_committed(copy), 0);
        snprintf(path, sizeof path, NR "/surveys/%ld/answer", SURVEY);
        const char *qf[] = {"q1", text, NULL};
        assert_int_equal(post_form(&c[i], path, qf), 303);
        client_free(&c[i]);
    }
    snprintf(path, sizeof path, NR "/soc/waves/%ld/close", WAVE);
    assert_int_equal(post_form(&org, path, NULL), 303);
    snprintf(path, sizeof path, NR "/surveys/%ld/close", SURVEY);
    assert_int_equal(post_form(&org, path, NULL), 303);
    /* a copy of the files taken now, while the server runs */
    snprintf(copy, sizeof copy, "%s/live.db", S.dir);
    copy_file(S.db, copy);
    snprintf(copy, sizeof copy, "%s/live.db-wal", S.dir);
    copy_file(wal, copy);
    assert_int_equal(wal_committed(copy), 0);
    /* the results are there for members (k = 5 of 40) */
    snprintf(path, sizeof path, NR "/soc/waves/%ld", WAVE);
    assert_int_equal(client_get(&org, path, 1, &r), 0);
    assert_true(json_is_true(jget(r.json, "wave.results.visible")));
    resp_free(&r);
    client_free(&org);
}

/* The voter of a roll cell's key "m<member>", as an index into V. */
static int64_t voter_of_key(const struct fx_cell *c)
{
    if (c->ncol < 2 || c->col[1].kind != FX_TEXT || c->col[1].n < 2) return -1;
    long long member = atoll((const char *)c->col[1].p + 1);
    for (int i = 0; i < VOTERS; i++)
        if (V[i].member == member) return i;
    return -1;
}

/* The author of a text cell "<prefix>NN", as an index into V. */
static int64_t author_of_text(const struct fx_cell *c, int col, const char *prefix)
{
    size_t pl = strlen(prefix);
    if (c->ncol <= col || c->col[col].kind != FX_TEXT || c->col[col].n != pl + 2 ||
        memcmp(c->col[col].p, prefix, pl) != 0)
        return -1;
    int label = atoi((const char *)c->col[col].p + pl);
    return label >= 0 && label < VOTERS ? UNLABEL[label] : -1;
}

/* The attacker's orders from an image of the database: the voters of box
 * (who voted, by where their roll rows sit) and the authors of its texts
 * (by where the texts sit). Returns the number of pairs linked; *tau the
 * rank correlation of the two orders. */
static size_t placement_attack(const struct fx_db *db, long long box, const char *prefix,
                               double *tau)
{
    struct fx_cells roll = {0}, texts = {0};
    assert_true(fx_btree_cells(db, fx_root(db, "ballot_roll"), &roll) >= 0);
    assert_true(fx_btree_cells(db, fx_root(db, "ballot_texts"), &texts) >= 0);
    fx_sort_placement(&roll);
    fx_sort_placement(&texts);
    int64_t who[VOTERS], wrote[VOTERS];
    size_t nw = 0, nt = 0;
    for (size_t i = 0; i < roll.n; i++) {
        const struct fx_cell *c = &roll.v[i];
        int64_t v = voter_of_key(c);
        if (fx_int(c, 0) == box && fx_int(c, 2) == 1 && v >= 0 && nw < VOTERS) who[nw++] = v;
    }
    /* ballot_texts(box_id, q, text, mix): the text is column 2 */
    for (size_t i = 0; i < texts.n; i++) {
        const struct fx_cell *c = &texts.v[i];
        int64_t a = author_of_text(c, 2, prefix);
        if (fx_int(c, 0) == box && a >= 0 && nt < VOTERS) wrote[nt++] = a;
    }
    assert_int_equal(nw, VOTERS);
    assert_int_equal(nt, VOTERS);
    fx_cells_free(&roll);
    fx_cells_free(&texts);
    *tau = fx_order_tau(who, nw, wrote, nt);
    /* Also against the true order of voting, which the attacker would use
     * if either table kept it. */
    int64_t truth[VOTERS];
    for (int k = 0; k < VOTERS; k++)
        truth[k] = ORDER[k];
    size_t by_time = fx_pairs_correct(truth, VOTERS, wrote, nt);
    assert_true(by_time <= CHANCE_MAX);
    return fx_pairs_correct(who, nw, wrote, nt);
}

static void check_image(const char *db_path, const char *wal_path)
{
    struct fx_db *db = fx_db_open(db_path);
    assert_non_null(db);
    struct fx_wal w;
    assert_int_equal(fx_wal_open(wal_path, &w), 0);
    assert_int_equal(w.ncommitted, 0);
    assert_int_equal(fx_db_apply_wal(db, &w), 0);
    fx_wal_free(&w);
    double tau_w, tau_s;
    size_t wave = placement_attack(db, WAVE_BOX, "fx-comment-", &tau_w);
    size_t survey = placement_attack(db, SURVEY_BOX, "fx-text-", &tau_s);
    print_message("placement attack on %s: wave %zu of %d linked (tau %.2f), survey %zu (tau "
                  "%.2f)\n",
                  db_path, wave, VOTERS, tau_w, survey, tau_s);
    assert_true(wave <= CHANCE_MAX);
    assert_true(survey <= CHANCE_MAX);
    assert_true(tau_w > -0.4 && tau_w < 0.4);
    assert_true(tau_s > -0.4 && tau_s < 0.4);
    fx_db_free(db);
}

/* The copy taken while the server ran, right after closing. */
static void live_copy_links_nobody(void **state)
{
    (void)state;
    char db[400], wal[400];
    snprintf(db, sizeof db, "%s/live.db", S.dir);
    snprintf(wal, sizeof wal, "%s/live.db-wal", S.dir);
    check_image(db, wal);
}

/* The files after the server stopped, and no time finer than the box's
 * dates in any ballot table. */
static void stopped_files_link_nobody(void **state)
{
    (void)state;
    assert_int_equal(srv_halt(&S), 0); /* a clean stop */
    halted = 1;
    char wal[400];
    snprintf(wal, sizeof wal, "%s-wal", S.db);
    check_image(S.db, wal);
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(S.db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT count(*) FROM pragma_table_info('ballot_roll')"
                                        " UNION ALL SELECT count(*) FROM"
                                        " pragma_table_info('ballot_texts')"
                                        " UNION ALL SELECT count(*) FROM"
                                        " pragma_table_info('ballot_tallies')",
                                        -1, &st, NULL),
                     SQLITE_OK);
    /* voter, voted, listed; q, text, mix; q, v, n (and box_id each) */
    int want[] = {4, 4, 4}, k = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        assert_int_equal(sqlite3_column_int(st, 0), want[k++]);
    sqlite3_finalize(st);
    sqlite3_close(h);
    assert_int_equal(k, 3);
}

/* The control: the same people, the same order, the same texts, written
 * the way the old tables were (the fact of answering, then the answer,
 * one transaction a person) are linked by the same attack. */
static void naive_tables_are_linked(void **state)
{
    (void)state;
    char path[400];
    snprintf(path, sizeof path, "%s/naive.db", S.dir);
    unlink(path);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h,
                                  "PRAGMA journal_mode=WAL;"
                                  "CREATE TABLE ballot_roll(box_id INTEGER, voter TEXT,"
                                  " voted INTEGER, PRIMARY KEY(box_id, voter)) WITHOUT ROWID;"
                                  "CREATE TABLE ballot_texts(box_id INTEGER, q INTEGER,"
                                  " text TEXT, mix BLOB, PRIMARY KEY(box_id, mix)) WITHOUT ROWID;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    for (int k = 0; k < VOTERS; k++) {
        int i = ORDER[k];
        char sql[300];
        snprintf(sql, sizeof sql,
                 "BEGIN; INSERT INTO ballot_roll VALUES(%lld, 'm%lld', 1);"
                 " INSERT INTO ballot_texts VALUES(%lld, 0, 'fx-comment-%02d', randomblob(16));"
                 " COMMIT;",
                 WAVE_BOX, V[i].member, WAVE_BOX, LABEL[i]);
        assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    }
    assert_int_equal(sqlite3_exec(h, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    struct fx_db *db = fx_db_open(path);
    assert_non_null(db);
    /* The roll is keyed by voter, so its placement is the order of voting;
     * the texts' too: the attack links nearly everyone. */
    struct fx_cells roll = {0}, texts = {0};
    assert_true(fx_btree_cells(db, fx_root(db, "ballot_roll"), &roll) >= 0);
    assert_true(fx_btree_cells(db, fx_root(db, "ballot_texts"), &texts) >= 0);
    fx_sort_placement(&roll);
    fx_sort_placement(&texts);
    int64_t who[VOTERS], wrote[VOTERS];
    size_t nw = 0, nt = 0;
    for (size_t i = 0; i < roll.n && nw < VOTERS; i++)
        if (voter_of_key(&roll.v[i]) >= 0) who[nw++] = voter_of_key(&roll.v[i]);
    /* keyed (box_id, mix): the record holds the key first, the text is
     * its fourth column */
    for (size_t i = 0; i < texts.n && nt < VOTERS; i++)
        if (author_of_text(&texts.v[i], 3, "fx-comment-") >= 0)
            wrote[nt++] = author_of_text(&texts.v[i], 3, "fx-comment-");
    size_t linked = fx_pairs_correct(who, nw, wrote, nt);
    print_message("placement attack on tables written the old way: %zu of %d linked\n", linked,
                  VOTERS);
    assert_true(linked >= VOTERS - 4);
    fx_cells_free(&roll);
    fx_cells_free(&texts);
    fx_db_free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vote_all),
        cmocka_unit_test(live_copy_links_nobody),
        cmocka_unit_test(naive_tables_are_linked),
        cmocka_unit_test(stopped_files_link_nobody),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
