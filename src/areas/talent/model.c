/* The SQL of talent entries: writing, visibility, search, candidates for
 * matching, tags and the organizer's counts. */
#include "areas/talent/model_sql.h"
#include "areas/talent/talent.h"
#include "core/db.h"
#include "core/log.h"
#include "core/sealtext.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A search's filters: ?6 category, ?7 kind, ?8 availability (an entry
 * available any time fits every choice), ?9 owner (0: anyone). */
#define FILTERS                                                                                    \
    " AND (?6 IS NULL OR e.category = ?6) AND (?7 IS NULL OR e.kind = ?7)"                         \
    " AND (?8 IS NULL OR e.availability IN (?8, 'any')) AND (?9 = 0 OR e.member_id = ?9)"

/* What a list shows of an entry: its texts opened (sealed in a community
 * with a data key, core/sealtext.h; as they are elsewhere). */
#define LIST_COLS_HEAD                                                                             \
    "SELECT e.id, e.kind, e.category, unseal(e.title, e.community_id, 'talent_entries.title')"     \
    " AS title,"
#define LIST_COLS_TEXTS                                                                            \
    " unseal(e.tags, e.community_id, 'talent_entries.tags') AS tags, e.availability,"              \
    " e.visibility, unseal(e.hidden_reason, e.community_id, 'talent_entries.hidden_reason')"       \
    " AS hidden_reason, date(e.created_at, 'unixepoch') AS created,"
#define LIST_COLS_TAIL                                                                             \
    LIST_COLS_TEXTS " unseal(o.name, o.community_id, 'members.name') AS display_name,"             \
                    " e.member_id = ?1 AS mine, e.member_id AS owner_id"
#define LIST_COLS                                                                                  \
    LIST_COLS_HEAD " unseal(e.body, e.community_id, 'talent_entries.body') AS "                    \
                   "body," LIST_COLS_TAIL
/* What the lists show (their cards have no body: the entry's page has it,
 * and a body is the longest text to read, check and, sealed, open). */
#define LIST_BRIEF LIST_COLS_HEAD LIST_COLS_TAIL
/* And what matching needs besides: the entry's stored match words (sealed
 * where the texts are) and stems (keyed hashes there: model_seal.c), for
 * an entry's page and one person's entries. */
#define MATCH_COLS ", unseal(e.words, e.community_id, 'talent_entries.words') AS words, e.stems"
#define ENTRY_COLS LIST_COLS MATCH_COLS

static char *tags_joined(const struct talent_entry *e)
{
    struct buf b;
    buf_init(&b);
    buf_puts(&b, "");
    for (int i = 0; i < e->ntags; i++) {
        if (i) buf_puts(&b, ", ");
        buf_puts(&b, e->tags[i]);
    }
    return buf_detach(&b);
}

/* stems as an index stores them: their keyed hashes in a sealed community,
 * as they are elsewhere. Takes stems (malloc'd) and returns what to store
 * (malloc'd). */
static char *stems_stored(const struct talent_keys *k, char *stems)
{
    if (!k->sealed) return stems;
    char *hashed = talent_hash_words(k->stems, stems);
    free(stems);
    return hashed;
}

/* The match words of an entry's title and body and their stems, on its row,
 * and the stems in talent_words. */
static int write_words(struct dbc *w, int64_t community_id, int64_t id, const char *kind,
                       const char *title, const char *body, const struct talent_keys *k)
{
    /* In a sealed community the words are sealed (a request shows them in
     * a match's explanation) and the stems are keyed hashes, which ranking
     * compares with no key at hand. */
    static const char set_words[] =
        "UPDATE talent_entries SET words = seal(?1, ?4, 'talent_entries.words'), stems = ?2"
        " WHERE id = ?3";
    static const char del_words[] = "DELETE FROM talent_words WHERE entry_id = ?";
    static const char ins_word[] = "INSERT OR IGNORE INTO talent_words(community_id, stem,"
                                   " entry_id, kind) VALUES(?, ?, ?, ?)";
    char *text = xmalloc(strlen(title) + strlen(body ? body : "") + 2);
    sprintf(text, "%s %s", title, body ? body : "");
    char *stems = NULL;
    char *words = talent_match_words(text, &stems);
    free(text);
    stems = stems_stored(k, stems);
    int rc = db_exec(w, set_words, "ttii", words, stems, id, community_id) == 1 &&
                     db_exec(w, del_words, "i", id) >= 0
                 ? 0
                 : -1;
    const char *list[TALENT_MATCH_WORDS];
    int n = rc == 0 ? talent_words_split(stems, list, TALENT_MATCH_WORDS) : 0;
    for (int i = 0; i < n && rc == 0; i++)
        if (db_exec(w, ins_word, "itit", community_id, list[i], id, kind) < 0) rc = -1;
    free(words);
    free(stems);
    return rc;
}

