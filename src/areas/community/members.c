/* Members and roles, leaving, invitations (link and QR code) and the
 * invitation's landing page. */
#include "areas/community/community.h"
#include "core/app.h"
#include "core/keyring.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"
#include "core/text.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const ROLES[] = {"member", "organizer", "facilitator", "mentor", "expert", NULL};

static const char *community_url(struct req *r, const char *suffix)
{
    return arena_printf(r->arena, "/c/%s%s", r->comm->slug, suffix);
}

/* ---- members ---- */

enum { MEMBERS_PAGE = 100 };

static const struct field FORM_ROLE[] = {
    {"role", F_CHOICE, 1, 0, 0, ROLES, "role"},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* A member as the others see them. */
static const struct vfield MEMBER_FIELDS[] = {
    {"id", CAP_C_MEMBER},
    {"display_name", CAP_C_MEMBER},
    {"role", CAP_C_MEMBER},
    {"joined", CAP_C_MEMBER},
    {NULL, 0},
};

static void members_get(struct req *r)
{
    int64_t page = req_page(r);
    struct vmask mask = view_mask(r, MEMBER_FIELDS);
    json_t *rows =
        member_page(req_db(r), &mask, r->comm->id, (page - 1) * MEMBERS_PAGE, MEMBERS_PAGE + 1);
    int more = render_page_rows(&rows, MEMBERS_PAGE);
    int organizer = req_has(r, CAP_C_ORGANIZE);
    /* Five labels made once, not one per member shown: each row holds a
     * reference to the same string. */
    json_t *labels[sizeof ROLES / sizeof ROLES[0]] = {NULL};
    for (size_t k = 0; ROLES[k]; k++)
        labels[k] = req_own(r, view_string(tr(r, arena_printf(r->arena, "role.%s", ROLES[k]))));
    size_t i;
    json_t *m;
    json_array_foreach(rows, i, m)
    {
        const char *role = json_string_value(json_object_get(m, "role"));
        int k = form_choice_index(ROLES, role);
        if (k >= 0)
            json_object_set(m, "role_label", labels[k]);
        else
            json_object_set_new(m, "role_label", view_string(role));
        json_object_set_new(
            m, "is_me",
            json_boolean(json_integer_value(json_object_get(m, "id")) == r->comm->member_id));
        if (organizer) json_object_set_new(m, "roles", community_labels(r, ROLES, "role", role));
    }
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "members.title")));
    json_object_set_new(v, "slug", json_string(r->comm->slug));
    json_object_set_new(v, "name", json_string(r->comm->name));
    json_object_set_new(v, "is_organizer", json_boolean(organizer));
    json_object_set_new(v, "count", json_integer(community_member_count(req_db(r), r->comm->id)));
    /* A secret community's organizers see how many links are still in
     * clear ("waiting to be sealed"): a number, never who. */
    int64_t waiting = organizer && r->comm->visibility == VIS_SECRET
                          ? member_waiting_count(req_db(r), r->comm->id)
                          : 0;
    if (waiting > 0) {
        json_object_set_new(v, "waiting", json_integer(waiting));
        json_object_set_new(v, "can_pass_key",
                            json_boolean(community_viewer_data_key(r, r->comm->id) != NULL));
        json_object_set_new(v, "waiting_text",
                            json_string(tr_n(r, "members.waiting", "n", waiting)));
    }
    json_object_set_new(v, "page", json_integer(page));
    render_pager(r, v, page, more, community_url(r, "/members?page="), "");
    json_object_set_new(v, "members", rows);
    render_page(r, 200, "community/members", v);
}

static void role_post(struct req *r)
{
    struct form f;
    if (!render_form_read(&f, r, FORM_ROLE, "error.bad_choice")) return;
    /* Who, and whether an organizer stays, is decided by the write: the
     * member may have left, or the other organizer stepped down, since
     * the page was read. */
    struct dbc *w = req_write_begin(r);
    int64_t who = req_path_int(r, "id");
    const char *role = form_str(&f, "role");
    int64_t before = w ? db_total_changes(w) : 0;
    enum wr rc = w ? member_set_role(w, r->comm->id, who, role) : WR_BUSY;
    /* The role someone already has is no change, and no entry. */
    char *name = w && rc == WR_OK && db_total_changes(w) != before
                     ? member_name_of(w, r->comm->id, who)
                     : NULL;
    if (name)
        rc = community_audit(
            r, w, rc, "role",
            arena_printf(r->arena, "%s: %s", name, tr(r, arena_printf(r->arena, "role.%s", role))));
    free(name);
    form_release(&f);
    if (req_commit(r, rc, "members.last_organizer") == 0)
        render_redirect(r, community_url(r, "/members"), "flash.role_changed");
}

