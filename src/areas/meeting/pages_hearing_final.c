/* The final document of a public hearing:
 * /c/{slug}/events/{id}/assembly/hearing/final. Drafted by the system when
 * the hearing closes (and again on demand, in the mode chosen: comments
 * quoted, only counted, or left to be summarised), edited by the
 * secretary or the chair, published by them or an organizer; then frozen
 * and readable by members, and through the participation link by
 * residents (/c/{slug}/events/{id}/h/{token}/final). A printable page and
 * a Markdown download, as the minutes have. */
#include "areas/meeting/assembly.h"
#include "areas/meeting/hearing.h"
#include "areas/meeting/meeting.h"
#include "core/app.h"
#include "core/auth.h"
#include "core/form.h"
#include "core/log.h"
#include "core/render.h"
#include "core/text.h"
#include "core/tmpl.h"
#include "core/util.h"

#include <string.h>

struct fseen {
    struct asm_info a;
    struct event ev;
    struct hearing_final f;
    int has, link;
    const char *base; /* the final document's address */
    const char *back; /* the hearing's page */
};

static int load_common(struct req *r, struct fseen *s)
{
    int64_t eid = req_path_int(r, "id");
    memset(s, 0, sizeof *s);
    if (asm_find(req_db(r), r->arena, r->comm->id, eid, &s->a) != 0 ||
        !str_eq(s->a.kind, "hearing") ||
        event_find(req_db(r), r->arena, r->comm->id, eid, &s->ev) != 0) {
        render_error(r, 404, "not_found", "error.not_found");
        return 0;
    }
    s->has = hearing_final_find(req_db(r), r->arena, r->comm->id, s->a.id, &s->f) == 0;
    return 1;
}

static int load_member(struct req *r, struct fseen *s)
{
    if (!load_common(r, s)) return 0;
    s->back = arena_printf(r->arena, "/c/%s/events/%lld/assembly/hearing", r->comm->slug,
                           (long long)s->a.event_id);
    s->base = arena_printf(r->arena, "%s/final", s->back);
    return 1;
}

/* Through the link: its live token and a published document, else 404. */
static int load_link(struct req *r, struct fseen *s)
{
    const char *tok = req_path(r, "token");
    if (r->comm->visibility == VIS_SECRET || !tok || strlen(tok) != AUTH_TOKEN_LEN) goto none;
    if (!load_common(r, s)) return 0;
    const char *live = hearing_link_token(req_db(r), r->arena, s->a.id);
    if (!live || !auth_equal(tok, live) || !s->has || !s->f.published) goto none;
    s->link = 1;
    s->back = arena_printf(r->arena, "/c/%s/events/%lld/h/%s", r->comm->slug,
                           (long long)s->a.event_id, tok);
    s->base = arena_printf(r->arena, "%s/final", s->back);
    req_add_header(r, "Cache-Control", "private, no-store");
    req_add_header(r, "Referrer-Policy", "no-referrer");
    return 1;
none:
    render_error(r, 404, "not_found", "error.not_found");
    return 0;
}

/* Edits, drafts and publishes: the chair, the secretary, an organizer. */
static int runs(struct req *r, const struct fseen *s)
{
    int64_t me = r->comm->member_id;
    if (s->link || !me) return 0;
    return req_has(r, CAP_C_ORGANIZE) || me == s->a.chair_id || me == s->a.secretary_id;
}

