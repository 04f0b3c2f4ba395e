/* Members and roles, leaving, invitations (link and QR code) and the
 * invitation's landing page. */
#include "areas/community/community.h"
#include "core/app.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"
#include "core/text.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

static const char *const ROLES[] = {"member", "organizer", "facilitator", "mentor", "expert", NULL};

static const char *community_url(struct req *r, const char *suffix)
{
    return arena_printf(r->arena, "/c/%s%s", r->comm->slug, suffix);
}

/* ---- members ---- */

enum { MEMBERS_PAGE = 100 };

static void members_get(struct req *r)
{
    int64_t page = req_page(r);
    json_t *rows = member_list(req_db(r), r->comm->id, (page - 1) * MEMBERS_PAGE, MEMBERS_PAGE + 1);
    if (!rows) rows = json_array();
    int more = json_array_size(rows) > MEMBERS_PAGE;
    if (more) json_array_remove(rows, MEMBERS_PAGE);
    int organizer = r->comm->role == ROLE_ORGANIZER;
    size_t i;
    json_t *m;
    json_array_foreach(rows, i, m)
    {
        const char *role = json_string_value(json_object_get(m, "role"));
        json_object_set_new(m, "role_label",
                            json_string(tr(r, arena_printf(r->arena, "role.%s", role))));
        json_object_set_new(
            m, "is_me",
            json_boolean(str_eq(json_string_value(json_object_get(m, "handle")), r->acct->handle)));
        if (organizer) json_object_set_new(m, "roles", community_labels(r, ROLES, "role", role));
    }
    json_t *v = json_pack("{ss ss ss sb}", "title", tr(r, "members.title"), "slug", r->comm->slug,
                          "name", r->comm->name, "is_organizer", organizer);
    json_object_set_new(v, "count", json_integer(community_member_count(req_db(r), r->comm->id)));
    json_object_set_new(v, "page", json_integer(page));
    render_pager(r, v, page, more, community_url(r, "/members?page="), "");
    json_object_set_new(v, "members", rows);
    render_page(r, 200, "community/members", v);
}

/* The account named by {handle} if it is a member here; 0 if not. */
static int64_t path_member(struct req *r)
{
    return member_account_id(req_db(r), r->comm->id, req_path(r, "handle"));
}

static void answer_last_organizer(struct req *r)
{
    render_error(r, 409, "last_organizer", "members.last_organizer");
}

static void role_post(struct req *r)
{
    int64_t who = path_member(r);
    if (!who) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    struct form f;
    form_init(&f, r);
    int ri = form_choice(&f, "role", ROLES, 1, 0);
    form_release(&f);
    if (ri < 0) {
        render_error(r, 422, "invalid", "error.bad_choice");
        return;
    }
    struct dbc *w = req_write_begin(r);
    int rc = w ? member_set_role(w, r->comm->id, who, ROLES[ri]) : -1;
    if (!w || req_write_end(r, rc == 0) != 0 || rc == -1) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    if (rc == -2) {
        answer_last_organizer(r);
        return;
    }
    render_redirect(r, community_url(r, "/members"), "flash.role_changed");
}

/* Destructive actions ask first, on a page that works without
 * JavaScript and says what it means. */
static void confirm_page(struct req *r, const char *heading_key, const char *what,
                         const char *loss_key, const char *action, const char *back)
{
    json_t *v =
        json_pack("{ss ss ss ss ss ss ss ss}", "title", tr(r, heading_key), "heading",
                  tr(r, heading_key), "slug", r->comm->slug, "community", r->comm->name, "what",
                  what ? what : "", "loss", tr(r, loss_key), "action", action, "back", back);
    json_object_set_new(v, "yes", json_string(tr(r, heading_key)));
    render_page(r, 200, "community/confirm", v);
}

static void remove_get(struct req *r)
{
    const char *h = req_path(r, "handle");
    confirm_page(r, "members.remove.title", h, "members.remove.loss",
                 arena_printf(r->arena, "/c/%s/members/%s/remove", r->comm->slug, h),
                 arena_printf(r->arena, "/c/%s/members", r->comm->slug));
}

static void leave_get(struct req *r)
{
    confirm_page(r, "community.leave.title", r->comm->name, "community.leave.loss",
                 arena_printf(r->arena, "/c/%s/leave", r->comm->slug),
                 arena_printf(r->arena, "/c/%s", r->comm->slug));
}

static void remove_post(struct req *r)
{
    int64_t who = path_member(r);
    if (!who) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    struct dbc *w = req_write_begin(r);
    int rc = w ? member_remove(w, r->comm->id, who) : -1;
    if (!w || req_write_end(r, rc == 0) != 0 || rc == -1) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    if (rc == -2) {
        answer_last_organizer(r);
        return;
    }
    render_redirect(r, community_url(r, "/members"), "flash.member_removed");
}

static void leave_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    int rc = w ? member_remove(w, r->comm->id, r->acct->id) : -1;
    if (!w || req_write_end(r, rc == 0) != 0 || rc == -1) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    if (rc == -2) {
        answer_last_organizer(r);
        return;
    }
    render_redirect(r, "/", "flash.left");
}

