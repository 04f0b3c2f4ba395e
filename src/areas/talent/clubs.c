/* Interest clubs: proposed by a member from an interest that others share;
 * the matched people are invited; a club has its page and can be closed. */
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

static const struct field FORM_CLUB[] = {
    {"club_name", F_TEXT, 1, 0, CLUB_NAME_MAX, NULL, NULL},
    {"club_description", F_TEXT, 0, 0, CLUB_DESC_MAX, NULL, NULL},
    {"club_when", F_TEXT, 0, 0, CLUB_PLACE_MAX, NULL, NULL},
    {"club_where", F_TEXT, 0, 0, CLUB_PLACE_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* The club and its invitations in one transaction: the club, its founder
 * as a member, the owner of each matched entry invited (a member: their
 * entries go when they leave). */
static enum wr club_write(struct req *r, struct dbc *w, int64_t entry_id,
                          const struct talent_club *k, json_t *matches, int64_t *id)
{
    enum wr rc = talent_club_create(w, r->comm->id, entry_id, r->comm->member_id, k, id);
    size_t i;
    json_t *m;
    json_array_foreach(matches, i, m)
    {
        if (rc != WR_OK) break;
        rc = talent_club_invite_owner(w, *id, json_integer_value(json_object_get(m, "id")));
    }
    return rc;
}

static void club_post(struct req *r)
{
    struct talent_row row;
    json_t *e;
    if (talent_path_entry(r, &row, &e) != 0) return;
    struct form f;
    form_read(&f, r, FORM_CLUB);
    if (!talent_is_owner(r, &row) || !talent_club_kind(row.kind))
        form_error(&f, "club_name", "talent.error.club_from_entry");
    json_t *matches = req_own(r, form_ok(&f) ? talent_matches(r, &row, 20) : json_array());
    if (form_ok(&f) && json_array_size(matches) == 0)
        form_error(&f, "club_name", "talent.error.club_nobody");
    if (!form_ok(&f)) {
        json_t *v = talent_base_view(r, "talent.entry.title");
        talent_decorate(r, e);
        json_object_set(v, "entry", e);
        json_object_set_new(v, "can_edit", json_true());
        render_invalid(r, "talent/entry", v, &f);
        return;
    }
    struct talent_club k = {form_str(&f, "club_name"), form_str(&f, "club_description"),
                            form_str(&f, "club_when"), form_str(&f, "club_where")};
    int64_t entry_id = row.id, id = 0;
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? club_write(r, w, entry_id, &k, matches, &id) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, club_url(r, id), "flash.talent_club_created");
}

static const struct vfield CLUB_FIELDS[] = {
    {"id", CAP_ANY},
    {"name", CAP_ANY},
    {"description", CAP_ANY},
    {"meets_when", CAP_ANY},
    {"meets_where", CAP_ANY},
    {"closed", CAP_ANY},
    {"created", CAP_ANY},
    {"mine", CAP_ANY},
    {"creator_name", CAP_ANY},
    {"creator_former", CAP_ANY},
    {"my_status", CAP_ANY},
    {"members", CAP_ANY},
    {NULL, 0},
};
static const struct vfield CLUB_MEMBER_FIELDS[] = {
    {"display_name", CAP_ANY}, {"status", CAP_ANY}, {NULL, 0}};

static void clubs_get(struct req *r)
{
    struct vmask m = view_mask(r, CLUB_FIELDS);
    json_t *rows = talent_club_list(req_db(r), &m, r->comm->id, r->comm->member_id);
    json_t *v = talent_base_view(r, "talent.clubs.title");
    json_object_set_new(v, "clubs", rows ? rows : json_array());
    render_page(r, 200, "talent/clubs", v);
}

static json_t *path_club(struct req *r)
{
    int64_t id = talent_path_id(r, "cid");
    struct vmask m = view_mask(r, CLUB_FIELDS);
    json_t *k = id ? talent_club_get(req_db(r), &m, r->comm->id, id, r->comm->member_id) : NULL;
    if (!k) talent_not_found(r);
    return k ? req_own(r, k) : NULL;
}

static void club_get(struct req *r)
{
    json_t *k = path_club(r);
    if (!k) return;
    const char *st = json_string_value(json_object_get(k, "my_status"));
    int closed = json_integer_value(json_object_get(k, "closed")) != 0;
    json_object_set_new(k, "mine", json_boolean(json_integer_value(json_object_get(k, "mine"))));
    json_object_set_new(k, "closed", json_boolean(closed));
    json_object_set_new(k, "creator_former",
                        json_boolean(json_integer_value(json_object_get(k, "creator_former"))));
    json_t *v = talent_base_view(r, "talent.clubs.title");
    json_object_set_new(v, "title", json_copy(json_object_get(k, "name")));
    json_object_set_new(v, "is_in", json_boolean(str_eq(st, "member")));
    json_object_set_new(v, "is_invited", json_boolean(str_eq(st, "invited")));
    json_object_set_new(v, "can_join", json_boolean(!closed && !str_eq(st, "member")));
    json_object_set_new(v, "can_close",
                        json_boolean(!closed && (json_is_true(json_object_get(k, "mine")) ||
                                                 req_has(r, CAP_C_ORGANIZE))));
    struct vmask mm = view_mask(r, CLUB_MEMBER_FIELDS);
    json_t *members =
        talent_club_members(req_db(r), &mm, json_integer_value(json_object_get(k, "id")));
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        const char *st2 = json_string_value(json_object_get(m, "status"));
        json_object_set_new(m, "invited", json_boolean(str_eq(st2, "invited")));
    }
    json_object_set_new(v, "members", members ? members : json_array());
    json_object_set(v, "club", k);
    render_page(r, 200, "talent/club", v);
}

