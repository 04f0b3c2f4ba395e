/* Assemblies' pages: the meeting at /c/{slug}/events/{id}/assembly (the
 * agenda with its documents and proposals, who is present and whether the
 * quorum is reached, the votes), made and set by organizers, run by its
 * chair and secretary. Members only: attendance and votes never leave the
 * community. The page is reloaded to show the quorum: no JavaScript. */
#include "areas/community/community.h"
#include "areas/meeting/assembly.h"
#include "areas/meeting/hearing.h"
#include "areas/meeting/meeting.h"
#include "areas/soc/soc.h"
#include "core/app.h"
#include "core/ballot.h"
#include "core/form.h"
#include "core/render.h"
#include "core/text.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

static const char *asm_url(struct req *r, int64_t event_id, const char *suffix)
{
    return arena_printf(r->arena, "/c/%s/events/%lld/assembly%s", r->comm->slug,
                        (long long)event_id, suffix ? suffix : "");
}

static json_t *base(struct req *r, const char *title_key)
{
    return req_own(r,
                   json_pack("{ss ss ss sb sb}", "title", tr(r, title_key), "slug", r->comm->slug,
                             "name", r->comm->name, "is_member", req_has(r, CAP_C_MEMBER),
                             "is_organizer", req_has(r, CAP_C_ORGANIZE)));
}

/* The assembly at the path's event into *a: 1, or 0 after a 404. */
static int load(struct req *r, struct asm_info *a)
{
    if (asm_find(req_db(r), r->arena, r->comm->id, req_path_int(r, "id"), a) == 0) return 1;
    render_error(r, 404, "not_found", "error.not_found");
    return 0;
}

/* Who runs the meeting: its chair, its secretary, the organizers. */
static int runs(struct req *r, const struct asm_info *a)
{
    int64_t me = r->comm->member_id;
    return req_has(r, CAP_C_ORGANIZE) || (me && (me == a->chair_id || me == a->secretary_id));
}

static int forbidden(struct req *r)
{
    render_error(r, 403, "forbidden", "error.forbidden");
    return 0;
}

/* ---- making and setting ---- */

