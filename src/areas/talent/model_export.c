/* The talent bank's part of "download my data": the person's entries
 * (with an organizer's reason when one was hidden), the requests for help
 * they sent or received with the contacts and thanks written in them, and
 * the clubs they started or belong to. The other side of a request is
 * named by the entry it was about, never by member or account: the file is the
 * person's, not their neighbours'. ?2 = 0 leaves out secret communities:
 * see areas/account/export.c. */
#include "areas/talent/talent.h"
#include "core/db.h"

#define IN_K " AND (?2 OR k.visibility < 2)"
/* The texts opened (sealed in a community with a data key; the person's
 * keyring, bound to the connection by the request, opens them). */
#define KNAME "unseal(k.name, k.id, 'communities.name') AS community"

/* Every query starts from the account's member ids, one per community it
 * is in (PERSON_MEMBERS l): the talent tables name members only. What a
 * member id left behind when its member left went with it, but for the
 * clubs it started, which are nobody's now. */
json_t *talent_person_export(struct dbc *c, int64_t account_id, int with_secret, const char *sealed)
{
    static const struct db_named_query parts[] = {
        {"entries",
         "SELECT " KNAME ", e.kind, e.category,"
         " unseal(e.title, k.id, 'talent_entries.title') AS title,"
         " unseal(e.body, k.id, 'talent_entries.body') AS body,"
         " unseal(e.tags, k.id, 'talent_entries.tags') AS tags, e.availability, e.visibility,"
         " unseal(e.hidden_reason, k.id, 'talent_entries.hidden_reason') AS hidden_reason,"
         " date(e.created_at, 'unixepoch') AS written, date(e.updated_at, 'unixepoch') AS changed"
         " FROM " PERSON_MEMBERS " l JOIN talent_entries e ON e.member_id = l.member_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE 1" IN_K " ORDER BY e.id"},
        {"requests",
         "SELECT " KNAME ", unseal(e.title, k.id, 'talent_entries.title') AS entry,"
         " CASE WHEN q.from_member = l.member_id THEN 'sent' ELSE 'received' END AS direction,"
         " unseal(q.message, k.id, 'talent_requests.message') AS message,"
         " CASE WHEN q.from_member = l.member_id"
         "  THEN unseal(q.from_contact, k.id, 'talent_requests.from_contact')"
         "  ELSE unseal(q.to_contact, k.id, 'talent_requests.to_contact') END AS my_contact,"
         " q.status, unseal(q.thanks, k.id, 'talent_requests.thanks') AS thanks, q.hours,"
         " date(q.created_at, 'unixepoch') AS sent_on FROM " PERSON_MEMBERS " l"
         " JOIN talent_requests q ON q.from_member = l.member_id OR q.to_member = l.member_id"
         " JOIN talent_entries e ON e.id = q.entry_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE 1" IN_K " ORDER BY q.id"},
        {"clubs",
         "SELECT " KNAME ", unseal(b.name, k.id, 'talent_clubs.name') AS name,"
         " unseal(b.description, k.id, 'talent_clubs.description') AS description,"
         " unseal(b.meets_when, k.id, 'talent_clubs.meets_when') AS meets_when,"
         " unseal(b.meets_where, k.id, 'talent_clubs.meets_where') AS meets_where,"
         " CASE WHEN b.member_id = l.member_id THEN 'started' ELSE m.status END"
         " AS relation FROM " PERSON_MEMBERS " l"
         " JOIN talent_clubs b ON b.community_id = l.community_id"
         " JOIN communities k ON k.id = l.community_id"
         " LEFT JOIN talent_club_members m ON m.club_id = b.id"
         "  AND m.member_id = l.member_id"
         " WHERE (b.member_id = l.member_id OR m.member_id IS NOT NULL)" IN_K " ORDER BY b.id"},
        {0},
    };
    return db_rows_named(c, parts, account_id, with_secret, sealed ? sealed : "[]");
}
