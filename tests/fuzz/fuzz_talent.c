/* The talent bank's text functions (src/areas/talent/rank.c): folding,
 * tags, the FTS5 query made from a search box, and the ranking. The input
 * is what a person types into a form. Every function runs on any bytes (no
 * crash, no leak); the contracts are checked on valid UTF-8 without NUL,
 * which is all the forms let through:
 *
 * - talent_fold: valid UTF-8, no space at either end nor two in a row, no
 *   capital Latin or Cyrillic letter, no ё; folding again changes nothing;
 * - talent_tag_norm: 0, -1 or -2; a tag is 1..TALENT_TAG_CHARS characters
 *   of valid UTF-8, with no '#' or space at the start, no space at the end,
 *   no comma when the input had none, and normalising it again gives it
 *   back;
 * - talent_tags_parse: a count 0..max, -2 or -3; the tags are as above, no
 *   comma, no two alike, and every piece of the input between commas that
 *   normalises to a tag is among them;
 * - talent_fts_query (all, any): a count with a string when it is not 0,
 *   valid UTF-8, and a valid FTS5 query: on a table made like talent_fts
 *   (migration 070), "f MATCH query" prepares and runs without an error;
 * - talent_fts_stems: valid UTF-8, single spaces between stems, and the
 *   row talent_fts_row makes of the input and them goes into the table;
 * - talent_match_words: valid UTF-8, single spaces between words, at most
 *   TALENT_MATCH_WORDS words of four characters or more, folded; as many
 *   stems, in the same order, each what talent_stem gives for its word:
 *   not empty, valid UTF-8, no longer than the word and, for a word with
 *   Cyrillic letters (Snowball's Russian rules only take endings away), a
 *   beginning of it; no two words with one stem;
 * - talent_rank, on two entries made from the input's halves: the score is
 *   3 per same category + 5 per shared tag + the shared words, which are at
 *   most 5; why is valid UTF-8. */
#include "areas/talent/talent.h"
#include "core/text.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static sqlite3 *db;
static sqlite3_stmt *match, *insert;

static void fail(const char *what, const char *in, const char *out)
{
    fprintf(stderr, "fuzz_talent: %s\n  input: [%s]\n  output: [%s]\n", what, in ? in : "(null)",
            out ? out : "(null)");
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* As src/sql/070_talent_fts_scoped.sql makes talent_fts, with a few
     * rows so that a query is really evaluated, not only parsed. */
    static const char schema[] =
        "CREATE VIRTUAL TABLE f USING fts5(words, tokenize='unicode61');"
        "INSERT INTO f(rowid, words) VALUES"
        " (1, 'c1xпочиню c1xвелосипед c1xремонт s1xпочин s1xвелосипед s1xремонт'),"
        " (2, 'c1xнужна c1xand c1xor c1xnot c1xnear s1xнужн s1xand s1xor s1xnear'),"
        " (3, 'c2xchess c2xtitle c2xbody c2xquoted s2xchess s2xtitl s2xquot');";
    if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
        sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT rowid FROM f WHERE f MATCH ?", -1, &match, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO f(rowid, words) VALUES(4, ?)", -1, &insert, NULL) !=
            SQLITE_OK) {
        fprintf(stderr, "fuzz_talent: %s\n", sqlite3_errmsg(db));
        abort();
    }
    return 0;
}

static int valid(const char *s)
{
    return s && utf8_valid(s, strlen(s));
}

static int is_space_at(const char *s)
{
    return *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v' ||
           ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0);
}

/* The last character of s (non-empty) is white space. */
static int ends_in_space(const char *s)
{
    size_t n = strlen(s);
    return (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xA0) ||
           strchr(" \t\n\r\f\v", s[n - 1]) != NULL;
}

static void check_fold(const char *in, int check)
{
    char *f = talent_fold(in);
    if (!f) fail("talent_fold: NULL", in, NULL);
    if (!check) {
        free(f);
        return;
    }
    if (!valid(f)) fail("talent_fold: not valid UTF-8", in, f);
    if (*f && (is_space_at(f) || ends_in_space(f))) fail("talent_fold: space at an end", in, f);
    for (const char *p = f; *p; p++) {
        if (p[0] == ' ' && is_space_at(p + 1)) fail("talent_fold: two spaces", in, f);
        if (*p >= 'A' && *p <= 'Z') fail("talent_fold: a capital letter", in, f);
        unsigned char a = (unsigned char)p[0], b = (unsigned char)p[1];
        /* U+0400..U+042F are D0 80..D0 AF; ё is D1 91 */
        if ((a == 0xD0 && b >= 0x80 && b <= 0xAF) || (a == 0xD1 && b == 0x91))
            fail("talent_fold: a capital Cyrillic letter or ё", in, f);
    }
    char *again = talent_fold(f);
    if (strcmp(again, f) != 0) fail("talent_fold: not idempotent", f, again);
    free(again);
    free(f);
}

