/* Communities: directory, creation and editing, territories and
 * prerequisites, members and roles, invitations, join requests. */
#ifndef HR_COMMUNITY_H
#define HR_COMMUNITY_H

#include "core/area.h"
#include "core/db.h"
#include "core/form.h"
#include "core/req.h"
#include "core/keyring.h"
#include "core/seal.h"
#include <jansson.h>

struct dbc;
struct arena;

/* An account's members in every community (member_id, community_id), for
 * a query's FROM, with the account as ?1 and its sealed member ids as ?2
 * (core/area.h). */
#define MEMBER_LINKS PERSON_MEMBERS_OF("?1", "?2")

extern const struct area community_area;
extern const struct route community_member_routes[];
extern const struct route community_invite_routes[];
extern const struct route community_audit_routes[];
extern const struct route community_address_routes[];
/* The community scope (caps.c): how {slug} loads a community, and the
 * one place that compares roles. */
extern const struct scope_def community_scope;
/* The sections and panels of the areas built on communities, into a
 * dashboard's view ("areas", "panels"), through the app's list of areas. */
void community_area_sections(struct req *r, json_t *view);
/* Deletes a community: each area's purge (app's list), then the rows
 * that cascade. WR_NOT_FOUND when there is no such community. */
enum wr community_delete_everywhere(struct req *r, struct dbc *w, int64_t community_id);
/* Who the viewer is in r->comm, for the pages that show it (caps.c, the
 * one place that compares roles): the role's name ("" for none). */
const char *community_viewer_role(const struct req *r);

/* The app hook: fills r->comm; -1 when the community does not exist or is
 * secret and the viewer is not a member (the two must look the same). */
int community_load(struct req *r, const char *slug);

/* The seven prerequisites of a community, in the methodology's order. */
extern const char *const community_prereqs[];
/* Roles by name, index = enum role. */
extern const char *const community_role_names[];
enum role community_role_from_name(const char *name);
/* [{key, label, selected}] for keys, labels from the catalog as
 * "prefix.key"; selected when the key is in the space-separated list. */
json_t *community_labels(struct req *r, const char *const *keys, const char *prefix,
                         const char *selected);

/* Labels for the prerequisites in a space-separated list (pages.c). */
json_t *community_prereq_tags(struct req *r, const char *csv);
/* The territory tree down to max_depth as options of a <select>: each
 * with an indent for its depth, selected when it is the chosen one. */
json_t *community_territory_options(struct req *r, int max_depth, int64_t selected,
                                    int64_t community_id);

/* Creating, editing and deleting a community (edit.c): the forms and the
 * handlers the routes name. */
extern const struct field FORM_COMMUNITY_NEW[], FORM_COMMUNITY_EDIT[], FORM_COMMUNITY_DELETE[];
void community_new_get(struct req *r);
void community_create_post(struct req *r);
void community_edit_get(struct req *r);
void community_edit_post(struct req *r);
void community_delete_get(struct req *r);
void community_delete_post(struct req *r);

enum { COMMUNITY_NAME_MAX = 120, COMMUNITY_DESC_MAX = 20000, TERRITORY_NAME_MAX = 120 };

/* ---- model (community/model.c) ---- */

struct territory_new;

struct community_new {
    const char *slug, *name, *description;
    enum visibility visibility;
    int64_t territory_id; /* 0: none */
    const char *const *prereqs;
    int nprereqs;
    /* A random address community_add gave it (slug then points here). */
    char address[RING_ADDRESS_LEN + 1];
    /* A new place the form added, below territory_id (NULL: none), which
     * community_add adds and moves the community to before sealing it: a
     * secret community's own place has its name sealed with its texts.
     * Its owner and community_id are community_add's to set. */
    const struct territory_new *place;
};

/* Creates the community with creator as its organizer, its id in *id_out;
 * WR_CONFLICT when the slug is taken. Needs the write transaction. A
 * secret community created with the creator's secret key sk (their
 * session's) gets its data key and a sealed organizer; without sk its
 * organizer waits to be sealed (the tools: demo, bench-data). */
enum wr community_add(struct dbc *w, struct community_new *c, int64_t creator,
                      const unsigned char *sk, int64_t *id_out);
/* community_add for the demo and bench tools: the id, -2 when the slug is
 * taken, -1 on error. */
int64_t community_create(struct dbc *w, const struct community_new *c, int64_t creator);
/* Saves the form's values; what did not change is not written (nor its
 * updated_at). */
