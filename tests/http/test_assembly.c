/* Assemblies (issue 16, step 3) over HTTP against a real server with the
 * demo: an assembly made at an event with its chair, secretary and quorum
 * rule (a share over 100 % refused beside its field), the agenda built
 * and reordered, presence from the room and online with the quorum it
 * gives, open votes counted with those present, one person's two votes at
 * once counted once, consent with an objection and its reason, a secret
 * vote through the ballot box, and nothing after the close. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <pthread.h>
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

static long long q(const char *sql, long long id)
{
    char p[32];
    snprintf(p, sizeof p, "%lld", id);
    return db_value(&S, sql, p);
}

static long long member_of(const char *handle)
{
    return db_value(&S,
                    "SELECT m.id FROM members m JOIN member_accounts l ON l.member_id = m.id"
                    " JOIN accounts a ON a.id = l.account_id JOIN communities c"
                    " ON c.id = m.community_id WHERE a.handle = ? AND c.slug = 'dvor-sadovaya-12'",
                    handle);
}

static void expect_422(struct client *c, const char *path, const char *field, const char **pairs)
{
    struct resp r;
    assert_int_equal(post_pairs(c, path, 1, pairs, &r), 0);
    if (r.status != 422 || !field_error(&r, field))
        fail_msg("%s: status %ld, no error beside %s", path, r.status, field);
    resp_free(&r);
}

struct shot {
    struct client c;
    const char *path;
    long status;
};

static void *fire(void *arg)
{
    struct shot *s = arg;
    const char *pairs[] = {"choice", "for", NULL};
    s->status = post_status(&s->c, s->path, 0, pairs);
    return NULL;
}

static long long proposal_by(const char *text)
{
    return db_value(&S, "SELECT max(id) FROM assembly_proposals WHERE text = ?", text);
}

static void an_assembly_from_agenda_to_votes(void **state)
{
    (void)state;
    struct client org, m, anon, out;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    login_as(&anon, &S, NULL);
    login_as(&out, &S, "newcomer");
    const char *T = "Общее собрание жильцов для проверки";
    POST(&org, DS "/events", 303, "kind", "housing", "title", T, "description", "Повестка ниже.",
         "start", "2030-09-01T18:00", "end", "2030-09-01T20:30", "place_text", "Во дворе",
         "audience", "members");
    long long ev = db_value(&S, "SELECT max(id) FROM events WHERE title = ?", T);
    assert_true(ev > 0);
    char base[128], p[256], chair[24], sec[24];
    snprintf(base, sizeof base, DS "/events/%lld/assembly", ev);
    snprintf(chair, sizeof chair, "%lld", member_of("organizer"));
    snprintf(sec, sizeof sec, "%lld", member_of("member"));
    /* no assembly yet */
    assert_int_equal(get_status(&org, base, 1), 404);
    /* bad rules, each beside its field, nothing made */
    const char *over[] = {"kind",         "assembly", "quorum_kind", "share",
                          "quorum_value", "101",      "chair",       chair,
                          "secretary",    sec,        NULL};
    expect_422(&org, base, "quorum_value", over);
    const char *zero[] = {"kind", "assembly", "quorum_kind", "number", "quorum_value", "0", NULL};
    expect_422(&org, base, "quorum_value", zero);
    const char *kind[] = {"kind", "rally", "quorum_kind", "share", "quorum_value", "50", NULL};
    expect_422(&org, base, "kind", kind);
    const char *stranger[] = {"kind", "assembly", "quorum_kind", "share", "quorum_value",
                              "50",   "chair",    "999999999",   NULL};
    expect_422(&org, base, "chair", stranger);
    assert_int_equal(q("SELECT count(*) FROM assemblies WHERE event_id = CAST(? AS INTEGER)", ev),
                     0);
    POST(&m, base, 403, "kind", "assembly", "quorum_kind", "share", "quorum_value", "50");
    /* two members present reach the quorum: a number of 2 */
    POST(&org, base, 303, "kind", "assembly", "quorum_kind", "number", "quorum_value", "2", "chair",
         chair, "secretary", sec);
    assert_int_equal(get_status(&anon, base, 1), 401);
    assert_int_equal(get_status(&out, base, 1), 403);
    /* the agenda: the secretary adds items, a missing title is refused */
    snprintf(p, sizeof p, "%s/items", base);
    const char *untitled[] = {"title", "", "document", "без заголовка", NULL};
    expect_422(&m, p, "title", untitled);
    POST(&m, p, 303, "title", "Ремонт подъезда", "document", "Смета: **120 000** ₽.");
    POST(&m, p, 303, "title", "Озеленение двора", "document", "");
    POST(&org, p, 303, "title", "Разное", "document", "");
    json_t *v = view_json(&m, base);
    assert_int_equal(json_array_size(jget(v, "items")), 3);
    long long i1 = json_integer_value(jget(v, "items.0.id"));
    long long i2 = json_integer_value(jget(v, "items.1.id"));
    assert_false(json_is_true(jget(v, "assembly.quorum_reached")));
    json_decref(v);
    /* the second item up: it comes first */
    snprintf(p, sizeof p, "%s/items/%lld/move", base, i2);
    POST(&m, p, 303, "dir", "up");
    POST(&m, p, 409, "dir", "up");
    v = view_json(&m, base);
    assert_int_equal(json_integer_value(jget(v, "items.0.id")), i2);
    assert_int_equal(json_integer_value(jget(v, "items.1.id")), i1);
    json_decref(v);
    /* joining online before the meeting opens is refused */
    snprintf(p, sizeof p, "%s/join", base);
    POST(&org, p, 409, "join", "1");
    /* proposals */
    snprintf(p, sizeof p, "%s/items/%lld/proposals", base, i1);
    const char *cs[] = {
        "text", "Принять решение консенсусом", "threshold", "consent", "secrecy", "secret", NULL};
    expect_422(&m, p, "secrecy", cs);
    POST(&m, p, 303, "text", "Отремонтировать подъезд за 120 000 ₽",
         "threshold", "simple", "secrecy", "open");
    POST(&m, p, 303, "text", "Избрать совет дома", "threshold", "two_thirds", "secrecy", "secret");
    snprintf(p, sizeof p, "%s/items/%lld/proposals", base, i2);
    POST(&m, p, 303, "text", "Посадить три клёна", "threshold", "consent", "secrecy", "open");
    long long pa = proposal_by("Отремонтировать подъезд за 120 000 ₽");
    long long ps = proposal_by("Избрать совет дома");
    long long pc = proposal_by("Посадить три клёна");
    assert_true(pa > 0 && ps > 0 && pc > 0);
    /* voting cannot open before the meeting does */
    snprintf(p, sizeof p, "%s/proposals/%lld/open", base, pa);
    POST(&m, p, 409, "minutes", "30");
    /* open it: the member (secretary) may, the newcomer may not */
    snprintf(p, sizeof p, "%s/state", base);
    POST(&out, p, 403, "to", "open");
    POST(&m, p, 303, "to", "open");
    POST(&m, p, 409, "to", "open");
    /* the organizer joins online, the secretary marks herself in the room */
    snprintf(p, sizeof p, "%s/join", base);
    POST(&org, p, 303, "join", "1");
    POST(&org, p, 303, "join", "1"); /* twice is once */
    snprintf(p, sizeof p, "%s/presence", base);
    POST(&m, p, 303, "member", sec, "mark", "room");
    POST(&m, p, 422, "member", "999999999", "mark", "room");
    v = view_json(&m, base);
    assert_int_equal(json_integer_value(jget(v, "assembly.present")), 2);
    assert_int_equal(json_integer_value(jget(v, "assembly.room")), 1);
    assert_int_equal(json_integer_value(jget(v, "assembly.online")), 1);
    assert_true(json_is_true(jget(v, "assembly.quorum_reached")));
    json_decref(v);
    /* an open vote: bad windows and choices refused */
    snprintf(p, sizeof p, "%s/proposals/%lld/open", base, pa);
    POST(&m, p, 422, "minutes", "0");
    POST(&m, p, 303, "minutes", "30");
    POST(&m, p, 409, "minutes", "30");
    snprintf(p, sizeof p, "%s/proposals/%lld/vote", base, pa);
    POST(&m, p, 422, "choice", "maybe");
    POST(&out, p, 403, "choice", "for");
    /* the same person voting from two sessions at once: counted once */
    struct shot shots[2];
    pthread_t th[2];
    for (int i = 0; i < 2; i++) {
        login_as(&shots[i].c, &S, "organizer");
        shots[i].path = p;
    }
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, fire, &shots[i]), 0);
    int took = 0, refused = 0;
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        took += shots[i].status == 303;
        refused += shots[i].status == 409;
        client_free(&shots[i].c);
    }
    assert_int_equal(took, 1);
    assert_int_equal(refused, 1);
    POST(&m, p, 303, "choice", "against");
    POST(&m, p, 409, "choice", "for");
    assert_int_equal(
        q("SELECT count(*) FROM assembly_votes WHERE proposal_id = CAST(? AS INTEGER)", pa), 2);
    /* the count: 1 for of 2 present is no majority */
    snprintf(p, sizeof p, "%s/proposals/%lld/close", base, pa);
    POST(&out, p, 403, "confirm", "1");
    POST(&m, p, 303, "confirm", "1");
    POST(&m, p, 409, "confirm", "1");
    snprintf(p, sizeof p, "%s/proposals/%lld/vote", base, pa);
    POST(&m, p, 409, "choice", "for");
    v = view_json(&m, base);
    json_t *props = jget(v, "items.1.proposals");
    assert_int_equal(json_array_size(props), 2);
    assert_int_equal(json_integer_value(jget(v, "items.1.proposals.0.yes")), 1);
    assert_int_equal(json_integer_value(jget(v, "items.1.proposals.0.no")), 1);
    assert_int_equal(json_integer_value(jget(v, "items.1.proposals.0.present")), 2);
    assert_true(json_is_true(jget(v, "items.1.proposals.0.is_rejected")));
    /* names of an open vote are shown to members */
    assert_int_equal(json_array_size(jget(v, "items.1.proposals.0.votes")), 2);
    json_decref(v);
    /* consent: an objection needs its reason, and one objection blocks */
    snprintf(p, sizeof p, "%s/proposals/%lld/open", base, pc);
    POST(&org, p, 303, "minutes", "30");
    snprintf(p, sizeof p, "%s/proposals/%lld/vote", base, pc);
    POST(&m, p, 422, "choice", "for");
    POST(&m, p, 422, "choice", "object", "reason", "");
    POST(&m, p, 303, "choice", "object", "reason", "Клёны затенят окна первого этажа");
    snprintf(p, sizeof p, "%s/proposals/%lld/close", base, pc);
    POST(&org, p, 303, "confirm", "1");
    assert_int_equal(q("SELECT adopted FROM assembly_proposals WHERE id = CAST(? AS INTEGER)", pc),
                     0);
    assert_int_equal(
        q("SELECT objections FROM assembly_proposals WHERE id = CAST(? AS INTEGER)", pc), 1);
    /* adopted by both present: it becomes the item's decision, in the
     * register, whose status organizers keep */
    snprintf(p, sizeof p, "%s/items/%lld/proposals", base, i2);
    POST(&m, p, 303, "text", "Покрасить скамейки во дворе", "threshold", "simple", "secrecy",
         "open");
    long long pb = proposal_by("Покрасить скамейки во дворе");
    snprintf(p, sizeof p, "%s/proposals/%lld/open", base, pb);
    POST(&m, p, 303, "minutes", "30");
    snprintf(p, sizeof p, "%s/proposals/%lld/vote", base, pb);
    POST(&m, p, 303, "choice", "for");
    POST(&org, p, 303, "choice", "for");
    snprintf(p, sizeof p, "%s/proposals/%lld/close", base, pb);
    POST(&m, p, 303, "confirm", "1");
    long long dec =
        q("SELECT id FROM assembly_decisions WHERE proposal_id = CAST(? AS INTEGER)", pb);
    assert_true(dec > 0);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM assembly_decisions WHERE proposal_id IN"
                              " (SELECT id FROM assembly_proposals WHERE adopted = 0)"
                              " AND ? IS NOT NULL",
                              "x"),
                     0);
    /* one recorded by the secretary without a vote; an empty one refused */
    snprintf(p, sizeof p, "%s/items/%lld/decisions", base, i1);
    const char *nodec[] = {"text", "", NULL};
    expect_422(&m, p, "text", nodec);
    POST(&out, p, 403, "text", "Чужое решение");
    POST(&m, p, 303, "text", "Принять к сведению отчёт о смете");
    v = view_json(&m, DS "/events/decisions");
    assert_true(json_array_size(jget(v, "decisions")) >= 2);
    assert_string_equal(json_string_value(jget(v, "decisions.0.text")),
                        "Принять к сведению отчёт о смете");
    assert_string_equal(json_string_value(jget(v, "decisions.0.status")), "todo");
    json_decref(v);
    assert_int_equal(get_status(&out, DS "/events/decisions", 1), 403);
    char dp[128], ini[24];
    snprintf(dp, sizeof dp, DS "/events/decisions/%lld", dec);
    POST(&m, dp, 403, "status", "done");
    POST(&org, dp, 422, "status", "finished");
    POST(&org, dp, 422, "status", "done", "initiative", "999999999");
    snprintf(ini, sizeof ini, "%lld",
             db_value(&S,
                      "SELECT min(i.id) FROM initiatives i JOIN communities c"
                      " ON c.id = i.community_id WHERE c.slug = ?",
                      "dvor-sadovaya-12"));
    POST(&org, dp, 303, "status", "done", "initiative", ini);
    assert_int_equal(q("SELECT status = 'done' AND initiative_id IS NOT NULL FROM"
                       " assembly_decisions WHERE id = CAST(? AS INTEGER)",
                       dec),
                     1);
    /* every decision done of the community (the demo's too), this one among them */
    v = view_json(&m, DS "/events/decisions?status=done");
    assert_int_equal(json_array_size(jget(v, "decisions")),
                     db_value(&S,
                              "SELECT count(*) FROM assembly_decisions d JOIN communities c"
                              " ON c.id = d.community_id WHERE c.slug = ? AND d.status = 'done'",
                              "dvor-sadovaya-12"));
    int seen = 0;
    for (size_t i = 0; i < json_array_size(jget(v, "decisions")); i++)
        seen |= json_integer_value(
                    json_object_get(json_array_get(jget(v, "decisions"), i), "id")) == dec;
    assert_true(seen);
    json_decref(v);
    /* secret: a ballot, no row of who chose what; a second ballot refused */
    snprintf(p, sizeof p, "%s/proposals/%lld/open", base, ps);
    POST(&org, p, 303, "minutes", "30");
    snprintf(p, sizeof p, "%s/proposals/%lld/vote", base, ps);
    POST(&m, p, 303, "choice", "for");
    POST(&m, p, 409, "choice", "against");
    assert_int_equal(
        q("SELECT count(*) FROM assembly_votes WHERE proposal_id = CAST(? AS INTEGER)", ps), 0);
    long long box = q("SELECT ballot_id FROM assembly_proposals WHERE id = CAST(? AS INTEGER)", ps);
    assert_true(box > 0);
    snprintf(p, sizeof p, "%s/proposals/%lld/close", base, ps);
    POST(&org, p, 303, "confirm", "1");
    /* one ballot is fewer than the community's k: nothing is counted */
    assert_int_equal(q("SELECT yes FROM assembly_proposals WHERE id = CAST(? AS INTEGER)", ps), 0);
    assert_int_equal(q("SELECT adopted FROM assembly_proposals WHERE id = CAST(? AS INTEGER)", ps),
                     0);
    /* the page itself, without JavaScript: the agenda, the quorum, the
     * secretary's roll; the settings form */
    char *html = get_html(&m, base);
    assert_non_null(strstr(html, "Ремонт подъезда"));
    assert_non_null(strstr(html, "<strong>120 000</strong>"));
    assert_non_null(strstr(html, "/presence"));
    assert_null(strstr(html, "<script"));
    free(html);
    snprintf(p, sizeof p, "%s/settings", base);
    html = get_html(&org, p);
    assert_non_null(strstr(html, "quorum_value"));
    free(html);
    /* closing: nothing changes afterwards */
    snprintf(p, sizeof p, "%s/state", base);
    POST(&m, p, 303, "to", "closed");
    snprintf(p, sizeof p, "%s/items", base);
    POST(&m, p, 409, "title", "Поздний вопрос", "document", "");
    snprintf(p, sizeof p, "%s/presence", base);
    POST(&m, p, 409, "member", chair, "mark", "room");
    snprintf(p, sizeof p, "%s/join", base);
    POST(&m, p, 409, "join", "1");
    POST(&org, base, 409, "kind", "assembly", "quorum_kind", "share", "quorum_value", "50");
    client_free(&org);
    client_free(&m);
    client_free(&anon);
    client_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_assembly_from_agenda_to_votes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
