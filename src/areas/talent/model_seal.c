/* The talent bank in a sealed community (issue 11, step 3; core/sealtext.h):
 * the word keys its indexes are hashed with, the hashed forms of a search
 * and of a match's explanation, and the area's seal_texts hook.
 *
 * What the indexes hold there: no word in clear. The full-text row keeps
 * only keyed hashes of the stems (title, body and tags empty); a match word
 * (talent_words.stem, the entry's stems column) is the keyed hash of its
 * stem; a tag row's tag is the keyed hash of the tag, with the tag sealed
 * beside it (label) for the tags page. Two keys, one per use ("talent.stems",
 * "talent.tags"), so that a tag's hash and a word's cannot be told equal.
 * The hashes stay in clear because the background ranking
 * (talent_matches_backfill) runs with no key: it compares hashes only, and
 * a match's explanation is stored as the hashes it shares, which a request
 * turns back into words from the viewer's own entry (talent_why_open). */
#include "areas/talent/model_sql.h"
#include "areas/talent/talent.h"
#include "core/db.h"
#include "core/seal.h"
#include "core/sealtext.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

int talent_keys_get(struct dbc *c, int64_t community_id, struct talent_keys *k)
{
    memset(k, 0, sizeof *k);
    const struct seal_data_key *dk = NULL;
    int rc = sealtext_key(c, community_id, &dk);
    if (rc != 1) return rc;
    k->sealed = 1;
    sealtext_word_key(dk, "talent.stems", k->stems);
    sealtext_word_key(dk, "talent.tags", k->tags);
    return 1;
}

void talent_keys_wipe(struct talent_keys *k)
{
    seal_wipe(k, sizeof *k);
}

char *talent_hash_words(const unsigned char key[SEALTEXT_WORD_KEY], const char *words)
{
    struct buf b;
    buf_init(&b);
    buf_puts(&b, "");
    const char *p = words ? words : "";
    while (*p) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n) break;
        char h[SEALTEXT_WORD_HEX + 1];
        sealtext_word_hash(key, p, n, h);
        if (b.len) buf_putc(&b, ' ');
        buf_puts(&b, h);
        p += n;
    }
    return buf_detach(&b);
}

int talent_fts_query_sealed(struct dbc *c, int64_t community_id, const char *text, int any,
                            char **out)
{
    *out = NULL;
    struct talent_keys k;
    int sealed = talent_keys_get(c, community_id, &k);
    if (sealed == 0) return talent_fts_query(community_id, text, any, out);
    if (sealed < 0) {
        /* no key here: nothing can match, and the query says so (no
         * community's prefix is "s0x") */
        *out = xstrdup("\"s0x-\"");
        return 1;
    }
    /* Only whole words, by their stems: the index holds no beginning of a
     * word to match a prefix against. */
    char *stems = talent_fts_stems(text);
    char *hashes = talent_hash_words(k.stems, stems);
    talent_keys_wipe(&k);
    free(stems);
    struct talent_fts_prefix px = {"", ""};
    talent_fts_prefixes(community_id, &px);
    struct buf b;
    buf_init(&b);
    int n = 0;
    for (const char *p = hashes; *p;) {
        size_t len = strcspn(p, " ");
        if (len) {
            if (n++) buf_puts(&b, any ? " OR " : " AND ");
            buf_printf(&b, "\"%s", px.stem);
            buf_append(&b, p, len);
            buf_putc(&b, '"');
        }
        p += len;
        while (*p == ' ')
            p++;
    }
    free(hashes);
    *out = n ? buf_detach(&b) : NULL;
    buf_free(&b);
    return n;
}

/* Appends the pairs of hashes (space-separated) and words (separated by
 * sep and spaces), in the same order, until either ends. */
static void pairs_add(struct talent_why_words *ww, int cap, const char *hashes, const char *words,
                      const char *sep)
{
    struct talent_why_pair *pair = ww->pair;
    const char *s = hashes, *w = words;
    while (*s == ' ')
        s++;
    while (*w && (*w == ' ' || strchr(sep, *w)))
        w++;
    while (*s && *w && ww->n < cap) {
        size_t sl = strcspn(s, " "), wl = strcspn(w, sep);
        pair[ww->n++] = (struct talent_why_pair){s, sl, w, wl};
        s += sl;
        w += wl;
        while (*s == ' ')
            s++;
        while (*w && (*w == ' ' || strchr(sep, *w)))
            w++;
    }
}