/* The entry's row of the full-text index (talent_fts_row): the folded
 * words of its title, body and tags, for search by the beginning of a word
 * ("розет" finds "розетку"), and the Snowball stem of every word of the
 * three, for search by word form ("велосипеда" finds "велосипед"), each
 * behind its community's prefix. Stemming and splitting are done here in C
 * rather than by an FTS5 tokenizer of our own: a database whose index
 * needed a tokenizer that only this program registers could not be
 * searched, checked (integrity-check) or repaired in the sqlite3 shell.
 * In a sealed community the row holds only the keyed hashes of the stems:
 * search there is by whole words (their forms), never by a beginning. */
static int write_fts(struct dbc *w, int64_t community_id, int64_t id, const char *title,
                     const char *body, const char *tags, const struct talent_keys *k)
{
    static const char del_fts[] = "DELETE FROM talent_fts WHERE rowid = ?";
    static const char ins_fts[] = "INSERT INTO talent_fts(rowid, words) VALUES(?, ?)";
    if (db_exec(w, del_fts, "i", id) < 0) return -1;
    if (!body) body = "";
    char *all = xmalloc(strlen(title) + strlen(body) + strlen(tags) + 3);
    sprintf(all, "%s %s %s", title, body, tags);
    char *stems = stems_stored(k, talent_fts_stems(all));
    char *row = talent_fts_row(community_id, k->sealed ? NULL : all, stems);
    int rc = db_exec(w, ins_fts, "it", id, row) < 0 ? -1 : 0;
    free(row);
    free(all);
    free(stems);
    return rc;
}

/* A tag row: in a sealed community its tag is the keyed hash (what
 * matching and counting compare) and its label the tag sealed (what the
 * tags page shows); label is NULL elsewhere. */
static int write_tags(struct dbc *w, int64_t community_id, int64_t id, const struct talent_entry *e,
                      const struct talent_keys *k)
{
    static const char del_tags[] = "DELETE FROM talent_tags WHERE entry_id = ?";
    static const char ins_tag[] =
        "INSERT OR IGNORE INTO talent_tags(entry_id, community_id, tag,"
        " kind, label) VALUES(?1, ?2, ?3, ?4, seal(?5, ?2, 'talent_tags.label'))";
    if (db_exec(w, del_tags, "i", id) < 0) return -1;
    for (int i = 0; i < e->ntags; i++) {
        char h[SEALTEXT_WORD_HEX + 1] = "";
        if (k->sealed) sealtext_word_hash(k->tags, e->tags[i], strlen(e->tags[i]), h);
        if (db_exec(w, ins_tag, "iittt", id, community_id, k->sealed ? h : e->tags[i], e->kind,
                    k->sealed ? e->tags[i] : NULL) < 0)
            return -1;
    }
    return 0;
}

static int write_index(struct dbc *w, int64_t community_id, int64_t id,
                       const struct talent_entry *e, const char *tags, const struct talent_keys *k)
{
    if (write_tags(w, community_id, id, e, k) < 0) return -1;
    if (write_fts(w, community_id, id, e->title, e->body, tags, k) < 0) return -1;
    return write_words(w, community_id, id, e->kind, e->title, e->body, k);
}

int talent_fts_sweep(struct dbc *w)
{
    /* An id whose entry exists again (a new entry took the highest id
     * back) keeps its full-text row: that row is the new entry's. */
    static const char gone[] =
        "DELETE FROM talent_fts WHERE rowid IN (SELECT g.entry_id FROM talent_fts_gone g"
        " WHERE NOT EXISTS (SELECT 1 FROM talent_entries e WHERE e.id = g.entry_id))";
    static const char done[] = "DELETE FROM talent_fts_gone";
    return db_exec(w, gone, "") >= 0 && db_exec(w, done, "") >= 0 ? 0 : -1;
}

static enum wr entry_create(struct dbc *w, int64_t community_id, int64_t member_id,
                            const struct talent_entry *e, int64_t *id, int rank_now)
{
    static const char sql[] =
        "INSERT INTO talent_entries(community_id, member_id, kind, category, title, body, tags,"
        " availability, visibility, created_at, updated_at)"
        " VALUES(?1, ?2, ?3, ?4, seal(?5, ?1, 'talent_entries.title'),"
        " seal(?6, ?1, 'talent_entries.body'), seal(?7, ?1, 'talent_entries.tags'),"
        " ?8, ?9, ?10, ?11)";
    static const char later[] = "INSERT INTO talent_matches_todo(entry_id) VALUES(?)";
    if (talent_fts_sweep(w) != 0) return wr_from_error(w);
    /* sealed with no key here: nothing is written rather than in clear */
    struct talent_keys k;
    if (talent_keys_get(w, community_id, &k) < 0)
        return wr_fail(w, WR_CONFLICT, "error.key_waiting");
    char *tags = tags_joined(e);
    int64_t now = now_s();
    int n = db_exec(w, sql, "iitttttttii", community_id, member_id, e->kind, e->category, e->title,
                    e->body ? e->body : "", tags, e->availability, e->visibility, now, now);
    enum wr rc = wr_changed(w, n, WR_DB);
    if (rc == WR_OK) {
        *id = db_last_id(w);
        if (write_index(w, community_id, *id, e, tags, &k) < 0 ||
            (rank_now ? talent_matches_write(w, community_id, *id, 0)
                      : db_exec(w, later, "i", *id)) < 0)
            rc = wr_from_error(w);
    }
    talent_keys_wipe(&k);
    free(tags);
    return rc;
}

