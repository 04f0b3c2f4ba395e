/* hramada budget import|count (src/main.c parses the options). */
#include "areas/budget/budget.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PB_FILE_MAX = 256 << 20 };

/* The whole file, NUL-terminated (malloc'd), or NULL with a message. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "hramada: cannot read %s\n", path);
        return NULL;
    }
    struct buf b;
    buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (memchr(chunk, 0, n) || b.len + n > PB_FILE_MAX) {
            fprintf(stderr, "hramada: %s is not a pabulib text file\n", path);
            fclose(f);
            buf_free(&b);
            return NULL;
        }
        buf_append(&b, chunk, n);
    }
    fclose(f);
    if (!b.data) buf_puts(&b, "");
    return b.data;
}

int budget_cli_import(struct db *db, const char *slug, const char *file)
{
    char *text = slurp(file);
    if (!text) return 1;
    struct dbc *w = db_write_begin(db);
    char err[300] = "";
    int64_t pid = w ? budget_pb_import(w, slug, text, err, sizeof err) : -1;
    free(text);
    if (!w || db_write_end(db, w, pid > 0) != 0 || pid <= 0) {
        fprintf(stderr, "hramada: %s: %s; nothing was imported\n", file,
                err[0] ? err : "the database refused the import");
        return 1;
    }
    printf("%lld\n", (long long)pid);
    return 0;
}

int budget_cli_count(struct db *db, int64_t process, const char *method)
{
    enum bc_method m;
    if (!strcmp(method, "greedy"))
        m = BC_GREEDY;
    else if (!strcmp(method, "equal-shares"))
        m = BC_EQUAL_SHARES;
    else {
        fprintf(stderr, "hramada: --method wants greedy or equal-shares\n");
        return 2;
    }
    struct dbc *c = db_reader_acquire(db);
    int rc = c ? budget_count_print(c, process, m, stdout) : -1;
    if (c) db_reader_release(db, c);
    if (rc != 0) fprintf(stderr, "hramada: process %lld cannot be counted\n", (long long)process);
    return rc == 0 ? 0 : 1;
}
