/* An initiative carried through its four stages in a real headless
 * Chromium without JavaScript: a member proposes it and supports it, the
 * organizer accepts it, writes the analysis, is refused a move the gate
 * forbids (the missing items shown), designs it (goal, a task with owner
 * and date, a budget line), the member as the task's owner reports it
 * done, the organizer records a report and spending, pledges on its
 * fundraising page and reads the transparency report, and evaluates and closes it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/browse.h"
#include "lib/httpx.h"

#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vips/vips.h>

static struct srv S;
static struct wd *W;

static int setup(void **state)
{
    (void)state;
    if (VIPS_INIT("test_initiative_stages") != 0 || srv_start(&S, 1, NULL) != 0) return -1;
    W = wd_open(0);
    return W ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    wd_close(W);
    vips_shutdown();
    return srv_stop(&S) == 0 ? 0 : -1;
}

/* A JPEG of 640 × 480 at path with a camera's maker in its EXIF. */
static int write_camera_jpeg(const char *path)
{
    VipsImage *black, *img;
    if (vips_black(&black, 640, 480, "bands", 3, NULL) != 0) return -1;
    int rc = vips_linear1(black, &img, 1.0, 100.0, NULL);
    g_object_unref(black);
    if (rc != 0) return -1;
    vips_image_set_string(img, "exif-ifd0-Make", "BrowserCam");
    rc = vips_jpegsave(img, path, "strip", FALSE, NULL);
    g_object_unref(img);
    return rc;
}

static void submit(const char *action)
{
    char css[128];
    snprintf(css, sizeof css, "form[action$='%s'] button[type=submit]", action);
    assert_int_equal(wd_click_nav(W, css), 0);
}

/* Follows the summary's link to a work page (its address ending so). */
static void work(const char *ending)
{
    char css[128];
    snprintf(css, sizeof css, "main a[href$='%s']", ending);
    assert_int_equal(wd_click_nav(W, css), 0);
}

