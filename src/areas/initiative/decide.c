/* Supports, comments, the organizers' decisions and the area's settings:
 * every POST is form -> req_write_begin -> the model -> req_commit ->
 * redirect, and req_commit answers 404 (gone), 409 (the state the write
 * needs is not there, with the model's reason) or 422. */
#include "areas/initiative/funds.h"
#include "areas/initiative/internal.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

const struct field INI_FORM_COMMENT[] = {
    {"body", F_TEXT, 1, 0, INITIATIVE_COMMENT_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field INI_FORM_REASON[] = {
    {"reason", F_TEXT, 1, 0, INITIATIVE_REASON_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field INI_FORM_MERGE[] = {
    {"target", F_REF, 1, 0, 0, NULL, NULL},
    {"reason", F_TEXT, 0, 0, INITIATIVE_REASON_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field INI_FORM_SETTINGS[] = {
    {"threshold", F_INT, 1, 1, INITIATIVE_THRESHOLD_MAX, NULL, NULL},
    /* absent: kept as it is (a client that sends the threshold alone) */
    {"currency", F_CHOICE, 0, 0, 0, initiative_currencies, "initiative.currency."},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static int64_t path_id(struct req *r)
{
    return req_path_int(r, "id");
}

/* ---- supports ---- */

static void support_write(struct req *r, enum wr (*fn)(struct dbc *, int64_t, int64_t, int64_t),
                          const char *flash)
{
    int64_t id = path_id(r);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? fn(w, r->comm->id, id, r->comm->member_id) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, ini_page_url(r, id), flash);
}

void ini_support_post(struct req *r)
{
    support_write(r, initiative_support, "flash.initiative_supported");
}

void ini_withdraw_post(struct req *r)
{
    support_write(r, initiative_withdraw, "flash.initiative_withdrawn");
}

/* ---- comments ---- */

void ini_comment_post(struct req *r)
{
    int64_t id = path_id(r);
    struct form f;
    if (!form_read(&f, r, INI_FORM_COMMENT)) {
        ini_page_render(r, 422, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? initiative_comment_add(w, r->comm->id, id, r->comm->member_id,
                                            form_str(&f, "body"), NULL)
                   : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, arena_printf(r->arena, "%s#comments", ini_page_url(r, id)),
                        "flash.initiative_commented");
}

/* The page of a form that asks an organizer for a reason (hiding a
 * comment, declining) or a target (merging): what it is about, the form. */
static void reason_page(struct req *r, int status, struct form *f, const char *title_key,
                        const char *hint_key, const char *what, const char *action,
                        const char *button_key)
{
    json_t *v = ini_base_view(r, title_key);
    json_object_set_new(v, "hint", json_string(tr(r, hint_key)));
    if (what) json_object_set_new(v, "what", json_string(what));
    json_object_set_new(v, "action", json_string(action));
    json_object_set_new(v, "button", json_string(tr(r, button_key)));
    json_object_set_new(v, "back", json_string(ini_page_url(r, path_id(r))));
    render_form(r, status, "initiative/reason", v, f);
}

static const char *hide_url(struct req *r)
{
    return arena_printf(r->arena, "%s/comments/%lld/hide", ini_page_url(r, path_id(r)),
                        (long long)req_path_int(r, "comment"));
}

void ini_hide_get(struct req *r)
{
    int hidden = 0;
    if (initiative_comment_state(req_db(r), r->comm->id, path_id(r), req_path_int(r, "comment"),
                                 &hidden) != 0) {
        ini_not_found(r);
        return;
    }
    if (hidden) {
        render_error(r, 409, "conflict", "initiative.error.hidden_already");
        return;
    }
    struct form f;
    form_fill(&f, r, INI_FORM_REASON, req_own(r, json_object()));
    reason_page(r, 200, &f, "initiative.hide", "initiative.hide.hint", NULL, hide_url(r),
                "initiative.hide.submit");
}

void ini_hide_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, INI_FORM_REASON)) {
        reason_page(r, 422, &f, "initiative.hide", "initiative.hide.hint", NULL, hide_url(r),
                    "initiative.hide.submit");
        return;
    }
    int64_t id = path_id(r);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? initiative_comment_hide(w, r->comm->id, id, req_path_int(r, "comment"),
                                             r->comm->member_id, form_str(&f, "reason"))
                   : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, arena_printf(r->arena, "%s#comments", ini_page_url(r, id)),
                        "flash.initiative_hidden");
}

/* ---- decisions ---- */

/* The initiative of the path for a decision's page: 0, or -1 answered
 * (404 gone, 409 decided already). */
static int decidable(struct req *r, struct initiative *x)
{
    if (initiative_find(req_db(r), r->arena, r->comm->id, path_id(r), x) != 0) {
        ini_not_found(r);
        return -1;
    }
    if (!initiative_allows(x->state, INITIATIVE_DECIDE)) {
        render_error(r, 409, "conflict", "initiative.error.decided");
        return -1;
    }
    return 0;
}

void ini_accept_post(struct req *r)
{
    int64_t id = path_id(r);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? initiative_accept(w, r->comm->id, id, r->comm->member_id) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, ini_page_url(r, id), "flash.initiative_accepted");
}

static const char *decline_url(struct req *r)
{
    return arena_printf(r->arena, "%s/decline", ini_page_url(r, path_id(r)));
}

void ini_decline_get(struct req *r)
{
    struct initiative x;
    if (decidable(r, &x) != 0) return;
    struct form f;
    form_fill(&f, r, INI_FORM_REASON, req_own(r, json_object()));
    reason_page(r, 200, &f, "initiative.decline", "initiative.decline.hint", x.title,
                decline_url(r), "initiative.decline.submit");
}

void ini_decline_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, INI_FORM_REASON)) {
        struct initiative x;
        int found = initiative_find(req_db(r), r->arena, r->comm->id, path_id(r), &x) == 0;
        reason_page(r, 422, &f, "initiative.decline", "initiative.decline.hint",
                    found ? x.title : NULL, decline_url(r), "initiative.decline.submit");
        return;
    }
    int64_t id = path_id(r);
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? initiative_decline(w, r->comm->id, id, r->comm->member_id, form_str(&f, "reason"))
          : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, ini_page_url(r, id), "flash.initiative_declined");
}

