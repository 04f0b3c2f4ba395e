/* Accounts, sessions, sign-in/up, instance settings and administration. */
#ifndef HR_ACCOUNT_H
#define HR_ACCOUNT_H

#include "core/area.h"
#include "core/db.h"
#include "core/req.h"
#include <jansson.h>

struct dbc;

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
 * or -1 when there is none. */
int session_account(struct dbc *c, struct arena *a, const char *token_hash, struct account *out);
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
#endif
