/* Public hearings (issue 16) over HTTP against a real server with the
 * demo: comments on agenda items and on the hearing as a whole while it is
 * open, counted per item and paged; answers (one, editable) and hiding
 * with a reason that stays visible, by those who run it only; bad input
 * refused beside its field with the input kept; the texts sealed in a
 * secret community. Residents through the link: the agenda and its
 * documents, comments without an account (members' names never shown to
 * them), a flood limit per browser, a renewed or revoked link answering
 * 404, nothing else of a closed community reachable with it, no link in a
 * secret community. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv S;

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

/* A hearing of community slug at a new event, with two agenda items,
 * chaired by chair (a handle), its secretary too; its assembly's path
 * into base, the items' ids into items[2]. */
static long long hearing_at(struct client *org, const char *slug, const char *title,
                            const char *chair, char *base, size_t n, long long items[2])
{
    char path[160], c[24];
    snprintf(path, sizeof path, "/c/%s/events", slug);
    POST(org, path, 303, "kind", "housing", "title", title, "description",
         "Проект *благоустройства*", "start", "2030-10-01T18:00", "end", "2030-10-01T20:00",
         "place_text", "Красный уголок", "audience", "members");
    long long ev = db_value(&S,
                            "SELECT max(e.id) FROM events e JOIN communities c"
                            " ON c.id = e.community_id WHERE c.slug = ?",
                            slug);
    assert_true(ev > 0);
    snprintf(base, n, "/c/%s/events/%lld/assembly", slug, ev);
    snprintf(c, sizeof c, "%lld", member_id_of(&S, slug, chair));
    POST(org, base, 303, "kind", "hearing", "quorum_kind", "number", "quorum_value", "1", "chair",
         c, "secretary", c);
    snprintf(path, sizeof path, "%s/items", base);
    POST(org, path, 303, "title", "Детская площадка", "document", "Схема *площадки* у дома 12.");
    POST(org, path, 303, "title", "Парковка", "document", "Двенадцать мест вдоль проезда.");
    snprintf(path, sizeof path, "%s/hearing", base);
    json_t *v = view_json(org, path);
    items[0] = json_integer_value(jget(v, "items.0.id"));
    items[1] = json_integer_value(jget(v, "items.1.id"));
    json_decref(v);
    assert_true(items[0] > 0 && items[1] > 0);
    return ev;
}

static void expect_field(struct client *c, const char *path, const char *field, const char **pairs,
                         const char *kept)
{
    struct resp r;
    assert_int_equal(post_pairs(c, path, 1, pairs, &r), 0);
    if (r.status != 422 || !field_error(&r, field))
        fail_msg("%s: status %ld, no error beside %s", path, r.status, field);
    resp_free(&r);
    assert_int_equal(post_pairs(c, path, 0, pairs, &r), 0);
    assert_int_equal(r.status, 422);
    char id[64];
    snprintf(id, sizeof id, "id=\"%s-error\"", field);
    if (!resp_has(&r, id)) fail_msg("%s: no %s on the page", path, id);
    if (kept && !resp_has(&r, kept)) fail_msg("%s: %s not kept", path, kept);
    resp_free(&r);
}

static long long last_comment(void)
{
    return db_value(&S, "SELECT max(id) FROM hearing_comments WHERE ? IS NOT NULL", "x");
}

