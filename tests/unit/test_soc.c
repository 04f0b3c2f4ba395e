/* Unit tests of the sense-of-community logic: statistics, the k rule, wave
 * states, the weakest factor, answer slots and the trend chart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/soc/soc.h"
#include "core/auth.h"

#include <string.h>

static void stats_mean_median_distribution(void **state)
{
    (void)state;
    struct soc_stats s;
    int64_t d[SOC_SCALE] = {0};
    soc_stats_from(&s, d);
    assert_int_equal(s.n, 0);
    assert_true(s.mean == 0.0 && s.median == 0.0);
    /* ratings 2, 4, 4, 9: mean 4.75, median 4 */
    d[1] = 1;
    d[3] = 2;
    d[8] = 1;
    soc_stats_from(&s, d);
    assert_int_equal(s.n, 4);
    assert_true(s.mean > 4.749 && s.mean < 4.751);
    assert_true(s.median == 4.0);
    assert_int_equal(s.dist[3], 2);
    /* ratings 1, 10: median is the mean of the two middle ones */
    int64_t e[SOC_SCALE] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    soc_stats_from(&s, e);
    assert_true(s.median == 5.5);
    assert_true(s.mean == 5.5);
    /* odd count: 3, 7, 8 -> median 7 */
    int64_t o[SOC_SCALE] = {0, 0, 1, 0, 0, 0, 1, 1, 0, 0};
    soc_stats_from(&s, o);
    assert_true(s.median == 7.0);
    /* negative counts are ignored */
    int64_t neg[SOC_SCALE] = {-5, 0, 0, 0, 2, 0, 0, 0, 0, 0};
    soc_stats_from(&s, neg);
    assert_int_equal(s.n, 2);
    assert_true(s.mean == 5.0);
}

static void k_rule(void **state)
{
    (void)state;
    assert_false(soc_k_valid(2));
    assert_false(soc_k_valid(0));
    assert_false(soc_k_valid(-3));
    assert_true(soc_k_valid(3));
    assert_true(soc_k_valid(5));
    assert_true(soc_k_valid(100));
    assert_false(soc_k_valid(101));
    assert_int_equal(soc_needed(4, 5), 1);
    assert_int_equal(soc_needed(5, 5), 0);
    assert_int_equal(soc_needed(0, 5), 5);
    assert_int_equal(soc_needed(9, 5), 0);
    assert_int_equal(soc_needed(2, 1), 1); /* k below the floor counts as 3 */
    /* The ballot box's gate: closed, and k counted ballots, k fixed in the box. */
    struct ballot_info b = {.k = 5, .cast = 4, .verified = 4, .closed = 1};
    assert_false(ballot_visible(&b));
    assert_int_equal(ballot_needed(&b), 1);
    b.cast = b.verified = 5;
    assert_true(ballot_visible(&b));
    b.closed = 0; /* never while open */
    assert_false(ballot_visible(&b));
    b = (struct ballot_info){.k = 2, .cast = 9, .verified = 9, .closed = 1};
    assert_false(ballot_visible(&b)); /* a k below the floor never opens results */
    /* A link box: unverified ballots count only when the box was opened so. */
    b = (struct ballot_info){.k = 5, .cast = 5, .verified = 1, .closed = 1, .open_roll = 1};
    assert_false(ballot_visible(&b));
    assert_int_equal(ballot_needed(&b), 4);
    b.count_unverified = 1;
    assert_true(ballot_visible(&b));
}

static void wave_states(void **state)
{
    (void)state;
    const int64_t D = 86400;
    /* A wave of days 10..20: its box closes at the end of day 20. */
    struct ballot_info b = {.k = 5, .opens_at = 10 * D, .closes_at = 21 * D};
    assert_int_equal(soc_state_of(&b, 9 * D), SOC_UPCOMING);
    assert_int_equal(soc_state_of(&b, 10 * D), SOC_OPEN);
    assert_int_equal(soc_state_of(&b, 20 * D + 86399), SOC_OPEN); /* last day counts */
    assert_int_equal(soc_state_of(&b, 21 * D), SOC_CLOSED);
    assert_false(ballot_is_open(&b, 21 * D));
    b.closed = 1;
    assert_int_equal(soc_state_of(&b, 15 * D), SOC_CLOSED);
    assert_false(ballot_is_open(&b, 15 * D));
}

static void weakest_and_rate(void **state)
{
    (void)state;
    struct soc_stats s[SOC_FACTORS];
    memset(s, 0, sizeof s);
    assert_int_equal(soc_weakest(s), -1);
    for (int f = 0; f < SOC_FACTORS; f++) {
        s[f].n = 5;
        s[f].mean = 6.0;
    }
    s[2].mean = 4.2;
    assert_int_equal(soc_weakest(s), 2);
    s[0].mean = 4.2; /* a tie goes to the first in the methodology's order */
    assert_int_equal(soc_weakest(s), 0);
    assert_int_equal(soc_rate_pct(9, 11), 82);
    assert_int_equal(soc_rate_pct(0, 0), 0);
    assert_int_equal(soc_rate_pct(12, 11), 100);
    assert_string_equal(soc_factors[3], "connection");
}

static void trend_svg_escapes_text(void **state)
{
    (void)state;
    const double means[2][SOC_FACTORS] = {{5, 4, 3, 6}, {7, 6, 5, 8}};
    const char *labels[] = {"2026-03-01", "<b>"};
    const char *const names[SOC_FACTORS] = {"A&B", "B", "C", "D"};
    struct buf b;
    buf_init(&b);
    soc_trend_svg(&b, 2, means, labels, names, "t\"");
    assert_non_null(strstr(b.data, "<svg"));
    assert_non_null(strstr(b.data, "<polyline"));
    assert_non_null(strstr(b.data, "A&amp;B"));
    assert_non_null(strstr(b.data, "&lt;b&gt;"));
    assert_null(strstr(b.data, "<b>"));
    assert_null(strstr(b.data, "t\"\""));
    buf_free(&b);
    buf_init(&b);
    soc_trend_svg(&b, 1, means, labels, names, "one");
    assert_null(strstr(b.data, "<polyline")); /* one wave: points, no line */
    assert_non_null(strstr(b.data, "<circle"));
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stats_mean_median_distribution),
        cmocka_unit_test(k_rule),
        cmocka_unit_test(wave_states),
        cmocka_unit_test(weakest_and_rate),
        cmocka_unit_test(trend_svg_escapes_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
