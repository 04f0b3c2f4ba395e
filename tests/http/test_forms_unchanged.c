/*
 * Every edit form of a stored object, submitted unchanged, changes nothing
 * (issue 10, item 4).
 *
 * The world: the demo, plus objects of the public community
 * dvor-sadovaya-12 whose stored values are not a form's first choice (an
 * action in each status with an owner, a tactical goal, a canvas entry on
 * the identity level, a rule protecting a value, a value nobody voted on,
 * a draft survey with questions of every kind, a talent entry of the
 * organizer's that is a need for organizers only, a facilitator, the
 * soc and strategy settings changed from their defaults); and a plain
 * member's own talent entry, shared value and personal value.
 *
 * Every GET route of the server is requested as the organizer, as a plain
 * member ("member", owner of the actions) and, for /admin, as the
 * administrator, its parameters filled with those objects (a route the
 * test cannot fill fails it, naming the route). On each HTML page, every
 * form whose action is a POST route of EDIT_POSTS[] is submitted as a
 * browser would submit it untouched (form_fields_parse: inputs with their
 * value, checked boxes and radios, each select's selected option, the
 * first when none is marked, textareas; plus the first named submit
 * button), and the database is compared before and after: every row of
 * every table, column by column. Left out: sessions and their keys (any
 * request may touch a session's times, or keep its copy of the opened
 * keyring; no form edits one) and the full-text index of
 * the talent bank (derived from talent_entries, which is compared). No
 * column is ignored. An unchanged submission must also be accepted (303).
 *
 * A POST route is either in EDIT_POSTS[] or in NOT_EDITS[] (a new route
 * fails the test until it is put in one), and every GET route ending in
 * /edit must have shown at least one edit form.
 *
 * What today's code gets wrong is in known_defects[]: those cases are
 * expected to fail, and each must still fail (a fixed case must leave the
 * list, so that it cannot go stale). A case that changed the database is
 * put back from the copy taken before it, so that it does not hide others.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/areas.h"
#include "lib/httpx.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* ---- what today's code gets wrong (to be emptied as the areas move) ---- */

static const struct defect {
    const char *page, *action; /* route patterns */
    const char *who;           /* "organizer", "member" or "admin" */
    const char *what, *issue;
} known_defects[] = {
    {NULL, NULL, NULL, NULL, NULL},
};
enum { NDEFECTS = sizeof known_defects / sizeof known_defects[0] - 1 };

/* POST routes whose forms edit a stored object. */
static const char *const EDIT_POSTS[] = {
    "/account",
    "/account/sessions/{id:int}",
    "/admin/settings",
    "/admin/accounts/{handle}",
    "/c/{slug}/edit",
    "/c/{slug}/members/{id:int}/role",
    "/c/{slug}/soc/settings",
    "/c/{slug}/strategy/actions/{id:int}/edit",
    "/c/{slug}/strategy/actions/{id:int}/status",
    "/c/{slug}/strategy/dilts/{id:int}/edit",
    "/c/{slug}/strategy/goals/{id:int}/edit",
    "/c/{slug}/strategy/goals/{id:int}/parent",
    "/c/{slug}/strategy/rules/{id:int}/edit",
    "/c/{slug}/strategy/settings",
    "/c/{slug}/strategy/text/{kind}",
    "/c/{slug}/strategy/values/{id:int}/edit",
    "/c/{slug}/surveys/{id:int}/edit",
    "/c/{slug}/surveys/{id:int}/questions/{qid:int}/edit",
    "/c/{slug}/talents/{id:int}/edit",
    "/c/{slug}/initiatives/{id:int}/edit",
    "/c/{slug}/initiatives/settings",
    "/c/{slug}/initiatives/{id:int}/coordinator",
    "/c/{slug}/initiatives/{id:int}/analysis",
    "/c/{slug}/initiatives/{id:int}/design",
    "/c/{slug}/initiatives/{id:int}/evaluation",
    "/c/{slug}/initiatives/{id:int}/tasks/{task:int}/status",
    "/c/{slug}/initiatives/{id:int}/indicators/{indicator:int}/after",
    "/c/{slug}/initiatives/{id:int}/funds/sources/{source:int}", /* a grant's status */
    "/c/{slug}/events/{id:int}/edit",
    "/c/{slug}/events/{id:int}/assembly", /* its settings, once it exists */
    "/c/{slug}/events/{id:int}/assembly/items/{item:int}",
    "/c/{slug}/events/{id:int}/assembly/minutes",                         /* the secretary's text */
    "/c/{slug}/events/{id:int}/assembly/hearing/comments/{c:int}/answer", /* its one answer */
    "/c/{slug}/events/{id:int}/assembly/hearing/final",                   /* the document's text */
    "/c/{slug}/events/decisions/{id:int}",
    "/c/{slug}/events/settings",
    "/c/{slug}/notifications",
    "/c/{slug}/events/{id:int}/occurrences/{occ:int}/attendance",
    "/c/{slug}/events/{id:int}/occurrences/{occ:int}/edit",
    "/c/{slug}/budgets/{id:int}/edit",
    "/c/{slug}/budgets/{id:int}/projects/{project:int}/edit",
    "/c/{slug}/budgets/{id:int}/projects/{project:int}/review",
    "/c/{slug}/partners/{id:int}/edit",
    "/c/{slug}/partners/{id:int}/log/{eid:int}/edit",
    NULL,
};

/* POST routes that create, delete, vote, answer, move or end something:
 * no edit of a stored object, not submitted. */
