/* The minutes' draft, composed from what the assembly recorded, in the
 * order a residents' assembly's minutes take: the heading, date and
 * place, who was present and whether the quorum was reached, the chair
 * and the secretary, the agenda, then each item with what was heard, who
 * spoke (left for the secretary: the system does not know), what was put
 * to the vote with the count, and what was decided. The secretary edits
 * the result; nothing here is stored until the page stores it. */
#include "areas/meeting/assembly.h"
#include "areas/meeting/meeting.h"
#include "areas/meeting/minutes.h"
#include "core/i18n.h"

#include <string.h>

struct ctx {
    const struct i18n *cat;
    const char *lang;
    struct buf *b;
};

static const char *L(const struct ctx *x, const char *key)
{
    return i18n_get(x->cat, x->lang, key);
}

/* A text from the data on one line, Markdown's own signs escaped so that
 * a name or a title never turns into a heading, a list or a link. */
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

static const char *name_in(json_t *people, int64_t id)
{
    size_t i;
    json_t *p;
    json_array_foreach(people, i, p)
    {
        if (json_integer_value(json_object_get(p, "id")) == id)
            return json_string_value(json_object_get(p, "name"));
    }
    return NULL;
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

/* The names of the open votes of proposal pid with one choice. */
static int names_of(const struct ctx *x, json_t *votes, int64_t pid, const char *choice)
{
    size_t i;
    json_t *v;
    int n = 0;
    json_array_foreach(votes, i, v)
    {
        if (json_integer_value(json_object_get(v, "proposal_id")) != pid ||
            !str_eq(json_string_value(json_object_get(v, "choice")), choice))
            continue;
        buf_puts(x->b, n++ ? ", " : "");
        md_line(x->b, json_string_value(json_object_get(v, "name")));
        const char *why = json_string_value(json_object_get(v, "reason"));
        if (why && *why) {
            buf_puts(x->b, " (");
            md_line(x->b, why);
            buf_puts(x->b, ")");
        }
    }
    return n;
}

static void proposal(const struct ctx *x, json_t *p, json_t *votes, int counts_only)
{
    struct buf *b = x->b;
    int64_t pid = json_integer_value(json_object_get(p, "id"));
    const char *th = json_string_value(json_object_get(p, "threshold"));
    const char *state = json_string_value(json_object_get(p, "state"));
    int consent = str_eq(th, "consent");
    int secret = str_eq(json_string_value(json_object_get(p, "secrecy")), "secret");
    char key[64];
    buf_printf(b, "**%s:** ", L(x, "meeting.minutes.md.proposed"));
    md_line(b, json_string_value(json_object_get(p, "text")));
    snprintf(key, sizeof key, "meeting.asm.th.%s", th ? th : "simple");
    buf_printf(b, " (%s%s%s)  \n", L(x, key), secret ? ", " : "",
               secret ? L(x, "meeting.asm.secrecy.secret") : "");
    if (!str_eq(state, "closed")) {
        buf_printf(b, "**%s:** %s  \n", L(x, "meeting.minutes.md.voted"),
                   L(x, "meeting.minutes.md.not_voted"));
        return;
    }
    buf_printf(b, "**%s:** ", L(x, "meeting.minutes.md.voted"));
    if (consent)
        buf_printf(b, "%s %lld", L(x, "meeting.minutes.md.objections"),
                   (long long)json_integer_value(json_object_get(p, "objections")));
    else
        buf_printf(b, "%s %lld, %s %lld, %s %lld", L(x, "meeting.minutes.md.for"),
                   (long long)json_integer_value(json_object_get(p, "yes")),
                   L(x, "meeting.minutes.md.against"),
                   (long long)json_integer_value(json_object_get(p, "no")),
                   L(x, "meeting.minutes.md.abstained"),
                   (long long)json_integer_value(json_object_get(p, "abstain")));
    buf_printf(b, "; %s %lld  \n", L(x, "meeting.minutes.md.of_present"),
               (long long)json_integer_value(json_object_get(p, "present")));
    if (!counts_only && !secret) {
        static const char *const choices[] = {"for", "against", "abstain", "object"};
        for (int k = 0; k < 4; k++) {
            if (consent != (k == 3)) continue;
            size_t mark = b->len;
            snprintf(key, sizeof key, "meeting.minutes.md.names.%s", choices[k]);
            buf_printf(b, "%s: ", L(x, key));
            if (names_of(x, votes, pid, choices[k]) == 0)
                b->len = mark;
            else
                buf_puts(b, "  \n");
        }
    }
    int adopted = json_integer_value(json_object_get(p, "adopted")) == 1;
    buf_printf(b, "**%s:** %s  \n", L(x, "meeting.minutes.md.result"),
               L(x, adopted ? "meeting.asm.adopted" : "meeting.asm.rejected"));
}

int minutes_compose(struct dbc *c, struct arena *a, const struct i18n *cat, const char *lang,
                    int64_t cid, int64_t event_id, int counts_only, struct buf *out)
{
    static const struct vfield ITEMS[] = {{"id", 0}, {"title", 0}, {"document", 0}, {NULL, 0}};
    static const struct vfield PROPS[] = {
        {"id", 0},      {"item_id", 0}, {"text", 0}, {"threshold", 0}, {"secrecy", 0},
        {"state", 0},   {"yes", 0},     {"no", 0},   {"abstain", 0},   {"objections", 0},
        {"present", 0}, {"adopted", 0}, {NULL, 0},
    };
    static const struct vfield DECS[] = {{"item_id", 0}, {"text", 0}, {NULL, 0}};
    struct asm_info as;
    struct event ev;
    if (asm_find(c, a, cid, event_id, &as) != 0 || event_find(c, a, cid, event_id, &ev) != 0)
        return -1;
    struct ctx x = {cat, lang, out};
    json_t *people = asm_people(c, cid, 20000);
    json_t *present = asm_present(c, cid, as.id);
    struct vmask im = {ITEMS, ~(uint64_t)0}, pm = {PROPS, ~(uint64_t)0}, dm = {DECS, ~(uint64_t)0};
    json_t *items = asm_items(c, &im, as.id);
    json_t *props = asm_proposals(c, &pm, as.id, 0);
    json_t *votes = asm_votes(c, cid, as.id);
    json_t *decs = asm_decisions(c, &dm, as.id);
    char key[64], at[20];
    snprintf(key, sizeof key, "meeting.minutes.md.title.%s", as.kind);
    buf_printf(out, "# %s: ", L(&x, key));
    md_line(out, ev.title);
    buf_puts(out, "\n\n");
    event_local_format(ev.starts_at, ev.zone, at);
    at[10] = ' ';
    fact(&x, "meeting.minutes.md.date", arena_printf(a, "%s (%s)", at, ev.zone));
    fact(&x, "meeting.minutes.md.place",
         ev.place_text && *ev.place_text ? ev.place_text : ev.online_url);
    fact(&x, "meeting.asm.field.chair", name_in(people, as.chair_id));
    fact(&x, "meeting.asm.field.secretary", name_in(people, as.secretary_id));
    int64_t need = asm_quorum_needed(as.quorum_kind, as.quorum_value, as.members);
    buf_printf(out, "**%s:** %lld %s %lld (%s %lld, %s %lld)  \n",
               L(&x, "meeting.minutes.md.present"), (long long)as.present,
               L(&x, "meeting.minutes.md.of"), (long long)as.members, L(&x, "meeting.asm.how.room"),
               (long long)as.room, L(&x, "meeting.asm.how.online"), (long long)as.online);
    buf_printf(out, "**%s:** %s (%s %lld)\n\n", L(&x, "meeting.asm.field.quorum"),
               L(&x, as.present >= need ? "meeting.minutes.md.quorum_yes"
                                        : "meeting.minutes.md.quorum_no"),
               L(&x, "meeting.minutes.md.needed"), (long long)need);
    size_t i, j;
    json_t *row, *p;
    if (!counts_only && json_array_size(present)) {
        buf_printf(out, "%s: ", L(&x, "meeting.minutes.md.present_names"));
        json_array_foreach(present, i, row)
        {
            buf_puts(out, i ? ", " : "");
            md_line(out, json_string_value(json_object_get(row, "name")));
            if (str_eq(json_string_value(json_object_get(row, "how")), "online"))
                buf_printf(out, " (%s)", L(&x, "meeting.asm.how.online"));
        }
        buf_puts(out, "\n\n");
    }
    buf_printf(out, "## %s\n\n", L(&x, "meeting.minutes.md.agenda"));
    json_array_foreach(items, i, row)
    {
        buf_printf(out, "%zu. ", i + 1);
        md_line(out, json_string_value(json_object_get(row, "title")));
        buf_putc(out, '\n');
    }
    if (!json_array_size(items)) buf_printf(out, "%s\n", L(&x, "meeting.asm.no_items"));
    json_array_foreach(items, i, row)
    {
        int64_t item = json_integer_value(json_object_get(row, "id"));
        buf_printf(out, "\n## %zu. ", i + 1);
        md_line(out, json_string_value(json_object_get(row, "title")));
        buf_printf(out, "\n\n**%s:** ", L(&x, "meeting.minutes.md.heard"));
        md_line(out, json_string_value(json_object_get(row, "title")));
        buf_printf(out, "  \n**%s:** %s  \n", L(&x, "meeting.minutes.md.spoke"),
                   L(&x, "meeting.minutes.md.spoke_hint"));
        json_array_foreach(props, j, p)
        {
            if (json_integer_value(json_object_get(p, "item_id")) == item)
                proposal(&x, p, votes, counts_only);
        }
        int n = 0;
        json_array_foreach(decs, j, p)
        {
            if (json_integer_value(json_object_get(p, "item_id")) != item) continue;
            if (n++ == 0) buf_printf(out, "**%s:**\n\n", L(&x, "meeting.minutes.md.decided"));
            buf_puts(out, "- ");
            md_line(out, json_string_value(json_object_get(p, "text")));
            buf_putc(out, '\n');
        }
        if (n == 0)
            buf_printf(out, "**%s:** %s\n", L(&x, "meeting.minutes.md.decided"),
                       L(&x, "meeting.minutes.md.nothing"));
    }
    buf_printf(out, "\n%s: ", L(&x, "meeting.asm.field.chair"));
    buf_puts(out, "\\_\\_\\_\\_\\_\\_\\_\\_  \n");
    buf_printf(out, "%s: ", L(&x, "meeting.asm.field.secretary"));
    buf_puts(out, "\\_\\_\\_\\_\\_\\_\\_\\_\n");
    json_decref(people);
    json_decref(present);
    json_decref(items);
    json_decref(props);
    json_decref(votes);
    json_decref(decs);
    return 0;
}

enum wr minutes_draft_and_approve(struct dbc *w, int64_t cid, int64_t event_id)
{
    struct arena *a = arena_new();
    struct i18n *cat = i18n_load();
    struct asm_info as;
    enum wr rc = WR_NOT_FOUND;
    struct buf b;
    buf_init(&b);
    if (a && cat && asm_find(w, a, cid, event_id, &as) == 0) {
        int counts = minutes_counts_default(w, cid);
        if (minutes_compose(w, a, cat, "ru", cid, event_id, counts, &b) == 0) {
            while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ' '))
                b.len--;
            if (b.data) b.data[b.len] = 0;
            rc = minutes_store(w, cid, as.id, b.data ? b.data : "", counts, as.secretary_id);
            if (rc == WR_OK) rc = minutes_approve(w, cid, as.id, as.chair_id);
        }
    }
    buf_free(&b);
    if (cat) i18n_free(cat);
    if (a) arena_free(a);
    return rc;
}
