/* A hostile client in the areas: strategy, sense of community, surveys and
 * the talent bank. Every text field of every area form gets an XSS payload,
 * then (second pass) SQL metacharacters, through the real form as the role
 * that may use it; the POST must get its success status (303), and every
 * page that shows the field must carry it escaped and never raw (HTML) and
 * exactly as sent (the JSON view). Markdown fields must not turn into raw
 * HTML or javascript: links, CSV cells must not start a formula, the
 * Markdown export is text/markdown. Rejected forms (422) keep the input,
 * escaped. Afterwards the server is healthy and the database passes
 * PRAGMA integrity_check and foreign_key_check. tests/http/test_hostile.c
 * does the same for the platform's own forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <ctype.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>

static struct srv S;
static int cases;
static long long accounts_at_start;

#define DS "/c/dvor-sadovaya-12"
#define NR "/c/nastolki-na-raene"

/* ---- payloads: one per field and pass, each unique so that a page
 * showing one field is never mistaken for a page showing another ---- */

enum field {
    /* strategy */
    F_MINE,
    F_VTITLE,
    F_VDESC,
    F_GOAL,
    F_GOAL_EMPTY,
    F_ACTION,
    F_SKILLS,
    F_RULE,
    F_RULE_FREE,
    F_DILTS,
    F_VISION,
    F_MISSION,
    F_MANIFESTO,
    F_NAME, /* display name of dvor-sadovaya-12-3, shown by strategy and talents */
    /* sense of community */
    F_C1,
    F_C2,
    F_C3,
    F_C4,
    /* surveys */
    F_STITLE,
    F_SINTRO,
    F_Q1,
    F_Q2,
    F_Q3,
    F_Q4,
    F_Q5,
    F_LOW,
    F_HIGH,
    F_O1,
    F_O2,
    F_O3,
    F_O4,
    F_OTHER1,
    F_OTHER2,
    F_SHORT,
    F_LONG,
    F_LINK_SHORT,
    F_NAME_N, /* display name of nastolki-na-raene-1, in the survey's CSV */
    /* talent bank */
    F_ETITLE,
    F_EBODY,
    F_ETAG, /* tags are at most 32 characters: a shorter payload */
    F_HTITLE,
    F_HTAG,
    F_REASON,
    F_MSG,
    F_CONTACT,
    F_CONTACT2,
    F_THANKS,
    F_CLUB_NAME,
    F_CLUB_DESC,
    F_CLUB_WHEN,
    F_CLUB_WHERE,
    /* the community's name on the areas' pages */
    F_COMM,
    F_COUNT
};

static int pass; /* 0: XSS, 1: SQL metacharacters */
static char payloads[2][F_COUNT][80];

static void make_payloads(void)
{
    for (int p = 0; p < 2; p++)
        for (int f = 0; f < F_COUNT; f++) {
            int n = p * 100 + f;
            char *out = payloads[p][f];
            size_t sz = sizeof payloads[p][f];
            if (f == F_ETAG || f == F_HTAG)
                snprintf(out, sz,
                         p ? "o'b\"; drop table t; -- %%_\\%d" : "<script>alert(%d)</script>", n);
            else if (p)
                snprintf(out, sz, "O'Brien \"; DROP TABLE accounts; -- ' OR '%d'='%d /* %%_ \\", n,
                         n);
            else
                snprintf(out, sz, "<script>alert(%d)</script>\"'><img src=x onerror=a>", n);
        }
}

static const char *P(int f)
{
    return payloads[pass][f];
}

/* Field lists end with -1. */
#define FIELDS(...) ((const int[]){__VA_ARGS__, -1})
/* Name/value pairs for a form end with NULL. */
#define FORM(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- what a page may carry ---- */

/* 1 if the URL in an attribute (entities decoded, blanks and controls
 * dropped as a browser does) would run code or load a document. */
static int dangerous_url(const char *v, size_t n)
{
    char u[24];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < sizeof u;) {
        unsigned ch = (unsigned char)v[i];
        if (ch == '&') {
            const char *e = memchr(v + i, ';', n - i);
            size_t len = e ? (size_t)(e - (v + i)) + 1 : 1;
            if (len > 2 && v[i + 1] == '#')
                ch = (unsigned)strtoul(v + i + 2 + (v[i + 2] == 'x' || v[i + 2] == 'X'), NULL,
                                       v[i + 2] == 'x' || v[i + 2] == 'X' ? 16 : 10);
            else if (len > 1 && strncasecmp(v + i, "&colon;", 7) == 0)
                ch = ':';
            else if (len > 1 && (strncasecmp(v + i, "&tab;", 5) == 0 ||
                                 strncasecmp(v + i, "&newline;", 9) == 0))
                ch = ' ';
            i += len;
        } else {
            i++;
        }
        if (ch <= 0x20 || ch == 0x7f) continue;
        u[k++] = (char)tolower((int)(ch & 0x7f));
    }
    u[k] = 0;
    return strncmp(u, "javascript:", 11) == 0 || strncmp(u, "vbscript:", 9) == 0 ||
           strncmp(u, "data:", 5) == 0;
}

/* Fails unless every tag of html is one the server meant to make: no
 * script or frame, no event handler attribute, no href/src/action that
 * runs code. tags (may be NULL): the only tag names allowed. */
static void markup_ok(const char *html, const char *what, const char *const *tags)
{
    static const char *const raw[] = {"<script",     "<img src=x", "<iframe", "<object", "<embed",
                                      "<svg onload", "<style",     "<base",   NULL};
    for (int i = 0; raw[i]; i++)
        if (strcasestr(html, raw[i])) fail_msg("%s carries \"%s\" unescaped", what, raw[i]);
    const char *p = html;
    while ((p = strchr(p, '<')) != NULL) {
        p++;
        if (strncmp(p, "!--", 3) == 0) {
            const char *e = strstr(p, "-->");
            if (tags && strncmp(p, "!-- raw HTML omitted --", 23) != 0)
                fail_msg("%s: a comment cmark does not make: %.40s", what, p - 1);
            if (!e) break;
            p = e + 3;
            continue;
        }
        if (*p == '/') p++;
        if (!isalpha((unsigned char)*p)) continue;
        const char *name = p;
        while (isalnum((unsigned char)*p) || *p == '-' || *p == ':')
            p++;
        size_t nlen = (size_t)(p - name);
        if (tags) {
            int known = 0;
            for (int i = 0; tags[i] && !known; i++)
                known = strlen(tags[i]) == nlen && strncasecmp(tags[i], name, nlen) == 0;
            if (!known)
                fail_msg("%s: a <%.*s> the Markdown renderer does not make", what, (int)nlen, name);
        }
        for (;;) {
            while (isspace((unsigned char)*p) || *p == '/')
                p++;
            if (!*p || *p == '>') break;
            const char *an = p;
            while (*p && !isspace((unsigned char)*p) && *p != '=' && *p != '>' && *p != '/')
                p++;
            size_t alen = (size_t)(p - an);
            const char *val = NULL;
            size_t vlen = 0;
            while (isspace((unsigned char)*p))
                p++;
            if (*p == '=') {
                p++;
                while (isspace((unsigned char)*p))
                    p++;
                if (*p == '"' || *p == '\'') {
                    char q = *p++;
                    val = p;
                    const char *e = strchr(p, q);
                    if (!e) e = p + strlen(p);
                    vlen = (size_t)(e - p);
                    p = *e ? e + 1 : e;
                } else {
                    val = p;
                    while (*p && !isspace((unsigned char)*p) && *p != '>')
                        p++;
                    vlen = (size_t)(p - val);
                }
            }
            if (alen > 2 && strncasecmp(an, "on", 2) == 0)
                fail_msg("%s: an event handler attribute %.*s", what, (int)alen, an);
            int is_url = (alen == 4 && strncasecmp(an, "href", 4) == 0) ||
                         (alen == 3 && strncasecmp(an, "src", 3) == 0) ||
                         (alen == 6 && strncasecmp(an, "action", 6) == 0) ||
                         (alen == 10 && strncasecmp(an, "formaction", 10) == 0) ||
                         (alen == 10 && strncasecmp(an, "xlink:href", 10) == 0);
            if (val && is_url && dangerous_url(val, vlen))
                fail_msg("%s: %.*s=\"%.*s\"", what, (int)alen, an, (int)vlen, val);
        }
    }
}

