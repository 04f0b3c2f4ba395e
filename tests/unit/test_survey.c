/* Unit tests of the survey helpers: options, CSV quoting, percentages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/survey/survey.h"
#include "core/util.h"

#include <string.h>

static void options_are_split_and_trimmed(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    const char *o[4];
    assert_int_equal(survey_split_options(a, "  Да \n\n Нет\r\nМожет быть", o, 4), 3);
    assert_string_equal(o[0], "Да");
    assert_string_equal(o[1], "Нет");
    assert_string_equal(o[2], "Может быть");
    assert_int_equal(survey_split_options(a, "", o, 4), 0);
    assert_int_equal(survey_split_options(a, NULL, o, 4), 0);
    assert_int_equal(survey_split_options(a, "a\nb\nc\nd\ne", o, 4), -1);
    arena_free(a);
}

static void percentages_round(void **state)
{
    (void)state;
    assert_int_equal(survey_pct(1, 3), 33);
    assert_int_equal(survey_pct(2, 3), 67);
    assert_int_equal(survey_pct(0, 0), 0);
    assert_int_equal(survey_pct(5, 5), 100);
    assert_string_equal(survey_kinds[5], "long");
    assert_null(survey_kinds[6]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(options_are_split_and_trimmed),
        cmocka_unit_test(percentages_round),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
