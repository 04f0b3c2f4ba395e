/* Pabulib both ways (issue 15, step 2), through the command line against
 * the demo's database: a counted process exported as a .pb file, imported
 * with `hramada budget import` and counted with `hramada budget count` by
 * both methods to the same selected ids as the original; a cumulative
 * file counted as computed by hand; and every kind of malformed file
 * answered with its line, creating nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/check.h"
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

static long long processes(void)
{
    return db_value(&S, "SELECT count(*) FROM budget_processes WHERE ?1 = ?1", "1");
}

static const char *write_file(const char *name, const char *text)
{
    static char path[400];
    snprintf(path, sizeof path, "%s/%s", S.dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* hramada budget import: the printed process id (0 with *err on failure). */
static long long import(const char *path, char **err)
{
    const char *args[] = {"budget", "import", "--community", "dvor-sadovaya-12", path, NULL};
    char *out = NULL, *e = NULL;
    int rc = srv_cli_capture(&S, args, &out, &e);
    long long id = rc == 0 ? atoll(out) : 0;
    free(out);
    if (err)
        *err = e;
    else
        free(e);
    return id;
}

/* hramada budget count's standard output (malloc'd). */
static char *count(long long pid, const char *method)
{
    char id[32];
    snprintf(id, sizeof id, "%lld", pid);
    const char *args[] = {"budget", "count", "--process", id, "--method", method, NULL};
    char *out = NULL;
    assert_int_equal(srv_cli_capture(&S, args, &out, NULL), 0);
    return out;
}

/* The demo's process of last year (counted by equal shares): out as a
 * file and back in, recounted by both methods to the same ids, and the
 * re-export of the imported one carries the same ballots. */
static void round_trip_recounts_to_the_same_ids(void **state)
{
    (void)state;
    struct client anon;
    login_as(&anon, &S, NULL);
    long long last =
        db_value(&S, "SELECT max(id) FROM budget_processes WHERE title = ?", "Бюджет двора 2026");
    char p[128];
    snprintf(p, sizeof p, DS "/budgets/%lld/ballots.pb", last);
    char *pb = get_html(&anon, p);
    assert_non_null(strstr(pb, "rule;equal-shares\n"));
    long long before = processes();
    long long pid = import(write_file("demo.pb", pb), NULL);
    assert_true(pid > last);
    assert_int_equal(processes(), before + 1);

    /* the stored count of the original, in the order bought */
    char a[32];
    snprintf(a, sizeof a, "%lld", last);
    long long stored = db_value(&S,
                                "SELECT count(*) FROM budget_results WHERE process_id ="
                                " CAST(? AS INTEGER) AND selected = 1",
                                a);
    assert_true(stored >= 2);
    const char *methods[] = {"equal-shares", "greedy"};
    for (int i = 0; i < 2; i++) {
        char *orig = count(last, methods[i]), *back = count(pid, methods[i]);
        assert_true(strlen(orig) > 2);
        assert_string_equal(orig, back);
        if (i == 0) {
            /* the command's equal shares is the stored count */
            long long lines = 0;
            for (const char *c = orig; *c; c++)
                lines += *c == '\n';
            assert_int_equal(lines, stored);
            char *first = strdup(orig);
            first[strcspn(first, "\n")] = 0;
            assert_int_equal(db_value(&S,
                                      "SELECT project_id FROM budget_results WHERE selected = 1"
                                      " AND process_id = CAST(? AS INTEGER) ORDER BY ord LIMIT 1",
                                      a),
                             atoll(first));
            free(first);
        }
        free(orig);
        free(back);
    }
    /* the imported process's own file: the same projects and ballots */
    snprintf(p, sizeof p, DS "/budgets/%lld/ballots.pb", pid);
    char *again = get_html(&anon, p);
    assert_string_equal(strstr(again, "PROJECTS\n"), strstr(pb, "PROJECTS\n"));
    free(again);
    free(pb);
    client_free(&anon);
}

/* A cumulative file computed by hand. Budget 100, 4 voters of 10 points:
 * a costs 60 (16 points), b 50 (15), c 40 (9). Greedy: a, then c (b no
 * longer fits). Equal shares, a share of 25 each: a's two supporters have
 * 50 < 60; b costs its supporters 5 a point (v4 pays 25 of the 10 points'
 * 50, v3 its 25), c 40/9 a point: per unit of cost b is cheaper (0.1
 * against 0.111) and is bought; then v3 has nothing left, so neither a
 * (50) nor c (25 for 40) can be paid. Raised to 26..29 the outcome stays b
 * (c needs 3s - 50 >= 40); at 30 it would be b and a, 110 over the budget:
 * b alone. */