static const char *const NOT_EDITS[] = {
    "/c/{slug}/partners",                                    /* adds a partner */
    "/c/{slug}/partners/{id:int}/delete",                    /* deletes it */
    "/c/{slug}/partners/{id:int}/contacts",                  /* adds a contact person */
    "/c/{slug}/partners/{id:int}/log",                       /* adds to the log */
    "/c/{slug}/partners/{id:int}/contacts/{cid:int}/delete", /* removes one */
    "/c/{slug}/requests",                                    /* a resident asks */
    "/c/{slug}/requests/readers",                            /* a switch: names, unnames */
    "/c/{slug}/requests/{id:int}/triage", /* each a line of the request's history */
    "/c/{slug}/requests/{id:int}/answer", /* answers the resident */
    "/c/{slug}/members/keys",
    "/inbox/{id:int}/open", /* opens a notice: marks it read */
    "/c/{slug}/inbox/read", /* marks a community's notices read */
    "/inbox/mail/remove",   /* removes the person's e-mail address */
    "/inbox/mail",          /* gives an address: the demo stores none */
    "/c/{slug}/address",    /* a change of address, confirmed by typing the present one */
    "/login",
    "/logout",
    "/lang", /* a switch: its one button picks the other language */
    "/signup",
    "/account/password",
    "/account/second-factor/start",
    "/account/second-factor/confirm",
    "/account/second-factor/recovery",
    "/account/second-factor/off",
    "/account/sessions/{id:int}/end",
    "/account/sessions/others/end",
    "/account/delete",
    "/login/code",
    "/c",
    "/c/{slug}/delete",
    "/c/{slug}/invite",
    "/c/{slug}/invite/{id:int}/revoke",
    "/c/{slug}/join",
    "/c/{slug}/leave",
    "/c/{slug}/members/requests/{id:int}/approve",
    "/c/{slug}/members/requests/{id:int}/decline",
    "/c/{slug}/members/{id:int}/remove",
    "/i/{token}",
    "/c/{slug}/soc/waves",
    "/c/{slug}/soc/waves/{id:int}/answer",
    "/c/{slug}/soc/waves/{id:int}/close",
    "/c/{slug}/strategy/actions",
    "/c/{slug}/strategy/actions/{id:int}/delete",
    "/c/{slug}/strategy/actions/{id:int}/pledge",
    "/c/{slug}/strategy/actions/{id:int}/pledge/withdraw",
    "/c/{slug}/strategy/dilts",
    "/c/{slug}/strategy/dilts/{id:int}/delete",
    "/c/{slug}/strategy/goals",
    "/c/{slug}/strategy/goals/{id:int}/delete",
    "/c/{slug}/strategy/mine",
    "/c/{slug}/strategy/mine/{id:int}/delete",
    "/c/{slug}/strategy/rules",
    "/c/{slug}/strategy/rules/{id:int}/delete",
    "/c/{slug}/strategy/text/{kind}/{id:int}/close",
    "/c/{slug}/strategy/text/{kind}/{id:int}/vote",
    "/c/{slug}/strategy/values",
    "/c/{slug}/strategy/values/{id:int}/close",
    "/c/{slug}/strategy/values/{id:int}/delete",
    "/c/{slug}/strategy/values/{id:int}/vote",
    "/c/{slug}/surveys",
    "/c/{slug}/surveys/{id:int}/answer",
    "/c/{slug}/surveys/{id:int}/close",
    "/c/{slug}/surveys/{id:int}/copy",
    "/c/{slug}/surveys/{id:int}/delete",
    "/c/{slug}/surveys/{id:int}/publish",
    "/c/{slug}/surveys/{id:int}/questions",
    "/c/{slug}/surveys/{id:int}/questions/{qid:int}/delete",
    "/c/{slug}/surveys/{id:int}/questions/{qid:int}/down",
    "/c/{slug}/surveys/{id:int}/questions/{qid:int}/up",
    "/c/{slug}/surveys/{id:int}/s/{token}",
    "/c/{slug}/talents",
    "/c/{slug}/talents/clubs/{cid:int}/close",
    "/c/{slug}/talents/clubs/{cid:int}/join",
    "/c/{slug}/talents/clubs/{cid:int}/leave",
    "/c/{slug}/talents/requests/{rid:int}/accept",
    "/c/{slug}/talents/requests/{rid:int}/cancel",
    "/c/{slug}/talents/requests/{rid:int}/decline",
    "/c/{slug}/talents/requests/{rid:int}/done",
    "/c/{slug}/talents/{id:int}/ask",
    "/c/{slug}/talents/{id:int}/club",
    "/c/{slug}/talents/{id:int}/delete",
    "/c/{slug}/talents/{id:int}/hide",
    "/c/{slug}/initiatives",
    "/c/{slug}/initiatives/{id:int}/support",
    "/c/{slug}/initiatives/{id:int}/withdraw",
    "/c/{slug}/initiatives/{id:int}/comments",
    "/c/{slug}/initiatives/{id:int}/comments/{comment:int}/hide",
    "/c/{slug}/initiatives/{id:int}/accept",
    "/c/{slug}/initiatives/{id:int}/decline",
    "/c/{slug}/initiatives/{id:int}/merge",
    "/c/{slug}/initiatives/{id:int}/move",
    "/c/{slug}/initiatives/{id:int}/back",
    "/c/{slug}/initiatives/{id:int}/evidence",
    "/c/{slug}/initiatives/{id:int}/stakeholders",
    "/c/{slug}/initiatives/{id:int}/indicators",
    "/c/{slug}/initiatives/{id:int}/tasks",
    "/c/{slug}/initiatives/{id:int}/team",
    "/c/{slug}/initiatives/{id:int}/budget",
    "/c/{slug}/initiatives/{id:int}/remove",
    "/c/{slug}/initiatives/{id:int}/reports",
    "/c/{slug}/initiatives/{id:int}/spending",
    "/c/{slug}/initiatives/{id:int}/photos", /* adds a photo */
    "/c/{slug}/initiatives/{id:int}/photos/{photo:int}/remove",
    "/c/{slug}/initiatives/{id:int}/funds/pledges",
    "/c/{slug}/initiatives/{id:int}/funds/pledges/{pledge:int}/withdraw",
    "/c/{slug}/initiatives/{id:int}/funds/pledges/{pledge:int}/fulfil",
    "/c/{slug}/initiatives/{id:int}/funds/sources",
    "/c/{slug}/initiatives/{id:int}/funds/income",
    "/c/{slug}/initiatives/{id:int}/funds/spending",
    "/c/{slug}/initiatives/{id:int}/funds/treasurers",
    "/c/{slug}/initiatives/{id:int}/funds/treasurers/remove",
    "/c/{slug}/events",
    "/c/{slug}/events/{id:int}/cancel",
    "/c/{slug}/events/{id:int}/occurrences/{occ:int}/register",
    "/c/{slug}/events/{id:int}/occurrences/{occ:int}/unregister",
    "/c/{slug}/events/{id:int}/occurrences/{occ:int}/cancel",
    "/c/{slug}/events/my-feed", /* a new address each time */
    "/c/{slug}/events/my-feed/revoke",
    "/c/{slug}/events/polls",
    "/c/{slug}/events/polls/{id:int}/answer",
    "/c/{slug}/events/polls/{id:int}/close",
    "/c/{slug}/events/{id:int}/assembly/state",
    "/c/{slug}/events/{id:int}/assembly/join",
    "/c/{slug}/events/{id:int}/assembly/presence",
    "/c/{slug}/events/{id:int}/assembly/items",
    "/c/{slug}/events/{id:int}/assembly/items/{item:int}/move",
    "/c/{slug}/events/{id:int}/assembly/items/{item:int}/proposals",
    "/c/{slug}/events/{id:int}/assembly/proposals/{p:int}/open",
    "/c/{slug}/events/{id:int}/assembly/proposals/{p:int}/vote",
    "/c/{slug}/events/{id:int}/assembly/proposals/{p:int}/close",
    "/c/{slug}/events/{id:int}/assembly/items/{item:int}/decisions",
    "/c/{slug}/events/{id:int}/assembly/minutes/draft",    /* drafts from the record anew */
    "/c/{slug}/events/{id:int}/assembly/minutes/approve",  /* freezes them */
    "/c/{slug}/events/{id:int}/assembly/hearing/comments", /* a new comment */
    "/c/{slug}/events/{id:int}/assembly/hearing/comments/{c:int}/hide", /* hides it */
    "/c/{slug}/events/{id:int}/assembly/hearing/link",                  /* a new token */
    "/c/{slug}/events/{id:int}/assembly/hearing/link/off",              /* revokes it */
    "/c/{slug}/events/{id:int}/h/{token}/comments",                     /* a resident's comment */
    "/c/{slug}/events/{id:int}/assembly/hearing/final/draft",           /* drafts it anew */
    "/c/{slug}/events/{id:int}/assembly/hearing/final/publish",         /* freezes it */
    "/c/{slug}/budgets",
    "/c/{slug}/budgets/{id:int}/next",
    "/c/{slug}/budgets/{id:int}/projects",
    "/c/{slug}/budgets/{id:int}/vote",
    NULL,
};

