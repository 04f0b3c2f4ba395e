/*
 * hramada: the command line.
 *
 *   hramada serve|init|demo|user|backup|restore|bench-data|version|help [options]
 *
 * Every command takes --db PATH (or HRAMADA_DB); serve takes --listen
 * ADDR:PORT (or HRAMADA_LISTEN).
 */
#include "areas/account/account.h"
#include "areas/areas.h"
#include "areas/benchdata.h"
#include "areas/budget/budget.h"
#include "areas/community/community.h"
#include "areas/demo.h"
#include "areas/notify/notify.h"
#include "core/image.h"
#include "core/app.h"
#include "core/auth.h"
#include "core/backup.h"
#include "core/db.h"
#include "core/gate.h"
#include "core/http.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/migrate.h"
#include "core/seal.h"
#include "core/tmpl.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define HRAMADA_VERSION "0.1.0"

static const char USAGE[] =
    "Hramada " HRAMADA_VERSION " — a platform for developing local communities.\n\n"
    "usage: hramada COMMAND [options]\n\n"
    "commands:\n"
    "  serve     serve the web interface (applies pending migrations first)\n"
    "  init      create the database or bring its schema up to date\n"
    "  demo      fill a new database with the demo communities and accounts\n"
    "  user      add|passwd|list|role: manage accounts without the web interface\n"
    "  backup    write an encrypted snapshot of the database (safe while serve runs)\n"
    "  restore   check an encrypted backup and make a database of it\n"
    "  bench-data  fill a new database with generated data for benchmarks\n"
    "  budget    import|count: participatory budgets in the pabulib format\n"
    "  version   print the version\n"
    "  help      this text\n\n"
    "options common to all commands:\n"
    "  --db PATH         the database file (env HRAMADA_DB; default var/hramada.db)\n\n"
    "Run 'hramada COMMAND --help' for a command's own options.\n";

static const char USAGE_SERVE[] =
    "usage: hramada serve [--db PATH] [--listen ADDR:PORT] [options]\n\n"
    "  --listen ADDR:PORT  where to listen (env HRAMADA_LISTEN; default 127.0.0.1:8080):\n"
    "                      an IPv4 address, localhost, or IPv6 in brackets ([::1]:8080;\n"
    "                      [::]:8080 is every address of both families); port 0 picks a\n"
    "                      free port, printed on start; or unix:/PATH, a socket file\n"
    "                      (mode 0660) for a proxy on the same machine\n"
    "  --base-url URL      the public address, for invitation links (default: from Host)\n"
    "  --per-ip-limit N    connections per client address (default 128; none on a\n"
    "                      loopback or unix listener, where every client is the proxy)\n"
    "  --header-timeout S  seconds a request's headers may take in all (default 10)\n"
    "  --body-timeout S    seconds its body may take in all (default 120)\n"
    "  --max-reading N     connections still sending headers at once; past it the\n"
    "                      oldest is closed (default: half of the 512 connections)\n"
    "  --max-body BYTES    the largest request body (default 1048576)\n"
    "  --threads N         worker threads (default: one per core)\n"
    "  --hash-max N        password hashes at once (sign-in, sign-up); past it a\n"
    "                      sign-in is asked to retry (default: half the workers)\n"
    "  --cache-mb N        page cache of each database connection, MiB (default 16;\n"
    "                      there are threads + 3 connections)\n"
    "  --trust-proxy-tls   mark cookies Secure when a local proxy says X-Forwarded-Proto: https\n"
    "  --quiet             no request log\n"
    "  --smtp URL          send notices by e-mail through this relay: smtp://HOST[:PORT]\n"
    "                      (STARTTLS, required but on the loopback) or smtps://HOST[:PORT]\n"
    "                      (TLS); user:password@ in the URL or the two options below.\n"
    "                      Needs --base-url (the mails' links) and --mail-from\n"
    "  --smtp-user NAME    the relay's user name\n"
    "  --smtp-password-file FILE  the relay's password, the file's first line\n"
    "  --mail-from ADDR    the sender's address of the mails\n"
    "  --jobs-poll-ms N    how often the job thread looks for due jobs (the scheduled\n"
    "                      pass, mail), milliseconds (default 1000)\n"
    "  --lock-memory       keep every page of the process out of swap (mlockall): what\n"
    "                      a request opens of a secret community is never written to\n"
    "                      disk; needs LimitMEMLOCK=infinity (docs/deploy.md)\n"
    "  --log-format F      text: lines start with the time (ISO 8601, UTC) and the level;\n"
    "                      journal: with <N> priority prefixes for journald and no time\n"
    "                      (journald adds it). Default: journal when standard error is\n"
    "                      systemd's journal stream, else text\n\n"
    "The database must exist ('hramada init' creates it): serve refuses a missing file\n"
    "rather than start an empty instance on a mistyped path.\n"
    "Stops cleanly on SIGINT or SIGTERM: requests in flight finish, the database closes.\n";

