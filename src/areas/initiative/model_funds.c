/* Fundraising's writes and reads (migration 090): treasurers, pledges,
 * sources, money received and spent. See funds.h and
 * docs/architecture.md ("Initiatives: fundraising and the transparency
 * report"). */
#include "areas/initiative/funds.h"
#include "core/form.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const initiative_source_kinds[] = {"grant", "sponsor", "collection", NULL};
const char *const initiative_grant_statuses[] = {"preparing", "sent", "granted", "refused", NULL};
const char *const initiative_income_sources[] = {"pledge",     "grant", "sponsor",
                                                 "collection", "other", NULL};

#define NAME_OF(alias, col)                                                                        \
    "coalesce(unseal(" alias ".name, " alias ".community_id, 'members.name'), '') AS " col

/* Who keeps the books of initiative ?1: an organizer (?4, the route's
 * capability) or one of its treasurers (?3, a member id). */
#define MAY_FUND                                                                                   \
    " (?4 OR EXISTS (SELECT 1 FROM initiative_treasurers t WHERE t.initiative_id = ?1"             \
    "  AND t.member_id = ?3))"
/* Initiative ?1 of community ?2 at work, and ?3 may keep its books. */
#define FUND_OK                                                                                    \
    " EXISTS (SELECT 1 FROM initiatives i WHERE i.id = ?1 AND i.community_id = ?2"                 \
    "  AND i.state = 'work' AND" MAY_FUND ")"

static const char *txt(const char *s)
{
    return s ? s : "";
}

/* Why a write of the books changed nothing: 404 gone, 409 not at work, 409
 * not a treasurer; WR_OK when both hold. */
static enum wr fund_why(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer)
{
    static const char sql[] = "SELECT (i.state = 'work') + 2 *" MAY_FUND
                              " FROM initiatives i WHERE i.id = ?1 AND i.community_id = ?2";
    int64_t s = db_int(w, -1, sql, "iiii", id, cid, by, (int64_t)(organizer != 0));
    if (s < 0) return WR_NOT_FOUND;
    if (!(s & 1)) return wr_fail(w, WR_CONFLICT, "initiative.error.not_at_work");
    if (!(s & 2)) return wr_fail(w, WR_CONFLICT, "initiative.error.not_treasurer");
    return WR_OK;
}

/* n > 0 done; 0 asked why, then `none` with `why` when the books were the
 * writer's; < 0 the database's error. */
static enum wr fund_done(struct dbc *w, int n, int64_t cid, int64_t id, int64_t by, int organizer,
                         enum wr none, const char *why)
{
    if (n < 0) return wr_from_error(w);
    if (n > 0) return WR_OK;
    enum wr rc = fund_why(w, cid, id, by, organizer);
    if (rc != WR_OK) return rc;
    return why ? wr_fail(w, none, why) : none;
}

int initiative_is_treasurer(struct dbc *c, int64_t id, int64_t member)
{
    static const char sql[] =
        "SELECT 1 FROM initiative_treasurers WHERE initiative_id = ? AND member_id = ?";
    return member > 0 && db_int(c, 0, sql, "ii", id, member) == 1;
}

enum wr initiative_treasurer_set(struct dbc *w, int64_t cid, int64_t id, int64_t member, int on)
{
    static const char add[] =
        "INSERT INTO initiative_treasurers(initiative_id, member_id, community_id)"
        " SELECT ?1, ?3, ?2 WHERE EXISTS (SELECT 1 FROM initiatives i WHERE i.id = ?1"
        "  AND i.community_id = ?2 AND i.state IN ('work', 'done'))"
        " AND EXISTS (SELECT 1 FROM members m WHERE m.id = ?3 AND m.community_id = ?2)"
        " ON CONFLICT DO NOTHING";
    static const char del[] = "DELETE FROM initiative_treasurers WHERE initiative_id = ?1"
                              " AND community_id = ?2 AND member_id = ?3";
    static const char there[] = "SELECT (SELECT count(*) FROM initiatives WHERE id = ?1"
                                " AND community_id = ?2 AND state IN ('work', 'done'))"
                                " + 2 * (SELECT count(*) FROM members WHERE id = ?3"
                                " AND community_id = ?2)";
    int n = db_exec(w, on ? add : del, "iii", id, cid, member);
    if (n < 0) return wr_from_error(w);
    if (n > 0) return WR_OK;
    int64_t s = db_int(w, 0, there, "iii", id, cid, member);
    if (!(s & 1)) return WR_NOT_FOUND;
    if (!(s & 2)) return wr_fail(w, WR_CONFLICT, "error.bad_choice");
    return on ? WR_OK : WR_NOT_FOUND; /* named already: as it is */
}

