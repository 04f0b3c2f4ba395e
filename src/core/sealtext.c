/* Texts under a community's data key: the SQL functions seal() and
 * unseal(); see sealtext.h for the design. */
#include "core/sealtext.h"
#include "core/db.h"
#include "core/seal.h"
#include "core/util.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum {
    MARK_LEN = sizeof SEALTEXT_MARK - 1,
    LABEL_MAX = 96, /* "table.column"; field_ad's buffer holds more */
    B64 = sodium_base64_VARIANT_URLSAFE_NO_PADDING,
};

int sealtext_is_sealed(const char *s)
{
    return s && memcmp(s, SEALTEXT_MARK, MARK_LEN) == 0;
}

/* Splits "table.column" into buf: 0, or -1 when it has no dot or is long. */
static int label_split(const char *label, char buf[LABEL_MAX], const char **column)
{
    size_t n = label ? strlen(label) : 0;
    const char *dot = n ? strchr(label, '.') : NULL;
    if (!dot || n >= LABEL_MAX) return -1;
    memcpy(buf, label, n + 1);
    buf[dot - label] = '\0';
    *column = buf + (dot - label) + 1;
    return 0;
}

char *sealtext_close(const struct seal_data_key *dk, int64_t community_id, const char *label,
                     const char *text, size_t len)
{
    char table[LABEL_MAX];
    const char *column;
    if (label_split(label, table, &column) != 0) return NULL;
    size_t raw_len = len + SEAL_FIELD_OVERHEAD;
    unsigned char *raw = xmalloc(raw_len);
    if (seal_field_encrypt(dk, table, column, community_id, (const unsigned char *)text, len,
                           raw) != 0) {
        free(raw);
        return NULL;
    }
    size_t b64 = sodium_base64_ENCODED_LEN(raw_len, B64);
    char *out = xmalloc(MARK_LEN + b64);
    memcpy(out, SEALTEXT_MARK, MARK_LEN);
    sodium_bin2base64(out + MARK_LEN, b64, raw, raw_len, B64);
    free(raw);
    return out;
}

/* The value of each byte as a letter of URL-safe base64 (A-Z a-z 0-9 - _),
 * X for a byte outside the alphabet: the decoder below is a table lookup
 * per letter. */
/* clang-format off: sixteen to a line */
#define X 0xff
static const unsigned char B64_VALUE[256] = {
    X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 00 */
    X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 10 */
    X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  62, X,  X,  /* 20 */
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, X,  X,  X,  X,  X,  X,  /* 30 */
    X,  0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, /* 40 */
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, X,  X,  X,  X,  63, /* 50 */
    X,  26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, /* 60 */
    41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, X,  X,  X,  X,  X,  /* 70 */
    X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 80 */
    X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 90 */
    X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* a0 */
    X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* b0 */
    X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* c0 */
    X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* d0 */
    X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* e0 */
    X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* f0 */
};
#undef X
/* clang-format on */

/* URL-safe base64 without padding, as sealtext_close writes it, decoded
 * into out (cap bytes): 0 and *len, or -1 for a letter outside the
 * alphabet, a length no encoding has, or bits left over. Not
 * sodium_base642bin: that one runs in constant time, for encoded secrets,
 * and was most of what a page of sealed texts cost (bench/cost). What is
 * decoded here is ciphertext, which a copy of the disk shows anyway: four
 * letters at a time, the tail of two or three after. */
