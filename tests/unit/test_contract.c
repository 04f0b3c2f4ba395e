/* The area contract's core parts: routes and scopes (typed parameters,
 * literal before parameter, ambiguous tables refused), capabilities asked
 * of the scope that owns them, write results from real SQLite errors,
 * views by allow-list, and forms described once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/app.h"
#include "core/area.h"
#include "core/db.h"
#include "core/form.h"
#include "core/i18n.h"
#include "core/render.h"
#include "core/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void h_none(struct req *r)
{
    (void)r;
}

static int load_any(struct req *r, const char *v)
{
    (void)r;
    return v && strcmp(v, "gone") != 0 ? 0 : -1;
}

static int can_never(struct req *r, enum cap cap)
{
    (void)r;
    (void)cap;
    return 403;
}

static const struct scope_def COMMUNITY = {"slug", load_any, can_never, NULL};

static const struct scope_def *const SCOPES[SCOPE_N] = {NULL, &COMMUNITY, NULL, NULL, NULL};

static const struct route R_TALENT[] = {
    {"GET", "/c/{slug}/talents/{id:int}", CAP_C_READ, 0, NULL, h_none, NULL},
    {"GET", "/c/{slug}/talents/mine", CAP_C_MEMBER, 0, NULL, h_none, NULL},
    {"GET", "/c/{slug}/talents/{kind}/all", CAP_C_READ, 0, NULL, h_none, NULL},
    {"POST", "/c/{slug}/talents/{id:int}", CAP_C_MEMBER, 0, NULL, h_none, NULL},
    {0},
};
static const struct route R_HOME[] = {
    {"GET", "/", CAP_ANY, 0, NULL, h_none, NULL},
    {"GET", "/c/new", CAP_USER, 0, NULL, h_none, NULL},
    {0},
};
static const struct route R_COMM[] = {
    {"GET", "/c/{slug}", CAP_C_SEE, 0, NULL, h_none, NULL},
    {0},
};

static const struct route_table T_GOOD[] = {
    {SCOPE_COMMUNITY, R_TALENT},
    {SCOPE_INSTANCE, R_HOME},
    {SCOPE_COMMUNITY, R_COMM},
    {0},
};

static const struct route *lookup(struct route_index *ix, struct req *r, const char *method,
                                  const char *path, int *matched)
{
    r->method = method;
    r->path = path;
    return router_lookup(ix, r, matched, NULL);
}

static void literal_wins_and_types_hold(void **state)
{
    (void)state;
    const struct route_table *const lists[] = {T_GOOD, NULL};
    struct route_index *ix = router_index(lists, SCOPES);
    assert_non_null(ix);
    assert_int_equal(router_count(ix), 7);
    struct req r;
    memset(&r, 0, sizeof r);
    r.arena = arena_new();
    int m = 0;
    /* "mine" is a literal: it wins over {id:int}, whatever the order */
    assert_ptr_equal(lookup(ix, &r, "GET", "/c/dvor/talents/mine", &m), &R_TALENT[1]);
    /* digits only for {id:int}, one spelling per number */
    assert_ptr_equal(lookup(ix, &r, "GET", "/c/dvor/talents/42", &m), &R_TALENT[0]);
    assert_int_equal(req_path_int(&r, "id"), 42);
    assert_string_equal(req_path(&r, "slug"), "dvor");
    assert_null(lookup(ix, &r, "GET", "/c/dvor/talents/042", &m));
    assert_int_equal(m, 0);
    assert_null(lookup(ix, &r, "GET", "/c/dvor/talents/12345678901234567890", &m));
    assert_null(lookup(ix, &r, "GET", "/c/dvor/talents/-1", &m));
    /* "/c/new" is the instance's page, not a community called "new" */
    enum scope sc = SCOPE_N;
    r.path = "/c/new";
    assert_ptr_equal(router_lookup(ix, &r, &m, &sc), &R_HOME[1]);
    assert_int_equal(sc, SCOPE_INSTANCE);
    r.path = "/c/dvor";
    assert_ptr_equal(router_lookup(ix, &r, &m, &sc), &R_COMM[0]);
    assert_int_equal(sc, SCOPE_COMMUNITY);
    /* a known path with another method tells 405 from 404 */
    assert_null(lookup(ix, &r, "POST", "/c/dvor/talents/mine", &m));
    assert_int_equal(m, 1);
    assert_null(lookup(ix, &r, "GET", "/c/dvor/nothing", &m));
    assert_int_equal(m, 0);
    /* HEAD is answered by GET */
    assert_ptr_equal(lookup(ix, &r, "HEAD", "/", &m), &R_HOME[0]);
    router_index_free(ix);
    arena_free(r.arena);
}

