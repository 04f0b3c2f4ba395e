/* A community's address suggested from its name. Cyrillic is written in
 * Latin letters by the Russian passport transliteration of 1997 (the MVD
 * rules: я ya, ю yu, й y, х kh, ц ts, щ shch, ъ and ь dropped), extended
 * with the Belarusian and Ukrainian letters (і i, ў u, ї yi, є ye, ґ g).
 * It is the system people already read on their documents and in street
 * signs, and it needs only a-z (ГОСТ 7.79 system B writes ъ, ь and ы with
 * backquotes, which an address cannot carry). static/slug.js does the same
 * in the browser; the two tables must stay equal. */
#include "areas/community/community.h"
#include "core/text.h"
#include "core/util.h"

#include <string.h>

/* Latin for U+0430..U+044F (а..я), then ё. */
static const char *const LOWER[32] = {
    "a", "b", "v", "g", "d", "e",  "zh", "z",  "i",  "y",    "k", "l", "m", "n", "o",  "p",
    "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "",  "y", "",  "e", "yu", "ya"};

/* The Latin for one code point, or NULL when it is not a letter or digit
 * we keep. */
static const char *latin(unsigned cp, char *one)
{
    if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
        one[0] = (char)cp;
        one[1] = 0;
        return one;
    }
    if (cp >= 'A' && cp <= 'Z') return latin(cp + 32, one);
    if (cp >= 0x410 && cp <= 0x42F) cp += 0x20; /* А..Я */
    if (cp >= 0x430 && cp <= 0x44F) return LOWER[cp - 0x430];
    switch (cp) {
    case 0x401:
    case 0x451:
        return "e"; /* Ё ё */
    case 0x406:
    case 0x456:
        return "i"; /* І і */
    case 0x40E:
    case 0x45E:
        return "u"; /* Ў ў */
    case 0x407:
    case 0x457:
        return "yi"; /* Ї ї */
    case 0x404:
    case 0x454:
        return "ye"; /* Є є */
    case 0x490:
    case 0x491:
        return "g"; /* Ґ ґ */
    }
    return NULL;
}

/* Decodes one UTF-8 sequence at *p (input already checked as UTF-8 by the
 * form parser; a stray byte is skipped as not a letter). */
static unsigned next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    unsigned c = s[0];
    int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    unsigned cp = n == 0 ? c : n == 1 ? c & 0x1F : n == 2 ? c & 0x0F : c & 0x07;
    int i = 1;
    for (; i <= n && (s[i] & 0xC0) == 0x80; i++)
        cp = (cp << 6) | (s[i] & 0x3F);
    *p = s + i;
    return i == n + 1 ? cp : 0xFFFD;
}

char *community_slug_suggest(const char *name)
{
    struct buf b;
    buf_init(&b);
    int dash = 0;
    for (const unsigned char *p = (const unsigned char *)(name ? name : ""); *p;) {
        char one[2];
        unsigned cp = next_cp(&p);
        const char *l = latin(cp, one);
        if (l && *l) {
            if (dash && b.len) buf_putc(&b, '-');
            dash = 0;
            buf_puts(&b, l);
        } else if (!l) {
            dash = 1; /* ъ and ь vanish inside a word; anything else parts words */
        }
    }
    char *s = xstrdup(b.data ? b.data : "");
    buf_free(&b);
    /* At most 64, cut at a word boundary when there is one. */
    if (strlen(s) > 64) {
        s[64] = 0;
        char *cut = strrchr(s, '-');
        if (cut && cut - s >= 16) *cut = 0;
    }
    size_t n = strlen(s);
    while (n && s[n - 1] == '-')
        s[--n] = 0;
    return s;
}
