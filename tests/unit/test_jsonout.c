/* json_out writes what json_dumps(JSON_COMPACT) wrote for every kind of
 * value a view holds, so every JSON client reads the same answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/jsonout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void same_as_jansson(json_t *v)
{
    struct buf b;
    buf_init(&b);
    json_out(&b, v);
    char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_non_null(want);
    assert_string_equal(b.data, want);
    /* and it reads back as the same value */
    json_t *back = json_loads(b.data, JSON_DECODE_ANY, NULL);
    assert_non_null(back);
    assert_true(json_equal(back, v));
    json_decref(back);
    free(want);
    buf_free(&b);
    json_decref(v);
}

static void every_kind_of_value(void **state)
{
    (void)state;
    same_as_jansson(json_pack("{ss si sb sb sn sf}", "title", "Двор «Садовая, 12»", "n", 42, "yes",
                              1, "no", 0, "none", "x", 1.5));
    same_as_jansson(json_pack("[s s s s]", "кавычка \" и \\ слэш / ", "строка\nвторая\tтаб\r",
                              "\x01\x1f\b\f", "ё 😀 \xe2\x80\xa8"));
    same_as_jansson(json_pack("{sI sI sI}", "max", (json_int_t)INT64_MAX, "min",
                              (json_int_t)INT64_MIN, "zero", (json_int_t)0));
    same_as_jansson(json_pack("[f f f f f]", 0.1, -2.0, 1e300, 123456789.0, -1.5e-7));
    same_as_jansson(json_pack("{s{s[{s[]}{}]}}", "a", "b", "c"));
    same_as_jansson(json_array());
    same_as_jansson(json_object());
    same_as_jansson(json_string(""));
    /* insertion order is kept, as jansson keeps it */
    json_t *o = json_object();
    for (int i = 0; i < 50; i++) {
        char k[8];
        snprintf(k, sizeof k, "k%d", 49 - i);
        json_object_set_new(o, k, json_integer(i));
    }
    same_as_jansson(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kind_of_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