/* What cmark makes of Markdown (render_markdown), nothing else. */
static const char *const MD_TAGS[] = {"p",  "a",  "img", "em", "strong",     "code", "pre",
                                      "ul", "ol", "li",  "h1", "h2",         "h3",   "h4",
                                      "h5", "h6", "hr",  "br", "blockquote", NULL};

/* Every <div class="prose"> of html (the Markdown the server rendered)
 * holds only what cmark makes. Returns how many there were. */
static int prose_ok(const char *html, const char *what)
{
    int n = 0;
    for (const char *p = html; (p = strstr(p, "<div class=\"prose\">")) != NULL; n++) {
        p += 19;
        const char *e = strstr(p, "</div>");
        if (!e) fail_msg("%s: an unclosed prose block", what);
        char *inner = strndup(p, (size_t)(e - p));
        markup_ok(inner, what, MD_TAGS);
        free(inner);
        p = e;
    }
    return n;
}

/* 1 if some string in v equals s (sub: contains s). */
static int json_has(json_t *v, const char *s, int sub)
{
    if (json_is_string(v))
        return sub ? strstr(json_string_value(v), s) != NULL : strcmp(json_string_value(v), s) == 0;
    json_t *x;
    if (json_is_array(v)) {
        size_t i;
        json_array_foreach(v, i, x)
        {
            if (json_has(x, s, sub)) return 1;
        }
    } else if (json_is_object(v)) {
        const char *k;
        json_object_foreach(v, k, x)
        {
            (void)k;
            if (json_has(x, s, sub)) return 1;
        }
    }
    return 0;
}

enum {
    SHOWN = 1,    /* the HTML carries the payload escaped */
    JSON_EQ = 2,  /* the JSON view has a string equal to it */
    JSON_SUB = 4, /* the JSON view has a string containing it */
    HIDDEN = 16,  /* neither the HTML nor the JSON may carry it (rights, the k rule) */
    BOTH = SHOWN | JSON_EQ
};

/* GETs path as HTML (and as JSON when asked) and checks each field. */
static void page(struct client *c, const char *path, int how, const int *fields)
{
    struct resp r;
    assert_int_equal(client_get(c, path, 0, &r), 0);
    if (r.status != 200) fail_msg("GET %s: %ld", path, r.status);
    char ct[128] = "";
    resp_header(&r, "Content-Type", ct, sizeof ct);
    if (strncmp(ct, "text/html", 9) != 0) fail_msg("GET %s: Content-Type %s", path, ct);
    markup_ok(r.body, path, NULL);
    prose_ok(r.body, path);
    for (int i = 0; fields[i] >= 0; i++) {
        char e[1024];
        esc_html(P(fields[i]), e, sizeof e);
        if ((how & SHOWN) && !strstr(r.body, e))
            fail_msg("%s does not show %s escaped", path, P(fields[i]));
        if ((how & HIDDEN) && (strstr(r.body, e) || strstr(r.body, P(fields[i]))))
            fail_msg("%s shows %s", path, P(fields[i]));
        cases++;
    }
    resp_free(&r);
    if (!(how & (JSON_EQ | JSON_SUB | HIDDEN))) return;
    assert_int_equal(client_get(c, path, 1, &r), 0);
    if (r.status != 200 || !r.json) fail_msg("GET %s as JSON: %ld", path, r.status);
    for (int i = 0; fields[i] >= 0; i++) {
        const char *s = P(fields[i]);
        char e[1024];
        esc_html(s, e, sizeof e);
        int found = ((how & JSON_EQ) && json_has(r.json, s, 0)) ||
                    ((how & JSON_SUB) && json_has(r.json, s, 1));
        if ((how & HIDDEN) && (json_has(r.json, s, 1) || json_has(r.json, e, 1)))
            fail_msg("the JSON of %s carries %s", path, s);
        if (!(how & HIDDEN) && !found) fail_msg("the JSON of %s lacks %s", path, s);
        cases++;
    }
    resp_free(&r);
}

/* POSTs a form; the answer must be 303 (Location into loc when given). */
static void post_ok(struct client *c, const char *path, const char *const *form, char *loc,
                    size_t n)
{
    struct resp r;
    assert_int_equal(post_pairs(c, path, 0, form, &r), 0);
    if (r.status != 303) fail_msg("POST %s: %ld, wanted 303\n%.400s", path, r.status, r.body);
    if (loc) resp_location(&r, loc, n);
    resp_free(&r);
    cases++;
}

/* POSTs a form that must be refused (422) with the input kept, escaped;
 * the JSON client gets the same status and the error object. */
static void post_invalid(struct client *c, const char *path, const char *const *form,
                         const int *kept)
{
    struct resp r;
    assert_int_equal(post_pairs(c, path, 0, form, &r), 0);
    if (r.status != 422) fail_msg("POST %s: %ld, wanted 422", path, r.status);
    markup_ok(r.body, path, NULL);
    for (int i = 0; kept && kept[i] >= 0; i++) {
        char e[1024];
        esc_html(P(kept[i]), e, sizeof e);
        if (!strstr(r.body, e))
            fail_msg("the 422 of %s does not keep %s escaped", path, P(kept[i]));
    }
    resp_free(&r);
    assert_int_equal(post_pairs(c, path, 1, form, &r), 0);
    assert_int_equal(r.status, 422);
    assert_string_equal(jstr(r.json, "error.code"), "invalid");
    resp_free(&r);
    cases += 2;
}

static void healthy(void)
{
    struct client c;
    client_init(&c, &S);
    assert_int_equal(get_status(&c, "/healthz", 1), 200);
    client_free(&c);
    cases++;
}

/* ---- exports ---- */

/* A JSON file (not a JSON view): each field exactly as sent. */
static void json_file(struct client *c, const char *path, const int *fields)
{
    struct resp r;
    assert_int_equal(client_get(c, path, 0, &r), 0);
    assert_int_equal(r.status, 200);
    char ct[128] = "";
    resp_header(&r, "Content-Type", ct, sizeof ct);
    if (strncmp(ct, "application/json", 16) != 0) fail_msg("%s: Content-Type %s", path, ct);
    assert_non_null(r.json);
    for (int i = 0; fields[i] >= 0; i++) {
        if (!json_has(r.json, P(fields[i]), 0)) fail_msg("%s lacks %s", path, P(fields[i]));
        cases++;
    }
    resp_free(&r);
}

/* The Markdown export is the community's text as written, served as
 * text/markdown that no browser may sniff into HTML. */
static void md_file(struct client *c, const char *path, const int *fields)
{
    struct resp r;
    assert_int_equal(client_get(c, path, 0, &r), 0);
    assert_int_equal(r.status, 200);
    char v[128] = "";
    resp_header(&r, "Content-Type", v, sizeof v);
    if (strncmp(v, "text/markdown", 13) != 0) fail_msg("%s: Content-Type %s", path, v);
    if (resp_header(&r, "X-Content-Type-Options", v, sizeof v) != 0 || strcmp(v, "nosniff") != 0)
        fail_msg("%s: no X-Content-Type-Options: nosniff", path);
    for (int i = 0; fields[i] >= 0; i++) {
        if (!strstr(r.body, P(fields[i]))) fail_msg("%s lacks %s", path, P(fields[i]));
        cases++;
    }
    resp_free(&r);
}

