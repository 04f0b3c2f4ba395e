/* Decisions of assemblies: recorded per item (an adopted proposal's text
 * when its vote closes, or written by the secretary), and the community's
 * register with each decision's status and the initiative made from it. */
#include "areas/meeting/assembly.h"
#include "core/util.h"

const char *const asm_decision_statuses[] = {"todo", "done", "not_done", NULL};

enum wr asm_decision_add(struct dbc *w, int64_t cid, int64_t id, int64_t item, const char *text,
                         int64_t *id_out)
{
    static const char count[] = "SELECT count(*) FROM assembly_decisions WHERE item_id = ?1";
    static const char sql[] =
        "INSERT INTO assembly_decisions(community_id, assembly_id, item_id, text, created_at)"
        " SELECT s.community_id, s.id, i.id, seal(?4, s.community_id, 'assembly_decisions.text'),"
        " ?5 FROM assemblies s JOIN assembly_items i ON i.assembly_id = s.id AND i.id = ?3"
        " WHERE s.id = ?1 AND s.community_id = ?2";
    if (db_int(w, 0, count, "i", item) >= ASM_PROPOSALS_MAX)
        return wr_fail(w, WR_CONFLICT, "meeting.asm.error.too_many");
    int k = db_exec(w, sql, "iiiti", id, cid, item, text, now_s());
    if (k < 0) return wr_from_error(w);
    if (k == 0) return WR_NOT_FOUND;
    if (id_out) *id_out = db_last_id(w);
    return WR_OK;
}

int asm_decision_of_proposal(struct dbc *w, int64_t proposal)
{
    static const char sql[] =
        "INSERT INTO assembly_decisions(community_id, assembly_id, item_id, proposal_id, text,"
        " created_at)"
        " SELECT p.community_id, p.assembly_id, p.item_id, p.id,"
        " seal(unseal(p.text, p.community_id, 'assembly_proposals.text'), p.community_id,"
        "  'assembly_decisions.text'), ?2"
        " FROM assembly_proposals p WHERE p.id = ?1 AND p.adopted = 1"
        " ON CONFLICT(proposal_id) DO NOTHING";
    return db_exec(w, sql, "ii", proposal, now_s()) < 0 ? -1 : 0;
}

enum wr asm_decision_set(struct dbc *w, int64_t cid, int64_t id, const char *status,
                         int64_t initiative)
{
    static const char known[] =
        "SELECT count(*) FROM initiatives WHERE id = ?1 AND community_id = ?2";
    static const char sql[] = "UPDATE assembly_decisions SET status = ?3,"
                              " initiative_id = nullif(?4, 0) WHERE id = ?1 AND community_id = ?2";
    if (initiative && db_int(w, 0, known, "ii", initiative, cid) != 1)
        return wr_fail(w, WR_INVALID, "meeting.asm.error.initiative");
    return wr_changed(w, db_exec(w, sql, "iiti", id, cid, status, initiative), WR_NOT_FOUND);
}

json_t *asm_decisions(struct dbc *c, const struct vmask *m, int64_t id)
{
    static const char sql[] =
        "SELECT d.id, d.item_id, unseal(d.text, d.community_id, 'assembly_decisions.text') AS text,"
        " d.status, d.initiative_id, d.proposal_id"
        " FROM assembly_decisions d WHERE d.assembly_id = ?1 ORDER BY d.item_id, d.id LIMIT 4000";
    return db_view_rows(c, m, sql, "i", id);
}

json_t *asm_register(struct dbc *c, const struct vmask *m, int64_t cid, const char *status,
                     int64_t limit, int64_t offset)
{
    static const char sql[] =
        "SELECT d.id, unseal(d.text, d.community_id, 'assembly_decisions.text') AS text,"
        " d.status, d.initiative_id, s.event_id,"
        " unseal(e.title, e.community_id, 'events.title') AS event_title,"
        " unseal(i.title, i.community_id, 'assembly_items.title') AS item_title,"
        " (SELECT min(o.starts_at) FROM event_occurrences o WHERE o.event_id = e.id) AS starts_at,"
        " e.zone"
        " FROM assembly_decisions d JOIN assemblies s ON s.id = d.assembly_id"
        " JOIN events e ON e.id = s.event_id JOIN assembly_items i ON i.id = d.item_id"
        " WHERE d.community_id = ?1 AND (?2 = '' OR d.status = ?2)"
        " ORDER BY d.id DESC LIMIT ?3 OFFSET ?4";
    return db_view_rows(c, m, sql, "itii", cid, status ? status : "", limit, offset);
}
