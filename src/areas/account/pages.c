/* Sign-in, sign-up, sign-out, the account's own settings, the language
 * switch, the administrator's page, health and static files. */
#include "areas/account/account.h"
#include "areas/community/community.h"
#include "core/app.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/embed.h"
#include "core/form.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/render.h"
#include "core/seal.h"
#include "core/text.h"
#include "core/tmpl.h"

#include <stdlib.h>
#include <string.h>

enum { SESSION_MAX_AGE = 30 * 86400 };

void account_load_viewer(struct req *r, const char *token)
{
    if (strlen(token) != AUTH_TOKEN_LEN) return;
    char hash[AUTH_HEX_LEN + 1];
    auth_token_hash(token, hash);
    json_t *row = session_account(req_db(r), hash);
    if (!row) return;
    struct account *a = arena_alloc(r->arena, sizeof *a);
    a->id = json_integer_value(json_object_get(row, "id"));
    a->handle = arena_strdup(r->arena, json_string_value(json_object_get(row, "handle")));
    a->display_name =
        arena_strdup(r->arena, json_string_value(json_object_get(row, "display_name")));
    a->lang = arena_strdup(r->arena, json_string_value(json_object_get(row, "lang")));
    a->is_admin = (int)json_integer_value(json_object_get(row, "is_admin"));
    a->is_coord = (int)json_integer_value(json_object_get(row, "is_coord"));
    a->session_hash = arena_strdup(r->arena, hash);
    r->acct = a;
    json_decref(row);
}

/* Only a path on this site: "/x", never "//host" or "/\host". */
static const char *safe_next(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > 512)
        return "/";
    for (const char *p = next; *p; p++)
        if ((unsigned char)*p < 0x20) return "/";
    return next;
}

/* ---- sign-in ---- */

static json_t *login_view(struct req *r)
{
    json_t *v = json_pack("{ss}", "title", tr(r, "login.title"));
    const char *next = req_param(r, "next");
    json_object_set_new(v, "next", json_string(safe_next(next)));
    json_object_set_new(v, "open_signup", json_boolean(setting_open_signup(req_db(r))));
    return v;
}

static void login_get(struct req *r)
{
    if (r->acct) {
        render_redirect(r, "/", NULL);
        return;
    }
    render_page(r, 200, "account/login", login_view(r));
}

static void login_refuse(struct req *r, struct form *f, int status, const char *code,
                         const char *msg)
{
    if (r->want_json) {
        json_t *v = json_pack("{s{ss ss}}", "error", "code", code, "message", msg);
        render_page(r, status, "account/login", v);
    } else {
        json_t *view = login_view(r);
        json_object_del(f->values, "password");
        form_to_view(f, view);
        json_object_set_new(view, "login_error", json_string(msg));
        render_page(r, status, "account/login", view);
    }
    form_release(f);
}

