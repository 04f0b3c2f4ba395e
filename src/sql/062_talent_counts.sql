-- How many entries each community has of each category and kind in each class of
-- who may see them (visibility, hidden by an organizer or not), kept by
-- triggers: the list's count, every entry the viewer may see (of one
-- category or kind, or of all), is then a few rows and the viewer's own entries,
-- not a read of every entry of the community
-- (14 M instructions a request for 3,722 entries at scale 1:
-- docs/performance.md). The number 061 is not used.
CREATE TABLE talent_counts(
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    category     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    visibility   TEXT NOT NULL,
    hidden       INTEGER NOT NULL CHECK (hidden IN (0, 1)),
    -- no CHECK (n >= 0): a count gone wrong must not refuse the writes
    -- of an entry (tests compare the counts with the entries)
    n            INTEGER NOT NULL,
    PRIMARY KEY (community_id, category, kind, visibility, hidden)
) STRICT, WITHOUT ROWID;

INSERT INTO talent_counts(community_id, category, kind, visibility, hidden, n)
    SELECT community_id, category, kind, visibility, hidden_reason IS NOT NULL, count(*)
    FROM talent_entries GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER talent_counts_added AFTER INSERT ON talent_entries BEGIN
    INSERT INTO talent_counts(community_id, category, kind, visibility, hidden, n)
        VALUES (NEW.community_id, NEW.category, NEW.kind, NEW.visibility,
                NEW.hidden_reason IS NOT NULL, 1)
        ON CONFLICT(community_id, category, kind, visibility, hidden) DO UPDATE SET n = n + 1;
END;

-- A community deleted takes its counts with it (the cascade); then its
-- entries' deletions find no row to change.
CREATE TRIGGER talent_counts_removed AFTER DELETE ON talent_entries BEGIN
    UPDATE talent_counts SET n = n - 1
        WHERE community_id = OLD.community_id AND category = OLD.category AND kind = OLD.kind
          AND visibility = OLD.visibility AND hidden = (OLD.hidden_reason IS NOT NULL);
END;

-- Sealing in place rewrites hidden_reason without changing whether it is
-- NULL: the WHEN leaves those rows alone.
CREATE TRIGGER talent_counts_moved
    AFTER UPDATE OF category, kind, visibility, hidden_reason ON talent_entries
    WHEN OLD.category IS NOT NEW.category OR OLD.kind IS NOT NEW.kind
      OR OLD.visibility IS NOT NEW.visibility
      OR (OLD.hidden_reason IS NULL) <> (NEW.hidden_reason IS NULL)
BEGIN
    UPDATE talent_counts SET n = n - 1
        WHERE community_id = OLD.community_id AND category = OLD.category AND kind = OLD.kind
          AND visibility = OLD.visibility AND hidden = (OLD.hidden_reason IS NOT NULL);
    INSERT INTO talent_counts(community_id, category, kind, visibility, hidden, n)
        VALUES (NEW.community_id, NEW.category, NEW.kind, NEW.visibility,
                NEW.hidden_reason IS NOT NULL, 1)
        ON CONFLICT(community_id, category, kind, visibility, hidden) DO UPDATE SET n = n + 1;
END;
