-- Residents' initiatives (issue 14), step 1: ideas and support.
--
-- An initiative is proposed by a member, supported by members (once each),
-- discussed in comments, and decided by the organizers: accepted for work
-- (stage 1, analysis of the present), merged into another initiative, or
-- declined with a reason. Every change of state or stage is a row of
-- initiative_history. Texts are stored through seal() (the area's
-- model.c): in a secret community they are sealed under its data key, so
-- the CHECKs refuse only an empty text and the lengths people may type are
-- the forms' rules.

-- state: idea (collecting support), queued (the support threshold was
-- reached: the organizers' queue), work (accepted: stage 1..4), done (the
-- four stages closed; a later step), merged (a duplicate of merged_into),
-- declined. 'done' is allowed now so that the later steps need no rebuild
-- of this table.
CREATE TABLE initiatives (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    -- The author: a member, never an account. The initiative is the
    -- community's record and outlives its author ("a former member").
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    title TEXT NOT NULL CHECK (length(title) >= 1),
    problem TEXT NOT NULL CHECK (length(problem) >= 1),
    proposal TEXT NOT NULL CHECK (length(proposal) >= 1),
    direction TEXT NOT NULL CHECK (direction IN ('leisure', 'housing', 'landscaping',
                                                 'neighbours', 'clubs', 'help', 'other')),
    -- Where: a place of the community's territory, or a free text (or both
    -- empty: the whole community).
    territory_id INTEGER REFERENCES territories(id) ON DELETE SET NULL,
    place_text TEXT NOT NULL DEFAULT '',
    -- The strategic goal it serves (the strategy area's top-level goal).
    goal_id INTEGER REFERENCES goals(id) ON DELETE SET NULL,
    state TEXT NOT NULL DEFAULT 'idea'
        CHECK (state IN ('idea', 'queued', 'work', 'done', 'merged', 'declined')),
    -- 0 before the work; 1 analysis, 2 design, 3 implementation, 4 evaluation.
    stage INTEGER NOT NULL DEFAULT 0 CHECK (stage BETWEEN 0 AND 4),
    merged_into INTEGER REFERENCES initiatives(id) ON DELETE SET NULL,
    -- Kept by the triggers below, so that the list sorts by an index.
    supports INTEGER NOT NULL DEFAULT 0 CHECK (supports >= 0),
    comments INTEGER NOT NULL DEFAULT 0 CHECK (comments >= 0),
    created_at INTEGER NOT NULL,
    -- A duplicate points at its target; the pointer goes (SET NULL) only
    -- when the target itself goes, as a community is deleted.
    CHECK (merged_into IS NULL OR state = 'merged'),
    CHECK ((state = 'work') = (stage > 0) OR state = 'done')
) STRICT;
CREATE INDEX initiatives_by_date ON initiatives(community_id, created_at, id);
CREATE INDEX initiatives_by_support ON initiatives(community_id, supports, id);
CREATE INDEX initiatives_by_state ON initiatives(community_id, state, created_at);
CREATE INDEX initiatives_by_member ON initiatives(member_id) WHERE member_id IS NOT NULL;
CREATE INDEX initiatives_by_territory ON initiatives(territory_id) WHERE territory_id IS NOT NULL;
CREATE INDEX initiatives_by_goal ON initiatives(goal_id) WHERE goal_id IS NOT NULL;
CREATE INDEX initiatives_by_merged ON initiatives(merged_into) WHERE merged_into IS NOT NULL;

-- One support per member and initiative: the primary key is the rule. A
-- support is the member's own and goes when they leave. No day is kept:
-- the count and "do I support it" are all any page shows.
CREATE TABLE initiative_supports (
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    PRIMARY KEY (initiative_id, member_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX initiative_supports_by_member ON initiative_supports(member_id);

CREATE TRIGGER initiative_supports_added AFTER INSERT ON initiative_supports
BEGIN
    UPDATE initiatives SET supports = supports + 1 WHERE id = NEW.initiative_id;
END;
CREATE TRIGGER initiative_supports_removed AFTER DELETE ON initiative_supports
BEGIN
    UPDATE initiatives SET supports = supports - 1 WHERE id = OLD.initiative_id;
END;

-- Comments. A hidden comment keeps its reason and loses its text: what an
-- organizer hides (an address, a name, an insult) must not stay stored.
CREATE TABLE initiative_comments (
    id INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    hidden_reason TEXT,
    hidden_by INTEGER REFERENCES members(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    CHECK (length(body) >= 1 OR hidden_reason IS NOT NULL)
) STRICT;
CREATE INDEX initiative_comments_by_initiative ON initiative_comments(initiative_id, id);
CREATE INDEX initiative_comments_by_community ON initiative_comments(community_id);
CREATE INDEX initiative_comments_by_member ON initiative_comments(member_id)
    WHERE member_id IS NOT NULL;
CREATE INDEX initiative_comments_by_hider ON initiative_comments(hidden_by)
    WHERE hidden_by IS NOT NULL;

CREATE TRIGGER initiative_comments_added AFTER INSERT ON initiative_comments
BEGIN
    UPDATE initiatives SET comments = comments + 1 WHERE id = NEW.initiative_id;
END;
CREATE TRIGGER initiative_comments_removed AFTER DELETE ON initiative_comments
BEGIN
    UPDATE initiatives SET comments = comments - 1 WHERE id = OLD.initiative_id;
END;

-- Every change of state or stage: who (a member; NULL with automatic = 1
-- when the support threshold moved it, NULL with automatic = 0 when the
-- member has left), the day (never a time), from and to, and the reason.
CREATE TABLE initiative_history (
    id INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    automatic INTEGER NOT NULL DEFAULT 0 CHECK (automatic IN (0, 1)),
    day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    from_state TEXT NOT NULL
        CHECK (from_state IN ('idea', 'queued', 'work', 'done', 'merged', 'declined')),
    to_state TEXT NOT NULL
        CHECK (to_state IN ('idea', 'queued', 'work', 'done', 'merged', 'declined')),
    from_stage INTEGER NOT NULL CHECK (from_stage BETWEEN 0 AND 4),
    to_stage INTEGER NOT NULL CHECK (to_stage BETWEEN 0 AND 4),
    reason TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX initiative_history_by_initiative ON initiative_history(initiative_id, id);
CREATE INDEX initiative_history_by_community ON initiative_history(community_id);
CREATE INDEX initiative_history_by_member ON initiative_history(member_id)
    WHERE member_id IS NOT NULL;

-- The organizers' settings; a community without a row has the default
-- threshold (INITIATIVE_THRESHOLD_DEFAULT in initiative.h).
CREATE TABLE initiative_settings (
    community_id INTEGER PRIMARY KEY REFERENCES communities(id) ON DELETE CASCADE,
    threshold INTEGER NOT NULL CHECK (threshold BETWEEN 1 AND 100000)
) STRICT;

-- The words a search finds an initiative by: the stem of each word of its
-- title, problem and proposal; in a secret community the keyed hash of
-- the stem (never a word), so that a copy of the disk cannot test a guess.
CREATE TABLE initiative_words (
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    word TEXT NOT NULL,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    PRIMARY KEY (community_id, word, initiative_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX initiative_words_by_initiative ON initiative_words(initiative_id);
