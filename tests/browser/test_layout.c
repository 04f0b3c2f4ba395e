/*
 * Every page fits a phone and passes the checks a browser-facing product is
 * expected to pass.  With the viewport 390 CSS pixels wide (an ordinary
 * phone held upright), each GET page of the demo, for each role:
 *  - must not scroll sideways (document.documentElement.scrollWidth <= 390);
 *  - every text of its charts (the server-drawn SVGs) must be at least 12 px
 *    tall on screen;
 *  - axe-core finds no violation of WCAG 2.1 A and AA, nor of its best
 *    practices (heading order, empty table headers), in it;
 *  - the Nu HTML Checker finds no error in its HTML as the server sent it
 *    (fetched again by a client signed in as the same person).
 * axe-core and the checker come from scripts/checks-install.
 *
 * The pages are found by following links: for each role the crawl starts at
 * a few pages where the demo has the most to show (the Dilts canvas, an open
 * wave, a survey...) and then at the directory, and visits the first page of
 * each kind (a path with its numbers, tokens and community addresses
 * replaced, and the names of its query parameters), so that a new page is
 * measured without being listed here.  The browser runs with JavaScript on
 * only because axe-core needs its timers: the pages have no scripts (and
 * their Content-Security-Policy allows none), so what is measured is what
 * Tor Browser's safest mode shows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/browse.h"
#include "lib/httpx.h"
#include "lib/testsrv.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PHONE_W 390
#define PHONE_H 844
#define MIN_FONT_PX 12.0
#define MAX_PAGES 120 /* per role; the demo has fewer kinds of page */

static struct srv S;
static struct wd *W;
static int g_failures;
static char g_invite[300]; /* the path of an invitation's page, "/i/TOKEN" */
static char g_survey[300]; /* the path of a survey's answer page by its link */
/* axe-core's source followed by the call that checks the page (WCAG 2.1
 * A and AA, best practices); NULL when axe-core is not installed
 * (scripts/checks-install). */
static char *g_axe;
static int g_axe_failures;
static void load_axe(void);
/* The pages' HTML as the server sent it, one file a page, for the Nu HTML
 * Checker: a directory in the server's temporary directory. */
static char g_html_dir[400];
static int g_html_files;
static struct client *g_client; /* signed in as the role being crawled */

/* An invitation, so that the organizer's list of them is not empty and its
 * page can be visited; its path goes into g_invite. */
static int make_invitation(void)
{
    struct client c;
    client_init(&c, &S);
    struct resp r = {0};
    if (client_login(&c, "organizer", "demo-demo") != 0 ||
        client_post(&c, "/c/dvor-sadovaya-12/invite", 1, &r, "role", "member", "max_uses", "5",
                    "days", "7", "note", "Соседям из третьего подъезда", NULL) != 0) {
        resp_free(&r);
        client_free(&c);
        return -1;
    }
    const char *link =
        json_string_value(json_object_get(json_object_get(r.json, "created"), "link"));
    const char *path = link ? strstr(link, "/i/") : NULL;
    if (path) snprintf(g_invite, sizeof g_invite, "%s", path);
    resp_free(&r);
    client_free(&c);
    return path ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    if (srv_start(&S, 1, NULL) != 0 || make_invitation() != 0 ||
        make_link_survey(&S, 0, g_survey, sizeof g_survey) != 0)
        return -1;
    W = wd_open(1);
    if (!W) return -1;
    load_axe();
    snprintf(g_html_dir, sizeof g_html_dir, "%s/html", S.dir);
    if (mkdir(g_html_dir, 0700) != 0) return -1;
    return wd_set_viewport(W, PHONE_W, PHONE_H) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    wd_close(W);
    free(g_axe);
    return srv_stop(&S) == 0 ? 0 : -1;
}

/* Measures the current page: its width, the smallest chart text (its
 * computed font size times the scale the SVG is drawn at), what sticks out
 * on the right (a few elements, the innermost first, to say what to fix)
 * and the same-origin links to follow. */
