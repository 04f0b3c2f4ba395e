/* wd_selftest.c - checks the WebDriver client against headless Chromium.
 *
 * Uses data: URLs and file:// pages written into a temporary directory; needs
 * no server.  Prints "wd_selftest: N passed, M failed", exits 1 on failure.
 */
#include "webdriver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct tally {
    int passed;
    int failed;
};

struct pages {
    char dir[64];  /* temporary directory holding the pages */
    char url[128]; /* "file://<dir>/" */
    char png[96];  /* screenshot path inside dir */
};

static void check(struct tally *t, int ok, const char *what)
{
    if (ok)
        t->passed++;
    else
        t->failed++;
    printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
}

/* Checks that s (which is freed) equals want. */
static void check_str(struct tally *t, char *s, const char *want, const char *what)
{
    int ok = s && strcmp(s, want) == 0;
    if (!ok) printf("      got \"%s\", want \"%s\"\n", s ? s : "(null)", want);
    check(t, ok, what);
    free(s);
}

/* Checks that s (which is freed) contains want. */
static void check_has(struct tally *t, char *s, const char *want, const char *what)
{
    int ok = s && strstr(s, want);
    if (!ok) printf("      \"%s\" lacks \"%s\"\n", s ? s : "(null)", want);
    check(t, ok, what);
    free(s);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int write_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f);
}

static const char js_page[] =
    "<!doctype html><title>JS page</title><h1 id=\"h\">before</h1>"
    "<noscript><p id=\"ns\">no script</p></noscript>"
    "<script>document.getElementById('h').textContent = 'after';</script>";

static const char form_page[] = "<!doctype html><title>Form</title>"
                                "<form action=\"done.html\" method=\"get\">"
                                "<input id=\"q\" name=\"q\" value=\"old\">"
                                "<select id=\"s\" name=\"s\"><option value=\"a\">A</option>"
                                "<option value=\"b'x\">B</option></select>"
                                "<button id=\"go\" type=\"submit\">Go</button></form>"
                                "<ul><li>one</li><li>two</li><li>three</li></ul>";

static const char done_page[] = "<!doctype html><title>Done</title><p id=\"msg\">form arrived</p>";

/* Percent-encoded data: URL of js_page (what a test would hand-write). */
static const char js_data_url[] =
    "data:text/html,%3Ctitle%3EData%3C/title%3E%3Ch1%20id=h%3Ebefore%3C/h1%3E"
    "%3Cscript%3Edocument.getElementById('h').textContent='after'%3C/script%3E";

static int make_pages(struct pages *p)
{
    snprintf(p->dir, sizeof p->dir, "/tmp/wd_selftest-XXXXXX");
    if (!mkdtemp(p->dir)) return -1;
    snprintf(p->url, sizeof p->url, "file://%s/", p->dir);
    snprintf(p->png, sizeof p->png, "%s/shot.png", p->dir);
    if (write_file(p->dir, "js.html", js_page) || write_file(p->dir, "form.html", form_page) ||
        write_file(p->dir, "done.html", done_page))
        return -1;
    return 0;
}

static void remove_pages(const struct pages *p)
{
    static const char *const names[] = {"js.html", "form.html", "done.html", "shot.png"};
    char path[256];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", p->dir, names[i]);
        unlink(path);
    }
    rmdir(p->dir);
}

static int get_page(struct wd *w, const struct pages *p, const char *name)
{
    char url[256];
    snprintf(url, sizeof url, "%s%s", p->url, name);
    return wd_get(w, url);
}

/* Heading rewritten by an inline script iff JavaScript is on. */
static void test_js(struct tally *t, struct wd *w, const struct pages *p, int js)
{
    const char *want = js ? "after" : "before";
    check(t, wd_get(w, js_data_url) == 0, "wd_get data: URL");
    check_str(t, wd_text(w, "#h"), want, js ? "data: script ran" : "data: script blocked");
    check(t, get_page(w, p, "js.html") == 0, "wd_get file:// page");
    check_str(t, wd_text(w, "h1"), want, js ? "file: script ran" : "file: script blocked");
    check(t, wd_count(w, "#ns") == (js ? 0 : 1), "<noscript> content follows JS setting");
    check_str(t, wd_title(w), "JS page", "wd_title");
    check(t, wd_text(w, "#nothing-here") == NULL, "wd_text of no match is NULL");
}

/* Typing, choosing an option and submitting to another file:// page. */
static void test_form(struct tally *t, struct wd *w, const struct pages *p)
{
    check(t, get_page(w, p, "form.html") == 0, "wd_get form page");
    check(t, wd_count(w, "li") == 3, "wd_count li == 3");
    check(t, wd_count(w, "table") == 0, "wd_count table == 0");
    check(t, wd_type(w, "#q", "hello world") == 0, "wd_type");
    check_str(t, wd_attr(w, "#q", "value"), "old", "wd_attr gives the markup value");
    check_str(t, wd_prop(w, "#q", "value"), "hello world", "typed text replaced old value");
    check(t, wd_select(w, "#s", "b'x") == 0, "wd_select value with a quote");
    check_str(t, wd_prop(w, "#s", "value"), "b'x", "option selected");
    check(t, wd_click_nav(w, "#go") == 0, "wd_click_nav submit");
    check_has(t, wd_url(w), "/done.html?q=hello+world&s=b%27x", "URL after submit");
    check_str(t, wd_title(w), "Done", "title after submit");
    check_has(t, wd_source(w), "form arrived", "wd_source");
}

static void test_screenshot(struct tally *t, struct wd *w, const struct pages *p)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char head[8] = {0};
    check(t, wd_set_window(w, 800, 600) == 0, "wd_set_window");
    check(t, wd_screenshot(w, p->png) == 0, "wd_screenshot");
    FILE *f = fopen(p->png, "rb");
    size_t n = f ? fread(head, 1, sizeof head, f) : 0;
    int big = f && fseek(f, 0, SEEK_END) == 0 && ftell(f) > 100;
    if (f) fclose(f);
    check(t, n == sizeof head && memcmp(head, sig, sizeof sig) == 0 && big,
          "screenshot is a non-empty PNG");
}

static void test_errors(struct tally *t, struct wd *w)
{
    printf("      (two expected error messages follow)\n");
    check(t, wd_click(w, "#missing") == -1, "wd_click of no match fails");
    check(t, wd_count(w, "[[bad") == -1, "invalid selector fails");
}

static void run_session(struct tally *t, const struct pages *p, int js)
{
    double t0 = now_s();
    struct wd *w = wd_open(js);
    printf("      wd_open(%d) took %.2f s\n", js, now_s() - t0);
    check(t, w != NULL, js ? "wd_open(JS on)" : "wd_open(JS off)");
    if (!w) return;
    test_js(t, w, p, js);
    test_form(t, w, p);
    if (js) test_screenshot(t, w, p);
    if (!js) test_errors(t, w);
    t0 = now_s();
    wd_close(w);
    printf("      wd_close took %.2f s\n", now_s() - t0);
}

int main(void)
{
    struct tally t = {0, 0};
    struct pages p = {.dir = ""};
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (make_pages(&p) != 0) {
        perror("wd_selftest: cannot write test pages");
        return 1;
    }
    run_session(&t, &p, 1);
    run_session(&t, &p, 0);
    remove_pages(&p);
    printf("wd_selftest: %d passed, %d failed\n", t.passed, t.failed);
    return t.failed ? 1 : 0;
}
