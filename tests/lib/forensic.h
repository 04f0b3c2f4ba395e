/*
 * An attacker's reader of SQLite files, for the forensic tests: what a
 * person holding a copy of the database file, its WAL or a backup can read
 * from the bytes alone, without asking SQLite.
 *
 * It parses the file format itself (the b-tree pages, cells, records and
 * overflow chains, and the WAL's frames), so that a test sees what SQLite
 * would never show through SQL: where each cell sits in its page, which
 * cells each committed transaction added, and text left anywhere in a file.
 * The facts of the format it relies on are written down in forensic.c, next
 * to the code that uses them.
 *
 * Ownership: every struct this header fills is owned by the caller and
 * freed by the one function named beside it (fx_db_free, fx_cells_free,
 * fx_wal_free, fx_replay_free); pointers inside (a cell's payload, a text
 * value's bytes, a frame's page image) belong to that struct and live as
 * long as it. Functions that fail return -1 (or NULL) and leave nothing to
 * free. Only libc and sqlite3 are used; sqlite3 only in fx_root_sqlite.
 */
#ifndef HR_FORENSIC_H
#define HR_FORENSIC_H

#include <stddef.h>
#include <stdint.h>

/* ---- A database image ---- */

/* The bytes of a database file in memory, page by page. It can be changed
 * by laying page images over it (a WAL's frames), which is how the replay
 * walks a database through its commits. */
struct fx_db;

/* Reads the whole file at path. NULL if it cannot be read or is not an
 * SQLite 3 database (magic, page size). Free with fx_db_free. */
struct fx_db *fx_db_open(const char *path);
/* The same from bytes in memory (copied). */
struct fx_db *fx_db_from_mem(const unsigned char *bytes, size_t len);
/* A deep copy, or NULL when out of memory. */
struct fx_db *fx_db_dup(const struct fx_db *db);
void fx_db_free(struct fx_db *db);

/* Page size (header offset 16), usable size (page size less the reserved
 * bytes of header offset 20) and number of pages in the image. */
uint32_t fx_db_page_size(const struct fx_db *db);
uint32_t fx_db_usable_size(const struct fx_db *db);
uint32_t fx_db_page_count(const struct fx_db *db);
/* Page pgno (1-based), page_size bytes, or NULL when out of range. */
const unsigned char *fx_db_page(const struct fx_db *db, uint32_t pgno);
/* Lays img (page_size bytes) over page pgno, growing the image when pgno
 * is past its end (pages in between are zero). 0, or -1 out of memory. */
int fx_db_put_page(struct fx_db *db, uint32_t pgno, const unsigned char *img);

/* The root page of the table or index called name, read from the bytes of
 * sqlite_schema (the table b-tree rooted at page 1); 0 when there is none.
 * For a WITHOUT ROWID table this is its primary key's index b-tree. */
uint32_t fx_root(const struct fx_db *db, const char *name);
/* The same through the sqlite3 library, the file opened read-only and
 * immutable (no lock, no WAL read, nothing written); 0 when none or on
 * error. For cross-checking fx_root. */
uint32_t fx_root_sqlite(const char *path, const char *name);

/* ---- Cells and records ---- */

enum fx_kind { FX_NULL, FX_INT, FX_REAL, FX_TEXT, FX_BLOB };

/* One column of a record. serial is the stored serial type (0 NULL, 1..6
 * integers of 1, 2, 3, 4, 6, 8 bytes, 7 real, 8 and 9 the constants 0 and
 * 1, even >= 12 blob, odd >= 13 text). p/n: the bytes of a text or blob,
 * followed by a NUL that is not counted in n (so text can be used as a C
 * string when it holds no NUL); NULL for the other kinds. */
struct fx_value {
    enum fx_kind kind;
    uint64_t serial;
    int64_t i;
    double r;
    const unsigned char *p;
    size_t n;
};

