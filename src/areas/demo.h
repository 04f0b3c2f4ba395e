/* The demo: Russian content written for Hramada, so that a newcomer sees a
 * living instance. Each area adds a step to areas_demo(). */
#ifndef HR_DEMO_H
#define HR_DEMO_H

#include <stdint.h>

struct dbc;

enum { DEMO_ACCOUNTS = 5 };
extern const char *const demo_handles[]; /* admin coordinator organizer member newcomer */
#define DEMO_PASSWORD "demo-demo"

/* Accounts, territories and communities. */
int demo_platform(struct dbc *w);
/* The id of a demo account or community, for later steps. */
int64_t demo_account(struct dbc *w, const char *handle);
int64_t demo_community(struct dbc *w, const char *slug);

#endif
