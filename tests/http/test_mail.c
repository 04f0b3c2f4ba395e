/* E-mail of notices (issue 17, step 4) against a real SMTP server started on
 * the loopback by the test (tests/http/smtp_sink.py, Debian's
 * python3-aiosmtpd): the address form (validated, kept, removed), a mail
 * that by default says only that there is something new and links to the
 * inbox (never a community's name, and nothing at all for a secret
 * community), fuller mails that name public communities only, a delivery
 * the relay refuses retried after the back-off (refused at a recipient, or
 * after the whole message), and the queue surviving a SIGKILL with no mail
 * lost or sent twice: the server is killed before the mail's transaction,
 * at DATA before the final dot (both sent again, once) and after the dot
 * before its commit (not sent again: uncertain, counted on /admin/mail). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct srv S;
static pid_t SMTP_PID;
static char SINK[300];
static char SMTP_URL[64];
static const char *ARGS[] = {"--smtp",
                             SMTP_URL,
                             "--base-url",
                             "http://hramada.test",
                             "--mail-from",
                             "hramada@hramada.test",
                             "--jobs-poll-ms",
                             "100",
                             NULL};

#define DS "dvor-sadovaya-12" /* public */
#define ZK "zelenyj-kvartal"  /* closed */
#define TV "tiho-vmeste"      /* secret */
#define DS_NAME "Двор на Садовой"
#define ZK_NAME "Зелёный квартал"
#define TV_NAME "Тихо вместе"

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t n = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &n) != 0)
        return -1;
    int port = ntohs(a.sin_port);
    close(fd);
    return port;
}

static int port_open(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((uint16_t)port);
    int ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (fd >= 0) close(fd);
    return ok;
}

static int setup(void **state)
{
    (void)state;
    snprintf(SINK, sizeof SINK, "/tmp/hramada-smtp-XXXXXX");
    if (!mkdtemp(SINK)) return -1;
    int port = free_port();
    if (port <= 0) return -1;
    snprintf(SMTP_URL, sizeof SMTP_URL, "smtp://127.0.0.1:%d", port);
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port);
    SMTP_PID = fork();
    if (SMTP_PID == 0) {
        /* Debian's interpreter, for which python3-aiosmtpd is installed */
        execl("/usr/bin/python3", "python3", "tests/http/smtp_sink.py", ps, SINK, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 100 && !port_open(port); i++)
        usleep(100 * 1000);
    if (!port_open(port)) {
        fprintf(stderr, "test_mail: the SMTP server did not start (python3-aiosmtpd: "
                        "scripts/checks-install)\n");
        return -1;
    }
    return srv_start(&S, 1, ARGS);
}

static int teardown(void **state)
{
    (void)state;
    int rc = srv_stop(&S);
    if (SMTP_PID > 0) {
        kill(SMTP_PID, SIGTERM);
        waitpid(SMTP_PID, NULL, 0);
    }
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", SINK);
    return rc == 0 && system(cmd) == 0 ? 0 : -1;
}

/* ---- the sink's messages ---- */

static int mail_count(void)
{
    DIR *d = opendir(SINK);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        n += strncmp(e->d_name, "msg-", 4) == 0;
    if (d) closedir(d);
    return n;
}

/* Message number n (1, 2, ...) as a malloc'd string. */
static char *mail_text(int n)
{
    char p[400];
    snprintf(p, sizeof p, "%s/msg-%d.eml", SINK, n);
    FILE *f = fopen(p, "rb");
    if (!f) return NULL;
    char *buf = calloc(1, 1 << 16);
    size_t got = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
    (void)got;
    fclose(f);
    return buf;
}

/* Waits up to 20 s for the sink to hold want messages. */
static void wait_mails(int want)
{
    for (int i = 0; i < 200 && mail_count() < want; i++)
        usleep(100 * 1000);
    assert_int_equal(mail_count(), want);
}

static long long notice(long long member, const char *kind)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO notifications(member_id, community_id, kind, object_id, day, at)"
             " SELECT id, community_id, ?, id, unixepoch() / 86400, unixepoch() FROM members"
             " WHERE id = %lld",
             member);
    if (member <= 0 || db_run(&S, sql, kind) != 0) fail_msg("no notice for member %lld", member);
    return db_value(&S, "SELECT max(id) FROM notifications", NULL);
}

static void pref_now(long long member)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT OR REPLACE INTO notify_prefs(member_id, kind, channel)"
             " VALUES(%lld, ?, 'now')",
             member);
    assert_int_equal(db_run(&S, sql, "community.join_approved"), 0);
}

