-- A search by the beginning of a word read every community's words
-- (issue 10, the talent search's instructions): "рем"* was one prefix
-- doclist of all the instance's entries, narrowed to the community by
-- AND with its scope token afterwards. Now every token carries its
-- community: "c612xремонт" for a folded word of the title, body or tags,
-- "s612xремонт" for a stem (a keyed hash in a sealed community), written by
-- the application (talent_fts_row). "c612xрем"* walks the terms of one
-- community only. The prefix indexes go (a prefix of "c612x..." of a fixed
-- length would be a community's whole list). Positions stay: a word that
-- the application keeps whole may hold a character that the tokenizer
-- splits at (U+FFFD, say), so its query is a phrase, whose tail is bound to
-- the prefixed head by position.
ALTER TABLE talent_fts RENAME TO talent_fts_old;
CREATE VIRTUAL TABLE talent_fts USING fts5(words, tokenize = 'unicode61');

-- A sealed entry's row is copied here, its hashes behind the prefix: there
-- is no key at start-up to read its texts with (its rows of the old index
-- are the only ones with an empty title: a clear title is never empty).
INSERT INTO talent_fts(rowid, words)
SELECT o.rowid, 's' || e.community_id || 'x'
                || replace(trim(o.stems), ' ', ' s' || e.community_id || 'x')
FROM talent_fts_old o JOIN talent_entries e ON e.id = o.rowid
WHERE o.title = '' AND trim(coalesce(o.stems, '')) <> '';

-- Every clear entry goes back under talent_entries_no_words, so that the
-- start-up backfill (talent_words_backfill) writes its row anew, in
-- batches with progress, as it did for migration 032; its words and
-- stems come out the same.
UPDATE talent_entries SET words = NULL, stems = NULL
WHERE id IN (SELECT rowid FROM talent_fts_old WHERE title <> '');
DROP TABLE talent_fts_old;
