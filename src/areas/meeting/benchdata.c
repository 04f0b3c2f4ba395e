/* bench-data's events step: at scale 1, 50,000 events spread over the
 * communities by their size (and a share in each of the closed/secret
 * pair), over four months back and four ahead, some weekly series, some
 * with a capacity; the upcoming ones with registrations (a waiting list
 * where they fill). Then 500 meetings (assemblies, meetings, hearings) at
 * events of their own, 100 agenda items each, held (closed), being held
 * (open) or prepared (draft); those held have who was present and
 * proposals on ten items voted (open, by consent, and one secret through
 * the ballot box), the adopted ones becoming decisions, some marked done.
 * Written through the area's own writes, so the rows, counts and rules are
 * as a real instance has them. */
#include "areas/benchdata.h"
#include "areas/community/community.h"
#include "areas/meeting/assembly.h"
#include "areas/meeting/hearing.h"
#include "areas/meeting/meeting.h"
#include "areas/meeting/meeting_data.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum {
    EVENTS_PER_SCALE = 50000,
    MEETINGS_PER_SCALE = 500,
    PAIR_EVENTS = 500,
    PAIR_MEETINGS = 10,
    ITEMS = 100,
    VOTED_ITEMS = 10,
    PRESENT_MAX = 150,
    SERIES_LEN = 8,
    BATCH = 500,
};

#define ZONE EVENT_ZONE_DEFAULT

static const char *const WHAT[] = {
    "Субботник во дворе",  "Чаепитие соседей",      "Мастер-класс для детей",
    "Шахматный вечер",     "Встреча с участковым",  "Прогулка по району",
    "Кинопоказ во дворе",  "Собрание подъезда",     "Уборка сквера",
    "Посадка деревьев",    "Ярмарка обмена вещами", "Лекция о правах жильцов",
    "Клуб настольных игр", "Пробежка вдоль реки",   "Ремонт велосипедов",
};
static const char *const PLACE[] = {
    "у третьего подъезда",  "во дворе у беседки", "в библиотеке",
    "в школе, актовый зал", "в сквере у фонтана", "в холле первого этажа",
};
static const char *const ITEM[] = {
    "Отчёт о работе за год",
    "Смета на ремонт",
    "Порядок парковки",
    "Детская площадка",
    "Уборка территории",
    "Освещение во дворе",
    "Выборы совета дома",
    "Разное",
    "Озеленение",
    "Обращение в район",
};

static const struct vfield OCC_ID[] = {{"occurrence_id", CAP_ANY}, {NULL, 0}};
static const struct vfield ID[] = {{"id", CAP_ANY}, {NULL, 0}};

static int64_t today(void)
{
    return now_s() / 86400 * 86400;
}

/* The first occurrence of event id that is still ahead, or 0. */
static int64_t upcoming_occurrence(struct dbc *w, int64_t cid, int64_t id)
{
    struct vmask m = {OCC_ID, 1};
    json_t *rows = event_occurrences(w, &m, cid, id, 0, SERIES_LEN);
    int64_t occ = 0;
    /* the rows are soonest first; a series' past ones are over */
    size_t n = json_array_size(rows);
    if (n) occ = json_integer_value(json_object_get(json_array_get(rows, n - 1), "occurrence_id"));
    json_decref(rows);
    return occ;
}

/* One event in cid by a member of ids (n of them), registrations for it
 * when it is ahead. */