enum wr talent_entry_create(struct dbc *w, int64_t community_id, int64_t member_id,
                            const struct talent_entry *e, int64_t *id)
{
    return entry_create(w, community_id, member_id, e, id, 1);
}

enum wr talent_entry_create_unranked(struct dbc *w, int64_t community_id, int64_t member_id,
                                     const struct talent_entry *e, int64_t *id)
{
    return entry_create(w, community_id, member_id, e, id, 0);
}

/* What an edit compares with, read on the writer inside its transaction. */
struct stored_entry {
    int64_t owner;
    char *kind, *category, *title, *body, *tags; /* malloc'd */
};

static int stored_entry_read(struct dbc *w, int64_t community_id, int64_t id,
                             struct stored_entry *out)
{
    static const char sql[] =
        "SELECT member_id, kind, unseal(title, community_id, 'talent_entries.title'),"
        " unseal(body, community_id, 'talent_entries.body'),"
        " unseal(tags, community_id, 'talent_entries.tags'), category FROM talent_entries"
        " WHERE id = ? AND community_id = ?";
    sqlite3_stmt *st = db_prepare(w, sql, "ii", id, community_id);
    int rc = st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 2) ? 0 : -1;
    if (rc == 0) {
        out->owner = sqlite3_column_int64(st, 0);
        out->kind = xstrdup((const char *)sqlite3_column_text(st, 1));
        out->title = xstrdup((const char *)sqlite3_column_text(st, 2));
        out->body = xstrdup((const char *)sqlite3_column_text(st, 3));
        out->tags = xstrdup((const char *)sqlite3_column_text(st, 4));
        out->category = xstrdup((const char *)sqlite3_column_text(st, 5));
    }
    db_done(st);
    return rc;
}

static void stored_entry_free(struct stored_entry *s)
{
    free(s->kind);
    free(s->category);
    free(s->title);
    free(s->body);
    free(s->tags);
}

/* Zero rows changed by an owner's write: gone (404), or not the viewer's
 * (409), asked on the writer. */
static enum wr why_not_owned(struct dbc *w, int64_t community_id, int64_t id)
{
    static const char sql[] =
        "SELECT count(*) FROM talent_entries WHERE id = ? AND community_id = ?";
    if (db_int(w, 0, sql, "ii", id, community_id) == 0) return WR_NOT_FOUND;
    return wr_fail(w, WR_CONFLICT, "talent.error.not_owner");
}

