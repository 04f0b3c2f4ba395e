/* The second factor's arithmetic (areas/account/totp.c): RFC 6238's test
 * vectors, the one step of drift either side and no more, the secret's box
 * bound to its account, and recovery codes' shape and hashing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/account/totp.h"
#include "core/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* RFC 6238 appendix B, SHA-1: the secret is the ASCII "12345678901234567890";
 * the RFC gives eight digits, an app shows their last six. */
static const unsigned char RFC_SECRET[TOTP_SECRET] = "12345678901234567890";

static void rfc6238_vectors(void **state)
{
    (void)state;
    static const struct {
        time_t t;
        const char *code;
    } v[] = {
        {59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
        {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char out[TOTP_DIGITS + 1];
        assert_int_equal(totp_code(RFC_SECRET, v[i].t, out), 0);
        assert_string_equal(out, v[i].code);
        assert_int_equal(totp_check(RFC_SECRET, v[i].code, v[i].t), v[i].t / TOTP_STEP);
    }
}

static void one_step_of_drift(void **state)
{
    (void)state;
    time_t t = 1111111109; /* step 37037036 */
    char before[TOTP_DIGITS + 1], after[TOTP_DIGITS + 1], far[TOTP_DIGITS + 1];
    assert_int_equal(totp_code(RFC_SECRET, t - TOTP_STEP, before), 0);
    assert_int_equal(totp_code(RFC_SECRET, t + TOTP_STEP, after), 0);
    assert_int_equal(totp_code(RFC_SECRET, t + 2 * TOTP_STEP, far), 0);
    assert_int_equal(totp_check(RFC_SECRET, before, t), t / TOTP_STEP - 1);
    assert_int_equal(totp_check(RFC_SECRET, after, t), t / TOTP_STEP + 1);
    assert_int_equal(totp_check(RFC_SECRET, far, t), -1);
    /* not six digits: never a code */
    assert_int_equal(totp_check(RFC_SECRET, "08180", t), -1);
    assert_int_equal(totp_check(RFC_SECRET, "0818040", t), -1);
    assert_int_equal(totp_check(RFC_SECRET, "08a804", t), -1);
    assert_int_equal(totp_check(RFC_SECRET, "", t), -1);
}

static void base32_of_the_secret(void **state)
{
    (void)state;
    char b32[TOTP_BASE32 + 1];
    assert_int_equal(totp_base32(RFC_SECRET, b32), 0);
    assert_string_equal(b32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

static void the_box_opens_for_its_account_only(void **state)
{
    (void)state;
    unsigned char app[32], key[32], other[32], s[TOTP_SECRET], back[TOTP_SECRET], box[TOTP_BOX];
    auth_random(app, sizeof app);
    totp_key(app, key);
    totp_secret_new(s);
    totp_box(key, 7, s, box);
    assert_null(memmem(box, sizeof box, s, sizeof s));
    assert_int_equal(totp_unbox(key, 7, box, sizeof box, back), 0);
    assert_memory_equal(back, s, sizeof s);
    assert_int_equal(totp_unbox(key, 8, box, sizeof box, back), -1);
    auth_random(app, sizeof app);
    totp_key(app, other);
    assert_int_equal(totp_unbox(other, 7, box, sizeof box, back), -1);
    box[30] ^= 1;
    assert_int_equal(totp_unbox(key, 7, box, sizeof box, back), -1);
}

static void recovery_codes(void **state)
{
    (void)state;
    unsigned char app[32];
    auth_random(app, sizeof app);
    char a[RECOVERY_LEN + 1], b[RECOVERY_LEN + 1], h1[AUTH_HEX_LEN + 1], h2[AUTH_HEX_LEN + 1];
    recovery_code_new(a);
    recovery_code_new(b);
    assert_int_equal(strlen(a), RECOVERY_LEN);
    assert_int_equal(a[5], '-');
    assert_string_not_equal(a, b);
    assert_int_equal(recovery_code_hash(app, a, h1), 0);
    /* as a person might type it: capitals, spaces, no dash */
    char typed[32];
    snprintf(typed, sizeof typed, " %.5s %s ", a, a + 6);
    for (char *p = typed; *p; p++)
        if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 32);
    assert_int_equal(recovery_code_hash(app, typed, h2), 0);
    assert_string_equal(h1, h2);
    assert_int_equal(recovery_code_hash(app, b, h2), 0);
    assert_string_not_equal(h1, h2);
    /* what cannot be a recovery code */
    assert_int_equal(recovery_code_hash(app, "123456", h2), -1);
    assert_int_equal(recovery_code_hash(app, "abcde-fghjkm", h2), -1);
    assert_int_equal(recovery_code_hash(app, "abcde-fghj0", h2), -1);
}

int main(void)
{
    if (auth_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc6238_vectors),
        cmocka_unit_test(one_step_of_drift),
        cmocka_unit_test(base32_of_the_secret),
        cmocka_unit_test(the_box_opens_for_its_account_only),
        cmocka_unit_test(recovery_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
