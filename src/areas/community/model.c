/* The SQL of communities, members, invitations and join requests. */
#include "areas/community/community.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/keyring.h"
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

/* A place's name: a secret community's own place has its name sealed
 * (docs/architecture.md, "Sealing, step 3"), a public place never. */
#define T_NAME(t) "unseal(" t ".name, coalesce(" t ".community_id, 0), 'territories.name')"

enum wr community_add(struct dbc *w, struct community_new *c, int64_t creator,
                      const unsigned char *sk, int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO communities(slug, name, description, visibility, territory_id, created_at,"
        " updated_at) VALUES(?, ?, ?, ?, nullif(?, 0), ?, ?)";
    /* The address in the row is sealed in this transaction, with the name
     * (community_seal_start), before anything reaches the disk. */
    static const char address[] = "UPDATE communities SET address = ? WHERE id = ?";
    int64_t now = now_s();
    *id_out = 0;
    /* A secret community made by a person (their key at hand) gets a
     * random address, and the row holds only its hash: c->slug becomes
     * the address, which only its members' keyrings and invitations keep. */
    struct ring_entry e = {0};
    char stored[RING_ADDRESS_STORED_LEN + 1];
    const char *slug = c->slug;
    if (c->visibility == VIS_SECRET && sk) {
        ring_address_new(e.address, c->address);
        e.has_address = 1;
        ring_address_stored(c->address, stored);
        slug = stored;
        c->slug = c->address;
    }
    int n = db_exec(w, sql, "tttiiii", slug, c->name, c->description ? c->description : "",
                    (int64_t)c->visibility, c->territory_id, now, now);
    if (n <= 0)
        return n < 0 && db_was_unique_violation(w) ? wr_fail(w, WR_CONFLICT, "community.slug.taken")
                                                   : wr_changed(w, n, WR_DB);
    int64_t id = db_last_id(w);
    if (set_prereqs(w, id, c) < 0) return wr_from_error(w);
    if (e.has_address && db_exec(w, address, "ti", c->address, id) != 1) return wr_from_error(w);
    if (c->place) {
        struct territory_new t = *c->place;
        t.owner = c->visibility == VIS_SECRET ? id : 0;
        t.community_id = id;
        int64_t place = 0;
        enum wr prc = territory_place(w, &t, &place);
        if (prc != WR_OK) return prc;
        if (community_set_territory(w, id, place) != WR_OK) return wr_from_error(w);
        c->territory_id = place;
    }
    /* A secret community's organizer joins sealed when their key is at
     * hand, with its new data key and address; else in clear, waiting to
     * be sealed (the tools: demo, bench-data). */
    int64_t joined = -1;
    if (e.has_address) {
        e.has_key = community_seal_start(w, id, &e.dk) == 0;
        if (e.has_key) joined = member_join_sealed(w, id, creator, sk, "organizer", &e);
    } else {
        joined = member_join(w, id, creator, "organizer");
    }
    seal_wipe(&e, sizeof e);
    enum wr rc = joined > 0 ? WR_OK : wr_from_error(w);
    if (rc == WR_OK) *id_out = id;
    return rc;
}

int64_t community_create(struct dbc *w, const struct community_new *c, int64_t creator)
{
    int64_t id = 0;
    struct community_new copy = *c; /* no key: it keeps its slug */
    enum wr rc = community_add(w, &copy, creator, NULL, &id);
    return rc == WR_OK ? id : rc == WR_CONFLICT ? -2 : -1;
}

/* The stored prerequisites equal the form's: then nothing is rewritten. */
static int prereqs_same(struct dbc *w, int64_t id, const struct community_new *c)
{
    static const char count[] = "SELECT count(*) FROM community_prereqs WHERE community_id = ?";
    static const char has[] =
        "SELECT count(*) FROM community_prereqs WHERE community_id = ? AND prereq = ?";
    int distinct = 0;
    for (int i = 0; i < c->nprereqs; i++) {
        int dup = 0;
        for (int j = 0; j < i; j++)
            dup |= str_eq(c->prereqs[i], c->prereqs[j]);
        if (dup) continue;
        distinct++;
        if (db_int(w, 0, has, "it", id, c->prereqs[i]) != 1) return 0;
    }
    return db_int(w, -1, count, "i", id) == distinct;
}

enum wr community_update(struct dbc *w, int64_t id, const struct community_new *c)
{
    /* Only a change is written: a form saved as it was shown leaves the
     * row, and its updated_at, alone. */
    static const char sql[] =
        "UPDATE communities SET name = seal(?1, ?6, 'communities.name'),"
        " description = seal(?2, ?6, 'communities.description'), visibility = ?3,"
        " territory_id = nullif(?4, 0), updated_at = ?5 WHERE id = ?6"
        " AND (unseal(name, ?6, 'communities.name') IS NOT ?1"
        "  OR unseal(description, ?6, 'communities.description') IS NOT ?2 OR visibility IS NOT ?3"
        "  OR territory_id IS NOT nullif(?4, 0))";
    static const char exists[] = "SELECT count(*) FROM communities WHERE id = ?";
    int n = db_exec(w, sql, "ttiiii", c->name, c->description ? c->description : "",
                    (int64_t)c->visibility, c->territory_id, now_s(), id);
    if (n < 0) return wr_from_error(w);
    if (n == 0 && db_int(w, 0, exists, "i", id) == 0) return WR_NOT_FOUND;
    if (prereqs_same(w, id, c)) return WR_OK;
    return set_prereqs(w, id, c) == 0 ? WR_OK : wr_from_error(w);
}

enum wr community_set_territory(struct dbc *w, int64_t id, int64_t territory_id)
{
    static const char sql[] = "UPDATE communities SET territory_id = nullif(?, 0) WHERE id = ?";
    return wr_changed(w, db_exec(w, sql, "ii", territory_id, id), WR_NOT_FOUND);
}

int community_slug_taken(struct dbc *c, const char *slug)
{
    static const char sql[] = "SELECT count(*) FROM communities WHERE slug = ?";
    return (int)db_int(c, -1, sql, "t", slug);
}

#define FIND_COLS                                                                                  \
    "SELECT c.id, c.slug, unseal(c.name, c.id, 'communities.name'),"                               \
    " unseal(c.description, c.id, 'communities.description'), c.visibility, c.territory_id,"       \
    " m.role AS role, m.id AS member_id,"                                                          \
    " EXISTS (SELECT 1 FROM community_seals s WHERE s.community_id = c.id) AS sealed"              \
    " FROM communities c"                                                                          \
    " LEFT JOIN member_accounts l ON l.community_id = c.id AND l.account_id = ?1"                  \
    " LEFT JOIN members m ON m.id = l.member_id"
/* A path that may be a random address is looked up as it is and as
 * stored; any other by the one slug. Not "IN (?2, ?3)" for every path:
 * SQLite builds a temporary table for an IN list, a page of memory
 * cleared on every request of every community page. */
static const char find_sql[] = FIND_COLS " WHERE c.slug = ?2";
static const char find_either_sql[] = FIND_COLS " WHERE c.slug IN (?2, ?3)";

/* The slug as stored, and as stored if it is a random address. */
static const char *stored_form(const char *slug, char *buf)
{
    if (!slug || strlen(slug) != RING_ADDRESS_LEN) return slug;
    ring_address_stored(slug, buf);
    return buf;
}

/* The lookup of slug, bound (buf: room for its stored form). */
static sqlite3_stmt *find_prepare(struct dbc *c, const char *slug, int64_t viewer,
                                  char buf[RING_ADDRESS_STORED_LEN + 1])
{
    const char *stored = stored_form(slug, buf);
    return stored == slug ? db_prepare(c, find_sql, "it", viewer, slug)
                          : db_prepare(c, find_either_sql, "itt", viewer, slug, stored);
}

json_t *community_find(struct dbc *c, const char *slug, int64_t viewer)
{
    char buf[RING_ADDRESS_STORED_LEN + 1];
    sqlite3_stmt *st = find_prepare(c, slug, viewer, buf);
    json_t *row = st && sqlite3_step(st) == SQLITE_ROW ? db_row_json(st) : NULL;
    db_done(st);
    return row;
}

int community_read(struct dbc *c, struct arena *a, const char *slug, int64_t viewer,
                   struct community_row *out)
{
    char buf[RING_ADDRESS_STORED_LEN + 1];
    sqlite3_stmt *st = find_prepare(c, slug, viewer, buf);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) {
        out->id = sqlite3_column_int64(st, 0);
        /* A random address is the path's: the row has only its hash. */
        const char *stored = (const char *)sqlite3_column_text(st, 1);
        out->slug = arena_strdup(a, stored && stored[0] == '~' ? slug : stored);
        out->name = arena_strdup(a, (const char *)sqlite3_column_text(st, 2));
        const char *d = (const char *)sqlite3_column_text(st, 3);
        out->description = arena_strdup(a, d ? d : "");
        int vis = sqlite3_column_int(st, 4);
        out->visibility = vis == VIS_CLOSED   ? VIS_CLOSED
                          : vis == VIS_SECRET ? VIS_SECRET
                                              : VIS_PUBLIC;
        out->territory_id = sqlite3_column_int64(st, 5);
        out->role = community_role_from_name((const char *)sqlite3_column_text(st, 6));
        out->member_id = sqlite3_column_int64(st, 7);
        out->sealed = sqlite3_column_int(st, 8) != 0;
    }
    db_done(st);
    return rc;
}

