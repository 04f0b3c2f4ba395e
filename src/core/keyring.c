/* The entries of an account's keyring: secret memberships (keyring.h). */
#include "core/keyring.h"
#include "core/app.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* The BLAKE2b key that turns an invitation token into the key of its copy
 * of the data key; a label (the token is the secret). */
static const char KDF_INVITE[] = "hramada/invite-data-key/1.......";
_Static_assert(sizeof KDF_INVITE - 1 == 32, "a BLAKE2b key of 32 bytes");
static const char AD_INVITE[] = "hramada/invite-data-key/1";

/* The label that keys the hash of a random address (keyring.h). */
static const char KDF_ADDRESS[] = "hramada/secret-address/1........";
_Static_assert(sizeof KDF_ADDRESS - 1 == 32, "a BLAKE2b key of 32 bytes");

enum { FLAG_HAS_KEY = 1, FLAG_HAS_ADDRESS = 2 };

/* The flags byte of an entry (in the keyring and in an invitation). */
static unsigned char flags_of(const struct ring_entry *e)
{
    return (unsigned char)((e->has_key ? FLAG_HAS_KEY : 0) |
                           (e->has_address ? FLAG_HAS_ADDRESS : 0));
}

/* Sets e's flags from a byte: -1 for a flag this version does not know. */
static int flags_set(struct ring_entry *e, unsigned char f)
{
    if (f & ~(FLAG_HAS_KEY | FLAG_HAS_ADDRESS)) return -1;
    e->has_key = (f & FLAG_HAS_KEY) != 0;
    e->has_address = (f & FLAG_HAS_ADDRESS) != 0;
    return 0;
}

static int64_t get64(const unsigned char *in)
{
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--)
        u = (u << 8) | in[i];
    return (int64_t)u;
}

void ring_free(struct ring *g)
{
    seal_free(g);
}

static struct ring *ring_new(void)
{
    return seal_secret_alloc(sizeof(struct ring)); /* zeroed */
}

/* Plaintext → entries. An unknown flag or a length that is not whole
 * entries is a keyring this version did not write: refused, not guessed. */
static int ring_decode(const unsigned char *p, size_t len, struct ring *g)
{
    if (len % RING_ENTRY_BYTES != 0 || len / RING_ENTRY_BYTES > RING_MAX) return -1;
    g->n = len / RING_ENTRY_BYTES;
    for (size_t i = 0; i < g->n; i++, p += RING_ENTRY_BYTES) {
        struct ring_entry *e = &g->e[i];
        e->community_id = get64(p);
        e->member_id = get64(p + 8);
        if (flags_set(e, p[16]) != 0) return -1;
        memcpy(e->dk.k, p + 17, SEAL_DATA_KEY);
        memcpy(e->address, p + 17 + SEAL_DATA_KEY, RING_ADDRESS_BYTES);
    }
    return 0;
}

static void ring_encode(const struct ring *g, unsigned char *p)
{
    for (size_t i = 0; i < g->n; i++, p += RING_ENTRY_BYTES) {
        const struct ring_entry *e = &g->e[i];
        memset(p, 0, RING_ENTRY_BYTES);
        seal_put_le64(p, e->community_id);
        seal_put_le64(p + 8, e->member_id);
        p[16] = flags_of(e);
        if (e->has_key) memcpy(p + 17, e->dk.k, SEAL_DATA_KEY);
        if (e->has_address) memcpy(p + 17 + SEAL_DATA_KEY, e->address, RING_ADDRESS_BYTES);
    }
}

int ring_load(struct dbc *c, int64_t account_id, const unsigned char sk[SEAL_SK], struct ring **out)
{
    *out = NULL;
    struct seal_keys k;
    int have = seal_keys_load(c, account_id, &k);
    if (have < 0) return -1;
    struct ring *g = ring_new();
    if (!g) return -1;
    if (have == 0) {
        *out = g;
        return 0;
    }
    unsigned char *plain = NULL;
    size_t len = 0;
    int rc = seal_keyring_read(c, account_id, k.pk, sk, &plain, &len);
    if (rc == 0 && plain) rc = ring_decode(plain, len, g);
    seal_free(plain);
    if (rc != 0) {
        ring_free(g);
        return -1;
    }
    *out = g;
    return 0;
}

