/* Participatory budgeting (issue 15, step 1) over HTTP against a real
 * server with the demo: a process from its creation to its counted
 * results, projects and their review, the ballot with the server's total
 * and its exact excess, a ballot changed by its receipt, the same member
 * in four tabs at once counted once, and who may do what. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/check.h"
#include "lib/httpx.h"

#include <pthread.h>
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

static long long process_id(const char *title)
{
    return db_value(&S, "SELECT max(id) FROM budget_processes WHERE title = ?", title);
}

static long long project_id(const char *title)
{
    return db_value(&S, "SELECT max(id) FROM budget_projects WHERE title = ?", title);
}

static long long ballots_of(long long pid)
{
    char p[32];
    snprintf(p, sizeof p, "%lld", pid);
    return db_value(&S,
                    "SELECT count(DISTINCT receipt) FROM budget_ballots WHERE process_id ="
                    " CAST(? AS INTEGER)",
                    p);
}

/* The receipt code shown in a ballot's answer, into out. */
static void receipt_of(const char *html, char *out, size_t n)
{
    const char *a = html ? strstr(html, "<code>") : NULL;
    const char *b = a ? strstr(a, "</code>") : NULL;
    if (!a || !b || (size_t)(b - a - 6) >= n) fail_msg("no receipt in the answer");
    memcpy(out, a + 6, (size_t)(b - a - 6));
    out[b - a - 6] = 0;
}

static const char *pp(char *buf, size_t n, long long pid, const char *what)
{
    snprintf(buf, n, DS "/budgets/%lld%s", pid, what);
    return buf;
}

/* The process moved on to implementation: each selected project is an
 * initiative at its implementation stage with the project's cost as its
 * budget line (made in the move's transaction, once), and the results page
 * shows its stage and its tasks' progress. */
static void implementation_makes_initiatives(struct client *org, struct client *anon, long long pid)
{
    char p[160], id[32];
    snprintf(id, sizeof id, "%lld", pid);
    const char *at_work = "SELECT count(*) FROM budget_projects j JOIN budget_results r ON"
                          " r.project_id = j.id AND r.selected = 1 JOIN initiatives i ON"
                          " i.id = j.initiative_id AND i.state = 'work' AND i.stage = 3"
                          " WHERE j.process_id = CAST(? AS INTEGER)";
    const char *selected = "SELECT count(*) FROM budget_results WHERE selected = 1 AND"
                           " process_id = CAST(? AS INTEGER)";
    long long sel = db_value(&S, selected, id);
    long long before = db_value(&S, "SELECT count(*) FROM initiatives WHERE ?1 = ?1", "1");
    assert_true(sel >= 1);
    assert_int_equal(db_value(&S, at_work, id), 0);
    POST(org, pp(p, sizeof p, pid, "/next"), 303, "from", "results");
    assert_int_equal(db_value(&S, at_work, id), sel);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM initiatives WHERE ?1 = ?1", "1"),
                     before + sel);
    /* the cost, in kopecks, as the initiative's budget line; the move is
     * in its history, automatic */
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM budget_projects j JOIN budget_results r ON"
                              " r.project_id = j.id AND r.selected = 1 JOIN"
                              " initiative_budget_lines l ON l.initiative_id = j.initiative_id"
                              " AND l.amount = 100 * coalesce(j.reviewed_cost, j.cost) JOIN"
                              " initiative_history h ON h.initiative_id = j.initiative_id AND"
                              " h.automatic = 1 AND h.to_stage = 3"
                              " WHERE j.process_id = CAST(? AS INTEGER)",
                              id),
                     sel);
    /* moved twice, or past the last phase: refused, nothing made twice */
    POST(org, pp(p, sizeof p, pid, "/next"), 409, "from", "results");
    POST(org, pp(p, sizeof p, pid, "/next"), 409, "from", "implementation");
    assert_int_equal(db_value(&S, "SELECT count(*) FROM initiatives WHERE ?1 = ?1", "1"),
                     before + sel);
    json_t *v = get_json(anon, pp(p, sizeof p, pid, "/results"), 200);
    json_t *first = json_array_get(json_object_get(v, "results"), 0);
    long long ini = json_integer_value(json_object_get(first, "initiative_id"));
    assert_true(ini > 0);
    assert_int_equal(json_integer_value(json_object_get(first, "initiative_stage")), 3);
    assert_int_equal(json_integer_value(json_object_get(first, "tasks")), 0);
    json_decref(v);
    /* a task on the initiative, under way at 40 %: the results show it */
    snprintf(p, sizeof p, DS "/initiatives/%lld/tasks", ini);
    POST(org, p, 303, "task_title", "Купить материалы");
    char ip[32];
    snprintf(ip, sizeof ip, "%lld", ini);
    long long task = db_value(&S,
                              "SELECT max(id) FROM initiative_tasks WHERE initiative_id ="
                              " CAST(? AS INTEGER)",
                              ip);
    snprintf(p, sizeof p, DS "/initiatives/%lld/tasks/%lld/status", ini, task);
    POST(org, p, 303, "status", "in_progress", "progress", "40");
    v = get_json(anon, pp(p, sizeof p, pid, "/results"), 200);
    first = json_array_get(json_object_get(v, "results"), 0);
    assert_int_equal(json_integer_value(json_object_get(first, "tasks")), 1);
    assert_int_equal(json_integer_value(json_object_get(first, "progress")), 40);
    json_decref(v);
    char *html = get_html(anon, pp(p, sizeof p, pid, "/results"));
    char link[96];
    snprintf(link, sizeof link, "href=\"" DS "/initiatives/%lld\"", ini);
    assert_non_null(strstr(html, link));
    assert_non_null(strstr(html, "40&nbsp;%"));
    assert_non_null(strstr(html, "<rect class=\"bg-sel\" width=\"400\""));
    free(html);
}

