/* Sealing, step 1: keys; see seal.h. The SQL of account_keys, keyring and
 * session_keys (src/sql/040_account_keys.sql) is here, as core tables. */
#include "core/seal.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/log.h"
#include "core/req.h"
#include "core/util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Configuration, set before threads start (as auth.c's cost). */
static unsigned long long cost_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t cost_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;

/* A row may name its own cost; one beyond these is not ours (a damaged or
 * hostile file) and is refused rather than run: 1 GiB is libsodium's
 * "sensitive" memory. */
static const unsigned long long COST_OPS_MAX = 16;
static const size_t COST_MEM_MAX = (size_t)1 << 30;

/* Every associated data and derivation starts with the purpose and a
 * version, so that no ciphertext made for one purpose opens for another. */
static const char AD_ACCOUNT[] = "hramada/account-key/1";
static const char AD_SESSION[] = "hramada/session-key/1";
static const char AD_FIELD[] = "hramada/field/1";
/* The BLAKE2b key that turns a session token into its session key: its 32
 * bytes (without the NUL) are only a label; the token is the secret. */
static const char KDF_SESSION[] = "hramada/session-key-derivation/1";
_Static_assert(sizeof KDF_SESSION - 1 == 32, "a BLAKE2b key of 32 bytes");

void seal_set_cost(unsigned long long ops, size_t mem)
{
    cost_ops = ops < crypto_pwhash_OPSLIMIT_MIN ? crypto_pwhash_OPSLIMIT_MIN : ops;
    cost_mem = mem < crypto_pwhash_MEMLIMIT_MIN ? crypto_pwhash_MEMLIMIT_MIN : mem;
}

void seal_wipe(void *p, size_t n)
{
    if (p) sodium_memzero(p, n);
}

/* The size sits before the block, in a header as wide as malloc's
 * alignment, so that seal_free knows what to wipe. */
void *seal_secret_alloc(size_t n)
{
    const size_t head = sizeof(max_align_t);
    if (n > SIZE_MAX - head) return NULL;
    unsigned char *p = malloc(head + n);
    if (!p) return NULL;
    memcpy(p, &n, sizeof n);
    sodium_memzero(p + head, n);
    return p + head;
}

void seal_free(void *q)
{
    if (!q) return;
    unsigned char *p = (unsigned char *)q - sizeof(max_align_t);
    size_t n;
    memcpy(&n, p, sizeof n);
    sodium_memzero(q, n);
    free(p);
}

void seal_put_le64(unsigned char *out, int64_t v)
{
    uint64_t u = (uint64_t)v;
    for (int i = 0; i < 8; i++)
        out[i] = (unsigned char)(u >> (8 * i));
}

static int64_t get_le64(const unsigned char *p)
{
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--)
        u = (u << 8) | p[i];
    return (int64_t)u;
}

/* ---- the account's key pair ---- */

/* AD of a wrapped secret key: purpose, account id, public key. */
enum { AD_ACCOUNT_LEN = sizeof AD_ACCOUNT + 8 + SEAL_PK };

static void account_ad(int64_t id, const unsigned char pk[SEAL_PK], unsigned char *ad)
{
    memcpy(ad, AD_ACCOUNT, sizeof AD_ACCOUNT);
    seal_put_le64(ad + sizeof AD_ACCOUNT, id);
    memcpy(ad + sizeof AD_ACCOUNT + 8, pk, SEAL_PK);
}

static int derive(const char *password, const unsigned char salt[SEAL_SALT], unsigned long long ops,
                  size_t mem, unsigned char key[32])
{
    if (!password || ops < crypto_pwhash_OPSLIMIT_MIN || ops > COST_OPS_MAX ||
        mem < crypto_pwhash_MEMLIMIT_MIN || mem > COST_MEM_MAX)
        return -1;
    return crypto_pwhash(key, 32, password, strlen(password), salt, ops, mem,
                         crypto_pwhash_ALG_ARGON2ID13) == 0
               ? 0
               : -1;
}

/* Wraps sk into k with a fresh salt and nonce, at the current cost. */
static int wrap(int64_t id, struct seal_keys *k, const unsigned char sk[SEAL_SK],
                const char *password)
{
    unsigned char key[32], ad[AD_ACCOUNT_LEN];
    randombytes_buf(k->salt, sizeof k->salt);
    randombytes_buf(k->nonce, sizeof k->nonce);
    k->ops = cost_ops;
    k->mem = cost_mem;
    if (derive(password, k->salt, k->ops, k->mem, key) != 0) {
        seal_wipe(key, sizeof key);
        return -1;
    }
    account_ad(id, k->pk, ad);
    crypto_aead_xchacha20poly1305_ietf_encrypt(k->wrapped, NULL, sk, SEAL_SK, ad, sizeof ad, NULL,
                                               k->nonce, key);
    seal_wipe(key, sizeof key);
    return 0;
}