/* The cells of a CSV text (RFC 4180, a BOM allowed), as a NULL-terminated
 * array of malloc'd strings; each cell's first byte is preceded by a byte
 * telling whether it was quoted ('q') or not ('u'). */
static void *grow(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) abort();
    return q;
}

static char **csv_cells(const char *s)
{
    size_t cap = 64, n = 0;
    char **out = malloc(cap * sizeof *out);
    if (strncmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3;
    while (*s) {
        size_t len = 0, bcap = 64;
        char *cell = malloc(bcap);
        int quoted = *s == '"';
        cell[len++] = quoted ? 'q' : 'u';
        if (quoted) {
            s++;
            for (;;) {
                if (!*s) fail_msg("CSV: an unclosed quote");
                if (*s == '"' && s[1] == '"') {
                    s++;
                } else if (*s == '"') {
                    s++;
                    break;
                }
                if (len + 2 >= bcap) cell = grow(cell, bcap *= 2);
                cell[len++] = *s++;
            }
        } else {
            while (*s && *s != ',' && *s != '\r' && *s != '\n') {
                if (*s == '"') fail_msg("CSV: a quote inside an unquoted cell");
                if (len + 2 >= bcap) cell = grow(cell, bcap *= 2);
                cell[len++] = *s++;
            }
        }
        cell[len] = 0;
        if (n + 2 >= cap) out = grow(out, (cap *= 2) * sizeof *out);
        out[n++] = cell;
        if (*s == ',') {
            s++;
        } else if (*s == '\r' || *s == '\n') {
            s += s[0] == '\r' && s[1] == '\n' ? 2 : 1;
        } else if (*s) {
            fail_msg("CSV: text after a closing quote: %.20s", s);
        }
    }
    out[n] = NULL;
    return out;
}

static void csv_free(char **cells)
{
    for (size_t i = 0; cells[i]; i++)
        free(cells[i]);
    free(cells);
}

/* A CSV export: text/csv, no cell a spreadsheet would take for a formula,
 * and each wanted value as a cell of its own (want: NULL-terminated). */
static void csv_file(struct client *c, const char *path, const char *const *want)
{
    struct resp r;
    assert_int_equal(client_get(c, path, 0, &r), 0);
    if (r.status != 200) fail_msg("GET %s: %ld", path, r.status);
    char ct[128] = "";
    resp_header(&r, "Content-Type", ct, sizeof ct);
    if (strncmp(ct, "text/csv", 8) != 0) fail_msg("%s: Content-Type %s", path, ct);
    char **cells = csv_cells(r.body);
    for (size_t i = 0; cells[i]; i++) {
        const char *v = cells[i] + 1;
        if (strchr("=+-@\t\r", *v) && *v) fail_msg("%s: a cell starts a formula: %s", path, v);
    }
    for (int w = 0; want && want[w]; w++) {
        int found = 0;
        for (size_t i = 0; cells[i] && !found; i++)
            found = strcmp(cells[i] + 1, want[w]) == 0;
        if (!found) fail_msg("%s: no cell %s", path, want[w]);
        cases++;
    }
    csv_free(cells);
    resp_free(&r);
    cases++;
}

/* ---- setup ---- */

static int setup(void **state)
{
    (void)state;
    make_payloads();
    if (srv_start(&S, 1, NULL) != 0) return -1;
    accounts_at_start = db_value(&S, "SELECT count(*) FROM accounts", NULL);
    return accounts_at_start > 0 ? 0 : -1;
}

/* The server stops cleanly; then the database file must be consistent. */
static int teardown(void **state)
{
    (void)state;
    srv_halt(&S);
    int ok = db_file_says_ok(S.db, "PRAGMA integrity_check");
    int fk = db_file_says_ok(S.db, "PRAGMA foreign_key_check");
    srv_stop(&S);
    printf("hostile areas: %d cases, integrity_check %s, foreign_key_check %s\n", cases,
           ok ? "ok" : "FAILED", fk ? "ok" : "FAILED");
    return ok && fk ? 0 : -1;
}

/* ---- strategy ---- */

static void strategy_pass(void)
{
    struct client org, mem, own, anon;
    login_as(&org, &S, "organizer");
    login_as(&mem, &S, "member"); /* a plain member of the yard */
    login_as(&own, &S, "dvor-sadovaya-12-3");
    login_as(&anon, &S, NULL);
    char path[256], ids[32], vs[32];
    post_ok(&own, "/account", FORM("display_name", P(F_NAME), "lang", "ru"), NULL, 0);

    /* a personal value shared with the members */
    post_ok(&mem, DS "/strategy/mine",
            FORM("kind", "value", "text", P(F_MINE), "shared_with", "members"), NULL, 0);
    post_invalid(&mem, DS "/strategy/mine", FORM("kind", "wish", "text", P(F_MINE)),
                 FIELDS(F_MINE));
    page(&mem, DS "/strategy/mine", BOTH, FIELDS(F_MINE));
    page(&org, DS "/strategy/mine", BOTH, FIELDS(F_MINE));   /* shared by others */
    page(&org, DS "/strategy/values", BOTH, FIELDS(F_MINE)); /* a root to choose */
    long long root = id_in(&mem, DS "/strategy/mine", "mine", "text", P(F_MINE));

    /* a shared value grown from it, voted and adopted */
    snprintf(ids, sizeof ids, "%lld", root);
    post_ok(&mem, DS "/strategy/values",
            FORM("title", P(F_VTITLE), "description", P(F_VDESC), "roots", ids), NULL, 0);
    post_invalid(&mem, DS "/strategy/values", FORM("title", "", "description", P(F_VDESC)),
                 FIELDS(F_VDESC));
    page(&anon, DS "/strategy/values", BOTH, FIELDS(F_VTITLE, F_VDESC));
    page(&mem, DS "/strategy/values", BOTH, FIELDS(F_VTITLE, F_VDESC));
    page(&mem, DS "/strategy/values", SHOWN | JSON_SUB, FIELDS(F_MINE)); /* its roots */
    page(&anon, DS "/strategy/values", HIDDEN, FIELDS(F_MINE));          /* roots are for members */
    page(&org, DS "/strategy", BOTH, FIELDS(F_VTITLE)); /* a value a rule may protect */
    long long val = id_in(&mem, DS "/strategy/values", "values", "title", P(F_VTITLE));
    snprintf(vs, sizeof vs, "%lld", val);
    snprintf(path, sizeof path, DS "/strategy/values/%lld/vote", val);
    post_ok(&mem, path, FORM("vote", "yes"), NULL, 0);
    post_ok(&org, path, FORM("vote", "yes"), NULL, 0);
    assert_int_equal(
        db_run(&S, "UPDATE shared_values SET closes_at = 1 WHERE title = ?", P(F_VTITLE)), 0);

    /* goals, an action with its resources, rules, the canvas */
    char owner[24]; /* an action's owner is chosen by member id */
    snprintf(owner, sizeof owner, "%lld",
             member_id_of(&S, "dvor-sadovaya-12", "dvor-sadovaya-12-3"));
    post_ok(&org, DS "/strategy/goals", FORM("goal_title", P(F_GOAL)), NULL, 0);
    post_ok(&org, DS "/strategy/goals", FORM("goal_title", P(F_GOAL_EMPTY)), NULL, 0);
    long long goal = id_in(&org, DS "/strategy", "goals", "title", P(F_GOAL));
    snprintf(ids, sizeof ids, "%lld", goal);
    post_ok(&org, DS "/strategy/actions",
            FORM("action_goal", ids, "action_title", P(F_ACTION), "owner", owner, "due",
                 "2031-05-01", "hours", "3", "money", "10", "currency", "BYN", "people", "2",
                 "skills", P(F_SKILLS)),
            NULL, 0);
    post_invalid(&org, DS "/strategy/actions",
                 FORM("action_goal", ids, "action_title", P(F_ACTION), "due", "2031-13-45",
                      "skills", P(F_SKILLS)),
                 FIELDS(F_ACTION, F_SKILLS));
    post_ok(&org, DS "/strategy/rules", FORM("rule_text", P(F_RULE), "protects", vs), NULL, 0);
    post_ok(&org, DS "/strategy/rules", FORM("rule_text", P(F_RULE_FREE)), NULL, 0);
    post_invalid(&org, DS "/strategy/rules", FORM("rule_text", P(F_RULE), "protects", "999999"),
                 FIELDS(F_RULE));
    post_ok(&org, DS "/strategy/dilts", FORM("level", "identity", "entry", P(F_DILTS)), NULL, 0);
    post_invalid(&org, DS "/strategy/dilts", FORM("level", "galaxy", "entry", P(F_DILTS)),
                 FIELDS(F_DILTS));

    /* vision, mission, manifesto (Markdown); the manifesto is adopted */
    post_ok(&org, DS "/strategy/text/vision", FORM("body", P(F_VISION)), NULL, 0);
    post_ok(&org, DS "/strategy/text/mission", FORM("body", P(F_MISSION)), NULL, 0);
    post_ok(&org, DS "/strategy/text/manifesto", FORM("body", P(F_MANIFESTO)), NULL, 0);
    long long man = id_in(&mem, DS "/strategy/text/manifesto", "versions", "body", P(F_MANIFESTO));
    snprintf(path, sizeof path, DS "/strategy/text/manifesto/%lld/vote", man);
    post_ok(&mem, path, FORM("vote", "yes"), NULL, 0);
    post_ok(&org, path, FORM("vote", "yes"), NULL, 0);
    assert_int_equal(db_run(&S,
                            "UPDATE strategy_texts SET closes_at = 1 WHERE kind = 'manifesto'"
                            " AND body = ?",
                            P(F_MANIFESTO)),
                     0);

    /* every page that shows them */
    const int *plain = FIELDS(F_VTITLE, F_VDESC, F_GOAL, F_GOAL_EMPTY, F_ACTION, F_SKILLS, F_RULE,
                              F_RULE_FREE, F_DILTS);
    const int *texts = FIELDS(F_VISION, F_MISSION);
    page(&anon, DS "/strategy", BOTH, plain);
    page(&anon, DS "/strategy", JSON_EQ, texts);         /* Markdown: the HTML is cmark's */
    page(&anon, DS "/strategy", HIDDEN, FIELDS(F_NAME)); /* owners are for members */
    page(&mem, DS "/strategy", BOTH, plain);
    page(&mem, DS "/strategy", BOTH, FIELDS(F_NAME));
    page(&org, DS "/strategy", BOTH, plain);
    page(&org, DS "/strategy", BOTH, FIELDS(F_NAME)); /* and in the owner's choice */
    page(&org, DS "/strategy", SHOWN | JSON_SUB, FIELDS(F_GOAL_EMPTY, F_RULE_FREE)); /* checks */
    page(&mem, DS, SHOWN | JSON_SUB, FIELDS(F_GOAL_EMPTY, F_RULE_FREE)); /* dashboard panel */
    page(&anon, DS "/strategy/plan", BOTH, FIELDS(F_GOAL, F_GOAL_EMPTY, F_ACTION, F_SKILLS));
    page(&mem, DS "/strategy/plan?by=person", BOTH, FIELDS(F_ACTION, F_SKILLS, F_NAME));
    page(&anon, DS "/strategy/plan?by=month", BOTH, FIELDS(F_ACTION, F_SKILLS));
    page(&anon, DS "/strategy/print", BOTH,
         FIELDS(F_VTITLE, F_GOAL, F_GOAL_EMPTY, F_ACTION, F_RULE, F_RULE_FREE, F_DILTS));
    page(&anon, DS "/strategy/print", JSON_EQ, FIELDS(F_VISION, F_MISSION, F_MANIFESTO));
    page(&mem, DS "/strategy/print", BOTH, FIELDS(F_NAME));
    static const char *const kinds[] = {"vision", "mission", "manifesto"};
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, DS "/strategy/text/%s", kinds[k]);
        page(&anon, path, JSON_EQ, FIELDS(F_VISION + k));
        page(&org, path, BOTH, FIELDS(F_VISION + k)); /* in the staff's textarea */
    }
    json_file(&anon, DS "/strategy/export.json",
              FIELDS(F_VTITLE, F_VDESC, F_GOAL, F_GOAL_EMPTY, F_ACTION, F_SKILLS, F_RULE,
                     F_RULE_FREE, F_DILTS, F_VISION, F_MISSION, F_MANIFESTO));
    md_file(&mem, DS "/strategy/export.md",
            FIELDS(F_VTITLE, F_GOAL, F_GOAL_EMPTY, F_ACTION, F_RULE, F_RULE_FREE, F_DILTS, F_VISION,
                   F_MISSION, F_MANIFESTO, F_NAME));

    /* The checks name the first unprotected rule and empty goal: remove
     * ours, so that the next pass's are named. */
    long long rule = id_in(&org, DS "/strategy", "rules", "text", P(F_RULE_FREE));
    snprintf(path, sizeof path, DS "/strategy/rules/%lld/delete", rule);
    post_ok(&org, path, FORM("x", ""), NULL, 0);
    long long empty = id_in(&org, DS "/strategy", "goals", "title", P(F_GOAL_EMPTY));
    snprintf(path, sizeof path, DS "/strategy/goals/%lld/delete", empty);
    post_ok(&org, path, FORM("x", ""), NULL, 0);
    page(&mem, DS, HIDDEN, FIELDS(F_GOAL_EMPTY, F_RULE_FREE));
    client_free(&org);
    client_free(&mem);
    client_free(&own);
    client_free(&anon);
}

