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
    REQUESTS_PER_SCALE = 90000,
    PAIR_REQUESTS = 5000,
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

static const char *const ASK[] = {
    "Не работает освещение у подъезда", "Нужна помощь с оформлением пособия",
    "Шумные соседи по ночам",           "Куда обратиться по поводу протечки",
    "Ищу кружок для ребёнка",           "Как попасть на приём к депутату",
    "Сломана скамейка во дворе",        "Нужна помощь пожилому соседу",
};

/* want requests in cid by its members (ids, n of them): a few new, most
 * handled by an organizer of the community. */
static int requests_in(struct dbc *w, struct rng *r, int64_t cid, const int64_t *ids, int64_t n,
                       int64_t want)
{
    json_t *orgs = rq_readers(w, cid);
    int64_t handler = json_integer_value(json_object_get(json_array_get(orgs, 0), "id"));
    json_decref(orgs);
    static const char *const status[] = {"in_work", "closed", "talent", "initiative"};
    for (int64_t i = 0; i < want && n > 0; i++) {
        struct rq_in in = {ASK[rng_below(r, HR_ARRAY_LEN(ASK))],
                           "Подробности: с прошлой недели, несколько раз звонили, ответа нет.",
                           rng_below(r, 2) ? "site" : "phone", "8 (000) 000-00-00"};
        int64_t id = 0;
        if (rq_add(w, cid, ids[rng_below(r, (uint64_t)n)], &in, &id) != WR_OK) return -1;
        uint64_t k = rng_below(r, 10);
        if (k < 3 || !handler) continue;
        struct rq_triage t = {status[k % 4], handler, 0, "Разобрали на планёрке."};
        if (rq_triage(w, cid, id, handler, &t) != WR_OK) return -1;
    }
    return 0;
}

/* The requests in batches of transactions: 90,000 at scale 1 over the
 * communities, 5,000 in each of the pair. */
static int bench_requests(struct db *db, struct bench_world *bw)
{
    int64_t target = (int64_t)(REQUESTS_PER_SCALE * bw->scale), n = bw->communities, done = 0;
    int64_t total = target + 2 * bench_pair_count(bw, PAIR_REQUESTS);
    int rc = 0;
    for (int64_t c = 1; c <= n + 2 && rc == 0; c++) {
        int64_t cid = c <= n ? c : c == n + 1 ? bw->pair_closed : bw->pair_secret;
        int64_t want =
            c <= n ? target * c / n - target * (c - 1) / n : bench_pair_count(bw, PAIR_REQUESTS);
        if (cid <= 0) continue;
        struct dbc *w = db_write_begin(db);
        if (!w) return -1;
        int64_t *ids = NULL;
        int64_t nm = member_ids(w, cid, &ids);
        rc = nm < 0 ? -1 : requests_in(w, &bw->rng, cid, ids, nm, want);
        free(ids);
        if (db_write_end(db, w, rc == 0) != 0) rc = -1;
        done += want;
        if (c % 100 == 0 || c > n) log_progress("requests", done, total);
    }
    return rc;
}

int partner_bench(struct db *db, struct bench_world *bw)
{
    return bench_partners(db, bw) == 0 ? bench_requests(db, bw) : -1;
}