/* ---- pledges ---- */

enum wr initiative_pledge_add(struct dbc *w, int64_t cid, int64_t id, int64_t member,
                              const struct initiative_pledge_new *p, int64_t *pledge)
{
    static const char sql[] =
        "INSERT INTO initiative_pledges(initiative_id, community_id, member_id, line_id, money,"
        " hours, materials, created_at)"
        " SELECT ?1, ?2, ?3, nullif(?4, 0), ?5, ?6,"
        " CASE WHEN ?7 = '' THEN '' ELSE seal(?7, ?2, 'initiative_pledges.materials') END, ?8"
        " WHERE EXISTS (SELECT 1 FROM initiatives i WHERE i.id = ?1 AND i.community_id = ?2"
        "  AND i.state = 'work')"
        " AND (?4 = 0 OR EXISTS (SELECT 1 FROM initiative_budget_lines b WHERE b.id = ?4"
        "  AND b.initiative_id = ?1))";
    static const char state[] =
        "SELECT state = 'work' FROM initiatives WHERE id = ? AND community_id = ?";
    if (p->money <= 0 && p->hours <= 0 && txt(p->materials)[0] == 0)
        return wr_fail(w, WR_CONFLICT, "initiative.error.pledge_empty");
    int n = db_exec(w, sql, "iiiiiiti", id, cid, member, p->line, p->money, p->hours,
                    txt(p->materials), now_s());
    if (n < 0) return wr_from_error(w);
    if (n > 0) {
        if (pledge) *pledge = db_last_id(w);
        return WR_OK;
    }
    int64_t s = db_int(w, -1, state, "ii", id, cid);
    if (s < 0) return WR_NOT_FOUND;
    return wr_fail(w, WR_CONFLICT,
                   s ? "initiative.error.line_gone" : "initiative.error.not_at_work");
}

enum wr initiative_pledge_withdraw(struct dbc *w, int64_t cid, int64_t id, int64_t member,
                                   int64_t pledge)
{
    /* kept in the history first (migration 089), its materials as sealed */
    static const char keep[] =
        "INSERT INTO initiative_pledges_withdrawn(initiative_id, community_id, member_id, line_id,"
        " money, hours, materials, pledged_at, withdrawn_at)"
        " SELECT initiative_id, community_id, member_id, line_id, money, hours, materials,"
        " created_at, ?5 FROM initiative_pledges WHERE id = ?1 AND initiative_id = ?2"
        " AND community_id = ?3 AND member_id = ?4 AND fulfilled_at IS NULL";
    static const char sql[] = "DELETE FROM initiative_pledges WHERE id = ?1 AND initiative_id = ?2"
                              " AND community_id = ?3 AND member_id = ?4 AND fulfilled_at IS NULL";
    static const char fulfilled[] =
        "SELECT fulfilled_at IS NOT NULL FROM initiative_pledges WHERE id = ?1"
        " AND initiative_id = ?2 AND community_id = ?3 AND member_id = ?4";
    if (db_exec(w, keep, "iiiii", pledge, id, cid, member, now_s()) < 0) return wr_from_error(w);
    int n = db_exec(w, sql, "iiii", pledge, id, cid, member);
    if (n < 0) return wr_from_error(w);
    if (n > 0) return WR_OK;
    if (db_int(w, 0, fulfilled, "iiii", pledge, id, cid, member) == 1)
        return wr_fail(w, WR_CONFLICT, "initiative.error.pledge_fulfilled");
    return WR_NOT_FOUND;
}

