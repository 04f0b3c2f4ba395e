-- A survey is written as a draft and published when it is ready: until
-- then residents cannot see or answer it, and everything in it can change
-- (a survey used to be live the moment it was created, and locked at its
-- first answer while half-written). An anonymous survey's ballot box is
-- opened when it is published, so its roll is the members of that day.
--
-- count_unverified: the organizer's choice for an anonymous link survey
-- (answers through the link count toward k); the box takes it when it
-- opens. copied_from: the survey this one repeats, whose results its own
-- are compared with question by question.
ALTER TABLE surveys ADD COLUMN published INTEGER NOT NULL DEFAULT 1 CHECK (published IN (0, 1));
ALTER TABLE surveys ADD COLUMN count_unverified INTEGER NOT NULL DEFAULT 0
    CHECK (count_unverified IN (0, 1));
ALTER TABLE surveys ADD COLUMN copied_from INTEGER REFERENCES surveys(id) ON DELETE SET NULL;
UPDATE surveys SET count_unverified = coalesce(
    (SELECT b.count_unverified FROM ballot_boxes b WHERE b.id = surveys.box_id), 0);
