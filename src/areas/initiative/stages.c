/* The initiative page's section of the four stages: where the work is,
 * the checklist of the gate ("what is still missing to move on"), the
 * moves forward and back, the coordinator, and each stage's data with its
 * forms for those who work on it (stage_forms.c handles them). */
#include "areas/community/community.h"
#include "areas/initiative/internal.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

/* What the page shows of the stages' data: people by name for members;
 * the evidence points into members' areas, so it is theirs too. */
static const struct vfield TEXT_FIELDS[] = {
    {"analysis", CAP_ANY},
    {"affected", CAP_ANY},
    {"goal", CAP_ANY},
    {"result", CAP_ANY},
    {"risks", CAP_ANY},
    {"budget_confirmed", CAP_ANY},
    {"done_text", CAP_ANY},
    {"learned", CAP_ANY},
    {"consequences", CAP_ANY},
    {"coordinator", CAP_C_MEMBER},
    {NULL, 0},
};
static const struct vfield EVIDENCE_FIELDS[] = {
    {"entry", CAP_C_MEMBER},
    {"kind", CAP_C_MEMBER},
    {"ref", CAP_C_MEMBER},
    {"what", CAP_C_MEMBER},
    {NULL, 0},
};
static const struct vfield STAKEHOLDER_FIELDS[] = {
    {"entry", CAP_ANY}, {"name", CAP_ANY}, {"part", CAP_ANY}, {NULL, 0}};
static const struct vfield INDICATOR_FIELDS[] = {
    {"entry", CAP_ANY},  {"name", CAP_ANY},        {"value_now", CAP_ANY},
    {"target", CAP_ANY}, {"value_after", CAP_ANY}, {NULL, 0},
};
static const struct vfield TASK_FIELDS[] = {
    {"entry", CAP_ANY},     {"title", CAP_ANY},  {"owner", CAP_C_MEMBER}, {"no_owner", CAP_ANY},
    {"mine", CAP_C_MEMBER}, {"due", CAP_ANY},    {"hours", CAP_ANY},      {"money", CAP_ANY},
    {"people", CAP_ANY},    {"status", CAP_ANY}, {"progress", CAP_ANY},   {NULL, 0},
};
static const struct vfield TEAM_FIELDS[] = {
    {"entry", CAP_C_MEMBER}, {"name", CAP_C_MEMBER}, {"role", CAP_C_MEMBER}, {NULL, 0}};
static const struct vfield LINE_FIELDS[] = {
    {"entry", CAP_ANY}, {"name", CAP_ANY}, {"amount", CAP_ANY}, {"spent", CAP_ANY}, {NULL, 0}};
static const struct vfield SPENDING_FIELDS[] = {
    {"day", CAP_ANY},      {"line", CAP_ANY},        {"amount", CAP_ANY}, {"note", CAP_ANY},
    {"who", CAP_C_MEMBER}, {"former", CAP_C_MEMBER}, {NULL, 0},
};
static const struct vfield REPORT_FIELDS[] = {
    {"entry", CAP_ANY},    {"created", CAP_ANY},     {"body", CAP_ANY},
    {"who", CAP_C_MEMBER}, {"former", CAP_C_MEMBER}, {NULL, 0},
};

const char *const ini_task_statuses[] = {"todo", "in_progress", "done", NULL};
const char *const ini_evidence_kinds[] = {"survey", "wave", "need", NULL};

const char *ini_amount_text(struct req *r, int64_t minor)
{
    char buf[48];
    int ru = r->lang && strncmp(r->lang, "ru", 2) == 0;
    initiative_amount_format(minor, ru ? "\xc2\xa0" : ",", ru ? "," : ".", buf, sizeof buf);
    return arena_strdup(r->arena, buf);
}

static void put_amount(struct req *r, json_t *row, const char *key, const char *as)
{
    json_t *v = json_object_get(row, key);
    if (json_is_integer(v))
        json_object_set_new(row, as, json_string(ini_amount_text(r, json_integer_value(v))));
}

/* A select's options from rows (key and label members), the one whose key
 * is selected marked; none_key adds a first empty option. */
json_t *ini_options(struct req *r, json_t *rows, const char *key, const char *label,
                    int64_t selected, const char *none_key)
{
    json_t *out = json_array();
    if (none_key)
        json_array_append_new(out, json_pack("{ss ss sb}", "value", "", "label", tr(r, none_key),
                                             "selected", selected == 0));
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        int64_t id = json_integer_value(json_object_get(row, key));
        const char *l = json_string_value(json_object_get(row, label));
        json_array_append_new(out, json_pack("{ss ss sb}", "value",
                                             arena_printf(r->arena, "%lld", (long long)id), "label",
                                             l ? l : "", "selected", id == selected));
    }
    return req_own(r, out);
}

