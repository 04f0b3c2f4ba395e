/* The events pages: the calendar, making and changing an event, its page,
 * registration and attendance, the community's time zone; the routes and
 * the struct area. */
#include "areas/meeting/meeting.h"
#include "areas/meeting/assembly.h"
#include "areas/meeting/hearing.h"
#include "areas/meeting/minutes.h"
#include "areas/meeting/meeting_data.h"
#include "core/form.h"
#include "core/notify.h"
#include "core/render.h"
#include "core/text.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

static const char *ev_url(struct req *r, const char *suffix)
{
    return arena_printf(r->arena, "/c/%s/events%s", r->comm->slug, suffix);
}

static const char *ev_page_url(struct req *r, int64_t id)
{
    return arena_printf(r->arena, "/c/%s/events/%lld", r->comm->slug, (long long)id);
}

static json_t *base_view(struct req *r, const char *title_key)
{
    return req_own(r,
                   json_pack("{ss ss ss sb sb}", "title", tr(r, title_key), "slug", r->comm->slug,
                             "name", r->comm->name, "is_member", req_has(r, CAP_C_MEMBER),
                             "is_organizer", req_has(r, CAP_C_ORGANIZE)));
}

static const char *s0_or(const char *s)
{
    return s ? s : "";
}

static void not_found(struct req *r)
{
    render_error(r, 404, "not_found", "error.not_found");
}

static void as_bool(json_t *row, const char *key)
{
    json_t *v = json_object_get(row, key);
    if (v) json_object_set_new(row, key, json_boolean(json_integer_value(v) != 0));
}

/* An occurrence row made readable: its kind, its times in its zone, its
 * flags as booleans, what the viewer may do. */
static void decorate(struct req *r, json_t *row, int64_t now)
{
    const char *kind = json_string_value(json_object_get(row, "kind"));
    const char *zone = json_string_value(json_object_get(row, "zone"));
    if (kind)
        json_object_set_new(row, "kind_label",
                            json_string(tr(r, arena_printf(r->arena, "meeting.kind.%s", kind))));
    json_t *s = json_object_get(row, "starts_at"), *e = json_object_get(row, "ends_at");
    if (s && zone) {
        char a[20], b[20];
        event_local_format(json_integer_value(s), zone, a);
        event_local_format(json_integer_value(e), zone, b);
        json_object_set_new(row, "day", json_stringn(a, 10));
        json_object_set_new(row, "start", json_string(a + 11));
        json_object_set_new(row, "start_local", json_string(a));
        json_object_set_new(row, "end",
                            json_string(strncmp(a, b, 10)
                                            ? arena_printf(r->arena, "%.10s %s", b, b + 11)
                                            : b + 11));
        int open = json_integer_value(e) > now;
        int cancelled = json_integer_value(json_object_get(row, "cancelled")) != 0;
        const char *mine = json_string_value(json_object_get(row, "my_state"));
        int member = req_has(r, CAP_C_MEMBER);
        json_object_set_new(row, "can_register",
                            json_boolean(member && open && !cancelled && !mine));
        json_object_set_new(row, "can_unregister", json_boolean(member && mine));
        json_object_set_new(row, "is_registered", json_boolean(str_eq(mine, "registered")));
        json_object_set_new(row, "is_waiting", json_boolean(str_eq(mine, "waiting")));
        int64_t cap = json_integer_value(json_object_get(row, "capacity"));
        json_t *reg = json_object_get(row, "registered");
        if (cap && reg)
            json_object_set_new(row, "full", json_boolean(json_integer_value(reg) >= cap));
    }
    static const char *const flags[] = {"changed", "cancelled", "online", "repeating"};
    for (size_t i = 0; i < HR_ARRAY_LEN(flags); i++)
        as_bool(row, flags[i]);
}

/* ---- the calendar ---- */

static const char *const CAL_PARAMS[] = {"page", "past", NULL};