static void merge_page(struct req *r, int status, struct form *f, const char *title,
                       json_t *targets)
{
    json_t *v = ini_base_view(r, "initiative.merge");
    if (title) json_object_set_new(v, "what", json_string(title));
    json_object_set_new(
        v, "action", json_string(arena_printf(r->arena, "%s/merge", ini_page_url(r, path_id(r)))));
    json_object_set_new(v, "back", json_string(ini_page_url(r, path_id(r))));
    json_object_set_new(v, "has_targets", json_boolean(json_array_size(targets) > 0));
    form_options(f, "target", targets, "id", "title", "initiative.merge.choose");
    render_form(r, status, "initiative/merge", v, f);
}

static json_t *targets_of(struct req *r)
{
    json_t *t = initiative_merge_targets(req_db(r), r->comm->id, path_id(r));
    return req_own(r, t ? t : json_array());
}

void ini_merge_get(struct req *r)
{
    struct initiative x;
    if (decidable(r, &x) != 0) return;
    struct form f;
    form_fill(&f, r, INI_FORM_MERGE, req_own(r, json_object()));
    merge_page(r, 200, &f, x.title, targets_of(r));
}

void ini_merge_post(struct req *r)
{
    struct form f;
    form_read(&f, r, INI_FORM_MERGE);
    json_t *targets = targets_of(r);
    int64_t target = form_num(&f, "target", 0);
    if (target && !json_object_get(f.errors, "target")) {
        int found = 0;
        size_t i;
        json_t *row;
        json_array_foreach(targets, i, row)
        {
            found |= json_integer_value(json_object_get(row, "id")) == target;
        }
        if (!found) form_error(&f, "target", "error.bad_choice");
    }
    if (!form_ok(&f)) {
        struct initiative x;
        int ok = initiative_find(req_db(r), r->arena, r->comm->id, path_id(r), &x) == 0;
        merge_page(r, 422, &f, ok ? x.title : NULL, targets);
        return;
    }
    int64_t id = path_id(r);
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? initiative_merge(w, r->comm->id, id, target, r->comm->member_id, form_str(&f, "reason"))
          : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, ini_page_url(r, target), "flash.initiative_merged");
}

/* ---- settings ---- */

static void settings_page(struct req *r, int status, struct form *f)
{
    json_t *v = ini_base_view(r, "initiative.settings");
    json_object_set_new(v, "default_threshold", json_integer(INITIATIVE_THRESHOLD_DEFAULT));
    render_form(r, status, "initiative/settings", v, f);
}

void ini_settings_get(struct req *r)
{
    char *cur = initiative_currency(req_db(r), r->comm->id);
    json_t *stored = req_own(r, json_pack("{sI ss}", "threshold",
                                          (json_int_t)initiative_threshold(req_db(r), r->comm->id),
                                          "currency", cur ? cur : "RUB"));
    free(cur);
    struct form f;
    form_fill(&f, r, INI_FORM_SETTINGS, stored);
    settings_page(r, 200, &f);
}

void ini_settings_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, INI_FORM_SETTINGS)) {
        settings_page(r, 422, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? initiative_threshold_set(w, r->comm->id, form_num(&f, "threshold", 0)) : WR_BUSY;
    if (rc == WR_OK && !str_empty(form_str(&f, "currency")))
        rc = initiative_currency_set(w, r->comm->id, form_str(&f, "currency"));
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, ini_url(r, ""), "flash.saved");
}
