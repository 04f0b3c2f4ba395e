/*
 * The second factor's arithmetic, with no SQL and no request: TOTP codes
 * (RFC 6238 through liboath: 30-second steps, 6 digits, HMAC-SHA-1, what
 * every authenticator app reads), the secret's encryption at rest, and the
 * one-time recovery codes. The pages (second_factor.c) and the model
 * (model_second_factor.c) are built on these.
 */
#ifndef HR_TOTP_H
#define HR_TOTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum {
    TOTP_SECRET = 20,                 /* bytes: RFC 4226's recommended 160 bits */
    TOTP_BASE32 = 32,                 /* characters of the secret in base32, no padding */
    TOTP_BOX = 24 + TOTP_SECRET + 16, /* nonce, ciphertext, tag */
    TOTP_STEP = 30,
    TOTP_DIGITS = 6,
    RECOVERY_CODES = 10,
    RECOVERY_LEN = 11, /* "abcde-fghjk": 10 symbols of 32, 50 bits */
};

/* A fresh secret (libsodium's random bytes) into s. */
void totp_secret_new(unsigned char s[TOTP_SECRET]);
/* The secret in base32 (RFC 4648, upper case, no padding) into
 * out[TOTP_BASE32 + 1], for typing by hand and for the otpauth URI. 0, or
 * -1 when liboath cannot. */
int totp_base32(const unsigned char s[TOTP_SECRET], char *out);
/* Encrypts s for account id under key (totp_key) into out[TOTP_BOX]; the
 * id is bound in, so a box copied to another account's row does not open. */
void totp_box(const unsigned char key[32], int64_t id, const unsigned char s[TOTP_SECRET],
              unsigned char *out);
/* The reverse; -1 when the box was altered, moved or is under another key.
 * The caller wipes s (sodium_memzero) when done. */
int totp_unbox(const unsigned char key[32], int64_t id, const unsigned char *box, size_t len,
               unsigned char s[TOTP_SECRET]);
/* The key of totp_box, derived from the instance secret for this use only,
 * into out[32] (the caller wipes it). */
void totp_key(const unsigned char app_secret[32], unsigned char out[32]);
/* The step (time / 30) whose code code is, checked at now and one step
 * either side (a phone's clock a little off); -1 when it is none of them.
 * code must be exactly six digits (spaces are the caller's to strip). */
int64_t totp_check(const unsigned char s[TOTP_SECRET], const char *code, time_t now);
/* The code of time t into out[TOTP_DIGITS + 1] (for tests and tools); 0 or
 * -1. */
int totp_code(const unsigned char s[TOTP_SECRET], time_t t, char *out);

/* A fresh recovery code into out[RECOVERY_LEN + 1]: ten symbols of an
 * alphabet without look-alikes (no 0/o, 1/l/i), in two groups. */
void recovery_code_new(char *out);
/* The stored name of a typed recovery code: hex of BLAKE2b keyed with the
 * instance secret over the code with case, spaces and dashes ignored, into
 * out[65]. -1 when what was typed cannot be a recovery code. */
int recovery_code_hash(const unsigned char app_secret[32], const char *typed, char *out);

#endif
