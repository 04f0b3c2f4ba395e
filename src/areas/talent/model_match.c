/* Matches kept ready (table talent_matches): each entry's best candidates,
 * ranked inside the transaction that writes the entry, so that the pages
 * that show matches (the dashboard panel, "matches for me", an entry's
 * page, a club's invitations) read a few rows instead of asking for a
 * hundred candidates and ranking them on every view. */
#include "areas/talent/model_sql.h"
#include "areas/talent/talent.h"
#include "core/db.h"
#include "core/log.h"
#include "core/notify.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

enum {
    /* the candidate ids gathered per entry, as the pages did before */
    CANDIDATES = 100,
};

/* An entry as ranking reads it; the strings are malloc'd and split in
 * place for item. */
struct mentry {
    int64_t id, owner;
    char *kind, *category, *tags, *words, *stems;
    struct talent_item item;
};

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return xstrdup(t ? (const char *)t : "");
}

static void mentry_take(sqlite3_stmt *st, struct mentry *e)
{
    memset(e, 0, sizeof *e);
    e->id = sqlite3_column_int64(st, 0);
    e->owner = sqlite3_column_int64(st, 1);
    e->kind = col_dup(st, 2);
    e->category = col_dup(st, 3);
    e->tags = col_dup(st, 4);
    /* NULL in a sealed community: its words are the stems' hashes */
    e->words = sqlite3_column_type(st, 5) == SQLITE_NULL ? NULL : col_dup(st, 5);
    e->stems = col_dup(st, 6);
    e->item.category = e->category;
    char *t = e->tags;
    while (*t && e->item.ntags < TALENT_MAX_TAGS) {
        char *sep = strstr(t, ", ");
        if (sep) *sep = 0;
        e->item.tags[e->item.ntags++] = t;
        t = sep ? sep + 2 : t + strlen(t);
    }
    talent_item_words(&e->item, e->words, e->stems);
}

static void mentry_free(struct mentry *e)
{
    free(e->kind);
    free(e->category);
    free(e->tags);
    free(e->words);
    free(e->stems);
}

/* In a sealed community (issue 11; model_seal.c) ranking compares keyed
 * hashes and needs no key, so that the background pass, which has none,
 * ranks there as it does elsewhere: the tags are read from the tag rows
 * (their hashes) rather than from the entry's sealed list, and the words
 * are left out (the stems column holds their hashes, which stand for them
 * in a match's explanation until talent_why_open turns them back). A sealed
 * value starts with the record separator, char(30). */
#define MENTRY_COLS                                                                                \
    "SELECT e.id, e.member_id, e.kind, e.category,"                                                \
    " CASE WHEN substr(e.tags, 1, 1) = char(30) THEN (SELECT group_concat(t.tag, ', ')"            \
    " FROM talent_tags t WHERE t.entry_id = e.id) ELSE e.tags END,"                                \
    " CASE WHEN substr(e.words, 1, 1) = char(30) THEN NULL ELSE e.words END, e.stems"

static int mentry_read(struct dbc *w, int64_t id, struct mentry *out)
{
    static const char sql[] = MENTRY_COLS " FROM talent_entries e WHERE e.id = ?";
    sqlite3_stmt *st = db_prepare(w, sql, "i", id);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) mentry_take(st, out);
    db_done(st);
    return rc;
}

/* The entries ids, whoever may see them (the viewer is asked when the rows
 * are read), into out (n places). Returns how many, or -1. */
static int mentries_read(struct dbc *w, const int64_t *ids, int n, struct mentry *out)
{
    static const char sql[] = MENTRY_COLS " FROM json_each(?) AS j"
                                          " CROSS JOIN talent_entries e ON e.id = j.value";
    char *list = talent_ids_json(ids, n);
    sqlite3_stmt *st = db_prepare(w, sql, "t", list);
    free(list);
    if (!st) return -1;
    int k = 0, rc;
    while (k < n && (rc = sqlite3_step(st)) == SQLITE_ROW)
        mentry_take(st, &out[k++]);
    db_done(st);
    return k;
}

struct ready_hit {
    int64_t id;
    struct talent_score s;
};

/* Keeps h among the TALENT_READY best of v[0..*n) (higher score first,
 * then the newer entry), as the pages ranked. */