int64_t form_value_int(json_t *values, const char *key)
{
    json_t *v = json_object_get(values, key);
    if (json_is_integer(v)) return json_integer_value(v);
    const char *s = json_string_value(v);
    return s ? strtoll(s, NULL, 10) : 0;
}

/* The gate of the stage as the page's checklist. */
static json_t *checklist(struct req *r, int64_t stage, const struct initiative_gate_facts *f,
                         int *missing)
{
    struct initiative_gate_item items[INITIATIVE_GATE_ITEMS];
    int n = initiative_gate(stage, f, items);
    *missing = initiative_gate_missing(items, n);
    json_t *out = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            out, json_pack("{ss sb}", "label",
                           tr(r, arena_printf(r->arena, "initiative.gate.%s", items[i].key)), "ok",
                           items[i].ok));
    return req_own(r, out);
}

json_t *ini_gate_labels(struct req *r, const char *missing_json)
{
    json_t *keys = json_loads(missing_json ? missing_json : "[]", 0, NULL);
    json_t *out = json_array();
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k)
    {
        const char *key = json_string_value(k);
        if (key)
            json_array_append_new(
                out, json_pack("{ss}", "label",
                               tr(r, arena_printf(r->arena, "initiative.gate.%s", key))));
    }
    json_decref(keys);
    return req_own(r, out);
}

static void set_rows(struct req *r, json_t *v, const char *key, json_t *rows)
{
    json_object_set(v, key, rows ? req_own(r, rows) : req_own(r, json_array()));
}

/* The rows of a list whose entry is row_error's, marked with its message
 * and the input kept. */
static void mark_row(json_t *rows, json_t *row_error, const char *kind)
{
    const char *k = json_string_value(json_object_get(row_error, "kind"));
    if (!k || strcmp(k, kind) != 0) return;
    int64_t entry = json_integer_value(json_object_get(row_error, "entry"));
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (json_integer_value(json_object_get(row, "entry")) != entry) continue;
        json_object_update(row, json_object_get(row_error, "input"));
        json_object_set(row, "error", json_object_get(row_error, "message"));
    }
}