enum wr community_update(struct dbc *w, int64_t id, const struct community_new *c);
/* Sets the community's territory (after a new place was added for it). */
enum wr community_set_territory(struct dbc *w, int64_t id, int64_t territory_id);
/* 1 when a community holds the address, 0 when it is free, -1 on error. */
int community_slug_taken(struct dbc *c, const char *slug);
/* An address suggested from a name: the name transliterated (slug.c says
 * which system), words joined by "-", at most 64 characters; may be too
 * short to be valid. malloc'd, caller frees. */
char *community_slug_suggest(const char *name);
/* The row (id, slug, name, description, visibility, territory_id) and the
 * viewer's role (role: NULL if none); new ref or NULL. For the demo. */
json_t *community_find(struct dbc *c, const char *slug, int64_t viewer);
/* The same row for the pages: strings in a. */
struct community_row {
    int64_t id, territory_id; /* territory_id 0: none */
    const char *slug, *name, *description;
    enum visibility visibility;
    enum role role;    /* the viewer's; ROLE_NONE when not a member */
    int64_t member_id; /* the viewer's member id; 0 when not a member */
    int sealed;        /* has a data key: members may be in keyrings only */
};
/* 0, or -1 when there is no such community. */
int community_read(struct dbc *c, struct arena *a, const char *slug, int64_t viewer,
                   struct community_row *out);
/* What the directory is asked for (prereq, query: NULL for any). */
struct directory_filter {
    int64_t viewer;
    const char *prereq;
    int64_t territory_id;
    const char *query;
    int64_t offset, limit;
    const char *sealed;    /* the viewer's sealed member ids (ring_viewer_member_ids) */
    const char *addresses; /* and their random addresses (ring_viewer_addresses) */
};
/* What a directory row's labels are made from and no view carries: its
 * prerequisites ("places problems") and the start of its Markdown. */
struct directory_extra {
    const char *prereqs, *summary_md;
};
/* One page of the communities the viewer may see listed: public and
 * closed to all, secret to their members; with member counts and the
 * territory, the fields m allows. (*extra)[i] is row i's (arena a). */
json_t *community_directory(struct dbc *c, const struct vmask *m, struct arena *a,
                            const struct directory_filter *f, struct directory_extra **extra,
                            size_t *n_extra);
/* The viewer's own communities by name, a page of them (an account can be
 * in very many: a coordinator, or a script gone wrong). */
/* A sealed community's name that this viewer's keyring cannot open (a
 * member who still waits for the key) comes back NULL from the lists:
 * such rows get a sentence in its place and name_waiting. */
void community_rows_named(struct req *r, json_t *rows);
json_t *community_list_mine(struct dbc *c, const struct vmask *m, int64_t viewer,
                            const char *sealed, const char *addresses, int64_t offset,
                            int64_t limit);
/* What a list of the viewer's own communities carries (pages.c). */
extern const struct vfield community_mine_fields[];
int64_t community_count_mine(struct dbc *c, int64_t viewer, const char *sealed);
/* The community's prerequisites as a space-separated list in the
 * methodology's order ("places problems"), in a. */
const char *community_prereq_list(struct dbc *c, struct arena *a, int64_t community_id);
int64_t community_member_count(struct dbc *c, int64_t community_id);
/* "Страна › Город › Район" for a territory id. Arena-less: new JSON string
 * or NULL. */
json_t *territory_path(struct dbc *c, int64_t territory_id);
/* The tree as a flat list in depth-first order with a depth for indenting,
 * down to max_depth (0: countries only): the public places and the
 * private ones of community_id (0: public only). */
json_t *territory_tree(struct dbc *c, int max_depth, int64_t community_id);

/* The kinds of place from the top of the tree down; a child's kind is
 * always strictly below its parent's. The first three (country, region,
 * city) are added by administrators and coordinators only. */
extern const char *const territory_kinds[];
enum { TERRITORY_TOP_KINDS = 3 };

struct territory_new {
    int64_t parent_id; /* 0: the top (a country) */
    const char *kind, *name;
    int64_t owner;        /* the secret community it is private to, or 0 */
    int64_t community_id; /* the community adding it (0 while creating one):
                             its private places may be the parent */
    int may_add_top;      /* the account may add countries, regions, cities */
};
/* Adds a place under the tree's rules (checked by the INSERT itself): the
 * id (an existing one with the same name, parent and owner is reused), -3
 * when the rules refuse it, -1 on error. Needs the write transaction. */