static void hit_keep(struct ready_hit *v, int *n, const struct ready_hit *h)
{
    int at = *n;
    while (at > 0 && (v[at - 1].s.score < h->s.score ||
                      (v[at - 1].s.score == h->s.score && v[at - 1].id < h->id)))
        at--;
    if (at >= TALENT_READY) return;
    int last = *n < TALENT_READY ? *n : TALENT_READY - 1;
    memmove(&v[at + 1], &v[at], (size_t)(last - at) * sizeof *v);
    v[at] = *h;
    if (*n < TALENT_READY) (*n)++;
}

/* How b answers a, if it is worth showing: not the same person's, and at
 * least as much as a shared category (3). */
static int ranks(const struct mentry *a, const struct mentry *b, struct talent_score *s)
{
    return a->owner != b->owner && talent_rank(&a->item, &b->item, s) >= 3;
}

static int row_put(struct dbc *w, int64_t entry, int64_t cand, const struct talent_score *s)
{
    static const char sql[] = "INSERT INTO talent_matches(entry_id, candidate_id, score, why)"
                              " VALUES(?, ?, ?, ?)";
    return db_exec(w, sql, "iiit", entry, cand, (int64_t)s->score, s->why) < 0 ? -1 : 0;
}

/* a's own list: its best among cands, replacing what it had. */
static int own_list(struct dbc *w, const struct mentry *a, const struct mentry *cands, int n)
{
    static const char del[] = "DELETE FROM talent_matches WHERE entry_id = ?";
    struct ready_hit *best = xmalloc(TALENT_READY * sizeof *best);
    int nb = 0;
    for (int i = 0; i < n; i++) {
        struct ready_hit h = {cands[i].id, {0}};
        if (ranks(a, &cands[i], &h.s)) hit_keep(best, &nb, &h);
    }
    int rc = db_exec(w, del, "i", a->id) < 0 ? -1 : 0;
    for (int i = 0; i < nb && rc == 0; i++)
        rc = row_put(w, a->id, best[i].id, &best[i].s);
    free(best);
    return rc;
}

/* What a new place in a list tells: the owner of a need whose list a
 * entered has a new match (talent.match), unless a was there before an
 * edit (before, nbefore) or is for the organizers only (tell: 0), which
 * the need's owner may not be shown. */
struct match_tell {
    int64_t community_id;
    int tell;
    const int64_t *before;
    int nbefore;
};

static int tell_match(struct dbc *w, const struct match_tell *t, const struct mentry *need)
{
    if (!t || !t->tell || strcmp(need->kind, "need") != 0) return 0;
    for (int i = 0; i < t->nbefore; i++)
        if (t->before[i] == need->id) return 0;
    return notify_members(w, t->community_id, TALENT_NOTIFY_MATCH, need->id, NOTIFY_TO_MEMBER,
                          need->owner, now_s()) < 0
               ? -1
               : 0;
}

/* a as a candidate of each of cands (the relation of kinds is symmetric:
 * an entry found for a is one a answers) where it ranks among the best.
 * The last of a full list is read first, so that a list a does not enter
 * is only read, not written: most of the cost of a write is the pages it
 * changes. */
static int into_lists(struct dbc *w, const struct mentry *a, const struct mentry *cands, int n,
                      const struct match_tell *t)
{
    static const char list[] = "SELECT candidate_id, score FROM talent_matches WHERE entry_id = ?";
    static const char drop[] =
        "DELETE FROM talent_matches WHERE entry_id = ? AND score = ? AND candidate_id = ?";
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        struct talent_score s;
        if (!ranks(&cands[i], a, &s)) continue;
        /* the list's last (at most TALENT_READY rows: no sort asked of SQL) */
        sqlite3_stmt *st = db_prepare(w, list, "i", cands[i].id);
        if (!st) return -1;
        int rows = 0, last_score = 0;
        int64_t last_id = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            int64_t id = sqlite3_column_int64(st, 0);
            int score = (int)sqlite3_column_int64(st, 1);
            if (rows++ == 0 || score < last_score || (score == last_score && id < last_id)) {
                last_score = score;
                last_id = id;
            }
        }
        db_done(st);
        int full = rows >= TALENT_READY;
        if (full && (s.score < last_score || (s.score == last_score && a->id < last_id))) continue;
        if (full && db_exec(w, drop, "iii", cands[i].id, (int64_t)last_score, last_id) < 0) rc = -1;
        if (rc == 0) rc = row_put(w, cands[i].id, a->id, &s);
        if (rc == 0) rc = tell_match(w, t, &cands[i]);
    }
    return rc;
}