static const struct vfield CAL_FIELDS[] = {
    {"occurrence_id", CAP_ANY},
    {"id", CAP_ANY},
    {"title", CAP_ANY},
    {"kind", CAP_ANY},
    {"zone", CAP_ANY},
    {"starts_at", CAP_ANY},
    {"ends_at", CAP_ANY},
    {"changed", CAP_ANY},
    {"cancelled", CAP_ANY},
    {"place", CAP_ANY},
    {"place_text", CAP_ANY},
    {"online", CAP_ANY},
    {"capacity", CAP_ANY},
    {"registered", CAP_C_MEMBER},
    {"waiting", CAP_C_MEMBER},
    {"my_state", CAP_C_MEMBER},
    {"reason", CAP_ANY},
    {"repeating", CAP_ANY},
    {NULL, 0},
};

/* The rows grouped by their day: [{day, events: [...]}]. */
static json_t *by_day(struct req *r, json_t *rows)
{
    json_t *days = json_array(), *cur = NULL;
    const char *last = NULL;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *day = json_string_value(json_object_get(row, "day"));
        if (!cur || !str_eq(last, day)) {
            cur = json_array();
            json_array_append_new(days, json_pack("{ss so}", "day", day ? day : "", "events", cur));
            last = day;
        }
        json_array_append(cur, row);
    }
    return req_own(r, days);
}

static void calendar_get(struct req *r)
{
    int past = str_eq(req_param(r, "past"), "1");
    int64_t page = req_page(r), now = now_s();
    struct vmask m = view_mask(r, CAL_FIELDS);
    int member = req_has(r, CAP_C_MEMBER);
    json_t *rows = event_calendar(req_db(r), &m, r->comm->id, r->comm->member_id, member, past, now,
                                  EVENT_PAGE + 1, (page - 1) * EVENT_PAGE);
    int more = render_page_rows(&rows, EVENT_PAGE);
    req_own(r, rows);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        decorate(r, row, now);
    }
    json_t *v = base_view(r, past ? "meeting.past" : "meeting.title");
    json_object_set(v, "days", by_day(r, rows));
    json_object_set_new(v, "past", json_boolean(past));
    json_object_set_new(v, "zone", json_string(event_zone(req_db(r), r->arena, r->comm->id)));
    render_pager(r, v, page, more, ev_url(r, past ? "?past=1&page=" : "?page="), "");
    render_page(r, 200, "meeting/list", v);
}

/* ---- making and changing ---- */

static const struct field FORM_EVENT[] = {
    {"kind", F_CHOICE, 1, 0, 0, event_kinds, "meeting.kind."},
    {"title", F_TEXT, 1, 0, EVENT_TITLE_MAX, NULL, NULL},
    {"description", F_TEXT, 0, 0, EVENT_TEXT_MAX, NULL, NULL},
    {"start", F_TEXT, 1, 0, 40, NULL, NULL},
    {"end", F_TEXT, 1, 0, 40, NULL, NULL},
    {"place", F_REF, 0, 0, 0, NULL, NULL},
    {"place_text", F_TEXT, 0, 0, EVENT_PLACE_MAX, NULL, NULL},
    {"online_url", F_TEXT, 0, 0, EVENT_URL_MAX, NULL, NULL},
    {"capacity", F_INT, 0, 1, EVENT_CAPACITY_MAX, NULL, NULL},
    {"audience", F_CHOICE, 1, 0, 0, event_audiences, "meeting.audience."},
    {"repeat", F_CHOICE, 0, 0, 0, event_repeats, "meeting.repeat."},
    {"every", F_INT, 0, 1, EVENT_EVERY_MAX, NULL, NULL},
    {"until", F_DATE, 0, 0, 0, NULL, NULL},
    {"count", F_INT, 0, 1, EVENT_OCCURRENCES_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static int offered(json_t *rows, int64_t id)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (json_integer_value(json_object_get(row, "id")) == id) return 1;
    }
    return 0;
}

static json_t *places_of(struct req *r)
{
    json_t *p = event_places(req_db(r), r->comm->id);
    return req_own(r, p ? p : json_array());
}

