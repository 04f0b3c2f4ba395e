/* The pure rules of initiatives: which state allows what, when the
 * threshold moves an idea, and the words a search compares. No SQL. */
#include "areas/initiative/initiative.h"
#include "areas/talent/talent.h"
#include "core/text.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

const char *const initiative_directions[] = {
    "leisure", "housing", "landscaping", "neighbours", "clubs", "help", "other", NULL,
};
const char *const initiative_states[] = {
    "idea", "queued", "work", "done", "merged", "declined", NULL,
};
const char *const initiative_sorts[] = {"new", "support", NULL};

/* The sets of INITIATIVE_SQL_* (initiative.h), as C. */
static const char *const EDITABLE[] = {"idea", NULL};
static const char *const SUPPORTABLE[] = {"idea", "queued", "work", NULL};
static const char *const DECIDABLE[] = {"idea", "queued", NULL};
static const char *const MERGE_TARGET[] = {"idea", "queued", "work", NULL};
static const char *const COMMENTABLE[] = {"idea", "queued", "work", "done", "declined", NULL};

static int in_set(const char *const *set, const char *state)
{
    for (int i = 0; set[i]; i++)
        if (str_eq(set[i], state)) return 1;
    return 0;
}

int initiative_allows(const char *state, enum initiative_act act)
{
    switch (act) {
    case INITIATIVE_EDIT:
        return in_set(EDITABLE, state);
    case INITIATIVE_SUPPORT:
        return in_set(SUPPORTABLE, state);
    case INITIATIVE_DECIDE:
        return in_set(DECIDABLE, state);
    case INITIATIVE_MERGE_TARGET:
        return in_set(MERGE_TARGET, state);
    case INITIATIVE_COMMENT:
        return in_set(COMMENTABLE, state);
    }
    return 0;
}

int initiative_reaches(const char *state, int64_t supports, int64_t threshold)
{
    return str_eq(state, "idea") && threshold > 0 && supports >= threshold;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *initiative_stems(const char *text, int max)
{
    char *stems = talent_fts_stems(text ? text : "");
    /* the stems in place, cut at their spaces */
    size_t cap = 64, n = 0;
    const char **w = xmalloc(cap * sizeof *w);
    for (char *p = stems; *p;) {
        while (*p == ' ')
            p++;
        if (!*p) break;
        char *s = p;
        size_t len = strcspn(p, " ");
        p += len;
        if (*p) *p++ = 0;
        /* one letter says nothing; a run longer than a word is no word */
        if (utf8_len(s) < 2 || len >= INITIATIVE_WORD_BYTES) continue;
        if (n == cap) {
            cap *= 2;
            w = xrealloc(w, cap * sizeof *w);
        }
        w[n++] = s;
    }
    if (n) qsort(w, n, sizeof *w, by_string);
    struct buf b;
    buf_init(&b);
    buf_puts(&b, "");
    int kept = 0;
    for (size_t i = 0; i < n && kept < max; i++) {
        if (i && strcmp(w[i], w[i - 1]) == 0) continue;
        if (kept++) buf_putc(&b, ' ');
        buf_puts(&b, w[i]);
    }
    free(w);
    free(stems);
    return buf_detach(&b);
}

/* ---- the gates of the four stages ---- */

int initiative_gate(int64_t stage, const struct initiative_gate_facts *f,
                    struct initiative_gate_item *items)
{
    int n = 0;
    switch (stage) {
    case 1: /* analysis: the problem, and evidence or a stakeholder */
        items[n++] = (struct initiative_gate_item){"analysis", f->analysis};
        items[n++] =
            (struct initiative_gate_item){"evidence", f->evidence > 0 || f->stakeholders > 0};
        break;
    case 2: /* design: a goal, a task with owner and date, a budget */
        items[n++] = (struct initiative_gate_item){"goal", f->goal};
        items[n++] = (struct initiative_gate_item){"task", f->tasks_planned > 0};
        items[n++] =
            (struct initiative_gate_item){"budget", f->budget_lines > 0 || f->budget_confirmed};
        break;
    case 3: /* implementation: every task done, a report written */
        items[n++] = (struct initiative_gate_item){"tasks_done", f->tasks_done == f->tasks};
        items[n++] = (struct initiative_gate_item){"report", f->reports > 0};
        break;
    case 4: /* evaluation: what was done and learned, every indicator measured */
        items[n++] = (struct initiative_gate_item){"done_text", f->done_text};
        items[n++] = (struct initiative_gate_item){"learned", f->learned};
        items[n++] =
            (struct initiative_gate_item){"indicators", f->indicators_after == f->indicators};
        break;
    default:
        break;
    }
    return n;
}

int initiative_gate_missing(const struct initiative_gate_item *items, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        k += !items[i].ok;
    return k;
}

/* ---- amounts ---- */

int initiative_amount_parse(const char *s, int64_t *minor)
{
    if (!s) return -1;
    int64_t major = 0, cents = 0;
    int digits = 0, decimals = -1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (decimals >= 0) {
                if (++decimals > 2) return -1;
                cents = cents * 10 + (*p - '0');
            } else {
                if (++digits > 10) return -1;
                major = major * 10 + (*p - '0');
            }
        } else if ((*p == ' ' || *p == '\'') && digits > 0 && decimals < 0) {
            continue; /* a group of thousands */
        } else if (p[0] == 0xc2 && p[1] == 0xa0 && digits > 0 && decimals < 0) {
            p++; /* a no-break space between the groups */
        } else if ((*p == ',' || *p == '.') && digits > 0 && decimals < 0) {
            decimals = 0;
        } else {
            return -1;
        }
    }
    if (digits == 0 || decimals == 0 || major > INITIATIVE_AMOUNT_MAX_MAJOR) return -1;
    if (decimals == 1) cents *= 10;
    *minor = major * 100 + cents;
    return 0;
}

void initiative_amount_format(int64_t minor, const char *sep_thousands, const char *sep_decimal,
                              char *buf, size_t n)
{
    if (minor < 0) minor = 0;
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%lld", (long long)(minor / 100));
    struct buf b;
    buf_init(&b);
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0) buf_puts(&b, sep_thousands);
        buf_putc(&b, digits[i]);
    }
    buf_printf(&b, "%s%02lld", sep_decimal, (long long)(minor % 100));
    snprintf(buf, n, "%s", b.data);
    buf_free(&b);
}
