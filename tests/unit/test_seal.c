/* Unit tests of sealing, step 1 (core/seal.c): the account's key pair
 * wrapped under its password, sealed boxes, data keys, field encryption,
 * the keyring, the session's copy, and their storage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/auth.h"
#include "core/db.h"
#include "core/migrate.h"
#include "core/seal.h"
#include "core/sealtext.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char PW[] = "correct horse battery";

/* 1 if needle (n bytes) occurs in hay (len bytes). */
static int contains(const unsigned char *hay, size_t len, const unsigned char *needle, size_t n)
{
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0) return 1;
    return 0;
}

static void wrap_and_unwrap(void **state)
{
    (void)state;
    struct seal_keys k;
    unsigned char sk[SEAL_SK], back[SEAL_SK], pk[SEAL_PK];
    assert_int_equal(seal_keys_new(7, PW, &k, sk), 0);
    assert_int_equal(crypto_scalarmult_base(pk, sk), 0);
    assert_memory_equal(pk, k.pk, SEAL_PK);
    assert_false(contains(k.wrapped, sizeof k.wrapped, sk, 8)); /* not in clear */
    assert_int_equal(seal_keys_unwrap(7, &k, PW, back), 0);
    assert_memory_equal(back, sk, SEAL_SK);
    /* Two accounts with the same password get different pairs and salts. */
    struct seal_keys k2;
    unsigned char sk2[SEAL_SK];
    assert_int_equal(seal_keys_new(8, PW, &k2, sk2), 0);
    assert_memory_not_equal(k.pk, k2.pk, SEAL_PK);
    assert_memory_not_equal(k.salt, k2.salt, SEAL_SALT);
    seal_wipe(sk, sizeof sk);
    seal_wipe(sk2, sizeof sk2);
    seal_wipe(back, sizeof back);
    /* wiped means zero */
    unsigned char zero[SEAL_SK] = {0};
    assert_memory_equal(sk, zero, SEAL_SK);
}

static void wrong_password_fails(void **state)
{
    (void)state;
    struct seal_keys k;
    unsigned char sk[SEAL_SK], back[SEAL_SK];
    assert_int_equal(seal_keys_new(7, PW, &k, sk), 0);
    memset(back, 0xAA, sizeof back);
    assert_int_equal(seal_keys_unwrap(7, &k, "correct horse batterY", back), -1);
    assert_int_equal(seal_keys_unwrap(7, &k, "", back), -1);
    /* a failure leaves no partial key behind */
    unsigned char zero[SEAL_SK] = {0};
    assert_memory_equal(back, zero, SEAL_SK);
    seal_wipe(sk, sizeof sk);
}

static void moved_or_changed_rows_fail(void **state)
{
    (void)state;
    struct seal_keys a, b, t;
    unsigned char ska[SEAL_SK], skb[SEAL_SK], out[SEAL_SK];
    assert_int_equal(seal_keys_new(7, PW, &a, ska), 0);
    assert_int_equal(seal_keys_new(8, PW, &b, skb), 0);
    /* account 7's row copied to account 8 (same password): refused */
    assert_int_equal(seal_keys_unwrap(8, &a, PW, out), -1);
    /* 8's wrapped key beside 7's public key */
    t = a;
    memcpy(t.wrapped, b.wrapped, SEAL_WRAPPED);
    memcpy(t.nonce, b.nonce, SEAL_NONCE);
    memcpy(t.salt, b.salt, SEAL_SALT);
    assert_int_equal(seal_keys_unwrap(7, &t, PW, out), -1);
    assert_int_equal(seal_keys_unwrap(8, &t, PW, out), -1);
    /* 7's public key replaced by 8's (a key the attacker controls) */
    t = a;
    memcpy(t.pk, b.pk, SEAL_PK);
    assert_int_equal(seal_keys_unwrap(7, &t, PW, out), -1);
    /* one bit anywhere */
    t = a;
    t.wrapped[5] ^= 1;
    assert_int_equal(seal_keys_unwrap(7, &t, PW, out), -1);
    t = a;
    t.salt[0] ^= 1;
    assert_int_equal(seal_keys_unwrap(7, &t, PW, out), -1);
    t = a;
    t.nonce[3] ^= 1;
    assert_int_equal(seal_keys_unwrap(7, &t, PW, out), -1);
    /* a cost beyond what we run is refused, not run */
    t = a;
    t.mem = (size_t)1 << 40;
    assert_int_equal(seal_keys_unwrap(7, &t, PW, out), -1);
    assert_int_equal(seal_keys_unwrap(7, &a, PW, out), 0);
    assert_memory_equal(out, ska, SEAL_SK);
    seal_wipe(ska, sizeof ska);
    seal_wipe(skb, sizeof skb);
    seal_wipe(out, sizeof out);
}