/* Tables left out of the comparison (see above). */
static const char *const UNCOMPARED[] = {"sessions", "session_keys", NULL};

#define DV "/c/dvor-sadovaya-12"

static struct srv S;
static struct client ORG, ADM, MEM;
static char SNAP[400];

/* the objects the path parameters name */
struct world {
    long long action, goal, dilts, rule, mine, value, survey, question, entry, club, wave, invite,
        member, initiative, comment, event, occurrence, poll, budget, project, partner, plog,
        request, task;
    char token[128];
};
/* the organizer's objects, and the same world with a plain member's own
 * entry, values and personal value */
static struct world W, WM;

static int in(const char *const *list, const char *s)
{
    for (int i = 0; list[i]; i++)
        if (!strcmp(list[i], s)) return 1;
    return 0;
}

/* The POST route pattern that path is an instance of, or NULL. */
static const char *post_route(const char *path)
{
    const struct route *rt;
    for (size_t ri = 0; (rt = areas_route(ri, NULL)) != NULL; ri++)
        if (!strcmp(rt->method, "POST") && route_matches(rt->pattern, path)) return rt->pattern;
    return NULL;
}

/* ---- the database, before and after ---- */

static sqlite3 *open_db(int rw)
{
    sqlite3 *db = NULL;
    assert_int_equal(
        sqlite3_open_v2(S.db, &db, rw ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY, NULL),
        SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    return db;
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) fail_msg("%s: %s", sql, err);
}

/* A consistent copy of the database as the server committed it. */
static void snapshot(void)
{
    unlink(SNAP);
    sqlite3 *db = open_db(0);
    char sql[500];
    snprintf(sql, sizeof sql, "VACUUM INTO '%s'", SNAP);
    exec(db, sql);
    sqlite3_close(db);
}

/* The compared tables of the database, one name a row. */
static int tables(sqlite3 *db, char names[][64], int max)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT name FROM main.sqlite_master WHERE type = 'table'"
                                        " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE "
                                        "'talent_fts%' ORDER BY name",
                                        -1, &st, NULL),
                     SQLITE_OK);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < max) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (!in(UNCOMPARED, t)) snprintf(names[n++], 64, "%s", t);
    }
    sqlite3_finalize(st);
    return n;
}

/* Prints the rows of a that are not in b (at most five); their number. */
static int rows_not_in(sqlite3 *db, const char *t, const char *a, const char *b, const char *sign)
{
    char sql[400];
    snprintf(sql, sizeof sql, "SELECT * FROM %s.\"%s\" EXCEPT SELECT * FROM %s.\"%s\"", a, t, b, t);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n++ >= 5) continue;
        fprintf(stderr, "      %s %s:", sign, t);
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const char *v = (const char *)sqlite3_column_text(st, c);
            int len = v ? (int)strlen(v) : 4;
            if (len > 80) /* cut on a character's first byte */
                for (len = 80; (v[len] & 0xC0) == 0x80; len--)
                    ;
            fprintf(stderr, " %s=%.*s", sqlite3_column_name(st, c), len, v ? v : "NULL");
        }
        fprintf(stderr, "\n");
    }
    sqlite3_finalize(st);
    return n;
}

/* Compares the database with the snapshot; when they differ, prints how
 * and puts the changed tables back. The number of rows that differ. */
static int compare_and_restore(void)
{
    sqlite3 *db = open_db(1);
    char sql[600];
    snprintf(sql, sizeof sql, "ATTACH '%s' AS snap", SNAP);
    exec(db, sql);
    static char names[100][64];
    int nt = tables(db, names, 100), changed = 0;
    for (int i = 0; i < nt; i++) {
        int d = rows_not_in(db, names[i], "snap", "main", "-") +
                rows_not_in(db, names[i], "main", "snap", "+");
        if (!d) continue;
        changed += d;
        /* back as it was, rows and ids alike (no cascades: foreign keys
         * are off on this connection) */
        exec(db, "BEGIN IMMEDIATE");
        snprintf(sql, sizeof sql,
                 "DELETE FROM main.\"%s\"; INSERT INTO main.\"%s\" SELECT * FROM snap.\"%s\"",
                 names[i], names[i], names[i]);
        exec(db, sql);
        exec(db, "COMMIT");
    }
    exec(db, "DETACH snap");
    sqlite3_close(db);
    return changed;
}

/* ---- the world ---- */

static long long q1(const char *sql, const char *param)
{
    long long v = db_value(&S, sql, param);
    if (v <= 0) fail_msg("no row: %s (%s)", sql, param ? param : "");
    return v;
}

