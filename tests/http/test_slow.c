/* Slow connections and listeners behind a proxy (issue 13, deployment and
 * the audit's slow-connection finding). A client that trickles its headers
 * or its body one byte at a time is cut off at an absolute deadline, not
 * kept alive by each byte; silent connections beyond the cap are closed,
 * oldest first, while a real request still gets its answer; behind a
 * loopback listener there is no per-address limit (every client is the
 * proxy); and the server listens on a unix socket a proxy connects to. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/testsrv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct srv S;

static int setup(void **state)
{
    (void)state;
    static const char *const args[] = {
        "--header-timeout", "2", "--body-timeout", "3", "--max-reading", "8", NULL};
    return srv_start(&S, 0, args);
}

static int teardown(void **state)
{
    (void)state;
    return srv_stop(&S) == 0 ? 0 : -1;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int connect_port(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    struct timeval tv = {0, 200 * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

/* A fresh client gets its answer from srv while the slow ones wait. */
static void healthz_answers(struct srv *srv)
{
    struct client c;
    client_init(&c, srv);
    struct resp r;
    assert_int_equal(client_get(&c, "/healthz", 0, &r), 0);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    client_free(&c);
}

/* Sends first, then piece every 0.3 s, until the server closes the
 * connection: the seconds that took, or -1 when it kept it for `limit`. */
static double trickle(const char *first, const char *piece, double limit)
{
    int fd = connect_port(S.port);
    double t0 = now();
    assert_true(send(fd, first, strlen(first), MSG_NOSIGNAL) > 0);
    double result = -1;
    while (now() - t0 < limit) {
        if (send(fd, piece, strlen(piece), MSG_NOSIGNAL) < 0) {
            result = now() - t0;
            break;
        }
        char c[64];
        ssize_t n = recv(fd, c, sizeof c, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
            result = now() - t0;
            break;
        }
        assert_true(n < 0); /* no answer: the request never completed */
        usleep(300 * 1000);
    }
    close(fd);
    return result;
}

static void trickled_headers_meet_their_deadline(void **state)
{
    (void)state;
    /* each header line resets an idle timeout: only an absolute deadline
     * ends this */
    double t = trickle("GET / HTTP/1.1\r\nHost: x\r\n", "X-A: b\r\n", 8);
    assert_true(t > 1.5 && t < 4.0);
}

static void a_trickled_body_meets_its_deadline(void **state)
{
    (void)state;
    double t = trickle("POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                       "application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\n",
                       "a", 8);
    assert_true(t > 2.5 && t < 5.0);
}

static void silent_connections_do_not_crowd_out_a_real_one(void **state)
{
    (void)state;
    /* more silent connections than the cap (8), all from one address */
    int fds[20];
    for (int i = 0; i < 20; i++)
        fds[i] = connect_port(S.port);
    usleep(300 * 1000);
    healthz_answers(&S);
    int closed = 0;
    for (int i = 0; i < 20; i++) {
        char b;
        if (recv(fds[i], &b, 1, 0) == 0) closed++;
        close(fds[i]);
    }
    /* the oldest were closed to keep at most 8 reading */
    assert_true(closed >= 12);
}

static void no_per_address_limit_behind_a_loopback_listener(void **state)
{
    (void)state;
    /* 150 idle connections from 127.0.0.1 (beyond the 128 that apply to
     * an address on a public listener) and a request still gets in: over
     * a proxy every client has the proxy's address */
    static const char *const args[] = {"--max-reading", "400", NULL};
    struct srv s2;
    assert_int_equal(srv_start(&s2, 0, args), 0);
    int fds[150];
    for (int i = 0; i < 150; i++)
        fds[i] = connect_port(s2.port);
    usleep(300 * 1000);
    healthz_answers(&s2);
    for (int i = 0; i < 150; i++)
        close(fds[i]);
    assert_int_equal(srv_stop(&s2), 0);
}

static void serves_on_a_unix_socket(void **state)
{
    (void)state;
    char sock[400];
    snprintf(sock, sizeof sock, "%s/h.sock", S.dir);
    char listen[420];
    snprintf(listen, sizeof listen, "unix:%s", sock);
    const char *bin = getenv("HRAMADA_BIN") ? getenv("HRAMADA_BIN") : "build-test/hramada";
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(bin, bin, "serve", "--db", S.db, "--listen", listen, "--quiet", (char *)NULL);
        _exit(127);
    }
    struct stat st;
    for (int i = 0; i < 100 && stat(sock, &st) != 0; i++)
        usleep(50 * 1000);
    assert_int_equal(stat(sock, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0660); /* the proxy's group, nobody else */
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un su;
    memset(&su, 0, sizeof su);
    su.sun_family = AF_UNIX;
    assert_true(strlen(sock) < sizeof su.sun_path);
    memcpy(su.sun_path, sock, strlen(sock) + 1);
    assert_int_equal(connect(fd, (struct sockaddr *)&su, sizeof su), 0);
    const char *q = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    assert_true(send(fd, q, strlen(q), MSG_NOSIGNAL) > 0);
    char buf[8192] = {0};
    size_t got = 0;
    for (ssize_t n; got < sizeof buf - 1 && (n = recv(fd, buf + got, sizeof buf - 1 - got, 0)) > 0;)
        got += (size_t)n;
    close(fd);
    assert_non_null(strstr(buf, "HTTP/1.1 200"));
    assert_non_null(strstr(buf, "\"status\":\"ok\""));
    /* A second server on the same path refuses to start: the first one
     * answers there, and taking its socket file would cut it off. */
    pid_t second = fork();
    if (second == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(bin, bin, "serve", "--db", S.db, "--listen", listen, "--quiet", (char *)NULL);
        _exit(127);
    }
    int st2 = 0;
    pid_t done = 0;
    for (int i = 0; i < 100 && (done = waitpid(second, &st2, WNOHANG)) == 0; i++)
        usleep(50 * 1000);
    if (done == 0) { /* it started: it took the socket */
        kill(second, SIGKILL);
        waitpid(second, &st2, 0);
        fail_msg("a second server started on a socket another one serves");
    }
    assert_true(WIFEXITED(st2) && WEXITSTATUS(st2) != 0 && WEXITSTATUS(st2) != 127);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&su, sizeof su), 0); /* still the first's */
    close(fd);
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_not_equal(stat(sock, &st), 0); /* the socket file goes with the server */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trickled_headers_meet_their_deadline),
        cmocka_unit_test(a_trickled_body_meets_its_deadline),
        cmocka_unit_test(silent_connections_do_not_crowd_out_a_real_one),
        cmocka_unit_test(no_per_address_limit_behind_a_loopback_listener),
        cmocka_unit_test(serves_on_a_unix_socket),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
