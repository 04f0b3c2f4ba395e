-- Matching without the full-text index. Matching looks for entries that
-- share word stems with an entry; asked of the instance-wide FTS index, a
-- common stem ("опыт") decodes a doclist of every community's entries
-- (about 10 ms at 500,000 entries, once per entry on "matches for me").
-- Here the stems live in a B-tree keyed by community, so a lookup reads
-- only the community's own rows, newest first.
--
-- words: the entry's match words as talent_match_words() makes them
-- (folded, stop words dropped, one per stem, space-separated), stored so
-- that ranking never folds text. NULL until computed: entries written
-- before this migration are filled in at start-up (talent_words_backfill).
ALTER TABLE talent_entries ADD COLUMN words TEXT;

CREATE TABLE talent_words(
    community_id INTEGER NOT NULL,
    stem         TEXT NOT NULL,   -- the first five characters of a match word
    entry_id     INTEGER NOT NULL REFERENCES talent_entries(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,   -- the entry's, to keep only answering kinds
    PRIMARY KEY (community_id, stem, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX talent_words_entry ON talent_words(entry_id);
