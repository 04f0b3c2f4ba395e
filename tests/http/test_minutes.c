/* Minutes of assemblies (issue 16, step 4) over HTTP against a real
 * server with the demo: drafted from an assembly's record (present and
 * quorum, chair and secretary, agenda, votes with names, decisions),
 * edited by the secretary (a bad text refused beside its field with the
 * input kept), approved by the chair only once the meeting is closed and
 * then frozen (409), printable and downloadable as Markdown; who may read
 * them (members; in a public community, approved minutes of an event for
 * everyone); counts instead of names in a closed community; the body
 * sealed in a secret one. */
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

static long long member_in(const char *slug, const char *handle)
{
    return member_id_of(&S, slug, handle);
}

/* An event of community slug with an assembly whose chair and secretary
 * are given; its assembly's path into base. */
static long long assembly_at(struct client *org, const char *slug, const char *title,
                             const char *audience, long long chair, long long sec, char *base,
                             size_t n)
{
    char path[128], c[24], s[24];
    snprintf(path, sizeof path, "/c/%s/events", slug);
    POST(org, path, 303, "kind", "housing", "title", title, "description", "", "start",
         "2030-10-01T18:00", "end", "2030-10-01T20:00", "place_text", "Красный уголок", "audience",
         audience);
    long long ev = db_value(&S,
                            "SELECT max(e.id) FROM events e JOIN communities c"
                            " ON c.id = e.community_id WHERE c.slug = ?",
                            slug);
    assert_true(ev > 0);
    snprintf(base, n, "/c/%s/events/%lld/assembly", slug, ev);
    snprintf(c, sizeof c, "%lld", chair);
    snprintf(s, sizeof s, "%lld", sec);
    POST(org, base, 303, "kind", "assembly", "quorum_kind", "number", "quorum_value", "1", "chair",
         c, "secretary", s);
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
    /* the page, too: the message beside the field and the input kept */
    assert_int_equal(post_pairs(c, path, 0, pairs, &r), 0);
    assert_int_equal(r.status, 422);
    char id[64];
    snprintf(id, sizeof id, "id=\"%s-error\"", field);
    assert_true(resp_has(&r, id));
    if (kept) assert_true(resp_has(&r, kept));
    resp_free(&r);
}

