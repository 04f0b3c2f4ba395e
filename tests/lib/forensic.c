/*
 * An attacker's reader of SQLite files; see forensic.h.
 *
 * The facts of the file format used here (https://sqlite.org/fileformat2.html,
 * "Database File Format"), each repeated where the code relies on it:
 *
 * - The file is an array of pages of one size, numbered from 1. Header
 *   (first 100 bytes of page 1): "SQLite format 3\0", the page size as a
 *   big-endian u16 at offset 16 (1 means 65536), the bytes reserved at the
 *   end of each page at offset 20 (usable size U = page size - reserved).
 * - A b-tree page starts with an 8-byte header (12 on interior pages), at
 *   offset 100 on page 1 and 0 elsewhere: type (0x02 interior index, 0x05
 *   interior table, 0x0a leaf index, 0x0d leaf table), first freeblock
 *   (u16), number of cells (u16), start of the cell content area (u16),
 *   fragmented free bytes (u8), and on interior pages the right-most child
 *   (u32). The cell pointer array follows: one u16 per cell, the offset of
 *   the cell in the page, in key order. The content area is at the end of
 *   the page and grows downward: a new cell is carved from the top of the
 *   gap between pointer array and content (unless a freeblock fits), so
 *   cells written later sit at lower offsets, until the page is rebuilt by
 *   a defragmentation or a rebalance, which lays cells out in key order.
 * - Cells: table leaf = varint payload size, varint rowid, payload,
 *   [u32 first overflow page]; table interior = u32 left child, varint
 *   rowid (no payload); index leaf = varint payload size, payload,
 *   [u32 overflow]; index interior = u32 left child, varint payload size,
 *   payload, [u32 overflow].
 * - How much of a payload of P bytes stays in the page: X = U - 35 on
 *   table leaves, X = ((U - 12) * 64 / 255) - 23 on index pages;
 *   M = ((U - 12) * 32 / 255) - 23. If P <= X all of it; else
 *   K = M + ((P - M) % (U - 4)), and K bytes stay if K <= X, else M. The
 *   rest is in a chain of overflow pages, each a u32 next page (0 at the
 *   end) followed by U - 4 bytes of payload.
 * - Varints: 1 to 9 bytes, big-endian, 7 bits a byte with the high bit set
 *   on all but the last, except that a 9th byte gives all 8 bits.
 * - A record: a varint header size (counting itself), one varint serial
 *   type per column, then the column bodies in order. Serial types: 0 NULL;
 *   1, 2, 3, 4, 5, 6 big-endian two's complement integers of 1, 2, 3, 4, 6,
 *   8 bytes; 7 big-endian IEEE 754 double; 8 and 9 the integers 0 and 1 (no
 *   body); 10, 11 reserved; even N >= 12 a blob of (N - 12) / 2 bytes; odd
 *   N >= 13 a text of (N - 13) / 2 bytes.
 * - sqlite_schema is the table b-tree rooted at page 1, with the columns
 *   type, name, tbl_name, rootpage, sql.
 * - WAL: a 32-byte header (magic 0x377f0682 or 0x377f0683, format version,
 *   page size, checkpoint sequence, salt-1, salt-2, checksum-1, checksum-2,
 *   all big-endian u32), then frames of a 24-byte header (page number, "db
 *   size after commit" which is non-zero only on the last frame of a
 *   transaction, salt-1, salt-2, checksum-1, checksum-2) and a page image.
 *   A frame counts only if its salts equal the header's and its checksum
 *   matches a running checksum over the header's first 24 bytes, then each
 *   frame's first 8 header bytes and page; the first frame that fails ends
 *   the log (frames after a WAL reset, left from the previous cycle, carry
 *   the old salts). Frames after the last commit frame are an unfinished
 *   transaction. The checksum: s0 = s1 = 0; for each pair of u32 words
 *   x0, x1: s0 += x0 + s1, s1 += x1 + s0; words are big-endian when the
 *   magic's low bit is 1, little-endian otherwise.
 */
#include "lib/forensic.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fx_db {
    unsigned char *bytes;
    uint32_t page_size, usable, npages;
};

