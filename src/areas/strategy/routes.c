/* The strategy area's routes: reading is CAP_C_READ (public communities'
 * strategy to all, else members), personal values, proposals, votes and
 * pledges are for members, the plan, rules and canvas for the staff. An
 * action's owner reports on it (the route is for members, the UPDATE
 * checks owner or staff); a shared value is edited by its proposer or the
 * staff before anyone votes (checked the same way). Every delete has a
 * GET page that says what goes with it; the POST deletes. */
#include "areas/strategy/internal.h"

static const char *const P_MINE[] = {"kind", "text", "shared_with", NULL};
static const char *const P_VALUE[] = {"title", "description", "roots", NULL};
static const char *const P_VOTE[] = {"vote", NULL};
static const char *const P_GOAL[] = {"goal_title", "goal_parent", NULL};
static const char *const P_PARENT[] = {"parent", NULL};
static const char *const P_ACTION[] = {"action_goal", "action_title", "owner",  "due",    "hours",
                                       "money",       "currency",     "people", "skills", NULL};
static const char *const P_STATUS[] = {"status", "progress", "back", NULL};
static const char *const P_GOAL_EDIT[] = {"goal_title", "goal_parent", NULL};
static const char *const P_VALUE_EDIT[] = {"title", "description", NULL};
static const char *const P_CLOSE[] = {"reason", NULL};
static const char *const P_PLEDGE[] = {"pledge_hours", "pledge_money", "pledge_person", NULL};
static const char *const P_RULE[] = {"rule_text", "protects", NULL};
static const char *const P_DILTS[] = {"level", "entry", NULL};
static const char *const P_SETTINGS[] = {"vote_days", "majority_pct", "quorum_pct", NULL};
static const char *const P_TEXT[] = {"body", "put_to_vote", NULL};
static const char *const P_PLAN[] = {"by", NULL};

