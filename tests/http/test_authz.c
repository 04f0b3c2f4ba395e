/*
 * The authorization table. Every route of the application (taken from the
 * route tables the server itself uses) is requested by every kind of
 * viewer on a public, a closed and a secret community, and the status is
 * compared with what the table below says.
 *
 * The table is written once, as data: a row per scope, method and pattern
 * with its capability class. A route without a row fails the test, and so
 * does a route whose declared capability or scope is not the one of its
 * row: a new route needs one new line here, and nobody weakens a
 * capability or moves a route to another scope's rules silently.
 *
 * GETs are sent as they are (as a page and as JSON); POSTs with a valid
 * CSRF token and no other field. Path parameters get plausible values:
 * {slug} the community, {handle} a member of it, {id} and {token} values
 * that name nothing (so an allowed request answers "no such object").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/areas.h"
#include "lib/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the expected table ---- */

/* Who may use a route (the test's own words for the router's capabilities). */
enum cls {
    K_ANYONE,     /* anyone, signed in or not */
    K_SIGNED_OUT, /* only a visitor who is not signed in */
    K_SIGNED_IN,  /* any signed-in account */
    K_COORD,      /* programme coordinator or administrator */
    K_ADMIN,      /* administrator */
    K_C_CARD,     /* the community's card: anyone who may know it exists */
    K_C_READ,     /* its content: anyone for a public one, else its members */
    K_C_VISITOR,  /* signed in and allowed to know it exists */
    K_C_MEMBER,   /* a member in any role */
    K_C_STAFF,    /* organizer or facilitator */
    K_C_ORGANIZE, /* organizer */
    K_C_COORD     /* a member who is a coordinator or administrator */
};

/* The router's capability each class stands for. */
static const enum cap CAP_OF[] = {
    [K_ANYONE] = CAP_ANY,      [K_SIGNED_OUT] = CAP_ANON,       [K_SIGNED_IN] = CAP_USER,
    [K_COORD] = CAP_COORD,     [K_ADMIN] = CAP_ADMIN,           [K_C_CARD] = CAP_C_SEE,
    [K_C_READ] = CAP_C_READ,   [K_C_VISITOR] = CAP_C_VISITOR,   [K_C_MEMBER] = CAP_C_MEMBER,
    [K_C_STAFF] = CAP_C_STAFF, [K_C_ORGANIZE] = CAP_C_ORGANIZE, [K_C_COORD] = CAP_C_COORD,
};

