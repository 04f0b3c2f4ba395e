/* The second factor's pages: its setup (a QR code or the secret to type,
 * confirmed by a first code), recovery codes shown once, turning it off,
 * and the code step of sign-in. The arithmetic is in totp.c, the SQL in
 * model_second_factor.c. */
#include "areas/account/account.h"
#include "core/app.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"
#include "core/seal.h"
#include "core/text.h"
#include "core/tmpl.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* A code as typed: six digits, or a recovery code ("abcde-fghjk"). */
static const struct field FORM_CODE[] = {
    {"code", F_TEXT, 1, 0, 32, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* Confirming the setup asks for the password too: a session left open
 * (or stolen) must not be able to put its own phone on the account, after
 * which the owner could no longer sign in, any more than it may change
 * the password without the old one. */
static const struct field FORM_CONFIRM[] = {
    {"password", F_PASSWORD, 1, 0, 4 * PASSWORD_MAX, NULL, NULL},
    {"code", F_TEXT, 1, 0, 32, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static const struct field FORM_OFF[] = {
    {"password", F_PASSWORD, 1, 0, 4 * PASSWORD_MAX, NULL, NULL},
    {"code", F_TEXT, 1, 0, 32, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* What was typed, without the spaces an app shows inside a code ("123
 * 456"); arena-owned. */
static const char *code_typed(struct req *r, const char *code)
{
    char *s = arena_strdup(r->arena, code ? code : "");
    char *o = s;
    for (const char *p = s; *p; p++)
        if (*p != ' ') *o++ = *p;
    *o = 0;
    return s;
}

/* What a typed code is for an account: a TOTP step not yet used, or the
 * hash of a possible recovery code; neither when it can be neither. */
struct code_check {
    int64_t step;                    /* > 0: a valid TOTP code of this step */
    char recovery[AUTH_HEX_LEN + 1]; /* "" unless it looks like a recovery code */
};

/* Checks code against the account's confirmed factor, on the reader (the
 * write then spends the step or the recovery code, which is where replay
 * is refused). allow_recovery: a recovery code is accepted in its place. */
static void code_check(struct req *r, int64_t id, const char *code, int allow_recovery,
                       struct code_check *cc)
{
    memset(cc, 0, sizeof *cc);
    struct second_factor sf;
    if (second_factor_load(req_db(r), id, &sf) != 1 || !sf.confirmed) return;
    unsigned char key[32], s[TOTP_SECRET];
    totp_key(r->app->secret, key);
    int opened = totp_unbox(key, id, sf.box, sizeof sf.box, s) == 0;
    sodium_memzero(key, sizeof key);
    if (opened) {
        int64_t step = totp_check(s, code, now_s());
        if (step > sf.last_step) cc->step = step;
        /* an old step is a replay: it fails below as a wrong code does */
        else if (step > 0)
            cc->step = -1;
    }
    sodium_memzero(s, sizeof s);
    if (!cc->step && allow_recovery && recovery_code_hash(r->app->secret, code, cc->recovery) != 0)
        cc->recovery[0] = 0;
}

/* Spends what code_check found: WR_CONFLICT when it was nothing, or was
 * spent meanwhile (the same code sent twice at once). */
static enum wr code_spend(struct dbc *w, int64_t id, const struct code_check *cc)
{
    if (cc->step > 0) return second_factor_use_step(w, id, cc->step);
    if (cc->recovery[0]) return recovery_code_use(w, id, cc->recovery);
    return WR_CONFLICT;
}

int account_password_recheck(struct req *r, struct form *f, const char *password,
                             const char **hash_out)
{
    if (hash_out) *hash_out = NULL;
    if (!password) return 0; /* form_read said it is required */
    if (!req_hash_slot(r)) {
        form_release(f);
        req_hash_refuse(r);
        return -1;
    }
    char *stored = account_password_hash(req_db(r), r->acct->id);
    int ok = stored && auth_password_check(stored, password);
    if (ok && hash_out) *hash_out = arena_strdup(r->arena, stored);
    free(stored);
    req_hash_done(r);
    if (!ok) form_error(f, "password", "error.password_wrong");
    return ok;
}

/* ---- the code step of sign-in ---- */

static json_t *code_view(struct req *r)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "login.code.title")));
    json_object_set_new(v, "next", json_string(account_safe_next(req_param(r, "next"))));
    json_object_set_new(v, "second_factor", json_true());
    return v;
}

void login_second_step(struct req *r, const struct try_as *t, int64_t id, struct seal_prep *sp)
{
    struct login_pending p = {.account_id = id, .known = t->known};
    memcpy(p.throttle_key, t->key, sizeof p.throttle_key);
    memcpy(p.browser, t->browser, sizeof p.browser);
    char token[AUTH_TOKEN_LEN + 1], hash[AUTH_HEX_LEN + 1];
    auth_token_new(token);
    auth_token_hash(token, hash);
    /* Sealing: the secret key the password opened goes to the code step
     * encrypted under the pending cookie, as a session's copy is under its
     * own. A pair made just now (store 1, an account from before sealing)
     * is not carried: it would have to be stored first; the session then
     * has no key, as a failed unwrap leaves it. */
    if (sp->ready && sp->store != 1 && seal_session_box(token, id, sp->sk, p.seal_box) == 0)
        p.has_box = 1;
    seal_prep_wipe(sp);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? login_pending_create(w, hash, &p) : WR_BUSY;
    seal_wipe(p.seal_box, sizeof p.seal_box);
    if (req_commit(r, rc, NULL) != 0) return;
    req_set_cookie(r, "hr_pending", token, LOGIN_PENDING_SECONDS);
    struct buf b;
    buf_init(&b);
    buf_puts(&b, "/login/code?next=");
    url_escape(&b, account_safe_next(req_param(r, "next")));
    render_redirect(r, arena_strdup(r->arena, b.data), NULL);
    buf_free(&b);
}

/* The pending sign-in of this browser's hr_pending cookie into p, and its
 * hash into hash; 0, or -1 when there is none (expired, never made). */
static int pending_of(struct req *r, struct login_pending *p, char *hash)
{
    const char *cookie = req_cookie(r, "hr_pending");
    if (!cookie || strlen(cookie) != AUTH_TOKEN_LEN) return -1;
    auth_token_hash(cookie, hash);
    return login_pending_load(req_db(r), hash, p);
}

static void login_code_get(struct req *r)
{
    if (r->acct) {
        render_redirect(r, "/", NULL);
        return;
    }
    struct login_pending p;
    char hash[AUTH_HEX_LEN + 1];
    /* 410: the sign-in this page was for is over (five minutes, or none) */
    if (pending_of(r, &p, hash) != 0) {
        render_error(r, 410, "code_expired", "login.code.expired");
        return;
    }
    seal_wipe(p.seal_box, sizeof p.seal_box);
    render_page(r, 200, "account/login_code", code_view(r));
}

static void code_refuse(struct req *r, struct form *f, int status, const char *code,
                        const char *msg)
{
    json_t *v = code_view(r);
    if (r->want_json) {
        json_object_set_new(v, "error", json_pack("{ss ss}", "code", code, "message", msg));
    } else {
        form_to_view(f, v);
        json_object_set_new(v, "login_error", json_string(msg));
    }
    render_page(r, status, "account/login_code", v);
    form_release(f);
}

/* The code step's write: the code spent, then the session as after a
 * password alone (throttle cleared, browser known, key copied); a code
 * that is wrong or already used counts as a failed sign-in instead. */
static enum wr code_write(struct dbc *w, const struct login_pending *p, const char *pending_hash,
                          const char *cookie, const struct code_check *cc, char *token, char *known,
                          int *accepted)
{
    *accepted = 0;
    enum wr rc = code_spend(w, p->account_id, cc);
    if (rc == WR_CONFLICT) return throttle_fail(w, p->throttle_key);
    if (rc != WR_OK) return rc;
    *accepted = 1;
    struct try_as t = {.known = p->known};
    memcpy(t.key, p->throttle_key, sizeof t.key);
    memcpy(t.browser, p->browser, sizeof t.browser);
    struct seal_prep sp = {0};
    if (p->has_box &&
        seal_session_open(cookie, p->account_id, p->seal_box, SEAL_SESSION_BOX, sp.sk) == 0 &&
        seal_keys_load(w, p->account_id, &sp.keys) == 1)
        sp.ready = 1; /* store 0: the stored pair, its copy for the session */
    rc = account_signed_in(w, &t, p->account_id, token, known, &sp);
    seal_prep_wipe(&sp);
    return rc == WR_OK ? login_pending_delete(w, pending_hash) : rc;
}

static void login_code_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_CODE);
    struct login_pending p;
    char hash[AUTH_HEX_LEN + 1];
    if (pending_of(r, &p, hash) != 0) {
        code_refuse(r, &f, 410, "code_expired", tr(r, "login.code.expired"));
        return;
    }
    int64_t wait = throttle_wait(req_db(r), p.throttle_key);
    if (wait > 0) {
        seal_wipe(p.seal_box, sizeof p.seal_box);
        json_t *args = req_own(r, json_pack("{sI}", "minutes", (json_int_t)((wait + 59) / 60)));
        struct buf b;
        buf_init(&b);
        tmpl_subst(&b, tr(r, "login.throttled"), args, 0);
        req_add_header(r, "Retry-After", arena_printf(r->arena, "%lld", (long long)wait));
        code_refuse(r, &f, 429, "throttled", arena_strdup(r->arena, b.data));
        buf_free(&b);
        return;
    }
    struct code_check cc;
    code_check(r, p.account_id, code_typed(r, form_str(&f, "code")), 1, &cc);
    char token[AUTH_TOKEN_LEN + 1], known[AUTH_TOKEN_LEN + 1] = "";
    int accepted = 0;
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? code_write(w, &p, hash, req_cookie(r, "hr_pending"), &cc, token, known, &accepted)
          : WR_BUSY;
    seal_wipe(p.seal_box, sizeof p.seal_box);
    if (req_commit(r, rc, NULL) != 0) {
        form_release(&f);
        return;
    }
    if (!accepted) {
        code_refuse(r, &f, 401, "bad_code", tr(r, "login.code.failed"));
        return;
    }
    form_release(&f);
    req_set_cookie(r, "hr_pending", "", 0);
    account_signed_in_answer(r, token, known, req_param(r, "next"));
}

/* ---- setting it up ---- */

/* The setup page: off (a button to start), waiting for the first code
 * (the QR code and the secret, shown only until it is confirmed), or on
 * (how many recovery codes are left, new ones, turning it off). */
static json_t *second_factor_view(struct req *r)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "second_factor.title")));
    struct second_factor sf;
    int have = second_factor_load(req_db(r), r->acct->id, &sf);
    const char *state = have != 1 ? "off" : sf.confirmed ? "on" : "waiting";
    json_object_set_new(v, "state", json_string(state));
    json_object_set_new(v, "is_on", json_boolean(have == 1 && sf.confirmed));
    json_object_set_new(v, "is_waiting", json_boolean(have == 1 && !sf.confirmed));
    if (have == 1 && sf.confirmed)
        json_object_set_new(v, "recovery_left",
                            json_integer(recovery_codes_left(req_db(r), r->acct->id)));
    if (have != 1 || sf.confirmed) return v;
    unsigned char key[32], s[TOTP_SECRET];
    char b32[TOTP_BASE32 + 1];
    totp_key(r->app->secret, key);
    int ok =
        totp_unbox(key, r->acct->id, sf.box, sizeof sf.box, s) == 0 && totp_base32(s, b32) == 0;
    sodium_memzero(key, sizeof key);
    sodium_memzero(s, sizeof s);
    if (!ok) return v;
    /* handles are [A-Za-z0-9_.-]: nothing in the label needs escaping */
    const char *uri = arena_printf(r->arena, "otpauth://totp/Hramada:%s?secret=%s&issuer=Hramada",
                                   r->acct->handle, b32);
    json_object_set_new(v, "secret", json_string(b32));
    json_object_set_new(v, "uri", json_string(uri));
    view_put_html(r, v, "qr", render_qr_svg(r, uri));
    sodium_memzero(b32, sizeof b32);
    return v;
}