static void build(void)
{
    char path[256], ids[32], ids2[32];
    /* actions in every state, owned; the first one is the parameter */
    long long strategic = q1("SELECT min(g.id) FROM goals g JOIN communities c ON c.id ="
                             " g.community_id WHERE c.slug = ? AND g.parent_id IS NULL",
                             "dvor-sadovaya-12");
    snprintf(ids, sizeof ids, "%lld", strategic);
    POST(&ORG, DV "/strategy/goals", 303, "goal_title", "Тактическая цель для проверки форм",
         "goal_parent", ids);
    W.goal = q1("SELECT max(id) FROM goals WHERE title = ?", "Тактическая цель для проверки форм");
    snprintf(ids2, sizeof ids2, "%lld", W.goal);
    static const char *const STATES[] = {"in_progress", "done", "dropped"};
    char owner[24]; /* an action's owner is chosen by member id */
    snprintf(owner, sizeof owner, "%lld", member_id_of(&S, "dvor-sadovaya-12", "member"));
    for (int i = 0; i < 3; i++) {
        char title[80];
        snprintf(title, sizeof title, "Действие для проверки форм %d", i);
        POST(&ORG, DV "/strategy/actions", 303, "action_goal", ids2, "action_title", title, "owner",
             owner, "due", "2031-05-01", "hours", "3", "money", "10", "currency", "BYN", "people",
             "2", "skills", "умение");
        long long a = q1("SELECT max(id) FROM actions WHERE title = ?", title);
        if (!i) W.action = a;
        snprintf(path, sizeof path, DV "/strategy/actions/%lld/status", a);
        POST(&ORG, path, 303, "status", STATES[i], "progress", "40");
    }
    POST(&ORG, DV "/strategy/dilts", 303, "level", "identity", "entry", "Мы соседи, а не жильцы");
    W.dilts = q1("SELECT max(id) FROM dilts_entries WHERE text = ?", "Мы соседи, а не жильцы");
    POST(&ORG, DV "/strategy/values", 303, "title", "Ценность без голосов", "description",
         "Описание ценности");
    W.value = q1("SELECT max(id) FROM shared_values WHERE title = ?", "Ценность без голосов");
    POST(&ORG, DV "/strategy/mine", 303, "kind", "value", "text", "Моя ценность для проверки",
         "shared_with", "members");
    W.mine = q1("SELECT max(id) FROM personal_values WHERE text = ?", "Моя ценность для проверки");
    snprintf(ids, sizeof ids, "%lld", W.value);
    POST(&ORG, DV "/strategy/rules", 303, "rule_text", "Правило для проверки форм", "protects",
         ids);
    W.rule = q1("SELECT max(id) FROM rules WHERE text = ?", "Правило для проверки форм");
    POST(&ORG, DV "/strategy/settings", 303, "vote_days", "9", "majority_pct", "60", "quorum_pct",
         "30");
    POST(&ORG, DV "/soc/settings", 303, "k", "7", "share", "1");
    W.member = member_id_of(&S, "dvor-sadovaya-12", "dvor-sadovaya-12-3");
    snprintf(path, sizeof path, DV "/members/%lld/role", W.member);
    POST(&ORG, path, 303, "role", "facilitator");

    /* a draft survey with questions of every kind */
    POST(&ORG, DV "/surveys", 303, "template", "blank");
    W.survey = q1("SELECT max(id) FROM surveys WHERE community_id = (SELECT id FROM communities"
                  " WHERE slug = ?)",
                  "dvor-sadovaya-12");
    snprintf(path, sizeof path, DV "/surveys/%lld/edit", W.survey);
    POST(&ORG, path, 303, "title", "Опрос для проверки форм", "intro", "Вступление", "audience",
         "link", "anonymous", "0", "opens_on", "2030-01-01", "closes_on", "2030-02-01");
    snprintf(path, sizeof path, DV "/surveys/%lld/questions", W.survey);
    POST(&ORG, path, 303, "kind", "scale10", "text", "Шкала", "low_label", "плохо", "high_label",
         "хорошо", "required", "1");
    W.question = q1("SELECT max(id) FROM survey_questions WHERE text = ?", "Шкала");
    POST(&ORG, path, 303, "kind", "multi", "text", "Несколько", "options", "один\nдва\nтри",
         "other", "1");
    POST(&ORG, path, 303, "kind", "single", "text", "Один", "options", "да\nнет");
    POST(&ORG, path, 303, "kind", "long", "text", "Текст");

    /* the organizer's own talent entry, nothing of it the first choice */
    POST(&ORG, DV "/talents", 303, "kind", "need", "category", "repairs", "title",
         "Нужна помощь с проверкой форм", "body", "Подробно", "tags", "формы, проверка",
         "availability", "weekends", "visibility", "organizers");
    W.entry =
        q1("SELECT max(id) FROM talent_entries WHERE title = ?", "Нужна помощь с проверкой форм");
    W.club = db_value(&S, "SELECT max(id) FROM talent_clubs", NULL);
    W.wave = db_value(&S, "SELECT max(id) FROM soc_waves", NULL);
    W.invite = db_value(&S, "SELECT max(id) FROM invitations", NULL);
    struct resp r;
    const char *inv[] = {"role", "member", "max_uses", "5", "days", "7", NULL};
    assert_int_equal(post_pairs(&ORG, DV "/invite", 1, inv, &r), 0);
    const char *link = jstr(r.json, "created.link");
    assert_non_null(link);
    snprintf(W.token, sizeof W.token, "%s", strstr(link, "/i/") + 3);
    resp_free(&r);

    /* a plain member's own objects */
    WM = W;
    POST(&MEM, DV "/talents", 303, "kind", "hobby", "category", "games", "title",
         "Играю в го по вечерам", "tags", "го, игры", "availability", "evenings", "visibility",
         "public");
    WM.entry = q1("SELECT max(id) FROM talent_entries WHERE title = ?", "Играю в го по вечерам");
    POST(&MEM, DV "/strategy/values", 303, "title", "Ценность участника", "description",
         "Её предложил участник");
    WM.value = q1("SELECT max(id) FROM shared_values WHERE title = ?", "Ценность участника");
    POST(&MEM, DV "/strategy/mine", 303, "kind", "goal", "text", "Моё желание для проверки",
         "shared_with", "organizers");
    WM.mine = q1("SELECT max(id) FROM personal_values WHERE text = ?", "Моё желание для проверки");

    /* initiatives: the organizer's, with a place, a goal and a direction
     * that is not the first; the member's own; a comment; a threshold
     * that is not the default */
    char place[32], goal[32];
    snprintf(place, sizeof place, "%lld",
             q1("SELECT territory_id FROM communities WHERE slug = ?", "dvor-sadovaya-12"));
    snprintf(goal, sizeof goal, "%lld",
             q1("SELECT min(g.id) FROM goals g JOIN communities c ON c.id = g.community_id"
                " WHERE c.slug = ? AND g.parent_id IS NULL",
                "dvor-sadovaya-12"));
    POST(&ORG, DV "/initiatives", 303, "title", "Инициатива для проверки форм", "problem",
         "Проблема", "proposal", "Предложение", "direction", "clubs", "place", place, "place_text",
         "у подъезда", "goal", goal);
    W.initiative =
        q1("SELECT max(id) FROM initiatives WHERE title = ?", "Инициатива для проверки форм");
    snprintf(path, sizeof path, DV "/initiatives/%lld/comments", W.initiative);
    POST(&MEM, path, 303, "body", "Комментарий для проверки форм");
    W.comment = q1("SELECT max(id) FROM initiative_comments WHERE body = ?",
                   "Комментарий для проверки форм");
    /* the organizer's initiative taken into work and carried to its
     * evaluation, the member its coordinator: every stage's forms show */
    char ip[128], memid[32];
    snprintf(memid, sizeof memid, "%lld", member_id_of(&S, "dvor-sadovaya-12", "member"));
    snprintf(ip, sizeof ip, DV "/initiatives/%lld", W.initiative);
    const struct {
        const char *what, *pairs[12];
    } steps[] = {
        {"/accept", {"x", "1", NULL}},
        {"/coordinator", {"coordinator", memid, NULL}},
        {"/analysis", {"analysis", "Подробно о проблеме", "affected", "Жильцы подъезда", NULL}},
        {"/stakeholders", {"stakeholder_name", "ЖЭС", NULL}},
        {"/move", {"stage", "1", NULL}},
        {"/design", {"goal", "Цель", "result", "Результат", "risks", "Риски", NULL}},
        {"/tasks",
         {"task_title", "Задача в работе", "task_owner", memid, "task_due", "2030-01-01", NULL}},
        {"/tasks",
         {"task_title", "Задача сделана", "task_owner", memid, "task_due", "2030-01-02", NULL}},
        {"/indicators",
         {"indicator_name", "Измерено", "indicator_now", "1", "indicator_target", "5", NULL}},
        {"/indicators",
         {"indicator_name", "Не измерено", "indicator_now", "0", "indicator_target", "2", NULL}},
        {"/budget", {"line_name", "Краска", "line_amount", "100", NULL}},
        {"/move", {"stage", "2", NULL}},
        {"/reports", {"report_body", "Отчёт", NULL}},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        snprintf(path, sizeof path, "%s%s", ip, steps[i].what);
        assert_int_equal(post_status(&ORG, path, 0, steps[i].pairs), 303);
    }
    W.task = q1("SELECT id FROM initiative_tasks WHERE title = ?", "Задача в работе");
    snprintf(path, sizeof path, "%s/tasks/%lld/status", ip, W.task);
    POST(&ORG, path, 303, "status", "in_progress", "progress", "40");
    snprintf(path, sizeof path, "%s/tasks/%lld/status", ip,
             q1("SELECT id FROM initiative_tasks WHERE title = ?", "Задача сделана"));
    POST(&ORG, path, 303, "status", "done", "progress", "100");
    snprintf(path, sizeof path, "%s/move", ip);
    POST(&ORG, path, 409, "stage", "3"); /* one task is not done */
    /* at the evaluation with a task still in progress, which the
     * interface's gate would not let it be: a task's form of each status */
    char idbuf[32];
    snprintf(idbuf, sizeof idbuf, "%lld", W.initiative);
    assert_int_equal(
        db_run(&S, "UPDATE initiatives SET stage = 4 WHERE id = CAST(? AS INTEGER)", idbuf), 0);
    snprintf(path, sizeof path, "%s/indicators/%lld/after", ip,
             q1("SELECT id FROM initiative_indicators WHERE name = ?", "Измерено"));
    POST(&ORG, path, 303, "value_after", "4");
    snprintf(path, sizeof path, "%s/evaluation", ip);
    POST(&ORG, path, 303, "done_text", "Сделано", "learned", "", "consequences", "");
    /* a grant whose status is not the form's first, with an amount
     * granted: its row form is an edit */
    snprintf(path, sizeof path, "%s/funds/sources", ip);
    POST(&ORG, path, 303, "source_kind", "grant", "source_name", "Фонд для проверки форм",
         "source_amount", "12000", "source_status", "granted", "source_granted", "1 234,50");
    POST(&ORG, DV "/initiatives/settings", 303, "threshold", "7");
    POST(&MEM, DV "/initiatives", 303, "title", "Идея участника для проверки форм", "problem",
         "Её проблема", "proposal", "Её предложение", "direction", "help");
    WM.initiative =
        q1("SELECT max(id) FROM initiatives WHERE title = ?", "Идея участника для проверки форм");
    WM.comment = W.comment;

    /* events: the organizer's, with a place, a capacity, a kind that is
     * not the first and for everyone; a member registered and marked as
     * having come */
    POST(&ORG, DV "/events", 303, "kind", "club", "title", "Событие для проверки форм",
         "description", "Описание", "start", "2030-06-01T18:00", "end", "2030-06-01T20:00", "place",
         place, "place_text", "во дворе", "online_url", "https://example.org/room", "capacity",
         "12", "audience", "everyone", "repeat", "weekly", "every", "2", "count", "3");
    W.event = q1("SELECT max(id) FROM events WHERE title = ?", "Событие для проверки форм");
    char ev[32];
    snprintf(ev, sizeof ev, "%lld", W.event);
    W.occurrence = q1("SELECT id FROM event_occurrences WHERE event_id = CAST(? AS INTEGER)"
                      " AND seq = 0",
                      ev);
    snprintf(path, sizeof path, DV "/events/%lld/occurrences/%lld/register", W.event, W.occurrence);
    POST(&MEM, path, 303, "x", "1");
    char mem[32];
    snprintf(mem, sizeof mem, "%lld", member_id_of(&S, "dvor-sadovaya-12", "member"));
    snprintf(path, sizeof path, DV "/events/%lld/occurrences/%lld/attendance", W.event,
             W.occurrence);
    POST(&ORG, path, 303, "present", mem);
    WM.event = W.event;
    WM.occurrence = W.occurrence;
    /* a date poll, answered */
    POST(&ORG, DV "/events/polls", 303, "kind", "club", "title", "Опрос для проверки форм",
         "minutes", "60", "times", "2030-07-01T18:00\n2030-07-02T18:00");
    W.poll = q1("SELECT max(id) FROM event_polls WHERE title = ?", "Опрос для проверки форм");
    WM.poll = W.poll;
    /* an assembly at the event, its rule and people not the form's first
     * choices, with an item: its settings form is an edit */
    char asmp[128], orgid[32], memid2[32];
    snprintf(asmp, sizeof asmp, DV "/events/%lld/assembly", W.event);
    snprintf(orgid, sizeof orgid, "%lld", member_id_of(&S, "dvor-sadovaya-12", "organizer"));
    snprintf(memid2, sizeof memid2, "%lld", member_id_of(&S, "dvor-sadovaya-12", "member"));
    POST(&ORG, asmp, 303, "kind", "hearing", "chair", memid2, "secretary", orgid, "quorum_kind",
         "number", "quorum_value", "7");
    snprintf(asmp, sizeof asmp, DV "/events/%lld/assembly/items", W.event);
    POST(&ORG, asmp, 303, "title", "Вопрос для проверки форм", "document", "Материалы");
    long long asm_item =
        q1("SELECT max(id) FROM assembly_items WHERE title = ?", "Вопрос для проверки форм");
    snprintf(asmp, sizeof asmp, DV "/events/%lld/assembly/items/%lld/decisions", W.event, asm_item);
    POST(&ORG, asmp, 303, "text", "Решение для проверки форм");
    long long asm_dec =
        q1("SELECT max(id) FROM assembly_decisions WHERE text = ?", "Решение для проверки форм");
    char asm_ini[32];
    snprintf(asm_ini, sizeof asm_ini, "%lld", W.initiative);
    snprintf(asmp, sizeof asmp, DV "/events/decisions/%lld", asm_dec);
    POST(&ORG, asmp, 303, "status", "not_done", "initiative", asm_ini);

    /* budgets: the organizer's process with settings that are not the
     * form's first choices, a project reviewed with a reason and a
     * reviewed cost, and a member's own project still open to edits */
    POST(&ORG, DV "/budgets", 303, "title", "Бюджет для проверки форм", "description", "Деньги",
         "amount", "5000", "currency", "EUR", "proposals_on", "2026-01-01", "review_on",
         "2026-02-01", "voting_on", "2026-03-01", "results_on", "2099-01-01", "implementation_on",
         "2099-02-01", "ballot", "cumulative", "points", "10", "method", "greedy");
    W.budget =
        q1("SELECT max(id) FROM budget_processes WHERE title = ?", "Бюджет для проверки форм");
    WM.budget = W.budget;
    snprintf(path, sizeof path, DV "/budgets/%lld/projects", W.budget);
    POST(&ORG, path, 303, "title", "Проект для проверки форм", "description", "Описание", "place",
         "у арки", "cost", "700");
    W.project =
        q1("SELECT max(id) FROM budget_projects WHERE title = ?", "Проект для проверки форм");
    snprintf(path, sizeof path, DV "/budgets/%lld/projects/%lld/review", W.budget, W.project);
    POST(&ORG, path, 303, "review", "infeasible", "reason", "Нет места", "reviewed_cost", "650");
    snprintf(path, sizeof path, DV "/budgets/%lld/projects", W.budget);
    POST(&MEM, path, 303, "title", "Проект участника для проверки форм", "description", "Описание",
         "cost", "300");
    WM.project = q1("SELECT max(id) FROM budget_projects WHERE title = ?",
                    "Проект участника для проверки форм");

    /* partners: one in a sector that is not the first, public, with notes */
    POST(&ORG, DV "/partners", 303, "name", "Партнёр для проверки форм", "sector", "sport",
         "territory", "Сады", "reach", "Телефон", "notes", "Заметка", "is_public", "1");
    W.partner = q1("SELECT max(id) FROM partners WHERE name = ?", "Партнёр для проверки форм");
    WM.partner = W.partner;
    snprintf(path, sizeof path, DV "/partners/%lld/contacts", W.partner);
    POST(&ORG, path, 303, "contact_name", "Контакт", "contact_role", "Роль");
    /* its log: an entry that is not the form's first kind or status, with
     * a next step, its day and the organizer responsible (chosen by name) */
    snprintf(path, sizeof path, DV "/partners/%lld/log", W.partner);
    POST(&ORG, path, 303, "day", "2026-03-01", "subject", "Запись для проверки форм", "kind",
         "conflict", "status", "waiting", "outcome", "Итог", "next_step", "Шаг", "next_due",
         "2026-03-10", "next_member", orgid);
    W.plog = q1("SELECT max(id) FROM partner_log WHERE subject = ?", "Запись для проверки форм");
    WM.plog = W.plog;
    /* a resident's request */
    POST(&MEM, DV "/requests", 303, "subject", "Обращение для проверки форм", "body", "Текст",
         "answer_via", "phone", "contact", "Телефон");
    W.request = q1("SELECT max(id) FROM resident_requests WHERE subject = ?",
                   "Обращение для проверки форм");
    WM.request = W.request;
}

