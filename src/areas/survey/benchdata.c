/* bench-data's survey step: 200,000 responses at scale 1. Every other
 * community of at least SURVEY_BENCH_MIN members runs a members' survey
 * (named or anonymous, half and half) that most of its members answer;
 * then the same communities run an anonymous survey by link, shared around
 * the district, that takes the rest of the responses evenly. Six
 * questions of every kind; written through the area's model as in real
 * use: named responses with survey_response_put, anonymous ones cast into
 * the survey's ballot box (at a time within its dates), which is closed
 * and mixed at the end. */
#include "areas/benchdata.h"
#include "areas/soc/soc.h"
#include "areas/community/community.h"
#include "areas/survey/survey.h"
#include "core/ballot.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum {
    SURVEY_PER_SCALE = 200000,
    SURVEY_BENCH_MIN = 50,
    SURVEY_BATCH = 10000,
    NQ = 6,
    DAY = 86400
};

static const char *const TEXTS[] = {
    "Поставить скамейки у детской площадки.",
    "Починить освещение у подъездов.",
    "Чаще убирать контейнерную площадку.",
    "Больше праздников для всего двора.",
    "",
};

struct survey_comm {
    int64_t id, n;
    int64_t *ids; /* member ids */
};

/* A survey with its six questions into qids; the survey id or -1. */
static int64_t make_survey(struct dbc *w, int64_t cid, int link, int anonymous, int64_t today,
                           int64_t qids[NQ])
{
    struct survey_fields f = {link ? "Опрос жителей района: что улучшить в первую очередь"
                                   : "Как нам живётся: двор и дом",
                              "Короткий опрос о жизни района, около пяти минут.",
                              link,
                              anonymous,
                              today - 60 * DAY,
                              today - 30 * DAY,
                              0};
    int64_t sid = 0;
    if (survey_create(w, cid, &f, &sid) != WR_OK) return -1;
    static const struct survey_question qs[NQ] = {
        {"scale5", "Состояние двора и детской площадки", "", "очень плохо", "отлично", 1, 0},
        {"scale5", "Освещение двора вечером", "", "очень плохо", "отлично", 1, 0},
        {"scale10", "Насколько вы готовы участвовать в общих делах", "", "совсем нет", "очень", 1,
         0},
        {"single", "Как вы узнаёте новости двора",
         "Из чата\nНа доске объявлений\nОт соседей\nНа платформе", "", "", 1, 0},
        {"multi", "Что вам интересно", "Субботники\nПраздники\nОзеленение\nДетские занятия\nСпорт",
         "", "", 0, 1},
        {"long", "Что стоит исправить в первую очередь?", "", "", "", 0, 0},
    };
    for (int i = 0; i < NQ; i++)
        if ((qids[i] = survey_question_insert(w, sid, &qs[i])) <= 0) return -1;
    return survey_publish(w, cid, sid) == WR_OK ? sid : -1;
}

/* One response of who in community cid's survey sid: named (member set)
 * or cast into its box at time at (member 0). */
static int respond(struct dbc *w, struct rng *r, int64_t cid, int64_t sid, const int64_t qids[NQ],
                   const char *who, int64_t member, int64_t at)
{
    char v[8][12];
    const char *vals[8];
    int64_t qs[8];
    int n = 0;
    snprintf(v[n], sizeof v[n], "%d", 1 + (int)rng_below(r, 5));
    qs[n] = qids[0], vals[n] = v[n], n++;
    snprintf(v[n], sizeof v[n], "%d", 1 + (int)rng_below(r, 5));
    qs[n] = qids[1], vals[n] = v[n], n++;
    snprintf(v[n], sizeof v[n], "%d", 1 + (int)rng_below(r, 10));
    qs[n] = qids[2], vals[n] = v[n], n++;
    snprintf(v[n], sizeof v[n], "%d", (int)rng_below(r, 4));
    qs[n] = qids[3], vals[n] = v[n], n++;
    for (int o = 0, picked = 0; o < 5 && picked < 2; o++)
        if (rng_below(r, 3) == 0) {
            snprintf(v[n], sizeof v[n], "%d", o);
            qs[n] = qids[4], vals[n] = v[n], n++, picked++;
        }
    const char *t = TEXTS[rng_below(r, HR_ARRAY_LEN(TEXTS))];
    if (t[0]) qs[n] = qids[5], vals[n] = t, n++;
    if (member) return survey_response_put(w, sid, who, NULL, member, n, qs, vals) == 0 ? 0 : -1;
    const char *voters[] = {who};
    return survey_ballot_cast(w, cid, sid, voters, 1, n, qs, vals, at) == BALLOT_OK ? 0 : -1;
}

