/* The initiative pages: the list with filters and search, proposing and
 * editing, the initiative's page; the routes and the struct area. The
 * supports, comments and the organizers' decisions are in decide.c. */
#include "areas/initiative/internal.h"
#include "core/notify.h"
#include "core/text.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

const char *ini_url(struct req *r, const char *suffix)
{
    return arena_printf(r->arena, "/c/%s/initiatives%s", r->comm->slug, suffix);
}

const char *ini_page_url(struct req *r, int64_t id)
{
    return arena_printf(r->arena, "/c/%s/initiatives/%lld", r->comm->slug, (long long)id);
}

json_t *ini_base_view(struct req *r, const char *title_key)
{
    return req_own(r,
                   json_pack("{ss ss ss sb sb}", "title", tr(r, title_key), "slug", r->comm->slug,
                             "name", r->comm->name, "is_member", req_has(r, CAP_C_MEMBER),
                             "is_organizer", req_has(r, CAP_C_ORGANIZE)));
}

void ini_not_found(struct req *r)
{
    render_error(r, 404, "not_found", "error.not_found");
}

static void as_bool(json_t *row, const char *key)
{
    json_t *v = json_object_get(row, key);
    if (v) json_object_set_new(row, key, json_boolean(json_integer_value(v) != 0));
}

/* The label of (key, stage) from L, made and kept there when it is not
 * (while L has room); request-owned. */
static json_t *label_of(struct req *r, struct ini_labels *L, const char *prefix, const char *key,
                        int64_t stage)
{
    for (int i = 0; L && i < L->n; i++)
        if (L->e[i].prefix == prefix && L->e[i].stage == stage && str_eq(L->e[i].key, key))
            return L->e[i].label;
    const char *label = tr(r, arena_printf(r->arena, "%s%s", prefix, key));
    if (stage > 0)
        label =
            arena_printf(r->arena, "%s: %s", label,
                         tr(r, arena_printf(r->arena, "initiative.stage.%lld", (long long)stage)));
    json_t *v = req_own(r, view_string(label));
    if (L && L->n < (int)HR_ARRAY_LEN(L->e))
        L->e[L->n++] = (struct ini_label){prefix, arena_strdup(r->arena, key), stage, v};
    return v;
}

static const char DIRECTION_PREFIX[] = "initiative.direction.";
static const char STATE_PREFIX[] = "initiative.state.";

void ini_decorate_with(struct req *r, struct ini_labels *L, json_t *row)
{
    const char *dir = json_string_value(json_object_get(row, "direction"));
    const char *state = json_string_value(json_object_get(row, "state"));
    int64_t stage = json_integer_value(json_object_get(row, "stage"));
    if (dir) json_object_set(row, "direction_label", label_of(r, L, DIRECTION_PREFIX, dir, 0));
    if (state) json_object_set(row, "state_label", label_of(r, L, STATE_PREFIX, state, stage));
    static const char *const flags[] = {"former", "mine", "supported", "hidden", "automatic"};
    for (size_t i = 0; i < HR_ARRAY_LEN(flags); i++)
        as_bool(row, flags[i]);
}

void ini_decorate(struct req *r, json_t *row)
{
    ini_decorate_with(r, NULL, row);
}

/* ---- the list ---- */

static const char *const STATE_FILTER[] = {"idea", "queued", "work", "merged", "declined", NULL};

static const struct field FORM_FILTER[] = {
    {"q", F_TEXT, 0, 0, INITIATIVE_QUERY_MAX, NULL, NULL},
    {"state", F_CHOICE, 0, 0, 0, STATE_FILTER, "initiative.state."},
    {"direction", F_CHOICE, 0, 0, 0, initiative_directions, "initiative.direction."},
    {"place", F_REF, 0, 0, 0, NULL, NULL},
    {"sort", F_CHOICE, 0, 0, 0, initiative_sorts, "initiative.sort."},
    {"mine", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const char *const LIST_PARAMS[] = {"page", NULL};
/* the initiative's page: its comments' page */
static const char *const PAGE_PARAMS[] = {"page", NULL};

/* What the list shows of an initiative: the author's name is for members
 * (the member list is theirs, even in a public community). */
static const struct vfield LIST_FIELDS[] = {
    {"id", CAP_ANY},         {"title", CAP_ANY},          {"direction", CAP_ANY},
    {"state", CAP_ANY},      {"stage", CAP_ANY},          {"supports", CAP_ANY},
    {"comments", CAP_ANY},   {"created", CAP_ANY},        {"place", CAP_ANY},
    {"place_text", CAP_ANY}, {"author", CAP_C_MEMBER},    {"former", CAP_C_MEMBER},
    {"mine", CAP_C_MEMBER},  {"supported", CAP_C_MEMBER}, {NULL, 0},
};

/* 1 if id is among rows' ids. */
static int offered(json_t *rows, int64_t id)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (json_integer_value(json_object_get(row, "id")) == id) return 1;
    }
    return 0;
}