static int one_event(struct dbc *w, struct rng *r, int64_t cid, const int64_t *ids, int64_t n,
                     int everyone)
{
    char title[160];
    int64_t day = (int64_t)rng_below(r, 241) - 120;
    int64_t start = today() + day * 86400 + (8 + (int64_t)rng_below(r, 12)) * 3600 - 3 * 3600;
    int series = rng_below(r, 100) < 6;
    int64_t cap = rng_below(r, 100) < 30 ? 5 + (int64_t)rng_below(r, 25) : 0;
    snprintf(title, sizeof title, "%s, %lld", WHAT[rng_below(r, HR_ARRAY_LEN(WHAT))],
             (long long)(1 + rng_below(r, 999)));
    struct event_new e = {.kind = event_kinds[rng_below(r, 6)],
                          .title = title,
                          .description = "Приходите всей семьёй. Подробности — у организаторов.",
                          .place_text = PLACE[rng_below(r, HR_ARRAY_LEN(PLACE))],
                          .audience = everyone && rng_below(r, 10) < 6 ? "everyone" : "members",
                          .zone = ZONE,
                          .capacity = cap,
                          .starts_at = start,
                          .ends_at = start + (1 + (int64_t)rng_below(r, 3)) * 3600,
                          .rule = {series ? "weekly" : NULL, 1, series ? SERIES_LEN : 0, NULL}};
    int64_t id = 0;
    if (event_create(w, cid, ids[rng_below(r, (uint64_t)n)], &e, &id) != WR_OK) return -1;
    int64_t last_end = e.ends_at + (series ? (SERIES_LEN - 1) * 7 * 86400 : 0);
    if (last_end <= now_s()) return 0;
    int64_t occ = upcoming_occurrence(w, cid, id);
    if (!occ) return 0;
    /* most have a few, some fill (and wait) */
    int64_t k = (int64_t)rng_below(r, 8) + (rng_below(r, 10) == 0 ? 25 : 0);
    int64_t from = (int64_t)rng_below(r, (uint64_t)n);
    for (int64_t i = 0; i < k && i < n; i++) {
        enum wr rc = event_register(w, cid, occ, ids[(from + i) % n], NULL);
        if (rc != WR_OK && rc != WR_CONFLICT) return -1;
    }
    return 0;
}

static int events_in(struct dbc *w, struct rng *r, int64_t cid, const int64_t *ids, int64_t n,
                     int64_t want, int everyone)
{
    for (int64_t i = 0; i < want && n > 0; i++)
        if (one_event(w, r, cid, ids, n, everyone) != 0) return -1;
    return 0;
}

/* ---- meetings ---- */

static int vote_all(struct dbc *w, struct rng *r, int64_t cid, int64_t aid, int64_t proposal,
                    const int64_t *present, int64_t np, int consent)
{
    static const char *const choice[] = {"for", "for", "for", "against", "abstain"};
    for (int64_t i = 0; i < np; i++) {
        if (rng_below(r, 10) == 0) continue;
        if (consent && rng_below(r, 20) != 0) continue;
        const char *c = consent ? "object" : choice[rng_below(r, HR_ARRAY_LEN(choice))];
        enum wr rc = asm_vote(w, cid, aid, proposal, present[i], c,
                              consent ? "Сначала нужно узнать мнение соседей." : "",
                              i % 4 == 0 ? "online" : "room");
        if (rc != WR_OK) return -1;
    }
    return 0;
}

