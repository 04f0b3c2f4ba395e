/*
 * Notifications: the one core model file of their tables (core/notify.h).
 */
#include "core/notify.h"
#include "core/db.h"

#include <string.h>

static const char *const CHANNELS[] = {"inbox", "daily", "now", "none"};

const char *notify_channel_name(enum notify_channel ch)
{
    return (unsigned)ch < sizeof CHANNELS / sizeof *CHANNELS ? CHANNELS[ch] : "inbox";
}

int notify_channel_parse(const char *s)
{
    for (size_t i = 0; s && i < sizeof CHANNELS / sizeof *CHANNELS; i++)
        if (strcmp(s, CHANNELS[i]) == 0) return (int)i;
    return -1;
}

/* A member's choice may be sealed in a secret community (the writer holds
 * the acting member's keys, so unseal() opens it); "none" is the one choice
 * that stops the row. */
#define NOT_NONE                                                                                   \
    " AND NOT EXISTS (SELECT 1 FROM notify_prefs p WHERE p.member_id = m.id AND p.kind = ?2"       \
    "   AND unseal(p.channel, m.community_id, 'notify_prefs.channel') = 'none')"

static const char sql_to_member[] =
    "INSERT INTO notifications(member_id, community_id, kind, object_id, day, at)"
    " SELECT m.id, m.community_id, ?2, ?3, ?5 / 86400, ?5 FROM members m"
    " WHERE m.id = ?4 AND m.community_id = ?1" NOT_NONE;
static const char sql_to_community[] =
    "INSERT INTO notifications(member_id, community_id, kind, object_id, day, at)"
    " SELECT m.id, m.community_id, ?2, ?3, ?5 / 86400, ?5 FROM members m"
    " WHERE m.community_id = ?1 AND m.id IS NOT ?4" NOT_NONE;

int notify_members(struct dbc *w, int64_t community_id, const char *kind, int64_t object_id,
                   enum notify_to to, int64_t who_id, int64_t now)
{
    const char *sql = to == NOTIFY_TO_MEMBER ? sql_to_member : sql_to_community;
    return db_exec(w, sql, "itiii", community_id, kind, object_id, who_id, now);
}

static const char sql_unread[] =
    "SELECT count(*) FROM (SELECT 1 FROM notifications"
    " WHERE member_id IN (SELECT value FROM json_each(?1)) AND unread = 1 LIMIT ?2)";

int64_t notify_unread(struct dbc *c, const char *member_ids, int64_t cap)
{
    return db_int(c, -1, sql_unread, "ti", member_ids, cap);
}

static const char sql_pref_set[] =
    "INSERT INTO notify_prefs(member_id, kind, channel)"
    " SELECT m.id, ?2, seal(?3, m.community_id, 'notify_prefs.channel') FROM members m"
    " WHERE m.id = ?1"
    " ON CONFLICT (member_id, kind) DO UPDATE SET channel = excluded.channel";

int notify_pref_set(struct dbc *w, int64_t member_id, const char *kind, enum notify_channel channel)
{
    return db_exec(w, sql_pref_set, "itt", member_id, kind, notify_channel_name(channel)) < 0 ? -1
                                                                                              : 0;
}

/* ---- issue 17, step 3: the emitters' helpers ---- */

static const char sql_to_list[] =
    "INSERT INTO notifications(member_id, community_id, kind, object_id, day, at)"
    " SELECT m.id, m.community_id, ?2, ?3, ?5 / 86400, ?5 FROM members m"
    " WHERE m.id IN (SELECT value FROM json_each(?4)) AND m.community_id = ?1" NOT_NONE;

int notify_members_in(struct dbc *w, int64_t community_id, const char *kind, int64_t object_id,
                      const char *member_ids, int64_t now)
{
    return db_exec(w, sql_to_list, "ititi", community_id, kind, object_id,
                   member_ids ? member_ids : "[]", now);
}

/* The scheduled pass's notices (notify.h): OR IGNORE against the unique
 * index of migration 075. In a secret community the pass holds no key, so
 * unseal() of a member's sealed choice is NULL and NOT_NONE lets the row
 * through: it is written unchecked, for the member's own request to settle
 * (notify_settle). */
#define ONCE_INSERT                                                                                \
    "INSERT OR IGNORE INTO notifications(member_id, community_id, kind, object_id, day, at,"       \
    " unchecked) SELECT m.id, m.community_id, ?2, ?3, ?6 / 86400, ?5, k.visibility = 2"            \
    " FROM members m JOIN communities k ON k.id = m.community_id"
static const char sql_once_member[] =
    ONCE_INSERT " WHERE m.id = ?4 AND m.community_id = ?1" NOT_NONE;
static const char sql_once_community[] =
    ONCE_INSERT " WHERE m.community_id = ?1 AND m.id IS NOT ?4" NOT_NONE;

int notify_members_once(struct dbc *w, int64_t community_id, const char *kind, int64_t object_id,
                        enum notify_to to, int64_t who_id, int64_t now, int64_t due)
{
    const char *sql = to == NOTIFY_TO_MEMBER ? sql_once_member : sql_once_community;
    return db_exec(w, sql, "itiiii", community_id, kind, object_id, who_id, now, due);
}

/* ---- the pass's unchecked notices, settled with the member's keys ---- */

#define UNCHECKED_OF " WHERE unchecked = 1 AND member_id IN (SELECT value FROM json_each(?1))"
static const char sql_unchecked[] =
    "SELECT EXISTS (SELECT 1 FROM notifications INDEXED BY notifications_unchecked" UNCHECKED_OF
    ")";
/* What the member chose for the notice's kind, opened with the request's
 * keys: 'none', another channel, '' when nothing is stored (the kind's
 * default, never "nothing"), NULL when the key is not open here. */
#define CHOICE                                                                                     \
    "coalesce((SELECT unseal(p.channel, n.community_id, 'notify_prefs.channel')"                   \
    " FROM notify_prefs p WHERE p.member_id = n.member_id AND p.kind = n.kind), '')"
static const char sql_settle_drop[] =
    "DELETE FROM notifications AS n" UNCHECKED_OF " AND " CHOICE " = 'none'";
static const char sql_settle_keep[] =
    "UPDATE notifications AS n SET unchecked = 0" UNCHECKED_OF " AND " CHOICE " IS NOT NULL";

int notify_unchecked(struct dbc *c, const char *member_ids)
{
    return (int)db_int(c, -1, sql_unchecked, "t", member_ids ? member_ids : "[]");
}

int notify_settle(struct dbc *w, const char *member_ids)
{
    const char *ids = member_ids ? member_ids : "[]";
    int dropped = db_exec(w, sql_settle_drop, "t", ids);
    if (dropped < 0) return -1;
    int kept = db_exec(w, sql_settle_keep, "t", ids);
    return kept < 0 ? -1 : dropped + kept;
}
