/* bench-data's talent step: 500,000 entries at scale 1, spread over the
 * communities by their size and over a skewed share of their members (a
 * few neighbours write many entries, most write one or two), with
 * category words and tags that overlap between offers and needs so that
 * search and matching have real work. Written through the area's own
 * talent_entry_create, so the tags table and the FTS index stay right. */
#include "areas/benchdata.h"
#include "areas/community/community.h"
#include "areas/talent/talent.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TALENT_PER_SCALE = 500000, TALENT_BATCH = 10000, SUBJECTS = 4 };

/* Per category (in talent_categories order): four subjects, each a phrase
 * and its tag. */
static const char *const SUBJ[][SUBJECTS][2] = {
    {{"замена розеток и проводки", "электрика"},
     {"сантехника и смесители", "сантехника"},
     {"сборка мебели", "мебель"},
     {"поклейка обоев", "ремонт"}},
    {{"настройка ноутбука", "компьютеры"},
     {"домашний роутер и wi-fi", "wi-fi"},
     {"телефоны и видеозвонки", "телефоны"},
     {"резервные копии фотографий", "компьютеры"}},
    {{"афиши для двора", "афиши"},
     {"логотип для клуба", "логотип"},
     {"объявления у подъездов", "объявления"},
     {"оформление праздника", "праздник"}},
    {{"рассада и клумбы", "клумбы"},
     {"обрезка деревьев", "деревья"},
     {"огород на даче", "огород"},
     {"комнатные растения", "цветы"}},
    {{"гитара для начинающих", "гитара"},
     {"хор соседей", "хор"},
     {"музыка на празднике", "праздник"},
     {"фортепиано для детей", "фортепиано"}},
    {{"шахматы во дворе", "шахматы"},
     {"настольные игры по вечерам", "настолки"},
     {"шашки и го", "шашки"},
     {"турнир по шахматам", "шахматы"}},
    {{"присмотр за детьми", "дети"},
     {"помощь с уроками", "уроки"},
     {"детский праздник", "праздник"},
     {"прогулки с колясками", "дети"}},
    {{"покупки для пожилых", "продукты"},
     {"лекарства из аптеки", "аптека"},
     {"компания для пожилых соседей", "пожилые"},
     {"мелкий ремонт у пожилых", "ремонт"}},
    {{"английский для школьников", "английский"},
     {"немецкий разговорный", "немецкий"},
     {"белорусский язык", "белорусский"},
     {"польский для начинающих", "польский"}},
    {{"вопросы по жкх", "жкх"},
     {"документы для собрания", "документы"},
     {"перерасчёт коммунальных платежей", "жкх"},
     {"консультация по наследству", "документы"}},
    {{"скандинавская ходьба", "ходьба"},
     {"первая помощь", "медицина"},
     {"измерение давления", "медицина"},
     {"зарядка по утрам", "зарядка"}},
    {{"перевозка вещей", "машина"},
     {"поездка в питомник", "машина"},
     {"велосипед в аренду", "велосипед"},
     {"подвезти до поликлиники", "машина"}},
    {{"пироги и выпечка", "выпечка"},
     {"торт на праздник", "выпечка"},
     {"домашние заготовки", "заготовки"},
     {"обеды для соседей", "обеды"}},
    {{"бег по утрам в парке", "бег"},
     {"футбол во дворе", "футбол"},
     {"йога на траве", "йога"},
     {"велопрогулки по выходным", "велосипед"}},
    {{"вязание спицами", "вязание"},
     {"шитьё и ремонт одежды", "шитьё"},
     {"резьба по дереву", "дерево"},
     {"мастер-класс по керамике", "мастер-класс"}},
    {{"подготовка к экзаменам", "экзамены"},
     {"математика для школьников", "математика"},
     {"курсы для взрослых", "курсы"},
     {"чтение с детьми", "книги"}},
    {{"выгул собак", "собаки"},
     {"передержка кошек", "кошки"},
     {"помощь приюту", "приют"},
     {"корм для бездомных животных", "животные"}},
    {{"фотосъёмка праздника", "фото"},
     {"портреты соседей", "фото"},
     {"оцифровка старых фото", "фото"},
     {"видео о дворе", "видео"}},
    {{"разбор кладовки", "вещи"},
     {"обмен книгами", "книги"},
     {"помощь с переездом", "переезд"},
     {"починка велосипеда", "велосипед"}},
};

