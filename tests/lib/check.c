/* Shorthands for the HTTP suites; see check.h. */
#include "check.h"

#include <curl/curl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>

struct sink {
    char *data;
    size_t len;
};

static size_t sink_write(char *p, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    size_t k = size * n;
    char *d = realloc(s->data, s->len + k + 1);
    if (!d) return 0;
    s->data = d;
    memcpy(s->data + s->len, p, k);
    s->len += k;
    s->data[s->len] = 0;
    return k;
}

int client_req(struct client *c, const char *method, const char *path, const char *const *headers,
               const char *body, size_t len, struct resp *out)
{
    CURL *h = c->curl;
    char url[8192];
    snprintf(url, sizeof url, "%s%s", c->srv->base, path);
    struct sink b = {0}, hdr = {0};
    struct curl_slist *hl = NULL;
    int has_accept = 0;
    for (int i = 0; headers && headers[i]; i++) {
        hl = curl_slist_append(hl, headers[i]);
        if (strncasecmp(headers[i], "Accept:", 7) == 0) has_accept = 1;
    }
    if (!has_accept) hl = curl_slist_append(hl, "Accept: text/html");
    memset(out, 0, sizeof *out);
    if (strcmp(method, "GET") == 0) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (strcmp(method, "HEAD") == 0) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body : "");
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(body ? len : 0));
        if (strcmp(method, "POST") != 0) curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, sink_write);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &hdr);
    CURLcode rc = curl_easy_perform(h);
    curl_slist_free_all(hl);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
    curl_easy_setopt(h, CURLOPT_NOBODY, 0L);
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    if (rc != CURLE_OK) {
        fprintf(stderr, "check: %s %s: %s\n", method, path, curl_easy_strerror(rc));
        free(b.data);
        free(hdr.data);
        return -1;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
    out->body = b.data ? b.data : strdup("");
    out->len = b.len;
    out->headers = hdr.data ? hdr.data : strdup("");
    char ct[128];
    if (resp_header(out, "Content-Type", ct, sizeof ct) == 0 && strstr(ct, "application/json"))
        out->json = json_loadb(out->body, out->len, 0, NULL);
    return 0;
}

long get_status(struct client *c, const char *path, int json)
{
    struct resp r;
    if (client_get(c, path, json, &r) != 0) return -1;
    long st = r.status;
    resp_free(&r);
    return st;
}

int post_pairs(struct client *c, const char *path, int json, const char *const *pairs,
               struct resp *out)
{
    if (!c->csrf[0] && client_fetch_csrf(c, "/") != 0) return -1;
    const char *all[130];
    int n = 0;
    for (int i = 0; pairs && pairs[i] && pairs[i + 1] && n < 124; i += 2) {
        all[n++] = pairs[i];
        all[n++] = pairs[i + 1];
    }
    all[n++] = "csrf";
    all[n++] = c->csrf;
    all[n] = NULL;
    char *body = form_encode(all);
    int rc = client_post_raw(c, path, "application/x-www-form-urlencoded", body, strlen(body), json,
                             out);
    free(body);
    return rc;
}

int post_multipart(struct client *c, const char *path, int json, const char *const *pairs,
                   const char *field, const char *filename, const char *type, const void *data,
                   size_t len, struct resp *out)
{
    if (!c->csrf[0] && client_fetch_csrf(c, "/") != 0) return -1;
    static const char b[] = "hrTestBoundary0123456789";
    size_t cap = len + 4096, n = 0;
    for (int i = 0; pairs && pairs[i] && pairs[i + 1]; i += 2)
        cap += strlen(pairs[i]) + strlen(pairs[i + 1]) + 128;
    char *body = malloc(cap);
    if (!body) return -1;
    for (int i = 0; pairs && pairs[i] && pairs[i + 1]; i += 2)
        n += (size_t)snprintf(body + n, cap - n,
                              "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n",
                              b, pairs[i], pairs[i + 1]);
    n += (size_t)snprintf(body + n, cap - n,
                          "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", b,
                          c->csrf);
    if (field) {
        n += (size_t)snprintf(body + n, cap - n,
                              "--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
                              "filename=\"%s\"\r\nContent-Type: %s\r\n\r\n",
                              b, field, filename ? filename : "", type ? type : "");
        if (len) memcpy(body + n, data, len);
        n += len;
        n += (size_t)snprintf(body + n, cap - n, "\r\n");
    }
    n += (size_t)snprintf(body + n, cap - n, "--%s--\r\n", b);
    char ct[96];
    snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", b);
    int rc = client_post_raw(c, path, ct, body, n, json, out);
    free(body);
    return rc;
}

long post_status(struct client *c, const char *path, int json, const char *const *pairs)
{
    struct resp r;
    if (post_pairs(c, path, json, pairs, &r) != 0) return -1;
    long st = r.status;
    resp_free(&r);
    return st;
}

int client_as(struct client *c, struct srv *s, const char *handle)
{
    client_init(c, s);
    return client_login(c, handle, "demo-demo");
}

const char *resp_location(const struct resp *r, char *out, size_t n)
{
    if (resp_header(r, "Location", out, n) != 0) out[0] = 0;
    return out;
}

int resp_has(const struct resp *r, const char *needle)
{
    return r->body && strstr(r->body, needle) != NULL;
}

json_t *jget(json_t *root, const char *path)
{
    char key[128];
    json_t *v = root;
    const char *p = path;
    while (v && *p) {
        size_t n = strcspn(p, ".");
        if (n >= sizeof key) return NULL;
        memcpy(key, p, n);
        key[n] = 0;
        if (json_is_array(v)) {
            char *end;
            long i = strtol(key, &end, 10);
            v = *end ? NULL : json_array_get(v, (size_t)i);
        } else {
            v = json_object_get(v, key);
        }
        p += n;
        if (*p == '.') p++;
    }
    return v;
}