struct fill_ctx {
    const struct world *w;
    const char *kind;
};

static const char *param(void *ctx, const char *prev, const char *name, char *buf, size_t n)
{
    static const struct {
        const char *prev, *name;
        size_t off;
    } IDS[] = {
        {"actions", "{id:int}", offsetof(struct world, action)},
        {"goals", "{id:int}", offsetof(struct world, goal)},
        {"dilts", "{id:int}", offsetof(struct world, dilts)},
        {"rules", "{id:int}", offsetof(struct world, rule)},
        {"mine", "{id:int}", offsetof(struct world, mine)},
        {"values", "{id:int}", offsetof(struct world, value)},
        {"surveys", "{id:int}", offsetof(struct world, survey)},
        {"questions", "{qid:int}", offsetof(struct world, question)},
        {"results", "{qid:int}", offsetof(struct world, question)},
        {"talents", "{id:int}", offsetof(struct world, entry)},
        {"clubs", "{cid:int}", offsetof(struct world, club)},
        {"waves", "{id:int}", offsetof(struct world, wave)},
        {"invite", "{id:int}", offsetof(struct world, invite)},
        {"members", "{id:int}", offsetof(struct world, member)},
        {"initiatives", "{id:int}", offsetof(struct world, initiative)},
        {"comments", "{comment:int}", offsetof(struct world, comment)},
        {"tasks", "{task:int}", offsetof(struct world, task)},
        {"events", "{id:int}", offsetof(struct world, event)},
        {"polls", "{id:int}", offsetof(struct world, poll)},
        {"occurrences", "{occ:int}", offsetof(struct world, occurrence)},
        {"budgets", "{id:int}", offsetof(struct world, budget)},
        {"projects", "{project:int}", offsetof(struct world, project)},
        {"partners", "{id:int}", offsetof(struct world, partner)},
        {"log", "{eid:int}", offsetof(struct world, plog)},
        {"requests", "{id:int}", offsetof(struct world, request)},
    };
    const struct fill_ctx *fc = ctx;
    const struct world *w = fc->w;
    if (!strcmp(name, "{slug}") && !strcmp(prev, "c")) return "dvor-sadovaya-12";
    if (!strcmp(name, "{token}") && !strcmp(prev, "i")) return w->token;
    if (!strcmp(name, "{token}") && !strcmp(prev, "s"))
        return "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    /* a hearing's participation link: one of the right shape (a 404) */
    if (!strcmp(name, "{token}") && !strcmp(prev, "h"))
        return "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    /* a private feed's token: one of the right shape (a 404) */
    if (!strcmp(name, "{token}") && !strcmp(prev, "events"))
        return "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    if (!strcmp(name, "{kind}") && !strcmp(prev, "text")) return fc->kind;
    if (!strcmp(name, "{file}") && !strcmp(prev, "static")) return "style.css";
    /* a photo is bytes, not a form: one that is not there (a 404) */
    if (!strcmp(name, "{photo:int}") && !strcmp(prev, "photos")) return "999999";
    for (size_t i = 0; i < sizeof IDS / sizeof IDS[0]; i++)
        if (!strcmp(prev, IDS[i].prev) && !strcmp(name, IDS[i].name)) {
            snprintf(buf, n, "%lld", *(const long long *)((const char *)w + IDS[i].off));
            return buf;
        }
    return NULL;
}

