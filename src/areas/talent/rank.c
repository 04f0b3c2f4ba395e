/* The talent bank's pure functions: folding text, tags, FTS5 queries and
 * the ranking of matches. No SQL and no requests here. */
#include "areas/talent/talent.h"
#include "core/util.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

const char *const talent_categories[] = {"repairs",   "it",        "design",  "garden",    "music",
                                         "games",     "children",  "elderly", "languages", "legal",
                                         "health",    "transport", "cooking", "sport",     "crafts",
                                         "education", "animals",   "photo",   "other",     NULL};
const char *const talent_kinds[] = {"skill", "hobby", "offer", "need", NULL};
const char *const talent_availability[] = {"any",      "weekdays", "evenings",
                                           "weekends", "arrange",  NULL};
const char *const talent_visibility[] = {"members", "organizers", "public", NULL};

/* Decodes one UTF-8 code point (the input is valid UTF-8: forms check it);
 * returns its length. */
static size_t utf8_get(const unsigned char *s, unsigned *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0 && s[1]) {
        *cp = ((unsigned)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2]) {
        *cp = ((unsigned)(s[0] & 0x0F) << 12) | ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    if ((s[0] & 0xF8) == 0xF0 && s[1] && s[2] && s[3]) {
        *cp = ((unsigned)(s[0] & 0x07) << 18) | ((unsigned)(s[1] & 0x3F) << 12) |
              ((unsigned)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        return 4;
    }
    *cp = 0xFFFD; /* a stray byte: skip it */
    return 1;
}

static void utf8_put(struct buf *b, unsigned cp)
{
    char t[4];
    size_t n;
    if (cp < 0x80) {
        t[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        t[0] = (char)(0xC0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        t[0] = (char)(0xE0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        t[0] = (char)(0xF0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    buf_append(b, t, n);
}

/* Lower case for Latin and Cyrillic; ё and Ё as е. */
static unsigned fold_cp(unsigned cp)
{
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    if (cp >= 0x0410 && cp <= 0x042F) /* А..Я */
        cp += 0x20;
    else if (cp >= 0x0400 && cp <= 0x040F) /* Ѐ..Џ (Ё, Є, І, Ї, Ў ...) */
        cp += 0x50;
    if (cp == 0x0451) /* ё */
        cp = 0x0435;
    return cp;
}

static int is_space(unsigned cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
           cp == 0xA0;
}

/* A letter or digit for word splitting: ASCII alphanumerics, anything
 * from Latin-1 letters up (Cyrillic included), but not punctuation. */
static int is_word(unsigned cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= 0xC0 && cp != 0xD7 && cp != 0xF7 && cp < 0x2000) || cp > 0x2FFF;
}

static void fold_into(struct buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    int pending_space = 0;
    while (p < end && *p) {
        unsigned cp;
        p += utf8_get(p, &cp);
        if (is_space(cp)) {
            pending_space = b->len > 0;
            continue;
        }
        if (pending_space) buf_putc(b, ' ');
        pending_space = 0;
        utf8_put(b, fold_cp(cp));
    }
    if (!b->data) buf_puts(b, "");
}

char *talent_fold(const char *s)
{
    struct buf b;
    buf_init(&b);
    fold_into(&b, s ? s : "", s ? strlen(s) : 0);
    return buf_detach(&b);
}

static size_t cp_count(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

int talent_tag_norm(const char *s, size_t n, char *out)
{
    struct buf b;
    buf_init(&b);
    fold_into(&b, s, n);
    /* After folding, so that any white space counts: "\n#tag", "# #tag". */
    const char *t = b.data;
    while (*t == '#' || *t == ' ')
        t++;
    size_t len = b.len - (size_t)(t - b.data);
    int rc = 0;
    if (len == 0)
        rc = -1;
    else if (cp_count(t) > TALENT_TAG_CHARS || len >= TALENT_TAG_BYTES)
        rc = -2;
    else
        memcpy(out, t, len + 1);
    buf_free(&b);
    return rc;
}

int talent_tags_parse(const char *s, char (*out)[TALENT_TAG_BYTES], int max)
{
    int n = 0;
    while (s && *s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        char tag[TALENT_TAG_BYTES];
        int rc = talent_tag_norm(s, len, tag);
        if (rc == -2) return -2;
        if (rc == 0) {
            int dup = 0;
            for (int i = 0; i < n && !dup; i++)
                dup = strcmp(out[i], tag) == 0;
            if (!dup) {
                if (n >= max) return -3;
                memcpy(out[n++], tag, strlen(tag) + 1);
            }
        }
        s = comma ? comma + 1 : s + len;
    }
    return n;
}

/* ---- words and stems ---- */

enum { MAX_WORDS = 64, MIN_WORD_CHARS = 4 };

/* The two Snowball stemmers, made when a text first needs one and deleted
 * when the text is done: sb_stemmer objects keep their working state
 * inside, so one may not serve two threads at once. Making one costs about
 * 0.4 microseconds, stemming a word 0.2 (measured with libstemmer 2.2), so
 * a stemmer per text costs little next to its words and needs neither a
 * lock nor a per-thread object to free at thread exit. */
struct stemmers {
    struct sb_stemmer *ru, *en;
};

static void stemmers_close(struct stemmers *s)
{
    if (s->ru) sb_stemmer_delete(s->ru);
    if (s->en) sb_stemmer_delete(s->en);
}

/* The stem of the folded word w (len bytes) into out (TALENT_STEM_BYTES). */
static void stem_into(struct stemmers *s, const char *w, size_t len, char *out)
{
    int cyrillic = 0, latin = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)w[i];
        /* U+0400..U+04FF lead with D0..D3 */
        if (c >= 0xD0 && c <= 0xD3) cyrillic = 1;
        if (c >= 'a' && c <= 'z') latin = 1;
    }
    const sb_symbol *st = NULL;
    int n = 0;
    if (len < TALENT_STEM_BYTES && (cyrillic || latin)) {
        struct sb_stemmer **which = cyrillic ? &s->ru : &s->en;
        if (!*which) *which = sb_stemmer_new(cyrillic ? "russian" : "english", "UTF_8");
        if (*which) {
            st = sb_stemmer_stem(*which, (const sb_symbol *)w, (int)len);
            n = st ? sb_stemmer_length(*which) : 0;
        }
    }
    if (!st || n <= 0 || (size_t)n >= TALENT_STEM_BYTES) {
        st = (const sb_symbol *)w;
        n = (int)(len < TALENT_STEM_BYTES ? len : 0);
    }
    memcpy(out, st, (size_t)n);
    out[n] = 0;
}

void talent_stem(const char *word, char *out)
{
    struct stemmers s = {NULL, NULL};
    stem_into(&s, word, strlen(word), out);
    stemmers_close(&s);
}

/* The next word (a run of letters and digits) of folded text from *p on:
 * its start, its length in bytes into *len and in characters into *chars;
 * NULL when there is none. Moves *p past it. */
static const char *next_word(const char **p, size_t *len, size_t *chars)
{
    const unsigned char *q = (const unsigned char *)*p;
    unsigned cp;
    while (*q) {
        size_t l = utf8_get(q, &cp);
        if (is_word(cp)) break;
        q += l;
    }
    if (!*q) {
        *p = (const char *)q;
        return NULL;
    }
    const unsigned char *start = q;
    *chars = 0;
    while (*q) {
        size_t l = utf8_get(q, &cp);
        if (!is_word(cp)) break;
        q += l;
        (*chars)++;
    }
    *len = (size_t)(q - start);
    *p = (const char *)q;
    return (const char *)start;
}

struct words {
    char w[MAX_WORDS][TALENT_WORD_BYTES]; /* the word as written (folded) */
    char stem[MAX_WORDS][TALENT_STEM_BYTES];
    int n;
};

/* Too common to say anything about a match. */
static const char *const STOP[] = {"хочу",  "могу",  "ищу",  "помочь",  "помогу",  "нужен", "нужна",
                                   "нужно", "может", "кто",  "который", "которая", "очень", "есть",
                                   "если",  "with",  "help", "want",    "looking", NULL};

static int is_stop(const char *w)
{
    for (int i = 0; STOP[i]; i++)
        if (strcmp(STOP[i], w) == 0) return 1;
    return 0;
}

/* Splits text (folded here) into words of letters and digits with their
 * stems, one word per stem. min: the shortest word kept, in characters. */
static void split_words(const char *text, size_t min, struct words *out)
{
    out->n = 0;
    char *f = talent_fold(text);
    struct stemmers st = {NULL, NULL};
    const char *p = f, *start;
    size_t len, chars;
    while (out->n < MAX_WORDS && (start = next_word(&p, &len, &chars))) {
        if (chars < min || len >= TALENT_WORD_BYTES) continue;
        memcpy(out->w[out->n], start, len);
        out->w[out->n][len] = 0;
        if (is_stop(out->w[out->n])) continue;
        stem_into(&st, start, len, out->stem[out->n]);
        int dup = 0;
        for (int i = 0; i < out->n && !dup; i++)
            dup = strcmp(out->stem[i], out->stem[out->n]) == 0;
        if (!dup) out->n++;
    }
    stemmers_close(&st);
    free(f);
}

char *talent_fts_stems(const char *text)
{
    char *f = talent_fold(text ? text : "");
    struct stemmers st = {NULL, NULL};
    struct buf b;
    buf_init(&b);
    buf_puts(&b, "");
    const char *p = f, *start;
    size_t len, chars;
    while ((start = next_word(&p, &len, &chars))) {
        if (b.len) buf_putc(&b, ' ');
        char stem[TALENT_STEM_BYTES];
        stem_into(&st, start, len, stem);
        /* a word too long to stem goes in as it is, as talent_stem gives it */
        if (stem[0])
            buf_puts(&b, stem);
        else
            buf_append(&b, start, len);
    }
    stemmers_close(&st);
    free(f);
    return buf_detach(&b);
}

void talent_fts_prefixes(int64_t community_id, struct talent_fts_prefix *p)
{
    snprintf(p->word, sizeof p->word, "c%lldx", (long long)community_id);
    snprintf(p->stem, sizeof p->stem, "s%lldx", (long long)community_id);
}

/* Appends each space-separated item of list, behind prefix. */
static void put_prefixed(struct buf *b, const char *prefix, const char *list)
{
    for (const char *p = list ? list : ""; *p;) {
        size_t n = strcspn(p, " ");
        if (n) {
            if (b->len) buf_putc(b, ' ');
            buf_puts(b, prefix);
            buf_append(b, p, n);
        }
        p += n;
        while (*p == ' ')
            p++;
    }
}

char *talent_fts_row(int64_t community_id, const char *text, const char *stems)
{
    struct talent_fts_prefix px = {"", ""};
    talent_fts_prefixes(community_id, &px);
    struct buf b;
    buf_init(&b);
    buf_puts(&b, "");
    if (text) {
        char *f = talent_fold(text);
        const char *p = f, *start;
        size_t len, chars;
        while ((start = next_word(&p, &len, &chars))) {
            if (b.len) buf_putc(&b, ' ');
            buf_puts(&b, px.word);
            buf_append(&b, start, len);
        }
        free(f);
    }
    put_prefixed(&b, px.stem, stems);
    return buf_detach(&b);
}

int talent_fts_query(int64_t community_id, const char *text, int any, char **out)
{
    struct talent_fts_prefix px = {"", ""};
    talent_fts_prefixes(community_id, &px);
    struct words *w = xmalloc(sizeof *w);
    split_words(text, 1, w);
    struct buf b;
    buf_init(&b);
    for (int i = 0; i < w->n; i++) {
        if (i) buf_puts(&b, any ? " OR " : " AND ");
        buf_printf(&b, "(\"%s%s\"* OR \"%s%s\")", px.word, w->w[i], px.stem, w->stem[i]);
    }
    int n = w->n;
    free(w);
    *out = n ? buf_detach(&b) : NULL;
    buf_free(&b);
    return n;
}

/* ---- match words ---- */

char *talent_match_words(const char *text, char **stems)
{
    struct words *w = xmalloc(sizeof *w);
    split_words(text ? text : "", MIN_WORD_CHARS, w);
    struct buf b, s;
    buf_init(&b);
    buf_init(&s);
    buf_puts(&b, "");
    buf_puts(&s, "");
    for (int i = 0; i < w->n && i < TALENT_MATCH_WORDS; i++) {
        if (i) {
            buf_putc(&b, ' ');
            buf_putc(&s, ' ');
        }
        buf_puts(&b, w->w[i]);
        buf_puts(&s, w->stem[i]);
    }
    free(w);
    if (stems)
        *stems = buf_detach(&s);
    else
        buf_free(&s);
    return buf_detach(&b);
}

int talent_words_split(char *s, const char **out, int max)
{
    int n = 0;
    while (s && *s && n < max) {
        char *sp = strchr(s, ' ');
        if (sp) *sp = 0;
        if (*s) out[n++] = s;
        s = sp ? sp + 1 : s + strlen(s);
    }
    return n;
}

/* FNV-1a of a stem: equal stems, equal hashes, so most pairs of words are
 * told apart without comparing them. */
static uint32_t stem_hash(const char *stem)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)stem; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

void talent_item_words(struct talent_item *it, char *words, char *stems)
{
    int ns = talent_words_split(stems, it->stems, TALENT_MATCH_WORDS);
    int nw = words ? talent_words_split(words, it->words, TALENT_MATCH_WORDS) : ns;
    /* the two lists are written together; should they ever disagree, the
     * words without a stem are left out */
    it->nwords = nw < ns ? nw : ns;
    for (int i = 0; i < it->nwords; i++) {
        if (!words) it->words[i] = it->stems[i];
        it->hashes[i] = stem_hash(it->stems[i]);
    }
}

/* ---- ranking ---- */

static void why_add(char *why, const char *s)
{
    size_t have = strlen(why), add = strlen(s), sep = have ? 2 : 0;
    if (have + sep + add >= TALENT_WHY_BYTES) return;
    if (sep) memcpy(why + have, ", ", 2);
    memcpy(why + have + sep, s, add + 1);
}

int talent_rank(const struct talent_item *a, const struct talent_item *b, struct talent_score *out)
{
    memset(out, 0, sizeof *out);
    if (a->category && b->category && strcmp(a->category, b->category) == 0) out->same_category = 1;
    for (int i = 0; i < a->ntags; i++)
        for (int j = 0; j < b->ntags; j++)
            if (a->tags[i] && b->tags[j] && strcmp(a->tags[i], b->tags[j]) == 0) {
                out->shared_tags++;
                why_add(out->why, a->tags[i]);
                break;
            }
    for (int i = 0; i < a->nwords && out->shared_words < 5; i++)
        for (int j = 0; j < b->nwords; j++)
            if (a->hashes[i] == b->hashes[j] && strcmp(a->stems[i], b->stems[j]) == 0) {
                /* a word that one of the shared tags already says is not
                 * said twice in the explanation */
                int in_tags = 0;
                for (int k = 0; k < a->ntags && !in_tags; k++)
                    in_tags = a->tags[k] && strstr(a->tags[k], a->stems[i]) != NULL;
                out->shared_words++;
                if (!in_tags) why_add(out->why, a->words[i]);
                break;
            }
    out->score = 3 * out->same_category + 5 * out->shared_tags + out->shared_words;
    return out->score;
}