/* Ranks the entry id: its own list, and, when both, the lists of the
 * entries it answers. */
static int rank_entry(struct dbc *w, int64_t community_id, int64_t id, int both,
                      const struct match_tell *t)
{
    struct mentry a;
    if (mentry_read(w, id, &a) != 0) return -1;
    int64_t *ids = xmalloc(CANDIDATES * sizeof *ids);
    int nid = talent_candidate_ids(w, community_id, id, a.kind, &a.item, ids, CANDIDATES);
    struct mentry *cands = xmalloc(CANDIDATES * sizeof *cands);
    int n = nid > 0 ? mentries_read(w, ids, nid, cands) : 0;
    int rc = n < 0 ? -1 : own_list(w, &a, cands, n);
    if (rc == 0 && both) rc = into_lists(w, &a, cands, n, t);
    for (int i = 0; i < n; i++)
        mentry_free(&cands[i]);
    free(cands);
    free(ids);
    mentry_free(&a);
    return rc;
}

int talent_matches_write(struct dbc *w, int64_t community_id, int64_t id, int edited)
{
    /* An edit may take away what made the entry answer another: it leaves
     * every list it stood in, then enters those it answers as it is now. */
    static const char leave[] = "DELETE FROM talent_matches WHERE candidate_id = ?";
    static const char lists[] = "SELECT entry_id FROM talent_matches WHERE candidate_id = ?";
    static const char hidden[] =
        "SELECT visibility = 'organizers' FROM talent_entries WHERE id = ?";
    struct match_tell t = {community_id, db_int(w, 1, hidden, "i", id) == 0, NULL, 0};
    int64_t *before = NULL;
    if (edited && t.tell) {
        /* the lists it stood in before: staying there is no news */
        int cap = 0;
        sqlite3_stmt *st = db_prepare(w, lists, "i", id);
        if (!st) return -1;
        while (sqlite3_step(st) == SQLITE_ROW) {
            if (t.nbefore == cap)
                before = xrealloc(before, (size_t)(cap = cap ? 2 * cap : 16) * sizeof *before);
            before[t.nbefore++] = sqlite3_column_int64(st, 0);
        }
        db_done(st);
        t.before = before;
    }
    int rc = edited && db_exec(w, leave, "i", id) < 0 ? -1 : rank_entry(w, community_id, id, 1, &t);
    free(before);
    return rc;
}

int talent_matches_backfill(struct db *db)
{
    static const char count[] = "SELECT count(*) FROM talent_matches_todo";
    static const char batch[] =
        "SELECT t.entry_id, e.community_id FROM talent_matches_todo t"
        " JOIN talent_entries e ON e.id = t.entry_id ORDER BY t.entry_id LIMIT 1000";
    static const char done_one[] = "DELETE FROM talent_matches_todo WHERE entry_id = ?";
    struct dbc *w = db_write_begin(db);
    if (!w) return -1;
    int64_t total = db_int(w, 0, count, ""), done = 0;
    int rc = 0;
    while (rc == 0 && done < total) {
        enum { BATCH = 1000 };
        int64_t ids[BATCH], cids[BATCH];
        int n = 0;
        sqlite3_stmt *st = db_prepare(w, batch, "");
        while (st && n < BATCH && sqlite3_step(st) == SQLITE_ROW) {
            ids[n] = sqlite3_column_int64(st, 0);
            cids[n++] = sqlite3_column_int64(st, 1);
        }
        db_done(st);
        if (!st) rc = -1;
        if (n == 0) break;
        /* Each entry's own list from its own candidates: what the pages
         * computed when they ranked on every view. */
        for (int i = 0; i < n && rc == 0; i++)
            if (rank_entry(w, cids[i], ids[i], 0, NULL) != 0 ||
                db_exec(w, done_one, "i", ids[i]) < 0)
                rc = -1;
        done += n;
        /* one transaction per batch: the writer is not held for long and
         * what is done stays done if the process is stopped */
        if (db_write_end(db, w, rc == 0) != 0) return -1;
        w = NULL;
        log_progress("talent matches", done < total ? done : total, total);
        if (rc == 0 && done < total && !(w = db_write_begin(db))) return -1;
    }
    if (w) db_write_end(db, w, rc == 0);
    return rc;
}

