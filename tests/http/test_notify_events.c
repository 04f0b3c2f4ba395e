/* Notifications, step 3 of issue 17: every notifying event of the areas,
 * made over HTTP against a real server with the demo, writes its notice
 * to the right members and to nobody else: not the actor, not a member of
 * another community, not a member who left. Each test takes the highest
 * notice id before the event and counts only what the event wrote. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct srv S;

#define DS "/c/dvor-sadovaya-12"
#define DSS "dvor-sadovaya-12"

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

static long long sqlv(const char *fmt, long long a, long long b, const char *param)
{
    char sql[512];
    snprintf(sql, sizeof sql, fmt, a, b);
    return db_value(&S, sql, param);
}

/* The highest notice id: what an event writes comes after it. */
static long long mark(void)
{
    return db_value(&S, "SELECT coalesce(max(id), 0) FROM notifications", NULL);
}

/* The notices of kind written since, in all. */
static long long since(long long at, const char *kind)
{
    return sqlv("SELECT count(*) FROM notifications WHERE id > %lld AND kind = ?%.0lld", at, 0,
                kind);
}

/* ... of them, to the member of handle in the demo's courtyard. */
static long long since_to(long long at, const char *kind, const char *handle)
{
    long long m = member_id_of(&S, DSS, handle);
    if (m <= 0) fail_msg("%s is no member", handle);
    return sqlv("SELECT count(*) FROM notifications WHERE id > %lld AND member_id = %lld"
                " AND kind = ?",
                at, m, kind);
}

/* ... of them outside the courtyard (none may be). */
static long long since_elsewhere(long long at)
{
    return sqlv("SELECT count(*) FROM notifications WHERE id > %lld AND community_id <>"
                " (SELECT id FROM communities WHERE slug = ?)%.0lld",
                at, 0, DSS);
}

/* ... of them about object (the kind's path names it). */
static long long since_about(long long at, const char *kind, long long object)
{
    return sqlv("SELECT count(*) FROM notifications WHERE id > %lld AND object_id = %lld"
                " AND kind = ?",
                at, object, kind);
}

static long long courtyard_members(void)
{
    return db_value(&S,
                    "SELECT count(*) FROM members WHERE community_id ="
                    " (SELECT id FROM communities WHERE slug = ?)",
                    DSS);
}

/* A notice to everyone but the actor: each member once, nobody outside. */
static void everyone_but_one(long long at, const char *kind, const char *actor)
{
    assert_int_equal(since(at, kind), courtyard_members() - (actor ? 1 : 0));
    if (actor) assert_int_equal(since_to(at, kind, actor), 0);
    assert_int_equal(since_to(at, kind, "member"), 1);
    assert_int_equal(since_elsewhere(at), 0);
}

static const char *mid(char *buf, size_t n, const char *handle)
{
    snprintf(buf, n, "%lld", member_id_of(&S, DSS, handle));
    return buf;
}

/* ---- votes opened ---- */

static void a_shared_value_put_to_the_vote_tells_every_member_but_its_proposer(void **state)
{
    (void)state;
    struct client m;
    login_as(&m, &S, "dvor-sadovaya-12-1");
    long long at = mark();
    POST(&m, DS "/strategy/values", 303, "title", "Тишина после одиннадцати");
    everyone_but_one(at, "strategy.value_vote", "dvor-sadovaya-12-1");
    long long id = db_value(&S, "SELECT max(id) FROM shared_values", NULL);
    assert_int_equal(since_about(at, "strategy.value_vote", id), courtyard_members() - 1);
    /* a form refused (422) writes nothing */
    at = mark();
    free(post_expect(&m, DS "/strategy/values", 422, "title", "", END));
    assert_int_equal(mark(), at);
    client_free(&m);
}

static void a_manifesto_version_to_the_vote_tells_the_members_a_plain_save_nobody(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    long long at = mark();
    POST(&org, DS "/strategy/text/manifesto", 303, "body", "Мы бережём двор и друг друга.");
    everyone_but_one(at, "strategy.text_vote", "organizer");
    /* a vision saved without a vote tells nobody */
    at = mark();
    POST(&org, DS "/strategy/text/vision", 303, "body", "Двор, где хочется жить.");
    assert_int_equal(mark(), at);
    client_free(&org);
}

