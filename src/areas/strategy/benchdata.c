/* bench-data's strategy step: a quarter of the communities have a
 * strategy worked out by the methodology: members' personal values and
 * goals, shared values grown from them and adopted by a vote of most
 * members, the Dilts canvas, vision, mission and a voted manifesto, three
 * strategic goals broken into tactical ones with actions, owners, due
 * dates and pledges, and rules that protect the values. Everything goes
 * through the area's model functions. */
#include "areas/benchdata.h"
#include "areas/community/community.h"
#include "areas/strategy/strategy.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { STRATEGY_SHARE = 4, PERSONAL_MAX = 60, DAY = 86400 };

static const char *const PERSONAL[] = {
    "Чтобы дети могли спокойно играть во дворе",
    "Знать соседей по имени",
    "Чистый и зелёный двор",
    "Честность в решениях о деньгах",
    "Помогать пожилым соседям",
    "Чтобы каждого было слышно на собрании",
    "Меньше машин на тротуарах",
    "Общие праздники несколько раз в год",
};
static const char *const VALUES[][2] = {
    {"Забота о соседях", "Замечаем, кому нужна помощь, и помогаем без лишних слов."},
    {"Открытость решений", "Всё, что касается общих денег и планов, обсуждаем открыто."},
    {"Безопасный двор", "Двор, где детям и пожилым спокойно в любое время."},
    {"Уважение к каждому", "Голос новичка весит столько же, сколько голос старожила."},
    {"Зелёный район", "Бережём деревья и сажаем новые вместе."},
};
static const char *const LEVELS[][2] = {
    {"environment", "Двор на четыре дома, детская площадка, сквер у школы"},
    {"behaviour", "Субботники раз в месяц, общий чат, собрания по четвергам"},
    {"capabilities", "Есть юрист, электрик, садовники и умелые руки"},
    {"values", "Забота, открытость, уважение"},
    {"identity", "Мы соседи, которые отвечают за свой двор"},
};
static const char *const GOALS[][3] = {
    {"Безопасный и светлый двор", "Освещение у всех подъездов", "Новая детская площадка"},
    {"Соседи знают друг друга", "Праздник двора дважды в год", "Клуб для новичков"},
    {"Зелёный и чистый квартал", "Озеленение вдоль улицы", "Порядок у контейнеров"},
};
static const char *const ACTIONS[] = {
    "Собрать подписи под обращением",
    "Найти подрядчика и сравнить сметы",
    "Провести субботник",
    "Заказать и установить скамейки",
    "Напечатать и расклеить афиши",
    "Договориться с управляющей компанией",
};
static const char *const STATUSES[] = {"planned", "in_progress", "done", "dropped"};
static const char *const RULES[] = {
    "Решения о деньгах принимаем только на открытом собрании",
    "Отчёт о тратах публикуем в течение недели",
    "Каждый новичок получает наставника",
    "Спорные вопросы решаем голосованием, а не в чате",
    "Деревья во дворе не спиливаем без общего согласия",
};

static int64_t member_at(struct rng *r, const int64_t *ids, int64_t n)
{
    return ids[rng_below(r, (uint64_t)n)];
}

/* Values, votes and rules; values[] gets the shared values' ids. */
static int make_values(struct dbc *w, struct rng *r, int64_t cid, const int64_t *ids, int64_t n,
                       int64_t now, int64_t *stats)
{
    int64_t personal[PERSONAL_MAX], np = 0;
    for (int64_t i = 0; i < n && np < PERSONAL_MAX; i++) {
        if (rng_below(r, 5) != 0) continue;
        static const char *const SHARE[] = {"private", "organizers", "members", "members"};
        int64_t id =
            personal_add(w, cid, ids[i], rng_below(r, 3) ? "value" : "goal",
                         PERSONAL[rng_below(r, HR_ARRAY_LEN(PERSONAL))], SHARE[rng_below(r, 4)]);
        if (id <= 0) return -1;
        personal[np++] = id;
    }
    stats[0] += np;
    int64_t values[HR_ARRAY_LEN(VALUES)] = {0};
    int nv = 3 + (int)rng_below(r, 3);
    for (int v = 0; v < nv; v++) {
        int64_t roots[2] = {np ? personal[rng_below(r, (uint64_t)np)] : 0,
                            np ? personal[rng_below(r, (uint64_t)np)] : 0};
        values[v] = value_propose(w, cid, member_at(r, ids, n), VALUES[v][0], VALUES[v][1],
                                  now - (int64_t)(30 + v) * DAY, roots, np ? 2 : 0);
        if (values[v] <= 0) return -1;
        int rate = 40 + (int)rng_below(r, 50);
        for (int64_t i = 0; i < n; i++)
            if ((int)rng_below(r, 100) < rate) {
                if (vote_put(w, VOTE_ON_VALUE, values[v], ids[i], rng_below(r, 10) < 8) != 0)
                    return -1;
                stats[1]++;
            }
    }
    stats[2] += nv;
    int nr = 2 + (int)rng_below(r, 4);
    for (int k = 0; k < nr; k++) {
        int64_t protects[2] = {values[rng_below(r, (uint64_t)nv)],
                               values[rng_below(r, (uint64_t)nv)]};
        if (rule_add(w, cid, RULES[k], protects, 1 + (int)rng_below(r, 2)) <= 0) return -1;
    }
    stats[3] += nr;
    return 0;
}

