/* Each member's own values and goals, and the shared values with their
 * votes: proposed, voted on, ended early, edited and deleted. */
#include "areas/strategy/internal.h"
#include "areas/community/community.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"

#include <stdlib.h>
#include <string.h>

static const char *const KINDS[] = {"value", "goal", NULL};
static const char *const SHARING[] = {"private", "organizers", "members", NULL};
static const char *const VOTES[] = {"yes", "no", NULL};

enum { VALUE_TITLE_MAX = 120, VALUE_DESC_MAX = 2000, REASON_MAX = 300, MAX_ROOTS = 50 };

const struct field FORM_MINE[] = {
    {"kind", F_CHOICE, 1, 0, 0, KINDS, "strategy.kind."},
    {"text", F_TEXT, 1, 0, STRATEGY_TEXT_MAX, NULL, NULL},
    {"shared_with", F_CHOICE, 0, 0, 0, SHARING, "strategy.share."},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
/* One form proposes a value and edits it before the vote; the roots
 * (repeated checkboxes, only on the proposal) are the route's params. */
const struct field FORM_VALUE[] = {
    {"title", F_TEXT, 1, 0, VALUE_TITLE_MAX, NULL, NULL},
    {"description", F_TEXT, 0, 0, VALUE_DESC_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field FORM_VOTE[] = {
    {"vote", F_CHOICE, 1, 0, 0, VOTES, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
const struct field FORM_CLOSE[] = {
    {"reason", F_TEXT, 1, 0, REASON_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static const struct vfield MINE_FIELDS[] = {
    {"id", CAP_ANY}, {"kind", CAP_ANY}, {"text", CAP_ANY}, {"shared_with", CAP_ANY}, {NULL, 0}};
static const struct vfield SHARED_FIELDS[] = {{"id", CAP_ANY},          {"kind", CAP_ANY},
                                              {"text", CAP_ANY},        {"shared_with", CAP_ANY},
                                              {"author", CAP_C_MEMBER}, {NULL, 0}};

/* ---- personal values and goals ---- */

static json_t *mine_view(struct req *r)
{
    json_t *v = s_base_view(r, "strategy.mine.title");
    struct vmask mm = view_mask(r, MINE_FIELDS), sm = view_mask(r, SHARED_FIELDS);
    json_t *mine = personal_list_mine(req_db(r), &mm, r->comm->id, r->comm->member_id);
    size_t i;
    json_t *p;
    json_array_foreach(mine, i, p)
    {
        s_label(r, p, "shared_with", "strategy.share.", "shared_label");
        json_object_set_new(
            p, "is_value",
            json_boolean(str_eq(json_string_value(json_object_get(p, "kind")), "value")));
    }
    json_object_set_new(v, "mine", mine ? mine : json_array());
    json_t *others = personal_list_shared(req_db(r), &sm, r->comm->id, r->comm->member_id,
                                          req_has(r, CAP_C_STAFF));
    json_object_set_new(v, "others", others ? others : json_array());
    /* The choices show what was sent (a re-shown form) or the defaults. */
    json_t *kinds = community_labels(r, KINDS, "strategy.kind", NULL),
           *sharing = community_labels(r, SHARING, "strategy.share", NULL);
    const char *k = req_param(r, "kind"), *sw = req_param(r, "shared_with");
    if (form_choice_index(KINDS, k) < 0) k = "value";
    if (form_choice_index(SHARING, sw) < 0) sw = "private";
    json_t *o;
    json_array_foreach(kinds, i, o)
    {
        json_object_set_new(o, "sel",
                            json_boolean(str_eq(json_string_value(json_object_get(o, "key")), k)));
    }
    json_array_foreach(sharing, i, o)
    {
        json_object_set_new(o, "sel",
                            json_boolean(str_eq(json_string_value(json_object_get(o, "key")), sw)));
    }
    json_object_set_new(v, "kinds", kinds);
    json_object_set_new(v, "sharing", sharing);
    return v;
}

void st_mine_get(struct req *r)
{
    json_t *v = mine_view(r);
    json_object_set_new(v, "form", json_pack("{ss ss}", "kind", "value", "shared_with", "private"));
    render_page(r, 200, "strategy/mine", v);
}

void st_mine_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, FORM_MINE)) {
        render_invalid(r, "strategy/mine", mine_view(r), &f);
        return;
    }
    const char *sw = form_str(&f, "shared_with");
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? personal_create(w, r->comm->id, r->comm->member_id, form_str(&f, "kind"),
                                     form_str(&f, "text"), sw ? sw : "private")
                   : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, s_url(r, "/mine"), "flash.strategy_saved");
}

void st_mine_delete_get(struct req *r)
{
    struct personal p;
    if (!s_found(r, personal_find(req_db(r), r->arena, r->comm->id, r->comm->member_id,
                                  s_path_id(r), &p)))
        return;
    const char *loss = p.roots ? s_plural(r, "strategy.loss.personal_roots", p.roots)
                               : tr(r, "strategy.loss.personal_alone");
    s_confirm(r, "strategy.confirm.personal", p.text, loss, s_url(r, "/mine"));
}

void st_mine_delete(struct req *r)
{
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? personal_delete(w, r->comm->id, r->comm->member_id, s_path_id(r)) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, s_url(r, "/mine"), "flash.strategy_deleted");
}

/* ---- shared values ---- */

static json_t *values_view(struct req *r)
{
    json_t *v = s_base_view(r, "strategy.values.title");
    json_object_set(v, "values", s_values(r, NULL));
    struct strategy_settings s;
    strategy_settings_get(req_db(r), r->comm->id, &s);
    json_object_set_new(v, "settings",
                        json_pack("{sI sI sI}", "vote_days", (json_int_t)s.vote_days,
                                  "majority_pct", (json_int_t)s.majority_pct, "quorum_pct",
                                  (json_int_t)s.quorum_pct));
    json_object_set_new(v, "members_count",
                        json_integer(community_member_count(req_db(r), r->comm->id)));
    if (req_has(r, CAP_C_MEMBER)) {
        /* What a proposal may grow from: the viewer's own values and those
         * others shared. */
        struct vmask mm = view_mask(r, MINE_FIELDS), sm = view_mask(r, SHARED_FIELDS);
        json_t *roots = json_array();
        json_t *lists[2] = {personal_list_mine(req_db(r), &mm, r->comm->id, r->comm->member_id),
                            personal_list_shared(req_db(r), &sm, r->comm->id, r->comm->member_id,
                                                 req_has(r, CAP_C_STAFF))};
        for (int l = 0; l < 2; l++) {
            size_t i;
            json_t *p;
            json_array_foreach(lists[l], i, p)
            {
                if (!str_eq(json_string_value(json_object_get(p, "kind")), "value")) continue;
                json_object_set_new(p, "mine", json_boolean(l == 0));
                json_array_append(roots, p);
            }
            json_decref(lists[l]);
        }
        json_object_set_new(v, "roots", roots);
    }
    return v;
}

void st_values_get(struct req *r)
{
    render_page(r, 200, "strategy/values", values_view(r));
}

void st_values_post(struct req *r)
{
    struct form f;
    form_read(&f, r, FORM_VALUE);
    const char *raw[MAX_ROOTS];
    int64_t roots[MAX_ROOTS];
    int n = req_param_all(r, "roots", raw, MAX_ROOTS), nroots = 0;
    for (int i = 0; i < n; i++) {
        int64_t id;
        if (str_empty(raw[i])) continue;
        if (str_to_i64(raw[i], &id) != 0 ||
            !personal_linkable(req_db(r), r->comm->id, r->comm->member_id, req_has(r, CAP_C_STAFF),
                               id)) {
            form_error(&f, "roots", "strategy.error.root");
            break;
        }
        roots[nroots++] = id;
    }
    if (!form_ok(&f)) {
        render_invalid(r, "strategy/values", values_view(r), &f);
        return;
    }
    struct strategy_settings s;
    strategy_settings_get(req_db(r), r->comm->id, &s);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? value_create(w, r->comm->id, r->comm->member_id, req_has(r, CAP_C_STAFF),
                                  form_str(&f, "title"), form_str(&f, "description"),
                                  now_s() + s.vote_days * 86400, roots, nroots)
                   : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, s_url(r, "/values"), "flash.strategy_proposed");
}

/* A member's vote. Still open (before its deadline, not ended, not
 * settled by the votes already cast) is decided on the writer, so that a
 * vote sent from a page read before the deadline is refused after it. */
static int value_facts(struct dbc *w, int64_t cid, const char *kind, int64_t id,
                       struct vote_facts *vf)
{
    (void)kind;
    return value_vote_facts(w, cid, id, vf);
}

/* A vote on a shared value or on a text's version: one path for both. The
 * 422 marks the row voted on (list's element with id); the deadline, the
 * "still open" and the outcome are decided on the writer. */
void s_vote(struct req *r, const struct vote_kind *k, const char *kind)
{
    int64_t id = s_path_id(r);
    struct form f;
    if (!form_read(&f, r, FORM_VOTE)) {
        json_t *v = k->page(r, kind);
        size_t i;
        json_t *row;
        json_array_foreach(json_object_get(v, k->list), i, row)
        {
            if (json_integer_value(json_object_get(row, "id")) == id)
                json_object_set_new(row, "vote_error", json_string(tr(r, "error.bad_choice")));
        }
        render_invalid(r, k->tmpl, v, &f);
        return;
    }
    int yes = str_eq(form_str(&f, "vote"), "yes");
    form_release(&f);
    int64_t now = now_s();
    struct dbc *w = req_write_begin(r);
    struct vote_facts vf;
    enum wr rc = WR_BUSY;
    if (w) {
        if (k->facts(w, r->comm->id, kind, id, &vf) != 0)
            rc = WR_NOT_FOUND;
        else if (vf.closes_at <= now || s_vote_settled(r, w, &vf) != ADOPT_OPEN)
            rc = wr_fail(w, WR_CONFLICT, k->closed_key);
        else
            rc = k->cast(w, r->comm->id, id, r->comm->member_id, yes, now);
        /* A vote whose outcome this one made certain ends now, in the same
         * transaction, so that nobody votes on a decided question. */
        if (rc == WR_OK && k->facts(w, r->comm->id, kind, id, &vf) == 0 &&
            s_vote_settled(r, w, &vf) != ADOPT_OPEN)
            rc = k->end(w, r->comm->id, id, "decided", NULL);
    }
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, k->back(r, kind), "flash.strategy_voted");
}

