/*
 * The server's jobs (core/jobs.h): the list of handlers serve's job thread
 * runs, and the recurring jobs it makes at start. Each recurring job is one
 * row under a fixed key, so starting the server again, or twice, makes no
 * second one. At start, a mail a kill cut off after its final dot is
 * settled as uncertain (core/jobs.h).
 */
#include "areas/notify/notify.h"
#include "core/jobs.h"

const struct job_handler notify_job_handlers[] = {
    {"notify.pass", 0, notify_pass_job},
    {"mail.scan", 0, notify_mail_scan_job},
    {"mail.send", 1, notify_mail_send_job},
    {NULL, 0, NULL},
};

int notify_jobs_install(struct db *db, int64_t now)
{
    struct dbc *w = db_write_begin(db);
    if (!w) return -1;
    /* Nothing runs yet: a mail left 'sending' by a kill may have reached
     * the relay, and is settled as uncertain rather than sent again. */
    int ok = jobs_settle_sending(w, now) >= 0 &&
             jobs_enqueue(w, "notify.pass", "notify.pass", NULL, now) >= 0 &&
             jobs_enqueue(w, "mail.scan", "mail.scan", NULL, now) >= 0;
    return db_write_end(db, w, ok) == 0 && ok ? 0 : -1;
}
