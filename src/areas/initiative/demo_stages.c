/* The initiatives' demo at every stage of the work: in the courtyard on
 * Sadovaya, one in the design with its gate still open (no plan yet), one
 * being carried out (a task done, one in progress, a report, spending
 * against its budget), one at its evaluation with a lesson still to write,
 * and one closed as done; every write is the area's own, moves included,
 * so the gates hold for the demo as for anyone. */
#include "areas/community/community.h"
#include "areas/demo.h"
#include "areas/initiative/funds.h"
#include "areas/initiative/initiative.h"
#include "core/util.h"

#include <string.h>

struct demo_task {
    const char *title, *owner, *due, *status;
    int64_t hours, money, people, progress;
};
struct demo_line {
    const char *name;
    int64_t amount, spent;
    const char *day, *note;
};

/* What one initiative gathers, stage by stage, and where it stops
 * (stage 1..4, or 5: closed as done). */
struct demo_work {
    const char *title, *coordinator;
    const char *analysis, *affected, *stakeholder, *part;
    const char *goal, *result, *risks;
    const char *indicator;
    int64_t now, target, after;
    struct demo_task tasks[3];
    const char *team[2][2]; /* member, role */
    struct demo_line lines[2];
    const char *report;
    const char *done_text, *learned, *consequences;
    int stop;
};

static const struct demo_work WORK[] = {
    {"Праздник двора в первую субботу июня",
     "dvor-sadovaya-12-5",
     "В доме восемь подъездов, и соседи знают в лицо только тех, с кем живут на одной "
     "площадке. Когда летом меняли трубы, договориться об общем доступе в подвалы было "
     "трудно: никто не знал, кому звонить.",
     "Все жильцы дома, особенно новосёлы и пожилые соседи",
     "Совет дома",
     "повесит объявления и договорится со столами",
     "Познакомить соседей из разных подъездов",
     "",
     "",
     NULL,
     0,
     0,
     -1,
     {{NULL, NULL, NULL, NULL, 0, 0, 0, 0}},
     {{NULL, NULL}},
     {{NULL, 0, 0, NULL, NULL}},
     NULL,
     NULL,
     NULL,
     NULL,
     2},
    {"Полка для обмена книгами в холле",
     "dvor-sadovaya-12-6",
     "Хорошие книги оказываются у мусорных баков, а соседи покупают те же книги в "
     "магазине. Библиотеки рядом нет, до районной ехать на автобусе.",
     "Читающие соседи, школьники, пенсионеры",
     "Районная библиотека",
     "отдаёт списанные книги",
     "Полка в холле, где книги переходят от соседа к соседу",
     "Полка висит, на ней не меньше пятидесяти книг",
     "Книги могут растащить; полку могут сломать",
     "Книг на полке",
     0,
     50,
     -1,
     {{"Купить и повесить полку", "dvor-sadovaya-12-6", "2026-03-15", "done", 3, 250000, 2, 100},
      {"Напечатать табличку с правилами", "member", "2026-03-20", "in_progress", 1, 30000, 1, 50},
      {NULL, NULL, NULL, NULL, 0, 0, 0, 0}},
     {{"dvor-sadovaya-12-6", "хранитель полки"}, {"member", "печать и объявления"}},
     {{"Полка и крепёж", 250000, 231000, "2026-03-14", "Полка из строительного магазина"},
      {"Табличка", 30000, 0, NULL, NULL}},
     "Полка висит в холле первого подъезда. Библиотека привезла два ящика книг, соседи за "
     "неделю принесли ещё тридцать.",
     NULL,
     NULL,
     NULL,
     3},
    {"Цветник у второго подъезда",
     "dvor-sadovaya-12-2",
     "У второго подъезда голая земля: весной грязь, летом пыль.",
     "Жильцы второго подъезда и все, кто ходит мимо",
     "Управляющая компания",
     "разрешила клумбы и дала землю",
     "Две клумбы с многолетними цветами",
     "Цветы растут, земля не размывается",
     "Цветы могут вытоптать",
     "Клумб у подъезда",
     0,
     2,
     2,
     {{"Посадить многолетники", "dvor-sadovaya-12-2", "2026-05-10", "done", 8, 450000, 5, 100},
      {NULL, NULL, NULL, NULL, 0, 0, 0, 0}},
     {{"dvor-sadovaya-12-2", "садовод"}, {NULL, NULL}},
     {{"Рассада и земля", 450000, 420000, "2026-05-08", "Питомник на Лесной"},
      {NULL, 0, 0, NULL, NULL}},
     "Посадили две клумбы: флоксы, хосты и астильбы. Поливаем по очереди.",
     "Две клумбы у второго подъезда, с табличками, кто за ними ухаживает.",
     NULL,
     "Соседи с первого этажа попросили такие же под своими окнами.",
     4},
    {"Субботник во дворе весной",
     "organizer",
     "После зимы двор в мусоре, а дворник один на три дома.",
     "Все жильцы",
     "ЖЭС № 5",
     "даёт перчатки, мешки и вывозит мусор",
     "Чистый двор к майским праздникам",
     "Двор убран за одну субботу",
     "Плохая погода",
     "Собрано мешков мусора",
     0,
     40,
     46,
     {{"Договориться с ЖЭС о вывозе", "organizer", "2026-04-10", "done", 1, 0, 1, 100},
      {"Провести субботник", "member", "2026-04-18", "done", 4, 0, 23, 100},
      {NULL, NULL, NULL, NULL, 0, 0, 0, 0}},
     {{"organizer", "координатор"}, {"member", "объявления в подъездах"}},
     {{NULL, 0, 0, NULL, NULL}},
     "Вышли 23 человека, собрали 46 мешков, ЖЭС вывез всё в понедельник.",
     "Убрали двор, газоны и площадку; покрасили две скамейки.",
     "Объявление за неделю в каждом подъезде работает лучше, чем сообщение в чате.",
     "Решили проводить субботник дважды в год, осенью тоже.",
     5},
};

