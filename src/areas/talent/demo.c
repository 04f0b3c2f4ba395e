/* The talent bank's demo: a lively bank in the courtyard on Sadovaya and
 * at the board-game club, with requests in every state and a club that
 * grew from a match; and a small one in the secret initiative group, whose
 * texts are sealed in place when its organizer first signs in (issue 11). */
#include "areas/demo.h"
#include "areas/talent/talent.h"
#include "areas/community/community.h"
#include "core/db.h"
#include "core/util.h"

#include <string.h>

struct demo_entry {
    const char *slug, *handle, *kind, *category, *title, *body, *tags, *avail, *vis;
};

#define DS "dvor-sadovaya-12"
#define NR "nastolki-na-raene"
#define TV "tiho-vmeste"

static const struct demo_entry ENTRIES[] = {
    {DS, "organizer", "skill", "repairs", "Электрик с допуском, 20 лет стажа",
     "Проводка, автоматы, розетки. Могу посмотреть щиток и подсказать, что менять в первую "
     "очередь.",
     "электрика, проводка, розетки", "weekends", "members"},
    {DS, "dvor-sadovaya-12-1", "need", "repairs", "Ищу, кто поможет заменить розетку на кухне",
     "Розетка искрит, боюсь трогать сама. Материалы куплю.", "электрика, розетки", "evenings",
     "members"},
    {DS, "dvor-sadovaya-12-2", "offer", "it", "Настрою ноутбук, телефон или роутер",
     "Переустановка системы, резервные копии фотографий, настройка Wi-Fi.",
     "компьютеры, wi-fi, телефоны", "evenings", "public"},
    {DS, "member", "need", "it", "Хочу научиться видеозвонкам, чтобы говорить с внуками",
     "Есть планшет, но не понимаю, как позвонить по видео.", "телефоны, видеозвонки", "weekdays",
     "members"},
    {DS, "dvor-sadovaya-12-3", "hobby", "garden", "Выращиваю пионы и флоксы",
     "Делюсь отводками осенью, расскажу, как ухаживать за клумбой у подъезда.",
     "цветы, клумбы, рассада", "weekends", "public"},
    {DS, "dvor-sadovaya-12-4", "need", "garden", "Хотим разбить клумбу у второго подъезда",
     "Нужен совет, какие цветы переживут тень и собак.", "клумбы, цветы", "weekends", "members"},
    {DS, "dvor-sadovaya-12-5", "skill", "languages",
     "Преподаю английский, могу заниматься с детьми",
     "Двадцать лет в школе. Разговорный клуб для подростков — с удовольствием.",
     "английский, дети, репетитор", "evenings", "members"},
    {DS, "dvor-sadovaya-12-6", "need", "children", "Ищу репетитора по английскому для сына",
     "Седьмой класс, нужно подтянуть грамматику к экзамену.", "английский, репетитор", "evenings",
     "members"},
    {DS, "dvor-sadovaya-12-7", "offer", "elderly",
     "Могу сходить в аптеку или магазин для пожилых соседей",
     "Работаю из дома, днём свободна. Звоните через платформу.", "аптека, продукты, пожилые",
     "weekdays", "public"},
    {DS, "dvor-sadovaya-12-8", "need", "elderly", "Маме нужна помощь с покупками раз в неделю",
     "Маме 84 года, живёт в третьем подъезде, сама не донесёт тяжёлое.", "продукты, пожилые",
     "weekdays", "organizers"},
    {DS, "dvor-sadovaya-12-9", "skill", "legal", "Юрист по жилищным вопросам",
     "Подскажу по управляющей компании, протоколам собраний и перерасчётам.",
     "жкх, документы, собрание", "arrange", "members"},
    {DS, "dvor-sadovaya-12-1", "hobby", "music", "Играю на баяне и немного на варгане",
     "Могу сыграть на дворовом празднике.", "баян, праздник, музыка", "weekends", "public"},
    {DS, "dvor-sadovaya-12-2", "need", "music", "Ищем музыканта на праздник двора в июне",
     "Праздник первой субботы июня, нужен кто-то, кто сыграет пару часов.", "праздник, музыка",
     "weekends", "members"},
    {DS, "organizer", "need", "transport", "Кто может отвезти саженцы из питомника?",
     "Нужна машина с прицепом или универсал, один рейс.", "машина, саженцы", "weekends", "members"},
    {DS, "dvor-sadovaya-12-3", "offer", "transport", "Есть универсал, помогу с перевозкой",
     "По выходным свободен, возьму до 300 кг.", "машина, перевозка", "weekends", "members"},
    {DS, "dvor-sadovaya-12-4", "skill", "cooking", "Пеку торты на заказ и для праздников",
     "Для дворового праздника испеку бесплатно.", "выпечка, праздник", "arrange", "public"},
    {DS, "dvor-sadovaya-12-5", "hobby", "games", "Люблю шахматы, ищу соперника",
     "Играю на уровне второго разряда, готов учить детей.", "шахматы", "evenings", "public"},
    {DS, "dvor-sadovaya-12-6", "hobby", "games", "Шахматы по вечерам во дворе",
     "Хотелось бы партию-другую на лавочке.", "шахматы", "evenings", "members"},
    {DS, "dvor-sadovaya-12-7", "skill", "design", "Графический дизайнер: афиши и объявления",
     "Сделаю объявление о субботнике или афишу праздника.", "афиши, объявления, дизайн", "arrange",
     "members"},
    {DS, "dvor-sadovaya-12-8", "need", "design", "Нужна афиша для субботника",
     "Чтобы повесить у всех подъездов.", "афиши, субботник", "arrange", "members"},
    {DS, "dvor-sadovaya-12-9", "hobby", "sport", "Бегаю по утрам в парке",
     "Пять километров в 7 утра, присоединяйтесь.", "бег, парк", "weekdays", "public"},
    {DS, "member", "skill", "crafts", "Вяжу и учу вязать спицами",
     "Могу провести мастер-класс для соседок и детей.", "вязание, мастер-класс", "weekends",
     "members"},
    {DS, "dvor-sadovaya-12-1", "need", "health", "Ищу компанию для скандинавской ходьбы",
     "Врач советует ходить, а одной скучно.", "ходьба, парк", "weekdays", "members"},
    {DS, "dvor-sadovaya-12-2", "skill", "photo", "Фотографирую праздники и события двора",
     "Есть хорошая камера, сниму праздник для общего альбома.", "фото, праздник", "weekends",
     "public"},
    {DS, "dvor-sadovaya-12-4", "offer", "animals", "Присмотрю за кошкой во время отпуска",
     "Живу во втором подъезде.", "кошки, животные", "any", "members"},
    {NR, "member", "hobby", "games", "Настольные игры: «Каркассон», «Колонизаторы»",
     "Собираю компанию на четверг.", "настольные игры, каркассон", "evenings", "public"},
    {NR, "organizer", "hobby", "games", "Домино — ищу партнёров для игры",
     "Всю жизнь играю в домино, во дворе больше не с кем.", "домино, настольные игры", "weekends",
     "public"},
    {NR, "nastolki-na-raene-1", "hobby", "games", "Играю в домино и лото",
     "С удовольствием по субботам.", "домино, лото", "weekends", "public"},
    {NR, "nastolki-na-raene-2", "hobby", "games", "Люблю настольные игры с детьми",
     "«Уно», «Доббль», «Имаджинариум».", "настольные игры, дети", "weekends", "members"},
    {NR, "nastolki-na-raene-3", "need", "games", "Хочу начать клуб настольных игр для подростков",
     "Нужен кто-то, кто объяснит правила и поможет с играми.", "настольные игры, подростки",
     "evenings", "members"},
    {NR, "nastolki-na-raene-4", "offer", "games", "Дам поиграть свои настолки, их больше тридцати",
     "Можно брать домой на неделю.", "настольные игры, библиотека игр", "any", "members"},
    {NR, "nastolki-na-raene-1", "skill", "crafts", "Делаю деревянные фишки и коробки для игр",
     "Столярная мастерская в гараже.", "дерево, мастерская", "weekends", "members"},
    {TV, "organizer", "skill", "legal", "Помогу составить обращение в администрацию",
     "Знаю, куда и в какой срок писать, как добиться ответа по существу.", "обращения, документы",
     "evenings", "members"},
    {TV, "member", "need", "legal", "Нужна помощь с обращением о вырубке сквера",
     "Хочу написать от жильцов дома, но не знаю, с чего начать.", "обращения, сквер", "evenings",
     "members"},
    {TV, "tiho-vmeste-1", "offer", "transport", "Подвезу на встречу и обратно",
     "Машина на пять мест, вечерами свободен.", "машина, встречи", "evenings", "members"},
    {TV, "tiho-vmeste-2", "hobby", "crafts", "Шью сумки и чехлы из старых вещей",
     "Покажу, как сделать сумку из джинсов.", "шитьё, рукоделие", "weekends", "members"},
};