int seal_keys_new(int64_t id, const char *password, struct seal_keys *k, unsigned char sk[SEAL_SK])
{
    memset(k, 0, sizeof *k);
    crypto_box_keypair(k->pk, sk);
    if (wrap(id, k, sk, password) != 0) {
        seal_wipe(sk, SEAL_SK);
        return -1;
    }
    return 0;
}

/* 1 if sk is the secret key of pk (a row whose halves were swapped, or a
 * wrapped key that opens but belongs to another pair, is refused). */
static int pair_matches(const unsigned char pk[SEAL_PK], const unsigned char sk[SEAL_SK])
{
    unsigned char derived[SEAL_PK];
    int ok = crypto_scalarmult_base(derived, sk) == 0 && sodium_memcmp(derived, pk, SEAL_PK) == 0;
    seal_wipe(derived, sizeof derived);
    return ok;
}

int seal_keys_unwrap(int64_t id, const struct seal_keys *k, const char *password,
                     unsigned char sk[SEAL_SK])
{
    unsigned char key[32], ad[AD_ACCOUNT_LEN];
    if (derive(password, k->salt, k->ops, k->mem, key) != 0) {
        seal_wipe(key, sizeof key);
        return -1;
    }
    account_ad(id, k->pk, ad);
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(sk, NULL, NULL, k->wrapped, SEAL_WRAPPED,
                                                        ad, sizeof ad, k->nonce, key);
    seal_wipe(key, sizeof key);
    if (rc != 0 || !pair_matches(k->pk, sk)) {
        seal_wipe(sk, SEAL_SK);
        return -1;
    }
    return 0;
}

int seal_keys_rewrap(int64_t id, struct seal_keys *k, const unsigned char sk[SEAL_SK],
                     const char *password)
{
    if (!pair_matches(k->pk, sk)) return -1;
    return wrap(id, k, sk, password);
}

void seal_fingerprint(const unsigned char pk[SEAL_PK], char *out)
{
    unsigned char h[16];
    crypto_generichash(h, sizeof h, pk, SEAL_PK, NULL, 0);
    static const char hex[] = "0123456789abcdef";
    char *p = out;
    for (int i = 0; i < 16; i++) {
        if (i && i % 2 == 0) *p++ = ' ';
        *p++ = hex[h[i] >> 4];
        *p++ = hex[h[i] & 15];
    }
    *p = 0;
}

/* ---- sealed boxes ---- */

int seal_box(const unsigned char pk[SEAL_PK], const unsigned char *msg, size_t len,
             unsigned char *out)
{
    return crypto_box_seal(out, msg, len, pk) == 0 ? 0 : -1;
}

int seal_box_open(const unsigned char pk[SEAL_PK], const unsigned char sk[SEAL_SK],
                  const unsigned char *box, size_t len, unsigned char *out)
{
    if (len < SEAL_BOX) return -1;
    return crypto_box_seal_open(out, box, len, pk, sk) == 0 ? 0 : -1;
}

/* ---- data keys ---- */

void seal_data_key_new(struct seal_data_key *dk)
{
    randombytes_buf(dk->k, sizeof dk->k);
}

int seal_data_key_wrap(const struct seal_data_key *dk, int64_t community_id,
                       const unsigned char pk[SEAL_PK], unsigned char *out)
{
    /* A sealed box has no associated data, so the community id travels
     * inside and is checked on opening. */
    unsigned char plain[8 + SEAL_DATA_KEY];
    seal_put_le64(plain, community_id);
    memcpy(plain + 8, dk->k, SEAL_DATA_KEY);
    int rc = seal_box(pk, plain, sizeof plain, out);
    seal_wipe(plain, sizeof plain);
    return rc;
}

int seal_data_key_unwrap(const unsigned char *wrapped, size_t len, int64_t community_id,
                         const unsigned char pk[SEAL_PK], const unsigned char sk[SEAL_SK],
                         struct seal_data_key *dk)
{
    unsigned char plain[8 + SEAL_DATA_KEY], want[8];
    if (len != SEAL_DATA_KEY_WRAPPED || seal_box_open(pk, sk, wrapped, len, plain) != 0) return -1;
    seal_put_le64(want, community_id);
    int rc = sodium_memcmp(plain, want, 8) == 0 ? 0 : -1;
    if (rc == 0) memcpy(dk->k, plain + 8, SEAL_DATA_KEY);
    seal_wipe(plain, sizeof plain);
    return rc;
}

