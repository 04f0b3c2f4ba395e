/* A seized disk yields no member list (issue 11): the proof.
 *
 * Through the HTTP interface, on an empty instance, an organizer makes a
 * closed and a secret community; three people join by invitation (one into
 * both, one into each); in each community they write what people write: a
 * description, talent entries, personal and shared values, a goal and an
 * action with a pledge, the vision, an answered sense-of-community wave
 * with a comment. Every text carries a word of its own ("qsec..." in the
 * secret community, "qclo..." in the closed one). Then the files are read
 * as an attacker who took them would read them, byte by byte
 * (tests/lib/forensic.h): a copy of the database and its WAL taken while
 * the server runs, an encrypted backup made meanwhile and restored with its
 * passphrase, and the database after the server stopped.
 *
 * Nothing of the secret community may be there: no text, no name, no
 * address, neither the one typed nor the random one it got; its members'
 * names and handles only in their own accounts' rows (an instance knows its
 * accounts), never in a row of anything else; no row ties an account to it.
 * Everything of the closed community is there, in clear, by the same scans:
 * so each check can fail. */
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

static struct srv S;
static int halted;

/* The two communities, by the tag their words carry. */
struct comm {
    const char *tag; /* "sec" or "clo" */
    const char *visibility;
    char home[64];    /* "/c/ADDRESS" */
    long long survey; /* its named survey */
};
static struct comm SEC = {"sec", "secret", "", 0}, CLO = {"clo", "closed", "", 0};

/* The fields every community gets a text in: the word is "q" TAG FIELD. */
static const char *const FIELDS[] = {
    "name",       "slug",      "desc",       "invnote", "talent",    "talbody",  "tag",
    "mine",       "value",     "vdesc",      "goal",    "action",    "skills",   "vision",
    "soccomment", "askmsg",    "askcontact", "reply",   "thanks",    "club",     "clubdesc",
    "clubwhen",   "clubwhere", "orgtalent",  "survey",  "survother", "survtext", NULL,
};

static struct client ORG, BOTH, ONLY_SEC, ONLY_CLO;

static int setup(void **state)
{
    (void)state;
    /* An empty instance whose administrator opened sign-up. */
    if (srv_start(&S, 0, NULL) != 0) return -1;
    return db_run(&S, "INSERT INTO settings(key, value) VALUES('open_signup', ?)", "1");
}

static int teardown(void **state)
{
    (void)state;
    int rc = srv_stop(&S);
    return halted || rc == 0 ? 0 : -1;
}

/* "q" tag field, in buf. */
static const char *word(const struct comm *k, const char *field, char *buf, size_t n)
{
    snprintf(buf, n, "q%s%s", k->tag, field);
    return buf;
}

/* A sentence that carries the word, so that texts read like texts. */
static const char *said(const struct comm *k, const char *field, char *buf, size_t n)
{
    char w[48];
    snprintf(buf, n, "Соседи %s договорились", word(k, field, w, sizeof w));
    return buf;
}

static void ok303(struct client *c, const char *path, const char *const *pairs)
{
    struct resp r;
    assert_int_equal(post_pairs(c, path, 0, pairs, &r), 0);
    if (r.status != 303) fail_msg("POST %s: %ld\n%.400s", path, r.status, r.body);
    resp_free(&r);
}

static const char *at(const struct comm *k, const char *rest, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s", k->home, rest);
    return buf;
}

/* A person: signed up with a handle and a display name of their own. */
static void person(struct client *c, const char *handle, const char *display)
{
    sign_up(c, &S, handle);
    const char *acc[] = {"display_name", display, "lang", "ru", NULL};
    ok303(c, "/account", acc);
}

static void community_new(struct comm *k)
{
    char name[96], slug[48], desc[96];
    const char *f[] = {"name",        said(k, "name", name, sizeof name),
                       "slug",        word(k, "slug", slug, sizeof slug),
                       "visibility",  k->visibility,
                       "description", said(k, "desc", desc, sizeof desc),
                       NULL};
    struct resp r;
    assert_int_equal(post_pairs(&ORG, "/c", 0, f, &r), 0);
    assert_int_equal(r.status, 303);
    resp_location(&r, k->home, sizeof k->home);
    resp_free(&r);
    /* A new secret community asks its organizers for a second factor
     * (test_second_factor.c); this test is about what the disk holds. */
    assert_int_equal(db_run(&S, "UPDATE communities SET organizers_second_factor = 0", NULL), 0);
}