static uint32_t be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The varint at p, at most end - p bytes; its length in *len (0 when it
 * runs past end). */
static uint64_t varint(const unsigned char *p, const unsigned char *end, int *len)
{
    uint64_t v = 0;
    for (int i = 0; i < 9; i++) {
        if (p + i >= end) {
            *len = 0;
            return 0;
        }
        if (i == 8) {
            *len = 9;
            return v << 8 | p[i];
        }
        v = v << 7 | (p[i] & 0x7f);
        if (!(p[i] & 0x80)) {
            *len = i + 1;
            return v;
        }
    }
    *len = 0;
    return 0;
}

/* Reads a whole file. *missing is set when it does not exist. */
static unsigned char *slurp(const char *path, size_t *len, int *missing)
{
    *len = 0;
    if (missing) *missing = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (missing) *missing = 1;
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            unsigned char *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0) {
            if (ferror(f)) {
                free(buf);
                buf = NULL;
            }
            break;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* ---- The database image ---- */

static struct fx_db *db_take(unsigned char *bytes, size_t len)
{
    static const char magic[16] = "SQLite format 3";
    if (!bytes || len < 100 || memcmp(bytes, magic, 16) != 0) {
        free(bytes);
        return NULL;
    }
    uint32_t ps = be16(bytes + 16);
    if (ps == 1) ps = 65536;
    if (ps < 512 || ps > 65536 || (ps & (ps - 1)) != 0 || bytes[20] >= ps - 480 || len < ps) {
        free(bytes);
        return NULL;
    }
    struct fx_db *db = malloc(sizeof *db);
    if (!db) {
        free(bytes);
        return NULL;
    }
    db->bytes = bytes;
    db->page_size = ps;
    db->usable = ps - bytes[20];
    db->npages = (uint32_t)(len / ps);
    return db;
}

struct fx_db *fx_db_open(const char *path)
{
    size_t len;
    unsigned char *b = slurp(path, &len, NULL);
    return db_take(b, len);
}

struct fx_db *fx_db_from_mem(const unsigned char *bytes, size_t len)
{
    unsigned char *b = malloc(len ? len : 1);
    if (!b) return NULL;
    memcpy(b, bytes, len);
    return db_take(b, len);
}

struct fx_db *fx_db_dup(const struct fx_db *db)
{
    return fx_db_from_mem(db->bytes, (size_t)db->npages * db->page_size);
}

void fx_db_free(struct fx_db *db)
{
    if (!db) return;
    free(db->bytes);
    free(db);
}

uint32_t fx_db_page_size(const struct fx_db *db)
{
    return db->page_size;
}

uint32_t fx_db_usable_size(const struct fx_db *db)
{
    return db->usable;
}

uint32_t fx_db_page_count(const struct fx_db *db)
{
    return db->npages;
}

const unsigned char *fx_db_page(const struct fx_db *db, uint32_t pgno)
{
    if (pgno < 1 || pgno > db->npages) return NULL;
    return db->bytes + (size_t)(pgno - 1) * db->page_size;
}

int fx_db_put_page(struct fx_db *db, uint32_t pgno, const unsigned char *img)
{
    if (pgno < 1) return -1;
    if (pgno > db->npages) {
        unsigned char *b = realloc(db->bytes, (size_t)pgno * db->page_size);
        if (!b) return -1;
        memset(b + (size_t)db->npages * db->page_size, 0,
               (size_t)(pgno - db->npages) * db->page_size);
        db->bytes = b;
        db->npages = pgno;
    }
    memcpy(db->bytes + (size_t)(pgno - 1) * db->page_size, img, db->page_size);
    /* Page 1 carries the header: the reserved bytes could change with it. */
    if (pgno == 1 && img[20] < db->page_size - 480) db->usable = db->page_size - img[20];
    return 0;
}

/* ---- Cells ---- */

static int cells_grow(struct fx_cells *out)
{
    if (out->n < out->cap) return 0;
    size_t cap = out->cap ? out->cap * 2 : 64;
    struct fx_cell *v = realloc(out->v, cap * sizeof *v);
    if (!v) return -1;
    out->v = v;
    out->cap = cap;
    return 0;
}

void fx_cells_free(struct fx_cells *cells)
{
    for (size_t i = 0; i < cells->n; i++)
        free(cells->v[i].mem_);
    free(cells->v);
    memset(cells, 0, sizeof *cells);
}

int fx_cells_push_copy(struct fx_cells *out, const struct fx_cell *c)
{
    if (cells_grow(out) != 0) return -1;
    unsigned char *mem = malloc(c->mem_len_ ? c->mem_len_ : 1);
    if (!mem) return -1;
    memcpy(mem, c->mem_, c->mem_len_);
    struct fx_cell d = *c;
    const unsigned char *old = c->mem_;
    /* Everything the cell points to lives in its block: rebase into the copy. */
    d.mem_ = mem;
    d.payload = mem + (c->payload - old);
    d.col = (struct fx_value *)(void *)(mem + ((const unsigned char *)c->col - old));
    for (int i = 0; i < d.ncol; i++)
        if (d.col[i].p) d.col[i].p = mem + (c->col[i].p - old);
    out->v[out->n++] = d;
    return 0;
}

/* The body length of serial type s; -1 for the reserved types 10 and 11. */
static int64_t serial_len(uint64_t s)
{
    static const int8_t small[12] = {0, 1, 2, 3, 4, 6, 8, 8, 0, 0, -1, -1};
    if (s < 12) return small[s];
    return (int64_t)((s - 12) / 2);
}

/* Counts the columns of a record and the bytes their text and blob copies
 * need; -1 when the record is malformed. */
static int record_scan(const unsigned char *rec, size_t len, int *ncol, size_t *strbytes)
{
    int k;
    uint64_t hsz = varint(rec, rec + len, &k);
    *ncol = 0;
    *strbytes = 0;
    if (k == 0 || hsz < (uint64_t)k || hsz > len) return -1;
    size_t pos = (size_t)k, body = (size_t)hsz;
    while (pos < hsz) {
        uint64_t s = varint(rec + pos, rec + hsz, &k);
        int64_t n = serial_len(s);
        if (k == 0 || n < 0 || (uint64_t)n > len - body) return -1;
        pos += (size_t)k;
        body += (size_t)n;
        if (s >= 12) *strbytes += (size_t)n + 1;
        (*ncol)++;
    }
    return 0;
}

/* Decodes a record already checked by record_scan into col, copying texts
 * and blobs (each NUL-terminated) to str. */
static void record_decode(const unsigned char *rec, struct fx_value *col, unsigned char *str)
{
    int k;
    uint64_t hsz = varint(rec, rec + 9, &k);
    size_t pos = (size_t)k, body = (size_t)hsz;
    for (int c = 0; pos < hsz; c++) {
        uint64_t s = varint(rec + pos, rec + hsz, &k);
        size_t n = (size_t)serial_len(s);
        const unsigned char *b = rec + body;
        struct fx_value *v = &col[c];
        memset(v, 0, sizeof *v);
        v->serial = s;
        if (s == 0) {
            v->kind = FX_NULL;
        } else if (s <= 6) {
            /* Big-endian two's complement: start from the sign. */
            uint64_t u = (b[0] & 0x80) ? UINT64_MAX : 0;
            for (size_t i = 0; i < n; i++)
                u = u << 8 | b[i];
            v->kind = FX_INT;
            v->i = (int64_t)u;
        } else if (s == 7) {
            uint64_t u = 0;
            for (int i = 0; i < 8; i++)
                u = u << 8 | b[i];
            v->kind = FX_REAL;
            memcpy(&v->r, &u, sizeof v->r);
        } else if (s == 8 || s == 9) {
            v->kind = FX_INT;
            v->i = (int64_t)(s - 8);
        } else {
            v->kind = (s & 1) ? FX_TEXT : FX_BLOB;
            memcpy(str, b, n);
            str[n] = 0;
            v->p = str;
            v->n = n;
            str += n + 1;
        }
        pos += (size_t)k;
        body += n;
    }
}

/* How much of a payload of p bytes stays in the page (see the top). */
static size_t local_size(size_t p, size_t u, int index)
{
    size_t x = index ? ((u - 12) * 64 / 255) - 23 : u - 35;
    if (p <= x) return p;
    size_t m = ((u - 12) * 32 / 255) - 23;
    size_t k = m + ((p - m) % (u - 4));
    return k <= x ? k : m;
}

struct walk {
    const struct fx_db *db;
    struct fx_cells *out;
    unsigned char *seen; /* one byte per page: 1 once visited (b-tree or overflow) */
    int problems;
    int oom;
};

/* Emits the cell at off of page pgno (type 0x0d, 0x0a or 0x02). */
static void emit_cell(struct walk *w, uint32_t pgno, const unsigned char *pg, uint32_t off,
                      uint8_t type)
{
    const struct fx_db *db = w->db;
    const unsigned char *end = pg + db->usable;
    const unsigned char *p = pg + off;
    struct fx_cell c;
    memset(&c, 0, sizeof c);
    c.page = pgno;
    c.offset = off;
    c.page_type = type;
    c.complete = 1;
    if (type == 0x02) p += 4; /* left child */
    int k;
    uint64_t plen = varint(p, end, &k);
    /* A payload cannot be larger than the pages that could hold it. */
    if (k == 0 || plen > (uint64_t)db->npages * db->usable) {
        w->problems++;
        return;
    }
    p += k;
    if (type == 0x0d) {
        c.has_rowid = 1;
        c.rowid = (int64_t)varint(p, end, &k);
        if (k == 0) {
            w->problems++;
            return;
        }
        p += k;
    }
    c.payload_len = (size_t)plen;
    c.local_len = local_size(c.payload_len, db->usable, type != 0x0d);
    if ((size_t)(end - p) < c.local_len + (c.local_len < c.payload_len ? 4 : 0)) {
        w->problems++;
        return;
    }
    unsigned char *payload = malloc(c.payload_len ? c.payload_len : 1);
    if (!payload) {
        w->oom = 1;
        return;
    }
    memcpy(payload, p, c.local_len);
    size_t have = c.local_len;
    if (have < c.payload_len) {
        /* The rest along the overflow chain: u32 next, then U - 4 bytes. */
        c.overflow = be32(p + c.local_len);
        uint32_t next = c.overflow;
        while (have < c.payload_len) {
            const unsigned char *op = fx_db_page(db, next);
            if (!op || w->seen[next]) {
                c.complete = 0;
                w->problems++;
                break;
            }
            w->seen[next] = 1;
            size_t take = c.payload_len - have;
            if (take > db->usable - 4) take = db->usable - 4;
            memcpy(payload + have, op + 4, take);
            have += take;
            next = be32(op);
        }
    }
    int ncol = 0;
    size_t strbytes = 0;
    if (!c.complete || record_scan(payload, c.payload_len, &ncol, &strbytes) != 0) {
        if (c.complete) w->problems++;
        c.complete = 0;
        ncol = 0;
        strbytes = 0;
    }
    /* One block: the columns, then the payload, then text and blob copies. */
    size_t colbytes = (size_t)ncol * sizeof(struct fx_value);
    c.mem_len_ = colbytes + c.payload_len + strbytes;
    unsigned char *mem = malloc(c.mem_len_ ? c.mem_len_ : 1);
    if (!mem || cells_grow(w->out) != 0) {
        free(mem);
        free(payload);
        w->oom = 1;
        return;
    }
    c.mem_ = mem;
    c.col = (struct fx_value *)(void *)mem;
    c.ncol = ncol;
    memcpy(mem + colbytes, payload, c.payload_len);
    c.payload = mem + colbytes;
    free(payload);
    if (ncol) record_decode(c.payload, c.col, mem + colbytes + c.payload_len);
    w->out->v[w->out->n++] = c;
}

/* The cells of page image pg (page number pgno), and with recurse its
 * subtrees too. */
static void page_cells(struct walk *w, uint32_t pgno, const unsigned char *pg, int depth,
                       int recurse);

static void walk_page(struct walk *w, uint32_t pgno, int depth)
{
    const unsigned char *pg = fx_db_page(w->db, pgno);
    if (!pg || w->seen[pgno] || depth > 40) {
        w->problems++;
        return;
    }
    w->seen[pgno] = 1;
    page_cells(w, pgno, pg, depth, 1);
}

static void page_cells(struct walk *w, uint32_t pgno, const unsigned char *pg, int depth,
                       int recurse)
{
    uint32_t hdr = pgno == 1 ? 100 : 0;
    uint8_t type = pg[hdr];
    int interior = type == 0x02 || type == 0x05;
    if (!interior && type != 0x0a && type != 0x0d) {
        w->problems++;
        return;
    }
    uint32_t ncells = be16(pg + hdr + 3);
    uint32_t ptrs = hdr + (interior ? 12 : 8);
    if (ptrs + 2 * ncells > w->db->usable) {
        w->problems++;
        return;
    }
    for (uint32_t i = 0; i < ncells && !w->oom; i++) {
        uint32_t off = be16(pg + ptrs + 2 * i);
        if (off < ptrs + 2 * ncells || off + 4 > w->db->usable) {
            w->problems++;
            continue;
        }
        if (interior && recurse) walk_page(w, be32(pg + off), depth + 1);
        if (type != 0x05) emit_cell(w, pgno, pg, off, type);
    }
    if (interior && recurse && !w->oom) walk_page(w, be32(pg + hdr + 8), depth + 1);
}

int fx_page_cells(const struct fx_db *db, uint32_t pgno, const unsigned char *img,
                  struct fx_cells *out)
{
    struct walk w = {db, out, calloc((size_t)db->npages + 1, 1), 0, 0};
    if (!w.seen) return -1;
    page_cells(&w, pgno, img, 0, 0);
    free(w.seen);
    return w.oom ? -1 : w.problems;
}

/* Walks the tree at root; the pages it visited are left in *seen (one byte
 * per page number, npages + 1 bytes) for the caller to free. */
static int walk_tree(const struct fx_db *db, uint32_t root, struct fx_cells *out,
                     unsigned char **seen)
{
    struct walk w = {db, out, calloc((size_t)db->npages + 1, 1), 0, 0};
    if (!w.seen) return -1;
    walk_page(&w, root, 0);
    if (seen)
        *seen = w.seen;
    else
        free(w.seen);
    return w.oom ? -1 : w.problems;
}

int fx_btree_cells(const struct fx_db *db, uint32_t root, struct fx_cells *out)
{
    return walk_tree(db, root, out, NULL);
}

static int by_placement(const void *a, const void *b)
{
    const struct fx_cell *x = a, *y = b;
    if (x->page != y->page) return x->page < y->page ? -1 : 1;
    if (x->offset != y->offset) return x->offset > y->offset ? -1 : 1;
    return 0;
}

static int by_rowid(const void *a, const void *b)
{
    const struct fx_cell *x = a, *y = b;
    if (x->rowid != y->rowid) return x->rowid < y->rowid ? -1 : 1;
    return by_placement(a, b);
}

void fx_sort_placement(struct fx_cells *cells)
{
    if (cells->n) qsort(cells->v, cells->n, sizeof *cells->v, by_placement);
}

void fx_sort_rowid(struct fx_cells *cells)
{
    if (cells->n) qsort(cells->v, cells->n, sizeof *cells->v, by_rowid);
}

int64_t fx_int(const struct fx_cell *c, int col)
{
    if (col < 0 || col >= c->ncol || c->col[col].kind != FX_INT) return 0;
    return c->col[col].i;
}

int fx_bytes_eq(const struct fx_cell *c, int col, const void *bytes, size_t n)
{
    if (col < 0 || col >= c->ncol) return 0;
    const struct fx_value *v = &c->col[col];
    return (v->kind == FX_TEXT || v->kind == FX_BLOB) && v->n == n && memcmp(v->p, bytes, n) == 0;
}

uint32_t fx_root(const struct fx_db *db, const char *name)
{
    struct fx_cells s = {0};
    uint32_t root = 0;
    fx_btree_cells(db, 1, &s);
    size_t len = strlen(name);
    for (size_t i = 0; i < s.n && !root; i++)
        if (s.v[i].ncol >= 4 && fx_bytes_eq(&s.v[i], 1, name, len))
            root = (uint32_t)fx_int(&s.v[i], 3);
    fx_cells_free(&s);
    return root;
}

uint32_t fx_root_sqlite(const char *path, const char *name)
{
    /* A URI, so that immutable=1 can be said: characters that mean something
     * in a URI are escaped. */
    size_t n = strlen(path);
    char *uri = malloc(n * 3 + 32);
    if (!uri) return 0;
    char *o = uri + sprintf(uri, "file:");
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)path[i];
        if (ch == '?' || ch == '#' || ch == '%')
            o += sprintf(o, "%%%02X", ch);
        else
            *o++ = (char)ch;
    }
    strcpy(o, "?immutable=1");
    sqlite3 *h = NULL;
    uint32_t root = 0;
    if (sqlite3_open_v2(uri, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) == SQLITE_OK) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(h, "SELECT rootpage FROM sqlite_schema WHERE name = ?1", -1, &st,
                               NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW) root = (uint32_t)sqlite3_column_int64(st, 0);
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    free(uri);
    return root;
}