static int one_meeting(struct dbc *w, struct rng *r, int64_t cid, const int64_t *ids, int64_t n,
                       int everyone)
{
    uint64_t s = rng_below(r, 10);
    const char *state = s < 6 ? "closed" : s < 8 ? "open" : "draft";
    static const char *const kinds[] = {"assembly", "assembly", "assembly", "meeting", "hearing"};
    const char *kind = kinds[rng_below(r, HR_ARRAY_LEN(kinds))];
    int64_t day = str_eq(state, "closed")  ? -1 - (int64_t)rng_below(r, 120)
                  : str_eq(state, "draft") ? 3 + (int64_t)rng_below(r, 60)
                                           : 0;
    int64_t start = today() + day * 86400 + 16 * 3600;
    char title[160];
    snprintf(title, sizeof title, "%s, %lld",
             str_eq(kind, "hearing") ? "Публичные слушания" : "Общее собрание",
             (long long)(1 + rng_below(r, 999)));
    struct event_new e = {.kind = "housing",
                          .title = title,
                          .description = "Повестка — на странице собрания. Можно участвовать "
                                         "онлайн.",
                          .place_text = PLACE[rng_below(r, HR_ARRAY_LEN(PLACE))],
                          .audience = everyone && str_eq(kind, "hearing") ? "everyone" : "members",
                          .zone = ZONE,
                          .starts_at = start,
                          .ends_at = start + (str_eq(state, "open") ? 86400 : 3 * 3600)};
    int64_t eid = 0, aid = 0, item[VOTED_ITEMS] = {0};
    if (event_create(w, cid, ids[rng_below(r, (uint64_t)n)], &e, &eid) != WR_OK) return -1;
    struct asm_new a = {.kind = kind,
                        .quorum_kind = rng_below(r, 4) ? "share" : "number",
                        .quorum_value = 0,
                        .chair_id = ids[0],
                        .secretary_id = ids[n > 1 ? 1 : 0]};
    a.quorum_value = str_eq(a.quorum_kind, "share") ? 25 + (int64_t)rng_below(r, 26)
                                                    : 5 + (int64_t)rng_below(r, 20);
    if (asm_create(w, cid, eid, &a, &aid) != WR_OK) return -1;
    for (int i = 0; i < ITEMS; i++) {
        char t[160];
        snprintf(t, sizeof t, "%d. %s", i + 1, ITEM[rng_below(r, HR_ARRAY_LEN(ITEM))]);
        int64_t it = 0;
        if (asm_item_add(w, cid, aid, t,
                         "Докладчик рассказывает о вопросе, затем обсуждение.\n\n"
                         "- что сделано\n- что предлагается\n- сколько это стоит",
                         &it) != WR_OK)
            return -1;
        if (i < VOTED_ITEMS) item[i] = it;
    }
    if (str_eq(state, "draft")) return 0;
    if (asm_set_state(w, cid, aid, "draft", "open") != WR_OK) return -1;
    /* those present: a share of the members, at most PRESENT_MAX */
    int64_t *present = malloc(sizeof *present * (size_t)(n < PRESENT_MAX ? n : PRESENT_MAX));
    if (!present) return -1;
    int64_t np = 0, share = 30 + (int64_t)rng_below(r, 50);
    for (int64_t i = 0; i < n && np < PRESENT_MAX; i++)
        if ((int64_t)rng_below(r, 100) < share) present[np++] = ids[i];
    int rc = 0;
    for (int64_t i = 0; i < np && rc == 0; i++)
        rc = asm_presence_set(w, cid, aid, present[i], i % 4 == 0 ? "online" : "room") == WR_OK
                 ? 0
                 : -1;
    for (int i = 0; i < VOTED_ITEMS && rc == 0; i++) {
        int secret = i == VOTED_ITEMS - 1, consent = i == 3;
        struct asm_proposal_new p = {"Принять предложение докладчика и поручить совету дома "
                                     "исполнить его до конца квартала.",
                                     consent      ? "consent"
                                     : i % 3 == 2 ? "two_thirds"
                                                  : "simple",
                                     secret ? "secret" : "open"};
        int64_t pr = 0;
        rc = asm_proposal_add(w, cid, aid, item[i], &p, &pr) == WR_OK &&
                     asm_voting_open(w, cid, aid, pr, 120) == WR_OK
                 ? 0
                 : -1;
        if (rc == 0) rc = vote_all(w, r, cid, aid, pr, present, np, consent);
        /* an open meeting leaves its last votes running */
        if (rc == 0 && (str_eq(state, "closed") || i < VOTED_ITEMS - 2))
            rc = asm_voting_close(w, cid, aid, pr) == WR_OK ? 0 : -1;
    }
    free(present);
    if (rc != 0 || !str_eq(state, "closed")) return rc;
    /* of the decisions of a meeting held, some are done, some not */
    struct vmask m = {ID, 1};
    json_t *d = asm_decisions(w, &m, aid);
    for (size_t i = 0; d && i < json_array_size(d) && rc == 0; i++) {
        uint64_t x = rng_below(r, 3);
        if (x == 0) continue;
        rc = asm_decision_set(w, cid,
                              json_integer_value(json_object_get(json_array_get(d, i), "id")),
                              x == 1 ? "done" : "not_done", 0) == WR_OK
                 ? 0
                 : -1;
    }
    json_decref(d);
    return rc == 0 ? asm_set_state(w, cid, aid, "open", "closed") == WR_OK ? 0 : -1 : -1;
}

