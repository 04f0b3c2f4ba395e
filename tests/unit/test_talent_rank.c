/* Unit tests of the talent bank's pure functions: folding, tags, FTS5
 * queries and the ranking of matches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/talent/talent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fold_lowers_cyrillic_and_latin(void **state)
{
    (void)state;
    char *s = talent_fold("  ЁЛКА   Ёжик\tWi-Fi  ЎІЄ ");
    assert_string_equal(s, "елка ежик wi-fi ўіє");
    free(s);
    s = talent_fold("");
    assert_string_equal(s, "");
    free(s);
}

static void tag_norm_cases(void **state)
{
    (void)state;
    char t[TALENT_TAG_BYTES];
    const char *in = " #Настольные   ИГРЫ ";
    assert_int_equal(talent_tag_norm(in, strlen(in), t), 0);
    assert_string_equal(t, "настольные игры");
    assert_int_equal(talent_tag_norm("Ёлки", strlen("Ёлки"), t), 0);
    assert_string_equal(t, "елки");
    assert_int_equal(talent_tag_norm("   ", 3, t), -1);
    assert_int_equal(talent_tag_norm("#", 1, t), -1);
    /* 32 characters fit, 33 do not; counted in characters, not bytes */
    const char *c32 = "ЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯ";
    assert_int_equal(talent_tag_norm(c32, strlen(c32), t), 0);
    assert_string_equal(t, "яяяяяяяяяяяяяяяяяяяяяяяяяяяяяяяя");
    const char *c33 = "abcdefghijklmnopqrstuvwxyzabcdefg";
    assert_int_equal(talent_tag_norm(c33, strlen(c33), t), -2);
}

static void tags_parse_dedupes_and_limits(void **state)
{
    (void)state;
    char tags[TALENT_MAX_TAGS][TALENT_TAG_BYTES];
    assert_int_equal(talent_tags_parse("Домино, домино ,ДОМИНО,, лото", tags, TALENT_MAX_TAGS), 2);
    assert_string_equal(tags[0], "домино");
    assert_string_equal(tags[1], "лото");
    assert_int_equal(talent_tags_parse("", tags, TALENT_MAX_TAGS), 0);
    assert_int_equal(talent_tags_parse("a,b,c,d,e,f,g,h,i,j", tags, TALENT_MAX_TAGS), 10);
    assert_int_equal(talent_tags_parse("a,b,c,d,e,f,g,h,i,j,k", tags, TALENT_MAX_TAGS), -3);
    assert_int_equal(talent_tags_parse("ok, this tag is far too long to be a tag at all", tags, 10),
                     -2);
}

static void fts_query_quotes_prefixes_and_stems(void **state)
{
    (void)state;
    char *q = NULL;
    /* FTS syntax is only words; each as typed (a prefix) or by its stem,
     * behind the community's prefixes */
    assert_int_equal(talent_fts_query(7, "Розет\"ка OR ёлка*", 0, &q), 4);
    assert_string_equal(q, "(\"c7xрозет\"* OR \"s7xрозет\") AND (\"c7xка\"* OR \"s7xка\") AND"
                           " (\"c7xor\"* OR \"s7xor\") AND (\"c7xелка\"* OR \"s7xелк\")");
    free(q);
    /* the word forms a person types: велосипеда has велосипед's stem */
    assert_int_equal(talent_fts_query(612, "велосипеда для подростков", 1, &q), 3);
    assert_string_equal(q, "(\"c612xвелосипеда\"* OR \"s612xвелосипед\") OR"
                           " (\"c612xдля\"* OR \"s612xдля\") OR"
                           " (\"c612xподростков\"* OR \"s612xподростк\")");
    free(q);
    assert_int_equal(talent_fts_query(7, " ,;. ", 0, &q), 0);
    assert_null(q);
}

static void fts_row_puts_every_token_behind_its_community(void **state)
{
    (void)state;
    /* folded words of the text, then the stems; community 61's prefix is
     * not the beginning of 612's */
    char *row = talent_fts_row(61, "Чиню Велосипеды, 2 раза!", "чин велосипед 2 раз");
    assert_string_equal(row, "c61xчиню c61xвелосипеды c61x2 c61xраза s61xчин s61xвелосипед s61x2"
                             " s61xраз");
    free(row);
    /* sealed: no words, only the (hashed) stems */
    row = talent_fts_row(612, NULL, " ab12  cd34 ");
    assert_string_equal(row, "s612xab12 s612xcd34");
    free(row);
    row = talent_fts_row(5, "", "");
    assert_string_equal(row, "");
    free(row);
}