static int64_t entry_id(struct dbc *w, int64_t cid, const char *title)
{
    return talent_entry_by_title(w, cid, title);
}

struct demo_request {
    const char *slug, *from, *title, *message, *contact, *to_contact, *status, *thanks;
    int64_t hours;
};

static const struct demo_request REQUESTS[] = {
    {DS, "dvor-sadovaya-12-1", "Электрик с допуском, 20 лет стажа",
     "Андрей, посмотрите, пожалуйста, розетку на кухне — искрит.", "Telegram @irina_sad12",
     "звонить после 18:00, 8 029 000-00-00", "done", "Спасибо огромное, всё работает!", 2},
    {DS, "member", "Настрою ноутбук, телефон или роутер",
     "Павел, помогите настроить видеозвонки на планшете.", "позвонить в домофон, кв. 14",
     "Telegram @pavel_it", "accepted", "", 0},
    {DS, "dvor-sadovaya-12-6", "Преподаю английский, могу заниматься с детьми",
     "Здравствуйте! Сыну нужно подтянуть грамматику к экзамену.", "WhatsApp, Тимур", "", "open", "",
     0},
    {DS, "organizer", "Есть универсал, помогу с перевозкой",
     "Светлана, сможете отвезти саженцы из питомника в субботу?", "Telegram @andrey_org",
     "Telegram @sveta_flowers", "done", "Саженцы на месте, спасибо!", 3},
    {TV, "member", "Помогу составить обращение в администрацию",
     "Помогите, пожалуйста, с обращением о сквере.", "Signal, спросить Наталью", "", "open", "", 0},
};