/* One cell of a b-tree: a leaf cell of a table b-tree (page type 0x0d), or
 * a leaf (0x0a) or interior (0x02) cell of an index b-tree (each holds one
 * entry). Interior cells of table b-trees (0x05) hold only a key copy and
 * are not returned. */
struct fx_cell {
    uint32_t page;     /* page number */
    uint32_t offset;   /* byte offset of the cell's content in the page */
    uint8_t page_type; /* 0x0d, 0x0a or 0x02 */
    int has_rowid;     /* 1 for table b-tree cells */
    int64_t rowid;
    size_t payload_len;           /* the record's size */
    size_t local_len;             /* how much of it is in the page */
    uint32_t overflow;            /* first overflow page, 0 when none */
    int complete;                 /* 0: overflow chain broken or record malformed */
    const unsigned char *payload; /* the whole record, overflow included */
    int ncol;
    struct fx_value *col; /* ncol decoded columns */
    void *mem_;           /* private: the one block holding all of the above */
    size_t mem_len_;
};

/* An array of cells; v[0..n-1]. Free with fx_cells_free. */
struct fx_cells {
    struct fx_cell *v;
    size_t n, cap;
};

/* Appends every cell of the b-tree rooted at root to out (which may be
 * empty, {0}), in key order. Unreadable pages, loops and overlong overflow
 * chains are skipped, not followed; the number of such problems is
 * returned (0 for a sound tree), -1 when out of memory (out then holds the
 * cells read so far and must still be freed). */
int fx_btree_cells(const struct fx_db *db, uint32_t root, struct fx_cells *out);
/* Appends the cells of one page image img (page_size bytes, e.g. a WAL
 * frame's, stale ones included) as if it were page pgno of db: only that
 * page, no children; overflow chains are read from db. Returns as
 * fx_btree_cells. */
int fx_page_cells(const struct fx_db *db, uint32_t pgno, const unsigned char *img,
                  struct fx_cells *out);
/* Frees every cell and the array; out is {0} afterwards. */
void fx_cells_free(struct fx_cells *cells);
/* Appends a deep copy of c to out. 0, or -1 out of memory. */
int fx_cells_push_copy(struct fx_cells *out, const struct fx_cell *c);

/* The attacker's estimate of insertion order: page number ascending, then
 * content offset descending (a page's content area grows downward from its
 * end, so a cell written later sits lower in the page). */
void fx_sort_placement(struct fx_cells *cells);
/* Rowid ascending (table b-trees). */
void fx_sort_rowid(struct fx_cells *cells);

/* Column col of cell c as an integer (0 when missing or not an integer). */
int64_t fx_int(const struct fx_cell *c, int col);
/* 1 when column col of c is a text or blob of exactly these n bytes. */
int fx_bytes_eq(const struct fx_cell *c, int col, const void *bytes, size_t n);

/* ---- The WAL ---- */

/* One frame of a WAL file: the page it holds and whether it counts. */
struct fx_frame {
    uint32_t pgno;
    uint32_t db_size; /* "db size after commit": non-zero on a commit frame */
    uint32_t salt1, salt2;
    int valid;                 /* salts match the header and the checksum chain holds */
    int committed;             /* valid and followed (or ended) by a commit frame */
    const unsigned char *page; /* page_size bytes, inside the wal's buffer */
};

struct fx_wal {
    uint32_t magic; /* 0x377f0682 (checksums little-endian) or 0x377f0683 */
    uint32_t version, page_size, ckpt_seq, salt1, salt2;
    int header_ok;     /* magic, page size and header checksum valid */
    size_t nframes;    /* every whole frame in the file */
    size_t nvalid;     /* frames SQLite would read (a prefix) */
    size_t ncommitted; /* of those, the ones in committed transactions */
    size_t ncommits;   /* commit frames among them */
    struct fx_frame *frames;
    unsigned char *bytes_; /* private: the file's bytes */
    size_t len_;
};