static int b64url_decode(const char *in, size_t n, unsigned char *out, size_t cap, size_t *len)
{
    size_t need = n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0);
    if (n % 4 == 1 || need > cap) return -1;
    const unsigned char *p = (const unsigned char *)in;
    unsigned bad = 0;
    size_t o = 0, i = 0;
    for (; i + 4 <= n; i += 4) {
        unsigned a = B64_VALUE[p[i]], b = B64_VALUE[p[i + 1]], c = B64_VALUE[p[i + 2]],
                 d = B64_VALUE[p[i + 3]];
        bad |= a | b | c | d;
        uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | d;
        out[o++] = (unsigned char)(v >> 16);
        out[o++] = (unsigned char)(v >> 8);
        out[o++] = (unsigned char)v;
    }
    if (i < n) { /* two letters give a byte, three give two */
        unsigned a = B64_VALUE[p[i]], b = B64_VALUE[p[i + 1]],
                 c = n - i == 3 ? B64_VALUE[p[i + 2]] : 0;
        bad |= a | b | c;
        uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6;
        out[o++] = (unsigned char)(v >> 16);
        if (n - i == 3) out[o++] = (unsigned char)(v >> 8);
        /* a canonical encoding leaves the bits after the last byte zero */
        if (v & (n - i == 3 ? 0xffu : 0xffffu)) return -1;
    }
    if (bad & 0xc0) return -1; /* 0xff marks a byte outside the alphabet */
    *len = o;
    return 0;
}

/* A short text is decoded on the stack: most of a page's texts are
 * titles and names, and two allocations each showed in bench/cost. */
enum { RAW_STACK = 512 };

char *sealtext_open(const struct seal_data_key *dk, int64_t community_id, const char *label,
                    const char *sealed, size_t n, size_t *len)
{
    char table[LABEL_MAX];
    const char *column;
    if (!sealtext_is_sealed(sealed) || label_split(label, table, &column) != 0) return NULL;
    size_t cap = (n - MARK_LEN) / 4 * 3 + 3, raw_len = 0;
    unsigned char stack[RAW_STACK];
    unsigned char *raw = cap <= sizeof stack ? stack : xmalloc(cap);
    char *out = NULL;
    if (b64url_decode(sealed + MARK_LEN, n - MARK_LEN, raw, cap, &raw_len) == 0 &&
        raw_len >= SEAL_FIELD_OVERHEAD) {
        out = xmalloc(raw_len - SEAL_FIELD_OVERHEAD + 1);
        if (seal_field_decrypt(dk, table, column, community_id, raw, raw_len,
                               (unsigned char *)out) == 0) {
            *len = raw_len - SEAL_FIELD_OVERHEAD;
            out[*len] = '\0';
        } else {
            free(out);
            out = NULL;
        }
    }
    if (raw != stack) free(raw);
    return out;
}

void sealtext_source(struct sealtext_keys *keys, sealtext_key_fn fn, void *ctx)
{
    keys->fn = fn;
    keys->ctx = ctx;
    keys->n = 0;
}

int sealtext_hold(struct sealtext_keys *keys, int64_t community_id, const struct seal_data_key *dk)
{
    if (keys->n >= SEALTEXT_HELD) return -1;
    keys->held[keys->n].community_id = community_id;
    keys->held[keys->n].dk = dk;
    keys->n++;
    return 0;
}

void sealtext_release(struct sealtext_keys *keys, int64_t community_id)
{
    for (int i = keys->n; i-- > 0;)
        if (keys->held[i].community_id == community_id) {
            memmove(&keys->held[i], &keys->held[i + 1],
                    (size_t)(keys->n - i - 1) * sizeof keys->held[0]);
            keys->n--;
        }
}

/* What the functions are registered with. */
struct sealtext_fn {
    struct dbc *c;
    struct sealtext_keys *keys;
};

static const struct seal_data_key *key_of(const struct sealtext_keys *k, int64_t community_id,
                                          int *sealed)
{
    *sealed = -1;
    for (int i = k->n; i-- > 0;)
        if (k->held[i].community_id == community_id) {
            *sealed = 1;
            return k->held[i].dk;
        }
    return k->fn ? k->fn(k->ctx, community_id, sealed) : NULL;
}

static const char has_seal[] = "SELECT count(*) FROM community_seals WHERE community_id = ?";
static const char has_table[] =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'community_seals'";

/* 1 when the community has a data key, 0 when not, -1 when that cannot be
 * told. A database from before sealing (an upgrade's first steps) has no
 * table of keys, and so no key. */
static int community_sealed(struct dbc *c, int64_t community_id)
{
    int n = (int)db_int(c, -1, has_seal, "i", community_id);
    if (n >= 0) return n > 0;
    return db_int(c, -1, has_table, "") == 0 ? 0 : -1;
}

