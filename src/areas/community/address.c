/* A new random address for a secret community (docs/architecture.md,
 * "Sealing, step 3: texts"). A community that became secret keeps the
 * address it had in clear until its organizers ask for a new one: the old
 * one is in people's bookmarks and messages, and breaking it is their
 * choice. The new one is 120 random bits; the row keeps its hash and the
 * address sealed under the community's key, so every member who has the
 * key finds it in their lists, and a copy of the disk holds neither. */
#include "areas/community/community.h"
#include "core/keyring.h"
#include "core/form.h"
#include "core/render.h"
#include "core/util.h"

#include <string.h>

/* The form: the community's present address, typed, so that a stray
 * click (or an empty POST) changes nothing. */
static const struct field FORM_ADDRESS[] = {
    {"confirm", F_TEXT, 1, 0, 200, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static void address_confirm(struct req *r, struct form *invalid)
{
    render_confirm(r, &(struct confirm){.title = tr(r, "community.address.title"),
                                        .what = r->comm->name,
                                        .loss = tr(r, "community.address.loss"),
                                        .back = arena_printf(r->arena, "/c/%s/edit", r->comm->slug),
                                        .back_label = tr(r, "community.edit.title"),
                                        .button = tr(r, "community.address.button"),
                                        .phrase = r->comm->slug,
                                        .phrase_label = tr(r, "community.address.confirm"),
                                        .invalid = invalid});
}

/* Only a secret community that has its key can have a sealed address:
 * any other answers 409 with the reason. */
static int renewable(struct req *r)
{
    if (r->comm->visibility == VIS_SECRET && r->comm->sealed) return 1;
    render_error(r, 409, "conflict", "community.address.not_sealed");
    return 0;
}

static void address_get(struct req *r)
{
    if (renewable(r)) address_confirm(r, NULL);
}

static void address_post(struct req *r)
{
    if (!renewable(r)) return;
    struct form f;
    form_read(&f, r, FORM_ADDRESS);
    const char *typed = form_str(&f, "confirm");
    if (typed && !str_eq(typed, r->comm->slug))
        form_error(&f, "confirm", "community.delete.mismatch");
    if (!form_ok(&f)) {
        address_confirm(r, &f);
        return;
    }
    form_release(&f);
    unsigned char raw[RING_ADDRESS_BYTES];
    char text[RING_ADDRESS_LEN + 1];
    ring_address_new(raw, text);
    /* The organizer's own keyring entry gets the new address too, so that
     * an invitation they make carries it. */
    const struct ring_entry *own = community_viewer_entry(r, r->comm->id);
    const unsigned char *sk = seal_viewer_secret(r);
    struct dbc *w = req_write_begin(r);
    enum wr rc = w ? community_address_renew(w, r->comm->id, text) : WR_BUSY;
    if (rc == WR_OK && own && sk) {
        struct ring_entry e = *own;
        memcpy(e.address, raw, sizeof e.address);
        e.has_address = 1;
        if (ring_put(w, r->acct->id, sk, &e) != 0) rc = wr_from_error(w);
        seal_wipe(&e, sizeof e);
    }
    rc = community_audit(r, w, rc, "settings", "");
    if (req_commit(r, rc, NULL) == 0)
        render_redirect(r, arena_printf(r->arena, "/c/%s/edit", text), "flash.address_changed");
}

const struct route community_address_routes[] = {
    {"GET", "/c/{slug}/address", CAP_C_ORGANIZE, 0, NULL, address_get, NULL},
    {"POST", "/c/{slug}/address", CAP_C_ORGANIZE, 0, NULL, address_post, FORM_ADDRESS},
    {0},
};