static void strategy_fields(void **state)
{
    (void)state;
    struct client org;
    login_as(&org, &S, "organizer");
    /* two votes adopt a value once its vote has closed */
    post_ok(&org, DS "/strategy/settings",
            FORM("vote_days", "1", "majority_pct", "50", "quorum_pct", "1"), NULL, 0);
    client_free(&org);
    for (pass = 0; pass < 2; pass++) {
        strategy_pass();
        healthy();
    }
}

/* ---- sense of community ---- */

static void soc_pass(void)
{
    static const char *const who[] = {"organizer", "member", "nastolki-na-raene-1",
                                      "nastolki-na-raene-2", "nastolki-na-raene-3"};
    struct client staff, c[5], late;
    login_as(&staff, &S, "member"); /* the organizer there */
    login_as(&late, &S, "nastolki-na-raene-4");
    char a[11], b[11], path[200];
    post_ok(&staff, NR "/soc/waves", FORM("opens_on", test_day(0, a), "closes_on", test_day(7, b)),
            NULL, 0);
    struct resp r;
    assert_int_equal(client_get(&staff, NR "/soc", 1, &r), 0);
    long long wave = json_integer_value(jget(r.json, "open.id"));
    resp_free(&r);
    assert_true(wave > 0);
    snprintf(path, sizeof path, NR "/soc/waves/%lld/answer", wave);
    /* k = 5 members answer; the first with a comment on every factor */
    for (int i = 0; i < 5; i++) {
        if (i == 1)
            c[i] = staff;
        else
            login_as(&c[i], &S, who[i]);
        if (i == 0)
            post_ok(&c[i], path,
                    FORM("membership", "5", "influence", "6", "integration", "7", "connection", "8",
                         "c_membership", P(F_C1), "c_influence", P(F_C2), "c_integration", P(F_C3),
                         "c_connection", P(F_C4)),
                    NULL, 0);
        else
            post_ok(
                &c[i], path,
                FORM("membership", "4", "influence", "4", "integration", "4", "connection", "4"),
                NULL, 0);
    }
    /* the answer is in the ballot box: nobody, its author included, sees it
     * before the wave closes */
    page(&c[0], NR "/soc", HIDDEN, FIELDS(F_C1, F_C2, F_C3, F_C4));
    page(&staff, NR "/soc", HIDDEN, FIELDS(F_C1, F_C2, F_C3, F_C4));
    post_invalid(&late, path,
                 FORM("membership", "11", "influence", "4", "integration", "4", "connection", "4",
                      "c_membership", P(F_C1), "c_connection", P(F_C4)),
                 FIELDS(F_C1, F_C4));
    snprintf(path, sizeof path, NR "/soc/waves/%lld/close", wave);
    post_ok(&staff, path, FORM("x", ""), NULL, 0);
    /* closed with k answers: the comments are in the results */
    snprintf(path, sizeof path, NR "/soc/waves/%lld", wave);
    for (int i = 0; i < 2; i++) {
        page(&c[i], NR "/soc", BOTH, FIELDS(F_C1, F_C2, F_C3, F_C4));
        page(&c[i], path, BOTH, FIELDS(F_C1, F_C2, F_C3, F_C4));
    }
    page(&late, path, BOTH, FIELDS(F_C1, F_C2, F_C3, F_C4));
    page(&staff, NR, 0, FIELDS(F_C1)); /* the panel: the weakest factor only */
    snprintf(path, sizeof path, NR "/soc/waves/%lld/results.csv", wave);
    csv_file(&late, path, NULL);
    for (int i = 0; i < 5; i++)
        if (i != 1) client_free(&c[i]);
    client_free(&staff);
    client_free(&late);
}