/* ---- fields ---- */

/* AD of a field: purpose, table, NUL, column, NUL, row id. The NULs keep
 * ("ab", "c") apart from ("a", "bc"). Returns its length, or 0 when the
 * names are too long for the buffer. */
enum { FIELD_AD_MAX = 160 };

static size_t field_ad(const char *table, const char *column, int64_t row, unsigned char *ad)
{
    size_t t = strlen(table), c = strlen(column);
    size_t n = sizeof AD_FIELD + t + 1 + c + 1 + 8;
    if (n > FIELD_AD_MAX) return 0;
    unsigned char *p = ad;
    memcpy(p, AD_FIELD, sizeof AD_FIELD);
    p += sizeof AD_FIELD;
    memcpy(p, table, t + 1);
    p += t + 1;
    memcpy(p, column, c + 1);
    p += c + 1;
    seal_put_le64(p, row);
    return n;
}

int seal_field_encrypt(const struct seal_data_key *dk, const char *table, const char *column,
                       int64_t row, const unsigned char *plain, size_t len, unsigned char *out)
{
    unsigned char ad[FIELD_AD_MAX];
    size_t adlen = field_ad(table, column, row, ad);
    if (!adlen) return -1;
    randombytes_buf(out, SEAL_NONCE);
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + SEAL_NONCE, NULL, plain, len, ad, adlen, NULL,
                                               out, dk->k);
    return 0;
}

int seal_field_decrypt(const struct seal_data_key *dk, const char *table, const char *column,
                       int64_t row, const unsigned char *cipher, size_t len, unsigned char *out)
{
    unsigned char ad[FIELD_AD_MAX];
    size_t adlen = field_ad(table, column, row, ad);
    if (!adlen || len < SEAL_FIELD_OVERHEAD) return -1;
    return crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL, cipher + SEAL_NONCE,
                                                      len - SEAL_NONCE, ad, adlen, cipher,
                                                      dk->k) == 0
               ? 0
               : -1;
}

/* ---- the keyring ---- */

int seal_keyring_close(const unsigned char pk[SEAL_PK], const unsigned char *plain, size_t len,
                       unsigned char **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    /* sodium_pad always adds at least one byte (ISO/IEC 7816-4), so the
     * padded size is the next whole block above len. */
    size_t cap = (len / SEAL_KEYRING_BLOCK + 1) * SEAL_KEYRING_BLOCK, padded = 0;
    unsigned char *buf = seal_secret_alloc(cap);
    if (!buf) return -1;
    if (len) memcpy(buf, plain, len);
    if (sodium_pad(&padded, buf, len, SEAL_KEYRING_BLOCK, cap) != 0) {
        seal_free(buf);
        return -1;
    }
    unsigned char *sealed = xmalloc(padded + SEAL_BOX);
    int rc = seal_box(pk, buf, padded, sealed);
    seal_free(buf);
    if (rc != 0) {
        free(sealed);
        return -1;
    }
    *out = sealed;
    *outlen = padded + SEAL_BOX;
    return 0;
}

int seal_keyring_open(const unsigned char pk[SEAL_PK], const unsigned char sk[SEAL_SK],
                      const unsigned char *sealed, size_t n, unsigned char **plain, size_t *len)
{
    *plain = NULL;
    *len = 0;
    if (n <= SEAL_BOX || (n - SEAL_BOX) % SEAL_KEYRING_BLOCK != 0) return -1;
    unsigned char *buf = seal_secret_alloc(n - SEAL_BOX);
    if (!buf) return -1;
    size_t unpadded = 0;
    if (seal_box_open(pk, sk, sealed, n, buf) != 0 ||
        sodium_unpad(&unpadded, buf, n - SEAL_BOX, SEAL_KEYRING_BLOCK) != 0) {
        seal_free(buf);
        return -1;
    }
    *plain = buf;
    *len = unpadded;
    return 0;
}

/* ---- sessions ---- */

/* AD of a session's box: purpose, the token's stored hash, account id. */
enum { AD_SESSION_LEN = sizeof AD_SESSION + AUTH_HEX_LEN + 8 };
_Static_assert((int)AD_SESSION_LEN <= (int)SEAL_TOKEN_AD_MAX, "room for a token's associated data");

