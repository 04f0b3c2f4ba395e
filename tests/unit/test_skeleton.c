/* The skeleton area, end to end in one process: its routes index beside
 * every real area's without a clash, and requests go through the real
 * router, capabilities, CSRF, forms, model, writes and templates against
 * a real SQLite file with the platform's migrations and the skeleton's
 * table. A new area copies this test with its folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/areas.h"
#include "areas/community/community.h"
#include "areas/skeleton/skeleton.h"
#include "core/app.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/migrate.h"
#include "core/router.h"
#include "core/seal.h"
#include "core/sealtext.h"
#include "core/tmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct app g_app;
static char g_dir[64];
static int64_t g_author, g_other, g_outsider;

/* The session cookie of this test is the account id itself: the viewer
 * loader below stands in for the account area's. */
static void load_viewer(struct req *r, const char *token)
{
    int64_t id = atoll(token);
    if (id <= 0) return;
    struct account *a = arena_alloc(r->arena, sizeof *a);
    memset(a, 0, sizeof *a);
    a->id = id;
    a->handle = arena_printf(r->arena, "u%lld", (long long)id);
    a->display_name = a->handle;
    a->lang = "en";
    a->session_hash = arena_printf(r->arena, "s%lld", (long long)id);
    r->acct = a;
}

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/hr-skel-XXXXXX");
    assert_non_null(mkdtemp(g_dir));
    char path[128];
    snprintf(path, sizeof path, "%s/s.db", g_dir);
    memset(&g_app, 0, sizeof g_app);
    config_defaults(&g_app.cfg);
    g_app.db = db_open(path, 2, 0);
    assert_non_null(g_app.db);
    assert_true(migrate_apply(g_app.db) >= 0);
    FILE *f = fopen("src/areas/skeleton/schema.sql", "r");
    assert_non_null(f);
    char sql[4096];
    size_t n = fread(sql, 1, sizeof sql - 1, f);
    fclose(f);
    sql[n] = 0;
    struct dbc *w = db_write_begin(g_app.db);
    assert_int_equal(db_exec_script(w, sql), 0);
    g_author = db_exec(w,
                       "INSERT INTO accounts(handle, display_name, password_hash, created_at)"
                       " VALUES ('a', 'Anna', 'x', 0)",
                       "") == 1
                   ? db_last_id(w)
                   : -1;
    db_exec(w,
            "INSERT INTO accounts(handle, display_name, password_hash, created_at) VALUES ('b', "
            "'Boris',"
            " 'x', 0)",
            "");
    g_other = db_last_id(w);
    db_exec(
        w,
        "INSERT INTO accounts(handle, display_name, password_hash, created_at) VALUES ('c', 'Vera',"
        " 'x', 0)",
        "");
    g_outsider = db_last_id(w);
    struct community_new c = {
        .slug = "dvor", .name = "Dvor", .description = "", .visibility = VIS_CLOSED};
    int64_t cid = community_create(w, &c, g_author);
    assert_true(cid > 0);
    assert_int_equal(member_add(w, cid, g_other, "member"), 0);
    assert_int_equal(db_write_end(g_app.db, w, 1), 0);
    g_app.tmpl = tmpl_load();
    g_app.cat = i18n_load();
    assert_non_null(g_app.tmpl);
    assert_non_null(g_app.cat);
    g_app.hooks.load_viewer = load_viewer;
    static const struct area *const with_skeleton[] = {&community_area, &skeleton_area, NULL};
    assert_int_equal(area_install(&g_app, with_skeleton), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    area_uninstall(&g_app);
    tmpl_free(g_app.tmpl);
    i18n_free(g_app.cat);
    db_close(g_app.db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

struct answer {
    int status;
    char body[16384];
    char location[256];
};

/* One request through the real router; fields: name, value, ..., NULL. */
static void request(int64_t who, const char *method, const char *path, struct answer *out, ...)
{
    struct req r;
    memset(&r, 0, sizeof r);
    r.arena = arena_new();
    r.app = &g_app;
    r.method = method;
    r.path = path;
    buf_init(&r.out);
    if (who) {
        const char *tok = arena_printf(r.arena, "%lld", (long long)who);
        kvlist_add(r.arena, &r.cookies, "hr_session", tok, strlen(tok));
        char csrf[AUTH_TOKEN_LEN + 1];
        auth_csrf_token(g_app.secret, arena_printf(r.arena, "s%lld", (long long)who), csrf);
        kvlist_add(r.arena, &r.form, "csrf", arena_strdup(r.arena, csrf), strlen(csrf));
    }
    va_list ap;
    va_start(ap, out);
    for (const char *k; (k = va_arg(ap, const char *));) {
        const char *v = va_arg(ap, const char *);
        kvlist_add(r.arena, &r.form, k, v, strlen(v));
    }
    va_end(ap);
    router_dispatch(&r);
    out->status = r.status;
    snprintf(out->body, sizeof out->body, "%s", r.out.data ? r.out.data : "");
    const char *loc = kvlist_get(&r.headers, "Location");
    snprintf(out->location, sizeof out->location, "%s", loc ? loc : "");
    if (r.rd) db_reader_release(g_app.db, r.rd);
    buf_free(&r.out);
    arena_free(r.arena);
}

static int64_t count_notes(const char *title)
{
    struct dbc *c = db_reader_acquire(g_app.db);
    int64_t n = db_int(c, -1, "SELECT count(*) FROM notes WHERE title = ?", "t", title);
    db_reader_release(g_app.db, c);
    return n;
}

static void routes_index_beside_every_area(void **state)
{
    (void)state;
    struct app app;
    memset(&app, 0, sizeof app);
    const struct area *all[16];
    size_t n = 0;
    for (const struct area *const *a = areas_all; *a; a++)
        all[n++] = *a;
    all[n++] = &skeleton_area;
    all[n] = NULL;
    assert_int_equal(area_install(&app, all), 0);
    assert_true(router_count(app.routes) > 100);
    area_uninstall(&app);
}

static void members_write_read_and_outsiders_cannot(void **state)
{
    (void)state;
    struct answer a;
    request(g_other, "POST", "/c/dvor/notes", &a, "title", "Water off on Friday", "body",
            "From 10 to 14.", NULL);
    assert_int_equal(a.status, 303);
    assert_string_equal(a.location, "/c/dvor/notes");
    assert_int_equal(count_notes("Water off on Friday"), 1);
    request(g_author, "GET", "/c/dvor/notes", &a, NULL);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "Water off on Friday"));
    assert_non_null(strstr(a.body, "Boris")); /* the author, for members */
    /* a closed community's notes: not for a signed-in outsider, and the
     * anonymous are sent to sign in */
    request(g_outsider, "GET", "/c/dvor/notes", &a, NULL);
    assert_int_equal(a.status, 403);
    request(g_outsider, "POST", "/c/dvor/notes", &a, "title", "Spam", NULL);
    assert_int_equal(a.status, 403);
    assert_int_equal(count_notes("Spam"), 0);
    request(0, "GET", "/c/dvor/notes", &a, NULL);
    assert_int_equal(a.status, 303);
    assert_non_null(strstr(a.location, "/login"));
}