static int64_t member(struct dbc *w, int64_t cid, const char *handle)
{
    return member_of_account(w, cid, demo_account(w, handle));
}

#define OK(x)                                                                                      \
    do {                                                                                           \
        if ((x) != WR_OK) return -1;                                                               \
    } while (0)

static int carry(struct dbc *w, int64_t cid, int64_t id, int64_t org, const struct demo_work *d)
{
    OK(initiative_coordinator_set(w, cid, id, member(w, cid, d->coordinator)));
    struct initiative_texts a = {1, d->analysis, d->affected, NULL, 0};
    OK(initiative_texts_save(w, cid, id, org, 1, &a));
    OK(initiative_stakeholder_add(w, cid, id, org, 1, d->stakeholder, d->part));
    /* the community's first survey, when it has one, as evidence */
    json_t *ev = initiative_evidence_choices(w, cid, org, 1);
    json_t *first = json_array_get(ev, 0);
    int rc = first ? initiative_evidence_add(w, cid, id, org, 1,
                                             json_string_value(json_object_get(first, "kind")),
                                             json_integer_value(json_object_get(first, "ref")))
                   : WR_OK;
    json_decref(ev);
    OK(rc);
    OK(initiative_move(w, cid, id, org, 1, 1, NULL));
    struct initiative_texts g = {2, d->goal, d->result, d->risks, !d->lines[0].name};
    OK(initiative_texts_save(w, cid, id, org, 1, &g));
    if (d->stop == 2) return 0;
    if (d->indicator)
        OK(initiative_indicator_add(w, cid, id, org, 1, d->indicator, d->now, d->target));
    int64_t tasks[3] = {0}, indicator = d->indicator ? db_last_id(w) : 0;
    for (int i = 0; d->tasks[i].title; i++) {
        const struct demo_task *t = &d->tasks[i];
        struct initiative_task_new n = {t->title, t->due,   member(w, cid, t->owner),
                                        t->hours, t->money, t->people};
        OK(initiative_task_add(w, cid, id, org, 1, &n, &tasks[i]));
    }
    for (int i = 0; i < 2 && d->team[i][0]; i++)
        OK(initiative_team_add(w, cid, id, org, 1, member(w, cid, d->team[i][0]), d->team[i][1]));
    int64_t lines[2] = {0};
    for (int i = 0; i < 2 && d->lines[i].name; i++) {
        OK(initiative_line_add(w, cid, id, org, 1, d->lines[i].name, d->lines[i].amount));
        lines[i] = db_last_id(w);
    }
    OK(initiative_move(w, cid, id, org, 1, 2, NULL));
    for (int i = 0; d->tasks[i].title; i++)
        OK(initiative_task_status(w, cid, id, org, 1, tasks[i], d->tasks[i].status,
                                  d->tasks[i].progress));
    OK(initiative_report_add(w, cid, id, org, 1, d->report));
    for (int i = 0; i < 2 && d->lines[i].name; i++)
        if (d->lines[i].spent) {
            struct initiative_spending_new s = {lines[i], d->lines[i].spent, d->lines[i].day,
                                                d->lines[i].note};
            OK(initiative_spending_add(w, cid, id, org, 1, &s));
        }
    /* the shelf is fully funded (demo_funds.c) */
    if (str_eq(d->title, INITIATIVE_DEMO_FUNDED)) OK(demo_initiative_funds(w, cid, id, org));
    if (d->stop == 3) return 0;
    OK(initiative_move(w, cid, id, org, 1, 3, NULL));
    if (d->after >= 0) OK(initiative_value_after(w, cid, id, org, 1, indicator, d->after));
    struct initiative_texts e = {4, d->done_text, d->learned, d->consequences, 0};
    OK(initiative_texts_save(w, cid, id, org, 1, &e));
    if (d->stop == 4) return 0;
    OK(initiative_move(w, cid, id, org, 1, 4, NULL));
    return 0;
}

int demo_initiative_work(struct dbc *w, int64_t cid, int64_t id, const char *title)
{
    for (size_t i = 0; i < HR_ARRAY_LEN(WORK); i++) {
        if (!str_eq(WORK[i].title, title)) continue;
        int64_t org = member(w, cid, "organizer");
        if (initiative_accept(w, cid, id, org) != WR_OK) return -1;
        return carry(w, cid, id, org, &WORK[i]);
    }
    return 0;
}
