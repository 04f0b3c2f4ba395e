/* Demo: a finished anonymous quality survey of the yard on Sadovaya, with
 * enough answers for its results to show; an open named survey of the
 * secret group, whose free answers are sealed in place with the rest of
 * its texts when its first member signs in. */
#include "areas/demo.h"
#include "areas/soc/soc.h"
#include "areas/community/community.h"
#include "areas/survey/survey.h"
#include "core/ballot.h"
#include "core/util.h"

#include <stdio.h>

static const char *const QUESTIONS[] = {
    "Состояние двора и детской площадки", "Освещение двора и подъездов вечером",
    "Чистота двора, подъездов и контейнерной площадки", "Насколько спокойно вам во дворе",
    "Работа управляющей компании"};

static const int RATINGS[7][5] = {{3, 2, 4, 4, 2}, {4, 2, 3, 4, 3}, {3, 1, 3, 3, 2},
                                  {2, 2, 4, 4, 1}, {4, 3, 4, 5, 3}, {3, 2, 3, 4, 2},
                                  {3, 1, 4, 4, 2}};
static const char *const FIRST[7] = {"Фонарь у третьего подъезда не горит с осени.",
                                     "",
                                     "Починить качели и покрасить горку.",
                                     "Свет во дворе — вечером идти страшно.",
                                     "",
                                     "Чтобы управляющая компания отвечала на заявки.",
                                     "Освещение у контейнерной площадки."};

/* The secret group asks its members what to take up in spring: a choice
 * with "other" and a free text, answered by name by its two residents. */
static int demo_survey_named(struct dbc *w, int64_t today)
{
    int64_t tv = demo_community(w, "tiho-vmeste");
    if (tv <= 0) return -1;
    struct survey_fields f = {"Что берём на весну",
                              "Короткий опрос для своих: ответы видят участники группы.",
                              0,
                              0,
                              today - 2 * 86400,
                              today + 12 * 86400,
                              0};
    int64_t sid = 0, q[2];
    if (survey_create(w, tv, &f, &sid) != WR_OK) return -1;
    struct survey_question pick = {"single",
                                   "С чего начнём?",
                                   "Сквер у школы\nОсвещение во дворах\nДетская площадка",
                                   "",
                                   "",
                                   1,
                                   1};
    struct survey_question why = {"long", "Что мешает вам приходить на встречи?", "", "", "", 0, 0};
    if ((q[0] = survey_question_insert(w, sid, &pick)) <= 0 ||
        (q[1] = survey_question_insert(w, sid, &why)) <= 0 || survey_publish(w, tv, sid) != WR_OK)
        return -1;
    static const char *const answers[2][2] = {
        {"o:Проверить, что строят на месте вырубки", "Встречи слишком поздно, после девяти"},
        {"0", "Боюсь, что нас увидят вместе у подъезда"}};
    for (int p = 0; p < 2; p++) {
        char handle[32], who[24];
        snprintf(handle, sizeof handle, "tiho-vmeste-%d", p + 1);
        int64_t m = member_of_account(w, tv, demo_account(w, handle));
        survey_member_voter(m, who);
        if (m <= 0 || survey_response_put(w, sid, who, NULL, m, 2, q, answers[p]) != 0) return -1;
    }
    return 0;
}

int demo_survey(struct dbc *w)
{
    int64_t t = now_s();
    int64_t day = 86400, today = t - t % day;
    int64_t dvor = demo_community(w, "dvor-sadovaya-12");
    if (dvor <= 0) return -1;
    struct survey_fields f = {"Как нам живётся: двор и дом, осень",
                              "Ежеквартальная оценка двора от 1 до 5. Опрос анонимный.",
                              0,
                              1,
                              today - 30 * day,
                              today - 16 * day,
                              0};
    int64_t sid = 0;
    if (survey_create(w, dvor, &f, &sid) != WR_OK) return -1;
    int64_t q[6];
    for (int i = 0; i < 5; i++) {
        struct survey_question sq = {"scale5", QUESTIONS[i], "", "очень плохо", "отлично", 1, 0};
        if ((q[i] = survey_question_insert(w, sid, &sq)) <= 0) return -1;
    }
    struct survey_question last = {"long", "Что стоит исправить в первую очередь?", "", "", "", 0,
                                   0};
    if ((q[5] = survey_question_insert(w, sid, &last)) <= 0 ||
        survey_publish(w, dvor, sid) != WR_OK)
        return -1;
    for (int p = 0; p < 7; p++) {
        char handle[32], who[24], vals[5][4];
        const char *v[6];
        int64_t qs[6];
        int n = 0;
        if (p == 0)
            snprintf(handle, sizeof handle, "member");
        else
            snprintf(handle, sizeof handle, "dvor-sadovaya-12-%d", p);
        survey_member_voter(member_of_account(w, dvor, demo_account(w, handle)), who);
        for (int i = 0; i < 5; i++) {
            snprintf(vals[i], sizeof vals[i], "%d", RATINGS[p][i]);
            qs[n] = q[i];
            v[n++] = vals[i];
        }
        if (FIRST[p][0]) {
            qs[n] = q[5];
            v[n++] = FIRST[p];
        }
        const char *voters[] = {who};
        if (survey_ballot_cast(w, dvor, sid, voters, 1, n, qs, v, today - 25 * day) != BALLOT_OK)
            return -1;
    }
    /* Past its last day: closed (and mixed) as the server would on the
     * first page that shows it. */
    if (survey_close(w, dvor, sid) != WR_OK) return -1;
    return demo_survey_named(w, today);
}
