/* The partners directory's SQL; see partner.h. Tables in
 * src/sql/093_partners.sql.
 *
 * Every free text goes through seal()/unseal() (core/sealtext.h): sealed
 * in a secret community, as typed elsewhere, with the same SQL. The list
 * is newest first, opening only the page's rows; a search by name opens
 * every name of the community (a few dozen partners, not thousands) in a
 * materialized CTE, looks into them folded and sorts the found by name. */
#include "areas/partner/partner.h"
#include "core/util.h"

const char *const partner_sectors[] = {
    "government",      "housing", "social",   "libraries", "fire",  "service_centre",
    "deputy",          "ngo",     "business", "culture",   "sport", "religion",
    "resource_centre", "media",   "other",    NULL,
};

/* A page of partners in the order of their ids, newest first: only the
 * page's rows are opened, and only the two texts the list shows (a sealed
 * text costs some 15,000 instructions to open; how to reach a partner is
 * on its card). */
static json_t *list_newest(struct dbc *c, const struct vmask *m, int64_t cid, int staff,
                           const char *sector, int64_t limit, int64_t offset)
{
    static const char sql[] =
        "SELECT id, unseal(name, community_id, 'partners.name') AS name, sector,"
        " unseal(territory, community_id, 'partners.territory') AS territory, is_public"
        " FROM partners WHERE community_id = ?1 AND (?2 OR is_public)"
        " AND (?3 = '' OR sector = ?3) ORDER BY id DESC LIMIT ?4 OFFSET ?5";
    return db_view_rows(c, m, sql, "iitii", cid, (int64_t)(staff != 0), sector, limit, offset);
}

json_t *partner_list(struct dbc *c, const struct vmask *m, int64_t cid, int staff,
                     const char *sector, const char *q, int64_t limit, int64_t offset)
{
    /* A search opens every name of the community (of the sector) to look
     * into it, and gives the found ones by name, without their territory:
     * opening the names is the search's whole cost already. */
    static const char sql[] =
        "WITH p AS MATERIALIZED (SELECT id, unseal(name, community_id, 'partners.name') AS name"
        "  FROM partners WHERE community_id = ?1 AND (?2 OR is_public)"
        "  AND (?3 = '' OR sector = ?3)),"
        " pg AS MATERIALIZED (SELECT id, name, fold(name) AS folded FROM p"
        "  WHERE instr(fold(name), fold(?4)) > 0 ORDER BY folded, id LIMIT ?5 OFFSET ?6)"
        " SELECT pg.id, pg.name, x.sector, x.is_public"
        " FROM pg JOIN partners x ON x.id = pg.id ORDER BY pg.folded, pg.id";
    if (!sector) sector = "";
    if (str_empty(q)) return list_newest(c, m, cid, staff, sector, limit, offset);
    return db_view_rows(c, m, sql, "iittii", cid, (int64_t)(staff != 0), sector, q, limit, offset);
}

json_t *partner_card(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id, int staff)
{
    static const char sql[] =
        "SELECT id, unseal(name, community_id, 'partners.name') AS name, sector,"
        " unseal(territory, community_id, 'partners.territory') AS territory,"
        " unseal(reach, community_id, 'partners.reach') AS reach,"
        " unseal(notes, community_id, 'partners.notes') AS notes, is_public"
        " FROM partners WHERE id = ?1 AND community_id = ?2 AND (?3 OR is_public)";
    return db_view_row(c, m, sql, "iii", id, cid, (int64_t)(staff != 0));
}

int partner_exists(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] = "SELECT count(*) FROM partners WHERE id = ? AND community_id = ?";
    return db_int(c, 0, sql, "ii", id, cid) > 0;
}

char *partner_name(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] = "SELECT unseal(name, community_id, 'partners.name')"
                              " FROM partners WHERE id = ? AND community_id = ?";
    return db_text(c, sql, "ii", id, cid);
}

