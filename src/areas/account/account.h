/* Accounts, sessions, sign-in/up, instance settings and administration. */
#ifndef HR_ACCOUNT_H
#define HR_ACCOUNT_H

#include "core/area.h"
#include "core/db.h"
#include "core/req.h"
#include "areas/account/totp.h"
#include "core/auth.h"
#include "core/seal.h"
#include <jansson.h>
#include <stdio.h>

struct dbc;
struct form;

extern const struct area account_area;

/* The app hook: fills r->acct from the session cookie's token. */
void account_load_viewer(struct req *r, const char *token);

/* ---- model (account/model.c) ---- */

enum { HANDLE_MAX = 32, DISPLAY_NAME_MAX = 64, PASSWORD_MIN = 8, PASSWORD_MAX = 256 };

/* 1 if h is a valid handle: 3..32 of [A-Za-z0-9_.-], starting with a letter
 * or digit. */
int account_handle_valid(const char *h);
/* Creates an account with an argon2id hash of password. Returns its id, -2
 * if the handle is taken, -1 on other errors. */
int64_t account_create(struct dbc *w, const char *handle, const char *display_name,
                       const char *password, int is_demo);
/* Same, with a ready hash (bulk data generation hashes once). */
int64_t account_create_hashed(struct dbc *w, const char *handle, const char *display_name,
                              const char *hash, int is_demo);
int account_set_password(struct dbc *w, int64_t id, const char *password);
/* The account's own change: new_hash (auth_password_hash) replaces
 * old_hash, the one the old password was checked against, and every
 * session ends; WR_CONFLICT when the password changed meanwhile. */
enum wr account_password_replace(struct dbc *w, int64_t id, const char *old_hash,
                                 const char *new_hash);
/* For the command line and the demo: 0, or -1. */
int account_set_roles(struct dbc *w, int64_t id, int is_admin, int is_coord);
/* The administrator viewer sets handle's roles: WR_NOT_FOUND for no such
 * account, WR_INVALID when viewer would take their own admin role. */
enum wr account_roles_update(struct dbc *w, const char *handle, int64_t viewer, int is_admin,
                             int is_coord);
int64_t account_id_by_handle(struct dbc *c, const char *handle);
/* All accounts (handle, display_name, is_admin, is_coord, created) for the
 * administrator; a new reference. */
json_t *account_list(struct dbc *c);
/* The same list, the fields m allows (the administrator's page). */
json_t *account_view_list(struct dbc *c, const struct vmask *m);
int account_count_demo(struct dbc *c);

/* Instance settings (open sign-up, the CSRF secret). Returned strings are
 * malloc'd (caller frees). */
char *setting_get(struct dbc *c, const char *key);
int setting_set(struct dbc *w, const char *key, const char *value);
/* setting_set for a page's write; a value unchanged is not written. */
enum wr setting_put(struct dbc *w, const char *key, const char *value);
/* Makes sure the instance secret exists; copies it into out. */
int setting_secret(struct dbc *w, unsigned char out[32]);
int setting_open_signup(struct dbc *c);

/* Sessions: token_out[AUTH_TOKEN_LEN + 1] receives the cookie value.
 * account_create, account_set_password and session_create stay 0/-1 (or
 * an id): the key sealing that comes with them (core/seal.c) is to change
 * how they are called, and the pages turn their results into enum wr. */
int session_create(struct dbc *w, int64_t account_id, char *token_out);
/* The signed-in account of a live session into out (strings in a); 0,
 * or -1 when there is none. *stale: its "last used" day is before today
 * (session_touch is due). */
int session_account(struct dbc *c, struct arena *a, const char *token_hash, struct account *out,
                    int *stale);
enum wr session_delete(struct dbc *w, const char *token_hash);
/* The account's id and password hash (in a) for handle; 0 when none. */
int64_t account_for_login(struct dbc *c, struct arena *a, const char *handle,
                          const char **hash_out);
