/* iCalendar through libical: a set of occurrences as one VCALENDAR, with a
 * VTIMEZONE for each zone they use (cut to the years a feed can reach, so
 * that a feed does not carry a zone's whole history). */
#include "areas/meeting/meeting.h"
#include "core/util.h"

#include <libical/ical.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

icaltimezone *event_zone_ical(const char *zone);

/* A zone's VTIMEZONE from 2020 on, made once per zone and kept: the
 * cut walks the zone's whole history. */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char zone[65];
    char *text;
} cache[16];

/* The same kind of observance (standard or daylight time) with the same
 * offsets and names: the zone data writes a rule twice, once up to the
 * year its explicit transitions end (UNTIL) and once on from there. */
static int same_observance(icalcomponent *a, icalcomponent *b)
{
    if (icalcomponent_isa(a) != icalcomponent_isa(b)) return 0;
    icalproperty *fa = icalcomponent_get_first_property(a, ICAL_TZOFFSETFROM_PROPERTY);
    icalproperty *fb = icalcomponent_get_first_property(b, ICAL_TZOFFSETFROM_PROPERTY);
    icalproperty *ta = icalcomponent_get_first_property(a, ICAL_TZOFFSETTO_PROPERTY);
    icalproperty *tb = icalcomponent_get_first_property(b, ICAL_TZOFFSETTO_PROPERTY);
    icalproperty *ra = icalcomponent_get_first_property(a, ICAL_RRULE_PROPERTY);
    icalproperty *rb = icalcomponent_get_first_property(b, ICAL_RRULE_PROPERTY);
    if (!fa || !fb || !ta || !tb || !ra || !rb) return 0;
    struct icalrecurrencetype x = icalproperty_get_rrule(ra), y = icalproperty_get_rrule(rb);
    return icalproperty_get_tzoffsetfrom(fa) == icalproperty_get_tzoffsetfrom(fb) &&
           icalproperty_get_tzoffsetto(ta) == icalproperty_get_tzoffsetto(tb) && x.freq == y.freq &&
           x.by_month[0] == y.by_month[0] && x.by_day[0] == y.by_day[0];
}

/* One rule per observance: a rule that ends (UNTIL) where the same rule
 * goes on is folded into that one, which starts where the first did. The
 * two say the same; some parsers refuse a rule whose UNTIL is in UTC
 * beside a DTSTART in local time (which RFC 5545 prescribes), and one
 * rule is all a zone needs. */
static void fold_rules(icalcomponent *vtz)
{
    icalcomponent *done[32];
    int n = 0;
    for (icalcomponent *c = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT); c;
         c = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT)) {
        icalproperty *rr = icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY);
        if (!rr || icaltime_is_null_time(icalproperty_get_rrule(rr).until)) continue;
        for (icalcomponent *d = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT); d;
             d = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT)) {
            icalproperty *dr = icalcomponent_get_first_property(d, ICAL_RRULE_PROPERTY);
            if (d == c || !dr || !icaltime_is_null_time(icalproperty_get_rrule(dr).until) ||
                !same_observance(c, d))
                continue;
            icalproperty *ds = icalcomponent_get_first_property(d, ICAL_DTSTART_PROPERTY);
            icalproperty *cs = icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
            if (ds && cs) icalproperty_set_dtstart(ds, icalproperty_get_dtstart(cs));
            if (n < 32) done[n++] = c;
            break;
        }
    }
    for (int i = 0; i < n; i++) {
        icalcomponent_remove_component(vtz, done[i]);
        icalcomponent_free(done[i]);
    }
}

