/* multipart/form-data bodies (multipart_parse), as an upload's form sends
 * them. The first byte picks the field limit; the rest is the body, split
 * by a fixed boundary. Whatever the parser accepts must honour its
 * contract: at most max fields, every name and value valid UTF-8 without
 * NUL bytes, len the real length, and the one file's bytes inside the
 * body it was given. */
#include "core/form.h"
#include "core/multipart.h"
#include "core/text.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < 1) return 0;
    int max = 1 + data[0] % 16;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    struct arena *a = arena_new();
    struct kvlist l = {0};
    struct upload *up = NULL;
    int rc = multipart_parse(a, &l, &up, "XB", s, n, max);
    if (rc == PARSE_OK) {
        if (l.n > (size_t)max) abort();
        for (size_t i = 0; i < l.n; i++) {
            const struct kv *kv = &l.v[i];
            if (!kv->name || !kv->value || strlen(kv->value) != kv->len ||
                !utf8_valid(kv->name, strlen(kv->name)) || !utf8_valid(kv->value, kv->len))
                abort();
        }
        if (up && (up->len == 0 || (const char *)up->data < s ||
                   (const char *)up->data + up->len > s + n || !up->field || !up->filename))
            abort();
    } else if (rc != PARSE_BAD_UTF8 && rc != PARSE_TOO_MANY && rc != PARSE_BAD) {
        abort();
    }
    arena_free(a);
    return 0;
}
