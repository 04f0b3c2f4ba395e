/* The strategy demo: the yard on Sadovaya has a whole strategy; the Green
 * Quarter has goals but no actions and a rule that protects nothing, so
 * that the mistakes panel has something to say. */
#include "areas/strategy/strategy.h"
#include "areas/community/community.h"
#include "areas/demo.h"
#include "core/util.h"

#include <stdio.h>

enum { DAY = 86400 };

/* The demo's people by their member ids in the community (the area's
 * rows name members, never accounts). */
static int64_t person(struct dbc *w, const char *slug, const char *handle)
{
    return member_of_account(w, demo_community(w, slug), demo_account(w, handle));
}

static int64_t resident(struct dbc *w, const char *slug, int i)
{
    char h[64];
    snprintf(h, sizeof h, "%s-%d", slug, i);
    return person(w, slug, h);
}

static char *day_from_now(int days, char out[11])
{
    date_format(now_s() + (int64_t)days * DAY, out);
    return out;
}

static int64_t act(struct dbc *w, int64_t cid, int64_t goal, const char *title, int64_t owner,
                   int days, int64_t hours, int64_t money, int64_t people, const char *skills)
{
    char due[11];
    struct action_new a = {goal,  owner,  hours, money, people, title, day_from_now(days, due),
                           "BYN", skills, 0};
    return action_add(w, cid, &a);
}

static int dvor(struct dbc *w)
{
    const char *slug = "dvor-sadovaya-12";
    int64_t cid = demo_community(w, slug);
    int64_t org = person(w, slug, "organizer"), mem = person(w, slug, "member");
    if (!cid || !org || !mem) return -1;
    int64_t r[10];
    for (int i = 1; i <= 9; i++)
        r[i] = resident(w, slug, i);
    /* Personal values, most of them shared with the neighbours. */
    int64_t p1 =
        personal_add(w, cid, mem, "value", "Чтобы дети играли во дворе без опаски", "members");
    int64_t p2 = personal_add(w, cid, r[1], "value", "Безопасность детей на площадке", "members");
    int64_t p3 = personal_add(w, cid, r[2], "value", "Знать соседей по имени", "members");
    int64_t p4 = personal_add(w, cid, r[3], "value", "Помогать пожилым соседям", "members");
    int64_t p5 =
        personal_add(w, cid, r[4], "value", "Тёплые отношения между подъездами", "organizers");
    int64_t p6 = personal_add(w, cid, r[5], "value", "Чистый и зелёный двор", "members");
    personal_add(w, cid, mem, "goal", "Хочу научиться договариваться с управляющей компанией",
                 "private");
    personal_add(w, cid, r[6], "goal", "Найти компанию для утренних пробежек", "members");
    int64_t safe_roots[] = {p1, p2}, neigh_roots[] = {p3, p4, p5}, green_roots[] = {p6};
    int64_t past = now_s() - 3 * DAY;
    int64_t v1 = value_propose(w, cid, mem, "Безопасный двор для детей",
                               "Дети во дворе под присмотром всех взрослых, а не только родителей.",
                               past, safe_roots, 2);
    int64_t v2 = value_propose(w, cid, r[2], "Добрососедство",
                               "Мы знаем друг друга и помогаем, не дожидаясь просьбы.", past,
                               neigh_roots, 3);
    int64_t v3 = value_propose(w, cid, r[5], "Зелёный двор",
                               "Деревья и клумбы во дворе — наша общая забота.", now_s() + 10 * DAY,
                               green_roots, 1);
    if (v1 < 0 || v2 < 0 || v3 < 0) return -1;
    int64_t voters[] = {org, mem, r[1], r[2], r[3], r[4], r[5], r[6]};
    for (int i = 0; i < 8; i++) {
        vote_put(w, VOTE_ON_VALUE, v1, voters[i], i != 7);
        vote_put(w, VOTE_ON_VALUE, v2, voters[i], 1);
    }
    vote_put(w, VOTE_ON_VALUE, v3, r[5], 1);
    vote_put(w, VOTE_ON_VALUE, v3, r[6], 1);
    /* The canvas. */
    static const char *const canvas[][2] = {
        {"environment", "Три подъезда, двор с площадкой, сквер через дорогу"},
        {"behaviour", "Субботники весной и осенью, общий чат, встречи по первым субботам"},
        {"capabilities", "Умеем договариваться с управляющей компанией и собирать деньги"},
        {"values", "Открытость: все решения обсуждаем вместе"},
        {"identity", "Мы — соседи, которым не всё равно"},
    };
    for (size_t i = 0; i < HR_ARRAY_LEN(canvas); i++)
        if (dilts_add(w, cid, canvas[i][0], canvas[i][1]) != WR_OK) return -1;
    text_save(w, cid, "vision",
              "Через три года наш двор — **безопасный, зелёный и дружный**: дети гуляют сами, "
              "у подъездов цветы, а соседи знают друг друга.",
              org, 0);
    text_save(w, cid, "mission", "Объединять соседей, чтобы вместе заботиться о дворе.", org, 0);
    text_save(w, cid, "mission",
              "Объединять соседей дома на Садовой, 12, чтобы вместе заботиться о дворе и друг о "
              "друге.",
              mem, 0);
    int64_t man =
        text_save(w, cid, "manifesto",
                  "# Манифест двора\n\n1. Двор общий — значит, и забота общая.\n2. Решаем вместе "
                  "и открыто.\n3. Помогаем тем, кому трудно.",
                  org, now_s() - 2 * DAY);
    if (man < 0) return -1;
    for (int i = 0; i < 8; i++)
        vote_put(w, VOTE_ON_TEXT, man, voters[i], 1);
    /* Goals and actions. */
    int64_t g1 = goal_add(w, cid, 0, "Безопасная детская площадка к лету");
    int64_t t1 = goal_add(w, cid, g1, "Заменить сломанные качели");
    int64_t t2 = goal_add(w, cid, g1, "Ограничить проезд машин по двору");
    int64_t g2 = goal_add(w, cid, 0, "Соседи знают и поддерживают друг друга");
    int64_t t3 = goal_add(w, cid, g2, "Праздник двора раз в сезон");
    if (g1 < 0 || t1 < 0 || t2 < 0 || g2 < 0 || t3 < 0) return -1;
    int64_t a1 = act(w, cid, t1, "Написать заявку в управляющую компанию", mem, -5, 3, 0, 1, "");
    int64_t a2 =
        act(w, cid, t1, "Собрать деньги на новые качели", r[1], 30, 10, 900, 2, "учёт, переписка");
    int64_t a3 = act(w, cid, t2, "Согласовать столбики у въезда с администрацией района", org, 45,
                     6, 300, 1, "переговоры");
    int64_t a4 = act(w, cid, t3, "Провести осенний праздник двора", r[2], 60, 20, 250, 6,
                     "музыка, выпечка, игры с детьми");
    int64_t a5 =
        act(w, cid, t3, "Составить список соседей, которым нужна помощь", r[3], 20, 4, 0, 2, "");
    if (a1 < 0 || a2 < 0 || a3 < 0 || a4 < 0 || a5 < 0) return -1;
    action_set_status(w, cid, a1, "in_progress");
    pledge_add(w, a2, r[4], 2, 200, 1);
    pledge_add(w, a2, r[5], 0, 150, 0);
    pledge_add(w, a4, r[6], 5, 0, 1);
    pledge_add(w, a4, mem, 3, 50, 1);
    /* Rules, each protecting a value. */
    int64_t rv1[] = {v1}, rv2[] = {v2}, rv3[] = {v1, v2};
    if (rule_add(w, cid, "Машины по двору — только шагом и только к подъезду", rv1, 1) < 0 ||
        rule_add(w, cid, "О любом общем решении сообщаем в чат и на доске у подъезда", rv2, 1) <
            0 ||
        rule_add(w, cid, "Деньги двора тратим только после обсуждения на встрече", rv3, 2) < 0)
        return -1;
    return 0;
}

