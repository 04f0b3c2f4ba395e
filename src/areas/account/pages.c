/* Sign-in, sign-up, sign-out, the account's own settings, the language
 * switch, the administrator's page, health and static files. */
#include "areas/account/account.h"
#include "areas/community/community.h"
#include "core/app.h"
#include "core/keyring.h"
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
    struct account *a = arena_alloc(r->arena, sizeof *a);
    int stale = 0;
    if (session_account(req_db(r), r->arena, hash, a, &stale) != 0) return;
    a->session_hash = arena_strdup(r->arena, hash);
    r->acct = a;
    /* "Last used" of the sessions list, by day: the first request of a
     * day writes it, every other one only reads. A busy writer skips it;
     * the next request tries again. */
    if (stale) {
        struct dbc *w = req_write_begin(r);
        if (w) req_write_end(r, session_touch(w, hash) == WR_OK);
    }
}

/* A model's 0/-1 (the calls that seal keys stay so, account.h) as a
 * write's result. */
static enum wr wr_of(struct dbc *w, int rc)
{
    return rc == 0 ? WR_OK : wr_from_error(w);
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

const char *account_safe_next(const char *next)
{
    return safe_next(next);
}

/* ---- sign-in ---- */

/* The password is checked, never echoed: F_PASSWORD keeps it out of the
 * page that comes back. */
static const struct field FORM_LOGIN[] = {
    {"handle", F_TEXT, 1, 0, HANDLE_MAX, NULL, NULL},
    {"password", F_PASSWORD, 1, 0, 4 * PASSWORD_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static json_t *login_view(struct req *r)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "login.title")));
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
        json_t *v = req_view(r);
        json_object_set_new(v, "error", json_pack("{ss ss}", "code", code, "message", msg));
        render_page(r, status, "account/login", v);
    } else {
        json_t *view = login_view(r);
        form_to_view(f, view);
        json_object_set_new(view, "login_error", json_string(msg));
        render_page(r, status, "account/login", view);
    }
    form_release(f);
}

/* Who a sign-in try is throttled as. A browser the account knows (its
 * hr_known cookie, given at an earlier sign-in) is throttled by its own
 * key, so that a stranger's five wrong guesses at a handle, which lock the
 * handle for every other browser, never keep the owner out; any other
 * browser by the handle typed. Keys are keyed hashes (auth_keyed_name):
 * a password typed into the handle field is never stored. */
/* struct try_as is in account.h: the code step (second_factor.c) goes on
 * with the key the password step was throttled as. */