static void rewrap_keeps_the_pair(void **state)
{
    (void)state;
    struct seal_keys k;
    unsigned char sk[SEAL_SK], out[SEAL_SK], pk[SEAL_PK];
    assert_int_equal(seal_keys_new(7, PW, &k, sk), 0);
    memcpy(pk, k.pk, SEAL_PK);
    unsigned char salt[SEAL_SALT];
    memcpy(salt, k.salt, SEAL_SALT);
    assert_int_equal(seal_keys_rewrap(7, &k, sk, "a new password"), 0);
    assert_memory_equal(k.pk, pk, SEAL_PK);
    assert_memory_not_equal(k.salt, salt, SEAL_SALT); /* a fresh salt */
    assert_int_equal(seal_keys_unwrap(7, &k, PW, out), -1);
    assert_int_equal(seal_keys_unwrap(7, &k, "a new password", out), 0);
    assert_memory_equal(out, sk, SEAL_SK);
    /* a secret key that is not this pair's is not wrapped in its place */
    unsigned char other[SEAL_SK];
    randombytes_buf(other, sizeof other);
    assert_int_equal(seal_keys_rewrap(7, &k, other, "x"), -1);
    char fp[SEAL_FINGERPRINT_LEN + 1];
    seal_fingerprint(k.pk, fp);
    assert_int_equal(strlen(fp), SEAL_FINGERPRINT_LEN);
    seal_wipe(sk, sizeof sk);
    seal_wipe(out, sizeof out);
}

static void sealed_boxes(void **state)
{
    (void)state;
    unsigned char pk[SEAL_PK], sk[SEAL_SK], pk2[SEAL_PK], sk2[SEAL_SK];
    crypto_box_keypair(pk, sk);
    crypto_box_keypair(pk2, sk2);
    const unsigned char msg[] = "community 42, member 17";
    unsigned char box[sizeof msg + SEAL_BOX], out[sizeof msg];
    assert_int_equal(seal_box(pk, msg, sizeof msg, box), 0);
    assert_false(contains(box, sizeof box, msg, 8));
    assert_int_equal(seal_box_open(pk, sk, box, sizeof box, out), 0);
    assert_memory_equal(out, msg, sizeof msg);
    /* another pair cannot open it */
    assert_int_equal(seal_box_open(pk2, sk2, box, sizeof box, out), -1);
    /* any change is found */
    for (size_t i = 0; i < sizeof box; i += 7) {
        box[i] ^= 0x40;
        assert_int_equal(seal_box_open(pk, sk, box, sizeof box, out), -1);
        box[i] ^= 0x40;
    }
    assert_int_equal(seal_box_open(pk, sk, box, SEAL_BOX - 1, out), -1);
    seal_wipe(sk, sizeof sk);
    seal_wipe(sk2, sizeof sk2);
}

static void data_keys_to_members(void **state)
{
    (void)state;
    unsigned char pk[SEAL_PK], sk[SEAL_SK], pk2[SEAL_PK], sk2[SEAL_SK];
    crypto_box_keypair(pk, sk);
    crypto_box_keypair(pk2, sk2);
    struct seal_data_key dk, back;
    seal_data_key_new(&dk);
    unsigned char w[SEAL_DATA_KEY_WRAPPED];
    assert_int_equal(seal_data_key_wrap(&dk, 5, pk, w), 0);
    assert_false(contains(w, sizeof w, dk.k, 8));
    assert_int_equal(seal_data_key_unwrap(w, sizeof w, 5, pk, sk, &back), 0);
    assert_memory_equal(back.k, dk.k, SEAL_DATA_KEY);
    /* moved to another community's row */
    assert_int_equal(seal_data_key_unwrap(w, sizeof w, 6, pk, sk, &back), -1);
    /* another member */
    assert_int_equal(seal_data_key_unwrap(w, sizeof w, 5, pk2, sk2, &back), -1);
    w[40] ^= 1;
    assert_int_equal(seal_data_key_unwrap(w, sizeof w, 5, pk, sk, &back), -1);
    seal_wipe(&dk, sizeof dk);
    seal_wipe(&back, sizeof back);
    seal_wipe(sk, sizeof sk);
    seal_wipe(sk2, sizeof sk2);
}