static const char USAGE_INIT[] =
    "usage: hramada init [--db PATH]\n\n"
    "Creates the database file when it does not exist. An existing database is only\n"
    "brought up to date (the migrations it lacks are applied; nothing is recreated or\n"
    "wiped), and init says which it did. The file is the owner's alone (mode 0600).\n";
static const char USAGE_DEMO[] =
    "usage: hramada demo [--db PATH]\n\n"
    "Creates the database if needed and adds the demo: accounts admin, coordinator,\n"
    "organizer, member and newcomer (password " DEMO_PASSWORD "), and communities of every\n"
    "kind. Refuses a database that already has accounts named so.\n";
static const char USAGE_USER[] =
    "usage: hramada user add HANDLE [--name NAME] [--admin] [--coordinator]\n"
    "       hramada user passwd HANDLE\n"
    "       hramada user list\n"
    "       hramada user role HANDLE (admin|coordinator|none)\n"
    "       hramada user delete HANDLE [--yes]\n\n"
    "Passwords are read from the terminal, or from standard input when it is not one\n"
    "(one line).\n\n"
    "passwd cannot open the account's encryption key (only its own password can): the\n"
    "account gets a new key pair and loses its memberships of secret communities.\n\n"
    "delete first says what goes (what the account holds in public and closed\n"
    "communities; secret ones are neither listed nor counted), and deletes only with\n"
    "--yes. What it wrote for a community stays, signed by nobody; its votes stay\n"
    "counted. The only organizer of a community, or the only administrator, is refused.\n";

static const char USAGE_BENCH[] =
    "usage: hramada bench-data --db PATH [--scale N] [--only AREA]\n\n"
    "Fills a new database with deterministic generated data: at scale 1, 1,000\n"
    "communities, 100,000 accounts (password bench-bench), their memberships,\n"
    "500,000 talent entries, 1,000,000 sense-of-community answers in closed waves,\n"
    "200,000 survey responses and strategies for a quarter of the communities.\n"
    "--scale multiplies every count (0.01 to 100; fractions too: 0.01 is a small data\n"
    "set of 10 communities and 1,000 accounts, made in seconds).\n"
    "Shows progress and the time of each step on standard error.\n"
    "--only AREA adds one area's step (meeting, budget, ...) to a database that\n"
    "bench-data filled already at the same scale, for an area whose data came later.\n";

static const char USAGE_BACKUP[] =
    "usage: hramada backup --db PATH --to FILE [--force] [passphrase option]\n\n"
    "Writes a consistent snapshot of the database to FILE while the server may go on\n"
    "serving and writing, encrypted with a passphrase (argon2id, XChaCha20-Poly1305\n"
    "in authenticated chunks). FILE is 0600 and appears only when complete; an existing\n"
    "FILE is refused unless --force.\n\n"
    "The passphrase (at least 12 characters; its first line) is read from, in order:\n"
    "  --passphrase-fd N     file descriptor N (e.g. 3 with 3<FILE in a shell)\n"
    "  --passphrase-file P   the file P (e.g. a systemd credential: %d/NAME)\n"
    "  HRAMADA_BACKUP_PASSPHRASE  the environment variable\n"
    "  standard input        asked twice, without echo, on a terminal\n"
    "Never on the command line, where every user of the machine can read it (ps).\n"
    "Without the passphrase the backup cannot be read by anyone: keep it apart.\n";

static const char USAGE_RESTORE[] =
    "usage: hramada restore --from FILE --db PATH [--force] [passphrase option]\n\n"
    "Decrypts the backup FILE into the database PATH. Every chunk is authenticated, the\n"
    "end must be there, and the result must pass SQLite's integrity check before it is\n"
    "put in place (written beside PATH, then renamed): a wrong passphrase or a damaged\n"
    "or truncated file is refused with the reason, and no partial file is left.\n"
    "An existing PATH is replaced only with --force, and never while a process (serve)\n"
    "has it open. The passphrase is read as for backup (see hramada backup --help).\n"
    "Start the server on PATH afterwards; it applies any migrations the backup lacks.\n";

static const char USAGE_BUDGET[] =
    "usage: hramada budget import --db PATH --community SLUG FILE.pb\n"
    "       hramada budget count --db PATH --process ID --method greedy|equal-shares\n\n"
    "import makes a closed participatory budget of the community from a pabulib file\n"
    "(approval or cumulative ballots; the file's project ids are kept), counts it and\n"
    "prints the new process's id; a malformed file is refused with the line at fault\n"
    "and nothing is made. count recounts a process with the method and prints the\n"
    "selected projects' ids (the file's, for an imported one), one a line.\n";

struct opts {
    struct config cfg;
    double scale;
    const char *name;
    int admin, coord, help, force, yes, lock_memory;
    const char *to, *from, *pass_file;
    const char *community, *method; /* budget */
    const char *only;               /* bench-data */
    int64_t process;
    int pass_fd;
    int jobs_poll_ms; /* serve: between passes of the job thread */
    const char *smtp, *smtp_user, *smtp_password_file, *mail_from; /* serve: e-mail */
    const char *args[4];
    int nargs;
};

