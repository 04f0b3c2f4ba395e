/* Minutes' pages: /c/{slug}/events/{id}/assembly/minutes shows the
 * minutes (members see the draft, and who runs the meeting drafts it from
 * the data); the secretary edits the Markdown; the chair approves it once
 * the meeting is closed, and it is frozen. A printable page and a
 * Markdown download. Members see the minutes of closed and secret
 * communities; in a public community, approved minutes of an event for
 * everyone are readable by anyone who may see the event. */
#include "areas/meeting/assembly.h"
#include "areas/meeting/meeting.h"
#include "areas/meeting/minutes.h"
#include "core/app.h"
#include "core/form.h"
#include "core/render.h"
#include "core/tmpl.h"
#include "core/text.h"
#include "core/util.h"

#include <string.h>

struct seen {
    struct asm_info a;
    struct event ev;
    struct minutes_info m;
    int has; /* minutes exist and the viewer may read them */
};

static const char *m_url(struct req *r, int64_t event_id, const char *suffix)
{
    return arena_printf(r->arena, "/c/%s/events/%lld/assembly/minutes%s", r->comm->slug,
                        (long long)event_id, suffix ? suffix : "");
}

/* The assembly and its minutes as this viewer may see them: 1, or 0
 * after a 404 (nothing of a meeting a viewer may not see, not even
 * whether it has minutes). */
static int load(struct req *r, struct seen *s)
{
    int64_t eid = req_path_int(r, "id");
    memset(s, 0, sizeof *s);
    if (asm_find(req_db(r), r->arena, r->comm->id, eid, &s->a) != 0 ||
        event_find(req_db(r), r->arena, r->comm->id, eid, &s->ev) != 0) {
        render_error(r, 404, "not_found", "error.not_found");
        return 0;
    }
    s->has = minutes_find(req_db(r), r->arena, r->comm->id, s->a.id, &s->m) == 0;
    if (req_has(r, CAP_C_MEMBER)) return 1;
    /* outside the community: a public one's approved minutes of an event
     * for everyone */
    if (s->has && s->m.approved && r->comm->visibility == VIS_PUBLIC &&
        str_eq(s->ev.audience, "everyone"))
        return 1;
    render_error(r, 404, "not_found", "error.not_found");
    return 0;
}

static int is_organizer(struct req *r)
{
    return req_has(r, CAP_C_ORGANIZE);
}
/* Drafts from the data: whoever runs the meeting. */
static int may_draft(struct req *r, const struct asm_info *a)
{
    int64_t me = r->comm->member_id;
    return is_organizer(r) || (me && (me == a->chair_id || me == a->secretary_id));
}
/* Edits the text: the secretary (an organizer stands in). */
static int may_edit(struct req *r, const struct asm_info *a)
{
    int64_t me = r->comm->member_id;
    return is_organizer(r) || (me && me == a->secretary_id);
}
/* Approves: the chair; an organizer only when the meeting has none. */
static int may_approve(struct req *r, const struct asm_info *a)
{
    int64_t me = r->comm->member_id;
    return a->chair_id ? (me && me == a->chair_id) : is_organizer(r);
}

