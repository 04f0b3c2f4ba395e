/*
 * The HTTP server on libmicrohttpd: an epoll thread pool, limits on
 * connections, headers and bodies, and the glue that turns a connection's
 * callbacks into one struct req handed to the router.
 */
#ifndef HR_HTTP_H
#define HR_HTTP_H

#include <sys/socket.h>

struct app;
struct http_server;

/* --listen's ADDRESS:PORT: an IPv4 address or "localhost" (127.0.0.1), or
 * an IPv6 address in brackets as in a URL ("[::1]:8080"; "[::]" is both
 * families), or "unix:/absolute/path" for a socket file (made 0660) that a
 * proxy connects to. Port 0 asks for a free one. 0 on success. */
int http_listen_parse(const char *listen, struct sockaddr_storage *ss, socklen_t *len);

/* Starts serving; NULL on failure, logged in one line that says why ("address
 * 127.0.0.1:8080 is in use; is another hramada running?"). Owned by caller. */
struct http_server *http_start(struct app *app);
/* The port actually bound (useful with port 0). */
int http_port(const struct http_server *s);
/* Stops accepting, lets in-flight requests finish (up to a few seconds),
 * and frees the server. */
void http_stop(struct http_server *s);

#endif