static void join(struct comm *k, struct client *c)
{
    char path[128], note[96];
    const char *f[] = {"role", "member", "max_uses", "1",
                       "days", "7",      "note",     said(k, "invnote", note, sizeof note),
                       NULL};
    struct resp r;
    assert_int_equal(post_pairs(&ORG, at(k, "/invite", path, sizeof path), 1, f, &r), 0);
    assert_int_equal(r.status, 201);
    const char *link = jstr(r.json, "created.link");
    assert_non_null(link);
    char inv[160];
    snprintf(inv, sizeof inv, "%s", strstr(link, "/i/"));
    resp_free(&r);
    ok303(c, inv, NULL);
}

static long long newest(const char *sql)
{
    long long id = db_value(&S, sql, NULL);
    assert_true(id > 0);
    return id;
}

/* What members write in community k; m is a member, ORG its organizer. */
static void write_texts(struct comm *k, struct client *m)
{
    char path[192], a[96], b[96], c[96], ids[24], owner[24], day0[11], day7[11];
    const char *t1[] = {"kind",       "hobby",
                        "category",   "it",
                        "title",      said(k, "talent", a, sizeof a),
                        "body",       said(k, "talbody", b, sizeof b),
                        "tags",       word(k, "tag", c, sizeof c),
                        "visibility", "members",
                        NULL};
    ok303(m, at(k, "/talents", path, sizeof path), t1);
    long long entry = newest("SELECT max(id) FROM talent_entries");
    /* the organizer shares the hobby (a match, whose explanation names the
     * tag), asks for help with it; the member accepts; it is done, thanked */
    const char *t2[] = {"kind",       "hobby",
                        "category",   "it",
                        "title",      said(k, "orgtalent", a, sizeof a),
                        "tags",       word(k, "tag", c, sizeof c),
                        "visibility", "members",
                        NULL};
    ok303(&ORG, at(k, "/talents", path, sizeof path), t2);
    char sub[96];
    snprintf(sub, sizeof sub, "/talents/%lld/ask", entry);
    const char *ask[] = {"message", said(k, "askmsg", a, sizeof a), "contact",
                         word(k, "askcontact", b, sizeof b), NULL};
    ok303(&ORG, at(k, sub, path, sizeof path), ask);
    long long req = newest("SELECT max(id) FROM talent_requests");
    snprintf(sub, sizeof sub, "/talents/requests/%lld/accept", req);
    const char *acc[] = {"contact", word(k, "reply", a, sizeof a), NULL};
    ok303(m, at(k, sub, path, sizeof path), acc);
    snprintf(sub, sizeof sub, "/talents/requests/%lld/done", req);
    const char *done[] = {"thanks", said(k, "thanks", a, sizeof a), "hours", "2", NULL};
    ok303(&ORG, at(k, sub, path, sizeof path), done);
    /* and a club grows out of the entry */
    snprintf(sub, sizeof sub, "/talents/%lld/club", entry);
    char d[96], e[96];
    const char *club[] = {"club_name",
                          said(k, "club", a, sizeof a),
                          "club_description",
                          said(k, "clubdesc", b, sizeof b),
                          "club_when",
                          said(k, "clubwhen", d, sizeof d),
                          "club_where",
                          said(k, "clubwhere", e, sizeof e),
                          NULL};
    ok303(m, at(k, sub, path, sizeof path), club);
    const char *mine[] = {"kind",        "value",   "text", said(k, "mine", a, sizeof a),
                          "shared_with", "members", NULL};
    ok303(m, at(k, "/strategy/mine", path, sizeof path), mine);
    const char *val[] = {"title", said(k, "value", a, sizeof a), "description",
                         said(k, "vdesc", b, sizeof b), NULL};
    ok303(m, at(k, "/strategy/values", path, sizeof path), val);
    const char *goal[] = {"goal_title", said(k, "goal", a, sizeof a), NULL};
    ok303(&ORG, at(k, "/strategy/goals", path, sizeof path), goal);
    snprintf(ids, sizeof ids, "%lld", newest("SELECT max(id) FROM goals"));
    snprintf(owner, sizeof owner, "%lld", member_id_in(m, k->home + 3));
    const char *act[] = {"action_goal", ids,   "action_title", said(k, "action", a, sizeof a),
                         "owner",       owner, "due",          "2031-05-01",
                         "hours",       "3",   "skills",       said(k, "skills", b, sizeof b),
                         NULL};
    ok303(&ORG, at(k, "/strategy/actions", path, sizeof path), act);
    char pledge[64];
    snprintf(pledge, sizeof pledge, "/strategy/actions/%lld/pledge",
             newest("SELECT max(id) FROM actions"));
    const char *pl[] = {"pledge_hours", "2", "pledge_person", "1", NULL};
    ok303(m, at(k, pledge, path, sizeof path), pl);
    const char *vis[] = {"body", said(k, "vision", a, sizeof a), NULL};
    ok303(&ORG, at(k, "/strategy/text/vision", path, sizeof path), vis);
    const char *wv[] = {"opens_on", test_day(0, day0), "closes_on", test_day(7, day7), NULL};
    ok303(&ORG, at(k, "/soc/waves", path, sizeof path), wv);
    char answer[64];
    snprintf(answer, sizeof answer, "/soc/waves/%lld/answer",
             newest("SELECT max(id) FROM soc_waves"));
    const char *ans[] = {
        "membership", "7",          "influence", "6",           "integration",
        "8",          "connection", "9",         "c_influence", said(k, "soccomment", a, sizeof a),
        NULL};
    ok303(m, at(k, answer, path, sizeof path), ans);
    /* a named survey, answered with an "other" text and a free text */
    const char *tpl[] = {"template", "event", NULL};
    ok303(&ORG, at(k, "/surveys", path, sizeof path), tpl);
    k->survey = newest("SELECT max(id) FROM surveys");
    snprintf(sub, sizeof sub, "/surveys/%lld/edit", k->survey);
    const char *sv[] = {"title",     said(k, "survey", a, sizeof a),
                        "audience",  "members",
                        "opens_on",  test_day(0, day0),
                        "closes_on", test_day(7, day7),
                        NULL};
    ok303(&ORG, at(k, sub, path, sizeof path), sv);
    snprintf(sub, sizeof sub, "/surveys/%lld/publish", k->survey);
    ok303(&ORG, at(k, sub, path, sizeof path), NULL);
    snprintf(sub, sizeof sub, "/surveys/%lld/answer", k->survey);
    const char *sa[] = {"q1", "8",     "q2", "0",
                        "q2", "other", "o2", said(k, "survother", a, sizeof a),
                        "q3", "0",     "q4", said(k, "survtext", b, sizeof b),
                        NULL};
    ok303(m, at(k, sub, path, sizeof path), sa);
}

