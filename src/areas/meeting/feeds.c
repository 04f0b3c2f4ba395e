/* The events as iCalendar: one event's .ics and a public community's
 * feed. Neither names who registered: attendance never leaves the
 * community's pages. */
#include "areas/meeting/meeting.h"
#include "core/app.h"
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

static void send_ics(struct req *r, json_t *rows, const char *filename)
{
    with_series(req_db(r), rows, 0);
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