static void comments_answers_hidden(void **state)
{
    (void)state;
    struct client org, m, out;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    login_as(&out, &S, "newcomer");
    char base[128], hp[192], p[256], item[24];
    long long items[2];
    hearing_at(&org, "dvor-sadovaya-12", "Слушания о дворе", "organizer", base, sizeof base, items);
    snprintf(hp, sizeof hp, "%s/hearing", base);
    snprintf(p, sizeof p, "%s/comments", hp);
    snprintf(item, sizeof item, "%lld", items[0]);
    /* not open yet: refused, nothing stored */
    POST(&m, p, 409, "item", item, "body", "Рано");
    assert_int_equal(db_value(&S, "SELECT count(*) FROM hearing_comments WHERE body = ?", "Рано"),
                     0);
    char sp[200];
    snprintf(sp, sizeof sp, "%s/state", base);
    POST(&org, sp, 303, "to", "open");
    /* a member comments on an item and on the whole */
    POST(&m, p, 303, "item", item, "body", "Нужны качели для малышей");
    POST(&m, p, 303, "item", "0", "body", "Хорошо, что обсуждаем");
    /* outsiders cannot */
    long st = post_form(&out, p, (const char *[]){"item", item, "body", "Чужой", NULL});
    assert_true(st == 403 || st == 404);
    /* bad input: beside the field, the input kept, nothing stored */
    char *lng = malloc(4100);
    memset(lng, 'a', 4001);
    lng[4001] = 0;
    expect_field(&m, p, "body", (const char *[]){"item", item, "body", lng, NULL}, "aaaaaaaa");
    free(lng);
    expect_field(&m, p, "item", (const char *[]){"item", "999999", "body", "К чужому пункту", NULL},
                 "К чужому пункту");
    expect_field(&m, p, "body", (const char *[]){"item", item, "body", "", NULL}, NULL);
    assert_int_equal(
        db_value(&S, "SELECT count(*) FROM hearing_comments WHERE body = ?", "К чужому пункту"), 0);
    /* counted per item, names shown to members */
    char ip[256];
    snprintf(ip, sizeof ip, "%s?item=%lld", hp, items[0]);
    json_t *v = view_json(&m, ip);
    assert_int_equal(json_integer_value(jget(v, "items.0.n")), 1);
    assert_int_equal(json_integer_value(jget(v, "items.1.n")), 0);
    assert_int_equal(json_integer_value(jget(v, "whole.n")), 1);
    assert_int_equal(json_integer_value(jget(v, "total")), 2);
    assert_string_equal(jstr(v, "comments.0.body"), "Нужны качели для малышей");
    assert_non_null(jstr(v, "comments.0.author"));
    assert_false(json_is_true(jget(v, "can_run")));
    assert_null(jget(v, "link_url")); /* a member sees no link */
    json_decref(v);
    long long cid =
        db_value(&S, "SELECT id FROM hearing_comments WHERE body = ?", "Нужны качели для малышей");
    /* the answer: those who run it only; editable */
    snprintf(p, sizeof p, "%s/comments/%lld/answer", hp, cid);
    POST(&m, p, 403, "answer", "Нет");
    expect_field(&org, p, "answer", (const char *[]){"answer", "", NULL}, NULL);
    POST(&org, p, 303, "answer", "Качели будут в проекте");
    POST(&org, p, 303, "answer", "Качели и горка будут в проекте");
    v = view_json(&m, ip);
    assert_string_equal(jstr(v, "comments.0.answer"), "Качели и горка будут в проекте");
    json_decref(v);
    /* hidden with a reason: the reason stays, the text goes, the count too */
    snprintf(p, sizeof p, "%s/comments/%lld/hide", hp, cid);
    POST(&m, p, 403, "reason", "Нет");
    expect_field(&org, p, "reason", (const char *[]){"reason", "", NULL}, NULL);
    POST(&org, p, 303, "reason", "Повтор другого замечания");
    POST(&org, p, 409, "reason", "Ещё раз");
    v = view_json(&m, ip);
    assert_true(json_is_true(jget(v, "comments.0.is_hidden")));
    assert_string_equal(jstr(v, "comments.0.hidden_reason"), "Повтор другого замечания");
    assert_null(jstr(v, "comments.0.body"));
    assert_int_equal(json_integer_value(jget(v, "items.0.n")), 0);
    json_decref(v);
    char *html = get_html(&m, ip);
    assert_non_null(strstr(html, "Повтор другого замечания"));
    assert_null(strstr(html, "Нужны качели для малышей"));
    free(html);
    /* paged: 25 on the whole */
    snprintf(p, sizeof p, "%s/comments", hp);
    for (int i = 0; i < 24; i++) {
        char b[32];
        snprintf(b, sizeof b, "Замечание %02d", i);
        POST(&m, p, 303, "item", "0", "body", b);
    }
    v = view_json(&m, hp);
    assert_int_equal(json_array_size(jget(v, "comments")), 20);
    assert_non_null(jstr(v, "next_page"));
    json_decref(v);
    snprintf(ip, sizeof ip, "%s?item=0&page=2", hp);
    v = view_json(&m, ip);
    assert_int_equal(json_array_size(jget(v, "comments")), 5);
    assert_null(jget(v, "next_page"));
    json_decref(v);
    /* closed: no more comments */
    POST(&org, sp, 303, "to", "closed");
    POST(&m, p, 409, "item", "0", "body", "Поздно");
    /* the final document: drafted at the close, quoted with the answers,
     * no hidden text, no author's name */
    char fp[256], q[300];
    snprintf(fp, sizeof fp, "%s/final", hp);
    v = view_json(&m, fp);
    const char *body = jstr(v, "final.body");
    assert_non_null(body);
    assert_non_null(strstr(body, "Итоговый документ публичных слушаний"));
    assert_non_null(strstr(body, "> Замечание 03"));
    assert_null(strstr(body, "Нужны качели"));
    assert_non_null(strstr(body, "**Замечаний:** 25; скрыто организаторами: 0") ||
                    strstr(body, "**Замечаний:** 25"));
    assert_false(json_is_true(jget(v, "can_edit")));
    json_decref(v);
    /* drafted again, counted only */
    snprintf(q, sizeof q, "%s/draft", fp);
    POST(&m, q, 403, "mode", "counted");
    expect_field(&org, q, "mode", (const char *[]){"mode", "loud", NULL}, NULL);
    POST(&org, q, 303, "mode", "counted");
    v = view_json(&org, fp);
    assert_null(strstr(jstr(v, "final.body"), "> Замечание 03"));
    assert_true(json_is_true(jget(v, "can_publish")));
    json_decref(v);
    /* edited, refused beside the field with the input kept */
    POST(&m, fp, 403, "body", "Чужая правка");
    expect_field(&org, fp, "body", (const char *[]){"body", "", NULL}, NULL);
    POST(&org, fp, 303, "body", "# Итог\r\n\r\nСлушания *состоялись*.");
    POST(&org, fp, 303, "body", "# Итог\n\nСлушания *состоялись*.");
    snprintf(q, sizeof q, "%s/publish", fp);
    POST(&m, q, 403, "confirm", "1");
    POST(&org, q, 303, "confirm", "1");
    POST(&org, q, 409, "confirm", "1");
    POST(&org, fp, 409, "body", "После публикации");
    snprintf(q, sizeof q, "%s/draft", fp);
    POST(&org, q, 409, "mode", "quoted");
    html = get_html(&m, fp);
    assert_non_null(strstr(html, "<em>состоялись</em>"));
    free(html);
    snprintf(q, sizeof q, "%s/print", fp);
    html = get_html(&m, q);
    assert_non_null(strstr(html, "<em>состоялись</em>"));
    assert_null(strstr(html, "area-nav"));
    free(html);
    snprintf(q, sizeof q, "%s.md", fp);
    html = get_html(&m, q);
    assert_string_equal(html, "# Итог\n\nСлушания *состоялись*.");
    free(html);
    assert_true(get_status(&out, fp, 0) != 200);
    /* an event that is not a hearing has no hearing page */
    client_free(&org);
    client_free(&m);
    client_free(&out);
}

