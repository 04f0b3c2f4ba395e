/* Initiatives' SQL: the initiative itself, its search words, what its
 * form offers (places, goals) and the community's threshold; see
 * initiative.h.
 *
 * Every free text is written seal(?, community, 'table.column') and read
 * unseal(col, community, 'table.column'): sealed under the data key in a
 * secret community, as typed elsewhere, with the same SQL. No WHERE, ORDER
 * BY or index reads a sealed column: the list sorts by date and by the
 * support count, and a search compares the words of initiative_words,
 * which in a sealed community are keyed hashes of the stems. */
#include "areas/initiative/initiative.h"
#include "core/seal.h"
#include "core/sealtext.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

/* The place's free text is optional: an empty one is stored empty rather
 * than sealed (its being empty is no secret; a sealed text shows its
 * length anyway), so that a list opens it only where there is one. */
#define PLACE_TEXT_SEALED                                                                          \
    "CASE WHEN ?8 = '' THEN '' ELSE seal(?8, ?1, 'initiatives.place_text') END"
#define PLACE_TEXT_OPENED                                                                          \
    "CASE WHEN i.place_text = '' THEN '' ELSE"                                                     \
    " unseal(i.place_text, i.community_id, 'initiatives.place_text') END"

/* The places an initiative of community ?1 may name: its territory and
 * what lies below it, public or the community's own (the tree's rule of
 * community/model.c: a private place only ever hangs below a public one or
 * one of the same owner). */
#define PLACES_BELOW                                                                               \
    "WITH RECURSIVE below(id, depth, path) AS ("                                                   \
    " SELECT t.id, 0, printf('%08d', t.id) FROM communities c JOIN territories t"                  \
    "  ON t.id = c.territory_id WHERE c.id = ?1"                                                   \
    " UNION ALL SELECT t.id, below.depth + 1, below.path || '/' || printf('%08d', t.id)"           \
    "  FROM territories t JOIN below ON t.parent_id = below.id"                                    \
    "  WHERE below.depth < 5 AND (t.community_id IS NULL OR t.community_id = ?1))"

/* The rules of a place (?7) and a goal (?9) a write names: 0 or one the
 * form may offer. */
#define PLACE_AND_GOAL_OK                                                                          \
    " (?7 = 0 OR ?7 IN (" PLACES_BELOW " SELECT id FROM below))"                                   \
    " AND (?9 = 0 OR EXISTS (SELECT 1 FROM goals g WHERE g.id = ?9 AND g.community_id = ?1"        \
    "  AND g.parent_id IS NULL))"