static void the_address_form_validates_keeps_and_removes(void **state)
{
    (void)state;
    struct client c;
    assert_int_equal(client_as(&c, &S, "member"), 0);
    assert_int_equal(get_status(&c, "/inbox/mail", 0), 200);
    struct resp r;
    const char *bad[] = {"address", "not an address", NULL};
    assert_int_equal(post_pairs(&c, "/inbox/mail", 0, bad, &r), 0);
    assert_int_equal(r.status, 422);
    assert_true(resp_has(&r, "not an address")); /* the input kept */
    assert_true(resp_has(&r, "field-error"));    /* the message beside it */
    resp_free(&r);
    const char *evil[] = {"address", "a@b.c>\r\nBcc: x@y.z", NULL};
    assert_int_equal(post_status(&c, "/inbox/mail", 0, evil), 422);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM mail_addresses", NULL), 0);
    /* No address yet: removing one is a conflict, not a silent success. */
    assert_int_equal(post_status(&c, "/inbox/mail/remove", 0, NULL), 409);
    const char *good[] = {"address", "member@mail.test", NULL};
    assert_int_equal(post_status(&c, "/inbox/mail", 0, good), 303);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM mail_addresses", NULL), 1);
    assert_int_equal(post_status(&c, "/inbox/mail/remove", 0, NULL), 303);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM mail_addresses", NULL), 0);
    assert_int_equal(post_status(&c, "/inbox/mail", 0, good), 303);
    /* Anonymous: sign in first. */
    struct client anon;
    client_init(&anon, &S);
    long st = get_status(&anon, "/inbox/mail", 0);
    assert_true(st == 303 || st == 401 || st == 403);
    client_free(&anon);
    client_free(&c);
}

static void a_mail_says_only_that_there_is_something_new(void **state)
{
    (void)state;
    long long ds = member_id_of(&S, DS, "member"), zk = member_id_of(&S, ZK, "member"),
              tv = member_id_of(&S, TV, "member");
    assert_true(ds > 0 && zk > 0 && tv > 0);
    pref_now(ds);
    pref_now(zk);
    int before = mail_count();
    notice(ds, "community.join_approved");
    notice(zk, "community.join_approved");
    notice(tv, "community.join_approved"); /* secret: never mailed */
    wait_mails(before + 1);
    usleep(1500 * 1000); /* nothing more comes */
    assert_int_equal(mail_count(), before + 1);
    char *m = mail_text(before + 1);
    assert_non_null(m);
    assert_non_null(strstr(m, "X-Envelope-To: member@mail.test"));
    assert_non_null(strstr(m, "http://hramada.test/inbox"));
    assert_non_null(strstr(m, "Message-ID: <"));
    assert_null(strstr(m, "mail.now")); /* the key, hashed */
    assert_null(strstr(m, DS_NAME));
    assert_null(strstr(m, ZK_NAME));
    assert_null(strstr(m, TV_NAME));
    assert_null(strstr(m, DS));
    assert_null(strstr(m, ZK));
    assert_null(strstr(m, TV));
    free(m);
}

static void fuller_mails_name_public_communities_only(void **state)
{
    (void)state;
    struct client c;
    assert_int_equal(client_as(&c, &S, "member"), 0);
    const char *fuller[] = {"address", "member@mail.test", "fuller", "1", NULL};
    assert_int_equal(post_status(&c, "/inbox/mail", 0, fuller), 303);
    client_free(&c);
    long long ds = member_id_of(&S, DS, "member"), zk = member_id_of(&S, ZK, "member"),
              tv = member_id_of(&S, TV, "member");
    int before = mail_count();
    /* One scan's notices of the person are one mail. */
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO notifications(member_id, community_id, kind, object_id, day, at)"
             " SELECT id, community_id, ?, 1, 0, 0 FROM members WHERE id IN (%lld, %lld, %lld)",
             ds, zk, tv);
    assert_int_equal(db_run(&S, sql, "community.join_approved"), 0);
    wait_mails(before + 1);
    char *m = mail_text(before + 1);
    assert_non_null(m);
    assert_non_null(strstr(m, DS_NAME)); /* public: named */
    assert_null(strstr(m, ZK_NAME));     /* closed: only counted */
    assert_null(strstr(m, TV_NAME));     /* secret: not even counted */
    assert_non_null(strstr(m, "1 новость в закрытых"));
    free(m);
}

