/* The SQLite store; see db.h for the design. */
#include "core/db.h"
#include "core/log.h"
#include "core/sealtext.h"
#include "core/text.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { STMT_CACHE = 512 }; /* 253 SQL literals in the tree today; a slot is 16 bytes */

struct stmt_slot {
    const char *sql; /* key: the literal's address */
    sqlite3_stmt *st;
};

struct dbc {
    sqlite3 *h;
    struct stmt_slot cache[STMT_CACHE]; /* open addressing by address */
    int last_err;
    int in_use;
    const char *reason;        /* wr_fail's catalog key, this transaction's */
    struct sealtext_keys keys; /* where seal() and unseal() find keys */
    int wal_flush;             /* db_flush_wal_after: this transaction's */
    int no_key;                /* the last error was seal() without a key */
};

struct db {
    pthread_mutex_t write_mu;
    pthread_mutex_t pool_mu;
    pthread_cond_t pool_cv;
    struct dbc *writer;
    struct dbc **readers;
    int nreaders;
};

static int dbc_pragmas(sqlite3 *h, int readonly, int cache_mb)
{
    static const char *common = "PRAGMA busy_timeout=5000;"
                                "PRAGMA foreign_keys=ON;"
                                "PRAGMA trusted_schema=OFF;"
                                "PRAGMA synchronous=FULL;"
                                "PRAGMA temp_store=MEMORY;"
                                /* Deleted content is zeroed, not left in free
                                 * space: the ballot box mixes its rows by
                                 * deleting and writing them again, and a row
                                 * that is gone must not be read off the file. */
                                "PRAGMA secure_delete=ON;";
    char *err = NULL;
    if (cache_mb > 0) {
        /* a number from the command line, checked there: no text of anyone's */
        char cache[64];
        snprintf(cache, sizeof cache, "PRAGMA cache_size=-%d;", cache_mb * 1024);
        if (sqlite3_exec(h, cache, NULL, NULL, NULL) != SQLITE_OK) return -1;
    }
    if (sqlite3_exec(h, common, NULL, NULL, &err) != SQLITE_OK) {
        log_error("db: pragmas: %s", err ? err : "?");
        sqlite3_free(err);
        return -1;
    }
    if (readonly) sqlite3_exec(h, "PRAGMA query_only=ON;", NULL, NULL, NULL);
    return 0;
}

/* SQL function fold(text): text_fold() for case- and ё-insensitive search
 * in Russian, which SQLite's ASCII-only lower() cannot do. */
static void sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    struct buf b;
    buf_init(&b);
    text_fold(&b, s ? s : "", (size_t)sqlite3_value_bytes(argv[0]));
    if (!b.data)
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
    else
        sqlite3_result_text(ctx, b.data, (int)b.len, free); /* SQLite now owns b.data */
}