enum wr initiative_create(struct dbc *w, int64_t cid, int64_t author,
                          const struct initiative_new *n, int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO initiatives(community_id, member_id, title, problem, proposal, direction,"
        " territory_id, place_text, goal_id, created_at)"
        " SELECT ?1, nullif(?2, 0), seal(?3, ?1, 'initiatives.title'),"
        " seal(?4, ?1, 'initiatives.problem'),"
        " seal(?5, ?1, 'initiatives.proposal'), ?6, nullif(?7, 0),"
        " " PLACE_TEXT_SEALED ", nullif(?9, 0), ?10"
        " WHERE" PLACE_AND_GOAL_OK;
    int k =
        db_exec(w, sql, "iittttitii", cid, author, n->title, n->problem, n->proposal, n->direction,
                n->territory_id, n->place_text ? n->place_text : "", n->goal_id, now_s());
    if (k == 0) return wr_fail(w, WR_CONFLICT, "initiative.error.choice_gone");
    if (k < 0) return wr_from_error(w);
    int64_t id = db_last_id(w);
    if (initiative_words_write(w, cid, id, n->title, n->problem, n->proposal) != 0)
        return wr_from_error(w);
    if (id_out) *id_out = id;
    return WR_OK;
}

enum wr initiative_update(struct dbc *w, int64_t cid, int64_t id, int64_t author,
                          const struct initiative_new *n)
{
    static const char sql[] = "UPDATE initiatives SET title = seal(?3, ?1, 'initiatives.title'),"
                              " problem = seal(?4, ?1, 'initiatives.problem'),"
                              " proposal = seal(?5, ?1, 'initiatives.proposal'), direction = ?6,"
                              " territory_id = nullif(?7, 0), place_text = " PLACE_TEXT_SEALED ","
                              " goal_id = nullif(?9, 0)"
                              " WHERE id = ?10 AND community_id = ?1 AND member_id = ?2"
                              " AND state IN " INITIATIVE_SQL_EDITABLE " AND" PLACE_AND_GOAL_OK;
    static const char why[] =
        "SELECT (member_id IS ?2) + 2 * (state IN " INITIATIVE_SQL_EDITABLE ")"
        " FROM initiatives WHERE id = ?1 AND community_id = ?3";
    int k =
        db_exec(w, sql, "iittttitii", cid, author, n->title, n->problem, n->proposal, n->direction,
                n->territory_id, n->place_text ? n->place_text : "", n->goal_id, id);
    if (k < 0) return wr_from_error(w);
    if (k == 0) {
        int64_t s = db_int(w, -1, why, "iii", id, author, cid);
        if (s < 0) return WR_NOT_FOUND;
        if (!(s & 1)) return wr_fail(w, WR_CONFLICT, "initiative.error.not_yours");
        if (!(s & 2)) return wr_fail(w, WR_CONFLICT, "initiative.error.not_idea");
        return wr_fail(w, WR_CONFLICT, "initiative.error.choice_gone");
    }
    if (initiative_words_write(w, cid, id, n->title, n->problem, n->proposal) != 0)
        return wr_from_error(w);
    return WR_OK;
}

static const char *col_dup(struct arena *a, sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? arena_strdup(a, (const char *)s) : NULL;
}

int initiative_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id, struct initiative *out)
{
    static const char sql[] =
        "SELECT id, coalesce(member_id, 0), coalesce(territory_id, 0), coalesce(goal_id, 0),"
        " coalesce(merged_into, 0), supports, comments, stage,"
        " unseal(title, community_id, 'initiatives.title'),"
        " unseal(problem, community_id, 'initiatives.problem'),"
        " unseal(proposal, community_id, 'initiatives.proposal'), direction,"
        " unseal(place_text, community_id, 'initiatives.place_text'), state"
        " FROM initiatives WHERE id = ?1 AND community_id = ?2";
    sqlite3_stmt *st = db_prepare(c, sql, "ii", id, cid);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) {
        int64_t *nums[] = {&out->id,          &out->member_id, &out->territory_id, &out->goal_id,
                           &out->merged_into, &out->supports,  &out->comments,     &out->stage};
        for (int i = 0; i < 8; i++)
            *nums[i] = sqlite3_column_int64(st, i);
        out->title = col_dup(a, st, 8);
        out->problem = col_dup(a, st, 9);
        out->proposal = col_dup(a, st, 10);
        out->direction = col_dup(a, st, 11);
        out->place_text = col_dup(a, st, 12);
        out->state = col_dup(a, st, 13);
    }
    db_done(st);
    return rc;
}

/* ---- the list ---- */

/* A row of the list: the author's member id is never selected (mine and
 * supported are computed for the viewer, ?2). */
#define LIST_SELECT                                                                                \
    "SELECT i.id, unseal(i.title, i.community_id, 'initiatives.title') AS title, i.direction,"     \
    " i.state, i.stage, i.supports, i.comments, date(i.created_at, 'unixepoch') AS created,"       \
    " unseal(t.name, coalesce(t.community_id, 0), 'territories.name') AS place,"                   \
    " " PLACE_TEXT_OPENED " AS place_text,"                                                        \
    " coalesce(unseal(m.name, m.community_id, 'members.name'), '') AS author,"                     \
    " i.member_id IS NULL AS former, ?2 <> 0 AND i.member_id IS ?2 AS mine,"                       \
    " ?2 <> 0 AND EXISTS (SELECT 1 FROM initiative_supports s WHERE s.initiative_id = i.id"        \
    "  AND s.member_id = ?2) AS supported"
#define LIST_JOINS                                                                                 \
    " LEFT JOIN members m ON m.id = i.member_id LEFT JOIN territories t ON t.id = i.territory_id"
#define LIST_COLS LIST_SELECT " FROM initiatives i" LIST_JOINS