const struct ring_entry *ring_find(const struct ring *g, int64_t community_id)
{
    for (size_t i = 0; g && i < g->n; i++)
        if (g->e[i].community_id == community_id) return &g->e[i];
    return NULL;
}

int ring_save(struct dbc *w, int64_t account_id, const struct ring *g)
{
    struct seal_keys k;
    if (seal_keys_load(w, account_id, &k) != 1) return -1;
    size_t len = g->n * RING_ENTRY_BYTES;
    unsigned char *plain = seal_secret_alloc(len ? len : 1);
    if (!plain) return -1;
    ring_encode(g, plain);
    int rc = seal_keyring_write(w, account_id, k.pk, plain, len);
    seal_free(plain);
    return rc;
}

/* Takes the entry of community_id out of g, keeping the others' order. */
static void ring_remove(struct ring *g, int64_t community_id)
{
    size_t j = 0;
    for (size_t i = 0; i < g->n; i++)
        if (g->e[i].community_id != community_id) g->e[j++] = g->e[i];
    sodium_memzero(&g->e[j], (g->n - j) * sizeof g->e[0]);
    g->n = j;
}

int ring_set(struct ring *g, const struct ring_entry *e)
{
    ring_remove(g, e->community_id);
    if (g->n >= RING_MAX) return -1;
    g->e[g->n++] = *e;
    return 0;
}

int ring_put(struct dbc *w, int64_t account_id, const unsigned char sk[SEAL_SK],
             const struct ring_entry *e)
{
    struct ring *g;
    if (ring_load(w, account_id, sk, &g) != 0) return -1;
    int rc = ring_set(g, e) == 0 ? ring_save(w, account_id, g) : -1;
    ring_free(g);
    return rc;
}

int ring_drop(struct dbc *w, int64_t account_id, const unsigned char sk[SEAL_SK],
              int64_t community_id)
{
    struct ring *g;
    if (ring_load(w, account_id, sk, &g) != 0) return -1;
    int rc = 0;
    if (ring_find(g, community_id)) {
        ring_remove(g, community_id);
        rc = ring_save(w, account_id, g);
    }
    ring_free(g);
    return rc;
}

/* ---- the viewer ---- */

static void free_ring(void *p)
{
    ring_free(p);
}

/* Keeps the session's copy of the opened keyring for its next requests:
 * on the request's own write when it has one (committed with it), else in
 * a write of its own, once per session and keyring change. Best effort: a
 * copy not stored only means the next request opens the keyring again. */
static void session_ring_keep(struct req *r, const unsigned char *box, size_t n)
{
    if (r->wr) {
        seal_session_ring_store(r->wr, r->acct->session_hash, box, n);
        return;
    }
    struct dbc *w = db_write_begin(r->app->db);
    if (w)
        db_write_end(r->app->db, w, seal_session_ring_store(w, r->acct->session_hash, box, n) == 0);
}

/* Keeps the session's copy of the ring's member ids (seal.h, migration
 * 079) made from the keyring whose head is given, as session_ring_keep
 * keeps the ring's: best effort. */
static void session_members_keep(struct req *r, const char *token,
                                 const unsigned char head[SEAL_KEYRING_HEAD], const struct ring *g)
{
    int64_t ids[RING_MAX];
    for (size_t i = 0; i < g->n; i++)
        ids[i] = g->e[i].member_id;
    unsigned char *box;
    size_t bn;
    if (seal_session_members_close(token, r->acct->id, head, ids, g->n, &box, &bn) != 0) return;
    if (r->wr) {
        seal_session_members_store(r->wr, r->acct->session_hash, box, bn);
    } else {
        struct dbc *w = db_write_begin(r->app->db);
        if (w)
            db_write_end(r->app->db, w,
                         seal_session_members_store(w, r->acct->session_hash, box, bn) == 0);
    }
    free(box);
}

/* The viewer's ring from the keyring as stored now: through the session's
 * copy when it was made from this very keyring (a symmetric decryption),
 * else opened with the secret key (an X25519 box: the measured cost of a
 * secret community's page, docs/performance.md) and copied for the next
 * request. NULL when there is nothing to open it with. */
