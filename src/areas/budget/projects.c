/* Proposing and editing a project, and the organizers' review. */
#include "areas/budget/count.h"
#include "areas/budget/internal.h"
#include "core/util.h"

#include <string.h>

const struct field BG_FORM_PROJECT[] = {
    {"title", F_TEXT, 1, 0, BUDGET_TITLE_MAX, NULL, NULL},
    {"description", F_TEXT, 1, 0, BUDGET_TEXT_MAX, NULL, NULL},
    {"place", F_TEXT, 0, 0, BUDGET_PLACE_MAX, NULL, NULL},
    {"cost", F_INT, 1, 1, BC_MAX_MONEY, NULL, NULL},
    {"initiative", F_INT, 0, 0, INT64_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static const char *const REVIEW_CHOICES[] = {"feasible", "infeasible", NULL};

const struct field BG_FORM_REVIEW[] = {
    {"review", F_CHOICE, 1, 0, 0, REVIEW_CHOICES, "budget.review."},
    {"reason", F_TEXT, 0, 0, BUDGET_REASON_MAX, NULL, NULL},
    {"reviewed_cost", F_INT, 0, 0, BC_MAX_MONEY, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void project_page(struct req *r, int status, struct form *f, json_t *process,
                         const char *title_key, const char *action)
{
    json_t *v = bg_base_view(r, title_key);
    json_object_set(v, "process", process);
    json_object_set_new(v, "action", json_string(action));
    render_form(r, status, "budget/project", v, f);
}

static int read_project(struct req *r, struct form *f, struct budget_project_new *n)
{
    form_read(f, r, BG_FORM_PROJECT);
    n->title = form_str(f, "title");
    n->description = form_str(f, "description");
    n->place = form_str(f, "place");
    n->cost = form_num(f, "cost", 0);
    n->initiative_id = form_num(f, "initiative", 0);
    return form_ok(f);
}

void bg_project_new_get(struct req *r)
{
    int64_t pid = req_path_int(r, "id");
    json_t *p = bg_process_or_404(r, pid);
    if (!p) return;
    struct form f;
    form_fill(&f, r, BG_FORM_PROJECT, NULL);
    project_page(r, 200, &f, p, "budget.project.new", bg_process_url(r, pid, "/projects"));
}

void bg_project_create_post(struct req *r)
{
    int64_t pid = req_path_int(r, "id");
    struct form f;
    struct budget_project_new n;
    if (!read_project(r, &f, &n)) {
        json_t *p = bg_process_or_404(r, pid);
        if (!p) {
            form_release(&f);
            return;
        }
        project_page(r, 422, &f, p, "budget.project.new", bg_process_url(r, pid, "/projects"));
        return;
    }
    struct dbc *w = req_write_begin(r);
    int64_t id = 0;
    enum wr rc = w ? budget_project_add(w, r->comm->id, pid, r->comm->member_id, &n, &id) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, bg_process_url(r, pid, ""), "flash.budget_proposed");
}

void bg_project_edit_get(struct req *r)
{
    int64_t pid = req_path_int(r, "id"), id = req_path_int(r, "project");
    json_t *p = bg_process_or_404(r, pid);
    if (!p) return;
    struct budget_project j;
    if (budget_project_find(req_db(r), r->arena, r->comm->id, pid, id, &j) != 0) {
        bg_not_found(r);
        return;
    }
    if (!r->comm->member_id || j.member_id != r->comm->member_id) {
        render_error(r, 403, "forbidden", "budget.error.not_yours");
        return;
    }
    if (!str_eq(j.review, "pending") || !json_is_true(json_object_get(p, "is_proposals"))) {
        render_error(r, 409, "conflict", "budget.error.not_editable");
        return;
    }
    json_t *stored = req_own(r, json_pack("{ss ss ss sI}", "title", j.title, "description",
                                          j.description ? j.description : "", "place",
                                          j.place ? j.place : "", "cost", (json_int_t)j.cost));
    if (j.initiative_id) json_object_set_new(stored, "initiative", json_integer(j.initiative_id));
    struct form f;
    form_fill(&f, r, BG_FORM_PROJECT, stored);
    project_page(
        r, 200, &f, p, "budget.project.edit",
        arena_printf(r->arena, "%s/projects/%lld/edit", bg_process_url(r, pid, ""), (long long)id));
}

void bg_project_edit_post(struct req *r)
{
    int64_t pid = req_path_int(r, "id"), id = req_path_int(r, "project");
    struct form f;
    struct budget_project_new n;
    if (!read_project(r, &f, &n)) {
        json_t *p = bg_process_or_404(r, pid);
        if (!p) {
            form_release(&f);
            return;
        }
        project_page(r, 422, &f, p, "budget.project.edit",
                     arena_printf(r->arena, "%s/projects/%lld/edit", bg_process_url(r, pid, ""),
                                  (long long)id));
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? budget_project_update(w, r->comm->id, pid, id, r->comm->member_id, &n) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, bg_process_url(r, pid, ""), "flash.saved");
}

static void review_page(struct req *r, int status, struct form *f, json_t *process,
                        const struct budget_project *j)
{
    json_t *v = bg_base_view(r, "budget.review");
    json_object_set(v, "process", process);
    json_object_set_new(
        v, "project",
        json_pack("{sI ss ss ss}", "id", (json_int_t)j->id, "title", j->title, "description",
                  j->description ? j->description : "", "cost",
                  bg_money(r, j->cost, json_string_value(json_object_get(process, "currency")))));
    json_object_set_new(
        v, "action",
        json_string(arena_printf(r->arena, "%s/projects/%lld/review",
                                 bg_process_url(r, j->process_id, ""), (long long)j->id)));
    render_form(r, status, "budget/review", v, f);
}

static int load(struct req *r, json_t **p, struct budget_project *j)
{
    int64_t pid = req_path_int(r, "id"), id = req_path_int(r, "project");
    *p = bg_process_or_404(r, pid);
    if (!*p) return -1;
    if (budget_project_find(req_db(r), r->arena, r->comm->id, pid, id, j) != 0) {
        bg_not_found(r);
        return -1;
    }
    return 0;
}

void bg_review_get(struct req *r)
{
    json_t *p;
    struct budget_project j;
    if (load(r, &p, &j) != 0) return;
    json_t *stored =
        req_own(r, json_pack("{ss ss}", "review",
                             str_eq(j.review, "infeasible") ? "infeasible" : "feasible", "reason",
                             j.reason ? j.reason : ""));
    if (j.reviewed_cost)
        json_object_set_new(stored, "reviewed_cost", json_integer(j.reviewed_cost));
    struct form f;
    form_fill(&f, r, BG_FORM_REVIEW, stored);
    review_page(r, 200, &f, p, &j);
}

void bg_review_post(struct req *r)
{
    json_t *p;
    struct budget_project j;
    struct form f;
    form_read(&f, r, BG_FORM_REVIEW);
    int feasible = str_eq(form_str(&f, "review") ? form_str(&f, "review") : "", "feasible");
    const char *reason = form_str(&f, "reason");
    /* the author is told why a project is not on the ballot */
    if (form_ok(&f) && !feasible && !reason) form_error(&f, "reason", "budget.error.reason");
    if (load(r, &p, &j) != 0) {
        form_release(&f);
        return;
    }
    if (!form_ok(&f)) {
        review_page(r, 422, &f, p, &j);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? budget_review(w, r->comm->id, j.process_id, j.id, feasible, reason,
                                   form_num(&f, "reviewed_cost", 0))
                   : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, bg_process_url(r, j.process_id, ""), "flash.saved");
}
