/*
 * Deadlines for slow connections.
 *
 * libmicrohttpd's timeout is an idle timeout: it starts again with every
 * byte, so a client that sends one byte every few seconds holds a
 * connection for as long as it likes (slowloris). Behind a proxy or an
 * onion service every client has the proxy's address, so 128 such
 * connections filled the per-address limit for everyone, and a few hundred
 * from several addresses filled the server.
 *
 * The watch gives each connection an absolute deadline for what it is
 * doing: its request headers (from its first byte, or from the end of the
 * previous request on a kept-alive connection) and its body. A watchdog
 * thread shuts down (shutdown(2), not close: the descriptor stays
 * libmicrohttpd's) whatever is past its deadline; libmicrohttpd then sees
 * the end of the stream and closes it. When more connections are reading
 * headers than max_reading, the oldest of them is shut down: a real
 * browser's headers arrive in one packet, a slow attacker's never do.
 *
 * The watch is the HTTP layer's own bookkeeping, like libmicrohttpd's list
 * of connections: a table behind one mutex, touched at a connection's
 * start, at each phase and at its end.
 */
#ifndef HR_WATCH_H
#define HR_WATCH_H

enum watch_phase {
    WATCH_HEADERS, /* waiting for, or reading, a request's headers */
    WATCH_BODY,    /* reading its body */
    WATCH_HANDLER, /* the request is being answered: no deadline */
};

struct conn_watch;

/* Watches up to max_conns connections; seconds for headers and for a body;
 * at most max_reading connections in WATCH_HEADERS. NULL if the thread
 * cannot start (logged). Owned by the caller; watch_stop frees. */
struct conn_watch *watch_start(int max_conns, int header_s, int body_s, int max_reading);
void watch_stop(struct conn_watch *w);
/* A new connection on fd, in WATCH_HEADERS: its slot (>= 0), or -1 when
 * the table is full (the connection is then not watched). */
int watch_open(struct conn_watch *w, int fd);
void watch_phase(struct conn_watch *w, int slot, enum watch_phase phase);
void watch_close(struct conn_watch *w, int slot);
/* Connections shut down for a deadline or for the cap, since start. */
long watch_evicted(struct conn_watch *w);

#endif
