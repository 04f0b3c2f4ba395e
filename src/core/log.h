/* Logging to stderr. No IP addresses, no personal data: callers log events
 * and ids of things, never who did them from where. */
#ifndef HR_LOG_H
#define HR_LOG_H

#include <stdint.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };
/* text: "2026-12-01T09:30:00Z info message" (ISO 8601, UTC);
 * journal: "<6>message", the priority prefixes of sd-daemon(3) (<3> error,
 * <4> warning, <6> info, <7> debug) and no time, which journald adds. */
enum log_format { LOG_FORMAT_TEXT, LOG_FORMAT_JOURNAL };

/* Set once at start-up (configuration, not runtime state). */
void log_set_level(enum log_level min);
void log_set_format(enum log_format f);
/* "text" or "journal" into *f; -1 for anything else. */
int log_format_parse(const char *s, enum log_format *f);
/* journal when standard error is the stream systemd connected to the
 * journal (JOURNAL_STREAM), else text. */
enum log_format log_format_detect(void);

/* One line on standard error (the request log and errors). */
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same line on standard output, flushed: what the server says when it
 * starts and stops, which scripts and tests wait for there. Printed
 * whatever the level. */
void log_out(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* Long command-line work: a progress bar for step on standard error, one
 * line updated in place ("\r"), ended when done reaches total. */
void log_progress(const char *step, int64_t done, int64_t total);

#endif