/* The options that take a whole number into an int of struct opts: the
 * range, what to say when the value is outside it, and where it goes. */
static const struct number_opt {
    const char *name;
    int64_t lo, hi;
    const char *wants;
    size_t at;
} NUMBER_OPTS[] = {
    {"--passphrase-fd", 0, 1 << 20, "a file descriptor number", offsetof(struct opts, pass_fd)},
    {"--jobs-poll-ms", 10, 600000, "milliseconds, 10..600000", offsetof(struct opts, jobs_poll_ms)},
    {"--hash-max", 1, 1024, "1..1024", offsetof(struct opts, cfg.hash_max)},
    {"--cache-mb", 1, 4096, "1..4096", offsetof(struct opts, cfg.cache_mb)},
    {"--threads", 1, 1 << 30, "a positive number", offsetof(struct opts, cfg.threads)},
    {"--header-timeout", 1, 3600, "seconds, 1..3600", offsetof(struct opts, cfg.header_timeout)},
    {"--body-timeout", 1, 3600, "seconds, 1..3600", offsetof(struct opts, cfg.body_timeout)},
    {"--max-reading", 1, 100000, "a number of connections, 1..100000",
     offsetof(struct opts, cfg.max_reading)},
    {"--per-ip-limit", 0, 100000, "a number of connections (0: no limit per address)",
     offsetof(struct opts, cfg.max_conns_per_ip)},
};

static const struct number_opt *number_opt(const char *name)
{
    for (size_t k = 0; k < sizeof NUMBER_OPTS / sizeof NUMBER_OPTS[0]; k++)
        if (!strcmp(NUMBER_OPTS[k].name, name)) return &NUMBER_OPTS[k];
    return NULL;
}

/* Parses options after the command; returns -1 with a message on error. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
#define TAKE(field)                                                                                \
    do {                                                                                           \
        if (!val) {                                                                                \
            fprintf(stderr, "hramada: %s needs a value\n", a);                                     \
            return -1;                                                                             \
        }                                                                                          \
        field = val;                                                                               \
        i++;                                                                                       \
    } while (0)
/* The option's value as a number n within lo..hi, or a message saying
 * what it wants. */
#define TAKE_NUMBER(lo, hi, wants)                                                                 \
    const char *v = NULL;                                                                          \
    TAKE(v);                                                                                       \
    int64_t n;                                                                                     \
    if (str_to_i64(v, &n) != 0 || n < (lo) || n > (hi)) {                                          \
        fprintf(stderr, "hramada: %s wants %s\n", a, wants);                                       \
        return -1;                                                                                 \
    }
        const struct number_opt *no = number_opt(a);
        if (no) {
            TAKE_NUMBER(no->lo, no->hi, no->wants);
            *(int *)((char *)o + no->at) = (int)n;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            o->help = 1;
        } else if (!strcmp(a, "--db")) {
            TAKE(o->cfg.db_path);
        } else if (!strcmp(a, "--listen")) {
            TAKE(o->cfg.listen);
        } else if (!strcmp(a, "--log-format")) {
            const char *v = NULL;
            TAKE(v);
            enum log_format f;
            if (log_format_parse(v, &f) != 0) {
                fprintf(stderr, "hramada: --log-format wants text or journal\n");
                return -1;
            }
            log_set_format(f);
        } else if (!strcmp(a, "--smtp")) {
            TAKE(o->smtp);
        } else if (!strcmp(a, "--smtp-user")) {
            TAKE(o->smtp_user);
        } else if (!strcmp(a, "--smtp-password-file")) {
            TAKE(o->smtp_password_file);
        } else if (!strcmp(a, "--mail-from")) {
            TAKE(o->mail_from);
        } else if (!strcmp(a, "--base-url")) {
            TAKE(o->cfg.base_url);
        } else if (!strcmp(a, "--to")) {
            TAKE(o->to);
        } else if (!strcmp(a, "--from")) {
            TAKE(o->from);
        } else if (!strcmp(a, "--passphrase-file")) {
            TAKE(o->pass_file);
        } else if (!strcmp(a, "--force")) {
            o->force = 1;
        } else if (!strcmp(a, "--yes")) {
            o->yes = 1;
        } else if (!strcmp(a, "--passphrase")) {
            fprintf(stderr, "hramada: a passphrase is never taken from the command line, where "
                            "ps shows it; see 'hramada backup --help'\n");
            return -1;
        } else if (!strcmp(a, "--community")) {
            TAKE(o->community);
        } else if (!strcmp(a, "--method")) {
            TAKE(o->method);
        } else if (!strcmp(a, "--process")) {
            TAKE_NUMBER(1, INT64_MAX, "a process id");
            o->process = n;
        } else if (!strcmp(a, "--name")) {
            TAKE(o->name);
        } else if (!strcmp(a, "--only")) {
            TAKE(o->only);
        } else if (!strcmp(a, "--scale")) {
            const char *v = NULL;
            TAKE(v);
            char *end = NULL;
            double d = strtod(v, &end);
            if (end == v || *end || !(d >= 0.01 && d <= 100)) {
                fprintf(stderr, "hramada: --scale wants a number from 0.01 to 100 (0.5, 2)\n");
                return -1;
            }
            o->scale = d;
        } else if (!strcmp(a, "--max-body")) {
            TAKE_NUMBER(1, 1 << 30, "a positive number");
            o->cfg.max_body = (size_t)n;
        } else if (!strcmp(a, "--trust-proxy-tls")) {
            o->cfg.trust_proxy_tls = 1;
        } else if (!strcmp(a, "--quiet")) {
            o->cfg.quiet = 1;
        } else if (!strcmp(a, "--lock-memory")) {
            o->lock_memory = 1;
        } else if (!strcmp(a, "--admin")) {
            o->admin = 1;
        } else if (!strcmp(a, "--coordinator")) {
            o->coord = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "hramada: unknown option %s (see --help)\n", a);
            return -1;
        } else if (o->nargs < 4) {
            o->args[o->nargs++] = a;
        } else {
            fprintf(stderr, "hramada: too many arguments\n");
            return -1;
        }
