/*
 * Memory and strings: the small things every file needs.
 *
 * Out of memory is not an error the server can recover from in a useful
 * way, so the x* allocators abort (as Redis and SQLite's shell do); callers
 * never check for NULL from them.
 */
#ifndef HR_UTIL_H
#define HR_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define HR_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A growable byte buffer; data is always NUL-terminated. Owned by whoever
 * declared it; free with buf_free or take the bytes with buf_detach. */
struct buf {
    char *data;
    size_t len, cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Returns the malloc'd bytes (caller owns) and leaves b empty. */
char *buf_detach(struct buf *b);

/* An arena: many small allocations freed at once. Each request owns one. */
struct arena;
struct arena *arena_new(void);
void arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Runs fn(arg) when the arena is freed, before its memory goes, newest
 * first. For what the arena cannot hold itself: a secret key in guarded
 * memory that must be wiped and freed when the request ends (core/seal.c). */
void arena_defer(struct arena *a, void (*fn)(void *), void *arg);

/* Strings. */
int str_eq(const char *a, const char *b);          /* NULL-safe */
int str_starts(const char *s, const char *prefix); /* NULL-safe */
int str_empty(const char *s);                      /* NULL or "" */
/* Parses a whole decimal integer; returns 0 and sets *out on success. */
int str_to_i64(const char *s, int64_t *out);

/* Time: seconds since the epoch, and "YYYY-MM-DD" for a day. */
int64_t now_s(void);
/* Parses "YYYY-MM-DD" (a real calendar date); 0 on success with *out the
 * midnight UTC of that day. */
int date_parse(const char *s, int64_t *out);
/* Writes "YYYY-MM-DD" of t (UTC) into out[11]. */
void date_format(int64_t t, char out[11]);

#endif
