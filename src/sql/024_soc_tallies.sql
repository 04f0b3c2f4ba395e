-- A closed wave's answers never change, so its tallies are counted once,
-- when it closes, instead of on every view: every sense-of-community panel
-- on a dashboard counted the answers of each wave and scanned the latest
-- one (100,000 answers: ~15 ms a view).
--
-- answers: how many answered; dist: the 40 counts of the four factors'
-- ratings 1..10 (membership 1..10, influence, integration, connection),
-- space-separated. Both NULL while the wave is open. Closed waves written
-- before this migration are tallied at start-up (soc_tally_pending).
ALTER TABLE soc_waves ADD COLUMN answers INTEGER;
ALTER TABLE soc_waves ADD COLUMN dist TEXT;
CREATE INDEX soc_waves_untallied ON soc_waves(id) WHERE closed = 1 AND dist IS NULL;