/* Directory: what the viewer may see listed. The member count of a closed
 * community is shown (it is on its public card); members themselves never. */
json_t *community_directory(struct dbc *c, const struct vmask *m, struct arena *a,
                            const struct directory_filter *f, struct directory_extra **extra,
                            size_t *n_extra)
{
    /* The page is chosen first on the narrow columns, and only its rows
     * get their counts and labels: computing them for every community
     * before sorting made this page cost a scan of all memberships. */
    static const char sql[] =
        "WITH page AS (SELECT c.id FROM communities c INDEXED BY communities_name"
        " WHERE (c.visibility < 2 OR EXISTS (SELECT 1 FROM member_accounts l"
        "        WHERE l.community_id = c.id AND l.account_id = ?1)"
        "   OR c.id IN (SELECT community_id FROM members"
        "        WHERE id IN (SELECT value FROM json_each(?7))))"
        "  AND (?2 IS NULL OR EXISTS (SELECT 1 FROM community_prereqs p"
        "       WHERE p.community_id = c.id AND p.prereq = ?2))"
        "  AND (?3 = 0 OR c.territory_id IN (WITH RECURSIVE sub(id) AS ("
        "       SELECT ?3 UNION ALL"
        "       SELECT t2.id FROM territories t2 JOIN sub ON t2.parent_id = sub.id)"
        "       SELECT id FROM sub))"
        "  AND (?4 IS NULL OR instr(fold(unseal(c.name, c.id, 'communities.name')), fold(?4)) > 0)"
        " ORDER BY c.name LIMIT ?5 OFFSET ?6)"
        " SELECT " SHOWN_SLUG(
            "c", "?8") " AS slug, unseal(c.name, c.id, 'communities.name') AS name, c.visibility,"
                       " substr(unseal(c.description, c.id, 'communities.description'), 1, 1500)"
                       " AS summary_md,"
                       " c.members,"
                       " (SELECT group_concat(prereq, ' ') FROM community_prereqs p"
                       "   WHERE p.community_id = c.id) AS prereqs,"
                       " " T_NAME("t") " AS territory, m.role AS role"
                                       " FROM page JOIN communities c ON c.id = page.id"
                                       " LEFT JOIN " PERSON_MEMBERS_OF(
                                           "?1",
                                           "?7") " l ON l.community_id = c.id"
                                                 " LEFT JOIN members m ON m.id = l.member_id"
                                                 " LEFT JOIN territories t ON t.id = c.territory_id"
                                                 " ORDER BY c.name";
    *extra = NULL;
    *n_extra = 0;
    sqlite3_stmt *st =
        db_prepare(c, sql, "ititiitt", f->viewer, f->prereq, f->territory_id, f->query, f->limit,
                   f->offset, f->sealed ? f->sealed : "[]", f->addresses ? f->addresses : "{}");
    if (!st) return NULL;
    json_t *rows = json_array();
    struct directory_extra *x = arena_alloc(a, (size_t)(f->limit > 0 ? f->limit : 1) * sizeof *x);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n_extra < (size_t)f->limit) {
        json_t *o = json_object();
        db_view_put(st, m, o);
        json_array_append_new(rows, o);
        const char *md = (const char *)sqlite3_column_text(st, 3);
        const char *pre = (const char *)sqlite3_column_text(st, 5);
        x[*n_extra].summary_md = md ? arena_strdup(a, md) : NULL;
        x[*n_extra].prereqs = arena_strdup(a, pre ? pre : "");
        (*n_extra)++;
    }
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        json_decref(rows);
        return NULL;
    }
    *extra = x;
    return rows;
}

