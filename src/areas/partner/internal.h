/* What the partner area's page files share (not for other areas). */
#ifndef HR_PARTNER_INTERNAL_H
#define HR_PARTNER_INTERNAL_H

#include "areas/partner/partner.h"
#include "core/form.h"
#include "core/render.h"

/* Lengths people may type (the tables refuse only an empty name). */
enum {
    P_NAME_MAX = 200,
    P_TERRITORY_MAX = 300,
    P_REACH_MAX = 1000,
    P_NOTES_MAX = 4000,
    P_ROLE_MAX = 200,
    P_PAGE = 25,
};

/* "/c/{slug}" + tail, in the arena. */
const char *p_url(struct req *r, const char *tail);
/* The {id} of the path. */
int64_t p_path_id(struct req *r);
/* A list of choices for a template's select: [{key, label, selected}],
 * label the catalog's prefix + key, cur selected. New reference. */
json_t *p_choices(struct req *r, const char *const *keys, const char *prefix, const char *cur);
/* A view with title (a catalog key), slug and is_staff, owned by r. */
json_t *p_view(struct req *r, const char *title_key);
/* 404 as every missing object answers. */
void p_not_found(struct req *r);

/* ---- partners.c: the directory ---- */
extern const struct field FORM_PARTNER[], FORM_CONTACT[];
void p_list_get(struct req *r);
void p_new_get(struct req *r);
void p_create_post(struct req *r);
void p_card_get(struct req *r);
void p_edit_get(struct req *r);
void p_edit_post(struct req *r);
void p_delete_get(struct req *r);
void p_delete_post(struct req *r);
void p_contact_post(struct req *r);
void p_contact_delete_post(struct req *r);
/* The card page: status, and the form that was refused (422) or NULL. */
void p_card_page(struct req *r, int status, struct form *f);

/* ---- log.c: the interaction log ---- */
extern const struct field FORM_LOG[];
/* The partner's log, and the choices of the form that adds to it (the
 * submitted values selected when values holds them), into v. */
void p_log_into(struct req *r, json_t *v, int64_t pid, json_t *values);
void p_log_post(struct req *r);
void p_log_edit_get(struct req *r);
void p_log_edit_post(struct req *r);
void p_overdue_get(struct req *r);

/* ---- requests.c: residents' requests ---- */
extern const struct field FORM_ASK[], FORM_TRIAGE[], FORM_ANSWER[], FORM_READER[];
void rq_list_get(struct req *r);
void rq_ask_post(struct req *r);
void rq_card_get(struct req *r);
void rq_triage_post(struct req *r);
void rq_answer_post(struct req *r);
void rq_readers_get(struct req *r);
void rq_readers_post(struct req *r);

#endif
