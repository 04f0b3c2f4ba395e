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
/* the texts opened (sealed in a community with a data key) */
#define KNAME "unseal(k.name, k.id, 'communities.name') AS community"
#define OPEN(col, place) "unseal(" col ", k.id, '" place "')"

/* Every query starts from the account's member ids, one per community it
 * is in (PERSON_MEMBERS l): the talent tables name members only. What a
 * member id left behind when its member left went with it, but for the
 * clubs it started, which are nobody's now. */
json_t *talent_person_export(struct dbc *c, int64_t account_id, int with_secret, const char *sealed)
{
    static const struct db_named_query parts[] =
        {
            {"entries",
             "SELECT " KNAME
             ", e.kind, e.category, " OPEN("e.title", "talent_entries.title") " AS title, " OPEN(
                 "e.body",
                 "talent_entries.body") " AS body, " OPEN("e.tags",
                                                          "talent_entries.tags") " AS tags, "
                                                                                 "e.availability, "
                                                                                 "e.visibility,"
                                                                                 " " OPEN("e."
                                                                                          "hidden_"
                                                                                          "reason",
                                                                                          "talent_"
                                                                                          "entries."
                                                                                          "hidden_"
                                                                                          "reason") " AS hidden_reason,"
                                                                                                    " date(e.created_at, 'unixepoch') AS written, date(e.updated_at, 'unixepoch') AS changed"
                                                                                                    " FROM " PERSON_MEMBERS
                                                                                                    " l JOIN talent_entries e ON e.member_id = l.member_id"
                                                                                                    " JOIN communities k ON k.id = l.community_id"
                                                                                                    " WHERE 1" IN_K
                                                                                                    " ORDER BY e.id"},
            {"requests",
             "SELECT " KNAME ", " OPEN(
                 "e.title",
                 "talent_entries.title") " AS entry,"
                                         " CASE WHEN q.from_member = l.member_id THEN 'sent' ELSE "
                                         "'received' END AS direction, " OPEN(
                                             "q.message",
                                             "talent_requests.message") " AS message,"
                                                                        " CASE WHEN q.from_member "
                                                                        "= l.member_id THEN " OPEN("q.from_contact", "talent_requests.from_contact") " ELSE " OPEN(
                                                                            "q.to_contact",
                                                                            "talent_requests.to_"
                                                                            "contact") " END AS "
                                                                                       "my_contact,"
                                                                                       " q.status,"
                                                                                       " " OPEN("q."
                                                                                                "th"
                                                                                                "an"
                                                                                                "k"
                                                                                                "s",
                                                                                                "ta"
                                                                                                "le"
                                                                                                "nt"
                                                                                                "_r"
                                                                                                "eq"
                                                                                                "ue"
                                                                                                "st"
                                                                                                "s."
                                                                                                "th"
                                                                                                "an"
                                                                                                "k"
                                                                                                "s") " AS thanks, q.hours,"
                                                                                                     " date(q.created_at, 'unixepoch') AS sent_on FROM " PERSON_MEMBERS
                                                                                                     " l"
                                                                                                     " JOIN talent_requests q ON q.from_member = l.member_id OR q.to_member = l.member_id"
                                                                                                     " JOIN talent_entries e ON e.id = q.entry_id"
                                                                                                     " JOIN communities k ON k.id = l.community_id"
                                                                                                     " WHERE 1" IN_K
                                                                                                     " ORDER BY q.id"},
            {"clubs", "SELECT " KNAME
                      ", " OPEN("b.name", "talent_clubs.name") " AS name, " OPEN("b.description", "talent_clubs.description") " AS description, " OPEN(
                          "b.meets_when",
                          "talent_clubs.meets_when") " AS meets_when, " OPEN("b.meets_where",
                                                                             "talent_clubs.meets_"
                                                                             "where") " AS "
                                                                                      "meets_where,"
                                                                                      " CASE WHEN "
                                                                                      "b.member_id "
                                                                                      "= "
                                                                                      "l.member_id "
                                                                                      "THEN "
                                                                                      "'started' "
                                                                                      "ELSE "
                                                                                      "m.status END"
                                                                                      " AS "
                                                                                      "relation "
                                                                                      "FROM"
                                                                                      " " PERSON_MEMBERS
                                                                                      " l"
                                                                                      " JOIN "
                                                                                      "talent_"
                                                                                      "clubs b ON "
                                                                                      "b.community_"
                                                                                      "id = "
                                                                                      "l.community_"
                                                                                      "id"
                                                                                      " JOIN "
                                                                                      "communities "
                                                                                      "k ON k.id = "
                                                                                      "l.community_"
                                                                                      "id"
                                                                                      " LEFT JOIN "
                                                                                      "talent_club_"
                                                                                      "members m "
                                                                                      "ON "
                                                                                      "m.club_id = "
                                                                                      "b.id"
                                                                                      "  AND "
                                                                                      "m.member_id "
                                                                                      "= "
                                                                                      "l.member_id"
                                                                                      " WHERE "
                                                                                      "(b.member_"
                                                                                      "id = "
                                                                                      "l.member_id "
                                                                                      "OR "
                                                                                      "m.member_id "
                                                                                      "IS NOT "
                                                                                      "NULL)" IN_K
                                                                                      " ORDER BY "
                                                                                      "b.id"},
            {0},
        };
    return db_rows_named(c, parts, account_id, with_secret, sealed ? sealed : "[]");
}
