/* What the initiative area's page files share; not for other areas. */
#ifndef HR_INITIATIVE_INTERNAL_H
#define HR_INITIATIVE_INTERNAL_H

#include "areas/initiative/initiative.h"
#include "core/form.h"
#include "core/render.h"

/* "/c/<slug>/initiatives<suffix>" in the arena. */
const char *ini_url(struct req *r, const char *suffix);
/* "/c/<slug>/initiatives/<id>" in the arena. */
const char *ini_page_url(struct req *r, int64_t id);
/* title, slug, is_member, is_organizer: a page's base view (request-owned). */
json_t *ini_base_view(struct req *r, const char *title_key);
/* Labels of a row's direction and state (with its stage), its flags as
 * booleans. */
void ini_decorate(struct req *r, json_t *row);
/* The labels of a page's rows, made once a page and shared by its rows (a
 * label is a lookup, two printf and a string; a list has a few). */
struct ini_labels {
    int n;
    struct ini_label {
        const char *prefix, *key;
        int64_t stage;
        json_t *label;
    } e[24];
};
/* ini_decorate with the labels taken from L and kept there (L NULL: none
 * kept). */
void ini_decorate_with(struct req *r, struct ini_labels *L, json_t *row);
void ini_not_found(struct req *r);

/* The initiative page (pages.c), with status and a form of its own (the
 * comment's, re-rendered with its input kept on 422; NULL for none). */
void ini_page_render(struct req *r, int status, struct form *comment);
/* ... with extra merged into its view ("row_error": {kind, entry, message,
 * input} marks a row's form; "gate_missing": a refused move's checklist). */
void ini_page_render_with(struct req *r, int status, struct form *comment, json_t *extra);

/* stages.c: the page's section of the four stages, the moves and the
 * coordinator. f is the page's form (its values filled with the stored
 * texts where it has none). */
void ini_stage_view(struct req *r, json_t *v, json_t *it, struct form *f, json_t *row_error,
                    int work);
/* work.c: the work pages, the forms of stage work (1..4) or the
 * coordinator's choice (INI_WORK_COORDINATOR), with status and a form sent
 * back (NULL: the stored values); row_error as for ini_page_render_with.
 * ini_stage_view with work 0 draws the summary: the data, no form. */
enum { INI_WORK_COORDINATOR = 5 };
void ini_work_render(struct req *r, int status, struct form *f, int work, json_t *row_error);
/* The work page's address (work 0: the initiative's page). */
const char *ini_work_url(struct req *r, int64_t id, int work);
extern const struct route ini_work_routes[];
/* The catalog labels of a refused move's missing keys (a JSON array). */
json_t *ini_gate_labels(struct req *r, const char *missing_json);
/* minor units in the viewer's language's way of writing them (arena). */
const char *ini_amount_text(struct req *r, int64_t minor);
json_t *ini_options(struct req *r, json_t *rows, const char *key, const char *label,
                    int64_t selected, const char *none_key);
extern const char *const ini_task_statuses[], *const ini_evidence_kinds[];
void ini_move_post(struct req *r);
void ini_back_get(struct req *r);
void ini_back_post(struct req *r);
void ini_coordinator_post(struct req *r);
extern const struct field INI_FORM_MOVE[], INI_FORM_BACK[], INI_FORM_COORDINATOR[];

/* stage_forms.c: the forms of the stages' data, and the routes of both. */
extern const struct field INI_FORM_ANALYSIS[], INI_FORM_DESIGN[], INI_FORM_EVALUATION[];
extern const struct route ini_stage_routes[];
extern const struct route ini_photo_routes[];
/* Each report of reports gets its photos; with may_add, v the upload
 * form's select of reports (photos.c). */
void ini_photos_attach(struct req *r, json_t *v, json_t *reports, int64_t id, int may_add);
/* The start and end of a form's write, shared by the stages' and the
 * funds' forms (stage_forms.c): when f failed, page(r, f, arg) answers it
 * (422 with its page, f released) and 0; else 1 and a writer in *w (NULL:
 * busy, which req_commit answers). The end releases f (NULL: none),
 * commits and redirects to `to` with "saved". */
typedef void (*ini_form_page)(struct req *r, struct form *f, int arg);
int ini_write_begin(struct req *r, struct form *f, struct dbc **w, ini_form_page page, int arg);
void ini_write_finish(struct req *r, struct form *f, enum wr rc, const char *to);
/* An amount field: its minor units (0 when empty), or an error beside it. */
int64_t ini_amount_field(struct form *f, const char *name);
/* A form value read back as a number (a select's choice kept). */
int64_t form_value_int(json_t *values, const char *key);

/* funds.c: the fundraising page and its forms; report.c: the
 * transparency report. */
const char *ini_funds_url(struct req *r, int64_t id);
extern const struct route ini_funds_routes[], ini_report_routes[];

/* decide.c: supports, comments, decisions, settings. */
void ini_support_post(struct req *r);
void ini_withdraw_post(struct req *r);
void ini_comment_post(struct req *r);
void ini_hide_get(struct req *r);
void ini_hide_post(struct req *r);
void ini_accept_post(struct req *r);
void ini_decline_get(struct req *r);
void ini_decline_post(struct req *r);
void ini_merge_get(struct req *r);
void ini_merge_post(struct req *r);
void ini_settings_get(struct req *r);
void ini_settings_post(struct req *r);
extern const struct field INI_FORM_COMMENT[], INI_FORM_REASON[], INI_FORM_MERGE[],
    INI_FORM_SETTINGS[];

#endif
