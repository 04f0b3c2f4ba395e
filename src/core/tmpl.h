/*
 * Templates: a Mustache dialect over jansson values, compiled into the
 * binary and parsed once at start-up.
 *
 *   {{name}} {{a.b}} {{.}}    the value, HTML-escaped (always)
 *   {{{name}}}                the value unescaped: only for HTML the server
 *                             made safe itself (Markdown output, SVG)
 *   {{%name}}                 a string as a URL component, percent-encoded
 *                             (a search link's ?q=), safe in HTML as well
 *   {{*name}}                 the string name as Markdown, rendered to HTML
 *                             (raw HTML and unsafe links dropped): views
 *                             carry what people wrote, never HTML
 *   {{#name}}...{{/name}}     arrays repeat; objects enter; truthy renders once
 *   {{#list.0}}...{{/list.0}} renders once when list has an element, in the
 *                             context it stands in (it does not enter it)
 *   {{^name}}...{{/name}}     renders when name is missing/false/0/""/[]
 *   {{>area/name}}            another template, with the current context
 *   {{>*name}}                the template whose name is the string name
 *   {{_ key}}                 the catalog text for key, with {var} replaced
 *                             by escaped values from the context
 *   {{_n key var}}            the plural form of key for the number var
 *   {{! comment}}
 *
 * Escaping by default is the point: a handler cannot forget it.
 */
#ifndef HR_TMPL_H
#define HR_TMPL_H

#include "core/util.h"
#include <jansson.h>

struct tmpl_set;
struct i18n;

/* Parses every embedded *.html. Template names drop "src/", "areas/" and
 * ".html": src/areas/community/home.html is "community/home", src/core/
 * layout.html is "core/layout". NULL on a syntax error (logged). */
struct tmpl_set *tmpl_load(void);
/* Parses templates from memory (for tests): names[i] -> texts[i]. */
struct tmpl_set *tmpl_load_from(const char *const *names, const char *const *texts, int n);
void tmpl_free(struct tmpl_set *s);
int tmpl_exists(const struct tmpl_set *s, const char *name);

/* Renders name with ctx into out. Returns 0, or -1 if there is no such
 * template. */
int tmpl_render(const struct tmpl_set *s, const char *name, json_t *ctx, const struct i18n *cat,
                const char *lang, struct buf *out);

/* tmpl_render, where {{{slot}}} stands for len bytes (a page's content in
 * the layout: copying it into a jansson string first, and out again, cost
 * more than the rest of the layout). The bytes are as {{{ }}} shows them:
 * HTML the server made. Only {{{slot}}} sees them, and not where an inner
 * context has a value named slot; ctx must not have one. */
int tmpl_render_slot(const struct tmpl_set *s, const char *name, json_t *ctx,
                     const struct i18n *cat, const char *lang, const char *slot, const char *bytes,
                     size_t len, struct buf *out);

/* Replaces {var} in text with escaped values from ctx (used by {{_ }} and
 * by handlers for messages). */
void tmpl_subst(struct buf *out, const char *text, json_t *ctx, int escape);

#endif