static void login_post(struct req *r)
{
    struct form f;
    form_init(&f, r);
    const char *handle = form_text(&f, "handle", 1, HANDLE_MAX);
    const char *pw = req_param(r, "password");
    if (str_empty(pw)) form_error(&f, "password", "error.required");
    if (!form_ok(&f)) {
        json_object_del(f.values, "password");
        render_invalid(r, "account/login", login_view(r), &f);
        return;
    }
    int64_t wait = throttle_wait(req_db(r), handle);
    if (wait > 0) {
        json_t *args = json_pack("{sI}", "minutes", (json_int_t)((wait + 59) / 60));
        struct buf b;
        buf_init(&b);
        tmpl_subst(&b, tr(r, "login.throttled"), args, 0);
        json_decref(args);
        req_add_header(r, "Retry-After", arena_printf(r->arena, "%lld", (long long)wait));
        login_refuse(r, &f, 429, "throttled", arena_strdup(r->arena, b.data));
        buf_free(&b);
        return;
    }
    json_t *acc = account_for_login(req_db(r), handle);
    int ok = 0;
    if (acc)
        ok = auth_password_check(json_string_value(json_object_get(acc, "password_hash")), pw);
    else
        auth_password_dummy(pw); /* the same time for an unknown handle */
    int64_t id = acc ? json_integer_value(json_object_get(acc, "id")) : 0;
    json_decref(acc);
    /* Sealing: the password is at hand only now, so the account's secret
     * key is opened here (or made, for an account from before sealing), on
     * the reader: argon2id is slow and must not hold the write lock. A
     * wrong password does none of it, so it costs what an unknown handle
     * costs. Failing leaves a session without a key, never no session. */
    struct seal_prep sp = {0};
    if (ok) seal_prepare_login(req_db(r), id, pw, &sp);
    struct dbc *w = req_write_begin(r);
    if (!w) {
        seal_prep_wipe(&sp);
        form_release(&f);
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    if (!ok) {
        throttle_fail(w, handle);
        req_write_end(r, 1);
        login_refuse(r, &f, 401, "bad_credentials", tr(r, "login.failed"));
        return;
    }
    char token[AUTH_TOKEN_LEN + 1];
    throttle_clear(w, handle);
    int rc = session_create(w, id, token);
    /* Sealing: the session's copy of the secret key, under its cookie. */
    if (rc == 0) rc = seal_commit(w, id, token, &sp);
    seal_prep_wipe(&sp);
    if (req_write_end(r, rc == 0) != 0 || rc != 0) {
        form_release(&f);
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    form_release(&f);
    req_set_cookie(r, "hr_session", token, SESSION_MAX_AGE);
    render_redirect(r, safe_next(req_param(r, "next")), "flash.signed_in");
}

static void logout_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    if (w) {
        session_delete(w, r->acct->session_hash);
        req_write_end(r, 1);
    }
    req_set_cookie(r, "hr_session", "", 0);
    render_redirect(r, "/", "flash.signed_out");
}

/* ---- sign-up ---- */

/* Sign-up is open when the instance says so, or for someone who holds a
 * valid invitation (the link brings them here with next=/i/TOKEN). */
static int signup_allowed(struct req *r, const char *next)
{
    if (setting_open_signup(req_db(r))) return 1;
    return str_starts(next, "/i/") && community_invite_usable(req_db(r), next + 3);
}

static json_t *signup_view(struct req *r)
{
    const char *next = safe_next(req_param(r, "next"));
    return json_pack("{ss ss}", "title", tr(r, "signup.title"), "next", next);
}

static void signup_get(struct req *r)
{
    if (r->acct) {
        render_redirect(r, "/", NULL);
        return;
    }
    if (!signup_allowed(r, safe_next(req_param(r, "next")))) {
        render_error(r, 403, "signup_closed", "signup.closed");
        return;
    }
    render_page(r, 200, "account/signup", signup_view(r));
}

/* Checks a new password and its repetition; records errors. */
static const char *check_new_password(struct form *f)
{
    const char *pw = req_param(f->r, "password");
    const char *pw2 = req_param(f->r, "password2");
    if (str_empty(pw)) {
        form_error(f, "password", "error.required");
        return NULL;
    }
    size_t n = utf8_len(pw);
    if (n < PASSWORD_MIN)
        form_error(f, "password", "error.password_short");
    else if (n > PASSWORD_MAX)
        form_error(f, "password", "error.password_long");
    else if (!str_eq(pw, pw2))
        form_error(f, "password2", "error.password_mismatch");
    return form_ok(f) ? pw : NULL;
}

static void signup_post(struct req *r)
{
    const char *next = safe_next(req_param(r, "next"));
    if (!signup_allowed(r, next)) {
        render_error(r, 403, "signup_closed", "signup.closed");
        return;
    }
    struct form f;
    form_init(&f, r);
    const char *handle = form_text(&f, "handle", 1, HANDLE_MAX);
    if (handle && !account_handle_valid(handle)) form_error(&f, "handle", "error.handle");
    const char *name = form_text(&f, "display_name", 0, DISPLAY_NAME_MAX);
    const char *pw = check_new_password(&f);
    if (!form_ok(&f)) {
        render_invalid(r, "account/signup", signup_view(r), &f);
        return;
    }
    /* When sign-up is closed, the invitation that let this person in is
     * spent in the same transaction: otherwise a single-use link would let
     * any number of accounts in until one of them accepted it. */
    int by_invite = !setting_open_signup(req_db(r));
    struct dbc *w = req_write_begin(r);
    int64_t id = w ? account_create(w, handle, name ? name : handle, pw, 0) : -1;
    char token[AUTH_TOKEN_LEN + 1];
    int ok = id > 0 && session_create(w, id, token) == 0;
    /* Sealing: the new account's key pair, wrapped under the password that
     * is at hand only now, and this session's copy of its secret key. */
    struct seal_prep sp = {0};
    if (ok) ok = seal_prepare_login(w, id, pw, &sp) == 0 && seal_commit(w, id, token, &sp) == 0;
    seal_prep_wipe(&sp);
    int spent = 0;
    if (ok && by_invite) {
        int64_t cid = 0;
        int rc = invite_accept(w, next + 3, id, &cid);
        spent = rc == -3;
        char *slug = rc == 0 ? community_slug_of(w, cid) : NULL;
        ok = slug != NULL;
        if (slug) next = arena_printf(r->arena, "/c/%s", slug);
        free(slug);
    }
    if (w && req_write_end(r, ok) != 0) ok = 0;
    if (spent) {
        form_release(&f);
        render_error(r, 403, "signup_closed", "signup.closed");
        return;
    }
    if (id == -2) {
        form_error(&f, "handle", "error.handle_taken");
        render_invalid(r, "account/signup", signup_view(r), &f);
        return;
    }
    form_release(&f);
    if (!ok) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    req_set_cookie(r, "hr_session", token, SESSION_MAX_AGE);
    render_redirect(r, next, "flash.welcome");
}

/* ---- the account's own page ---- */

static json_t *settings_view(struct req *r)
{
    json_t *v =
        json_pack("{ss s{ss ss} sb sb}", "title", tr(r, "account.title"), "form", "display_name",
                  r->acct->display_name, "lang", r->acct->lang ? r->acct->lang : "", "lang_is_en",
                  str_eq(r->acct->lang, "en"), "lang_is_ru", str_eq(r->acct->lang, "ru"));
    /* Sealing: the key's fingerprint and whether this session has it open,
     * so a person sees that a password change kept their key. */
    char fp[SEAL_FINGERPRINT_LEN + 1];
    int open = 0;
    if (seal_viewer_status(r, fp, &open))
        json_object_set_new(v, "key", json_pack("{ss sb}", "fingerprint", fp, "open", open));
    return v;
}

enum { MINE_PAGE = 100 };

static void settings_get(struct req *r)
{
    json_t *v = settings_view(r);
    json_object_set_new(v, "handle", json_string(r->acct->handle));
    int64_t page = req_page(r);
    /* one row more than a page tells whether there is a next one */
    json_t *mine =
        community_list_mine(req_db(r), r->acct->id, (page - 1) * MINE_PAGE, MINE_PAGE + 1);
    if (!mine) mine = json_array();
    int more = json_array_size(mine) > MINE_PAGE;
    if (more) json_array_remove(mine, MINE_PAGE);
    render_pager(r, v, page, more, "/account?page=", "");
    json_object_set_new(v, "communities", mine);
    json_object_set_new(v, "communities_count",
                        json_integer(community_count_mine(req_db(r), r->acct->id)));
    render_page(r, 200, "account/settings", v);
}

static void settings_post(struct req *r)
{
    static const char *const langs[] = {"", "ru", "en", NULL};
    struct form f;
    form_init(&f, r);
    const char *name = form_text(&f, "display_name", 1, DISPLAY_NAME_MAX);
    int li = form_choice(&f, "lang", langs, 0, 0);
    if (!form_ok(&f)) {
        render_invalid(r, "account/settings", settings_view(r), &f);
        return;
    }
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    int rc = w ? account_set_profile(w, r->acct->id, name, li > 0 ? langs[li] : NULL) : -1;
    if (!w || req_write_end(r, rc == 0) != 0 || rc != 0) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    render_redirect(r, "/account", "flash.saved");
}

static void password_post(struct req *r)
{
    struct form f;
    form_init(&f, r);
    const char *cur = req_param(r, "current");
    char *hash = account_password_hash(req_db(r), r->acct->id);
    if (!auth_password_check(hash, cur ? cur : ""))
        form_error(&f, "current", "error.password_wrong");
    free(hash);
    const char *pw = check_new_password(&f);
    if (!form_ok(&f)) {
        render_invalid(r, "account/settings", settings_view(r), &f);
        return;
    }
    form_release(&f);
    /* Sealing: the secret key wrapped anew under the new password, so the
     * public key and the keyring stay valid; argon2id before the write
     * lock. Refused rather than half done: a password that no longer
     * opens the key would cost the account its secret communities. */
    struct seal_prep sp;
    if (seal_prepare_rewrap(r, cur, pw, &sp) != 0) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    struct dbc *w = req_write_begin(r);
    char token[AUTH_TOKEN_LEN + 1];
    /* Every session ends with the old password; this one starts afresh. */
    int rc = w ? account_set_password(w, r->acct->id, pw) : -1;
    if (rc == 0) rc = session_create(w, r->acct->id, token);
    if (rc == 0) rc = seal_commit(w, r->acct->id, token, &sp);
    seal_prep_wipe(&sp);
    if (!w || req_write_end(r, rc == 0) != 0 || rc != 0) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    req_set_cookie(r, "hr_session", token, SESSION_MAX_AGE);
    render_redirect(r, "/account", "flash.password_changed");
}

static void lang_post(struct req *r)
{
    const char *lang = req_param(r, "lang");
    if (!i18n_has_lang(lang)) {
        render_error(r, 422, "invalid", "error.bad_choice");
        return;
    }
    req_set_cookie(r, "hr_lang", lang, 365 * 86400);
    if (r->acct) {
        struct dbc *w = req_write_begin(r);
        int rc = w ? account_set_lang(w, r->acct->id, lang) : -1;
        if (w) req_write_end(r, rc == 0);
    }
    render_redirect(r, safe_next(req_param(r, "next")), NULL);
}

/* ---- administration ---- */

static void admin_get(struct req *r)
{
    json_t *v = json_pack("{ss sb}", "title", tr(r, "admin.title"), "open_signup",
                          setting_open_signup(req_db(r)));
    json_object_set_new(v, "accounts", account_list(req_db(r)));
    render_page(r, 200, "account/admin", v);
}

static void admin_settings_post(struct req *r)
{
    const char *open = req_param(r, "open_signup");
    struct dbc *w = req_write_begin(r);
    int rc = w ? setting_set(w, "open_signup", str_eq(open, "1") ? "1" : "0") : -1;
    if (!w || req_write_end(r, rc == 0) != 0 || rc != 0) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    render_redirect(r, "/admin", "flash.saved");
}

static void admin_roles_post(struct req *r)
{
    int64_t id = account_id_by_handle(req_db(r), req_path(r, "handle"));
    if (!id) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    int is_admin = str_eq(req_param(r, "is_admin"), "1");
    int is_coord = str_eq(req_param(r, "is_coord"), "1");
    if (id == r->acct->id && !is_admin) {
        /* The last way in must not lock itself out. */
        render_error(r, 422, "invalid", "admin.cannot_demote_self");
        return;
    }
    struct dbc *w = req_write_begin(r);
    int rc = w ? account_set_roles(w, id, is_admin, is_coord) : -1;
    if (!w || req_write_end(r, rc == 0) != 0 || rc != 0) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    render_redirect(r, "/admin", "flash.saved");
}

/* ---- health and static files ---- */

static void healthz(struct req *r)
{
    r->want_json = 1;
    int64_t ok = db_int(req_db(r), 0, "SELECT 1", "");
    json_t *v =
        json_pack("{ss ss}", "status", ok == 1 ? "ok" : "degraded", "version", r->app->version);
    r->csrf = NULL;
    render_page(r, ok == 1 ? 200 : 503, NULL, v);
}

static const char *static_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (str_eq(dot, ".css")) return "text/css; charset=utf-8";
    if (str_eq(dot, ".js")) return "text/javascript; charset=utf-8";
    if (str_eq(dot, ".svg")) return "image/svg+xml";
    if (str_eq(dot, ".png")) return "image/png";
    if (str_eq(dot, ".ico")) return "image/x-icon";
    return "application/octet-stream";
}

