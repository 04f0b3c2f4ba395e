/* The notifications area's SQL for bench-data (notify_bench.h). */
#include "areas/notify/notify_bench.h"
#include "core/db.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

/* ---- bench data ---- */

int notify_bench_roll_read(struct dbc *c, struct notify_bench_roll *out)
{
    static const char sql_n[] = "SELECT count(*) FROM members";
    static const char sql[] = "SELECT id, community_id FROM members ORDER BY community_id, id";
    memset(out, 0, sizeof *out);
    int64_t n = db_int(c, -1, sql_n, "");
    if (n < 0) return -1;
    out->member = xmalloc((size_t)(n > 0 ? n : 1) * sizeof *out->member);
    out->community = xmalloc((size_t)(n > 0 ? n : 1) * sizeof *out->community);
    sqlite3_stmt *st = db_prepare(c, sql, "");
    if (!st) {
        notify_bench_roll_free(out);
        return -1;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n < (size_t)n) {
        out->member[out->n] = sqlite3_column_int64(st, 0);
        out->community[out->n] = sqlite3_column_int64(st, 1);
        out->n++;
    }
    db_done(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        notify_bench_roll_free(out);
        return -1;
    }
    return 0;
}

void notify_bench_roll_free(struct notify_bench_roll *r)
{
    free(r->member);
    free(r->community);
    memset(r, 0, sizeof *r);
}

int64_t notify_bench_community_size(const struct notify_bench_roll *r, size_t i)
{
    size_t lo = i, hi = i;
    while (lo > 0 && r->community[lo - 1] == r->community[i])
        lo--;
    while (hi + 1 < r->n && r->community[hi + 1] == r->community[i])
        hi++;
    return (int64_t)(hi - lo + 1);
}

int64_t notify_bench_last(struct dbc *c)
{
    static const char sql[] = "SELECT coalesce(max(id), 0) FROM notifications";
    return db_int(c, -1, sql, "");
}

int notify_bench_mark_read(struct dbc *w, int64_t after, int64_t now)
{
    static const char sql[] =
        "UPDATE notifications SET unread = 0 WHERE id > ?1"
        " AND (id * 2654435761) % 1000 < 100 + 800 * min(86400, max(0, ?2 - at)) / 86400";
    return db_exec(w, sql, "ii", after, now);
}