static int is_public(struct dbc *w, int64_t cid)
{
    char *slug = community_slug_of(w, cid);
    json_t *row = slug ? community_find(w, slug, 0) : NULL;
    int pub = row && json_integer_value(json_object_get(row, "visibility")) == VIS_PUBLIC;
    json_decref(row);
    free(slug);
    return pub;
}

/* want events and meetings in cid (wanted counts at most). */
static int fill(struct db *db, struct rng *r, int64_t cid, int64_t events, int64_t meetings,
                int64_t *made_e, int64_t *made_m, int64_t total_e, int64_t total_m)
{
    struct dbc *w = db_write_begin(db);
    if (!w) return -1;
    int64_t *ids = NULL;
    int64_t n = member_ids(w, cid, &ids);
    int everyone = is_public(w, cid), rc = 0;
    for (int64_t done = 0; rc == 0 && n > 0 && done < events; done += BATCH) {
        int64_t k = events - done < BATCH ? events - done : BATCH;
        rc = events_in(w, r, cid, ids, n, k, everyone);
        *made_e += k;
        if (rc == 0 && done + k < events) {
            /* a community's many events in batches of their own */
            if (db_write_end(db, w, 1) != 0 || !(w = db_write_begin(db))) {
                free(ids);
                return -1;
            }
            log_progress("events", *made_e, total_e);
        }
    }
    for (int64_t i = 0; rc == 0 && n >= 2 && i < meetings; i++) {
        rc = one_meeting(w, r, cid, ids, n, everyone);
        (*made_m)++;
        if (rc == 0 && i + 1 < meetings) {
            if (db_write_end(db, w, 1) != 0 || !(w = db_write_begin(db))) {
                free(ids);
                return -1;
            }
        }
        if (*made_m % 10 == 0) log_progress("meetings", *made_m, total_m);
    }
    free(ids);
    if (db_write_end(db, w, rc == 0) != 0 || rc != 0) return -1;
    (void)total_m;
    return 0;
}

static int benchdata_meeting_events(struct db *db, struct bench_world *bw);

enum { HEARING_COMMENTS = 40, HEARING_COMMENTS_BIG = 2000 };

static const char *const SAID[] = {
    "Поддерживаю, но прошу учесть шум от работ по утрам.",
    "Нужно больше скамеек и урн вдоль дорожки.",
    "Против переноса парковки: машины встанут на газоне.",
    "Прошу показать смету целиком, а не только итог.",
    "Освещение у подъезда важнее новой клумбы.",
};

/* A hearing's comments: n of them on its first item (and a tenth on the
 * whole), every fourth through the link, every third answered, every
 * twentieth hidden. */
static int hearing_fill(struct dbc *w, struct rng *r, json_t *h, int64_t n)
{
    int64_t aid = json_integer_value(json_object_get(h, "id"));
    int64_t cid = json_integer_value(json_object_get(h, "community_id"));
    int64_t item = json_integer_value(json_object_get(h, "item_id"));
    int64_t *ids = NULL;
    int64_t nm = member_ids(w, cid, &ids);
    int rc = nm > 0 ? 0 : -1;
    /* the big one's link is on: its page through the link is measured */
    if (rc == 0 && n > HEARING_COMMENTS)
        rc = hearing_link_on(w, cid, aid, ids[0]) == WR_OK ? 0 : -1;
    for (int64_t i = 0; rc == 0 && i < n; i++) {
        char key[32];
        snprintf(key, sizeof key, "bench-%lld-%lld", (long long)aid, (long long)i);
        /* through the link at most a hundred: the hearing's own limit */
        int link = i % 4 == 3 && i < 400;
        struct hearing_comment_new c = {
            i % 10 == 9 ? 0 : item, link ? 0 : ids[rng_below(r, (uint64_t)nm)],
            link && i % 8 == 7 ? "Житель дома 5" : "", SAID[rng_below(r, HR_ARRAY_LEN(SAID))], key};
        int64_t id = 0;
        rc = hearing_comment_add(w, cid, aid, &c, &id) == WR_OK ? 0 : -1;
        if (rc == 0 && i % 3 == 0)
            rc = hearing_answer(w, cid, aid, id,
                                "Спасибо, учтём в проекте; подробности — на следующей встрече.",
                                ids[0]) == WR_OK
                     ? 0
                     : -1;
        if (rc == 0 && i % 20 == 19)
            rc = hearing_hide(w, cid, aid, id, "Не относится к предмету слушаний.", ids[0]) == WR_OK
                     ? 0
                     : -1;
    }
    free(ids);
    return rc;
}

