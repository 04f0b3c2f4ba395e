/* The neighbours' talent bank: entries (skills, hobbies, offers, needs)
 * with a category, free tags and a visibility; search; matches between
 * needs and offers and between shared interests; requests for help between
 * two members; interest clubs; the organizer's overview. */
#ifndef HR_TALENT_H
#define HR_TALENT_H

#include "core/area.h"
#include "core/db.h"
#include "core/req.h"
#include "core/sealtext.h"
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct dbc;

extern const struct area talent_area;
extern const struct route talent_routes[];
extern const struct route talent_help_routes[];
extern const struct route talent_club_routes[];

/* The community dashboard panel (areas.c). */
int talent_panel_fill(struct req *r, json_t *panel);
/* The demo step. */
int demo_talent(struct dbc *w);
/* bench-data's step (benchdata.c). */
struct db;
struct bench_world;
int benchdata_talent(struct db *db, struct bench_world *w);

enum {
    TALENT_TAG_CHARS = 32,
    TALENT_TAG_BYTES = TALENT_TAG_CHARS * 4 + 1,
    TALENT_MAX_TAGS = 10,
    TALENT_TITLE_MAX = 120,
    TALENT_BODY_MAX = 2000,
    TALENT_TAGS_FIELD_MAX = 600,
    TALENT_CONTACT_MAX = 200,
    TALENT_MESSAGE_MAX = 1000,
    TALENT_WHY_BYTES = 256,
    TALENT_MATCH_WORDS = 32,
    /* a match word: at most 24 characters of up to four bytes */
    TALENT_WORD_BYTES = 4 * 24 + 1,
    TALENT_STEM_BYTES = TALENT_WORD_BYTES,
};

/* The taxonomy and the other choices, NULL-terminated; labels come from
 * the catalog as "talent.cat.<key>", "talent.kind.<key>" and so on. */
extern const char *const talent_categories[];
extern const char *const talent_kinds[];
extern const char *const talent_availability[];
extern const char *const talent_visibility[];

/* ---- pure functions (rank.c) ---- */

/* Folds text for comparison and search: lower case for Latin and Cyrillic
 * (Belarusian and Ukrainian letters included), ё as е, runs of white space
 * as one space, trimmed. Returns a malloc'd string. */
char *talent_fold(const char *s);
/* Normalises one tag (folded, a leading '#' dropped) into out, which holds
 * TALENT_TAG_BYTES. Returns 0, -1 when empty, -2 when longer than
 * TALENT_TAG_CHARS characters. */
int talent_tag_norm(const char *s, size_t n, char *out);
/* Splits a comma-separated list of tags, normalising each and dropping
 * repeats. Returns the count, -2 when a tag is too long, -3 when there are
 * more than max. */
int talent_tags_parse(const char *s, char (*out)[TALENT_TAG_BYTES], int max);
/* The Snowball stem of one folded word (Debian's libstemmer) into out,
 * which holds TALENT_STEM_BYTES: Russian rules for a word with Cyrillic
 * letters, English for one with Latin letters; the word itself when it has
 * neither (digits, other scripts) or its stem comes out empty; "" for a word
 * of TALENT_WORD_BYTES bytes or more. "велосипеда" and "велосипед" have one
 * stem, "велосипед". A stemmer is made for the call: Snowball's objects are
 * not thread-safe, and making one costs less than stemming two words. */
void talent_stem(const char *word, char *out);
/* The stems of every word of text (folded), space-separated, for the stems
 * column of the full-text index. Returns a malloc'd string. */
char *talent_fts_stems(const char *text);
/* The full-text index (migration 070) holds one column of tokens, each
 * behind its community's prefix: "c612x" and a folded word of the title,
 * body or tags, "s612x" and a stem (a keyed hash in a sealed community).
 * A search by the beginning of a word is then a walk over the terms of its
 * community only, not over every community's words that start alike. The
 * prefixes end in a letter so that community 61 never reads 612's. */