static const char *const WHO[] = {"для соседей", "для детей", "для пожилых", "в нашем дворе",
                                  "по выходным", "вечером",   "бесплатно",   "с материалами"};
static const char *const EXTRA_TAGS[] = {"соседи",  "дети",     "пожилые", "бесплатно",
                                         "вечером", "выходные", "двор",    "праздник"};
static const char *const SENT[] = {
    "Живу в соседнем доме, могу быстро подойти.",     "Опыт больше десяти лет, работаю аккуратно.",
    "Нужно помочь один раз, дальше справимся сами.",  "Готов учить тех, кто хочет разобраться.",
    "Пишите через платформу, договоримся о времени.", "Материалы и инструменты свои.",
    "Хотелось бы найти компанию среди соседей.",      "Делаю это с удовольствием, денег не беру.",
};

/* Kind by share: skills 30 %, offers 30 %, needs 25 %, hobbies 15 %. */
static const char *pick_kind(struct rng *r)
{
    uint64_t x = rng_below(r, 100);
    return x < 30 ? "skill" : x < 60 ? "offer" : x < 85 ? "need" : "hobby";
}

/* Category with a skew: the first categories (repairs, it, ...) are more
 * frequent than the tail, as on a real board. */
static int pick_category(struct rng *r, int ncat)
{
    int a = (int)rng_below(r, (uint64_t)ncat), b = (int)rng_below(r, (uint64_t)ncat);
    return rng_below(r, 3) ? (a < b ? a : b) : a;
}

static int make_entry(struct dbc *w, struct rng *r, int64_t cid, int64_t owner, int ncat)
{
    static const char *const PREFIX[] = {"Умею", "Помогу", "Ищу помощь", "Увлекаюсь"};
    const char *kind = pick_kind(r);
    int k = kind[0] == 's' ? 0 : kind[0] == 'o' ? 1 : kind[0] == 'n' ? 2 : 3;
    int cat = pick_category(r, ncat);
    int sub = (int)rng_below(r, SUBJECTS);
    char title[TALENT_TITLE_MAX * 2], body[512];
    snprintf(title, sizeof title, "%s: %s %s", PREFIX[k], SUBJ[cat][sub][0],
             WHO[rng_below(r, HR_ARRAY_LEN(WHO))]);
    snprintf(body, sizeof body, "%s %s Тема: %s.", SENT[rng_below(r, HR_ARRAY_LEN(SENT))],
             SENT[rng_below(r, HR_ARRAY_LEN(SENT))], SUBJ[cat][(sub + 1) % SUBJECTS][0]);
    char tags[4][TALENT_TAG_BYTES];
    int nt = 0;
    snprintf(tags[nt++], TALENT_TAG_BYTES, "%s", SUBJ[cat][sub][1]);
    if (rng_below(r, 2))
        snprintf(tags[nt++], TALENT_TAG_BYTES, "%s", SUBJ[cat][rng_below(r, SUBJECTS)][1]);
    if (rng_below(r, 3) == 0)
        snprintf(tags[nt++], TALENT_TAG_BYTES, "%s",
                 EXTRA_TAGS[rng_below(r, HR_ARRAY_LEN(EXTRA_TAGS))]);
    if (nt > 1 && strcmp(tags[0], tags[1]) == 0) { /* no repeats, as the form keeps them */
        memmove(tags[1], tags[2], sizeof tags[1]);
        nt--;
    }
    uint64_t v = rng_below(r, 10);
    struct talent_entry e = {kind,
                             talent_categories[cat],
                             title,
                             body,
                             talent_availability[rng_below(r, 5)],
                             v < 6   ? "members"
                             : v < 9 ? "public"
                                     : "organizers",
                             tags,
                             nt};
    int64_t id = 0;
    return talent_entry_create_unranked(w, cid, owner, &e, &id) == WR_OK ? 0 : -1;
}