#undef TAKE_NUMBER
#undef TAKE
    }
    return 0;
}

/* 1 when path names an existing file, else 0 with the one line that says
 * how to make it: serve, user and backup never create a database, so that
 * a mistyped path cannot start an empty instance or back up nothing. */
static int db_exists(const char *path)
{
    if (access(path, F_OK) == 0) return 1;
    fprintf(stderr,
            "hramada: there is no database at %s; create one with 'hramada init --db %s' "
            "(or check the path)\n",
            path, path);
    return 0;
}

/* Opens the database and brings its schema up to date; create: make the
 * file when it is missing. *applied (may be NULL) gets the number of
 * migrations applied. */
static struct db *open_db_ex(const struct config *cfg, int nreaders, int create, int *applied)
{
    if (!create && !db_exists(cfg->db_path)) return NULL;
    struct db *db = db_open_flags(cfg->db_path, nreaders, cfg->cache_mb, create ? DB_CREATE : 0);
    if (!db) return NULL;
    int rc = migrate_apply(db);
    if (applied) *applied = rc;
    if (rc == -2) {
        fprintf(stderr,
                "hramada: %s was made by a newer version of Hramada; this one (%s) cannot "
                "use it. Install the newer version, or restore a backup.\n",
                cfg->db_path, HRAMADA_VERSION);
    } else if (rc < 0) {
        fprintf(stderr, "hramada: cannot update the schema of %s (see above)\n", cfg->db_path);
    }
    if (rc >= 0 && areas_upgrade(db) != 0) {
        fprintf(stderr, "hramada: cannot bring the data of %s up to date (see above)\n",
                cfg->db_path);
        rc = -1;
    }
    if (rc < 0) {
        db_close(db);
        return NULL;
    }
    return db;
}

/* open_db_ex for the commands that may create the file (init, demo,
 * bench-data). */
static struct db *open_db(const struct config *cfg, int nreaders)
{
    return open_db_ex(cfg, nreaders, 1, NULL);
}

/* init: creates a missing database; an existing one is only migrated (its
 * data is never touched but by the migrations), and the line says which. */
static int cmd_init(struct opts *o)
{
    int existed = access(o->cfg.db_path, F_OK) == 0;
    int applied = 0;
    struct db *db = open_db_ex(&o->cfg, 1, 1, &applied);
    if (!db) return 1;
    struct dbc *w = db_writer_lock(db);
    unsigned char secret[32];
    int rc = setting_secret(w, secret);
    db_writer_unlock(db);
    db_close(db);
    if (rc != 0) return 1;
    if (!existed)
        printf("hramada: created the database %s (%d migrations applied)\n", o->cfg.db_path,
               applied);
    else if (applied > 0)
        printf("hramada: the database %s existed; applied %d new migrations, its data is kept\n",
               o->cfg.db_path, applied);
    else
        printf("hramada: the database %s existed and is up to date; nothing was changed\n",
               o->cfg.db_path);
    return 0;
}

static int cmd_demo(struct opts *o)
{
    struct db *db = open_db(&o->cfg, 1);
    if (!db) return 1;
    printf("hramada: filling %s with the demo...\n", o->cfg.db_path);
    struct dbc *w = db_write_begin(db);
    int rc = w ? areas_demo(w) : -1;
    if (w) rc = db_write_end(db, w, rc == 0) == 0 && rc == 0 ? 0 : -1;
    db_close(db);
    if (rc != 0) {
        fprintf(stderr, "hramada: the demo was not added (nothing was changed)\n");
        return 1;
    }
    printf("hramada: demo ready. Accounts (password %s):", DEMO_PASSWORD);
    for (int i = 0; demo_handles[i]; i++)
        printf(" %s", demo_handles[i]);
    printf("\n");
    return 0;
}

