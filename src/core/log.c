/* Logging; see log.h. One line per message, written with a single fputs so
 * that lines from worker threads do not interleave. */
#include "core/log.h"
#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* configuration: set before threads start */
static enum log_level log_min = LOG_INFO;
static enum log_format log_fmt = LOG_FORMAT_TEXT;

void log_set_level(enum log_level min)
{
    log_min = min;
}

void log_set_format(enum log_format f)
{
    log_fmt = f;
}

int log_format_parse(const char *s, enum log_format *f)
{
    if (!strcmp(s, "text"))
        *f = LOG_FORMAT_TEXT;
    else if (!strcmp(s, "journal"))
        *f = LOG_FORMAT_JOURNAL;
    else
        return -1;
    return 0;
}

enum log_format log_format_detect(void)
{
    /* systemd sets JOURNAL_STREAM to "device:inode" of the stream it
     * connected; only when standard error is still that stream does the
     * journal read our lines (a redirection in a unit's shell line, or a
     * child with its own stderr, inherits the variable but not the stream). */
    const char *js = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat st;
    if (js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && fstat(STDERR_FILENO, &st) == 0 &&
        (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino)
        return LOG_FORMAT_JOURNAL;
    return LOG_FORMAT_TEXT;
}

static void log_line(FILE *to, enum log_level lvl, const char *fmt, va_list ap)
{
    struct buf b;
    buf_init(&b);
    if (log_fmt == LOG_FORMAT_JOURNAL) {
        /* sd-daemon(3) priority prefixes; the journal adds the time itself */
        static const char *prio[] = {"<7>", "<6>", "<4>", "<3>"};
        buf_puts(&b, prio[lvl]);
    } else {
        static const char *names[] = {"debug", "info", "warn", "error"};
        char ts[32];
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
        buf_printf(&b, "%s %s ", ts, names[lvl]);
    }
    buf_vprintf(&b, fmt, ap);
    buf_putc(&b, '\n');
    fputs(b.data, to);
    buf_free(&b);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
    if (lvl < log_min) return;
    va_list ap;
    va_start(ap, fmt);
    log_line(stderr, lvl, fmt, ap);
    va_end(ap);
}

void log_out(enum log_level lvl, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_line(stdout, lvl, fmt, ap);
    va_end(ap);
    fflush(stdout);
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