static struct ring *viewer_ring_open(struct req *r, const char *token)
{
    struct dbc *c = req_db(r);
    int64_t id = r->acct->id;
    unsigned char *blob, *box, *plain = NULL;
    size_t bn, xn, pn = 0;
    int have = seal_keyring_fetch(c, id, r->acct->session_hash, &blob, &bn, &box, &xn);
    struct ring *g = have >= 0 ? ring_new() : NULL;
    if (g && have == 1 && box &&
        seal_session_ring_open(token, id, blob, bn, box, xn, &plain, &pn) == 0) {
        int ok = ring_decode(plain, pn, g) == 0;
        seal_free(plain);
        free(blob);
        free(box);
        if (ok) return g;
        ring_free(g);
        return NULL;
    }
    free(box);
    const unsigned char *sk = g ? seal_viewer_secret(r) : NULL;
    struct seal_keys k;
    int fine = sk != NULL;
    if (fine && have == 1) /* have 0: no keyring yet, an empty ring */
        fine = seal_keys_load(c, id, &k) == 1 &&
               seal_keyring_open(k.pk, sk, blob, bn, &plain, &pn) == 0 &&
               ring_decode(plain, pn, g) == 0;
    if (fine && have == 1) {
        unsigned char *copy;
        size_t cn;
        if (seal_session_ring_close(token, id, blob, bn, plain, pn, &copy, &cn) == 0) {
            session_ring_keep(r, copy, cn);
            free(copy);
            if (bn >= SEAL_KEYRING_HEAD) session_members_keep(r, token, blob, g);
        }
    }
    seal_free(plain);
    free(blob);
    if (!fine) {
        if (sk) log_error("keyring: the keyring of account %lld does not open", (long long)id);
        ring_free(g);
        return NULL;
    }
    return g;
}

const struct ring *ring_viewer(struct req *r)
{
    if (r->seal_ring_tried) return r->seal_ring;
    r->seal_ring_tried = 1;
    r->seal_ring = NULL;
    const char *token = req_cookie(r, "hr_session");
    if (!r->acct || !r->acct->session_hash || !token) return NULL;
    struct ring *g = viewer_ring_open(r, token);
    if (!g) return NULL;
    arena_defer(r->arena, free_ring, g);
    r->seal_ring = g;
    return g;
}

const struct seal_data_key *ring_key_source(void *ctx, int64_t community_id, int *sealed)
{
    struct req *r = ctx;
    /* A text of the request's community when it was clear at the
     * request's start does not open the keyring: seal() asks the database
     * (sealed since, in this very request, is then an error, not a clear
     * write). */
    *sealed = -1;
    if (!r->acct || (r->comm && r->comm->id == community_id && !r->comm->sealed)) return NULL;
    const struct ring_entry *e = ring_find(ring_viewer(r), community_id);
    return e && e->has_key ? &e->dk : NULL;
}

static const char *ids_json(struct req *r, const int64_t *ids, size_t n)
{
    if (n == 0) return "[]";
    struct buf b;
    buf_init(&b);
    buf_putc(&b, '[');
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
    buf_putc(&b, ']');
    const char *out = arena_strdup(r->arena, b.data);
    buf_free(&b);
    return out;
}

const char *ring_viewer_member_ids(struct req *r)
{
    const struct ring *g = ring_viewer(r);
    if (!g || g->n == 0) return "[]";
    int64_t ids[RING_MAX];
    for (size_t i = 0; i < g->n; i++)
        ids[i] = g->e[i].member_id;
    return ids_json(r, ids, g->n);
}

const char *ring_viewer_member_ids_kept(struct req *r)
{
    if (r->seal_ring_tried) return ring_viewer_member_ids(r); /* opened already: free */
    const char *token = req_cookie(r, "hr_session");
    if (!r->acct || !r->acct->session_hash || !token) return "[]";
    unsigned char head[SEAL_KEYRING_HEAD], *box;
    size_t bn, n = 0;
    int64_t ids[RING_MAX];
    int have = seal_members_fetch(req_db(r), r->acct->id, r->acct->session_hash, head, &box, &bn);
    int ok = have == 1 && box &&
             seal_session_members_open(token, r->acct->id, head, box, bn, ids, RING_MAX, &n) == 0;
    free(box);
    if (ok) return ids_json(r, ids, n);
    if (have == 0) return "[]"; /* no keyring: no sealed member */
    /* No copy yet, or one of another keyring: the ring, and a new copy. */
    const char *out = ring_viewer_member_ids(r);
    if (have == 1 && r->seal_ring) session_members_keep(r, token, head, r->seal_ring);
    return out;
}