/* The filters: ?3 state, ?4 direction, ?5 place, ?6 author, ?7 stage. */
#define FILTERS_REST                                                                               \
    " AND (?3 IS NULL OR i.state = ?3)"                                                            \
    " AND (?4 IS NULL OR i.direction = ?4) AND (?5 = 0 OR i.territory_id = ?5)"                    \
    " AND (?6 = 0 OR i.member_id = ?6) AND (?7 = 0 OR i.stage = ?7)"
#define LIST_FILTERS " i.community_id = ?1" FILTERS_REST
/* in a search the words' index leads: the community is checked, not walked */
#define FOUND_FILTERS " +i.community_id = ?1" FILTERS_REST
/* A search: ?8 its words (a JSON array) and ?9 their count; an initiative
 * has every word. Its own statements drive the loop from the words' index
 * (the few initiatives that have them), not from all of the community's. */
#define WORDS_IN                                                                                   \
    " i.id IN (SELECT w.initiative_id FROM initiative_words w"                                     \
    "  WHERE w.community_id = ?1 AND w.word IN (SELECT value FROM json_each(?8))"                  \
    "  GROUP BY w.initiative_id HAVING count(*) = ?9) AND"
/* ?8 and ?9 bound and unused, so that every statement numbers alike. */
#define NO_WORDS " ?8 IS NULL AND ?9 = 0 AND"

/* A search: the ids of every hit read once, in the list's order (ids and
 * the sort's key only, so that a sort of every hit opens no text), counted
 * here, and only the page's ids read whole. Sorted in one statement with
 * its texts, every hit would have its title and author opened before the
 * LIMIT (two decryptions a hit in a sealed community), and the count would
 * read the words' rows a second time. */
static json_t *list_found(struct dbc *c, const struct vmask *m, int64_t cid, int64_t viewer,
                          const struct initiative_filter *f, int64_t *total)
{
    /* ?2 is bound and unused, so that the filters keep their numbers */
    static const char by_date[] =
        "SELECT i.id + 0 * ?2 FROM initiatives i WHERE" WORDS_IN FOUND_FILTERS
        " ORDER BY i.created_at DESC, i.id DESC";
    static const char by_support[] =
        "SELECT i.id + 0 * ?2 FROM initiatives i WHERE" WORDS_IN FOUND_FILTERS
        " ORDER BY i.supports DESC, i.id DESC";
    /* the page, in the order of ?3's ids; a write between the two
     * statements may have changed a row (it is shown as it is now) or
     * removed it (it is left out) */
    static const char page[] = LIST_SELECT " FROM json_each(?3) AS j"
                                           " CROSS JOIN initiatives i ON i.id = j.value" LIST_JOINS
                                           " WHERE i.community_id = ?1 ORDER BY j.key";
    sqlite3_stmt *st =
        db_prepare(c, f->by_support ? by_support : by_date, "iittiiiti", cid, (int64_t)0, f->state,
                   f->direction, f->territory_id, f->member_id, f->stage, f->words, f->nwords);
    int64_t from = f->offset > 0 ? f->offset : 0, n = 0;
    struct buf ids;
    buf_init(&ids);
    buf_puts(&ids, "[");
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    for (; rc == SQLITE_ROW; rc = sqlite3_step(st), n++) {
        if (n < from || n >= from + f->limit) continue;
        buf_printf(&ids, "%s%lld", n > from ? "," : "", (long long)sqlite3_column_int64(st, 0));
    }
    db_done(st);
    buf_puts(&ids, "]");
    json_t *rows = NULL;
    if (rc == SQLITE_DONE) {
        *total = n;
        rows = db_view_rows(c, m, page, "iit", cid, viewer, ids.data);
    }
    buf_free(&ids);
    return rows;
}

json_t *initiative_list(struct dbc *c, const struct vmask *m, int64_t cid, int64_t viewer,
                        const struct initiative_filter *f, int64_t *total)
{
    static const char by_date[] =
        LIST_COLS " WHERE" NO_WORDS LIST_FILTERS
                  " ORDER BY i.created_at DESC, i.id DESC LIMIT ?10 OFFSET ?11";
    static const char by_support[] = LIST_COLS
        " WHERE" NO_WORDS LIST_FILTERS " ORDER BY i.supports DESC, i.id DESC LIMIT ?10 OFFSET ?11";
    *total = -1;
    if (f->words) return list_found(c, m, cid, viewer, f, total);
    return db_view_rows(c, m, f->by_support ? by_support : by_date, "iittiiitiii", cid, viewer,
                        f->state, f->direction, f->territory_id, f->member_id, f->stage,
                        (const char *)NULL, (int64_t)0, f->limit, f->offset);
}

