/* An assembly from its agenda to approved minutes in a real headless
 * Chromium without JavaScript: the organizer makes the assembly with its
 * chair and secretary, builds the agenda and a proposal, opens the
 * meeting and marks himself in the room, votes there; a member votes
 * online from her own session; the vote and the meeting are closed, the
 * minutes drafted from the record, corrected and approved by the chair,
 * and read by a visitor who is not signed in. */
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

static void assembly_from_agenda_to_approved_minutes(void **state)
{
    (void)state;
    /* the event, made over HTTP (the events' own browser test walks that) */
    struct client org;
    login_as(&org, &S, "organizer");
    POST(&org, DS "/events", 303, "kind", "housing", "title", "Сход жильцов о крыльце",
         "description", "", "start", "2030-11-05T19:00", "end", "2030-11-05T21:00", "place_text",
         "Двор дома 12", "audience", "everyone");
    client_free(&org);
    long long ev =
        db_value(&S, "SELECT max(id) FROM events WHERE title = ?", "Сход жильцов о крыльце");
    assert_true(ev > 0);
    char base[128], path[256], chair[24], sec[24];
    snprintf(base, sizeof base, DS "/events/%lld/assembly", ev);
    snprintf(chair, sizeof chair, "%lld", member_id_of(&S, "dvor-sadovaya-12", "organizer"));
    snprintf(sec, sizeof sec, "%lld", member_id_of(&S, "dvor-sadovaya-12", "member"));

    browse_sign_in(W, &S, "organizer");
    snprintf(path, sizeof path, "%s/settings", base);
    browse_go(W, &S, path);
    assert_int_equal(wd_select(W, "#kind", "assembly"), 0);
    assert_int_equal(wd_select(W, "#chair", chair), 0);
    assert_int_equal(wd_select(W, "#secretary", sec), 0);
    assert_int_equal(wd_select(W, "#quorum_kind", "number"), 0);
    assert_int_equal(wd_type(W, "#quorum_value", "2"), 0);
    assert_int_equal(wd_click_nav(W, "main form button[type=submit]"), 0);
    assert_true(browse_has(W, "Сход жильцов о крыльце"));
    /* the agenda and a proposal */
    assert_int_equal(wd_type(W, "form[action$='/items'] #title", "Ремонт крыльца"), 0);
    assert_int_equal(wd_type(W, "form[action$='/items'] #document", "Смета: 80 000 ₽."), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/items'] button[type=submit]"), 0);
    assert_true(browse_has(W, "Ремонт крыльца"));
    assert_int_equal(
        wd_type(W, "form[action$='/proposals'] textarea[name=text]", "Отремонтировать весной"), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/proposals'] button[type=submit]"), 0);
    /* the meeting opens; the chair is marked in the room */
    assert_int_equal(wd_click_nav(W, "form[action$='/state'] button[type=submit]"), 0);
    char mark[160];
    snprintf(mark, sizeof mark, "form[action$='/presence']:has(input[value='%s']) button", chair);
    assert_int_equal(wd_click_nav(W, mark), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/open'] button[type=submit]"), 0);
    assert_int_equal(wd_click(W, "form[action$='/vote'] input[value=for]"), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/vote'] button[type=submit]"), 0);
    assert_true(browse_has(W, "Ваш голос учтён"));
    browse_sign_out(W, &S);

    /* the secretary votes online from her own session */
    browse_sign_in(W, &S, "member");
    browse_go(W, &S, base);
    assert_int_equal(wd_click(W, "form[action$='/vote'] input[value=for]"), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/vote'] button[type=submit]"), 0);
    browse_go(W, &S, base);
    assert_true(browse_has(W, "онлайн"));
    browse_sign_out(W, &S);

    /* the chair closes the vote and the meeting, drafts the minutes,
     * corrects them and approves them */
    browse_sign_in(W, &S, "organizer");
    browse_go(W, &S, base);
    assert_int_equal(wd_click_nav(W, "form[action$='/close'] button[type=submit]"), 0);
    assert_true(browse_has(W, "Принято"));
    assert_int_equal(wd_click_nav(W, "form[action$='/state'] button[type=submit]"), 0);
    assert_int_equal(wd_click_nav(W, "a[href$='/assembly/minutes']"), 0);
    assert_int_equal(wd_click_nav(W, "form[action$='/draft'] button[type=submit]"), 0);
    assert_true(browse_has(W, "Протокол общего собрания"));
    assert_true(browse_has(W, "за 2, против 0, воздержались 0"));
    char *body = wd_prop(W, "#body", "value");
    assert_non_null(body);
    size_t n = strlen(body) + 200;
    char *fixed = malloc(n);
    snprintf(fixed, n, "%s\n\nВыступили: председатель о смете.", body);
    free(body);
    assert_int_equal(wd_type(W, "#body", fixed), 0);
    free(fixed);
    assert_int_equal(wd_click_nav(W, "form[action$='/minutes'] button[type=submit]"), 0);
    assert_true(browse_has(W, "председатель о смете"));
    assert_int_equal(wd_click_nav(W, "form[action$='/approve'] button[type=submit]"), 0);
    assert_true(browse_has(W, "Протокол утверждён"));
    assert_int_equal(wd_count(W, "#body"), 0); /* frozen: no edit form */
    browse_sign_out(W, &S);

    /* a visitor reads the approved minutes and their printable page */
    snprintf(path, sizeof path, "%s/minutes", base);
    browse_go(W, &S, path);
    assert_true(browse_has(W, "председатель о смете"));
    assert_int_equal(wd_click_nav(W, "a[href$='/minutes/print']"), 0);
    assert_true(browse_has(W, "Ремонт крыльца"));
    assert_int_equal(wd_count(W, "nav"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(assembly_from_agenda_to_approved_minutes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
