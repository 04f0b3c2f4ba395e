/* The events area's time without a server: wall-clock times of a zone to
 * UTC and back (summer time, the gap and the repeated hour), malformed and
 * impossible times refused, and which zone names are accepted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/meeting/meeting.h"

#include <string.h>

static void local_times_convert_both_ways(void **state)
{
    (void)state;
    int64_t t = 0;
    /* Moscow: UTC+3 all year */
    assert_int_equal(event_local_parse("2030-06-01T18:00", "Europe/Moscow", &t), 0);
    assert_int_equal(t, 1906556400LL);
    assert_int_equal(event_local_parse("2030-01-15T18:00", "Europe/Moscow", &t), 0);
    assert_int_equal(t, 1894719600LL);
    /* Berlin: UTC+2 in summer, UTC+1 in winter */
    assert_int_equal(event_local_parse("2030-06-01T18:00", "Europe/Berlin", &t), 0);
    assert_int_equal(t, 1906560000LL);
    assert_int_equal(event_local_parse("2030-01-15 18:00", "Europe/Berlin", &t), 0);
    assert_int_equal(t, 1894726800LL);
    char out[20];
    event_local_format(1906560000LL, "Europe/Berlin", out);
    assert_string_equal(out, "2030-06-01T18:00");
    event_local_format(1906560000LL, "Europe/Moscow", out);
    assert_string_equal(out, "2030-06-01T19:00");
    /* every hour of the day summer time ends (02:15 comes twice) comes
     * back as it went */
    for (unsigned h = 0; h < 24; h++) {
        char in[32];
        snprintf(in, sizeof in, "2030-10-27T%02u:15", h);
        assert_int_equal(event_local_parse(in, "Europe/Berlin", &t), 0);
        event_local_format(t, "Europe/Berlin", out);
        assert_string_equal(out, in);
    }
}

static void malformed_times_are_refused(void **state)
{
    (void)state;
    const char *bad[] = {"",
                         "2030-06-01",
                         "2030-06-01T18",
                         "01.06.2030 18:00",
                         "2030-13-01T18:00",
                         "2030-02-29T18:00",
                         "2030-06-31T18:00",
                         "2030-06-01T24:00",
                         "2030-06-01T18:60",
                         "2030-06-01T18:00Z",
                         "1969-12-31T23:00",
                         "２０３０-06-01T18:00"};
    int64_t t;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (event_local_parse(bad[i], "Europe/Moscow", &t) == 0) fail_msg("accepted %s", bad[i]);
    assert_int_equal(event_local_parse("2028-02-29T18:00", "Europe/Moscow", &t), 0);
    assert_int_not_equal(event_local_parse("2030-06-01T18:00", "Mars/Olympus", &t), 0);
}

static void only_real_zones_are_accepted(void **state)
{
    (void)state;
    assert_true(event_zone_valid("Europe/Moscow"));
    assert_true(event_zone_valid("Europe/Minsk"));
    assert_true(event_zone_valid("Asia/Yekaterinburg"));
    const char *bad[] = {"",
                         "Europe",
                         "Europe/",
                         "../../etc/passwd",
                         "/etc/passwd",
                         "Mars/Base",
                         "Europe/Moscow ",
                         "Europe/Mos;cow",
                         NULL};
    for (int i = 0; bad[i]; i++)
        if (event_zone_valid(bad[i])) fail_msg("accepted zone '%s'", bad[i]);
}

/* A weekly meeting at 19:00 in Berlin stays at 19:00 across the start of
 * summer time (2030-03-31): its UTC start moves an hour. */
static void a_weekly_rule_keeps_its_wall_clock_across_summer_time(void **state)
{
    (void)state;
    int64_t start = 0, out[EVENT_OCCURRENCES_MAX];
    assert_int_equal(event_local_parse("2030-03-21T19:00", "Europe/Berlin", &start), 0);
    struct event_rule rule = {"weekly", 1, 3, NULL};
    assert_int_equal(event_expand(&rule, "Europe/Berlin", start, out, EVENT_OCCURRENCES_MAX), 3);
    assert_int_equal(out[0], 1900346400LL); /* 18:00 UTC */
    assert_int_equal(out[1], 1900951200LL); /* 18:00 UTC */
    assert_int_equal(out[2], 1901552400LL); /* 17:00 UTC: summer time */
    char day[20];
    for (int i = 0; i < 3; i++) {
        event_local_format(out[i], "Europe/Berlin", day);
        assert_string_equal(day + 11, "19:00");
    }
    /* every other week up to a day, that day included */
    struct event_rule two = {"weekly", 2, 0, "2030-04-18"};
    assert_int_equal(event_expand(&two, "Europe/Berlin", start, out, EVENT_OCCURRENCES_MAX), 3);
    event_local_format(out[2], "Europe/Berlin", day);
    assert_string_equal(day, "2030-04-18T19:00");
}

/* The 31st of each month skips the months without one, as RFC 5545
 * says; a daily rule is bounded; malformed rules are refused. */
static void monthly_daily_and_malformed_rules(void **state)
{
    (void)state;
    int64_t start = 0, out[EVENT_OCCURRENCES_MAX];
    assert_int_equal(event_local_parse("2030-01-31T18:00", "Europe/Moscow", &start), 0);
    assert_int_equal(start, 1896102000LL);
    struct event_rule m = {"monthly", 1, 3, NULL};
    assert_int_equal(event_expand(&m, "Europe/Moscow", start, out, EVENT_OCCURRENCES_MAX), 3);
    assert_int_equal(out[1], 1901199600LL); /* 2030-03-31 */
    assert_int_equal(out[2], 1906470000LL); /* 2030-05-31 */
    struct event_rule d = {"daily", 1, 0, "2031-12-31"};
    assert_int_equal(event_expand(&d, "Europe/Moscow", start, out, EVENT_OCCURRENCES_MAX), -1);
    struct event_rule d2 = {"daily", 1, 0, "2030-02-09"};
    assert_int_equal(event_expand(&d2, "Europe/Moscow", start, out, EVENT_OCCURRENCES_MAX), 10);
    const struct event_rule bad[] = {
        {"yearly", 1, 3, NULL},         {"weekly", 0, 3, NULL},         {"weekly", 100, 3, NULL},
        {"weekly", 1, 0, NULL},         {"weekly", 1, 3, "2030-05-01"}, {"weekly", 1, 301, NULL},
        {"weekly", 1, 0, "2030-02-30"}, {"weekly", 1, 0, "2030/05/01"}, {NULL, 1, 3, NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(event_rule_valid(&bad[i]));
        assert_int_equal(event_expand(&bad[i], "Europe/Moscow", start, out, 300), -1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(local_times_convert_both_ways),
        cmocka_unit_test(malformed_times_are_refused),
        cmocka_unit_test(only_real_zones_are_accepted),
        cmocka_unit_test(a_weekly_rule_keeps_its_wall_clock_across_summer_time),
        cmocka_unit_test(monthly_daily_and_malformed_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
