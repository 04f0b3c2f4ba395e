/* Secret memberships sealed in keyrings: the SQL and the keyring work of
 * joining a secret community, of the memberships waiting to be sealed,
 * and of finding the viewer's membership from their keyring
 * (docs/architecture.md, "Sealing, step 2: secret memberships in
 * keyrings").
 *
 * The rule: in a community with a data key (a row of community_seals), a
 * member may be tied to an account by a keyring entry only. Every write
 * here runs on the writer inside the caller's transaction, with the
 * joining account's secret key at hand (their own session, or their
 * sign-in); no other account's key is ever needed, nor could be had. */
#include "areas/community/community.h"
#include "areas/areas.h"
#include "core/keyring.h"
#include "core/sealtext.h"
#include "core/log.h"
#include "core/util.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* The check value of a data key: this text encrypted under it, bound to
 * (community_seals, key_check, community id). */
static const char KEY_CHECK[] = "hramada community data key";
enum { KEY_CHECK_LEN = sizeof KEY_CHECK - 1 };

int community_has_seal(struct dbc *c, int64_t community_id)
{
    static const char sql[] = "SELECT count(*) FROM community_seals WHERE community_id = ?";
    return (int)db_int(c, -1, sql, "i", community_id);
}

/* The community area's own texts of the community, sealed in place (the
 * key is held on w): its name and description, its members' names, the
 * invitations' notes, the audit log's subjects, its own places' names. */
static int community_seal_own(struct dbc *w, int64_t community_id)
{
    static const char *const sql[] = {
        "UPDATE communities SET name = seal(name, id, 'communities.name'),"
        " description = seal(description, id, 'communities.description'),"
        " address = seal(address, id, 'communities.address') WHERE id = ?",
        "UPDATE members SET name = seal(name, community_id, 'members.name')"
        " WHERE community_id = ?",
        "UPDATE invitations SET note = seal(note, community_id, 'invitations.note')"
        " WHERE community_id = ?",
        "UPDATE community_audit SET subject = seal(subject, community_id,"
        " 'community_audit.subject') WHERE community_id = ?",
        "UPDATE territories SET name = seal(name, community_id, 'territories.name')"
        " WHERE community_id = ?",
    };
    return db_exec_each(w, sql, sizeof sql / sizeof sql[0], community_id);
}

int community_seal_start(struct dbc *w, int64_t community_id, struct seal_data_key *dk)
{
    static const char sql[] = "INSERT INTO community_seals(community_id, key_check) VALUES(?, ?)";
    unsigned char check[KEY_CHECK_LEN + SEAL_FIELD_OVERHEAD];
    seal_data_key_new(dk);
    if (seal_field_encrypt(dk, "community_seals", "key_check", community_id,
                           (const unsigned char *)KEY_CHECK, KEY_CHECK_LEN, check) != 0)
        return -1;
    if (db_exec(w, sql, "ib", community_id, check, sizeof check) != 1) return -1;
    /* From this moment every text of the community is sealed: what was
     * written in clear before is sealed in place, in this transaction, so
     * that no commit ever has the key and a clear text side by side. */
    if (sealtext_hold(dbc_keys(w), community_id, dk) != 0) return -1;
    /* the clear texts' page images must not outlive this in the WAL */
    db_flush_wal_after(w);
    int rc =
        community_seal_own(w, community_id) == 0 && areas_seal_texts(w, community_id) == 0 ? 0 : -1;
    sealtext_release(dbc_keys(w), community_id);
    return rc;
}

int community_seal_key_ok(struct dbc *c, int64_t community_id, const struct seal_data_key *dk)
{
    static const char sql[] = "SELECT key_check FROM community_seals WHERE community_id = ?";
    sqlite3_stmt *st = db_prepare(c, sql, "i", community_id);
    if (!st) return 0;
    int ok = 0;
    if (sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_bytes(st, 0) == KEY_CHECK_LEN + SEAL_FIELD_OVERHEAD) {
        unsigned char plain[KEY_CHECK_LEN];
        ok = seal_field_decrypt(dk, "community_seals", "key_check", community_id,
                                sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                                plain) == 0 &&
             memcmp(plain, KEY_CHECK, KEY_CHECK_LEN) == 0;
    }
    db_done(st);
    return ok;
}

