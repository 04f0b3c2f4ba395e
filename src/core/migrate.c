/* Schema migrations; see migrate.h. */
#include "core/migrate.h"
#include "core/db.h"
#include "core/embed.h"
#include "core/log.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

static const char SQL_CREATE[] = "CREATE TABLE IF NOT EXISTS schema_migrations("
                                 " name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)";
static const char SQL_HAS[] = "SELECT 1 FROM schema_migrations WHERE name = ?";
static const char SQL_ADD[] = "INSERT INTO schema_migrations(name, applied_at) VALUES(?, ?)";
static const char SQL_ALL[] = "SELECT name FROM schema_migrations ORDER BY name";

static int cmp_name(const void *a, const void *b)
{
    const struct embedded_file *const *x = a, *const *y = b;
    return strcmp((*x)->name, (*y)->name);
}

/* The embedded migrations in order; caller frees the array (not the files). */
static const struct embedded_file **list_migrations(size_t *n)
{
    size_t cap = 0;
    for (const struct embedded_file *f = embedded_files; f->name; f++)
        cap++;
    const struct embedded_file **out = xcalloc(cap + 1, sizeof *out);
    *n = 0;
    for (const struct embedded_file *f = embedded_files; f->name; f++)
        if (str_starts(f->name, "src/sql/") && strstr(f->name, ".sql")) out[(*n)++] = f;
    qsort(out, *n, sizeof *out, cmp_name);
    return out;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Checks for migrations in the database that we do not know. */
static int db_is_newer(struct dbc *c, const struct embedded_file **m, size_t n)
{
    json_t *rows = db_rows(c, SQL_ALL, "");
    if (!rows) return -1;
    int newer = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *name = json_string_value(json_object_get(row, "name"));
        int known = 0;
        for (size_t k = 0; k < n && !known; k++)
            known = str_eq(base_name(m[k]->name), name);
        if (!known) {
            log_error("migrate: the database has migration %s, which this binary does not "
                      "know: it was made by a newer Hramada; refusing to touch it",
                      name ? name : "?");
            newer = 1;
        }
    }
    json_decref(rows);
    return newer;
}

/* A migration that rebuilds a table (SQLite's twelve steps: create the
 * new shape, copy, drop the old, rename) says so on a line of its own:
 *
 *     -- migrate: foreign keys off
 *
 * With foreign keys on, dropping the old table is a DELETE of every row
 * and fires its children's ON DELETE actions: the answers of a survey, the
 * tags of an entry would go with a table that is only being reshaped. So
 * such a file runs with foreign keys off, and before it commits every
 * reference must still lead somewhere (foreign_key_check finds nothing),
 * or nothing of it is applied. The pragma cannot change inside a
 * transaction, hence outside it. */
static int rebuilds_tables(const char *sql)
{
    return strstr(sql, "\n-- migrate: foreign keys off\n") != NULL ||
           str_starts(sql, "-- migrate: foreign keys off\n");
}

static const char SQL_FK_BROKEN[] = "SELECT count(*) FROM pragma_foreign_key_check";

static int apply_one(struct dbc *c, const char *name, const char *sql)
{
    int fk_off = rebuilds_tables(sql);
    if (fk_off && db_exec_script(c, "PRAGMA foreign_keys=OFF") < 0) return -1;
    int ok = db_exec_script(c, "BEGIN IMMEDIATE") == 0 && db_exec_script(c, sql) == 0;
    if (ok && fk_off && db_int(c, -1, SQL_FK_BROKEN, "") != 0) {
        log_error("migrate: %s leaves references that lead nowhere", name);
        ok = 0;
    }
    ok = ok && db_exec(c, SQL_ADD, "ti", name, now_s()) >= 0 && db_exec_script(c, "COMMIT") == 0;
    if (!ok) db_exec_script(c, "ROLLBACK");
    if (fk_off) db_exec_script(c, "PRAGMA foreign_keys=ON");
    return ok ? 0 : -1;
}

/* apply: 0 counts what is pending; before: stop at the first migration
 * whose name sorts at or after it (NULL: none). */
static int run(struct db *db, int apply, const char *before)
{
    size_t n;
    const struct embedded_file **m = list_migrations(&n);
    struct dbc *c = db_writer_lock(db);
    int count = 0;
    if (db_exec(c, SQL_CREATE, "") < 0) {
        count = -1;
        goto out;
    }
    int newer = db_is_newer(c, m, n);
    if (newer) {
        count = newer < 0 ? -1 : -2;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const char *name = base_name(m[i]->name);
        if (before && strcmp(name, before) >= 0) break;
        if (db_int(c, 0, SQL_HAS, "t", name)) continue;
        if (!apply) {
            count++;
            continue;
        }
        if (apply_one(c, name, m[i]->data) != 0) {
            log_error("migrate: %s failed; nothing of it was applied", name);
            count = -1;
            goto out;
        }
        log_info("migrate: applied %s", name);
        count++;
    }
out:
    db_writer_unlock(db);
    free(m);
    return count;
}

int migrate_apply(struct db *db)
{
    return run(db, 1, NULL);
}

int migrate_apply_before(struct db *db, const char *name)
{
    return run(db, 1, name);
}

int migrate_pending(struct db *db)
{
    return run(db, 0, NULL);
}