static void remove_get(struct req *r)
{
    char *name = member_name_of(req_db(r), r->comm->id, req_path_int(r, "id"));
    if (!name) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    struct confirm c = {.title = tr(r, "members.remove.title"),
                        .what = arena_strdup(r->arena, name),
                        .loss = tr(r, "members.remove.loss"),
                        .back = community_url(r, "/members"),
                        .back_label = tr(r, "members.title"),
                        .button = tr(r, "members.remove.title")};
    free(name);
    render_confirm(r, &c);
}

/* Passes the community's data key to the members waiting to be sealed:
 * one copy each, sealed to their public key, taken at their next sign-in.
 * Needs the key in this session (an organizer sealed with it). */
static void keys_post(struct req *r)
{
    const struct seal_data_key *dk = community_viewer_data_key(r, r->comm->id);
    struct dbc *w = req_write_begin(r);
    enum wr rc = !w    ? WR_BUSY
                 : !dk ? wr_fail(w, WR_CONFLICT, "members.no_key")
                 : member_drops_leave(w, r->comm->id, dk) < 0 ? wr_from_error(w)
                                                              : WR_OK;
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, community_url(r, "/members"), "flash.keys_left");
}

static void leave_get(struct req *r)
{
    struct confirm c = {.title = tr(r, "community.leave.title"),
                        .what = r->comm->name,
                        .loss = tr(r, "community.leave.loss"),
                        .back = community_url(r, ""),
                        .back_label = r->comm->name,
                        .button = tr(r, "community.leave.title")};
    render_confirm(r, &c);
}

static void remove_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    int64_t who = req_path_int(r, "id");
    /* The name is read before the member row goes with the removal. */
    char *name = w ? member_name_of(w, r->comm->id, who) : NULL;
    enum wr rc = w ? member_remove(w, r->comm->id, who) : WR_BUSY;
    rc = community_audit(r, w, rc, "remove", name ? name : "");
    free(name);
    if (req_commit(r, rc, "members.last_organizer") == 0)
        render_redirect(r, community_url(r, "/members"), "flash.member_removed");
}

static void leave_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    /* By the viewer's member id, clear or sealed; a sealed one's entry
     * leaves the keyring too (an entry whose member is gone means
     * nothing, but is tidier gone). */
    enum wr rc = w ? member_remove(w, r->comm->id, r->comm->member_id) : WR_BUSY;
    const unsigned char *sk = rc == WR_OK ? seal_viewer_secret(r) : NULL;
    if (sk && ring_find(ring_viewer(r), r->comm->id) &&
        ring_drop(w, r->acct->id, sk, r->comm->id) != 0)
        rc = wr_from_error(w);
    if (req_commit(r, rc, "members.last_organizer") == 0) render_redirect(r, "/", "flash.left");
}

/* ---- invitations ---- */

/* 1 if host (a Host header: name or address, then maybe :port) names
 * this machine's loopback: localhost, 127.0.0.0/8 or [::1]. */
static int host_is_loopback(const char *host)
{
    if (str_empty(host) || strpbrk(host, " \"<>\\/@")) return 0;
    size_t n;
    if (host[0] == '[') {
        const char *close = strchr(host, ']');
        if (!close) return 0;
        n = (size_t)(close - host) + 1;
    } else {
        const char *colon = strchr(host, ':');
        n = colon ? (size_t)(colon - host) : strlen(host);
    }
    /* what follows the name is a port, or nothing */
    const char *rest = host + n;
    if (*rest && (*rest != ':' || !rest[1] || strspn(rest + 1, "0123456789") != strlen(rest + 1)))
        return 0;
    if (n == 9 && strncasecmp(host, "localhost", 9) == 0) return 1;
    if (n == 5 && strncmp(host, "[::1]", 5) == 0) return 1;
    if (n < 7 || strncmp(host, "127.", 4) != 0) return 0;
    return strspn(host + 4, "0123456789.") >= n - 4;
}

/* The address people will open: the configured --base-url. Without it,
 * only a loopback Host is believed (a demo on this machine): any other
 * Host is whatever the sender wrote, and a forged one made links to
 * http://evil.example/i/TOKEN that a member would hand on. NULL then. */
static const char *base_url(struct req *r)
{
    if (!str_empty(r->app->cfg.base_url)) return r->app->cfg.base_url;
    const char *host = req_header(r, "Host");
    if (!host_is_loopback(host)) return NULL;
    return arena_printf(r->arena, "%s://%s", r->is_tls ? "https" : "http", host);
}

