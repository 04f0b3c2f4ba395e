/* The partner area over HTTP against a real server with the demo: the
 * partners directory (who sees which partner and which of its fields, the
 * staff's forms with every bad input, the filter, the search and the
 * pager), the interaction log with its overdue next steps, and the
 * residents' requests with who reads their personal details. */
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

#define DS "/c/dvor-sadovaya-12"
#define ZK "/c/zelenyj-kvartal"
#define TV "/c/tiho-vmeste"

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

/* The id of the partner named name in the list the client sees, or 0. */
static long long partner_id(struct client *c, const char *base, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/partners", base);
    json_t *v = get_json(c, path, 200);
    long long id = find_id(json_object_get(v, "partners"), "name", name);
    json_decref(v);
    return id;
}

/* A new partner in base by the organizer; its id. */
static long long add_partner(struct client *c, const char *base, const char *name, int is_public)
{
    char path[512];
    snprintf(path, sizeof path, "%s/partners", base);
    POST(c, path, 303, "name", name, "sector", "libraries", "territory", "Квартал", "reach",
         "ул. Тестовая, 1", "notes", "SNTL-NOTES", "is_public", is_public ? "1" : "");
    long long id = partner_id(c, base, name);
    assert_true(id > 0);
    return id;
}

/* ---- the directory ---- */

static void directory_who_sees_what(void **state)
{
    (void)state;
    struct client org, mem, anon;
    login_as(&org, &S, "organizer");
    login_as(&mem, &S, "member");
    login_as(&anon, &S, NULL);
    long long pub = add_partner(&org, DS, "Открытый партнёр", 1);
    long long hid = add_partner(&org, DS, "Скрытый партнёр", 0);
    char path[256];
    POST(&org, DS "/partners/999999/contacts", 404, "contact_name", "x", END);
    snprintf(path, sizeof path, DS "/partners/%lld/contacts", pub);
    POST(&org, path, 303, "contact_name", "SNTL-CONTACT", "contact_role", "директор", END);
    /* the staff see both, with notes and contacts */
    assert_int_equal(partner_id(&org, DS, "Скрытый партнёр"), hid);
    snprintf(path, sizeof path, DS "/partners/%lld", pub);
    json_t *v = get_json(&org, path, 200);
    assert_string_equal(jstr(v, "partner.notes"), "SNTL-NOTES");
    assert_string_equal(jstr(v, "contacts.0.name"), "SNTL-CONTACT");
    json_decref(v);
    /* a member and a visitor: only the public one, never notes or contacts */
    struct client *others[] = {&mem, &anon};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(partner_id(others[i], DS, "Скрытый партнёр"), 0);
        assert_int_equal(partner_id(others[i], DS, "Открытый партнёр"), pub);
        v = get_json(others[i], path, 200);
        assert_string_equal(jstr(v, "partner.reach"), "ул. Тестовая, 1");
        assert_null(jget(v, "partner.notes"));
        assert_null(jget(v, "partner.is_public"));
        assert_null(jget(v, "contacts"));
        json_decref(v);
        char *html = get_html(others[i], path);
        assert_null(strstr(html, "SNTL-"));
        free(html);
        char hp[256];
        snprintf(hp, sizeof hp, DS "/partners/%lld", hid);
        assert_int_equal(get_status(others[i], hp, 1), 404);
    }
    /* the forms are the staff's */
    assert_int_equal(get_status(&mem, DS "/partners/new", 1), 403);
    assert_int_equal(get_status(&anon, DS "/partners/new", 1), 401);
    client_free(&org);
    client_free(&mem);
    client_free(&anon);
}

