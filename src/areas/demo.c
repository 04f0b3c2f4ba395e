/* The platform's demo: accounts, territories, communities, members,
 * an invitation and a join request. */
#include "areas/demo.h"
#include "areas/account/account.h"
#include "areas/community/community.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const demo_handles[] = {"admin",  "coordinator", "organizer",
                                    "member", "newcomer",    NULL};
static const char *const demo_names[] = {"Администратор", "Ольга (координатор)", "Андрей", "Марина",
                                         "Новичок"};

int64_t demo_account(struct dbc *w, const char *handle)
{
    return account_id_by_handle(w, handle);
}

int64_t demo_community(struct dbc *w, const char *slug)
{
    json_t *row = community_find(w, slug, 0);
    int64_t id = row ? json_integer_value(json_object_get(row, "id")) : 0;
    json_decref(row);
    return id;
}

struct demo_community {
    const char *slug, *name, *description;
    enum visibility vis;
    const char *territory; /* name of a district/neighbourhood made below */
    const char *prereqs[4];
    /* roles of the demo accounts by index (NULL: not a member) */
    const char *roles[DEMO_ACCOUNTS];
    int extra; /* how many residents to add */
};

static const struct demo_community COMMUNITIES[] = {
    {"dvor-sadovaya-12",
     "Двор на Садовой, 12",
     "Соседи трёх подъездов дома на Садовой. Договариваемся о дворе, детской площадке и "
     "общих праздниках.\n\n**Встречи** — по первым субботам месяца у третьего подъезда.",
     VIS_PUBLIC,
     "Сады",
     {"places", "problems", "actions", NULL},
     {NULL, NULL, "organizer", "member", NULL},
     9},
    {"zelenyj-kvartal",
     "Зелёный квартал",
     "Жители микрорайона, которые сажают деревья, ухаживают за клумбами и добиваются, "
     "чтобы сквер не застроили.",
     VIS_CLOSED,
     "Зелёный квартал",
     {"places", "intentions", "interests", NULL},
     {NULL, "mentor", "organizer", "facilitator", NULL},
     6},
    {"nastolki-na-raene",
     "Настольные игры на районе",
     "Играем по четвергам в библиотеке: от домино до «Каркассона». Новичков учим.",
     VIS_PUBLIC,
     "Сады",
     {"interests", "knowledge", NULL},
     {NULL, NULL, "member", "organizer", NULL},
     4},
    {"tiho-vmeste",
     "Тихо вместе",
     "Инициативная группа. Список участников не виден никому, кроме них самих; "
     "вступление только по приглашению.",
     VIS_SECRET,
     NULL,
     {"circumstances", "intentions", NULL},
     {NULL, NULL, "organizer", "member", NULL},
     2},
    {"roditeli-shkoly-7",
     "Родители школы № 7",
     "Родители учеников: безопасная дорога к школе, кружки, помощь новым семьям.",
     VIS_PUBLIC,
     "Центральный район",
     {"circumstances", "problems", NULL},
     {NULL, "expert", "member", NULL, NULL},
     5},
};

static const char *const RESIDENTS[] = {"Ирина", "Павел", "Светлана", "Георгий", "Наталья",
                                        "Тимур", "Вера",  "Алексей",  "Людмила", "Роман"};

static int64_t make_territories(struct dbc *w, const char *name)
{
    int64_t country = territory_create(w, 0, "country", "Беларусь");
    int64_t city = territory_create(w, country, "city", "Минск");
    int64_t central = territory_create(w, city, "district", "Центральный район");
    int64_t sady = territory_create(w, central, "neighbourhood", "Сады");
    int64_t green = territory_create(w, city, "district", "Фрунзенский район");
    int64_t kv = territory_create(w, green, "neighbourhood", "Зелёный квартал");
    if (str_eq(name, "Сады")) return sady;
    if (str_eq(name, "Зелёный квартал")) return kv;
    if (str_eq(name, "Центральный район")) return central;
    return 0;
}

/* Adds n residents (accounts resident-<slug>-<i>) as members. */
static int add_residents(struct dbc *w, int64_t cid, const char *slug, int n, const char *hash)
{
    for (int i = 0; i < n; i++) {
        char handle[64], name[64];
        snprintf(handle, sizeof handle, "%.20s-%d", slug, i + 1);
        snprintf(name, sizeof name, "%s", RESIDENTS[i % 10]);
        int64_t id = account_create_hashed(w, handle, name, hash, 1);
        if (id < 0 || member_add(w, cid, id, "member") < 0) return -1;
    }
    return 0;
}

int demo_platform(struct dbc *w)
{
    if (setting_set(w, "open_signup", "1") < 0) return -1;
    int64_t ids[DEMO_ACCOUNTS];
    for (int i = 0; i < DEMO_ACCOUNTS; i++) {
        ids[i] = account_create(w, demo_handles[i], demo_names[i], DEMO_PASSWORD, 1);
        if (ids[i] < 0) {
            log_error("demo: account %s exists already: the demo goes into a new database",
                      demo_handles[i]);
            return -1;
        }
    }
    account_set_roles(w, ids[0], 1, 0);
    account_set_roles(w, ids[1], 0, 1);
    /* Residents share one hash: argon2id per fake account would only burn time. */
    char *hash = account_password_hash(w, ids[4]);
    int rc = 0;
    for (size_t k = 0; k < HR_ARRAY_LEN(COMMUNITIES) && rc == 0; k++) {
        const struct demo_community *d = &COMMUNITIES[k];
        int np = 0;
        while (np < 4 && d->prereqs[np])
            np++;
        struct community_new c = {.slug = d->slug,
                                  .name = d->name,
                                  .description = d->description,
                                  .visibility = d->vis,
                                  .territory_id =
                                      d->territory ? make_territories(w, d->territory) : 0,
                                  .prereqs = d->prereqs,
                                  .nprereqs = np};
        /* The first organizer creates it; the others join with their roles. */
        int creator = 2;
        for (int i = 0; i < DEMO_ACCOUNTS; i++)
            if (str_eq(d->roles[i], "organizer")) creator = i;
        int64_t cid = community_create(w, &c, ids[creator]);
        if (cid < 0) {
            rc = -1;
            break;
        }
        for (int i = 0; i < DEMO_ACCOUNTS && rc == 0; i++)
            if (d->roles[i] && i != creator) rc = member_add(w, cid, ids[i], d->roles[i]);
        if (rc == 0) rc = add_residents(w, cid, d->slug, d->extra, hash);
    }
    free(hash);
    /* The newcomer has asked to join the closed community. */
    if (rc == 0 && join_request_create(w, demo_community(w, "zelenyj-kvartal"), ids[4],
                                       "Живу в соседнем доме, хочу помогать с клумбами.") < 0)
        rc = -1;
    return rc;
}
