/* Query strings and urlencoded bodies (form_parse_urlencoded) and JSON
 * bodies (form_parse_json). The first input byte picks the parser and the
 * field limit; the rest is the untrusted text. Whatever the parser accepts
 * must honour its contract: at most max fields, every name and value valid
 * UTF-8 without NUL bytes, len the real length. */
#include "core/form.h"
#include "core/text.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < 1) return 0;
    int json = data[0] & 1;
    int max = 1 + (data[0] >> 1) % 64;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    struct arena *a = arena_new();
    struct kvlist l = {0};
    int rc = json ? form_parse_json(a, &l, s, n, max) : form_parse_urlencoded(a, &l, s, n, max);
    if (rc == PARSE_OK) {
        if (l.n > (size_t)max) abort();
        for (size_t i = 0; i < l.n; i++) {
            const struct kv *kv = &l.v[i];
            if (!kv->name || !kv->value || strlen(kv->value) != kv->len ||
                !utf8_valid(kv->name, strlen(kv->name)) || !utf8_valid(kv->value, kv->len))
                abort();
        }
    } else if (rc != PARSE_BAD_UTF8 && rc != PARSE_TOO_MANY && rc != PARSE_BAD) {
        abort();
    }
    arena_free(a);
    return 0;
}