static void propose_support_accept_design_implement_evaluate(void **state)
{
    (void)state;
    browse_sign_in(W, &S, "member");
    browse_go(W, &S, "/c/dvor-sadovaya-12/initiatives/new");
    assert_int_equal(wd_type(W, "#title", "Велопарковка у подъезда"), 0);
    assert_int_equal(wd_type(W, "#problem", "Велосипеды стоят на лестнице и мешают проходу."), 0);
    assert_int_equal(wd_type(W, "#proposal", "Поставить крытую стойку на шесть велосипедов."), 0);
    assert_int_equal(wd_select(W, "#direction", "landscaping"), 0);
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]"), 0);
    assert_true(browse_has(W, "Велопарковка у подъезда"));
    char *url = wd_url(W);
    assert_non_null(url);
    submit("/support");
    assert_true(browse_has(W, "вы поддерживаете"));
    browse_sign_out(W, &S);

    /* accepted: the analysis, with its checklist */
    browse_sign_in(W, &S, "organizer");
    assert_int_equal(wd_get(W, url), 0);
    submit("/accept");
    assert_true(browse_has(W, "Чего не хватает, чтобы перейти к проектированию"));
    /* the summary draws no form of the stages: each has its work page */
    assert_false(browse_has(W, "id=\"analysis\""));
    work("/analysis");
    assert_int_equal(wd_type(W, "#analysis", "На лестнице стоят восемь велосипедов."), 0);
    assert_int_equal(wd_type(W, "#affected", "Велосипедисты и соседи с колясками"), 0);
    submit("/analysis");
    assert_true(browse_has(W, "На лестнице стоят восемь велосипедов."));
    /* a move the gate forbids: the missing item is named */
    work("#stage-1");
    submit("/move");
    assert_true(browse_has(W, "Перейти дальше пока нельзя"));
    assert_true(browse_has(W, "или заинтересованная сторона"));
    work("/analysis");
    assert_int_equal(wd_type(W, "#stakeholder_name", "Управляющая компания"), 0);
    submit("/stakeholders");
    work("#stage-1");
    submit("/move");
    assert_true(browse_has(W, "Инициатива перешла на следующий этап"));

    /* the design: a bad amount first, kept beside its field */
    work("/design");
    assert_int_equal(wd_type(W, "#goal", "Стойка на шесть велосипедов к маю"), 0);
    submit("/design");
    char mem[32];
    snprintf(mem, sizeof mem, "%lld", member_id_of(&S, "dvor-sadovaya-12", "member"));
    assert_int_equal(wd_type(W, "#task_title", "Заказать и поставить стойку"), 0);
    assert_int_equal(wd_select(W, "#task_owner", mem), 0);
    assert_int_equal(wd_type(W, "#task_due", "2026-05-01"), 0);
    assert_int_equal(wd_type(W, "#task_money", "много"), 0);
    submit("/tasks");
    assert_true(browse_has(W, "Введите сумму"));
    assert_true(browse_has(W, "Заказать и поставить стойку")); /* the input kept */
    assert_int_equal(wd_type(W, "#task_money", "1 200"), 0);
    submit("/tasks");
    assert_int_equal(wd_type(W, "#line_name", "Стойка"), 0);
    assert_int_equal(wd_type(W, "#line_amount", "1200"), 0);
    submit("/budget");
    assert_true(browse_has(W, "200,00"));
    work("#stage-2");
    submit("/move");
    assert_true(browse_has(W, "Чего не хватает, чтобы перейти к оценке"));
    browse_sign_out(W, &S);

    /* the implementation: the task's owner reports it done */
    browse_sign_in(W, &S, "member");
    assert_int_equal(wd_get(W, url), 0);
    assert_int_equal(wd_click_nav(W, "main a[href$='/edit'][href*='/tasks/']"), 0);
    assert_int_equal(wd_select(W, "#status", "done"), 0);
    assert_int_equal(wd_type(W, "#progress", "100"), 0);
    submit("/status");
    assert_true(browse_has(W, "выполнена 100%"));
    browse_sign_out(W, &S);

    browse_sign_in(W, &S, "organizer");
    assert_int_equal(wd_get(W, url), 0);
    work("/implementation");
    assert_int_equal(wd_type(W, "#report_body", "Стойка стоит, на ней пять велосипедов."), 0);
    submit("/reports");
    /* a photo to the report, as a phone would send it: with its camera's
     * notes, which the server drops */
    char photo[PATH_MAX], cwd[PATH_MAX - 64];
    assert_non_null(getcwd(cwd, sizeof cwd));
    mkdir("tests/out", 0700);
    snprintf(photo, sizeof photo, "%s/tests/out/browser-photo.jpg", cwd);
    assert_int_equal(write_camera_jpeg(photo), 0);
    assert_int_equal(wd_type(W, "#photo", photo), 0);
    assert_int_equal(wd_type(W, "#photo_caption", "Стойка у подъезда"), 0);
    submit("/photos");
    assert_true(browse_has(W, "<figcaption>Стойка у подъезда</figcaption>"));
    char *w = wd_attr(W, "ul.photos img", "width");
    assert_non_null(w);
    assert_string_equal(w, "640"); /* stored, made no larger than it was */
    free(w);
    assert_int_equal(db_value(&S,
                              "SELECT instr(bytes, CAST('BrowserCam' AS BLOB)) FROM"
                              " initiative_photos ORDER BY id DESC LIMIT 1",
                              NULL),
                     0);
    char line[32];
    snprintf(line, sizeof line, "%lld",
             db_value(&S, "SELECT max(id) FROM initiative_budget_lines WHERE name = ?", "Стойка"));
    assert_int_equal(wd_select(W, "#spend_line", line), 0);
    assert_int_equal(wd_type(W, "#spend_amount", "1150"), 0);
    assert_int_equal(wd_type(W, "#spend_day", "2026-04-28"), 0);
    submit("/spending");
    assert_true(browse_has(W, "150,00"));
    /* its fundraising: a pledge, the report */
    work("#stage-3");
    assert_int_equal(wd_click_nav(W, "main a[href$='/funds']"), 0);
    assert_int_equal(wd_type(W, "#pledge_money", "300"), 0);
    submit("/funds/pledges");
    assert_true(browse_has(W, "300,00"));
    assert_int_equal(wd_click_nav(W, "main a[href$='/report']"), 0);
    assert_true(browse_has(W, "Отчёт о средствах"));
    assert_true(browse_has(W, "1 обещание"));
    assert_true(browse_has(W, "потрачено больше, чем поступило"));
    assert_int_equal(wd_get(W, url), 0);
    submit("/move");
    assert_true(browse_has(W, "Чего не хватает, чтобы завершить инициативу"));

    /* the evaluation, and closing it */
    work("/evaluation");
    assert_int_equal(wd_type(W, "#done_text", "Поставили стойку на шесть мест."), 0);
    assert_int_equal(wd_type(W, "#learned", "Управляющая компания согласует за день."), 0);
    submit("/evaluation");
    work("#stage-4");
    submit("/move");
    assert_true(browse_has(W, "Инициатива завершена"));
    assert_true(browse_has(W, "Работа завершена"));
    browse_sign_out(W, &S);
    free(url);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(propose_support_accept_design_implement_evaluate),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
