-- A community can be deleted (issue 22). Its rows go by the foreign keys'
-- ON DELETE CASCADE; what no foreign key reaches goes by these triggers
-- (SQLite fires them for rows a cascade deletes too): the ballot boxes of
-- its waves and surveys (core tables that know no community; their rolls
-- name accounts). The full-text rows of its talent entries cannot be
-- deleted by a trigger (with trusted_schema off a trigger may not touch a
-- virtual table); the talent area removes them first
-- (areas_community_delete).
CREATE TRIGGER soc_waves_box_gone AFTER DELETE ON soc_waves BEGIN
    DELETE FROM ballot_boxes WHERE id = old.box_id;
END;
CREATE TRIGGER surveys_box_gone AFTER DELETE ON surveys WHEN old.box_id IS NOT NULL BEGIN
    DELETE FROM ballot_boxes WHERE id = old.box_id;
END;