struct talent_fts_prefix {
    char word[32], stem[32];
};
void talent_fts_prefixes(int64_t community_id, struct talent_fts_prefix *p);
/* The row of talent_fts for an entry of the community: the words of text
 * (NULL in a sealed community, whose index holds no word) and the
 * space-separated stems, each behind its prefix. Returns a malloc'd
 * string. */
char *talent_fts_row(int64_t community_id, const char *text, const char *stems);
/* An FTS5 query for the words of text (stop words dropped) in the
 * community: each word matches what starts with it as typed ("розет" finds
 * "розетку") or what has its stem ("велосипеда" finds "велосипед"); the
 * words joined with AND (all) or OR (any). Returns the number of words
 * written into out (malloc'd string, NULL when none). */
int talent_fts_query(int64_t community_id, const char *text, int any, char **out);

/* The words an entry is matched by, from its title and description:
 * folded, of four characters or more, stop words dropped, one word per
 * stem, at most TALENT_MATCH_WORDS, joined with spaces; their stems, in the
 * same order, into *stems when it is not NULL (malloc'd). Stored with the
 * entry when it is written, so that ranking never folds nor stems text.
 * Returns a malloc'd string ("" when there are none). */
char *talent_match_words(const char *text, char **stems);
/* Splits a stored word list in place (its spaces become NULs) into out;
 * returns the number of words. */
int talent_words_split(char *s, const char **out, int max);

/* One entry as the ranking sees it. */
struct talent_item {
    const char *category;
    const char *tags[TALENT_MAX_TAGS];
    int ntags;
    const char *words[TALENT_MATCH_WORDS]; /* its match words, as written */
    const char *stems[TALENT_MATCH_WORDS]; /* the stem of each */
    uint32_t hashes[TALENT_MATCH_WORDS];   /* a hash of each stem */
    int nwords;
};

/* Sets the match words of it from a stored word list and its stems, which
 * it splits in place and which must outlive it. words may be NULL when only
 * the stems are needed (a candidate: explanations use the words of the
 * entry being matched); its words are then its stems. */
void talent_item_words(struct talent_item *it, char *words, char *stems);

struct talent_score {
    int score;
    int same_category;
    int shared_tags;
    int shared_words;
    char why[TALENT_WHY_BYTES]; /* the shared tags and words, ", "-joined */
};

/* How well b answers a: 3 for the same category, 5 per shared tag, 1 per
 * shared word stem (at most 5). Fills out and returns the score. */
int talent_rank(const struct talent_item *a, const struct talent_item *b, struct talent_score *out);

/* ---- model (model.c, model_help.c) ---- */

struct talent_viewer {
    int64_t id; /* the viewer's member id; 0 when not a member */
    int member;
    int organizer;
};

struct talent_entry {
    const char *kind, *category, *title, *body, *availability, *visibility;
    char (*tags)[TALENT_TAG_BYTES];
    int ntags;
};

/* Writes (enum wr, core/db.h). A person is a member id of the community
 * (r->comm->member_id), never an account. Edit and delete are the owner's:
 * the owner is in the statement's WHERE, and another's entry is a
 * conflict. An edit that changes nothing writes nothing (updated_at and the
 * index stay). */
enum wr talent_entry_create(struct dbc *w, int64_t community_id, int64_t member_id,
                            const struct talent_entry *e, int64_t *id);
/* The same, its matches left to talent_matches_backfill (bench data, where
 * ranking half a million entries one by one, both ways, took most of the
 * step). */
enum wr talent_entry_create_unranked(struct dbc *w, int64_t community_id, int64_t member_id,
                                     const struct talent_entry *e, int64_t *id);
enum wr talent_entry_update(struct dbc *w, int64_t community_id, int64_t id, int64_t owner,
                            const struct talent_entry *e);
enum wr talent_entry_delete(struct dbc *w, int64_t community_id, int64_t id, int64_t owner);
enum wr talent_entry_hide(struct dbc *w, int64_t community_id, int64_t id, const char *reason);
/* An entry as logic reads it (owner, matching); strings in the arena, NULL
 * when the statement did not select them (words and stems: an entry's page
 * and one person's entries only) or they are not stored yet. */
