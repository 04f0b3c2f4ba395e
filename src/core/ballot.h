/*
 * The ballot box: one mechanism for every secret vote of the platform
 * (sense-of-community waves, anonymous surveys; later budgets and the
 * secret votes of assemblies). It knows nothing of the areas that use it:
 * an area opens a box, puts its voters on the roll, casts ballots made of
 * marks, closes it, and reads the results only through the gate here.
 *
 * What it promises (docs/threat-model.md, "The ballot box"):
 *
 * - Nothing in the database file or its WAL ties a voter to a ballot. A
 *   ballot is not a row: its numbers go into tallies (box, question,
 *   value) -> count that exist from the box's first ballot on, whatever
 *   was chosen, and whose counts always have the same encoded size, so a
 *   count is overwritten where it stands and the page keeps no trace of
 *   which one moved last. The roll is written when the box opens, one row
 *   per eligible voter, and casting flips a flag of the same size in
 *   place: the roll has no order of voting. Only free texts are rows; at
 *   closing every row of the box (texts, roll, tallies) is deleted and
 *   written again in random order under fresh random keys, with
 *   secure_delete zeroing what was freed, and the WAL is checkpointed and
 *   truncated after every cast and at closing.
 * - Eligibility is fixed when the box opens (the roll); a box with an
 *   open roll (a survey's public link) also takes ballots from voters not
 *   on it, which are "unverified" and count toward k only when the box
 *   was opened so.
 * - k is fixed when the box opens and never changes; results exist only
 *   for a closed box with at least k counted ballots.
 * - Closing is final: a closed box takes no ballot, its dates never move,
 *   and only a closed box shows results, so no result is ever seen while
 *   ballots can still come in (no differencing by reopening).
 *
 * Memory: every function that returns a json_t gives the caller its
 * reference; struct ballot_info holds no pointers.
 */
#ifndef HR_BALLOT_H
#define HR_BALLOT_H

#include "core/db.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct dbc;
struct db;

enum {
    BALLOT_K_MIN = 3,
    BALLOT_VOTER_MAX = 80, /* a voter key: "a17", "t<64 hex>" */
    BALLOT_TEXT_MAX = 8000,
    BALLOT_MARKS_MAX = 1024,
};

/* What a write on a box answers. */
enum ballot_rc {
    BALLOT_OK = 0,
    BALLOT_NOT_FOUND,    /* no such box */
    BALLOT_NOT_YET,      /* before its opening time */
    BALLOT_CLOSED,       /* closed, or past its closing time */
    BALLOT_NOT_ELIGIBLE, /* not on the roll of a box whose roll is fixed */
    BALLOT_ALREADY,      /* this voter (or one of the keys given) has voted */
    BALLOT_INVALID,      /* a mark outside the box's domain */
    BALLOT_DB_ERROR,
};

struct ballot_spec {
    int64_t k;            /* >= BALLOT_K_MIN */
    int64_t opens_at;     /* unix seconds */
    int64_t closes_at;    /* unix seconds, > opens_at: the first second it is closed */
    int open_roll;        /* voters not on the roll may cast (unverified) */
    int count_unverified; /* unverified ballots count toward k */
};

struct ballot_info {
    int64_t id, k, opens_at, closes_at;
    int64_t eligible; /* voters on the roll when it opened */
    int64_t cast;     /* ballots cast, verified or not */
    int64_t verified; /* ballots of voters on the roll */
    int closed, open_roll, count_unverified;
};

/* The values question q may take: lo..hi. */
struct ballot_range {
    int64_t q, lo, hi;
};

/* One mark of a ballot: a value v for question q (text NULL), or a free
 * text for q (text non-NULL, non-empty; v is ignored). */
struct ballot_mark {
    int64_t q, v;
    const char *text;
};

/* ---- pure (no database) ---- */

/* The ballots that count toward k. */
int64_t ballot_counted(const struct ballot_info *b);
/* 1 when results may be shown: closed and at least k counted ballots. */
int ballot_visible(const struct ballot_info *b);
/* How many more counted ballots are needed before results may be shown. */
int64_t ballot_needed(const struct ballot_info *b);
/* 1 when a ballot may be cast at time now (open, within its dates). */
int ballot_is_open(const struct ballot_info *b, int64_t now);
/* 1 when the box is past its closing time or closed. */
int ballot_is_over(const struct ballot_info *b, int64_t now);

/* ---- writes (on the writer, inside a write transaction) ---- */

/* Opens a box; its id, or -1. Then put the voters on the roll. */
int64_t ballot_open(struct dbc *w, const struct ballot_spec *s);
/* Puts a voter on a box's roll before its first ballot (0), -1 on error.
 * Adding a voter once ballots are cast would let the roll tell when they
 * came: refused (-1). */
int ballot_roll_add(struct dbc *w, int64_t box, const char *voter);
/* Puts voters prefix<id> for each of ids[n] on the roll, as
 * ballot_roll_add does ("a" and account ids, say). 0 or -1. */