static void fields_round_trip_and_stay_in_place(void **state)
{
    (void)state;
    struct seal_data_key dk, other;
    seal_data_key_new(&dk);
    seal_data_key_new(&other);
    const char *text = "Двор на Сурганова, 12";
    size_t n = strlen(text);
    unsigned char *c = malloc(n + SEAL_FIELD_OVERHEAD), *c2 = malloc(n + SEAL_FIELD_OVERHEAD);
    unsigned char *out = malloc(n + 1);
    assert_int_equal(
        seal_field_encrypt(&dk, "communities", "name", 3, (const unsigned char *)text, n, c), 0);
    assert_false(contains(c, n + SEAL_FIELD_OVERHEAD, (const unsigned char *)text, 6));
    assert_int_equal(
        seal_field_decrypt(&dk, "communities", "name", 3, c, n + SEAL_FIELD_OVERHEAD, out), 0);
    assert_memory_equal(out, text, n);
    /* the same text twice: different ciphertexts (a fresh nonce each) */
    assert_int_equal(
        seal_field_encrypt(&dk, "communities", "name", 3, (const unsigned char *)text, n, c2), 0);
    assert_memory_not_equal(c, c2, n + SEAL_FIELD_OVERHEAD);
    size_t len = n + SEAL_FIELD_OVERHEAD;
    /* swapped to another row, column or table */
    assert_int_equal(seal_field_decrypt(&dk, "communities", "name", 4, c, len, out), -1);
    assert_int_equal(seal_field_decrypt(&dk, "communities", "description", 3, c, len, out), -1);
    assert_int_equal(seal_field_decrypt(&dk, "talent_entries", "name", 3, c, len, out), -1);
    /* ("ab","c") is not ("a","bc") */
    assert_int_equal(seal_field_decrypt(&dk, "communitiesn", "ame", 3, c, len, out), -1);
    /* under another community's key */
    assert_int_equal(seal_field_decrypt(&other, "communities", "name", 3, c, len, out), -1);
    /* tampered anywhere: nonce, body, tag; cut short */
    size_t where[] = {0, SEAL_NONCE, SEAL_NONCE + 5, len - 1};
    for (size_t i = 0; i < HR_ARRAY_LEN(where); i++) {
        c[where[i]] ^= 0x01;
        assert_int_equal(seal_field_decrypt(&dk, "communities", "name", 3, c, len, out), -1);
        c[where[i]] ^= 0x01;
    }
    assert_int_equal(seal_field_decrypt(&dk, "communities", "name", 3, c, len - 1, out), -1);
    assert_int_equal(seal_field_decrypt(&dk, "communities", "name", 3, c, 10, out), -1);
    /* an empty field is a valid field */
    unsigned char e[SEAL_FIELD_OVERHEAD], eo[1];
    assert_int_equal(seal_field_encrypt(&dk, "t", "c", 1, NULL, 0, e), 0);
    assert_int_equal(seal_field_decrypt(&dk, "t", "c", 1, e, sizeof e, eo), 0);
    free(c);
    free(c2);
    free(out);
    seal_wipe(&dk, sizeof dk);
    seal_wipe(&other, sizeof other);
}

/* A text as the tables hold it (core/sealtext.c): the mark and URL-safe
 * base64, opened by its own decoder. Every length, so that every
 * remainder of the base64 is met; then encodings that are not its own. */