const char *jstr(json_t *root, const char *path)
{
    return json_string_value(jget(root, path));
}

int jarray_has(json_t *root, const char *path, const char *key, const char *value)
{
    json_t *a = jget(root, path);
    size_t i;
    json_t *it;
    json_array_foreach(a, i, it)
    {
        const char *s = json_string_value(json_object_get(it, key));
        if (s && strcmp(s, value) == 0) return 1;
    }
    return 0;
}

static sqlite3_stmt *prepare(sqlite3 **db, struct srv *s, const char *sql, const char *param)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_open_v2(s->db, db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) return NULL;
    sqlite3_busy_timeout(*db, 5000);
    if (sqlite3_prepare_v2(*db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "check: %s: %s\n", sql, sqlite3_errmsg(*db));
        return NULL;
    }
    if (param) sqlite3_bind_text(st, 1, param, -1, SQLITE_TRANSIENT);
    return st;
}

long long db_value(struct srv *s, const char *sql, const char *param)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = prepare(&db, s, sql, param);
    long long v = -1;
    if (st && sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

int db_run(struct srv *s, const char *sql, const char *param)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = prepare(&db, s, sql, param);
    int rc = st && sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

long long member_id_in(struct client *c, const char *slug)
{
    for (int page = 1; page <= 100; page++) {
        char path[256];
        snprintf(path, sizeof path, "/c/%s/members?page=%d", slug, page);
        struct resp r;
        if (client_get(c, path, 1, &r) != 0) return -1;
        json_t *rows = r.status == 200 ? jget(r.json, "members") : NULL;
        long long id = -1;
        size_t i, n = json_array_size(rows);
        for (i = 0; i < n && id < 0; i++) {
            json_t *m = json_array_get(rows, i);
            if (json_is_true(json_object_get(m, "is_me")))
                id = (long long)json_integer_value(json_object_get(m, "id"));
        }
        resp_free(&r);
        if (id > 0 || n == 0) return id;
    }
    return -1;
}

long long member_id_of(struct srv *s, const char *slug, const char *handle)
{
    char key[256];
    snprintf(key, sizeof key, "%s/%s", slug, handle);
    long long id = db_value(s,
                            "SELECT l.member_id FROM member_accounts l"
                            " JOIN accounts a ON a.id = l.account_id"
                            " JOIN communities c ON c.id = l.community_id"
                            " WHERE c.slug || '/' || a.handle = ?1",
                            key);
    if (id > 0) return id;
    /* A sealed member has no clear link and a sealed name: nothing on the
     * disk says whose it is (that is the point), so the test asks the
     * members page as the person (a demo account's password). */
    struct client c;
    if (client_as(&c, s, handle) != 0) {
        client_free(&c);
        return -1;
    }
    id = member_id_in(&c, slug);
    client_free(&c);
    return id;
}

const char *member_url(struct srv *s, const char *in, const char *slug, const char *handle,
                       const char *what, char *out, size_t n)
{
    long long id = member_id_of(s, slug, handle);
    snprintf(out, n, "/c/%s/members/%lld/%s", in, id > 0 ? id : 999999LL, what);
    return out;
}

void route_path(const char *pattern, const struct path_values *v, char *out, size_t n)
{
    size_t k = 0;
    for (const char *p = pattern; *p && k + 1 < n;) {
        if (*p != '{') {
            out[k++] = *p++;
            continue;
        }
        const char *end = strchr(p, '}');
        if (!end) break;
        size_t len = (size_t)(end - p - 1);
        const char *colon = memchr(p + 1, ':', len); /* {id:int}: the name is "id" */
        if (colon) len = (size_t)(colon - p - 1);
        const char *val = "999999";
#define PICK(name, field, dflt)                                                                    \
    if (len == strlen(name) && strncmp(p + 1, name, len) == 0)                                     \
        val = v && v->field ? v->field : dflt;
        PICK("slug", slug, "dvor-sadovaya-12")
        PICK("handle", handle, "member")
        PICK("token", token, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        PICK("id", id, "1")
        PICK("file", file, "style.css")
#undef PICK
        k += (size_t)snprintf(out + k, n - k, "%s", val);
        if (k >= n) k = n - 1;
        p = end + 1;
    }
    out[k] = 0;
}

void esc_html(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; s && *s && k + 7 < n; s++) {
        const char *e = NULL;
        switch (*s) {
        case '&':
            e = "&amp;";
            break;
        case '<':
            e = "&lt;";
            break;
        case '>':
            e = "&gt;";
            break;
        case '"':
            e = "&quot;";
            break;
        case '\'':
            e = "&#39;";
            break;
        }
        if (e)
            k += (size_t)snprintf(out + k, n - k, "%s", e);
        else
            out[k++] = *s;
    }
    out[k] = 0;
}

const char *test_day(int offset, char *buf)
{
    time_t t = time(NULL) + (time_t)offset * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 11, "%Y-%m-%d", &tm);
    return buf;
}

int db_says_ok(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int ok = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
        else
            ok = rc == SQLITE_DONE;
        if (!ok)
            fprintf(stderr, "%s: %s\n", sql,
                    rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0)
                                     : sqlite3_errmsg(db));
    } else {
        fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return ok;
}

int db_file_says_ok(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    int ok =
        sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK && db_says_ok(db, sql);
    sqlite3_close(db);
    return ok;
}