size_t seal_token_key(const char *token, const char *kdf_label, const char *ad_label, int64_t id,
                      unsigned char key[32], unsigned char *ad)
{
    size_t label = strlen(ad_label) + 1;
    if (!token || strlen(token) != AUTH_TOKEN_LEN || strlen(kdf_label) != 32 ||
        label + AUTH_HEX_LEN + 8 > SEAL_TOKEN_AD_MAX)
        return 0;
    char hash[AUTH_HEX_LEN + 1];
    auth_token_hash(token, hash);
    crypto_generichash(key, 32, (const unsigned char *)token, AUTH_TOKEN_LEN,
                       (const unsigned char *)kdf_label, 32);
    memcpy(ad, ad_label, label);
    memcpy(ad + label, hash, AUTH_HEX_LEN);
    seal_put_le64(ad + label + AUTH_HEX_LEN, id);
    return label + AUTH_HEX_LEN + 8;
}

static int session_key(const char *token, int64_t id, unsigned char key[32], unsigned char *ad)
{
    return seal_token_key(token, KDF_SESSION, AD_SESSION, id, key, ad) == AD_SESSION_LEN ? 0 : -1;
}

int seal_session_box(const char *token, int64_t id, const unsigned char sk[SEAL_SK],
                     unsigned char *out)
{
    unsigned char key[32], ad[AD_SESSION_LEN];
    if (session_key(token, id, key, ad) != 0) return -1;
    randombytes_buf(out, SEAL_NONCE);
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + SEAL_NONCE, NULL, sk, SEAL_SK, ad, sizeof ad,
                                               NULL, out, key);
    seal_wipe(key, sizeof key);
    return 0;
}

int seal_session_open(const char *token, int64_t id, const unsigned char *box, size_t len,
                      unsigned char sk[SEAL_SK])
{
    unsigned char key[32], ad[AD_SESSION_LEN];
    if (len != SEAL_SESSION_BOX || session_key(token, id, key, ad) != 0) return -1;
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(sk, NULL, NULL, box + SEAL_NONCE,
                                                        len - SEAL_NONCE, ad, sizeof ad, box, key);
    seal_wipe(key, sizeof key);
    if (rc != 0) seal_wipe(sk, SEAL_SK);
    return rc == 0 ? 0 : -1;
}

/* ---- a session's copy of the opened keyring ---- */

static const char KDF_SESSION_RING[] = "hramada/session-ring-key/1......";
_Static_assert(sizeof KDF_SESSION_RING - 1 == 32, "a BLAKE2b key of 32 bytes");
static const char AD_SESSION_RING[] = "hramada/session-ring/1";
static const char HASH_KEYRING[] = "hramada/stored-keyring-hash/1...";
_Static_assert(sizeof HASH_KEYRING - 1 == 32, "a BLAKE2b key of 32 bytes");
enum { RING_HASH = 32, AD_RING_MAX = SEAL_TOKEN_AD_MAX + RING_HASH };

/* The key and associated data of a session's keyring copy: the token's
 * (its hash, the account), then the hash of the stored keyring. The AD's
 * length, or 0. */
static size_t session_ring_key(const char *token, int64_t id, const unsigned char *keyring,
                               size_t kn, unsigned char key[32], unsigned char ad[AD_RING_MAX])
{
    size_t n = seal_token_key(token, KDF_SESSION_RING, AD_SESSION_RING, id, key, ad);
    if (!n || !keyring) return 0;
    crypto_generichash(ad + n, RING_HASH, keyring, kn, (const unsigned char *)HASH_KEYRING, 32);
    return n + RING_HASH;
}

int seal_session_ring_close(const char *token, int64_t id, const unsigned char *keyring, size_t kn,
                            const unsigned char *plain, size_t len, unsigned char **out,
                            size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    unsigned char key[32], ad[AD_RING_MAX];
    size_t adn = session_ring_key(token, id, keyring, kn, key, ad);
    if (!adn) return -1;
    size_t n = SEAL_NONCE + len + crypto_aead_xchacha20poly1305_ietf_ABYTES;
    unsigned char *box = xmalloc(n);
    randombytes_buf(box, SEAL_NONCE);
    crypto_aead_xchacha20poly1305_ietf_encrypt(box + SEAL_NONCE, NULL, plain, len, ad, adn, NULL,
                                               box, key);
    seal_wipe(key, sizeof key);
    *out = box;
    *outlen = n;
    return 0;
}

int seal_session_ring_open(const char *token, int64_t id, const unsigned char *keyring, size_t kn,
                           const unsigned char *box, size_t n, unsigned char **plain, size_t *len)
{
    *plain = NULL;
    *len = 0;
    const size_t over = SEAL_NONCE + crypto_aead_xchacha20poly1305_ietf_ABYTES;
    unsigned char key[32], ad[AD_RING_MAX];
    if (!box || n < over) return -1;
    size_t adn = session_ring_key(token, id, keyring, kn, key, ad);
    if (!adn) return -1;
    size_t plen = n - over;
    unsigned char *p = seal_secret_alloc(plen ? plen : 1);
    int rc = p ? crypto_aead_xchacha20poly1305_ietf_decrypt(p, NULL, NULL, box + SEAL_NONCE,
                                                            n - SEAL_NONCE, ad, adn, box, key)
               : -1;
    seal_wipe(key, sizeof key);
    if (rc != 0) {
        seal_free(p);
        return -1;
    }
    *plain = p;
    *len = plen;
    return 0;
}