static void a_date_poll_tells_every_member_but_its_author(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    long long at = mark();
    POST(&org, DS "/events/polls", 303, "kind", "housing", "title", "Когда красим забор", "minutes",
         "60", "times", "2031-05-01T10:00\n2031-05-02T10:00");
    everyone_but_one(at, "meeting.poll_opened", "organizer");
    client_free(&org);
}

static void a_budgets_voting_phase_tells_every_member(void **state)
{
    (void)state;
    struct client org, m;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    POST(&org, DS "/budgets", 303, "title", "Двор, осень", "amount", "100", "currency", "RUB",
         "proposals_on", "2026-01-01", "review_on", "2026-01-02", "voting_on", "2026-01-03",
         "results_on", "2099-01-01", "implementation_on", "2099-02-01", "ballot", "approval",
         "method", "equal_shares", "max_total", "1");
    long long pid =
        db_value(&S, "SELECT max(id) FROM budget_processes WHERE title = ?", "Двор, осень");
    char p[200];
    snprintf(p, sizeof p, DS "/budgets/%lld/projects", pid);
    POST(&m, p, 303, "title", "Осенние клумбы", "description", "Тюльпаны", "cost", "60");
    long long proj =
        db_value(&S, "SELECT max(id) FROM budget_projects WHERE title = ?", "Осенние клумбы");
    snprintf(p, sizeof p, DS "/budgets/%lld/projects/%lld/review", pid, proj);
    POST(&org, p, 303, "review", "feasible");
    snprintf(p, sizeof p, DS "/budgets/%lld/next", pid);
    long long at = mark();
    POST(&org, p, 303, "from", "proposals");
    assert_int_equal(since(at, "budget.voting"), 0); /* review is no vote */
    POST(&org, p, 303, "from", "review");
    everyone_but_one(at, "budget.voting", NULL);
    assert_int_equal(since_about(at, "budget.voting", pid), courtyard_members());
    client_free(&org);
    client_free(&m);
}

/* The address a person's pages use for the secret community (its slug may
 * be sealed), from their inbox's list of communities. */
static const char *secret_slug(struct client *c, char *buf, size_t n)
{
    json_t *d = view_json(c, "/inbox");
    json_t *cs = jget(d, "communities");
    buf[0] = 0;
    for (size_t i = 0; i < json_array_size(cs); i++)
        if (strcmp(jstr(json_array_get(cs, i), "community"), "Тихо вместе") == 0)
            snprintf(buf, n, "%s", jstr(json_array_get(cs, i), "slug"));
    json_decref(d);
    if (!buf[0]) fail_msg("no secret community in the inbox");
    return buf;
}

static void a_secret_communitys_notice_names_nothing_sealed(void **state)
{
    (void)state;
    struct client org, m;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    char slug[128], p[200];
    snprintf(p, sizeof p, "/c/%s/strategy/values", secret_slug(&org, slug, sizeof slug));
    long long mtv = member_id_in(&m, "tiho-vmeste");
    assert_true(mtv > 0);
    long long at = mark();
    POST(&org, p, 303, "title", "Встречаемся у старой мельницы");
    /* the member has it; nothing of it is a text */
    assert_int_equal(sqlv("SELECT count(*) FROM notifications WHERE id > %lld AND member_id = %lld"
                          " AND kind = ?",
                          at, mtv, "strategy.value_vote"),
                     1);
    assert_int_equal(since_to(at, "strategy.value_vote", "member"), 0); /* not the courtyard's */
    char *html = get_html(&m, "/inbox");
    assert_non_null(strstr(html, "вынесена на голосование"));
    assert_null(strstr(html, "мельниц"));
    free(html);
    client_free(&org);
    client_free(&m);
}

/* ---- waves and surveys ---- */

static void a_wave_opened_today_tells_every_member(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    char a[11], b[11];
    long long at = mark();
    struct resp r;
    assert_int_equal(client_post(&org, DS "/soc/waves", 0, &r, "opens_on", test_day(0, a),
                                 "closes_on", test_day(7, b), NULL),
                     0);
    long st = r.status;
    resp_free(&r);
    if (st == 409) { /* the demo's wave is still open: one that opens later */
        assert_int_equal(mark(), at);
        client_free(&org);
        skip();
    }
    assert_int_equal(st, 303);
    everyone_but_one(at, "soc.wave_opened", NULL);
    client_free(&org);
}

