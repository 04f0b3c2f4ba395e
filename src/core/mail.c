/*
 * E-mail through an SMTP relay (core/mail.h), with libcurl.
 */
#include "core/mail.h"
#include "core/util.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mail_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

/* The host of an smtp(s):// URL into host (without user info or port). */
static int url_host(const char *url, char *host, size_t n)
{
    const char *p = strstr(url, "://");
    if (!p) return -1;
    p += 3;
    const char *end = p + strcspn(p, "/?#");
    const char *at = NULL;
    for (const char *q = p; q < end; q++)
        if (*q == '@') at = q;
    if (at) p = at + 1;
    const char *hend;
    if (*p == '[') {
        hend = memchr(p, ']', (size_t)(end - p));
        if (!hend) return -1;
        p++;
    } else {
        hend = p + strcspn(p, ":/?#");
        if (hend > end) hend = end;
    }
    if (hend <= p || (size_t)(hend - p) >= n) return -1;
    memcpy(host, p, (size_t)(hend - p));
    host[hend - p] = '\0';
    return 0;
}

int mail_url_check(const char *url, const char **why)
{
    char host[256];
    if (!url || (strncmp(url, "smtp://", 7) != 0 && strncmp(url, "smtps://", 8) != 0)) {
        *why = "wants smtp://HOST[:PORT] (STARTTLS) or smtps://HOST[:PORT] (TLS)";
        return -1;
    }
    if (strlen(url) > 1000 || url_host(url, host, sizeof host) != 0) {
        *why = "has no host";
        return -1;
    }
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= ' ') {
            *why = "holds a space or a control character";
            return -1;
        }
    return 0;
}

static int is_loopback(const char *url)
{
    char host[256];
    if (url_host(url, host, sizeof host) != 0) return 0;
    return !strcmp(host, "localhost") || !strncmp(host, "127.", 4) || !strcmp(host, "::1");
}

int mail_address_valid(const char *s)
{
    if (!s) return 0;
    size_t n = strlen(s);
    if (n < 3 || n > 254) return 0;
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || at - s > 64) return 0;
    const char *dom = at + 1;
    if (!*dom || !strchr(dom, '.') || dom[0] == '.' || dom[strlen(dom) - 1] == '.' ||
        strstr(dom, ".."))
        return 0;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= ' ' || c == 0x7f || strchr("\"<>()[],;:\\", c)) return 0;
        if (p > at && !(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '.'))
            return 0;
    }
    return 1;
}

char *mail_header_word(const char *s)
{
    int ascii = 1;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p >= 0x80 || (unsigned char)*p < ' ') ascii = 0;
    if (ascii) return strdup(s);
    size_t n = strlen(s);
    size_t b64 = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
    char *out = malloc(b64 + 16);
    if (!out) return NULL;
    memcpy(out, "=?UTF-8?B?", 10);
    sodium_bin2base64(out + 10, b64, (const unsigned char *)s, n, sodium_base64_VARIANT_ORIGINAL);
    strcat(out, "?=");
    return out;
}

/* The message as CRLF lines, read by libcurl in pieces. */
struct upload {
    char *buf;
    size_t len, off;
    const struct mail_hook *hook;
    int at_end; /* 1: the hook ran and the end was let go */
};

/* libcurl asks for more until it gets 0, and only then writes the final
 * dot (smtp_done): the hook runs there, before the dot can leave. */
static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
    struct upload *u = arg;
    size_t room = size * nmemb, left = u->len - u->off;
    size_t n = left < room ? left : room;
    if (n == 0 && !u->at_end) {
        if (u->hook && u->hook->before_end && u->hook->before_end(u->hook->arg) != 0)
            return CURL_READFUNC_ABORT;
        u->at_end = 1;
    }
    memcpy(ptr, u->buf + u->off, n);
    u->off += n;
    return n;
}

static char *crlf(const char *msg, size_t *len)
{
    size_t n = 0;
    for (const char *p = msg; *p; p++)
        n += *p == '\n' ? 2 : 1;
    char *out = malloc(n + 1);
    if (!out) return NULL;
    char *o = out;
    for (const char *p = msg; *p; p++) {
        if (*p == '\r') continue;
        if (*p == '\n') *o++ = '\r';
        *o++ = *p;
    }
    *o = '\0';
    *len = (size_t)(o - out);
    return out;
}

/* What a failed transfer means for the mail: before the end was let go
 * the relay cannot hold it; after it, only an answer (a 4xx or 5xx to the
 * end, which libcurl reports as a weird reply and leaves as the response
 * code) says it does not. */
static enum mail_result failed_as(CURL *h, CURLcode rc, const struct upload *u)
{
    if (!u->at_end) return MAIL_NOT_SENT;
    long code = 0;
    if (rc == CURLE_WEIRD_SERVER_REPLY &&
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK && code >= 400)
        return MAIL_NOT_SENT;
    return MAIL_UNCERTAIN;
}

enum mail_result mail_send(const struct mail_config *c, const char *to, const char *message,
                           const struct mail_hook *hook, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s", "");
    if (!c || !c->url) {
        snprintf(err, errlen, "no relay configured");
        return MAIL_NOT_SENT;
    }
    struct upload u = {NULL, 0, 0, hook, 0};
    u.buf = crlf(message, &u.len);
    CURL *h = curl_easy_init();
    if (!u.buf || !h) {
        free(u.buf);
        if (h) curl_easy_cleanup(h);
        snprintf(err, errlen, "out of memory");
        return MAIL_NOT_SENT;
    }
    char from[300], rcpt[300];
    snprintf(from, sizeof from, "<%s>", c->from ? c->from : "");
    snprintf(rcpt, sizeof rcpt, "<%s>", to);
    struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
    char cerr[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(h, CURLOPT_URL, c->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    /* smtp://: STARTTLS or nothing, but for a relay on the loopback. */
    curl_easy_setopt(h, CURLOPT_USE_SSL,
                     is_loopback(c->url) ? (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
    if (c->user) curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
    if (c->password) curl_easy_setopt(h, CURLOPT_PASSWORD, c->password);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &u);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 15L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)(c->timeout_s > 0 ? c->timeout_s : 60));
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
    CURLcode rc = curl_easy_perform(h);
    enum mail_result res = MAIL_SENT;
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "%s", cerr[0] ? cerr : curl_easy_strerror(rc));
        res = failed_as(h, rc, &u);
    }
    curl_slist_free_all(rcpts);
    curl_easy_cleanup(h);
    free(u.buf);
    return res;
}
