/* Interest clubs: proposed by a member from an interest that others share;
 * the matched people are invited; a club has its page and can be closed. */
#include "areas/community/community.h"
#include "areas/talent/internal.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"

#include <string.h>

enum { CLUB_NAME_MAX = 120, CLUB_DESC_MAX = 2000, CLUB_PLACE_MAX = 200 };

int talent_club_kind(const char *kind)
{
    return str_eq(kind, "hobby") || str_eq(kind, "need");
}

static const char *club_url(struct req *r, int64_t id)
{
    return talent_url(r, arena_printf(r->arena, "/talents/clubs/%lld", (long long)id));
}

static void club_post(struct req *r)
{
    json_t *e = talent_path_entry(r);
    if (!e) return;
    struct form f;
    form_init(&f, r);
    const char *name = form_text(&f, "club_name", 1, CLUB_NAME_MAX);
    const char *desc = form_text(&f, "club_description", 0, CLUB_DESC_MAX);
    const char *when = form_text(&f, "club_when", 0, CLUB_PLACE_MAX);
    const char *where = form_text(&f, "club_where", 0, CLUB_PLACE_MAX);
    if (!talent_is_owner(r, e) || !talent_club_kind(json_string_value(json_object_get(e, "kind"))))
        form_error(&f, "club_name", "talent.error.club_from_entry");
    json_t *matches = form_ok(&f) ? talent_matches(r, e, 20) : json_array();
    if (form_ok(&f) && json_array_size(matches) == 0)
        form_error(&f, "club_name", "talent.error.club_nobody");
    if (!form_ok(&f)) {
        json_decref(matches);
        json_t *v = talent_base_view(r, "talent.entry.title");
        talent_decorate(r, e);
        json_object_set_new(v, "entry", e);
        json_object_set_new(v, "can_edit", json_true());
        render_invalid(r, "talent/entry", v, &f);
        return;
    }
    form_release(&f);
    int64_t entry_id = json_integer_value(json_object_get(e, "id"));
    json_decref(e);
    struct dbc *w = req_write_begin(r);
    int64_t id =
        w ? talent_club_create(w, r->comm->id, entry_id, r->acct->id, name, desc, when, where) : -1;
    size_t i;
    json_t *m;
    json_array_foreach(matches, i, m)
    {
        int64_t who = id > 0 ? member_account_id(w, r->comm->id,
                                                 json_string_value(json_object_get(m, "handle")))
                             : 0;
        if (who && talent_club_invite(w, id, who, "invited") != 0) id = -1;
    }
    json_decref(matches);
    if (!w || req_write_end(r, id > 0) != 0 || id <= 0) {
        talent_busy(r);
        return;
    }
    render_redirect(r, club_url(r, id), "flash.talent_club_created");
}

static void clubs_get(struct req *r)
{
    json_t *rows = talent_club_list(req_db(r), r->comm->id, r->acct->id);
    json_t *v = talent_base_view(r, "talent.clubs.title");
    json_object_set_new(v, "clubs", rows ? rows : json_array());
    render_page(r, 200, "talent/clubs", v);
}

static json_t *path_club(struct req *r)
{
    int64_t id = talent_path_id(r, "cid");
    json_t *k = id ? talent_club_get(req_db(r), r->comm->id, id, r->acct->id) : NULL;
    if (!k) talent_not_found(r);
    return k;
}

