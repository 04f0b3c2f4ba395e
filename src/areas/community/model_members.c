/* The SQL of members and roles, invitations and join requests.
 *
 * The rules these writes keep (a community always has an organizer, an
 * invitation is used at most max_uses times and never once revoked or
 * expired, a join request is decided once) are the statements' own
 * conditions, on the writer: two organizers acting at once, or a page read
 * before someone else acted, can never break them. */
#include "areas/community/community.h"
#include "areas/areas.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/notify.h"
#include "core/keyring.h"
#include "core/sealtext.h"
#include "core/util.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* ---- members ---- */

/* Read from members alone, by the index members_by_name that holds every
 * column asked for: a member is shown by the name and the id they have in
 * this community, never by the account behind them (docs/architecture.md,
 * "The members page names members, not accounts"). */
static const char member_sql[] =
    "SELECT id, unseal(name, community_id, 'members.name') AS display_name, role, date(joined_day "
    "* 86400, 'unixepoch') AS joined"
    " FROM members WHERE community_id = ?"
    " ORDER BY role <> 'organizer', name LIMIT ? OFFSET ?";

/* Every column of the page's rows, for a choice of a member (an action's
 * owner): the same rows, no view mask, since the choosing code puts them
 * into its own view. */
json_t *member_list(struct dbc *c, int64_t community_id, int64_t offset, int64_t limit)
{
    return db_rows(c, member_sql, "iii", community_id, limit, offset);
}

/* Members whose name holds q, folded as the search folds (case, ё), the
 * ones named exactly q first. Every name of the community is opened and
 * folded: a walk of the community's members, which is why it runs when
 * someone looks for a person, never to draw a page. The CTE is
 * materialised so that each name is opened once, not once per use. */
json_t *member_find_by_name(struct dbc *c, int64_t community_id, const char *q, int64_t limit)
{
    static const char sql[] =
        "WITH n AS MATERIALIZED (SELECT id, unseal(name, community_id, 'members.name') AS name"
        "  FROM members WHERE community_id = ?1),"
        " f AS MATERIALIZED (SELECT id, name, fold(name) AS folded FROM n)"
        " SELECT id, name AS display_name, folded = fold(?2) AS exact FROM f"
        " WHERE instr(folded, fold(?2)) > 0 ORDER BY exact DESC, folded, id LIMIT ?3";
    return db_rows(c, sql, "iti", community_id, q, limit);
}

json_t *member_page(struct dbc *c, const struct vmask *m, int64_t community_id, int64_t offset,
                    int64_t limit)
{
    return db_view_rows(c, m, member_sql, "iii", community_id, limit, offset);
}

/* The first column of sql's rows (one parameter, the community) into *out. */
static int64_t ids_of(struct dbc *c, const char *sql, int64_t community_id, int64_t **out)
{
    *out = NULL;
    sqlite3_stmt *st = db_prepare(c, sql, "i", community_id);
    if (!st) return -1;
    int64_t n = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = xrealloc(*out, (size_t)cap * sizeof **out);
        }
        (*out)[n++] = sqlite3_column_int64(st, 0);
    }
    db_done(st);
    if (rc != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        return -1;
    }
    return n;
}

int64_t member_ids(struct dbc *c, int64_t community_id, int64_t **out)
{
    static const char sql[] =
        "SELECT member_id FROM member_accounts WHERE community_id = ? ORDER BY account_id";
    return ids_of(c, sql, community_id, out);
}

int64_t member_local_ids(struct dbc *c, int64_t community_id, int64_t **out)
{
    /* From members, not from the link to accounts: a ballot roll made of
     * these says who was eligible only as ids that mean nothing outside the
     * community (and nothing at all once the member has left), and it stays
     * right when the links of secret communities leave the file. */
    static const char sql[] = "SELECT id FROM members WHERE community_id = ? ORDER BY id";
    return ids_of(c, sql, community_id, out);
}

int64_t member_of_account(struct dbc *c, int64_t community_id, int64_t account_id)
{
    static const char sql[] =
        "SELECT member_id FROM member_accounts WHERE community_id = ? AND account_id = ?";
    return db_int(c, 0, sql, "ii", community_id, account_id);
}