static void sealed_texts_round_trip(void **state)
{
    (void)state;
    struct seal_data_key dk;
    seal_data_key_new(&dk);
    char text[200];
    for (size_t n = 0; n < sizeof text; n++) {
        memset(text, 'a' + (int)(n % 26), n);
        text[n] = 0;
        char *sealed = sealtext_close(&dk, 7, "members.name", text, n);
        assert_non_null(sealed);
        assert_true(sealtext_is_sealed(sealed));
        size_t len = 99;
        char *open = sealtext_open(&dk, 7, "members.name", sealed, strlen(sealed), &len);
        assert_non_null(open);
        assert_int_equal(len, n);
        assert_string_equal(open, text);
        free(open);
        /* another place, another community: nothing */
        assert_null(sealtext_open(&dk, 7, "members.note", sealed, strlen(sealed), &len));
        assert_null(sealtext_open(&dk, 8, "members.name", sealed, strlen(sealed), &len));
        free(sealed);
    }
    /* a text longer than the decoder's stack buffer (a talent's body) */
    char *body = malloc(3001);
    for (size_t i = 0; i < 3000; i++)
        body[i] = (char)('a' + (int)(i % 26));
    body[3000] = 0;
    char *long_sealed = sealtext_close(&dk, 7, "talent_entries.body", body, 3000);
    size_t long_len = 0;
    char *long_open =
        sealtext_open(&dk, 7, "talent_entries.body", long_sealed, strlen(long_sealed), &long_len);
    assert_non_null(long_open);
    assert_int_equal(long_len, 3000);
    assert_string_equal(long_open, body);
    free(long_open);
    free(long_sealed);
    free(body);
    char *sealed = sealtext_close(&dk, 7, "members.name", "Ирина", strlen("Ирина"));
    size_t n = strlen(sealed), len;
    char *name = sealtext_open(&dk, 7, "members.name", sealed, n, &len);
    assert_non_null(name);
    assert_string_equal(name, "Ирина");
    free(name);
    char *copy = malloc(n + 2);
    /* a letter outside the alphabet, padding, one letter too many or too
     * few, the last letter's unused bits set, the mark missing */
    static const char bad[] = {'+', '/', '=', ' ', '\n'};
    for (size_t i = 0; i < sizeof bad; i++) {
        memcpy(copy, sealed, n + 1);
        copy[n / 2] = bad[i];
        assert_null(sealtext_open(&dk, 7, "members.name", copy, n, &len));
    }
    memcpy(copy, sealed, n + 1);
    copy[n] = 'A', copy[n + 1] = 0;
    assert_null(sealtext_open(&dk, 7, "members.name", copy, n + 1, &len));
    assert_null(sealtext_open(&dk, 7, "members.name", sealed, n - 1, &len));
    memcpy(copy, sealed, n + 1);
    copy[n - 1] = copy[n - 1] == '_' ? '-' : '_';
    assert_null(sealtext_open(&dk, 7, "members.name", copy, n, &len));
    assert_null(sealtext_open(&dk, 7, "members.name", sealed + 1, n - 1, &len));
    free(copy);
    free(sealed);
    seal_wipe(&dk, sizeof dk);
}

static void keyring_is_padded_and_sealed(void **state)
{
    (void)state;
    unsigned char pk[SEAL_PK], sk[SEAL_SK], pk2[SEAL_PK], sk2[SEAL_SK];
    crypto_box_keypair(pk, sk);
    crypto_box_keypair(pk2, sk2);
    unsigned char *s0, *s1, *s2, *plain;
    size_t n0, n1, n2, len;
    unsigned char entries[1100];
    for (size_t i = 0; i < sizeof entries; i++)
        entries[i] = (unsigned char)(i * 7);
    assert_int_equal(seal_keyring_close(pk, NULL, 0, &s0, &n0), 0);
    assert_int_equal(seal_keyring_close(pk, entries, 64, &s1, &n1), 0);
    assert_int_equal(seal_keyring_close(pk, entries, sizeof entries, &s2, &n2), 0);
    /* empty and one entry: the same size; past a block: the next size */
    assert_int_equal(n0, SEAL_KEYRING_BLOCK + SEAL_BOX);
    assert_int_equal(n1, n0);
    assert_int_equal(n2, 2 * SEAL_KEYRING_BLOCK + SEAL_BOX);
    assert_int_equal(seal_keyring_open(pk, sk, s0, n0, &plain, &len), 0);
    assert_int_equal(len, 0);
    seal_free(plain);
    assert_int_equal(seal_keyring_open(pk, sk, s1, n1, &plain, &len), 0);
    assert_int_equal(len, 64);
    assert_memory_equal(plain, entries, 64);
    seal_free(plain);
    assert_int_equal(seal_keyring_open(pk, sk, s2, n2, &plain, &len), 0);
    assert_int_equal(len, sizeof entries);
    assert_memory_equal(plain, entries, sizeof entries);
    seal_free(plain);
    /* another pair; a changed byte; a cut blob */
    assert_int_equal(seal_keyring_open(pk2, sk2, s1, n1, &plain, &len), -1);
    assert_null(plain);
    s1[100] ^= 1;
    assert_int_equal(seal_keyring_open(pk, sk, s1, n1, &plain, &len), -1);
    assert_int_equal(seal_keyring_open(pk, sk, s2, n2 - SEAL_KEYRING_BLOCK, &plain, &len), -1);
    free(s0);
    free(s1);
    free(s2);
    seal_wipe(sk, sizeof sk);
    seal_wipe(sk2, sizeof sk2);
}