static void minutes_from_draft_to_approved(void **state)
{
    (void)state;
    struct client org, m, anon, out;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    login_as(&anon, &S, NULL);
    login_as(&out, &S, "newcomer");
    char base[128], mp[192], p[256];
    assembly_at(&org, "dvor-sadovaya-12", "Собрание о протоколе", "everyone",
                member_in("dvor-sadovaya-12", "organizer"), member_in("dvor-sadovaya-12", "member"),
                base, sizeof base);
    snprintf(mp, sizeof mp, "%s/minutes", base);
    /* an agenda item, a proposal voted by both, a decision */
    snprintf(p, sizeof p, "%s/items", base);
    POST(&m, p, 303, "title", "Ремонт *крыльца*", "document", "Смета приложена.");
    json_t *v = view_json(&m, base);
    long long item = json_integer_value(jget(v, "items.0.id"));
    json_decref(v);
    snprintf(p, sizeof p, "%s/items/%lld/proposals", base, item);
    POST(&m, p, 303, "text", "Отремонтировать крыльцо весной", "threshold", "simple", "secrecy",
         "open");
    long long prop = db_value(&S, "SELECT max(id) FROM assembly_proposals WHERE text = ?",
                              "Отремонтировать крыльцо весной");
    snprintf(p, sizeof p, "%s/state", base);
    POST(&m, p, 303, "to", "open");
    snprintf(p, sizeof p, "%s/join", base);
    POST(&org, p, 303, "join", "1");
    snprintf(p, sizeof p, "%s/proposals/%lld/open", base, prop);
    POST(&m, p, 303, "minutes", "30");
    snprintf(p, sizeof p, "%s/proposals/%lld/vote", base, prop);
    POST(&m, p, 303, "choice", "for");
    POST(&org, p, 303, "choice", "against");
    snprintf(p, sizeof p, "%s/proposals/%lld/close", base, prop);
    POST(&m, p, 303, "confirm", "1");
    v = view_json(&m, base);
    char org_name[128];
    snprintf(org_name, sizeof org_name, "%s", json_string_value(jget(v, "assembly.chair")));
    json_decref(v);

    /* no minutes yet: members see so, nobody outside sees anything */
    v = view_json(&m, mp);
    assert_null(jget(v, "minutes"));
    assert_true(json_is_true(jget(v, "can_draft")));
    json_decref(v);
    assert_int_equal(get_status(&anon, mp, 1), 404);
    assert_int_equal(get_status(&out, mp, 1), 404);
    snprintf(p, sizeof p, "%s/print", mp);
    assert_int_equal(get_status(&m, p, 0), 404);

    /* drafted by the secretary from the record */
    snprintf(p, sizeof p, "%s/draft", mp);
    POST(&out, p, 403, "confirm", "1");
    POST(&m, p, 303, "confirm", "1");
    v = view_json(&m, mp);
    const char *body = jstr(v, "minutes.body");
    assert_non_null(body);
    assert_non_null(strstr(body, "# Протокол общего собрания: Собрание о протоколе"));
    assert_non_null(strstr(body, "Красный уголок"));
    assert_non_null(strstr(body, "**Присутствовали:** 2"));
    assert_non_null(strstr(body, "**Кворум:** есть"));
    assert_non_null(strstr(body, "## Повестка дня"));
    assert_non_null(strstr(body, "Ремонт \\*крыльца\\*")); /* a title never turns into Markdown */
    assert_non_null(strstr(body, "**Слушали:**"));
    assert_non_null(strstr(body, "**Выступили:**"));
    assert_non_null(strstr(body, "за 1, против 1, воздержались 0"));
    assert_non_null(strstr(body, org_name)); /* names in a public community */
    assert_non_null(strstr(body, "**Итог:** Не принято"));
    assert_string_equal(jstr(v, "minutes.state"), "draft");
    assert_false(json_is_true(jget(v, "can_approve"))); /* not closed yet */
    json_decref(v);
    /* the draft stays the members' */
    assert_int_equal(get_status(&anon, mp, 1), 404);

    /* the secretary's edit: an empty or oversized text refused beside
     * its field, the input kept */
    const char *empty[] = {"body", "", NULL};
    expect_field(&m, mp, "body", empty, NULL);
    size_t big = 100001;
    char *huge = malloc(big + 1);
    memset(huge, 'x', big);
    huge[big] = 0;
    const char *over[] = {"body", huge, NULL};
    expect_field(&m, mp, "body", over, "xxxxxxxxxxxxxxxxxxxxxxxx");
    free(huge);
    POST(&out, mp, 403, "body", "Чужой текст");
    POST(&org, mp, 303, "body", "# Протокол\n\n**Выступили:** Иванова (смета).\n");
    POST(&m, mp, 303, "body", "# Протокол\n\n**Выступили:** Иванова (смета), Петров.\n");
    v = view_json(&m, mp);
    assert_non_null(strstr(jstr(v, "minutes.body"), "Петров"));
    json_decref(v);

    /* approval: only after the close, only by the chair */
    snprintf(p, sizeof p, "%s/approve", mp);
    POST(&org, p, 409, "confirm", "1");
    char q[256];
    snprintf(q, sizeof q, "%s/state", base);
    POST(&m, q, 303, "to", "closed");
    POST(&m, p, 403, "confirm", "1"); /* the secretary is not the chair */
    POST(&out, p, 403, "confirm", "1");
    POST(&org, p, 303, "confirm", "1");
    POST(&org, p, 409, "confirm", "1");
    /* frozen: an edit, a new draft: 409, the text unchanged */
    POST(&m, mp, 409, "body", "Переписанный задним числом текст");
    snprintf(q, sizeof q, "%s/draft", mp);
    POST(&m, q, 409, "confirm", "1");
    v = view_json(&m, mp);
    assert_non_null(strstr(jstr(v, "minutes.body"), "Петров"));
    assert_true(json_is_true(jget(v, "minutes.is_approved")));
    assert_string_equal(jstr(v, "minutes.approved_by"), org_name);
    assert_false(json_is_true(jget(v, "can_edit")));
    json_decref(v);

    /* approved minutes of a public community's event for everyone:
     * anyone may read them, print them, download them */
    v = view_json(&anon, mp);
    assert_non_null(strstr(jstr(v, "minutes.body"), "Петров"));
    assert_false(json_is_true(jget(v, "can_edit")));
    json_decref(v);
    snprintf(p, sizeof p, "%s/print", mp);
    char *html = get_html(&anon, p);
    assert_non_null(strstr(html, "Петров"));
    assert_null(strstr(html, "<nav"));
    assert_null(strstr(html, "<script"));
    assert_non_null(strstr(html, "/static/style.css"));
    free(html);
    struct resp r;
    snprintf(p, sizeof p, "%s.md", mp);
    assert_int_equal(client_req(&anon, "GET", p, NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    char ct[128], cd[128];
    assert_int_equal(resp_header(&r, "Content-Type", ct, sizeof ct), 0);
    assert_string_equal(ct, "text/markdown; charset=utf-8");
    assert_int_equal(resp_header(&r, "Content-Disposition", cd, sizeof cd), 0);
    assert_non_null(strstr(cd, "attachment"));
    assert_string_equal(r.body, "# Протокол\n\n**Выступили:** Иванова (смета), Петров.");
    resp_free(&r);

    /* an event for members only: its approved minutes stay inside */
    char b2[128], m2[192];
    long long lone = member_in("dvor-sadovaya-12", "organizer");
    assembly_at(&org, "dvor-sadovaya-12", "Собрание только для жильцов", "members", lone, lone, b2,
                sizeof b2);
    snprintf(m2, sizeof m2, "%s/minutes/draft", b2);
    POST(&org, m2, 303, "confirm", "1");
    snprintf(q, sizeof q, "%s/state", b2);
    POST(&org, q, 303, "to", "open");
    POST(&org, q, 303, "to", "closed");
    snprintf(m2, sizeof m2, "%s/minutes/approve", b2);
    POST(&org, m2, 303, "confirm", "1");
    snprintf(m2, sizeof m2, "%s/minutes", b2);
    assert_int_equal(get_status(&anon, m2, 1), 404);
    assert_int_equal(get_status(&out, m2, 1), 404);
    assert_int_equal(get_status(&m, m2, 1), 200);
    client_free(&org);
    client_free(&m);
    client_free(&anon);
    client_free(&out);
}

/* A closed community: counts instead of names when chosen; only members
 * read; a secret community's body is sealed at rest. */
static void counts_and_sealing(void **state)
{
    (void)state;
    struct client org, m;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "newcomer");
    char base[128], p[192];
    long long me = member_in("zelenyj-kvartal", "organizer");
    assembly_at(&org, "zelenyj-kvartal", "Закрытое собрание", "members", me, me, base, sizeof base);
    snprintf(p, sizeof p, "%s/state", base);
    POST(&org, p, 303, "to", "open");
    snprintf(p, sizeof p, "%s/join", base);
    POST(&org, p, 303, "join", "1");
    json_t *v = view_json(&org, base);
    char name[128];
    snprintf(name, sizeof name, "%s", jstr(v, "assembly.chair"));
    json_decref(v);
    snprintf(p, sizeof p, "%s/minutes", base);
    v = view_json(&org, p);
    assert_true(json_is_true(jget(v, "offer_counts")));
    assert_false(json_is_true(jget(v, "counts_default"))); /* closed: names unless chosen */
    json_decref(v);
    snprintf(p, sizeof p, "%s/minutes/draft", base);
    POST(&org, p, 303, "counts_only", "1");
    snprintf(p, sizeof p, "%s/minutes", base);
    v = view_json(&org, p);
    const char *body = jstr(v, "minutes.body");
    assert_non_null(strstr(body, "**Присутствовали:** 1"));
    /* the name appears only as the chair and secretary, never as a list
     * of those present */
    assert_null(strstr(body, "Список присутствующих"));
    assert_true(json_is_true(jget(v, "minutes.counts_only")));
    json_decref(v);
    /* drafted again with names */
    snprintf(p, sizeof p, "%s/minutes/draft", base);
    POST(&org, p, 303, "confirm", "1");
    snprintf(p, sizeof p, "%s/minutes", base);
    v = view_json(&org, p);
    assert_non_null(strstr(jstr(v, "minutes.body"), "Список присутствующих"));
    json_decref(v);
    /* outside the closed community: nothing */
    long st = get_status(&m, p, 1);
    assert_true(st == 403 || st == 404);

    /* secret: the body is sealed where it is stored */
    me = member_in("tiho-vmeste", "organizer");
    assembly_at(&org, "tiho-vmeste", "Тайное собрание", "members", me, me, base, sizeof base);
    snprintf(p, sizeof p, "%s/minutes", base);
    v = view_json(&org, p);
    assert_true(json_is_true(jget(v, "counts_default")));
    json_decref(v);
    snprintf(p, sizeof p, "%s/minutes/draft", base);
    POST(&org, p, 303, "counts_only", "1");
    snprintf(p, sizeof p, "%s/minutes", base);
    v = view_json(&org, p);
    assert_non_null(strstr(jstr(v, "minutes.body"), "Тайное собрание"));
    json_decref(v);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM assembly_minutes n JOIN communities c"
                              " ON c.id = n.community_id WHERE c.slug = ?"
                              " AND instr(n.body, 'Тайное') = 0",
                              "tiho-vmeste"),
                     1);
    client_free(&org);
    client_free(&m);
}