/* The member of a keyring entry, when the member row is still there (an
 * organizer may have removed it: the entry then means nothing). */
static int64_t entry_member(struct dbc *c, const struct ring_entry *e)
{
    static const char sql[] = "SELECT count(*) FROM members WHERE id = ? AND community_id = ?";
    return e && db_int(c, 0, sql, "ii", e->member_id, e->community_id) == 1 ? e->member_id : 0;
}

int64_t member_join_sealed(struct dbc *w, int64_t community_id, int64_t account_id,
                           const unsigned char sk[SEAL_SK], const char *role,
                           const struct ring_entry *keys)
{
    /* The member's name is copied once from the account: a sealed member
     * has no clear link for the rename trigger to follow, so a rename
     * reaches it from the person's own session (member_rename_sealed). */
    static const char member[] =
        "INSERT INTO members(id, community_id, role, joined_day, name)"
        " SELECT ?1, ?2, ?3, ?4, CASE WHEN ?6 THEN seal(display_name, ?2, 'members.name')"
        " ELSE '' END FROM accounts WHERE id = ?5";
    /* In already, sealed or in clear; an entry whose member was removed
     * is replaced below. The ring is opened once for the question and the
     * change. */
    if (member_of_account(w, community_id, account_id)) return 0;
    struct ring *g;
    if (ring_load(w, account_id, sk, &g) != 0) return -1;
    int64_t id = entry_member(w, ring_find(g, community_id)) ? 0 : member_new_id();
    int rc = id ? 0 : 1;
    /* The name is sealed under the key the newcomer brings; without one
     * (a link whose key did not check) they have no name here yet. */
    int keyed = keys && keys->has_key && sealtext_hold(dbc_keys(w), community_id, &keys->dk) == 0;
    if (rc == 0 && db_exec(w, member, "iitiii", id, community_id, role, now_s() / 86400, account_id,
                           (int64_t)keyed) != 1)
        rc = -1;
    if (keyed) sealtext_release(dbc_keys(w), community_id);
    if (rc == 0) {
        struct ring_entry e = {0};
        if (keys) e = *keys;
        e.community_id = community_id;
        e.member_id = id;
        rc = ring_set(g, &e) == 0 ? ring_save(w, account_id, g) : -1;
        seal_wipe(&e, sizeof e);
    }
    ring_free(g);
    return rc < 0 ? -1 : rc == 1 ? 0 : id;
}

int64_t member_find(struct dbc *c, int64_t community_id, int64_t account_id,
                    const unsigned char *sk)
{
    int64_t id = member_of_account(c, community_id, account_id);
    if (id || !sk) return id;
    struct ring *g;
    if (ring_load(c, account_id, sk, &g) != 0) return -1;
    id = entry_member(c, ring_find(g, community_id));
    ring_free(g);
    return id;
}

int64_t community_viewer_sealed_role(struct req *r, int64_t community_id, enum role *role)
{
    /* The role is read by the entry's member id: no row, no role, so one
     * query also tells that the member is still there. */
    static const char sql[] = "SELECT role FROM members WHERE id = ? AND community_id = ?";
    *role = ROLE_NONE;
    const struct ring_entry *e = r->acct ? ring_find(ring_viewer(r), community_id) : NULL;
    if (!e) return 0;
    char *name = db_text(req_db(r), sql, "ii", e->member_id, community_id);
    *role = name ? community_role_from_name(name) : ROLE_NONE;
    free(name);
    return *role != ROLE_NONE ? e->member_id : 0;
}

const struct ring_entry *community_viewer_entry(struct req *r, int64_t community_id)
{
    const struct ring_entry *e = ring_find(ring_viewer(r), community_id);
    return e && entry_member(req_db(r), e) ? e : NULL;
}