int sealtext_key(struct dbc *c, int64_t community_id, const struct seal_data_key **dk)
{
    int sealed;
    *dk = key_of(dbc_keys(c), community_id, &sealed);
    if (*dk) return 1;
    if (sealed < 0) sealed = community_sealed(c, community_id);
    return sealed == 0 ? 0 : -1;
}

void sealtext_word_key(const struct seal_data_key *dk, const char *label,
                       unsigned char out[SEALTEXT_WORD_KEY])
{
    crypto_generichash(out, SEALTEXT_WORD_KEY, (const unsigned char *)label, strlen(label), dk->k,
                       SEAL_DATA_KEY);
}

void sealtext_word_hash(const unsigned char key[SEALTEXT_WORD_KEY], const char *word, size_t len,
                        char out[SEALTEXT_WORD_HEX + 1])
{
    /* 64 bits: a community's words do not collide in practice, and a
     * short hash keeps an index of them small. */
    unsigned char h[crypto_generichash_BYTES_MIN];
    crypto_generichash(h, sizeof h, (const unsigned char *)word, len, key, SEALTEXT_WORD_KEY);
    sodium_bin2hex(out, SEALTEXT_WORD_HEX + 1, h, SEALTEXT_WORD_HEX / 2);
}

/* The key a write of community's value v seals with: 1 with *dk; else
 * 0 with the answer given (v as it is for a clear community; an error for
 * a secret one whose key is not open here or when the question fails: a
 * secret community's value is never written in clear). seal() and
 * sealblob() share it. */
static int write_key(sqlite3_context *ctx, const struct sealtext_fn *f, int64_t community,
                     sqlite3_value *v, const struct seal_data_key **dk)
{
    int sealed = sealtext_key(f->c, community, dk);
    if (sealed == 1) return 1;
    if (sealed < 0)
        sqlite3_result_error(ctx, SEALTEXT_NO_KEY, -1);
    else
        sqlite3_result_value(ctx, v);
    return 0;
}