struct talent_row {
    int64_t id, owner; /* owner: the member id */
    const char *kind, *category, *title, *body, *tags, *words, *stems;
};
/* Rows read once: into the view, the fields of a mask only, and as
 * structs. */
struct talent_rows {
    json_t *view; /* new ref; NULL when no mask was given */
    struct talent_row *v;
    size_t n;
    int64_t total; /* a search by words: how many match in all; else -1 */
};
struct vmask;
/* The entry if the viewer may see it: 0 with row and *view (the fields of
 * m, new ref; NULL when m is), or -1. */
int talent_entry_get(struct dbc *c, struct arena *a, const struct vmask *m, int64_t community_id,
                     int64_t id, const struct talent_viewer *v, struct talent_row *row,
                     json_t **view);
struct talent_search {
    const char *fts; /* a talent_fts_query result or NULL */
    const char *category, *kind, *availability;
    int64_t owner; /* 0: everyone */
    int limit;
    int64_t offset;
    int brief; /* one person's entries as "mine" shows them: no "body", no "display_name" */
};
/* The entries the viewer may see that pass s, newest first, into out; 0
 * or -1. With words (fts), out->total is how many match in all. Only
 * one person's entries (owner set, no other filter: the rows that get
 * matched) carry their stored words and stems, as talent_entry_get's do. */
int talent_entry_search(struct dbc *c, struct arena *a, const struct vmask *m, int64_t community_id,
                        const struct talent_viewer *v, const struct talent_search *s,
                        struct talent_rows *out);
/* How many there are in all (limit and offset aside). */
int64_t talent_entry_search_count(struct dbc *c, int64_t community_id,
                                  const struct talent_viewer *v, const struct talent_search *s);
/* The ids of entries that may answer an entry of the given kind described
 * by a (sharing a tag, the newest of its category, sharing a word stem),
 * newest first in each, without the entry self; at most max into ids, the
 * same whoever asks (ranking at write time keeps the best of them).
 * Returns the count. */
int talent_candidate_ids(struct dbc *c, int64_t community_id, int64_t self, const char *kind,
                         const struct talent_item *a, int64_t *ids, int max);
/* ids as a JSON array for json_each() (malloc'd). The queries start from
 * it with a CROSS JOIN: given "e.id IN (...) AND e.community_id = ?" the
 * planner would walk the whole community's entries instead of looking each
 * id up. */
char *talent_ids_json(const int64_t *ids, int n);

/* Matches kept ready (model_match.c): the TALENT_READY best candidates of
 * each entry in talent_matches, ranked as talent_rank ranks, whoever may
 * see them (the reader asks). */
enum { TALENT_READY = 20 };
/* After an entry id was created or edited (edited: 1), in its transaction:
 * its own list, and its place in the lists of the entries it answers (an
 * edit first leaves every list it stood in). A deleted entry's rows go by
 * cascade. 0, or -1 on error. */
int talent_matches_write(struct dbc *w, int64_t community_id, int64_t id, int edited);
/* The notice of a new match for a need, to the need's owner, about the
 * need (core/notify.h): written when an entry enters the need's list, not
 * when it was there before an edit, and never for an entry for organizers
 * only. */
#define TALENT_NOTIFY_MATCH "talent.match"
/* Ranks the entries of an existing database (talent_matches_todo), in
 * batches with progress on standard error. */
int talent_matches_backfill(struct db *db);
/* The start-up upgrade: the words, then the matches. */
int talent_upgrade(struct db *db);
/* The best ready matches of entry_id that the viewer may see, at most
 * limit, best first: into out (strings in the arena) and into *view (the
 * fields m allows of id, kind, category, title, tags and
 * display_name, the owner's name in the community; new ref). Returns how many, or -1 on error. */
struct talent_ready {
    int64_t id;
    int score;
    const char *why;      /* the shared tags and words, ", "-joined; maybe "" */
    const char *category; /* the candidate's */
};
int talent_ready_list(struct dbc *c, struct arena *a, const struct vmask *m, int64_t community_id,
                      const struct talent_viewer *v, int64_t entry_id, int limit,
                      struct talent_ready *out, json_t **view);