static const struct row {
    enum scope scope; /* the route table's: whose rules answer for it */
    const char *method, *pattern;
    enum cls cls;
} ROWS[] = {
    /* platform: accounts */
    {SCOPE_INSTANCE, "GET", "/healthz", K_ANYONE},
    {SCOPE_INSTANCE, "GET", "/static/{file}", K_ANYONE},
    {SCOPE_INSTANCE, "GET", "/login", K_ANYONE},
    {SCOPE_INSTANCE, "POST", "/login", K_ANYONE},
    {SCOPE_INSTANCE, "POST", "/logout", K_SIGNED_IN},
    {SCOPE_INSTANCE, "GET", "/signup", K_ANYONE},
    {SCOPE_INSTANCE, "POST", "/signup", K_SIGNED_OUT},
    {SCOPE_INSTANCE, "GET", "/account", K_SIGNED_IN},
    {SCOPE_INSTANCE, "POST", "/account", K_SIGNED_IN},
    {SCOPE_INSTANCE, "POST", "/account/password", K_SIGNED_IN},
    {SCOPE_INSTANCE, "GET", "/login/code", K_ANYONE},
    {SCOPE_INSTANCE, "POST", "/login/code", K_SIGNED_OUT},
    {SCOPE_INSTANCE, "GET", "/account/second-factor", K_SIGNED_IN},
    {SCOPE_INSTANCE, "POST", "/account/second-factor/start", K_SIGNED_IN},
    {SCOPE_INSTANCE, "POST", "/account/second-factor/confirm", K_SIGNED_IN},
    {SCOPE_INSTANCE, "POST", "/account/second-factor/recovery", K_SIGNED_IN},
    {SCOPE_INSTANCE, "POST", "/account/second-factor/off", K_SIGNED_IN},
    {SCOPE_INSTANCE, "POST", "/account/sessions/others/end", K_SIGNED_IN},
    {SCOPE_INSTANCE, "POST", "/account/sessions/{id:int}", K_SIGNED_IN},
    {SCOPE_INSTANCE, "POST", "/account/sessions/{id:int}/end", K_SIGNED_IN},
    {SCOPE_INSTANCE, "GET", "/account/export", K_SIGNED_IN},
    {SCOPE_INSTANCE, "GET", "/account/export.json", K_SIGNED_IN},
    {SCOPE_INSTANCE, "GET", "/account/delete", K_SIGNED_IN},
    {SCOPE_INSTANCE, "POST", "/account/delete", K_SIGNED_IN},
    {SCOPE_INSTANCE, "POST", "/lang", K_ANYONE},
    {SCOPE_INSTANCE, "GET", "/admin", K_ADMIN},
    {SCOPE_INSTANCE, "POST", "/admin/settings", K_ADMIN},
    {SCOPE_INSTANCE, "POST", "/admin/accounts/{handle}", K_ADMIN},
    /* platform: communities */
    {SCOPE_INSTANCE, "GET", "/", K_ANYONE},
    {SCOPE_INSTANCE, "GET", "/c/new", K_SIGNED_IN},
    {SCOPE_INSTANCE, "POST", "/c", K_SIGNED_IN},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}", K_C_CARD},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/edit", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/edit", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/delete", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/delete", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/join", K_C_VISITOR},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/join", K_C_VISITOR},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/members/requests", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/members/requests/{id:int}/approve", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/members/requests/{id:int}/decline", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/members", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/audit", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/members/{id:int}/role", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/members/keys", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/address", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/address", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/members/{id:int}/remove", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/members/{id:int}/remove", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/leave", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/leave", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/invite", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/invite", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/invite/{id:int}/revoke", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/invite/{id:int}/revoke", K_C_ORGANIZE},
    {SCOPE_INSTANCE, "GET", "/i/{token}", K_ANYONE},
    {SCOPE_INSTANCE, "POST", "/i/{token}", K_SIGNED_IN},
    {SCOPE_INSTANCE, "GET", "/i/{token}/qr.svg", K_ANYONE},
    /* areas: one line per route */
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/soc", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/soc/compare", K_C_COORD},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/soc/waves/{id:int}", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/soc/waves/{id:int}/results.csv", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/export.json", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/export.md", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/mine", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/plan", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/print", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/text/{kind}", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/values", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/actions/{id:int}/delete", K_C_STAFF},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/actions/{id:int}/edit", K_C_STAFF},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/dilts/{id:int}/delete", K_C_STAFF},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/dilts/{id:int}/edit", K_C_STAFF},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/goals/{id:int}/delete", K_C_STAFF},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/goals/{id:int}/edit", K_C_STAFF},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/mine/{id:int}/delete", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/rules/{id:int}/delete", K_C_STAFF},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/rules/{id:int}/edit", K_C_STAFF},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/values/{id:int}/delete", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/values/{id:int}/edit", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/surveys", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/surveys/{id:int}", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/surveys/{id:int}/delete", K_C_STAFF},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/surveys/{id:int}/edit", K_C_STAFF},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/surveys/{id:int}/results", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/surveys/{id:int}/results.csv", K_C_STAFF},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/surveys/{id:int}/results/{qid:int}", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/surveys/{id:int}/s/{token}", K_C_CARD},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/talents", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/talents/clubs", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/talents/clubs/{cid:int}", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/talents/export.csv", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/talents/mine", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/talents/new", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/talents/overview", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/talents/requests", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/talents/tags", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/talents/{id:int}", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/talents/{id:int}/edit", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/soc/settings", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/soc/waves", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/soc/waves/{id:int}/answer", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/soc/waves/{id:int}/close", K_C_STAFF},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/soc/waves/{id:int}/close", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/actions", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/actions/{id:int}/delete", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/actions/{id:int}/pledge", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/strategy/actions/{id:int}/pledge/withdraw", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/actions/{id:int}/pledge/withdraw", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/actions/{id:int}/edit", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/actions/{id:int}/status", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/dilts/{id:int}/edit", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/goals/{id:int}/edit", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/rules/{id:int}/edit", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/text/{kind}/{id:int}/close", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/values/{id:int}/close", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/values/{id:int}/delete", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/values/{id:int}/edit", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/dilts", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/dilts/{id:int}/delete", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/goals", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/goals/{id:int}/delete", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/goals/{id:int}/parent", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/mine", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/mine/{id:int}/delete", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/rules", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/rules/{id:int}/delete", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/settings", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/text/{kind}", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/text/{kind}/{id:int}/vote", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/values", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/strategy/values/{id:int}/vote", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/surveys", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/surveys/{id:int}/answer", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/surveys/{id:int}/copy", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/surveys/{id:int}/close", K_C_STAFF},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/surveys/{id:int}/close", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/surveys/{id:int}/publish", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/surveys/{id:int}/delete", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/surveys/{id:int}/edit", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/surveys/{id:int}/questions", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/surveys/{id:int}/questions/{qid:int}/delete", K_C_STAFF},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/surveys/{id:int}/questions/{qid:int}/delete", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/surveys/{id:int}/questions/{qid:int}/edit", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/surveys/{id:int}/questions/{qid:int}/down", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/surveys/{id:int}/questions/{qid:int}/up", K_C_STAFF},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/surveys/{id:int}/s/{token}", K_C_CARD},
    /* partners: the directory's list and cards are read as the community
     * is (public partners only, outside the staff); the rest the
     * organizers' */
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/partners", K_C_READ},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/partners", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/partners/new", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/partners/{id:int}", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/partners/{id:int}/edit", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/partners/{id:int}/edit", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/partners/{id:int}/delete", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/partners/{id:int}/delete", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/partners/{id:int}/contacts", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/partners/{id:int}/contacts/{cid:int}/delete",
     K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/partners/{id:int}/log", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/partners/{id:int}/log/{eid:int}/edit", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/partners/{id:int}/log/{eid:int}/edit", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/partners/overdue", K_C_ORGANIZE},
    /* residents' requests: a member asks and reads their own; the
     * organizers triage (which details each reads is the model's) */
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/requests", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/requests", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/requests/readers", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/requests/readers", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/requests/{id:int}", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/requests/{id:int}/triage", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/requests/{id:int}/answer", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/talents", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/talents/clubs/{cid:int}/close", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/talents/clubs/{cid:int}/join", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/talents/clubs/{cid:int}/leave", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/talents/clubs/{cid:int}/leave", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/talents/requests/{rid:int}/accept", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/talents/requests/{rid:int}/cancel", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/talents/requests/{rid:int}/decline", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/talents/requests/{rid:int}/done", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/talents/{id:int}/ask", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/talents/{id:int}/club", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/talents/{id:int}/delete", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/talents/{id:int}/delete", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/talents/{id:int}/edit", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/talents/{id:int}/hide", K_C_ORGANIZE},
    /* initiatives */
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives", K_C_READ},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives/new", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives/settings", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/settings", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives/{id:int}", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives/{id:int}/edit", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/edit", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/support", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/withdraw", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/comments", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives/{id:int}/comments/{comment:int}/hide",
     K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/comments/{comment:int}/hide",
     K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/accept", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives/{id:int}/decline", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/decline", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives/{id:int}/merge", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/merge", K_C_ORGANIZE},
    /* the four stages: moves for organizers and the coordinator, the data
     * for them and the team (the writes name who; the route is members') */
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/move", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives/{id:int}/back", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/back", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/coordinator", K_C_ORGANIZE},
    /* the work pages of the stages (their forms), the coordinator's, a task's */
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives/{id:int}/coordinator", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives/{id:int}/analysis", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives/{id:int}/design", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives/{id:int}/implementation", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives/{id:int}/evaluation", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives/{id:int}/tasks/{task:int}/edit", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/analysis", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/evidence", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/stakeholders", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/design", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/indicators", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/tasks", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/team", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/budget", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/remove", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/tasks/{task:int}/status", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/reports", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/spending", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/photos", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives/{id:int}/photos/{photo:int}", K_C_READ},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/photos/{photo:int}/remove",
     K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/evaluation", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/indicators/{indicator:int}/after",
     K_C_MEMBER},
    /* initiatives: fundraising and the transparency report */
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives/{id:int}/funds", K_C_READ},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/funds/pledges", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/funds/pledges/{pledge:int}/withdraw",
     K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/funds/pledges/{pledge:int}/fulfil",
     K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/funds/sources", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/funds/sources/{source:int}",
     K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/funds/income", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/funds/spending", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/funds/treasurers", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/initiatives/{id:int}/funds/treasurers/remove",
     K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives/{id:int}/report", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/initiatives/{id:int}/report.csv", K_C_READ},
    /* budgets */
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/budgets", K_C_READ},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/budgets", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/budgets/new", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/budgets/{id:int}", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/budgets/{id:int}/edit", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/budgets/{id:int}/edit", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/budgets/{id:int}/next", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/budgets/{id:int}/projects/new", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/budgets/{id:int}/projects", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/budgets/{id:int}/projects/{project:int}/edit", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/budgets/{id:int}/projects/{project:int}/edit", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/budgets/{id:int}/projects/{project:int}/review",
     K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/budgets/{id:int}/projects/{project:int}/review",
     K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/budgets/{id:int}/vote", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/budgets/{id:int}/vote", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/budgets/{id:int}/results", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/budgets/{id:int}/results.csv", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/budgets/{id:int}/ballots.csv", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/budgets/{id:int}/ballots.pb", K_C_READ},
    /* notifications */
    {SCOPE_INSTANCE, "GET", "/inbox", K_SIGNED_IN},
    {SCOPE_INSTANCE, "POST", "/inbox/{id:int}/open", K_SIGNED_IN},
    {SCOPE_INSTANCE, "GET", "/inbox/mail", K_SIGNED_IN},
    {SCOPE_INSTANCE, "POST", "/inbox/mail", K_SIGNED_IN},
    {SCOPE_INSTANCE, "POST", "/inbox/mail/remove", K_SIGNED_IN},
    {SCOPE_INSTANCE, "GET", "/admin/mail", K_ADMIN},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/inbox/read", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/notifications", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/notifications", K_C_MEMBER},
    /* events */
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events", K_C_READ},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/new", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/feed.ics", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}/event.ics", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/settings", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/settings", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}/edit", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/edit", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}/cancel", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/cancel", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/occurrences/{occ:int}/register",
     K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/occurrences/{occ:int}/unregister",
     K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}/occurrences/{occ:int}/attendance",
     K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/occurrences/{occ:int}/attendance",
     K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}/occurrences/{occ:int}/edit", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/occurrences/{occ:int}/edit", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}/occurrences/{occ:int}/cancel",
     K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/occurrences/{occ:int}/cancel",
     K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/my-feed", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/my-feed", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/my-feed/revoke", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/polls", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/polls", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/polls/new", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/polls/{id:int}", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/polls/{id:int}/answer", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/polls/{id:int}/close", K_C_ORGANIZE},
    /* assemblies: members see and vote; who runs one (its chair, its
     * secretary, the organizers) is checked by the page, 403 for others */
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}/assembly", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}/assembly/settings", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/state", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/join", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/presence", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/items", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/items/{item:int}", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/items/{item:int}/move",
     K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/items/{item:int}/proposals",
     K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/proposals/{p:int}/open",
     K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/proposals/{p:int}/vote",
     K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/proposals/{p:int}/close",
     K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/items/{item:int}/decisions",
     K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}/assembly/minutes", K_C_READ},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/minutes", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/minutes/draft", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/minutes/approve", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}/assembly/minutes/print", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}/assembly/minutes.md", K_C_READ},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}/assembly/hearing", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/hearing/comments", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/hearing/comments/{c:int}/answer",
     K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/hearing/comments/{c:int}/hide",
     K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/hearing/link", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/hearing/link/off", K_C_ORGANIZE},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}/assembly/hearing/final", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/hearing/final", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/hearing/final/draft", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/assembly/hearing/final/publish",
     K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}/assembly/hearing/final/print", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}/assembly/hearing/final.md", K_C_MEMBER},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}/h/{token}/final", K_C_CARD},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}/h/{token}/final.md", K_C_CARD},
    /* the participation link: anyone who may know the community; the
     * token decides (a wrong one is 404) */
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/{id:int}/h/{token}", K_C_CARD},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/{id:int}/h/{token}/comments", K_C_CARD},
    {SCOPE_COMMUNITY, "GET", "/c/{slug}/events/decisions", K_C_MEMBER},
    {SCOPE_COMMUNITY, "POST", "/c/{slug}/events/decisions/{id:int}", K_C_ORGANIZE},
    /* anonymous by token: a wrong or revoked token is 404 */
    {SCOPE_INSTANCE, "GET", "/feeds/events/{token}", K_ANYONE},

};