/* ---- a session's copy of its keyring's member ids ---- */

static const char KDF_SESSION_MEMBERS[] = "hramada/session-members-key/1...";
_Static_assert(sizeof KDF_SESSION_MEMBERS - 1 == 32, "a BLAKE2b key of 32 bytes");
static const char AD_SESSION_MEMBERS[] = "hramada/session-members/1";
enum { AD_MEMBERS_MAX = SEAL_TOKEN_AD_MAX + SEAL_KEYRING_HEAD };

static size_t session_members_key(const char *token, int64_t id,
                                  const unsigned char head[SEAL_KEYRING_HEAD],
                                  unsigned char key[32], unsigned char ad[AD_MEMBERS_MAX])
{
    size_t n = seal_token_key(token, KDF_SESSION_MEMBERS, AD_SESSION_MEMBERS, id, key, ad);
    if (!n) return 0;
    memcpy(ad + n, head, SEAL_KEYRING_HEAD);
    return n + SEAL_KEYRING_HEAD;
}

int seal_session_members_close(const char *token, int64_t id,
                               const unsigned char head[SEAL_KEYRING_HEAD], const int64_t *ids,
                               size_t n, unsigned char **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    unsigned char key[32], ad[AD_MEMBERS_MAX];
    size_t adn = session_members_key(token, id, head, key, ad);
    if (!adn) return -1;
    /* a count, then the ids, then zeros to the block */
    size_t slots = (n / SEAL_MEMBERS_BLOCK + 1) * SEAL_MEMBERS_BLOCK;
    size_t len = 8 * slots;
    unsigned char *plain = xmalloc(len);
    memset(plain, 0, len);
    seal_put_le64(plain, (int64_t)n);
    for (size_t i = 0; i < n; i++)
        seal_put_le64(plain + 8 * (i + 1), ids[i]);
    size_t bn = SEAL_NONCE + len + crypto_aead_xchacha20poly1305_ietf_ABYTES;
    unsigned char *box = xmalloc(bn);
    randombytes_buf(box, SEAL_NONCE);
    crypto_aead_xchacha20poly1305_ietf_encrypt(box + SEAL_NONCE, NULL, plain, len, ad, adn, NULL,
                                               box, key);
    seal_wipe(key, sizeof key);
    seal_wipe(plain, len);
    free(plain);
    *out = box;
    *outlen = bn;
    return 0;
}

int seal_session_members_open(const char *token, int64_t id,
                              const unsigned char head[SEAL_KEYRING_HEAD], const unsigned char *box,
                              size_t bn, int64_t *ids, size_t cap, size_t *n)
{
    *n = 0;
    const size_t over = SEAL_NONCE + crypto_aead_xchacha20poly1305_ietf_ABYTES;
    if (!box || bn < over + 8 * SEAL_MEMBERS_BLOCK || (bn - over) % 8 != 0) return -1;
    unsigned char key[32], ad[AD_MEMBERS_MAX];
    size_t adn = session_members_key(token, id, head, key, ad);
    if (!adn) return -1;
    size_t len = bn - over;
    unsigned char *plain = xmalloc(len);
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(plain, NULL, NULL, box + SEAL_NONCE,
                                                        bn - SEAL_NONCE, ad, adn, box, key);
    seal_wipe(key, sizeof key);
    int64_t count = rc == 0 ? get_le64(plain) : -1;
    if (count < 0 || (size_t)count > cap || (size_t)count + 1 > len / 8) rc = -1;
    for (size_t i = 0; rc == 0 && i < (size_t)count; i++)
        ids[i] = get_le64(plain + 8 * (i + 1));
    if (rc == 0) *n = (size_t)count;
    seal_wipe(plain, len);
    free(plain);
    return rc == 0 ? 0 : -1;
}

/* ---- storage ---- */

/* Copies a blob column of exactly n bytes; -1 when it has another size. */
static int column_exact(sqlite3_stmt *st, int col, unsigned char *out, size_t n)
{
    if (sqlite3_column_type(st, col) != SQLITE_BLOB || (size_t)sqlite3_column_bytes(st, col) != n)
        return -1;
    memcpy(out, sqlite3_column_blob(st, col), n);
    return 0;
}

