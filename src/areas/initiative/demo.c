/* The initiatives' demo: residents' ideas in every state of step 1 (an
 * idea, one in the organizers' queue, one accepted for work, a duplicate
 * merged into it, one declined with its reason), with supports and
 * comments, one of them hidden by an organizer; in the courtyard on
 * Sadovaya, the closed Green quarter and the secret group, whose texts are
 * sealed in place when its organizer first signs in; in the courtyard,
 * initiatives at every stage of the work too (demo_stages.c). Everything goes
 * through the area's own writes, so their rules hold for the demo too. */
#include "areas/community/community.h"
#include "areas/demo.h"
#include "areas/initiative/initiative.h"
#include "core/util.h"

#include <string.h>

#define DS "dvor-sadovaya-12"
#define ZK "zelenyj-kvartal"
#define TV "tiho-vmeste"

struct demo_idea {
    const char *slug, *author, *title, *problem, *proposal, *direction, *place_text;
    int in_place; /* 1: the community's own place (its territory) */
    int goal;     /* 1: its first strategic goal */
    const char *supporters[8];
};

static const struct demo_idea IDEAS[] = {
    {DS,
     "member",
     "Скамейки и навес у третьего подъезда",
     "У третьего подъезда негде присесть: пожилые соседи стоят, пока ждут такси или "
     "внуков, а в дождь прятаться некуда.",
     "Поставить две скамейки со спинками и лёгкий навес. Покрасим и соберём сами, "
     "материалы попросим у управляющей компании.",
     "landscaping",
     "у третьего подъезда",
     1,
     0,
     {"organizer", "dvor-sadovaya-12-1", "dvor-sadovaya-12-2", "dvor-sadovaya-12-3",
      "dvor-sadovaya-12-4", "dvor-sadovaya-12-5", NULL}},
    {DS,
     "dvor-sadovaya-12-1",
     "Новые качели на детской площадке",
     "Качели на площадке сломаны с осени, дети качаются на обломке цепи.",
     "Выбрать с родителями безопасные качели, собрать деньги и попросить район оплатить "
     "установку.",
     "landscaping",
     "детская площадка",
     1,
     1,
     {"member", "dvor-sadovaya-12-2", "dvor-sadovaya-12-3", "dvor-sadovaya-12-6",
      "dvor-sadovaya-12-7", NULL}},
    {DS,
     "dvor-sadovaya-12-8",
     "Починить качели во дворе",
     "Сломанные качели опасны для детей.",
     "Заменить цепь и сиденье до лета.",
     "landscaping",
     "",
     0,
     0,
     {"dvor-sadovaya-12-8", "dvor-sadovaya-12-9", "dvor-sadovaya-12-2", NULL}},
    {DS,
     "dvor-sadovaya-12-9",
     "Шлагбаум и платная парковка во дворе",
     "Во двор заезжают чужие машины и занимают места.",
     "Поставить шлагбаум и брать плату за каждое место.",
     "housing",
     "въезд со стороны улицы",
     0,
     0,
     {"dvor-sadovaya-12-9", NULL}},
    {DS,
     "dvor-sadovaya-12-5",
     "Праздник двора в первую субботу июня",
     "Соседи из разных подъездов почти не знакомы друг с другом.",
     "Устроить общий праздник: чай, пироги, музыка, игры для детей. Каждый приносит что "
     "может.",
     "leisure",
     "",
     0,
     0,
     {"dvor-sadovaya-12-4", "organizer", NULL}},
    {DS,
     "dvor-sadovaya-12-2",
     "Цветник у второго подъезда",
     "У второго подъезда голая земля, весной там грязь.",
     "Разбить две клумбы с многолетниками и ухаживать за ними по очереди.",
     "landscaping",
     "у второго подъезда",
     0,
     0,
     {"dvor-sadovaya-12-2", "dvor-sadovaya-12-7", NULL}},
    {DS,
     "organizer",
     "Субботник во дворе весной",
     "После зимы двор в мусоре.",
     "Выйти всем домом в одну субботу апреля и убрать двор.",
     "landscaping",
     "",
     0,
     1,
     {"member", "dvor-sadovaya-12-3", NULL}},
    {DS,
     "dvor-sadovaya-12-6",
     "Полка для обмена книгами в холле",
     "Книги выбрасывают на помойку, а кто-то бы их с удовольствием прочёл.",
     "Повесить в холле первого подъезда полку: оставь книгу, возьми книгу.",
     "neighbours",
     "холл первого подъезда",
     0,
     0,
     {"member", NULL}},
    {ZK,
     "member",
     "Защитить сквер от застройки",
     "На месте сквера собираются строить торговый центр; жителей никто не спросил.",
     "Собрать подписи жителей, запросить документы о застройке и выйти на публичные "
     "слушания вместе.",
     "landscaping",
     "сквер у школы",
     1,
     1,
     {"organizer", "coordinator", "zelenyj-kvartal-1", NULL}},
    {ZK,
     "zelenyj-kvartal-2",
     "Весенний субботник во дворах квартала",
     "После зимы во дворах мусор и сломанные ветки.",
     "Договориться о дне, достать перчатки и мешки, позвать соседей.",
     "landscaping",
     "",
     0,
     0,
     {"zelenyj-kvartal-3", NULL}},
    {TV,
     "member",
     "Листовки о вырубке сквера",
     "Соседи не знают, что сквер собираются вырубить.",
     "Напечатать листовки и разложить по почтовым ящикам ночью, без подписей.",
     "help",
     "почтовые ящики домов 5 и 7",
     0,
     0,
     {"organizer", NULL}},
};

