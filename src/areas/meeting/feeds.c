/* The events as iCalendar: one event's .ics and a public community's
 * feed. Neither names who registered: attendance never leaves the
 * community's pages. */
#include "areas/meeting/meeting.h"
#include "core/app.h"
#include "core/auth.h"
#include "core/form.h"
#include "core/render.h"
#include "core/text.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How long a feed looks back, and how much it holds. */
enum { FEED_BACK = 90 * 86400, FEED_MAX = 1000 };

/* The address links in a feed begin with: the configured base URL, or a
 * loopback Host (a demo on this machine); NULL: no links (a forged Host
 * would make links elsewhere). */
static const char *base_of(struct req *r)
{
    if (!str_empty(r->app->cfg.base_url)) return r->app->cfg.base_url;
    const char *host = req_header(r, "Host");
    if (!host || (strncmp(host, "127.0.0.1", 9) && strncmp(host, "localhost", 9) &&
                  strncmp(host, "[::1]", 5)))
        return NULL;
    return arena_printf(r->arena, "%s://%s", r->is_tls ? "https" : "http", host);
}

/* The first row of each series gets the series' facts ("series"), from
 * which its one VEVENT is made; the series' other rows are left out. */
static void with_series(struct dbc *c, json_t *rows, int neutral)
{
    json_t *seen = json_object();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (!json_string_value(json_object_get(row, "freq"))) continue;
        char key[24];
        snprintf(key, sizeof key, "%lld",
                 (long long)json_integer_value(json_object_get(row, "id")));
        if (json_object_get(seen, key)) continue;
        json_object_set_new(seen, key, json_true());
        json_t *s = event_series_feed(c, json_integer_value(json_object_get(row, "id")), neutral);
        if (s) json_object_set_new(row, "series", s);
    }
    json_decref(seen);
}

static void send_ics_as(struct req *r, json_t *rows, const char *filename, int neutral)
{
    with_series(req_db(r), rows, neutral);
    char *ics = event_ics(rows, base_of(r), "hramada", neutral, tr(r, "meeting.feed.neutral"));
    json_decref(rows);
    if (!ics) {
        render_error(r, 500, "internal", "error.internal");
        return;
    }
    req_add_header(r, "Content-Disposition",
                   arena_printf(r->arena, "attachment; filename=\"%s\"", filename));
    req_add_header(r, "Cache-Control", "private, no-store");
    render_bytes(r, 200, "text/calendar; charset=utf-8", ics, strlen(ics));
    free(ics);
}

static void send_ics(struct req *r, json_t *rows, const char *filename)
{
    send_ics_as(r, rows, filename, 0);
}

