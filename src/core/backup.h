/*
 * Encrypted backups of the database: `hramada backup` and `hramada restore`.
 *
 * A backup is a consistent snapshot of the database (SQLite's VACUUM INTO,
 * one read transaction, so a running server may go on writing) encrypted
 * with a passphrase: argon2id derives the key (its own random salt and the
 * cost stored in the file's header), libsodium's secretstream
 * (XChaCha20-Poly1305) encrypts it in authenticated chunks, the last one
 * tagged final, so that a wrong passphrase, a changed byte, a reordered,
 * missing or added chunk and a cut-off end are each refused. The layout is
 * in docs/deploy.md and at the top of backup.c.
 *
 * Both write to a temporary file (0600) in the target's folder and rename
 * it into place at the end: an interrupted or refused run leaves no partial
 * file. Messages for the administrator go to standard error.
 */
#ifndef HR_BACKUP_H
#define HR_BACKUP_H

#include <stddef.h>

/* The argon2id cost of new backups (tests lower it); restore reads the
 * cost from each file. Default: libsodium's MODERATE (256 MiB, 3 passes). */
void backup_set_cost(unsigned long long ops, size_t mem);

/* The shortest passphrase backup accepts. */
enum { BACKUP_PASSPHRASE_MIN = 12, BACKUP_PASSPHRASE_MAX = 1024 };

/* Writes an encrypted snapshot of the database at db_path to the file to.
 * An existing file to is refused unless force. 0 on success; -1 with a
 * message on standard error. */
int backup_write(const char *db_path, const char *to, const char *pass, size_t passlen, int force);

/* Decrypts the backup from into a database at db_path after checking every
 * chunk and then PRAGMA integrity_check of the result. An existing db_path
 * is refused unless force, and even then while a process has it open. 0 on
 * success; -1 with a message on standard error and no file left behind. */
int backup_restore(const char *from, const char *db_path, const char *pass, size_t passlen,
                   int force);

#endif
