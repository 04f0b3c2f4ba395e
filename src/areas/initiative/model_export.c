/* The initiative area's hooks: "download my data" and the sealing of a
 * community's texts in place when it gets its data key. */
#include "areas/initiative/initiative.h"
#include "core/util.h"

#include <stdlib.h>

/* What the account wrote or did here, in every community it is a member of
 * (PERSON_MEMBERS, core/area.h); ?2 = 0 leaves out secret communities. An
 * initiative whose author left is nobody's any more. */
json_t *initiative_person_export(struct dbc *c, int64_t account_id, int with_secret,
                                 const char *sealed)
{
    static const struct db_named_query parts[] = {
        {"initiatives",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(i.title, i.community_id, 'initiatives.title') AS title,"
         " unseal(i.problem, i.community_id, 'initiatives.problem') AS problem,"
         " unseal(i.proposal, i.community_id, 'initiatives.proposal') AS proposal,"
         " i.direction, unseal(i.place_text, i.community_id, 'initiatives.place_text') AS place,"
         " i.state, i.stage, date(i.created_at, 'unixepoch') AS written"
         " FROM " PERSON_MEMBERS " l JOIN initiatives i ON i.member_id = l.member_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY i.id"},
        {"supports",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(i.title, i.community_id, 'initiatives.title') AS initiative"
         " FROM " PERSON_MEMBERS " l JOIN initiative_supports s ON s.member_id = l.member_id"
         " JOIN initiatives i ON i.id = s.initiative_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY i.id"},
        {"comments",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(i.title, i.community_id, 'initiatives.title') AS initiative,"
         " unseal(c.body, c.community_id, 'initiative_comments.body') AS text,"
         " unseal(c.hidden_reason, c.community_id, 'initiative_comments.hidden_reason')"
         "  AS hidden_reason, date(c.created_at, 'unixepoch') AS written"
         " FROM " PERSON_MEMBERS " l JOIN initiative_comments c ON c.member_id = l.member_id"
         " JOIN initiatives i ON i.id = c.initiative_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY c.id"},
        /* the four stages (migration 064): what the person wrote or was
         * given as theirs */
        {"reports",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(i.title, i.community_id, 'initiatives.title') AS initiative,"
         " unseal(x.body, x.community_id, 'initiative_reports.body') AS text,"
         " date(x.created_at, 'unixepoch') AS written"
         " FROM " PERSON_MEMBERS " l JOIN initiative_reports x ON x.member_id = l.member_id"
         " JOIN initiatives i ON i.id = x.initiative_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY x.id"},
        /* the photos the person added: what and where, not the bytes
         * (a download of data, not of pictures; each opens on its page) */
        {"photos",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(i.title, i.community_id, 'initiatives.title') AS initiative,"
         " CASE WHEN x.caption = '' THEN '' ELSE"
         "  unseal(x.caption, x.community_id, 'initiative_photos.caption') END AS caption,"
         " x.width, x.height, x.size, date(x.created_at, 'unixepoch') AS added"
         " FROM " PERSON_MEMBERS " l JOIN initiative_photos x ON x.member_id = l.member_id"
         " JOIN initiatives i ON i.id = x.initiative_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY x.id"},
        {"spending",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(i.title, i.community_id, 'initiatives.title') AS initiative, x.amount, x.day,"
         " CASE WHEN x.note = '' THEN '' ELSE"
         "  unseal(x.note, x.community_id, 'initiative_spending.note') END AS note"
         " FROM " PERSON_MEMBERS " l JOIN initiative_spending x ON x.member_id = l.member_id"
         " JOIN initiatives i ON i.id = x.initiative_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY x.id"},
        {"tasks",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(i.title, i.community_id, 'initiatives.title') AS initiative,"
         " unseal(x.title, x.community_id, 'initiative_tasks.title') AS task, x.due, x.status"
         " FROM " PERSON_MEMBERS " l JOIN initiative_tasks x ON x.owner_member = l.member_id"
         " JOIN initiatives i ON i.id = x.initiative_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY x.id"},
        /* fundraising (migration 090): the person's pledges */
        {"pledges",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(i.title, i.community_id, 'initiatives.title') AS initiative, x.money, x.hours,"
         " CASE WHEN x.materials = '' THEN '' ELSE"
         "  unseal(x.materials, x.community_id, 'initiative_pledges.materials') END AS materials,"
         " x.fulfilled_at IS NOT NULL AS fulfilled, date(x.created_at, 'unixepoch') AS written"
         " FROM " PERSON_MEMBERS " l JOIN initiative_pledges x ON x.member_id = l.member_id"
         " JOIN initiatives i ON i.id = x.initiative_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY x.id"},
        /* and those withdrawn (migration 089): what was promised and taken back */
        {"pledges_withdrawn",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(i.title, i.community_id, 'initiatives.title') AS initiative, x.money, x.hours,"
         " CASE WHEN x.materials = '' THEN '' ELSE"
         "  unseal(x.materials, x.community_id, 'initiative_pledges.materials') END AS materials,"
         " date(x.pledged_at, 'unixepoch') AS written,"
         " date(x.withdrawn_at, 'unixepoch') AS withdrawn"
         " FROM " PERSON_MEMBERS " l JOIN initiative_pledges_withdrawn x"
         "  ON x.member_id = l.member_id"
         " JOIN initiatives i ON i.id = x.initiative_id"
         " JOIN communities k ON k.id = l.community_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY x.id"},
        {"team", "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
                 " unseal(i.title, i.community_id, 'initiatives.title') AS initiative,"
                 " unseal(x.role, x.community_id, 'initiative_team.role') AS role"
                 " FROM " PERSON_MEMBERS " l JOIN initiative_team x ON x.member_id = l.member_id"
                 " JOIN initiatives i ON i.id = x.initiative_id"
                 " JOIN communities k ON k.id = l.community_id"
                 " WHERE (?2 OR k.visibility < 2) ORDER BY i.id"},
        {0},
    };
    return db_rows_named(c, parts, account_id, with_secret, sealed ? sealed : "[]");
}

