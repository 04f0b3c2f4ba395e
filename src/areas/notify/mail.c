/*
 * E-mail of notices (issue 17, step 4; docs/architecture.md, "The job
 * queue, the pass and e-mail"; docs/threat-model.md, "What a mail says").
 *
 * Three jobs (core/jobs.h):
 * - mail.scan (local, every few seconds): reads the notices after the
 *   cursor whose person gave an address, and files each under a mail job by
 *   the member's channel: "now" into this scan's mail of the person, "daily"
 *   into the person's digest of the day, due the next morning. The cursor
 *   and the mail jobs are one commit.
 * - mail.send (external): makes the message from what is still there and
 *   hands it to the relay. Just before the final dot the job is marked
 *   'sending' (a commit): a refusal, or a failure before the dot, is
 *   retried with back-off; a job cut off after the dot (no answer, or the
 *   process killed) is 'uncertain' and never sent again, so no mail goes
 *   twice. Nothing waits for it: a request only ever writes a notice.
 * - the address page (/inbox/mail): the person's address, given, changed or
 *   removed, and whether mails may name public communities.
 *
 * Only public and closed communities' notices are mailed (model_mail.c
 * joins the clear member-account tie). By default a mail says only that
 * there is something new, with a link to the inbox; a person who asks for
 * fuller mails gets one line per notice of a public community, and a
 * closed community's notices only counted.
 */
#include "areas/notify/notify.h"
#include "core/app.h"
#include "core/form.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/notify.h"
#include "core/render.h"
#include "core/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { SCAN_BATCH = 500, MAIL_DIGEST_HOUR = 6 };

static enum notify_channel kind_channel(const struct app *app, const char *kind, const char *stored)
{
    int ch = notify_channel_parse(stored);
    if (ch >= 0) return (enum notify_channel)ch;
    for (const struct area *const *a = app ? app->areas : NULL; a && *a; a++)
        for (const struct notify_kind *k = (*a)->notify_kinds; k && k->name; k++)
            if (kind && strcmp(k->name, kind) == 0) return k->dflt;
    return NOTIFY_INBOX;
}

static const char *kind_label(const struct app *app, const char *kind)
{
    for (const struct area *const *a = app ? app->areas : NULL; a && *a; a++)
        for (const struct notify_kind *k = (*a)->notify_kinds; k && k->name; k++)
            if (kind && strcmp(k->name, kind) == 0) return k->label;
    return "notify.unknown";
}

int notify_mail_scan(struct dbc *w, const struct notify_jobs_arg *arg, int64_t now)
{
    int64_t cursor = mail_cursor_get(w);
    if (cursor < 0) return -1;
    if (!arg || !arg->mail || !arg->mail->url) {
        /* No relay: nothing is mailed, and turning mail on later does not
         * send what was new before. */
        int64_t last = mail_last_notice(w);
        return last < 0 || mail_cursor_set(w, last) != 0 ? -1 : 0;
    }
    json_t *rows = mail_scan_rows(w, cursor, SCAN_BATCH);
    if (!rows) return -1;
    int ok = 1, filed = 0;
    int64_t day = now / 86400;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        int64_t id = json_integer_value(json_object_get(row, "id"));
        int64_t acct = json_integer_value(json_object_get(row, "account_id"));
        enum notify_channel ch =
            kind_channel(arg->app, json_string_value(json_object_get(row, "kind")),
                         json_string_value(json_object_get(row, "channel")));
        char key[100], payload[64];
        snprintf(payload, sizeof payload, "{\"account\":%lld}", (long long)acct);
        int n = 0;
        if (ch == NOTIFY_MAIL_NOW) {
            snprintf(key, sizeof key, "mail.now:%lld:%lld", (long long)acct, (long long)cursor);
            n = jobs_enqueue_add(w, "mail.send", key, payload, id, now);
        } else if (ch == NOTIFY_MAIL_DAILY) {
            snprintf(key, sizeof key, "mail.daily:%lld:%lld", (long long)acct, (long long)day);
            n = jobs_enqueue_add(w, "mail.send", key, payload, id,
                                 (day + 1) * 86400 + MAIL_DIGEST_HOUR * 3600);
        }
        if (n < 0) ok = 0;
        filed += n > 0;
    }
    size_t got = json_array_size(rows);
    int64_t last = got == SCAN_BATCH
                       ? json_integer_value(json_object_get(json_array_get(rows, got - 1), "id"))
                       : mail_last_notice(w);
    json_decref(rows);
    if (!ok || last < 0 || mail_cursor_set(w, last > cursor ? last : cursor) != 0) return -1;
    return filed;
}