static void a_refused_delivery_is_retried(void **state)
{
    (void)state;
    char flag[400];
    snprintf(flag, sizeof flag, "%s/refuse", SINK);
    FILE *f = fopen(flag, "w");
    assert_non_null(f);
    fclose(f);
    int before = mail_count();
    notice(member_id_of(&S, DS, "member"), "community.join_approved");
    /* The relay refuses: the job waits for its back-off, the inbox does not. */
    long long waiting = 0;
    for (int i = 0; i < 200 && waiting == 0; i++) {
        usleep(100 * 1000);
        waiting = db_value(&S,
                           "SELECT count(*) FROM jobs WHERE kind = 'mail.send' AND state = 'ready'"
                           " AND attempts >= 1 AND run_after > unixepoch()",
                           NULL);
    }
    assert_int_equal(waiting, 1);
    assert_int_equal(mail_count(), before);
    unlink(flag);
    /* The back-off (30 s) shortened for the test: the next attempt goes. */
    assert_int_equal(
        db_run(&S, "UPDATE jobs SET run_after = 0 WHERE kind = ? AND state = 'ready'", "mail.send"),
        0);
    wait_mails(before + 1);
    for (int i = 0; i < 50 && db_value(&S,
                                       "SELECT count(*) FROM jobs WHERE kind = ?"
                                       " AND state IN ('ready', 'running')",
                                       "mail.send") > 0;
         i++)
        usleep(100 * 1000);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM jobs WHERE kind = ? AND state = 'done'"
                              " AND attempts = 2",
                              "mail.send"),
                     1);
}

static void the_queue_survives_sigkill(void **state)
{
    (void)state;
    int before = mail_count();
    kill(S.pid, SIGKILL);
    waitpid(S.pid, NULL, 0);
    S.pid = 0;
    srv_halt(&S);
    /* A notice written while the server is down (as if its write committed
     * just before the kill) is mailed after the restart, once. */
    notice(member_id_of(&S, DS, "member"), "community.join_approved");
    assert_int_equal(srv_restart(&S, ARGS), 0);
    wait_mails(before + 1);
    usleep(1500 * 1000);
    assert_int_equal(mail_count(), before + 1);
    /* No two messages share a Message-ID: none was sent twice. */
    int n = mail_count();
    char ids[64][128];
    for (int i = 1; i <= n && i <= 64; i++) {
        char *m = mail_text(i);
        assert_non_null(m);
        char *at = strstr(m, "Message-ID: <");
        assert_non_null(at);
        snprintf(ids[i - 1], sizeof ids[i - 1], "%.*s", (int)strcspn(at, "\r\n"), at);
        for (int j = 0; j < i - 1; j++)
            assert_string_not_equal(ids[j], ids[i - 1]);
        free(m);
    }
    assert_int_equal(db_value(&S, "SELECT count(*) FROM jobs WHERE kind = ?", "mail.scan"), 1);
    assert_int_equal(db_value(&S, "SELECT count(*) FROM jobs WHERE kind = ?", "notify.pass"), 1);
}

/* ---- kills at each point of a delivery ---- */

static void sink_flag(const char *name, int on)
{
    char p[400];
    snprintf(p, sizeof p, "%s/%s", SINK, name);
    if (on) {
        FILE *f = fopen(p, "w");
        assert_non_null(f);
        fclose(f);
    } else {
        unlink(p);
    }
}

static int sink_has(const char *name)
{
    char p[400];
    snprintf(p, sizeof p, "%s/%s", SINK, name);
    return access(p, F_OK) == 0;
}

/* Every message's Message-ID is its own: no mail went twice. */
static void no_message_id_twice(void)
{
    int n = mail_count();
    assert_true(n <= 64);
    char ids[64][128];
    for (int i = 1; i <= n; i++) {
        char *m = mail_text(i);
        assert_non_null(m);
        char *at = strstr(m, "Message-ID: <");
        assert_non_null(at);
        snprintf(ids[i - 1], sizeof ids[i - 1], "%.*s", (int)strcspn(at, "\r\n"), at);
        for (int j = 0; j < i - 1; j++)
            assert_string_not_equal(ids[j], ids[i - 1]);
        free(m);
    }
}

static long long mail_jobs(const char *state)
{
    return db_value(&S, "SELECT count(*) FROM jobs WHERE kind = 'mail.send' AND state = ?", state);
}

static void wait_no_open_mail_job(void)
{
    for (int i = 0; i < 100 && db_value(&S,
                                        "SELECT count(*) FROM jobs WHERE kind = ?"
                                        " AND state IN ('ready', 'running', 'sending')",
                                        "mail.send") > 0;
         i++)
        usleep(100 * 1000);
}

/* A notice mailed at once; the sink stalls at point; the server is killed
 * there and started again. The job's state the kill left is want_left;
 * resent says whether the restart sends it (the sink kept nothing) or not
 * (it may hold it: uncertain). */
