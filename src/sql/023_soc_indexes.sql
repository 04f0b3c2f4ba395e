-- Waves past their last day are closed lazily when a sense-of-community
-- page is read; finding them scanned every wave of the instance (6,542 at
-- scale 1) on each such page. Only open waves are in this index.
CREATE INDEX soc_waves_open ON soc_waves(closes_on) WHERE closed = 0;
