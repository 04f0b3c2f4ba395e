/* A participatory budget from its creation to its results in a real
 * headless Chromium without JavaScript: the organizer creates a process,
 * members propose projects, the organizer reviews them (one feasible at a
 * reviewed cost, one not feasible with a reason its author then sees) and
 * opens the vote; a member's knapsack ballot over the budget is answered
 * with the exact excess and the choice kept, the ballot within it gets a
 * receipt code; the organizer closes and counts; the results page shows
 * the selected projects, the reasons and the bars, finds the ballot by its
 * receipt, and the receipt is in the published ballot file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/browse.h"
#include "lib/httpx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv S;
static struct wd *W;

#define DS "/c/dvor-sadovaya-12"

static int setup(void **state)
{
    (void)state;
    if (srv_start(&S, 1, NULL) != 0) return -1;
    W = wd_open(0);
    return W ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    wd_close(W);
    return srv_stop(&S) == 0 ? 0 : -1;
}

static void submit(const char *action)
{
    char css[128];
    snprintf(css, sizeof css, "form[action$='%s'] button[type=submit]", action);
    assert_int_equal(wd_click_nav(W, css), 0);
}

static long long project_id(const char *title)
{
    return db_value(&S, "SELECT max(id) FROM budget_projects WHERE title = ?", title);
}

/* A member proposes a project through the form of the process at url. */
static void propose(const char *who, const char *url, const char *title, const char *place,
                    const char *cost)
{
    browse_sign_in(W, &S, who);
    assert_int_equal(wd_get(W, url), 0);
    assert_int_equal(wd_click_nav(W, "a[href$='/projects/new']"), 0);
    assert_int_equal(wd_type(W, "#title", title), 0);
    assert_int_equal(wd_type(W, "#description", "Сделаем вместе с соседями этим летом."), 0);
    assert_int_equal(wd_type(W, "#place", place), 0);
    assert_int_equal(wd_type(W, "#cost", cost), 0);
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]"), 0);
    assert_true(browse_has(W, title));
    browse_sign_out(W, &S);
}

/* The organizer's review of a project (on the process page at url). */
static void review(const char *url, const char *title, const char *verdict, const char *reason,
                   const char *cost)
{
    assert_int_equal(wd_get(W, url), 0);
    char css[96];
    snprintf(css, sizeof css, "a[href$='/projects/%lld/review']", project_id(title));
    assert_int_equal(wd_click_nav(W, css), 0);
    snprintf(css, sizeof css, "input[name=review][value=%s]", verdict);
    assert_int_equal(wd_click(W, css), 0);
    if (reason) assert_int_equal(wd_type(W, "#reason", reason), 0);
    if (cost) assert_int_equal(wd_type(W, "#reviewed_cost", cost), 0);
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]"), 0);
}

static void tick(const char *title)
{
    char css[64];
    snprintf(css, sizeof css, "input[name=project][value='%lld']", project_id(title));
    assert_int_equal(wd_click(W, css), 0);
}

