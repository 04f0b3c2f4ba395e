/* UTF-8 and escaping; see text.h. */
#include "core/text.h"

#include <stdint.h>
#include <string.h>

int utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        /* Every text of every row read is checked here: the two-byte
         * letters (all of Cyrillic) without the general case's arithmetic,
         * and after an ASCII byte the run that follows eight bytes at a
         * time (tried after ASCII only: a word of Cyrillic letters would
         * otherwise try it at every letter). */
        unsigned c = s[i];
        if (c < 0x80) {
            if (c == 0) return 0;
            i++;
            while (i + 8 <= n) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
                if ((w & highs) || ((w - ones) & ~w & highs)) break; /* non-ASCII or a NUL */
                i += 8;
            }
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            if (i + 2 > n || (s[i + 1] & 0xC0) != 0x80) return 0;
            i += 2;
            continue;
        }
        size_t len;
        unsigned cp;
        if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return 0; /* continuation byte, overlong lead C0/C1, or F5..FF */
        }
        if (i + len > n) return 0;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += len;
    }
    return 1;
}

size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

static const char *html_entity(char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    default:
        return "&#39;";
    }
}

/* strcspn finds the next character to escape a word at a time, where a
 * loop over characters costs a branch each: most text has none. */
void html_escape(struct buf *b, const char *s)
{
    if (!s) return;
    for (;;) {
        size_t run = strcspn(s, "&<>\"'");
        buf_append(b, s, run);
        s += run;
        if (!*s) return;
        buf_puts(b, html_entity(*s));
        s++;
    }
}

void html_escapen(struct buf *b, const char *s, size_t n)
{
    const char *run = s, *end = s + n;
    for (; s < end; s++) {
        const char *rep;
        switch (*s) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            continue;
        }
        buf_append(b, run, (size_t)(s - run));
        buf_puts(b, rep);
        run = s + 1;
    }
    buf_append(b, run, (size_t)(s - run));
}

void url_escape(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            buf_putc(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_append(b, e, 3);
        }
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

size_t url_decode(char *out, const char *in, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (in[i] == '+') {
            out[o++] = ' ';
        } else if (in[i] == '%' && i + 2 < n && hexval(in[i + 1]) >= 0 && hexval(in[i + 2]) >= 0) {
            out[o++] = (char)(hexval(in[i + 1]) * 16 + hexval(in[i + 2]));
            i += 2;
        } else {
            out[o++] = in[i];
        }
    }
    out[o] = 0;
    return o;
}

char *str_trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    s[n] = 0;
    return s;
}

int slug_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 2 || n > 64 || s[0] == '-' || s[n - 1] == '-') return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return 0;
    return 1;
}

void text_fold(struct buf *b, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    buf_reserve(b, n);
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        if (c >= 'A' && c <= 'Z') {
            buf_putc(b, (char)(c + 32));
        } else if ((c == 0xD0 || c == 0xD1) && i + 1 < n) {
            unsigned cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
            if (cp >= 0x410 && cp <= 0x42F) /* А..Я -> а..я */
                cp += 0x20;
            else if (cp == 0x401 || cp == 0x451) /* Ё, ё -> е */
                cp = 0x435;
            else if (cp >= 0x400 && cp <= 0x40F) /* Ѐ..Џ (Ukrainian, Belarusian) */
                cp += 0x50;
            char out[2] = {(char)(0xC0 | (cp >> 6)), (char)(0x80 | (cp & 0x3F))};
            buf_append(b, out, 2);
            i++;
        } else {
            buf_putc(b, (char)c);
        }
    }
}

void csv_escape(struct buf *b, const char *s)
{
    buf_putc(b, '"');
    /* =HYPERLINK(...) and the like run when a spreadsheet opens the file */
    if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@')) buf_putc(b, '\'');
    for (; s && *s; s++) {
        if (*s == '"') buf_putc(b, '"');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}