/* ---- the viewers and the communities (the demo's roles) ---- */

struct viewer {
    const char *handle; /* NULL: not signed in */
    int admin, coord;
};

static const struct viewer VIEWERS[] = {
    {NULL, 0, 0},        {"newcomer", 0, 0},    {"member", 0, 0},
    {"organizer", 0, 0}, {"coordinator", 0, 1}, {"admin", 1, 0},
};
enum { NVIEWERS = sizeof VIEWERS / sizeof VIEWERS[0] };

struct community {
    const char *slug;
    enum visibility vis;
    const char *roles[NVIEWERS]; /* by viewer; NULL: not a member */
};

static const struct community COMMUNITIES[] = {
    {"dvor-sadovaya-12", VIS_PUBLIC, {NULL, NULL, "member", "organizer", NULL, NULL}},
    {"zelenyj-kvartal", VIS_CLOSED, {NULL, NULL, "facilitator", "organizer", "mentor", NULL}},
    {"tiho-vmeste", VIS_SECRET, {NULL, NULL, "member", "organizer", NULL, NULL}},
};
enum { NCOMMUNITIES = sizeof COMMUNITIES / sizeof COMMUNITIES[0] };

/* ---- the expectation ---- */

enum outcome { ALLOWED, LOGIN, FORBIDDEN, HIDDEN };

