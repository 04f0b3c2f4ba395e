-- Public hearings (issue 16): comments on a hearing's agenda items (or on
-- the hearing as a whole), the answer of those who run it, and residents
-- without an account taking part through a secret, revocable link.
--
-- A comment's author is a member (community-local, never an account) or,
-- through the link, "a resident" with the name they typed if any
-- (guest_name; no account, no address, no browser key is stored with
-- it). One answer per comment, editable; a hidden comment keeps its
-- reason, which stays visible in place of the text. body, guest_name,
-- answer and hidden_reason are sealed in a secret community (where the
-- link is not offered: its texts need a member's key).
CREATE TABLE hearing_comments (
    id INTEGER PRIMARY KEY,
    assembly_id INTEGER NOT NULL REFERENCES assemblies(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    -- NULL: on the hearing as a whole
    item_id INTEGER REFERENCES assembly_items(id) ON DELETE CASCADE,
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    by_link INTEGER NOT NULL DEFAULT 0 CHECK (by_link IN (0, 1)),
    guest_name TEXT,
    body TEXT NOT NULL CHECK (length(body) >= 1),
    created_at INTEGER NOT NULL,
    answer TEXT,
    answered_by INTEGER REFERENCES members(id) ON DELETE SET NULL,
    answered_at INTEGER,
    hidden_reason TEXT,
    hidden_by INTEGER REFERENCES members(id) ON DELETE SET NULL,
    hidden_at INTEGER,
    CHECK (by_link = 1 OR guest_name IS NULL),
    CHECK (by_link = 0 OR member_id IS NULL)
) STRICT;
CREATE INDEX hearing_comments_by_assembly ON hearing_comments(assembly_id, item_id, id);
CREATE INDEX hearing_comments_by_community ON hearing_comments(community_id);
CREATE INDEX hearing_comments_by_item ON hearing_comments(item_id) WHERE item_id IS NOT NULL;
CREATE INDEX hearing_comments_by_member ON hearing_comments(member_id)
    WHERE member_id IS NOT NULL;
CREATE INDEX hearing_comments_by_answerer ON hearing_comments(answered_by)
    WHERE answered_by IS NOT NULL;
CREATE INDEX hearing_comments_by_hider ON hearing_comments(hidden_by) WHERE hidden_by IS NOT NULL;
-- The count of each item's comments not hidden (item 0: the hearing as a
-- whole), kept by the triggers below: the hearing's page shows every
-- item's count, and counting a large hearing's comments on every view
-- would cost more than the rest of the page.
CREATE TABLE hearing_counts (
    assembly_id INTEGER NOT NULL REFERENCES assemblies(id) ON DELETE CASCADE,
    item INTEGER NOT NULL,
    n INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (assembly_id, item)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER hearing_counts_add AFTER INSERT ON hearing_comments
WHEN NEW.hidden_at IS NULL BEGIN
    INSERT OR IGNORE INTO hearing_counts(assembly_id, item, n)
        VALUES(NEW.assembly_id, coalesce(NEW.item_id, 0), 0);
    UPDATE hearing_counts SET n = n + 1
        WHERE assembly_id = NEW.assembly_id AND item = coalesce(NEW.item_id, 0);
END;
CREATE TRIGGER hearing_counts_hide AFTER UPDATE OF hidden_at ON hearing_comments
WHEN OLD.hidden_at IS NULL AND NEW.hidden_at IS NOT NULL BEGIN
    UPDATE hearing_counts SET n = n - 1
        WHERE assembly_id = OLD.assembly_id AND item = coalesce(OLD.item_id, 0) AND n > 0;
END;
CREATE TRIGGER hearing_counts_drop AFTER DELETE ON hearing_comments
WHEN OLD.hidden_at IS NULL BEGIN
    UPDATE hearing_counts SET n = n - 1
        WHERE assembly_id = OLD.assembly_id AND item = coalesce(OLD.item_id, 0) AND n > 0;
END;
-- link comments of the last hour, for the hearing's own flood limit
CREATE INDEX hearing_comments_by_link ON hearing_comments(assembly_id, created_at)
    WHERE by_link = 1;

-- The participation link of a hearing: at most one live token; turning it
-- off deletes the row, so the old address answers 404; turning it on again
-- makes a new token. The token is kept as it is (as link surveys keep
-- theirs) so that the organizers can copy the address again.
CREATE TABLE hearing_links (
    assembly_id INTEGER PRIMARY KEY REFERENCES assemblies(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE CHECK (length(token) = 43),
    made_by INTEGER REFERENCES members(id) ON DELETE SET NULL,
    made_at INTEGER NOT NULL
) STRICT;
CREATE INDEX hearing_links_by_community ON hearing_links(community_id);
CREATE INDEX hearing_links_by_maker ON hearing_links(made_by) WHERE made_by IS NOT NULL;

-- Comments through the link counted per browser and hearing over a
-- window: key is a hash of a random cookie of the browser and of the
-- hearing (so one browser's keys of two hearings do not match), never an
-- address. Rows whose window is a day old are pruned by the next write.
CREATE TABLE hearing_throttle (
    key TEXT PRIMARY KEY,
    hits INTEGER NOT NULL CHECK (hits >= 0),
    window_start INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX hearing_throttle_window ON hearing_throttle(window_start);
