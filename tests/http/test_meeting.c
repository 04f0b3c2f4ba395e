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
    /* the past: the demo's assembly of six days ago, and no upcoming event */
    html = get_html(&m, DS "/events?past=1");
    assert_non_null(strstr(html, "Общее собрание жильцов дома"));
    assert_null(strstr(html, "Праздник двора для всех"));
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

static long long occ_seq(long long id, int seq)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT id FROM event_occurrences WHERE event_id = CAST(? AS INTEGER) AND seq = %d",
             seq);
    return q(sql, id);
}

/* Fetches path and runs the series check of the independent tools. */
static int series_ok(struct client *c, const char *path, const char *summary, const char *zone,
                     const char *starts)
{
    struct resp r;
    assert_int_equal(client_get(c, path, 0, &r), 0);
    assert_int_equal(r.status, 200);
    char file[600];
    snprintf(file, sizeof file, "%s/series.ics", S.dir);
    FILE *f = fopen(file, "wb");
    assert_non_null(f);
    fwrite(r.body, 1, r.len, f);
    fclose(f);
    resp_free(&r);
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 tests/http/ical_series_check.py '%s' '%s' '%s' '%s'", file, summary,
             zone, starts);
    int rc = system(cmd);
    unlink(file);
    return rc == 0;
}

static void expect_422(struct client *c, const char *path, const char *field, const char **pairs)
{
    struct resp r;
    assert_int_equal(post_pairs(c, path, 1, pairs, &r), 0);
    if (r.status != 422 || !field_error(&r, field))
        fail_msg("%s: status %ld, no error beside %s", pairs[1], r.status, field);
    resp_free(&r);
}

/* A weekly club across the start of summer time: its occurrences keep
 * their wall-clock time, one is moved and one cancelled, the feed says
 * RRULE, EXDATE and RECURRENCE-ID as the independent tools expand them,
 * and shortening the series deletes the last one's registration and tells
 * its member. */
