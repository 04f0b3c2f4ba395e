/* The interaction log's SQL; see partner.h. Table in
 * src/sql/094_partner_log.sql. The texts are sealed in a secret
 * community; the responsible member is a member of the community, named
 * by their name there (unsealed as 'members.name'). */
#include "areas/partner/partner.h"
#include "core/util.h"

const char *const partner_log_kinds[] = {"request", "negotiation", "agreement", "conflict", NULL};
const char *const partner_log_statuses[] = {"open",     "waiting", "agreed", "refused",
                                            "conflict", "closed",  NULL};

json_t *plog_list(struct dbc *c, const struct vmask *m, int64_t cid, int64_t pid, int64_t today)
{
    static const char sql[] =
        "SELECT l.id, date(l.day, 'unixepoch') AS day,"
        " unseal(l.subject, l.community_id, 'partner_log.subject') AS subject, l.kind, l.status,"
        " unseal(l.outcome, l.community_id, 'partner_log.outcome') AS outcome,"
        " unseal(l.next_step, l.community_id, 'partner_log.next_step') AS next_step,"
        " date(l.next_due, 'unixepoch') AS next_due,"
        " coalesce(unseal(mb.name, mb.community_id, 'members.name'), '') AS responsible,"
        " l.next_due IS NOT NULL AND l.next_due < ?3"
        "  AND l.status IN ('open', 'waiting', 'conflict') AS overdue"
        " FROM partner_log l LEFT JOIN members mb ON mb.id = l.next_member_id"
        " WHERE l.partner_id = ?1 AND l.community_id = ?2 ORDER BY l.day DESC, l.id DESC";
    return db_view_rows(c, m, sql, "iii", pid, cid, today);
}

json_t *plog_find(struct dbc *c, int64_t cid, int64_t pid, int64_t id)
{
    static const char sql[] =
        "SELECT date(l.day, 'unixepoch') AS day,"
        " unseal(l.subject, l.community_id, 'partner_log.subject') AS subject, l.kind, l.status,"
        " unseal(l.outcome, l.community_id, 'partner_log.outcome') AS outcome,"
        " unseal(l.next_step, l.community_id, 'partner_log.next_step') AS next_step,"
        " date(l.next_due, 'unixepoch') AS next_due,"
        " coalesce(unseal(mb.name, mb.community_id, 'members.name'), '') AS next_member_name"
        " FROM partner_log l LEFT JOIN members mb ON mb.id = l.next_member_id"
        " WHERE l.id = ?1 AND l.partner_id = ?2 AND l.community_id = ?3";
    return db_row(c, sql, "iii", id, pid, cid);
}

/* No row written: the partner (or the entry) is not the community's, or
 * the member responsible is no member of it (any more). */
static enum wr why_not(struct dbc *w, int64_t cid, int64_t pid, int64_t id)
{
    static const char partner[] = "SELECT count(*) FROM partners WHERE id = ? AND community_id = ?";
    static const char entry[] =
        "SELECT count(*) FROM partner_log WHERE id = ? AND partner_id = ? AND community_id = ?";
    if (db_int(w, 0, partner, "ii", pid, cid) == 0) return WR_NOT_FOUND;
    if (id && db_int(w, 0, entry, "iii", id, pid, cid) == 0) return WR_NOT_FOUND;
    return wr_fail(w, WR_CONFLICT, "partner.error.member_gone");
}

/* The member condition both writes share: none, or a member of ?1. */
#define MEMBER_OK "(?9 = 0 OR EXISTS (SELECT 1 FROM members WHERE id = ?9 AND community_id = ?1))"

enum wr plog_add(struct dbc *w, int64_t cid, int64_t pid, const struct plog_in *in)
{
    static const char sql[] =
        "INSERT INTO partner_log(partner_id, community_id, day, subject, kind, status, outcome,"
        " next_step, next_due, next_member_id, created_at, updated_at)"
        " SELECT p.id, ?1, ?3, seal(?4, ?1, 'partner_log.subject'), ?5, ?6,"
        " seal(?7, ?1, 'partner_log.outcome'), seal(?8, ?1, 'partner_log.next_step'),"
        " nullif(?10, 0), nullif(?9, 0), ?11, ?11"
        " FROM partners p WHERE p.id = ?2 AND p.community_id = ?1 AND " MEMBER_OK;
    int n = db_exec(w, sql, "iiitttttiii", cid, pid, in->day, in->subject, in->kind, in->status,
                    in->outcome ? in->outcome : "", in->next_step ? in->next_step : "",
                    in->next_member, in->next_due, now_s());
    return n == 0 ? why_not(w, cid, pid, 0) : wr_changed(w, n, WR_DB);
}

