/* The work pages of the four stages: each stage's forms (its texts, its
 * entries with their removal, the selects they need) on a page of their
 * own, and the coordinator's choice on another, so that the initiative's
 * page is a summary that reads the data once and draws no form but the
 * move (docs/performance.md: the implementation's page of an initiative
 * with a hundred tasks drew a form and a select for each). */
#include "areas/initiative/internal.h"
#include "core/util.h"

#include <string.h>

static const char *const WORK_PATHS[] = {NULL,         "analysis",   "design", "implementation",
                                         "evaluation", "coordinator"};

const char *ini_work_url(struct req *r, int64_t id, int work)
{
    if (work < 1 || work > INI_WORK_COORDINATOR) return ini_page_url(r, id);
    return arena_printf(r->arena, "%s/%s", ini_page_url(r, id), WORK_PATHS[work]);
}

/* 1 when the viewer may use work page work of v (the stage's view), else
 * 0 with the answer sent. */
static int allowed(struct req *r, json_t *v, json_t *it, int work)
{
    const char *state = json_string_value(json_object_get(it, "state"));
    int64_t stage = json_integer_value(json_object_get(it, "stage"));
    if (!str_eq(state, "work")) {
        render_error(r, 409, "conflict", "initiative.error.not_at_work");
        return 0;
    }
    if (work == INI_WORK_COORDINATOR) {
        if (json_is_true(json_object_get(v, "can_coordinate"))) return 1;
        render_error(r, 403, "forbidden", "error.forbidden");
        return 0;
    }
    if (stage < work) {
        render_error(r, 409, "conflict", "initiative.error.not_this_stage");
        return 0;
    }
    if (json_is_true(json_object_get(v, arena_printf(r->arena, "edit%d", work)))) return 1;
    render_error(r, 403, "forbidden", "initiative.error.not_team");
    return 0;
}

void ini_work_render(struct req *r, int status, struct form *f, int work, json_t *row_error)
{
    int64_t id = req_path_int(r, "id");
    struct initiative x;
    if (initiative_find(req_db(r), r->arena, r->comm->id, id, &x) != 0) {
        if (f) form_release(f);
        ini_not_found(r);
        return;
    }
    json_t *it = req_own(r, json_pack("{sI ss sI}", "id", (json_int_t)id, "state",
                                      x.state ? x.state : "", "stage", (json_int_t)x.stage));
    if (x.title) json_object_set_new(it, "title", json_string(x.title));
    const char *what = work == INI_WORK_COORDINATOR
                           ? tr(r, "initiative.coordinator.choose")
                           : tr(r, arena_printf(r->arena, "initiative.work.%d", work));
    json_t *v = ini_base_view(r, "initiative.title");
    json_object_set_new(
        v, "title", json_string(x.title ? arena_printf(r->arena, "%s · %s", what, x.title) : what));
    json_object_set(v, "initiative", it);
    struct form empty;
    if (!f) {
        form_init(&empty, r);
        f = &empty;
    }
    ini_stage_view(r, v, it, f, row_error, work);
    if (!allowed(r, v, it, work)) {
        form_release(f);
        return;
    }
    render_form(r, status,
                work == INI_WORK_COORDINATOR ? "initiative/coordinator" : "initiative/work", v, f);
}

static void analysis_get(struct req *r)
{
    ini_work_render(r, 200, NULL, 1, NULL);
}

static void design_get(struct req *r)
{
    ini_work_render(r, 200, NULL, 2, NULL);
}

static void implementation_get(struct req *r)
{
    ini_work_render(r, 200, NULL, 3, NULL);
}

static void evaluation_get(struct req *r)
{
    ini_work_render(r, 200, NULL, 4, NULL);
}

static void coordinator_get(struct req *r)
{
    ini_work_render(r, 200, NULL, INI_WORK_COORDINATOR, NULL);
}

#define ONE "/c/{slug}/initiatives/{id:int}"
const struct route ini_work_routes[] = {
    {"GET", ONE "/analysis", CAP_C_MEMBER, 0, NULL, analysis_get, NULL},
    {"GET", ONE "/design", CAP_C_MEMBER, 0, NULL, design_get, NULL},
    {"GET", ONE "/implementation", CAP_C_MEMBER, 0, NULL, implementation_get, NULL},
    {"GET", ONE "/evaluation", CAP_C_MEMBER, 0, NULL, evaluation_get, NULL},
    {"GET", ONE "/coordinator", CAP_C_ORGANIZE, 0, NULL, coordinator_get, NULL},
    {0},
};
