/* TOTP and recovery codes; see totp.h. */
#include "areas/account/totp.h"
#include "core/auth.h"

#include <liboath/oath.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

void totp_secret_new(unsigned char s[TOTP_SECRET])
{
    auth_random(s, TOTP_SECRET);
}

int totp_base32(const unsigned char s[TOTP_SECRET], char *out)
{
    char *b32 = NULL;
    size_t n = 0;
    if (oath_base32_encode((const char *)s, TOTP_SECRET, &b32, &n) != OATH_OK || !b32) return -1;
    /* 20 bytes are exactly 32 symbols: no padding to drop */
    int ok = n >= TOTP_BASE32;
    if (ok) {
        memcpy(out, b32, TOTP_BASE32);
        out[TOTP_BASE32] = 0;
    }
    sodium_memzero(b32, n);
    free(b32);
    return ok ? 0 : -1;
}

static void id_bytes(int64_t id, unsigned char ad[8])
{
    for (int i = 0; i < 8; i++)
        ad[i] = (unsigned char)((uint64_t)id >> (8 * i));
}

void totp_box(const unsigned char key[32], int64_t id, const unsigned char s[TOTP_SECRET],
              unsigned char *out)
{
    unsigned char ad[8];
    id_bytes(id, ad);
    randombytes_buf(out, 24);
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + 24, NULL, s, TOTP_SECRET, ad, sizeof ad, NULL,
                                               out, key);
}

int totp_unbox(const unsigned char key[32], int64_t id, const unsigned char *box, size_t len,
               unsigned char s[TOTP_SECRET])
{
    if (!box || len != TOTP_BOX) return -1;
    unsigned char ad[8];
    id_bytes(id, ad);
    return crypto_aead_xchacha20poly1305_ietf_decrypt(s, NULL, NULL, box + 24, len - 24, ad,
                                                      sizeof ad, box, key) == 0
               ? 0
               : -1;
}

void totp_key(const unsigned char app_secret[32], unsigned char out[32])
{
    static const char label[] = "hramada second factor secret";
    crypto_generichash(out, 32, (const unsigned char *)label, sizeof label - 1, app_secret, 32);
}

static int six_digits(const char *code)
{
    if (!code || strlen(code) != TOTP_DIGITS) return 0;
    for (const char *p = code; *p; p++)
        if (*p < '0' || *p > '9') return 0;
    return 1;
}

int64_t totp_check(const unsigned char s[TOTP_SECRET], const char *code, time_t now)
{
    if (!six_digits(code)) return -1;
    /* liboath's own crypto needs nothing set up (no libgcrypt): oath_init
     * is a check that costs nothing, and calling it here keeps the library
     * free of a start-up step. */
    if (oath_init() != OATH_OK) return -1;
    int pos = 0;
    uint64_t step = 0;
    int rc =
        oath_totp_validate3((const char *)s, TOTP_SECRET, now, TOTP_STEP, 0, 1, &pos, &step, code);
    return rc >= 0 && step <= INT64_MAX ? (int64_t)step : -1;
}

int totp_code(const unsigned char s[TOTP_SECRET], time_t t, char *out)
{
    if (oath_init() != OATH_OK) return -1;
    return oath_totp_generate((const char *)s, TOTP_SECRET, t, TOTP_STEP, 0, TOTP_DIGITS, out) ==
                   OATH_OK
               ? 0
               : -1;
}

static const char RECOVERY_ALPHABET[] = "abcdefghjkmnpqrstuvwxyz23456789"; /* 31 + '\0' */

void recovery_code_new(char *out)
{
    /* 31 symbols: randombytes_uniform keeps them equally likely */
    for (int i = 0; i < RECOVERY_LEN; i++)
        out[i] = i == 5 ? '-' : RECOVERY_ALPHABET[randombytes_uniform(31)];
    out[RECOVERY_LEN] = 0;
}

int recovery_code_hash(const unsigned char app_secret[32], const char *typed, char *out)
{
    char norm[RECOVERY_LEN];
    size_t n = 0;
    for (const char *p = typed ? typed : ""; *p; p++) {
        char c = *p;
        if (c == '-' || c == ' ') continue;
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (!strchr(RECOVERY_ALPHABET, c) || n + 1 >= sizeof norm) return -1;
        norm[n++] = c;
    }
    if (n != RECOVERY_LEN - 1) return -1;
    norm[n] = 0;
    auth_keyed_name(app_secret, "recovery code", norm, out);
    return 0;
}
