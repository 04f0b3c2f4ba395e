/* Events (issue 16, step 1) over HTTP against a real server with the demo:
 * making an event and every bad input, who sees what, registration with
 * its waiting list and the place handed on, two sessions at the last
 * place, a capacity below those registered, attendance, cancellation and
 * the community's time zone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct srv S;

#define DS "/c/dvor-sadovaya-12"
#define ZK "/c/zelenyj-kvartal"
#define TV "/c/tiho-vmeste"

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

static long long by_title(const char *title)
{
    return db_value(&S, "SELECT max(id) FROM events WHERE title = ?", title);
}

static long long q(const char *sql, long long id)
{
    char p[32];
    snprintf(p, sizeof p, "%lld", id);
    return db_value(&S, sql, p);
}

static long long occurrence(long long id)
{
    return q("SELECT id FROM event_occurrences WHERE event_id = CAST(? AS INTEGER) AND seq = 0",
             id);
}

/* A new event by the organizer c in base; its id. */
static long long make(struct client *c, const char *base, const char *title, const char *capacity,
                      const char *audience)
{
    char path[128];
    snprintf(path, sizeof path, "%s/events", base);
    POST(c, path, 303, "kind", "leisure", "title", title, "description", "Чай и *пироги*.", "start",
         "2030-06-01T18:00", "end", "2030-06-01T20:30", "place_text", "Во дворе", "capacity",
         capacity, "audience", audience);
    long long id = by_title(title);
    if (id <= 0) fail_msg("no event %s", title);
    return id;
}

static const char *epath(char *buf, size_t n, const char *base, long long id, const char *what)
{
    if (what && what[0] == '@')
        snprintf(buf, n, "%s/events/%lld/occurrences/%lld/%s", base, id, occurrence(id), what + 1);
    else
        snprintf(buf, n, "%s/events/%lld%s", base, id, what ? what : "");
    return buf;
}

static char *repeat(const char *s, int times)
{
    size_t n = strlen(s);
    char *out = malloc(n * (size_t)times + 1);
    for (int i = 0; i < times; i++)
        memcpy(out + n * (size_t)i, s, n);
    out[n * (size_t)times] = 0;
    return out;
}

static void an_organizer_makes_an_event_and_the_calendar_shows_it(void **state)
{
    (void)state;
    struct client org, m, anon, out;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    login_as(&anon, &S, NULL);
    login_as(&out, &S, "newcomer");
    long long open = make(&org, DS, "Праздник двора для всех", "", "everyone");
    long long inner = make(&org, DS, "Собрание актива двора", "", "members");
    /* stored in UTC: 18:00 in Moscow is 15:00 UTC */
    assert_int_equal(q("SELECT starts_at FROM event_occurrences WHERE event_id ="
                       " CAST(? AS INTEGER)",
                       open),
                     1906556400LL);
    char p[160];
    json_t *v = view_json(&m, epath(p, sizeof p, DS, open, ""));
    assert_string_equal(jstr(v, "event.title"), "Праздник двора для всех");
    assert_string_equal(jstr(v, "occurrences.0.start"), "18:00");
    assert_true(json_is_true(jget(v, "occurrences.0.can_register")));
    json_decref(v);
    char *html = get_html(&m, DS "/events");
    assert_non_null(strstr(html, "Праздник двора для всех"));
    assert_non_null(strstr(html, "Собрание актива двора"));
    assert_non_null(strstr(html, "2030-06-01"));
    free(html);
    /* the anonymous see the event for everyone only */
    html = get_html(&anon, DS "/events");
    assert_non_null(strstr(html, "Праздник двора для всех"));
    assert_null(strstr(html, "Собрание актива двора"));
    free(html);
    assert_int_equal(get_status(&anon, epath(p, sizeof p, DS, inner, ""), 1), 404);
    assert_int_equal(get_status(&anon, epath(p, sizeof p, DS, open, ""), 1), 200);
    /* members register; others do not, and only organizers make events */
    POST(&anon, epath(p, sizeof p, DS, open, "@register"), 401, "x", "1");
    POST(&out, epath(p, sizeof p, DS, open, "@register"), 403, "x", "1");
    POST(&m, DS "/events", 403, "kind", "other", "title", "Не моё", "start", "2030-06-01T18:00",
         "end", "2030-06-01T19:00", "audience", "members");
    /* a closed community's events are its members' */
    long long closed = make(&org, ZK, "Субботник в Зелёном квартале", "", "members");
    assert_int_equal(get_status(&out, ZK "/events", 1), 403);
    assert_int_equal(get_status(&out, epath(p, sizeof p, ZK, closed, ""), 1), 403);
    assert_int_equal(get_status(&out, TV "/events", 1), 404);
    /* and never for everyone */
    POST(&org, ZK "/events", 422, "kind", "other", "title", "Открыто всем", "start",
         "2030-06-01T18:00", "end", "2030-06-01T19:00", "audience", "everyone");
    client_free(&org);
    client_free(&m);
    client_free(&anon);
    client_free(&out);
}

