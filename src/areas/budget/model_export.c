/* The budget area's hooks: "download my data" and the sealing of a
 * community's texts in place when it gets its data key. Ballots are not a
 * person's data here: nothing ties them to one (the receipt code is the
 * voter's own, and the roll says only that they voted). */
#include "areas/budget/budget.h"
#include "core/util.h"

/* The projects the account proposed, in every community it is a member of
 * (PERSON_MEMBERS, core/area.h), with the review it got; ?2 = 0 leaves out
 * secret communities. */
json_t *budget_person_export(struct dbc *c, int64_t account_id, int with_secret, const char *sealed)
{
    static const struct db_named_query parts[] = {
        {"projects",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(p.title, p.community_id, 'budget_processes.title') AS process,"
         " unseal(j.title, j.community_id, 'budget_projects.title') AS title,"
         " unseal(j.description, j.community_id, 'budget_projects.description') AS description,"
         " unseal(j.place, j.community_id, 'budget_projects.place') AS place,"
         " j.cost, j.review, unseal(j.reason, j.community_id, 'budget_projects.reason') AS reason,"
         " j.reviewed_cost, date(j.created_at, 'unixepoch') AS written"
         " FROM " PERSON_MEMBERS " l JOIN budget_projects j ON j.member_id = l.member_id"
         " JOIN budget_processes p ON p.id = j.process_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY j.id"},
        {0},
    };
    return db_rows_named(c, parts, account_id, with_secret, sealed ? sealed : "[]");
}

/* seal() leaves a sealed text as it is: running it twice changes nothing. */
int budget_seal_texts(struct dbc *w, int64_t community_id)
{
    static const char *const sql[] = {
        "UPDATE budget_processes SET title = seal(title, ?1, 'budget_processes.title'),"
        " description = seal(description, ?1, 'budget_processes.description')"
        " WHERE community_id = ?1",
        "UPDATE budget_projects SET title = seal(title, ?1, 'budget_projects.title'),"
        " description = seal(description, ?1, 'budget_projects.description'),"
        " place = seal(place, ?1, 'budget_projects.place'),"
        " reason = seal(reason, ?1, 'budget_projects.reason') WHERE community_id = ?1",
    };
    return db_exec_each(w, sql, sizeof sql / sizeof sql[0], community_id);
}