/* Reads a password from the terminal without echo, or a line of stdin. */
static int read_secret(const char *prompt, char *out, size_t n)
{
    int tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    if (tty) {
        fprintf(stderr, "%s", prompt);
        tcgetattr(STDIN_FILENO, &old);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    char *ok = fgets(out, (int)n, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        fprintf(stderr, "\n");
    }
    if (!ok) return -1;
    out[strcspn(out, "\r\n")] = 0;
    return 0;
}

static int read_password(const char *prompt, char *out, size_t n)
{
    if (read_secret(prompt, out, n) != 0) return -1;
    if (strlen(out) < PASSWORD_MIN) {
        fprintf(stderr, "hramada: a password needs at least %d characters\n", PASSWORD_MIN);
        return -1;
    }
    return 0;
}

static int cmd_user(struct opts *o)
{
    const char *sub = o->nargs ? o->args[0] : NULL;
    if (!sub) {
        fputs(USAGE_USER, stderr);
        return 2;
    }
    struct db *db = open_db_ex(&o->cfg, 1, 0, NULL);
    if (!db) return 1;
    int rc = 1;
    struct dbc *w = db_write_begin(db);
    if (!w) {
        db_close(db);
        return 1;
    }
    char pw[512];
    const char *handle = o->nargs > 1 ? o->args[1] : NULL;
    if (!strcmp(sub, "list")) {
        json_t *rows = account_list(w);
        size_t i;
        json_t *a;
        printf("%-24s %-32s %s\n", "HANDLE", "NAME", "ROLES");
        json_array_foreach(rows, i, a)
            printf("%-24s %-32s %s%s%s\n", json_string_value(json_object_get(a, "handle")),
                   json_string_value(json_object_get(a, "display_name")),
                   json_integer_value(json_object_get(a, "is_admin")) ? "admin " : "",
                   json_integer_value(json_object_get(a, "is_coord")) ? "coordinator " : "",
                   json_integer_value(json_object_get(a, "is_demo")) ? "(demo)" : "");
        json_decref(rows);
        rc = 0;
    } else if (!strcmp(sub, "add") && handle) {
        if (!account_handle_valid(handle)) {
            fprintf(stderr, "hramada: a handle is 3-32 letters, digits, '_', '.', '-'\n");
        } else if (read_password("password: ", pw, sizeof pw) == 0) {
            int64_t id = account_create(w, handle, o->name ? o->name : handle, pw, 0);
            if (id == -2)
                fprintf(stderr, "hramada: %s exists already\n", handle);
            else if (id > 0 && account_set_roles(w, id, o->admin, o->coord) == 0)
                rc = 0;
        }
    } else if (!strcmp(sub, "passwd") && handle) {
        int64_t id = account_id_by_handle(w, handle);
        if (!id) {
            fprintf(stderr, "hramada: no account %s\n", handle);
        } else {
            /* Sealing: the administrator does not know the old password, so
             * the account's secret key cannot be rewrapped, and that is the
             * point: a coerced administrator must not be able to get into a
             * member's secret communities. Said before anything is done
             * (the password prompt is the last moment to stop). */
            fprintf(stderr,
                    "hramada: a password set here cannot open the encryption key of %s; only\n"
                    "  its own password can. %s gets a new key pair: it loses its memberships\n"
                    "  of secret communities (their organizers must invite it again), and its\n"
                    "  sessions end.\n",
                    handle, handle);
            if (read_password("new password: ", pw, sizeof pw) == 0)
                rc = account_set_password(w, id, pw) == 0 && seal_reset(w, id, pw) == 0 ? 0 : 1;
        }
    } else if (!strcmp(sub, "delete") && handle) {
        rc = account_delete_cli(w, areas_all, handle, o->yes, stdout);
    } else if (!strcmp(sub, "role") && handle && o->nargs > 2) {
        int64_t id = account_id_by_handle(w, handle);
        const char *role = o->args[2];
        if (!id)
            fprintf(stderr, "hramada: no account %s\n", handle);
        else if (strcmp(role, "admin") && strcmp(role, "coordinator") && strcmp(role, "none"))
            fprintf(stderr, "hramada: a role is admin, coordinator or none\n");
        else
            rc = account_set_roles(w, id, !strcmp(role, "admin"), !strcmp(role, "coordinator"));
    } else {
        fputs(USAGE_USER, stderr);
        rc = 2;
    }
    explicit_bzero(pw, sizeof pw);
    if (db_write_end(db, w, rc == 0) != 0) rc = 1;
    db_close(db);
    if (rc == 0 && strcmp(sub, "list")) printf("hramada: done\n");
    return rc;
}

/* The first line of what fd holds (a passphrase file, a pipe, a credential),
 * without its line end; -1 when empty or unreadable. */
static int read_line_fd(int fd, char *out, size_t n)
{
    size_t len = 0;
    while (len + 1 < n) {
        ssize_t k = read(fd, out + len, 1);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0 || out[len] == '\n') break;
        len++;
    }
    out[len] = 0;
    if (len && out[len - 1] == '\r') out[--len] = 0;
    return len ? 0 : -1;
}