/* ---- The WAL ---- */

static uint32_t word(const unsigned char *p, int big)
{
    return big ? be32(p) : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static void wal_sum(const unsigned char *p, size_t n, int big, uint32_t s[2])
{
    for (size_t i = 0; i + 8 <= n; i += 8) {
        s[0] += word(p + i, big) + s[1];
        s[1] += word(p + i + 4, big) + s[0];
    }
}

void fx_wal_free(struct fx_wal *wal)
{
    free(wal->frames);
    free(wal->bytes_);
    memset(wal, 0, sizeof *wal);
}

int fx_wal_open(const char *path, struct fx_wal *out)
{
    memset(out, 0, sizeof *out);
    int missing;
    size_t len;
    unsigned char *b = slurp(path, &len, &missing);
    if (missing) return 0;
    if (!b) return -1;
    if (len == 0) {
        free(b);
        return 0;
    }
    if (len < 32) {
        free(b);
        return -1;
    }
    out->bytes_ = b;
    out->len_ = len;
    out->magic = be32(b);
    out->version = be32(b + 4);
    out->page_size = be32(b + 8);
    out->ckpt_seq = be32(b + 12);
    out->salt1 = be32(b + 16);
    out->salt2 = be32(b + 20);
    int big = out->magic & 1;
    uint32_t s[2] = {0, 0};
    wal_sum(b, 24, big, s);
    uint32_t ps = out->page_size;
    out->header_ok = (out->magic & ~1u) == 0x377f0682 && ps >= 512 && ps <= 65536 &&
                     (ps & (ps - 1)) == 0 && s[0] == be32(b + 24) && s[1] == be32(b + 28);
    if (!out->header_ok) {
        fx_wal_free(out);
        return -1;
    }
    size_t fsz = 24 + (size_t)ps;
    out->nframes = (len - 32) / fsz;
    out->frames = calloc(out->nframes ? out->nframes : 1, sizeof *out->frames);
    if (!out->frames) {
        fx_wal_free(out);
        return -1;
    }
    int ok = 1;
    size_t last_commit = 0; /* one past the last valid commit frame */
    for (size_t i = 0; i < out->nframes; i++) {
        const unsigned char *h = b + 32 + i * fsz;
        struct fx_frame *f = &out->frames[i];
        f->pgno = be32(h);
        f->db_size = be32(h + 4);
        f->salt1 = be32(h + 8);
        f->salt2 = be32(h + 12);
        f->page = h + 24;
        if (!ok) continue;
        /* The running checksum goes on from the previous valid frame. */
        uint32_t t[2] = {s[0], s[1]};
        wal_sum(h, 8, big, t);
        wal_sum(h + 24, ps, big, t);
        if (f->salt1 != out->salt1 || f->salt2 != out->salt2 || t[0] != be32(h + 16) ||
            t[1] != be32(h + 20) || f->pgno == 0) {
            ok = 0;
            continue;
        }
        s[0] = t[0];
        s[1] = t[1];
        f->valid = 1;
        out->nvalid++;
        if (f->db_size) {
            last_commit = i + 1;
            out->ncommits++;
        }
    }
    for (size_t i = 0; i < last_commit; i++)
        out->frames[i].committed = 1;
    out->ncommitted = last_commit;
    return 0;
}

int fx_db_apply_wal(struct fx_db *db, const struct fx_wal *wal)
{
    if (wal->ncommitted && wal->page_size != db->page_size) return -1;
    for (size_t i = 0; i < wal->ncommitted; i++)
        if (fx_db_put_page(db, wal->frames[i].pgno, wal->frames[i].page) != 0) return -1;
    return 0;
}

/* ---- The replay ---- */

static int by_content(const void *a, const void *b)
{
    const struct fx_cell *x = *(const struct fx_cell *const *)a;
    const struct fx_cell *y = *(const struct fx_cell *const *)b;
    if (x->has_rowid != y->has_rowid) return x->has_rowid - y->has_rowid;
    if (x->rowid != y->rowid) return x->rowid < y->rowid ? -1 : 1;
    if (x->payload_len != y->payload_len) return x->payload_len < y->payload_len ? -1 : 1;
    return memcmp(x->payload, y->payload, x->payload_len);
}

static const struct fx_cell **sorted_refs(const struct fx_cells *c)
{
    const struct fx_cell **r = malloc((c->n ? c->n : 1) * sizeof *r);
    if (!r) return NULL;
    for (size_t i = 0; i < c->n; i++)
        r[i] = &c->v[i];
    if (c->n) qsort(r, c->n, sizeof *r, by_content);
    return r;
}

/* The multiset differences after - before and before - after. */
static int cells_diff(const struct fx_cells *before, const struct fx_cells *after,
                      struct fx_cells *added, struct fx_cells *removed)
{
    const struct fx_cell **a = sorted_refs(before), **b = sorted_refs(after);
    int rc = (a && b) ? 0 : -1;
    size_t i = 0, j = 0;
    while (rc == 0 && (i < before->n || j < after->n)) {
        int c = i == before->n ? 1 : j == after->n ? -1 : by_content(&a[i], &b[j]);
        if (c < 0)
            rc = fx_cells_push_copy(removed, a[i++]);
        else if (c > 0)
            rc = fx_cells_push_copy(added, b[j++]);
        else
            i++, j++;
    }
    free(a);
    free(b);
    return rc;
}

void fx_replay_free(struct fx_replay *r)
{
    for (size_t i = 0; i < r->n; i++)
        for (int t = 0; t < 2; t++) {
            fx_cells_free(&r->v[i].added[t]);
            fx_cells_free(&r->v[i].removed[t]);
        }
    free(r->v);
    memset(r, 0, sizeof *r);
}

int fx_wal_replay(const struct fx_db *db, const struct fx_wal *wal, uint32_t root_a,
                  uint32_t root_b, struct fx_replay *out)
{
    memset(out, 0, sizeof *out);
    if (wal->ncommitted && wal->page_size != db->page_size) return -1;
    struct fx_db *work = fx_db_dup(db);
    if (!work) return -1;
    uint32_t roots[2] = {root_a, root_b};
    struct fx_cells prev[2] = {{0}, {0}};
    unsigned char *seen[2] = {NULL, NULL};
    uint32_t nseen[2] = {0, 0};
    int rc = 0;
    for (int t = 0; t < 2 && rc == 0; t++) {
        int p = walk_tree(work, roots[t], &prev[t], &seen[t]);
        nseen[t] = work->npages;
        if (p < 0) rc = -1;
        /* A tree not in the main file yet is no problem: it starts empty. */
        else if (prev[t].n || fx_db_page(work, roots[t]))
            out->problems += p;
    }
    out->v = calloc(wal->ncommits ? wal->ncommits : 1, sizeof *out->v);
    if (!out->v) rc = -1;
    size_t first = 0;
    for (size_t i = 0; i < wal->ncommitted && rc == 0; i++) {
        if (fx_db_put_page(work, wal->frames[i].pgno, wal->frames[i].page) != 0) {
            rc = -1;
            break;
        }
        if (!wal->frames[i].db_size) continue;
        struct fx_commit *cm = &out->v[out->n++];
        cm->first_frame = first;
        cm->last_frame = i;
        for (int t = 0; t < 2 && rc == 0; t++) {
            int touched = 0;
            for (size_t f = first; f <= i && !touched; f++) {
                uint32_t pg = wal->frames[f].pgno;
                touched = pg == roots[t] || (pg <= nseen[t] && seen[t][pg]);
            }
            if (!touched) continue;
            struct fx_cells cur = {0};
            unsigned char *s = NULL;
            int p = walk_tree(work, roots[t], &cur, &s);
            if (p < 0) {
                fx_cells_free(&cur);
                free(s);
                rc = -1;
                break;
            }
            out->problems += p;
            rc = cells_diff(&prev[t], &cur, &cm->added[t], &cm->removed[t]);
            fx_cells_free(&prev[t]);
            prev[t] = cur;
            free(seen[t]);
            seen[t] = s;
            nseen[t] = work->npages;
        }
        first = i + 1;
    }
    for (int t = 0; t < 2; t++) {
        fx_cells_free(&prev[t]);
        free(seen[t]);
    }
    fx_db_free(work);
    return rc;
}

/* ---- Scoring and scanning ---- */

size_t fx_pairs_correct(const int64_t *a, size_t na, const int64_t *b, size_t nb)
{
    size_t n = na < nb ? na : nb, k = 0;
    for (size_t i = 0; i < n; i++)
        k += a[i] == b[i];
    return k;
}

struct id_pos {
    int64_t id;
    size_t pos;
};

static int by_id(const void *x, const void *y)
{
    int64_t a = ((const struct id_pos *)x)->id, b = ((const struct id_pos *)y)->id;
    return a < b ? -1 : a > b;
}

double fx_order_tau(const int64_t *a, size_t na, const int64_t *b, size_t nb)
{
    struct id_pos *ix = malloc((na ? na : 1) * sizeof *ix);
    size_t *x = malloc((nb ? nb : 1) * sizeof *x);
    double tau = 0;
    if (ix && x) {
        for (size_t i = 0; i < na; i++)
            ix[i] = (struct id_pos){a[i], i};
        if (na) qsort(ix, na, sizeof *ix, by_id);
        /* x: for each id of b, in b's order, its position in a */
        size_t n = 0;
        for (size_t j = 0; j < nb; j++) {
            struct id_pos key = {b[j], 0};
            const struct id_pos *f = na ? bsearch(&key, ix, na, sizeof *ix, by_id) : NULL;
            if (f) x[n++] = f->pos;
        }
        double agree = 0, disagree = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++) {
                if (x[i] < x[j]) agree++;
                if (x[i] > x[j]) disagree++;
            }
        if (n >= 2) tau = (agree - disagree) / ((double)n * (double)(n - 1) / 2);
    }
    free(ix);
    free(x);
    return tau;
}

