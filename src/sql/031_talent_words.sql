-- Matching without the full-text index. Matching looks for entries that
-- share word stems with an entry; asked of the instance-wide FTS index, a
-- common stem ("опыт") decodes a doclist of every community's entries
-- (about 10 ms at 500,000 entries, once per entry on "matches for me").
-- Here the stems live in a B-tree keyed by community and kind, so a lookup
-- reads only the community's own rows of one kind, newest first, and stops
-- at its limit (with the kind filtered instead, a stem common to the other
-- kinds, like "умею" in every skill, was read to the end).
--
-- words: the entry's match words as talent_match_words() makes them
-- (folded, stop words dropped, one per stem, space-separated), stored so
-- that ranking never folds text. NULL until computed: entries written
-- before this migration are filled in at start-up (talent_words_backfill).
ALTER TABLE talent_entries ADD COLUMN words TEXT;
-- What start-up still has to fill in, found without reading every entry.
CREATE INDEX talent_entries_no_words ON talent_entries(id) WHERE words IS NULL;

CREATE TABLE talent_words(
    community_id INTEGER NOT NULL,
    kind         TEXT NOT NULL,   -- the entry's: matching asks for answering kinds
    stem         TEXT NOT NULL,   -- the first five characters of a match word
    entry_id     INTEGER NOT NULL REFERENCES talent_entries(id) ON DELETE CASCADE,
    PRIMARY KEY (community_id, kind, stem, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX talent_words_entry ON talent_words(entry_id);
