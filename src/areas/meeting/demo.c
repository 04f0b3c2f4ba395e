/* The events' demo: in the courtyard on Sadovaya, upcoming events with
 * registrations (a workshop full, with its waiting list), a past general
 * assembly with its agenda, those present, an open and a secret vote and
 * the decisions in the register (one to do, one done), and an open public
 * hearing; in the board-game club, a weekly evening with one occurrence
 * moved and one cancelled, and a date poll open; in the closed Green
 * quarter and the secret group, a members' event each (the secret group's
 * texts are sealed in place when its organizer first signs in). Every row
 * goes through the area's own writes, so their rules hold for the demo too.
 * Times are relative to now, in the default zone, so the demo stays
 * "upcoming" whenever it is made. */
#include "areas/community/community.h"
#include "areas/demo.h"
#include "areas/meeting/minutes.h"
#include "areas/meeting/assembly.h"
#include "areas/meeting/hearing.h"
#include "areas/meeting/meeting.h"
#include "areas/meeting/meeting_data.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <string.h>

#define DS "dvor-sadovaya-12"
#define NG "nastolki-na-raene"
#define ZK "zelenyj-kvartal"
#define TV "tiho-vmeste"
#define ZONE EVENT_ZONE_DEFAULT

static int64_t member(struct dbc *w, int64_t cid, const char *handle)
{
    return member_of_account(w, cid, demo_account(w, handle));
}

/* A resident of the demo community slug: "<slug>-<i>". */
static int64_t resident(struct dbc *w, int64_t cid, const char *slug, int i)
{
    char h[64];
    snprintf(h, sizeof h, "%.20s-%d", slug, i);
    return member(w, cid, h);
}

/* The wall-clock time hhmm ("HH:MM") of the day `days` from today. */
static int64_t at_day(int days, const char *hhmm)
{
    char d[20], s[24];
    int64_t t = 0;
    event_local_format(now_s() + (int64_t)days * 86400, ZONE, d);
    snprintf(s, sizeof s, "%.10sT%s", d, hhmm);
    return event_local_parse(s, ZONE, &t) == 0 ? t : 0;
}

/* The days from today to the next weekday wd (0 Sunday .. 6 Saturday),
 * 1 to 7. */
static int days_to(int wd)
{
    char d[20];
    int y, m, dd;
    event_local_format(now_s(), ZONE, d);
    if (sscanf(d, "%4d-%2d-%2d", &y, &m, &dd) != 3) return 7;
    /* Sakamoto's rule */
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3) y -= 1;
    int today = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + dd) % 7;
    int k = (wd - today + 7) % 7;
    return k ? k : 7;
}

static const struct vfield OCC_ID[] = {{"occurrence_id", CAP_ANY}, {NULL, 0}};

/* The event's occurrence ids, soonest first, into out: their number. */
static int occurrences(struct dbc *w, int64_t cid, int64_t id, int64_t *out, int max)
{
    struct vmask m = {OCC_ID, 1};
    json_t *rows = event_occurrences(w, &m, cid, id, 0, max);
    int n = 0;
    for (size_t i = 0; rows && i < json_array_size(rows) && n < max; i++)
        out[n++] = json_integer_value(json_object_get(json_array_get(rows, i), "occurrence_id"));
    json_decref(rows);
    return n;
}

static int64_t first_occurrence(struct dbc *w, int64_t cid, int64_t id)
{
    int64_t o = 0;
    return occurrences(w, cid, id, &o, 1) == 1 ? o : 0;
}

/* An event made and its first occurrence's id (0 on failure). */
static int64_t event(struct dbc *w, int64_t cid, int64_t author, const struct event_new *n,
                     int64_t *id_out)
{
    int64_t id = 0;
    if (cid <= 0 || author <= 0 || event_create(w, cid, author, n, &id) != WR_OK) return 0;
    if (id_out) *id_out = id;
    return first_occurrence(w, cid, id);
}

static int register_all(struct dbc *w, int64_t cid, int64_t occ, const int64_t *who, int n)
{
    for (int i = 0; i < n; i++)
        if (who[i] <= 0 || event_register(w, cid, occ, who[i], NULL) != WR_OK) return -1;
    return 0;
}

/* ---- the courtyard: upcoming events ---- */