static void every_bad_input_is_refused_with_the_input_kept(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    char *long_title = repeat("д", 151), *long_text = repeat("ы", 8001),
         *long_place = repeat("м", 201);
    struct {
        const char *field, *value;
    } bad[] = {
        {"title", ""},
        {"title", long_title},
        {"description", long_text},
        {"place_text", long_place},
        {"kind", "party"},
        {"start", "01.06.2030 18:00"},
        {"start", "2030-02-30T18:00"},
        {"start", "2030-06-01T25:00"},
        {"end", "2030-06-01T17:00"},
        {"end", "2030-07-01T17:00"},
        {"end", "завтра"},
        {"online_url", "javascript:alert(1)"},
        {"online_url", "ftp://example.org/x"},
        {"capacity", "0"},
        {"capacity", "много"},
        {"audience", "nobody"},
        {"place", "999999"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *pairs[] = {
            bad[i].field, bad[i].value,       "kind",        "leisure",
            "title",      "Проверка формы",   "description", "Описание останется",
            "start",      "2030-06-01T18:00", "end",         "2030-06-01T19:00",
            "audience",   "members",          NULL};
        struct resp r;
        assert_int_equal(post_pairs(&org, DS "/events", 1, pairs, &r), 0);
        if (r.status != 422 || !field_error(&r, bad[i].field))
            fail_msg("%s=%.20s: %ld %s", bad[i].field, bad[i].value, r.status, r.body);
        resp_free(&r);
        assert_int_equal(post_pairs(&org, DS "/events", 0, pairs, &r), 0);
        assert_int_equal(r.status, 422);
        if (strcmp(bad[i].field, "description") != 0)
            assert_true(resp_has(&r, "Описание останется"));
        assert_true(resp_has(&r, "field-error"));
        resp_free(&r);
    }
    assert_true(by_title("Проверка формы") <= 0);
    free(long_title);
    free(long_text);
    free(long_place);
    client_free(&org);
}

static void a_full_event_has_a_waiting_list_and_hands_places_on(void **state)
{
    (void)state;
    struct client org, a, b, c;
    login_as(&org, &S, "organizer");
    login_as(&a, &S, "member");
    login_as(&b, &S, "dvor-sadovaya-12-1");
    login_as(&c, &S, "dvor-sadovaya-12-2");
    long long id = make(&org, DS, "Мастер-класс по скворечникам", "1", "members");
    char p[160];
    POST(&a, epath(p, sizeof p, DS, id, "@register"), 303, "x", "1");
    POST(&a, epath(p, sizeof p, DS, id, "@register"), 409, "x", "1");
    POST(&b, epath(p, sizeof p, DS, id, "@register"), 303, "x", "1");
    POST(&c, epath(p, sizeof p, DS, id, "@register"), 303, "x", "1");
    long long occ = occurrence(id);
    assert_int_equal(q("SELECT count(*) FROM event_registrations WHERE occurrence_id ="
                       " CAST(? AS INTEGER) AND state = 'waiting'",
                       occ),
                     2);
    json_t *v = view_json(&b, epath(p, sizeof p, DS, id, ""));
    assert_true(json_is_true(jget(v, "occurrences.0.is_waiting")));
    assert_int_equal(json_integer_value(jget(v, "occurrences.0.registered")), 1);
    json_decref(v);
    /* the capacity cannot go below those registered: 422 beside it */
    struct resp r;
    const char *pairs[] = {
        "kind",     "leisure",          "title",    "Мастер-класс по скворечникам",
        "start",    "2030-06-01T18:00", "end",      "2030-06-01T20:30",
        "audience", "members",          "capacity", "1",
        NULL};
    assert_int_equal(post_pairs(&org, epath(p, sizeof p, DS, id, "/edit"), 0, pairs, &r), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    /* the first one leaves: the first waiting takes the place at once */
    POST(&a, epath(p, sizeof p, DS, id, "@unregister"), 303, "x", "1");
    POST(&a, epath(p, sizeof p, DS, id, "@unregister"), 409, "x", "1");
    v = view_json(&b, epath(p, sizeof p, DS, id, ""));
    assert_true(json_is_true(jget(v, "occurrences.0.is_registered")));
    json_decref(v);
    /* two places: the next waiting one gets the second */
    const char *two[] = {"kind",     "leisure",          "title",    "Мастер-класс по скворечникам",
                         "start",    "2030-06-01T18:00", "end",      "2030-06-01T20:30",
                         "audience", "members",          "capacity", "2",
                         NULL};
    assert_int_equal(post_pairs(&org, epath(p, sizeof p, DS, id, "/edit"), 0, two, &r), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(q("SELECT count(*) FROM event_registrations WHERE occurrence_id ="
                       " CAST(? AS INTEGER) AND state = 'registered'",
                       occ),
                     2);
    const char *one[] = {"kind",     "leisure",          "title",    "Мастер-класс по скворечникам",
                         "start",    "2030-06-01T18:00", "end",      "2030-06-01T20:30",
                         "audience", "members",          "capacity", "1",
                         NULL};
    assert_int_equal(post_pairs(&org, epath(p, sizeof p, DS, id, "/edit"), 1, one, &r), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(field_error(&r, "capacity"));
    resp_free(&r);
    /* attendance: organizers see names, members counts only */
    {
        char *html = get_html(&org, epath(p, sizeof p, DS, id, "@attendance"));
        assert_non_null(strstr(html, "name=\"present\""));
        free(html);
    }
    assert_int_equal(get_status(&b, epath(p, sizeof p, DS, id, "@attendance"), 1), 403);
    long long bm = member_id_of(&S, "dvor-sadovaya-12", "dvor-sadovaya-12-1");
    char bms[32];
    snprintf(bms, sizeof bms, "%lld", bm);
    POST(&org, epath(p, sizeof p, DS, id, "@attendance"), 303, "present", bms);
    assert_int_equal(q("SELECT count(*) FROM event_registrations WHERE occurrence_id ="
                       " CAST(? AS INTEGER) AND attended = 1",
                       occ),
                     1);
    /* cancelled with a reason shown; no registration any more */
    POST(&org, epath(p, sizeof p, DS, id, "/cancel"), 422, "reason", "");
    POST(&org, epath(p, sizeof p, DS, id, "/cancel"), 303, "reason", "Мастер заболел");
    char *html = get_html(&b, epath(p, sizeof p, DS, id, ""));
    assert_non_null(strstr(html, "Мастер заболел"));
    free(html);
    POST(&a, epath(p, sizeof p, DS, id, "@register"), 409, "x", "1");
    client_free(&org);
    client_free(&a);
    client_free(&b);
    client_free(&c);
}

struct shot {
    struct client c;
    const char *path;
    long status;
};

static void *fire(void *arg)
{
    struct shot *s = arg;
    const char *pairs[] = {"x", "1", NULL};
    s->status = post_status(&s->c, s->path, 0, pairs);
    return NULL;
}

/* Two sessions at the last place at once: one place, one waiting. */
static void two_sessions_at_the_last_place(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    for (int round = 0; round < 5; round++) {
        char title[64];
        snprintf(title, sizeof title, "Последнее место %d", round);
        long long id = make(&org, DS, title, "1", "members");
        char p[160];
        epath(p, sizeof p, DS, id, "@register");
        struct shot shots[2];
        pthread_t th[2];
        login_as(&shots[0].c, &S, "dvor-sadovaya-12-3");
        login_as(&shots[1].c, &S, "dvor-sadovaya-12-4");
        shots[0].path = shots[1].path = p;
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_create(&th[i], NULL, fire, &shots[i]), 0);
        for (int i = 0; i < 2; i++) {
            pthread_join(th[i], NULL);
            assert_int_equal(shots[i].status, 303);
            client_free(&shots[i].c);
        }
        long long occ = occurrence(id);
        assert_int_equal(q("SELECT count(*) FROM event_registrations WHERE occurrence_id ="
                           " CAST(? AS INTEGER) AND state = 'registered'",
                           occ),
                         1);
        assert_int_equal(q("SELECT count(*) FROM event_registrations WHERE occurrence_id ="
                           " CAST(? AS INTEGER) AND state = 'waiting'",
                           occ),
                         1);
    }
    client_free(&org);
}

static void the_time_zone_is_the_organizers_and_checked(void **state)
{
    (void)state;
    struct client org, m;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    struct resp r;
    const char *bad[] = {"Mars/Olympus", "../../etc/passwd", "Europe/", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *pairs[] = {"zone", bad[i], NULL};
        assert_int_equal(post_pairs(&org, ZK "/events/settings", 1, pairs, &r), 0);
        if (r.status != 422 || !field_error(&r, "zone")) fail_msg("zone %s: %ld", bad[i], r.status);
        resp_free(&r);
    }
    assert_int_equal(get_status(&m, ZK "/events/settings", 1), 403);
    POST(&org, ZK "/events/settings", 303, "zone", "Europe/Berlin");
    long long id = make(&org, ZK, "Встреча в Берлинском времени", "", "members");
    /* 18:00 in Berlin in summer is 16:00 UTC */
    assert_int_equal(q("SELECT starts_at FROM event_occurrences WHERE event_id ="
                       " CAST(? AS INTEGER)",
                       id),
                     1906560000LL);
    POST(&org, ZK "/events/settings", 303, "zone", "Europe/Moscow");
    client_free(&org);
    client_free(&m);
}

/* Fetches path into a file and runs the independent parser on it (with
 * Debian's interpreter, for which python3-icalendar is installed). */
static int ical_ok(struct client *c, const char *path, const char *summary, const char *zone,
                   long long start, const char *absent)
{
    struct resp r;
    assert_int_equal(client_get(c, path, 0, &r), 0);
    assert_int_equal(r.status, 200);
    char ctype[128];
    assert_true(resp_header(&r, "Content-Type", ctype, sizeof ctype) == 0);
    assert_non_null(strstr(ctype, "text/calendar"));
    char file[600];
    snprintf(file, sizeof file, "%s/feed.ics", S.dir);
    FILE *f = fopen(file, "wb");
    assert_non_null(f);
    fwrite(r.body, 1, r.len, f);
    fclose(f);
    resp_free(&r);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 tests/http/ical_check.py '%s' '%s' '%s' %lld '%s'",
             file, summary, zone, start, absent ? absent : "");
    int rc = system(cmd);
    unlink(file);
    return rc == 0;
}

static void feeds_parse_with_an_independent_parser(void **state)
{
    (void)state;
    struct client org, anon;
    login_as(&org, &S, "organizer");
    login_as(&anon, &S, NULL);
    long long open = make(&org, DS, "Открытый пикник", "", "everyone");
    make(&org, DS, "Закрытое собрание актива", "", "members");
    assert_true(ical_ok(&anon, DS "/events/feed.ics", "Открытый пикник", "Europe/Moscow",
                        1906556400LL, "Закрытое собрание актива"));
    char p[160];
    assert_true(ical_ok(&anon, epath(p, sizeof p, DS, open, "/event.ics"), "Открытый пикник",
                        "Europe/Moscow", 1906556400LL, NULL));
    /* an event in a zone with summer time: its VTIMEZONE's rules parse too */
    POST(&org, DS "/events/settings", 303, "zone", "Europe/Berlin");
    make(&org, DS, "Пикник по берлинскому времени", "", "everyone");
    POST(&org, DS "/events/settings", 303, "zone", "Europe/Moscow");
    assert_true(ical_ok(&anon, DS "/events/feed.ics", "Пикник по берлинскому времени",
                        "Europe/Berlin", 1906560000LL, NULL));
    /* a closed community has no public feed, and its events are members' */
    struct client m;
    login_as(&m, &S, "member");
    assert_int_equal(get_status(&m, ZK "/events/feed.ics", 0), 409);
    assert_int_equal(get_status(&anon, ZK "/events/feed.ics", 1), 401);
    client_free(&m);
    client_free(&org);
    client_free(&anon);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_organizer_makes_an_event_and_the_calendar_shows_it),
        cmocka_unit_test(every_bad_input_is_refused_with_the_input_kept),
        cmocka_unit_test(a_full_event_has_a_waiting_list_and_hands_places_on),
        cmocka_unit_test(two_sessions_at_the_last_place),
        cmocka_unit_test(the_time_zone_is_the_organizers_and_checked),
        cmocka_unit_test(feeds_parse_with_an_independent_parser),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
