/* The community area's part of "download my data": the communities the
 * person belongs to (with the role and the day they joined) and the join
 * requests they sent, with the message they wrote. ?2 = 0 leaves out
 * secret communities (visibility 2): see areas/account/export.c. */
#include "areas/community/community.h"
#include "core/area.h"
#include "core/db.h"

json_t *community_person_export(struct dbc *c, int64_t account_id, int with_secret,
                                const char *sealed)
{
    static const struct db_named_query parts[] = {
        {"memberships",
         "SELECT CASE WHEN substr(c.slug, 1, 1) = '~' THEN NULL ELSE c.slug END AS slug,"
         " unseal(c.name, c.id, 'communities.name') AS name, CASE c.visibility WHEN 0 THEN "
         "'public' WHEN 1 THEN 'closed'"
         " ELSE 'secret' END AS visibility, m.role, unseal(m.name, m.community_id, 'members.name') "
         "AS name_here,"
         " date(m.joined_day * 86400, 'unixepoch') AS joined"
         " FROM " PERSON_MEMBERS " l JOIN members m ON m.id = l.member_id"
         " JOIN communities c ON c.id = l.community_id"
         " WHERE (?2 OR c.visibility < 2) ORDER BY c.name"},
        {"join_requests",
         "SELECT unseal(c.name, c.id, 'communities.name') AS community, r.message, r.status,"
         " date(r.created_at, 'unixepoch') AS sent, date(r.decided_at, 'unixepoch') AS decided"
         " FROM join_requests r JOIN communities c ON c.id = r.community_id"
         " WHERE r.account_id = ?1 AND (?2 OR c.visibility < 2) ORDER BY r.created_at, r.id"},
        {0},
    };
    return db_rows_named(c, parts, account_id, with_secret, sealed ? sealed : "[]");
}
