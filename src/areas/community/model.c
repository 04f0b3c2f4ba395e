/* The SQL of communities, members, invitations and join requests. */
#include "areas/community/community.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

const char *const community_prereqs[] = {"intentions", "places",        "interests", "knowledge",
                                         "problems",   "circumstances", "actions",   NULL};
const char *const territory_kinds[] = {"country",  "region",        "city",
                                       "district", "neighbourhood", NULL};
const char *const community_role_names[] = {"",       "member", "organizer", "facilitator",
                                            "mentor", "expert", NULL};

enum role community_role_from_name(const char *name)
{
    for (int i = 1; community_role_names[i]; i++)
        if (str_eq(community_role_names[i], name)) return (enum role)i;
    return ROLE_NONE;
}

static int set_prereqs(struct dbc *w, int64_t id, const struct community_new *c)
{
    static const char del[] = "DELETE FROM community_prereqs WHERE community_id = ?";
    static const char ins[] =
        "INSERT OR IGNORE INTO community_prereqs(community_id, prereq) VALUES(?, ?)";
    if (db_exec(w, del, "i", id) < 0) return -1;
    for (int i = 0; i < c->nprereqs; i++)
        if (db_exec(w, ins, "it", id, c->prereqs[i]) < 0) return -1;
    return 0;
}

int64_t community_create(struct dbc *w, const struct community_new *c, int64_t creator)
{
    static const char sql[] =
        "INSERT INTO communities(slug, name, description, visibility, territory_id, created_at,"
        " updated_at) VALUES(?, ?, ?, ?, nullif(?, 0), ?, ?)";
    int64_t now = now_s();
    if (db_exec(w, sql, "tttiiii", c->slug, c->name, c->description ? c->description : "",
                (int64_t)c->visibility, c->territory_id, now, now) < 0)
        return db_was_unique_violation(w) ? -2 : -1;
    int64_t id = db_last_id(w);
    if (set_prereqs(w, id, c) < 0 || member_add(w, id, creator, "organizer") < 0) return -1;
    return id;
}

int community_update(struct dbc *w, int64_t id, const struct community_new *c)
{
    static const char sql[] = "UPDATE communities SET name = ?, description = ?, visibility = ?,"
                              " territory_id = nullif(?, 0), updated_at = ? WHERE id = ?";
    if (db_exec(w, sql, "ttiiii", c->name, c->description ? c->description : "",
                (int64_t)c->visibility, c->territory_id, now_s(), id) != 1)
        return -1;
    return set_prereqs(w, id, c);
}

int community_set_territory(struct dbc *w, int64_t id, int64_t territory_id)
{
    static const char sql[] = "UPDATE communities SET territory_id = nullif(?, 0) WHERE id = ?";
    return db_exec(w, sql, "ii", territory_id, id) == 1 ? 0 : -1;
}

int community_slug_taken(struct dbc *c, const char *slug)
{
    static const char sql[] = "SELECT count(*) FROM communities WHERE slug = ?";
    return (int)db_int(c, -1, sql, "t", slug);
}

json_t *community_find(struct dbc *c, const char *slug, int64_t viewer)
{
    static const char sql[] =
        "SELECT c.id, c.slug, c.name, c.description, c.visibility, c.territory_id,"
        " m.role AS role FROM communities c"
        " LEFT JOIN memberships m ON m.community_id = c.id AND m.account_id = ?"
        " WHERE c.slug = ?";
    return db_row(c, sql, "it", viewer, slug);
}

/* Directory: what the viewer may see listed. The member count of a closed
 * community is shown (it is on its public card); members themselves never. */