static const struct field FORM_ASM[] = {
    {"kind", F_CHOICE, 1, 0, 0, asm_kinds, "meeting.asm.kind."},
    {"chair", F_REF, 0, 0, 0, NULL, NULL},
    {"secretary", F_REF, 0, 0, 0, NULL, NULL},
    {"quorum_kind", F_CHOICE, 1, 0, 0, asm_quorum_kinds, "meeting.asm.quorum."},
    {"quorum_value", F_INT, 1, 1, 100000, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void asm_form(struct req *r, int status, struct form *f)
{
    int64_t eid = req_path_int(r, "id");
    json_t *v = base(r, "meeting.asm.settings");
    json_object_set_new(v, "action", json_string(asm_url(r, eid, "")));
    json_object_set_new(
        v, "back",
        json_string(arena_printf(r->arena, "/c/%s/events/%lld", r->comm->slug, (long long)eid)));
    json_t *people = req_own(r, asm_people(req_db(r), r->comm->id, 2000));
    form_options(f, "chair", people, "id", "name", "meeting.asm.nobody");
    form_options(f, "secretary", people, "id", "name", "meeting.asm.nobody");
    render_form(r, status, "meeting/asmform", v, f);
}

static void new_get(struct req *r)
{
    struct event ev;
    if (event_find(req_db(r), r->arena, r->comm->id, req_path_int(r, "id"), &ev) != 0) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    struct asm_info a;
    json_t *stored;
    if (asm_find(req_db(r), r->arena, r->comm->id, ev.id, &a) == 0)
        stored = req_own(r, json_pack("{ss sI sI ss sI}", "kind", a.kind, "chair",
                                      (json_int_t)a.chair_id, "secretary",
                                      (json_int_t)a.secretary_id, "quorum_kind", a.quorum_kind,
                                      "quorum_value", (json_int_t)a.quorum_value));
    else
        stored = req_own(r, json_pack("{ss ss si}", "kind", "assembly", "quorum_kind", "share",
                                      "quorum_value", 50));
    struct form f;
    form_fill(&f, r, FORM_ASM, stored);
    asm_form(r, 200, &f);
}

static void save_post(struct req *r)
{
    struct form f;
    int ok = form_read(&f, r, FORM_ASM);
    struct asm_new n = {form_str(&f, "kind"), form_str(&f, "quorum_kind"),
                        form_num(&f, "quorum_value", 0), form_num(&f, "chair", 0),
                        form_num(&f, "secretary", 0)};
    if (ok && asm_quorum_needed(n.quorum_kind, n.quorum_value, 0) < 0) {
        form_error(&f, "quorum_value", "meeting.asm.error.quorum");
        ok = 0;
    }
    if (!ok) {
        asm_form(r, 422, &f);
        return;
    }
    int64_t eid = req_path_int(r, "id");
    struct asm_info a;
    int exists = asm_find(req_db(r), r->arena, r->comm->id, eid, &a) == 0;
    struct dbc *w = req_write_begin(r);
    enum wr rc = !w       ? WR_BUSY
                 : exists ? asm_update(w, r->comm->id, a.id, &n)
                          : asm_create(w, r->comm->id, eid, &n, NULL);
    if (rc == WR_INVALID && w && str_eq(wr_reason(w), "meeting.asm.error.not_member")) {
        req_commit(r, rc, NULL);
        form_error(&f, "chair", "error.bad_choice");
        asm_form(r, 422, &f);
        return;
    }
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, asm_url(r, eid, ""), "flash.saved");
}

/* ---- the page ---- */

static const struct vfield ITEM_FIELDS[] = {
    {"id", CAP_C_MEMBER},
    {"title", CAP_C_MEMBER},
    {"document", CAP_C_MEMBER},
    {NULL, 0},
};
static const struct vfield PROPOSAL_FIELDS[] = {
    {"id", CAP_C_MEMBER},
    {"item_id", CAP_C_MEMBER},
    {"text", CAP_C_MEMBER},
    {"threshold", CAP_C_MEMBER},
    {"secrecy", CAP_C_MEMBER},
    {"state", CAP_C_MEMBER},
    {"yes", CAP_C_MEMBER},
    {"no", CAP_C_MEMBER},
    {"abstain", CAP_C_MEMBER},
    {"objections", CAP_C_MEMBER},
    {"present", CAP_C_MEMBER},
    {"adopted", CAP_C_MEMBER},
    {"voting_closes_at", CAP_C_MEMBER},
    {"mine", CAP_C_MEMBER},
    {"ballot_id", CAP_C_MEMBER},
    {NULL, 0},
};

static const struct vfield DECISION_FIELDS[] = {
    {"id", CAP_C_MEMBER},
    {"item_id", CAP_C_MEMBER},
    {"text", CAP_C_MEMBER},
    {"status", CAP_C_MEMBER},
    {"initiative_id", CAP_C_MEMBER},
    {"proposal_id", CAP_C_MEMBER},
    {NULL, 0},
};

/* A member's name in the request's arena, or NULL: one row, not the
 * community's every member. */
static const char *name_of(struct req *r, int64_t id)
{
    if (!id) return NULL;
    char *n = member_name_of(req_db(r), r->comm->id, id);
    const char *out = n ? arena_strdup(r->arena, n) : NULL;
    free(n);
    return out;
}

/* The proposals of one item, made readable, with the open votes' names. */
static json_t *item_proposals(struct req *r, json_t *all, json_t *votes, int64_t item, int open,
                              int can_run, int64_t now)
{
    json_t *out = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(all, i, p)
    {
        if (json_integer_value(json_object_get(p, "item_id")) != item) continue;
        const char *th = json_string_value(json_object_get(p, "threshold"));
        const char *state = json_string_value(json_object_get(p, "state"));
        int64_t pid = json_integer_value(json_object_get(p, "id"));
        int secret = str_eq(json_string_value(json_object_get(p, "secrecy")), "secret");
        int voting = str_eq(state, "voting") &&
                     json_integer_value(json_object_get(p, "voting_closes_at")) > now;
        int voted = json_is_string(json_object_get(p, "mine"));
        if (secret && voting && r->comm->member_id) {
            char voter[24];
            soc_voter(r->comm->member_id, voter);
            const char *keys[] = {voter};
            voted = ballot_has_voted(req_db(r), json_integer_value(json_object_get(p, "ballot_id")),
                                     keys, 1);
        }
        json_object_del(p, "ballot_id");
        json_object_set_new(p, "threshold_label",
                            json_string(tr(r, arena_printf(r->arena, "meeting.asm.th.%s", th))));
        json_object_set_new(p, "is_secret", json_boolean(secret));
        json_object_set_new(p, "is_consent", json_boolean(str_eq(th, "consent")));
        json_object_set_new(p, "is_draft", json_boolean(str_eq(state, "draft")));
        json_object_set_new(p, "is_voting", json_boolean(voting));
        json_object_set_new(p, "is_closed", json_boolean(str_eq(state, "closed")));
        json_object_set_new(p, "can_open", json_boolean(can_run && open && str_eq(state, "draft")));
        json_object_set_new(p, "can_close", json_boolean(can_run && str_eq(state, "voting")));
        json_object_set_new(p, "can_vote", json_boolean(voting && !voted && r->comm->member_id));
        json_object_set_new(p, "voted", json_boolean(voted));
        json_t *ad = json_object_get(p, "adopted");
        json_object_set_new(p, "is_adopted", json_boolean(json_integer_value(ad) == 1));
        json_object_set_new(p, "is_rejected",
                            json_boolean(json_is_integer(ad) && json_integer_value(ad) == 0));
        if (json_is_integer(json_object_get(p, "voting_closes_at"))) {
            char at[20];
            event_local_format(json_integer_value(json_object_get(p, "voting_closes_at")),
                               event_zone(req_db(r), r->arena, r->comm->id), at);
            at[10] = ' ';
            json_object_set_new(p, "closes", json_string(at));
        }
        json_t *names = json_array();
        size_t j;
        json_t *v;
        json_array_foreach(votes, j, v)
        {
            if (json_integer_value(json_object_get(v, "proposal_id")) != pid) continue;
            const char *c = json_string_value(json_object_get(v, "choice"));
            json_array_append_new(
                names,
                json_pack("{ss ss ss}", "name", json_string_value(json_object_get(v, "name")),
                          "choice", tr(r, arena_printf(r->arena, "meeting.asm.choice.%s", c)),
                          "reason", json_string_value(json_object_get(v, "reason"))));
        }
        json_object_set_new(p, "votes", names);
        json_array_append(out, p);
    }
    return out;
}

static void page_get(struct req *r)
{
    struct asm_info a;
    if (!load(r, &a)) return;
    struct event ev;
    if (event_find(req_db(r), r->arena, r->comm->id, a.event_id, &ev) != 0) {
        render_error(r, 404, "not_found", "error.not_found");
        return;
    }
    ballot_settle(r);
    int64_t now = now_s();
    int can_run = runs(r, &a), open = str_eq(a.state, "open");
    int64_t need = asm_quorum_needed(a.quorum_kind, a.quorum_value, a.members);
    json_t *v = base(r, "meeting.asm.title");
    json_object_set_new(v, "title", json_string(ev.title));
    char at[20];
    event_local_format(ev.starts_at, ev.zone, at);
    const char *chair = name_of(r, a.chair_id), *sec = name_of(r, a.secretary_id);
    json_t *as = json_pack(
        "{sI sI ss ss ss sb sb sb sI sI sI sI sI sI sb ss* ss* ss ss ss}", "id", (json_int_t)a.id,
        "event_id", (json_int_t)a.event_id, "kind", a.kind, "kind_label",
        tr(r, arena_printf(r->arena, "meeting.asm.kind.%s", a.kind)), "state", a.state, "is_draft",
        str_eq(a.state, "draft"), "is_open", open, "is_closed", str_eq(a.state, "closed"),
        "members", (json_int_t)a.members, "needed", (json_int_t)need, "present",
        (json_int_t)a.present, "room", (json_int_t)a.room, "online", (json_int_t)a.online,
        "quorum_value", (json_int_t)a.quorum_value, "quorum_reached", a.present >= need, "chair",
        chair, "secretary", sec, "quorum_kind", a.quorum_kind, "day",
        arena_printf(r->arena, "%.10s", at), "start", arena_strdup(r->arena, at + 11));
    json_object_set_new(v, "assembly", as);
    json_object_set_new(v, "place", json_string(ev.place_text ? ev.place_text : ""));
    json_object_set_new(
        v, "state_label",
        json_string(tr(r, arena_printf(r->arena, "meeting.asm.state.%s", a.state))));
    json_object_set_new(v, "action", json_string(asm_url(r, a.event_id, "")));
    json_object_set_new(v, "event_url",
                        json_string(arena_printf(r->arena, "/c/%s/events/%lld", r->comm->slug,
                                                 (long long)a.event_id)));
    json_object_set_new(v, "can_run", json_boolean(can_run));
    json_object_set_new(v, "is_hearing", json_boolean(str_eq(a.kind, "hearing")));
    json_object_set_new(v, "can_edit", json_boolean(can_run && !str_eq(a.state, "closed")));
    json_object_set_new(v, "can_open", json_boolean(can_run && str_eq(a.state, "draft")));
    json_object_set_new(v, "can_close", json_boolean(can_run && open));
    /* the viewer's own presence */
    json_t *present = req_own(r, asm_present(req_db(r), r->comm->id, a.id));
    const char *mine = NULL;
    size_t i;
    json_t *row;
    json_array_foreach(present, i, row)
    {
        if (json_integer_value(json_object_get(row, "member_id")) == r->comm->member_id)
            mine = json_string_value(json_object_get(row, "how"));
        json_object_set_new(
            row, "in_room",
            json_boolean(str_eq(json_string_value(json_object_get(row, "how")), "room")));
        json_object_del(row, "member_id");
    }
    json_object_set(v, "present", present ? present : req_own(r, json_array()));
    json_object_set_new(v, "joined", json_boolean(mine != NULL));
    json_object_set_new(v, "can_join", json_boolean(open && !mine && r->comm->member_id != 0));
    if (can_run && !str_eq(a.state, "closed")) {
        json_t *roll = req_own(r, asm_roll(req_db(r), r->comm->id, a.id, 2000));
        json_array_foreach(roll, i, row)
        {
            const char *how = json_string_value(json_object_get(row, "how"));
            json_object_set_new(row, "is_present", json_boolean(how != NULL));
        }
        json_object_set(v, "roll", roll);
    }
    struct vmask im = view_mask(r, ITEM_FIELDS), pm = view_mask(r, PROPOSAL_FIELDS);
    json_t *items = req_own(r, asm_items(req_db(r), &im, a.id));
    json_t *props = req_own(r, asm_proposals(req_db(r), &pm, a.id, r->comm->member_id));
    json_t *votes = req_own(r, asm_votes(req_db(r), r->comm->id, a.id));
    struct vmask dm = view_mask(r, DECISION_FIELDS);
    json_t *decisions = req_own(r, asm_decisions(req_db(r), &dm, a.id));
    size_t n = json_array_size(items);
    json_array_foreach(items, i, row)
    {
        int64_t item = json_integer_value(json_object_get(row, "id"));
        json_object_set_new(row, "number", json_integer((json_int_t)i + 1));
        json_object_set_new(row, "can_up",
                            json_boolean(can_run && i > 0 && !str_eq(a.state, "closed")));
        json_object_set_new(row, "can_down",
                            json_boolean(can_run && i + 1 < n && !str_eq(a.state, "closed")));
        json_object_set_new(row, "proposals",
                            item_proposals(r, props, votes, item, open, can_run, now));
        json_t *ds = json_array();
        size_t j;
        json_t *d;
        json_array_foreach(decisions, j, d)
        {
            if (json_integer_value(json_object_get(d, "item_id")) != item) continue;
            const char *st = json_string_value(json_object_get(d, "status"));
            json_object_set_new(d, "status_label",
                                json_string(tr(r, arena_printf(r->arena, "meeting.asm.decision.%s",
                                                               st ? st : "todo"))));
            json_array_append(ds, d);
        }
        json_object_set_new(row, "decisions", ds);
    }
    json_object_set(v, "items", items ? items : req_own(r, json_array()));
    struct form f;
    form_init(&f, r);
    render_form(r, 200, "meeting/assembly", v, &f);
}

/* ---- running it ---- */

static const struct field FORM_STATE[] = {
    {"to", F_CHOICE, 1, 0, 0, (const char *const[]){"open", "closed", NULL}, "meeting.asm.state."},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void state_post(struct req *r)
{
    struct asm_info a;
    if (!load(r, &a)) return;
    if (!runs(r, &a)) {
        forbidden(r);
        return;
    }
    struct form f;
    if (!form_read(&f, r, FORM_STATE)) {
        asm_refused(r, &f, "meeting.asm.refused", asm_url(r, a.event_id, ""),
                    (const char *const[]){"meeting.asm.field.state"});
        return;
    }
    const char *to = form_str(&f, "to");
    const char *from = str_eq(to, "open") ? "draft" : "open";
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? asm_set_state(w, r->comm->id, a.id, from, to) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) != 0) return;
    /* a hearing that closes gets its final document's draft */
    if (str_eq(a.kind, "hearing") && str_eq(to, "closed"))
        hearing_final_autodraft(r, a.id, a.event_id);
    render_redirect(r, asm_url(r, a.event_id, ""), "flash.saved");
}