void ini_stage_view(struct req *r, json_t *v, json_t *it, struct form *f, json_t *row_error,
                    int work)
{
    const char *state = json_string_value(json_object_get(it, "state"));
    int64_t stage = json_integer_value(json_object_get(it, "stage"));
    int64_t id = json_integer_value(json_object_get(it, "id"));
    int at_work = str_eq(state, "work"), done = str_eq(state, "done");
    json_object_set_new(v, "has_stages", json_boolean(at_work || done));
    if (!at_work && !done) return;
    struct dbc *c = req_db(r);
    int64_t cid = r->comm->id, me = r->comm->member_id;
    int organizer = req_has(r, CAP_C_ORGANIZE);
    int64_t coord = initiative_coordinator(c, cid, id);
    int may_move = organizer || (me && coord == me);
    int may_work = may_move || initiative_on_team(c, id, me);
    /* the stages, where the work is */
    json_t *stages = req_own(r, json_array());
    for (int k = 1; k <= 4; k++)
        json_array_append_new(
            stages, json_pack("{sI ss sb sb}", "n", (json_int_t)k, "label",
                              tr(r, arena_printf(r->arena, "initiative.stage.%d", k)), "current",
                              at_work && stage == k, "past", done || stage > k));
    json_object_set(v, "stages", stages);
    json_object_set_new(v, "at_work", json_boolean(at_work));
    json_object_set_new(v, "is_done", json_boolean(done));
    json_object_set_new(v, "stage_now", json_integer(done ? 5 : stage));
    json_object_set_new(v, "stage_last", json_boolean(at_work && stage == 4));
    /* the gate of the current stage */
    if (at_work) {
        struct initiative_gate_facts facts = {0};
        int missing = 0;
        if (initiative_gate_load(c, cid, id, &facts) == 0)
            json_object_set(v, "gate", checklist(r, stage, &facts, &missing));
        json_object_set_new(v, "gate_open", json_boolean(missing == 0));
        json_object_set_new(v, "gate_title",
                            json_string(tr(r, arena_printf(r->arena, "initiative.gate.title.%lld",
                                                           (long long)stage))));
    }
    json_object_set_new(v, "can_move", json_boolean(at_work && may_move));
    json_object_set_new(v, "can_back", json_boolean(may_move && (done || stage > 1)));
    json_object_set_new(v, "can_coordinate", json_boolean(organizer));
    /* each stage shown once reached, the link to its work page (its
     * forms) while at work; on a work page, that stage's part */
    for (int k = 1; k <= 4; k++) {
        json_object_set_new(v, arena_printf(r->arena, "show%d", k),
                            json_boolean(done || stage >= k));
        json_object_set_new(v, arena_printf(r->arena, "edit%d", k),
                            json_boolean(at_work && may_work && stage >= k));
        if (work)
            json_object_set_new(v, arena_printf(r->arena, "page%d", k), json_boolean(work == k));
    }
    if (work) json_object_set_new(v, "work_stage", json_integer(work));
    /* the texts, as stored, in the forms (a form sent back keeps its own) */
    struct vmask tm = view_mask(r, TEXT_FIELDS);
    json_t *texts = initiative_texts_view(c, &tm, cid, id);
    if (!texts) texts = json_object();
    req_own(r, texts);
    json_object_set(v, "work", texts);
    if (work && f && at_work && may_work) {
        static const char *const keys[] = {"analysis", "affected",  "goal",    "result",
                                           "risks",    "done_text", "learned", "consequences"};
        for (size_t i = 0; i < HR_ARRAY_LEN(keys); i++)
            if (!json_object_get(f->values, keys[i]) && json_object_get(texts, keys[i]))
                json_object_set(f->values, keys[i], json_object_get(texts, keys[i]));
    }
    /* the box as sent when the design's form comes back, else as stored */
    int confirmed = f && f->fields == INI_FORM_DESIGN
                        ? form_given(f, "budget_confirmed")
                        : json_integer_value(json_object_get(texts, "budget_confirmed")) != 0;
    json_object_set_new(v, "budget_confirmed", json_boolean(confirmed));
    /* the entries */
    struct vmask m;
    m = view_mask(r, EVIDENCE_FIELDS);
    /* evidence points into the members' areas: none for others */
    json_t *ev = req_has(r, CAP_C_MEMBER) ? initiative_evidence_rows(c, &m, cid, id, me, organizer)
                                          : json_array();
    set_rows(r, v, "evidence", ev);
    size_t i;
    json_t *row;
    json_array_foreach(ev, i, row)
    {
        const char *kind = json_string_value(json_object_get(row, "kind"));
        if (!kind) continue;
        json_object_set_new(
            row, "kind_label",
            json_string(tr(r, arena_printf(r->arena, "initiative.evidence.%s", kind))));
        int64_t ref = json_integer_value(json_object_get(row, "ref"));
        const char *path = str_eq(kind, "survey") ? "surveys/%lld/results"
                           : str_eq(kind, "wave") ? "soc/waves/%lld"
                                                  : "talents/%lld";
        if (json_object_get(row, "what") && !json_is_null(json_object_get(row, "what")))
            json_object_set_new(
                row, "href",
                json_string(arena_printf(r->arena, "/c/%s/%s", r->comm->slug,
                                         arena_printf(r->arena, path, (long long)ref))));
    }
    m = view_mask(r, STAKEHOLDER_FIELDS);
    set_rows(r, v, "stakeholders", initiative_stakeholder_rows(c, &m, cid, id));
    m = view_mask(r, INDICATOR_FIELDS);
    json_t *ind = initiative_indicator_rows(c, &m, cid, id);
    set_rows(r, v, "indicators", ind);
    mark_row(ind, row_error, "indicator");
    m = view_mask(r, TASK_FIELDS);
    json_t *tasks = initiative_task_rows(c, &m, cid, id, me);
    set_rows(r, v, "tasks", tasks);
    json_array_foreach(tasks, i, row)
    {
        const char *st = json_string_value(json_object_get(row, "status"));
        json_object_set_new(
            row, "status_label",
            json_string(tr(r, arena_printf(r->arena, "initiative.task.%s", st ? st : "todo"))));
        put_amount(r, row, "money", "money_text");
        int mine = json_integer_value(json_object_get(row, "mine")) != 0;
        json_object_set_new(row, "mine", json_boolean(mine));
        json_object_set_new(row, "no_owner",
                            json_boolean(json_integer_value(json_object_get(row, "no_owner"))));
        json_object_set_new(row, "can_report",
                            json_boolean(at_work && stage >= 3 && (may_work || mine)));
    }
    m = view_mask(r, TEAM_FIELDS);
    set_rows(r, v, "team", initiative_team_rows(c, &m, cid, id));
    m = view_mask(r, LINE_FIELDS);
    json_t *lines = initiative_line_rows(c, &m, cid, id);
    set_rows(r, v, "lines", lines);
    int64_t total = 0, spent = 0;
    json_array_foreach(lines, i, row)
    {
        int64_t a = json_integer_value(json_object_get(row, "amount"));
        int64_t s = json_integer_value(json_object_get(row, "spent"));
        total += a;
        spent += s;
        put_amount(r, row, "amount", "amount_text");
        put_amount(r, row, "spent", "spent_text");
        json_object_set_new(row, "left_text", json_string(ini_amount_text(r, a > s ? a - s : 0)));
        json_object_set_new(row, "over", json_boolean(s > a));
    }
    json_object_set_new(v, "budget_total", json_string(ini_amount_text(r, total)));
    json_object_set_new(v, "spent_total", json_string(ini_amount_text(r, spent)));
    json_object_set_new(v, "left_total",
                        json_string(ini_amount_text(r, total > spent ? total - spent : 0)));
    /* the spending entries: the implementation's work page; the summary
     * has each line's spent and left (docs/performance.md) */
    m = view_mask(r, SPENDING_FIELDS);
    json_t *sp = work == 3 ? initiative_spending_rows(c, &m, cid, id) : NULL;
    set_rows(r, v, "spending", sp);
    json_array_foreach(sp, i, row)
    {
        put_amount(r, row, "amount", "amount_text");
        ini_decorate(r, row);
    }
    m = view_mask(r, REPORT_FIELDS);
    json_t *reports = initiative_report_rows(c, &m, cid, id);
    set_rows(r, v, "reports", reports);
    json_array_foreach(reports, i, row)
    {
        ini_decorate(r, row);
    }
    int may_photo = work == 3 && at_work && (may_work || organizer);
    json_object_set_new(v, "photo_remove", json_boolean(may_photo));
    ini_photos_attach(r, v, reports, id, may_photo);
    /* the summary ends here: the selects are the work pages' */
    if (!work || !at_work || !(may_work || organizer)) return;
    /* the selects of the forms */
    json_t *values = f ? f->values : NULL;
    /* The selects offer the initiative's own people; anyone else of the
     * community is found by name (member_pick), so that no page draws the
     * whole member list (a community of thousands made it 30 M
     * instructions). A name that several members share comes back as the
     * candidates in the form's options. */
    json_t *people = req_own(r, initiative_people(c, cid, id));
    if (!people) people = req_own(r, json_array());
    json_t *picked = f && f->options ? f->options : NULL;
    if (organizer) {
        json_t *cands = picked ? json_object_get(picked, "coordinator") : NULL;
        json_object_set(v, "coordinator_options",
                        cands ? cands
                              : ini_options(r, people, "id", "display_name",
                                            values && json_object_get(values, "coordinator")
                                                ? form_value_int(values, "coordinator")
                                                : coord,
                                            "initiative.coordinator.none"));
    }
    if (!may_work) return;
    json_object_set(v, "owner_options",
                    ini_options(r, people, "id", "display_name",
                                form_value_int(values, "task_owner"), "initiative.task.no_owner"));
    json_t *team_cands = picked ? json_object_get(picked, "team_member") : NULL;
    if (team_cands) json_object_set(v, "team_options", team_cands);
    json_object_set(v, "line_options",
                    ini_options(r, lines, "entry", "name", form_value_int(values, "spend_line"),
                                "initiative.spending.choose"));
    /* the evidence select (the community's newest needs, each title
     * opened): the analysis' work page only */
    if (work != 1) return;
    json_t *choices = req_own(r, initiative_evidence_choices(c, cid, me, organizer));
    json_t *ev_opts = req_own(r, json_array());
    const char *chosen = values ? json_string_value(json_object_get(values, "evidence")) : NULL;
    json_array_append_new(ev_opts, json_pack("{ss ss sb}", "value", "", "label",
                                             tr(r, "initiative.evidence.choose"), "selected", 1));
    json_array_foreach(choices, i, row)
    {
        const char *kind = json_string_value(json_object_get(row, "kind"));
        const char *what = json_string_value(json_object_get(row, "what"));
        const char *val = arena_printf(r->arena, "%s-%lld", kind ? kind : "",
                                       (long long)json_integer_value(json_object_get(row, "ref")));
        json_array_append_new(
            ev_opts, json_pack("{ss ss sb}", "value", val, "label",
                               arena_printf(r->arena, "%s: %s",
                                            tr(r, arena_printf(r->arena, "initiative.evidence.%s",
                                                               kind ? kind : "")),
                                            what ? what : ""),
                               "selected", str_eq(chosen, val)));
    }
    json_object_set(v, "evidence_options", ev_opts);
    json_object_set_new(v, "has_evidence_choices", json_boolean(json_array_size(choices) > 0));
}

