/* Hearings' pages: the comments of a public hearing at
 * /c/{slug}/events/{id}/assembly/hearing (members: per agenda item or on
 * the hearing as a whole, paged, with the answers; those who run it
 * answer or hide with a reason; organizers turn the participation link on
 * and off), and the same page through the link at
 * /c/{slug}/events/{id}/h/{token} for residents without an account: the
 * agenda, its documents and the comments without members' names, and a
 * form to comment, throttled per browser and per hearing. Nothing else of
 * the community answers to the link. */
#include "areas/community/community.h"
#include "areas/meeting/assembly.h"
#include "areas/meeting/hearing.h"
#include "areas/meeting/meeting.h"
#include "core/app.h"
#include "core/auth.h"
#include "core/form.h"
#include "core/render.h"
#include "core/text.h"
#include "core/tmpl.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

/* The hearing in view: its assembly and event, the address its forms post
 * to, and whether it is seen through the link. */
struct hview {
    struct asm_info a;
    struct event ev;
    const char *base;
    int link;
};

static const char *asm_base(struct req *r, int64_t event_id)
{
    return arena_printf(r->arena, "/c/%s/events/%lld/assembly", r->comm->slug, (long long)event_id);
}

/* The community's hearing at the path's event: 1, or 0 after a 404. */
static int load_hearing(struct req *r, struct hview *h)
{
    memset(h, 0, sizeof *h);
    int64_t eid = req_path_int(r, "id");
    if (asm_find(req_db(r), r->arena, r->comm->id, eid, &h->a) != 0 ||
        !str_eq(h->a.kind, "hearing") ||
        event_find(req_db(r), r->arena, r->comm->id, eid, &h->ev) != 0) {
        render_error(r, 404, "not_found", "error.not_found");
        return 0;
    }
    return 1;
}

static int load_member(struct req *r, struct hview *h)
{
    if (!load_hearing(r, h)) return 0;
    h->base = arena_printf(r->arena, "%s/hearing", asm_base(r, h->a.event_id));
    return 1;
}

/* Through the link: the token must be the hearing's live one (a revoked
 * or wrong one is a 404, as is a secret community, which never has one). */

static int hearing_load_link(struct req *r, struct hview *h)
{
    const char *tok = req_path(r, "token");
    if (r->comm->visibility == VIS_SECRET || !tok || strlen(tok) != AUTH_TOKEN_LEN) {
        render_error(r, 404, "not_found", "error.not_found");
        return 0;
    }
    if (!load_hearing(r, h)) return 0;
    const char *live = hearing_link_token(req_db(r), r->arena, h->a.id);
    if (!live || !auth_equal(tok, live)) {
        render_error(r, 404, "not_found", "error.not_found");
        return 0;
    }
    h->link = 1;
    h->base = arena_printf(r->arena, "/c/%s/events/%lld/h/%s", r->comm->slug,
                           (long long)h->a.event_id, tok);
    return 1;
}

/* Who runs the hearing: its chair, its secretary, the organizers. */
static int runs(struct req *r, const struct hview *h)
{
    int64_t me = r->comm->member_id;
    if (h->link || !me) return 0;
    return req_has(r, CAP_C_ORGANIZE) || me == h->a.chair_id || me == h->a.secretary_id;
}

/* ---- the page ---- */

static const struct vfield ITEM_FIELDS[] = {
    {"id", CAP_ANY},
    {"title", CAP_ANY},
    {"document", CAP_ANY},
    {NULL, 0},
};
static const struct vfield COMMENT_FIELDS[] = {
    {"id", CAP_ANY},          {"item_id", CAP_ANY},
    {"body", CAP_ANY},        {"author", CAP_C_MEMBER},
    {"former", CAP_ANY},      {"resident", CAP_ANY},
    {"guest_name", CAP_ANY},  {"created_at", CAP_ANY},
    {"answer", CAP_ANY},      {"answered_by", CAP_C_MEMBER},
    {"answered_at", CAP_ANY}, {"hidden_reason", CAP_ANY},
    {"hidden", CAP_ANY},      {NULL, 0},
};

