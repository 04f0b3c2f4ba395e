/* What the talent pages share: the viewer as the model sees them, labels,
 * decorating rows for a view, and the ranked, explained matches of an
 * entry. */
#include "areas/talent/internal.h"
#include "core/app.h"
#include "core/db.h"
#include "core/form.h"
#include "core/render.h"
#include "core/tmpl.h"

#include <stdlib.h>
#include <string.h>

struct talent_viewer talent_viewer_of(struct req *r)
{
    struct talent_viewer v = {0, 0, 0};
    if (r->acct) v.id = r->acct->id;
    v.member = r->comm && req_has(r, CAP_C_MEMBER);
    v.organizer = r->comm && req_has(r, CAP_C_ORGANIZE);
    return v;
}

const char *talent_url(struct req *r, const char *suffix)
{
    return arena_printf(r->arena, "/c/%s%s", r->comm->slug, suffix);
}

int64_t talent_path_id(struct req *r, const char *name)
{
    int64_t id = 0;
    if (str_to_i64(req_path(r, name), &id) != 0 || id <= 0) return 0;
    return id;
}

void talent_not_found(struct req *r)
{
    render_error(r, 404, "not_found", "error.not_found");
}

static const char *label(struct req *r, const char *prefix, json_t *v)
{
    const char *key = json_string_value(v);
    return tr(r, arena_printf(r->arena, "%s.%s", prefix, key ? key : ""));
}

json_t *talent_labels(struct req *r, const char *const *keys, const char *prefix,
                      const char *selected)
{
    json_t *a = json_array();
    for (int i = 0; keys[i]; i++)
        json_array_append_new(a, json_pack("{ss ss sb}", "key", keys[i], "label",
                                           tr(r, arena_printf(r->arena, "%s.%s", prefix, keys[i])),
                                           "selected", str_eq(keys[i], selected)));
    return a;
}

/* The tags of "a, b, c" as an array of strings. */
static json_t *tag_array(const char *tags)
{
    json_t *a = json_array();
    while (tags && *tags) {
        const char *sep = strstr(tags, ", ");
        size_t n = sep ? (size_t)(sep - tags) : strlen(tags);
        if (n) json_array_append_new(a, json_stringn(tags, n));
        tags = sep ? sep + 2 : tags + n;
    }
    return a;
}

void talent_decorate(struct req *r, json_t *row)
{
    json_object_set_new(row, "kind_label",
                        json_string(label(r, "talent.kind", json_object_get(row, "kind"))));
    json_object_set_new(row, "category_label",
                        json_string(label(r, "talent.cat", json_object_get(row, "category"))));
    if (json_object_get(row, "availability"))
        json_object_set_new(
            row, "availability_label",
            json_string(label(r, "talent.avail", json_object_get(row, "availability"))));
    if (json_object_get(row, "visibility"))
        json_object_set_new(
            row, "visibility_label",
            json_string(label(r, "talent.vis", json_object_get(row, "visibility"))));
    json_object_set_new(row, "tag_list",
                        tag_array(json_string_value(json_object_get(row, "tags"))));
    json_t *mine = json_object_get(row, "mine");
    if (mine) json_object_set_new(row, "mine", json_boolean(json_integer_value(mine)));
}

/* What a view shows of an entry: the owner's id, the match words and the
 * search's count are selected for logic and never reach it. */
const struct vfield talent_entry_fields[] = {
    {"id", CAP_ANY},
    {"kind", CAP_ANY},
    {"category", CAP_ANY},
    {"title", CAP_ANY},
    {"body", CAP_ANY},
    {"tags", CAP_ANY},
    {"availability", CAP_ANY},
    {"visibility", CAP_ANY},
    {"hidden_reason", CAP_ANY},
    {"created", CAP_ANY},
    {"handle", CAP_ANY},
    {"display_name", CAP_ANY},
    {"mine", CAP_ANY},
    {NULL, 0},
};
static const struct vfield BRIEF_FIELDS[] = {
    {"id", CAP_ANY},   {"kind", CAP_ANY},   {"category", CAP_ANY},     {"title", CAP_ANY},
    {"tags", CAP_ANY}, {"handle", CAP_ANY}, {"display_name", CAP_ANY}, {NULL, 0},
};

/* ---- matching ---- */

