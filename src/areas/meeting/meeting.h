/* Events (issue 16, step 1): a community's events at /c/{slug}/events.
 *
 * Organizers make an event (kind, title, description, start and end in the
 * community's time zone, a place, a capacity, who may see it), change it
 * or cancel it with a reason. Members register for an occurrence; when it
 * is full they join its waiting list, and a cancellation gives the place to
 * the first one waiting in the same transaction. Assemblies, agendas and
 * votes are a later step: an assembly will be an event of kind 'assembly'
 * whose agenda items reference the event. */
#ifndef HR_MEETING_H
#define HR_MEETING_H

#include "core/area.h"
#include "core/db.h"
#include "core/req.h"
#include <jansson.h>
#include <stdint.h>

extern const struct area meeting_area;
/* The feeds' routes (feeds.c), listed by the area. */
extern const struct route meeting_feed_routes[];
/* A member's private feed: its page in the community, and the feed by
 * its token (an instance route: no session, no community in the path). */
extern const struct route meeting_myfeed_routes[];
extern const struct route meeting_token_routes[];
/* One occurrence changed or cancelled (pages_occ.c). */
extern const struct route meeting_occ_routes[];

enum {
    EVENT_TITLE_MAX = 150,
    EVENT_TEXT_MAX = 8000,
    EVENT_PLACE_MAX = 200,
    EVENT_URL_MAX = 500,
    EVENT_REASON_MAX = 1000,
    EVENT_CAPACITY_MAX = 100000,
    EVENT_PAGE = 20,
    EVENT_DURATION_MAX = 14 * 86400, /* an event lasts at most two weeks */
    EVENT_OCCURRENCES_MAX = 300,     /* the most a rule may make */
    EVENT_EVERY_MAX = 99,
};

#define EVENT_ZONE_DEFAULT "Europe/Moscow"

/* The kinds people choose (labels "meeting.kind.<key>"), NULL-terminated. */
extern const char *const event_kinds[];
extern const char *const event_audiences[];
/* The repetitions offered ("meeting.repeat.<key>"): none first. */
extern const char *const event_repeats[];

/* ---- time (tz.c, pure but for the system's zone data) ---- */

/* 1 when zone is an IANA name of the system's zone data (a file of
 * TZif data under the zoneinfo directory) that the calendar library
 * knows too; 0 otherwise. */
int event_zone_valid(const char *zone);
/* "YYYY-MM-DDTHH:MM" (or with a space) read as a wall-clock time in zone:
 * 0 with *utc, -1 when malformed or not a real date and time. */
int event_local_parse(const char *s, const char *zone, int64_t *utc);
/* utc as wall-clock time in zone: "YYYY-MM-DDTHH:MM" into out (17+ bytes),
 * and the day "YYYY-MM-DD" as the first ten. */
void event_local_format(int64_t utc, const char *zone, char out[20]);

/* A repeating event's rule: every `every` days, weeks or months, up to a
 * day (inclusive, "YYYY-MM-DD" in the event's zone) or count times. */
struct event_rule {
    const char *freq; /* "daily", "weekly", "monthly" */
    int every;
    int count;             /* 0: until_day */
    const char *until_day; /* NULL or "": count */
};
/* 1 when the rule is well formed (one end, bounds kept). */
int event_rule_valid(const struct event_rule *rule);
/* The starts (UTC) of rule's occurrences from start (the first), kept at
 * the first's wall-clock time in zone, into out: their number, or -1 when
 * the rule is malformed or would make more than max. */
int event_expand(const struct event_rule *rule, const char *zone, int64_t start, int64_t *out,
                 int max);

/* ---- model (model.c) ---- */

struct event_new {
    const char *kind, *title, *description, *place_text, *online_url, *audience, *zone;
    int64_t territory_id, capacity; /* 0: none */
    int64_t starts_at, ends_at;     /* UTC seconds */
    struct event_rule rule;         /* freq NULL or "": a single event */
};
enum wr event_create(struct dbc *w, int64_t cid, int64_t author, const struct event_new *n,
                     int64_t *id_out);
/* Changes an event that is not cancelled; its occurrences are made again
 * from its times and rule (series.c): an occurrence whose day remains
 * keeps its registrations (and a changed one its own times), one whose day
 * is gone is deleted and its registered members are told.
 * A capacity below the registered count of any occurrence is 409
 * ("meeting.error.capacity_below"). A higher capacity gives places to
 * those waiting, in order. */
