/* Pure helpers of surveys: options, CSV quoting, percentages. */
#include "areas/survey/survey.h"
#include "core/text.h"
#include "core/util.h"

#include <string.h>

const char *const survey_kinds[] = {"scale5", "scale10", "single", "multi", "short", "long", NULL};
const char *const survey_audiences[] = {"members", "link", NULL};

int survey_split_options(struct arena *a, const char *text, const char **out, int max)
{
    int n = 0;
    const char *p = text ? text : "";
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char *line = str_trim(arena_strndup(a, p, len));
        if (*line) {
            if (n >= max) return -1;
            out[n++] = line;
        }
        p += len + (e ? 1 : 0);
    }
    return n;
}

int survey_pct(int64_t n, int64_t total)
{
    if (total <= 0) return 0;
    return (int)((n * 100 + total / 2) / total);
}