static const char MEASURE[] =
    "var vw = window.innerWidth, out = [], small = [], min = 1e9, links = [];"
    "document.querySelectorAll('svg text').forEach(function (t) {"
    "  var m = t.getScreenCTM(); if (!m) return;"
    "  var px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);"
    "  if (px < min) min = px;"
    "  if (px < 12 && small.length < 3) small.push(t.textContent.slice(0, 30) + ' ' + "
    "px.toFixed(1));"
    "});"
    "document.querySelectorAll('body *').forEach(function (e) {"
    "  var r = e.getBoundingClientRect();"
    "  if (r.width > 0 && r.right > vw + 0.5 && !e.querySelector('*') && !e.closest('thead')"
    "      && !e.closest('.scroll-x') && out.length < 4)"
    "    { var p = [], a = e;"
    "      for (; a && a !== document.body; a = a.parentElement)"
    "        p.unshift(a.tagName.toLowerCase() + (a.className && a.className.baseVal === undefined "
    "?"
    "          '.' + String(a.className).trim().split(/ +/).join('.') : ''));"
    "      out.push(p.join('>') + ' ' + Math.round(r.right)); }"
    "});"
    "document.querySelectorAll('a[href]').forEach(function (a) {"
    "  if (a.origin === location.origin) links.push(a.pathname + a.search);"
    "});"
    "return JSON.stringify({vw: vw, width: document.documentElement.scrollWidth,"
    "  svgtext: document.querySelectorAll('svg text').length, min: min, small: small,"
    "  out: out, links: links});";

/* The kind of a page: its path with numbers, tokens and community
 * addresses replaced by a star, and the names of its query's parameters
 * without their values (so "/c/dvor/surveys/3?page=2" and
 * "/c/park/surveys/7?page=5" are one kind).  Written into out. */
static void page_kind(const char *url, char *out, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%.*s", (int)strcspn(url, "?"), url);
    FILE *f = fmemopen(out, n, "w");
    assert_non_null(f);
    fputc('/', f); /* the directory "/" has no segment: its kind is "/" */
    const char *prev = "";
    char *save = NULL;
    for (char *seg = strtok_r(path, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
        int digits = 1;
        for (const char *d = seg; *d; d++)
            if (!isdigit((unsigned char)*d)) digits = 0;
        int token = (strcmp(prev, "c") == 0 && strcmp(seg, "new") != 0) || strcmp(prev, "i") == 0 ||
                    strcmp(prev, "s") == 0;
        fprintf(f, "%s/", digits || token ? "*" : seg);
        prev = seg;
    }
    const char *q = strchr(url, '?');
    for (char sep = '?'; q && q[1]; sep = '&') {
        q++;
        fprintf(f, "%c%.*s", sep, (int)strcspn(q, "=&"), q);
        q = strchr(q, '&');
    }
    fputc('\0', f);
    fclose(f);
}

/* Pages not to measure: files rather than pages, the stylesheet. */
static int skip_url(const char *u)
{
    static const char *const ends[] = {".csv", ".ics", ".json", ".md",
                                       ".svg", ".png", ".txt",  NULL};
    if (strncmp(u, "/static/", 8) == 0 || strncmp(u, "/healthz", 8) == 0) return 1;
    if (strstr(u, "format=")) return 1;
    char path[512];
    snprintf(path, sizeof path, "%.*s", (int)strcspn(u, "?"), u);
    size_t n = strlen(path);
    for (int i = 0; ends[i]; i++) {
        size_t e = strlen(ends[i]);
        if (n >= e && strcmp(path + n - e, ends[i]) == 0) return 1;
    }
    return 0;
}

struct crawl {
    json_t *queue; /* URLs to visit, in order */
    json_t *kinds; /* kind -> first URL seen */
    int visited;
};

/* Queues url unless a page of its kind is queued already; a seed is queued
 * in any case (the closed community's page is of the public one's kind but
 * another template). */
static void enqueue(struct crawl *c, const char *url, int seed)
{
    char kind[512];
    if (skip_url(url)) return;
    page_kind(url, kind, sizeof kind);
    if (json_object_get(c->kinds, kind) && !seed) return;
    json_object_set_new(c->kinds, kind, json_string(url));
    json_array_append_new(c->queue, json_string(url));
}

static const char AXE_RUN[] =
    ";\nvar done = arguments[arguments.length - 1];"
    "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', "
    "'wcag21aa', 'best-practice']}}).then(function (r) {"
    "  done(JSON.stringify(r.violations.map(function (v) {"
    "    return v.id + ' (' + v.nodes.length + '): ' + v.nodes[0].target.join(' ') + ' ' +"
    "      v.nodes[0].html.slice(0, 120); })));"
    "}, function (e) { done(JSON.stringify(['axe failed: ' + e])); });";

static void load_axe(void)
{
    const char *path = getenv("HRAMADA_AXE");
    if (!path || !*path) path = "tests/checks/node_modules/axe-core/axe.min.js";
    FILE *f = fopen(path, "rb");
    if (!f) return;
    char *src = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&src, &len);
    char chunk[65536];
    size_t n;
    while (out && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, out);
    if (out) fputs(AXE_RUN, out);
    if (out) fclose(out);
    fclose(f);
    g_axe = src;
}

