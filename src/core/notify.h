/*
 * Notifications (issue 17, step 1; docs/architecture.md, "Notifications").
 *
 * An area declares its kinds (struct notify_kind, in struct area's list);
 * its writes call notify_members() inside their own write transaction, so
 * that a notice exists exactly when the change that causes it committed.
 * A notice names a member (community-local), its kind and the id of the
 * object it is about; it carries no text, so a secret community's notice
 * says nothing on the disk that its kind and object do not.
 *
 * The SQL lives in core/notify.c, the one place that reads and writes the
 * tables (as core/ballot.c is for the ballot box): every area's notices
 * obey the same rules ("nothing" chosen: no row), and no area reads them.
 */
#ifndef HR_NOTIFY_H
#define HR_NOTIFY_H

#include <stdint.h>

struct dbc;

/* Where a kind's notices go unless the member chose otherwise. */
/* The most kinds the areas may declare together: the settings page is one
 * form with a field per kind (core/form.h's FORM_MAX_FIELDS bounds it).
 * tests/unit/test_notify.c checks the areas' lists against it. */
enum { NOTIFY_KINDS_MAX = 47 };

enum notify_channel {
    NOTIFY_INBOX = 0,      /* the inbox only */
    NOTIFY_MAIL_DAILY = 1, /* the inbox and a daily e-mail digest */
    NOTIFY_MAIL_NOW = 2,   /* the inbox and an e-mail soon after */
    NOTIFY_NONE = 3,       /* nothing: no notice is written */
};

/* One kind of notice, declared by its area. */
struct notify_kind {
    const char *name;  /* "strategy.value_vote": unique, at most 40 bytes */
    const char *label; /* the catalog key of its one line in the inbox */
    enum notify_channel dflt;
    /* The object's page under /c/{slug}, "{id}" replaced by the object's
     * id: "/strategy#value-{id}". */
    const char *path;
};

/* Who a notice goes to. */
enum notify_to {
    NOTIFY_TO_MEMBER = 0,    /* the one member who_id */
    NOTIFY_TO_COMMUNITY = 1, /* every member of the community but who_id */
};

/* On the writer, inside the caller's transaction: writes one notice of kind
 * about object_id at time now for each recipient (to and who_id) who is a
 * member of community_id and has not chosen "nothing" for the kind. A
 * member of another community named as who_id gets nothing. The number of
 * notices written, or -1 on a database error (the caller's write then
 * fails with it). */
int notify_members(struct dbc *w, int64_t community_id, const char *kind, int64_t object_id,
                   enum notify_to to, int64_t who_id, int64_t now);

/* The same for the members in member_ids (a JSON array of member ids: those
 * registered for an event), each only if a member of community_id who has
 * not chosen "nothing". The number written, or -1. */
int notify_members_in(struct dbc *w, int64_t community_id, const char *kind, int64_t object_id,
                      const char *member_ids, int64_t now);

/* The unread notices of the members in member_ids (a JSON array, as
 * PERSON_MEMBERS binds; core/area.h), counted up to cap: the header's
 * figure. -1 on error. */
int64_t notify_unread(struct dbc *c, const char *member_ids, int64_t cap);

/* On the writer: the member's choice for a kind (NOTIFY_* of the kind's
 * default when none is stored). 0, or -1 on error. */
int notify_pref_set(struct dbc *w, int64_t member_id, const char *kind,
                    enum notify_channel channel);

/* The channel's stored name ("inbox", "daily", "now", "none"), and back
 * (-1 for an unknown name). */
const char *notify_channel_name(enum notify_channel ch);
int notify_channel_parse(const char *s);

/* On the writer: the scheduled pass's notices (kinds ending in ".closing"
 * or ".tomorrow"), as notify_members, but once per member, kind, object and
 * due day (migration 075): a rerun writes nothing twice. day is due's day.
 * In a secret community the pass holds no key to read a member's sealed
 * "nothing": the notice is written unchecked (migration 078), carrying, as
 * every notice, only its kind and object id, and settled by the member's
 * own request (notify_settle). The number of notices written, or -1. */
int notify_members_once(struct dbc *w, int64_t community_id, const char *kind, int64_t object_id,
                        enum notify_to to, int64_t who_id, int64_t now, int64_t due);

/* 1 when some notice of the members in member_ids (a JSON array) is still
 * unchecked, 0 when none, -1 on error: one probe of a partial index. */
int notify_unchecked(struct dbc *c, const char *member_ids);

/* On the writer, with the members' keys open (the viewer's request): each
 * unchecked notice of the members in member_ids is dropped if its member
 * chose "nothing" for its kind, else kept and no longer unchecked; one
 * whose community's key is not open here stays unchecked. The number
 * settled, or -1. */
int notify_settle(struct dbc *w, const char *member_ids);

#endif
