/*
 * Encrypted backups; see backup.h.
 *
 * The file (format version 1; integers big-endian):
 *
 *   offset size
 *      0     8  magic "HRBACKUP"
 *      8     1  format version: 1
 *      9     1  key derivation: 1 = argon2id (crypto_pwhash, ARGON2ID13)
 *     10     2  reserved, 0
 *     12     4  chunk size: plaintext bytes of every chunk but the last (65536)
 *     16     8  argon2id opslimit
 *     24     8  argon2id memlimit, bytes
 *     32     8  plaintext size: the snapshot's bytes
 *     40    16  argon2id salt, random for each backup
 *     56    24  secretstream header (crypto_secretstream_xchacha20poly1305)
 *     80        the stream: a check message (the 16 bytes "hramada-backup-1"
 *               + 17), then the snapshot in chunks of chunk size + 17
 *               bytes, the last one shorter and tagged FINAL
 *
 * Every message of the stream carries the 56 bytes before the secretstream
 * header as additional data, so the cost, the sizes and the version cannot
 * be changed without the first message failing. The check message tells a
 * wrong passphrase from a damaged chunk further on. The plaintext size
 * gives the file's exact length, so a cut-off end is named as such before
 * any chunk is read.
 */
#include "core/backup.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    HDR_AD = 56,   /* the header bytes every message authenticates */
    HDR_SIZE = 80, /* with the secretstream header */
    CHUNK = 65536,
    ABYTES = crypto_secretstream_xchacha20poly1305_ABYTES,
    VERSION = 1,
    KDF_ARGON2ID = 1,
};
static const char MAGIC[8] = {'H', 'R', 'B', 'A', 'C', 'K', 'U', 'P'};
static const char CHECK[16] = "hramada-backup-1";

/* Progress lines only for a person watching a large file. */
static const int64_t PROGRESS_MIN = 16 << 20;

static unsigned long long cost_ops = crypto_pwhash_OPSLIMIT_MODERATE;
static size_t cost_mem = crypto_pwhash_MEMLIMIT_MODERATE;

void backup_set_cost(unsigned long long ops, size_t mem)
{
    cost_ops = ops < crypto_pwhash_OPSLIMIT_MIN ? crypto_pwhash_OPSLIMIT_MIN : ops;
    cost_mem = mem < crypto_pwhash_MEMLIMIT_MIN ? crypto_pwhash_MEMLIMIT_MIN : mem;
}

/* ---- temporary files that an interruption must not leave behind ---- */

/* The paths a signal handler removes (unlink is async-signal-safe). Only
 * the command-line process uses them, one run at a time. */
static char doomed[2][PATH_MAX];

static void on_signal(int sig)
{
    for (int i = 0; i < 2; i++)
        if (doomed[i][0]) unlink(doomed[i]);
    _exit(128 + sig);
}

static void guard_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

static void doom(int slot, const char *path)
{
    snprintf(doomed[slot], sizeof doomed[slot], "%s", path);
}

static void spare(int slot)
{
    doomed[slot][0] = 0;
}

/* A new empty file (0600) next to path, named path.WHAT-XXXXXX into tmp;
 * its descriptor, or -1 with a message. */
static int temp_beside(const char *path, const char *what, char *tmp, size_t n)
{
    if ((size_t)snprintf(tmp, n, "%s.%s-XXXXXX", path, what) >= n) {
        fprintf(stderr, "hramada: the path %s is too long\n", path);
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fprintf(stderr, "hramada: cannot create a file beside %s: %s\n", path, strerror(errno));
        return -1;
    }
    fchmod(fd, 0600);
    return fd;
}

