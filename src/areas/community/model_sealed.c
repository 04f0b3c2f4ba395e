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
#include "core/keyring.h"
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

/* A new data key for the community and its check value: *dk is the
 * caller's to wipe. */
static int seal_start(struct dbc *w, int64_t community_id, struct seal_data_key *dk)
{
    static const char sql[] = "INSERT INTO community_seals(community_id, key_check) VALUES(?, ?)";
    unsigned char check[KEY_CHECK_LEN + SEAL_FIELD_OVERHEAD];
    seal_data_key_new(dk);
    if (seal_field_encrypt(dk, "community_seals", "key_check", community_id,
                           (const unsigned char *)KEY_CHECK, KEY_CHECK_LEN, check) != 0)
        return -1;
    return db_exec(w, sql, "ib", community_id, check, sizeof check) == 1 ? 0 : -1;
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

int64_t member_join_sealed(struct dbc *w, int64_t community_id, int64_t account_id,
                           const unsigned char sk[SEAL_SK], const char *role,
                           const struct seal_data_key *dk)
{
    /* The member's name is copied once from the account: a sealed member
     * has no clear link for the rename trigger to follow, so a rename
     * reaches it from the person's own session (member_rename_sealed). */
    static const char member[] = "INSERT INTO members(id, community_id, role, joined_day, name)"
                                 " SELECT ?, ?, ?, ?, display_name FROM accounts WHERE id = ?";
    /* In already, sealed or in clear; an entry whose member was removed
     * is replaced below. */
    int64_t in = member_find(w, community_id, account_id, sk);
    if (in) return in < 0 ? -1 : 0;
    int64_t id = member_new_id();
    if (db_exec(w, member, "iitii", id, community_id, role, now_s() / 86400, account_id) != 1)
        return -1;
    struct ring_entry e = {.community_id = community_id, .member_id = id, .has_key = dk != NULL};
    if (dk) e.dk = *dk;
    int rc = ring_put(w, account_id, sk, &e);
    seal_wipe(&e, sizeof e);
    return rc == 0 ? id : -1;
}

/* The member of a keyring entry, when the member row is still there (an
 * organizer may have removed it: the entry then means nothing). */
static int64_t entry_member(struct dbc *c, const struct ring_entry *e)
{
    static const char sql[] = "SELECT count(*) FROM members WHERE id = ? AND community_id = ?";
    return e && db_int(c, 0, sql, "ii", e->member_id, e->community_id) == 1 ? e->member_id : 0;
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

int64_t community_viewer_sealed_member(struct req *r, int64_t community_id)
{
    if (!r->acct) return 0;
    return entry_member(req_db(r), ring_find(ring_viewer(r), community_id));
}

const struct seal_data_key *community_viewer_data_key(struct req *r, int64_t community_id)
{
    const struct ring_entry *e = ring_find(ring_viewer(r), community_id);
    return e && e->has_key && entry_member(req_db(r), e) ? &e->dk : NULL;
}

int64_t member_seal_waiting(struct dbc *w, int64_t account_id, const unsigned char sk[SEAL_SK])
{
    static const char waiting[] =
        "SELECT l.member_id, l.community_id FROM member_accounts l"
        " JOIN communities c ON c.id = l.community_id WHERE l.account_id = ? AND c.visibility = 2";
    static const char unlink[] = "DELETE FROM member_accounts WHERE member_id = ?";
    json_t *rows = db_rows(w, waiting, "i", account_id);
    if (!rows) return -1;
    int64_t sealed = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        int64_t member = json_integer_value(json_object_get(row, "member_id"));
        int64_t community = json_integer_value(json_object_get(row, "community_id"));
        /* The first member sealed gives the community its data key; one
         * sealed later gets the entry without it (the key reaches them in
         * step 3, docs/architecture.md). */
        struct ring_entry e = {.community_id = community, .member_id = member};
        int has = community_has_seal(w, community);
        int rc = has < 0 ? -1 : has == 0 ? seal_start(w, community, &e.dk) : 0;
        e.has_key = has == 0;
        if (rc == 0) rc = ring_put(w, account_id, sk, &e);
        seal_wipe(&e, sizeof e);
        if (rc == 0 && db_exec(w, unlink, "i", member) != 1) rc = -1;
        if (rc != 0) {
            json_decref(rows);
            return -1;
        }
        sealed++;
    }
    json_decref(rows);
    return sealed;
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

int64_t member_waiting_count(struct dbc *c, int64_t community_id)
{
    static const char sql[] = "SELECT count(*) FROM member_accounts l JOIN communities c"
                              " ON c.id = l.community_id WHERE c.id = ? AND c.visibility = 2";
    return db_int(c, 0, sql, "i", community_id);
}

int member_sealed_role(struct dbc *c, int64_t community_id, int64_t member_id, enum role *role)
{
    static const char sql[] = "SELECT role FROM members WHERE id = ? AND community_id = ?";
    char *name = db_text(c, sql, "ii", member_id, community_id);
    *role = name ? community_role_from_name(name) : ROLE_NONE;
    free(name);
    return *role != ROLE_NONE;
}

int member_rename_sealed(struct dbc *w, const char *member_ids_json, const char *name)
{
    static const char sql[] =
        "UPDATE members SET name = ? WHERE id IN (SELECT value FROM json_each(?))";
    return db_exec(w, sql, "tt", name, member_ids_json) < 0 ? -1 : 0;
}
