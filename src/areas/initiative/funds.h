/* Residents' initiatives (issue 14), step 4: fundraising and the
 * transparency report (migration 090).
 *
 * Members pledge money, hours or materials against a budget line (or the
 * initiative as a whole) and withdraw a pledge while it is not fulfilled.
 * Organizers and the initiative's treasurers (members the organizers name
 * for it) record external sources (grant applications, sponsors, a
 * collection with a target), the money received (from a pledge, a grant,
 * a sponsor, a collection or other) and the money spent against a budget
 * line (initiative_spending, migration 064), and mark pledges fulfilled.
 * Every write names in its WHERE that the initiative is at work and that
 * the writer may write it; zero rows changed is told apart on the writer
 * (404 gone, 409 with a reason). The report sums what came in by source and
 * what went out by line, and names nobody. */
#ifndef HR_INITIATIVE_FUNDS_H
#define HR_INITIATIVE_FUNDS_H

#include "areas/initiative/initiative.h"

enum {
    INITIATIVE_MATERIALS_MAX = 500, /* a pledge's materials */
    INITIATIVE_FUNDS_ROWS = 500,    /* rows of a list on the funds page */
};

/* NULL-terminated; labels "initiative.source.<key>",
 * "initiative.grant.<key>". */
extern const char *const initiative_source_kinds[];   /* grant sponsor collection */
extern const char *const initiative_grant_statuses[]; /* preparing sent granted refused */
extern const char *const initiative_income_sources[]; /* pledge grant sponsor collection other */
enum { INITIATIVE_INCOME_SOURCES = 5 };

/* 1 when member is one of the initiative's treasurers. */
int initiative_is_treasurer(struct dbc *c, int64_t id, int64_t member);
/* Names member (of the community) a treasurer of initiative id (on 1) or
 * takes it back (on 0); organizers only (the route's capability). 404 gone
 * or no such treasurer to take back, 409 not a member here. */
enum wr initiative_treasurer_set(struct dbc *w, int64_t cid, int64_t id, int64_t member, int on);

struct initiative_pledge_new {
    int64_t line;         /* a budget line of the initiative, 0: the whole */
    int64_t money, hours; /* minor units; hours */
    const char *materials;
};
/* A member's pledge while the initiative is at work: 409 "not_at_work",
 * "line_gone", "pledge_empty" (nothing pledged). */
enum wr initiative_pledge_add(struct dbc *w, int64_t cid, int64_t id, int64_t member,
                              const struct initiative_pledge_new *p, int64_t *pledge);
/* The member's own pledge withdrawn while not fulfilled: 404 none of
 * theirs, 409 "pledge_fulfilled". */
enum wr initiative_pledge_withdraw(struct dbc *w, int64_t cid, int64_t id, int64_t member,
                                   int64_t pledge);
/* Marked fulfilled by an organizer or a treasurer: 404 no such pledge, 409
 * "pledge_fulfilled", "not_treasurer", "not_at_work". */
enum wr initiative_pledge_fulfil(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                                 int64_t pledge);

struct initiative_source_new {
    const char *kind, *name; /* one of initiative_source_kinds; a name */
    int64_t amount;          /* asked (grant), promised (sponsor), target (collection) */
    const char *deadline;    /* "YYYY-MM-DD" or NULL */
    const char *status;      /* a grant's, else NULL */
    int64_t granted;         /* a grant's amount granted, < 0 none */
};
enum wr initiative_source_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                              const struct initiative_source_new *s, int64_t *source);
/* A grant's status and amount granted (< 0: none); 404 no such grant. */
enum wr initiative_grant_update(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                                int64_t source, const char *status, int64_t granted);

struct initiative_income_new {
    const char *source; /* one of initiative_income_sources */
    int64_t ref;        /* the pledge (source "pledge") or the source of that kind, 0 none */
    int64_t amount;
    const char *day, *note;
};
/* Money received; from a pledge it marks the pledge fulfilled in the same
 * transaction. 409 "ref_gone" when ref is not the initiative's of that
 * kind, "ref_needed" for a grant, a sponsor or a collection without one. */
enum wr initiative_income_add(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                              const struct initiative_income_new *in);
/* Money spent against a budget line by an organizer or a treasurer (the
 * team records it on the initiative's page, initiative_spending_add). */
enum wr initiative_funds_spend(struct dbc *w, int64_t cid, int64_t id, int64_t by, int organizer,
                               const struct initiative_spending_new *s);

/* The rows of the funds page (fields of m), each with its id as "entry". */
json_t *initiative_pledge_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id,
                               int64_t viewer, int64_t limit, int64_t offset);
/* The funds' page's lists are paged by INITIATIVE_FUNDS_PAGE rows; the
 * income's select of pledges and sources reads INITIATIVE_FUNDS_CHOICES. */
enum { INITIATIVE_FUNDS_PAGE = 30, INITIATIVE_FUNDS_CHOICES = 500 };
/* The withdrawn pledges, newest first: {who, former, mine, line, money,
 * hours, materials, pledged, withdrawn}; all of them when all (the books'
 * keepers), else only the viewer's own. */
enum { INITIATIVE_WITHDRAWN_SHOWN = 100 }; /* the newest, on the funds' page */
json_t *initiative_withdrawn_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id,
                                  int64_t viewer, int all, int64_t limit, int64_t offset);
/* Sources with what came in from each ("received"). */
json_t *initiative_source_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id,
                               int64_t limit, int64_t offset);
json_t *initiative_income_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id,
                               int64_t limit, int64_t offset);
json_t *initiative_treasurer_rows(struct dbc *c, const struct vmask *m, int64_t cid, int64_t id);
/* The currency of the community's initiatives (settings; "RUB" by
 * default), malloc'd. */
char *initiative_currency(struct dbc *c, int64_t cid);
/* The currencies a community may count its initiatives in (codes of ISO
 * 4217), and setting it: WR_INVALID for another. */
extern const char *const initiative_currencies[];
enum wr initiative_currency_set(struct dbc *w, int64_t cid, const char *currency);

/* ---- the transparency report ---- */

struct initiative_report {
    int64_t income[INITIATIVE_INCOME_SOURCES];           /* by initiative_income_sources */
    int64_t planned, spent;                              /* the budget lines' sums, all spending */
    int64_t pledges, pledges_fulfilled;                  /* counts */
    int64_t pledged_money, pledged_hours;                /* pledges not withdrawn */
    int64_t asked, granted;                              /* grants: asked, granted */
    int64_t withdrawn, withdrawn_money, withdrawn_hours; /* pledges withdrawn (089) */
    /* initiative_report_close */
    int64_t income_total, left, unfunded; /* left = income - spent; planned - income */
};
/* The totals of r from its parts (pure): income_total the sum of income,
 * left = income_total - spent (negative when more went out than came in),
 * unfunded = planned - income_total, never below 0. */
void initiative_report_close(struct initiative_report *r);
/* The sums of initiative id, closed. 0, or -1 on a read error. */
int initiative_report_read(struct dbc *c, int64_t cid, int64_t id, struct initiative_report *r);
/* The budget lines: {entry, name, planned, spent, pledged}, in order. */
json_t *initiative_report_lines(struct dbc *c, int64_t cid, int64_t id);

/* The demo's fully funded initiative (demo_funds.c): id of community cid,
 * at its implementation, with its budget lines; org an organizer. */
int demo_initiative_funds(struct dbc *w, int64_t cid, int64_t id, int64_t org);
/* Its title in the demo (demo_stages.c carries it there). */
#define INITIATIVE_DEMO_FUNDED "Полка для обмена книгами в холле"

#endif