static void form_page(struct req *r, int status, struct form *f, const char *title_key,
                      const char *action, json_t *places)
{
    json_t *v = base_view(r, title_key);
    json_object_set_new(v, "action", json_string(action));
    json_object_set_new(v, "has_places", json_boolean(json_array_size(places) > 0));
    json_object_set_new(v, "zone", json_string(event_zone(req_db(r), r->arena, r->comm->id)));
    json_object_set_new(v, "public", json_boolean(r->comm->visibility == VIS_PUBLIC));
    form_options(f, "place", places, "id", "name", "meeting.place.none");
    render_form(r, status, "meeting/form", v, f);
}

/* 1 when s is an http or https address without spaces or controls. */
static int web_link(const char *s)
{
    if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0) return 0;
    const char *host = s + (s[4] == 's' ? 8 : 7);
    if (!*host || *host == '/') return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == 0x7f) return 0;
    return 1;
}

/* The repetition of the form: none, or a rule with one end (a day or a
 * count) that makes at most EVENT_OCCURRENCES_MAX occurrences. */
static void read_rule(struct form *f, struct event_new *n)
{
    const char *rep = form_str(f, "repeat");
    if (!rep || !rep[0] || str_eq(rep, "none") || json_object_get(f->errors, "repeat")) return;
    n->rule.freq = rep;
    n->rule.every = (int)form_num(f, "every", 1);
    n->rule.count = (int)form_num(f, "count", 0);
    n->rule.until_day = form_str(f, "until");
    if (json_object_get(f->errors, "every") || json_object_get(f->errors, "count") ||
        json_object_get(f->errors, "until"))
        return;
    int has_until = n->rule.until_day && n->rule.until_day[0];
    if (has_until == (n->rule.count > 0)) {
        form_error(f, "until", "meeting.error.repeat_end");
        return;
    }
    if (json_object_get(f->errors, "start") || json_object_get(f->errors, "end")) return;
    char day[20];
    event_local_format(n->starts_at, n->zone, day);
    if (has_until && strncmp(n->rule.until_day, day, 10) < 0) {
        form_error(f, "until", "meeting.error.until_before_start");
        return;
    }
    int64_t *starts = malloc(sizeof *starts * EVENT_OCCURRENCES_MAX);
    int k =
        starts ? event_expand(&n->rule, n->zone, n->starts_at, starts, EVENT_OCCURRENCES_MAX) : -1;
    free(starts);
    if (k <= 0) form_error(f, has_until ? "until" : "count", "meeting.error.too_many");
}

/* Reads the form into n: 1 when valid, else 0 with a message beside each
 * field that is wrong. */
static int read_event(struct req *r, struct form *f, struct event_new *n, json_t *places)
{
    form_read(f, r, FORM_EVENT);
    memset(n, 0, sizeof *n);
    n->kind = form_str(f, "kind");
    n->title = form_str(f, "title");
    n->description = form_str(f, "description");
    n->place_text = form_str(f, "place_text");
    n->online_url = form_str(f, "online_url");
    n->audience = form_str(f, "audience");
    n->territory_id = form_num(f, "place", 0);
    n->capacity = form_num(f, "capacity", 0);
    n->zone = event_zone(req_db(r), r->arena, r->comm->id);
    const char *s = form_str(f, "start"), *e = form_str(f, "end");
    int times = 1;
    if (s && !json_object_get(f->errors, "start") && event_local_parse(s, n->zone, &n->starts_at)) {
        form_error(f, "start", "meeting.error.time_format");
        times = 0;
    }
    if (e && !json_object_get(f->errors, "end") && event_local_parse(e, n->zone, &n->ends_at)) {
        form_error(f, "end", "meeting.error.time_format");
        times = 0;
    }
    if (s && e && times && !json_object_get(f->errors, "start") &&
        !json_object_get(f->errors, "end")) {
        if (n->ends_at <= n->starts_at)
            form_error(f, "end", "meeting.error.end_before_start");
        else if (n->ends_at - n->starts_at > EVENT_DURATION_MAX)
            form_error(f, "end", "meeting.error.too_long");
    }
    if (n->territory_id && !json_object_get(f->errors, "place") &&
        !offered(places, n->territory_id))
        form_error(f, "place", "error.bad_choice");
    if (n->online_url && !json_object_get(f->errors, "online_url") && !web_link(n->online_url))
        form_error(f, "online_url", "meeting.error.link");
    if (str_eq(n->audience, "everyone") && r->comm->visibility != VIS_PUBLIC)
        form_error(f, "audience", "meeting.error.audience");
    read_rule(f, n);
    return form_ok(f);
}