static void cumulative_counted_as_by_hand(void **state)
{
    (void)state;
    const char *pb = "META\n"
                     "key;value\n"
                     "description;Hand count\n"
                     "num_projects;3\n"
                     "num_votes;4\n"
                     "budget;100\n"
                     "vote_type;cumulative\n"
                     "max_sum_points;10\n"
                     "rule;equal-shares\n"
                     "PROJECTS\n"
                     "project_id;cost;name\n"
                     "a;60;Project a\n"
                     "b;50;Project b\n"
                     "c;40;Project c\n"
                     "VOTES\n"
                     "voter_id;vote;points\n"
                     "v1;a;10\n"
                     "v2;a,c;6,4\n"
                     "v3;b,c;5,5\n"
                     "v4;b;10\n";
    long long pid = import(write_file("hand.pb", pb), NULL);
    assert_true(pid > 0);
    char *g = count(pid, "greedy"), *es = count(pid, "equal-shares");
    assert_string_equal(g, "a\nc\n");
    assert_string_equal(es, "b\n");
    free(g);
    free(es);
}

/* Each kind of malformed file: the error names its line (blank lines
 * counted), and no process, project or ballot is left behind. */
static void malformed_files_name_the_line_and_make_nothing(void **state)
{
    (void)state;
#define HEAD "META\nkey;value\nbudget;100\n"
#define PROJ "PROJECTS\nproject_id;cost\np1;40\np2;70\n"
#define VOTE "VOTES\nvoter_id;vote\n"
    static const struct {
        const char *text, *says;
    } bad[] = {
        {"hello\n", "line 1: the file must begin with META"},
        {"PROJECTS\nproject_id;cost\n", "line 1: the sections must be"},
        {"META\nkey;value\n\nbudget;ten\n", "line 4: the budget must be a whole number"},
        {"META\nkey;value\nvote_type;ordinal\n", "line 3: vote_type ordinal is not supported"},
        {"META\nkey;value\n" PROJ VOTE "v1;p1\n", "line 7: META has no budget"},
        {HEAD "PROJECTS\nproject_id;votes\n", "line 5: PROJECTS needs the columns"},
        {HEAD "PROJECTS\nproject_id;cost\np1;40\np1;50\n", "line 7: project p1 is listed twice"},
        {HEAD "PROJECTS\nproject_id;cost\np1;0\n", "line 6: the cost of project p1"},
        {HEAD "PROJECTS\nproject_id;cost\np1;40;7\n", "line 6: 3 fields where the header has 2"},
        {HEAD "PROJECTS\nproject_id;cost\nVOTES\n", "line 6: there are no projects"},
        {HEAD PROJ "VOTES\nvoter;vote\n", "line 9: VOTES needs the columns"},
        {HEAD PROJ VOTE "v1;p1\nv2;p3\n", "line 11: voter v2 votes for p3, not a project"},
        {HEAD PROJ VOTE "v1;p1\n\nv1;p2\n", "line 12: voter v1 votes twice"},
        {HEAD PROJ VOTE "v1;p1,p1\n", "line 10: voter v1 names p1 twice"},
        {HEAD "vote_type;cumulative\n" PROJ VOTE, "line 10: a cumulative file needs the column"},
        {HEAD "vote_type;cumulative\nmax_sum_points;5\n" PROJ "VOTES\nvoter_id;vote;points\n"
              "v1;p1,p2;3\n",
         "line 12: voter v1's points do not match"},
        {HEAD "vote_type;cumulative\nmax_sum_points;5\n" PROJ "VOTES\nvoter_id;vote;points\n"
              "v1;p1,p2;3,3\n",
         "line 12: voter v1 gives 6 points of 5"},
        {HEAD PROJ, "no VOTES section"},
    };
#undef HEAD
#undef PROJ
#undef VOTE
    long long before = processes();
    long long projects = db_value(&S, "SELECT count(*) FROM budget_projects WHERE ?1 = ?1", "1");
    long long ballots = db_value(&S, "SELECT count(*) FROM budget_ballots WHERE ?1 = ?1", "1");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *err = NULL;
        long long pid = import(write_file("bad.pb", bad[i].text), &err);
        if (pid != 0 || !strstr(err, bad[i].says) || !strstr(err, "nothing was imported"))
            fail_msg("file %zu: \"%s\" wanted \"%s\"", i, err, bad[i].says);
        free(err);
    }
    assert_int_equal(processes(), before);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM budget_projects WHERE ?1 = ?1", "1"),
                     projects);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM budget_ballots WHERE ?1 = ?1", "1"),
                     ballots);
    /* a community that is not there, and a method that is not one */
    const char *args[] = {
        "budget", "import", "--community", "no-such", write_file("x.pb", "META\n"), NULL};
    char *err = NULL;
    assert_int_not_equal(srv_cli_capture(&S, args, NULL, &err), 0);
    assert_non_null(strstr(err, "there is no community no-such"));
    free(err);
    const char *method[] = {"budget", "count", "--process", "1", "--method", "borda", NULL};
    assert_int_equal(srv_cli_capture(&S, method, NULL, NULL), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip_recounts_to_the_same_ids),
        cmocka_unit_test(cumulative_counted_as_by_hand),
        cmocka_unit_test(malformed_files_name_the_line_and_make_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
