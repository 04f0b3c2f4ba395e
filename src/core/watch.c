/* Deadlines for slow connections; see watch.h. */
#include "core/watch.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

struct slot {
    int fd; /* -1: free */
    enum watch_phase phase;
    int64_t since_ms; /* when the phase began */
};

struct conn_watch {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    struct slot *slots;
    int n;
    int header_ms, body_ms, max_reading;
    int stop;
    long evicted;
};

static int64_t mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Under the mutex: ends the connection of slot i; the slot stays taken
 * until libmicrohttpd reports the connection closed. */
static void evict(struct conn_watch *w, int i)
{
    shutdown(w->slots[i].fd, SHUT_RDWR);
    w->slots[i].phase = WATCH_HANDLER; /* once is enough */
    w->evicted++;
}

static void sweep(struct conn_watch *w)
{
    int64_t now = mono_ms();
    for (int i = 0; i < w->n; i++) {
        const struct slot *s = &w->slots[i];
        if (s->fd < 0) continue;
        if ((s->phase == WATCH_HEADERS && now - s->since_ms > w->header_ms) ||
            (s->phase == WATCH_BODY && now - s->since_ms > w->body_ms))
            evict(w, i);
    }
}

static void *watchdog(void *arg)
{
    struct conn_watch *w = arg;
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 250 * 1000000L; /* a deadline is kept within a quarter second */
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&w->cv, &w->mu, &until);
        if (!w->stop) sweep(w);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

struct conn_watch *watch_start(int max_conns, int header_s, int body_s, int max_reading)
{
    struct conn_watch *w = xcalloc(1, sizeof *w);
    w->n = max_conns > 0 ? max_conns : 1;
    w->slots = xcalloc((size_t)w->n, sizeof *w->slots);
    for (int i = 0; i < w->n; i++)
        w->slots[i].fd = -1;
    w->header_ms = header_s * 1000;
    w->body_ms = body_s * 1000;
    w->max_reading = max_reading;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    int rc = pthread_create(&w->thread, NULL, watchdog, w);
    if (rc != 0) {
        log_error("http: cannot start the connection watchdog: %s", strerror(rc));
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        free(w->slots);
        free(w);
        return NULL;
    }
    return w;
}

void watch_stop(struct conn_watch *w)
{
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w->slots);
    free(w);
}

int watch_open(struct conn_watch *w, int fd)
{
    pthread_mutex_lock(&w->mu);
    int free_slot = -1, reading = 0, oldest = -1;
    for (int i = 0; i < w->n; i++) {
        const struct slot *s = &w->slots[i];
        if (s->fd < 0) {
            if (free_slot < 0) free_slot = i;
            continue;
        }
        if (s->phase != WATCH_HEADERS) continue;
        reading++;
        if (oldest < 0 || s->since_ms < w->slots[oldest].since_ms) oldest = i;
    }
    if (reading >= w->max_reading && oldest >= 0) evict(w, oldest);
    if (free_slot >= 0) {
        w->slots[free_slot].fd = fd;
        w->slots[free_slot].phase = WATCH_HEADERS;
        w->slots[free_slot].since_ms = mono_ms();
    }
    pthread_mutex_unlock(&w->mu);
    return free_slot;
}

void watch_phase(struct conn_watch *w, int slot, enum watch_phase phase)
{
    if (slot < 0 || slot >= w->n) return;
    pthread_mutex_lock(&w->mu);
    if (w->slots[slot].fd >= 0) {
        w->slots[slot].phase = phase;
        w->slots[slot].since_ms = mono_ms();
    }
    pthread_mutex_unlock(&w->mu);
}

void watch_close(struct conn_watch *w, int slot)
{
    if (slot < 0 || slot >= w->n) return;
    pthread_mutex_lock(&w->mu);
    w->slots[slot].fd = -1;
    pthread_mutex_unlock(&w->mu);
}

long watch_evicted(struct conn_watch *w)
{
    pthread_mutex_lock(&w->mu);
    long n = w->evicted;
    pthread_mutex_unlock(&w->mu);
    return n;
}