/* The notices to those registered for an event (or waiting): its name,
 * place or time changed; it was cancelled (core/notify.h). */
#define MEETING_NOTIFY_CHANGED "meeting.changed"
#define MEETING_NOTIFY_EVENT_CANCELLED "meeting.cancelled"
enum wr event_update(struct dbc *w, int64_t cid, int64_t id, const struct event_new *n);
enum wr event_cancel(struct dbc *w, int64_t cid, int64_t id, const char *reason);

struct event {
    int64_t id, territory_id, capacity, occurrence_id, starts_at, ends_at, registered;
    const char *kind, *title, *description, *place_text, *online_url, *audience, *zone;
    int cancelled;
    const char *freq, *until_day; /* freq NULL: single */
    int64_t every, count;
};
/* 0 with *out (its first occurrence's times), -1 when none. */
int event_find(struct dbc *c, struct arena *a, int64_t cid, int64_t id, struct event *out);
/* The highest registered count among its occurrences. */
int64_t event_registered_max(struct dbc *c, int64_t id);

/* Occurrences for the calendar (fields of m): upcoming (ending after now,
 * soonest first) or past (latest first); members see every event, others
 * only those for everyone. */
json_t *event_calendar(struct dbc *c, const struct vmask *m, int64_t cid, int64_t viewer,
                       int member, int past, int64_t now, int64_t limit, int64_t offset);
json_t *event_view(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id, int64_t viewer,
                   int member);
/* The event's occurrences with their counts and the viewer's state. */
json_t *event_occurrences(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id,
                          int64_t viewer, int64_t limit);
/* Who registered for an occurrence (organizers only): [{member_id, name,
 * state, attended}]. */
json_t *event_registrations(struct dbc *c, int64_t cid, int64_t occurrence);

/* ---- series (series.c) ---- */

/* On the writer: the event's rule row and occurrences made from n (see
 * event_update); WR_INVALID "meeting.error.too_many" when the rule makes
 * none or too many. */
enum wr event_series_sync(struct dbc *w, int64_t cid, int64_t id, const struct event_new *n);
/* Those waiting take the free places of every occurrence of event id. */
int event_promote(struct dbc *w, int64_t event_id);
/* One occurrence moved or given its own address ("" : the event's);
 * 404 when it is not the event's, 409 when it or the event is cancelled. */
enum wr event_occurrence_change(struct dbc *w, int64_t cid, int64_t event_id, int64_t occ,
                                int64_t starts_at, int64_t ends_at, const char *place_text);
/* One occurrence cancelled with a reason; its registered are told. */
enum wr event_occurrence_cancel(struct dbc *w, int64_t cid, int64_t event_id, int64_t occ,
                                const char *reason);
/* One occurrence's times, own address and state: 0, or -1 when it is not
 * event_id's in community cid. */
struct event_occ {
    int64_t id, starts_at, ends_at;
    const char *place_text; /* NULL: the event's */
    int cancelled;
};
int event_occurrence_find(struct dbc *c, struct arena *a, int64_t cid, int64_t event_id,
                          int64_t occ, struct event_occ *out);
/* A series' feed facts (every occurrence, not a window's): {first,
 * duration, count, freq, every, exceptions: [{recurrence_id, starts_at,
 * ends_at, cancelled, place_text}]}; texts left out when neutral. NULL
 * when event id has no rule. */
json_t *event_series_feed(struct dbc *c, int64_t id, int neutral);

#define MEETING_NOTIFY_REMOVED "meeting.occurrence_removed"
#define MEETING_NOTIFY_CANCELLED "meeting.occurrence_cancelled"

const char *event_zone(struct dbc *c, struct arena *a, int64_t cid);
enum wr event_zone_set(struct dbc *w, int64_t cid, const char *zone);

/* Registration: a place while there is one, else the waiting list; 409
 * when registered already, the occurrence is over or cancelled. */
enum wr event_register(struct dbc *w, int64_t cid, int64_t occurrence, int64_t member,
                       const char **state_out);
/* Cancels a registration; the first one waiting takes the freed place. */
enum wr event_unregister(struct dbc *w, int64_t cid, int64_t occurrence, int64_t member);
/* Marks who attended (present: a JSON array of member ids); the others
 * of the occurrence's registered are marked absent. */
enum wr event_attendance(struct dbc *w, int64_t cid, int64_t occurrence, const char *present);

/* The places of the community's territory an event may name (the
 * initiative area's rule): [{id, name, depth}]. */