static void a_process_from_proposals_to_results(void **state)
{
    (void)state;
    struct client org, m, anon, out;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    login_as(&anon, &S, NULL);
    login_as(&out, &S, "newcomer");
    /* settings: dates out of order are 422 beside the field, input kept */
    char *body =
        post_expect(&org, DS "/budgets", 422, "title", "Двор, лето", "amount", "100", "currency",
                    "RUB", "proposals_on", "2026-01-01", "review_on", "2026-02-01", "voting_on",
                    "2026-03-01", "results_on", "2026-02-15", "implementation_on", "2026-04-01",
                    "ballot", "approval", "method", "equal_shares", "max_total", "1", END);
    assert_non_null(strstr(body, "Двор, лето"));
    free(body);
    POST(&m, DS "/budgets", 403, "title", "x", "amount", "1", "currency", "RUB", "proposals_on",
         "2026-01-01", "review_on", "2026-01-01", "voting_on", "2026-01-01", "results_on",
         "2099-01-01", "implementation_on", "2099-01-01", "ballot", "approval", "method", "greedy");
    POST(&org, DS "/budgets", 303, "title", "Двор, лето", "amount", "100", "currency", "RUB",
         "proposals_on", "2026-01-01", "review_on", "2026-01-02", "voting_on", "2026-01-03",
         "results_on", "2099-01-01", "implementation_on", "2099-02-01", "ballot", "approval",
         "method", "equal_shares", "max_total", "1");
    long long pid = process_id("Двор, лето");
    assert_true(pid > 0);
    char p[160];
    /* projects: members propose; a bad cost is 422 */
    POST(&m, pp(p, sizeof p, pid, "/projects"), 422, "title", "A", "description", "d", "cost",
         "-5");
    POST(&out, pp(p, sizeof p, pid, "/projects"), 403, "title", "A", "description", "d", "cost",
         "5");
    POST(&m, pp(p, sizeof p, pid, "/projects"), 303, "title", "Проект А", "description", "Зачем",
         "cost", "60");
    POST(&m, pp(p, sizeof p, pid, "/projects"), 303, "title", "Проект Б", "description", "Зачем",
         "cost", "40");
    POST(&m, pp(p, sizeof p, pid, "/projects"), 303, "title", "Проект В", "description", "Зачем",
         "cost", "30");
    long long a = project_id("Проект А"), b = project_id("Проект Б"), c = project_id("Проект В");
    char rp[200];
    snprintf(rp, sizeof rp, DS "/budgets/%lld/projects/%lld/review", pid, b);
    /* not feasible needs a reason the author will see */
    POST(&org, rp, 422, "review", "infeasible");
    POST(&m, rp, 403, "review", "feasible");
    POST(&org, rp, 303, "review", "feasible");
    snprintf(rp, sizeof rp, DS "/budgets/%lld/projects/%lld/review", pid, a);
    POST(&org, rp, 303, "review", "feasible");
    snprintf(rp, sizeof rp, DS "/budgets/%lld/projects/%lld/review", pid, c);
    POST(&org, rp, 303, "review", "feasible");
    POST(&org, pp(p, sizeof p, pid, "/next"), 303, "from", "proposals");
    POST(&org, pp(p, sizeof p, pid, "/next"), 409, "from", "proposals"); /* moved already */
    POST(&org, pp(p, sizeof p, pid, "/next"), 303, "from", "review");

    /* the ballot: over the budget, the exact excess and the choice kept */
    char sa[24], sb[24], sc[24];
    snprintf(sa, sizeof sa, "%lld", a);
    snprintf(sb, sizeof sb, "%lld", b);
    snprintf(sc, sizeof sc, "%lld", c);
    body = post_expect(&m, pp(p, sizeof p, pid, "/vote"), 422, "project", sa, "project", sb,
                       "project", sc, END);
    assert_non_null(strstr(body, "30\xc2\xa0RUB"));
    assert_non_null(strstr(body, "checked"));
    free(body);
    /* the running total, nothing cast */
    body = post_expect(&m, pp(p, sizeof p, pid, "/vote"), 200, "project", sa, "project", sc,
                       "check", "1", END);
    assert_non_null(strstr(body, "90\xc2\xa0RUB"));
    free(body);
    assert_int_equal(ballots_of(pid), 0);
    /* a project of another process */
    POST(&m, pp(p, sizeof p, pid, "/vote"), 422, "project", "999999");
    POST(&out, pp(p, sizeof p, pid, "/vote"), 403, "project", sa);
    POST(&anon, pp(p, sizeof p, pid, "/vote"), 401, "project", sa);
    /* the hand count of test_budget: AC, AC, A, B */
    body = post_expect(&m, pp(p, sizeof p, pid, "/vote"), 200, "project", sb, END);
    char receipt[40];
    receipt_of(body, receipt, sizeof receipt);
    free(body);
    /* a second ballot without the receipt is refused; with it, replaces */
    POST(&m, pp(p, sizeof p, pid, "/vote"), 409, "project", sa);
    body = post_expect(&m, pp(p, sizeof p, pid, "/vote"), 200, "project", sa, "project", sc,
                       "receipt", receipt, END);
    free(body);
    assert_int_equal(ballots_of(pid), 1);
    const char *const who[] = {"dvor-sadovaya-12-1", "dvor-sadovaya-12-2", "dvor-sadovaya-12-3",
                               "dvor-sadovaya-12-4"};
    const char *const *picks[] = {(const char *[]){sa, sc, NULL}, (const char *[]){sa, NULL},
                                  (const char *[]){sb, NULL}, (const char *[]){sb, NULL}};
    for (int i = 0; i < 4; i++) {
        struct client v;
        login_as(&v, &S, who[i]);
        const char *pairs[8];
        int n = 0;
        for (int k = 0; picks[i][k]; k++) {
            pairs[n++] = "project";
            pairs[n++] = picks[i][k];
        }
        pairs[n] = NULL;
        assert_int_equal(post_status(&v, pp(p, sizeof p, pid, "/vote"), 0, pairs), 200);
        client_free(&v);
    }
    assert_int_equal(ballots_of(pid), 5);
    /* no results while voting */
    assert_int_equal(get_status(&anon, pp(p, sizeof p, pid, "/results"), 1), 404);
    POST(&org, pp(p, sizeof p, pid, "/next"), 303, "from", "voting");
    /* closed: no more ballots */
    POST(&m, pp(p, sizeof p, pid, "/vote"), 409, "project", sa, "receipt", receipt);
    /* the results are public in a public community, and say why */
    json_t *v = get_json(&anon, pp(p, sizeof p, pid, "/results"), 200);
    json_t *rows = json_object_get(v, "results");
    assert_int_equal(json_array_size(rows), 3);
    assert_true(json_is_true(json_object_get(json_array_get(rows, 0), "selected")));
    assert_non_null(json_string_value(json_object_get(json_array_get(rows, 0), "reason")));
    json_decref(v);
    implementation_makes_initiatives(&org, &anon, pid);
    char *csv = get_html(&anon, pp(p, sizeof p, pid, "/ballots.csv"));
    char compact[16] = "";
    size_t k = 0;
    for (const char *s = receipt; *s && k < sizeof compact - 1; s++)
        if (*s != '-') compact[k++] = *s;
    compact[k] = 0;
    assert_non_null(strstr(csv, compact));
    free(csv);
    client_free(&org);
    client_free(&m);
    client_free(&anon);
    client_free(&out);
}