static void directory_bad_input_keeps_the_form(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    char long_name[260];
    memset(long_name, 'a', 250);
    long_name[250] = 0;
    const char *const bad[][9] = {
        {"name", long_name, "sector", "ngo", "reach", "KEPT-REACH", NULL},
        {"name", "", "sector", "ngo", "reach", "KEPT-REACH", NULL},
        {"name", "Хороший", "sector", "space", "reach", "KEPT-REACH", NULL},
        {"name", "Хороший", "sector", "ngo", "reach", "KEPT-REACH", "notes", NULL},
    };
    const char *const field[] = {"name", "name", "sector", "notes"};
    char long_notes[4100];
    memset(long_notes, 'b', 4050);
    long_notes[4050] = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *pairs[10];
        memcpy(pairs, bad[i], sizeof bad[i]);
        if (i == 3) pairs[7] = long_notes;
        pairs[8] = NULL;
        if (i < 3) pairs[6] = NULL;
        struct resp r;
        assert_int_equal(post_pairs(&org, DS "/partners", 1, pairs, &r), 0);
        assert_int_equal(r.status, 422);
        assert_non_null(field_error(&r, field[i]));
        resp_free(&r);
        assert_int_equal(post_pairs(&org, DS "/partners", 0, pairs, &r), 0);
        assert_int_equal(r.status, 422);
        assert_non_null(strstr(r.body, "KEPT-REACH"));
        assert_non_null(strstr(r.body, "field-error"));
        resp_free(&r);
    }
    /* a partner of another community is no partner here */
    long long zk = add_partner(&org, ZK, "Партнёр другого сообщества", 1);
    char path[256];
    snprintf(path, sizeof path, DS "/partners/%lld", zk);
    assert_int_equal(get_status(&org, path, 1), 404);
    snprintf(path, sizeof path, DS "/partners/%lld/edit", zk);
    POST(&org, path, 404, "name", "Чужой", "sector", "ngo", END);
    snprintf(path, sizeof path, DS "/partners/%lld/delete", zk);
    POST(&org, path, 404, "x", "", END);
    snprintf(path, sizeof path, DS "/partners/%lld/contacts", zk);
    POST(&org, path, 404, "contact_name", "Чужой", END);
    client_free(&org);
}

static void directory_edit_and_delete(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    long long id = add_partner(&org, DS, "Правка партнёра", 0);
    char path[256];
    snprintf(path, sizeof path, DS "/partners/%lld/edit", id);
    json_t *v = get_json(&org, path, 200);
    assert_string_equal(jstr(v, "form.name"), "Правка партнёра");
    assert_string_equal(jstr(v, "form.sector"), "libraries");
    json_decref(v);
    POST(&org, path, 303, "name", "Правка партнёра 2", "sector", "sport", "is_public", "1", END);
    assert_int_equal(partner_id(&org, DS, "Правка партнёра 2"), id);
    snprintf(path, sizeof path, DS "/partners/%lld/delete", id);
    char *html = get_html(&org, path);
    assert_non_null(strstr(html, "Правка партнёра 2"));
    free(html);
    POST(&org, path, 303, "x", "", END);
    assert_int_equal(partner_id(&org, DS, "Правка партнёра 2"), 0);
    POST(&org, path, 404, "x", "", END);
    client_free(&org);
}

static void directory_filter_search_and_pages(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    char name[64];
    for (int i = 0; i < 30; i++) {
        snprintf(name, sizeof name, "Страница %02d", i);
        POST(&org, DS "/partners", 303, "name", name, "sector", "media", END);
    }
    json_t *v = get_json(&org, DS "/partners?sector=media", 200);
    assert_int_equal(json_array_size(json_object_get(v, "partners")), 25);
    assert_non_null(jstr(v, "next_page"));
    json_decref(v);
    v = get_json(&org, DS "/partners?sector=media&page=2", 200);
    assert_int_equal(json_array_size(json_object_get(v, "partners")), 5);
    json_decref(v);
    v = get_json(&org, DS "/partners?q=%D1%81%D0%A2%D1%80%D0%B0%D0%BD%D0%B8%D1%86%D0%B0%2029", 200);
    assert_int_equal(json_array_size(json_object_get(v, "partners")), 1);
    json_decref(v);
    /* the demo's housing office is not in the media */
    v = get_json(&org, DS "/partners?sector=housing", 200);
    assert_true(json_array_size(json_object_get(v, "partners")) >= 1);
    assert_string_equal(jstr(v, "partners.0.sector"), "housing");
    json_decref(v);
    client_free(&org);
}

static void secret_community_texts_are_sealed(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    long long id = add_partner(&org, TV, "SNTL-SEALED-NAME", 0);
    assert_true(id > 0);
    /* the disk holds no clear name */
    assert_int_equal(
        db_value(&S, "SELECT count(*) FROM partners WHERE name = ?", "SNTL-SEALED-NAME"), 0);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM partners p JOIN communities k ON"
                              " k.id = p.community_id WHERE k.slug = 'tiho-vmeste' AND"
                              " (p.notes = ?1 OR p.reach LIKE 'ул.%')",
                              "SNTL-NOTES"),
                     0);
    client_free(&org);
}

