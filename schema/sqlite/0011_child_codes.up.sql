-- A child's own short code (see the Postgres migration of the same number).
CREATE TABLE child_codes (
    id          TEXT PRIMARY KEY,
    meeting_id  TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    code        TEXT NOT NULL UNIQUE,
    child_id    TEXT NOT NULL,
    created_at  DATETIME NOT NULL,
    expires_at  DATETIME NOT NULL,
    revoked_at  DATETIME
);
CREATE INDEX child_codes_meeting ON child_codes (meeting_id);
