/* The talent bank over HTTP against a real server with the demo: pages,
 * JSON views, forms with every bad input, requests for help, clubs, the
 * organizer's overview and export, and rights in public, closed and secret
 * communities. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct srv S;

#define DS "/c/dvor-sadovaya-12"
#define NR "/c/nastolki-na-raene"

static int setup(void **state)
{
    (void)state;
    return srv_start(&S, 1, NULL);
}

static int teardown(void **state)
{
    (void)state;
    return srv_stop(&S) == 0 ? 0 : -1;
}

/* The id of the entry with this title among what the search for q finds
 * for the client; 0 if it is not found. */
static long long search_finds(struct client *c, const char *base, const char *q, const char *title)
{
    const char *const pairs[] = {"q", q, NULL};
    char *query = form_encode(pairs);
    char path[1024];
    snprintf(path, sizeof path, "%s/talents?%s", base, query);
    free(query);
    json_t *v = get_json(c, path, 200);
    long long id = 0;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(v, "entries"), i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "title")), title) == 0)
            id = json_integer_value(json_object_get(e, "id"));
    }
    json_decref(v);
    return id;
}

/* The id of the entry with this title in the list the client sees; 0 if
 * the client does not see it. */
static long long find_entry(struct client *c, const char *base, const char *title)
{
    /* searched by its own words: the list shows a page of thirty */
    return search_finds(c, base, title, title);
}

static long long count_entries(struct client *c, const char *base)
{
    char path[256];
    snprintf(path, sizeof path, "%s/talents", base);
    json_t *v = get_json(c, path, 200);
    long long n = json_integer_value(json_object_get(v, "count"));
    json_decref(v);
    return n;
}

/* ---- reading and visibility ---- */

static void anonymous_sees_only_public_entries(void **state)
{
    (void)state;
    struct client c;
    login_as(&c, &S, NULL);
    json_t *v = get_json(&c, DS "/talents", 200);
    json_t *entries = json_object_get(v, "entries");
    assert_true(json_array_size(entries) >= 5);
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e)
    {
        assert_string_equal(json_string_value(json_object_get(e, "visibility")), "public");
        assert_null(json_object_get(e, "owner_id"));
        assert_null(json_object_get(e, "account_id"));
    }
    json_decref(v);
    struct resp r;
    assert_int_equal(client_get(&c, DS "/talents", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Банк соседских талантов"));
    assert_non_null(strstr(r.body, "Настрою ноутбук"));
    assert_null(strstr(r.body, "Маме нужна помощь"));
    resp_free(&r);
    /* member-only actions send the anonymous visitor to sign in */
    assert_int_equal(get_status(&c, DS "/talents/new", 1), 401);
    assert_int_equal(get_status(&c, DS "/talents/mine", 1), 401);
    client_free(&c);
}

static void closed_and_secret_communities_hide_everything(void **state)
{
    (void)state;
    struct client anon, nc, org;
    login_as(&anon, &S, NULL);
    login_as(&nc, &S, "newcomer");
    login_as(&org, &S, "organizer");
    assert_int_equal(get_status(&anon, "/c/zelenyj-kvartal/talents", 1), 401);
    assert_int_equal(get_status(&nc, "/c/zelenyj-kvartal/talents", 1), 403);
    assert_int_equal(get_status(&nc, "/c/tiho-vmeste/talents", 1), 404);
    assert_int_equal(get_status(&anon, "/c/tiho-vmeste/talents", 1), 404);
    assert_int_equal(get_status(&org, "/c/tiho-vmeste/talents", 1), 200);
    assert_int_equal(get_status(&org, "/c/zelenyj-kvartal/talents", 0), 200);
    struct resp r;
    assert_int_equal(client_post(&nc, DS "/talents", 1, &r, "kind", "offer", "category", "it",
                                 "title", "Чужак", END),
                     0);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    client_free(&anon);
    client_free(&nc);
    client_free(&org);
}

static void visibility_per_entry(void **state)
{
    (void)state;
    const char *secret = "Маме нужна помощь с покупками раз в неделю";
    struct client m, o, owner;
    login_as(&m, &S, "member");
    login_as(&o, &S, "organizer");
    login_as(&owner, &S, "dvor-sadovaya-12-8");
    assert_int_equal(find_entry(&m, DS, secret), 0);
    long long id = find_entry(&o, DS, secret);
    assert_true(id > 0);
    assert_int_equal(find_entry(&owner, DS, secret), id);
    assert_true(find_entry(&m, DS, "Ищу, кто поможет заменить розетку на кухне") > 0);
    char path[128];
    snprintf(path, sizeof path, DS "/talents/%lld", id);
    assert_int_equal(get_status(&m, path, 1), 404);
    assert_int_equal(get_status(&o, path, 0), 200);
    client_free(&m);
    client_free(&o);
    client_free(&owner);
}

static void search_with_prefix_and_filters(void **state)
{
    (void)state;
    struct client m;
    login_as(&m, &S, "member");
    json_t *v = get_json(&m, DS "/talents?q=%D0%A0%D0%9E%D0%97%D0%95%D0%A2", 200); /* РОЗЕТ */
    assert_true(json_integer_value(json_object_get(v, "count")) >= 2);
    json_decref(v);
    v = get_json(&m, DS "/talents?q=%D1%80%D0%BE%D0%B7%D0%B5%D1%82&kind=need", 200);
    assert_int_equal(json_integer_value(json_object_get(v, "count")), 1);
    json_decref(v);
    v = get_json(&m, DS "/talents?category=transport", 200);
    size_t i;
    json_t *e;
    assert_true(json_array_size(json_object_get(v, "entries")) >= 2);
    json_array_foreach(json_object_get(v, "entries"), i, e)
    {
        assert_string_equal(json_string_value(json_object_get(e, "category")), "transport");
        /* a card has no body: the entry's page has it */
        assert_null(json_object_get(e, "body"));
        assert_non_null(json_object_get(e, "category_label"));
    }
    json_decref(v);
    /* nor a search's cards, the same labels on each (made once a page) */
    v = get_json(&m, DS "/talents?q=%D0%A0%D0%9E%D0%97%D0%95%D0%A2", 200);
    json_array_foreach(json_object_get(v, "entries"), i, e)
    {
        assert_null(json_object_get(e, "body"));
        assert_non_null(json_string_value(json_object_get(e, "kind_label")));
    }
    json_decref(v);
    v = get_json(&m, DS "/talents?availability=weekdays", 200);
    json_array_foreach(json_object_get(v, "entries"), i, e)
    {
        const char *a = json_string_value(json_object_get(e, "availability"));
        assert_true(strcmp(a, "weekdays") == 0 || strcmp(a, "any") == 0);
    }
    json_decref(v);
    /* FTS syntax in the query is only words */
    v = get_json(&m, DS "/talents?q=%22%29%28*+OR+NEAR", 200);
    assert_int_equal(json_integer_value(json_object_get(v, "count")), 0);
    json_decref(v);
    /* other communities' entries never show */
    v = get_json(&m, DS "/talents?q=%D0%B4%D0%BE%D0%BC%D0%B8%D0%BD%D0%BE", 200); /* домино */
    assert_int_equal(json_integer_value(json_object_get(v, "count")), 0);
    json_decref(v);
    client_free(&m);
}

/* ---- the form ---- */

/* A search lists thirty entries a page, says how many there are in all,
 * and its page links keep the search. */
static void list_pages_keep_the_search(void **state)
{
    (void)state;
    struct client m;
    login_as(&m, &S, "member");
    for (int i = 0; i < 32; i++) {
        char title[64];
        snprintf(title, sizeof title, "Листаю страницы, запись %d", i);
        struct resp r;
        assert_int_equal(client_post(&m, DS "/talents", 0, &r, "kind", "hobby", "category", "other",
                                     "title", title, END),
                         0);
        assert_int_equal(r.status, 303);
        resp_free(&r);
    }
    json_t *v = get_json(&m, DS "/talents?q=%D0%BB%D0%B8%D1%81%D1%82%D0%B0%D1%8E&kind=hobby", 200);
    assert_int_equal(json_integer_value(json_object_get(v, "count")), 32);
    assert_int_equal(json_array_size(json_object_get(v, "entries")), 30);
    const char *next = json_string_value(json_object_get(v, "next_page"));
    assert_non_null(next);
    assert_null(json_object_get(v, "prev_page"));
    /* the newest first */
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(v, "entries"), 0), "title")),
                        "Листаю страницы, запись 31");
    assert_non_null(strstr(next, "page=2"));
    assert_non_null(strstr(next, "q=%D0%BB%D0%B8%D1%81%D1%82%D0%B0%D1%8E"));
    assert_non_null(strstr(next, "kind=hobby"));
    json_t *v2 = get_json(&m, next, 200);
    assert_int_equal(json_array_size(json_object_get(v2, "entries")), 2);
    assert_null(json_object_get(v2, "next_page"));
    assert_non_null(json_object_get(v2, "prev_page"));
    assert_int_equal(json_integer_value(json_object_get(v2, "count")), 32);
    json_decref(v2);
    json_decref(v);
    /* a page that is not a number is the first one */
    v = get_json(&m, DS "/talents?q=%D0%BB%D0%B8%D1%81%D1%82%D0%B0%D1%8E&page=x%27", 200);
    assert_int_equal(json_integer_value(json_object_get(v, "page")), 1);
    json_decref(v);
    struct resp r;
    assert_int_equal(client_get(&m, DS "/talents?q=%D0%BB%D0%B8%D1%81%D1%82%D0%B0%D1%8E", 0, &r),
                     0);
    assert_non_null(strstr(r.body, "rel=\"next\""));
    resp_free(&r);
    /* removed again, so that the member's own list is as the other tests
     * expect it */
    for (int page = 0; page < 2; page++) {
        v = get_json(&m, DS "/talents?q=%D0%BB%D0%B8%D1%81%D1%82%D0%B0%D1%8E", 200);
        size_t i;
        json_t *e;
        json_array_foreach(json_object_get(v, "entries"), i, e)
        {
            char path[128];
            snprintf(path, sizeof path, DS "/talents/%lld/delete",
                     (long long)json_integer_value(json_object_get(e, "id")));
            assert_int_equal(client_post(&m, path, 0, &r, END), 0);
            assert_int_equal(r.status, 303);
            resp_free(&r);
        }
        json_decref(v);
    }
    v = get_json(&m, DS "/talents?q=%D0%BB%D0%B8%D1%81%D1%82%D0%B0%D1%8E", 200);
    assert_int_equal(json_integer_value(json_object_get(v, "count")), 0);
    json_decref(v);
    client_free(&m);
}

