/* Proposals and votes of assemblies. An open vote is a row of
 * assembly_votes (one a person: a second is refused, never counted); a
 * secret one is a ballot of the proposal's box (core/ballot.h), question
 * 0 with the values 0 for, 1 against, 2 abstain, so that no row ties a
 * person to a choice. Voting marks the voter present (the room, or
 * online), so that the count's base, those present, includes everyone who
 * voted. */
#include "areas/meeting/assembly.h"
#include "areas/community/community.h"
#include "areas/soc/soc.h"
#include "core/ballot.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum wr asm_proposal_add(struct dbc *w, int64_t cid, int64_t id, int64_t item,
                         const struct asm_proposal_new *p, int64_t *id_out)
{
    static const char count[] = "SELECT count(*) FROM assembly_proposals WHERE item_id = ?1";
    static const char sql[] =
        "INSERT INTO assembly_proposals(assembly_id, item_id, community_id, text, threshold,"
        " secrecy, created_at)"
        " SELECT s.id, i.id, s.community_id, seal(?4, s.community_id, 'assembly_proposals.text'),"
        " ?5, ?6, ?7 FROM assemblies s JOIN assembly_items i ON i.assembly_id = s.id AND i.id = ?3"
        " WHERE s.id = ?1 AND s.community_id = ?2 AND s.state <> 'closed'";
    if (str_eq(p->threshold, "consent") && !str_eq(p->secrecy, "open"))
        return wr_fail(w, WR_INVALID, "meeting.asm.error.consent_open");
    if (db_int(w, 0, count, "i", item) >= ASM_PROPOSALS_MAX)
        return wr_fail(w, WR_CONFLICT, "meeting.asm.error.too_many");
    int k = db_exec(w, sql, "iiittti", id, cid, item, p->text, p->threshold, p->secrecy, now_s());
    if (k < 0) return wr_from_error(w);
    if (k == 0) return WR_NOT_FOUND;
    if (id_out) *id_out = db_last_id(w);
    return WR_OK;
}

enum wr asm_voting_open(struct dbc *w, int64_t cid, int64_t id, int64_t proposal, int64_t minutes)
{
    static const char what[] = "SELECT p.secrecy, s.state, p.state FROM assembly_proposals p"
                               " JOIN assemblies s ON s.id = p.assembly_id"
                               " WHERE p.id = ?1 AND p.assembly_id = ?2 AND s.community_id = ?3";
    static const char sql[] =
        "UPDATE assembly_proposals SET state = 'voting', voting_closes_at = ?3,"
        " ballot_id = nullif(?4, 0) WHERE id = ?1 AND assembly_id = ?2 AND state = 'draft'";
    sqlite3_stmt *st = db_prepare(w, what, "iii", proposal, id, cid);
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        db_done(st);
        return WR_NOT_FOUND;
    }
    const char *sec = (const char *)sqlite3_column_text(st, 0);
    const char *as = (const char *)sqlite3_column_text(st, 1);
    const char *ps = (const char *)sqlite3_column_text(st, 2);
    int secret = str_eq(sec, "secret"), open = str_eq(as, "open"), draft = str_eq(ps, "draft");
    db_done(st);
    if (!open) return wr_fail(w, WR_CONFLICT, "meeting.asm.error.not_open");
    if (!draft) return wr_fail(w, WR_CONFLICT, "meeting.asm.error.state");
    if (minutes < 1 || minutes > ASM_WINDOW_MAX)
        return wr_fail(w, WR_INVALID, "meeting.asm.error.window");
    int64_t now = now_s(), closes = now + 60 * minutes, box = 0;
    if (secret) {
        struct ballot_spec spec = {.k = soc_k_of(w, cid), .opens_at = now, .closes_at = closes};
        box = ballot_open(w, &spec);
        int64_t *ids = NULL;
        int64_t n = box > 0 ? member_local_ids(w, cid, &ids) : -1;
        int rc = n < 0 ? -1 : ballot_roll_add_many(w, box, "m", ids, (size_t)n);
        free(ids);
        struct ballot_range r = {0, 0, 2};
        if (rc != 0 || ballot_domain(w, box, &r, 1) != 0) return WR_DB;
    }
    return wr_changed(w, db_exec(w, sql, "iiii", proposal, id, closes, box), WR_CONFLICT);
}