const char *ring_viewer_addresses(struct req *r)
{
    const struct ring *g = ring_viewer(r);
    if (!g) return "{}";
    struct buf b;
    buf_init(&b);
    buf_putc(&b, '{');
    int first = 1;
    for (size_t i = 0; i < g->n; i++) {
        if (!g->e[i].has_address) continue;
        char text[RING_ADDRESS_LEN + 1];
        ring_address_text(g->e[i].address, text);
        buf_printf(&b, "%s\"%lld\":\"%s\"", first ? "" : ",", (long long)g->e[i].community_id,
                   text);
        first = 0;
    }
    buf_putc(&b, '}');
    const char *out = arena_strdup(r->arena, b.data);
    buf_free(&b);
    return out;
}

/* ---- random addresses ---- */

void ring_address_text(const unsigned char raw[RING_ADDRESS_BYTES], char *out)
{
    static const char B32[] = "abcdefghijklmnopqrstuvwxyz234567";
    /* 15 bytes are 120 bits: exactly 24 groups of 5. */
    size_t k = 0;
    for (size_t i = 0; i < RING_ADDRESS_BYTES; i += 5) {
        uint64_t v = 0;
        for (size_t j = 0; j < 5; j++)
            v = (v << 8) | raw[i + j];
        for (int s = 35; s >= 0; s -= 5)
            out[k++] = B32[(v >> s) & 31];
    }
    out[k] = 0;
}

void ring_address_new(unsigned char raw[RING_ADDRESS_BYTES], char *text)
{
    randombytes_buf(raw, RING_ADDRESS_BYTES);
    ring_address_text(raw, text);
}

void ring_address_stored(const char *text, char *out)
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)text, strlen(text),
                       (const unsigned char *)KDF_ADDRESS, sizeof KDF_ADDRESS - 1);
    out[0] = '~';
    sodium_bin2hex(out + 1, RING_ADDRESS_STORED_LEN, h, sizeof h);
}

/* ---- an invitation's copy of the data key and address ---- */

enum { AD_INVITE_LEN = sizeof AD_INVITE + AUTH_HEX_LEN + 8 };
_Static_assert((int)AD_INVITE_LEN <= (int)SEAL_TOKEN_AD_MAX,
               "room for an invitation's associated data");

static int invite_key(const char *token, int64_t community_id, unsigned char key[32],
                      unsigned char *ad)
{
    return seal_token_key(token, KDF_INVITE, AD_INVITE, community_id, key, ad) == AD_INVITE_LEN
               ? 0
               : -1;
}

enum { INVITE_PLAIN = SEAL_DATA_KEY + 1 + RING_ADDRESS_BYTES };

int ring_invite_box(const char *token, const struct ring_entry *e, unsigned char *out)
{
    unsigned char key[32], ad[AD_INVITE_LEN], plain[INVITE_PLAIN] = {0};
    if (invite_key(token, e->community_id, key, ad) != 0) return -1;
    if (e->has_key) memcpy(plain, e->dk.k, SEAL_DATA_KEY);
    plain[SEAL_DATA_KEY] = flags_of(e);
    if (e->has_address) memcpy(plain + SEAL_DATA_KEY + 1, e->address, RING_ADDRESS_BYTES);
    randombytes_buf(out, SEAL_NONCE);
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + SEAL_NONCE, NULL, plain, sizeof plain, ad,
                                               sizeof ad, NULL, out, key);
    sodium_memzero(key, sizeof key);
    sodium_memzero(plain, sizeof plain);
    return 0;
}

int ring_invite_open(const char *token, int64_t community_id, const unsigned char *box, size_t len,
                     struct ring_entry *e)
{
    unsigned char key[32], ad[AD_INVITE_LEN], plain[INVITE_PLAIN];
    if (!box || len != RING_INVITE_BOX || invite_key(token, community_id, key, ad) != 0) return -1;
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(plain, NULL, NULL, box + SEAL_NONCE,
                                                        len - SEAL_NONCE, ad, sizeof ad, box, key);
    sodium_memzero(key, sizeof key);
    if (rc == 0) rc = flags_set(e, plain[SEAL_DATA_KEY]);
    if (rc == 0) {
        memcpy(e->dk.k, plain, SEAL_DATA_KEY);
        memcpy(e->address, plain + SEAL_DATA_KEY + 1, RING_ADDRESS_BYTES);
    }
    sodium_memzero(plain, sizeof plain);
    return rc == 0 ? 0 : -1;
}