static void a_weekly_series_with_one_changed_and_one_cancelled(void **state)
{
    (void)state;
    struct client org, m, anon;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    login_as(&anon, &S, NULL);
    POST(&org, DS "/events/settings", 303, "zone", "Europe/Berlin");
    const char *T = "Клуб настольных игр по четвергам";
    POST(&org, DS "/events", 303, "kind", "club", "title", T, "start", "2030-03-21T19:00", "end",
         "2030-03-21T21:00", "audience", "everyone", "repeat", "weekly", "every", "1", "count",
         "4");
    long long id = by_title(T);
    assert_true(id > 0);
    assert_int_equal(
        q("SELECT count(*) FROM event_occurrences WHERE event_id = CAST(? AS INTEGER)", id), 4);
    assert_int_equal(q("SELECT starts_at FROM event_occurrences WHERE event_id = CAST(? AS INTEGER)"
                       " AND seq = 1",
                       id),
                     1900951200LL);
    /* after the change of clocks: 19:00 is 17:00 UTC */
    assert_int_equal(q("SELECT starts_at FROM event_occurrences WHERE event_id = CAST(? AS INTEGER)"
                       " AND seq = 2",
                       id),
                     1901552400LL);
    char p[200];
    long long o1 = occ_seq(id, 1), o2 = occ_seq(id, 2), o3 = occ_seq(id, 3);
    snprintf(p, sizeof p, DS "/events/%lld/occurrences/%lld/register", id, o1);
    POST(&m, p, 303, "x", "1");
    snprintf(p, sizeof p, DS "/events/%lld/occurrences/%lld/register", id, o3);
    POST(&m, p, 303, "x", "1");
    /* one moved an hour later, elsewhere; members may not */
    snprintf(p, sizeof p, DS "/events/%lld/occurrences/%lld/edit", id, o2);
    POST(&m, p, 403, "start", "2030-04-04T20:00", "end", "2030-04-04T22:00");
    const char *late[] = {"start", "2030-04-04T20:00", "end", "2030-04-04T19:00", NULL};
    expect_422(&org, p, "end", late);
    const char *junk[] = {"start", "завтра", "end", "2030-04-04T22:00", NULL};
    expect_422(&org, p, "start", junk);
    POST(&org, p, 303, "start", "2030-04-04T20:00", "end", "2030-04-04T22:00", "place_text",
         "Библиотека на Садовой");
    /* one cancelled: its member is told */
    snprintf(p, sizeof p, DS "/events/%lld/occurrences/%lld/cancel", id, o1);
    const char *none[] = {"reason", "", NULL};
    expect_422(&org, p, "reason", none);
    POST(&org, p, 303, "reason", "Праздничный день");
    POST(&org, p, 409, "reason", "Ещё раз");
    assert_true(db_value(&S, "SELECT count(*) FROM notifications WHERE kind = ?",
                         "meeting.occurrence_cancelled") >= 1);
    snprintf(p, sizeof p, DS "/events/%lld", id);
    json_t *v = view_json(&m, p);
    assert_true(json_is_true(jget(v, "occurrences.1.cancelled")));
    assert_string_equal(jstr(v, "occurrences.1.reason"), "Праздничный день");
    assert_string_equal(jstr(v, "occurrences.2.place_text"), "Библиотека на Садовой");
    assert_string_equal(jstr(v, "occurrences.2.start"), "20:00");
    json_decref(v);
    /* the feeds: seq 0, seq 2 at its own time, seq 3 */
    assert_true(series_ok(&anon, DS "/events/feed.ics", T, "Europe/Berlin",
                          "1900346400,1901556000,1902157200"));
    snprintf(p, sizeof p, DS "/events/%lld/event.ics", id);
    assert_true(series_ok(&anon, p, T, "Europe/Berlin", "1900346400,1901556000,1902157200"));
    /* three times instead of four: the fourth's registration goes, its
     * member is told; the others stay as they were */
    snprintf(p, sizeof p, DS "/events/%lld/edit", id);
    POST(&org, p, 303, "kind", "club", "title", T, "start", "2030-03-21T19:00", "end",
         "2030-03-21T21:00", "audience", "everyone", "repeat", "weekly", "every", "1", "count",
         "3");
    assert_int_equal(
        q("SELECT count(*) FROM event_occurrences WHERE event_id = CAST(? AS INTEGER)", id), 3);
    assert_int_equal(q("SELECT count(*) FROM event_occurrences WHERE id = CAST(? AS INTEGER)", o3),
                     0);
    assert_int_equal(q("SELECT count(*) FROM event_registrations WHERE event_id ="
                       " CAST(? AS INTEGER)",
                       id),
                     1);
    assert_true(db_value(&S, "SELECT count(*) FROM notifications WHERE kind = ?",
                         "meeting.occurrence_removed") >= 1);
    assert_int_equal(q("SELECT starts_at FROM event_occurrences WHERE id = CAST(? AS INTEGER)", o2),
                     1901556000LL);
    assert_int_equal(q("SELECT cancelled_reason IS NOT NULL FROM event_occurrences"
                       " WHERE id = CAST(? AS INTEGER)",
                       o1),
                     1);
    /* the edit form shows the rule as stored */
    v = view_json(&org, p);
    assert_string_equal(jstr(v, "form.repeat"), "weekly");
    json_decref(v);
    POST(&org, DS "/events/settings", 303, "zone", "Europe/Moscow");
    client_free(&org);
    client_free(&m);
    client_free(&anon);
}