/* ---- the forms ---- */

struct outcome {
    int submitted, failed;
};
static struct outcome DEFECT_SEEN[NDEFECTS + 1];
static int forms_sent, unexpected;

/* How many forms of each (page, action) pair were sent, for the log. */
static struct pair {
    const char *page, *action;
    int n;
} PAIRS[200];
static int NPAIRS;

static void count_pair(const char *page, const char *action)
{
    for (int i = 0; i < NPAIRS; i++)
        if (PAIRS[i].page == page && PAIRS[i].action == action) {
            PAIRS[i].n++;
            return;
        }
    if (NPAIRS < (int)(sizeof PAIRS / sizeof PAIRS[0]))
        PAIRS[NPAIRS++] = (struct pair){page, action, 1};
}

static const struct defect *defect_for(const char *page, const char *action, const char *who)
{
    for (int i = 0; i < NDEFECTS; i++)
        if (!strcmp(known_defects[i].page, page) && !strcmp(known_defects[i].action, action) &&
            !strcmp(known_defects[i].who, who))
            return &known_defects[i];
    return NULL;
}

static const char *who(const struct client *c)
{
    return c == &MEM ? "member" : c == &ADM ? "admin" : "organizer";
}

/* The first named submit button of the form [s, e), as a browser sends
 * the one pressed. */
