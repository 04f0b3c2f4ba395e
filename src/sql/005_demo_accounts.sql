-- serve warns at every start while demo accounts exist; counting them read
-- every account (100,000 at scale 1: ~10 ms of the start-up). Only demo
-- accounts are in this index.
CREATE INDEX accounts_demo ON accounts(id) WHERE is_demo = 1;
