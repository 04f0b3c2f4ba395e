/* What the talent area's page files share; not for other areas. */
#ifndef HR_TALENT_INTERNAL_H
#define HR_TALENT_INTERNAL_H

#include "areas/talent/talent.h"
#include "core/db.h"

/* The viewer as the model sees them. */
struct talent_viewer talent_viewer_of(struct req *r);
/* "/c/<slug><suffix>" in the arena. */
const char *talent_url(struct req *r, const char *suffix);
/* The {id} of the path, or 0. */
int64_t talent_path_id(struct req *r, const char *name);
/* What a view shows of an entry (every row of talent_entry_get and
 * _search). */
extern const struct vfield talent_entry_fields[];
/* Adds labels and a tag list to an entry row of a view; mine as a boolean. */
void talent_decorate(struct req *r, json_t *row);
/* The same for the rows of a page, their labels made once into c (zeroed
 * by the caller) and shared; talent_labels_release after the page. */
enum {
    TALENT_KINDS = 4,
    TALENT_CATEGORIES = 19,
    TALENT_AVAILABILITY = 5,
    TALENT_VISIBILITY = 3,
};
struct talent_labels {
    json_t *kind[TALENT_KINDS], *category[TALENT_CATEGORIES], *availability[TALENT_AVAILABILITY],
        *visibility[TALENT_VISIBILITY];
};
void talent_decorate_with(struct req *r, struct talent_labels *c, json_t *row);
void talent_labels_release(struct talent_labels *c);
/* [{key, label, selected}] for keys with labels "prefix.key". */
json_t *talent_labels(struct req *r, const char *const *keys, const char *prefix,
                      const char *selected);
/* The entries that answer entry, ranked and explained, at most limit; new
 * ref. */
json_t *talent_matches(struct req *r, const struct talent_row *entry, int limit);
/* The same for n entries at once (a page of them): out[i] for entries[i].
 * With more (n of them), the rows "mine" shows (id, title, display_name
 * and why; each a decryption fewer in a sealed community), and more[i]
 * says whether entries[i] has more than limit. */
void talent_matches_many(struct req *r, const struct talent_row *entries, size_t n, int limit,
                         json_t **out, int *more);
void talent_not_found(struct req *r);

/* The entry named by {id} if the viewer may see it: 0 with row and *view
 * (request-owned), else answers 404 and returns -1. */
int talent_path_entry(struct req *r, struct talent_row *row, json_t **view);
int talent_is_owner(struct req *r, const struct talent_row *e);
/* 1 if a club can grow from an entry of this kind: a hobby (the people who
 * share it) or a need ("want to start a board-game club": the people who
 * can help or share the interest). Its matches are the people invited. */
int talent_club_kind(const char *kind);
/* title, slug, name, is_member, is_organizer. */
json_t *talent_base_view(struct req *r, const char *title_key);

#endif
