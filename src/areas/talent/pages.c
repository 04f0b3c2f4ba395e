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
    /* a member id, never the account: the entries name members */
    if (r->comm) v.id = r->comm->member_id;
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
    for (int i = 0; keys[i]; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "key", view_string(keys[i]));
        json_object_set_new(o, "label",
                            view_string(tr(r, arena_printf(r->arena, "%s.%s", prefix, keys[i]))));
        json_object_set_new(o, "selected", json_boolean(str_eq(keys[i], selected)));
        json_array_append_new(a, o);
    }
    return a;
}

/* The tags of "a, b, c" as an array of strings. */
static json_t *tag_array(const char *tags)
{
    json_t *a = json_array();
    while (tags && *tags) {
        const char *sep = strstr(tags, ", ");
        size_t n = sep ? (size_t)(sep - tags) : strlen(tags);
        /* a part of a JSON string cut at ", ": UTF-8 already */
        if (n) json_array_append_new(a, json_stringn_nocheck(tags, n));
        tags = sep ? sep + 2 : tags + n;
    }
    return a;
}

/* The label of the choice v of list (prefix: its catalog keys), made once
 * a page into cache (one slot per choice) and shared by the rows. */
static json_t *label_of(struct req *r, const char *prefix, const char *const *list, json_t **cache,
                        int slots, json_t *v)
{
    const char *key = json_string_value(v);
    int k = cache && key ? form_choice_index(list, key) : -1;
    if (k < 0 || k >= slots) return view_string(label(r, prefix, v));
    if (!cache[k]) cache[k] = view_string(label(r, prefix, v));
    return json_incref(cache[k]);
}

void talent_decorate_with(struct req *r, struct talent_labels *c, json_t *row)
{
    json_object_set_new(row, "kind_label",
                        label_of(r, "talent.kind", talent_kinds, c ? c->kind : NULL, TALENT_KINDS,
                                 json_object_get(row, "kind")));
    json_object_set_new(row, "category_label",
                        label_of(r, "talent.cat", talent_categories, c ? c->category : NULL,
                                 TALENT_CATEGORIES, json_object_get(row, "category")));
    json_t *avail = json_object_get(row, "availability"), *vis = json_object_get(row, "visibility");
    if (avail)
        json_object_set_new(row, "availability_label",
                            label_of(r, "talent.avail", talent_availability,
                                     c ? c->availability : NULL, TALENT_AVAILABILITY, avail));
    if (vis)
        json_object_set_new(row, "visibility_label",
                            label_of(r, "talent.vis", talent_visibility, c ? c->visibility : NULL,
                                     TALENT_VISIBILITY, vis));
    json_t *tags = json_object_get(row, "tags");
    if (tags) json_object_set_new(row, "tag_list", tag_array(json_string_value(tags)));
    json_t *mine = json_object_get(row, "mine");
    if (mine) json_object_set_new(row, "mine", json_boolean(json_integer_value(mine)));
}

void talent_decorate(struct req *r, json_t *row)
{
    talent_decorate_with(r, NULL, row);
}

void talent_labels_release(struct talent_labels *c)
{
    json_t **all[] = {c->kind, c->category, c->availability, c->visibility};
    const size_t n[] = {TALENT_KINDS, TALENT_CATEGORIES, TALENT_AVAILABILITY, TALENT_VISIBILITY};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        for (size_t k = 0; k < n[i]; k++)
            json_decref(all[i][k]);
}

/* What a view shows of an entry: the owner's member id, the match words
 * and the search's count are selected for logic and never reach it. The
 * owner is named by display_name, their name in the community; nothing of
 * the account (the handle is the same in every community a person joins,
 * so two communities' lists side by side would tell who is in both). */
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
    {"display_name", CAP_ANY},
    {"mine", CAP_ANY},
    {NULL, 0},
};
static const struct vfield BRIEF_FIELDS[] = {
    {"id", CAP_ANY},    {"kind", CAP_ANY}, {"category", CAP_ANY},
    {"title", CAP_ANY}, {"tags", CAP_ANY}, {"display_name", CAP_ANY},
    {NULL, 0},
};
/* A match as "mine" shows it, beside its explanation. */
static const struct vfield MINE_MATCH_FIELDS[] = {
    {"id", CAP_ANY},
    {"title", CAP_ANY},
    {"display_name", CAP_ANY},
    {NULL, 0},
};

/* ---- matching ---- */

/* Matches are ranked when an entry is written (model_match.c); a page
 * reads each entry's ready list best first, keeping what its viewer may
 * see, with the display fields of each. */

static const char *why_text(struct req *r, const char *shared, const char *category)
{
    if (!shared || !shared[0])
        return arena_printf(r->arena, "%s: %s", tr(r, "talent.match.same_category"),
                            tr(r, arena_printf(r->arena, "talent.cat.%s", category)));
    return tr_s(r, "talent.match.both", "what", shared);
}

void talent_matches_many(struct req *r, const struct talent_row *entries, size_t n, int limit,
                         json_t **out, int *more)
{
    struct talent_viewer v = talent_viewer_of(r);
    struct vmask bm = view_mask(r, more ? MINE_MATCH_FIELDS : BRIEF_FIELDS);
    struct talent_ready *hits =
        arena_alloc(r->arena, (size_t)(limit > 0 ? limit : 1) * sizeof *hits);
    /* A sealed community's explanations are hashes, turned back into the
     * words of the entry whose list it is with the community's keys, which
     * are derived once for the page (none at hand: nothing to say). */
    struct talent_keys keys;
    int opened = r->comm->sealed ? talent_keys_get(req_db(r), r->comm->id, &keys) : 0;
    for (size_t i = 0; i < n; i++) {
        json_t *rows = NULL;
        int k = more ? talent_ready_brief(req_db(r), r->arena, &bm, r->comm->id, &v, entries[i].id,
                                          limit, hits, &rows, &more[i])
                     : talent_ready_list(req_db(r), r->arena, &bm, r->comm->id, &v, entries[i].id,
                                         limit, hits, &rows);
        struct talent_why_words ww;
        if (opened == 1 && k > 0) talent_why_words_of(r->arena, &keys, &entries[i], &ww);
        for (int j = 0; j < k; j++) {
            json_t *m = json_array_get(rows, (size_t)j);
            const char *shared = !r->comm->sealed ? hits[j].why
                                 : opened == 1    ? talent_why_open(r->arena, &ww, hits[j].why)
                                                  : "";
            json_object_set_new(m, "why", view_string(why_text(r, shared, hits[j].category)));
            if (more) continue;
            json_object_set_new(m, "score", json_integer(hits[j].score));
            talent_decorate(r, m);
        }
        out[i] = rows;
    }
    if (opened == 1) talent_keys_wipe(&keys);
}

json_t *talent_matches(struct req *r, const struct talent_row *entry, int limit)
{
    json_t *out;
    talent_matches_many(r, entry, 1, limit, &out, NULL);
    return out;
}
