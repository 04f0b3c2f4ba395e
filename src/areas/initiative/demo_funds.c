/* The demo's fully funded initiative: the book-sharing shelf in the
 * courtyard on Sadovaya, at its implementation, gathers what its plan asks
 * for and more (its report shows what is left): pledges of three
 * neighbours (money for the sign, hours and fixings), a grant granted, a
 * shop as its sponsor, a collection that reached its target, and the money
 * received from each, recorded by its treasurer. */
#include "areas/community/community.h"
#include "areas/demo.h"
#include "areas/initiative/funds.h"
#include "core/util.h"

#define OK(x)                                                                                      \
    do {                                                                                           \
        if ((x) != WR_OK) return -1;                                                               \
    } while (0)

static int64_t member(struct dbc *w, int64_t cid, const char *handle)
{
    return member_of_account(w, cid, demo_account(w, handle));
}

int demo_initiative_funds(struct dbc *w, int64_t cid, int64_t id, int64_t org)
{
    static const char sign_sql[] =
        "SELECT max(id) FROM initiative_budget_lines WHERE initiative_id = ?";
    int64_t sign = db_int(w, 0, sign_sql, "i", id); /* the second line: the sign */
    int64_t mem = member(w, cid, "member"), four = member(w, cid, "dvor-sadovaya-12-4"),
            five = member(w, cid, "dvor-sadovaya-12-5");
    int64_t p1 = 0, p3 = 0, grant = 0, sponsor = 0, coll = 0;
    struct initiative_pledge_new a = {sign, 50000, 0, ""}, b = {0, 0, 3, "шурупы и дюбели"},
                                 c = {0, 30000, 0, ""};
    OK(initiative_pledge_add(w, cid, id, mem, &a, &p1));
    OK(initiative_pledge_add(w, cid, id, four, &b, NULL));
    OK(initiative_pledge_add(w, cid, id, five, &c, &p3));
    /* the member keeps its books */
    OK(initiative_treasurer_set(w, cid, id, mem, 1));
    struct initiative_source_new
        g = {"grant", "Фонд «Добрые соседи»", 200000, "2026-02-20", "granted", 150000},
        s = {"sponsor", "Строительный магазин «Домовой»", 50000, NULL, NULL, -1},
        k = {"collection", "Сбор на полку у почтовых ящиков", 60000, "2026-03-10", NULL, -1};
    OK(initiative_source_add(w, cid, id, mem, 0, &g, &grant));
    OK(initiative_source_add(w, cid, id, mem, 0, &s, &sponsor));
    OK(initiative_source_add(w, cid, id, mem, 0, &k, &coll));
    /* the fund's answer, recorded by an organizer */
    OK(initiative_grant_update(w, cid, id, org, 1, grant, "granted", 150000));
    struct initiative_income_new in[] = {
        {"grant", grant, 150000, "2026-03-01", "перевод фонда"},
        {"sponsor", sponsor, 50000, "2026-03-05", "скидка на полку"},
        {"collection", coll, 35000, "2026-03-06", "ящик у почты"},
        {"collection", coll, 25000, "2026-03-09", "ящик у почты"},
        {"pledge", p1, 50000, "2026-03-11", ""},
        {"pledge", p3, 30000, "2026-03-12", ""},
    };
    for (size_t i = 0; i < HR_ARRAY_LEN(in); i++)
        OK(initiative_income_add(w, cid, id, mem, 0, &in[i]));
    return 0;
}
