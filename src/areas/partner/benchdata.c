/* bench-data's partner step: at scale 1, 2,000 partners (1,800 spread
 * evenly over the communities, 100 in each of the closed/secret pair),
 * each with a contact person and two entries of its log; and 100,000
 * residents' requests (90,000 over the communities, 5,000 in each of the
 * pair) with a history. Written through the area's own writes, in
 * batches of their own transactions. */
#include "areas/benchdata.h"
#include "areas/community/community.h"
#include "areas/partner/partner.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>

enum {
    PARTNERS_PER_SCALE = 1800,
    PAIR_PARTNERS = 100,
    BATCH = 2000,
};

static const char *const KIND[] = {"Управа", "Библиотека", "Центр", "Клуб",   "Фонд",
                                   "Школа",  "Служба",     "Совет", "Студия", "Приход"};
static const char *const WHERE[] = {"Садовая",     "Речная",   "Заводская", "Лесная",
                                    "Центральная", "Школьная", "Парковая",  "Озёрная"};

static int one_partner(struct dbc *w, struct rng *r, int64_t cid)
{
    char name[120], reach[120];
    int nsec = 0;
    while (partner_sectors[nsec])
        nsec++;
    snprintf(name, sizeof name, "%s «%s», %llu", KIND[rng_below(r, HR_ARRAY_LEN(KIND))],
             WHERE[rng_below(r, HR_ARRAY_LEN(WHERE))], (unsigned long long)rng_below(r, 999) + 1);
    snprintf(reach, sizeof reach, "ул. %s, %llu; по будням с 10 до 18",
             WHERE[rng_below(r, HR_ARRAY_LEN(WHERE))], (unsigned long long)rng_below(r, 90) + 1);
    struct partner_in in = {
        name,  partner_sectors[rng_below(r, (uint64_t)nsec)], "Микрорайон",
        reach, "Отвечают быстро, если позвонить утром.",      rng_below(r, 3) == 0};
    int64_t id = 0;
    if (partner_add(w, cid, &in, &id) != WR_OK) return -1;
    if (partner_contact_add(w, cid, id, "Контактное лицо", "приёмная") != WR_OK) return -1;
    /* two entries of the log: one settled, one waiting with a next step
     * somewhere in the two weeks around today */
    int64_t today = now_s() / 86400 * 86400, day = 86400;
    struct plog_in a = {today - (int64_t)rng_below(r, 200) * day,
                        "Письмо о благоустройстве двора",
                        "request",
                        "agreed",
                        "Договорились о субботнике.",
                        "",
                        0,
                        0};
    struct plog_in b = {today - (int64_t)rng_below(r, 30) * day,
                        "Встреча о детской площадке",
                        "negotiation",
                        "waiting",
                        "",
                        "Позвонить и уточнить срок",
                        today + ((int64_t)rng_below(r, 15) - 7) * day,
                        0};
    return plog_add(w, cid, id, &a) == WR_OK && plog_add(w, cid, id, &b) == WR_OK ? 0 : -1;
}

/* want partners in community cid, on w. */
static int partners_in(struct dbc *w, struct rng *r, int64_t cid, int64_t want)
{
    for (int64_t i = 0; i < want; i++)
        if (one_partner(w, r, cid) != 0) return -1;
    return 0;
}

static int bench_partners(struct db *db, struct bench_world *bw)
{
    int64_t target = (int64_t)(PARTNERS_PER_SCALE * bw->scale), n = bw->communities;
    struct dbc *w = db_write_begin(db);
    int rc = w ? 0 : -1;
    for (int64_t c = 1; c <= n && rc == 0; c++)
        rc = partners_in(w, &bw->rng, c, target * c / n - target * (c - 1) / n);
    int64_t pair = bench_pair_count(bw, PAIR_PARTNERS);
    if (rc == 0 && bw->pair_closed > 0) rc = partners_in(w, &bw->rng, bw->pair_closed, pair);
    if (rc == 0 && bw->pair_secret > 0) rc = partners_in(w, &bw->rng, bw->pair_secret, pair);
    if (w && db_write_end(db, w, rc == 0) != 0) rc = -1;
    log_progress("partners", target, target);
    return rc;
}

int partner_bench(struct db *db, struct bench_world *bw)
{
    return bench_partners(db, bw);
}
