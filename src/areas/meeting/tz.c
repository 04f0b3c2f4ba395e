/* Wall-clock times of a community's zone and UTC, through libical's view
 * of the system's zone data (the same zones the feeds describe). */
#include "areas/meeting/meeting.h"

#include <libical/ical.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The library's lookup walks its list of some 600 zones by name (12,000
 * instructions a call, twice an event on a calendar page, once more per
 * event of a feed). Once per process, before the first lookup, the list is
 * copied into a table sorted by name; after that the table is only read,
 * so threads share it without a lock and a lookup is a binary search. A
 * builtin zone lives as long as the process, so the pointers stay good.
 * A name the table lacks (an alias the library resolves itself) is looked
 * up the slow way. */
enum { ZONE_MAX = 1024 };
struct zone_entry {
    char name[65]; /* a copy: the library replaces its own when it loads the zone */
    icaltimezone *zone;
};
static struct zone_entry zones[ZONE_MAX];
static size_t nzones;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int zone_cmp(const void *a, const void *b)
{
    return strcmp(((const struct zone_entry *)a)->name, ((const struct zone_entry *)b)->name);
}

/* TZIDs are the IANA names themselves ("Europe/Moscow"), which calendar
 * clients recognise, rather than libical's prefixed ones. */
static void init(void)
{
    icaltimezone_set_tzid_prefix("");
    icalarray *all = icaltimezone_get_builtin_timezones();
    for (size_t i = 0; all && i < all->num_elements && nzones < ZONE_MAX; i++) {
        icaltimezone *z = icalarray_element_at(all, i);
        const char *name = icaltimezone_get_location(z);
        if (!name || !name[0] || strlen(name) >= sizeof zones[0].name) continue;
        memcpy(zones[nzones].name, name, strlen(name) + 1);
        zones[nzones++].zone = z;
    }
    qsort(zones, nzones, sizeof zones[0], zone_cmp);
}

static icaltimezone *zone_of(const char *zone)
{
    pthread_once(&once, init);
    if (!zone) return NULL;
    struct zone_entry key = {.zone = NULL};
    if (strlen(zone) >= sizeof key.name) return icaltimezone_get_builtin_timezone(zone);
    memcpy(key.name, zone, strlen(zone) + 1);
    const struct zone_entry *e = bsearch(&key, zones, nzones, sizeof zones[0], zone_cmp);
    return e ? e->zone : icaltimezone_get_builtin_timezone(zone);
}

int event_zone_valid(const char *zone)
{
    if (!zone || !zone[0] || strlen(zone) > 64 || zone[0] == '/' || strstr(zone, "..")) return 0;
    for (const char *p = zone; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '/' || *p == '_' || *p == '-' || *p == '+'))
            return 0;
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir && dir[0] ? dir : "/usr/share/zoneinfo", zone);
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    char magic[4] = {0};
    size_t n = fread(magic, 1, 4, f);
    fclose(f);
    if (n != 4 || memcmp(magic, "TZif", 4) != 0) return 0;
    return zone_of(zone) != NULL;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int event_local_parse(const char *s, const char *zone, int64_t *utc)
{
    int y, mo, d, h, mi;
    if (!s || strlen(s) != 16 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
        s[13] != ':' || digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
        digits(s + 11, 2, &h) || digits(s + 14, 2, &mi))
        return -1;
    if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59) return -1;
    if (d > icaltime_days_in_month(mo, y)) return -1;
    icaltimezone *z = zone_of(zone);
    if (!z) return -1;
    struct icaltimetype t = icaltime_null_time();
    t.year = y;
    t.month = mo;
    t.day = d;
    t.hour = h;
    t.minute = mi;
    *utc = (int64_t)icaltime_as_timet_with_zone(t, z);
    return 0;
}

void event_local_format(int64_t utc, const char *zone, char out[20])
{
    icaltimezone *z = zone_of(zone);
    struct icaltimetype t = icaltime_from_timet_with_zone((time_t)utc, 0, z);
    unsigned y = (unsigned)t.year % 10000u, mo = (unsigned)t.month % 100u,
             d = (unsigned)t.day % 100u, h = (unsigned)t.hour % 100u,
             mi = (unsigned)t.minute % 100u;
    snprintf(out, 20, "%04u-%02u-%02uT%02u:%02u", y, mo, d, h, mi);
}

icaltimezone *event_zone_ical(const char *zone);
icaltimezone *event_zone_ical(const char *zone)
{
    return zone && zone[0] ? zone_of(zone) : NULL;
}

static icalrecurrencetype_frequency freq_of(const char *f)
{
    if (!f) return ICAL_NO_RECURRENCE;
    if (!strcmp(f, "daily")) return ICAL_DAILY_RECURRENCE;
    if (!strcmp(f, "weekly")) return ICAL_WEEKLY_RECURRENCE;
    if (!strcmp(f, "monthly")) return ICAL_MONTHLY_RECURRENCE;
    return ICAL_NO_RECURRENCE;
}

int event_rule_valid(const struct event_rule *rule)
{
    if (!rule || freq_of(rule->freq) == ICAL_NO_RECURRENCE) return 0;
    if (rule->every < 1 || rule->every > EVENT_EVERY_MAX) return 0;
    int y, mo, d;
    int has_until = rule->until_day && rule->until_day[0];
    if (has_until == (rule->count > 0)) return 0;
    if (rule->count > EVENT_OCCURRENCES_MAX) return 0;
    if (has_until) {
        const char *u = rule->until_day;
        if (strlen(u) != 10 || u[4] != '-' || u[7] != '-' || digits(u, 4, &y) ||
            digits(u + 5, 2, &mo) || digits(u + 8, 2, &d) || y < 1970 || y > 2200 || mo < 1 ||
            mo > 12 || d < 1 || d > icaltime_days_in_month(mo, y))
            return 0;
    }
    return 1;
}

/* The rule's starts through libical's iterator, from the first start
 * in the zone's wall-clock time: a weekly meeting at 19:00 stays at 19:00
 * across a change of summer time, as a client expanding the feed's RRULE
 * will show it. The end (a day or a count) is applied here, so that the
 * feed can say COUNT of what was made. */
int event_expand(const struct event_rule *rule, const char *zone, int64_t start, int64_t *out,
                 int max)
{
    icaltimezone *z = zone_of(zone);
    if (!z || !event_rule_valid(rule) || max < 1) return -1;
    struct icalrecurrencetype rec;
    icalrecurrencetype_clear(&rec);
    rec.freq = freq_of(rule->freq);
    rec.interval = (short)rule->every;
    struct icaltimetype first = icaltime_from_timet_with_zone((time_t)start, 0, z);
    icalrecur_iterator *it = icalrecur_iterator_new(rec, first);
    if (!it) return -1;
    char until[11] = {0};
    if (rule->until_day && rule->until_day[0]) memcpy(until, rule->until_day, 10);
    int n = 0, over = 0;
    for (;;) {
        struct icaltimetype t = icalrecur_iterator_next(it);
        if (icaltime_is_null_time(t)) break;
        if (rule->count > 0 && n >= rule->count) break;
        if (until[0]) {
            char day[16];
            snprintf(day, sizeof day, "%04u-%02u-%02u", (unsigned)t.year % 10000u,
                     (unsigned)t.month % 100u, (unsigned)t.day % 100u);
            if (strcmp(day, until) > 0) break;
        }
        if (n >= max) {
            over = 1;
            break;
        }
        t.zone = z;
        out[n++] = (int64_t)icaltime_as_timet_with_zone(t, z);
    }
    icalrecur_iterator_free(it);
    return over ? -1 : n;
}