/* Reads the WAL at path into out (zeroed first). A missing or empty file
 * is a WAL with no frames (0). -1 when the file cannot be read, or when it
 * is not empty and has no valid header (out is then zeroed). */
int fx_wal_open(const char *path, struct fx_wal *out);
void fx_wal_free(struct fx_wal *wal);
/* Lays every committed frame over db, in order: the image SQLite would read
 * with this WAL beside the file. 0, or -1 (page size differs, memory). */
int fx_db_apply_wal(struct fx_db *db, const struct fx_wal *wal);

/* ---- The WAL pairing attack ---- */

/* What one committed transaction of the WAL did to tables A and B (index
 * 0 and 1): the cells present after it and not before (added) and those
 * present before and not after (removed), compared as multisets of
 * (rowid, record bytes). A row changed in place shows as one removed and
 * one added cell with the same key. */
struct fx_commit {
    size_t first_frame, last_frame; /* indexes into wal->frames */
    struct fx_cells added[2], removed[2];
};

struct fx_replay {
    struct fx_commit *v;
    size_t n;
    int problems; /* unreadable pages met while walking (see fx_btree_cells) */
};

/* Replays the committed frames of wal over a copy of db (the main file as it
 * was before those frames; db itself is not changed), commit by commit, and
 * records what each commit did to the b-trees rooted at root_a and root_b.
 * After each commit both trees are walked again from their roots in the
 * replayed image, but only when a frame of that commit touched a page the
 * tree held before (its b-tree or overflow pages): every change to a tree
 * writes at least one such page (the leaf that gains or loses a cell, or
 * the parent of a split). Walking from the root, rather than diffing page
 * by page, means new pages of a split and cells moved between pages are
 * recognised as the table's, and moved cells are not reported as new.
 * Assumes db is the state before the first frame (nothing of this WAL
 * checkpointed yet, e.g. wal_autocheckpoint=0 and a copy taken before the
 * last connection closed). 0, or -1 (out must still be freed). */
int fx_wal_replay(const struct fx_db *db, const struct fx_wal *wal, uint32_t root_a,
                  uint32_t root_b, struct fx_replay *out);
void fx_replay_free(struct fx_replay *r);

/* ---- Scoring and scanning ---- */

/* How many positions i < min(na, nb) have a[i] == b[i]: with a the
 * attacker's ordering of participants and b that of ballots, each mapped to
 * its true ballot id by the caller, the number of people linked to their
 * ballot. */
size_t fx_pairs_correct(const int64_t *a, size_t na, const int64_t *b, size_t nb);

/* How closely the order of b follows the order of a, as Kendall's tau over
 * the ids found in both: +1 when b lists them in the same order as a, -1
 * in the reverse order, about 0 (standard deviation about 0.047 for 200
 * ids, 2/(3 sqrt n) in general) when b is unrelated to a. Position-exact
 * pairing (fx_pairs_correct) fails as soon as one cell is out of place;
 * tau still sees an order that survives piecewise, e.g. in the pages of a
 * b-tree whose splits laid part of the cells out in key order. Ids are
 * expected to be distinct within each array; 0 when fewer than two are
 * shared or out of memory. */
double fx_order_tau(const int64_t *a, size_t na, const int64_t *b, size_t nb);

/* How many times needle (n > 0 bytes) occurs in the n bytes at hay
 * (overlapping occurrences counted). */
size_t fx_mem_count(const void *hay, size_t len, const void *needle, size_t n);
/* Copies the file at from to to as it is now (a missing from gives an
 * empty to: a WAL that is not there has no frames). 0, or -1. */
int fx_file_copy(const char *from, const char *to);
/* The same over the whole file at path; 0 for a missing file (nothing
 * there to find), -1 when it exists and cannot be read. */
long fx_file_count(const char *path, const void *needle, size_t n);
/* fx_file_count over a database and its WAL (path "-wal") together: what
 * a copy of the live files would show. -1 when one cannot be read. */
long fx_db_files_count(const char *db_path, const void *needle, size_t n);

#endif
