/*
 * Sealing, step 1: the keys (docs/architecture.md, "Sealing, step 1: keys").
 *
 * Every account has an X25519 key pair (libsodium crypto_box). Its secret
 * key is stored wrapped under a key derived from the password (argon2id, a
 * salt of its own); anyone may seal to the public key (crypto_box_seal), so
 * an accepted invitation can add to an account's keyring without its
 * password. A session keeps a copy of the secret key encrypted under a key
 * derived from its cookie, which the server never stores. A secret
 * community's data key is wrapped to each member's public key, and fields
 * are encrypted under it with their place (table, column, row) bound in.
 *
 * Ownership, for every function below:
 *   - Buffers passed in are the caller's and are only read (or, for "out"
 *     parameters, written), never kept.
 *   - A secret key or data key the caller receives into its own array is
 *     the caller's to wipe: seal_wipe() (sodium_memzero) as soon as it is
 *     done, on every path. Functions here wipe every key they make for
 *     themselves before they return.
 *   - Functions that return a pointer to plaintext that holds keys (the
 *     keyring) return memory from seal_secret_alloc: free it with
 *     seal_free(), which wipes it. Ciphertext comes back in malloc'd
 *     memory: plain free().
 *   - seal_viewer_secret() returns memory owned by the request: wiped and
 *     freed when the request ends (arena_defer); never free it.
 * Return values: 0 on success, -1 on failure (bad input, wrong password,
 * tampered or moved ciphertext, database error). No function logs a key.
 */
#ifndef HR_SEAL_H
#define HR_SEAL_H

#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

struct dbc;
struct req;

enum {
    SEAL_PK = crypto_box_PUBLICKEYBYTES,                       /* 32 */
    SEAL_SK = crypto_box_SECRETKEYBYTES,                       /* 32 */
    SEAL_SALT = crypto_pwhash_SALTBYTES,                       /* 16 */
    SEAL_NONCE = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, /* 24 */
    SEAL_TAG = crypto_aead_xchacha20poly1305_ietf_ABYTES,      /* 16 */
    SEAL_WRAPPED = SEAL_SK + SEAL_TAG,                         /* 48 */
    SEAL_BOX = crypto_box_SEALBYTES,                           /* 48: what a sealed box adds */
    SEAL_DATA_KEY = 32,
    /* A data key sealed to a member: community id (8) and key, sealed. */
    SEAL_DATA_KEY_WRAPPED = 8 + SEAL_DATA_KEY + SEAL_BOX, /* 88 */
    /* A field's ciphertext adds a nonce and a tag to the plaintext. */
    SEAL_FIELD_OVERHEAD = SEAL_NONCE + SEAL_TAG, /* 40 */
    /* A session's copy of the secret key: nonce, key, tag. */
    SEAL_SESSION_BOX = SEAL_NONCE + SEAL_WRAPPED, /* 72 */
    /* The keyring's plaintext is padded to whole blocks of this size. */
    SEAL_KEYRING_BLOCK = 1024,
    /* A fingerprint: 8 groups of 4 hex digits separated by spaces. */
    SEAL_FINGERPRINT_LEN = 39,
};

/* The cost of the argon2id derivation of new wrappings. Configuration:
 * set once at start-up, before threads start (main does, as for password
 * hashes; tests lower the memory). The default is libsodium's
 * "interactive" (2 passes, 64 MiB), the same as password hashes. Each row
 * keeps the cost it was made with, so a changed default still opens it. */
void seal_set_cost(unsigned long long ops, size_t mem);

/* v as 8 bytes, least significant first (ids inside boxes and their
 * associated data). */
void seal_put_le64(unsigned char *out, int64_t v);

/* ---- keys from a secret token the server keeps only hashed ---- */

enum { SEAL_TOKEN_AD_MAX = 128 };
/* A key for a box that whoever holds the token can open (a session
 * cookie, an invitation link): BLAKE2b of the token keyed with kdf_label
 * (32 characters: the purpose), into key (the caller wipes it); and the
 * box's associated data into ad (SEAL_TOKEN_AD_MAX bytes of room): the
 * purpose ad_label with its NUL, the token's stored hash and id, so that
 * the box opens only for this token, purpose and id. Returns the length
 * of ad, or 0 for a malformed token. */
size_t seal_token_key(const char *token, const char *kdf_label, const char *ad_label, int64_t id,
                      unsigned char key[32], unsigned char *ad);

/* Wipes n bytes (sodium_memzero). */
void seal_wipe(void *p, size_t n);
/* Frees (and wipes) memory returned by this module's *_open functions;
 * NULL is fine. */
