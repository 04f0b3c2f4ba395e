/* Password hashes, tokens and CSRF; see auth.h. */
#include "core/auth.h"
#include "core/util.h"

#include <sodium.h>
#include <string.h>

static unsigned long long pw_ops = 0; /* configuration, set before threads start */
static size_t pw_mem = 0;

int auth_init(void)
{
    if (sodium_init() < 0) return -1;
    if (!pw_ops) {
        pw_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        pw_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    }
    return 0;
}

void auth_set_cost(unsigned long long ops, size_t mem)
{
    pw_ops = ops < crypto_pwhash_OPSLIMIT_MIN ? crypto_pwhash_OPSLIMIT_MIN : ops;
    pw_mem = mem < crypto_pwhash_MEMLIMIT_MIN ? crypto_pwhash_MEMLIMIT_MIN : mem;
}

int auth_password_hash(const char *password, char *out)
{
    _Static_assert(AUTH_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");
    return crypto_pwhash_str_alg(out, password, strlen(password), pw_ops, pw_mem,
                                 crypto_pwhash_ALG_ARGON2ID13);
}

int auth_password_check(const char *hash, const char *password)
{
    if (!hash || !password) return 0;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void auth_password_dummy(const char *password)
{
    char h[AUTH_HASH_MAX];
    auth_password_hash(password ? password : "", h);
}

static void b64url(const unsigned char *bin, size_t n, char *out, size_t outlen)
{
    sodium_bin2base64(out, outlen, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void auth_token_new(char *out)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    b64url(raw, sizeof raw, out, AUTH_TOKEN_LEN + 1);
    sodium_memzero(raw, sizeof raw);
}

void auth_token_hash(const char *token, char *out)
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, AUTH_HEX_LEN + 1, h, sizeof h);
}

void auth_csrf_token(const unsigned char key[32], const char *binding, char *out)
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)binding, strlen(binding), key, 32);
    b64url(h, sizeof h, out, AUTH_TOKEN_LEN + 1);
}

void auth_keyed_name(const unsigned char key[32], const char *label, const char *text, char *out)
{
    crypto_generichash_state st;
    unsigned char h[32];
    crypto_generichash_init(&st, key, 32, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)label, strlen(label) + 1);
    crypto_generichash_update(&st, (const unsigned char *)text, strlen(text));
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out, AUTH_HEX_LEN + 1, h, sizeof h);
}

int auth_equal(const char *a, const char *b)
{
    if (!a || !b) return 0;
    size_t n = strlen(a);
    if (n != strlen(b)) return 0;
    return sodium_memcmp(a, b, n) == 0;
}

void auth_random(unsigned char *out, size_t n)
{
    randombytes_buf(out, n);
}
