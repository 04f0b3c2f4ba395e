/* The community scope: how a path's {slug} becomes the community and the
 * viewer's role in it, what each community capability asks of that role,
 * and how the areas built on communities show in one. The only file that
 * compares roles: every page, this area's own included, asks
 * req_can()/req_has(). */
#include "areas/account/account.h"
#include "areas/community/community.h"
#include "areas/community/second_factor.h"
#include "core/app.h"
#include "core/area.h"
#include "core/render.h"

/* The community of the request with what the scope alone needs to know:
 * that the viewer is an organizer whose role the second-factor rule
 * withholds (for the notice). Allocated here, so r->comm is always one. */
struct community_scope_ctx {
    struct community_ctx c;
    int organizer_withheld;
};

/* An organizer without a second factor, in a community whose rule asks for
 * one, has a member's capabilities until they set it up. */
static int organizer_withheld(struct req *r, int64_t community_id)
{
    return community_second_factor_rule(req_db(r), community_id) &&
           !account_has_second_factor(req_db(r), r->acct->id);
}

int community_load(struct req *r, const char *slug)
{
    struct community_row row;
    if (community_read(req_db(r), r->arena, slug, r->acct ? r->acct->id : 0, &row) != 0) return -1;
    /* Not in it in clear: perhaps sealed, by an entry of the viewer's
     * keyring (only a community with a data key has sealed members, so
     * other communities never open the keyring). */
    enum role sealed_role = ROLE_NONE;
    int64_t sealed = row.role == ROLE_NONE && row.sealed
                         ? community_viewer_sealed_role(r, row.id, &sealed_role)
                         : 0;
    if (sealed) {
        row.role = sealed_role;
        row.member_id = sealed;
    }
    /* A secret community is unknown to whoever is not in it. */
    if (row.visibility == VIS_SECRET && row.role == ROLE_NONE) return -1;
    struct community_scope_ctx *sc = arena_alloc(r->arena, sizeof *sc);
    struct community_ctx *c = &sc->c;
    c->id = row.id;
    c->slug = row.slug;
    c->name = row.name;
    c->visibility = row.visibility;
    c->role = row.role;
    c->member_id = row.member_id;
    c->sealed = row.sealed;
    sc->organizer_withheld = row.role == ROLE_ORGANIZER && organizer_withheld(r, row.id);
    if (sc->organizer_withheld) c->role = ROLE_MEMBER;
    r->comm = c;
    return 0;
}

const char *community_viewer_role(const struct req *r)
{
    enum role role = r->comm ? r->comm->role : ROLE_NONE;
    return role > ROLE_NONE && role <= ROLE_EXPERT ? community_role_names[role] : "";
}

static int community_can(struct req *r, enum cap cap)
{
    const struct community_ctx *c = r->comm;
    if (!c) return 404;
    int member = c->role != ROLE_NONE;
    switch (cap) {
    case CAP_C_SEE:
        return 0;
    case CAP_C_READ:
        return c->visibility == VIS_PUBLIC || member ? 0 : req_refusal(r);
    case CAP_C_VISITOR:
        return r->acct ? 0 : 401;
    case CAP_C_MEMBER:
        return member ? 0 : req_refusal(r);
    case CAP_C_STAFF:
        return member && (c->role == ROLE_ORGANIZER || c->role == ROLE_FACILITATOR)
                   ? 0
                   : req_refusal(r);
    case CAP_C_ORGANIZE:
        return member && c->role == ROLE_ORGANIZER ? 0 : req_refusal(r);
    case CAP_C_COORD:
        return member && r->acct && (r->acct->is_coord || r->acct->is_admin) ? 0 : req_refusal(r);
    default:
        return 403;
    }
}

/* A refusal says who may do it, in the words of the capability. */
static const char *community_denied_key(enum cap cap)
{
    switch (cap) {
    case CAP_C_READ:
    case CAP_C_MEMBER:
        return "error.forbidden.member";
    case CAP_C_STAFF:
        return "error.forbidden.staff";
    case CAP_C_ORGANIZE:
        return "error.forbidden.organize";
    case CAP_C_COORD:
        return "error.forbidden.c_coord";
    default:
        return "error.forbidden";
    }
}

const struct scope_def community_scope = {
    .param = "slug",
    .load = community_load,
    .can = community_can,
    .denied_key = community_denied_key,
};

void community_area_sections(struct req *r, json_t *view)
{
    json_t *links = json_array();
    json_t *panels = json_array();
    for (const struct area *const *a = r->app->areas; a && *a; a++) {
        const struct area *ar = *a;
        if (ar->nav_path)
            json_array_append_new(
                links, json_pack("{ss ss}", "path", ar->nav_path, "label", tr(r, ar->nav_label)));
        if (!ar->panel_fill) continue;
        json_t *p = req_own(r, json_pack("{ss ss ss}", "area", ar->name, "title",
                                         tr(r, ar->panel_title), "template", ar->panel_tmpl));
        if (ar->panel_fill(r, p)) json_array_append(panels, p);
    }
    /* The organizer the second-factor rule holds back: a notice among the
     * panels, with the way to set it up. */
    if (r->comm && r->scope == SCOPE_COMMUNITY &&
        ((const struct community_scope_ctx *)r->comm)->organizer_withheld)
        json_array_append_new(panels, json_pack("{ss ss ss ss}", "area", "second_factor", "title",
                                                tr(r, "second_factor.notice_title"), "template",
                                                "account/organizer_notice", "setup",
                                                "/account/second-factor"));
    json_object_set_new(view, "areas", links);
    json_object_set_new(view, "panels", panels);
}

enum wr community_delete_everywhere(struct req *r, struct dbc *w, int64_t community_id)
{
    /* What no foreign key or trigger reaches goes first, area by area;
     * then the community, whose rows cascade through every area. */
    for (const struct area *const *a = r->app->areas; a && *a; a++)
        if ((*a)->community_purge && (*a)->community_purge(w, community_id) != 0)
            return wr_from_error(w);
    return community_delete(w, community_id);
}