struct demo_comment {
    const char *slug, *title, *author, *text, *hidden;
};

static const struct demo_comment COMMENTS[] = {
    {DS, "Скамейки и навес у третьего подъезда", "dvor-sadovaya-12-1",
     "Поддерживаю! Могу привезти доски на своей машине.", NULL},
    {DS, "Скамейки и навес у третьего подъезда", "organizer",
     "Спрошу в управляющей компании, можно ли крепить навес к стене.", NULL},
    {DS, "Новые качели на детской площадке", "dvor-sadovaya-12-3",
     "Звоните мне по номеру 8 029 000-00-00, я знаю поставщика.",
     "Личный номер телефона: "
     "договаривайтесь в "
     "банке талантов"},
    {DS, "Новые качели на детской площадке", "member",
     "Давайте выберем качели с сиденьем-гнездом, на нём помещаются двое.", NULL},
    {DS, "Праздник двора в первую субботу июня", "dvor-sadovaya-12-4",
     "Испеку пироги на всех, только скажите, сколько нас будет.", NULL},
    {ZK, "Защитить сквер от застройки", "zelenyj-kvartal-1",
     "Документы о застройке можно запросить в районной администрации.", NULL},
    {TV, "Листовки о вырубке сквера", "organizer",
     "Лучше без адреса сбора: встречаемся как обычно.", NULL},
};

static int64_t member(struct dbc *w, int64_t cid, const char *handle)
{
    return member_of_account(w, cid, demo_account(w, handle));
}

/* The community's territory, or 0. */
static int64_t own_place(struct dbc *w, int64_t cid)
{
    json_t *p = initiative_places(w, cid);
    int64_t id = json_integer_value(json_object_get(json_array_get(p, 0), "id"));
    json_decref(p);
    return id;
}

static int64_t first_goal(struct dbc *w, int64_t cid)
{
    json_t *g = initiative_goals(w, cid);
    int64_t id = json_integer_value(json_object_get(json_array_get(g, 0), "id"));
    json_decref(g);
    return id;
}

enum { NIDEAS = HR_ARRAY_LEN(IDEAS) };

/* The id of the demo's idea of that title in cid (made: what add_ideas
 * made, index for index). */
static int64_t idea_id(struct dbc *w, const int64_t *made, int64_t cid, const char *title)
{
    for (size_t i = 0; i < HR_ARRAY_LEN(IDEAS); i++)
        if (str_eq(IDEAS[i].title, title) && demo_community(w, IDEAS[i].slug) == cid)
            return made[i];
    return 0;
}

static int add_ideas(struct dbc *w, int64_t *made)
{
    for (size_t i = 0; i < HR_ARRAY_LEN(IDEAS); i++) {
        const struct demo_idea *d = &IDEAS[i];
        int64_t cid = demo_community(w, d->slug), id = 0;
        struct initiative_new n = {d->title,
                                   d->problem,
                                   d->proposal,
                                   d->direction,
                                   d->place_text,
                                   d->in_place ? own_place(w, cid) : 0,
                                   d->goal ? first_goal(w, cid) : 0};
        int64_t author = member(w, cid, d->author);
        if (cid <= 0 || author <= 0 || initiative_create(w, cid, author, &n, &id) != WR_OK)
            return -1;
        made[i] = id;
        for (int k = 0; d->supporters[k]; k++)
            if (initiative_support(w, cid, id, member(w, cid, d->supporters[k])) != WR_OK)
                return -1;
    }
    return 0;
}

int demo_initiative(struct dbc *w)
{
    int64_t ds = demo_community(w, DS), zk = demo_community(w, ZK);
    int64_t made[NIDEAS] = {0};
    /* the Green quarter moves ideas on at three supports */
    if (initiative_threshold_set(w, zk, 3) != WR_OK || add_ideas(w, made) != 0) return -1;
    int64_t org = member(w, ds, "organizer");
    int64_t swings = idea_id(w, made, ds, "Новые качели на детской площадке");
    int64_t dup = idea_id(w, made, ds, "Починить качели во дворе");
    int64_t parking = idea_id(w, made, ds, "Шлагбаум и платная парковка во дворе");
    if (initiative_accept(w, ds, swings, org) != WR_OK ||
        initiative_merge(w, ds, dup, swings, org, "Та же просьба, что и «Новые качели»") != WR_OK ||
        initiative_decline(w, ds, parking, org,
                           "Двор — общая собственность всех жильцов: платные места решает общее "
                           "собрание, а не инициатива. Вынесем вопрос на собрание дома.") != WR_OK)
        return -1;
    /* the four stages: initiatives at every one of them */
    for (size_t i = 0; i < HR_ARRAY_LEN(IDEAS); i++)
        if (str_eq(IDEAS[i].slug, DS) && demo_initiative_work(w, ds, made[i], IDEAS[i].title) != 0)
            return -1;
    for (size_t i = 0; i < HR_ARRAY_LEN(COMMENTS); i++) {
        const struct demo_comment *c = &COMMENTS[i];
        int64_t cid = demo_community(w, c->slug), id = idea_id(w, made, cid, c->title);
        int64_t said = 0;
        if (initiative_comment_add(w, cid, id, member(w, cid, c->author), c->text, &said) != WR_OK)
            return -1;
        if (c->hidden && initiative_comment_hide(w, cid, id, said, member(w, cid, "organizer"),
                                                 c->hidden) != WR_OK)
            return -1;
    }
    return 0;
}