static void session_copy_needs_the_cookie(void **state)
{
    (void)state;
    char token[AUTH_TOKEN_LEN + 1], other[AUTH_TOKEN_LEN + 1], hash[AUTH_HEX_LEN + 1];
    auth_token_new(token);
    auth_token_new(other);
    auth_token_hash(token, hash);
    unsigned char pk[SEAL_PK], sk[SEAL_SK], out[SEAL_SK], box[SEAL_SESSION_BOX];
    crypto_box_keypair(pk, sk);
    assert_int_equal(seal_session_box(token, 9, sk, box), 0);
    assert_false(contains(box, sizeof box, sk, 8));
    assert_int_equal(seal_session_open(token, 9, box, sizeof box, out), 0);
    assert_memory_equal(out, sk, SEAL_SK);
    /* another cookie, another account, the stored hash as if it were the
     * cookie (all a copy of the database has), a changed box */
    assert_int_equal(seal_session_open(other, 9, box, sizeof box, out), -1);
    assert_int_equal(seal_session_open(token, 10, box, sizeof box, out), -1);
    assert_int_equal(seal_session_open(hash, 9, box, sizeof box, out), -1);
    box[SEAL_NONCE + 1] ^= 1;
    assert_int_equal(seal_session_open(token, 9, box, sizeof box, out), -1);
    assert_int_equal(seal_session_open(NULL, 9, box, sizeof box, out), -1);
    seal_wipe(sk, sizeof sk);
    seal_wipe(out, sizeof out);
}

/* The session's copy of the opened keyring opens only with its cookie, for
 * its account, and only while the stored keyring is the one it was made
 * from: any change to that keyring makes it stale. */
static void session_ring_copy_follows_the_keyring(void **state)
{
    (void)state;
    char token[AUTH_TOKEN_LEN + 1], other[AUTH_TOKEN_LEN + 1];
    auth_token_new(token);
    auth_token_new(other);
    unsigned char keyring[300], entries[2 * 64];
    randombytes_buf(keyring, sizeof keyring);
    randombytes_buf(entries, sizeof entries);
    unsigned char *box, *plain;
    size_t n, len;
    assert_int_equal(seal_session_ring_close(token, 9, keyring, sizeof keyring, entries,
                                             sizeof entries, &box, &n),
                     0);
    assert_false(contains(box, n, entries, 16));
    assert_int_equal(
        seal_session_ring_open(token, 9, keyring, sizeof keyring, box, n, &plain, &len), 0);
    assert_int_equal(len, sizeof entries);
    assert_memory_equal(plain, entries, len);
    seal_free(plain);
    /* another cookie, another account, a keyring changed since, cut short
     * or altered */
    assert_int_equal(
        seal_session_ring_open(other, 9, keyring, sizeof keyring, box, n, &plain, &len), -1);
    assert_int_equal(
        seal_session_ring_open(token, 8, keyring, sizeof keyring, box, n, &plain, &len), -1);
    keyring[299] ^= 1;
    assert_int_equal(
        seal_session_ring_open(token, 9, keyring, sizeof keyring, box, n, &plain, &len), -1);
    keyring[299] ^= 1;
    assert_int_equal(
        seal_session_ring_open(token, 9, keyring, sizeof keyring - 1, box, n, &plain, &len), -1);
    assert_int_equal(
        seal_session_ring_open(token, 9, keyring, sizeof keyring, box, n - 1, &plain, &len), -1);
    box[SEAL_NONCE + 3] ^= 1;
    assert_int_equal(
        seal_session_ring_open(token, 9, keyring, sizeof keyring, box, n, &plain, &len), -1);
    assert_null(plain);
    free(box);
    /* an empty keyring has a copy too */
    assert_int_equal(seal_session_ring_close(token, 9, keyring, sizeof keyring, NULL, 0, &box, &n),
                     0);
    assert_int_equal(
        seal_session_ring_open(token, 9, keyring, sizeof keyring, box, n, &plain, &len), 0);
    assert_int_equal(len, 0);
    seal_free(plain);
    free(box);
}

