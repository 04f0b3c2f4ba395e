/* UTF-8 validation and escaping. utf8_valid is checked against a plain
 * reference decoder (Unicode table 3-7: no overlong forms, no surrogates,
 * nothing above U+10FFFF, and no NUL for us); html_escape and url_escape
 * must leave no byte that could end an attribute or open a tag. */
#include "core/text.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int ref_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c == 0) return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        unsigned need, cp, min;
        if (c >= 0xC2 && c <= 0xDF)
            need = 1, cp = c & 0x1F, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
            need = 2, cp = c & 0x0F, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
            need = 3, cp = c & 0x07, min = 0x10000;
        else
            return 0;
        if (i + need >= n) return 0;
        for (unsigned k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
        i += need + 1;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const char *s = (const char *)data;
    int v = utf8_valid(s, size);
    if (v != ref_valid(data, size)) abort();
    char *z = malloc(size + 1);
    memcpy(z, data, size);
    z[size] = 0;
    if (v && utf8_len(z) > size) abort();
    struct buf b;
    buf_init(&b);
    html_escapen(&b, s, size);
    buf_puts(&b, "");
    if (strpbrk(b.data, "<>\"'")) abort();
    buf_free(&b);
    buf_init(&b);
    html_escape(&b, z);
    buf_puts(&b, "");
    if (strpbrk(b.data, "<>\"'")) abort();
    buf_free(&b);
    buf_init(&b);
    url_escape(&b, z);
    buf_puts(&b, "");
    if (strpbrk(b.data, "<>\"' &?#/=+")) abort();
    /* Decoding what was encoded gives the text back. */
    char *back = malloc(b.len + 1);
    size_t n = url_decode(back, b.data, b.len);
    if (n != strlen(z) || memcmp(back, z, n) != 0) abort();
    free(back);
    buf_free(&b);
    free(z);
    return 0;
}
