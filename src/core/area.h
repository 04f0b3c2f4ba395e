/*
 * The area contract: what an area is, in one struct.
 *
 * An area (account, community, strategy, ...) is a folder under src/areas
 * whose header exports one `const struct area`. The platform knows areas
 * only through this struct: src/areas/areas.c lists them, and every hook
 * below is optional (NULL). The community area, on which the others are
 * built, reaches their panels, sections and purges only through the list
 * in struct app, never by name.
 *
 * How to add an area: docs/architecture.md, "How to add an area", and the
 * skeleton in src/areas/skeleton.
 */
#ifndef HR_AREA_H
#define HR_AREA_H

#include "core/req.h"
#include <jansson.h>
#include <stdint.h>

struct db;
struct dbc;
struct bench_world;
struct notify_kind;

struct area {
    const char *name; /* "talent": the folder, the templates' prefix */
    /* The area's routes, each table in its scope; ends with routes NULL. */
    const struct route_table *routes;
    /* The scope this area owns and defines (SCOPE_INSTANCE: none). */
    enum scope owns;
    const struct scope_def *scope;

    /* The community dashboard's panel: panel_fill puts the panel's data
     * (never HTML) into panel and returns 1 to show it, 0 to leave it out;
     * the dashboard renders panel_tmpl with it under the title panel_title
     * (a catalog key). JSON clients get the data. */
    int (*panel_fill)(struct req *r, json_t *panel);
    const char *panel_tmpl, *panel_title;
    /* The section it adds to a community's navigation: "/talents" under
     * /c/{slug}, its label a catalog key. */
    const char *nav_path, *nav_label;

    /* Demo data, inside the demo's one write transaction: 0 on success. */
    int (*demo)(struct dbc *w);
    /* Benchmark data at scale, in batches of its own transactions. */
    int (*bench)(struct db *db, struct bench_world *bw);
    /* After every migration: what SQL alone cannot bring up to date. */
    int (*upgrade)(struct db *db);
    /* Before a community is deleted: what no foreign key or trigger
     * reaches (an FTS index), inside the delete's transaction. */
    int (*community_purge)(struct dbc *w, int64_t community_id);
    /* After a member row of the community was deleted (leaving, removal,
     * an account deleted), inside the same transaction: what the foreign
     * keys' cascade could not reach (an FTS index), so that a leaver's
     * texts are gone when the leaving commits, not at some later write. */
    int (*member_left)(struct dbc *w, int64_t community_id);
    /* When a community gets its data key (sealing, core/sealtext.h), inside
     * that transaction with the key held on w: seal in place every clear
     * text the area keeps of the community, each column by
     * "UPDATE t SET col = seal(col, community_id, 't.col') WHERE ...", and
     * replace what an index holds of them in clear. From then on the
     * area's SQL writes seal(?, ...) and reads unseal(col, ...). */
    int (*seal_texts)(struct dbc *w, int64_t community_id);
    /* "Download my data": what account wrote in this area, as a JSON value
     * of the area's own shape (an empty one when nothing), for the person's
     * own file; with_secret 0 leaves out what belongs to secret communities.
     * The caller owns the result; NULL on a database error, and then no
     * file is given rather than one with a part missing. */
    json_t *(*person_export)(struct dbc *c, int64_t account_id, int with_secret,
                             const char *sealed);
    /* The kinds of notice the area writes (core/notify.h), ended by one
     * whose name is NULL; NULL when it writes none. */
    const struct notify_kind *notify_kinds;
};

/* An account's members in every community, as a table (member_id,
 * community_id) for a query's FROM: its clear links (member_accounts) and
 * its sealed ones, the member ids of its keyring bound as a JSON array
 * (ring_viewer_member_ids(), core/keyring.h). In person_export's queries
 * the account is ?1 and the sealed ids ?3 (PERSON_MEMBERS). */
#define PERSON_MEMBERS_OF(account, sealed)                                                         \
    "(SELECT member_id, community_id FROM member_accounts WHERE account_id = " account             \
    " UNION ALL SELECT id, community_id FROM members"                                              \
    "  WHERE id IN (SELECT value FROM json_each(" sealed ")))"
#define PERSON_MEMBERS PERSON_MEMBERS_OF("?1", "?3")

/* Indexes the areas' routes and registers their scopes into app (routes,
 * scopes, areas): 0, or -1 when the routes are refused (logged). */
struct app;
int area_install(struct app *app, const struct area *const *areas);
void area_uninstall(struct app *app);

#endif