static char *vtimezone(const char *zone)
{
    char *out = NULL;
    pthread_mutex_lock(&cache_lock);
    size_t i = 0;
    for (; i < HR_ARRAY_LEN(cache) && cache[i].text; i++)
        if (!strcmp(cache[i].zone, zone)) {
            out = strdup(cache[i].text);
            break;
        }
    if (!out) {
        icaltimezone *z = event_zone_ical(zone);
        icalcomponent *c = z ? icalcomponent_new_clone(icaltimezone_get_component(z)) : NULL;
        if (c) {
            icaltimetype from = icaltime_from_string("20200101T000000Z");
            icaltimezone_truncate_vtimezone(c, from, icaltime_null_time(), 1);
            fold_rules(c);
            /* the IANA name, as the events' TZID say it */
            icalproperty *id = icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY);
            if (id) icalproperty_set_tzid(id, zone);
            out = strdup(icalcomponent_as_ical_string(c));
            icalcomponent_free(c);
            if (i < HR_ARRAY_LEN(cache) && strlen(zone) < sizeof cache[i].zone) {
                strcpy(cache[i].zone, zone);
                cache[i].text = strdup(out);
            }
        }
    }
    pthread_mutex_unlock(&cache_lock);
    return out;
}

static const char *str(json_t *row, const char *k)
{
    const char *s = json_string_value(json_object_get(row, k));
    return s ? s : "";
}

static int64_t num(json_t *row, const char *k)
{
    return json_integer_value(json_object_get(row, k));
}

static icaltimetype at(int64_t t, icaltimezone *z)
{
    icaltimetype v = icaltime_from_timet_with_zone((time_t)t, 0, z);
    return v;
}

static icalproperty *with_tzid(icalproperty *p, const char *zone)
{
    icalproperty_remove_parameter_by_kind(p, ICAL_TZID_PARAMETER);
    icalproperty_add_parameter(p, icalparameter_new_tzid(zone));
    return p;
}

/* The texts of a VEVENT: a neutral summary only, or the title, the
 * description and where (place overrides the address when not empty). */
static void add_texts(icalcomponent *ev, json_t *row, int neutral, const char *neutral_summary,
                      const char *place)
{
    if (neutral) {
        icalcomponent_add_property(ev, icalproperty_new_summary(neutral_summary));
        return;
    }
    icalcomponent_add_property(ev, icalproperty_new_summary(str(row, "title")));
    const char *d = str(row, "description");
    if (d[0]) icalcomponent_add_property(ev, icalproperty_new_description(d));
    struct buf where;
    buf_init(&where);
    const char *parts[] = {str(row, "place"), place && place[0] ? place : str(row, "place_text"),
                           str(row, "online_url")};
    for (int p = 0; p < 3; p++)
        if (parts[p][0]) buf_printf(&where, "%s%s", where.len ? ", " : "", parts[p]);
    if (where.len) icalcomponent_add_property(ev, icalproperty_new_location(where.data));
    buf_free(&where);
}

static icalcomponent *vevent(const char *uid, int64_t start, int64_t end, icaltimezone *z,
                             const char *zone, const char *url)
{
    icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    icalcomponent_add_property(ev, icalproperty_new_uid(uid));
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(
                                       (time_t)start, 0, icaltimezone_get_utc_timezone())));
    icalcomponent_add_property(ev, with_tzid(icalproperty_new_dtstart(at(start, z)), zone));
    icalcomponent_add_property(ev, with_tzid(icalproperty_new_dtend(at(end, z)), zone));
    if (url) icalcomponent_add_property(ev, icalproperty_new_url(url));
    return ev;
}