static void soc_comments(void **state)
{
    (void)state;
    for (pass = 0; pass < 2; pass++) {
        soc_pass();
        healthy();
    }
}

/* ---- surveys ---- */

static long long survey_id(const char *loc)
{
    long long id = 0;
    if (sscanf(loc, NR "/surveys/%lld", &id) != 1) fail_msg("no survey in %s", loc);
    return id;
}

static void survey_pass(void)
{
    struct client staff, o, n1, anon;
    login_as(&staff, &S, "member"); /* the organizer there */
    login_as(&o, &S, "organizer");  /* a plain member there */
    login_as(&n1, &S, "nastolki-na-raene-1");
    login_as(&anon, &S, NULL);
    char loc[256], path[256], edit[256], a[11], b[11], opts[200];
    post_ok(&n1, "/account", FORM("display_name", P(F_NAME_N), "lang", "ru"), NULL, 0);
    post_ok(&staff, NR "/surveys", FORM("template", "blank"), loc, sizeof loc);
    long long sid = survey_id(loc);
    snprintf(edit, sizeof edit, NR "/surveys/%lld/edit", sid);
    post_ok(&staff, edit,
            FORM("title", P(F_STITLE), "intro", P(F_SINTRO), "audience", "members", "opens_on",
                 test_day(0, a), "closes_on", test_day(7, b)),
            NULL, 0);
    post_invalid(&staff, edit,
                 FORM("title", P(F_STITLE), "intro", P(F_SINTRO), "audience", "everyone",
                      "opens_on", test_day(0, a), "closes_on", test_day(7, b)),
                 FIELDS(F_STITLE, F_SINTRO));
    snprintf(path, sizeof path, NR "/surveys/%lld/questions", sid);
    post_ok(&staff, path,
            FORM("kind", "scale5", "text", P(F_Q1), "low_label", P(F_LOW), "high_label", P(F_HIGH)),
            NULL, 0);
    snprintf(opts, sizeof opts, "%s\n%s", P(F_O1), P(F_O2));
    post_ok(&staff, path, FORM("kind", "single", "text", P(F_Q2), "options", opts, "other", "1"),
            NULL, 0);
    post_invalid(&staff, path, FORM("kind", "single", "text", P(F_Q2), "options", P(F_O1)),
                 FIELDS(F_Q2, F_O1));
    snprintf(opts, sizeof opts, "%s\n%s", P(F_O3), P(F_O4));
    post_ok(&staff, path, FORM("kind", "multi", "text", P(F_Q3), "options", opts, "other", "1"),
            NULL, 0);
    post_ok(&staff, path, FORM("kind", "short", "text", P(F_Q4)), NULL, 0);
    post_ok(&staff, path, FORM("kind", "long", "text", P(F_Q5)), NULL, 0);

    const int *questions = FIELDS(F_Q1, F_Q2, F_Q3, F_Q4, F_Q5);
    snprintf(path, sizeof path, NR "/surveys/%lld/publish", sid);
    post_ok(&staff, path, FORM("x", ""), NULL, 0);
    page(&o, NR "/surveys", BOTH, FIELDS(F_STITLE));
    page(&staff, NR "/surveys", BOTH, FIELDS(F_STITLE));
    snprintf(path, sizeof path, NR "/surveys/%lld", sid);
    page(&o, path, BOTH, FIELDS(F_STITLE, F_SINTRO, F_LOW, F_HIGH, F_O1, F_O2, F_O3, F_O4));
    page(&o, path, BOTH, questions);
    page(&staff, edit, BOTH, FIELDS(F_STITLE, F_SINTRO));
    page(&staff, edit, JSON_EQ, FIELDS(F_LOW, F_HIGH)); /* the list shows the texts only */
    page(&staff, edit, BOTH, questions);
    page(&staff, edit, JSON_SUB, FIELDS(F_O1, F_O2, F_O3, F_O4)); /* one per line */

    /* answers: 'other' texts, short and long texts */
    snprintf(path, sizeof path, NR "/surveys/%lld/answer", sid);
    post_invalid(&n1, path, FORM("q1", "9", "q4", P(F_SHORT), "q5", P(F_LONG)),
                 FIELDS(F_SHORT, F_LONG));
    post_ok(&o, path,
            FORM("q1", "4", "q2", "other", "o2", P(F_OTHER1), "q3", "0", "q3", "other", "o3",
                 P(F_OTHER2), "q4", P(F_SHORT), "q5", P(F_LONG)),
            NULL, 0);
    post_ok(&n1, path, FORM("q1", "2", "q2", "1", "q3", "1"), NULL, 0);
    snprintf(path, sizeof path, NR "/surveys/%lld/results", sid);
    const int *answers =
        FIELDS(F_STITLE, F_O1, F_O2, F_O3, F_O4, F_OTHER1, F_OTHER2, F_SHORT, F_LONG);
    page(&o, path, BOTH, answers);
    page(&o, path, BOTH, questions);
    page(&staff, path, BOTH, answers);
    /* the named survey's CSV: every text a cell of its own */
    snprintf(path, sizeof path, NR "/surveys/%lld/results.csv", sid);
    csv_file(&staff, path,
             (const char *const[]){P(F_Q1), P(F_Q2), P(F_Q3), P(F_Q4), P(F_Q5), P(F_OTHER1),
                                   P(F_SHORT), P(F_LONG), P(F_O4), P(F_NAME_N), NULL});

    /* a copy, answered through a link by anonymous visitors */
    snprintf(path, sizeof path, NR "/surveys/%lld/copy", sid);
    post_ok(&staff, path, FORM("x", ""), loc, sizeof loc);
    long long cid = survey_id(loc);
    page(&staff, NR "/surveys", SHOWN | JSON_SUB, FIELDS(F_STITLE));
    snprintf(edit, sizeof edit, NR "/surveys/%lld/edit", cid);
    post_ok(&staff, edit,
            FORM("title", P(F_STITLE), "intro", P(F_SINTRO), "audience", "link", "anonymous", "1",
                 "opens_on", test_day(0, a), "closes_on", test_day(7, b)),
            NULL, 0);
    snprintf(path, sizeof path, NR "/surveys/%lld/publish", cid);
    post_ok(&staff, path, FORM("x", ""), NULL, 0);
    snprintf(path, sizeof path, NR "/surveys/%lld", cid);
    struct resp r;
    assert_int_equal(client_get(&staff, path, 1, &r), 0);
    char link[256];
    snprintf(link, sizeof link, "%s", jstr(r.json, "link") ? jstr(r.json, "link") : "");
    resp_free(&r);
    assert_non_null(strstr(link, "/s/"));
    page(&anon, link, BOTH, FIELDS(F_STITLE, F_SINTRO, F_LOW, F_HIGH, F_O1, F_O2));
    page(&anon, link, BOTH, questions);
    post_invalid(&anon, link, FORM("q1", "0", "q4", P(F_LINK_SHORT)), FIELDS(F_LINK_SHORT));
    post_ok(&anon, link, FORM("q4", P(F_LINK_SHORT)), NULL, 0);
    /* anonymous, open, below k: the answer is nowhere */
    snprintf(path, sizeof path, NR "/surveys/%lld/results", cid);
    page(&staff, path, HIDDEN, FIELDS(F_LINK_SHORT));
    page(&staff, path, BOTH, FIELDS(F_STITLE));
    client_free(&staff);
    client_free(&o);
    client_free(&n1);
    client_free(&anon);
}

