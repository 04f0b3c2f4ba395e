/* The list of areas: the one file that names them all. The platform and
 * the community area reach each through its struct area (core/area.h), so
 * adding an area is a folder and a line here. */
#include "areas/areas.h"
#include "areas/account/account.h"
#include "areas/budget/budget.h"
#include "areas/community/community.h"
#include "areas/initiative/initiative.h"
#include "areas/meeting/meeting.h"
#include "areas/notify/notify.h"
#include "areas/partner/partner.h"
#include "areas/soc/soc.h"
#include "areas/strategy/strategy.h"
#include "areas/survey/survey.h"
#include "areas/talent/talent.h"
#include "core/ballot.h"
#include "core/db.h"

/* In this order: the demo and the bench data are made area by area, each
 * on what the ones before made; the dashboard shows sections and panels so. */
const struct area *const areas_all[] = {
    &account_area,    &community_area, &strategy_area, &soc_area,     &survey_area, &talent_area,
    &initiative_area, &meeting_area,   &budget_area,   &partner_area, &notify_area, NULL,
};

const struct route *areas_route(size_t i, enum scope *scope)
{
    for (const struct area *const *a = areas_all; *a; a++)
        for (const struct route_table *t = (*a)->routes; t && t->routes; t++)
            for (const struct route *rt = t->routes; rt->method; rt++)
                if (i-- == 0) {
                    if (scope) *scope = t->scope;
                    return rt;
                }
    return NULL;
}

int areas_demo(struct dbc *w)
{
    for (const struct area *const *a = areas_all; *a; a++)
        if ((*a)->demo && (*a)->demo(w) != 0) return -1;
    return 0;
}

int areas_member_left(struct dbc *w, int64_t community_id)
{
    for (const struct area *const *a = areas_all; *a; a++)
        if ((*a)->member_left && (*a)->member_left(w, community_id) != 0) return -1;
    return 0;
}

int areas_seal_texts(struct dbc *w, int64_t community_id)
{
    for (const struct area *const *a = areas_all; *a; a++)
        if ((*a)->seal_texts && (*a)->seal_texts(w, community_id) != 0) return -1;
    return 0;
}

int areas_upgrade(struct db *db)
{
    /* Ballot boxes whose time ran out while the server was stopped (or
     * that a migration left open past their dates) are closed and mixed
     * before anyone can see them. */
    struct dbc *w = db_write_begin(db);
    int rc = w ? ballot_close_due(w, now_s()) : -1;
    if (w && db_write_end(db, w, rc == 0) != 0) rc = -1;
    if (rc == 0) ballot_flush(db);
    for (const struct area *const *a = areas_all; *a && rc == 0; a++)
        if ((*a)->upgrade && (*a)->upgrade(db) != 0) rc = -1;
    return rc;
}