int64_t territory_add(struct dbc *w, const struct territory_new *t);
/* territory_add as a write: WR_INVALID when the rules refuse it. */
enum wr territory_place(struct dbc *w, const struct territory_new *t, int64_t *id_out);
/* territory_add of a public place by a trusted tool (demo, bench-data). */
int64_t territory_create(struct dbc *w, int64_t parent_id, const char *kind, const char *name);
/* The kind of a place community_id may use (public, or its own private
 * one; 0: public only), as an element of territory_kinds; NULL if none. */
const char *territory_kind_of(struct dbc *c, int64_t id, int64_t community_id);
int territory_usable(struct dbc *c, int64_t id, int64_t community_id);
/* Removes the private places of a community (before deleting it: the
 * owner column has no ON DELETE action); 0, or -1. */
int community_private_territories_drop(struct dbc *w, int64_t community_id);
/* Deletes a community and everything of it, in every area; WR_NOT_FOUND
 * when there is no such community. */
enum wr community_delete(struct dbc *w, int64_t id);

/* "Download my data": memberships and join requests (model_export.c);
 * the area's person_export hook (core/area.h). */
json_t *community_person_export(struct dbc *c, int64_t account_id, int with_secret,
                                const char *sealed);

/* ---- members, invitations, join requests (community/model_members.c) ---- */

/* Members, organizers first (id, display_name, role, joined), as
 * member_page without a mask: for a choice of a member (an action's
 * owner). */
json_t *member_list(struct dbc *c, int64_t community_id, int64_t offset, int64_t limit);
/* Up to limit members whose name holds q (folded: case and ё), those
 * named exactly q first (id, display_name, exact), for choosing a person by
 * name where a list of every member would be too long (model_members.c).
 * Reads every name of the community. */
json_t *member_find_by_name(struct dbc *c, int64_t community_id, const char *q, int64_t limit);
struct form;
/* The member a form chooses (pick.c): by the name typed in name_field (the
 * one named exactly so, or the only one whose name holds it; when several
 * do, the one of them chosen in id_field's select, which this fills with
 * them as f->options for the re-render), or, the name empty, by the id in
 * id_field. 0 with an error beside the field when none is found (or, the
 * name empty, when none is given: the caller decides whether that is
 * wrong). */
int64_t member_pick(struct form *f, const char *id_field, const char *name_field);
/* One page of members, organizers first, the fields m allows of (id,
 * display_name, role, joined): the member id and name in the community,
 * never the account. */
json_t *member_page(struct dbc *c, const struct vmask *m, int64_t community_id, int64_t offset,
                    int64_t limit);
/* The members' member ids in the order of their accounts' ids, into *out
 * (malloc'd, caller frees, NULL when none); the count, or -1. For
 * bench-data, whose generated data follows that order. */
int64_t member_ids(struct dbc *c, int64_t community_id, int64_t **out);
/* The community's member ids, ascending, from members alone (caller frees
 * *out): ballot rolls and the bulk tools of areas that store members. */
int64_t member_local_ids(struct dbc *c, int64_t community_id, int64_t **out);
/* The member id the account has in the community, or 0: for demo data and
 * tools, never for a request (the router gives r->comm->member_id). */
int64_t member_of_account(struct dbc *c, int64_t community_id, int64_t account_id);
/* The communities (slug, name) whose only organizer the account is. */
json_t *member_sole_organizer_of(struct dbc *c, int64_t account_id, const char *sealed,
                                 const char *addresses);
/* The account leaves every community, each by member_remove's rule (the
 * last organizer may not: 409 "members.last_organizer"), on the writer. */
enum wr member_leave_all(struct dbc *w, int64_t account_id, const char *sealed);
/* The slug of a community id (malloc'd) or NULL. */
char *community_slug_of(struct dbc *c, int64_t id);
/* The member's role name, or NULL (malloc'd). */
char *member_role(struct dbc *c, int64_t community_id, int64_t account_id);
/* 1 when account is a member of the community. */
int member_is(struct dbc *c, int64_t community_id, int64_t account_id);
/* account joins the community with role, on the writer inside the caller's
 * transaction: the new member id; 0 when it is a member already; -1 on a
 * database error. */
/* The notice of a join request approved, to the newcomer (core/notify.h). */
#define COMMUNITY_NOTIFY_APPROVED "community.join_approved"
/* The notice of an invitation accepted, to the member who made it, about
 * the invitation. */
#define COMMUNITY_NOTIFY_INVITE_ACCEPTED "community.invite_accepted"

int64_t member_join(struct dbc *w, int64_t community_id, int64_t account_id, const char *role);
/* ---- secret memberships in keyrings (model_sealed.c) ---- */

/* The account's member id in the community, in clear or (with its secret
 * key sk) sealed; 0 when none, -1 when sk does not open its keyring. */