static void a_bad_form_keeps_the_input(void **state)
{
    (void)state;
    struct answer a;
    request(g_other, "POST", "/c/dvor/notes", &a, "title", "   ", "body", "kept text", NULL);
    assert_int_equal(a.status, 422);
    assert_non_null(strstr(a.body, "kept text"));
    assert_non_null(strstr(a.body, "field-error"));
}

static void only_the_author_or_staff_change_a_note(void **state)
{
    (void)state;
    struct answer a;
    request(g_other, "POST", "/c/dvor/notes", &a, "title", "Boris's note", NULL);
    struct dbc *c = db_reader_acquire(g_app.db);
    int64_t id = db_int(c, 0, "SELECT id FROM notes WHERE title = 'Boris''s note'", "");
    db_reader_release(g_app.db, c);
    char path[64];
    /* the organizer (staff) may edit it; the edit page shows what is stored */
    snprintf(path, sizeof path, "/c/dvor/notes/%lld/edit", (long long)id);
    request(g_author, "GET", path, &a, NULL);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "value=\"Boris&#39;s note\""));
    request(g_author, "POST", path, &a, "title", "Boris's note, fixed", NULL);
    assert_int_equal(a.status, 303);
    assert_int_equal(count_notes("Boris's note, fixed"), 1);
    /* a member cannot change a note of another: 409, nothing written */
    request(g_author, "POST", "/c/dvor/notes", &a, "title", "Anna's note", NULL);
    c = db_reader_acquire(g_app.db);
    int64_t anna = db_int(c, 0, "SELECT id FROM notes WHERE title = 'Anna''s note'", "");
    db_reader_release(g_app.db, c);
    snprintf(path, sizeof path, "/c/dvor/notes/%lld/edit", (long long)anna);
    request(g_other, "POST", path, &a, "title", "Hijacked", NULL);
    assert_int_equal(a.status, 409);
    assert_int_equal(count_notes("Hijacked"), 0);
    /* gone is 404, and a non-number is no route at all */
    request(g_other, "POST", "/c/dvor/notes/999999/edit", &a, "title", "x", NULL);
    assert_int_equal(a.status, 404);
    request(g_other, "POST", "/c/dvor/notes/abc/edit", &a, "title", "x", NULL);
    assert_int_equal(a.status, 404);
    /* delete asks first, then deletes */
    snprintf(path, sizeof path, "/c/dvor/notes/%lld/delete", (long long)anna);
    request(g_author, "GET", path, &a, NULL);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "Anna&#39;s note"));
    request(g_author, "POST", path, &a, NULL);
    assert_int_equal(a.status, 303);
    assert_int_equal(count_notes("Anna's note"), 0);
    request(g_author, "POST", path, &a, NULL);
    assert_int_equal(a.status, 404);
}

