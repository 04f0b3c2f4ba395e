/* The talent bank's part of "download my data": the person's entries
 * (with an organizer's reason when one was hidden), the requests for help
 * they sent or received with the contacts and thanks written in them, and
 * the clubs they started or belong to. The other side of a request is
 * named by the entry it was about, never by account: the file is the
 * person's, not their neighbours'. ?2 = 0 leaves out secret communities:
 * see areas/account/export.c. */
#include "areas/talent/talent.h"
#include "core/db.h"

#define IN_K " AND (?2 OR k.visibility < 2)"

json_t *talent_person_export(struct dbc *c, int64_t account_id, int with_secret)
{
    static const struct db_named_query parts[] = {
        {"entries",
         "SELECT k.name AS community, e.kind, e.category, e.title, e.body, e.tags,"
         " e.availability, e.visibility, e.hidden_reason,"
         " date(e.created_at, 'unixepoch') AS written, date(e.updated_at, 'unixepoch') AS changed"
         " FROM talent_entries e JOIN communities k ON k.id = e.community_id"
         " WHERE e.account_id = ?1" IN_K " ORDER BY e.id"},
        {"requests",
         "SELECT k.name AS community, e.title AS entry,"
         " CASE WHEN q.from_id = ?1 THEN 'sent' ELSE 'received' END AS direction,"
         " q.message, CASE WHEN q.from_id = ?1 THEN q.from_contact ELSE q.to_contact END"
         " AS my_contact, q.status, q.thanks, q.hours,"
         " date(q.created_at, 'unixepoch') AS sent_on FROM talent_requests q"
         " JOIN talent_entries e ON e.id = q.entry_id"
         " JOIN communities k ON k.id = q.community_id"
         " WHERE (q.from_id = ?1 OR q.to_id = ?1)" IN_K " ORDER BY q.id"},
        {"clubs", "SELECT k.name AS community, b.name, b.description, b.meets_when, b.meets_where,"
                  " CASE WHEN b.created_by = ?1 THEN 'started' ELSE m.status END AS relation"
                  " FROM talent_clubs b JOIN communities k ON k.id = b.community_id"
                  " LEFT JOIN talent_club_members m ON m.club_id = b.id AND m.account_id = ?1"
                  " WHERE (b.created_by = ?1 OR m.account_id = ?1)" IN_K " ORDER BY b.id"},
        {0},
    };
    return db_rows_named(c, parts, account_id, with_secret);
}
