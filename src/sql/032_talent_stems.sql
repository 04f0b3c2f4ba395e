-- Word forms (issue 22): "велосипеда" finds "Починю велосипед". Search and
-- matching compare Snowball stems (libstemmer, Russian and English rules)
-- instead of the first five characters of a word.
--
-- stems: the stem of each match word in talent_entries.words, in the same
-- order, space-separated; ranking compares these and never stems text.
ALTER TABLE talent_entries ADD COLUMN stems TEXT;

-- Every stored match word and talent_words row was made by the old rule.
-- Clearing the words puts each entry back under talent_entries_no_words,
-- so the start-up backfill (talent_words_backfill) recomputes its words,
-- stems, talent_words rows and full-text row with the new rules, in
-- batches with progress, as it did for migration 031.
UPDATE talent_entries SET words = NULL, stems = NULL;
DELETE FROM talent_words;

-- The full-text index gains a column of stems (an FTS5 table cannot be
-- altered): title, body and tags keep the folded text for search by the
-- beginning of a word; stems holds the stem of every word of the three,
-- written by the application (no custom tokenizer: the sqlite3 shell can
-- still read and check the table). Rows come back with the backfill.
DROP TABLE talent_fts;
CREATE VIRTUAL TABLE talent_fts USING fts5(scope, title, body, tags, stems,
                                          tokenize = 'unicode61', prefix = '2 3 4 5');