/* The backup passphrase from --passphrase-fd, --passphrase-file,
 * HRAMADA_BACKUP_PASSPHRASE or standard input (asked twice on a terminal
 * when confirm), in that order; never from argv. */
static int read_passphrase(const struct opts *o, int confirm, char *out, size_t n)
{
    int rc = -1;
    const char *env = getenv("HRAMADA_BACKUP_PASSPHRASE");
    if (o->pass_fd >= 0) {
        rc = read_line_fd(o->pass_fd, out, n);
        if (rc != 0) fprintf(stderr, "hramada: no passphrase on descriptor %d\n", o->pass_fd);
    } else if (o->pass_file) {
        int fd = open(o->pass_file, O_RDONLY | O_CLOEXEC);
        const char *why = fd < 0 ? strerror(errno) : NULL;
        rc = fd >= 0 ? read_line_fd(fd, out, n) : -1;
        if (fd >= 0) close(fd);
        if (rc != 0)
            fprintf(stderr, "hramada: no passphrase in %s%s%s\n", o->pass_file, why ? ": " : "",
                    why ? why : "");
    } else if (env && *env) {
        snprintf(out, n, "%s", env);
        rc = 0;
    } else if (isatty(STDIN_FILENO)) {
        rc = read_secret("backup passphrase: ", out, n);
        if (rc == 0 && confirm) {
            char again[BACKUP_PASSPHRASE_MAX + 2];
            rc = read_secret("the same again: ", again, sizeof again);
            if (rc == 0 && strcmp(out, again) != 0) {
                fprintf(stderr, "hramada: the two passphrases differ\n");
                rc = -1;
            }
            explicit_bzero(again, sizeof again);
        }
    } else {
        rc = read_line_fd(STDIN_FILENO, out, n);
        if (rc != 0)
            fprintf(stderr, "hramada: no passphrase on standard input (see --help for the "
                            "other ways to give one)\n");
    }
    if (rc == 0 && confirm && strlen(out) < BACKUP_PASSPHRASE_MIN) {
        fprintf(stderr,
                "hramada: a backup passphrase needs at least %d characters: it alone protects "
                "the member lists in the backup\n",
                BACKUP_PASSPHRASE_MIN);
        rc = -1;
    }
    return rc;
}

static int cmd_backup(struct opts *o)
{
    if (!o->to) {
        fputs(USAGE_BACKUP, stderr);
        return 2;
    }
    if (!db_exists(o->cfg.db_path)) return 1;
    char pass[BACKUP_PASSPHRASE_MAX + 2];
    int rc = read_passphrase(o, 1, pass, sizeof pass);
    if (rc == 0) rc = backup_write(o->cfg.db_path, o->to, pass, strlen(pass), o->force);
    explicit_bzero(pass, sizeof pass);
    return rc == 0 ? 0 : 1;
}

static int cmd_restore(struct opts *o)
{
    if (!o->from) {
        fputs(USAGE_RESTORE, stderr);
        return 2;
    }
    char pass[BACKUP_PASSPHRASE_MAX + 2];
    int rc = read_passphrase(o, 0, pass, sizeof pass);
    if (rc == 0) rc = backup_restore(o->from, o->cfg.db_path, pass, strlen(pass), o->force);
    explicit_bzero(pass, sizeof pass);
    return rc == 0 ? 0 : 1;
}

static int cmd_bench_data(struct opts *o)
{
    struct db *db = open_db(&o->cfg, 1);
    if (!db) return 1;
    struct dbc *c = db_writer_lock(db);
    int64_t existing = db_int(c, 0, "SELECT count(*) FROM accounts", "");
    unsigned char secret[32];
    setting_secret(c, secret);
    db_writer_unlock(db);
    if (!existing != !o->only) {
        fprintf(stderr,
                o->only ? "hramada: %s has no accounts; --only adds to a bench-data database\n"
                        : "hramada: %s already has accounts; bench-data wants a new database\n",
                o->cfg.db_path);
        db_close(db);
        return 1;
    }
    double scale = o->scale > 0 ? o->scale : 1;
    int rc = o->only ? benchdata_only(db, scale, o->only) : benchdata_generate(db, scale);
    db_close(db);
    return rc == 0 ? 0 : 1;
}

