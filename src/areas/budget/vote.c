/* The ballot and the results: the voting page (approval with the running
 * total the server computes, or points), casting and changing a ballot by
 * its receipt, the results page with why each project won or lost, and
 * the results and the ballot file as CSV. */
#include "areas/budget/internal.h"
#include "core/app.h"
#include "core/ballot.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct field BG_FORM_VOTE[] = {
    {"receipt", F_TEXT, 0, 0, 40, NULL, NULL}, {"project", F_TEXT, 0, 0, 20, NULL, NULL},
    {"item", F_TEXT, 0, 0, 20, NULL, NULL},    {"points", F_TEXT, 0, 0, 20, NULL, NULL},
    {"check", F_CHECK, 0, 0, 0, NULL, NULL},   {NULL, 0, 0, 0, 0, NULL, NULL},
};

const char *const BG_RESULTS_PARAMS[] = {"receipt", NULL};

static const struct vfield BALLOT_FIELDS[] = {
    {"id", CAP_C_MEMBER},
    {"title", CAP_C_MEMBER},
    {"description", CAP_C_MEMBER},
    {"place", CAP_C_MEMBER},
    {"cost", CAP_C_MEMBER},
    {"initiative_id", CAP_C_MEMBER},
    {NULL, 0},
};

/* A ballot as read from the form: project ids and weights. */
struct choice {
    int64_t id[BUDGET_PROJECTS_MAX], wt[BUDGET_PROJECTS_MAX];
    size_t n;
};

static int parse_id(const char *s, int64_t *out)
{
    if (!s || !*s) return -1;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || v < 0 || v > INT64_MAX / 2) return -1;
    *out = v;
    return 0;
}

/* The choice of the form; 0, or -1 when it names something malformed. */
static int read_choice(struct req *r, int cumulative, struct choice *c)
{
    const char **vals = arena_alloc(r->arena, (BUDGET_PROJECTS_MAX + 1) * sizeof *vals);
    const char **pts = arena_alloc(r->arena, (BUDGET_PROJECTS_MAX + 1) * sizeof *pts);
    c->n = 0;
    if (!cumulative) {
        int n = req_param_all(r, "project", vals, BUDGET_PROJECTS_MAX + 1);
        if (n > BUDGET_PROJECTS_MAX) return -1;
        for (int i = 0; i < n; i++) {
            if (parse_id(vals[i], &c->id[c->n]) != 0) return -1;
            c->wt[c->n++] = 1;
        }
        return 0;
    }
    int n = req_param_all(r, "item", vals, BUDGET_PROJECTS_MAX + 1);
    int m = req_param_all(r, "points", pts, BUDGET_PROJECTS_MAX + 1);
    if (n > BUDGET_PROJECTS_MAX || n != m) return -1;
    for (int i = 0; i < n; i++) {
        int64_t w = 0;
        if (pts[i][0] && parse_id(pts[i], &w) != 0) return -1;
        if (w > BUDGET_POINTS_MAX) return -1;
        if (w == 0) continue;
        if (parse_id(vals[i], &c->id[c->n]) != 0) return -1;
        c->wt[c->n++] = w;
    }
    return 0;
}

static int64_t chosen(const struct choice *c, int64_t id)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->id[i] == id) return c->wt[i];
    return 0;
}

/* The voting page: the ballot's projects with the choice c marked, the
 * total of the choice, and a message (err) beside the ballot. */