static struct dbc *dbc_open(const char *path, int readonly, int cache_mb)
{
    sqlite3 *h = NULL;
    /* The file exists by now: db_open made it (or refused a missing one). */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &h, flags, NULL) != SQLITE_OK) {
        log_error("db: cannot open %s: %s", path, h ? sqlite3_errmsg(h) : "out of memory");
        sqlite3_close(h);
        return NULL;
    }
    /* DEFENSIVE stops SQL from corrupting the file through writable_schema
     * and the like; double-quoted string literals are a source of silent bugs. */
    sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(h, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
    sqlite3_db_config(h, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
    sqlite3_extended_result_codes(h, 1);
    sqlite3_create_function_v2(h, "fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                               NULL, sql_fold, NULL, NULL, NULL);
    if (!readonly) {
        char *err = NULL;
        if (sqlite3_exec(h, "PRAGMA journal_mode=WAL;", NULL, NULL, &err) != SQLITE_OK) {
            log_error("db: WAL: %s", err ? err : "?");
            sqlite3_free(err);
            sqlite3_close(h);
            return NULL;
        }
    }
    if (dbc_pragmas(h, readonly, cache_mb) != 0) {
        sqlite3_close(h);
        return NULL;
    }
    struct dbc *c = xcalloc(1, sizeof *c);
    c->h = h;
    if (sealtext_register(h, c, &c->keys) != 0) {
        log_error("db: cannot register seal(): %s", sqlite3_errmsg(h));
        sqlite3_close(h);
        free(c);
        return NULL;
    }
    return c;
}

static void dbc_close(struct dbc *c)
{
    if (!c) return;
    for (int i = 0; i < STMT_CACHE; i++)
        sqlite3_finalize(c->cache[i].st);
    sqlite3_close(c->h);
    free(c);
}

/* Takes group and other bits off an existing file; 0 when done or absent. */
static int make_private(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return errno == ENOENT ? 0 : -1;
    if ((st.st_mode & 077) == 0) return 0;
    if (chmod(path, st.st_mode & 0700) != 0) {
        log_error("db: %s is readable by other users and cannot be made private: %s", path,
                  strerror(errno));
        return -1;
    }
    log_warn("db: %s was readable by other users (mode %04o); it is now the owner's alone", path,
             (unsigned)(st.st_mode & 0777));
    return 0;
}

int db_make_private(const char *path, int create)
{
    /* The database holds member lists, so it is the owner's alone whatever
     * the umask. SQLite creates the -wal and -shm files with the mode of
     * the database file (and sets it explicitly, past the umask), so a
     * database made 0600 before SQLite first opens it covers all three;
     * files left by an older version are tightened here. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
    if (fd < 0) {
        if (errno == ENOENT && !create) return -2;
        log_error("db: cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    close(fd);
    char side[4096];
    int rc = make_private(path);
    static const char *const suffixes[] = {"-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0] && rc == 0; i++) {
        if ((size_t)snprintf(side, sizeof side, "%s%s", path, suffixes[i]) >= sizeof side) break;
        rc = make_private(side);
    }
    return rc;
}

struct db *db_open(const char *path, int nreaders, int cache_mb)
{
    return db_open_flags(path, nreaders, cache_mb, DB_CREATE);
}

struct db *db_open_flags(const char *path, int nreaders, int cache_mb, int flags)
{
    int pr = db_make_private(path, flags & DB_CREATE);
    if (pr == -2) {
        log_error("db: %s does not exist", path);
        return NULL;
    }
    if (pr != 0) return NULL;
    /* SQLite's count of the memory it holds takes a global mutex at every
     * malloc and free it makes, thousands a page, and nothing here reads
     * the count. It can only be turned off before SQLite starts: the first
     * open does it, at start-up; later ones are refused it, harmlessly. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    struct db *db = xcalloc(1, sizeof *db);
    pthread_mutex_init(&db->write_mu, NULL);
    pthread_mutex_init(&db->pool_mu, NULL);
    pthread_cond_init(&db->pool_cv, NULL);
    db->writer = dbc_open(path, 0, cache_mb); /* first: it sets WAL mode on the file */
    if (!db->writer) {
        db_close(db);
        return NULL;
    }
    db->nreaders = nreaders < 1 ? 1 : nreaders;
    db->readers = xcalloc((size_t)db->nreaders, sizeof(struct dbc *));
    for (int i = 0; i < db->nreaders; i++) {
        db->readers[i] = dbc_open(path, 1, cache_mb);
        if (!db->readers[i]) {
            db_close(db);
            return NULL;
        }
    }
    return db;
}

void db_close(struct db *db)
{
    if (!db) return;
    for (int i = 0; db->readers && i < db->nreaders; i++)
        dbc_close(db->readers[i]);
    free(db->readers);
    if (db->writer) {
        /* A clean close checkpoints the WAL so the file stands alone. */
        sqlite3_exec(db->writer->h, "PRAGMA wal_checkpoint(TRUNCATE);", NULL, NULL, NULL);
        dbc_close(db->writer);
    }
    pthread_mutex_destroy(&db->write_mu);
    pthread_mutex_destroy(&db->pool_mu);
    pthread_cond_destroy(&db->pool_cv);
    free(db);
}

struct dbc *db_reader_acquire(struct db *db)
{
    pthread_mutex_lock(&db->pool_mu);
    for (;;) {
        for (int i = 0; i < db->nreaders; i++) {
            if (!db->readers[i]->in_use) {
                db->readers[i]->in_use = 1;
                pthread_mutex_unlock(&db->pool_mu);
                return db->readers[i];
            }
        }
        pthread_cond_wait(&db->pool_cv, &db->pool_mu);
    }
}

void db_reader_release(struct db *db, struct dbc *c)
{
    if (!c) return;
    sealtext_source(&c->keys, NULL, NULL); /* the next borrower's keys are its own */
    pthread_mutex_lock(&db->pool_mu);
    c->in_use = 0;
    pthread_cond_signal(&db->pool_cv);
    pthread_mutex_unlock(&db->pool_mu);
}

struct dbc *db_writer_lock(struct db *db)
{
    pthread_mutex_lock(&db->write_mu);
    return db->writer;
}

void db_writer_unlock(struct db *db)
{
    pthread_mutex_unlock(&db->write_mu);
}

struct dbc *db_write_begin(struct db *db)
{
    struct dbc *c = db_writer_lock(db);
    c->reason = NULL;
    c->wal_flush = 0;
    c->no_key = 0;
    if (db_exec(c, "BEGIN IMMEDIATE", "") < 0) {
        db_writer_unlock(db);
        return NULL;
    }
    return c;
}

int db_write_end(struct db *db, struct dbc *c, int ok)
{
    int rc = 0;
    if (ok && db_exec(c, "COMMIT", "") < 0) {
        log_error("db: commit failed: %s", sqlite3_errmsg(c->h));
        ok = 0;
        rc = -1;
    }
    if (!ok && sqlite3_get_autocommit(c->h) == 0) db_exec(c, "ROLLBACK", "");
    /* Best effort: a reader still on an older snapshot keeps its frames;
     * the next flush or a clean stop gets them. */
    if (ok && c->wal_flush)
        sqlite3_wal_checkpoint_v2(c->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    c->wal_flush = 0;
    sealtext_source(&c->keys, NULL, NULL);
    db_writer_unlock(db);
    return rc;
}

void db_flush_wal_after(struct dbc *w)
{
    w->wal_flush = 1;
}

int db_wal_truncate(struct db *db)
{
    struct dbc *c = db_writer_lock(db);
    int log = -1, done = -1;
    int rc = sqlite3_wal_checkpoint_v2(c->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
    db_writer_unlock(db);
    return rc == SQLITE_OK && log == 0 ? 0 : -1;
}

sqlite3 *dbc_handle(struct dbc *c)
{
    return c->h;
}

struct sealtext_keys *dbc_keys(struct dbc *c)
{
    return &c->keys;
}

static sqlite3_stmt *stmt_get(struct dbc *c, const char *sql)
{
    size_t h = ((uintptr_t)sql >> 3) % STMT_CACHE;
    for (int probe = 0; probe < STMT_CACHE; probe++) {
        struct stmt_slot *s = &c->cache[(h + (size_t)probe) % STMT_CACHE];
        if (s->sql == sql) return s->st;
        if (!s->sql) {
            if (sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL) !=
                SQLITE_OK) {
                c->last_err = sqlite3_extended_errcode(c->h);
                log_error("db: prepare: %s in: %s", sqlite3_errmsg(c->h), sql);
                s->st = NULL;
                return NULL;
            }
            s->sql = sql;
            return s->st;
        }
    }
    /* Cache full: more distinct statements than slots is a design error. */
    log_error("db: statement cache full");
    return NULL;
}

sqlite3_stmt *db_vprepare(struct dbc *c, const char *sql, const char *spec, va_list ap)
{
    sqlite3_stmt *st = stmt_get(c, sql);
    if (!st) return NULL;
    int idx = 1;
    for (const char *p = spec; *p; p++, idx++) {
        int rc = SQLITE_OK;
        switch (*p) {
        case 'i':
            rc = sqlite3_bind_int64(st, idx, va_arg(ap, int64_t));
            break;
        case 'd':
            rc = sqlite3_bind_double(st, idx, va_arg(ap, double));
            break;
        case 'n':
            rc = sqlite3_bind_null(st, idx);
            break;
        case 'b': { /* two arguments: const void *bytes, size_t length */
            const void *bytes = va_arg(ap, const void *);
            size_t n = va_arg(ap, size_t);
            rc = sqlite3_bind_blob64(st, idx, bytes, n, SQLITE_TRANSIENT);
            break;
        }
        case 't': {
            const char *s = va_arg(ap, const char *);
            rc = s ? sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT)
                   : sqlite3_bind_null(st, idx);
            break;
        }
        default:
            log_error("db: bad bind spec '%c'", *p);
            rc = SQLITE_MISUSE;
        }
        if (rc != SQLITE_OK) {
            log_error("db: bind %d: %s", idx, sqlite3_errmsg(c->h));
            sqlite3_clear_bindings(st);
            return NULL;
        }
    }
    return st;
}

sqlite3_stmt *db_prepare(struct dbc *c, const char *sql, const char *spec, ...)
{
    va_list ap;
    va_start(ap, spec);
    sqlite3_stmt *st = db_vprepare(c, sql, spec, ap);
    va_end(ap);
    return st;
}

void db_done(sqlite3_stmt *st)
{
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
}

static int step_error(struct dbc *c, sqlite3_stmt *st, int rc)
{
    c->last_err = rc;
    int prim = rc & 0xff;
    /* a text of a sealed community written by someone who waits for its
     * key: the person's state, not the database's failure */
    c->no_key = prim == SQLITE_ERROR && strcmp(sqlite3_errmsg(c->h), SEALTEXT_NO_KEY) == 0;
    if (c->no_key)
        log_info("db: a write refused: the community's key is not open");
    else if (prim != SQLITE_CONSTRAINT)
        log_error("db: %s in: %s", sqlite3_errmsg(c->h), sqlite3_sql(st));
    return -1;
}

int db_exec(struct dbc *c, const char *sql, const char *spec, ...)
{
    va_list ap;
    va_start(ap, spec);
    sqlite3_stmt *st = db_vprepare(c, sql, spec, ap);
    va_end(ap);
    if (!st) return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    int out = rc == SQLITE_DONE ? sqlite3_changes(c->h) : step_error(c, st, rc);
    db_done(st);
    return out;
}

int db_exec_each(struct dbc *c, const char *const *sql, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (db_exec(c, sql[i], "i", id) < 0) return -1;
    return 0;
}

int db_exec_script(struct dbc *c, const char *script)
{
    char *err = NULL;
    if (sqlite3_exec(c->h, script, NULL, NULL, &err) != SQLITE_OK) {
        log_error("db: %s", err ? err : "?");
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

/* The statement stepped to its first row when that row's first column is
 * not NULL (the caller reads it, then db_done); NULL otherwise, the
 * statement reset and an error logged. */
static sqlite3_stmt *first_value(struct dbc *c, const char *sql, const char *spec, va_list ap)
{
    sqlite3_stmt *st = db_vprepare(c, sql, spec, ap);
    if (!st) return NULL;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) return st;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) step_error(c, st, rc);
    db_done(st);
    return NULL;
}

int64_t db_int(struct dbc *c, int64_t dflt, const char *sql, const char *spec, ...)
{
    va_list ap;
    va_start(ap, spec);
    sqlite3_stmt *st = first_value(c, sql, spec, ap);
    va_end(ap);
    int64_t v = st ? sqlite3_column_int64(st, 0) : dflt;
    db_done(st);
    return v;
}

char *db_text(struct dbc *c, const char *sql, const char *spec, ...)
{
    va_list ap;
    va_start(ap, spec);
    sqlite3_stmt *st = first_value(c, sql, spec, ap);
    va_end(ap);
    char *out = st ? xstrdup((const char *)sqlite3_column_text(st, 0)) : NULL;
    db_done(st);
    return out;
}

static json_t *column_json(sqlite3_stmt *st, int i);

/* Column names are the names our own SQL gives: not checked as UTF-8. */
json_t *db_row_json(sqlite3_stmt *st)
{
    json_t *o = json_object();
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++)
        json_object_set_new_nocheck(o, sqlite3_column_name(st, i), column_json(st, i));
    return o;
}

static json_t *rows_v(struct dbc *c, int limit, const char *sql, const char *spec, va_list ap)
{
    sqlite3_stmt *st = db_vprepare(c, sql, spec, ap);
    if (!st) return NULL;
    json_t *arr = json_array();
    int rc = SQLITE_DONE;
    while ((limit < 0 || (int)json_array_size(arr) < limit) &&
           (rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(arr, db_row_json(st));
    if (limit < 0 && rc != SQLITE_DONE) {
        step_error(c, st, rc);
        json_decref(arr);
        arr = NULL;
    }
    db_done(st);
    return arr;
}

json_t *db_rows(struct dbc *c, const char *sql, const char *spec, ...)
{
    va_list ap;
    va_start(ap, spec);
    json_t *a = rows_v(c, -1, sql, spec, ap);
    va_end(ap);
    return a;
}

json_t *db_row(struct dbc *c, const char *sql, const char *spec, ...)
{
    va_list ap;
    va_start(ap, spec);
    json_t *a = rows_v(c, 1, sql, spec, ap);
    va_end(ap);
    json_t *row = NULL;
    if (a && json_array_size(a) == 1) row = json_incref(json_array_get(a, 0));
    json_decref(a);
    return row;
}

int db_snapshot_begin(struct dbc *c)
{
    return sqlite3_exec(c->h, "BEGIN", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

void db_snapshot_end(struct dbc *c)
{
    /* A read transaction has nothing to commit; ending it lets the WAL be
     * checkpointed past it. */
    sqlite3_exec(c->h, "COMMIT", NULL, NULL, NULL);
}

json_t *db_rows_named(struct dbc *c, const struct db_named_query *q, int64_t a, int64_t b,
                      const char *t)
{
    json_t *o = json_object();
    for (; q->name; q++) {
        /* ?3 only where a query has it: a statement refuses a binding past
         * its last parameter. Asked of the statement itself (prepared once,
         * then from the cache), not guessed from the text. */
        sqlite3_stmt *st = db_prepare(c, q->sql, "");
        int params = st ? sqlite3_bind_parameter_count(st) : 0;
        db_done(st);
        json_t *rows = !st          ? NULL
                       : params > 2 ? db_rows(c, q->sql, "iit", a, b, t)
                                    : db_rows(c, q->sql, "ii", a, b);
        if (!rows) {
            json_decref(o);
            return NULL;
        }
        json_object_set_new(o, q->name, rows);
    }
    return o;
}

int64_t db_total_changes(struct dbc *c)
{
    return sqlite3_total_changes64(c->h);
}

int64_t db_last_id(struct dbc *c)
{
    return sqlite3_last_insert_rowid(c->h);
}

int db_last_error(struct dbc *c)
{
    return c->last_err;
}

int db_was_unique_violation(struct dbc *c)
{
    return c->last_err == SQLITE_CONSTRAINT_UNIQUE || c->last_err == SQLITE_CONSTRAINT_PRIMARYKEY;
}

/* ---- writes ---- */

enum wr wr_fail(struct dbc *w, enum wr rc, const char *msgkey)
{
    w->reason = msgkey;
    return rc;
}

const char *wr_reason(const struct dbc *w)
{
    return w ? w->reason : NULL;
}

enum wr wr_from_error(struct dbc *w)
{
    int e = w->last_err;
    if (w->no_key) return wr_fail(w, WR_CONFLICT, "error.key_waiting");
    switch (e & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return WR_BUSY;
    case SQLITE_CONSTRAINT:
        return db_was_unique_violation(w) ? WR_CONFLICT : WR_INVALID;
    default:
        return WR_DB;
    }
}

enum wr wr_changed(struct dbc *w, int changed, enum wr none)
{
    if (changed > 0) return WR_OK;
    return changed == 0 ? none : wr_from_error(w);
}

/* ---- views ---- */

/* For each column of st, the field index it feeds, or -1 when the view
 * does not carry it for this viewer. */
static void view_map(sqlite3_stmt *st, const struct vmask *m, int *map, int n)
{
    for (int i = 0; i < n; i++) {
        map[i] = -1;
        const char *name = sqlite3_column_name(st, i);
        for (int k = 0; k < 64 && m->fields[k].name; k++)
            if ((m->allow >> k & 1) && strcmp(m->fields[k].name, name) == 0) {
                map[i] = k;
                break;
            }
    }
}

static json_t *column_json(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        return json_integer(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(st, i));
    case SQLITE_NULL:
        return json_null();
    case SQLITE_BLOB:
        return json_null(); /* never raw bytes (a keyring, a hash) */
    default: {
        /* Checked here with our own validator and handed over unchecked:
         * jansson's check is a call per character and was a quarter of a
         * members page's instructions. Text that is not UTF-8 is null. */
        /* The bytes as they stand in the row (our databases are UTF-8):
         * sqlite3_column_text copies a text that is not NUL-terminated in
         * the page, which most are, only for jansson to copy it again. A
         * zero-length value is a NULL pointer here. */
        const char *t = (const char *)sqlite3_column_blob(st, i);
        size_t n = (size_t)sqlite3_column_bytes(st, i);
        return t || !n ? db_text_json(n ? t : "", n) : json_null();
    }
    }
}

json_t *db_text_json(const char *t, size_t n)
{
    json_t *v = utf8_valid(t, n) ? json_stringn_nocheck(t, n) : NULL;
    return v ? v : json_null();
}

static void view_put_mapped(sqlite3_stmt *st, const int *map, int n, json_t *o)
{
    for (int i = 0; i < n; i++)
        if (map[i] >= 0)
            json_object_set_new_nocheck(o, sqlite3_column_name(st, i), column_json(st, i));
}

enum { VIEW_MAX_COLS = 64 };

void db_view_put(sqlite3_stmt *st, const struct vmask *m, json_t *o)
{
    int map[VIEW_MAX_COLS];
    int n = sqlite3_column_count(st);
    if (n > VIEW_MAX_COLS) n = VIEW_MAX_COLS;
    view_map(st, m, map, n);
    view_put_mapped(st, map, n, o);
}

static json_t *view_rows_v(struct dbc *c, const struct vmask *m, int limit, const char *sql,
                           const char *spec, va_list ap)
{
    sqlite3_stmt *st = db_vprepare(c, sql, spec, ap);
    if (!st) return NULL;
    int map[VIEW_MAX_COLS];
    int n = sqlite3_column_count(st);
    if (n > VIEW_MAX_COLS) n = VIEW_MAX_COLS;
    view_map(st, m, map, n);
    json_t *arr = json_array();
    int rc = SQLITE_DONE;
    while ((limit < 0 || (int)json_array_size(arr) < limit) &&
           (rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = json_object();
        view_put_mapped(st, map, n, o);
        json_array_append_new(arr, o);
    }
    if (limit < 0 && rc != SQLITE_DONE) {
        step_error(c, st, rc);
        json_decref(arr);
        arr = NULL;
    }
    db_done(st);
    return arr;
}

json_t *db_view_rows(struct dbc *c, const struct vmask *m, const char *sql, const char *spec, ...)
{
    va_list ap;
    va_start(ap, spec);
    json_t *a = view_rows_v(c, m, -1, sql, spec, ap);
    va_end(ap);
    return a;
}

json_t *db_view_row(struct dbc *c, const struct vmask *m, const char *sql, const char *spec, ...)
{
    va_list ap;
    va_start(ap, spec);
    json_t *a = view_rows_v(c, m, 1, sql, spec, ap);
    va_end(ap);
    json_t *row = NULL;
    if (a && json_array_size(a) == 1) row = json_incref(json_array_get(a, 0));
    json_decref(a);
    return row;
}