static void from_creation_to_results(void **state)
{
    (void)state;
    /* the organizer creates the process: 100 RUB, approval within the
     * amount, equal shares */
    browse_sign_in(W, &S, "organizer");
    browse_go(W, &S, DS "/budgets/new");
    assert_int_equal(wd_type(W, "#title", "Двор, лето у арки"), 0);
    assert_int_equal(wd_type(W, "#description", "Сто рублей на общие дела у арки."), 0);
    assert_int_equal(wd_type(W, "#amount", "100"), 0);
    assert_int_equal(wd_select(W, "#currency", "RUB"), 0);
    /* a date field is typed as a person types it in the browser's locale
     * (ru-RU: day, month, year) */
    static const char *const dates[][2] = {{"#proposals_on", "01012026"},
                                           {"#review_on", "02012026"},
                                           {"#voting_on", "03012026"},
                                           {"#results_on", "01012099"},
                                           {"#implementation_on", "01022099"}};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
        assert_int_equal(wd_type(W, dates[i][0], dates[i][1]), 0);
    assert_int_equal(wd_select(W, "#ballot", "approval"), 0);
    assert_int_equal(wd_click(W, "input[name=max_total]"), 0);
    assert_int_equal(wd_select(W, "#method", "equal_shares"), 0);
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]"), 0);
    assert_true(browse_has(W, "Двор, лето у арки"));
    long long pid =
        db_value(&S, "SELECT max(id) FROM budget_processes WHERE title = ?", "Двор, лето у арки");
    if (pid <= 0) {
        char *src = wd_source(W);
        const char *e = src ? strstr(src, "field-error") : NULL;
        fprintf(stderr, "not created: %.300s\n", e ? e : "(no field error)");
        free(src);
    }
    assert_true(pid > 0);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d" DS "/budgets/%lld", S.port, pid);
    browse_sign_out(W, &S);

    /* members propose */
    propose("member", url, "Лавочка у арки", "у арки", "60");
    propose("dvor-sadovaya-12-1", url, "Фонтан во дворе", "середина двора", "500");
    propose("dvor-sadovaya-12-2", url, "Клумба у арки", "у арки", "40");

    /* the review: one at a reviewed cost, one not feasible with a reason */
    browse_sign_in(W, &S, "organizer");
    review(url, "Лавочка у арки", "feasible", NULL, "70");
    review(url, "Фонтан во дворе", "infeasible", "Во дворе нет водопровода.", NULL);
    review(url, "Клумба у арки", "feasible", NULL, NULL);
    assert_int_equal(wd_get(W, url), 0);
    submit("/next"); /* proposals -> review */
    submit("/next"); /* review -> voting */
    assert_true(browse_has(W, "aria-current=\"step\">Голосование"));
    browse_sign_out(W, &S);

    /* the author of the project not feasible sees why */
    browse_sign_in(W, &S, "dvor-sadovaya-12-1");
    assert_int_equal(wd_get(W, url), 0);
    assert_true(browse_has(W, "Во дворе нет водопровода."));
    browse_sign_out(W, &S);

    /* the knapsack ballot: 70 + 40 is 10 over the 100, said exactly, the
     * choice kept; then within it, a receipt */
    browse_sign_in(W, &S, "member");
    assert_int_equal(wd_get(W, url), 0);
    assert_int_equal(wd_click_nav(W, "a[href$='/vote']"), 0);
    assert_false(browse_has(W, "Фонтан во дворе")); /* not on the ballot */
    tick("Лавочка у арки");
    tick("Клумба у арки");
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]:not([name])"), 0);
    assert_true(browse_has(W, "Выбранное стоит больше бюджета."));
    assert_true(
        browse_has(W, "Превышение: 10&nbsp;RUB." /* the source names the no-break space */));
    assert_int_equal(wd_count(W, "input[name=project]:checked"), 2);
    tick("Клумба у арки");
    /* the server's running total, nothing cast */
    assert_int_equal(wd_click_nav(W, "main form button[name=check]"), 0);
    assert_true(browse_has(W, "<strong>70&nbsp;RUB</strong>"));
    assert_int_equal(wd_count(W, "input[name=project]:checked"), 1);
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]:not([name])"), 0);
    assert_true(browse_has(W, "ваш бюллетень принят"));
    char *receipt = wd_text(W, "p.receipt code");
    assert_non_null(receipt);
    assert_int_equal(strlen(receipt), 14);
    browse_sign_out(W, &S);

    /* enough ballots for the community's threshold, cast over HTTP */
    char sa[24], sb[24], vp[128];
    snprintf(sa, sizeof sa, "%lld", project_id("Лавочка у арки"));
    snprintf(sb, sizeof sb, "%lld", project_id("Клумба у арки"));
    snprintf(vp, sizeof vp, DS "/budgets/%lld/vote", pid);
    const char *const who[] = {"dvor-sadovaya-12-1", "dvor-sadovaya-12-2", "dvor-sadovaya-12-3",
                               "dvor-sadovaya-12-5"};
    for (int i = 0; i < 4; i++) {
        struct client v;
        login_as(&v, &S, who[i]);
        const char *pairs[] = {"project", i < 3 ? sa : sb, NULL};
        assert_int_equal(post_form(&v, vp, pairs), 200);
        client_free(&v);
    }

    /* the organizer closes and counts; the results say who won and why */
    browse_sign_in(W, &S, "organizer");
    assert_int_equal(wd_get(W, url), 0);
    submit("/next"); /* voting -> results, counted */
    assert_int_equal(wd_get(W, url), 0);
    assert_int_equal(wd_click_nav(W, "a[href$='/results']"), 0);
    assert_true(browse_has(W, "<strong>Выбран</strong>"));
    assert_true(browse_has(W, "Лавочка у арки"));
    assert_true(browse_has(W, "Куплен: каждый из 4 сторонников"));
    assert_true(wd_count(W, "svg.bg-bar") >= 4);
    assert_int_equal(wd_count(W, "svg.bg-bar-wide rect.bg-sel"), 1);
    /* the ballot found by its receipt */
    assert_int_equal(wd_type(W, "#receipt", receipt), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/results'] button[type=submit]"), 0);
    assert_true(browse_has(W, "<li>Лавочка у арки</li>"));
    browse_sign_out(W, &S);

    /* and in the published ballot file, under its code */
    struct client anon;
    login_as(&anon, &S, NULL);
    char fp[128];
    snprintf(fp, sizeof fp, DS "/budgets/%lld/ballots.csv", pid);
    char *csv = get_html(&anon, fp);
    assert_non_null(csv);
    char compact[16] = "";
    size_t k = 0;
    for (const char *s = receipt; *s && k < sizeof compact - 1; s++)
        if (*s != '-') compact[k++] = *s;
    compact[k] = 0;
    char line[64];
    snprintf(line, sizeof line, "%s,%s,1", compact, sa);
    assert_non_null(strstr(csv, line));
    free(csv);
    client_free(&anon);
    free(receipt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(from_creation_to_results),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