/* Runs axe-core on the current page and prints what it found. */
static void check_axe(const char *role, const char *url)
{
    if (!g_axe) return;
    char *text = wd_exec_async(W, g_axe);
    assert_non_null(text);
    json_t *v = json_loads(text, 0, NULL);
    free(text);
    assert_non_null(v);
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) printf("%-11s axe: %s: %s\n", role, url, json_string_value(e));
    if (json_array_size(v) > 0) g_axe_failures++;
    json_decref(v);
}

/* Writes the page's HTML, fetched again as the same person, into
 * g_html_dir for the Nu HTML Checker. */
static void save_html(const char *url)
{
    struct resp r = {0};
    assert_int_equal(client_get(g_client, url, 0, &r), 0);
    if (r.status == 200 && r.body) {
        char path[600];
        snprintf(path, sizeof path, "%s/%03d.html", g_html_dir, ++g_html_files);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fprintf(f, "%s", r.body);
        fclose(f);
        printf("            %03d.html\n", g_html_files);
    }
    resp_free(&r);
}

/* With HRAMADA_LAYOUT_SHOTS set to a directory, pictures of the page, one
 * a screenful from the top down, go there (ROLE-PATH-N.png), to see what
 * the figures mean. */
static void shoot(const char *role, const char *url)
{
    const char *dir = getenv("HRAMADA_LAYOUT_SHOTS");
    if (!dir || !*dir) return;
    char *h = wd_exec(W, "return String(document.documentElement.scrollHeight);");
    int height = h ? atoi(h) : PHONE_H;
    free(h);
    char name[400];
    size_t k = 0;
    for (const char *p = url; *p && k < sizeof name - 1; p++)
        name[k++] = isalnum((unsigned char)*p) ? *p : '-';
    name[k] = '\0';
    for (int n = 0; n < 10 && n * PHONE_H < height; n++) {
        char js[80], png[900];
        snprintf(js, sizeof js, "window.scrollTo(0, %d); return '';", n * PHONE_H);
        free(wd_exec(W, js));
        snprintf(png, sizeof png, "%s/%s%s-%d.png", dir, role, name, n);
        wd_screenshot(W, png);
    }
}

/* Visits url, measures it, prints the figures and queues its links. */
static void measure(struct crawl *c, const char *role, const char *url)
{
    char full[600];
    snprintf(full, sizeof full, "%s%s", S.base, url);
    assert_int_equal(wd_get(W, full), 0);
    char *text = wd_exec(W, MEASURE);
    assert_non_null(text);
    json_error_t jerr;
    json_t *m = json_loads(text, 0, &jerr);
    free(text);
    assert_non_null(m);
    int vw = (int)json_integer_value(json_object_get(m, "vw"));
    int width = (int)json_integer_value(json_object_get(m, "width"));
    size_t texts = (size_t)json_integer_value(json_object_get(m, "svgtext"));
    double min = json_number_value(json_object_get(m, "min"));
    assert_int_equal(vw, PHONE_W);
    int bad = width > PHONE_W || (texts > 0 && min < MIN_FONT_PX);
    printf("%-11s %4d px", role, width);
    if (texts > 0) printf("  chart text >= %4.1f px", min);
    printf("  %s%s\n", url, bad ? "  TOO WIDE/SMALL" : "");
    if (bad) {
        json_t *o = json_pack("{s:O, s:O}", "out", json_object_get(m, "out"), "small",
                              json_object_get(m, "small"));
        char *why = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        printf("            %s\n", why ? why : "");
        free(why);
        g_failures++;
    }
    shoot(role, url);
    check_axe(role, url);
    save_html(url);
    json_t *links = json_object_get(m, "links");
    size_t i;
    json_t *l;
    json_array_foreach(links, i, l) enqueue(c, json_string_value(l), 0);
    json_decref(m);
    c->visited++;
}

