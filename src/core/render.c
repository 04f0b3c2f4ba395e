/* Answers; see render.h. */
#include "core/render.h"
#include "core/app.h"
#include "core/form.h"
#include "core/i18n.h"
#include "core/jsonout.h"
#include "core/log.h"
#include "core/text.h"
#include "core/tmpl.h"

#include <cmark.h>
#include <stdlib.h>
#include <qrencode.h>
#include <sodium.h>
#include <string.h>

const char *tr(struct req *r, const char *key)
{
    return i18n_get(r->app->cat, r->lang, key);
}

/* text with {var} replaced by value (taken), in the arena. */
static const char *subst_one(struct req *r, const char *text, const char *var, json_t *value)
{
    json_t *args = json_object();
    json_object_set_new(args, var, value);
    struct buf b;
    buf_init(&b);
    tmpl_subst(&b, text, args, 0);
    json_decref(args);
    const char *s = arena_strdup(r->arena, b.data ? b.data : "");
    buf_free(&b);
    return s;
}

const char *tr_n(struct req *r, const char *key, const char *var, int64_t n)
{
    return subst_one(r, i18n_plural(r->app->cat, r->lang, key, n), var,
                     json_integer((json_int_t)n));
}

const char *tr_s(struct req *r, const char *key, const char *var, const char *value)
{
    return subst_one(r, tr(r, key), var, view_string(value));
}

json_t *view_string(const char *s)
{
    return db_text_json(s ? s : "", s ? strlen(s) : 0);
}

struct vmask view_mask(struct req *r, const struct vfield *fields)
{
    struct vmask m = {fields, 0};
    for (int i = 0; i < 64 && fields[i].name; i++)
        if (req_can(r, (enum cap)fields[i].cap) == 0) m.allow |= (uint64_t)1 << i;
    return m;
}

static void put_json(struct req *r, int status, json_t *v)
{
    /* UTF-8 as it is (the Content-Type says so): \uXXXX for every Cyrillic
     * letter made Russian JSON two to three times larger and slower; and
     * not through json_dumps, which was half of a page's cost (jsonout.h) */
    r->status = status;
    r->content_type = "application/json; charset=utf-8";
    buf_free(&r->out);
    if (v)
        json_out(&r->out, v);
    else
        buf_puts(&r->out, "{}");
    buf_putc(&r->out, '\n');
}

/* The flash message from the previous redirect, if any; clears it. */
static void take_flash(struct req *r, json_t *ctx)
{
    const char *key = req_cookie(r, "hr_flash");
    if (str_empty(key)) return;
    req_set_cookie(r, "hr_flash", "", 0);
    /* Only our own keys: a cookie is input like any other. */
    if (!str_starts(key, "flash.") || strlen(key) > 64) return;
    for (const char *p = key; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '.' || *p == '_')) return;
    json_object_set_new(ctx, "flash", json_string(tr(r, key)));
}

static void put_html(struct req *r, int status, const char *tmpl, json_t *view)
{
    struct buf content;
    buf_init(&content);
    if (tmpl_render(r->app->tmpl, tmpl, view, r->app->cat, r->lang, &content) != 0) {
        buf_free(&content);
        r->status = 500;
        r->content_type = "text/plain; charset=utf-8";
        buf_puts(&r->out, "internal error: missing template\n");
        return;
    }
    json_t *ctx = json_object();
    json_t *title = json_object_get(view, "title");
    if (title) json_object_set(ctx, "title", title);
    json_object_set_new(ctx, "lang", json_string(r->lang));
    json_object_set_new(ctx, "lang_en", json_boolean(str_eq(r->lang, "en")));
    json_object_set_new(ctx, "csrf", json_string(r->csrf ? r->csrf : ""));
    json_object_set_new(ctx, "path", json_string(r->path));
    if (r->acct)
        json_object_set_new(ctx, "viewer",
                            json_pack("{ss ss sb sb}", "handle", r->acct->handle, "display_name",
                                      r->acct->display_name, "is_admin", r->acct->is_admin,
                                      "is_coord", r->acct->is_coord || r->acct->is_admin));
    take_flash(r, ctx);
    if (r->app->hooks.layout_extra) r->app->hooks.layout_extra(r, ctx);
    r->status = status;
    r->content_type = "text/html; charset=utf-8";
    buf_free(&r->out);
    /* The page made from the templates goes into the layout as it is: it
     * was a jansson string in ctx, copied in and out again (the largest
     * string of the request). */
    tmpl_render_slot(r->app->tmpl, "core/layout", ctx, r->app->cat, r->lang, "content",
                     content.data ? content.data : "", content.len, &r->out);
    buf_free(&content);
    json_decref(ctx);
}

