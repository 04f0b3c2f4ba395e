/* bench-data's initiative step: 10,000 initiatives with 100,000 supports
 * and 50,000 comments at scale 1, spread over the communities by their
 * size (and a share in each of the closed/secret pair), the supports and
 * comments skewed (a few ideas gather most of them), and every state of
 * step 1 among them; the accepted ones carried into the four stages' data
 * (analysis, design, implementation). Written through the area's own writes, so the words,
 * the counts and the threshold's moves are as a real instance has them. */
#include "areas/benchdata.h"
#include "areas/community/community.h"
#include "areas/initiative/funds.h"
#include "areas/initiative/initiative.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>

enum {
    PER_SCALE = 10000,
    SUPPORTS_PER = 12, /* the skew and small communities bring it to ~10: 100,000 */
    COMMENTS_PER = 6,  /* ~5: 50,000 */
    PAIR_INITIATIVES = 500,
    BATCH = 500,
};

static const char *const SUBJECT[] = {
    "скамейки у подъезда",
    "детская площадка",
    "освещение во дворе",
    "клумбы вдоль дорожки",
    "праздник двора",
    "субботник весной",
    "клуб настольных игр",
    "помощь пожилым соседям",
    "парковка у дома",
    "ремонт крыльца",
    "полка для обмена книгами",
    "велопарковка у магазина",
    "тропинка через сквер",
    "урны и мусор во дворе",
    "кружок рисования для детей",
    "чат соседей подъезда",
    "уборка снега зимой",
    "деревья на месте спиленных",
    "спортивная площадка у школы",
    "собрание жильцов дома",
};
static const char *const PROBLEM[] = {
    "Соседи давно жалуются, но никто не берётся за дело.",
    "Управляющая компания обещает уже второй год.",
    "Дети играют рядом с дорогой, это опасно.",
    "Пожилым людям тяжело без помощи, а спросить им некого.",
    "Во дворе нет места, где можно собраться вместе.",
    "Жители разных подъездов почти не знакомы.",
};
static const char *const PROPOSAL[] = {
    "Собраться, распределить задачи и сделать своими силами за выходные.",
    "Написать обращение в администрацию района от имени жителей.",
    "Найти среди соседей тех, кто умеет, и купить материалы вскладчину.",
    "Провести опрос жителей и выбрать вариант, который нравится большинству.",
    "Договориться с библиотекой и школой о помещении и времени.",
};
static const char *const COMMENT[] = {
    "Поддерживаю, могу помочь в субботу.",
    "А кто будет отвечать за материалы?",
    "Давайте сначала спросим жителей соседнего дома.",
    "У меня есть инструменты, приносите вопросы.",
    "Хорошая идея, давно пора.",
    "Предлагаю обсудить на ближайшем собрании.",
};

/* A skewed count around mean: most small, a few large. */
static int64_t skewed(struct rng *r, int64_t mean)
{
    uint64_t a = rng_below(r, (uint64_t)(2 * mean + 1)), b = rng_below(r, (uint64_t)(2 * mean + 1));
    int64_t x = (int64_t)(a < b ? a : b);
    return rng_below(r, 10) == 0 ? x * 4 : x;
}

static int64_t first_id(json_t *rows)
{
    int64_t id = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
    json_decref(rows);
    return id;
}

/* The fundraising of an initiative at its design (at = 2: pledges of two
 * members, a grant sent, a collection) or also at its implementation (at =
 * 3: the grant granted and received, the collection's money, the pledges
 * fulfilled by their money). Amounts from the id, not the generator, so
 * that the initiatives' own stream is as before. */
static int funds(struct dbc *w, int64_t cid, int64_t id, const int64_t *ids, int64_t nm,
                 int64_t organizer, int64_t line, int at)
{
    uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ULL;
    int64_t pledges[2] = {0, 0}, grant = 0, coll = 0;
    for (int k = 0; k < 2; k++) {
        struct initiative_pledge_new p = {
            k ? 0 : line, 100 * (int64_t)(500 + (h >> (8 * k)) % 5000), k, k ? "" : "доски"};
        if (initiative_pledge_add(w, cid, id, ids[(h >> (4 + k)) % (uint64_t)nm], &p,
                                  &pledges[k]) != WR_OK)
            return -1;
    }
    struct initiative_source_new g = {
        "grant", "Фонд местных инициатив", 100 * (int64_t)(10000 + h % 90000), "2026-06-01", "sent",
        -1};
    struct initiative_source_new c = {
        "collection", "Сбор во дворе", 100 * (int64_t)(2000 + h % 8000), "2026-05-01", NULL, -1};
    if (initiative_source_add(w, cid, id, organizer, 1, &g, &grant) != WR_OK ||
        initiative_source_add(w, cid, id, organizer, 1, &c, &coll) != WR_OK)
        return -1;
    if (at < 3) return 0;
    if (initiative_grant_update(w, cid, id, organizer, 1, grant, "granted", g.amount / 2) != WR_OK)
        return -1;
    struct initiative_income_new in[] = {
        {"grant", grant, g.amount / 2, "2026-04-10", ""},
        {"collection", coll, c.amount / 3, "2026-04-12", "наличные в ящике"},
        {"collection", coll, c.amount / 3, "2026-04-20", ""},
        {"pledge", pledges[0], 10000, "2026-04-15", ""},
        {"other", 0, 5000, "2026-04-18", "ярмарка"},
    };
    for (size_t k = 0; k < HR_ARRAY_LEN(in); k++)
        if (initiative_income_add(w, cid, id, organizer, 1, &in[k]) != WR_OK) return -1;
    return 0;
}