/* Crawls the pages one role sees, starting with seeds (NULL-terminated). */
static void crawl_role(const char *role, const char *const *seeds)
{
    struct client c0;
    client_init(&c0, &S);
    g_client = &c0;
    if (strcmp(role, "anonymous") != 0) {
        browse_sign_in(W, &S, role);
        assert_int_equal(wd_count(W, "form[action='/logout']"), 1);
        assert_int_equal(client_login(&c0, role, "demo-demo"), 0);
    }
    struct crawl c = {json_array(), json_object(), 0};
    for (int i = 0; seeds[i]; i++)
        enqueue(&c, seeds[i], 1);
    enqueue(&c, "/", 0);
    for (size_t i = 0; i < json_array_size(c.queue) && c.visited < MAX_PAGES; i++) {
        const char *u = json_string_value(json_array_get(c.queue, i));
        if (strcmp(role, "anonymous") != 0 && strncmp(u, "/login", 6) == 0) continue;
        measure(&c, role, u);
    }
    printf("%-11s %d pages\n", role, c.visited);
    json_decref(c.queue);
    json_decref(c.kinds);
    if (strcmp(role, "anonymous") != 0) browse_sign_out(W, &S);
    client_free(&c0);
    g_client = NULL;
}

/* Runs the Nu HTML Checker on every page saved; the number of errors it
 * printed, -1 if it could not run. */
static int check_html(void)
{
    const char *jar = getenv("HRAMADA_VNU");
    if (!jar || !*jar) jar = "tests/checks/node_modules/vnu-jar/build/dist/vnu.jar";
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "java -Xss1024k -jar '%s' --errors-only --format gnu '%s' 2>&1", jar,
             g_html_dir);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    char line[2000];
    int errors = 0;
    while (fgets(line, sizeof line, p)) {
        printf("vnu: %s", line);
        errors++;
    }
    int rc = pclose(p);
    return rc != 0 && errors == 0 ? -1 : errors;
}

static void every_page_fits_a_phone(void **state)
{
    (void)state;
    const char *const anon[] = {"/c/dvor-sadovaya-12",
                                "/c/dvor-sadovaya-12/strategy",
                                "/c/zelenyj-kvartal",
                                g_invite,
                                g_survey,
                                "/login",
                                "/signup",
                                NULL};
    static const char *const member[] = {"/c/dvor-sadovaya-12",
                                         "/c/dvor-sadovaya-12/members",
                                         "/c/dvor-sadovaya-12/surveys/1/results/1",
                                         "/c/dvor-sadovaya-12/talents/tags",
                                         "/c/nastolki-na-raene/talents/clubs",
                                         "/c/nastolki-na-raene/surveys",
                                         "/c/dvor-sadovaya-12/requests",
                                         "/account",
                                         "/account/export",
                                         "/account/delete",
                                         NULL};
    static const char *const organizer[] = {"/c/dvor-sadovaya-12/strategy",
                                            "/c/dvor-sadovaya-12/strategy/plan",
                                            "/c/dvor-sadovaya-12/strategy/print",
                                            "/c/dvor-sadovaya-12/strategy/values",
                                            "/c/zelenyj-kvartal/soc",
                                            "/c/dvor-sadovaya-12/soc",
                                            "/c/dvor-sadovaya-12/surveys",
                                            "/c/dvor-sadovaya-12/talents",
                                            "/c/dvor-sadovaya-12/members",
                                            "/c/dvor-sadovaya-12/invite",
                                            "/c/zelenyj-kvartal/members/requests",
                                            "/c/dvor-sadovaya-12/partners",
                                            "/c/dvor-sadovaya-12/partners/overdue",
                                            "/c/dvor-sadovaya-12/requests",
                                            NULL};
    static const char *const coordinator[] = {"/c/zelenyj-kvartal/soc/compare",
                                              "/c/zelenyj-kvartal/soc", NULL};
    static const char *const admin[] = {"/admin", NULL};
    crawl_role("anonymous", anon);
    crawl_role("member", member);
    crawl_role("organizer", organizer);
    crawl_role("coordinator", coordinator);
    crawl_role("admin", admin);
    printf("%d pages too wide or with chart text below %.0f px\n", g_failures, MIN_FONT_PX);
    printf("%d pages with axe-core violations (WCAG 2.1 A, AA, best practices)\n", g_axe_failures);
    int html_errors = check_html();
    printf("%d errors of the Nu HTML Checker in %d pages\n", html_errors, g_html_files);
    assert_int_equal(g_failures, 0);
    assert_non_null(g_axe); /* scripts/checks-install puts it in place */
    assert_int_equal(g_axe_failures, 0);
    assert_int_equal(html_errors, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_page_fits_a_phone),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