int seal_keys_load(struct dbc *c, int64_t id, struct seal_keys *k)
{
    static const char sql[] = "SELECT public_key, kdf_salt, kdf_ops, kdf_mem, wrap_nonce,"
                              " wrapped_key FROM account_keys WHERE account_id = ?";
    sqlite3_stmt *st = db_prepare(c, sql, "i", id);
    if (!st) return -1;
    int rc = sqlite3_step(st), out;
    memset(k, 0, sizeof *k);
    if (rc == SQLITE_DONE) {
        out = 0;
    } else if (rc != SQLITE_ROW) {
        out = -1;
    } else {
        int64_t ops = sqlite3_column_int64(st, 2), mem = sqlite3_column_int64(st, 3);
        k->ops = ops > 0 ? (unsigned long long)ops : 0;
        k->mem = mem > 0 ? (size_t)mem : 0;
        out = column_exact(st, 0, k->pk, SEAL_PK) == 0 &&
                      column_exact(st, 1, k->salt, SEAL_SALT) == 0 &&
                      column_exact(st, 4, k->nonce, SEAL_NONCE) == 0 &&
                      column_exact(st, 5, k->wrapped, SEAL_WRAPPED) == 0
                  ? 1
                  : -1;
        if (out < 0) log_error("seal: the key row of account %lld is damaged", (long long)id);
    }
    db_done(st);
    return out;
}

int seal_keys_store_new(struct dbc *w, int64_t id, const struct seal_keys *k)
{
    static const char sql[] =
        "INSERT INTO account_keys(account_id, public_key, kdf_salt, kdf_ops, kdf_mem,"
        " wrap_nonce, wrapped_key) VALUES(?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(account_id) DO UPDATE SET public_key = excluded.public_key,"
        " kdf_salt = excluded.kdf_salt, kdf_ops = excluded.kdf_ops, kdf_mem = excluded.kdf_mem,"
        " wrap_nonce = excluded.wrap_nonce, wrapped_key = excluded.wrapped_key";
    if (db_exec(w, sql, "ibbiibb", id, k->pk, (size_t)SEAL_PK, k->salt, (size_t)SEAL_SALT,
                (int64_t)k->ops, (int64_t)k->mem, k->nonce, (size_t)SEAL_NONCE, k->wrapped,
                (size_t)SEAL_WRAPPED) != 1)
        return -1;
    /* A new pair starts with an empty keyring: entries sealed to the old
     * public key could not be opened any more anyway. */
    return seal_keyring_write(w, id, k->pk, NULL, 0);
}

int seal_keys_store_rewrap(struct dbc *w, int64_t id, const struct seal_keys *k)
{
    static const char sql[] =
        "UPDATE account_keys SET kdf_salt = ?, kdf_ops = ?, kdf_mem = ?, wrap_nonce = ?,"
        " wrapped_key = ? WHERE account_id = ? AND public_key = ?";
    return db_exec(w, sql, "biibbib", k->salt, (size_t)SEAL_SALT, (int64_t)k->ops, (int64_t)k->mem,
                   k->nonce, (size_t)SEAL_NONCE, k->wrapped, (size_t)SEAL_WRAPPED, id, k->pk,
                   (size_t)SEAL_PK) == 1
               ? 0
               : -1;
}

int seal_keys_drop(struct dbc *w, int64_t id)
{
    static const char keys[] = "DELETE FROM account_keys WHERE account_id = ?";
    static const char ring[] = "DELETE FROM keyring WHERE account_id = ?";
    return db_exec(w, ring, "i", id) < 0 || db_exec(w, keys, "i", id) < 0 ? -1 : 0;
}

int seal_session_store(struct dbc *w, const char *token, int64_t id,
                       const unsigned char sk[SEAL_SK])
{
    static const char sql[] = "INSERT INTO session_keys(token_hash, sealed) VALUES(?, ?)";
    unsigned char box[SEAL_SESSION_BOX];
    char hash[AUTH_HEX_LEN + 1];
    if (seal_session_box(token, id, sk, box) != 0) return -1;
    auth_token_hash(token, hash);
    return db_exec(w, sql, "tb", hash, box, sizeof box) == 1 ? 0 : -1;
}

int seal_keyring_read(struct dbc *c, int64_t id, const unsigned char pk[SEAL_PK],
                      const unsigned char sk[SEAL_SK], unsigned char **plain, size_t *len)
{
    static const char sql[] = "SELECT sealed FROM keyring WHERE account_id = ?";
    *plain = NULL;
    *len = 0;
    sqlite3_stmt *st = db_prepare(c, sql, "i", id);
    if (!st) return -1;
    int rc = sqlite3_step(st), out = 0;
    if (rc == SQLITE_ROW)
        out = seal_keyring_open(pk, sk, sqlite3_column_blob(st, 0),
                                (size_t)sqlite3_column_bytes(st, 0), plain, len);
    else if (rc != SQLITE_DONE)
        out = -1;
    db_done(st);
    return out;
}