/* The assembly page's small forms (issue 16, step 4, item 4): a bad
 * field is a 422 with the message beside that field and the input kept,
 * as JSON and as the page of that one form; nothing changes. */
static void refused(struct client *c, const char *path, const char *field, const char *kept,
                    const char **pairs)
{
    expect_field(c, path, field, pairs, kept);
}

static void small_forms_refused_beside_their_field(void **state)
{
    (void)state;
    struct client org, m;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    char base[128], p[256];
    long long ev = assembly_at(&org, "dvor-sadovaya-12", "Собрание с ошибками в формах", "members",
                               member_in("dvor-sadovaya-12", "organizer"),
                               member_in("dvor-sadovaya-12", "member"), base, sizeof base);
    (void)ev;
    snprintf(p, sizeof p, "%s/items", base);
    POST(&m, p, 303, "title", "Первый вопрос", "document", "");
    POST(&m, p, 303, "title", "Второй вопрос", "document", "");
    json_t *v = view_json(&m, base);
    long long item = json_integer_value(jget(v, "items.1.id"));
    json_decref(v);
    snprintf(p, sizeof p, "%s/items/%lld/proposals", base, item);
    POST(&m, p, 303, "text", "Предложение с ошибками", "threshold", "simple", "secrecy", "open");
    long long prop = db_value(&S, "SELECT max(id) FROM assembly_proposals WHERE text = ?",
                              "Предложение с ошибками");
    /* the state */
    snprintf(p, sizeof p, "%s/state", base);
    const char *st[] = {"to", "elsewhere", NULL};
    refused(&m, p, "to", NULL, st);
    /* an item's move */
    snprintf(p, sizeof p, "%s/items/%lld/move", base, item);
    const char *mv[] = {"dir", "sideways", NULL};
    refused(&m, p, "dir", NULL, mv);
    /* a presence mark: the number kept */
    snprintf(p, sizeof p, "%s/presence", base);
    const char *pr[] = {"member", "abc", "mark", "room", NULL};
    refused(&m, p, "member", "value=\"abc\"", pr);
    snprintf(p, sizeof p, "%s/state", base);
    POST(&m, p, 303, "to", "open");
    /* the voting window: the number kept */
    snprintf(p, sizeof p, "%s/proposals/%lld/open", base, prop);
    const char *wn[] = {"minutes", "99999999", NULL};
    refused(&m, p, "minutes", "value=\"99999999\"", wn);
    POST(&m, p, 303, "minutes", "30");
    /* a vote: the reason kept */
    snprintf(p, sizeof p, "%s/proposals/%lld/vote", base, prop);
    const char *vt[] = {"choice", "maybe", "reason", "Довод, который не должен пропасть", NULL};
    refused(&m, p, "choice", "Довод, который не должен пропасть", vt);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM assembly_votes WHERE proposal_id ="
                              " (SELECT max(id) FROM assembly_proposals WHERE text = ?)",
                              "Предложение с ошибками"),
                     0);
    /* a decision's status in the register: the initiative kept */
    snprintf(p, sizeof p, "%s/items/%lld/decisions", base, item);
    POST(&m, p, 303, "text", "Решение для проверки статуса");
    long long dec = db_value(&S, "SELECT max(id) FROM assembly_decisions WHERE text = ?",
                             "Решение для проверки статуса");
    snprintf(p, sizeof p, DS "/events/decisions/%lld", dec);
    const char *ds[] = {"status", "finished", "initiative", "4242", NULL};
    refused(&org, p, "status", "value=\"4242\"", ds);
    /* a date poll's answer */
    POST(&org, DS "/events/polls", 303, "kind", "club", "title", "Когда встретимся для проверки",
         "description", "", "minutes", "60", "times", "2030-07-01T18:00\n2030-07-02T18:00");
    long long poll = db_value(&S, "SELECT max(id) FROM event_polls WHERE ? IS NOT NULL", "x");
    snprintf(p, sizeof p, DS "/events/polls/%lld/answer", poll);
    const char *an[] = {"answer", "1:perhaps", NULL};
    refused(&m, p, "answer", NULL, an);
    client_free(&org);
    client_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(minutes_from_draft_to_approved),
        cmocka_unit_test(counts_and_sealing),
        cmocka_unit_test(small_forms_refused_beside_their_field),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