/* Memory for the secrets of one request or one operation (a keyring
 * opened, a secret key copied): zeroed; NULL when out of memory.
 * seal_free() wipes and frees it (NULL is fine). Not sodium_malloc: its
 * guard pages and locking cost several system calls per block, and under
 * load those serialised the worker threads on the kernel's lock of the
 * address space (bench/sealed: a secret community's dashboard served a
 * third of a closed one's requests per second at a sixth more
 * instructions). Keeping memory out of swap is the process's
 * (serve --lock-memory, docs/deploy.md): the texts a request opens live
 * in ordinary memory anyway. */
void *seal_secret_alloc(size_t n);
void seal_free(void *p);

/* ---- an account's key pair, wrapped under its password ---- */

/* What the account_keys row holds: nothing secret without the password. */
struct seal_keys {
    unsigned char pk[SEAL_PK];
    unsigned char salt[SEAL_SALT];
    unsigned char nonce[SEAL_NONCE];
    unsigned char wrapped[SEAL_WRAPPED];
    unsigned long long ops;
    size_t mem;
};

/* A new key pair for account id, its secret key wrapped under password:
 * fills *k and sk (the caller's to wipe). Slow: one argon2id. */
int seal_keys_new(int64_t id, const char *password, struct seal_keys *k, unsigned char sk[SEAL_SK]);
/* Unwraps k's secret key with password into sk, and checks that it is the
 * secret key of k's public key. -1 for a wrong password, or a row that was
 * moved (another account id) or changed. Slow: one argon2id. */
int seal_keys_unwrap(int64_t id, const struct seal_keys *k, const char *password,
                     unsigned char sk[SEAL_SK]);
/* Wraps sk afresh under password (new salt, new nonce, the current cost);
 * the public key stays. Slow: one argon2id. */
int seal_keys_rewrap(int64_t id, struct seal_keys *k, const unsigned char sk[SEAL_SK],
                     const char *password);
/* "a1b2 c3d4 ..." of a public key, into out[SEAL_FINGERPRINT_LEN + 1]: a
 * person can compare it between sessions and after a password change. */
void seal_fingerprint(const unsigned char pk[SEAL_PK], char *out);

/* ---- sealed boxes: anyone may seal to a public key ---- */

/* out receives len + SEAL_BOX bytes. */
int seal_box(const unsigned char pk[SEAL_PK], const unsigned char *msg, size_t len,
             unsigned char *out);
/* out receives len - SEAL_BOX bytes; -1 when not sealed to this pair or
 * altered. */
int seal_box_open(const unsigned char pk[SEAL_PK], const unsigned char sk[SEAL_SK],
                  const unsigned char *box, size_t len, unsigned char *out);

/* ---- a community's data key ---- */

struct seal_data_key {
    unsigned char k[SEAL_DATA_KEY];
};

/* 32 random bytes. The caller wipes it (seal_wipe(&dk, sizeof dk)). */
void seal_data_key_new(struct seal_data_key *dk);
/* Seals dk to a member's public key, with the community id inside, into
 * out[SEAL_DATA_KEY_WRAPPED]. */
int seal_data_key_wrap(const struct seal_data_key *dk, int64_t community_id,
                       const unsigned char pk[SEAL_PK], unsigned char *out);
/* Opens a wrapped data key; -1 unless it was sealed to this pair for this
 * community (a wrapped key moved to another community's row fails). */
int seal_data_key_unwrap(const unsigned char *wrapped, size_t len, int64_t community_id,
                         const unsigned char pk[SEAL_PK], const unsigned char sk[SEAL_SK],
                         struct seal_data_key *dk);

/* ---- a field under a data key ---- */

/* Encrypts len bytes of plain for the field (table, column, row) into out,
 * which receives len + SEAL_FIELD_OVERHEAD bytes (nonce, ciphertext, tag).
 * The place is associated data: a ciphertext copied to another row, column
 * or table does not decrypt. */
int seal_field_encrypt(const struct seal_data_key *dk, const char *table, const char *column,
                       int64_t row, const unsigned char *plain, size_t len, unsigned char *out);
/* The reverse: out receives len - SEAL_FIELD_OVERHEAD bytes; -1 when the
 * ciphertext was altered, moved, or is under another key. */
int seal_field_decrypt(const struct seal_data_key *dk, const char *table, const char *column,
                       int64_t row, const unsigned char *cipher, size_t len, unsigned char *out);

