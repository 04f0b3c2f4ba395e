/* The strategy area's part of "download my data": the person's own
 * values and goals (with whom they chose to share each), the shared values
 * they proposed, the versions of vision, mission and manifesto they wrote,
 * their own votes on values and manifestos (a vote here is open, named to
 * the organizers, so it is the person's to read), the actions they own and
 * the help they pledged. ?2 = 0 leaves out secret communities: see
 * areas/account/export.c. */
#include "areas/strategy/strategy.h"
#include "core/db.h"

/* Every query reaches the community as k for its name and visibility, and
 * the person's member id there through l (PERSON_MEMBERS, core/area.h). */
#define IN_K " AND (?2 OR k.visibility < 2)"
/* The community's name, sealed when it has a data key (the person's
 * keyring, bound to the connection by the request, opens it). */
#define KNAME "unseal(k.name, k.id, 'communities.name') AS community"
#define MINE(col) " JOIN " PERSON_MEMBERS " l ON l.member_id = " col

json_t *strategy_person_export(struct dbc *c, int64_t account_id, int with_secret,
                               const char *sealed)
{
    static const struct db_named_query parts[] = {
        {"personal_values",
         "SELECT " KNAME ", v.kind,"
         " unseal(v.text, v.community_id, 'personal_values.text') AS text, v.shared_with,"
         " date(v.created_at, 'unixepoch') AS written FROM personal_values v"
         " JOIN communities k ON k.id = v.community_id" MINE("v.member_id") " WHERE 1" IN_K
                                                                            " ORDER BY v.id"},
        {"proposed_values",
         "SELECT " KNAME ", unseal(s.title, s.community_id, 'shared_values.title') AS title,"
         " unseal(s.description, s.community_id, 'shared_values.description') AS description,"
         " date(s.opens_at, 'unixepoch') AS opened, date(s.closes_at, 'unixepoch') AS closes"
         " FROM shared_values s JOIN communities k ON k.id = s.community_id" MINE(
             "s.proposer_member") " WHERE 1" IN_K " ORDER BY s.id"},
        {"value_votes",
         "SELECT " KNAME ", unseal(s.title, s.community_id, 'shared_values.title') AS value,"
         " CASE v.yes WHEN 1 THEN 'yes' ELSE 'no'"
         " END AS vote, date(v.voted_at, 'unixepoch') AS voted FROM value_votes v"
         " JOIN shared_values s ON s.id = v.shared_value_id"
         " JOIN communities k ON k.id = s.community_id" MINE("v.member_id") " WHERE 1" IN_K
                                                                            " ORDER BY s.id"},
        {"texts_written", "SELECT " KNAME ", t.kind,"
                          " unseal(t.body, t.community_id, 'strategy_texts.body') AS body, "
                          "date(t.created_at, 'unixepoch') AS written"
                          " FROM strategy_texts t JOIN communities k ON k.id = t.community_id" MINE(
                              "t.author_member") " WHERE 1" IN_K " ORDER BY t.id"},
        {"text_votes", "SELECT " KNAME ", t.kind, date(t.created_at, 'unixepoch') AS version,"
                       " CASE v.yes WHEN 1 THEN 'yes' ELSE 'no' END AS vote,"
                       " date(v.voted_at, 'unixepoch') AS voted FROM text_votes v"
                       " JOIN strategy_texts t ON t.id = v.text_id"
                       " JOIN communities k ON k.id = t.community_id" MINE(
                           "v.member_id") " WHERE 1" IN_K " ORDER BY t.id"},
        {"actions_owned",
         "SELECT " KNAME ", unseal(g.title, g.community_id, 'goals.title') AS goal,"
         " unseal(a.title, a.community_id, 'actions.title') AS title, a.status, a.due"
         " FROM actions a JOIN goals g ON g.id = a.goal_id"
         " JOIN communities k ON k.id = a.community_id" MINE("a.owner_member") " WHERE 1" IN_K
                                                                               " ORDER BY a.id"},
        {"pledges",
         "SELECT " KNAME ", unseal(a.title, a.community_id, 'actions.title') AS action,"
         " p.hours, p.money, a.currency,"
         " p.person AS in_person, date(p.created_at, 'unixepoch') AS pledged FROM pledges p"
         " JOIN actions a ON a.id = p.action_id JOIN communities k ON k.id = a.community_id" MINE(
             "p.member_id") " WHERE 1" IN_K " ORDER BY p.id"},
        {0},
    };
    return db_rows_named(c, parts, account_id, with_secret, sealed ? sealed : "[]");
}