int64_t member_find(struct dbc *c, int64_t community_id, int64_t account_id,
                    const unsigned char *sk);
/* A new member's id (random, 53 bits, never 0). */
int64_t member_new_id(void);
/* 1 when the community has a data key (its members are sealed), 0 when
 * not, -1 on a database error. */
int community_has_seal(struct dbc *c, int64_t community_id);
/* 1 when dk is the community's data key (its check value opens). */
int community_seal_key_ok(struct dbc *c, int64_t community_id, const struct seal_data_key *dk);
/* The account joins the community sealed: a member row, and an entry in
 * its keyring opened with sk, with the data key and address of keys (when
 * given and it has them); no clear link. On the writer: the member id, 0
 * when a member already, -1 on an error. */
int64_t member_join_sealed(struct dbc *w, int64_t community_id, int64_t account_id,
                           const unsigned char sk[SEAL_SK], const char *role,
                           const struct ring_entry *keys);
/* A new data key for the community (*dk, the caller's to wipe) and its
 * check value. */
int community_seal_start(struct dbc *w, int64_t community_id, struct seal_data_key *dk);
/* The account's clear links to secret communities ("waiting to be
 * sealed") move into its keyring, with sk at hand (sign-in): the number
 * moved, or -1. The first member of a community sealed gives it its data
 * key. */
int64_t member_seal_waiting(struct dbc *w, int64_t account_id, const unsigned char sk[SEAL_SK]);
/* A community is secret (made so, or saved so): its decided join requests
 * go, and account_id's memberships waiting to be sealed are sealed. */
int community_seal_now(struct dbc *w, int64_t community_id, int64_t account_id,
                       const unsigned char sk[SEAL_SK]);
/* Leaves the community's data key dk for each of its waiting members who
 * has a key pair and none left yet (sealed to their public key; taken at
 * their next sign-in): the number left, or -1. */
int64_t member_drops_leave(struct dbc *w, int64_t community_id, const struct seal_data_key *dk);
/* How many members of a secret community still wait to be sealed. */
int64_t member_waiting_count(struct dbc *c, int64_t community_id);
/* The community's data key from the viewer's keyring (owned by the
 * request), or NULL. */
const struct seal_data_key *community_viewer_data_key(struct req *r, int64_t community_id);
/* The viewer's keyring entry of the community (owned by the request), or
 * NULL: what an invitation passes on. */
const struct ring_entry *community_viewer_entry(struct req *r, int64_t community_id);

/* A community's address as a list shows it, from its row t and the
 * viewer's addresses bound as a JSON object (ring_viewer_addresses): the
 * stored slug, or for a random address (stored as its hash) the
 * viewer's copy. */
#define SHOWN_SLUG(t, addresses)                                                                   \
    "(CASE WHEN substr(" t ".slug, 1, 1) = '~' THEN coalesce(unseal(" t ".address, " t ".id,"      \
    " 'communities.address'), json_extract(" addresses ", '$.\"' || " t ".id || '\"'))"            \
    " ELSE " t ".slug END)"
/* Gives a sealed secret community the random address (its text, as in
 * a path): the row keeps its hash and the address sealed, so that every
 * member with the key finds it; the old address stops opening it. A
 * community that is not secret, or has no key yet, is a conflict. */
enum wr community_address_renew(struct dbc *w, int64_t community_id, const char *address);
/* A rename from the person's own session reaches their sealed members. */
int member_rename_sealed(struct dbc *w, const char *member_ids_json, const char *name);
/* The viewer's sealed member in the community (from their keyring) and
 * its role into *role; 0 (and ROLE_NONE) when none, the session has no
 * key open, or the member was removed. */
int64_t community_viewer_sealed_role(struct req *r, int64_t community_id, enum role *role);

/* ---- the audit log (audit.c, model_audit.c) ---- */
/* A row of the community's audit log, on the writer: WR_OK or the error. */
enum wr audit_add(struct dbc *w, int64_t community_id, int64_t actor, const char *action,
                  const char *subject);
/* The log's page, newest first (day, actor, action, subject). */
json_t *audit_page(struct dbc *c, const struct vmask *m, int64_t community_id, int64_t offset,
                   int64_t limit);
/* The requester's display name of a join request (malloc'd), or NULL. */
char *join_request_name(struct dbc *c, int64_t community_id, int64_t id);
/* A member's name in the community (malloc'd), or NULL. */
char *member_name_of(struct dbc *c, int64_t community_id, int64_t member_id);
/* For a handler's write: when rc is WR_OK, the act is logged as the
 * viewer's in the same transaction; the result is what to commit. */