char *community_slug_of(struct dbc *c, int64_t id)
{
    static const char sql[] = "SELECT slug FROM communities WHERE id = ?";
    return db_text(c, sql, "i", id);
}

char *member_role(struct dbc *c, int64_t community_id, int64_t account_id)
{
    static const char sql[] =
        "SELECT m.role FROM member_accounts l JOIN members m"
        " ON m.id = l.member_id WHERE l.community_id = ? AND l.account_id = ?";
    return db_text(c, sql, "ii", community_id, account_id);
}

int member_is(struct dbc *c, int64_t community_id, int64_t account_id)
{
    static const char sql[] =
        "SELECT count(*) FROM member_accounts WHERE community_id = ? AND account_id = ?";
    return db_int(c, 0, sql, "ii", community_id, account_id) > 0;
}

/* A new member's id: random rather than counted (migration 045 says why),
 * 53 bits so that a JSON client reads it exactly, never 0. */
int64_t member_new_id(void)
{
    uint64_t v;
    randombytes_buf(&v, sizeof v);
    return (int64_t)(v & ((UINT64_C(1) << 53) - 1)) + 1;
}

int64_t member_join(struct dbc *w, int64_t community_id, int64_t account_id, const char *role)
{
    static const char member[] =
        "INSERT INTO members(id, community_id, role, joined_day) VALUES(?, ?, ?, ?)";
    static const char link[] =
        "INSERT INTO member_accounts(member_id, account_id, community_id) VALUES(?, ?, ?)";
    /* On the writer, inside the caller's transaction: nobody can join
     * between this question and the inserts. */
    if (member_is(w, community_id, account_id)) return 0;
    int64_t id = member_new_id();
    if (db_exec(w, member, "iiti", id, community_id, role, now_s() / 86400) != 1) return -1;
    if (db_exec(w, link, "iii", id, account_id, community_id) != 1) return -1;
    return id;
}

int member_add(struct dbc *w, int64_t community_id, int64_t account_id, const char *role)
{
    return member_join(w, community_id, account_id, role) < 0 ? -1 : 0;
}

/* The condition that keeps an organizer: the row being changed is not an
 * organizer's, or another organizer remains. SQL text shared by the
 * statements below (?1 the community, ?2 the member id). */
#define THE_MEMBER "id = ?2 AND community_id = ?1"
#define ANOTHER_ORGANIZER                                                                          \
    "(members.role <> 'organizer' OR EXISTS (SELECT 1 FROM members o"                              \
    " WHERE o.community_id = ?1 AND o.role = 'organizer' AND o.id <> members.id))"

/* Nothing changed for the member: not a member (any more), or the last
 * organizer. Asked on the writer, in the same transaction. */
static enum wr why_member_unchanged(struct dbc *w, int64_t community_id, int64_t member_id)
{
    static const char sql[] = "SELECT count(*) FROM members WHERE " THE_MEMBER;
    if (db_int(w, 0, sql, "ii", community_id, member_id) == 0) return WR_NOT_FOUND;
    return wr_fail(w, WR_CONFLICT, "members.last_organizer");
}

enum wr member_set_role(struct dbc *w, int64_t community_id, int64_t member_id, const char *role)
{
    static const char sql[] = "UPDATE members SET role = ?3 WHERE " THE_MEMBER
                              " AND role IS NOT ?3 AND (?3 = 'organizer' OR " ANOTHER_ORGANIZER ")";
    static const char same[] = "SELECT count(*) FROM members WHERE " THE_MEMBER " AND role = ?3";
    int n = db_exec(w, sql, "iit", community_id, member_id, role);
    if (n != 0) return wr_changed(w, n, WR_DB);
    /* The role it already has is no change to refuse. */
    if (db_int(w, 0, same, "iit", community_id, member_id, role) == 1) return WR_OK;
    return why_member_unchanged(w, community_id, member_id);
}

