/* The budget's demo, in the courtyard on Sadovaya: last year's process
 * closed and counted by equal shares (with its ballots, so that its
 * results say why each project won or lost) and carried into
 * implementation (its selected projects initiatives at stage 3, with
 * tasks under way, whose progress its results show), and this year's in
 * its voting phase. Everything goes through the areas' own writes. */
#include "areas/budget/budget.h"
#include "areas/community/community.h"
#include "areas/demo.h"
#include "areas/initiative/initiative.h"
#include "core/util.h"

#define DS "dvor-sadovaya-12"

struct demo_project {
    const char *author, *title, *description, *place;
    int64_t cost;
    int feasible;
    const char *reason;
};

static const struct demo_project LAST[] = {
    {"member", "Клумбы вдоль дорожки", "Разбить три клумбы с многолетниками, посадим сами весной.",
     "дорожка к арке", 40000, 1, ""},
    {"dvor-sadovaya-12-1", "Фонари у детской площадки",
     "Вечером площадка тёмная: два фонаря на солнечных батареях.", "детская площадка", 80000, 1,
     ""},
    {"dvor-sadovaya-12-2", "Стол для настольного тенниса",
     "Уличный стол из бетона, чтобы подростки играли во дворе, а не у гаражей.", "за вторым домом",
     60000, 1, ""},
    {"dvor-sadovaya-12-3", "Велопарковка на десять мест",
     "Велосипеды стоят в подъездах и мешают пройти; нужна крытая стойка.", "у первого подъезда",
     70000, 1, ""},
    {"dvor-sadovaya-12-4", "Ремонт крыши гаражей", "Крыша гаражного ряда протекает.", "гаражи",
     500000, 0,
     "Гаражи — частная собственность их владельцев, бюджет двора не может платить за их ремонт."},
};

/* The ballots of last year: who approved which projects (indexes). */
static const struct {
    const char *voter;
    int p[4];
} LAST_BALLOTS[] = {
    {"organizer", {0, 3, -1}},          {"member", {0, 1, -1}},
    {"dvor-sadovaya-12-1", {1, -1}},    {"dvor-sadovaya-12-2", {2, 3, -1}},
    {"dvor-sadovaya-12-3", {3, 0, -1}}, {"dvor-sadovaya-12-5", {2, 3, -1}},
    {"dvor-sadovaya-12-6", {1, -1}},    {"dvor-sadovaya-12-7", {0, 2, 3, -1}},
};

static const struct demo_project THIS[] = {
    {"member", "Навес над песочницей", "Тент от солнца над песочницей на лето.", "детская площадка",
     60000, 1, ""},
    {"dvor-sadovaya-12-5", "Лавочки у второго подъезда",
     "Две скамейки со спинками, чтобы пожилым соседям было где посидеть.", "второй подъезд", 45000,
     1, ""},
    {"dvor-sadovaya-12-6", "Сетка для волейбола", "Стойки и сетка на газоне за домом.",
     "газон за домом", 35000, 1, ""},
    {"dvor-sadovaya-12-8", "Контейнеры для раздельного сбора",
     "Три контейнера: бумага, пластик, стекло, с договором на вывоз.", "мусорная площадка", 80000,
     1, ""},
};

static int64_t member(struct dbc *w, int64_t cid, const char *handle)
{
    return member_of_account(w, cid, demo_account(w, handle));
}

/* The tasks of the implemented projects' initiatives, by the order the
 * projects were bought: a status and its progress (in per cent). */
static const struct {
    const char *title, *status;
    int64_t progress;
} TASKS[][2] = {
    {{"Купить материалы", "done", 100}, {"Собрать и установить", "in_progress", 40}},
    {{"Договориться с управляющей компанией", "done", 100}, {"Сделать работу", "todo", 0}},
    {{"Выбрать подрядчика", "in_progress", 60}, {"Принять работу", "todo", 0}},
};

/* Last year's process moved on into implementation, and tasks under way
 * on each of its initiatives. */
static int implement(struct dbc *w, int64_t cid, int64_t pid, int64_t at)
{
    if (budget_phase_next(w, cid, pid, "results", at) != WR_OK) return -1;
    int64_t ini[8], org = member(w, cid, "organizer");
    size_t n = budget_initiatives(w, cid, pid, ini, HR_ARRAY_LEN(ini));
    for (size_t i = 0; i < n && i < HR_ARRAY_LEN(TASKS); i++)
        for (size_t k = 0; k < 2; k++) {
            struct initiative_task_new t = {TASKS[i][k].title, NULL, org, 0, 0, 0};
            int64_t task = 0;
            if (initiative_task_add(w, cid, ini[i], org, 1, &t, &task) != WR_OK ||
                initiative_task_status(w, cid, ini[i], org, 1, task, TASKS[i][k].status,
                                       TASKS[i][k].progress) != WR_OK)
                return -1;
        }
    return n > 0 ? 0 : -1;
}