static void try_as_of(struct req *r, const char *handle, int64_t account_id, struct try_as *t)
{
    memset(t, 0, sizeof *t);
    const char *cookie = req_cookie(r, "hr_known");
    if (cookie && strlen(cookie) == AUTH_TOKEN_LEN) {
        auth_token_hash(cookie, t->browser);
        t->known = account_id && known_browser_account(req_db(r), t->browser) == account_id;
    }
    if (t->known) {
        auth_keyed_name(r->app->secret, "sign-in browser", t->browser, t->key);
        return;
    }
    /* handles are one account whatever their case (COLLATE NOCASE) */
    char *folded = arena_strdup(r->arena, handle);
    for (char *p = folded; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    auth_keyed_name(r->app->secret, "sign-in handle", folded, t->key);
}

/* A session for the account, with its copy of the secret key; the browser
 * becomes known to the account (cookie into known_token) or its use is
 * noted. */
enum wr account_signed_in(struct dbc *w, const struct try_as *t, int64_t id, char *token,
                          char *known_token, struct seal_prep *sp)
{
    enum wr rc = throttle_clear(w, t->key);
    known_token[0] = 0;
    if (rc == WR_OK && t->known) {
        rc = known_browser_note(w, id, t->browser);
    } else if (rc == WR_OK) {
        char h[AUTH_HEX_LEN + 1];
        auth_token_new(known_token);
        auth_token_hash(known_token, h);
        rc = known_browser_note(w, id, h);
    }
    if (rc == WR_OK) rc = wr_of(w, session_create(w, id, token));
    /* Sealing: the session's copy of the secret key, under its cookie;
     * then the memberships waiting to be sealed move into the keyring now
     * that the key is open (their clear links go). seal_commit wipes sp,
     * and may first store the pair that the keyring needs, so the key is
     * kept that long in sk. */
    unsigned char sk[SEAL_SK];
    int ready = sp->ready;
    if (ready) memcpy(sk, sp->sk, SEAL_SK);
    if (rc == WR_OK) rc = wr_of(w, seal_commit(w, id, token, sp));
    if (rc == WR_OK && ready && member_seal_waiting(w, id, sk) < 0) rc = wr_from_error(w);
    seal_wipe(sk, sizeof sk);
    return rc;
}

static void login_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, FORM_LOGIN)) {
        render_invalid(r, "account/login", login_view(r), &f);
        return;
    }
    const char *handle = form_str(&f, "handle"), *pw = form_str(&f, "password");
    const char *hash = NULL;
    int64_t id = account_for_login(req_db(r), r->arena, handle, &hash);
    struct try_as as;
    try_as_of(r, handle, id, &as);
    int64_t wait = throttle_wait(req_db(r), as.key);
    if (wait > 0) {
        json_t *args = req_own(r, json_pack("{sI}", "minutes", (json_int_t)((wait + 59) / 60)));
        struct buf b;
        buf_init(&b);
        tmpl_subst(&b, tr(r, "login.throttled"), args, 0);
        req_add_header(r, "Retry-After", arena_printf(r->arena, "%lld", (long long)wait));
        login_refuse(r, &f, 429, "throttled", arena_strdup(r->arena, b.data));
        buf_free(&b);
        return;
    }
    /* A hash is the costly part: past the gate's places, an answer at
     * once (core/gate.h), and the throttle above has already refused the
     * handles under attack without hashing. */
    if (!req_hash_slot(r)) {
        form_release(&f);
        req_hash_refuse(r);
        return;
    }
    int ok = 0;
    if (id)
        ok = auth_password_check(hash, pw);
    else
        auth_password_dummy(pw); /* the same time for an unknown handle */
    /* Sealing: the password is at hand only now, so the account's secret
     * key is opened here (or made, for an account from before sealing), on
     * the reader: argon2id is slow and must not hold the write lock. A
     * wrong password does none of it, so it costs what an unknown handle
     * costs. Failing leaves a session without a key, never no session. */
    struct seal_prep sp = {0};
    if (ok) seal_prepare_login(req_db(r), id, pw, &sp);
    req_hash_done(r);
    /* An account with a second factor gets no session yet: the right
     * password only opens the code step, and the throttle is not cleared
     * until the code is right, so wrong codes add to wrong passwords. */
    if (ok && account_has_second_factor(req_db(r), id)) {
        form_release(&f);
        login_second_step(r, &as, id, &sp);
        return;
    }
    char token[AUTH_TOKEN_LEN + 1], known[AUTH_TOKEN_LEN + 1] = "";
    struct dbc *w = req_write_begin(r);
    enum wr rc = !w   ? WR_BUSY
                 : ok ? account_signed_in(w, &as, id, token, known, &sp)
                      : throttle_fail(w, as.key);
    seal_prep_wipe(&sp);
    if (req_commit(r, rc, NULL) != 0) {
        form_release(&f);
        return;
    }
    if (!ok) {
        login_refuse(r, &f, 401, "bad_credentials", tr(r, "login.failed"));
        return;
    }
    form_release(&f);
    account_signed_in_answer(r, token, known, req_param(r, "next"));
}

void account_signed_in_answer(struct req *r, const char *token, const char *known, const char *next)
{
    req_set_cookie(r, "hr_session", token, SESSION_MAX_AGE);
    /* kept past sign-out, for a year: it is what lets the owner in while a
     * stranger's guesses lock the handle */
    if (known[0]) req_set_cookie(r, "hr_known", known, 365 * 86400);
    render_redirect(r, safe_next(next), "flash.signed_in");
}

