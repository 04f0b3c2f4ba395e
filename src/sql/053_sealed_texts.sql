-- Sealing, step 3: texts under a community's data key
-- (docs/architecture.md, "Sealing, step 3: texts"; core/sealtext.h).
--
-- A text of a community with a data key is stored sealed (a text that
-- begins with the record separator, then base64): the program writes it
-- with seal() and reads it with unseal(), which a connection has only while
-- a request lends it the viewer's keyring. Nothing here changes a column:
-- a community's rows are sealed in place by the program, in the
-- transaction that gives the community its key.
--
-- The two triggers that copy an account's display name into its members
-- would write it in clear into a sealed community (a member there who
-- still waits to be sealed has a clear link): they now pass such members
-- by, and the name is sealed with the member (member_seal_waiting).
DROP TRIGGER member_accounts_name;
CREATE TRIGGER member_accounts_name AFTER INSERT ON member_accounts
WHEN NOT EXISTS (SELECT 1 FROM community_seals WHERE community_id = NEW.community_id) BEGIN
    UPDATE members SET name = (SELECT display_name FROM accounts WHERE id = NEW.account_id)
    WHERE id = NEW.member_id;
END;
DROP TRIGGER accounts_member_name;
CREATE TRIGGER accounts_member_name AFTER UPDATE OF display_name ON accounts BEGIN
    UPDATE members SET name = NEW.display_name
    WHERE id IN (SELECT member_id FROM member_accounts WHERE account_id = NEW.id)
      AND community_id NOT IN (SELECT community_id FROM community_seals);
END;