static int make_plan(struct dbc *w, struct rng *r, int64_t cid, const int64_t *ids, int64_t n,
                     int64_t now, int64_t *stats)
{
    for (size_t g = 0; g < HR_ARRAY_LEN(GOALS); g++) {
        int64_t top = goal_add(w, cid, 0, GOALS[g][0]);
        if (top <= 0) return -1;
        stats[4]++;
        for (int t = 1; t <= 2; t++) {
            int64_t sub = goal_add(w, cid, top, GOALS[g][t]);
            if (sub <= 0) return -1;
            stats[4]++;
            int na = 2 + (int)rng_below(r, 2);
            for (int a = 0; a < na; a++) {
                char due[16];
                time_t d = (time_t)(now + (int64_t)(rng_below(r, 240)) * DAY - 60 * DAY);
                struct tm tm;
                gmtime_r(&d, &tm);
                strftime(due, sizeof due, "%Y-%m-%d", &tm);
                struct action_new an = {sub,
                                        rng_below(r, 6) ? member_at(r, ids, n) : 0,
                                        (int64_t)rng_below(r, 40),
                                        (int64_t)rng_below(r, 4) * 50,
                                        (int64_t)rng_below(r, 8),
                                        ACTIONS[rng_below(r, HR_ARRAY_LEN(ACTIONS))],
                                        rng_below(r, 5) ? due : NULL,
                                        "BYN",
                                        "",
                                        0};
                int64_t act = action_add(w, cid, &an);
                if (act <= 0 || action_set_status(w, cid, act, STATUSES[rng_below(r, 4)]) != 0)
                    return -1;
                stats[5]++;
                for (int p = (int)rng_below(r, 4); p > 0; p--) {
                    if (pledge_add(w, act, member_at(r, ids, n), 1 + (int64_t)rng_below(r, 8), 0,
                                   rng_below(r, 2) == 0) <= 0)
                        return -1;
                    stats[6]++;
                }
            }
        }
    }
    return 0;
}

static int make_strategy(struct dbc *w, struct rng *r, int64_t cid, const int64_t *ids, int64_t n,
                         int64_t now, int64_t *stats)
{
    struct strategy_settings s = {14, 50 + (int64_t)rng_below(r, 3) * 10, 33};
    if (strategy_settings_set(w, cid, &s) != 0 || make_values(w, r, cid, ids, n, now, stats) != 0)
        return -1;
    for (size_t l = 0; l < HR_ARRAY_LEN(LEVELS); l++)
        if (dilts_add(w, cid, LEVELS[l][0], LEVELS[l][1]) != WR_OK) return -1;
    int64_t author = member_at(r, ids, n);
    if (text_save(w, cid, "vision", "Через пять лет наш двор — зелёный, светлый и дружный.", author,
                  0) <= 0 ||
        text_save(w, cid, "mission", "Мы соседи, которые вместе делают двор лучше.", author, 0) <=
            0)
        return -1;
    int64_t man = text_save(w, cid, "manifesto",
                            "Мы заботимся друг о друге, решаем открыто и бережём наш двор.", author,
                            now - 20 * DAY);
    if (man <= 0) return -1;
    for (int64_t i = 0; i < n; i++)
        if (rng_below(r, 2) == 0 &&
            vote_put(w, VOTE_ON_TEXT, man, ids[i], rng_below(r, 10) < 9) != 0)
            return -1;
    return make_plan(w, r, cid, ids, n, now, stats);
}

int benchdata_strategy(struct db *db, struct bench_world *bw)
{
    int64_t now = (int64_t)time(NULL), total = bw->communities / STRATEGY_SHARE, done = 0;
    /* personal values, votes, shared values, rules, goals, actions, pledges */
    int64_t stats[7] = {0};
    for (int64_t c = 1; c <= bw->communities && done < total; c++) {
        if (rng_below(&bw->rng, STRATEGY_SHARE) != 0 && bw->communities - c >= total - done)
            continue;
        struct dbc *w = db_write_begin(db);
        if (!w) return -1;
        int64_t *ids = NULL;
        int64_t n = member_local_ids(w, c, &ids);
        int rc = n > 0 ? make_strategy(w, &bw->rng, c, ids, n, now, stats) : -1;
        free(ids);
        if (db_write_end(db, w, rc == 0) != 0 || rc != 0) return -1;
        done++;
        if (done % 10 == 0 || done == total) log_progress("strategy", done, total);
    }
    fprintf(stderr,
            "strategy: %lld personal values, %lld votes, %lld shared values, %lld rules,"
            " %lld goals, %lld actions, %lld pledges\n",
            (long long)stats[0], (long long)stats[1], (long long)stats[2], (long long)stats[3],
            (long long)stats[4], (long long)stats[5], (long long)stats[6]);
    return 0;
}
