-- The list's count filtered by when people are available, kept as the
-- others are (062_talent_counts): per community, availability,
-- visibility and hidden-or-not. A separate table, not a column of
-- talent_counts: it would multiply that table's rows by five, and the
-- list without a filter sums all of a community's rows of it.
CREATE TABLE talent_counts_availability(
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    availability TEXT NOT NULL,
    visibility   TEXT NOT NULL,
    hidden       INTEGER NOT NULL CHECK (hidden IN (0, 1)),
    n            INTEGER NOT NULL, -- no CHECK: see 062
    PRIMARY KEY (community_id, availability, visibility, hidden)
) STRICT, WITHOUT ROWID;

INSERT INTO talent_counts_availability(community_id, availability, visibility, hidden, n)
    SELECT community_id, availability, visibility, hidden_reason IS NOT NULL, count(*)
    FROM talent_entries GROUP BY 1, 2, 3, 4;

CREATE TRIGGER talent_counts_availability_added AFTER INSERT ON talent_entries BEGIN
    INSERT INTO talent_counts_availability(community_id, availability, visibility, hidden, n)
        VALUES (NEW.community_id, NEW.availability, NEW.visibility,
                NEW.hidden_reason IS NOT NULL, 1)
        ON CONFLICT(community_id, availability, visibility, hidden) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER talent_counts_availability_removed AFTER DELETE ON talent_entries BEGIN
    UPDATE talent_counts_availability SET n = n - 1
        WHERE community_id = OLD.community_id AND availability = OLD.availability
          AND visibility = OLD.visibility AND hidden = (OLD.hidden_reason IS NOT NULL);
END;

CREATE TRIGGER talent_counts_availability_moved
    AFTER UPDATE OF availability, visibility, hidden_reason ON talent_entries
    WHEN OLD.availability IS NOT NEW.availability OR OLD.visibility IS NOT NEW.visibility
      OR (OLD.hidden_reason IS NULL) <> (NEW.hidden_reason IS NULL)
BEGIN
    UPDATE talent_counts_availability SET n = n - 1
        WHERE community_id = OLD.community_id AND availability = OLD.availability
          AND visibility = OLD.visibility AND hidden = (OLD.hidden_reason IS NOT NULL);
    INSERT INTO talent_counts_availability(community_id, availability, visibility, hidden, n)
        VALUES (NEW.community_id, NEW.availability, NEW.visibility,
                NEW.hidden_reason IS NOT NULL, 1)
        ON CONFLICT(community_id, availability, visibility, hidden) DO UPDATE SET n = n + 1;
END;