static void add_button(const char *s, const char *e, struct form_fields *f)
{
    for (const char *p = strstr(s, "<button"); p && p < e; p = strstr(p + 1, "<button")) {
        const char *te = strchr(p, '>');
        char *name = html_attr(p, te, "name");
        if (!name) continue;
        char *type = html_attr(p, te, "type");
        int is_submit = !type || !strcmp(type, "submit");
        free(type);
        if (!is_submit) {
            free(name);
            continue;
        }
        char *value = html_attr(p, te, "value");
        f->v[f->n++] = name;
        f->v[f->n++] = value ? value : strdup("");
        f->v[f->n] = NULL;
        return;
    }
}

/* Submits one form unchanged and checks the database. */
static void submit(struct client *c, const char *page_pattern, const char *page, const char *action,
                   const char *route, const char *s, const char *e)
{
    struct form_fields f = {{0}, 0};
    form_fields_parse(s, e, &f);
    add_button(s, e, &f);
    char *enc = form_encode((const char *const *)f.v);
    form_fields_free(&f);
    snapshot();
    struct resp r;
    assert_int_equal(
        client_post_raw(c, action, "application/x-www-form-urlencoded", enc, strlen(enc), 0, &r),
        0);
    int changed = compare_and_restore();
    forms_sent++;
    count_pair(page_pattern, route);
    int bad = changed || r.status != 303;
    const struct defect *d = defect_for(page_pattern, route, who(c));
    if (d) {
        DEFECT_SEEN[d - known_defects].submitted++;
        DEFECT_SEEN[d - known_defects].failed += bad;
    } else if (bad) {
        fprintf(stderr,
                "forms: %s from %s unchanged: %ld, %d rows changed\n"
                "    {\"%s\", \"%s\", \"%s\", \"...\", \"issue 10 item 4\"},\n",
                action, page, r.status, changed, page_pattern, route, who(c));
        fprintf(stderr, "    sent as %s: %s\n",
                c == &MEM   ? "member"
                : c == &ADM ? "admin"
                            : "organizer",
                enc);
        unexpected++;
    }
    free(enc);
    resp_free(&r);
}

/* Submits every edit form of the page; how many it had. */
static int page_forms(struct client *c, const char *pattern, const char *page)
{
    struct resp r;
    assert_int_equal(client_get(c, page, 0, &r), 0);
    char ct[128] = "";
    resp_header(&r, "Content-Type", ct, sizeof ct);
    int edits = 0;
    if (r.status != 200 || strncmp(ct, "text/html", 9) != 0) {
        resp_free(&r);
        return 0;
    }
    char *body = strdup(r.body);
    resp_free(&r);
    for (const char *p = strstr(body, "<form"); p; p = strstr(p + 1, "<form")) {
        const char *te = strchr(p, '>'), *e = strstr(p, "</form>");
        if (!te || !e) break;
        char *method = html_attr(p, te, "method");
        int post = method && !strcasecmp(method, "post");
        free(method);
        char *action = html_attr(p, te, "action");
        const char *route = post && action ? post_route(action) : NULL;
        if (post && !route) {
            fprintf(stderr, "forms: %s posts to %s, which no route serves\n", page,
                    action ? action : "(no action)");
            unexpected++;
        } else if (route && !in(EDIT_POSTS, route) && !in(NOT_EDITS, route)) {
            fprintf(stderr, "forms: POST %s (from %s) is in neither EDIT_POSTS nor NOT_EDITS\n",
                    route, page);
            unexpected++;
        } else if (route && in(EDIT_POSTS, route)) {
            submit(c, pattern, page, action, route, te, e);
            edits++;
        }
        free(action);
    }
    free(body);
    return edits;
}

