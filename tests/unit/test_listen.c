/* --listen's address forms (core/http.c): what an administrator may write,
 * and what is refused before any socket is made. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

/* The address parsed from s as "HOST PORT" text, or "" when refused. */
static const char *parsed(const char *s, char *out, size_t n)
{
    struct sockaddr_storage ss;
    socklen_t len = 0;
    out[0] = 0;
    if (http_listen_parse(s, &ss, &len) != 0) return out;
    char host[INET6_ADDRSTRLEN];
    if (ss.ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;
        assert_int_equal(len, sizeof *a);
        inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
        snprintf(out, n, "v6 %s %d", host, ntohs(a->sin6_port));
    } else {
        const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;
        assert_int_equal(ss.ss_family, AF_INET);
        assert_int_equal(len, sizeof *a);
        inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
        snprintf(out, n, "v4 %s %d", host, ntohs(a->sin_port));
    }
    return out;
}

static void accepted_forms(void **state)
{
    (void)state;
    char b[128];
    assert_string_equal(parsed("127.0.0.1:8080", b, sizeof b), "v4 127.0.0.1 8080");
    assert_string_equal(parsed("localhost:0", b, sizeof b), "v4 127.0.0.1 0");
    assert_string_equal(parsed("0.0.0.0:65535", b, sizeof b), "v4 0.0.0.0 65535");
    assert_string_equal(parsed("[::1]:8080", b, sizeof b), "v6 ::1 8080");
    assert_string_equal(parsed("[::]:80", b, sizeof b), "v6 :: 80");
    assert_string_equal(parsed("[fd00::2]:1", b, sizeof b), "v6 fd00::2 1");
}

static void refused_forms(void **state)
{
    (void)state;
    char b[128];
    static const char *const bad[] = {
        "8080",         "127.0.0.1",     ":8080",    "127.0.0.1:",     "127.0.0.1:65536",
        "127.0.0.1:-1", "127.0.0.1:80x", "::1:8080", "[::1]",          "[::1]8080",
        "[::1:8080",    "::1]:8080",     "[]:8080",  "[127.0.0.1]:80", "example.org:80",
        "[::1]:99999",  "1.2.3.4.5:80",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (parsed(bad[i], b, sizeof b)[0]) fail_msg("%s was accepted as %s", bad[i], b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepted_forms),
        cmocka_unit_test(refused_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
