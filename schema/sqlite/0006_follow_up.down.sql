DROP INDEX meetings_follows;
ALTER TABLE meetings DROP COLUMN follows_meeting_id;