static const struct route R_CLASH[] = {
    {"GET", "/c/{slug}/talents/{name}", CAP_C_READ, 0, NULL, h_none, NULL},
    {0},
};
static const struct route R_BADCAP[] = {
    {"GET", "/about", CAP_C_MEMBER, 0, NULL, h_none, NULL},
    {0},
};
static const struct route R_NOPARAM[] = {
    {"GET", "/programmes/{id:int}", CAP_ANY, 0, NULL, h_none, NULL},
    {0},
};
static const struct route R_BADPAT[] = {
    {"GET", "/c/{slug}/x{id}", CAP_C_READ, 0, NULL, h_none, NULL},
    {"GET", "/c/{slug}/y/{id:float}", CAP_C_READ, 0, NULL, h_none, NULL},
    {0},
};

static void refused_tables(void **state)
{
    (void)state;
    /* {id:int} and {name} could both answer /c/x/talents/5: the server
     * must not start rather than pick one by the order of the tables */
    static const struct route_table clash[] = {{SCOPE_COMMUNITY, R_CLASH}, {0}};
    const struct route_table *const l1[] = {T_GOOD, clash, NULL};
    assert_null(router_index(l1, SCOPES));
    /* a community capability on an instance route */
    static const struct route_table badcap[] = {{SCOPE_INSTANCE, R_BADCAP}, {0}};
    const struct route_table *const l2[] = {badcap, NULL};
    assert_null(router_index(l2, SCOPES));
    /* a scope nobody registered (no programme area yet) */
    static const struct route_table noscope[] = {{SCOPE_PROGRAMME, R_NOPARAM}, {0}};
    const struct route_table *const l3[] = {noscope, NULL};
    assert_null(router_index(l3, SCOPES));
    /* a community route whose path does not name the community */
    static const struct route_table noparam[] = {{SCOPE_COMMUNITY, R_NOPARAM}, {0}};
    const struct route_table *const l4[] = {noparam, NULL};
    assert_null(router_index(l4, SCOPES));
    static const struct route_table badpat[] = {{SCOPE_COMMUNITY, R_BADPAT}, {0}};
    const struct route_table *const l5[] = {badpat, NULL};
    assert_null(router_index(l5, SCOPES));
}

static void capabilities_go_to_their_scope(void **state)
{
    (void)state;
    struct app app;
    memset(&app, 0, sizeof app);
    app.scopes[SCOPE_COMMUNITY] = &COMMUNITY;
    struct req r;
    memset(&r, 0, sizeof r);
    r.app = &app;
    assert_int_equal(req_can(&r, CAP_ANY), 0);
    assert_int_equal(req_can(&r, CAP_USER), 401);
    assert_int_equal(req_can(&r, CAP_C_READ), 403); /* the scope's own answer */
    struct account a = {7, "m", "M", "ru", 0, 0, "h"};
    r.acct = &a;
    assert_int_equal(req_can(&r, CAP_USER), 0);
    assert_int_equal(req_can(&r, CAP_ADMIN), 403);
    assert_false(req_has(&r, CAP_COORD));
    a.is_coord = 1;
    assert_true(req_has(&r, CAP_COORD));
}

static char g_dir[64];

static struct db *temp_db(void)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/hr-contract-XXXXXX");
    assert_non_null(mkdtemp(g_dir));
    char path[128];
    snprintf(path, sizeof path, "%s/t.db", g_dir);
    struct db *db = db_open(path, 1, 0);
    assert_non_null(db);
    return db;
}

static void temp_db_close(struct db *db)
{
    db_close(db);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    assert_int_equal(system(cmd), 0);
}