static int courtyard_events(struct dbc *w, int64_t ds)
{
    int64_t org = member(w, ds, "organizer"), mem = member(w, ds, "member"), r[10] = {0};
    for (int i = 1; i <= 9; i++)
        r[i] = resident(w, ds, DS, i);
    int sat = days_to(6);
    struct event_new clean = {
        .kind = "landscaping",
        .title = "Весенний субботник во дворе",
        .description = "Убираем двор после зимы: сгребаем листья, красим бордюры у детской "
                       "площадки, подвязываем кусты.\n\n**Что взять:** перчатки и удобную обувь. "
                       "Мешки, грабли и краску приносит управляющая компания.",
        .place_text = "сбор у третьего подъезда",
        .audience = "everyone",
        .zone = ZONE,
        .starts_at = at_day(sat, "10:00"),
        .ends_at = at_day(sat, "13:00")};
    int64_t occ = event(w, ds, org, &clean, NULL);
    const int64_t cleaners[] = {mem, r[1], r[2], r[3], r[5], r[7]};
    if (!occ || register_all(w, ds, occ, cleaners, 6) != 0) return -1;
    /* a workshop of five places, seven asked: two wait */
    int sun = sat + 1;
    struct event_new shop = {.kind = "training",
                             .title = "Мастер-класс: скворечники своими руками",
                             .description =
                                 "Сосед с пятого этажа, столяр, покажет, как собрать скворечник из "
                                 "обрезков доски. Инструмент общий, мест у верстака пять.",
                             .place_text = "мастерская в подвале второго подъезда",
                             .audience = "everyone",
                             .zone = ZONE,
                             .capacity = 5,
                             .starts_at = at_day(sun, "12:00"),
                             .ends_at = at_day(sun, "14:00")};
    occ = event(w, ds, org, &shop, NULL);
    const int64_t makers[] = {r[4], mem, r[6], r[2], r[8], r[9], r[3]};
    if (!occ || register_all(w, ds, occ, makers, 7) != 0) return -1;
    struct event_new tea = {.kind = "leisure",
                            .title = "Чаепитие для новых соседей",
                            .description = "Знакомимся с теми, кто переехал в дом этой зимой. "
                                           "Самовар и пироги — с нас.",
                            .place_text = "беседка во дворе",
                            .audience = "members",
                            .zone = ZONE,
                            .starts_at = at_day(sat + 7, "17:00"),
                            .ends_at = at_day(sat + 7, "19:00")};
    occ = event(w, ds, mem, &tea, NULL);
    const int64_t guests[] = {org, r[1], r[9]};
    if (!occ || register_all(w, ds, occ, guests, 3) != 0) return -1;
    return 0;
}

/* ---- the courtyard: the past assembly ---- */

/* The past assembly's minutes (issue 16, step 4), drafted from the
 * closed assembly of event eid and approved by its chair, as a secretary
 * and a chair would after the meeting. */
static int past_assembly_minutes(struct dbc *w, int64_t ds, int64_t eid)
{
    return minutes_draft_and_approve(w, ds, eid) == WR_OK ? 0 : -1;
}

static const char *const AGENDA[][2] = {
    {"Скамейки и навес у третьего подъезда",
     "Инициатива жильцов: две скамейки со спинками и лёгкий навес. Управляющая компания "
     "согласна дать материалы, собираем сами.\n\n- стоимость: около 60 000 рублей\n- срок: май"},
    {"Шлагбаум на въезде во двор",
     "Предложение закрыть въезд шлагбаумом с пультами для жильцов. Двор — общая "
     "собственность, поэтому решает собрание; голосование тайное по просьбе жильцов."},
    {"Весенний субботник", "Выбрать день субботника и договориться, кто отвечает за инструмент."},
};