static void create_entry_normalises_tags(void **state)
{
    (void)state;
    struct client m;
    login_as(&m, &S, "dvor-sadovaya-12-3");
    assert_int_equal(get_status(&m, DS "/talents/new", 0), 200);
    long long before = count_entries(&m, DS);
    struct resp r;
    assert_int_equal(client_post(&m, DS "/talents", 0, &r, "kind", "offer", "category", "cooking",
                                 "title", "Научу солить огурцы", "body", "Бабушкин рецепт.", "tags",
                                 "Соленья,  СОЛЕНЬЯ , Огурцы Ёмкие", "availability", "weekends",
                                 "visibility", "members", END),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(count_entries(&m, DS), before + 1);
    long long id = find_entry(&m, DS, "Научу солить огурцы");
    char path[128];
    snprintf(path, sizeof path, DS "/talents/%lld", id);
    json_t *v = get_json(&m, path, 200);
    json_t *e = json_object_get(v, "entry");
    assert_string_equal(json_string_value(json_object_get(e, "tags")), "соленья, огурцы емкие");
    assert_true(json_is_true(json_object_get(v, "can_edit")));
    json_decref(v);
    /* a JSON client sends the tags as an array */
    const char *body = "{\"kind\":\"offer\",\"category\":\"cooking\",\"title\":"
                       "\"Квашу капусту\",\"tags\":[\"Соленья\",\"КАПУСТА\"],\"csrf\":\"";
    char *json = malloc(strlen(body) + strlen(m.csrf) + 4);
    sprintf(json, "%s%s\"}", body, m.csrf);
    assert_int_equal(
        client_post_raw(&m, DS "/talents", "application/json", json, strlen(json), 1, &r), 0);
    free(json);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    snprintf(path, sizeof path, DS "/talents/%lld", find_entry(&m, DS, "Квашу капусту"));
    v = get_json(&m, path, 200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "entry"), "tags")),
                        "соленья, капуста");
    json_decref(v);
    v = get_json(&m, DS "/talents/tags?q=%D0%A1%D0%BE%D0%BB", 200); /* Сол */
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(v, "tags"), 0), "tag")),
        "соленья");
    json_decref(v);
    client_free(&m);
}

/* A tag's link searches for the tag itself: the tag is a URL component. */
static void tag_links_search_for_the_tag(void **state)
{
    (void)state;
    struct client m;
    login_as(&m, &S, "member");
    struct resp r;
    assert_int_equal(client_post(&m, DS "/talents", 0, &r, "kind", "offer", "category", "music",
                                 "title", "Научу играть рок-н-ролл", "tags", "rock&roll, c++", END),
                     0);
    assert_int_equal(r.status, 303);
    char loc[200];
    assert_int_equal(resp_header(&r, "Location", loc, sizeof loc), 0);
    resp_free(&r);
    assert_int_equal(client_get(&m, loc, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "/talents?q=rock%26roll\""));
    assert_non_null(strstr(r.body, "/talents?q=c%2B%2B\""));
    resp_free(&r);
    /* and such a link finds the entry */
    json_t *v = get_json(&m, DS "/talents?q=rock%26roll", 200);
    assert_true(json_integer_value(json_object_get(v, "count")) >= 1);
    json_decref(v);
    char path[220];
    snprintf(path, sizeof path, "%s/delete", loc);
    assert_int_equal(client_post(&m, path, 0, &r, END), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    client_free(&m);
}

static void create_entry_bad_input(void **state)
{
    (void)state;
    struct client m;
    login_as(&m, &S, "member");
    long long before = count_entries(&m, DS);
    char longtitle[400] = "";
    for (int i = 0; i < 121; i++)
        strcat(longtitle, "я");
    struct {
        const char *field, *kind, *cat, *title, *tags, *vis;
    } cases[] = {
        {"category", "offer", "astrology", "Гороскопы", "", "members"},
        {"category", "offer", "", "Без категории", "", "members"},
        {"kind", "brag", "it", "Хвастаюсь", "", "members"},
        {"title", "offer", "it", "", "", "members"},
        {"title", "offer", "it", "   ", "", "members"},
        {"title", "offer", "it", longtitle, "", "members"},
        {"tags", "offer", "it", "Много меток", "a,b,c,d,e,f,g,h,i,j,k", "members"},
        {"tags", "offer", "it", "Длинная метка", "очень-очень-длинная-метка-больше-32", "members"},
        {"visibility", "offer", "it", "Всем-всем", "", "world"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct resp r;
        assert_int_equal(client_post(&m, DS "/talents", 1, &r, "kind", cases[i].kind, "category",
                                     cases[i].cat, "title", cases[i].title, "tags", cases[i].tags,
                                     "visibility", cases[i].vis, END),
                         0);
        if (r.status != 422 || !field_error(&r, cases[i].field))
            fprintf(stderr, "case %zu: %ld %s\n", i, r.status, r.body);
        assert_int_equal(r.status, 422);
        assert_non_null(field_error(&r, cases[i].field));
        resp_free(&r);
    }
    /* the HTML answer keeps the input and says what is wrong */
    struct resp r;
    assert_int_equal(client_post(&m, DS "/talents", 0, &r, "kind", "offer", "category", "it",
                                 "title", "Сохраните меня", "tags", "a,b,c,d,e,f,g,h,i,j,k", END),
                     0);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "Сохраните меня"));
    assert_non_null(strstr(r.body, "Не больше 10 меток"));
    resp_free(&r);
    assert_int_equal(count_entries(&m, DS), before);
    client_free(&m);
}