static void logout_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? session_delete(w, r->acct->session_hash) : WR_BUSY;
    if (req_commit(r, rc, NULL) != 0) return;
    req_set_cookie(r, "hr_session", "", 0);
    render_redirect(r, "/", "flash.signed_out");
}

/* ---- sign-up ---- */

static const struct field FORM_SIGNUP[] = {
    {"handle", F_TEXT, 1, 0, HANDLE_MAX, NULL, NULL},
    {"display_name", F_TEXT, 0, 0, DISPLAY_NAME_MAX, NULL, NULL},
    {"password", F_PASSWORD, 1, 0, PASSWORD_MAX, NULL, NULL},
    {"password2", F_PASSWORD, 0, 0, PASSWORD_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* Sign-up is open when the instance says so, or for someone who holds a
 * valid invitation (the link brings them here with next=/i/TOKEN). */
static int signup_allowed(struct req *r, const char *next)
{
    if (setting_open_signup(req_db(r))) return 1;
    return str_starts(next, "/i/") && community_invite_usable(req_db(r), next + 3);
}

static json_t *signup_view(struct req *r)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "signup.title")));
    json_object_set_new(v, "next", json_string(safe_next(req_param(r, "next"))));
    return v;
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

/* Checks a new password (form_read checked it is there and not too long)
 * and its repetition; records errors. */
static const char *check_new_password(struct form *f)
{
    const char *pw = form_str(f, "password");
    if (!pw) return NULL;
    if (utf8_len(pw) < PASSWORD_MIN)
        form_error(f, "password", "error.password_short");
    else if (!str_eq(pw, form_str(f, "password2")))
        form_error(f, "password2", "error.password_mismatch");
    return form_ok(f) ? pw : NULL;
}

struct signup {
    const char *handle, *name, *pw;
    int by_invite;
    const char *next; /* where to go: the invitation's community once used */
    char token[AUTH_TOKEN_LEN + 1];
};

/* The account, its session and keys, and, when sign-up is closed, the
 * invitation that let this person in, spent in the same transaction:
 * otherwise a single-use link would let any number of accounts in until
 * one of them accepted it. */
static enum wr signup_write(struct req *r, struct dbc *w, struct signup *s)
{
    int64_t id = account_create(w, s->handle, s->name ? s->name : s->handle, s->pw, 0);
    /* Taken since the form was checked: another sign-up got there first. */
    if (id == -2) return wr_fail(w, WR_CONFLICT, "error.handle_taken");
    if (id < 0) return wr_from_error(w);
    enum wr rc = wr_of(w, session_create(w, id, s->token));
    /* Sealing: the new account's key pair, wrapped under the password that
     * is at hand only now, and this session's copy of its secret key. */
    struct seal_prep sp = {0};
    unsigned char sk[SEAL_SK];
    if (rc == WR_OK) rc = wr_of(w, seal_prepare_login(w, id, s->pw, &sp));
    int ready = rc == WR_OK && sp.ready;
    if (ready) memcpy(sk, sp.sk, SEAL_SK);
    if (rc == WR_OK) rc = wr_of(w, seal_commit(w, id, s->token, &sp));
    seal_prep_wipe(&sp);
    /* The invitation is used with the new key at hand, so that a secret
     * community's newcomer is sealed from the first moment. */
    struct invite_use use = {0};
    if (rc == WR_OK && s->by_invite)
        rc = invite_accept(w, r->arena, s->next + 3, id, ready ? sk : NULL, &use);
    if (ready) seal_wipe(sk, sizeof sk);
    if (rc == WR_OK && s->by_invite) s->next = arena_printf(r->arena, "/c/%s", use.slug);
    return rc;
}