static int past_assembly(struct dbc *w, int64_t ds)
{
    int64_t org = member(w, ds, "organizer"), mem = member(w, ds, "member"), r[10] = {0};
    for (int i = 1; i <= 9; i++)
        r[i] = resident(w, ds, DS, i);
    struct event_new ev = {.kind = "housing",
                           .title = "Общее собрание жильцов дома",
                           .description = "Ежегодное собрание: скамейки, въезд во двор и "
                                          "субботник. Можно участвовать онлайн.",
                           .place_text = "холл первого подъезда",
                           .audience = "members",
                           .zone = ZONE,
                           .starts_at = at_day(-6, "19:00"),
                           .ends_at = at_day(-6, "21:00")};
    int64_t eid = 0, aid = 0, item[3] = {0};
    if (!event(w, ds, org, &ev, &eid)) return -1;
    struct asm_new a = {.kind = "assembly",
                        .quorum_kind = "share",
                        .quorum_value = 50,
                        .chair_id = org,
                        .secretary_id = r[1]};
    if (asm_create(w, ds, eid, &a, &aid) != WR_OK) return -1;
    for (int i = 0; i < 3; i++)
        if (asm_item_add(w, ds, aid, AGENDA[i][0], AGENDA[i][1], &item[i]) != WR_OK) return -1;
    if (asm_set_state(w, ds, aid, "draft", "open") != WR_OK) return -1;
    /* nine in the room, one online: ten of eleven, the quorum (six) is met */
    const int64_t room[] = {org, mem, r[1], r[2], r[3], r[4], r[5], r[6], r[7]};
    for (size_t i = 0; i < HR_ARRAY_LEN(room); i++)
        if (asm_presence_set(w, ds, aid, room[i], "room") != WR_OK) return -1;
    if (asm_presence_set(w, ds, aid, r[8], "online") != WR_OK) return -1;
    /* item 1: an open vote, simple majority: adopted, so a decision */
    struct asm_proposal_new p1 = {"Поставить две скамейки со спинками и навес у третьего "
                                  "подъезда до конца мая; материалы — от управляющей компании.",
                                  "simple", "open"};
    int64_t pr1 = 0, pr2 = 0;
    if (asm_proposal_add(w, ds, aid, item[0], &p1, &pr1) != WR_OK ||
        asm_voting_open(w, ds, aid, pr1, 60) != WR_OK)
        return -1;
    static const char *const open_votes[] = {"for", "for",     "for", "for",    "for",
                                             "for", "against", "for", "abstain"};
    for (size_t i = 0; i < HR_ARRAY_LEN(room); i++)
        if (asm_vote(w, ds, aid, pr1, room[i], open_votes[i], "", "room") != WR_OK) return -1;
    if (asm_vote(w, ds, aid, pr1, r[8], "for", "", "online") != WR_OK ||
        asm_voting_close(w, ds, aid, pr1) != WR_OK)
        return -1;
    /* item 2: a secret vote, two thirds: not adopted */
    struct asm_proposal_new p2 = {"Установить шлагбаум на въезде во двор с пультами для "
                                  "жильцов за счёт сбора с каждой квартиры.",
                                  "two_thirds", "secret"};
    if (asm_proposal_add(w, ds, aid, item[1], &p2, &pr2) != WR_OK ||
        asm_voting_open(w, ds, aid, pr2, 60) != WR_OK)
        return -1;
    static const char *const secret_votes[] = {"against", "for",     "against", "for",    "against",
                                               "abstain", "against", "for",     "against"};
    for (size_t i = 0; i < HR_ARRAY_LEN(room); i++)
        if (asm_vote(w, ds, aid, pr2, room[i], secret_votes[i], "", "room") != WR_OK) return -1;
    if (asm_vote(w, ds, aid, pr2, r[8], "for", "", "online") != WR_OK ||
        asm_voting_close(w, ds, aid, pr2) != WR_OK)
        return -1;
    /* item 3: decided without a vote, recorded by the secretary, done */
    int64_t done = 0;
    if (asm_decision_add(w, ds, aid, item[2],
                         "Субботник — в ближайшую субботу с 10:00; инструмент выдаёт Ирина из "
                         "первого подъезда.",
                         &done) != WR_OK ||
        asm_decision_set(w, ds, done, "done", 0) != WR_OK)
        return -1;
    if (asm_set_state(w, ds, aid, "open", "closed") != WR_OK) return -1;
    return past_assembly_minutes(w, ds, eid);
}

/* ---- the courtyard: an open public hearing ---- */

/* The hearing's comments: two members', two residents' through the link
 * (which is on), answers by the chair, and one comment hidden with its
 * reason. */
