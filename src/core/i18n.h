/*
 * Translation catalogs: po/ru.po and po/en.po (the platform) and
 * po/<area>.<lang>.po (each area's own), compiled into the binary and
 * merged per language at start-up. Keys are stable ids ("community.new"),
 * so a catalog can be edited without touching code.
 *
 * The catalogs are standard gettext files (msgfmt --check passes on each):
 * a header with Plural-Forms, and plural entries with msgid_plural and
 * msgstr[N]; a key used with a count takes form N by the language's rule
 * (Russian has three forms, English two).
 */
#ifndef HR_I18N_H
#define HR_I18N_H

#include <stdint.h>

struct i18n;

/* Loads every embedded catalog. Owned by caller; i18n_free. NULL on a
 * malformed catalog (logged). */
struct i18n *i18n_load(void);
void i18n_free(struct i18n *c);

/* The languages we have, in preference order: "ru", "en". */
extern const char *const i18n_langs[];
int i18n_has_lang(const char *lang);
/* Picks the best of our languages from an Accept-Language header; NULL if
 * none matches. */
const char *i18n_from_accept(const char *header);

/* The text for key in lang; falls back to Russian, then to the key itself.
 * The result lives as long as the catalog. */
const char *i18n_get(const struct i18n *c, const char *lang, const char *key);
/* As i18n_get for the plural form fitting n. */
const char *i18n_plural(const struct i18n *c, const char *lang, const char *key, int64_t n);
/* Number of keys in lang (for the catalog completeness test). */
int i18n_count(const struct i18n *c, const char *lang);
/* Calls fn for each key of lang. */
void i18n_each(const struct i18n *c, const char *lang, void (*fn)(const char *key, void *arg),
               void *arg);

#endif
