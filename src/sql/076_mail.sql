-- E-mail (issue 17, step 4; src/areas/notify/mail.c): a person's address,
-- stored only when they give one and deleted when they remove it (or their
-- account goes). Keyed by account: mail names a person. It is used only for
-- notices of public and closed communities, whose member rows are tied to
-- the account in member_accounts anyway; a secret community's member has no
-- such row, so no mail can be made for it.
--
-- fuller: 0 (the default) sends "there is something new" and a link, and
-- nothing else; 1 adds one line per notice of a PUBLIC community (its name
-- and what happened); a closed community's notices are counted, never named.
CREATE TABLE mail_addresses(
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    address    TEXT NOT NULL CHECK (length(address) BETWEEN 3 AND 254),
    fuller     INTEGER NOT NULL DEFAULT 0 CHECK (fuller IN (0, 1))
) STRICT;

-- How far the mail scan has read the notices: one row. Notices are read by
-- id after it, so the scan costs what is new, not the table.
CREATE TABLE mail_cursor(
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_notice INTEGER NOT NULL
) STRICT;
INSERT INTO mail_cursor(id, last_notice) SELECT 1, coalesce(max(id), 0) FROM notifications;
