/* The forms of the four stages' data, all on the initiative's page: every
 * POST is form -> req_write_begin -> the model -> req_commit -> redirect
 * to the stage's part of the page; a form that fails answers 422 with the
 * page again, the message beside its field and the input kept (each
 * form's field names are its own on the page). */
#include "areas/community/community.h"
#include "areas/initiative/internal.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

enum { LONG_TEXT = INITIATIVE_TEXT_MAX, SHORT_TEXT = 2000 };

const struct field INI_FORM_ANALYSIS[] = {
    {"analysis", F_TEXT, 0, 0, LONG_TEXT, NULL, NULL},
    {"affected", F_TEXT, 0, 0, SHORT_TEXT, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field INI_FORM_DESIGN[] = {
    {"goal", F_TEXT, 0, 0, SHORT_TEXT, NULL, NULL},
    {"result", F_TEXT, 0, 0, SHORT_TEXT, NULL, NULL},
    {"risks", F_TEXT, 0, 0, SHORT_TEXT, NULL, NULL},
    {"budget_confirmed", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field INI_FORM_EVALUATION[] = {
    {"done_text", F_TEXT, 0, 0, LONG_TEXT, NULL, NULL},
    {"learned", F_TEXT, 0, 0, LONG_TEXT, NULL, NULL},
    {"consequences", F_TEXT, 0, 0, LONG_TEXT, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_EVIDENCE[] = {
    {"evidence", F_TEXT, 1, 0, 40, NULL, NULL}, /* "<kind>-<id>", one of those offered */
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_STAKEHOLDER[] = {
    {"stakeholder_name", F_TEXT, 1, 0, INITIATIVE_NAME_MAX, NULL, NULL},
    {"stakeholder_part", F_TEXT, 0, 0, INITIATIVE_NOTE_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_INDICATOR[] = {
    {"indicator_name", F_TEXT, 1, 0, INITIATIVE_NAME_MAX, NULL, NULL},
    {"indicator_now", F_INT, 1, 0, INITIATIVE_VALUE_MAX, NULL, NULL},
    {"indicator_target", F_INT, 1, 0, INITIATIVE_VALUE_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_TASK[] = {
    {"task_title", F_TEXT, 1, 0, INITIATIVE_NAME_MAX, NULL, NULL},
    {"task_owner", F_REF, 0, 0, 0, NULL, NULL},
    {"task_due", F_DATE, 0, 0, 0, NULL, NULL},
    {"task_hours", F_INT, 0, 0, INITIATIVE_HOURS_MAX, NULL, NULL},
    {"task_money", F_TEXT, 0, 0, 24, NULL, NULL}, /* an amount */
    {"task_people", F_INT, 0, 0, INITIATIVE_PEOPLE_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_TEAM[] = {
    {"team_member", F_REF, 0, 0, 0, NULL, NULL}, /* the candidates' select */
    {"team_name", F_TEXT, 0, 0, INITIATIVE_NAME_MAX, NULL, NULL},
    {"team_role", F_TEXT, 1, 0, INITIATIVE_NAME_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_LINE[] = {
    {"line_name", F_TEXT, 1, 0, INITIATIVE_NAME_MAX, NULL, NULL},
    {"line_amount", F_TEXT, 1, 0, 24, NULL, NULL}, /* an amount */
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_REMOVE[] = {
    {"kind", F_CHOICE, 1, 0, 0, initiative_entry_kinds, NULL},
    {"entry", F_INT, 1, 1, INT64_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_TASK_STATUS[] = {
    {"status", F_CHOICE, 1, 0, 0, ini_task_statuses, "initiative.task."},
    {"progress", F_INT, 0, 0, 100, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_REPORT[] = {
    {"report_body", F_TEXT, 1, 0, LONG_TEXT, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_SPENDING[] = {
    {"spend_line", F_REF, 1, 0, 0, NULL, NULL},
    {"spend_amount", F_TEXT, 1, 0, 24, NULL, NULL}, /* an amount */
    {"spend_day", F_DATE, 1, 0, 0, NULL, NULL},
    {"spend_note", F_TEXT, 0, 0, INITIATIVE_NOTE_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_AFTER[] = {
    {"value_after", F_INT, 0, 0, INITIATIVE_VALUE_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static int64_t path_id(struct req *r)
{
    return req_path_int(r, "id");
}

int64_t ini_amount_field(struct form *f, const char *name)
{
    const char *s = form_str(f, name);
    int64_t minor = 0;
    if (s && !json_object_get(f->errors, name) && initiative_amount_parse(s, &minor) != 0)
        form_error(f, name, "initiative.error.amount");
    return minor;
}

int ini_write_begin(struct req *r, struct form *f, struct dbc **w, ini_form_page page, int arg)
{
    if (!form_ok(f)) {
        page(r, f, arg);
        return 0;
    }
    *w = req_write_begin(r);
    return 1;
}

void ini_write_finish(struct req *r, struct form *f, enum wr rc, const char *to)
{
    if (f) form_release(f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, to, "flash.saved");
}

static void work_page_422(struct req *r, struct form *f, int stage)
{
    ini_work_render(r, 422, f, stage, NULL);
}

/* A member field: an error beside it when it names no member here. */
static int64_t member_field(struct form *f, const char *name)
{
    int64_t m = form_num(f, name, 0);
    if (m && !json_object_get(f->errors, name)) {
        char *who = member_name_of(req_db(f->r), f->r->comm->id, m);
        if (!who) form_error(f, name, "error.bad_choice");
        free(who);
    }
    return m;
}

/* The start of a form's write: 422 with the stage's work page when f
 * failed (0), else 1 and a writer in *w (NULL: busy, which req_commit
 * answers). */
static int begin(struct req *r, struct form *f, struct dbc **w, int stage)
{
    return ini_write_begin(r, f, w, work_page_422, stage);
}

/* Its end: committed, back to the stage's work page (stage 0: the
 * initiative's page, at the implementation). */
static void finish(struct req *r, struct form *f, enum wr rc, int stage)
{
    ini_write_finish(r, f, rc,
                     stage ? ini_work_url(r, path_id(r), stage)
                           : arena_printf(r->arena, "%s#stage-3", ini_page_url(r, path_id(r))));
}

#define WHO r->comm->id, path_id(r), r->comm->member_id, req_has(r, CAP_C_ORGANIZE)

/* ---- the texts of a stage ---- */

static void texts_post(struct req *r, const struct field *fields, int stage, const char *a,
                       const char *b, const char *c)
{
    struct form f;
    form_read(&f, r, fields);
    struct dbc *w = NULL;
    if (!begin(r, &f, &w, stage)) return;
    struct initiative_texts t = {stage, form_str(&f, a), form_str(&f, b),
                                 c ? form_str(&f, c) : NULL,
                                 stage == 2 && form_num(&f, "budget_confirmed", 0)};
    finish(r, &f, w ? initiative_texts_save(w, WHO, &t) : WR_BUSY, stage);
}

static void analysis_post(struct req *r)
{
    texts_post(r, INI_FORM_ANALYSIS, 1, "analysis", "affected", NULL);
}

static void design_post(struct req *r)
{
    texts_post(r, INI_FORM_DESIGN, 2, "goal", "result", "risks");
}

static void evaluation_post(struct req *r)
{
    texts_post(r, INI_FORM_EVALUATION, 4, "done_text", "learned", "consequences");
}

/* ---- the analysis ---- */

static void evidence_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_EVIDENCE);
    const char *ev = form_str(&f, "evidence");
    char kind[16] = "";
    long long ref = 0;
    int n = 0;
    if (ev && !json_object_get(f.errors, "evidence") &&
        (sscanf(ev, "%15[a-z]-%lld%n", kind, &ref, &n) != 2 || ev[n] != 0 || ref <= 0 ||
         form_choice_index(ini_evidence_kinds, kind) < 0))
        form_error(&f, "evidence", "error.bad_choice");
    if (form_ok(&f)) {
        /* one of those the page offers this viewer */
        json_t *choices =
            req_own(r, initiative_evidence_choices(req_db(r), r->comm->id, r->comm->member_id,
                                                   req_has(r, CAP_C_ORGANIZE)));
        int found = 0;
        size_t i;
        json_t *row;
        json_array_foreach(choices, i, row)
        {
            found |= str_eq(json_string_value(json_object_get(row, "kind")), kind) &&
                     json_integer_value(json_object_get(row, "ref")) == ref;
        }
        if (!found) form_error(&f, "evidence", "error.bad_choice");
    }
    struct dbc *w = NULL;
    if (!begin(r, &f, &w, 1)) return;
    finish(r, &f, w ? initiative_evidence_add(w, WHO, kind, ref) : WR_BUSY, 1);
}

static void stakeholder_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_STAKEHOLDER);
    struct dbc *w = NULL;
    if (!begin(r, &f, &w, 1)) return;
    finish(r, &f,
           w ? initiative_stakeholder_add(w, WHO, form_str(&f, "stakeholder_name"),
                                          form_str(&f, "stakeholder_part"))
             : WR_BUSY,
           1);
}

/* ---- the design ---- */

static void indicator_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_INDICATOR);
    struct dbc *w = NULL;
    if (!begin(r, &f, &w, 2)) return;
    finish(r, &f,
           w ? initiative_indicator_add(w, WHO, form_str(&f, "indicator_name"),
                                        form_num(&f, "indicator_now", 0),
                                        form_num(&f, "indicator_target", 0))
             : WR_BUSY,
           2);
}

static void task_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_TASK);
    struct initiative_task_new t = {
        .title = form_str(&f, "task_title"),
        .due = json_object_get(f.errors, "task_due") ? NULL : form_str(&f, "task_due"),
        .owner = member_field(&f, "task_owner"),
        .hours = form_num(&f, "task_hours", 0),
        .money = ini_amount_field(&f, "task_money"),
        .people = form_num(&f, "task_people", 0),
    };
    struct dbc *w = NULL;
    if (!begin(r, &f, &w, 2)) return;
    finish(r, &f, w ? initiative_task_add(w, WHO, &t, NULL) : WR_BUSY, 2);
}

static void team_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_TEAM);
    /* by name, the members of a community being too many for a select */
    int64_t member = member_pick(&f, "team_member", "team_name");
    if (!member && form_ok(&f)) form_error(&f, "team_name", "error.required");
    struct dbc *w = NULL;
    if (!begin(r, &f, &w, 2)) return;
    finish(r, &f, w ? initiative_team_add(w, WHO, member, form_str(&f, "team_role")) : WR_BUSY, 2);
}

static void line_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_LINE);
    int64_t amount = ini_amount_field(&f, "line_amount");
    struct dbc *w = NULL;
    if (!begin(r, &f, &w, 2)) return;
    finish(r, &f, w ? initiative_line_add(w, WHO, form_str(&f, "line_name"), amount) : WR_BUSY, 2);
}

static void remove_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, FORM_REMOVE)) {
        form_release(&f);
        render_error(r, 422, "invalid", "error.invalid");
        return;
    }
    const char *kind = form_str(&f, "kind");
    int stage = str_eq(kind, "evidence") || str_eq(kind, "stakeholder") ? 1 : 2;
    struct dbc *w = req_write_begin(r);
    finish(r, &f, w ? initiative_entry_remove(w, WHO, kind, form_num(&f, "entry", 0)) : WR_BUSY,
           stage);
}

/* ---- the implementation and the evaluation ---- */

/* An indicator's value after that failed: the evaluation's work page
 * with the message beside that row's field and its input kept. */
static void after_invalid(struct req *r, struct form *f, int64_t entry, const char *field)
{
    json_t *input = json_deep_copy(f->values);
    json_t *msg = json_object_get(f->errors, field);
    if (!msg) {
        const char *k;
        json_t *e;
        json_object_foreach(f->errors, k, e)
        {
            msg = e;
            break;
        }
    }
    json_t *row_error =
        json_pack("{ss sI so so}", "kind", "indicator", "entry", (json_int_t)entry, "input", input,
                  "message", msg ? json_incref(msg) : json_string(""));
    ini_work_render(r, 422, f, 4, req_own(r, row_error));
}

/* ---- a task's page: its status and progress ---- */

static const struct vfield TASK_FIELDS[] = {
    {"entry", CAP_ANY},    {"title", CAP_ANY},     {"owner", CAP_C_MEMBER},
    {"no_owner", CAP_ANY}, {"mine", CAP_C_MEMBER}, {"due", CAP_ANY},
    {"status", CAP_ANY},   {"progress", CAP_ANY},  {NULL, 0},
};

/* The task's page with f (its status and progress, stored or sent back):
 * for the organizers, the coordinator, the team and the task's owner while
 * the initiative is implemented or evaluated. */
static void task_page(struct req *r, int status, struct form *f)
{
    struct dbc *c = req_db(r);
    int64_t cid = r->comm->id, id = path_id(r), task = req_path_int(r, "task");
    int64_t me = r->comm->member_id;
    struct initiative x;
    json_t *row = NULL;
    struct vmask m = view_mask(r, TASK_FIELDS);
    json_t *tasks = initiative_find(c, r->arena, cid, id, &x) == 0
                        ? req_own(r, initiative_task_rows(c, &m, cid, id, me))
                        : NULL;
    size_t i;
    json_t *t;
    json_array_foreach(tasks, i, t)
    {
        if (json_integer_value(json_object_get(t, "entry")) == task) row = t;
    }
    if (!row) {
        form_release(f);
        ini_not_found(r);
        return;
    }
    int may = req_has(r, CAP_C_ORGANIZE) || (me && initiative_coordinator(c, cid, id) == me) ||
              initiative_on_team(c, id, me) || json_integer_value(json_object_get(row, "mine"));
    if (!str_eq(x.state, "work") || x.stage < 3 || !may) {
        form_release(f);
        if (!may)
            render_error(r, 403, "forbidden", "initiative.error.not_team");
        else
            render_error(r, 409, "conflict", "initiative.error.not_this_stage");
        return;
    }
    json_object_set_new(row, "no_owner",
                        json_boolean(json_integer_value(json_object_get(row, "no_owner"))));
    const char *chosen = json_string_value(json_object_get(f->values, "status"));
    json_t *opts = json_array();
    for (int k = 0; ini_task_statuses[k]; k++)
        json_array_append_new(opts, json_pack("{ss ss sb}", "value", ini_task_statuses[k], "label",
                                              tr(r, arena_printf(r->arena, "initiative.task.%s",
                                                                 ini_task_statuses[k])),
                                              "selected", str_eq(chosen, ini_task_statuses[k])));
    json_object_set_new(row, "statuses", opts);
    json_t *v = ini_base_view(r, "initiative.task.update");
    const char *title = json_string_value(json_object_get(row, "title"));
    json_object_set_new(v, "title", json_string(title ? title : tr(r, "initiative.task.update")));
    json_object_set_new(
        v, "initiative",
        json_pack("{sI ss}", "id", (json_int_t)id, "title", x.title ? x.title : ""));
    json_object_set(v, "task", row);
    render_form(r, status, "initiative/task", v, f);
}

static void task_get(struct req *r)
{
    struct dbc *c = req_db(r);
    int64_t id = path_id(r), task = req_path_int(r, "task");
    struct vmask m = view_mask(r, TASK_FIELDS);
    json_t *tasks = req_own(r, initiative_task_rows(c, &m, r->comm->id, id, r->comm->member_id));
    json_t *stored = req_own(r, json_object());
    size_t i;
    json_t *t;
    json_array_foreach(tasks, i, t)
    {
        if (json_integer_value(json_object_get(t, "entry")) != task) continue;
        json_object_set(stored, "status", json_object_get(t, "status"));
        json_object_set(stored, "progress", json_object_get(t, "progress"));
    }
    struct form f;
    form_fill(&f, r, FORM_TASK_STATUS, stored);
    task_page(r, 200, &f);
}

static void task_status_post(struct req *r)
{
    struct form f;
    int64_t task = req_path_int(r, "task");
    if (!form_read(&f, r, FORM_TASK_STATUS)) {
        task_page(r, 422, &f);
        return;
    }
    const char *status = form_str(&f, "status");
    int64_t progress = form_num(&f, "progress", str_eq(status, "done") ? 100 : 0);
    struct dbc *w = req_write_begin(r);
    finish(r, &f, w ? initiative_task_status(w, WHO, task, status, progress) : WR_BUSY, 0);
}

static void report_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_REPORT);
    struct dbc *w = NULL;
    if (!begin(r, &f, &w, 3)) return;
    finish(r, &f, w ? initiative_report_add(w, WHO, form_str(&f, "report_body")) : WR_BUSY, 3);
}

static void spending_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_SPENDING);
    struct initiative_spending_new s = {
        .line = form_num(&f, "spend_line", 0),
        .amount = ini_amount_field(&f, "spend_amount"),
        .day = form_str(&f, "spend_day"),
        .note = form_str(&f, "spend_note"),
    };
    struct dbc *w = NULL;
    if (!begin(r, &f, &w, 3)) return;
    finish(r, &f, w ? initiative_spending_add(w, WHO, &s) : WR_BUSY, 3);
}

static void after_post(struct req *r)
{
    struct form f;
    int64_t indicator = req_path_int(r, "indicator");
    if (!form_read(&f, r, FORM_AFTER)) {
        after_invalid(r, &f, indicator, "value_after");
        return;
    }
    struct dbc *w = req_write_begin(r);
    finish(r, &f,
           w ? initiative_value_after(w, WHO, indicator, form_num(&f, "value_after", -1)) : WR_BUSY,
           4);
}

/* ---- routes ---- */

#define ONE "/c/{slug}/initiatives/{id:int}"
const struct route ini_stage_routes[] = {
    {"POST", ONE "/move", CAP_C_MEMBER, 0, NULL, ini_move_post, INI_FORM_MOVE},
    {"GET", ONE "/back", CAP_C_MEMBER, 0, NULL, ini_back_get, NULL},
    {"POST", ONE "/back", CAP_C_MEMBER, 0, NULL, ini_back_post, INI_FORM_BACK},
    {"POST", ONE "/coordinator", CAP_C_ORGANIZE, 0, NULL, ini_coordinator_post,
     INI_FORM_COORDINATOR},
    {"POST", ONE "/analysis", CAP_C_MEMBER, 0, NULL, analysis_post, INI_FORM_ANALYSIS},
    {"POST", ONE "/evidence", CAP_C_MEMBER, 0, NULL, evidence_post, FORM_EVIDENCE},
    {"POST", ONE "/stakeholders", CAP_C_MEMBER, 0, NULL, stakeholder_post, FORM_STAKEHOLDER},
    {"POST", ONE "/design", CAP_C_MEMBER, 0, NULL, design_post, INI_FORM_DESIGN},
    {"POST", ONE "/indicators", CAP_C_MEMBER, 0, NULL, indicator_post, FORM_INDICATOR},
    {"POST", ONE "/tasks", CAP_C_MEMBER, 0, NULL, task_post, FORM_TASK},
    {"POST", ONE "/team", CAP_C_MEMBER, 0, NULL, team_post, FORM_TEAM},
    {"POST", ONE "/budget", CAP_C_MEMBER, 0, NULL, line_post, FORM_LINE},
    {"POST", ONE "/remove", CAP_C_MEMBER, 0, NULL, remove_post, FORM_REMOVE},
    {"GET", ONE "/tasks/{task:int}/edit", CAP_C_MEMBER, 0, NULL, task_get, NULL},
    {"POST", ONE "/tasks/{task:int}/status", CAP_C_MEMBER, 0, NULL, task_status_post,
     FORM_TASK_STATUS},
    {"POST", ONE "/reports", CAP_C_MEMBER, 0, NULL, report_post, FORM_REPORT},
    {"POST", ONE "/spending", CAP_C_MEMBER, 0, NULL, spending_post, FORM_SPENDING},
    {"POST", ONE "/evaluation", CAP_C_MEMBER, 0, NULL, evaluation_post, INI_FORM_EVALUATION},
    {"POST", ONE "/indicators/{indicator:int}/after", CAP_C_MEMBER, 0, NULL, after_post,
     FORM_AFTER},
    {0},
};