static void vote_page(struct req *r, int status, json_t *p, const struct choice *c,
                      const char *receipt, const char *err_key, const char *excess)
{
    int64_t pid = json_integer_value(json_object_get(p, "id"));
    const char *cur = json_string_value(json_object_get(p, "currency"));
    struct vmask m = view_mask(r, BALLOT_FIELDS);
    json_t *rows = req_own(r, budget_projects(req_db(r), &m, pid, r->comm->member_id, 1));
    if (!rows) rows = req_own(r, json_array());
    int64_t total = 0, points = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        int64_t id = json_integer_value(json_object_get(row, "id"));
        int64_t cost = json_integer_value(json_object_get(row, "cost"));
        int64_t w = c ? chosen(c, id) : 0;
        json_object_set_new(row, "cost_text", json_string(bg_money(r, cost, cur)));
        json_object_set_new(row, "checked", json_boolean(w > 0));
        if (w > 0) json_object_set_new(row, "weight", json_integer(w));
        total += w > 0 ? cost : 0;
        points += w;
    }
    json_t *v = bg_base_view(r, "budget.vote");
    json_object_set(v, "process", p);
    json_object_set(v, "projects", rows);
    int64_t box = 0;
    struct budget_process bp;
    if (budget_find(req_db(r), r->arena, r->comm->id, pid, &bp) == 0) box = bp.box_id;
    struct ballot_info b;
    int open = box > 0 && ballot_get(req_db(r), box, &b) == 0 && ballot_is_open(&b, now_s());
    json_object_set_new(v, "open", json_boolean(open));
    json_object_set_new(v, "has_voted",
                        json_boolean(budget_has_voted(req_db(r), box, r->comm->member_id)));
    json_object_set_new(v, "total_text", json_string(bg_money(r, total, cur)));
    json_object_set_new(v, "total", json_integer(total));
    json_object_set_new(v, "points_used", json_integer(points));
    if (json_integer_value(json_object_get(p, "max_total")) ||
        json_is_true(json_object_get(p, "max_total"))) {
        int64_t amount = json_integer_value(json_object_get(p, "amount"));
        if (total <= amount)
            json_object_set_new(v, "left_text", json_string(bg_money(r, amount - total, cur)));
    }
    if (excess) json_object_set_new(v, "excess_text", json_string(excess));
    if (err_key) json_object_set_new(v, "ballot_error", json_string(tr(r, err_key)));
    json_object_set_new(v, "form", json_pack("{ss}", "receipt", receipt ? receipt : ""));
    render_page(r, status, "budget/vote", v);
}

static json_t *voting_process(struct req *r)
{
    ballot_settle(r);
    json_t *p = bg_process_or_404(r, req_path_int(r, "id"));
    if (!p) return NULL;
    if (!json_is_true(json_object_get(p, "is_voting"))) {
        render_error(r, 409, "conflict", "budget.error.not_voting");
        return NULL;
    }
    return p;
}

void bg_vote_get(struct req *r)
{
    json_t *p = voting_process(r);
    if (p) vote_page(r, 200, p, NULL, NULL, NULL, NULL);
}

void bg_vote_post(struct req *r)
{
    json_t *p = voting_process(r);
    if (!p) return;
    int64_t pid = json_integer_value(json_object_get(p, "id"));
    const char *cur = json_string_value(json_object_get(p, "currency"));
    int cumulative = json_is_true(json_object_get(p, "is_cumulative"));
    struct choice *c = arena_alloc(r->arena, sizeof *c);
    const char *receipt = kvlist_get(&r->form, "receipt");
    if (receipt && strlen(receipt) > 40) receipt = NULL;
    if (read_choice(r, cumulative, c) != 0) {
        vote_page(r, 422, p, NULL, receipt, "budget.error.project", NULL);
        return;
    }
    if (c->n == 0) {
        vote_page(r, 422, p, c, receipt, "budget.error.empty", NULL);
        return;
    }
    /* The limits, as the writer will decide them, so that the page can say
     * the exact excess and keep the choice. */
    struct vmask m = view_mask(r, BALLOT_FIELDS);
    json_t *rows = req_own(r, budget_projects(req_db(r), &m, pid, 0, 1));
    int64_t total = 0, points = 0;
    for (size_t i = 0; i < c->n; i++) {
        int64_t cost = -1;
        size_t k;
        json_t *row;
        json_array_foreach(rows, k, row)
        {
            if (json_integer_value(json_object_get(row, "id")) == c->id[i])
                cost = json_integer_value(json_object_get(row, "cost"));
        }
        for (size_t j = 0; j < i; j++)
            if (c->id[j] == c->id[i]) cost = -1;
        if (cost < 0) {
            vote_page(r, 422, p, c, receipt, "budget.error.project", NULL);
            return;
        }
        total += cost;
        points += c->wt[i];
    }
    int64_t amount = json_integer_value(json_object_get(p, "amount"));
    int64_t max_n = json_integer_value(json_object_get(p, "max_projects"));
    int64_t max_points = json_integer_value(json_object_get(p, "points"));
    if (cumulative && points > max_points) {
        vote_page(r, 422, p, c, receipt, "budget.error.too_many_points",
                  tr_n(r, "budget.excess.points", "n", points - max_points));
        return;
    }
    if (!cumulative && max_n > 0 && (int64_t)c->n > max_n) {
        vote_page(r, 422, p, c, receipt, "budget.error.too_many",
                  tr_n(r, "budget.excess.projects", "n", (int64_t)c->n - max_n));
        return;
    }
    if (!cumulative && json_is_true(json_object_get(p, "max_total")) && total > amount) {
        vote_page(r, 422, p, c, receipt, "budget.error.over_budget",
                  tr_s(r, "budget.excess.money", "excess", bg_money(r, total - amount, cur)));
        return;
    }
    const char *check = kvlist_get(&r->form, "check");
    if (check && *check) {
        vote_page(r, 200, p, c, receipt, NULL, NULL); /* the total, nothing cast */
        return;
    }
    struct dbc *w = req_write_begin(r);
    char code[BUDGET_RECEIPT_LEN + 1] = "";
    int64_t excess = 0;
    enum wr rc = w ? budget_vote(w, r->comm->id, pid, r->comm->member_id, receipt, c->id, c->wt,
                                 c->n, now_s(), code, &excess)
                   : WR_BUSY;
    if (req_commit(r, rc, NULL) != 0) return;
    ballot_flush(r->app->db); /* nothing of the ballot stays in the WAL */
    /* The receipt is shown once, on this answer, and stored nowhere with
     * the member: no redirect carries it in a URL. */
    json_t *v = bg_base_view(r, "budget.voted");
    json_object_set(v, "process", p);
    char shown[3 * 5];
    snprintf(shown, sizeof shown, "%.4s-%.4s-%.4s", code, code + 4, code + 8);
    json_object_set_new(v, "receipt", json_string(shown));
    json_object_set_new(v, "changed", json_boolean(receipt && *receipt));
    render_page(r, 200, "budget/voted", v);
}