static void a_wave_opening_later_tells_nobody_yet(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    char a[11], b[11];
    long long at = mark();
    struct resp r;
    assert_int_equal(client_post(&org, DS "/soc/waves", 0, &r, "opens_on", test_day(400, a),
                                 "closes_on", test_day(407, b), NULL),
                     0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(since(at, "soc.wave_opened"), 0); /* the scheduled pass's */
    client_free(&org);
}

static long long new_survey(struct client *c)
{
    struct resp r;
    assert_int_equal(client_post(c, DS "/surveys", 0, &r, "template", "quality", NULL), 0);
    assert_int_equal(r.status, 303);
    char loc[200];
    assert_int_equal(resp_header(&r, "Location", loc, sizeof loc), 0);
    resp_free(&r);
    long long id = 0;
    assert_int_equal(sscanf(loc, DS "/surveys/%lld/edit", &id), 1);
    return id;
}

static void a_members_survey_published_tells_every_member_a_link_survey_nobody(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    char p[160], a[11], b[11];
    const char *aud[] = {"members", "link"};
    for (int i = 0; i < 2; i++) {
        long long id = new_survey(&org);
        snprintf(p, sizeof p, DS "/surveys/%lld/edit", id);
        POST(&org, p, 303, "title", i ? "Опрос по ссылке" : "Опрос двора", "audience", aud[i],
             "anonymous", "0", "opens_on", test_day(0, a), "closes_on", test_day(7, b));
        snprintf(p, sizeof p, DS "/surveys/%lld/publish", id);
        long long at = mark();
        POST(&org, p, 303, "x", "1");
        if (i == 0) {
            everyone_but_one(at, "survey.opened", NULL);
            assert_int_equal(since_about(at, "survey.opened", id), courtyard_members());
        } else {
            assert_int_equal(since(at, "survey.opened"), 0);
        }
    }
    client_free(&org);
}

/* ---- the talent bank ---- */

static void a_help_request_tells_the_owner_and_its_answer_the_asker(void **state)
{
    (void)state;
    struct client owner, asker;
    login_as(&owner, &S, "dvor-sadovaya-12-2");
    login_as(&asker, &S, "dvor-sadovaya-12-5");
    POST(&owner, DS "/talents", 303, "kind", "offer", "category", "crafts", "title",
         "Точу ножи и ножницы", "tags", "ножи", "visibility", "members");
    long long eid = db_value(&S,
                             "SELECT max(id) FROM talent_entries WHERE community_id ="
                             " (SELECT id FROM communities WHERE slug = ?)",
                             DSS);
    char p[160];
    snprintf(p, sizeof p, DS "/talents/%lld/ask", eid);
    long long at = mark();
    POST(&asker, p, 303, "message", "Наточите два ножа?", "contact", "@asker");
    assert_int_equal(since(at, "talent.request"), 1);
    assert_int_equal(since_to(at, "talent.request", "dvor-sadovaya-12-2"), 1);
    assert_int_equal(since_elsewhere(at), 0);
    long long rid = db_value(&S, "SELECT max(id) FROM talent_requests", NULL);
    assert_int_equal(since_about(at, "talent.request", rid), 1);
    /* accepted: the asker hears, the owner nothing more */
    snprintf(p, sizeof p, DS "/talents/requests/%lld/accept", rid);
    at = mark();
    POST(&owner, p, 303, "contact", "Квартира 8");
    assert_int_equal(since(at, "talent.request_answer"), 1);
    assert_int_equal(since_to(at, "talent.request_answer", "dvor-sadovaya-12-5"), 1);
    assert_int_equal(mark() - at, 1);
    /* done by the asker: nobody is told */
    snprintf(p, sizeof p, DS "/talents/requests/%lld/done", rid);
    at = mark();
    POST(&asker, p, 303, "hours", "1");
    assert_int_equal(mark(), at);
    /* a second request, declined: told too; a move refused writes nothing */
    snprintf(p, sizeof p, DS "/talents/%lld/ask", eid);
    POST(&asker, p, 303, "message", "И ножницы?", "contact", "@asker");
    rid = db_value(&S, "SELECT max(id) FROM talent_requests", NULL);
    snprintf(p, sizeof p, DS "/talents/requests/%lld/decline", rid);
    at = mark();
    POST(&asker, p, 404, "x", "1");
    assert_int_equal(mark(), at);
    POST(&owner, p, 303, "x", "1");
    assert_int_equal(since_to(at, "talent.request_answer", "dvor-sadovaya-12-5"), 1);
    assert_int_equal(mark() - at, 1);
    client_free(&owner);
    client_free(&asker);
}

static void a_new_match_tells_the_needs_owner_once(void **state)
{
    (void)state;
    struct client needy, helper;
    login_as(&needy, &S, "dvor-sadovaya-12-3");
    login_as(&helper, &S, "dvor-sadovaya-12-4");
    POST(&needy, DS "/talents", 303, "kind", "need", "category", "crafts", "title",
         "Ищу, кто починит табуретку", "tags", "столярка, табуретка", "visibility", "members");
    long long need = db_value(&S, "SELECT max(id) FROM talent_entries", NULL);
    long long at = mark();
    POST(&helper, DS "/talents", 303, "kind", "skill", "category", "crafts", "title",
         "Чиню табуретки и стулья", "tags", "столярка, табуретка", "visibility", "members");
    assert_int_equal(since_about(at, "talent.match", need), 1);
    assert_int_equal(since_to(at, "talent.match", "dvor-sadovaya-12-3"), 1);
    assert_int_equal(since_to(at, "talent.match", "dvor-sadovaya-12-4"), 0);
    assert_int_equal(since_elsewhere(at), 0);
    client_free(&needy);
    client_free(&helper);
}

/* ---- what is given to me ---- */

static void an_action_given_to_a_member_tells_them_alone(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    long long goal = db_value(&S,
                              "SELECT max(id) FROM goals WHERE community_id ="
                              " (SELECT id FROM communities WHERE slug = ?)",
                              DSS);
    assert_true(goal > 0);
    char g[24], who[24], me[24];
    snprintf(g, sizeof g, "%lld", goal);
    long long at = mark();
    POST(&org, DS "/strategy/actions", 303, "action_goal", g, "action_title", "Покрасить лавки",
         "owner", mid(who, sizeof who, "member"));
    assert_int_equal(since(at, "strategy.action_owner"), 1);
    assert_int_equal(since_to(at, "strategy.action_owner", "member"), 1);
    /* given to oneself: nothing */
    at = mark();
    POST(&org, DS "/strategy/actions", 303, "action_goal", g, "action_title", "Купить краску",
         "owner", mid(me, sizeof me, "organizer"));
    assert_int_equal(mark(), at);
    /* given to another on an edit: they hear; an edit that keeps the owner tells nobody */
    long long act = db_value(&S, "SELECT max(id) FROM actions", NULL);
    char p[160];
    snprintf(p, sizeof p, DS "/strategy/actions/%lld/edit", act);
    POST(&org, p, 303, "action_goal", g, "action_title", "Купить краску", "owner",
         mid(who, sizeof who, "dvor-sadovaya-12-1"));
    assert_int_equal(since_to(at, "strategy.action_owner", "dvor-sadovaya-12-1"), 1);
    assert_int_equal(since_about(at, "strategy.action_owner", act), 1);
    at = mark();
    POST(&org, p, 303, "action_goal", g, "action_title", "Купить краску и кисти", "owner", who);
    assert_int_equal(mark(), at);
    client_free(&org);
}

static void a_task_given_to_a_member_tells_them_alone(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    long long id = db_value(&S,
                            "SELECT max(id) FROM initiatives WHERE stage = 2 AND community_id ="
                            " (SELECT id FROM communities WHERE slug = ?)",
                            DSS);
    assert_true(id > 0);
    char p[160], who[24];
    snprintf(p, sizeof p, DS "/initiatives/%lld/tasks", id);
    long long at = mark();
    POST(&org, p, 303, "task_title", "Договориться с ЖЭС", "task_owner",
         mid(who, sizeof who, "dvor-sadovaya-12-2"), "task_due", "2031-06-01");
    assert_int_equal(since(at, "initiative.task_owner"), 1);
    assert_int_equal(since_to(at, "initiative.task_owner", "dvor-sadovaya-12-2"), 1);
    assert_int_equal(since_about(at, "initiative.task_owner", id), 1);
    /* a task without an owner tells nobody */
    at = mark();
    POST(&org, p, 303, "task_title", "Найти краску", "task_owner", "", "task_due", "");
    assert_int_equal(mark(), at);
    client_free(&org);
}

static void a_comment_tells_the_initiatives_author_but_not_of_their_own(void **state)
{
    (void)state;
    struct client author, other;
    login_as(&author, &S, "dvor-sadovaya-12-6");
    login_as(&other, &S, "member");
    POST(&author, DS "/initiatives", 303, "title", "Велопарковка у подъезда", "problem",
         "Велосипеды в коридоре", "proposal", "Поставить стойку", "direction", "other");
    long long id =
        db_value(&S, "SELECT max(id) FROM initiatives WHERE title = ?", "Велопарковка у подъезда");
    char p[160];
    snprintf(p, sizeof p, DS "/initiatives/%lld/comments", id);
    long long at = mark();
    POST(&other, p, 303, "body", "Поддерживаю, давно пора");
    assert_int_equal(since(at, "initiative.comment"), 1);
    assert_int_equal(since_to(at, "initiative.comment", "dvor-sadovaya-12-6"), 1);
    at = mark();
    POST(&author, p, 303, "body", "Спасибо!");
    assert_int_equal(mark(), at);
    client_free(&author);
    client_free(&other);
}

/* ---- invitations ---- */

static void an_invitation_accepted_tells_the_one_who_made_it(void **state)
{
    (void)state;
    struct client org, newcomer, already;
    login_as(&org, &S, "organizer");
    const char *f[] = {"role", "member", "max_uses", "2", "days", "7", "note", "соседям", NULL};
    struct resp r;
    assert_int_equal(post_pairs(&org, DS "/invite", 1, f, &r), 0);
    assert_int_equal(r.status, 201);
    char link[256];
    snprintf(link, sizeof link, "%s", strstr(jstr(r.json, "created.link"), "/i/"));
    resp_free(&r);
    long long inv = db_value(&S, "SELECT max(id) FROM invitations", NULL);
    /* a member already: nothing spent, nobody told */
    login_as(&already, &S, "member");
    long long at = mark();
    assert_int_equal(post_pairs(&already, link, 0, NULL, &r), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(mark(), at);
    sign_up(&newcomer, &S, "po-priglasheniyu");
    assert_int_equal(post_pairs(&newcomer, link, 0, NULL, &r), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    assert_int_equal(since(at, "community.invite_accepted"), 1);
    assert_int_equal(since_to(at, "community.invite_accepted", "organizer"), 1);
    assert_int_equal(since_about(at, "community.invite_accepted", inv), 1);
    assert_int_equal(since_elsewhere(at), 0);
    client_free(&org);
    client_free(&newcomer);
    client_free(&already);
}

/* ---- events: those registered ---- */

static void an_event_changed_or_cancelled_tells_those_registered(void **state)
{
    (void)state;
    struct client org, a, b;
    login_as(&org, &S, "organizer");
    login_as(&a, &S, "member");
    login_as(&b, &S, "dvor-sadovaya-12-1");
    POST(&org, DS "/events", 303, "kind", "leisure", "title", "Субботник", "description", "Грабли.",
         "start", "2031-04-01T10:00", "end", "2031-04-01T13:00", "place_text", "Во дворе",
         "capacity", "", "audience", "members");
    long long id = db_value(&S, "SELECT max(id) FROM events WHERE title = ?", "Субботник");
    char occ[24];
    snprintf(occ, sizeof occ, "%lld",
             sqlv("SELECT id FROM event_occurrences WHERE event_id = %lld AND seq = 0%.0lld", id, 0,
                  NULL));
    char p[200];
    snprintf(p, sizeof p, DS "/events/%lld/occurrences/%s/register", id, occ);
    POST(&a, p, 303, "x", "1");
    POST(&b, p, 303, "x", "1");
    snprintf(p, sizeof p, DS "/events/%lld/edit", id);
    /* the capacity changed: nothing they need to hear */
    long long at = mark();
    POST(&org, p, 303, "kind", "leisure", "title", "Субботник", "description", "Грабли.", "start",
         "2031-04-01T10:00", "end", "2031-04-01T13:00", "place_text", "Во дворе", "capacity", "30",
         "audience", "members");
    assert_int_equal(mark(), at);
    /* the time changed: both registered, nobody else */
    POST(&org, p, 303, "kind", "leisure", "title", "Субботник", "description", "Грабли.", "start",
         "2031-04-01T11:00", "end", "2031-04-01T14:00", "place_text", "Во дворе", "capacity", "30",
         "audience", "members");
    assert_int_equal(since(at, "meeting.changed"), 2);
    assert_int_equal(since_to(at, "meeting.changed", "member"), 1);
    assert_int_equal(since_to(at, "meeting.changed", "dvor-sadovaya-12-1"), 1);
    assert_int_equal(since_about(at, "meeting.changed", id), 2);
    /* one leaves the community: the cancellation reaches the other only */
    POST(&b, DS "/leave", 303, "x", "1");
    snprintf(p, sizeof p, DS "/events/%lld/cancel", id);
    at = mark();
    POST(&org, p, 303, "reason", "Дождь");
    assert_int_equal(since(at, "meeting.cancelled"), 1);
    assert_int_equal(since_to(at, "meeting.cancelled", "member"), 1);
    assert_int_equal(since_elsewhere(at), 0);
    client_free(&org);
    client_free(&a);
    client_free(&b);
}

/* ---- the scheduled pass in a secret community ---- */

/* Whether the bytes of the file at path hold text. */
static int file_has(const char *path, const char *text)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t cap = 1 << 20, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *g = realloc(buf, cap *= 2);
            if (!g) break;
            buf = g;
        }
    }
    fclose(f);
    int found = buf && memmem(buf, n, text, strlen(text)) != NULL;
    free(buf);
    return found;
}