json_t *community_directory(struct dbc *c, int64_t viewer, const char *prereq, int64_t territory_id,
                            const char *query, int64_t offset, int64_t limit)
{
    /* The page is chosen first on the narrow columns, and only its rows
     * get their counts and labels: computing them for every community
     * before sorting made this page cost a scan of all memberships. */
    static const char sql[] =
        "WITH page AS (SELECT c.id FROM communities c INDEXED BY communities_name"
        " WHERE (c.visibility < 2 OR EXISTS (SELECT 1 FROM memberships m"
        "        WHERE m.community_id = c.id AND m.account_id = ?1))"
        "  AND (? IS NULL OR EXISTS (SELECT 1 FROM community_prereqs p"
        "       WHERE p.community_id = c.id AND p.prereq = ?))"
        "  AND (? = 0 OR c.territory_id IN (WITH RECURSIVE sub(id) AS ("
        "       SELECT ? UNION ALL"
        "       SELECT t2.id FROM territories t2 JOIN sub ON t2.parent_id = sub.id)"
        "       SELECT id FROM sub))"
        "  AND (? IS NULL OR instr(fold(c.name), fold(?)) > 0)"
        " ORDER BY c.name LIMIT ? OFFSET ?)"
        " SELECT c.slug, c.name, c.visibility, substr(c.description, 1, 1500) AS summary_md,"
        " c.members,"
        " (SELECT group_concat(prereq, ' ') FROM community_prereqs p"
        "   WHERE p.community_id = c.id) AS prereqs,"
        " t.name AS territory, m.role AS role"
        " FROM page JOIN communities c ON c.id = page.id"
        " LEFT JOIN memberships m ON m.community_id = c.id AND m.account_id = ?1"
        " LEFT JOIN territories t ON t.id = c.territory_id"
        " ORDER BY c.name";
    return db_rows(c, sql, "ittiittii", viewer, prereq, prereq, territory_id, territory_id, query,
                   query, limit, offset);
}

json_t *community_list_mine(struct dbc *c, int64_t viewer, int64_t offset, int64_t limit)
{
    static const char sql[] = "SELECT c.slug, c.name, c.visibility, m.role, c.members"
                              " FROM memberships m JOIN communities c ON c.id = m.community_id"
                              " WHERE m.account_id = ? ORDER BY c.name, c.id LIMIT ? OFFSET ?";
    return db_rows(c, sql, "iii", viewer, limit, offset);
}

int64_t community_count_mine(struct dbc *c, int64_t viewer)
{
    static const char sql[] = "SELECT count(*) FROM memberships WHERE account_id = ?";
    return db_int(c, 0, sql, "i", viewer);
}

char *community_prereq_list(struct dbc *c, int64_t community_id)
{
    static const char sql[] =
        "SELECT group_concat(prereq, ' ') FROM (SELECT prereq FROM community_prereqs"
        " WHERE community_id = ? ORDER BY"
        " instr('intentions places interests knowledge problems circumstances actions', prereq))";
    char *s = db_text(c, sql, "i", community_id);
    return s ? s : xstrdup("");
}

int64_t community_member_count(struct dbc *c, int64_t community_id)
{
    static const char sql[] = "SELECT members FROM communities WHERE id = ?";
    return db_int(c, 0, sql, "i", community_id);
}

json_t *territory_path(struct dbc *c, int64_t territory_id)
{
    static const char sql[] =
        "WITH RECURSIVE up(id, parent_id, name, depth) AS ("
        " SELECT id, parent_id, name, 0 FROM territories WHERE id = ?"
        " UNION ALL SELECT t.id, t.parent_id, t.name, up.depth + 1"
        " FROM territories t JOIN up ON t.id = up.parent_id WHERE up.depth < 10)"
        " SELECT group_concat(name, ' › ') AS path FROM (SELECT name FROM up ORDER BY depth DESC)";
    char *p = db_text(c, sql, "i", territory_id);
    json_t *s = p ? json_string(p) : NULL;
    free(p);
    return s;
}

/* The rank of a kind in the tree (country 1 ... neighbourhood 5), as SQL. */
#define KIND_RANK(x)                                                                               \
    "(CASE " x " WHEN 'country' THEN 1 WHEN 'region' THEN 2 WHEN 'city' THEN 3"                    \
    " WHEN 'district' THEN 4 WHEN 'neighbourhood' THEN 5 END)"