static void only_the_owner_edits_and_deletes(void **state)
{
    (void)state;
    struct client owner, other, org;
    login_as(&owner, &S, "dvor-sadovaya-12-9");
    login_as(&other, &S, "member");
    login_as(&org, &S, "organizer");
    long long id = find_entry(&owner, DS, "Бегаю по утрам в парке");
    assert_true(id > 0);
    char edit[128], del[128], self[128];
    snprintf(edit, sizeof edit, DS "/talents/%lld/edit", id);
    snprintf(del, sizeof del, DS "/talents/%lld/delete", id);
    snprintf(self, sizeof self, DS "/talents/%lld", id);
    assert_int_equal(get_status(&other, edit, 1), 403);
    assert_int_equal(get_status(&org, edit, 1), 403);
    assert_int_equal(get_status(&owner, edit, 0), 200);
    struct resp r;
    assert_int_equal(client_post(&other, edit, 1, &r, "kind", "hobby", "category", "sport", "title",
                                 "Взломано", END),
                     0);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    assert_int_equal(client_post(&org, del, 1, &r, END), 0);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    assert_int_equal(
        client_post(&owner, edit, 1, &r, "kind", "hobby", "category", "sport", "title", "", END),
        0);
    assert_int_equal(r.status, 422);
    resp_free(&r);
    assert_int_equal(client_post(&owner, edit, 0, &r, "kind", "hobby", "category", "sport", "title",
                                 "Бегаю по утрам и вечерам", "tags", "бег", "visibility", "public",
                                 END),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    json_t *v = get_json(&other, self, 200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "entry"), "title")),
                        "Бегаю по утрам и вечерам");
    json_decref(v);
    assert_int_equal(client_post(&owner, del, 0, &r, END), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(get_status(&owner, self, 1), 404);
    client_free(&owner);
    client_free(&other);
    client_free(&org);
}