enum wr initiative_pledge_fulfil(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                                 int64_t pledge)
{
    static const char sql[] =
        "UPDATE initiative_pledges SET fulfilled_at = ?6, fulfilled_by = ?3"
        " WHERE id = ?5 AND initiative_id = ?1 AND community_id = ?2 AND fulfilled_at IS NULL"
        " AND" FUND_OK;
    static const char there[] = "SELECT fulfilled_at IS NOT NULL FROM initiative_pledges WHERE id "
                                "= ? AND initiative_id = ?";
    int n = db_exec(w, sql, "iiiiii", id, cid, by, (int64_t)(organizer != 0), pledge, now_s());
    enum wr rc = fund_done(w, n, cid, id, by, organizer, WR_NOT_FOUND, NULL);
    if (rc == WR_NOT_FOUND && db_int(w, 0, there, "ii", pledge, id) == 1)
        return wr_fail(w, WR_CONFLICT, "initiative.error.pledge_fulfilled");
    return rc;
}

/* ---- sources ---- */

enum wr initiative_source_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                              const struct initiative_source_new *s, int64_t *source)
{
    static const char sql[] =
        "INSERT INTO initiative_sources(initiative_id, community_id, kind, name, amount, deadline,"
        " status, granted, member_id, created_at)"
        " SELECT ?1, ?2, ?5, seal(?6, ?2, 'initiative_sources.name'), ?7, nullif(?8, ''),"
        " CASE WHEN ?5 = 'grant' THEN ?9 END,"
        " CASE WHEN ?5 = 'grant' AND ?10 >= 0 THEN ?10 END, ?3, ?11"
        " WHERE" FUND_OK;
    int grant = str_eq(s->kind, "grant");
    int n = db_exec(w, sql, "iiiittittii", id, cid, by, (int64_t)(organizer != 0), s->kind, s->name,
                    s->amount, txt(s->deadline), grant ? txt(s->status) : "preparing",
                    grant ? s->granted : (int64_t)-1, now_s());
    if (n > 0 && source) *source = db_last_id(w);
    return fund_done(w, n, cid, id, by, organizer, WR_CONFLICT, NULL);
}

enum wr initiative_grant_update(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                                int64_t source, const char *status, int64_t granted)
{
    static const char sql[] =
        "UPDATE initiative_sources SET status = ?6, granted = CASE WHEN ?7 < 0 THEN NULL"
        " ELSE ?7 END WHERE id = ?5 AND initiative_id = ?1 AND community_id = ?2"
        " AND kind = 'grant' AND" FUND_OK;
    int n =
        db_exec(w, sql, "iiiiiti", id, cid, by, (int64_t)(organizer != 0), source, status, granted);
    return fund_done(w, n, cid, id, by, organizer, WR_NOT_FOUND, NULL);
}

/* ---- money received and spent ---- */

enum wr initiative_income_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                              const struct initiative_income_new *in)
{
    /* the pledge or the source named is the initiative's, of that kind */
    static const char sql[] =
        "INSERT INTO initiative_income(initiative_id, community_id, source, pledge_id, source_id,"
        " amount, day, note, member_id, created_at)"
        " SELECT ?1, ?2, ?5, CASE WHEN ?5 = 'pledge' THEN nullif(?6, 0) END,"
        " CASE WHEN ?5 IN ('grant', 'sponsor', 'collection') THEN ?6 END, ?7, ?8,"
        " CASE WHEN ?9 = '' THEN '' ELSE seal(?9, ?2, 'initiative_income.note') END, ?3, ?10"
        " WHERE" FUND_OK " AND CASE"
        "  WHEN ?5 = 'other' THEN ?6 = 0"
        "  WHEN ?5 = 'pledge' THEN ?6 = 0 OR EXISTS (SELECT 1 FROM initiative_pledges p"
        "   WHERE p.id = ?6 AND p.initiative_id = ?1)"
        "  ELSE EXISTS (SELECT 1 FROM initiative_sources s WHERE s.id = ?6"
        "   AND s.initiative_id = ?1 AND s.kind = ?5) END";
    static const char fulfil[] =
        "UPDATE initiative_pledges SET fulfilled_at = ?3, fulfilled_by = ?4"
        " WHERE id = ?1 AND initiative_id = ?2 AND fulfilled_at IS NULL";
    int pledge = str_eq(in->source, "pledge"), other = str_eq(in->source, "other");
    if (!pledge && !other && in->ref <= 0)
        return wr_fail(w, WR_CONFLICT, "initiative.error.ref_needed");
    int n = db_exec(w, sql, "iiiitiitti", id, cid, by, (int64_t)(organizer != 0), in->source,
                    in->ref, in->amount, in->day, txt(in->note), now_s());
    enum wr rc = fund_done(w, n, cid, id, by, organizer, WR_CONFLICT, "initiative.error.ref_gone");
    if (rc == WR_OK && pledge && in->ref > 0 &&
        db_exec(w, fulfil, "iiii", in->ref, id, now_s(), by) < 0)
        return wr_from_error(w);
    return rc;
}

