-- Date polls (issue 16, step 2): an organizer proposes times, members say
-- which suit them (yes / if need be / no), and closing the poll makes an
-- event at the chosen time. Texts are sealed in a secret community, as
-- events' are; times and answers are clear (the table counts them).
CREATE TABLE event_polls (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('leisure', 'housing', 'landscaping', 'club', 'training',
                                       'other')),
    title TEXT NOT NULL CHECK (length(title) >= 1),
    description TEXT NOT NULL DEFAULT '',
    zone TEXT NOT NULL,
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 15 AND 1440),
    -- set together when the poll is closed into an event
    closed_at INTEGER,
    event_id INTEGER REFERENCES events(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX event_polls_by_community ON event_polls(community_id, id);

CREATE TABLE event_poll_options (
    id INTEGER PRIMARY KEY,
    poll_id INTEGER NOT NULL REFERENCES event_polls(id) ON DELETE CASCADE,
    starts_at INTEGER NOT NULL,
    UNIQUE (poll_id, starts_at)
) STRICT;

CREATE TABLE event_poll_answers (
    option_id INTEGER NOT NULL REFERENCES event_poll_options(id) ON DELETE CASCADE,
    poll_id INTEGER NOT NULL REFERENCES event_polls(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    answer TEXT NOT NULL CHECK (answer IN ('yes', 'maybe', 'no')),
    PRIMARY KEY (option_id, member_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_poll_answers_by_poll ON event_poll_answers(poll_id, member_id);
CREATE INDEX event_poll_answers_by_member ON event_poll_answers(member_id);
