/* The surveys' part of "download my data": the person's answers to named
 * surveys, question by question, as stored (a scale number, a choice's
 * number, "other:" and the text, or the text). Answers to anonymous
 * surveys are in no file: nothing ties them to anyone, which is the
 * promise those surveys make (src/sql/021_survey.sql). ?2 = 0 leaves out
 * secret communities: see areas/account/export.c. */
#include "areas/survey/survey.h"
#include "core/db.h"

json_t *survey_person_export(struct dbc *c, int64_t account_id, int with_secret, const char *sealed)
{
    static const struct db_named_query parts[] = {
        {"named_answers",
         "SELECT unseal(k.name, k.id, 'communities.name') AS community,"
         " unseal(s.title, s.community_id, 'surveys.title') AS survey, q.pos AS question_number,"
         " unseal(q.text, s.community_id, 'survey_questions.text') AS question, "
         " CASE WHEN substr(a.value, 1, 2) = 'o:'"
         "  THEN 'o:' || unseal(substr(a.value, 3), s.community_id, 'survey_answers.value')"
         " ELSE unseal(a.value, s.community_id, 'survey_answers.value') END AS answer, "
         "date(p.day, 'unixepoch') AS answered"
         " FROM " PERSON_MEMBERS " l JOIN survey_responses p ON p.member_id = l.member_id"
         " JOIN surveys s ON s.id = p.survey_id"
         " JOIN communities k ON k.id = s.community_id"
         " JOIN survey_answers a ON a.response_id = p.id"
         " JOIN survey_questions q ON q.id = a.question_id"
         " WHERE (?2 OR k.visibility < 2) ORDER BY s.id, q.pos, a.value"},
        {0},
    };
    return db_rows_named(c, parts, account_id, with_secret, sealed ? sealed : "[]");
}
