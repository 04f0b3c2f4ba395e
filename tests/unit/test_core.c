/* Unit tests of the platform's pieces: UTF-8, escaping, forms, templates,
 * catalogs, the router's matching, dates, password hashes, migrations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/auth.h"
#include "core/db.h"
#include "core/gate.h"
#include "core/form.h"
#include "core/i18n.h"
#include "core/migrate.h"
#include "core/router.h"
#include "core/text.h"
#include "core/tmpl.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void utf8_accepts_and_rejects(void **state)
{
    (void)state;
    assert_true(utf8_valid("plain", 5));
    assert_true(utf8_valid("Храмада ё", strlen("Храмада ё")));
    assert_true(utf8_valid("\xF0\x9F\x98\x80", 4));  /* emoji */
    assert_false(utf8_valid("\xC0\xAF", 2));         /* overlong '/' */
    assert_false(utf8_valid("\xE0\x80\xAF", 3));     /* overlong 3-byte */
    assert_false(utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    assert_false(utf8_valid("\xF4\x90\x80\x80", 4)); /* above U+10FFFF */
    assert_false(utf8_valid("\x80", 1));             /* lone continuation */
    assert_false(utf8_valid("ab\xD0", 3));           /* truncated */
    assert_false(utf8_valid("a\0b", 3));             /* NUL */
    /* the same found inside and after runs of eight ASCII bytes */
    const char *longer = "0123456789abcdef Двор 0123456789";
    assert_true(utf8_valid(longer, strlen(longer)));
    assert_true(utf8_valid("01234567", 8));
    assert_false(utf8_valid("0123456789ab\0def", 16));
    assert_false(utf8_valid("01234567\0", 9));
    /* and after runs of two-byte letters, which skip the ASCII runs */
    assert_false(utf8_valid("\0abcdefghij", 11));
    assert_false(utf8_valid("Двор\xD0"
                            "A",
                            strlen("Двор") + 2));
    assert_false(utf8_valid("Двор\xC1\xBF", strlen("Двор") + 2)); /* overlong after letters */
    assert_false(utf8_valid("Двор двор\0двор", strlen("Двор двор") + 1 + strlen("двор")));
    assert_false(utf8_valid("0123456789\x80"
                            "bcdefgh",
                            18));
    assert_false(utf8_valid("0123456789\xC0\xAF"
                            "cdefgh",
                            18));
    assert_false(utf8_valid("0123456789\xD0", 11));
    assert_false(utf8_valid("0123456789\xD0zzzzzzzz", 19));
    assert_true(utf8_valid("0123456789\xD0\x94", 12));
    assert_false(utf8_valid("0123456789abcdef", 17)); /* its own NUL counted */
    assert_int_equal(utf8_len("ёлка"), 4);
}

static void html_escape_escapes_everything_dangerous(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b);
    html_escape(&b, "<script>alert('x')</script> & \"q\"");
    assert_string_equal(b.data,
                        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    buf_free(&b);
}

static void csv_cells_are_quoted_and_defused(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b);
    csv_escape(&b, "просто");
    buf_putc(&b, ',');
    csv_escape(&b, "a \"b\", c\nd");
    buf_putc(&b, ',');
    csv_escape(&b, NULL);
    assert_string_equal(b.data, "\"просто\",\"a \"\"b\"\", c\nd\",\"\"");
    buf_free(&b);
    buf_init(&b);
    csv_escape(&b, "=HYPERLINK(1)");
    csv_escape(&b, "-1+2");
    csv_escape(&b, "@SUM");
    csv_escape(&b, "+7");
    assert_string_equal(b.data, "\"'=HYPERLINK(1)\"\"'-1+2\"\"'@SUM\"\"'+7\"");
    buf_free(&b);
}

static void fold_for_search(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b);
    const char *s = "ДВОР Ёлка Sadovaya ЎІЄ 12";
    text_fold(&b, s, strlen(s));
    assert_string_equal(b.data, "двор елка sadovaya ўіє 12");
    buf_free(&b);
}

/* A row's text comes over as it stands, the empty text as "" (not null),
 * text that is not UTF-8 as null. */
