/* Logging; see log.h. One line per message, written with a single fputs so
 * that lines from worker threads do not interleave. */
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <time.h>

static enum log_level log_min = LOG_INFO; /* configuration: set before threads start */

void log_set_level(enum log_level min)
{
    log_min = min;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
    if (lvl < log_min) return;
    static const char *names[] = {"debug", "info", "warn", "error"};
    char ts[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    struct buf b;
    buf_init(&b);
    buf_printf(&b, "%s %s ", ts, names[lvl]);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    buf_putc(&b, '\n');
    fputs(b.data, stderr);
    buf_free(&b);
}

void log_progress(const char *step, int64_t done, int64_t total)
{
    int width = 30;
    int filled = total ? (int)(done * width / total) : width;
    fprintf(stderr, "\r%-14s [%.*s%*s] %3d%% %lld/%lld", step, filled,
            "##############################", width - filled, "",
            total ? (int)(done * 100 / total) : 100, (long long)done, (long long)total);
    if (done >= total) fputc('\n', stderr);
}
