/* The partner area's routes, shared page helpers and struct area; see
 * partner.h. Every route of the directory and of the log is the staff's
 * (organizers) but the list and a partner's card, which a reader of the
 * community may open to see the partners made public. */
#include "areas/partner/internal.h"
#include "core/notify.h"
#include "core/util.h"

const char *p_url(struct req *r, const char *tail)
{
    return arena_printf(r->arena, "/c/%s%s", r->comm->slug, tail);
}

int64_t p_path_id(struct req *r)
{
    return req_path_int(r, "id");
}

json_t *p_choices(struct req *r, const char *const *keys, const char *prefix, const char *cur)
{
    json_t *list = json_array();
    for (int i = 0; keys[i]; i++)
        json_array_append_new(list,
                              json_pack("{ss ss sb}", "key", keys[i], "label",
                                        tr(r, arena_printf(r->arena, "%s%s", prefix, keys[i])),
                                        "selected", str_eq(cur, keys[i])));
    return list;
}

json_t *p_view(struct req *r, const char *title_key)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(tr(r, title_key)));
    json_object_set_new(v, "slug", json_string(r->comm->slug));
    json_object_set_new(v, "is_staff", json_boolean(req_has(r, CAP_C_ORGANIZE)));
    json_object_set_new(v, "is_member", json_boolean(req_has(r, CAP_C_MEMBER)));
    return v;
}

void p_not_found(struct req *r)
{
    render_error(r, 404, "not_found", "error.not_found");
}

static const char *const LIST_PARAMS[] = {"sector", "q", "page", NULL};
static const char *const PAGE_PARAMS[] = {"page", NULL};

#define P "/c/{slug}/partners"
static const struct route partner_routes[] = {
    {"GET", P, CAP_C_READ, 0, LIST_PARAMS, p_list_get, NULL},
    {"POST", P, CAP_C_ORGANIZE, 0, NULL, p_create_post, FORM_PARTNER},
    {"GET", P "/new", CAP_C_ORGANIZE, 0, NULL, p_new_get, NULL},
    {"GET", P "/{id:int}", CAP_C_READ, 0, NULL, p_card_get, NULL},
    {"GET", P "/{id:int}/edit", CAP_C_ORGANIZE, 0, NULL, p_edit_get, NULL},
    {"POST", P "/{id:int}/edit", CAP_C_ORGANIZE, 0, NULL, p_edit_post, FORM_PARTNER},
    {"GET", P "/{id:int}/delete", CAP_C_ORGANIZE, 0, NULL, p_delete_get, NULL},
    {"POST", P "/{id:int}/delete", CAP_C_ORGANIZE, 0, NULL, p_delete_post, NULL},
    {"POST", P "/{id:int}/contacts", CAP_C_ORGANIZE, 0, NULL, p_contact_post, FORM_CONTACT},
    {"POST", P "/{id:int}/contacts/{cid:int}/delete", CAP_C_ORGANIZE, 0, NULL,
     p_contact_delete_post, NULL},
    {"POST", P "/{id:int}/log", CAP_C_ORGANIZE, 0, NULL, p_log_post, FORM_LOG},
    {"GET", P "/{id:int}/log/{eid:int}/edit", CAP_C_ORGANIZE, 0, NULL, p_log_edit_get, NULL},
    {"POST", P "/{id:int}/log/{eid:int}/edit", CAP_C_ORGANIZE, 0, NULL, p_log_edit_post, FORM_LOG},
    {"GET", P "/overdue", CAP_C_ORGANIZE, 0, PAGE_PARAMS, p_overdue_get, NULL},
    {0},
};

/* Residents' requests: a member asks and follows their own; the
 * organizers triage. */
static const char *const RQ_PARAMS[] = {"status", "page", NULL};
#define R "/c/{slug}/requests"
static const struct route request_routes[] = {
    {"GET", R, CAP_C_MEMBER, 0, RQ_PARAMS, rq_list_get, NULL},
    {"POST", R, CAP_C_MEMBER, 0, NULL, rq_ask_post, FORM_ASK},
    {"GET", R "/readers", CAP_C_ORGANIZE, 0, NULL, rq_readers_get, NULL},
    {"POST", R "/readers", CAP_C_ORGANIZE, 0, NULL, rq_readers_post, FORM_READER},
    {"GET", R "/{id:int}", CAP_C_MEMBER, 0, NULL, rq_card_get, NULL},
    {"POST", R "/{id:int}/triage", CAP_C_ORGANIZE, 0, NULL, rq_triage_post, FORM_TRIAGE},
    {"POST", R "/{id:int}/answer", CAP_C_ORGANIZE, 0, NULL, rq_answer_post, FORM_ANSWER},
    {0},
};

/* The notice the scheduled pass writes to the member responsible for a
 * next step whose day passed (areas/notify/pass.c); it leads to the
 * partner's card, which only the staff may open. */
static const struct notify_kind partner_notify_kinds[] = {
    {PARTNER_NOTIFY_OVERDUE, "partner.notify.step_overdue", NOTIFY_INBOX, "/partners/{id}#log"},
    {0},
};

static const struct route_table partner_tables[] = {
    {SCOPE_COMMUNITY, partner_routes}, {SCOPE_COMMUNITY, request_routes}, {0}};

const struct area partner_area = {
    .name = "partner",
    .routes = partner_tables,
    .nav_path = "/partners",
    .nav_label = "partner.title",
    .demo = partner_demo,
    .bench = partner_bench,
    .seal_texts = partner_seal_texts,
    .member_left = rq_member_left,
    .person_export = rq_person_export,
    .notify_kinds = partner_notify_kinds,
};