void talent_why_words_of(struct arena *a, const struct talent_keys *k, const struct talent_row *e,
                         struct talent_why_words *out)
{
    /* The tags' hashes once per entry, not once per match shown; the
     * stems' are stored. Tags first: a tag is named before a word. */
    struct buf b;
    buf_init(&b);
    buf_puts(&b, "");
    int cap = 0;
    for (const char *t = e->tags ? e->tags : ""; *t;) {
        size_t len = strcspn(t, ",");
        char h[SEALTEXT_WORD_HEX + 1];
        sealtext_word_hash(k->tags, t, len, h);
        if (b.len) buf_putc(&b, ' ');
        buf_puts(&b, h);
        cap++;
        t += len;
        while (*t == ',' || *t == ' ')
            t++;
    }
    for (const char *w = e->stems ? e->stems : ""; *w; w++)
        cap += *w == ' ';
    cap += 1;
    out->n = 0;
    out->pair = arena_alloc(a, (size_t)cap * sizeof *out->pair);
    pairs_add(out, cap, arena_strdup(a, b.data), e->tags ? e->tags : "", ",");
    pairs_add(out, cap, e->stems ? e->stems : "", e->words ? e->words : "", " ");
    buf_free(&b);
}

const char *talent_why_open(struct arena *a, const struct talent_why_words *ww, const char *why)
{
    if (!why || !why[0]) return why;
    struct buf b;
    buf_init(&b);
    buf_puts(&b, "");
    for (const char *p = why; *p;) {
        size_t n = strcspn(p, ",");
        /* the first pair with this hash (a tag before a word); nothing for
         * a hash of neither (a word of the entry that changed since) */
        for (int i = 0; i < ww->n; i++) {
            const struct talent_why_pair *x = &ww->pair[i];
            if (x->hash_len != n || memcmp(x->hash, p, n) != 0 || !x->word_len) continue;
            if (b.len) buf_puts(&b, ", ");
            buf_append(&b, x->word, x->word_len);
            break;
        }
        p += n;
        while (*p == ',' || *p == ' ')
            p++;
    }
    const char *out = arena_strdup(a, b.data);
    buf_free(&b);
    return out;
}

/* ---- sealing a community's texts in place ---- */

static int seal_rows(struct dbc *w, int64_t community_id)
{
    /* the entries' own texts; words are rewritten with their index below */
    static const char *const sql[] = {
        "UPDATE talent_entries SET title = seal(title, community_id, 'talent_entries.title'),"
        " body = seal(body, community_id, 'talent_entries.body'),"
        " tags = seal(tags, community_id, 'talent_entries.tags'),"
        " hidden_reason = seal(hidden_reason, community_id, 'talent_entries.hidden_reason')"
        " WHERE community_id = ?",
        "UPDATE talent_requests SET message = seal(message, community_id, "
        "'talent_requests.message'),"
        " from_contact = seal(from_contact, community_id, 'talent_requests.from_contact'),"
        " to_contact = seal(to_contact, community_id, 'talent_requests.to_contact'),"
        " thanks = seal(thanks, community_id, 'talent_requests.thanks') WHERE community_id = ?",
        "UPDATE talent_clubs SET name = seal(name, community_id, 'talent_clubs.name'),"
        " description = seal(description, community_id, 'talent_clubs.description'),"
        " meets_when = seal(meets_when, community_id, 'talent_clubs.meets_when'),"
        " meets_where = seal(meets_where, community_id, 'talent_clubs.meets_where')"
        " WHERE community_id = ?",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
        if (db_exec(w, sql[i], "i", community_id) < 0) return -1;
    return 0;
}

int talent_seal_texts(struct dbc *w, int64_t community_id)
{
    /* The index rows first, from the texts while they are still clear (the
     * key is held: they are written hashed), then the texts themselves, then
     * every ready match of the community again: their explanations named
     * tags and words in clear. */
    static const char entries[] =
        "SELECT id FROM talent_entries WHERE community_id = ? ORDER BY id";
    static const char drop_matches[] = "DELETE FROM talent_matches WHERE entry_id IN"
                                       " (SELECT id FROM talent_entries WHERE community_id = ?)";
    /* deleted full-text rows leave their words in the index's segments
     * until they are merged: merged now, so no word stays in clear */
    static const char merge[] = "INSERT INTO talent_fts(talent_fts) VALUES('optimize')";
    json_t *rows = db_rows(w, entries, "i", community_id);
    if (!rows) return -1;
    size_t n = json_array_size(rows);
    int64_t *ids = xmalloc((n ? n : 1) * sizeof *ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = json_integer_value(json_object_get(json_array_get(rows, i), "id"));
    json_decref(rows);
    /* the key is held by community_seal_start: derived once for them all */
    struct talent_keys k;
    int rc = talent_keys_get(w, community_id, &k) == 1 ? 0 : -1;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = talent_entry_reindex(w, community_id, ids[i], &k);
    talent_keys_wipe(&k);
    if (rc == 0) rc = seal_rows(w, community_id);
    if (rc == 0 && db_exec(w, drop_matches, "i", community_id) < 0) rc = -1;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = talent_matches_own(w, community_id, ids[i]);
    free(ids);
    if (rc == 0 && n && db_exec(w, merge, "") < 0) rc = -1;
    return rc;
}