static void static_file(struct req *r)
{
    const char *name = req_path(r, "file");
    const struct embedded_file *f = embed_find(arena_printf(r->arena, "static/%s", name));
    if (!f) {
        r->want_json = 0;
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    r->cacheable = 1;
    render_bytes(r, 200, static_type(name), f->data, f->len);
}

static const char *const P_PAGE[] = {"page", NULL};
static const char *const P_LOGIN[] = {"handle", "password", "next", NULL};
static const char *const P_SIGNUP[] = {"handle",    "display_name", "password",
                                       "password2", "next",         NULL};
static const char *const P_NEXT[] = {"next", NULL};
static const char *const P_SETTINGS[] = {"display_name", "lang", NULL};
static const char *const P_PASSWORD[] = {"current", "password", "password2", NULL};
static const char *const P_LANG[] = {"lang", "next", NULL};
static const char *const P_OPEN[] = {"open_signup", NULL};
static const char *const P_ROLES[] = {"is_admin", "is_coord", NULL};

static const struct route account_routes[] = {
    {"GET", "/healthz", CAP_ANY, 0, NULL, healthz, NULL},
    {"GET", "/static/{file}", CAP_ANY, 0, NULL, static_file, NULL},
    {"GET", "/login", CAP_ANY, 0, P_NEXT, login_get, NULL},
    {"POST", "/login", CAP_ANY, 0, P_LOGIN, login_post, NULL},
    {"POST", "/logout", CAP_USER, 0, NULL, logout_post, NULL},
    {"GET", "/signup", CAP_ANY, 0, P_NEXT, signup_get, NULL},
    {"POST", "/signup", CAP_ANON, 0, P_SIGNUP, signup_post, NULL},
    {"GET", "/account", CAP_USER, 0, P_PAGE, settings_get, NULL},
    {"POST", "/account", CAP_USER, 0, P_SETTINGS, settings_post, NULL},
    {"POST", "/account/password", CAP_USER, 0, P_PASSWORD, password_post, NULL},
    {"POST", "/lang", CAP_ANY, 0, P_LANG, lang_post, NULL},
    {"GET", "/admin", CAP_ADMIN, 0, NULL, admin_get, NULL},
    {"POST", "/admin/settings", CAP_ADMIN, 0, P_OPEN, admin_settings_post, NULL},
    {"POST", "/admin/accounts/{handle}", CAP_ADMIN, 0, P_ROLES, admin_roles_post, NULL},
    {0},
};

static const struct route_table account_tables[] = {{SCOPE_INSTANCE, account_routes}, {0}};

const struct area account_area = {
    .name = "account",
    .routes = account_tables,
};
