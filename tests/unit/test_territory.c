/* The territory tree's rules as the write itself enforces them
 * (territory_add's INSERT conditions, whatever page calls it), private
 * places of a secret community, removing them before the community, and
 * the address suggested from a name. On a real database file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/community/community.h"
#include "core/db.h"
#include "core/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char DIR_[256], PATH[300];
static struct db *DB;
static struct dbc *W;

static int setup(void **state)
{
    (void)state;
    snprintf(DIR_, sizeof DIR_, "/tmp/hramada-territory-XXXXXX");
    if (!mkdtemp(DIR_)) return -1;
    snprintf(PATH, sizeof PATH, "%s/t.db", DIR_);
    DB = db_open(PATH, 1, 0);
    return DB && migrate_apply(DB) >= 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    db_close(DB);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", DIR_);
    return system(cmd) == 0 ? 0 : -1;
}

/* The write transaction of a test; one a failed test left open is rolled
 * back, so that the next test does not wait for the writer forever. */
static struct dbc *begin(void)
{
    if (W) db_write_end(DB, W, 0);
    W = db_write_begin(DB);
    return W;
}

static void end(void)
{
    assert_int_equal(db_write_end(DB, W, 1), 0);
    W = NULL;
}

static int64_t add(int64_t parent, const char *kind, const char *name, int64_t owner,
                   int64_t community, int top)
{
    struct territory_new t = {parent, kind, name, owner, community, top};
    return territory_add(W, &t);
}

static void kinds_strictly_below(void **state)
{
    (void)state;
    assert_non_null(begin());
    int64_t by = add(0, "country", "Беларусь", 0, 0, 1);
    assert_true(by > 0);
    /* The same place again is the same row. */
    assert_int_equal(add(0, "country", "Беларусь", 0, 0, 1), by);
    /* Only a country at the top, only by those who may add one. */
    assert_int_equal(add(0, "city", "Город без страны", 0, 0, 1), -3);
    assert_int_equal(add(0, "country", "Страна жителя", 0, 0, 0), -3);
    assert_int_equal(add(by, "city", "Город жителя", 0, 0, 0), -3);
    assert_int_equal(add(by, "region", "Область жителя", 0, 0, 0), -3);
    int64_t minsk = add(by, "city", "Минск", 0, 0, 1);
    assert_true(minsk > 0);
    /* A resident adds places inside a city; each strictly below its parent. */
    int64_t district = add(minsk, "district", "Центральный", 0, 0, 0);
    assert_true(district > 0);
    int64_t sady = add(district, "neighbourhood", "Сады", 0, 0, 0);
    assert_true(sady > 0);
    assert_int_equal(add(sady, "neighbourhood", "Двор", 0, 0, 0), -3);
    assert_int_equal(add(sady, "district", "Район в микрорайоне", 0, 0, 1), -3);
    assert_int_equal(add(district, "country", "Страна в районе", 0, 0, 1), -3);
    assert_int_equal(add(minsk, "city", "Город в городе", 0, 0, 1), -3);
    assert_int_equal(add(minsk, "planet", "Марс", 0, 0, 1), -3);
    assert_int_equal(add(999999, "district", "Нигде", 0, 0, 1), -3);
    /* Levels may be skipped downwards. */
    assert_true(add(by, "neighbourhood", "Хутор", 0, 0, 0) > 0);
    assert_int_equal(db_int(W, -1, "SELECT count(*) FROM territories", ""), 5);
    end();
}

static void private_places(void **state)
{
    (void)state;
    assert_non_null(begin());
    assert_true(db_exec(W,
                        "INSERT INTO communities(id, slug, name, visibility, created_at,"
                        " updated_at) VALUES(1, 'tajna', 'Тайна', 2, 0, 0),"
                        " (2, 'drugie', 'Другие', 2, 0, 0)",
                        "") >= 0);
    int64_t minsk = db_int(W, 0, "SELECT id FROM territories WHERE name = 'Минск'", "");
    int64_t own = add(minsk, "district", "Гаражи", 1, 1, 0);
    assert_true(own > 0);
    /* Under a private place: its owner may, another community may not. */
    int64_t cellar = add(own, "neighbourhood", "Подвал", 1, 1, 0);
    assert_true(cellar > 0);
    assert_int_equal(add(own, "neighbourhood", "Чужой угол", 2, 2, 0), -3);
    assert_int_equal(add(own, "neighbourhood", "Публичный угол", 0, 0, 0), -3);
    /* A public place of the same name is its own row. */
    int64_t pub = add(minsk, "district", "Гаражи", 0, 0, 0);
    assert_true(pub > 0 && pub != own);
    /* What each sees. */
    assert_true(territory_usable(W, own, 1));
    assert_false(territory_usable(W, own, 2));
    assert_false(territory_usable(W, own, 0));
    json_t *tree = territory_tree(W, 10, 0);
    size_t i;
    json_t *t;
    int seen = 0;
    json_array_foreach(tree, i, t) seen += json_integer_value(json_object_get(t, "id")) == own ||
                                           json_integer_value(json_object_get(t, "id")) == cellar;
    json_decref(tree);
    assert_int_equal(seen, 0);
    tree = territory_tree(W, 10, 1);
    seen = 0;
    json_array_foreach(tree, i, t) seen += json_integer_value(json_object_get(t, "id")) == own ||
                                           json_integer_value(json_object_get(t, "id")) == cellar;
    json_decref(tree);
    assert_int_equal(seen, 2);
    /* The community cannot go while it owns places; it can once they are
     * removed (leaves first), and the public namesake stays. */
    assert_true(db_exec(W, "DELETE FROM communities WHERE id = 1", "") < 0);
    assert_int_equal(community_private_territories_drop(W, 1), 0);
    assert_int_equal(db_exec(W, "DELETE FROM communities WHERE id = 1", ""), 1);
    assert_int_equal(
        db_int(W, -1, "SELECT count(*) FROM territories WHERE community_id IS NOT NULL", ""), 0);
    assert_true(territory_usable(W, pub, 0));
    end();
}

static void address_from_a_name(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"Двор на Садовой, 12", "dvor-na-sadovoy-12"},
        {"Щука и Юла", "shchuka-i-yula"},
        {"Съезд «Объединение»", "sezd-obedinenie"},
        {"Ёлки — ЦЕНТР!", "elki-tsentr"},
        {"Хата з краю", "khata-z-krayu"},
        {"Вуліца Ўздоўж", "vulitsa-uzdouzh"},
        {"Board Games 2026", "board-games-2026"},
        {"★★★", ""},
        {"  --Пробелы--  ", "probely"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = community_slug_suggest(cases[i][0]);
        if (strcmp(s, cases[i][1]) != 0) fail_msg("%s: %s, not %s", cases[i][0], s, cases[i][1]);
        free(s);
    }
    /* A long name is cut at a word boundary, at most 64 characters. */
    char *s = community_slug_suggest("Очень длинное название сообщества соседей которые живут "
                                     "на одной улице и дружат домами много лет подряд");
    assert_true(strlen(s) <= 64);
    assert_true(s[strlen(s) - 1] != '-');
    assert_non_null(
        strstr("ochen-dlinnoe-nazvanie-soobshchestva-sosedey-kotorye-zhivut-na-odnoy-", s));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kinds_strictly_below),
        cmocka_unit_test(private_places),
        cmocka_unit_test(address_from_a_name),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