/* ---- invitations ---- */

/* The address people will open: the configured base, else what the
 * browser used to reach us. */
static const char *base_url(struct req *r)
{
    if (!str_empty(r->app->cfg.base_url)) return r->app->cfg.base_url;
    const char *host = req_header(r, "Host");
    if (str_empty(host) || strpbrk(host, " \"<>\\/")) host = r->app->cfg.listen;
    return arena_printf(r->arena, "%s://%s", r->is_tls ? "https" : "http", host);
}

/* An SVG of the QR code for text; arena-owned, NULL if it cannot be made. */
static const char *qr_svg(struct req *r, const char *text)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return NULL;
    int n = q->width, quiet = 4, size = n + 2 * quiet;
    struct buf b;
    buf_init(&b);
    buf_printf(&b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
               "width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\" role=\"img\">"
               "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
               size, size, size * 6, size * 6, size, size);
    for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++)
            if (q->data[y * n + x] & 1) buf_printf(&b, "M%d %dh1v1h-1z", x + quiet, y + quiet);
    buf_puts(&b, "\"/></svg>");
    QRcode_free(q);
    const char *s = arena_strdup(r->arena, b.data);
    buf_free(&b);
    return s;
}

static json_t *invite_view(struct req *r)
{
    json_t *v = json_pack("{ss ss ss}", "title", tr(r, "invite.title"), "slug", r->comm->slug,
                          "name", r->comm->name);
    json_t *list = invite_list(req_db(r), r->comm->id);
    size_t i;
    json_t *inv;
    json_array_foreach(list, i, inv)
    {
        const char *role = json_string_value(json_object_get(inv, "role"));
        json_object_set_new(inv, "role_label",
                            json_string(tr(r, arena_printf(r->arena, "role.%s", role))));
    }
    json_object_set_new(v, "invitations", list);
    json_object_set_new(v, "roles", community_labels(r, ROLES, "role", "member"));
    return v;
}

static void invite_get(struct req *r)
{
    json_t *v = invite_view(r);
    json_object_set_new(v, "form",
                        json_pack("{ss ss ss}", "role", "member", "max_uses", "1", "days", "7"));
    render_page(r, 200, "community/invite", v);
}

static void invite_post(struct req *r)
{
    struct form f;
    form_init(&f, r);
    int ri = form_choice(&f, "role", ROLES, 1, 0);
    int64_t uses = 1, days = 7;
    form_int(&f, "max_uses", 1, 1, 1000, 1, &uses);
    form_int(&f, "days", 1, 1, 90, 7, &days);
    const char *note = form_text(&f, "note", 0, 200);
    if (!form_ok(&f)) {
        render_invalid(r, "community/invite", invite_view(r), &f);
        return;
    }
    form_release(&f);
    char token[AUTH_TOKEN_LEN + 1];
    struct dbc *w = req_write_begin(r);
    int64_t id =
        w ? invite_create(w, r->comm->id, ROLES[ri], uses, now_s() + days * 86400, note, token)
          : -1;
    if (!w || req_write_end(r, id > 0) != 0 || id <= 0) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    /* The link is shown now and never again: we keep only its hash. So this
     * answer is a page, not a redirect (a redirect would put the secret in
     * the browser's history under another address). */
    const char *link = arena_printf(r->arena, "%s/i/%s", base_url(r), token);
    json_t *v = invite_view(r);
    json_object_set_new(v, "created",
                        json_pack("{ss ss ss sI sI}", "link", link, "qr_svg",
                                  qr_svg(r, link) ? qr_svg(r, link) : "", "role_label",
                                  tr(r, arena_printf(r->arena, "role.%s", ROLES[ri])), "max_uses",
                                  (json_int_t)uses, "days", (json_int_t)days));
    json_object_set_new(v, "form",
                        json_pack("{ss ss ss}", "role", "member", "max_uses", "1", "days", "7"));
    render_page(r, 201, "community/invite", v);
}

static void invite_revoke_get(struct req *r)
{
    confirm_page(r, "invite.revoke.title", NULL, "invite.revoke.loss",
                 arena_printf(r->arena, "/c/%s/invite/%s/revoke", r->comm->slug, req_path(r, "id")),
                 arena_printf(r->arena, "/c/%s/invite", r->comm->slug));
}

static void invite_revoke_post(struct req *r)
{
    int64_t id;
    if (str_to_i64(req_path(r, "id"), &id) != 0) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    struct dbc *w = req_write_begin(r);
    int rc = w ? invite_revoke(w, r->comm->id, id) : -1;
    if (!w || req_write_end(r, rc == 0) != 0 || rc != 0) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    render_redirect(r, community_url(r, "/invite"), "flash.invite_revoked");
}

/* ---- the invitation's landing page ---- */

/* Why an invitation cannot be used, as a catalog key; NULL if it can. */
static const char *invite_problem(json_t *inv)
{
    if (!inv) return "invite.unknown";
    if (json_integer_value(json_object_get(inv, "revoked"))) return "invite.revoked";
    if (json_integer_value(json_object_get(inv, "expired"))) return "invite.expired";
    if (json_integer_value(json_object_get(inv, "used_up"))) return "invite.used_up";
    return NULL;
}