static void sealed_in_secret(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    char base[128], p[256], sp[200];
    long long items[2];
    hearing_at(&org, "tiho-vmeste", "Тайные слушания", "organizer", base, sizeof base, items);
    snprintf(sp, sizeof sp, "%s/state", base);
    POST(&org, sp, 303, "to", "open");
    snprintf(p, sizeof p, "%s/hearing/comments", base);
    POST(&org, p, 303, "item", "0", "body", "Тайное замечание");
    assert_int_equal(
        db_value(&S, "SELECT count(*) FROM hearing_comments WHERE body LIKE ?", "%Тайное%"), 0);
    long long cid = last_comment();
    assert_true(cid > 0);
    snprintf(p, sizeof p, "%s/hearing", base);
    json_t *v = view_json(&org, p);
    assert_string_equal(jstr(v, "comments.0.body"), "Тайное замечание");
    assert_false(json_is_true(jget(v, "can_link")));
    json_decref(v);
    /* no participation link in a secret community */
    snprintf(p, sizeof p, "%s/hearing/link", base);
    POST(&org, p, 409, "confirm", "1");
    client_free(&org);
}

/* The link's address from the organizer's view, into out. */
static void link_of(struct client *org, const char *hp, char *out, size_t n)
{
    json_t *v = view_json(org, hp);
    const char *l = jstr(v, "link_url");
    assert_non_null(l);
    snprintf(out, n, "%s", l);
    json_decref(v);
}

