-- Indexes on the strategy's child columns. Without them every "goal with
-- no sub-goal and no action" check and every cascade from a deleted goal or
-- shared value scanned the whole instance's goals and actions: the checks
-- of the five mistakes cost about 27 million instructions a page at scale 1
-- (2,250 goals, 3,755 actions), most of the dashboard and strategy pages.
CREATE INDEX goals_parent ON goals(parent_id);
CREATE INDEX actions_goal ON actions(goal_id);
CREATE INDEX actions_owner ON actions(owner_id);
CREATE INDEX rule_values_value ON rule_values(shared_value_id);
CREATE INDEX shared_value_roots_personal ON shared_value_roots(personal_value_id);
-- Votes counted yes and no for each shared value (the adoption rule, on
-- the dashboard and the values page): from an index instead of the rows.
CREATE INDEX value_votes_tally ON value_votes(shared_value_id, yes);