/* Members see what they and their neighbours wrote: sealing changes
 * nothing for them. wrote: m is the one who wrote (and a party to the
 * request for help, which only its two parties see). */
static void members_read_it(struct comm *k, struct client *m, int wrote)
{
    char path[192], w[48];
    struct resp r;
    char search[64];
    snprintf(search, sizeof search, "/talents?q=%s", word(k, "talent", w, sizeof w));
    /* the talent bank's search, tags, requests and clubs read what their
     * indexes hold: keyed hashes in the secret community */
    const char *const pages[] = {"",
                                 "/talents",
                                 search,
                                 "/talents/tags",
                                 "/talents/requests",
                                 "/talents/clubs",
                                 "/strategy/values",
                                 "/strategy/mine",
                                 "/strategy",
                                 NULL};
    static const char *const expect[] = {"desc", "talent", "talent", "tag",    "askmsg",
                                         "club", "value",  "mine",   "vision", NULL};
    for (int i = 0; pages[i]; i++) {
        if (!wrote && strcmp(pages[i], "/talents/requests") == 0) continue;
        assert_int_equal(client_get(m, at(k, pages[i], path, sizeof path), 0, &r), 0);
        assert_int_equal(r.status, 200);
        if (!resp_has(&r, word(k, expect[i], w, sizeof w)))
            fail_msg("%s does not show %s", path, w);
        resp_free(&r);
    }
    /* the survey's results list its texts, opened and grouped */
    char sub[64];
    snprintf(sub, sizeof sub, "/surveys/%lld/results", k->survey);
    assert_int_equal(client_get(&ORG, at(k, sub, path, sizeof path), 0, &r), 0);
    assert_int_equal(r.status, 200);
    static const char *const texts[] = {"survey", "survother", "survtext", NULL};
    for (int i = 0; texts[i]; i++)
        if (!resp_has(&r, word(k, texts[i], w, sizeof w))) fail_msg("%s does not show %s", path, w);
    resp_free(&r);
}