enum job_result notify_mail_scan_job(void *arg, struct db *db, struct dbc *w, struct job *job)
{
    (void)db;
    if (notify_mail_scan(w, arg, job->now) < 0) return JOB_RETRY;
    job->next_run = job->now + NOTIFY_MAIL_SCAN_EVERY;
    return JOB_AGAIN;
}

/* ---- a message ---- */

static void append(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > *cap) {
        size_t c = (*cap ? *cap * 2 : 1024) + n;
        char *g = realloc(*buf, c);
        if (!g) abort();
        *buf = g;
        *cap = c;
    }
    memcpy(*buf + *len, s, n + 1);
    *len += n;
}

/* A catalog string with its one "{n}" replaced by n. */
static void append_n(char **buf, size_t *len, size_t *cap, const char *tmpl, int64_t n)
{
    const char *at = strstr(tmpl, "{n}");
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long)n);
    if (!at) {
        append(buf, len, cap, tmpl);
        return;
    }
    char *head = strndup(tmpl, (size_t)(at - tmpl));
    if (!head) abort();
    append(buf, len, cap, head);
    append(buf, len, cap, num);
    append(buf, len, cap, at + 3);
    free(head);
}

char *notify_mail_message(const struct notify_jobs_arg *arg, const char *lang, const char *to,
                          const char *key, int fuller, json_t *notices)
{
    const struct i18n *cat = arg->app->cat;
    const char *base = arg->app->cfg.base_url ? arg->app->cfg.base_url : "";
    char *buf = NULL;
    size_t len = 0, cap = 0;
    char *subject = mail_header_word(i18n_get(cat, lang, "notify.mail.subject"));
    if (!subject) return NULL;
    char line[1200], date[64];
    time_t t = time(NULL);
    struct tm tmv;
    gmtime_r(&t, &tmv);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tmv);
    /* The Message-ID is the job's key: a mail sent again after a kill in
     * the middle of a delivery carries the same one, which mail clients
     * and many relays fold into one. */
    /* A hash of the key, so that the relay does not read account ids. */
    unsigned char h[16];
    char mid[2 * sizeof h + 1];
    const char *k = key ? key : "mail";
    crypto_generichash(h, sizeof h, (const unsigned char *)k, strlen(k), NULL, 0);
    sodium_bin2hex(mid, sizeof mid, h, sizeof h);
    snprintf(line, sizeof line,
             "From: Hramada <%s>\nTo: <%s>\nSubject: %s\nDate: %s\nMessage-ID: <%s@hramada>\n"
             "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
             "Content-Transfer-Encoding: 8bit\nAuto-Submitted: auto-generated\n\n",
             arg->mail->from, to, subject, date, mid);
    free(subject);
    append(&buf, &len, &cap, line);
    append(&buf, &len, &cap, i18n_get(cat, lang, "notify.mail.body"));
    snprintf(line, sizeof line, "\n\n%s/inbox\n", base);
    append(&buf, &len, &cap, line);
    if (fuller) {
        int64_t closed = 0;
        size_t i;
        json_t *n;
        int first = 1;
        json_array_foreach(notices, i, n)
        {
            const char *community = json_string_value(json_object_get(n, "community"));
            if (!community) {
                closed++;
                continue;
            }
            if (first) append(&buf, &len, &cap, "\n");
            first = 0;
            snprintf(line, sizeof line, "- %s: %s\n", community,
                     i18n_get(cat, lang,
                              kind_label(arg->app, json_string_value(json_object_get(n, "kind")))));
            append(&buf, &len, &cap, line);
        }
        if (closed > 0) {
            append(&buf, &len, &cap, "\n");
            append_n(&buf, &len, &cap, i18n_plural(cat, lang, "notify.mail.closed_more", closed),
                     closed);
            append(&buf, &len, &cap, "\n");
        }
    }
    append(&buf, &len, &cap, "\n-- \n");
    append(&buf, &len, &cap, i18n_get(cat, lang, "notify.mail.footer"));
    snprintf(line, sizeof line, "\n%s/inbox/mail\n", base);
    append(&buf, &len, &cap, line);
    return buf;
}