/* The places as a select's rows, indented by depth. */
static json_t *place_rows(struct req *r, json_t *places)
{
    json_t *rows = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(places, i, p)
    {
        int64_t depth = json_integer_value(json_object_get(p, "depth"));
        const char *name = json_string_value(json_object_get(p, "name"));
        struct buf b;
        buf_init(&b);
        for (int64_t k = 0; k < depth && k < 6; k++)
            buf_puts(&b, "\xc2\xa0\xc2\xa0");
        buf_puts(&b, name ? name : "");
        json_array_append_new(rows,
                              json_pack("{sI ss}", "id",
                                        (json_int_t)json_integer_value(json_object_get(p, "id")),
                                        "name", b.data));
        buf_free(&b);
    }
    return req_own(r, rows);
}

/* The filters of the list as the rest of a query string, for its pages. */
static const char *list_filters(struct req *r, const struct form *f)
{
    struct buf b;
    buf_init(&b);
    buf_puts(&b, "");
    static const char *const names[] = {"q", "state", "direction", "place", "sort", "mine"};
    for (size_t i = 0; i < HR_ARRAY_LEN(names); i++) {
        const char *v = json_string_value(json_object_get(f->values, names[i]));
        if (str_empty(v) || json_object_get(f->errors, names[i])) continue;
        buf_printf(&b, "&%s=", names[i]);
        url_escape(&b, v);
    }
    const char *s = arena_strdup(r->arena, b.data);
    buf_free(&b);
    return s;
}

static void list_get(struct req *r)
{
    struct form f;
    int ok = form_read(&f, r, FORM_FILTER);
    json_t *places = req_own(r, initiative_places(req_db(r), r->comm->id));
    int64_t place = form_num(&f, "place", 0);
    if (place && !offered(places, place)) {
        form_error(&f, "place", "error.bad_choice");
        ok = 0;
    }
    int64_t page = req_page(r);
    int mine = form_num(&f, "mine", 0) && r->comm->member_id;
    /* a filter that failed is left out; the others still apply */
    struct initiative_filter flt = {
        .state = json_object_get(f.errors, "state") ? NULL : form_str(&f, "state"),
        .direction = json_object_get(f.errors, "direction") ? NULL : form_str(&f, "direction"),
        .territory_id = json_object_get(f.errors, "place") ? 0 : place,
        .member_id = mine ? r->comm->member_id : 0,
        .by_support = str_eq(form_str(&f, "sort"), "support"),
        .limit = INITIATIVE_PAGE + 1,
        .offset = (page - 1) * INITIATIVE_PAGE,
    };
    const char *q = json_object_get(f.errors, "q") ? NULL : form_str(&f, "q");
    char *words = NULL;
    int nwords = q ? initiative_query_words(req_db(r), r->comm->id, q, &words) : 0;
    flt.words = nwords < 0 ? "[\"\"]" : words;
    flt.nwords = nwords < 0 ? 1 : nwords;
    struct vmask m = view_mask(r, LIST_FIELDS);
    int64_t total = -1;
    json_t *rows = initiative_list(req_db(r), &m, r->comm->id, r->comm->member_id, &flt, &total);
    int more = render_page_rows(&rows, INITIATIVE_PAGE);
    req_own(r, rows);
    /* a search has counted its hits; a first page that holds them all has
     * counted them too */
    if (total < 0)
        total = page == 1 && !more ? (int64_t)json_array_size(rows)
                                   : initiative_count(req_db(r), r->comm->id, &flt);
    free(words);
    struct ini_labels labels = {0};
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        ini_decorate_with(r, &labels, row);
    }
    json_t *v = ini_base_view(r, "initiative.title");
    json_object_set(v, "initiatives", rows);
    json_object_set_new(v, "count", json_integer(total));
    json_object_set_new(v, "page", json_integer(page));
    json_object_set_new(v, "threshold", json_integer(initiative_threshold(req_db(r), r->comm->id)));
    json_object_set_new(v, "has_places", json_boolean(json_array_size(places) > 0));
    render_pager(r, v, page, more, ini_url(r, "?page="), list_filters(r, &f));
    form_options(&f, "place", place_rows(r, places), "id", "name", "initiative.any");
    render_form(r, ok ? 200 : 422, "initiative/list", v, &f);
}