/* Occurrences of s in the file at path (0 for none or no file). */
static long in_file(const char *path, const char *s)
{
    long n = fx_file_count(path, s, strlen(s));
    assert_true(n >= 0);
    return n;
}

static void copy_file(const char *from, const char *to)
{
    assert_int_equal(fx_file_copy(from, to), 0);
}

/* Where each check looks. */
enum { F_LIVE_DB, F_LIVE_WAL, F_RESTORED, F_STOPPED, F_N };
static char FILES[F_N][400];
static const char *const FILE_NAMES[F_N] = {"live db", "live wal", "restored backup", "stopped db"};
static char ADDRESS[80]; /* the secret community's random address */

static void build_and_copy(void **state)
{
    (void)state;
    person(&ORG, "fx-organizer", "Организатор qorgperson");
    person(&BOTH, "fx-both", "Соседка qbothperson");
    person(&ONLY_SEC, "qsechandle", "Тайный qsecperson");
    person(&ONLY_CLO, "qclohandle", "Открытый qcloperson");
    community_new(&CLO);
    community_new(&SEC);
    snprintf(ADDRESS, sizeof ADDRESS, "%s", SEC.home + 3);
    assert_int_equal(strlen(ADDRESS), 24);
    join(&CLO, &BOTH);
    join(&CLO, &ONLY_CLO);
    join(&SEC, &BOTH);
    join(&SEC, &ONLY_SEC);
    write_texts(&CLO, &ONLY_CLO);
    write_texts(&SEC, &ONLY_SEC);
    members_read_it(&CLO, &ONLY_CLO, 1);
    members_read_it(&SEC, &ONLY_SEC, 1);
    members_read_it(&SEC, &BOTH, 0);

    /* Copies while the server runs: the file and its WAL as they are. */
    snprintf(FILES[F_LIVE_DB], sizeof FILES[0], "%s/live.db", S.dir);
    snprintf(FILES[F_LIVE_WAL], sizeof FILES[0], "%s/live.db-wal", S.dir);
    char wal[sizeof S.db + 8];
    snprintf(wal, sizeof wal, "%s-wal", S.db);
    copy_file(S.db, FILES[F_LIVE_DB]);
    copy_file(wal, FILES[F_LIVE_WAL]);
    /* A backup while it runs, restored with its passphrase. */
    char bak[400];
    snprintf(bak, sizeof bak, "%s/fx.hrb", S.dir);
    const char *pass = "correct-horse-battery-staple\n";
    assert_int_equal(srv_cli(&S, pass, (const char *[]){"backup", "--to", bak, NULL}), 0);
    assert_int_equal(in_file(bak, "qclo"), 0); /* the backup itself is encrypted */
    struct srv target;
    memset(&target, 0, sizeof target);
    snprintf(target.db, sizeof target.db, "%s/restored.db", S.dir);
    snprintf(FILES[F_RESTORED], sizeof FILES[0], "%s", target.db);
    assert_int_equal(srv_cli(&target, pass, (const char *[]){"restore", "--from", bak, NULL}), 0);
    /* And the file after a clean stop. */
    assert_int_equal(srv_halt(&S), 0);
    halted = 1;
    snprintf(FILES[F_STOPPED], sizeof FILES[0], "%s", S.db);
}

/* No word of the secret community in any file; every word of the closed
 * one in each database (the WAL copy holds what changed since the last
 * checkpoint: it is searched for the secret words only). */
