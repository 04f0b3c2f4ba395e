/* The budget pages: the list of processes, a process's page by its phase,
 * its settings and the move to the next phase; the routes and the struct
 * area. Projects and their review are in projects.c, the ballot and the
 * results in vote.c. */
#include "core/notify.h"
#include "areas/budget/internal.h"
#include "areas/budget/count.h"
#include "core/app.h"
#include "core/ballot.h"
#include "core/notify.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

const char *bg_url(struct req *r, const char *suffix)
{
    return arena_printf(r->arena, "/c/%s/budgets%s", r->comm->slug, suffix);
}

const char *bg_process_url(struct req *r, int64_t id, const char *suffix)
{
    return arena_printf(r->arena, "/c/%s/budgets/%lld%s", r->comm->slug, (long long)id, suffix);
}

json_t *bg_base_view(struct req *r, const char *title_key)
{
    return req_own(r,
                   json_pack("{ss ss ss sb sb}", "title", tr(r, title_key), "slug", r->comm->slug,
                             "name", r->comm->name, "is_member", req_has(r, CAP_C_MEMBER),
                             "is_organizer", req_has(r, CAP_C_ORGANIZE)));
}

void bg_not_found(struct req *r)
{
    render_error(r, 404, "not_found", "error.not_found");
}

const char *bg_money(struct req *r, int64_t amount, const char *currency)
{
    /* digits grouped by three with no-break spaces, written backwards,
     * then the currency copied after a no-break space (no printf: a
     * results page writes some hundred of these) */
    char out[96];
    size_t at = sizeof out;
    out[--at] = 0;
    uint64_t v = amount < 0 ? (uint64_t)0 - (uint64_t)amount : (uint64_t)amount;
    int n = 0;
    do {
        if (n && n % 3 == 0) {
            out[--at] = '\xa0';
            out[--at] = '\xc2';
        }
        out[--at] = (char)('0' + v % 10);
        v /= 10;
        n++;
    } while (v && at > 4);
    if (amount < 0) out[--at] = '-';
    size_t nd = sizeof out - 1 - at, nc = currency ? strlen(currency) : 0;
    char *s = arena_alloc(r->arena, nd + 2 + nc + 1);
    memcpy(s, out + at, nd);
    memcpy(s + nd, "\xc2\xa0", 2);
    if (nc) memcpy(s + nd + 2, currency, nc);
    s[nd + 2 + nc] = 0;
    return s;
}

const char *bg_money_text(struct req *r, const char *decimal, const char *currency)
{
    if (!decimal || !*decimal) return "";
    const char *dot = strchr(decimal, '.');
    int64_t whole = strtoll(decimal, NULL, 10);
    if (!dot || str_eq(dot, ".00")) return bg_money(r, whole, currency);
    /* "12 345.67 RUB": the cents put before the currency */
    const char *s = bg_money(r, whole, NULL); /* ends in the no-break space */
    size_t ns = strlen(s) - 2, nd = strlen(dot), nc = currency ? strlen(currency) : 0;
    char *o = arena_alloc(r->arena, ns + nd + 2 + nc + 1);
    memcpy(o, s, ns);
    memcpy(o + ns, dot, nd);
    memcpy(o + ns + nd, "\xc2\xa0", 2);
    if (nc) memcpy(o + ns + nd + 2, currency, nc);
    o[ns + nd + 2 + nc] = 0;
    return o;
}

static void label(struct req *r, json_t *row, const char *key, const char *prefix)
{
    const char *v = json_string_value(json_object_get(row, key));
    if (!v) return;
    json_object_set_new(row, arena_printf(r->arena, "%s_label", key),
                        json_string(tr(r, arena_printf(r->arena, "%s%s", prefix, v))));
}