static const char *const OUTCOME_NAMES[] = {"allowed", "sign in first", "forbidden", "hidden"};

/* What the viewer gets for a route of class k on community c (NULL when
 * the route names no community). */
static enum outcome expected(enum cls k, const struct viewer *v, const struct community *c,
                             const char *role)
{
    int in = v->handle != NULL;
    int member = role != NULL;
    if (c && c->vis == VIS_SECRET && !member)
        return HIDDEN; /* indistinguishable from a community that does not exist */
    enum outcome refuse = in ? FORBIDDEN : LOGIN;
    int staff = role && (!strcmp(role, "organizer") || !strcmp(role, "facilitator"));
    int organizer = role && !strcmp(role, "organizer");
    switch (k) {
    case K_ANYONE:
        return ALLOWED;
    case K_SIGNED_OUT:
        return in ? FORBIDDEN : ALLOWED;
    case K_SIGNED_IN:
        return in ? ALLOWED : LOGIN;
    case K_COORD:
        return v->coord || v->admin ? ALLOWED : refuse;
    case K_ADMIN:
        return v->admin ? ALLOWED : refuse;
    case K_C_CARD:
        return ALLOWED;
    case K_C_READ:
        return c->vis == VIS_PUBLIC || member ? ALLOWED : refuse;
    case K_C_VISITOR:
        return in ? ALLOWED : LOGIN;
    case K_C_MEMBER:
        return member ? ALLOWED : refuse;
    case K_C_STAFF:
        return staff ? ALLOWED : refuse;
    case K_C_ORGANIZE:
        return organizer ? ALLOWED : refuse;
    case K_C_COORD:
        return member && (v->coord || v->admin) ? ALLOWED : refuse;
    }
    return FORBIDDEN;
}

