/* The forensic reader (tests/lib/forensic.h) against real SQLite files:
 * it decodes what SQLite wrote, it finds the links an attacker finds in a
 * naive schema (insertion order in the pages, transactions in the WAL), it
 * does not invent links where there are none, and its substring scan sees
 * text left in a file. Each case builds its database in its own temporary
 * directory, in WAL mode with synchronous=FULL like the server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/forensic.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N 200        /* participants */
#define BIG_EVERY 25 /* every 25th comment is a few KB: it spills to overflow pages */
#define BIG_LEN 3000
#define VOTE_SLOT 8 /* short slots: the votes table fits in one page */

/* ---- Scaffolding ---- */

struct tmp {
    char dir[256];
};

static void tmp_make(struct tmp *t)
{
    /* Memory-backed storage when there is some: the cases commit some 900
     * transactions with synchronous=FULL, whose fsyncs take seconds on a
     * disk and change nothing in what SQLite writes. */
    const char *base = getenv("TMPDIR");
    if (!base || !*base) base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(t->dir, sizeof t->dir, "%s/hramada-forensic-XXXXXX", base);
    assert_non_null(mkdtemp(t->dir));
}

static const char *tmp_path(const struct tmp *t, const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", t->dir, name);
    return buf;
}

static void tmp_remove(struct tmp *t)
{
    DIR *d = opendir(t->dir);
    if (d) {
        const struct dirent *e;
        char p[600];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            snprintf(p, sizeof p, "%s/%s", t->dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(t->dir);
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, k, out), k);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

static void run(sqlite3 *h, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, err ? err : "?");
        sqlite3_free(err);
        fail();
    }
}

