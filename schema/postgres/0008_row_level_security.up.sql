-- Row-level security: a second wall behind the organisation scope in every query.
-- The store sets tafel.organisation in each transaction of an organisation's work
-- (set_config(..., true), so it never outlives the transaction on a pooled
-- connection); then only that organisation's rows can be read or written. Unset
-- (system work: purge, join by code, token lookup, audit verify) every row is
-- visible. FORCE binds the tables' owner too, so the application may own the
-- schema; a superuser or a role with BYPASSRLS is never bound: run Tafel as neither.

-- The organisation of this transaction, NULL when unset ('' after a local setting ended).
CREATE FUNCTION tafel_organisation() RETURNS TEXT AS $$
    SELECT NULLIF(current_setting('tafel.organisation', true), '')
$$ LANGUAGE sql STABLE;

ALTER TABLE organisations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisations FORCE ROW LEVEL SECURITY;
CREATE POLICY organisation_scope ON organisations
    USING (tafel_organisation() IS NULL OR id = tafel_organisation());

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY organisation_scope ON users
    USING (tafel_organisation() IS NULL OR organisation_id = tafel_organisation());

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY organisation_scope ON sessions
    USING (tafel_organisation() IS NULL OR organisation_id = tafel_organisation());

-- A setup link belongs to its account; one for the first setup (no account) to no organisation.
ALTER TABLE setup_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE setup_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY organisation_scope ON setup_tokens
    USING (tafel_organisation() IS NULL OR EXISTS (SELECT 1 FROM users WHERE users.id = setup_tokens.user_id));

ALTER TABLE families ENABLE ROW LEVEL SECURITY;
ALTER TABLE families FORCE ROW LEVEL SECURITY;
CREATE POLICY organisation_scope ON families
    USING (tafel_organisation() IS NULL OR organisation_id = tafel_organisation());

ALTER TABLE meetings ENABLE ROW LEVEL SECURITY;
ALTER TABLE meetings FORCE ROW LEVEL SECURITY;
CREATE POLICY organisation_scope ON meetings
    USING (tafel_organisation() IS NULL OR organisation_id = tafel_organisation());

-- The tables of a meeting belong to the organisation of their meeting; the
-- subquery on meetings is itself limited by the policy above.
ALTER TABLE meeting_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_events FORCE ROW LEVEL SECURITY;
CREATE POLICY organisation_scope ON meeting_events
    USING (tafel_organisation() IS NULL OR EXISTS (SELECT 1 FROM meetings WHERE meetings.id = meeting_events.meeting_id));

ALTER TABLE meeting_commands ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_commands FORCE ROW LEVEL SECURITY;
CREATE POLICY organisation_scope ON meeting_commands
    USING (tafel_organisation() IS NULL OR EXISTS (SELECT 1 FROM meetings WHERE meetings.id = meeting_commands.meeting_id));

ALTER TABLE participants ENABLE ROW LEVEL SECURITY;
ALTER TABLE participants FORCE ROW LEVEL SECURITY;
CREATE POLICY organisation_scope ON participants
    USING (tafel_organisation() IS NULL OR EXISTS (SELECT 1 FROM meetings WHERE meetings.id = participants.meeting_id));

ALTER TABLE plan_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE plan_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY organisation_scope ON plan_versions
    USING (tafel_organisation() IS NULL OR EXISTS (SELECT 1 FROM meetings WHERE meetings.id = plan_versions.meeting_id));

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY organisation_scope ON audit_log
    USING (tafel_organisation() IS NULL OR organisation_id = tafel_organisation());