/* A copy of a blob column (malloc'd; NULL for NULL), its size in *n. */
static unsigned char *column_copy(sqlite3_stmt *st, int col, size_t *n)
{
    *n = 0;
    if (sqlite3_column_type(st, col) != SQLITE_BLOB) return NULL;
    *n = (size_t)sqlite3_column_bytes(st, col);
    unsigned char *p = xmalloc(*n ? *n : 1);
    if (*n) memcpy(p, sqlite3_column_blob(st, col), *n);
    return p;
}

int seal_keyring_fetch(struct dbc *c, int64_t id, const char *token_hash, unsigned char **keyring,
                       size_t *kn, unsigned char **box, size_t *bn)
{
    /* one statement, so that the copy and the keyring are of one moment */
    static const char sql[] = "SELECT k.sealed, s.ring FROM keyring k"
                              " LEFT JOIN session_keys s ON s.token_hash = ?2"
                              " WHERE k.account_id = ?1";
    *keyring = *box = NULL;
    *kn = *bn = 0;
    sqlite3_stmt *st = db_prepare(c, sql, "it", id, token_hash);
    if (!st) return -1;
    int rc = sqlite3_step(st), out = 0;
    if (rc == SQLITE_ROW) {
        *keyring = column_copy(st, 0, kn);
        *box = column_copy(st, 1, bn);
        out = *keyring ? 1 : -1;
    } else if (rc != SQLITE_DONE) {
        out = -1;
    }
    db_done(st);
    return out;
}

int seal_session_ring_store(struct dbc *w, const char *token_hash, const unsigned char *box,
                            size_t n)
{
    static const char sql[] = "UPDATE session_keys SET ring = ?2 WHERE token_hash = ?1";
    return db_exec(w, sql, "tb", token_hash, box, n) >= 0 ? 0 : -1;
}

int seal_members_fetch(struct dbc *c, int64_t id, const char *token_hash,
                       unsigned char head[SEAL_KEYRING_HEAD], unsigned char **box, size_t *bn)
{
    static const char sql[] = "SELECT substr(k.sealed, 1, ?3), s.members FROM keyring k"
                              " LEFT JOIN session_keys s ON s.token_hash = ?2"
                              " WHERE k.account_id = ?1";
    *box = NULL;
    *bn = 0;
    sqlite3_stmt *st = db_prepare(c, sql, "iti", id, token_hash, (int64_t)SEAL_KEYRING_HEAD);
    if (!st) return -1;
    int rc = sqlite3_step(st), out = 0;
    if (rc == SQLITE_ROW) {
        out = sqlite3_column_bytes(st, 0) == SEAL_KEYRING_HEAD ? 1 : -1;
        if (out == 1) {
            memcpy(head, sqlite3_column_blob(st, 0), SEAL_KEYRING_HEAD);
            *box = column_copy(st, 1, bn);
        }
    } else if (rc != SQLITE_DONE) {
        out = -1;
    }
    db_done(st);
    return out;
}

int seal_session_members_store(struct dbc *w, const char *token_hash, const unsigned char *box,
                               size_t n)
{
    static const char sql[] = "UPDATE session_keys SET members = ?2 WHERE token_hash = ?1";
    return db_exec(w, sql, "tb", token_hash, box, n) >= 0 ? 0 : -1;
}

int seal_keyring_write(struct dbc *w, int64_t id, const unsigned char pk[SEAL_PK],
                       const unsigned char *plain, size_t len)
{
    static const char sql[] = "INSERT INTO keyring(account_id, sealed) VALUES(?, ?)"
                              " ON CONFLICT(account_id) DO UPDATE SET sealed = excluded.sealed";
    unsigned char *sealed;
    size_t n;
    if (seal_keyring_close(pk, plain, len, &sealed, &n) != 0) return -1;
    int rc = db_exec(w, sql, "ib", id, sealed, n) == 1 ? 0 : -1;
    free(sealed);
    return rc;
}

/* ---- hooks ---- */

void seal_prep_wipe(struct seal_prep *p)
{
    seal_wipe(p, sizeof *p);
}