static void sql_seal(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const struct sealtext_fn *f = sqlite3_user_data(ctx);
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    size_t n = (size_t)sqlite3_value_bytes(argv[0]);
    int64_t community = sqlite3_value_int64(argv[1]);
    const char *label = (const char *)sqlite3_value_text(argv[2]);
    if (!s) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (sealtext_is_sealed(s)) { /* sealed already: a community's rows sealed in place */
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    const struct seal_data_key *dk;
    if (!write_key(ctx, f, community, argv[0], &dk)) return;
    char *out = sealtext_close(dk, community, label, s, n);
    if (!out)
        sqlite3_result_error(ctx, "seal: the place label is not table.column", -1);
    else
        sqlite3_result_text(ctx, out, -1, free); /* SQLite owns out */
}

static void sql_unseal(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const struct sealtext_fn *f = sqlite3_user_data(ctx);
    if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    if (!sealtext_is_sealed(s)) {
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    int64_t community = sqlite3_value_int64(argv[1]);
    int sealed;
    const struct seal_data_key *dk = key_of(f->keys, community, &sealed);
    size_t len = 0;
    char *plain = dk ? sealtext_open(dk, community, (const char *)sqlite3_value_text(argv[2]), s,
                                     (size_t)sqlite3_value_bytes(argv[0]), &len)
                     : NULL;
    if (!plain)
        sqlite3_result_null(ctx);
    else
        sqlite3_result_text(ctx, plain, (int)len, free); /* SQLite owns plain */
}

/* ---- bytes: sealblob() and unsealblob() ----
 *
 * A photo of a secret community is as telling as its member list (faces,
 * a door, a street sign), so it is sealed as its texts are, but kept as a
 * blob: base64 would make every picture a third larger for nothing. A
 * sealed blob starts with SEALBLOB_MARK, which no JPEG, PNG or WebP does
 * (they start with 0xff 0xd8, 0x89 'P', 'R' 'I'). */
static const unsigned char SEALBLOB_MARK[4] = {0x1e, 'H', 'S', 'B'};

static int blob_sealed(const unsigned char *b, size_t n)
{
    return b && n >= sizeof SEALBLOB_MARK && memcmp(b, SEALBLOB_MARK, sizeof SEALBLOB_MARK) == 0;
}

static void sql_sealblob(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const struct sealtext_fn *f = sqlite3_user_data(ctx);
    if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    const unsigned char *b = sqlite3_value_blob(argv[0]);
    size_t n = (size_t)sqlite3_value_bytes(argv[0]);
    int64_t community = sqlite3_value_int64(argv[1]);
    char table[LABEL_MAX];
    const char *column;
    if (label_split((const char *)sqlite3_value_text(argv[2]), table, &column) != 0) {
        sqlite3_result_error(ctx, "sealblob: the place label is not table.column", -1);
        return;
    }
    if (blob_sealed(b, n)) {
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    const struct seal_data_key *dk;
    if (!write_key(ctx, f, community, argv[0], &dk)) return;
    size_t len = sizeof SEALBLOB_MARK + n + SEAL_FIELD_OVERHEAD;
    unsigned char *out = xmalloc(len);
    memcpy(out, SEALBLOB_MARK, sizeof SEALBLOB_MARK);
    if (seal_field_encrypt(dk, table, column, community, b, n, out + sizeof SEALBLOB_MARK) != 0) {
        free(out);
        sqlite3_result_error(ctx, "sealblob: cannot seal", -1);
        return;
    }
    sqlite3_result_blob64(ctx, out, len, free); /* SQLite owns out */
}

static void sql_unsealblob(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const struct sealtext_fn *f = sqlite3_user_data(ctx);
    const unsigned char *b =
        sqlite3_value_type(argv[0]) == SQLITE_BLOB ? sqlite3_value_blob(argv[0]) : NULL;
    size_t n = (size_t)sqlite3_value_bytes(argv[0]);
    if (!blob_sealed(b, n)) {
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    char table[LABEL_MAX];
    const char *column;
    int64_t community = sqlite3_value_int64(argv[1]);
    int sealed;
    const struct seal_data_key *dk = key_of(f->keys, community, &sealed);
    size_t raw = n - sizeof SEALBLOB_MARK;
    if (!dk || raw < SEAL_FIELD_OVERHEAD ||
        label_split((const char *)sqlite3_value_text(argv[2]), table, &column) != 0) {
        sqlite3_result_null(ctx);
        return;
    }
    unsigned char *out = xmalloc(raw - SEAL_FIELD_OVERHEAD + 1);
    if (seal_field_decrypt(dk, table, column, community, b + sizeof SEALBLOB_MARK, raw, out) != 0) {
        free(out);
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_result_blob64(ctx, out, raw - SEAL_FIELD_OVERHEAD, free);
}

int sealtext_register(sqlite3 *h, struct dbc *c, struct sealtext_keys *keys)
{
    /* DIRECTONLY: a view or a trigger in the schema cannot call them, so
     * what a key opens is read only by the SQL of this program. */
    const int flags = SQLITE_UTF8 | SQLITE_DIRECTONLY;
    struct sealtext_fn *f = xcalloc(1, sizeof *f);
    f->c = c;
    f->keys = keys;
    if (sqlite3_create_function_v2(h, "seal", 3, flags, f, sql_seal, NULL, NULL, free) != SQLITE_OK)
        return -1;
    /* The same user data; freed once, with seal(). */
    if (sqlite3_create_function_v2(h, "sealblob", 3, flags, f, sql_sealblob, NULL, NULL, NULL) !=
            SQLITE_OK ||
        sqlite3_create_function_v2(h, "unsealblob", 3, flags, f, sql_unsealblob, NULL, NULL,
                                   NULL) != SQLITE_OK)
        return -1;
    return sqlite3_create_function_v2(h, "unseal", 3, flags, f, sql_unseal, NULL, NULL, NULL) ==
                   SQLITE_OK
               ? 0
               : -1;
}