static void write_results_from_real_errors(void **state)
{
    (void)state;
    struct db *db = temp_db();
    struct dbc *w = db_write_begin(db);
    assert_non_null(w);
    assert_int_equal(db_exec(w,
                             "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL,"
                             " n INTEGER CHECK (n >= 0))",
                             ""),
                     0);
    assert_int_equal(db_exec(w, "INSERT INTO t(name, n) VALUES ('a', 1)", ""), 1);
    /* a UNIQUE violation is a conflict (taken), a CHECK one invalid */
    int ch = db_exec(w, "INSERT INTO t(name, n) VALUES ('a', 2)", "");
    assert_int_equal(wr_changed(w, ch, WR_CONFLICT), WR_CONFLICT);
    ch = db_exec(w, "INSERT INTO t(name, n) VALUES ('b', -1)", "");
    assert_int_equal(wr_changed(w, ch, WR_CONFLICT), WR_INVALID);
    /* zero rows changed is what the caller says, never a success */
    ch = db_exec(w, "UPDATE t SET n = 5 WHERE id = 99", "");
    assert_int_equal(ch, 0);
    assert_int_equal(wr_changed(w, ch, WR_NOT_FOUND), WR_NOT_FOUND);
    ch = db_exec(w, "UPDATE t SET n = 5 WHERE id = 1", "");
    assert_int_equal(wr_changed(w, ch, WR_NOT_FOUND), WR_OK);
    /* the reason a model records lives for its transaction only */
    assert_null(wr_reason(w));
    assert_int_equal(wr_fail(w, WR_CONFLICT, "strategy.vote.closed"), WR_CONFLICT);
    assert_string_equal(wr_reason(w), "strategy.vote.closed");
    assert_int_equal(db_write_end(db, w, 1), 0);
    w = db_write_begin(db);
    assert_null(wr_reason(w));
    assert_int_equal(db_write_end(db, w, 0), 0);
    temp_db_close(db);
}

static void views_carry_only_named_fields(void **state)
{
    (void)state;
    struct db *db = temp_db();
    struct dbc *w = db_write_begin(db);
    assert_int_equal(db_exec(w,
                             "CREATE TABLE e(id INTEGER PRIMARY KEY, title TEXT, owner_id"
                             " INTEGER, contact TEXT)",
                             ""),
                     0);
    assert_int_equal(db_exec(w,
                             "INSERT INTO e(title, owner_id, contact) VALUES ('Bike', 7,"
                             " 'tel 1')",
                             ""),
                     1);
    static const struct vfield F[] = {
        {"id", CAP_ANY}, {"title", CAP_ANY}, {"contact", CAP_USER}, {NULL, 0}};
    /* owner_id is selected (the model needs it) but named nowhere: it never
     * reaches a view; contact only for whoever holds its capability */
    struct vmask anon = {F, 0x3}, member = {F, 0x7};
    json_t *rows = db_view_rows(w, &anon, "SELECT id, title, owner_id, contact FROM e", "");
    assert_int_equal(json_array_size(rows), 1);
    json_t *o = json_array_get(rows, 0);
    assert_int_equal(json_object_size(o), 2);
    assert_string_equal(json_string_value(json_object_get(o, "title")), "Bike");
    assert_null(json_object_get(o, "owner_id"));
    assert_null(json_object_get(o, "contact"));
    json_decref(rows);
    json_t *row = db_view_row(w, &member, "SELECT id, title, owner_id, contact FROM e", "");
    assert_int_equal(json_object_size(row), 3);
    assert_string_equal(json_string_value(json_object_get(row, "contact")), "tel 1");
    json_decref(row);
    assert_int_equal(db_write_end(db, w, 0), 0);
    temp_db_close(db);
}