/* A normalised tag as the contract says; had_comma: the input had one. */
static void check_tag(const char *what, const char *in, const char *tag, int had_comma)
{
    size_t n = strlen(tag);
    if (n == 0 || n >= TALENT_TAG_BYTES || !valid(tag) || utf8_len(tag) > TALENT_TAG_CHARS)
        fail(what, in, tag);
    if (tag[0] == '#' || is_space_at(tag) || ends_in_space(tag))
        fail("tag: '#' or a space at an end", in, tag);
    if (!had_comma && strchr(tag, ',')) fail("tag: a comma", in, tag);
    char again[TALENT_TAG_BYTES];
    if (talent_tag_norm(tag, n, again) != 0 || strcmp(again, tag) != 0)
        fail("talent_tag_norm: not idempotent", tag, again);
}

static void check_tags(const char *in, int check)
{
    char tag[TALENT_TAG_BYTES];
    int rc = talent_tag_norm(in, strlen(in), tag);
    if (rc != 0 && rc != -1 && rc != -2) fail("talent_tag_norm: unknown result", in, NULL);
    if (check && rc == 0) check_tag("talent_tag_norm: bad tag", in, tag, strchr(in, ',') != NULL);
    static const int maxes[] = {TALENT_MAX_TAGS, 3};
    for (int m = 0; m < 2; m++) {
        int max = maxes[m];
        char out[TALENT_MAX_TAGS][TALENT_TAG_BYTES];
        int n = talent_tags_parse(in, out, max);
        if (n < -3 || n == -1 || n > max) fail("talent_tags_parse: bad count", in, NULL);
        if (!check || n < 0) continue;
        for (int i = 0; i < n; i++) {
            check_tag("talent_tags_parse: bad tag", in, out[i], 0);
            for (int j = 0; j < i; j++)
                if (strcmp(out[i], out[j]) == 0) fail("talent_tags_parse: a repeat", in, out[i]);
        }
        /* Nothing lost: each piece that is a tag is among them. */
        for (const char *p = in; *p;) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            if (talent_tag_norm(p, len, tag) == 0) {
                int found = 0;
                for (int i = 0; i < n && !found; i++)
                    found = strcmp(out[i], tag) == 0;
                if (!found) fail("talent_tags_parse: a tag lost", in, tag);
            }
            p += len + (comma ? 1 : 0);
        }
    }
}

