-- Proposals and votes of assemblies (issue 16, step 3): each agenda item
-- has proposals; a proposal is voted for / against / abstain by its
-- threshold (a simple majority of those present, two thirds of those
-- present) or by consent (adopted unless someone objects; an objection
-- carries its reason). Voting is open (one row a voter, names shown to
-- members) or secret (through the ballot box: ballot_id, no row here ties
-- a person to a choice). Voting opens in the room and stays open online
-- until voting_closes_at, then the count is stored with the proposal.
CREATE TABLE assembly_proposals (
    id INTEGER PRIMARY KEY,
    assembly_id INTEGER NOT NULL REFERENCES assemblies(id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL REFERENCES assembly_items(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    text TEXT NOT NULL CHECK (length(text) >= 1),
    threshold TEXT NOT NULL CHECK (threshold IN ('simple', 'two_thirds', 'consent')),
    secrecy TEXT NOT NULL DEFAULT 'open' CHECK (secrecy IN ('open', 'secret')),
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'voting', 'closed')),
    voting_closes_at INTEGER,
    ballot_id INTEGER REFERENCES ballot_boxes(id) ON DELETE SET NULL,
    -- the count, stored when voting closes
    yes INTEGER NOT NULL DEFAULT 0,
    no INTEGER NOT NULL DEFAULT 0,
    abstain INTEGER NOT NULL DEFAULT 0,
    objections INTEGER NOT NULL DEFAULT 0,
    present INTEGER NOT NULL DEFAULT 0,
    adopted INTEGER CHECK (adopted IN (0, 1)),
    created_at INTEGER NOT NULL,
    CHECK (threshold <> 'consent' OR secrecy = 'open')
) STRICT;
CREATE INDEX assembly_proposals_by_item ON assembly_proposals(item_id, id);
CREATE INDEX assembly_proposals_by_assembly ON assembly_proposals(assembly_id);
CREATE INDEX assembly_proposals_by_community ON assembly_proposals(community_id);

-- An open vote: one row a person and proposal (the primary key makes a
-- second vote of the same person a change of their vote, never a second
-- count). An objection (consent) has its reason, sealed in a secret
-- community.
CREATE TABLE assembly_votes (
    proposal_id INTEGER NOT NULL REFERENCES assembly_proposals(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    choice TEXT NOT NULL CHECK (choice IN ('for', 'against', 'abstain', 'object')),
    reason TEXT NOT NULL DEFAULT '',
    how TEXT NOT NULL CHECK (how IN ('room', 'online')),
    voted_at INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, member_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX assembly_votes_by_member ON assembly_votes(member_id);
CREATE INDEX assembly_votes_by_community ON assembly_votes(community_id);