static const char *const STATUS[] = {"planned", "doing", "done", NULL};
static const struct field F_ACTION[] = {
    {"title", F_TEXT, 1, 0, 20, NULL, NULL},
    {"status", F_CHOICE, 1, 0, 0, STATUS, "strategy.status."},
    {"hours", F_INT, 0, 0, 1000, NULL, NULL},
    {"due", F_DATE, 0, 0, 0, NULL, NULL},
    {"goal", F_REF, 0, 0, 0, NULL, NULL},
    {"public", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void forms_described_once(void **state)
{
    (void)state;
    struct app app;
    memset(&app, 0, sizeof app);
    app.cat = i18n_load();
    assert_non_null(app.cat);
    struct req r;
    memset(&r, 0, sizeof r);
    r.app = &app;
    r.arena = arena_new();
    r.lang = "en";
    kvlist_add(r.arena, &r.form, "title", "  Paint the fence ", 18);
    kvlist_add(r.arena, &r.form, "status", "doing", 5);
    kvlist_add(r.arena, &r.form, "hours", "12", 2);
    kvlist_add(r.arena, &r.form, "due", "2027-02-30", 10);
    kvlist_add(r.arena, &r.form, "goal", "3", 1);
    struct form f;
    assert_false(form_read(&f, &r, F_ACTION)); /* no 30 February */
    assert_string_equal(form_str(&f, "title"), "Paint the fence");
    assert_int_equal(form_num(&f, "status", -1), 1);
    assert_int_equal(form_num(&f, "hours", 0), 12);
    assert_int_equal(form_num(&f, "goal", 0), 3);
    assert_int_equal(form_num(&f, "public", 0), 0);
    assert_non_null(json_object_get(f.errors, "due"));
    assert_null(json_object_get(f.errors, "title"));
    /* the re-render keeps the input and selects what was chosen */
    json_t *view = json_object();
    json_t *goals = json_pack("[{sIss}{sIss}]", "id", (json_int_t)2, "title", "Two", "id",
                              (json_int_t)3, "title", "Three");
    form_options(&f, "goal", goals, "id", "title", "error.required");
    form_to_view(&f, view);
    json_t *st = json_object_get(json_object_get(view, "options"), "status");
    assert_int_equal(json_array_size(st), 3);
    assert_true(json_is_true(json_object_get(json_array_get(st, 1), "selected")));
    assert_false(json_is_true(json_object_get(json_array_get(st, 0), "selected")));
    json_t *gl = json_object_get(json_object_get(view, "options"), "goal");
    assert_int_equal(json_array_size(gl), 3); /* "none" first */
    assert_true(json_is_true(json_object_get(json_array_get(gl, 2), "selected")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(view, "form"), "due")),
                        "2027-02-30");
    form_release(&f);
    json_decref(view);
    /* an edit page: the stored object's values, its status selected */
    json_t *stored =
        json_pack("{ss ss sI sI sI si}", "title", "Fence", "status", "done", "hours", (json_int_t)4,
                  "due", (json_int_t)86400 * 365, "goal", (json_int_t)2, "public", 1);
    form_fill(&f, &r, F_ACTION, stored);
    view = json_object();
    form_options(&f, "goal", goals, "id", "title", NULL);
    form_to_view(&f, view);
    json_t *fv = json_object_get(view, "form");
    assert_string_equal(json_string_value(json_object_get(fv, "due")), "1971-01-01");
    assert_string_equal(json_string_value(json_object_get(fv, "public")), "1");
    st = json_object_get(json_object_get(view, "options"), "status");
    assert_true(json_is_true(json_object_get(json_array_get(st, 2), "selected")));
    gl = json_object_get(json_object_get(view, "options"), "goal");
    assert_true(json_is_true(json_object_get(json_array_get(gl, 0), "selected")));
    form_release(&f);
    json_decref(view);
    json_decref(stored);
    json_decref(goals);
    i18n_free(app.cat);
    arena_free(r.arena);
}

static void freed(void *p)
{
    (*(int *)p)++;
}

static void the_request_owns_its_views(void **state)
{
    (void)state;
    int runs = 0;
    struct req r;
    memset(&r, 0, sizeof r);
    r.arena = arena_new();
    json_t *v = req_view(&r);
    json_object_set_new(v, "x", json_integer(1));
    assert_true(req_owns(&r, v));
    json_t *other = json_object();
    assert_false(req_owns(&r, other));
    json_decref(other);
    arena_defer(r.arena, freed, &runs);
    arena_free(r.arena); /* LeakSanitizer fails the suite if v survived */
    assert_int_equal(runs, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(literal_wins_and_types_hold),
        cmocka_unit_test(refused_tables),
        cmocka_unit_test(capabilities_go_to_their_scope),
        cmocka_unit_test(write_results_from_real_errors),
        cmocka_unit_test(views_carry_only_named_fields),
        cmocka_unit_test(forms_described_once),
        cmocka_unit_test(the_request_owns_its_views),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