/* The viewer joins or leaves the club of the path: write is
 * talent_club_join or _leave, flash what the club's page then says. */
static void membership_post(struct req *r,
                            enum wr (*write)(struct dbc *, int64_t, int64_t, int64_t),
                            const char *flash)
{
    int64_t id = talent_path_id(r, "cid");
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? write(w, r->comm->id, id, r->comm->member_id) : WR_BUSY;
    if (req_commit(r, rc, "talent.error.club_state") == 0)
        render_redirect(r, club_url(r, id), flash);
}

static void join_post(struct req *r)
{
    membership_post(r, talent_club_join, "flash.talent_club_joined");
}

/* Leaving a club asks first, on a page that works without JavaScript. */
static void leave_get(struct req *r)
{
    int64_t id = talent_path_id(r, "cid");
    struct confirm c = {.title = tr(r, "talent.club.leave"),
                        .what = NULL,
                        .loss = tr(r, "talent.club.leave.loss"),
                        .back = club_url(r, id),
                        .back_label = tr(r, "talent.clubs.title"),
                        .button = tr(r, "talent.club.leave"),
                        .final = 0};
    render_confirm(r, &c);
}

static void leave_post(struct req *r)
{
    membership_post(r, talent_club_leave, "flash.talent_club_left");
}

/* Its founder or an organizer closes a club: another member is refused
 * (403) before anything is written, and the write asks again. */
static void close_post(struct req *r)
{
    json_t *k = path_club(r);
    if (!k) return;
    int organizer = req_has(r, CAP_C_ORGANIZE);
    if (!organizer && json_integer_value(json_object_get(k, "mine")) == 0) {
        render_error(r, 403, "conflict", "talent.error.club_state");
        return;
    }
    int64_t id = talent_path_id(r, "cid");
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? talent_club_close(w, r->comm->id, id, r->comm->member_id, organizer) : WR_BUSY;
    if (req_commit(r, rc, "talent.error.club_state") == 0)
        render_redirect(r, club_url(r, id), "flash.talent_club_closed");
}

const struct route talent_club_routes[] = {
    {"GET", "/c/{slug}/talents/clubs", CAP_C_MEMBER, 0, NULL, clubs_get, NULL},
    {"POST", "/c/{slug}/talents/{id:int}/club", CAP_C_MEMBER, 0, NULL, club_post, FORM_CLUB},
    {"GET", "/c/{slug}/talents/clubs/{cid:int}", CAP_C_MEMBER, 0, NULL, club_get, NULL},
    {"POST", "/c/{slug}/talents/clubs/{cid:int}/join", CAP_C_MEMBER, 0, NULL, join_post, NULL},
    {"GET", "/c/{slug}/talents/clubs/{cid:int}/leave", CAP_C_MEMBER, 0, NULL, leave_get, NULL},
    {"POST", "/c/{slug}/talents/clubs/{cid:int}/leave", CAP_C_MEMBER, 0, NULL, leave_post, NULL},
    {"POST", "/c/{slug}/talents/clubs/{cid:int}/close", CAP_C_MEMBER, 0, NULL, close_post, NULL},
    {0},
};