static void new_get(struct req *r)
{
    struct form f;
    json_t *stored = req_own(
        r, json_pack("{ss ss ss}", "kind", "leisure", "audience", "members", "repeat", "none"));
    form_fill(&f, r, FORM_EVENT, stored);
    form_page(r, 200, &f, "meeting.new", ev_url(r, ""), places_of(r));
}

static void create_post(struct req *r)
{
    struct form f;
    struct event_new n;
    json_t *places = places_of(r);
    if (!read_event(r, &f, &n, places)) {
        form_page(r, 422, &f, "meeting.new", ev_url(r, ""), places);
        return;
    }
    struct dbc *w = req_write_begin(r);
    int64_t id = 0;
    enum wr rc = w ? event_create(w, r->comm->id, r->comm->member_id, &n, &id) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, ev_page_url(r, id), "flash.meeting_created");
}

static void edit_get(struct req *r)
{
    struct event x;
    if (event_find(req_db(r), r->arena, r->comm->id, req_path_int(r, "id"), &x) != 0) {
        not_found(r);
        return;
    }
    if (x.cancelled) {
        render_error(r, 409, "conflict", "meeting.error.cancelled");
        return;
    }
    char s[20], e[20];
    event_local_format(x.starts_at, x.zone, s);
    event_local_format(x.ends_at, x.zone, e);
    json_t *stored =
        req_own(r, json_pack("{ss ss ss ss ss sI ss ss sI ss}", "kind", x.kind, "title",
                             s0_or(x.title), "description", s0_or(x.description), "start", s, "end",
                             e, "place", (json_int_t)x.territory_id, "place_text",
                             s0_or(x.place_text), "online_url", s0_or(x.online_url), "capacity",
                             (json_int_t)x.capacity, "audience", x.audience));
    if (!x.territory_id) json_object_del(stored, "place");
    if (!x.capacity) json_object_del(stored, "capacity");
    json_object_set_new(stored, "repeat", json_string(x.freq ? x.freq : "none"));
    if (x.freq) {
        json_object_set_new(stored, "every", json_integer(x.every));
        if (x.count) json_object_set_new(stored, "count", json_integer(x.count));
        if (x.until_day && x.until_day[0])
            json_object_set_new(stored, "until", json_string(x.until_day));
    }
    struct form f;
    form_fill(&f, r, FORM_EVENT, stored);
    form_page(r, 200, &f, "meeting.edit", arena_printf(r->arena, "%s/edit", ev_page_url(r, x.id)),
              places_of(r));
}

static void edit_post(struct req *r)
{
    int64_t id = req_path_int(r, "id");
    struct form f;
    struct event_new n;
    json_t *places = places_of(r);
    int ok = read_event(r, &f, &n, places);
    /* a capacity below those registered is said beside the field; the
     * UPDATE asks again on the writer */
    int64_t taken = event_registered_max(req_db(r), id);
    if (n.capacity && !json_object_get(f.errors, "capacity") && n.capacity < taken) {
        form_error(&f, "capacity", "meeting.error.capacity_below");
        ok = 0;
    }
    if (!ok) {
        form_page(r, 422, &f, "meeting.edit", arena_printf(r->arena, "%s/edit", ev_page_url(r, id)),
                  places);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? event_update(w, r->comm->id, id, &n) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, ev_page_url(r, id), "flash.saved");
}