static int setup(void **state)
{
    (void)state;
    /* The job thread's recurring jobs write on their own (a pass moves its
     * next time): once at start, then not within the test. */
    static const char *const quiet_jobs[] = {"--jobs-poll-ms", "600000", NULL};
    if (srv_start(&S, 1, quiet_jobs) != 0) return -1;
    snprintf(SNAP, sizeof SNAP, "%s/before.db", S.dir);
    if (client_as(&ORG, &S, "organizer") != 0 || client_as(&ADM, &S, "admin") != 0 ||
        client_as(&MEM, &S, "member") != 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    client_free(&ORG);
    client_free(&ADM);
    client_free(&MEM);
    return srv_stop(&S) == 0 ? 0 : -1;
}

static void every_route_is_classified(void **state)
{
    (void)state;
    int missing = 0;
    const struct route *rt;
    for (size_t ri = 0; (rt = areas_route(ri, NULL)) != NULL; ri++)
        if (!strcmp(rt->method, "POST") && !in(EDIT_POSTS, rt->pattern) &&
            !in(NOT_EDITS, rt->pattern)) {
            fprintf(stderr, "forms: POST %s: put it in EDIT_POSTS or NOT_EDITS\n", rt->pattern);
            missing++;
        }
    const char *const *lists[] = {EDIT_POSTS, NOT_EDITS};
    for (int l = 0; l < 2; l++)
        for (int i = 0; lists[l][i]; i++) {
            int found = 0;
            for (size_t ri = 0; !found && (rt = areas_route(ri, NULL)) != NULL; ri++)
                found = !strcmp(rt->method, "POST") && !strcmp(rt->pattern, lists[l][i]);
            if (!found) {
                fprintf(stderr, "forms: %s names no POST route\n", lists[l][i]);
                missing++;
            }
        }
    assert_int_equal(missing, 0);
}

static void unchanged_forms_change_nothing(void **state)
{
    (void)state;
    build();
    static const char *const KINDS[] = {"vision", "mission", "manifesto"};
    int unfilled = 0, no_form = 0;
    const struct route *rt;
    for (size_t ri = 0; (rt = areas_route(ri, NULL)) != NULL; ri++) {
        if (strcmp(rt->method, "GET") != 0) continue;
        int nk = strstr(rt->pattern, "{kind}") ? 3 : 1, edits = 0;
        for (int ki = 0; ki < nk; ki++) {
            struct fill_ctx fc = {&W, KINDS[ki]}, fm = {&WM, KINDS[ki]};
            char path[512], mpath[512];
            if (route_fill(rt->pattern, param, &fc, path, sizeof path) != 0 ||
                route_fill(rt->pattern, param, &fm, mpath, sizeof mpath) != 0) {
                fprintf(stderr, "forms: cannot fill GET %s: teach param() its parameters\n",
                        rt->pattern);
                unfilled++;
                continue;
            }
            edits += page_forms(&ORG, rt->pattern, path);
            edits += page_forms(&MEM, rt->pattern, mpath);
            if (!strncmp(rt->pattern, "/admin", 6)) edits += page_forms(&ADM, rt->pattern, path);
        }
        size_t n = strlen(rt->pattern);
        if (n > 5 && !strcmp(rt->pattern + n - 5, "/edit") && !edits) {
            fprintf(stderr, "forms: GET %s showed no edit form\n", rt->pattern);
            no_form++;
        }
    }
    for (int i = 0; i < NPAIRS; i++)
        fprintf(stderr, "forms: %3d x POST %s from GET %s\n", PAIRS[i].n, PAIRS[i].action,
                PAIRS[i].page);
    int stale = 0;
    for (int i = 0; i < NDEFECTS; i++)
        if (!DEFECT_SEEN[i].failed) {
            fprintf(stderr,
                    "forms: known defect %s from %s as %s (%s; %s) %s (%d submitted): remove it "
                    "from known_defects[]\n",
                    known_defects[i].action, known_defects[i].page, known_defects[i].who,
                    known_defects[i].what, known_defects[i].issue,
                    DEFECT_SEEN[i].submitted ? "now passes" : "was not met",
                    DEFECT_SEEN[i].submitted);
            stale++;
        }
    fprintf(stderr,
            "forms: %d forms submitted unchanged, %d unexpected, %d known defects (%d stale), "
            "%d routes unfilled, %d edit pages without a form\n",
            forms_sent, unexpected, NDEFECTS, stale, unfilled, no_form);
    assert_true(forms_sent > 30);
    assert_int_equal(unfilled, 0);
    assert_int_equal(no_form, 0);
    assert_int_equal(unexpected, 0);
    assert_int_equal(stale, 0);
}

/* The parser sends what a browser sends: a select with no option marked
 * sends its first (which is how a status select that does not show the
 * stored status resets it to "planned"), unchecked boxes nothing. */
static void the_parser_sends_what_a_browser_sends(void **state)
{
    (void)state;
    static const char FORM[] =
        "<form method=\"post\" action=\"/x\"><input type=\"hidden\" name=\"csrf\" value=\"t\">"
        "<select name=\"status\"><option value=\"planned\">a</option>"
        "<option value=\"done\">b</option></select>"
        "<select name=\"parent\"><option value=\"0\">-</option>"
        "<option value=\"7\" selected>g</option></select>"
        "<input type=\"checkbox\" name=\"off\" value=\"1\">"
        "<input type=\"checkbox\" name=\"on\" value=\"1\" checked>"
        "<textarea name=\"body\">\nx &amp; y</textarea>"
        "<button type=\"submit\" name=\"go\" value=\"save\">s</button></form>";
    struct form_fields f = {{0}, 0};
    const char *s = strchr(FORM, '>'), *e = strstr(FORM, "</form>");
    form_fields_parse(s, e, &f);
    add_button(s, e, &f);
    char *enc = form_encode((const char *const *)f.v);
    assert_string_equal(enc, "csrf=t&status=planned&parent=7&on=1&body=x%20%26%20y&go=save");
    free(enc);
    form_fields_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_parser_sends_what_a_browser_sends),
        cmocka_unit_test(every_route_is_classified),
        cmocka_unit_test(unchanged_forms_change_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