int64_t initiative_count(struct dbc *c, int64_t cid, const struct initiative_filter *f)
{
    /* ?2 is bound and unused, so that the filters keep their numbers */
    static const char all[] =
        "SELECT count(*) + 0 * ?2 FROM initiatives i WHERE" NO_WORDS LIST_FILTERS;
    /* the list as it opens, unfiltered: the index alone, no row read */
    static const char every[] = "SELECT count(*) FROM initiatives WHERE community_id = ?";
    if (!f->words && !f->state && !f->direction && !f->territory_id && !f->member_id && !f->stage)
        return db_int(c, 0, every, "i", cid);
    static const char found[] =
        "SELECT count(*) + 0 * ?2 FROM initiatives i WHERE" WORDS_IN FOUND_FILTERS;
    return db_int(c, 0, f->words ? found : all, "iittiiiti", cid, (int64_t)0, f->state,
                  f->direction, f->territory_id, f->member_id, f->stage, f->words,
                  f->words ? f->nwords : 0);
}

/* ---- search words ---- */

/* The key of the community's word hashes: 1 with key, 0 clear, -1 no key
 * at hand (or an error). */
static int words_key(struct dbc *c, int64_t cid, unsigned char key[SEALTEXT_WORD_KEY])
{
    const struct seal_data_key *dk = NULL;
    int rc = sealtext_key(c, cid, &dk);
    if (rc == 1) sealtext_word_key(dk, "initiative.words", key);
    return rc;
}

/* The words of stems (space-separated) as a JSON array of strings, each
 * hashed with key when key is not NULL; *n their number. malloc'd. */
static char *words_json(const char *stems, const unsigned char *key, int64_t *n)
{
    json_t *a = json_array();
    for (const char *p = stems; *p;) {
        size_t len = strcspn(p, " ");
        if (len) {
            char h[SEALTEXT_WORD_HEX + 1];
            if (key) sealtext_word_hash(key, p, len, h);
            json_array_append_new(a, key ? json_string(h) : json_stringn(p, len));
        }
        p += len;
        while (*p == ' ')
            p++;
    }
    *n = (int64_t)json_array_size(a);
    char *s = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return s;
}

int initiative_words_write(struct dbc *w, int64_t cid, int64_t id, const char *title,
                           const char *problem, const char *proposal)
{
    static const char del[] = "DELETE FROM initiative_words WHERE initiative_id = ?";
    static const char ins[] = "INSERT OR IGNORE INTO initiative_words(community_id, word,"
                              " initiative_id) SELECT ?1, value, ?2 FROM json_each(?3)";
    unsigned char key[SEALTEXT_WORD_KEY];
    int sealed = words_key(w, cid, key);
    if (sealed < 0) return -1;
    struct buf b;
    buf_init(&b);
    buf_printf(&b, "%s\n%s\n%s", title ? title : "", problem ? problem : "",
               proposal ? proposal : "");
    char *stems = initiative_stems(b.data, INITIATIVE_WORDS_MAX);
    buf_free(&b);
    int64_t n = 0;
    char *json = words_json(stems, sealed == 1 ? key : NULL, &n);
    free(stems);
    seal_wipe(key, sizeof key);
    int rc = json && db_exec(w, del, "i", id) >= 0 && db_exec(w, ins, "iit", cid, id, json) >= 0
                 ? 0
                 : -1;
    free(json);
    return rc;
}

int initiative_query_words(struct dbc *c, int64_t cid, const char *q, char **out)
{
    *out = NULL;
    char *stems = initiative_stems(q, INITIATIVE_QUERY_WORDS);
    if (!stems[0]) {
        free(stems);
        return 0;
    }
    unsigned char key[SEALTEXT_WORD_KEY];
    int sealed = words_key(c, cid, key);
    if (sealed < 0) {
        free(stems);
        return -1;
    }
    int64_t n = 0;
    *out = words_json(stems, sealed == 1 ? key : NULL, &n);
    seal_wipe(key, sizeof key);
    free(stems);
    return (int)n;
}

/* ---- one initiative ---- */