enum wr talent_entry_update(struct dbc *w, int64_t community_id, int64_t id, int64_t owner,
                            const struct talent_entry *e)
{
    /* Only a change is written: a form saved as it was shown keeps its
     * updated_at, and its index rows are left as they are. The texts are
     * compared opened: a sealed text is never equal to the clear one (a
     * fresh nonce each time), so comparing the stored values would write
     * every save. */
    static const char sql[] = "UPDATE talent_entries SET kind = ?1, category = ?2,"
                              " title = seal(?3, ?10, 'talent_entries.title'), body = seal(?4, "
                              "?10, 'talent_entries.body'),"
                              " tags = seal(?5, ?10, 'talent_entries.tags'),"
                              " availability = ?6, visibility = ?7, updated_at = ?8"
                              " WHERE id = ?9 AND community_id = ?10 AND member_id = ?11"
                              " AND (kind IS NOT ?1 OR category IS NOT ?2"
                              " OR unseal(title, ?10, 'talent_entries.title') IS NOT ?3"
                              " OR unseal(body, ?10, 'talent_entries.body') IS NOT ?4"
                              " OR unseal(tags, ?10, 'talent_entries.tags') IS NOT ?5"
                              " OR availability IS NOT ?6 OR visibility IS NOT ?7)";
    if (talent_fts_sweep(w) != 0) return wr_from_error(w);
    struct talent_keys k;
    if (talent_keys_get(w, community_id, &k) < 0)
        return wr_fail(w, WR_CONFLICT, "error.key_waiting");
    struct stored_entry old;
    if (stored_entry_read(w, community_id, id, &old) != 0) {
        talent_keys_wipe(&k);
        return WR_NOT_FOUND;
    }
    if (old.owner != owner) {
        talent_keys_wipe(&k);
        stored_entry_free(&old);
        return wr_fail(w, WR_CONFLICT, "talent.error.not_owner");
    }
    char *tags = tags_joined(e);
    const char *body = e->body ? e->body : "";
    int n = db_exec(w, sql, "tttttttiiii", e->kind, e->category, e->title, body, tags,
                    e->availability, e->visibility, now_s(), id, community_id, owner);
    /* none changed: the owner was read above in this transaction, so the
     * form was saved as stored */
    enum wr rc = n < 0 ? wr_from_error(w) : WR_OK;
    if (rc == WR_OK && n > 0) {
        int same_kind = str_eq(old.kind, e->kind), same_tags = str_eq(old.tags, tags);
        int same_text = str_eq(old.title, e->title) && str_eq(old.body, body);
        int ok = 1;
        if (!same_kind || !same_tags) ok = write_tags(w, community_id, id, e, &k) == 0;
        if (ok && (!same_kind || !same_tags || !same_text))
            ok = write_fts(w, community_id, id, e->title, body, tags, &k) == 0;
        if (ok && (!same_kind || !same_text))
            ok = write_words(w, community_id, id, e->kind, e->title, body, &k) == 0;
        /* what ranking compares: visibility and availability are not */
        if (ok && (!same_kind || !same_tags || !same_text || !str_eq(old.category, e->category)))
            ok = talent_matches_write(w, community_id, id, 1) == 0;
        if (!ok) rc = wr_from_error(w);
    }
    talent_keys_wipe(&k);
    free(tags);
    stored_entry_free(&old);
    return rc;
}

enum wr talent_entry_delete(struct dbc *w, int64_t community_id, int64_t id, int64_t owner)
{
    static const char sql[] =
        "DELETE FROM talent_entries WHERE id = ? AND community_id = ? AND member_id = ?";
    static const char fts[] = "DELETE FROM talent_fts WHERE rowid = ?";
    if (talent_fts_sweep(w) != 0) return wr_from_error(w);
    int n = db_exec(w, sql, "iii", id, community_id, owner);
    if (n == 0) return why_not_owned(w, community_id, id);
    if (n < 0) return wr_from_error(w);
    return db_exec(w, fts, "i", id) < 0 ? wr_from_error(w) : WR_OK;
}

enum wr talent_entry_hide(struct dbc *w, int64_t community_id, int64_t id, const char *reason)
{
    static const char sql[] =
        "UPDATE talent_entries SET hidden_reason = seal(?1, ?3, 'talent_entries.hidden_reason')"
        " WHERE id = ?2 AND community_id = ?3";
    return wr_changed(w, db_exec(w, sql, "tii", reason, id, community_id), WR_NOT_FOUND);
}

/* The columns rows_read takes into struct talent_row, by name. */
enum { C_ID, C_OWNER, C_KIND, C_CATEGORY, C_TITLE, C_BODY, C_TAGS, C_WORDS, C_STEMS, C_N };
static const char *const ROW_COLS[C_N] = {"id",   "owner_id", "kind",  "category", "title",
                                          "body", "tags",     "words", "stems"};

static const char *col_text(struct arena *a, sqlite3_stmt *st, int i)
{
    const unsigned char *t = i >= 0 ? sqlite3_column_text(st, i) : NULL;
    return t ? arena_strdup(a, (const char *)t) : NULL;
}

/* Steps st to its end (at most max rows): each row once, into the view
 * (the fields m allows; none when m is NULL) and into out->v for logic. */