/* Commits every SURVEY_BATCH responses; *w is the open transaction. */
static int tick(struct db *db, struct dbc **w, int64_t *in_batch, int64_t done, int64_t target)
{
    if (++*in_batch < SURVEY_BATCH) return 0;
    *in_batch = 0;
    log_progress("survey", done, target);
    if (db_write_end(db, *w, 1) != 0) {
        *w = NULL;
        return -1;
    }
    return (*w = db_write_begin(db)) ? 0 : -1;
}

int benchdata_survey(struct db *db, struct bench_world *bw)
{
    int64_t target = (int64_t)SURVEY_PER_SCALE * bw->scale;
    struct survey_comm *cs = xmalloc((size_t)bw->communities * sizeof *cs);
    int64_t ncs = 0, done = 0, in_batch = 0, today = (int64_t)time(NULL);
    today -= today % DAY;
    int64_t at = today - 45 * DAY; /* within the surveys' dates */
    int rc = -1;
    struct dbc *w = db_write_begin(db);
    if (!w) goto out;
    for (int64_t c = 1; c <= bw->communities; c++) {
        struct survey_comm *s = &cs[ncs];
        s->id = c;
        s->n = member_local_ids(w, c, &s->ids);
        if (s->n >= SURVEY_BENCH_MIN && rng_below(&bw->rng, 2) == 0)
            ncs++;
        else
            free(s->ids);
    }
    /* The members' surveys. */
    for (int64_t i = 0; i < ncs && done < target; i++) {
        int anonymous = (int)(i % 2);
        int64_t qids[NQ], sid = make_survey(w, cs[i].id, 0, anonymous, today, qids);
        if (sid < 0) goto out;
        int rate = 40 + (int)rng_below(&bw->rng, 40);
        for (int64_t k = 0; k < cs[i].n && done < target; k++) {
            if ((int)rng_below(&bw->rng, 100) >= rate) continue;
            char who[24];
            survey_member_voter(cs[i].ids[k], who);
            if (respond(w, &bw->rng, cs[i].id, sid, qids, who, anonymous ? 0 : cs[i].ids[k], at) !=
                0)
                goto out;
            done++;
            if (tick(db, &w, &in_batch, done, target) != 0) goto out;
        }
        if (anonymous && survey_close(w, cs[i].id, sid) != WR_OK) goto out;
    }
    /* The surveys by link share the rest. */
    for (int64_t i = 0; i < ncs && done < target; i++) {
        int64_t qids[NQ], sid = make_survey(w, cs[i].id, 1, 1, today, qids);
        if (sid < 0) goto out;
        int64_t want = (target - done) / (ncs - i);
        if (i == ncs - 1) want = target - done;
        for (int64_t k = 0; k < want; k++) {
            /* 't' and the hex of a browser token's hash, as a link answer. */
            char who[72];
            snprintf(who, sizeof who, "t%016llx%016llx%016llx%016llx",
                     (unsigned long long)rng_next(&bw->rng), (unsigned long long)rng_next(&bw->rng),
                     (unsigned long long)rng_next(&bw->rng),
                     (unsigned long long)rng_next(&bw->rng));
            if (respond(w, &bw->rng, cs[i].id, sid, qids, who, 0, at) != 0) goto out;
            done++;
            if (tick(db, &w, &in_batch, done, target) != 0) goto out;
        }
        if (survey_close(w, cs[i].id, sid) != WR_OK) goto out;
    }
    rc = 0;
out:
    if (w && db_write_end(db, w, rc == 0) != 0) rc = -1;
    for (int64_t i = 0; i < ncs; i++)
        free(cs[i].ids);
    free(cs);
    if (rc == 0) log_progress("survey", done, target);
    return rc;
}