json_t *initiative_view(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id,
                        int64_t viewer)
{
    static const char sql[] =
        "SELECT i.id, unseal(i.title, i.community_id, 'initiatives.title') AS title,"
        " unseal(i.problem, i.community_id, 'initiatives.problem') AS problem,"
        " unseal(i.proposal, i.community_id, 'initiatives.proposal') AS proposal,"
        " i.direction, i.state, i.stage, i.supports, i.comments,"
        " date(i.created_at, 'unixepoch') AS created, i.territory_id AS place_id,"
        " unseal(t.name, coalesce(t.community_id, 0), 'territories.name') AS place,"
        " " PLACE_TEXT_OPENED " AS place_text,"
        " i.goal_id, unseal(g.title, g.community_id, 'goals.title') AS goal,"
        " i.merged_into, unseal(d.title, d.community_id, 'initiatives.title') AS merged_title,"
        " coalesce(unseal(m.name, m.community_id, 'members.name'), '') AS author,"
        " i.member_id IS NULL AS former, ?3 <> 0 AND i.member_id IS ?3 AS mine,"
        " ?3 <> 0 AND EXISTS (SELECT 1 FROM initiative_supports s WHERE s.initiative_id = i.id"
        "  AND s.member_id = ?3) AS supported"
        " FROM initiatives i LEFT JOIN members m ON m.id = i.member_id"
        " LEFT JOIN territories t ON t.id = i.territory_id"
        " LEFT JOIN goals g ON g.id = i.goal_id AND g.community_id = i.community_id"
        " LEFT JOIN initiatives d ON d.id = i.merged_into AND d.community_id = i.community_id"
        " WHERE i.id = ?1 AND i.community_id = ?2";
    return db_view_row(c, m, sql, "iii", id, cid, viewer);
}

json_t *initiative_history(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT h.day, h.from_state, h.to_state, h.from_stage, h.to_stage, h.automatic,"
        " unseal(h.reason, h.community_id, 'initiative_history.reason') AS reason,"
        " coalesce(unseal(m.name, m.community_id, 'members.name'), '') AS who,"
        " h.member_id IS NULL AND NOT h.automatic AS former"
        " FROM initiative_history h LEFT JOIN members m ON m.id = h.member_id"
        " WHERE h.initiative_id = ?1 AND +h.community_id = ?2 ORDER BY h.id LIMIT 200";
    return db_view_rows(c, m, sql, "ii", id, cid);
}

char *initiative_decision_reason(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT unseal(h.reason, h.community_id, 'initiative_history.reason')"
        " FROM initiative_history h JOIN initiatives i ON i.id = h.initiative_id"
        " WHERE h.initiative_id = ?1 AND +h.community_id = ?2 AND h.to_state = i.state"
        " ORDER BY h.id DESC LIMIT 1";
    return db_text(c, sql, "ii", id, cid);
}

/* ---- what the form offers ---- */

json_t *initiative_places(struct dbc *c, int64_t cid)
{
    static const char sql[] =
        PLACES_BELOW " SELECT b.id, unseal(t.name, coalesce(t.community_id, 0),"
                     " 'territories.name') AS name, b.depth FROM below b"
                     " JOIN territories t ON t.id = b.id ORDER BY b.path LIMIT 500";
    return db_rows(c, sql, "i", cid);
}

json_t *initiative_goals(struct dbc *c, int64_t cid)
{
    static const char sql[] =
        "SELECT id, unseal(title, community_id, 'goals.title') AS title FROM goals"
        " WHERE community_id = ?1 AND parent_id IS NULL ORDER BY id LIMIT 200";
    return db_rows(c, sql, "i", cid);
}

json_t *initiative_merge_targets(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT id, unseal(title, community_id, 'initiatives.title') AS title FROM initiatives"
        " WHERE community_id = ?1 AND id <> ?2 AND state IN " INITIATIVE_SQL_MERGE_TARGET
        " ORDER BY created_at DESC, id DESC LIMIT 300";
    return db_rows(c, sql, "ii", cid, id);
}

/* ---- the threshold ---- */

int64_t initiative_threshold(struct dbc *c, int64_t cid)
{
    static const char sql[] = "SELECT threshold FROM initiative_settings WHERE community_id = ?";
    return db_int(c, INITIATIVE_THRESHOLD_DEFAULT, sql, "i", cid);
}