static void fts_stems_stem_every_word(void **state)
{
    (void)state;
    char *s = talent_fts_stems("Починю велосипед, ВЕЛОСИПЕДЫ и laptops; 2024 в 7 утра");
    assert_string_equal(s, "почин велосипед велосипед и laptop 2024 в 7 утр");
    free(s);
    s = talent_fts_stems("");
    assert_string_equal(s, "");
    free(s);
}

/* An item as the pages make one: match words and stems computed from the
 * text and split (they live in a small pool that the test keeps). */
static char pool[16][1024];
static int pool_next;

static struct talent_item item(const char *cat, const char *t1, const char *t2, const char *text)
{
    struct talent_item it;
    memset(&it, 0, sizeof it);
    it.category = cat;
    if (t1) it.tags[it.ntags++] = t1;
    if (t2) it.tags[it.ntags++] = t2;
    char *stems = NULL;
    char *w = talent_match_words(text, &stems);
    char *ws = pool[pool_next++ % 16], *ss = pool[pool_next++ % 16];
    snprintf(ws, sizeof pool[0], "%s", w);
    snprintf(ss, sizeof pool[0], "%s", stems);
    free(w);
    free(stems);
    talent_item_words(&it, ws, ss);
    return it;
}

static void match_words_fold_dedupe_and_drop_stop_words(void **state)
{
    (void)state;
    char *stems = NULL;
    char *w = talent_match_words("Хочу найти ПАРТНЁРА для игры в домино, домино и ещё раз "
                                 "партнёров; ищу 2024 года",
                                 &stems);
    /* folded, ё as е; 'хочу', 'ищу' and words under four letters dropped;
     * one word per stem (партнёров has the stem of партнёра) */
    assert_string_equal(w, "найти партнера игры домино 2024 года");
    assert_string_equal(stems, "найт партнер игр домин 2024 год");
    free(w);
    free(stems);
    w = talent_match_words("", &stems);
    assert_string_equal(w, "");
    assert_string_equal(stems, "");
    free(w);
    free(stems);
    /* the forms of one word are one match word */
    w = talent_match_words("кошка кошки кошку кошкой", NULL);
    assert_string_equal(w, "кошка");
    free(w);
    /* never more than TALENT_MATCH_WORDS */
    char text[4096] = "";
    for (int i = 0; i < 60; i++) {
        char word[32];
        snprintf(word, sizeof word, "%c%c%c%c%c ", 'a' + i % 26, 'a' + i / 26, 'x', 'y', 'z');
        strcat(text, word);
    }
    const char *list[TALENT_MATCH_WORDS + 1];
    w = talent_match_words(text, &stems);
    assert_int_equal(talent_words_split(w, list, TALENT_MATCH_WORDS + 1), TALENT_MATCH_WORDS);
    assert_int_equal(talent_words_split(stems, list, TALENT_MATCH_WORDS + 1), TALENT_MATCH_WORDS);
    free(w);
    free(stems);
}