static int kvartal(struct dbc *w)
{
    const char *slug = "zelenyj-kvartal";
    int64_t cid = demo_community(w, slug);
    int64_t org = person(w, slug, "organizer");
    if (!cid || !org) return -1;
    personal_add(w, cid, resident(w, slug, 1), "value", "Сохранить сквер для всех", "members");
    personal_add(w, cid, resident(w, slug, 2), "goal", "Посадить липы вдоль улицы", "private");
    /* A value the organizer pushed through with few votes and no roots. */
    int64_t v = value_propose(w, cid, org, "Порядок во всём", "", now_s() - DAY, NULL, 0);
    if (v < 0) return -1;
    vote_put(w, VOTE_ON_VALUE, v, org, 1);
    vote_put(w, VOTE_ON_VALUE, v, person(w, slug, "member"), 1);
    vote_put(w, VOTE_ON_VALUE, v, resident(w, slug, 3), 1);
    if (goal_add(w, cid, 0, "Сквер остаётся сквером") < 0 ||
        goal_add(w, cid, 0, "Сто новых деревьев за два года") < 0)
        return -1;
    text_save(w, cid, "vision", "Зелёный квартал, где у каждого дома растут деревья.", org, 0);
    if (rule_add(w, cid, "На встречи не опаздывать", NULL, 0) < 0) return -1;
    return 0;
}

int demo_strategy(struct dbc *w)
{
    return dvor(w) == 0 && kvartal(w) == 0 ? 0 : -1;
}