/* ---- results ---- */

static const struct vfield RESULT_FIELDS[] = {
    {"id", CAP_ANY},
    {"title", CAP_ANY},
    {"votes", CAP_ANY},
    {"supporters", CAP_ANY},
    {"selected", CAP_ANY},
    {"ord", CAP_ANY},
    {"why", CAP_ANY},
    {"cost", CAP_ANY},
    {"left_then", CAP_ANY},
    {"price", CAP_ANY},
    {"capped", CAP_ANY},
    {"capped_paid", CAP_ANY},
    {"have", CAP_ANY},
    {"initiative_id", CAP_ANY},
    {"initiative_state", CAP_ANY},
    {"initiative_stage", CAP_ANY},
    {"tasks", CAP_ANY},
    {"tasks_done", CAP_ANY},
    {"progress", CAP_ANY},
    {NULL, 0},
};

/* The catalog key of a reason: budget.why.[es.]<why>, from a fixed list
 * (no printf per row). */
static const char *reason_key(int es, const char *why)
{
    static const char *const whys[] = {"selected", "no_votes", "did_not_fit", "unaffordable"};
    static const char *const keys[2][4] = {{"budget.why.selected", "budget.why.no_votes",
                                            "budget.why.did_not_fit", "budget.why.unaffordable"},
                                           {"budget.why.es.selected", "budget.why.es.no_votes",
                                            "budget.why.es.did_not_fit",
                                            "budget.why.es.unaffordable"}};
    for (int i = 0; i < 4; i++)
        if (why && str_eq(why, whys[i])) return keys[es != 0][i];
    return "budget.why.no_votes";
}

/* A reason's text with its placeholders ({cost}, {left}, {price},
 * {have}, {supporters}) filled from row, in one pass into the arena (a
 * results page fills some hundred: copied, not printed). */
static const char *reason_text(struct req *r, const char *t, json_t *row, const char *cost_text,
                               const char *cur)
{
    struct buf b;
    buf_init(&b);
    for (const char *at; (at = strchr(t, '{')) != NULL;) {
        buf_append(&b, t, (size_t)(at - t));
        const char *end = strchr(at, '}');
        if (!end) {
            t = at; /* no placeholder after all: the rest as it stands */
            break;
        }
        size_t n = (size_t)(end - at - 1);
        const char *v = NULL;
        if (n == 4 && !memcmp(at + 1, "cost", 4))
            v = cost_text;
        else if (n == 4 && !memcmp(at + 1, "left", 4))
            v = bg_money(r, json_integer_value(json_object_get(row, "left_then")), cur);
        else if (n == 5 && !memcmp(at + 1, "price", 5))
            v = bg_money_text(r, json_string_value(json_object_get(row, "price")), cur);
        else if (n == 4 && !memcmp(at + 1, "have", 4))
            v = bg_money_text(r, json_string_value(json_object_get(row, "have")), cur);
        else if (n == 10 && !memcmp(at + 1, "supporters", 10))
            v = arena_printf(r->arena, "%lld",
                             (long long)json_integer_value(json_object_get(row, "supporters")));
        if (v)
            buf_puts(&b, v);
        else
            buf_append(&b, at, n + 2); /* not ours: left as it stands */
        t = end + 1;
    }
    buf_puts(&b, t);
    char *out = arena_strdup(r->arena, b.data ? b.data : "");
    buf_free(&b);
    return out;
}