/* Matching at the scale of a large community (thousands of entries): each
 * entry asks the model for a few hundred candidate ids through per-community
 * indexes; the candidates of all the entries on a page are read once, as
 * plain C values rather than JSON; ranking compares stored match words and
 * never folds text; only the winners are read for display. */
enum { CANDIDATES_PER_ENTRY = 100 };

/* An entry as the ranking sees it, its strings copied into the arena. When
 * its stems are not stored (an entry not yet backfilled) they are computed
 * from text, or it has none when there is no text (a candidate). words may
 * be NULL for a candidate: only the stems are compared. */
static void item_fill(struct req *r, struct talent_item *it, const char *category, const char *tags,
                      const char *words, const char *stems, const char *text)
{
    memset(it, 0, sizeof *it);
    it->category = arena_strdup(r->arena, category ? category : "");
    char *t = arena_strdup(r->arena, tags ? tags : "");
    while (*t && it->ntags < TALENT_MAX_TAGS) {
        char *sep = strstr(t, ", ");
        if (sep) *sep = 0;
        it->tags[it->ntags++] = t;
        t = sep ? sep + 2 : t + strlen(t);
    }
    char *w = NULL, *s;
    if (stems || !text) {
        if (words) w = arena_strdup(r->arena, words);
        s = arena_strdup(r->arena, stems ? stems : "");
    } else {
        char *ms = NULL, *mw = talent_match_words(text, &ms);
        w = arena_strdup(r->arena, mw);
        s = arena_strdup(r->arena, ms);
        free(mw);
        free(ms);
    }
    talent_item_words(it, w, s);
}

struct cand {
    int64_t id, owner;
    struct talent_item item;
};

struct cand_set {
    struct req *r;
    struct cand *v;
    int n, cap;
};

static void cand_take(void *ctx, int64_t id, int64_t owner, const char *kind, const char *category,
                      const char *tags, const char *stems)
{
    (void)kind;
    struct cand_set *s = ctx;
    if (s->n == s->cap) return;
    struct cand *c = &s->v[s->n++];
    c->id = id;
    c->owner = owner;
    item_fill(s->r, &c->item, category, tags, NULL, stems, NULL);
}