/* ---- proposing and editing ---- */

static const struct field FORM_INITIATIVE[] = {
    {"title", F_TEXT, 1, 0, INITIATIVE_TITLE_MAX, NULL, NULL},
    {"problem", F_TEXT, 1, 0, INITIATIVE_TEXT_MAX, NULL, NULL},
    {"proposal", F_TEXT, 1, 0, INITIATIVE_TEXT_MAX, NULL, NULL},
    {"direction", F_CHOICE, 1, 0, 0, initiative_directions, "initiative.direction."},
    {"place", F_REF, 0, 0, 0, NULL, NULL},
    {"place_text", F_TEXT, 0, 0, INITIATIVE_PLACE_MAX, NULL, NULL},
    {"goal", F_REF, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* The form's page: its place and goal selects are the community's. */
static void form_page(struct req *r, int status, struct form *f, const char *title_key,
                      const char *action, json_t *places, json_t *goals)
{
    json_t *v = ini_base_view(r, title_key);
    json_object_set_new(v, "action", json_string(action));
    json_object_set_new(v, "has_places", json_boolean(json_array_size(places) > 0));
    json_object_set_new(v, "has_goals", json_boolean(json_array_size(goals) > 0));
    form_options(f, "place", place_rows(r, places), "id", "name", "initiative.place.none");
    form_options(f, "goal", goals, "id", "title", "initiative.goal.none");
    render_form(r, status, "initiative/form", v, f);
}

static json_t *goals_of(struct req *r)
{
    json_t *g = initiative_goals(req_db(r), r->comm->id);
    return req_own(r, g ? g : json_array());
}

static json_t *places_of(struct req *r)
{
    json_t *p = initiative_places(req_db(r), r->comm->id);
    return req_own(r, p ? p : json_array());
}

static void new_get(struct req *r)
{
    struct form f;
    json_t *stored = req_own(r, json_pack("{ss}", "direction", "leisure"));
    form_fill(&f, r, FORM_INITIATIVE, stored);
    form_page(r, 200, &f, "initiative.new", ini_url(r, ""), places_of(r), goals_of(r));
}

/* Reads the form into n; 1 when valid (the place and goal among those
 * offered), else 0 with a message beside the field. */
static int read_initiative(struct req *r, struct form *f, struct initiative_new *n, json_t *places,
                           json_t *goals)
{
    form_read(f, r, FORM_INITIATIVE);
    n->title = form_str(f, "title");
    n->problem = form_str(f, "problem");
    n->proposal = form_str(f, "proposal");
    n->direction = form_str(f, "direction");
    n->place_text = form_str(f, "place_text");
    n->territory_id = form_num(f, "place", 0);
    n->goal_id = form_num(f, "goal", 0);
    if (n->territory_id && !json_object_get(f->errors, "place") &&
        !offered(places, n->territory_id))
        form_error(f, "place", "error.bad_choice");
    if (n->goal_id && !json_object_get(f->errors, "goal") && !offered(goals, n->goal_id))
        form_error(f, "goal", "error.bad_choice");
    return form_ok(f);
}

static void create_post(struct req *r)
{
    struct form f;
    struct initiative_new n;
    json_t *places = places_of(r), *goals = goals_of(r);
    if (!read_initiative(r, &f, &n, places, goals)) {
        form_page(r, 422, &f, "initiative.new", ini_url(r, ""), places, goals);
        return;
    }
    struct dbc *w = req_write_begin(r);
    int64_t id = 0;
    enum wr rc = w ? initiative_create(w, r->comm->id, r->comm->member_id, &n, &id) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, ini_page_url(r, id), "flash.initiative_proposed");
}

static void edit_get(struct req *r)
{
    struct initiative x;
    if (initiative_find(req_db(r), r->arena, r->comm->id, req_path_int(r, "id"), &x) != 0) {
        ini_not_found(r);
        return;
    }
    if (!r->comm->member_id || x.member_id != r->comm->member_id) {
        render_error(r, 403, "forbidden", "initiative.error.not_yours");
        return;
    }
    if (!initiative_allows(x.state, INITIATIVE_EDIT)) {
        render_error(r, 409, "conflict", "initiative.error.not_idea");
        return;
    }
    json_t *stored = req_own(
        r, json_pack("{ss ss ss ss sI ss sI}", "title", x.title ? x.title : "", "problem",
                     x.problem ? x.problem : "", "proposal", x.proposal ? x.proposal : "",
                     "direction", x.direction, "place", (json_int_t)x.territory_id, "place_text",
                     x.place_text ? x.place_text : "", "goal", (json_int_t)x.goal_id));
    if (!x.territory_id) json_object_del(stored, "place");
    if (!x.goal_id) json_object_del(stored, "goal");
    struct form f;
    form_fill(&f, r, FORM_INITIATIVE, stored);
    form_page(r, 200, &f, "initiative.edit",
              arena_printf(r->arena, "%s/edit", ini_page_url(r, x.id)), places_of(r), goals_of(r));
}

static void edit_post(struct req *r)
{
    int64_t id = req_path_int(r, "id");
    struct form f;
    struct initiative_new n;
    json_t *places = places_of(r), *goals = goals_of(r);
    if (!read_initiative(r, &f, &n, places, goals)) {
        form_page(r, 422, &f, "initiative.edit",
                  arena_printf(r->arena, "%s/edit", ini_page_url(r, id)), places, goals);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? initiative_update(w, r->comm->id, id, r->comm->member_id, &n) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, ini_page_url(r, id), "flash.saved");
}

/* ---- the initiative's page ---- */

static const struct vfield VIEW_FIELDS[] = {
    {"id", CAP_ANY},
    {"title", CAP_ANY},
    {"problem", CAP_ANY},
    {"proposal", CAP_ANY},
    {"direction", CAP_ANY},
    {"state", CAP_ANY},
    {"stage", CAP_ANY},
    {"supports", CAP_ANY},
    {"comments", CAP_ANY},
    {"created", CAP_ANY},
    {"place_id", CAP_ANY},
    {"place", CAP_ANY},
    {"place_text", CAP_ANY},
    {"goal_id", CAP_ANY},
    {"goal", CAP_ANY},
    {"merged_into", CAP_ANY},
    {"merged_title", CAP_ANY},
    {"author", CAP_C_MEMBER},
    {"former", CAP_C_MEMBER},
    {"mine", CAP_C_MEMBER},
    {"supported", CAP_C_MEMBER},
    {NULL, 0},
};
static const struct vfield HISTORY_FIELDS[] = {
    {"day", CAP_ANY},         {"from_state", CAP_ANY},
    {"to_state", CAP_ANY},    {"from_stage", CAP_ANY},
    {"to_stage", CAP_ANY},    {"automatic", CAP_ANY},
    {"reason", CAP_ANY},      {"who", CAP_C_MEMBER},
    {"former", CAP_C_MEMBER}, {NULL, 0},
};
static const struct vfield COMMENT_FIELDS[] = {
    {"id", CAP_ANY},          {"body", CAP_ANY},      {"hidden_reason", CAP_ANY},
    {"hidden", CAP_ANY},      {"created", CAP_ANY},   {"author", CAP_C_MEMBER},
    {"former", CAP_C_MEMBER}, {"mine", CAP_C_MEMBER}, {NULL, 0},
};

static const char *state_label(struct req *r, const char *state, int64_t stage)
{
    const char *s = tr(r, arena_printf(r->arena, "initiative.state.%s", state ? state : ""));
    if (stage > 0)
        s = arena_printf(r->arena, "%s: %s", s,
                         tr(r, arena_printf(r->arena, "initiative.stage.%lld", (long long)stage)));
    return s;
}

void ini_page_render(struct req *r, int status, struct form *comment)
{
    ini_page_render_with(r, status, comment, NULL);
}

void ini_page_render_with(struct req *r, int status, struct form *comment, json_t *extra)
{
    int64_t id = req_path_int(r, "id");
    struct vmask m = view_mask(r, VIEW_FIELDS);
    json_t *it = req_own(r, initiative_view(req_db(r), &m, r->comm->id, id, r->comm->member_id));
    if (!json_is_object(it)) {
        if (comment) form_release(comment);
        ini_not_found(r);
        return;
    }
    ini_decorate(r, it);
    const char *state = json_string_value(json_object_get(it, "state"));
    int member = req_has(r, CAP_C_MEMBER), organizer = req_has(r, CAP_C_ORGANIZE);
    int supported = json_is_true(json_object_get(it, "supported"));
    json_t *v = ini_base_view(r, "initiative.title");
    json_object_set_new(v, "title",
                        json_string(json_string_value(json_object_get(it, "title"))
                                        ? json_string_value(json_object_get(it, "title"))
                                        : tr(r, "initiative.title")));
    json_object_set(v, "initiative", it);
    int64_t threshold = initiative_threshold(req_db(r), r->comm->id);
    json_object_set_new(v, "threshold", json_integer(threshold));
    json_object_set_new(v, "supports_text",
                        json_string(tr_n(r, "initiative.supports", "supports",
                                         json_integer_value(json_object_get(it, "supports")))));
    int supportable = initiative_allows(state, INITIATIVE_SUPPORT);
    json_object_set_new(v, "can_support", json_boolean(member && supportable && !supported));
    json_object_set_new(v, "can_withdraw", json_boolean(member && supportable && supported));
    json_object_set_new(v, "can_edit",
                        json_boolean(json_is_true(json_object_get(it, "mine")) &&
                                     initiative_allows(state, INITIATIVE_EDIT)));
    json_object_set_new(v, "can_comment",
                        json_boolean(member && initiative_allows(state, INITIATIVE_COMMENT)));
    json_object_set_new(v, "can_decide",
                        json_boolean(organizer && initiative_allows(state, INITIATIVE_DECIDE)));
    json_object_set_new(v, "is_idea", json_boolean(str_eq(state, "idea")));
    char *reason = str_eq(state, "declined") || str_eq(state, "merged")
                       ? initiative_decision_reason(req_db(r), r->comm->id, id)
                       : NULL;
    if (reason && reason[0]) json_object_set_new(v, "decision_reason", json_string(reason));
    free(reason);
    /* the history, with its states in words */
    struct vmask hm = view_mask(r, HISTORY_FIELDS);
    json_t *hist = req_own(r, initiative_history(req_db(r), &hm, r->comm->id, id));
    size_t i;
    json_t *row;
    json_array_foreach(hist, i, row)
    {
        json_object_set_new(
            row, "from_label",
            json_string(state_label(r, json_string_value(json_object_get(row, "from_state")),
                                    json_integer_value(json_object_get(row, "from_stage")))));
        json_object_set_new(
            row, "to_label",
            json_string(state_label(r, json_string_value(json_object_get(row, "to_state")),
                                    json_integer_value(json_object_get(row, "to_stage")))));
        ini_decorate(r, row);
    }
    json_object_set(v, "history", hist ? hist : req_own(r, json_array()));
    /* the comments, paged */
    int64_t page = req_page(r);
    struct vmask cm = view_mask(r, COMMENT_FIELDS);
    json_t *comments =
        initiative_comments(req_db(r), &cm, r->comm->id, id, r->comm->member_id,
                            INITIATIVE_COMMENTS_PAGE + 1, (page - 1) * INITIATIVE_COMMENTS_PAGE);
    int more = render_page_rows(&comments, INITIATIVE_COMMENTS_PAGE);
    req_own(r, comments);
    json_array_foreach(comments, i, row)
    {
        ini_decorate(r, row);
        json_object_set_new(
            row, "can_hide",
            json_boolean(organizer && !json_is_true(json_object_get(row, "hidden"))));
    }
    json_object_set(v, "comment_list", comments);
    json_object_set_new(v, "page", json_integer(page));
    render_pager(r, v, page, more, arena_printf(r->arena, "%s?page=", ini_page_url(r, id)),
                 "#comments");
    /* the stages' section: a summary, the forms on the work pages */
    struct form empty;
    if (!comment) {
        form_init(&empty, r);
        comment = &empty;
    }
    ini_stage_view(r, v, it, comment, NULL, 0);
    if (extra) json_object_update(v, extra);
    render_form(r, status, "initiative/page", v, comment);
}

static void page_get(struct req *r)
{
    ini_page_render(r, 200, NULL);
}

/* ---- routes ---- */

static const struct route initiative_routes[] = {
    {"GET", "/c/{slug}/initiatives", CAP_C_READ, 0, LIST_PARAMS, list_get, FORM_FILTER},
    {"POST", "/c/{slug}/initiatives", CAP_C_MEMBER, 0, NULL, create_post, FORM_INITIATIVE},
    {"GET", "/c/{slug}/initiatives/new", CAP_C_MEMBER, 0, NULL, new_get, NULL},
    {"GET", "/c/{slug}/initiatives/settings", CAP_C_ORGANIZE, 0, NULL, ini_settings_get, NULL},
    {"POST", "/c/{slug}/initiatives/settings", CAP_C_ORGANIZE, 0, NULL, ini_settings_post,
     INI_FORM_SETTINGS},
    {"GET", "/c/{slug}/initiatives/{id:int}", CAP_C_READ, 0, PAGE_PARAMS, page_get, NULL},
    {"GET", "/c/{slug}/initiatives/{id:int}/edit", CAP_C_MEMBER, 0, NULL, edit_get, NULL},
    {"POST", "/c/{slug}/initiatives/{id:int}/edit", CAP_C_MEMBER, 0, NULL, edit_post,
     FORM_INITIATIVE},
    {"POST", "/c/{slug}/initiatives/{id:int}/support", CAP_C_MEMBER, 0, NULL, ini_support_post,
     NULL},
    {"POST", "/c/{slug}/initiatives/{id:int}/withdraw", CAP_C_MEMBER, 0, NULL, ini_withdraw_post,
     NULL},
    {"POST", "/c/{slug}/initiatives/{id:int}/comments", CAP_C_MEMBER, 0, NULL, ini_comment_post,
     INI_FORM_COMMENT},
    {"GET", "/c/{slug}/initiatives/{id:int}/comments/{comment:int}/hide", CAP_C_ORGANIZE, 0, NULL,
     ini_hide_get, NULL},
    {"POST", "/c/{slug}/initiatives/{id:int}/comments/{comment:int}/hide", CAP_C_ORGANIZE, 0, NULL,
     ini_hide_post, INI_FORM_REASON},
    {"POST", "/c/{slug}/initiatives/{id:int}/accept", CAP_C_ORGANIZE, 0, NULL, ini_accept_post,
     NULL},
    {"GET", "/c/{slug}/initiatives/{id:int}/decline", CAP_C_ORGANIZE, 0, NULL, ini_decline_get,
     NULL},
    {"POST", "/c/{slug}/initiatives/{id:int}/decline", CAP_C_ORGANIZE, 0, NULL, ini_decline_post,
     INI_FORM_REASON},
    {"GET", "/c/{slug}/initiatives/{id:int}/merge", CAP_C_ORGANIZE, 0, NULL, ini_merge_get, NULL},
    {"POST", "/c/{slug}/initiatives/{id:int}/merge", CAP_C_ORGANIZE, 0, NULL, ini_merge_post,
     INI_FORM_MERGE},
    {0},
};

static const struct route_table initiative_tables[] = {{SCOPE_COMMUNITY, initiative_routes},
                                                       {SCOPE_COMMUNITY, ini_stage_routes},
                                                       {SCOPE_COMMUNITY, ini_work_routes},
                                                       {SCOPE_COMMUNITY, ini_photo_routes},
                                                       {SCOPE_COMMUNITY, ini_funds_routes},
                                                       {SCOPE_COMMUNITY, ini_report_routes},
                                                       {0}};

/* The notices the initiatives write (core/notify.h). */
static const struct notify_kind initiative_notify_kinds[] = {
    {INITIATIVE_NOTIFY_COMMENT, "initiative.notify.comment", NOTIFY_INBOX,
     "/initiatives/{id}#comments"},
    {INITIATIVE_NOTIFY_TASK, "initiative.notify.task_owner", NOTIFY_INBOX,
     "/initiatives/{id}#stages"},
    {0},
};

const struct area initiative_area = {
    .name = "initiative",
    .routes = initiative_tables,
    .nav_path = "/initiatives",
    .nav_label = "initiative.title",
    .demo = demo_initiative,
    .bench = benchdata_initiative,
    .seal_texts = initiative_seal_texts,
    .person_export = initiative_person_export,
    .notify_kinds = initiative_notify_kinds,
};