static int rows_read(sqlite3_stmt *st, struct arena *a, const struct vmask *m, int max,
                     struct talent_rows *out)
{
    out->view = m ? json_array() : NULL;
    out->v = arena_alloc(a, (size_t)(max > 0 ? max : 1) * sizeof *out->v);
    out->n = 0;
    out->total = -1;
    if (!st) return -1;
    int at[C_N];
    for (int k = 0; k < C_N; k++) {
        at[k] = -1;
        for (int i = 0; i < sqlite3_column_count(st); i++)
            if (str_eq(sqlite3_column_name(st, i), ROW_COLS[k])) at[k] = i;
    }
    int rc = SQLITE_DONE;
    while ((int)out->n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct talent_row *x = &out->v[out->n++];
        x->id = sqlite3_column_int64(st, at[C_ID]);
        x->owner = at[C_OWNER] >= 0 ? sqlite3_column_int64(st, at[C_OWNER]) : 0;
        x->kind = col_text(a, st, at[C_KIND]);
        x->category = col_text(a, st, at[C_CATEGORY]);
        x->title = col_text(a, st, at[C_TITLE]);
        x->body = col_text(a, st, at[C_BODY]);
        x->tags = col_text(a, st, at[C_TAGS]);
        x->words = col_text(a, st, at[C_WORDS]);
        x->stems = col_text(a, st, at[C_STEMS]);
        if (m) {
            json_t *o = json_object();
            db_view_put(st, m, o);
            json_array_append_new(out->view, o);
        }
    }
    db_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int talent_entry_get(struct dbc *c, struct arena *a, const struct vmask *m, int64_t community_id,
                     int64_t id, const struct talent_viewer *v, struct talent_row *row,
                     json_t **view)
{
    static const char sql[] = ENTRY_COLS " FROM talent_entries e" OWNER
                                         " WHERE e.id = ?4 AND e.community_id = ?5" VISIBLE;
    struct talent_rows rows;
    rows_read(db_prepare(c, sql, "iiiii", v->id, (int64_t)v->organizer, (int64_t)v->member, id,
                         community_id),
              a, m, 1, &rows);
    if (rows.n == 0) {
        json_decref(rows.view);
        return -1;
    }
    *row = rows.v[0];
    *view = m ? json_incref(json_array_get(rows.view, 0)) : NULL;
    json_decref(rows.view);
    return 0;
}

/* An FTS query kept to one community (malloc'd; NULL when fts is). */
struct hit_time {
    int64_t id, t;
};

static int by_time_desc(const void *x, const void *y)
{
    const struct hit_time *a = x, *b = y;
    if (a->t != b->t) return a->t < b->t ? 1 : -1;
    return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

/* A search by words: from the full-text matches, which are few next to the
 * community's entries (walking those in date order and testing each
 * against the matches read the whole community for a rare word). The
 * matches the viewer may see are read as narrow rows in the index's order,
 * counted and put in date order here, then only the page's rows are read
 * whole: a sort and a count(*) OVER () in SQL cost more than the rest of
 * the query (measured with callgrind on the scale-1 database). */
static int search_words(struct dbc *c, struct arena *a, const struct vmask *m, int64_t community_id,
                        const struct talent_viewer *v, const struct talent_search *s, int limit,
                        struct talent_rows *out)
{
    static const char hits[] = "SELECT e.id, e.created_at"
                               " FROM talent_fts f CROSS JOIN talent_entries e ON e.id = f.rowid"
                               " WHERE talent_fts MATCH ?5 AND e.community_id = ?4" FILTERS VISIBLE;
    /* the page, in the order of ?5's ids; asked again who may see them, for
     * a write may have come between the two statements */
    static const char page[] = LIST_BRIEF " FROM json_each(?5) AS j"
                                          " CROSS JOIN talent_entries e ON e.id = j.value" OWNER
                                          " WHERE e.community_id = ?4" VISIBLE " ORDER BY j.key";
    /* s->fts is kept to the community by its prefixes (talent_fts_query) */
    sqlite3_stmt *st =
        db_prepare(c, hits, "iiiitttti", v->id, (int64_t)v->organizer, (int64_t)v->member,
                   community_id, s->fts, s->category, s->kind, s->availability, s->owner);
    struct hit_time *h = NULL;
    size_t n = 0, cap = 0;
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            h = xrealloc(h, cap * sizeof *h);
        }
        h[n++] = (struct hit_time){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1)};
    }
    db_done(st);
    if (rc != SQLITE_DONE) {
        free(h);
        return rows_read(NULL, a, m, limit, out);
    }
    if (n) qsort(h, n, sizeof *h, by_time_desc);
    size_t from = s->offset <= 0 ? 0 : (size_t)s->offset < n ? (size_t)s->offset : n;
    size_t k = n - from < (size_t)limit ? n - from : (size_t)limit;
    int64_t *ids = xmalloc((k ? k : 1) * sizeof *ids);
    for (size_t i = 0; i < k; i++)
        ids[i] = h[from + i].id;
    free(h);
    char *list = talent_ids_json(ids, (int)k);
    free(ids);
    int r = rows_read(db_prepare(c, page, "iiiit", v->id, (int64_t)v->organizer, (int64_t)v->member,
                                 community_id, list),
                      a, m, limit, out);
    free(list);
    out->total = (int64_t)n;
    return r;
}

/* One person's entries: through the owner index, whose order is not the
 * date's. The page's ids are chosen first, then only they are read whole:
 * sorted as they were, every entry of the person would have its texts
 * opened before the sort (the dashboard reads one). */
#define OWNED_PAGE                                                                                 \
    " FROM (SELECT e.id, e.created_at FROM talent_entries e INDEXED BY talent_entries_owner"       \
    " WHERE e.member_id = ?4 AND e.community_id = ?5" VISIBLE                                      \
    " ORDER BY e.created_at DESC, e.id DESC LIMIT ?6 OFFSET ?7) AS p"                              \
    " CROSS JOIN talent_entries e ON e.id = p.id"