enum wr community_audit(struct req *r, struct dbc *w, enum wr rc, const char *action,
                        const char *subject);
/* For an export (a GET): logs "export of which" in its own write; 0, or
 * the answer has been given (busy, error) and nothing may be sent. */
int community_audit_export(struct req *r, const char *which);
/* Burning a secret community with several organizers takes two: on the
 * writer, *wait = 1 when this organizer's request now waits (a day) for
 * another's; 0 when the community may be deleted now (one organizer, or
 * another asked within the day). */
enum wr community_burn_ask(struct dbc *w, int64_t community_id, int64_t member_id, int *wait);
/* 0: no request waits; 1: this member's waits; 2: another organizer's. */
int community_burn_pending(struct dbc *c, int64_t community_id, int64_t member_id);
int64_t community_organizer_count(struct dbc *c, int64_t community_id);
/* For the demo and bench tools: 0, or -1. */
int member_add(struct dbc *w, int64_t community_id, int64_t account_id, const char *role);
/* Changes a member's role (the role they have is no change): WR_NOT_FOUND
 * when member_id is not a member of the community (any more), WR_CONFLICT
 * when it would leave the community without an organizer. */
enum wr member_set_role(struct dbc *w, int64_t community_id, int64_t member_id, const char *role);
/* Removes a member by member id (leaving too: the viewer's member id). */
enum wr member_remove(struct dbc *w, int64_t community_id, int64_t member_id);

/* Invitations: token_out[AUTH_TOKEN_LEN + 1] receives the link's secret. */
/* by: the member who makes it, told when it is accepted. */
enum wr invite_add(struct dbc *w, int64_t community_id, int64_t by, const char *role,
                   int64_t max_uses, int64_t expires_at, const char *note,
                   const struct ring_entry *keys, char *token_out);
json_t *invite_list(struct dbc *c, const struct vmask *m, int64_t community_id);
enum wr invite_revoke(struct dbc *w, int64_t community_id, int64_t id);
/* An invitation by its token, with its community; strings in the arena. */
struct invite_row {
    int64_t id, community_id, uses, max_uses;
    const char *role, *expires, *slug, *name, *description;
    int revoked, expired, used_up;
    enum visibility visibility;
    /* What the link carries of a sealed community (its data key, its
     * random address; slug is then that address): the caller wipes it
     * (seal_wipe) when done. */
    struct ring_entry keys;
};
/* 0, or -1 when no invitation has the token. */
int invite_read(struct dbc *c, struct arena *a, const char *token, struct invite_row *out);
/* Why an invitation cannot be used, as a catalog key; NULL if it can
 * (found: invite_read found it). */
const char *invite_problem(const struct invite_row *inv, int found);
/* 1 if the token names an invitation that can still be used. */
int community_invite_usable(struct dbc *c, const char *token);
/* What accepting an invitation did: the community (slug in the arena),
 * and whether the account joined (0: it was a member already, and the
 * invitation is not spent). */
struct invite_use {
    int64_t community_id;
    const char *slug;
    int joined;
};
/* Uses the invitation for account: WR_CONFLICT, with the reason
 * (invite.revoked, invite.expired, invite.used_up, invite.unknown), when
 * it can no longer be used. */
enum wr invite_accept(struct dbc *w, struct arena *a, const char *token, int64_t account_id,
                      const unsigned char *sk, struct invite_use *out);

/* Ends the write that used an invitation (community/members.c): as
 * req_commit, except that an invitation found unusable answers
 * status_unusable (410, or 403 on sign-up) with why. Returns 0 on commit,
 * else the status answered. */
int community_commit_invite(struct req *r, enum wr rc, int status_unusable);

/* For the demo: the id, -2 when one is pending, -1 on error. */
int64_t join_request_create(struct dbc *w, int64_t community_id, int64_t account_id,
                            const char *message);
/* A request to join (one already waiting is the same request):
 * WR_CONFLICT when the account is a member. */
enum wr join_request_add(struct dbc *w, int64_t community_id, int64_t account_id,
                         const char *message);
int join_request_pending(struct dbc *c, int64_t community_id, int64_t account_id);
json_t *join_request_list(struct dbc *c, const struct vmask *m, int64_t community_id);
int64_t join_request_count(struct dbc *c, int64_t community_id);
/* Approves (adds as member) or declines a pending request: WR_NOT_FOUND
 * when there is none, WR_CONFLICT when it was decided already. */
enum wr join_request_decide(struct dbc *w, int64_t community_id, int64_t id, int approve);

#endif
