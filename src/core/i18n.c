/* Translation catalogs; see i18n.h. A small open-addressing hash table per
 * language, filled once at start-up and only read afterwards. */
#include "core/i18n.h"
#include "core/embed.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const i18n_langs[] = {"ru", "en", NULL};
enum { NLANG = 2 };

struct entry {
    char *key, *val;
};

struct table {
    struct entry *e;
    size_t cap, n;
};

struct i18n {
    struct table t[NLANG];
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void table_put(struct table *t, char *key, char *val);

static void table_grow(struct table *t)
{
    struct table nt = {xcalloc(t->cap ? t->cap * 2 : 512, sizeof(struct entry)),
                       t->cap ? t->cap * 2 : 512, 0};
    for (size_t i = 0; i < t->cap; i++)
        if (t->e[i].key) table_put(&nt, t->e[i].key, t->e[i].val);
    free(t->e);
    *t = nt;
}

/* Takes ownership of key and val. A later definition replaces an earlier. */
static void table_put(struct table *t, char *key, char *val)
{
    if ((t->n + 1) * 2 > t->cap) table_grow(t);
    size_t i = hash(key) & (t->cap - 1);
    while (t->e[i].key && strcmp(t->e[i].key, key) != 0)
        i = (i + 1) & (t->cap - 1);
    if (t->e[i].key) {
        free(t->e[i].key);
        free(t->e[i].val);
    } else {
        t->n++;
    }
    t->e[i].key = key;
    t->e[i].val = val;
}

static const char *table_get(const struct table *t, const char *key)
{
    if (!t->cap) return NULL;
    size_t i = hash(key) & (t->cap - 1);
    while (t->e[i].key) {
        if (strcmp(t->e[i].key, key) == 0) return t->e[i].val;
        i = (i + 1) & (t->cap - 1);
    }
    return NULL;
}

static int lang_index(const char *lang)
{
    for (int i = 0; i < NLANG; i++)
        if (str_eq(i18n_langs[i], lang)) return i;
    return -1;
}

int i18n_has_lang(const char *lang)
{
    return lang_index(lang) >= 0;
}

/* Appends the content of one "..." literal starting at p (at the quote) to
 * b, with C escapes; returns the position after the closing quote or NULL. */
static const char *po_string(const char *p, struct buf *b)
{
    if (*p != '"') return NULL;
    for (p++; *p && *p != '"'; p++) {
        if (*p == '\\') {
            /* the escapes a catalog uses, each followed by what it means */
            static const char escapes[] = "n\nt\t\"\"\\\\";
            const char *e = *++p ? strchr(escapes, *p) : NULL;
            if (!e || (e - escapes) % 2) return NULL;
            buf_putc(b, e[1]);
        } else if (*p == '\n') {
            return NULL;
        } else {
            buf_putc(b, *p);
        }
    }
    return *p == '"' ? p + 1 : NULL;
}

enum { PLURAL_MAX = 3 };

/* One entry being read: its msgid, and its msgstr or msgstr[0..2]. */
struct po_entry {
    struct buf id, str[PLURAL_MAX];
    int plural; /* had msgid_plural */
};

static void entry_reset(struct po_entry *e)
{
    buf_free(&e->id);
    for (int i = 0; i < PLURAL_MAX; i++)
        buf_free(&e->str[i]);
    e->plural = 0;
}

/* Stores an entry: "key" -> msgstr, or for a plural entry "key" -> its
 * first form and "key|N" -> form N. The header (empty msgid) is not
 * stored. */
static void entry_store(struct table *t, struct po_entry *e)
{
    if (!e->id.len) return;
    for (int i = 1; e->plural && i < PLURAL_MAX; i++)
        if (e->str[i].len) {
            char *k = xmalloc(e->id.len + 8);
            snprintf(k, e->id.len + 8, "%s|%d", e->id.data, i);
            table_put(t, k, buf_detach(&e->str[i]));
        }
    if (e->plural) {
        char *k = xmalloc(e->id.len + 8);
        snprintf(k, e->id.len + 8, "%s|0", e->id.data);
        table_put(t, k, xstrdup(e->str[0].data ? e->str[0].data : ""));
    }
    table_put(t, buf_detach(&e->id), buf_detach(&e->str[0]));
}

/* Parses one catalog: gettext .po with msgid, msgid_plural, msgstr and
 * msgstr[N], continued strings and comments (msgfmt --check accepts the
 * same files). Returns 0 or -1 with the line number logged. */
static int po_parse(struct table *t, const char *name, const char *p)
{
    struct po_entry e;
    memset(&e, 0, sizeof e);
    struct buf skip, *cur = NULL;
    buf_init(&skip);
    int line = 1, rc = 0, have = 0;
    while (*p) {
        const char *eol = strchr(p, '\n');
        const char *next = eol ? eol + 1 : p + strlen(p);
        while (*p == ' ' || *p == '\t')
            p++;
        const char *q = NULL;
        int n = -1;
        if (*p == '#' || *p == '\n' || *p == '\r' || !*p) {
            q = p; /* comment or blank */
        } else if (str_starts(p, "msgid_plural ")) {
            e.plural = 1;
            cur = &skip; /* the plural's msgid: the same key */
            q = po_string(p + 13, cur);
        } else if (str_starts(p, "msgid ")) {
            if (have) entry_store(t, &e);
            entry_reset(&e);
            have = 1;
            cur = &e.id;
            q = po_string(p + 6, cur);
        } else if (str_starts(p, "msgstr ")) {
            cur = &e.str[0];
            q = po_string(p + 7, cur);
        } else if (sscanf(p, "msgstr[%d]", &n) == 1 && n >= 0 && n < PLURAL_MAX && strchr(p, ']')) {
            cur = &e.str[n];
            q = po_string(strchr(p, ']') + 2, cur);
        } else if (*p == '"' && cur) {
            q = po_string(p, cur);
        }
        if (!q) {
            log_error("i18n: %s:%d: cannot parse", name, line);
            rc = -1;
            break;
        }
        p = next;
        line++;
    }
    if (rc == 0 && have) entry_store(t, &e);
    entry_reset(&e);
    buf_free(&skip);
    return rc;
}

/* "po/ru.po" -> "ru"; "po/talent.en.po" -> "en". */
static int catalog_lang(const char *name)
{
    const char *end = strstr(name, ".po");
    if (!str_starts(name, "po/") || !end || end[3]) return -1;
    const char *start = end;
    while (start > name && start[-1] != '.' && start[-1] != '/')
        start--;
    char lang[8];
    size_t n = (size_t)(end - start);
    if (n >= sizeof lang) return -1;
    memcpy(lang, start, n);
    lang[n] = 0;
    return lang_index(lang);
}

struct i18n *i18n_load(void)
{
    struct i18n *c = xcalloc(1, sizeof *c);
    for (const struct embedded_file *f = embedded_files; f->name; f++) {
        int li = catalog_lang(f->name);
        if (li < 0) continue;
        if (po_parse(&c->t[li], f->name, f->data) != 0) {
            i18n_free(c);
            return NULL;
        }
    }
    return c;
}

void i18n_free(struct i18n *c)
{
    if (!c) return;
    for (int l = 0; l < NLANG; l++) {
        for (size_t i = 0; i < c->t[l].cap; i++) {
            free(c->t[l].e[i].key);
            free(c->t[l].e[i].val);
        }
        free(c->t[l].e);
    }
    free(c);
}

const char *i18n_get(const struct i18n *c, const char *lang, const char *key)
{
    int li = lang_index(lang);
    const char *v = li >= 0 ? table_get(&c->t[li], key) : NULL;
    if (!v && li != 0) v = table_get(&c->t[0], key);
    return v ? v : key;
}

/* The index of the plural form for n, as the catalog's Plural-Forms
 * header says: Russian (ru.po) nplurals=3; plural=(n%10==1 && n%100!=11 ?
 * 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2); English
 * nplurals=2; plural=(n != 1). */
static int plural_index(int li, int64_t n)
{
    if (n < 0) n = -n;
    if (li == 0) {
        int64_t d = n % 10, h = n % 100;
        if (d == 1 && h != 11) return 0;
        if (d >= 2 && d <= 4 && (h < 10 || h >= 20)) return 1;
        return 2;
    }
    return n == 1 ? 0 : 1;
}

const char *i18n_plural(const struct i18n *c, const char *lang, const char *key, int64_t n)
{
    int li = lang_index(lang);
    if (li < 0) li = 0;
    char k[256];
    snprintf(k, sizeof k, "%s|%d", key, plural_index(li, n));
    const char *v = table_get(&c->t[li], k);
    return v ? v : i18n_get(c, lang, key);
}

int i18n_count(const struct i18n *c, const char *lang)
{
    int li = lang_index(lang);
    return li < 0 ? 0 : (int)c->t[li].n;
}

void i18n_each(const struct i18n *c, const char *lang, void (*fn)(const char *, void *), void *arg)
{
    int li = lang_index(lang);
    if (li < 0) return;
    for (size_t i = 0; i < c->t[li].cap; i++)
        if (c->t[li].e[i].key) fn(c->t[li].e[i].key, arg);
}

const char *i18n_from_accept(const char *h)
{
    /* Takes the first listed language we have; q-values are in practice
     * listed in descending order, and we only have two languages. */
    while (h && *h) {
        while (*h == ' ' || *h == ',')
            h++;
        for (int i = 0; i18n_langs[i]; i++) {
            size_t n = strlen(i18n_langs[i]);
            if (strncasecmp(h, i18n_langs[i], n) == 0 &&
                (h[n] == 0 || h[n] == '-' || h[n] == ';' || h[n] == ',' || h[n] == ' '))
                return i18n_langs[i];
        }
        h = strchr(h, ',');
    }
    return NULL;
}
