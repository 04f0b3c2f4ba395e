/*
 * The notifications area (issue 17, step 2): the inbox of the signed-in
 * person across their communities, the count in every page's header, and
 * each member's choices per kind in a community.
 *
 * The notices are written by the areas whose changes cause them, through
 * core/notify.h, inside their own transactions; this area reads them, marks
 * them read and stores the choices. Its SQL is model.c's (the reads of the
 * inbox) and core/notify.c's (the writes every area shares).
 */
#ifndef HR_AREA_NOTIFY_H
#define HR_AREA_NOTIFY_H

#include "core/area.h"
#include "core/db.h"
#include "core/jobs.h"
#include <stdint.h>

extern const struct area notify_area;

struct arena;
struct notify_kind;

/* The app's hook (struct app_hooks.layout_extra): the signed-in viewer's
 * unread count into every HTML page's layout ("inbox_unread"). */
void inbox_layout_extra(struct req *r, json_t *ctx);

/* ---- model.c ---- */

/* The unread notices of the account (its clear member links and the
 * sealed member ids of its keyring, a JSON array), counted up to cap. */
int64_t inbox_unread(struct dbc *c, int64_t account, const char *sealed, int64_t cap);
/* A page of the account's notices, newest first: id, kind, community,
 * slug (a secret community's address from addresses, as its own pages
 * show it), at, unread. New array; NULL on error. */
json_t *inbox_list(struct dbc *c, const struct vmask *m, int64_t account, const char *sealed,
                   const char *addresses, int64_t offset, int64_t limit);
/* The account's communities with their unread counts, by name. */
json_t *inbox_communities(struct dbc *c, const struct vmask *m, int64_t account, const char *sealed,
                          const char *addresses);

/* What a notice opened leads to. */
struct inbox_target {
    int64_t community_id, object_id;
    const char *kind; /* in the arena */
};
/* On the writer: marks the account's notice id read and fills *out;
 * WR_NOT_FOUND when it is not one of the account's (another person's, or
 * gone with a membership that ended). */
enum wr inbox_open(struct dbc *w, struct arena *a, int64_t account, const char *sealed, int64_t id,
                   struct inbox_target *out);
/* The community's address as the viewer's pages show it (arena), or NULL. */
const char *inbox_community_slug(struct dbc *c, struct arena *a, int64_t community_id,
                                 const char *addresses);
/* On the writer: every unread notice of the member read. 409 when there
 * was none. */
enum wr inbox_read_all(struct dbc *w, int64_t member_id);

/* The member's stored choices as an object {kind: channel name} (opened
 * with the request's keys in a secret community); NULL on error. */
json_t *inbox_prefs(struct dbc *c, int64_t member_id);

/* ---- pass.c: the scheduled pass ---- */

enum { NOTIFY_AHEAD = 86400, NOTIFY_PASS_EVERY = 600 };
struct job;
struct db;
/* On the writer, inside its transaction: the notices due at now (closing
 * within NOTIFY_AHEAD, an event registered for starting within it), each
 * once. The number written, or -1. */
int notify_pass(struct dbc *w, int64_t now);
/* The recurring job "notify.pass" (core/jobs.h, local): the pass, the
 * queue's pruning, and again in NOTIFY_PASS_EVERY seconds. */
enum job_result notify_pass_job(void *arg, struct db *db, struct dbc *w, struct job *job);

/* ---- worker.c: the server's jobs ---- */

/* What the server's job thread runs (core/jobs.h), ended by a NULL kind. */
extern const struct job_handler notify_job_handlers[];
/* Makes the recurring jobs when they are not there yet (serve calls it at
 * start). 0, or -1. */
int notify_jobs_install(struct db *db, int64_t now);

/* ---- e-mail (mail.c, mail_pages.c, model_mail.c) ---- */

struct app;
struct mail_config;
/* What the server's jobs are given (serve fills it; configuration only). */
struct notify_jobs_arg {
    const struct app *app;
    const struct mail_config *mail; /* url NULL: no mail */
};
enum { NOTIFY_MAIL_SCAN_EVERY = 5 };

/* On the writer: files the notices after the cursor into mail jobs by each
 * member's channel and moves the cursor (no relay: only moves it). The
 * number of mail jobs made or grown, or -1. */
int notify_mail_scan(struct dbc *w, const struct notify_jobs_arg *arg, int64_t now);
/* The recurring job "mail.scan" (local). */
enum job_result notify_mail_scan_job(void *arg, struct db *db, struct dbc *w, struct job *job);
/* The job "mail.send" (external): one mail to one person. */
enum job_result notify_mail_send_job(void *arg, struct db *db, struct dbc *w, struct job *job);
/* The message for to (headers and body, \n lines; malloc'd): the default
 * text and link, and with fuller one line per public community's notice
 * of notices (rows of mail_notices). */
char *notify_mail_message(const struct notify_jobs_arg *arg, const char *lang, const char *to,
                          const char *key, int fuller, json_t *notices);

/* model_mail.c */
json_t *mail_address_of(struct dbc *c, int64_t account); /* {address, fuller} or NULL */
enum wr mail_address_set(struct dbc *w, int64_t account, const char *address, int fuller);
/* 409 when there was none. */
enum wr mail_address_remove(struct dbc *w, int64_t account);
int64_t mail_cursor_get(struct dbc *w);
int mail_cursor_set(struct dbc *w, int64_t last);
int64_t mail_last_notice(struct dbc *w);
/* {id, kind, account_id, channel} of the mailable notices after id after. */
json_t *mail_scan_rows(struct dbc *w, int64_t after, int64_t limit);
/* {id, kind, visibility, community (public only), slug (public only)} of
 * the notices ids (a JSON array) still the account's. */
json_t *mail_notices(struct dbc *c, int64_t account, const char *ids);
char *mail_account_lang(struct dbc *c, int64_t account);

/* mail_pages.c: /inbox/mail, the person's address. */
extern const struct route notify_mail_routes[];

#endif