static int add_projects(struct dbc *w, int64_t cid, int64_t pid, const struct demo_project *d,
                        size_t n, int64_t *ids)
{
    for (size_t i = 0; i < n; i++) {
        struct budget_project_new p = {d[i].title, d[i].description, d[i].place, d[i].cost, 0};
        if (budget_project_add(w, cid, pid, member(w, cid, d[i].author), &p, &ids[i]) != WR_OK)
            return -1;
    }
    return 0;
}

static int review_all(struct dbc *w, int64_t cid, int64_t pid, const struct demo_project *d,
                      size_t n, const int64_t *ids)
{
    for (size_t i = 0; i < n; i++)
        if (budget_review(w, cid, pid, ids[i], d[i].feasible, d[i].reason, 0) != WR_OK) return -1;
    return 0;
}

int budget_demo(struct dbc *w)
{
    int64_t cid = demo_community(w, DS), day = 86400, today = now_s() / day * day;
    if (cid <= 0) return -1;
    /* last year: closed and counted */
    struct budget_settings s = {.title = "Бюджет двора 2026",
                                .description = "Как мы потратили деньги, собранные на "
                                               "субботниках и от аренды подвала.",
                                .currency = "RUB",
                                .ballot = "approval",
                                .method = "equal_shares",
                                .amount = 200000,
                                .max_total = 1,
                                .proposals_on = today - 120 * day,
                                .review_on = today - 100 * day,
                                .voting_on = today - 90 * day,
                                .results_on = today - 80 * day,
                                .implementation_on = today - 75 * day};
    int64_t last = 0, ids[8] = {0};
    if (budget_create(w, cid, &s, &last) != WR_OK ||
        add_projects(w, cid, last, LAST, HR_ARRAY_LEN(LAST), ids) != 0 ||
        review_all(w, cid, last, LAST, HR_ARRAY_LEN(LAST), ids) != 0)
        return -1;
    int64_t then = s.voting_on + day;
    if (budget_phase_next(w, cid, last, "proposals", then) != WR_OK ||
        budget_phase_next(w, cid, last, "review", then) != WR_OK)
        return -1;
    for (size_t i = 0; i < HR_ARRAY_LEN(LAST_BALLOTS); i++) {
        int64_t proj[4];
        size_t n = 0;
        for (; n < 4 && LAST_BALLOTS[i].p[n] >= 0; n++)
            proj[n] = ids[LAST_BALLOTS[i].p[n]];
        char receipt[BUDGET_RECEIPT_LEN + 1];
        if (budget_vote(w, cid, last, member(w, cid, LAST_BALLOTS[i].voter), NULL, proj, NULL, n,
                        then, receipt, NULL) != WR_OK)
            return -1;
    }
    if (budget_phase_next(w, cid, last, "voting", s.results_on) != WR_OK ||
        implement(w, cid, last, s.implementation_on) != 0)
        return -1;

    /* this year: voting */
    struct budget_settings t = {.title = "Бюджет двора 2027",
                                .description = "Голосуйте за то, что сделать во дворе этим летом.",
                                .currency = "RUB",
                                .ballot = "approval",
                                .method = "equal_shares",
                                .amount = 150000,
                                .max_projects = 3,
                                .max_total = 1,
                                .proposals_on = today - 30 * day,
                                .review_on = today - 14 * day,
                                .voting_on = today - 2 * day,
                                .results_on = today + 12 * day,
                                .implementation_on = today + 20 * day};
    int64_t cur = 0;
    if (budget_create(w, cid, &t, &cur) != WR_OK ||
        add_projects(w, cid, cur, THIS, HR_ARRAY_LEN(THIS), ids) != 0 ||
        review_all(w, cid, cur, THIS, HR_ARRAY_LEN(THIS), ids) != 0 ||
        budget_phase_next(w, cid, cur, "proposals", now_s()) != WR_OK ||
        budget_phase_next(w, cid, cur, "review", now_s()) != WR_OK)
        return -1;
    int64_t two[] = {ids[0], ids[1]};
    char receipt[BUDGET_RECEIPT_LEN + 1];
    return budget_vote(w, cid, cur, member(w, cid, "dvor-sadovaya-12-5"), NULL, two, NULL, 2,
                       now_s(), receipt, NULL) == WR_OK
               ? 0
               : -1;
}