static void landing_get(struct req *r)
{
    const char *token = req_path(r, "token");
    json_t *inv = invite_find(req_db(r), token);
    const char *problem = invite_problem(inv);
    if (problem) {
        json_decref(inv);
        render_error(r, 410, "invitation_unusable", problem);
        return;
    }
    const char *role = json_string_value(json_object_get(inv, "role"));
    const char *slug = json_string_value(json_object_get(inv, "slug"));
    json_t *v =
        json_pack("{ss ss sO ss ss ss}", "title", tr(r, "invite.landing.title"), "token", token,
                  "name", json_object_get(inv, "name"), "slug", slug, "role_label",
                  tr(r, arena_printf(r->arena, "role.%s", role)), "description_html",
                  render_markdown(r, json_string_value(json_object_get(inv, "description"))));
    json_object_set_new(v, "expires", json_incref(json_object_get(inv, "expires")));
    json_object_set_new(v, "signed_in", json_boolean(r->acct != NULL));
    json_object_set_new(v, "next", json_string(arena_printf(r->arena, "/i/%s", token)));
    if (r->acct) {
        char *had = member_role(req_db(r), json_integer_value(json_object_get(inv, "community_id")),
                                r->acct->id);
        json_object_set_new(v, "already_member", json_boolean(had != NULL));
        free(had);
    }
    json_decref(inv);
    render_page(r, 200, "community/landing", v);
}

static void landing_post(struct req *r)
{
    const char *token = req_path(r, "token");
    struct dbc *w = req_write_begin(r);
    int64_t cid = 0;
    int rc = w ? invite_accept(w, token, r->acct->id, &cid) : -1;
    if (!w || req_write_end(r, rc >= 0) != 0 || rc == -1) {
        render_error(r, 503, "busy", "error.busy");
        return;
    }
    if (rc == -3) {
        json_t *inv = invite_find(req_db(r), token);
        const char *problem = invite_problem(inv);
        json_decref(inv);
        render_error(r, 410, "invitation_unusable", problem ? problem : "invite.unknown");
        return;
    }
    char *slug = community_slug_of(req_db(r), cid);
    const char *to = arena_printf(r->arena, "/c/%s", slug ? slug : "");
    free(slug);
    render_redirect(r, to, rc == 0 ? "flash.joined" : NULL);
}

static void landing_qr(struct req *r)
{
    const char *token = req_path(r, "token");
    json_t *inv = invite_find(req_db(r), token);
    const char *problem = invite_problem(inv);
    json_decref(inv);
    if (problem) {
        render_error(r, 410, "invitation_unusable", problem);
        return;
    }
    const char *svg = qr_svg(r, arena_printf(r->arena, "%s/i/%s", base_url(r), token));
    if (!svg) {
        render_error(r, 500, "qr", "error.internal");
        return;
    }
    render_bytes(r, 200, "image/svg+xml", svg, strlen(svg));
}

static const char *const P_ROLE[] = {"role", NULL};
static const char *const P_PAGE[] = {"page", NULL};
static const char *const P_INVITE[] = {"role", "max_uses", "days", "note", NULL};

const struct route community_member_routes[] = {
    {"GET", "/c/{slug}/members", CAP_C_MEMBER, 0, P_PAGE, members_get, NULL},
    {"POST", "/c/{slug}/members/{handle}/role", CAP_C_ORGANIZE, 0, P_ROLE, role_post, NULL},
    {"GET", "/c/{slug}/members/{handle}/remove", CAP_C_ORGANIZE, 0, NULL, remove_get, NULL},
    {"POST", "/c/{slug}/members/{handle}/remove", CAP_C_ORGANIZE, 0, NULL, remove_post, NULL},
    {"GET", "/c/{slug}/leave", CAP_C_MEMBER, 0, NULL, leave_get, NULL},
    {"POST", "/c/{slug}/leave", CAP_C_MEMBER, 0, NULL, leave_post, NULL},
    {"GET", "/c/{slug}/invite", CAP_C_ORGANIZE, 0, NULL, invite_get, NULL},
    {"POST", "/c/{slug}/invite", CAP_C_ORGANIZE, 0, P_INVITE, invite_post, NULL},
    {"GET", "/c/{slug}/invite/{id:int}/revoke", CAP_C_ORGANIZE, 0, NULL, invite_revoke_get, NULL},
    {"POST", "/c/{slug}/invite/{id:int}/revoke", CAP_C_ORGANIZE, 0, NULL, invite_revoke_post, NULL},
    {0},
};

/* An invitation's landing page is outside any community: its address names
 * the invitation, and the page shows only what the invitation allows. */
const struct route community_invite_routes[] = {
    {"GET", "/i/{token}", CAP_ANY, 0, NULL, landing_get, NULL},
    {"POST", "/i/{token}", CAP_USER, 0, NULL, landing_post, NULL},
    {"GET", "/i/{token}/qr.svg", CAP_ANY, 0, NULL, landing_qr, NULL},
    {0},
};