/* Runs a prepared MATCH with q to the end; 0 when FTS5 took it. */
static int fts_runs(sqlite3_stmt *st, const char *q)
{
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static void check_fts(const char *in, int check)
{
    for (int any = 0; any < 2; any++) {
        char *q = (char *)"unset";
        int n = talent_fts_query(1, in, any, &q);
        if (n < 0 || (n == 0) != (q == NULL)) fail("talent_fts_query: count and string", in, q);
        if (check && q) {
            if (!valid(q)) fail("talent_fts_query: not valid UTF-8", in, q);
            if (fts_runs(match, q) != 0) {
                char msg[300];
                snprintf(msg, sizeof msg, "talent_fts_query (any %d): FTS5 says %s", any,
                         sqlite3_errmsg(db));
                fail(msg, in, q);
            }
        }
        free(q);
    }
}

/* Single spaces between the items of a space-joined list. */
static int spaced(const char *s)
{
    return !*s || (s[0] != ' ' && s[strlen(s) - 1] != ' ' && !strstr(s, "  "));
}

static void check_fts_stems(const char *in, int check)
{
    char *s = talent_fts_stems(in);
    if (!s) fail("talent_fts_stems: NULL", in, NULL);
    if (check) {
        if (*s && !valid(s)) fail("talent_fts_stems: not valid UTF-8", in, s);
        if (!spaced(s)) fail("talent_fts_stems: a space at an end or two in a row", in, s);
        /* written and rolled back, so that the table stays as it was */
        int rc = sqlite3_exec(db, "SAVEPOINT s", NULL, NULL, NULL);
        char *row = talent_fts_row(3, in, s);
        sqlite3_bind_text(insert, 1, row, -1, SQLITE_STATIC);
        int step = sqlite3_step(insert);
        sqlite3_reset(insert);
        sqlite3_clear_bindings(insert);
        free(row);
        if (rc != SQLITE_OK || step != SQLITE_DONE ||
            sqlite3_exec(db, "ROLLBACK TO s; RELEASE s", NULL, NULL, NULL) != SQLITE_OK)
            fail("talent_fts_stems: the index does not take it", in, s);
    }
    free(s);
}

static int has_cyrillic(const char *w)
{
    for (; *w; w++)
        if ((unsigned char)*w >= 0xD0 && (unsigned char)*w <= 0xD3) return 1;
    return 0;
}

/* The match words of text and their stems (talent_match_words) as the
 * contract says. */
static void check_words(const char *text, const char *w, const char *st)
{
    if (!valid(w) && *w) fail("talent_match_words: not valid UTF-8", text, w);
    if (!spaced(w) || !spaced(st))
        fail("talent_match_words: a space at an end or two in a row", text, w);
    char *copy = strdup(w), *scopy = strdup(st);
    const char *list[TALENT_MATCH_WORDS + 1], *stems[TALENT_MATCH_WORDS + 1];
    int n = talent_words_split(copy, list, TALENT_MATCH_WORDS + 1);
    int ns = talent_words_split(scopy, stems, TALENT_MATCH_WORDS + 1);
    if (n > TALENT_MATCH_WORDS) fail("talent_match_words: too many words", text, w);
    if (ns != n) fail("talent_match_words: not one stem per word", w, st);
    for (int i = 0; i < n; i++) {
        size_t chars = utf8_len(list[i]);
        char *f = talent_fold(list[i]);
        if (chars < 4 || strcmp(f, list[i]) != 0)
            fail("talent_match_words: a word short or not folded", text, list[i]);
        free(f);
        char stem[TALENT_STEM_BYTES];
        talent_stem(list[i], stem);
        size_t sl = strlen(stem);
        if (strcmp(stem, stems[i]) != 0)
            fail("talent_match_words: not the word's stem", list[i], st);
        if (sl == 0 || !valid(stem) || sl > strlen(list[i]) ||
            (has_cyrillic(list[i]) && strncmp(stem, list[i], sl) != 0))
            fail("talent_stem: not a stem of the word", list[i], stem);
        for (int j = 0; j < i; j++)
            if (strcmp(stems[i], stems[j]) == 0)
                fail("talent_match_words: two words with one stem", text, list[i]);
    }
    free(copy);
    free(scopy);
}

/* The input's two halves (split between characters) as two entries made
 * the way the pages make them, from stored match words; the tags of the
 * whole input on the first, every other one on the second. */
static void check_rank(const char *in, size_t size, int check)
{
    size_t half = size / 2;
    while (half > 0 && ((unsigned char)in[half] & 0xC0) == 0x80)
        half--;
    char *first = malloc(half + 1);
    memcpy(first, in, half);
    first[half] = 0;
    char *sa = NULL, *sb = NULL;
    char *wa = talent_match_words(first, &sa), *wb = talent_match_words(in + half, &sb);
    if (check) {
        check_words(first, wa, sa);
        check_words(in + half, wb, sb);
    }
    char tags[TALENT_MAX_TAGS][TALENT_TAG_BYTES];
    int nt = talent_tags_parse(in, tags, TALENT_MAX_TAGS);
    struct talent_item x, y;
    memset(&x, 0, sizeof x);
    memset(&y, 0, sizeof y);
    x.category = "repairs";
    y.category = size & 1 ? "repairs" : "it";
    for (int i = 0; i < nt; i++) {
        x.tags[x.ntags++] = tags[i];
        if (i % 2 == 0) y.tags[y.ntags++] = tags[i];
    }
    talent_item_words(&x, wa, sa);                   /* splits them in place */
    talent_item_words(&y, size & 2 ? NULL : wb, sb); /* a candidate: stems only */
    struct talent_score s;
    int score = talent_rank(&x, &y, &s);
    if (score != s.score || s.score != 3 * s.same_category + 5 * s.shared_tags + s.shared_words ||
        s.same_category != (int)(size & 1) || s.shared_words > 5 || s.shared_tags > y.ntags ||
        strlen(s.why) >= TALENT_WHY_BYTES)
        fail("talent_rank: the score", in, s.why);
    if (check && s.why[0] && !valid(s.why)) fail("talent_rank: why is not valid UTF-8", in, s.why);
    free(wa);
    free(wb);
    free(sa);
    free(sb);
    free(first);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *in = malloc(size + 1);
    memcpy(in, data, size);
    in[size] = 0;
    /* The forms let through valid UTF-8 only (and never a NUL). */
    int check = utf8_valid(in, size);
    check_fold(in, check);
    check_tags(in, check);
    check_fts(in, check);
    check_fts_stems(in, check);
    check_rank(in, size, check);
    free(in);
    return 0;
}
