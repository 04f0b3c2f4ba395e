-- What pages read on every view is kept ready instead of counted or sorted
-- each time (at scale 1 the directory counted ~5,000 memberships a page
-- and the member list sorted all of a community's members for one page of
-- a hundred).
--
-- Triggers keep both, using only SQLite's built-in functions, so that a
-- write through any tool (the sqlite3 shell in a repair, a script) keeps
-- them right too.

-- The member count of each community.
ALTER TABLE communities ADD COLUMN members INTEGER NOT NULL DEFAULT 0;
UPDATE communities SET members =
    (SELECT count(*) FROM memberships m WHERE m.community_id = communities.id);
CREATE TRIGGER memberships_count_add AFTER INSERT ON memberships BEGIN
    UPDATE communities SET members = members + 1 WHERE id = NEW.community_id;
END;
CREATE TRIGGER memberships_count_drop AFTER DELETE ON memberships BEGIN
    UPDATE communities SET members = members - 1 WHERE id = OLD.community_id;
END;

-- The member list's order (organizers first, then by display name, case
-- folded as NOCASE does) from one index: each membership carries a copy of
-- its account's display name. The index covers the list's columns.
ALTER TABLE memberships ADD COLUMN name_key TEXT NOT NULL DEFAULT '' COLLATE NOCASE;
UPDATE memberships SET name_key =
    (SELECT a.display_name FROM accounts a WHERE a.id = memberships.account_id);
CREATE TRIGGER memberships_name_key AFTER INSERT ON memberships BEGIN
    UPDATE memberships SET name_key =
        (SELECT display_name FROM accounts WHERE id = NEW.account_id)
    WHERE community_id = NEW.community_id AND account_id = NEW.account_id;
END;
CREATE TRIGGER accounts_name_key AFTER UPDATE OF display_name ON accounts BEGIN
    UPDATE memberships SET name_key = NEW.display_name WHERE account_id = NEW.id;
END;
CREATE INDEX memberships_by_name ON memberships(community_id, role <> 'organizer', name_key, role,
                                               joined_at);

-- Organizers of a community (the last-organizer rule, the strategy checks).
CREATE INDEX memberships_role ON memberships(community_id, role);