static void club_get(struct req *r)
{
    json_t *k = path_club(r);
    if (!k) return;
    const char *st = json_string_value(json_object_get(k, "my_status"));
    int closed = json_integer_value(json_object_get(k, "closed")) != 0;
    json_object_set_new(k, "mine", json_boolean(json_integer_value(json_object_get(k, "mine"))));
    json_object_set_new(k, "closed", json_boolean(closed));
    json_t *v = talent_base_view(r, "talent.clubs.title");
    json_object_set_new(v, "title", json_copy(json_object_get(k, "name")));
    json_object_set_new(v, "is_in", json_boolean(str_eq(st, "member")));
    json_object_set_new(v, "is_invited", json_boolean(str_eq(st, "invited")));
    json_object_set_new(v, "can_join", json_boolean(!closed && !str_eq(st, "member")));
    json_object_set_new(v, "can_close",
                        json_boolean(!closed && (json_is_true(json_object_get(k, "mine")) ||
                                                 r->comm->role == ROLE_ORGANIZER)));
    json_t *members = talent_club_members(req_db(r), json_integer_value(json_object_get(k, "id")));
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        const char *st2 = json_string_value(json_object_get(m, "status"));
        json_object_set_new(m, "invited", json_boolean(str_eq(st2, "invited")));
    }
    json_object_set_new(v, "members", members ? members : json_array());
    json_object_set_new(v, "club", k);
    render_page(r, 200, "talent/club", v);
}

static void club_action(struct req *r, int what)
{
    json_t *k = path_club(r);
    if (!k) return;
    int64_t id = json_integer_value(json_object_get(k, "id"));
    int closed = json_integer_value(json_object_get(k, "closed")) != 0;
    int mine = json_integer_value(json_object_get(k, "mine")) != 0;
    const char *st = json_string_value(json_object_get(k, "my_status"));
    int allowed = what == 0   ? !closed && !str_eq(st, "member")
                  : what == 1 ? st != NULL
                              : !closed && (mine || r->comm->role == ROLE_ORGANIZER);
    json_decref(k);
    if (!allowed) {
        render_error(r, what == 2 ? 403 : 409, "conflict", "talent.error.club_state");
        return;
    }
    struct dbc *w = req_write_begin(r);
    int rc = -1;
    if (w && what == 0)
        rc = talent_club_set_status(w, id, r->acct->id, "member") == 0
                 ? 0
                 : talent_club_invite(w, id, r->acct->id, "member");
    else if (w && what == 1)
        rc = talent_club_leave(w, id, r->acct->id);
    else if (w)
        rc = talent_club_close(w, r->comm->id, id);
    if (!w || req_write_end(r, rc == 0) != 0 || rc != 0) {
        talent_busy(r);
        return;
    }
    static const char *const FLASH[] = {"flash.talent_club_joined", "flash.talent_club_left",
                                        "flash.talent_club_closed"};
    render_redirect(r, club_url(r, id), FLASH[what]);
}

static void join_post(struct req *r)
{
    club_action(r, 0);
}

/* Leaving a club asks first, on a page that works without JavaScript. */
static void leave_get(struct req *r)
{
    const char *cid = req_path(r, "cid");
    json_t *v = json_pack("{ss ss ss ss}", "title", tr(r, "talent.club.leave"), "slug",
                          r->comm->slug, "community", r->comm->name, "cid", cid ? cid : "");
    render_page(r, 200, "talent/club_leave", v);
}

static void leave_post(struct req *r)
{
    club_action(r, 1);
}

static void close_post(struct req *r)
{
    club_action(r, 2);
}

static const char *const P_CLUB[] = {"club_name", "club_description", "club_when", "club_where",
                                     NULL};

const struct route talent_club_routes[] = {
    {"GET", "/c/{slug}/talents/clubs", CAP_C_MEMBER, 0, NULL, clubs_get, NULL},
    {"POST", "/c/{slug}/talents/{id:int}/club", CAP_C_MEMBER, 0, P_CLUB, club_post, NULL},
    {"GET", "/c/{slug}/talents/clubs/{cid:int}", CAP_C_MEMBER, 0, NULL, club_get, NULL},
    {"POST", "/c/{slug}/talents/clubs/{cid:int}/join", CAP_C_MEMBER, 0, NULL, join_post, NULL},
    {"GET", "/c/{slug}/talents/clubs/{cid:int}/leave", CAP_C_MEMBER, 0, NULL, leave_get, NULL},
    {"POST", "/c/{slug}/talents/clubs/{cid:int}/leave", CAP_C_MEMBER, 0, NULL, leave_post, NULL},
    {"POST", "/c/{slug}/talents/clubs/{cid:int}/close", CAP_C_MEMBER, 0, NULL, close_post, NULL},
    {0},
};