/* The pair's entries (bench_world.pair_closed, pair_secret): the same
 * entries by the same members in both, from a generator of their own, so
 * that the rest of the data is as it was; account 1 (organizing both)
 * writes the first twenty, for its "matches for me". */
static int pair_entries(struct db *db, struct bench_world *bw, int ncat)
{
    int64_t want = bench_pair_count(bw, PAIR_TALENTS);
    for (int k = 0; k < 2; k++) {
        int64_t cid = k ? bw->pair_secret : bw->pair_closed;
        struct rng r = {0x2545F4914F6CDD1DULL};
        struct dbc *w = cid > 0 ? db_write_begin(db) : NULL;
        if (!w) return cid > 0 ? -1 : 0;
        int64_t *ids = NULL;
        int64_t n = member_ids(w, cid, &ids), first = member_of_account(w, cid, 1);
        int rc = n > 0 && first > 0 ? 0 : -1;
        for (int64_t i = 0; i < want && rc == 0; i++) {
            uint64_t a = rng_below(&r, (uint64_t)n), b = rng_below(&r, (uint64_t)n);
            int64_t who = i < 20 ? first : ids[(a < b ? a : b) * 7919 % (uint64_t)n];
            rc = make_entry(w, &r, cid, who, ncat);
        }
        free(ids);
        if (db_write_end(db, w, rc == 0) != 0 || rc != 0) return -1;
        log_progress("talent pair", (k + 1) * want, 2 * want);
    }
    return 0;
}

int benchdata_talent(struct db *db, struct bench_world *bw)
{
    int ncat = 0;
    while (talent_categories[ncat])
        ncat++;
    if (ncat > (int)HR_ARRAY_LEN(SUBJ)) ncat = (int)HR_ARRAY_LEN(SUBJ);
    int64_t target = (int64_t)TALENT_PER_SCALE * bw->scale;
    /* The memberships, to share the entries by community size. */
    struct dbc *w = db_write_begin(db);
    if (!w) return -1;
    int64_t total = 0;
    for (int64_t c = 1; c <= bw->communities; c++)
        total += community_member_count(w, c);
    db_write_end(db, w, 1);
    if (total <= 0) return -1;
    int64_t done = 0, cum = 0, in_batch = 0;
    w = NULL;
    for (int64_t c = 1; c <= bw->communities; c++) {
        if (!w && !(w = db_write_begin(db))) return -1;
        int64_t *ids = NULL;
        int64_t n = member_ids(w, c, &ids);
        int64_t want = target * (cum + (n > 0 ? n : 0)) / total - target * cum / total;
        cum += n > 0 ? n : 0;
        /* Writers: a shuffled prefix of the members; the index is squared
         * toward the front so a few write many entries. */
        for (int64_t i = 0; i < want && n > 0; i++) {
            uint64_t a = rng_below(&bw->rng, (uint64_t)n), b = rng_below(&bw->rng, (uint64_t)n);
            int64_t who = ids[(a < b ? a : b) * 7919 % (uint64_t)n];
            if (who <= 0 || make_entry(w, &bw->rng, c, who, ncat) != 0) {
                free(ids);
                db_write_end(db, w, 0);
                return -1;
            }
            done++;
            if (++in_batch >= TALENT_BATCH) {
                if (db_write_end(db, w, 1) != 0 || !(w = db_write_begin(db))) {
                    free(ids);
                    return -1;
                }
                in_batch = 0;
                log_progress("talent", done, target);
            }
        }
        free(ids);
    }
    if (w && db_write_end(db, w, 1) != 0) return -1;
    log_progress("talent", done, target);
    if (pair_entries(db, bw, ncat) != 0) return -1;
    /* each entry's own list from its own candidates, in batches with
     * progress, as the upgrade of an existing database does */
    return talent_matches_backfill(db);
}