static int cmd_budget(struct opts *o)
{
    const char *sub = o->nargs ? o->args[0] : NULL;
    int import = sub && !strcmp(sub, "import") && o->community && o->nargs == 2;
    int count = sub && !strcmp(sub, "count") && o->process > 0 && o->method && o->nargs == 1;
    if (!import && !count) {
        fputs(USAGE_BUDGET, stderr);
        return 2;
    }
    struct db *db = open_db_ex(&o->cfg, 1, 0, NULL);
    if (!db) return 1;
    int rc = import ? budget_cli_import(db, o->community, o->args[1])
                    : budget_cli_count(db, o->process, o->method);
    db_close(db);
    return rc;
}

/* What the process keeps off the disk: never a core file (it would hold
 * the texts and keys of the requests in flight), and with --lock-memory no
 * page in swap. 0, or -1 when the locking asked for cannot be had. */
static int serve_memory_private(int lock)
{
    struct rlimit core;
    if (getrlimit(RLIMIT_CORE, &core) != 0 || core.rlim_cur != 0) {
        struct rlimit none = {0, 0};
        if (setrlimit(RLIMIT_CORE, &none) != 0)
            log_warn("serve: core files stay allowed (%s): set LimitCORE=0", strerror(errno));
    }
    if (!lock) return 0;
    if (mlockall(MCL_CURRENT | MCL_FUTURE) != 0) {
        fprintf(stderr,
                "hramada: --lock-memory: cannot lock the process's memory (%s); raise its\n"
                "limit (systemd: LimitMEMLOCK=infinity) or leave the option out\n",
                strerror(errno));
        return -1;
    }
    return 0;
}

/* The relay's configuration from serve's options (core/mail.h); the
 * password read from its file into pw. 0, or -1 with a message. */
static int serve_mail_config(const struct opts *o, struct mail_config *m, char *pw, size_t pwlen)
{
    memset(m, 0, sizeof *m);
    if (!o->smtp) {
        if (o->smtp_user || o->smtp_password_file || o->mail_from)
            fprintf(stderr, "hramada: --smtp-user, --smtp-password-file and --mail-from need "
                            "--smtp\n");
        return o->smtp_user || o->smtp_password_file || o->mail_from ? -1 : 0;
    }
    const char *why = NULL;
    if (mail_url_check(o->smtp, &why) != 0) {
        fprintf(stderr, "hramada: --smtp %s\n", why);
        return -1;
    }
    if (str_empty(o->cfg.base_url)) {
        fprintf(stderr, "hramada: --smtp needs --base-url: a mail's link must be absolute\n");
        return -1;
    }
    if (!o->mail_from || !mail_address_valid(o->mail_from)) {
        fprintf(stderr, "hramada: --smtp needs --mail-from ADDRESS (the sender's address)\n");
        return -1;
    }
    if (o->smtp_password_file) {
        FILE *f = fopen(o->smtp_password_file, "r");
        if (!f || !fgets(pw, (int)pwlen, f)) {
            fprintf(stderr, "hramada: --smtp-password-file: cannot read %s\n",
                    o->smtp_password_file);
            if (f) fclose(f);
            return -1;
        }
        fclose(f);
        pw[strcspn(pw, "\r\n")] = '\0';
        m->password = pw;
    }
    if (mail_global_init() != 0) {
        fprintf(stderr, "hramada: libcurl cannot start\n");
        return -1;
    }
    m->url = o->smtp;
    m->user = o->smtp_user;
    m->from = o->mail_from;
    return 0;
}