/* ---- the interaction log ---- */

/* The overdue steps the organizer sees: how many carry subject. */
static int overdue_has(struct client *c, const char *subject)
{
    json_t *v = get_json(c, DS "/partners/overdue", 200);
    int n = 0;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(v, "steps"), i, e)
    {
        if (!strcmp(json_string_value(json_object_get(e, "subject")), subject)) n++;
    }
    json_decref(v);
    return n;
}

static void log_entries_and_overdue_steps(void **state)
{
    (void)state;
    struct client org, mem;
    login_as(&org, &S, "organizer");
    login_as(&mem, &S, "member");
    long long pid = add_partner(&org, DS, "Партнёр с историей", 1);
    char path[256], me[32], week_ago[11], ahead[11], today[11];
    snprintf(me, sizeof me, "%lld", member_id_of(&S, "dvor-sadovaya-12", "organizer"));
    test_day(-7, week_ago);
    test_day(5, ahead);
    test_day(0, today);
    snprintf(path, sizeof path, DS "/partners/%lld/log", pid);
    POST(&org, path, 303, "day", today, "subject", "Просроченный шаг", "kind", "request", "status",
         "waiting", "next_step", "Позвонить", "next_due", week_ago, "next_member", me, END);
    POST(&org, path, 303, "day", today, "subject", "Шаг впереди", "kind", "negotiation", "status",
         "open", "next_step", "Написать", "next_due", ahead, END);
    assert_int_equal(overdue_has(&org, "Просроченный шаг"), 1);
    assert_int_equal(overdue_has(&org, "Шаг впереди"), 0);
    /* the demo's own overdue step is there too */
    assert_int_equal(overdue_has(&org, "Протечка крыши над третьим подъездом"), 1);
    /* the card's log, with the responsible member's name; not for members */
    snprintf(path, sizeof path, DS "/partners/%lld", pid);
    json_t *v = get_json(&org, path, 200);
    assert_int_equal(json_array_size(json_object_get(v, "log")), 2);
    long long eid = find_id(json_object_get(v, "log"), "subject", "Просроченный шаг");
    assert_true(eid > 0);
    json_decref(v);
    v = get_json(&mem, path, 200);
    assert_null(jget(v, "log"));
    json_decref(v);
    assert_int_equal(get_status(&mem, DS "/partners/overdue", 1), 403);
    /* agreed: no longer overdue; the edit form shows what is stored */
    snprintf(path, sizeof path, DS "/partners/%lld/log/%lld/edit", pid, eid);
    v = get_json(&org, path, 200);
    assert_string_equal(jstr(v, "form.next_due"), week_ago);
    assert_string_equal(jstr(v, "form.status"), "waiting");
    json_decref(v);
    POST(&org, path, 303, "day", today, "subject", "Просроченный шаг", "kind", "request", "status",
         "agreed", "outcome", "Сделали", END);
    assert_int_equal(overdue_has(&org, "Просроченный шаг"), 0);
    client_free(&org);
    client_free(&mem);
}