static int hearing_comments_demo(struct dbc *w, int64_t ds, int64_t aid, int64_t first,
                                 int64_t second, int64_t org, int64_t mem)
{
    struct hearing_comment_new c[] = {
        {first, mem, NULL, "Покрытие лучше из крошки, а не плитки: зимой плитка скользкая.", NULL},
        {first, 0, "Ольга, дом 14",
         "Нужна скамейка в тени для родителей, сейчас все стоят у забора.", "demo-resident-1"},
        {second, 0, "", "Можно начать в мае? В июне дети уже во дворе весь день.",
         "demo-resident-2"},
        {0, mem, NULL, "Спасибо, что выносите проект на слушания до решения района.", NULL},
        {second, 0, "", "Продам недорого бетонные блоки, звоните.", "demo-resident-3"},
    };
    int64_t ids[5];
    if (hearing_link_on(w, ds, aid, org) != WR_OK) return -1;
    for (int i = 0; i < 5; i++)
        if (hearing_comment_add(w, ds, aid, &c[i], &ids[i]) != WR_OK) return -1;
    if (hearing_answer(w, ds, aid, ids[0],
                       "Да, в проекте резиновая крошка по всей площадке; плитка только на "
                       "дорожке.",
                       org) != WR_OK ||
        hearing_answer(w, ds, aid, ids[1], "Две скамейки под липой добавим в проект.", org) !=
            WR_OK ||
        hearing_answer(w, ds, aid, ids[2],
                       "Сроки задаёт подрядчик района; попросим начать с первых чисел июня.",
                       org) != WR_OK ||
        hearing_hide(w, ds, aid, ids[4], "Объявление, не замечание к проекту.", org) != WR_OK)
        return -1;
    return 0;
}

static int open_hearing(struct dbc *w, int64_t ds)
{
    int64_t org = member(w, ds, "organizer"), mem = member(w, ds, "member");
    struct event_new ev = {
        .kind = "landscaping",
        .title = "Публичные слушания: новая детская площадка",
        .description = "Район предлагает заменить детскую площадку во дворе. Обсуждаем проект "
                       "до решения района: замечания принимаются в зале и онлайн.",
        .place_text = "актовый зал школы № 7",
        .audience = "everyone",
        .zone = ZONE,
        .starts_at = at_day(-1, "18:00"),
        .ends_at = at_day(9, "20:00")};
    int64_t eid = 0, aid = 0, item = 0, first = 0;
    if (!event(w, ds, org, &ev, &eid)) return -1;
    struct asm_new a = {.kind = "hearing",
                        .quorum_kind = "number",
                        .quorum_value = 3,
                        .chair_id = org,
                        .secretary_id = mem};
    if (asm_create(w, ds, eid, &a, &aid) != WR_OK ||
        asm_item_add(w, ds, aid, "Проект площадки",
                     "Горка, качели-гнездо, песочница с крышкой и резиновое покрытие. "
                     "Площадка сдвигается на пять метров от окон первого этажа.",
                     &first) != WR_OK ||
        asm_item_add(w, ds, aid, "Сроки и порядок работ",
                     "Работы с июня по август; на это время вход во двор со стороны улицы.",
                     &item) != WR_OK ||
        asm_set_state(w, ds, aid, "draft", "open") != WR_OK ||
        asm_presence_set(w, ds, aid, org, "room") != WR_OK ||
        asm_presence_set(w, ds, aid, mem, "online") != WR_OK)
        return -1;
    return hearing_comments_demo(w, ds, aid, first, item, org, mem);
}

/* ---- the board-game club: a weekly evening and a date poll ---- */