/* 1 if the pattern has a path parameter other than {slug}: the object it
 * names may be missing, and an allowed request then answers 404. */
static int names_object(const char *pattern)
{
    for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{'))
        if (strncmp(p, "{slug}", 6) != 0) return 1;
    return 0;
}

/* 1 if the answer fits the outcome. An allowed request may still be
 * refused by the handler for its (empty) input or its missing object, never
 * with 401/403 or a redirect to the sign-in page. */
static int fits(enum outcome o, const char *method, int json, const struct resp *r,
                const char *pattern)
{
    char loc[512];
    resp_location(r, loc, sizeof loc);
    int to_login = r->status == 303 && strncmp(loc, "/login", 6) == 0;
    int get_page = !strcmp(method, "GET") && !json;
    switch (o) {
    case ALLOWED:
        if (r->status == 404) return names_object(pattern);
        return r->status == 200 || r->status == 201 || (r->status == 303 && !to_login) ||
               r->status == 409 || r->status == 410 || r->status == 422;
    case LOGIN:
        return get_page ? to_login : r->status == 401;
    case FORBIDDEN:
        return r->status == 403;
    case HIDDEN:
        return r->status == 404;
    }
    return 0;
}

/* ---- running it ---- */

static struct srv S;
static struct client clients[NVIEWERS];

static int setup(void **state)
{
    (void)state;
    if (srv_start(&S, 1, NULL) != 0) return -1;
    for (int i = 0; i < NVIEWERS; i++) {
        if (VIEWERS[i].handle) {
            if (client_as(&clients[i], &S, VIEWERS[i].handle) != 0) return -1;
        } else {
            client_init(&clients[i], &S);
            if (client_fetch_csrf(&clients[i], "/") != 0) return -1;
        }
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < NVIEWERS; i++)
        client_free(&clients[i]);
    return srv_stop(&S) == 0 ? 0 : -1;
}

static const struct row *row_for(const struct route *rt)
{
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
        if (!strcmp(ROWS[i].method, rt->method) && !strcmp(ROWS[i].pattern, rt->pattern))
            return &ROWS[i];
    return NULL;
}

static void every_route_has_a_row_with_its_capability(void **state)
{
    (void)state;
    int missing = 0, routes = 0;
    const struct route *rt;
    enum scope scope;
    for (size_t ri = 0; (rt = areas_route(ri, &scope)) != NULL; ri++) {
        routes++;
        const struct row *row = row_for(rt);
        if (!row) {
            fprintf(stderr, "authz: no row for %s %s: add one to ROWS\n", rt->method, rt->pattern);
            missing++;
        } else if (CAP_OF[row->cls] != rt->cap) {
            fprintf(stderr, "authz: %s %s declares capability %d, its row says %d\n", rt->method,
                    rt->pattern, (int)rt->cap, (int)CAP_OF[row->cls]);
            missing++;
        } else if (row->scope != scope) {
            fprintf(stderr, "authz: %s %s is in scope %d, its row says %d\n", rt->method,
                    rt->pattern, (int)scope, (int)row->scope);
            missing++;
        }
    }
    /* And no row for a route that is gone (a typo would test nothing). */
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        int found = 0;
        for (size_t ri = 0; !found && (rt = areas_route(ri, NULL)) != NULL; ri++)
            found = !strcmp(ROWS[i].method, rt->method) && !strcmp(ROWS[i].pattern, rt->pattern);
        if (!found) {
            fprintf(stderr, "authz: row %s %s names no route\n", ROWS[i].method, ROWS[i].pattern);
            missing++;
        }
    }
    assert_true(routes > 30);
    assert_int_equal(missing, 0);
}