static void organizer_hides_with_a_reason(void **state)
{
    (void)state;
    struct client org, m, owner;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    login_as(&owner, &S, "dvor-sadovaya-12-4");
    long long id = find_entry(&m, DS, "Присмотрю за кошкой во время отпуска");
    assert_true(id > 0);
    char hide[128];
    snprintf(hide, sizeof hide, DS "/talents/%lld/hide", id);
    struct resp r;
    assert_int_equal(client_post(&m, hide, 1, &r, "reason", "не нравится", END), 0);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    assert_int_equal(client_post(&org, hide, 1, &r, "reason", "", END), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(field_error(&r, "reason"));
    resp_free(&r);
    assert_true(find_entry(&m, DS, "Присмотрю за кошкой во время отпуска") > 0);
    assert_int_equal(client_post(&org, hide, 0, &r, "reason", "Уточните адрес", END), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(find_entry(&m, DS, "Присмотрю за кошкой во время отпуска"), 0);
    assert_int_equal(find_entry(&owner, DS, "Присмотрю за кошкой во время отпуска"), id);
    assert_int_equal(client_post(&org, hide, 0, &r, "unhide", "1", END), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(find_entry(&m, DS, "Присмотрю за кошкой во время отпуска"), id);
    client_free(&org);
    client_free(&m);
    client_free(&owner);
}

/* ---- matches ---- */

static void matches_are_ranked_and_explained(void **state)
{
    (void)state;
    struct client m;
    login_as(&m, &S, "member");
    long long id = find_entry(&m, DS, "Хочу научиться видеозвонкам, чтобы говорить с внуками");
    char path[128];
    snprintf(path, sizeof path, DS "/talents/%lld", id);
    json_t *v = get_json(&m, path, 200);
    json_t *first = json_array_get(json_object_get(v, "matches"), 0);
    assert_non_null(first);
    assert_string_equal(json_string_value(json_object_get(first, "title")),
                        "Настрою ноутбук, телефон или роутер");
    assert_non_null(strstr(json_string_value(json_object_get(first, "why")), "оба: телефоны"));
    assert_null(json_object_get(first, "owner_id"));
    json_decref(v);
    /* a need that the member's own skill would answer: never a match */
    struct resp cr;
    assert_int_equal(client_post(&m, DS "/talents", 0, &cr, "kind", "need", "category", "crafts",
                                 "title", "Ищу, у кого научиться вязать крючком", "tags", "вязание",
                                 END),
                     0);
    assert_int_equal(cr.status, 303);
    resp_free(&cr);
    v = get_json(&m, DS "/talents/mine", 200);
    assert_true(json_integer_value(json_object_get(v, "match_count")) >= 1);
    size_t k;
    json_t *own;
    json_array_foreach(json_object_get(v, "entries"), k, own)
    {
        size_t j;
        json_t *x;
        json_array_foreach(json_object_get(own, "matches"), j, x)
        {
            /* named by the name in the community, never the account */
            assert_null(json_object_get(x, "handle"));
            char eid[32];
            snprintf(eid, sizeof eid, "%lld",
                     (long long)json_integer_value(json_object_get(x, "id")));
            assert_int_equal(db_value(&S,
                                      "SELECT count(*) FROM talent_entries e JOIN member_accounts l"
                                      " ON l.member_id = e.member_id JOIN accounts a ON a.id ="
                                      " l.account_id WHERE a.handle = 'member'"
                                      " AND e.id = CAST(? AS INTEGER)",
                                      eid),
                             0);
        }
        assert_null(json_object_get(own, "owner_id"));
    }
    json_decref(v);
    struct resp r;
    assert_int_equal(client_get(&m, DS "/talents/mine", 0, &r), 0);
    assert_non_null(strstr(r.body, "оба: "));
    resp_free(&r);
    /* the domino partner: a shared interest */
    struct client o;
    login_as(&o, &S, "organizer");
    long long d = find_entry(&o, NR, "Домино — ищу партнёров для игры");
    snprintf(path, sizeof path, NR "/talents/%lld", d);
    v = get_json(&o, path, 200);
    int found = 0;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(v, "matches"), i, x)
    {
        found |=
            strcmp(json_string_value(json_object_get(x, "title")), "Играю в домино и лото") == 0;
    }
    assert_true(found);
    json_decref(v);
    client_free(&o);
    client_free(&m);
}

/* The titles of the matches of entry id as the client sees them, joined
 * with "|", and the first one's explanation. */
static void matches_of(struct client *c, long long id, char *titles, size_t n, char *why, size_t wn)
{
    char path[128];
    snprintf(path, sizeof path, DS "/talents/%lld", id);
    json_t *v = get_json(c, path, 200);
    titles[0] = why[0] = 0;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(v, "matches"), i, x)
    {
        if (i == 0) snprintf(why, wn, "%s", json_string_value(json_object_get(x, "why")));
        strncat(titles, json_string_value(json_object_get(x, "title")), n - strlen(titles) - 2);
        strcat(titles, "|");
    }
    json_decref(v);
}

/* Words alone can make a match (three shared stems, no tag, another
 * category); and entries written before match words were stored, or before
 * matches were kept ready, get both when the program next starts (the
 * upgrades after migrations 031 and 046). */
static void matches_by_words_and_after_upgrade(void **state)
{
    (void)state;
    struct client m, o;
    login_as(&m, &S, "member");
    login_as(&o, &S, "organizer");
    struct resp r;
    assert_int_equal(client_post(&o, DS "/talents", 0, &r, "kind", "offer", "category", "sport",
                                 "title", "Скандинавская ходьба по набережной", "body",
                                 "Хожу каждое утро, палки есть лишние.", END),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(client_post(&m, DS "/talents", 0, &r, "kind", "need", "category", "other",
                                 "title", "Ищу компанию: скандинавской ходьбой по набережным", END),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    long long need = find_entry(&m, DS, "Ищу компанию: скандинавской ходьбой по набережным");
    assert_true(need > 0);
    char titles[2048], why[512];
    matches_of(&m, need, titles, sizeof titles, why, sizeof why);
    assert_non_null(strstr(titles, "Скандинавская ходьба по набережной|"));
    assert_string_equal(why, "оба: скандинавской, ходьбой, набережным");

    /* as if written by a version without match words and ready matches */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(S.db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    /* (such a version had no sealed communities: the demo's secret one,
     * sealed by now, loses its entries, whose words no start-up could
     * write again without its key) */
    assert_int_equal(sqlite3_exec(db,
                                  "PRAGMA foreign_keys = ON; DELETE FROM talent_entries"
                                  " WHERE substr(title, 1, 1) = char(30);"
                                  "UPDATE talent_entries SET words = NULL;"
                                  " DELETE FROM talent_words; DELETE FROM talent_matches;"
                                  " INSERT INTO talent_matches_todo SELECT id FROM talent_entries;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    matches_of(&m, need, titles, sizeof titles, why, sizeof why);
    assert_null(strstr(titles, "Скандинавская ходьба по набережной|"));
    const char *const init[] = {"init", NULL};
    assert_int_equal(srv_cli(&S, NULL, init), 0);
    assert_int_equal(sqlite3_open(S.db, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT (SELECT count(*) FROM talent_entries WHERE words"
                                        " IS NULL), (SELECT count(*) FROM talent_words),"
                                        " (SELECT count(*) FROM talent_matches_todo)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    assert_true(sqlite3_column_int(st, 1) > 50);
    assert_int_equal(sqlite3_column_int(st, 2), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    matches_of(&m, need, titles, sizeof titles, why, sizeof why);
    assert_non_null(strstr(titles, "Скандинавская ходьба по набережной|"));
    assert_string_equal(why, "оба: скандинавской, ходьбой, набережным");
    client_free(&o);
    client_free(&m);
}

/* The rows of talent_matches in which entry id stands, on either side. */
static int ready_rows_of(long long id)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(S.db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM talent_matches"
                                        " WHERE entry_id = ?1 OR candidate_id = ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* Matches are kept ready when entries are written: a new entry enters the
 * list of an older one it answers, an edit that takes away what they share
 * takes it out of that list (and one that adds it puts it back), and a
 * deleted entry leaves no row behind, on either side. */
static void ready_matches_follow_edits_and_deletion(void **state)
{
    (void)state;
    struct client m, o;
    login_as(&m, &S, "member");
    login_as(&o, &S, "organizer");
    struct resp r;
    assert_int_equal(client_post(&m, DS "/talents", 0, &r, "kind", "need", "category", "education",
                                 "title", "Ищу партнёра для игры в шахматы", "tags", "шахматы",
                                 END),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(client_post(&o, DS "/talents", 0, &r, "kind", "offer", "category", "games",
                                 "title", "Научу дебютам", "tags", "шахматы", END),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    long long need = find_entry(&m, DS, "Ищу партнёра для игры в шахматы");
    long long offer = find_entry(&o, DS, "Научу дебютам");
    assert_true(need > 0 && offer > 0);
    char titles[2048], why[512];
    /* the older entry's list gained the newer one, which answers it */
    matches_of(&m, need, titles, sizeof titles, why, sizeof why);
    assert_non_null(strstr(titles, "Научу дебютам|"));
    assert_string_equal(why, "оба: шахматы");
    matches_of(&o, offer, titles, sizeof titles, why, sizeof why);
    assert_non_null(strstr(titles, "Ищу партнёра для игры в шахматы|"));

    char edit[128], del[128];
    snprintf(edit, sizeof edit, DS "/talents/%lld/edit", offer);
    snprintf(del, sizeof del, DS "/talents/%lld/delete", offer);
    assert_int_equal(client_post(&o, edit, 0, &r, "kind", "offer", "category", "music", "title",
                                 "Научу аккордам", "tags", "гитара", "visibility", "members", END),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    matches_of(&m, need, titles, sizeof titles, why, sizeof why);
    assert_null(strstr(titles, "Научу аккордам|"));
    matches_of(&o, offer, titles, sizeof titles, why, sizeof why);
    assert_null(strstr(titles, "Ищу партнёра для игры в шахматы|"));

    /* the need's owner changes it to what the offer is now */
    char edit_need[128];
    snprintf(edit_need, sizeof edit_need, DS "/talents/%lld/edit", need);
    assert_int_equal(client_post(&m, edit_need, 0, &r, "kind", "need", "category", "music", "title",
                                 "Ищу партнёра для игры в шахматы", "tags", "гитара", "visibility",
                                 "members", END),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    matches_of(&m, need, titles, sizeof titles, why, sizeof why);
    assert_non_null(strstr(titles, "Научу аккордам|"));
    assert_string_equal(why, "оба: гитара");
    assert_true(ready_rows_of(offer) > 0);

    assert_int_equal(client_post(&o, del, 0, &r, END), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(ready_rows_of(offer), 0);
    matches_of(&m, need, titles, sizeof titles, why, sizeof why);
    assert_null(strstr(titles, "Научу аккордам|"));
    client_free(&o);
    client_free(&m);
}

/* Word forms (Snowball stems, Russian and English): a search finds the
 * other forms of its words, and matching counts them as one word. Both
 * failed when a word was its first five characters: search asked for the
 * word as a prefix ("велосипеда" is not the start of "велосипед"), and
 * "утром" and "утро" were two words. */
static void word_forms_are_found_and_matched(void **state)
{
    (void)state;
    struct client m, o;
    login_as(&m, &S, "member");
    login_as(&o, &S, "dvor-sadovaya-12-4");
    struct resp r;
    assert_int_equal(client_post(&o, DS "/talents", 0, &r, "kind", "offer", "category", "repairs",
                                 "title", "Починю велосипед", "body",
                                 "Колёса, тормоза, цепь. Bicycle repairs too.", END),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    long long bike = find_entry(&m, DS, "Починю велосипед");
    assert_true(bike > 0);
    static const char *const forms[] = {"велосипеда", "ВЕЛОСИПЕДЫ", "велосипедом",
                                        "починить велосипеды", "тормоз", "repairing bicycles",
                                        /* the beginning of a word, as before */
                                        "велоси", "цеп"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        if (search_finds(&m, DS, forms[i], "Починю велосипед") != bike)
            fail_msg("\"%s\" does not find \"Починю велосипед\"", forms[i]);
    }
    /* every word must be found: a word form of one is not enough */
    assert_int_equal(search_finds(&m, DS, "велосипеда самокаты", "Починю велосипед"), 0);

    /* three words in common only as word forms: выгуляет/выгуляю,
     * собаку/собак, утром/утро, дворе/двор (the first five characters had
     * two of them, too few for a match) */
    assert_int_equal(client_post(&o, DS "/talents", 0, &r, "kind", "offer", "category", "animals",
                                 "title", "Выгуляю собак: утро и вечер, двор рядом", END),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(client_post(&m, DS "/talents", 0, &r, "kind", "need", "category", "other",
                                 "title", "Кто выгуляет собаку утром во дворе?", END),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    long long need = find_entry(&m, DS, "Кто выгуляет собаку утром во дворе?");
    assert_true(need > 0);
    char titles[2048], why[512];
    matches_of(&m, need, titles, sizeof titles, why, sizeof why);
    assert_non_null(strstr(titles, "Выгуляю собак: утро и вечер, двор рядом|"));
    assert_string_equal(why, "оба: выгуляет, собаку, утром, дворе");
    client_free(&o);
    client_free(&m);
}

/* A database of the version before stems: its match words made by the
 * first-five-characters rule, its full-text index without the stems
 * column. Migration 032 and the start-up backfill bring it to the new
 * rules: search finds word forms and matching uses Snowball stems. */
static void an_older_database_is_restemmed_at_start_up(void **state)
{
    (void)state;
    struct client m;
    login_as(&m, &S, "member");
    long long bike = find_entry(&m, DS, "Починю велосипед");
    assert_true(bike > 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(S.db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *err = NULL;
    int rc = sqlite3_exec(
        db,
        /* a database of then had no sealed community (the demo's is now) */
        "PRAGMA foreign_keys = ON;"
        " DELETE FROM talent_entries WHERE substr(title, 1, 1) = char(30);"
        "BEGIN;"
        " UPDATE talent_entries SET words = 'почин велос' WHERE title = 'Починю велосипед';"
        " DELETE FROM talent_words;"
        " INSERT INTO talent_words(community_id, kind, stem, entry_id)"
        "  SELECT community_id, kind, 'велос', id FROM talent_entries"
        "  WHERE title = 'Починю велосипед';"
        " ALTER TABLE talent_entries DROP COLUMN stems;"
        " DROP TABLE talent_fts;"
        " CREATE VIRTUAL TABLE talent_fts USING fts5(scope, title, body, tags,"
        "  tokenize = 'unicode61', prefix = '2 3 4 5');"
        " INSERT INTO talent_fts(rowid, scope, title, body, tags)"
        "  SELECT id, 'c' || community_id || ' k' || kind, lower(title), lower(body), tags"
        "  FROM talent_entries;"
        " DELETE FROM schema_migrations WHERE name LIKE '032%' OR name LIKE '070_talent%';"
        " COMMIT;",
        NULL, NULL, &err);
    if (rc != SQLITE_OK) fail_msg("making the old database: %s", err);
    sqlite3_close(db);
    /* (the server is not asked anything now: its statements know the new
     * schema only) */
    const char *const init[] = {"init", NULL};
    assert_int_equal(srv_cli(&S, NULL, init), 0);
    assert_int_equal(sqlite3_open(S.db, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(
            db,
            "SELECT (SELECT count(*) FROM talent_entries WHERE words IS NULL"
            "  OR stems IS NULL),"
            " (SELECT stems FROM talent_entries WHERE title = 'Починю велосипед'),"
            " (SELECT count(*) FROM talent_words WHERE stem = 'велос'),"
            " (SELECT count(*) FROM talent_fts) = (SELECT count(*) FROM talent_entries)",
            -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    assert_string_equal((const char *)sqlite3_column_text(st, 1),
                        "почин велосипед колес тормоз цеп bicycl repair");
    assert_int_equal(sqlite3_column_int(st, 2), 0);
    assert_int_equal(sqlite3_column_int(st, 3), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(search_finds(&m, DS, "велосипеда", "Починю велосипед"), bike);
    client_free(&m);
}

static void dashboard_panel_for_members_only(void **state)
{
    (void)state;
    struct client m, anon;
    login_as(&m, &S, "member");
    login_as(&anon, &S, NULL);
    json_t *v = get_json(&m, DS, 200);
    json_t *panels = json_object_get(v, "panels");
    json_t *talent = NULL;
    size_t i;
    json_t *p;
    json_array_foreach(panels, i, p)
    {
        if (strcmp(json_string_value(json_object_get(p, "area")), "talent") == 0) talent = p;
        /* a panel is data: the page renders it, JSON clients get no HTML */
        assert_null(json_object_get(p, "html"));
    }
    assert_non_null(talent);
    assert_true(json_is_integer(json_object_get(talent, "mine")));
    assert_true(json_is_array(json_object_get(talent, "fresh")));
    json_decref(v);
    /* the page shows the panel with its links */
    struct resp r;
    assert_int_equal(client_get(&m, DS, 0, &r), 0);
    assert_non_null(strstr(r.body, "совпаден"));
    assert_non_null(strstr(r.body, "/talents/mine"));
    resp_free(&r);
    v = get_json(&anon, DS, 200);
    json_array_foreach(json_object_get(v, "panels"), i, p)
    {
        assert_string_not_equal(json_string_value(json_object_get(p, "area")), "talent");
    }
    json_decref(v);
    client_free(&m);
    client_free(&anon);
}

/* ---- requests for help ---- */

static long long request_id(struct client *c, const char *title)
{
    json_t *v = get_json(c, DS "/talents/requests", 200);
    long long id = 0;
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(v, "requests"), i, q)
    {
        if (strcmp(json_string_value(json_object_get(q, "entry_title")), title) == 0) {
            id = json_integer_value(json_object_get(q, "id"));
            break;
        }
    }
    json_decref(v);
    return id;
}

static void request_flow_shares_contacts_when_both_agree(void **state)
{
    (void)state;
    const char *title = "Выращиваю пионы и флоксы";
    struct client asker, owner, third;
    login_as(&asker, &S, "member");
    login_as(&owner, &S, "dvor-sadovaya-12-3");
    login_as(&third, &S, "organizer");
    long long eid = find_entry(&asker, DS, title);
    char ask[128];
    snprintf(ask, sizeof ask, DS "/talents/%lld/ask", eid);
    struct resp r;
    /* bad input: no contact, no message */
    assert_int_equal(
        client_post(&asker, ask, 1, &r, "message", "Поделитесь отводками?", "contact", "", END), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(field_error(&r, "contact"));
    resp_free(&r);
    assert_int_equal(client_post(&asker, ask, 1, &r, "message", "", "contact", "@marina", END), 0);
    assert_int_equal(r.status, 422);
    resp_free(&r);
    /* to oneself */
    assert_int_equal(client_post(&owner, ask, 1, &r, "message", "Сам себе", "contact", "@me", END),
                     0);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(field_error(&r, "message"), "самому себе"));
    resp_free(&r);
    assert_int_equal(request_id(&owner, title), 0);
    assert_int_equal(client_post(&asker, ask, 0, &r, "message", "Поделитесь отводками?", "contact",
                                 "Telegram @marina_demo", END),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    /* twice while open */
    assert_int_equal(client_post(&asker, ask, 1, &r, "message", "Ещё раз", "contact", "@m", END),
                     0);
    assert_int_equal(r.status, 409);
    resp_free(&r);
    long long rid = request_id(&owner, title);
    assert_true(rid > 0);
    /* before agreement the owner does not see the contact */
    struct resp page;
    assert_int_equal(client_get(&owner, DS "/talents/requests", 1, &page), 0);
    assert_null(strstr(page.body, "marina_demo"));
    assert_null(strstr(page.body, "from_id"));
    resp_free(&page);
    char accept[128], decline[128], done[128];
    snprintf(accept, sizeof accept, DS "/talents/requests/%lld/accept", rid);
    snprintf(decline, sizeof decline, DS "/talents/requests/%lld/decline", rid);
    snprintf(done, sizeof done, DS "/talents/requests/%lld/done", rid);
    /* neither a third person nor the asker can accept */
    assert_int_equal(client_post(&third, accept, 1, &r, "contact", "@x", END), 0);
    assert_int_equal(r.status, 404);
    resp_free(&r);
    assert_int_equal(client_post(&asker, accept, 1, &r, "contact", "@x", END), 0);
    assert_int_equal(r.status, 404);
    resp_free(&r);
    assert_int_equal(client_post(&owner, accept, 1, &r, "contact", "", END), 0);
    assert_int_equal(r.status, 422);
    resp_free(&r);
    /* done only once accepted */
    assert_int_equal(client_post(&owner, done, 1, &r, "hours", "1", END), 0);
    assert_int_equal(r.status, 409);
    resp_free(&r);
    assert_int_equal(client_post(&owner, accept, 0, &r, "contact", "Звоните в домофон 27", END), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(client_post(&owner, decline, 1, &r, END), 0);
    assert_int_equal(r.status, 409);
    resp_free(&r);
    assert_int_equal(client_get(&owner, DS "/talents/requests", 0, &page), 0);
    assert_non_null(strstr(page.body, "Telegram @marina_demo"));
    resp_free(&page);
    assert_int_equal(client_get(&asker, DS "/talents/requests", 0, &page), 0);
    assert_non_null(strstr(page.body, "Звоните в домофон 27"));
    resp_free(&page);
    assert_int_equal(client_get(&third, DS "/talents/requests", 0, &page), 0);
    assert_null(strstr(page.body, "marina_demo"));
    resp_free(&page);
    /* hours out of range */
    json_t *v = get_json(&asker, DS "/talents", 200);
    long long hours = json_integer_value(json_object_get(v, "hours"));
    json_decref(v);
    assert_int_equal(client_post(&asker, done, 1, &r, "hours", "500", END), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(field_error(&r, "hours"));
    resp_free(&r);
    assert_int_equal(
        client_post(&asker, done, 0, &r, "hours", "2", "thanks", "Спасибо за пионы!", END), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    v = get_json(&asker, DS "/talents", 200);
    assert_int_equal(json_integer_value(json_object_get(v, "hours")), hours + 2);
    json_decref(v);
    /* a new request may follow once the old one is closed */
    assert_int_equal(client_post(&asker, ask, 1, &r, "message", "А флоксы?", "contact", "@m", END),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    long long rid2 = request_id(&asker, title);
    char cancel[128];
    snprintf(cancel, sizeof cancel, DS "/talents/requests/%lld/cancel", rid2);
    assert_int_equal(client_post(&owner, cancel, 1, &r, END), 0);
    assert_int_equal(r.status, 404);
    resp_free(&r);
    assert_int_equal(client_post(&asker, cancel, 0, &r, END), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    client_free(&asker);
    client_free(&owner);
    client_free(&third);
}

static void no_request_to_someone_who_left(void **state)
{
    (void)state;
    const char *title = "Дам поиграть свои настолки, их больше тридцати";
    struct client leaver, m;
    login_as(&leaver, &S, "nastolki-na-raene-4");
    login_as(&m, &S, "member");
    long long eid = find_entry(&m, NR, title);
    assert_true(eid > 0);
    struct resp r;
    assert_int_equal(client_post(&leaver, NR "/leave", 0, &r, END), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    char ask[128];
    snprintf(ask, sizeof ask, NR "/talents/%lld/ask", eid);
    assert_int_equal(
        client_post(&m, ask, 1, &r, "message", "Можно взять игру?", "contact", "@m", END), 0);
    assert_int_equal(r.status, 404);
    resp_free(&r);
    assert_int_equal(find_entry(&m, NR, title), 0);
    client_free(&leaver);
    client_free(&m);
}

/* ---- the organizer ---- */

static void overview_and_export_for_organizers(void **state)
{
    (void)state;
    struct client org, m;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    json_t *v = get_json(&org, DS "/talents/overview", 200);
    assert_true(json_array_size(json_object_get(v, "counts")) >= 5);
    /* the chart is the page's; JSON carries its numbers, never the SVG */
    assert_null(json_object_get(v, "chart_svg"));
    json_t *first = json_array_get(json_object_get(v, "counts"), 0);
    assert_true(json_integer_value(json_object_get(first, "total")) >= 1);
    assert_non_null(json_object_get(first, "needs"));
    assert_true(json_array_size(json_object_get(v, "unmet")) >= 1);
    assert_true(json_array_size(json_object_get(v, "unasked")) >= 1);
    assert_true(json_integer_value(json_object_get(v, "hours")) >= 5);
    json_decref(v);
    struct resp r;
    assert_int_equal(client_get(&org, DS "/talents/overview", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<svg"));
    resp_free(&r);
    assert_int_equal(get_status(&m, DS "/talents/overview", 1), 403);
    assert_int_equal(get_status(&m, DS "/talents/export.csv", 0), 403);
    assert_int_equal(client_get(&org, DS "/talents/export.csv", 0, &r), 0);
    assert_int_equal(r.status, 200);
    /* The download is in the community's audit log, as the organizer's. */
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM community_audit WHERE action = 'export'"
                              " AND subject = 'talents.csv' AND actor_id IS NOT NULL",
                              NULL),
                     1);
    char ct[128];
    assert_int_equal(resp_header(&r, "Content-Type", ct, sizeof ct), 0);
    assert_non_null(strstr(ct, "text/csv"));
    /* UTF-8 with a byte order mark, so that Excel reads the Cyrillic; the
     * headers and values as the pages show them, not the keys */
    static const char head[] = "\xEF\xBB\xBF\"Что это\",\"Категория\",\"Коротко\",\"Подробнее\","
                               "\"Метки\",\"Когда удобно\",\"Имя\",\"Добавлено\""
                               "\r\n";
    if (strncmp(r.body, head, strlen(head)) != 0) fail_msg("the CSV starts: %.200s", r.body);
    assert_non_null(
        strstr(r.body, "\"Ищу или хочу начать\",\"Забота о пожилых\",\"Маме нужна помощь"));
    assert_non_null(strstr(r.body, "\"В будни днём\""));
    assert_null(strstr(r.body, "\"need\""));
    assert_null(strstr(r.body, "\"weekdays\""));
    assert_null(strstr(r.body, "talent."));
    assert_null(strstr(r.body, "Домино")); /* another community */
    /* no account data: the demo neighbours' handles are dvor-sadovaya-12-N */
    assert_null(strstr(r.body, "dvor-sadovaya-12-"));
    /* the file name says what and when */
    char cd[256], want[256], day[16];
    time_t now = time(NULL);
    strftime(day, sizeof day, "%Y-%m-%d", gmtime(&now));
    snprintf(want, sizeof want, "attachment; filename=\"talents-dvor-sadovaya-12-%s.csv\"", day);
    assert_int_equal(resp_header(&r, "Content-Disposition", cd, sizeof cd), 0);
    assert_string_equal(cd, want);
    resp_free(&r);
    /* in English for a viewer who reads the pages in English */
    assert_int_equal(client_post(&org, "/lang", 0, &r, "lang", "en", "next", "/", END), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(client_get(&org, DS "/talents/export.csv", 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(strncmp(r.body, "\xEF\xBB\xBF\"What it is\",\"Category\",", 27) == 0);
    assert_non_null(strstr(r.body, "\"Looking for or want to start\",\"Elderly care\","));
    resp_free(&r);
    client_free(&org);
    client_free(&m);
}

/* ---- clubs ---- */

static void clubs_from_shared_interests(void **state)
{
    (void)state;
    struct client a, b, c, o;
    login_as(&a, &S, "dvor-sadovaya-12-5");
    login_as(&b, &S, "dvor-sadovaya-12-6");
    login_as(&c, &S, "dvor-sadovaya-12-7");
    login_as(&o, &S, "organizer");
    long long mine = find_entry(&a, DS, "Люблю шахматы, ищу соперника");
    long long other = find_entry(&a, DS, "Шахматы по вечерам во дворе");
    char path[128];
    struct resp r;
    /* not from someone else's entry, and a name is required */
    snprintf(path, sizeof path, DS "/talents/%lld/club", other);
    assert_int_equal(client_post(&a, path, 1, &r, "club_name", "Шахматный клуб", END), 0);
    assert_int_equal(r.status, 422);
    resp_free(&r);
    snprintf(path, sizeof path, DS "/talents/%lld/club", mine);
    assert_int_equal(client_post(&a, path, 1, &r, "club_name", "", END), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(field_error(&r, "club_name"));
    resp_free(&r);
    assert_int_equal(client_post(&a, path, 0, &r, "club_name", "Шахматы во дворе",
                                 "club_description", "Играем и учим детей.", "club_when",
                                 "среда, 19:00", "club_where", "беседка у второго подъезда", END),
                     0);
    assert_int_equal(r.status, 303);
    char loc[256];
    assert_int_equal(resp_header(&r, "Location", loc, sizeof loc), 0);
    resp_free(&r);
    json_t *v = get_json(&b, loc, 200);
    assert_true(json_is_true(json_object_get(v, "is_invited")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "club"), "name")),
                        "Шахматы во дворе");
    json_decref(v);
    char join[300], closep[300];
    snprintf(join, sizeof join, "%s/join", loc);
    snprintf(closep, sizeof closep, "%s/close", loc);
    assert_int_equal(client_post(&b, join, 0, &r, END), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    v = get_json(&b, loc, 200);
    assert_true(json_is_true(json_object_get(v, "is_in")));
    json_decref(v);
    /* only its founder or an organizer closes it */
    assert_int_equal(client_post(&c, closep, 1, &r, END), 0);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    assert_int_equal(client_post(&o, closep, 0, &r, END), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(client_post(&c, join, 1, &r, END), 0);
    assert_int_equal(r.status, 409);
    resp_free(&r);
    v = get_json(&c, DS "/talents/clubs", 200);
    assert_true(json_array_size(json_object_get(v, "clubs")) >= 1);
    json_decref(v);
    /* the demo club grew from the domino match */
    v = get_json(&o, NR "/talents/clubs", 200);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(v, "clubs"), 0), "name")),
        "Домино по субботам");
    json_decref(v);
    struct client anon;
    login_as(&anon, &S, NULL);
    assert_int_equal(get_status(&anon, NR "/talents/clubs", 1), 401);
    client_free(&anon);
    client_free(&a);
    client_free(&b);
    client_free(&c);
    client_free(&o);
}

/* A need to start a club ("want to start a board-game club") starts one as
 * a hobby does: the people in its matches (who play or can help) are
 * invited. A skill or an offer does not. */
static void a_club_grows_from_a_need(void **state)
{
    (void)state;
    struct client a, b;
    login_as(&a, &S, "nastolki-na-raene-3");
    login_as(&b, &S, "nastolki-na-raene-1");
    long long need = find_entry(&a, NR, "Хочу начать клуб настольных игр для подростков");
    assert_true(need > 0);
    char path[128];
    snprintf(path, sizeof path, NR "/talents/%lld", need);
    json_t *v = get_json(&a, path, 200);
    assert_true(json_is_true(json_object_get(v, "can_club")));
    size_t invited = json_array_size(json_object_get(v, "matches"));
    assert_true(invited >= 1);
    json_decref(v);
    struct resp r;
    assert_int_equal(client_get(&a, path, 0, &r), 0);
    assert_non_null(strstr(r.body, "action=\"" NR "/talents/"));
    assert_non_null(strstr(r.body, "/club\""));
    resp_free(&r);
    snprintf(path, sizeof path, NR "/talents/%lld/club", need);
    assert_int_equal(client_post(&a, path, 0, &r, "club_name", "Настолки для подростков",
                                 "club_when", "четверг, 18:00", END),
                     0);
    assert_int_equal(r.status, 303);
    char loc[256];
    assert_int_equal(resp_header(&r, "Location", loc, sizeof loc), 0);
    resp_free(&r);
    v = get_json(&a, loc, 200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "club"), "name")),
                        "Настолки для подростков");
    /* its founder and the people matched (one person may have two matches) */
    assert_true(json_array_size(json_object_get(v, "members")) >= 2);
    json_decref(v);
    /* someone in the matches is invited and may join */
    v = get_json(&b, loc, 200);
    assert_true(json_is_true(json_object_get(v, "is_invited")));
    json_decref(v);
    /* from a skill: no club (the owner's own entry) */
    long long skill = find_entry(&b, NR, "Делаю деревянные фишки и коробки для игр");
    assert_true(skill > 0);
    snprintf(path, sizeof path, NR "/talents/%lld/club", skill);
    assert_int_equal(client_post(&b, path, 1, &r, "club_name", "Столярный клуб", END), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(field_error(&r, "club_name"));
    resp_free(&r);
    client_free(&a);
    client_free(&b);
}

/* Every page renders as HTML for the people who may see it, with every
 * text from the catalogs (a missing key would show as "talent.x"). */
static void every_page_renders(void **state)
{
    (void)state;
    struct client m, o;
    login_as(&m, &S, "member");
    login_as(&o, &S, "organizer");
    long long id = find_entry(&m, DS, "Электрик с допуском, 20 лет стажа");
    long long mine = find_entry(&m, DS, "Вяжу и учу вязать спицами");
    char entry[128], edit[128];
    snprintf(entry, sizeof entry, DS "/talents/%lld", id);
    snprintf(edit, sizeof edit, DS "/talents/%lld/edit", mine);
    struct {
        struct client *c;
        const char *path, *text;
    } pages[] = {
        {&m, DS "/talents", "Банк соседских талантов"},
        {&m, DS "/talents?q=%D1%88%D0%B0%D1%85&category=games&kind=hobby&availability=evenings",
         "Шахматы"},
        {&m, DS "/talents/new", "Добавить запись"},
        {&m, entry, "Попросить о помощи"},
        {&o, entry, "Скрыть запись"},
        {&m, edit, "Изменить запись"},
        {&m, DS "/talents/mine", "совпаден"},
        {&m, DS "/talents/requests", "Запросы о помощи"},
        {&m, DS "/talents/tags?q=%D0%BF", "Метки сообщества"},
        {&m, DS "/talents/clubs", "Клубы по интересам"},
        {&o, DS "/talents/overview", "Таланты сообщества"},
        {&m, NR "/talents/clubs", "Домино по субботам"},
        {&m, DS, "Открыть банк талантов"},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        struct resp r;
        assert_int_equal(client_get(pages[i].c, pages[i].path, 0, &r), 0);
        if (r.status != 200 || !strstr(r.body, pages[i].text) || strstr(r.body, "talent."))
            fprintf(stderr, "page %s: %ld\n", pages[i].path, r.status);
        assert_int_equal(r.status, 200);
        assert_non_null(strstr(r.body, pages[i].text));
        assert_null(strstr(r.body, "talent."));
        assert_null(strstr(r.body, "{{"));
        resp_free(&r);
    }
    /* the club page of the demo */
    json_t *v = get_json(&m, NR "/talents/clubs", 200);
    long long club =
        json_integer_value(json_object_get(json_array_get(json_object_get(v, "clubs"), 0), "id"));
    json_decref(v);
    char path[128];
    snprintf(path, sizeof path, NR "/talents/clubs/%lld", club);
    struct resp r;
    assert_int_equal(client_get(&m, path, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Вас пригласили"));
    assert_null(strstr(r.body, "talent."));
    resp_free(&r);
    client_free(&m);
    client_free(&o);
}

/* "Mine" shows five entries a page, each with its best three matches and
 * a link to all of them (on the entry's page) when it has more. */
static void mine_pages_entries_with_their_best_matches(void **state)
{
    (void)state;
    struct client a, b;
    login_as(&a, &S, "dvor-sadovaya-12-3");
    login_as(&b, &S, "dvor-sadovaya-12-4");
    char title[96];
    for (int i = 0; i < 4; i++) {
        snprintf(title, sizeof title, "Играю в го, партия %d", i + 1);
        POST(&a, DS "/talents", 303, "kind", "hobby", "category", "sport", "title", title, "tags",
             "го, настолки", "visibility", "members");
    }
    json_t *v = get_json(&b, DS "/talents/mine", 200);
    int64_t had = json_integer_value(json_object_get(v, "count"));
    json_decref(v);
    for (int i = 0; i < 6; i++) {
        snprintf(title, sizeof title, "Ищу соперника в го, вечер %d", i + 1);
        POST(&b, DS "/talents", 303, "kind", "hobby", "category", "sport", "title", title, "tags",
             "го, настолки", "visibility", "members");
    }
    v = get_json(&b, DS "/talents/mine", 200);
    assert_int_equal(json_integer_value(json_object_get(v, "count")), had + 6);
    json_t *entries = json_object_get(v, "entries");
    assert_int_equal(json_array_size(entries), 5);
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e)
    {
        assert_int_equal(json_array_size(json_object_get(e, "matches")), 3);
        assert_true(json_is_true(json_object_get(e, "more_matches")));
        assert_null(json_object_get(e, "body")); /* titles only: the entry's page has the rest */
    }
    assert_int_equal(json_integer_value(json_object_get(v, "match_count")), 15);
    assert_non_null(
        strstr(json_string_value(json_object_get(v, "next_page")), "/talents/mine?page=2"));
    json_decref(v);
    /* the sixth, newest first, on the second page, matched as well */
    v = get_json(&b, DS "/talents/mine?page=2", 200);
    entries = json_object_get(v, "entries");
    assert_true(json_array_size(entries) >= 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(entries, 0), "title")),
                        "Ищу соперника в го, вечер 1");
    assert_int_equal(json_array_size(json_object_get(json_array_get(entries, 0), "matches")), 3);
    assert_non_null(json_object_get(v, "prev_page"));
    json_decref(v);
    char *html = get_html(&b, DS "/talents/mine");
    assert_non_null(strstr(html, "Все совпадения этой записи"));
    assert_non_null(strstr(html, "mine?page=2"));
    free(html);
    client_free(&a);
    client_free(&b);
}

/* The matches of title among the viewer's entries on "mine", and whether
 * it links to more (-1: the entry is not there). */
static int mine_matches_of(struct client *c, const char *title, int *more)
{
    json_t *v = get_json(c, DS "/talents/mine", 200), *e;
    size_t i;
    int n = -1;
    json_array_foreach(json_object_get(v, "entries"), i, e)
    {
        const char *t = json_string_value(json_object_get(e, "title"));
        if (!t || strcmp(t, title) != 0) continue;
        n = (int)json_array_size(json_object_get(e, "matches"));
        *more = json_is_true(json_object_get(e, "more_matches"));
        /* a match carries what the page shows of it, no more */
        json_t *m = json_array_get(json_object_get(e, "matches"), 0);
        if (m) {
            assert_non_null(json_object_get(m, "display_name"));
            assert_non_null(json_object_get(m, "why"));
            assert_null(json_object_get(m, "tags"));
        }
        assert_null(json_object_get(e, "tags"));
        assert_null(json_object_get(e, "display_name"));
    }
    json_decref(v);
    return n;
}

/* The list's count against its entries, every page walked (the count is
 * kept apart from the rows: 062_talent_counts). */
static void count_is_the_entries(struct client *c, const char *path)
{
    json_t *v = get_json(c, path, 200);
    long long count = json_integer_value(json_object_get(v, "count")), seen = 0;
    for (int pages = 0; v && pages < 50; pages++) {
        seen += (long long)json_array_size(json_object_get(v, "entries"));
        const char *next = json_string_value(json_object_get(v, "next_page"));
        json_t *after = next ? get_json(c, next, 200) : NULL;
        json_decref(v);
        v = after;
    }
    if (seen != count) fail_msg("%s: count %lld, %lld entries on its pages", path, count, seen);
}

/* The kept counts as the entries are, class by class. */
static void counts_kept(void)
{
    long long off = db_value(
        &S,
        "SELECT count(*) FROM (SELECT community_id, category, kind, visibility,"
        " hidden_reason IS NOT NULL AS hidden, count(*) AS n FROM talent_entries GROUP BY 1, 2, 3,"
        " 4, 5) e FULL JOIN (SELECT * FROM talent_counts WHERE n > 0) k USING (community_id,"
        " category, kind, visibility, hidden) WHERE e.n IS NOT k.n",
        NULL);
    assert_int_equal(off, 0);
    off = db_value(&S,
                   "SELECT count(*) FROM (SELECT community_id, availability, visibility,"
                   " hidden_reason IS NOT NULL AS hidden, count(*) AS n FROM talent_entries"
                   " GROUP BY 1, 2, 3, 4) e FULL JOIN (SELECT * FROM talent_counts_availability"
                   " WHERE n > 0) k USING (community_id, availability, visibility, hidden)"
                   " WHERE e.n IS NOT k.n",
                   NULL);
    assert_int_equal(off, 0);
}

static void every_count(struct client *const *who, int n)
{
    static const char *const paths[] = {DS "/talents",
                                        DS "/talents?category=animals",
                                        DS "/talents?kind=need",
                                        DS "/talents?category=garden&kind=need",
                                        DS "/talents?availability=weekends",
                                        DS "/talents?availability=any",
                                        NULL};
    for (int i = 0; i < n; i++)
        for (int k = 0; paths[k]; k++)
            count_is_the_entries(who[i], paths[k]);
    counts_kept();
}

/* Who sees what is counted as they see it, through an entry's life: new
 * for organizers only, hidden, shown again, moved to another category and
 * kind, deleted. */
static void list_counts_follow_the_entries(void **state)
{
    (void)state;
    struct client anon, m, org, owner;
    login_as(&anon, &S, NULL);
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    login_as(&owner, &S, "dvor-sadovaya-12-7");
    struct client *const who[] = {&anon, &m, &org, &owner};
    every_count(who, 4);
    char *loc = post_expect(&owner, DS "/talents", 303, "kind", "need", "category", "garden",
                            "title", "Нужна рассада томатов", "visibility", "organizers", END);
    free(loc);
    long long id = find_entry(&owner, DS, "Нужна рассада томатов");
    assert_true(id > 0);
    every_count(who, 4);
    char path[128];
    snprintf(path, sizeof path, DS "/talents/%lld/edit", id);
    POST(&owner, path, 303, "kind", "need", "category", "garden", "title", "Нужна рассада томатов",
         "availability", "any", "visibility", "public");
    every_count(who, 4);
    snprintf(path, sizeof path, DS "/talents/%lld/hide", id);
    POST(&org, path, 303, "reason", "Повтор");
    every_count(who, 4);
    POST(&org, path, 303, "unhide", "1");
    snprintf(path, sizeof path, DS "/talents/%lld/edit", id);
    POST(&owner, path, 303, "kind", "offer", "category", "animals", "title",
         "Отдам рассаду томатов", "availability", "weekends", "visibility", "members");
    every_count(who, 4);
    snprintf(path, sizeof path, DS "/talents/%lld/delete", id);
    free(post_expect(&owner, path, 303, END));
    every_count(who, 4);
    client_free(&anon);
    client_free(&m);
    client_free(&org);
    client_free(&owner);
}

/* Exactly three matches: no link to more; a fourth brings it. */
static void mine_links_to_more_only_beyond_three(void **state)
{
    (void)state;
    struct client a, b;
    login_as(&a, &S, "dvor-sadovaya-12-5");
    login_as(&b, &S, "dvor-sadovaya-12-6");
    char title[96];
    for (int i = 0; i < 3; i++) {
        snprintf(title, sizeof title, "Проявляю плёнку дома, кадр %d", i + 1);
        POST(&a, DS "/talents", 303, "kind", "hobby", "category", "photo", "title", title, "tags",
             "плёнка", "visibility", "members");
    }
    POST(&b, DS "/talents", 303, "kind", "hobby", "category", "photo", "title",
         "Снимаю на плёнку старой камерой", "tags", "плёнка", "visibility", "members");
    int more = -1;
    assert_int_equal(mine_matches_of(&b, "Снимаю на плёнку старой камерой", &more), 3);
    assert_false(more);
    POST(&a, DS "/talents", 303, "kind", "hobby", "category", "photo", "title",
         "Проявляю плёнку дома, кадр 4", "tags", "плёнка", "visibility", "members");
    assert_int_equal(mine_matches_of(&b, "Снимаю на плёнку старой камерой", &more), 3);
    assert_true(more);
    client_free(&a);
    client_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_page_renders),
        cmocka_unit_test(anonymous_sees_only_public_entries),
        cmocka_unit_test(closed_and_secret_communities_hide_everything),
        cmocka_unit_test(visibility_per_entry),
        cmocka_unit_test(search_with_prefix_and_filters),
        cmocka_unit_test(list_pages_keep_the_search),
        cmocka_unit_test(create_entry_normalises_tags),
        cmocka_unit_test(tag_links_search_for_the_tag),
        cmocka_unit_test(create_entry_bad_input),
        cmocka_unit_test(only_the_owner_edits_and_deletes),
        cmocka_unit_test(organizer_hides_with_a_reason),
        cmocka_unit_test(matches_are_ranked_and_explained),
        cmocka_unit_test(matches_by_words_and_after_upgrade),
        cmocka_unit_test(ready_matches_follow_edits_and_deletion),
        cmocka_unit_test(dashboard_panel_for_members_only),
        cmocka_unit_test(request_flow_shares_contacts_when_both_agree),
        cmocka_unit_test(no_request_to_someone_who_left),
        cmocka_unit_test(overview_and_export_for_organizers),
        cmocka_unit_test(clubs_from_shared_interests),
        cmocka_unit_test(a_club_grows_from_a_need),
        cmocka_unit_test(word_forms_are_found_and_matched),
        cmocka_unit_test(an_older_database_is_restemmed_at_start_up),
        cmocka_unit_test(mine_pages_entries_with_their_best_matches),
        cmocka_unit_test(mine_links_to_more_only_beyond_three),
        cmocka_unit_test(list_counts_follow_the_entries),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
