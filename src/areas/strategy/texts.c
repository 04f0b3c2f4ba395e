/* Vision, mission and manifesto with their versions and votes. A version
 * is the Markdown its author wrote; the templates render it. */
#include "areas/strategy/internal.h"
#include "areas/community/community.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"

#include <stdlib.h>
#include <string.h>

const struct field FORM_TEXT[] = {
    {"body", F_TEXT, 1, 0, STRATEGY_LONG_MAX, NULL, NULL},
    {"put_to_vote", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* A version: its author's name is for members. The vote's closing date
 * and tally are put for versions put to the vote only. */
static const struct vfield TEXT_FIELDS[] = {
    {"id", CAP_ANY}, {"body", CAP_ANY}, {"author", CAP_C_MEMBER}, {"at", CAP_ANY}, {NULL, 0}};

/* The text of the path (vision, mission, manifesto), or NULL after
 * answering 404. */
static const char *path_kind(struct req *r)
{
    const char *k = req_path(r, "kind");
    if (form_choice_index(STRATEGY_TEXT_KINDS, k) >= 0) return k;
    s_not_found(r);
    return NULL;
}

static const char *text_url(struct req *r, const char *kind)
{
    return s_url(r, arena_printf(r->arena, "/text/%s", kind));
}

json_t *s_versions(struct req *r, const char *kind)
{
    struct dbc *c = req_db(r);
    struct vmask m = view_mask(r, TEXT_FIELDS);
    struct vote_facts *facts;
    json_t *hist = req_own(r, text_history(c, r->arena, &m, r->comm->id, kind, s_viewer(r),
                                           tr(r, "strategy.former_member"), &facts));
    /* The rules and the member count only for a version put to a vote
     * (two lookups each time the overview shows a text) */
    struct strategy_settings s;
    int64_t members = -1;
    size_t i, n = json_array_size(hist);
    json_t *t;
    json_array_foreach(hist, i, t)
    {
        const struct vote_facts *f = &facts[i];
        json_object_set_new(t, "version", json_integer((json_int_t)(n - i)));
        json_object_set_new(t, "current", json_boolean(i == 0));
        if (f->closes_at == 0) continue;
        if (members < 0) {
            strategy_settings_get(c, r->comm->id, &s);
            members = community_member_count(c, r->comm->id);
        }
        char day[11];
        date_format(f->closes_at, day);
        json_object_set_new(t, "closes", json_string(day));
        json_object_set_new(t, "yes", json_integer(f->yes));
        json_object_set_new(t, "no", json_integer(f->no));
        s_vote_state(r, t, f, &s, members);
        json_object_set_new(t, "voted", json_true());
    }
    return hist;
}

json_t *s_text_standing(struct req *r, const char *kind, int *pending)
{
    json_t *hist = s_versions(r, kind);
    *pending = 0;
    size_t i;
    json_t *t;
    json_array_foreach(hist, i, t)
    {
        int voted = json_is_true(json_object_get(t, "voted"));
        if (voted && json_is_true(json_object_get(t, "is_open"))) *pending = 1;
        if (!voted || json_is_true(json_object_get(t, "is_adopted"))) return json_incref(t);
    }
    return NULL;
}

static json_t *text_page_view(struct req *r, const char *kind)
{
    json_t *v = s_base_view(r, arena_printf(r->arena, "strategy.text.%s", kind));
    json_object_set_new(v, "kind", json_string(kind));
    json_object_set_new(v, "is_manifesto", json_boolean(str_eq(kind, "manifesto")));
    json_t *hist = s_versions(r, kind);
    json_t *cur = json_array_get(hist, 0);
    if (cur)
        json_object_set_new(v, "form", json_pack("{sO}", "body", json_object_get(cur, "body")));
    json_object_set(v, "versions", hist);
    return v;
}

/* Reads a form sent from the text's page: 1 when valid; else the page
 * again with the input kept and the messages (422), and 0. */
static int text_form_read(struct form *f, struct req *r, const char *kind,
                          const struct field *fields)
{
    if (form_read(f, r, fields)) return 1;
    render_invalid(r, "strategy/text", text_page_view(r, kind), f);
    return 0;
}

void st_text_get(struct req *r)
{
    const char *kind = path_kind(r);
    if (!kind) return;
    render_page(r, 200, "strategy/text", text_page_view(r, kind));
}

void st_text_post(struct req *r)
{
    const char *kind = path_kind(r);
    if (!kind) return;
    struct form f;
    if (!text_form_read(&f, r, kind, FORM_TEXT)) return;
    const char *body = form_str(&f, "body");
    int to_vote = str_eq(kind, "manifesto") || form_num(&f, "put_to_vote", 0);
    /* The form shows the newest version: sent back as it is, it is no new
     * version (saving an unchanged form changes nothing). */
    char *cur = text_current_body(req_db(r), r->comm->id, kind);
    int same = cur && str_eq(cur, body);
    free(cur);
    if (same) {
        form_release(&f);
        render_redirect(r, text_url(r, kind), "flash.strategy_unchanged");
        return;
    }
    /* A manifesto version is the members' to adopt, like a value; vision
     * and mission versions when the staff put them to the vote. */
    int64_t closes = 0;
    if (to_vote) {
        struct strategy_settings s;
        strategy_settings_get(req_db(r), r->comm->id, &s);
        closes = now_s() + s.vote_days * 86400;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? text_create(w, r->comm->id, kind, body, r->comm->member_id, closes) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, text_url(r, kind), "flash.strategy_saved");
}

/* As a value's vote (pages.c): open, before its deadline and not settled,
 * decided on the writer. */
static const char *text_back(struct req *r, const char *kind)
{
    return text_url(r, kind);
}

static const struct vote_kind TEXT_VOTE = {
    "versions",      "strategy/text", "strategy.error.vote_closed_text",
    text_vote_facts, text_cast,       text_end,
    text_back,       text_page_view};

void st_text_vote_post(struct req *r)
{
    const char *kind = path_kind(r);
    if (!kind) return;
    s_vote(r, &TEXT_VOTE, kind);
}

void st_text_close_post(struct req *r)
{
    const char *kind = path_kind(r);
    struct vote_facts vf;
    if (!kind || !s_found(r, text_vote_facts(req_db(r), r->comm->id, kind, s_path_id(r), &vf)))
        return;
    struct form f;
    if (!text_form_read(&f, r, kind, FORM_CLOSE)) return;
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? text_end(w, r->comm->id, vf.id, "organizer", form_str(&f, "reason")) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, text_url(r, kind), "flash.strategy_vote_closed");
}