static void signup_post(struct req *r)
{
    struct signup s = {.next = safe_next(req_param(r, "next"))};
    if (!signup_allowed(r, s.next)) {
        render_error(r, 403, "signup_closed", "signup.closed");
        return;
    }
    struct form f;
    form_read(&f, r, FORM_SIGNUP);
    s.handle = form_str(&f, "handle");
    if (s.handle && !account_handle_valid(s.handle)) form_error(&f, "handle", "error.handle");
    if (s.handle && form_ok(&f) && account_id_by_handle(req_db(r), s.handle))
        form_error(&f, "handle", "error.handle_taken");
    s.name = form_str(&f, "display_name");
    s.pw = check_new_password(&f);
    if (!form_ok(&f)) {
        render_invalid(r, "account/signup", signup_view(r), &f);
        return;
    }
    s.by_invite = !setting_open_signup(req_db(r));
    if (!req_hash_slot(r)) {
        form_release(&f);
        req_hash_refuse(r);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? signup_write(r, w, &s) : WR_BUSY;
    req_hash_done(r);
    form_release(&f);
    /* The invitation used up meanwhile: sign-up is closed to this person. */
    if (community_commit_invite(r, rc, 403) != 0) return;
    req_set_cookie(r, "hr_session", s.token, SESSION_MAX_AGE);
    render_redirect(r, s.next, "flash.welcome");
}

/* ---- the account's own page ---- */

static const char *const LANGS[] = {"", "ru", "en", NULL};

static const struct field FORM_SETTINGS[] = {
    {"display_name", F_TEXT, 1, 0, DISPLAY_NAME_MAX, NULL, NULL},
    {"lang", F_CHOICE, 0, 0, 0, LANGS, "lang"},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static const struct field FORM_PASSWORD[] = {
    {"current", F_PASSWORD, 0, 0, 4 * PASSWORD_MAX, NULL, NULL},
    {"password", F_PASSWORD, 1, 0, PASSWORD_MAX, NULL, NULL},
    {"password2", F_PASSWORD, 0, 0, PASSWORD_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static json_t *settings_view(struct req *r)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "account.title")));
    json_object_set_new(v, "lang_is_en", json_boolean(str_eq(r->acct->lang, "en")));
    json_object_set_new(v, "lang_is_ru", json_boolean(str_eq(r->acct->lang, "ru")));
    /* Sealing: the key's fingerprint and whether this session has it open,
     * so a person sees that a password change kept their key. */
    char fp[SEAL_FINGERPRINT_LEN + 1];
    int open = 0;
    if (seal_viewer_status(r, fp, &open))
        json_object_set_new(v, "key", json_pack("{ss sb}", "fingerprint", fp, "open", open));
    return v;
}

/* The settings form as stored: the page that comes back after a refused
 * password change shows it too. */
static void settings_fill(struct req *r, json_t *v)
{
    json_t *stored = req_own(r, json_pack("{ss ss}", "display_name", r->acct->display_name, "lang",
                                          r->acct->lang ? r->acct->lang : ""));
    struct form f;
    form_fill(&f, r, FORM_SETTINGS, stored);
    form_to_view(&f, v);
    form_release(&f);
}

enum { MINE_PAGE = 100 };

static void settings_get(struct req *r)
{
    json_t *v = settings_view(r);
    settings_fill(r, v);
    json_object_set_new(v, "handle", json_string(r->acct->handle));
    int64_t page = req_page(r);
    /* one row more than a page tells whether there is a next one */
    struct vmask mm = view_mask(r, community_mine_fields);
    const char *sealed = ring_viewer_member_ids(r);
    json_t *mine =
        community_list_mine(req_db(r), &mm, r->acct->id, sealed, ring_viewer_addresses(r),
                            (page - 1) * MINE_PAGE, MINE_PAGE + 1);
    int more = render_page_rows(&mine, MINE_PAGE);
    if (mine) community_rows_named(r, mine);
    render_pager(r, v, page, more, "/account?page=", "");
    json_object_set_new(v, "communities", mine);
    json_object_set_new(v, "communities_count",
                        json_integer(community_count_mine(req_db(r), r->acct->id, sealed)));
    json_object_set_new(v, "second_factor",
                        json_boolean(account_has_second_factor(req_db(r), r->acct->id)));
    sessions_to_view(r, v);
    render_page(r, 200, "account/settings", v);
}