static void stems_are_snowball_russian_and_english(void **state)
{
    (void)state;
    char s[TALENT_STEM_BYTES];
    static const char *const cases[][2] = {
        {"велосипеда", "велосипед"},
        {"велосипед", "велосипед"},
        {"розетку", "розетк"},
        {"розетки", "розетк"},
        {"игры", "игр"},
        {"настольные", "настольн"},
        {"laptops", "laptop"},
        {"running", "run"},
        {"2024", "2024"},
        {"ўіє", "ўіє"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        talent_stem(cases[i][0], s);
        assert_string_equal(s, cases[i][1]);
    }
    /* a word too long to be a match word has no stem */
    char longword[TALENT_WORD_BYTES + 1];
    memset(longword, 'a', TALENT_WORD_BYTES);
    longword[TALENT_WORD_BYTES] = 0;
    talent_stem(longword, s);
    assert_string_equal(s, "");
    longword[TALENT_WORD_BYTES - 1] = 0;
    talent_stem(longword, s);
    assert_string_equal(s, longword);
    char buf[] = "  один  два ";
    const char *w[4];
    assert_int_equal(talent_words_split(buf, w, 4), 2);
    assert_string_equal(w[0], "один");
    assert_string_equal(w[1], "два");
}

static void rank_scores_and_explains(void **state)
{
    (void)state;
    struct talent_score s;
    struct talent_item need =
        item("games", "домино", "настольные игры", "Ищу партнёра для игры в домино по выходным");
    struct talent_item same = item("games", "домино", NULL, "Играю в домино и лото");
    struct talent_item tag_only = item("music", "настольные игры", NULL, "Гитара");
    struct talent_item nothing = item("legal", "жкх", NULL, "Юрист по жилищным вопросам");
    int a = talent_rank(&need, &same, &s);
    assert_int_equal(s.same_category, 1);
    assert_int_equal(s.shared_tags, 1);
    assert_int_equal(a, 3 + 5 + s.shared_words);
    assert_non_null(strstr(s.why, "домино"));
    int b = talent_rank(&need, &tag_only, &s);
    assert_int_equal(b, 5);
    assert_string_equal(s.why, "настольные игры");
    int c = talent_rank(&need, &nothing, &s);
    assert_int_equal(c, 0);
    assert_string_equal(s.why, "");
    assert_true(a > b && b > c);
}

static void rank_words_match_by_stem(void **state)
{
    (void)state;
    struct talent_score s;
    struct talent_item a = item("repairs", NULL, NULL, "Нужно заменить розетку на кухне");
    struct talent_item b = item("it", NULL, NULL, "Меняю розетки и выключатели");
    assert_int_equal(talent_rank(&a, &b, &s), 1);
    assert_int_equal(s.shared_words, 1);
    assert_string_equal(s.why, "розетку");
    /* stems are Snowball's: игры and игрушки differ, игрок and игроки do
     * not; кошки and кошка (which their first five characters told apart)
     * are one word; настольные and настроить (which they did not) are two */
    struct talent_item e = item("x", NULL, NULL, "игры игрок");
    struct talent_item f = item("y", NULL, NULL, "игрушки игроки");
    assert_int_equal(talent_rank(&e, &f, &s), 1);
    assert_string_equal(s.why, "игрок");
    struct talent_item g = item("x", NULL, NULL, "Присмотрю за кошкой");
    struct talent_item h = item("y", NULL, NULL, "Кто покормит кошку");
    assert_int_equal(talent_rank(&g, &h, &s), 1);
    assert_string_equal(s.why, "кошкой");
    struct talent_item i = item("x", NULL, NULL, "Настольные вечера");
    struct talent_item j = item("y", NULL, NULL, "Настроить роутер");
    assert_int_equal(talent_rank(&i, &j, &s), 0);
    /* ё and е are the same letter for matching */
    struct talent_item c = item("x", "ёлки", NULL, "");
    struct talent_item d = item("y", "ёлки", NULL, "");
    assert_int_equal(talent_rank(&c, &d, &s), 5);
    /* a candidate carries its stems only */
    char stems[] = "розетк выключател";
    struct talent_item k;
    memset(&k, 0, sizeof k);
    talent_item_words(&k, NULL, stems);
    assert_int_equal(k.nwords, 2);
    assert_int_equal(talent_rank(&a, &k, &s), 1);
    assert_string_equal(s.why, "розетку");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fold_lowers_cyrillic_and_latin),
        cmocka_unit_test(tag_norm_cases),
        cmocka_unit_test(tags_parse_dedupes_and_limits),
        cmocka_unit_test(fts_query_quotes_prefixes_and_stems),
        cmocka_unit_test(fts_row_puts_every_token_behind_its_community),
        cmocka_unit_test(fts_stems_stem_every_word),
        cmocka_unit_test(match_words_fold_dedupe_and_drop_stop_words),
        cmocka_unit_test(stems_are_snowball_russian_and_english),
        cmocka_unit_test(rank_scores_and_explains),
        cmocka_unit_test(rank_words_match_by_stem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