static const struct field FORM_REASON[] = {
    {"reason", F_TEXT, 1, 0, EVENT_REASON_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void cancel_page(struct req *r, int status, struct form *f, int64_t id)
{
    json_t *v = base_view(r, "meeting.cancel");
    json_object_set_new(v, "action",
                        json_string(arena_printf(r->arena, "%s/cancel", ev_page_url(r, id))));
    json_object_set_new(v, "back", json_string(ev_page_url(r, id)));
    render_form(r, status, "meeting/reason", v, f);
}

static void cancel_get(struct req *r)
{
    struct event x;
    if (event_find(req_db(r), r->arena, r->comm->id, req_path_int(r, "id"), &x) != 0) {
        not_found(r);
        return;
    }
    struct form f;
    form_fill(&f, r, FORM_REASON, NULL);
    cancel_page(r, 200, &f, x.id);
}

static void cancel_post(struct req *r)
{
    int64_t id = req_path_int(r, "id");
    struct form f;
    if (!form_read(&f, r, FORM_REASON)) {
        cancel_page(r, 422, &f, id);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? event_cancel(w, r->comm->id, id, form_str(&f, "reason")) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, ev_page_url(r, id), "flash.meeting_cancelled");
}

/* ---- the event's page ---- */

static const struct vfield VIEW_FIELDS[] = {
    {"id", CAP_ANY},
    {"title", CAP_ANY},
    {"kind", CAP_ANY},
    {"description", CAP_ANY},
    {"zone", CAP_ANY},
    {"place", CAP_ANY},
    {"place_text", CAP_ANY},
    {"online_url", CAP_ANY},
    {"capacity", CAP_ANY},
    {"audience", CAP_ANY},
    {"cancelled_reason", CAP_ANY},
    {"cancelled", CAP_ANY},
    {NULL, 0},
};

static void page_get(struct req *r)
{
    int64_t id = req_path_int(r, "id"), now = now_s();
    int member = req_has(r, CAP_C_MEMBER);
    struct vmask m = view_mask(r, VIEW_FIELDS);
    json_t *ev = req_own(r, event_view(req_db(r), &m, r->comm->id, id, r->comm->member_id, member));
    if (!json_is_object(ev)) {
        not_found(r);
        return;
    }
    decorate(r, ev, now);
    struct vmask om = view_mask(r, CAL_FIELDS);
    json_t *occ =
        req_own(r, event_occurrences(req_db(r), &om, r->comm->id, id, r->comm->member_id, 100));
    size_t i;
    json_t *row;
    json_array_foreach(occ, i, row)
    {
        decorate(r, row, now);
    }
    json_t *v = base_view(r, "meeting.title");
    const char *title = json_string_value(json_object_get(ev, "title"));
    json_object_set_new(v, "title", json_string(title ? title : tr(r, "meeting.title")));
    json_object_set(v, "event", ev);
    json_object_set(v, "occurrences", occ ? occ : req_own(r, json_array()));
    json_object_set_new(v, "can_change",
                        json_boolean(req_has(r, CAP_C_ORGANIZE) &&
                                     !json_is_true(json_object_get(ev, "cancelled"))));
    render_page(r, 200, "meeting/page", v);
}

/* ---- registration and attendance ---- */

/* The occurrence of the path, if it belongs to the event of the path and
 * the viewer may see that event: 1, else 0 (answered 404). */
static int occurrence_of(struct req *r, int64_t *occ)
{
    int64_t id = req_path_int(r, "id");
    *occ = req_path_int(r, "occ");
    struct vmask om = view_mask(r, CAL_FIELDS);
    json_t *rows = req_own(r, event_occurrences(req_db(r), &om, r->comm->id, id, 0, 100000));
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (json_integer_value(json_object_get(row, "occurrence_id")) == *occ) return 1;
    }
    not_found(r);
    return 0;
}

static void register_post(struct req *r)
{
    int64_t occ;
    if (!occurrence_of(r, &occ)) return;
    struct dbc *w = req_write_begin(r);
    const char *state = NULL;
    enum wr rc = w ? event_register(w, r->comm->id, occ, r->comm->member_id, &state) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, ev_page_url(r, req_path_int(r, "id")),
                        str_eq(state, "waiting") ? "flash.meeting_waiting"
                                                 : "flash.meeting_registered");
}

static void unregister_post(struct req *r)
{
    int64_t occ;
    if (!occurrence_of(r, &occ)) return;
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? event_unregister(w, r->comm->id, occ, r->comm->member_id) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, ev_page_url(r, req_path_int(r, "id")), "flash.meeting_unregistered");
}

static const char *const ATTEND_PARAMS[] = {"present", NULL};