json_t *community_list_mine(struct dbc *c, const struct vmask *m, int64_t viewer,
                            const char *sealed, const char *addresses, int64_t offset,
                            int64_t limit)
{
    static const char sql[] =
        "SELECT " SHOWN_SLUG("c", "?5") " AS slug,"
                                        " unseal(c.name, c.id, 'communities.name') AS name,"
                                        " c.visibility, m.role, c.members"
                                        " FROM " MEMBER_LINKS
                                        " l JOIN members m ON m.id = l.member_id"
                                        " JOIN communities c ON c.id = m.community_id"
                                        " ORDER BY c.name, c.id LIMIT ?3 OFFSET ?4";
    return db_view_rows(c, m, sql, "itiit", viewer, sealed ? sealed : "[]", limit, offset,
                        addresses ? addresses : "{}");
}

int64_t community_count_mine(struct dbc *c, int64_t viewer, const char *sealed)
{
    static const char sql[] = "SELECT count(*) FROM " MEMBER_LINKS " l"
                              " JOIN members m ON m.id = l.member_id";
    return db_int(c, 0, sql, "it", viewer, sealed ? sealed : "[]");
}

const char *community_prereq_list(struct dbc *c, struct arena *a, int64_t community_id)
{
    static const char sql[] =
        "SELECT group_concat(prereq, ' ') FROM (SELECT prereq FROM community_prereqs"
        " WHERE community_id = ? ORDER BY"
        " instr('intentions places interests knowledge problems circumstances actions', prereq))";
    char *s = db_text(c, sql, "i", community_id);
    const char *out = arena_strdup(a, s ? s : "");
    free(s);
    return out;
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
        " SELECT id, parent_id, " T_NAME(
            "territories") ", 0 FROM territories WHERE id = ?"
                           " UNION ALL SELECT t.id, t.parent_id, " T_NAME(
                               "t") ", up.depth + 1"
                                    " FROM territories t JOIN up ON t.id = up.parent_id WHERE "
                                    "up.depth < 10)"
                                    " SELECT group_concat(name, ' › ') AS path FROM (SELECT name "
                                    "FROM up ORDER BY depth DESC)";
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
        " SELECT id, " T_NAME(
            "territories") ", kind, 0, printf('%08d', id) FROM territories"
                           "  WHERE parent_id IS NULL AND (community_id IS NULL OR community_id = "
                           "?2)"
                           " UNION ALL SELECT t.id, " T_NAME(
                               "t") ", t.kind, tree.depth + 1,"
                                    "  tree.path || '/' || printf('%08d', t.id)"
                                    " FROM territories t JOIN tree ON t.parent_id = tree.id"
                                    " WHERE tree.depth < ?1 AND (t.community_id IS NULL OR "
                                    "t.community_id = ?2))"
                                    " SELECT id, name, kind, depth FROM tree ORDER BY path LIMIT "
                                    "2000";
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
        " SELECT nullif(?1, 0), ?2, seal(?3, ?4, 'territories.name'), nullif(?4, 0)"
        " WHERE (?6 OR " KIND_RANK(
            "?2") " > 3)"
                  "  AND ((?1 = 0 AND ?2 = 'country') OR EXISTS (SELECT 1 FROM territories p"
                  "   WHERE p.id = ?1 AND (p.community_id IS NULL OR p.community_id = ?5)"
                  "   AND " KIND_RANK("p.kind") " < " KIND_RANK("?2") "))"
                                                                      " ON CONFLICT DO NOTHING";
    static const char find[] =
        "SELECT id FROM territories WHERE coalesce(parent_id, 0) = ?1"
        " AND coalesce(community_id, 0) = ?2 AND " T_NAME("territories") " = ?3";
    int n = db_exec(w, sql, "ittiii", t->parent_id, t->kind, t->name, t->owner, t->community_id,
                    (int64_t)(t->may_add_top != 0));
    if (n < 0) return -1;
    int64_t id = db_int(w, 0, find, "iit", t->parent_id, t->owner, t->name);
    if (id > 0) return id;
    return n == 0 ? -3 : -1;
}

enum wr territory_place(struct dbc *w, const struct territory_new *t, int64_t *id_out)
{
    int64_t id = territory_add(w, t);
    *id_out = id > 0 ? id : 0;
    if (id > 0) return WR_OK;
    /* The rules were checked on the form; refused here, the tree changed
     * under it (a parent removed or made private) since the page was read. */
    return id == -3 ? wr_fail(w, WR_INVALID, "territory.error.below") : wr_from_error(w);
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

enum wr community_delete(struct dbc *w, int64_t id)
{
    /* Every area's rows go by ON DELETE CASCADE, and what no foreign key
     * reaches by the triggers of migration 033; the private places first,
     * which the territory tree would otherwise keep. */
    static const char sql[] = "DELETE FROM communities WHERE id = ?";
    if (community_private_territories_drop(w, id) != 0) return wr_from_error(w);
    return wr_changed(w, db_exec(w, sql, "i", id), WR_NOT_FOUND);
}