/* Comments of the open hearings that have none: the first (of the largest
 * community) gets many and its link (the page measured with many
 * comments), the others HEARING_COMMENTS each.
 * From a generator of its own, so that the rest of the data stays what
 * it was, and run alone on a database that already has the meetings. */
static int hearings_bench(struct db *db)
{
    struct dbc *w = db_write_begin(db);
    if (!w) return -1;
    json_t *all = hearing_bench_targets(w);
    db_write_end(db, w, 1);
    struct rng r = {0x5DEECE66DULL};
    int rc = all ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < json_array_size(all); i++) {
        if (!(w = db_write_begin(db))) {
            rc = -1;
            break;
        }
        rc = hearing_fill(w, &r, json_array_get(all, i),
                          i ? HEARING_COMMENTS : HEARING_COMMENTS_BIG);
        if (db_write_end(db, w, rc == 0) != 0) rc = -1;
    }
    log_progress("hearings", (int64_t)json_array_size(all), (int64_t)json_array_size(all));
    json_decref(all);
    return rc;
}

int benchdata_meeting(struct db *db, struct bench_world *bw)
{
    /* a database that has the meetings already (bench-data --only meeting
     * run again, or on a database from before the hearings' comments) gets
     * only what is missing: the hearings' comments */
    struct dbc *c0 = db_write_begin(db);
    if (!c0) return -1;
    int64_t had = hearing_bench_assemblies(c0);
    db_write_end(db, c0, 1);
    if (had > 0) return hearings_bench(db);
    if (benchdata_meeting_events(db, bw) != 0) return -1;
    return hearings_bench(db);
}

static int benchdata_meeting_events(struct db *db, struct bench_world *bw)
{
    int64_t te = llround(EVENTS_PER_SCALE * bw->scale),
            tm = llround(MEETINGS_PER_SCALE * bw->scale);
    int64_t pe = bench_pair_count(bw, PAIR_EVENTS), pm = llround(PAIR_MEETINGS * bw->scale);
    if (pm < 1) pm = 1;
    int64_t re = te - 2 * pe > 0 ? te - 2 * pe : 0, rm = tm - 2 * pm > 0 ? tm - 2 * pm : 0;
    struct dbc *w = db_write_begin(db);
    if (!w) return -1;
    int64_t total = 0;
    for (int64_t c = 1; c <= bw->communities; c++)
        total += community_member_count(w, c);
    db_write_end(db, w, 1);
    if (total <= 0) return -1;
    int64_t made_e = 0, made_m = 0, cum = 0, last = 0;
    for (int64_t c = 1; c <= bw->communities; c++) {
        if (!(w = db_write_begin(db))) return -1;
        int64_t n = community_member_count(w, c);
        db_write_end(db, w, 1);
        n = n > 0 ? n : 0;
        int64_t e = re * (cum + n) / total - re * cum / total;
        int64_t m = rm * (cum + n) / total - rm * cum / total;
        cum += n;
        if (fill(db, &bw->rng, c, e, m, &made_e, &made_m, te, tm) != 0) return -1;
        if (made_e - last >= 5000) {
            log_progress("events", made_e, te);
            last = made_e;
        }
    }
    /* the pair: the same events and meetings in both, from a generator of
     * their own (the secret one's texts are sealed at the first sign-in) */
    for (int k = 0; k < 2; k++) {
        int64_t cid = k ? bw->pair_secret : bw->pair_closed;
        if (cid <= 0) continue;
        struct rng r = {0x9E3779B97F4A7C15ULL};
        if (fill(db, &r, cid, pe, pm, &made_e, &made_m, te, tm) != 0) return -1;
    }
    log_progress("events", made_e, te);
    log_progress("meetings", made_m, tm);
    return 0;
}