/* ---- moving ---- */

const struct field INI_FORM_MOVE[] = {
    {"stage", F_INT, 1, 1, 4, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field INI_FORM_BACK[] = {
    {"stage", F_INT, 1, 2, 5, NULL, NULL},
    {"reason", F_TEXT, 1, 0, INITIATIVE_REASON_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field INI_FORM_COORDINATOR[] = {
    {"coordinator", F_REF, 0, 0, 0, NULL, NULL},
    {"coordinator_name", F_TEXT, 0, 0, INITIATIVE_NAME_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

void ini_move_post(struct req *r)
{
    int64_t id = req_path_int(r, "id");
    struct form f;
    if (!form_read(&f, r, INI_FORM_MOVE)) {
        form_release(&f);
        render_error(r, 422, "invalid", "error.invalid");
        return;
    }
    int64_t from = form_num(&f, "stage", 0);
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    char *missing = NULL;
    enum wr rc = w ? initiative_move(w, r->comm->id, id, r->comm->member_id,
                                     req_has(r, CAP_C_ORGANIZE), from, &missing)
                   : WR_BUSY;
    if (rc == WR_CONFLICT && missing) {
        /* refused by the gate: the page again, with what is missing */
        req_write_end(r, 0);
        json_t *extra = json_pack("{sO}", "gate_missing", ini_gate_labels(r, missing));
        free(missing);
        ini_page_render_with(r, 409, NULL, req_own(r, extra));
        return;
    }
    free(missing);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, ini_page_url(r, id),
                        from == 4 ? "flash.initiative_closed" : "flash.initiative_moved");
}

static void back_page(struct req *r, int status, struct form *f)
{
    json_t *v = ini_base_view(r, "initiative.back");
    struct initiative x;
    if (initiative_find(req_db(r), r->arena, r->comm->id, req_path_int(r, "id"), &x) == 0 &&
        x.title)
        json_object_set_new(v, "what", json_string(x.title));
    json_object_set_new(v, "hint", json_string(tr(r, "initiative.back.hint")));
    json_object_set_new(
        v, "action",
        json_string(arena_printf(r->arena, "%s/back", ini_page_url(r, req_path_int(r, "id")))));
    json_object_set_new(v, "button", json_string(tr(r, "initiative.back.submit")));
    json_object_set_new(v, "back", json_string(ini_page_url(r, req_path_int(r, "id"))));
    render_form(r, status, "initiative/back", v, f);
}

void ini_back_get(struct req *r)
{
    struct initiative x;
    if (initiative_find(req_db(r), r->arena, r->comm->id, req_path_int(r, "id"), &x) != 0) {
        ini_not_found(r);
        return;
    }
    int64_t from = str_eq(x.state, "done") ? 5 : str_eq(x.state, "work") ? x.stage : 0;
    if (from < 2) {
        render_error(r, 409, "conflict", "initiative.error.no_way_back");
        return;
    }
    struct form f;
    form_fill(&f, r, INI_FORM_BACK, req_own(r, json_pack("{sI}", "stage", (json_int_t)from)));
    back_page(r, 200, &f);
}

void ini_back_post(struct req *r)
{
    int64_t id = req_path_int(r, "id");
    struct form f;
    if (!form_read(&f, r, INI_FORM_BACK)) {
        back_page(r, 422, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? initiative_move_back(w, r->comm->id, id, r->comm->member_id, req_has(r, CAP_C_ORGANIZE),
                                 form_num(&f, "stage", 0), form_str(&f, "reason"))
          : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, ini_page_url(r, id), "flash.initiative_moved_back");
}

void ini_coordinator_post(struct req *r)
{
    int64_t id = req_path_int(r, "id");
    struct form f;
    form_read(&f, r, INI_FORM_COORDINATOR);
    /* a name typed wins over the select; neither: no coordinator */
    int64_t member = member_pick(&f, "coordinator", "coordinator_name");
    if (!form_ok(&f)) {
        ini_work_render(r, 422, &f, INI_WORK_COORDINATOR, NULL);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? initiative_coordinator_set(w, r->comm->id, id, member) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, arena_printf(r->arena, "%s#stages", ini_page_url(r, id)), "flash.saved");
}
