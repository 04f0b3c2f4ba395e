/*
 * Text: UTF-8 validation and the escaping helpers used everywhere output is
 * made (in the spirit of cgit's html.c: small, and used without exception).
 */
#ifndef HR_TEXT_H
#define HR_TEXT_H

#include "core/util.h"

/* 1 if s[0..n) is valid UTF-8 (no overlong forms, no surrogates, nothing
 * above U+10FFFF) and holds no NUL byte; 0 otherwise. */
int utf8_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8. */
size_t utf8_len(const char *s);

void html_escape(struct buf *b, const char *s); /* & < > " ' */
void html_escapen(struct buf *b, const char *s, size_t n);
void url_escape(struct buf *b, const char *s); /* percent-encodes all but unreserved */
/* One CSV cell, quoted, quotes doubled; a cell a spreadsheet would take for
 * a formula (a leading = + - @) starts with an apostrophe. NULL is "". */
void csv_escape(struct buf *b, const char *s);
/* Decodes %XX and '+' in place into out (at most n bytes read); returns the
 * decoded length. out must hold n+1 bytes. */
size_t url_decode(char *out, const char *in, size_t n);

/* Trims ASCII whitespace at both ends, returning a pointer into s (s is
 * modified: a NUL is written after the last kept byte). */
char *str_trim(char *s);

/* Case-folds UTF-8 for search: Latin and Cyrillic to lower case, ё to е
 * (Russian readers treat them as one letter). Other bytes are copied.
 * Appends to b. */
void text_fold(struct buf *b, const char *s, size_t n);

/* 1 if s is a slug: 2..64 of [a-z0-9-], not starting or ending with '-'. */
int slug_valid(const char *s);

#endif
