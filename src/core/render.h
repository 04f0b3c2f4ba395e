/*
 * Answers: one view (a jansson object), two renderings. HTML through the
 * area's template inside the layout, or the same view as JSON when the
 * client asked for application/json. The view must hold only what this
 * viewer may see: the template is never the filter.
 *
 * Every render_* takes the reference to view it is given.
 */
#ifndef HR_RENDER_H
#define HR_RENDER_H

#include "core/db.h"
#include "core/req.h"

struct form;

/* A page: status, template name ("community/home"), view. The view gets
 * "csrf" added; the title is view.title. */
void render_page(struct req *r, int status, const char *tmpl, json_t *view);
/* 303 See Other to url (a local path). flash, if not NULL, is a catalog key
 * shown once on the next page. */
void render_redirect(struct req *r, const char *url, const char *flash);
/* An error page / JSON error: {"error": {"code", "message"}}. msgkey is a
 * catalog key. */
void render_error(struct req *r, int status, const char *code, const char *msgkey);
/* Reads a form that has no page of its own to show again (a select in a
 * list, a switch): 1 when valid; else 0, the form released and a 422
 * answered saying msgkey. */
struct form;
struct field;
int render_form_read(struct form *f, struct req *r, const struct field *fields, const char *msgkey);
/* 422 with the form re-rendered: the view gets the form's values and
 * errors; JSON clients get {"error": {"code": "invalid", "message",
 * "fields": {...}}}. Releases the form. */
void render_invalid(struct req *r, const char *tmpl, json_t *view, struct form *f);
/* An edit page with its form: status 422 is render_invalid (the input kept,
 * the messages beside the fields), any other puts the form's values into
 * the view and renders it with that status. Releases the form. */
void render_form(struct req *r, int status, const char *tmpl, json_t *view, struct form *f);
/* The page that asks before something is deleted or left: what it is
 * about, what goes with it, a button that POSTs to the same path and a way
 * back. Every area's "are you sure" is this one page. */
struct confirm {
    const char *title;      /* the question: "Delete this goal?" */
    const char *what;       /* the object, in bold (its title); may be NULL */
    const char *loss;       /* what goes with it, in words */
    const char *back;       /* where cancel leads: a local path */
    const char *back_label; /* the crumb's text: the section's name */
    const char *button;     /* NULL: "Yes, delete" */
    int final;              /* 1: say that it cannot be undone */
    /* A phrase the person types to confirm (a community's address before
     * it is deleted), shown after phrase_label; the field is "confirm".
     * NULL: a button is enough. */
    const char *phrase, *phrase_label;
    /* The form whose phrase did not match: 422 with the input kept and the
     * message beside the field (the form is released). */
    struct form *invalid;
};
void render_confirm(struct req *r, const struct confirm *c);
/* Raw bytes with a content type (SVG, CSV, CSS). */
void render_bytes(struct req *r, int status, const char *ctype, const char *data, size_t len);
/* A paged list's links into view: next_page when more, prev_page after
 * the first page; each is before, the page's number, then after (the
 * filters to keep). Templates show them with {{>core/pager}}. */
void render_pager(struct req *r, json_t *view, int64_t page, int more, const char *before,
                  const char *after);
/* A page's rows read as per_page + 1 (the one more tells there is a next
 * page): *rows made an empty array when the read failed, the extra row
 * dropped; 1 when there is a next page. */
int render_page_rows(json_t **rows, size_t per_page);
/* Which of a view's fields (db.h) this viewer is shown: each field's
 * capability asked once, through req_can. */
struct vfield;
struct vmask view_mask(struct req *r, const struct vfield *fields);

/* The translated text for key in the request's language. */
const char *tr(struct req *r, const char *key);
/* The plural form of key for n, with {var} replaced by n ("3 участника");
 * arena-owned. */
const char *tr_n(struct req *r, const char *key, const char *var, int64_t n);
/* The text of key with {var} replaced by value; arena-owned. */
const char *tr_s(struct req *r, const char *key, const char *var, const char *value);
/* A string for a view from C (NULL as ""), made as the database's texts
 * are (db_text_json: our own UTF-8 check); JSON null when it is not UTF-8.
 * New ref. */
json_t *view_string(const char *s);
/* v with one decimal as the viewer's language writes it: "4,5" in
 * Russian, "4.5" in English. Arena-owned. */
const char *fmt_decimal(struct req *r, double v);
/* Sets key to html (the caller's, copied) only when the answer is a page:
 * a chart drawn as SVG decorates the page, and the JSON view carries its
 * numbers instead. Callers that draw at some cost test r->want_json first.
 * Markdown needs none of this: views carry the source and templates render
 * it with {{*field}}. */
void view_put_html(struct req *r, json_t *view, const char *key, const char *html);
/* Markdown to safe HTML (raw HTML in the source is dropped); arena-owned. */
/* An SVG of the QR code for text (an invitation link, a second factor's
 * secret); arena-owned, NULL if it cannot be made. The scratch copy is
 * wiped, as the text may be a secret. */
const char *render_qr_svg(struct req *r, const char *text);
const char *render_markdown(struct req *r, const char *md);
/* The plain text of Markdown as a reader sees it rendered (marks, links'
 * targets and raw HTML gone, blocks joined by spaces), at most maxchars
 * characters, cut after a whole word with "…" when longer; arena-owned. */
const char *render_markdown_summary(struct req *r, const char *md, size_t maxchars);

#endif
