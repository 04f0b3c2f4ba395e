/*
 * The cryptography of accounts, on libsodium: argon2id password hashes,
 * random tokens, token hashes for storage, CSRF tokens. No SQL here: the
 * account area stores what these functions make.
 */
#ifndef HR_AUTH_H
#define HR_AUTH_H

#include <stddef.h>

enum {
    AUTH_HASH_MAX = 128, /* >= crypto_pwhash_STRBYTES */
    AUTH_TOKEN_LEN = 43, /* base64url of 32 random bytes, without padding */
    AUTH_HEX_LEN = 64,   /* hex of a 32-byte hash */
};

/* Initialises libsodium; -1 if it cannot. Call once at start-up. */
int auth_init(void);
/* Password hashing cost. Configuration: set once at start-up. The default
 * is libsodium's "interactive" (2 passes, 64 MiB); tests lower the memory. */
void auth_set_cost(unsigned long long ops, size_t mem);

/* Writes an argon2id hash string into out[AUTH_HASH_MAX]; 0 on success. */
int auth_password_hash(const char *password, char *out);
/* 1 if password matches hash. */
int auth_password_check(const char *hash, const char *password);
/* Spends the time of one check, for unknown accounts (so that timing does
 * not tell an unknown handle from a wrong password). */
void auth_password_dummy(const char *password);

/* A fresh random token, base64url, into out[AUTH_TOKEN_LEN + 1]. */
void auth_token_new(char *out);
/* Hex of BLAKE2b-256(token) into out[AUTH_HEX_LEN + 1]: what is stored. */
void auth_token_hash(const char *token, char *out);
/* The CSRF token bound to a session or visitor token, keyed by the
 * instance secret, into out[AUTH_TOKEN_LEN + 1]. */
void auth_csrf_token(const unsigned char key[32], const char *binding, char *out);
/* The hex of BLAKE2b keyed with key over label, a zero byte and text, into
 * out[AUTH_HEX_LEN + 1]: a name for text that the database can hold
 * without holding the text (sign-in throttling). The label keeps uses
 * apart: the same key and text under two labels give unrelated names. */
void auth_keyed_name(const unsigned char key[32], const char *label, const char *text, char *out);
/* Constant-time comparison of two NUL-terminated strings. */
int auth_equal(const char *a, const char *b);
/* 32 random bytes. */
void auth_random(unsigned char *out, size_t n);

#endif