static void survey_fields(void **state)
{
    (void)state;
    for (pass = 0; pass < 2; pass++) {
        survey_pass();
        healthy();
    }
}

/* ---- the talent bank ---- */

static long long entry_id(const char *loc)
{
    long long id = 0;
    if (sscanf(loc, DS "/talents/%lld", &id) != 1) fail_msg("no entry in %s", loc);
    return id;
}

static void talent_pass(void)
{
    struct client a, b, org, anon;
    login_as(&a, &S, "member");
    login_as(&b, &S, "dvor-sadovaya-12-3");
    login_as(&org, &S, "organizer");
    login_as(&anon, &S, NULL);
    char loc[256], path[512], tags[200], req[256];
    struct resp r;
    post_ok(&b, "/account", FORM("display_name", P(F_NAME), "lang", "ru"), NULL, 0);

    /* an offer, public: written as a draft, then edited into the payloads */
    post_ok(&a, DS "/talents",
            FORM("kind", "offer", "category", "it", "title", "Черновик предложения", "tags",
                 "соседи", "availability", "any", "visibility", "public"),
            loc, sizeof loc);
    long long e1 = entry_id(loc);
    char entry[128], edit[160];
    snprintf(entry, sizeof entry, DS "/talents/%lld", e1);
    snprintf(edit, sizeof edit, DS "/talents/%lld/edit", e1);
    snprintf(tags, sizeof tags, "%s, соседи", P(F_ETAG));
    post_ok(&a, edit,
            FORM("kind", "offer", "category", "it", "title", P(F_ETITLE), "body", P(F_EBODY),
                 "tags", tags, "availability", "any", "visibility", "public"),
            loc, sizeof loc);
    assert_string_equal(loc, entry);
    post_invalid(&a, DS "/talents",
                 FORM("kind", "offer", "category", "", "title", P(F_ETITLE), "body", P(F_EBODY),
                      "tags", tags),
                 FIELDS(F_ETITLE, F_EBODY, F_ETAG));
    post_invalid(
        &a, edit,
        FORM("kind", "offer", "category", "it", "title", "", "body", P(F_EBODY), "tags", tags),
        FIELDS(F_EBODY, F_ETAG));
    page(&anon, DS "/talents", BOTH, FIELDS(F_ETITLE, F_ETAG));
    page(&a, DS "/talents", BOTH, FIELDS(F_ETITLE, F_ETAG));
    page(&anon, entry, BOTH, FIELDS(F_ETITLE, F_ETAG));
    page(&anon, entry, JSON_EQ, FIELDS(F_EBODY)); /* Markdown: the HTML is cmark's */
    page(&a, edit, BOTH, FIELDS(F_ETITLE, F_EBODY));
    page(&a, edit, SHOWN | JSON_SUB, FIELDS(F_ETAG));
    page(&a, DS "/talents/mine", BOTH, FIELDS(F_ETITLE));
    page(&a, DS, SHOWN | JSON_SUB, FIELDS(F_ETITLE));           /* the panel: what is new */
    page(&org, DS "/talents/overview", BOTH, FIELDS(F_ETITLE)); /* new, never asked */
    const char *const q[] = {"q", P(F_ETAG), NULL};
    char *query = form_encode(q);
    snprintf(path, sizeof path, DS "/talents/tags?%s", query);
    free(query);
    page(&a, path, BOTH, FIELDS(F_ETAG));
    /* searched by its own words: the query is shown again, the entry found */
    const char *const words[] = {"q", P(F_ETITLE), "kind", "offer", NULL};
    query = form_encode(words);
    snprintf(path, sizeof path, DS "/talents?%s", query);
    free(query);
    page(&anon, path, BOTH, FIELDS(F_ETITLE));
    assert_int_equal(client_get(&anon, path, 1, &r), 0);
    assert_true(json_integer_value(jget(r.json, "count")) >= 1);
    assert_string_equal(jstr(r.json, "entries.0.title"), P(F_ETITLE));
    resp_free(&r);
    page(&a, DS "/talents/new", 0, FIELDS(F_ETAG));

    /* hobbies that match: a shared tag, a club from them */
    post_ok(&a, DS "/talents",
            FORM("kind", "hobby", "category", "games", "title", P(F_HTITLE), "tags", P(F_HTAG),
                 "availability", "evenings", "visibility", "members"),
            loc, sizeof loc);
    long long e2 = entry_id(loc);
    post_ok(&b, DS "/talents",
            FORM("kind", "hobby", "category", "games", "title", "Ищу партнёров по настолкам",
                 "tags", P(F_HTAG), "availability", "evenings", "visibility", "members"),
            loc, sizeof loc);
    long long e3 = entry_id(loc);
    snprintf(path, sizeof path, DS "/talents/%lld", e3);
    page(&b, path, BOTH, FIELDS(F_HTITLE, F_HTAG)); /* the match, and why */
    page(&b, DS "/talents/mine", BOTH, FIELDS(F_HTITLE));
    page(&b, DS "/talents/mine", SHOWN | JSON_SUB, FIELDS(F_HTAG)); /* why */
    page(&b, DS, SHOWN | JSON_SUB, FIELDS(F_HTITLE, F_HTAG));       /* the panel: the best match */
    snprintf(path, sizeof path, DS "/talents/%lld/club", e2);
    post_invalid(
        &a, path,
        FORM("club_name", "", "club_description", P(F_CLUB_DESC), "club_when", P(F_CLUB_WHEN)),
        NULL);
    post_ok(&a, path,
            FORM("club_name", P(F_CLUB_NAME), "club_description", P(F_CLUB_DESC), "club_when",
                 P(F_CLUB_WHEN), "club_where", P(F_CLUB_WHERE)),
            loc, sizeof loc);
    const int *club = FIELDS(F_CLUB_NAME, F_CLUB_DESC, F_CLUB_WHEN, F_CLUB_WHERE);
    page(&a, loc, BOTH, club);
    page(&a, loc, BOTH, FIELDS(F_NAME)); /* invited */
    page(&b, loc, BOTH, club);
    page(&a, DS "/talents/clubs", BOTH, FIELDS(F_CLUB_NAME, F_CLUB_WHEN, F_CLUB_WHERE));
    page(&b, DS "/talents/clubs", BOTH, FIELDS(F_CLUB_NAME, F_CLUB_WHEN, F_CLUB_WHERE));

    /* a request for help: message and contact, accepted, done with thanks */
    snprintf(path, sizeof path, DS "/talents/%lld/ask", e2);
    post_invalid(&b, path, FORM("message", P(F_MSG), "contact", ""), FIELDS(F_MSG));
    snprintf(path, sizeof path, DS "/talents/%lld/ask", e1);
    post_ok(&b, path, FORM("message", P(F_MSG), "contact", P(F_CONTACT)), NULL, 0);
    page(&a, DS "/talents/requests", BOTH, FIELDS(F_MSG, F_ETITLE, F_NAME));
    page(&a, DS "/talents/requests", HIDDEN, FIELDS(F_CONTACT)); /* not before both agree */
    page(&b, DS "/talents/requests", BOTH, FIELDS(F_MSG, F_ETITLE));
    page(&b, DS "/talents/requests", JSON_EQ, FIELDS(F_CONTACT)); /* the asker's own */
    long long rid = 0;
    assert_int_equal(client_get(&a, DS "/talents/requests", 1, &r), 0);
    size_t i;
    json_t *x;
    json_array_foreach(jget(r.json, "requests"), i, x)
    {
        if (json_integer_value(json_object_get(x, "entry_id")) == e1 &&
            json_is_true(json_object_get(x, "is_open")))
            rid = json_integer_value(json_object_get(x, "id"));
    }
    resp_free(&r);
    assert_true(rid > 0);
    snprintf(req, sizeof req, DS "/talents/requests/%lld/accept", rid);
    post_invalid(&a, req, FORM("contact", ""), NULL);
    post_ok(&a, req, FORM("contact", P(F_CONTACT2)), NULL, 0);
    page(&a, DS "/talents/requests", BOTH, FIELDS(F_CONTACT, F_CONTACT2));
    page(&b, DS "/talents/requests", BOTH, FIELDS(F_CONTACT, F_CONTACT2));
    snprintf(req, sizeof req, DS "/talents/requests/%lld/done", rid);
    post_invalid(&b, req, FORM("hours", "500", "thanks", P(F_THANKS)), NULL);
    post_ok(&b, req, FORM("hours", "1", "thanks", P(F_THANKS)), NULL, 0);
    page(&a, DS "/talents/requests", BOTH, FIELDS(F_THANKS));
    page(&b, DS "/talents/requests", BOTH, FIELDS(F_THANKS));

    /* the organizer's export, then hides the offer */
    const char *const cells[] = {P(F_ETITLE), P(F_EBODY), tags, P(F_HTITLE), P(F_NAME), NULL};
    csv_file(&org, DS "/talents/export.csv", cells);
    snprintf(path, sizeof path, DS "/talents/%lld/hide", e1);
    post_invalid(&org, path, FORM("reason", ""), NULL);
    post_ok(&org, path, FORM("reason", P(F_REASON)), NULL, 0);
    page(&org, entry, BOTH, FIELDS(F_REASON, F_ETITLE));
    page(&a, entry, BOTH, FIELDS(F_REASON));
    page(&org, DS "/talents", BOTH, FIELDS(F_REASON));
    page(&a, DS "/talents/mine", BOTH, FIELDS(F_REASON));
    page(&anon, DS "/talents", HIDDEN, FIELDS(F_ETITLE, F_REASON));
    client_free(&a);
    client_free(&b);
    client_free(&org);
    client_free(&anon);
}