json_t *territory_tree(struct dbc *c, int max_depth, int64_t community_id)
{
    /* Public places, and the private ones of community_id (0: none). A
     * private place only ever hangs below a public one or one of the same
     * owner, so walking down with the same condition finds all of them. */
    static const char sql[] =
        "WITH RECURSIVE tree(id, name, kind, depth, path) AS ("
        " SELECT id, name, kind, 0, printf('%08d', id) FROM territories"
        "  WHERE parent_id IS NULL AND (community_id IS NULL OR community_id = ?2)"
        " UNION ALL SELECT t.id, t.name, t.kind, tree.depth + 1,"
        "  tree.path || '/' || printf('%08d', t.id)"
        " FROM territories t JOIN tree ON t.parent_id = tree.id"
        " WHERE tree.depth < ?1 AND (t.community_id IS NULL OR t.community_id = ?2))"
        " SELECT id, name, kind, depth FROM tree ORDER BY path LIMIT 2000";
    return db_rows(c, sql, "ii", (int64_t)max_depth, community_id);
}

int64_t territory_add(struct dbc *w, const struct territory_new *t)
{
    /* The tree's rules are the INSERT's own conditions, so no caller can
     * skip them: the parent is one this community may use, the kind is
     * strictly below the parent's (only a country at the top), and the
     * top three kinds need the right to add them. */
    static const char sql[] =
        "INSERT INTO territories(parent_id, kind, name, community_id)"
        " SELECT nullif(?1, 0), ?2, ?3, nullif(?4, 0)"
        " WHERE (?6 OR " KIND_RANK(
            "?2") " > 3)"
                  "  AND ((?1 = 0 AND ?2 = 'country') OR EXISTS (SELECT 1 FROM territories p"
                  "   WHERE p.id = ?1 AND (p.community_id IS NULL OR p.community_id = ?5)"
                  "   AND " KIND_RANK("p.kind") " < " KIND_RANK("?2") "))"
                                                                      " ON CONFLICT DO NOTHING";
    static const char find[] = "SELECT id FROM territories WHERE coalesce(parent_id, 0) = ?"
                               " AND coalesce(community_id, 0) = ? AND name = ?";
    int n = db_exec(w, sql, "ittiii", t->parent_id, t->kind, t->name, t->owner, t->community_id,
                    (int64_t)(t->may_add_top != 0));
    if (n < 0) return -1;
    int64_t id = db_int(w, 0, find, "iit", t->parent_id, t->owner, t->name);
    if (id > 0) return id;
    return n == 0 ? -3 : -1;
}

int64_t territory_create(struct dbc *w, int64_t parent_id, const char *kind, const char *name)
{
    struct territory_new t = {parent_id, kind, name, 0, 0, 1};
    return territory_add(w, &t);
}

const char *territory_kind_of(struct dbc *c, int64_t id, int64_t community_id)
{
    static const char sql[] = "SELECT kind FROM territories WHERE id = ?"
                              " AND (community_id IS NULL OR community_id = ?)";
    char *k = db_text(c, sql, "ii", id, community_id);
    const char *out = NULL;
    for (int i = 0; k && territory_kinds[i]; i++)
        if (str_eq(k, territory_kinds[i])) out = territory_kinds[i];
    free(k);
    return out;
}

int territory_usable(struct dbc *c, int64_t id, int64_t community_id)
{
    return territory_kind_of(c, id, community_id) != NULL;
}

int community_private_territories_drop(struct dbc *w, int64_t community_id)
{
    /* Leaves first: the tree's parent_id is ON DELETE RESTRICT. A private
     * place has at most as many private ancestors as the tree has
     * levels. */
    static const char sql[] = "DELETE FROM territories WHERE community_id = ?1 AND NOT EXISTS"
                              " (SELECT 1 FROM territories c WHERE c.parent_id = territories.id)";
    static const char left[] = "SELECT count(*) FROM territories WHERE community_id = ?";
    for (int i = 0; i < 8; i++)
        if (db_exec(w, sql, "i", community_id) < 0) return -1;
    return db_int(w, -1, left, "i", community_id) == 0 ? 0 : -1;
}