static int by_cand_id(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int by_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* One entry being matched: what it is, its candidates, its best hits. */
struct hit {
    int64_t id;
    int score;
    const char *why;
};
struct probe {
    int64_t id, owner;
    struct talent_item item;
    int64_t *ids;
    int nids;
    struct hit *hits; /* best first, at most limit */
    int nhits;
};

static const char *why_text(struct req *r, const struct talent_score *s, const char *category)
{
    if (!s->why[0])
        return arena_printf(r->arena, "%s: %s", tr(r, "talent.match.same_category"),
                            tr(r, arena_printf(r->arena, "talent.cat.%s", category)));
    json_t *ctx = req_own(r, json_pack("{ss}", "what", s->why));
    struct buf out;
    buf_init(&out);
    tmpl_subst(&out, tr(r, "talent.match.both"), ctx, 0);
    const char *why = arena_strdup(r->arena, out.data ? out.data : "");
    buf_free(&out);
    return why;
}

/* Keeps h among the limit best of p (higher score first, then newer). */
static void hit_keep(struct probe *p, int limit, struct hit h)
{
    int at = p->nhits;
    while (at > 0 && (p->hits[at - 1].score < h.score ||
                      (p->hits[at - 1].score == h.score && p->hits[at - 1].id < h.id)))
        at--;
    if (at >= limit) return;
    int last = p->nhits < limit ? p->nhits : limit - 1;
    memmove(&p->hits[at + 1], &p->hits[at], (size_t)(last - at) * sizeof *p->hits);
    p->hits[at] = h;
    if (p->nhits < limit) p->nhits++;
}

static void rank_probe(struct req *r, struct probe *p, const struct cand_set *cs, int limit)
{
    for (int k = 0; k < p->nids; k++) {
        struct cand key = {.id = p->ids[k]};
        const struct cand *c = bsearch(&key, cs->v, (size_t)cs->n, sizeof *cs->v, by_cand_id);
        /* unseen by this viewer, or the entry's own owner's */
        if (!c || c->owner == p->owner) continue;
        struct talent_score s;
        if (talent_rank(&p->item, &c->item, &s) < 3) continue;
        if (p->nhits == limit &&
            (s.score < p->hits[limit - 1].score ||
             (s.score == p->hits[limit - 1].score && c->id < p->hits[limit - 1].id)))
            continue;
        hit_keep(p, limit, (struct hit){c->id, s.score, why_text(r, &s, c->item.category)});
    }
}

/* The display rows of every hit, read at once; then each entry's list. */
static void matches_out(struct req *r, struct probe *p, size_t n, json_t **out)
{
    struct talent_viewer v = talent_viewer_of(r);
    int total = 0;
    for (size_t i = 0; i < n; i++)
        total += p[i].nhits;
    int64_t *ids = arena_alloc(r->arena, (size_t)(total ? total : 1) * sizeof *ids);
    int k = 0;
    for (size_t i = 0; i < n; i++)
        for (int j = 0; j < p[i].nhits; j++)
            ids[k++] = p[i].hits[j].id;
    struct vmask bm = view_mask(r, BRIEF_FIELDS);
    json_t *rows =
        total ? req_own(r, talent_entries_brief(req_db(r), &bm, r->comm->id, &v, ids, total))
              : NULL;
    for (size_t i = 0; i < n; i++) {
        out[i] = json_array();
        for (int j = 0; j < p[i].nhits; j++) {
            size_t x;
            json_t *row;
            json_array_foreach(rows, x, row)
            {
                if (json_integer_value(json_object_get(row, "id")) != p[i].hits[j].id) continue;
                json_t *m = json_copy(row);
                json_object_set_new(m, "score", json_integer(p[i].hits[j].score));
                json_object_set_new(m, "why", json_string(p[i].hits[j].why));
                talent_decorate(r, m);
                json_array_append_new(out[i], m);
                break;
            }
        }
    }
}

void talent_matches_many(struct req *r, const struct talent_row *entries, size_t n, int limit,
                         json_t **out)
{
    struct talent_viewer v = talent_viewer_of(r);
    struct probe *p = arena_alloc(r->arena, (n ? n : 1) * sizeof *p);
    struct hit *hits = arena_alloc(r->arena, (n ? n : 1) * (size_t)limit * sizeof *hits);
    int64_t *all = arena_alloc(r->arena, (n ? n : 1) * CANDIDATES_PER_ENTRY * sizeof *all);
    int nall = 0;
    for (size_t i = 0; i < n; i++) {
        const struct talent_row *e = &entries[i];
        const char *words = e->words, *stems = e->stems;
        memset(&p[i], 0, sizeof p[i]);
        p[i].id = e->id;
        p[i].owner = e->owner;
        p[i].hits = hits + i * (size_t)limit;
        /* the text is needed only for an entry whose words are not stored */
        int stored = words && stems;
        const char *text = NULL;
        if (!stored) {
            text =
                arena_printf(r->arena, "%s %s", e->title ? e->title : "", e->body ? e->body : "");
        }
        item_fill(r, &p[i].item, e->category, e->tags, stored ? words : NULL, stored ? stems : NULL,
                  text);
        p[i].ids = all + nall;
        p[i].nids = talent_candidate_ids(req_db(r), r->comm->id, p[i].id, e->kind, &p[i].item,
                                         p[i].ids, CANDIDATES_PER_ENTRY);
        nall += p[i].nids;
    }
    /* each candidate once, however many entries it may answer */
    int64_t *uniq = arena_alloc(r->arena, (size_t)(nall ? nall : 1) * sizeof *uniq);
    memcpy(uniq, all, (size_t)nall * sizeof *uniq);
    qsort(uniq, (size_t)nall, sizeof *uniq, by_i64);
    int nu = 0;
    for (int i = 0; i < nall; i++)
        if (nu == 0 || uniq[nu - 1] != uniq[i]) uniq[nu++] = uniq[i];
    struct cand_set cs = {r, arena_alloc(r->arena, (size_t)(nu ? nu : 1) * sizeof *cs.v), 0, nu};
    if (nu) talent_candidates_each(req_db(r), r->comm->id, &v, uniq, nu, cand_take, &cs);
    qsort(cs.v, (size_t)cs.n, sizeof *cs.v, by_cand_id);
    for (size_t i = 0; i < n; i++)
        rank_probe(r, &p[i], &cs, limit);
    matches_out(r, p, n, out);
}

json_t *talent_matches(struct req *r, const struct talent_row *entry, int limit)
{
    json_t *out;
    talent_matches_many(r, entry, 1, limit, &out);
    return out;
}