size_t fx_mem_count(const void *hay, size_t len, const void *needle, size_t n)
{
    size_t k = 0;
    if (n == 0) return 0;
    const unsigned char *p = hay, *end = p + len;
    while ((size_t)(end - p) >= n) {
        const unsigned char *q = memmem(p, (size_t)(end - p), needle, n);
        if (!q) break;
        k++;
        p = q + 1;
    }
    return k;
}

long fx_file_count(const char *path, const void *needle, size_t n)
{
    int missing;
    size_t len;
    unsigned char *b = slurp(path, &len, &missing);
    if (missing) return 0;
    if (!b) return -1;
    long k = (long)fx_mem_count(b, len, needle, n);
    free(b);
    return k;
}

long fx_db_files_count(const char *db_path, const void *needle, size_t n)
{
    size_t len = strlen(db_path);
    char *wal = malloc(len + 5);
    if (!wal) return -1;
    memcpy(wal, db_path, len);
    memcpy(wal + len, "-wal", 5);
    long a = fx_file_count(db_path, needle, n), b = fx_file_count(wal, needle, n);
    free(wal);
    return a < 0 || b < 0 ? -1 : a + b;
}

int fx_file_copy(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    int rc = out ? 0 : -1;
    char buf[65536];
    size_t n;
    while (rc == 0 && in && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) rc = -1;
    if (in) fclose(in);
    if (out && fclose(out) != 0) rc = -1;
    return rc;
}