enum wr partner_add(struct dbc *w, int64_t cid, const struct partner_in *in, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO partners(community_id, name, sector, territory, reach, notes, is_public,"
        " created_at, updated_at) VALUES (?1, seal(?2, ?1, 'partners.name'), ?3,"
        " seal(?4, ?1, 'partners.territory'), seal(?5, ?1, 'partners.reach'),"
        " seal(?6, ?1, 'partners.notes'), ?7, ?8, ?8)";
    int n = db_exec(w, sql, "itttttii", cid, in->name, in->sector,
                    in->territory ? in->territory : "", in->reach ? in->reach : "",
                    in->notes ? in->notes : "", (int64_t)(in->is_public != 0), now_s());
    if (n > 0 && id) *id = db_last_id(w);
    return wr_changed(w, n, WR_DB);
}

/* The stored partner is what ?2..?7 say (a form saved unchanged leaves
 * its time of change alone). */
#define SAME                                                                                       \
    "(unseal(name, community_id, 'partners.name') IS ?2 AND sector IS ?3"                          \
    " AND unseal(territory, community_id, 'partners.territory') IS ?4"                             \
    " AND unseal(reach, community_id, 'partners.reach') IS ?5"                                     \
    " AND unseal(notes, community_id, 'partners.notes') IS ?6 AND is_public IS ?7)"

enum wr partner_update(struct dbc *w, int64_t cid, int64_t id, const struct partner_in *in)
{
    static const char sql[] =
        "UPDATE partners SET name = seal(?2, ?1, 'partners.name'), sector = ?3,"
        " territory = seal(?4, ?1, 'partners.territory'), reach = seal(?5, ?1, 'partners.reach'),"
        " notes = seal(?6, ?1, 'partners.notes'), is_public = ?7,"
        " updated_at = CASE WHEN " SAME " THEN updated_at ELSE ?8 END"
        " WHERE id = ?9 AND community_id = ?1";
    int n = db_exec(w, sql, "itttttiii", cid, in->name, in->sector,
                    in->territory ? in->territory : "", in->reach ? in->reach : "",
                    in->notes ? in->notes : "", (int64_t)(in->is_public != 0), now_s(), id);
    return wr_changed(w, n, WR_NOT_FOUND);
}

enum wr partner_delete(struct dbc *w, int64_t cid, int64_t id)
{
    static const char sql[] = "DELETE FROM partners WHERE id = ? AND community_id = ?";
    return wr_changed(w, db_exec(w, sql, "ii", id, cid), WR_NOT_FOUND);
}

json_t *partner_contacts(struct dbc *c, const struct vmask *m, int64_t cid, int64_t pid)
{
    static const char sql[] =
        "SELECT id, unseal(name, community_id, 'partner_contacts.name') AS name,"
        " unseal(role, community_id, 'partner_contacts.role') AS role"
        " FROM partner_contacts WHERE partner_id = ?1 AND community_id = ?2 ORDER BY id";
    return db_view_rows(c, m, sql, "ii", pid, cid);
}

enum wr partner_contact_add(struct dbc *w, int64_t cid, int64_t pid, const char *name,
                            const char *role)
{
    /* the partner must be the community's: a form naming another
     * community's partner changes nothing (404) */
    static const char sql[] =
        "INSERT INTO partner_contacts(partner_id, community_id, name, role)"
        " SELECT id, community_id, seal(?3, ?2, 'partner_contacts.name'),"
        " seal(?4, ?2, 'partner_contacts.role') FROM partners WHERE id = ?1 AND community_id = ?2";
    return wr_changed(w, db_exec(w, sql, "iitt", pid, cid, name, role ? role : ""), WR_NOT_FOUND);
}

enum wr partner_contact_delete(struct dbc *w, int64_t cid, int64_t pid, int64_t id)
{
    static const char sql[] =
        "DELETE FROM partner_contacts WHERE id = ? AND partner_id = ? AND community_id = ?";
    return wr_changed(w, db_exec(w, sql, "iii", id, pid, cid), WR_NOT_FOUND);
}

int partner_seal_texts(struct dbc *w, int64_t community_id)
{
    static const char *const sql[] = {
        "UPDATE partners SET name = seal(name, ?1, 'partners.name'),"
        " territory = seal(territory, ?1, 'partners.territory'),"
        " reach = seal(reach, ?1, 'partners.reach'), notes = seal(notes, ?1, 'partners.notes')"
        " WHERE community_id = ?1",
        "UPDATE partner_contacts SET name = seal(name, ?1, 'partner_contacts.name'),"
        " role = seal(role, ?1, 'partner_contacts.role') WHERE community_id = ?1",
    };
    if (db_exec_each(w, sql, sizeof sql / sizeof sql[0], community_id) != 0) return -1;
    return plog_seal_texts(w, community_id) == 0 ? rq_seal_texts(w, community_id) : -1;
}