enum wr initiative_funds_spend(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                               const struct initiative_spending_new *s)
{
    static const char sql[] =
        "INSERT INTO initiative_spending(line_id, initiative_id, community_id, member_id, amount,"
        " day, note)"
        " SELECT ?5, ?1, ?2, ?3, ?6, ?7,"
        " CASE WHEN ?8 = '' THEN '' ELSE seal(?8, ?2, 'initiative_spending.note') END"
        " WHERE" FUND_OK " AND EXISTS (SELECT 1 FROM initiative_budget_lines b"
        "  WHERE b.id = ?5 AND b.initiative_id = ?1)";
    int n = db_exec(w, sql, "iiiiiitt", id, cid, by, (int64_t)(organizer != 0), s->line, s->amount,
                    s->day, txt(s->note));
    return fund_done(w, n, cid, id, by, organizer, WR_CONFLICT, "initiative.error.line_gone");
}

/* ---- reads ---- */

json_t *initiative_pledge_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id,
                               int64_t viewer, int64_t limit, int64_t offset)
{
    static const char sql[] = "SELECT p.id AS entry, " NAME_OF(
        "mb", "who") ", p.member_id IS NULL AS former,"
                     " p.member_id = ?3 AS mine,"
                     " CASE WHEN b.id IS NULL THEN NULL ELSE"
                     "  unseal(b.name, b.community_id, 'initiative_budget_lines.name') END AS line,"
                     " p.money, p.hours, CASE WHEN p.materials = '' THEN '' ELSE"
                     "  unseal(p.materials, p.community_id, 'initiative_pledges.materials') END AS "
                     "materials,"
                     " p.fulfilled_at IS NOT NULL AS fulfilled, date(p.created_at, 'unixepoch') AS "
                     "created"
                     " FROM initiative_pledges p LEFT JOIN members mb ON mb.id = p.member_id"
                     " LEFT JOIN initiative_budget_lines b ON b.id = p.line_id"
                     " WHERE p.initiative_id = ?1 AND p.community_id = ?2 ORDER BY p.id"
                     " LIMIT ?4 OFFSET ?5";
    return db_view_rows(c, m, sql, "iiiii", id, cid, viewer, limit, offset);
}

json_t *initiative_withdrawn_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id,
                                  int64_t viewer, int all, int64_t limit, int64_t offset)
{
    static const char sql[] = "SELECT " NAME_OF(
        "mb",
        "who") ", p.member_id IS NULL AS former, p.member_id = ?3 AS mine,"
               " CASE WHEN b.id IS NULL THEN NULL ELSE"
               "  unseal(b.name, b.community_id, 'initiative_budget_lines.name') END AS line,"
               " p.money, p.hours, CASE WHEN p.materials = '' THEN '' ELSE"
               "  unseal(p.materials, p.community_id, 'initiative_pledges.materials') END AS "
               "materials,"
               " date(p.pledged_at, 'unixepoch') AS pledged, date(p.withdrawn_at, 'unixepoch') AS "
               "withdrawn"
               " FROM initiative_pledges_withdrawn p LEFT JOIN members mb ON mb.id = p.member_id"
               " LEFT JOIN initiative_budget_lines b ON b.id = p.line_id"
               " WHERE p.initiative_id = ?1 AND p.community_id = ?2 AND (?4 OR p.member_id = ?3)"
               " ORDER BY p.id DESC LIMIT ?5 OFFSET ?6";
    return db_view_rows(c, m, sql, "iiiiii", id, cid, viewer, (int64_t)(all != 0), limit, offset);
}

