/* Schema migrations: numbered SQL files (src/sql/NNN_name.sql) compiled into
 * the binary, applied in name order, each in its own transaction, recorded
 * by name in schema_migrations so areas can add files without renumbering. */
#ifndef HR_MIGRATE_H
#define HR_MIGRATE_H

struct db;

/* Applies what is missing. Returns the number applied, or -1 on error, or
 * -2 when the database holds a migration this binary does not know (it is
 * newer than us: we must not touch it). */
int migrate_apply(struct db *db);
/* The same, only for the migrations whose file name sorts before name
 * ("051"): for tests that build a database as an older release left it,
 * then upgrade it. */
int migrate_apply_before(struct db *db, const char *name);
/* Number of migrations pending (0 when up to date), -2 when newer. */
int migrate_pending(struct db *db);

#endif