static void attendance_get(struct req *r)
{
    int64_t occ;
    if (!occurrence_of(r, &occ)) return;
    json_t *people = req_own(r, event_registrations(req_db(r), r->comm->id, occ));
    size_t i;
    json_t *row;
    json_array_foreach(people, i, row)
    {
        as_bool(row, "attended");
        json_object_set_new(
            row, "waiting",
            json_boolean(str_eq(json_string_value(json_object_get(row, "state")), "waiting")));
    }
    json_t *v = base_view(r, "meeting.attendance");
    json_object_set(v, "people", people ? people : req_own(r, json_array()));
    json_object_set_new(
        v, "action",
        json_string(arena_printf(r->arena, "%s/occurrences/%lld/attendance",
                                 ev_page_url(r, req_path_int(r, "id")), (long long)occ)));
    json_object_set_new(v, "back", json_string(ev_page_url(r, req_path_int(r, "id"))));
    render_page(r, 200, "meeting/attendance", v);
}

static void attendance_post(struct req *r)
{
    int64_t occ;
    if (!occurrence_of(r, &occ)) return;
    const char *vals[2000];
    int n = req_param_all(r, "present", vals, 2000);
    json_t *ids = json_array();
    for (int i = 0; i < n; i++) {
        char *end = NULL;
        long long x = strtoll(vals[i], &end, 10);
        if (end && !*end && x > 0) json_array_append_new(ids, json_integer(x));
    }
    char *present = json_dumps(ids, JSON_COMPACT);
    json_decref(ids);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? event_attendance(w, r->comm->id, occ, present ? present : "[]") : WR_BUSY;
    free(present);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, ev_page_url(r, req_path_int(r, "id")), "flash.saved");
}

/* ---- the time zone ---- */

