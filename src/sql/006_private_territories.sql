-- A place added with (or for) a secret community belongs to it: only that
-- community sees it in its choices, and it is never in the directory's
-- filter or another community's form. The owner is a column on the
-- territory rather than a separate table, so every query of the tree says
-- in one condition whose places it may show ("community_id IS NULL OR
-- community_id = ?").
--
-- No ON DELETE action: CASCADE would trip the tree's own RESTRICT on
-- parent_id (a private place under a private place), and SET NULL would
-- make a secret community's places public when it goes. Deleting a
-- community that owns places must remove them first
-- (community_private_territories_drop), or the delete fails loudly.
ALTER TABLE territories ADD COLUMN community_id INTEGER REFERENCES communities(id);

-- A name is unique among the siblings one owner sees: a secret community's
-- "Сады" must neither block nor be handed out as a public "Сады" (either
-- would tell others it exists).
DROP INDEX territories_name;
CREATE UNIQUE INDEX territories_name
    ON territories(coalesce(parent_id, 0), coalesce(community_id, 0), name);
CREATE INDEX territories_community ON territories(community_id) WHERE community_id IS NOT NULL;
