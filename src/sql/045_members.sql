-- Members: a community's people as community-local ids (issue 11, sealing
-- step 2, part 1; the plan is in docs/architecture.md).
--
-- A member is a row of its community: its role, the day it joined and the
-- name it shows there. Which account a member is lives apart, in
-- member_accounts, so that an area's rows can name a member without naming
-- an account, and so that for a secret community that one link can later
-- leave the file for the member's own keyring. Member ids are random (53
-- bits, safe as a JSON number) rather than counted: consecutive ids would
-- tell which members of two communities joined in the same minute.
--
-- joined_day is a day number (days since 1970-01-01): the day is all a page
-- shows, and a second-exact time is one more way to match a member to an
-- account in a server's logs.
CREATE TABLE members(
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('member', 'organizer', 'facilitator', 'mentor', 'expert')),
    joined_day   INTEGER NOT NULL,
    name         TEXT NOT NULL DEFAULT '' COLLATE NOCASE
) STRICT;

-- The link account -> member. community_id repeats the member's so that
-- "is this account in that community" is one index probe and "one member
-- per account and community" a constraint.
CREATE TABLE member_accounts(
    member_id    INTEGER PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    UNIQUE (account_id, community_id)
) STRICT;
CREATE INDEX member_accounts_community ON member_accounts(community_id, account_id);

CREATE TEMP TABLE moved AS
    SELECT community_id, account_id, role, joined_at / 86400 AS joined_day, name_key,
           (random() & 9007199254740991) + 1 AS member_id
    FROM memberships;
INSERT INTO members(id, community_id, role, joined_day, name)
    SELECT member_id, community_id, role, joined_day, name_key FROM moved;
INSERT INTO member_accounts(member_id, account_id, community_id)
    SELECT member_id, account_id, community_id FROM moved;
DROP TABLE moved;
DROP TABLE memberships;

-- What migration 004 kept ready for memberships, now for members: the
-- member count of each community, and each member's name (a copy of the
-- account's display name while the link is in the file) for the member
-- list's order.
CREATE TRIGGER members_count_add AFTER INSERT ON members BEGIN
    UPDATE communities SET members = members + 1 WHERE id = NEW.community_id;
END;
CREATE TRIGGER members_count_drop AFTER DELETE ON members BEGIN
    UPDATE communities SET members = members - 1 WHERE id = OLD.community_id;
END;
CREATE TRIGGER member_accounts_name AFTER INSERT ON member_accounts BEGIN
    UPDATE members SET name = (SELECT display_name FROM accounts WHERE id = NEW.account_id)
    WHERE id = NEW.member_id;
END;
CREATE TRIGGER accounts_member_name AFTER UPDATE OF display_name ON accounts BEGIN
    UPDATE members SET name = NEW.display_name
    WHERE id IN (SELECT member_id FROM member_accounts WHERE account_id = NEW.id);
END;
DROP TRIGGER IF EXISTS accounts_name_key;
CREATE INDEX members_by_name ON members(community_id, role <> 'organizer', name, role, joined_day);
CREATE INDEX members_role ON members(community_id, role);

-- The old shape, to read only, for the areas whose rows still name
-- accounts; each area stops using it as it moves to member ids, and the
-- last one drops it.
CREATE VIEW memberships(community_id, account_id, role, joined_at, name_key) AS
    SELECT l.community_id, l.account_id, m.role, m.joined_day * 86400, m.name
    FROM member_accounts l JOIN members m ON m.id = l.member_id;

-- A write to the old shape by a tool (the sqlite3 shell in a repair, a
-- script, a test setting up a case) lands in the new tables, as the
-- triggers of migration 004 promised for any writer. The server itself
-- writes only members and member_accounts.
CREATE TRIGGER memberships_insert INSTEAD OF INSERT ON memberships BEGIN
    INSERT INTO members(id, community_id, role, joined_day)
        VALUES((random() & 9007199254740991) + 1, NEW.community_id, NEW.role, NEW.joined_at / 86400);
    INSERT INTO member_accounts(member_id, account_id, community_id)
        VALUES(last_insert_rowid(), NEW.account_id, NEW.community_id);
END;
CREATE TRIGGER memberships_update INSTEAD OF UPDATE OF role ON memberships BEGIN
    UPDATE members SET role = NEW.role WHERE id = (SELECT member_id FROM member_accounts
        WHERE community_id = OLD.community_id AND account_id = OLD.account_id);
END;
-- (The link is deleted by name: a tool's connection may not enforce the
-- foreign keys that would cascade it.)
CREATE TRIGGER memberships_delete INSTEAD OF DELETE ON memberships BEGIN
    DELETE FROM members WHERE id = (SELECT member_id FROM member_accounts
        WHERE community_id = OLD.community_id AND account_id = OLD.account_id);
    DELETE FROM member_accounts
        WHERE community_id = OLD.community_id AND account_id = OLD.account_id;
END;