static void second_factor_get(struct req *r)
{
    render_page(r, 200, "account/second_factor", second_factor_view(r));
}

static void second_factor_start_post(struct req *r)
{
    unsigned char key[32], s[TOTP_SECRET], box[TOTP_BOX];
    totp_secret_new(s);
    totp_key(r->app->secret, key);
    totp_box(key, r->acct->id, s, box);
    sodium_memzero(key, sizeof key);
    sodium_memzero(s, sizeof s);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? second_factor_begin(w, r->acct->id, box) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, "/account/second-factor", NULL);
}

/* Ten fresh recovery codes into codes, their hashes into hashes. */
static void recovery_new(struct req *r, char codes[][RECOVERY_LEN + 1],
                         char hashes[][AUTH_HEX_LEN + 1])
{
    for (int i = 0; i < RECOVERY_CODES; i++) {
        recovery_code_new(codes[i]);
        recovery_code_hash(r->app->secret, codes[i], hashes[i]);
    }
}

/* The page that shows the recovery codes, the one time they are shown:
 * the answer to the POST itself, never a page one can come back to. */
static void recovery_show(struct req *r, char codes[][RECOVERY_LEN + 1], const char *flash_key)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "second_factor.recovery.title")));
    json_object_set_new(v, "done", json_string(tr(r, flash_key)));
    json_t *list = json_array();
    for (int i = 0; i < RECOVERY_CODES; i++) {
        json_array_append_new(list, json_string(codes[i]));
        sodium_memzero(codes[i], RECOVERY_LEN + 1);
    }
    json_object_set_new(v, "recovery_codes", list);
    req_add_header(r, "Cache-Control", "no-store");
    render_page(r, 200, "account/recovery_codes", v);
}