/* The session's copy of the keyring's member ids (the header's count):
 * opens with its cookie, for its account, while the keyring's head is the
 * one it was made from; its length says only how many blocks of 16. */
static void session_members_copy_follows_the_keyring(void **state)
{
    (void)state;
    char token[AUTH_TOKEN_LEN + 1], other[AUTH_TOKEN_LEN + 1];
    auth_token_new(token);
    auth_token_new(other);
    unsigned char head[SEAL_KEYRING_HEAD];
    randombytes_buf(head, sizeof head);
    int64_t ids[3] = {1234567, 42, 7}, got[20];
    unsigned char *box, *box0;
    size_t n, n0, k;
    assert_int_equal(seal_session_members_close(token, 9, head, ids, 3, &box, &n), 0);
    assert_int_equal(seal_session_members_close(token, 9, head, ids, 0, &box0, &n0), 0);
    assert_int_equal(n, n0); /* one id or none: the same length */
    assert_int_equal(seal_session_members_open(token, 9, head, box, n, got, 20, &k), 0);
    assert_int_equal(k, 3);
    assert_true(got[0] == 1234567 && got[1] == 42 && got[2] == 7);
    assert_int_equal(seal_session_members_open(token, 9, head, box0, n0, got, 20, &k), 0);
    assert_int_equal(k, 0);
    assert_int_equal(seal_session_members_open(other, 9, head, box, n, got, 20, &k), -1);
    assert_int_equal(seal_session_members_open(token, 8, head, box, n, got, 20, &k), -1);
    assert_int_equal(seal_session_members_open(token, 9, head, box, n, got, 2, &k), -1);
    head[31] ^= 1; /* the keyring sealed again */
    assert_int_equal(seal_session_members_open(token, 9, head, box, n, got, 20, &k), -1);
    head[31] ^= 1;
    box[SEAL_NONCE + 1] ^= 1;
    assert_int_equal(seal_session_members_open(token, 9, head, box, n, got, 20, &k), -1);
    free(box);
    free(box0);
}

struct order {
    int *log;
    int digit;
};

static void append_digit(void *arg)
{
    struct order *o = arg;
    *o->log = *o->log * 10 + o->digit;
}

static void arena_defers_run_newest_first(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    int log = 0;
    struct order o1 = {&log, 1}, o2 = {&log, 2};
    arena_defer(a, append_digit, &o1);
    (void)arena_alloc(a, 100000); /* a block of its own: defers survive it */
    arena_defer(a, append_digit, &o2);
    assert_int_equal(log, 0);
    arena_free(a);
    assert_int_equal(log, 21);
}

/* ---- storage, on a migrated database ---- */

struct fixture {
    char dir[64];
    struct db *db;
};

static int db_setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    *state = f; /* the teardown frees it, also after a failed setup */
    snprintf(f->dir, sizeof f->dir, "/tmp/hramada-seal-XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/s.db", f->dir);
    f->db = db_open(path, 1, 0);
    if (!f->db || migrate_apply(f->db) < 0) return -1;
    struct dbc *w = db_writer_lock(f->db);
    static const char add[] = "INSERT INTO accounts(id, handle, display_name, password_hash,"
                              " created_at) VALUES(?, ?, ?, 'x', 0)";
    db_exec(w, add, "itt", (int64_t)1, "alice", "Alice");
    db_exec(w, add, "itt", (int64_t)2, "bob", "Bob");
    db_writer_unlock(f->db);
    return 0;
}