void render_page(struct req *r, int status, const char *tmpl, json_t *view)
{
    if (r->csrf) json_object_set_new(view, "csrf", json_string(r->csrf));
    if (r->want_json)
        put_json(r, status, view);
    else
        put_html(r, status, tmpl, view);
    /* A view the request owns goes with it; an unowned one is taken. */
    if (!req_owns(r, view)) json_decref(view);
}

void render_redirect(struct req *r, const char *url, const char *flash)
{
    r->status = 303;
    req_add_header(r, "Location", url);
    if (flash) req_set_cookie(r, "hr_flash", flash, 60);
    r->content_type = "text/plain; charset=utf-8";
    buf_free(&r->out);
    buf_printf(&r->out, "See %s\n", url);
}

int render_form_read(struct form *f, struct req *r, const struct field *fields, const char *msgkey)
{
    if (form_read(f, r, fields)) return 1;
    form_release(f);
    render_error(r, 422, "invalid", msgkey);
    return 0;
}

void render_error(struct req *r, int status, const char *code, const char *msgkey)
{
    /* A sentence for a person first; what to do next, when the catalog has
     * it as KEY.hint; the code last, in small print, for whoever helps. */
    const char *msg = tr(r, msgkey);
    const char *hintkey = arena_printf(r->arena, "%s.hint", msgkey);
    const char *hint = tr(r, hintkey);
    if (hint == hintkey || strcmp(hint, hintkey) == 0) hint = NULL;
    if (r->want_json) {
        json_t *v = json_pack("{s{ss ss}}", "error", "code", code, "message", msg);
        if (hint) json_object_set_new(json_object_get(v, "error"), "hint", json_string(hint));
        put_json(r, status, v);
        json_decref(v);
        return;
    }
    json_t *view = json_pack("{ss ss si}", "title", msg, "message", msg, "status", status);
    json_object_set_new(view, "code", json_string(code));
    if (hint) json_object_set_new(view, "hint", json_string(hint));
    put_html(r, status, "core/error", view);
    json_decref(view);
}

void render_invalid(struct req *r, const char *tmpl, json_t *view, struct form *f)
{
    if (r->want_json) {
        json_t *v = json_pack("{s{ss ss sO}}", "error", "code", "invalid", "message",
                              tr(r, "error.invalid"), "fields", f->errors);
        /* what a field offers after this answer (the members a name
         * matched, for one to be chosen): the page's select, for a client */
        if (json_object_size(f->options))
            json_object_set(json_object_get(v, "error"), "choices", f->options);
        put_json(r, 422, v);
        json_decref(v);
        if (!req_owns(r, view)) json_decref(view);
    } else {
        form_to_view(f, view);
        json_object_set_new(view, "invalid", json_true());
        render_page(r, 422, tmpl, view);
    }
    form_release(f);
}

void render_form(struct req *r, int status, const char *tmpl, json_t *view, struct form *f)
{
    if (status == 422) {
        render_invalid(r, tmpl, view, f);
        return;
    }
    form_to_view(f, view);
    form_release(f);
    render_page(r, status, tmpl, view);
}

void render_confirm(struct req *r, const struct confirm *c)
{
    json_t *v = req_view(r);
    json_object_set_new(v, "title", json_string(c->title));
    if (c->what) json_object_set_new(v, "what", json_string(c->what));
    json_object_set_new(v, "loss", json_string(c->loss ? c->loss : ""));
    json_object_set_new(v, "action", json_string(r->path));
    json_object_set_new(v, "back", json_string(c->back ? c->back : "/"));
    json_object_set_new(v, "back_label", json_string(c->back_label ? c->back_label : ""));
    json_object_set_new(v, "button", json_string(c->button ? c->button : tr(r, "confirm.yes")));
    json_object_set_new(v, "final", json_boolean(c->final));
    if (c->phrase) {
        json_object_set_new(v, "phrase", json_string(c->phrase));
        json_object_set_new(v, "phrase_label", json_string(c->phrase_label ? c->phrase_label : ""));
    }
    if (c->invalid)
        render_invalid(r, "core/confirm", v, c->invalid);
    else
        render_page(r, 200, "core/confirm", v);
}

void render_bytes(struct req *r, int status, const char *ctype, const char *data, size_t len)
{
    r->status = status;
    r->content_type = ctype;
    buf_free(&r->out);
    buf_append(&r->out, data, len);
}