/* A note names its author as a member of the community, never as an
 * account, and stays when the member leaves, signed "a former member". */
static void a_note_names_a_member_and_outlives_their_leaving(void **state)
{
    (void)state;
    struct answer a;
    struct dbc *w = db_write_begin(g_app.db);
    db_exec(w,
            "INSERT INTO accounts(handle, display_name, password_hash, created_at)"
            " VALUES ('d', 'Dina', 'x', 0)",
            "");
    int64_t dina = db_last_id(w);
    int64_t cid = db_int(w, 0, "SELECT id FROM communities WHERE slug = 'dvor'", "");
    int64_t member = member_join(w, cid, dina, "member");
    assert_true(member > 0);
    assert_int_equal(db_write_end(g_app.db, w, 1), 0);
    request(dina, "POST", "/c/dvor/notes", &a, "title", "Dina's bench", NULL);
    assert_int_equal(a.status, 303);
    struct dbc *c = db_reader_acquire(g_app.db);
    assert_int_equal(db_int(c, 0, "SELECT member_id FROM notes WHERE title = 'Dina''s bench'", ""),
                     member);
    assert_true(member != dina);
    db_reader_release(g_app.db, c);
    request(g_author, "GET", "/c/dvor/notes", &a, NULL);
    assert_non_null(strstr(a.body, "Dina"));
    /* She leaves: the note stays, and no name is left on it. */
    w = db_write_begin(g_app.db);
    assert_int_equal(db_exec(w, "DELETE FROM members WHERE id = ?", "i", member), 1);
    assert_int_equal(db_write_end(g_app.db, w, 1), 0);
    assert_int_equal(count_notes("Dina's bench"), 1);
    request(g_author, "GET", "/c/dvor/notes", &a, NULL);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "Dina&#39;s bench"));
    assert_null(strstr(a.body, ">Dina<"));
    assert_true(strstr(a.body, "Бывший участник") || strstr(a.body, "A former member"));
}

static void a_post_without_its_token_is_refused(void **state)
{
    (void)state;
    struct answer a;
    struct req r;
    memset(&r, 0, sizeof r);
    r.arena = arena_new();
    r.app = &g_app;
    r.method = "POST";
    r.path = "/c/dvor/notes";
    buf_init(&r.out);
    kvlist_add(r.arena, &r.cookies, "hr_session", "2", 1);
    kvlist_add(r.arena, &r.form, "title", "Forged", 6);
    router_dispatch(&r);
    a.status = r.status;
    if (r.rd) db_reader_release(g_app.db, r.rd);
    buf_free(&r.out);
    arena_free(r.arena);
    assert_int_equal(a.status, 403);
    assert_int_equal(count_notes("Forged"), 0);
}

/* The stored title of note id, as a copy of the disk would read it. */
static char *stored_title(struct dbc *w, int64_t id)
{
    sqlite3_stmt *st = db_prepare(w, "SELECT title FROM notes WHERE id = ?", "i", id);
    assert_non_null(st);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *t = strdup((const char *)sqlite3_column_text(st, 0));
    db_done(st);
    return t;
}