static void event_ics_get(struct req *r)
{
    int64_t id = req_path_int(r, "id");
    int member = req_has(r, CAP_C_MEMBER);
    json_t *rows = event_feed_rows(req_db(r), r->comm->id, r->comm->slug, id, !member, 0, 500);
    if (!rows || json_array_size(rows) == 0) {
        json_decref(rows);
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    send_ics(r, rows, arena_printf(r->arena, "event-%lld.ics", (long long)id));
}

/* A public community's events for everyone; a closed or secret one has
 * none (its members have their private feeds). */
static void public_feed_get(struct req *r)
{
    if (r->comm->visibility != VIS_PUBLIC) {
        render_error(r, 409, "conflict", "meeting.error.no_public_feed");
        return;
    }
    json_t *rows =
        event_feed_rows(req_db(r), r->comm->id, r->comm->slug, 0, 1, now_s() - FEED_BACK, FEED_MAX);
    if (!rows) {
        render_error(r, 500, "internal", "error.internal");
        return;
    }
    send_ics(r, rows, arena_printf(r->arena, "%s.ics", r->comm->slug));
}

/* ---- a member's private feed ---- */

static const char *const feed_scopes[] = {"all", "registered", NULL};

static const struct field FORM_FEED[] = {
    {"scope", F_CHOICE, 1, 0, 0, feed_scopes, "meeting.feed.scope."},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void feed_page(struct req *r, int status, struct form *f, const char *url)
{
    json_t *v = req_own(r, json_pack("{ss ss ss sb sb sb}", "title", tr(r, "meeting.feed.title"),
                                     "slug", r->comm->slug, "name", r->comm->name, "is_member", 1,
                                     "is_organizer", req_has(r, CAP_C_ORGANIZE), "secret_community",
                                     r->comm->visibility == VIS_SECRET));
    json_t *feed = event_feed_of(req_db(r), r->comm->id, r->comm->member_id);
    if (feed) {
        char day[20];
        event_local_format(json_integer_value(json_object_get(feed, "created_at")),
                           event_zone(req_db(r), r->arena, r->comm->id), day);
        json_object_set_new(feed, "created", json_stringn(day, 10));
        json_object_set_new(
            feed, "scope_label",
            json_string(tr(r, arena_printf(r->arena, "meeting.feed.scope.%s",
                                           json_string_value(json_object_get(feed, "scope"))))));
        json_object_set_new(v, "feed", feed);
    }
    if (url) json_object_set_new(v, "url", json_string(url));
    json_object_set_new(v, "action",
                        json_string(arena_printf(r->arena, "/c/%s/events/my-feed", r->comm->slug)));
    render_form(r, status, "meeting/myfeed", v, f);
}

static void my_feed_get(struct req *r)
{
    struct form f;
    json_t *feed = event_feed_of(req_db(r), r->comm->id, r->comm->member_id);
    json_t *stored =
        req_own(r, json_pack("{ss}", "scope",
                             feed ? json_string_value(json_object_get(feed, "scope")) : "all"));
    if (feed) json_object_set(stored, "scope", json_object_get(feed, "scope"));
    json_decref(feed);
    form_fill(&f, r, FORM_FEED, stored);
    feed_page(r, 200, &f, NULL);
}

/* A new address, shown on this answer only: the server keeps its hash. */
static void my_feed_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, FORM_FEED)) {
        feed_page(r, 422, &f, NULL);
        return;
    }
    char token[AUTH_TOKEN_LEN + 1], hash[AUTH_HEX_LEN + 1];
    auth_token_new(token);
    auth_keyed_name(r->app->secret, "events feed", token, hash);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? event_feed_set(w, r->comm->id, r->comm->member_id, hash, form_str(&f, "scope"))
                   : WR_BUSY;
    if (req_commit(r, rc, NULL) != 0) {
        form_release(&f);
        return;
    }
    const char *base = base_of(r);
    const char *url = arena_printf(r->arena, "%s/feeds/events/%s", base ? base : "", token);
    req_add_header(r, "Cache-Control", "private, no-store");
    feed_page(r, 200, &f, url);
}

static void my_feed_revoke(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? event_feed_revoke(w, r->comm->id, r->comm->member_id) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, arena_printf(r->arena, "/c/%s/events/my-feed", r->comm->slug),
                        "flash.meeting_feed_revoked");
}

/* The feed by its token, for a calendar service without a session: a
 * wrong, old or revoked token is a 404 like any unknown page. */
static void token_feed_get(struct req *r)
{
    const char *token = req_path(r, "token");
    if (!token || strlen(token) != AUTH_TOKEN_LEN) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    char hash[AUTH_HEX_LEN + 1];
    auth_keyed_name(r->app->secret, "events feed", token, hash);
    json_t *feed = event_feed_by_hash(req_db(r), hash);
    if (!feed) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    int64_t cid = json_integer_value(json_object_get(feed, "community_id"));
    int64_t member = json_integer_value(json_object_get(feed, "member_id"));
    int secret = json_integer_value(json_object_get(feed, "visibility")) == VIS_SECRET;
    int registered = str_eq(json_string_value(json_object_get(feed, "scope")), "registered");
    const char *slug = arena_strdup(r->arena, json_string_value(json_object_get(feed, "slug")));
    json_decref(feed);
    json_t *rows = event_member_feed_rows(req_db(r), cid, slug, member, registered, secret,
                                          now_s() - FEED_BACK, FEED_MAX);
    if (!rows) {
        render_error(r, 500, "internal", "error.internal");
        return;
    }
    req_add_header(r, "X-Robots-Tag", "noindex");
    send_ics_as(r, rows, "events.ics", secret);
}

const struct route meeting_myfeed_routes[] = {
    {"GET", "/c/{slug}/events/my-feed", CAP_C_MEMBER, 0, NULL, my_feed_get, NULL},
    {"POST", "/c/{slug}/events/my-feed", CAP_C_MEMBER, 0, NULL, my_feed_post, FORM_FEED},
    {"POST", "/c/{slug}/events/my-feed/revoke", CAP_C_MEMBER, 0, NULL, my_feed_revoke, NULL},
    {0},
};

const struct route meeting_token_routes[] = {
    {"GET", "/feeds/events/{token}", CAP_ANY, 0, NULL, token_feed_get, NULL},
    {0},
};

const struct route meeting_feed_routes[] = {
    {"GET", "/c/{slug}/events/feed.ics", CAP_C_READ, 0, NULL, public_feed_get, NULL},
    {"GET", "/c/{slug}/events/{id:int}/event.ics", CAP_C_READ, 0, NULL, event_ics_get, NULL},
    {0},
};