static void settings_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, FORM_SETTINGS)) {
        render_invalid(r, "account/settings", settings_view(r), &f);
        return;
    }
    const char *lang = form_str(&f, "lang"); /* NULL: the browser's */
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? account_set_profile(w, r->acct->id, form_str(&f, "display_name"), lang) : WR_BUSY;
    /* A clear member follows the rename by trigger; a sealed one only from
     * here, the person's own session, which can open the keyring. */
    const char *name = form_str(&f, "display_name");
    if (rc == WR_OK && name && member_rename_sealed(w, ring_viewer_member_ids(r), name) != 0)
        rc = wr_from_error(w);
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, "/account", "flash.saved");
}

/* The new password in place of the one checked (old_hash), every session
 * ended with the old one and this one started afresh, the secret key
 * wrapped anew (sp). */
static enum wr password_write(struct dbc *w, int64_t id, const char *old_hash, const char *new_hash,
                              char *token, struct seal_prep *sp)
{
    enum wr rc = account_password_replace(w, id, old_hash, new_hash);
    if (rc == WR_OK) rc = wr_of(w, session_create(w, id, token));
    if (rc == WR_OK) rc = wr_of(w, seal_commit(w, id, token, sp));
    return rc;
}

static void password_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_PASSWORD);
    const char *cur = form_str(&f, "current");
    if (!req_hash_slot(r)) {
        form_release(&f);
        req_hash_refuse(r);
        return;
    }
    char *stored = account_password_hash(req_db(r), r->acct->id);
    const char *old_hash = arena_strdup(r->arena, stored ? stored : "");
    free(stored);
    if (!auth_password_check(old_hash, cur ? cur : ""))
        form_error(&f, "current", "error.password_wrong");
    const char *pw = check_new_password(&f);
    char new_hash[AUTH_HASH_MAX];
    if (pw && auth_password_hash(pw, new_hash) != 0) form_error(&f, "password", "error.invalid");
    if (!form_ok(&f)) {
        json_t *v = settings_view(r);
        render_invalid(r, "account/settings", v, &f);
        return;
    }
    /* Sealing: the secret key wrapped anew under the new password, so the
     * public key and the keyring stay valid; argon2id before the write
     * lock. Refused rather than half done: a password that no longer
     * opens the key would cost the account its secret communities. */
    struct seal_prep sp;
    int rewrapped = seal_prepare_rewrap(r, cur, pw, &sp);
    req_hash_done(r);
    if (rewrapped != 0) {
        form_release(&f);
        /* A change made meanwhile (another tab) wrapped the key under a
         * password this one no longer knows: that is the conflict, not a
         * busy database. */
        char *now = account_password_hash(req_db(r), r->acct->id);
        int changed = !str_eq(now, old_hash);
        free(now);
        req_commit(r, changed ? WR_CONFLICT : WR_BUSY, "account.password_changed");
        return;
    }
    char token[AUTH_TOKEN_LEN + 1];
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? password_write(w, r->acct->id, old_hash, new_hash, token, &sp) : WR_BUSY;
    seal_prep_wipe(&sp);
    form_release(&f);
    if (req_commit(r, rc, NULL) != 0) return;
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
    if (r->acct) {
        struct dbc *w = req_write_begin(r);
        enum wr rc = w ? account_set_lang(w, r->acct->id, lang) : WR_BUSY;
        if (req_commit(r, rc, NULL) != 0) return;
    }
    req_set_cookie(r, "hr_lang", lang, 365 * 86400);
    render_redirect(r, safe_next(req_param(r, "next")), NULL);
}

/* ---- administration ---- */

static const char *const OPEN_SIGNUP[] = {"0", "1", NULL};