/* Every scope the areas register (and the instance) has rows, and a row
 * asks only what its own scope or the instance can answer: a new scope
 * with routes but no rows, or a community capability on an instance
 * route, would otherwise be tested by nobody. */
static void the_table_covers_every_scope(void **state)
{
    (void)state;
    int rows_in[SCOPE_N] = {0}, registered[SCOPE_N] = {[SCOPE_INSTANCE] = 1}, bad = 0;
    for (const struct area *const *a = areas_all; *a; a++)
        if ((*a)->owns != SCOPE_INSTANCE) registered[(*a)->owns] = 1;
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        rows_in[ROWS[i].scope]++;
        int cap_scope = CAP_SCOPE(CAP_OF[ROWS[i].cls]);
        if (cap_scope != SCOPE_INSTANCE && cap_scope != (int)ROWS[i].scope) {
            fprintf(stderr, "authz: row %s %s asks a capability of scope %d in scope %d\n",
                    ROWS[i].method, ROWS[i].pattern, cap_scope, (int)ROWS[i].scope);
            bad++;
        }
    }
    for (int sc = 0; sc < SCOPE_N; sc++)
        if (registered[sc] && rows_in[sc] == 0) {
            fprintf(stderr, "authz: scope %d is registered and has no rows\n", sc);
            bad++;
        }
    assert_true(registered[SCOPE_COMMUNITY]);
    assert_int_equal(bad, 0);
}

/* Puts things back that an allowed empty POST may change, so that every
 * request sees the demo's roles. */