static void add_status(icalcomponent *ev, int cancelled)
{
    icalcomponent_add_property(
        ev, icalproperty_new_status(cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
}

/* A series as one VEVENT with its RRULE (COUNT: what was made, so a
 * client makes the same occurrences), an EXDATE for each cancelled
 * occurrence and a VEVENT with RECURRENCE-ID for each changed one. */
static void add_series(icalcomponent *cal, json_t *row, json_t *series, icaltimezone *z,
                       const char *zone, const char *host, const char *link, int neutral,
                       const char *neutral_summary)
{
    char uid[128];
    snprintf(uid, sizeof uid, "event-%lld@%s", (long long)num(row, "id"), host);
    int64_t first = num(series, "first"), dur = num(series, "duration");
    icalcomponent *ev = vevent(uid, first, first + dur, z, zone, link);
    struct icalrecurrencetype rec;
    icalrecurrencetype_clear(&rec);
    const char *f = str(series, "freq");
    rec.freq = !strcmp(f, "daily")    ? ICAL_DAILY_RECURRENCE
               : !strcmp(f, "weekly") ? ICAL_WEEKLY_RECURRENCE
                                      : ICAL_MONTHLY_RECURRENCE;
    rec.interval = (short)num(series, "every");
    rec.count = (int)num(series, "count");
    icalcomponent_add_property(ev, icalproperty_new_rrule(rec));
    json_t *ex = json_object_get(series, "exceptions");
    size_t i;
    json_t *x;
    json_array_foreach(ex, i, x)
    {
        if (num(x, "cancelled"))
            icalcomponent_add_property(
                ev, with_tzid(icalproperty_new_exdate(at(num(x, "recurrence_id"), z)), zone));
    }
    add_texts(ev, row, neutral, neutral_summary, NULL);
    add_status(ev, (int)num(row, "event_cancelled"));
    icalcomponent_add_component(cal, ev);
    json_array_foreach(ex, i, x)
    {
        if (num(x, "cancelled")) continue;
        icalcomponent *o = vevent(uid, num(x, "starts_at"), num(x, "ends_at"), z, zone, link);
        icalcomponent_add_property(
            o, with_tzid(icalproperty_new_recurrenceid(at(num(x, "recurrence_id"), z)), zone));
        add_texts(o, row, neutral, neutral_summary, str(x, "place_text"));
        add_status(o, (int)num(row, "event_cancelled"));
        icalcomponent_add_component(cal, o);
    }
}

char *event_ics(json_t *rows, const char *base, const char *host, int neutral,
                const char *neutral_summary)
{
    icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
    icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal, icalproperty_new_prodid("-//Hramada//Events//RU"));
    icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
    const char *zones[16];
    size_t nz = 0;
    size_t i;
    json_t *row;
    struct buf tz;
    buf_init(&tz);
    json_array_foreach(rows, i, row)
    {
        const char *zone = str(row, "zone");
        icaltimezone *z = event_zone_ical(zone);
        json_t *series = json_object_get(row, "series");
        /* a series' other rows: its one VEVENT says them */
        if (!z || (str(row, "freq")[0] && !series)) continue;
        size_t k = 0;
        while (k < nz && strcmp(zones[k], zone))
            k++;
        if (k == nz && nz < HR_ARRAY_LEN(zones)) {
            zones[nz++] = zone;
            char *v = vtimezone(zone);
            if (v) buf_puts(&tz, v);
            free(v);
        }
        char buf[512];
        snprintf(buf, sizeof buf, "%s%s", base ? base : "", str(row, "link"));
        const char *link = base ? buf : NULL;
        if (series) {
            add_series(cal, row, series, z, zone, host, link, neutral, neutral_summary);
            continue;
        }
        char uid[128];
        snprintf(uid, sizeof uid, "event-%lld-%lld@%s", (long long)num(row, "id"),
                 (long long)num(row, "occurrence_id"), host);
        icalcomponent *ev = vevent(uid, num(row, "starts_at"), num(row, "ends_at"), z, zone, link);
        add_texts(ev, row, neutral, neutral_summary, NULL);
        add_status(ev, (int)num(row, "cancelled"));
        icalcomponent_add_component(cal, ev);
    }
    /* the zones go first, as clients expect them before the events */
    const char *body = icalcomponent_as_ical_string(cal);
    struct buf out;
    buf_init(&out);
    const char *first = strstr(body, "BEGIN:VEVENT");
    const char *end = strstr(body, "END:VCALENDAR");
    if (!first) first = end;
    if (first) {
        buf_append(&out, body, (size_t)(first - body));
        buf_append(&out, tz.data ? tz.data : "", tz.len);
        buf_puts(&out, first);
    } else {
        buf_puts(&out, body);
    }
    buf_free(&tz);
    icalcomponent_free(cal);
    char *s = strdup(out.data ? out.data : "");
    buf_free(&out);
    return s;
}