enum wr member_remove(struct dbc *w, int64_t community_id, int64_t member_id)
{
    static const char sql[] = "DELETE FROM members WHERE " THE_MEMBER " AND " ANOTHER_ORGANIZER;
    int n = db_exec(w, sql, "ii", community_id, member_id);
    if (n == 0) return why_member_unchanged(w, community_id, member_id);
    enum wr rc = wr_changed(w, n, WR_DB);
    if (rc == WR_OK && areas_member_left(w, community_id) != 0) rc = wr_from_error(w);
    return rc;
}

/* The communities where the account is the only organizer: it cannot
 * leave them, nor delete itself, until someone else organizes. */
json_t *member_sole_organizer_of(struct dbc *c, int64_t account_id, const char *sealed,
                                 const char *addresses)
{
    static const char sql[] = "SELECT " SHOWN_SLUG(
        "k",
        "?3") " AS slug, unseal(k.name, k.id, 'communities.name') AS name FROM " MEMBER_LINKS
              " l JOIN members m ON m.id = l.member_id"
              " JOIN communities k ON k.id = m.community_id"
              " WHERE m.role = 'organizer' AND NOT EXISTS (SELECT 1 FROM members o"
              "  WHERE o.community_id = m.community_id AND o.role = 'organizer' AND o.id <> m.id)"
              " ORDER BY k.name";
    return db_rows(c, sql, "itt", account_id, sealed ? sealed : "[]", addresses ? addresses : "{}");
}

enum wr member_leave_all(struct dbc *w, int64_t account_id, const char *sealed)
{
    /* One community after another, each by the rule of leaving it, on the
     * writer: an organizer role given away meanwhile is seen here. */
    static const char sql[] = "SELECT m.community_id, m.id AS member_id FROM " MEMBER_LINKS
                              " l JOIN members m ON m.id = l.member_id";
    json_t *rows = db_rows(w, sql, "it", account_id, sealed ? sealed : "[]");
    if (!rows) return wr_from_error(w);
    enum wr rc = WR_OK;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        rc = member_remove(w, json_integer_value(json_object_get(row, "community_id")),
                           json_integer_value(json_object_get(row, "member_id")));
        if (rc != WR_OK) break;
    }
    json_decref(rows);
    return rc;
}

/* ---- invitations ---- */

enum wr invite_add(struct dbc *w, int64_t community_id, int64_t by, const char *role,
                   int64_t max_uses, int64_t expires_at, const char *note,
                   const struct ring_entry *keys, char *token_out)
{
    static const char sql[] =
        "INSERT INTO invitations(community_id, token_hash, role, max_uses, expires_at, note,"
        " created_at, sealed_key, created_by) VALUES(?1, ?2, ?3, ?4, ?5,"
        " seal(?6, ?1, 'invitations.note'), ?7, ?8,"
        " (SELECT id FROM members WHERE id = ?9 AND community_id = ?1))";
    char hash[AUTH_HEX_LEN + 1];
    unsigned char box[RING_INVITE_BOX];
    auth_token_new(token_out);
    auth_token_hash(token_out, hash);
    /* The link carries the data key and the address of a sealed community
     * (keyring.h): what the inviting member's own entry has. */
    int boxed = keys && (keys->has_key || keys->has_address);
    if (boxed && ring_invite_box(token_out, keys, box) != 0) return WR_DB;
    return wr_changed(w,
                      db_exec(w, sql, "ittiitibi", community_id, hash, role, max_uses, expires_at,
                              note ? note : "", now_s(), boxed ? box : NULL,
                              boxed ? sizeof box : (size_t)0, by),
                      WR_DB);
}

json_t *invite_list(struct dbc *c, const struct vmask *m, int64_t community_id)
{
    static const char sql[] =
        "SELECT id, role, max_uses, uses, unseal(note, community_id, 'invitations.note') AS note, "
        "date(expires_at, 'unixepoch') AS expires,"
        " date(created_at, 'unixepoch') AS created,"
        " (revoked = 0 AND uses < max_uses AND expires_at > ?) AS active"
        " FROM invitations WHERE community_id = ? ORDER BY created_at DESC, id DESC LIMIT 200";
    return db_view_rows(c, m, sql, "ii", now_s(), community_id);
}

