/* One occurrence of an event changed (its times, its own address) or
 * cancelled with a reason, by organizers: a weekly club that meets
 * elsewhere once, or not at all on a holiday. */
#include "areas/meeting/meeting.h"
#include "core/form.h"
#include "core/render.h"
#include "core/text.h"
#include "core/util.h"

#include <string.h>

static const char *ev_page(struct req *r)
{
    return arena_printf(r->arena, "/c/%s/events/%lld", r->comm->slug,
                        (long long)req_path_int(r, "id"));
}

static const char *occ_action(struct req *r, const char *what)
{
    return arena_printf(r->arena, "%s/occurrences/%lld/%s", ev_page(r),
                        (long long)req_path_int(r, "occ"), what);
}

static json_t *view_of(struct req *r, const char *title_key)
{
    return req_own(r, json_pack("{ss ss ss sb sb ss}", "title", tr(r, title_key), "slug",
                                r->comm->slug, "name", r->comm->name, "is_member",
                                req_has(r, CAP_C_MEMBER), "is_organizer",
                                req_has(r, CAP_C_ORGANIZE), "back", ev_page(r)));
}

/* The occurrence of the path, its event's zone: 0, or answered 404. */
static int load(struct req *r, struct event *x, struct event_occ *o)
{
    if (event_find(req_db(r), r->arena, r->comm->id, req_path_int(r, "id"), x) != 0 ||
        event_occurrence_find(req_db(r), r->arena, r->comm->id, x->id, req_path_int(r, "occ"), o) !=
            0) {
        render_error(r, 404, "not_found", "error.not_found");
        return -1;
    }
    if (x->cancelled || o->cancelled) {
        render_error(r, 409, "conflict", "meeting.error.cancelled");
        return -1;
    }
    return 0;
}

static const struct field FORM_OCC[] = {
    {"start", F_TEXT, 1, 0, 40, NULL, NULL},
    {"end", F_TEXT, 1, 0, 40, NULL, NULL},
    {"place_text", F_TEXT, 0, 0, EVENT_PLACE_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void occ_page(struct req *r, int status, struct form *f, const char *zone)
{
    json_t *v = view_of(r, "meeting.occurrence.edit");
    json_object_set_new(v, "action", json_string(occ_action(r, "edit")));
    json_object_set_new(v, "zone", json_string(zone));
    render_form(r, status, "meeting/occurrence", v, f);
}

static void occ_edit_get(struct req *r)
{
    struct event x;
    struct event_occ o;
    if (load(r, &x, &o) != 0) return;
    char s[20], e[20];
    event_local_format(o.starts_at, x.zone, s);
    event_local_format(o.ends_at, x.zone, e);
    json_t *stored = req_own(r, json_pack("{ss ss ss}", "start", s, "end", e, "place_text",
                                          o.place_text ? o.place_text : ""));
    struct form f;
    form_fill(&f, r, FORM_OCC, stored);
    occ_page(r, 200, &f, x.zone);
}

static void occ_edit_post(struct req *r)
{
    struct event x;
    struct event_occ o;
    if (load(r, &x, &o) != 0) return;
    struct form f;
    form_read(&f, r, FORM_OCC);
    int64_t s = 0, e = 0;
    const char *ss = form_str(&f, "start"), *es = form_str(&f, "end");
    int times = 1;
    if (ss && !json_object_get(f.errors, "start") && event_local_parse(ss, x.zone, &s)) {
        form_error(&f, "start", "meeting.error.time_format");
        times = 0;
    }
    if (es && !json_object_get(f.errors, "end") && event_local_parse(es, x.zone, &e)) {
        form_error(&f, "end", "meeting.error.time_format");
        times = 0;
    }
    if (ss && es && times && !json_object_get(f.errors, "start") &&
        !json_object_get(f.errors, "end")) {
        if (e <= s)
            form_error(&f, "end", "meeting.error.end_before_start");
        else if (e - s > EVENT_DURATION_MAX)
            form_error(&f, "end", "meeting.error.too_long");
    }
    if (!form_ok(&f)) {
        occ_page(r, 422, &f, x.zone);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? event_occurrence_change(w, r->comm->id, x.id, o.id, s, e, form_str(&f, "place_text"))
          : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, ev_page(r), "flash.saved");
}

static const struct field FORM_OCC_REASON[] = {
    {"reason", F_TEXT, 1, 0, EVENT_REASON_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void reason_page(struct req *r, int status, struct form *f)
{
    json_t *v = view_of(r, "meeting.occurrence.cancel");
    json_object_set_new(v, "action", json_string(occ_action(r, "cancel")));
    render_form(r, status, "meeting/reason", v, f);
}

static void occ_cancel_get(struct req *r)
{
    struct event x;
    struct event_occ o;
    if (load(r, &x, &o) != 0) return;
    struct form f;
    form_fill(&f, r, FORM_OCC_REASON, NULL);
    reason_page(r, 200, &f);
}

static void occ_cancel_post(struct req *r)
{
    struct event x;
    struct event_occ o;
    if (load(r, &x, &o) != 0) return;
    struct form f;
    if (!form_read(&f, r, FORM_OCC_REASON)) {
        reason_page(r, 422, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? event_occurrence_cancel(w, r->comm->id, x.id, o.id, form_str(&f, "reason")) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, ev_page(r), "flash.meeting_cancelled");
}

const struct route meeting_occ_routes[] = {
    {"GET", "/c/{slug}/events/{id:int}/occurrences/{occ:int}/edit", CAP_C_ORGANIZE, 0, NULL,
     occ_edit_get, NULL},
    {"POST", "/c/{slug}/events/{id:int}/occurrences/{occ:int}/edit", CAP_C_ORGANIZE, 0, NULL,
     occ_edit_post, FORM_OCC},
    {"GET", "/c/{slug}/events/{id:int}/occurrences/{occ:int}/cancel", CAP_C_ORGANIZE, 0, NULL,
     occ_cancel_get, NULL},
    {"POST", "/c/{slug}/events/{id:int}/occurrences/{occ:int}/cancel", CAP_C_ORGANIZE, 0, NULL,
     occ_cancel_post, FORM_OCC_REASON},
    {0},
};