static const struct field FORM_BODY[] = {
    {"body", F_TEXT, 1, 0, MINUTES_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_DRAFT[] = {
    {"counts_only", F_CHECK, 0, 0, 0, NULL, NULL},
    {"confirm", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_APPROVE[] = {
    {"confirm", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static json_t *view_of(struct req *r, const struct seen *s, const char *title_key)
{
    int member = req_has(r, CAP_C_MEMBER);
    json_t *v = req_own(r, json_pack("{ss ss ss ss sb}", "title", tr(r, title_key), "slug",
                                     r->comm->slug, "name", r->comm->name, "event_title",
                                     s->ev.title, "is_member", member));
    json_object_set_new(v, "assembly_url",
                        json_string(arena_printf(r->arena, "/c/%s/events/%lld/assembly",
                                                 r->comm->slug, (long long)s->a.event_id)));
    json_object_set_new(v, "event_url",
                        json_string(arena_printf(r->arena, "/c/%s/events/%lld", r->comm->slug,
                                                 (long long)s->a.event_id)));
    json_object_set_new(v, "action", json_string(m_url(r, s->a.event_id, "")));
    if (s->has) {
        json_t *m = json_pack("{ss ss sb sb}", "body", s->m.body, "state", s->m.state,
                              "is_approved", s->m.approved, "counts_only", s->m.counts_only);
        json_object_set_new(
            m, "state_label",
            json_string(tr(r, arena_printf(r->arena, "meeting.minutes.state.%s", s->m.state))));
        if (s->m.approved) {
            char at[20];
            event_local_format(s->m.approved_at, s->ev.zone, at);
            json_object_set_new(m, "approved_day", json_stringn(at, 10));
            if (s->m.approved_by)
                json_object_set_new(m, "approved_by", json_string(s->m.approved_by));
        }
        json_object_set_new(v, "minutes", m);
    }
    return v;
}

static void page(struct req *r, struct seen *s, int status, struct form *f)
{
    json_t *v = view_of(r, s, "meeting.minutes.title");
    int draft = s->has && !s->m.approved;
    int closed = str_eq(s->a.state, "closed");
    json_object_set_new(
        v, "can_draft",
        json_boolean(req_has(r, CAP_C_MEMBER) && may_draft(r, &s->a) && (!s->has || draft)));
    json_object_set_new(v, "can_edit", json_boolean(draft && may_edit(r, &s->a)));
    json_object_set_new(v, "can_approve", json_boolean(draft && closed && may_approve(r, &s->a)));
    json_object_set_new(v, "approve_later",
                        json_boolean(draft && !closed && may_approve(r, &s->a)));
    json_object_set_new(v, "offer_counts", json_boolean(r->comm->visibility != VIS_PUBLIC));
    json_object_set_new(
        v, "counts_default",
        json_boolean(s->has ? s->m.counts_only : minutes_counts_default(req_db(r), r->comm->id)));
    json_object_set_new(v, "print_url", json_string(m_url(r, s->a.event_id, "/print")));
    json_object_set_new(v, "md_url",
                        json_string(arena_printf(r->arena, "/c/%s/events/%lld/assembly/minutes.md",
                                                 r->comm->slug, (long long)s->a.event_id)));
    render_form(r, status, "meeting/minutes", v, f);
}

static void minutes_get(struct req *r)
{
    struct seen s;
    if (!load(r, &s)) return;
    struct form f;
    json_t *stored = req_own(r, json_pack("{ss}", "body", s.has ? s.m.body : ""));
    form_fill(&f, r, FORM_BODY, stored);
    page(r, &s, 200, &f);
}

static void print_get(struct req *r)
{
    struct seen s;
    if (!load(r, &s)) return;
    if (!s.has) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    json_t *v = view_of(r, &s, "meeting.minutes.title");
    if (r->want_json) {
        render_page(r, 200, "meeting/minutesprint", v);
        return;
    }
    /* the document alone: no header, no navigation, the print stylesheet */
    json_object_set_new(v, "lang", json_string(r->lang));
    struct buf b;
    buf_init(&b);
    if (tmpl_render(r->app->tmpl, "meeting/minutesprint", v, r->app->cat, r->lang, &b) != 0) {
        buf_free(&b);
        render_error(r, 500, "internal", "error.internal");
        return;
    }
    render_bytes(r, 200, "text/html; charset=utf-8", b.data ? b.data : "", b.len);
    buf_free(&b);
}

static void md_get(struct req *r)
{
    struct seen s;
    if (!load(r, &s)) return;
    if (!s.has) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    req_add_header(r, "Content-Disposition",
                   arena_printf(r->arena, "attachment; filename=\"minutes-%s-%lld.md\"",
                                r->comm->slug, (long long)s.a.event_id));
    req_add_header(r, "Cache-Control", "private, no-store");
    render_bytes(r, 200, "text/markdown; charset=utf-8", s.m.body, strlen(s.m.body));
}

static void edit_post(struct req *r)
{
    struct seen s;
    if (!load(r, &s)) return;
    if (!may_edit(r, &s.a)) {
        render_error(r, 403, "forbidden", "error.forbidden");
        return;
    }
    struct form f;
    if (!form_read(&f, r, FORM_BODY)) {
        page(r, &s, 422, &f);
        return;
    }
    /* a browser sends a textarea's lines ending in CR LF: stored as LF,
     * so that the same text sent again is the same */
    char *body = arena_strdup(r->arena, form_str(&f, "body"));
    char *o = body;
    for (const char *c = body; *c; c++)
        if (!(c[0] == '\r' && c[1] == '\n')) *o++ = *c;
    *o = 0;
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? minutes_edit(w, r->comm->id, s.a.id, body, r->comm->member_id) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, m_url(r, s.a.event_id, ""), "flash.saved");
}

static void draft_post(struct req *r)
{
    struct seen s;
    if (!load(r, &s)) return;
    if (!may_draft(r, &s.a)) {
        render_error(r, 403, "forbidden", "error.forbidden");
        return;
    }
    struct form f;
    if (!render_form_read(&f, r, FORM_DRAFT, "error.invalid")) return;
    int counts = r->comm->visibility != VIS_PUBLIC && form_num(&f, "counts_only", 0) == 1;
    form_release(&f);
    /* composed on a reader (the texts unsealed with the viewer's keys),
     * stored on the writer, whose WHERE refuses approved minutes */
    struct buf b;
    buf_init(&b);
    if (minutes_compose(req_db(r), r->arena, r->app->cat, r->lang, r->comm->id, s.a.event_id,
                        counts, &b) != 0) {
        buf_free(&b);
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    if (b.len > MINUTES_MAX) { /* cut at a character's start */
        b.len = MINUTES_MAX;
        while (b.len && ((unsigned char)b.data[b.len] & 0xC0) == 0x80)
            b.len--;
    }
    while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ' '))
        b.len--;
    if (b.data) b.data[b.len] = 0;
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? minutes_store(w, r->comm->id, s.a.id, b.data ? b.data : "", counts, r->comm->member_id)
          : WR_BUSY;
    buf_free(&b);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, m_url(r, s.a.event_id, ""), "flash.meeting_minutes_drafted");
}

static void approve_post(struct req *r)
{
    struct seen s;
    if (!load(r, &s)) return;
    if (!may_approve(r, &s.a)) {
        render_error(r, 403, "forbidden", "error.forbidden");
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? minutes_approve(w, r->comm->id, s.a.id, r->comm->member_id) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, m_url(r, s.a.event_id, ""), "flash.meeting_minutes_approved");
}

#define M "/c/{slug}/events/{id:int}/assembly/minutes"
const struct route meeting_minutes_routes[] = {
    {"GET", M, CAP_C_READ, 0, NULL, minutes_get, NULL},
    {"POST", M, CAP_C_MEMBER, 0, NULL, edit_post, FORM_BODY},
    {"POST", M "/draft", CAP_C_MEMBER, 0, NULL, draft_post, FORM_DRAFT},
    {"POST", M "/approve", CAP_C_MEMBER, 0, NULL, approve_post, FORM_APPROVE},
    {"GET", M "/print", CAP_C_READ, 0, NULL, print_get, NULL},
    {"GET", M ".md", CAP_C_READ, 0, NULL, md_get, NULL},
    {0},
};
#undef M