/* ---- the keyring: one padded blob per account, sealed to it ---- */

/* Pads len bytes of entries to whole SEAL_KEYRING_BLOCKs and seals them to
 * pk: *out is malloc'd (caller frees), *outlen its size. */
int seal_keyring_close(const unsigned char pk[SEAL_PK], const unsigned char *plain, size_t len,
                       unsigned char **out, size_t *outlen);
/* Opens and unpads: *plain from seal_secret_alloc (seal_free), *len the
 * entries' length (0 for an empty keyring). */
int seal_keyring_open(const unsigned char pk[SEAL_PK], const unsigned char sk[SEAL_SK],
                      const unsigned char *sealed, size_t n, unsigned char **plain, size_t *len);

/* ---- a session's copy of the secret key ---- */

/* Encrypts sk for the session whose cookie token is given, into
 * out[SEAL_SESSION_BOX]: under a key derived from the token (BLAKE2b keyed
 * for this purpose only; the stored token hash is the unkeyed BLAKE2b, from
 * which the key cannot be had), with the token's hash and the account id
 * bound in. */
int seal_session_box(const char *token, int64_t id, const unsigned char sk[SEAL_SK],
                     unsigned char *out);
int seal_session_open(const char *token, int64_t id, const unsigned char *box, size_t len,
                      unsigned char sk[SEAL_SK]);

/* ---- a session's copy of the opened keyring (docs/architecture.md,
 * "The keyring opened once a session") ---- */

/* The keyring's entries (plain, len bytes) for the session whose cookie
 * token is given, under a key derived from the token as above (with a
 * label of its own), bound to the account and to the stored keyring they
 * were opened from (keyring: its sealed bytes, kn of them, whose BLAKE2b
 * hash is associated data): the copy opens only while that keyring is
 * unchanged. *out malloc'd (caller frees). */
int seal_session_ring_close(const char *token, int64_t id, const unsigned char *keyring, size_t kn,
                            const unsigned char *plain, size_t len, unsigned char **out,
                            size_t *outlen);
/* The reverse: 0 and *plain from seal_secret_alloc (seal_free), or -1 when
 * the copy was made from another keyring, another token or account, or
 * was altered. */
int seal_session_ring_open(const char *token, int64_t id, const unsigned char *keyring, size_t kn,
                           const unsigned char *box, size_t n, unsigned char **plain, size_t *len);

/* ---- a session's copy of its keyring's member ids (migration 079) ----
 *
 * What the header's count needs and nothing more: the member ids of the
 * keyring, padded to a multiple of SEAL_MEMBERS_BLOCK ids (the count of a
 * person's secret memberships is not in the copy's length), under a key
 * derived from the cookie token with a label of its own, bound to the
 * account and to the stored keyring's first SEAL_KEYRING_HEAD bytes (the
 * sealed box's one-time public key: new at every reseal), so that it opens
 * only while the keyring is the one it was made from. No hash of the
 * whole keyring and no 1 KB decryption: the reason it exists. */
enum { SEAL_MEMBERS_BLOCK = 16, SEAL_KEYRING_HEAD = 32 };
/* ids: n member ids. *out malloc'd (caller frees). 0, or -1. */
int seal_session_members_close(const char *token, int64_t id,
                               const unsigned char head[SEAL_KEYRING_HEAD], const int64_t *ids,
                               size_t n, unsigned char **out, size_t *outlen);
/* The reverse into ids (room for cap; *n of them, padding dropped): 0, or
 * -1 when it does not open (another keyring, token or account, altered) or
 * holds more than cap. */
int seal_session_members_open(const char *token, int64_t id,
                              const unsigned char head[SEAL_KEYRING_HEAD], const unsigned char *box,
                              size_t bn, int64_t *ids, size_t cap, size_t *n);

/* ---- storage (tables of src/sql/040_account_keys.sql) ---- */

/* 1 and *k filled when the account has keys, 0 when it has none, -1 on a
 * database error. */
int seal_keys_load(struct dbc *c, int64_t id, struct seal_keys *k);
/* Writes a new key pair and an empty keyring, replacing any (the
 * administrator's password reset). */
int seal_keys_store_new(struct dbc *w, int64_t id, const struct seal_keys *k);
/* Writes a new wrapping of the same key pair: -1 unless the stored public
 * key is still k->pk (the keyring stays valid). */