/* fsync of the folder holding path, so that a rename survives a power cut. */
static void sync_dir_of(const char *path)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        dir[1] = 0;
    else if (slash)
        *slash = 0;
    else
        strcpy(dir, ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Moves tmp to path; without force an existing path is kept and refused
 * (atomically where the file system can, so that two runs cannot both win). */
static int put_in_place(const char *tmp, const char *path, int force)
{
    if (!force) {
        if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0) return 0;
        if (errno == EEXIST) {
            fprintf(stderr, "hramada: %s exists now; it was not overwritten\n", path);
            return -1;
        }
        if (errno != EINVAL && errno != ENOSYS) {
            fprintf(stderr, "hramada: cannot move the file into %s: %s\n", path, strerror(errno));
            return -1;
        }
        if (access(path, F_OK) == 0) { /* a file system without RENAME_NOREPLACE */
            fprintf(stderr, "hramada: %s exists now; it was not overwritten\n", path);
            return -1;
        }
    }
    if (rename(tmp, path) != 0) {
        fprintf(stderr, "hramada: cannot move the file into %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Reads up to n bytes (fewer only at the end of the file); -1 on error. */
static ssize_t read_full(int fd, unsigned char *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, p + got, n - got);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return -1;
        if (k == 0) break;
        got += (size_t)k;
    }
    return (ssize_t)got;
}

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 3; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

static uint64_t get_u(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* The file's exact length for a snapshot of size bytes: the header, the
 * check message, and one chunk per CHUNK bytes (at least one). */
static uint64_t expected_length(uint64_t size, uint32_t chunk)
{
    uint64_t chunks = size ? (size + chunk - 1) / chunk : 1;
    return HDR_SIZE + sizeof CHECK + ABYTES + chunks * ABYTES + size;
}

static int derive_key(unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES],
                      const char *pass, size_t passlen, const unsigned char *salt,
                      unsigned long long ops, size_t mem)
{
    if (crypto_pwhash(key, crypto_secretstream_xchacha20poly1305_KEYBYTES, pass, passlen, salt, ops,
                      mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        fprintf(stderr, "hramada: not enough memory to derive the key (argon2id wants %zu MiB)\n",
                mem >> 20);
        return -1;
    }
    return 0;
}

/* ---- backup ---- */

struct snap_progress {
    int fd;        /* the snapshot being written */
    int64_t total; /* the source's size, bytes */
    int64_t shown; /* last figure shown, MiB */
};

/* SQLite's progress handler during VACUUM INTO: the snapshot's size so far
 * against the source's. */
static int on_vacuum_progress(void *arg)
{
    struct snap_progress *p = arg;
    struct stat st;
    if (fstat(p->fd, &st) == 0 && (st.st_size >> 20) > p->shown) {
        p->shown = st.st_size >> 20;
        log_progress("snapshot MiB", p->shown < p->total >> 20 ? p->shown : (p->total >> 20) - 1,
                     p->total >> 20);
    }
    return 0;
}

/* VACUUM INTO the empty file at tmp (descriptor fd): one read transaction
 * of the source, so the snapshot is consistent while a server writes, and
 * without the free pages, so deleted rows do not travel in the backup. */
static int snapshot(const char *db_path, const char *tmp, int fd)
{
    sqlite3 *h = NULL;
    if (sqlite3_open_v2(db_path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        fprintf(stderr, "hramada: cannot open %s: %s\n", db_path,
                h ? sqlite3_errmsg(h) : "out of memory");
        sqlite3_close(h);
        return -1;
    }
    sqlite3_busy_timeout(h, 10000);
    struct stat st;
    struct snap_progress pr = {fd, 0, 0};
    if (stat(db_path, &st) == 0) pr.total = st.st_size;
    if (isatty(STDERR_FILENO) && pr.total >= PROGRESS_MIN)
        sqlite3_progress_handler(h, 200000, on_vacuum_progress, &pr);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(h, "VACUUM INTO ?", -1, &q, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_bind_text(q, 1, tmp, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK) rc = sqlite3_step(q);
    if (rc != SQLITE_DONE)
        fprintf(stderr, "hramada: cannot take a snapshot of %s: %s\n", db_path, sqlite3_errmsg(h));
    sqlite3_finalize(q);
    sqlite3_close(h);
    if (rc == SQLITE_DONE && pr.shown) log_progress("snapshot MiB", pr.total >> 20, pr.total >> 20);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Encrypts the snapshot (descriptor in, size bytes) into out. */
static int encrypt_to(int in, uint64_t size, int out, const char *pass, size_t passlen)
{
    unsigned char hdr[HDR_SIZE];
    memset(hdr, 0, sizeof hdr);
    memcpy(hdr, MAGIC, sizeof MAGIC);
    hdr[8] = VERSION;
    hdr[9] = KDF_ARGON2ID;
    put_u32(hdr + 12, CHUNK);
    put_u64(hdr + 16, cost_ops);
    put_u64(hdr + 24, cost_mem);
    put_u64(hdr + 32, size);
    randombytes_buf(hdr + 40, crypto_pwhash_SALTBYTES);
    unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
    if (derive_key(key, pass, passlen, hdr + 40, cost_ops, cost_mem) != 0) return -1;
    crypto_secretstream_xchacha20poly1305_state st;
    crypto_secretstream_xchacha20poly1305_init_push(&st, hdr + HDR_AD, key);
    sodium_memzero(key, sizeof key);
    unsigned char *plain = malloc(CHUNK), *cipher = malloc(CHUNK + ABYTES);
    int rc = plain && cipher ? 0 : -1;
    if (rc == 0 && write_all(out, hdr, sizeof hdr) != 0) rc = -1;
    if (rc == 0) {
        crypto_secretstream_xchacha20poly1305_push(&st, cipher, NULL, (const unsigned char *)CHECK,
                                                   sizeof CHECK, hdr, HDR_AD, 0);
        if (write_all(out, cipher, sizeof CHECK + ABYTES) != 0) rc = -1;
    }
    int show = isatty(STDERR_FILENO) && size >= (uint64_t)PROGRESS_MIN;
    uint64_t done = 0;
    do {
        if (rc != 0) break;
        size_t want = size - done < CHUNK ? (size_t)(size - done) : CHUNK;
        ssize_t got = read_full(in, plain, want);
        if (got != (ssize_t)want) {
            fprintf(stderr, "hramada: cannot read the snapshot: %s\n",
                    got < 0 ? strerror(errno) : "it is shorter than it was");
            rc = -1;
            break;
        }
        done += want;
        unsigned char tag = done == size ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0;
        crypto_secretstream_xchacha20poly1305_push(&st, cipher, NULL, plain, want, hdr, HDR_AD,
                                                   tag);
        if (write_all(out, cipher, want + ABYTES) != 0) {
            fprintf(stderr, "hramada: cannot write the backup: %s\n", strerror(errno));
            rc = -1;
        }
        if (show && (done % (64 * CHUNK) == 0 || done == size))
            log_progress("encrypt MiB", (int64_t)(done >> 20), (int64_t)(size >> 20));
    } while (done < size);
    if (plain) sodium_memzero(plain, CHUNK);
    sodium_memzero(&st, sizeof st);
    free(plain);
    free(cipher);
    return rc;
}

int backup_write(const char *db_path, const char *to, const char *pass, size_t passlen, int force)
{
    if (!force && access(to, F_OK) == 0) {
        fprintf(stderr, "hramada: %s exists; give another name, or --force to replace it\n", to);
        return -1;
    }
    struct stat a, b;
    if (stat(db_path, &a) == 0 && stat(to, &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino) {
        fprintf(stderr, "hramada: --to names the database itself; give the backup another name\n");
        return -1;
    }
    guard_signals();
    /* The plaintext snapshot lives beside the database, on the disk that
     * already holds the same data in clear, never beside the backup (which
     * may be on a removable or remote disk), and only until it is open. */
    char snap[PATH_MAX], tmp[PATH_MAX];
    int sfd = temp_beside(db_path, "snapshot", snap, sizeof snap);
    if (sfd < 0) return -1;
    doom(0, snap);
    int rc = snapshot(db_path, snap, sfd);
    close(sfd);
    int in = rc == 0 ? open(snap, O_RDONLY | O_CLOEXEC) : -1;
    unlink(snap);
    spare(0);
    if (rc != 0) return -1;
    if (in < 0) {
        fprintf(stderr, "hramada: cannot read the snapshot: %s\n", strerror(errno));
        return -1;
    }
    struct stat st;
    fstat(in, &st);
    int out = temp_beside(to, "tmp", tmp, sizeof tmp);
    if (out < 0) {
        close(in);
        return -1;
    }
    doom(1, tmp);
    rc = encrypt_to(in, (uint64_t)st.st_size, out, pass, passlen);
    close(in);
    if (rc == 0 && fsync(out) != 0) {
        fprintf(stderr, "hramada: cannot write the backup: %s\n", strerror(errno));
        rc = -1;
    }
    if (close(out) != 0) rc = -1;
    if (rc == 0) rc = put_in_place(tmp, to, force);
    if (rc != 0)
        unlink(tmp);
    else
        sync_dir_of(to);
    spare(1);
    if (rc == 0)
        fprintf(stderr, "hramada: backup of %s written to %s (%.1f MiB of database, encrypted)\n",
                db_path, to, (double)st.st_size / (1 << 20));
    return rc;
}

/* ---- restore ---- */

/* Decrypts from (descriptor in) into out; -1 with the message. */
static int decrypt_to(int in, const char *from, int out, const char *pass, size_t passlen,
                      uint64_t *size_out)
{
    unsigned char hdr[HDR_SIZE];
    ssize_t got = read_full(in, hdr, sizeof hdr);
    if (got < 0) {
        fprintf(stderr, "hramada: cannot read %s: %s\n", from, strerror(errno));
        return -1;
    }
    if (got < (ssize_t)sizeof MAGIC || memcmp(hdr, MAGIC, sizeof MAGIC) != 0) {
        fprintf(stderr, "hramada: %s is not a Hramada backup\n", from);
        return -1;
    }
    if (got < (ssize_t)sizeof hdr) {
        fprintf(stderr, "hramada: %s is truncated: it ends inside its header\n", from);
        return -1;
    }
    if (hdr[8] != VERSION || hdr[9] != KDF_ARGON2ID) {
        fprintf(stderr,
                "hramada: %s is a backup of format %d, which this version cannot read (it "
                "reads format %d); restore it with a newer Hramada\n",
                from, hdr[8], VERSION);
        return -1;
    }
    uint32_t chunk = (uint32_t)get_u(hdr + 12, 4);
    uint64_t ops = get_u(hdr + 16, 8), mem = get_u(hdr + 24, 8), size = get_u(hdr + 32, 8);
    /* Bounds before any work, so that a forged header cannot make us spend
     * unbounded memory or time; the true values are authenticated below. */
    if (chunk < 4096 || chunk > (16u << 20) || ops < crypto_pwhash_OPSLIMIT_MIN || ops > 64 ||
        mem < crypto_pwhash_MEMLIMIT_MIN || mem > ((uint64_t)4 << 30) ||
        size > ((uint64_t)1 << 50)) {
        fprintf(stderr, "hramada: %s is damaged: its header holds impossible values\n", from);
        return -1;
    }
    unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
    if (derive_key(key, pass, passlen, hdr + 40, ops, (size_t)mem) != 0) return -1;
    crypto_secretstream_xchacha20poly1305_state st;
    int rc = crypto_secretstream_xchacha20poly1305_init_pull(&st, hdr + HDR_AD, key);
    sodium_memzero(key, sizeof key);
    unsigned char *plain = malloc(chunk), *cipher = malloc((size_t)chunk + ABYTES);
    if (!plain || !cipher) rc = -1;
    unsigned char tag = 0;
    if (rc == 0) {
        unsigned char check[sizeof CHECK];
        got = read_full(in, cipher, sizeof CHECK + ABYTES);
        if (got != (ssize_t)(sizeof CHECK + ABYTES) ||
            crypto_secretstream_xchacha20poly1305_pull(&st, check, NULL, &tag, cipher,
                                                       sizeof CHECK + ABYTES, hdr, HDR_AD) != 0 ||
            memcmp(check, CHECK, sizeof CHECK) != 0 || tag != 0) {
            fprintf(stderr,
                    "hramada: wrong passphrase for %s (or its first bytes are damaged); nothing "
                    "was restored\n",
                    from);
            rc = -1;
        }
    }
    struct stat fst;
    uint64_t want_len = expected_length(size, chunk);
    if (rc == 0 && fstat(in, &fst) == 0 && S_ISREG(fst.st_mode) &&
        (uint64_t)fst.st_size != want_len) {
        if ((uint64_t)fst.st_size < want_len)
            fprintf(stderr,
                    "hramada: %s is truncated: %lld bytes of %llu (a copy cut short?); nothing "
                    "was restored\n",
                    from, (long long)fst.st_size, (unsigned long long)want_len);
        else
            fprintf(stderr,
                    "hramada: %s is damaged: %llu bytes more than its backup holds; nothing was "
                    "restored\n",
                    from, (unsigned long long)((uint64_t)fst.st_size - want_len));
        rc = -1;
    }
    int show = isatty(STDERR_FILENO) && size >= (uint64_t)PROGRESS_MIN;
    uint64_t done = 0;
    int64_t n = 0;
    while (rc == 0) {
        size_t len = size - done < chunk ? (size_t)(size - done) : chunk;
        got = read_full(in, cipher, len + ABYTES);
        unsigned long long plen = 0;
        if (got != (ssize_t)(len + ABYTES)) {
            fprintf(stderr, "hramada: %s is truncated: it ends inside chunk %lld\n", from,
                    (long long)n + 1);
            rc = -1;
        } else if (crypto_secretstream_xchacha20poly1305_pull(&st, plain, &plen, &tag, cipher,
                                                              len + ABYTES, hdr, HDR_AD) != 0 ||
                   plen != len) {
            fprintf(stderr,
                    "hramada: %s is damaged: chunk %lld (from byte %llu) does not authenticate; "
                    "nothing was restored\n",
                    from, (long long)n + 1,
                    (unsigned long long)(HDR_SIZE + sizeof CHECK + ABYTES +
                                         (uint64_t)n * ((uint64_t)chunk + ABYTES)));
            rc = -1;
        } else if (write_all(out, plain, len) != 0) {
            fprintf(stderr, "hramada: cannot write the database: %s\n", strerror(errno));
            rc = -1;
        } else {
            done += len;
            n++;
            int last = done == size;
            int final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
            if (last != final) {
                fprintf(stderr, "hramada: %s is damaged: its %s; nothing was restored\n", from,
                        final ? "stream ends before the data does" : "final chunk is missing");
                rc = -1;
            }
            if (show && (n % 64 == 0 || last))
                log_progress("decrypt MiB", (int64_t)(done >> 20), (int64_t)(size >> 20));
            if (last) break;
        }
    }
    if (plain) sodium_memzero(plain, chunk);
    sodium_memzero(&st, sizeof st);
    free(plain);
    free(cipher);
    *size_out = size;
    return rc;
}

/* PRAGMA integrity_check says "ok", and the file is a Hramada database. */
static int check_database(const char *path)
{
    sqlite3 *h = NULL;
    int ok = 0;
    const char *why = "";
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &q, NULL) == SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW) {
            const char *r = (const char *)sqlite3_column_text(q, 0);
            ok = r && strcmp(r, "ok") == 0;
            if (!ok) fprintf(stderr, "hramada: integrity_check: %s\n", r ? r : "?");
        }
        sqlite3_finalize(q);
        if (ok) {
            ok = sqlite3_prepare_v2(h, "SELECT 1 FROM schema_migrations LIMIT 1", -1, &q, NULL) ==
                 SQLITE_OK;
            if (!ok) why = " (it holds no Hramada schema)";
            sqlite3_finalize(q);
        }
    }
    sqlite3_close(h);
    if (!ok)
        fprintf(stderr,
                "hramada: the decrypted database does not pass its integrity check%s; nothing "
                "was restored\n",
                why);
    return ok ? 0 : -1;
}

/* With --force: the database at path may be replaced only when no process
 * has it open. Leaving WAL mode needs the only connection, so it tells;
 * it also folds the WAL back and removes it and the shared memory, which
 * must not outlive the file they belong to. */
static int not_in_use(const char *path)
{
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_exec(h, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_stmt *q = NULL;
        /* the pragma answers the mode it is in: still "wal" when refused */
        if (sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &q, NULL) == SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW &&
            strcmp((const char *)sqlite3_column_text(q, 0), "wal") == 0)
            rc = SQLITE_BUSY;
        sqlite3_finalize(q);
    }
    int busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
    sqlite3_close(h);
    if (busy) {
        fprintf(stderr,
                "hramada: %s is in use (is hramada serve running on it?); stop it first. "
                "Nothing was restored\n",
                path);
        return -1;
    }
    return 0;
}

/* A -wal or -shm left by a database that is gone would be read as part of
 * the restored one; say so when one is removed. */
static void drop_leftovers(const char *path, int say)
{
    static const char *const suffixes[] = {"-wal", "-shm", "-journal"};
    char side[PATH_MAX];
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        if ((size_t)snprintf(side, sizeof side, "%s%s", path, suffixes[i]) >= sizeof side) continue;
        if (unlink(side) == 0 && say)
            fprintf(stderr, "hramada: removed %s, left by the database that was there\n", side);
    }
}

int backup_restore(const char *from, const char *db_path, const char *pass, size_t passlen,
                   int force)
{
    int exists = access(db_path, F_OK) == 0;
    if (exists && !force) {
        fprintf(stderr,
                "hramada: %s exists; restore does not overwrite a database unless --force is "
                "given (stop the server first)\n",
                db_path);
        return -1;
    }
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        fprintf(stderr, "hramada: cannot open %s: %s\n", from, strerror(errno));
        return -1;
    }
    guard_signals();
    char tmp[PATH_MAX];
    int out = temp_beside(db_path, "restore", tmp, sizeof tmp);
    if (out < 0) {
        close(in);
        return -1;
    }
    doom(0, tmp);
    uint64_t size = 0;
    int rc = decrypt_to(in, from, out, pass, passlen, &size);
    close(in);
    if (rc == 0 && fsync(out) != 0) {
        fprintf(stderr, "hramada: cannot write the database: %s\n", strerror(errno));
        rc = -1;
    }
    if (close(out) != 0) rc = -1;
    if (rc == 0) {
        if (size >= (uint64_t)PROGRESS_MIN)
            fprintf(stderr, "hramada: checking the integrity of the restored database...\n");
        rc = check_database(tmp);
    }
    if (rc == 0 && exists) rc = not_in_use(db_path);
    if (rc == 0) {
        drop_leftovers(db_path, 1);
        rc = put_in_place(tmp, db_path, force);
    }
    if (rc != 0) {
        unlink(tmp);
        drop_leftovers(tmp, 0); /* what the integrity check's connection left */
    } else {
        sync_dir_of(db_path);
    }
    spare(0);
    if (rc == 0)
        fprintf(stderr,
                "hramada: restored %s from %s (%.1f MiB, every chunk authenticated, integrity "
                "checked)\n",
                db_path, from, (double)size / (1 << 20));
    return rc;
}