static void talent_fields(void **state)
{
    (void)state;
    for (pass = 0; pass < 2; pass++) {
        talent_pass();
        healthy();
    }
}

/* ---- the community's name on every area page ---- */

static void community_name_on_area_pages(void **state)
{
    (void)state;
    struct client staff, anon, coord;
    login_as(&staff, &S, "member"); /* organizer of nastolki-na-raene */
    login_as(&anon, &S, NULL);
    login_as(&coord, &S, "coordinator");
    /* its results are shared with the programme's coordinators */
    post_ok(&staff, NR "/soc/settings", FORM("k", "5", "share", "1"), NULL, 0);
    for (pass = 0; pass < 2; pass++) {
        post_ok(
            &staff, NR "/edit",
            FORM("name", P(F_COMM), "visibility", "public", "description", "Играем по четвергам."),
            NULL, 0);
        static const char *const mine[] = {
            NR "/soc",         NR "/surveys",          NR "/talents/clubs",    NR "/talents/mine",
            NR "/talents/new", NR "/talents/requests", NR "/talents/overview", NULL};
        for (int i = 0; mine[i]; i++)
            page(&staff, mine[i], BOTH, FIELDS(F_COMM));
        page(&staff, NR "/strategy/mine", JSON_EQ, FIELDS(F_COMM));
        static const char *const open[] = {NR "/strategy", NR "/strategy/print", NR "/talents",
                                           NULL};
        for (int i = 0; open[i]; i++)
            page(&anon, open[i], BOTH, FIELDS(F_COMM));
        /* pages whose crumbs lead back to the strategy carry it in JSON */
        static const char *const json_only[] = {NR "/strategy/values", NR "/strategy/plan",
                                                NR "/strategy/text/vision", NULL};
        for (int i = 0; json_only[i]; i++)
            page(&anon, json_only[i], JSON_EQ, FIELDS(F_COMM));
        md_file(&anon, NR "/strategy/export.md", FIELDS(F_COMM));
        page(&coord, "/c/roditeli-shkoly-7/soc/compare", BOTH, FIELDS(F_COMM));
        healthy();
    }
    client_free(&staff);
    client_free(&anon);
    client_free(&coord);
}

/* ---- Markdown ---- */

/* Raw HTML and links that would run code, each a paragraph of its own. */
static const char MD[] = "# Title\n\n"
                         "[x](javascript:alert(1))\n\n"
                         "[y](JaVaScRiPt:alert(2))\n\n"
                         "[z](vbscript:msgbox(3))\n\n"
                         "[e](javascript&#58;alert(4))\n\n"
                         "[t](java\tscript:alert(5))\n\n"
                         "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==)\n\n"
                         "![i](javascript:alert(7))\n\n"
                         "<javascript:alert(8)>\n\n"
                         "[ref][r]\n\n[r]: javascript:alert(9)\n\n"
                         "<img src=x onerror=alert(10)>\n\n"
                         "text <img src=x onerror=alert(11)> inline\n\n"
                         "<script>alert(12)</script>\n\n"
                         "<a href=\"javascript:alert(13)\">a</a>\n\n"
                         "<iframe src=\"javascript:alert(14)\"></iframe>\n\n"
                         "<svg onload=alert(15)>\n\n"
                         "<div onmouseover=\"alert(16)\">hover</div>\n\n"
                         "*fine* and **fine** and [a link](https://example.org/)";

/* The page renders MD (at least one prose block) and stays clean. */
static void md_page(struct client *c, const char *path)
{
    struct resp r;
    assert_int_equal(client_get(c, path, 0, &r), 0);
    if (r.status != 200) fail_msg("GET %s: %ld", path, r.status);
    markup_ok(r.body, path, NULL);
    if (prose_ok(r.body, path) == 0) fail_msg("%s: no Markdown shown", path);
    if (!strstr(r.body, "<em>fine</em>")) fail_msg("%s: the Markdown was not rendered", path);
    resp_free(&r);
    cases++;
}