json_t *initiative_source_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id,
                               int64_t limit, int64_t offset)
{
    static const char sql[] =
        "SELECT s.id AS entry, s.kind, unseal(s.name, s.community_id, 'initiative_sources.name')"
        " AS name, s.amount, s.deadline, s.status, s.granted,"
        " (SELECT coalesce(sum(x.amount), 0) FROM initiative_income x WHERE x.source_id = s.id)"
        " AS received FROM initiative_sources s WHERE s.initiative_id = ?1 AND s.community_id = ?2"
        " ORDER BY s.id LIMIT ?3 OFFSET ?4";
    return db_view_rows(c, m, sql, "iiii", id, cid, limit, offset);
}

json_t *initiative_income_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id,
                               int64_t limit, int64_t offset)
{
    static const char sql[] =
        "SELECT x.day, x.source, CASE WHEN s.id IS NULL THEN NULL ELSE"
        "  unseal(s.name, s.community_id, 'initiative_sources.name') END AS what, x.amount,"
        " CASE WHEN x.note = '' THEN '' ELSE"
        "  unseal(x.note, x.community_id, 'initiative_income.note') END AS note,"
        " " NAME_OF(
            "mb",
            "who") ", x.member_id IS NULL AS former"
                   " FROM initiative_income x LEFT JOIN initiative_sources s ON s.id = x.source_id"
                   " LEFT JOIN members mb ON mb.id = x.member_id"
                   " WHERE x.initiative_id = ?1 AND x.community_id = ?2 ORDER BY x.day, x.id"
                   " LIMIT ?3 OFFSET ?4";
    return db_view_rows(c, m, sql, "iiii", id, cid, limit, offset);
}

json_t *initiative_treasurer_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id)
{
    static const char sql[] = "SELECT t.member_id AS entry, " NAME_OF(
        "mb", "name") " FROM initiative_treasurers t JOIN members mb ON mb.id = t.member_id"
                      " WHERE t.initiative_id = ?1 AND t.community_id = ?2"
                      " ORDER BY t.member_id LIMIT 100";
    return db_view_rows(c, m, sql, "ii", id, cid);
}

const char *const initiative_currencies[] = {"RUB", "BYN", "UAH", "KZT", "EUR", "USD", "PLN", NULL};

enum wr initiative_currency_set(struct dbc *w, int64_t cid, const char *currency)
{
    /* RUB and the default threshold are no row, as the threshold alone
     * was before (initiative_threshold_set) */
    static const char del[] =
        "DELETE FROM initiative_settings WHERE community_id = ?1 AND threshold = ?2";
    static const char keep[] = "UPDATE initiative_settings SET currency = 'RUB'"
                               " WHERE community_id = ?1 AND currency <> 'RUB'";
    static const char put[] =
        "INSERT INTO initiative_settings(community_id, threshold, currency) VALUES (?1, ?2, ?3)"
        " ON CONFLICT(community_id) DO UPDATE SET currency = excluded.currency"
        " WHERE currency <> excluded.currency";
    int n;
    if (!currency || form_choice_index(initiative_currencies, currency) < 0)
        return wr_fail(w, WR_INVALID, "error.bad_choice");
    if (strcmp(currency, "RUB") == 0) {
        n = db_exec(w, del, "ii", cid, (int64_t)INITIATIVE_THRESHOLD_DEFAULT);
        if (n >= 0) n = db_exec(w, keep, "i", cid);
    } else {
        n = db_exec(w, put, "iit", cid, (int64_t)INITIATIVE_THRESHOLD_DEFAULT, currency);
    }
    return n < 0 ? wr_from_error(w) : WR_OK;
}

char *initiative_currency(struct dbc *c, int64_t cid)
{
    static const char sql[] =
        "SELECT coalesce((SELECT currency FROM initiative_settings WHERE community_id = ?), 'RUB')";
    char *s = db_text(c, sql, "i", cid);
    return s ? s : strdup("RUB");
}

/* ---- the report ---- */

void initiative_report_close(struct initiative_report *r)
{
    r->income_total = 0;
    for (int i = 0; i < INITIATIVE_INCOME_SOURCES; i++)
        r->income_total += r->income[i];
    r->left = r->income_total - r->spent;
    r->unfunded = r->planned > r->income_total ? r->planned - r->income_total : 0;
}

