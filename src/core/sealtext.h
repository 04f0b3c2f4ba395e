/*
 * Sealing, step 3: texts under a community's data key
 * (docs/architecture.md, "Sealing, step 3: texts").
 *
 * Every connection has two SQL functions, so that a model writes and reads
 * a text of a secret community with the SQL it would write anyway:
 *
 *   seal(text, community_id, 'table.column')
 *       the text, or, when the community has a data key, the text
 *       encrypted under it (XChaCha20-Poly1305, the place bound in). A
 *       community with a key that this connection cannot have is an error,
 *       never a clear text: a write fails rather than leak.
 *   unseal(value, community_id, 'table.column')
 *       a clear text as it is; a sealed one opened, or NULL when this
 *       connection has no key for it (or it was altered or moved).
 *   sealblob(bytes, community_id, 'table.column'),
 *   unsealblob(value, community_id, 'table.column')
 *       the same for a BLOB (a photo), stored as a BLOB: a four-byte mark
 *       and nonce, ciphertext and tag, with no base64 between.
 *
 * A sealed text is stored as text: SEALTEXT_MARK and the unpadded
 * URL-safe base64 of nonce, ciphertext and tag. Text, because the tables
 * are STRICT and their columns TEXT; the mark, because a value tells by
 * itself whether it is sealed, so that a community's rows can be sealed in
 * place when it gets its key, and a row written before stays readable.
 * A clear text that happens to begin with the mark is shown as it is
 * where no key is at hand, and cannot exist where one is (every write
 * there seals).
 *
 * Where the key comes from: the keys a write holds (sealtext_hold, for a
 * key made or received in this transaction), then the connection's
 * source, which a request sets to its viewer's keyring while it borrows
 * the connection. Tools (demo, bench data, the command line) have no
 * source: they can write clear communities only.
 */
#ifndef HR_SEALTEXT_H
#define HR_SEALTEXT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct dbc;
struct seal_data_key;

/* The first byte of a sealed text (ASCII record separator). */
#define SEALTEXT_MARK "\x1e"
/* The error of seal() where the community's key is not open (the viewer
 * waits for it): db.c tells it from a failure of the database. */
#define SEALTEXT_NO_KEY "seal: the community's data key is not open here"

/* A source of keys: the data key of community_id, or NULL. *sealed says
 * what the source knows: 1 the community has a key, 0 it has none (a
 * clear community), -1 it does not know (seal() then asks the database). */
typedef const struct seal_data_key *(*sealtext_key_fn)(void *ctx, int64_t community_id,
                                                       int *sealed);

enum { SEALTEXT_HELD = 4 };
/* A connection's keys (in struct dbc): borrowed pointers, never copies. */
struct sealtext_keys {
    sealtext_key_fn fn;
    void *ctx;
    int n;
    struct {
        int64_t community_id;
        const struct seal_data_key *dk;
    } held[SEALTEXT_HELD];
};

/* Registers seal() and unseal() on h; keys is the connection's. */
int sealtext_register(sqlite3 *h, struct dbc *c, struct sealtext_keys *keys);

/* Sets the connection's source (NULL fn: none) and forgets held keys. */
void sealtext_source(struct sealtext_keys *keys, sealtext_key_fn fn, void *ctx);
/* The write holds dk (borrowed: the caller keeps it alive and wipes it)
 * for community_id until sealtext_release or the transaction's end. -1
 * when SEALTEXT_HELD keys are held already. */
int sealtext_hold(struct sealtext_keys *keys, int64_t community_id, const struct seal_data_key *dk);
void sealtext_release(struct sealtext_keys *keys, int64_t community_id);

/* The data key of community_id as connection c finds it (held, then its
 * source): 1 and *dk; 0 when the community has no key (clear: write as
 * is); -1 when it has one that c cannot have, or on an error (then write
 * nothing). For C code that needs the key itself (keyed word hashes). */
int sealtext_key(struct dbc *c, int64_t community_id, const struct seal_data_key **dk);

/* Words compared without being readable: a keyed hash of each, so that
 * equal words still meet (search, matching) and a copy of the disk cannot
 * test a guess without the community's key. sealtext_word_key derives the
 * key of one use (label: "talent.stems") from the data key into
 * out[SEALTEXT_WORD_KEY]; sealtext_word_hash writes the hash of len bytes
 * of word as SEALTEXT_WORD_HEX lower-case hex digits and a NUL into out. */
enum { SEALTEXT_WORD_KEY = 32, SEALTEXT_WORD_HEX = 16 };
void sealtext_word_key(const struct seal_data_key *dk, const char *label,
                       unsigned char out[SEALTEXT_WORD_KEY]);
void sealtext_word_hash(const unsigned char key[SEALTEXT_WORD_KEY], const char *word, size_t len,
                        char out[SEALTEXT_WORD_HEX + 1]);

/* 1 when s is a sealed text. */
int sealtext_is_sealed(const char *s);
/* The sealed form of len bytes of text, for the place label
 * ("table.column") of community_id: malloc'd (caller frees); NULL when
 * the label is too long. */
char *sealtext_close(const struct seal_data_key *dk, int64_t community_id, const char *label,
                     const char *text, size_t len);
/* The text of a sealed form: malloc'd, NUL-terminated, *len its length
 * (caller frees); NULL when it does not open with dk at that place. */
char *sealtext_open(const struct seal_data_key *dk, int64_t community_id, const char *label,
                    const char *sealed, size_t n, size_t *len);

#endif
