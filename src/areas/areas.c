/* The list of areas; see areas.h. */
#include "areas/areas.h"
#include "core/ballot.h"
#include "areas/account/account.h"
#include "areas/community/community.h"
#include "areas/demo.h"
#include "areas/strategy/strategy.h"
#include "areas/soc/soc.h"
#include "areas/survey/survey.h"
#include "areas/talent/talent.h"
#include "core/db.h"
#include "core/render.h"

const struct route *const areas_routes[] = {
    account_routes,
    community_routes,
    community_member_routes,
    strategy_routes,
    soc_routes,
    survey_routes,
    /* the help and club tables before /talents/{id}, which would catch them */
    talent_help_routes,
    talent_club_routes,
    talent_routes,
    NULL,
};

/* Each area's dashboard panel, in the order they appear. */
static void (*const dashboard_panels[])(struct req *r, json_t *view) = {
    strategy_dashboard_panel,
    soc_dashboard_panel,
    talent_dashboard_panel,
    NULL,
};

/* The sections of a community each area adds to its navigation. */
static const struct {
    const char *path, *label_key;
} area_links[] = {
    {"/strategy", "strategy.title"}, {"/soc", "soc.link"}, {"/surveys", "survey.nav"},
    {"/talents", "talent.title"},    {NULL, NULL},
};

void areas_dashboard(struct req *r, json_t *view)
{
    json_t *links = json_array();
    for (int i = 0; area_links[i].path; i++)
        json_array_append_new(links, json_pack("{ss ss}", "path", area_links[i].path, "label",
                                               tr(r, area_links[i].label_key)));
    json_object_set_new(view, "areas", links);
    if (!json_object_get(view, "panels")) json_object_set_new(view, "panels", json_array());
    for (int i = 0; dashboard_panels[i]; i++)
        dashboard_panels[i](r, view);
}

int areas_demo(struct dbc *w)
{
    static int (*const steps[])(struct dbc *) = {demo_platform, demo_strategy, demo_soc,
                                                 demo_survey,   demo_talent,   NULL};
    for (int i = 0; steps[i]; i++)
        if (steps[i](w) != 0) return -1;
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
    return rc == 0 ? talent_words_backfill(db) : -1;
}

int areas_community_delete(struct dbc *w, int64_t community_id)
{
    /* What no foreign key or trigger reaches goes first, area by area;
     * then the community, whose rows cascade through every area. */
    if (talent_community_purge(w, community_id) != 0) return -1;
    return community_delete(w, community_id);
}
