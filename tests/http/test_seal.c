/* Sealing, step 1, over HTTP: sign-up makes a key pair and sign-in opens
 * it into the session; the database holds no secret key in clear and a
 * session's copy is useless without its cookie; a password change keeps
 * the pair; a restart keeps sessions' keys open; an account from before
 * sealing gets its pair at its next sign-in; `hramada user passwd` warns
 * before it acts and replaces the pair. Whether a session has the key open
 * is read where a person reads it: the account page ("key.open", and the
 * key's fingerprint). The tests run in order on one server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/auth.h"
#include "core/seal.h"
#include "lib/check.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static struct srv S;
static struct client A; /* "sealer", signed up by the first test */
static char fingerprint1[SEAL_FINGERPRINT_LEN + 1];
static unsigned char secret1[SEAL_SK]; /* sealer's secret key, as the test derives it */

static const char *bin(void)
{
    const char *b = getenv("HRAMADA_BIN");
    return b ? b : "build-test/hramada";
}

static int setup(void **state)
{
    (void)state;
    if (auth_init() != 0) return -1;
    return srv_start(&S, 1, NULL);
}

static int teardown(void **state)
{
    (void)state;
    client_free(&A);
    sodium_memzero(secret1, sizeof secret1);
    return srv_stop(&S) == 0 ? 0 : -1;
}

/* Runs "hramada user passwd HANDLE" with stdin_text, capturing stderr into
 * err (NUL-terminated); returns the exit status. */
