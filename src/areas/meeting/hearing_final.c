/* The final document's draft, composed from what the hearing received:
 * the heading, date, place, chair and secretary, how many comments came
 * (from members, from residents through the link), the agenda, then per
 * item and for the hearing as a whole the comments (quoted, only counted,
 * or left for the organizer to summarise, as chosen) and the answers
 * given, and a closing section for the conclusions. Authors are never
 * named: the document is published to residents. Nothing is stored
 * here. */
#include "areas/community/community.h"
#include "areas/meeting/assembly.h"
#include "areas/meeting/hearing.h"
#include "areas/meeting/meeting.h"
#include "core/i18n.h"

#include <stdlib.h>
#include <string.h>

struct ctx {
    const struct i18n *cat;
    const char *lang;
    struct buf *b;
    const char *mode;
};

static const char *L(const struct ctx *x, const char *key)
{
    return i18n_get(x->cat, x->lang, key);
}

/* Text on one line with Markdown's signs escaped (a title, a name). */
static void md_line(struct buf *b, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '\n' || *p == '\r') {
            buf_putc(b, ' ');
            continue;
        }
        if (strchr("\\`*_[]<>#|!~", *p)) buf_putc(b, '\\');
        buf_putc(b, *p);
    }
}

/* A person's text as a quotation: every line after "> ", escaped. */
static void md_quote(struct buf *b, const char *s)
{
    buf_puts(b, "> ");
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '\r') continue;
        if (*p == '\n') {
            buf_puts(b, "  \n> ");
            continue;
        }
        if (strchr("\\`*_[]<>#|!~", *p)) buf_putc(b, '\\');
        buf_putc(b, *p);
    }
    buf_puts(b, "\n\n");
}

static void fact(const struct ctx *x, const char *key, const char *value)
{
    buf_printf(x->b, "**%s:** ", L(x, key));
    if (value && *value)
        md_line(x->b, value);
    else
        buf_puts(x->b, "—");
    buf_puts(x->b, "  \n");
}

/* The comments on one item (0: the whole) and their answers. */
static void section(const struct ctx *x, json_t *all, int64_t item)
{
    size_t i;
    json_t *c;
    int64_t n = 0, hidden = 0, residents = 0;
    json_array_foreach(all, i, c)
    {
        if (json_integer_value(json_object_get(c, "item_id")) != item) continue;
        if (json_integer_value(json_object_get(c, "hidden")) == 1)
            hidden++;
        else {
            n++;
            residents += json_integer_value(json_object_get(c, "resident")) == 1;
        }
    }
    buf_printf(x->b, "**%s:** %lld", L(x, "meeting.hearing.md.received"), (long long)n);
    if (residents)
        buf_printf(x->b, " (%s: %lld)", L(x, "meeting.hearing.md.by_link"), (long long)residents);
    if (hidden)
        buf_printf(x->b, "; %s: %lld", L(x, "meeting.hearing.md.hidden"), (long long)hidden);
    buf_puts(x->b, "\n\n");
    if (n == 0) return;
    if (str_eq(x->mode, "summary"))
        buf_printf(x->b, "_%s_\n\n", L(x, "meeting.hearing.md.summary_here"));
    int k = 0;
    json_array_foreach(all, i, c)
    {
        if (json_integer_value(json_object_get(c, "item_id")) != item ||
            json_integer_value(json_object_get(c, "hidden")) == 1)
            continue;
        const char *ans = json_string_value(json_object_get(c, "answer"));
        int quoted = str_eq(x->mode, "quoted");
        if (!quoted && !(ans && *ans)) continue;
        k++;
        buf_printf(x->b, "%d. %s", k,
                   L(x, json_integer_value(json_object_get(c, "resident")) == 1
                            ? "meeting.hearing.md.from_resident"
                            : "meeting.hearing.md.from_member"));
        buf_puts(x->b, "\n\n");
        if (quoted) md_quote(x->b, json_string_value(json_object_get(c, "body")));
        if (ans && *ans) {
            buf_printf(x->b, "   **%s:** ", L(x, "meeting.hearing.md.answer"));
            md_line(x->b, ans);
            buf_puts(x->b, "\n\n");
        } else {
            buf_printf(x->b, "   _%s_\n\n", L(x, "meeting.hearing.md.no_answer"));
        }
    }
}

static const char *name_of(struct dbc *c, struct arena *a, int64_t cid, int64_t id)
{
    if (!id) return NULL;
    char *n = member_name_of(c, cid, id);
    const char *out = n ? arena_strdup(a, n) : NULL;
    free(n);
    return out;
}

int hearing_final_compose(struct dbc *c, struct arena *a, const struct i18n *cat, const char *lang,
                          int64_t cid, int64_t event_id, const char *mode, struct buf *out)
{
    struct asm_info s;
    struct event ev;
    if (asm_find(c, a, cid, event_id, &s) != 0 || !str_eq(s.kind, "hearing") ||
        event_find(c, a, cid, event_id, &ev) != 0)
        return -1;
    struct ctx x = {cat, lang, out, mode};
    buf_printf(out, "# %s\n\n", L(&x, "meeting.hearing.md.heading"));
    buf_puts(out, "## ");
    md_line(out, ev.title);
    buf_puts(out, "\n\n");
    char at[20];
    event_local_format(ev.starts_at, ev.zone, at);
    at[10] = ' ';
    fact(&x, "meeting.minutes.md.date", at);
    fact(&x, "meeting.minutes.md.place", ev.place_text);
    fact(&x, "meeting.asm.field.chair", name_of(c, a, cid, s.chair_id));
    fact(&x, "meeting.asm.field.secretary", name_of(c, a, cid, s.secretary_id));
    json_t *all = hearing_comments_all(c, s.id);
    if (!all) all = json_array();
    int64_t total = 0, residents = 0;
    size_t i;
    json_t *row;
    json_array_foreach(all, i, row)
    {
        if (json_integer_value(json_object_get(row, "hidden")) == 1) continue;
        total++;
        residents += json_integer_value(json_object_get(row, "resident")) == 1;
    }
    buf_printf(out, "**%s:** %lld (%s: %lld)\n\n", L(&x, "meeting.hearing.md.total"),
               (long long)total, L(&x, "meeting.hearing.md.by_link"), (long long)residents);
    json_t *items = hearing_item_titles(c, s.id);
    if (!items) items = json_array();
    buf_printf(out, "### %s\n\n", L(&x, "meeting.hearing.md.heard"));
    json_array_foreach(items, i, row)
    {
        buf_printf(out, "%zu. ", i + 1);
        md_line(out, json_string_value(json_object_get(row, "title")));
        buf_puts(out, "\n");
    }
    if (!json_array_size(items)) buf_puts(out, "—\n");
    buf_printf(out, "\n### %s\n\n", L(&x, "meeting.hearing.md.comments"));
    json_array_foreach(items, i, row)
    {
        buf_printf(out, "#### %zu. ", i + 1);
        md_line(out, json_string_value(json_object_get(row, "title")));
        buf_puts(out, "\n\n");
        section(&x, all, json_integer_value(json_object_get(row, "id")));
    }
    buf_printf(out, "#### %s\n\n", L(&x, "meeting.hearing.whole"));
    section(&x, all, 0);
    buf_printf(out, "### %s\n\n_%s_\n", L(&x, "meeting.hearing.md.conclusion"),
               L(&x, "meeting.hearing.md.conclusion_here"));
    json_decref(items);
    json_decref(all);
    return 0;
}
