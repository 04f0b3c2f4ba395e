/* Date polls: an organizer proposes times, members say which suit them
 * (yes / if need be / no) in a table of answers, and closing the poll at
 * the chosen time makes the event (as Loomio's time polls and Doodle do).
 * Members only: who can come when is the community's own business. */
#include "areas/meeting/meeting.h"
#include "core/form.h"
#include "core/render.h"
#include "core/text.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

const char *const poll_answer_values[] = {"yes", "maybe", "no", NULL};

static const char *polls_url(struct req *r, int64_t id)
{
    if (!id) return arena_printf(r->arena, "/c/%s/events/polls", r->comm->slug);
    return arena_printf(r->arena, "/c/%s/events/polls/%lld", r->comm->slug, (long long)id);
}

static json_t *base(struct req *r, const char *title_key)
{
    return req_own(r,
                   json_pack("{ss ss ss sb sb}", "title", tr(r, title_key), "slug", r->comm->slug,
                             "name", r->comm->name, "is_member", req_has(r, CAP_C_MEMBER),
                             "is_organizer", req_has(r, CAP_C_ORGANIZE)));
}

static void as_bool(json_t *row, const char *key)
{
    json_t *v = json_object_get(row, key);
    if (v) json_object_set_new(row, key, json_boolean(json_integer_value(v) != 0));
}

/* ---- the list ---- */

static const struct vfield LIST_FIELDS[] = {
    {"id", CAP_C_MEMBER},       {"title", CAP_C_MEMBER},
    {"kind", CAP_C_MEMBER},     {"closed", CAP_C_MEMBER},
    {"event_id", CAP_C_MEMBER}, {"options", CAP_C_MEMBER},
    {"answered", CAP_C_MEMBER}, {NULL, 0},
};

static void list_get(struct req *r)
{
    struct vmask m = view_mask(r, LIST_FIELDS);
    json_t *rows = req_own(r, poll_list(req_db(r), &m, r->comm->id, 100));
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        as_bool(row, "closed");
    }
    json_t *v = base(r, "meeting.poll.title");
    json_object_set(v, "polls", rows ? rows : req_own(r, json_array()));
    render_page(r, 200, "meeting/polls", v);
}

/* ---- making one ---- */