/* 1 when the form has errors: the page is shown again with them, next to
 * the fields; else 0 and the form is released. */
static int page_refused(struct req *r, struct form *f)
{
    if (!form_ok(f)) {
        render_invalid(r, "account/second_factor", second_factor_view(r), f);
        return 1;
    }
    form_release(f);
    return 0;
}

/* Commits the write that stored new recovery codes and shows them once;
 * when the write failed (its answer given), they are wiped unseen. */
static void recovery_commit(struct req *r, enum wr rc, char codes[][RECOVERY_LEN + 1],
                            const char *msgkey)
{
    if (req_commit(r, rc, NULL) != 0) {
        sodium_memzero(codes, RECOVERY_CODES * sizeof *codes);
        return;
    }
    recovery_show(r, codes, msgkey);
}

static void second_factor_confirm_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_CONFIRM);
    struct second_factor sf;
    int have = second_factor_load(req_db(r), r->acct->id, &sf);
    if (have != 1 || sf.confirmed) {
        form_release(&f);
        render_redirect(r, "/account/second-factor", NULL);
        return;
    }
    unsigned char key[32], s[TOTP_SECRET];
    totp_key(r->app->secret, key);
    int64_t step = -1;
    if (totp_unbox(key, r->acct->id, sf.box, sizeof sf.box, s) == 0)
        step = totp_check(s, code_typed(r, form_str(&f, "code")), now_s());
    sodium_memzero(key, sizeof key);
    sodium_memzero(s, sizeof s);
    if (form_str(&f, "code") && step < 0) form_error(&f, "code", "second_factor.code_wrong");
    if (account_password_recheck(r, &f, form_str(&f, "password"), NULL) < 0) return;
    if (page_refused(r, &f)) return;
    char codes[RECOVERY_CODES][RECOVERY_LEN + 1], hashes[RECOVERY_CODES][AUTH_HEX_LEN + 1];
    recovery_new(r, codes, hashes);
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? second_factor_confirm(w, r->acct->id, sf.box, step, hashes, RECOVERY_CODES) : WR_BUSY;
    recovery_commit(r, rc, codes, "second_factor.on");
}

