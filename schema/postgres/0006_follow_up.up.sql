-- A follow-up meeting starts from the last plan of the meeting it follows. The
-- link is a plain id, not a foreign key: the earlier meeting may be purged by
-- retention before the follow-up, which keeps its own copy of that plan.
ALTER TABLE meetings ADD COLUMN follows_meeting_id TEXT NOT NULL DEFAULT '';
CREATE INDEX meetings_follows ON meetings (follows_meeting_id);