const struct seal_data_key *community_viewer_data_key(struct req *r, int64_t community_id)
{
    const struct ring_entry *e = community_viewer_entry(r, community_id);
    return e && e->has_key ? &e->dk : NULL;
}

/* The data key left for a waiting member (member_key_drops), opened with
 * the account's key pair: 1 and *dk when it opens and is the community's,
 * else 0. */
static int drop_take(struct dbc *w, int64_t member_id, int64_t community_id,
                     const unsigned char pk[SEAL_PK], const unsigned char sk[SEAL_SK],
                     struct seal_data_key *dk)
{
    static const char sql[] = "SELECT wrapped FROM member_key_drops WHERE member_id = ?";
    sqlite3_stmt *st = db_prepare(w, sql, "i", member_id);
    if (!st) return 0;
    int ok = sqlite3_step(st) == SQLITE_ROW &&
             seal_data_key_unwrap(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                                  community_id, pk, sk, dk) == 0;
    db_done(st);
    if (ok && !community_seal_key_ok(w, community_id, dk)) ok = 0;
    if (!ok) seal_wipe(dk, sizeof *dk);
    return ok;
}

/* Leaves the community's data key for each of its waiting members who has
 * a key pair and no drop yet, sealed to their public key: the number left,
 * or -1. */
int64_t member_drops_leave(struct dbc *w, int64_t community_id, const struct seal_data_key *dk)
{
    static const char sql[] =
        "SELECT l.member_id, hex(k.public_key) AS public_key FROM member_accounts l"
        " JOIN account_keys k ON k.account_id = l.account_id"
        " WHERE l.community_id = ? AND NOT EXISTS (SELECT 1 FROM member_key_drops d"
        "  WHERE d.member_id = l.member_id)";
    static const char put[] = "INSERT INTO member_key_drops(member_id, wrapped) VALUES(?, ?)";
    /* Read first, written after: no insert while the statement steps (a
     * row's blob comes as hex, since rows never carry raw bytes). */
    json_t *rows = db_rows(w, sql, "i", community_id);
    if (!rows) return -1;
    int64_t n = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *hex = json_string_value(json_object_get(row, "public_key"));
        unsigned char raw[SEAL_PK], box[SEAL_DATA_KEY_WRAPPED];
        size_t got = 0;
        if (!hex || sodium_hex2bin(raw, sizeof raw, hex, strlen(hex), NULL, &got, NULL) != 0 ||
            got != SEAL_PK || seal_data_key_wrap(dk, community_id, raw, box) != 0)
            continue;
        int64_t member = json_integer_value(json_object_get(row, "member_id"));
        if (db_exec(w, put, "ib", member, box, sizeof box) != 1) {
            json_decref(rows);
            return -1;
        }
        n++;
    }
    json_decref(rows);
    return n;
}

/* For every sealed community of the ring g whose key it has: drops for
 * its waiting members (a sign-in is when a key is at hand to pass on). */
static int drops_leave_all(struct dbc *w, const struct ring *g)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->e[i].has_key && entry_member(w, &g->e[i]) &&
            member_drops_leave(w, g->e[i].community_id, &g->e[i].dk) < 0)
            return -1;
    return 0;
}