int seal_keys_store_rewrap(struct dbc *w, int64_t id, const struct seal_keys *k);
/* Deletes the account's key pair and keyring. */
int seal_keys_drop(struct dbc *w, int64_t id);
/* Stores the session's copy of sk (the session row must exist). */
int seal_session_store(struct dbc *w, const char *token, int64_t id,
                       const unsigned char sk[SEAL_SK]);
/* The account's keyring, opened: *plain from seal_secret_alloc (seal_free). 0
 * with *plain NULL when the account has no keyring yet. */
int seal_keyring_read(struct dbc *c, int64_t id, const unsigned char pk[SEAL_PK],
                      const unsigned char sk[SEAL_SK], unsigned char **plain, size_t *len);
/* The account's stored keyring as it is (*keyring malloc'd, sealed) and
 * the session's copy of it opened (*box malloc'd, NULL when none), in one
 * read: 1, 0 when the account has no keyring, -1 on an error. */
int seal_keyring_fetch(struct dbc *c, int64_t id, const char *token_hash, unsigned char **keyring,
                       size_t *kn, unsigned char **box, size_t *bn);
/* The stored keyring's head (its first SEAL_KEYRING_HEAD bytes into head)
 * and the session's copy of its member ids (*box malloc'd, NULL when
 * none), in one read: 1, 0 when the account has no keyring, -1 on an
 * error. */
int seal_members_fetch(struct dbc *c, int64_t id, const char *token_hash,
                       unsigned char head[SEAL_KEYRING_HEAD], unsigned char **box, size_t *bn);
/* Stores a session's copy of its member ids (seal_session_members_close). */
int seal_session_members_store(struct dbc *w, const char *token_hash, const unsigned char *box,
                               size_t n);
/* Stores a session's copy of the opened keyring (seal_session_ring_close). */
int seal_session_ring_store(struct dbc *w, const char *token_hash, const unsigned char *box,
                            size_t n);
/* Replaces the account's keyring with plain (len bytes), sealed to pk. */
int seal_keyring_write(struct dbc *w, int64_t id, const unsigned char pk[SEAL_PK],
                       const unsigned char *plain, size_t len);

/* ---- the hooks of sign-in, sign-up and password change ----
 *
 * Argon2id is slow on purpose, so it runs before the write transaction
 * (prepare, on a reader) and the writer is held only to store (commit). */
struct seal_prep {
    int ready; /* sk holds the account's secret key */
    int store; /* 1: keys to write as a new pair, 2: as a new wrapping */
    struct seal_keys keys;
    unsigned char sk[SEAL_SK];
};

/* At sign-in (the password was checked): unwraps the account's secret key,
 * or makes a key pair for an account from before sealing. A failure leaves
 * p not ready; the session then has no key open. */
int seal_prepare_login(struct dbc *c, int64_t id, const char *password, struct seal_prep *p);
/* At a password change by the account itself: the secret key from this
 * session (r's viewer) or, when the session has none open, unwrapped with
 * the current password; wrapped anew under the new one. An account without
 * keys gets a pair. */
int seal_prepare_rewrap(struct req *r, const char *current, const char *new_password,
                        struct seal_prep *p);
/* In the write transaction, after the session row was made: writes the
 * keys when p says so and the session's copy of the secret key; wipes p.
 * With p not ready it only wipes and returns 0 (a session without key).
 * -1 when the stored keys changed since prepare (the caller rolls back:
 * nothing is written over a pair made meanwhile, and no session gets a key
 * that is not the stored pair's). */
int seal_commit(struct dbc *w, int64_t id, const char *token, struct seal_prep *p);
/* The administrator's password reset (`hramada user passwd`): the old
 * secret key cannot be opened without the old password, so the account's
 * key pair and keyring are deleted and a new pair is made, wrapped under
 * the new password, with an empty keyring. Slow: one argon2id. */
int seal_reset(struct dbc *w, int64_t id, const char *password);
/* Wipes p (every path that does not reach seal_commit). */
void seal_prep_wipe(struct seal_prep *p);

/* ---- the viewer ---- */

/* The signed-in viewer's secret key, opened from this session's copy with
 * the cookie, or NULL (signed out, no keys yet, a session from before
 * sealing, or a session row without its cookie). Lazy: read and opened on
 * the first call of a request, then the same pointer. Owned by the request
 * (SEAL_SK bytes, wiped when it ends). */
const unsigned char *seal_viewer_secret(struct req *r);
/* The viewer's key state for the account page: 1 and the fingerprint of
 * the public key when the account has keys (*open: this session has the
 * secret key open and it matches), 0 when it has none yet. */
int seal_viewer_status(struct req *r, char *fingerprint, int *open);

#endif