int community_delete(struct dbc *w, int64_t id)
{
    /* Every area's rows go by ON DELETE CASCADE, and what no foreign key
     * reaches by the triggers of migration 033; the private places first,
     * which the territory tree would otherwise keep. */
    static const char sql[] = "DELETE FROM communities WHERE id = ?";
    if (community_private_territories_drop(w, id) != 0) return -1;
    int n = db_exec(w, sql, "i", id);
    return n == 1 ? 0 : n == 0 ? -2 : -1;
}

/* ---- members ---- */

json_t *member_list(struct dbc *c, int64_t community_id, int64_t offset, int64_t limit)
{
    static const char sql[] =
        "SELECT a.handle, a.display_name, m.role, date(m.joined_at, 'unixepoch') AS joined"
        " FROM memberships m JOIN accounts a ON a.id = m.account_id"
        " WHERE m.community_id = ?"
        " ORDER BY m.role <> 'organizer', m.name_key LIMIT ? OFFSET ?";
    return db_rows(c, sql, "iii", community_id, limit, offset);
}

int64_t member_ids(struct dbc *c, int64_t community_id, int64_t **out)
{
    static const char sql[] =
        "SELECT account_id FROM memberships WHERE community_id = ? ORDER BY account_id";
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

int64_t member_account_id(struct dbc *c, int64_t community_id, const char *handle)
{
    static const char sql[] =
        "SELECT a.id FROM accounts a JOIN memberships m ON m.account_id = a.id"
        " WHERE m.community_id = ? AND a.handle = ?";
    return db_int(c, 0, sql, "it", community_id, handle);
}

char *community_slug_of(struct dbc *c, int64_t id)
{
    static const char sql[] = "SELECT slug FROM communities WHERE id = ?";
    return db_text(c, sql, "i", id);
}

char *member_role(struct dbc *c, int64_t community_id, int64_t account_id)
{
    static const char sql[] =
        "SELECT role FROM memberships WHERE community_id = ? AND account_id = ?";
    return db_text(c, sql, "ii", community_id, account_id);
}

int member_add(struct dbc *w, int64_t community_id, int64_t account_id, const char *role)
{
    static const char sql[] =
        "INSERT INTO memberships(community_id, account_id, role, joined_at) VALUES(?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING";
    return db_exec(w, sql, "iiti", community_id, account_id, role, now_s()) < 0 ? -1 : 0;
}

static int64_t organizers_other_than(struct dbc *w, int64_t community_id, int64_t account_id)
{
    static const char sql[] = "SELECT count(*) FROM memberships WHERE community_id = ?"
                              " AND role = 'organizer' AND account_id <> ?";
    return db_int(w, 0, sql, "ii", community_id, account_id);
}

int member_set_role(struct dbc *w, int64_t community_id, int64_t account_id, const char *role)
{
    static const char sql[] =
        "UPDATE memberships SET role = ? WHERE community_id = ? AND account_id = ?";
    if (!str_eq(role, "organizer") && organizers_other_than(w, community_id, account_id) == 0)
        return -2;
    return db_exec(w, sql, "tii", role, community_id, account_id) == 1 ? 0 : -1;
}

int member_remove(struct dbc *w, int64_t community_id, int64_t account_id)
{
    static const char sql[] = "DELETE FROM memberships WHERE community_id = ? AND account_id = ?";
    if (organizers_other_than(w, community_id, account_id) == 0) return -2;
    return db_exec(w, sql, "ii", community_id, account_id) == 1 ? 0 : -1;
}

/* ---- invitations ---- */

int64_t invite_create(struct dbc *w, int64_t community_id, const char *role, int64_t max_uses,
                      int64_t expires_at, const char *note, char *token_out)
{
    static const char sql[] =
        "INSERT INTO invitations(community_id, token_hash, role, max_uses, expires_at, note,"
        " created_at) VALUES(?, ?, ?, ?, ?, ?, ?)";
    char hash[AUTH_HEX_LEN + 1];
    auth_token_new(token_out);
    auth_token_hash(token_out, hash);
    if (db_exec(w, sql, "ittiiti", community_id, hash, role, max_uses, expires_at, note ? note : "",
                now_s()) < 0)
        return -1;
    return db_last_id(w);
}

json_t *invite_list(struct dbc *c, int64_t community_id)
{
    static const char sql[] =
        "SELECT id, role, max_uses, uses, note, date(expires_at, 'unixepoch') AS expires,"
        " date(created_at, 'unixepoch') AS created,"
        " (revoked = 0 AND uses < max_uses AND expires_at > ?) AS active"
        " FROM invitations WHERE community_id = ? ORDER BY created_at DESC, id DESC LIMIT 200";
    return db_rows(c, sql, "ii", now_s(), community_id);
}

int invite_revoke(struct dbc *w, int64_t community_id, int64_t id)
{
    static const char sql[] =
        "UPDATE invitations SET revoked = 1 WHERE id = ? AND community_id = ?";
    return db_exec(w, sql, "ii", id, community_id) == 1 ? 0 : -1;
}

json_t *invite_find(struct dbc *c, const char *token)
{
    static const char sql[] =
        "SELECT i.id, i.role, i.uses, i.max_uses, date(i.expires_at, 'unixepoch') AS expires,"
        " i.revoked, (i.expires_at <= ?) AS expired, (i.uses >= i.max_uses) AS used_up,"
        " c.id AS community_id, c.slug, c.name, c.description, c.visibility"
        " FROM invitations i JOIN communities c ON c.id = i.community_id"
        " WHERE i.token_hash = ?";
    char hash[AUTH_HEX_LEN + 1];
    auth_token_hash(token, hash);
    return db_row(c, sql, "it", now_s(), hash);
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

int invite_accept(struct dbc *w, const char *token, int64_t account_id, int64_t *community_out)
{
    static const char find[] =
        "SELECT id, community_id, role FROM invitations WHERE token_hash = ? AND revoked = 0"
        " AND uses < max_uses AND expires_at > ?";
    static const char use[] = "UPDATE invitations SET uses = uses + 1 WHERE id = ?";
    char hash[AUTH_HEX_LEN + 1];
    auth_token_hash(token, hash);
    json_t *inv = db_row(w, find, "ti", hash, now_s());
    if (!inv) return -3;
    int64_t id = json_integer_value(json_object_get(inv, "id"));
    int64_t cid = json_integer_value(json_object_get(inv, "community_id"));
    const char *role = json_string_value(json_object_get(inv, "role"));
    *community_out = cid;
    int rc;
    char *had = member_role(w, cid, account_id);
    if (had) {
        rc = 1; /* already in: the invitation is not spent */
    } else {
        rc = member_add(w, cid, account_id, role) == 0 && db_exec(w, use, "i", id) == 1 ? 0 : -1;
    }
    free(had);
    json_decref(inv);
    return rc;
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

int join_request_pending(struct dbc *c, int64_t community_id, int64_t account_id)
{
    static const char sql[] = "SELECT 1 FROM join_requests WHERE community_id = ?"
                              " AND account_id = ? AND status = 'pending'";
    return db_int(c, 0, sql, "ii", community_id, account_id) == 1;
}

json_t *join_request_list(struct dbc *c, int64_t community_id)
{
    static const char sql[] =
        "SELECT r.id, a.handle, a.display_name, r.message,"
        " date(r.created_at, 'unixepoch') AS created"
        " FROM join_requests r JOIN accounts a ON a.id = r.account_id"
        " WHERE r.community_id = ? AND r.status = 'pending' ORDER BY r.created_at LIMIT 500";
    return db_rows(c, sql, "i", community_id);
}

int join_request_decide(struct dbc *w, int64_t community_id, int64_t id, int approve)
{
    static const char find[] = "SELECT account_id FROM join_requests WHERE id = ?"
                               " AND community_id = ? AND status = 'pending'";
    static const char set[] = "UPDATE join_requests SET status = ?, decided_at = ? WHERE id = ?";
    int64_t account = db_int(w, 0, find, "ii", id, community_id);
    if (!account) return -1;
    if (db_exec(w, set, "tii", approve ? "approved" : "declined", now_s(), id) != 1) return -1;
    return approve ? member_add(w, community_id, account, "member") : 0;
}