static void row_columns_to_json(void **state)
{
    (void)state;
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(":memory:", &h), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(h,
                           "SELECT '' AS e, 'Двор' AS t, CAST(x'C0AF' AS TEXT) AS bad, "
                           "CAST(x'610062' AS TEXT) AS nul, 5 AS n, NULL AS z, "
                           "x'00' AS b, 1.5 AS r",
                           -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    json_t *o = db_row_json(st);
    char *s = json_dumps(o, JSON_COMPACT);
    assert_string_equal(s, "{\"e\":\"\",\"t\":\"Двор\",\"bad\":null,\"nul\":null,\"n\":5,"
                           "\"z\":null,\"b\":null,\"r\":1.5}");
    free(s);
    json_decref(o);
    sqlite3_finalize(st);
    sqlite3_close(h);
}

static void urlencoded_parsing(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct kvlist l = {0};
    const char *s = "name=%D0%A5%D1%80+1&empty=&flag&x=a%2Bb&x=c";
    assert_int_equal(form_parse_urlencoded(a, &l, s, strlen(s), 10), PARSE_OK);
    assert_int_equal(l.n, 5);
    assert_string_equal(kvlist_get(&l, "name"), "Хр 1");
    assert_string_equal(kvlist_get(&l, "empty"), "");
    assert_string_equal(kvlist_get(&l, "flag"), "");
    assert_string_equal(kvlist_get(&l, "x"), "a+b");
    struct kvlist l2 = {0};
    assert_int_equal(form_parse_urlencoded(a, &l2, "a=%C0%AF", 8, 10), PARSE_BAD_UTF8);
    struct kvlist l3 = {0};
    assert_int_equal(form_parse_urlencoded(a, &l3, "a=%00", 5, 10), PARSE_BAD_UTF8);
    struct kvlist l4 = {0};
    assert_int_equal(form_parse_urlencoded(a, &l4, "a=1&b=2&c=3", 11, 2), PARSE_TOO_MANY);
    struct kvlist l5 = {0};
    assert_int_equal(form_parse_urlencoded(a, &l5, "a=%zz&b=%4", 10, 10), PARSE_OK);
    assert_string_equal(kvlist_get(&l5, "a"), "%zz");
    assert_string_equal(kvlist_get(&l5, "b"), "%4");
    arena_free(a);
}

static void json_body_parsing(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct kvlist l = {0};
    const char *s = "{\"name\":\"Двор\",\"n\":5,\"ok\":true,\"no\":false,\"tags\":[\"a\",\"b\"]}";
    assert_int_equal(form_parse_json(a, &l, s, strlen(s), 20), PARSE_OK);
    assert_string_equal(kvlist_get(&l, "name"), "Двор");
    assert_string_equal(kvlist_get(&l, "n"), "5");
    assert_string_equal(kvlist_get(&l, "ok"), "1");
    assert_null(kvlist_get(&l, "no"));
    assert_int_equal(l.n, 5);
    struct kvlist l2 = {0};
    assert_int_equal(form_parse_json(a, &l2, "{\"a\":{\"b\":1}}", 13, 20), PARSE_BAD);
    struct kvlist l3 = {0};
    assert_int_equal(form_parse_json(a, &l3, "[1]", 3, 20), PARSE_BAD);
    struct kvlist l4 = {0};
    assert_int_not_equal(form_parse_json(a, &l4, "{\"a\":\"x\\u0000y\"}", 16, 20), PARSE_OK);
    struct kvlist l5 = {0};
    assert_int_not_equal(form_parse_json(a, &l5, "{\"a\":\"\xC0\xAF\"}", 10, 20), PARSE_OK);
    arena_free(a);
}

static char *render(const char *tmpl, const char *json)
{
    const char *names[] = {"t", "p"};
    const char *texts[] = {tmpl, "[{{name}}]"};
    struct tmpl_set *s = tmpl_load_from(names, texts, 2);
    assert_non_null(s);
    json_t *ctx = json_loads(json, 0, NULL);
    assert_non_null(ctx);
    struct i18n *cat = i18n_load();
    struct buf b;
    buf_init(&b);
    assert_int_equal(tmpl_render(s, "t", ctx, cat, "ru", &b), 0);
    json_decref(ctx);
    tmpl_free(s);
    i18n_free(cat);
    return buf_detach(&b);
}

static void template_escapes_by_default(void **state)
{
    (void)state;
    char *out = render("<p>{{x}}</p><p>{{{y}}}</p>", "{\"x\":\"<b>&\",\"y\":\"<i>ok</i>\"}");
    assert_string_equal(out, "<p>&lt;b&gt;&amp;</p><p><i>ok</i></p>");
    free(out);
    /* a URL component: percent-encoded, nothing left for HTML to read */
    out = render("<a href=\"/s?q={{%q}}\">{{%n}}</a>", "{\"q\":\"c++ & \\\"rock\\\"<b>\",\"n\":5}");
    assert_string_equal(out, "<a href=\"/s?q=c%2B%2B%20%26%20%22rock%22%3Cb%3E\"></a>");
    free(out);
    /* Markdown at the template: the view holds the source; raw HTML and a
     * javascript: link are dropped; a missing or non-string value is empty */
    out = render("{{*md}}|{{*none}}|{{*n}}",
                 "{\"md\":\"**b** <script>x</script> [l](javascript:alert(1))\",\"n\":3}");
    assert_string_equal(out,
                        "<p><strong>b</strong> <!-- raw HTML omitted -->x<!-- raw HTML omitted "
                        "--> <a href=\"\">l</a></p>\n||");
    free(out);
}

static void template_sections_loops_partials(void **state)
{
    (void)state;
    char *out = render("{{#items}}{{>p}}{{/items}}|{{^none}}empty{{/none}}|{{#obj}}{{a.b}}{{/obj}}"
                       "|{{#flag}}yes{{/flag}}{{#zero}}no{{/zero}}|{{items.1.name}}|{{top}}",
                       "{\"items\":[{\"name\":\"a\"},{\"name\":\"<b>\"}],\"none\":[],"
                       "\"obj\":{\"a\":{\"b\":7}},\"flag\":true,\"zero\":0,\"top\":\"T\"}");
    assert_string_equal(out, "[a][&lt;b&gt;]|empty|7|yes|&lt;b&gt;|T");
    free(out);
    /* {{#list.0}} tests for an element without entering it: a field the
     * second element lacks must not come from the first one */
    out = render("{{#rows.0}}<{{#rows}}{{id}}:{{#mine}}edit{{/mine}};{{/rows}}>{{/rows.0}}"
                 "{{#none.0}}never{{/none.0}}",
                 "{\"rows\":[{\"id\":1,\"mine\":true},{\"id\":2}],\"none\":[]}");
    assert_string_equal(out, "<1:edit;2:;>");
    free(out);
}

/* A page's content goes into the layout as given, where {{{content}}}
 * stands in the outermost context; a partial may name a template parsed
 * after it; dotted names with indexes look up as before. */
static void template_slot_and_later_partials(void **state)
{
    (void)state;
    const char *names[] = {"layout", "early", "late"};
    const char *texts[] = {
        "<main>{{{content}}}</main>{{#inner}}{{{content}}}{{/inner}}"
        "{{#other}}[{{{content}}}]{{/other}}{{content}}",
        "{{#rows}}{{>late}}{{/rows}}",
        "({{a.1.b}}/{{a.x}}/{{.}})",
    };
    struct tmpl_set *s = tmpl_load_from(names, texts, 3);
    assert_non_null(s);
    struct i18n *cat = i18n_load();
    json_t *ctx =
        json_loads("{\"inner\":{\"content\":\"<i>own</i>\"},\"other\":{\"k\":1}}", 0, NULL);
    struct buf b;
    buf_init(&b);
    const char page[] = "<p>Двор & co</p>";
    assert_int_equal(
        tmpl_render_slot(s, "layout", ctx, cat, "ru", "content", page, strlen(page), &b), 0);
    assert_string_equal(b.data, "<main><p>Двор & co</p></main><i>own</i>[<p>Двор & co</p>]");
    buf_free(&b);
    assert_int_equal(tmpl_render_slot(s, "none", ctx, cat, "ru", "content", "", 0, &b), -1);
    json_decref(ctx);
    ctx = json_loads("{\"rows\":[{\"a\":[{},{\"b\":\"<1>\"}]},{\"a\":{\"x\":2}},3]}", 0, NULL);
    assert_int_equal(tmpl_render(s, "early", ctx, cat, "ru", &b), 0);
    assert_string_equal(b.data, "(&lt;1&gt;//)(/2/)(//3)");
    buf_free(&b);
    json_decref(ctx);
    i18n_free(cat);
    tmpl_free(s);
}

static void template_translations_and_plurals(void **state)
{
    (void)state;
    char *out = render("{{_ nav.login}}|{{#a}}{{_n home.members members}}|{{/a}}{{_ no.such.key}}",
                       "{\"a\":[{\"members\":1},{\"members\":3},{\"members\":11},"
                       "{\"members\":21}]}");
    assert_string_equal(out, "Войти|1 участник|3 участника|11 участников|21 участник|no.such.key");
    free(out);
    /* the forms straight from the catalogs' gettext plural entries */
    struct i18n *c = i18n_load();
    assert_non_null(c);
    assert_string_equal(i18n_plural(c, "ru", "home.members", 2), "{members} участника");
    assert_string_equal(i18n_plural(c, "ru", "home.members", 12), "{members} участников");
    assert_string_equal(i18n_plural(c, "ru", "home.members", 101), "{members} участник");
    assert_string_equal(i18n_plural(c, "en", "home.members", 1), "{members} member");
    assert_string_equal(i18n_plural(c, "en", "home.members", 2), "{members} members");
    i18n_free(c);
}

static void template_syntax_errors_are_caught(void **state)
{
    (void)state;
    const char *names[] = {"bad"};
    const char *t1[] = {"{{#a}}never closed"};
    assert_null(tmpl_load_from(names, t1, 1));
    const char *t2[] = {"{{#a}}x{{/b}}"};
    assert_null(tmpl_load_from(names, t2, 1));
    const char *t3[] = {"{{unclosed"};
    assert_null(tmpl_load_from(names, t3, 1));
}

static void every_embedded_template_parses(void **state)
{
    (void)state;
    struct tmpl_set *s = tmpl_load();
    assert_non_null(s);
    assert_true(tmpl_exists(s, "core/layout"));
    assert_true(tmpl_exists(s, "community/dashboard"));
    tmpl_free(s);
}

/* Counts the catalog's keys; a plural entry's forms ("key|N", three in
 * Russian, two in English) are not keys of their own. */
static void count_key(const char *key, void *arg)
{
    if (!strchr(key, '|')) (*(int *)arg)++;
}

struct cat_check {
    const struct i18n *cat;
    int missing;
};

static void check_en(const char *key, void *arg)
{
    struct cat_check *c = arg;
    if (strcmp(i18n_get(c->cat, "en", key), key) == 0 || !strchr(key, '.')) {
        fprintf(stderr, "catalog: %s has no English text\n", key);
        c->missing++;
    }
}

static void catalogs_are_complete(void **state)
{
    (void)state;
    struct i18n *cat = i18n_load();
    assert_non_null(cat);
    int n = 0, n_en = 0;
    i18n_each(cat, "ru", count_key, &n);
    i18n_each(cat, "en", count_key, &n_en);
    assert_true(n > 100);
    assert_int_equal(n, n_en);
    struct cat_check c = {cat, 0};
    i18n_each(cat, "ru", check_en, &c);
    assert_int_equal(c.missing, 0);
    assert_string_equal(i18n_from_accept("en-US,en;q=0.9"), "en");
    assert_string_equal(i18n_from_accept("de, ru;q=0.5"), "ru");
    assert_null(i18n_from_accept("de, fr"));
    i18n_free(cat);
}

static void router_matches_patterns(void **state)
{
    (void)state;
    struct req r;
    memset(&r, 0, sizeof r);
    r.arena = arena_new();
    assert_true(router_match_pattern(&r, "/c/{slug}/members", "/c/dvor/members"));
    assert_string_equal(r.path_args[0], "dvor");
    assert_true(
        router_match_pattern(&r, "/c/{slug}/members/{handle}/role", "/c/a-b/members/x.y/role"));
    assert_string_equal(r.path_args[1], "x.y");
    assert_false(router_match_pattern(&r, "/c/{slug}", "/c/dvor/members"));
    assert_false(router_match_pattern(&r, "/c/{slug}/members", "/c//members"));
    assert_false(router_match_pattern(&r, "/c/{slug}", "/c/<script>"));
    assert_false(router_match_pattern(&r, "/c/{slug}", "/c/a%2Fb"));
    assert_false(router_match_pattern(&r, "/login", "/login/"));
    assert_true(router_match_pattern(&r, "/", "/"));
    arena_free(r.arena);
}

static void dates_are_real_calendar_dates(void **state)
{
    (void)state;
    int64_t t;
    assert_int_equal(date_parse("2026-11-23", &t), 0);
    char out[11];
    date_format(t, out);
    assert_string_equal(out, "2026-11-23");
    assert_int_equal(date_parse("2028-02-29", &t), 0);
    assert_int_not_equal(date_parse("2026-02-29", &t), 0);
    assert_int_not_equal(date_parse("2026-13-01", &t), 0);
    assert_int_not_equal(date_parse("23.11.2026", &t), 0);
    assert_int_not_equal(date_parse("2026-1-5", &t), 0);
    assert_int_not_equal(date_parse("", &t), 0);
}

static void password_hash_round_trip(void **state)
{
    (void)state;
    assert_int_equal(auth_init(), 0);
    auth_set_cost(2, 65536);
    char h[AUTH_HASH_MAX];
    assert_int_equal(auth_password_hash("correct horse", h), 0);
    assert_true(strncmp(h, "$argon2id$", 10) == 0);
    assert_true(auth_password_check(h, "correct horse"));
    assert_false(auth_password_check(h, "correct horsE"));
    assert_false(auth_password_check(h, ""));
    char t1[AUTH_TOKEN_LEN + 1], t2[AUTH_TOKEN_LEN + 1];
    auth_token_new(t1);
    auth_token_new(t2);
    assert_int_equal(strlen(t1), AUTH_TOKEN_LEN);
    assert_string_not_equal(t1, t2);
    unsigned char key[32] = {1};
    char c1[AUTH_TOKEN_LEN + 1], c2[AUTH_TOKEN_LEN + 1];
    auth_csrf_token(key, "a", c1);
    auth_csrf_token(key, "b", c2);
    assert_string_not_equal(c1, c2);
    assert_true(auth_equal(c1, c1));
    assert_false(auth_equal(c1, c2));
}

static void the_hashing_gate_holds_at_most_its_places(void **state)
{
    (void)state;
    struct gate *g = gate_new(2);
    assert_true(gate_try_enter(g));
    assert_true(gate_try_enter(g));
    assert_false(gate_try_enter(g)); /* full: refused at once, no wait */
    assert_int_equal(gate_holders(g), 2);
    gate_leave(g);
    assert_true(gate_try_enter(g));
    gate_leave(g);
    gate_leave(g);
    assert_int_equal(gate_holders(g), 0);
    gate_free(g);
    g = gate_new(0); /* a gate always has one place */
    assert_true(gate_try_enter(g));
    assert_false(gate_try_enter(g));
    gate_leave(g);
    gate_free(g);
}

static void migrations_apply_once_and_refuse_newer(void **state)
{
    (void)state;
    char dir[] = "/tmp/hramada-unit-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/m.db", dir);
    struct db *db = db_open(path, 1, 0);
    assert_non_null(db);
    int first = migrate_apply(db);
    assert_true(first >= 2);
    assert_int_equal(migrate_apply(db), 0);
    assert_int_equal(migrate_pending(db), 0);
    struct dbc *w = db_writer_lock(db);
    assert_int_equal(db_exec(w, "INSERT INTO schema_migrations VALUES('999_future.sql', 0)", ""),
                     1);
    assert_int_equal(db_int(w, 0, "SELECT count(*) FROM accounts", ""), 0);
    /* What a view reads: text as strings, a blob or text that is not UTF-8
     * as null (never raw bytes in JSON), numbers as numbers */
    json_t *rows = db_rows(w,
                           "SELECT 'дом <b>' AS t, x'00ff' AS b, CAST(x'c328' AS TEXT) AS bad, "
                           "7 AS n, NULL AS z",
                           "");
    assert_non_null(rows);
    json_t *row = json_array_get(rows, 0);
    assert_string_equal(json_string_value(json_object_get(row, "t")), "дом <b>");
    assert_true(json_is_null(json_object_get(row, "b")));
    assert_true(json_is_null(json_object_get(row, "bad")));
    assert_int_equal(json_integer_value(json_object_get(row, "n")), 7);
    assert_true(json_is_null(json_object_get(row, "z")));
    char *dumped = json_dumps(rows, 0);
    assert_non_null(dumped); /* the whole answer still serialises */
    free(dumped);
    json_decref(rows);
    db_writer_unlock(db);
    assert_int_equal(migrate_apply(db), -2);
    db_close(db);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* Text formatted into a buffer or an arena is whole whether it fits the
 * room left or not, and what was there before stays. */
static void printf_into_buffers_and_arenas(void **state)
{
    (void)state;
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    struct buf b;
    buf_init(&b);
    buf_printf(&b, "%d-%s", 42, "да");
    assert_string_equal(b.data, "42-да");
    buf_printf(&b, "|%s|", big);
    assert_int_equal(b.len, strlen("42-да") + 2 + 999);
    assert_int_equal(b.data[b.len - 1], '|');
    assert_memory_equal(b.data, "42-да|xxx", strlen("42-да|xxx"));
    buf_printf(&b, "%s", "");
    assert_int_equal(b.len, strlen("42-да") + 2 + 999);
    buf_free(&b);

    struct arena *a = arena_new();
    char *s1 = arena_printf(a, "%lld", (long long)-7);
    char *s2 = arena_printf(a, "%s", big);
    char *s3 = arena_printf(a, "[%s]", "ok");
    for (int i = 0; i < 200; i++) /* past the end of a block */
        arena_printf(a, "%.100s", big);
    char *s4 = arena_printf(a, "%d", 5);
    char *s5 = arena_printf(a, "%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s", big, big, big, big, big, big,
                            big, big, big, big, big, big, big, big, big, big, big);
    assert_string_equal(s1, "-7");
    assert_string_equal(s2, big);
    assert_string_equal(s3, "[ok]");
    assert_string_equal(s4, "5");
    assert_int_equal(strlen(s5), 17 * 999);
    assert_int_equal(((uintptr_t)s3 | (uintptr_t)s4) % 16, 0);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_accepts_and_rejects),
        cmocka_unit_test(html_escape_escapes_everything_dangerous),
        cmocka_unit_test(csv_cells_are_quoted_and_defused),
        cmocka_unit_test(fold_for_search),
        cmocka_unit_test(printf_into_buffers_and_arenas),
        cmocka_unit_test(row_columns_to_json),
        cmocka_unit_test(urlencoded_parsing),
        cmocka_unit_test(json_body_parsing),
        cmocka_unit_test(template_escapes_by_default),
        cmocka_unit_test(template_sections_loops_partials),
        cmocka_unit_test(template_slot_and_later_partials),
        cmocka_unit_test(template_translations_and_plurals),
        cmocka_unit_test(template_syntax_errors_are_caught),
        cmocka_unit_test(every_embedded_template_parses),
        cmocka_unit_test(catalogs_are_complete),
        cmocka_unit_test(router_matches_patterns),
        cmocka_unit_test(dates_are_real_calendar_dates),
        cmocka_unit_test(password_hash_round_trip),
        cmocka_unit_test(the_hashing_gate_holds_at_most_its_places),
        cmocka_unit_test(migrations_apply_once_and_refuse_newer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