/* The stage or state of a project's initiative in words. */
static const char *initiative_label(struct req *r, const char *st, int64_t stage)
{
    static const char *const stages[] = {"initiative.stage.1", "initiative.stage.2",
                                         "initiative.stage.3", "initiative.stage.4"};
    if (str_eq(st, "work") && stage >= 1 && stage <= 4) return tr(r, stages[stage - 1]);
    return tr(r, arena_printf(r->arena, "initiative.state.%s", st));
}

/* The counted results with each project's reason in words, or NULL after
 * answering (not counted yet, or too few ballots to show). Each row is
 * read and decorated in one pass: the stored count's numbers, the bars in
 * thousandths, the reason; nothing is recounted. */
static json_t *results_rows(struct req *r, json_t **process)
{
    ballot_settle(r);
    int64_t pid = req_path_int(r, "id");
    json_t *p = bg_process_or_404(r, pid);
    if (!p) return NULL;
    struct budget_process bp;
    struct ballot_info b;
    if (!json_is_true(json_object_get(p, "counted")) ||
        budget_find(req_db(r), r->arena, r->comm->id, pid, &bp) != 0) {
        render_error(r, 404, "not_found", "budget.results.none");
        return NULL;
    }
    /* Fewer ballots than the community's threshold: neither results nor
     * the ballot file, which would tell how the few voted. */
    if (bp.box_id && (ballot_get(req_db(r), bp.box_id, &b) != 0 || !ballot_visible(&b))) {
        render_error(r, 404, "not_found", "budget.results.hidden");
        return NULL;
    }
    struct vmask m = view_mask(r, RESULT_FIELDS);
    json_t *rows =
        req_own(r, budget_results(req_db(r), &m, pid, str_eq(bp.phase, "implementation")));
    if (!rows) rows = req_own(r, json_array());
    const char *cur = json_string_value(json_object_get(p, "currency"));
    int es = str_eq(bp.method, "equal_shares");
    size_t i;
    json_t *row;
    /* The bars drawn on the server, in thousandths: votes against the
     * most any project got, cost against the amount, and the selected
     * ones laid end to end against the amount. */
    int64_t most = 1, x = 0, amount = bp.amount > 0 ? bp.amount : 1;
    json_array_foreach(rows, i, row)
    {
        int64_t v = json_integer_value(json_object_get(row, "votes"));
        if (v > most) most = v;
    }
    json_array_foreach(rows, i, row)
    {
        int64_t v = json_integer_value(json_object_get(row, "votes"));
        int64_t c = json_integer_value(json_object_get(row, "cost"));
        int selected = json_integer_value(json_object_get(row, "selected")) != 0;
        const char *why = json_string_value(json_object_get(row, "why"));
        int64_t w = c >= amount ? 1000 : c * 1000 / amount;
        json_object_set_new_nocheck(row, "bar_votes", json_integer(v * 1000 / most));
        json_object_set_new_nocheck(row, "bar_cost", json_integer(w));
        json_object_set_new_nocheck(row, "selected", json_boolean(selected));
        if (selected) {
            json_object_set_new_nocheck(row, "bar_x", json_integer(x));
            x += w;
        }
        const char *cost_text = bg_money(r, c, cur);
        json_object_set_new_nocheck(row, "cost_text", json_string_nocheck(cost_text));
        const char *t = reason_text(r, tr(r, reason_key(es, why)), row, cost_text, cur);
        int64_t capped = json_integer_value(json_object_get(row, "capped"));
        if (es && selected && capped > 0)
            t = arena_printf(
                r->arena, "%s %s (%s).", t, tr_n(r, "budget.why.es.capped", "n", capped),
                bg_money_text(r, json_string_value(json_object_get(row, "capped_paid")), cur));
        json_object_set_new_nocheck(row, "reason", json_string_nocheck(t));
        /* its initiative's stage in words and its progress bar */
        const char *st = json_string_value(json_object_get(row, "initiative_state"));
        if (st) {
            int64_t stage = json_integer_value(json_object_get(row, "initiative_stage"));
            json_object_set_new_nocheck(row, "initiative_label",
                                        json_string(initiative_label(r, st, stage)));
            json_object_set_new_nocheck(
                row, "bar_progress",
                json_integer(json_integer_value(json_object_get(row, "progress")) * 10));
        }
    }
    *process = p;
    return rows;
}

