/* The strategy area's routes: reading is CAP_C_READ (public communities'
 * strategy to all, else members), personal values, proposals, votes and
 * pledges are for members, the plan, rules and canvas for the staff. An
 * action's owner reports on it (the route is for members, the UPDATE
 * checks owner or staff); a shared value is edited by its proposer or the
 * staff before anyone votes (checked the same way). Every delete has a
 * GET page that says what goes with it; the POST deletes. */
#include "core/notify.h"
#include "areas/strategy/internal.h"
#include "core/notify.h"

/* Repeated checkboxes, beside their forms' fields. */
static const char *const P_ROOTS[] = {"roots", NULL};
static const char *const P_PROTECTS[] = {"protects", NULL};
static const char *const P_PLAN[] = {"by", NULL};

static const struct route strategy_routes[] = {
    {"GET", "/c/{slug}/strategy", CAP_C_READ, 0, NULL, st_index_get, NULL},
    {"GET", "/c/{slug}/strategy/mine", CAP_C_MEMBER, 0, NULL, st_mine_get, NULL},
    {"POST", "/c/{slug}/strategy/mine", CAP_C_MEMBER, 0, NULL, st_mine_post, FORM_MINE},
    {"POST", "/c/{slug}/strategy/mine/{id:int}/delete", CAP_C_MEMBER, 0, NULL, st_mine_delete,
     NULL},
    {"GET", "/c/{slug}/strategy/values", CAP_C_READ, 0, NULL, st_values_get, NULL},
    {"POST", "/c/{slug}/strategy/values", CAP_C_MEMBER, 0, P_ROOTS, st_values_post, FORM_VALUE},
    {"POST", "/c/{slug}/strategy/values/{id:int}/vote", CAP_C_MEMBER, 0, NULL, st_vote_post,
     FORM_VOTE},
    {"POST", "/c/{slug}/strategy/goals", CAP_C_STAFF, 0, NULL, st_goal_post, FORM_GOAL},
    {"POST", "/c/{slug}/strategy/goals/{id:int}/parent", CAP_C_STAFF, 0, NULL, st_goal_parent_post,
     FORM_PARENT},
    {"POST", "/c/{slug}/strategy/actions", CAP_C_STAFF, 0, NULL, st_action_post, FORM_ACTION},
    {"POST", "/c/{slug}/strategy/actions/{id:int}/status", CAP_C_MEMBER, 0, NULL,
     st_action_status_post, FORM_STATUS},
    {"GET", "/c/{slug}/strategy/actions/{id:int}/edit", CAP_C_STAFF, 0, NULL, st_action_edit_get,
     NULL},
    {"POST", "/c/{slug}/strategy/actions/{id:int}/edit", CAP_C_STAFF, 0, NULL, st_action_edit_post,
     FORM_ACTION},
    {"GET", "/c/{slug}/strategy/actions/{id:int}/delete", CAP_C_STAFF, 0, NULL,
     st_action_delete_get, NULL},
    {"GET", "/c/{slug}/strategy/goals/{id:int}/edit", CAP_C_STAFF, 0, NULL, st_goal_edit_get, NULL},
    {"POST", "/c/{slug}/strategy/goals/{id:int}/edit", CAP_C_STAFF, 0, NULL, st_goal_edit_post,
     FORM_GOAL},
    {"GET", "/c/{slug}/strategy/goals/{id:int}/delete", CAP_C_STAFF, 0, NULL, st_goal_delete_get,
     NULL},
    {"GET", "/c/{slug}/strategy/rules/{id:int}/edit", CAP_C_STAFF, 0, NULL, st_rule_edit_get, NULL},
    {"POST", "/c/{slug}/strategy/rules/{id:int}/edit", CAP_C_STAFF, 0, P_PROTECTS,
     st_rule_edit_post, FORM_RULE},
    {"GET", "/c/{slug}/strategy/rules/{id:int}/delete", CAP_C_STAFF, 0, NULL, st_rule_delete_get,
     NULL},
    {"GET", "/c/{slug}/strategy/dilts/{id:int}/edit", CAP_C_STAFF, 0, NULL, st_dilts_edit_get,
     NULL},
    {"POST", "/c/{slug}/strategy/dilts/{id:int}/edit", CAP_C_STAFF, 0, NULL, st_dilts_edit_post,
     FORM_DILTS},
    {"GET", "/c/{slug}/strategy/dilts/{id:int}/delete", CAP_C_STAFF, 0, NULL, st_dilts_delete_get,
     NULL},
    {"GET", "/c/{slug}/strategy/values/{id:int}/edit", CAP_C_MEMBER, 0, NULL, st_value_edit_get,
     NULL},
    {"POST", "/c/{slug}/strategy/values/{id:int}/edit", CAP_C_MEMBER, 0, NULL, st_value_edit_post,
     FORM_VALUE},
    {"GET", "/c/{slug}/strategy/values/{id:int}/delete", CAP_C_MEMBER, 0, NULL, st_value_delete_get,
     NULL},
    {"POST", "/c/{slug}/strategy/values/{id:int}/delete", CAP_C_MEMBER, 0, NULL, st_value_delete,
     NULL},
    {"POST", "/c/{slug}/strategy/values/{id:int}/close", CAP_C_ORGANIZE, 0, NULL,
     st_value_close_post, FORM_CLOSE},
    {"POST", "/c/{slug}/strategy/text/{kind}/{id:int}/close", CAP_C_ORGANIZE, 0, NULL,
     st_text_close_post, FORM_CLOSE},
    {"GET", "/c/{slug}/strategy/mine/{id:int}/delete", CAP_C_MEMBER, 0, NULL, st_mine_delete_get,
     NULL},
    {"POST", "/c/{slug}/strategy/actions/{id:int}/pledge", CAP_C_MEMBER, 0, NULL, st_pledge_post,
     FORM_PLEDGE},
    {"GET", "/c/{slug}/strategy/actions/{id:int}/pledge/withdraw", CAP_C_MEMBER, 0, NULL,
     st_pledge_withdraw_get, NULL},
    {"POST", "/c/{slug}/strategy/actions/{id:int}/pledge/withdraw", CAP_C_MEMBER, 0, NULL,
     st_pledge_withdraw_post, NULL},
    {"POST", "/c/{slug}/strategy/rules", CAP_C_STAFF, 0, P_PROTECTS, st_rule_post, FORM_RULE},
    {"POST", "/c/{slug}/strategy/rules/{id:int}/delete", CAP_C_STAFF, 0, NULL, st_rule_delete,
     NULL},
    {"POST", "/c/{slug}/strategy/goals/{id:int}/delete", CAP_C_STAFF, 0, NULL, st_goal_delete,
     NULL},
    {"POST", "/c/{slug}/strategy/actions/{id:int}/delete", CAP_C_STAFF, 0, NULL, st_action_delete,
     NULL},
    {"POST", "/c/{slug}/strategy/dilts", CAP_C_STAFF, 0, NULL, st_dilts_post, FORM_DILTS},
    {"POST", "/c/{slug}/strategy/dilts/{id:int}/delete", CAP_C_STAFF, 0, NULL, st_dilts_delete,
     NULL},
    {"POST", "/c/{slug}/strategy/settings", CAP_C_ORGANIZE, 0, NULL, st_settings_post,
     FORM_SETTINGS},
    {"GET", "/c/{slug}/strategy/text/{kind}", CAP_C_READ, 0, NULL, st_text_get, NULL},
    {"POST", "/c/{slug}/strategy/text/{kind}", CAP_C_STAFF, 0, NULL, st_text_post, FORM_TEXT},
    {"POST", "/c/{slug}/strategy/text/{kind}/{id:int}/vote", CAP_C_MEMBER, 0, NULL,
     st_text_vote_post, FORM_VOTE},
    {"GET", "/c/{slug}/strategy/plan", CAP_C_READ, 0, P_PLAN, st_plan_get, NULL},
    {"GET", "/c/{slug}/strategy/print", CAP_C_READ, 0, NULL, st_print_get, NULL},
    {"GET", "/c/{slug}/strategy/export.json", CAP_C_READ, 0, NULL, st_json_get, NULL},
    {"GET", "/c/{slug}/strategy/export.md", CAP_C_READ, 0, NULL, st_md_get, NULL},
    {0},
};

