/*
 * A view as compact JSON, appended to a buffer: what every JSON answer
 * is. jansson's json_dumps was more than half of a page's instructions
 * for a table of thirty rows (bench/cost, the budget's results: 1.3 M of
 * 2.3 M): it checks each string's UTF-8 again, one code point at a time,
 * and goes through a callback per piece. The views hold strings that
 * jansson checked when they were made, so this writes each run of bytes
 * that needs no escape at once.
 */
#ifndef HR_JSONOUT_H
#define HR_JSONOUT_H

#include "core/util.h"

#include <jansson.h>

/* Appends v as JSON: no spaces, object members in jansson's order (the
 * order they were set), strings as UTF-8 with only '"', '\\' and the
 * control characters escaped, reals as jansson writes them. */
void json_out(struct buf *b, const json_t *v);

#endif
