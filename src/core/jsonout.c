/* Compact JSON of a view; see jsonout.h. */
#include "core/jsonout.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* 1 for the bytes a JSON string must escape: the control characters, the
 * quote and the backslash. */
static const unsigned char NEEDS_ESCAPE[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, ['\\'] = 1,
};

static void put_string(struct buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF"; /* as jansson writes them */
    buf_putc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!NEEDS_ESCAPE[c]) continue;
        buf_append(b, s + run, i - run);
        run = i + 1;
        char esc[7] = {'\\', 0};
        size_t len = 2;
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            len = 6;
        }
        buf_append(b, esc, len);
    }
    buf_append(b, s + run, n - run);
    buf_putc(b, '"');
}

static void put_integer(struct buf *b, json_int_t v)
{
    char tmp[24];
    char *p = tmp + sizeof tmp;
    /* in unsigned arithmetic: the most negative value has no positive */
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    buf_append(b, p, (size_t)(tmp + sizeof tmp - p));
}

static void put_real(struct buf *b, double d)
{
    /* as jansson writes one: %.17g, and a ".0" where it would read back
     * as an integer */
    char tmp[40];
    int n = snprintf(tmp, sizeof tmp, "%.17g", d);
    if (n <= 0 || (size_t)n >= sizeof tmp) {
        buf_puts(b, "null");
        return;
    }
    /* and the exponent without its '+' and leading zeros: e300, e-5 */
    char *e = strchr(tmp, 'e');
    if (e) {
        char *to = e + 1, *q = e + 1;
        if (*q == '+')
            q++;
        else if (*q == '-')
            *to++ = *q++;
        while (*q == '0' && q[1])
            q++;
        memmove(to, q, strlen(q) + 1);
        n = (int)strlen(tmp);
    }
    buf_append(b, tmp, (size_t)n);
    if (!strpbrk(tmp, ".eEn")) buf_append(b, ".0", 2);
}

void json_out(struct buf *b, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        buf_putc(b, '{');
        const char *key;
        json_t *val;
        int first = 1;
        /* json_object_foreach takes a non-const object; it does not change it */
        json_object_foreach((json_t *)v, key, val)
        {
            if (!first) buf_putc(b, ',');
            first = 0;
            put_string(b, key, strlen(key));
            buf_putc(b, ':');
            json_out(b, val);
        }
        buf_putc(b, '}');
        break;
    }
    case JSON_ARRAY: {
        buf_putc(b, '[');
        size_t n = json_array_size(v);
        for (size_t i = 0; i < n; i++) {
            if (i) buf_putc(b, ',');
            json_out(b, json_array_get(v, i));
        }
        buf_putc(b, ']');
        break;
    }
    case JSON_STRING:
        put_string(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        put_integer(b, json_integer_value(v));
        break;
    case JSON_REAL:
        put_real(b, json_real_value(v));
        break;
    case JSON_TRUE:
        buf_append(b, "true", 4);
        break;
    case JSON_FALSE:
        buf_append(b, "false", 5);
        break;
    default:
        buf_append(b, "null", 4);
    }
}