/* The ready list walked best first in its key's order (no sort), skipping
 * what the viewer may not see. */
#define READY_FROM " FROM talent_matches t CROSS JOIN talent_entries e ON e.id = t.candidate_id"
#define READY_WHERE " WHERE t.entry_id = ?4 AND e.community_id = ?5" VISIBLE
#define READY_ORDER " ORDER BY t.score DESC, t.candidate_id DESC LIMIT ?6"
/* Columns 0 to 4 as ready_read takes them, then the texts. */
#define READY_HEAD                                                                                 \
    "SELECT t.candidate_id AS id, t.score, t.why, e.kind, e.category,"                             \
    " unseal(e.title, e.community_id, 'talent_entries.title') AS title,"
#define READY_NAME " unseal(o.name, o.community_id, 'members.name') AS display_name"

/* Steps st to at most limit rows into out and *view (new ref); with
 * more, the first row's column more_at into *more. */
static int ready_read(sqlite3_stmt *st, struct arena *a, const struct vmask *m, int limit,
                      struct talent_ready *out, json_t **view, int more_at, int *more)
{
    *view = json_array();
    if (more) *more = 0;
    if (!st) return -1;
    int n = 0, rc;
    while (n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *why = sqlite3_column_text(st, 2), *cat = sqlite3_column_text(st, 4);
        out[n] =
            (struct talent_ready){sqlite3_column_int64(st, 0), (int)sqlite3_column_int64(st, 1),
                                  arena_strdup(a, why ? (const char *)why : ""),
                                  arena_strdup(a, cat ? (const char *)cat : "")};
        if (more && n == 0) *more = sqlite3_column_int(st, more_at) == 1;
        json_t *o = json_object();
        db_view_put(st, m, o);
        json_array_append_new(*view, o);
        n++;
    }
    db_done(st);
    return n;
}

int talent_ready_list(struct dbc *c, struct arena *a, const struct vmask *m, int64_t community_id,
                      const struct talent_viewer *v, int64_t entry_id, int limit,
                      struct talent_ready *out, json_t **view)
{
    static const char sql[] = READY_HEAD
        " unseal(e.tags, e.community_id, 'talent_entries.tags') AS tags," READY_NAME READY_FROM
            OWNER READY_WHERE READY_ORDER;
    return ready_read(db_prepare(c, sql, "iiiiii", v->id, (int64_t)v->organizer, (int64_t)v->member,
                                 entry_id, community_id, (int64_t)limit),
                      a, m, limit, out, view, 0, NULL);
}

int talent_ready_brief(struct dbc *c, struct arena *a, const struct vmask *m, int64_t community_id,
                       const struct talent_viewer *v, int64_t entry_id, int limit,
                       struct talent_ready *out, json_t **view, int *more)
{
    /* Column 7: whether one more is there, counted once for the statement
     * (an uncorrelated subquery) without opening a text or joining the
     * owner. */
    static const char sql[] =
        READY_HEAD READY_NAME ", (SELECT count(*) > ?6 FROM (SELECT 1" READY_FROM READY_WHERE
                              " LIMIT ?6 + 1)) AS beyond" READY_FROM OWNER READY_WHERE READY_ORDER;
    return ready_read(db_prepare(c, sql, "iiiiii", v->id, (int64_t)v->organizer, (int64_t)v->member,
                                 entry_id, community_id, (int64_t)limit),
                      a, m, limit, out, view, 7, more);
}

int talent_upgrade(struct db *db)
{
    /* the full-text rows of entries gone with their members first: a
     * member who left is not kept in the index until the next write */
    struct dbc *w = db_write_begin(db);
    if (!w) return -1;
    int swept = talent_fts_sweep(w) == 0;
    if (db_write_end(db, w, swept) != 0 || !swept) return -1;
    /* the words before the matches: ranking compares them */
    return talent_words_backfill(db) == 0 && talent_matches_backfill(db) == 0 ? 0 : -1;
}

int talent_matches_own(struct dbc *w, int64_t community_id, int64_t id)
{
    return rank_entry(w, community_id, id, 0, NULL);
}