/* New recovery codes in place of the old ones, for a current code (so a
 * session left open on someone else's screen cannot make codes). */
static void recovery_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_CODE);
    struct code_check cc;
    code_check(r, r->acct->id, code_typed(r, form_str(&f, "code")), 0, &cc);
    if (form_ok(&f) && cc.step <= 0) form_error(&f, "code", "second_factor.code_wrong");
    if (page_refused(r, &f)) return;
    char codes[RECOVERY_CODES][RECOVERY_LEN + 1], hashes[RECOVERY_CODES][AUTH_HEX_LEN + 1];
    recovery_new(r, codes, hashes);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? code_spend(w, r->acct->id, &cc) : WR_BUSY;
    if (rc == WR_CONFLICT) rc = wr_fail(w, WR_CONFLICT, "second_factor.code_used");
    if (rc == WR_OK) rc = recovery_codes_replace(w, r->acct->id, hashes, RECOVERY_CODES);
    recovery_commit(r, rc, codes, "second_factor.recovery.renewed");
}

/* Off: the password and a current code (or a recovery code, for someone
 * whose phone is lost), so that an open session alone cannot take the
 * factor away. */
static void second_factor_off_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_OFF);
    const char *pw = form_str(&f, "password");
    struct code_check cc;
    code_check(r, r->acct->id, code_typed(r, form_str(&f, "code")), 1, &cc);
    if (form_str(&f, "code") && cc.step <= 0 && !cc.recovery[0])
        form_error(&f, "code", "second_factor.code_wrong");
    if (account_password_recheck(r, &f, pw, NULL) < 0) return;
    if (page_refused(r, &f)) return;
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? code_spend(w, r->acct->id, &cc) : WR_BUSY;
    if (rc == WR_CONFLICT) rc = wr_fail(w, WR_CONFLICT, "second_factor.code_used");
    if (rc == WR_OK) rc = second_factor_drop(w, r->acct->id);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, "/account", "flash.second_factor_off");
}

static const char *const P_NEXT[] = {"next", NULL};

const struct route second_factor_routes[] = {
    {"GET", "/login/code", CAP_ANY, 0, P_NEXT, login_code_get, NULL},
    {"POST", "/login/code", CAP_ANON, 0, P_NEXT, login_code_post, FORM_CODE},
    {"GET", "/account/second-factor", CAP_USER, 0, NULL, second_factor_get, NULL},
    {"POST", "/account/second-factor/start", CAP_USER, 0, NULL, second_factor_start_post, NULL},
    {"POST", "/account/second-factor/confirm", CAP_USER, 0, NULL, second_factor_confirm_post,
     FORM_CONFIRM},
    {"POST", "/account/second-factor/recovery", CAP_USER, 0, NULL, recovery_post, FORM_CODE},
    {"POST", "/account/second-factor/off", CAP_USER, 0, NULL, second_factor_off_post, FORM_OFF},
    {0},
};
