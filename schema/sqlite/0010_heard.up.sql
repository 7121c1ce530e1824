-- "Were you heard?" (see the Postgres migration of the same number). WITHOUT
-- ROWID keeps the answers in the order of their random keys, not the order
-- they were written; every new answer rewrites its meeting's answers under new keys.
CREATE TABLE heard_markers (
    meeting_id     TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL,
    PRIMARY KEY (meeting_id, participant_id)
) WITHOUT ROWID;

CREATE TABLE heard_answers (
    id         TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    scores     TEXT NOT NULL,
    mark       INTEGER NOT NULL CHECK (mark BETWEEN 0 AND 10),
    sentence   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX heard_answers_meeting ON heard_answers (meeting_id);