#define OWNED_ORDER " ORDER BY p.created_at DESC, p.id DESC"

int talent_entry_search(struct dbc *c, struct arena *a, const struct vmask *m, int64_t community_id,
                        const struct talent_viewer *v, const struct talent_search *s,
                        struct talent_rows *out)
{
    int limit = s->limit ? s->limit : 200;
    /* Without words (?5, bound but unused: words go through by_words). */
    static const char sql[] =
        LIST_BRIEF " FROM talent_entries e" OWNER " WHERE e.community_id = ?4" FILTERS VISIBLE
                   " ORDER BY e.created_at DESC, e.id DESC LIMIT ?10 OFFSET ?11";
    /* One person's entries (OWNED_PAGE). */
    static const char owned[] = ENTRY_COLS OWNED_PAGE OWNER OWNED_ORDER;
    /* the same as "mine" shows them: no bodies, and not the owner's name,
     * which is the viewer's own (each text opened is a decryption in a
     * sealed community); the tags stay, for the matches' explanations */
    static const char owned_brief[] = LIST_COLS_HEAD LIST_COLS_TEXTS
        " e.member_id = ?1 AS mine, e.member_id AS owner_id" MATCH_COLS OWNED_PAGE OWNED_ORDER;
    if (s->owner && !s->fts && !s->category && !s->kind && !s->availability)
        return rows_read(db_prepare(c, s->brief ? owned_brief : owned, "iiiiiii", v->id,
                                    (int64_t)v->organizer, (int64_t)v->member, s->owner,
                                    community_id, (int64_t)limit, s->offset),
                         a, m, limit, out);
    /* One category without words: through the category index. */
    static const char in_category[] =
        LIST_BRIEF " FROM talent_entries e INDEXED BY talent_entries_category" OWNER
                   " WHERE e.community_id = ?4 AND e.category = ?5 AND (?6 IS NULL OR e.kind = ?6)"
                   " AND (?7 IS NULL OR e.availability IN (?7, 'any'))"
                   " AND (?8 = 0 OR e.member_id = ?8)" VISIBLE
                   " ORDER BY e.created_at DESC, e.id DESC LIMIT ?9 OFFSET ?10";
    if (s->category && !s->fts)
        return rows_read(db_prepare(c, in_category, "iiiitttiii", v->id, (int64_t)v->organizer,
                                    (int64_t)v->member, community_id, s->category, s->kind,
                                    s->availability, s->owner, (int64_t)limit, s->offset),
                         a, m, limit, out);
    if (!s->fts)
        return rows_read(db_prepare(c, sql, "iiiittttiii", v->id, (int64_t)v->organizer,
                                    (int64_t)v->member, community_id, NULL, s->category, s->kind,
                                    s->availability, s->owner, (int64_t)limit, s->offset),
                         a, m, limit, out);
    return search_words(c, a, m, community_id, v, s, limit, out);
}

/* Everything the viewer may see: the kept counts of table (rows
 * narrowed by the filter terms) of the classes everyone of the viewer's
 * standing sees, and the viewer's own entries outside them (the same
 * terms on the entry). */
#define KEPT_COUNT(table, terms, entry_terms)                                                      \
    "SELECT CASE WHEN ?2 = 1"                                                                      \
    " THEN (SELECT coalesce(sum(n), 0) FROM " table " WHERE community_id = ?4" terms ")"           \
    " ELSE (SELECT coalesce(sum(n), 0) FROM " table " WHERE community_id = ?4" terms               \
    "   AND hidden = 0 AND (visibility = 'public' OR (visibility = 'members' AND ?3 = 1)))"        \
    " + (SELECT count(*) FROM talent_entries e INDEXED BY talent_entries_owner"                    \
    "   WHERE e.member_id = ?1 AND e.community_id = ?4" entry_terms                                \
    "   AND NOT (e.hidden_reason IS NULL"                                                          \
    "   AND (e.visibility = 'public' OR (e.visibility = 'members' AND ?3 = 1)))) END"