static int passwd_cli(const char *handle, const char *stdin_text, char *err, size_t n)
{
    int in[2], eo[2];
    if (pipe(in) != 0 || pipe(eo) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(eo[1], 2);
        close(in[1]);
        close(eo[0]);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        execl(bin(), bin(), "user", "passwd", handle, "--db", S.db, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(eo[1]);
    if (stdin_text && write(in[1], stdin_text, strlen(stdin_text)) < 0) perror("write");
    close(in[1]);
    size_t len = 0;
    ssize_t k;
    while (len + 1 < n && (k = read(eo[0], err + len, n - 1 - len)) > 0)
        len += (size_t)k;
    err[len] = 0;
    close(eo[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The client's hr_session cookie value (the session token) into tok. */
static void cookie_token(struct client *c, char *tok, size_t n)
{
    struct curl_slist *list = NULL, *it;
    tok[0] = 0;
    curl_easy_getinfo(c->curl, CURLINFO_COOKIELIST, &list);
    for (it = list; it; it = it->next) {
        /* Netscape format: domain, flag, path, secure, expiry, name, value */
        const char *name = it->data;
        for (int i = 0; i < 5 && name; i++) {
            name = strchr(name, '\t');
            if (name) name++;
        }
        if (name && !strncmp(name, "hr_session\t", 11)) snprintf(tok, n, "%s", name + 11);
    }
    curl_slist_free_all(list);
}

/* The account page's key state: 1 when open; the fingerprint into fp. */
static int key_state(struct client *c, char *fp)
{
    struct resp r;
    assert_int_equal(client_get(c, "/account", 1, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(r.json);
    const char *f = jstr(r.json, "key.fingerprint");
    assert_non_null(f);
    snprintf(fp, SEAL_FINGERPRINT_LEN + 1, "%s", f);
    int open = json_is_true(jget(r.json, "key.open"));
    resp_free(&r);
    return open;
}

static sqlite3 *open_ro(void)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(S.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    return db;
}

/* The account's stored keys row, read as an attacker with the file would. */
static void load_keys(sqlite3 *db, const char *handle, int64_t *id, struct seal_keys *k)
{
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "SELECT a.id, public_key, kdf_salt, kdf_ops, kdf_mem, wrap_nonce,"
                           " wrapped_key FROM account_keys k JOIN accounts a ON a.id = k.account_id"
                           " WHERE a.handle = ?",
                           -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_text(st, 1, handle, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    *id = sqlite3_column_int64(st, 0);
    memcpy(k->pk, sqlite3_column_blob(st, 1), SEAL_PK);
    memcpy(k->salt, sqlite3_column_blob(st, 2), SEAL_SALT);
    k->ops = (unsigned long long)sqlite3_column_int64(st, 3);
    k->mem = (size_t)sqlite3_column_int64(st, 4);
    memcpy(k->nonce, sqlite3_column_blob(st, 5), SEAL_NONCE);
    memcpy(k->wrapped, sqlite3_column_blob(st, 6), SEAL_WRAPPED);
    sqlite3_finalize(st);
}

/* 1 if the file at path holds the n bytes of needle anywhere. */
static int file_holds(const char *path, const unsigned char *needle, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(len > 0 ? (size_t)len : 1);
    size_t got = fread(b, 1, len > 0 ? (size_t)len : 0, f);
    fclose(f);
    int found = 0;
    for (size_t i = 0; !found && i + n <= got; i++)
        found = memcmp(b + i, needle, n) == 0;
    free(b);
    return found;
}

static void signup_makes_keys_and_the_disk_holds_none_in_clear(void **state)
{
    (void)state;
    client_init(&A, &S);
    const char *f[] = {"handle",      "sealer",    "display_name", "Пломба", "password",
                       "pass-word-1", "password2", "pass-word-1",  NULL};
    struct resp r;
    assert_int_equal(post_pairs(&A, "/signup", 0, f, &r), 0);
    assert_int_equal(r.status, 303);
    resp_free(&r);
    A.csrf[0] = 0;
    /* the session that sign-up opened has the key */
    assert_true(key_state(&A, fingerprint1));
    /* and so has a sign-in elsewhere, with the same key */
    struct client B;
    client_init(&B, &S);
    assert_int_equal(client_login(&B, "sealer", "pass-word-1"), 0);
    char fp[SEAL_FINGERPRINT_LEN + 1];
    assert_true(key_state(&B, fp));
    assert_string_equal(fp, fingerprint1);
    /* the page says it in words too */
    assert_int_equal(client_get(&B, "/account", 0, &r), 0);
    assert_true(resp_has(&r, "Ключ шифрования: открыт в этом сеансе"));
    resp_free(&r);
    char tokA[AUTH_TOKEN_LEN + 8], tokB[AUTH_TOKEN_LEN + 8];
    cookie_token(&A, tokA, sizeof tokA);
    cookie_token(&B, tokB, sizeof tokB);
    assert_int_equal(strlen(tokA), AUTH_TOKEN_LEN);
    client_free(&B);

    /* Stop the server and read its files as someone who took the disk. */
    assert_int_equal(srv_halt(&S), 0);
    sqlite3 *db = open_ro();
    int64_t id;
    struct seal_keys k;
    load_keys(db, "sealer", &id, &k);
    /* the password opens it (the test knows it; the file does not) */
    assert_int_equal(seal_keys_unwrap(id, &k, "pass-word-1", secret1), 0);
    char fpk[SEAL_FINGERPRINT_LEN + 1];
    seal_fingerprint(k.pk, fpk);
    assert_string_equal(fpk, fingerprint1);
    /* each session of the account has a copy; none opens without its
     * cookie, not even with what the file holds (the token's hash), and
     * A's opens with A's cookie only */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT s.token_hash, k.sealed FROM sessions s"
                                        " JOIN session_keys k ON k.token_hash = s.token_hash"
                                        " WHERE s.account_id = ?",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    int rows = 0, opened = 0;
    char hashA[AUTH_HEX_LEN + 1];
    auth_token_hash(tokA, hashA);
    while (sqlite3_step(st) == SQLITE_ROW) {
        rows++;
        const char *hash = (const char *)sqlite3_column_text(st, 0);
        const unsigned char *box = sqlite3_column_blob(st, 1);
        size_t n = (size_t)sqlite3_column_bytes(st, 1);
        unsigned char out[SEAL_SK];
        assert_int_not_equal(memcmp(box, secret1, 8), 0);
        assert_int_equal(seal_session_open(hash, id, box, n, out), -1);
        if (!strcmp(hash, hashA)) {
            assert_int_equal(seal_session_open(tokA, id, box, n, out), 0);
            assert_memory_equal(out, secret1, SEAL_SK);
            assert_int_equal(seal_session_open(tokB, id, box, n, out), -1);
            opened++;
        }
        sodium_memzero(out, sizeof out);
    }
    sqlite3_finalize(st);
    assert_int_equal(rows, 2);
    assert_int_equal(opened, 1);
    /* the keyring: one row of one padded block */
    assert_int_equal(db_value(&S,
                              "SELECT length(sealed) FROM keyring WHERE account_id ="
                              " (SELECT id FROM accounts WHERE handle = ?)",
                              "sealer"),
                     SEAL_KEYRING_BLOCK + SEAL_BOX);
    sqlite3_close(db);
    /* the secret key's bytes are nowhere in the file or its WAL */
    char wal[320];
    snprintf(wal, sizeof wal, "%s-wal", S.db);
    assert_false(file_holds(S.db, secret1, 16));
    assert_false(file_holds(wal, secret1, 16));
    /* (the check can find a key: the public key is there) */
    assert_true(file_holds(S.db, k.pk, 16) || file_holds(wal, k.pk, 16));

    /* A restart keeps the session and its key. */
    assert_int_equal(srv_restart(&S, NULL), 0);
    assert_true(key_state(&A, fp));
    assert_string_equal(fp, fingerprint1);
}

static void password_change_rewraps_the_same_pair(void **state)
{
    (void)state;
    struct client B;
    client_init(&B, &S);
    assert_int_equal(client_login(&B, "sealer", "pass-word-1"), 0);
    assert_int_equal(client_fetch_csrf(&A, "/account"), 0);
    const char *f[] = {"current",   "pass-word-1", "password", "pass-word-2",
                       "password2", "pass-word-2", NULL};
    assert_int_equal(post_status(&A, "/account/password", 0, f), 303);
    A.csrf[0] = 0;
    char fp[SEAL_FINGERPRINT_LEN + 1];
    assert_true(key_state(&A, fp)); /* the new session has it */
    assert_string_equal(fp, fingerprint1);
    /* the other session ended with the old password, its copy with it */
    assert_int_equal(get_status(&B, "/account", 0), 303);
    client_free(&B);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM session_keys k JOIN sessions s"
                              " ON s.token_hash = k.token_hash JOIN accounts a"
                              " ON a.id = s.account_id WHERE a.handle = ?",
                              "sealer"),
                     1);
    /* the new password opens the same key; the old one does not */
    struct client C;
    client_init(&C, &S);
    assert_int_not_equal(client_login(&C, "sealer", "pass-word-1"), 0);
    client_free(&C);
    client_init(&C, &S);
    assert_int_equal(client_login(&C, "sealer", "pass-word-2"), 0);
    assert_true(key_state(&C, fp));
    assert_string_equal(fp, fingerprint1);
    client_free(&C);
    sqlite3 *db = open_ro();
    int64_t id;
    struct seal_keys k;
    unsigned char sk[SEAL_SK];
    load_keys(db, "sealer", &id, &k);
    sqlite3_close(db);
    assert_int_equal(seal_keys_unwrap(id, &k, "pass-word-1", sk), -1);
    assert_int_equal(seal_keys_unwrap(id, &k, "pass-word-2", sk), 0);
    assert_memory_equal(sk, secret1, SEAL_SK);
    sodium_memzero(sk, sizeof sk);
}

static void accounts_from_before_get_keys_at_sign_in(void **state)
{
    (void)state;
    /* The demo's accounts were made without a sign-in: no keys yet. */
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM account_keys k JOIN accounts a"
                              " ON a.id = k.account_id WHERE a.handle = ?",
                              "newcomer"),
                     0);
    struct client c;
    assert_int_equal(client_as(&c, &S, "newcomer"), 0);
    char fp[SEAL_FINGERPRINT_LEN + 1];
    assert_true(key_state(&c, fp));
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM account_keys k JOIN accounts a"
                              " ON a.id = k.account_id WHERE a.handle = ?",
                              "newcomer"),
                     1);
    /* A session whose copy is gone (one from before sealing) goes on, with
     * the key closed, and says so. */
    assert_int_equal(db_run(&S,
                            "DELETE FROM session_keys WHERE token_hash IN (SELECT token_hash"
                            " FROM sessions s JOIN accounts a ON a.id = s.account_id"
                            " WHERE a.handle = ?)",
                            "newcomer"),
                     0);
    assert_false(key_state(&c, fp));
    struct resp r;
    assert_int_equal(client_get(&c, "/account", 0, &r), 0);
    assert_true(resp_has(&r, "не открыт в этом сеансе"));
    resp_free(&r);
    /* sign-out deletes the session row (and a copy would go with it) */
    assert_int_equal(client_fetch_csrf(&c, "/account"), 0);
    assert_int_equal(post_status(&c, "/logout", 0, NULL), 303);
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM sessions s JOIN accounts a"
                              " ON a.id = s.account_id WHERE a.handle = ?",
                              "newcomer"),
                     0);
    client_free(&c);
}