/* An invitation in the organizer's list: never its token (only its hash
 * is kept, and that stays in the database). */
static const struct vfield INVITE_FIELDS[] = {
    {"id", CAP_C_ORGANIZE},      {"role", CAP_C_ORGANIZE},   {"max_uses", CAP_C_ORGANIZE},
    {"uses", CAP_C_ORGANIZE},    {"note", CAP_C_ORGANIZE},   {"expires", CAP_C_ORGANIZE},
    {"created", CAP_C_ORGANIZE}, {"active", CAP_C_ORGANIZE}, {NULL, 0},
};

static const struct field FORM_INVITE[] = {
    {"role", F_CHOICE, 1, 0, 0, ROLES, "role"},
    {"max_uses", F_INT, 1, 1, 1000, NULL, NULL},
    {"days", F_INT, 1, 1, 90, NULL, NULL},
    {"note", F_TEXT, 0, 0, 200, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static json_t *invite_view(struct req *r)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "invite.title")));
    json_object_set_new(v, "slug", json_string(r->comm->slug));
    json_object_set_new(v, "name", json_string(r->comm->name));
    struct vmask m = view_mask(r, INVITE_FIELDS);
    json_t *list = invite_list(req_db(r), &m, r->comm->id);
    if (!list) list = json_array();
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
    if (!form_read(&f, r, FORM_INVITE)) {
        render_invalid(r, "community/invite", invite_view(r), &f);
        return;
    }
    const char *base = base_url(r);
    if (!base) { /* asked before the invitation exists: none is made */
        form_release(&f);
        render_error(r, 503, "no_base_url", "invite.no_base_url");
        return;
    }
    const char *role = form_str(&f, "role");
    int64_t uses = form_num(&f, "max_uses", 1), days = form_num(&f, "days", 7);
    char token[AUTH_TOKEN_LEN + 1];
    struct dbc *w = req_write_begin(r);
    /* A sealed community's link carries its data key (keyring.h). */
    enum wr rc =
        w ? invite_add(w, r->comm->id, r->comm->member_id, role, uses, now_s() + days * 86400,
                       form_str(&f, "note"), community_viewer_entry(r, r->comm->id), token)
          : WR_BUSY;
    rc = community_audit(r, w, rc, "invite",
                         arena_printf(r->arena, "%s ×%lld",
                                      tr(r, arena_printf(r->arena, "role.%s", role)),
                                      (long long)uses));
    form_release(&f);
    if (req_commit(r, rc, NULL) != 0) return;
    /* The link is shown now and never again: we keep only its hash. So this
     * answer is a page, not a redirect (a redirect would put the secret in
     * the browser's history under another address). */
    const char *link = arena_printf(r->arena, "%s/i/%s", base, token);
    json_t *v = invite_view(r);
    /* The QR code is a picture of the link, which the JSON answer has. */
    json_t *created = json_pack("{ss ss sI sI}", "link", link, "role_label",
                                tr(r, arena_printf(r->arena, "role.%s", role)), "max_uses",
                                (json_int_t)uses, "days", (json_int_t)days);
    if (!r->want_json) {
        const char *svg = render_qr_svg(r, link);
        view_put_html(r, created, "qr_svg", svg ? svg : "");
    }
    json_object_set_new(v, "created", created);
    json_object_set_new(v, "form",
                        json_pack("{ss ss ss}", "role", "member", "max_uses", "1", "days", "7"));
    render_page(r, 201, "community/invite", v);
}

static void invite_revoke_get(struct req *r)
{
    struct confirm c = {.title = tr(r, "invite.revoke.title"),
                        .loss = tr(r, "invite.revoke.loss"),
                        .back = community_url(r, "/invite"),
                        .back_label = tr(r, "invite.title"),
                        .button = tr(r, "invite.revoke.title")};
    render_confirm(r, &c);
}

static void invite_revoke_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? invite_revoke(w, r->comm->id, req_path_int(r, "id")) : WR_BUSY;
    rc = community_audit(r, w, rc, "invite_revoke",
                         arena_printf(r->arena, "#%lld", (long long)req_path_int(r, "id")));
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, community_url(r, "/invite"), "flash.invite_revoked");
}

/* ---- the invitation's landing page ---- */

/* An invitation that cannot be used answers 410 Gone, with why. */
static void answer_unusable(struct req *r, const char *why)
{
    render_error(r, 410, "invitation_unusable", why ? why : "invite.unknown");
}

/* req_commit, except that an invitation found unusable by the write (a
 * conflict whose reason is invite.*) answers status_unusable: 410 Gone on
 * the landing page, 403 "sign-up closed" on sign-up, as they always
 * have. req_commit knows neither, so that one refusal rolls back here. */