static enum wr of_ballot(struct dbc *w, enum ballot_rc rc)
{
    static const struct ballot_reasons why = {
        .closed = "meeting.asm.error.not_voting",
        .not_eligible = "meeting.asm.error.not_eligible",
        .already = "meeting.asm.error.voted",
        .invalid = "meeting.asm.error.choice",
    };
    return ballot_wr(w, rc, &why);
}

enum wr asm_vote(struct dbc *w, int64_t cid, int64_t id, int64_t proposal, int64_t member,
                 const char *choice, const char *reason, const char *how)
{
    static const char what[] =
        "SELECT p.state = 'voting' AND p.voting_closes_at > ?4, p.threshold, p.secrecy,"
        " coalesce(p.ballot_id, 0) FROM assembly_proposals p"
        " JOIN assemblies s ON s.id = p.assembly_id"
        " WHERE p.id = ?1 AND p.assembly_id = ?2 AND s.community_id = ?3";
    static const char put[] =
        "INSERT INTO assembly_votes(proposal_id, member_id, community_id, choice, reason, how,"
        " voted_at) VALUES (?1, ?2, ?3, ?4,"
        " CASE WHEN ?5 = '' THEN '' ELSE seal(?5, ?3, 'assembly_votes.reason') END, ?6, ?7)"
        " ON CONFLICT(proposal_id, member_id) DO NOTHING";
    static const char seen[] =
        "INSERT INTO assembly_presence(assembly_id, member_id, how, marked_at)"
        " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(assembly_id, member_id) DO NOTHING";
    int64_t now = now_s();
    sqlite3_stmt *st = db_prepare(w, what, "iiii", proposal, id, cid, now);
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        db_done(st);
        return WR_NOT_FOUND;
    }
    int live = sqlite3_column_int(st, 0);
    int consent = str_eq((const char *)sqlite3_column_text(st, 1), "consent");
    int secret = str_eq((const char *)sqlite3_column_text(st, 2), "secret");
    int64_t box = sqlite3_column_int64(st, 3);
    db_done(st);
    if (!live) return wr_fail(w, WR_CONFLICT, "meeting.asm.error.not_voting");
    if (consent) {
        /* consent: only objections are recorded, each with its reason */
        if (!str_eq(choice, "object")) return wr_fail(w, WR_INVALID, "meeting.asm.error.choice");
        if (!reason || !*reason) return wr_fail(w, WR_INVALID, "meeting.asm.error.reason");
    } else {
        int v = -1;
        for (int i = 0; asm_choices[i]; i++)
            if (str_eq(choice, asm_choices[i])) v = i;
        if (v < 0) return wr_fail(w, WR_INVALID, "meeting.asm.error.choice");
        reason = "";
        if (secret) {
            char voter[24];
            soc_voter(member, voter);
            const char *keys[] = {voter};
            struct ballot_mark mk = {0, v, NULL};
            enum wr rc = of_ballot(w, ballot_cast(w, cid, box, keys, 1, &mk, 1, now));
            if (rc != WR_OK) return rc;
            if (db_exec(w, seen, "iiti", id, member, how, now) < 0) return wr_from_error(w);
            return WR_OK;
        }
    }
    int k = db_exec(w, put, "iiittti", proposal, member, cid, choice, reason, how, now);
    if (k < 0) return wr_from_error(w);
    if (k == 0) return wr_fail(w, WR_CONFLICT, "meeting.asm.error.voted");
    if (db_exec(w, seen, "iiti", id, member, how, now) < 0) return wr_from_error(w);
    return WR_OK;
}