static sqlite3 *open_db(const char *path)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    run(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
    return h;
}

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t rnd(void)
{
    /* splitmix64: a fixed seed, so that a failure can be replayed */
    uint64_t z = (rng += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* ---- The naive ballot box ---- */

struct person {
    int64_t account;
    unsigned char slot[16];
    int rating;
    char comment[BIG_LEN + 32];
};

static struct person people[N]; /* in the order they vote */

static void make_people(void)
{
    for (int i = 0; i < N; i++) {
        struct person *p = &people[i];
        int fresh;
        do { /* distinct random accounts, so that key order says nothing */
            p->account = (int64_t)(rnd() % 1000000) + 1;
            fresh = 1;
            for (int j = 0; j < i; j++)
                fresh &= people[j].account != p->account;
        } while (!fresh);
        for (int k = 0; k < 16; k++)
            p->slot[k] = (unsigned char)rnd();
        p->rating = (int)(rnd() % 10) + 1;
        if (i % BIG_EVERY == 0) {
            int n = snprintf(p->comment, sizeof p->comment, "long comment %d:", i);
            for (; n < BIG_LEN; n++)
                p->comment[n] = (char)('a' + (n * 7 + i) % 26);
            p->comment[BIG_LEN] = 0;
        } else {
            snprintf(p->comment, sizeof p->comment, "comment %d", i);
        }
    }
}

static void new_slot(struct person *p)
{
    for (int k = 0; k < 16; k++)
        p->slot[k] = (unsigned char)rnd();
}

static const char schema[] =
    "CREATE TABLE participation(wave INTEGER, account INTEGER,"
    " PRIMARY KEY(wave, account)) WITHOUT ROWID;"
    "CREATE TABLE answers(wave INTEGER, slot BLOB, rating INTEGER, comment TEXT,"
    " PRIMARY KEY(wave, slot)) WITHOUT ROWID;"
    "CREATE TABLE votes(wave INTEGER, slot BLOB, rating INTEGER, PRIMARY KEY(wave, slot))"
    " WITHOUT ROWID;"
    "CREATE TABLE participation_r(id INTEGER PRIMARY KEY, wave INTEGER, account INTEGER);"
    "CREATE TABLE answers_r(id INTEGER PRIMARY KEY, wave INTEGER, slot BLOB, rating INTEGER,"
    " comment TEXT);";

static void insert_answer(sqlite3 *h, const char *table, const struct person *p)
{
    char sql[160];
    snprintf(sql, sizeof sql, "INSERT INTO %s(wave, slot, rating, comment) VALUES(1, ?1, ?2, ?3)",
             table);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, p->slot, 16, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, p->rating);
    sqlite3_bind_text(st, 3, p->comment, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static void insert_vote(sqlite3 *h, const struct person *p)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h, "INSERT INTO votes VALUES(1, ?1, ?2)", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_blob(st, 1, p->slot, VOTE_SLOT, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, p->rating);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* One transaction per person: their participation, then their answer, in
 * both the WITHOUT ROWID and the rowid tables. */
static void vote_all(sqlite3 *h)
{
    for (int i = 0; i < N; i++) {
        run(h, "BEGIN IMMEDIATE");
        sqlite3_stmt *st;
        assert_int_equal(
            sqlite3_prepare_v2(h, "INSERT INTO participation VALUES(1, ?1)", -1, &st, NULL),
            SQLITE_OK);
        sqlite3_bind_int64(st, 1, people[i].account);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
        insert_answer(h, "answers", &people[i]);
        assert_int_equal(sqlite3_prepare_v2(h,
                                            "INSERT INTO participation_r(wave, account)"
                                            " VALUES(1, ?1)",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_int64(st, 1, people[i].account);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
        insert_answer(h, "answers_r", &people[i]);
        insert_vote(h, &people[i]);
        run(h, "COMMIT");
    }
}

/* The person (the true ballot id) behind a participation or answer cell;
 * -1 when none. acol: the account's column; scol: the slot's. */
static int64_t who_by_account(const struct fx_cell *c, int acol)
{
    for (int i = 0; i < N; i++)
        if (fx_int(c, acol) == people[i].account) return i;
    return -1;
}

static int64_t who_by_slot(const struct fx_cell *c, int scol)
{
    /* A vote's slot is the first VOTE_SLOT bytes of the answer's. */
    size_t n = c->ncol == 3 ? VOTE_SLOT : 16;
    for (int i = 0; i < N; i++)
        if (fx_bytes_eq(c, scol, people[i].slot, n)) return i;
    return -1;
}

/* The cells of table name in db, asserting the tree reads cleanly. */
static void table_cells(const struct fx_db *db, const char *path, const char *name,
                        struct fx_cells *out)
{
    uint32_t root = fx_root(db, name);
    assert_true(root > 1);
    if (path) assert_int_equal(root, fx_root_sqlite(path, name));
    *out = (struct fx_cells){0};
    assert_int_equal(fx_btree_cells(db, root, out), 0);
}

/* Pairs the two tables' cells in the attacker's placement order (or, with
 * by_rowid, in rowid order): how many people it links to their answer. */
static size_t pair_by_order_tau(struct fx_cells *part, int acol, struct fx_cells *ans, int scol,
                                int by_rowid, double *tau)
{
    if (by_rowid) {
        fx_sort_rowid(part);
        fx_sort_rowid(ans);
    } else {
        fx_sort_placement(part);
        fx_sort_placement(ans);
    }
    int64_t a[N], b[N];
    assert_int_equal(part->n, N);
    assert_int_equal(ans->n, N);
    for (size_t i = 0; i < N; i++) {
        a[i] = who_by_account(&part->v[i], acol);
        b[i] = who_by_slot(&ans->v[i], scol);
        assert_true(a[i] >= 0 && b[i] >= 0);
    }
    if (tau) *tau = fx_order_tau(a, N, b, N);
    return fx_pairs_correct(a, N, b, N);
}

static size_t pair_by_order(struct fx_cells *part, int acol, struct fx_cells *ans, int scol,
                            int by_rowid)
{
    return pair_by_order_tau(part, acol, ans, scol, by_rowid, NULL);
}

/* ---- The cases ---- */

/* Every serial type decodes to the value SQLite was given. */
static void decodes_every_serial_type(void **state)
{
    (void)state;
    struct tmp t = {""};
    tmp_make(&t);
    char path[300];
    sqlite3 *h = open_db(tmp_path(&t, "kinds.db", path, sizeof path));
    run(h, "CREATE TABLE k(a, b, c, d, e, f, g, h, i, j, l, m, n, o, p);"
           "INSERT INTO k VALUES(NULL, 0, 1, -128, 32767, -8388608, 2147483647,"
           " -140737488355328, -9223372036854775807 - 1, 127, 1.5, 'текст', x'00ff10',"
           " '', x'');"
           /* rowids whose varints take all nine bytes */
           "INSERT INTO k(rowid, a) VALUES(-5, 1), (9223372036854775807, 2);"
           "PRAGMA wal_checkpoint(TRUNCATE);");
    sqlite3_close(h);
    struct fx_db *db = fx_db_open(path);
    assert_non_null(db);
    assert_int_equal(fx_db_page_size(db), 4096);
    struct fx_cells c;
    table_cells(db, path, "k", &c);
    assert_int_equal(c.n, 3);
    assert_true(c.v[0].rowid == -5 && fx_int(&c.v[0], 0) == 1);
    assert_true(c.v[2].rowid == INT64_MAX && fx_int(&c.v[2], 0) == 2);
    const struct fx_cell *r = &c.v[1];
    assert_true(r->has_rowid && r->rowid == 1 && r->complete && r->page_type == 0x0d);
    assert_int_equal(r->ncol, 15);
    static const uint64_t serial[15] = {0, 8, 9, 1, 2, 3, 4, 5, 6, 1, 7, 33, 18, 13, 12};
    static const int64_t ival[10] = {
        0, 0, 1, -128, 32767, -8388608, 2147483647, -140737488355328, INT64_MIN, 127};
    for (int i = 0; i < 15; i++)
        assert_int_equal(r->col[i].serial, serial[i]);
    assert_int_equal(r->col[0].kind, FX_NULL);
    for (int i = 1; i < 10; i++) {
        assert_int_equal(r->col[i].kind, FX_INT);
        assert_true(r->col[i].i == ival[i]);
    }
    assert_true(r->col[10].kind == FX_REAL && r->col[10].r == 1.5);
    assert_int_equal(r->col[11].kind, FX_TEXT);
    assert_string_equal((const char *)r->col[11].p, "текст");
    assert_true(fx_bytes_eq(r, 12, "\x00\xff\x10", 3) && r->col[12].kind == FX_BLOB);
    assert_true(r->col[13].kind == FX_TEXT && r->col[13].n == 0);
    assert_true(r->col[14].kind == FX_BLOB && r->col[14].n == 0);
    /* A deep copy stands on its own. */
    struct fx_cells copy = {0};
    assert_int_equal(fx_cells_push_copy(&copy, r), 0);
    fx_cells_free(&c);
    assert_string_equal((const char *)copy.v[0].col[11].p, "текст");
    fx_cells_free(&copy);
    fx_db_free(db);
    tmp_remove(&t);
}

/* Damaged or hostile bytes (a copy may be cut short or tampered with) are
 * skipped, never followed out of bounds or round in a loop. */
static void damaged_pages_are_survived(void **state)
{
    (void)state;
    struct tmp t = {""};
    tmp_make(&t);
    char path[300];
    sqlite3 *h = open_db(tmp_path(&t, "damaged.db", path, sizeof path));
    run(h, "CREATE TABLE w(a INTEGER, b TEXT, PRIMARY KEY(a)) WITHOUT ROWID;"
           "CREATE TABLE r(a INTEGER PRIMARY KEY, b TEXT);"
           "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120)"
           " INSERT INTO w SELECT i, printf('%0*d', (i % 5) * 1500, i) FROM n;"
           "INSERT INTO r SELECT a, b FROM w;"
           "PRAGMA wal_checkpoint(TRUNCATE);");
    sqlite3_close(h);
    struct fx_db *db = fx_db_open(path);
    assert_non_null(db);
    uint32_t roots[2] = {fx_root(db, "w"), fx_root(db, "r")};
    struct fx_cells c = {0};
    assert_int_equal(fx_btree_cells(db, roots[0], &c), 0);
    assert_int_equal(c.n, 120);
    fx_cells_free(&c);
    uint32_t ps = fx_db_page_size(db), np = fx_db_page_count(db);
    /* Three pages damaged at a time, then put back. */
    unsigned char *page = malloc(ps), *keep = malloc(3 * (size_t)ps);
    assert_true(page && keep);
    struct fx_db *d = fx_db_dup(db);
    assert_non_null(d);
    size_t found = 0;
    for (int round = 0; round < 300; round++) {
        uint32_t pg[3];
        for (int k = 0; k < 3; k++) {
            pg[k] = (uint32_t)(rnd() % np) + 1;
            memcpy(keep + (size_t)k * ps, fx_db_page(d, pg[k]), ps);
            memcpy(page, fx_db_page(d, pg[k]), ps);
            for (int j = 0; j < 8; j++)
                page[rnd() % ps] = (unsigned char)rnd();
            if (round % 3 == 0) /* a child pointer back to the root: a loop */
                memcpy(page + (pg[k] == 1 ? 108 : 8), (unsigned char[]){0, 0, 0, 2}, 4);
            assert_int_equal(fx_db_put_page(d, pg[k], page), 0);
        }
        for (int i = 0; i < 2; i++) {
            assert_true(fx_btree_cells(d, roots[i], &c) >= 0);
            found += c.n;
            fx_cells_free(&c);
        }
        for (int k = 2; k >= 0; k--)
            fx_db_put_page(d, pg[k], keep + (size_t)k * ps);
    }
    fx_db_free(d);
    free(keep);
    printf("forensic: 300 damaged copies walked, %zu cells read from them\n", found);
    /* Not a database: refused. */
    assert_null(fx_db_from_mem((const unsigned char *)"SQLite format 2", 16));
    free(page);
    fx_db_free(db);
    tmp_remove(&t);
}

/* Case 1: after a checkpoint, the cells' places in their pages give the
 * order of insertion, and pairing the two orders links people to answers. */
static void file_placement_links_naive_tables(void **state)
{
    (void)state;
    struct tmp t = {""};
    tmp_make(&t);
    char path[300];
    tmp_path(&t, "naive.db", path, sizeof path);
    make_people();
    sqlite3 *h = open_db(path);
    run(h, schema);
    vote_all(h);
    run(h, "PRAGMA wal_checkpoint(TRUNCATE);");
    sqlite3_close(h);

    struct fx_db *db = fx_db_open(path);
    assert_non_null(db);
    struct fx_cells part, ans, part_r, ans_r;
    table_cells(db, path, "participation", &part);
    table_cells(db, path, "answers", &ans);
    table_cells(db, path, "participation_r", &part_r);
    table_cells(db, path, "answers_r", &ans_r);

    /* Records decode in full, overflow chains included. */
    size_t spilled = 0;
    for (size_t i = 0; i < ans.n; i++) {
        const struct fx_cell *c = &ans.v[i];
        int64_t who = who_by_slot(c, 1);
        assert_true(who >= 0 && c->complete && c->ncol == 4);
        assert_int_equal(fx_int(c, 2), people[who].rating);
        assert_string_equal((const char *)c->col[3].p, people[who].comment);
        if (c->overflow) {
            spilled++;
            assert_true(c->local_len < c->payload_len);
        }
    }
    for (size_t i = 0; i < ans_r.n; i++) {
        const struct fx_cell *c = &ans_r.v[i];
        assert_true(c->has_rowid && c->complete && c->ncol == 5);
        assert_string_equal((const char *)c->col[4].p, people[c->rowid - 1].comment);
    }
    assert_int_equal(spilled, N / BIG_EVERY);

    /* Key order pairs only by chance: the scoring itself proves nothing. */
    struct fx_cells votes;
    table_cells(db, path, "votes", &votes);
    int64_t a[N], b[N];
    for (size_t i = 0; i < N; i++) {
        a[i] = who_by_account(&part.v[i], 1);
        b[i] = who_by_slot(&votes.v[i], 1);
    }
    size_t by_key = fx_pairs_correct(a, N, b, N);
    double tau_key = fx_order_tau(a, N, b, N);
    /* Tables that fit in one page (participation, votes) and rowid tables
     * (whose new rows always go to the last page) keep the order of
     * insertion in the placement of their cells. */
    assert_int_equal(part.v[0].page, part.v[N - 1].page);
    assert_int_equal(votes.v[0].page, votes.v[N - 1].page);
    double tau, tau_multi;
    size_t placed = pair_by_order_tau(&part, 1, &votes, 1, 0, &tau);
    size_t placed_r = pair_by_order(&part_r, 2, &ans_r, 2, 0);
    size_t rowid_r = pair_by_order(&part_r, 2, &ans_r, 2, 1);
    /* A WITHOUT ROWID table of many pages with random keys: each split
     * lays the cells it moves out in key order, and only the cells written
     * into a page since its last rebalance keep their order of arrival (at
     * the bottom of the page). Pairing position by position then fails, but
     * the order is still there piecewise, which tau measures. */
    size_t placed_multi = pair_by_order_tau(&part, 1, &ans, 1, 0, &tau_multi);
    uint32_t pages = 1;
    for (size_t i = 1; i < N; i++)
        pages += ans.v[i].page != ans.v[i - 1].page;
    printf("forensic: file, WITHOUT ROWID participation and votes (one page each): key order "
           "links %zu of %d (tau %.2f), placement order %zu of %d (tau %.2f)\n",
           by_key, N, tau_key, placed, N, tau);
    printf("forensic: file, rowid tables: placement order links %zu of %d, rowid order %zu of "
           "%d\n",
           placed_r, N, rowid_r, N);
    printf("forensic: file, WITHOUT ROWID answers on %u leaf pages: placement order links %zu of "
           "%d, tau %.2f\n",
           pages, placed_multi, N, tau_multi);
    assert_true(by_key <= 10);
    assert_true(tau_key > -0.15 && tau_key < 0.15);
    assert_true(placed >= 190);
    assert_true(tau > 0.95);
    assert_true(placed_r >= 190);
    assert_int_equal(rowid_r, N);
    assert_true(pages > 1);
    assert_true(tau_multi > 0.1); /* a leak, though no pair is exact */
    fx_cells_free(&votes);
    fx_cells_free(&part);
    fx_cells_free(&ans);
    fx_cells_free(&part_r);
    fx_cells_free(&ans_r);
    fx_db_free(db);
    tmp_remove(&t);
}

/* Pairs the cells each commit added to A and B: one of each is a link. */
static size_t pair_commits(const struct fx_replay *r, int acol, int scol, size_t *commits)
{
    size_t k = 0;
    *commits = 0;
    for (size_t i = 0; i < r->n; i++) {
        const struct fx_commit *c = &r->v[i];
        if (c->added[0].n != 1 || c->added[1].n != 1) continue;
        (*commits)++;
        int64_t who = who_by_account(&c->added[0].v[0], acol);
        k += who >= 0 && who == who_by_slot(&c->added[1].v[0], scol);
    }
    return k;
}

/* Case 2: frames still in the WAL: replaying them commit by commit shows
 * which participation and which answer each transaction added. */
static void wal_replay_links_transactions(void **state)
{
    (void)state;
    struct tmp t = {""};
    tmp_make(&t);
    char path[300], dbpath[300], walpath[300], before[300], frames[300];
    tmp_path(&t, "live.db", path, sizeof path);
    tmp_path(&t, "live.db-wal", walpath, sizeof walpath);
    tmp_path(&t, "before.db", before, sizeof before);
    tmp_path(&t, "frames.wal", frames, sizeof frames);
    make_people();
    sqlite3 *h = open_db(path);
    run(h, schema);
    run(h, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA wal_autocheckpoint=0;");
    vote_all(h);
    /* Closing the last connection checkpoints and deletes the WAL: copy the
     * file and its WAL aside first, as a copy taken from a live server. */
    copy_file(path, before);
    copy_file(walpath, frames);
    sqlite3_close(h);
    memcpy(dbpath, path, sizeof dbpath);

    struct fx_db *db = fx_db_open(before);
    assert_non_null(db);
    struct fx_wal wal;
    assert_int_equal(fx_wal_open(frames, &wal), 0);
    assert_true(wal.header_ok);
    assert_int_equal(wal.page_size, 4096);
    assert_int_equal(wal.nvalid, wal.nframes);
    assert_int_equal(wal.ncommitted, wal.nframes);
    assert_int_equal(wal.ncommits, N);

    /* Before the replay the main file holds empty tables. */
    struct fx_cells none;
    table_cells(db, before, "answers", &none);
    assert_int_equal(none.n, 0);
    fx_cells_free(&none);

    struct fx_replay r, rr;
    assert_int_equal(
        fx_wal_replay(db, &wal, fx_root(db, "participation"), fx_root(db, "answers"), &r), 0);
    assert_int_equal(
        fx_wal_replay(db, &wal, fx_root(db, "participation_r"), fx_root(db, "answers_r"), &rr), 0);
    assert_int_equal(r.problems, 0);
    assert_int_equal(r.n, N);
    size_t commits, commits_r;
    size_t linked = pair_commits(&r, 1, 1, &commits);
    size_t linked_r = pair_commits(&rr, 2, 2, &commits_r);
    printf("forensic: WAL of %zu frames, %zu commits: WITHOUT ROWID tables linked %zu of %d "
           "(%zu commits with one cell in each), rowid tables %zu of %d\n",
           wal.nframes, wal.ncommits, linked, N, commits, linked_r, N);
    assert_true(linked >= 190);
    assert_true(linked_r >= 190);
    /* A split moves cells between pages; they are not reported as new. */
    for (size_t i = 0; i < r.n; i++)
        assert_true(r.v[i].added[1].n <= 1);

    /* The main file with the WAL laid over it is what SQLite wrote at close. */
    assert_int_equal(fx_db_apply_wal(db, &wal), 0);
    struct fx_db *after = fx_db_open(dbpath);
    assert_non_null(after);
    struct fx_cells x, y;
    table_cells(db, NULL, "answers", &x);
    table_cells(after, dbpath, "answers", &y);
    assert_int_equal(x.n, N);
    assert_int_equal(y.n, N);
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(x.v[i].payload_len, y.v[i].payload_len);
        assert_memory_equal(x.v[i].payload, y.v[i].payload, x.v[i].payload_len);
    }
    fx_cells_free(&x);
    fx_cells_free(&y);
    fx_db_free(after);
    fx_replay_free(&r);
    fx_replay_free(&rr);
    fx_wal_free(&wal);
    fx_db_free(db);
    tmp_remove(&t);
}

/* After a checkpoint the WAL starts over: frames of the previous cycle stay
 * in the file with the old salts and do not count. */
static void wal_stale_frames_are_flagged(void **state)
{
    (void)state;
    struct tmp t = {""};
    tmp_make(&t);
    char path[300], walpath[300], frames[300];
    tmp_path(&t, "reset.db", path, sizeof path);
    tmp_path(&t, "reset.db-wal", walpath, sizeof walpath);
    tmp_path(&t, "frames.wal", frames, sizeof frames);
    sqlite3 *h = open_db(path);
    run(h, "PRAGMA wal_autocheckpoint=0; CREATE TABLE t(x, y);");
    for (int i = 0; i < 20; i++)
        run(h, "INSERT INTO t VALUES(randomblob(3000), 'a row from before the reset')");
    run(h, "PRAGMA wal_checkpoint(PASSIVE);");
    run(h, "INSERT INTO t VALUES(NULL, 'after the reset')");
    copy_file(walpath, frames);
    sqlite3_close(h);

    struct fx_wal wal;
    assert_int_equal(fx_wal_open(frames, &wal), 0);
    printf("forensic: reset WAL: %zu frames in the file, %zu valid, %zu commits\n", wal.nframes,
           wal.nvalid, wal.ncommits);
    assert_true(wal.nvalid >= 1 && wal.nvalid < wal.nframes);
    assert_int_equal(wal.ncommits, 1);
    assert_false(wal.frames[wal.nvalid].valid);
    assert_false(wal.frames[wal.nvalid].committed);
    assert_true(wal.frames[wal.nvalid].salt1 != wal.salt1);
    /* Stale frames do not count, but their pages are still there to read. */
    struct fx_db *db = fx_db_open(path);
    assert_non_null(db);
    size_t stale_rows = 0;
    for (size_t i = wal.nvalid; i < wal.nframes; i++) {
        struct fx_cells c = {0};
        if (wal.frames[i].page[0] == 0x0d)
            fx_page_cells(db, wal.frames[i].pgno, wal.frames[i].page, &c);
        for (size_t j = 0; j < c.n; j++)
            stale_rows += fx_bytes_eq(&c.v[j], 1, "a row from before the reset", 27);
        fx_cells_free(&c);
    }
    printf("forensic: rows readable in the stale frames: %zu\n", stale_rows);
    assert_true(stale_rows >= 20);
    fx_db_free(db);
    fx_wal_free(&wal);
    /* A file that is not a WAL is refused; a missing one has no frames. */
    assert_int_equal(fx_wal_open(path, &wal), -1);
    assert_int_equal(fx_wal_open(walpath, &wal), 0);
    assert_int_equal(wal.nframes, 0);
    tmp_remove(&t);
}

/* The people linked by pairing participation with votes in placement order,
 * in the database file at path, and the orders' tau. */
static size_t file_links(const char *path, double *tau)
{
    struct fx_db *db = fx_db_open(path);
    assert_non_null(db);
    struct fx_cells part, votes;
    table_cells(db, path, "participation", &part);
    table_cells(db, path, "votes", &votes);
    size_t k = pair_by_order_tau(&part, 1, &votes, 1, 0, tau);
    fx_cells_free(&part);
    fx_cells_free(&votes);
    fx_db_free(db);
    return k;
}

/* Case 3: the votes re-written in a random order, with fresh slots, in one
 * transaction once all are in, and the WAL truncated: the same pairing that
 * linked everyone now finds no more than chance, and no old slot is left. */
static void shuffled_rewrite_leaves_only_chance(void **state)
{
    (void)state;
    struct tmp t = {""};
    tmp_make(&t);
    char path[300], walpath[300];
    tmp_path(&t, "shuffled.db", path, sizeof path);
    tmp_path(&t, "shuffled.db-wal", walpath, sizeof walpath);
    make_people();
    sqlite3 *h = open_db(path);
    run(h, schema);
    vote_all(h);
    run(h, "PRAGMA wal_checkpoint(TRUNCATE);");
    double tau_before, tau_after;
    size_t before = file_links(path, &tau_before);
    unsigned char old[N][VOTE_SLOT];
    for (int i = 0; i < N; i++)
        memcpy(old[i], people[i].slot, VOTE_SLOT);

    run(h, "PRAGMA secure_delete=ON; BEGIN IMMEDIATE; DELETE FROM votes;");
    int order[N];
    for (int i = 0; i < N; i++)
        order[i] = i;
    for (int i = N - 1; i > 0; i--) {
        int j = (int)(rnd() % (uint64_t)(i + 1)), x = order[i];
        order[i] = order[j];
        order[j] = x;
    }
    for (int i = 0; i < N; i++) {
        /* Fresh slots; answers keep the old ones, so no answer matches */
        new_slot(&people[order[i]]);
        insert_vote(h, &people[order[i]]);
    }
    run(h, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE);");
    struct fx_wal wal;
    assert_int_equal(fx_wal_open(walpath, &wal), 0);
    assert_int_equal(wal.nframes, 0);
    fx_wal_free(&wal);
    size_t after = file_links(path, &tau_after);
    run(h, "DELETE FROM answers; DELETE FROM answers_r; PRAGMA wal_checkpoint(TRUNCATE);");
    sqlite3_close(h);
    long left = 0;
    for (int i = 0; i < N; i++)
        left += fx_file_count(path, old[i], VOTE_SLOT);
    printf("forensic: votes re-written in a random order: placement order links %zu of %d "
           "(tau %.2f) before, %zu (tau %.2f) after; old slots left in the file: %ld\n",
           before, N, tau_before, after, tau_after, left);
    assert_true(before >= 190);
    assert_true(after <= 10);
    assert_true(tau_after > -0.15 && tau_after < 0.15);
    assert_int_equal(left, 0);
    tmp_remove(&t);
}

/* Case 4: the substring scan finds a comment, and no longer finds it once
 * deleted with secure_delete and checkpointed; without secure_delete the
 * deleted text stays in the freed space. */
static void substring_scan_sees_deleted_text(void **state)
{
    (void)state;
    struct tmp t = {""};
    tmp_make(&t);
    char path[300], walpath[300];
    tmp_path(&t, "scan.db", path, sizeof path);
    tmp_path(&t, "scan.db-wal", walpath, sizeof walpath);
    static const char kept[] = "needle-kept-7f3a", gone[] = "needle-gone-51c9";
    sqlite3 *h = open_db(path);
    run(h, "CREATE TABLE c(id INTEGER PRIMARY KEY, body TEXT);"
           "INSERT INTO c(body) VALUES('needle-kept-7f3a'), ('needle-gone-51c9'),"
           " ('needle-left-0d2e'), ('other');");
    assert_true(fx_file_count(walpath, kept, strlen(kept)) >= 1); /* in the WAL first */
    run(h, "PRAGMA wal_checkpoint(TRUNCATE);");
    assert_int_equal(fx_file_count(walpath, kept, strlen(kept)), 0);
    assert_int_equal(fx_file_count(path, kept, strlen(kept)), 1);
    assert_int_equal(fx_file_count(path, gone, strlen(gone)), 1);
    run(h, "PRAGMA secure_delete=ON; DELETE FROM c WHERE body = 'needle-gone-51c9';"
           "PRAGMA wal_checkpoint(TRUNCATE);");
    long in_file = fx_file_count(path, gone, strlen(gone));
    long in_wal = fx_file_count(walpath, gone, strlen(gone));
    run(h, "PRAGMA secure_delete=OFF; DELETE FROM c WHERE body = 'needle-left-0d2e';"
           "PRAGMA wal_checkpoint(TRUNCATE);");
    long left = fx_file_count(path, "needle-left-0d2e", 16);
    sqlite3_close(h);
    printf("forensic: deleted with secure_delete: %ld in the file, %ld in the WAL; without: "
           "%ld\n",
           in_file, in_wal, left);
    assert_int_equal(in_file, 0);
    assert_int_equal(in_wal, 0);
    assert_true(left >= 1);
    assert_int_equal(fx_file_count(path, kept, strlen(kept)), 1);
    assert_int_equal(fx_mem_count("aaaa", 4, "aa", 2), 3);
    assert_int_equal(fx_file_count(walpath, kept, strlen(kept)), 0); /* gone at close */
    tmp_remove(&t);
}

/* Where the cell of account acc sits in cells (key order); fails if absent. */
static const struct fx_cell *cell_of(const struct fx_cells *c, int col, int64_t acc)
{
    for (size_t i = 0; i < c->n; i++)
        if (fx_int(&c->v[i], col) == acc) return &c->v[i];
    fail();
    return NULL;
}

/* What the ballot box relies on: an UPDATE that keeps a record's size (a
 * flag from 0 to 1, serial type 8 to 9) rewrites the cell where it is, in a
 * WITHOUT ROWID and in a rowid table. A freeblock below the row (a deleted
 * row) tells an overwrite in place from a delete and re-insert, which would
 * take the first freeblock that fits. A change of size moves the cell. In
 * the WAL, the commit of the UPDATE still shows which row it changed. */
static void same_size_update_stays_in_place(void **state)
{
    (void)state;
    struct tmp t = {""};
    tmp_make(&t);
    char path[300], walpath[300], before[300], frames[300];
    tmp_path(&t, "update.db", path, sizeof path);
    tmp_path(&t, "update.db-wal", walpath, sizeof walpath);
    tmp_path(&t, "before.db", before, sizeof before);
    tmp_path(&t, "frames.wal", frames, sizeof frames);
    sqlite3 *h = open_db(path);
    run(h, "CREATE TABLE roll(wave INTEGER, account INTEGER, voted INTEGER,"
           " PRIMARY KEY(wave, account)) WITHOUT ROWID;"
           "CREATE TABLE roll_r(id INTEGER PRIMARY KEY, account INTEGER, voted INTEGER);");
    for (int i = 0; i < 50; i++) {
        char sql[160];
        int acc = (i * 37) % 50 + 1; /* account 17 is the 19th row, 27 the 49th */
        snprintf(sql, sizeof sql,
                 "INSERT INTO roll VALUES(1, %d, 0); INSERT INTO roll_r(account, voted) "
                 "VALUES(%d, 0);",
                 acc, acc);
        run(h, sql);
    }
    run(h, "DELETE FROM roll WHERE account = 27; DELETE FROM roll_r WHERE account = 27;"
           "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA wal_autocheckpoint=0;");
    struct fx_db *db = fx_db_open(path);
    struct fx_cells b, br;
    table_cells(db, NULL, "roll", &b);
    table_cells(db, NULL, "roll_r", &br);
    fx_db_free(db);
    copy_file(path, before);
    run(h, "UPDATE roll SET voted = 1 WHERE wave = 1 AND account = 17;"
           "UPDATE roll_r SET voted = 1 WHERE account = 17;"
           "UPDATE roll SET voted = 300 WHERE wave = 1 AND account = 5;");
    copy_file(walpath, frames);
    run(h, "PRAGMA wal_checkpoint(TRUNCATE);");
    sqlite3_close(h);
    db = fx_db_open(path);
    struct fx_cells a, ar;
    table_cells(db, NULL, "roll", &a);
    table_cells(db, NULL, "roll_r", &ar);
    assert_int_equal(a.n, 49);
    assert_int_equal(ar.n, 49);
    const struct fx_cell *x = cell_of(&b, 1, 17), *y = cell_of(&a, 1, 17);
    assert_int_equal(x->col[2].serial, 8);
    assert_int_equal(y->col[2].serial, 9);
    assert_int_equal(x->payload_len, y->payload_len);
    assert_int_equal(x->offset, y->offset);
    assert_true(cell_of(&br, 1, 17)->offset == cell_of(&ar, 1, 17)->offset);
    int moved = 0, moved_r = 0;
    for (int64_t acc = 1; acc <= 50; acc++) {
        if (acc == 27 || acc == 5) continue;
        moved += cell_of(&a, 1, acc)->offset != cell_of(&b, 1, acc)->offset;
        moved_r += cell_of(&ar, 1, acc)->offset != cell_of(&br, 1, acc)->offset;
    }
    int grown_moved = cell_of(&a, 1, 5)->offset != cell_of(&b, 1, 5)->offset;
    printf("forensic: same-size UPDATE 0 -> 1: %d of 48 WITHOUT ROWID cells moved, %d of 48 "
           "rowid cells moved; a record grown by 2 bytes moved: %s\n",
           moved, moved_r, grown_moved ? "yes" : "no");
    assert_int_equal(moved, 0);
    assert_int_equal(moved_r, 0);
    assert_true(grown_moved);

    struct fx_db *old = fx_db_open(before);
    struct fx_wal wal;
    struct fx_replay r;
    assert_int_equal(fx_wal_open(frames, &wal), 0);
    assert_int_equal(fx_wal_replay(old, &wal, fx_root(old, "roll"), fx_root(old, "roll_r"), &r), 0);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.v[0].added[0].n, 1);
    assert_int_equal(r.v[0].removed[0].n, 1);
    assert_int_equal(fx_int(&r.v[0].added[0].v[0], 1), 17);
    assert_int_equal(r.v[0].added[1].n + r.v[0].removed[1].n, 0);
    assert_int_equal(r.v[1].added[1].n, 1);
    assert_int_equal(fx_int(&r.v[1].added[1].v[0], 1), 17);
    assert_int_equal(fx_int(&r.v[2].added[0].v[0], 2), 300);
    fx_replay_free(&r);
    fx_wal_free(&wal);
    fx_db_free(old);
    fx_cells_free(&a);
    fx_cells_free(&b);
    fx_cells_free(&ar);
    fx_cells_free(&br);
    fx_db_free(db);
    tmp_remove(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decodes_every_serial_type),
        cmocka_unit_test(damaged_pages_are_survived),
        cmocka_unit_test(file_placement_links_naive_tables),
        cmocka_unit_test(wal_replay_links_transactions),
        cmocka_unit_test(wal_stale_frames_are_flagged),
        cmocka_unit_test(shuffled_rewrite_leaves_only_chance),
        cmocka_unit_test(substring_scan_sees_deleted_text),
        cmocka_unit_test(same_size_update_stays_in_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
