-- "Were you heard?" (docs/privacy.md). Two tables kept apart: a marker says
-- only that a participant answered a meeting's check; an answer carries no
-- participant, no time and no sequential key. Its key is random, and every new
-- answer rewrites its meeting's answers in a random order under new keys, so
-- neither a key nor the rows' physical order (ctid) lines an answer up with a
-- marker or with the audit log. Both go with their meeting (purge, erasure).
CREATE TABLE heard_markers (
    meeting_id     TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL,
    PRIMARY KEY (meeting_id, participant_id)
);

CREATE TABLE heard_answers (
    id         TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    scores     TEXT NOT NULL,
    mark       INTEGER NOT NULL CHECK (mark BETWEEN 0 AND 10),
    sentence   TEXT NOT NULL
);
CREATE INDEX heard_answers_meeting ON heard_answers (meeting_id);

ALTER TABLE heard_markers ENABLE ROW LEVEL SECURITY;
ALTER TABLE heard_markers FORCE ROW LEVEL SECURITY;
CREATE POLICY organisation_scope ON heard_markers
    USING (tafel_organisation() IS NULL OR EXISTS (SELECT 1 FROM meetings WHERE meetings.id = heard_markers.meeting_id));

ALTER TABLE heard_answers ENABLE ROW LEVEL SECURITY;
ALTER TABLE heard_answers FORCE ROW LEVEL SECURITY;
CREATE POLICY organisation_scope ON heard_answers
    USING (tafel_organisation() IS NULL OR EXISTS (SELECT 1 FROM meetings WHERE meetings.id = heard_answers.meeting_id));
