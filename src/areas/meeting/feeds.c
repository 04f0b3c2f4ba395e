/* The events as iCalendar: one event's .ics and a public community's
 * feed. Neither names who registered: attendance never leaves the
 * community's pages. */
#include "areas/meeting/meeting.h"
#include "core/app.h"
#include "core/render.h"
#include "core/text.h"
#include "core/util.h"

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

static void send_ics(struct req *r, json_t *rows, const char *filename)
{
    char *ics = event_ics(rows, base_of(r), "hramada", 0, NULL);
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

const struct route meeting_feed_routes[] = {
    {"GET", "/c/{slug}/events/feed.ics", CAP_C_READ, 0, NULL, public_feed_get, NULL},
    {"GET", "/c/{slug}/events/{id:int}/event.ics", CAP_C_READ, 0, NULL, event_ics_get, NULL},
    {0},
};