static void residents_through_link(void **state)
{
    (void)state;
    struct client org, m, anon, anon2;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    login_as(&anon, &S, NULL);
    login_as(&anon2, &S, NULL);
    char base[128], hp[192], p[400], link[256], item[24];
    long long items[2];
    long long ev = hearing_at(&org, "zelenyj-kvartal", "Слушания квартала", "organizer", base,
                              sizeof base, items);
    snprintf(hp, sizeof hp, "%s/hearing", base);
    snprintf(p, sizeof p, "%s/state", base);
    POST(&org, p, 303, "to", "open");
    snprintf(p, sizeof p, "%s/comments", hp);
    POST(&org, p, 303, "item", "0", "body", "Замечание организатора");
    /* a member (not an organizer) may not turn it on */
    snprintf(p, sizeof p, "%s/link", hp);
    long st = post_form(&m, p, (const char *[]){"confirm", "1", NULL});
    assert_true(st == 403 || st == 404);
    POST(&org, p, 303, "confirm", "1");
    link_of(&org, hp, link, sizeof link);
    /* the resident sees the agenda, its documents, the comments without
     * members' names, and no way to the rest */
    char *html = get_html(&anon, link);
    assert_non_null(strstr(html, "Детская площадка"));
    assert_non_null(strstr(html, "Замечание организатора"));
    free(html);
    snprintf(p, sizeof p, "%s?item=%lld", link, items[0]);
    html = get_html(&anon, p);
    assert_non_null(strstr(html, "<em>площадки</em>"));
    free(html);
    html = get_html(&anon, link);
    assert_non_null(strstr(html, "Замечание организатора"));
    json_t *v = view_json(&org, hp);
    const char *org_name = jstr(v, "comments.0.author");
    assert_non_null(org_name);
    assert_null(strstr(html, org_name));
    json_decref(v);
    free(html);
    v = view_json(&anon, link);
    assert_null(jget(v, "comments.0.author"));
    assert_null(jget(v, "comments.0.answered_by"));
    assert_null(jget(v, "link_url"));
    assert_false(json_is_true(jget(v, "can_run")));
    assert_true(json_is_true(jget(v, "can_comment")));
    json_decref(v);
    /* comments with a name typed, and bad input */
    snprintf(p, sizeof p, "%s/comments", link);
    snprintf(item, sizeof item, "%lld", items[1]);
    POST(&anon, p, 303, "item", item, "body", "Парковка нужна у школы", "name", "Ирина");
    expect_field(&anon, p, "body",
                 (const char *[]){"item", item, "body", "", "name", "Ирина2", NULL}, "Ирина2");
    char nm[100];
    memset(nm, 'n', 81);
    nm[81] = 0;
    expect_field(&anon, p, "name",
                 (const char *[]){"item", item, "body", "Длинное имя", "name", nm, NULL},
                 "Длинное имя");
    expect_field(&anon, p, "item", (const char *[]){"item", "999999", "body", "Чужой", NULL},
                 "Чужой");
    long long rid =
        db_value(&S, "SELECT id FROM hearing_comments WHERE body = ?", "Парковка нужна у школы");
    assert_true(rid > 0);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM hearing_comments WHERE member_id IS NULL"
                              " AND by_link = 1 AND guest_name = ?",
                              "Ирина"),
                     1);
    /* the chair answers; members see "a resident: Ирина" and the answer */
    char ap[400];
    snprintf(ap, sizeof ap, "%s/comments/%lld/answer", hp, rid);
    POST(&org, ap, 303, "answer", "Рассмотрим у школы");
    char ip[400];
    snprintf(ip, sizeof ip, "%s?item=%lld", link, items[1]);
    html = get_html(&anon, ip);
    assert_non_null(strstr(html, "Рассмотрим у школы"));
    assert_non_null(strstr(html, "Ирина"));
    free(html);
    /* the link's routes do not answer/hide */
    snprintf(ap, sizeof ap, "%s/comments/%lld/answer", link, rid);
    st = post_form(&anon, ap, (const char *[]){"answer", "x", NULL});
    assert_true(st == 404 || st == 405);
    /* nothing else of the closed community through it */
    char ev_path[128];
    snprintf(ev_path, sizeof ev_path, "/c/zelenyj-kvartal/events/%lld", ev);
    const char *others[] = {"/c/zelenyj-kvartal/events", ev_path, base, hp, NULL};
    for (int i = 0; others[i]; i++) {
        long s1 = get_status(&anon, others[i], 0);
        if (s1 == 200) fail_msg("%s answered 200 to a link participant", others[i]);
    }
    snprintf(ap, sizeof ap, "%s/minutes", base);
    assert_true(get_status(&anon, ap, 0) != 200);
    snprintf(ap, sizeof ap, "%s/final", hp);
    assert_true(get_status(&anon, ap, 0) != 200);
    /* the token of this hearing at another event, or a wrong one: 404 */
    char other[400];
    const char *tok = strrchr(link, '/') + 1;
    snprintf(other, sizeof other, "/c/zelenyj-kvartal/events/%lld/h/%s", ev + 100000, tok);
    assert_int_equal(get_status(&anon, other, 0), 404);
    snprintf(other, sizeof other, "/c/dvor-sadovaya-12/events/%lld/h/%s", ev, tok);
    assert_int_equal(get_status(&anon, other, 0), 404);
    snprintf(other, sizeof other, "%.*sAAAA", (int)(strlen(link) - 4), link);
    assert_int_equal(get_status(&anon, other, 0), 404);
    /* the flood limit: ten from one browser within the hour, then 429 */
    snprintf(p, sizeof p, "%s/comments", link);
    for (int i = 1; i < 10; i++) {
        char b[32];
        snprintf(b, sizeof b, "Поток %d", i);
        POST(&anon, p, 303, "item", "0", "body", b);
    }
    struct resp r;
    assert_int_equal(
        post_pairs(&anon, p, 0, (const char *[]){"item", "0", "body", "Лишнее", NULL}, &r), 0);
    assert_int_equal(r.status, 429);
    resp_free(&r);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM hearing_comments WHERE body = ?", "Лишнее"),
                     0);
    /* another browser still may */
    POST(&anon2, p, 303, "item", "0", "body", "Из другого браузера");
    /* closed: the final document reaches residents once published */
    snprintf(ap, sizeof ap, "%s/state", base);
    POST(&org, ap, 303, "to", "closed");
    char lf[400], lfm[420];
    snprintf(lf, sizeof lf, "%s/final", link);
    snprintf(lfm, sizeof lfm, "%s/final.md", link);
    assert_int_equal(get_status(&anon2, lf, 0), 404); /* a draft */
    snprintf(ap, sizeof ap, "%s/final", hp);
    v = view_json(&org, ap);
    assert_non_null(strstr(jstr(v, "final.body"), "> Парковка нужна у школы"));
    assert_non_null(strstr(jstr(v, "final.body"), "Рассмотрим у школы"));
    assert_null(strstr(jstr(v, "final.body"), "Ирина"));
    json_decref(v);
    snprintf(ap, sizeof ap, "%s/final/publish", hp);
    POST(&org, ap, 303, "confirm", "1");
    html = get_html(&anon2, lf);
    assert_non_null(strstr(html, "Рассмотрим у школы"));
    free(html);
    assert_int_equal(get_status(&anon2, lfm, 0), 200);
    /* renewed: the old address is gone */
    char old[256];
    snprintf(old, sizeof old, "%s", link);
    snprintf(ap, sizeof ap, "%s/link", hp);
    POST(&org, ap, 303, "confirm", "1");
    link_of(&org, hp, link, sizeof link);
    assert_string_not_equal(old, link);
    assert_int_equal(get_status(&anon2, old, 0), 404);
    assert_int_equal(get_status(&anon2, link, 0), 200);
    /* revoked: 404 for reading and for writing */
    snprintf(ap, sizeof ap, "%s/link/off", hp);
    POST(&org, ap, 303, "confirm", "1");
    assert_int_equal(get_status(&anon2, link, 0), 404);
    assert_int_equal(get_status(&anon2, link, 1), 404);
    snprintf(lf, sizeof lf, "%s/final", link);
    assert_int_equal(get_status(&anon2, lf, 0), 404);
    snprintf(p, sizeof p, "%s/comments", link);
    st = post_form(&anon2, p, (const char *[]){"item", "0", "body", "После отзыва", NULL});
    assert_int_equal(st, 404);
    v = view_json(&org, hp);
    assert_null(jget(v, "link_url"));
    json_decref(v);
    client_free(&org);
    client_free(&m);
    client_free(&anon);
    client_free(&anon2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(comments_answers_hidden),
        cmocka_unit_test(sealed_in_secret),
        cmocka_unit_test(residents_through_link),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
