/* The community rule "organizers must use a second factor" (issue 13):
 * its column (src/sql/044_community_second_factor.sql), read by the scope
 * (caps.c) and written by the settings form (edit.c). */
#ifndef HR_COMMUNITY_SECOND_FACTOR_H
#define HR_COMMUNITY_SECOND_FACTOR_H

#include "core/db.h"
#include <stdint.h>

/* 1 when the community asks its organizers for a second factor, else 0. */
int community_second_factor_rule(struct dbc *c, int64_t community_id);
/* Sets the rule; what did not change is not written. */
enum wr community_set_second_factor_rule(struct dbc *w, int64_t community_id, int on);

#endif