/* The same as "mine" shows it (title and display_name, no tags), and
 * *more: whether the viewer may see more than limit. */
int talent_ready_brief(struct dbc *c, struct arena *a, const struct vmask *m, int64_t community_id,
                       const struct talent_viewer *v, int64_t entry_id, int limit,
                       struct talent_ready *out, json_t **view, int *more);
/* Computes the match words, their stems and the full-text row of entries
 * whose words are not stored: written before words were stored (migration
 * 031) or before they were stemmed by Snowball (migration 032, which
 * cleared them). In batches, with progress on standard error. */
int talent_words_backfill(struct db *db);
json_t *talent_tag_suggest(struct dbc *c, int64_t community_id, const char *prefix, int limit);
json_t *talent_counts_by_category(struct dbc *c, int64_t community_id);
json_t *talent_top_tags(struct dbc *c, int64_t community_id, const char *kind, int limit);
json_t *talent_unmet_needs(struct dbc *c, int64_t community_id, int limit);
json_t *talent_unasked_offers(struct dbc *c, int64_t community_id, int limit);
json_t *talent_export_rows(struct dbc *c, int64_t community_id);
int64_t talent_hours(struct dbc *c, int64_t community_id);
/* The first entry of the community with this title (the demo's), or 0. */
int64_t talent_entry_by_title(struct dbc *c, int64_t community_id, const char *title);
/* The community's entries that are not hidden (owner 0), or all of one
 * member's. */
int64_t talent_entry_count(struct dbc *c, int64_t community_id, int64_t owner);
/* 1 if member_id is a member of the community. */
int talent_is_member(struct dbc *c, int64_t community_id, int64_t member_id);

/* Requests. create: to the entry's owner while a member, not to oneself
 * (409 talent.error.left), one open per person and entry (409
 * talent.error.duplicate); *id set on WR_OK. */
/* The notices of requests for help, about the request: a new one to the
 * entry's owner, its answer (accepted or declined) to the one who asked
 * (core/notify.h). */
#define TALENT_NOTIFY_REQUEST "talent.request"
#define TALENT_NOTIFY_ANSWER "talent.request_answer"
enum wr talent_request_create(struct dbc *w, int64_t community_id, int64_t entry_id, int64_t from,
                              const char *message, const char *contact, int64_t *id);
/* The two parties of a request: 0, or -1 when there is none. */
int talent_request_parties(struct dbc *c, int64_t community_id, int64_t id, int64_t *from,
                           int64_t *to);
/* The viewer's requests, sent and received, the fields m allows (new ref):
 * incoming (1 when received), and the other's contact only once both
 * agreed (null before). */
json_t *talent_request_list(struct dbc *c, const struct vmask *m, int64_t community_id,
                            int64_t member_id);
/* A move of a request from one status to another by one of its parties. */
enum { TALENT_SENDER = 1, TALENT_RECIPIENT = 2 };
struct talent_move {
    const char *from_status, *to_status;
    int parties; /* who may: TALENT_SENDER, TALENT_RECIPIENT or both */
    int64_t who;
    const char *contact, *thanks; /* NULL: kept */
    int64_t hours;
};
/* 404 when who is not a party it allows, 409 (talent.error.request_state)
 * when the request is not in from_status. */
enum wr talent_request_move(struct dbc *w, int64_t community_id, int64_t id,
                            const struct talent_move *m);

/* Clubs. */
struct talent_club {
    const char *name, *description, *when, *where;
};
enum wr talent_club_create(struct dbc *w, int64_t community_id, int64_t entry_id, int64_t creator,
                           const struct talent_club *k, int64_t *id);
enum wr talent_club_invite(struct dbc *w, int64_t club_id, int64_t member_id, const char *status);
/* Invites the owner of entry_id (a match of the club's entry) unless they
 * are in the club already. */
enum wr talent_club_invite_owner(struct dbc *w, int64_t club_id, int64_t entry_id);
/* A club with the viewer's place in it (mine, my_status), its founder's
 * name (creator_name; creator_former once they left), its members (by
 * their names in the community), the community's clubs: the fields m
 * allows (new refs). */