int64_t member_seal_waiting(struct dbc *w, int64_t account_id, const unsigned char sk[SEAL_SK])
{
    static const char waiting[] =
        "SELECT l.member_id, l.community_id FROM member_accounts l"
        " JOIN communities c ON c.id = l.community_id WHERE l.account_id = ? AND c.visibility = 2";
    static const char unlink[] = "DELETE FROM member_accounts WHERE member_id = ?";
    static const char taken[] = "DELETE FROM member_key_drops WHERE member_id = ?";
    /* A waiting member of a sealed community has no clear name (the
     * rename triggers pass them by): theirs is sealed as they are. */
    static const char named[] =
        "UPDATE members SET name = seal((SELECT display_name FROM accounts WHERE id = ?1),"
        " community_id, 'members.name') WHERE id = ?2";
    /* The ring is opened once, changed in memory and sealed once: a seal
     * costs a key exchange, and a sign-in may move several links. */
    struct seal_keys k;
    struct ring *g;
    if (seal_keys_load(w, account_id, &k) != 1 || ring_load(w, account_id, sk, &g) != 0) return -1;
    json_t *rows = db_rows(w, waiting, "i", account_id);
    if (!rows) {
        ring_free(g);
        return -1;
    }
    int64_t sealed = 0;
    int rc = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        int64_t member = json_integer_value(json_object_get(row, "member_id"));
        int64_t community = json_integer_value(json_object_get(row, "community_id"));
        /* Sealed only with the community's data key: the first member
         * sealed makes it; a later one takes the copy a member who has it
         * left for them (drops_leave), or waits for one. */
        struct ring_entry e = {.community_id = community, .member_id = member, .has_key = 1};
        int has = community_has_seal(w, community);
        if (has < 0)
            rc = -1;
        else if (has == 0)
            rc = community_seal_start(w, community, &e.dk);
        else if (!drop_take(w, member, community, k.pk, sk, &e.dk))
            e.has_key = 0;
        if (rc == 0 && e.has_key) {
            if (ring_set(g, &e) != 0 || db_exec(w, unlink, "i", member) != 1 ||
                db_exec(w, taken, "i", member) < 0 ||
                sealtext_hold(dbc_keys(w), community, &e.dk) != 0)
                rc = -1;
            else if (db_exec(w, named, "ii", account_id, member) != 1)
                rc = -1;
            else
                sealed++;
            sealtext_release(dbc_keys(w), community);
        }
        seal_wipe(&e, sizeof e);
        if (rc != 0) break;
    }
    json_decref(rows);
    if (rc == 0 && sealed > 0) rc = ring_save(w, account_id, g);
    if (rc == 0) rc = drops_leave_all(w, g);
    ring_free(g);
    return rc == 0 ? sealed : -1;
}

int community_seal_now(struct dbc *w, int64_t community_id, int64_t account_id,
                       const unsigned char sk[SEAL_SK])
{
    /* A decided join request names its account beside the community: of
     * a secret community, none is kept (a pending one goes when decided). */
    static const char decided[] =
        "DELETE FROM join_requests WHERE community_id = ? AND status <> 'pending'";
    if (db_exec(w, decided, "i", community_id) < 0) return -1;
    return member_seal_waiting(w, account_id, sk) < 0 ? -1 : 0;
}

enum wr community_address_renew(struct dbc *w, int64_t community_id, const char *address)
{
    static const char sql[] =
        "UPDATE communities SET slug = ?1, address = seal(?2, ?3, 'communities.address')"
        " WHERE id = ?3 AND visibility = 2"
        " AND EXISTS (SELECT 1 FROM community_seals WHERE community_id = ?3)";
    char stored[RING_ADDRESS_STORED_LEN + 1];
    ring_address_stored(address, stored);
    int n = db_exec(w, sql, "tti", stored, address, community_id);
    return n == 0 ? wr_fail(w, WR_CONFLICT, "community.address.not_sealed")
                  : wr_changed(w, n, WR_CONFLICT);
}

int64_t member_waiting_count(struct dbc *c, int64_t community_id)
{
    static const char sql[] = "SELECT count(*) FROM member_accounts l JOIN communities c"
                              " ON c.id = l.community_id WHERE c.id = ? AND c.visibility = 2";
    return db_int(c, 0, sql, "i", community_id);
}

int member_rename_sealed(struct dbc *w, const char *member_ids_json, const char *name)
{
    static const char sql[] = "UPDATE members SET name = seal(?1, community_id, 'members.name')"
                              " WHERE id IN (SELECT value FROM json_each(?2))"
                              " AND unseal(name, community_id, 'members.name') IS NOT ?1";
    return db_exec(w, sql, "tt", name, member_ids_json) < 0 ? -1 : 0;
}