static void kill_at(const char *point, const char *want_left, int resent)
{
    char stall_[32], at[32];
    snprintf(stall_, sizeof stall_, "stall-%s", point);
    snprintf(at, sizeof at, "at-%s", point);
    wait_no_open_mail_job();
    int before = mail_count();
    long long uncertain = mail_jobs("uncertain");
    sink_flag(stall_, 1);
    notice(member_id_of(&S, DS, "member"), "community.join_approved");
    for (int i = 0; i < 200 && !sink_has(at); i++)
        usleep(100 * 1000);
    assert_true(sink_has(at));
    kill(S.pid, SIGKILL);
    waitpid(S.pid, NULL, 0);
    S.pid = 0;
    srv_halt(&S);
    sink_flag(stall_, 0);
    sink_flag(at, 0);
    int kept = point[0] == 'a'; /* "accept": the sink kept it before the kill */
    usleep(300 * 1000);
    assert_int_equal(mail_count(), before + kept);
    assert_int_equal(mail_jobs(want_left), 1);
    /* The lease (five minutes) shortened for the test. */
    assert_int_equal(db_run(&S, "UPDATE jobs SET run_after = 0 WHERE state = ?", "running"), 0);
    assert_int_equal(srv_restart(&S, ARGS), 0);
    if (resent) {
        wait_mails(before + 1);
        wait_no_open_mail_job();
    } else {
        for (int i = 0; i < 100 && mail_jobs("sending") > 0; i++)
            usleep(100 * 1000);
        usleep(1500 * 1000); /* nothing more comes */
        assert_int_equal(mail_jobs("uncertain"), uncertain + 1);
    }
    assert_int_equal(mail_count(), before + 1);
    assert_int_equal(mail_jobs("sending"), 0);
    no_message_id_twice();
}

static void killed_before_the_transaction_is_sent_once(void **state)
{
    (void)state;
    kill_at("ehlo", "running", 1);
}

static void killed_at_data_before_the_dot_is_sent_once(void **state)
{
    (void)state;
    kill_at("data", "running", 1);
}

static void killed_after_the_dot_is_never_sent_again(void **state)
{
    (void)state;
    kill_at("accept", "sending", 0);
    /* The administrator sees it counted, and nothing of whom. */
    struct client c;
    assert_int_equal(client_as(&c, &S, "admin"), 0);
    json_t *v = get_json(&c, "/admin/mail", 200);
    assert_non_null(v);
    assert_true(json_integer_value(json_object_get(json_object_get(v, "mail"), "uncertain")) >= 1);
    char *text = json_dumps(v, 0);
    assert_null(strstr(text, "member@mail.test"));
    free(text);
    json_decref(v);
    assert_int_equal(get_status(&c, "/admin/mail", 0), 200);
    client_free(&c);
    struct client m;
    assert_int_equal(client_as(&m, &S, "member"), 0);
    long st = get_status(&m, "/admin/mail", 0);
    assert_true(st == 403 || st == 404);
    client_free(&m);
    /* The notice itself is still in the person's inbox. */
    assert_true(db_value(&S,
                         "SELECT count(*) FROM notifications n JOIN jobs j"
                         " ON j.state = 'uncertain' AND n.id IN"
                         " (SELECT value FROM json_each(j.payload, '$.items'))"
                         " WHERE n.kind = ?",
                         "community.join_approved") >= 1);
}

static void refused_after_the_dot_is_retried(void **state)
{
    (void)state;
    wait_no_open_mail_job();
    sink_flag("refuse-data", 1);
    int before = mail_count();
    notice(member_id_of(&S, DS, "member"), "community.join_approved");
    long long waiting = 0;
    for (int i = 0; i < 200 && waiting == 0; i++) {
        usleep(100 * 1000);
        waiting = db_value(&S,
                           "SELECT count(*) FROM jobs WHERE kind = 'mail.send' AND state = 'ready'"
                           " AND attempts >= 1 AND run_after > unixepoch()",
                           NULL);
    }
    assert_int_equal(waiting, 1);
    assert_true(sink_has("refused-data"));
    assert_int_equal(mail_count(), before);
    sink_flag("refuse-data", 0);
    assert_int_equal(
        db_run(&S, "UPDATE jobs SET run_after = 0 WHERE kind = ? AND state = 'ready'", "mail.send"),
        0);
    wait_mails(before + 1);
    wait_no_open_mail_job();
    no_message_id_twice();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_address_form_validates_keeps_and_removes),
        cmocka_unit_test(a_mail_says_only_that_there_is_something_new),
        cmocka_unit_test(fuller_mails_name_public_communities_only),
        cmocka_unit_test(a_refused_delivery_is_retried),
        cmocka_unit_test(the_queue_survives_sigkill),
        cmocka_unit_test(refused_after_the_dot_is_retried),
        cmocka_unit_test(killed_before_the_transaction_is_sent_once),
        cmocka_unit_test(killed_at_data_before_the_dot_is_sent_once),
        cmocka_unit_test(killed_after_the_dot_is_never_sent_again),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
