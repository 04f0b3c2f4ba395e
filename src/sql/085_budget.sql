-- Participatory budgeting (issue 15), step 1: processes, projects and their
-- review, ballots apart from who voted, and the counted outcome.
--
-- Texts are written through seal() (src/areas/budget/model.c): in a secret
-- community they are sealed under its data key, so the CHECKs refuse only
-- an empty text and the lengths people may type are the forms' rules.

-- phase: proposals, review, voting, results, implementation, moved on by
-- the organizers (the dates are the plan the page shows). Opening the
-- voting opens a ballot box (core/ballot.h) whose roll is the members of
-- that moment and whose closing time is results_on; from then on the ballot
-- and the method are fixed (the settings UPDATE names the phases before
-- voting in its WHERE).
CREATE TABLE budget_processes (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    title TEXT NOT NULL CHECK (length(title) >= 1),
    description TEXT NOT NULL DEFAULT '',
    amount INTEGER NOT NULL CHECK (amount BETWEEN 1 AND 1000000000000),
    currency TEXT NOT NULL CHECK (currency IN ('RUB', 'BYN', 'UAH', 'KZT', 'EUR', 'USD', 'PLN',
                                               'points')),
    phase TEXT NOT NULL DEFAULT 'proposals'
        CHECK (phase IN ('proposals', 'review', 'voting', 'results', 'implementation')),
    -- Each phase's first day (midnight UTC), in order.
    proposals_on INTEGER NOT NULL,
    review_on INTEGER NOT NULL,
    voting_on INTEGER NOT NULL,
    results_on INTEGER NOT NULL,
    implementation_on INTEGER NOT NULL,
    -- approval: at most max_projects projects (0: any number) and, when
    -- max_total, at most the amount in total (the knapsack ballot);
    -- cumulative: points to distribute.
    ballot TEXT NOT NULL CHECK (ballot IN ('approval', 'cumulative')),
    max_projects INTEGER NOT NULL DEFAULT 0 CHECK (max_projects BETWEEN 0 AND 1000),
    max_total INTEGER NOT NULL DEFAULT 0 CHECK (max_total IN (0, 1)),
    points INTEGER NOT NULL DEFAULT 0 CHECK (points BETWEEN 0 AND 1000),
    method TEXT NOT NULL CHECK (method IN ('greedy', 'equal_shares')),
    box_id INTEGER REFERENCES ballot_boxes(id) ON DELETE SET NULL,
    -- The count, written once when the results phase opens.
    counted INTEGER NOT NULL DEFAULT 0 CHECK (counted IN (0, 1)),
    spent INTEGER NOT NULL DEFAULT 0,
    voters INTEGER NOT NULL DEFAULT 0,
    raises INTEGER NOT NULL DEFAULT 0, -- equal shares: the "add one" raises
    share TEXT NOT NULL DEFAULT '',     -- equal shares: a voter's share, "123.45"
    created_at INTEGER NOT NULL,
    CHECK (proposals_on <= review_on AND review_on <= voting_on AND voting_on < results_on
           AND results_on <= implementation_on),
    CHECK ((ballot = 'cumulative') = (points > 0)),
    CHECK (ballot = 'approval' OR (max_projects = 0 AND max_total = 0))
) STRICT;
CREATE INDEX budget_processes_by_community ON budget_processes(community_id, id);
CREATE UNIQUE INDEX budget_processes_box ON budget_processes(box_id) WHERE box_id IS NOT NULL;

-- review: pending, feasible (on the ballot, at reviewed_cost when set) or
-- infeasible, with a reason its author sees. A project may stand for an
-- initiative of the same community (initiative_id).
CREATE TABLE budget_projects (
    id INTEGER PRIMARY KEY,
    process_id INTEGER NOT NULL REFERENCES budget_processes(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    initiative_id INTEGER REFERENCES initiatives(id) ON DELETE SET NULL,
    title TEXT NOT NULL CHECK (length(title) >= 1),
    description TEXT NOT NULL CHECK (length(description) >= 1),
    place TEXT NOT NULL DEFAULT '',
    cost INTEGER NOT NULL CHECK (cost BETWEEN 1 AND 1000000000000),
    review TEXT NOT NULL DEFAULT 'pending' CHECK (review IN ('pending', 'feasible', 'infeasible')),
    reason TEXT NOT NULL DEFAULT '',
    reviewed_cost INTEGER CHECK (reviewed_cost IS NULL OR reviewed_cost BETWEEN 1 AND 1000000000000),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX budget_projects_by_process ON budget_projects(process_id, id);
CREATE INDEX budget_projects_by_community ON budget_projects(community_id);
CREATE INDEX budget_projects_by_member ON budget_projects(member_id) WHERE member_id IS NOT NULL;
CREATE INDEX budget_projects_by_initiative ON budget_projects(initiative_id)
    WHERE initiative_id IS NOT NULL;

-- The ballots, the published ballot file: keyed by a random receipt code
-- that only its voter was shown, never by a member. Who voted is the ballot
-- box's roll (a flag flipped in place); nothing here says who or when: the
-- key is random, so a row's place in the file follows no order of voting,
-- and the WAL is truncated after every ballot (ballot_flush).
CREATE TABLE budget_ballots (
    process_id INTEGER NOT NULL REFERENCES budget_processes(id) ON DELETE CASCADE,
    receipt TEXT NOT NULL,
    project_id INTEGER NOT NULL REFERENCES budget_projects(id) ON DELETE CASCADE,
    weight INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 1000),
    PRIMARY KEY (process_id, receipt, project_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX budget_ballots_by_project ON budget_ballots(project_id);

-- The counted outcome, project by project, with why it won or lost:
-- greedy: left (what was left when its turn came); equal shares: price
-- (what each supporter paid per point), capped and capped_paid (those who
-- paid all they had left), have (what its supporters had left, when it
-- was not bought). Money as "123.45" in the process's currency.
CREATE TABLE budget_results (
    project_id INTEGER PRIMARY KEY REFERENCES budget_projects(id) ON DELETE CASCADE,
    process_id INTEGER NOT NULL REFERENCES budget_processes(id) ON DELETE CASCADE,
    votes INTEGER NOT NULL,
    supporters INTEGER NOT NULL,
    selected INTEGER NOT NULL CHECK (selected IN (0, 1)),
    ord INTEGER NOT NULL,
    why TEXT NOT NULL CHECK (why IN ('selected', 'no_votes', 'did_not_fit', 'unaffordable')),
    cost INTEGER NOT NULL,
    left_then INTEGER NOT NULL DEFAULT 0,
    price TEXT NOT NULL DEFAULT '',
    capped INTEGER NOT NULL DEFAULT 0,
    capped_paid TEXT NOT NULL DEFAULT '',
    have TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX budget_results_by_process ON budget_results(process_id, selected, votes);
