/*
 * Sealing, step 2: what an account's keyring holds (docs/architecture.md,
 * "Sealing, step 2: secret memberships in keyrings").
 *
 * The keyring (core/seal.h) is one padded blob per account, sealed to its
 * public key. Its entries are the account's memberships that must not be
 * in clear: each says "in community C, I am member M", with C's data key
 * when the member has it. Nothing else in the database ties the account
 * to M, so a copy of the disk cannot tell that this account is in C.
 *
 * Ownership: a struct ring comes from seal_secret_alloc (it holds data
 * keys): ring_free() wipes and frees it. ring_viewer() returns the request's own
 * ring, wiped and freed when the request ends: never free it.
 */
#ifndef HR_KEYRING_H
#define HR_KEYRING_H

#include "core/seal.h"

#include <stddef.h>
#include <stdint.h>

struct dbc;
struct req;

enum {
    /* One entry's bytes in the keyring's plaintext: community id, member
     * id (8 each, little-endian), flags (1), data key (32), the
     * community's random address (15). */
    RING_ENTRY_BYTES = 64,
    /* A secret community's random address: 15 random bytes, written as 24
     * letters and digits (RFC 4648 base32, lower case). */
    RING_ADDRESS_BYTES = 15,
    RING_ADDRESS_LEN = 24,
    /* What the database holds in place of such an address: "~" and the
     * hex of its BLAKE2b hash. */
    RING_ADDRESS_STORED_LEN = 1 + 64,
    /* An entry past this many is refused: a keyring is read on every
     * request that needs it, and nobody is in hundreds of secret
     * communities. */
    RING_MAX = 240,
    /* An invitation's copy of the data key and the address: nonce, key,
     * flags, address, tag. */
    RING_INVITE_BOX = SEAL_NONCE + SEAL_DATA_KEY + 1 + RING_ADDRESS_BYTES + SEAL_TAG, /* 88 */
};

struct ring_entry {
    int64_t community_id;
    int64_t member_id;
    int has_key; /* dk holds the community's data key */
    struct seal_data_key dk;
    int has_address; /* address holds the community's random address */
    unsigned char address[RING_ADDRESS_BYTES];
};

struct ring {
    size_t n;
    struct ring_entry e[RING_MAX];
};

/* Wipes and frees; NULL is fine. */
void ring_free(struct ring *g);

/* The account's ring, opened with its secret key sk, into *out (ring_free).
 * An account without keys or without a keyring gets an empty ring. -1 on a
 * database error or a keyring that does not open with sk. */
int ring_load(struct dbc *c, int64_t account_id, const unsigned char sk[SEAL_SK],
              struct ring **out);

/* The entry of community_id, or NULL. */
const struct ring_entry *ring_find(const struct ring *g, int64_t community_id);

/* Puts e in g, in memory, in place of the entry of the same community: -1
 * when the ring is full. */
int ring_set(struct ring *g, const struct ring_entry *e);
/* On the writer: seals g as the account's keyring (to its public key). */
int ring_save(struct dbc *w, int64_t account_id, const struct ring *g);

/* On the writer, inside the caller's transaction: reads the account's ring
 * afresh, puts e in it (replacing the entry of the same community), seals
 * it again. -1 when sk does not open it or the ring is full. */
int ring_put(struct dbc *w, int64_t account_id, const unsigned char sk[SEAL_SK],
             const struct ring_entry *e);
/* The same, taking out the entry of community_id (none is no error). */
int ring_drop(struct dbc *w, int64_t account_id, const unsigned char sk[SEAL_SK],
              int64_t community_id);

/* The signed-in viewer's ring, opened with this session's key, or NULL
 * (signed out, or no key open in this session). Lazy: read on the first
 * call of a request, as it was then (a write of the request does not
 * change it). */
const struct ring *ring_viewer(struct req *r);
/* The request r's source of data keys for seal() and unseal()
 * (core/sealtext.h): the viewer's keyring, opened on first need. */
const struct seal_data_key *ring_key_source(void *r, int64_t community_id, int *sealed);
/* The member ids of the viewer's ring as a JSON array ("[]" when none), in
 * the request's arena: bound to a query as json_each(?), so that one
 * statement reads clear links and sealed ones alike. */
const char *ring_viewer_member_ids(struct req *r);
/* The same without opening the keyring when the session keeps a copy of
 * its member ids made from the keyring as stored now (seal.h, migration
 * 079): a small symmetric decryption, for the header's count on pages
 * that need nothing else of the keyring. Without such a copy it opens the
 * ring (ring_viewer) and keeps one for the next requests. */
const char *ring_viewer_member_ids_kept(struct req *r);

/* The viewer's communities with a random address, as a JSON object
 * {"community id": "address"} ("{}" when none), in the request's arena:
 * bound to a list's query (SHOWN_SLUG, community.h), which has only the
 * address's hash. */
const char *ring_viewer_addresses(struct req *r);

/* A new random address: raw bytes and their text out[RING_ADDRESS_LEN + 1]. */
void ring_address_new(unsigned char raw[RING_ADDRESS_BYTES], char *text);
/* The text of an address's raw bytes, into out[RING_ADDRESS_LEN + 1]. */
void ring_address_text(const unsigned char raw[RING_ADDRESS_BYTES], char *out);
/* What the database stores for an address (text as in the path), into
 * out[RING_ADDRESS_STORED_LEN + 1]: "~" and the hex of a BLAKE2b hash
 * (keyed with a label of its own), so that a copy of the disk does not
 * hold the address and a path can still be looked up by it. */
void ring_address_stored(const char *text, char *out);

/* An invitation's copy of an entry's data key and address (those the
 * entry has): encrypted under a key derived from the invitation's token
 * (which the server stores only hashed), with the community id bound in,
 * into out[RING_INVITE_BOX]. Whoever holds the link can open it; a copy of
 * the disk cannot. ring_invite_open fills e's key and address (and their
 * flags) from it. */
int ring_invite_box(const char *token, const struct ring_entry *e, unsigned char *out);
int ring_invite_open(const char *token, int64_t community_id, const unsigned char *box, size_t len,
                     struct ring_entry *e);

#endif
