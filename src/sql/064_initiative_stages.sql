-- Residents' initiatives (issue 14), step 2: the manager's four stages.
--
-- An initiative accepted for work (state 'work', stage 1..4) gathers the
-- data of each stage here; a gate computed from it (logic.c) says what is
-- still missing before it moves on, and every move is a row of
-- initiative_history (migration 060). Free texts go through seal() in
-- the area's model, as in 060: the CHECKs refuse only an empty text, and
-- the lengths are the forms' rules. Money is an integer of the
-- community's currency's minor unit (kopecks), never negative.

-- The texts of the stages and the coordinator, one row per initiative
-- that has any (written on first save; a missing row reads as empty).
CREATE TABLE initiative_work (
    initiative_id INTEGER PRIMARY KEY REFERENCES initiatives(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    -- A member the organizers name; they move the stages as organizers do.
    coordinator_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    -- 1. analysis of the present
    analysis TEXT NOT NULL DEFAULT '',  -- the problem in detail
    affected TEXT NOT NULL DEFAULT '',  -- who is affected
    -- 2. design
    goal TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT '',    -- the expected result
    risks TEXT NOT NULL DEFAULT '',
    -- 1 when the budget was confirmed as it is (possibly no line: zero)
    budget_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (budget_confirmed IN (0, 1)),
    -- 4. evaluation
    done_text TEXT NOT NULL DEFAULT '', -- what was done
    learned TEXT NOT NULL DEFAULT '',
    consequences TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX initiative_work_by_community ON initiative_work(community_id);
CREATE INDEX initiative_work_by_coordinator ON initiative_work(coordinator_id)
    WHERE coordinator_id IS NOT NULL;

-- Evidence of the analysis: one of this community's own objects (a
-- survey, a sense-of-community wave, a need of the talent bank), named by
-- kind and id. The object may go later; the row then shows "removed".
CREATE TABLE initiative_evidence (
    id INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('survey', 'wave', 'need')),
    ref_id INTEGER NOT NULL,
    UNIQUE (initiative_id, kind, ref_id)
) STRICT;
CREATE INDEX initiative_evidence_by_community ON initiative_evidence(community_id);

-- Partners and stakeholders: free text entries (a name and their part).
CREATE TABLE initiative_stakeholders (
    id INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) >= 1),
    part TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX initiative_stakeholders_by_initiative ON initiative_stakeholders(initiative_id, id);
CREATE INDEX initiative_stakeholders_by_community ON initiative_stakeholders(community_id);

-- Indicators: a name, the value now and the target (design), the value
-- after (evaluation; NULL until it is written).
CREATE TABLE initiative_indicators (
    id INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) >= 1),
    value_now INTEGER NOT NULL CHECK (value_now >= 0),
    target INTEGER NOT NULL CHECK (target >= 0),
    value_after INTEGER CHECK (value_after >= 0)
) STRICT;
CREATE INDEX initiative_indicators_by_initiative ON initiative_indicators(initiative_id, id);
CREATE INDEX initiative_indicators_by_community ON initiative_indicators(community_id);

-- The plan: tasks with an owner (a member), a due day, what they need,
-- and a status that the implementation moves. The strategy area's plan
-- reads them (the view initiative_plan_tasks below).
CREATE TABLE initiative_tasks (
    id INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    title TEXT NOT NULL CHECK (length(title) >= 1),
    owner_member INTEGER REFERENCES members(id) ON DELETE SET NULL,
    due TEXT CHECK (due IS NULL OR due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    hours INTEGER NOT NULL DEFAULT 0 CHECK (hours >= 0),
    money INTEGER NOT NULL DEFAULT 0 CHECK (money >= 0),
    people INTEGER NOT NULL DEFAULT 0 CHECK (people >= 0),
    status TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'in_progress', 'done')),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX initiative_tasks_by_initiative ON initiative_tasks(initiative_id, id);
CREATE INDEX initiative_tasks_by_community ON initiative_tasks(community_id, due);
CREATE INDEX initiative_tasks_by_owner ON initiative_tasks(owner_member)
    WHERE owner_member IS NOT NULL;

-- The team: members with a role each, once per initiative.
CREATE TABLE initiative_team (
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (length(role) >= 1),
    PRIMARY KEY (initiative_id, member_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX initiative_team_by_member ON initiative_team(member_id);
CREATE INDEX initiative_team_by_community ON initiative_team(community_id);

-- The budget: lines with an amount. A table of its own so that the
-- fundraising to come can point pledges and income at a line.
CREATE TABLE initiative_budget_lines (
    id INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) >= 1),
    amount INTEGER NOT NULL CHECK (amount >= 0)
) STRICT;
CREATE INDEX initiative_budget_lines_by_initiative ON initiative_budget_lines(initiative_id, id);
CREATE INDEX initiative_budget_lines_by_community ON initiative_budget_lines(community_id);

-- Spending recorded against a budget line during the implementation: who
-- recorded it (a member), the amount, the day it was spent, a note.
CREATE TABLE initiative_spending (
    id INTEGER PRIMARY KEY,
    line_id INTEGER NOT NULL REFERENCES initiative_budget_lines(id) ON DELETE CASCADE,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    amount INTEGER NOT NULL CHECK (amount >= 0),
    day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    note TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX initiative_spending_by_line ON initiative_spending(line_id);
CREATE INDEX initiative_spending_by_initiative ON initiative_spending(initiative_id, id);
CREATE INDEX initiative_spending_by_community ON initiative_spending(community_id);
CREATE INDEX initiative_spending_by_member ON initiative_spending(member_id)
    WHERE member_id IS NOT NULL;

-- Reports of the implementation: a text by a member, on a day.
CREATE TABLE initiative_reports (
    id INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    body TEXT NOT NULL CHECK (length(body) >= 1),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX initiative_reports_by_initiative ON initiative_reports(initiative_id, id);
CREATE INDEX initiative_reports_by_community ON initiative_reports(community_id);
CREATE INDEX initiative_reports_by_member ON initiative_reports(member_id)
    WHERE member_id IS NOT NULL;

-- The tasks of initiatives at work as the strategy area's plan reads them
-- (its model_plan.c, read-only): in the shape of its actions, the status
-- in its words (todo = planned), the goal the initiative serves. The title
-- stays as stored: the reader opens it with the label
-- 'initiative_tasks.title'. A done initiative's tasks stay in the plan as
-- done; ideas, declined and merged ones have no tasks shown.
CREATE VIEW initiative_plan_tasks AS
    SELECT t.id, t.community_id, t.initiative_id, i.goal_id, t.title, t.owner_member, t.due,
           CASE t.status WHEN 'todo' THEN 'planned' ELSE t.status END AS status,
           t.hours, t.money, t.people
    FROM initiative_tasks t JOIN initiatives i ON i.id = t.initiative_id
    WHERE i.state IN ('work', 'done');
