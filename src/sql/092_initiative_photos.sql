-- Photos of an initiative's reports (issue 14): the bytes are a JPEG that
-- the server wrote itself from the upload's pixels (core/image.c), never
-- the uploaded file; in a secret community they are sealed (sealblob), as
-- its texts are, and so is the caption.
CREATE TABLE initiative_photos (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES initiative_reports(id) ON DELETE CASCADE,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    caption TEXT NOT NULL DEFAULT '',
    width INTEGER NOT NULL CHECK (width > 0),
    height INTEGER NOT NULL CHECK (height > 0),
    size INTEGER NOT NULL CHECK (size > 0),
    bytes BLOB NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX initiative_photos_by_report ON initiative_photos(report_id, id);
CREATE INDEX initiative_photos_by_initiative ON initiative_photos(initiative_id, id);
CREATE INDEX initiative_photos_by_community ON initiative_photos(community_id);
CREATE INDEX initiative_photos_by_member ON initiative_photos(member_id)
    WHERE member_id IS NOT NULL;