int seal_prepare_login(struct dbc *c, int64_t id, const char *password, struct seal_prep *p)
{
    memset(p, 0, sizeof *p);
    int have = seal_keys_load(c, id, &p->keys);
    if (have < 0) return -1;
    if (have == 0) { /* an account from before sealing: the password is at hand */
        if (seal_keys_new(id, password, &p->keys, p->sk) != 0) return -1;
        p->store = 1;
    } else if (seal_keys_unwrap(id, &p->keys, password, p->sk) != 0) {
        /* The password was checked, so the row does not belong to it: an
         * administrator's reset of a database restored from elsewhere, or
         * damage. The session goes on without a key; logged, never the key. */
        log_error("seal: the key of account %lld does not open with its password", (long long)id);
        seal_prep_wipe(p);
        return -1;
    }
    p->ready = 1;
    return 0;
}

int seal_prepare_rewrap(struct req *r, const char *current, const char *new_password,
                        struct seal_prep *p)
{
    memset(p, 0, sizeof *p);
    int64_t id = r->acct->id;
    int have = seal_keys_load(req_db(r), id, &p->keys);
    if (have < 0) return -1;
    if (have == 0) {
        if (seal_keys_new(id, new_password, &p->keys, p->sk) != 0) return -1;
        p->store = 1;
        p->ready = 1;
        return 0;
    }
    /* The session's copy spares one argon2id; without it the current
     * password (already checked) opens the stored wrapping. */
    const unsigned char *open = seal_viewer_secret(r);
    if (open && pair_matches(p->keys.pk, open))
        memcpy(p->sk, open, SEAL_SK);
    else if (seal_keys_unwrap(id, &p->keys, current, p->sk) != 0) {
        seal_prep_wipe(p);
        return -1;
    }
    if (seal_keys_rewrap(id, &p->keys, p->sk, new_password) != 0) {
        seal_prep_wipe(p);
        return -1;
    }
    p->store = 2;
    p->ready = 1;
    return 0;
}

int seal_commit(struct dbc *w, int64_t id, const char *token, struct seal_prep *p)
{
    int rc = 0;
    if (p->ready) {
        /* prepare ran outside this transaction: the stored pair may have
         * changed since (a second first sign-in at the same moment, the
         * administrator's reset). A first pair is written only if none
         * appeared, and a session never gets a key that is not the stored
         * pair's. */
        struct seal_keys now;
        int have = seal_keys_load(w, id, &now);
        if (p->store == 1)
            rc = have == 0 ? seal_keys_store_new(w, id, &p->keys) : -1;
        else if (have != 1 || sodium_memcmp(now.pk, p->keys.pk, SEAL_PK) != 0)
            rc = -1;
        else if (p->store == 2)
            rc = seal_keys_store_rewrap(w, id, &p->keys);
        if (rc == 0) rc = seal_session_store(w, token, id, p->sk);
    }
    seal_prep_wipe(p);
    return rc;
}

int seal_reset(struct dbc *w, int64_t id, const char *password)
{
    struct seal_keys k;
    unsigned char sk[SEAL_SK];
    if (seal_keys_drop(w, id) != 0 || seal_keys_new(id, password, &k, sk) != 0) return -1;
    seal_wipe(sk, sizeof sk); /* nobody needs it now: the next sign-in unwraps it */
    return seal_keys_store_new(w, id, &k);
}

/* ---- the viewer ---- */

static void free_secret(void *p)
{
    seal_free(p);
}

const unsigned char *seal_viewer_secret(struct req *r)
{
    static const char sql[] = "SELECT sealed FROM session_keys WHERE token_hash = ?";
    if (r->seal_tried) return r->seal_sk;
    r->seal_tried = 1;
    const char *token = req_cookie(r, "hr_session");
    if (!r->acct || !r->acct->session_hash || !token) return NULL;
    sqlite3_stmt *st = db_prepare(req_db(r), sql, "t", r->acct->session_hash);
    if (!st) return NULL;
    unsigned char *sk = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        sk = seal_secret_alloc(SEAL_SK);
        if (sk && seal_session_open(token, r->acct->id, sqlite3_column_blob(st, 0),
                                    (size_t)sqlite3_column_bytes(st, 0), sk) != 0) {
            seal_free(sk);
            sk = NULL;
        }
    }
    db_done(st);
    if (sk) arena_defer(r->arena, free_secret, sk);
    r->seal_sk = sk;
    return sk;
}

int seal_viewer_status(struct req *r, char *fingerprint, int *open)
{
    struct seal_keys k;
    *open = 0;
    fingerprint[0] = 0;
    if (!r->acct || seal_keys_load(req_db(r), r->acct->id, &k) != 1) return 0;
    seal_fingerprint(k.pk, fingerprint);
    const unsigned char *sk = seal_viewer_secret(r);
    *open = sk && pair_matches(k.pk, sk);
    return 1;
}