/* The search words of every initiative are written again from the texts
 * while they are still clear (the key is held: they come out hashed), and
 * then every text is sealed; seal() leaves a sealed text as it is, so a
 * second run changes nothing but the words' rows, which it writes the
 * same. */
int initiative_seal_texts(struct dbc *w, int64_t cid)
{
    static const char each[] =
        "SELECT id, unseal(title, community_id, 'initiatives.title') AS title,"
        " unseal(problem, community_id, 'initiatives.problem') AS problem,"
        " unseal(proposal, community_id, 'initiatives.proposal') AS proposal"
        " FROM initiatives WHERE community_id = ? ORDER BY id";
    static const char *const sql[] = {
        "UPDATE initiatives SET title = seal(title, ?1, 'initiatives.title'),"
        " problem = seal(problem, ?1, 'initiatives.problem'),"
        " proposal = seal(proposal, ?1, 'initiatives.proposal'),"
        " place_text = CASE WHEN place_text = '' THEN '' ELSE"
        "  seal(place_text, ?1, 'initiatives.place_text') END WHERE community_id = ?1",
        "UPDATE initiative_comments SET body = seal(body, ?1, 'initiative_comments.body'),"
        " hidden_reason = seal(hidden_reason, ?1, 'initiative_comments.hidden_reason')"
        " WHERE community_id = ?1",
        /* parenthesized: clang takes two pieces of one element for a
         * forgotten comma (-Wstring-concatenation) */
        ("UPDATE initiative_history SET reason = seal(reason, ?1, 'initiative_history.reason')"
         " WHERE community_id = ?1 AND reason <> ''"),
        /* the four stages (migration 064): an empty text stays empty */
        ("UPDATE initiative_work SET"
         " analysis = CASE WHEN analysis = '' THEN '' ELSE"
         "  seal(analysis, ?1, 'initiative_work.analysis') END,"
         " affected = CASE WHEN affected = '' THEN '' ELSE"
         "  seal(affected, ?1, 'initiative_work.affected') END,"
         " goal = CASE WHEN goal = '' THEN '' ELSE seal(goal, ?1, 'initiative_work.goal') END,"
         " result = CASE WHEN result = '' THEN '' ELSE"
         "  seal(result, ?1, 'initiative_work.result') END,"
         " risks = CASE WHEN risks = '' THEN '' ELSE seal(risks, ?1, 'initiative_work.risks') END,"
         " done_text = CASE WHEN done_text = '' THEN '' ELSE"
         "  seal(done_text, ?1, 'initiative_work.done_text') END,"
         " learned = CASE WHEN learned = '' THEN '' ELSE"
         "  seal(learned, ?1, 'initiative_work.learned') END,"
         " consequences = CASE WHEN consequences = '' THEN '' ELSE"
         "  seal(consequences, ?1, 'initiative_work.consequences') END"
         " WHERE community_id = ?1"),
        ("UPDATE initiative_stakeholders SET name = seal(name, ?1, 'initiative_stakeholders.name'),"
         " part = CASE WHEN part = '' THEN '' ELSE"
         "  seal(part, ?1, 'initiative_stakeholders.part') END WHERE community_id = ?1"),
        ("UPDATE initiative_indicators SET name = seal(name, ?1, 'initiative_indicators.name')"
         " WHERE community_id = ?1"),
        ("UPDATE initiative_tasks SET title = seal(title, ?1, 'initiative_tasks.title')"
         " WHERE community_id = ?1"),
        ("UPDATE initiative_team SET role = seal(role, ?1, 'initiative_team.role')"
         " WHERE community_id = ?1"),
        ("UPDATE initiative_budget_lines SET name = seal(name, ?1, 'initiative_budget_lines.name')"
         " WHERE community_id = ?1"),
        ("UPDATE initiative_spending SET note = CASE WHEN note = '' THEN '' ELSE"
         "  seal(note, ?1, 'initiative_spending.note') END WHERE community_id = ?1"),
        ("UPDATE initiative_reports SET body = seal(body, ?1, 'initiative_reports.body')"
         " WHERE community_id = ?1"),
        /* the photos' bytes too: a face is as telling as a name */
        ("UPDATE initiative_photos SET bytes = sealblob(bytes, ?1, 'initiative_photos.bytes'),"
         " caption = CASE WHEN caption = '' THEN '' ELSE"
         "  seal(caption, ?1, 'initiative_photos.caption') END WHERE community_id = ?1"),
        /* fundraising (migration 090) */
        ("UPDATE initiative_pledges SET materials = CASE WHEN materials = '' THEN '' ELSE"
         "  seal(materials, ?1, 'initiative_pledges.materials') END WHERE community_id = ?1"),
        /* the withdrawn pledges (migration 089): the same texts, the same key */
        ("UPDATE initiative_pledges_withdrawn SET materials = CASE WHEN materials = '' THEN ''"
         "  ELSE seal(materials, ?1, 'initiative_pledges.materials') END WHERE community_id = ?1"),
        ("UPDATE initiative_sources SET name = seal(name, ?1, 'initiative_sources.name')"
         " WHERE community_id = ?1"),
        ("UPDATE initiative_income SET note = CASE WHEN note = '' THEN '' ELSE"
         "  seal(note, ?1, 'initiative_income.note') END WHERE community_id = ?1"),
    };
    /* the texts are read first (a statement that steps while rows of the
     * table it reads are rewritten by another would be fragile) */
    json_t *rows = db_rows(w, each, "i", cid);
    if (!rows) return -1;
    int rc = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (rc != 0) break;
        const char *k[3];
        static const char *const names[] = {"title", "problem", "proposal"};
        for (int j = 0; j < 3; j++)
            k[j] = json_string_value(json_object_get(row, names[j]));
        rc = initiative_words_write(w, cid, json_integer_value(json_object_get(row, "id")), k[0],
                                    k[1], k[2]);
    }
    json_decref(rows);
    if (rc != 0) return -1;
    return db_exec_each(w, sql, sizeof sql / sizeof sql[0], cid);
}