json_t *event_places(struct dbc *c, int64_t cid);

/* ---- iCalendar (ical.c, model.c) ---- */

/* The occurrences of a feed: of event id (0: every event of the
 * community), those for everyone only when everyone is 1, ending after
 * since, at most limit; each with its texts, times, zone and "link" (the
 * event page's path). */
json_t *event_feed_rows(struct dbc *c, int64_t cid, const char *slug, int64_t id, int everyone,
                        int64_t since, int64_t limit);
/* rows as one VCALENDAR (malloc'd): a VTIMEZONE per zone, a VEVENT per
 * occurrence, links made from base; neutral 1 leaves out every text but
 * neutral_summary (a secret community's). */
char *event_ics(json_t *rows, const char *base, const char *host, int neutral,
                const char *neutral_summary);

/* ---- a member's private feed (model_feed.c) ---- */

/* The feed of a member's: {scope, created_at} or NULL. */
json_t *event_feed_of(struct dbc *c, int64_t cid, int64_t member);
/* On the writer: the feed's hash set (a new URL; the old one stops). */
enum wr event_feed_set(struct dbc *w, int64_t cid, int64_t member, const char *hash,
                       const char *scope);
/* On the writer: the feed revoked; 409 when there is none. */
enum wr event_feed_revoke(struct dbc *w, int64_t cid, int64_t member);
/* The feed a hash names: {community_id, member_id, scope, slug,
 * visibility}, or NULL. */
json_t *event_feed_by_hash(struct dbc *c, const char *hash);
/* A member's feed rows, as event_feed_rows: every event (registered 0) or
 * the occurrences member registered for (as single events, no series);
 * bare 1: times and links only, no text (a secret community's). */
json_t *event_member_feed_rows(struct dbc *c, int64_t cid, const char *slug, int64_t member,
                               int registered, int bare, int64_t since, int64_t limit);

/* ---- date polls (model_poll.c) ---- */

enum { POLL_OPTIONS_MIN = 2, POLL_OPTIONS_MAX = 20, POLL_TIMES_MAX = 2000 };

struct poll_new {
    const char *kind, *title, *description, *zone;
    int64_t minutes; /* how long the meeting will last */
    int64_t starts[POLL_OPTIONS_MAX];
    int n;
};
/* The notice of a date poll opened, to every member but its author
 * (core/notify.h). */
#define MEETING_NOTIFY_POLL "meeting.poll_opened"
enum wr poll_create(struct dbc *w, int64_t cid, int64_t author, const struct poll_new *p,
                    int64_t *id_out);
/* The community's polls, open first: {id, title, kind, closed, event_id,
 * options, answered}. */
json_t *poll_list(struct dbc *c, const struct vmask *m, int64_t cid, int64_t limit);
json_t *poll_view(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id);
/* The proposed times with their counts and the viewer's answer ("mine"). */
json_t *poll_options(struct dbc *c, const struct vmask *m, int64_t id, int64_t viewer);
/* Every answer: [{member_id, name, option_id, answer}] by member. */
json_t *poll_answers(struct dbc *c, int64_t cid, int64_t id);
/* The member's answers to n options: 409 when the poll is closed, 422
 * ("meeting.error.poll_option") for an option not the poll's. */
enum wr poll_answer(struct dbc *w, int64_t cid, int64_t id, int64_t member, const int64_t *options,
                    const char *const *answers, int n);
/* Closes the poll into an event for members at the option's time (its
 * texts, kind, zone and length): the event's id. One writer decides, so
 * of two closing at once one gets 409. */
enum wr poll_close(struct dbc *w, struct arena *a, int64_t cid, int64_t id, int64_t option,
                   int64_t author, int64_t *event_out);
int meeting_poll_seal_texts(struct dbc *w, int64_t cid);
/* The date polls' pages (pages_poll.c). */
extern const struct route meeting_poll_routes[];
extern const char *const poll_answer_values[];

json_t *meeting_person_export(struct dbc *c, int64_t account_id, int with_secret,
                              const char *sealed);
int meeting_seal_texts(struct dbc *w, int64_t cid);
int meeting_member_left(struct dbc *w, int64_t cid);

/* The scheduled pass (areas/notify/pass.c): the registrations (not the
 * waiting list) for occurrences not cancelled that start in (from, to], as
 * rows {community_id, id (the event), member_id, due (the start)}; NULL on
 * error. */
json_t *meeting_starting(struct dbc *c, int64_t from, int64_t to);

#endif
