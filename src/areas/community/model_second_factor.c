/* The SQL of the rule "organizers must use a second factor"; see
 * second_factor.h. */
#include "areas/community/second_factor.h"
#include "core/db.h"

int community_second_factor_rule(struct dbc *c, int64_t community_id)
{
    static const char sql[] = "SELECT organizers_second_factor FROM communities WHERE id = ?";
    return db_int(c, 0, sql, "i", community_id) == 1;
}

enum wr community_set_second_factor_rule(struct dbc *w, int64_t community_id, int on)
{
    static const char sql[] = "UPDATE communities SET organizers_second_factor = ?1"
                              " WHERE id = ?2 AND organizers_second_factor IS NOT ?1";
    return db_exec(w, sql, "ii", (int64_t)(on != 0), community_id) < 0 ? wr_from_error(w) : WR_OK;
}
