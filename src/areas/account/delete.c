/* Deleting one's own account (issue 13): the page says what goes, what
 * stays in the communities signed by nobody, and what stops it; the
 * password, typed again, and a box ticked, delete it.
 *
 * The password is asked because a session left open on a shared computer
 * must not be enough to erase a person; the box because the act cannot be
 * undone. A person who alone organizes a community is sent to hand the
 * role over first (the page names the communities): a community without
 * an organizer cannot admit, decide or be deleted by anyone. */
#include "areas/account/account.h"
#include "areas/community/community.h"
#include "core/app.h"
#include "core/auth.h"
#include "core/form.h"
#include "core/keyring.h"
#include "core/render.h"
#include "core/util.h"

#include <stdlib.h>

static const struct field FORM_DELETE[] = {
    {"password", F_PASSWORD, 1, 0, 4 * PASSWORD_MAX, NULL, NULL},
    {"understood", F_CHECK, 0, 0, 0, NULL, NULL}, /* must be ticked: delete_post */
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* The page's view: what would stop the deletion, if anything. */
static json_t *delete_view(struct req *r)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "delete.title")));
    json_t *sole = member_sole_organizer_of(req_db(r), r->acct->id, ring_viewer_member_ids(r),
                                            ring_viewer_addresses(r));
    json_object_set_new(v, "sole_organizer", sole ? sole : json_array());
    int last_admin = account_is_last_admin(req_db(r), r->acct->id);
    json_object_set_new(v, "last_admin", json_boolean(last_admin));
    json_object_set_new(v, "blocked",
                        json_boolean(last_admin || (sole && json_array_size(sole) > 0)));
    return v;
}

static void delete_get(struct req *r)
{
    json_t *v = delete_view(r);
    struct form f;
    form_fill(&f, r, FORM_DELETE, NULL);
    render_form(r, 200, "account/delete", v, &f);
}

static void delete_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_DELETE);
    if (!form_num(&f, "understood", 0)) form_error(&f, "understood", "delete.understood_missing");
    if (!form_ok(&f)) {
        render_invalid(r, "account/delete", delete_view(r), &f);
        return;
    }
    const char *hash = NULL;
    int right = account_password_recheck(r, &f, form_str(&f, "password"), &hash);
    if (right < 0) return;
    if (!right) {
        render_invalid(r, "account/delete", delete_view(r), &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    /* The secret communities too, from the keyring this session opens. */
    enum wr rc = w ? account_delete(w, r->acct->id, hash, ring_viewer_member_ids(r)) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) != 0) return;
    req_set_cookie(r, "hr_session", "", 0);
    render_redirect(r, "/", "flash.account_deleted");
}

const struct route delete_routes[] = {
    {"GET", "/account/delete", CAP_USER, 0, NULL, delete_get, NULL},
    {"POST", "/account/delete", CAP_USER, 0, NULL, delete_post, FORM_DELETE},
    {0},
};