struct shot {
    struct client c;
    const char *path;
    const char *project;
    long status;
};

static void *fire(void *arg)
{
    struct shot *s = arg;
    const char *pairs[] = {"project", s->project, NULL};
    s->status = post_status(&s->c, s->path, 0, pairs);
    return NULL;
}

/* One member's ballot sent from four tabs at once is cast once. */
static void four_tabs_at_once_count_once(void **state)
{
    (void)state;
    long long pid = process_id("Бюджет двора 2027");
    long long proj = project_id("Сетка для волейбола");
    assert_true(pid > 0 && proj > 0);
    char path[128], ps[24];
    pp(path, sizeof path, pid, "/vote");
    snprintf(ps, sizeof ps, "%lld", proj);
    long long before = ballots_of(pid);
    enum { N = 4 };
    struct shot shots[N];
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        login_as(&shots[i].c, &S, "dvor-sadovaya-12-7");
        shots[i].path = path;
        shots[i].project = ps;
    }
    for (int i = 0; i < N; i++)
        assert_int_equal(pthread_create(&th[i], NULL, fire, &shots[i]), 0);
    int wins = 0, lost = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        wins += shots[i].status == 200;
        lost += shots[i].status == 409;
        client_free(&shots[i].c);
    }
    assert_int_equal(wins, 1);
    assert_int_equal(lost, N - 1);
    assert_int_equal(ballots_of(pid), before + 1);
}