enum wr invite_revoke(struct dbc *w, int64_t community_id, int64_t id)
{
    static const char sql[] =
        "UPDATE invitations SET revoked = 1 WHERE id = ? AND community_id = ?";
    return wr_changed(w, db_exec(w, sql, "ii", id, community_id), WR_NOT_FOUND);
}

static const char invite_sql[] =
    "SELECT i.id, i.role, i.uses, i.max_uses, date(i.expires_at, 'unixepoch') AS expires,"
    " i.revoked, (i.expires_at <= ?) AS expired, (i.uses >= i.max_uses) AS used_up,"
    " c.id AS community_id, c.slug, c.name, c.description, c.visibility, i.sealed_key,"
    " c.address"
    " FROM invitations i JOIN communities c ON c.id = i.community_id"
    " WHERE i.token_hash = ?";

static const char *col_dup(struct arena *a, sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return arena_strdup(a, s ? s : "");
}

/* A text of the invitation's sealed community, opened with the data key
 * the link carries (the invitee is no member yet: no keyring of theirs
 * has it); the text itself when clear, "" when it does not open. */
static const char *invite_opened(struct arena *a, const struct invite_row *inv, const char *label,
                                 const char *s)
{
    if (!sealtext_is_sealed(s)) return s;
    size_t len = 0;
    char *plain = sealtext_open(&inv->keys.dk, inv->community_id, label, s, strlen(s), &len);
    const char *out = arena_strdup(a, plain ? plain : "");
    free(plain);
    return out;
}

int invite_read(struct dbc *c, struct arena *a, const char *token, struct invite_row *out)
{
    char hash[AUTH_HEX_LEN + 1];
    memset(out, 0, sizeof *out);
    if (!token) return -1;
    auth_token_hash(token, hash);
    sqlite3_stmt *st = db_prepare(c, invite_sql, "it", now_s(), hash);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) {
        out->id = sqlite3_column_int64(st, 0);
        out->role = col_dup(a, st, 1);
        out->uses = sqlite3_column_int64(st, 2);
        out->max_uses = sqlite3_column_int64(st, 3);
        out->expires = col_dup(a, st, 4);
        out->revoked = sqlite3_column_int(st, 5) != 0;
        out->expired = sqlite3_column_int(st, 6) != 0;
        out->used_up = sqlite3_column_int(st, 7) != 0;
        out->community_id = sqlite3_column_int64(st, 8);
        out->slug = col_dup(a, st, 9);
        out->name = col_dup(a, st, 10);
        out->description = col_dup(a, st, 11);
        out->visibility = (enum visibility)sqlite3_column_int(st, 12);
        /* What the link carries of a sealed community: its data key and
         * its random address, which the row holds only as a hash. */
        if (sqlite3_column_type(st, 13) == SQLITE_BLOB &&
            ring_invite_open(token, out->community_id, sqlite3_column_blob(st, 13),
                             (size_t)sqlite3_column_bytes(st, 13), &out->keys) == 0) {
            out->keys.community_id = out->community_id;
            if (out->keys.has_key) {
                out->name = invite_opened(a, out, "communities.name", out->name);
                out->description =
                    invite_opened(a, out, "communities.description", out->description);
            }
            if (out->keys.has_address) {
                char *text = arena_alloc(a, RING_ADDRESS_LEN + 1);
                ring_address_text(out->keys.address, text);
                out->slug = text;
            }
            /* The address the community has now (it may have been
             * changed since the link was made), sealed in its row. */
            const char *now = (const char *)sqlite3_column_text(st, 14);
            if (out->keys.has_key && now) {
                const char *opened = invite_opened(a, out, "communities.address", now);
                if (strlen(opened) == RING_ADDRESS_LEN) out->slug = opened;
            }
        }
    }
    db_done(st);
    return rc;
}

const char *invite_problem(const struct invite_row *inv, int found)
{
    if (!found) return "invite.unknown";
    if (inv->revoked) return "invite.revoked";
    if (inv->expired) return "invite.expired";
    if (inv->used_up) return "invite.used_up";
    return NULL;
}