static const struct route_table strategy_tables[] = {{SCOPE_COMMUNITY, strategy_routes}, {0}};

/* The notices the strategy writes (core/notify.h). A text's vote links to
 * the strategy's page: one kind for the three texts keeps the settings
 * page short, and the page lists every open vote. */
static const struct notify_kind strategy_notify_kinds[] = {
    {STRATEGY_NOTIFY_VALUE_VOTE, "strategy.notify.value_vote", NOTIFY_INBOX,
     "/strategy/values#value-{id}"},
    {STRATEGY_NOTIFY_TEXT_VOTE, "strategy.notify.text_vote", NOTIFY_INBOX, "/strategy"},
    {STRATEGY_NOTIFY_ACTION, "strategy.notify.action_owner", NOTIFY_INBOX, "/strategy/plan"},
    {"strategy.closing", "notify.strategy_closing", NOTIFY_INBOX, "/strategy/values"},
    {0},
};

const struct area strategy_area = {
    .name = "strategy",
    .routes = strategy_tables,
    .panel_fill = strategy_panel_fill,
    .panel_tmpl = "strategy/panel",
    .panel_title = "strategy.checks.title",
    .nav_path = "/strategy",
    .nav_label = "strategy.title",
    .demo = demo_strategy,
    .bench = benchdata_strategy,
    .person_export = strategy_person_export,
    .seal_texts = strategy_seal_texts,
    .notify_kinds = strategy_notify_kinds,
};