static const struct field FORM_ITEM[] = {
    {"title", F_TEXT, 1, 0, ASM_TITLE_MAX, NULL, NULL},
    {"document", F_TEXT, 0, 0, ASM_DOC_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* An item's form refused: the page's error with the field's message. */
static void item_refused(struct req *r, struct form *f)
{
    json_t *v = base(r, "meeting.asm.item.new");
    json_object_set_new(v, "action", json_string(r->path));
    render_form(r, 422, "meeting/asmitem", v, f);
}

static void item_add_post(struct req *r)
{
    struct asm_info a;
    if (!load(r, &a)) return;
    if (!runs(r, &a)) {
        forbidden(r);
        return;
    }
    struct form f;
    if (!form_read(&f, r, FORM_ITEM)) {
        item_refused(r, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? asm_item_add(w, r->comm->id, a.id, form_str(&f, "title"),
                                  form_str(&f, "document"), NULL)
                   : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, asm_url(r, a.event_id, ""), "flash.saved");
}

static void item_edit_post(struct req *r)
{
    struct asm_info a;
    if (!load(r, &a)) return;
    if (!runs(r, &a)) {
        forbidden(r);
        return;
    }
    struct form f;
    if (!form_read(&f, r, FORM_ITEM)) {
        item_refused(r, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? asm_item_edit(w, r->comm->id, a.id, req_path_int(r, "item"),
                                   form_str(&f, "title"), form_str(&f, "document"))
                   : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, asm_url(r, a.event_id, ""), "flash.saved");
}

static const char *const DIRS[] = {"up", "down", NULL};
static const struct field FORM_MOVE[] = {
    {"dir", F_CHOICE, 1, 0, 0, DIRS, "meeting.asm.move."},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void item_move_post(struct req *r)
{
    struct asm_info a;
    if (!load(r, &a)) return;
    if (!runs(r, &a)) {
        forbidden(r);
        return;
    }
    struct form f;
    if (!form_read(&f, r, FORM_MOVE)) {
        asm_refused(r, &f, "meeting.asm.refused", asm_url(r, a.event_id, ""),
                    (const char *const[]){"meeting.asm.field.dir"});
        return;
    }
    int dir = str_eq(form_str(&f, "dir"), "up") ? -1 : 1;
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? asm_item_move(w, r->comm->id, a.id, req_path_int(r, "item"), dir) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, asm_url(r, a.event_id, ""), "flash.saved");
}

static const char *const MARKS[] = {"room", "absent", NULL};
static const struct field FORM_PRESENCE[] = {
    {"member", F_INT, 1, 1, INT64_MAX, NULL, NULL},
    {"mark", F_CHOICE, 1, 0, 0, MARKS, "meeting.asm.mark."},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void presence_post(struct req *r)
{
    struct asm_info a;
    if (!load(r, &a)) return;
    if (!runs(r, &a)) {
        forbidden(r);
        return;
    }
    struct form f;
    if (!form_read(&f, r, FORM_PRESENCE)) {
        asm_refused(r, &f, "meeting.asm.refused", asm_url(r, a.event_id, ""),
                    (const char *const[]){"meeting.asm.field.member", "meeting.asm.field.mark"});
        return;
    }
    int64_t member = form_num(&f, "member", 0);
    int room = str_eq(form_str(&f, "mark"), "room");
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    enum wr rc = !w     ? WR_BUSY
                 : room ? asm_presence_set(w, r->comm->id, a.id, member, "room")
                        : asm_presence_clear(w, r->comm->id, a.id, member);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, asm_url(r, a.event_id, ""), "flash.saved");
}

static const struct field FORM_JOIN[] = {
    {"join", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void join_post(struct req *r)
{
    struct asm_info a;
    if (!load(r, &a)) return;
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? asm_presence_set(w, r->comm->id, a.id, r->comm->member_id, "online") : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, asm_url(r, a.event_id, ""), "flash.meeting_joined");
}

/* ---- proposals and votes ---- */

static const struct field FORM_PROPOSAL[] = {
    {"text", F_TEXT, 1, 0, ASM_PROPOSAL_MAX, NULL, NULL},
    {"threshold", F_CHOICE, 1, 0, 0, asm_thresholds, "meeting.asm.th."},
    {"secrecy", F_CHOICE, 1, 0, 0, asm_secrecies, "meeting.asm.secrecy."},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void proposal_post(struct req *r)
{
    struct asm_info a;
    if (!load(r, &a)) return;
    if (!runs(r, &a)) {
        forbidden(r);
        return;
    }
    struct form f;
    int ok = form_read(&f, r, FORM_PROPOSAL);
    struct asm_proposal_new p = {form_str(&f, "text"), form_str(&f, "threshold"),
                                 form_str(&f, "secrecy")};
    if (ok && str_eq(p.threshold, "consent") && !str_eq(p.secrecy, "open")) {
        form_error(&f, "secrecy", "meeting.asm.error.consent_open");
        ok = 0;
    }
    if (!ok) {
        json_t *v = base(r, "meeting.asm.proposal.new");
        json_object_set_new(v, "action", json_string(r->path));
        render_form(r, 422, "meeting/asmproposal", v, &f);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc =
        w ? asm_proposal_add(w, r->comm->id, a.id, req_path_int(r, "item"), &p, NULL) : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, asm_url(r, a.event_id, ""), "flash.saved");
}

static const struct field FORM_OPEN[] = {
    {"minutes", F_INT, 1, 1, ASM_WINDOW_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void voting_open_post(struct req *r)
{
    struct asm_info a;
    if (!load(r, &a)) return;
    if (!runs(r, &a)) {
        forbidden(r);
        return;
    }
    struct form f;
    if (!form_read(&f, r, FORM_OPEN)) {
        form_error(&f, "minutes", "meeting.asm.error.window");
        asm_refused(r, &f, "meeting.asm.refused", asm_url(r, a.event_id, ""),
                    (const char *const[]){"meeting.asm.field.window"});
        return;
    }
    int64_t minutes = form_num(&f, "minutes", 0);
    form_release(&f);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? asm_voting_open(w, r->comm->id, a.id, req_path_int(r, "p"), minutes) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0) render_redirect(r, asm_url(r, a.event_id, ""), "flash.saved");
}

static const char *const VOTE_CHOICES[] = {"for", "against", "abstain", "object", NULL};
static const struct field FORM_VOTE[] = {
    {"choice", F_CHOICE, 1, 0, 0, VOTE_CHOICES, "meeting.asm.choice."},
    {"reason", F_TEXT, 0, 0, ASM_REASON_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void vote_post(struct req *r)
{
    struct asm_info a;
    if (!load(r, &a)) return;
    struct form f;
    if (!form_read(&f, r, FORM_VOTE)) {
        if (json_object_get(f.errors, "choice"))
            form_error(&f, "choice", "meeting.asm.error.choice");
        asm_refused(r, &f, "meeting.asm.refused", asm_url(r, a.event_id, ""),
                    (const char *const[]){"meeting.asm.your_vote", "meeting.asm.field.reason"});
        return;
    }
    /* in the room when the secretary marked one so, else online */
    json_t *present = req_own(r, asm_present(req_db(r), r->comm->id, a.id));
    const char *how = "online";
    size_t i;
    json_t *row;
    json_array_foreach(present, i, row)
    {
        if (json_integer_value(json_object_get(row, "member_id")) == r->comm->member_id &&
            str_eq(json_string_value(json_object_get(row, "how")), "room"))
            how = "room";
    }
    const char *reason = form_str(&f, "reason");
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? asm_vote(w, r->comm->id, a.id, req_path_int(r, "p"), r->comm->member_id,
                              form_str(&f, "choice"), reason ? reason : "", how)
                   : WR_BUSY;
    form_release(&f);
    if (req_commit(r, rc, NULL) == 0) {
        ballot_flush(r->app->db);
        render_redirect(r, asm_url(r, a.event_id, ""), "flash.meeting_voted");
    }
}

static const struct field FORM_NONE[] = {
    {"confirm", F_CHECK, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void voting_close_post(struct req *r)
{
    struct asm_info a;
    if (!load(r, &a)) return;
    if (!runs(r, &a)) {
        forbidden(r);
        return;
    }
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? asm_voting_close(w, r->comm->id, a.id, req_path_int(r, "p")) : WR_BUSY;
    if (req_commit(r, rc, NULL) == 0) {
        ballot_flush(r->app->db);
        render_redirect(r, asm_url(r, a.event_id, ""), "flash.saved");
    }
}

#define A "/c/{slug}/events/{id:int}/assembly"
const struct route meeting_asm_routes[] = {
    {"GET", A, CAP_C_MEMBER, 0, NULL, page_get, NULL},
    {"POST", A, CAP_C_ORGANIZE, 0, NULL, save_post, FORM_ASM},
    {"GET", A "/settings", CAP_C_ORGANIZE, 0, NULL, new_get, NULL},
    {"POST", A "/state", CAP_C_MEMBER, 0, NULL, state_post, FORM_STATE},
    {"POST", A "/join", CAP_C_MEMBER, 0, NULL, join_post, FORM_JOIN},
    {"POST", A "/presence", CAP_C_MEMBER, 0, NULL, presence_post, FORM_PRESENCE},
    {"POST", A "/items", CAP_C_MEMBER, 0, NULL, item_add_post, FORM_ITEM},
    {"POST", A "/items/{item:int}", CAP_C_MEMBER, 0, NULL, item_edit_post, FORM_ITEM},
    {"POST", A "/items/{item:int}/move", CAP_C_MEMBER, 0, NULL, item_move_post, FORM_MOVE},
    {"POST", A "/items/{item:int}/proposals", CAP_C_MEMBER, 0, NULL, proposal_post, FORM_PROPOSAL},
    {"POST", A "/proposals/{p:int}/open", CAP_C_MEMBER, 0, NULL, voting_open_post, FORM_OPEN},
    {"POST", A "/proposals/{p:int}/vote", CAP_C_MEMBER, 0, NULL, vote_post, FORM_VOTE},
    {"POST", A "/proposals/{p:int}/close", CAP_C_MEMBER, 0, NULL, voting_close_post, FORM_NONE},
    {0},
};
#undef A
