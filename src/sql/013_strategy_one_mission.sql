-- One mission, not two. The Dilts canvas had a "mission" level of its own
-- beside the versioned mission text, and the two could disagree. The
-- mission text is now the canvas's top level; entries are no longer
-- written on that level.
--
-- How existing data is merged, per community that has canvas entries on
-- the mission level:
--  * the entries (in the order written, one paragraph each) become one
--    version of the mission text, dated when the newest of them was
--    written and without an author (the canvas did not keep one);
--  * versions are read newest first by that date (text_history orders by
--    created_at, then id), so whichever the staff wrote last, the canvas
--    entry or the mission text, is the current mission and the other one
--    stays readable in the history: nothing anyone wrote is lost;
--  * when the entries say exactly what the current mission text says, no
--    version is added (it would only repeat it);
--  * the canvas entries are then removed.
INSERT INTO strategy_texts(community_id, kind, body, author_id, created_at, closes_at)
SELECT d.community_id, 'mission', d.body, NULL, d.at, NULL
  FROM (SELECT community_id, group_concat(text, char(10) || char(10)) AS body,
               max(created_at) AS at
          FROM (SELECT community_id, text, created_at FROM dilts_entries
                 WHERE level = 'mission' ORDER BY community_id, created_at, id)
         GROUP BY community_id) d
 WHERE d.body IS NOT (SELECT t.body FROM strategy_texts t
                       WHERE t.community_id = d.community_id AND t.kind = 'mission'
                       ORDER BY t.created_at DESC, t.id DESC LIMIT 1);

DELETE FROM dilts_entries WHERE level = 'mission';

-- The table's CHECK still names the level (SQLite cannot change a CHECK
-- without rebuilding the table); this keeps the rule for every writer,
-- the sqlite3 shell included.
CREATE TRIGGER dilts_entries_no_mission BEFORE INSERT ON dilts_entries
WHEN NEW.level = 'mission'
BEGIN
    SELECT RAISE(ABORT, 'the mission is the mission text, not a canvas entry');
END;
CREATE TRIGGER dilts_entries_no_mission_update BEFORE UPDATE OF level ON dilts_entries
WHEN NEW.level = 'mission'
BEGIN
    SELECT RAISE(ABORT, 'the mission is the mission text, not a canvas entry');
END;

-- Versions are read newest first by date.
CREATE INDEX strategy_texts_dated ON strategy_texts(community_id, kind, created_at, id);