static void markdown_stays_safe(void **state)
{
    (void)state;
    struct client a, org, anon, nc;
    login_as(&a, &S, "member");
    login_as(&org, &S, "organizer");
    login_as(&anon, &S, NULL);
    login_as(&nc, &S, "newcomer");
    char loc[256];
    /* a talent entry's body */
    post_ok(&a, DS "/talents",
            FORM("kind", "skill", "category", "it", "title", "Markdown", "body", MD, "visibility",
                 "public"),
            loc, sizeof loc);
    md_page(&anon, loc);
    struct resp r;
    assert_int_equal(client_get(&anon, loc, 1, &r), 0);
    assert_string_equal(jstr(r.json, "entry.body"), MD); /* the text as written */
    assert_null(jget(r.json, "entry.body_html"));        /* rendered by the page only (md_page) */
    resp_free(&r);
    cases++;
    /* vision, mission, manifesto */
    post_ok(&org, DS "/strategy/text/vision", FORM("body", MD), NULL, 0);
    post_ok(&org, DS "/strategy/text/mission", FORM("body", MD), NULL, 0);
    post_ok(&org, DS "/strategy/text/manifesto", FORM("body", MD), NULL, 0);
    md_page(&anon, DS "/strategy");
    md_page(&anon, DS "/strategy/text/vision");
    md_page(&anon, DS "/strategy/text/manifesto");
    md_page(&org, DS "/strategy/text/manifesto");
    md_page(&anon, DS "/strategy/print");
    /* the community's description: the dashboard, the closed landing */
    post_ok(&org, DS "/edit",
            FORM("name", "Двор на Садовой, 12", "visibility", "public", "description", MD), NULL,
            0);
    md_page(&anon, DS);
    md_page(&a, DS);
    post_ok(&org, "/c/zelenyj-kvartal/edit",
            FORM("name", "Зелёный квартал", "visibility", "closed", "description", MD), NULL, 0);
    md_page(&nc, "/c/zelenyj-kvartal");
    assert_int_equal(client_get(&anon, DS, 1, &r), 0);
    assert_string_equal(jstr(r.json, "community.description"), MD); /* the text as written */
    resp_free(&r);
    cases++;
    client_free(&a);
    client_free(&org);
    client_free(&anon);
    client_free(&nc);
    healthy();
}

/* ---- CSV ---- */

static void csv_cells_are_not_formulas(void **state)
{
    (void)state;
    struct client c, org, staff, n2;
    login_as(&c, &S, "dvor-sadovaya-12-4");
    login_as(&org, &S, "organizer");
    login_as(&staff, &S, "member");
    login_as(&n2, &S, "nastolki-na-raene-2");
    /* the talent bank's export */
    post_ok(&c, "/account", FORM("display_name", "=HYPERLINK(\"http://x\",\"y\")", "lang", "ru"),
            NULL, 0);
    post_ok(&c, DS "/talents",
            FORM("kind", "offer", "category", "it", "title", "=1+2", "body", "+SUM(A1:A9)", "tags",
                 "-5, @x", "visibility", "members"),
            NULL, 0);
    csv_file(&org, DS "/talents/export.csv",
             (const char *const[]){"'=1+2", "'+SUM(A1:A9)", "'-5, @x",
                                   "'=HYPERLINK(\"http://x\",\"y\")", NULL});
    /* a named survey's */
    char loc[256], path[256], a[11], b[11];
    post_ok(&n2, "/account", FORM("display_name", "@name", "lang", "ru"), NULL, 0);
    post_ok(&staff, NR "/surveys", FORM("template", "blank"), loc, sizeof loc);
    long long sid = survey_id(loc);
    snprintf(path, sizeof path, NR "/surveys/%lld/edit", sid);
    post_ok(&staff, path,
            FORM("title", "=title", "intro", "", "audience", "members", "opens_on", test_day(0, a),
                 "closes_on", test_day(7, b)),
            NULL, 0);
    snprintf(path, sizeof path, NR "/surveys/%lld/questions", sid);
    post_ok(&staff, path, FORM("kind", "short", "text", "=Q1"), NULL, 0);
    post_ok(&staff, path,
            FORM("kind", "single", "text", "@Q2", "options", "+opt\n-opt2", "other", "1"), NULL, 0);
    post_ok(&staff, path, FORM("kind", "long", "text", "-Q3"), NULL, 0);
    post_ok(&staff, path, FORM("kind", "multi", "text", "+Q4", "options", "=a\n=b"), NULL, 0);
    snprintf(path, sizeof path, NR "/surveys/%lld/publish", sid);
    post_ok(&staff, path, FORM("x", ""), NULL, 0);
    snprintf(path, sizeof path, NR "/surveys/%lld/answer", sid);
    post_ok(&n2, path, FORM("q1", "=short", "q2", "1", "q3", "-long", "q4", "0", "q4", "1"), NULL,
            0);
    post_ok(&staff, path, FORM("q1", "+x", "q2", "other", "o2", "=other"), NULL, 0);
    snprintf(path, sizeof path, NR "/surveys/%lld/results.csv", sid);
    csv_file(&staff, path,
             (const char *const[]){"'=Q1", "'@Q2", "'-Q3", "'+Q4", "'=short", "'-opt2", "'-long",
                                   "'=a; =b", "'@name", "'+x", "'=other", NULL});
    client_free(&c);
    client_free(&org);
    client_free(&staff);
    client_free(&n2);
    healthy();
}

/* ---- the database kept the SQL as text and lost nothing ---- */

static void database_kept_the_text(void **state)
{
    (void)state;
    pass = 1;
    static const struct {
        const char *sql;
        int field;
    } stored[] = {
        {"SELECT count(*) FROM personal_values WHERE text = ?", F_MINE},
        {"SELECT count(*) FROM shared_values WHERE title = ?", F_VTITLE},
        {"SELECT count(*) FROM goals WHERE title = ?", F_GOAL},
        {"SELECT count(*) FROM actions WHERE title = ?", F_ACTION},
        {"SELECT count(*) FROM rules WHERE text = ?", F_RULE},
        {"SELECT count(*) FROM dilts_entries WHERE text = ?", F_DILTS},
        {"SELECT count(*) FROM strategy_texts WHERE body = ?", F_MANIFESTO},
        {"SELECT count(*) FROM ballot_texts WHERE q = 3 AND text = ?", F_C4},
        {"SELECT count(*) FROM surveys WHERE title = ?", F_STITLE},
        {"SELECT count(*) FROM survey_questions WHERE text = ?", F_Q5},
        {"SELECT count(*) FROM talent_entries WHERE title = ?", F_ETITLE},
        {"SELECT count(*) FROM talent_clubs WHERE meets_where = ?", F_CLUB_WHERE},
        {"SELECT count(*) FROM accounts WHERE display_name = ?", F_NAME},
        {"SELECT count(*) FROM communities WHERE name = ?", F_COMM},
    };
    for (size_t i = 0; i < sizeof stored / sizeof *stored; i++) {
        long long n = db_value(&S, stored[i].sql, P(stored[i].field));
        if (n < 1) fail_msg("%s with %s: %lld", stored[i].sql, P(stored[i].field), n);
        cases++;
    }
    /* no table dropped, no account lost or added */
    assert_int_equal(db_value(&S, "SELECT count(*) FROM accounts", NULL), accounts_at_start);
    assert_int_equal(
        db_value(&S, "SELECT count(*) FROM sqlite_master WHERE name = 'accounts'", NULL), 1);
    struct client m;
    login_as(&m, &S, "member");
    assert_int_equal(get_status(&m, DS "/talents", 1), 200);
    client_free(&m);
    cases += 3;
    healthy();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strategy_fields),
        cmocka_unit_test(soc_comments),
        cmocka_unit_test(survey_fields),
        cmocka_unit_test(talent_fields),
        cmocka_unit_test(community_name_on_area_pages),
        cmocka_unit_test(markdown_stays_safe),
        cmocka_unit_test(csv_cells_are_not_formulas),
        cmocka_unit_test(database_kept_the_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
