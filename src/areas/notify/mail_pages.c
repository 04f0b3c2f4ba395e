/* The person's e-mail address (/inbox/mail; notify.h, "e-mail"): given,
 * changed or removed, and the choice of fuller mails. The instance's scope,
 * signed in: the address is the person's, not a member's, and is used only
 * for their public and closed communities (mail.c). */
#include "areas/notify/notify.h"
#include "core/app.h"
#include "core/form.h"
#include "core/jobs.h"
#include "core/mail.h"
#include "core/render.h"
#include "core/util.h"

#include <string.h>

static const struct field FORM_MAIL[] = {
    {"address", F_TEXT, 1, 0, 254, NULL, NULL},
    {"fuller", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void mail_page(struct req *r, int status, struct form *f, int stored)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "notify.mail.title")));
    json_object_set_new(v, "stored", json_boolean(stored));
    json_object_set_new(v, "fuller_on", json_boolean(form_given(f, "fuller")));
    render_form(r, status, "notify/mail", v, f);
}

static void mail_get(struct req *r)
{
    json_t *row = req_own(r, mail_address_of(req_db(r), r->acct->id));
    struct form f;
    json_t *stored = req_own(r, json_object());
    if (row) {
        json_object_set(stored, "address", json_object_get(row, "address"));
        json_object_set(stored, "fuller", json_object_get(row, "fuller"));
    }
    form_fill(&f, r, FORM_MAIL, stored);
    mail_page(r, 200, &f, row != NULL);
}

static void mail_post(struct req *r)
{
    struct form f;
    int ok = form_read(&f, r, FORM_MAIL);
    if (ok && !mail_address_valid(form_str(&f, "address")))
        form_error(&f, "address", "notify.mail.invalid");
    if (!form_ok(&f)) {
        json_t *row = req_own(r, mail_address_of(req_db(r), r->acct->id));
        mail_page(r, 422, &f, row != NULL);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? mail_address_set(w, r->acct->id, form_str(&f, "address"),
                                      form_num(&f, "fuller", 0) != 0)
                   : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, "/inbox/mail", "flash.saved");
}

static void mail_remove_post(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? mail_address_remove(w, r->acct->id) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, "/inbox/mail", "flash.notify_mail_removed");
}

/* ---- the administrator's view of the mail (/admin/mail) ----
 *
 * Counts only, by state: no address, no account, no community. A mail cut
 * off after its final dot (uncertain) is counted here: it is never sent
 * again, and its notices stay in the person's inbox. */
static const char *const MAIL_STATES[] = {"ready", "running", "sending",
                                          "done",  "failed",  "uncertain"};

static void mail_admin_get(struct req *r)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, "notify.mail.admin.title")));
    json_t *st = req_own(r, jobs_states(req_db(r), "mail.send"));
    json_t *counts = json_object();
    for (size_t i = 0; i < sizeof MAIL_STATES / sizeof *MAIL_STATES; i++)
        json_object_set_new(counts, MAIL_STATES[i],
                            json_integer(json_integer_value(json_object_get(st, MAIL_STATES[i]))));
    json_object_set_new(v, "mail", counts);
    render_page(r, 200, "notify/mail_admin", v);
}

const struct route notify_mail_routes[] = {
    {"GET", "/admin/mail", CAP_ADMIN, 0, NULL, mail_admin_get, NULL},
    {"GET", "/inbox/mail", CAP_USER, 0, NULL, mail_get, NULL},
    {"POST", "/inbox/mail", CAP_USER, 0, NULL, mail_post, FORM_MAIL},
    {"POST", "/inbox/mail/remove", CAP_USER, 0, NULL, mail_remove_post, NULL},
    {0},
};