static void no_text_of_the_secret_community(void **state)
{
    (void)state;
    char w[48];
    int missing = 0, found = 0;
    for (int f = 0; f < F_N; f++)
        for (int i = 0; FIELDS[i]; i++) {
            long sec = in_file(FILES[f], word(&SEC, FIELDS[i], w, sizeof w));
            if (sec) {
                fprintf(stderr, "forensic: %s holds %s %ld times\n", FILE_NAMES[f], w, sec);
                found++;
            }
            if (f == F_LIVE_WAL) continue;
            if (in_file(FILES[f], word(&CLO, FIELDS[i], w, sizeof w)) == 0) {
                fprintf(stderr, "forensic: %s lacks %s (the scan cannot see)\n", FILE_NAMES[f], w);
                missing++;
            }
        }
    for (int f = 0; f < F_N; f++) {
        long n = in_file(FILES[f], ADDRESS);
        if (n) fprintf(stderr, "forensic: %s holds the secret address\n", FILE_NAMES[f]);
        found += n > 0;
    }
    assert_int_equal(found, 0);
    assert_int_equal(missing, 0);
}

/* Occurrences of needle in the cells of every b-tree of the database at
 * path, split into those of the accounts table and its indexes and those of
 * anything else. */
static void cells_holding(const char *path, const char *needle, long *accounts, long *other)
{
    *accounts = *other = 0;
    struct fx_db *db = fx_db_open(path);
    assert_non_null(db);
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT name, tbl_name FROM sqlite_schema"
                                        " WHERE rootpage > 0",
                                        -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        int of_accounts = strcmp((const char *)sqlite3_column_text(st, 1), "accounts") == 0;
        struct fx_cells cells = {0};
        assert_true(fx_btree_cells(db, fx_root(db, name), &cells) >= 0);
        for (size_t i = 0; i < cells.n; i++) {
            long n = (long)fx_mem_count(cells.v[i].payload, cells.v[i].payload_len, needle,
                                        strlen(needle));
            if (n && !of_accounts) fprintf(stderr, "forensic: %s in a cell of %s\n", needle, name);
            *(of_accounts ? accounts : other) += n;
        }
        fx_cells_free(&cells);
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    fx_db_free(db);
}

/* A person's handle and display name are in their account's row, and, for
 * the secret community's members, nowhere else: not in a member row, not
 * in a list, not left in free space. The closed community's member's name
 * is in its member row, which is how this check could fail. */
static void names_only_in_accounts(void **state)
{
    (void)state;
    static const char *const secret[] = {"qsechandle", "qsecperson", NULL};
    for (int i = 0; secret[i]; i++) {
        long acc, other;
        cells_holding(FILES[F_STOPPED], secret[i], &acc, &other);
        assert_true(acc >= 1);
        assert_int_equal(other, 0);
        /* no copy outside live cells (free space, freed pages) either */
        assert_int_equal(in_file(FILES[F_STOPPED], secret[i]), acc);
    }
    long acc, other;
    cells_holding(FILES[F_STOPPED], "qcloperson", &acc, &other);
    assert_true(acc >= 1);
    assert_true(other >= 1);
    /* A member of both shows in the closed community's rows only: a name
     * there does not tell that they are in the secret one too. */
    cells_holding(FILES[F_STOPPED], "qbothperson", &acc, &other);
    assert_true(other >= 1);
}

/* No row ties an account to the secret community; the closed community's
 * links are rows, which this query sees. */
static void no_row_ties_an_account(void **state)
{
    (void)state;
    static const char links[] =
        "SELECT count(*) FROM member_accounts l JOIN communities c ON c.id = l.community_id"
        " WHERE c.visibility = ?";
    assert_int_equal(db_value(&S, links, "2"), 0);
    assert_int_equal(db_value(&S, links, "1"), 3); /* the organizer and two members */
    /* Its members are there, as rows with ids only: three, none linked. */
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM members m JOIN communities c"
                              " ON c.id = m.community_id WHERE c.visibility = 2"
                              " AND substr(m.name, 1, 1) = char(30)",
                              NULL),
                     3);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM join_requests r JOIN communities c"
                              " ON c.id = r.community_id WHERE c.visibility = 2",
                              NULL),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(build_and_copy),
        cmocka_unit_test(no_text_of_the_secret_community),
        cmocka_unit_test(names_only_in_accounts),
        cmocka_unit_test(no_row_ties_an_account),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