/* The demo: last year's process counted by equal shares shows its
 * reasons; this year's takes ballots within its limits. */
static void the_demo_has_a_counted_and_an_open_process(void **state)
{
    (void)state;
    struct client anon, m;
    login_as(&anon, &S, NULL);
    login_as(&m, &S, "member");
    long long last = process_id("Бюджет двора 2026"), cur = process_id("Бюджет двора 2027");
    char p[128];
    json_t *v = get_json(&anon, pp(p, sizeof p, last, "/results"), 200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "process"), "method")),
                        "equal_shares");
    json_decref(v);
    /* the bars, drawn on the server: a vote bar and a cost bar a project,
     * the selected ones marked and laid end to end against the amount */
    char *html = get_html(&anon, pp(p, sizeof p, last, "/results"));
    char lp[32];
    snprintf(lp, sizeof lp, "%lld", last);
    long long sel = db_value(&S,
                             "SELECT count(*) FROM budget_results WHERE selected = 1 AND"
                             " process_id = CAST(? AS INTEGER)",
                             lp);
    long long all = db_value(&S,
                             "SELECT count(*) FROM budget_results WHERE process_id ="
                             " CAST(? AS INTEGER)",
                             lp);
    int bars = 0, marked = 0;
    for (const char *q = html; (q = strstr(q, "<svg class=\"bg-bar\"")); q++)
        bars++;
    for (const char *q = html; (q = strstr(q, "class=\"bg-sel\"")); q++)
        marked++;
    assert_true(sel >= 2);
    /* carried into implementation: each selected project an initiative
     * at stage 3 with tasks under way, its progress a third bar */
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM budget_projects j JOIN budget_results r"
                              " ON r.project_id = j.id JOIN initiatives i ON i.id ="
                              " j.initiative_id WHERE r.selected = 1 AND i.state = 'work' AND"
                              " i.stage = 3 AND j.process_id = CAST(? AS INTEGER)",
                              lp),
                     sel);
    assert_int_equal(bars, 2 * all + sel);
    assert_int_equal(marked, 4 * sel); /* votes, cost, progress and the spent bar */
    assert_non_null(strstr(html, "<rect class=\"bg-sel\" x=\"0\""));
    assert_non_null(strstr(html, "Реализация"));
    assert_non_null(strstr(html, " · 50&nbsp;%")); /* done 100 and 0 to do */
    assert_null(strstr(html, "<script"));
    free(html);
    /* at most 3 projects and 150 000: four are refused with the count */
    const char *ids[4];
    char buf[4][24];
    const char *titles[] = {"Навес над песочницей", "Лавочки у второго подъезда",
                            "Сетка для волейбола", "Контейнеры для раздельного сбора"};
    for (int i = 0; i < 4; i++) {
        snprintf(buf[i], sizeof buf[i], "%lld", project_id(titles[i]));
        ids[i] = buf[i];
    }
    POST(&m, pp(p, sizeof p, cur, "/vote"), 422, "project", ids[0], "project", ids[1], "project",
         ids[2], "project", ids[3]);
    char *body = post_expect(&m, pp(p, sizeof p, cur, "/vote"), 422, "project", ids[0], "project",
                             ids[1], "project", ids[3], END);
    assert_non_null(strstr(body, "35\xc2\xa0"
                                 "000\xc2\xa0RUB")); /* 185 000 - 150 000 */
    free(body);
    assert_int_equal(get_status(&m, pp(p, sizeof p, cur, "/vote"), 0), 200);
    client_free(&anon);
    client_free(&m);
}

