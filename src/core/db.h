/*
 * The SQLite store.
 *
 * One writer connection behind a mutex (SQLite allows one writer at a time
 * anyway; queueing in our mutex is cheaper than spinning in busy_timeout)
 * and a pool of query_only reader connections, one per worker thread at
 * most. Each connection caches its prepared statements keyed by the SQL
 * text's address: every statement is a string literal in an area's model.c,
 * so the address identifies it and lookup costs no hashing of the text.
 *
 * The db_* query helpers take a bind spec: one letter per '?' parameter,
 *   i  int64_t       t  const char * (NULL binds NULL)
 *   d  double        n  no argument, binds NULL
 *   b  const void *, size_t: a blob of that many bytes (copied)
 * and results come back as jansson values so that they drop straight into
 * a view. Statements are reset right after use.
 */
#ifndef HR_DB_H
#define HR_DB_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

struct dbc; /* one connection with its statement cache */
struct db;  /* the pool: a writer and readers */

/* Opens (creating if needed) the database file. nreaders >= 1; each
 * connection keeps a page cache of up to cache_mb MiB (0: SQLite's own
 * default). NULL on failure with the reason logged. Owned by caller;
 * db_close frees. */
struct db *db_open(const char *path, int nreaders, int cache_mb);
/* db_open with flags: DB_CREATE creates a missing file (db_open always
 * does); without it a missing file is refused (NULL, logged), so that a
 * mistyped path cannot start an empty instance. */
enum { DB_CREATE = 1 };
struct db *db_open_flags(const char *path, int nreaders, int cache_mb, int flags);
void db_close(struct db *db);

/* Makes the database file at path, and its -wal, -shm and -journal files
 * when they exist, readable and writable by the owner only (0600 whatever
 * the umask), creating an empty database file first when create is set.
 * 0 on success, -2 when the file does not exist and create is not set, -1
 * on another error (logged). db_open does this before SQLite opens the
 * file. */
int db_make_private(const char *path, int create);

/* Borrow a reader; blocks while all are in use. Give it back with
 * db_reader_release. */
struct dbc *db_reader_acquire(struct db *db);
void db_reader_release(struct db *db, struct dbc *c);

/* Take the writer and BEGIN IMMEDIATE. NULL if BEGIN failed. */
struct dbc *db_write_begin(struct db *db);
/* COMMIT when ok, else ROLLBACK; then release the writer. Returns 0 when the
 * commit succeeded (or the rollback was asked for and done). */
int db_write_end(struct db *db, struct dbc *c, int ok);
/* Run without a transaction on the writer (migrations, maintenance). */
struct dbc *db_writer_lock(struct db *db);
void db_writer_unlock(struct db *db);

/* Checkpoints the WAL into the database file and truncates it to zero
 * bytes, on the writer outside any transaction. 0 when the WAL is empty
 * afterwards; -1 when a reader kept it (busy) or on error. */
int db_wal_truncate(struct db *db);
/* Asks the write transaction w is in to checkpoint and truncate the WAL
 * once it has committed (best effort, as db_wal_truncate): for a write that
 * rewrote in place what must not stay readable in the WAL's older page
 * images, such as a community's texts sealed where they were clear. */
void db_flush_wal_after(struct dbc *w);

sqlite3 *dbc_handle(struct dbc *c);
/* Where the connection's seal() and unseal() find data keys
 * (core/sealtext.h): a request sets its viewer's keyring while it borrows
 * the connection; release and the end of a write forget it. */
struct sealtext_keys *dbc_keys(struct dbc *c);

/* Returns the cached statement for sql with the parameters bound, or NULL
 * (logged). Caller must sqlite3_reset it (db_done does) when finished. */
sqlite3_stmt *db_prepare(struct dbc *c, const char *sql, const char *spec, ...);
sqlite3_stmt *db_vprepare(struct dbc *c, const char *sql, const char *spec, va_list ap);
void db_done(sqlite3_stmt *st);

/* Executes; returns the number of changed rows, or -1 on error (constraint
 * violations included; db_last_error tells which). */
int db_exec(struct dbc *c, const char *sql, const char *spec, ...);
/* Executes each of n statements with id bound to its one parameter (which
 * it may name as ?1 more than once): a community's rows sealed in place,
 * area by area. 0, or -1 at the first that fails. */
int db_exec_each(struct dbc *c, const char *const *sql, size_t n, int64_t id);
/* Executes a script of statements without parameters (migrations). */
int db_exec_script(struct dbc *c, const char *script);
/* The first column of the first row as an integer; dflt when no row. */
int64_t db_int(struct dbc *c, int64_t dflt, const char *sql, const char *spec, ...);
/* The first column of the first row as a malloc'd string (caller owns), or
 * NULL when no row or NULL. */
char *db_text(struct dbc *c, const char *sql, const char *spec, ...);
/* All rows as a new JSON array of objects keyed by column name (caller owns
 * the reference). NULL only on error. */
