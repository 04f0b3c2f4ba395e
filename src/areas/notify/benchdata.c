/* bench-data's notifications step (issue 17): at scale 1, 100,000 notices
 * over the last day, the load the issue names ("100,000 notifications a
 * day"). Two fifths come from community-wide events (a vote opened, a
 * wave, a survey, a budget's voting, a "closing in a day"): one event, a
 * notice to every member of a community picked by its size; the rest are
 * personal (a help request, an answer, a match, a comment, an event
 * tomorrow...), to members picked with a heavy head, as a few active
 * people get most of them. Their times run over the day in the order
 * written, so ids grow with time as on a real instance. Older ones are
 * more often read: a tenth of the newest, nine tenths of the oldest.
 * Written through core/notify.h's own writes, in batches of their own
 * transactions. */
#include "areas/benchdata.h"
#include "areas/notify/notify_bench.h"
#include "core/db.h"
#include "core/log.h"
#include "core/notify.h"
#include "core/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { NOTICES_PER_SCALE = 100000, BATCH = 5000, OBJECTS = 5000, WIDE_MAX = 3000 };

static const char *const WIDE[] = {
    "strategy.value_vote", "strategy.text_vote", "meeting.poll_opened", "soc.wave_opened",
    "survey.opened",       "budget.voting",      "strategy.closing",    "survey.closing",
};
static const char *const PERSONAL[] = {
    "talent.request",          "talent.request_answer",     "talent.match",    "initiative.comment",
    "initiative.task_owner",   "strategy.action_owner",     "meeting.changed", "meeting.tomorrow",
    "community.join_approved", "community.invite_accepted",
};
#define COUNT(a) (sizeof a / sizeof *a)

static int is_once(const char *kind)
{
    size_t n = strlen(kind);
    return (n > 8 && strcmp(kind + n - 8, ".closing") == 0) ||
           (n > 9 && strcmp(kind + n - 9, ".tomorrow") == 0);
}

static int write_one(struct dbc *w, int64_t community, const char *kind, int64_t object,
                     enum notify_to to, int64_t who, int64_t at)
{
    if (is_once(kind))
        return notify_members_once(w, community, kind, object, to, who, at, at + 86400);
    return notify_members(w, community, kind, object, to, who, at);
}

/* One notice or one event's notices at time at; the number written. */
static int one(struct dbc *w, struct rng *rng, const struct notify_bench_roll *roll,
               int64_t wide_left, int64_t at)
{
    int64_t object = (int64_t)rng_below(rng, OBJECTS) + 1;
    if (wide_left > 0 && rng_below(rng, 10) < 4) {
        /* a member at random: their community, picked by its size */
        size_t i = (size_t)rng_below(rng, roll->n);
        int64_t size = notify_bench_community_size(roll, i);
        if (size <= WIDE_MAX && size <= wide_left)
            return write_one(w, roll->community[i], WIDE[rng_below(rng, COUNT(WIDE))], object,
                             NOTIFY_TO_COMMUNITY, 0, at);
    }
    /* u^3: a tenth of the members get about half of the personal ones;
     * scattered over the roll so that they are not one community's */
    double u = (double)rng_below(rng, 1000000) / 1e6;
    size_t i = (size_t)((double)roll->n * u * u * u) % roll->n;
    i = (size_t)(((uint64_t)i * 2654435761ULL) % roll->n);
    return write_one(w, roll->community[i], PERSONAL[rng_below(rng, COUNT(PERSONAL))], object,
                     NOTIFY_TO_MEMBER, roll->member[i], at);
}

int benchdata_notify(struct db *db, struct bench_world *bw)
{
    int64_t total = llround(NOTICES_PER_SCALE * bw->scale), now = now_s();
    struct notify_bench_roll roll;
    struct dbc *c = db_reader_acquire(db);
    int got = notify_bench_roll_read(c, &roll);
    int64_t first = got == 0 ? notify_bench_last(c) : -1;
    db_reader_release(db, c);
    if (got != 0 || first < 0) return -1;
    if (roll.n == 0) {
        notify_bench_roll_free(&roll);
        return 0;
    }
    int64_t written = 0, wide = 0, last_log = 0;
    int ok = 1;
    while (ok && written < total) {
        struct dbc *w = db_write_begin(db);
        if (!w) {
            ok = 0;
            break;
        }
        int64_t batch_end = written + BATCH;
        while (ok && written < total && written < batch_end) {
            int64_t at = now - 86400 + 86400 * written / total;
            int n = one(w, &bw->rng, &roll, total * 2 / 5 - wide, at);
            if (n < 0) ok = 0;
            written += n > 0 ? n : 0;
            if (n > 1) wide += n;
        }
        if (db_write_end(db, w, ok) != 0) ok = 0;
        if (written - last_log >= 20000) {
            log_progress("notices", written, total);
            last_log = written;
        }
    }
    notify_bench_roll_free(&roll);
    struct dbc *w = ok ? db_write_begin(db) : NULL;
    if (w) ok = db_write_end(db, w, notify_bench_mark_read(w, first, now) >= 0) == 0;
    log_progress("notices", written, total);
    return ok && w ? 0 : -1;
}