static void log_bad_input(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    long long pid = add_partner(&org, DS, "Партнёр для ошибок", 0);
    char path[256], today[11], other[32], long_subject[400];
    test_day(0, today);
    memset(long_subject, 'c', 350);
    long_subject[350] = 0;
    /* a member of another community is nobody here */
    snprintf(other, sizeof other, "%lld", member_id_of(&S, "zelenyj-kvartal", "member"));
    snprintf(path, sizeof path, DS "/partners/%lld/log", pid);
    const char *const cases[][3] = {
        {"day", "2026-13-45", "day"},          {"day", "вчера", "day"},
        {"subject", long_subject, "subject"},  {"next_due", "2026-02-30", "next_due"},
        {"next_member", other, "next_member"}, {"kind", "war", "kind"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *pairs[] = {"day",     today,    "subject", "Тема",      "kind",
                               "request", "status", "open",    "next_step", "KEPT-STEP",
                               NULL,      NULL,     NULL};
        int replaced = 0;
        for (int k = 0; pairs[k]; k += 2)
            if (!strcmp(pairs[k], cases[i][0])) {
                pairs[k + 1] = cases[i][1];
                replaced = 1;
            }
        if (!replaced) {
            pairs[10] = cases[i][0];
            pairs[11] = cases[i][1];
        }
        struct resp r;
        assert_int_equal(post_pairs(&org, path, 1, pairs, &r), 0);
        if (r.status != 422 || !field_error(&r, cases[i][2]))
            fail_msg("%s=%s: %ld %.300s", cases[i][0], cases[i][1], r.status, r.body);
        resp_free(&r);
        assert_int_equal(post_pairs(&org, path, 0, pairs, &r), 0);
        assert_int_equal(r.status, 422);
        assert_non_null(strstr(r.body, "KEPT-STEP"));
        resp_free(&r);
    }
    /* a date and a member without the step itself */
    POST(&org, path, 422, "day", today, "subject", "Тема", "kind", "request", "status", "open",
         "next_due", today, END);
    /* nothing was written */
    snprintf(path, sizeof path, DS "/partners/%lld", pid);
    json_t *v = get_json(&org, path, 200);
    assert_int_equal(json_array_size(json_object_get(v, "log")), 0);
    json_decref(v);
    /* the log of another community's partner is not reached from here */
    long long zk = add_partner(&org, ZK, "Чужой партнёр с историей", 0);
    snprintf(path, sizeof path, DS "/partners/%lld/log", zk);
    POST(&org, path, 404, "day", today, "subject", "Тема", "kind", "request", "status", "open",
         END);
    client_free(&org);
}

/* ---- residents' requests ---- */

/* The id of the newest request with subject in the list the client sees
 * at key ("mine" or "requests"), or 0. */
static long long request_id(struct client *c, const char *base, const char *key,
                            const char *subject)
{
    char path[256];
    snprintf(path, sizeof path, "%s/requests", base);
    json_t *v = get_json(c, path, 200);
    long long id = find_id(json_object_get(v, key), "subject", subject);
    json_decref(v);
    return id;
}

static void requests_who_reads_the_details(void **state)
{
    (void)state;
    struct client org, mem, other, anon, admin;
    login_as(&org, &S, "organizer");
    login_as(&mem, &S, "member");
    login_as(&other, &S, "dvor-sadovaya-12-1");
    login_as(&anon, &S, NULL);
    login_as(&admin, &S, "admin");
    POST(&mem, DS "/requests", 303, "subject", "Вопрос жителя", "body", "SNTL-RQ-BODY",
         "answer_via", "phone", "contact", "SNTL-RQ-PHONE", END);
    long long id = request_id(&mem, DS, "mine", "Вопрос жителя");
    assert_true(id > 0);
    char path[256], tri[256], ans[256];
    snprintf(path, sizeof path, DS "/requests/%lld", id);
    snprintf(tri, sizeof tri, DS "/requests/%lld/triage", id);
    snprintf(ans, sizeof ans, DS "/requests/%lld/answer", id);
    /* the resident reads it all */
    json_t *v = get_json(&mem, path, 200);
    assert_string_equal(jstr(v, "request.body"), "SNTL-RQ-BODY");
    assert_string_equal(jstr(v, "request.contact"), "SNTL-RQ-PHONE");
    json_decref(v);
    /* an organizer who neither handles it nor was named: the subject only */
    assert_int_equal(request_id(&org, DS, "requests", "Вопрос жителя"), id);
    v = get_json(&org, path, 200);
    assert_string_equal(jstr(v, "request.subject"), "Вопрос жителя");
    assert_null(jstr(v, "request.body"));
    assert_null(jstr(v, "request.contact"));
    assert_null(jstr(v, "request.resident"));
    json_decref(v);
    char *html = get_html(&org, path);
    assert_null(strstr(html, "SNTL-RQ"));
    free(html);
    /* nor may they answer it */
    POST(&org, ans, 409, "answer", "Ответ", END);
    /* other members, visitors and the administrator: nothing */
    assert_int_equal(get_status(&other, path, 1), 404);
    assert_int_equal(request_id(&other, DS, "mine", "Вопрос жителя"), 0);
    v = get_json(&other, DS "/requests", 200);
    assert_null(jget(v, "requests"));
    json_decref(v);
    assert_int_equal(get_status(&anon, path, 1), 401);
    assert_int_equal(get_status(&admin, path, 1), 403);
    assert_int_equal(get_status(&admin, DS "/requests", 1), 403);
    assert_int_equal(post_status(&other, tri, 1, NULL), 403);
    /* the organizer takes it: now they read it and answer */
    char me[32];
    snprintf(me, sizeof me, "%lld", member_id_of(&S, "dvor-sadovaya-12", "organizer"));
    POST(&org, tri, 303, "status", "in_work", "handler", me, "note", "Берусь", END);
    v = get_json(&org, path, 200);
    assert_string_equal(jstr(v, "request.body"), "SNTL-RQ-BODY");
    assert_string_equal(jstr(v, "request.handler"), "Андрей");
    json_decref(v);
    POST(&org, ans, 303, "answer", "Позвоню вечером", END);
    v = get_json(&mem, path, 200);
    assert_string_equal(jstr(v, "request.answer"), "Позвоню вечером");
    assert_string_equal(jstr(v, "request.status"), "answered");
    assert_true(json_array_size(json_object_get(v, "history")) >= 3);
    json_decref(v);
    /* handed over to nobody: the details close again, until the community
     * names the organizer a reader */
    POST(&org, tri, 303, "status", "in_work", END);
    v = get_json(&org, path, 200);
    assert_null(jstr(v, "request.body"));
    json_decref(v);
    POST(&org, DS "/requests/readers", 303, "member", me, "reader", "1", END);
    v = get_json(&org, path, 200);
    assert_string_equal(jstr(v, "request.body"), "SNTL-RQ-BODY");
    json_decref(v);
    POST(&org, DS "/requests/readers", 303, "member", me, END);
    v = get_json(&org, path, 200);
    assert_null(jstr(v, "request.body"));
    json_decref(v);
    /* only an organizer can be named */
    char plain[32];
    snprintf(plain, sizeof plain, "%lld", member_id_of(&S, "dvor-sadovaya-12", "member"));
    POST(&org, DS "/requests/readers", 409, "member", plain, "reader", "1", END);
    client_free(&org);
    client_free(&mem);
    client_free(&other);
    client_free(&anon);
    client_free(&admin);
}

static void requests_bad_input(void **state)
{
    (void)state;
    struct client org, mem;
    login_as(&org, &S, "organizer");
    login_as(&mem, &S, "member");
    char long_body[4100];
    memset(long_body, 'd', 4050);
    long_body[4050] = 0;
    struct resp r;
    const char *const no_contact[] = {"subject",    "KEPT-SUBJECT", "body", "Текст",
                                      "answer_via", "email",        NULL};
    assert_int_equal(post_pairs(&mem, DS "/requests", 1, no_contact, &r), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(field_error(&r, "contact"));
    resp_free(&r);
    const char *const too_long[] = {"subject",    "KEPT-SUBJECT", "body", long_body,
                                    "answer_via", "site",         NULL};
    assert_int_equal(post_pairs(&mem, DS "/requests", 0, too_long, &r), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "KEPT-SUBJECT"));
    resp_free(&r);
    const char *const bad_via[] = {"subject",    "Тема",   "body", "Текст",
                                   "answer_via", "pigeon", NULL};
    assert_int_equal(post_pairs(&mem, DS "/requests", 1, bad_via, &r), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(field_error(&r, "answer_via"));
    resp_free(&r);
    assert_int_equal(request_id(&mem, DS, "mine", "KEPT-SUBJECT"), 0);
    /* the triage: a partner of another community, a handler who is no
     * organizer, an unknown status */
    POST(&mem, DS "/requests", 303, "subject", "Для разбора", "body", "Текст", "answer_via", "site",
         END);
    long long id = request_id(&mem, DS, "mine", "Для разбора");
    char tri[256], zk[32], plain[32];
    snprintf(tri, sizeof tri, DS "/requests/%lld/triage", id);
    snprintf(zk, sizeof zk, "%lld", add_partner(&org, ZK, "Партнёр не отсюда", 1));
    snprintf(plain, sizeof plain, "%lld", member_id_of(&S, "dvor-sadovaya-12", "member"));
    const char *const cases[][3] = {
        {"partner", zk, "partner"},
        {"handler", plain, "handler_name"},
        {"status", "lost", "status"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *pairs[] = {"status", "in_work", "note", "KEPT-NOTE", NULL, NULL, NULL};
        if (!strcmp(cases[i][0], "status"))
            pairs[1] = cases[i][1];
        else {
            pairs[4] = cases[i][0];
            pairs[5] = cases[i][1];
        }
        assert_int_equal(post_pairs(&org, tri, 1, pairs, &r), 0);
        if (r.status != 422 || !field_error(&r, cases[i][2]))
            fail_msg("%s=%s: %ld %.300s", cases[i][0], cases[i][1], r.status, r.body);
        resp_free(&r);
        assert_int_equal(post_pairs(&org, tri, 0, pairs, &r), 0);
        assert_int_equal(r.status, 422);
        assert_non_null(strstr(r.body, "KEPT-NOTE"));
        resp_free(&r);
    }
    char path[256];
    snprintf(path, sizeof path, DS "/requests/%lld", id);
    json_t *v = get_json(&mem, path, 200);
    assert_string_equal(jstr(v, "request.status"), "new");
    assert_int_equal(json_array_size(json_object_get(v, "history")), 1);
    json_decref(v);
    /* the staff's list by status */
    json_t *l = get_json(&org, DS "/requests?status=new", 200);
    assert_true(find_id(json_object_get(l, "requests"), "subject", "Для разбора") == id);
    json_decref(l);
    l = get_json(&org, DS "/requests?status=closed", 200);
    assert_int_equal(find_id(json_object_get(l, "requests"), "subject", "Для разбора"), 0);
    json_decref(l);
    /* a request of another community is not reached from here */
    POST(&org, DS "/requests/999999/triage", 404, "status", "closed", END);
    client_free(&org);
    client_free(&mem);
}

static void requests_facilitator_is_not_staff_and_secret_is_sealed(void **state)
{
    (void)state;
    struct client org, fac;
    login_as(&org, &S, "organizer");
    /* in the closed community "member" is a facilitator */
    login_as(&fac, &S, "member");
    POST(&org, ZK "/requests", 303, "subject", "Просьба организатора", "body", "Текст",
         "answer_via", "site", END);
    json_t *v = get_json(&fac, ZK "/requests", 200);
    assert_null(jget(v, "requests"));
    json_decref(v);
    long long id = request_id(&org, ZK, "mine", "Просьба организатора");
    char path[256];
    snprintf(path, sizeof path, ZK "/requests/%lld", id);
    assert_int_equal(get_status(&fac, path, 1), 404);
    assert_int_equal(get_status(&fac, ZK "/requests/readers", 1), 403);
    /* the secret community keeps no clear text of a request */
    POST(&org, TV "/requests", 303, "subject", "SNTL-SECRET-SUBJECT", "body", "SNTL-SECRET-BODY",
         "answer_via", "email", "contact", "SNTL-SECRET-MAIL", END);
    assert_true(request_id(&org, TV, "mine", "SNTL-SECRET-SUBJECT") > 0);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM resident_requests WHERE subject LIKE ?1"
                              " OR body LIKE ?1 OR contact LIKE ?1",
                              "SNTL-SECRET%"),
                     0);
    client_free(&org);
    client_free(&fac);
}

/* A resident who leaves takes their words along; the subject, dates and
 * status stay. */
static void a_leaver_takes_the_details_along(void **state)
{
    (void)state;
    struct client res;
    login_as(&res, &S, "dvor-sadovaya-12-2");
    POST(&res, DS "/requests", 303, "subject", "Уходящий житель", "body", "SNTL-LEAVER-BODY",
         "answer_via", "phone", "contact", "SNTL-LEAVER-PHONE", END);
    assert_int_equal(
        db_value(&S, "SELECT count(*) FROM resident_requests WHERE body = ?", "SNTL-LEAVER-BODY"),
        1);
    POST(&res, DS "/leave", 303, "x", "", END);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM resident_requests WHERE subject = ?"
                              " AND body = '' AND contact = '' AND erased_at IS NOT NULL"
                              " AND member_id IS NULL",
                              "Уходящий житель"),
                     1);
    assert_int_equal(
        db_value(&S, "SELECT count(*) FROM resident_requests WHERE body = ?", "SNTL-LEAVER-BODY"),
        0);
    client_free(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(directory_who_sees_what),
        cmocka_unit_test(directory_bad_input_keeps_the_form),
        cmocka_unit_test(directory_edit_and_delete),
        cmocka_unit_test(directory_filter_search_and_pages),
        cmocka_unit_test(secret_community_texts_are_sealed),
        cmocka_unit_test(log_entries_and_overdue_steps),
        cmocka_unit_test(log_bad_input),
        cmocka_unit_test(requests_who_reads_the_details),
        cmocka_unit_test(requests_bad_input),
        cmocka_unit_test(requests_facilitator_is_not_staff_and_secret_is_sealed),
        cmocka_unit_test(a_leaver_takes_the_details_along),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