/* Labels and the amount in words for a process row. */
static void decorate(struct req *r, json_t *row)
{
    label(r, row, "phase", "budget.phase.");
    label(r, row, "ballot", "budget.ballot.");
    label(r, row, "method", "budget.method.");
    const char *cur = json_string_value(json_object_get(row, "currency"));
    json_t *amount = json_object_get(row, "amount");
    if (amount)
        json_object_set_new(row, "amount_text",
                            json_string(bg_money(r, json_integer_value(amount), cur)));
    json_t *spent = json_object_get(row, "spent");
    if (spent)
        json_object_set_new(row, "spent_text",
                            json_string(bg_money(r, json_integer_value(spent), cur)));
    static const char *const flags[] = {"max_total", "counted"};
    for (size_t i = 0; i < HR_ARRAY_LEN(flags); i++) {
        json_t *v = json_object_get(row, flags[i]);
        if (v) json_object_set_new(row, flags[i], json_boolean(json_integer_value(v) != 0));
    }
    const char *phase = json_string_value(json_object_get(row, "phase"));
    for (int i = 0; budget_phases[i]; i++)
        json_object_set_new(row, arena_printf(r->arena, "is_%s", budget_phases[i]),
                            json_boolean(phase && str_eq(phase, budget_phases[i])));
    const char *ballot = json_string_value(json_object_get(row, "ballot"));
    json_object_set_new(row, "is_cumulative", json_boolean(ballot && str_eq(ballot, "cumulative")));
}

static const struct vfield PROCESS_FIELDS[] = {
    {"id", CAP_ANY},
    {"title", CAP_ANY},
    {"description", CAP_ANY},
    {"amount", CAP_ANY},
    {"currency", CAP_ANY},
    {"phase", CAP_ANY},
    {"ballot", CAP_ANY},
    {"method", CAP_ANY},
    {"max_projects", CAP_ANY},
    {"max_total", CAP_ANY},
    {"points", CAP_ANY},
    {"proposals_on", CAP_ANY},
    {"review_on", CAP_ANY},
    {"voting_on", CAP_ANY},
    {"results_on", CAP_ANY},
    {"implementation_on", CAP_ANY},
    {"counted", CAP_ANY},
    {"spent", CAP_ANY},
    {"voters", CAP_ANY},
    {"raises", CAP_ANY},
    {"share", CAP_ANY},
    {"projects", CAP_ANY},
    {NULL, 0},
};

json_t *bg_process_or_404(struct req *r, int64_t id)
{
    struct vmask m = view_mask(r, PROCESS_FIELDS);
    json_t *p = req_own(r, budget_view(req_db(r), &m, r->comm->id, id));
    if (!json_is_object(p) || !json_string_value(json_object_get(p, "title"))) {
        bg_not_found(r);
        return NULL;
    }
    decorate(r, p);
    return p;
}

/* ---- the list ---- */

static void list_get(struct req *r)
{
    struct vmask m = view_mask(r, PROCESS_FIELDS);
    json_t *rows = req_own(r, budget_list(req_db(r), &m, r->comm->id));
    if (!rows) rows = req_own(r, json_array());
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        decorate(r, row);
    }
    json_t *v = bg_base_view(r, "budget.title");
    json_object_set(v, "processes", rows);
    render_page(r, 200, "budget/list", v);
}

/* ---- settings ---- */