int initiative_report_read(struct dbc *c, int64_t cid, int64_t id, struct initiative_report *r)
{
    /* one row of every sum; the income's by source in the order of
     * initiative_income_sources */
    static const char sql[] =
        "SELECT"
        " (SELECT coalesce(sum(amount), 0) FROM initiative_income WHERE initiative_id = ?1"
        "  AND source = 'pledge') AS s0,"
        " (SELECT coalesce(sum(amount), 0) FROM initiative_income WHERE initiative_id = ?1"
        "  AND source = 'grant') AS s1,"
        " (SELECT coalesce(sum(amount), 0) FROM initiative_income WHERE initiative_id = ?1"
        "  AND source = 'sponsor') AS s2,"
        " (SELECT coalesce(sum(amount), 0) FROM initiative_income WHERE initiative_id = ?1"
        "  AND source = 'collection') AS s3,"
        " (SELECT coalesce(sum(amount), 0) FROM initiative_income WHERE initiative_id = ?1"
        "  AND source = 'other') AS s4,"
        " (SELECT coalesce(sum(amount), 0) FROM initiative_budget_lines WHERE initiative_id = ?1) "
        "AS s5,"
        " (SELECT coalesce(sum(amount), 0) FROM initiative_spending WHERE initiative_id = ?1) AS "
        "s6,"
        " (SELECT count(*) FROM initiative_pledges WHERE initiative_id = ?1) AS s7,"
        " (SELECT count(*) FROM initiative_pledges WHERE initiative_id = ?1"
        "  AND fulfilled_at IS NOT NULL) AS s8,"
        " (SELECT coalesce(sum(money), 0) FROM initiative_pledges WHERE initiative_id = ?1) AS s9,"
        " (SELECT coalesce(sum(hours), 0) FROM initiative_pledges WHERE initiative_id = ?1) AS s10,"
        " (SELECT coalesce(sum(amount), 0) FROM initiative_sources WHERE initiative_id = ?1"
        "  AND kind = 'grant') AS s11,"
        " (SELECT coalesce(sum(granted), 0) FROM initiative_sources WHERE initiative_id = ?1"
        "  AND kind = 'grant') AS s12,"
        " (SELECT count(*) FROM initiative_pledges_withdrawn WHERE initiative_id = ?1) AS s13,"
        " (SELECT coalesce(sum(money), 0) FROM initiative_pledges_withdrawn"
        "  WHERE initiative_id = ?1) AS s14,"
        " (SELECT coalesce(sum(hours), 0) FROM initiative_pledges_withdrawn"
        "  WHERE initiative_id = ?1) AS s15"
        " FROM initiatives WHERE id = ?1 AND community_id = ?2";
    memset(r, 0, sizeof *r);
    json_t *rows = db_rows(c, sql, "ii", id, cid);
    json_t *row = json_array_get(rows, 0);
    if (!row) {
        json_decref(rows);
        return -1;
    }
    int64_t *dst[] = {
        &r->income[0],         &r->income[1],     &r->income[2],       &r->income[3],
        &r->income[4],         &r->planned,       &r->spent,           &r->pledges,
        &r->pledges_fulfilled, &r->pledged_money, &r->pledged_hours,   &r->asked,
        &r->granted,           &r->withdrawn,     &r->withdrawn_money, &r->withdrawn_hours};
    for (size_t i = 0; i < HR_ARRAY_LEN(dst); i++) {
        char key[8];
        snprintf(key, sizeof key, "s%zu", i);
        *dst[i] = json_integer_value(json_object_get(row, key));
    }
    json_decref(rows);
    initiative_report_close(r);
    return 0;
}

json_t *initiative_report_lines(struct dbc *c, int64_t cid, int64_t id)
{
    static const char sql[] =
        "SELECT b.id AS entry, unseal(b.name, b.community_id, 'initiative_budget_lines.name')"
        " AS name, b.amount AS planned,"
        " (SELECT coalesce(sum(p.amount), 0) FROM initiative_spending p WHERE p.line_id = b.id)"
        " AS spent,"
        " (SELECT coalesce(sum(g.money), 0) FROM initiative_pledges g WHERE g.line_id = b.id)"
        " AS pledged"
        " FROM initiative_budget_lines b WHERE b.initiative_id = ?1 AND b.community_id = ?2"
        " ORDER BY b.id LIMIT 200";
    return db_rows(c, sql, "ii", id, cid);
}