static const struct field FORM_ZONE[] = {
    {"zone", F_TEXT, 1, 0, 64, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void zone_page(struct req *r, int status, struct form *f)
{
    json_t *v = base_view(r, "meeting.settings");
    render_form(r, status, "meeting/settings", v, f);
}

static void settings_get(struct req *r)
{
    struct form f;
    json_t *stored =
        req_own(r, json_pack("{ss}", "zone", event_zone(req_db(r), r->arena, r->comm->id)));
    form_fill(&f, r, FORM_ZONE, stored);
    zone_page(r, 200, &f);
}

static void settings_post(struct req *r)
{
    struct form f;
    int ok = form_read(&f, r, FORM_ZONE);
    const char *zone = form_str(&f, "zone");
    if (ok && !event_zone_valid(zone)) {
        form_error(&f, "zone", "meeting.error.zone");
        ok = 0;
    }
    if (!ok) {
        zone_page(r, 422, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? event_zone_set(w, r->comm->id, zone) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, ev_url(r, ""), "flash.saved");
}

/* ---- the dashboard's panel ---- */

static int panel_fill(struct req *r, json_t *panel)
{
    if (!req_has(r, CAP_C_READ)) return 0;
    struct vmask m = view_mask(r, CAL_FIELDS);
    int64_t now = now_s();
    json_t *rows = req_own(r, event_calendar(req_db(r), &m, r->comm->id, r->comm->member_id,
                                             req_has(r, CAP_C_MEMBER), 0, now, 3, 0));
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        decorate(r, row, now);
    }
    json_object_set_new(panel, "slug", json_string(r->comm->slug));
    json_object_set(panel, "next", rows ? rows : req_own(r, json_array()));
    return 1;
}

/* ---- routes ---- */

static const struct route meeting_routes[] = {
    {"GET", "/c/{slug}/events", CAP_C_READ, 0, CAL_PARAMS, calendar_get, NULL},
    {"POST", "/c/{slug}/events", CAP_C_ORGANIZE, 0, NULL, create_post, FORM_EVENT},
    {"GET", "/c/{slug}/events/new", CAP_C_ORGANIZE, 0, NULL, new_get, NULL},
    {"GET", "/c/{slug}/events/settings", CAP_C_ORGANIZE, 0, NULL, settings_get, NULL},
    {"POST", "/c/{slug}/events/settings", CAP_C_ORGANIZE, 0, NULL, settings_post, FORM_ZONE},
    {"GET", "/c/{slug}/events/{id:int}", CAP_C_READ, 0, NULL, page_get, NULL},
    {"GET", "/c/{slug}/events/{id:int}/edit", CAP_C_ORGANIZE, 0, NULL, edit_get, NULL},
    {"POST", "/c/{slug}/events/{id:int}/edit", CAP_C_ORGANIZE, 0, NULL, edit_post, FORM_EVENT},
    {"GET", "/c/{slug}/events/{id:int}/cancel", CAP_C_ORGANIZE, 0, NULL, cancel_get, NULL},
    {"POST", "/c/{slug}/events/{id:int}/cancel", CAP_C_ORGANIZE, 0, NULL, cancel_post, FORM_REASON},
    {"POST", "/c/{slug}/events/{id:int}/occurrences/{occ:int}/register", CAP_C_MEMBER, 0, NULL,
     register_post, NULL},
    {"POST", "/c/{slug}/events/{id:int}/occurrences/{occ:int}/unregister", CAP_C_MEMBER, 0, NULL,
     unregister_post, NULL},
    {"GET", "/c/{slug}/events/{id:int}/occurrences/{occ:int}/attendance", CAP_C_ORGANIZE, 0, NULL,
     attendance_get, NULL},
    {"POST", "/c/{slug}/events/{id:int}/occurrences/{occ:int}/attendance", CAP_C_ORGANIZE, 0,
     ATTEND_PARAMS, attendance_post, NULL},
    {0},
};

static const struct route_table meeting_tables[] = {
    {SCOPE_COMMUNITY, meeting_routes},
    {SCOPE_COMMUNITY, meeting_occ_routes},
    {SCOPE_COMMUNITY, meeting_feed_routes},
    {SCOPE_COMMUNITY, meeting_myfeed_routes},
    {SCOPE_COMMUNITY, meeting_poll_routes},
    {SCOPE_COMMUNITY, meeting_asm_routes},
    {SCOPE_COMMUNITY, meeting_decision_routes},
    {SCOPE_COMMUNITY, meeting_minutes_routes}, /* pages_minutes.c */
    {SCOPE_COMMUNITY, meeting_hearing_routes}, /* pages_hearing.c */
    {SCOPE_COMMUNITY, meeting_hearing_link_routes},
    {SCOPE_COMMUNITY, meeting_hearing_final_routes}, /* pages_hearing_final.c */
    {SCOPE_INSTANCE, meeting_token_routes},
    {0},
};

/* The notices events write (core/notify.h): an occurrence one was
 * registered for is gone from the series, or cancelled. */
static const struct notify_kind meeting_notify_kinds[] = {
    {MEETING_NOTIFY_REMOVED, "notify.meeting_occurrence_removed", NOTIFY_INBOX, "/events/{id}"},
    {MEETING_NOTIFY_CANCELLED, "notify.meeting_occurrence_cancelled", NOTIFY_INBOX, "/events/{id}"},
    {MEETING_NOTIFY_CHANGED, "meeting.notify.changed", NOTIFY_INBOX, "/events/{id}"},
    {MEETING_NOTIFY_EVENT_CANCELLED, "meeting.notify.cancelled", NOTIFY_INBOX, "/events/{id}"},
    {MEETING_NOTIFY_POLL, "meeting.notify.poll_opened", NOTIFY_INBOX, "/events/polls/{id}"},
    {"meeting.tomorrow", "notify.meeting_tomorrow", NOTIFY_INBOX, "/events/{id}"},
    {0},
};

const struct area meeting_area = {
    .name = "meeting",
    .routes = meeting_tables,
    .panel_fill = panel_fill,
    .panel_tmpl = "meeting/panel",
    .panel_title = "meeting.title",
    .nav_path = "/events",
    .nav_label = "meeting.title",
    .member_left = meeting_member_left,
    .seal_texts = meeting_seal_texts,
    .person_export = meeting_person_export,
    .notify_kinds = meeting_notify_kinds,
    .demo = demo_meeting,
    .bench = benchdata_meeting,
};
