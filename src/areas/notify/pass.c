/*
 * The scheduled pass (issue 17, step 4; docs/architecture.md, "The job
 * queue, the pass and e-mail"): a recurring job that writes the notices no
 * change causes, only the clock: a vote, a wave, a survey or a budget's
 * voting that closes within a day, an event a member registered for
 * that starts within a day, and a next step with a partner whose day
 * passed, for the organizer responsible for it.
 *
 * It reads the areas' tables through their own model functions and writes
 * through core/notify.h's notify_members_once, whose unique index (migration
 * 075) makes a rerun, or a run after a kill, write nothing twice. It runs
 * as a local job: its notices and the job's next time are one commit.
 */
#include "areas/budget/budget.h"
#include "areas/meeting/meeting.h"
#include "areas/notify/notify.h"
#include "areas/partner/partner.h"
#include "areas/soc/soc.h"
#include "areas/strategy/strategy.h"
#include "areas/survey/survey.h"
#include "core/jobs.h"
#include "core/notify.h"

struct source {
    const char *kind;
    json_t *(*rows)(struct dbc *c, int64_t from, int64_t to);
    int to_member; /* 1: the row's member_id alone; 0: every member */
};

static const struct source SOURCES[] = {
    {"strategy.closing", values_closing, 0},   {"soc.closing", soc_waves_closing, 0},
    {"survey.closing", surveys_closing, 0},    {"budget.closing", budget_voting_closing, 0},
    {"meeting.tomorrow", meeting_starting, 1}, {PARTNER_NOTIFY_OVERDUE, partner_steps_overdue, 1},
};

int notify_pass(struct dbc *w, int64_t now)
{
    int total = 0;
    for (size_t s = 0; s < sizeof SOURCES / sizeof *SOURCES; s++) {
        json_t *rows = SOURCES[s].rows(w, now, now + NOTIFY_AHEAD);
        if (!rows) return -1;
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row)
        {
            int64_t cid = json_integer_value(json_object_get(row, "community_id"));
            int64_t id = json_integer_value(json_object_get(row, "id"));
            int64_t due = json_integer_value(json_object_get(row, "due"));
            int64_t who =
                SOURCES[s].to_member ? json_integer_value(json_object_get(row, "member_id")) : 0;
            int n = notify_members_once(
                w, cid, SOURCES[s].kind, id,
                SOURCES[s].to_member ? NOTIFY_TO_MEMBER : NOTIFY_TO_COMMUNITY, who, now, due);
            if (n < 0) {
                json_decref(rows);
                return -1;
            }
            total += n;
        }
        json_decref(rows);
    }
    return total;
}

enum job_result notify_pass_job(void *arg, struct db *db, struct dbc *w, struct job *job)
{
    (void)arg;
    (void)db;
    if (notify_pass(w, job->now) < 0) return JOB_RETRY;
    /* Finished jobs are kept a week (their keys stop a second digest of
     * the same day), then go. */
    if (jobs_prune(w, job->now - 7 * 86400) < 0) return JOB_RETRY;
    job->next_run = job->now + NOTIFY_PASS_EVERY;
    return JOB_AGAIN;
}