/* The pattern a new area copies for secret communities: its texts go
 * through seal()/unseal(), its seal_texts hook seals what a community had
 * when it got its key, and a writer without the key is refused, never
 * written in clear. The key is held on the writer as a sealing
 * transaction holds it (core/sealtext.h); the HTTP tests do it through
 * real keyrings. */
static void texts_are_sealed_where_the_community_has_a_key(void **state)
{
    (void)state;
    struct dbc *w = db_write_begin(g_app.db);
    assert_non_null(w);
    struct community_new c = {
        .slug = "tiho", .name = "Tiho", .description = "", .visibility = VIS_CLOSED};
    int64_t cid = community_create(w, &c, g_author);
    assert_true(cid > 0);
    int64_t me = db_int(w, 0,
                        "SELECT member_id FROM member_accounts WHERE community_id = ?"
                        " AND account_id = ?",
                        "ii", cid, g_author);
    assert_true(me > 0);
    /* clear, before the key */
    assert_int_equal(note_add(w, cid, me, "Meeting at the old oak", "Bring tea"), WR_OK);
    int64_t before = db_last_id(w);
    char *t = stored_title(w, before);
    assert_string_equal(t, "Meeting at the old oak");
    free(t);
    /* the community gets its key: the hook seals what it had */
    struct seal_data_key dk;
    seal_data_key_new(&dk);
    assert_int_equal(db_exec(w,
                             "INSERT INTO community_seals(community_id, key_check)"
                             " VALUES(?, x'00')",
                             "i", cid),
                     1);
    assert_int_equal(sealtext_hold(dbc_keys(w), cid, &dk), 0);
    assert_int_equal(note_seal_texts(w, cid), 0);
    assert_int_equal(note_seal_texts(w, cid), 0); /* twice changes nothing */
    t = stored_title(w, before);
    assert_true(sealtext_is_sealed(t));
    assert_null(strstr(t, "oak"));
    free(t);
    /* written sealed from then on; read back opened */
    assert_int_equal(note_add(w, cid, me, "Leaflets for the yard", ""), WR_OK);
    int64_t after = db_last_id(w);
    t = stored_title(w, after);
    assert_true(sealtext_is_sealed(t));
    free(t);
    struct arena *a = arena_new();
    struct note n;
    assert_int_equal(note_find(w, a, cid, before, &n), 0);
    assert_string_equal(n.title, "Meeting at the old oak");
    assert_string_equal(n.body, "Bring tea");
    assert_int_equal(note_update(w, cid, after, me, 0, "Leaflets, second run", "A4"), WR_OK);
    static const struct vfield fields[] = {{"title", CAP_ANY}, {"author", CAP_ANY}, {NULL, 0}};
    const struct vmask m = {fields, 3};
    json_t *rows = note_list(w, &m, cid, me);
    assert_int_equal(json_array_size(rows), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "title")),
                        "Leaflets, second run");
    json_decref(rows);
    t = stored_title(w, after);
    assert_null(strstr(t, "Leaflets"));
    free(t);
    /* without the key: nothing opens, and a write is refused */
    sealtext_release(dbc_keys(w), cid);
    assert_int_equal(note_find(w, a, cid, before, &n), 0);
    assert_null(n.title);
    assert_int_equal(note_add(w, cid, me, "Written in clear?", ""), WR_CONFLICT);
    assert_int_equal(
        db_int(w, 0, "SELECT count(*) FROM notes WHERE title = 'Written in clear?'", ""), 0);
    arena_free(a);
    seal_wipe(&dk, sizeof dk);
    assert_int_equal(db_write_end(g_app.db, w, 0), 0); /* rolled back: the next tests are alone */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(routes_index_beside_every_area),
        cmocka_unit_test(members_write_read_and_outsiders_cannot),
        cmocka_unit_test(a_bad_form_keeps_the_input),
        cmocka_unit_test(only_the_author_or_staff_change_a_note),
        cmocka_unit_test(a_post_without_its_token_is_refused),
        cmocka_unit_test(a_note_names_a_member_and_outlives_their_leaving),
        cmocka_unit_test(texts_are_sealed_where_the_community_has_a_key),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