enum wr plog_update(struct dbc *w, int64_t cid, int64_t pid, int64_t id, const struct plog_in *in)
{
    static const char sql[] =
        "UPDATE partner_log SET day = ?3, subject = seal(?4, ?1, 'partner_log.subject'),"
        " kind = ?5, status = ?6, outcome = seal(?7, ?1, 'partner_log.outcome'),"
        " next_step = seal(?8, ?1, 'partner_log.next_step'), next_due = nullif(?10, 0),"
        " next_member_id = nullif(?9, 0),"
        " updated_at = CASE WHEN day IS ?3 AND kind IS ?5 AND status IS ?6"
        "  AND unseal(subject, community_id, 'partner_log.subject') IS ?4"
        "  AND unseal(outcome, community_id, 'partner_log.outcome') IS ?7"
        "  AND unseal(next_step, community_id, 'partner_log.next_step') IS ?8"
        "  AND next_due IS nullif(?10, 0) AND next_member_id IS nullif(?9, 0)"
        "  THEN updated_at ELSE ?11 END"
        " WHERE id = ?12 AND partner_id = ?2 AND community_id = ?1 AND " MEMBER_OK;
    int n = db_exec(w, sql, "iiitttttiiii", cid, pid, in->day, in->subject, in->kind, in->status,
                    in->outcome ? in->outcome : "", in->next_step ? in->next_step : "",
                    in->next_member, in->next_due, now_s(), id);
    return n == 0 ? why_not(w, cid, pid, id) : wr_changed(w, n, WR_DB);
}

json_t *plog_overdue(struct dbc *c, const struct vmask *m, int64_t cid, int64_t today,
                     int64_t limit, int64_t offset)
{
    static const char sql[] =
        "SELECT l.id, l.partner_id, unseal(p.name, p.community_id, 'partners.name') AS partner,"
        " unseal(l.subject, l.community_id, 'partner_log.subject') AS subject, l.status,"
        " unseal(l.next_step, l.community_id, 'partner_log.next_step') AS next_step,"
        " date(l.next_due, 'unixepoch') AS next_due,"
        " coalesce(unseal(mb.name, mb.community_id, 'members.name'), '') AS responsible"
        " FROM partner_log l JOIN partners p ON p.id = l.partner_id"
        " LEFT JOIN members mb ON mb.id = l.next_member_id"
        " WHERE l.community_id = ?1 AND l.next_due IS NOT NULL AND l.next_due < ?2"
        " AND l.status IN ('open', 'waiting', 'conflict')"
        " ORDER BY l.next_due, l.id LIMIT ?3 OFFSET ?4";
    return db_view_rows(c, m, sql, "iiii", cid, today, limit, offset);
}

json_t *partner_steps_overdue(struct dbc *c, int64_t from, int64_t to)
{
    (void)to;
    /* only to an organizer: the notice leads to the partner's card, which
     * is the staff's (a member responsible for a step hears of it from
     * them); a step more than a month overdue is not announced again */
    static const char sql[] =
        "SELECT l.community_id, l.partner_id AS id, l.next_member_id AS member_id,"
        " l.next_due AS due FROM partner_log l JOIN members m ON m.id = l.next_member_id"
        " WHERE l.next_due IS NOT NULL AND l.next_due > ?1 - 30 * 86400"
        " AND l.next_due + 86400 <= ?1 AND l.status IN ('open', 'waiting', 'conflict')"
        " AND l.next_member_id IS NOT NULL AND m.role = 'organizer'";
    return db_rows(c, sql, "i", from);
}

int plog_seal_texts(struct dbc *w, int64_t community_id)
{
    static const char *const sql[] = {
        "UPDATE partner_log SET subject = seal(subject, ?1, 'partner_log.subject'),"
        " outcome = seal(outcome, ?1, 'partner_log.outcome'),"
        " next_step = seal(next_step, ?1, 'partner_log.next_step') WHERE community_id = ?1",
    };
    return db_exec_each(w, sql, sizeof sql / sizeof sql[0], community_id);
}
