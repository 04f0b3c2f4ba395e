/* The account page's sessions: each with the day it began and the day it
 * was last used, a name the person gives it, "this one" marked; ending one
 * or every other. Nothing about where or on what a session runs is known:
 * no address and no user agent is stored (docs/threat-model.md). */
#include "areas/account/account.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"

/* What the list shows of each session: its row number (to name it in a
 * form), never its token's hash. */
static const struct vfield SESSION_FIELDS[] = {
    {"id", CAP_USER},   {"created", CAP_USER},  {"last_used", CAP_USER},
    {"name", CAP_USER}, {"this_one", CAP_USER}, {NULL, 0},
};

static const struct field FORM_SESSION_NAME[] = {
    {"name", F_TEXT, 0, 0, SESSION_NAME_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

void sessions_to_view(struct req *r, json_t *v)
{
    struct vmask m = view_mask(r, SESSION_FIELDS);
    json_t *list = session_list(req_db(r), &m, r->acct->id, r->acct->session_hash);
    json_object_set_new(v, "sessions", list ? list : json_array());
}

static void session_name_post(struct req *r)
{
    struct form f;
    if (!render_form_read(&f, r, FORM_SESSION_NAME, "error.invalid")) return;
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? session_rename(w, r->acct->id, req_path_int(r, "id"), form_str(&f, "name")) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, "/account#sessions", "flash.saved");
}

static void session_end_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? session_end(w, r->acct->id, req_path_int(r, "id")) : WR_BUSY;
    if (req_commit(r, rc, NULL) != 0) return;
    /* this session itself ended: the browser is signed out */
    if (!session_account_live(req_db(r), r->acct->session_hash)) {
        req_set_cookie(r, "hr_session", "", 0);
        render_redirect(r, "/", "flash.signed_out");
        return;
    }
    render_redirect(r, "/account#sessions", "flash.session_ended");
}

static void sessions_end_others_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? session_end_others(w, r->acct->id, r->acct->session_hash) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, "/account#sessions", "flash.sessions_ended");
}

const struct route session_routes[] = {
    {"POST", "/account/sessions/others/end", CAP_USER, 0, NULL, sessions_end_others_post, NULL},
    {"POST", "/account/sessions/{id:int}", CAP_USER, 0, NULL, session_name_post, FORM_SESSION_NAME},
    {"POST", "/account/sessions/{id:int}/end", CAP_USER, 0, NULL, session_end_post, NULL},
    {0},
};