static int club(struct dbc *w, int64_t ng)
{
    int64_t org = member(w, ng, "member"), mem = member(w, ng, "organizer");
    int thu = days_to(4);
    struct event_new ev = {.kind = "club",
                           .title = "Игровой вечер в библиотеке",
                           .description = "Каждый четверг: от домино до «Каркассона». Новичков "
                                          "учим правилам, свои игры приносите.",
                           .place_text = "районная библиотека, читальный зал",
                           .audience = "everyone",
                           .zone = ZONE,
                           .starts_at = at_day(thu, "18:30"),
                           .ends_at = at_day(thu, "21:30"),
                           .rule = {"weekly", 1, 12, NULL}};
    int64_t eid = 0, occ[12] = {0};
    if (event_create(w, ng, org, &ev, &eid) != WR_OK || occurrences(w, ng, eid, occ, 12) != 12)
        return -1;
    /* the third evening moves to Friday, upstairs; the fifth is cancelled */
    if (event_occurrence_change(w, ng, eid, occ[2], at_day(thu + 15, "18:30"),
                                at_day(thu + 15, "21:30"),
                                "районная библиотека, второй этаж") != WR_OK ||
        event_occurrence_cancel(w, ng, eid, occ[4], "Библиотека закрыта на санитарный день.") !=
            WR_OK)
        return -1;
    const int64_t players[] = {mem, resident(w, ng, NG, 1), resident(w, ng, NG, 2),
                               resident(w, ng, NG, 3)};
    if (register_all(w, ng, occ[0], players, 4) != 0 ||
        register_all(w, ng, occ[1], players, 2) != 0)
        return -1;
    /* a date poll: when to hold the season's tournament */
    struct poll_new p = {
        .kind = "club",
        .title = "Турнир по «Каркассону»: когда удобно?",
        .description = "Выбираем день для большого турнира. Отметьте все "
                       "подходящие варианты.",
        .zone = ZONE,
        .minutes = 240,
        .starts = {at_day(thu + 9, "11:00"), at_day(thu + 10, "11:00"), at_day(thu + 16, "11:00")},
        .n = 3};
    int64_t pid = 0;
    if (poll_create(w, ng, org, &p, &pid) != WR_OK) return -1;
    static const struct vfield OPT_ID[] = {{"id", CAP_ANY}, {NULL, 0}};
    struct vmask m = {OPT_ID, 1};
    json_t *opts = poll_options(w, &m, pid, 0);
    int64_t ids[3] = {0};
    for (size_t i = 0; opts && i < 3 && i < json_array_size(opts); i++)
        ids[i] = json_integer_value(json_object_get(json_array_get(opts, i), "id"));
    json_decref(opts);
    static const char *const a1[] = {"yes", "maybe", "no"}, *const a2[] = {"yes", "yes", "no"},
                             *const a3[] = {"no", "yes", "maybe"};
    if (poll_answer(w, ng, pid, org, ids, a1, 3) != WR_OK ||
        poll_answer(w, ng, pid, players[1], ids, a2, 3) != WR_OK ||
        poll_answer(w, ng, pid, players[2], ids, a3, 3) != WR_OK)
        return -1;
    return 0;
}

/* ---- the closed and the secret community ---- */

static int members_only(struct dbc *w, int64_t zk, int64_t tv)
{
    int sat = days_to(6);
    struct event_new plant = {.kind = "landscaping",
                              .title = "Сажаем липы в сквере у школы",
                              .description = "Саженцы купили вскладчину. Нужны лопаты и вёдра.",
                              .place_text = "сквер у школы, со стороны стадиона",
                              .audience = "members",
                              .zone = ZONE,
                              .capacity = 15,
                              .starts_at = at_day(sat + 7, "09:00"),
                              .ends_at = at_day(sat + 7, "12:00")};
    int64_t occ = event(w, zk, member(w, zk, "organizer"), &plant, NULL);
    const int64_t diggers[] = {member(w, zk, "member"), member(w, zk, "coordinator"),
                               resident(w, zk, ZK, 1), resident(w, zk, ZK, 2)};
    if (!occ || register_all(w, zk, occ, diggers, 4) != 0) return -1;
    struct event_new meet = {.kind = "other",
                             .title = "Встреча как обычно",
                             .description = "Обсудим листовки. Телефоны оставляем дома.",
                             .place_text = "там же, где в прошлый раз",
                             .audience = "members",
                             .zone = ZONE,
                             .starts_at = at_day(3, "20:00"),
                             .ends_at = at_day(3, "21:00")};
    occ = event(w, tv, member(w, tv, "organizer"), &meet, NULL);
    const int64_t quiet[] = {member(w, tv, "member")};
    if (!occ || register_all(w, tv, occ, quiet, 1) != 0) return -1;
    return 0;
}

int demo_meeting(struct dbc *w)
{
    int64_t ds = demo_community(w, DS), ng = demo_community(w, NG);
    int64_t zk = demo_community(w, ZK), tv = demo_community(w, TV);
    if (ds <= 0 || ng <= 0 || zk <= 0 || tv <= 0) return -1;
    const char *failed = courtyard_events(w, ds) != 0   ? "the courtyard's events"
                         : past_assembly(w, ds) != 0    ? "the past assembly"
                         : open_hearing(w, ds) != 0     ? "the hearing"
                         : club(w, ng) != 0             ? "the club"
                         : members_only(w, zk, tv) != 0 ? "the members' events"
                                                        : NULL;
    if (failed) log_error("demo: meeting: %s failed", failed);
    return failed ? -1 : 0;
}