static int cmd_serve(struct opts *o)
{
    if (serve_memory_private(o->lock_memory) != 0) return 1;
    struct mail_config mail;
    char smtp_password[512] = "";
    if (serve_mail_config(o, &mail, smtp_password, sizeof smtp_password) != 0) return 2;
    struct app app;
    memset(&app, 0, sizeof app);
    app.cfg = o->cfg;
    app.version = HRAMADA_VERSION;
    int threads = o->cfg.threads > 0 ? o->cfg.threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    app.db = open_db_ex(&o->cfg, threads > 0 ? threads + 2 : 4, 0, NULL);
    if (!app.db) return 1;
    /* half the workers may hash passwords; the rest stay free for pages */
    app.hashing = gate_new(o->cfg.hash_max > 0 ? o->cfg.hash_max : threads / 2);
    app.tmpl = tmpl_load();
    app.cat = i18n_load();
    struct dbc *w = db_writer_lock(app.db);
    int src = setting_secret(w, app.secret);
    int demo = account_count_demo(w);
    db_writer_unlock(app.db);
    if (!app.tmpl || !app.cat || src != 0 || area_install(&app, areas_all) != 0) {
        fprintf(stderr, "hramada: cannot start (see above)\n");
        area_uninstall(&app);
        tmpl_free(app.tmpl);
        i18n_free(app.cat);
        db_close(app.db);
        gate_free(app.hashing);
        return 1;
    }
    app.hooks.load_viewer = account_load_viewer;
    app.hooks.layout_extra = inbox_layout_extra;

    /* Signals are taken by this thread alone, with sigwait: the workers
     * inherit the blocked mask, so no handler runs in the middle of a
     * request. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* before the workers: libvips starts once, its loaders blocked */
    struct http_server *srv = image_init("hramada") == 0 ? http_start(&app) : NULL;
    int rc = 1;
    /* The job thread (core/jobs.h): configuration only, on this stack. */
    struct notify_jobs_arg jobs_arg = {&app, &mail};
    struct jobs_config jobs_cfg = {notify_job_handlers, &jobs_arg, o->jobs_poll_ms, 0};
    struct jobs *jobs = NULL;
    if (srv &&
        (notify_jobs_install(app.db, now_s()) != 0 || !(jobs = jobs_start(app.db, &jobs_cfg)))) {
        fprintf(stderr, "hramada: cannot start the job thread (see above)\n");
        http_stop(srv);
        srv = NULL;
    }
    if (srv) {
        const char *colon = strrchr(o->cfg.listen, ':');
        if (str_starts(o->cfg.listen, "unix:"))
            log_out(LOG_INFO, "hramada %s: serving on the socket %s (database %s)", HRAMADA_VERSION,
                    o->cfg.listen + 5, o->cfg.db_path);
        else
            log_out(LOG_INFO, "hramada %s: serving http://%.*s:%d/ (database %s)", HRAMADA_VERSION,
                    (int)(colon - o->cfg.listen), o->cfg.listen, http_port(srv), o->cfg.db_path);
        if (str_empty(o->cfg.base_url))
            log_out(LOG_WARN,
                    "hramada: no --base-url: invitation links are made only for a page opened "
                    "at localhost; give the public address (docs/deploy.md)");
        if (demo > 0) {
            log_out(LOG_WARN,
                    "hramada: WARNING: this is a demo database (%d demo accounts). Do not use "
                    "it for real communities.",
                    demo);
            log_out(LOG_WARN,
                    "hramada: sign in as admin, coordinator, organizer, member or newcomer "
                    "with the password '%s'",
                    DEMO_PASSWORD);
        }
        int sig = 0;
        sigwait(&set, &sig);
        log_out(LOG_INFO, "hramada: %s received, finishing requests in flight...",
                sig == SIGINT ? "SIGINT" : "SIGTERM");
        http_stop(srv);
        jobs_stop(jobs);
        rc = 0;
    }
    area_uninstall(&app);
    tmpl_free(app.tmpl);
    i18n_free(app.cat);
    db_close(app.db);
    gate_free(app.hashing);
    explicit_bzero(smtp_password, sizeof smtp_password);
    image_shutdown();
    if (rc == 0) log_out(LOG_INFO, "hramada: stopped cleanly");
    return rc;
}

int main(int argc, char **argv)
{
    struct opts o;
    memset(&o, 0, sizeof o);
    o.pass_fd = -1;
    config_defaults(&o.cfg);
    if (getenv("HRAMADA_DB")) o.cfg.db_path = getenv("HRAMADA_DB");
    if (getenv("HRAMADA_LISTEN")) o.cfg.listen = getenv("HRAMADA_LISTEN");
    const char *cmd = argc > 1 ? argv[1] : "help";
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        fputs(USAGE, stdout);
        return 0;
    }
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("hramada %s\n", HRAMADA_VERSION);
        return 0;
    }
    log_set_format(log_format_detect()); /* --log-format overrides it */
    if (parse_opts(argc, argv, &o) != 0) return 2;
    /* Everything this program writes (the database, its WAL and shared
     * memory, backups) holds member lists: the owner's alone, whatever the
     * umask it was started with. db_open also sets the mode itself. */
    umask(077);
    if (auth_init() != 0) {
        fprintf(stderr, "hramada: libsodium cannot start\n");
        return 1;
    }
    /* Tests may lower the argon2id memory cost; never below libsodium's
     * minimum, and never in a production build's defaults. */
    const char *mem = getenv("HRAMADA_ARGON2_MEMLIMIT");
    if (mem && atol(mem) > 0) {
        auth_set_cost(2, (size_t)atol(mem));
        backup_set_cost(2, (size_t)atol(mem));
        seal_set_cost(2, (size_t)atol(mem));
    }
    static const struct {
        const char *name, *usage;
        int (*fn)(struct opts *);
    } cmds[] = {{"serve", USAGE_SERVE, cmd_serve},
                {"init", USAGE_INIT, cmd_init},
                {"demo", USAGE_DEMO, cmd_demo},
                {"user", USAGE_USER, cmd_user},
                {"backup", USAGE_BACKUP, cmd_backup},
                {"restore", USAGE_RESTORE, cmd_restore},
                {"bench-data", USAGE_BENCH, cmd_bench_data},
                {"budget", USAGE_BUDGET, cmd_budget}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strcmp(cmd, cmds[i].name) != 0) continue;
        if (o.help) {
            fputs(cmds[i].usage, stdout);
            return 0;
        }
        return cmds[i].fn(&o);
    }
    fprintf(stderr, "hramada: unknown command '%s'\n\n%s", cmd, USAGE);
    return 2;
}