static const struct field FORM_COMMENT[] = {
    {"item", F_INT, 0, 0, INT64_MAX, NULL, NULL},
    {"body", F_TEXT, 1, 0, HEARING_COMMENT_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_LINK_COMMENT[] = {
    {"item", F_INT, 0, 0, INT64_MAX, NULL, NULL},
    {"body", F_TEXT, 1, 0, HEARING_COMMENT_MAX, NULL, NULL},
    {"name", F_TEXT, 0, 0, HEARING_NAME_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const char *const P_HEARING[] = {"item", "page", NULL};

/* The item asked for (0: the hearing as a whole), from the form when it
 * came back, else from the address. */
static int64_t item_asked(struct req *r, struct form *f)
{
    const char *s = f && f->values ? json_string_value(json_object_get(f->values, "item")) : NULL;
    if (!s) s = req_param(r, "item");
    char *end = NULL;
    long long v = s && *s ? strtoll(s, &end, 10) : 0;
    return end && *end ? 0 : (v > 0 ? v : 0);
}

static const char *local_time(struct req *r, const struct hview *h, int64_t at)
{
    char t[20];
    event_local_format(at, h->ev.zone, t);
    t[10] = ' ';
    return arena_strdup(r->arena, t);
}

/* Who wrote it, in words: a member's name to members, "a member" through
 * the link, "a resident" (with the name typed) for the link's. */
static void decorate(struct req *r, const struct hview *h, json_t *c, int can_run)
{
    int64_t id = json_integer_value(json_object_get(c, "id"));
    const char *who;
    if (json_is_true(json_object_get(c, "resident")) ||
        json_integer_value(json_object_get(c, "resident")) == 1)
        who = tr(r, "meeting.hearing.resident");
    else if (json_integer_value(json_object_get(c, "former")) == 1)
        who = tr(r, "meeting.hearing.former");
    else if (json_is_string(json_object_get(c, "author")))
        who = json_string_value(json_object_get(c, "author"));
    else
        who = tr(r, "meeting.hearing.member");
    json_object_set_new(c, "who", json_string(who));
    json_object_set_new(
        c, "created",
        json_string(local_time(r, h, json_integer_value(json_object_get(c, "created_at")))));
    if (json_is_integer(json_object_get(c, "answered_at")))
        json_object_set_new(
            c, "answered",
            json_string(local_time(r, h, json_integer_value(json_object_get(c, "answered_at")))));
    int hidden = json_integer_value(json_object_get(c, "hidden")) == 1;
    json_object_set_new(c, "is_hidden", json_boolean(hidden));
    json_object_set_new(c, "can_answer", json_boolean(can_run));
    json_object_set_new(c, "can_hide", json_boolean(can_run && !hidden));
    json_object_set_new(
        c, "url", json_string(arena_printf(r->arena, "%s/comments/%lld", h->base, (long long)id)));
}

static void show(struct req *r, struct hview *h, int status, struct form *f)
{
    int can_run = runs(r, h), member = !h->link && req_has(r, CAP_C_MEMBER);
    int64_t item = item_asked(r, f), page = req_page(r);
    json_t *v =
        req_own(r, json_pack("{ss ss ss sb sb sb}", "title", h->ev.title, "slug", r->comm->slug,
                             "name", r->comm->name, "is_member", member, "is_organizer",
                             !h->link && req_has(r, CAP_C_ORGANIZE), "is_link", h->link));
    json_object_set_new(v, "action", json_string(h->base));
    if (!h->link) {
        json_object_set_new(v, "assembly_url", json_string(asm_base(r, h->a.event_id)));
        json_object_set_new(v, "event_url",
                            json_string(arena_printf(r->arena, "/c/%s/events/%lld", r->comm->slug,
                                                     (long long)h->a.event_id)));
    }
    char at[20];
    event_local_format(h->ev.starts_at, h->ev.zone, at);
    at[10] = ' ';
    int open = str_eq(h->a.state, "open");
    json_object_set_new(
        v, "hearing",
        json_pack("{ss ss ss sb sb}", "when", arena_strdup(r->arena, at), "place",
                  h->ev.place_text ? h->ev.place_text : "", "state_label",
                  tr(r, arena_printf(r->arena, "meeting.hearing.state.%s", h->a.state)), "is_open",
                  open, "is_closed", str_eq(h->a.state, "closed")));
    json_object_set_new(v, "description", json_string(h->ev.description ? h->ev.description : ""));
    /* the agenda with the count of each item's comments */
    struct vmask im = view_mask(r, ITEM_FIELDS);
    json_t *items = req_own(r, hearing_items(req_db(r), &im, h->a.id));
    json_t *counts = req_own(r, hearing_counts(req_db(r), h->a.id));
    int64_t whole = 0, total = 0;
    size_t i, j;
    json_t *row, *c;
    json_array_foreach(counts, j, c)
    {
        total += json_integer_value(json_object_get(c, "n"));
        if (json_integer_value(json_object_get(c, "item_id")) == 0)
            whole = json_integer_value(json_object_get(c, "n"));
    }
    json_t *current = NULL;
    json_array_foreach(items, i, row)
    {
        int64_t id = json_integer_value(json_object_get(row, "id"));
        int64_t n = 0;
        json_array_foreach(counts, j, c)
        {
            if (json_integer_value(json_object_get(c, "item_id")) == id)
                n = json_integer_value(json_object_get(c, "n"));
        }
        json_object_set_new(row, "number", json_integer((json_int_t)i + 1));
        json_object_set_new(row, "n", json_integer((json_int_t)n));
        json_object_set_new(row, "selected", json_boolean(id == item));
        json_object_set_new(
            row, "url",
            json_string(arena_printf(r->arena, "%s?item=%lld", h->base, (long long)id)));
        if (id == item) current = row;
    }
    if (item && !current) item = 0; /* not the hearing's: the whole */
    json_object_set(v, "items", items ? items : req_own(r, json_array()));
    json_object_set_new(
        v, "whole",
        json_pack("{sI sb ss}", "n", (json_int_t)whole, "selected", item == 0, "url", h->base));
    json_object_set_new(v, "total", json_integer((json_int_t)total));
    if (current) {
        json_t *cur = json_deep_copy(current);
        json_object_set_new(cur, "document",
                            json_string(hearing_item_document(req_db(r), r->arena, h->a.id, item)));
        json_object_set_new(v, "current", cur);
    }
    json_object_set_new(v, "item", json_integer((json_int_t)item));
    /* one page of the comments */
    struct vmask cm = view_mask(r, COMMENT_FIELDS);
    json_t *rows = hearing_comments(req_db(r), &cm, h->a.id, item, member, can_run,
                                    HEARING_PER_PAGE + 1, (page - 1) * HEARING_PER_PAGE);
    int more = render_page_rows(&rows, HEARING_PER_PAGE);
    json_array_foreach(rows, i, row)
    {
        decorate(r, h, row, can_run);
    }
    json_object_set_new(v, "comments", rows);
    render_pager(r, v, page, more,
                 arena_printf(r->arena, "%s?item=%lld&page=", h->base, (long long)item), "");
    struct hearing_final fin;
    if (hearing_final_find(req_db(r), r->arena, r->comm->id, h->a.id, &fin) == 0 &&
        (fin.published || !h->link)) {
        json_object_set_new(v, "has_final", json_true());
        json_object_set_new(v, "final_url",
                            json_string(arena_printf(r->arena, "%s/final", h->base)));
    }
    json_object_set_new(v, "can_comment", json_boolean(open && (h->link || member)));
    json_object_set_new(v, "can_run", json_boolean(can_run));
    if (!h->link && req_has(r, CAP_C_ORGANIZE)) {
        const char *tok = hearing_link_token(req_db(r), r->arena, h->a.id);
        json_object_set_new(v, "can_link", json_boolean(r->comm->visibility != VIS_SECRET));
        if (tok)
            json_object_set_new(
                v, "link_url",
                json_string(arena_printf(r->arena, "/c/%s/events/%lld/h/%s", r->comm->slug,
                                         (long long)h->a.event_id, tok)));
    }
    struct form empty;
    if (!f) {
        form_init(&empty, r);
        f = &empty;
    }
    render_form(r, status, "meeting/hearing", v, f);
}

static void hearing_get(struct req *r)
{
    struct hview h;
    if (load_member(r, &h)) show(r, &h, 200, NULL);
}

static void link_get(struct req *r)
{
    struct hview h;
    if (!hearing_load_link(r, &h)) return;
    /* never kept by a shared cache or sent on as a referrer */
    req_add_header(r, "Cache-Control", "private, no-store");
    req_add_header(r, "Referrer-Policy", "no-referrer");
    show(r, &h, 200, NULL);
}

/* The browser's key for the link's limit: a hash of a long-lived random
 * cookie and of the hearing, so that nothing links one browser's rows of
 * two hearings, and no address is kept. */
static const char *browser_key(struct req *r, int64_t id)
{
    const char *tok = req_cookie(r, "hr_guest");
    if (!tok || strlen(tok) != AUTH_TOKEN_LEN) {
        char fresh[AUTH_TOKEN_LEN + 1];
        auth_token_new(fresh);
        tok = arena_strdup(r->arena, fresh);
        req_set_cookie(r, "hr_guest", tok, (int64_t)400 * 86400);
    }
    char hx[AUTH_HEX_LEN + 1];
    auth_token_hash(arena_printf(r->arena, "%s:%lld", tok, (long long)id), hx);
    return arena_strdup(r->arena, hx);
}

/* CR LF of a browser's textarea stored as LF. */
static const char *lf(struct req *r, const char *s)
{
    char *t = arena_strdup(r->arena, s ? s : "");
    char *o = t;
    for (const char *p = t; *p; p++)
        if (!(p[0] == '\r' && p[1] == '\n')) *o++ = *p;
    *o = 0;
    return t;
}

/* A comment refused for a reason the form cannot fix now (closed, too
 * many): the page with the message beside the text, or the error. */
static void refuse(struct req *r, struct hview *h, struct form *f, int status, const char *code,
                   const char *key)
{
    if (r->want_json) {
        form_release(f);
        render_error(r, status, code, key);
        return;
    }
    form_error(f, "body", key);
    show(r, h, status, f);
}

static void comment(struct req *r, struct hview *h)
{
    struct form f;
    if (!form_read(&f, r, h->link ? FORM_LINK_COMMENT : FORM_COMMENT)) {
        show(r, h, 422, &f);
        return;
    }
    struct hearing_comment_new n = {form_num(&f, "item", 0), h->link ? 0 : r->comm->member_id,
                                    h->link ? form_str(&f, "name") : NULL,
                                    lf(r, form_str(&f, "body")), NULL};
    if (!str_eq(h->a.state, "open")) {
        refuse(r, h, &f, 409, "conflict", "meeting.hearing.error.not_open");
        return;
    }
    if (h->link) {
        n.throttle_key = browser_key(r, h->a.id);
        int64_t wait = hearing_throttle_wait(req_db(r), h->a.id, n.throttle_key, now_s());
        if (wait > 0) {
            req_add_header(r, "Retry-After", arena_printf(r->arena, "%lld", (long long)wait));
            refuse(r, h, &f, 429, "throttled", "meeting.hearing.error.throttled");
            return;
        }
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? hearing_comment_add(w, r->comm->id, h->a.id, &n, NULL) : WR_BUSY;
    if (rc == WR_INVALID && str_eq(wr_reason(w), "meeting.hearing.error.item")) {
        req_commit(r, rc, NULL);
        form_error(&f, "item", "meeting.hearing.error.item");
        show(r, h, 422, &f);
        return;
    }
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r,
                        n.item_id
                            ? arena_printf(r->arena, "%s?item=%lld", h->base, (long long)n.item_id)
                            : h->base,
                        "flash.meeting_commented");
}

static void comment_post(struct req *r)
{
    struct hview h;
    if (load_member(r, &h)) comment(r, &h);
}

static void link_comment_post(struct req *r)
{
    struct hview h;
    if (hearing_load_link(r, &h)) comment(r, &h);
}

/* ---- answering and hiding ---- */

static const struct field FORM_ANSWER[] = {
    {"answer", F_TEXT, 1, 0, HEARING_COMMENT_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
static const struct field FORM_HIDE[] = {
    {"reason", F_TEXT, 1, 0, ASM_REASON_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* Back to the comment on its item's page. */
static const char *back_to(struct req *r, const struct hview *h)
{
    int64_t c = req_path_int(r, "c");
    int64_t item = hearing_comment_item(req_db(r), h->a.id, c);
    return arena_printf(r->arena, "%s?item=%lld#comment-%lld", h->base, (long long)item,
                        (long long)c);
}

static void answer_post(struct req *r)
{
    struct hview h;
    if (!load_member(r, &h)) return;
    if (!runs(r, &h)) {
        render_error(r, 403, "forbidden", "error.forbidden");
        return;
    }
    struct form f;
    if (!form_read(&f, r, FORM_ANSWER)) {
        asm_refused(r, &f, "meeting.hearing.answer", h.base,
                    (const char *const[]){"meeting.hearing.field.answer"});
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? hearing_answer(w, r->comm->id, h.a.id, req_path_int(r, "c"),
                                    lf(r, form_str(&f, "answer")), r->comm->member_id)
                   : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, back_to(r, &h), "flash.saved");
}

static void hide_post(struct req *r)
{
    struct hview h;
    if (!load_member(r, &h)) return;
    if (!runs(r, &h)) {
        render_error(r, 403, "forbidden", "error.forbidden");
        return;
    }
    struct form f;
    if (!form_read(&f, r, FORM_HIDE)) {
        asm_refused(r, &f, "meeting.hearing.hide", h.base,
                    (const char *const[]){"meeting.hearing.field.reason"});
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? hearing_hide(w, r->comm->id, h.a.id, req_path_int(r, "c"),
                                  lf(r, form_str(&f, "reason")), r->comm->member_id)
                   : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, back_to(r, &h), "flash.meeting_comment_hidden");
}

/* ---- the link ---- */

static const struct field FORM_NONE[] = {
    {"confirm", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void link_on_post(struct req *r)
{
    struct hview h;
    if (!load_member(r, &h)) return;
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? hearing_link_on(w, r->comm->id, h.a.id, r->comm->member_id) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, h.base, "flash.meeting_link_on");
}

static void link_off_post(struct req *r)
{
    struct hview h;
    if (!load_member(r, &h)) return;
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? hearing_link_off(w, r->comm->id, h.a.id) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, h.base, "flash.meeting_link_off");
}

#define H "/c/{slug}/events/{id:int}/assembly/hearing"
const struct route meeting_hearing_routes[] = {
    {"GET", H, CAP_C_MEMBER, 0, P_HEARING, hearing_get, NULL},
    {"POST", H "/comments", CAP_C_MEMBER, 0, NULL, comment_post, FORM_COMMENT},
    {"POST", H "/comments/{c:int}/answer", CAP_C_MEMBER, 0, NULL, answer_post, FORM_ANSWER},
    {"POST", H "/comments/{c:int}/hide", CAP_C_MEMBER, 0, NULL, hide_post, FORM_HIDE},
    {"POST", H "/link", CAP_C_ORGANIZE, 0, NULL, link_on_post, FORM_NONE},
    {"POST", H "/link/off", CAP_C_ORGANIZE, 0, NULL, link_off_post, FORM_NONE},
    {0},
};
#undef H

/* The link's routes: CAP_C_SEE (anyone who may know the community, which
 * a secret one never is to an outsider); the token decides the rest. */
#define L "/c/{slug}/events/{id:int}/h/{token}"
const struct route meeting_hearing_link_routes[] = {
    {"GET", L, CAP_C_SEE, 0, P_HEARING, link_get, NULL},
    {"POST", L "/comments", CAP_C_SEE, 0, NULL, link_comment_post, FORM_LINK_COMMENT},
    {0},
};
#undef L
