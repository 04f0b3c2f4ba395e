/* bench-data's sense-of-community step: 1,000,000 answers at scale 1 in
 * closed waves, a wave a quarter going back in time, in every community
 * of at least SOC_BENCH_MIN members (a few hundred at scale 1), until the
 * answers are all there (about four years of quarterly waves).
 *
 * Each wave goes the way a real one does, through the area's model: it is
 * created with its ballot box and the members on its roll, members cast
 * their answers (soc_answer_cast, at a time within the wave), and the wave
 * is closed, which mixes the box. So the stored rows have exactly the
 * shape and the unlinkability of real ones. The ratings and who answers
 * come from the world's rng. */
#include "areas/benchdata.h"
#include "areas/soc/soc.h"
#include "areas/community/community.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"

#include <stdlib.h>
#include <time.h>

enum { SOC_PER_SCALE = 1000000, SOC_BENCH_MIN = 50, SOC_BATCH = 10000, DAY = 86400 };

static const char *const COMMENTS[] = {
    "Хочется больше общих дел, не только собраний.",
    "Решения принимают одни и те же люди.",
    "Чувствую, что меня здесь знают и ждут.",
    "Новичкам трудно войти, никто не объясняет, как всё устроено.",
    "После субботника стало заметно теплее в отношениях.",
    "Не всегда понятно, куда уходят собранные деньги.",
};

struct soc_comm {
    int64_t id, n;
    int64_t *ids;          /* member ids */
    int base[SOC_FACTORS]; /* the community's usual rating of each factor */
    int rate;              /* participation, percent */
};

static int64_t clamp10(int64_t v)
{
    return v < 1 ? 1 : v > SOC_SCALE ? SOC_SCALE : v;
}

/* One closed wave of community c in round q (q quarters back); at most
 * cap answers. Returns the number of answers, or -1. */
static int64_t make_wave(struct dbc *w, struct rng *r, const struct soc_comm *c, int q, int64_t cap,
                         int64_t today)
{
    int64_t opens = today - (int64_t)(q + 1) * 91 * DAY, closes = opens + 14 * DAY;
    int64_t wave = 0;
    if (soc_wave_create(w, c->id, opens, closes, today, &wave) != WR_OK) return -1;
    int64_t answers = 0;
    /* Later waves drift up a little: the community works on its weak
     * points. */
    int drift = q < 4 ? 1 : 0;
    for (int64_t i = 0; i < c->n && answers < cap; i++) {
        if ((int)rng_below(r, 100) >= c->rate) continue;
        int64_t v[SOC_FACTORS];
        const char *cm[SOC_FACTORS] = {"", "", "", ""};
        for (int f = 0; f < SOC_FACTORS; f++)
            v[f] = clamp10(c->base[f] + drift + (int64_t)rng_below(r, 5) - 2);
        if (rng_below(r, 10) == 0)
            cm[rng_below(r, SOC_FACTORS)] = COMMENTS[rng_below(r, HR_ARRAY_LEN(COMMENTS))];
        if (soc_answer_cast(w, c->id, wave, c->ids[i], v, cm, opens) != WR_OK) {
            answers = -1;
            break;
        }
        answers++;
    }
    if (answers < 0 || soc_wave_close(w, c->id, wave) != WR_OK) return -1;
    return answers;
}

static void free_comms(struct soc_comm *cs, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        free(cs[i].ids);
    free(cs);
}

int benchdata_soc(struct db *db, struct bench_world *bw)
{
    int64_t target = (int64_t)SOC_PER_SCALE * bw->scale;
    struct soc_comm *cs = xmalloc((size_t)bw->communities * sizeof *cs);
    int64_t ncs = 0, per_round = 0;
    struct dbc *w = db_write_begin(db);
    if (!w) {
        free(cs);
        return -1;
    }
    for (int64_t c = 1; c <= bw->communities; c++) {
        struct soc_comm *s = &cs[ncs];
        s->id = c;
        s->n = member_local_ids(w, c, &s->ids);
        if (s->n < SOC_BENCH_MIN) {
            free(s->ids);
            continue;
        }
        for (int f = 0; f < SOC_FACTORS; f++)
            s->base[f] = 4 + (int)rng_below(&bw->rng, 5);
        s->rate = 40 + (int)rng_below(&bw->rng, 50);
        per_round += s->n * s->rate / 100;
        /* A fifth share their results with the coordinators. */
        if (soc_settings_set(w, c, SOC_K_DEFAULT, rng_below(&bw->rng, 5) == 0) != WR_OK) {
            db_write_end(db, w, 0);
            free_comms(cs, ncs);
            return -1;
        }
        ncs++;
    }
    if (db_write_end(db, w, 1) != 0 || ncs == 0 || per_round == 0) {
        free_comms(cs, ncs);
        return -1;
    }
    int64_t today = (int64_t)time(NULL);
    today -= today % DAY;
    int64_t done = 0, in_batch = 0;
    w = NULL;
    for (int q = 0; done < target; q++) {
        for (int64_t i = 0; i < ncs && done < target; i++) {
            if (!w && !(w = db_write_begin(db))) {
                free_comms(cs, ncs);
                return -1;
            }
            int64_t got = make_wave(w, &bw->rng, &cs[i], q, target - done, today);
            if (got < 0) {
                db_write_end(db, w, 0);
                free_comms(cs, ncs);
                return -1;
            }
            done += got;
            in_batch += got;
            if (in_batch >= SOC_BATCH) {
                int rc = db_write_end(db, w, 1);
                w = NULL;
                in_batch = 0;
                if (rc != 0) {
                    free_comms(cs, ncs);
                    return -1;
                }
                log_progress("soc", done, target);
            }
        }
    }
    free_comms(cs, ncs);
    if (w && db_write_end(db, w, 1) != 0) return -1;
    log_progress("soc", done, target);
    return 0;
}