char *account_password_hash(struct dbc *c, int64_t id); /* malloc'd */
/* What did not change is not written. */
enum wr account_set_profile(struct dbc *w, int64_t id, const char *display_name, const char *lang);
enum wr account_set_lang(struct dbc *w, int64_t id, const char *lang);
/* Sign-in throttling by key: auth_keyed_name() of the handle typed, or of
 * a browser the account knows; never the text itself. Seconds to wait
 * before the next try (0: none). */
int64_t throttle_wait(struct dbc *c, const char *key);
/* One more failure for key; rows a day without failures are pruned. */
enum wr throttle_fail(struct dbc *w, const char *key);
enum wr throttle_clear(struct dbc *w, const char *key);
/* The account a browser's hr_known cookie (its hash) belongs to; 0. */
int64_t known_browser_account(struct dbc *c, const char *token_hash);
/* Remembers a browser for the account (at most KNOWN_BROWSERS_MAX, the
 * least recently used forgotten first), or notes today's use of it. */
enum { KNOWN_BROWSERS_MAX = 10 };
enum wr known_browser_note(struct dbc *w, int64_t account_id, const char *token_hash);

/* ---- the second factor (account/model_second_factor.c) ---- */

/* The account's second factor as stored: box is the encrypted secret
 * (totp.h). */
struct second_factor {
    int confirmed;
    int64_t last_step;
    unsigned char box[TOTP_BOX];
};
/* 1 and *out filled when the account has a row (set up or being set up),
 * 0 when none, -1 on error. */
int second_factor_load(struct dbc *c, int64_t id, struct second_factor *out);
/* 1 when the account has a confirmed second factor, else 0. */
int account_has_second_factor(struct dbc *c, int64_t id);
/* A new secret waiting for its first code (replacing one that waited);
 * WR_CONFLICT when the factor is already confirmed. */
enum wr second_factor_begin(struct dbc *w, int64_t id, const unsigned char box[TOTP_BOX]);
/* The waiting secret confirmed with a code of step, and the recovery codes
 * (hashes) in place of any; WR_CONFLICT when box is no longer the waiting
 * secret (set up again, or confirmed, meanwhile). */
enum wr second_factor_confirm(struct dbc *w, int64_t id, const unsigned char box[TOTP_BOX],
                              int64_t step, char hashes[][AUTH_HEX_LEN + 1], int n);
/* Marks step used: WR_CONFLICT when it or a later one was used already
 * (a replayed code) or the factor is gone. */
enum wr second_factor_use_step(struct dbc *w, int64_t id, int64_t step);
/* New recovery codes (hashes) in place of every old one. */
enum wr recovery_codes_replace(struct dbc *w, int64_t id, char hashes[][AUTH_HEX_LEN + 1], int n);
/* Spends one recovery code: WR_CONFLICT when it is not one of the
 * account's (wrong, or used). */
enum wr recovery_code_use(struct dbc *w, int64_t id, const char *hash);
int recovery_codes_left(struct dbc *c, int64_t id);
/* The factor and its recovery codes removed. */
enum wr second_factor_drop(struct dbc *w, int64_t id);

/* A sign-in waiting for its code (login_pending). */
struct login_pending {
    int64_t account_id;
    char throttle_key[AUTH_HEX_LEN + 1];
    char browser[AUTH_HEX_LEN + 1];
    int known;
    int has_box;
    unsigned char seal_box[SEAL_SESSION_BOX];
};
enum { LOGIN_PENDING_SECONDS = 300 };
/* Stores p under the pending token's hash for five minutes; expired rows
 * are pruned on the way. */
enum wr login_pending_create(struct dbc *w, const char *token_hash, const struct login_pending *p);
/* 0 and *out filled for a live pending sign-in, -1 when none. */
int login_pending_load(struct dbc *c, const char *token_hash, struct login_pending *out);
enum wr login_pending_delete(struct dbc *w, const char *token_hash);

/* ---- sessions of the account page (account/model_sessions.c) ---- */