static const struct field FORM_PROCESS[] = {
    {"title", F_TEXT, 1, 0, BUDGET_TITLE_MAX, NULL, NULL},
    {"description", F_TEXT, 0, 0, BUDGET_TEXT_MAX, NULL, NULL},
    {"amount", F_INT, 1, 1, BC_MAX_MONEY, NULL, NULL},
    {"currency", F_CHOICE, 1, 0, 0, budget_currencies, "budget.currency."},
    {"proposals_on", F_DATE, 1, 0, 0, NULL, NULL},
    {"review_on", F_DATE, 1, 0, 0, NULL, NULL},
    {"voting_on", F_DATE, 1, 0, 0, NULL, NULL},
    {"results_on", F_DATE, 1, 0, 0, NULL, NULL},
    {"implementation_on", F_DATE, 1, 0, 0, NULL, NULL},
    {"ballot", F_CHOICE, 1, 0, 0, budget_ballot_kinds, "budget.ballot."},
    {"max_projects", F_INT, 0, 0, 1000, NULL, NULL},
    {"max_total", F_CHECK, 0, 0, 0, NULL, NULL},
    {"points", F_INT, 0, 0, BUDGET_POINTS_MAX, NULL, NULL},
    {"method", F_CHOICE, 1, 0, 0, budget_methods, "budget.method."},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* Reads the settings; 1 when valid, else 0 with the messages beside the
 * fields (the dates' order beside the date that breaks it). */
static int read_settings(struct req *r, struct form *f, struct budget_settings *s)
{
    form_read(f, r, FORM_PROCESS);
    s->title = form_str(f, "title");
    s->description = form_str(f, "description");
    s->amount = form_num(f, "amount", 0);
    s->currency = form_str(f, "currency");
    s->proposals_on = form_num(f, "proposals_on", 0);
    s->review_on = form_num(f, "review_on", 0);
    s->voting_on = form_num(f, "voting_on", 0);
    s->results_on = form_num(f, "results_on", 0);
    s->implementation_on = form_num(f, "implementation_on", 0);
    s->ballot = form_str(f, "ballot");
    s->max_projects = form_num(f, "max_projects", 0);
    s->max_total = form_num(f, "max_total", 0);
    s->points = form_num(f, "points", 0);
    s->method = form_str(f, "method");
    if (!form_ok(f)) return 0;
    const char *bad = budget_settings_invalid(s);
    if (bad) {
        const char *field = str_eq(bad, "budget.error.dates")               ? "results_on"
                            : str_eq(bad, "budget.error.limits_cumulative") ? "max_projects"
                                                                            : "points";
        form_error(f, field, bad);
    }
    return form_ok(f);
}

static void settings_page(struct req *r, int status, struct form *f, const char *title_key,
                          const char *action)
{
    json_t *v = bg_base_view(r, title_key);
    json_object_set_new(v, "action", json_string(action));
    render_form(r, status, "budget/settings", v, f);
}

static void new_get(struct req *r)
{
    int64_t today = now_s() / 86400 * 86400, day = 86400;
    json_t *stored = req_own(
        r, json_pack("{ss ss ss sI sI sI sI sI}", "currency", "RUB", "ballot", "approval", "method",
                     "equal_shares", "proposals_on", (json_int_t)today, "review_on",
                     (json_int_t)(today + 21 * day), "voting_on", (json_int_t)(today + 35 * day),
                     "results_on", (json_int_t)(today + 49 * day), "implementation_on",
                     (json_int_t)(today + 56 * day)));
    struct form f;
    form_fill(&f, r, FORM_PROCESS, stored);
    settings_page(r, 200, &f, "budget.new", bg_url(r, ""));
}

static void create_post(struct req *r)
{
    struct form f;
    struct budget_settings s;
    if (!read_settings(r, &f, &s)) {
        settings_page(r, 422, &f, "budget.new", bg_url(r, ""));
        return;
    }
    struct dbc *w = req_write_begin(r);
    int64_t id = 0;
    enum wr rc = w ? budget_create(w, r->comm->id, &s, &id) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, bg_process_url(r, id, ""), "flash.budget_created");
}

static void edit_get(struct req *r)
{
    struct budget_process p;
    if (budget_find(req_db(r), r->arena, r->comm->id, req_path_int(r, "id"), &p) != 0) {
        bg_not_found(r);
        return;
    }
    json_t *stored = req_own(
        r, json_pack("{ss ss sI ss sI sI sI sI sI ss sI sI sI ss}", "title", p.title, "description",
                     p.description ? p.description : "", "amount", (json_int_t)p.amount, "currency",
                     p.currency, "proposals_on", (json_int_t)p.proposals_on, "review_on",
                     (json_int_t)p.review_on, "voting_on", (json_int_t)p.voting_on, "results_on",
                     (json_int_t)p.results_on, "implementation_on", (json_int_t)p.implementation_on,
                     "ballot", p.ballot, "max_projects", (json_int_t)p.max_projects, "max_total",
                     (json_int_t)p.max_total, "points", (json_int_t)p.points, "method", p.method));
    if (!p.max_total) json_object_del(stored, "max_total");
    struct form f;
    form_fill(&f, r, FORM_PROCESS, stored);
    settings_page(r, 200, &f, "budget.edit", bg_process_url(r, p.id, "/edit"));
}

static void edit_post(struct req *r)
{
    int64_t id = req_path_int(r, "id");
    struct form f;
    struct budget_settings s;
    if (!read_settings(r, &f, &s)) {
        settings_page(r, 422, &f, "budget.edit", bg_process_url(r, id, "/edit"));
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? budget_update(w, r->comm->id, id, &s) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, bg_process_url(r, id, ""), "flash.saved");
}

/* ---- the next phase ---- */

static const struct field FORM_NEXT[] = {
    {"from", F_CHOICE, 1, 0, 0, budget_phases, "budget.phase."},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void next_post(struct req *r)
{
    int64_t id = req_path_int(r, "id");
    struct form f;
    if (!render_form_read(&f, r, FORM_NEXT, "budget.error.moved")) return;
    const char *from = form_str(&f, "from");
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? budget_phase_next(w, r->comm->id, id, from, now_s()) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) {
        ballot_flush(r->app->db);
        render_redirect(r, bg_process_url(r, id, ""), "flash.budget_moved");
    }
}

/* ---- a process's page ---- */

static const struct vfield PROJECT_FIELDS[] = {
    {"id", CAP_ANY},
    {"title", CAP_ANY},
    {"description", CAP_ANY},
    {"place", CAP_ANY},
    {"estimated", CAP_ANY},
    {"cost", CAP_ANY},
    {"review", CAP_ANY},
    {"initiative_id", CAP_ANY},
    {"reason", CAP_C_MEMBER},
    {"author", CAP_C_MEMBER},
    {"former", CAP_C_MEMBER},
    {"mine", CAP_C_MEMBER},
    {NULL, 0},
};

static void process_get(struct req *r)
{
    ballot_settle(r);
    int64_t id = req_path_int(r, "id");
    json_t *p = bg_process_or_404(r, id);
    if (!p) return;
    const char *phase = json_string_value(json_object_get(p, "phase"));
    const char *cur = json_string_value(json_object_get(p, "currency"));
    int organizer = req_has(r, CAP_C_ORGANIZE), member = req_has(r, CAP_C_MEMBER);
    struct vmask m = view_mask(r, PROJECT_FIELDS);
    json_t *rows = req_own(r, budget_projects(req_db(r), &m, id, r->comm->member_id, 0));
    if (!rows) rows = req_own(r, json_array());
    int reviewing = str_eq(phase, "proposals") || str_eq(phase, "review");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        label(r, row, "review", "budget.review.");
        json_object_set_new(
            row, "cost_text",
            json_string(bg_money(r, json_integer_value(json_object_get(row, "cost")), cur)));
        int mine = json_integer_value(json_object_get(row, "mine")) != 0;
        const char *review = json_string_value(json_object_get(row, "review"));
        json_object_set_new(row, "mine", json_boolean(mine));
        json_object_set_new(row, "former",
                            json_boolean(json_integer_value(json_object_get(row, "former"))));
        json_object_set_new(row, "can_edit",
                            json_boolean(mine && str_eq(phase, "proposals") &&
                                         str_eq(review ? review : "", "pending")));
        json_object_set_new(row, "can_review", json_boolean(organizer && reviewing));
    }
    json_t *v = bg_base_view(r, "budget.title");
    json_object_set_new(v, "title", json_string(json_string_value(json_object_get(p, "title"))));
    json_object_set(v, "process", p);
    json_object_set(v, "projects", rows);
    json_object_set_new(v, "can_propose", json_boolean(member && str_eq(phase, "proposals")));
    json_object_set_new(v, "can_vote", json_boolean(member && str_eq(phase, "voting")));
    json_object_set_new(v, "has_results",
                        json_boolean(str_eq(phase, "results") || str_eq(phase, "implementation")));
    int at = form_choice_index(budget_phases, phase);
    if (organizer && at >= 0 && budget_phases[at + 1]) {
        json_object_set_new(v, "next_phase", json_string(budget_phases[at + 1]));
        json_object_set_new(
            v, "next_label",
            json_string(tr(r, arena_printf(r->arena, "budget.next.%s", budget_phases[at + 1]))));
    }
    render_page(r, 200, "budget/process", v);
}