/* The mark before the dot (core/mail.h's hook): the job is 'sending' in a
 * commit of its own, or the mail does not go. */
struct sending {
    struct db *db;
    int64_t job;
};

static int mark_sending(void *arg)
{
    const struct sending *s = arg;
    return jobs_mark_sending(s->db, s->job);
}

/* Hands the message to the relay: done, again after the back-off (the
 * relay cannot hold it), or uncertain (it may: never sent again). */
static enum job_result deliver(const struct notify_jobs_arg *ja, struct db *db,
                               const struct job *job, const char *to, const char *msg)
{
    struct sending s = {db, job->id};
    struct mail_hook hook = {mark_sending, &s};
    char err[256];
    enum mail_result mr = mail_send(ja->mail, to, msg, &hook, err, sizeof err);
    if (mr == MAIL_SENT) return JOB_DONE;
    log_warn("mail: job %lld: delivery %s (attempt %d): %s", (long long)job->id,
             mr == MAIL_UNCERTAIN ? "cut off after the end was sent" : "failed", job->attempts + 1,
             err);
    return mr == MAIL_UNCERTAIN ? JOB_UNCERTAIN : JOB_RETRY;
}

enum job_result notify_mail_send_job(void *arg, struct db *db, struct dbc *w, struct job *job)
{
    (void)w;
    const struct notify_jobs_arg *ja = arg;
    if (!ja || !ja->mail || !ja->mail->url) return JOB_RETRY; /* the relay may come back */
    json_error_t jerr;
    json_t *p = json_loads(job->payload, 0, &jerr);
    int64_t acct = json_integer_value(json_object_get(p, "account"));
    json_t *items = json_object_get(p, "items");
    if (!p || acct <= 0 || !json_is_array(items)) {
        json_decref(p);
        return JOB_FAILED;
    }
    char *ids = json_dumps(items, JSON_COMPACT);
    struct dbc *c = db_reader_acquire(db);
    json_t *addr = mail_address_of(c, acct);
    json_t *notices = ids ? mail_notices(c, acct, ids) : NULL;
    char *lang = mail_account_lang(c, acct);
    db_reader_release(db, c);
    free(ids);
    json_decref(p);
    enum job_result res = JOB_DONE;
    const char *to = json_string_value(json_object_get(addr, "address"));
    /* The address removed, or every notice gone with its membership:
     * nothing to send, and done. */
    if (to && notices && json_array_size(notices) > 0) {
        int fuller = json_integer_value(json_object_get(addr, "fuller")) == 1;
        const char *l = lang && i18n_has_lang(lang) ? lang : "ru";
        char *msg = notify_mail_message(ja, l, to, job->key, fuller, notices);
        res = msg ? deliver(ja, db, job, to, msg) : JOB_RETRY;
        free(msg);
    } else if (!notices) {
        res = JOB_RETRY;
    }
    free(lang);
    json_decref(addr);
    json_decref(notices);
    return res;
}