enum { SESSION_NAME_MAX = 40, SESSIONS_SHOWN = 100 };
/* The account's live sessions (id, created, last_used, name, this_one),
 * the fields m allows, the most recently used first; a new reference. */
json_t *session_list(struct dbc *c, const struct vmask *m, int64_t account_id,
                     const char *this_hash);
/* Names session id of the account (NULL: no name); WR_NOT_FOUND when it
 * is not one of its sessions. */
enum wr session_rename(struct dbc *w, int64_t account_id, int64_t id, const char *name);
/* Ends session id of the account; WR_NOT_FOUND when it is not one. */
enum wr session_end(struct dbc *w, int64_t account_id, int64_t id);
/* Ends every session of the account but this_hash. */
enum wr session_end_others(struct dbc *w, int64_t account_id, const char *this_hash);
/* 1 when the session of token_hash still exists. */
int session_account_live(struct dbc *c, const char *token_hash);
/* Notes today as the session's last day (once a day at most). */
enum wr session_touch(struct dbc *w, const char *token_hash);

/* ---- pages of other files ---- */

/* The sign-in's browser and throttle key (pages.c), shared by the
 * password step and the code step (second_factor.c). */
struct try_as {
    char key[AUTH_HEX_LEN + 1];
    char browser[AUTH_HEX_LEN + 1]; /* the cookie's hash, "" when none */
    int known;                      /* the browser is the account's */
};
/* The session of a sign-in that passed every check (pages.c). */
enum wr account_signed_in(struct dbc *w, const struct try_as *t, int64_t id, char *token,
                          char *known_token, struct seal_prep *sp);
/* Sets the cookies of a new session (and of a newly known browser) and
 * redirects to next (pages.c). */
void account_signed_in_answer(struct req *r, const char *token, const char *known,
                              const char *next);
const char *account_safe_next(const char *next);
/* The password step handing over to the code step (second_factor.c): the
 * pending sign-in is written and the browser sent to /login/code. */
void login_second_step(struct req *r, const struct try_as *t, int64_t id, struct seal_prep *sp);
/* The second factor's and the sessions' routes. */
extern const struct route second_factor_routes[];
/* "Download my data" (export.c). */
extern const struct route export_routes[];
/* The account's own part of the file: handle, name, language, the day it
 * was made, whether a second factor is on, its sessions (days and names);
 * a new object, or NULL on a database error (model_export.c). */
json_t *account_export(struct dbc *c, int64_t account_id);

/* The password typed again (an act that a session alone must not do): 1
 * when password is the viewer's, with *hash_out (arena, may be NULL) the
 * hash it was checked against, for the write to ask that it still is; 0
 * with the field "password"'s error recorded; -1 when the hashing gate is
 * full and the answer is sent (f released). second_factor.c. */
int account_password_recheck(struct req *r, struct form *f, const char *password,
                             const char **hash_out);

/* ---- deleting one's account (delete.c, model_delete.c) ---- */
extern const struct route delete_routes[];
/* Deletes the account whose password hash is still checked_hash: leaves
 * every community first (409 "members.last_organizer" for a community it
 * alone organizes), never the last administrator (409 "delete.last_admin"),
 * 409 "account.password_changed" when the hash changed meanwhile. */
enum wr account_delete(struct dbc *w, int64_t id, const char *checked_hash, const char *sealed);
/* 1 if the account is the instance's only administrator. */
int account_is_last_admin(struct dbc *c, int64_t id);
/* `hramada user delete HANDLE`: says on out what goes (counted by the
 * areas' person_export hooks, secret communities left out), then, when
 * yes, deletes as account_delete does, on the caller's write transaction.
 * 0 when deleted; 1 otherwise (nothing deleted, the reason on stderr). */
int account_delete_cli(struct dbc *w, const struct area *const *areas, const char *handle, int yes,
                       FILE *out);
extern const struct route session_routes[];
/* The sessions section of the account page (sessions.c). */
void sessions_to_view(struct req *r, json_t *v);
#endif