int64_t talent_entry_search_count(struct dbc *c, int64_t community_id,
                                  const struct talent_viewer *v, const struct talent_search *s)
{
    /* as talent_entry_search: ?5, the words, only in by_words */
    static const char sql[] =
        "SELECT count(*) FROM talent_entries e WHERE e.community_id = ?4" FILTERS VISIBLE;
    static const char by_words[] =
        "SELECT count(*) FROM talent_fts f CROSS JOIN talent_entries e ON e.id = f.rowid"
        " WHERE talent_fts MATCH ?5 AND e.community_id = ?4" FILTERS VISIBLE;
    /* of all categories or of one (?6), of all kinds or of one (?7):
     * 062_talent_counts */
    static const char kept[] = KEPT_COUNT(
        "talent_counts", " AND (?6 IS NULL OR category = ?6) AND (?7 IS NULL OR kind = ?7)",
        " AND (?6 IS NULL OR e.category = ?6) AND (?7 IS NULL OR e.kind = ?7)");
    /* by availability alone (?8; an entry available any time fits every
     * choice): 063_talent_counts_availability */
    static const char kept_availability[] =
        KEPT_COUNT("talent_counts_availability", " AND availability IN (?8, 'any')",
                   " AND e.availability IN (?8, 'any')");
    if (!s->fts && !s->availability && !s->owner)
        return db_int(c, 0, kept, "iiiiitt", v->id, (int64_t)v->organizer, (int64_t)v->member,
                      community_id, (int64_t)0, s->category, s->kind);
    if (!s->fts && !s->category && !s->kind && !s->owner)
        return db_int(c, 0, kept_availability, "iiiiittt", v->id, (int64_t)v->organizer,
                      (int64_t)v->member, community_id, (int64_t)0, NULL, NULL, s->availability);
    return db_int(c, 0, s->fts ? by_words : sql, "iiiitttti", v->id, (int64_t)v->organizer,
                  (int64_t)v->member, community_id, s->fts, s->category, s->kind, s->availability,
                  s->owner);
}

/* Which kinds answer which: a need is answered by offers, skills and
 * hobbies; offers and skills by needs; a hobby by the same hobby (the
 * domino partner) and by needs to start one. */
static void answering_kinds(const char *kind, const char *out[3])
{
    out[0] = out[1] = out[2] = "";
    if (str_eq(kind, "need")) {
        out[0] = "offer";
        out[1] = "skill";
        out[2] = "hobby";
    } else if (str_eq(kind, "hobby")) {
        out[0] = "hobby";
        out[1] = "need";
    } else {
        out[0] = "need";
    }
}

/* Appends id to ids[0..*n) unless it is there or ids is full. */
static void id_add(int64_t *ids, int *n, int max, int64_t id)
{
    for (int i = 0; i < *n; i++)
        if (ids[i] == id) return;
    if (*n < max) ids[(*n)++] = id;
}

/* Appends the ids that one statement (bound, stepped here) gives. */
static void ids_from(sqlite3_stmt *st, int64_t *ids, int *n, int max)
{
    if (!st) return;
    while (*n < max && sqlite3_step(st) == SQLITE_ROW)
        id_add(ids, n, max, sqlite3_column_int64(st, 0));
    db_done(st);
}

int talent_candidate_ids(struct dbc *c, int64_t community_id, int64_t self, const char *kind,
                         const struct talent_item *a, int64_t *ids, int max)
{
    /* One kind at a time, newest first: every lookup is one range of an
     * index that ends at its limit. A neighbour who wrote lately is likelier
     * to still be around. */
    static const char by_tag[] =
        "SELECT entry_id FROM talent_tags INDEXED BY talent_tags_kind"
        " WHERE community_id = ?1 AND kind = ?2 AND tag = ?3 AND entry_id <> ?4"
        " ORDER BY entry_id DESC LIMIT 20";
    static const char by_category[] =
        "SELECT id FROM talent_entries INDEXED BY talent_entries_community"
        " WHERE community_id = ?1 AND kind = ?2 AND category = ?3 AND id <> ?4"
        " ORDER BY id DESC LIMIT 10";
    static const char by_stem[] =
        "SELECT entry_id FROM talent_words WHERE community_id = ?1 AND kind = ?2 AND stem = ?3"
        " AND entry_id <> ?4 ORDER BY entry_id DESC LIMIT 5";
    const char *k[3];
    answering_kinds(kind, k);
    int n = 0;
    for (int j = 0; j < 3 && k[j][0]; j++)
        for (int i = 0; i < a->ntags; i++)
            ids_from(db_prepare(c, by_tag, "itti", community_id, k[j], a->tags[i], self), ids, &n,
                     max);
    for (int j = 0; j < 3 && k[j][0] && a->category; j++)
        ids_from(db_prepare(c, by_category, "itti", community_id, k[j], a->category, self), ids, &n,
                 max);
    for (int i = 0; i < a->nwords; i++)
        for (int j = 0; j < 3 && k[j][0]; j++)
            ids_from(db_prepare(c, by_stem, "itti", community_id, k[j], a->stems[i], self), ids, &n,
                     max);
    return n;
}

char *talent_ids_json(const int64_t *ids, int n)
{
    struct buf b;
    buf_init(&b);
    buf_putc(&b, '[');
    for (int i = 0; i < n; i++)
        buf_printf(&b, i ? ",%lld" : "%lld", (long long)ids[i]);
    buf_putc(&b, ']');
    return buf_detach(&b);
}