static const struct field FORM_BODY[] = {
    {"body", F_TEXT, 1, 0, HEARING_FINAL_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_DRAFT[] = {
    {"mode", F_CHOICE, 1, 0, 0, hearing_final_modes, "meeting.hearing.mode."},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_PUBLISH[] = {
    {"confirm", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static json_t *view_of(struct req *r, const struct fseen *s)
{
    json_t *v = req_own(r, json_pack("{ss ss ss ss sb sb}", "title", tr(r, "meeting.hearing.final"),
                                     "slug", r->comm->slug, "name", r->comm->name, "event_title",
                                     s->ev.title, "is_member", !s->link && req_has(r, CAP_C_MEMBER),
                                     "is_link", s->link));
    json_object_set_new(v, "back", json_string(s->back));
    json_object_set_new(v, "action", json_string(s->base));
    json_object_set_new(v, "print_url", json_string(arena_printf(r->arena, "%s/print", s->base)));
    json_object_set_new(v, "md_url", json_string(arena_printf(r->arena, "%s.md", s->base)));
    if (s->has && (s->f.published || !s->link)) {
        json_t *f = json_pack("{ss ss ss sb}", "body", s->f.body, "state", s->f.state, "mode",
                              s->f.mode, "is_published", s->f.published);
        json_object_set_new(
            f, "state_label",
            json_string(
                tr(r, arena_printf(r->arena, "meeting.hearing.final.state.%s", s->f.state))));
        if (s->f.published) {
            char at[20];
            event_local_format(s->f.published_at, s->ev.zone, at);
            json_object_set_new(f, "published_day", json_stringn(at, 10));
        }
        json_object_set_new(v, "final", f);
    }
    return v;
}

static void page(struct req *r, struct fseen *s, int status, struct form *f)
{
    json_t *v = view_of(r, s);
    int draft = s->has && !s->f.published, closed = str_eq(s->a.state, "closed");
    int can = runs(r, s);
    json_object_set_new(v, "can_edit", json_boolean(can && draft));
    json_object_set_new(v, "can_publish", json_boolean(can && draft));
    json_object_set_new(v, "can_draft", json_boolean(can && closed && (!s->has || draft)));
    json_object_set_new(v, "not_closed", json_boolean(!closed));
    /* the draft's modes, the one asked (or stored) checked */
    const char *kept =
        f && f->values ? json_string_value(json_object_get(f->values, "mode")) : NULL;
    if (!kept) kept = s->has ? s->f.mode : "quoted";
    json_t *modes = json_array();
    for (int i = 0; hearing_final_modes[i]; i++)
        json_array_append_new(modes,
                              json_pack("{ss ss sb}", "value", hearing_final_modes[i], "label",
                                        tr(r, arena_printf(r->arena, "meeting.hearing.mode.%s",
                                                           hearing_final_modes[i])),
                                        "checked", str_eq(kept, hearing_final_modes[i])));
    json_object_set_new(v, "modes", modes);
    render_form(r, status, "meeting/hearingfinal", v, f);
}

static void final_get(struct req *r)
{
    struct fseen s;
    if (!load_member(r, &s)) return;
    struct form f;
    json_t *stored = req_own(r, json_pack("{ss ss}", "body", s.has ? s.f.body : "", "mode",
                                          s.has ? s.f.mode : "quoted"));
    form_fill(&f, r, FORM_BODY, stored);
    page(r, &s, 200, &f);
}

static void print_page(struct req *r, struct fseen *s)
{
    json_t *v = view_of(r, s);
    if (r->want_json) {
        render_page(r, 200, "meeting/hearingprint", v);
        return;
    }
    json_object_set_new(v, "lang", json_string(r->lang));
    struct buf b;
    buf_init(&b);
    if (tmpl_render(r->app->tmpl, "meeting/hearingprint", v, r->app->cat, r->lang, &b) != 0) {
        buf_free(&b);
        render_error(r, 500, "internal", "error.internal");
        return;
    }
    render_bytes(r, 200, "text/html; charset=utf-8", b.data ? b.data : "", b.len);
    buf_free(&b);
}

static void md_answer(struct req *r, struct fseen *s)
{
    req_add_header(r, "Content-Disposition",
                   arena_printf(r->arena, "attachment; filename=\"hearing-%s-%lld.md\"",
                                r->comm->slug, (long long)s->a.event_id));
    req_add_header(r, "Cache-Control", "private, no-store");
    render_bytes(r, 200, "text/markdown; charset=utf-8", s->f.body, strlen(s->f.body));
}

static void print_get(struct req *r)
{
    struct fseen s;
    if (!load_member(r, &s)) return;
    if (!s.has) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    print_page(r, &s);
}

static void md_get(struct req *r)
{
    struct fseen s;
    if (!load_member(r, &s)) return;
    if (!s.has) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    md_answer(r, &s);
}

static void link_final_get(struct req *r)
{
    struct fseen s;
    if (load_link(r, &s)) print_page(r, &s);
}

static void link_md_get(struct req *r)
{
    struct fseen s;
    if (load_link(r, &s)) md_answer(r, &s);
}

/* The draft composed on a reader (the texts opened with the viewer's
 * keys) into b, cut to the limit at a character's start. 0 or -1. */
static int compose(struct req *r, int64_t event_id, const char *mode, struct buf *b)
{
    if (hearing_final_compose(req_db(r), r->arena, r->app->cat, r->lang, r->comm->id, event_id,
                              mode, b) != 0)
        return -1;
    if (b->len > HEARING_FINAL_MAX) {
        b->len = HEARING_FINAL_MAX;
        while (b->len && ((unsigned char)b->data[b->len] & 0xC0) == 0x80)
            b->len--;
    }
    while (b->len && (b->data[b->len - 1] == '\n' || b->data[b->len - 1] == ' '))
        b->len--;
    if (b->data) b->data[b->len] = 0;
    return 0;
}

void hearing_final_autodraft(struct req *r, int64_t id, int64_t event_id)
{
    struct buf b;
    buf_init(&b);
    if (compose(r, event_id, "quoted", &b) == 0 && b.len) {
        struct dbc *w = req_write_begin(r);
        enum wr rc =
            w ? hearing_final_store(w, r->comm->id, id, b.data, "quoted", r->comm->member_id)
              : WR_BUSY;
        if (w && req_write_end(r, rc == WR_OK) != 0 && rc == WR_OK) rc = WR_DB;
        if (rc != WR_OK) log_info("hearing %lld: no final draft at the close", (long long)id);
    }
    buf_free(&b);
}

static void draft_post(struct req *r)
{
    struct fseen s;
    if (!load_member(r, &s)) return;
    if (!runs(r, &s)) {
        render_error(r, 403, "forbidden", "error.forbidden");
        return;
    }
    struct form f;
    if (!form_read(&f, r, FORM_DRAFT)) {
        page(r, &s, 422, &f);
        return;
    }
    const char *mode = form_str(&f, "mode");
    struct buf b;
    buf_init(&b);
    if (compose(r, s.a.event_id, mode, &b) != 0) {
        buf_free(&b);
        form_release(&f);
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? hearing_final_store(w, r->comm->id, s.a.id, b.data ? b.data : "", mode,
                                         r->comm->member_id)
                   : WR_BUSY;
    buf_free(&b);
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, s.base, "flash.meeting_final_drafted");
}

static void edit_post(struct req *r)
{
    struct fseen s;
    if (!load_member(r, &s)) return;
    if (!runs(r, &s)) {
        render_error(r, 403, "forbidden", "error.forbidden");
        return;
    }
    struct form f;
    if (!form_read(&f, r, FORM_BODY)) {
        page(r, &s, 422, &f);
        return;
    }
    char *body = arena_strdup(r->arena, form_str(&f, "body"));
    char *o = body;
    for (const char *c = body; *c; c++)
        if (!(c[0] == '\r' && c[1] == '\n')) *o++ = *c;
    *o = 0;
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? hearing_final_edit(w, r->comm->id, s.a.id, body, r->comm->member_id) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, s.base, "flash.saved");
}

static void publish_post(struct req *r)
{
    struct fseen s;
    if (!load_member(r, &s)) return;
    if (!runs(r, &s)) {
        render_error(r, 403, "forbidden", "error.forbidden");
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? hearing_final_publish(w, r->comm->id, s.a.id, r->comm->member_id) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, s.base, "flash.meeting_final_published");
}

#define F "/c/{slug}/events/{id:int}/assembly/hearing/final"
#define L "/c/{slug}/events/{id:int}/h/{token}/final"
const struct route meeting_hearing_final_routes[] = {
    {"GET", F, CAP_C_MEMBER, 0, NULL, final_get, NULL},
    {"POST", F, CAP_C_MEMBER, 0, NULL, edit_post, FORM_BODY},
    {"POST", F "/draft", CAP_C_MEMBER, 0, NULL, draft_post, FORM_DRAFT},
    {"POST", F "/publish", CAP_C_MEMBER, 0, NULL, publish_post, FORM_PUBLISH},
    {"GET", F "/print", CAP_C_MEMBER, 0, NULL, print_get, NULL},
    {"GET", F ".md", CAP_C_MEMBER, 0, NULL, md_get, NULL},
    {"GET", L, CAP_C_SEE, 0, NULL, link_final_get, NULL},
    {"GET", L ".md", CAP_C_SEE, 0, NULL, link_md_get, NULL},
    {0},
};
#undef F
#undef L