void render_pager(struct req *r, json_t *view, int64_t page, int more, const char *before,
                  const char *after)
{
    if (more)
        json_object_set_new(
            view, "next_page",
            json_string(arena_printf(r->arena, "%s%lld%s", before, (long long)page + 1, after)));
    if (page > 1)
        json_object_set_new(
            view, "prev_page",
            json_string(arena_printf(r->arena, "%s%lld%s", before, (long long)page - 1, after)));
}

int render_page_rows(json_t **rows, size_t per_page)
{
    if (!*rows) *rows = json_array();
    int more = json_array_size(*rows) > per_page;
    if (more) json_array_remove(*rows, per_page);
    return more;
}

void view_put_html(struct req *r, json_t *view, const char *key, const char *html)
{
    if (r->want_json || !html) return;
    json_object_set_new(view, key, json_string(html));
}

const char *render_markdown(struct req *r, const char *md)
{
    if (str_empty(md)) return "";
    /* cmark 0.30 drops raw HTML and unsafe links unless CMARK_OPT_UNSAFE. */
    char *html = cmark_markdown_to_html(md, strlen(md), CMARK_OPT_DEFAULT | CMARK_OPT_SMART);
    const char *out = arena_strdup(r->arena, html ? html : "");
    free(html);
    return out;
}

const char *fmt_decimal(struct req *r, double v)
{
    char *s = arena_printf(r->arena, "%.1f", v);
    if (str_eq(r->lang, "ru"))
        for (char *p = s; *p; p++)
            if (*p == '.') *p = ',';
    return s;
}

/* Appends a node's text to b, a space for every break and block end. */
static void summary_walk(cmark_node *root, struct buf *b, size_t limit)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE && b->len < limit) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (ev == CMARK_EVENT_ENTER) {
            if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_CODE_BLOCK) {
                const char *lit = cmark_node_get_literal(n);
                if (lit) buf_puts(b, lit);
            } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
                buf_putc(b, ' ');
            }
            /* Raw HTML is dropped, as the page drops it. */
        } else if (ev == CMARK_EVENT_EXIT && t >= CMARK_NODE_FIRST_BLOCK &&
                   t <= CMARK_NODE_LAST_BLOCK) {
            buf_putc(b, ' ');
        }
    }
    cmark_iter_free(it);
}

const char *render_markdown_summary(struct req *r, const char *md, size_t maxchars)
{
    if (str_empty(md)) return "";
    cmark_node *doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT | CMARK_OPT_SMART);
    if (!doc) return "";
    struct buf text;
    buf_init(&text);
    /* Four bytes a character is the most UTF-8 needs; more is never read. */
    summary_walk(doc, &text, maxchars * 4 + 64);
    cmark_node_free(doc);
    /* Whitespace collapsed, at most maxchars characters, cut after a whole
     * word with an ellipsis when something was left out. */
    struct buf out;
    buf_init(&out);
    size_t chars = 0, last_word_end = 0;
    int space = 0, cut = 0;
    for (size_t i = 0; text.data && i < text.len; i++) {
        unsigned char c = (unsigned char)text.data[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = out.len > 0;
            continue;
        }
        if ((c & 0xC0) != 0x80) { /* a new character */
            if (space) {
                last_word_end = out.len;
                if (chars + 1 >= maxchars) {
                    cut = 1;
                    break;
                }
                buf_putc(&out, ' ');
                chars++;
                space = 0;
            }
            if (chars >= maxchars) {
                cut = 1;
                break;
            }
            chars++;
        }
        buf_putc(&out, (char)c);
    }
    buf_free(&text);
    const char *res;
    if (cut) {
        /* A word longer than the whole summary is cut where it stands. */
        size_t keep = last_word_end ? last_word_end : out.len;
        while (keep > 0 && strchr(",;:-", out.data[keep - 1]))
            keep--;
        res = arena_printf(r->arena, "%.*s…", (int)keep, out.data);
    } else {
        res = arena_strdup(r->arena, out.data ? out.data : "");
    }
    buf_free(&out);
    return res;
}

const char *render_qr_svg(struct req *r, const char *text)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return NULL;
    int n = q->width, quiet = 4, size = n + 2 * quiet;
    struct buf b;
    buf_init(&b);
    buf_printf(&b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
               "width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\" role=\"img\">"
               "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
               size, size, size * 6, size * 6, size, size);
    for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++)
            if (q->data[y * n + x] & 1) buf_printf(&b, "M%d %dh1v1h-1z", x + quiet, y + quiet);
    buf_puts(&b, "\"/></svg>");
    QRcode_free(q);
    const char *s = arena_strdup(r->arena, b.data);
    sodium_memzero(b.data, b.len);
    buf_free(&b);
    return s;
}
