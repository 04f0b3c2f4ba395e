/* `hramada user delete HANDLE [--yes]` (issue 13): the administrator's
 * deletion of an account, which first says what it will remove.
 *
 * What it lists is counted by the areas' own person_export hooks (the
 * same parts as the person's "download my data"), with secret communities
 * left out: the administrator learns from this command neither whether
 * the person is in a secret community nor anything of it. The deletion
 * itself is account_delete(), the person's own, with its rules: the only
 * organizer of a community is refused (it must be handed over first, by
 * the organizers, in the interface). Without --yes nothing is deleted. */
#include "areas/account/account.h"
#include "areas/community/community.h"
#include "core/area.h"
#include "core/db.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>

/* One line per part that holds anything: "  strategy.pledges: 2". */
static int describe(struct dbc *w, const struct area *const *areas, int64_t id, FILE *out)
{
    int lines = 0;
    for (const struct area *const *a = areas; *a; a++) {
        if (!(*a)->person_export) continue;
        json_t *part = (*a)->person_export(w, id, 0, NULL);
        if (!part) return -1;
        const char *key;
        json_t *rows;
        json_object_foreach(part, key, rows)
        {
            size_t n = json_array_size(rows);
            if (!n) continue;
            fprintf(out, "  %s.%s: %zu\n", (*a)->name, key, n);
            lines++;
        }
        json_decref(part);
    }
    if (!lines) fprintf(out, "  nothing in public or closed communities\n");
    return 0;
}

int account_delete_cli(struct dbc *w, const struct area *const *areas, const char *handle, int yes,
                       FILE *out)
{
    int64_t id = account_id_by_handle(w, handle);
    if (!id) {
        fprintf(stderr, "hramada: no account %s\n", handle);
        return 1;
    }
    fprintf(out,
            "%s: the account goes, with its sessions, keys and second factor. Of what it\n"
            "holds (below), its own rows go (memberships, personal values, pledges, talent\n"
            "entries, requests); what it wrote for a community stays, signed by nobody, and\n"
            "its votes stay counted. Secret communities are neither listed nor counted here.\n",
            handle);
    if (describe(w, areas, id, out) != 0) return 1;
    if (!yes) {
        fprintf(out, "nothing deleted: run again with --yes to delete %s\n", handle);
        return 1;
    }
    char *hash = account_password_hash(w, id);
    /* Without the person's key the command cannot find their sealed
     * memberships: their member rows stay, with nobody behind them. */
    enum wr rc = hash ? account_delete(w, id, hash, NULL) : WR_DB;
    free(hash);
    if (rc == WR_OK) return 0;
    /* The rules are account_delete's; here only said in words. */
    const char *why = wr_reason(w);
    if (str_eq(why, "delete.last_admin.conflict")) {
        fprintf(stderr,
                "hramada: %s is the only administrator: make another one first (hramada"
                " user role HANDLE admin); nothing deleted\n",
                handle);
    } else if (str_eq(why, "members.last_organizer")) {
        json_t *sole = member_sole_organizer_of(w, id, NULL, NULL);
        size_t n = json_array_size(sole);
        json_decref(sole);
        fprintf(stderr,
                "hramada: %s is the only organizer of %zu communit%s: another member must\n"
                "  be made organizer there first; nothing deleted\n",
                handle, n, n == 1 ? "y" : "ies");
    } else {
        fprintf(stderr, "hramada: %s was not deleted (%s)\n", handle, why ? why : "database error");
    }
    return 1;
}