int64_t talent_entry_count(struct dbc *c, int64_t community_id, int64_t owner)
{
    static const char shown[] = "SELECT count(*) FROM talent_entries WHERE community_id = ?"
                                " AND hidden_reason IS NULL";
    /* One person's, hidden ones too: through the owner index (an "owner or
     * everyone" condition in one statement read the whole community). */
    static const char owned[] = "SELECT count(*) FROM talent_entries INDEXED BY"
                                " talent_entries_owner WHERE member_id = ? AND community_id = ?";
    return owner ? db_int(c, 0, owned, "ii", owner, community_id)
                 : db_int(c, 0, shown, "i", community_id);
}

int talent_is_member(struct dbc *c, int64_t community_id, int64_t member_id)
{
    static const char sql[] = "SELECT 1 FROM members WHERE community_id = ? AND id = ?";
    return db_int(c, 0, sql, "ii", community_id, member_id) == 1;
}

int talent_words_backfill(struct db *db)
{
    static const char count[] = "SELECT count(*) FROM talent_entries INDEXED BY"
                                " talent_entries_no_words WHERE words IS NULL";
    static const char batch[] =
        "SELECT id, community_id, kind, title, body, tags FROM talent_entries"
        " INDEXED BY talent_entries_no_words WHERE words IS NULL LIMIT 2000";
    struct dbc *w = db_write_begin(db);
    if (!w) return -1;
    int64_t total = db_int(w, 0, count, ""), done = 0;
    int rc = 0;
    while (rc == 0 && done < total) {
        json_t *rows = db_rows(w, batch, "");
        size_t i;
        json_t *row;
        if (!rows || json_array_size(rows) == 0) {
            rc = rows ? 0 : -1;
            json_decref(rows);
            break;
        }
        json_array_foreach(rows, i, row)
        {
            int64_t cid = json_integer_value(json_object_get(row, "community_id"));
            int64_t id = json_integer_value(json_object_get(row, "id"));
            const char *kind = json_string_value(json_object_get(row, "kind"));
            const char *title = json_string_value(json_object_get(row, "title"));
            const char *body = json_string_value(json_object_get(row, "body"));
            /* A sealed entry (its community's texts are all sealed once
             * it has a key) is left as it is: there is no key here to read
             * it with, and its words are written with it. A clear one is a
             * clear community's: its index rows are words. */
            static const struct talent_keys clear = {0};
            /* the full-text row too: it holds stems made by the same rules */
            if (!sealtext_is_sealed(title) &&
                (write_fts(w, cid, id, title, body, json_string_value(json_object_get(row, "tags")),
                           &clear) != 0 ||
                 write_words(w, cid, id, kind, title, body, &clear) != 0))
                rc = -1;
            done++;
        }
        json_decref(rows);
        /* one transaction per batch: the writer is not held for long and
         * what is done stays done if the process is stopped */
        if (db_write_end(db, w, rc == 0) != 0) return -1;
        log_progress("talent words", done, total);
        w = rc == 0 && done < total ? db_write_begin(db) : NULL;
        if (rc == 0 && done < total && !w) return -1;
    }
    if (w) db_write_end(db, w, rc == 0);
    return rc;
}

int talent_entry_reindex(struct dbc *w, int64_t community_id, int64_t id,
                         const struct talent_keys *k)
{
    struct stored_entry old;
    if (stored_entry_read(w, community_id, id, &old) != 0) return -1;
    char(*tags)[TALENT_TAG_BYTES] = xmalloc(TALENT_MAX_TAGS * sizeof *tags);
    int ntags = talent_tags_parse(old.tags, tags, TALENT_MAX_TAGS);
    struct talent_entry e = {old.kind, old.category, old.title, old.body,
                             NULL,     NULL,         tags,      ntags > 0 ? ntags : 0};
    int rc = write_index(w, community_id, id, &e, old.tags, k);
    free(tags);
    stored_entry_free(&old);
    return rc;
}

int talent_member_left(struct dbc *w, int64_t community_id)
{
    /* The leaver's entries went by cascade and their trigger noted the
     * ids (migration 050): their full-text rows go now, in the leaving's
     * own transaction. */
    (void)community_id;
    return talent_fts_sweep(w);
}

int talent_community_purge(struct dbc *w, int64_t community_id)
{
    /* The full-text rows hold the entries' titles and texts and no foreign
     * key reaches them: removed before the community's rows cascade. The
     * entries go here too, and the ids their trigger noted with them: a
     * burned community leaves not even the number of its entries behind. */
    static const char sql[] = "DELETE FROM talent_fts WHERE rowid IN"
                              " (SELECT id FROM talent_entries WHERE community_id = ?)";
    static const char entries[] = "DELETE FROM talent_entries WHERE community_id = ?";
    return db_exec(w, sql, "i", community_id) < 0 || db_exec(w, entries, "i", community_id) < 0
               ? -1
               : talent_fts_sweep(w);
}