enum wr asm_voting_close(struct dbc *w, int64_t cid, int64_t id, int64_t proposal)
{
    static const char what[] =
        "SELECT p.threshold, p.secrecy, coalesce(p.ballot_id, 0),"
        " (SELECT count(*) FROM assembly_presence x WHERE x.assembly_id = p.assembly_id)"
        " FROM assembly_proposals p JOIN assemblies s ON s.id = p.assembly_id"
        " WHERE p.id = ?1 AND p.assembly_id = ?2 AND s.community_id = ?3 AND p.state = 'voting'";
    static const char counts[] =
        "SELECT coalesce(sum(choice = 'for'), 0), coalesce(sum(choice = 'against'), 0),"
        " coalesce(sum(choice = 'abstain'), 0), coalesce(sum(choice = 'object'), 0)"
        " FROM assembly_votes WHERE proposal_id = ?1";
    static const char done[] =
        "UPDATE assembly_proposals SET state = 'closed', yes = ?2, no = ?3, abstain = ?4,"
        " objections = ?5, present = ?6, adopted = ?7,"
        " voting_closes_at = min(voting_closes_at, ?8)"
        " WHERE id = ?1 AND state = 'voting'";
    sqlite3_stmt *st = db_prepare(w, what, "iii", proposal, id, cid);
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        db_done(st);
        return wr_fail(w, WR_CONFLICT, "meeting.asm.error.not_voting");
    }
    char threshold[16];
    snprintf(threshold, sizeof threshold, "%s", (const char *)sqlite3_column_text(st, 0));
    int secret = str_eq((const char *)sqlite3_column_text(st, 1), "secret");
    int64_t box = sqlite3_column_int64(st, 2), present = sqlite3_column_int64(st, 3);
    db_done(st);
    int64_t c[4] = {0, 0, 0, 0};
    int counted = 1;
    if (secret) {
        enum ballot_rc rc = ballot_close(w, box);
        if (rc != BALLOT_OK && rc != BALLOT_CLOSED) return WR_DB;
        struct ballot_info b;
        if (ballot_get(w, box, &b) != 0) return WR_DB;
        /* fewer ballots than the community's k: no count is shown */
        counted = ballot_dist_grid(w, &b, 1, 0, 2, c) == 0;
    } else {
        st = db_prepare(w, counts, "i", proposal);
        if (!st || sqlite3_step(st) != SQLITE_ROW) {
            db_done(st);
            return WR_DB;
        }
        for (int i = 0; i < 4; i++)
            c[i] = sqlite3_column_int64(st, i);
        db_done(st);
    }
    int adopted = counted ? asm_adopted(threshold, c[0], c[1], c[2], present, c[3]) : 0;
    if (adopted < 0) return WR_DB;
    enum wr rc = wr_changed(w,
                            db_exec(w, done, "iiiiiiii", proposal, c[0], c[1], c[2], c[3], present,
                                    (int64_t)adopted, now_s()),
                            WR_CONFLICT);
    if (rc == WR_OK && adopted && asm_decision_of_proposal(w, proposal) != 0) return WR_DB;
    return rc;
}

json_t *asm_proposals(struct dbc *c, const struct vmask *m, int64_t id, int64_t viewer)
{
    static const char sql[] =
        "SELECT p.id, p.item_id, unseal(p.text, p.community_id, 'assembly_proposals.text') AS text,"
        " p.threshold, p.secrecy, p.state, p.yes, p.no, p.abstain, p.objections, p.present,"
        " p.adopted, p.voting_closes_at,"
        " (SELECT v.choice FROM assembly_votes v WHERE v.proposal_id = p.id"
        "  AND v.member_id = ?2) AS mine, coalesce(p.ballot_id, 0) AS ballot_id"
        " FROM assembly_proposals p WHERE p.assembly_id = ?1 ORDER BY p.item_id, p.id LIMIT 4000";
    return db_view_rows(c, m, sql, "ii", id, viewer);
}

json_t *asm_votes(struct dbc *c, int64_t cid, int64_t id)
{
    /* the assembly's proposals first, then each one's votes by its key:
     * not every vote of the community through its index */
    static const char sql[] =
        "SELECT v.proposal_id, v.member_id,"
        " coalesce(unseal(m.name, m.community_id, 'members.name'), '') AS name, v.choice,"
        " CASE WHEN v.reason = '' THEN '' ELSE"
        "  unseal(v.reason, v.community_id, 'assembly_votes.reason') END AS reason, v.how"
        " FROM assembly_proposals p CROSS JOIN assembly_votes v ON v.proposal_id = p.id"
        " JOIN members m ON m.id = v.member_id"
        " WHERE p.assembly_id = ?1 AND +v.community_id = ?2 ORDER BY v.proposal_id, m.name"
        " LIMIT 50000";
    return db_rows(c, sql, "ii", id, cid);
}