static void a_rule_is_checked_beside_its_fields(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
#define EV                                                                                         \
    "kind", "club", "title", "Плохое правило", "start", "2030-06-01T18:00", "end",                 \
        "2030-06-01T19:00", "audience", "members", "repeat"
    const char *both[] = {EV, "weekly", "every", "1", "until", "2030-07-01", "count", "3", NULL};
    expect_422(&org, DS "/events", "until", both);
    const char *neither[] = {EV, "weekly", "every", "1", NULL};
    expect_422(&org, DS "/events", "until", neither);
    const char *many[] = {EV, "daily", "every", "1", "until", "2032-01-01", NULL};
    expect_422(&org, DS "/events", "until", many);
    const char *before[] = {EV, "weekly", "every", "1", "until", "2030-05-01", NULL};
    expect_422(&org, DS "/events", "until", before);
    const char *zero[] = {EV, "weekly", "every", "0", "count", "3", NULL};
    expect_422(&org, DS "/events", "every", zero);
    const char *lots[] = {EV, "weekly", "every", "1", "count", "301", NULL};
    expect_422(&org, DS "/events", "count", lots);
    const char *yearly[] = {EV, "yearly", "every", "1", "count", "3", NULL};
    expect_422(&org, DS "/events", "repeat", yearly);
    const char *bad_day[] = {EV, "weekly", "every", "1", "until", "2030-02-30", NULL};
    expect_422(&org, DS "/events", "until", bad_day);
#undef EV
    assert_int_equal(db_value(&S, "SELECT count(*) FROM events WHERE title = ?", "Плохое правило"),
                     0);
    client_free(&org);
}