static const char *values_url(struct req *r, const char *kind)
{
    (void)kind;
    return s_url(r, "/values");
}

static json_t *values_page(struct req *r, const char *kind)
{
    (void)kind;
    return values_view(r);
}

static const struct vote_kind VALUE_VOTE = {
    "values",   "strategy/values", "strategy.error.vote_closed", value_facts, value_cast, value_end,
    values_url, values_page};

void st_vote_post(struct req *r)
{
    s_vote(r, &VALUE_VOTE, NULL);
}

/* An organizer ends a vote before its date, with the reason members read
 * on the page; the tally at that moment decides it. */
void st_value_close_post(struct req *r)
{
    struct form f;
    if (!form_read(&f, r, FORM_CLOSE)) {
        render_invalid(r, "strategy/values", values_view(r), &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? value_end(w, r->comm->id, s_path_id(r), "organizer", form_str(&f, "reason")) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, s_url(r, "/values"), "flash.strategy_vote_closed");
}

/* ---- a shared value before the vote starts ---- */

/* The shared value of the path into *sv: 0, or -1 after answering 404. */
static int path_value(struct req *r, struct shared_value *sv)
{
    return s_found(r, value_edit_find(req_db(r), r->arena, r->comm->id, s_path_id(r), sv)) ? 0 : -1;
}

/* 0 when the path's value is found (into *sv) and the viewer may edit it:
 * its proposer or the staff, and nobody voted yet; else answers (404, 403
 * or 409) and returns -1. The write asks the same again. */
static int value_editable(struct req *r, struct shared_value *sv)
{
    if (path_value(r, sv) != 0) return -1;
    if (!req_has(r, CAP_C_STAFF) && sv->proposed_by != r->comm->member_id) {
        render_error(r, 403, "forbidden", "strategy.error.not_proposer");
        return -1;
    }
    if (sv->votes > 0) {
        render_error(r, 409, "conflict", "strategy.conflict.voted");
        return -1;
    }
    return 0;
}

static void value_edit_page(struct req *r, int status, struct form *f)
{
    json_t *v = s_base_view(r, "strategy.values.edit");
    json_object_set_new(v, "id", json_integer(s_path_id(r)));
    render_form(r, status, "strategy/value_edit", v, f);
}

void st_value_edit_get(struct req *r)
{
    struct shared_value sv;
    if (value_editable(r, &sv) != 0) return;
    json_t *stored =
        req_own(r, json_pack("{ss ss}", "title", sv.title, "description", sv.description));
    struct form f;
    form_fill(&f, r, FORM_VALUE, stored);
    value_edit_page(r, 200, &f);
}

void st_value_edit_post(struct req *r)
{
    struct shared_value sv;
    if (value_editable(r, &sv) != 0) return;
    struct form f;
    if (!form_read(&f, r, FORM_VALUE)) {
        value_edit_page(r, 422, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? value_update(w, r->comm->id, sv.id, r->comm->member_id, form_str(&f, "title"),
                                  form_str(&f, "description"))
                   : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, s_url(r, "/values"), "flash.strategy_saved");
}

/* 0 when the path's value is found (into *sv) and the viewer may delete
 * it (the staff; its proposer before the first vote), else answers 404 or
 * 403 and returns -1. */
static int value_deletable(struct req *r, struct shared_value *sv)
{
    if (path_value(r, sv) != 0) return -1;
    if (req_has(r, CAP_C_STAFF) || (sv->proposed_by == r->comm->member_id && sv->votes == 0))
        return 0;
    render_error(r, 403, "forbidden", "strategy.error.value_delete");
    return -1;
}

void st_value_delete_get(struct req *r)
{
    struct shared_value sv;
    if (value_deletable(r, &sv) != 0) return;
    static const char *const KEYS[] = {"strategy.loss.votes", "strategy.loss.value_rules"};
    int64_t n[] = {sv.votes, sv.rules};
    const char *loss =
        s_loss_text(r, "strategy.loss.value_with", "strategy.loss.value_alone", KEYS, n, 2);
    s_confirm(r, "strategy.confirm.value", sv.title, loss, s_url(r, "/values"));
}

void st_value_delete(struct req *r)
{
    struct shared_value sv;
    if (value_deletable(r, &sv) != 0) return;
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? value_delete(w, r->comm->id, sv.id, r->comm->member_id) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, s_url(r, "/values"), "flash.strategy_deleted");
}
