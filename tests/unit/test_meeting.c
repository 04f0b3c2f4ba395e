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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(local_times_convert_both_ways),
        cmocka_unit_test(malformed_times_are_refused),
        cmocka_unit_test(only_real_zones_are_accepted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
