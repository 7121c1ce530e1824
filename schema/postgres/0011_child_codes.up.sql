-- A child's own short code: the child fills in their three houses on a phone
-- before the meeting, without joining it. A code belongs to one meeting and one
-- child's voice in it (child_id, the id of the voice in the meeting's state); it
-- is never a join code, and a join code is never one of these. A coordinator
-- revokes it, or it expires.
CREATE TABLE child_codes (
    id          TEXT PRIMARY KEY,
    meeting_id  TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    code        TEXT NOT NULL UNIQUE,
    child_id    TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX child_codes_meeting ON child_codes (meeting_id);

ALTER TABLE child_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE child_codes FORCE ROW LEVEL SECURITY;
CREATE POLICY organisation_scope ON child_codes
    USING (tafel_organisation() IS NULL OR EXISTS (SELECT 1 FROM meetings WHERE meetings.id = child_codes.meeting_id));
