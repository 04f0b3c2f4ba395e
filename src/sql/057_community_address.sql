-- A secret community's random address, sealed under its data key
-- (docs/architecture.md, "Sealing, step 3: texts"): the row's slug holds
-- only the address's hash, and every member who has the key reads the
-- address from here. Its first members also keep it in their keyrings,
-- but an address changed later (an organizer asks for a new one, so that
-- a community that became secret need not keep the address it had in
-- clear) reaches the others only this way. NULL for every other community.
ALTER TABLE communities ADD COLUMN address TEXT;
