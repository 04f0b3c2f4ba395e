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
    v.member = r->comm && r->comm->role != ROLE_NONE;
    v.organizer = r->comm && r->comm->role == ROLE_ORGANIZER;
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

void talent_busy(struct req *r)
{
    render_error(r, 503, "busy", "error.busy");
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
    json_object_del(row, "owner_id");
    json_t *mine = json_object_get(row, "mine");
    if (mine) json_object_set_new(row, "mine", json_boolean(json_integer_value(mine)));
    if (json_is_null(json_object_get(row, "hidden_reason"))) json_object_del(row, "hidden_reason");
}

/* ---- matching ---- */

static void item_of(struct req *r, json_t *row, struct talent_item *it)
{
    memset(it, 0, sizeof *it);
    it->category = json_string_value(json_object_get(row, "category"));
    it->text = arena_printf(r->arena, "%s %s", json_string_value(json_object_get(row, "title")),
                            json_string_value(json_object_get(row, "body")));
    char *tags = arena_strdup(r->arena, json_string_value(json_object_get(row, "tags")));
    while (tags && *tags && it->ntags < TALENT_MAX_TAGS) {
        char *sep = strstr(tags, ", ");
        if (sep) *sep = 0;
        it->tags[it->ntags++] = tags;
        tags = sep ? sep + 2 : tags + strlen(tags);
    }
}

static int by_score(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    json_int_t sx = json_integer_value(json_object_get(x, "score"));
    json_int_t sy = json_integer_value(json_object_get(y, "score"));
    if (sx != sy) return sx < sy ? 1 : -1;
    json_int_t ix = json_integer_value(json_object_get(x, "id"));
    json_int_t iy = json_integer_value(json_object_get(y, "id"));
    return ix < iy ? 1 : ix > iy ? -1 : 0;
}

json_t *talent_matches(struct req *r, json_t *entry, int limit)
{
    struct talent_viewer v = talent_viewer_of(r);
    struct talent_item a;
    item_of(r, entry, &a);
    char *fts = NULL;
    talent_fts_query(
        arena_printf(r->arena, "%s %s", a.text, json_string_value(json_object_get(entry, "tags"))),
        1, 1, &fts);
    json_t *rows = talent_candidates(req_db(r), r->comm->id, entry, &v, fts);
    free(fts);
    size_t n = json_array_size(rows), kept = 0;
    json_t **keep = arena_alloc(r->arena, (n ? n : 1) * sizeof *keep);
    for (size_t i = 0; i < n; i++) {
        json_t *row = json_array_get(rows, i);
        struct talent_item b;
        struct talent_score s;
        item_of(r, row, &b);
        if (talent_rank(&a, &b, &s) < 3) continue;
        json_object_set_new(row, "score", json_integer(s.score));
        const char *why;
        if (s.why[0]) {
            json_t *ctx = json_pack("{ss}", "what", s.why);
            struct buf out;
            buf_init(&out);
            tmpl_subst(&out, tr(r, "talent.match.both"), ctx, 0);
            why = arena_strdup(r->arena, out.data ? out.data : "");
            buf_free(&out);
            json_decref(ctx);
        } else {
            why = arena_printf(r->arena, "%s: %s", tr(r, "talent.match.same_category"),
                               label(r, "talent.cat", json_object_get(row, "category")));
        }
        json_object_set_new(row, "why", json_string(why));
        keep[kept++] = row;
    }
    qsort(keep, kept, sizeof *keep, by_score);
    json_t *out = json_array();
    for (size_t i = 0; i < kept && (int)i < limit; i++) {
        talent_decorate(r, keep[i]);
        json_object_del(keep[i], "body");
        json_array_append(out, keep[i]);
    }
    json_decref(rows);
    return out;
}