void bg_results_get(struct req *r)
{
    json_t *p = NULL;
    json_t *rows = results_rows(r, &p);
    if (!rows) return;
    int64_t pid = json_integer_value(json_object_get(p, "id"));
    json_t *v = bg_base_view(r, "budget.results");
    json_object_set(v, "process", p);
    json_object_set(v, "results", rows);
    const char *receipt = kvlist_get(&r->query, "receipt");
    if (receipt && *receipt && strlen(receipt) <= 40) {
        json_t *mine = req_own(r, budget_receipt_rows(req_db(r), pid, receipt));
        json_t *titles = json_array();
        size_t i, k;
        json_t *b, *row;
        json_array_foreach(mine, i, b)
        {
            json_array_foreach(rows, k, row)
            {
                if (json_integer_value(json_object_get(row, "id")) ==
                    json_integer_value(json_object_get(b, "project_id")))
                    json_array_append_new(titles, json_pack("{sO sO}", "title",
                                                            json_object_get(row, "title"), "weight",
                                                            json_object_get(b, "weight")));
            }
        }
        json_object_set_new(v, "receipt_found", json_boolean(json_array_size(titles) > 0));
        json_object_set_new(v, "receipt_asked", json_true());
        json_object_set_new(v, "receipt_ballot", titles);
        json_object_set_new(v, "form", json_pack("{ss}", "receipt", receipt));
    }
    render_page(r, 200, "budget/results", v);
}

static void csv_text(struct buf *b, const char *s)
{
    buf_puts(b, "\"");
    for (; s && *s; s++) {
        if (*s == '"') buf_puts(b, "\"");
        buf_printf(b, "%c", *s);
    }
    buf_puts(b, "\"");
}

void bg_results_csv(struct req *r)
{
    json_t *p = NULL;
    json_t *rows = results_rows(r, &p);
    if (!rows) return;
    struct buf out;
    buf_init(&out);
    buf_puts(&out,
             "\xEF\xBB\xBFproject_id,title,votes,supporters,cost,selected,order,why,reason\r\n");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        buf_printf(&out, "%lld,", (long long)json_integer_value(json_object_get(row, "id")));
        csv_text(&out, json_string_value(json_object_get(row, "title")));
        buf_printf(&out, ",%lld,%lld,%lld,%d,%lld,%s,",
                   (long long)json_integer_value(json_object_get(row, "votes")),
                   (long long)json_integer_value(json_object_get(row, "supporters")),
                   (long long)json_integer_value(json_object_get(row, "cost")),
                   json_is_true(json_object_get(row, "selected")),
                   (long long)json_integer_value(json_object_get(row, "ord")),
                   json_string_value(json_object_get(row, "why")));
        csv_text(&out, json_string_value(json_object_get(row, "reason")));
        buf_puts(&out, "\r\n");
    }
    req_add_header(r, "Content-Disposition",
                   arena_printf(r->arena, "attachment; filename=\"budget-%s-%lld.csv\"",
                                r->comm->slug,
                                (long long)json_integer_value(json_object_get(p, "id"))));
    render_bytes(r, 200, "text/csv; charset=utf-8", out.data, out.len);
    buf_free(&out);
}

void bg_ballots_csv(struct req *r)
{
    json_t *p = NULL;
    if (!results_rows(r, &p)) return;
    int64_t pid = json_integer_value(json_object_get(p, "id"));
    json_t *rows = req_own(r, budget_ballot_file(req_db(r), pid));
    struct buf out;
    buf_init(&out);
    buf_puts(&out, "receipt,project_id,weight\r\n");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        buf_printf(&out, "%s,%lld,%lld\r\n", json_string_value(json_object_get(row, "receipt")),
                   (long long)json_integer_value(json_object_get(row, "project_id")),
                   (long long)json_integer_value(json_object_get(row, "weight")));
    }
    req_add_header(r, "Content-Disposition",
                   arena_printf(r->arena, "attachment; filename=\"budget-%s-%lld-ballots.csv\"",
                                r->comm->slug, (long long)pid));
    render_bytes(r, 200, "text/csv; charset=utf-8", out.data, out.len);
    buf_free(&out);
}

void bg_ballots_pb(struct req *r)
{
    json_t *p = NULL;
    if (!results_rows(r, &p)) return;
    int64_t pid = json_integer_value(json_object_get(p, "id"));
    size_t len = 0;
    char *pb = budget_pb_export(req_db(r), pid, &len);
    if (!pb) {
        bg_not_found(r);
        return;
    }
    req_add_header(r, "Content-Disposition",
                   arena_printf(r->arena, "attachment; filename=\"budget-%s-%lld.pb\"",
                                r->comm->slug, (long long)pid));
    render_bytes(r, 200, "text/plain; charset=utf-8", pb, len);
    free(pb);
}