int community_commit_invite(struct req *r, enum wr rc, int status_unusable)
{
    const char *why = rc == WR_CONFLICT ? wr_reason(r->wr) : NULL;
    if (!str_starts(why, "invite.")) return req_commit(r, rc, NULL);
    req_write_end(r, 0);
    if (status_unusable == 410)
        answer_unusable(r, why);
    else
        render_error(r, status_unusable, "signup_closed", "signup.closed");
    return status_unusable;
}

/* The invitation the landing path names, into inv: 0, or it cannot be
 * used and the 410 with why has been answered. */
static int landing_invite(struct req *r, const char *token, struct invite_row *inv)
{
    int found = invite_read(req_db(r), r->arena, token, inv) == 0;
    seal_wipe(&inv->keys, sizeof inv->keys); /* a landing page needs only the address */
    const char *problem = invite_problem(inv, found);
    if (problem) answer_unusable(r, problem);
    return problem ? -1 : 0;
}

static void landing_get(struct req *r)
{
    const char *token = req_path(r, "token");
    struct invite_row inv;
    if (landing_invite(r, token, &inv) != 0) return;
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "invite.landing.title")));
    json_object_set_new(v, "token", json_string(token));
    json_object_set_new(v, "name", json_string(inv.name));
    json_object_set_new(v, "slug", json_string(inv.slug));
    json_object_set_new(v, "role_label",
                        json_string(tr(r, arena_printf(r->arena, "role.%s", inv.role))));
    /* What the community wrote about itself, as written: the template
     * renders the Markdown. */
    json_object_set_new(v, "description", json_string(inv.description));
    json_object_set_new(v, "expires", json_string(inv.expires));
    json_object_set_new(v, "signed_in", json_boolean(r->acct != NULL));
    json_object_set_new(v, "next", json_string(arena_printf(r->arena, "/i/%s", token)));
    if (r->acct)
        json_object_set_new(v, "already_member",
                            json_boolean(member_find(req_db(r), inv.community_id, r->acct->id,
                                                     seal_viewer_secret(r)) > 0));
    render_page(r, 200, "community/landing", v);
}

static void landing_post(struct req *r)
{
    struct invite_use use;
    struct dbc *w = req_write_begin(r);
    /* This session's key, when open, seals the newcomer's membership. */
    enum wr rc = w ? invite_accept(w, r->arena, req_path(r, "token"), r->acct->id,
                                   seal_viewer_secret(r), &use)
                   : WR_BUSY;
    if (community_commit_invite(r, rc, 410) != 0) return;
    render_redirect(r, arena_printf(r->arena, "/c/%s", use.slug),
                    use.joined ? "flash.joined" : NULL);
}

static void landing_qr(struct req *r)
{
    const char *token = req_path(r, "token");
    struct invite_row inv;
    if (landing_invite(r, token, &inv) != 0) return;
    const char *base = base_url(r);
    if (!base) {
        render_error(r, 503, "no_base_url", "invite.no_base_url");
        return;
    }
    const char *svg = render_qr_svg(r, arena_printf(r->arena, "%s/i/%s", base, token));
    if (!svg) {
        render_error(r, 500, "qr", "error.internal");
        return;
    }
    render_bytes(r, 200, "image/svg+xml", svg, strlen(svg));
}

static const char *const P_PAGE[] = {"page", NULL};

const struct route community_member_routes[] = {
    {"GET", "/c/{slug}/members", CAP_C_MEMBER, 0, P_PAGE, members_get, NULL},
    {"POST", "/c/{slug}/members/{id:int}/role", CAP_C_ORGANIZE, 0, NULL, role_post, FORM_ROLE},
    {"POST", "/c/{slug}/members/keys", CAP_C_ORGANIZE, 0, NULL, keys_post, NULL},
    {"GET", "/c/{slug}/members/{id:int}/remove", CAP_C_ORGANIZE, 0, NULL, remove_get, NULL},
    {"POST", "/c/{slug}/members/{id:int}/remove", CAP_C_ORGANIZE, 0, NULL, remove_post, NULL},
    {"GET", "/c/{slug}/leave", CAP_C_MEMBER, 0, NULL, leave_get, NULL},
    {"POST", "/c/{slug}/leave", CAP_C_MEMBER, 0, NULL, leave_post, NULL},
    {"GET", "/c/{slug}/invite", CAP_C_ORGANIZE, 0, NULL, invite_get, NULL},
    {"POST", "/c/{slug}/invite", CAP_C_ORGANIZE, 0, NULL, invite_post, FORM_INVITE},
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