const struct route strategy_routes[] = {
    {"GET", "/c/{slug}/strategy", CAP_C_READ, 0, NULL, st_index_get},
    {"GET", "/c/{slug}/strategy/mine", CAP_C_MEMBER, 0, NULL, st_mine_get},
    {"POST", "/c/{slug}/strategy/mine", CAP_C_MEMBER, 0, P_MINE, st_mine_post},
    {"POST", "/c/{slug}/strategy/mine/{id}/delete", CAP_C_MEMBER, 0, NULL, st_mine_delete},
    {"GET", "/c/{slug}/strategy/values", CAP_C_READ, 0, NULL, st_values_get},
    {"POST", "/c/{slug}/strategy/values", CAP_C_MEMBER, 0, P_VALUE, st_values_post},
    {"POST", "/c/{slug}/strategy/values/{id}/vote", CAP_C_MEMBER, 0, P_VOTE, st_vote_post},
    {"POST", "/c/{slug}/strategy/goals", CAP_C_STAFF, 0, P_GOAL, st_goal_post},
    {"POST", "/c/{slug}/strategy/goals/{id}/parent", CAP_C_STAFF, 0, P_PARENT, st_goal_parent_post},
    {"POST", "/c/{slug}/strategy/actions", CAP_C_STAFF, 0, P_ACTION, st_action_post},
    {"POST", "/c/{slug}/strategy/actions/{id}/status", CAP_C_MEMBER, 0, P_STATUS,
     st_action_status_post},
    {"GET", "/c/{slug}/strategy/actions/{id}/edit", CAP_C_STAFF, 0, NULL, st_action_edit_get},
    {"POST", "/c/{slug}/strategy/actions/{id}/edit", CAP_C_STAFF, 0, P_ACTION, st_action_edit_post},
    {"GET", "/c/{slug}/strategy/actions/{id}/delete", CAP_C_STAFF, 0, NULL, st_action_delete_get},
    {"GET", "/c/{slug}/strategy/goals/{id}/edit", CAP_C_STAFF, 0, NULL, st_goal_edit_get},
    {"POST", "/c/{slug}/strategy/goals/{id}/edit", CAP_C_STAFF, 0, P_GOAL_EDIT, st_goal_edit_post},
    {"GET", "/c/{slug}/strategy/goals/{id}/delete", CAP_C_STAFF, 0, NULL, st_goal_delete_get},
    {"GET", "/c/{slug}/strategy/rules/{id}/edit", CAP_C_STAFF, 0, NULL, st_rule_edit_get},
    {"POST", "/c/{slug}/strategy/rules/{id}/edit", CAP_C_STAFF, 0, P_RULE, st_rule_edit_post},
    {"GET", "/c/{slug}/strategy/rules/{id}/delete", CAP_C_STAFF, 0, NULL, st_rule_delete_get},
    {"GET", "/c/{slug}/strategy/dilts/{id}/edit", CAP_C_STAFF, 0, NULL, st_dilts_edit_get},
    {"POST", "/c/{slug}/strategy/dilts/{id}/edit", CAP_C_STAFF, 0, P_DILTS, st_dilts_edit_post},
    {"GET", "/c/{slug}/strategy/dilts/{id}/delete", CAP_C_STAFF, 0, NULL, st_dilts_delete_get},
    {"GET", "/c/{slug}/strategy/values/{id}/edit", CAP_C_MEMBER, 0, NULL, st_value_edit_get},
    {"POST", "/c/{slug}/strategy/values/{id}/edit", CAP_C_MEMBER, 0, P_VALUE_EDIT,
     st_value_edit_post},
    {"GET", "/c/{slug}/strategy/values/{id}/delete", CAP_C_MEMBER, 0, NULL, st_value_delete_get},
    {"POST", "/c/{slug}/strategy/values/{id}/delete", CAP_C_MEMBER, 0, NULL, st_value_delete},
    {"POST", "/c/{slug}/strategy/values/{id}/close", CAP_C_ORGANIZE, 0, P_CLOSE,
     st_value_close_post},
    {"POST", "/c/{slug}/strategy/text/{kind}/{id}/close", CAP_C_ORGANIZE, 0, P_CLOSE,
     st_text_close_post},
    {"GET", "/c/{slug}/strategy/mine/{id}/delete", CAP_C_MEMBER, 0, NULL, st_mine_delete_get},
    {"POST", "/c/{slug}/strategy/actions/{id}/pledge", CAP_C_MEMBER, 0, P_PLEDGE, st_pledge_post},
    {"GET", "/c/{slug}/strategy/actions/{id}/pledge/withdraw", CAP_C_MEMBER, 0, NULL,
     st_pledge_withdraw_get},
    {"POST", "/c/{slug}/strategy/actions/{id}/pledge/withdraw", CAP_C_MEMBER, 0, NULL,
     st_pledge_withdraw_post},
    {"POST", "/c/{slug}/strategy/rules", CAP_C_STAFF, 0, P_RULE, st_rule_post},
    {"POST", "/c/{slug}/strategy/rules/{id}/delete", CAP_C_STAFF, 0, NULL, st_rule_delete},
    {"POST", "/c/{slug}/strategy/goals/{id}/delete", CAP_C_STAFF, 0, NULL, st_goal_delete},
    {"POST", "/c/{slug}/strategy/actions/{id}/delete", CAP_C_STAFF, 0, NULL, st_action_delete},
    {"POST", "/c/{slug}/strategy/dilts", CAP_C_STAFF, 0, P_DILTS, st_dilts_post},
    {"POST", "/c/{slug}/strategy/dilts/{id}/delete", CAP_C_STAFF, 0, NULL, st_dilts_delete},
    {"POST", "/c/{slug}/strategy/settings", CAP_C_ORGANIZE, 0, P_SETTINGS, st_settings_post},
    {"GET", "/c/{slug}/strategy/text/{kind}", CAP_C_READ, 0, NULL, st_text_get},
    {"POST", "/c/{slug}/strategy/text/{kind}", CAP_C_STAFF, 0, P_TEXT, st_text_post},
    {"POST", "/c/{slug}/strategy/text/{kind}/{id}/vote", CAP_C_MEMBER, 0, P_VOTE,
     st_text_vote_post},
    {"GET", "/c/{slug}/strategy/plan", CAP_C_READ, 0, P_PLAN, st_plan_get},
    {"GET", "/c/{slug}/strategy/print", CAP_C_READ, 0, NULL, st_print_get},
    {"GET", "/c/{slug}/strategy/export.json", CAP_C_READ, 0, NULL, st_json_get},
    {"GET", "/c/{slug}/strategy/export.md", CAP_C_READ, 0, NULL, st_md_get},
    {0},
};
