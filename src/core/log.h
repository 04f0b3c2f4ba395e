/* Logging to stderr. No IP addresses, no personal data: callers log events
 * and ids of things, never who did them from where. */
#ifndef HR_LOG_H
#define HR_LOG_H

#include <stdint.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };
/* Set once at start-up (configuration, not runtime state). */
void log_set_level(enum log_level min);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* Long command-line work: a progress bar for step on standard error, one
 * line updated in place ("\r"), ended when done reaches total. */
void log_progress(const char *step, int64_t done, int64_t total);

#endif