int community_invite_usable(struct dbc *c, const char *token)
{
    static const char sql[] =
        "SELECT 1 FROM invitations WHERE token_hash = ? AND revoked = 0 AND uses < max_uses"
        " AND expires_at > ?";
    char hash[AUTH_HEX_LEN + 1];
    if (!token || strlen(token) != AUTH_TOKEN_LEN) return 0;
    auth_token_hash(token, hash);
    return db_int(c, 0, sql, "ti", hash, now_s()) == 1;
}

/* The newcomer joins: sealed in a secret community when their key is at
 * hand (the key of a sealed community from the link; a secret community
 * not sealed yet is sealed by them), else in clear (waiting, when secret).
 * The member id, 0 when in already, -1 on an error. */
static int64_t invite_join(struct dbc *w, const struct invite_row *inv, int64_t account_id,
                           const unsigned char *sk)
{
    if (inv->visibility != VIS_SECRET || !sk) {
        int64_t in = member_find(w, inv->community_id, account_id, sk);
        return in ? 0 : member_join(w, inv->community_id, account_id, inv->role);
    }
    int sealed = community_has_seal(w, inv->community_id);
    if (sealed < 0) return -1;
    if (!sealed) {
        int64_t id = member_join(w, inv->community_id, account_id, inv->role);
        return id > 0 && member_seal_waiting(w, account_id, sk) < 0 ? -1 : id;
    }
    /* The link's copy of the data key counts only if it is the
     * community's (its check value opens). */
    struct ring_entry keys = inv->keys;
    if (keys.has_key && !community_seal_key_ok(w, inv->community_id, &keys.dk)) keys.has_key = 0;
    int64_t id = member_join_sealed(w, inv->community_id, account_id, sk, inv->role, &keys);
    seal_wipe(&keys, sizeof keys);
    return id;
}

enum wr invite_accept(struct dbc *w, struct arena *a, const char *token, int64_t account_id,
                      const unsigned char *sk, struct invite_use *out)
{
    /* One use is taken only while one is left, in the UPDATE's own WHERE:
     * two people accepting the last use at once find one of them too
     * late, never both in. */
    static const char use[] = "UPDATE invitations SET uses = uses + 1 WHERE id = ?"
                              " AND revoked = 0 AND uses < max_uses AND expires_at > ?";
    struct invite_row inv;
    memset(out, 0, sizeof *out);
    int found = invite_read(w, a, token, &inv) == 0;
    const char *problem = invite_problem(&inv, found);
    if (problem) {
        seal_wipe(&inv.keys, sizeof inv.keys);
        return wr_fail(w, WR_CONFLICT, problem);
    }
    out->community_id = inv.community_id;
    out->slug = inv.slug;
    /* already in (in clear or sealed): not spent */
    if (member_find(w, inv.community_id, account_id, sk)) {
        seal_wipe(&inv.keys, sizeof inv.keys);
        return WR_OK;
    }
    int64_t now = now_s();
    int n = db_exec(w, use, "ii", inv.id, now);
    if (n <= 0) seal_wipe(&inv.keys, sizeof inv.keys);
    if (n == 0) return wr_fail(w, WR_CONFLICT, "invite.used_up");
    if (n < 0) return wr_from_error(w);
    int64_t joined = invite_join(w, &inv, account_id, sk);
    seal_wipe(&inv.keys, sizeof inv.keys);
    if (joined <= 0) return wr_from_error(w);
    out->joined = 1;
    /* the one who made the invitation hears it was accepted (nobody when
     * they left: the column is NULL then, and notify_members finds no
     * member 0) */
    static const char maker[] = "SELECT coalesce(created_by, 0) FROM invitations WHERE id = ?";
    int64_t by = db_int(w, 0, maker, "i", inv.id);
    if (by != 0 && by != joined &&
        notify_members(w, inv.community_id, COMMUNITY_NOTIFY_INVITE_ACCEPTED, inv.id,
                       NOTIFY_TO_MEMBER, by, now) < 0)
        return WR_DB;
    return WR_OK;
}

/* ---- join requests ---- */