/* The counted demo process as a pabulib file, imported back by the
 * command line (the file's ids kept) and counted to the same outcome; a
 * malformed file names its line and makes nothing. */
static void pabulib_out_and_back_in(void **state)
{
    (void)state;
    struct client anon;
    login_as(&anon, &S, NULL);
    long long last = process_id("Бюджет двора 2026");
    char p[128];
    char *pb = get_html(&anon, pp(p, sizeof p, last, "/ballots.pb"));
    assert_non_null(strstr(pb, "META\nkey;value\n"));
    assert_non_null(strstr(pb, "vote_type;approval\n"));
    assert_non_null(strstr(pb, "PROJECTS\nproject_id;cost;votes;name;selected\n"));
    assert_non_null(strstr(pb, "VOTES\nvoter_id;vote\n"));
    char file[400];
    snprintf(file, sizeof file, "%s/demo.pb", S.dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs(pb, f);
    fclose(f);
    long long before = db_value(&S, "SELECT max(id) FROM budget_processes WHERE ?1 = ?1", "1");
    const char *imp[] = {"budget", "import", "--community", "dvor-sadovaya-12", file, NULL};
    assert_int_equal(srv_cli(&S, NULL, imp), 0);
    long long pid = db_value(&S, "SELECT max(id) FROM budget_processes WHERE ?1 = ?1", "1");
    assert_int_equal(pid, before + 1);
    char a[32], b[32];
    snprintf(a, sizeof a, "%lld", last);
    snprintf(b, sizeof b, "%lld", pid);
    /* the same projects selected in the same order, under the same ids:
     * the sum of id * order over the selected ones */
    const char *same = "SELECT sum(CAST(coalesce(j.ref, j.id) AS INTEGER) * r.ord) * 1000 +"
                       " count(*) FROM budget_results r JOIN budget_projects j ON"
                       " j.id = r.project_id WHERE r.process_id = CAST(? AS INTEGER)"
                       " AND r.selected = 1";
    assert_true(db_value(&S, same, a) > 1000);
    assert_int_equal(db_value(&S, same, a), db_value(&S, same, b));
    char id[32];
    snprintf(id, sizeof id, "%lld", pid);
    const char *cnt[] = {"budget", "count", "--process", id, "--method", "greedy", NULL};
    assert_int_equal(srv_cli(&S, NULL, cnt), 0);
    const char *bad_method[] = {"budget", "count", "--process", id, "--method", "borda", NULL};
    assert_int_not_equal(srv_cli(&S, NULL, bad_method), 0);
    /* a vote for a project the file does not list */
    char *bad = strdup(pb);
    char *votes = strstr(bad, "VOTES\nvoter_id;vote\n");
    assert_non_null(votes);
    char *line = strchr(votes + strlen("VOTES\nvoter_id;vote\n"), ';');
    assert_non_null(line);
    line[1] = 'Z';
    f = fopen(file, "w");
    fputs(bad, f);
    fclose(f);
    assert_int_not_equal(srv_cli(&S, NULL, imp), 0);
    assert_int_equal(db_value(&S, "SELECT max(id) FROM budget_processes WHERE ?1 = ?1", "1"), pid);
    free(bad);
    free(pb);
    client_free(&anon);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_process_from_proposals_to_results),
        cmocka_unit_test(four_tabs_at_once_count_once),
        cmocka_unit_test(the_demo_has_a_counted_and_an_open_process),
        cmocka_unit_test(pabulib_out_and_back_in),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