/* ---- routes ---- */

static const char *const NO_PARAMS[] = {NULL};

static const struct route budget_routes[] = {
    {"GET", "/c/{slug}/budgets", CAP_C_READ, 0, NO_PARAMS, list_get, NULL},
    {"POST", "/c/{slug}/budgets", CAP_C_ORGANIZE, 0, NULL, create_post, FORM_PROCESS},
    {"GET", "/c/{slug}/budgets/new", CAP_C_ORGANIZE, 0, NULL, new_get, NULL},
    {"GET", "/c/{slug}/budgets/{id:int}", CAP_C_READ, 0, NULL, process_get, NULL},
    {"GET", "/c/{slug}/budgets/{id:int}/edit", CAP_C_ORGANIZE, 0, NULL, edit_get, NULL},
    {"POST", "/c/{slug}/budgets/{id:int}/edit", CAP_C_ORGANIZE, 0, NULL, edit_post, FORM_PROCESS},
    {"POST", "/c/{slug}/budgets/{id:int}/next", CAP_C_ORGANIZE, 0, NULL, next_post, FORM_NEXT},
    {"GET", "/c/{slug}/budgets/{id:int}/projects/new", CAP_C_MEMBER, 0, NULL, bg_project_new_get,
     NULL},
    {"POST", "/c/{slug}/budgets/{id:int}/projects", CAP_C_MEMBER, 0, NULL, bg_project_create_post,
     BG_FORM_PROJECT},
    {"GET", "/c/{slug}/budgets/{id:int}/projects/{project:int}/edit", CAP_C_MEMBER, 0, NULL,
     bg_project_edit_get, NULL},
    {"POST", "/c/{slug}/budgets/{id:int}/projects/{project:int}/edit", CAP_C_MEMBER, 0, NULL,
     bg_project_edit_post, BG_FORM_PROJECT},
    {"GET", "/c/{slug}/budgets/{id:int}/projects/{project:int}/review", CAP_C_ORGANIZE, 0, NULL,
     bg_review_get, NULL},
    {"POST", "/c/{slug}/budgets/{id:int}/projects/{project:int}/review", CAP_C_ORGANIZE, 0, NULL,
     bg_review_post, BG_FORM_REVIEW},
    {"GET", "/c/{slug}/budgets/{id:int}/vote", CAP_C_MEMBER, 0, NULL, bg_vote_get, NULL},
    {"POST", "/c/{slug}/budgets/{id:int}/vote", CAP_C_MEMBER, 0, NULL, bg_vote_post, BG_FORM_VOTE},
    {"GET", "/c/{slug}/budgets/{id:int}/results", CAP_C_READ, 0, BG_RESULTS_PARAMS, bg_results_get,
     NULL},
    {"GET", "/c/{slug}/budgets/{id:int}/results.csv", CAP_C_READ, 0, NULL, bg_results_csv, NULL},
    {"GET", "/c/{slug}/budgets/{id:int}/ballots.csv", CAP_C_READ, 0, NULL, bg_ballots_csv, NULL},
    {"GET", "/c/{slug}/budgets/{id:int}/ballots.pb", CAP_C_READ, 0, NULL, bg_ballots_pb, NULL},
    {0},
};

static const struct route_table budget_tables[] = {{SCOPE_COMMUNITY, budget_routes}, {0}};

/* The notices the budgets write (core/notify.h). */
static const struct notify_kind budget_notify_kinds[] = {
    {BUDGET_NOTIFY_VOTING, "budget.notify.voting", NOTIFY_INBOX, "/budgets/{id}"},
    {"budget.closing", "notify.budget_closing", NOTIFY_INBOX, "/budgets/{id}/vote"},
    {0},
};

const struct area budget_area = {
    .name = "budget",
    .routes = budget_tables,
    .nav_path = "/budgets",
    .nav_label = "budget.title",
    .demo = budget_demo,
    .bench = benchdata_budget,
    .seal_texts = budget_seal_texts,
    .person_export = budget_person_export,
    .notify_kinds = budget_notify_kinds,
};