static void restore(const struct route *rt, int v, const struct community *c, long status)
{
    if (!strcmp(rt->pattern, "/logout") && status == 303)
        assert_int_equal(client_login(&clients[v], VIEWERS[v].handle, "demo-demo"), 0);
    if (!strcmp(rt->pattern, "/admin/settings"))
        assert_int_equal(
            db_run(&S, "UPDATE settings SET value = '1' WHERE key = 'open_signup'", NULL), 0);
    if (!strcmp(rt->pattern, "/c/{slug}/leave") && status == 303) {
        char sql[512];
        snprintf(sql, sizeof sql,
                 "INSERT INTO memberships(community_id, account_id, role, joined_at)"
                 " SELECT c.id, a.id, '%s', 0 FROM communities c, accounts a"
                 " WHERE c.slug = '%s' AND a.handle = ?",
                 c->roles[v], c->slug);
        assert_int_equal(db_run(&S, sql, VIEWERS[v].handle), 0);
    }
}

static int check_one(const struct route *rt, const struct row *row, int v,
                     const struct community *c, int json)
{
    const char *role = c ? c->roles[v] : NULL;
    /* {handle}: a member of the community (its organizer); {id}/{token}:
     * nothing that exists, so an allowed POST changes nothing. */
    struct path_values pv = {c ? c->slug : "dvor-sadovaya-12", "organizer",
                             "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "999999", "style.css"};
    char path[512];
    route_path(rt->pattern, &pv, path, sizeof path);
    struct client *cl = &clients[v];
    struct resp r;
    if (!strcmp(rt->method, "GET")) {
        assert_int_equal(client_get(cl, path, json, &r), 0);
    } else {
        if (VIEWERS[v].handle) cl->csrf[0] = 0; /* a fresh token for this session */
        assert_int_equal(post_pairs(cl, path, json, NULL, &r), 0);
    }
    enum outcome o = expected(row->cls, &VIEWERS[v], c, role);
    int ok = fits(o, rt->method, json, &r, rt->pattern);
    if (!ok)
        fprintf(stderr, "authz: %s %s%s as %s (%s): %ld, expected %s\n", rt->method, path,
                json ? " (json)" : "", VIEWERS[v].handle ? VIEWERS[v].handle : "anonymous",
                role ? role : "no role", r.status, OUTCOME_NAMES[o]);
    restore(rt, v, c, r.status);
    resp_free(&r);
    return ok;
}

static void every_route_for_every_viewer(void **state)
{
    (void)state;
    int bad = 0, checked = 0;
    const struct route *rt;
    for (size_t ri = 0; (rt = areas_route(ri, NULL)) != NULL; ri++) {
        const struct row *row = row_for(rt);
        if (!row) continue; /* reported by the test above */
        int per_community = row->scope == SCOPE_COMMUNITY;
        for (int ci = 0; ci < (per_community ? NCOMMUNITIES : 1); ci++)
            for (int v = 0; v < NVIEWERS; v++)
                for (int json = 0; json < (strcmp(rt->method, "GET") ? 1 : 2); json++) {
                    bad += !check_one(rt, row, v, per_community ? &COMMUNITIES[ci] : NULL, json);
                    checked++;
                }
    }
    fprintf(stderr, "authz: %d requests checked, %d unexpected\n", checked, bad);
    assert_int_equal(bad, 0);
}

/* The table's own sanity: the expectation function is not trivially
 * "allowed" (a test that cannot fail tests nothing). */
static void the_expectation_refuses(void **state)
{
    (void)state;
    const struct community *closed = &COMMUNITIES[1], *secret = &COMMUNITIES[2];
    assert_int_equal(expected(K_C_MEMBER, &VIEWERS[1], closed, NULL), FORBIDDEN);
    assert_int_equal(expected(K_C_MEMBER, &VIEWERS[0], closed, NULL), LOGIN);
    assert_int_equal(expected(K_C_CARD, &VIEWERS[1], secret, NULL), HIDDEN);
    assert_int_equal(expected(K_C_STAFF, &VIEWERS[4], closed, "mentor"), FORBIDDEN);
    assert_int_equal(expected(K_C_STAFF, &VIEWERS[2], closed, "facilitator"), ALLOWED);
    assert_int_equal(expected(K_ADMIN, &VIEWERS[4], NULL, NULL), FORBIDDEN);
    assert_int_equal(expected(K_COORD, &VIEWERS[4], NULL, NULL), ALLOWED);
    assert_int_equal(expected(K_SIGNED_OUT, &VIEWERS[3], NULL, NULL), FORBIDDEN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_expectation_refuses),
        cmocka_unit_test(every_route_has_a_row_with_its_capability),
        cmocka_unit_test(the_table_covers_every_scope),
        cmocka_unit_test(every_route_for_every_viewer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