json_t *db_rows(struct dbc *c, const char *sql, const char *spec, ...);
/* The first row as a new object, or NULL when there is none or on error. */
json_t *db_row(struct dbc *c, const char *sql, const char *spec, ...);

/* A read snapshot on a reader: every query between begin and end sees the
 * database as it was at the first one (WAL keeps it), so that a page or a
 * file read in several queries is of one moment. begin: 0 or -1. */
int db_snapshot_begin(struct dbc *c);
void db_snapshot_end(struct dbc *c);

/* One member of a JSON object per query: {name: [rows...]}. Every query
 * binds ?1 = a, ?2 = b and, when it names it, ?3 = t (an area's "download
 * my data" takes the account, whether secret communities are in, and the
 * sealed member ids, core/area.h PERSON_MEMBERS). The caller owns the result; NULL if
 * any query fails, so that no object has a part missing. */
struct db_named_query {
    const char *name;
    const char *sql;
};
json_t *db_rows_named(struct dbc *c, const struct db_named_query *q, int64_t a, int64_t b,
                      const char *t);
/* n bytes of t as a JSON string (new ref), checked by our own UTF-8
 * validator and handed to jansson unchecked (jansson's check is a call per
 * character); JSON null when they are not UTF-8. */
json_t *db_text_json(const char *t, size_t n);
/* The row at the statement's current position as a new object. */
json_t *db_row_json(sqlite3_stmt *st);
int64_t db_last_id(struct dbc *c);
/* Rows changed on this connection since it opened: two readings tell
 * whether the statements between them changed anything (a form saved as
 * it was shown, which must leave no trace). */
int64_t db_total_changes(struct dbc *c);
/* The extended result code of the last failed call on c. */
int db_last_error(struct dbc *c);
/* 1 if the last error on c was a UNIQUE constraint. */
int db_was_unique_violation(struct dbc *c);

/* ---- writes: one result type for every area ----
 *
 * A model's write returns what happened, and the request's one commit call
 * (req_commit) turns it into the answer: WR_OK commits; the others roll back
 * and answer 404, 409 (with the reason the model recorded), 422, 503 (the
 * database was busy) or 500 (logged). Every rule a write depends on is
 * decided on the writer inside the transaction, so a reader's earlier look
 * can never be acted on after it went stale: zero rows changed by a
 * statement that had conditions is a conflict, never a success. */
enum wr {
    WR_OK = 0,
    WR_NOT_FOUND, /* the row is not there (or not this viewer's to change) */
    WR_CONFLICT,  /* the state changed: closed, past its time, taken, voted */
    WR_INVALID,   /* a value the rules refuse that the form could not know */
    WR_BUSY,      /* the database could not take the write now */
    WR_DB,        /* anything else: a bug or a broken disk; logged */
};
/* Records why the write is a conflict or invalid (a catalog key, kept until
 * the next transaction on this connection) and returns rc. */
enum wr wr_fail(struct dbc *w, enum wr rc, const char *msgkey);
/* The reason recorded by wr_fail since the transaction began, or NULL. */
const char *wr_reason(const struct dbc *w);
/* The result of the last failed statement on w: busy/locked is WR_BUSY, a
 * UNIQUE or PRIMARY KEY violation WR_CONFLICT, another constraint (CHECK,
 * NOT NULL, FOREIGN KEY) WR_INVALID, anything else WR_DB. */
enum wr wr_from_error(struct dbc *w);
/* A db_exec result: > 0 rows is WR_OK, 0 is none (the caller says what no
 * row means: WR_NOT_FOUND or WR_CONFLICT), < 0 is wr_from_error. */
enum wr wr_changed(struct dbc *w, int changed, enum wr none);

/* ---- views by allow-list ----
 *
 * A column a statement selects reaches a view only when the view's field
 * list names it and the viewer holds the field's capability; the mask is
 * computed once per request (view_mask in render.h). Rows go from the
 * statement straight into the view, with no second copy. */
struct vfield {
    const char *name;
    int cap; /* an enum cap (req.h); CAP_ANY: whoever may see the page */
};
struct vmask {
    const struct vfield *fields; /* {NULL} ends the list; at most 64 */
    uint64_t allow;              /* bit i: fields[i] is shown to this viewer */
};
/* All rows as a new array of objects holding the allowed fields only
 * (caller owns the reference); NULL only on error. */
json_t *db_view_rows(struct dbc *c, const struct vmask *m, const char *sql, const char *spec, ...);
/* The first row, or NULL when none or on error. */
json_t *db_view_row(struct dbc *c, const struct vmask *m, const char *sql, const char *spec, ...);
/* The current row of st into o, allowed fields only (for models that step
 * themselves, reading logic columns into structs on the way). */
void db_view_put(sqlite3_stmt *st, const struct vmask *m, json_t *o);

#endif