/* Makes (or remakes) c's private feed in base: its token into tok. */
static void new_feed(struct client *c, const char *base, const char *scope, char tok[64])
{
    char path[128];
    snprintf(path, sizeof path, "%s/events/my-feed", base);
    const char *pairs[] = {"scope", scope, NULL};
    struct resp r;
    assert_int_equal(post_pairs(c, path, 1, pairs, &r), 0);
    assert_int_equal(r.status, 200);
    const char *at = strstr(r.body, "/feeds/events/");
    assert_non_null(at);
    at += strlen("/feeds/events/");
    size_t n = strspn(at, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    assert_int_equal(n, 43);
    memcpy(tok, at, n);
    tok[n] = 0;
    resp_free(&r);
    /* shown once: the page shows it no more */
    char *html = get_html(c, path);
    assert_null(strstr(html, tok));
    free(html);
}

static const char *feed_path(char *buf, size_t n, const char *tok)
{
    snprintf(buf, n, "/feeds/events/%s", tok);
    return buf;
}

/* A member's private feed: by a secret URL without a session, the events
 * for members included; stored as a keyed hash; regenerated (the old URL
 * stops), narrowed to registrations, revoked; a wrong token is 404; a
 * secret community's feed says times, never titles. */
static void a_members_private_feed_by_its_secret_url(void **state)
{
    (void)state;
    struct client org, m, anon, out;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    login_as(&anon, &S, NULL);
    login_as(&out, &S, "newcomer");
    long long inner = make(&org, DS, "Собрание для личного календаря", "", "members");
    long long mine = make(&org, DS, "Пикник для записавшихся", "", "members");
    char p[200], tok[64], old[64];
    assert_int_equal(get_status(&anon, DS "/events/my-feed", 1), 401);
    assert_int_equal(get_status(&out, DS "/events/my-feed", 1), 403);
    assert_int_equal(get_status(&m, DS "/events/my-feed", 1), 200);
    new_feed(&m, DS, "all", tok);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM event_feeds WHERE token_hash = ?", tok), 0);
    assert_true(ical_ok(&anon, feed_path(p, sizeof p, tok), "Собрание для личного календаря",
                        "Europe/Moscow", 1906556400LL, NULL));
    /* a new address: the old one is gone */
    strcpy(old, tok);
    new_feed(&m, DS, "registered", tok);
    assert_int_equal(get_status(&anon, feed_path(p, sizeof p, old), 0), 404);
    POST(&m, epath(p, sizeof p, DS, mine, "@register"), 303, "x", "1");
    assert_true(ical_ok(&anon, feed_path(p, sizeof p, tok), "Пикник для записавшихся",
                        "Europe/Moscow", 1906556400LL, "Собрание для личного календаря"));
    (void)inner;
    /* wrong tokens */
    assert_int_equal(get_status(&anon, "/feeds/events/short", 0), 404);
    assert_int_equal(
        get_status(&anon, "/feeds/events/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0), 404);
    const char *none[] = {"scope", "nobody", NULL};
    expect_422(&m, DS "/events/my-feed", "scope", none);
    /* revoked */
    POST(&m, DS "/events/my-feed/revoke", 303, "x", "1");
    assert_int_equal(get_status(&anon, feed_path(p, sizeof p, tok), 0), 404);
    POST(&m, DS "/events/my-feed/revoke", 409, "x", "1");
    /* a secret community's: a neutral summary, no title or address */
    POST(&org, TV "/events", 303, "kind", "other", "title", "Тайная встреча у Ольги", "start",
         "2030-06-01T18:00", "end", "2030-06-01T19:00", "place_text", "Квартира 5", "audience",
         "members");
    new_feed(&org, TV, "all", tok);
    assert_true(ical_ok(&anon, feed_path(p, sizeof p, tok), "Встреча", "Europe/Moscow",
                        1906556400LL, "Тайная встреча у Ольги"));
    struct resp r;
    assert_int_equal(client_get(&anon, feed_path(p, sizeof p, tok), 0, &r), 0);
    assert_null(strstr(r.body, "Квартира"));
    assert_null(strstr(r.body, "Тайная"));
    resp_free(&r);
    client_free(&org);
    client_free(&m);
    client_free(&anon);
    client_free(&out);
}

static long long poll_option(long long poll, int k)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT id FROM event_poll_options WHERE poll_id = CAST(? AS INTEGER)"
             " ORDER BY starts_at LIMIT 1 OFFSET %d",
             k);
    return q(sql, poll);
}

struct close_shot {
    struct client c;
    const char *path, *option;
    long status;
};

static void *fire_close(void *arg)
{
    struct close_shot *s = arg;
    const char *pairs[] = {"option", s->option, NULL};
    s->status = post_status(&s->c, s->path, 0, pairs);
    return NULL;
}

/* A date poll: bad proposals refused beside the field, members answer
 * (yes / if need be / no) and change their answers, the table counts them,
 * closing makes the event at the chosen time (one of two organizers
 * closing at once), and a closed poll takes no answers. */
static void a_date_poll_closed_into_an_event(void **state)
{
    (void)state;
    struct client org, m, anon, out;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    login_as(&anon, &S, NULL);
    login_as(&out, &S, "newcomer");
    const char *T = "Когда собираемся обсудить двор";
#define PF "kind", "housing", "title", T, "minutes"
    const char *one[] = {PF, "90", "times", "2030-07-01T18:00", NULL};
    expect_422(&org, DS "/events/polls", "times", one);
    const char *past[] = {PF, "90", "times", "2020-07-01T18:00\n2030-07-02T18:00", NULL};
    expect_422(&org, DS "/events/polls", "times", past);
    const char *twice[] = {PF, "90", "times", "2030-07-01T18:00\n2030-07-01T18:00", NULL};
    expect_422(&org, DS "/events/polls", "times", twice);
    const char *junk[] = {PF, "90", "times", "2030-07-01T18:00\nв среду", NULL};
    expect_422(&org, DS "/events/polls", "times", junk);
    const char *shortm[] = {PF, "5", "times", "2030-07-01T18:00\n2030-07-02T18:00", NULL};
    expect_422(&org, DS "/events/polls", "minutes", shortm);
    POST(&m, DS "/events/polls", 403, PF, "90", "times", "2030-07-01T18:00\n2030-07-02T18:00");
    POST(&org, DS "/events/polls", 303, PF, "90", "times",
         "2030-07-01T18:00\r\n 2030-07-02T18:00 \n\n2030-07-03T19:00\n");
#undef PF
    long long poll = db_value(&S, "SELECT max(id) FROM event_polls WHERE title = ?", T);
    assert_true(poll > 0);
    long long o1 = poll_option(poll, 0), o2 = poll_option(poll, 1), o3 = poll_option(poll, 2);
    assert_true(o3 > 0);
    char p[200], a1[40], a2[40], a3[40];
    snprintf(p, sizeof p, DS "/events/polls/%lld/answer", poll);
    snprintf(a1, sizeof a1, "%lld:yes", o1);
    snprintf(a2, sizeof a2, "%lld:maybe", o2);
    snprintf(a3, sizeof a3, "%lld:no", o3);
    POST(&anon, p, 401, "answer", a1);
    POST(&out, p, 403, "answer", a1);
    POST(&m, p, 422, "answer", "x:yes");
    POST(&m, p, 422, "answer", "1:perhaps");
    POST(&m, p, 303, "answer", a1, "answer", a2, "answer", a3);
    snprintf(a1, sizeof a1, "%lld:yes", o2);
    POST(&org, p, 303, "answer", a1);
    /* a change of mind replaces the answer */
    snprintf(a3, sizeof a3, "%lld:maybe", o3);
    POST(&m, p, 303, "answer", a3);
    snprintf(p, sizeof p, DS "/events/polls/%lld", poll);
    assert_int_equal(get_status(&out, p, 1), 403);
    json_t *v = view_json(&m, p);
    assert_int_equal(json_integer_value(jget(v, "times.1.yes")), 1);
    assert_int_equal(json_integer_value(jget(v, "times.1.maybe")), 1);
    assert_int_equal(json_integer_value(jget(v, "times.2.maybe")), 1);
    assert_int_equal(json_integer_value(jget(v, "times.2.no")), 0);
    assert_string_equal(jstr(v, "times.0.mine"), "yes");
    assert_true(json_is_true(jget(v, "times.1.best")));
    assert_int_equal(json_array_size(jget(v, "people")), 2);
    json_decref(v);
    /* closing: only organizers, only an option of the poll */
    snprintf(p, sizeof p, DS "/events/polls/%lld/close", poll);
    snprintf(a2, sizeof a2, "%lld", o2);
    POST(&m, p, 403, "option", a2);
    const char *stranger[] = {"option", "999999", NULL};
    expect_422(&org, p, "option", stranger);
    struct close_shot shots[2];
    pthread_t th[2];
    for (int i = 0; i < 2; i++) {
        login_as(&shots[i].c, &S, "organizer");
        shots[i].path = p;
        shots[i].option = a2;
    }
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, fire_close, &shots[i]), 0);
    int made = 0, refused = 0;
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        made += shots[i].status == 303;
        refused += shots[i].status == 409;
        client_free(&shots[i].c);
    }
    assert_int_equal(made, 1);
    assert_int_equal(refused, 1);
    long long ev = by_title(T);
    assert_true(ev > 0);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM events WHERE title = ?", T), 1);
    /* 2030-07-02 18:00 in Moscow, for 90 minutes */
    assert_int_equal(
        q("SELECT starts_at FROM event_occurrences WHERE event_id = CAST(? AS INTEGER)", ev),
        1909234800LL);
    assert_int_equal(q("SELECT ends_at - starts_at FROM event_occurrences"
                       " WHERE event_id = CAST(? AS INTEGER)",
                       ev),
                     5400);
    assert_int_equal(db_value(&S, "SELECT event_id FROM event_polls WHERE title = ?", T), ev);
    snprintf(p, sizeof p, DS "/events/polls/%lld/answer", poll);
    POST(&m, p, 409, "answer", a3);
    client_free(&org);
    client_free(&m);
    client_free(&anon);
    client_free(&out);
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
        cmocka_unit_test(a_weekly_series_with_one_changed_and_one_cancelled),
        cmocka_unit_test(a_rule_is_checked_beside_its_fields),
        cmocka_unit_test(a_members_private_feed_by_its_secret_url),
        cmocka_unit_test(a_date_poll_closed_into_an_event),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
