/*
 * The HTTP server on libmicrohttpd: an epoll thread pool, limits on
 * connections, headers and bodies, and the glue that turns a connection's
 * callbacks into one struct req handed to the router.
 */
#ifndef HR_HTTP_H
#define HR_HTTP_H

struct app;
struct http_server;

/* Starts serving; NULL on failure (logged). Owned by caller. */
struct http_server *http_start(struct app *app);
/* The port actually bound (useful with port 0). */
int http_port(const struct http_server *s);
/* Stops accepting, lets in-flight requests finish (up to a few seconds),
 * and frees the server. */
void http_stop(struct http_server *s);

#endif