int demo_talent(struct dbc *w)
{
    for (size_t i = 0; i < HR_ARRAY_LEN(ENTRIES); i++) {
        const struct demo_entry *d = &ENTRIES[i];
        char tags[TALENT_MAX_TAGS][TALENT_TAG_BYTES];
        int n = talent_tags_parse(d->tags, tags, TALENT_MAX_TAGS);
        struct talent_entry e = {d->kind,  d->category, d->title, d->body,
                                 d->avail, d->vis,      tags,     n < 0 ? 0 : n};
        int64_t cid = demo_community(w, d->slug);
        int64_t who = member_of_account(w, cid, demo_account(w, d->handle)), id = 0;
        if (cid <= 0 || who <= 0 || talent_entry_create(w, cid, who, &e, &id) != WR_OK) return -1;
    }
    for (size_t i = 0; i < HR_ARRAY_LEN(REQUESTS); i++) {
        const struct demo_request *q = &REQUESTS[i];
        int64_t cid = demo_community(w, q->slug);
        int64_t eid = entry_id(w, cid, q->title);
        int64_t id = 0;
        int64_t from_member = member_of_account(w, cid, demo_account(w, q->from));
        if (talent_request_create(w, cid, eid, from_member, q->message, q->contact, &id) != WR_OK)
            return -1;
        int64_t from = 0, to = 0;
        if (talent_request_parties(w, cid, id, &from, &to) != 0) return -1;
        struct talent_move accept = {"open", "accepted", TALENT_RECIPIENT, to, q->to_contact,
                                     NULL,   0};
        struct talent_move done = {"accepted", "done",    TALENT_RECIPIENT, to,
                                   NULL,       q->thanks, q->hours};
        if (!str_eq(q->status, "open") && talent_request_move(w, cid, id, &accept) != WR_OK)
            return -1;
        if (str_eq(q->status, "done") && talent_request_move(w, cid, id, &done) != WR_OK) return -1;
    }
    /* A club that grew from the domino match. */
    int64_t nr = demo_community(w, NR);
    struct talent_club k = {
        "Домино по субботам",
        "Играем в домино и лото, учим всех желающих. Своё домино приносить не обязательно.",
        "по субботам в 15:00", "читальный зал библиотеки на Садовой"};
    int64_t club = 0;
    if (talent_club_create(w, nr, entry_id(w, nr, "Домино — ищу партнёров для игры"),
                           member_of_account(w, nr, demo_account(w, "organizer")), &k,
                           &club) != WR_OK ||
        talent_club_invite(w, club,
                           member_of_account(w, nr, demo_account(w, "nastolki-na-raene-1")),
                           "member") != WR_OK ||
        talent_club_invite(w, club, member_of_account(w, nr, demo_account(w, "member")),
                           "invited") != WR_OK)
        return -1;
    return 0;
}