static int db_teardown(void **state)
{
    struct fixture *f = *state;
    if (!f) return 0;
    if (f->db) db_close(f->db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

static void add_session(struct dbc *w, const char *token, int64_t id)
{
    static const char sql[] = "INSERT INTO sessions(token_hash, account_id, created_at,"
                              " expires_at) VALUES(?, ?, 0, 9999999999)";
    char hash[AUTH_HEX_LEN + 1];
    auth_token_hash(token, hash);
    assert_int_equal(db_exec(w, sql, "ti", hash, id), 1);
}

static void storage_login_rewrap_reset(void **state)
{
    struct fixture *f = *state;
    struct dbc *w = db_write_begin(f->db);
    char t1[AUTH_TOKEN_LEN + 1], t2[AUTH_TOKEN_LEN + 1];
    auth_token_new(t1);
    auth_token_new(t2);

    /* first sign-in of an account from before sealing: a pair is made */
    struct seal_keys k;
    assert_int_equal(seal_keys_load(w, 1, &k), 0);
    struct seal_prep p;
    assert_int_equal(seal_prepare_login(w, 1, PW, &p), 0);
    assert_true(p.ready);
    assert_int_equal(p.store, 1);
    add_session(w, t1, 1);
    assert_int_equal(seal_commit(w, 1, t1, &p), 0);
    assert_false(p.ready); /* wiped */
    assert_int_equal(seal_keys_load(w, 1, &k), 1);
    unsigned char pk[SEAL_PK], sk[SEAL_SK];
    memcpy(pk, k.pk, SEAL_PK);
    /* an empty keyring of one block came with it */
    unsigned char *plain;
    size_t len;
    randombytes_buf(sk, sizeof sk); /* not its secret key: refused */
    assert_int_equal(seal_keyring_read(w, 1, k.pk, sk, &plain, &len), -1);
    assert_int_equal(seal_keys_unwrap(1, &k, PW, sk), 0);
    assert_int_equal(seal_keyring_read(w, 1, k.pk, sk, &plain, &len), 0);
    assert_non_null(plain);
    assert_int_equal(len, 0);
    seal_free(plain);
    assert_int_equal(db_int(w, 0, "SELECT length(sealed) FROM keyring WHERE account_id = 1", ""),
                     SEAL_KEYRING_BLOCK + SEAL_BOX);
    /* entries written to the keyring come back */
    const unsigned char entry[] = "c=42 m=17";
    assert_int_equal(seal_keyring_write(w, 1, k.pk, entry, sizeof entry), 0);

    /* a second sign-in opens the same pair and stores nothing new */
    assert_int_equal(seal_prepare_login(w, 1, PW, &p), 0);
    assert_int_equal(p.store, 0);
    assert_memory_equal(p.keys.pk, pk, SEAL_PK);
    add_session(w, t2, 1);
    assert_int_equal(seal_commit(w, 1, t2, &p), 0);
    assert_int_equal(db_int(w, 0, "SELECT count(*) FROM session_keys", ""), 2);

    /* a first pair that appeared between prepare and commit is kept */
    struct seal_prep late;
    assert_int_equal(seal_prepare_login(w, 2, PW, &late), 0);
    struct seal_prep first;
    assert_int_equal(seal_prepare_login(w, 2, PW, &first), 0);
    char t3[AUTH_TOKEN_LEN + 1], t4[AUTH_TOKEN_LEN + 1];
    auth_token_new(t3);
    auth_token_new(t4);
    add_session(w, t3, 2);
    add_session(w, t4, 2);
    assert_int_equal(seal_commit(w, 2, t3, &first), 0);
    assert_int_equal(seal_commit(w, 2, t4, &late), -1);

    /* a sign-in prepared before the administrator's reset gives its
     * session no key of the old pair */
    struct seal_prep stale;
    assert_int_equal(seal_prepare_login(w, 2, PW, &stale), 0);
    assert_int_equal(stale.store, 0);
    assert_int_equal(seal_reset(w, 2, "reset meanwhile"), 0);
    char t5[AUTH_TOKEN_LEN + 1];
    auth_token_new(t5);
    add_session(w, t5, 2);
    assert_int_equal(seal_commit(w, 2, t5, &stale), -1);
    assert_false(stale.ready);

    /* a rewrap stored against a replaced pair is refused */
    assert_int_equal(seal_keys_load(w, 1, &k), 1);
    struct seal_keys moved = k;
    assert_int_equal(seal_keys_rewrap(1, &moved, sk, "new password"), 0);
    struct seal_keys bob;
    assert_int_equal(seal_keys_load(w, 2, &bob), 1);
    memcpy(moved.pk, bob.pk, SEAL_PK);
    assert_int_equal(seal_keys_store_rewrap(w, 1, &moved), -1);
    /* the real rewrap keeps the pair and the keyring */
    assert_int_equal(seal_keys_rewrap(1, &k, sk, "new password"), 0);
    assert_int_equal(seal_keys_store_rewrap(w, 1, &k), 0);
    struct seal_keys k2;
    unsigned char sk2[SEAL_SK];
    assert_int_equal(seal_keys_load(w, 1, &k2), 1);
    assert_memory_equal(k2.pk, pk, SEAL_PK);
    assert_int_equal(seal_keys_unwrap(1, &k2, PW, sk2), -1);
    assert_int_equal(seal_keys_unwrap(1, &k2, "new password", sk2), 0);
    assert_int_equal(seal_keyring_read(w, 1, k2.pk, sk2, &plain, &len), 0);
    assert_int_equal(len, sizeof entry);
    assert_memory_equal(plain, entry, sizeof entry);
    seal_free(plain);

    /* the administrator's reset: a new pair, an empty keyring */
    assert_int_equal(seal_reset(w, 1, "admin chose this"), 0);
    assert_int_equal(seal_keys_load(w, 1, &k2), 1);
    assert_memory_not_equal(k2.pk, pk, SEAL_PK);
    assert_int_equal(seal_keys_unwrap(1, &k2, "new password", sk2), -1);
    assert_int_equal(seal_keys_unwrap(1, &k2, "admin chose this", sk2), 0);
    assert_int_equal(seal_keyring_read(w, 1, k2.pk, sk2, &plain, &len), 0);
    assert_int_equal(len, 0);
    seal_free(plain);
    /* the old secret key opens nothing that is left */
    assert_int_equal(seal_keyring_read(w, 1, pk, sk, &plain, &len), -1);

    /* deleting a session deletes its copy of the key */
    char h1[AUTH_HEX_LEN + 1];
    auth_token_hash(t1, h1);
    assert_int_equal(db_exec(w, "DELETE FROM sessions WHERE token_hash = ?", "t", h1), 1);
    assert_int_equal(
        db_int(w, 0, "SELECT count(*) FROM session_keys WHERE token_hash = ?", "t", h1), 0);
    assert_int_equal(db_write_end(f->db, w, 1), 0);
    seal_wipe(sk, sizeof sk);
    seal_wipe(sk2, sizeof sk2);
}

int main(void)
{
    if (auth_init() != 0) return 1;
    /* The same algorithm with little memory, as the HTTP tests run it. */
    seal_set_cost(2, 65536);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wrap_and_unwrap),
        cmocka_unit_test(wrong_password_fails),
        cmocka_unit_test(moved_or_changed_rows_fail),
        cmocka_unit_test(rewrap_keeps_the_pair),
        cmocka_unit_test(sealed_boxes),
        cmocka_unit_test(data_keys_to_members),
        cmocka_unit_test(fields_round_trip_and_stay_in_place),
        cmocka_unit_test(sealed_texts_round_trip),
        cmocka_unit_test(keyring_is_padded_and_sealed),
        cmocka_unit_test(session_copy_needs_the_cookie),
        cmocka_unit_test(session_ring_copy_follows_the_keyring),
        cmocka_unit_test(session_members_copy_follows_the_keyring),
        cmocka_unit_test(arena_defers_run_newest_first),
        cmocka_unit_test_setup_teardown(storage_login_rewrap_reset, db_setup, db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
