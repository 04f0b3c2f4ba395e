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

/* Called once, just before the end of the message (SMTP's final dot) is
 * given to the relay: until that moment the relay cannot have accepted the
 * mail, from it on it may have. The caller records this (a committed write)
 * so that a process killed afterwards does not send the mail again. A
 * nonzero return stops the delivery before the dot: the relay drops what it
 * got, and the mail can be tried again. */
struct mail_hook {
    int (*before_end)(void *arg);
    void *arg;
};

enum mail_result {
    MAIL_SENT = 0,      /* the relay answered the end with 250 */
    MAIL_NOT_SENT = -1, /* the relay cannot hold it: the end never went, or
                         * the relay answered it with a refusal */
    MAIL_UNCERTAIN = -2 /* the end went and no answer came (a timeout, the
                         * connection lost): the relay may hold it */
};

/* Hands message (headers, an empty line, the body; lines ended by \n,
 * which are sent as CRLF) to the relay for to; hook may be NULL. On
 * failure the reason is in err (never the password). Blocks up to the
 * timeout: call it from the job thread, never from a request. */
enum mail_result mail_send(const struct mail_config *c, const char *to, const char *message,
                           const struct mail_hook *hook, char *err, size_t errlen);

/* s as an RFC 2047 encoded word when it is not plain ASCII ("=?UTF-8?B?...?="),
 * else a copy. malloc'd; NULL on allocation failure. */
char *mail_header_word(const char *s);

/* libcurl's start, once per process before any thread sends (serve). */
int mail_global_init(void);

#endif