static const struct field FORM_POLL[] = {
    {"kind", F_CHOICE, 1, 0, 0, event_kinds, "meeting.kind."},
    {"title", F_TEXT, 1, 0, EVENT_TITLE_MAX, NULL, NULL},
    {"description", F_TEXT, 0, 0, EVENT_TEXT_MAX, NULL, NULL},
    {"minutes", F_INT, 1, 15, 1440, NULL, NULL},
    {"times", F_TEXT, 1, 0, POLL_TIMES_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void poll_form(struct req *r, int status, struct form *f)
{
    json_t *v = base(r, "meeting.poll.new");
    json_object_set_new(v, "action", json_string(polls_url(r, 0)));
    json_object_set_new(v, "zone", json_string(event_zone(req_db(r), r->arena, r->comm->id)));
    render_form(r, status, "meeting/pollform", v, f);
}

static void new_get(struct req *r)
{
    struct form f;
    json_t *stored = req_own(r, json_pack("{ss si}", "kind", "club", "minutes", 90));
    form_fill(&f, r, FORM_POLL, stored);
    poll_form(r, 200, &f);
}

/* The times, one a line, into p: 1, or 0 with the reason beside "times". */
static int read_times(struct form *f, const char *text, int64_t now, struct poll_new *p)
{
    p->n = 0;
    const char *s = text;
    while (s && *s) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        while (len && (s[len - 1] == '\r' || s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        while (len && (*s == ' ' || *s == '\t')) {
            s++;
            len--;
        }
        if (len) {
            int64_t t = 0;
            char line[64];
            if (len >= sizeof line) {
                form_error(f, "times", "meeting.error.time_format");
                return 0;
            }
            memcpy(line, s, len);
            line[len] = 0;
            if (event_local_parse(line, p->zone, &t) != 0) {
                form_error(f, "times", "meeting.error.time_format");
                return 0;
            }
            if (t <= now) {
                form_error(f, "times", "meeting.error.poll_past");
                return 0;
            }
            for (int i = 0; i < p->n; i++)
                if (p->starts[i] == t) {
                    form_error(f, "times", "meeting.error.poll_twice");
                    return 0;
                }
            if (p->n >= POLL_OPTIONS_MAX) {
                form_error(f, "times", "meeting.error.poll_count");
                return 0;
            }
            p->starts[p->n++] = t;
        }
        s = e ? e + 1 : NULL;
    }
    if (p->n < POLL_OPTIONS_MIN) {
        form_error(f, "times", "meeting.error.poll_count");
        return 0;
    }
    return 1;
}

static void create_post(struct req *r)
{
    struct form f;
    struct poll_new p;
    memset(&p, 0, sizeof p);
    form_read(&f, r, FORM_POLL);
    p.kind = form_str(&f, "kind");
    p.title = form_str(&f, "title");
    p.description = form_str(&f, "description");
    p.minutes = form_num(&f, "minutes", 60);
    p.zone = event_zone(req_db(r), r->arena, r->comm->id);
    const char *times = form_str(&f, "times");
    if (times && !json_object_get(f.errors, "times")) read_times(&f, times, now_s(), &p);
    if (!form_ok(&f)) {
        poll_form(r, 422, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    int64_t id = 0;
    enum wr rc = w ? poll_create(w, r->comm->id, r->comm->member_id, &p, &id) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, polls_url(r, id), "flash.saved");
}

/* ---- its page: the table, one's answers, closing ---- */

static const struct vfield POLL_FIELDS[] = {
    {"id", CAP_C_MEMBER},          {"title", CAP_C_MEMBER},    {"kind", CAP_C_MEMBER},
    {"description", CAP_C_MEMBER}, {"zone", CAP_C_MEMBER},     {"minutes", CAP_C_MEMBER},
    {"closed", CAP_C_MEMBER},      {"event_id", CAP_C_MEMBER}, {NULL, 0},
};
static const struct vfield OPTION_FIELDS[] = {
    {"id", CAP_C_MEMBER},
    {"starts_at", CAP_C_MEMBER},
    {"yes", CAP_C_MEMBER},
    {"maybe", CAP_C_MEMBER},
    {"no", CAP_C_MEMBER},
    {"mine", CAP_C_MEMBER},
    {NULL, 0},
};

static const struct field FORM_CLOSE[] = {
    {"option", F_REF, 1, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void poll_page(struct req *r, int status, struct form *close_form)
{
    int64_t id = req_path_int(r, "id");
    struct vmask m = view_mask(r, POLL_FIELDS);
    json_t *poll = req_own(r, poll_view(req_db(r), &m, r->comm->id, id));
    if (!json_is_object(poll)) {
        if (close_form) form_release(close_form);
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    as_bool(poll, "closed");
    const char *zone = json_string_value(json_object_get(poll, "zone"));
    struct vmask om = view_mask(r, OPTION_FIELDS);
    json_t *opts = req_own(r, poll_options(req_db(r), &om, id, r->comm->member_id));
    if (!opts) opts = req_own(r, json_array());
    /* the best first: most yes, then most "if need be" */
    int64_t best = -1, best_id = 0;
    size_t i;
    json_t *o;
    json_array_foreach(opts, i, o)
    {
        char at[20];
        event_local_format(json_integer_value(json_object_get(o, "starts_at")), zone ? zone : "",
                           at);
        json_object_set_new(o, "day", json_stringn(at, 10));
        json_object_set_new(o, "start", json_string(at + 11));
        const char *mine = json_string_value(json_object_get(o, "mine"));
        for (int k = 0; poll_answer_values[k]; k++)
            json_object_set_new(o, arena_printf(r->arena, "mine_%s", poll_answer_values[k]),
                                json_boolean(str_eq(mine, poll_answer_values[k])));
        int64_t score = json_integer_value(json_object_get(o, "yes")) * 2 +
                        json_integer_value(json_object_get(o, "maybe"));
        if (score > best) {
            best = score;
            best_id = json_integer_value(json_object_get(o, "id"));
        }
    }
    json_array_foreach(opts, i, o)
    {
        json_object_set_new(o, "best",
                            json_boolean(json_integer_value(json_object_get(o, "id")) == best_id));
    }
    /* the table: one row a member, a cell an option */
    json_t *answers = req_own(r, poll_answers(req_db(r), r->comm->id, id));
    json_t *people = req_own(r, json_array());
    json_t *cur = NULL;
    int64_t last = 0;
    json_t *a;
    json_array_foreach(answers, i, a)
    {
        int64_t mid = json_integer_value(json_object_get(a, "member_id"));
        if (!cur || mid != last) {
            cur = json_pack("{ss so}", "name", json_string_value(json_object_get(a, "name")), "by",
                            json_object());
            json_array_append_new(people, cur);
            last = mid;
        }
        char key[24];
        snprintf(key, sizeof key, "%lld",
                 (long long)json_integer_value(json_object_get(a, "option_id")));
        json_object_set(json_object_get(cur, "by"), key, json_object_get(a, "answer"));
    }
    json_t *person;
    json_array_foreach(people, i, person)
    {
        json_t *cells = json_array(), *by = json_object_get(person, "by");
        size_t j;
        json_array_foreach(opts, j, o)
        {
            char key[24];
            snprintf(key, sizeof key, "%lld",
                     (long long)json_integer_value(json_object_get(o, "id")));
            const char *ans = json_string_value(json_object_get(by, key));
            json_array_append_new(
                cells,
                json_pack("{ss ss}", "answer", ans ? ans : "", "label",
                          ans ? tr(r, arena_printf(r->arena, "meeting.poll.%s", ans)) : "—"));
        }
        json_object_del(person, "by");
        json_object_set_new(person, "cells", cells);
    }
    json_t *v = base(r, "meeting.poll.title");
    const char *title = json_string_value(json_object_get(poll, "title"));
    if (title) json_object_set_new(v, "title", json_string(title));
    json_object_set(v, "poll", poll);
    json_object_set(v, "times", opts);
    json_object_set(v, "people", people);
    json_object_set_new(v, "action", json_string(polls_url(r, id)));
    int open = !json_is_true(json_object_get(poll, "closed"));
    json_object_set_new(v, "open", json_boolean(open));
    json_object_set_new(v, "can_close", json_boolean(open && req_has(r, CAP_C_ORGANIZE)));
    struct form f;
    if (!close_form) {
        form_fill(&f, r, FORM_CLOSE, NULL);
        close_form = &f;
    }
    render_form(r, status, "meeting/poll", v, close_form);
}

static void page_get(struct req *r)
{
    poll_page(r, 200, NULL);
}

static const char *const ANSWER_PARAMS[] = {"answer", NULL};

/* An answer refused: the poll's page again with the message beside the
 * answers (their values are the page's own, so there is nothing of the
 * person's to keep but the choice the page shows again). */
static void answer_refused(struct req *r)
{
    struct form f;
    form_init(&f, r);
    form_error(&f, "answer", "meeting.error.poll_option");
    poll_page(r, 422, &f);
}

/* answer=<option>:<yes|maybe|no>, one for each time shown */
static void answer_post(struct req *r)
{
    int64_t id = req_path_int(r, "id");
    const char *vals[POLL_OPTIONS_MAX + 1];
    int n = req_param_all(r, "answer", vals, POLL_OPTIONS_MAX + 1);
    if (n < 1 || n > POLL_OPTIONS_MAX) {
        answer_refused(r);
        return;
    }
    int64_t opts[POLL_OPTIONS_MAX];
    const char *ans[POLL_OPTIONS_MAX];
    for (int i = 0; i < n; i++) {
        char *end = NULL;
        long long o = strtoll(vals[i], &end, 10);
        ans[i] = NULL;
        if (end && *end == ':' && o > 0)
            for (int k = 0; poll_answer_values[k]; k++)
                if (!strcmp(end + 1, poll_answer_values[k])) ans[i] = poll_answer_values[k];
        if (!ans[i]) {
            answer_refused(r);
            return;
        }
        opts[i] = o;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? poll_answer(w, r->comm->id, id, r->comm->member_id, opts, ans, n) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, polls_url(r, id), "flash.saved");
}

static void close_post(struct req *r)
{
    int64_t id = req_path_int(r, "id");
    struct form f;
    if (!form_read(&f, r, FORM_CLOSE)) {
        poll_page(r, 422, &f);
        return;
    }
    int64_t option = form_num(&f, "option", 0), eid = 0;
    struct vmask om = view_mask(r, OPTION_FIELDS);
    json_t *opts = req_own(r, poll_options(req_db(r), &om, id, 0));
    int known = 0;
    size_t i;
    json_t *o;
    json_array_foreach(opts, i, o)
    {
        if (json_integer_value(json_object_get(o, "id")) == option) known = 1;
    }
    if (!known) {
        form_error(&f, "option", "error.bad_choice");
        poll_page(r, 422, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? poll_close(w, r->arena, r->comm->id, id, option, r->comm->member_id, &eid) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r,
                        arena_printf(r->arena, "/c/%s/events/%lld", r->comm->slug, (long long)eid),
                        "flash.meeting_poll_closed");
}

const struct route meeting_poll_routes[] = {
    {"GET", "/c/{slug}/events/polls", CAP_C_MEMBER, 0, NULL, list_get, NULL},
    {"POST", "/c/{slug}/events/polls", CAP_C_ORGANIZE, 0, NULL, create_post, FORM_POLL},
    {"GET", "/c/{slug}/events/polls/new", CAP_C_ORGANIZE, 0, NULL, new_get, NULL},
    {"GET", "/c/{slug}/events/polls/{id:int}", CAP_C_MEMBER, 0, NULL, page_get, NULL},
    {"POST", "/c/{slug}/events/polls/{id:int}/answer", CAP_C_MEMBER, 0, ANSWER_PARAMS, answer_post,
     NULL},
    {"POST", "/c/{slug}/events/polls/{id:int}/close", CAP_C_ORGANIZE, 0, NULL, close_post,
     FORM_CLOSE},
    {0},
};
