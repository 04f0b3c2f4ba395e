/* A sign-in flood does not take the whole server (issue 13, the audit's
 * "a sign-in flood slows the whole site"). Every sign-in costs an argon2id
 * hash; with --hash-max 1 at most one runs at a time, and a sign-in that
 * finds the gate full is answered 503 at once with Retry-After and the
 * code hashing_busy, instead of keeping a worker waiting. The person whose
 * sign-in was refused loses nothing: the next try goes through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv S;

static int setup(void **state)
{
    (void)state;
    /* hashes slow enough to overlap (16 MiB; the suites' default is 64 KiB) */
    setenv("HRAMADA_ARGON2_MEMLIMIT", "16777216", 1);
    static const char *const args[] = {"--hash-max", "1", "--threads", "6", NULL};
    return srv_start(&S, 1, args);
}

static int teardown(void **state)
{
    (void)state;
    return srv_stop(&S) == 0 ? 0 : -1;
}

enum { FLOODERS = 8, TRIES = 40 };

/* Set once a flooder was asked to retry: the others stop then. Without it
 * the test would depend on how the server's threads took the connections
 * (one thread that accepted them all hashes them one after another). */
static atomic_int seen_busy;

struct flood {
    int n401, n503, n503_marked, other;
};

/* One try on a connection of its own: a client that kept its connection
 * would stay on the server thread that accepted it, and when one thread
 * happened to accept every flooder's connection it hashed them one after
 * another and the gate was never full (a loaded machine made this likely,
 * and the test failed for it). A fresh connection is accepted anew. */
static void flood_once(struct flood *f)
{
    struct client c;
    client_init(&c, &S);
    struct resp r;
    memset(&r, 0, sizeof r);
    if (client_get(&c, "/login", 1, &r) != 0) f->other++;
    resp_free(&r);
    char handle[32];
    snprintf(handle, sizeof handle, "nobody%d", rand() % 100000);
    const char *pairs[] = {"handle", handle, "password", "wrong-wrong", NULL};
    memset(&r, 0, sizeof r);
    post_pairs(&c, "/login", 1, pairs, &r);
    char retry[16];
    if (r.status == 401)
        f->n401++;
    else if (r.status == 503) {
        f->n503++;
        atomic_store(&seen_busy, 1);
        if (resp_header(&r, "Retry-After", retry, sizeof retry) == 0 &&
            resp_has(&r, "hashing_busy"))
            f->n503_marked++;
    } else
        f->other++;
    resp_free(&r);
    client_free(&c);
}

static void *flooder(void *arg)
{
    struct flood *f = arg;
    for (int i = 0; i < TRIES && !atomic_load(&seen_busy); i++)
        flood_once(f);
    return NULL;
}

static void a_flood_of_sign_ins_is_bounded_and_answered_at_once(void **state)
{
    (void)state;
    pthread_t t[FLOODERS];
    struct flood f[FLOODERS];
    memset(f, 0, sizeof f);
    for (int i = 0; i < FLOODERS; i++)
        pthread_create(&t[i], NULL, flooder, &f[i]);
    for (int i = 0; i < FLOODERS; i++)
        pthread_join(t[i], NULL);
    struct flood sum = {0};
    for (int i = 0; i < FLOODERS; i++) {
        sum.n401 += f[i].n401;
        sum.n503 += f[i].n503;
        sum.n503_marked += f[i].n503_marked;
        sum.other += f[i].other;
    }
    printf("flood: %d refused as wrong, %d asked to retry, %d other\n", sum.n401, sum.n503,
           sum.other);
    assert_int_equal(sum.other, 0);
    assert_true(sum.n401 >= 1);                  /* some were hashed and refused */
    assert_true(sum.n503 >= 1);                  /* and some found the gate full */
    assert_int_equal(sum.n503_marked, sum.n503); /* each said why, and when to retry */
    /* nothing of the flood is left holding the gate: a person signs in */
    struct client c;
    login_as(&c, &S, "member");
    json_t *v = view_json(&c, "/account");
    assert_non_null(v);
    json_decref(v);
    client_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_flood_of_sign_ins_is_bounded_and_answered_at_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