static void wait_for(const char *sql, const char *param, long long want)
{
    for (int i = 0; i < 100 && db_value(&S, sql, param) != want; i++)
        usleep(100 * 1000);
    assert_int_equal(db_value(&S, sql, param), want);
}

static void the_pass_tells_a_secret_communitys_members_in_no_clear_text(void **state)
{
    (void)state;
    struct client org, m;
    login_as(&org, &S, "organizer");
    login_as(&m, &S, "member");
    char oslug[128], mslug[128], p[300];
    secret_slug(&org, oslug, sizeof oslug);
    secret_slug(&m, mslug, sizeof mslug);
    long long mtv = member_id_in(&m, "tiho-vmeste");
    long long tv = db_value(&S, "SELECT community_id FROM members WHERE id = ?",
                            (snprintf(p, sizeof p, "%lld", mtv), p));
    assert_true(mtv > 0 && tv > 0);
    /* A vote closing in twelve hours, and an event the member registered
     * for starting in six. */
    snprintf(p, sizeof p, "/c/%s/strategy/values", oslug);
    POST(&org, p, 303, "title", "Сбор у водонапорной башни");
    long long value = db_value(&S, "SELECT max(id) FROM shared_values", NULL);
    snprintf(p, sizeof p, "/c/%s/events", oslug);
    POST(&org, p, 303, "kind", "leisure", "title", "Чаепитие в котельной", "description",
         "Самоварище и баранки.", "start", "2031-04-01T10:00", "end", "2031-04-01T13:00",
         "place_text", "Подвал", "capacity", "", "audience", "members");
    long long event = db_value(&S, "SELECT max(id) FROM events", NULL);
    char occ[24], sql[300];
    snprintf(occ, sizeof occ, "%lld",
             sqlv("SELECT id FROM event_occurrences WHERE event_id = %lld AND seq = 0%.0lld", event,
                  0, NULL));
    snprintf(p, sizeof p, "/c/%s/events/%lld/occurrences/%s/register", mslug, event, occ);
    POST(&m, p, 303, "x", "1");
    snprintf(sql, sizeof sql,
             "UPDATE shared_values SET closes_at = unixepoch() + 43200 WHERE id = %lld", value);
    assert_int_equal(db_run(&S, sql, NULL), 0);
    snprintf(sql, sizeof sql,
             "UPDATE event_occurrences SET starts_at = unixepoch() + 21600,"
             " ends_at = unixepoch() + 25200 WHERE event_id = %lld",
             event);
    assert_int_equal(db_run(&S, sql, NULL), 0);
    /* The pass, due now. */
    long long at = mark();
    assert_int_equal(db_run(&S, "UPDATE jobs SET run_after = 0 WHERE key = ?", "notify.pass"), 0);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM notifications WHERE id > %lld AND community_id = %lld"
             " AND kind = ?",
             at, tv);
    long long members =
        sqlv("SELECT count(*) FROM members WHERE community_id = %lld%.0lld", tv, 0, NULL);
    wait_for(sql, "strategy.closing", members); /* every member, the proposer too */
    wait_for(sql, "meeting.tomorrow", 1);       /* the one registered */
    assert_int_equal(sqlv("SELECT count(*) FROM notifications WHERE id > %lld AND member_id = %lld"
                          " AND kind = ?",
                          at, mtv, "meeting.tomorrow"),
                     1);
    /* Unchecked until a member's own request, which holds their keys. */
    assert_true(sqlv("SELECT count(*) FROM notifications WHERE id > %lld AND member_id = %lld"
                     " AND unchecked = 1%.0lld",
                     at, mtv, NULL) == 2);
    /* The rows: a kind and ids, no text of the community; the file and its
     * WAL hold neither the titles nor the names in clear. */
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM pragma_table_info('notifications')"
                              " WHERE type = ? AND name <> 'kind'",
                              "TEXT"),
                     0);
    assert_int_equal(sqlv("SELECT count(*) FROM notifications WHERE id > %lld AND community_id ="
                          " %lld AND kind NOT IN ('strategy.closing', 'meeting.tomorrow')",
                          at, tv, NULL),
                     0);
    char wal[320];
    snprintf(wal, sizeof wal, "%s-wal", S.db);
    /* (The community's own name and address were written in clear by the
     * demo before it was sealed; the sealing tests look after those.) */
    const char *clear[] = {"водонапорной", "котельной", "Самоварище", NULL};
    for (const char **c = clear; *c; c++)
        if (file_has(S.db, *c) || file_has(wal, *c)) fail_msg("\"%s\" is on the disk in clear", *c);
    /* The member sees them: the header counts them, the inbox names the
     * community, unsealed with their key, and the kind's line. */
    char *html = get_html(&m, "/account");
    const char *nav = strstr(html, "href=\"/inbox\"");
    assert_non_null(nav);
    const char *count = strstr(nav, "class=\"count\"");
    assert_true(count && count - nav < 200);
    free(html);
    assert_true(sqlv("SELECT count(*) FROM notifications WHERE id > %lld AND member_id = %lld"
                     " AND unchecked = 1%.0lld",
                     at, mtv, NULL) == 0);
    html = get_html(&m, "/inbox");
    assert_non_null(strstr(html, "Тихо вместе"));
    assert_null(strstr(html, "водонапорной"));
    free(html);
    client_free(&org);
    client_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_shared_value_put_to_the_vote_tells_every_member_but_its_proposer),
        cmocka_unit_test(a_manifesto_version_to_the_vote_tells_the_members_a_plain_save_nobody),
        cmocka_unit_test(a_secret_communitys_notice_names_nothing_sealed),
        cmocka_unit_test(a_date_poll_tells_every_member_but_its_author),
        cmocka_unit_test(a_budgets_voting_phase_tells_every_member),
        cmocka_unit_test(a_wave_opened_today_tells_every_member),
        cmocka_unit_test(a_wave_opening_later_tells_nobody_yet),
        cmocka_unit_test(a_members_survey_published_tells_every_member_a_link_survey_nobody),
        cmocka_unit_test(a_help_request_tells_the_owner_and_its_answer_the_asker),
        cmocka_unit_test(a_new_match_tells_the_needs_owner_once),
        cmocka_unit_test(an_action_given_to_a_member_tells_them_alone),
        cmocka_unit_test(a_task_given_to_a_member_tells_them_alone),
        cmocka_unit_test(a_comment_tells_the_initiatives_author_but_not_of_their_own),
        cmocka_unit_test(an_invitation_accepted_tells_the_one_who_made_it),
        cmocka_unit_test(an_event_changed_or_cancelled_tells_those_registered),
        cmocka_unit_test(the_pass_tells_a_secret_communitys_members_in_no_clear_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