int64_t join_request_create(struct dbc *w, int64_t community_id, int64_t account_id,
                            const char *message)
{
    static const char sql[] =
        "INSERT INTO join_requests(community_id, account_id, message, status, created_at)"
        " VALUES(?, ?, ?, 'pending', ?)";
    if (db_exec(w, sql, "iiti", community_id, account_id, message ? message : "", now_s()) < 0)
        return db_was_unique_violation(w) ? -2 : -1;
    return db_last_id(w);
}

enum wr join_request_add(struct dbc *w, int64_t community_id, int64_t account_id,
                         const char *message)
{
    /* Nobody asks to join what they are in (an invitation may have let
     * them in since they opened the form); a request already waiting is
     * the same request. */
    static const char sql[] =
        "INSERT INTO join_requests(community_id, account_id, message, status, created_at)"
        " SELECT ?1, ?2, ?3, 'pending', ?4 WHERE NOT EXISTS (SELECT 1 FROM member_accounts"
        "  WHERE community_id = ?1 AND account_id = ?2)"
        " ON CONFLICT DO NOTHING";
    int n = db_exec(w, sql, "iiti", community_id, account_id, message ? message : "", now_s());
    if (n != 0) return wr_changed(w, n, WR_DB);
    if (member_is(w, community_id, account_id))
        return wr_fail(w, WR_CONFLICT, "join.already_member");
    return WR_OK;
}

int join_request_pending(struct dbc *c, int64_t community_id, int64_t account_id)
{
    static const char sql[] = "SELECT 1 FROM join_requests WHERE community_id = ?"
                              " AND account_id = ? AND status = 'pending'";
    return db_int(c, 0, sql, "ii", community_id, account_id) == 1;
}

json_t *join_request_list(struct dbc *c, const struct vmask *m, int64_t community_id)
{
    static const char sql[] =
        "SELECT r.id, a.handle, a.display_name, r.message,"
        " date(r.created_at, 'unixepoch') AS created"
        " FROM join_requests r JOIN accounts a ON a.id = r.account_id"
        " WHERE r.community_id = ? AND r.status = 'pending' ORDER BY r.created_at LIMIT 500";
    return db_view_rows(c, m, sql, "i", community_id);
}

int64_t join_request_count(struct dbc *c, int64_t community_id)
{
    static const char sql[] =
        "SELECT count(*) FROM join_requests WHERE community_id = ? AND status = 'pending'";
    return db_int(c, 0, sql, "i", community_id);
}

enum wr join_request_decide(struct dbc *w, int64_t community_id, int64_t id, int approve)
{
    /* Decided once: only a pending request changes, so an approval and a
     * decline sent at once find the second one too late. */
    static const char set[] = "UPDATE join_requests SET status = ?, decided_at = ? WHERE id = ?"
                              " AND community_id = ? AND status = 'pending'";
    static const char exists[] =
        "SELECT count(*) FROM join_requests WHERE id = ? AND community_id = ?";
    static const char account[] = "SELECT account_id FROM join_requests WHERE id = ?";
    static const char forget[] = "DELETE FROM join_requests WHERE id = ? AND community_id IN"
                                 " (SELECT id FROM communities WHERE visibility = 2)";
    int64_t now = now_s();
    int n = db_exec(w, set, "tiii", approve ? "approved" : "declined", now, id, community_id);
    if (n == 0)
        return db_int(w, 0, exists, "ii", id, community_id)
                   ? wr_fail(w, WR_CONFLICT, "requests.decided")
                   : WR_NOT_FOUND;
    if (n < 0) return wr_from_error(w);
    /* In a secret community a decided request, which names its account,
     * is not kept; an approved one's person waits to be sealed (at their
     * next sign-in). */
    if (!approve) return db_exec(w, forget, "i", id) < 0 ? wr_from_error(w) : WR_OK;
    int64_t who = db_int(w, 0, account, "i", id);
    int64_t member = member_join(w, community_id, who, "member");
    if (member < 0) return wr_from_error(w);
    /* The newcomer's notice, in the approval's own transaction. */
    if (notify_members(w, community_id, COMMUNITY_NOTIFY_APPROVED, community_id, NOTIFY_TO_MEMBER,
                       member, now) < 0)
        return wr_from_error(w);
    return db_exec(w, forget, "i", id) < 0 ? wr_from_error(w) : WR_OK;
}