json_t *talent_club_get(struct dbc *c, const struct vmask *m, int64_t community_id, int64_t id,
                        int64_t viewer);
json_t *talent_club_members(struct dbc *c, const struct vmask *m, int64_t club_id);
json_t *talent_club_list(struct dbc *c, const struct vmask *m, int64_t community_id,
                         int64_t viewer);
/* Join an open club (409 when closed or a member already), leave it (409
 * when not in it), close it (its founder, or anyone when any_founder: 409
 * when closed or not the viewer's). 404 when the club is gone. */
enum wr talent_club_join(struct dbc *w, int64_t community_id, int64_t id, int64_t member_id);
enum wr talent_club_leave(struct dbc *w, int64_t community_id, int64_t id, int64_t member_id);
enum wr talent_club_close(struct dbc *w, int64_t community_id, int64_t id, int64_t viewer,
                          int any_founder);

/* The full-text rows of entries that went by cascade (their member left,
 * migration 050's talent_fts_gone), on the writer: before each write of an
 * entry and at start-up. 0 or -1. */
int talent_fts_sweep(struct dbc *w);
/* Before a community is deleted: its entries' full-text rows. 0 or -1. */
int talent_community_purge(struct dbc *w, int64_t community_id);
/* The area's member_left hook (core/area.h): the full-text rows of the
 * entries that went with a member. */
int talent_member_left(struct dbc *w, int64_t community_id);

/* ---- a sealed community (model_seal.c; core/sealtext.h) ---- */

/* The word keys of a community's indexes: sealed 1 with the keys (the
 * stems' and the tags', one label each), 0 for a clear community (keys
 * unset), -1 when it is sealed and no key is at hand here. The caller
 * wipes them (talent_keys_wipe). */
struct talent_keys {
    int sealed;
    unsigned char stems[SEALTEXT_WORD_KEY], tags[SEALTEXT_WORD_KEY];
};
int talent_keys_get(struct dbc *c, int64_t community_id, struct talent_keys *k);
void talent_keys_wipe(struct talent_keys *k);
/* The keyed hash of each space-separated word of words, space-separated
 * in the same order (malloc'd). */
char *talent_hash_words(const unsigned char key[SEALTEXT_WORD_KEY], const char *words);
/* talent_fts_query for the community: in a sealed one, the keyed hashes of
 * the words' stems (whole words only). */
int talent_fts_query_sealed(struct dbc *c, int64_t community_id, const char *text, int any,
                            char **out);
/* What turns a sealed community's stored explanation of a match back into
 * words: the tags and match words of the entry whose list it is (its
 * texts opened) beside their keyed hashes, in the same order. */
struct talent_why_pair {
    const char *hash;
    size_t hash_len;
    const char *word;
    size_t word_len;
};
struct talent_why_words {
    struct talent_why_pair *pair; /* the tags', then the words' (in the arena) */
    int n;
};
/* e's, hashed with k (talent_keys_get gave 1); the strings are e's or in
 * the arena. Once per entry: a page shows many matches of one entry. */
void talent_why_words_of(struct arena *a, const struct talent_keys *k, const struct talent_row *e,
                         struct talent_why_words *out);
/* The explanation as shown: the hashes the entries share, turned back
 * into the tags and words of ww. In the arena. */
const char *talent_why_open(struct arena *a, const struct talent_why_words *ww, const char *why);
/* The area's seal_texts hook (core/area.h). */
int talent_seal_texts(struct dbc *w, int64_t community_id);
/* The index rows (tags, full text, words) of entry id written again from
 * its texts, hashed with k when its community is sealed (k from
 * talent_keys_get). 0 or -1. */
int talent_entry_reindex(struct dbc *w, int64_t community_id, int64_t id,
                         const struct talent_keys *k);
/* The entry's own list of ready matches, ranked again (model_match.c). */
int talent_matches_own(struct dbc *w, int64_t community_id, int64_t id);

/* "Download my data" (core/area.h person_export): model_export.c. */
json_t *talent_person_export(struct dbc *c, int64_t account_id, int with_secret,
                             const char *sealed);

#endif