/* An accepted initiative carried into its stages: an analysis, evidence
 * of a stakeholder, then (most) a design with an indicator, three tasks,
 * a team and two budget lines, and (half of those) the implementation
 * with statuses, a report and spending. A generator of its own (seeded by
 * the id), so that the initiatives' own stream is as before. */
static int work(struct dbc *w, int64_t cid, int64_t id, const int64_t *ids, int64_t nm,
                int64_t organizer)
{
    struct rng r = {0xD1B54A32D192ED03ULL ^ (uint64_t)id};
    struct initiative_texts a = {1, PROBLEM[rng_below(&r, HR_ARRAY_LEN(PROBLEM))],
                                 "Жители соседних подъездов", NULL, 0};
    if (initiative_texts_save(w, cid, id, organizer, 1, &a) != WR_OK ||
        initiative_stakeholder_add(w, cid, id, organizer, 1, "Управляющая компания",
                                   "согласует работы") != WR_OK)
        return -1;
    if (rng_below(&r, 4) == 0) return 0; /* still at its analysis */
    if (initiative_move(w, cid, id, organizer, 1, 1, NULL) != WR_OK) return -1;
    struct initiative_texts g = {2, "Сделать к лету", "Жители довольны", "Погода", 0};
    if (initiative_texts_save(w, cid, id, organizer, 1, &g) != WR_OK ||
        initiative_indicator_add(w, cid, id, organizer, 1, "Довольных жителей", 10, 50) != WR_OK)
        return -1;
    int64_t tasks[3], line = 0;
    static const char *const TASK[] = {"Собрать соседей", "Купить материалы", "Сделать работу"};
    for (int k = 0; k < 3; k++) {
        char due[32];
        snprintf(due, sizeof due, "2026-%02d-%02d", 3 + k, 1 + (int)rng_below(&r, 28));
        struct initiative_task_new t = {TASK[k],
                                        due,
                                        ids[rng_below(&r, (uint64_t)nm)],
                                        (int64_t)rng_below(&r, 20),
                                        100 * (int64_t)rng_below(&r, 50000),
                                        1 + (int64_t)rng_below(&r, 6)};
        if (initiative_task_add(w, cid, id, organizer, 1, &t, &tasks[k]) != WR_OK) return -1;
    }
    for (int k = 0; k < 2; k++)
        if (initiative_team_add(w, cid, id, organizer, 1, ids[rng_below(&r, (uint64_t)nm)],
                                k ? "казначей" : "координатор работ") != WR_OK)
            return -1;
    for (int k = 0; k < 2; k++) {
        if (initiative_line_add(w, cid, id, organizer, 1, k ? "Работа" : "Материалы",
                                100 * (int64_t)(1000 + rng_below(&r, 40000))) != WR_OK)
            return -1;
        if (!line) line = db_last_id(w);
    }
    int design = rng_below(&r, 2) == 0;
    if (funds(w, cid, id, ids, nm, organizer, line, design ? 2 : 3) != 0) return -1;
    if (design) return 0; /* at its design */
    if (initiative_move(w, cid, id, organizer, 1, 2, NULL) != WR_OK) return -1;
    static const char *const STATUS[] = {"done", "in_progress", "todo"};
    for (int k = 0; k < 3; k++)
        if (initiative_task_status(w, cid, id, organizer, 1, tasks[k], STATUS[k],
                                   k == 0   ? 100
                                   : k == 1 ? 50
                                            : 0) != WR_OK)
            return -1;
    struct initiative_spending_new sp = {line, 100 * (int64_t)rng_below(&r, 30000), "2026-04-01",
                                         "чек из магазина"};
    if (initiative_report_add(w, cid, id, organizer, 1, "Первая задача сделана, идём дальше.") !=
            WR_OK ||
        initiative_spending_add(w, cid, id, organizer, 1, &sp) != WR_OK)
        return -1;
    return 0;
}

/* n initiatives in community cid (members ids[0..nm)), with their
 * supports, comments and decisions; *made counts them. */