int ballot_roll_add_many(struct dbc *w, int64_t box, const char *prefix, const int64_t *ids,
                         size_t n);
/* The domain of the box's numeric marks: a tally for every value, made
 * before any ballot counts so that which values were chosen first leaves
 * no trace. Idempotent; call it before casting. 0 or -1. */
int ballot_domain(struct dbc *w, int64_t box, const struct ballot_range *r, size_t n);
/* Casts one ballot at time now. voters[0] is the person's key; further
 * keys (a browser's) are marked too, and the ballot is refused when any
 * of them has voted. Verified when voters[0] is on the roll. */
/* community_id is the box's owner: its texts are sealed under that
 * community's key when it has one (core/sealtext.h). */
enum ballot_rc ballot_cast(struct dbc *w, int64_t community_id, int64_t box,
                           const char *const *voters, size_t nvoters, const struct ballot_mark *m,
                           size_t n, int64_t now);
/* Moves the dates of a box that is still open (not closed, not past its
 * closing time at now); closes_at must lie after now and after opens_at. */
enum ballot_rc ballot_set_dates(struct dbc *w, int64_t box, int64_t opens_at, int64_t closes_at,
                                int64_t now);
/* Closes a box for good and mixes its rows (see above). BALLOT_CLOSED when
 * it was closed already. */
enum ballot_rc ballot_close(struct dbc *w, int64_t box);
/* Closes every box past its closing time at now. 0 or -1. */
int ballot_close_due(struct dbc *w, int64_t now);
/* Removes a box on which no ballot was cast (an edited draft). */
enum ballot_rc ballot_discard(struct dbc *w, int64_t box);

/* After a write transaction that cast or closed has committed: checkpoint
 * and truncate the WAL so that no copy of it holds the transaction's page
 * images. Best effort (a long reader can make it fail; the next cast, a
 * closing or a clean stop try again). 0 when the WAL is empty. */
int ballot_flush(struct db *db);

/* For a page about to show boxes: closes those that are due (a write
 * transaction of its own, only when some are) and flushes the WAL. */
struct req;
void ballot_settle(struct req *r);

/* What each answer of a box means to an area's members: catalog keys for
 * the reasons of its 409s and 422. Every area that keeps a box words them
 * its own way ("the vote is closed", "the wave is over"); the mapping from
 * answer to result is the same everywhere and lives here. */
struct ballot_reasons {
    const char *closed;       /* closed, or past its closing time */
    const char *not_yet;      /* before its opening time; NULL: as closed */
    const char *not_eligible; /* not on the roll */
    const char *already;      /* voted already */
    const char *invalid;      /* a mark outside the domain; NULL: a bare 422 */
};
/* A box's answer as a write's result: WR_OK, 404 for no box, 409 or 422
 * with the area's reason, and for a database error what the writer's last
 * error was (503 when busy). */
enum wr ballot_wr(struct dbc *w, enum ballot_rc rc, const struct ballot_reasons *why);

/* ---- reads ---- */

/* The box; 0, or -1 when there is none. */
int ballot_get(struct dbc *c, int64_t box, struct ballot_info *out);
/* 1 when any of the keys has voted in the box. */
int ballot_has_voted(struct dbc *c, int64_t box, const char *const *voters, size_t nvoters);
/* 1 when voter is on the roll (eligible when the box opened). */
int ballot_on_roll(struct dbc *c, int64_t box, const char *voter);
/* 1 when some box is past its closing time and not yet closed. */
int ballot_any_due(struct dbc *c, int64_t now);

/* The tallies of a box whose results are visible: rows {q, v, n} with
 * n > 0, by q and v. NULL when the results may not be shown (or on an
 * error). */
json_t *ballot_tallies(struct dbc *c, const struct ballot_info *b);
/* The counts of questions 0..nq-1 for values lo..hi in one read, into
 * dist[q * (hi - lo + 1) + (v - lo)]; 0, or -1 when not visible. */
int ballot_dist_grid(struct dbc *c, const struct ballot_info *b, int64_t nq, int64_t lo, int64_t hi,
                     int64_t *dist);
/* The texts of question q of a visible box: identical texts once with
 * their count, rows {text, n}, alphabetical (which says nothing about who
 * or when), at most limit from offset. NULL when not visible. */
json_t *ballot_text_groups(struct dbc *c, int64_t community_id, const struct ballot_info *b,
                           int64_t q, int64_t limit, int64_t offset);
/* How many texts question q has (0 when not visible). */
int64_t ballot_text_count(struct dbc *c, const struct ballot_info *b, int64_t q);
/* Every text of question q of a visible box, in an order drawn afresh on
 * each call: a new array of strings, or NULL when not visible. Each
 * question's list is shuffled on its own, so position i of two lists is
 * not the same author. */
json_t *ballot_texts_shuffled(struct dbc *c, int64_t community_id, const struct ballot_info *b,
                              int64_t q);

#endif