static void admin_passwd_warns_then_replaces_the_pair(void **state)
{
    (void)state;
    char err[2048];
    sqlite3 *db = open_ro();
    int64_t id;
    struct seal_keys before, after;
    load_keys(db, "sealer", &id, &before);
    sqlite3_close(db);
    /* The warning comes before anything is done: stopped at the password
     * prompt (no password given), the command changed nothing. */
    assert_int_not_equal(passwd_cli("sealer", "", err, sizeof err), 0);
    assert_non_null(strstr(err, "cannot open the encryption key of sealer"));
    assert_non_null(strstr(err, "loses its memberships"));
    db = open_ro();
    load_keys(db, "sealer", &id, &after);
    sqlite3_close(db);
    assert_memory_equal(after.pk, before.pk, SEAL_PK);
    assert_memory_equal(after.wrapped, before.wrapped, SEAL_WRAPPED);
    assert_true(key_state(&A, (char[SEAL_FINGERPRINT_LEN + 1]){0}));

    /* Given a password, it says so again and acts. */
    assert_int_equal(passwd_cli("sealer", "admin-chose-3\n", err, sizeof err), 0);
    assert_non_null(strstr(err, "gets a new key pair"));
    db = open_ro();
    load_keys(db, "sealer", &id, &after);
    sqlite3_close(db);
    assert_memory_not_equal(after.pk, before.pk, SEAL_PK);
    unsigned char sk[SEAL_SK];
    assert_int_equal(seal_keys_unwrap(id, &after, "pass-word-2", sk), -1);
    assert_int_equal(seal_keys_unwrap(id, &after, "admin-chose-3", sk), 0);
    assert_memory_not_equal(sk, secret1, SEAL_SK);
    sodium_memzero(sk, sizeof sk);
    /* the keyring is a new empty one; the sessions are gone */
    assert_int_equal(db_value(&S,
                              "SELECT length(sealed) FROM keyring WHERE account_id ="
                              " (SELECT id FROM accounts WHERE handle = ?)",
                              "sealer"),
                     SEAL_KEYRING_BLOCK + SEAL_BOX);
    assert_int_equal(get_status(&A, "/account", 0), 303);
    /* the new password signs in with the new key, open */
    struct client c;
    client_init(&c, &S);
    assert_int_equal(client_login(&c, "sealer", "admin-chose-3"), 0);
    char fp[SEAL_FINGERPRINT_LEN + 1];
    assert_true(key_state(&c, fp));
    assert_string_not_equal(fp, fingerprint1);
    client_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signup_makes_keys_and_the_disk_holds_none_in_clear),
        cmocka_unit_test(password_change_rewraps_the_same_pair),
        cmocka_unit_test(accounts_from_before_get_keys_at_sign_in),
        cmocka_unit_test(admin_passwd_warns_then_replaces_the_pair),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
