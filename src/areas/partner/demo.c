/* The partner area's demo: the courtyard on Sadovaya works with the
 * housing office, the library, the district council's deputy and a
 * neighbourhood NGO; the log of its talks with them (one next step
 * overdue), and two residents' requests. Texts written for Hramada. */
#include "areas/demo.h"
#include "areas/community/community.h"
#include "areas/partner/partner.h"
#include "core/db.h"
#include "core/util.h"

#define DS "dvor-sadovaya-12"

struct demo_partner {
    const char *name, *sector, *territory, *reach, *notes;
    int is_public;
    const char *contact, *role;
};

static const struct demo_partner PARTNERS[] = {
    {"Управляющая компания «Садовый квартал»", "housing", "Дома 8–16 по Садовой",
     "Диспетчерская: 8 (000) 000-00-00, круглосуточно; приём — вторник 17:00–19:00",
     "Отвечают на письма через две-три недели; по срочному — только звонок в диспетчерскую.", 1,
     "Ирина Павловна", "главный инженер"},
    {"Районная библиотека № 3", "libraries", "Микрорайон Сады",
     "Садовая, 20, первый этаж; по будням с 11 до 19", "Дают зал для встреч по четвергам.", 1,
     "Светлана", "заведующая"},
    {"Депутат районного совета по округу № 5", "deputy", "Избирательный округ № 5",
     "Приём граждан — первый понедельник месяца, Дом культуры", "", 0, "Помощник депутата",
     "записывает на приём"},
    {"Соседский центр «Вместе»", "ngo", "Весь район", "vmeste.example.org",
     "Помогают с юристом по жилищным вопросам, бесплатно.", 0, "Алексей", "координатор"},
};

static int add_partners(struct dbc *w, int64_t cid)
{
    for (size_t i = 0; i < HR_ARRAY_LEN(PARTNERS); i++) {
        const struct demo_partner *d = &PARTNERS[i];
        struct partner_in in = {d->name, d->sector, d->territory, d->reach, d->notes, d->is_public};
        int64_t id = 0;
        if (partner_add(w, cid, &in, &id) != WR_OK) return -1;
        if (partner_contact_add(w, cid, id, d->contact, d->role) != WR_OK) return -1;
    }
    return 0;
}

/* The log of talks with the housing office and the library: one settled,
 * one waiting with a next step whose day passed a week ago (the organizer
 * responsible), one with a step ahead. */
static int add_log(struct dbc *w, int64_t cid, int64_t organizer)
{
    int64_t today = now_s() / 86400 * 86400, day = 86400;
    int64_t housing = db_int(w, 0, "SELECT min(id) FROM partners WHERE community_id = ?", "i", cid);
    struct plog_in e[] = {
        {today - 40 * day, "Обращение о ремонте освещения во дворе", "request", "agreed",
         "Обещали заменить два фонаря до конца месяца; заменили.", "", 0, 0},
        {today - 20 * day, "Протечка крыши над третьим подъездом", "request", "waiting",
         "Приняли заявку, номер 1187.", "Позвонить главному инженеру и узнать срок",
         today - 7 * day, organizer},
        {today - 3 * day, "Зал для встречи соседей", "negotiation", "open", "",
         "Подтвердить дату встречи в библиотеке", today + 5 * day, organizer},
    };
    for (size_t i = 0; i < HR_ARRAY_LEN(e); i++)
        if (plog_add(w, cid, housing + (i == 2), &e[i]) != WR_OK) return -1;
    return 0;
}

/* Two residents' requests of the member Marina: one new, one the
 * organizer handles and answered. */
static int add_requests(struct dbc *w, int64_t cid, int64_t organizer, int64_t member)
{
    struct rq_in a = {"Не работает домофон во втором подъезде",
                      "Третью неделю домофон не открывает дверь, управляющая компания не отвечает. "
                      "Можно ли обратиться к ним от имени соседей?",
                      "site", ""};
    struct rq_in b = {"Помощь с документами на субсидию",
                      "Маме нужно оформить субсидию на оплату жилья, не знаем, с чего начать.",
                      "phone", "8 (000) 000-00-01, вечером"};
    int64_t id = 0;
    if (rq_add(w, cid, member, &a, &id) != WR_OK) return -1;
    if (rq_add(w, cid, member, &b, &id) != WR_OK) return -1;
    struct rq_triage t = {"in_work", organizer, 0, "Позвоню в МФЦ и уточню список документов."};
    if (rq_triage(w, cid, id, organizer, &t) != WR_OK) return -1;
    return rq_answer(w, cid, id, organizer,
                     "Список документов — на сайте МФЦ; приём по записи, могу сходить с вами.") ==
                   WR_OK
               ? 0
               : -1;
}

int partner_demo(struct dbc *w)
{
    int64_t cid = demo_community(w, DS);
    int64_t organizer = cid ? member_of_account(w, cid, demo_account(w, "organizer")) : 0;
    int64_t member = cid ? member_of_account(w, cid, demo_account(w, "member")) : 0;
    if (!cid || !organizer || !member) return -1;
    return add_partners(w, cid) == 0 && add_log(w, cid, organizer) == 0 &&
                   add_requests(w, cid, organizer, member) == 0
               ? 0
               : -1;
}
