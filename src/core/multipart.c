/* multipart/form-data bodies; see multipart.h.
 *
 * Written for what browsers send, strictly: CRLF line ends, a
 * Content-Disposition of form-data with a quoted name in every part, no
 * nested multipart, no transfer encodings. Anything else is refused
 * rather than guessed at: a parser that is lenient where it does not need
 * to be is where two programs start to disagree about what a body says. */
#include "core/multipart.h"
#include "core/form.h"
#include "core/text.h"
#include "core/util.h"

#include <string.h>
#include <strings.h>

enum { BOUNDARY_MAX = 70, HEADERS_MAX = 4096, NAME_MAX_LEN = 256 };

int multipart_boundary(const char *ct, char out[72])
{
    if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0) return -1;
    const char *p = ct + 19;
    for (;;) {
        p = strchr(p, ';');
        if (!p) return -1;
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncasecmp(p, "boundary=", 9) == 0) break;
    }
    p += 9;
    size_t n;
    if (*p == '"') {
        p++;
        const char *q = strchr(p, '"');
        if (!q) return -1;
        n = (size_t)(q - p);
    } else {
        n = strcspn(p, "; \t");
    }
    if (n == 0 || n > BOUNDARY_MAX) return -1;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] > 0x7e) return -1;
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

/* The value of param (name or filename) in a Content-Disposition, quoted,
 * into the arena; NULL when absent, "" when empty. *bad when malformed. */
static const char *disposition_param(struct arena *a, const char *h, size_t n, const char *param,
                                     int *bad)
{
    size_t pl = strlen(param);
    for (size_t i = 0; i + pl + 2 <= n; i++) {
        if (h[i] != ';') continue;
        size_t j = i + 1;
        while (j < n && h[j] == ' ')
            j++;
        if (j + pl + 2 > n || strncasecmp(h + j, param, pl) != 0 || h[j + pl] != '=') continue;
        j += pl + 1;
        if (h[j] != '"') {
            *bad = 1;
            return NULL;
        }
        const char *v = h + j + 1;
        const char *end = memchr(v, '"', n - (size_t)(v - h));
        if (!end || end - v > NAME_MAX_LEN) {
            *bad = 1;
            return NULL;
        }
        return arena_strndup(a, v, (size_t)(end - v));
    }
    return NULL;
}

/* One part's headers (h, n bytes, CRLF-separated): its field name, file
 * name and type. -1 when malformed or nameless. */
static int part_headers(struct arena *a, const char *h, size_t n, const char **name,
                        const char **filename, const char **type)
{
    *name = *filename = *type = NULL;
    int disposition = 0, bad = 0;
    size_t i = 0;
    while (i < n) {
        const char *eol = memmem(h + i, n - i, "\r\n", 2);
        size_t len = eol ? (size_t)(eol - (h + i)) : n - i;
        const char *line = h + i;
        if (len > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
            const char *v = line + 20;
            size_t vl = len - 20;
            while (vl && *v == ' ')
                v++, vl--;
            if (vl < 9 || strncasecmp(v, "form-data", 9) != 0 || disposition) return -1;
            disposition = 1;
            *name = disposition_param(a, v + 9, vl - 9, "name", &bad);
            *filename = disposition_param(a, v + 9, vl - 9, "filename", &bad);
        } else if (len > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
            const char *v = line + 13;
            size_t vl = len - 13;
            while (vl && *v == ' ')
                v++, vl--;
            *type = arena_strndup(a, v, vl < NAME_MAX_LEN ? vl : NAME_MAX_LEN);
        } else if (len > 26 && strncasecmp(line, "Content-Transfer-Encoding:", 26) == 0) {
            return -1; /* deprecated for form-data (RFC 7578 4.7); never sent */
        }
        i += len + 2;
    }
    if (bad || !disposition || !*name || !**name) return -1;
    if (!utf8_valid(*name, strlen(*name))) return -1;
    if (*filename && !utf8_valid(*filename, strlen(*filename))) return -1;
    return 0;
}

int multipart_parse(struct arena *a, struct kvlist *l, struct upload **up, const char *boundary,
                    const char *body, size_t n, int max)
{
    *up = NULL;
    size_t bl = strlen(boundary);
    if (bl == 0 || bl > BOUNDARY_MAX) return PARSE_BAD;
    /* "\r\n--" boundary: the delimiter; the body starts with it minus the
     * CRLF (a preamble is allowed by the RFC, and no browser sends one) */
    char delim[BOUNDARY_MAX + 5];
    memcpy(delim, "\r\n--", 4);
    memcpy(delim + 4, boundary, bl + 1);
    size_t dl = bl + 4;
    if (n < dl - 2 || memcmp(body, delim + 2, dl - 2) != 0) return PARSE_BAD;
    size_t i = dl - 2;
    int files = 0;
    for (;;) {
        if (n - i >= 2 && memcmp(body + i, "--", 2) == 0)
            return PARSE_OK; /* the close; an epilogue after it is ignored */
        if (n - i < 2 || memcmp(body + i, "\r\n", 2) != 0) return PARSE_BAD;
        i += 2;
        const char *hend = memmem(body + i, n - i, "\r\n\r\n", 4);
        if (!hend || (size_t)(hend - (body + i)) > HEADERS_MAX) return PARSE_BAD;
        const char *name, *filename, *type;
        if (part_headers(a, body + i, (size_t)(hend - (body + i)), &name, &filename, &type) != 0)
            return PARSE_BAD;
        size_t start = (size_t)(hend - body) + 4;
        const char *end = memmem(body + start, n - start, delim, dl);
        if (!end) return PARSE_BAD;
        size_t len = (size_t)(end - (body + start));
        if (filename) {
            if (++files > 1) return PARSE_BAD;
            if (len) { /* no file chosen: filename="" and no bytes */
                struct upload *u = arena_alloc(a, sizeof *u);
                u->field = name;
                u->filename = filename;
                u->type = type ? type : "";
                u->data = (const unsigned char *)body + start;
                u->len = len;
                *up = u;
            }
        } else {
            const char *v = body + start;
            if (memchr(v, 0, len) || !utf8_valid(v, len)) return PARSE_BAD_UTF8;
            if ((int)l->n >= max) return PARSE_TOO_MANY;
            kvlist_add(a, l, name, arena_strndup(a, v, len), len);
        }
        i = (size_t)(end - body) + dl;
    }
}
