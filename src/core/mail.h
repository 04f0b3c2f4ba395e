/*
 * E-mail through an SMTP relay (issue 17, step 4; docs/deploy.md, "E-mail"),
 * sent with libcurl's SMTP support. The server never talks to a person's
 * mail host itself: the administrator names one relay (serve --smtp URL).
 *
 * smtp://HOST[:PORT] asks for STARTTLS and refuses a relay that does not
 * offer it, except on the loopback (a relay on the same machine, where
 * there is no wire to read); smtps://HOST[:PORT] is TLS from the first
 * byte. user:password may be in the URL or given apart (the password from
 * a file, so that it is not in ps). Certificates are checked as libcurl
 * checks them by default.
 *
 * This file knows nothing of notices: areas/notify/mail.c makes the
 * messages and queues them (core/jobs.h).
 */
#ifndef HR_MAIL_H
#define HR_MAIL_H

#include <stddef.h>

struct mail_config {
    const char *url;      /* NULL: the instance sends no mail */
    const char *user;     /* NULL: from the URL, or none */
    const char *password; /* NULL: from the URL, or none */
    const char *from;     /* the sender's address (envelope and From:) */
    int timeout_s;        /* a delivery's whole time; 0: 60 */
};

/* 0 when url is an smtp:// or smtps:// URL with a host; else -1 and *why
 * says what is wrong (a static string). */
int mail_url_check(const char *url, const char **why);

/* 1 when s is an address a person may give: local@domain, at most 254
 * bytes, no spaces, controls, quotes or angle brackets, one @, a dot in the
 * domain. Deliberately narrower than RFC 5321: what is refused can be
 * written another way, and nothing accepted can break a header. */
int mail_address_valid(const char *s);

/* Hands message (headers, an empty line, the body; lines ended by \n,
 * which are sent as CRLF) to the relay for to. 0 sent; -1 with the reason
 * in err (never the password). Blocks up to the timeout: call it from the
 * job thread, never from a request. */
int mail_send(const struct mail_config *c, const char *to, const char *message, char *err,
              size_t errlen);

/* s as an RFC 2047 encoded word when it is not plain ASCII ("=?UTF-8?B?...?="),
 * else a copy. malloc'd; NULL on allocation failure. */
char *mail_header_word(const char *s);

/* libcurl's start, once per process before any thread sends (serve). */
int mail_global_init(void);

#endif
