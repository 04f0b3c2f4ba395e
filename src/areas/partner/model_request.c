/* The residents' requests' SQL; see partner.h. Tables in
 * src/sql/095_requests.sql.
 *
 * Who reads a request's personal details (its text, the contact, the
 * answer, the history's notes, who asked) is decided here, in every
 * statement that reads them, by MAY below: the resident who asked, and,
 * while they are organizers, the member handling it and the organizers the
 * community named as readers. Anyone else the statement gives NULL, so no
 * page can show what it was never given. */
#include "areas/partner/partner.h"
#include "core/util.h"

const char *const request_statuses[] = {"new",    "in_work", "answered", "initiative",
                                        "talent", "closed",  NULL};
const char *const request_channels[] = {"site", "phone", "email", "in_person", NULL};

/* ?1 the community, ?2 the viewer's member id, ?3 1 when the viewer is an
 * organizer; r the request. */
#define MAY                                                                                        \
    "(r.member_id = ?2 OR (?3 AND (r.handler_id = ?2 OR EXISTS (SELECT 1 FROM request_readers x"   \
    " WHERE x.community_id = r.community_id AND x.member_id = ?2))))"

enum wr rq_add(struct dbc *w, int64_t cid, int64_t member, const struct rq_in *in, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO resident_requests(community_id, origin, member_id, subject, body,"
        " answer_via, contact, created_at, updated_at) VALUES (?1, 'member', ?2,"
        " seal(?3, ?1, 'resident_requests.subject'), seal(?4, ?1, 'resident_requests.body'), ?5,"
        " seal(?6, ?1, 'resident_requests.contact'), ?7, ?7)";
    static const char hist[] = "INSERT INTO request_history(request_id, community_id, at,"
                               " member_id, status) VALUES (?, ?, ?, ?, 'new')";
    int64_t now = now_s();
    int n = db_exec(w, sql, "iitttti", cid, member, in->subject, in->body ? in->body : "",
                    in->answer_via, in->contact ? in->contact : "", now);
    if (n <= 0) return wr_changed(w, n, WR_DB);
    int64_t rid = db_last_id(w);
    if (id) *id = rid;
    return wr_changed(w, db_exec(w, hist, "iiii", rid, cid, now, member), WR_DB);
}

#define LIST_COLS                                                                                  \
    "SELECT r.id, unseal(r.subject, r.community_id, 'resident_requests.subject') AS subject,"      \
    " r.status, r.answer_via, date(r.created_at, 'unixepoch') AS created,"                         \
    " coalesce(unseal(h.name, h.community_id, 'members.name'), '') AS handler,"                    \
    " r.handler_id = ?2 AS is_handler, r.member_id = ?2 AS mine,"                                  \
    " CASE WHEN " MAY " THEN coalesce(unseal(a.name, a.community_id, 'members.name'), '')"         \
    " END AS resident"                                                                             \
    " FROM resident_requests r LEFT JOIN members h ON h.id = r.handler_id"                         \
    " LEFT JOIN members a ON a.id = r.member_id"

json_t *rq_list_staff(struct dbc *c, const struct vmask *m, int64_t cid, int64_t viewer,
                      const char *status, int64_t limit, int64_t offset)
{
    /* two statements, so that each has its index: (community, id) for all,
     * (community, status, id) for one status (an "?4 = '' OR" would scan
     * every request of the community for a page of one status) */
    static const char all[] =
        LIST_COLS " WHERE r.community_id = ?1 ORDER BY r.id DESC LIMIT ?4 OFFSET ?5";
    static const char one[] = LIST_COLS " WHERE r.community_id = ?1 AND r.status = ?6"
                                        " ORDER BY r.id DESC LIMIT ?4 OFFSET ?5";
    if (str_empty(status))
        return db_view_rows(c, m, all, "iiiii", cid, viewer, (int64_t)1, limit, offset);
    return db_view_rows(c, m, one, "iiiiit", cid, viewer, (int64_t)1, limit, offset, status);
}

json_t *rq_list_mine(struct dbc *c, const struct vmask *m, int64_t cid, int64_t viewer,
                     int64_t limit, int64_t offset)
{
    static const char sql[] = LIST_COLS " WHERE r.member_id = ?2 AND r.community_id = ?1"
                                        " ORDER BY r.id DESC LIMIT ?4 OFFSET ?5";
    return db_view_rows(c, m, sql, "iiiii", cid, viewer, (int64_t)0, limit, offset);
}

json_t *rq_card(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id, int64_t viewer,
                int staff)
{
    static const char sql[] =
        "SELECT r.id, unseal(r.subject, r.community_id, 'resident_requests.subject') AS subject,"
        " r.status, r.answer_via, r.origin, date(r.created_at, 'unixepoch') AS created,"
        " coalesce(unseal(h.name, h.community_id, 'members.name'), '') AS handler,"
        " r.handler_id = ?2 AS is_handler, r.member_id = ?2 AS mine, " MAY " AS may_read,"
        " CASE WHEN " MAY " THEN coalesce(unseal(a.name, a.community_id, 'members.name'), '')"
        " END AS resident,"
        " CASE WHEN " MAY " THEN unseal(r.body, r.community_id, 'resident_requests.body')"
        " END AS body,"
        " CASE WHEN " MAY " THEN unseal(r.contact, r.community_id, 'resident_requests.contact')"
        " END AS contact,"
        " CASE WHEN " MAY " THEN unseal(r.answer, r.community_id, 'resident_requests.answer')"
        " END AS answer,"
        " r.partner_id, unseal(p.name, p.community_id, 'partners.name') AS partner"
        " FROM resident_requests r LEFT JOIN members h ON h.id = r.handler_id"
        " LEFT JOIN members a ON a.id = r.member_id LEFT JOIN partners p ON p.id = r.partner_id"
        " WHERE r.id = ?4 AND r.community_id = ?1 AND (?3 OR r.member_id = ?2)";
    return db_view_row(c, m, sql, "iiii", cid, viewer, (int64_t)(staff != 0), id);
}

json_t *rq_history(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id, int64_t viewer,
                   int staff)
{
    static const char sql[] =
        "SELECT e.id, date(e.at, 'unixepoch') AS day, e.status,"
        " coalesce(unseal(b.name, b.community_id, 'members.name'), '') AS who,"
        " CASE WHEN " MAY " THEN unseal(e.note, e.community_id, 'request_history.note') END"
        " AS note"
        " FROM request_history e JOIN resident_requests r ON r.id = e.request_id"
        " LEFT JOIN members b ON b.id = e.member_id"
        " WHERE e.request_id = ?4 AND e.community_id = ?1 AND (?3 OR r.member_id = ?2)"
        " ORDER BY e.id";
    return db_view_rows(c, m, sql, "iiii", cid, viewer, (int64_t)(staff != 0), id);
}

static enum wr history(struct dbc *w, int64_t cid, int64_t id, int64_t by, const char *status,
                       const char *note)
{
    static const char sql[] =
        "INSERT INTO request_history(request_id, community_id, at, member_id, status, note)"
        " VALUES (?1, ?2, ?3, ?4, ?5, seal(?6, ?2, 'request_history.note'))";
    return wr_changed(w, db_exec(w, sql, "iiiitt", id, cid, now_s(), by, status, note ? note : ""),
                      WR_DB);
}

enum wr rq_triage(struct dbc *w, int64_t cid, int64_t id, int64_t by, const struct rq_triage *t)
{
    /* the handler an organizer of the community, the partner one of its
     * partners: what the form checked, held on the writer */
    static const char sql[] =
        "UPDATE resident_requests SET status = ?3, handler_id = nullif(?4, 0),"
        " partner_id = nullif(?5, 0), updated_at = ?6,"
        " closed_at = CASE WHEN ?3 = 'closed' THEN coalesce(closed_at, ?6) END"
        " WHERE id = ?2 AND community_id = ?1"
        " AND (?4 = 0 OR EXISTS (SELECT 1 FROM members WHERE id = ?4 AND community_id = ?1"
        "  AND role = 'organizer'))"
        " AND (?5 = 0 OR EXISTS (SELECT 1 FROM partners WHERE id = ?5 AND community_id = ?1))";
    static const char found[] =
        "SELECT count(*) FROM resident_requests WHERE id = ? AND community_id = ?";
    int n = db_exec(w, sql, "iitiii", cid, id, t->status, t->handler, t->partner, now_s());
    if (n == 0)
        return db_int(w, 0, found, "ii", id, cid) == 0
                   ? WR_NOT_FOUND
                   : wr_fail(w, WR_CONFLICT, "partner.error.triage_gone");
    if (n < 0) return wr_from_error(w);
    return history(w, cid, id, by, t->status, t->note);
}

enum wr rq_answer(struct dbc *w, int64_t cid, int64_t id, int64_t by, const char *answer)
{
    /* only who may read the request may answer it: the handler or a
     * named reader (the caller holds CAP_C_ORGANIZE: ?3 is 1) */
    static const char sql[] =
        "UPDATE resident_requests AS r SET answer = seal(?5, ?1, 'resident_requests.answer'),"
        " status = 'answered', updated_at = ?6 WHERE r.id = ?4 AND r.community_id = ?1 AND " MAY;
    static const char found[] =
        "SELECT count(*) FROM resident_requests WHERE id = ? AND community_id = ?";
    int n = db_exec(w, sql, "iiiiti", cid, by, (int64_t)1, id, answer, now_s());
    if (n == 0)
        return db_int(w, 0, found, "ii", id, cid) == 0
                   ? WR_NOT_FOUND
                   : wr_fail(w, WR_CONFLICT, "partner.error.not_reader");
    if (n < 0) return wr_from_error(w);
    return history(w, cid, id, by, "answered", NULL);
}

json_t *rq_readers(struct dbc *c, int64_t cid)
{
    static const char sql[] =
        "SELECT m.id, unseal(m.name, m.community_id, 'members.name') AS name,"
        " x.member_id IS NOT NULL AS reader FROM members m"
        " LEFT JOIN request_readers x ON x.community_id = m.community_id AND x.member_id = m.id"
        " WHERE m.community_id = ?1 AND m.role = 'organizer' ORDER BY m.id";
    return db_rows(c, sql, "i", cid);
}

int rq_is_reader(struct dbc *c, int64_t cid, int64_t member)
{
    static const char sql[] =
        "SELECT count(*) FROM request_readers WHERE community_id = ? AND member_id = ?";
    return db_int(c, 0, sql, "ii", cid, member) > 0;
}

enum wr rq_reader_set(struct dbc *w, int64_t cid, int64_t member, int on)
{
    static const char add[] =
        "INSERT OR IGNORE INTO request_readers(community_id, member_id)"
        " SELECT community_id, id FROM members WHERE id = ?2 AND community_id = ?1"
        " AND role = 'organizer'";
    static const char drop[] = "DELETE FROM request_readers WHERE community_id = ?1"
                               " AND member_id = ?2";
    static const char organizer[] = "SELECT count(*) FROM members WHERE id = ?2"
                                    " AND community_id = ?1 AND role = 'organizer'";
    if (db_int(w, 0, organizer, "ii", cid, member) == 0)
        return wr_fail(w, WR_CONFLICT, "partner.error.not_organizer");
    int n = db_exec(w, on ? add : drop, "ii", cid, member);
    return n < 0 ? wr_from_error(w) : WR_OK;
}

int rq_member_left(struct dbc *w, int64_t community_id)
{
    /* a resident who left takes their words along: the text, the contact
     * and the answer to them, and the notes about them */
    static const char *const sql[] = {
        "UPDATE request_history SET note = '' WHERE community_id = ?1 AND note != ''"
        " AND request_id IN (SELECT id FROM resident_requests WHERE community_id = ?1"
        "  AND origin = 'member' AND member_id IS NULL AND erased_at IS NULL)",
        "UPDATE resident_requests SET body = '', contact = '', answer = '',"
        " erased_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE community_id = ?1 AND origin = "
        "'member'"
        " AND member_id IS NULL AND erased_at IS NULL",
    };
    return db_exec_each(w, sql, sizeof sql / sizeof sql[0], community_id);
}

json_t *rq_person_export(struct dbc *c, int64_t account_id, int with_secret, const char *sealed)
{
    static const struct db_named_query parts[] = {
        {"requests",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(r.subject, r.community_id, 'resident_requests.subject') AS subject,"
         " unseal(r.body, r.community_id, 'resident_requests.body') AS body,"
         " r.answer_via, unseal(r.contact, r.community_id, 'resident_requests.contact') AS contact,"
         " r.status, unseal(r.answer, r.community_id, 'resident_requests.answer') AS answer,"
         " date(r.created_at, 'unixepoch') AS asked"
         " FROM " PERSON_MEMBERS " l JOIN resident_requests r ON r.member_id = l.member_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY r.id"},
        {0},
    };
    return db_rows_named(c, parts, account_id, with_secret, sealed ? sealed : "[]");
}

int rq_seal_texts(struct dbc *w, int64_t community_id)
{
    static const char *const sql[] = {
        "UPDATE resident_requests SET subject = seal(subject, ?1, 'resident_requests.subject'),"
        " body = seal(body, ?1, 'resident_requests.body'),"
        " contact = seal(contact, ?1, 'resident_requests.contact'),"
        " answer = seal(answer, ?1, 'resident_requests.answer') WHERE community_id = ?1",
        "UPDATE request_history SET note = seal(note, ?1, 'request_history.note')"
        " WHERE community_id = ?1",
    };
    return db_exec_each(w, sql, sizeof sql / sizeof sql[0], community_id);
}

int rq_is_organizer(struct dbc *c, int64_t cid, int64_t member)
{
    static const char sql[] = "SELECT count(*) FROM members WHERE id = ? AND community_id = ?"
                              " AND role = 'organizer'";
    return db_int(c, 0, sql, "ii", member, cid) > 0;
}