static int fill(struct dbc *w, struct rng *r, int64_t cid, const int64_t *ids, int64_t nm,
                int64_t n, int64_t *made)
{
    if (nm <= 0 || n <= 0) return 0;
    int64_t place = first_id(initiative_places(w, cid));
    int64_t goal = first_id(initiative_goals(w, cid));
    /* who decides is the route's question (an organizer); the model
     * records whoever it is given */
    int64_t organizer = ids[0];
    int64_t prev = 0;
    for (int64_t k = 0; k < n; k++) {
        char title[200];
        int subj = (int)rng_below(r, HR_ARRAY_LEN(SUBJECT));
        snprintf(title, sizeof title, "%s: %s", k % 3 ? "Предлагаю" : "Нужно решить",
                 SUBJECT[subj]);
        char problem[400];
        snprintf(problem, sizeof problem, "%s %s Касается: %s.",
                 PROBLEM[rng_below(r, HR_ARRAY_LEN(PROBLEM))],
                 PROBLEM[rng_below(r, HR_ARRAY_LEN(PROBLEM))], SUBJECT[subj]);
        struct initiative_new in = {
            title,
            problem,
            PROPOSAL[rng_below(r, HR_ARRAY_LEN(PROPOSAL))],
            initiative_directions[rng_below(r, 7)],
            rng_below(r, 2) ? "у дома" : "",
            place && rng_below(r, 3) == 0 ? place : 0,
            goal && rng_below(r, 4) == 0 ? goal : 0,
        };
        int64_t id = 0;
        int64_t author = ids[rng_below(r, (uint64_t)nm)];
        if (initiative_create(w, cid, author, &in, &id) != WR_OK) return -1;
        int64_t s = skewed(r, SUPPORTS_PER);
        if (s > nm) s = nm;
        uint64_t start = rng_below(r, (uint64_t)nm);
        for (int64_t j = 0; j < s; j++)
            if (initiative_support(w, cid, id, ids[(start + (uint64_t)j) % (uint64_t)nm]) != WR_OK)
                return -1;
        int64_t c = skewed(r, COMMENTS_PER);
        for (int64_t j = 0; j < c; j++)
            if (initiative_comment_add(w, cid, id, ids[rng_below(r, (uint64_t)nm)],
                                       COMMENT[rng_below(r, HR_ARRAY_LEN(COMMENT))], NULL) != WR_OK)
                return -1;
        /* the organizers' decisions on some: accepted, declined, merged */
        uint64_t d = rng_below(r, 20);
        enum wr rc = WR_OK;
        if (d < 2) {
            rc = initiative_accept(w, cid, id, organizer);
            if (rc == WR_OK && work(w, cid, id, ids, nm, organizer) != 0) return -1;
        } else if (d == 2)
            rc = initiative_decline(w, cid, id, organizer, "Не в силах сообщества в этом году.");
        else if (d == 3 && prev)
            rc = initiative_merge(w, cid, id, prev, organizer, "Повторяет предыдущую.");
        if (rc != WR_OK && rc != WR_CONFLICT) return -1;
        prev = id;
        (*made)++;
    }
    return 0;
}

int benchdata_initiative(struct db *db, struct bench_world *bw)
{
    int64_t target = (int64_t)(PER_SCALE * bw->scale);
    int64_t pair = bench_pair_count(bw, PAIR_INITIATIVES);
    int64_t rest = target - 2 * pair > 0 ? target - 2 * pair : 0;
    struct dbc *w = db_write_begin(db);
    if (!w) return -1;
    int64_t total = 0;
    for (int64_t c = 1; c <= bw->communities; c++)
        total += community_member_count(w, c);
    db_write_end(db, w, 1);
    if (total <= 0) return -1;
    int64_t made = 0, cum = 0, last = 0;
    w = NULL;
    for (int64_t c = 1; c <= bw->communities; c++) {
        if (!w && !(w = db_write_begin(db))) return -1;
        int64_t *ids = NULL;
        int64_t n = member_ids(w, c, &ids);
        int64_t want = rest * (cum + (n > 0 ? n : 0)) / total - rest * cum / total;
        cum += n > 0 ? n : 0;
        int rc = fill(w, &bw->rng, c, ids, n, want, &made);
        free(ids);
        if (rc != 0) {
            db_write_end(db, w, 0);
            return -1;
        }
        if (made - last >= BATCH) {
            if (db_write_end(db, w, 1) != 0) return -1;
            w = NULL;
            last = made;
            log_progress("initiatives", made, target);
        }
    }
    if (w && db_write_end(db, w, 1) != 0) return -1;
    /* the pair: the same initiatives by the same members in both, from a
     * generator of their own (the closed one against the secret one, which
     * bench-data writes clear: its texts are sealed at the first sign-in) */
    for (int k = 0; k < 2; k++) {
        int64_t cid = k ? bw->pair_secret : bw->pair_closed;
        if (cid <= 0) continue;
        struct rng r = {0x9E3779B97F4A7C15ULL};
        if (!(w = db_write_begin(db))) return -1;
        int64_t *ids = NULL;
        int64_t n = member_ids(w, cid, &ids);
        int rc = fill(w, &r, cid, ids, n, pair, &made);
        free(ids);
        if (db_write_end(db, w, rc == 0) != 0 || rc != 0) return -1;
    }
    log_progress("initiatives", made, target);
    return 0;
}
