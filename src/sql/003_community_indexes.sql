-- Walking the territory tree downwards (directory filter, the tree in
-- forms) joins on parent_id; without this index every step scanned the
-- whole table.
CREATE INDEX territories_parent ON territories(parent_id);
-- The directory lists communities by name.
CREATE INDEX communities_name ON communities(name);
