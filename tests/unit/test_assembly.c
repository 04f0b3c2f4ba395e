/* Assemblies' arithmetic (issue 16, step 3): the quorum from a share of
 * the members or a number, and the thresholds (simple majority and two
 * thirds of those present, consent), at their edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/meeting/assembly.h"

static void a_share_of_the_members_is_rounded_up(void **state)
{
    (void)state;
    assert_int_equal(asm_quorum_needed("share", 50, 100), 50);
    assert_int_equal(asm_quorum_needed("share", 50, 101), 51); /* 50.5 -> 51 */
    assert_int_equal(asm_quorum_needed("share", 50, 3), 2);
    assert_int_equal(asm_quorum_needed("share", 100, 7), 7);
    assert_int_equal(asm_quorum_needed("share", 1, 7), 1);
    assert_int_equal(asm_quorum_needed("share", 34, 3), 2); /* 1.02 -> 2 */
    assert_int_equal(asm_quorum_needed("share", 10, 0), 1); /* never none */
    assert_int_equal(asm_quorum_needed("number", 12, 5), 12);
    assert_int_equal(asm_quorum_reached("share", 50, 101, 50), 0);
    assert_int_equal(asm_quorum_reached("share", 50, 101, 51), 1);
    assert_int_equal(asm_quorum_reached("number", 12, 500, 12), 1);
    assert_int_equal(asm_quorum_reached("number", 12, 500, 11), 0);
}

static void a_malformed_rule_is_refused(void **state)
{
    (void)state;
    assert_int_equal(asm_quorum_needed("share", 0, 100), -1);
    assert_int_equal(asm_quorum_needed("share", 101, 100), -1);
    assert_int_equal(asm_quorum_needed("share", -5, 100), -1);
    assert_int_equal(asm_quorum_needed("number", 0, 100), -1);
    assert_int_equal(asm_quorum_needed("number", 100001, 100), -1);
    assert_int_equal(asm_quorum_needed("half", 50, 100), -1);
    assert_int_equal(asm_quorum_needed(NULL, 50, 100), -1);
    assert_int_equal(asm_quorum_reached("share", 150, 100, 100), -1);
    /* a huge community does not overflow */
    assert_int_equal(asm_quorum_needed("share", 100, INT64_C(1) << 40), INT64_C(1) << 40);
}

static void a_simple_majority_is_more_than_half_of_those_present(void **state)
{
    (void)state;
    /* 10 present: 6 for is a majority, 5 is not (a tie fails) */
    assert_int_equal(asm_adopted("simple", 6, 4, 0, 10, 0), 1);
    assert_int_equal(asm_adopted("simple", 5, 5, 0, 10, 0), 0);
    /* abstentions and silence count against: those present are the base */
    assert_int_equal(asm_adopted("simple", 5, 1, 4, 10, 0), 0);
    assert_int_equal(asm_adopted("simple", 5, 0, 0, 11, 0), 0);
    assert_int_equal(asm_adopted("simple", 6, 0, 0, 11, 0), 1);
    /* the base is at least the votes cast */
    assert_int_equal(asm_adopted("simple", 3, 3, 0, 2, 0), 0);
    assert_int_equal(asm_adopted("simple", 0, 0, 0, 0, 0), 0);
}

static void two_thirds_are_counted_without_rounding(void **state)
{
    (void)state;
    assert_int_equal(asm_adopted("two_thirds", 2, 1, 0, 3, 0), 1);
    assert_int_equal(asm_adopted("two_thirds", 4, 2, 0, 7, 0), 0); /* 4/7 < 2/3 */
    assert_int_equal(asm_adopted("two_thirds", 5, 2, 0, 7, 0), 1); /* 15 >= 14 */
    assert_int_equal(asm_adopted("two_thirds", 66, 34, 0, 100, 0), 0);
    assert_int_equal(asm_adopted("two_thirds", 67, 33, 0, 100, 0), 1);
    assert_int_equal(asm_adopted("two_thirds", 20, 0, 0, 30, 0), 1);
    assert_int_equal(asm_adopted("two_thirds", 19, 0, 0, 30, 0), 0);
}

static void consent_fails_on_one_objection(void **state)
{
    (void)state;
    assert_int_equal(asm_adopted("consent", 0, 0, 0, 40, 0), 1);
    assert_int_equal(asm_adopted("consent", 0, 0, 0, 40, 1), 0);
    assert_int_equal(asm_adopted("consent", 30, 0, 0, 40, 2), 0);
    assert_int_equal(asm_adopted("majority", 6, 4, 0, 10, 0), -1);
    assert_int_equal(asm_adopted(NULL, 6, 4, 0, 10, 0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_share_of_the_members_is_rounded_up),
        cmocka_unit_test(a_malformed_rule_is_refused),
        cmocka_unit_test(a_simple_majority_is_more_than_half_of_those_present),
        cmocka_unit_test(two_thirds_are_counted_without_rounding),
        cmocka_unit_test(consent_fails_on_one_objection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