static const struct field FORM_OPEN[] = {
    {"open_signup", F_CHOICE, 0, 0, 0, OPEN_SIGNUP, "admin.signup"},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static const struct field FORM_ROLES[] = {
    {"is_admin", F_CHECK, 0, 0, 0, NULL, NULL},
    {"is_coord", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* What the administrator's list shows of each account: never its id or
 * anything of its password or keys. */
static const struct vfield ADMIN_ACCOUNT_FIELDS[] = {
    {"handle", CAP_ADMIN},
    {"display_name", CAP_ADMIN},
    {"is_admin", CAP_ADMIN},
    {"is_coord", CAP_ADMIN},
    {"is_demo", CAP_ADMIN},
    {"created", CAP_ADMIN},
    {NULL, 0},
};

static void admin_get(struct req *r)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "admin.title")));
    json_object_set_new(v, "open_signup", json_boolean(setting_open_signup(req_db(r))));
    struct vmask m = view_mask(r, ADMIN_ACCOUNT_FIELDS);
    json_t *accounts = account_view_list(req_db(r), &m);
    json_object_set_new(v, "accounts", accounts ? accounts : json_array());
    render_page(r, 200, "account/admin", v);
}

static void admin_settings_post(struct req *r)
{
    struct form f;
    if (!render_form_read(&f, r, FORM_OPEN, "error.bad_choice")) return;
    const char *open = str_eq(form_str(&f, "open_signup"), "1") ? "1" : "0";
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? setting_put(w, "open_signup", open) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, "/admin", "flash.saved");
}

static void admin_roles_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_ROLES);
    int is_admin = form_num(&f, "is_admin", 0) != 0, is_coord = form_num(&f, "is_coord", 0) != 0;
    form_release(&f);
    /* The last way in must not lock itself out: the write refuses an
     * administrator taking their own role. */
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? account_roles_update(w, req_path(r, "handle"), r->acct->id, is_admin, is_coord)
                   : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, "/admin", "flash.saved");
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
static const char *const P_NEXT[] = {"next", NULL};
static const char *const P_LANG[] = {"lang", "next", NULL};

static const struct route account_routes[] = {
    {"GET", "/healthz", CAP_ANY, 0, NULL, healthz, NULL},
    {"GET", "/static/{file}", CAP_ANY, 0, NULL, static_file, NULL},
    {"GET", "/login", CAP_ANY, 0, P_NEXT, login_get, NULL},
    {"POST", "/login", CAP_ANY, 0, P_NEXT, login_post, FORM_LOGIN},
    {"POST", "/logout", CAP_USER, 0, NULL, logout_post, NULL},
    {"GET", "/signup", CAP_ANY, 0, P_NEXT, signup_get, NULL},
    {"POST", "/signup", CAP_ANON, 0, P_NEXT, signup_post, FORM_SIGNUP},
    {"GET", "/account", CAP_USER, 0, P_PAGE, settings_get, NULL},
    {"POST", "/account", CAP_USER, 0, NULL, settings_post, FORM_SETTINGS},
    {"POST", "/account/password", CAP_USER, 0, NULL, password_post, FORM_PASSWORD},
    {"POST", "/lang", CAP_ANY, 0, P_LANG, lang_post, NULL},
    {"GET", "/admin", CAP_ADMIN, 0, NULL, admin_get, NULL},
    {"POST", "/admin/settings", CAP_ADMIN, 0, NULL, admin_settings_post, FORM_OPEN},
    {"POST", "/admin/accounts/{handle}", CAP_ADMIN, 0, NULL, admin_roles_post, FORM_ROLES},
    {0},
};

static const struct route_table account_tables[] = {
    {SCOPE_INSTANCE, account_routes}, {SCOPE_INSTANCE, second_factor_routes},
    {SCOPE_INSTANCE, session_routes}, {SCOPE_INSTANCE, export_routes},
    {SCOPE_INSTANCE, delete_routes},  {0},
};

const struct area account_area = {
    .name = "account",
    .routes = account_tables,
};
